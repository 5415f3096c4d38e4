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

use crate::inventory::{Inventory, Kind, Level};
use crate::money::{Money, decimal_of};
use crate::plan::{Decision, PackedDecisions, Params};

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
    budget: Units,
    /// Budgets are in units of 10^−budget_scale yuan.
    budget_scale: u32,
    services: Vec<u64>,
    staff: Units,
    staff_scale: u32,
    level: Vec<u8>,
    parent: Vec<u32>,
}

/// Exact amounts of one kind (budgets, staff), one a site, in units of
/// 10^−scale: 8 bytes each when every one fits (fen of budgets up to 92
/// trillion yuan), else 16.
#[derive(Clone, Debug)]
enum Units {
    /// Every amount fits in 64 bits.
    Narrow(Vec<i64>),
    /// Some amount does not.
    Wide(Vec<i128>),
}

impl Default for Units {
    fn default() -> Self {
        Units::Narrow(Vec::new())
    }
}

impl Units {
    /// Site `i`'s amount.
    #[inline]
    fn get(&self, i: usize) -> i128 {
        match self {
            Units::Narrow(v) => i128::from(v[i]),
            Units::Wide(v) => v[i],
        }
    }

    /// Number of sites.
    fn len(&self) -> usize {
        match self {
            Units::Narrow(v) => v.len(),
            Units::Wide(v) => v.len(),
        }
    }
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

/// The decimal places `v` needs (`v.normalize().scale()`), without the
/// general path for the usual values (a mantissa of 64 bits).
fn places(v: Decimal) -> u32 {
    let scale = v.scale();
    if scale == 0 {
        return 0;
    }
    let Ok(mut m) = u64::try_from(v.mantissa().unsigned_abs()) else {
        return v.normalize().scale();
    };
    if m == 0 {
        return 0;
    }
    let mut places = scale;
    while places > 0 && m % 10 == 0 {
        m /= 10;
        places -= 1;
    }
    places
}

/// `v` in units of 10^−`scale`.
fn units(v: Decimal, scale: u32) -> i128 {
    // A value with no more places than the scale is its mantissa times a
    // power of ten (what rescaling gives while the mantissa fits in its
    // 96 bits).
    if let Some(k) = scale.checked_sub(v.scale())
        && let Some(m) = 10i128
            .checked_pow(k)
            .and_then(|p| v.mantissa().checked_mul(p))
        && m.unsigned_abs() < 1u128 << 96
    {
        return m;
    }
    units_exactly(v, scale)
}

/// [`units`] by the general path.
fn units_exactly(v: Decimal, scale: u32) -> i128 {
    Money::from_decimal(v).units(scale).unwrap_or_else(|| {
        // More places than the scale (not from an import): round.
        let mut r = v.round_dp(scale);
        r.rescale(scale);
        r.mantissa()
    })
}

/// The dense columns of a model, filled in one pass over the sites (with
/// what own_pop is worked out from).
struct Columns {
    portal_pop: Vec<u64>,
    portal: Vec<bool>,
    passes: Vec<bool>,
    budget: Vec<i64>,
    services: Vec<u64>,
    staff: Vec<i64>,
    level: Vec<u8>,
    parent: Vec<u32>,
}

/// A part of [`Columns`]: the same sites' entries of each.
struct ColumnsMut<'a> {
    portal_pop: &'a mut [u64],
    portal: &'a mut [bool],
    passes: &'a mut [bool],
    budget: &'a mut [i64],
    services: &'a mut [u64],
    staff: &'a mut [i64],
    level: &'a mut [u8],
    parent: &'a mut [u32],
}

impl Columns {
    fn zeroed(n: usize) -> Columns {
        Columns {
            portal_pop: vec![0; n],
            portal: vec![false; n],
            passes: vec![false; n],
            budget: vec![0; n],
            services: vec![0; n],
            staff: vec![0; n],
            level: vec![0; n],
            parent: vec![0; n],
        }
    }

    /// The columns in parts of `size` sites (one part when empty).
    fn parts(&mut self, size: usize) -> Vec<ColumnsMut<'_>> {
        let mut rest = ColumnsMut {
            portal_pop: &mut self.portal_pop,
            portal: &mut self.portal,
            passes: &mut self.passes,
            budget: &mut self.budget,
            services: &mut self.services,
            staff: &mut self.staff,
            level: &mut self.level,
            parent: &mut self.parent,
        };
        let mut parts = Vec::new();
        while rest.level.len() > size.max(1) {
            let (part, tail) = rest.split_at(size.max(1));
            parts.push(part);
            rest = tail;
        }
        parts.push(rest);
        parts
    }
}

impl<'a> ColumnsMut<'a> {
    fn split_at(self, mid: usize) -> (ColumnsMut<'a>, ColumnsMut<'a>) {
        let (portal_pop, portal_pop2) = self.portal_pop.split_at_mut(mid);
        let (portal, portal2) = self.portal.split_at_mut(mid);
        let (passes, passes2) = self.passes.split_at_mut(mid);
        let (budget, budget2) = self.budget.split_at_mut(mid);
        let (services, services2) = self.services.split_at_mut(mid);
        let (staff, staff2) = self.staff.split_at_mut(mid);
        let (level, level2) = self.level.split_at_mut(mid);
        let (parent, parent2) = self.parent.split_at_mut(mid);
        (
            ColumnsMut {
                portal_pop,
                portal,
                passes,
                budget,
                services,
                staff,
                level,
                parent,
            },
            ColumnsMut {
                portal_pop: portal_pop2,
                portal: portal2,
                passes: passes2,
                budget: budget2,
                services: services2,
                staff: staff2,
                level: level2,
                parent: parent2,
            },
        )
    }
}

impl Model {
    /// Prepares the per-site figures.
    pub fn new(inv: &Inventory, params: &Params) -> Model {
        Model::with_threads(inv, params, crate::par::threads_for(inv.len()))
    }

    /// [`Model::new`] worked out in `threads` parts of the sites: the same
    /// model on any number of them.
    pub(crate) fn with_threads(inv: &Inventory, params: &Params, threads: usize) -> Model {
        let sites = inv.sites();
        let n = sites.len();
        let (budget_places, staff_places) = crate::par::map_ranges(n, threads, |r| {
            sites[r].iter().fold((0u32, 0u32), |(b, s), site| {
                (
                    b.max(places(site.budget.decimal())),
                    s.max(places(site.staff)),
                )
            })
        })
        .into_iter()
        .fold((0, 0), |(b, s), (pb, ps)| (b.max(pb), s.max(ps)));
        let budget_scale = scale_of(std::iter::once(budget_places));
        let staff_scale = scale_of(std::iter::once(staff_places));
        let threshold = params.pass_threshold;
        let budget_of = |i: usize| units(sites[i].budget.decimal(), budget_scale);
        let staff_of = |i: usize| units(sites[i].staff, staff_scale);
        // One pass over the sites fills every column.
        let mut c = Columns::zeroed(n);
        let fill = |start: usize, c: ColumnsMut<'_>| {
            let (mut budget_fits, mut staff_fits) = (true, true);
            for k in 0..c.level.len() {
                let i = start + k;
                let s = &sites[i];
                c.portal_pop[k] = crate::inventory::portal_population(s);
                c.portal[k] = s.kind.is_portal();
                c.passes[k] = s.passes(threshold);
                match i64::try_from(budget_of(i)) {
                    Ok(v) => c.budget[k] = v,
                    Err(_) => budget_fits = false,
                }
                c.services[k] = s.online_services;
                match i64::try_from(staff_of(i)) {
                    Ok(v) => c.staff[k] = v,
                    Err(_) => staff_fits = false,
                }
                c.level[k] = s.level as u8;
                c.parent[k] = s.parent.unwrap_or(NO_PARENT);
            }
            (budget_fits, staff_fits)
        };
        let size = n.div_ceil(threads.max(1)).max(1);
        let parts = c.parts(size);
        let (budget_fits, staff_fits) = if parts.len() < 2 {
            parts
                .into_iter()
                .map(|p| fill(0, p))
                .fold((true, true), |(a, b), (x, y)| (a && x, b && y))
        } else {
            let fill = &fill;
            std::thread::scope(|scope| {
                let handles: Vec<_> = parts
                    .into_iter()
                    .enumerate()
                    .map(|(k, p)| scope.spawn(move || fill(k * size, p)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .fold((true, true), |(a, b), (x, y)| (a && x, b && y))
            })
        };
        // Amounts too large for 64 bits (not from an import) in 128.
        let budget = if budget_fits {
            Units::Narrow(std::mem::take(&mut c.budget))
        } else {
            Units::Wide(crate::par::collect(n, threads, budget_of))
        };
        let staff = if staff_fits {
            Units::Narrow(std::mem::take(&mut c.staff))
        } else {
            Units::Wide(crate::par::collect(n, threads, staff_of))
        };
        let portal = std::mem::take(&mut c.portal);
        let (own_pop, _, population) = crate::inventory::own_population_from(
            inv,
            &c.portal_pop,
            |i| {
                if portal[i] {
                    Kind::Portal
                } else {
                    Kind::Department
                }
            },
            threads,
        );
        Model {
            population,
            own_pop,
            passes: c.passes,
            params: params.clone(),
            rates: Rates::new(params),
            budget,
            budget_scale,
            services: c.services,
            staff,
            staff_scale,
            level: c.level,
            parent: c.parent,
        }
    }

    /// A budget sum in money.
    fn money(&self, units: i128) -> Money {
        Money::from_units(units, self.budget_scale)
    }

    /// Site `i`'s budget.
    pub fn budget(&self, i: usize) -> Money {
        self.money(self.budget.get(i))
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
    /// Per site: 0, or 1 + the index in `targets` of its sums as a
    /// receiving site.
    slot: Vec<u32>,
    /// The receiving sites met in this evaluation, with their sums.
    targets: Vec<TargetSums>,
}

/// Sums of one receiving site, in budget units.
#[derive(Clone, Copy, Debug, Default)]
struct TargetSums {
    site: u32,
    count: u32,
    budget: i128,
    pop: u64,
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

/// The decisions the evaluation reads, one per site.
trait PlanView {
    /// `None` when site `i` is kept; when it merges, its explicit target.
    fn merge(&self, i: usize) -> Option<Option<usize>>;
}

impl PlanView for [Decision] {
    #[inline]
    fn merge(&self, i: usize) -> Option<Option<usize>> {
        match self[i] {
            Decision::Keep => None,
            Decision::Merge { target } => Some(target.map(|t| t as usize)),
        }
    }
}

impl PlanView for PackedDecisions {
    #[inline]
    fn merge(&self, i: usize) -> Option<Option<usize>> {
        PackedDecisions::merge(self, i)
    }
}

impl Evaluator {
    /// Evaluates `decisions` (one per site). A merge of a top site is
    /// treated as keep (the plan never makes one).
    pub fn evaluate(&mut self, inv: &Inventory, model: &Model, decisions: &[Decision]) -> Outcome {
        self.evaluate_view(inv, model, decisions)
    }

    /// [`Evaluator::evaluate`] of packed decisions.
    pub fn evaluate_packed(
        &mut self,
        inv: &Inventory,
        model: &Model,
        decisions: &PackedDecisions,
    ) -> Outcome {
        self.evaluate_view(inv, model, decisions)
    }

    fn evaluate_view<P: PlanView + ?Sized>(
        &mut self,
        inv: &Inventory,
        model: &Model,
        decisions: &P,
    ) -> Outcome {
        let n = inv.len();
        let sites = inv.sites();
        let parent = &model.parent;
        let kept = |i: usize| parent[i] == NO_PARENT || decisions.merge(i).is_none();
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
                serving[i] = match decisions.merge(i) {
                    Some(Some(t)) if t < n => serving[t],
                    _ => self.up[p],
                };
            }
        }
        if self.slot.len() != n {
            self.slot = vec![0; n];
        }
        self.targets.clear();
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
            let budget = model.budget.get(i);
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
                staff_m += model.staff.get(i);
                let slot = &mut self.slot[t];
                if *slot == 0 {
                    self.targets.push(TargetSums {
                        site: t as u32,
                        ..Default::default()
                    });
                    *slot = self.targets.len() as u32;
                }
                let acc = &mut self.targets[*slot as usize - 1];
                acc.count += 1;
                acc.budget += budget;
                acc.pop = acc.pop.saturating_add(pop);
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
        for acc in &self.targets {
            self.slot[acc.site as usize] = 0;
        }
        o.targets = self
            .targets
            .drain(..)
            .map(|acc| {
                let t = acc.site as usize;
                let count = acc.count;
                let budget = model.money(acc.budget);
                TargetOutcome {
                    site_id: sites[t].id.to_string(),
                    site: t,
                    absorbed_sites: count as usize,
                    absorbed_budget: budget,
                    absorbed_population: acc.pop,
                    absorb_cost: rates.absorb(u64::from(count), budget),
                    over_capacity: cap.is_some_and(|c| u64::from(count) > c),
                }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Kind, Site};
    use proptest::prelude::*;

    fn arb_decimal() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            (any::<i64>(), 0u32..10).prop_map(|(m, s)| Decimal::new(m, s)),
            (-(1i128 << 95)..(1i128 << 95), 0u32..29)
                .prop_map(|(m, s)| Decimal::from_i128_with_scale(m, s)),
            (0i64..1000, 0u32..7).prop_map(|(m, s)| Decimal::new(m * 10i64.pow(s), s)),
        ]
    }

    proptest! {
        #[test]
        fn places_and_units_are_the_general_paths(v in arb_decimal(), scale in 0u32..7) {
            prop_assert_eq!(places(v), v.normalize().scale());
            prop_assert_eq!(units(v, scale), units_exactly(v, scale));
        }
    }

    /// The model as it was built site by site (the reference).
    /// What [`model_by_sites`] gives.
    struct Reference {
        own_pop: Vec<u64>,
        passes: Vec<bool>,
        population: u64,
        budget: Vec<i128>,
        budget_scale: u32,
        staff: Vec<i128>,
        staff_scale: u32,
    }

    fn model_by_sites(inv: &Inventory, params: &Params) -> Reference {
        let (own_pop, _) = crate::inventory::own_population(inv);
        let sites = inv.sites();
        let budget_scale = scale_of(sites.iter().map(|s| s.budget.places()));
        let staff_scale = scale_of(sites.iter().map(|s| s.staff.normalize().scale()));
        Reference {
            population: own_pop.iter().fold(0u64, |a, &p| a.saturating_add(p)),
            own_pop,
            passes: sites
                .iter()
                .map(|s| s.passes(params.pass_threshold))
                .collect(),
            budget: sites
                .iter()
                .map(|s| units_exactly(s.budget.decimal(), budget_scale))
                .collect(),
            budget_scale,
            staff: sites
                .iter()
                .map(|s| units_exactly(s.staff, staff_scale))
                .collect(),
            staff_scale,
        }
    }

    fn arb_inventory() -> impl Strategy<Value = Inventory> {
        let site = (
            0u8..5,
            any::<bool>(),
            0usize..40,
            // Up to 2^63 at up to 9 places: beyond 64 bits in units of
            // 10^-6, never beyond a decimal's 96 bits when summed.
            (any::<i64>(), 0u32..10).prop_map(|(m, s)| Decimal::new(m, s)),
            (0i64..10_000, 0u32..3),
            prop_oneof![0u64..1000, Just(u64::MAX - 3)],
            0u64..50,
            proptest::option::of(0.0f64..100.0),
            proptest::option::of(any::<bool>()),
        );
        proptest::collection::vec(site, 0..60).prop_map(|rows| {
            let sites = rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let &(
                        level,
                        portal,
                        parent,
                        budget,
                        (staff, staff_scale),
                        pop,
                        services,
                        score,
                        passed,
                    ) = r;
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
                    // Budgets of a few sites carry any decimal (too many
                    // places, too large for 64 bits); the others fen.
                    s.budget = if i % 7 == 3 {
                        Money::from_decimal(budget)
                    } else {
                        Money::from_units(i128::from(staff) * 37, (i % 3) as u32)
                    };
                    s.staff = Decimal::new(staff, staff_scale);
                    s.population = pop;
                    s.online_services = services;
                    s.inspection_score = score;
                    s.inspection_passed = passed;
                    s
                })
                .collect();
            Inventory::link(sites).0
        })
    }

    fn arb_plan(n: usize) -> impl Strategy<Value = Vec<Decision>> {
        let d = prop_oneof![
            2 => Just(Decision::Keep),
            2 => Just(Decision::Merge { target: None }),
            1 => (0usize..n.max(1) + 2).prop_map(|t| Decision::merge_into(Some(t))),
        ];
        proptest::collection::vec(d, n..=n)
    }

    proptest! {
        #[test]
        fn model_in_parts_is_the_model_site_by_site(
            inv in arb_inventory(),
            threads in 1usize..5,
            threshold in 0.0f64..100.0,
        ) {
            let params = Params { pass_threshold: threshold, ..Params::default() };
            let m = Model::with_threads(&inv, &params, threads);
            let Reference {
                own_pop,
                passes,
                population,
                budget,
                budget_scale,
                staff,
                staff_scale,
            } = model_by_sites(&inv, &params);
            prop_assert_eq!(&m.own_pop, &own_pop);
            prop_assert_eq!(&m.passes, &passes);
            prop_assert_eq!(m.population, population);
            prop_assert_eq!(m.budget_scale, budget_scale);
            prop_assert_eq!(m.staff_scale, staff_scale);
            prop_assert_eq!(m.budget.len(), inv.len());
            prop_assert_eq!((0..inv.len()).map(|i| m.budget.get(i)).collect::<Vec<_>>(), budget);
            prop_assert_eq!((0..inv.len()).map(|i| m.staff.get(i)).collect::<Vec<_>>(), staff);
            let sites = inv.sites();
            prop_assert_eq!(&m.services, &sites.iter().map(|s| s.online_services).collect::<Vec<_>>());
            prop_assert_eq!(&m.level, &sites.iter().map(|s| s.level as u8).collect::<Vec<_>>());
            prop_assert_eq!(
                &m.parent,
                &sites.iter().map(|s| s.parent.unwrap_or(NO_PARENT)).collect::<Vec<_>>()
            );
        }

        #[test]
        fn packed_plans_evaluate_as_plans(
            (inv, decisions) in arb_inventory().prop_flat_map(|inv| {
                let n = inv.len();
                (Just(inv), arb_plan(n))
            }),
        ) {
            let model = Model::new(&inv, &Params::default());
            let mut ev = Evaluator::default();
            let want = ev.evaluate(&inv, &model, &decisions);
            let packed = PackedDecisions::new(&decisions);
            // The same evaluator twice: its buffers are left clean.
            prop_assert_eq!(&ev.evaluate_packed(&inv, &model, &packed), &want);
            prop_assert_eq!(&Evaluator::default().evaluate_packed(&inv, &model, &packed), &want);
        }
    }
}
