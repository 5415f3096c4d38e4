//! Core benchmarks: `cargo bench --bench core`. Numbers go in BENCHMARKS.md.
//!
//! A plain timing harness (best of several runs) keeps the build lean; each
//! figure is the time of one call, single-threaded.

use std::time::{Duration, Instant};

use sitefold::inventory::{ImportOptions, import_bytes, write_csv};
use sitefold::outcome::{Evaluator, Model};
use sitefold::plan::{Decision, RuleSet, resolve};
use sitefold::workspace::Workspace;

/// CPU time of this thread (Linux; zero elsewhere): unlike wall time it
/// does not grow when other programs share the cores.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// The best of `runs` calls: CPU time of this thread for long calls when
/// the system reports it, else wall time.
fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let (t, c) = (Instant::now(), thread_cpu());
        let v = f();
        let cpu = thread_cpu().saturating_sub(c);
        let wall = t.elapsed();
        // The kernel updates the thread's CPU time at ticks: trust it only
        // for calls long enough to span many.
        best = best.min(
            if cpu > Duration::ZERO && wall > Duration::from_millis(50) {
                cpu
            } else {
                wall
            },
        );
        last = Some(v);
    }
    match last {
        Some(v) => (best, v),
        None => unreachable!("runs > 0"),
    }
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let sites = sitefold::generate::generate(n, 1);
    let mut csv = Vec::new();
    if let Err(e) = write_csv(&sites, &mut csv, sitefold::i18n::Lang::Zh) {
        eprintln!("cannot write the inventory: {e}");
        return;
    }
    drop(sites);
    let gbk = encoding_rs::GBK
        .encode(std::str::from_utf8(&csv[3..]).unwrap_or_default())
        .0
        .into_owned();
    let rules_text = include_str!("../sample-data/rules-state-council.toml");
    println!(
        "inventory: {} sites, {:.1} MB CSV",
        n,
        csv.len() as f64 / 1e6
    );

    let (t, imported) = best_of(5, || {
        import_bytes(&csv, "bench.csv", &ImportOptions::default())
    });
    let Ok(imported) = imported else {
        eprintln!("import failed");
        return;
    };
    println!(
        "import + validate (UTF-8):              {:>8.1} ms",
        t.as_secs_f64() * 1e3
    );
    let (t, _) = best_of(5, || {
        import_bytes(&gbk, "bench.csv", &ImportOptions::default()).map(|i| i.inventory.len())
    });
    println!(
        "import + validate (GB18030):            {:>8.1} ms",
        t.as_secs_f64() * 1e3
    );

    let (rules, _) = RuleSet::parse(rules_text, "rules.toml");
    let mut ws = Workspace::new(imported.clone());
    ws.rules = rules.clone();
    let (t, _) = best_of(5, || {
        let imported = import_bytes(&csv, "bench.csv", &ImportOptions::default()).ok()?;
        let mut ws = Workspace::new(imported);
        ws.rules = rules.clone();
        Some(ws.summary())
    });
    println!(
        "import + validate + rules + outcomes:   {:>8.1} ms",
        t.as_secs_f64() * 1e3
    );

    let inv = &ws.imported.inventory;
    let model = Model::new(inv, &ws.params);
    let resolved = resolve(inv, &ws.manual, &ws.rules, &ws.params);
    let mut ev = Evaluator::default();
    let mut decisions = resolved.decisions.clone();
    let site = inv.len() / 2;
    let (t, _) = best_of(50, || {
        decisions[site] = match decisions[site] {
            Decision::Keep => Decision::Merge { target: None },
            Decision::Merge { .. } => Decision::Keep,
        };
        ev.evaluate(inv, &model, &decisions)
    });
    println!(
        "one-decision re-evaluation:             {:>8.2} ms",
        t.as_secs_f64() * 1e3
    );
    let (t, _) = best_of(20, || resolve(inv, &ws.manual, &ws.rules, &ws.params));
    println!(
        "resolve rules only:                     {:>8.2} ms",
        t.as_secs_f64() * 1e3
    );
    if let Some(mb) = peak_rss_mb() {
        println!("peak memory of this process:            {mb:>8.0} MB");
    }
}
