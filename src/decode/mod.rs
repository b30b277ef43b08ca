//! (module `decode`: under construction in this change.)
