//! The plan: which sites are kept and which merge, and into what.
//!
//! Decisions come from, in order: manual decisions, a plan the optimizer
//! found and the planner applied, the first matching rule, otherwise keep.
//! A top site is always kept.

mod params;
mod params_timeline;
mod plan_file;
mod rules;
mod toml_file;

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::inventory::Inventory;

pub use params::{ParamKey, Params};
pub use params_timeline::{DEFAULT_HORIZON_YEARS, MAX_HORIZON_YEARS, TimelineKey, TimelineParams};
pub use plan_file::{ManualPlan, parse_plan_file};
pub use rules::{Action, Rule, RuleSet};

/// What happens to one site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Decision {
    /// The site stays.
    Keep,
    /// The site closes; its citizens are served by `target` (a strict
    /// ancestor) when given, else by the nearest kept ancestor.
    Merge {
        /// Explicit receiving site (index).
        target: Option<usize>,
    },
}

impl Decision {
    /// True for a merge.
    pub fn is_merge(self) -> bool {
        matches!(self, Decision::Merge { .. })
    }

    /// The name a planner reads.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Decision::Keep => lang.pick("保留", "keep"),
            Decision::Merge { .. } => lang.pick("合并", "merge"),
        }
    }
}

/// Why a site has its decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Source {
    /// Decided by the planner.
    Manual,
    /// Decided by an optimizer plan the planner applied (not a manual
    /// decision: a new optimizer run may change it).
    Optimizer,
    /// Decided by the rule at this index.
    Rule(usize),
    /// No manual decision and no rule: kept.
    Default,
    /// A top site, always kept.
    Top,
}

impl Source {
    /// The reason a planner reads (`rules` gives rule names).
    pub fn label(self, rules: &RuleSet, lang: Lang) -> String {
        match self {
            Source::Manual => lang.pick("人工", "manual").to_string(),
            Source::Optimizer => lang.pick("优化器", "optimizer").to_string(),
            Source::Rule(i) => rules.rules.get(i).map_or_else(
                || format!("{} {}", lang.pick("规则", "rule"), i + 1),
                |r| r.name.clone(),
            ),
            Source::Default => lang.pick("默认", "default").to_string(),
            Source::Top => lang.pick("顶层网站", "top site").to_string(),
        }
    }
}

/// Every site's decision and where it came from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resolved {
    /// Decision per site.
    pub decisions: Vec<Decision>,
    /// Source per site.
    pub sources: Vec<Source>,
}

impl Resolved {
    /// Sites with a manual decision.
    pub fn manual_count(&self) -> usize {
        self.sources
            .iter()
            .filter(|s| **s == Source::Manual)
            .count()
    }

    /// Sites merged by a rule.
    pub fn by_rule_count(&self) -> usize {
        self.sources
            .iter()
            .zip(&self.decisions)
            .filter(|(s, d)| matches!(s, Source::Rule(_)) && d.is_merge())
            .count()
    }

    /// Number of sites each rule decides.
    pub fn rule_counts(&self, rules: &RuleSet) -> Vec<usize> {
        let mut counts = vec![0; rules.rules.len()];
        for s in &self.sources {
            if let Source::Rule(i) = s
                && let Some(c) = counts.get_mut(*i)
            {
                *c += 1;
            }
        }
        counts
    }
}

/// Decides every site: manual decisions first, then rules, otherwise keep;
/// top sites are always kept.
pub fn resolve(
    inv: &Inventory,
    manual: &[Option<Decision>],
    rules: &RuleSet,
    params: &Params,
) -> Resolved {
    resolve_layers(inv, manual, &[], rules, params)
}

/// [`resolve`] with an applied optimizer plan between the manual decisions
/// and the rules (`optimized` may be empty).
pub fn resolve_layers(
    inv: &Inventory,
    manual: &[Option<Decision>],
    optimized: &[Option<Decision>],
    rules: &RuleSet,
    params: &Params,
) -> Resolved {
    let n = inv.len();
    let mut decisions = Vec::with_capacity(n);
    let mut sources = Vec::with_capacity(n);
    for i in 0..n {
        let (d, s) = resolve_site(inv, i, manual, optimized, rules, params);
        decisions.push(d);
        sources.push(s);
    }
    Resolved { decisions, sources }
}

/// The decision of site `i` and where it comes from. A site's decision
/// depends on nothing but the site, its manual and optimizer decisions,
/// the rules and the parameters.
pub fn resolve_site(
    inv: &Inventory,
    i: usize,
    manual: &[Option<Decision>],
    optimized: &[Option<Decision>],
    rules: &RuleSet,
    params: &Params,
) -> (Decision, Source) {
    let site = inv.site(i);
    if site.parent.is_none() {
        match manual.get(i).copied().flatten() {
            Some(Decision::Keep) => (Decision::Keep, Source::Manual),
            _ => (Decision::Keep, Source::Top),
        }
    } else if let Some(d) = manual.get(i).copied().flatten() {
        (d, Source::Manual)
    } else if let Some(d) = optimized.get(i).copied().flatten() {
        (d, Source::Optimizer)
    } else if let Some(r) = rules.first_match(site, site.passes(params.pass_threshold)) {
        let d = match rules.rules[r].action {
            Action::Merge => Decision::Merge { target: None },
            Action::Keep => Decision::Keep,
        };
        (d, Source::Rule(r))
    } else {
        (Decision::Keep, Source::Default)
    }
}

/// Checks a manual decision for `site`: a top site cannot merge and a
/// target must be a strict ancestor. Returns the reason when it is invalid.
pub fn check_decision(inv: &Inventory, site: usize, d: Decision) -> Result<(), crate::i18n::Text> {
    use crate::i18n::Text;
    match d {
        Decision::Keep => Ok(()),
        Decision::Merge { .. } if inv.parent(site).is_none() => {
            Err(Text::new("顶层网站不能合并", "a top site cannot be merged"))
        }
        Decision::Merge { target: Some(t) } if !inv.is_strict_ancestor(t, site) => Err(Text::new(
            "并入目标必须是该网站的上级（直接或间接）",
            "the target must be an ancestor of the site",
        )),
        Decision::Merge { .. } => Ok(()),
    }
}
