//! Spreadsheet inventories (`.xlsx`, `.xls`, `.ods`) through calamine, fed to
//! the same row handling as CSV.

use super::import::{ImportOptions, Imported};
use super::source::ImportError;

/// Imports the first sheet (or `opts.sheet`) of a spreadsheet.
pub fn import_spreadsheet(
    _bytes: &[u8],
    ext: &str,
    path: &str,
    _opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    Err(ImportError::Spreadsheet {
        path: path.to_string(),
        message: format!(".{ext} files are not supported yet"),
    })
}
