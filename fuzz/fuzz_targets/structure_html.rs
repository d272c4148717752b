#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| thresh::fuzzing::structure_html(data).unwrap());
