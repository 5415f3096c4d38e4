//! Spreadsheet inventories (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`)
//! through calamine, fed to the same row handling as CSV.
//!
//! How a sheet becomes a table:
//!
//! - The sheet: `opts.sheet` by name (exact, then ignoring case and
//!   surrounding spaces, then as a 1-based position), else the first
//!   visible worksheet. Chart and macro sheets are never read.
//! - Cells: text is trimmed; numbers are written as Excel shows them (15
//!   significant digits, no `.0`: `2000.0` → `2000`, `0.1 + 0.2` → `0.3`);
//!   numbers stored as text stay text (the importer reads `20,000` and
//!   `2.5万`); booleans become `true`/`false`; dates become ISO text
//!   (`2024-03-01`, or `2024-03-01T08:30:00` with a time, `08:30:00` for a
//!   time alone); durations (`[h]:mm`) become hours, since the only
//!   time-like column is the reprint time in hours; error cells keep their
//!   Excel text (`#N/A`, `#DIV/0!`…), so a number, level, kind or yes/no
//!   column reports them as bad cells or rejected rows instead of taking
//!   them as missing without a word.
//! - Merged cells: Excel keeps a merged cell's value in its top-left cell
//!   only. A cell merged down over several rows (a parent or region written
//!   once for a block of sites, a header cell spanning a two-row header)
//!   gives its value to every row of the block that has data of its own
//!   (`.xlsx`/`.xlsm` and `.xls`; calamine gives no merge information for
//!   `.xlsb` and `.ods`). Cells merged across columns are not copied: the
//!   merged header names its first column and the others have an empty
//!   header, which the import ignores, as in a CSV file.
//! - The header: the first non-empty row that names both a site_id and a
//!   level column among the first 20 non-empty rows (so a title row such as
//!   "某省政府网站名录" above the table is skipped); when the row after it
//!   rows below it continue the header while, laid over it (a lower cell
//!   wins, an empty lower cell keeps the one above), they make it name
//!   more columns: a two-row header such as `检查情况` over `得分 | 结果`
//!   reads as `得分 | 结果`, with the single-row cells taken from above.
//!   Header issues are reported on the block's last row. When no row names
//!   both columns, the first non-empty row is the header, so the
//!   missing-columns message lists what the sheet has. Line breaks in
//!   header cells are removed (`年度预算⏎（元）`).
//! - Columns: the table starts at its leftmost used column (issue columns
//!   count from there, like the header positions); empty trailing columns
//!   are ignored; filled cells to the right of the header are appended to
//!   the row as extra cells (reported, as in a CSV file).
//! - Rows: numbered as Excel shows them (1-based sheet rows, wherever the
//!   table starts); empty rows are skipped.
//!
//! Limits (zip bombs, damaged files): a zip part that declares more than
//! [`MAX_SHEET_PART`] (worksheets) or [`MAX_OTHER_PART`] bytes unpacked is
//! refused before anything is unpacked (the zip reader then stops at the
//! declared size); at most [`MAX_CELLS`] filled cells are kept; worksheets
//! are streamed cell by cell (`.xlsx`, `.xlsb`) instead of being expanded
//! into a dense grid. A damaged or truncated file gives
//! [`ImportError::Spreadsheet`] naming the file, never a panic.

mod book;
mod cells;
mod grid;
mod zip_limits;

use std::path::Path;

use super::import::{ImportOptions, Imported};
use super::report::excerpt_quoted;
use super::source::{self, ImportError};

pub(crate) use cells::header_text;

use book::{Book, choose_sheet, xlsx_merges};
use grid::{Grid, Table, table_to_import};
use zip_limits::{shared_strings_entry, zip_entries};

/// Largest unpacked size a worksheet part may declare (streamed, so this
/// bounds time rather than memory).
pub const MAX_SHEET_PART: u64 = 2 << 30;
/// Largest unpacked size any other part (shared strings, styles, the ODS
/// content) may declare: these are read whole.
pub const MAX_OTHER_PART: u64 = 1 << 30;
/// Most filled cells kept from one sheet.
pub const MAX_CELLS: usize = 20_000_000;
/// Most text (UTF-8 bytes) all the filled cells of a sheet may hold: a
/// long shared string used by many cells is copied for each.
pub const MAX_SHEET_TEXT: usize = 512 << 20;
/// Columns and rows of an Excel sheet (XFD, 1,048,576): a cell beyond them
/// marks a damaged or crafted file (a far-away column would make every
/// row that wide).
pub const SHEET_COLUMNS: u32 = 16_384;
/// See [`SHEET_COLUMNS`].
pub const SHEET_ROWS: u32 = 1_048_576;
/// Most strings an `.xlsx` shared-string table may hold or declare
/// (calamine reserves room for the declared count up front).
pub const MAX_SHARED_STRINGS: u64 = MAX_CELLS as u64;
/// Largest single shared string, as XML (a cell holds at most 32,767
/// characters; rich text and escapes make the XML a few times longer).
pub const MAX_SHARED_STRING_XML: u64 = 16 << 20;
/// Most memory the shared strings of an `.xlsx` may take once loaded,
/// estimated as the part's size plus 32 bytes a string.
pub const MAX_SHARED_STRINGS_MEMORY: u64 = 768 << 20;
/// Shared strings up to this size are loaded a second time to read a
/// sheet's merged regions beside its cells; larger ones are not.
const SHARED_STRINGS_TWICE: u64 = 32 << 20;
/// Most zip entries a workbook may hold.
const MAX_ZIP_ENTRIES: usize = 100_000;
/// Rows searched for the header.
const HEADER_SEARCH_ROWS: usize = 20;

/// A spreadsheet error: the message in both languages (the error type
/// carries one string).
fn fail(path: &str, zh: &str, en: &str) -> ImportError {
    ImportError::Spreadsheet {
        path: path.to_string(),
        message: format!("{zh} / {en}"),
    }
}

fn damaged(path: &str, detail: impl std::fmt::Display) -> ImportError {
    // The reader's words may quote the file: a short excerpt of them.
    let detail = excerpt_quoted(&detail.to_string(), DETAIL_CHARS);
    fail(
        path,
        "文件已损坏或不完整，无法作为电子表格打开",
        &format!(
            "the file is damaged or incomplete and cannot be opened as a spreadsheet ({detail})"
        ),
    )
}

/// Most characters of a reader's error quoted in a message.
const DETAIL_CHARS: usize = 200;

/// Imports the first visible worksheet (or `opts.sheet`) of a spreadsheet.
pub fn import_spreadsheet(
    bytes: &[u8],
    ext: &str,
    path: &str,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    guarded(path, || {
        let (table, described) = read_sheet(bytes, ext, path, opts.sheet.as_deref())?;
        let mut imported = table_to_import(table, path, opts)?;
        imported.report.encoding = described;
        Ok(imported)
    })
}

/// The rows of the first visible worksheet (or `sheet`) of a spreadsheet,
/// as side tables read them (a progress sheet, an inspection round): the
/// same cells, limits and merged-down values as an inventory.
pub(crate) struct SheetRows {
    table: Table,
    /// The format and the sheet read (`XLSX · 进度`).
    pub(crate) described: String,
}

impl SheetRows {
    /// The number of rows with a filled cell.
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }

    /// The number Excel shows for row `i` (an index below `len()`).
    pub(crate) fn number(&self, i: usize) -> u64 {
        self.table.row_number(i)
    }

    /// The filled cells of row `i` by 0-based sheet column, with their
    /// text (numbers as Excel shows them, dates as ISO text).
    pub(crate) fn cells(&self, i: usize) -> Vec<(u32, &str)> {
        if i >= self.table.len() {
            return Vec::new();
        }
        self.table.row_cells(i)
    }

    /// The leftmost column row `i` has a cell in.
    pub(crate) fn first_col(&self, i: usize) -> Option<u32> {
        if i >= self.table.len() {
            return None;
        }
        self.table.first_col(i)
    }
}

/// Reads the rows of a spreadsheet's sheet (see [`SheetRows`]).
pub(crate) fn sheet_rows(
    bytes: &[u8],
    ext: &str,
    path: &str,
    sheet: Option<&str>,
) -> Result<SheetRows, ImportError> {
    guarded(path, || {
        let (table, described) = read_sheet(bytes, ext, path, sheet)?;
        Ok(SheetRows { table, described })
    })
}

/// Opens a workbook and reads the filled cells of the sheet asked for
/// (or the first visible one) into rows; with the format and the sheet's
/// name (`XLSX · Sheet1`).
fn read_sheet(
    bytes: &[u8],
    ext: &str,
    path: &str,
    wanted: Option<&str>,
) -> Result<(Table, String), ImportError> {
    let mut book = Book::open(bytes, ext, path)?;
    let sheets = book.worksheets();
    let sheet = choose_sheet(&sheets, wanted, path)?;
    let format = book.format();
    let mut grid = Grid::default();
    // Opening a workbook again loads its shared strings again: only
    // done when they are small.
    let strings = zip_entries(bytes)
        .and_then(|entries| shared_strings_entry(&entries).map(|(_, size)| *size))
        .unwrap_or(0);
    let merges = std::thread::scope(|scope| {
        // An .xlsx keeps its merged regions after the cells: a second
        // pass over the sheet, run beside the first.
        let xlsx_merges = (matches!(book, Book::Xlsx(_)) && strings <= SHARED_STRINGS_TWICE)
            .then(|| scope.spawn(|| xlsx_merges(bytes, &sheet.name)));
        book.read(&sheet.name, &mut grid, path)?;
        Ok(match xlsx_merges {
            Some(handle) => handle.join().unwrap_or_default(),
            None => book.merges(&sheet.name),
        })
    })?;
    drop(book);
    Ok((
        grid.into_rows(&merges),
        format!("{format} · {}", sheet.name),
    ))
}

/// The worksheets of a spreadsheet, in workbook order (for a sheet picker).
/// Hidden sheets are listed too; chart and macro sheets are not.
pub fn sheet_names(bytes: &[u8], ext: &str) -> Result<Vec<String>, ImportError> {
    let name = format!("(.{ext})");
    sheet_names_named(bytes, ext, &name)
}

/// [`sheet_names`] of a file, with messages naming it.
pub fn sheet_names_of(path: &Path) -> Result<Vec<String>, ImportError> {
    let bytes = source::read_file(path)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    sheet_names_named(&bytes, &ext, &path.display().to_string())
}

fn sheet_names_named(bytes: &[u8], ext: &str, path: &str) -> Result<Vec<String>, ImportError> {
    guarded(path, || {
        let book = Book::open(bytes, ext, path)?;
        Ok(book.worksheets().into_iter().map(|s| s.name).collect())
    })
}

/// Runs `f`, turning a panic in the spreadsheet reader into an error.
fn guarded<T>(path: &str, f: impl FnOnce() -> Result<T, ImportError>) -> Result<T, ImportError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => Err(damaged(path, "the reader stopped on malformed content")),
    }
}
