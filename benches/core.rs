//! Core benchmarks: `cargo bench --bench core`. Numbers go in BENCHMARKS.md.
//!
//! A plain timing harness (best of several runs) keeps the build lean; each
//! figure is the wall time of one call (imports of large files use every
//! core).

use std::time::{Duration, Instant};

use sitefold::inventory::{ImportOptions, import_bytes, write_csv};
use sitefold::outcome::{Evaluator, Model};
use sitefold::plan::{Decision, RuleSet, resolve};
use sitefold::workspace::Workspace;

/// The best (shortest wall time) of `runs` calls. Wall time, not this
/// thread's CPU time: a large import reads on every core.
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
    let outcome = ev.evaluate(inv, &model, &decisions);
    let (t, map) = best_of(20, || sitefold::outcome::AreaMap::new(inv));
    println!(
        "map of areas (once per inventory):      {:>8.2} ms",
        t.as_secs_f64() * 1e3
    );
    let (t, _) = best_of(20, || map.outcomes(inv, &model, &outcome));
    println!(
        "outcomes by area:                       {:>8.2} ms",
        t.as_secs_f64() * 1e3
    );
    let (t, _) = best_of(20, || resolve(inv, &ws.manual, &ws.rules, &ws.params));
    println!(
        "resolve rules only:                     {:>8.2} ms",
        t.as_secs_f64() * 1e3
    );
    // Rules files: the line of each rule is looked up in an index of line
    // starts (it was counted from the top for each rule: quadratic).
    for count in [20_000, 100_000] {
        let text = many_rules(count);
        let (t, parsed) = best_of(3, || RuleSet::parse(&text, "rules.toml"));
        assert_eq!(parsed.0.rules.len(), count);
        println!(
            "parse {count:>6} rules ({:>4.1} MB):           {:>8.1} ms",
            text.len() as f64 / 1e6,
            t.as_secs_f64() * 1e3
        );
    }
    if let Some(mb) = peak_rss_mb() {
        println!("peak memory of this process:            {mb:>8.0} MB");
    }
}

/// A rules file of `count` rules of four lines each.
fn many_rules(count: usize) -> String {
    let mut text = String::new();
    for i in 0..count {
        text.push_str(&format!(
            "[[rules]]\nname = \"r{i}\"\naction = \"merge\"\nlevels = [\"township\"]\nbudget_below = {}\n\n",
            1000 + i
        ));
    }
    text
}
