//! libFuzzer entry point of the `yaml_reader` target (the logic: `netpol_fuzz::targets::yaml_reader`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netpol_fuzz::targets::yaml_reader::run(data));
