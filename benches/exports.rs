//! Export benchmarks: `cargo bench --bench exports [SITES]`.
//!
//! A plain timing harness (best of several runs), single-threaded. Targets
//! (issue 4): the plan workbook of 100,000 sites under 3 s, a chart PNG
//! under 200 ms; (issue 17) the report (DOCX) of 100,000 sites under 3 s.

use std::time::{Duration, Instant};

use sitefold::charts::{ChartData, ChartKind, EXPORT_SIZE, save_png, save_svg};
use sitefold::i18n::Lang;
use sitefold::inventory::{ImportOptions, import_bytes, write_csv};
use sitefold::plan::RuleSet;
use sitefold::workspace::Workspace;

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

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn verdict(d: Duration, limit_ms: f64) -> &'static str {
    if ms(d) < limit_ms { "ok" } else { "TOO SLOW" }
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let sites = sitefold::generate::generate(n, 1);
    let mut csv = Vec::new();
    if let Err(e) = write_csv(&sites, &mut csv, Lang::Zh) {
        eprintln!("cannot write the inventory: {e}");
        return;
    }
    drop(sites);
    let imported = match import_bytes(&csv, "bench.csv", &ImportOptions::default()) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("import failed: {e}");
            return;
        }
    };
    let mut ws = Workspace::new(imported);
    let (rules, _) = RuleSet::parse(
        include_str!("../sample-data/rules-state-council.toml"),
        "rules.toml",
    );
    ws.rules = rules;
    let model = ws.model();
    let (resolved, outcome) = ws.evaluate();
    let data = sitefold::export::PlanExport {
        ws: &ws,
        model: &model,
        resolved: &resolved,
        outcome: &outcome,
    };
    println!(
        "plan: {} sites, {} merged, {} receiving sites",
        ws.imported.inventory.len(),
        outcome.merged,
        outcome.targets.len()
    );
    let dir = match tempfile_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("no temporary folder: {e}");
            return;
        }
    };

    let xlsx = dir.join("plan.xlsx");
    let (t, r) = best_of(3, || {
        sitefold::export::save_plan_xlsx(&data, Lang::Zh, &xlsx)
    });
    if let Err(e) = r {
        eprintln!("workbook failed: {e}");
        return;
    }
    let size = std::fs::metadata(&xlsx).map(|m| m.len()).unwrap_or(0);
    println!(
        "plan workbook (.xlsx, 6 sheets, 2 charts): {:>8.1} ms  {:.1} MB  [< 3000 ms: {}]",
        ms(t),
        size as f64 / 1e6,
        verdict(t, 3000.0)
    );

    for lang in [Lang::Zh, Lang::En] {
        let docx = dir.join(format!("report-{}.docx", lang.code()));
        let (t, r) = best_of(3, || {
            sitefold::export::write_export(
                sitefold::export::FileExport::Report,
                &ws,
                lang,
                &docx,
                &|_| true,
            )
        });
        if let Err(e) = r {
            eprintln!("report failed: {e}");
            return;
        }
        let size = std::fs::metadata(&docx).map(|m| m.len()).unwrap_or(0);
        println!(
            "report (.docx, {}, {} closing sites):   {:>8.1} ms  {:.1} MB  [< 3000 ms: {}]",
            lang.code(),
            outcome.merged,
            ms(t),
            size as f64 / 1e6,
            verdict(t, 3000.0)
        );
    }
    // Where the time goes: the words and charts, then the document.
    let (t, report) = best_of(3, || {
        sitefold::report::build(&data, Lang::Zh, None, &|_| true)
    });
    println!(
        "  of which the words, tables and 4 charts: {:>8.1} ms",
        ms(t)
    );
    if let Ok(report) = report {
        let (t, _) = best_of(3, || sitefold::report::render_docx(&report, &|_| true));
        println!(
            "  and the document (docx-rs, packed):      {:>8.1} ms",
            ms(t)
        );
    }
    // More closing sites: the 2017 guidelines close every township site.
    let mut more = ws.clone();
    more.rules = RuleSet::parse(
        include_str!("../sample-data/rules-2017-guidelines.toml"),
        "rules.toml",
    )
    .0;
    let docx = dir.join("report-2017.docx");
    let (t, r) = best_of(3, || {
        sitefold::export::write_export(
            sitefold::export::FileExport::Report,
            &more,
            Lang::Zh,
            &docx,
            &|_| true,
        )
    });
    if r.is_ok() {
        let size = std::fs::metadata(&docx).map(|m| m.len()).unwrap_or(0);
        println!(
            "report (.docx, zh, 2017 guidelines, {} closing sites): {:>8.1} ms  {:.1} MB",
            more.summary().plan.merged,
            ms(t),
            size as f64 / 1e6
        );
    }

    let (t, _) = best_of(3, || {
        let rows = sitefold::export::plan_rows(&ws, &model, &resolved, &outcome, Lang::Zh);
        let mut buf = Vec::new();
        let _ = sitefold::export::write_plan_csv(&ws.imported.inventory, &rows, &mut buf, Lang::Zh);
        buf.len()
    });
    println!(
        "plan CSV:                                  {:>8.1} ms",
        ms(t)
    );

    let summary = ws.summary();
    let (t, _) = best_of(5, || {
        let mut buf = Vec::new();
        let _ = sitefold::export::write_summary_csv(
            &summary,
            &ws.imported.inventory,
            &ws.params,
            &mut buf,
            Lang::Zh,
        );
        buf.len()
    });
    println!(
        "summary CSV:                               {:>8.2} ms",
        ms(t)
    );

    let chart = ChartData {
        inventory: &ws.imported.inventory,
        model: &model,
        outcome: &outcome,
        decisions: &resolved.decisions,
        flow: None,
        pass_rates: None,
    };
    let (w, h) = EXPORT_SIZE;
    for kind in ChartKind::ALL {
        let png = dir.join(format!("{}.png", kind.key()));
        let (t, r) = best_of(5, || save_png(&png, kind, &chart, Lang::Zh, w, h));
        if let Err(e) = r {
            eprintln!("{}: {e}", kind.key());
            continue;
        }
        let svg = dir.join(format!("{}.svg", kind.key()));
        let (ts, _) = best_of(5, || save_svg(&svg, kind, &chart, Lang::Zh, w, h));
        println!(
            "chart {:<18} PNG {w}x{h}: {:>7.1} ms [< 200 ms: {}]   SVG: {:>7.1} ms",
            kind.key(),
            ms(t),
            verdict(t, 200.0),
            ms(ts)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let d = std::env::temp_dir().join(format!("sitefold-bench-exports-{}", std::process::id()));
    std::fs::create_dir_all(&d)?;
    Ok(d)
}
