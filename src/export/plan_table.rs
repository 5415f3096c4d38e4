//! The per-site plan table: what happens to each site, where it folds to,
//! why, and what it costs.

use crate::i18n::Lang;
use crate::inventory::Inventory;
use crate::money::Money;
use crate::optimize::MergeNote;
use crate::outcome::{Model, Outcome};
use crate::plan::{Decision, Resolved, Source};
use crate::workspace::Workspace;

use super::neutralise;

/// One row of the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanRow {
    /// Site index.
    pub site: usize,
    /// Kept or merged.
    pub decision: Decision,
    /// For a merged site: the site that serves it.
    pub target: Option<usize>,
    /// The serving site.
    pub serving: usize,
    /// Why: manual, the rule's name, default or top site.
    pub reason: String,
    /// Yearly cost at the target if merged, else 0.
    pub absorb_cost: Money,
    /// One-time cost if merged, else 0.
    pub migration_cost: Money,
    /// The planner's note on the decision.
    pub note: String,
}

/// The plan rows of a workspace's plan, in inventory order.
pub fn plan_rows(
    ws: &Workspace,
    model: &Model,
    resolved: &Resolved,
    outcome: &Outcome,
    lang: Lang,
) -> Vec<PlanRow> {
    let inv = &ws.imported.inventory;
    let rules = &ws.rules;
    // The optimizer's merges say why, as its explanation does.
    let mut notes = std::collections::HashMap::new();
    if resolved.sources.contains(&Source::Optimizer) {
        for note in MergeNote::for_plan(inv, model, &resolved.decisions, outcome, &[]) {
            notes.insert(note.site, note);
        }
    }
    (0..inv.len())
        .map(|i| {
            let decision = resolved.decisions[i];
            let merged = decision.is_merge() && inv.parent(i).is_some();
            let serving = outcome.serving[i] as usize;
            let source = resolved.sources[i];
            let reason = match notes.get(&i) {
                Some(note) if source == Source::Optimizer => format!(
                    "{}{}{}",
                    source.label(rules, lang),
                    lang.pick("：", ": "),
                    note.text(inv).get(lang)
                ),
                _ => source.label(rules, lang),
            };
            PlanRow {
                site: i,
                decision: if merged { decision } else { Decision::Keep },
                target: merged.then_some(serving),
                serving,
                reason,
                absorb_cost: if merged {
                    model.absorb_cost(i)
                } else {
                    Money::ZERO
                },
                migration_cost: if merged {
                    model.migrate_cost(i)
                } else {
                    Money::ZERO
                },
                note: ws.notes.get(&i).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

/// Headers of the plan table.
pub fn plan_headers(lang: Lang) -> [&'static str; 14] {
    [
        lang.pick("网站标识码", "site_id"),
        lang.pick("网站名称", "name"),
        lang.pick("层级", "level"),
        lang.pick("类型", "kind"),
        lang.pick("上级网站标识码", "parent_id"),
        lang.pick("决定", "decision"),
        lang.pick("目标网站标识码", "target_id"),
        lang.pick("服务网站标识码", "serving_id"),
        lang.pick("服务网站名称", "serving_name"),
        lang.pick("依据", "source"),
        lang.pick("年度预算（元）", "budget"),
        lang.pick("承接成本（元/年）", "absorb_cost"),
        lang.pick("迁移成本（元）", "migration_cost"),
        lang.pick("备注", "note"),
    ]
}

/// Writes the plan as CSV: UTF-8 with BOM and CRLF (what Excel on Windows
/// expects), formula-like text neutralised. It reads back with `--plan`.
pub fn write_plan_csv<W: std::io::Write>(
    inv: &Inventory,
    rows: &[PlanRow],
    out: W,
    lang: Lang,
) -> std::io::Result<()> {
    write_plan_csv_with(inv, rows, out, lang, &|_| true)
}

/// [`write_plan_csv`], telling `report` how far it is (0 to 1) every few
/// thousand rows; when `report` returns false it stops with an error of
/// kind [`std::io::ErrorKind::Interrupted`].
pub fn write_plan_csv_with<W: std::io::Write>(
    inv: &Inventory,
    rows: &[PlanRow],
    out: W,
    lang: Lang,
    report: &dyn Fn(f32) -> bool,
) -> std::io::Result<()> {
    let mut w = crate::inventory::excel_csv(out)?;
    w.write_record(plan_headers(lang))?;
    for (n, r) in rows.iter().enumerate() {
        if n % 4096 == 0 && !report(n as f32 / rows.len() as f32) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::Interrupted,
                "export cancelled",
            ));
        }
        let s = inv.site(r.site);
        let serving = inv.site(r.serving);
        let decision = match r.decision {
            Decision::Keep => lang.pick("保留", "keep"),
            Decision::Merge { .. } => lang.pick("合并", "merge"),
        };
        let target = r.target.map(|t| inv.site(t).id.as_str()).unwrap_or("");
        w.write_record([
            neutralise(&s.id).as_ref(),
            &neutralise(&s.name),
            s.level.in_file(lang),
            s.kind.in_file(lang),
            &neutralise(&s.parent_id),
            decision,
            &neutralise(target),
            &neutralise(&serving.id),
            &neutralise(&serving.name),
            &neutralise(&r.reason),
            &s.budget.to_string(),
            &r.absorb_cost.to_string(),
            &r.migration_cost.to_string(),
            &neutralise(&r.note),
        ])?;
    }
    w.flush()
}
