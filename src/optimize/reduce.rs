//! A problem reduced to the sites still to decide.
//!
//! Once some sites are decided (locked, protected, or fixed because the
//! bound proves the other choice cannot beat the best plan), the rest of
//! the tree shrinks:
//!
//! - a merged site is served by whatever serves its nearest undecided or
//!   kept ancestor, so its residents, its saving and the sites it hands up
//!   fold into that ancestor;
//! - a kept site serves its merged region whatever happens above it, so
//!   it starts a tree of its own, and one without undecided sites below is
//!   a constant.
//!
//! The reduced problem has only free sites and the kept roots they hang
//! from; the constants go into its `base`, so every plan measures the same
//! in both.

use super::problem::{Fix, Held, NONE, Problem};
use crate::plan::Decision;

/// A reduced problem and the way back to the one it came from.
#[derive(Clone, Debug)]
pub(crate) struct Reduced {
    pub prob: Problem,
    /// Per site of the reduced problem, its index in the original.
    pub map: Vec<u32>,
    /// The original's merged flags for the sites the reduction decided.
    pub fixed: Vec<bool>,
}

impl Reduced {
    /// The original's merged flags for a plan of the reduced problem.
    pub(crate) fn expand(&self, merged: &[bool]) -> Vec<bool> {
        let mut out = self.fixed.clone();
        for (k, &i) in self.map.iter().enumerate() {
            if merged[k] {
                out[i as usize] = true;
            }
        }
        out
    }
}

/// Reduces `prob` under `fix` (the problem's own fixes, tightened).
/// `None` when the decided sites alone exceed the capacity.
pub(crate) fn reduce(prob: &Problem, fix: &[Fix]) -> Option<Reduced> {
    let n = prob.n;
    // The site each decided merge folds into: its nearest ancestor that is
    // kept or free (itself for those).
    let mut anchor = vec![NONE; n];
    let mut fixed = vec![false; n];
    let mut weight = prob.weight.clone();
    let mut extra: Vec<u64> = prob.extra.iter().map(|&e| e as u64).collect();
    let mut base = prob.base;
    for &i in &prob.order {
        let i = i as usize;
        let p = prob.parent[i];
        let merged = p != NONE && matches!(fix[i], Fix::Merge | Fix::Explicit);
        if !merged {
            anchor[i] = i as u32;
            continue;
        }
        let a = anchor[p as usize] as usize;
        anchor[i] = a as u32;
        fixed[i] = true;
        weight[a] += prob.weight[i];
        extra[a] += prob.extra[i] as u64 + (fix[i] == Fix::Merge) as u64;
        base.save += prob.save[i];
    }
    let kept = |i: usize| prob.parent[i] == NONE || fix[i] == Fix::Keep;
    // Kept sites with a free site right below (through decided merges)
    // start the reduced trees.
    let mut root = vec![false; n];
    for (i, &f) in fix.iter().enumerate() {
        let p = prob.parent[i];
        if f == Fix::Free && p != NONE {
            let a = anchor[p as usize] as usize;
            if kept(a) {
                root[a] = true;
            }
        }
    }
    let cap = prob.cap.map_or(u64::MAX, |c| c as u64);
    for i in 0..n {
        if kept(i) && !root[i] {
            if extra[i] > cap {
                return None;
            }
            base.kept += 1;
            if prob.pass[i] {
                base.passing += 1;
                base.covered += weight[i];
            }
        }
    }
    let mut index = vec![NONE; n];
    let mut map = Vec::new();
    for &i in &prob.order {
        let i = i as usize;
        let free = fix[i] == Fix::Free && prob.parent[i] != NONE;
        if free || root[i] {
            index[i] = map.len() as u32;
            map.push(i as u32);
        }
    }
    let m = map.len();
    let mut parent = vec![NONE; m];
    for (k, &i) in map.iter().enumerate() {
        let i = i as usize;
        if !root[i] {
            parent[k] = index[anchor[prob.parent[i] as usize] as usize];
        }
    }
    let mut child_start = vec![0u32; m + 1];
    for &p in &parent {
        if p != NONE {
            child_start[p as usize + 1] += 1;
        }
    }
    for k in 0..m {
        child_start[k + 1] += child_start[k];
    }
    let mut fill = child_start.clone();
    let mut child_list = vec![0u32; child_start[m] as usize];
    for (k, &p) in parent.iter().enumerate() {
        if p != NONE {
            child_list[fill[p as usize] as usize] = k as u32;
            fill[p as usize] += 1;
        }
    }
    let pick = |i: &u32| *i as usize;
    let reduced = Problem {
        n: m,
        order: (0..m as u32).collect(),
        child_start,
        child_list,
        save: map.iter().map(|i| prob.save[pick(i)]).collect(),
        pass: map.iter().map(|i| prob.pass[pick(i)]).collect(),
        weight: map.iter().map(|i| weight[pick(i)]).collect(),
        extra: map
            .iter()
            .map(|i| extra[pick(i)].min(u32::MAX as u64) as u32)
            .collect(),
        fix: parent
            .iter()
            .map(|&p| if p == NONE { Fix::Keep } else { Fix::Free })
            .collect(),
        held: parent
            .iter()
            .map(|&p| if p == NONE { Held::Top } else { Held::Free })
            .collect(),
        locked: vec![Decision::Keep; m],
        parent,
        floor: prob.floor,
        min_pass: prob.min_pass,
        cap: prob.cap,
        population: prob.population,
        covered_before: prob.covered_before,
        free: map.iter().filter(|&&i| !root[i as usize]).count(),
        scale: prob.scale,
        sites: prob.sites,
        base,
    };
    Some(Reduced {
        prob: reduced,
        map,
        fixed,
    })
}
