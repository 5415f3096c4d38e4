//! The machine-readable summary (`summary --json`) and its readable table.

use serde::Serialize;

use crate::i18n::Lang;
use crate::inventory::ImportReport;
use crate::plan::Resolved;

use super::{AreaOutcome, BeforeAfter, Cost, LevelOutcome, Outcome, Share, TargetOutcome};
use crate::money::Money;

/// A change with its sign: `+1,200`, `-5,000`, `0` (never `-0`).
pub fn change(v: Money) -> String {
    let text = yuan(v);
    if v.to_yuan().is_positive() {
        format!("+{text}")
    } else {
        text
    }
}

/// Import figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ImportCounts {
    /// Data rows read.
    pub rows_read: usize,
    /// Sites imported.
    pub sites: usize,
    /// Rows not imported.
    pub rejected: usize,
    /// Bad cells.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
}

impl From<&ImportReport> for ImportCounts {
    fn from(r: &ImportReport) -> Self {
        ImportCounts {
            rows_read: r.rows_read,
            sites: r.sites,
            rejected: r.rejected(),
            errors: r.errors(),
            warnings: r.warnings(),
        }
    }
}

/// Plan figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PlanCounts {
    /// Merged sites.
    pub merged: usize,
    /// Sites with a valid manual decision.
    pub manual: usize,
    /// Sites merged by a rule.
    pub by_rule: usize,
    /// Plan-file lines ignored.
    pub errors: usize,
}

/// The summary, with exactly the keys of the model's contract.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Import figures.
    pub import: ImportCounts,
    /// Sites before and after.
    pub sites: BeforeAfter<usize>,
    /// Annual cost.
    pub annual_cost: Cost,
    /// One-time cost.
    pub one_time_cost: Money,
    /// Payback in months.
    pub payback_months: Option<f64>,
    /// Σ own_pop.
    pub population: u64,
    /// Coverage.
    pub coverage: Share,
    /// Pass rate.
    pub pass_rate: Share,
    /// Services.
    pub services: BeforeAfter<f64>,
    /// Staff freed, rounded to one place (MODEL.md §7).
    pub staff_freed: f64,
    /// Plan figures.
    pub plan: PlanCounts,
    /// By level.
    pub by_level: Vec<LevelOutcome>,
    /// Receiving sites.
    pub targets: Vec<TargetOutcome>,
    /// By area, when asked for (`summary --by-area`, the exports): not a
    /// key of the contract, so absent from the JSON unless asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_area: Option<Vec<AreaOutcome>>,
}

impl Summary {
    /// Assembles the summary.
    pub fn new(
        report: &ImportReport,
        resolved: &Resolved,
        plan_errors: usize,
        o: &Outcome,
    ) -> Summary {
        let mut s = Summary::counted(
            report,
            resolved.manual_count(),
            resolved.by_rule_count(),
            plan_errors,
            o,
        );
        s.by_level = o.by_level.clone();
        s.targets = o.targets.clone();
        s
    }

    /// [`Summary::new`] of an outcome no longer needed (its rows are
    /// taken, not copied), with the sites decided manually and the sites
    /// merged by a rule already counted (see
    /// [`crate::plan::resolve_packed`]).
    pub fn of_outcome(
        report: &ImportReport,
        manual: usize,
        by_rule: usize,
        plan_errors: usize,
        mut o: Outcome,
    ) -> Summary {
        let mut s = Summary::counted(report, manual, by_rule, plan_errors, &o);
        s.by_level = std::mem::take(&mut o.by_level);
        s.targets = std::mem::take(&mut o.targets);
        s
    }

    /// The summary's figures without the rows by level and by target.
    fn counted(
        report: &ImportReport,
        manual: usize,
        by_rule: usize,
        plan_errors: usize,
        o: &Outcome,
    ) -> Summary {
        Summary {
            import: ImportCounts::from(report),
            sites: o.sites,
            annual_cost: o.annual_cost,
            one_time_cost: o.one_time_cost,
            payback_months: o.payback_months,
            population: o.population,
            coverage: o.coverage,
            pass_rate: o.pass_rate,
            services: o.services,
            staff_freed: crate::money::staff_f64(o.staff_freed),
            plan: PlanCounts {
                merged: o.merged,
                manual,
                by_rule,
                errors: plan_errors,
            },
            by_level: Vec::new(),
            targets: Vec::new(),
            by_area: None,
        }
    }

    /// The summary with the figures by area (see [`super::by_area`]).
    pub fn with_areas(mut self, rows: Vec<AreaOutcome>) -> Summary {
        self.by_area = Some(rows);
        self
    }

    /// The JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }
}

/// Yuan with thousands separators, rounded to the yuan.
pub fn yuan(v: Money) -> String {
    v.grouped_yuan()
}

/// A count with thousands separators, rounded to a whole number: `84,224`.
pub fn count(v: f64) -> String {
    let r = v.round();
    let digits = crate::money::group_digits(&format!("{}", r.abs() as u64));
    if r < 0.0 {
        format!("-{digits}")
    } else {
        digits
    }
}

/// A share as a percentage with one decimal, or a dash.
pub fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |x| format!("{:.1}%", x * 100.0))
}

/// The readable table printed by `sitefold summary`.
pub fn render_text(s: &Summary, lang: Lang) -> String {
    let mut out = String::new();
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let line = |out: &mut String, label: &str, before: String, after: String, change: String| {
        out.push_str(&format!(
            "{label:<14} {before:>18} {after:>18} {change:>16}\n"
        ));
    };
    out.push_str(&format!(
        "{}: {} {} · {} {} · {} {} · {} {}\n\n",
        l("导入", "Import"),
        s.import.rows_read,
        l("行", "rows"),
        s.import.sites,
        l("个网站", "sites"),
        s.import.rejected,
        l("行未导入", "rejected"),
        s.import.errors + s.import.warnings,
        l("条问题", "issues")
    ));
    line(
        &mut out,
        "",
        l("现状", "Before").into(),
        l("方案后", "After").into(),
        l("变化", "Change").into(),
    );
    line(
        &mut out,
        l("网站数", "Sites"),
        s.sites.before.to_string(),
        s.sites.after.to_string(),
        format!("{:+}", s.sites.after as i64 - s.sites.before as i64),
    );
    line(
        &mut out,
        l("年度成本（元）", "Annual cost ¥"),
        yuan(s.annual_cost.before),
        yuan(s.annual_cost.after),
        change(-s.annual_cost.savings),
    );
    line(
        &mut out,
        l("覆盖率", "Coverage"),
        percent(s.coverage.before),
        percent(s.coverage.after),
        String::new(),
    );
    line(
        &mut out,
        l("合格率", "Pass rate"),
        percent(s.pass_rate.before),
        percent(s.pass_rate.after),
        String::new(),
    );
    line(
        &mut out,
        l("在线服务", "Services"),
        count(s.services.before),
        count(s.services.after),
        String::new(),
    );
    out.push('\n');
    out.push_str(&format!(
        "{}: {}   {}: {}   {}: {}   {}: {}\n",
        l("每年节约（元）", "Savings per year ¥"),
        yuan(s.annual_cost.savings),
        l("一次性迁移成本（元）", "One-time cost ¥"),
        yuan(s.one_time_cost),
        l("回收期（月）", "Payback (months)"),
        s.payback_months
            .map_or_else(|| "—".into(), |m| format!("{m:.1}")),
        l("释放人员", "Staff freed"),
        crate::money::staff_text(
            rust_decimal::Decimal::try_from(s.staff_freed).unwrap_or_default()
        )
    ));
    out.push_str(&format!(
        "{}: {} ({} {}, {} {}, {} {})\n\n",
        l("合并网站", "Merged sites"),
        s.plan.merged,
        l("人工", "manual"),
        s.plan.manual,
        l("按规则", "by rule"),
        s.plan.by_rule,
        l("方案错误", "plan errors"),
        s.plan.errors
    ));
    out.push_str(&format!(
        "{:<10} {:>8} {:>8} {:>16} {:>16} {:>9} {:>9}\n",
        l("层级", "Level"),
        l("现状", "Sites"),
        l("方案后", "After"),
        l("成本（现状）", "Cost before"),
        l("成本（方案后）", "Cost after"),
        l("覆盖（前）", "Cov. before"),
        l("覆盖（后）", "Cov. after"),
    ));
    for r in &s.by_level {
        let share = |c: u64| percent((r.population > 0).then(|| c as f64 / r.population as f64));
        out.push_str(&format!(
            "{:<10} {:>8} {:>8} {:>16} {:>16} {:>9} {:>9}\n",
            r.level.label(lang),
            r.sites_before,
            r.sites_after,
            yuan(r.cost_before),
            yuan(r.cost_after),
            share(r.covered_before),
            share(r.covered_after)
        ));
    }
    if !s.targets.is_empty() {
        out.push_str(&format!(
            "\n{} ({}):\n",
            l("承接网站", "Receiving sites"),
            s.targets.len()
        ));
        for t in s.targets.iter().take(10) {
            out.push_str(&format!(
                "  {:<20} {:>5} {}{}\n",
                t.site_id,
                t.absorbed_sites,
                l("个并入", "absorbed"),
                if t.over_capacity {
                    l("  ⚠ 超负荷", "  ⚠ over capacity")
                } else {
                    ""
                }
            ));
        }
        if s.targets.len() > 10 {
            out.push_str(&format!("  … {}\n", s.targets.len() - 10));
        }
    }
    if let Some(rows) = &s.by_area {
        out.push('\n');
        out.push_str(&super::render_area_text(rows, lang));
    }
    out
}
