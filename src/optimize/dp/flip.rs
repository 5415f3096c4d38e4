//! What the other choice would be worth, for every site at once.
//!
//! After a run of the programme (children first), one pass parents first
//! works out, for each site, the best value of everything outside its
//! subtree given the site's context (and, with a capacity, how many
//! merged sites its subtree hands up). Inside plus outside gives, for
//! every site, the programme's best objective with the site kept and with
//! it merged.
//!
//! Each is a Lagrangian value over the plans that decide the site that
//! way, so it bounds all of them: when the bound of one choice is no better
//! than a plan already known, the site can be fixed to the other choice
//! (reduced-cost fixing, exact on a tree).

use super::{Dp, NEG, Weights};
use crate::optimize::problem::{Fix, NONE, Problem};

fn may_merge(f: Fix) -> bool {
    !matches!(f, Fix::Keep)
}

/// Max-plus convolution of `a` and `b`, truncated to `len` entries, into
/// `out`.
pub(super) fn conv(a: &[f64], b: &[f64], len: usize, out: &mut Vec<f64>) {
    out.clear();
    if a.is_empty() || b.is_empty() {
        return;
    }
    let n = (a.len() + b.len() - 1).min(len);
    out.resize(n, NEG);
    for (i, &x) in a.iter().enumerate() {
        if x == NEG || i >= n {
            continue;
        }
        let top = b.len().min(n - i);
        for (o, &y) in out[i..i + top].iter_mut().zip(&b[..top]) {
            let v = x + y;
            if v > *o {
                *o = v;
            }
        }
    }
}

impl Dp {
    /// After [`Dp::solve`] with the same problem, fixes and weights, fills
    /// [`Dp::flip`]: per site, the best objective with it kept and with it
    /// merged (−∞ where the fixes or the capacity forbid it).
    pub(crate) fn flips(&mut self, prob: &Problem, fix: &[Fix], w: Weights) {
        self.flip.clear();
        self.flip.resize(prob.n, [NEG; 2]);
        if self.total == NEG {
            return;
        }
        match prob.cap {
            None => self.flips_free(prob, fix),
            Some(cap) => {
                // Locked merges into an explicit target never reach a
                // reduced problem; without them the tables are simpler.
                if fix.contains(&Fix::Explicit) {
                    self.flip.iter_mut().for_each(|f| *f = [f64::INFINITY; 2]);
                    return;
                }
                self.flips_cap(prob, fix, w, cap as usize)
            }
        }
    }

    fn flips_free(&mut self, prob: &Problem, fix: &[Fix]) {
        let n = prob.n;
        let total = self.total;
        let value = |kv: &[f64; 3], f: Fix, b: usize| match f {
            Fix::Keep => kv[0],
            Fix::Merge | Fix::Explicit => kv[1 + b],
            Fix::Free => kv[0].max(kv[1 + b]),
        };
        self.out.clear();
        self.out.resize(2 * n, NEG);
        for &i in &prob.order {
            let i = i as usize;
            let p = prob.parent[i];
            let kv = self.kv[i];
            if p == NONE {
                self.flip[i] = [total, NEG];
                self.out[2 * i] = total - kv[0];
                self.out[2 * i + 1] = total - kv[0];
                continue;
            }
            let p = p as usize;
            let kp = self.kv[p];
            let (o0, o1) = (self.out[2 * p], self.out[2 * p + 1]);
            let mut o = [NEG; 2];
            if fix[p].may_keep() || prob.parent[p] == NONE {
                let b = prob.pass[p] as usize;
                o[b] = o0.max(o1) + kp[0] - value(&kv, fix[i], b);
            }
            if prob.parent[p] != NONE && may_merge(fix[p]) {
                for (b, op) in [o0, o1].into_iter().enumerate() {
                    let c = op + kp[1 + b] - value(&kv, fix[i], b);
                    if c > o[b] {
                        o[b] = c;
                    }
                }
            }
            self.out[2 * i] = o[0];
            self.out[2 * i + 1] = o[1];
            let keep = if fix[i].may_keep() {
                o[0].max(o[1]) + kv[0]
            } else {
                NEG
            };
            let merge = if may_merge(fix[i]) {
                (o[0] + kv[1]).max(o[1] + kv[2])
            } else {
                NEG
            };
            self.flip[i] = [keep, merge];
        }
    }

    fn flips_cap(&mut self, prob: &Problem, fix: &[Fix], w: Weights, cap: usize) {
        let n = prob.n;
        let len = cap + 1;
        let total = self.total;
        let r = prob.min_pass.unwrap_or(0.0);
        let (mu_pass, mu_fail) = (w.mu * (1.0 - r), -w.mu * r);
        let mut out = std::mem::take(&mut self.out);
        out.clear();
        out.resize(2 * n * len, NEG);
        let row = |i: usize, b: usize| (2 * i + b) * len;
        let mut pre: Vec<Vec<f64>> = Vec::new();
        let mut suf: Vec<Vec<f64>> = Vec::new();
        let mut s = Vec::new();
        let mut pm = Vec::new();
        for &p in &prob.order {
            let p = p as usize;
            let top = prob.parent[p] == NONE;
            if top {
                let keep = self.kv[p][0];
                self.flip[p] = [total, NEG];
                out[row(p, 0)] = total - keep;
                out[row(p, 1)] = total - keep;
            }
            let kids = prob.children(p);
            if kids.is_empty() {
                continue;
            }
            let e = prob.extra[p] as usize;
            let ostar = out[row(p, 0)].max(out[row(p, 1)]);
            let lw = w.lambda * prob.weight[p] as f64;
            let own_keep = if prob.pass[p] { mu_pass + lw } else { mu_fail };
            for b in 0..2 {
                let keeps = (fix[p].may_keep() || top)
                    && prob.pass[p] as usize == b
                    && e <= cap
                    && ostar > NEG;
                let op = &out[row(p, b)..row(p, b) + len];
                let merges = !top && may_merge(fix[p]) && op.iter().any(|&v| v > NEG);
                if !keeps && !merges {
                    continue;
                }
                // Prefix and suffix combinations of the children's tables.
                let d = kids.len();
                pre.resize_with(d + 1, Vec::new);
                suf.resize_with(d + 1, Vec::new);
                pre[0].clear();
                pre[0].push(0.0);
                for k in 0..d {
                    let (a, rest) = pre.split_at_mut(k + 1);
                    conv(&a[k], self.table(kids[k] as usize, b), len, &mut rest[0]);
                }
                suf[d].clear();
                suf[d].push(0.0);
                for k in (0..d).rev() {
                    let (a, rest) = suf.split_at_mut(k + 1);
                    conv(&rest[0], self.table(kids[k] as usize, b), len, &mut a[k]);
                }
                let sv = w.alpha * prob.save[p];
                let base = sv + if b == 1 { lw } else { 0.0 };
                let shift = 1 + e;
                for k in 0..d {
                    let c = kids[k] as usize;
                    conv(&pre[k], &suf[k + 1], len, &mut s);
                    let oc = row(c, b);
                    if keeps {
                        pm.clear();
                        let mut m = NEG;
                        for &v in &s {
                            m = m.max(v);
                            pm.push(m);
                        }
                        let lim = cap - e;
                        for j in 0..=lim {
                            let Some(&best) = pm.get((lim - j).min(pm.len().saturating_sub(1)))
                            else {
                                break;
                            };
                            let v = ostar + own_keep + best;
                            if v > out[oc + j] {
                                out[oc + j] = v;
                            }
                        }
                    }
                    if merges && shift <= cap {
                        let op = row(p, b);
                        for j in 0..=cap - shift {
                            let mut best = NEG;
                            for (t, &sv) in s.iter().enumerate() {
                                let at = shift + j + t;
                                if at > cap {
                                    break;
                                }
                                let o = out[op + at];
                                if o > NEG && sv > NEG {
                                    best = best.max(o + sv);
                                }
                            }
                            if best > NEG {
                                let v = best + base;
                                if v > out[oc + j] {
                                    out[oc + j] = v;
                                }
                            }
                        }
                    }
                }
            }
            // Each child's two choices, inside plus outside.
            for &c in kids {
                let c = c as usize;
                let keep = if fix[c].may_keep() {
                    out[row(c, 0)].max(out[row(c, 1)]) + self.kv[c][0]
                } else {
                    NEG
                };
                let mut merge = NEG;
                if may_merge(fix[c]) {
                    for b in 0..2 {
                        let t = self.table(c, b);
                        for (j, &v) in t.iter().enumerate().skip(1) {
                            let o = out[row(c, b) + j];
                            if o > NEG && v > NEG {
                                merge = merge.max(o + v);
                            }
                        }
                    }
                }
                self.flip[c] = [keep, merge];
            }
        }
        self.out = out;
    }
}

#[cfg(test)]
mod tests {
    use crate::inventory::Inventory;
    use crate::optimize::dp::{Dp, Weights};
    use crate::optimize::problem::{Fix, Problem, measure};
    use crate::optimize::reduce::reduce;
    use crate::optimize::{Floor, Options, Protection};
    use crate::outcome::Model;
    use crate::plan::{Decision, Params};

    fn problem(seed: u64, cap: Option<u64>, protect: &str) -> Problem {
        let (inv, _) = Inventory::link(crate::generate::generate(1200, seed));
        let model = Model::new(&inv, &Params::default());
        let locks: Vec<Option<Decision>> = (0..inv.len())
            .map(|i| match (i as u64 * 7 + seed) % 29 {
                0 => Some(Decision::Keep),
                1 if inv.parent(i).is_some() => Some(Decision::Merge { target: None }),
                // Explicit merges into the top site would break any small
                // capacity by themselves.
                2 if cap.is_none() => inv
                    .ancestors(i)
                    .last()
                    .map(|t| Decision::merge_into(Some(t))),
                _ => None,
            })
            .collect();
        let opts = Options {
            floor: Floor::Fraction(0.9),
            protect: Protection::parse(protect).unwrap(),
            max_absorbed: cap,
            min_pass_rate: Some(0.8),
            ..Options::default()
        };
        Problem::new(&inv, &model, &locks, &opts).unwrap()
    }

    /// Each site's flip values are what the programme gives with the site
    /// fixed that way; on the reduced problem the programme's value and its
    /// plan's measure are the original's.
    #[test]
    fn flips_are_the_programme_with_the_site_fixed() {
        let mut checked = [0usize; 2];
        for (seed, cap, protect) in [
            (1, None, "none"),
            (2, None, "national,province"),
            (3, Some(4), "none"),
            (4, Some(12), "national,province,county:portal"),
            (5, Some(2), "national,province"),
        ] {
            let orig = problem(seed, cap, protect);
            let Some(red) = reduce(&orig, &orig.fix) else {
                continue;
            };
            let p = &red.prob;
            let mut dp = Dp::default();
            let mut check = Dp::default();
            let mut upp = Vec::new();
            for (lambda, mu) in [(0.0, 0.0), (2.5, 0.0), (0.7, 40_000.0)] {
                let w = Weights::lagrange(lambda, mu);
                let v = dp.solve(p, &p.fix, w);
                // The reduction keeps the value and the figures.
                let vo = check.solve(&orig, &orig.fix, w);
                if v == f64::NEG_INFINITY && vo == v {
                    continue;
                }
                assert!((v - vo).abs() <= 1e-9 * v.abs().max(1.0), "{v} vs {vo}");
                let m = measure(p, &dp.merged, &mut upp);
                let mo = measure(&orig, &red.expand(&dp.merged), &mut upp);
                assert_eq!(
                    (m.covered, m.kept, m.passing),
                    (mo.covered, mo.kept, mo.passing)
                );
                assert!((m.save - mo.save).abs() <= 1e-6 * m.save.abs().max(1.0));
                dp.flips(p, &p.fix, w);
                let mut fix = p.fix.clone();
                for i in (0..p.n).filter(|&i| p.fix[i] == Fix::Free).step_by(7) {
                    for (k, f) in [Fix::Keep, Fix::Merge].into_iter().enumerate() {
                        fix[i] = f;
                        let want = check.solve(p, &fix, w);
                        let got = dp.flip[i][k];
                        let ok = (want == f64::NEG_INFINITY && got == f64::NEG_INFINITY)
                            || (want - got).abs() <= 1e-9 * want.abs().max(1.0);
                        assert!(ok, "seed {seed} site {i} {f:?}: {got} vs {want}");
                        checked[cap.is_some() as usize] += 1;
                    }
                    fix[i] = Fix::Free;
                }
            }
        }
        assert!(checked[0] > 100 && checked[1] > 100, "{checked:?}");
    }
}
