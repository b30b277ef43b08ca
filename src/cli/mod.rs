//! (module `cli`: under construction in this change.)
