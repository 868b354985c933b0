//! Fuzzes journey import: arbitrary bytes, read as text, must be refused or
//! accepted cleanly, and an accepted document must survive a round trip.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem_engine::format;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match format::import(text) {
        Ok(journey) => {
            let exported = format::export(&journey);
            let again = format::import(&exported).expect("an exported journey imports");
            assert_eq!(again, journey, "import(export(j)) == j");
            assert_eq!(format::export(&again), exported, "export is stable");
        }
        Err(problems) => assert!(!problems.is_empty(), "a refusal says why"),
    }
});
