//! Side tables: the small files a planner gets back about sites already
//! in the inventory (a prefecture's progress sheet, an inspection round),
//! read as a header and rows of text, each row with the number the
//! planner sees (the CSV line, the Excel row), so that every row can be
//! used or reported where it is.
//!
//! ```
//! use sitefold::inventory::{TableOptions, read_table_bytes};
//! let text = "某市网站关停进度表\nsite_id,状态,日期\n\nT1,已下线,2027-03-15\n";
//! let t = read_table_bytes(text.as_bytes(), "csv", "进度.csv", &TableOptions::default())
//!     .expect("a table");
//! assert_eq!((t.header_line, t.header[1].as_str()), (2, "状态"));
//! assert_eq!((t.rows[0].line, t.rows[0].cell(2)), (4, "2027-03-15"));
//! ```
//!
//! - Files: CSV (or tab- or semicolon-separated) text in UTF-8 with or
//!   without a byte-order mark, UTF-16 with one, or GBK/GB18030; or a
//!   workbook (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`), judged by its
//!   content first and its extension second, read through the inventory's
//!   spreadsheet code with its limits (zip bombs, damaged files, sheets
//!   filled to their last column) and its way with cells: numbers as
//!   Excel shows them, dates as ISO text (`2027-03-15`), cells merged
//!   down copied into their rows.
//! - The header: the first non-empty row, among the first 20, with a cell
//!   that names the key column ([`TableOptions::is_key`], the site id by
//!   default), so that title rows above the table are passed over; when
//!   none does, the first non-empty row, so that a message about missing
//!   columns can list what the file has.
//! - Rows: every non-empty row after the header, in file order, cells
//!   trimmed. A cell's place is its column counted from the table's
//!   leftmost column (CSV: from the first); in a workbook, filled cells
//!   right of the header's last column follow the row's other cells.
//! - Whole-file notes (bytes that were not valid text, a quote never
//!   closed) come as warnings in [`RawTable::issues`].
//!
//! Limits: those of an inventory file (2 GiB, 16,384 cells a row,
//! 2,000,000 rows, the spreadsheet limits), and at most
//! [`MAX_TABLE_CELLS`] cells kept in all.

use std::path::Path;

use crate::diag::FileIssue;
use crate::i18n::Text;

use super::columns::{Column, header_cell};
use super::csv_file::Records;
use super::source::{self, ImportError, MAX_ROW_CELLS, MAX_ROWS, Sniffed};

/// Most cells a side table keeps in all (header and rows).
pub const MAX_TABLE_CELLS: usize = super::spreadsheet::MAX_CELLS;

/// Non-empty rows searched for the header.
const HEADER_SEARCH_ROWS: usize = 20;

/// How to read a side table.
#[derive(Clone, Debug)]
pub struct TableOptions {
    /// For workbooks: the sheet to read, by name or 1-based position
    /// (default: the first visible worksheet).
    pub sheet: Option<String>,
    /// True for a header cell that names the table's key column: the
    /// header is the first row with such a cell.
    pub is_key: fn(&str) -> bool,
}

impl Default for TableOptions {
    fn default() -> TableOptions {
        TableOptions {
            sheet: None,
            is_key: is_site_id_header,
        }
    }
}

/// True for a header that names the site id (the inventory's names for it:
/// `site_id`, `网站标识码`, `编号`…).
pub fn is_site_id_header(h: &str) -> bool {
    Column::from_header(h) == Some(Column::SiteId)
}

/// One data row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawRow {
    /// The line (CSV: where the row begins) or row number (workbook) the
    /// planner sees, 1-based.
    pub line: u64,
    /// The cells, trimmed, by column; trailing empty cells left out.
    pub cells: Vec<String>,
}

impl RawRow {
    /// The text of cell `col` (empty when the row has none there).
    pub fn cell(&self, col: usize) -> &str {
        self.cells.get(col).map_or("", String::as_str)
    }
}

/// A side table as read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawTable {
    /// The file, as named in messages.
    pub source: String,
    /// What was read: the encoding (`UTF-8`, `GB18030`) or the format and
    /// sheet (`XLSX · 进度`).
    pub encoding: String,
    /// The header cells, trimmed (line breaks in a workbook's header cells
    /// removed).
    pub header: Vec<String>,
    /// The header's line or row number; 0 when the file has no non-empty
    /// row.
    pub header_line: u64,
    /// The data rows, in file order.
    pub rows: Vec<RawRow>,
    /// Notes about the whole file (warnings).
    pub issues: Vec<FileIssue>,
}

impl RawTable {
    /// The first column whose header `names` accepts.
    pub fn column(&self, names: impl Fn(&str) -> bool) -> Option<usize> {
        self.header.iter().position(|h| names(h))
    }
}

/// Reads a side table from a file (see the module documentation).
pub fn read_table(path: &Path, opts: &TableOptions) -> Result<RawTable, ImportError> {
    let bytes = source::read_file(path)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    read_table_bytes(&bytes, &ext, &path.display().to_string(), opts)
}

/// Reads a side table from bytes; `ext` is the file's extension (lower
/// case, without the dot) and `source` names it in messages.
pub fn read_table_bytes(
    bytes: &[u8],
    ext: &str,
    source: &str,
    opts: &TableOptions,
) -> Result<RawTable, ImportError> {
    let workbook = matches!(source::sniff(bytes), Sniffed::Zip | Sniffed::Ole)
        || super::open::SPREADSHEET_EXTENSIONS.contains(&ext);
    if workbook {
        read_workbook(bytes, ext, source, opts)
    } else {
        read_text(bytes, source, opts)
    }
}

/// Collects rows, finds the header and keeps count of the cells.
struct Collector<'a> {
    source: &'a str,
    is_key: fn(&str) -> bool,
    /// Non-empty rows before the header is found (at most
    /// [`HEADER_SEARCH_ROWS`]).
    before: Vec<RawRow>,
    header: Option<RawRow>,
    rows: Vec<RawRow>,
    cells: usize,
}

impl<'a> Collector<'a> {
    fn new(source: &'a str, is_key: fn(&str) -> bool) -> Self {
        Collector {
            source,
            is_key,
            before: Vec::new(),
            header: None,
            rows: Vec::new(),
            cells: 0,
        }
    }

    /// Takes a row (trimmed cells); blank rows are passed over.
    fn push(&mut self, line: u64, mut cells: Vec<String>) -> Result<(), ImportError> {
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        if cells.is_empty() {
            return Ok(());
        }
        self.cells += cells.len();
        if self.cells > MAX_TABLE_CELLS {
            return Err(ImportError::TableTooLarge {
                path: self.source.to_string(),
                line,
            });
        }
        let row = RawRow { line, cells };
        if self.header.is_some() {
            if self.rows.len() >= MAX_ROWS {
                return Err(ImportError::TooManyRows {
                    path: self.source.to_string(),
                    line,
                });
            }
            self.rows.push(row);
            return Ok(());
        }
        let is_key = self.is_key;
        if row.cells.iter().any(|c| is_key(c)) {
            self.header = Some(row);
            self.before.clear();
            return Ok(());
        }
        self.before.push(row);
        if self.before.len() >= HEADER_SEARCH_ROWS {
            // No header among the first rows: the first is the header.
            self.settle();
        }
        Ok(())
    }

    /// The first row becomes the header, the others data rows.
    fn settle(&mut self) {
        if self.header.is_none() && !self.before.is_empty() {
            let mut before = std::mem::take(&mut self.before).into_iter();
            self.header = before.next();
            self.rows.extend(before);
        }
    }

    fn finish(mut self, encoding: String, issues: Vec<FileIssue>) -> RawTable {
        self.settle();
        let (header, header_line) = self.header.map_or((Vec::new(), 0), |h| {
            (h.cells.iter().map(|c| header_cell(c)).collect(), h.line)
        });
        RawTable {
            source: self.source.to_string(),
            encoding,
            header,
            header_line,
            rows: self.rows,
            issues,
        }
    }
}

/// A CSV side table.
fn read_text(bytes: &[u8], source: &str, opts: &TableOptions) -> Result<RawTable, ImportError> {
    let decoded = source::decode(bytes, source)?;
    let text: &str = &decoded.text;
    if text.trim().is_empty() {
        return Err(ImportError::Empty {
            path: source.to_string(),
        });
    }
    let delimiter = source::sniff_delimiter(text);
    if let Some((start, cells)) = source::row_over(text, delimiter, MAX_ROW_CELLS) {
        return Err(ImportError::TooManyCells {
            path: source.to_string(),
            line: source::LineCounter::new(text).line_at(start as u64),
            cells,
        });
    }
    let mut issues = Vec::new();
    if decoded.replaced {
        issues.push(FileIssue::warning(
            source,
            0,
            Text::new(
                format!(
                    "文件中有无法按 {} 识别的字节，已替换为 �；请检查这些行的文字",
                    decoded.encoding
                ),
                format!(
                    "some bytes are not valid {} and were replaced with �: check the text of those lines",
                    decoded.encoding
                ),
            ),
        ));
    }
    let mut reader = Records::new(text.as_bytes(), delimiter);
    let mut record = csv::ByteRecord::new();
    let mut lines = source::LineCounter::new(text);
    let mut rows = Collector::new(source, opts.is_key);
    loop {
        match reader.read(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(ImportError::Io {
                    path: source.to_string(),
                    source: std::io::Error::other(e.to_string()),
                });
            }
        }
        let line = lines.line_at(Records::start(&record) as u64);
        let cells = record
            .iter()
            .map(|c| String::from_utf8_lossy(c).trim().to_string())
            .collect();
        rows.push(line, cells)?;
    }
    if let Some(line) = source::unclosed_quote_line(text, delimiter) {
        issues.push(FileIssue::warning(
            source,
            line,
            Text::new(
                "此行的引号没有闭合，其后各行都被读进了同一个单元格；请补上引号",
                "a quote opened on this line is never closed, so the lines after it were read into one cell: close the quote",
            ),
        ));
    }
    Ok(rows.finish(decoded.encoding.to_string(), issues))
}

/// A workbook side table.
fn read_workbook(
    bytes: &[u8],
    ext: &str,
    source: &str,
    opts: &TableOptions,
) -> Result<RawTable, ImportError> {
    let sheet = super::spreadsheet::sheet_rows(bytes, ext, source, opts.sheet.as_deref())?;
    if sheet.len() == 0 {
        return Err(ImportError::Empty {
            path: source.to_string(),
        });
    }
    // The header row, to know where the table starts and ends.
    let is_key = opts.is_key;
    let searched = sheet.len().min(HEADER_SEARCH_ROWS);
    let header_at = (0..searched)
        .find(|&i| {
            sheet
                .cells(i)
                .iter()
                .any(|(_, t)| is_key(&super::spreadsheet::header_text(t)))
        })
        .unwrap_or(0);
    let left = (header_at..sheet.len())
        .filter_map(|i| sheet.first_col(i))
        .min()
        .unwrap_or(0);
    let width = sheet
        .cells(header_at)
        .last()
        .map_or(0, |(c, _)| (c - left) as usize + 1);
    let mut rows = Collector::new(source, is_key);
    for i in header_at..sheet.len() {
        let filled = sheet.cells(i);
        // As wide as its last filled cell within the header (the work a
        // row costs follows its filled cells, as for an inventory).
        let within = filled
            .iter()
            .map(|&(c, _)| (c - left) as usize)
            .filter(|&at| at < width)
            .max()
            .map_or(0, |at| at + 1);
        let mut cells = vec![String::new(); within];
        for (c, text) in filled {
            let at = (c - left) as usize;
            let text = if i == header_at {
                super::spreadsheet::header_text(text)
            } else {
                text.trim().to_string()
            };
            if at < width {
                cells[at] = text;
            } else {
                // Right of the header: after the row's other cells.
                cells.resize(width.max(cells.len()), String::new());
                cells.push(text);
            }
        }
        rows.push(sheet.number(i), cells)?;
    }
    Ok(rows.finish(sheet.described, Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> RawTable {
        read_table_bytes(text.as_bytes(), "csv", "t.csv", &TableOptions::default())
            .expect("a table")
    }

    fn lines(t: &RawTable) -> Vec<(u64, Vec<&str>)> {
        t.rows
            .iter()
            .map(|r| (r.line, r.cells.iter().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn csv_rows_keep_their_lines() {
        let t =
            read("\u{feff}标题\r\n\r\n编号,状态\r\nA, 已下线 ,\r\n\r\n\"B\nb\",x\r\n,\r\nC\r\n");
        assert_eq!(t.header, vec!["编号", "状态"]);
        assert_eq!(t.header_line, 3);
        assert_eq!(t.encoding, "UTF-8");
        assert_eq!(
            lines(&t),
            vec![
                (4, vec!["A", "已下线"]),
                (6, vec!["B\nb", "x"]),
                (9, vec!["C"]),
            ]
        );
        assert!(t.issues.is_empty());
        assert_eq!(t.column(|h| h == "状态"), Some(1));
        assert_eq!(t.rows[2].cell(5), "");
    }

    #[test]
    fn gbk_tabs_and_a_table_without_a_key_column() {
        let (gbk, _, _) = encoding_rs::GBK.encode("网站标识码\t状态\nT1\t已完成\n");
        let t = read_table_bytes(&gbk, "txt", "t.txt", &TableOptions::default()).expect("table");
        assert_eq!(t.encoding, "GB18030");
        assert_eq!(t.header, vec!["网站标识码", "状态"]);
        assert_eq!(lines(&t), vec![(2, vec!["T1", "已完成"])]);
        // No site id anywhere: the first row is the header.
        let t = read("a,b\n1,2\n");
        assert_eq!((t.header_line, t.header.len(), t.rows.len()), (1, 2, 1));
        let only_title = read("进度表\n");
        assert_eq!((only_title.header_line, only_title.rows.len()), (1, 0));
    }

    #[test]
    fn whole_file_problems() {
        for text in ["", " \n\n"] {
            let e = read_table_bytes(text.as_bytes(), "csv", "t.csv", &TableOptions::default());
            assert!(matches!(e, Err(ImportError::Empty { .. })), "{text:?}");
        }
        let wide = format!("site_id\n{}\n", ",".repeat(MAX_ROW_CELLS));
        let e = read_table_bytes(wide.as_bytes(), "csv", "t.csv", &TableOptions::default());
        assert!(
            matches!(e, Err(ImportError::TooManyCells { line: 2, .. })),
            "{e:?}"
        );
        let t = read("site_id,note\nA,\"open\nB,x\n");
        assert_eq!(t.issues.len(), 1);
        assert_eq!(t.issues[0].line, 2);
        assert!(!t.issues[0].is_error);
        let t = read_table_bytes(
            b"site_id,note\nA,\xff\xfe bad\n",
            "csv",
            "t.csv",
            &TableOptions::default(),
        )
        .expect("table");
        assert!(t.issues[0].en.contains("replaced"), "{:?}", t.issues);
    }
}
