//! The schedule and the cash flow as tables (the workbook's Schedule and
//! Cash flow sheets): the merged sites with their quarter, and the cash
//! flow by quarter, by year and by level, with the horizon and limits.

use crate::i18n::Lang;
use crate::inventory::Inventory;
use crate::timeline::{Evaluated, Timeline};

use super::tables::{Cell, Table};

/// The workbook's timeline sheets: the schedule, the cash flow.
pub fn timeline_sheet_names(lang: Lang) -> [&'static str; 2] {
    [
        lang.pick("时间表", "Schedule"),
        lang.pick("现金流", "Cash flow"),
    ]
}

fn table(headers: &[&str]) -> Table {
    Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: Vec::new(),
        totals: None,
        summed: vec![false; headers.len()],
    }
}

/// Every merged site with its closure quarter, one-time cost and yearly
/// saving: those scheduled in the order they close, then those left out
/// with why.
pub fn schedule_table(plan: &Evaluated<'_>, t: &Timeline, lang: Lang) -> Table {
    let inv: &Inventory = plan.inv;
    let mut out = table(&[
        lang.pick("网站标识码", "site_id"),
        lang.pick("网站名称", "name"),
        lang.pick("层级", "level"),
        lang.pick("承接网站", "serving site"),
        lang.pick("承接网站名称", "serving site name"),
        lang.pick("关停季度", "quarter"),
        lang.pick("一次性成本（元）", "one-time ¥"),
        lang.pick("每年节约（元）", "saving per year ¥"),
        lang.pick("未排期原因", "not scheduled because"),
    ]);
    let mut scheduled: Vec<(crate::timeline::Quarter, usize)> = t
        .quarters
        .iter()
        .enumerate()
        .filter_map(|(i, q)| {
            let q = (*q)?;
            (plan.is_merged(i) && t.horizon.index(q).is_some()).then_some((q, i))
        })
        .collect();
    scheduled.sort_unstable();
    let row = |i: usize, quarter: Cell, why: Cell| {
        let s = inv.site(i);
        let serving = inv.site(plan.serving(i));
        vec![
            Cell::text(s.id.as_str()),
            Cell::text(s.name.as_str()),
            Cell::text(s.level.label(lang)),
            Cell::text(serving.id.as_str()),
            Cell::text(serving.name.as_str()),
            quarter,
            Cell::Money(plan.model.migrate_cost(i)),
            Cell::Money(plan.model.saving(i)),
            why,
        ]
    };
    for (q, i) in scheduled {
        out.rows
            .push(row(i, Cell::text(q.to_string()), Cell::Empty));
    }
    for u in &t.flow.unscheduled {
        let quarter = u.quarter.map_or(Cell::Empty, |q| Cell::text(q.to_string()));
        out.rows
            .push(row(u.site, quarter, Cell::text(u.reason.label(lang))));
    }
    out
}

/// The cash flow: by quarter, by year, each year's budget by level, and
/// the horizon, limits and payback quarter.
pub fn cash_flow_tables(t: &Timeline, lang: Lang) -> [Table; 4] {
    let f = &t.flow;
    let money_heads = [
        lang.pick("关停网站数", "closures"),
        lang.pick("一次性支出（元）", "one_time ¥"),
        lang.pick("节约（元）", "savings ¥"),
        lang.pick("净额（元）", "net ¥"),
        lang.pick("累计（元）", "cumulative ¥"),
    ];
    let mut heads = vec![lang.pick("季度", "quarter")];
    heads.extend(money_heads);
    let mut quarters = table(&heads);
    for q in &f.quarters {
        quarters.rows.push(vec![
            Cell::text(q.quarter.to_string()),
            Cell::int(q.closures),
            Cell::Money(q.one_time),
            Cell::Money(q.savings),
            Cell::Money(q.net),
            Cell::Money(q.cumulative),
        ]);
    }
    let mut heads = vec![lang.pick("年度", "year"), lang.pick("季度数", "quarters")];
    heads.extend(money_heads);
    let mut years = table(&heads);
    for y in &f.years {
        years.rows.push(vec![
            Cell::Int(i64::from(y.year)),
            Cell::int(y.quarters),
            Cell::int(y.closures),
            Cell::Money(y.one_time),
            Cell::Money(y.savings),
            Cell::Money(y.net),
            Cell::Money(y.cumulative),
        ]);
    }
    let year_heads: Vec<String> = f.years.iter().map(|y| y.year.to_string()).collect();
    let mut heads = vec![lang.pick("层级（年度预算，元）", "level (budget by year, ¥)")];
    heads.extend(year_heads.iter().map(String::as_str));
    let mut budgets = table(&heads);
    if let Some(first) = f.years.first() {
        for (i, b) in first.budget_by_level.iter().enumerate() {
            let mut row = vec![Cell::text(b.level.label(lang))];
            row.extend(f.years.iter().map(|y| {
                y.budget_by_level
                    .get(i)
                    .map_or(Cell::Empty, |b| Cell::Money(b.budget))
            }));
            budgets.rows.push(row);
        }
    }
    let mut figures = table(&[lang.pick("项目", "figure"), lang.pick("值", "value")]);
    let text = |s: String| Cell::Text(s);
    let limit = |v: Option<u64>| v.map_or_else(|| Cell::text(lang.pick("不限", "none")), Cell::int);
    figures.rows = vec![
        vec![
            Cell::text(lang.pick("回收季度", "payback quarter")),
            f.payback_quarter.map_or_else(
                || Cell::text(lang.pick("测算期内无", "none within the horizon")),
                |q| text(q.to_string()),
            ),
        ],
        vec![
            Cell::text(lang.pick("起始季度", "start quarter")),
            text(f.start_quarter.to_string()),
        ],
        vec![
            Cell::text(lang.pick("结束季度", "end quarter")),
            text(f.end_quarter.to_string()),
        ],
        vec![
            Cell::text(lang.pick("测算年数", "horizon years")),
            Cell::Int(i64::from(f.horizon_years)),
        ],
        vec![
            Cell::text(lang.pick("已排期网站", "sites scheduled")),
            Cell::int(f.scheduled),
        ],
        vec![
            Cell::text(lang.pick("未排期网站", "sites not scheduled")),
            Cell::int(f.unscheduled.len()),
        ],
        vec![
            Cell::text(lang.pick("每季度最多关停数", "max closures per quarter")),
            limit(t.limits.max_closures_per_quarter),
        ],
        vec![
            Cell::text(lang.pick(
                "每个承接网站每季度最多并入数",
                "max closures per target per quarter",
            )),
            limit(t.limits.max_closures_per_target_per_quarter),
        ],
        vec![
            Cell::text(lang.pick("每年一次性支出上限（元）", "max one-time per year ¥")),
            t.limits
                .max_one_time_per_year
                .map_or_else(|| Cell::text(lang.pick("不限", "none")), Cell::Money),
        ],
    ];
    [quarters, years, budgets, figures]
}
