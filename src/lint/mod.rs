//! (module `lint`: under construction in this change.)
