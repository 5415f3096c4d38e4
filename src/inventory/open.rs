//! Opening an inventory file: its kind, told by its extension, chooses
//! the reader (CSV text or a workbook), and the reader feeds the importer.

use std::path::Path;

use super::import::{ImportOptions, Imported};
use super::source::{self, ImportError};

/// The extensions of the spreadsheets Sitefold reads (as workbooks, not
/// text), lower case.
pub const SPREADSHEET_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// The extensions of text inventories, lower case.
pub const TEXT_EXTENSIONS: [&str; 3] = ["csv", "txt", "tsv"];

/// The lower-case extension of `path` ("" for none).
fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// True when `path` names a spreadsheet (by its extension, any case).
pub fn is_spreadsheet_path(path: &Path) -> bool {
    SPREADSHEET_EXTENSIONS.contains(&extension(path).as_str())
}

/// Imports an inventory file: CSV (or tab- or semicolon-separated) text in
/// any supported encoding, or a spreadsheet (`.xlsx`, `.xls`, `.ods`).
pub fn import_path(path: &Path, opts: &ImportOptions) -> Result<Imported, ImportError> {
    // A large plain UTF-8 CSV file is read as it streams in; any other is
    // read whole.
    if !is_spreadsheet_path(path)
        && let Some(imported) = super::stream::import_streamed(path, opts)
    {
        return imported;
    }
    let bytes = source::map_file(path)?;
    if is_spreadsheet_path(path) {
        return import_file_bytes(&bytes, path, opts);
    }
    super::csv_file::import_file(bytes, &path.display().to_string(), opts)
}

/// [`import_path`] of the bytes already read from `path`.
pub(super) fn import_file_bytes(
    bytes: &[u8],
    path: &Path,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let name = path.display().to_string();
    if is_spreadsheet_path(path) {
        return super::spreadsheet::import_spreadsheet(bytes, &extension(path), &name, opts);
    }
    super::csv_file::import_bytes(bytes, &name, opts)
}
