//! App benchmarks over the headless harness: `cargo bench --bench ui`.
//! Numbers go in BENCHMARKS.md. CPU time of whole frames (layout and
//! tessellation included, no GPU).

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use sitefold::i18n::Lang;
use sitefold::inventory::{ImportOptions, import_bytes, write_csv};
use sitefold::ui::command::{Command, Decide};
use sitefold::ui::table::SortKey;
use sitefold::ui::{Settings, SitefoldApp};
use sitefold::workspace::Workspace;

fn app(n: usize) -> Option<SitefoldApp> {
    let sites = sitefold::generate::generate(n, 1);
    let mut csv = Vec::new();
    write_csv(&sites, &mut csv, Lang::Zh).ok()?;
    let imported = import_bytes(&csv, "bench.csv", &ImportOptions::default()).ok()?;
    let settings = Settings {
        lang: Lang::Zh,
        ..Settings::default()
    };
    Some(SitefoldApp::new(Workspace::new(imported), None, settings))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// `rounds` one-site decisions (merging a site and clearing it by turns),
/// each timed over the frame that applies it and the one that redraws
/// cards and charts: the mean and worst, in ms.
fn one_site_decisions(
    harness: &mut Harness<'_, SitefoldApp>,
    n: usize,
    rounds: usize,
) -> (f64, f64) {
    let (mut worst, mut total) = (Duration::ZERO, Duration::ZERO);
    for k in 0..rounds {
        let site = 1 + k * (n / rounds).max(1) % n.max(2);
        let how = if k % 2 == 0 {
            Decide::MergeNearest
        } else {
            Decide::Clear
        };
        harness.state_mut().push(Command::Decide {
            sites: vec![site],
            how,
        });
        let t = Instant::now();
        harness.step();
        harness.step();
        let d = t.elapsed();
        worst = worst.max(d);
        total += d;
    }
    (ms(total) / rounds as f64, ms(worst))
}

fn main() {
    sitefold::tune_allocator();
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let Some(app) = app(n) else {
        eprintln!("cannot build the inventory");
        return;
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .with_context_setup(sitefold::ui::fonts::install)
        .build_ui_state(|ui, app: &mut SitefoldApp| app.ui(ui), app);
    for _ in 0..5 {
        harness.step();
    }
    println!("app with {n} sites");

    let dir = std::env::temp_dir().join(format!("sitefold-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    // `cargo bench --bench ui -- 1000000 open`: only the opening of a file.
    let only_open = std::env::args().any(|a| a == "open");
    if !only_open {
        let frames = 60;
        let t = Instant::now();
        for _ in 0..frames {
            harness.step();
        }
        println!(
            "idle frame:                        {:>8.2} ms",
            ms(t.elapsed()) / frames as f64
        );

        let rounds = 10;
        let (mean, worst) = one_site_decisions(&mut harness, n, rounds);
        println!("one-site decision shown (2 frames): {mean:>7.2} ms mean, {worst:.2} ms worst");

        // The Areas tab: the frame that works the figures out, idle frames
        // (cached per revision), and a one-site decision with the tab open.
        harness
            .state_mut()
            .push(Command::ShowTab(sitefold::ui::command::Tab::Areas));
        let t = Instant::now();
        harness.step();
        harness.step();
        println!(
            "areas tab, first 2 frames:         {:>8.2} ms ({} areas)",
            ms(t.elapsed()),
            harness.state().areas.rows().len()
        );
        let t = Instant::now();
        for _ in 0..frames {
            harness.step();
        }
        println!(
            "areas tab, idle frame:             {:>8.2} ms",
            ms(t.elapsed()) / frames as f64
        );
        let (mean, worst) = one_site_decisions(&mut harness, n, rounds);
        println!(
            "areas tab, one-site decision (2 frames): {mean:>7.2} ms mean, {worst:.2} ms worst"
        );
        // The Treemap tab (issue 17: under 16 ms a frame after the first
        // layout) and the Timeline tab (issue 15), each: the first frames,
        // then idle frames.
        for (tab, name) in [
            (sitefold::ui::command::Tab::Treemap, "treemap"),
            (sitefold::ui::command::Tab::Timeline, "timeline"),
        ] {
            harness.state_mut().push(Command::ShowTab(tab));
            let t = Instant::now();
            harness.step();
            harness.step();
            println!(
                "{name} tab, first 2 frames:       {:>8.2} ms",
                ms(t.elapsed())
            );
            let t = Instant::now();
            for _ in 0..frames {
                harness.step();
            }
            println!(
                "{name} tab, idle frame:           {:>8.2} ms ({} treemap cells)",
                ms(t.elapsed()) / frames as f64,
                harness.state().treemap.cells().len()
            );
        }
        harness
            .state_mut()
            .push(Command::ShowTab(sitefold::ui::command::Tab::Inventory));
        harness.step();

        for key in [SortKey::Name, SortKey::Budget, SortKey::Reason] {
            let t = Instant::now();
            harness.state_mut().table.sort = (key, false);
            harness.step();
            let first = t.elapsed();
            let mut worst = first;
            while harness.state().table.sorting() {
                std::thread::sleep(Duration::from_millis(1));
                let f = Instant::now();
                harness.step();
                worst = worst.max(f.elapsed());
            }
            println!(
                "sort {n} rows by {key:?}: first frame {:>7.2} ms, worst frame {:.2} ms, sorted after {:.0} ms",
                ms(first),
                ms(worst),
                ms(t.elapsed())
            );
        }

        // Frames while the plan workbook (or, past Excel's row limit, the plan
        // CSV) is written in the background.
        for (kind, name) in [
            (sitefold::ui::jobs::ExportKind::PlanXlsx, "plan.xlsx"),
            (sitefold::ui::jobs::ExportKind::PlanCsv, "plan.csv"),
        ] {
            let t = Instant::now();
            harness.state_mut().start_export(kind, dir.join(name));
            let (mut frames, mut worst, mut total) = (0u32, Duration::ZERO, Duration::ZERO);
            let mut worst_at = 0;
            while harness.state().export_job().is_some() {
                std::thread::sleep(Duration::from_millis(5));
                let f = Instant::now();
                harness.step();
                let d = f.elapsed();
                if d > worst {
                    worst = d;
                    worst_at = frames;
                }
                total += d;
                frames += 1;
            }
            println!(
                "export {name} in the background: done after {:.0} ms; {frames} frames meanwhile, mean {:.2} ms, worst {:.2} ms (frame {worst_at}) ({})",
                ms(t.elapsed()),
                ms(total) / f64::from(frames.max(1)),
                ms(worst),
                harness.state().status.clone().unwrap_or_default()
            );
        }
    }

    // Opening another file of the same size: frames while it loads, the
    // frame it lands in, and the ones after.
    let sites = sitefold::generate::generate(n, 2);
    let mut csv = Vec::new();
    let file = dir.join("other.csv");
    if write_csv(&sites, &mut csv, Lang::Zh).is_ok() && std::fs::write(&file, &csv).is_ok() {
        drop((sites, csv));
        // As if saved: opening over unsaved work would ask first.
        harness.state_mut().doc.mark_saved();
        let t = Instant::now();
        harness.state_mut().push(Command::Open(file));
        harness.step();
        let (mut frames, mut worst, mut landed) = (0u32, Duration::ZERO, Duration::ZERO);
        for _ in 0..100_000 {
            let loading = harness.state().pending_open().is_some();
            let f = Instant::now();
            harness.step();
            let d = f.elapsed();
            if loading && harness.state().pending_open().is_none() {
                landed = d;
                break;
            }
            worst = worst.max(d);
            frames += 1;
            std::thread::sleep(Duration::from_millis(5));
        }
        let mut after = Vec::new();
        for _ in 0..5 {
            let f = Instant::now();
            harness.step();
            after.push(ms(f.elapsed()));
        }
        println!(
            "open another {n}-site file: {:.0} ms; {frames} frames while loading, worst {:.2} ms; landing frame {:.2} ms; next frames {after:.1?} ms",
            ms(t.elapsed()),
            ms(worst),
            ms(landed)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
