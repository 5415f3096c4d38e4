//! Closure notices (公告, issue #15): a draft notice for every closing
//! (merged) site, from an editable template
//! ([`crate::execution::Execution::notice_template`]; empty for the
//! default of the language the notices are written in: the Chinese one in
//! the register of official notices).
//!
//! The placeholders ([`PLACEHOLDERS`]), each also by its Chinese name:
//!
//! | placeholder | 中文名 | is |
//! |---|---|---|
//! | `{site_name}` | 网站名称 | the closing site's name |
//! | `{site_id}` | 网站标识码 | its id |
//! | `{site_url}` | 网站网址 | its address (full-width characters and stray spaces of the inventory cleaned; several joined with 、), or a blank |
//! | `{closing_date}` | 关停日期 | the day it stops: the day it went offline as recorded in its statuses, else the last day of its closure quarter (`2027年3月31日`, `31 March 2027`); a blank to fill (`____年__月__日`) when it has neither |
//! | `{closing_quarter}` | 关停季度 | its closure quarter (`2027年第1季度`, `2027 Q1`), or a blank |
//! | `{target_name}` | 承接网站名称 | the name of the site serving it after the plan (MODEL.md §3) |
//! | `{target_id}` | 承接网站标识码 | that site's id |
//! | `{target_url}` | 承接网站网址 | that site's address, cleaned the same way, or a blank |
//! | `{publisher}` | 发布单位 | who publishes the notice: the receiving site's name, unless a name is set with [`template_with_publisher`] |
//!
//! Notices are written as a folder of text files, one per site
//! ([`write_notice_files`]: UTF-8 with a byte-order mark and CRLF line
//! ends, which every Windows editor, Notepad, WPS and Word included,
//! opens as Chinese text), as a CSV table ([`write_notices_csv`]) and as
//! the workbook's 公告 sheet.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::i18n::Lang;
use crate::inventory::Inventory;
use crate::timeline::{Evaluated, Quarter};

use super::placeholders::{Placeholder, Template, TemplateError, TemplateKind};
use super::{Date, Execution};

/// The placeholders of a notice template.
pub const PLACEHOLDERS: &[Placeholder] = &[
    Placeholder::new(
        "site_name",
        "网站名称",
        "关停网站的名称",
        "the closing site's name",
    ),
    Placeholder::new(
        "site_id",
        "网站标识码",
        "关停网站的网站标识码",
        "the closing site's id",
    ),
    Placeholder::new(
        "site_url",
        "网站网址",
        "关停网站的网址",
        "the closing site's address",
    ),
    Placeholder::new(
        "closing_date",
        "关停日期",
        "停止运行的日期：记录的下线日期，否则为关停季度的最后一天；未排期时留空待填",
        "the day it stops: the day it went offline as recorded, else the last day of its closure quarter; a blank when unscheduled",
    ),
    Placeholder::new(
        "closing_quarter",
        "关停季度",
        "关停季度；未排期时留空待填",
        "its closure quarter; a blank when unscheduled",
    ),
    Placeholder::new(
        "target_name",
        "承接网站名称",
        "承接网站的名称",
        "the receiving site's name",
    ),
    Placeholder::new(
        "target_id",
        "承接网站标识码",
        "承接网站的网站标识码",
        "the receiving site's id",
    ),
    Placeholder::new(
        "target_url",
        "承接网站网址",
        "承接网站的网址",
        "the receiving site's address",
    ),
    Placeholder::new(
        "publisher",
        "发布单位",
        "发布单位：承接网站的名称，或指定的单位",
        "who publishes it: the receiving site's name, or the name given",
    ),
];

const SITE_NAME: usize = 0;
const SITE_ID: usize = 1;
const SITE_URL: usize = 2;
const CLOSING_DATE: usize = 3;
const CLOSING_QUARTER: usize = 4;
const TARGET_NAME: usize = 5;
const TARGET_ID: usize = 6;
const TARGET_URL: usize = 7;
const PUBLISHER: usize = 8;

/// The default Chinese notice, in the register of official notices.
pub const DEFAULT_ZH: &str = "关于{site_name}停止运行的公告

　　为推进政府网站集约化建设，按照《国务院办公厅关于印发政府网站发展指引的通知》（国办发〔2017〕47号）有关要求，经研究决定，{site_name}（网站标识码：{site_id}）自{closing_date}起停止运行，相关内容和服务已迁移至{target_name}（{target_url}）。原网站地址将自动跳转至{target_name}。

　　感谢广大网民长期以来的关注和支持！

　　特此公告。

{publisher}
____年__月__日
";

/// The default English notice.
pub const DEFAULT_EN: &str = "Notice on the closure of {site_name}

To consolidate government websites, as the General Office of the State Council's Guidelines for the Development of Government Websites (Guobanfa [2017] No. 47) require, {site_name} (site ID {site_id}) stops operating from {closing_date}. Its content and services have moved to {target_name} ({target_url}), and its address will forward there.

Thank you for your attention and support over the years.

{publisher}
Date: __________
";

/// What a value the notice lacks is written as: a blank to fill by hand.
pub const BLANK: &str = "__________";

/// A notice template, read and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeTemplate {
    template: Template,
}

impl NoticeTemplate {
    /// Reads a template; an empty one is the default of `lang`.
    pub fn parse(src: &str, lang: Lang) -> Result<NoticeTemplate, TemplateError> {
        let src = if src.trim().is_empty() {
            default_template(lang)
        } else {
            src
        };
        Ok(NoticeTemplate {
            template: Template::parse(src, TemplateKind::Notice, PLACEHOLDERS)?,
        })
    }

    /// The template of a project's execution settings.
    pub fn of(execution: &Execution, lang: Lang) -> Result<NoticeTemplate, TemplateError> {
        NoticeTemplate::parse(&execution.notice_template, lang)
    }
}

/// The default template in `lang`.
pub fn default_template(lang: Lang) -> &'static str {
    lang.pick(DEFAULT_ZH, DEFAULT_EN)
}

/// The template `src` (the default of `lang` when empty) with the
/// publisher written in as `publisher` rather than as the receiving
/// site's name: the template to keep in a project for notices published
/// by one office.
pub fn template_with_publisher(
    src: &str,
    lang: Lang,
    publisher: &str,
) -> Result<String, TemplateError> {
    let t = NoticeTemplate::parse(src, lang)?;
    Ok(t.template
        .source_with(|k| (k == PUBLISHER).then(|| publisher.trim().to_string())))
}

/// Where a notice's closing date comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClosingDate {
    /// The day the site went offline, as its statuses record.
    Offline(Date),
    /// The last day of its closure quarter.
    QuarterEnd(Date),
    /// Neither: the notice has a blank to fill.
    Unscheduled,
}

impl ClosingDate {
    /// The day, when there is one.
    pub fn date(self) -> Option<Date> {
        match self {
            ClosingDate::Offline(d) | ClosingDate::QuarterEnd(d) => Some(d),
            ClosingDate::Unscheduled => None,
        }
    }
}

/// The last day of a quarter.
pub fn quarter_end(q: Quarter) -> Option<Date> {
    let month = u32::from(q.q()) * 3;
    let day = if month == 3 || month == 12 { 31 } else { 30 };
    Date::new(q.year(), month, day)
}

/// A day as a notice writes it: `2027年3月31日`, `31 March 2027`.
pub fn date_in_words(d: Date, lang: Lang) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => format!(
            "{} {} {}",
            d.day(),
            MONTHS[(d.month() as usize + 11) % 12],
            d.year()
        ),
    }
}

/// One site's notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The closing site.
    pub site: usize,
    /// The site serving it after the plan.
    pub target: usize,
    /// Its closure quarter, when it has one.
    pub quarter: Option<Quarter>,
    /// Its closing date and where it comes from.
    pub closing: ClosingDate,
    /// The notice, lines separated by `\n`.
    pub text: String,
}

impl Notice {
    /// The first line that is not blank: the notice's title.
    pub fn title(&self) -> &str {
        self.text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or_default()
    }
}

/// The notices of a plan's closing sites, made one at a time (a
/// province's thousands of notices are written as they are made).
#[derive(Clone, Debug)]
pub struct Notices<'a> {
    plan: Evaluated<'a>,
    quarters: &'a [Option<Quarter>],
    offline: HashMap<usize, Date>,
    template: &'a NoticeTemplate,
    lang: Lang,
}

impl<'a> Notices<'a> {
    /// The notices of the closing sites of `plan`, with the closure
    /// quarters `quarters` (by site) and the statuses of `execution`.
    pub fn new(
        plan: Evaluated<'a>,
        quarters: &'a [Option<Quarter>],
        execution: &Execution,
        template: &'a NoticeTemplate,
        lang: Lang,
    ) -> Notices<'a> {
        Notices {
            offline: offline_dates(plan.inv, execution),
            plan,
            quarters,
            template,
            lang,
        }
    }

    /// The closing sites, in the inventory's order.
    pub fn sites(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.plan.inv.len()).filter(|&i| self.plan.is_merged(i))
    }

    /// How many notices there are.
    pub fn len(&self) -> usize {
        self.sites().count()
    }

    /// True when no site closes.
    pub fn is_empty(&self) -> bool {
        self.sites().next().is_none()
    }

    /// Every notice, in the inventory's order.
    pub fn iter(&self) -> impl Iterator<Item = Notice> + '_ {
        self.sites().map(|i| self.notice(i))
    }

    /// The closing date of site `i`: the day it went offline as recorded,
    /// else the last day of its closure quarter.
    pub fn closing(&self, i: usize) -> ClosingDate {
        let quarter = self.quarters.get(i).copied().flatten();
        match (self.offline.get(&i), quarter.and_then(quarter_end)) {
            (Some(&d), _) => ClosingDate::Offline(d),
            (None, Some(d)) => ClosingDate::QuarterEnd(d),
            (None, None) => ClosingDate::Unscheduled,
        }
    }

    /// The notice of closing site `i`.
    pub fn notice(&self, i: usize) -> Notice {
        let inv = self.plan.inv;
        let lang = self.lang;
        let target = self.plan.serving(i);
        let quarter = self.quarters.get(i).copied().flatten();
        let closing = self.closing(i);
        let s = inv.site(i);
        let t = inv.site(target);
        let or_blank = |v: &'a str| -> Cow<'a, str> {
            if v.trim().is_empty() {
                Cow::Borrowed(BLANK)
            } else {
                Cow::Borrowed(v.trim())
            }
        };
        // An address as a reader reads it: full-width characters and
        // stray spaces of the inventory cleaned, several joined with 、.
        let address = |cell: &str| -> Cow<'a, str> {
            let all = super::redirects::split_addresses(cell);
            if all.is_empty() {
                Cow::Borrowed(BLANK)
            } else {
                Cow::Owned(all.join("、"))
            }
        };
        let text = self.template.template.fill(|k| match k {
            SITE_NAME => or_blank(&s.name),
            SITE_ID => Cow::Borrowed(s.id.as_str()),
            SITE_URL => address(&s.url),
            CLOSING_DATE => match closing.date() {
                Some(d) => Cow::Owned(date_in_words(d, lang)),
                None => Cow::Borrowed(lang.pick("____年__月__日", BLANK)),
            },
            CLOSING_QUARTER => match quarter {
                Some(q) => Cow::Owned(match lang {
                    Lang::Zh => q.chinese(),
                    Lang::En => format!("{} Q{}", q.year(), q.q()),
                }),
                None => Cow::Borrowed(lang.pick("____年第__季度", BLANK)),
            },
            TARGET_NAME | PUBLISHER => or_blank(&t.name),
            TARGET_ID => Cow::Borrowed(t.id.as_str()),
            TARGET_URL => address(&t.url),
            _ => Cow::Borrowed(""),
        });
        Notice {
            site: i,
            target,
            quarter,
            closing,
            text,
        }
    }
}

/// The day each site went offline, as its statuses record: the first
/// change at or past the workflow's offline status with none below it
/// since (a site taken back online and offline again counts from the
/// second time).
fn offline_dates(inv: &Inventory, execution: &Execution) -> HashMap<usize, Date> {
    let workflow = &execution.workflow;
    let offline = workflow.offline_index();
    let mut by_site: HashMap<usize, Vec<(Date, usize, bool)>> = HashMap::new();
    for (k, c) in execution.statuses.iter().enumerate() {
        if let Some(i) = inv.find(&c.site_id) {
            let past = workflow.find(&c.status).is_some_and(|s| s >= offline);
            by_site.entry(i).or_default().push((c.date, k, past));
        }
    }
    let mut out = HashMap::new();
    for (i, mut changes) in by_site {
        changes.sort_unstable();
        let mut since = None;
        for (date, _, past) in changes {
            since = match (past, since) {
                (true, None) => Some(date),
                (true, s) => s,
                (false, _) => None,
            };
        }
        if let Some(d) = since {
            out.insert(i, d);
        }
    }
    out
}

/// The kinds of file notices are written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoticeFormat {
    /// A folder of text files, one per site (UTF-8 with BOM, CRLF).
    Folder,
    /// A CSV table (UTF-8 with BOM, CRLF), one row per site.
    Csv,
    /// A workbook with the notices sheet.
    Xlsx,
}

/// The columns of the notices table (CSV and the workbook's 公告 sheet).
pub fn notice_headers(lang: Lang) -> [&'static str; 10] {
    [
        lang.pick("网站标识码", "site_id"),
        lang.pick("网站名称", "name"),
        lang.pick("网址", "url"),
        lang.pick("承接网站标识码", "target_id"),
        lang.pick("承接网站名称", "target_name"),
        lang.pick("承接网站网址", "target_url"),
        lang.pick("关停季度", "closing_quarter"),
        lang.pick("关停日期", "closing_date"),
        lang.pick("公告标题", "title"),
        lang.pick("公告正文", "notice"),
    ]
}

/// The cells of one notice, as [`notice_headers`] names them.
pub fn notice_row(n: &Notice, inv: &Inventory, lang: Lang) -> [String; 10] {
    let s = inv.site(n.site);
    let t = inv.site(n.target);
    [
        s.id.to_string(),
        s.name.to_string(),
        s.url.to_string(),
        t.id.to_string(),
        t.name.to_string(),
        t.url.to_string(),
        n.quarter.map_or_else(
            || lang.pick("未排期", "not scheduled").to_string(),
            |q| q.to_string(),
        ),
        n.closing.date().map(|d| d.to_string()).unwrap_or_default(),
        n.title().to_string(),
        n.text.trim_end().to_string(),
    ]
}

/// Writes the notices as a CSV table for Excel (UTF-8 with BOM, CRLF; a
/// notice's line breaks stay inside its cell).
pub fn write_notices_csv<'n>(
    notices: impl Iterator<Item = Notice> + 'n,
    inv: &Inventory,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut w = crate::inventory::excel_csv(out)?;
    w.write_record(notice_headers(lang))?;
    for n in notices {
        let row = notice_row(&n, inv, lang);
        let cells: Vec<std::borrow::Cow<'_, str>> =
            row.iter().map(|c| crate::export::neutralise(c)).collect();
        w.write_record(cells.iter().map(|c| c.as_bytes()))?;
    }
    w.flush()?;
    Ok(())
}

/// A notice as a text file's bytes: UTF-8 with a byte-order mark, CRLF.
pub fn notice_file_bytes(n: &Notice) -> Vec<u8> {
    let mut out = crate::inventory::EXCEL_BOM.to_vec();
    for line in n.text.trim_end().lines() {
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Names every Windows, macOS and Linux folder accepts: `T1_镇一.txt`.
/// Characters no file name may hold become `_`; a name is cut to 80
/// characters; names that differ only in letter case (or in what was
/// replaced) get `-2`, `-3`… (Windows does not tell them apart).
#[derive(Clone, Debug, Default)]
pub struct FileNames {
    used: std::collections::HashSet<String>,
}

impl FileNames {
    /// A new name for the notice of `site_id` named `name`.
    pub fn name(&mut self, site_id: &str, name: &str) -> String {
        let raw = if name.trim().is_empty() || name.trim() == site_id.trim() {
            site_id.trim().to_string()
        } else {
            format!("{}_{}", site_id.trim(), name.trim())
        };
        let mut stem: String = raw
            .chars()
            .map(|c| {
                if c.is_control() || "<>:\"/\\|?*".contains(c) {
                    '_'
                } else {
                    c
                }
            })
            .take(80)
            .collect();
        stem = stem.trim_end_matches(['.', ' ']).to_string();
        if stem.is_empty() || is_reserved(&stem) {
            stem.insert(0, '_');
        }
        let mut candidate = format!("{stem}.txt");
        let mut n = 2;
        while !self.used.insert(candidate.to_lowercase()) {
            candidate = format!("{stem}-{n}.txt");
            n += 1;
        }
        candidate
    }
}

/// Names Windows keeps for devices, whatever the extension.
fn is_reserved(stem: &str) -> bool {
    let upper = stem.to_ascii_uppercase();
    let base = upper.split('.').next().unwrap_or_default();
    matches!(base, "CON" | "PRN" | "AUX" | "NUL")
        || ((base.starts_with("COM") || base.starts_with("LPT"))
            && base.len() == 4
            && base.as_bytes()[3].is_ascii_digit())
}

/// Writes each notice to its own file in `dir` (made when missing), each
/// file whole or not at all ([`crate::atomic`]); returns the files
/// written. Files of the same names are replaced; other files in the
/// folder are left alone. `report` hears how far it is (0 to 1) and stops
/// it by returning false (an `Interrupted` error; the files written so far
/// stay).
pub fn write_notice_files(
    dir: &Path,
    notices: &Notices<'_>,
    report: &dyn Fn(f32) -> bool,
) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    crate::atomic::clean_stale(dir);
    let inv = notices.plan.inv;
    let total = notices.len().max(1) as f32;
    let mut names = FileNames::default();
    let mut written = Vec::new();
    for (k, n) in notices.iter().enumerate() {
        if k % 64 == 0 && !report(k as f32 / total) {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "cancelled"));
        }
        let s = inv.site(n.site);
        let path = dir.join(names.name(&s.id, &s.name));
        let mut file = crate::atomic::AtomicFile::create_in_cleaned_folder(&path)?;
        file.write_all(&notice_file_bytes(&n))?;
        file.commit()?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_quarters_in_words() {
        let q = |s: &str| Quarter::parse(s).expect(s);
        let end = |s: &str| quarter_end(q(s)).map(|d| d.to_string());
        assert_eq!(end("2027Q1").as_deref(), Some("2027-03-31"));
        assert_eq!(end("2027Q2").as_deref(), Some("2027-06-30"));
        assert_eq!(end("2027Q3").as_deref(), Some("2027-09-30"));
        assert_eq!(end("2027Q4").as_deref(), Some("2027-12-31"));
        let d = Date::new(2027, 3, 31).expect("date");
        assert_eq!(date_in_words(d, Lang::Zh), "2027年3月31日");
        assert_eq!(date_in_words(d, Lang::En), "31 March 2027");
    }

    #[test]
    fn file_names_are_safe_and_unique() {
        let mut f = FileNames::default();
        assert_eq!(f.name("T1", "镇一"), "T1_镇一.txt");
        assert_eq!(f.name("t1", "镇一"), "t1_镇一-2.txt");
        assert_eq!(f.name("A/B", "a:b*?"), "A_B_a_b__.txt");
        assert_eq!(f.name("CON", ""), "_CON.txt");
        assert_eq!(f.name("X", "X"), "X.txt");
        assert_eq!(f.name("Y", "名称. "), "Y_名称.txt");
        let long = "长".repeat(200);
        assert_eq!(f.name("Z", &long).chars().count(), 80 + 4);
    }

    #[test]
    fn defaults_read_and_a_publisher_can_be_written_in() {
        for lang in [Lang::Zh, Lang::En] {
            assert!(NoticeTemplate::parse("", lang).is_ok());
        }
        let t = template_with_publisher("", Lang::Zh, "某某市人民政府办公室").expect("ok");
        assert!(t.contains("某某市人民政府办公室\n____年__月__日"), "{t}");
        assert!(t.contains("{site_name}") && !t.contains("{publisher}"));
        let e = NoticeTemplate::parse("{网站名}", Lang::Zh).expect_err("unknown");
        assert!(e.message(Lang::Zh).contains("{closing_date} 或 {关停日期}"));
    }
}
