//! Why each merge: what it saves and what it does to coverage.

use serde::Serialize;

use crate::i18n::{Lang, Text};
use crate::inventory::Inventory;
use crate::outcome::{Model, Outcome, yuan};
use crate::plan::Decision;

/// What a merge does to its own residents' coverage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageEffect {
    /// From a failing site to a passing one: they become covered.
    Gains,
    /// From a passing site to a failing one: they stop being covered.
    Loses,
    /// From a passing site to another passing one.
    StaysCovered,
    /// From a failing site to another failing one.
    StaysUncovered,
    /// The site has no residents of its own (a department site).
    NoResidents,
}

/// The explanation of one merged site.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MergeNote {
    /// The merged site (index).
    pub site: usize,
    /// The site that serves it after the plan (index).
    pub serving: usize,
    /// budget − absorb_cost: yuan per year saved (negative: it costs more).
    pub savings: crate::money::Money,
    /// Its own residents (own_pop).
    pub residents: u64,
    /// What happens to their coverage.
    pub effect: CoverageEffect,
    /// The merge is the planner's (locked), not the optimizer's.
    pub locked: bool,
}

impl MergeNote {
    /// Notes for every merged site of a plan, in inventory order.
    pub fn for_plan(
        inv: &Inventory,
        model: &Model,
        decisions: &[Decision],
        outcome: &Outcome,
        locks: &[Option<Decision>],
    ) -> Vec<MergeNote> {
        let sites = inv.sites();
        (0..inv.len())
            .filter(|&i| sites[i].parent.is_some() && decisions[i].is_merge())
            .map(|i| {
                let serving = outcome.serving[i] as usize;
                let residents = model.own_pop[i];
                let effect = match (model.passes[i], model.passes[serving]) {
                    _ if residents == 0 => CoverageEffect::NoResidents,
                    (false, true) => CoverageEffect::Gains,
                    (true, false) => CoverageEffect::Loses,
                    (true, true) => CoverageEffect::StaysCovered,
                    (false, false) => CoverageEffect::StaysUncovered,
                };
                MergeNote {
                    site: i,
                    serving,
                    savings: model.saving(i),
                    residents,
                    effect,
                    locked: locks.get(i).copied().flatten().is_some(),
                }
            })
            .collect()
    }

    /// Change in covered persons for these residents.
    pub fn coverage_change(&self) -> i64 {
        match self.effect {
            CoverageEffect::Gains => self.residents as i64,
            CoverageEffect::Loses => -(self.residents as i64),
            _ => 0,
        }
    }

    /// The explanation in both languages.
    pub fn text(&self, inv: &Inventory) -> Text {
        let target = &inv.site(self.serving).name;
        let n = count(self.residents);
        let (money_zh, money_en) = if !self.savings.is_negative() {
            (
                format!("每年节约 ¥{}", yuan(self.savings)),
                format!("saves ¥{}/yr", yuan(self.savings)),
            )
        } else {
            (
                format!("每年多支出 ¥{}", yuan(-self.savings)),
                format!("costs ¥{}/yr more", yuan(-self.savings)),
            )
        };
        let (cov_zh, cov_en) = match self.effect {
            CoverageEffect::Gains => (
                format!("其 {n} 名居民从不合格网站转由合格网站服务：覆盖 +{n} 人"),
                format!("its {n} residents move from a failing to a passing site: +{n} covered"),
            ),
            CoverageEffect::Loses => (
                format!("其 {n} 名居民从合格网站转由不合格网站服务：覆盖 −{n} 人"),
                format!("its {n} residents move from a passing to a failing site: −{n} covered"),
            ),
            CoverageEffect::StaysCovered => (
                format!("其 {n} 名居民仍由合格网站服务：覆盖不变"),
                format!("its {n} residents stay with a passing site: coverage unchanged"),
            ),
            CoverageEffect::StaysUncovered => (
                format!("其 {n} 名居民仍由不合格网站服务：覆盖不变"),
                format!("its {n} residents stay with a failing site: coverage unchanged"),
            ),
            CoverageEffect::NoResidents => (
                "无本级服务人口：覆盖不变".to_string(),
                "no residents of its own: coverage unchanged".to_string(),
            ),
        };
        let (lock_zh, lock_en) = if self.locked {
            ("人工锁定；", "locked by the planner; ")
        } else {
            ("", "")
        };
        Text::new(
            format!("{lock_zh}并入{target}，{money_zh}；{cov_zh}"),
            format!("{lock_en}into {target}: {money_en}; {cov_en}"),
        )
    }

    /// The explanation in `lang`.
    pub fn render(&self, inv: &Inventory, lang: Lang) -> String {
        self.text(inv).get(lang).to_string()
    }
}

fn count(v: u64) -> String {
    crate::outcome::count(v as f64)
}
