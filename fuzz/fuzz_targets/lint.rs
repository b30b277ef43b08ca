//! libFuzzer entry point of the `lint` target (the logic: `netpol_fuzz::targets::lint`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netpol_fuzz::targets::lint::run(data));
