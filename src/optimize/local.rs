//! Local moves on a plan: greedy improvement (merge more while every
//! constraint holds), coverage repair (moves that raise coverage without
//! lowering the pass rate) and pass-rate repair (moves that raise the pass
//! rate without lowering coverage).
//!
//! Each round recomputes the plan's structure in O(n), then accepts, best
//! first, moves that do not interact with a move already accepted in the
//! round, so every accepted move's effect is exact.

use super::problem::{Fix, Measure, NONE, Problem};

/// The structure of a plan: who serves whom and what each region holds.
#[derive(Default)]
pub(crate) struct Structure {
    /// Nearest kept site (itself when kept).
    up: Vec<u32>,
    /// Residents in the merged region hanging from a site (itself
    /// included): for a kept site, everyone it serves.
    sub_w: Vec<u64>,
    /// Absorbed count in that region: for a kept site, how many merged
    /// sites it absorbs.
    sub_r: Vec<u32>,
    touched: Vec<bool>,
    changed: Vec<bool>,
    cand: Vec<(f64, u32)>,
}

impl Structure {
    fn build(&mut self, prob: &Problem, merged: &[bool]) {
        let n = prob.n;
        self.up.resize(n, 0);
        self.sub_w.clear();
        self.sub_w.extend_from_slice(&prob.weight);
        self.sub_r.clear();
        self.sub_r.extend_from_slice(&prob.extra);
        for &i in prob.order.iter().rev() {
            let i = i as usize;
            let p = prob.parent[i];
            if p != NONE && merged[i] {
                let own = (prob.fix[i] != Fix::Explicit) as u32;
                self.sub_w[p as usize] += self.sub_w[i];
                self.sub_r[p as usize] += self.sub_r[i] + own;
            }
        }
        for &i in &prob.order {
            let i = i as usize;
            let p = prob.parent[i];
            self.up[i] = if p != NONE && merged[i] {
                self.up[p as usize]
            } else {
                i as u32
            };
        }
        self.touched.clear();
        self.touched.resize(n, false);
        self.changed.clear();
        self.changed.resize(n, false);
    }
}

/// Merges more sites while the floor, capacity and pass rate hold: pure
/// gains first, then the best savings per covered person lost.
pub(crate) fn improve(
    prob: &Problem,
    fix: &[Fix],
    merged: &mut [bool],
    m: &mut Measure,
    st: &mut Structure,
) {
    let cap = prob.cap.map(|c| c as u64);
    for _round in 0..1000 {
        st.build(prob, merged);
        st.cand.clear();
        for i in 0..prob.n {
            if fix[i] != Fix::Free || merged[i] || prob.save[i] <= 0.0 {
                continue;
            }
            let k = st.up[prob.parent[i] as usize] as usize;
            let loss = if prob.pass[i] && !prob.pass[k] {
                st.sub_w[i]
            } else {
                0
            };
            let key = if loss == 0 {
                f64::INFINITY
            } else {
                prob.save[i] / loss as f64
            };
            st.cand.push((key, i as u32));
        }
        if st.cand.is_empty() {
            return;
        }
        st.cand.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| prob.save[b.1 as usize].total_cmp(&prob.save[a.1 as usize]))
        });
        let mut accepted = 0;
        for idx in 0..st.cand.len() {
            let i = st.cand[idx].1 as usize;
            let k = st.up[prob.parent[i] as usize] as usize;
            if st.touched[i] || st.changed[i] || st.touched[k] {
                continue;
            }
            let covered = if prob.pass[i] == prob.pass[k] {
                m.covered
            } else if prob.pass[i] {
                m.covered - st.sub_w[i]
            } else {
                m.covered + st.sub_w[i]
            };
            if covered < prob.floor {
                continue;
            }
            let add = st.sub_r[i] as u64 + 1;
            if cap.is_some_and(|c| st.sub_r[k] as u64 + add > c) {
                continue;
            }
            let (kept, passing) = (m.kept - 1, m.passing - prob.pass[i] as usize);
            if !prob.pass_ok(passing, kept) {
                continue;
            }
            merged[i] = true;
            m.save += prob.save[i];
            m.covered = covered;
            m.kept = kept;
            m.passing = passing;
            st.sub_r[k] += add as u32;
            st.touched[i] = true;
            st.changed[k] = true;
            accepted += 1;
        }
        if accepted == 0 {
            return;
        }
    }
}

/// Raises coverage to the floor without lowering the pass rate, cheapest
/// per person first: merge a failing kept site under a passing one, or
/// keep a passing merged site served by a failing one. Returns true when
/// the floor is reached.
pub(crate) fn repair_floor(
    prob: &Problem,
    fix: &[Fix],
    merged: &mut [bool],
    m: &mut Measure,
    st: &mut Structure,
) -> bool {
    let cap = prob.cap.map(|c| c as u64);
    for _round in 0..10_000 {
        if m.covered >= prob.floor {
            return true;
        }
        st.build(prob, merged);
        st.cand.clear();
        for i in 0..prob.n {
            if fix[i] != Fix::Free {
                continue;
            }
            if merged[i] {
                let k = st.up[i] as usize;
                if prob.pass[i] && !prob.pass[k] && st.sub_w[i] > 0 {
                    st.cand.push((prob.save[i] / st.sub_w[i] as f64, i as u32));
                }
            } else {
                let k = st.up[prob.parent[i] as usize] as usize;
                if !prob.pass[i] && prob.pass[k] && st.sub_w[i] > 0 {
                    st.cand.push((-prob.save[i] / st.sub_w[i] as f64, i as u32));
                }
            }
        }
        if st.cand.is_empty() {
            return false;
        }
        st.cand
            .sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        let mut accepted = 0;
        for idx in 0..st.cand.len() {
            if m.covered >= prob.floor {
                return true;
            }
            let i = st.cand[idx].1 as usize;
            if merged[i] {
                let k = st.up[i] as usize;
                if st.touched[i] || st.touched[k] || st.changed[k] || st.changed[i] {
                    continue;
                }
                m.covered += st.sub_w[i];
                merged[i] = false;
                m.save -= prob.save[i];
                m.kept += 1;
                m.passing += 1;
                st.sub_r[k] -= st.sub_r[i] + 1;
                st.touched[i] = true;
                st.touched[k] = true;
                st.changed[k] = true;
            } else {
                let k = st.up[prob.parent[i] as usize] as usize;
                if st.touched[i] || st.changed[i] || st.touched[k] {
                    continue;
                }
                let add = st.sub_r[i] as u64 + 1;
                if cap.is_some_and(|c| st.sub_r[k] as u64 + add > c) {
                    continue;
                }
                m.covered += st.sub_w[i];
                merged[i] = true;
                m.save += prob.save[i];
                m.kept -= 1;
                st.sub_r[k] += add as u32;
                st.touched[i] = true;
                st.changed[k] = true;
            }
            accepted += 1;
        }
        if accepted == 0 {
            return m.covered >= prob.floor;
        }
    }
    m.covered >= prob.floor
}

/// Raises the pass rate without lowering coverage, cheapest first: merge a
/// failing kept site, or keep a passing merged one. Returns true when the
/// minimum pass rate is reached.
pub(crate) fn repair_pass(
    prob: &Problem,
    fix: &[Fix],
    merged: &mut [bool],
    m: &mut Measure,
    st: &mut Structure,
) -> bool {
    let Some(r) = prob.min_pass else {
        return true;
    };
    let cap = prob.cap.map(|c| c as u64);
    for _round in 0..10_000 {
        if prob.pass_ok(m.passing, m.kept) {
            return true;
        }
        st.build(prob, merged);
        st.cand.clear();
        for i in 0..prob.n {
            if fix[i] != Fix::Free {
                continue;
            }
            // Cost per unit of (passing − R·kept).
            if !merged[i] && !prob.pass[i] && r > 0.0 {
                st.cand.push((-prob.save[i] / r, i as u32));
            } else if merged[i] && prob.pass[i] && r < 1.0 {
                st.cand.push((prob.save[i] / (1.0 - r), i as u32));
            }
        }
        if st.cand.is_empty() {
            return false;
        }
        st.cand
            .sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        let mut accepted = 0;
        for idx in 0..st.cand.len() {
            if prob.pass_ok(m.passing, m.kept) {
                return true;
            }
            let i = st.cand[idx].1 as usize;
            if merged[i] {
                // Keep a passing merged site: it takes back its part of the
                // region; coverage can only rise.
                let k = st.up[i] as usize;
                if st.touched[i] || st.touched[k] || st.changed[k] || st.changed[i] {
                    continue;
                }
                if !prob.pass[k] {
                    m.covered += st.sub_w[i];
                }
                merged[i] = false;
                m.save -= prob.save[i];
                m.kept += 1;
                m.passing += 1;
                st.sub_r[k] -= st.sub_r[i] + 1;
                st.touched[i] = true;
                // Sites below now have a new nearest kept ancestor: nothing
                // near k is exact any more this round.
                st.touched[k] = true;
                st.changed[k] = true;
            } else {
                let k = st.up[prob.parent[i] as usize] as usize;
                if st.touched[i] || st.changed[i] || st.touched[k] {
                    continue;
                }
                let add = st.sub_r[i] as u64 + 1;
                if cap.is_some_and(|c| st.sub_r[k] as u64 + add > c) {
                    continue;
                }
                if prob.pass[k] {
                    m.covered += st.sub_w[i];
                }
                merged[i] = true;
                m.save += prob.save[i];
                m.kept -= 1;
                st.sub_r[k] += add as u32;
                st.touched[i] = true;
                st.changed[k] = true;
            }
            accepted += 1;
        }
        if accepted == 0 {
            return prob.pass_ok(m.passing, m.kept);
        }
    }
    prob.pass_ok(m.passing, m.kept)
}
