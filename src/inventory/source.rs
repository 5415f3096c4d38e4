//! Reading a file into text: encoding detection and the checks that make a
//! whole file unreadable (empty, binary, a spreadsheet named `.csv`).

use std::borrow::Cow;
use std::path::Path;

use crate::i18n::Lang;

use super::columns::Column;
use super::report::quoted_list;

/// Largest file Sitefold reads (2 GiB): beyond that a planner has the wrong file.
pub const MAX_FILE_BYTES: u64 = 2 << 30;
/// Most cells in one row of an inventory (Excel's 16,384 columns): a
/// longer row is refused before it is read (a line of 100 million commas
/// would otherwise take gigabytes).
pub const MAX_ROW_CELLS: usize = 16_384;
/// Most data rows in an inventory (a national one has about a million).
pub const MAX_ROWS: usize = 2_000_000;

/// A file that could not be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("{path}: cannot read the file: {source}")]
    Io {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is empty, or holds only blank lines.
    #[error("{path}: the file is empty")]
    Empty {
        /// The file.
        path: String,
    },
    /// The file is not text.
    #[error("{path}: this is not a text (CSV) file: it holds binary data{hint}")]
    Binary {
        /// The file.
        path: String,
        /// What it looks like instead.
        hint: String,
    },
    /// The file is too large.
    #[error("{path}: the file is too large ({bytes} bytes)")]
    TooLarge {
        /// The file.
        path: String,
        /// Its size.
        bytes: u64,
    },
    /// A spreadsheet could not be read.
    #[error("{path}: cannot read the spreadsheet: {message}")]
    Spreadsheet {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// Required columns are missing.
    #[error("{}", missing_columns_text(.path, .missing, .found, Lang::En))]
    MissingColumns {
        /// The file.
        path: String,
        /// The required columns not found (canonical names).
        missing: Vec<&'static str>,
        /// The canonical columns with their Chinese names.
        expected: Vec<String>,
        /// The headers in the file.
        found: Vec<String>,
    },
    /// A header but no data rows.
    #[error("{path}: the file has a header but no data rows")]
    NoRows {
        /// The file.
        path: String,
    },
    /// A row with more cells than any inventory row (refused before the
    /// row is read).
    #[error(
        "{path}:{line}: this row has {cells} cells, more than the {MAX_ROW_CELLS} an inventory row may have (as many as Excel's columns): this is not an inventory"
    )]
    TooManyCells {
        /// The file.
        path: String,
        /// The line the row begins on.
        line: u64,
        /// Its cells.
        cells: usize,
    },
    /// More data rows than any inventory (refused when the row past the
    /// limit is reached).
    #[error(
        "{path}:{line}: the file has more than {MAX_ROWS} data rows, more than Sitefold imports (a national inventory has about a million sites)"
    )]
    TooManyRows {
        /// The file.
        path: String,
        /// The line of the first row past the limit.
        line: u64,
    },
    /// A side table (a progress sheet, an inspection round) with more
    /// cells than Sitefold keeps of one (refused at the row that passes
    /// the limit).
    #[error(
        "{path}:{line}: the file holds more than {} cells, more than Sitefold reads from a table of this kind",
        super::table::MAX_TABLE_CELLS
    )]
    TableTooLarge {
        /// The file.
        path: String,
        /// The line or row where the limit is passed.
        line: u64,
    },
}

impl ImportError {
    /// The message a planner reads, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            ImportError::Io { path, source } => format!("{path}：无法读取文件：{source}"),
            ImportError::Empty { path } => format!("{path}：文件是空的"),
            ImportError::Binary { path, hint } => {
                format!(
                    "{path}：这不是文本（CSV）文件，其中含有二进制数据{}",
                    binary_hint_zh(hint)
                )
            }
            ImportError::TooLarge { path, bytes } => format!("{path}：文件过大（{bytes} 字节）"),
            ImportError::Spreadsheet { path, message } => {
                format!("{path}：无法读取电子表格：{message}")
            }
            ImportError::MissingColumns {
                path,
                missing,
                found,
                ..
            } => missing_columns_text(path, missing, found, lang),
            ImportError::NoRows { path } => format!("{path}：文件只有表头，没有数据行"),
            ImportError::TooManyCells { path, line, cells } => format!(
                "{path}:{line}：此行有 {cells} 个单元格，超过清单每行最多 {MAX_ROW_CELLS} 个（与 Excel 的列数相同），这不是网站清单"
            ),
            ImportError::TooManyRows { path, line } => format!(
                "{path}:{line}：文件的数据行超过 {MAX_ROWS} 行，超出 Sitefold 可导入的范围（全国清单约一百万个网站）"
            ),
            ImportError::TableTooLarge { path, line } => format!(
                "{path}:{line}：文件的单元格超过 {} 个，超出 Sitefold 对此类表格的读取范围",
                super::table::MAX_TABLE_CELLS
            ),
        }
    }

    /// The missing-columns error for a header (kept whole: the app offers
    /// to say which column is what; messages quote at most
    /// [`EXCERPT_ITEMS`](super::report::EXCERPT_ITEMS) of its cells).
    pub(crate) fn missing_columns(
        path: &str,
        missing: Vec<&'static str>,
        found: Vec<String>,
    ) -> Self {
        ImportError::MissingColumns {
            path: path.to_string(),
            missing,
            expected: Column::ALL
                .iter()
                .map(|c| format!("{} ({})", c.key(), c.zh()))
                .collect(),
            found,
        }
    }
}

/// What a file without the required columns lacks, the headers that look
/// closest to each, what the file has, and how to say which column is
/// which (the app's mapping dialog, or `sitefold map` and `--map`).
pub fn missing_columns_text(
    path: &str,
    missing: &[&'static str],
    found: &[String],
    lang: Lang,
) -> String {
    let columns: Vec<Column> = missing
        .iter()
        .filter_map(|k| Column::ALL.iter().copied().find(|c| c.key() == *k))
        .collect();
    let zh = lang == Lang::Zh;
    // As a shell takes it: quoted when it holds a space.
    let arg = if path.contains(char::is_whitespace) {
        format!("\"{path}\"")
    } else {
        path.to_string()
    };
    let named: Vec<String> = columns
        .iter()
        .map(|c| {
            let name = if zh {
                format!("{}（{}）", c.zh(), c.key())
            } else {
                format!("{} ({})", c.key(), c.zh())
            };
            match closest_header(*c, found) {
                Some(h) if zh => format!("{name}，最接近的是“{}”", super::report::excerpt(h)),
                Some(h) => format!("{name}, closest: \"{}\"", super::report::excerpt(h)),
                None => name,
            }
        })
        .collect();
    if zh {
        let known: Vec<&str> = Column::ALL.iter().map(|c| c.zh()).collect();
        format!(
            "{path}：缺少必需的列：{}。文件中的列为：{}。可识别的列有：{}。请在打开文件时的对话框中指明各列的含义；或在命令行运行 `sitefold map {arg} --out 映射.toml`，编辑生成的映射文件后加上 `--map 映射.toml`",
            named.join("；"),
            quoted_list(found, Lang::Zh),
            known.join("、")
        )
    } else {
        let known: Vec<&str> = Column::ALL.iter().map(|c| c.key()).collect();
        format!(
            "{path}: missing required column(s): {}. The file's columns: {}. Columns Sitefold reads: {}. Say which column is which in the dialog the app shows when it opens the file, or run `sitefold map {arg} --out mapping.toml`, edit the mapping it writes, and add `--map mapping.toml`",
            named.join("; "),
            quoted_list(found, Lang::En),
            known.join(", ")
        )
    }
}

/// The header of `found` most like a name of `column` (its key or an
/// alias), when one is close: a header that holds such a name, or one a
/// few letters away from it.
fn closest_header(column: Column, found: &[String]) -> Option<&str> {
    let names: Vec<String> = std::iter::once(column.key())
        .chain(column.aliases().iter().copied())
        .map(super::columns::normalize_header)
        .collect();
    let mut best: Option<(usize, &str)> = None;
    for h in found.iter().take(1000) {
        // A header that already names another column is not a candidate.
        if Column::from_header(h).is_some() {
            continue;
        }
        let nh = super::columns::normalize_header(h);
        if nh.is_empty() || nh.chars().count() > 64 {
            continue;
        }
        for n in &names {
            let d = if nh.contains(n.as_str()) || n.contains(nh.as_str()) {
                0
            } else {
                edit_distance(&nh, n)
            };
            let allowed = n.chars().count().max(nh.chars().count()) / 3;
            if d <= allowed && best.is_none_or(|(b, _)| d < b) {
                best = Some((d, h.as_str()));
            }
        }
    }
    best.map(|(_, h)| h)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn binary_hint_zh(hint: &str) -> &'static str {
    if hint.contains("zip") {
        "（看起来是 zip 或 Excel 文件，请以 .xlsx 扩展名打开）"
    } else if hint.contains("xls") {
        "（看起来是旧版 Excel .xls 文件，请以 .xls 扩展名打开）"
    } else {
        ""
    }
}

/// What kind of content a file holds, judged by its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sniffed {
    /// A zip container (xlsx, ods).
    Zip,
    /// An OLE container (xls).
    Ole,
    /// Text or unknown.
    Other,
}

/// Looks at the magic bytes.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(b"PK\x03\x04") {
        Sniffed::Zip
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Sniffed::Ole
    } else {
        Sniffed::Other
    }
}

/// Reads a whole file, with the size limit and a message naming it.
pub fn read_file(path: &Path) -> Result<Vec<u8>, ImportError> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| ImportError::Io {
        path: name.clone(),
        source: e,
    })?;
    if meta.is_dir() {
        return Err(ImportError::Io {
            path: name,
            source: std::io::Error::other("it is a folder"),
        });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge {
            path: name,
            bytes: meta.len(),
        });
    }
    std::fs::read(path).map_err(|e| ImportError::Io {
        path: name,
        source: e,
    })
}

/// A file's bytes, read into memory.
///
/// Not mapped: a mapped file that another program rewrites or truncates
/// while it is imported (a prefecture's return on a network share being
/// saved again) changes under the reader, which can crash the process
/// (SIGBUS) or break the text checked as UTF-8. Trust before speed: the
/// read costs a copy of the file (0.07 s and 138 MB at a million sites).
pub struct FileBytes {
    read: Vec<u8>,
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.read
    }
}

impl FileBytes {
    /// Bytes already in memory.
    pub fn from_vec(read: Vec<u8>) -> Self {
        FileBytes { read }
    }
}

/// Reads a whole file as [`read_file`] does.
pub fn map_file(path: &Path) -> Result<FileBytes, ImportError> {
    read_file(path).map(FileBytes::from_vec)
}

/// Text decoded from a file.
pub struct Decoded<'a> {
    /// The text.
    pub text: Cow<'a, str>,
    /// The encoding it was read in.
    pub encoding: &'static str,
    /// True when some bytes were invalid and replaced.
    pub replaced: bool,
}

/// Decodes a text file: UTF-8 (with or without BOM), UTF-16 with BOM, and
/// otherwise GB18030 (a superset of GBK, which Chinese Excel writes).
pub fn decode<'a>(bytes: &'a [u8], path: &str) -> Result<Decoded<'a>, ImportError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok(match utf8(rest) {
            Some(s) => Decoded {
                text: Cow::Borrowed(s),
                encoding: "UTF-8",
                replaced: false,
            },
            None => Decoded {
                text: Cow::Owned(String::from_utf8_lossy(rest).into_owned()),
                encoding: "UTF-8",
                replaced: true,
            },
        });
    }
    for (bom, enc) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if bytes.starts_with(bom) {
            let (text, _, replaced) = enc.decode(bytes);
            return Ok(Decoded {
                text: Cow::Owned(text.into_owned()),
                encoding: enc.name(),
                replaced,
            });
        }
    }
    refuse_binary(bytes, path)?;
    if let Some(s) = utf8(bytes) {
        return Ok(Decoded {
            text: Cow::Borrowed(s),
            encoding: "UTF-8",
            replaced: false,
        });
    }
    // Not UTF-8 as a whole: GB18030, line by line, keeping any line that is
    // valid UTF-8 with non-ASCII text as UTF-8 (files pasted together from
    // two sources mix them; a GB18030 line is almost never valid UTF-8).
    // A large file is decoded in parts on all cores: cut at line breaks (a
    // GB18030 character never contains the byte of a line break).
    let parts = if bytes.len() >= 4 << 20 {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    } else {
        1
    };
    let (text, utf8_lines, replaced) = decode_gb18030(bytes, parts);
    let (encoding, replaced) = gb18030_read(utf8_lines, replaced);
    Ok(Decoded {
        text: Cow::Owned(text),
        encoding,
        replaced,
    })
}

/// Refuses bytes that begin as a binary file does (a spreadsheet, or
/// control characters and NUL bytes in the first 64 KB).
fn refuse_binary(bytes: &[u8], path: &str) -> Result<(), ImportError> {
    match sniff(bytes) {
        Sniffed::Zip => {
            return Err(ImportError::Binary {
                path: path.to_string(),
                hint:
                    " (it looks like a zip or Excel .xlsx file: open it with the .xlsx extension)"
                        .into(),
            });
        }
        Sniffed::Ole => {
            return Err(ImportError::Binary {
                path: path.to_string(),
                hint: " (it looks like an old Excel .xls file: open it with the .xls extension)"
                    .into(),
            });
        }
        Sniffed::Other => {}
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let controls = head
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)))
        .count();
    if head.contains(&0) || controls * 20 > head.len().max(1) {
        return Err(ImportError::Binary {
            path: path.to_string(),
            hint: String::new(),
        });
    }
    Ok(())
}

/// For the first bytes of a file (64 KB or the whole file), the length of
/// its byte-order mark when [`decode`] reads the file as UTF-8 as long as
/// all its bytes are: a UTF-8 mark, or none and no sign of a binary file
/// or of UTF-16. `None` when [`decode`] would take another way.
pub(super) fn plain_utf8_start(head: &[u8]) -> Option<usize> {
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Some(3);
    }
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return None;
    }
    refuse_binary(head, "").ok().map(|()| 0)
}

/// How a file not in UTF-8 as a whole was read, from how many of its
/// lines were UTF-8 with non-ASCII text and whether a byte was replaced:
/// the encoding named in the report, and whether it warns (lines of two
/// encodings mixed are worth a look too).
pub(super) fn gb18030_read(utf8_lines: usize, replaced: bool) -> (&'static str, bool) {
    let encoding = if utf8_lines > 0 {
        "GB18030 + UTF-8"
    } else {
        "GB18030"
    };
    (encoding, replaced || utf8_lines > 0)
}

/// `bytes` as text when they are UTF-8: a large file is checked in parts
/// on all cores.
fn utf8(bytes: &[u8]) -> Option<&str> {
    let parts = if bytes.len() >= 4 << 20 {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    } else {
        1
    };
    if parts < 2 {
        return simdutf8::basic::from_utf8(bytes).ok();
    }
    if !utf8_in_parts(bytes, parts) {
        return None;
    }
    // SAFETY: `utf8_in_parts` checked every byte: the parts are cut just
    // after a line break, which in UTF-8 is a character of its own, so
    // parts that are each UTF-8 make text that is UTF-8 (and a character
    // cut in two would make its part invalid). Tested below against
    // `from_utf8` with bad bytes on either side of every cut.
    Some(unsafe { std::str::from_utf8_unchecked(bytes) })
}

/// Where `bytes` is cut into at most `parts` parts, each cut just after
/// a line break: 0, the cuts, and the end.
fn cuts_at_lines(bytes: &[u8], parts: usize) -> Vec<usize> {
    let mut cuts = vec![0];
    for k in 1..parts {
        let nominal = bytes.len() / parts * k;
        if let Some(i) = memchr::memchr(b'\n', &bytes[nominal..]) {
            let cut = nominal + i + 1;
            if cut > cuts[cuts.len() - 1] && cut < bytes.len() {
                cuts.push(cut);
            }
        }
    }
    cuts.push(bytes.len());
    cuts
}

/// True when each of `parts` parts of `bytes`, cut just after a line
/// break, is UTF-8 (checked side by side).
fn utf8_in_parts(bytes: &[u8], parts: usize) -> bool {
    let cuts = cuts_at_lines(bytes, parts);
    std::thread::scope(|scope| {
        let handles: Vec<_> = cuts
            .windows(2)
            .skip(1)
            .map(|w| {
                let part = &bytes[w[0]..w[1]];
                scope.spawn(move || simdutf8::basic::from_utf8(part).is_ok())
            })
            .collect();
        let first = simdutf8::basic::from_utf8(&bytes[..cuts[1]]).is_ok();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .fold(first, |all, ok| all && ok)
    })
}

/// GB18030 (with UTF-8 lines kept) in `parts` parts decoded side by side;
/// the text, how many lines were UTF-8 with non-ASCII text, and whether a
/// byte was invalid.
fn decode_gb18030(bytes: &[u8], parts: usize) -> (String, usize, bool) {
    let cuts = cuts_at_lines(bytes, parts);
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    let (mut utf8_lines, mut replaced) = (0usize, false);
    let rest: Vec<(String, usize, bool)> = std::thread::scope(|scope| {
        let handles: Vec<_> = cuts
            .windows(2)
            .skip(1)
            .map(|w| {
                let part = &bytes[w[0]..w[1]];
                scope.spawn(move || {
                    let mut out = String::with_capacity(part.len() + part.len() / 2);
                    let (lines, bad) = decode_lines(part, &mut out);
                    (out, lines, bad)
                })
            })
            .collect();
        (utf8_lines, replaced) = decode_lines(&bytes[..cuts[1]], &mut text);
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    for (part, lines, bad) in rest {
        text.push_str(&part);
        utf8_lines += lines;
        replaced |= bad;
    }
    (text, utf8_lines, replaced)
}

/// Decodes GB18030 text line by line onto `out`, keeping a line that is
/// valid UTF-8 as it is. Returns how many such lines had non-ASCII text,
/// and whether any byte was invalid.
pub(super) fn decode_lines(bytes: &[u8], out: &mut String) -> (usize, bool) {
    let (mut utf8_lines, mut replaced) = (0usize, false);
    let mut scratch = String::new();
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        match simdutf8::basic::from_utf8(line) {
            Ok(s) => {
                if !s.is_ascii() {
                    utf8_lines += 1;
                }
                out.push_str(s);
            }
            Err(_) => replaced |= decode_gb18030_line(line, out, &mut scratch),
        }
    }
    (utf8_lines, replaced)
}

/// Decodes one line of GB18030 onto `out` as
/// `GB18030.decode_without_bom_handling` does (a sequence cut short at its
/// end is replaced), through `scratch` (kept from line to line) instead of
/// a string of its own; true when a byte was replaced. (Not
/// `decode_to_string` onto `out`: it prepares all of `out`'s spare room
/// on every call, which for a file's text made decoding quadratic.)
fn decode_gb18030_line(line: &[u8], out: &mut String, scratch: &mut String) -> bool {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let most = decoder
        .max_utf8_buffer_length(line.len())
        .unwrap_or(line.len().saturating_mul(3))
        .max(16);
    if scratch.len() < most {
        *scratch = "\0".repeat(most);
    }
    let mut replaced = false;
    let mut rest = line;
    loop {
        let (result, read, written, bad) = decoder.decode_to_str(rest, scratch.as_mut_str(), true);
        out.push_str(&scratch[..written]);
        replaced |= bad;
        rest = &rest[read..];
        if result == encoding_rs::CoderResult::InputEmpty {
            return replaced;
        }
    }
}

/// Picks the delimiter from the header line: comma, tab or semicolon.
pub fn sniff_delimiter(text: &str) -> u8 {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let count = |c: char| first.matches(c).count();
    let (commas, tabs, semis) = (count(','), count('\t'), count(';'));
    if tabs > commas && tabs >= semis {
        b'\t'
    } else if semis > commas && semis > tabs {
        b';'
    } else {
        b','
    }
}

/// Turns record byte offsets into 1-based line numbers. The csv reader's
/// own line count is off after CR LF and blank lines, so lines are counted
/// here from the bytes. Offsets must come in increasing order.
#[derive(Clone)]
pub struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
    /// The line terminator counted: LF, or CR for old Mac files without LF.
    eol: u8,
}

impl<'a> LineCounter<'a> {
    /// A counter over `text`.
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let eol =
            if memchr::memchr(b'\n', bytes).is_none() && memchr::memchr(b'\r', bytes).is_some() {
                b'\r'
            } else {
                b'\n'
            };
        LineCounter {
            text: bytes,
            offset: 0,
            line: 1,
            eol,
        }
    }

    /// A counter over `text`, a piece of a larger text whose lines end
    /// with LF (whatever the piece holds).
    pub(crate) fn lf(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
            eol: b'\n',
        }
    }

    /// This counter placed at byte `offset` (before which it counts no
    /// lines), counting `line` there: a reader of one stretch of the text
    /// counts the lines from its start (0 there), and they are added to
    /// the lines before the stretch once those are known.
    pub(crate) fn placed(&self, offset: usize, line: u64) -> Self {
        LineCounter {
            text: self.text,
            offset: offset.min(self.text.len()),
            line,
            eol: self.eol,
        }
    }

    /// The line the counter is at: the line breaks counted so far, plus
    /// the line it started at.
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// The line breaks from where the counter is to byte `offset` (not
    /// past it, and not skipping line breaks there as [`Self::line_at`]
    /// does); the counter moves there.
    pub(crate) fn breaks_to(&mut self, offset: usize) -> u64 {
        let target = offset.min(self.text.len());
        if target <= self.offset {
            return 0;
        }
        let n = memchr::memchr_iter(self.eol, &self.text[self.offset..target]).count() as u64;
        self.line += n;
        self.offset = target;
        n
    }

    /// Moves the counter from the start of a record without quotes (where
    /// [`Self::line_at`] left it) to `end`, just past the record's line
    /// break: a cell without quotes holds no CR or LF, so the only line
    /// break in it is the one that ends it, just before `end`.
    pub(crate) fn past_unquoted(&mut self, end: usize) {
        let end = end.min(self.text.len());
        if end <= self.offset {
            return;
        }
        if self.text[end - 1] == self.eol {
            self.line += 1;
        }
        self.offset = end;
    }

    /// The line on which the record starting at byte `offset` begins (the
    /// reader's offset may point at the line breaks before it).
    pub fn line_at(&mut self, offset: u64) -> u64 {
        let mut target = (offset as usize).min(self.text.len());
        while target < self.text.len() && matches!(self.text[target], b'\r' | b'\n') {
            target += 1;
        }
        if target < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        if target > self.offset {
            self.line +=
                memchr::memchr_iter(self.eol, &self.text[self.offset..target]).count() as u64;
            self.offset = target;
        }
        self.line
    }
}

/// The first row of `text` with more than `limit` cells, read as the csv
/// reader reads it (a quote opens a quoted cell at the start of a cell;
/// CR, LF or CR LF end a row outside quotes): where it begins and how many
/// cells it has. Linear, and fast on ordinary files: a line without quotes
/// and no longer than `limit` bytes cannot have more than `limit` cells and
/// is skipped whole.
pub fn row_over(text: &str, delimiter: u8, limit: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut at = 0;
    while at < b.len() {
        let (next, cells) = row_at(b, at, delimiter, limit);
        if cells > limit {
            return Some((at, cells));
        }
        at = next;
    }
    None
}

/// The row at `at` (the start of a row, or a line break before one) as
/// [`row_over`] reads it: where the next row begins and how many cells
/// this one has, or any number up to `limit` for a line without quotes
/// and no longer than `limit` bytes (it cannot have more cells).
pub(crate) fn row_at(b: &[u8], at: usize, delimiter: u8, limit: usize) -> (usize, usize) {
    let end = memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |i| at + i + 1);
    let line = &b[at..end];
    if line.len() <= limit && memchr::memchr(b'"', line).is_none() {
        return (end, 1);
    }
    read_row(b, at, delimiter)
}

/// Reads one row of CSV from `at` (the start of a row): where the next row
/// begins and how many cells this one has.
pub(crate) fn read_row(b: &[u8], mut at: usize, delimiter: u8) -> (usize, usize) {
    let mut cells = 1;
    let mut field_start = true;
    while at < b.len() {
        let c = b[at];
        if field_start && c == b'"' {
            // A quoted cell: to its closing quote (`""` is a quote inside).
            at += 1;
            loop {
                match memchr::memchr(b'"', &b[at..]) {
                    None => return (b.len(), cells),
                    Some(i) => {
                        at += i + 1;
                        if b.get(at) == Some(&b'"') {
                            at += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
            field_start = false;
            continue;
        }
        if c == delimiter {
            cells += 1;
            field_start = true;
        } else if c == b'\n' || c == b'\r' {
            return (at + 1, cells);
        } else {
            field_start = false;
        }
        at += 1;
    }
    (b.len(), cells)
}

/// The line of a quote that is never closed, reading the text as RFC 4180
/// CSV (a quote opens a field only at its start; `""` inside is a quote).
pub fn unclosed_quote_line(text: &str, delimiter: u8) -> Option<u64> {
    let bytes = text.as_bytes();
    // Most files have an even number of quotes: no need to scan.
    if memchr::memchr_iter(b'"', bytes).count().is_multiple_of(2) {
        return None;
    }
    let mut line = 1u64;
    let mut at_field_start = true;
    let mut quoted_since: Option<u64> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quoted_since {
            Some(_) => {
                if b == b'"' {
                    if bytes.get(i + 1) == Some(&b'"') {
                        i += 1;
                    } else {
                        quoted_since = None;
                        at_field_start = false;
                    }
                } else if b == b'\n' {
                    line += 1;
                }
            }
            None => {
                if b == b'"' && at_field_start {
                    quoted_since = Some(line);
                } else if b == delimiter {
                    at_field_start = true;
                    i += 1;
                    continue;
                } else if b == b'\n' {
                    line += 1;
                    at_field_start = true;
                    i += 1;
                    continue;
                } else if b != b'\r' {
                    at_field_start = false;
                }
            }
        }
        if quoted_since.is_some() && b == b'"' && at_field_start {
            at_field_start = false;
        }
        i += 1;
    }
    quoted_since
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A GB18030 line decoded onto a string is what encoding_rs makes
        /// of it on its own, for any bytes (sequences cut short, bad
        /// bytes, four-byte characters, the line's text before it kept).
        #[test]
        fn a_gb18030_line_decodes_as_encoding_rs_decodes_it(
            bytes in prop::collection::vec(prop_oneof![
                Just(0x81u8), Just(0x30), Just(0x39), Just(0xFE), Just(0xD6), Just(0xD0),
                Just(0xFF), Just(0x80), Just(b','), Just(b'a'), Just(b'\r'), Just(b'\n'),
                any::<u8>(),
            ], 0..64),
            before in "[a-z中]{0,3}",
        ) {
            let (want, bad) = encoding_rs::GB18030.decode_without_bom_handling(&bytes);
            let mut out = before.clone();
            // The scratch string kept from a longer line before it.
            let mut scratch = "x".repeat(200);
            let replaced = decode_gb18030_line(&bytes, &mut out, &mut scratch);
            prop_assert_eq!(&out, &format!("{before}{want}"));
            prop_assert_eq!(replaced, bad);
            let again = decode_gb18030_line(&bytes, &mut out, &mut scratch);
            prop_assert_eq!(out, format!("{before}{want}{want}"));
            prop_assert_eq!(again, bad);
        }
    }

    #[test]
    fn gb18030_in_parts_decodes_like_one_pass() {
        // GBK lines, UTF-8 lines, a bad byte, CR LF and a missing final
        // line break, cut in many places.
        let (gbk, _, _) = encoding_rs::GB18030.encode("S1,县政府网站,县级\r\n");
        let mut bytes = Vec::new();
        for i in 0..500 {
            match i % 7 {
                0 => bytes.extend_from_slice("S2,乡镇网站,乡镇\n".as_bytes()),
                1 => bytes.extend_from_slice(b"S3,\xFF\xFE bad,county\n"),
                2 => bytes.extend_from_slice(b"\n"),
                _ => bytes.extend_from_slice(&gbk),
            }
        }
        bytes.extend_from_slice(&gbk[..gbk.len() - 2]);
        let one = decode_gb18030(&bytes, 1);
        assert!(one.0.contains("县政府网站") && one.0.contains("乡镇网站"));
        assert!(one.1 > 0 && one.2);
        for parts in [2, 3, 5, 8, 64] {
            assert_eq!(decode_gb18030(&bytes, parts), one, "{parts} parts");
        }
    }

    #[test]
    fn utf8_checked_in_parts_as_in_one_pass() {
        let line = "S1,县政府网站,县级\n".as_bytes();
        let mut good = Vec::new();
        for _ in 0..300 {
            good.extend_from_slice(line);
        }
        for parts in [2, 3, 5, 8, 64] {
            assert!(utf8_in_parts(&good, parts), "{parts} parts");
        }
        // A bad byte anywhere, and a character cut by a line break,
        // wherever the cuts fall.
        for at in (0..good.len()).step_by(7) {
            let mut bad = good.clone();
            bad[at] = 0xFF;
            let mut cut = good.clone();
            cut.insert(at, 0xE5);
            for parts in [2, 3, 8] {
                assert!(!utf8_in_parts(&bad, parts), "{at}, {parts} parts");
                assert_eq!(
                    utf8_in_parts(&cut, parts),
                    std::str::from_utf8(&cut).is_ok(),
                    "{at}, {parts} parts"
                );
            }
        }
    }

    #[test]
    fn unclosed_quotes_are_found_where_they_open() {
        assert_eq!(unclosed_quote_line("a,b\n1,\"x\n2,3\n", b','), Some(2));
        assert_eq!(unclosed_quote_line("a,b\n1,\"x\"\"y\"\n", b','), None);
        // A quote inside an unquoted cell is literal, not an opening.
        assert_eq!(unclosed_quote_line("a,b\n5\" screen,1\n2,3\n", b','), None);
    }

    #[test]
    fn rows_over_the_cell_limit_are_found_as_the_csv_reader_reads_them() {
        let count = |text: &str| row_over(text, b',', 3);
        assert_eq!(count("a,b,c\n1,2,3\n"), None);
        assert_eq!(count("a,b,c\n1,2,3,4\n5\n"), Some((6, 4)));
        // Quoted delimiters and line breaks are inside a cell.
        assert_eq!(count("a,\"b,c,d\",e\n"), None);
        assert_eq!(count("a,\"b\n,,\n\",e\nx,y\n"), None);
        assert_eq!(count("a,\"b\"\",c\",d,e\n"), Some((0, 4)));
        // A quote inside an unquoted cell is a character.
        assert_eq!(count("a,b\"c,d,e\"\n"), Some((0, 4)));
        // After a closing quote the cell goes on unquoted.
        assert_eq!(count("\"a\"b\",c,d,e\n"), Some((0, 4)));
        // CR alone ends a row, as in old Mac files.
        assert_eq!(count("a,b,c\r1,2,3\r,,,,,\r"), Some((12, 6)));
        // An unclosed quote runs to the end.
        assert_eq!(count("a,\"b,c,d,e\n,,,,\n"), None);
        // Long lines without quotes are counted too.
        let wide = format!("h\n{}\n", ",".repeat(100));
        assert_eq!(row_over(&wide, b',', 100), Some((2, 101)));
        assert_eq!(row_over(&wide, b',', 101), None);
        assert_eq!(row_over(&wide, b';', 1), None);
    }

    #[test]
    fn lines_count_crlf_and_blank_lines() {
        let text = "h\r\n\r\na\r\nb\n\n\nc";
        let mut lc = LineCounter::new(text);
        assert_eq!(lc.line_at(0), 1);
        assert_eq!(lc.line_at(3), 3);
        assert_eq!(lc.line_at(6), 4);
        assert_eq!(lc.line_at(9), 7);
    }
}
