//! Web addresses as inventories write them: `www.xx.gov.cn`,
//! `http://www.xx.gov.cn/`, `ＨＴＴＰ：／／www。xx。gov。cn`, ` www.xx .gov.cn/jyj `,
//! `http://北京.政务`, several in one cell (`www.a.gov.cn；a.gov.cn`).
//!
//! An address is read into its host (lower case, a Chinese name in its
//! Punycode form `xn--…`, as browsers send it), its port, its path
//! (decoded, as servers match it: `%E6%95%99` is `教`; empty and `.`
//! segments dropped, `..` applied, the trailing slash and an index page
//! such as `index.html` dropped) and its query.
//!
//! ```
//! use sitefold::execution::redirects::Address;
//! let a = Address::parse("ＨＴＴＰ：／／WWW。Xx.gov.cn/Jyj/index.html").expect("an address");
//! assert_eq!(a.key(), "www.xx.gov.cn/Jyj");
//! assert_eq!(a.url(), "http://www.xx.gov.cn/Jyj");
//! assert_eq!(Address::parse("http://北京.政务").expect("idn").host, "xn--1lq90i.xn--zfr164b");
//! ```

use crate::i18n::Lang;

/// How an address is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `http://`
    Http,
    /// `https://`
    Https,
}

impl Scheme {
    /// `http` or `https`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// A web address, read and normalised.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Address {
    /// The scheme, when the address says.
    pub scheme: Option<Scheme>,
    /// The host: lower case ASCII, a Chinese name as Punycode (`xn--…`).
    pub host: String,
    /// The port, when written and not the scheme's own.
    pub port: Option<u16>,
    /// The path's segments, decoded (no empty ones, no index page).
    pub segments: Vec<String>,
    /// The query (after `?`), as written; empty when none.
    pub query: String,
}

/// Why a text is not a web address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddressError {
    /// No host name in it.
    NoHost,
    /// A scheme other than http and https (`ftp://`, `mailto:`).
    Scheme(String),
    /// The host has characters a host name cannot have, or no dot.
    Host(String),
    /// The port is not a number from 1 to 65535.
    Port(String),
    /// The path, decoded, is not UTF-8 text or holds control characters.
    Path,
}

impl AddressError {
    /// What is wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (AddressError::NoHost, Lang::Zh) => "不是网址（没有域名）".into(),
            (AddressError::NoHost, Lang::En) => "not a web address (no host name)".into(),
            (AddressError::Scheme(s), Lang::Zh) => format!("不是网页地址（{s}:）"),
            (AddressError::Scheme(s), Lang::En) => format!("not a web page address ({s}:)"),
            (AddressError::Host(h), Lang::Zh) => format!("域名“{h}”不是有效的域名"),
            (AddressError::Host(h), Lang::En) => format!("'{h}' is not a valid host name"),
            (AddressError::Port(p), Lang::Zh) => format!("端口“{p}”无效"),
            (AddressError::Port(p), Lang::En) => format!("'{p}' is not a valid port"),
            (AddressError::Path, Lang::Zh) => "路径解码后不是 UTF-8 文本或含控制字符".into(),
            (AddressError::Path, Lang::En) => {
                "its path, decoded, is not UTF-8 text or holds control characters".into()
            }
        }
    }
}

/// Words an inventory writes for "no address".
const NONE_WORDS: &[&str] = &[
    "无",
    "暂无",
    "没有",
    "无网址",
    "无域名",
    "未开通",
    "空",
    "none",
    "null",
    "nil",
    "n/a",
    "na",
];

/// One character of a cell as an address reads it: full-width forms as
/// their ASCII, the ideographic full stop as a dot, the ideographic space
/// as a space; invisible characters dropped.
fn plain(c: char) -> Option<char> {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        '\u{3000}' => Some(' '),
        '。' | '｡' => Some('.'),
        '、' => Some(','),
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => None,
        _ => Some(c),
    }
}

/// The addresses a cell holds, as texts to read with [`Address::parse`]:
/// split at `;` `,` `、` (any width) and line breaks, and at spaces
/// between two addresses; a space inside one (`www.xx .gov.cn`,
/// `http://www.xx.gov.cn /jyj`) is a typing slip and is dropped. Words for
/// "none" (`无`, `暂无`, `none`, `-`) count as no address.
pub fn split_addresses(cell: &str) -> Vec<String> {
    let text: String = cell.chars().filter_map(plain).collect();
    let mut out: Vec<String> = Vec::new();
    for part in text.split([';', ',', '\n', '\r', '|']) {
        let mut current = String::new();
        for word in part.split_whitespace() {
            let glue = current.is_empty()
                || current.ends_with(['.', '/', ':', '\\', '=', '?', '&', '-'])
                || word.starts_with(['.', '/', ':', '\\', '?', '#', '&', '=', '-']);
            if !glue {
                out.push(std::mem::take(&mut current));
            }
            current.push_str(word);
        }
        out.push(current);
    }
    out.into_iter()
        .map(|s| {
            s.trim_matches(|c: char| "\"'<>()“”‘’「」【】《》".contains(c) || c.is_whitespace())
                .to_string()
        })
        .filter(|s| !is_none_word(s))
        .collect()
}

fn is_none_word(s: &str) -> bool {
    s.chars().all(|c| !c.is_alphanumeric()) || NONE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
}

impl Address {
    /// Reads one address (a piece of a cell, see [`split_addresses`]; a
    /// whole cell with one address works too).
    pub fn parse(raw: &str) -> Result<Address, AddressError> {
        let text: String = raw
            .chars()
            .filter_map(plain)
            .filter(|c| !c.is_whitespace())
            .map(|c| if c == '\\' { '/' } else { c })
            .collect();
        let (scheme, rest) = split_scheme(&text)?;
        let rest = rest.trim_start_matches('/');
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let authority = authority.rsplit('@').next().unwrap_or_default();
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') => {
                let port: u16 = p
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| AddressError::Port(p.to_string()))?;
                (h, Some(port))
            }
            _ => (authority, None),
        };
        let host = ascii_host(host)?;
        let port = port.filter(|&p| p != scheme.unwrap_or(Scheme::Http).default_port());
        let tail = tail.split('#').next().unwrap_or_default();
        let (path, query) = tail.split_once('?').unwrap_or((tail, ""));
        Ok(Address {
            scheme,
            host,
            port,
            segments: segments(path)?,
            query: query.to_string(),
        })
    }

    /// The host and path a server matches, the path decoded, without a
    /// trailing slash: `www.xx.gov.cn` or `www.xx.gov.cn/教育局`.
    pub fn key(&self) -> String {
        let mut k = self.host.clone();
        for s in &self.segments {
            k.push('/');
            k.push_str(s);
        }
        k
    }

    /// The path, percent-encoded, without a trailing slash: `/jyj`, or
    /// empty for the site's root.
    pub fn encoded_path(&self) -> String {
        let mut p = String::new();
        for s in &self.segments {
            p.push('/');
            encode_into(s, &mut p, is_segment_char);
        }
        p
    }

    /// The host with its port, when one is written (`www.xx.gov.cn:8080`).
    pub fn host_port(&self) -> String {
        match self.port {
            Some(p) => format!("{}:{p}", self.host),
            None => self.host.clone(),
        }
    }

    /// The whole address in ASCII, as a browser is sent to it: the scheme
    /// written (`http` when none is), host, port, path without a trailing
    /// slash, query.
    pub fn url(&self) -> String {
        let scheme = self.scheme.unwrap_or(Scheme::Http).as_str();
        let mut u = format!("{scheme}://{}{}", self.host_port(), self.encoded_path());
        if !self.query.is_empty() {
            u.push('?');
            u.push_str(&encode_url_text(&self.query));
        }
        u
    }

    /// True when a request for `other` falls within this address: the same
    /// host, and `other`'s path is this one's or below it (letter case
    /// ignored, as the redirect map matches).
    pub fn covers(&self, other: &Address) -> bool {
        self.host == other.host
            && other.segments.len() >= self.segments.len()
            && self
                .segments
                .iter()
                .zip(&other.segments)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    }
}

/// The scheme and what follows it. `http:/x`, `http//x` and `//x` are
/// read as written with `://`.
fn split_scheme(text: &str) -> Result<(Option<Scheme>, &str), AddressError> {
    let lower = text.to_ascii_lowercase();
    for (name, scheme) in [("https", Scheme::Https), ("http", Scheme::Http)] {
        if let Some(after) = lower.strip_prefix(name)
            && (after.starts_with(':') || after.starts_with("//"))
        {
            let rest = &text[name.len()..];
            return Ok((Some(scheme), rest.trim_start_matches(':')));
        }
    }
    if let Some((before, _)) = text.split_once(':')
        && !before.is_empty()
        && before.chars().all(|c| c.is_ascii_alphabetic())
        && !text[before.len() + 1..].starts_with(|c: char| c.is_ascii_digit())
    {
        return Err(AddressError::Scheme(before.to_ascii_lowercase()));
    }
    Ok((None, text))
}

/// The host as DNS and the `Host` header write it.
fn ascii_host(host: &str) -> Result<String, AddressError> {
    let lower = host.to_lowercase();
    let trimmed = lower.trim_end_matches('.');
    if trimmed.is_empty() {
        return Err(AddressError::NoHost);
    }
    let bad = || AddressError::Host(host.to_string());
    let mut labels = Vec::new();
    for label in trimmed.split('.') {
        let ascii = if label.is_ascii() {
            label.to_string()
        } else {
            let encoded = super::punycode::encode(label).ok_or_else(bad)?;
            format!("xn--{encoded}")
        };
        let ok = !ascii.is_empty()
            && ascii.len() <= 63
            && !ascii.starts_with('-')
            && !ascii.ends_with('-')
            && ascii
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !ok {
            return Err(bad());
        }
        labels.push(ascii);
    }
    let joined = labels.join(".");
    if labels.len() < 2 || joined.len() > 253 {
        return Err(bad());
    }
    Ok(joined)
}

/// An index page at the end of a path: the site is its folder.
fn is_index_page(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    let Some((stem, ext)) = lower.rsplit_once('.') else {
        return false;
    };
    ["index", "default", "home", "main"].contains(&stem)
        && ["htm", "html", "shtml", "jsp", "asp", "aspx", "php"].contains(&ext)
}

/// The decoded segments of a path.
fn segments(path: &str) -> Result<Vec<String>, AddressError> {
    let mut out: Vec<String> = Vec::new();
    for raw in path.split('/') {
        let s = percent_decode(raw).ok_or(AddressError::Path)?;
        if s.chars().any(char::is_control) {
            return Err(AddressError::Path);
        }
        match s.as_str() {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            _ => out.push(s),
        }
    }
    if out.last().is_some_and(|s| is_index_page(s)) {
        out.pop();
    }
    Ok(out)
}

/// `%XX` decoded; `None` when the bytes are not UTF-8. A `%` not
/// followed by two hex digits stays as it is.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |j: usize| b.get(j).and_then(|c| (*c as char).to_digit(16));
        match (b[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Characters a path segment keeps as they are (RFC 3986 `pchar` less `%`).
fn is_segment_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b)
}

/// Characters kept as they are in the unreserved set (for an id put into
/// an address).
pub(super) fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~".contains(&b)
}

/// Appends `s`, each byte `keep` refuses written `%XX`.
pub(super) fn encode_into(s: &str, out: &mut String, keep: fn(u8) -> bool) {
    for &b in s.as_bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// Text put into an address as it is, made safe to send: spaces, quotes,
/// `<>\^`{|}`, control and non-ASCII characters percent-encoded, a `%`
/// that starts no `%XX` written `%25`; everything an address may hold
/// (`/?#&=:@$…`) and `%XX` kept.
pub fn encode_url_text(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in b.iter().enumerate() {
        let escape_start = c == b'%'
            && b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        let keep = escape_start
            || (c != b'%' && (is_segment_char(c) || b"/?#[]".contains(&c)) && c.is_ascii());
        if keep {
            out.push(char::from(c));
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        Address::parse(s)
            .map(|a| a.key())
            .unwrap_or_else(|e| format!("ERR {e:?}"))
    }

    #[test]
    fn messy_addresses_read_as_a_server_sees_them() {
        for (raw, want) in [
            ("www.xx.gov.cn", "www.xx.gov.cn"),
            ("http://www.xx.gov.cn/", "www.xx.gov.cn"),
            ("HTTPS://WWW.XX.GOV.CN:443/", "www.xx.gov.cn"),
            ("  www.xx.gov.cn.  ", "www.xx.gov.cn"),
            ("ｗｗｗ．ｘｘ。gov。cn／ＪＹＪ／", "www.xx.gov.cn/JYJ"),
            ("http:/www.xx.gov.cn", "www.xx.gov.cn"),
            ("http//www.xx.gov.cn/a", "www.xx.gov.cn/a"),
            ("//www.xx.gov.cn/a//b/./c/../d/", "www.xx.gov.cn/a/b/d"),
            ("www.xx.gov.cn\\jyj\\index.htm", "www.xx.gov.cn/jyj"),
            ("www.xx.gov.cn/jyj/Default.aspx", "www.xx.gov.cn/jyj"),
            ("www.xx.gov.cn/jyj/list.html", "www.xx.gov.cn/jyj/list.html"),
            (
                "www.xx.gov.cn/%E6%95%99%E8%82%B2%E5%B1%80",
                "www.xx.gov.cn/教育局",
            ),
            ("www.xx.gov.cn/教育局#top", "www.xx.gov.cn/教育局"),
            ("www.北京.政务", "www.xn--1lq90i.xn--zfr164b"),
            (
                "http://中国政府网.政务/",
                "xn--fiqs8sirgfmhq98a.xn--zfr164b",
            ),
            ("user@www.xx.gov.cn", "www.xx.gov.cn"),
        ] {
            assert_eq!(key(raw), want, "{raw}");
        }
        let a = Address::parse("www.xx.gov.cn:8080/a?b=1&c=中").expect("ok");
        assert_eq!(a.port, Some(8080));
        assert_eq!(a.query, "b=1&c=中");
        assert_eq!(a.url(), "http://www.xx.gov.cn:8080/a?b=1&c=%E4%B8%AD");
        let a = Address::parse("https://www.xx.gov.cn/教育 局/").expect("ok");
        assert_eq!(a.key(), "www.xx.gov.cn/教育局", "a space is a typing slip");
        assert_eq!(a.url(), "https://www.xx.gov.cn/%E6%95%99%E8%82%B2%E5%B1%80");
        let a = Address::parse("www.xx.gov.cn/a%20b/").expect("ok");
        assert_eq!(a.key(), "www.xx.gov.cn/a b");
        assert_eq!(a.encoded_path(), "/a%20b");
    }

    #[test]
    fn what_is_not_a_web_address() {
        assert_eq!(Address::parse(""), Err(AddressError::NoHost));
        assert_eq!(Address::parse("http://"), Err(AddressError::NoHost));
        assert_eq!(
            Address::parse("ftp://x.gov.cn"),
            Err(AddressError::Scheme("ftp".into()))
        );
        assert_eq!(
            Address::parse("mailto:a@b.cn"),
            Err(AddressError::Scheme("mailto".into()))
        );
        assert!(matches!(
            Address::parse("localhost"),
            Err(AddressError::Host(_))
        ));
        assert!(matches!(
            Address::parse("某某网站"),
            Err(AddressError::Host(_))
        ));
        assert!(matches!(
            Address::parse("a..gov.cn"),
            Err(AddressError::Host(_))
        ));
        assert!(matches!(
            Address::parse("x.gov.cn:99999"),
            Err(AddressError::Port(_))
        ));
        assert_eq!(Address::parse("x.gov.cn/%0A"), Err(AddressError::Path));
        assert_eq!(Address::parse("x.gov.cn/%D6%D0"), Err(AddressError::Path));
        assert!(AddressError::Path.message(Lang::Zh).contains("UTF-8"));
    }

    #[test]
    fn cells_with_several_addresses_or_none() {
        assert_eq!(
            split_addresses("www.a.gov.cn；a.gov.cn、http://b.gov.cn/x"),
            ["www.a.gov.cn", "a.gov.cn", "http://b.gov.cn/x"]
        );
        assert_eq!(
            split_addresses("www.a.gov.cn  www.b.gov.cn"),
            ["www.a.gov.cn", "www.b.gov.cn"]
        );
        assert_eq!(
            split_addresses(" http:// www.xx .gov.cn /jyj "),
            ["http://www.xx.gov.cn/jyj"]
        );
        assert_eq!(split_addresses("“www.a.gov.cn”"), ["www.a.gov.cn"]);
        for none in ["", "  ", "无", "暂无", "-", "—", "N/A", "/"] {
            assert!(split_addresses(none).is_empty(), "{none}");
        }
    }

    #[test]
    fn covering_and_encoding() {
        let site = Address::parse("www.a.gov.cn/JYJ").expect("ok");
        let below = Address::parse("http://www.a.gov.cn/jyj/x").expect("ok");
        let host = Address::parse("www.a.gov.cn").expect("ok");
        assert!(site.covers(&below) && host.covers(&site) && !site.covers(&host));
        assert!(!site.covers(&Address::parse("www.a.gov.cn/jyjx").expect("ok")));
        assert_eq!(
            encode_url_text("a b\"<%zz%41中$"),
            "a%20b%22%3C%25zz%41%E4%B8%AD$"
        );
    }
}
