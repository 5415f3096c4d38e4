//! The progress of a plan's closures as planners read it (`sitefold
//! status --report`): counts by level and by prefecture, and the overdue
//! sites; as text in either language, a CSV table, or JSON.
//!
//! ```
//! use sitefold::execution::{Date, Execution, progress_report};
//! use sitefold::i18n::Lang;
//! let imported = sitefold::sample::sample();
//! let inv = &imported.inventory;
//! let keep = vec![sitefold::plan::Decision::Keep; inv.len()];
//! let today = Date::parse("2027-06-30").expect("a date");
//! let r = progress_report(inv, &keep, &[], &Execution::default(), today, Lang::En);
//! assert_eq!(r.progress.total.closing, 0);
//! assert!(r.to_text(Lang::En).contains("The plan closes no site"));
//! ```

use serde::Serialize;

use crate::export::tables::text_width;
use crate::i18n::Lang;
use crate::inventory::Inventory;
use crate::plan::Decision;
use crate::timeline::Quarter;

use super::tracking::{Progress, ProgressRow, State, current, progress};
use super::{Date, Execution};

/// Overdue sites listed in the text at most (the JSON lists them all).
pub const OVERDUE_SHOWN: usize = 50;

/// A closing site past its quarter and not yet offline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OverdueSite {
    /// The site.
    pub site_id: String,
    /// Its name.
    pub name: String,
    /// The quarter it was to close in.
    pub quarter: Quarter,
    /// The key of its status now (empty: none recorded).
    pub status: String,
    /// Since when (the date of that status).
    pub since: Option<Date>,
}

/// The progress of the closures, with the overdue sites.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ProgressReport {
    /// Counts by area, by level and in all.
    #[serde(flatten)]
    pub progress: Progress,
    /// The overdue sites, in inventory order.
    pub overdue: Vec<OverdueSite>,
    /// Status names of the workflow, for the text (not in JSON).
    #[serde(skip)]
    labels: Vec<(String, String, String)>,
}

/// The progress of the merged sites of `decisions`, whose closure quarters
/// are `quarters` (by site; sites without one are never overdue), from
/// the statuses recorded in `execution`, on `today`; names in `lang`.
pub fn progress_report(
    inv: &Inventory,
    decisions: &[Decision],
    quarters: &[Option<Quarter>],
    execution: &Execution,
    today: Date,
    lang: Lang,
) -> ProgressReport {
    let workflow = &execution.workflow;
    let changes = &execution.statuses;
    let progress = progress(inv, decisions, quarters, workflow, changes, today, lang);
    let cur = current(inv, workflow, changes);
    let overdue = progress
        .states
        .iter()
        .enumerate()
        .filter(|(_, s)| **s == Some(State::Overdue))
        .filter_map(|(i, _)| {
            let site = inv.site(i);
            let change = cur[i].map(|c| &changes[c.change]);
            Some(OverdueSite {
                site_id: site.id.to_string(),
                name: site.name.to_string(),
                quarter: quarters.get(i).copied().flatten()?,
                status: change.map(|c| c.status.clone()).unwrap_or_default(),
                since: change.map(|c| c.date),
            })
        })
        .collect();
    ProgressReport {
        progress,
        overdue,
        labels: workflow
            .stages
            .iter()
            .map(|s| (s.key.clone(), s.zh.clone(), s.en.clone()))
            .collect(),
    }
}

/// `text` padded on the left to `width` columns (a CJK character is two).
fn right(text: &str, width: usize) -> String {
    let pad = width.saturating_sub(text_width(text));
    format!("{}{text}", " ".repeat(pad))
}

/// The columns of a progress table, in `lang`.
fn columns(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::Zh => ["关停", "未开始", "进行中", "已完成", "已逾期", "已排期"],
        Lang::En => [
            "Closing",
            "Not started",
            "In progress",
            "Done",
            "Overdue",
            "Scheduled",
        ],
    }
}

fn counts(r: &ProgressRow) -> [usize; 6] {
    [
        r.closing,
        r.not_started,
        r.in_progress,
        r.done,
        r.overdue,
        r.scheduled,
    ]
}

impl ProgressReport {
    /// The name of a status key in `lang` (the key when the workflow has
    /// no such status; "none" for no status).
    fn status_name(&self, key: &str, lang: Lang) -> String {
        if key.is_empty() {
            return lang.pick("无记录", "none recorded").to_string();
        }
        self.labels
            .iter()
            .find(|(k, _, _)| k == key)
            .map_or(key, |(_, zh, en)| lang.pick(zh, en))
            .to_string()
    }

    /// The report as text: the totals in a sentence, the tables by level
    /// and by area (the name last, so the figures line up), the overdue
    /// sites.
    pub fn to_text(&self, lang: Lang) -> String {
        let p = &self.progress;
        let t = &p.total;
        let today = p.today.map(|d| d.to_string()).unwrap_or_default();
        let mut out = match lang {
            Lang::Zh => format!("关停进度（截至 {today}）\n"),
            Lang::En => format!("Closure progress on {today}\n"),
        };
        if t.closing == 0 {
            out.push_str(lang.pick("方案中没有关停的网站。\n", "The plan closes no site.\n"));
            return out;
        }
        out.push_str(&match lang {
            Lang::Zh => format!(
                "关停网站 {} 个：已完成 {}，进行中 {}，未开始 {}，已逾期 {}；已排定关停季度 {} 个\n",
                t.closing, t.done, t.in_progress, t.not_started, t.overdue, t.scheduled
            ),
            Lang::En => format!(
                "{} closing sites: {} done, {} in progress, {} not started, {} overdue; {} with a closure quarter\n",
                t.closing, t.done, t.in_progress, t.not_started, t.overdue, t.scheduled
            ),
        });
        let heads = columns(lang);
        let widths: Vec<usize> = heads.iter().map(|h| text_width(h).max(7)).collect();
        let table = |out: &mut String, title: &str, name: &str, rows: &[&ProgressRow]| {
            out.push_str(&format!("\n{title}\n"));
            let mut line = String::new();
            for (h, w) in heads.iter().zip(&widths) {
                line.push_str(&right(h, *w));
                line.push_str("  ");
            }
            out.push_str(&format!("{line}{name}\n"));
            for r in rows {
                let mut line = String::new();
                for (n, w) in counts(r).iter().zip(&widths) {
                    line.push_str(&right(&n.to_string(), *w));
                    line.push_str("  ");
                }
                out.push_str(&format!("{line}{}\n", r.label));
            }
        };
        let mut by_level: Vec<&ProgressRow> = p.by_level.iter().collect();
        by_level.push(t);
        table(
            &mut out,
            lang.pick("按层级：", "By level:"),
            lang.pick("层级", "Level"),
            &by_level,
        );
        let mut by_area: Vec<&ProgressRow> = p.by_area.iter().collect();
        by_area.push(t);
        table(
            &mut out,
            lang.pick("按地区：", "By area:"),
            lang.pick("地区", "Area"),
            &by_area,
        );
        if !self.overdue.is_empty() {
            out.push_str(lang.pick(
                "\n已逾期（关停季度已过、尚未下线）：\n",
                "\nOverdue (closure quarter over, not offline yet):\n",
            ));
            for o in self.overdue.iter().take(OVERDUE_SHOWN) {
                let since = o
                    .since
                    .map(|d| match lang {
                        Lang::Zh => format!("（{d} 起）"),
                        Lang::En => format!(" (since {d})"),
                    })
                    .unwrap_or_default();
                out.push_str(&format!(
                    "  {}  {}  {}{since}  {}\n",
                    o.site_id,
                    o.quarter,
                    self.status_name(&o.status, lang),
                    o.name
                ));
            }
            let more = self.overdue.len().saturating_sub(OVERDUE_SHOWN);
            if more > 0 {
                out.push_str(&match lang {
                    Lang::Zh => format!("  ……另有 {more} 个（--json 列出全部）\n"),
                    Lang::En => format!("  … and {more} more (--json lists them all)\n"),
                });
            }
        }
        out
    }

    /// The report as JSON: `today`, `by_area`, `by_level`, `total` (each
    /// row: `label`, `closing`, `not_started`, `in_progress`, `done`,
    /// `overdue`, `scheduled`) and `overdue` (`site_id`, `name`,
    /// `quarter`, `status`, `since`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string())
    }

    /// The counts as a CSV table (UTF-8 with BOM, CRLF, as Excel opens
    /// it): a group column (total, level, area), the row's name, then
    /// the counts.
    pub fn write_csv<W: std::io::Write>(&self, out: W, lang: Lang) -> std::io::Result<()> {
        let table = crate::export::execution_tables::progress_counts_table(&self.progress, lang);
        crate::export::tables::write_csv_tables(&[&table], out)
    }
}
