//! Recognising a project from its name or its first bytes (an SQLite
//! header with Sitefold's application id, or the JSON of versions 0 and
//! 1: `{"format": "sitefold-project", "version": N`), before anything
//! else of the file is read.

use std::io::Read;
use std::path::Path;

use super::{EXTENSION, FORMAT};

/// True when `path` names a project: the `.sitefold` extension, or a file
/// that begins like one.
pub fn is_project_path(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if ext.as_deref() == Some(EXTENSION) {
        return true;
    }
    let mut head = [0u8; 100];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    if let Some(h) = super::store::parse_header(&head[..n]) {
        return h.application_id == super::store::APPLICATION_ID as u32;
    }
    matches!(parse_prefix(&head[..n]), Prefix::Project { .. })
}

/// What the first bytes of a file say.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Prefix {
    /// A project of this version.
    Project { version: u64 },
    /// The bytes end before the version (a project cut short, or a tiny file).
    Short,
    /// Something else.
    NotAProject,
}

fn skip_ws(b: &[u8]) -> usize {
    b.iter()
        .position(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        .unwrap_or(b.len())
}

/// Reads `{"format": "sitefold-project", "version": N` (white space
/// allowed, a UTF-8 BOM skipped) from the start of a file.
pub(super) fn parse_prefix(bytes: &[u8]) -> Prefix {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut at = 0;
    // Each step: Ok(true) matched, Ok(false) ran out of bytes, Err mismatch.
    let expect = |lit: &[u8], at: &mut usize| -> Result<bool, ()> {
        *at += skip_ws(&b[*at..]);
        let rest = &b[*at..];
        if rest.len() < lit.len() {
            return if lit.starts_with(rest) {
                Ok(false)
            } else {
                Err(())
            };
        }
        if rest.starts_with(lit) {
            *at += lit.len();
            Ok(true)
        } else {
            Err(())
        }
    };
    let format = format!("\"{FORMAT}\"");
    for lit in [
        &b"{"[..],
        b"\"format\"",
        b":",
        format.as_bytes(),
        b",",
        b"\"version\"",
        b":",
    ] {
        match expect(lit, &mut at) {
            Ok(true) => {}
            Ok(false) => return Prefix::Short,
            Err(()) => return Prefix::NotAProject,
        }
    }
    at += skip_ws(&b[at..]);
    let digits = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || at + digits == b.len() {
        return if at + digits == b.len() {
            Prefix::Short
        } else {
            Prefix::NotAProject
        };
    }
    match std::str::from_utf8(&b[at..at + digits])
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        Some(version) => Prefix::Project { version },
        None => Prefix::Project { version: u64::MAX },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        let p = |s: &str| parse_prefix(s.as_bytes());
        assert_eq!(
            p("{\"format\":\"sitefold-project\",\"version\":1,"),
            Prefix::Project { version: 1 }
        );
        assert_eq!(
            p("\u{feff} { \"format\" : \"sitefold-project\" ,\n \"version\": 12 }"),
            Prefix::Project { version: 12 }
        );
        assert_eq!(p("{\"format\":\"sitefold-pro"), Prefix::Short);
        assert_eq!(
            p("{\"format\":\"other\",\"version\":1}"),
            Prefix::NotAProject
        );
        assert_eq!(p("site_id,level\nA,1\n"), Prefix::NotAProject);
        assert_eq!(p(""), Prefix::Short);
    }
}
