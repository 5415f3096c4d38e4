//! The cash flow of a schedule (MODEL.md §8): per quarter and per year,
//! the closures, the one-time spending, the savings, the net and its
//! running total; the payback quarter; the budget of each year by level;
//! and the merged sites left out, with why.
//!
//! Money stays exact: every figure is an exact decimal (a quarter's saving
//! is saving(m)/4 exactly, which needs at most two more places than the
//! budgets), so a year is exactly the sum of its quarters and a running
//! total exactly the sum of the nets. Rounding to the fen happens only
//! when a figure is written (JSON, tables, files), each figure on its own,
//! half away from zero — as the summary writes its figures. Written
//! figures may therefore differ by a fen from the sum of other written
//! figures, never from the exact value. The payback quarter is decided on
//! the exact running total.
//!
//! One pass over the sites puts each scheduled closure into its quarter's
//! bucket (count, budgets, services); the money of a bucket is worked out
//! once from its sums with the model's rates, which is exactly the sum of
//! the sites' own figures (they are linear), then one pass over the
//! quarters does the rest.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::i18n::Lang;
use crate::inventory::Level;
use crate::money::Money;
use crate::outcome::{Model, Rates};

use super::{Evaluated, Horizon, Quarter};

/// One quarter of the cash flow.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuarterFlow {
    /// The quarter.
    pub quarter: Quarter,
    /// Sites closing in it.
    pub closures: usize,
    /// One-time cost of the sites closing in it.
    pub one_time: Money,
    /// Saved in it: a quarter of the yearly saving of every site closed
    /// before it.
    pub savings: Money,
    /// savings − one_time.
    pub net: Money,
    /// Σ net up to and including this quarter.
    pub cumulative: Money,
}

/// One calendar year of the cash flow: the sums of its quarters in the
/// horizon.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YearFlow {
    /// The year.
    pub year: i32,
    /// Its quarters within the horizon (4, or fewer at either end).
    pub quarters: usize,
    /// Sites closing in it.
    pub closures: usize,
    /// One-time cost.
    pub one_time: Money,
    /// Savings.
    pub savings: Money,
    /// savings − one_time.
    pub net: Money,
    /// The running total at its last quarter in the horizon.
    pub cumulative: Money,
    /// What each level spends on its sites in the year (levels present
    /// only, national first).
    pub budget_by_level: Vec<LevelBudget>,
}

/// What one level spends in a year: the budgets of its sites for the
/// quarters they run (a site runs through its closure quarter), and the
/// absorb cost of the merged sites it serves for the quarters after their
/// closure. Sites that are not scheduled run all year.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LevelBudget {
    /// The level.
    pub level: Level,
    /// Yuan spent in the year.
    pub budget: Money,
}

/// Why a merged site is not in the cash flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// It has no closure quarter.
    NoQuarter,
    /// Its closure quarter is before or after the horizon.
    OutsideHorizon,
    /// The scheduler found no quarter within the limits.
    NoRoom,
    /// Its one-time cost alone is above the yearly limit.
    OneTimeAboveYearlyLimit,
}

impl Reason {
    /// What a planner reads.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Reason::NoQuarter => lang.pick("没有关停季度", "no closure quarter"),
            Reason::OutsideHorizon => {
                lang.pick("关停季度不在测算期内", "quarter outside the horizon")
            }
            Reason::NoRoom => lang.pick(
                "测算期内没有满足限额的季度",
                "no quarter within the limits in the horizon",
            ),
            Reason::OneTimeAboveYearlyLimit => lang.pick(
                "一次性成本超过每年上限",
                "its one-time cost is above the yearly limit",
            ),
        }
    }
}

/// A merged site left out of the cash flow.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnscheduledSite {
    /// Its id.
    pub site_id: String,
    /// Its index (not in JSON).
    #[serde(skip)]
    pub site: usize,
    /// Why.
    pub reason: Reason,
    /// The quarter it was given, when it has one (outside the horizon).
    pub quarter: Option<Quarter>,
}

/// The cash flow of a schedule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CashFlow {
    /// The first quarter of the horizon.
    pub start_quarter: Quarter,
    /// The last quarter of the horizon.
    pub end_quarter: Quarter,
    /// Years covered.
    pub horizon_years: u32,
    /// Merged sites closing within the horizon.
    pub scheduled: usize,
    /// Every quarter of the horizon.
    pub quarters: Vec<QuarterFlow>,
    /// Every calendar year the horizon touches.
    pub years: Vec<YearFlow>,
    /// The first quarter, at or after the first closure, whose running
    /// total is ≥ 0; none within the horizon: `None`.
    pub payback_quarter: Option<Quarter>,
    /// Merged sites left out, in inventory order.
    pub unscheduled: Vec<UnscheduledSite>,
}

impl CashFlow {
    /// The JSON text (`schedule --json`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }

    /// Sets the reason of the sites the scheduler could not fit.
    pub fn explain(&mut self, unfit: &[(usize, Reason)]) {
        let why: rustc_hash::FxHashMap<usize, Reason> = unfit.iter().copied().collect();
        for u in &mut self.unscheduled {
            if let Some(r) = why.get(&u.site) {
                u.reason = *r;
            }
        }
    }

    /// The running total at the end of the horizon.
    pub fn final_cumulative(&self) -> Money {
        self.quarters.last().map_or(Money::ZERO, |q| q.cumulative)
    }
}

/// Sites closing in one quarter: how many, their budgets and services.
#[derive(Clone, Copy, Debug, Default)]
struct Bucket {
    count: u64,
    budget: Money,
    services: u64,
}

impl Bucket {
    fn add(&mut self, budget: Money, services: u64) {
        self.count += 1;
        self.budget += budget;
        self.services = self.services.saturating_add(services);
    }

    /// Σ saving(m) = Σ budget − Σ absorb_cost.
    fn saving(&self, rates: &Rates) -> Money {
        self.budget - self.absorb(rates)
    }

    /// Σ absorb_cost(m).
    fn absorb(&self, rates: &Rates) -> Money {
        if self.count == 0 {
            Money::ZERO
        } else {
            rates.absorb(self.count, self.budget)
        }
    }

    /// Σ one_time(m).
    fn one_time(&self, rates: &Rates) -> Money {
        if self.count == 0 {
            Money::ZERO
        } else {
            rates.migrate(self.count, self.services)
        }
    }
}

/// A quarter of a yearly amount, exactly.
pub fn quarter_of(yearly: Money) -> Money {
    yearly.times(Decimal::new(25, 2))
}

/// The cash flow of `schedule` (a closure quarter per site, by index; a
/// shorter list leaves the rest without one) over `horizon`. Kept sites'
/// quarters are ignored.
pub fn cash_flow(plan: &Evaluated<'_>, schedule: &[Option<Quarter>], horizon: Horizon) -> CashFlow {
    let inv = plan.inv;
    let model: &Model = plan.model;
    let h = horizon.len();
    let mut closing = vec![Bucket::default(); h];
    // Per quarter and level: budgets of the sites at the level that close
    // in it, and the sites closing in it whose serving site is at the level.
    let mut leaving = vec![[Money::ZERO; 5]; h];
    let mut absorbed = vec![[Bucket::default(); 5]; h];
    let mut yearly = [Money::ZERO; 5];
    let mut present = [false; 5];
    let mut unscheduled = Vec::new();
    let mut scheduled = 0;
    for (i, site) in inv.sites().iter().enumerate() {
        let level = site.level as usize;
        let budget = model.budget(i);
        present[level] = true;
        yearly[level] += budget;
        if !plan.is_merged(i) {
            continue;
        }
        let given = schedule.get(i).copied().flatten();
        match given.and_then(|q| horizon.index(q)) {
            Some(k) => {
                scheduled += 1;
                let services = site.online_services;
                closing[k].add(budget, services);
                leaving[k][level] += budget;
                let t = plan.serving_level(i) as usize;
                absorbed[k][t].add(budget, services);
            }
            None => unscheduled.push(UnscheduledSite {
                site_id: site.id.to_string(),
                site: i,
                reason: if given.is_some() {
                    Reason::OutsideHorizon
                } else {
                    Reason::NoQuarter
                },
                quarter: given,
            }),
        }
    }
    let rates = &model.rates;
    let mut quarters = Vec::with_capacity(h);
    let mut years: Vec<YearFlow> = Vec::new();
    // Yearly savings of the sites closed so far; what each level spends a
    // year at the current quarter.
    let mut saving_rate = Money::ZERO;
    let mut cumulative = Money::ZERO;
    let mut first_closure = None;
    let mut payback_quarter = None;
    for (k, bucket) in closing.iter().enumerate() {
        let quarter = horizon.quarter(k);
        let savings = quarter_of(saving_rate);
        let one_time = bucket.one_time(rates);
        let net = savings - one_time;
        cumulative += net;
        if bucket.count > 0 && first_closure.is_none() {
            first_closure = Some(k);
        }
        if first_closure.is_some() && payback_quarter.is_none() && !cumulative.is_negative() {
            payback_quarter = Some(quarter);
        }
        let row = QuarterFlow {
            quarter,
            closures: bucket.count as usize,
            one_time,
            savings,
            net,
            cumulative,
        };
        if years.last().is_none_or(|y| y.year != quarter.year()) {
            years.push(YearFlow {
                year: quarter.year(),
                quarters: 0,
                closures: 0,
                one_time: Money::ZERO,
                savings: Money::ZERO,
                net: Money::ZERO,
                cumulative: Money::ZERO,
                budget_by_level: (0..5)
                    .filter(|&l| present[l])
                    .filter_map(|l| Level::from_number(l as u8))
                    .map(|level| LevelBudget {
                        level,
                        budget: Money::ZERO,
                    })
                    .collect(),
            });
        }
        if let Some(y) = years.last_mut() {
            y.quarters += 1;
            y.closures += row.closures;
            y.one_time += row.one_time;
            y.savings += row.savings;
            y.net += row.net;
            y.cumulative = row.cumulative;
            for b in &mut y.budget_by_level {
                b.budget += quarter_of(yearly[b.level as usize]);
            }
        }
        quarters.push(row);
        // From the next quarter on, the sites closing in this one are gone.
        saving_rate += bucket.saving(rates);
        for l in 0..5 {
            yearly[l] = yearly[l] - leaving[k][l] + absorbed[k][l].absorb(rates);
        }
    }
    CashFlow {
        start_quarter: horizon.start,
        end_quarter: horizon.end(),
        horizon_years: horizon.years,
        scheduled,
        quarters,
        years,
        payback_quarter,
        unscheduled,
    }
}
