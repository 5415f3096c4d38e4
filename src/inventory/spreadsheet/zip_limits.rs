//! Zip limits: a workbook's zip directory and shared strings checked
//! against the limits before anything is unpacked.

use std::io::Cursor;

use super::{
    MAX_OTHER_PART, MAX_SHARED_STRING_XML, MAX_SHARED_STRINGS, MAX_SHARED_STRINGS_MEMORY,
    MAX_SHEET_PART, MAX_ZIP_ENTRIES, fail,
};
use crate::inventory::report::excerpt;
use crate::inventory::source::ImportError;

/// The entries of a zip archive with their declared unpacked sizes, read
/// from the central directory; `None` when it cannot be read (calamine then
/// reports the damage).
pub(super) fn zip_entries(bytes: &[u8]) -> Option<Vec<(String, u64)>> {
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
pub(super) fn check_zip_limits(entries: &[(String, u64)], path: &str) -> Result<(), ImportError> {
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
pub(super) fn shared_strings_entry(entries: &[(String, u64)]) -> Option<&(String, u64)> {
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
pub(super) fn check_shared_strings(
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
    fn garbage_is_not_a_zip_directory() {
        assert!(zip_entries(b"PK\x03\x04 nothing else").is_none());
        assert!(zip_entries(&[]).is_none());
    }
}
