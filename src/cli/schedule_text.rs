//! The readable cash flow printed by `sitefold schedule`: the horizon and
//! limits, a table of quarters, a table of years, the payback quarter,
//! each year's budget by level and the sites left out.

use crate::export::tables::text_width;
use crate::i18n::Lang;
use crate::inventory::Inventory;
use crate::money::Money;

use crate::timeline::{Limits, Timeline};

/// Sites listed at most among those left out, before a count of the rest.
const UNSCHEDULED_SHOWN: usize = 20;

/// `text` padded on the left to `width` columns (a CJK character is two).
fn right(text: &str, width: usize) -> String {
    let pad = width.saturating_sub(text_width(text));
    format!("{}{text}", " ".repeat(pad))
}

/// `text` padded on the right to `width` columns.
fn left(text: &str, width: usize) -> String {
    let pad = width.saturating_sub(text_width(text));
    format!("{text}{}", " ".repeat(pad))
}

/// Yuan with separators, and the fen when there are any.
fn money(v: Money) -> String {
    v.grouped()
}

/// The limits, in a line.
pub fn limits_text(l: &Limits, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(n) = l.max_closures_per_quarter {
        parts.push(match lang {
            Lang::Zh => format!("每季度最多关停 {n} 个"),
            Lang::En => format!("at most {n} closures a quarter"),
        });
    }
    if let Some(n) = l.max_closures_per_target_per_quarter {
        parts.push(match lang {
            Lang::Zh => format!("每个承接网站每季度最多并入 {n} 个"),
            Lang::En => format!("at most {n} into one target a quarter"),
        });
    }
    if let Some(m) = l.max_one_time_per_year {
        parts.push(match lang {
            Lang::Zh => format!("每年一次性支出最多 {} 元", money(m)),
            Lang::En => format!("at most ¥{} one-time a year", money(m)),
        });
    }
    if parts.is_empty() {
        lang.pick("无", "none").to_string()
    } else {
        parts.join(lang.pick("；", "; "))
    }
}

/// The cash flow as tables, in `lang`.
pub fn render_text(t: &Timeline, inv: &Inventory, lang: Lang) -> String {
    let f = &t.flow;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = String::new();
    out.push_str(&match lang {
        Lang::Zh => format!(
            "测算期：{}–{}（{} 年）\n限额：{}\n已排期 {} 个网站（其中 {} 个由排期程序安排），未排期 {} 个\n\n",
            f.start_quarter,
            f.end_quarter,
            f.horizon_years,
            limits_text(&t.limits, lang),
            f.scheduled,
            t.placed,
            f.unscheduled.len()
        ),
        Lang::En => format!(
            "Horizon: {}–{} ({} years)\nLimits: {}\n{} sites scheduled ({} by the scheduler), {} unscheduled\n\n",
            f.start_quarter,
            f.end_quarter,
            f.horizon_years,
            limits_text(&t.limits, lang),
            f.scheduled,
            t.placed,
            f.unscheduled.len()
        ),
    });
    let widths = [12, 8, 16, 16, 16, 16];
    let row = |out: &mut String, cells: [&str; 6]| {
        let mut line = left(cells[0], widths[0]);
        for (c, w) in cells[1..].iter().zip(&widths[1..]) {
            line.push(' ');
            line.push_str(&right(c, *w));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    };
    let heads = [
        l("关停", "Closures"),
        l("一次性支出（元）", "One-time ¥"),
        l("节约（元）", "Savings ¥"),
        l("净额（元）", "Net ¥"),
        l("累计（元）", "Cumulative ¥"),
    ];
    row(
        &mut out,
        [
            l("季度", "Quarter"),
            heads[0],
            heads[1],
            heads[2],
            heads[3],
            heads[4],
        ],
    );
    for q in &f.quarters {
        row(
            &mut out,
            [
                &q.quarter.to_string(),
                &q.closures.to_string(),
                &money(q.one_time),
                &money(q.savings),
                &money(q.net),
                &money(q.cumulative),
            ],
        );
    }
    out.push('\n');
    row(
        &mut out,
        [
            l("年度", "Year"),
            heads[0],
            heads[1],
            heads[2],
            heads[3],
            heads[4],
        ],
    );
    for y in &f.years {
        let year = if y.quarters == 4 {
            y.year.to_string()
        } else {
            match lang {
                Lang::Zh => format!("{}（{} 季）", y.year, y.quarters),
                Lang::En => format!("{} ({}q)", y.year, y.quarters),
            }
        };
        row(
            &mut out,
            [
                &year,
                &y.closures.to_string(),
                &money(y.one_time),
                &money(y.savings),
                &money(y.net),
                &money(y.cumulative),
            ],
        );
    }
    out.push('\n');
    out.push_str(&format!(
        "{}{}\n",
        l("回收季度：", "Payback quarter: "),
        f.payback_quarter.map_or_else(
            || l("测算期内无", "none within the horizon").to_string(),
            |q| q.to_string()
        )
    ));
    if let Some(first) = f.years.first() {
        out.push_str(&format!(
            "\n{}\n",
            l("各层级年度预算（元）", "Budget by level and year ¥")
        ));
        let mut line = left(l("层级", "Level"), 10);
        for y in &f.years {
            line.push(' ');
            line.push_str(&right(&y.year.to_string(), 16));
        }
        out.push_str(&line);
        out.push('\n');
        for (i, b) in first.budget_by_level.iter().enumerate() {
            let mut line = left(b.level.label(lang), 10);
            for y in &f.years {
                line.push(' ');
                let v = y.budget_by_level.get(i).map_or(Money::ZERO, |b| b.budget);
                line.push_str(&right(&money(v), 16));
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    if !f.unscheduled.is_empty() {
        out.push_str(&format!(
            "\n{} ({}):\n",
            l("未排期的合并网站", "Merged sites not scheduled"),
            f.unscheduled.len()
        ));
        for u in f.unscheduled.iter().take(UNSCHEDULED_SHOWN) {
            let name = inv.sites().get(u.site).map_or("", |s| s.name.as_str());
            let quarter = u.quarter.map(|q| format!(" ({q})")).unwrap_or_default();
            out.push_str(&format!(
                "  {} {}  {}{quarter}\n",
                left(&u.site_id, 16),
                left(name, 20),
                u.reason.label(lang)
            ));
        }
        if f.unscheduled.len() > UNSCHEDULED_SHOWN {
            out.push_str(&format!(
                "  … {}\n",
                f.unscheduled.len() - UNSCHEDULED_SHOWN
            ));
        }
    }
    out
}
