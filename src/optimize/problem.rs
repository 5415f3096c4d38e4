//! The optimization problem in flat arrays: what each site saves when merged,
//! whether it passes, whose coverage depends on its serving site, and which
//! sites the optimizer may decide.

use crate::i18n::Text;
use crate::inventory::Inventory;
use crate::outcome::Model;
use crate::plan::{Decision, check_decision};

use super::{Options, Protection};

/// No parent.
pub(crate) const NONE: u32 = u32::MAX;

/// What the optimizer may do with a site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fix {
    /// Keep or merge (into the nearest kept ancestor).
    Free,
    /// Kept: a top site, a protected site or a locked keep.
    Keep,
    /// Merged into the nearest kept ancestor (a locked merge).
    Merge,
    /// Merged into an explicit target (a locked merge): served by
    /// serving(target), so its residents count where the target's chain
    /// ends, not here.
    Explicit,
}

impl Fix {
    pub(crate) fn may_keep(self) -> bool {
        matches!(self, Fix::Free | Fix::Keep)
    }
}

/// Why a site's decision is not the optimizer's to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Held {
    /// The optimizer decides.
    Free,
    /// A top site.
    Top,
    /// A planner's decision.
    Locked,
    /// Protected by level and kind.
    Protected,
}

/// The problem, flattened.
#[derive(Clone, Debug)]
pub(crate) struct Problem {
    pub n: usize,
    pub parent: Vec<u32>,
    /// Parents before children.
    pub order: Vec<u32>,
    pub child_start: Vec<u32>,
    pub child_list: Vec<u32>,
    /// budget − absorb_cost: what merging the site saves per year.
    pub save: Vec<f64>,
    pub pass: Vec<bool>,
    /// Residents whose coverage is decided by this site's serving site
    /// (own_pop, plus that of locked merges whose explicit target chain ends
    /// here; 0 for such a locked merge itself).
    pub weight: Vec<u64>,
    /// Locked explicit merges whose target chain ends here: they are
    /// absorbed by whatever serves this site.
    pub extra: Vec<u32>,
    pub fix: Vec<Fix>,
    pub held: Vec<Held>,
    /// The decision of a site that is not free (Keep for a free one).
    pub locked: Vec<Decision>,
    /// Persons that must be covered.
    pub floor: u64,
    pub min_pass: Option<f64>,
    pub cap: Option<u32>,
    pub population: u64,
    pub covered_before: u64,
    pub free: usize,
    /// Σ |save| + 1: a scale for tolerances.
    pub scale: f64,
    /// Sites of the inventory (a reduced problem keeps its original's).
    pub sites: usize,
    /// The figures of the sites a reduction decided (zero otherwise): every
    /// plan's measure starts from them.
    pub base: Measure,
}

impl Problem {
    pub(crate) fn children(&self, i: usize) -> &[u32] {
        &self.child_list[self.child_start[i] as usize..self.child_start[i + 1] as usize]
    }

    /// Builds the problem. Fails on a lock that cannot stand (a merge of a
    /// top site is simply a keep, as in the evaluator).
    pub(crate) fn new(
        inv: &Inventory,
        model: &Model,
        locks: &[Option<Decision>],
        opts: &Options,
    ) -> Result<Problem, Text> {
        let n = inv.len();
        let sites = inv.sites();
        let parent: Vec<u32> = sites.iter().map(|s| s.parent.unwrap_or(NONE)).collect();
        let order = inv.parents_first().to_vec();
        let mut child_start = vec![0u32; n + 1];
        let mut child_list = Vec::with_capacity(n);
        for i in 0..n {
            child_list.extend_from_slice(inv.children(i));
            child_start[i + 1] = child_list.len() as u32;
        }
        let save: Vec<f64> = (0..n).map(|i| model.saving(i).to_f64()).collect();
        let protect: &Protection = &opts.protect;
        let mut fix = vec![Fix::Free; n];
        let mut held = vec![Held::Free; n];
        let mut locked = vec![Decision::Keep; n];
        let mut target = vec![NONE; n];
        for i in 0..n {
            let lock = locks.get(i).copied().flatten();
            if parent[i] == NONE {
                fix[i] = Fix::Keep;
                held[i] = if lock.is_some() {
                    Held::Locked
                } else {
                    Held::Top
                };
                continue;
            }
            match lock {
                Some(d) => {
                    if let Err(e) = check_decision(inv, i, d) {
                        return Err(Text::new(
                            format!("网站 {} 的人工决定无效：{}", sites[i].id, e.zh),
                            format!(
                                "the manual decision of site {} is invalid: {}",
                                sites[i].id, e.en
                            ),
                        ));
                    }
                    held[i] = Held::Locked;
                    locked[i] = d;
                    fix[i] = match d {
                        Decision::Keep => Fix::Keep,
                        Decision::Merge { target: None } => Fix::Merge,
                        Decision::Merge { target: Some(t) } => {
                            target[i] = t;
                            Fix::Explicit
                        }
                    };
                }
                None if protect.covers(&sites[i]) => {
                    held[i] = Held::Protected;
                    fix[i] = Fix::Keep;
                }
                None => {}
            }
        }
        // Locked explicit merges count where their target chain ends.
        let mut res: Vec<u32> = (0..n as u32).collect();
        let mut weight = vec![0u64; n];
        let mut extra = vec![0u32; n];
        for &i in &order {
            let i = i as usize;
            if fix[i] == Fix::Explicit {
                res[i] = res[target[i] as usize];
                let r = res[i] as usize;
                weight[r] += model.own_pop[i];
                extra[r] += 1;
            } else {
                weight[i] += model.own_pop[i];
            }
        }
        let population = model.population;
        let covered_before: u64 = (0..n)
            .filter(|&i| model.passes[i])
            .map(|i| model.own_pop[i])
            .sum();
        let floor = match opts.floor {
            super::Floor::Current => covered_before,
            super::Floor::Fraction(f) => floor_persons(f, population),
            super::Floor::Persons(p) => p,
        };
        let free = fix.iter().filter(|f| **f == Fix::Free).count();
        let scale = save.iter().map(|s| s.abs()).sum::<f64>() + 1.0;
        Ok(Problem {
            n,
            parent,
            order,
            child_start,
            child_list,
            save,
            pass: model.passes.clone(),
            weight,
            extra,
            fix,
            held,
            locked,
            floor,
            min_pass: opts.min_pass_rate,
            cap: opts.max_absorbed.map(|c| c.min(u32::MAX as u64 - 1) as u32),
            population,
            covered_before,
            free,
            scale,
            sites: n,
            base: Measure::default(),
        })
    }

    /// The programme's objective for the sites a reduction decided.
    pub(crate) fn base_value(&self, alpha: f64, lambda: f64, mu: f64) -> f64 {
        let b = &self.base;
        alpha * b.save + lambda * b.covered as f64 + mu * b.pass_slack(self)
    }

    /// A bound that needs no search: every free site that saves merged,
    /// with the locked merges.
    pub(crate) fn trivial_bound(&self) -> f64 {
        let mut b = self.base.save;
        for i in 0..self.n {
            match self.fix[i] {
                Fix::Free => b += self.save[i].max(0.0),
                Fix::Merge | Fix::Explicit if self.parent[i] != NONE => b += self.save[i],
                _ => {}
            }
        }
        b
    }

    /// The rounding error the programme's value may carry at these
    /// multipliers: a few units in the last place of every term it adds,
    /// over the original inventory's size. A bound within this of a plan's
    /// savings proves the plan optimal.
    pub(crate) fn tol(&self, lambda: f64, mu: f64) -> f64 {
        let magnitude = self.scale
            + lambda * self.population as f64
            + mu * (1.0 + self.min_pass.unwrap_or(0.0)) * self.sites as f64;
        4.0 * (self.sites as f64 + 16.0) * f64::EPSILON * magnitude
    }

    /// True when `passing / kept ≥ R`, computed as the evaluator does.
    pub(crate) fn pass_ok(&self, passing: usize, kept: usize) -> bool {
        match self.min_pass {
            None => true,
            Some(r) => kept == 0 || passing as f64 / kept as f64 >= r,
        }
    }

    /// The plan's decisions from merged flags.
    pub(crate) fn decisions(&self, merged: &[bool]) -> Vec<Decision> {
        (0..self.n)
            .map(|i| match self.fix[i] {
                Fix::Free if merged[i] => Decision::Merge { target: None },
                Fix::Free => Decision::Keep,
                _ => self.locked[i],
            })
            .collect()
    }
}

/// The fewest persons `c` with `c / population ≥ f` as the evaluator
/// divides (population + 1 when no count reaches it).
pub fn floor_persons(f: f64, population: u64) -> u64 {
    if population == 0 || f <= 0.0 || f.is_nan() {
        return 0;
    }
    let pop = population as f64;
    if f > 1.0 {
        return population + 1;
    }
    let mut c = ((f * pop).ceil() as u64).min(population);
    while c > 0 && (c - 1) as f64 / pop >= f {
        c -= 1;
    }
    while c <= population && (c as f64 / pop) < f {
        c += 1;
    }
    c
}

/// Whether no kept site absorbs more merged sites than the capacity.
pub(crate) fn within_capacity(prob: &Problem, merged: &[bool]) -> bool {
    let Some(cap) = prob.cap else {
        return true;
    };
    most_absorbed(prob, merged) <= cap as u64
}

/// The most merged sites any kept site absorbs in this plan.
pub(crate) fn most_absorbed(prob: &Problem, merged: &[bool]) -> u64 {
    let mut held: Vec<u64> = prob.extra.iter().map(|&e| e as u64).collect();
    let mut most = 0;
    for &i in prob.order.iter().rev() {
        let i = i as usize;
        let p = prob.parent[i];
        if p != NONE && merged[i] {
            let own = (prob.fix[i] != Fix::Explicit) as u64;
            held[p as usize] += held[i] + own;
        } else {
            most = most.max(held[i]);
        }
    }
    most
}

/// A plan's figures, as the optimizer tracks them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Measure {
    pub save: f64,
    pub covered: u64,
    pub kept: usize,
    pub passing: usize,
}

impl Measure {
    /// passing − R·kept.
    pub(crate) fn pass_slack(&self, prob: &Problem) -> f64 {
        self.passing as f64 - prob.min_pass.unwrap_or(0.0) * self.kept as f64
    }

    pub(crate) fn feasible(&self, prob: &Problem) -> bool {
        self.covered >= prob.floor && prob.pass_ok(self.passing, self.kept)
    }
}

/// Measures merged flags (which must respect the fixes). `upp` receives
/// whether each site's serving site passes.
pub(crate) fn measure(prob: &Problem, merged: &[bool], upp: &mut Vec<bool>) -> Measure {
    upp.resize(prob.n, false);
    let mut m = prob.base;
    for &i in &prob.order {
        let i = i as usize;
        let p = prob.parent[i];
        if merged[i] && p != NONE {
            upp[i] = upp[p as usize];
            m.save += prob.save[i];
        } else {
            upp[i] = prob.pass[i];
            m.kept += 1;
            m.passing += prob.pass[i] as usize;
        }
        if upp[i] {
            m.covered += prob.weight[i];
        }
    }
    m
}
