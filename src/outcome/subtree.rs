//! Per-site figures of each subtree (sites, merged, failing), counted in
//! one pass and kept up to date as decisions change.

use crate::inventory::Inventory;
use crate::plan::Decision;

/// True when site `i` closes under `decisions` (a top site never does).
pub fn is_merged(inv: &Inventory, decisions: &[Decision], i: usize) -> bool {
    inv.parent(i).is_some() && decisions.get(i).is_some_and(|d| d.is_merge())
}

/// Per-site subtree figures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SubtreeCounts {
    /// Sites in the subtree, the site included.
    pub sites: Vec<u32>,
    /// Merged sites in the subtree.
    pub merged: Vec<u32>,
    /// Failing sites in the subtree.
    pub failing: Vec<u32>,
}

impl SubtreeCounts {
    /// Counts every subtree in one pass: children come after their parents
    /// in `parents_first`, so walking it backwards finishes each child
    /// before adding it to its parent.
    pub fn compute(inv: &Inventory, decisions: &[Decision], passes: &[bool]) -> SubtreeCounts {
        let n = inv.len();
        let mut c = SubtreeCounts {
            sites: vec![1; n],
            merged: (0..n)
                .map(|i| u32::from(is_merged(inv, decisions, i)))
                .collect(),
            failing: (0..n)
                .map(|i| u32::from(!passes.get(i).copied().unwrap_or(false)))
                .collect(),
        };
        for &i in inv.parents_first().iter().rev() {
            let i = i as usize;
            if let Some(p) = inv.parent(i) {
                c.sites[p] += c.sites[i];
                c.merged[p] += c.merged[i];
                c.failing[p] += c.failing[i];
            }
        }
        c
    }

    /// Brings the merged counts up to date after decisions changed (same
    /// inventory and pass results): each site whose merged state differs
    /// from `was` adds or takes one along its ancestors.
    pub fn update_merged(&mut self, inv: &Inventory, decisions: &[Decision], was: &mut [bool]) {
        for (i, flag) in was.iter_mut().enumerate() {
            let now = is_merged(inv, decisions, i);
            if now == *flag {
                continue;
            }
            *flag = now;
            let mut at = Some(i);
            while let Some(a) = at {
                if let Some(m) = self.merged.get_mut(a) {
                    *m = if now { *m + 1 } else { m.saturating_sub(1) };
                }
                at = inv.parent(a);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

        /// Counts kept up to date equal counts made afresh.
        #[test]
        fn updated_counts_equal_fresh_ones(seed in 0u64..1000, flips in prop::collection::vec(0usize..300, 1..40)) {
            let (inv, _) = Inventory::link(crate::generate::generate(300, seed));
            let n = inv.len();
            let passes: Vec<bool> = (0..n).map(|i| i % 3 != 0).collect();
            let mut decisions = vec![Decision::Keep; n];
            let mut counts = SubtreeCounts::compute(&inv, &decisions, &passes);
            let mut was: Vec<bool> = (0..n).map(|i| is_merged(&inv, &decisions, i)).collect();
            for f in flips {
                let i = f % n;
                decisions[i] = if decisions[i].is_merge() { Decision::Keep } else { Decision::Merge { target: None } };
                counts.update_merged(&inv, &decisions, &mut was);
                prop_assert_eq!(&counts, &SubtreeCounts::compute(&inv, &decisions, &passes));
            }
            // A site's subtree counts itself: the roots count everything.
            let total: u32 = (0..n).filter(|&i| inv.parent(i).is_none()).map(|i| counts.sites[i]).sum();
            prop_assert_eq!(total as usize, n);
        }
    }
}
