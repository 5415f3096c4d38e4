//! A large inventory in UTF-8 or GB18030 read as it streams in from the disk.
//!
//! The file is read in pieces of whole lines; each piece is checked as
//! UTF-8 (or decoded from GB18030) and split into rows on the reading
//! threads while the next pieces are read, and this thread takes the rows
//! in, in file order.
//! The file's text is never whole in memory (at a million sites it was
//! 137 MB of the peak) and no pass over all of it comes before the rows.
//!
//! Only the plain case is read so: bytes that are UTF-8 throughout (with
//! or without a byte-order mark), or GB18030 from the first piece on
//! (decoded piece by piece as the whole read decodes such a file: a line
//! in UTF-8 kept as it is), not those of a binary file, the
//! header in the first piece, no quoted cell running on past the end of
//! a piece, no row wider than an inventory's, an even number of quotes
//! and no more rows than an inventory takes. Anything else gives `None`
//! and the file is read whole ([`super::csv_file::import_file`]), which
//! reports what there is to report. What is read here is what the whole
//! read reads (tested on files made to break every one of these cases).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Condvar, Mutex, mpsc};

use super::csv_file::{self, HaltOnPanic, Head, MAX_READERS, PARALLEL_FROM_BYTES, Stretch};
use super::import::{ImportOptions, Imported, ParsedRow, TableImport};
use super::source::{self, ImportError, MAX_FILE_BYTES, MAX_ROWS};

/// How much of the file a piece is read as (then cut back to just after
/// its last line break; the rest begins the next piece).
const PIECE_BYTES: usize = 256 << 10;
/// A line longer than this: the file is read whole.
const MAX_LINE_BYTES: usize = 16 << 20;

/// Imports the CSV file at `path` as it streams in, when it is large
/// enough for that to pay and plain enough (see the module); `None`
/// otherwise, and the caller reads it whole.
pub(super) fn import_streamed(
    path: &Path,
    opts: &ImportOptions,
) -> Option<Result<Imported, ImportError>> {
    let meta = std::fs::metadata(path).ok()?;
    let len = meta.len();
    if !meta.is_file() || len < PARALLEL_FROM_BYTES as u64 || len > MAX_FILE_BYTES {
        return None;
    }
    let readers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_READERS);
    let table = read_streamed(path, opts, readers, (PIECE_BYTES, PIECE_BYTES))?;
    Some(table.finish())
}

/// A piece of the file for a reader: whole lines (but for the last
/// piece), read from `from` on.
struct Piece {
    k: usize,
    bytes: Vec<u8>,
    from: usize,
    last: bool,
    /// True for bytes already decoded (the first piece).
    decoded: bool,
}

/// A piece read: its text and rows; `None` for a piece that is not UTF-8
/// or a file that could not be read on.
type Done = Option<PieceRead>;

/// What a reader made of a piece.
struct PieceRead {
    text: String,
    stretch: Stretch,
    last: bool,
    /// In a GB18030 file: the lines that were UTF-8 with non-ASCII text,
    /// and whether a byte was replaced.
    utf8_lines: usize,
    replaced: bool,
}

/// The encoding a streamed file is read in.
#[derive(Clone, Copy, PartialEq)]
enum Encoding {
    /// UTF-8 throughout.
    Utf8,
    /// Not UTF-8 (its first piece is not): GB18030, a line in UTF-8 kept
    /// as it is, as [`source::decode`] reads such a file.
    Gb18030,
}

/// A GB18030 piece's text (a line in UTF-8 kept as it is, as
/// [`source::decode`] reads such a file), decoded into `out` (an emptied
/// buffer), with the lines that were UTF-8 with non-ASCII text and
/// whether a byte was replaced.
fn gb18030_text(bytes: &[u8], mut out: Vec<u8>) -> (String, usize, bool) {
    out.clear();
    // Empty: UTF-8.
    let mut out = String::from_utf8(out).unwrap_or_default();
    out.reserve(bytes.len() + bytes.len() / 2);
    let (utf8_lines, replaced) = source::decode_lines(bytes, &mut out);
    (out, utf8_lines, replaced)
}

/// Every row of the file at `path` read into a table import as the file
/// streams in, by `readers` threads, the first piece of about `head`
/// bytes (at least 64 KB: the bytes [`source::decode`] looks at for signs
/// of a binary file) and the others of about `piece`; `None` when the
/// file must be read whole.
pub(super) fn read_streamed(
    path: &Path,
    opts: &ImportOptions,
    readers: usize,
    (head, piece): (usize, usize),
) -> Option<TableImport> {
    let mut file = std::fs::File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let source = path.display().to_string();
    // The first piece: how the file begins, and its header.
    let mut first = Vec::with_capacity(head);
    (&mut file).take(head as u64).read_to_end(&mut first).ok()?;
    let bom = source::plain_utf8_start(&first)?;
    let cut = memchr::memrchr(b'\n', &first)? + 1;
    let carry = first.split_off(cut);
    first.drain(..bom);
    // A file whose first piece is not UTF-8 is not UTF-8 as a whole: it
    // is read as GB18030 (not one with a UTF-8 byte-order mark, which is
    // read as UTF-8 with characters replaced).
    let encoding = if simdutf8::basic::from_utf8(&first).is_ok() {
        Encoding::Utf8
    } else if bom == 0 {
        Encoding::Gb18030
    } else {
        return None;
    };
    let (first, mut utf8_lines, mut replaced) = match encoding {
        Encoding::Utf8 => (text_of(first)?, 0, false),
        Encoding::Gb18030 => gb18030_text(&first, Vec::new()),
    };
    let (mut table, start) = {
        // The encoding is named once every piece is read.
        let Head {
            table,
            body,
            delimiter,
            lines,
        } = csv_file::read_head(&first, &source, opts, "UTF-8", false).ok()?;
        if body >= first.len() {
            // The header may run on into the next piece.
            return None;
        }
        let mut at_body = lines.clone();
        at_body.breaks_to(body);
        let quotes = memchr::memchr_iter(b'"', &first.as_bytes()[..body]).count();
        (table, (body, delimiter, at_body.line(), quotes))
    };
    let (body, delimiter, mut base, mut quotes) = start;
    // Room for every row, estimated from the first piece.
    let per_byte = |rows: usize, bytes: usize| rows as u64 * len / bytes.max(1) as u64;

    let parser = table.parser().clone();
    let parser = &parser;
    let stop = AtomicBool::new(false);
    let taken_in = (Mutex::new(0usize), Condvar::new());
    let ahead = readers + 1;
    let halt = || {
        stop.store(true, Relaxed);
        let _held = taken_in.0.lock();
        taken_in.1.notify_all();
    };
    let (to_readers, pieces) = mpsc::sync_channel::<Piece>(readers);
    let pieces = Mutex::new(pieces);
    let (send, receive) = mpsc::channel::<(usize, Done)>();
    // Emptied buffers and row lists, handed back for the next pieces:
    // fresh memory costs a page fault every 4 KB.
    let spare_bytes: Mutex<Vec<Vec<u8>>> = Mutex::default();
    let spare_rows: Mutex<Vec<Vec<(ParsedRow, usize, usize)>>> = Mutex::default();
    let finished = std::thread::scope(|scope| {
        {
            // The file read on, piece by piece.
            let send = send.clone();
            let (stop, taken_in, spare_bytes) = (&stop, &taken_in, &spare_bytes);
            let mut first = Some(first.into_bytes());
            scope.spawn(move || {
                let _halt = HaltOnPanic(stop, taken_in);
                let mut carry = carry;
                for k in 0.. {
                    if stop.load(Relaxed) {
                        return;
                    }
                    let (bytes, last, decoded) = match first.take() {
                        Some(bytes) => (bytes, false, true),
                        None => {
                            let buffer = spare_bytes.lock().ok().and_then(|mut s| s.pop());
                            match next_piece(
                                &mut file,
                                &mut carry,
                                buffer.unwrap_or_default(),
                                piece,
                            ) {
                                Some((bytes, last)) => (bytes, last, false),
                                None => {
                                    let _ = send.send((k, None));
                                    return;
                                }
                            }
                        }
                    };
                    let from = if k == 0 { body } else { 0 };
                    if to_readers
                        .send(Piece {
                            k,
                            bytes,
                            from,
                            last,
                            decoded,
                        })
                        .is_err()
                        || last
                    {
                        return;
                    }
                }
            });
        }
        for _ in 0..readers {
            let send = send.clone();
            let (stop, taken_in, pieces) = (&stop, &taken_in, &pieces);
            let (spare_rows, spare_bytes) = (&spare_rows, &spare_bytes);
            scope.spawn(move || {
                let _halt = HaltOnPanic(stop, taken_in);
                loop {
                    let next = match pieces.lock() {
                        Ok(p) => p.recv(),
                        Err(_) => return,
                    };
                    let Ok(Piece {
                        k,
                        bytes,
                        from,
                        last,
                        decoded,
                    }) = next
                    else {
                        return;
                    };
                    if stop.load(Relaxed) {
                        // Taken off the channel only so that the file's
                        // reader is not left waiting to hand it over.
                        continue;
                    }
                    if let Ok(mut done) = taken_in.0.lock() {
                        while k >= *done + ahead && !stop.load(Relaxed) {
                            match taken_in.1.wait(done) {
                                Ok(d) => done = d,
                                Err(_) => break,
                            }
                        }
                    }
                    let text = if decoded || encoding == Encoding::Utf8 {
                        text_of(bytes).map(|t| (t, 0, false))
                    } else {
                        let mut spare = spare_bytes.lock().ok();
                        let out = spare.as_mut().and_then(|s| s.pop());
                        drop(spare);
                        let text = gb18030_text(&bytes, out.unwrap_or_default());
                        if let Ok(mut spare) = spare_bytes.lock() {
                            spare.push(bytes);
                        }
                        Some(text)
                    };
                    let read = text.and_then(|(text, utf8_lines, replaced)| {
                        let rows = spare_rows.lock().ok().and_then(|mut p| p.pop());
                        let stretch = csv_file::read_stretch_into(
                            parser,
                            &text,
                            (from, None),
                            delimiter,
                            source::LineCounter::lf(&text).placed(from, 0),
                            rows.unwrap_or_default(),
                        )
                        .ok()?;
                        Some(PieceRead {
                            text,
                            stretch,
                            last,
                            utf8_lines,
                            replaced,
                        })
                    });
                    if send.send((k, read)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(send);
        // Pieces arrive in any order and are taken in file order.
        let mut waiting = BTreeMap::new();
        let mut k = 0;
        let mut reserved = false;
        for (at, read) in receive.iter() {
            waiting.insert(at, read);
            while let Some(read) = waiting.remove(&k) {
                let Some(PieceRead {
                    text,
                    stretch,
                    last,
                    utf8_lines: u,
                    replaced: r,
                }) = read
                else {
                    halt();
                    return false;
                };
                utf8_lines += u;
                replaced |= r;
                let plain = (last || !stretch.open) && stretch.too_wide.is_none();
                let Some(q) = stretch.quotes.filter(|_| plain) else {
                    halt();
                    return false;
                };
                quotes += q;
                if !reserved {
                    // Decoded GB18030 text is up to half as long again as
                    // the file's bytes: then room for more rows than
                    // there are, rather than a second allocation of them.
                    let decoded = match encoding {
                        Encoding::Utf8 => text.len(),
                        Encoding::Gb18030 => text.len() * 2 / 3,
                    };
                    let rows = per_byte(stretch.rows.len(), decoded);
                    table.reserve(rows.min(MAX_ROWS as u64) as usize);
                    reserved = true;
                }
                let breaks = stretch.breaks;
                let rows = csv_file::take_rows(&mut table, stretch, &text, delimiter, base);
                base += breaks;
                if table.is_full() {
                    halt();
                    return false;
                }
                if let Ok(mut spare) = spare_rows.lock() {
                    spare.push(rows);
                }
                if let Ok(mut spare) = spare_bytes.lock() {
                    spare.push(text.into_bytes());
                }
                k += 1;
                if let Ok(mut done) = taken_in.0.lock() {
                    *done = k;
                }
                taken_in.1.notify_all();
                if last {
                    return true;
                }
            }
        }
        false
    });
    // An odd number of quotes: one may never close, which the whole read
    // looks for.
    if !finished || !quotes.is_multiple_of(2) {
        return None;
    }
    // Named as the whole read names it (its warning, at line 0, sorts
    // before the rows' findings as it does there).
    let (name, warn) = match encoding {
        Encoding::Utf8 => ("UTF-8", false),
        Encoding::Gb18030 => source::gb18030_read(utf8_lines, replaced),
    };
    csv_file::set_encoding(&mut table, name, warn);
    Some(table)
}

/// The next piece of `file` after `carry` (the part of a line the piece
/// before it ended with), read into `buffer`: whole lines and whether it
/// is the last piece; `None` when the file cannot be read or has a line
/// too long to read in pieces.
fn next_piece(
    file: &mut std::fs::File,
    carry: &mut Vec<u8>,
    mut buffer: Vec<u8>,
    piece: usize,
) -> Option<(Vec<u8>, bool)> {
    buffer.clear();
    buffer.append(carry);
    loop {
        let before = buffer.len();
        let read = (&mut *file)
            .take(piece as u64)
            .read_to_end(&mut buffer)
            .ok()?;
        if read < piece {
            // The end of the file.
            return Some((buffer, true));
        }
        if let Some(i) = memchr::memrchr(b'\n', &buffer[before..]) {
            carry.extend_from_slice(&buffer[before + i + 1..]);
            buffer.truncate(before + i + 1);
            return Some((buffer, false));
        }
        if buffer.len() > MAX_LINE_BYTES {
            return None;
        }
    }
}

/// `bytes` as text when they are UTF-8.
fn text_of(bytes: Vec<u8>) -> Option<String> {
    simdutf8::basic::from_utf8(&bytes).ok()?;
    // SAFETY: checked as UTF-8 on the line above.
    Some(unsafe { String::from_utf8_unchecked(bytes) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What an import gives, in a comparable form (as the tests of the
    /// whole read compare theirs), with the values counted.
    fn shown(imported: Result<Imported, ImportError>) -> String {
        match imported {
            Ok(r) => format!(
                "{:?}\n{:?}\n{:?}\n{:?}",
                r.inventory.sites(),
                r.report,
                r.header,
                r.mapping
            ),
            Err(e) => format!("{e:?}"),
        }
    }

    fn opts() -> ImportOptions {
        ImportOptions {
            count_values: true,
            ..Default::default()
        }
    }

    /// The file of `bytes` streamed (`None`: left to the whole read) and
    /// read whole.
    fn both(bytes: &[u8], readers: usize, sizes: (usize, usize)) -> (Option<String>, String) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("t.csv");
        std::fs::write(&path, bytes).expect("write");
        let streamed = read_streamed(&path, &opts(), readers, sizes).map(|t| shown(t.finish()));
        let whole = shown(super::super::csv_file::import_bytes(
            bytes,
            &path.display().to_string(),
            &opts(),
        ));
        (streamed, whole)
    }

    /// A plain inventory of `n` rows (Chinese names, CR LF, blank lines,
    /// quoted cells with delimiters and doubled quotes, bad values).
    fn plain(n: usize) -> String {
        let mut text =
            String::from("\u{feff}网站标识码,网站名称,层级,上级网站标识码,年度预算（元）\r\n");
        for i in 0..n {
            let name = match i % 4 {
                0 => format!("\"县, 第{i}\"\"号\"\"\""),
                1 => format!("某某县人民政府{i}"),
                _ => format!("site {i}"),
            };
            let parent = if i == 0 {
                String::new()
            } else {
                format!("S{}", i / 3)
            };
            let budget = if i % 7 == 0 {
                "abc".into()
            } else {
                format!("{}.5", i * 10)
            };
            text.push_str(&format!("S{i},{name},county,{parent},{budget}\r\n"));
            if i % 50 == 0 {
                text.push_str("\r\n");
            }
        }
        text
    }

    #[test]
    fn a_plain_file_streams_to_what_the_whole_read_gives() {
        let text = plain(3000);
        for readers in [1, 2, 3] {
            for sizes in [(100, 100), (4096, 700), (64 << 10, 256)] {
                let (streamed, whole) = both(text.as_bytes(), readers, sizes);
                let streamed = streamed.expect("a plain file streams");
                assert_eq!(streamed, whole, "{readers} readers, {sizes:?}");
            }
        }
        // Without the byte-order mark, with LF, and its last line
        // unfinished.
        let bare = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
        let bare = bare.trim_end();
        let (streamed, whole) = both(bare.as_bytes(), 2, (300, 200));
        assert_eq!(streamed.expect("streams"), whole);
    }

    #[test]
    fn a_gb18030_file_streams_to_what_the_whole_read_gives() {
        let text = plain(3000);
        let text = text.trim_start_matches('\u{feff}');
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        // As it is; with lines in UTF-8 pasted in; with a bad byte.
        let mut mixed = gb.to_vec();
        mixed.extend_from_slice("S9001,某某县人民政府,county,S1,5\r\n".as_bytes());
        mixed.extend_from_slice(&gb[gb.len() / 2..]);
        let mut bad = gb.to_vec();
        bad.extend_from_slice(b"S9002,\xFF\xFEname,county,S1,5\r\n");
        for (what, bytes) in [("gb18030", gb.to_vec()), ("mixed", mixed), ("bad", bad)] {
            for readers in [1, 3] {
                let (streamed, whole) = both(&bytes, readers, (4096, 700));
                let streamed = streamed.expect("a GB18030 file streams");
                assert_eq!(streamed, whole, "{what}, {readers} readers");
                assert!(whole.contains("GB18030"), "{what}");
            }
        }
    }

    #[test]
    fn what_the_whole_read_must_report_is_left_to_it() {
        let text = plain(2000);
        let half = text.len() / 2;
        let cut = half + text[half..].find('\n').unwrap_or(0) + 1;
        let (head, tail) = text.split_at(cut);
        let cases: Vec<(&str, Vec<u8>)> = vec![
            // A cell with line breaks in it over the ends of pieces.
            (
                "quoted lines",
                format!("{head}S9999,\"{}\",county\n{tail}", "x\n".repeat(500)).into_bytes(),
            ),
            // A quote never closed.
            (
                "unclosed",
                format!("{head}S9999,\"open,county\n{tail}").into_bytes(),
            ),
            // GB18030 bytes half way: the file is not UTF-8.
            (
                "gb18030",
                [
                    head.as_bytes(),
                    b"S9999,\xd6\xd0\xce\xc4,county\n",
                    tail.as_bytes(),
                ]
                .concat(),
            ),
            // A row wider than an inventory's.
            (
                "wide",
                format!(
                    "{head}S9999{},county\n{tail}",
                    ",".repeat(source::MAX_ROW_CELLS + 1)
                )
                .into_bytes(),
            ),
            // UTF-16, a zip file, a binary start.
            ("utf-16", [&b"\xff\xfe"[..], text.as_bytes()].concat()),
            ("zip", [&b"PK\x03\x04"[..], text.as_bytes()].concat()),
            ("nul", [&b"\0\0\0\0"[..], text.as_bytes()].concat()),
            // The header over the end of the first piece.
            (
                "long header",
                format!("{}{text}", " ".repeat(500)).into_bytes(),
            ),
        ];
        for (what, bytes) in cases {
            let (streamed, whole) = both(&bytes, 2, (300, 256));
            assert_eq!(
                streamed, None,
                "{what}: streamed, the whole read gives {whole}"
            );
        }
    }

    /// One line of a file: a row of sites' cells, blank, or broken; with
    /// `hostile`, also cells with line breaks and stray quotes.
    fn line(hostile: bool) -> impl Strategy<Value = String> {
        let id = prop_oneof![
            Just("".to_string()),
            (0u32..40).prop_map(|n| format!("S{n}"))
        ];
        let plain = prop_oneof![
            Just("name"),
            Just("某县人民政府"),
            Just("\"a, b\""),
            Just("\"say \"\"hi\"\"\""),
            Just(""),
        ];
        let name = if hostile {
            prop_oneof![plain, Just("\"two\nlines\""), Just("x\"y")].boxed()
        } else {
            plain.boxed()
        };
        let level = prop_oneof![Just("county"), Just("市级"), Just("nowhere"), Just("")];
        let budget = prop_oneof![Just("12"), Just("3.5"), Just("-1"), Just("abc"), Just("")];
        let eol = prop_oneof![
            Just("\n"),
            Just("\r\n"),
            Just("\n\n"),
            Just("\r\n\r\n"),
            Just("\r")
        ];
        (id, name, level, budget, eol).prop_map(|(id, name, level, budget, eol)| {
            format!("{id},{name},{level},S1,{budget}{eol}")
        })
    }

    /// A file's lines, plain or hostile, and whether they are hostile.
    fn lines() -> impl Strategy<Value = (Vec<String>, bool)> {
        any::<bool>()
            .prop_flat_map(|hostile| (prop::collection::vec(line(hostile), 0..400), Just(hostile)))
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 96,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Whatever a file holds, streaming it either gives exactly what
        /// reading it whole gives, or leaves it to the whole read; a
        /// plain file whose header fits in the first piece streams.
        #[test]
        fn streaming_reads_as_the_whole_read_or_not_at_all(
            (lines, hostile) in lines(),
            bom in any::<bool>(),
            tail in prop_oneof![Just(""), Just("\"open,county"), Just("S7,\u{4e2d},county")],
            readers in 1usize..4,
            piece in prop_oneof![Just(16usize), Just(64), Just(200), Just(1000)],
            head in prop_oneof![Just(32usize), Just(300), Just(5000)],
            gb in any::<bool>(),
        ) {
            let text = format!(
                "{}site_id,name,level,parent_id,annual_budget\r\n{}{tail}",
                if bom { "\u{feff}" } else { "" },
                lines.concat()
            );
            // In GB18030: a file with Chinese in its first piece is read as
            // GB18030 throughout; one without starts as UTF-8 and is left
            // to the whole read at its first Chinese line (so a GB18030
            // file is not counted as plain).
            let bytes = if gb {
                encoding_rs::GB18030.encode(&text).0.into_owned()
            } else {
                text.clone().into_bytes()
            };
            let (streamed, whole) = both(&bytes, readers, (head, piece));
            let plain = !hostile && !gb && !tail.starts_with('"') && head >= 300;
            prop_assert!(streamed.is_some() || !plain, "a plain file was not streamed");
            if let Some(streamed) = streamed {
                prop_assert_eq!(streamed, whole);
            }
        }
    }
}
