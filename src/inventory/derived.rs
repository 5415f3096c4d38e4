//! Quantities derived from the inventory alone.

use super::model::{Inventory, Kind, Site};

/// own_pop of every site: for a portal, its population less its portal
/// children's (never below 0); for a department, 0. Each resident is so
/// counted once, at the most local portal.
///
/// Returns the values and the sites where the clamp to 0 was needed, with
/// the children's total.
pub fn own_population(inv: &Inventory) -> (Vec<u64>, Vec<(usize, u64)>) {
    own_population_with_threads(inv, crate::par::threads_for(inv.len()))
}

/// [`own_population`] worked out in `threads` parts of the sites.
pub(crate) fn own_population_with_threads(
    inv: &Inventory,
    threads: usize,
) -> (Vec<u64>, Vec<(usize, u64)>) {
    let portal_pop = crate::par::collect(inv.len(), threads, |i| portal_population(inv.site(i)));
    let sites = inv.sites();
    let (own, clamped, _) = own_population_from(inv, &portal_pop, |i| sites[i].kind, threads);
    (own, clamped)
}

/// A site's population when it is a portal (what it takes from its parent
/// portal's own population), else 0.
pub(crate) fn portal_population(s: &Site) -> u64 {
    if s.kind == Kind::Portal {
        s.population
    } else {
        0
    }
}

/// [`own_population`] from every site's [`portal_population`] and kind
/// (read from dense lists rather than from the sites), in `threads`
/// parts; with Σ own_pop (saturating) besides.
pub(crate) fn own_population_from(
    inv: &Inventory,
    portal_pop: &[u64],
    kind: impl Fn(usize) -> Kind + Sync,
    threads: usize,
) -> (Vec<u64>, Vec<(usize, u64)>, u64) {
    let n = inv.len();
    let mut own = vec![0u64; n];
    let part = |start: usize, own: &mut [u64]| {
        let mut clamped = Vec::new();
        let mut total = 0u64;
        for (k, slot) in own.iter_mut().enumerate() {
            let i = start + k;
            if kind(i) != Kind::Portal {
                continue;
            }
            // A portal's population is its portal population.
            let population = portal_pop[i];
            let children = inv
                .children(i)
                .iter()
                .fold(0u64, |acc, &c| acc.saturating_add(portal_pop[c as usize]));
            if children > population {
                clamped.push((i, children));
            } else {
                *slot = population - children;
                total = total.saturating_add(*slot);
            }
        }
        (clamped, total)
    };
    let results = crate::par::map_parts(&mut own, threads, part);
    let mut clamped = Vec::new();
    let mut total = 0u64;
    for (c, t) in results {
        clamped.extend(c);
        // A saturating sum of amounts ≥ 0 is the same in any grouping.
        total = total.saturating_add(t);
    }
    (own, clamped, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Level, Site};
    use proptest::prelude::*;

    /// The definition, site by site, as MODEL.md §2 states it.
    fn by_definition(inv: &Inventory) -> (Vec<u64>, Vec<(usize, u64)>) {
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

    proptest! {
        #[test]
        fn own_population_in_parts_is_the_definition(
            rows in proptest::collection::vec((0usize..40, any::<bool>(), 0u64..1000, any::<bool>()), 0..120),
            threads in 1usize..5,
        ) {
            let sites: Vec<Site> = rows
                .iter()
                .enumerate()
                .map(|(i, &(parent, portal, pop, huge))| {
                    let mut s = Site::new(format!("s{i}"), Level::County);
                    if parent < i {
                        s.parent_id = format!("s{parent}").into();
                    }
                    s.kind = if portal { Kind::Portal } else { Kind::Department };
                    s.population = if huge { u64::MAX - pop } else { pop };
                    s
                })
                .collect();
            let (inv, _) = Inventory::link(sites);
            let (own, clamped) = own_population_with_threads(&inv, threads);
            let (want_own, want_clamped) = by_definition(&inv);
            prop_assert_eq!(&own, &want_own);
            prop_assert_eq!(clamped, want_clamped);
            let pp: Vec<u64> = inv.sites().iter().map(portal_population).collect();
            let (_, _, total) = own_population_from(&inv, &pp, |i| inv.site(i).kind, threads);
            prop_assert_eq!(total, want_own.iter().fold(0u64, |a, &p| a.saturating_add(p)));
        }
    }
}
