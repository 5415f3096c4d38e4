//! Outcomes of a plan: cost, savings, one-time cost, payback, coverage, pass
//! rate, services and staff, by level and per receiving site.
//!
//! [`Model`] holds what depends only on the inventory and the parameters;
//! [`Evaluator::evaluate`] is one O(n) pass over flat arrays, so a changed
//! decision is re-evaluated without rebuilding anything else.

mod summary;

use serde::Serialize;

use crate::inventory::{Inventory, Level, own_population};
use crate::plan::{Decision, Params};

pub use summary::{ImportCounts, PlanCounts, Summary, percent, render_text, yuan};

/// Per-site quantities that depend only on the inventory and parameters.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// own_pop per site.
    pub own_pop: Vec<u64>,
    /// passes per site.
    pub passes: Vec<bool>,
    /// absorb_cost per site (yuan per year, if merged).
    pub absorb_cost: Vec<f64>,
    /// One-time migration cost per site (if merged).
    pub migrate_cost: Vec<f64>,
    /// Σ own_pop.
    pub population: u64,
    /// The parameters used.
    pub params: Params,
    /// Flat copies of the site fields the evaluation reads, so that one
    /// pass touches a few dense arrays instead of every `Site`.
    budget: Vec<f64>,
    services: Vec<f64>,
    staff: Vec<f64>,
    level: Vec<u8>,
    parent: Vec<u32>,
}

/// `parent` value of a top site.
const NO_PARENT: u32 = u32::MAX;

impl Model {
    /// Prepares the per-site figures.
    pub fn new(inv: &Inventory, params: &Params) -> Model {
        let (own_pop, _) = own_population(inv);
        let sites = inv.sites();
        Model {
            population: own_pop.iter().fold(0u64, |a, &p| a.saturating_add(p)),
            own_pop,
            passes: sites
                .iter()
                .map(|s| s.passes(params.pass_threshold))
                .collect(),
            absorb_cost: sites
                .iter()
                .map(|s| params.absorb_fixed + params.absorb_rate * s.budget)
                .collect(),
            migrate_cost: sites
                .iter()
                .map(|s| {
                    params.migrate_fixed + params.migrate_per_service * s.online_services as f64
                })
                .collect(),
            params: params.clone(),
            budget: sites.iter().map(|s| s.budget).collect(),
            services: sites.iter().map(|s| s.online_services as f64).collect(),
            staff: sites.iter().map(|s| s.staff).collect(),
            level: sites.iter().map(|s| s.level as u8).collect(),
            parent: sites
                .iter()
                .map(|s| s.parent.map_or(NO_PARENT, |p| p as u32))
                .collect(),
        }
    }
}

/// A before/after pair of money figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Cost {
    /// Σ budgets today.
    pub before: f64,
    /// After the plan.
    pub after: f64,
    /// before − after.
    pub savings: f64,
}

/// A before/after pair of shares (fractions 0..1), absent when undefined.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Share {
    /// Today.
    pub before: Option<f64>,
    /// After the plan.
    pub after: Option<f64>,
}

/// A before/after pair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct BeforeAfter<T> {
    /// Today.
    pub before: T,
    /// After the plan.
    pub after: T,
}

/// Figures of one level.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LevelOutcome {
    /// The level.
    pub level: Level,
    /// Sites at the level.
    pub sites_before: usize,
    /// Kept sites at the level.
    pub sites_after: usize,
    /// Σ budgets at the level.
    pub cost_before: f64,
    /// Kept budgets at the level + absorb costs of sites served from it.
    pub cost_after: f64,
    /// own_pop at the level.
    pub population: u64,
    /// own_pop at the level served by a passing site today.
    pub covered_before: u64,
    /// own_pop at the level whose serving site passes.
    pub covered_after: u64,
    /// Passing sites at the level.
    pub passing_before: usize,
    /// Passing kept sites at the level.
    pub passing_after: usize,
}

/// Figures of one receiving site.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TargetOutcome {
    /// The receiving site's id.
    pub site_id: String,
    /// Its index (not in JSON).
    #[serde(skip)]
    pub site: usize,
    /// Merged sites it serves.
    pub absorbed_sites: usize,
    /// Their budgets.
    pub absorbed_budget: f64,
    /// Their own populations.
    pub absorbed_population: u64,
    /// Their absorb costs.
    pub absorb_cost: f64,
    /// More absorbed sites than the capacity allows.
    pub over_capacity: bool,
}

/// Every outcome of a plan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Sites before and after.
    pub sites: BeforeAfter<usize>,
    /// Annual cost.
    pub annual_cost: Cost,
    /// One-time migration cost.
    pub one_time_cost: f64,
    /// Months for savings to repay the one-time cost (none without savings).
    pub payback_months: Option<f64>,
    /// Σ own_pop.
    pub population: u64,
    /// Population served by a passing site.
    pub covered: BeforeAfter<u64>,
    /// Coverage shares.
    pub coverage: Share,
    /// Passing sites.
    pub passing: BeforeAfter<usize>,
    /// Pass-rate shares.
    pub pass_rate: Share,
    /// Online services.
    pub services: BeforeAfter<f64>,
    /// Staff of merged sites.
    pub staff_freed: f64,
    /// Merged sites.
    pub merged: usize,
    /// By level, national first, levels present only.
    pub by_level: Vec<LevelOutcome>,
    /// Receiving sites, most absorbed first, then by id.
    pub targets: Vec<TargetOutcome>,
    /// Serving site of every site.
    pub serving: Vec<u32>,
}

impl Outcome {
    /// Receiving sites over capacity.
    pub fn over_capacity(&self) -> usize {
        self.targets.iter().filter(|t| t.over_capacity).count()
    }
}

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}

/// Evaluates plans, reusing its buffers between calls.
#[derive(Clone, Debug, Default)]
pub struct Evaluator {
    up: Vec<u32>,
    count: Vec<u32>,
    budget: Vec<f64>,
    pop: Vec<u64>,
    absorb: Vec<f64>,
    touched: Vec<u32>,
}

impl Evaluator {
    /// Evaluates `decisions` (one per site). A merge of a top site is
    /// treated as keep (the plan never makes one).
    pub fn evaluate(&mut self, inv: &Inventory, model: &Model, decisions: &[Decision]) -> Outcome {
        let n = inv.len();
        let sites = inv.sites();
        let parent = &model.parent;
        let kept = |i: usize| parent[i] == NO_PARENT || !decisions[i].is_merge();
        self.up.resize(n, 0);
        let mut serving = vec![0u32; n];
        for &i in inv.parents_first() {
            let i = i as usize;
            if kept(i) {
                self.up[i] = i as u32;
                serving[i] = i as u32;
            } else {
                let p = parent[i] as usize;
                self.up[i] = self.up[p];
                serving[i] = match decisions[i] {
                    Decision::Merge { target: Some(t) } if t < n => serving[t],
                    _ => self.up[p],
                };
            }
        }
        if self.count.len() != n {
            self.count = vec![0; n];
            self.budget = vec![0.0; n];
            self.pop = vec![0; n];
            self.absorb = vec![0.0; n];
        }
        let mut o = Outcome {
            population: model.population,
            ..Default::default()
        };
        let mut lv: [LevelOutcome; 5] = Default::default();
        let mut present = [false; 5];
        let mut services_k = 0.0;
        let mut services_m = 0.0;
        #[allow(clippy::needless_range_loop)] // i indexes eight parallel arrays
        for i in 0..n {
            let l = model.level[i] as usize;
            let budget = model.budget[i];
            present[l] = true;
            let pop = model.own_pop[i];
            let passes = model.passes[i];
            let t = serving[i] as usize;
            o.annual_cost.before += budget;
            lv[l].sites_before += 1;
            lv[l].cost_before += budget;
            lv[l].population = lv[l].population.saturating_add(pop);
            if passes {
                o.passing.before += 1;
                lv[l].passing_before += 1;
                o.covered.before = o.covered.before.saturating_add(pop);
                lv[l].covered_before = lv[l].covered_before.saturating_add(pop);
            }
            if model.passes[t] {
                o.covered.after = o.covered.after.saturating_add(pop);
                lv[l].covered_after = lv[l].covered_after.saturating_add(pop);
            }
            if kept(i) {
                o.sites.after += 1;
                o.annual_cost.after += budget;
                lv[l].sites_after += 1;
                lv[l].cost_after += budget;
                services_k += model.services[i];
                if passes {
                    o.passing.after += 1;
                    lv[l].passing_after += 1;
                }
            } else {
                o.merged += 1;
                let a = model.absorb_cost[i];
                o.annual_cost.after += a;
                lv[model.level[t] as usize].cost_after += a;
                o.one_time_cost += model.migrate_cost[i];
                services_m += model.services[i];
                o.staff_freed += model.staff[i];
                if self.count[t] == 0 {
                    self.touched.push(t as u32);
                }
                self.count[t] += 1;
                self.budget[t] += budget;
                self.pop[t] = self.pop[t].saturating_add(pop);
                self.absorb[t] += a;
            }
        }
        o.sites.before = n;
        o.annual_cost.savings = o.annual_cost.before - o.annual_cost.after;
        o.payback_months =
            (o.annual_cost.savings > 0.0).then(|| 12.0 * o.one_time_cost / o.annual_cost.savings);
        o.coverage = Share {
            before: ratio(o.covered.before as f64, o.population as f64),
            after: ratio(o.covered.after as f64, o.population as f64),
        };
        o.pass_rate = Share {
            before: ratio(o.passing.before as f64, n as f64),
            after: ratio(o.passing.after as f64, o.sites.after as f64),
        };
        o.services = BeforeAfter {
            before: services_k + services_m,
            after: services_k + model.params.service_migration_rate * services_m,
        };
        for (l, mut row) in lv.into_iter().enumerate() {
            if present[l] {
                row.level = Level::from_number(l as u8).unwrap_or(Level::National);
                o.by_level.push(row);
            }
        }
        let cap = model.params.max_absorbed_per_target;
        o.targets = self
            .touched
            .drain(..)
            .map(|t| {
                let t = t as usize;
                let row = TargetOutcome {
                    site_id: sites[t].id.clone(),
                    site: t,
                    absorbed_sites: self.count[t] as usize,
                    absorbed_budget: self.budget[t],
                    absorbed_population: self.pop[t],
                    absorb_cost: self.absorb[t],
                    over_capacity: cap.is_some_and(|c| self.count[t] as u64 > c),
                };
                self.count[t] = 0;
                self.budget[t] = 0.0;
                self.pop[t] = 0;
                self.absorb[t] = 0.0;
                row
            })
            .collect();
        o.targets.sort_unstable_by(|a, b| {
            b.absorbed_sites
                .cmp(&a.absorbed_sites)
                .then_with(|| a.site_id.cmp(&b.site_id))
        });
        o.serving = serving;
        o
    }
}

/// Evaluates once, with fresh buffers.
pub fn evaluate(inv: &Inventory, model: &Model, decisions: &[Decision]) -> Outcome {
    Evaluator::default().evaluate(inv, model, decisions)
}
