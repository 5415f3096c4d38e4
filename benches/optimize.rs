//! Optimizer benchmarks: `cargo bench --bench optimize`.
//!
//! A plain timing harness: each figure is one call, single-threaded, on a
//! generated inventory (`sitefold::generate`), default parameters and
//! protections, floor = today's coverage unless said otherwise.

use std::time::Instant;

use sitefold::inventory::Inventory;
use sitefold::optimize::{Floor, Options, frontier, optimize};
use sitefold::outcome::{Model, evaluate};
use sitefold::plan::Params;

fn inventory(n: usize) -> Inventory {
    Inventory::link(sitefold::generate::generate(n, 1)).0
}

fn report(label: &str, inv: &Inventory, params: &Params, opts: &Options) {
    // `cargo bench --bench optimize -- [N] [FILTER]`: only labels containing FILTER.
    let filter: Option<String> = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-') && a.parse::<usize>().is_err());
    if filter.is_some_and(|f| !label.contains(&f)) {
        return;
    }
    let t = Instant::now();
    let r = optimize(inv, params, &vec![None; inv.len()], opts, &|_| true);
    let secs = t.elapsed().as_secs_f64();
    match r {
        Ok(s) => {
            let root_gap = sitefold::optimize::gap(s.stats.root_bound, s.stats.root_savings);
            println!(
                "{label:<44} {:>8.1} ms  savings ¥{:>14.0}  bound ¥{:>14.0}  gap {:.5}%  (root: gap {:.5}%, {} runs; {} runs, {} nodes){}",
                secs * 1e3,
                s.savings,
                s.bound,
                s.gap * 100.0,
                root_gap * 100.0,
                s.stats.root_runs,
                s.stats.dp_runs,
                s.stats.nodes,
                if s.proven_optimal {
                    " proven optimal"
                } else {
                    ""
                }
            );
            // The figures are the evaluator's (exact, to the fen).
            let o = evaluate(inv, &Model::new(inv, params), &s.decisions);
            assert_eq!(o.annual_cost.savings.to_fen(), s.savings);
        }
        Err(e) => println!("{label:<44} {:>8.1} ms  {e}", secs * 1e3),
    }
}

/// One exact-search case: the time of the best of `runs` calls, whether
/// optimality was proven, and the gap.
fn exact_case(label: &str, inv: &Inventory, floor: f64, cap: Option<u64>, runs: usize) {
    let params = Params {
        max_absorbed_per_target: cap,
        ..Params::default()
    };
    let opts = Options {
        floor: Floor::Fraction(floor),
        max_absorbed: cap,
        gap_tolerance: Some(0.0),
        time_limit: Some(std::time::Duration::from_secs_f64(
            std::env::var("EXACT_TIME_LIMIT")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(60.0),
        )),
        ..Options::default()
    };
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = optimize(inv, &params, &vec![None; inv.len()], &opts, &|_| true);
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(r);
    }
    match last {
        Some(Ok(s)) => println!(
            "{label:<34} {:>9.1} ms  savings ¥{:>14.2}  bound ¥{:>16.2}  gap {:.6}%  {}  ({} runs, {} nodes, {} sites left at the root, stopped by {})",
            best * 1e3,
            s.savings,
            s.bound,
            s.gap * 100.0,
            if s.proven_optimal {
                "proven optimal"
            } else {
                "not proven"
            },
            s.stats.dp_runs,
            s.stats.nodes,
            s.stats.core_sites,
            s.stopped_by.key()
        ),
        Some(Err(e)) => println!("{label:<34} {:>9.1} ms  {e}", best * 1e3),
        None => {}
    }
}

/// `cargo bench --bench optimize -- exact [N] [quick]`: binding floors,
/// with and without a capacity, asking for a proof (gap 0, time limit 60 s
/// or `EXACT_TIME_LIMIT` seconds); `N` runs one size only, `quick` one call
/// per case.
fn exact_table() {
    let only: Option<usize> = std::env::args().skip(1).find_map(|a| a.parse().ok());
    let runs = if std::env::args().skip(1).any(|a| a == "quick") {
        1
    } else {
        3
    };
    if only.is_none() {
        let sample = sitefold::sample::sample().inventory;
        println!("sample province ({} sites)", sample.len());
        for (floor, cap) in [
            (0.93, None),
            (0.93, Some(40)),
            (0.93, Some(10)),
            (0.95, None),
            (0.95, Some(10)),
        ] {
            exact_case(&label(floor, cap), &sample, floor, cap, runs);
        }
    }
    for n in [3_000, 30_000, 100_000] {
        if only.is_some_and(|o| o != n) {
            continue;
        }
        let inv = inventory(n);
        println!("{n} generated sites");
        for floor in [0.95, 0.96, 0.97] {
            for cap in [None, Some(10)] {
                let runs = if n >= 100_000 { 1 } else { runs };
                exact_case(&label(floor, cap), &inv, floor, cap, runs);
            }
        }
    }
}

fn label(floor: f64, cap: Option<u64>) -> String {
    match cap {
        Some(c) => format!("floor {floor}, capacity {c}"),
        None => format!("floor {floor}"),
    }
}

fn main() {
    if std::env::args().skip(1).any(|a| a == "exact") {
        exact_table();
        return;
    }
    let arg: Option<usize> = std::env::args().skip(1).find_map(|a| a.parse().ok());
    let params = Params::default();
    let sizes: Vec<usize> = match arg {
        Some(n) => vec![n],
        None => vec![3_000, 100_000],
    };
    for &n in &sizes {
        let t = Instant::now();
        let inv = inventory(n);
        println!(
            "{} sites (generated in {:.0} ms)",
            n,
            t.elapsed().as_secs_f64() * 1e3
        );
        let base = Options::default();
        report("floor = current", &inv, &params, &base);
        // Under the default protections the best plan without a floor
        // already beats today's coverage (it folds failing townships into
        // passing counties), so floor = current does not bind: ask for more.
        for f in [0.95, 0.96, 0.97] {
            let o = Options {
                floor: Floor::Fraction(f),
                ..base.clone()
            };
            report(&format!("floor = {f}"), &inv, &params, &o);
        }
        let o = Options {
            floor: Floor::Fraction(0.96),
            protect: sitefold::optimize::Protection::none(),
            ..base.clone()
        };
        report("floor = 0.96, no protection", &inv, &params, &o);
        let o = Options {
            floor: Floor::Fraction(0.96),
            max_absorbed: Some(8),
            ..base.clone()
        };
        report("floor = 0.96, capacity 8", &inv, &params, &o);
        let o = Options {
            floor: Floor::Fraction(0.96),
            min_pass_rate: Some(0.95),
            ..base.clone()
        };
        report("floor = 0.96, pass rate ≥ 95%", &inv, &params, &o);
        let o = Options {
            floor: Floor::Fraction(0.96),
            max_absorbed: Some(8),
            min_pass_rate: Some(0.95),
            ..base.clone()
        };
        report(
            "floor = 0.96, capacity 8, pass rate ≥ 95%",
            &inv,
            &params,
            &o,
        );
        let filter = std::env::args()
            .skip(1)
            .any(|a| !a.starts_with('-') && a.parse::<usize>().is_err());
        if !filter && (n >= 100_000 || arg.is_some()) {
            let t = Instant::now();
            let f = frontier(
                &inv,
                &params,
                &vec![None; inv.len()],
                &base,
                None,
                20,
                &|_| true,
            );
            let secs = t.elapsed().as_secs_f64();
            match f {
                Ok(f) => {
                    let worst = f.points.iter().map(|p| p.gap).fold(0.0, f64::max);
                    println!(
                        "frontier, 20 points                          {:>8.1} ms  {} points, worst gap {:.5}%",
                        secs * 1e3,
                        f.points.len(),
                        worst * 100.0
                    );
                    for p in &f.points {
                        println!(
                            "    floor {:>7.3}%  savings ¥{:>14.0}  bound ¥{:>14.0}  gap {:.5}%  merged {}",
                            p.floor.unwrap_or(0.0) * 100.0,
                            p.savings,
                            p.bound,
                            p.gap * 100.0,
                            p.merged
                        );
                    }
                }
                Err(e) => println!("frontier: {e}"),
            }
        }
    }
}
