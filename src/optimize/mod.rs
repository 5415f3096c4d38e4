//! The optimizer: which sites to merge for the largest annual savings while
//! coverage stays above a floor, with a certified bound on the best
//! possible savings.
//!
//! It builds on the model (MODEL.md) and never redefines it: merging a site
//! m saves budget(m) − absorb_cost(m) a year (§5, whatever its target),
//! merged sites fold into their nearest kept ancestor (§3), and the figures
//! of the plan it returns are those of [`Evaluator::evaluate`].
//!
//! # Constraints
//!
//! - coverage after ≥ a [`Floor`] (a fraction, a head count, or today's
//!   coverage);
//! - the planner's manual decisions are locked as they are (a locked merge
//!   with an explicit target is served by serving(target));
//! - [`Protection`]: sites of the listed levels (or level and kind) are
//!   never merged by the optimizer (a planner's locked merge stands); top
//!   sites are always kept;
//! - optionally, no kept site absorbs more than `max_absorbed` merged sites;
//! - optionally, the pass rate after is at least `min_pass_rate`.
//!
//! # Method
//!
//! Coverage depends only on whether each site's serving site passes, and
//! the pass rate's constraint `passing − R·kept ≥ 0` is a sum over kept
//! sites. With multipliers λ (per covered person) and μ (per unit of pass
//! rate slack) the problem therefore decomposes into an exact dynamic
//! programme over the tree (two states per site: does the nearest kept
//! ancestor pass?), with the capacity kept exact by a knapsack over the
//! count each subtree hands up. A locked merge with an explicit target adds
//! its residents (and its absorbed count) to the site where its target
//! chain ends, so the state stays local.
//!
//! The programme's value minus λ·floor is an upper bound on the savings of
//! every feasible plan, for every λ, μ ≥ 0 (weak duality; the programme is
//! exact, so the bound is certified up to floating-point rounding, for
//! which a margin of 10⁻⁹·Σ|savings| is added). A cutting-plane search
//! (every plan returned is a plane under the dual function) finds the
//! smallest bound. Plans met along the way are repaired where they miss
//! the floor or the pass rate and improved by greedy merges; a best-first
//! branch and bound (fix a site to keep or merge, bound each branch the
//! same way) closes what gap remains within an effort budget: on small
//! problems it proves optimality.

mod dp;
mod explain;
mod frontier;
mod local;
mod problem;
mod search;

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::i18n::{Lang, Text};
use crate::inventory::values::{parse_kind, parse_level};
use crate::inventory::{Inventory, Kind, Level, Site};
use crate::outcome::{Evaluator, Model, Outcome, percent};
use crate::plan::{Decision, Params};

pub use explain::{CoverageEffect, MergeNote};
pub use frontier::{Frontier, FrontierPoint, frontier, frontier_headers, write_frontier_csv};
pub use problem::floor_persons;

use problem::{Held, Problem};
use search::{Limits, Search};

/// The coverage the plan must keep.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Floor {
    /// Today's coverage (coverage.before).
    Current,
    /// A share 0..1 of the population.
    Fraction(f64),
    /// A number of covered residents.
    Persons(u64),
}

impl Floor {
    /// Parses `current` (当前, 现状), a fraction `0.85`, or a percentage `85%`.
    pub fn parse(s: &str) -> Option<Floor> {
        let t = s.trim();
        match t.to_ascii_lowercase().as_str() {
            "current" | "now" | "today" | "当前" | "现状" | "现有" => {
                return Some(Floor::Current);
            }
            _ => {}
        }
        let (num, pct) = match t.strip_suffix(['%', '％']) {
            Some(n) => (n.trim(), true),
            None => (t, false),
        };
        let v: f64 = num.parse().ok()?;
        let v = if pct { v / 100.0 } else { v };
        (v.is_finite() && (0.0..=1.0).contains(&v)).then_some(Floor::Fraction(v))
    }
}

/// Sites the optimizer never merges: levels, or level and kind pairs.
#[derive(Clone, Debug, PartialEq)]
pub struct Protection {
    /// (level, kind): a `None` kind covers both kinds.
    pub entries: Vec<(Level, Option<Kind>)>,
}

impl Protection {
    /// The 2017 guidelines: one portal per county-level and higher
    /// government, and every national and province site.
    pub const DEFAULT: &'static str = "national,province,prefecture:portal,county:portal";

    /// No protection (top sites are still kept).
    pub fn none() -> Protection {
        Protection {
            entries: Vec::new(),
        }
    }

    /// Parses a list like `national,province,prefecture:portal` (levels and
    /// kinds in any alias of the model; `none` for an empty list).
    pub fn parse(s: &str) -> Result<Protection, Text> {
        let mut entries = Vec::new();
        let t = s.trim();
        if t.is_empty() || matches!(t.to_ascii_lowercase().as_str(), "none" | "无") {
            return Ok(Protection::none());
        }
        for item in t.split([',', '，', ';', '；', ' ']) {
            let item = item.trim();
            if item.is_empty() {
                continue;
            }
            let (lv, kd) = match item.split_once([':', '：']) {
                Some((a, b)) => (a, Some(b)),
                None => (item, None),
            };
            let Some(level) = parse_level(lv) else {
                return Err(Text::new(
                    format!("无法识别的层级：{lv}"),
                    format!("unknown level: {lv}"),
                ));
            };
            let kind = match kd {
                None => None,
                Some(k) => match parse_kind(k) {
                    Some(k) => Some(k),
                    None => {
                        return Err(Text::new(
                            format!("无法识别的类型：{k}"),
                            format!("unknown kind: {k}"),
                        ));
                    }
                },
            };
            entries.push((level, kind));
        }
        Ok(Protection { entries })
    }

    /// True when the site is protected.
    pub fn covers(&self, site: &Site) -> bool {
        self.entries
            .iter()
            .any(|&(l, k)| l == site.level && k.is_none_or(|k| k == site.kind))
    }

    /// The list as it would be parsed back.
    pub fn describe(&self) -> String {
        if self.entries.is_empty() {
            return "none".into();
        }
        self.entries
            .iter()
            .map(|(l, k)| match k {
                Some(k) => format!("{}:{}", l.key(), k.key()),
                None => l.key().to_string(),
            })
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl Default for Protection {
    fn default() -> Self {
        Protection::parse(Protection::DEFAULT).unwrap_or_else(|_| Protection::none())
    }
}

/// What to optimize under.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Coverage after must reach this.
    pub floor: Floor,
    /// Sites never merged.
    pub protect: Protection,
    /// No kept site absorbs more merged sites than this.
    pub max_absorbed: Option<u64>,
    /// The pass rate after must reach this (0..1).
    pub min_pass_rate: Option<f64>,
    /// Stop the branch and bound once (bound − savings)/bound is at most
    /// this (0, the default: go on until optimality is proven or the
    /// budget is spent).
    pub gap_tolerance: f64,
    /// Branch and bound after the root may do this many times the root's
    /// work (and at least [`Options::min_work`]).
    pub effort: f64,
    /// Work the branch and bound may always do, in sites visited by the
    /// dynamic programme: enough to prove optimality on small inventories.
    pub min_work: u64,
    /// Most branch-and-bound nodes.
    pub max_nodes: usize,
    /// Wall-clock limit of the branch and bound.
    pub time_limit: Option<Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            floor: Floor::Current,
            protect: Protection::default(),
            max_absorbed: None,
            min_pass_rate: None,
            gap_tolerance: 0.0,
            effort: 1.0,
            min_work: 2_000_000,
            max_nodes: 100_000,
            time_limit: None,
        }
    }
}

impl Options {
    /// Options with this floor and the defaults otherwise; the capacity is
    /// the parameters' `max_absorbed_per_target` when set.
    pub fn with_floor(floor: Floor, params: &Params) -> Options {
        Options {
            floor,
            max_absorbed: params.max_absorbed_per_target,
            ..Options::default()
        }
    }
}

/// Effort figures of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Sites the optimizer was free to decide.
    pub free_sites: usize,
    /// Runs of the dynamic programme.
    pub dp_runs: usize,
    /// Branch-and-bound nodes (the root counts).
    pub nodes: usize,
    /// The bound after the root's dual search.
    pub root_bound: f64,
    /// The best savings after the root (before branching).
    pub root_savings: f64,
    /// Programme runs at the root.
    pub root_runs: usize,
}

/// The optimizer's plan.
#[derive(Clone, Debug)]
pub struct Solution {
    /// One decision per site: the locked ones as they were, the optimizer's
    /// merges without explicit target.
    pub decisions: Vec<Decision>,
    /// The figures of the plan, from [`Evaluator::evaluate`].
    pub outcome: Outcome,
    /// Annual savings (yuan), = `outcome.annual_cost.savings`.
    pub savings: f64,
    /// Coverage after (fraction).
    pub coverage: Option<f64>,
    /// Pass rate after (fraction).
    pub pass_rate: Option<f64>,
    /// Merged sites.
    pub merged: usize,
    /// Residents that had to stay covered.
    pub floor_persons: u64,
    /// A certified upper bound on the savings of any plan meeting the
    /// constraints.
    pub bound: f64,
    /// (bound − savings) / bound.
    pub gap: f64,
    /// The plan is optimal (within rounding).
    pub proven_optimal: bool,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Why each merged site merges, in inventory order.
    pub notes: Vec<MergeNote>,
    /// Effort.
    pub stats: Stats,
}

impl Solution {
    /// The figures `sitefold optimize --json` prints.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "savings": self.savings,
            "coverage": self.coverage,
            "pass_rate": self.pass_rate,
            "merged": self.merged,
            "bound": self.bound,
            "gap": self.gap,
            "seconds": self.seconds,
            "proven_optimal": self.proven_optimal,
            "floor_persons": self.floor_persons,
            "covered": self.outcome.covered.after,
            "sites_after": self.outcome.sites.after,
            "free_sites": self.stats.free_sites,
        })
    }

    /// The plan as resolved decisions: the planner's locked (manual)
    /// decisions stay manual, top sites are top sites, and every other
    /// decision is the optimizer's.
    pub fn resolved(&self, inv: &Inventory, locks: &[Option<Decision>]) -> crate::plan::Resolved {
        use crate::plan::Source;
        crate::plan::Resolved {
            sources: (0..inv.len())
                .map(|i| {
                    if inv.parent(i).is_none() {
                        Source::Top
                    } else if locks.get(i).copied().flatten().is_some() {
                        Source::Manual
                    } else {
                        Source::Optimizer
                    }
                })
                .collect(),
            decisions: self.decisions.clone(),
        }
    }

    /// Why a site is kept, or why it merges, for the plan table.
    pub fn reason(
        &self,
        inv: &Inventory,
        site: usize,
        locks: &[Option<Decision>],
        opts: &Options,
        lang: Lang,
    ) -> String {
        if let Ok(i) = self.notes.binary_search_by_key(&site, |n| n.site) {
            let t = self.notes[i].render(inv, lang);
            return format!("{}{t}", lang.pick("优化：", "optimizer: "));
        }
        let s = inv.site(site);
        if s.parent.is_none() {
            lang.pick("顶层网站", "top site").to_string()
        } else if locks.get(site).copied().flatten().is_some() {
            lang.pick("人工", "manual").to_string()
        } else if opts.protect.covers(s) {
            lang.pick("受保护，保留", "protected: kept").to_string()
        } else {
            lang.pick("优化：保留", "optimizer: kept").to_string()
        }
    }
}

/// Why no plan was returned. It displays in English;
/// [`OptimizeError::text`] gives both languages.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum OptimizeError {
    /// A locked decision cannot stand (a target that is not an ancestor).
    #[error("{}", .0.en)]
    InvalidLock(Text),
    /// No plan meets the constraints.
    #[error("{}", .0.text().en)]
    Infeasible(Infeasible),
    /// No plan meeting every constraint was found within the effort
    /// budget, though none was proven impossible.
    #[error(
        "no plan meeting every constraint was found within the effort budget (nor was one proven impossible)"
    )]
    NotFound,
    /// The caller cancelled.
    #[error("cancelled")]
    Cancelled,
}

/// What cannot be met, and the best reachable.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Infeasible {
    /// Which constraint fails.
    pub cause: Cause,
    /// The coverage floor asked for (fraction).
    pub floor: Option<f64>,
    /// The most coverage any plan reaches (respecting locks, protections
    /// and capacity).
    pub best_coverage: Option<f64>,
    /// The minimum pass rate asked for.
    pub min_pass_rate: Option<f64>,
    /// The highest pass rate any plan reaches.
    pub best_pass_rate: Option<f64>,
}

/// The constraint that cannot be met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The coverage floor is above what any plan reaches.
    Coverage,
    /// The minimum pass rate is above what any plan reaches.
    PassRate,
    /// Each can be met, but not both at once.
    Both,
    /// The locked merges alone exceed the capacity.
    Capacity,
}

impl OptimizeError {
    /// The message in both languages.
    pub fn text(&self) -> Text {
        match self {
            OptimizeError::InvalidLock(t) => t.clone(),
            OptimizeError::Infeasible(i) => i.text(),
            OptimizeError::NotFound => Text::new(
                "在计算预算内未找到满足全部约束的方案（也未证明不存在）",
                self.to_string(),
            ),
            OptimizeError::Cancelled => Text::new("已取消", self.to_string()),
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        self.text().get(lang).to_string()
    }
}

impl Infeasible {
    /// What cannot be met and the best reachable, in both languages.
    pub fn text(&self) -> Text {
        let f = percent(self.floor);
        let c = percent(self.best_coverage);
        let r = percent(self.min_pass_rate);
        let p = percent(self.best_pass_rate);
        match self.cause {
            Cause::Coverage => Text::new(
                format!("无法达到覆盖率下限 {f}：任何方案最多只能达到 {c}"),
                format!(
                    "no plan reaches the coverage floor of {f}: the best coverage reachable is {c}"
                ),
            ),
            Cause::PassRate => Text::new(
                format!("无法达到最低合格率 {r}：任何方案最多只能达到 {p}"),
                format!(
                    "no plan reaches the minimum pass rate of {r}: the best pass rate reachable is {p}"
                ),
            ),
            Cause::Both => Text::new(
                format!(
                    "没有方案能同时满足覆盖率下限 {f} 和最低合格率 {r}（单独可达：覆盖率 {c}，合格率 {p}）"
                ),
                format!(
                    "no plan meets both the coverage floor of {f} and the minimum pass rate of {r} (reachable separately: coverage {c}, pass rate {p}); the best coverage reachable is {c}"
                ),
            ),
            Cause::Capacity => Text::new(
                "人工锁定的合并已超过承接网站的容量",
                "the locked merges alone exceed the capacity of a receiving site",
            ),
        }
    }
}

/// Finds the plan with the largest annual savings under `opts`.
///
/// `locks` holds the planner's decisions (one per site, `None` for free);
/// `progress` receives 0..1 now and then and cancels the run by returning
/// false. Run it on a background thread for large inventories.
pub fn optimize(
    inv: &Inventory,
    params: &Params,
    locks: &[Option<Decision>],
    opts: &Options,
    progress: &dyn Fn(f32) -> bool,
) -> Result<Solution, OptimizeError> {
    let start = Instant::now();
    let model = Model::new(inv, params);
    let prob = Problem::new(inv, &model, locks, opts).map_err(OptimizeError::InvalidLock)?;
    run(inv, &model, &prob, locks, opts, progress, start)
}

/// Optimizes a workspace: its manual decisions are the locks, its rules
/// are ignored (the optimizer decides instead).
pub fn optimize_workspace(
    ws: &crate::workspace::Workspace,
    opts: &Options,
    progress: &dyn Fn(f32) -> bool,
) -> Result<Solution, OptimizeError> {
    optimize(
        &ws.imported.inventory,
        &ws.params,
        &ws.manual,
        opts,
        progress,
    )
}

pub(crate) fn run(
    inv: &Inventory,
    model: &Model,
    prob: &Problem,
    locks: &[Option<Decision>],
    opts: &Options,
    progress: &dyn Fn(f32) -> bool,
    start: Instant,
) -> Result<Solution, OptimizeError> {
    let mut search = Search::new(prob, progress);
    let limits = Limits {
        gap: opts.gap_tolerance,
        effort: opts.effort,
        min_work: opts.min_work,
        max_nodes: opts.max_nodes,
        deadline: opts.time_limit.map(|d| start + d),
    };
    let out = search.solve(limits);
    if search.cancelled {
        return Err(OptimizeError::Cancelled);
    }
    let Some(out) = out else {
        return Err(OptimizeError::Cancelled);
    };
    if out.infeasible {
        return Err(OptimizeError::Infeasible(infeasibility(
            prob,
            out.max_covered,
        )));
    }
    let Some(best) = search.best.take() else {
        return Err(OptimizeError::NotFound);
    };
    let decisions = prob.decisions(&best.merged);
    let outcome = Evaluator::default().evaluate(inv, model, &decisions);
    debug_assert_eq!(outcome.covered.after, best.m.covered);
    debug_assert_eq!(outcome.sites.after, best.m.kept);
    // The exact savings, to the fen (the search itself works in floats).
    let savings = outcome.annual_cost.savings.to_fen().to_f64();
    let proven = search.proven;
    let bound = if proven {
        savings
    } else {
        (out.bound + 1e-9 * prob.scale).max(savings)
    };
    let gap = gap(bound, savings);
    let notes = MergeNote::for_plan(inv, model, &decisions, &outcome, locks);
    let _ = progress(1.0);
    Ok(Solution {
        coverage: outcome.coverage.after,
        pass_rate: outcome.pass_rate.after,
        merged: outcome.merged,
        savings,
        floor_persons: prob.floor,
        bound,
        gap,
        proven_optimal: proven,
        seconds: start.elapsed().as_secs_f64(),
        notes,
        stats: Stats {
            free_sites: prob.free,
            dp_runs: search.dp.runs,
            nodes: search.nodes,
            root_bound: search.root.0,
            root_savings: search.root.1,
            root_runs: search.root.2,
        },
        decisions,
        outcome,
    })
}

/// (bound − savings) / bound, 0 when they agree.
pub fn gap(bound: f64, savings: f64) -> f64 {
    let d = bound - savings;
    if d <= 1e-9 * bound.abs().max(1.0) {
        0.0
    } else if bound.abs() > 0.0 {
        d / bound.abs()
    } else {
        f64::INFINITY
    }
}

/// Says which constraint fails and what is reachable.
fn infeasibility(prob: &Problem, max_covered: u64) -> Infeasible {
    let pop = prob.population as f64;
    let share = |c: u64| (prob.population > 0).then(|| c as f64 / pop);
    let best_pass = max_pass_rate(prob);
    let mut cap_fail = false;
    let cov_fail = if prob.floor > 0 || prob.cap.is_some() {
        let mut dp = dp::Dp::default();
        let v = dp.solve(
            prob,
            &prob.fix,
            dp::Weights {
                alpha: 0.0,
                lambda: 1.0,
                mu: 0.0,
            },
        );
        cap_fail = v == f64::NEG_INFINITY;
        max_covered < prob.floor
    } else {
        false
    };
    let pass_fail = match (prob.min_pass, best_pass) {
        (Some(r), Some(b)) => b < r,
        _ => false,
    };
    let cause = if cap_fail {
        Cause::Capacity
    } else if cov_fail {
        Cause::Coverage
    } else if pass_fail {
        Cause::PassRate
    } else {
        Cause::Both
    };
    Infeasible {
        cause,
        floor: share(prob.floor),
        best_coverage: if cap_fail { None } else { share(max_covered) },
        min_pass_rate: prob.min_pass,
        best_pass_rate: best_pass,
    }
}

/// The highest pass rate any plan reaches (Dinkelbach's method over the
/// programme), respecting locks, protections and capacity.
fn max_pass_rate(prob: &Problem) -> Option<f64> {
    let mut p = prob.clone();
    let mut dp = dp::Dp::default();
    let mut upp = Vec::new();
    let mut r = 0.0;
    let mut best = None;
    for _ in 0..100 {
        p.min_pass = Some(r);
        let v = dp.solve(
            &p,
            &p.fix,
            dp::Weights {
                alpha: 0.0,
                lambda: 0.0,
                mu: 1.0,
            },
        );
        if v == f64::NEG_INFINITY {
            return None;
        }
        let m = problem::measure(&p, &dp.merged, &mut upp);
        if m.kept == 0 {
            return None;
        }
        let rate = m.passing as f64 / m.kept as f64;
        best = Some(rate);
        if rate <= r {
            break;
        }
        r = rate;
    }
    best
}

/// Counts of the sites the optimizer may not decide.
pub fn held_counts(
    inv: &Inventory,
    locks: &[Option<Decision>],
    opts: &Options,
) -> (usize, usize, usize) {
    let model = Model::new(inv, &Params::default());
    match Problem::new(inv, &model, locks, opts) {
        Ok(p) => (
            p.held.iter().filter(|h| **h == Held::Locked).count(),
            p.held.iter().filter(|h| **h == Held::Protected).count(),
            p.free,
        ),
        Err(_) => (0, 0, 0),
    }
}
