//! libFuzzer entry point of the `load` target (the logic: `netpol_fuzz::targets::load`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netpol_fuzz::targets::load::run(data));
