//! The schedule and the cash flow: `cargo bench --bench timeline` (a site
//! count can follow `--`). Numbers go in BENCHMARKS.md.
//!
//! Targets (issue 15): with 100,000 sites, the cash flow of a full
//! schedule under 50 ms after an edit, the scheduler under 2 s.

use std::time::{Duration, Instant};

use sitefold::inventory::Inventory;
use sitefold::money::Money;
use sitefold::outcome::{Evaluator, Model};
use sitefold::plan::{Decision, Params, RuleSet, resolve};
use sitefold::timeline::{Evaluated, Horizon, Limits, Quarter, cash_flow, schedule};

/// The best (shortest wall time) of `runs` calls.
fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        last = Some(v);
    }
    match last {
        Some(v) => (best, v),
        None => unreachable!("runs > 0"),
    }
}

fn ms(t: Duration) -> f64 {
    t.as_secs_f64() * 1e3
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let inv = Inventory::link(sitefold::generate::generate(n, 1)).0;
    let (rules, _) = RuleSet::parse(
        include_str!("../sample-data/rules-state-council.toml"),
        "rules.toml",
    );
    let params = Params::default();
    let model = Model::new(&inv, &params);
    let mut decisions = resolve(&inv, &vec![None; inv.len()], &rules, &params).decisions;
    let mut ev = Evaluator::default();
    let outcome = ev.evaluate(&inv, &model, &decisions);
    let horizon = Horizon {
        start: Quarter::new(2027, 1).unwrap_or_else(Quarter::after_today),
        years: 5,
    };
    println!(
        "inventory: {} sites, {} merged, horizon {} quarters",
        inv.len(),
        outcome.merged,
        horizon.len()
    );
    let plan = Evaluated {
        inv: &inv,
        model: &model,
        decisions: &decisions,
        serving: &outcome.serving,
    };
    let none = vec![None; inv.len()];
    let unlimited = Limits::default();
    let (t, full) = best_of(5, || schedule(&plan, &none, horizon, &unlimited));
    println!(
        "scheduler, no limits:                   {:>8.1} ms ({} placed)",
        ms(t),
        full.placed
    );
    let limited = Limits {
        max_closures_per_quarter: Some((outcome.merged as u64 / 30).max(1)),
        max_closures_per_target_per_quarter: Some(3),
        max_one_time_per_year: Some(Money::yuan(
            (outcome.one_time_cost.to_f64() / 6.0).round() as i64
        )),
    };
    let (t, s) = best_of(5, || schedule(&plan, &none, horizon, &limited));
    println!(
        "scheduler, three limits:                {:>8.1} ms ({} placed, {} unfit)",
        ms(t),
        s.placed,
        s.unfit.len()
    );
    let (t, flow) = best_of(20, || cash_flow(&plan, &full.quarters, horizon));
    println!(
        "cash flow of a full schedule:           {:>8.2} ms ({} scheduled)",
        ms(t),
        flow.scheduled
    );
    // An edit: one site's decision changes; the outcome is evaluated again
    // and the cash flow worked out afresh.
    let site = (0..inv.len())
        .find(|&i| inv.parent(i).is_some() && decisions[i] == Decision::Keep)
        .unwrap_or(0);
    let quarters = {
        let mut q = full.quarters.clone();
        q[site] = Some(horizon.start.plus(3));
        q
    };
    let (t, _) = best_of(20, || {
        decisions[site] = match decisions[site] {
            Decision::Keep => Decision::Merge { target: None },
            Decision::Merge { .. } => Decision::Keep,
        };
        let outcome = ev.evaluate(&inv, &model, &decisions);
        let plan = Evaluated {
            inv: &inv,
            model: &model,
            decisions: &decisions,
            serving: &outcome.serving,
        };
        cash_flow(&plan, &quarters, horizon)
    });
    println!("one edit: evaluation + cash flow:       {:>8.2} ms", ms(t));
}
