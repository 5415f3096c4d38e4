//! Quantities derived from the inventory alone.

use super::model::{Inventory, Kind};

/// own_pop of every site: for a portal, its population less its portal
/// children's (never below 0); for a department, 0. Each resident is so
/// counted once, at the most local portal.
///
/// Returns the values and the sites where the clamp to 0 was needed, with
/// the children's total.
pub fn own_population(inv: &Inventory) -> (Vec<u64>, Vec<(usize, u64)>) {
    let sites = inv.sites();
    let mut own = vec![0u64; sites.len()];
    let mut clamped = Vec::new();
    for (i, s) in sites.iter().enumerate() {
        if s.kind != Kind::Portal {
            continue;
        }
        let children: u64 = inv
            .children(i)
            .iter()
            .map(|&c| &sites[c as usize])
            .filter(|c| c.kind == Kind::Portal)
            .fold(0u64, |acc, c| acc.saturating_add(c.population));
        if children > s.population {
            clamped.push((i, children));
        } else {
            own[i] = s.population - children;
        }
    }
    (own, clamped)
}
