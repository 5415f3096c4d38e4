//! The redirect map (issue #15): for every closing (merged) site, its old
//! address → the new address at the site that serves its citizens after
//! the plan (MODEL.md §3, serving(s): chains of merges are followed to the
//! kept site, so no redirect points at a site that is itself closing).
//!
//! The new address follows a per-project pattern
//! ([`crate::execution::Execution::redirect_pattern`], default
//! `{target_url}`) with these placeholders ([`PLACEHOLDERS`]):
//!
//! | placeholder | 中文名 | is |
//! |---|---|---|
//! | `{target_url}` | 承接网站网址 | the receiving site's address: scheme (`http` when none is written), host, port, path, without a trailing slash |
//! | `{target_host}` | 承接网站域名 | its host (and port) |
//! | `{target_path}` | 承接网站路径 | its path without a trailing slash (`/zwgk`, or empty) |
//! | `{target_id}` | 承接网站标识码 | its site id |
//! | `{site_id}` | 网站标识码 | the closing site's id |
//! | `{old_host}` | 原域名 | the host of the closing site's address |
//! | `{old_path}` | 原路径 | the path of the closing site's address, without a trailing slash |
//!
//! A pattern must make a whole address: it starts with `http://`,
//! `https://` or `{target_url}`. Ids and paths are percent-encoded where
//! they go, and so is any text of the pattern an address cannot hold as
//! it is (spaces, Chinese); the result is ASCII.
//!
//! Each closing site's address cell may hold several addresses (see
//! [`split_addresses`]); each is redirected. An address is matched by its
//! host and path ([`Address::key`]): a host alone redirects every address
//! on it, a path (`www.a.gov.cn/jyj`) itself and what is below it, the
//! deepest path first. What cannot be made is listed, never guessed
//! ([`Problem`]): no address; an address that is not one, or that has a
//! query (`?id=12`: a page of a site that may stay); a receiving site
//! without an address (when the pattern needs it); an address that holds
//! a kept site's (the redirect would take that site away); a new address
//! inside the old one (a loop); two closing sites at one address sent to
//! different places (neither is written).
//!
//! [`RedirectMap::build`] makes the map; [`write_redirects`] writes it as
//! CSV (for Excel), an nginx `map` file or an Apache `RewriteMap` text
//! file, each with how to use it.

pub mod address;
mod punycode;
mod write;

use std::borrow::Cow;
use std::collections::HashMap;

use crate::i18n::Lang;
use crate::inventory::Inventory;
use crate::timeline::{Evaluated, Quarter};

use super::Execution;
use super::placeholders::{Placeholder, Template, TemplateError, TemplateKind, TemplateProblem};

pub use address::{Address, AddressError, Scheme, encode_url_text, split_addresses};
pub use write::{redirect_headers, redirect_row, write_redirects};

/// The placeholders of a redirect pattern.
pub const PLACEHOLDERS: &[Placeholder] = &[
    Placeholder::new(
        "target_url",
        "承接网站网址",
        "承接网站的网址，不带末尾的斜杠",
        "the receiving site's address, without a trailing slash",
    ),
    Placeholder::new(
        "target_host",
        "承接网站域名",
        "承接网站的域名",
        "the receiving site's host",
    ),
    Placeholder::new(
        "target_path",
        "承接网站路径",
        "承接网站网址中的路径，不带末尾的斜杠",
        "the path of the receiving site's address, without a trailing slash",
    ),
    Placeholder::new(
        "target_id",
        "承接网站标识码",
        "承接网站的网站标识码",
        "the receiving site's id",
    ),
    Placeholder::new(
        "site_id",
        "网站标识码",
        "关停网站的网站标识码",
        "the closing site's id",
    ),
    Placeholder::new(
        "old_host",
        "原域名",
        "关停网站原网址的域名",
        "the host of the closing site's address",
    ),
    Placeholder::new(
        "old_path",
        "原路径",
        "关停网站原网址中的路径，不带末尾的斜杠",
        "the path of the closing site's address, without a trailing slash",
    ),
];

const TARGET_URL: usize = 0;
const TARGET_HOST: usize = 1;
const TARGET_PATH: usize = 2;
const TARGET_ID: usize = 3;
const SITE_ID: usize = 4;
const OLD_HOST: usize = 5;
const OLD_PATH: usize = 6;

/// The pattern of the new addresses, read and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirectPattern {
    source: String,
    template: Template,
}

impl Default for RedirectPattern {
    fn default() -> RedirectPattern {
        match RedirectPattern::parse("") {
            Ok(p) => p,
            Err(_) => unreachable!("the default pattern is valid (see the tests)"),
        }
    }
}

impl RedirectPattern {
    /// Reads a pattern; an empty one is the default, `{target_url}`.
    pub fn parse(src: &str) -> Result<RedirectPattern, TemplateError> {
        let source = if src.trim().is_empty() {
            super::DEFAULT_REDIRECT_PATTERN
        } else {
            src.trim()
        };
        let template = Template::parse(source, TemplateKind::RedirectPattern, PLACEHOLDERS)?;
        let lead = template.leading_text().to_ascii_lowercase();
        let host_follows = matches!(
            template.field_after_leading_text(),
            Some(TARGET_HOST | OLD_HOST)
        );
        let absolute = template.leading_field() == Some(TARGET_URL)
            || ["http://", "https://"]
                .iter()
                .any(|s| lead.starts_with(s) && (lead.len() > s.len() || host_follows));
        if !absolute {
            return Err(TemplateError {
                kind: TemplateKind::RedirectPattern,
                column: 1,
                line: 1,
                problem: TemplateProblem::NotAbsolute,
                known: PLACEHOLDERS,
            });
        }
        Ok(RedirectPattern {
            source: source.to_string(),
            template,
        })
    }

    /// The pattern of a project's execution settings.
    pub fn of(execution: &Execution) -> Result<RedirectPattern, TemplateError> {
        RedirectPattern::parse(execution.redirect_pattern())
    }

    /// The pattern as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// True when the pattern needs the receiving site's address.
    pub fn needs_target_address(&self) -> bool {
        [TARGET_URL, TARGET_HOST, TARGET_PATH]
            .iter()
            .any(|&k| self.template.uses(k))
    }

    /// The new address of `old`, the address of closing site `site_id`,
    /// served by the site `target_id` at `target` (its address, when it
    /// has one; `None` only when the pattern does not need it).
    pub fn new_address(
        &self,
        site_id: &str,
        old: &Address,
        target_id: &str,
        target: Option<&Address>,
    ) -> String {
        let id = |s: &str| {
            let mut out = String::new();
            address::encode_into(s, &mut out, address::is_unreserved);
            out
        };
        self.template.fill_with(
            |k, out| {
                let v: Cow<'_, str> = match k {
                    TARGET_URL => target.map_or(Cow::Borrowed(""), |t| Cow::Owned(t.url())),
                    TARGET_HOST => target.map_or(Cow::Borrowed(""), |t| Cow::Owned(t.host_port())),
                    TARGET_PATH => {
                        target.map_or(Cow::Borrowed(""), |t| Cow::Owned(t.encoded_path()))
                    }
                    TARGET_ID => Cow::Owned(id(target_id)),
                    SITE_ID => Cow::Owned(id(site_id)),
                    OLD_HOST => Cow::Borrowed(old.host.as_str()),
                    OLD_PATH => Cow::Owned(old.encoded_path()),
                    _ => Cow::Borrowed(""),
                };
                out.push_str(&v);
            },
            |text, out| out.push_str(&encode_url_text(text)),
        )
    }
}

/// The kinds of file a redirect map is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RedirectFormat {
    /// A table for Excel (UTF-8 with BOM, CRLF), with what could not be made.
    Csv,
    /// An nginx configuration file defining `$sitefold_redirect`.
    Nginx,
    /// An Apache `RewriteMap` text file (`txt:`), one `key value` a line.
    Apache,
}

impl RedirectFormat {
    /// Every format.
    pub const ALL: [RedirectFormat; 3] = [
        RedirectFormat::Csv,
        RedirectFormat::Nginx,
        RedirectFormat::Apache,
    ];

    /// Its name on the command line: `csv`, `nginx`, `apache`.
    pub fn key(self) -> &'static str {
        match self {
            RedirectFormat::Csv => "csv",
            RedirectFormat::Nginx => "nginx",
            RedirectFormat::Apache => "apache",
        }
    }

    /// The format named `s` (case ignored).
    pub fn from_key(s: &str) -> Option<RedirectFormat> {
        let s = s.trim();
        RedirectFormat::ALL
            .into_iter()
            .find(|f| f.key().eq_ignore_ascii_case(s))
    }

    /// The format a file's extension names without doubt: `.csv`;
    /// `.conf` or `.nginx` for nginx; `.txt` for Apache (its documentation
    /// names RewriteMap text files so). `.map` is either: `None`.
    pub fn from_extension(ext: &str) -> Option<RedirectFormat> {
        match ext.to_ascii_lowercase().as_str() {
            "csv" => Some(RedirectFormat::Csv),
            "conf" | "nginx" => Some(RedirectFormat::Nginx),
            "txt" => Some(RedirectFormat::Apache),
            _ => None,
        }
    }

    /// The extension a file of this format is given.
    pub fn extension(self) -> &'static str {
        match self {
            RedirectFormat::Csv => "csv",
            RedirectFormat::Nginx => "conf",
            RedirectFormat::Apache => "txt",
        }
    }

    /// What it is, in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            RedirectFormat::Csv => lang.pick("CSV 表格", "CSV table"),
            RedirectFormat::Nginx => lang.pick("nginx 跳转表", "nginx map"),
            RedirectFormat::Apache => lang.pick("Apache RewriteMap 文本", "Apache RewriteMap text"),
        }
    }
}

/// Why a closing site's address gets no redirect line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The site has no address in the inventory.
    NoAddress,
    /// Its address is not a web address.
    BadAddress(AddressError),
    /// Its address has a query (`?id=12`): such a page is matched by no
    /// host and path alone; redirect it by hand.
    Query,
    /// The receiving site has no address (and the pattern needs one).
    TargetNoAddress,
    /// The receiving site's address is not a web address.
    TargetBadAddress(AddressError),
    /// The address is, or holds, the address of a kept site: redirecting
    /// it would take that site's pages away.
    KeptSite {
        /// The kept site.
        kept: usize,
    },
    /// The new address lies within the old one: it would redirect to itself.
    Loop,
    /// Another closing site has the same address and goes elsewhere;
    /// neither is written.
    Conflict {
        /// The other site.
        other: usize,
    },
    /// An earlier closing site has the same address and goes to the same
    /// place: written once, for it. Not a failure.
    Repeated {
        /// The earlier site.
        first: usize,
    },
}

impl Problem {
    /// False for what is only a note (the redirect is made all the same).
    pub fn is_failure(&self) -> bool {
        !matches!(self, Problem::Repeated { .. })
    }

    /// What it means, in `lang`, naming the sites of `inv`.
    pub fn message(&self, inv: &Inventory, lang: Lang) -> String {
        let site = |i: usize| {
            let s = inv.site(i);
            if s.name.is_empty() || s.name == s.id {
                s.id.to_string()
            } else {
                format!("{} {}", s.id, s.name)
            }
        };
        match (self, lang) {
            (Problem::NoAddress, Lang::Zh) => "清单中没有网址，无法跳转".into(),
            (Problem::NoAddress, Lang::En) => "no address in the inventory: no redirect".into(),
            (Problem::BadAddress(e), Lang::Zh) => format!("网址无法识别：{}", e.message(lang)),
            (Problem::BadAddress(e), Lang::En) => {
                format!("the address cannot be read: {}", e.message(lang))
            }
            (Problem::Query, Lang::Zh) => {
                "网址带查询参数（?…），无法按域名和路径匹配，请手工设置跳转".into()
            }
            (Problem::Query, Lang::En) => {
                "the address has a query (?…) that no host and path match: redirect it by hand"
                    .into()
            }
            (Problem::TargetNoAddress, Lang::Zh) => "承接网站没有网址，无法生成跳转".into(),
            (Problem::TargetNoAddress, Lang::En) => {
                "the receiving site has no address: no redirect can be made".into()
            }
            (Problem::TargetBadAddress(e), Lang::Zh) => {
                format!("承接网站的网址无法识别：{}", e.message(lang))
            }
            (Problem::TargetBadAddress(e), Lang::En) => {
                format!(
                    "the receiving site's address cannot be read: {}",
                    e.message(lang)
                )
            }
            (Problem::KeptSite { kept }, Lang::Zh) => format!(
                "该网址就是保留网站 {} 的网址或包含它，跳转会使其无法访问",
                site(*kept)
            ),
            (Problem::KeptSite { kept }, Lang::En) => format!(
                "the address is, or holds, that of the kept site {}: a redirect would take it away",
                site(*kept)
            ),
            (Problem::Loop, Lang::Zh) => "新网址在原网址之内，跳转会循环".into(),
            (Problem::Loop, Lang::En) => {
                "the new address lies within the old one: the redirect would loop".into()
            }
            (Problem::Conflict { other }, Lang::Zh) => format!(
                "与关停网站 {} 网址相同而承接网址不同，两者都未写入",
                site(*other)
            ),
            (Problem::Conflict { other }, Lang::En) => format!(
                "the same address as the closing site {}, which goes elsewhere: neither is written",
                site(*other)
            ),
            (Problem::Repeated { first }, Lang::Zh) => {
                format!("与关停网站 {} 网址和新网址都相同，只写一次", site(*first))
            }
            (Problem::Repeated { first }, Lang::En) => format!(
                "the same address and new address as the closing site {}: written once",
                site(*first)
            ),
        }
    }
}

/// One address of one closing site, and where it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// The closing site.
    pub site: usize,
    /// The site serving it after the plan (kept).
    pub target: usize,
    /// Its closure quarter, when it has one.
    pub quarter: Option<Quarter>,
    /// The address as the inventory writes it: the cell when it holds
    /// one address, else the one of its addresses (empty when it has none).
    pub address: String,
    /// The address read.
    pub from: Option<Address>,
    /// The new address, when one could be made.
    pub to: Option<String>,
    /// Why it is not written, or a note.
    pub problem: Option<Problem>,
    /// True when the redirect is a line of the nginx and Apache files.
    pub written: bool,
}

/// One address of a cell: the text and what it reads as.
type Read = (String, Result<Address, AddressError>);

/// Every closing site's redirects, in the inventory's order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RedirectMap {
    /// One entry per address of each closing site (one for a site without).
    pub entries: Vec<Redirect>,
}

impl RedirectMap {
    /// The redirects of the closing sites of `plan`, with the closure
    /// quarters `quarters` (by site; may be empty).
    pub fn build(
        plan: &Evaluated<'_>,
        pattern: &RedirectPattern,
        quarters: &[Option<Quarter>],
    ) -> RedirectMap {
        let inv = plan.inv;
        let addresses = |i: usize| -> Vec<Read> {
            split_addresses(&inv.site(i).url)
                .into_iter()
                .map(|raw| {
                    let parsed = Address::parse(&raw);
                    (raw, parsed)
                })
                .collect()
        };
        // Each site's addresses read once: the closing sites', then the
        // kept sites' (those on the closing sites' hosts, by host: only
        // those can be taken away by a redirect).
        let closing: Vec<(usize, Vec<Read>)> = (0..inv.len())
            .filter(|&i| plan.is_merged(i))
            .map(|i| (i, addresses(i)))
            .collect();
        let closing_hosts: std::collections::HashSet<&str> = closing
            .iter()
            .flat_map(|(_, list)| list.iter().filter_map(|(_, a)| a.as_ref().ok()))
            .map(|a| a.host.as_str())
            .collect();
        let mut kept: HashMap<String, Vec<(usize, Address)>> = HashMap::new();
        // The first address of each receiving site, or why it has none.
        let mut targets: HashMap<usize, Result<Address, Problem>> = HashMap::new();
        for i in 0..inv.len() {
            if plan.is_merged(i) || inv.site(i).url.trim().is_empty() {
                continue;
            }
            let list = addresses(i);
            if pattern.needs_target_address() {
                let first = match list.iter().find_map(|(_, a)| a.as_ref().ok()) {
                    Some(a) => Ok(a.clone()),
                    None => Err(match list.first() {
                        Some((_, Err(e))) => Problem::TargetBadAddress(e.clone()),
                        _ => Problem::TargetNoAddress,
                    }),
                };
                targets.insert(i, first);
            }
            for (_, a) in list {
                if let Ok(a) = a
                    && closing_hosts.contains(a.host.as_str())
                {
                    kept.entry(a.host.clone()).or_default().push((i, a));
                }
            }
        }
        let mut entries = Vec::new();
        for (i, mine) in closing {
            let target = plan.serving(i);
            let quarter = quarters.get(i).copied().flatten();
            let entry = |address: String, from, problem| Redirect {
                site: i,
                target,
                quarter,
                address,
                from,
                to: None,
                problem,
                written: false,
            };
            if mine.is_empty() {
                entries.push(entry(String::new(), None, Some(Problem::NoAddress)));
                continue;
            }
            let target_address = if pattern.needs_target_address() {
                match targets.get(&target) {
                    Some(Ok(a)) => Ok(Some(a)),
                    Some(Err(p)) => Err(p.clone()),
                    None => Err(Problem::TargetNoAddress),
                }
            } else {
                Ok(None)
            };
            // The address as written: the whole cell when it holds one.
            let single = mine.len() == 1;
            let cell = inv.site(i).url.trim().to_string();
            let mut seen: Vec<String> = Vec::new();
            for (piece, parsed) in mine {
                let raw = if single { cell.clone() } else { piece };
                let from = match parsed {
                    Ok(a) => a,
                    Err(e) => {
                        entries.push(entry(raw, None, Some(Problem::BadAddress(e))));
                        continue;
                    }
                };
                let folded = from.key().to_ascii_lowercase();
                if seen.contains(&folded) {
                    continue;
                }
                seen.push(folded);
                if !from.query.is_empty() {
                    entries.push(entry(raw, Some(from), Some(Problem::Query)));
                    continue;
                }
                let target_address = match &target_address {
                    Ok(a) => *a,
                    Err(p) => {
                        entries.push(entry(raw, Some(from), Some(p.clone())));
                        continue;
                    }
                };
                let to = pattern.new_address(
                    &inv.site(i).id,
                    &from,
                    &inv.site(target).id,
                    target_address,
                );
                let shadowed = kept
                    .get(&from.host)
                    .and_then(|list| list.iter().find(|(_, k)| from.covers(k)))
                    .map(|(k, _)| *k);
                let looping = Address::parse(&to).is_ok_and(|t| from.covers(&t));
                let problem = match (shadowed, looping) {
                    (Some(kept), _) => Some(Problem::KeptSite { kept }),
                    (None, true) => Some(Problem::Loop),
                    (None, false) => None,
                };
                let mut e = entry(raw, Some(from), problem);
                e.written = e.problem.is_none();
                e.to = Some(to);
                entries.push(e);
            }
        }
        settle_duplicates(&mut entries);
        RedirectMap { entries }
    }

    /// The redirects written to the nginx and Apache files.
    pub fn written(&self) -> impl Iterator<Item = &Redirect> {
        self.entries.iter().filter(|r| r.written)
    }

    /// The entries that could not be made (not the notes).
    pub fn failures(&self) -> impl Iterator<Item = &Redirect> {
        self.entries
            .iter()
            .filter(|r| r.problem.as_ref().is_some_and(Problem::is_failure))
    }

    /// The number of closing sites.
    pub fn closing_sites(&self) -> usize {
        let mut n = 0;
        let mut last = None;
        for e in &self.entries {
            if last != Some(e.site) {
                n += 1;
                last = Some(e.site);
            }
        }
        n
    }
}

/// Of the entries sharing one address: all written once when they go to
/// the same place (the first written, the others noted), none when they
/// go to different places.
fn settle_duplicates(entries: &mut [Redirect]) {
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (n, e) in entries.iter().enumerate() {
        if let (true, Some(from)) = (e.written, &e.from) {
            by_key
                .entry(from.key().to_ascii_lowercase())
                .or_default()
                .push(n);
        }
    }
    for group in by_key.into_values().filter(|g| g.len() > 1) {
        let first = group[0];
        let same = group.iter().all(|&n| entries[n].to == entries[first].to);
        for (k, &n) in group.iter().enumerate() {
            if same {
                if k > 0 {
                    entries[n].written = false;
                    entries[n].problem = Some(Problem::Repeated {
                        first: entries[first].site,
                    });
                }
            } else {
                let other = group
                    .iter()
                    .map(|&m| &entries[m])
                    .find(|o| o.to != entries[n].to)
                    .map_or(entries[first].site, |o| o.site);
                entries[n].written = false;
                entries[n].problem = Some(Problem::Conflict { other });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> Address {
        Address::parse(s).expect(s)
    }

    #[test]
    fn patterns_fill_every_placeholder() {
        let old = addr("www.town.gov.cn/教育 局/");
        let target = addr("https://www.county.gov.cn/zwgk/");
        let p = RedirectPattern::parse(
            "{target_url}/old/{site_id}?from={old_host}{old_path}&t={target_id}&h={target_host}&p={target_path}",
        )
        .expect("valid");
        assert_eq!(
            p.new_address("T 1/中", &old, "C#1", Some(&target)),
            "https://www.county.gov.cn/zwgk/old/T%201%2F%E4%B8%AD?from=www.town.gov.cn/%E6%95%99%E8%82%B2%E5%B1%80&t=C%231&h=www.county.gov.cn&p=/zwgk"
        );
        let p = RedirectPattern::parse("https://{承接网站域名}/专栏/{网站标识码}").expect("valid");
        assert_eq!(
            p.new_address("T1", &old, "C", Some(&target)),
            "https://www.county.gov.cn/%E4%B8%93%E6%A0%8F/T1"
        );
        assert!(p.needs_target_address());
        let p =
            RedirectPattern::parse("https://www.province.gov.cn/archive/{site_id}").expect("ok");
        assert!(!p.needs_target_address());
        assert_eq!(
            RedirectPattern::parse("  ").expect("default").source(),
            "{target_url}"
        );
        assert_eq!(RedirectPattern::default().source(), "{target_url}");
    }

    #[test]
    fn bad_patterns_are_refused_with_the_placeholders_listed() {
        let e = RedirectPattern::parse("{target_url}/{column}").expect_err("unknown");
        assert_eq!(e.problem, TemplateProblem::Unknown("column".into()));
        let zh = e.message(Lang::Zh);
        assert!(
            zh.contains("跳转地址模式") && zh.contains("{column}") && zh.contains("{old_path}"),
            "{zh}"
        );
        let en = e.message(Lang::En);
        assert!(
            en.contains("the redirect pattern") && en.contains("{target_host}"),
            "{en}"
        );
        for bad in [
            "{target_host}/x",
            "www.x.gov.cn/{site_id}",
            "/archive",
            "{site_id}",
            "http://",
        ] {
            let e = RedirectPattern::parse(bad).expect_err(bad);
            assert_eq!(e.problem, TemplateProblem::NotAbsolute, "{bad}");
            assert!(e.message(Lang::En).contains("start it with http://"));
        }
        assert!(RedirectPattern::parse("{target_url").is_err());
        assert!(RedirectPattern::parse("HTTP://{target_host}{target_path}").is_ok());
    }

    #[test]
    fn formats_by_name_and_extension() {
        assert_eq!(
            RedirectFormat::from_key(" NGINX "),
            Some(RedirectFormat::Nginx)
        );
        assert_eq!(RedirectFormat::from_key("iis"), None);
        assert_eq!(
            RedirectFormat::from_extension("CONF"),
            Some(RedirectFormat::Nginx)
        );
        assert_eq!(
            RedirectFormat::from_extension("txt"),
            Some(RedirectFormat::Apache)
        );
        assert_eq!(RedirectFormat::from_extension("map"), None);
        for f in RedirectFormat::ALL {
            assert_eq!(RedirectFormat::from_extension(f.extension()), Some(f));
        }
    }
}
