//! Opening an inventory file: its kind, told by its extension, chooses
//! the reader (CSV text or a workbook), and the reader feeds the importer.

use std::path::Path;

use super::import::{ImportOptions, Imported};
use super::source::{self, ImportError};

/// Imports an inventory file: CSV (or tab- or semicolon-separated) text in
/// any supported encoding, or a spreadsheet (`.xlsx`, `.xls`, `.ods`).
pub fn import_path(path: &Path, opts: &ImportOptions) -> Result<Imported, ImportError> {
    let bytes = source::read_file(path)?;
    let name = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if matches!(ext.as_str(), "xlsx" | "xlsm" | "xlsb" | "xls" | "ods") {
        return super::spreadsheet::import_spreadsheet(&bytes, &ext, &name, opts);
    }
    super::csv_file::import_bytes(&bytes, &name, opts)
}
