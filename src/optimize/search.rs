//! Lagrangian bounds and branch and bound.
//!
//! For multipliers λ ≥ 0 (coverage) and μ ≥ 0 (pass rate) every plan x
//! that meets the constraints satisfies
//!
//! ```text
//! savings(x) ≤ savings(x) + λ·(covered(x) − F) + μ·(passing(x) − R·kept(x))
//!            ≤ max over all plans of the same   =: L(λ, μ)
//! ```
//!
//! and [`Dp`] computes that maximum exactly (capacity included), so every
//! L(λ, μ) is a certified upper bound. L is convex and piecewise linear; the
//! search minimises it with a cutting-plane (secant) method on λ, nested in
//! the same method on μ. Plans met along the way that meet every
//! constraint are the primal candidates. Branch and bound (fixing one site
//! to keep or merge) closes what gap remains, within an effort budget.

use std::collections::BinaryHeap;
use std::time::Instant;

use super::dp::{Dp, Weights};
use super::local::{Structure, improve, repair_pass};
use super::problem::{Fix, Measure, Problem, measure};

/// A plan with its figures.
#[derive(Clone, Debug)]
pub(crate) struct Cand {
    pub merged: Vec<bool>,
    pub m: Measure,
}

/// A plan's line: L(λ, μ) ≥ save + λ·cov + μ·pass for all λ, μ.
#[derive(Clone, Copy, Debug)]
struct Line {
    save: f64,
    /// covered − F.
    cov: f64,
    /// passing − R·kept.
    pass: f64,
}

impl Line {
    fn at(&self, lambda: f64, mu: f64) -> f64 {
        self.save + lambda * self.cov + mu * self.pass
    }
}

/// The outcome of minimising over λ at one μ.
struct Inner {
    /// The smallest L found.
    h: f64,
    lambda: f64,
    /// A subgradient of min_λ L(·, μ) at μ.
    g: f64,
    /// The two plans that bracket the minimiser (when there are two).
    pair: Option<(Vec<bool>, Vec<bool>)>,
}

/// What a node's dual search found.
pub(crate) struct NodeDual {
    pub bound: f64,
    pub lambda: f64,
    pub mu: f64,
    pub infeasible: bool,
    /// Best feasible plan within the node's fixes.
    pub best: f64,
    pub branch: Option<usize>,
    pub max_covered: u64,
}

/// Search limits.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub gap: f64,
    /// Branch and bound may do this many times the root's work…
    pub effort: f64,
    /// …and at least this much (sites visited).
    pub min_work: u64,
    pub max_nodes: usize,
    pub deadline: Option<Instant>,
}

pub(crate) struct Search<'a> {
    pub prob: &'a Problem,
    pub dp: Dp,
    upp: Vec<bool>,
    st: Structure,
    /// Best plan meeting every constraint.
    pub best: Option<Cand>,
    /// Best plan meeting the floor (and capacity) but not the pass rate.
    pub best_low_pass: Option<Cand>,
    node_best: f64,
    node_min: f64,
    progress: &'a dyn Fn(f32) -> bool,
    pub progress_base: f32,
    pub progress_span: f32,
    pub cancelled: bool,
    pub nodes: usize,
    pub proven: bool,
    work_fraction: f32,
    best_changed: bool,
    /// Root bound, incumbent after polishing, and runs so far.
    pub root: (f64, f64, usize),
}

impl<'a> Search<'a> {
    pub(crate) fn new(prob: &'a Problem, progress: &'a dyn Fn(f32) -> bool) -> Search<'a> {
        Search {
            prob,
            dp: Dp::default(),
            upp: Vec::new(),
            st: Structure::default(),
            best: None,
            best_low_pass: None,
            node_best: f64::NEG_INFINITY,
            node_min: f64::INFINITY,
            progress,
            progress_base: 0.0,
            progress_span: 1.0,
            cancelled: false,
            nodes: 0,
            proven: false,
            work_fraction: 0.0,
            best_changed: false,
            root: (0.0, 0.0, 0),
        }
    }

    fn tol(&self) -> f64 {
        1e-9 * self.prob.scale
    }

    /// The best savings so far.
    pub(crate) fn incumbent(&self) -> f64 {
        self.best.as_ref().map_or(f64::NEG_INFINITY, |c| c.m.save)
    }

    /// Offers a plan (within the current node's fixes when `in_node`).
    fn offer(&mut self, merged: &[bool], m: Measure, in_node: bool) {
        if m.covered < self.prob.floor {
            return;
        }
        if self.prob.pass_ok(m.passing, m.kept) {
            if in_node && m.save > self.node_best {
                self.node_best = m.save;
            }
            if m.save > self.incumbent() {
                self.best_changed = true;
                self.best = Some(Cand {
                    merged: merged.to_vec(),
                    m,
                });
            }
        } else if self
            .best_low_pass
            .as_ref()
            .is_none_or(|c| m.save > c.m.save)
        {
            self.best_low_pass = Some(Cand {
                merged: merged.to_vec(),
                m,
            });
        }
    }

    /// One run of the programme, its plan measured and offered.
    fn run(&mut self, fix: &[Fix], w: Weights) -> Option<(f64, Measure)> {
        if self.cancelled {
            return None;
        }
        if self.dp.runs % 4 == 0 {
            let f = self.progress_base + self.progress_span * self.fraction();
            if !(self.progress)(f.clamp(0.0, 1.0)) {
                self.cancelled = true;
                return None;
            }
        }
        let v = self.dp.solve(self.prob, fix, w);
        if v == f64::NEG_INFINITY {
            return Some((v, Measure::default()));
        }
        let m = measure(self.prob, &self.dp.merged, &mut self.upp);
        let merged = std::mem::take(&mut self.dp.merged);
        self.offer(&merged, m, true);
        self.dp.merged = merged;
        Some((v, m))
    }

    /// Work done against the budget, 0..1 (set by the caller's limits).
    fn fraction(&self) -> f32 {
        if self.nodes <= 1 {
            (self.dp.runs as f32 / 120.0).min(0.5)
        } else {
            0.5 + 0.5 * self.work_fraction
        }
    }

    fn line(&self, m: &Measure) -> Line {
        Line {
            save: m.save,
            cov: m.covered as f64 - self.prob.floor as f64,
            pass: m.pass_slack(self.prob),
        }
    }

    /// Evaluates L(λ, μ) with the Lagrangian weights.
    fn lagrange(&mut self, fix: &[Fix], lambda: f64, mu: f64) -> Option<(f64, Line)> {
        let (v, m) = self.run(fix, Weights::lagrange(lambda, mu))?;
        let l = v - lambda * self.prob.floor as f64;
        if l < self.node_min {
            self.node_min = l;
        }
        Some((l, self.line(&m)))
    }

    /// Minimises L(·, μ) over λ ≥ 0 by the secant (cutting-plane) method.
    fn inner(&mut self, fix: &[Fix], mu: f64, seed_b: Line, want_pair: bool) -> Option<Inner> {
        let (l0, line0) = self.lagrange(fix, 0.0, mu)?;
        if line0.cov >= 0.0 {
            return Some(Inner {
                h: l0,
                lambda: 0.0,
                g: line0.pass,
                pair: None,
            });
        }
        let mut a = line0;
        let mut b = seed_b;
        let mut xa = want_pair.then(|| self.dp.merged.clone());
        let mut xb: Option<Vec<bool>> = None;
        let mut best = (l0, 0.0);
        for _ in 0..100 {
            let lam = ((a.save + mu * a.pass - b.save - mu * b.pass) / (b.cov - a.cov)).max(0.0);
            let (l, line) = self.lagrange(fix, lam, mu)?;
            if l < best.0 {
                best = (l, lam);
            }
            let model = a.at(lam, mu).max(b.at(lam, mu));
            let tol = 1e-12 * (l.abs() + self.prob.scale + lam * self.prob.population as f64);
            if l <= model + tol {
                break;
            }
            if line.cov >= 0.0 {
                b = line;
                if want_pair {
                    xb = Some(self.dp.merged.clone());
                }
            } else {
                a = line;
                if want_pair {
                    xa = Some(self.dp.merged.clone());
                }
            }
        }
        // At the minimiser both lines are optimal; the mix of their
        // pass-rate slopes that cancels the coverage slope is a subgradient
        // in μ.
        let theta = b.cov / (b.cov - a.cov);
        let g = theta * a.pass + (1.0 - theta) * b.pass;
        Some(Inner {
            h: best.0,
            lambda: best.1,
            g,
            pair: match (xa, xb) {
                (Some(x), Some(y)) => Some((x, y)),
                _ => None,
            },
        })
    }

    /// The dual search of one node (fixes applied in `fix`).
    pub(crate) fn node_dual(&mut self, fix: &[Fix], want_branch: bool) -> Option<NodeDual> {
        self.node_best = f64::NEG_INFINITY;
        self.node_min = f64::INFINITY;
        let prob = self.prob;
        let floor = prob.floor as f64;
        let mut out = NodeDual {
            bound: f64::INFINITY,
            lambda: 0.0,
            mu: 0.0,
            infeasible: false,
            best: f64::NEG_INFINITY,
            branch: None,
            max_covered: 0,
        };
        // Most coverage reachable (and whether any plan respects the
        // capacity at all).
        let (v, mc) = self.run(
            fix,
            Weights {
                alpha: 0.0,
                lambda: 1.0,
                mu: 0.0,
            },
        )?;
        if v == f64::NEG_INFINITY || mc.covered < prob.floor {
            out.infeasible = true;
            out.max_covered = if v == f64::NEG_INFINITY { 0 } else { mc.covered };
            return Some(out);
        }
        out.max_covered = mc.covered;
        let seed_b = self.line(&mc);
        let mut mc_plan = want_branch.then(|| self.dp.merged.clone());
        let mut feasible_line: Option<Line> = None;
        if mc.feasible(prob) {
            feasible_line = Some(seed_b);
        }
        if prob.min_pass.is_some() {
            let (_, mp) = self.run(
                fix,
                Weights {
                    alpha: 0.0,
                    lambda: 0.0,
                    mu: 1.0,
                },
            )?;
            if mp.pass_slack(prob) < -1e-9 * (mp.kept as f64 + 1.0) {
                out.infeasible = true;
                return Some(out);
            }
            if mp.feasible(prob) {
                feasible_line = Some(self.line(&mp));
            }
        }
        let mut inner0 = self.inner(fix, 0.0, seed_b, want_branch)?;
        let mut pair = inner0.pair.take();
        out.lambda = inner0.lambda;
        if prob.min_pass.is_some() && inner0.g < 0.0 {
            // Minimise h(μ) = min_λ L(λ, μ) the same way.
            let (mut ma, mut ha, mut ga) = (0.0f64, inner0.h, inner0.g);
            let mut b: Option<(f64, f64, f64)> = None;
            if let Some(fl) = feasible_line {
                // h(μ) ≥ save + μ·pass for a feasible plan: a line of slope ≥ 0.
                b = Some((0.0, fl.save, fl.pass));
            } else {
                let mut mu = prob.scale / (prob.n as f64 + 1.0);
                for _ in 0..60 {
                    let inn = self.inner(fix, mu, seed_b, false)?;
                    if inn.g >= 0.0 {
                        b = Some((mu, inn.h, inn.g));
                        break;
                    }
                    (ma, ha, ga) = (mu, inn.h, inn.g);
                    mu *= 4.0;
                }
            }
            if let Some((mut mb, mut hb, mut gb)) = b {
                for _ in 0..60 {
                    if gb - ga <= 0.0 {
                        break;
                    }
                    // Lines: ha + ga(μ − ma) and hb + gb(μ − mb).
                    let mu = ((hb - gb * mb) - (ha - ga * ma)) / (ga - gb);
                    let mu = mu.max(0.0);
                    let inn = self.inner(fix, mu, seed_b, want_branch)?;
                    let model = (ha + ga * (mu - ma)).max(hb + gb * (mu - mb));
                    let tol = 1e-12 * (inn.h.abs() + prob.scale + mu * prob.n as f64);
                    if inn.pair.is_some() {
                        pair = inn.pair;
                    }
                    out.mu = mu;
                    out.lambda = inn.lambda;
                    if inn.h <= model + tol {
                        break;
                    }
                    if inn.g >= 0.0 {
                        (mb, hb, gb) = (mu, inn.h, inn.g);
                    } else {
                        (ma, ha, ga) = (mu, inn.h, inn.g);
                    }
                }
            }
        }
        let _ = floor;
        out.bound = self.node_min;
        out.best = self.node_best;
        if want_branch {
            out.branch = self.pick_branch(fix, pair.as_ref(), mc_plan.take());
        }
        Some(out)
    }

    /// A free site to branch on: one where the two bracketing plans differ
    /// (the largest saving first), else the first free site.
    fn pick_branch(
        &self,
        fix: &[Fix],
        pair: Option<&(Vec<bool>, Vec<bool>)>,
        other: Option<Vec<bool>>,
    ) -> Option<usize> {
        let prob = self.prob;
        let mut best: Option<(f64, usize)> = None;
        if let Some((x, y)) = pair {
            for i in 0..prob.n {
                if fix[i] == Fix::Free && x[i] != y[i] {
                    let s = prob.save[i].abs();
                    if best.is_none_or(|(b, _)| s > b) {
                        best = Some((s, i));
                    }
                }
            }
        }
        if best.is_none() {
            if let Some(x) = other {
                for i in 0..prob.n {
                    if fix[i] == Fix::Free && x[i] != self.dp.merged[i] {
                        let s = prob.save[i].abs();
                        if best.is_none_or(|(b, _)| s > b) {
                            best = Some((s, i));
                        }
                    }
                }
            }
        }
        if let Some((_, i)) = best {
            return Some(i);
        }
        prob.order
            .iter()
            .map(|&i| i as usize)
            .find(|&i| fix[i] == Fix::Free)
    }

    /// Improves the incumbent (and repairs the best plan that misses only
    /// the pass rate) with local moves.
    pub(crate) fn polish(&mut self) {
        let prob = self.prob;
        if let Some(mut c) = self.best_low_pass.take() {
            if repair_pass(prob, &prob.fix, &mut c.merged, &mut c.m, &mut self.st) {
                improve(prob, &prob.fix, &mut c.merged, &mut c.m, &mut self.st);
                let m = c.m;
                self.offer(&c.merged, m, false);
            }
        }
        if let Some(mut c) = self.best.clone() {
            improve(prob, &prob.fix, &mut c.merged, &mut c.m, &mut self.st);
            let m = c.m;
            self.offer(&c.merged, m, false);
        }
    }

    /// Branch and bound from the root. Returns the certified bound and
    /// whether the root proved infeasibility.
    pub(crate) fn solve(&mut self, limits: Limits) -> Option<Outcome> {
        let prob = self.prob;
        let mut fix = prob.fix.clone();
        let root = self.node_dual(&fix, true)?;
        self.nodes = 1;
        if root.infeasible {
            return Some(Outcome {
                bound: f64::NEG_INFINITY,
                infeasible: true,
                max_covered: root.max_covered,
            });
        }
        let max_covered = root.max_covered;
        self.polish();
        self.root = (root.bound, self.incumbent(), self.dp.runs);
        let tol = self.tol();
        let mut heap = BinaryHeap::new();
        let closed = |s: &Search, bound: f64, node_best: f64| {
            bound <= s.incumbent() + tol || bound <= node_best + tol
        };
        if !closed(self, root.bound, root.best) {
            if let Some(b) = root.branch {
                heap.push(Open {
                    bound: root.bound,
                    fixes: Vec::new(),
                    branch: b,
                });
            }
        }
        let start_work = self.dp.work;
        let max_work = ((limits.effort * start_work as f64) as u64).max(limits.min_work);
        let mut global;
        loop {
            let Some(top) = heap.peek() else {
                global = self.incumbent().max(f64::NEG_INFINITY);
                self.proven = true;
                break;
            };
            global = top.bound;
            let inc = self.incumbent();
            if top.bound <= inc + tol {
                global = inc;
                self.proven = true;
                break;
            }
            if inc > f64::NEG_INFINITY && (top.bound - inc) <= limits.gap * top.bound.abs() {
                break;
            }
            let work = self.dp.work - start_work;
            if work >= max_work
                || self.nodes >= limits.max_nodes
                || limits.deadline.is_some_and(|d| Instant::now() >= d)
            {
                break;
            }
            self.work_fraction = (work as f64 / max_work as f64)
                .max(self.nodes as f64 / limits.max_nodes as f64)
                .min(1.0) as f32;
            let Some(node) = heap.pop() else { break };
            for val in [Fix::Merge, Fix::Keep] {
                for &(i, f) in &node.fixes {
                    fix[i as usize] = f;
                }
                fix[node.branch] = val;
                let d = self.node_dual(&fix, true);
                for &(i, _) in &node.fixes {
                    fix[i as usize] = prob.fix[i as usize];
                }
                fix[node.branch] = prob.fix[node.branch];
                let d = d?;
                self.nodes += 1;
                if d.infeasible {
                    continue;
                }
                let bound = d.bound.min(node.bound);
                if closed(self, bound, d.best) {
                    continue;
                }
                if let Some(b) = d.branch {
                    let mut fixes = node.fixes.clone();
                    fixes.push((node.branch as u32, val));
                    heap.push(Open {
                        bound,
                        fixes,
                        branch: b,
                    });
                }
            }
            if self.best_changed {
                self.polish_light();
            }
        }
        let inc = self.incumbent();
        if self.best.is_none() && self.proven {
            return Some(Outcome {
                bound: f64::NEG_INFINITY,
                infeasible: true,
                max_covered,
            });
        }
        Some(Outcome {
            bound: global.max(inc),
            infeasible: false,
            max_covered,
        })
    }

    /// Improves a new incumbent found in the tree (cheap on small trees).
    fn polish_light(&mut self) {
        self.best_changed = false;
        if self.prob.n <= 5000 {
            if let Some(mut c) = self.best.clone() {
                improve(self.prob, &self.prob.fix, &mut c.merged, &mut c.m, &mut self.st);
                let m = c.m;
                self.offer(&c.merged, m, false);
            }
        }
    }
}

/// What the search established.
pub(crate) struct Outcome {
    pub bound: f64,
    pub infeasible: bool,
    pub max_covered: u64,
}

struct Open {
    bound: f64,
    fixes: Vec<(u32, Fix)>,
    branch: usize,
}

impl PartialEq for Open {
    fn eq(&self, other: &Self) -> bool {
        self.bound.total_cmp(&other.bound).is_eq()
    }
}
impl Eq for Open {}
impl PartialOrd for Open {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Open {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bound
            .total_cmp(&other.bound)
            .then_with(|| other.fixes.len().cmp(&self.fixes.len()))
    }
}
