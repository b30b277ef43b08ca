//! (module `engine`: under construction in this change.)
