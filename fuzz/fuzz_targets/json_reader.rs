//! libFuzzer entry point of the `json_reader` target (the logic: `netpol_fuzz::targets::json_reader`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netpol_fuzz::targets::json_reader::run(data));
