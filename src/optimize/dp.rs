//! The exact tree dynamic programme behind every bound and most plans.
//!
//! For weights (α, λ, μ) it maximises, over every plan that respects the
//! fixes (and the capacity, when there is one),
//!
//! ```text
//! α·Σ_merged save + λ·covered + μ·Σ_kept (passes − R)
//! ```
//!
//! Whether a site's residents are covered depends only on whether its
//! serving site passes, and a merged site (without explicit target) is
//! served by its nearest kept ancestor. So the state of a site is "does the
//! nearest kept strict ancestor pass?": two values per site, one pass
//! children-first, one pass parents-first to read the plan back.
//!
//! With a capacity N the state also carries how many merged sites the
//! subtree hands up to that ancestor (0..=N): the children of a site are
//! combined by a max-plus knapsack truncated at N, O(n·N) per run.

use super::problem::{Fix, NONE, Problem};

mod flip;
mod pareto;

pub(crate) use pareto::{Enumerated, Window};

/// The weights of the objective.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Weights {
    pub alpha: f64,
    pub lambda: f64,
    pub mu: f64,
}

impl Weights {
    pub(crate) fn lagrange(lambda: f64, mu: f64) -> Weights {
        Weights {
            alpha: 1.0,
            lambda,
            mu,
        }
    }
}

const NEG: f64 = f64::NEG_INFINITY;

/// Buffers of the programme, reused between runs.
#[derive(Clone, Debug, Default)]
pub(crate) struct Dp {
    acc: Vec<[f64; 2]>,
    /// Per site: keeping it, and merging it under each context (what its
    /// subtree is worth), for [`Dp::flips`].
    kv: Vec<[f64; 3]>,
    choice: Vec<u8>,
    /// The plan of the last run: merged flags.
    pub merged: Vec<bool>,
    upp: Vec<bool>,
    // Capacity tables: per site two tables (context 0 then 1) of tlen[i].
    tab: Vec<f64>,
    toff: Vec<usize>,
    tlen: Vec<u32>,
    h: [Vec<f64>; 2],
    tmp: Vec<f64>,
    arg: Vec<u32>,
    arg_off: Vec<usize>,
    items: Vec<(f64, u32)>,
    general: Vec<u32>,
    assign: Vec<(bool, u32)>,
    /// Outside tables of [`Dp::flips`] (capacity: per site two of cap + 1).
    out: Vec<f64>,
    /// Per site, the best objective with it kept and with it merged (−∞
    /// where the fixes forbid it), after [`Dp::flips`].
    pub flip: Vec<[f64; 2]>,
    /// The objective of the last run.
    total: f64,
    /// Runs so far.
    pub runs: usize,
    /// Sites processed so far (a measure of work).
    pub work: u64,
}

impl Dp {
    /// Runs the programme; returns the optimal objective (−∞ when no plan
    /// respects the fixes and the capacity) and leaves the plan in `merged`.
    pub(crate) fn solve(&mut self, prob: &Problem, fix: &[Fix], w: Weights) -> f64 {
        self.runs += 1;
        // The knapsack of a capacity costs about (cap + 1) times more.
        let cost = prob.cap.map_or(1, |c| (c as u64 + 1).min(64));
        self.work += prob.n as u64 * cost;
        let v = match prob.cap {
            None => self.solve_free(prob, fix, w),
            Some(cap) => self.solve_cap(prob, fix, w, cap as usize),
        };
        self.total = v + prob.base_value(w.alpha, w.lambda, w.mu);
        self.total
    }

    fn solve_free(&mut self, prob: &Problem, fix: &[Fix], w: Weights) -> f64 {
        let n = prob.n;
        self.acc.clear();
        self.acc.resize(n, [0.0; 2]);
        self.kv.resize(n, [0.0; 3]);
        self.choice.resize(n, 0);
        let r = prob.min_pass.unwrap_or(0.0);
        let (mu_pass, mu_fail) = (w.mu * (1.0 - r), -w.mu * r);
        let mut total = 0.0;
        for &i in prob.order.iter().rev() {
            let i = i as usize;
            let [c0, c1] = self.acc[i];
            let lw = w.lambda * prob.weight[i] as f64;
            let keep = if prob.pass[i] {
                mu_pass + lw + c1
            } else {
                mu_fail + c0
            };
            let sv = w.alpha * prob.save[i];
            let m0 = sv + c0;
            let m1 = sv + lw + c1;
            self.kv[i] = [keep, m0, m1];
            let (v0, v1, ch) = match fix[i] {
                Fix::Keep => (keep, keep, 0u8),
                Fix::Merge | Fix::Explicit => (m0, m1, 3u8),
                Fix::Free => {
                    let a = m0 > keep;
                    let b = m1 > keep;
                    (
                        if a { m0 } else { keep },
                        if b { m1 } else { keep },
                        a as u8 | (b as u8) << 1,
                    )
                }
            };
            self.choice[i] = ch;
            let p = prob.parent[i];
            if p == NONE {
                total += keep;
            } else {
                let a = &mut self.acc[p as usize];
                a[0] += v0;
                a[1] += v1;
            }
        }
        self.merged.resize(n, false);
        self.upp.resize(n, false);
        for &i in &prob.order {
            let i = i as usize;
            let p = prob.parent[i];
            if p == NONE {
                self.merged[i] = false;
                self.upp[i] = prob.pass[i];
                continue;
            }
            let ctx = self.upp[p as usize];
            let m = (self.choice[i] >> ctx as u8) & 1 == 1;
            self.merged[i] = m;
            self.upp[i] = if m { ctx } else { prob.pass[i] };
        }
        total
    }

    fn table(&self, i: usize, ctx: usize) -> &[f64] {
        let len = self.tlen[i] as usize;
        let off = self.toff[i] + ctx * len;
        &self.tab[off..off + len]
    }

    /// Max-plus knapsack of the children's tables under context `ctx`,
    /// truncated at `cap`, into `self.h[ctx]`.
    ///
    /// Children whose table has one entry add a constant; those with two
    /// (keep, or merge handing up one site) are unit items, combined by
    /// sorting their gains; only the others need the general O(len²) step.
    /// With `record`, the general steps' arg-max is kept for [`Dp::split`].
    fn knap(&mut self, prob: &Problem, i: usize, ctx: usize, cap: usize, record: bool) {
        let mut h = std::mem::take(&mut self.h[ctx]);
        let mut tmp = std::mem::take(&mut self.tmp);
        let mut arg = std::mem::take(&mut self.arg);
        let mut arg_off = std::mem::take(&mut self.arg_off);
        let mut items = std::mem::take(&mut self.items);
        let mut general = std::mem::take(&mut self.general);
        items.clear();
        general.clear();
        arg.clear();
        arg_off.clear();
        let mut base = 0.0;
        let mut forced = 0usize;
        for &c in prob.children(i) {
            let tc = self.table(c as usize, ctx);
            match *tc {
                [a] => base += a,
                [a, b] if a == NEG => {
                    base += b;
                    forced += 1;
                }
                [a, b] => {
                    base += a;
                    if b != NEG {
                        items.push((b - a, c));
                    }
                }
                _ => general.push(c),
            }
        }
        // Only the best (cap − forced) items can be taken.
        let room = cap.saturating_sub(forced);
        let by_gain =
            |x: &(f64, u32), y: &(f64, u32)| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(&y.1));
        if items.len() > 64 && room < items.len() / 2 {
            if room == 0 {
                items.clear();
            } else {
                items.select_nth_unstable_by(room - 1, by_gain);
                items.truncate(room);
            }
        }
        items.sort_unstable_by(by_gain);
        items.truncate(room);
        h.clear();
        if base == NEG || forced > cap {
            h.push(NEG);
        } else {
            h.resize(forced, NEG);
            let mut acc = base;
            h.push(acc);
            for &(d, _) in &items {
                if h.len() > cap {
                    break;
                }
                acc += d;
                h.push(acc);
            }
        }
        for &c in &general {
            let tc = self.table(c as usize, ctx);
            let len = (h.len() + tc.len() - 1).min(cap + 1);
            tmp.clear();
            tmp.resize(len, NEG);
            if record {
                let arg_base = arg.len();
                arg_off.push(arg_base);
                arg.resize(arg_base + len, 0);
                for (j1, &a) in h.iter().enumerate() {
                    if a == NEG {
                        continue;
                    }
                    let top = tc.len().min(len - j1);
                    for (j2, &b) in tc[..top].iter().enumerate() {
                        let v = a + b;
                        if v > tmp[j1 + j2] {
                            tmp[j1 + j2] = v;
                            arg[arg_base + j1 + j2] = j2 as u32;
                        }
                    }
                }
            } else {
                for (j1, &a) in h.iter().enumerate() {
                    let top = tc.len().min(len - j1);
                    let out = &mut tmp[j1..j1 + top];
                    for (o, &b) in out.iter_mut().zip(&tc[..top]) {
                        *o = o.max(a + b);
                    }
                }
            }
            std::mem::swap(&mut h, &mut tmp);
        }
        self.h[ctx] = h;
        self.tmp = tmp;
        self.arg = arg;
        self.arg_off = arg_off;
        self.items = items;
        self.general = general;
    }

    /// Hands `total` out among the children of `i` (after a recording
    /// [`Dp::knap`] under `ctx`).
    fn split(&mut self, prob: &Problem, i: usize, ctx: usize, total: usize) {
        let mut jj = total;
        for m in (0..self.general.len()).rev() {
            let c = self.general[m] as usize;
            let j2 = (self.arg[self.arg_off[m] + jj] as usize).min(jj);
            self.assign[c] = (ctx == 1, j2 as u32);
            jj -= j2;
        }
        let mut forced = 0;
        for &c in prob.children(i) {
            let c = c as usize;
            let tc = self.table(c, ctx);
            if tc.len() <= 2 {
                let f = tc.len() == 2 && tc[0] == NEG;
                forced += f as usize;
                self.assign[c] = (ctx == 1, f as u32);
            }
        }
        let take = jj.saturating_sub(forced).min(self.items.len());
        for k in 0..take {
            let c = self.items[k].1 as usize;
            self.assign[c] = (ctx == 1, 1);
        }
    }

    fn solve_cap(&mut self, prob: &Problem, fix: &[Fix], w: Weights, cap: usize) -> f64 {
        let n = prob.n;
        self.toff.resize(n, 0);
        self.tlen.resize(n, 0);
        self.kv.resize(n, [NEG; 3]);
        self.tab.clear();
        let r = prob.min_pass.unwrap_or(0.0);
        let (mu_pass, mu_fail) = (w.mu * (1.0 - r), -w.mu * r);
        let mut total = 0.0;
        let mut t: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        for &i in prob.order.iter().rev() {
            let i = i as usize;
            let f = fix[i];
            let p = prob.pass[i];
            let lw = w.lambda * prob.weight[i] as f64;
            if prob.child_start[i] == prob.child_start[i + 1] && prob.parent[i] != NONE {
                // A leaf: [keep, merge handing up 1 + extra].
                let e = prob.extra[i] as usize;
                let keep = if f.may_keep() && e <= cap {
                    if p { mu_pass + lw } else { mu_fail }
                } else {
                    NEG
                };
                self.kv[i][0] = keep;
                let sv = w.alpha * prob.save[i];
                self.toff[i] = self.tab.len();
                match f {
                    Fix::Keep => {
                        self.tlen[i] = 1;
                        self.tab.extend_from_slice(&[keep, keep]);
                    }
                    Fix::Explicit => {
                        self.tlen[i] = 1;
                        self.tab.extend_from_slice(&[sv, sv]);
                    }
                    Fix::Free | Fix::Merge if e == 0 && cap >= 1 => {
                        self.tlen[i] = 2;
                        self.tab.extend_from_slice(&[keep, sv, keep, sv + lw]);
                    }
                    Fix::Free | Fix::Merge => {
                        // A merge hands up more than one site.
                        let len = if e < cap { 2 + e } else { 1 };
                        self.tlen[i] = len as u32;
                        for a in 0..2 {
                            self.tab.push(keep);
                            if len > 1 {
                                self.tab.extend(std::iter::repeat_n(NEG, e));
                                self.tab.push(sv + if a == 1 { lw } else { 0.0 });
                            }
                        }
                    }
                }
                continue;
            }
            self.knap(prob, i, 0, cap, false);
            self.knap(prob, i, 1, cap, false);
            let e = prob.extra[i] as usize;
            let keep = if f.may_keep() && e <= cap {
                let hp = &self.h[p as usize];
                let lim = (cap - e).min(hp.len() - 1);
                let best = hp[..=lim].iter().copied().fold(NEG, f64::max);
                (if p { mu_pass + lw } else { mu_fail }) + best
            } else {
                NEG
            };
            self.kv[i][0] = keep;
            let sv = w.alpha * prob.save[i];
            let mut len = 1usize;
            for (a, ta) in t.iter_mut().enumerate() {
                ta.clear();
                ta.resize(cap + 1, NEG);
                let h = &self.h[a];
                match f {
                    Fix::Free | Fix::Merge => {
                        let shift = 1 + e;
                        let base = sv + if a == 1 { lw } else { 0.0 };
                        for (j, &v) in h.iter().enumerate() {
                            if shift + j > cap {
                                break;
                            }
                            ta[shift + j] = base + v;
                        }
                    }
                    Fix::Explicit => {
                        for (j, &v) in h.iter().enumerate() {
                            ta[j] = sv + v;
                        }
                    }
                    Fix::Keep => {}
                }
                if f.may_keep() && keep > ta[0] {
                    ta[0] = keep;
                }
                if let Some(last) = ta.iter().rposition(|&v| v != NEG) {
                    len = len.max(last + 1);
                }
            }
            self.toff[i] = self.tab.len();
            self.tlen[i] = len as u32;
            self.tab.extend_from_slice(&t[0][..len]);
            self.tab.extend_from_slice(&t[1][..len]);
            if prob.parent[i] == NONE {
                total += keep;
            }
        }
        self.merged.resize(n, false);
        if total == NEG {
            return NEG;
        }
        // Read the plan back, parents first: each site receives its context
        // and the count its subtree hands up.
        self.assign.resize(n, (false, 0));
        for &i in &prob.order {
            let i = i as usize;
            let (ctx, j) = if prob.parent[i] == NONE {
                (false, 0)
            } else {
                self.assign[i]
            };
            let e = prob.extra[i] as usize;
            let (merged, child_ctx, total_j) = match fix[i] {
                Fix::Explicit => (true, ctx, Some(j as usize)),
                _ if j == 0 => (false, prob.pass[i], None),
                _ => (true, ctx, Some(j as usize - 1 - e)),
            };
            self.merged[i] = merged && prob.parent[i] != NONE;
            if prob.children(i).is_empty() {
                continue;
            }
            let b = child_ctx as usize;
            self.knap(prob, i, b, cap, true);
            let h = &self.h[b];
            let jj = match total_j {
                Some(x) => x,
                None => {
                    let lim = (cap - e.min(cap)).min(h.len() - 1);
                    let mut best = 0;
                    for x in 0..=lim {
                        if h[x] > h[best] {
                            best = x;
                        }
                    }
                    best
                }
            };
            self.split(prob, i, b, jj);
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Inventory;
    use crate::optimize::{Floor, Options, Protection};
    use crate::outcome::Model;
    use crate::plan::{Decision, Params};

    /// With a capacity no plan can reach, the knapsack programme equals
    /// the plain one, and its plan is as good.
    #[test]
    fn capacity_programme_without_a_binding_capacity_equals_the_plain_one() {
        for seed in 1..4u64 {
            let (inv, _) = Inventory::link(crate::generate::generate(1500, seed));
            let model = Model::new(&inv, &Params::default());
            let locks: Vec<Option<Decision>> = (0..inv.len())
                .map(|i| match (i as u64 * 7 + seed) % 23 {
                    0 => Some(Decision::Keep),
                    1 if inv.parent(i).is_some() => Some(Decision::Merge { target: None }),
                    2 => inv
                        .ancestors(i)
                        .last()
                        .map(|t| Decision::merge_into(Some(t))),
                    _ => None,
                })
                .collect();
            let mut opts = Options {
                floor: Floor::Fraction(0.9),
                protect: Protection::none(),
                min_pass_rate: Some(0.8),
                ..Options::default()
            };
            let free = Problem::new(&inv, &model, &locks, &opts).unwrap();
            opts.max_absorbed = Some(inv.len() as u64);
            let capped = Problem::new(&inv, &model, &locks, &opts).unwrap();
            let mut a = Dp::default();
            let mut b = Dp::default();
            let mut upp = Vec::new();
            for (lambda, mu) in [(0.0, 0.0), (1.0, 0.0), (3.7, 12345.0), (0.01, 1e6)] {
                let w = Weights::lagrange(lambda, mu);
                let va = a.solve(&free, &free.fix, w);
                let vb = b.solve(&capped, &capped.fix, w);
                assert!((va - vb).abs() <= 1e-9 * va.abs().max(1.0), "{va} vs {vb}");
                // Each plan scores its value.
                for (p, dp, v) in [(&free, &a, va), (&capped, &b, vb)] {
                    let m = crate::optimize::problem::measure(p, &dp.merged, &mut upp);
                    let score = m.save + lambda * m.covered as f64 + mu * m.pass_slack(p);
                    assert!(
                        (score - v).abs() <= 1e-9 * v.abs().max(1.0),
                        "{score} vs {v}"
                    );
                }
            }
        }
    }

    /// The knapsack programme's plan respects the capacity and scores its
    /// value.
    #[test]
    fn capacity_programme_plans_respect_the_capacity() {
        let (inv, _) = Inventory::link(crate::generate::generate(2500, 9));
        let model = Model::new(&inv, &Params::default());
        for cap in [0u64, 1, 3, 8, 40] {
            let opts = Options {
                floor: Floor::Fraction(0.0),
                protect: Protection::parse("national,province").unwrap(),
                max_absorbed: Some(cap),
                ..Options::default()
            };
            let p = Problem::new(&inv, &model, &vec![None; inv.len()], &opts).unwrap();
            let mut dp = Dp::default();
            let v = dp.solve(&p, &p.fix, Weights::lagrange(0.5, 0.0));
            let mut upp = Vec::new();
            let m = crate::optimize::problem::measure(&p, &dp.merged, &mut upp);
            assert!((m.save + 0.5 * m.covered as f64 - v).abs() <= 1e-9 * v.abs().max(1.0));
            let d = p.decisions(&dp.merged);
            let params = Params {
                max_absorbed_per_target: Some(cap),
                ..Params::default()
            };
            let o = crate::outcome::evaluate(&inv, &Model::new(&inv, &params), &d);
            assert_eq!(o.over_capacity(), 0, "cap {cap}");
            if (1..=8).contains(&cap) {
                // The capacity binds somewhere.
                assert!(o.targets.iter().any(|t| t.absorbed_sites as u64 == cap));
            }
        }
    }
}
