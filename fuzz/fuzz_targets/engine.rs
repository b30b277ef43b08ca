//! libFuzzer entry point of the `engine` target (the logic: `netpol_fuzz::targets::engine`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netpol_fuzz::targets::engine::run(data));
