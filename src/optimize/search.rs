//! Lagrangian bounds: the dual search of one node of the branch and
//! bound, and the plans it meets.
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
//! search minimises it with a cutting-plane method: every plan the
//! programme returns is a plane under L, and the next (λ, μ) is where the
//! upper envelope of the planes seen is lowest (exactly on λ for the
//! current μ, then the same on μ). Plans met along the way that meet every
//! constraint are the primal candidates; [`super::branch`] closes what gap
//! remains.

use std::time::Instant;

use super::StoppedBy;
use super::dp::{Dp, Weights};
use super::local::{Structure, improve, repair_floor, repair_pass};
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

/// A plane under L: a plan (merged flags as bits) and its line.
#[derive(Clone, Debug)]
pub(crate) struct Plane {
    line: Line,
    plan: Vec<u64>,
}

impl Plane {
    pub(crate) fn merged(&self, i: usize) -> bool {
        self.plan[i / 64] >> (i % 64) & 1 == 1
    }
}

/// The lowest point over λ ≥ 0 of the planes' upper envelope at one μ.
struct Envelope {
    lambda: f64,
    value: f64,
    /// The active plane sloping down (none when the lowest point is λ = 0).
    a: Option<usize>,
    /// The active plane sloping up (or flat).
    b: usize,
}

/// The outcome of minimising over λ at one μ.
struct Inner {
    /// The smallest L found.
    h: f64,
    lambda: f64,
    /// A subgradient of min_λ L(·, μ) at μ.
    g: f64,
    /// The two active planes (when there are two).
    pair: Option<(usize, usize)>,
}

/// What a node's dual search found.
pub(crate) struct NodeDual {
    pub bound: f64,
    pub lambda: f64,
    pub mu: f64,
    pub infeasible: bool,
    /// Best feasible plan within the node's fixes.
    pub best: f64,
    pub max_covered: u64,
    /// Planes to seed the branches with.
    pub planes: Vec<Plane>,
    /// Rounding slack of the bound.
    pub tol: f64,
}

pub(crate) struct Search<'a> {
    pub prob: &'a Problem,
    pub dp: Dp,
    upp: Vec<bool>,
    st: Structure,
    pool: Vec<Plane>,
    /// The two planes active at the last node's final multipliers.
    active: [Option<usize>; 2],
    /// Best plan meeting every constraint.
    pub best: Option<Cand>,
    /// Best plan meeting the floor (and capacity) but not the pass rate.
    pub best_low_pass: Option<Cand>,
    node_best: f64,
    node_min: f64,
    /// The multipliers of the smallest bound of the current node.
    pub node_arg: (f64, f64),
    progress: &'a dyn Fn(f32) -> bool,
    /// What the progress bar shows (0..1), set by the branch and bound.
    pub fraction: f32,
    /// Savings of a plan known from elsewhere: only better ones count.
    pub cutoff: f64,
    /// When to stop.
    pub deadline: Option<Instant>,
    /// Why the search stopped early, if it did.
    pub stop: Option<StoppedBy>,
    pub best_changed: bool,
}

impl<'a> Search<'a> {
    pub(crate) fn new(prob: &'a Problem, progress: &'a dyn Fn(f32) -> bool) -> Search<'a> {
        Search {
            prob,
            dp: Dp::default(),
            upp: Vec::new(),
            st: Structure::default(),
            pool: Vec::new(),
            active: [None, None],
            best: None,
            best_low_pass: None,
            node_best: f64::NEG_INFINITY,
            node_min: f64::INFINITY,
            node_arg: (0.0, 0.0),
            progress,
            fraction: 0.0,
            cutoff: f64::NEG_INFINITY,
            deadline: None,
            stop: None,
            best_changed: false,
        }
    }

    fn tol(&self) -> f64 {
        self.prob.tol(0.0, 0.0)
    }

    /// The best savings so far.
    pub(crate) fn incumbent(&self) -> f64 {
        self.best
            .as_ref()
            .map_or(f64::NEG_INFINITY, |c| c.m.save)
            .max(self.cutoff)
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
    pub(crate) fn run(&mut self, fix: &[Fix], w: Weights) -> Option<(f64, Measure)> {
        if self.stop.is_some() {
            return None;
        }
        if self.deadline.is_some_and(|d| Instant::now() >= d) {
            self.stop = Some(StoppedBy::Time);
            return None;
        }
        if self.dp.runs.is_multiple_of(4) && !(self.progress)(self.fraction.clamp(0.0, 1.0)) {
            self.stop = Some(StoppedBy::Cancel);
            return None;
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

    fn line(&self, m: &Measure) -> Line {
        Line {
            save: m.save,
            cov: m.covered as f64 - self.prob.floor as f64,
            pass: m.pass_slack(self.prob),
        }
    }

    /// Evaluates L(λ, μ) with the Lagrangian weights; the plan joins the
    /// pool of planes.
    pub(crate) fn lagrange(&mut self, fix: &[Fix], lambda: f64, mu: f64) -> Option<f64> {
        let (v, m) = self.run(fix, Weights::lagrange(lambda, mu))?;
        let l = v - lambda * self.prob.floor as f64;
        if l < self.node_min {
            self.node_min = l;
            self.node_arg = (lambda, mu);
        }
        let line = self.line(&m);
        self.push_plane(line);
        Some(l)
    }

    /// Planes in the pool.
    pub(crate) fn pool_len(&self) -> usize {
        self.pool.len()
    }

    /// Adds the programme's last plan to the pool.
    fn push_plane(&mut self, line: Line) {
        let n = self.prob.n;
        let mut plan = vec![0u64; n.div_ceil(64)];
        for (i, &m) in self.dp.merged.iter().enumerate().take(n) {
            if m {
                plan[i / 64] |= 1 << (i % 64);
            }
        }
        self.pool.push(Plane { line, plan });
    }

    /// The lowest point of the pool's envelope over λ ≥ 0 at `mu`: walk
    /// the envelope from λ = 0 until its slope turns non-negative. `None`
    /// when no plane slopes up (no known plan reaches the floor).
    fn envelope(&self, mu: f64) -> Option<Envelope> {
        let pool = &self.pool;
        let val = |k: usize, lam: f64| pool[k].line.at(lam, mu);
        let mut cur = 0;
        for k in 1..pool.len() {
            let (vk, vc) = (val(k, 0.0), val(cur, 0.0));
            if vk > vc || (vk == vc && pool[k].line.cov > pool[cur].line.cov) {
                cur = k;
            }
        }
        let mut lam = 0.0;
        let mut prev = None;
        for _ in 0..=pool.len() {
            if pool[cur].line.cov >= 0.0 {
                return Some(Envelope {
                    lambda: lam,
                    value: val(cur, lam),
                    a: prev,
                    b: cur,
                });
            }
            // The next breakpoint: the first steeper plane to overtake.
            let mut next: Option<(f64, usize)> = None;
            for k in 0..pool.len() {
                let dc = pool[k].line.cov - pool[cur].line.cov;
                if dc <= 0.0 {
                    continue;
                }
                let at = ((val(cur, lam) - val(k, lam)) / dc).max(0.0) + lam;
                let better = match next {
                    None => true,
                    Some((t, j)) => at < t || (at == t && pool[k].line.cov > pool[j].line.cov),
                };
                if better {
                    next = Some((at, k));
                }
            }
            let (at, k) = next?;
            prev = Some(cur);
            cur = k;
            lam = at;
        }
        None
    }

    /// Minimises L(·, μ) over λ ≥ 0: evaluate at the envelope's lowest
    /// point until the programme finds nothing above it.
    fn inner(&mut self, fix: &[Fix], mu: f64) -> Option<Inner> {
        let mut last = None;
        for _ in 0..100 {
            let env = self.envelope(mu)?;
            let l = self.lagrange(fix, env.lambda, mu)?;
            let tol =
                1e-12 * (l.abs() + self.prob.scale + env.lambda * self.prob.population as f64);
            last = Some((l, env.lambda, env.a, env.b));
            if l <= env.value + tol {
                break;
            }
        }
        let (h, lambda, a, b) = last?;
        let lb = self.pool[b].line;
        // At the minimiser both active planes are optimal; the mix of their
        // pass-rate slopes that cancels the coverage slope is a subgradient
        // in μ.
        let g = match a {
            Some(a) => {
                let la = self.pool[a].line;
                let theta = lb.cov / (lb.cov - la.cov);
                theta * la.pass + (1.0 - theta) * lb.pass
            }
            None => lb.pass,
        };
        Some(Inner {
            h,
            lambda,
            g,
            pair: a.map(|a| (a, b)),
        })
    }

    /// The dual search of one node (fixes applied in `fix`), starting from
    /// `seed` planes (plans known to respect the fixes).
    pub(crate) fn node_dual(
        &mut self,
        fix: &[Fix],
        seed: Vec<Plane>,
        mu0: f64,
        want_planes: bool,
    ) -> Option<NodeDual> {
        self.node_best = f64::NEG_INFINITY;
        self.node_min = f64::INFINITY;
        self.pool = seed;
        let prob = self.prob;
        let mut out = NodeDual {
            bound: f64::INFINITY,
            lambda: 0.0,
            mu: 0.0,
            infeasible: false,
            best: f64::NEG_INFINITY,
            max_covered: 0,
            planes: Vec::new(),
            tol: 0.0,
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
            out.max_covered = if v == f64::NEG_INFINITY {
                0
            } else {
                mc.covered
            };
            return Some(out);
        }
        out.max_covered = mc.covered;
        let line = self.line(&mc);
        self.push_plane(line);
        let mut feasible_line: Option<Line> = mc.feasible(prob).then_some(line);
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
            let line = self.line(&mp);
            self.push_plane(line);
            if mp.feasible(prob) {
                feasible_line = Some(line);
            }
        }
        // Start from the parent's μ (0 at the root).
        let first = self.inner(fix, mu0)?;
        let mut pair = first.pair;
        out.lambda = first.lambda;
        out.mu = mu0;
        if prob.min_pass.is_some() && (first.g < 0.0 || mu0 > 0.0) {
            let extra = feasible_line.map(|fl| (0.0, fl.save, fl.pass));
            self.outer(fix, (mu0, first.h, first.g), extra, &mut out, &mut pair)?;
        }
        out.bound = self.node_min;
        out.best = self.node_best;
        let (lam, mu) = self.node_arg;
        out.tol = prob.tol(lam.max(out.lambda), mu.max(out.mu));
        self.active = match pair {
            Some((a, b)) => [Some(a), Some(b)],
            None => [None, None],
        };
        if want_planes {
            // The planes tightest at the final multipliers seed the branches.
            let (lam, mu) = (out.lambda, out.mu);
            let mut idx: Vec<usize> = (0..self.pool.len()).collect();
            idx.sort_by(|&x, &y| {
                self.pool[y]
                    .line
                    .at(lam, mu)
                    .total_cmp(&self.pool[x].line.at(lam, mu))
            });
            let keep = if prob.n <= 20_000 { 16 } else { 6 };
            out.planes = idx
                .into_iter()
                .take(keep)
                .map(|k| self.pool[k].clone())
                .collect();
        }
        Some(out)
    }

    /// Minimises h(μ) = min_λ L(λ, μ) over μ ≥ 0 by cutting planes. Each
    /// cut is (μ, h, slope): h(ν) ≥ h + slope·(ν − μ) for every ν. `first`
    /// is h at the starting μ; `extra` a cut known beforehand (a feasible
    /// plan's line). Probes near the start first, so that a branch, which
    /// starts from its parent's μ, needs few steps.
    fn outer(
        &mut self,
        fix: &[Fix],
        first: (f64, f64, f64),
        extra: Option<(f64, f64, f64)>,
        out: &mut NodeDual,
        pair: &mut Option<(usize, usize)>,
    ) -> Option<()> {
        let prob = self.prob;
        let mut cuts: Vec<(f64, f64, f64)> = vec![first];
        cuts.extend(extra);
        let mut best_h = first.1;
        let (mu0, _, g0) = first;
        let mut eval =
            |s: &mut Self, mu: f64, cuts: &mut Vec<(f64, f64, f64)>, best_h: &mut f64| {
                let inn = s.inner(fix, mu)?;
                cuts.push((mu, inn.h, inn.g));
                if inn.h < *best_h {
                    *best_h = inn.h;
                    out.mu = mu;
                    out.lambda = inn.lambda;
                    if inn.pair.is_some() {
                        *pair = inn.pair;
                    }
                }
                Some(inn)
            };
        // Bracket the minimum near the start.
        if mu0 > 0.0 {
            let mut step = 0.05;
            for _ in 0..8 {
                let mu = if g0 < 0.0 {
                    mu0 * (1.0 + step)
                } else {
                    mu0 * (1.0 - step).max(0.0)
                };
                let inn = eval(self, mu, &mut cuts, &mut best_h)?;
                if (inn.g >= 0.0) != (g0 >= 0.0) || mu == 0.0 {
                    break;
                }
                step *= 4.0;
            }
        } else if extra.is_none() {
            let mut mu = prob.scale / (prob.n as f64 + 1.0);
            for _ in 0..60 {
                if eval(self, mu, &mut cuts, &mut best_h)?.g >= 0.0 {
                    break;
                }
                mu *= 4.0;
            }
        }
        // Kelley's method on all cuts.
        for _ in 0..40 {
            if best_h <= self.incumbent() + self.tol() {
                break;
            }
            let Some((mu, model)) = lowest_cut_point(&cuts) else {
                break;
            };
            // Precision beyond a hundredth of the gap to the incumbent would not
            // change what the bound says.
            let gap = best_h - self.incumbent();
            let tol = (1e-9 * best_h.abs() + 1e-12 * prob.scale).max(if gap.is_finite() {
                0.01 * gap
            } else {
                0.0
            });
            if best_h - model <= tol {
                break;
            }
            let inn = eval(self, mu, &mut cuts, &mut best_h)?;
            if inn.h <= model + tol {
                break;
            }
        }
        Some(())
    }

    /// Improves the incumbent (and repairs the best plan that misses only
    /// the pass rate) with local moves.
    pub(crate) fn polish(&mut self, extra: &[usize]) {
        let prob = self.prob;
        let mut starts: Vec<Cand> = Vec::new();
        starts.extend(self.best_low_pass.take());
        starts.extend(self.best.clone());
        // The plans active at the final multipliers straddle the
        // constraints: repair them too.
        for k in self
            .active
            .iter()
            .copied()
            .flatten()
            .chain(extra.iter().copied())
        {
            if let Some(p) = self.pool.get(k) {
                let merged: Vec<bool> = (0..prob.n).map(|i| p.merged(i)).collect();
                let m = measure(prob, &merged, &mut self.upp);
                starts.push(Cand { merged, m });
            }
        }
        for mut c in starts {
            if repair_floor(prob, &prob.fix, &mut c.merged, &mut c.m, &mut self.st)
                && repair_pass(prob, &prob.fix, &mut c.merged, &mut c.m, &mut self.st)
            {
                improve(prob, &prob.fix, &mut c.merged, &mut c.m, &mut self.st);
                let m = c.m;
                self.offer(&c.merged, m, false);
            }
        }
    }

    /// Improves a new incumbent found in the tree (cheap on small trees).
    pub(crate) fn polish_light(&mut self) {
        self.best_changed = false;
        if let (true, Some(mut c)) = (self.prob.n <= 5000, self.best.clone()) {
            improve(
                self.prob,
                &self.prob.fix,
                &mut c.merged,
                &mut c.m,
                &mut self.st,
            );
            let m = c.m;
            self.offer(&c.merged, m, false);
        }
    }
}

/// The lowest point over μ ≥ 0 of the upper envelope of cuts
/// (μ_k, h_k, g_k): max_k h_k + g_k·(μ − μ_k). `None` when it falls
/// forever (no cut slopes up).
fn lowest_cut_point(cuts: &[(f64, f64, f64)]) -> Option<(f64, f64)> {
    let val = |k: usize, mu: f64| cuts[k].1 + cuts[k].2 * (mu - cuts[k].0);
    let mut cur = 0;
    for k in 1..cuts.len() {
        let (vk, vc) = (val(k, 0.0), val(cur, 0.0));
        if vk > vc || (vk == vc && cuts[k].2 > cuts[cur].2) {
            cur = k;
        }
    }
    let mut mu = 0.0;
    for _ in 0..=cuts.len() {
        if cuts[cur].2 >= 0.0 {
            return Some((mu, val(cur, mu)));
        }
        let mut next: Option<(f64, usize)> = None;
        for k in 0..cuts.len() {
            let dg = cuts[k].2 - cuts[cur].2;
            if dg <= 0.0 {
                continue;
            }
            let at = ((val(cur, mu) - val(k, mu)) / dg).max(0.0) + mu;
            if next.is_none_or(|(t, j)| at < t || (at == t && cuts[k].2 > cuts[j].2)) {
                next = Some((at, k));
            }
        }
        let (at, k) = next?;
        cur = k;
        mu = at;
    }
    None
}
