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

use std::borrow::Cow;
use std::io::Cursor;
use std::path::Path;

use calamine::{
    Data, DataRef, Dimensions, ExcelDateTime, Ods, Reader, Sheet, SheetType, SheetVisible, Xls,
    Xlsb, Xlsx,
};

use super::columns::{Column, header_cell};
use super::import::{ImportOptions, Imported, SparseRow, detect_columns, import_sparse_table};
use super::report::{excerpt, excerpt_quoted, quoted_list};
use super::source::{self, ImportError, Sniffed};
use super::values::fmt_number;
use crate::i18n::Lang;

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
        let mut book = Book::open(bytes, ext, path)?;
        let sheets = book.worksheets();
        let sheet = choose_sheet(&sheets, opts.sheet.as_deref(), path)?;
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
        let mut imported = grid_to_table(grid, &merges, path, opts)?;
        imported.report.encoding = format!("{format} · {}", sheet.name);
        Ok(imported)
    })
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

/// An open workbook of any supported format.
enum Book<'a> {
    Xlsx(Xlsx<Cursor<&'a [u8]>>),
    Xlsb(Xlsb<Cursor<&'a [u8]>>),
    Xls(Xls<Cursor<&'a [u8]>>),
    Ods(Ods<Cursor<&'a [u8]>>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ZipKind {
    Xlsx,
    Xlsb,
    Ods,
}

impl<'a> Book<'a> {
    /// Opens a workbook, judging the format by its content first and its
    /// extension second (an `.xls` that is really an `.xlsx` opens).
    fn open(bytes: &'a [u8], ext: &str, path: &str) -> Result<Book<'a>, ImportError> {
        if bytes.is_empty() {
            return Err(ImportError::Empty {
                path: path.to_string(),
            });
        }
        match source::sniff(bytes) {
            Sniffed::Zip => {
                let entries = zip_entries(bytes);
                if let Some(entries) = &entries {
                    check_zip_limits(entries, path)?;
                    check_shared_strings(bytes, entries, path)?;
                }
                let has = |name: &str| {
                    entries
                        .as_ref()
                        .is_some_and(|e| e.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)))
                };
                let is_ods = bytes.get(30..38) == Some(b"mimetype")
                    && bytes[..bytes.len().min(120)]
                        .windows(11)
                        .any(|w| w == b"opendocumen");
                let first = if is_ods || (ext == "ods" && !has("xl/workbook.xml")) {
                    ZipKind::Ods
                } else if has("xl/workbook.bin") || (ext == "xlsb" && !has("xl/workbook.xml")) {
                    ZipKind::Xlsb
                } else {
                    ZipKind::Xlsx
                };
                let mut first_error = None;
                for kind in [first, ZipKind::Xlsx, ZipKind::Xlsb, ZipKind::Ods] {
                    if kind == first && first_error.is_some() {
                        continue;
                    }
                    let cursor = Cursor::new(bytes);
                    let opened = match kind {
                        ZipKind::Xlsx => {
                            Xlsx::new(cursor).map(Book::Xlsx).map_err(|e| e.to_string())
                        }
                        ZipKind::Xlsb => {
                            Xlsb::new(cursor).map(Book::Xlsb).map_err(|e| e.to_string())
                        }
                        ZipKind::Ods => Ods::new(cursor).map(Book::Ods).map_err(|e| e.to_string()),
                    };
                    match opened {
                        Ok(b) => return Ok(b),
                        Err(e) => {
                            if first_error.is_none() {
                                first_error = Some(e);
                            }
                        }
                    }
                    // Only a readable archive is worth trying as another format.
                    if entries.is_none() {
                        break;
                    }
                }
                Err(damaged(path, first_error.unwrap_or_default()))
            }
            Sniffed::Ole => {
                if is_encrypted_package(bytes) {
                    return Err(fail(
                        path,
                        "工作簿设有打开密码（已加密）：请在 Excel 中取消密码（文件 → 信息 → 保护工作簿）后另存",
                        "the workbook is password-protected (encrypted): remove the password in Excel (File → Info → Protect Workbook) and save it again",
                    ));
                }
                Xls::new(Cursor::new(bytes))
                    .map(Book::Xls)
                    .map_err(|e| damaged(path, e))
            }
            Sniffed::Other => Err(not_a_workbook(bytes, ext, path)),
        }
    }

    fn format(&self) -> &'static str {
        match self {
            Book::Xlsx(_) => "XLSX",
            Book::Xlsb(_) => "XLSB",
            Book::Xls(_) => "XLS",
            Book::Ods(_) => "ODS",
        }
    }

    fn metadata(&self) -> &[Sheet] {
        match self {
            Book::Xlsx(b) => b.sheets_metadata(),
            Book::Xlsb(b) => b.sheets_metadata(),
            Book::Xls(b) => b.sheets_metadata(),
            Book::Ods(b) => b.sheets_metadata(),
        }
    }

    /// The worksheets (not chart, dialog or macro sheets), in order.
    fn worksheets(&self) -> Vec<Sheet> {
        self.metadata()
            .iter()
            .filter(|s| s.typ == SheetType::WorkSheet)
            .cloned()
            .collect()
    }

    /// Reads the filled cells of a sheet into `grid`.
    fn read(&mut self, name: &str, grid: &mut Grid, path: &str) -> Result<(), ImportError> {
        match self {
            Book::Xlsx(b) => {
                let mut cells = b
                    .worksheet_cells_reader(name)
                    .map_err(|e| damaged(path, e))?;
                while let Some(cell) = cells.next_cell().map_err(|e| damaged(path, e))? {
                    let (r, c) = cell.get_position();
                    grid.push(r, c, &ref_text(cell.get_value()), path)?;
                }
                Ok(())
            }
            Book::Xlsb(b) => {
                let mut cells = b
                    .worksheet_cells_reader(name)
                    .map_err(|e| damaged(path, e))?;
                while let Some(cell) = cells.next_cell().map_err(|e| damaged(path, e))? {
                    let (r, c) = cell.get_position();
                    grid.push(r, c, &ref_text(cell.get_value()), path)?;
                }
                Ok(())
            }
            Book::Xls(b) => {
                let range = b.worksheet_range(name).map_err(|e| damaged(path, e))?;
                grid.push_range(&range, path)
            }
            Book::Ods(b) => {
                let range = b.worksheet_range(name).map_err(|e| damaged(path, e))?;
                grid.push_range(&range, path)
            }
        }
    }

    /// Merged regions of a sheet, when the format tells them (best effort:
    /// a sheet whose merge list cannot be read is imported without it).
    fn merges(&mut self, name: &str) -> Vec<Dimensions> {
        match self {
            Book::Xlsx(b) => b.merge_cells_by_sheet_name(name).unwrap_or_default(),
            Book::Xls(b) => b.merge_cells_by_sheet_name(name).unwrap_or_default(),
            Book::Xlsb(_) | Book::Ods(_) => Vec::new(),
        }
    }
}

/// The merged regions of an .xlsx sheet, read with a workbook of its own
/// (empty when they cannot be read).
fn xlsx_merges(bytes: &[u8], sheet: &str) -> Vec<Dimensions> {
    Xlsx::new(Cursor::new(bytes))
        .and_then(|mut b| b.merge_cells_by_sheet_name(sheet))
        .unwrap_or_default()
}

/// The message for a file named like a workbook that is not one.
fn not_a_workbook(bytes: &[u8], ext: &str, path: &str) -> ImportError {
    let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &head[..head.len().min(4096)];
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&[][..], |i| &head[i..]);
    let lower: Vec<u8> = start.iter().take(512).map(u8::to_ascii_lowercase).collect();
    let is_markup = lower.starts_with(b"<")
        && (lower.windows(5).any(|w| w == b"<html")
            || lower.windows(6).any(|w| w == b"<table")
            || lower.starts_with(b"<?xml")
            || lower.starts_with(b"<!doctype"));
    if is_markup {
        return fail(
            path,
            &format!(
                "这不是真正的 .{ext} 工作簿，而是以 .{ext} 命名的网页（HTML/XML）表格：请用 Excel 打开后“另存为” .xlsx"
            ),
            &format!(
                "this is not a real .{ext} workbook but a web page (HTML/XML) table named .{ext}: open it in Excel and use Save As .xlsx"
            ),
        );
    }
    if source::decode(bytes, path).is_ok() {
        return fail(
            path,
            &format!(
                "这不是 .{ext} 工作簿，而是以 .{ext} 命名的文本（CSV）文件：请把扩展名改为 .csv 再打开"
            ),
            &format!(
                "this is not a .{ext} workbook but a text (CSV) file named .{ext}: rename it to .csv and open it again"
            ),
        );
    }
    fail(
        path,
        &format!("这不是有效的 .{ext} 工作簿（文件可能已损坏，或者不是电子表格）"),
        &format!(
            "this is not a valid .{ext} workbook (the file is damaged or is not a spreadsheet)"
        ),
    )
}

/// True for an OLE container holding an encrypted OOXML package (what
/// Excel writes for a workbook with an opening password).
fn is_encrypted_package(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes
        .windows(needle.len())
        .take(1 << 20)
        .any(|w| w == needle.as_slice())
}

/// Picks the sheet asked for, or the first visible worksheet.
fn choose_sheet(sheets: &[Sheet], wanted: Option<&str>, path: &str) -> Result<Sheet, ImportError> {
    let Some(wanted) = wanted else {
        return sheets
            .iter()
            .find(|s| s.visible == SheetVisible::Visible)
            .or_else(|| sheets.first())
            .cloned()
            .ok_or_else(|| fail(path, "工作簿中没有工作表", "the workbook has no worksheet"));
    };
    let w = wanted.trim();
    let found = sheets
        .iter()
        .find(|s| s.name == wanted)
        .or_else(|| {
            sheets
                .iter()
                .find(|s| s.name.trim().to_lowercase() == w.to_lowercase())
        })
        .or_else(|| {
            w.parse::<usize>()
                .ok()
                .filter(|&n| n >= 1)
                .and_then(|n| sheets.get(n - 1))
        });
    found.cloned().ok_or_else(|| {
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        let wanted = excerpt(wanted);
        fail(
            path,
            &format!(
                "没有名为“{wanted}”的工作表；工作簿中的工作表：{}",
                quoted_list(&names, Lang::Zh)
            ),
            &format!(
                "there is no sheet named \"{wanted}\"; the workbook's sheets are: {}",
                quoted_list(&names, Lang::En)
            ),
        )
    })
}

// ---------------------------------------------------------------------
// Cells to text

/// The text of a streamed cell.
fn ref_text<'s>(v: &'s DataRef<'_>) -> Cow<'s, str> {
    match v {
        DataRef::Int(i) => Cow::Owned(i.to_string()),
        DataRef::Float(f) => Cow::Owned(number_text(*f)),
        DataRef::String(s) => Cow::Borrowed(s.trim()),
        DataRef::SharedString(s) => Cow::Borrowed(s.trim()),
        DataRef::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        DataRef::DateTime(d) => Cow::Owned(datetime_text(d)),
        DataRef::DateTimeIso(s) => Cow::Owned(iso_datetime_text(s)),
        DataRef::DurationIso(s) => Cow::Owned(iso_duration_text(s)),
        DataRef::Error(e) => Cow::Owned(e.to_string()),
        DataRef::Empty => Cow::Borrowed(""),
    }
}

/// The text of a cell of a whole-sheet range.
fn data_text(v: &Data) -> Cow<'_, str> {
    match v {
        Data::Int(i) => Cow::Owned(i.to_string()),
        Data::Float(f) => Cow::Owned(number_text(*f)),
        Data::String(s) => Cow::Borrowed(s.trim()),
        Data::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        Data::DateTime(d) => Cow::Owned(datetime_text(d)),
        Data::DateTimeIso(s) => Cow::Owned(iso_datetime_text(s)),
        Data::DurationIso(s) => Cow::Owned(iso_duration_text(s)),
        Data::Error(e) => Cow::Owned(e.to_string()),
        Data::Empty => Cow::Borrowed(""),
    }
}

/// A number as Excel shows it: at most 15 significant digits, no `.0`.
pub(crate) fn number_text(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        // Whole numbers of at most 15 digits (and -0) are exact.
        return (v as i64).to_string();
    }
    let shortest = format!("{v}");
    let digits = shortest
        .bytes()
        .skip_while(|b| !matches!(b, b'1'..=b'9'))
        .filter(u8::is_ascii_digit)
        .count();
    if digits <= 15 {
        return shortest;
    }
    let rounded = format!("{v:.14e}").parse::<f64>().unwrap_or(v);
    fmt_number(rounded)
}

/// An Excel date, time or duration as text.
fn datetime_text(d: &ExcelDateTime) -> String {
    if d.is_duration() {
        // Hours, to the millisecond.
        let ms = (d.as_f64() * 86_400_000.0).round();
        return number_text(ms / 3_600_000.0);
    }
    let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
    let serial = d.as_f64();
    let has_time = (h, mi, s) != (0, 0, 0);
    if (0.0..1.0).contains(&serial) {
        format!("{h:02}:{mi:02}:{s:02}")
    } else if has_time {
        format!("{y:04}-{mo:02}-{day:02}T{h:02}:{mi:02}:{s:02}")
    } else {
        format!("{y:04}-{mo:02}-{day:02}")
    }
}

/// An ODS date: midnight dropped.
fn iso_datetime_text(s: &str) -> String {
    let s = s.trim();
    for suffix in ["T00:00:00.000", "T00:00:00"] {
        if let Some(d) = s.strip_suffix(suffix) {
            return d.to_string();
        }
    }
    s.to_string()
}

/// An ODS duration (`PT36H00M00S`, `P1DT2H`) as hours; other text as is.
fn iso_duration_text(s: &str) -> String {
    let t = s.trim();
    let parse = || -> Option<f64> {
        let rest = t.strip_prefix('P')?;
        let (days, time) = match rest.split_once('T') {
            Some((d, t)) => (d, t),
            None => (rest, ""),
        };
        let mut hours = 0.0;
        if !days.is_empty() {
            hours += days.strip_suffix('D')?.parse::<f64>().ok()? * 24.0;
        }
        let mut num = String::new();
        for ch in time.chars() {
            match ch {
                'H' | 'M' | 'S' => {
                    let v: f64 = num.parse().ok()?;
                    num.clear();
                    hours += match ch {
                        'H' => v,
                        'M' => v / 60.0,
                        _ => v / 3600.0,
                    };
                }
                c => num.push(c),
            }
        }
        num.is_empty().then_some(hours)
    };
    match parse() {
        Some(h) => number_text((h * 3_600_000.0).round() / 3_600_000.0),
        None => t.to_string(),
    }
}

/// A header cell on one line: a line break between Chinese characters
/// disappears, elsewhere it becomes a space.
fn header_text(s: &str) -> String {
    if !s.contains(['\n', '\r']) {
        return s.trim().to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_break = false;
    for ch in s.chars() {
        if ch == '\n' || ch == '\r' {
            pending_break = true;
            continue;
        }
        if pending_break {
            let before_ascii = out.chars().last().is_none_or(|c| c.is_ascii());
            if before_ascii && ch.is_ascii() && !out.is_empty() {
                out.push(' ');
            }
            pending_break = false;
        }
        out.push(ch);
    }
    out.trim().to_string()
}

// ---------------------------------------------------------------------
// The grid of filled cells

/// One row's cells in [`Grid::cells`].
#[derive(Clone, Copy)]
struct RowSpan {
    /// 0-based sheet row.
    number: u32,
    /// First cell of the row.
    first: u32,
}

/// A filled cell: its column and where its text is in the grid's text.
#[derive(Clone, Copy)]
struct CellAt {
    col: u32,
    start: u32,
    end: u32,
}

/// The filled cells of a sheet, compactly (12 bytes a cell besides its
/// text): rows in sheet order, each row's cells in one flat list.
#[derive(Default)]
struct Grid {
    rows: Vec<RowSpan>,
    cells: Vec<CellAt>,
    text: String,
    sorted: bool,
    started: bool,
}

impl Grid {
    fn push(&mut self, row: u32, col: u32, value: &str, path: &str) -> Result<(), ImportError> {
        if value.is_empty() {
            return Ok(());
        }
        if col >= SHEET_COLUMNS || row >= SHEET_ROWS {
            return Err(fail(
                path,
                &format!(
                    "工作表中有单元格位于第 {} 行第 {} 列，超出工作表范围（最多 {SHEET_ROWS} 行、{SHEET_COLUMNS} 列），文件已损坏或是恶意构造的",
                    u64::from(row) + 1,
                    u64::from(col) + 1
                ),
                &format!(
                    "the sheet has a cell at row {}, column {}, outside any sheet ({SHEET_ROWS} rows and {SHEET_COLUMNS} columns at most): the file is damaged or was crafted",
                    u64::from(row) + 1,
                    u64::from(col) + 1
                ),
            ));
        }
        if self.cells.len() >= MAX_CELLS {
            return Err(fail(
                path,
                &format!("工作表的非空单元格超过 {MAX_CELLS} 个，超出清单的合理大小"),
                &format!(
                    "the sheet has more than {MAX_CELLS} filled cells, more than an inventory can hold"
                ),
            ));
        }
        if self.text.len() + value.len() > MAX_SHEET_TEXT {
            return Err(fail(
                path,
                &format!(
                    "工作表的单元格文字合计超过 {} MB（在第 {} 行），超出清单的合理大小，可能是恶意构造的文件",
                    MAX_SHEET_TEXT >> 20,
                    u64::from(row) + 1
                ),
                &format!(
                    "the sheet's cells hold more than {} MB of text in all (reached at row {}), more than an inventory can hold: the file may have been made to exhaust memory",
                    MAX_SHEET_TEXT >> 20,
                    u64::from(row) + 1
                ),
            ));
        }
        if !self.started {
            self.started = true;
            self.sorted = true;
        }
        match self.rows.last() {
            Some(last) if last.number == row => {
                if self.cells.last().is_some_and(|prev| col <= prev.col) {
                    self.sorted = false;
                }
            }
            last => {
                if last.is_some_and(|l| l.number > row) {
                    self.sorted = false;
                }
                self.rows.push(RowSpan {
                    number: row,
                    first: self.cells.len() as u32,
                });
            }
        }
        // Within u32: the text is at most MAX_SHEET_TEXT bytes.
        let start = self.text.len() as u32;
        self.text.push_str(value);
        self.cells.push(CellAt {
            col,
            start,
            end: self.text.len() as u32,
        });
        Ok(())
    }

    fn push_range(&mut self, range: &calamine::Range<Data>, path: &str) -> Result<(), ImportError> {
        let Some((r0, c0)) = range.start() else {
            return Ok(());
        };
        for (r, c, v) in range.used_cells() {
            let text = data_text(v);
            self.push(r0 + r as u32, c0 + c as u32, &text, path)?;
        }
        Ok(())
    }

    /// The rows, sorted by row then column (the last of two cells at the
    /// same place wins). A sheet read in order (the usual case) is taken
    /// as it is, without a copy.
    fn into_table(self) -> Table {
        if self.sorted || self.cells.is_empty() {
            return Table {
                text: self.text,
                rows: self.rows,
                cells: self.cells,
                fills: Vec::new(),
            };
        }
        // Row, column and order of arrival of every cell.
        let mut order: Vec<(u32, u32, u32)> = Vec::with_capacity(self.cells.len());
        for (i, span) in self.rows.iter().enumerate() {
            let end = self
                .rows
                .get(i + 1)
                .map_or(self.cells.len(), |n| n.first as usize);
            for k in span.first as usize..end {
                order.push((span.number, self.cells[k].col, k as u32));
            }
        }
        order.sort_unstable();
        let mut rows: Vec<RowSpan> = Vec::new();
        let mut cells: Vec<CellAt> = Vec::with_capacity(order.len());
        for (i, &(row, col, k)) in order.iter().enumerate() {
            if order
                .get(i + 1)
                .is_some_and(|&(r, c, _)| (r, c) == (row, col))
            {
                // A later cell at the same place wins.
                continue;
            }
            if rows.last().is_none_or(|l| l.number != row) {
                rows.push(RowSpan {
                    number: row,
                    first: cells.len() as u32,
                });
            }
            cells.push(self.cells[k as usize]);
        }
        Table {
            text: self.text,
            rows,
            cells,
            fills: Vec::new(),
        }
    }
}

/// The filled cells by row, sorted.
struct Table {
    text: String,
    rows: Vec<RowSpan>,
    cells: Vec<CellAt>,
    /// Cells given the value of a cell merged down over them: row index
    /// and cell, sorted by row then column, none where a row has a cell.
    fills: Vec<(u32, CellAt)>,
}

impl Table {
    /// The cells of row `i` (an index into `rows`) as the file has them.
    fn own_cells(&self, i: usize) -> &[CellAt] {
        let first = self.rows[i].first as usize;
        let end = self
            .rows
            .get(i + 1)
            .map_or(self.cells.len(), |n| n.first as usize);
        &self.cells[first..end]
    }

    /// The cells of row `i`, merged-down values included, by column, with
    /// their text.
    fn row_cells(&self, i: usize) -> Vec<(u32, &str)> {
        let own = self.own_cells(i);
        let from = self.fills.partition_point(|&(r, _)| (r as usize) < i);
        let to = self.fills.partition_point(|&(r, _)| (r as usize) <= i);
        let fills = self.fills[from..to].iter().map(|(_, c)| c);
        let text = |c: &CellAt| (c.col, &self.text[c.start as usize..c.end as usize]);
        if from == to {
            return own.iter().map(text).collect();
        }
        let mut out: Vec<(u32, &str)> = own.iter().chain(fills).map(text).collect();
        out.sort_by_key(|&(c, _)| c);
        out
    }

    /// A row's cells with their text, owned.
    fn strings(&self, row: usize) -> Vec<(u32, String)> {
        self.row_cells(row)
            .into_iter()
            .map(|(c, t)| (c, t.to_string()))
            .collect()
    }

    /// The leftmost column row `i` has a cell in.
    fn first_col(&self, i: usize) -> Option<u32> {
        let own = self.own_cells(i).first().map(|c| c.col);
        let at = self.fills.partition_point(|&(r, _)| (r as usize) < i);
        let fill = self
            .fills
            .get(at)
            .filter(|&&(r, _)| r as usize == i)
            .map(|(_, c)| c.col);
        own.into_iter().chain(fill).min()
    }

    /// Copies the values of cells merged down over several rows into the
    /// rows of the block that have data of their own (the block's first
    /// column).
    fn fill_merged_down(&mut self, merges: &[Dimensions]) {
        let mut budget = MAX_CELLS;
        let mut fills = Vec::new();
        for m in merges {
            if m.end.0 <= m.start.0 {
                continue;
            }
            let (r0, col) = m.start;
            let Ok(top) = self.rows.binary_search_by_key(&r0, |r| r.number) else {
                continue;
            };
            let Some(&value) = self.own_cells(top).iter().find(|c| c.col == col) else {
                continue;
            };
            for i in top + 1..self.rows.len() {
                if self.rows[i].number > m.end.0 || budget == 0 {
                    break;
                }
                // Every row visited counts, not only the filled ones:
                // overlapping regions (which Excel never writes) must not
                // make this rows × regions.
                budget -= 1;
                if self
                    .own_cells(i)
                    .binary_search_by_key(&col, |c| c.col)
                    .is_err()
                {
                    fills.push((i as u32, CellAt { col, ..value }));
                }
            }
        }
        // The first region to fill a place wins.
        fills.sort_by_key(|&(r, c)| (r, c.col));
        fills.dedup_by_key(|&mut (r, c)| (r, c.col));
        self.fills = fills;
    }
}

/// Overlays `lower` on `upper`: a header block's lower cells win, and an
/// empty lower cell keeps the upper one.
fn overlay(upper: &[(u32, String)], lower: &[(u32, String)]) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = upper.to_vec();
    for (c, v) in lower {
        match out.binary_search_by_key(c, |(k, _)| *k) {
            Ok(i) => out[i].1 = v.clone(),
            Err(i) => out.insert(i, (*c, v.clone())),
        }
    }
    out
}

/// Whether header cells name both required columns, and how many known
/// columns they name.
fn names_columns(cells: &[(u32, String)]) -> (bool, usize) {
    let header: Vec<String> = cells.iter().map(|(_, v)| header_text(v)).collect();
    let mapping = detect_columns(&header);
    let has = |c: Column| mapping.contains(&Some(c));
    (
        has(Column::SiteId) && has(Column::Level),
        mapping.iter().flatten().count(),
    )
}

/// The header block (first and last row index) and its cells: see the
/// module documentation.
fn find_header(table: &Table) -> (usize, usize, Vec<(u32, String)>) {
    let searched = table.rows.len().min(HEADER_SEARCH_ROWS);
    for i in 0..searched {
        let mut cells = table.strings(i);
        let (ok, mut known) = names_columns(&cells);
        if !ok {
            continue;
        }
        let mut at = i;
        // A second header row continues the block when, laid over it, the
        // block still names the required columns and names more columns.
        while at + 1 < searched {
            let combined = overlay(&cells, &table.strings(at + 1));
            let (next_ok, next_known) = names_columns(&combined);
            if next_ok && next_known > known {
                at += 1;
                known = next_known;
                cells = combined;
            } else {
                break;
            }
        }
        return (i, at, cells);
    }
    (0, 0, table.strings(0))
}

/// Turns the filled cells into the importer's header and rows. Each row
/// costs what its filled cells cost, however wide the header.
fn grid_to_table(
    grid: Grid,
    merges: &[Dimensions],
    path: &str,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let mut table = grid.into_table();
    if table.rows.is_empty() {
        return Err(ImportError::Empty {
            path: path.to_string(),
        });
    }
    table.fill_merged_down(merges);
    let (first, last, header_cells) = find_header(&table);
    let left = (first..table.rows.len())
        .filter_map(|i| table.first_col(i))
        .min()
        .unwrap_or(0);
    let right = header_cells.last().map_or(left, |(c, _)| *c);
    let width = (right - left + 1) as usize;
    let mut header = vec![String::new(); width];
    for (c, v) in &header_cells {
        header[(c - left) as usize] = header_cell(&header_text(v));
    }
    let header_line = u64::from(table.rows[last].number) + 1;
    let table = &table;
    let data = (last + 1..table.rows.len()).map(move |i| {
        // Cells past the header's last column follow it as extra cells.
        let mut extra = width;
        let cells = table
            .row_cells(i)
            .into_iter()
            .map(|(c, text)| {
                let at = (c - left) as usize;
                if at < width {
                    (at, text)
                } else {
                    extra += 1;
                    (extra - 1, text)
                }
            })
            .collect();
        (
            u64::from(table.rows[i].number) + 1,
            SparseRow { cells, width },
        )
    });
    import_sparse_table(header, header_line, data, path, opts)
}

// ---------------------------------------------------------------------
// Zip limits

/// The entries of a zip archive with their declared unpacked sizes, read
/// from the central directory; `None` when it cannot be read (calamine then
/// reports the damage).
fn zip_entries(bytes: &[u8]) -> Option<Vec<(String, u64)>> {
    let u16_at = |at: usize| -> Option<u64> {
        bytes
            .get(at..at + 2)
            .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |at: usize| -> Option<u64> {
        bytes
            .get(at..at + 4)
            .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
    };
    let u64_at = |at: usize| -> Option<u64> {
        let b = bytes.get(at..at + 8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Some(u64::from_le_bytes(a))
    };
    // End of central directory: the last signature within 64 KiB + 22 of the end.
    let floor = bytes.len().saturating_sub(65_557);
    let eocd = (floor..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..i + 4] == *b"PK\x05\x06")?;
    let mut count = u16_at(eocd + 10)?;
    let mut offset = u32_at(eocd + 16)?;
    if (count == 0xFFFF || offset == 0xFFFF_FFFF) && eocd >= 20 {
        let loc = eocd - 20;
        if bytes.get(loc..loc + 4)? == b"PK\x06\x07" {
            let z = usize::try_from(u64_at(loc + 8)?).ok()?;
            if bytes.get(z..z + 4)? == b"PK\x06\x06" {
                count = u64_at(z + 32)?;
                offset = u64_at(z + 48)?;
            }
        }
    }
    if count as usize > MAX_ZIP_ENTRIES {
        return Some(vec![(String::new(), u64::MAX)]);
    }
    let mut at = usize::try_from(offset).ok()?;
    let mut out = Vec::with_capacity(count as usize);
    for _ in 0..count {
        if bytes.get(at..at + 4)? != b"PK\x01\x02" {
            return None;
        }
        let mut size = u32_at(at + 24)?;
        let name_len = u16_at(at + 28)? as usize;
        let extra_len = u16_at(at + 30)? as usize;
        let comment_len = u16_at(at + 32)? as usize;
        let name = bytes.get(at + 46..at + 46 + name_len)?;
        if size == 0xFFFF_FFFF {
            // Zip64: the real size is the first field of the extra block 0x0001.
            let mut e = at + 46 + name_len;
            let end = e + extra_len;
            while e + 4 <= end {
                let id = u16_at(e)?;
                let len = u16_at(e + 2)? as usize;
                if id == 1 {
                    size = u64_at(e + 4)?;
                    break;
                }
                e += 4 + len;
            }
        }
        out.push((String::from_utf8_lossy(name).into_owned(), size));
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(out)
}

/// Refuses archives whose parts would unpack to more than the limits.
fn check_zip_limits(entries: &[(String, u64)], path: &str) -> Result<(), ImportError> {
    for (name, size) in entries {
        let lower = name.to_ascii_lowercase();
        let is_sheet = lower.starts_with("xl/worksheets/");
        let limit = if is_sheet {
            MAX_SHEET_PART
        } else {
            MAX_OTHER_PART
        };
        if *size > limit {
            let name = excerpt(name);
            return Err(fail(
                path,
                &format!(
                    "工作簿解压后过大（其中“{name}”超过 {} MB），可能已损坏或是恶意构造的文件",
                    limit >> 20
                ),
                &format!(
                    "the workbook unpacks to too much data (part \"{name}\" is over {} MB): it is damaged or was made to exhaust memory",
                    limit >> 20
                ),
            ));
        }
    }
    Ok(())
}

/// The shared-string part of an `.xlsx` (name and declared size), if any.
fn shared_strings_entry(entries: &[(String, u64)]) -> Option<&(String, u64)> {
    entries
        .iter()
        .find(|(name, _)| name.to_ascii_lowercase().ends_with("sharedstrings.xml"))
}

/// What a look through a shared-string part found.
#[derive(Debug, Default, PartialEq)]
struct StringsScan {
    /// Bytes of XML read.
    bytes: u64,
    /// Strings (closing `si` tags).
    strings: u64,
    /// Longest string item, as XML bytes from one closing tag to the next.
    longest: u64,
    /// The `uniqueCount` the table declares (what calamine reserves).
    declared: Option<u64>,
}

/// Reads a shared-string part as a stream, counting its strings, without
/// keeping it. A read error ends the scan (calamine then reports it), and
/// so does passing a limit.
fn scan_shared_strings(mut part: impl std::io::Read) -> StringsScan {
    let mut scan = StringsScan::default();
    let mut buf = vec![0u8; 1 << 16];
    // The last bytes of the previous chunk, so that a tag split across two
    // chunks is found; `start` is the stream offset of `window[0]`.
    let mut window: Vec<u8> = Vec::with_capacity(buf.len() + 64);
    let mut start = 0u64;
    let mut last_end = 0u64;
    let mut head: Vec<u8> = Vec::new();
    loop {
        let n = match part.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if head.len() < 1 << 16 {
            head.extend_from_slice(&buf[..n.min((1 << 16) - head.len())]);
        }
        let seen = window.len();
        window.extend_from_slice(&buf[..n]);
        for at in memchr::memmem::find_iter(&window, b"si>") {
            // `</si>` or `</x:si>`; matches wholly inside the carried
            // bytes were counted with the previous chunk.
            let end = at + 3;
            if end <= seen || !closes_si(&window[..at]) {
                continue;
            }
            let end = start + end as u64;
            scan.strings += 1;
            scan.longest = scan.longest.max(end - last_end);
            last_end = end;
        }
        scan.bytes += n as u64;
        // Past a limit, reading on cannot change the verdict.
        if scan.bytes - last_end > MAX_SHARED_STRING_XML
            || scan.bytes + 32 * scan.strings > MAX_SHARED_STRINGS_MEMORY
            || scan.strings > MAX_SHARED_STRINGS
        {
            break;
        }
        let keep = window.len().min(64);
        start += (window.len() - keep) as u64;
        window.drain(..window.len() - keep);
    }
    scan.longest = scan.longest.max(scan.bytes - last_end);
    scan.declared = declared_count(&head);
    scan
}

/// Whether the bytes before an `si>` make it a closing tag: `</si>`, or
/// `</x:si>` with a namespace prefix.
fn closes_si(before: &[u8]) -> bool {
    match before.split_last() {
        Some((b'/', rest)) => rest.last() == Some(&b'<'),
        Some((b':', rest)) => {
            let name = rest
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
                .count();
            rest[..rest.len() - name].ends_with(b"</")
        }
        _ => false,
    }
}

/// The `uniqueCount` attribute of the table's opening tag, when given.
fn declared_count(head: &[u8]) -> Option<u64> {
    let at = memchr::memmem::find(head, b"uniqueCount=")? + b"uniqueCount=".len();
    let rest = head.get(at + 1..)?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    // Too many digits to fit a u64 is more than any limit.
    Some(
        std::str::from_utf8(&rest[..digits])
            .ok()?
            .parse()
            .unwrap_or(u64::MAX),
    )
}

/// Refuses an `.xlsx` whose shared strings would take more memory than an
/// inventory can need once calamine loads them (it loads them whole when
/// the workbook opens, and reserves room for the count they declare).
fn check_shared_strings(
    bytes: &[u8],
    entries: &[(String, u64)],
    path: &str,
) -> Result<(), ImportError> {
    let Some((name, _)) = shared_strings_entry(entries) else {
        return Ok(());
    };
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(part) = zip.by_name(name) else {
        return Ok(());
    };
    judge_strings(&scan_shared_strings(part), name, path)
}

/// The verdict on a scanned shared-string part named `name`.
fn judge_strings(scan: &StringsScan, name: &str, path: &str) -> Result<(), ImportError> {
    let too_many = |count: u64| {
        fail(
            path,
            &format!(
                "工作簿的共享字符串表有 {count} 项，超过 {MAX_SHARED_STRINGS} 项，可能已损坏或是恶意构造的文件"
            ),
            &format!(
                "the workbook's shared-string table holds {count} strings, more than {MAX_SHARED_STRINGS}: it is damaged or was made to exhaust memory"
            ),
        )
    };
    if let Some(declared) = scan.declared.filter(|&d| d > MAX_SHARED_STRINGS) {
        return Err(too_many(declared));
    }
    if scan.strings > MAX_SHARED_STRINGS {
        return Err(too_many(scan.strings));
    }
    if scan.longest > MAX_SHARED_STRING_XML {
        return Err(fail(
            path,
            &format!(
                "工作簿中有一个文本长达 {} MB（单元格最多 32767 个字符），可能已损坏或是恶意构造的文件",
                scan.longest >> 20
            ),
            &format!(
                "the workbook holds a text of {} MB (a cell holds at most 32,767 characters): it is damaged or was made to exhaust memory",
                scan.longest >> 20
            ),
        ));
    }
    let memory = scan.bytes + 32 * scan.strings;
    if memory > MAX_SHARED_STRINGS_MEMORY {
        let name = excerpt(name);
        return Err(fail(
            path,
            &format!(
                "工作簿的文本（共享字符串“{name}”）载入后约需 {} MB 内存，超过 {} MB 的上限",
                memory >> 20,
                MAX_SHARED_STRINGS_MEMORY >> 20
            ),
            &format!(
                "the workbook's texts (shared strings \"{name}\") would take about {} MB of memory once loaded, over the limit of {} MB",
                memory >> 20,
                MAX_SHARED_STRINGS_MEMORY >> 20
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(number_text(2000.0), "2000");
        assert_eq!(number_text(2.5), "2.5");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(123456789012.0), "123456789012");
        assert_eq!(number_text(1234.5600000000002), "1234.56");
    }

    /// A reader handing out `step` bytes at a time.
    struct Trickle<'a>(&'a [u8], usize);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(self.0.len()).min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn shared_strings_are_counted_across_chunk_boundaries() {
        let xml = br#"<?xml version="1.0"?><x:sst xmlns:x="m" count="9" uniqueCount="3"><x:si><x:t>a</x:t></x:si><si><t>bb</t></si><si/><si><r><t>c</t></r><r><t>si></t></r></si></x:sst>"#;
        for step in [1, 2, 3, 5, 7, 64, 1 << 20] {
            let scan = scan_shared_strings(Trickle(xml, step));
            assert_eq!(scan.bytes, xml.len() as u64, "step {step}");
            // Three closing tags; `si>` in text and `<si/>` are not strings.
            assert_eq!(scan.strings, 3, "step {step}");
            assert_eq!(scan.declared, Some(3), "step {step}");
            // Items run from one closing tag to the next (the first from
            // the start); the longest here is the first.
            let text = std::str::from_utf8(xml).unwrap();
            let first = text.find("</x:si>").unwrap() + 7;
            let second = text.find("</si>").unwrap() + 5;
            let third = text.rfind("</si>").unwrap() + 5;
            assert!(first > third - second && first > second - first);
            assert_eq!(scan.longest, first as u64, "step {step}");
            let tail = &xml[..text.find("<si/>").unwrap()];
            let scan = scan_shared_strings(Trickle(tail, step));
            assert_eq!((scan.strings, scan.longest), (2, first as u64));
        }
    }

    #[test]
    fn shared_string_limits() {
        let judge = |bytes: u64, strings: u64, longest: u64, declared: Option<u64>| {
            let scan = StringsScan {
                bytes,
                strings,
                longest,
                declared,
            };
            judge_strings(&scan, "xl/sharedStrings.xml", "a.xlsx").map_err(|e| e.to_string())
        };
        // A national inventory: 3 million strings in 200 MB.
        assert!(judge(200 << 20, 3_000_000, 40_000, Some(3_000_000)).is_ok());
        assert!(judge(0, 0, 0, None).is_ok());
        // Declared or counted beyond the limit.
        let e = judge(100, 1, 100, Some(MAX_SHARED_STRINGS + 1)).unwrap_err();
        assert!(
            e.contains("a.xlsx") && e.contains("20000001 strings"),
            "{e}"
        );
        assert!(judge(100, 1, 100, Some(MAX_SHARED_STRINGS)).is_ok());
        let e = judge(400 << 20, MAX_SHARED_STRINGS + 1, 100, None).unwrap_err();
        assert!(e.contains("20000001 strings"), "{e}");
        // One text too long for a cell.
        let e = judge(40 << 20, 2, MAX_SHARED_STRING_XML + 1, None).unwrap_err();
        assert!(e.contains("a text of 16 MB"), "{e}");
        assert!(judge(40 << 20, 3, MAX_SHARED_STRING_XML, None).is_ok());
        // Too much in all: 700 MB of text in 3 million strings.
        let e = judge(700 << 20, 3_000_000, 1000, None).unwrap_err();
        assert!(
            e.contains("about 791 MB") && e.contains("sharedStrings"),
            "{e}"
        );
        assert!(judge(MAX_SHARED_STRINGS_MEMORY - 32, 1, 1000, None).is_ok());
    }

    #[test]
    fn declared_counts() {
        assert_eq!(declared_count(br#"<sst uniqueCount="12">"#), Some(12));
        assert_eq!(declared_count(b"<sst uniqueCount='7'>"), Some(7));
        assert_eq!(declared_count(br#"<sst count="1">"#), None);
        assert_eq!(
            declared_count(br#"<sst uniqueCount="99999999999999999999999">"#),
            Some(u64::MAX)
        );
    }

    #[test]
    fn header_line_breaks() {
        assert_eq!(header_text("年度预算\n（元）"), "年度预算（元）");
        assert_eq!(header_text("annual\r\nbudget"), "annual budget");
        assert_eq!(header_text(" 网站\n标识码 "), "网站标识码");
    }

    #[test]
    fn ods_durations_and_dates() {
        assert_eq!(iso_duration_text("PT36H00M00S"), "36");
        assert_eq!(iso_duration_text("P1DT2H30M"), "26.5");
        assert_eq!(iso_duration_text("soon"), "soon");
        assert_eq!(iso_datetime_text("2024-03-01T00:00:00"), "2024-03-01");
        assert_eq!(
            iso_datetime_text("2024-03-01T08:30:00"),
            "2024-03-01T08:30:00"
        );
    }

    #[test]
    fn excel_dates() {
        use calamine::ExcelDateTimeType;
        let d = ExcelDateTime::new(45352.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&d), "2024-03-01");
        let d = ExcelDateTime::new(45352.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&d), "2024-03-01T12:00:00");
        let d = ExcelDateTime::new(0.25, ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&d), "06:00:00");
        let d = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(datetime_text(&d), "36");
    }

    #[test]
    fn garbage_is_not_a_zip_directory() {
        assert!(zip_entries(b"PK\x03\x04 nothing else").is_none());
        assert!(zip_entries(&[]).is_none());
    }
}
