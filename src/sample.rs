//! The bundled sample province, embedded so the app and the command line
//! open it from any folder.

use crate::inventory::{ImportOptions, Imported, import_bytes};

/// The bundled sample province, embedded so the app opens from any folder.
pub const SAMPLE_CSV: &[u8] = include_bytes!("../sample-data/province.csv");
/// The name the bundled sample is shown under.
pub const SAMPLE_NAME: &str = "sample-data/province.csv";

/// Imports the bundled sample.
pub fn sample() -> Imported {
    match import_bytes(SAMPLE_CSV, SAMPLE_NAME, &ImportOptions::default()) {
        Ok(i) => i,
        Err(e) => unreachable!("the bundled sample imports: {e}"),
    }
}
