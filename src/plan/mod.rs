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
        /// Explicit receiving site (index, in four bytes: a decision is
        /// eight, and the workspace holds two lists of one a site; read it
        /// with [`Decision::target`]).
        target: Option<u32>,
    },
}

impl Decision {
    /// A merge into `target` when given, else into the nearest kept
    /// ancestor.
    pub fn merge_into(target: Option<usize>) -> Decision {
        Decision::Merge {
            target: target.map(crate::inventory::site_index),
        }
    }

    /// The explicit receiving site of a merge.
    pub fn target(self) -> Option<usize> {
        match self {
            Decision::Merge { target } => target.map(|t| t as usize),
            Decision::Keep => None,
        }
    }

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
    let layers = Layers {
        inv,
        manual,
        optimized,
        rules,
        params,
    };
    layers.resolve(crate::par::threads_for(inv.len()))
}

/// What decides the sites, in order.
pub(crate) struct Layers<'a> {
    /// The sites.
    pub inv: &'a Inventory,
    /// Manual decisions, by site.
    pub manual: &'a [Option<Decision>],
    /// An applied optimizer plan, by site (may be empty).
    pub optimized: &'a [Option<Decision>],
    /// The rules.
    pub rules: &'a RuleSet,
    /// The parameters.
    pub params: &'a Params,
}

impl Layers<'_> {
    /// [`resolve_site`], the rules checked with `matcher` (this rule
    /// set's).
    #[inline]
    fn site(&self, matcher: &rules::Matcher, i: usize) -> (Decision, Source) {
        decide(
            self.inv.site(i),
            i,
            self.manual,
            self.optimized,
            self.params,
            |site, passes| {
                matcher
                    .first_match(site, passes)
                    .map(|r| (r, self.rules.rules[r].action))
            },
        )
    }

    /// Every site's decision and source, worked out in `threads` parts
    /// (a site's decision depends on nothing but the site and the layers).
    pub(crate) fn resolve(&self, threads: usize) -> Resolved {
        let n = self.inv.len();
        let matcher = self.rules.matcher();
        let mut decisions = vec![Decision::Keep; n];
        let mut sources = vec![Source::Default; n];
        let fill = |start: usize, decisions: &mut [Decision], sources: &mut [Source]| {
            for (k, (d, s)) in decisions.iter_mut().zip(sources.iter_mut()).enumerate() {
                (*d, *s) = self.site(&matcher, start + k);
            }
        };
        if threads < 2 {
            fill(0, &mut decisions, &mut sources);
        } else {
            let size = n.div_ceil(threads).max(1);
            let fill = &fill;
            std::thread::scope(|scope| {
                for (k, (d, s)) in decisions
                    .chunks_mut(size)
                    .zip(sources.chunks_mut(size))
                    .enumerate()
                {
                    scope.spawn(move || fill(k * size, d, s));
                }
            });
        }
        Resolved { decisions, sources }
    }

    /// Every site's decision, packed, with the counts a summary gives of
    /// the sources (what [`Resolved::manual_count`] and
    /// [`Resolved::by_rule_count`] count), in `threads` parts.
    pub(crate) fn resolve_packed(&self, threads: usize) -> PackedPlan {
        let n = self.inv.len();
        let matcher = self.rules.matcher();
        let mut packed = vec![0u32; n];
        let fill = |start: usize, part: &mut [u32]| {
            let (mut manual, mut by_rule) = (0usize, 0usize);
            for (k, slot) in part.iter_mut().enumerate() {
                let (d, s) = self.site(&matcher, start + k);
                match s {
                    Source::Manual => manual += 1,
                    Source::Rule(_) if d.is_merge() => by_rule += 1,
                    _ => {}
                }
                *slot = PackedDecisions::pack(d);
            }
            (manual, by_rule)
        };
        let counts = crate::par::map_parts(&mut packed, threads, fill);
        PackedPlan {
            decisions: PackedDecisions(packed),
            manual: counts.iter().map(|c| c.0).sum(),
            by_rule: counts.iter().map(|c| c.1).sum(),
        }
    }
}

/// [`resolve_layers`] for a summary: every site's decision packed in four
/// bytes, and the sites decided manually and merged by a rule counted
/// (the sources themselves are not kept).
pub fn resolve_packed(
    inv: &Inventory,
    manual: &[Option<Decision>],
    optimized: &[Option<Decision>],
    rules: &RuleSet,
    params: &Params,
) -> PackedPlan {
    let layers = Layers {
        inv,
        manual,
        optimized,
        rules,
        params,
    };
    layers.resolve_packed(crate::par::threads_for(inv.len()))
}

/// A plan resolved for a summary (see [`resolve_packed`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackedPlan {
    /// Every site's decision.
    pub decisions: PackedDecisions,
    /// Sites with a manual decision.
    pub manual: usize,
    /// Sites merged by a rule.
    pub by_rule: usize,
}

/// Every site's decision in four bytes: what evaluating a plan needs of
/// it, a quarter of a [`Decision`]'s size.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackedDecisions(Vec<u32>);

impl PackedDecisions {
    /// Keep.
    const KEEP: u32 = u32::MAX;
    /// Merge into the nearest kept ancestor.
    const NEAREST: u32 = u32::MAX - 1;

    /// The packed form of a decision. A target at or past
    /// [`Self::NEAREST`] (no inventory has that many sites) is packed as
    /// none, which evaluates the same: a target that is not a site is
    /// the nearest kept ancestor.
    fn pack(d: Decision) -> u32 {
        match d {
            Decision::Keep => Self::KEEP,
            Decision::Merge { target: None } => Self::NEAREST,
            Decision::Merge { target: Some(t) } => t.min(Self::NEAREST),
        }
    }

    /// The decisions packed.
    pub fn new(decisions: &[Decision]) -> PackedDecisions {
        PackedDecisions(decisions.iter().map(|&d| Self::pack(d)).collect())
    }

    /// Number of sites.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `None` when site `i` is kept; when it merges, its explicit target.
    #[inline]
    pub fn merge(&self, i: usize) -> Option<Option<usize>> {
        match self.0[i] {
            Self::KEEP => None,
            Self::NEAREST => Some(None),
            t => Some(Some(t as usize)),
        }
    }

    /// Site `i`'s decision.
    pub fn get(&self, i: usize) -> Decision {
        match self.merge(i) {
            None => Decision::Keep,
            Some(target) => Decision::merge_into(target),
        }
    }
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
    decide(inv.site(i), i, manual, optimized, params, |site, passes| {
        rules
            .first_match(site, passes)
            .map(|r| (r, rules.rules[r].action))
    })
}

/// [`resolve_site`] of `site` (at `i`), with `rule` finding the first
/// rule that matches a site (given whether it passes) and its action.
#[inline]
fn decide(
    site: &crate::inventory::Site,
    i: usize,
    manual: &[Option<Decision>],
    optimized: &[Option<Decision>],
    params: &Params,
    rule: impl FnOnce(&crate::inventory::Site, bool) -> Option<(usize, Action)>,
) -> (Decision, Source) {
    if site.parent.is_none() {
        match manual.get(i).copied().flatten() {
            Some(Decision::Keep) => (Decision::Keep, Source::Manual),
            _ => (Decision::Keep, Source::Top),
        }
    } else if let Some(d) = manual.get(i).copied().flatten() {
        (d, Source::Manual)
    } else if let Some(d) = optimized.get(i).copied().flatten() {
        (d, Source::Optimizer)
    } else if let Some((r, action)) = rule(site, site.passes(params.pass_threshold)) {
        let d = match action {
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
        Decision::Merge { target: Some(t) } if !inv.is_strict_ancestor(t as usize, site) => {
            Err(Text::new(
                "并入目标必须是该网站的上级（直接或间接）",
                "the target must be an ancestor of the site",
            ))
        }
        Decision::Merge { .. } => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Kind, Level, Site};
    use crate::money::Money;
    use proptest::prelude::*;

    #[test]
    fn a_decision_is_eight_bytes() {
        // The workspace holds two lists of one a site (a million sites:
        // 16 MB, not 32).
        assert_eq!(std::mem::size_of::<Option<Decision>>(), 8);
        let d = Decision::merge_into(Some(70_000));
        assert_eq!(d.target(), Some(70_000));
        assert_eq!(Decision::merge_into(None).target(), None);
        assert_eq!(Decision::Keep.target(), None);
    }

    fn arb_inventory() -> impl Strategy<Value = Inventory> {
        let site = (
            0u8..5,
            any::<bool>(),
            0usize..40,
            0i64..40_000,
            proptest::option::of(0.0f64..100.0),
            proptest::option::of(any::<bool>()),
            proptest::option::of(0u64..2000),
            proptest::option::of(0.0f64..48.0),
        );
        proptest::collection::vec(site, 0..60).prop_map(|rows| {
            let sites = rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let &(level, portal, parent, budget, score, passed, visits, reprint) = r;
                    let mut s = Site::new(
                        format!("s{i}"),
                        Level::from_number(level).unwrap_or_default(),
                    );
                    if parent < i {
                        s.parent_id = format!("s{parent}").into();
                    }
                    s.kind = if portal {
                        Kind::Portal
                    } else {
                        Kind::Department
                    };
                    s.budget = Money::from_units(i128::from(budget), (i % 3) as u32);
                    s.inspection_score = score;
                    s.inspection_passed = passed;
                    s.monthly_visits = visits;
                    s.reprint_hours = reprint;
                    s
                })
                .collect();
            Inventory::link(sites).0
        })
    }

    fn arb_rules() -> impl Strategy<Value = RuleSet> {
        let rule = (
            any::<bool>(),
            any::<bool>(),
            proptest::option::of(proptest::collection::vec(0u8..5, 0..3)),
            proptest::option::of(any::<bool>()),
            proptest::option::of(prop_oneof![Just(f64::NAN), 0.0f64..400.0]),
            proptest::option::of(0.0f64..100.0),
            proptest::option::of(any::<bool>()),
            proptest::option::of(0.0f64..2000.0),
            proptest::option::of(0.0f64..48.0),
        );
        proptest::collection::vec(rule, 0..4).prop_map(|rows| RuleSet {
            rules: rows
                .into_iter()
                .enumerate()
                .map(|(n, r)| {
                    let (merge, enabled, levels, portal, budget, score, failed, visits, reprint) =
                        r;
                    let mut rule = Rule::new(
                        format!("r{n}"),
                        if merge { Action::Merge } else { Action::Keep },
                    );
                    rule.enabled = enabled;
                    rule.levels =
                        levels.map(|l| l.into_iter().filter_map(Level::from_number).collect());
                    rule.kinds = portal.map(|p| {
                        if p {
                            vec![Kind::Portal]
                        } else {
                            vec![Kind::Department, Kind::Portal]
                        }
                    });
                    rule.budget_below = budget;
                    rule.score_below = score;
                    rule.failed_inspection = failed;
                    rule.visits_below = visits;
                    rule.reprint_hours_above = reprint;
                    rule
                })
                .collect(),
        })
    }

    fn arb_layer(n: usize) -> impl Strategy<Value = Vec<Option<Decision>>> {
        let d = prop_oneof![
            3 => Just(None),
            1 => Just(Some(Decision::Keep)),
            1 => Just(Some(Decision::Merge { target: None })),
            1 => (0usize..n.max(1) + 2).prop_map(|t| Some(Decision::merge_into(Some(t)))),
        ];
        prop_oneof![Just(Vec::new()), proptest::collection::vec(d, n..=n),]
    }

    fn arb_case() -> impl Strategy<
        Value = (
            Inventory,
            RuleSet,
            Vec<Option<Decision>>,
            Vec<Option<Decision>>,
            f64,
        ),
    > {
        (arb_inventory(), arb_rules(), 0.0f64..100.0).prop_flat_map(|(inv, rules, threshold)| {
            let n = inv.len();
            (
                Just(inv),
                Just(rules),
                arb_layer(n),
                arb_layer(n),
                Just(threshold),
            )
        })
    }

    proptest! {
        #[test]
        fn prepared_rules_match_as_the_rules_do((inv, rules, _, _, threshold) in arb_case()) {
            let matcher = rules.matcher();
            for s in inv.sites() {
                let passes = s.passes(threshold);
                prop_assert_eq!(matcher.first_match(s, passes), rules.first_match(s, passes));
            }
        }

        #[test]
        fn resolving_in_parts_is_resolving_each_site(
            (inv, rules, manual, optimized, threshold) in arb_case(),
            threads in 1usize..5,
        ) {
            let params = Params { pass_threshold: threshold, ..Params::default() };
            let layers = Layers { inv: &inv, manual: &manual, optimized: &optimized, rules: &rules, params: &params };
            let resolved = layers.resolve(threads);
            for i in 0..inv.len() {
                let want = resolve_site(&inv, i, &manual, &optimized, &rules, &params);
                prop_assert_eq!((resolved.decisions[i], resolved.sources[i]), want);
            }
            prop_assert_eq!(&resolved, &resolve_layers(&inv, &manual, &optimized, &rules, &params));
            let packed = layers.resolve_packed(threads);
            prop_assert_eq!(packed.manual, resolved.manual_count());
            prop_assert_eq!(packed.by_rule, resolved.by_rule_count());
            prop_assert_eq!(&packed.decisions, &PackedDecisions::new(&resolved.decisions));
            prop_assert_eq!(packed.decisions.len(), inv.len());
            for (i, &d) in resolved.decisions.iter().enumerate() {
                // Targets of these plans are sites (or just past them).
                prop_assert_eq!(packed.decisions.get(i), d);
            }
        }
    }

    #[test]
    fn packed_decisions_read_back() {
        let ds = [
            Decision::Keep,
            Decision::Merge { target: None },
            Decision::Merge { target: Some(0) },
            Decision::Merge {
                target: Some(123_456),
            },
        ];
        let p = PackedDecisions::new(&ds);
        assert_eq!(p.len(), 4);
        assert!(!p.is_empty());
        for (i, &d) in ds.iter().enumerate() {
            assert_eq!(p.get(i), d);
        }
        // A target no inventory can have is the nearest kept ancestor.
        let far = PackedDecisions::new(&[Decision::Merge {
            target: Some(u32::MAX),
        }]);
        assert_eq!(far.merge(0), Some(None));
    }
}
