//! CSV inventories: text (CSV, or tab- or semicolon-separated, in any
//! supported encoding) read into the importer, on several threads for a
//! large file; and sites written back as CSV that reads back the same.

use std::io::Write;

use crate::i18n::Lang;

use super::columns::{Column, header_cell};
use super::import::{ImportOptions, Imported, ParsedRow, Row, RowParser, TableImport};
use super::model::Site;
use super::report::{Finding, Issue, Severity};
use super::source::{self, ImportError, MAX_ROW_CELLS, MAX_ROWS};
use super::split::{Record, Splitter};
use super::values::fmt_number;

/// Imports CSV text from bytes; `source` names the file in messages.
pub fn import_bytes(
    bytes: &[u8],
    source: &str,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let readers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_READERS);
    read_rows(bytes, source, opts, (readers, PARALLEL_FROM_BYTES))?.finish()
}

/// [`import_bytes`] of a file's bytes, which are freed (with the text
/// decoded from them) once every row is read, before the sites are
/// linked and checked: at a million sites the file's 137 MB would
/// otherwise be the peak's last straw.
pub(super) fn import_file(
    file: source::FileBytes,
    source: &str,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let readers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_READERS);
    let threads = (readers, PARALLEL_FROM_BYTES);
    let decoded = source::decode(&file, source)?;
    let table = match decoded.text {
        // Text decoded from another encoding: the bytes go before the
        // rows are read.
        std::borrow::Cow::Owned(text) => {
            let decoded = source::Decoded {
                text: std::borrow::Cow::Owned(text),
                encoding: decoded.encoding,
                replaced: decoded.replaced,
            };
            drop(file);
            read_decoded(&decoded, source, opts, threads)?
        }
        std::borrow::Cow::Borrowed(_) => {
            let table = read_decoded(&decoded, source, opts, threads)?;
            drop(decoded);
            drop(file);
            table
        }
    };
    table.finish()
}

/// [`import_bytes`] with `readers` threads for texts of `parallel_from`
/// bytes or more.
#[cfg(test)]
fn import_bytes_with(
    bytes: &[u8],
    source: &str,
    opts: &ImportOptions,
    threads: (usize, usize),
) -> Result<Imported, ImportError> {
    read_rows(bytes, source, opts, threads)?.finish()
}

/// Every row of the CSV text in `bytes` read into a table import, which
/// holds nothing of the text (what it keeps of a row is copied), ready
/// to be finished.
fn read_rows(
    bytes: &[u8],
    source: &str,
    opts: &ImportOptions,
    threads: (usize, usize),
) -> Result<TableImport, ImportError> {
    read_decoded(&source::decode(bytes, source)?, source, opts, threads)
}

/// [`read_rows`] of text already decoded.
fn read_decoded(
    decoded: &source::Decoded<'_>,
    source: &str,
    opts: &ImportOptions,
    (readers, parallel_from): (usize, usize),
) -> Result<TableImport, ImportError> {
    let text: &str = &decoded.text;
    let Head {
        mut table,
        body,
        delimiter,
        lines,
    } = read_head(text, source, opts, decoded.encoding, decoded.replaced)?;
    let too_wide = |start: usize, cells: usize| too_wide_at(text, source, start, cells);
    let first_too_wide = || first_too_wide(text, source, delimiter);
    let threads = (readers, parallel_from);
    let read = read_body(&mut table, text, body, delimiter, &lines, threads).map_err(|e| {
        ImportError::Io {
            path: source.to_string(),
            source: std::io::Error::other(e.to_string()),
        }
    })?;
    if let Some((start, cells)) = read.too_wide {
        return Err(too_wide(start, cells));
    }
    if table.is_full()
        && let Some(e) = first_too_wide()
    {
        // The rest was not read: a wide row in it comes first.
        return Err(e);
    }
    // A quote never closed makes the csv reader swallow the rest of the
    // file into one cell. (Most files have an even number of quotes, as
    // counted by the readers: then there is none.)
    let head_quotes = memchr::memchr_iter(b'"', &text.as_bytes()[..body]).count();
    let unclosed = match read.quotes {
        Some(n) if (n + head_quotes).is_multiple_of(2) => None,
        _ => source::unclosed_quote_line(text, delimiter),
    };
    if let Some(line) = unclosed {
        table.push_issue(Issue {
            severity: Severity::Error,
            line,
            column: None,
            header: None,
            site_id: None,
            finding: Finding::UnclosedQuote,
            raw: None,
            file: None,
        });
    }
    Ok(table)
}

/// The error for the row at byte `start` of `text` with `cells` cells,
/// more than an inventory row may have.
fn too_wide_at(text: &str, source: &str, start: usize, cells: usize) -> ImportError {
    ImportError::TooManyCells {
        path: source.to_string(),
        line: source::LineCounter::new(text).line_at(start as u64),
        cells,
    }
}

/// The error for the first row of `text` wider than an inventory row may
/// be, if there is one.
fn first_too_wide(text: &str, source: &str, delimiter: u8) -> Option<ImportError> {
    source::row_over(text, delimiter, MAX_ROW_CELLS)
        .map(|(at, cells)| too_wide_at(text, source, at, cells))
}

/// Names the encoding a file was read in, with a warning when characters
/// were replaced (or lines of two encodings mixed).
pub(super) fn set_encoding(table: &mut TableImport, encoding: &'static str, replaced: bool) {
    table.set_encoding(encoding);
    if replaced {
        table.push_issue(Issue {
            severity: Severity::Warning,
            line: 0,
            column: None,
            header: None,
            site_id: None,
            finding: Finding::EncodingReplaced {
                encoding: encoding.to_string(),
            },
            raw: None,
            file: None,
        });
    }
}

/// What the lines before the rows of a CSV text give: the table import
/// made for its header, where the rows begin, the delimiter, and the line
/// counter at the header.
pub(super) struct Head<'t> {
    pub(super) table: TableImport,
    pub(super) body: usize,
    pub(super) delimiter: u8,
    pub(super) lines: source::LineCounter<'t>,
}

/// Reads the header of `text` (decoded from `encoding`, with characters
/// replaced when `replaced`) and makes the table import for it.
pub(super) fn read_head<'t>(
    text: &'t str,
    source: &str,
    opts: &ImportOptions,
    encoding: &'static str,
    replaced: bool,
) -> Result<Head<'t>, ImportError> {
    if text.trim().is_empty() {
        return Err(ImportError::Empty {
            path: source.to_string(),
        });
    }
    let delimiter = source::sniff_delimiter(text);
    // A row wider than any inventory is refused before a reader makes
    // room for its cells: the rows up to the header here, the others by
    // the readers of the body. The first such row in the file is the one
    // reported, whatever else is wrong with the file.
    let too_wide = |start: usize, cells: usize| too_wide_at(text, source, start, cells);
    let first_too_wide = || first_too_wide(text, source, delimiter);
    let mut reader = Records::new(text.as_bytes(), delimiter);
    let mut record = csv::ByteRecord::new();
    let mut lines = source::LineCounter::new(text);
    // The header is the first line with anything in it.
    let (header, header_line) = loop {
        // The row the csv reader reads next (it skips line breaks).
        let at = skip_breaks(text, reader.offset());
        if at < text.len() {
            let (_, cells) = source::row_at(text.as_bytes(), at, delimiter, MAX_ROW_CELLS);
            if cells > MAX_ROW_CELLS {
                return Err(too_wide(at, cells));
            }
        }
        match reader.read(&mut record) {
            Ok(true) => {
                if TextRecord(&record).is_blank() {
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
    let mut table = match TableImport::new(header, header_line, source, opts) {
        Ok(table) => table,
        Err(e) => return Err(first_too_wide().unwrap_or(e)),
    };
    set_encoding(&mut table, encoding, replaced);
    Ok(Head {
        table,
        body,
        delimiter,
        lines,
    })
}

/// Files smaller than this are read on one thread.
pub(super) const PARALLEL_FROM_BYTES: usize = 4 << 20;
/// Most threads reading one file.
pub(super) const MAX_READERS: usize = 8;
/// Stretches a file is cut into per reading thread (small stretches let
/// the rows of one be taken in while the next ones are read).
const STRETCHES_PER_READER: usize = 8;
/// Largest stretch: read rows wait in memory until they are taken in, and
/// a row of a few bytes can become a few hundred (a rejected row with its
/// report entry), so stretches of a large file stay this small.
const MAX_STRETCH_BYTES: usize = 256 << 10;

/// Rows read from one stretch of a file.
pub(super) struct Stretch {
    /// Where the first record read begins (the end of the text if none).
    first: usize,
    /// Where the first record not taken begins (the end of the text if
    /// every record to the end was taken).
    stop: usize,
    /// The rows taken, each with where its record begins and ends.
    pub(super) rows: Vec<(ParsedRow, usize, usize)>,
    /// The record with more cells than an inventory row may have that
    /// reading stopped at: where it begins, and its cells.
    pub(super) too_wide: Option<(usize, usize)>,
    /// The line breaks from where reading began to the end of the stretch
    /// (lines in the stretch are counted from its start).
    pub(super) breaks: u64,
    /// The quotes in the same bytes; `None` when reading stopped early.
    pub(super) quotes: Option<usize>,
    /// True when the text ended inside a quoted cell.
    pub(super) open: bool,
}

/// What reading the body found about the file as a whole.
struct Body {
    /// The first record after the header with more cells than an
    /// inventory row may have: where it begins, and its cells.
    too_wide: Option<(usize, usize)>,
    /// The quotes in the body; `None` when not all were counted.
    quotes: Option<usize>,
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
///
/// Each reader counts the lines of its stretch from 0 at its start; this
/// thread adds the lines before the stretch (the line breaks of the
/// stretches before it, added up) as it takes the rows in.
fn read_body(
    table: &mut TableImport,
    text: &str,
    body: usize,
    delimiter: u8,
    lines: &source::LineCounter<'_>,
    (readers, parallel_from): (usize, usize),
) -> Result<Body, csv::Error> {
    let len = text.len().saturating_sub(body);
    if readers < 2 || len < parallel_from {
        let all = read_stretch(table.parser(), text, body, None, delimiter, lines.clone())?;
        table.reserve(all.rows.len());
        let found = Body {
            too_wide: all.too_wide,
            quotes: all.quotes,
        };
        take_rows(table, all, text, delimiter, 0);
        return Ok(found);
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
    // The line at the start of the body (the first stretch).
    let mut base = {
        let mut head = lines.clone();
        head.breaks_to(body);
        head.line()
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let stop = std::sync::atomic::AtomicBool::new(false);
    // How many stretches this thread has taken in: readers stay at most
    // `ahead` stretches in front of it, so that read rows waiting to be
    // taken in do not pile up in memory.
    let ahead = readers + 1;
    let taken_in = (std::sync::Mutex::new(0usize), std::sync::Condvar::new());
    // Under the lock: a reader between its look at `stop` and its wait
    // would otherwise miss the wake-up and wait for ever.
    let halt = || {
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let _held = taken_in.0.lock();
        taken_in.1.notify_all();
    };
    let (send, receive) = std::sync::mpsc::channel();
    // Emptied row lists, handed back to the readers: fresh memory costs a
    // page fault every 4 KB.
    let pool: std::sync::Mutex<Vec<Vec<(ParsedRow, usize, usize)>>> = Default::default();
    // The readers' copy (this thread's table needs its own while they run).
    let parser = table.parser().clone();
    let parser = &parser;
    let mut quotes = Some(0usize);
    let mut wide = None;
    let mut all_taken = false;
    let taken: Result<Option<usize>, csv::Error> = std::thread::scope(|scope| {
        for _ in 0..readers {
            let send = send.clone();
            let (next, stop, cuts, pool, taken_in) = (&next, &stop, &cuts, &pool, &taken_in);
            scope.spawn(move || {
                use std::sync::atomic::Ordering::Relaxed;
                // Should reading a stretch panic, the others stop instead
                // of waiting for this one (the scope then passes the panic
                // on; nothing half-read is used).
                let _halt = HaltOnPanic(stop, taken_in);
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
                        lines.placed(from, 0),
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
                if stretch.too_wide.is_some() {
                    // The first row too wide for an inventory: the file is
                    // refused.
                    wide = stretch.too_wide;
                    halt();
                    return Ok(None);
                }
                if !reserved {
                    // Room for every row, once: this stretch's rows times
                    // the number of stretches.
                    let estimate = stretch.rows.len() * cuts.len();
                    table.reserve(estimate);
                    reserved = true;
                }
                expected = stretch.stop;
                let (shift, breaks) = (base, stretch.breaks);
                quotes = quotes.zip(stretch.quotes).map(|(all, q)| all + q);
                let rows = take_rows(table, stretch, text, delimiter, shift);
                base += breaks;
                if table.is_full() {
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
        all_taken = k == cuts.len();
        Ok(None)
    });
    let Some(from) = taken? else {
        // Every stretch taken in (or reading stopped: then not all quotes
        // were counted).
        let all = wide.is_none() && !table.is_full() && all_taken;
        return Ok(Body {
            too_wide: wide,
            quotes: quotes.filter(|_| all),
        });
    };
    // Read the rest on this thread.
    let rest = read_stretch(table.parser(), text, from, None, delimiter, lines.clone())?;
    let found = Body {
        too_wide: rest.too_wide,
        quotes: None,
    };
    take_rows(table, rest, text, delimiter, 0);
    Ok(found)
}

/// Stops the other readers when a reader thread unwinds.
pub(super) struct HaltOnPanic<'a>(
    pub(super) &'a std::sync::atomic::AtomicBool,
    pub(super) &'a (std::sync::Mutex<usize>, std::sync::Condvar),
);

impl Drop for HaltOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(true, std::sync::atomic::Ordering::Relaxed);
            // Under the lock, as `halt`.
            let _held = self.1.0.lock();
            self.1.1.notify_all();
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
/// (`shift` is added to their lines).
pub(super) fn take_rows(
    table: &mut TableImport,
    mut stretch: Stretch,
    text: &str,
    delimiter: u8,
    shift: u64,
) -> Vec<(ParsedRow, usize, usize)> {
    table.preload(stretch.rows.iter().map(|(row, _, _)| row));
    for (mut row, start, end) in stretch.rows.drain(..) {
        row.shift_lines(shift);
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
pub(super) struct Records<'a> {
    reader: csv::Reader<std::io::Chain<&'static [u8], &'a [u8]>>,
}

impl<'a> Records<'a> {
    pub(super) fn new(bytes: &'a [u8], delimiter: u8) -> Self {
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
    pub(super) fn read(&mut self, record: &mut csv::ByteRecord) -> Result<bool, csv::Error> {
        self.reader.read_byte_record(record)
    }

    /// Where the reader was in `bytes` when it began `record` (it may be at
    /// the line breaks before it).
    pub(super) fn start(record: &csv::ByteRecord) -> usize {
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
    let mut record = Record::default();
    match Splitter::new(text, 0, delimiter).read(&mut record) {
        Some(_) => record.cells(text).raw(),
        None => Vec::new(),
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
pub(super) fn read_stretch_into(
    parser: &RowParser,
    text: &str,
    (from, until): (usize, Option<usize>),
    delimiter: u8,
    mut lines: source::LineCounter<'_>,
    rows: Vec<(ParsedRow, usize, usize)>,
) -> Result<Stretch, csv::Error> {
    let mut reader = Splitter::new(text, from, delimiter).with_limit(MAX_ROW_CELLS);
    let mut record = Record::default();
    let start_line = lines.line();
    let mut stretch = Stretch {
        first: text.len(),
        stop: text.len(),
        rows,
        too_wide: None,
        breaks: 0,
        quotes: None,
        open: false,
    };
    let mut any = false;
    let mut filled = 0usize;
    while let Some((start, end)) = reader.read(&mut record) {
        if !any {
            stretch.first = start;
            any = true;
        }
        if until.is_some_and(|u| start >= u) {
            stretch.stop = start;
            break;
        }
        let line = lines.line_at(start as u64);
        if !record.is_quoted() {
            // Its one line break, if any, ends it: counted without a
            // search through the record.
            lines.past_unquoted(end);
        }
        let row = parser.parse_row(line, &record.cells(text));
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
    if let Some((start, cells)) = reader.too_wide() {
        // Only a record that begins in the stretch is its own.
        if until.is_none_or(|u| start < u) {
            if !any {
                stretch.first = start;
            }
            stretch.too_wide = Some((start, cells));
            return Ok(stretch);
        }
        stretch.stop = start;
        if !any {
            stretch.first = start;
        }
    }
    let end = until.unwrap_or(text.len());
    lines.breaks_to(end);
    stretch.breaks = lines.line() - start_line;
    stretch.quotes = Some(memchr::memchr_iter(b'"', &text.as_bytes()[from..end]).count());
    stretch.open = reader.ended_in_quotes();
    Ok(stretch)
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

/// A CSV writer as Excel (and WPS) read CSV on a Chinese Windows: a UTF-8
/// byte-order mark first (else Excel reads GBK), CRLF line ends. Every
/// CSV Sitefold writes starts here.
pub fn excel_csv<W: Write>(mut out: W) -> std::io::Result<csv::Writer<W>> {
    out.write_all(EXCEL_BOM)?;
    Ok(excel_csv_builder().from_writer(out))
}

/// The CSV settings of [`excel_csv`] (CRLF), for a table written after
/// another into one file (after one byte-order mark, [`EXCEL_BOM`]).
pub fn excel_csv_builder() -> csv::WriterBuilder {
    let mut b = csv::WriterBuilder::new();
    b.terminator(csv::Terminator::CRLF);
    b
}

/// The UTF-8 byte-order mark Excel needs to read a CSV file as UTF-8.
pub const EXCEL_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes sites as an inventory CSV (UTF-8 with BOM, CRLF, Chinese or
/// English headers) that imports back to the same sites (a value missing
/// in the file they came from as an empty cell).
pub fn write_csv<W: Write>(sites: &[Site], out: W, lang: Lang) -> std::io::Result<()> {
    let mut w = excel_csv(out)?;
    w.write_record(Column::ALL.iter().map(|c| c.header(lang)))?;
    let opt = |v: Option<f64>| v.map(fmt_number).unwrap_or_default();
    for s in sites {
        // A value missing in the file is written as an empty cell, so that
        // it reads back as missing (counted as 0, shown as missing).
        let known = |c: Column, text: String| {
            if s.missing.has(c) {
                String::new()
            } else {
                text
            }
        };
        w.write_record([
            s.id.as_str(),
            s.name.as_str(),
            s.url.as_str(),
            s.level.in_file(lang),
            s.kind.in_file(lang),
            s.parent_id.as_str(),
            s.region.as_str(),
            &known(
                Column::AnnualBudget,
                s.budget.decimal().normalize().to_string(),
            ),
            &known(Column::Staff, s.staff.normalize().to_string()),
            &known(Column::Population, s.population.to_string()),
            &s.monthly_visits.map(|v| v.to_string()).unwrap_or_default(),
            &known(Column::OnlineServices, s.online_services.to_string()),
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
        match import_bytes_with(text.as_bytes(), "t.csv", &opts, (readers, 0)) {
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

        /// Every site is on the line its record begins on, counted from
        /// the top of the file (LF ends a line; a lone CR ends a record
        /// but not a line), on one thread or several.
        #[test]
        fn sites_are_on_the_lines_their_records_begin_on(
            rows in prop::collection::vec(row(), 0..60),
            lone_cr in prop::collection::vec(any::<bool>(), 60),
            readers in 1usize..4,
        ) {
            // Some rows end with a lone CR instead of LF.
            let body: String = rows
                .iter()
                .zip(&lone_cr)
                .map(|(r, &cr)| if cr && r.ends_with("\r\n") { format!("{}\r", &r[..r.len() - 2]) } else { r.clone() })
                .collect();
            let text = format!("site_id,name,level,parent_id,annual_budget\r\n{body}");
            let Ok(imported) =
                import_bytes_with(text.as_bytes(), "t.csv", &Default::default(), (readers, 0))
            else {
                // No row with a site in it.
                return Ok(());
            };
            // The records as the csv crate splits them, with the line each
            // begins on.
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let mut records = Vec::new();
            for rec in reader.byte_records() {
                let rec = rec.expect("a record");
                let mut at = rec.position().map_or(0, |p| p.byte() as usize);
                while matches!(text.as_bytes().get(at), Some(b'\r' | b'\n')) {
                    at += 1;
                }
                let line = 1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..at]).count() as u64;
                let id = String::from_utf8_lossy(rec.get(0).unwrap_or_default()).trim().to_string();
                records.push((id, line));
            }
            // Each site is on the line of a record with its id (a row
            // rejected before it may have the same id), in file order.
            let mut last = 0;
            for site in imported.inventory.sites() {
                let on = (site.id.to_string(), site.line);
                prop_assert!(records.contains(&on), "{:?} in {:?}", on, text);
                prop_assert!(site.line >= last);
                last = site.line;
            }
        }
    }

    /// The error of an import, as text.
    fn refused(text: &str, readers: usize) -> String {
        match import_bytes_with(text.as_bytes(), "t.csv", &Default::default(), (readers, 0)) {
            Ok(_) => "imported".into(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_row_too_wide_is_refused_at_its_line_in_any_stretch() {
        let wide = ",".repeat(MAX_ROW_CELLS);
        let mut text = String::from("site_id,name,level\n");
        for i in 0..300 {
            text.push_str(&format!("S{i},\"a\nb\",county\r\n\n"));
        }
        let before = text.clone();
        // Unquoted, and quoted (its cells counted as the csv reader
        // counts them), late in the file; a second one after it.
        for row in [format!("S9{wide}\n"), format!("\"x\"{wide}\"\n\"\n")] {
            let text = format!("{before}{row}{before}{row}S1,x,county\n");
            let (at, cells) = source::row_over(&text, b',', MAX_ROW_CELLS).expect("too wide");
            let line = source::LineCounter::new(&text).line_at(at as u64);
            assert_eq!(line, 2 + 300 * 3);
            let expected = format!(
                "t.csv:{line}: this row has {cells} cells, more than the {MAX_ROW_CELLS} an inventory row may have (as many as Excel's columns): this is not an inventory"
            );
            for readers in [1, 2, 3, 7] {
                assert_eq!(refused(&text, readers), expected, "{readers} readers");
            }
        }
        // Before the header, in the header, and after a header that
        // lacks a column: the wide row is what is reported.
        let blank_wide = ",".repeat(MAX_ROW_CELLS + 3);
        for text in [
            format!("\n{blank_wide}\nsite_id,level\nS1,county\n"),
            format!("site_id,level{wide}\nS1,county\n"),
            format!("site_id,name\nS1,x\n{before}{wide}\n"),
        ] {
            let (at, cells) = source::row_over(&text, b',', MAX_ROW_CELLS).expect("too wide");
            let line = source::LineCounter::new(&text).line_at(at as u64);
            for readers in [1, 2] {
                assert!(
                    refused(&text, readers)
                        .starts_with(&format!("t.csv:{line}: this row has {cells} cells")),
                    "{readers} readers: {}",
                    refused(&text, readers)
                );
            }
        }
    }

    #[test]
    fn an_unclosed_quote_is_found_with_the_quotes_counted_in_stretches() {
        let mut text = String::from("site_id,\"name\",level\n");
        for i in 0..200 {
            text.push_str(&format!("S{i},\"n\"\"{i}\",county\n"));
        }
        let even = text.clone();
        text.push_str("S900,\"open,county\nS901,x,county\n");
        for t in [&even, &text] {
            let one = read(t, 1);
            for readers in [2, 3, 5] {
                assert_eq!(read(t, readers), one, "{readers} readers");
            }
        }
        assert!(!read(&even, 3).contains("UnclosedQuote"));
        let imported = import_bytes_with(text.as_bytes(), "t.csv", &Default::default(), (3, 0))
            .expect("imports");
        let unclosed: Vec<u64> = imported
            .report
            .issues
            .iter()
            .filter(|i| i.finding == Finding::UnclosedQuote)
            .map(|i| i.line)
            .collect();
        assert_eq!(unclosed, vec![202]);
    }

    #[test]
    fn lines_after_cuts_are_the_lines_of_one_pass() {
        // Blank lines, CR LF, quoted line breaks and rejected rows near
        // every cut: each site and finding keeps its line.
        let mut text = String::from("\r\n\nsite_id,name,level,annual_budget\r\n");
        let mut expected = Vec::new();
        let mut line = 4;
        for i in 0..400 {
            match i % 5 {
                0 => {
                    text.push_str(&format!("S{i},\"a\r\nb\",county,x\r\n"));
                    expected.push((format!("S{i}"), line));
                    line += 2;
                }
                1 => {
                    text.push_str("\n\n");
                    line += 2;
                }
                2 => {
                    text.push_str(",nameless,county,1\n");
                    line += 1;
                }
                _ => {
                    text.push_str(&format!("S{i},n,county,-{i}\n"));
                    expected.push((format!("S{i}"), line));
                    line += 1;
                }
            }
        }
        for readers in [1, 2, 3, 4] {
            let imported =
                import_bytes_with(text.as_bytes(), "t.csv", &Default::default(), (readers, 0))
                    .expect("imports");
            let got: Vec<(String, u64)> = imported
                .inventory
                .sites()
                .iter()
                .map(|s| (s.id.to_string(), s.line))
                .collect();
            assert_eq!(got, expected, "{readers} readers");
            // Every bad budget is reported on its site's line.
            for issue in &imported.report.issues {
                if let Some(id) = &issue.site_id {
                    let at = expected.iter().find(|(e, _)| e == id).map(|e| e.1);
                    assert_eq!(Some(issue.line), at, "{readers} readers: {issue:?}");
                }
            }
        }
        assert_eq!(read(&text, 3), read(&text, 1));
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
        let imported = import_bytes_with(text.as_bytes(), "t.csv", &Default::default(), (4, 0))
            .expect("imports");
        assert_eq!(imported.inventory.len(), 20);
        // Line numbers count the lines inside the cells.
        assert_eq!(imported.inventory.site(19).line, 2 + 19 * 401);
    }
}
