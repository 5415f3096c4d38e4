//! From a table of cells to an [`Inventory`] and its [`ImportReport`],
//! following the row handling of the model: reject, repair or warn, and
//! report every case with its line.

use std::io::Write;
use std::path::Path;

use crate::i18n::Lang;
use crate::money::Money;
use rust_decimal::Decimal;

use super::columns::{Column, header_cell};
use super::derived::own_population;
use super::mapping::{ColumnMapping, ValueLookup, ValueMaps};
use super::model::{Inventory, Kind, LinkProblem, Site};
use super::report::{self, Finding, ImportReport, Issue, Severity};
use super::source::{self, ImportError, MAX_ROW_CELLS, MAX_ROWS};
use super::values::{self, NumberError};

/// Choices a planner can make about an import.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// The column of each header position, overriding header matching.
    pub mapping: Option<ColumnMapping>,
    /// What the file's own values mean: a level, kind or yes/no cell is
    /// looked up here before the importer's own aliases.
    pub values: ValueMaps,
    /// Count the distinct values of the level, kind and inspection-result
    /// columns into the report's [`ImportReport::values`] (for a mapping
    /// preview; costs a little per row).
    pub count_values: bool,
    /// For spreadsheets: the sheet to read (the first when `None`).
    pub sheet: Option<String>,
}

/// An imported inventory and its report.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The sites.
    pub inventory: Inventory,
    /// What was rejected, repaired or worth a look.
    pub report: ImportReport,
    /// The header as found in the file.
    pub header: Vec<String>,
    /// The column mapping used.
    pub mapping: ColumnMapping,
}

/// Matches each header to a column; a second header for the same column is
/// ignored.
pub fn detect_columns(header: &[String]) -> ColumnMapping {
    let mut seen = Vec::new();
    header
        .iter()
        .map(|h| {
            let c = Column::from_header(h)?;
            if seen.contains(&c) {
                None
            } else {
                seen.push(c);
                Some(c)
            }
        })
        .collect()
}

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
    import_bytes(&bytes, &name, opts)
}

/// Imports CSV text from bytes; `source` names the file in messages.
pub fn import_bytes(
    bytes: &[u8],
    source: &str,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let readers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_READERS);
    import_bytes_with(bytes, source, opts, readers, PARALLEL_FROM_BYTES)
}

/// [`import_bytes`] with `readers` threads for texts of `parallel_from`
/// bytes or more.
fn import_bytes_with(
    bytes: &[u8],
    source: &str,
    opts: &ImportOptions,
    readers: usize,
    parallel_from: usize,
) -> Result<Imported, ImportError> {
    let decoded = source::decode(bytes, source)?;
    let text: &str = &decoded.text;
    if text.trim().is_empty() {
        return Err(ImportError::Empty {
            path: source.to_string(),
        });
    }
    let delimiter = source::sniff_delimiter(text);
    // A row wider than any inventory is refused before the csv reader
    // makes room for its cells.
    if let Some((start, cells)) = source::row_over(text, delimiter, MAX_ROW_CELLS) {
        return Err(ImportError::TooManyCells {
            path: source.to_string(),
            line: source::LineCounter::new(text).line_at(start as u64),
            cells,
        });
    }
    let mut reader = Records::new(text.as_bytes(), delimiter);
    let mut record = csv::ByteRecord::new();
    let mut lines = source::LineCounter::new(text);
    // The header is the first line with anything in it.
    let (header, header_line) = loop {
        match reader.read(&mut record) {
            Ok(true) => {
                if is_blank(&TextRecord(&record)) {
                    continue;
                }
                let line = lines.line_at(Records::start(&record) as u64);
                let cells = TextRecord(&record);
                let header = (0..cells.count())
                    .map(|i| header_cell(cells.cell(i).unwrap_or("")))
                    .collect::<Vec<_>>();
                break (header, line);
            }
            Ok(false) => {
                return Err(ImportError::Empty {
                    path: source.to_string(),
                });
            }
            Err(e) => {
                return Err(ImportError::Io {
                    path: source.to_string(),
                    source: std::io::Error::other(e.to_string()),
                });
            }
        }
    };
    // The body starts after the header; the reader and its record (as
    // large as the header line) go before the header is matched.
    let body = reader.offset();
    drop((reader, record));
    let mut table = TableImport::new(header, header_line, source, opts)?;
    table.report.encoding = decoded.encoding.to_string();
    if decoded.replaced {
        table.push_issue(Issue {
            severity: Severity::Warning,
            line: 0,
            column: None,
            header: None,
            site_id: None,
            finding: Finding::EncodingReplaced {
                encoding: decoded.encoding.to_string(),
            },
            raw: None,
        });
    }
    let threads = (readers, parallel_from);
    read_body(&mut table, text, body, delimiter, &lines, threads).map_err(|e| ImportError::Io {
        path: source.to_string(),
        source: std::io::Error::other(e.to_string()),
    })?;
    // A quote never closed makes the csv reader swallow the rest of the
    // file into one cell.
    if let Some(line) = source::unclosed_quote_line(text, delimiter) {
        table.push_issue(Issue {
            severity: Severity::Error,
            line,
            column: None,
            header: None,
            site_id: None,
            finding: Finding::UnclosedQuote,
            raw: None,
        });
    }
    table.finish()
}

/// Files smaller than this are read on one thread.
const PARALLEL_FROM_BYTES: usize = 4 << 20;
/// Most threads reading one file.
const MAX_READERS: usize = 8;
/// Stretches a file is cut into per reading thread (small stretches let
/// the rows of one be taken in while the next ones are read).
const STRETCHES_PER_READER: usize = 8;
/// Largest stretch: read rows wait in memory until they are taken in, and
/// a row of a few bytes can become a few hundred (a rejected row with its
/// report entry), so stretches of a large file stay this small.
const MAX_STRETCH_BYTES: usize = 256 << 10;

/// Rows read from one stretch of a file.
struct Stretch {
    /// Where the first record read begins (the end of the text if none).
    first: usize,
    /// Where the first record not taken begins (the end of the text if
    /// every record to the end was taken).
    stop: usize,
    /// The rows taken, each with where its record begins and ends.
    rows: Vec<(ParsedRow, usize, usize)>,
}

/// Reads the data rows of `text` from byte `body` on into `table`.
///
/// A large file is cut into stretches at line breaks, read side by side
/// by several threads, each assuming a record starts where its stretch
/// does, while this thread takes in the rows of each stretch in file
/// order. A stretch is taken only when the one before it ended exactly
/// where it began; when a quoted cell spans a cut, the rest of the file
/// is read again on this thread. The outcome is the same as reading the
/// file front to back.
fn read_body(
    table: &mut TableImport,
    text: &str,
    body: usize,
    delimiter: u8,
    lines: &source::LineCounter<'_>,
    (readers, parallel_from): (usize, usize),
) -> Result<(), csv::Error> {
    let len = text.len().saturating_sub(body);
    if readers < 2 || len < parallel_from {
        let all = read_stretch(&table.parser, text, body, None, delimiter, lines.clone())?;
        table.sites.reserve(all.rows.len());
        table.index.reserve(all.rows.len());
        take_rows(table, all, text, delimiter);
        return Ok(());
    }
    // Cuts just after a line break, so each stretch is whole UTF-8 text.
    let parts = (readers * STRETCHES_PER_READER).max(len / MAX_STRETCH_BYTES);
    let mut cuts = vec![body];
    for k in 1..parts {
        let nominal = body + len / parts * k;
        let cut = memchr::memchr(b'\n', &text.as_bytes()[nominal..])
            .map_or(text.len(), |i| nominal + i + 1);
        if cut > cuts[cuts.len() - 1] && cut < text.len() {
            cuts.push(cut);
        }
    }
    // A line counter for each stretch, already at its start (one pass
    // over the text instead of one from the top per stretch).
    let mut walker = lines.clone();
    let counters: Vec<source::LineCounter<'_>> = cuts
        .iter()
        .map(|&cut| {
            walker.line_at(cut as u64);
            walker.clone()
        })
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let stop = std::sync::atomic::AtomicBool::new(false);
    // How many stretches this thread has taken in: readers stay at most
    // `ahead` stretches in front of it, so that read rows waiting to be
    // taken in do not pile up in memory.
    let ahead = readers + 1;
    let taken_in = (std::sync::Mutex::new(0usize), std::sync::Condvar::new());
    let halt = || {
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        taken_in.1.notify_all();
    };
    let (send, receive) = std::sync::mpsc::channel();
    // Emptied row lists, handed back to the readers: fresh memory costs a
    // page fault every 4 KB.
    let pool: std::sync::Mutex<Vec<Vec<(ParsedRow, usize, usize)>>> = Default::default();
    // The readers' copy (this thread's table needs its own while they run).
    let parser = table.parser.clone();
    let parser = &parser;
    let taken: Result<Option<usize>, csv::Error> = std::thread::scope(|scope| {
        for _ in 0..readers {
            let send = send.clone();
            let (next, stop, cuts, pool, taken_in) = (&next, &stop, &cuts, &pool, &taken_in);
            let counters = &counters;
            scope.spawn(move || {
                use std::sync::atomic::Ordering::Relaxed;
                // Should reading a stretch panic, the others stop instead
                // of waiting for this one (the scope then passes the panic
                // on; nothing half-read is used).
                let _halt = HaltOnPanic(stop, &taken_in.1);
                while !stop.load(Relaxed) {
                    let k = next.fetch_add(1, Relaxed);
                    let Some(&from) = cuts.get(k) else { break };
                    if let Ok(mut done) = taken_in.0.lock() {
                        while k >= *done + ahead && !stop.load(Relaxed) {
                            match taken_in.1.wait(done) {
                                Ok(d) => done = d,
                                Err(_) => break,
                            }
                        }
                    }
                    let until = cuts.get(k + 1).copied();
                    let rows = pool.lock().map_or_else(|_| None, |mut p| p.pop());
                    let read = read_stretch_into(
                        parser,
                        text,
                        (from, until),
                        delimiter,
                        counters[k].clone(),
                        rows.unwrap_or_default(),
                    );
                    if send.send((k, read)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        // Stretches arrive in any order and are taken in file order.
        let mut waiting: Vec<Option<Result<Stretch, csv::Error>>> =
            (0..cuts.len()).map(|_| None).collect();
        let mut expected = skip_breaks(text, body);
        let mut reserved = false;
        let mut k = 0;
        for (at, read) in receive.iter() {
            waiting[at] = Some(read);
            while let Some(read) = waiting.get_mut(k).and_then(Option::take) {
                let stretch = match read {
                    Ok(s) => s,
                    Err(e) => {
                        halt();
                        return Err(e);
                    }
                };
                if stretch.first != expected {
                    // A record ran over the cut.
                    halt();
                    return Ok(Some(expected));
                }
                if !reserved {
                    // Room for every row, once: this stretch's rows times
                    // the number of stretches.
                    let estimate = stretch.rows.len() * cuts.len();
                    table.sites.reserve(estimate);
                    table.index.reserve(estimate);
                    reserved = true;
                }
                expected = stretch.stop;
                let rows = take_rows(table, stretch, text, delimiter);
                if table.over_rows.is_some() {
                    // Past the most rows an inventory has: the rest is
                    // not read.
                    halt();
                    return Ok(None);
                }
                if let Ok(mut pool) = pool.lock() {
                    pool.push(rows);
                }
                k += 1;
                if let Ok(mut done) = taken_in.0.lock() {
                    *done = k;
                }
                taken_in.1.notify_all();
            }
        }
        Ok(None)
    });
    if let Some(from) = taken? {
        // Read the rest on this thread.
        let rest = read_stretch(&table.parser, text, from, None, delimiter, lines.clone())?;
        take_rows(table, rest, text, delimiter);
    }
    Ok(())
}

/// Stops the other readers when a reader thread unwinds.
struct HaltOnPanic<'a>(&'a std::sync::atomic::AtomicBool, &'a std::sync::Condvar);

impl Drop for HaltOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(true, std::sync::atomic::Ordering::Relaxed);
            self.1.notify_all();
        }
    }
}

/// The first byte at or after `at` that is not a line break: where a
/// reader at the start of a record at `at` finds the record (it skips
/// blank lines).
fn skip_breaks(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    at + bytes.get(at..).map_or(0, |rest| {
        rest.iter()
            .take_while(|&&b| matches!(b, b'\r' | b'\n'))
            .count()
    })
}

/// Hands a stretch's rows to the import in order; gives back the emptied
/// list.
fn take_rows(
    table: &mut TableImport,
    mut stretch: Stretch,
    text: &str,
    delimiter: u8,
) -> Vec<(ParsedRow, usize, usize)> {
    for (row, start, end) in stretch.rows.drain(..) {
        table.accept(row, || raw_cells(&text[start..end], delimiter));
    }
    stretch.rows
}

/// A record read first and thrown away (see [`Records`]).
const PRIMER: &[u8] = b"x\n";

/// A csv reader over `bytes` as the importer reads them: no header row
/// (the header is found by content), rows of any length, and offsets in
/// `bytes`.
///
/// The csv reader keeps two copies of the first record it reads (as its
/// "headers", even when told there are none): for a file that is one line
/// of 500 MB, a gigabyte. So it first reads a tiny record put in front.
struct Records<'a> {
    reader: csv::Reader<std::io::Chain<&'static [u8], &'a [u8]>>,
}

impl<'a> Records<'a> {
    fn new(bytes: &'a [u8], delimiter: u8) -> Self {
        use std::io::Read as _;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(PRIMER.chain(bytes));
        let _ = reader.read_byte_record(&mut csv::ByteRecord::new());
        Records { reader }
    }

    /// Reads the next record; false at the end.
    fn read(&mut self, record: &mut csv::ByteRecord) -> Result<bool, csv::Error> {
        self.reader.read_byte_record(record)
    }

    /// Where the reader was in `bytes` when it began `record` (it may be at
    /// the line breaks before it).
    fn start(record: &csv::ByteRecord) -> usize {
        record.position().map_or(0, |p| {
            usize::try_from(p.byte())
                .unwrap_or(usize::MAX)
                .saturating_sub(PRIMER.len())
        })
    }

    /// Where the reader is in `bytes`: after the last record read.
    fn offset(&self) -> usize {
        usize::try_from(self.reader.position().byte())
            .unwrap_or(usize::MAX)
            .saturating_sub(PRIMER.len())
    }
}

/// The cells of the one record in `text`, for a report.
fn raw_cells(text: &str, delimiter: u8) -> Vec<String> {
    let mut reader = Records::new(text.as_bytes(), delimiter);
    let mut record = csv::ByteRecord::new();
    match reader.read(&mut record) {
        Ok(true) => TextRecord(&record).raw(),
        _ => Vec::new(),
    }
}

/// Reads the records of `text` that begin at or after `from` and before
/// `until` (the end when `None`), assuming a record begins at `from`.
fn read_stretch(
    parser: &RowParser,
    text: &str,
    from: usize,
    until: Option<usize>,
    delimiter: u8,
    lines: source::LineCounter<'_>,
) -> Result<Stretch, csv::Error> {
    read_stretch_into(parser, text, (from, until), delimiter, lines, Vec::new())
}

/// [`read_stretch`] into a given (empty) row list.
fn read_stretch_into(
    parser: &RowParser,
    text: &str,
    (from, until): (usize, Option<usize>),
    delimiter: u8,
    mut lines: source::LineCounter<'_>,
    rows: Vec<(ParsedRow, usize, usize)>,
) -> Result<Stretch, csv::Error> {
    let mut reader = Records::new(&text.as_bytes()[from..], delimiter);
    let mut record = csv::ByteRecord::new();
    let mut stretch = Stretch {
        first: text.len(),
        stop: text.len(),
        rows,
    };
    let mut any = false;
    let mut filled = 0usize;
    while reader.read(&mut record)? {
        // The reader's offset may point at the line break before the
        // record (after CR LF): the record begins after it.
        let start = skip_breaks(text, from + Records::start(&record));
        if !any {
            stretch.first = start;
            any = true;
        }
        if until.is_some_and(|u| start >= u) {
            stretch.stop = start;
            return Ok(stretch);
        }
        let end = from + reader.offset();
        let line = lines.line_at(start as u64);
        let row = parser.parse_row(line, &TextRecord(&record));
        if !matches!(row, ParsedRow::Blank) {
            filled += 1;
        }
        stretch.rows.push((row, start, end));
        if filled > MAX_ROWS {
            // More rows than the import takes: they are refused when
            // taken in, and reading on would only use memory.
            stretch.stop = end;
            return Ok(stretch);
        }
    }
    Ok(stretch)
}

fn is_blank(record: &impl Row) -> bool {
    record.is_blank()
}

/// A row of text cells.
trait Row {
    /// The cell at `i`.
    fn cell(&self, i: usize) -> Option<&str>;
    /// Number of cells.
    fn count(&self) -> usize;
    /// True when no cell holds anything.
    fn is_blank(&self) -> bool {
        (0..self.count()).all(|i| self.cell(i).is_none_or(|c| c.trim().is_empty()))
    }
    /// True when a cell at `from` or after holds something.
    fn filled_from(&self, from: usize) -> bool {
        (from..self.count()).any(|i| self.cell(i).is_some_and(|c| !c.trim().is_empty()))
    }
    /// The cells as a report keeps a rejected row (the first ones, cut
    /// short: see [`report::raw_cells`], which looks at no more of them).
    fn raw(&self) -> Vec<String> {
        report::raw_cells((0..self.count()).map(|i| self.cell(i).unwrap_or("")))
    }
}

impl Row for csv::StringRecord {
    fn cell(&self, i: usize) -> Option<&str> {
        self.get(i)
    }
    fn count(&self) -> usize {
        self.len()
    }
}

/// A spreadsheet row given by its filled cells only, in increasing
/// position: the work on a row follows the cells it has, not the width
/// of the sheet (a header cell in column XFD makes every row 16,384 wide).
pub(crate) struct SparseRow<'a> {
    /// Position (0-based) and text of each filled cell, in order.
    pub cells: Vec<(usize, &'a str)>,
    /// Cells the row has at least (the header's width), filled or not.
    pub width: usize,
}

impl Row for SparseRow<'_> {
    fn cell(&self, i: usize) -> Option<&str> {
        match self.cells.binary_search_by_key(&i, |&(at, _)| at) {
            Ok(k) => Some(self.cells[k].1),
            Err(_) => (i < self.count()).then_some(""),
        }
    }
    fn count(&self) -> usize {
        self.cells
            .last()
            .map_or(0, |&(at, _)| at + 1)
            .max(self.width)
    }
    fn is_blank(&self) -> bool {
        self.cells.iter().all(|(_, c)| c.trim().is_empty())
    }
    fn filled_from(&self, from: usize) -> bool {
        let first = self.cells.partition_point(|&(at, _)| at < from);
        self.cells[first..]
            .iter()
            .any(|(_, c)| !c.trim().is_empty())
    }
}

/// A record the csv reader split out of text that is already known to be
/// UTF-8. Reading bytes skips the reader's second UTF-8 check of every
/// record (an eighth of the import's time on Chinese text).
struct TextRecord<'a>(&'a csv::ByteRecord);

impl Row for TextRecord<'_> {
    fn cell(&self, i: usize) -> Option<&str> {
        // SAFETY: the reader's input is a `&str` (after an ASCII primer,
        // see `Records`), and csv-core ends fields
        // only at ASCII bytes (delimiter, quote, CR, LF) and unescapes only
        // ASCII quotes, so every field is a whole run of UTF-8 characters.
        self.0
            .get(i)
            .map(|b| unsafe { std::str::from_utf8_unchecked(b) })
    }
    fn count(&self) -> usize {
        self.0.len()
    }
}

/// Imports an already-split table (used for spreadsheets): the header, the
/// line or row number it was on, and the data rows with theirs.
pub fn import_table<I>(
    header: Vec<String>,
    header_line: u64,
    rows: I,
    source: &str,
    opts: &ImportOptions,
) -> Result<Imported, ImportError>
where
    I: IntoIterator<Item = (u64, csv::StringRecord)>,
{
    import_rows(header, header_line, rows, source, opts)
}

/// [`import_table`] with rows given by their filled cells.
pub(crate) fn import_sparse_table<'a, I>(
    header: Vec<String>,
    header_line: u64,
    rows: I,
    source: &str,
    opts: &ImportOptions,
) -> Result<Imported, ImportError>
where
    I: IntoIterator<Item = (u64, SparseRow<'a>)>,
{
    import_rows(header, header_line, rows, source, opts)
}

/// The rows of a sheet (numbered as the sheet numbers them), any kind.
fn import_rows<R: Row, I: IntoIterator<Item = (u64, R)>>(
    header: Vec<String>,
    header_line: u64,
    rows: I,
    source: &str,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let mut table = TableImport::new(header, header_line, source, opts)?;
    table.report.location_is_row = true;
    table.parser.short_rows_are_cut = false;
    for (line, rec) in rows {
        table.push(line, &rec);
        if table.over_rows.is_some() {
            break;
        }
    }
    table.finish()
}

/// Column positions of one file.
#[derive(Clone)]
struct Positions {
    at: [Option<usize>; Column::ALL.len()],
}

impl Positions {
    fn get(&self, c: Column) -> Option<usize> {
        self.at[c as usize]
    }
}

/// What reading one row needs to know of the file: its header and where
/// each column is. Shared by the threads reading a large file.
#[derive(Clone)]
struct RowParser {
    header: Vec<String>,
    pos: Positions,
    /// Text files: a row with fewer cells than the header was cut short.
    /// (A spreadsheet row is as wide as its sheet.)
    short_rows_are_cut: bool,
    /// The planner's value maps.
    values: ValueLookup,
    /// Rows keep their level, kind and inspection-result cells for the
    /// census of values.
    count_values: bool,
}

/// A row's level, kind and inspection-result cells (trimmed), kept when
/// the import counts values.
type Counted = Option<Box<[String; 3]>>;

/// A data row read on its own, before it meets the rows above it.
enum ParsedRow {
    /// Nothing in it.
    Blank,
    /// Rejected for what it holds (no id, no or an unknown level).
    Rejected(Issue, Counted),
    /// A site, with what was repaired or noted in its cells, and its id
    /// again for the id index (made here, on a reading thread).
    Site {
        site: Site,
        issues: Vec<Issue>,
        key: String,
        counted: Counted,
    },
}

/// An import in progress: rows go in one at a time.
struct TableImport {
    parser: RowParser,
    mapping: ColumnMapping,
    sites: Vec<Site>,
    /// Position in `sites` of every id imported so far.
    index: super::model::IdIndex,
    report: ImportReport,
    /// The line of the first data row past [`MAX_ROWS`], if any.
    over_rows: Option<u64>,
}

impl TableImport {
    fn new(
        header: Vec<String>,
        header_line: u64,
        source: &str,
        opts: &ImportOptions,
    ) -> Result<Self, ImportError> {
        let mapping = match &opts.mapping {
            Some(m) => {
                let mut m = m.clone();
                m.resize(header.len(), None);
                m
            }
            None => detect_columns(&header),
        };
        let mut at = [None; Column::ALL.len()];
        for (i, c) in mapping.iter().enumerate() {
            if let Some(c) = c
                && at[*c as usize].is_none()
            {
                at[*c as usize] = Some(i);
            }
        }
        let pos = Positions { at };
        let missing: Vec<&'static str> = [Column::SiteId, Column::Level]
            .into_iter()
            .filter(|c| pos.get(*c).is_none())
            .map(Column::key)
            .collect();
        if !missing.is_empty() {
            return Err(ImportError::missing_columns(source, missing, header));
        }
        let mut report = ImportReport {
            source: source.to_string(),
            encoding: "UTF-8".into(),
            ..Default::default()
        };
        // Notes on the header (not counted); a file with thousands of
        // unknown columns gets the first ones noted, not thousands of notes.
        for (i, h) in header.iter().enumerate().take(MAX_HEADER_NOTES) {
            let finding = match mapping.get(i).copied().flatten() {
                Some(c) if pos.get(c) != Some(i) => Finding::DuplicateHeader {
                    header: h.clone(),
                    column: c.key().into(),
                },
                Some(_) => continue,
                None if opts.mapping.is_none() && Column::from_header(h).is_some() => {
                    Finding::DuplicateHeader {
                        header: h.clone(),
                        column: Column::from_header(h).map_or("", Column::key).into(),
                    }
                }
                None if h.trim().is_empty() => continue,
                None => Finding::IgnoredHeader { header: h.clone() },
            };
            report.add(Issue {
                severity: Severity::Info,
                line: header_line,
                column: Some(i + 1),
                header: Some(h.clone()),
                site_id: None,
                finding,
                raw: None,
            });
        }
        Ok(TableImport {
            parser: RowParser {
                header,
                pos,
                short_rows_are_cut: true,
                values: ValueLookup::new(&opts.values),
                count_values: opts.count_values,
            },
            mapping,
            sites: Vec::new(),
            index: Default::default(),
            report,
            over_rows: None,
        })
    }

    fn push_issue(&mut self, issue: Issue) {
        self.report.add(issue);
    }

    /// Reads one row and takes it in.
    fn push(&mut self, line: u64, rec: &impl Row) {
        let parsed = self.parser.parse_row(line, rec);
        self.accept(parsed, || rec.raw());
    }

    /// Takes in a row read by [`RowParser::parse_row`]: rejects a second
    /// site with an id already seen (`raw` gives its cells for the report).
    fn accept(&mut self, parsed: ParsedRow, raw: impl FnOnce() -> Vec<String>) {
        let line = match &parsed {
            ParsedRow::Blank => return,
            ParsedRow::Rejected(issue, _) => issue.line,
            ParsedRow::Site { site, .. } => site.line,
        };
        if self.report.rows_read >= MAX_ROWS {
            self.over_rows.get_or_insert(line);
            return;
        }
        let (site, issues, key) = match parsed {
            ParsedRow::Blank => return,
            ParsedRow::Rejected(issue, counted) => {
                if let Some(cells) = counted {
                    self.report.values.count(&cells);
                }
                self.report.rows_read += 1;
                self.report.add(issue);
                return;
            }
            ParsedRow::Site {
                site,
                issues,
                key,
                counted,
            } => {
                if let Some(cells) = counted {
                    self.report.values.count(&cells);
                }
                (site, issues, key)
            }
        };
        self.report.rows_read += 1;
        match self.index.entry(key) {
            std::collections::hash_map::Entry::Occupied(first) => {
                let finding = Finding::DuplicateSiteId {
                    id: site.id.clone(),
                    first_line: self.sites[*first.get()].line,
                };
                let mut issue = self.parser.issue(
                    Severity::Rejected,
                    site.line,
                    Some(Column::SiteId),
                    &site.id,
                    finding,
                    None,
                );
                issue.raw = Some(raw());
                self.report.add(issue);
                return;
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(self.sites.len());
            }
        }
        for issue in issues {
            self.report.add(issue);
        }
        self.sites.push(site);
    }

    fn finish(mut self) -> Result<Imported, ImportError> {
        if let Some(line) = self.over_rows {
            return Err(ImportError::TooManyRows {
                path: self.report.source.clone(),
                line,
            });
        }
        if self.report.rows_read == 0 {
            return Err(ImportError::NoRows {
                path: self.report.source.clone(),
            });
        }
        let (inventory, problems) = Inventory::link_indexed(
            std::mem::take(&mut self.sites),
            std::mem::take(&mut self.index),
        );
        let sites = inventory.sites();
        let parent_col = self.parser.pos.get(Column::ParentId);
        let site_issue = |i: usize, finding: Finding| Issue {
            severity: Severity::Warning,
            line: sites[i].line,
            column: parent_col.map(|c| c + 1),
            header: parent_col.and_then(|c| self.parser.header.get(c).cloned()),
            site_id: Some(sites[i].id.clone()),
            finding,
            raw: None,
        };
        let mut found = Vec::new();
        for p in problems {
            found.push(match p {
                LinkProblem::UnknownParent { site } => site_issue(
                    site,
                    Finding::UnknownParent {
                        parent: sites[site].parent_id.clone(),
                    },
                ),
                LinkProblem::Cycle { members, broken } => site_issue(
                    broken,
                    Finding::Cycle {
                        members: members.iter().map(|&m| sites[m].id.clone()).collect(),
                    },
                ),
                LinkProblem::LevelInversion { site } => {
                    let parent = sites[site].parent.map(|p| &sites[p]);
                    site_issue(
                        site,
                        Finding::LevelInversion {
                            parent: parent.map(|p| p.id.clone()).unwrap_or_default(),
                            parent_level: parent
                                .map(|p| p.level.key().to_string())
                                .unwrap_or_default(),
                            level: sites[site].level.key().to_string(),
                        },
                    )
                }
            });
        }
        let pop_col = self.parser.pos.get(Column::Population);
        let (_, clamped) = own_population(&inventory);
        for (i, children) in clamped {
            found.push(Issue {
                severity: Severity::Warning,
                line: sites[i].line,
                column: pop_col.map(|c| c + 1),
                header: pop_col.and_then(|c| self.parser.header.get(c).cloned()),
                site_id: Some(sites[i].id.clone()),
                finding: Finding::PopulationClamped {
                    population: sites[i].population,
                    children,
                },
                raw: None,
            });
        }
        for issue in found {
            self.report.add(issue);
        }
        self.report.note_unlisted();
        self.report.issues.sort_by_key(|i| i.line);
        self.report.sites = inventory.len();
        Ok(Imported {
            inventory,
            report: self.report,
            header: self.parser.header,
            mapping: self.mapping,
        })
    }
}

impl RowParser {
    /// Reads one row on its own.
    fn parse_row(&self, line: u64, rec: &impl Row) -> ParsedRow {
        if is_blank(rec) {
            return ParsedRow::Blank;
        }
        let cell = |c: Column| -> &str { self.pos.get(c).and_then(|i| rec.cell(i)).unwrap_or("") };
        let id = cell(Column::SiteId).trim();
        let level_raw = cell(Column::Level).trim();
        let level = if level_raw.is_empty() {
            None
        } else {
            self.values.level(level_raw)
        };
        let counted = self.count_values.then(|| {
            Box::new(
                [Column::Level, Column::Kind, Column::InspectionPassed]
                    .map(|c| cell(c).trim().to_string()),
            )
        });
        let reject = if id.is_empty() {
            Some((Finding::EmptySiteId, Column::SiteId))
        } else if level_raw.is_empty() {
            Some((Finding::MissingLevel, Column::Level))
        } else if level.is_none() {
            Some((
                Finding::UnknownLevel {
                    value: clip(level_raw),
                },
                Column::Level,
            ))
        } else {
            None
        };
        if let Some((finding, col)) = reject {
            let issue = self.issue(
                Severity::Rejected,
                line,
                Some(col),
                id,
                finding,
                Some(&|| rec.raw()),
            );
            return ParsedRow::Rejected(issue, counted);
        }
        let Some(level) = level else {
            return ParsedRow::Blank;
        };
        let mut bad: Vec<(Column, Finding)> = Vec::new();
        let name = cell(Column::Name).trim();
        if name.is_empty() {
            bad.push((Column::Name, Finding::NameDefaulted));
        }
        let mut site = Site {
            id: id.to_string(),
            name: if name.is_empty() { id } else { name }.to_string(),
            url: cell(Column::Url).trim().to_string(),
            parent_id: cell(Column::ParentId).trim().to_string(),
            region: cell(Column::Region).trim().to_string(),
            line,
            ..Site::new(String::new(), level)
        };
        let kind_raw = cell(Column::Kind).trim();
        if !kind_raw.is_empty() {
            match self.values.kind(kind_raw) {
                Some(k) => site.kind = k,
                None => bad.push((
                    Column::Kind,
                    Finding::UnknownKind {
                        value: clip(kind_raw),
                    },
                )),
            }
        }
        let number = |c: Column, bad: &mut Vec<(Column, Finding)>| -> Option<f64> {
            let raw = cell(c);
            match values::parse_number(raw) {
                Ok(v) => v,
                Err(e) => {
                    bad.push((c, number_finding(e, raw)));
                    None
                }
            }
        };
        let amount = |c: Column, bad: &mut Vec<(Column, Finding)>| -> Option<Decimal> {
            let raw = cell(c);
            match crate::money::parse_amount(raw) {
                Ok(v) => v,
                Err(e) => {
                    bad.push((c, number_finding(e, raw)));
                    None
                }
            }
        };
        let budget = amount(Column::AnnualBudget, &mut bad);
        site.missing.set(Column::AnnualBudget, budget.is_none());
        site.budget = budget.map_or(Money::ZERO, Money::from_decimal);
        let staff = amount(Column::Staff, &mut bad);
        site.missing.set(Column::Staff, staff.is_none());
        site.staff = staff.unwrap_or_default();
        site.reprint_hours = number(Column::ReprintHours, &mut bad);
        let score = number(Column::InspectionScore, &mut bad);
        site.inspection_score = match score {
            Some(s) if s > 100.0 => {
                bad.push((
                    Column::InspectionScore,
                    Finding::ScoreOutOfRange {
                        value: clip(cell(Column::InspectionScore)),
                    },
                ));
                None
            }
            s => s,
        };
        let whole = |c: Column, bad: &mut Vec<(Column, Finding)>| -> Option<u64> {
            let raw = cell(c);
            match values::parse_whole(raw) {
                Ok(v) => v,
                Err(e) => {
                    bad.push((c, number_finding(e, raw)));
                    None
                }
            }
        };
        let population = whole(Column::Population, &mut bad);
        site.missing.set(Column::Population, population.is_none());
        site.population = population.unwrap_or(0);
        site.monthly_visits = whole(Column::MonthlyVisits, &mut bad);
        let services = whole(Column::OnlineServices, &mut bad);
        site.missing.set(Column::OnlineServices, services.is_none());
        site.online_services = services.unwrap_or(0);
        let passed_raw = cell(Column::InspectionPassed).trim();
        if !passed_raw.is_empty() {
            match self.values.passed(passed_raw) {
                Some(b) => site.inspection_passed = Some(b),
                None => bad.push((
                    Column::InspectionPassed,
                    Finding::BadBoolean {
                        value: clip(passed_raw),
                    },
                )),
            }
        }
        let extra = rec.count().saturating_sub(self.header.len());
        let extra_filled = rec.filled_from(self.header.len());
        let mut issues = Vec::new();
        for (col, finding) in bad {
            let severity = if finding == Finding::NameDefaulted {
                Severity::Warning
            } else {
                Severity::Error
            };
            issues.push(self.issue(severity, line, Some(col), id, finding, None));
        }
        // A row cut short (a truncated file) is an error: its last values
        // are missing, not zero.
        if self.short_rows_are_cut && rec.count() < self.header.len() {
            let issue = self.issue(
                Severity::Error,
                line,
                None,
                id,
                Finding::ShortRow {
                    cells: rec.count(),
                    expected: self.header.len(),
                },
                None,
            );
            issues.push(issue);
        }
        if extra > 0 && extra_filled {
            let issue = self.issue(
                Severity::Info,
                line,
                None,
                id,
                Finding::ExtraCells { count: extra },
                None,
            );
            issues.push(issue);
        }
        ParsedRow::Site {
            key: site.id.clone(),
            site,
            issues,
            counted,
        }
    }

    fn issue(
        &self,
        severity: Severity,
        line: u64,
        column: Option<Column>,
        id: &str,
        finding: Finding,
        raw: Option<&dyn Fn() -> Vec<String>>,
    ) -> Issue {
        let col_index = column.and_then(|c| self.pos.get(c));
        Issue {
            severity,
            line,
            column: col_index.map(|i| i + 1),
            header: col_index.and_then(|i| self.header.get(i).cloned()),
            site_id: (!id.is_empty()).then(|| id.to_string()),
            finding,
            raw: raw.map(|r| r()),
        }
    }
}

/// Reads one site from its cells in [`Column::ALL`] order exactly as the
/// importer reads a row (the same numbers, levels, kinds and checks): the
/// site, or what is wrong with it, the worst finding first with its column.
pub(crate) fn parse_site_cells(
    cells: &[String; Column::ALL.len()],
    line: u64,
) -> Result<Site, (Option<Column>, Finding)> {
    let mut at = [None; Column::ALL.len()];
    for (i, slot) in at.iter_mut().enumerate() {
        *slot = Some(i);
    }
    let parser = RowParser {
        header: Column::ALL.iter().map(|c| c.key().to_string()).collect(),
        pos: Positions { at },
        short_rows_are_cut: false,
        values: ValueLookup::default(),
        count_values: false,
    };
    let record = csv::StringRecord::from(cells.to_vec());
    let column_of = |issue: &Issue| issue.column.and_then(|i| Column::ALL.get(i - 1).copied());
    match parser.parse_row(line, &record) {
        ParsedRow::Blank => Err((Some(Column::SiteId), Finding::EmptySiteId)),
        ParsedRow::Rejected(issue, _) => Err((column_of(&issue), issue.finding)),
        ParsedRow::Site { site, issues, .. } => match issues
            .into_iter()
            .find(|i| matches!(i.severity, Severity::Error | Severity::Rejected))
        {
            Some(issue) => Err((column_of(&issue), issue.finding)),
            None => Ok(site),
        },
    }
}

/// Most header notes (duplicate or unknown columns) in a report.
const MAX_HEADER_NOTES: usize = 1000;

/// A cell's value as quoted in a message: a short excerpt, so a 10 MB
/// cell does not become a 10 MB message.
fn clip(raw: &str) -> String {
    report::excerpt(raw)
}

fn number_finding(e: NumberError, raw: &str) -> Finding {
    let value = clip(raw);
    match e {
        NumberError::NotANumber => Finding::BadNumber { value },
        NumberError::Negative => Finding::NegativeNumber { value },
        NumberError::NotWhole => Finding::NotWhole { value },
        NumberError::TooLarge => Finding::TooLarge { value },
    }
}

/// Writes sites as an inventory CSV (UTF-8 with BOM, CRLF, Chinese or
/// English headers) that imports back to the same sites.
pub fn write_csv<W: Write>(sites: &[Site], out: W, lang: Lang) -> std::io::Result<()> {
    let mut out = out;
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(Column::ALL.iter().map(|c| c.header(lang)))?;
    let opt = |v: Option<f64>| v.map(fmt_number).unwrap_or_default();
    for s in sites {
        w.write_record([
            s.id.as_str(),
            s.name.as_str(),
            s.url.as_str(),
            s.level.in_file(lang),
            s.kind.in_file(lang),
            s.parent_id.as_str(),
            s.region.as_str(),
            &s.budget.decimal().normalize().to_string(),
            &s.staff.normalize().to_string(),
            &s.population.to_string(),
            &s.monthly_visits.map(|v| v.to_string()).unwrap_or_default(),
            &s.online_services.to_string(),
            &opt(s.inspection_score),
            match s.inspection_passed {
                Some(true) => lang.pick("合格", "pass"),
                Some(false) => lang.pick("不合格", "fail"),
                None => "",
            },
            &opt(s.reprint_hours),
        ])?;
    }
    w.flush()
}

/// Formats a number without a trailing `.0` and without losing precision.
pub fn fmt_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

impl Kind {
    /// True for portals.
    pub fn is_portal(self) -> bool {
        self == Kind::Portal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// One data row of a test file, as text pieces chosen to land on and
    /// across the cuts between stretches.
    fn row() -> impl Strategy<Value = String> {
        let id = prop_oneof![
            (0u32..40).prop_map(|n| format!("S{n}")),
            Just(String::new()),
        ];
        let name = prop_oneof![
            Just("网站".to_string()),
            Just("\"a, \"\"quoted\"\"\nname\r\nover lines\"".to_string()),
            Just("\"\n\n\"".to_string()),
            Just(String::new()),
        ];
        let level = prop_oneof![
            Just("county"),
            Just("县级"),
            Just("province"),
            Just("nowhere")
        ];
        let parent = prop_oneof![
            (0u32..40).prop_map(|n| format!("S{n}")),
            Just(String::new())
        ];
        let budget = prop_oneof![Just("12000"), Just("-5"), Just("x"), Just("\"1,000\"")];
        let extra = prop_oneof![Just(""), Just(",more"), Just(",,")];
        let eol = prop_oneof![Just("\n"), Just("\r\n"), Just("\n\n"), Just("\r\n\r\n")];
        (id, name, level, parent, budget, extra, eol).prop_map(
            |(id, name, level, parent, budget, extra, eol)| {
                format!("{id},{name},{level},{parent},{budget}{extra}{eol}")
            },
        )
    }

    /// What an import gives, in a comparable form (the id index is a hash
    /// map whose order depends on its capacity), with the values counted.
    fn read(text: &str, readers: usize) -> String {
        let opts = ImportOptions {
            count_values: true,
            ..Default::default()
        };
        match import_bytes_with(text.as_bytes(), "t.csv", &opts, readers, 0) {
            Ok(r) => format!(
                "{:?}\n{:?}\n{:?}",
                r.inventory.sites(),
                r.report,
                r.inventory
                    .sites()
                    .iter()
                    .map(|s| r.inventory.find(&s.id))
                    .collect::<Vec<_>>()
            ),
            Err(e) => format!("{e:?}"),
        }
    }

    proptest! {
        // No regression file (it would sit at the top of the repository):
        // a failure prints its smallest case.
        #![proptest_config(ProptestConfig {
            cases: 200,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Reading a file in stretches on several threads gives exactly
        /// what reading it front to back gives: the same sites, lines,
        /// rejected rows (with their cells) and issues, in order.
        #[test]
        fn stretches_read_like_one_pass(rows in prop::collection::vec(row(), 0..60), readers in 2usize..5, tail in prop_oneof![Just(""), Just("\"unclosed\nS1,x,county")]) {
            let text = format!("site_id,name,level,parent_id,annual_budget\r\n{}{tail}", rows.concat());
            prop_assert_eq!(read(&text, readers), read(&text, 1));
        }
    }

    #[test]
    fn a_quoted_cell_over_a_cut_is_read_again_whole() {
        // One cell of many lines spans every cut: each stretch after the
        // first starts inside it, so the rest is read on one thread.
        let cell = "line\n".repeat(400);
        let mut text = String::from("site_id,name,level\n");
        for i in 0..20 {
            text.push_str(&format!("S{i},\"{cell}\",county\n"));
        }
        let one = read(&text, 1);
        assert_eq!(read(&text, 4), one);
        let imported = import_bytes_with(text.as_bytes(), "t.csv", &Default::default(), 4, 0)
            .expect("imports");
        assert_eq!(imported.inventory.len(), 20);
        // Line numbers count the lines inside the cells.
        assert_eq!(imported.inventory.site(19).line, 2 + 19 * 401);
    }
}
