//! Outcomes of a plan: cost, savings, one-time cost, payback, coverage, pass
//! rate, services and staff, by level, by area and per receiving site.
//!
//! [`Model`] holds what depends only on the inventory and the parameters;
//! [`Evaluator::evaluate`] is one O(n) pass over flat arrays, so a changed
//! decision is re-evaluated without rebuilding anything else.

mod areas;
mod subtree;
mod summary;
pub mod treemap;
mod what_if;

use serde::Serialize;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::inventory::{Inventory, Level, own_population};
use crate::money::{Money, decimal_of};
use crate::plan::{Decision, Params};

pub use areas::{AreaKind, AreaMap, AreaOutcome, by_area, render_area_text};
pub use subtree::{SubtreeCounts, is_merged};
pub use summary::{ImportCounts, PlanCounts, Summary, change, count, percent, render_text, yuan};
pub use what_if::{WhatIf, alternative, what_if};

/// Per-site quantities that depend only on the inventory and parameters.
///
/// Money is kept exact (MODEL.md §7): budgets as whole numbers of the
/// smallest unit any budget needs (fen, usually), so that the evaluation
/// adds integers; absorb and migration costs are linear in budgets and
/// services, so each total is worked out once from the sums, exactly.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// own_pop per site.
    pub own_pop: Vec<u64>,
    /// passes per site.
    pub passes: Vec<bool>,
    /// Σ own_pop.
    pub population: u64,
    /// The parameters used.
    pub params: Params,
    /// The money parameters as exact decimals.
    pub rates: Rates,
    /// Flat copies of the site fields the evaluation reads, so that one
    /// pass touches a few dense arrays instead of every `Site`.
    budget: Vec<i128>,
    /// Budgets are in units of 10^−budget_scale yuan.
    budget_scale: u32,
    services: Vec<u64>,
    staff: Vec<i128>,
    staff_scale: u32,
    level: Vec<u8>,
    parent: Vec<u32>,
}

/// The parameters that turn budgets and services into money, exactly.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rates {
    /// absorb_fixed.
    pub absorb_fixed: Money,
    /// absorb_rate.
    pub absorb_rate: Decimal,
    /// migrate_fixed.
    pub migrate_fixed: Money,
    /// migrate_per_service.
    pub migrate_per_service: Money,
    /// service_migration_rate.
    pub service_migration_rate: Decimal,
}

impl Rates {
    /// The exact decimals the parameters are written as (a parameter that
    /// is not a finite number counts as 0; opening a file reports it).
    pub fn new(p: &Params) -> Rates {
        let d = |v: f64| decimal_of(v).unwrap_or_default();
        Rates {
            absorb_fixed: Money::from_decimal(d(p.absorb_fixed)),
            absorb_rate: d(p.absorb_rate),
            migrate_fixed: Money::from_decimal(d(p.migrate_fixed)),
            migrate_per_service: Money::from_decimal(d(p.migrate_per_service)),
            service_migration_rate: d(p.service_migration_rate),
        }
    }

    /// absorb_cost of `count` merged sites whose budgets add up to `budget`.
    pub fn absorb(&self, count: u64, budget: Money) -> Money {
        self.absorb_fixed.times_count(count) + budget.times(self.absorb_rate)
    }

    /// The one-time cost of `count` merged sites offering `services`.
    pub fn migrate(&self, count: u64, services: u64) -> Money {
        self.migrate_fixed.times_count(count) + self.migrate_per_service.times_count(services)
    }
}

/// `parent` value of a top site.
const NO_PARENT: u32 = u32::MAX;

/// Units of 10^−`scale` for a list of exact values: the largest number of
/// places any of them needs.
fn scale_of(places: impl Iterator<Item = u32>) -> u32 {
    places.max().unwrap_or(0).min(crate::money::MAX_PLACES)
}

fn units(v: Decimal, scale: u32) -> i128 {
    Money::from_decimal(v).units(scale).unwrap_or_else(|| {
        // More places than the scale (not from an import): round.
        let mut r = v.round_dp(scale);
        r.rescale(scale);
        r.mantissa()
    })
}

impl Model {
    /// Prepares the per-site figures.
    pub fn new(inv: &Inventory, params: &Params) -> Model {
        let (own_pop, _) = own_population(inv);
        let sites = inv.sites();
        let budget_scale = scale_of(sites.iter().map(|s| s.budget.places()));
        let staff_scale = scale_of(sites.iter().map(|s| s.staff.normalize().scale()));
        Model {
            population: own_pop.iter().fold(0u64, |a, &p| a.saturating_add(p)),
            own_pop,
            passes: sites
                .iter()
                .map(|s| s.passes(params.pass_threshold))
                .collect(),
            params: params.clone(),
            rates: Rates::new(params),
            budget: sites
                .iter()
                .map(|s| units(s.budget.decimal(), budget_scale))
                .collect(),
            budget_scale,
            services: sites.iter().map(|s| s.online_services).collect(),
            staff: sites.iter().map(|s| units(s.staff, staff_scale)).collect(),
            staff_scale,
            level: sites.iter().map(|s| s.level as u8).collect(),
            parent: sites
                .iter()
                .map(|s| s.parent.map_or(NO_PARENT, |p| p as u32))
                .collect(),
        }
    }

    /// A budget sum in money.
    fn money(&self, units: i128) -> Money {
        Money::from_units(units, self.budget_scale)
    }

    /// Site `i`'s budget.
    pub fn budget(&self, i: usize) -> Money {
        self.money(self.budget[i])
    }

    /// absorb_cost(i): what the receiving site spends each year to absorb
    /// site `i`.
    pub fn absorb_cost(&self, i: usize) -> Money {
        self.rates.absorb(1, self.budget(i))
    }

    /// The one-time cost of merging site `i`.
    pub fn migrate_cost(&self, i: usize) -> Money {
        self.rates.migrate(1, self.services[i])
    }

    /// saving(i) = budget − absorb_cost: what merging site `i` saves a year.
    pub fn saving(&self, i: usize) -> Money {
        self.budget(i) - self.absorb_cost(i)
    }
}

/// A before/after pair of money figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Cost {
    /// Σ budgets today.
    pub before: Money,
    /// After the plan.
    pub after: Money,
    /// before − after.
    pub savings: Money,
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
    pub cost_before: Money,
    /// Kept budgets at the level + absorb costs of sites served from it.
    pub cost_after: Money,
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
    pub absorbed_budget: Money,
    /// Their own populations.
    pub absorbed_population: u64,
    /// Their absorb costs.
    pub absorb_cost: Money,
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
    pub one_time_cost: Money,
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
    /// Staff of merged sites, exact.
    pub staff_freed: Decimal,
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
    budget: Vec<i128>,
    pop: Vec<u64>,
    touched: Vec<u32>,
}

/// Sums of one level, in budget units.
#[derive(Clone, Copy, Default)]
struct LevelSums {
    before: i128,
    kept: i128,
    /// Merged sites served from this level, and their budgets.
    absorbed: u64,
    absorbed_budget: i128,
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
            self.budget = vec![0; n];
            self.pop = vec![0; n];
        }
        let mut o = Outcome {
            population: model.population,
            ..Default::default()
        };
        let mut lv: [LevelOutcome; 5] = Default::default();
        let mut sums = [LevelSums::default(); 5];
        let mut present = [false; 5];
        let (mut services_k, mut services_m) = (0u64, 0u64);
        let (mut budget_m, mut staff_m) = (0i128, 0i128);
        #[allow(clippy::needless_range_loop)] // i indexes eight parallel arrays
        for i in 0..n {
            let l = model.level[i] as usize;
            let budget = model.budget[i];
            present[l] = true;
            let pop = model.own_pop[i];
            let passes = model.passes[i];
            let t = serving[i] as usize;
            lv[l].sites_before += 1;
            sums[l].before += budget;
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
                lv[l].sites_after += 1;
                sums[l].kept += budget;
                services_k = services_k.saturating_add(model.services[i]);
                if passes {
                    o.passing.after += 1;
                    lv[l].passing_after += 1;
                }
            } else {
                o.merged += 1;
                let lt = model.level[t] as usize;
                sums[lt].absorbed += 1;
                sums[lt].absorbed_budget += budget;
                budget_m += budget;
                services_m = services_m.saturating_add(model.services[i]);
                staff_m += model.staff[i];
                if self.count[t] == 0 {
                    self.touched.push(t as u32);
                }
                self.count[t] += 1;
                self.budget[t] += budget;
                self.pop[t] = self.pop[t].saturating_add(pop);
            }
        }
        let rates = &model.rates;
        let merged = o.merged as u64;
        let before: i128 = sums.iter().map(|s| s.before).sum();
        let kept_budget: i128 = sums.iter().map(|s| s.kept).sum();
        o.sites.before = n;
        o.annual_cost.before = model.money(before);
        o.annual_cost.after =
            model.money(kept_budget) + rates.absorb(merged, model.money(budget_m));
        o.annual_cost.savings = o.annual_cost.before - o.annual_cost.after;
        o.one_time_cost = rates.migrate(merged, services_m);
        o.staff_freed = Money::from_units(staff_m, model.staff_scale).decimal();
        o.payback_months = o
            .annual_cost
            .savings
            .is_positive()
            .then(|| {
                o.one_time_cost
                    .times(Decimal::from(12))
                    .ratio(o.annual_cost.savings)
            })
            .flatten();
        o.coverage = Share {
            before: ratio(o.covered.before as f64, o.population as f64),
            after: ratio(o.covered.after as f64, o.population as f64),
        };
        o.pass_rate = Share {
            before: ratio(o.passing.before as f64, n as f64),
            after: ratio(o.passing.after as f64, o.sites.after as f64),
        };
        let services_after =
            Decimal::from(services_k) + Decimal::from(services_m) * rates.service_migration_rate;
        o.services = BeforeAfter {
            before: services_k.saturating_add(services_m) as f64,
            after: services_after.to_f64().unwrap_or(0.0),
        };
        for (l, mut row) in lv.into_iter().enumerate() {
            if present[l] {
                row.level = Level::from_number(l as u8).unwrap_or(Level::National);
                let s = sums[l];
                row.cost_before = model.money(s.before);
                row.cost_after =
                    model.money(s.kept) + rates.absorb(s.absorbed, model.money(s.absorbed_budget));
                o.by_level.push(row);
            }
        }
        let cap = model.params.max_absorbed_per_target;
        o.targets = self
            .touched
            .drain(..)
            .map(|t| {
                let t = t as usize;
                let count = self.count[t];
                let budget = model.money(self.budget[t]);
                let row = TargetOutcome {
                    site_id: sites[t].id.clone(),
                    site: t,
                    absorbed_sites: count as usize,
                    absorbed_budget: budget,
                    absorbed_population: self.pop[t],
                    absorb_cost: rates.absorb(u64::from(count), budget),
                    over_capacity: cap.is_some_and(|c| u64::from(count) > c),
                };
                self.count[t] = 0;
                self.budget[t] = 0;
                self.pop[t] = 0;
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
