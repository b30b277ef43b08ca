//! (module `validate`: under construction in this change.)
