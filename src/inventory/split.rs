//! CSV text split into records in place: the cells of a record are
//! positions in the text, found with `memchr`, and only a record with a
//! quote in it is copied (unquoted). Records and cells are exactly the
//! csv crate's (RFC 4180 with `""` inside quotes, CR, LF or CR LF ending
//! a record, blank lines skipped; a test checks it against the crate).

/// One record's cells.
#[derive(Default)]
pub(super) struct Record {
    /// Where each cell begins and ends: in the text read, or in
    /// `unquoted` for a record with quotes.
    bounds: Vec<(usize, usize)>,
    /// The cells of a record with quotes, unquoted, one after another.
    unquoted: String,
    /// True when the cells are in `unquoted`.
    quoted: bool,
}

impl Record {
    /// True when the record had a quote in it (its cells may then hold
    /// line breaks); false when it is one line.
    pub(super) fn is_quoted(&self) -> bool {
        self.quoted
    }

    /// The cells of this record read from `text`.
    pub(super) fn cells<'a>(&'a self, text: &'a str) -> Cells<'a> {
        Cells {
            from: if self.quoted { &self.unquoted } else { text },
            bounds: &self.bounds,
        }
    }
}

/// A record's cells as text.
pub(super) struct Cells<'a> {
    from: &'a str,
    bounds: &'a [(usize, usize)],
}

impl super::import::Row for Cells<'_> {
    fn cell(&self, i: usize) -> Option<&str> {
        // Cells begin and end at ASCII bytes (a delimiter, a quote, a line
        // break) or at the ends of the text: always between characters.
        self.bounds.get(i).and_then(|&(a, b)| self.from.get(a..b))
    }
    fn count(&self) -> usize {
        self.bounds.len()
    }
}

/// Reads the records of a text from a position on.
pub(super) struct Splitter<'t> {
    text: &'t str,
    at: usize,
    delimiter: u8,
    /// Most cells a record may have (see [`Splitter::with_limit`]).
    limit: usize,
    /// The record found with more than `limit` cells: where it begins and
    /// how many cells it has.
    too_wide: Option<(usize, usize)>,
    /// True when the text ended inside a quoted cell.
    open: bool,
}

impl<'t> Splitter<'t> {
    /// A reader of `text` from byte `from` on, which must be where a record
    /// begins (or the line breaks before one).
    pub(super) fn new(text: &'t str, from: usize, delimiter: u8) -> Self {
        Splitter {
            text,
            at: from.min(text.len()),
            delimiter,
            limit: usize::MAX,
            too_wide: None,
            open: false,
        }
    }

    /// This reader refusing a record of more than `limit` cells before it
    /// makes room for them: [`Splitter::read`] stops there, and
    /// [`Splitter::too_wide`] says where it begins and how many cells it
    /// has (counted as [`super::source::row_over`] counts them).
    pub(super) fn with_limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    /// The record of more than the limit's cells the reader stopped at.
    pub(super) fn too_wide(&self) -> Option<(usize, usize)> {
        self.too_wide
    }

    /// True when the text ended inside a quoted cell: for a piece of a
    /// file that ends with a line break, the cell runs on into the next.
    pub(super) fn ended_in_quotes(&self) -> bool {
        self.open
    }

    /// Reads the next record into `record`: where it begins and where the
    /// reader is after it (past its line break); `None` at the end, or at
    /// a record wider than the limit.
    pub(super) fn read(&mut self, record: &mut Record) -> Option<(usize, usize)> {
        if self.too_wide.is_some() {
            return None;
        }
        let b = self.text.as_bytes();
        // Blank lines are skipped, as the csv reader skips them.
        while self.at < b.len() && matches!(b[self.at], b'\r' | b'\n') {
            self.at += 1;
        }
        if self.at >= b.len() {
            return None;
        }
        let start = self.at;
        record.bounds.clear();
        let hit = memchr::memchr3(b'"', b'\r', b'\n', &b[start..]).map(|i| start + i);
        if hit.is_some_and(|h| b[h] == b'"') {
            let Some(at) = self.read_quoted(start, record) else {
                let (_, cells) = super::source::read_row(b, start, self.delimiter);
                self.too_wide = Some((start, cells));
                return None;
            };
            self.at = at;
            return Some((start, self.at));
        }
        record.quoted = false;
        let end = hit.unwrap_or(b.len());
        // A line shorter than the limit cannot have more cells.
        if end - start >= self.limit {
            let cells = memchr::memchr_iter(self.delimiter, &b[start..end]).count() + 1;
            if cells > self.limit {
                self.too_wide = Some((start, cells));
                return None;
            }
        }
        let mut cell = start;
        for d in memchr::memchr_iter(self.delimiter, &b[start..end]) {
            record.bounds.push((cell, start + d));
            cell = start + d + 1;
        }
        record.bounds.push((cell, end));
        self.at = after_break(b, end);
        Some((start, self.at))
    }

    /// Reads a record with a quote in it from `start`, byte by byte as the
    /// csv reader does; where the reader is after it, or `None` when it
    /// has more cells than the limit.
    fn read_quoted(&mut self, start: usize, record: &mut Record) -> Option<usize> {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            StartCell,
            InCell,
            InQuotes,
            /// A quote inside quotes: `""` is a quote, anything else
            /// closes them.
            QuoteInQuotes,
        }
        let b = self.text.as_bytes();
        let mut out = std::mem::take(&mut record.unquoted).into_bytes();
        out.clear();
        let mut state = State::StartCell;
        let mut cell = 0;
        let mut i = start;
        let end = loop {
            let Some(&c) = b.get(i) else {
                self.open = state == State::InQuotes;
                break b.len();
            };
            let ends_cell = state != State::InQuotes && c == self.delimiter;
            let ends_record = state != State::InQuotes && matches!(c, b'\r' | b'\n');
            if ends_cell || ends_record {
                record.bounds.push((cell, out.len()));
                if record.bounds.len() > self.limit {
                    out.clear();
                    record.unquoted = String::from_utf8(out).unwrap_or_default();
                    return None;
                }
                cell = out.len();
                if ends_record {
                    break i;
                }
                state = State::StartCell;
                i += 1;
                continue;
            }
            state = match (state, c) {
                (State::StartCell, b'"') => State::InQuotes,
                (State::InQuotes, b'"') => State::QuoteInQuotes,
                (State::QuoteInQuotes, b'"') => {
                    out.push(b'"');
                    State::InQuotes
                }
                (State::InQuotes, _) => {
                    out.push(c);
                    State::InQuotes
                }
                _ => {
                    out.push(c);
                    State::InCell
                }
            };
            i += 1;
        };
        if end == b.len() {
            // The text ends inside the record: its last cell ends there.
            record.bounds.push((cell, out.len()));
            if record.bounds.len() > self.limit {
                out.clear();
                record.unquoted = String::from_utf8(out).unwrap_or_default();
                return None;
            }
        }
        // Runs of whole characters cut at ASCII bytes: still UTF-8.
        record.unquoted = String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        record.quoted = true;
        Some(after_break(b, end))
    }
}

/// Past the line break at `at` (CR, LF or CR LF), if there is one.
fn after_break(b: &[u8], at: usize) -> usize {
    match b.get(at) {
        Some(b'\r') if b.get(at + 1) == Some(&b'\n') => at + 2,
        Some(b'\r' | b'\n') => at + 1,
        _ => at,
    }
}

#[cfg(test)]
mod tests {
    use super::super::import::Row;
    use super::*;
    use proptest::prelude::*;

    /// The records as (start, cells) read by the splitter.
    fn split(text: &str, delimiter: u8) -> Vec<(usize, Vec<String>)> {
        let mut s = Splitter::new(text, 0, delimiter);
        let mut r = Record::default();
        let mut out = Vec::new();
        while let Some((start, _)) = s.read(&mut r) {
            let cells = r.cells(text);
            let all = (0..cells.count())
                .map(|i| cells.cell(i).unwrap_or("?").to_string())
                .collect();
            out.push((start, all));
        }
        out
    }

    /// The same as the csv crate reads them.
    fn csv_crate(text: &str, delimiter: u8) -> Vec<(usize, Vec<String>)> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut out = Vec::new();
        for rec in reader.byte_records() {
            let Ok(rec) = rec else { break };
            let mut start = rec.position().map_or(0, |p| p.byte() as usize);
            while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
                start += 1;
            }
            let cells = rec
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            out.push((start, cells));
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 2000,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Any text, quotes and line breaks anywhere: the same records,
        /// cells and starts as the csv crate.
        #[test]
        fn splits_as_the_csv_crate(
            parts in prop::collection::vec(
                prop_oneof![
                    Just("a"), Just("中文"), Just(","), Just(";"), Just("\""),
                    Just("\"\""), Just("\r"), Just("\n"), Just("\r\n"), Just(" ")
                ],
                0..40,
            ),
            semicolon in any::<bool>(),
        ) {
            let text = parts.concat();
            let d = if semicolon { b';' } else { b',' };
            prop_assert_eq!(split(&text, d), csv_crate(&text, d));
        }
    }

    #[test]
    fn cells_are_found_in_place_or_unquoted() {
        let text = "a,b\r\n\r\n\"x, \"\"y\"\"\nz\",,\"\"\nlast,";
        assert_eq!(
            split(text, b','),
            vec![
                (0, vec!["a".into(), "b".into()]),
                (7, vec!["x, \"y\"\nz".into(), String::new(), String::new()]),
                (24, vec!["last".into(), String::new()]),
            ]
        );
        assert_eq!(split(text, b','), csv_crate(text, b','));
    }
}
