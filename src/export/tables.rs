//! The tables shared by the CSV exports and the workbook: the summary
//! (figures before / after / change, single figures, by level, receiving
//! sites, by area), rules and parameters, and the import issues. Each cell keeps its
//! type, so the workbook writes numbers as numbers and the CSV writes them
//! as plain digits.

use std::io::Write;

use crate::diag::FileIssue;
use crate::i18n::Lang;
use crate::inventory::{ImportReport, Inventory, fmt_number};
use crate::money::Money;
use crate::outcome::{AreaOutcome, Summary};
use crate::plan::{ParamKey, Params, Resolved, RuleSet};

use super::neutralise;

/// One typed cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing (an absent figure).
    Empty,
    /// Text (neutralised when written).
    Text(String),
    /// A count or a population.
    Int(i64),
    /// Yuan, exact (written to the fen).
    Money(Money),
    /// A share, as a fraction 0..1.
    Share(f64),
    /// A number shown with one decimal (months).
    Decimal(f64),
    /// Any other number, shown as it is (services, staff, parameters).
    Number(f64),
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// A count.
    pub fn int(v: impl TryInto<i64>) -> Cell {
        v.try_into().map_or(Cell::Empty, Cell::Int)
    }

    /// Yuan written as a float (parameters, rule thresholds): the exact
    /// decimal it was written as.
    pub fn money_f64(v: f64) -> Cell {
        Money::from_f64(v).map_or(Cell::Empty, Cell::Money)
    }

    /// A count held as a float (services after a partial carry-over): a
    /// whole number with separators when it is whole, else the number.
    pub fn count(v: f64) -> Cell {
        if v.fract() == 0.0 && v.abs() < 9e15 {
            Cell::Int(v as i64)
        } else {
            Cell::Number(v)
        }
    }

    /// A share, empty when absent.
    pub fn share(v: Option<f64>) -> Cell {
        v.map_or(Cell::Empty, Cell::Share)
    }

    /// The numeric value, if the cell is a number.
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Int(v) => Some(*v as f64),
            Cell::Money(v) => Some(v.to_fen().to_f64()),
            Cell::Share(v) | Cell::Decimal(v) | Cell::Number(v) => Some(*v),
            Cell::Empty | Cell::Text(_) => None,
        }
    }

    /// The cell as CSV text: numbers as plain digits (shares as
    /// fractions), text neutralised.
    pub fn csv_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => neutralise(s).into_owned(),
            Cell::Int(v) => v.to_string(),
            Cell::Money(v) => v.to_string(),
            Cell::Share(v) | Cell::Decimal(v) | Cell::Number(v) => {
                if v.is_finite() {
                    fmt_number(*v)
                } else {
                    String::new()
                }
            }
        }
    }
}

/// A table: headers and rows, with an optional totals row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// Column headers.
    pub headers: Vec<String>,
    /// Data rows.
    pub rows: Vec<Vec<Cell>>,
    /// A totals row (after the data rows).
    pub totals: Option<Vec<Cell>>,
    /// Columns whose total is the sum of the column (the workbook writes a
    /// `SUM` formula there, with its result).
    pub summed: Vec<bool>,
}

impl Table {
    fn new(headers: impl IntoIterator<Item = impl Into<String>>) -> Table {
        let headers: Vec<String> = headers.into_iter().map(Into::into).collect();
        Table {
            summed: vec![false; headers.len()],
            headers,
            rows: Vec::new(),
            totals: None,
        }
    }

    /// Writes the table as CSV records (header, rows, totals) without a
    /// BOM; see [`write_csv_tables`].
    fn write_records<W: Write>(&self, w: &mut csv::Writer<W>) -> std::io::Result<()> {
        w.write_record(self.headers.iter().map(|h| neutralise(h).into_owned()))?;
        for row in self.rows.iter().chain(self.totals.iter()) {
            w.write_record(row.iter().map(Cell::csv_text))?;
        }
        Ok(())
    }
}

/// Writes tables as one CSV file: UTF-8 with BOM, CRLF, text neutralised,
/// an empty line between tables.
pub fn write_csv_tables<W: Write>(tables: &[&Table], out: W) -> std::io::Result<()> {
    let mut out = out;
    out.write_all(crate::inventory::EXCEL_BOM)?;
    for (i, t) in tables.iter().enumerate() {
        if i > 0 {
            out.write_all(b"\r\n")?;
        }
        let mut w = crate::inventory::excel_csv_builder()
            .flexible(true)
            .from_writer(&mut out);
        t.write_records(&mut w)?;
        w.flush()?;
    }
    out.flush()
}

/// The summary as tables, in the order the workbook and the CSV show them.
#[derive(Clone, Debug, PartialEq)]
pub struct SummaryTables {
    /// Figure, before, after, change, key: sites, annual cost, coverage,
    /// pass rate, services.
    pub changes: Table,
    /// Figure, value, key: savings, one-time cost, payback, population,
    /// staff freed, plan and import counts.
    pub figures: Table,
    /// By level.
    pub by_level: Table,
    /// Receiving sites.
    pub targets: Table,
    /// By area: each area, its sub-areas beneath it (no rows when the
    /// summary has no areas).
    pub by_area: Table,
    /// For each row of `by_area`: true for a sub-area (a county, or an
    /// area's sites outside its counties), shown beneath its area.
    pub area_sub_rows: Vec<bool>,
}

/// Columns of [`SummaryTables::changes`].
pub mod changes_col {
    /// Figure label.
    pub const FIGURE: u16 = 0;
    /// Before.
    pub const BEFORE: u16 = 1;
    /// After.
    pub const AFTER: u16 = 2;
    /// After − before.
    pub const CHANGE: u16 = 3;
    /// The key in `summary --json`.
    pub const KEY: u16 = 4;
}

/// Columns of [`SummaryTables::by_level`].
pub mod level_col {
    /// Level label.
    pub const LEVEL: u16 = 0;
    /// Level key (`national` … `township`).
    pub const KEY: u16 = 1;
    /// Sites before.
    pub const SITES_BEFORE: u16 = 2;
    /// Sites after.
    pub const SITES_AFTER: u16 = 3;
    /// Cost before.
    pub const COST_BEFORE: u16 = 4;
    /// Cost after.
    pub const COST_AFTER: u16 = 5;
    /// Cost change.
    pub const COST_CHANGE: u16 = 6;
    /// Own population.
    pub const POPULATION: u16 = 7;
    /// Covered before.
    pub const COVERED_BEFORE: u16 = 8;
    /// Covered after.
    pub const COVERED_AFTER: u16 = 9;
    /// Coverage share before.
    pub const COVERAGE_BEFORE: u16 = 10;
    /// Coverage share after.
    pub const COVERAGE_AFTER: u16 = 11;
    /// Passing sites before.
    pub const PASSING_BEFORE: u16 = 12;
    /// Passing kept sites after.
    pub const PASSING_AFTER: u16 = 13;
}

fn diff(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(b? - a?)
}

/// Columns of [`SummaryTables::by_area`].
pub mod area_col {
    /// The area's name (a portal's name, or what the row stands for).
    pub const AREA: u16 = 0;
    /// What the row stands for (`province`, `prefecture`, `county`, `own`,
    /// `unassigned`, `other`).
    pub const KIND: u16 = 1;
    /// The area a sub-area belongs to.
    pub const PARENT: u16 = 2;
    /// The portal's site id.
    pub const SITE_ID: u16 = 3;
    /// Sites before.
    pub const SITES_BEFORE: u16 = 4;
    /// Sites kept.
    pub const SITES_AFTER: u16 = 5;
    /// Sites merged.
    pub const MERGED: u16 = 6;
    /// Cost before.
    pub const COST_BEFORE: u16 = 7;
    /// Cost after.
    pub const COST_AFTER: u16 = 8;
    /// Savings per year.
    pub const SAVINGS: u16 = 9;
    /// One-time cost.
    pub const ONE_TIME_COST: u16 = 10;
    /// Own population.
    pub const POPULATION: u16 = 11;
    /// Covered before.
    pub const COVERED_BEFORE: u16 = 12;
    /// Covered after.
    pub const COVERED_AFTER: u16 = 13;
    /// Coverage share before.
    pub const COVERAGE_BEFORE: u16 = 14;
    /// Coverage share after.
    pub const COVERAGE_AFTER: u16 = 15;
    /// Passing sites before.
    pub const PASSING_BEFORE: u16 = 16;
    /// Passing kept sites after.
    pub const PASSING_AFTER: u16 = 17;
}

/// The summary figures as tables. `inv` and `params` name the receiving
/// sites and give their capacity.
pub fn summary_tables(s: &Summary, inv: &Inventory, params: &Params, lang: Lang) -> SummaryTables {
    let (by_area, area_sub_rows) = by_area_table(s.by_area.as_deref().unwrap_or_default(), lang);
    SummaryTables {
        changes: changes_table(s, lang),
        figures: figures_table(s, lang),
        by_level: by_level_table(s, lang),
        targets: targets_table(s, inv, params, lang),
        by_area,
        area_sub_rows,
    }
}

fn changes_table(s: &Summary, lang: Lang) -> Table {
    let mut t = Table::new([
        lang.pick("指标", "Figure"),
        lang.pick("现状", "Before"),
        lang.pick("方案后", "After"),
        lang.pick("变化", "Change"),
        lang.pick("字段", "Key"),
    ]);
    let mut row = |label: &str, before: Cell, after: Cell, change: Cell, key: &str| {
        t.rows.push(vec![
            Cell::text(label),
            before,
            after,
            change,
            Cell::text(key),
        ]);
    };
    row(
        lang.pick("网站数", "Sites"),
        Cell::int(s.sites.before),
        Cell::int(s.sites.after),
        Cell::Int(s.sites.after as i64 - s.sites.before as i64),
        "sites",
    );
    let c = s.annual_cost;
    row(
        lang.pick("年度成本（元）", "Annual cost (yuan)"),
        Cell::Money(c.before),
        Cell::Money(c.after),
        Cell::Money(c.after - c.before),
        "annual_cost",
    );
    row(
        lang.pick("覆盖率", "Coverage"),
        Cell::share(s.coverage.before),
        Cell::share(s.coverage.after),
        Cell::share(diff(s.coverage.before, s.coverage.after)),
        "coverage",
    );
    row(
        lang.pick("合格率", "Pass rate"),
        Cell::share(s.pass_rate.before),
        Cell::share(s.pass_rate.after),
        Cell::share(diff(s.pass_rate.before, s.pass_rate.after)),
        "pass_rate",
    );
    row(
        lang.pick("在线服务事项", "Online services"),
        Cell::count(s.services.before),
        Cell::count(s.services.after),
        Cell::count(s.services.after - s.services.before),
        "services",
    );
    t
}

fn figures_table(s: &Summary, lang: Lang) -> Table {
    let mut t = Table::new([
        lang.pick("指标", "Figure"),
        lang.pick("数值", "Value"),
        lang.pick("字段", "Key"),
    ]);
    let mut row = |label: &str, v: Cell, key: &str| {
        t.rows.push(vec![Cell::text(label), v, Cell::text(key)]);
    };
    row(
        lang.pick("每年节约（元）", "Savings per year (yuan)"),
        Cell::Money(s.annual_cost.savings),
        "annual_cost.savings",
    );
    row(
        lang.pick("一次性迁移成本（元）", "One-time cost (yuan)"),
        Cell::Money(s.one_time_cost),
        "one_time_cost",
    );
    row(
        lang.pick("回收期（月）", "Payback (months)"),
        s.payback_months.map_or(Cell::Empty, Cell::Decimal),
        "payback_months",
    );
    row(
        lang.pick("服务人口（自有人口合计）", "Population (own, total)"),
        Cell::int(s.population),
        "population",
    );
    row(
        lang.pick("释放人员", "Staff freed"),
        Cell::Number(s.staff_freed),
        "staff_freed",
    );
    row(
        lang.pick("合并网站数", "Merged sites"),
        Cell::int(s.plan.merged),
        "plan.merged",
    );
    row(
        lang.pick("人工决定的网站数", "Sites decided manually"),
        Cell::int(s.plan.manual),
        "plan.manual",
    );
    row(
        lang.pick("按规则合并的网站数", "Sites merged by a rule"),
        Cell::int(s.plan.by_rule),
        "plan.by_rule",
    );
    row(
        lang.pick("方案文件中忽略的行", "Plan-file lines ignored"),
        Cell::int(s.plan.errors),
        "plan.errors",
    );
    row(
        lang.pick("承接网站数", "Receiving sites"),
        Cell::int(s.targets.len()),
        "",
    );
    row(
        lang.pick("超负荷的承接网站", "Receiving sites over capacity"),
        Cell::int(s.targets.iter().filter(|t| t.over_capacity).count()),
        "",
    );
    row(
        lang.pick("读取的数据行", "Rows read"),
        Cell::int(s.import.rows_read),
        "import.rows_read",
    );
    row(
        lang.pick("导入的网站", "Sites imported"),
        Cell::int(s.import.sites),
        "import.sites",
    );
    row(
        lang.pick("未导入的行", "Rows rejected"),
        Cell::int(s.import.rejected),
        "import.rejected",
    );
    row(
        lang.pick("导入错误", "Import errors"),
        Cell::int(s.import.errors),
        "import.errors",
    );
    row(
        lang.pick("导入警告", "Import warnings"),
        Cell::int(s.import.warnings),
        "import.warnings",
    );
    t
}

fn share_of(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn by_level_table(s: &Summary, lang: Lang) -> Table {
    let mut t = Table::new([
        lang.pick("层级", "Level"),
        lang.pick("层级代码", "level"),
        lang.pick("网站数（现状）", "sites_before"),
        lang.pick("网站数（方案后）", "sites_after"),
        lang.pick("年度成本（现状）", "cost_before"),
        lang.pick("年度成本（方案后）", "cost_after"),
        lang.pick("成本变化", "cost_change"),
        lang.pick("自有人口", "population"),
        lang.pick("合格网站服务人口（现状）", "covered_before"),
        lang.pick("合格网站服务人口（方案后）", "covered_after"),
        lang.pick("覆盖率（现状）", "coverage_before"),
        lang.pick("覆盖率（方案后）", "coverage_after"),
        lang.pick("合格网站（现状）", "passing_before"),
        lang.pick("合格网站（方案后）", "passing_after"),
    ]);
    for r in &s.by_level {
        t.rows.push(vec![
            Cell::text(r.level.label(lang)),
            Cell::text(r.level.key()),
            Cell::int(r.sites_before),
            Cell::int(r.sites_after),
            Cell::Money(r.cost_before),
            Cell::Money(r.cost_after),
            Cell::Money(r.cost_after - r.cost_before),
            Cell::int(r.population),
            Cell::int(r.covered_before),
            Cell::int(r.covered_after),
            Cell::share(share_of(r.covered_before, r.population)),
            Cell::share(share_of(r.covered_after, r.population)),
            Cell::int(r.passing_before),
            Cell::int(r.passing_after),
        ]);
    }
    let sum_u =
        |f: fn(&crate::outcome::LevelOutcome) -> u64| -> u64 { s.by_level.iter().map(f).sum() };
    let sum_f =
        |f: fn(&crate::outcome::LevelOutcome) -> Money| -> Money { s.by_level.iter().map(f).sum() };
    let pop = sum_u(|r| r.population);
    let cov_b = sum_u(|r| r.covered_before);
    let cov_a = sum_u(|r| r.covered_after);
    t.totals = Some(vec![
        Cell::text(lang.pick("合计", "Total")),
        Cell::Empty,
        Cell::int(sum_u(|r| r.sites_before as u64)),
        Cell::int(sum_u(|r| r.sites_after as u64)),
        Cell::Money(sum_f(|r| r.cost_before)),
        Cell::Money(sum_f(|r| r.cost_after)),
        Cell::Money(sum_f(|r| r.cost_after - r.cost_before)),
        Cell::int(pop),
        Cell::int(cov_b),
        Cell::int(cov_a),
        Cell::share(share_of(cov_b, pop)),
        Cell::share(share_of(cov_a, pop)),
        Cell::int(sum_u(|r| r.passing_before as u64)),
        Cell::int(sum_u(|r| r.passing_after as u64)),
    ]);
    t.summed = (0..t.headers.len() as u16)
        .map(|c| !matches!(c, 0 | 1 | 10 | 11))
        .collect();
    t
}

/// The areas, each followed by its sub-areas, then the total of the
/// areas (written as values: a column sum would count the sub-areas
/// twice). Returns which rows are sub-areas.
fn by_area_table(rows: &[AreaOutcome], lang: Lang) -> (Table, Vec<bool>) {
    let mut t = Table::new([
        lang.pick("地区", "Area"),
        lang.pick("类别", "kind"),
        lang.pick("所属地区", "parent"),
        lang.pick("网站标识码", "site_id"),
        lang.pick("网站数（现状）", "sites_before"),
        lang.pick("网站数（方案后）", "sites_after"),
        lang.pick("合并网站数", "merged"),
        lang.pick("年度成本（现状）", "cost_before"),
        lang.pick("年度成本（方案后）", "cost_after"),
        lang.pick("每年节约", "savings"),
        lang.pick("一次性迁移成本", "one_time_cost"),
        lang.pick("自有人口", "population"),
        lang.pick("合格网站服务人口（现状）", "covered_before"),
        lang.pick("合格网站服务人口（方案后）", "covered_after"),
        lang.pick("覆盖率（现状）", "coverage_before"),
        lang.pick("覆盖率（方案后）", "coverage_after"),
        lang.pick("合格网站（现状）", "passing_before"),
        lang.pick("合格网站（方案后）", "passing_after"),
    ]);
    let mut sub_rows = Vec::new();
    let cells = |r: &AreaOutcome, parent: Option<&AreaOutcome>| {
        vec![
            Cell::text(r.label(lang)),
            Cell::text(match lang {
                Lang::Zh => r.area.label(lang),
                Lang::En => r.area.key(),
            }),
            parent.map_or(Cell::Empty, |p| Cell::text(p.label(lang))),
            r.site_id.as_ref().map_or(Cell::Empty, Cell::text),
            Cell::int(r.sites_before),
            Cell::int(r.sites_after),
            Cell::int(r.merged),
            Cell::Money(r.cost_before),
            Cell::Money(r.cost_after),
            Cell::Money(r.savings),
            Cell::Money(r.one_time_cost),
            Cell::int(r.population),
            Cell::int(r.covered_before),
            Cell::int(r.covered_after),
            Cell::share(r.coverage.before),
            Cell::share(r.coverage.after),
            Cell::int(r.passing_before),
            Cell::int(r.passing_after),
        ]
    };
    for r in rows {
        t.rows.push(cells(r, None));
        sub_rows.push(false);
        for sub in &r.sub_areas {
            t.rows.push(cells(sub, Some(r)));
            sub_rows.push(true);
        }
    }
    if !rows.is_empty() {
        let sum_u = |f: fn(&AreaOutcome) -> u64| -> u64 { rows.iter().map(f).sum() };
        let sum_m = |f: fn(&AreaOutcome) -> Money| -> Money { rows.iter().map(f).sum() };
        let pop = sum_u(|r| r.population);
        let cov_b = sum_u(|r| r.covered_before);
        let cov_a = sum_u(|r| r.covered_after);
        t.totals = Some(vec![
            Cell::text(lang.pick("合计", "Total")),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::int(sum_u(|r| r.sites_before as u64)),
            Cell::int(sum_u(|r| r.sites_after as u64)),
            Cell::int(sum_u(|r| r.merged as u64)),
            Cell::Money(sum_m(|r| r.cost_before)),
            Cell::Money(sum_m(|r| r.cost_after)),
            Cell::Money(sum_m(|r| r.savings)),
            Cell::Money(sum_m(|r| r.one_time_cost)),
            Cell::int(pop),
            Cell::int(cov_b),
            Cell::int(cov_a),
            Cell::share(share_of(cov_b, pop)),
            Cell::share(share_of(cov_a, pop)),
            Cell::int(sum_u(|r| r.passing_before as u64)),
            Cell::int(sum_u(|r| r.passing_after as u64)),
        ]);
    }
    (t, sub_rows)
}

fn yes_no(b: bool, lang: Lang) -> Cell {
    Cell::text(if b {
        lang.pick("是", "yes")
    } else {
        lang.pick("否", "no")
    })
}

fn targets_table(s: &Summary, inv: &Inventory, params: &Params, lang: Lang) -> Table {
    let mut t = Table::new([
        lang.pick("承接网站标识码", "site_id"),
        lang.pick("承接网站名称", "name"),
        lang.pick("层级", "level"),
        lang.pick("并入网站数", "absorbed_sites"),
        lang.pick("并入网站预算（元/年）", "absorbed_budget"),
        lang.pick("并入自有人口", "absorbed_population"),
        lang.pick("承接成本（元/年）", "absorb_cost"),
        lang.pick("承接上限", "capacity"),
        lang.pick("超负荷", "over_capacity"),
    ]);
    let cap = params
        .max_absorbed_per_target
        .map_or(Cell::Empty, Cell::int);
    for r in &s.targets {
        let site = inv.sites().get(r.site).filter(|x| *x.id == r.site_id);
        t.rows.push(vec![
            Cell::text(&r.site_id),
            site.map_or(Cell::Empty, |x| Cell::text(x.name.as_str())),
            site.map_or(Cell::Empty, |x| Cell::text(x.level.label(lang))),
            Cell::int(r.absorbed_sites),
            Cell::Money(r.absorbed_budget),
            Cell::int(r.absorbed_population),
            Cell::Money(r.absorb_cost),
            cap.clone(),
            yes_no(r.over_capacity, lang),
        ]);
    }
    t
}

/// The parameters: key, name, value, unit, meaning.
pub fn params_table(p: &Params, lang: Lang) -> Table {
    let mut t = Table::new([
        lang.pick("参数", "Parameter"),
        lang.pick("名称", "Name"),
        lang.pick("取值", "Value"),
        lang.pick("单位", "Unit"),
        lang.pick("含义", "Meaning"),
    ]);
    for k in ParamKey::ALL {
        let v = match (k, k.get(p)) {
            (_, None) => Cell::Empty,
            (ParamKey::AbsorbRate | ParamKey::ServiceMigrationRate, Some(v)) => Cell::Share(v),
            // The unit column says 元/年 or 元: the value is a plain
            // number (a money cell would say 元 again).
            (
                ParamKey::AbsorbFixed | ParamKey::MigrateFixed | ParamKey::MigratePerService,
                Some(v),
            ) if v.fract() == 0.0 && v.abs() < 1e15 => Cell::Int(v as i64),
            (_, Some(v)) => Cell::Number(v),
        };
        t.rows.push(vec![
            Cell::text(k.key()),
            Cell::text(k.label(lang)),
            v,
            Cell::text(k.unit(lang)),
            Cell::text(k.help(lang)),
        ]);
    }
    t
}

/// The rules, in order: name, action, enabled, conditions (described and
/// one column each), and the number of sites each decides.
pub fn rules_table(rules: &RuleSet, resolved: &Resolved, lang: Lang) -> Table {
    let mut t = Table::new([
        lang.pick("序号", "#"),
        lang.pick("规则名称", "Rule"),
        lang.pick("动作", "Action"),
        lang.pick("启用", "Enabled"),
        lang.pick("条件", "Conditions"),
        lang.pick("层级", "levels"),
        lang.pick("类型", "kinds"),
        lang.pick("预算低于（元）", "budget_below"),
        lang.pick("得分低于", "score_below"),
        lang.pick("检查不合格", "failed_inspection"),
        lang.pick("月访问量低于", "visits_below"),
        lang.pick("转载时效高于（小时）", "reprint_hours_above"),
        lang.pick("不合格轮次（k/n）", "failed_rounds (k/n)"),
        lang.pick("决定的网站数", "Sites decided"),
    ]);
    let counts = resolved.rule_counts(rules);
    let num = |v: Option<f64>| v.map_or(Cell::Empty, Cell::Number);
    for (i, r) in rules.rules.iter().enumerate() {
        t.rows.push(vec![
            Cell::int(i + 1),
            Cell::text(&r.name),
            Cell::text(r.action.label(lang)),
            yes_no(r.enabled, lang),
            Cell::text(r.describe(lang)),
            r.levels.as_ref().map_or(Cell::Empty, |l| {
                Cell::text(
                    l.iter()
                        .map(|x| x.label(lang))
                        .collect::<Vec<_>>()
                        .join("/"),
                )
            }),
            r.kinds.as_ref().map_or(Cell::Empty, |k| {
                Cell::text(
                    k.iter()
                        .map(|x| x.label(lang))
                        .collect::<Vec<_>>()
                        .join("/"),
                )
            }),
            r.budget_below.map_or(Cell::Empty, Cell::money_f64),
            num(r.score_below),
            r.failed_inspection.map_or(Cell::Empty, |b| yes_no(b, lang)),
            num(r.visits_below),
            num(r.reprint_hours_above),
            r.failed_rounds
                .map_or(Cell::Empty, |[k, n]| Cell::text(format!("{k}/{n}"))),
            Cell::int(counts.get(i).copied().unwrap_or(0)),
        ]);
    }
    t
}

/// The import issues and the plan, rules and parameters files' issues:
/// file, line, column, header, severity, site, message, raw row.
pub fn issues_table(report: &ImportReport, file_issues: &[FileIssue], lang: Lang) -> Table {
    let mut t = Table::new([
        lang.pick("文件", "File"),
        if report.location_is_row {
            lang.pick("行号", "Row")
        } else {
            lang.pick("行号", "Line")
        },
        lang.pick("列", "Column"),
        lang.pick("列名", "Header"),
        lang.pick("严重程度", "Severity"),
        lang.pick("网站标识码", "Site"),
        lang.pick("说明", "Message"),
        lang.pick("原始行", "Raw row"),
    ]);
    let line = |l: u64| if l == 0 { Cell::Empty } else { Cell::int(l) };
    for i in &report.issues {
        t.rows.push(vec![
            Cell::text(i.file_in(report)),
            line(i.line),
            i.column.map_or(Cell::Empty, Cell::int),
            i.header.as_ref().map_or(Cell::Empty, Cell::text),
            Cell::text(i.severity.label(lang)),
            i.site_id.as_ref().map_or(Cell::Empty, Cell::text),
            Cell::text(i.finding.message(lang)),
            i.raw
                .as_ref()
                .map_or(Cell::Empty, |r| Cell::text(r.join(","))),
        ]);
    }
    for f in file_issues {
        t.rows.push(vec![
            Cell::text(&f.source),
            line(f.line),
            f.column.map_or(Cell::Empty, Cell::int),
            Cell::Empty,
            Cell::text(if f.is_error {
                lang.pick("错误", "Error")
            } else {
                lang.pick("警告", "Warning")
            }),
            Cell::Empty,
            Cell::text(f.message(lang)),
            Cell::Empty,
        ]);
    }
    t
}

/// Writes the summary as CSV (UTF-8 with BOM, CRLF): the figures before /
/// after / change, the single figures, the levels, the receiving sites
/// and, when the summary has them, the areas, an empty line between them.
pub fn write_summary_csv<W: Write>(
    s: &Summary,
    inv: &Inventory,
    params: &Params,
    out: W,
    lang: Lang,
) -> std::io::Result<()> {
    let t = summary_tables(s, inv, params, lang);
    let mut tables = vec![&t.changes, &t.figures, &t.by_level, &t.targets];
    if s.by_area.is_some() {
        tables.push(&t.by_area);
    }
    write_csv_tables(&tables, out)
}

/// Writes the import issues (and the other files' issues) as CSV (UTF-8
/// with BOM, CRLF): file, line, column, header, severity, site, message,
/// raw row.
pub fn write_issues_csv<W: Write>(
    report: &ImportReport,
    file_issues: &[FileIssue],
    out: W,
    lang: Lang,
) -> std::io::Result<()> {
    write_csv_tables(&[&issues_table(report, file_issues, lang)], out)
}

/// Columns a CJK character fills, for column widths: 2 for East Asian
/// wide and full-width characters, 1 otherwise.
pub fn char_width(c: char) -> usize {
    let u = c as u32;
    let wide = matches!(u,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

/// The width of a text in columns ([`char_width`] summed).
pub fn text_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}
