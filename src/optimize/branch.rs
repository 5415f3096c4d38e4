//! The search to a proof: the dual bound at the root, reduced-cost fixing
//! and reduction, then best-first branch and bound on what is left, until
//! the gap asked for is proven or the time runs out.
//!
//! 1. The root's Lagrangian bound and plans (see [`super::search`]), the
//!    plans repaired and improved by local moves.
//! 2. Fixing: for every site at once, the bound of the plans that decide it
//!    the other way (see `dp/flip.rs`); a site whose other choice cannot
//!    beat the best plan known is fixed, and the problem is reduced to the
//!    sites still open (see [`super::reduce`]). Repeated while it removes
//!    sites: on binding floors a handful of the 100,000 are left.
//! 3. Branch and bound on the reduced problem, best bound first, with the
//!    same fixing at every node; a node branches on the site whose two
//!    choices bound closest to each other.
//!
//! With a capacity, the problem without it is looked at first: when its
//! best plan already meets the capacity, that plan is the answer, proven
//! the same way.

use std::collections::BinaryHeap;
use std::time::Instant;

use super::StoppedBy;
use super::dp::{Enumerated, Weights, Window};
use super::problem::{Fix, Measure, Problem, measure, within_capacity};
use super::reduce::{Reduced, reduce};
use super::search::{Plane, Search};

/// The enumeration is tried on reduced problems of at most this many
/// sites times count-table entries (its lists take 48 bytes each)…
const WINDOW_SITES: usize = 1_000_000;
/// …and gives up past this many partial plans.
const WINDOW_STATES: usize = 3_000_000;

/// The beam search keeps this many combinations across the trees…
const BEAM_WIDTH: usize = 4_000;
/// …and this many partial plans in all.
const BEAM_STATES: usize = 8_000_000;

/// When to stop.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Stop once (bound − savings) / bound is at most this.
    pub gap: f64,
    /// Stop at this time.
    pub deadline: Option<Instant>,
    /// The time allowed (for progress).
    pub budget: Option<f64>,
}

/// Effort figures.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Effort {
    pub runs: usize,
    pub nodes: usize,
    pub root_bound: f64,
    pub root_savings: f64,
    pub root_runs: usize,
    /// Free sites left after fixing at the root.
    pub core_sites: usize,
    /// The root's bound and plans were worked out.
    pub root_done: bool,
}

/// What the search established.
pub(crate) struct Found {
    /// The best plan (the original problem's merged flags) and its figures.
    pub best: Option<(Vec<bool>, Measure)>,
    /// An upper bound on the savings of every feasible plan (before the
    /// rounding margin).
    pub bound: f64,
    /// No feasible plan saves more than `best` (within rounding).
    pub proven: bool,
    pub stopped: StoppedBy,
    /// No plan meets the constraints.
    pub infeasible: bool,
    /// The most coverage any plan reaches (when infeasible).
    pub max_covered: u64,
    pub effort: Effort,
}

/// Solves `orig` (its fixes are the locks and protections).
pub(crate) fn solve(orig: &Problem, limits: Limits, progress: &dyn Fn(f32) -> bool) -> Found {
    let start = Instant::now();
    let Some(first) = reduce(orig, &orig.fix) else {
        // The locked merges alone exceed the capacity.
        return Found {
            best: None,
            bound: f64::NEG_INFINITY,
            proven: true,
            stopped: StoppedBy::Gap,
            infeasible: true,
            max_covered: 0,
            effort: Effort::default(),
        };
    };
    let mut upper = f64::INFINITY;
    let mut seed = None;
    let mut effort = Effort::default();
    if orig.cap.is_some() {
        // A capacity the best plan without it already meets changes
        // nothing: look without it first.
        let mut free = first.clone();
        free.prob.cap = None;
        let mut ex = Exact::new(orig, free, limits, progress, start);
        ex.gate = true;
        ex.solve();
        effort = ex.effort;
        let fits = ex
            .best
            .as_ref()
            .is_some_and(|(m, _)| within_capacity(orig, m));
        if !ex.binding && !ex.infeasible {
            if fits && (ex.proven || ex.stop.is_some()) {
                return ex.found();
            }
            if ex.proven {
                upper = ex.bound;
            }
        }
        if fits {
            seed = ex.best.take();
        }
        if let Some(stop) = ex.stop {
            let mut f = ex.found();
            f.stopped = stop;
            // The bound without the capacity holds with it.
            f.best = seed;
            return f;
        }
    }
    let mut ex = Exact::new(orig, first, limits, progress, start);
    ex.best = seed;
    ex.bound = upper;
    ex.effort.runs += effort.runs;
    ex.effort.nodes += effort.nodes;
    ex.effort.root_done |= effort.root_done && ex.best.is_some();
    ex.solve();
    ex.found()
}

/// An open node: its bound, its fixes and the site to branch on.
struct Open {
    bound: f64,
    tol: f64,
    fixes: Vec<(u32, Fix)>,
    branch: usize,
    planes: Vec<Plane>,
    mu: f64,
}

impl PartialEq for Open {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}
impl Eq for Open {}
impl PartialOrd for Open {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Open {
    /// Highest bound first; on a tie the deeper node (nearer a plan).
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bound
            .total_cmp(&other.bound)
            .then_with(|| self.fixes.len().cmp(&other.fixes.len()))
    }
}

/// What the enumeration left.
enum Windows {
    /// Proven, or stopped.
    Settled,
    /// Too many plans to enumerate; `improved` when a beam search found a
    /// better plan.
    Open { improved: bool },
}

/// What processing a node gave.
enum Node {
    /// Nothing in it beats the best plan.
    Closed,
    Open(Open),
}

struct Exact<'a> {
    orig: &'a Problem,
    /// Reductions from the original, outermost first.
    levels: Vec<Reduced>,
    limits: Limits,
    progress: &'a dyn Fn(f32) -> bool,
    start: Instant,
    best: Option<(Vec<bool>, Measure)>,
    bound: f64,
    proven: bool,
    stop: Option<StoppedBy>,
    infeasible: bool,
    max_covered: u64,
    effort: Effort,
    /// Give up once the root's best plan breaks the original's capacity
    /// (this search is the look without the capacity).
    gate: bool,
    binding: bool,
    root_gap: f64,
}

impl<'a> Exact<'a> {
    fn new(
        orig: &'a Problem,
        first: Reduced,
        limits: Limits,
        progress: &'a dyn Fn(f32) -> bool,
        start: Instant,
    ) -> Exact<'a> {
        Exact {
            orig,
            levels: vec![first],
            limits,
            progress,
            start,
            best: None,
            bound: f64::INFINITY,
            proven: false,
            stop: None,
            infeasible: false,
            max_covered: 0,
            effort: Effort::default(),
            gate: false,
            binding: false,
            root_gap: f64::NAN,
        }
    }

    fn found(&self) -> Found {
        let inc = self.incumbent();
        let bound = if self.proven {
            inc
        } else {
            self.bound.max(inc)
        };
        Found {
            best: self.best.clone(),
            bound,
            proven: self.proven,
            stopped: self.stop.unwrap_or(StoppedBy::Gap),
            infeasible: self.infeasible || (self.proven && self.best.is_none()),
            max_covered: self.max_covered,
            effort: self.effort,
        }
    }

    fn incumbent(&self) -> f64 {
        self.best.as_ref().map_or(f64::NEG_INFINITY, |b| b.1.save)
    }

    /// The gap asked for is proven (when it is not 0: a proof of
    /// optimality goes on to the end).
    fn gap_reached(&self) -> bool {
        let inc = self.incumbent();
        self.limits.gap > 0.0
            && inc > f64::NEG_INFINITY
            && self.bound - inc <= self.limits.gap * self.bound.abs()
    }

    /// The original's merged flags for a plan of the innermost reduction.
    fn expand(&self, merged: &[bool]) -> Vec<bool> {
        let mut m = merged.to_vec();
        for lv in self.levels.iter().rev() {
            m = lv.expand(&m);
        }
        m
    }

    /// Takes the search's best plan when it beats ours.
    fn absorb(&mut self, s: &Search) {
        if let Some(c) = &s.best
            && c.m.save > self.incumbent()
        {
            self.best = Some((self.expand(&c.merged), c.m));
        }
    }

    fn search<'b>(&self, prob: &'b Problem) -> Search<'b>
    where
        'a: 'b,
    {
        let mut s = Search::new(prob, self.progress);
        s.cutoff = self.incumbent();
        s.deadline = self.limits.deadline;
        s.fraction = self.fraction(0.0);
        s
    }

    /// Progress: the root's runs, then the share of the time used or of the
    /// root's gap closed, whichever is further.
    fn fraction(&self, closed: f64) -> f32 {
        let time = self
            .limits
            .budget
            .map_or(0.0, |b| self.start.elapsed().as_secs_f64() / b.max(1e-9));
        (0.5 + 0.5 * time.max(closed)).min(1.0) as f32
    }

    fn finish(&mut self, s: &Search) {
        self.absorb(s);
        self.effort.runs += s.dp.runs;
        if self.stop.is_none() {
            self.stop = s.stop;
        }
    }

    fn solve(&mut self) {
        // A better plan from a beam search lets the bound fix more sites:
        // fix and enumerate again (a few times at most).
        for _ in 0..4 {
            if !self.root() {
                return;
            }
            match self.windows() {
                Windows::Settled => return,
                _ if self.stop.is_some() => return,
                Windows::Open { improved: true } => continue,
                Windows::Open { improved: false } => break,
            }
        }
        self.branch();
    }

    /// Enumerates the plans within a window below the bound, widening it
    /// until the best plan is found or the window reaches the best plan
    /// known. When the plans grow too many, a beam search looks for a
    /// better plan instead.
    fn windows(&mut self) -> Windows {
        let Some(level) = self.levels.last() else {
            return Windows::Settled;
        };
        let len = level.prob.cap.map_or(1, |c| c as usize + 1);
        if level.prob.n.saturating_mul(len) > WINDOW_SITES {
            return Windows::Open { improved: false };
        }
        let prob = level.prob.clone();
        let mut s = self.search(&prob);
        let fix = prob.fix.clone();
        let Some(root) = s.node_dual(&fix, Vec::new(), 0.0, false) else {
            self.finish(&s);
            return Windows::Settled;
        };
        self.absorb(&s);
        if root.infeasible {
            self.finish(&s);
            self.proven = true;
            return Windows::Settled;
        }
        self.bound = self.bound.min(root.bound);
        let (lam, mu) = s.node_arg;
        let w = Weights::lagrange(lam, mu);
        s.dp.solve(&prob, &fix, w);
        s.dp.flips(&prob, &fix, w);
        let top = root.bound;
        let tol = root.tol;
        // A narrow window first: the best plan is often just below the
        // bound, and a narrow window is cheap.
        let inc = self.incumbent();
        let gap = if inc > f64::NEG_INFINITY {
            top - inc
        } else {
            // No plan yet: start a millionth below the bound.
            64e-6 * top.abs().max(1.0)
        };
        let mut delta = (gap / 64.0).max(tol);
        loop {
            let inc = self.incumbent();
            if top <= inc + tol {
                self.proven = true;
                break;
            }
            if self.gap_reached() {
                break;
            }
            let cutoff = (top - delta).max(inc);
            // Progress: how much of the gap the window covers.
            let cutoff_share = if inc > f64::NEG_INFINITY {
                ((cutoff - inc) / (top - inc)).clamp(0.0, 1.0)
            } else {
                1.0
            };
            let window = Window {
                cutoff,
                max_states: WINDOW_STATES,
                beam: None,
                deadline: self.limits.deadline,
                progress: self.progress,
                fraction: self.fraction(1.0 - cutoff_share),
            };
            match s.dp.enumerate(&prob, w, &window) {
                Enumerated::Done(Some((merged, _))) => {
                    let m = measure(&prob, &merged, &mut Vec::new());
                    if m.save > inc {
                        self.best = Some((self.expand(&merged), m));
                    }
                    self.proven = true;
                    break;
                }
                Enumerated::Done(None) => {
                    self.bound = self.bound.min(cutoff);
                    if cutoff <= inc + tol {
                        self.proven = true;
                        break;
                    }
                    delta *= 4.0;
                }
                Enumerated::TooMany => {
                    let improved = self.beam(&s, &prob, w);
                    self.finish(&s);
                    return Windows::Open { improved };
                }
                Enumerated::Stopped(why) => {
                    s.stop = Some(why);
                    break;
                }
            }
        }
        if self.proven {
            self.bound = self.incumbent();
        }
        self.finish(&s);
        Windows::Settled
    }

    /// A beam search below the bound (the programme's tables loaded for
    /// `w`): true when it found a better plan.
    fn beam(&mut self, s: &Search, prob: &Problem, w: Weights) -> bool {
        let inc = self.incumbent();
        let window = Window {
            cutoff: inc,
            max_states: BEAM_STATES,
            beam: Some(BEAM_WIDTH),
            deadline: self.limits.deadline,
            progress: self.progress,
            fraction: self.fraction(0.0),
        };
        match s.dp.enumerate(prob, w, &window) {
            Enumerated::Done(Some((merged, _))) => {
                let m = measure(prob, &merged, &mut Vec::new());
                if m.save > inc {
                    self.best = Some((self.expand(&merged), m));
                    return true;
                }
                false
            }
            Enumerated::Stopped(why) => {
                self.stop = Some(why);
                false
            }
            _ => false,
        }
    }

    /// The root: bound, plans, fixing and reduction until it stalls. True
    /// when branching is needed.
    fn root(&mut self) -> bool {
        loop {
            let prob = match self.levels.last() {
                Some(l) => l.prob.clone(),
                None => return false,
            };
            let first = self.levels.len() == 1;
            // The root of the original, met for the first time.
            let fresh = first && !self.effort.root_done;
            let mut s = self.search(&prob);
            s.fraction = 0.0;
            if fresh {
                // The first bound and plans are always worked out (a
                // cancel still stops them): the time limit counts from
                // there, so that however short it is a plan comes back.
                s.deadline = None;
            }
            let fix = prob.fix.clone();
            let Some(root) = s.node_dual(&fix, Vec::new(), 0.0, false) else {
                self.finish(&s);
                return false;
            };
            if root.infeasible {
                self.finish(&s);
                if first {
                    self.infeasible = true;
                    self.max_covered = root.max_covered;
                }
                // Otherwise nothing beats the best plan known.
                self.proven = true;
                return false;
            }
            if first {
                self.max_covered = root.max_covered;
            }
            // Dive: plans at multipliers a little above the optimum lean
            // towards feasibility with near-optimal savings; repair and
            // improve them with the rest.
            let mut extra = Vec::new();
            if fresh && (root.lambda > 0.0 || root.mu > 0.0) {
                for eps in [1e-6, 1e-5, 1e-4, 1e-3, 1e-2] {
                    if s.lagrange(&fix, root.lambda * (1.0 + eps), root.mu * (1.0 + eps))
                        .is_none()
                    {
                        self.finish(&s);
                        return false;
                    }
                    extra.push(s.pool_len() - 1);
                }
            }
            s.polish(&extra);
            self.absorb(&s);
            self.bound = self.bound.min(root.bound);
            let inc = self.incumbent();
            if fresh {
                self.effort.root_done = true;
                self.effort.root_bound = self.bound;
                self.effort.root_savings = inc;
                self.effort.root_runs = s.dp.runs;
                self.root_gap = super::gap(self.bound, inc);
                if self.gate
                    && self
                        .best
                        .as_ref()
                        .is_none_or(|(m, _)| !within_capacity(self.orig, m))
                {
                    self.binding = true;
                    self.finish(&s);
                    return false;
                }
            }
            if self.bound <= inc + root.tol {
                self.proven = true;
                self.finish(&s);
                return false;
            }
            if self.gap_reached() {
                self.finish(&s);
                return false;
            }
            if inc == f64::NEG_INFINITY {
                self.finish(&s);
                return true;
            }
            // Fix what the bound decides.
            let (lam, mu) = s.node_arg;
            let tol = prob.tol(lam, mu);
            let w = Weights::lagrange(lam, mu);
            s.dp.solve(&prob, &fix, w);
            s.dp.flips(&prob, &fix, w);
            let cut = inc + tol + lam * prob.floor as f64;
            let mut tight = fix.clone();
            let mut fixed = 0usize;
            for (i, f) in tight.iter_mut().enumerate() {
                if *f != Fix::Free {
                    continue;
                }
                let [k, m] = s.dp.flip[i];
                match (k <= cut, m <= cut) {
                    (true, true) => {
                        // No plan at all beats the best known.
                        self.proven = true;
                        self.finish(&s);
                        return false;
                    }
                    (true, false) => *f = Fix::Merge,
                    (false, true) => *f = Fix::Keep,
                    (false, false) => continue,
                }
                fixed += 1;
            }
            self.finish(&s);
            if self.stop.is_some() {
                return false;
            }
            if fresh || fixed > 0 {
                self.effort.core_sites = prob.free - fixed;
            }
            if fixed == 0 {
                return true;
            }
            match reduce(&prob, &tight) {
                Some(r) => self.levels.push(r),
                None => {
                    // The fixed sites alone break the capacity: nothing
                    // beats the best plan.
                    self.proven = true;
                    return false;
                }
            }
            // A small gain is not worth another root.
            if fixed * 20 < prob.free {
                return true;
            }
        }
    }

    /// Best-first branch and bound on the innermost reduction.
    fn branch(&mut self) {
        let Some(level) = self.levels.last() else {
            return;
        };
        let prob = level.prob.clone();
        let mut s = self.search(&prob);
        let mut fix = prob.fix.clone();
        let mut heap = BinaryHeap::new();
        let upper = self.bound;
        match self.node(&mut s, &mut fix, Vec::new(), Vec::new(), 0.0) {
            None => {
                self.finish(&s);
                return;
            }
            Some(Node::Open(o)) => heap.push(o),
            Some(Node::Closed) => {}
        }
        self.effort.nodes += 1;
        loop {
            let inc = s.incumbent();
            let Some(top) = heap.peek() else {
                self.proven = true;
                break;
            };
            let bound = top.bound.min(upper);
            self.bound = self.bound.min(bound.max(inc));
            if bound <= inc + top.tol {
                self.proven = true;
                break;
            }
            if inc > f64::NEG_INFINITY && bound - inc <= self.limits.gap * bound.abs() {
                break;
            }
            if self.limits.deadline.is_some_and(|d| Instant::now() >= d) {
                s.stop = Some(StoppedBy::Time);
                break;
            }
            let closed = if self.root_gap > 0.0 {
                (1.0 - super::gap(bound, inc) / self.root_gap).clamp(0.0, 1.0)
            } else {
                0.0
            };
            s.fraction = self.fraction(closed);
            let Some(node) = heap.pop() else { break };
            for val in [Fix::Merge, Fix::Keep] {
                let mut fixes = node.fixes.clone();
                fixes.push((node.branch as u32, val));
                let want = val == Fix::Merge;
                let seed: Vec<Plane> = node
                    .planes
                    .iter()
                    .filter(|p| p.merged(node.branch) == want)
                    .cloned()
                    .collect();
                let Some(child) = self.node(&mut s, &mut fix, fixes, seed, node.mu) else {
                    break;
                };
                self.effort.nodes += 1;
                if let Node::Open(mut o) = child {
                    o.bound = o.bound.min(node.bound);
                    heap.push(o);
                }
            }
            if s.stop.is_some() {
                // The node is not fully explored: its bound still counts.
                self.bound = self.bound.min(node.bound.max(s.incumbent()));
                break;
            }
            if s.best_changed {
                s.polish_light();
            }
        }
        if self.proven {
            self.bound = s.incumbent();
        }
        self.finish(&s);
    }

    /// Processes a node: its bound, fixing, and the site to branch on.
    /// `None` when the search was stopped.
    fn node(
        &self,
        s: &mut Search,
        fix: &mut [Fix],
        mut fixes: Vec<(u32, Fix)>,
        seed: Vec<Plane>,
        mu0: f64,
    ) -> Option<Node> {
        let prob = s.prob;
        let reset = |fix: &mut [Fix], fixes: &[(u32, Fix)]| {
            for &(i, _) in fixes {
                fix[i as usize] = prob.fix[i as usize];
            }
        };
        for &(i, f) in &fixes {
            fix[i as usize] = f;
        }
        let Some(d) = s.node_dual(fix, seed, mu0, true) else {
            reset(fix, &fixes);
            return None;
        };
        let inc = s.incumbent();
        if d.infeasible || d.bound <= inc + d.tol || d.bound <= d.best + d.tol {
            reset(fix, &fixes);
            return Some(Node::Closed);
        }
        // Fixing within the node.
        let (lam, mu) = s.node_arg;
        let w = Weights::lagrange(lam, mu);
        s.dp.solve(prob, fix, w);
        s.dp.flips(prob, fix, w);
        let cut = inc + d.tol + lam * prob.floor as f64;
        let before = fixes.len();
        let mut pick: Option<(f64, f64, usize)> = None;
        for i in 0..prob.n {
            if fix[i] != Fix::Free {
                continue;
            }
            let [k, m] = s.dp.flip[i];
            match (k <= cut, m <= cut) {
                (true, true) => {
                    reset(fix, &fixes);
                    return Some(Node::Closed);
                }
                (true, false) => fixes.push((i as u32, Fix::Merge)),
                (false, true) => fixes.push((i as u32, Fix::Keep)),
                (false, false) => {
                    // The site whose other choice bounds highest: the
                    // relaxation is closest to indifferent about it.
                    let other = k.min(m);
                    let size = prob.save[i].abs();
                    if pick.is_none_or(|(o, sz, _)| {
                        other > o + d.tol || (other >= o - d.tol && size > sz)
                    }) {
                        pick = Some((other, size, i));
                    }
                }
            }
        }
        for &(i, f) in &fixes[before..] {
            fix[i as usize] = f;
        }
        let Some((_, _, branch)) = pick else {
            // Every site decided: one plan, offered by the run.
            let r = s.run(fix, w);
            reset(fix, &fixes);
            return r.map(|_| Node::Closed);
        };
        reset(fix, &fixes);
        let new = &fixes[before..];
        let planes = d
            .planes
            .into_iter()
            .filter(|p| {
                new.iter()
                    .all(|&(i, f)| p.merged(i as usize) == (f == Fix::Merge))
            })
            .collect();
        Some(Node::Open(Open {
            bound: d.bound,
            tol: d.tol,
            fixes,
            branch,
            planes,
            mu: d.mu,
        }))
    }
}
