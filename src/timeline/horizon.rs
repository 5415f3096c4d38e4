//! The quarters a timeline covers and the scheduler's limits, as the
//! parameters set them.

use serde::Serialize;

use crate::money::Money;
use crate::plan::TimelineParams;

use super::Quarter;

/// The quarters a timeline covers: `years` × 4 from `start` on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Horizon {
    /// The first quarter.
    pub start: Quarter,
    /// Years covered (four quarters each).
    pub years: u32,
}

impl Horizon {
    /// The horizon the parameters set (the quarter after today when they
    /// name no start).
    pub fn of(params: &TimelineParams) -> Horizon {
        Horizon {
            start: params.start_quarter.unwrap_or_else(Quarter::after_today),
            years: params.horizon_years.max(1),
        }
    }

    /// How many quarters.
    pub fn len(self) -> usize {
        self.years as usize * 4
    }

    /// Never: a horizon has at least one year.
    pub fn is_empty(self) -> bool {
        false
    }

    /// The last quarter covered.
    pub fn end(self) -> Quarter {
        self.start.plus(self.years * 4 - 1)
    }

    /// The position of `q` in the horizon; `None` outside it.
    pub fn index(self, q: Quarter) -> Option<usize> {
        let k = q.since(self.start);
        (0..self.len() as i64).contains(&k).then_some(k as usize)
    }

    /// The quarter at position `k`.
    pub fn quarter(self, k: usize) -> Quarter {
        self.start.plus(k as u32)
    }

    /// Every quarter, in order.
    pub fn quarters(self) -> impl Iterator<Item = Quarter> {
        (0..self.len()).map(move |k| self.quarter(k))
    }
}

/// The scheduler's limits (each optional: `None` is no limit).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Most closures in one quarter.
    pub max_closures_per_quarter: Option<u64>,
    /// Most closures into one receiving site in one quarter.
    pub max_closures_per_target_per_quarter: Option<u64>,
    /// Most one-time spending in one calendar year.
    pub max_one_time_per_year: Option<Money>,
}

impl Limits {
    /// The limits the parameters set.
    pub fn of(params: &TimelineParams) -> Limits {
        Limits {
            max_closures_per_quarter: params.max_closures_per_quarter,
            max_closures_per_target_per_quarter: params.max_closures_per_target_per_quarter,
            max_one_time_per_year: params.max_one_time_per_year,
        }
    }

    /// True when no limit is set.
    pub fn is_none(&self) -> bool {
        *self == Limits::default()
    }
}
