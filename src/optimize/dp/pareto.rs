//! Every plan that could beat a cutoff, by a dynamic programme over sets.
//!
//! The single coverage floor couples the tree's parts like a knapsack's
//! capacity: the Lagrangian bound is tight up to how well the plans can
//! fill the floor, and near the bound there are many plans that differ in
//! a few sites. Branching on them one by one goes round in circles; this
//! programme instead keeps, for each subtree, context and count handed up,
//! the set of partial plans no other partial plan beats on both savings and
//! coverage (and pass rate), and drops every partial plan whose best
//! completion (the outside tables of `flip.rs`) cannot reach the cutoff.
//! What is left at the top is every plan saving more than the cutoff, up
//! to dominance: the best feasible one among them is optimal, and when
//! there is none, the cutoff is an upper bound.
//!
//! The sets stay small when the cutoff is near the Lagrangian bound; the
//! caller widens the window step by step, and gives up (back to branch and
//! bound) past a number of partial plans.

use std::time::Instant;

use super::flip::conv;
use super::{Dp, NEG, Weights};
use crate::optimize::StoppedBy;
use crate::optimize::problem::{Fix, NONE, Problem};

/// A partial plan: its figures and how it was built. A site's state has
/// `a` = site (with [`MERGED`] when merged) and `b` = the combination of
/// its children's states; a combination has `a` = the combination before
/// and `b` = the child's state added.
#[derive(Clone, Copy, Debug)]
struct St {
    save: f64,
    cov: u64,
    passing: u32,
    kept: u32,
    a: u32,
    b: u32,
}

const MERGED: u32 = 1 << 31;
/// The empty combination.
const EMPTY: u32 = 0;

/// What the enumeration found.
pub(crate) enum Enumerated {
    /// Every plan saving more than the cutoff was looked at: the best
    /// feasible one (merged flags, savings), if any.
    Done(Option<(Vec<bool>, f64)>),
    /// Too many partial plans: given up.
    TooMany,
    /// The deadline passed, or the caller cancelled.
    Stopped(StoppedBy),
}

/// Limits of one enumeration.
pub(crate) struct Window<'a> {
    /// Only plans saving more than this count.
    pub cutoff: f64,
    /// Most partial plans kept.
    pub max_states: usize,
    /// A search for good plans rather than a proof: across the trees,
    /// keep only this many combinations, the most promising first. The plan
    /// found is then feasible but not proven best.
    pub beam: Option<usize>,
    pub deadline: Option<Instant>,
    /// Progress (0..1 as the caller shows it); false cancels.
    pub progress: &'a dyn Fn(f32) -> bool,
    /// What to report as progress.
    pub fraction: f32,
}

struct Run<'a> {
    w: Weights,
    r: f64,
    /// Keep a partial plan only when its bound reaches this.
    keep_above: f64,
    pass: bool,
    arena: Vec<St>,
    max_states: usize,
    deadline: Option<Instant>,
    progress: &'a dyn Fn(f32) -> bool,
    fraction: f32,
    /// Candidates looked at (a measure of time).
    work: u64,
    max_work: u64,
    next_check: u64,
    stopped: Option<StoppedBy>,
    stair: std::collections::BTreeMap<u64, f64>,
}

impl Run<'_> {
    fn val(&self, s: &St) -> f64 {
        self.w.alpha * s.save
            + self.w.lambda * s.cov as f64
            + self.w.mu * (s.passing as f64 - self.r * s.kept as f64)
    }

    fn gave_up(&self) -> Enumerated {
        if let Some(s) = self.stopped {
            Enumerated::Stopped(s)
        } else {
            Enumerated::TooMany
        }
    }

    fn full(&mut self) -> bool {
        if self.work >= self.next_check {
            self.next_check = self.work + 100_000;
            if self.deadline.is_some_and(|d| Instant::now() >= d) {
                self.stopped = Some(StoppedBy::Time);
            } else if !(self.progress)(self.fraction) {
                self.stopped = Some(StoppedBy::Cancel);
            }
        }
        self.stopped.is_some() || self.arena.len() > self.max_states || self.work > self.max_work
    }

    /// Keeps the candidates no other beats on savings, coverage and (with
    /// a minimum pass rate) pass-rate slack; adds them to the arena and
    /// returns their indices.
    fn pareto(&mut self, cand: &mut Vec<St>, out: &mut Vec<u32>) {
        out.clear();
        cand.sort_unstable_by(|x, y| y.cov.cmp(&x.cov).then_with(|| y.save.total_cmp(&x.save)));
        let mut best = f64::NEG_INFINITY;
        let r = self.r;
        let slack = |s: &St| s.passing as f64 - r * s.kept as f64;
        // With a pass rate, the kept candidates' (savings, slack) staircase:
        // coverage falls along the sorted list, so a candidate is beaten
        // when a kept one has at least its savings and slack.
        let mut stair = std::mem::take(&mut self.stair);
        stair.clear();
        for c in cand.iter() {
            if self.pass {
                let (k, l) = (order_key(c.save), slack(c));
                if stair.range(k..).next().is_some_and(|(_, &ls)| ls >= l) {
                    continue;
                }
                let below: Vec<u64> = stair
                    .range(..=k)
                    .rev()
                    .take_while(|(_, ls)| **ls <= l)
                    .map(|(&key, _)| key)
                    .collect();
                for key in below {
                    stair.remove(&key);
                }
                stair.insert(k, l);
            } else if c.save <= best {
                continue;
            }
            best = c.save;
            out.push(self.arena.len() as u32);
            self.arena.push(*c);
        }
        self.work += cand.len() as u64;
        cand.clear();
        self.stair = stair;
    }
}

/// A key that orders like the float.
fn order_key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | 1 << 63 }
}

/// Multipliers at which the trees still to combine are bounded: 0, and a
/// fine grid around λ (and, with a pass rate, a coarser one around μ).
fn multipliers(lambda: f64, mu: f64, pass: bool) -> Vec<(f64, f64)> {
    let mut lams = vec![0.0];
    if lambda > 0.0 {
        lams.push(lambda);
        for j in 1..=12 {
            let f = 0.5f64.powi(j);
            lams.push(lambda * (1.0 + f));
            lams.push(lambda * (1.0 - f));
        }
        for f in [2.0, 4.0, 8.0] {
            lams.push(lambda * f);
        }
    }
    let mus: Vec<f64> = if pass && mu > 0.0 {
        [
            0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0, 1.01, 1.05, 1.1, 1.25, 2.0,
        ]
        .iter()
        .map(|f| mu * f)
        .collect()
    } else {
        vec![mu]
    };
    lams.iter()
        .flat_map(|&l| mus.iter().map(move |&m| (l, m)))
        .collect()
}

impl Dp {
    /// After [`Dp::solve`] and [`Dp::flips`] with weights `w` on `prob`
    /// under its own fixes (kept roots and free sites only, as a reduced
    /// problem has), every plan saving more than `window.cutoff`.
    pub(crate) fn enumerate(&self, prob: &Problem, w: Weights, window: &Window<'_>) -> Enumerated {
        let n = prob.n;
        if self.total == NEG
            || prob
                .fix
                .iter()
                .any(|f| matches!(f, Fix::Merge | Fix::Explicit))
        {
            return Enumerated::TooMany;
        }
        let capped = prob.cap.is_some();
        let cap = prob.cap.map_or(0, |c| c as usize);
        let len = if capped { cap + 1 } else { 1 };
        let r = prob.min_pass.unwrap_or(0.0);
        let owed = w.lambda * prob.floor as f64;
        let tol = prob.tol(w.lambda, w.mu);
        let mut run = Run {
            w,
            r,
            keep_above: window.cutoff - tol,
            pass: prob.min_pass.is_some(),
            arena: vec![St {
                save: 0.0,
                cov: 0,
                passing: 0,
                kept: 0,
                a: u32::MAX,
                b: u32::MAX,
            }],
            max_states: window.max_states,
            deadline: window.deadline,
            progress: window.progress,
            fraction: window.fraction,
            work: 0,
            max_work: 40 * window.max_states as u64,
            next_check: 0,
            stopped: None,
            stair: std::collections::BTreeMap::new(),
        };
        let (mu_pass, mu_fail) = (w.mu * (1.0 - r), -w.mu * r);
        // Each site's inside table by context (what its subtree is worth
        // for each count handed up).
        let inside = |i: usize, b: usize| -> Vec<f64> {
            if capped {
                self.table(i, b).to_vec()
            } else {
                let kv = self.kv[i];
                vec![match prob.fix[i] {
                    Fix::Keep => kv[0],
                    _ => kv[0].max(kv[1 + b]),
                }]
            }
        };
        // Outside tables, from the flips.
        let outside = |i: usize, b: usize, j: usize| -> f64 {
            if capped {
                self.out[(2 * i + b) * len + j]
            } else {
                self.out[2 * i + b]
            }
        };
        // Per site, context and count: the partial plans kept.
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); 2 * n * len];
        let at = |i: usize, b: usize, j: usize| (2 * i + b) * len + j;
        let mut suf: Vec<Vec<f64>> = Vec::new();
        let mut rest: Vec<f64> = Vec::new();
        let mut combos: Vec<Vec<u32>> = vec![Vec::new(); len];
        let mut next: Vec<Vec<u32>> = vec![Vec::new(); len];
        let mut cands: Vec<Vec<St>> = vec![Vec::new(); len];
        let mut own_cands: Vec<Vec<St>> = vec![Vec::new(); 2 * len];
        for &i in prob.order.iter().rev() {
            let i = i as usize;
            let top = prob.parent[i] == NONE;
            let e = prob.extra[i] as usize;
            let lw = w.lambda * prob.weight[i] as f64;
            let own_keep = if prob.pass[i] { mu_pass + lw } else { mu_fail };
            let ostar = (0..2).map(|b| outside(i, b, 0)).fold(NEG, f64::max);
            let kids = prob.children(i);
            // (choice, child context): keep under the site's own pass, and
            // merge under each context.
            let mut choices: Vec<(bool, usize)> = Vec::new();
            if prob.fix[i].may_keep() && e <= if capped { cap } else { usize::MAX } {
                choices.push((false, prob.pass[i] as usize));
            }
            if !top && prob.fix[i] == Fix::Free && (!capped || e < cap) {
                choices.push((true, 0));
                choices.push((true, 1));
            }
            for (merge, beta) in choices {
                // What the site's own choice leaves for the rest, by the
                // count its children hand up.
                let own = |t: usize| -> f64 {
                    if merge {
                        let j = if capped { 1 + e + t } else { 0 };
                        if j >= len {
                            return NEG;
                        }
                        let o = outside(i, beta, j);
                        o + w.alpha * prob.save[i] + if beta == 1 { lw } else { 0.0 }
                    } else if capped && t + e > cap {
                        NEG
                    } else {
                        ostar + own_keep
                    }
                };
                // Suffix tables of the children's inside values.
                let d = kids.len();
                suf.resize_with(d + 1, Vec::new);
                suf[d].clear();
                suf[d].push(0.0);
                for k in (0..d).rev() {
                    let t = inside(kids[k] as usize, beta);
                    let (a, b) = suf.split_at_mut(k + 1);
                    conv(&b[0], &t, len, &mut a[k]);
                }
                for c in combos.iter_mut() {
                    c.clear();
                }
                combos[0].push(EMPTY);
                for k in 0..d {
                    let c = kids[k] as usize;
                    // Best completion for each count so far.
                    rest.clear();
                    rest.resize(len, NEG);
                    for (jj, r) in rest.iter_mut().enumerate() {
                        for (q, &v) in suf[k + 1].iter().enumerate() {
                            if jj + q >= len && capped {
                                break;
                            }
                            if v > NEG {
                                *r = r.max(own(jj + q) + v);
                            }
                        }
                    }
                    for cj in cands.iter_mut() {
                        cj.clear();
                    }
                    let mut count = 0usize;
                    for (j1, before) in combos.iter().enumerate() {
                        if before.is_empty() {
                            continue;
                        }
                        for j2 in 0..len - j1 {
                            let j = j1 + j2;
                            let kid = &lists[at(c, beta, j2)];
                            if kid.is_empty() || rest[j] == NEG {
                                continue;
                            }
                            run.work += (before.len() * kid.len()) as u64;
                            if run.full() {
                                return run.gave_up();
                            }
                            for &s1 in before {
                                let x = run.arena[s1 as usize];
                                for &s2 in kid {
                                    let y = run.arena[s2 as usize];
                                    let s = St {
                                        save: x.save + y.save,
                                        cov: x.cov + y.cov,
                                        passing: x.passing + y.passing,
                                        kept: x.kept + y.kept,
                                        a: s1,
                                        b: s2,
                                    };
                                    if run.val(&s) + rest[j] - owed >= run.keep_above {
                                        cands[j].push(s);
                                        count += 1;
                                    }
                                }
                            }
                            if count > run.max_states {
                                return Enumerated::TooMany;
                            }
                        }
                    }
                    for j in 0..len {
                        let mut cj = std::mem::take(&mut cands[j]);
                        run.pareto(&mut cj, &mut next[j]);
                        cands[j] = cj;
                    }
                    if run.full() {
                        return run.gave_up();
                    }
                    std::mem::swap(&mut combos, &mut next);
                }
                // The site's own states.
                for (jj, combo) in combos.iter().enumerate() {
                    if combo.is_empty() {
                        continue;
                    }
                    let j = if merge && capped { 1 + e + jj } else { 0 };
                    if j >= len || (!merge && capped && jj + e > cap) {
                        continue;
                    }
                    let ctxs: &[usize] = match (merge, beta) {
                        (true, 0) => &[0],
                        (true, _) => &[1],
                        (false, _) => &[0, 1],
                    };
                    for &s1 in combo {
                        let x = run.arena[s1 as usize];
                        let s = if merge {
                            St {
                                save: x.save + prob.save[i],
                                cov: x.cov + if beta == 1 { prob.weight[i] } else { 0 },
                                a: i as u32 | MERGED,
                                b: s1,
                                ..x
                            }
                        } else {
                            St {
                                cov: x.cov + if prob.pass[i] { prob.weight[i] } else { 0 },
                                passing: x.passing + prob.pass[i] as u32,
                                kept: x.kept + 1,
                                a: i as u32,
                                b: s1,
                                ..x
                            }
                        };
                        let v = run.val(&s);
                        for &b in ctxs {
                            let o = if top { ostar } else { outside(i, b, j) };
                            if o > NEG && o + v - owed >= run.keep_above {
                                own_cands[b * len + j].push(s);
                            }
                        }
                    }
                }
            }
            // Filter each of the site's lists.
            for b in 0..2 {
                for j in 0..len {
                    let mut cj = std::mem::take(&mut own_cands[b * len + j]);
                    if !cj.is_empty() {
                        let mut ids = Vec::new();
                        run.pareto(&mut cj, &mut ids);
                        lists[at(i, b, j)] = ids;
                    }
                    own_cands[b * len + j] = cj;
                }
            }
            // The children's lists are no longer needed.
            for &c in kids {
                for b in 0..2 {
                    for j in 0..len {
                        lists[at(c as usize, b, j)] = Vec::new();
                    }
                }
            }
            if run.full() {
                return run.gave_up();
            }
        }
        // Across the trees: the roots' plans combined, the trees with fewest
        // plans first. A plan saving more than the cutoff is made of plans
        // kept for each tree, so the trees still to come are bounded by
        // their own lists, at several multipliers: the best of those bounds
        // for each combination is close to the linear relaxation of what
        // remains, given the coverage the combination already has.
        let mut roots: Vec<usize> = (0..n).filter(|&i| prob.parent[i] == NONE).collect();
        roots.sort_by_key(|&r| lists[at(r, 0, 0)].len());
        if roots.iter().any(|&r| lists[at(r, 0, 0)].is_empty()) {
            return Enumerated::Done(None);
        }
        let grid = multipliers(w.lambda, w.mu, run.pass);
        let g = grid.len();
        let b0 = prob.base;
        let slack_of = |passing: f64, kept: f64| passing - r * kept;
        let mut tail = vec![0.0; (roots.len() + 1) * g];
        for (x, &(lam, mu)) in grid.iter().enumerate() {
            tail[roots.len() * g + x] = b0.save
                + lam * b0.covered as f64
                + mu * slack_of(b0.passing as f64, b0.kept as f64)
                - lam * prob.floor as f64;
        }
        for k in (0..roots.len()).rev() {
            for (x, &(lam, mu)) in grid.iter().enumerate() {
                let best = lists[at(roots[k], 0, 0)]
                    .iter()
                    .map(|&id| {
                        let s = &run.arena[id as usize];
                        s.save + lam * s.cov as f64 + mu * slack_of(s.passing as f64, s.kept as f64)
                    })
                    .fold(NEG, f64::max);
                tail[k * g + x] = tail[(k + 1) * g + x] + best;
            }
        }
        let bound = |s: &St, k: usize| -> f64 {
            let slack = slack_of(s.passing as f64, s.kept as f64);
            grid.iter()
                .enumerate()
                .map(|(x, &(lam, mu))| s.save + lam * s.cov as f64 + mu * slack + tail[k * g + x])
                .fold(f64::INFINITY, f64::min)
        };
        let mut all: Vec<u32> = vec![EMPTY];
        let mut cand = Vec::new();
        for (k, &root) in roots.iter().enumerate() {
            let mine = std::mem::take(&mut lists[at(root, 0, 0)]);
            run.work += (all.len() * mine.len()) as u64;
            if run.full() {
                return run.gave_up();
            }
            for &s1 in &all {
                let x = run.arena[s1 as usize];
                for &s2 in &mine {
                    let y = run.arena[s2 as usize];
                    let s = St {
                        save: x.save + y.save,
                        cov: x.cov + y.cov,
                        passing: x.passing + y.passing,
                        kept: x.kept + y.kept,
                        a: s1,
                        b: s2,
                    };
                    if bound(&s, k + 1) >= run.keep_above {
                        cand.push(s);
                    }
                }
                if window.beam.is_none() && cand.len() > run.max_states {
                    return Enumerated::TooMany;
                }
            }
            if let Some(width) = window.beam
                && cand.len() > width
            {
                let key = |s: &St| bound(s, k + 1);
                cand.select_nth_unstable_by(width - 1, |x, y| key(y).total_cmp(&key(x)));
                cand.truncate(width);
            }
            run.pareto(&mut cand, &mut all);
        }
        // The best feasible plan.
        let b = prob.base;
        let mut best: Option<(f64, u32)> = None;
        for &k in &all {
            let s = run.arena[k as usize];
            let save = s.save + b.save;
            let cov = s.cov + b.covered;
            let passing = s.passing as usize + b.passing;
            let kept = s.kept as usize + b.kept;
            if cov >= prob.floor
                && prob.pass_ok(passing, kept)
                && save > window.cutoff
                && best.is_none_or(|(v, _)| save > v)
            {
                best = Some((save, k));
            }
        }
        let Some((save, top)) = best else {
            return Enumerated::Done(None);
        };
        // Read the plan back.
        let mut merged = vec![false; n];
        let mut stack: Vec<u32> = Vec::new();
        let mut combo = top;
        while combo != EMPTY {
            let s = run.arena[combo as usize];
            stack.push(s.b);
            combo = s.a;
        }
        while let Some(k) = stack.pop() {
            let s = run.arena[k as usize];
            let site = (s.a & !MERGED) as usize;
            merged[site] = s.a & MERGED != 0;
            let mut combo = s.b;
            while combo != EMPTY {
                let c = run.arena[combo as usize];
                stack.push(c.b);
                combo = c.a;
            }
        }
        Enumerated::Done(Some((merged, save)))
    }
}
