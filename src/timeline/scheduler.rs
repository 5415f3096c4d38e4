//! The scheduler (MODEL.md §8): closure quarters for the merged sites
//! that have none, keeping the ones given, within the limits.
//!
//! It aims at the largest running total at the end of the horizon. A site
//! closing in quarter k of H (0-based) adds saving/4 × (H − 1 − k) −
//! one_time to it, so a site that saves closes as early as it can and one
//! that costs more than it saves as late as it can. Sites are placed one
//! by one, greedily: those that save first, the best first (by saving per
//! yuan of one-time cost when one-time spending is limited, else by
//! saving: with only closures limited, giving the earliest quarters to the
//! largest savings is best), then the others, the costliest first into the
//! last quarters. Each goes into the first quarter (or last) where it
//! breaks no limit; the quarters given count against the limits as well,
//! so a limit the given ones already break gets no more. A site that fits
//! nowhere stays unscheduled, with why.
//!
//! Limits only grow tighter as sites are placed, so a site that did not
//! fit when its turn came fits nowhere in the finished schedule either:
//! scheduling the finished schedule again changes nothing.

use std::cmp::Ordering;

use rustc_hash::FxHashMap;

use crate::money::Money;

use super::{Evaluated, Horizon, Limits, Quarter, Reason};

/// What the scheduler did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scheduled {
    /// The closure quarter of every site: those given, and those the
    /// scheduler found.
    pub quarters: Vec<Option<Quarter>>,
    /// How many sites the scheduler placed.
    pub placed: usize,
    /// The merged sites it could not place, in inventory order, with why.
    pub unfit: Vec<(usize, Reason)>,
}

/// One site to place.
struct Candidate {
    site: usize,
    saving: Money,
    one_time: Money,
    /// What orders the sites that save: saving, or saving per yuan of
    /// one-time cost.
    merit: f64,
}

/// How full the quarters are.
struct Load {
    per_quarter: Vec<u64>,
    per_target: FxHashMap<(u32, u32), u64>,
    /// One-time spending per calendar year, from the horizon's first year.
    per_year: Vec<Money>,
    first_year: i32,
}

impl Load {
    fn new(horizon: Horizon) -> Load {
        let first_year = horizon.start.year();
        let years = (horizon.end().year() - first_year + 1) as usize;
        Load {
            per_quarter: vec![0; horizon.len()],
            per_target: FxHashMap::default(),
            per_year: vec![Money::ZERO; years],
            first_year,
        }
    }

    fn year(&self, horizon: Horizon, k: usize) -> usize {
        (horizon.quarter(k).year() - self.first_year) as usize
    }

    fn add(&mut self, horizon: Horizon, k: usize, target: u32, one_time: Money) {
        self.per_quarter[k] += 1;
        *self.per_target.entry((target, k as u32)).or_default() += 1;
        let y = self.year(horizon, k);
        self.per_year[y] += one_time;
    }

    /// True when one more closure into `target` costing `one_time` in
    /// quarter `k` breaks no limit.
    fn fits(
        &self,
        horizon: Horizon,
        limits: &Limits,
        k: usize,
        target: u32,
        one_time: Money,
    ) -> bool {
        if limits
            .max_closures_per_quarter
            .is_some_and(|m| self.per_quarter[k] >= m)
        {
            return false;
        }
        if let Some(m) = limits.max_closures_per_target_per_quarter {
            let n = self
                .per_target
                .get(&(target, k as u32))
                .copied()
                .unwrap_or(0);
            if n >= m {
                return false;
            }
        }
        match limits.max_one_time_per_year {
            Some(cap) => self.per_year[self.year(horizon, k)] + one_time <= cap,
            None => true,
        }
    }
}

/// Gives a quarter to every merged site of `plan` without one in `given`
/// (by site index), keeping those given, within `limits` over `horizon`.
pub fn schedule(
    plan: &Evaluated<'_>,
    given: &[Option<Quarter>],
    horizon: Horizon,
    limits: &Limits,
) -> Scheduled {
    let n = plan.inv.len();
    let mut quarters: Vec<Option<Quarter>> =
        (0..n).map(|i| given.get(i).copied().flatten()).collect();
    let mut load = Load::new(horizon);
    let mut candidates = Vec::new();
    let by_ratio = limits.max_one_time_per_year.is_some();
    for (i, q) in quarters.iter().enumerate() {
        if !plan.is_merged(i) {
            continue;
        }
        let one_time = plan.model.migrate_cost(i);
        match q.and_then(|q| horizon.index(q)) {
            Some(k) => load.add(horizon, k, plan.serving(i) as u32, one_time),
            // Given a quarter outside the horizon: the planner's choice stands.
            None if q.is_some() => {}
            None => {
                let saving = plan.model.saving(i);
                let merit = if !by_ratio {
                    saving.to_f64()
                } else if one_time.is_zero() {
                    f64::INFINITY
                } else {
                    saving.to_f64() / one_time.to_f64()
                };
                candidates.push(Candidate {
                    site: i,
                    saving,
                    one_time,
                    merit,
                });
            }
        }
    }
    // Savers first, best first; then the others, costliest first.
    candidates.sort_by(|a, b| {
        let (sa, sb) = (a.saving.is_positive(), b.saving.is_positive());
        sb.cmp(&sa)
            .then_with(|| match sa {
                true => b.merit.partial_cmp(&a.merit).unwrap_or(Ordering::Equal),
                false => a.saving.cmp(&b.saving),
            })
            .then_with(|| a.site.cmp(&b.site))
    });
    let h = horizon.len();
    let mut unfit = Vec::new();
    let mut placed = 0;
    // Quarters before `open` are full (closures per quarter): a site that
    // saves starts looking there.
    let mut open = 0;
    for c in &candidates {
        if limits
            .max_one_time_per_year
            .is_some_and(|cap| c.one_time > cap)
        {
            unfit.push((c.site, Reason::OneTimeAboveYearlyLimit));
            continue;
        }
        let target = plan.serving(c.site) as u32;
        if let Some(m) = limits.max_closures_per_quarter {
            while open < h && load.per_quarter[open] >= m {
                open += 1;
            }
        }
        let found = if c.saving.is_positive() {
            (open..h).find(|&k| load.fits(horizon, limits, k, target, c.one_time))
        } else {
            (open..h)
                .rev()
                .find(|&k| load.fits(horizon, limits, k, target, c.one_time))
        };
        match found {
            Some(k) => {
                load.add(horizon, k, target, c.one_time);
                quarters[c.site] = Some(horizon.quarter(k));
                placed += 1;
            }
            None => unfit.push((c.site, Reason::NoRoom)),
        }
    }
    unfit.sort_unstable_by_key(|u| u.0);
    Scheduled {
        quarters,
        placed,
        unfit,
    }
}

/// The limits a schedule breaks within `horizon` (each quarter, target
/// and year over a limit, once), as text in `lang`: the quarters given by
/// hand may break them; the scheduler never does.
pub fn breaches(
    plan: &Evaluated<'_>,
    quarters: &[Option<Quarter>],
    horizon: Horizon,
    limits: &Limits,
    lang: crate::i18n::Lang,
) -> Vec<String> {
    let mut load = Load::new(horizon);
    for (i, q) in quarters.iter().enumerate() {
        if let Some(k) = q.and_then(|q| horizon.index(q))
            && plan.is_merged(i)
        {
            load.add(
                horizon,
                k,
                plan.serving(i) as u32,
                plan.model.migrate_cost(i),
            );
        }
    }
    let mut out = Vec::new();
    if let Some(m) = limits.max_closures_per_quarter {
        for (k, &c) in load.per_quarter.iter().enumerate() {
            if c > m {
                let q = horizon.quarter(k);
                out.push(match lang {
                    crate::i18n::Lang::Zh => format!("{q}：关停 {c} 个网站，超过每季度上限 {m}"),
                    crate::i18n::Lang::En => {
                        format!("{q}: {c} closures, above the limit of {m} per quarter")
                    }
                });
            }
        }
    }
    if let Some(m) = limits.max_closures_per_target_per_quarter {
        let mut over: Vec<(u32, u32, u64)> = load
            .per_target
            .iter()
            .filter(|&(_, &c)| c > m)
            .map(|(&(t, k), &c)| (k, t, c))
            .collect();
        over.sort_unstable();
        for (k, t, c) in over {
            let q = horizon.quarter(k as usize);
            let id = &plan.inv.site(t as usize).id;
            out.push(match lang {
                crate::i18n::Lang::Zh => {
                    format!("{q}：{c} 个网站并入 {id}，超过每个承接网站每季度上限 {m}")
                }
                crate::i18n::Lang::En => {
                    format!("{q}: {c} sites fold into {id}, above the limit of {m} per target per quarter")
                }
            });
        }
    }
    if let Some(cap) = limits.max_one_time_per_year {
        for (y, &spent) in load.per_year.iter().enumerate() {
            if spent > cap {
                let year = load.first_year + y as i32;
                let (spent, cap) = (spent.grouped(), cap.grouped());
                out.push(match lang {
                    crate::i18n::Lang::Zh => {
                        format!("{year} 年：一次性支出 {spent} 元，超过每年上限 {cap} 元")
                    }
                    crate::i18n::Lang::En => {
                        format!(
                            "{year}: one-time spending ¥{spent}, above the yearly limit of ¥{cap}"
                        )
                    }
                });
            }
        }
    }
    out
}
