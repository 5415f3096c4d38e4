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
//! the floor or the pass rate and improved by greedy merges.
//!
//! Then, for every site at once, the programme bounds the plans that
//! decide it the other way (an outside pass over the tree); a site whose
//! other choice cannot beat the best plan is fixed, and the tree shrinks to
//! the sites still open. A best-first branch and bound on those (fix a site
//! to keep or merge, bound and fix again in each branch) runs until the gap
//! asked for is proven ([`Options::gap_tolerance`], 0 by default: proven
//! optimal) or the time limit is reached; [`Solution::stopped_by`] says
//! which. A capacity is first checked against the best plan without it:
//! when that plan meets it, it is the answer.

mod branch;
mod dp;
mod explain;
mod frontier;
mod local;
mod problem;
mod reduce;
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

use branch::Limits;
use problem::{Held, Problem};

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

/// Why the search stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StoppedBy {
    /// The gap asked for is proven (with gap 0: the plan is optimal).
    Gap,
    /// The time limit came first.
    Time,
    /// The caller cancelled; the best plan found so far is returned.
    Cancel,
}

impl StoppedBy {
    /// The name `optimize --json` writes.
    pub fn key(self) -> &'static str {
        match self {
            StoppedBy::Gap => "gap",
            StoppedBy::Time => "time",
            StoppedBy::Cancel => "cancel",
        }
    }
}

/// Problems of at least this many sites are solved to a gap of
/// [`LARGE_GAP`] unless another is asked for; smaller ones to optimality.
/// (Issue 18 suggested 10,000; proving a 100,000-site province optimal
/// takes well under a second (BENCHMARKS.md), so every inventory of a
/// province's size is proven, and only national ones stop at the gap.)
pub const LARGE_PROBLEM: usize = 200_000;
/// The default gap of large problems.
pub const LARGE_GAP: f64 = 1e-6;
/// The default time limit.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(60);

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
    /// Stop once (bound − savings)/bound is proven to be at most this.
    /// `None`: 0 (prove optimality) for inventories under
    /// [`LARGE_PROBLEM`] sites, [`LARGE_GAP`] for larger ones.
    pub gap_tolerance: Option<f64>,
    /// Wall-clock limit of the whole run (`None`: none); the best plan
    /// found by then is returned with its certified gap. The first bound
    /// and plans are worked out whatever the limit, so that a plan meeting
    /// the constraints comes back when there is one (stopped by time).
    pub time_limit: Option<Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            floor: Floor::Current,
            protect: Protection::default(),
            max_absorbed: None,
            min_pass_rate: None,
            gap_tolerance: None,
            time_limit: Some(DEFAULT_TIME_LIMIT),
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

    /// The gap to prove for an inventory of `sites` sites.
    pub fn gap_for(&self, sites: usize) -> f64 {
        match self.gap_tolerance {
            Some(g) if g.is_finite() => g.max(0.0),
            _ if sites >= LARGE_PROBLEM => LARGE_GAP,
            _ => 0.0,
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
    /// Free sites the bound left undecided at the root (what the branch
    /// and bound works on).
    pub core_sites: usize,
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
    /// Why the search stopped: the gap asked for was proven, the time
    /// limit came, or the caller cancelled.
    pub stopped_by: StoppedBy,
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
            "stopped_by": self.stopped_by.key(),
            "floor_persons": self.floor_persons,
            "covered": self.outcome.covered.after,
            "sites_after": self.outcome.sites.after,
            "free_sites": self.stats.free_sites,
        })
    }

    /// The gap as a percentage with enough places to show it ("0.0120%").
    pub fn gap_percent(&self) -> String {
        let p = self.gap * 100.0;
        if !p.is_finite() {
            "—".to_string()
        } else if p == 0.0 {
            "0%".to_string()
        } else if p >= 0.1 {
            format!("{p:.2}%")
        } else if p >= 0.001 {
            format!("{p:.4}%")
        } else {
            format!("{p:.6}%")
        }
    }

    /// Why the search stopped, in both languages.
    pub fn stop_text(&self) -> Text {
        match self.stopped_by {
            StoppedBy::Gap if self.proven_optimal => Text::new("已证明最优", "proven optimal"),
            StoppedBy::Gap => Text::new("已证明差距不超过要求", "the gap asked for is proven"),
            StoppedBy::Time => Text::new(
                "已到时间限制，为目前最好的方案",
                "stopped at the time limit with the best plan found",
            ),
            StoppedBy::Cancel => Text::new(
                "已取消，为目前最好的方案",
                "cancelled; the best plan found so far",
            ),
        }
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
    /// No plan meeting every constraint was found within the time limit,
    /// though none was proven impossible.
    #[error(
        "no plan meeting every constraint was found within the time limit (nor was one proven impossible)"
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
                "在时间限制内未找到满足全部约束的方案（也未证明不存在）",
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
    let limits = Limits {
        gap: opts.gap_for(prob.sites),
        deadline: opts.time_limit.map(|d| start + d),
        budget: opts.time_limit.map(|d| d.as_secs_f64()),
    };
    let found = branch::solve(prob, limits, progress);
    if found.infeasible {
        return Err(OptimizeError::Infeasible(infeasibility(
            prob,
            found.max_covered,
        )));
    }
    let Some((merged, _)) = found.best else {
        return Err(match found.stopped {
            StoppedBy::Cancel => OptimizeError::Cancelled,
            _ => OptimizeError::NotFound,
        });
    };
    if found.stopped == StoppedBy::Cancel && !found.effort.root_done {
        // Cancelled before the first bound: nothing to stand by yet.
        return Err(OptimizeError::Cancelled);
    }
    let decisions = prob.decisions(&merged);
    let outcome = Evaluator::default().evaluate(inv, model, &decisions);
    // The exact savings, to the fen (the search itself works in floats).
    let savings = outcome.annual_cost.savings.to_fen().to_f64();
    let proven = found.proven;
    let bound = if proven {
        savings
    } else {
        // The bound is the programme's, in floats: add its rounding margin.
        let b = if found.bound.is_finite() {
            found.bound
        } else {
            prob.trivial_bound()
        };
        (b + prob.tol(0.0, 0.0)).max(savings)
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
        stopped_by: found.stopped,
        seconds: start.elapsed().as_secs_f64(),
        notes,
        stats: Stats {
            free_sites: prob.free,
            dp_runs: found.effort.runs,
            nodes: found.effort.nodes,
            root_bound: found.effort.root_bound,
            root_savings: found.effort.root_savings,
            root_runs: found.effort.root_runs,
            core_sites: found.effort.core_sites,
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
