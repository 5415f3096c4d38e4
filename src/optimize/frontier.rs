//! The savings–coverage frontier: the best plan for each of several
//! coverage floors, from the coverage of the unconstrained best plan up to
//! the most any plan reaches.

use std::time::Instant;

use crate::i18n::Lang;
use crate::inventory::{Inventory, fmt_number};
use crate::outcome::Model;
use crate::plan::{Decision, Params};

use super::dp::{Dp, Weights};
use super::problem::{Problem, measure};
use super::{Floor, OptimizeError, Options, StoppedBy, floor_persons, gap, run};

/// One point of the frontier.
#[derive(Clone, Debug)]
pub struct FrontierPoint {
    /// The floor (fraction).
    pub floor: Option<f64>,
    /// The floor in residents.
    pub floor_persons: u64,
    /// Annual savings of the plan (yuan).
    pub savings: f64,
    /// Its coverage after.
    pub coverage: Option<f64>,
    /// Its pass rate after.
    pub pass_rate: Option<f64>,
    /// Certified upper bound on the savings at this floor.
    pub bound: f64,
    /// (bound − savings) / bound.
    pub gap: f64,
    /// Merged sites.
    pub merged: usize,
    /// The plan (open it as a scenario).
    pub decisions: Vec<Decision>,
}

/// The frontier, lowest floor first.
#[derive(Clone, Debug, Default)]
pub struct Frontier {
    /// The points, floors rising; savings never rise along them.
    pub points: Vec<FrontierPoint>,
    /// Floors for which no plan exists (or none was found).
    pub omitted: usize,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// Computes `points` points of the frontier. The lowest floor is `lowest`
/// when given, else the coverage of the best plan without a floor; the
/// highest is the most coverage any plan reaches. Other constraints come
/// from `opts` (its floor is ignored).
pub fn frontier(
    inv: &Inventory,
    params: &Params,
    locks: &[Option<Decision>],
    opts: &Options,
    lowest: Option<Floor>,
    points: usize,
    progress: &dyn Fn(f32) -> bool,
) -> Result<Frontier, OptimizeError> {
    let start = Instant::now();
    let points = points.max(1);
    let model = Model::new(inv, params);
    let mut o = opts.clone();
    o.floor = Floor::Persons(0);
    let mut prob = Problem::new(inv, &model, locks, &o).map_err(OptimizeError::InvalidLock)?;
    let step = |k: usize, f: f32| progress((k as f32 + f) / (points as f32 + 1.0));
    let free = run(
        inv,
        &model,
        &prob,
        locks,
        &o,
        &|f| step(0, f),
        Instant::now(),
    )?;
    if free.stopped_by == StoppedBy::Cancel {
        return Err(OptimizeError::Cancelled);
    }
    let hi = {
        let mut dp = Dp::default();
        let v = dp.solve(
            &prob,
            &prob.fix,
            Weights {
                alpha: 0.0,
                lambda: 1.0,
                mu: 0.0,
            },
        );
        if v == f64::NEG_INFINITY {
            free.outcome.covered.after
        } else {
            measure(&prob, &dp.merged, &mut Vec::new()).covered
        }
    };
    let lo = match lowest {
        None => free.outcome.covered.after,
        Some(Floor::Current) => prob.covered_before,
        Some(Floor::Fraction(f)) => floor_persons(f, prob.population),
        Some(Floor::Persons(p)) => p,
    }
    .min(hi);
    let floors: Vec<u64> = if points == 1 {
        vec![lo]
    } else {
        (0..points)
            .map(|k| lo + ((hi - lo) as f64 * k as f64 / (points - 1) as f64).round() as u64)
            .collect()
    };
    let mut out = Frontier::default();
    for (k, &f) in floors.iter().enumerate() {
        prob.floor = f;
        let sol = if f <= free.outcome.covered.after && f == lo && lowest.is_none() {
            Ok(free.clone())
        } else {
            run(
                inv,
                &model,
                &prob,
                locks,
                &o,
                &|x| step(k + 1, x),
                Instant::now(),
            )
        };
        match sol {
            Ok(s) if s.stopped_by == StoppedBy::Cancel => return Err(OptimizeError::Cancelled),
            Ok(s) => out.points.push(FrontierPoint {
                floor: (prob.population > 0).then(|| f as f64 / prob.population as f64),
                floor_persons: f,
                savings: s.savings,
                coverage: s.coverage,
                pass_rate: s.pass_rate,
                bound: s.bound,
                gap: s.gap,
                merged: s.merged,
                decisions: s.decisions,
            }),
            Err(OptimizeError::Cancelled) => return Err(OptimizeError::Cancelled),
            Err(_) => out.omitted += 1,
        }
    }
    // A plan for a higher floor also meets a lower one: carry the better
    // plan down, so savings never rise with the floor.
    for k in (0..out.points.len().saturating_sub(1)).rev() {
        if out.points[k + 1].savings > out.points[k].savings {
            let up = out.points[k + 1].clone();
            let p = &mut out.points[k];
            p.savings = up.savings;
            p.coverage = up.coverage;
            p.pass_rate = up.pass_rate;
            p.merged = up.merged;
            p.decisions = up.decisions;
        }
    }
    // A bound for a lower floor also bounds a higher one.
    for k in 1..out.points.len() {
        let below = out.points[k - 1].bound;
        let p = &mut out.points[k];
        p.bound = p.bound.min(below);
    }
    for p in &mut out.points {
        p.bound = p.bound.max(p.savings);
        p.gap = gap(p.bound, p.savings);
    }
    let _ = progress(1.0);
    out.seconds = start.elapsed().as_secs_f64();
    Ok(out)
}

/// Headers of the frontier table.
pub fn frontier_headers(lang: Lang) -> [&'static str; 6] {
    [
        lang.pick("覆盖率下限", "coverage_floor"),
        lang.pick("覆盖率", "coverage"),
        lang.pick("年节约（元）", "savings"),
        lang.pick("节约上界（元）", "bound"),
        lang.pick("差距", "gap"),
        lang.pick("合并网站数", "merged"),
    ]
}

/// Writes the frontier as CSV: UTF-8 with BOM and CRLF.
pub fn write_frontier_csv<W: std::io::Write>(
    f: &Frontier,
    out: W,
    lang: Lang,
) -> std::io::Result<()> {
    let mut w = crate::inventory::excel_csv(out)?;
    w.write_record(frontier_headers(lang))?;
    let share = |v: Option<f64>| v.map_or_else(String::new, |x| format!("{x:.6}"));
    for p in &f.points {
        w.write_record([
            share(p.floor),
            share(p.coverage),
            fmt_number(p.savings),
            fmt_number(p.bound),
            format!("{:.6}", p.gap),
            p.merged.to_string(),
        ])?;
    }
    w.flush()
}
