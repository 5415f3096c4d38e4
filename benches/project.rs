//! Project files and spreadsheet inventories: `cargo bench --bench project
//! [N]` (N sites, 100,000 by default, with 3 N audit entries). Numbers go
//! in BENCHMARKS.md.
//!
//! A plain timing harness (best of several runs); each figure is one call,
//! single-threaded. Saves include the atomic rename and the fsync.

use std::time::{Duration, Instant};

use sitefold::execution::{AuditAction, AuditEntry};
use sitefold::i18n::Lang;
use sitefold::inventory::{ImportOptions, import_bytes, import_path, write_csv};
use sitefold::plan::{Decision, RuleSet};
use sitefold::project::{Project, ProjectStore, ProjectView, open_project, save_project, to_bytes};
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

fn audit_entry(k: usize) -> AuditEntry {
    let mut e = AuditEntry::now("王芳", AuditAction::Decision)
        .site(&format!("T{k:06}"))
        .change("keep", "merge → C000123")
        .reason("预算低于 2 万元，检查不合格");
    e.time = "2026-05-06T09:12:00Z".into();
    e
}

/// Saves of a project open in a window: a store holding the file, and an
/// edit (one cell, one decision, one audit entry) saved in place.
fn incremental(ws: &Workspace, dir: &std::path::Path) {
    let path = dir.join("store.sitefold");
    let mut project = Project::from_workspace(ws, Lang::Zh);
    let t = std::time::Instant::now();
    let mut store = match ProjectStore::create(&path, &project) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot create: {e}");
            return;
        }
    };
    println!(
        "ProjectStore::create (whole file):    {:>8.1} ms",
        ms(t.elapsed())
    );
    let mut edit_times = Vec::new();
    let mut app_times = Vec::new();
    for k in 0..20 {
        let i = 1 + k * 97;
        project.inventory.sites[i].budget = sitefold::money::Money::yuan(5000 + k as i64);
        project.manual.pop();
        project.execution.audit.push(audit_entry(k));
        let t = std::time::Instant::now();
        match store.save(&project) {
            Ok(stats) if !stats.whole && stats.sites == 1 && stats.audit == 1 => {}
            Ok(stats) => eprintln!("unexpected save: {stats:?}"),
            Err(e) => {
                eprintln!("save failed: {e}");
                return;
            }
        }
        edit_times.push(t.elapsed());
    }
    // As the app saves: the project's parts borrowed from the workspace.
    let mut ws = ws.clone();
    // The document's version of its sites (it changes when a cell does).
    fn view(ws: &Workspace) -> ProjectView<'_> {
        let mut v = ProjectView::of_workspace(ws, Lang::Zh, &[], "");
        v.sites_version = Some(1);
        v
    }
    if let Err(e) = store.save(view(&ws)) {
        eprintln!("save failed: {e}");
        return;
    }
    for k in 0..20 {
        let i = 1 + k * 97;
        ws.manual[i] = Some(Decision::Keep);
        ws.execution.audit.push(audit_entry(k));
        let t = std::time::Instant::now();
        match store.save(view(&ws)) {
            Ok(stats) if !stats.whole && stats.keyed == 1 && stats.audit == 1 => {}
            Ok(stats) => eprintln!("unexpected save: {stats:?}"),
            Err(e) => {
                eprintln!("save failed: {e}");
                return;
            }
        }
        app_times.push(t.elapsed());
    }
    edit_times.sort();
    app_times.sort();
    println!(
        "edit saved in place (median, worst):  {:>8.1} ms {:>6.1} ms",
        ms(edit_times[edit_times.len() / 2]),
        ms(edit_times[edit_times.len() - 1])
    );
    println!(
        "app save after an edit (median, worst): {:>6.1} ms {:>6.1} ms",
        ms(app_times[app_times.len() / 2]),
        ms(app_times[app_times.len() - 1])
    );
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
    // A manual decision on every tenth site below the top.
    for i in (0..ws.manual.len()).step_by(10) {
        if ws.imported.inventory.parent(i).is_some() {
            ws.manual[i] = Some(Decision::Merge { target: None });
        }
    }
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("no temporary folder: {e}");
            return;
        }
    };
    let path = dir.path().join("bench.sitefold");
    println!("project of {n} sites");

    // An audit trail three times the sites (issue #15's benchmark).
    for k in 0..3 * n {
        ws.execution.audit.push(audit_entry(k));
    }
    let (t, project) = best_of(5, || Project::from_workspace(&ws, Lang::Zh));
    println!("Project::from_workspace:              {:>8.1} ms", ms(t));
    let (t, bytes) = best_of(5, || to_bytes(&project));
    println!(
        "serialise as version 1 ({:.1} MB JSON): {:>8.1} ms",
        bytes.len() as f64 / 1e6,
        ms(t)
    );
    let (t, saved) = best_of(5, || save_project(&path, &project));
    if let Err(e) = saved {
        eprintln!("save failed: {e}");
        return;
    }
    println!(
        "save_project, whole file ({:.1} MB):   {:>8.1} ms",
        std::fs::metadata(&path).map_or(0.0, |m| m.len() as f64 / 1e6),
        ms(t)
    );
    let (t, _) = best_of(5, || {
        let p = Project::from_workspace(&ws, Lang::Zh);
        save_project(&path, &p)
    });
    println!("save from a workspace (total):        {:>8.1} ms", ms(t));
    let (t, opened) = best_of(5, || open_project(&path));
    let opened = match opened {
        Ok(p) => p,
        Err(e) => {
            eprintln!("open failed: {e}");
            return;
        }
    };
    println!("open_project (read + parse):          {:>8.1} ms", ms(t));
    let (t, back) = best_of(5, || opened.clone().into_workspace());
    println!("into_workspace (link + decisions):    {:>8.1} ms", ms(t));
    let (t, _) = best_of(5, || open_project(&path).map(Project::into_workspace));
    println!("open to a workspace (total):          {:>8.1} ms", ms(t));
    if back.summary() != ws.summary() {
        eprintln!("the reopened project differs");
    }
    incremental(&ws, dir.path());

    // The same inventory as an .xlsx workbook.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    let text =
        String::from_utf8_lossy(csv.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&csv)).into_owned();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    for (r, rec) in reader.records().enumerate() {
        let Ok(rec) = rec else { continue };
        for (c, cell) in rec.iter().enumerate() {
            let written = match cell.parse::<f64>() {
                Ok(v) if r > 0 => sheet.write_number(r as u32, c as u16, v).map(|_| ()),
                _ => sheet.write_string(r as u32, c as u16, cell).map(|_| ()),
            };
            if written.is_err() {
                eprintln!("cannot write the workbook");
                return;
            }
        }
    }
    let xlsx = match wb.save_to_buffer() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot write the workbook: {e}");
            return;
        }
    };
    let xlsx_path = dir.path().join("bench.xlsx");
    if std::fs::write(&xlsx_path, &xlsx).is_err() {
        return;
    }
    let (t, imported) = best_of(3, || import_path(&xlsx_path, &ImportOptions::default()));
    match imported {
        Ok(i) if i.inventory.len() == n => println!(
            "xlsx import ({:.1} MB):                {:>8.1} ms",
            xlsx.len() as f64 / 1e6,
            ms(t)
        ),
        Ok(i) => eprintln!("xlsx import gave {} sites", i.inventory.len()),
        Err(e) => eprintln!("xlsx import failed: {e}"),
    }
}
