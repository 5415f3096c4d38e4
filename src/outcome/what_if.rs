//! What the other decision for one site would change, worked out before
//! the planner makes it: the plan evaluated again with that one site's
//! decision turned round, compared with the plan as it is.

use crate::inventory::Inventory;
use crate::money::Money;
use crate::plan::Decision;

use super::{Evaluator, Model, Outcome};

/// What the other decision for one site would change.
#[derive(Clone, Debug, PartialEq)]
pub struct WhatIf {
    /// The site.
    pub site: usize,
    /// The decision tried: merge into the nearest kept ancestor when the
    /// site is kept today, keep when it is merged.
    pub alternative: Decision,
    /// Annual cost after the change minus now (yuan per year).
    pub delta_cost: Money,
    /// One-time cost after the change minus now (yuan).
    pub delta_one_time: Money,
    /// Coverage after the change minus now, in percentage points.
    pub delta_coverage_pp: Option<f64>,
    /// The receiving site whose load changes: the new target of a merge,
    /// or the site that absorbs it today when it would be kept.
    pub receiver: Option<usize>,
    /// Sites the receiver absorbs now.
    pub load_now: usize,
    /// Sites the receiver absorbs after the change.
    pub load_after: usize,
    /// The receiver would be over capacity.
    pub over_capacity: bool,
    /// Sites the site itself would absorb after the change (when kept).
    pub absorbs_after: usize,
}

impl WhatIf {
    /// Compares the document's outcome with `alt`, the outcome of the plan
    /// with `site` given `alternative`.
    pub fn compare(current: &Outcome, alt: &Outcome, site: usize, alternative: Decision) -> WhatIf {
        let absorbed = |o: &Outcome, t: usize| {
            o.targets
                .iter()
                .find(|r| r.site == t)
                .map_or((0, false), |r| (r.absorbed_sites, r.over_capacity))
        };
        let receiver = if alternative.is_merge() {
            alt.serving.get(site).map(|&t| t as usize)
        } else {
            current.serving.get(site).map(|&t| t as usize)
        }
        .filter(|&t| t != site);
        let (load_now, _) = receiver.map_or((0, false), |r| absorbed(current, r));
        let (load_after, over_capacity) = receiver.map_or((0, false), |r| absorbed(alt, r));
        let delta_coverage_pp = match (current.coverage.after, alt.coverage.after) {
            (Some(a), Some(b)) => Some((b - a) * 100.0),
            _ => None,
        };
        WhatIf {
            site,
            alternative,
            delta_cost: alt.annual_cost.after - current.annual_cost.after,
            delta_one_time: alt.one_time_cost - current.one_time_cost,
            delta_coverage_pp,
            receiver,
            load_now,
            load_after,
            over_capacity,
            absorbs_after: if alternative.is_merge() {
                0
            } else {
                absorbed(alt, site).0
            },
        }
    }
}

/// The decision the what-if tries for `site`: none for a top site (always
/// kept), merge into the nearest kept ancestor when kept, keep when merged.
pub fn alternative(inv: &Inventory, decisions: &[Decision], site: usize) -> Option<Decision> {
    if site >= inv.len() || inv.parent(site).is_none() {
        return None;
    }
    let merged = decisions.get(site).is_some_and(|d| d.is_merge());
    Some(if merged {
        Decision::Keep
    } else {
        Decision::Merge { target: None }
    })
}

/// The what-if of `site` in the plan `decisions` (whose outcome is
/// `current`): one evaluation of the whole plan.
pub fn what_if(
    inv: &Inventory,
    model: &Model,
    decisions: &[Decision],
    current: &Outcome,
    site: usize,
    evaluator: &mut Evaluator,
) -> Option<WhatIf> {
    let alt = alternative(inv, decisions, site)?;
    let mut changed = decisions.to_vec();
    *changed.get_mut(site)? = alt;
    let outcome = evaluator.evaluate(inv, model, &changed);
    Some(WhatIf::compare(current, &outcome, site, alt))
}
