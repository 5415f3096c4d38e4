//! When each merged site closes, and what that does to the money quarter
//! by quarter (MODEL.md §8).
//!
//! A schedule gives merged sites a closure quarter (by hand, from a
//! schedule file, or from the [`scheduler`]); [`cash_flow`] turns it into
//! the one-time spending, savings, net and running total of every quarter
//! and year of the horizon, the payback quarter and each year's budget by
//! level. The figures per site are the outcome model's (`saving(m)` =
//! budget − absorb_cost, `one_time(m)` the migration cost), so a schedule
//! that closes every merged site in the first quarter saves, from the
//! second quarter on, a quarter of the summary's yearly savings a quarter.
//!
//! ```
//! use sitefold::timeline::Quarter;
//! assert_eq!(Quarter::parse("2027年第一季度").map(|q| q.to_string()), Some("2027Q1".into()));
//! ```

mod cashflow;
mod horizon;
mod quarter;
mod schedule;
mod scheduler;

pub use cashflow::{
    CashFlow, LevelBudget, QuarterFlow, Reason, UnscheduledSite, YearFlow, cash_flow, quarter_of,
};
pub use horizon::{Horizon, Limits};
pub use quarter::Quarter;
pub use schedule::{QUARTER_HEADERS, ScheduleFile, parse_schedule_file, write_schedule_csv};
pub use scheduler::{Scheduled, breaches, schedule};

use crate::inventory::{Inventory, Level};
use crate::outcome::Model;
use crate::plan::{Decision, TimelineParams};

/// An evaluated plan, as the timeline reads it: the inventory, the
/// model's per-site figures, every site's decision and the serving site
/// of every site (from the outcome of those decisions).
#[derive(Clone, Copy, Debug)]
pub struct Evaluated<'a> {
    /// The sites.
    pub inv: &'a Inventory,
    /// Per-site figures for the parameters.
    pub model: &'a Model,
    /// Decision per site.
    pub decisions: &'a [Decision],
    /// Serving site per site (`Outcome::serving`).
    pub serving: &'a [u32],
}

impl Evaluated<'_> {
    /// True when site `i` closes.
    pub fn is_merged(&self, i: usize) -> bool {
        crate::outcome::is_merged(self.inv, self.decisions, i)
    }

    /// The site that serves site `i`'s citizens.
    pub fn serving(&self, i: usize) -> usize {
        self.serving.get(i).map_or(i, |&t| t as usize)
    }

    /// The level of the site serving site `i`.
    pub fn serving_level(&self, i: usize) -> Level {
        self.inv.site(self.serving(i)).level
    }
}

/// A schedule with its cash flow.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// The quarters covered.
    pub horizon: Horizon,
    /// The scheduler's limits.
    pub limits: Limits,
    /// The closure quarter of every site (given, and found by the
    /// scheduler when it ran).
    pub quarters: Vec<Option<Quarter>>,
    /// Sites the scheduler placed (0 when it did not run).
    pub placed: usize,
    /// The cash flow of `quarters`.
    pub flow: CashFlow,
}

/// The timeline of `plan` with the quarters `given` (by site index) and
/// the horizon and limits of `params`: with `fill`, the scheduler first
/// gives a quarter to the merged sites that have none.
pub fn plan_timeline(
    plan: &Evaluated<'_>,
    given: &[Option<Quarter>],
    params: &TimelineParams,
    fill: bool,
) -> Timeline {
    let horizon = Horizon::of(params);
    let limits = Limits::of(params);
    let (quarters, placed, unfit) = if fill {
        let s = schedule(plan, given, horizon, &limits);
        (s.quarters, s.placed, s.unfit)
    } else {
        (given.to_vec(), 0, Vec::new())
    };
    let mut flow = cash_flow(plan, &quarters, horizon);
    flow.explain(&unfit);
    Timeline {
        horizon,
        limits,
        quarters,
        placed,
        flow,
    }
}

#[cfg(test)]
mod tests;
