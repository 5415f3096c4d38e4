//! The SQLite project file (format version 2): version 1 projects convert
//! with every figure unchanged, saves write only what changed, a save
//! killed half-way leaves the previous project, one writer at a time, and
//! hostile files give clear errors.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sitefold::execution::{AuditAction, AuditEntry, Date, StatusChange};
use sitefold::i18n::Lang;
use sitefold::inventory::{ImportOptions, import_bytes, write_csv};
use sitefold::plan::{Decision, Params, RuleSet};
use sitefold::project::{
    Project, ProjectError, ProjectStore, Scenario, open_project, save_project, to_bytes,
};
use sitefold::timeline::Quarter;
use sitefold::workspace::Workspace;

const RULES: &str = include_str!("../sample-data/rules-state-council.toml");

/// A generated inventory with awkward numbers (amounts to the last place
/// kept, scores that need 17 digits, missing values), decisions of every
/// kind, notes, closure quarters, statuses, an audit trail and scenarios.
fn workspace(n: usize, seed: u64) -> Workspace {
    let mut sites = sitefold::generate::generate(n, seed);
    for (i, s) in sites.iter_mut().enumerate() {
        if i % 5 == 0 {
            s.budget = sitefold::money::Money::from_units(
                i as i128 * 100_000 + 333_333,
                sitefold::money::MAX_PLACES,
            );
            s.inspection_score = Some(100.0 / 3.0);
            s.reprint_hours = Some(0.1 + 0.2);
        }
    }
    let mut csv = Vec::new();
    write_csv(&sites, &mut csv, Lang::Zh).expect("csv");
    // Some values missing in the file.
    let text = String::from_utf8(csv).expect("utf-8");
    let imported =
        import_bytes(text.as_bytes(), "generated.csv", &ImportOptions::default()).expect("import");
    let mut ws = Workspace::new(imported);
    let (rules, _) = RuleSet::parse(RULES, "rules.toml");
    ws.rules = rules;
    ws.params = Params {
        absorb_rate: 0.137,
        migrate_fixed: 12_345.6,
        ..Params::default()
    };
    let inv = ws.imported.inventory.clone();
    let q = Quarter::parse("2027Q3").expect("quarter");
    let day = Date::parse("2027-08-01").expect("date");
    for i in 0..inv.len() {
        let Some(parent) = inv.parent(i) else {
            continue;
        };
        ws.manual[i] = match i % 11 {
            0 => Some(Decision::Keep),
            1 => Some(Decision::Merge { target: None }),
            2 => Some(Decision::merge_into(Some(
                inv.parent(parent).unwrap_or(parent),
            ))),
            _ => None,
        };
        if i % 7 == 0 {
            ws.optimized[i] = Some(Decision::Merge { target: None });
        }
        if i % 17 == 0 {
            ws.notes.insert(i, format!("备注 {i}：预算不足"));
            ws.schedule[i] = Some(q);
            ws.execution.statuses.push(StatusChange {
                site_id: inv.site(i).id.to_string(),
                status: "approved".into(),
                date: day,
                person: "李明".into(),
                note: "批复".into(),
            });
        }
    }
    for k in 0..50 {
        ws.execution.audit.push(audit(k));
    }
    ws.execution.redirect_pattern = "{target_url}/old/{site_id}".into();
    ws
}

fn audit(k: usize) -> AuditEntry {
    AuditEntry::now("王芳", AuditAction::Decision)
        .site(&format!("S{k}"))
        .change("keep", "merge → C1")
        .reason(format!("第 {k} 次"))
}

fn project_of(ws: &Workspace) -> Project {
    let mut p = Project::from_workspace(ws, Lang::Zh);
    p.scenarios.push(Scenario::from_workspace("当前方案", ws));
    let mut alt = Scenario::from_workspace("只按规则", ws);
    alt.manual.clear();
    alt.params.absorb_fixed = 8000.0;
    p.scenarios.push(alt);
    p
}

/// Every site's cells, floats as bits (so that 0.1 + 0.2 must come back
/// as itself, not as 0.3).
fn exact_sites(p: &Project) -> Vec<String> {
    p.inventory
        .sites
        .iter()
        .map(|s| {
            format!(
                "{}|{}|{}|{:?}|{:?}|{}|{}|{}|{}|{}|{:?}|{}|{:?}|{:?}|{:?}|{}|{:?}",
                s.id,
                s.name,
                s.url,
                s.level,
                s.kind,
                s.parent_id,
                s.region,
                s.budget.decimal(),
                s.staff,
                s.population,
                s.monthly_visits,
                s.online_services,
                s.inspection_score.map(f64::to_bits),
                s.inspection_passed,
                s.reprint_hours.map(f64::to_bits),
                s.line,
                s.missing,
            )
        })
        .collect()
}

/// Everything a project holds but its time stamps.
fn assert_same(a: &Project, b: &Project) {
    assert_eq!(exact_sites(a), exact_sites(b));
    assert_eq!(a.inventory.header, b.inventory.header);
    assert_eq!(a.inventory.mapping, b.inventory.mapping);
    assert_eq!(
        serde_json::to_string(&a.inventory.report).expect("json"),
        serde_json::to_string(&b.inventory.report).expect("json")
    );
    assert_eq!(a.manual, b.manual);
    assert_eq!(a.optimized, b.optimized);
    assert_eq!(a.notes, b.notes);
    assert_eq!(a.rules, b.rules);
    assert_eq!(a.params, b.params);
    assert_eq!(a.plan_errors, b.plan_errors);
    assert_eq!(a.file_issues, b.file_issues);
    assert_eq!(a.scenarios, b.scenarios);
    assert_eq!(a.schedule, b.schedule);
    assert_eq!(a.timeline, b.timeline);
    assert_eq!(a.execution, b.execution);
    assert_eq!(a.lang, b.lang);
}

fn figures(p: &Project) -> String {
    let ws = p.clone().into_workspace();
    serde_json::to_string(&ws.summary_by_area()).expect("summary")
}

#[test]
fn a_v1_json_project_converts_with_every_figure_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = workspace(3000, 7);
    let original = project_of(&ws);
    let v1 = dir.path().join("旧 项目.sitefold");
    std::fs::write(&v1, to_bytes(&original)).expect("v1 file");
    assert!(
        std::fs::read(&v1)
            .expect("read")
            .starts_with(b"{\"format\"")
    );

    // Opened for writing, saved: the same file is now an SQLite project.
    let (mut store, from_json) = ProjectStore::open(&v1).expect("v1 opens");
    assert_same(&original, &from_json);
    let stats = store.save(&from_json).expect("converted on save");
    assert!(stats.whole);
    drop(store);
    let bytes = std::fs::read(&v1).expect("read");
    assert!(bytes.starts_with(b"SQLite format 3\0"));
    let header = sitefold::project::store::parse_header(&bytes).expect("header");
    assert_eq!(
        header.application_id,
        sitefold::project::store::APPLICATION_ID as u32
    );
    assert_eq!(header.user_version, sitefold::project::VERSION);

    let converted = open_project(&v1).expect("v2 opens");
    assert_same(&original, &converted);
    assert_eq!(figures(&original), figures(&converted));
    assert!(!converted.created.is_empty() && !converted.saved.is_empty());

    // And any SQLite reader sees the tables.
    let conn = rusqlite::Connection::open(&v1).expect("sqlite");
    let sites: i64 = conn
        .query_row("SELECT count(*) FROM sites", [], |r| r.get(0))
        .expect("count");
    assert_eq!(sites, 3000);
    let (budget, missing): (String, Option<String>) = conn
        .query_row(
            "SELECT budget, (SELECT budget FROM sites WHERE budget IS NULL LIMIT 1) \
             FROM sites WHERE pos = 5",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("budget");
    assert_eq!(
        budget,
        original.inventory.sites[5]
            .budget
            .decimal()
            .normalize()
            .to_string()
    );
    assert_eq!(missing, None);
    let format: String = conn
        .query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| {
            r.get(0)
        })
        .expect("meta");
    assert_eq!(format, "sitefold-project");
}

#[test]
fn an_edit_saves_only_what_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.sitefold");
    let ws = workspace(2000, 3);
    let mut project = project_of(&ws);
    let mut store = ProjectStore::create(&path, &project).expect("create");
    assert!(store.is_locked());

    // Nothing changed: nothing but the time of the save is written.
    let stats = store.save(&project).expect("save");
    assert!(!stats.whole);
    assert_eq!(
        (
            stats.sites,
            stats.keyed,
            stats.audit,
            stats.statuses,
            stats.scenarios
        ),
        (0, 0, 0, 0, 0)
    );

    // One cell, one decision, one note, two audit entries.
    project.inventory.sites[10].budget = sitefold::money::Money::yuan(123_456);
    let first = project.manual[0].site_id.clone();
    project.manual.retain(|d| d.site_id != first);
    // (Notes are listed in site order, as a project from a workspace lists them.)
    project.notes.insert(
        0,
        sitefold::project::SiteNote {
            site_id: project.inventory.sites[1].id.to_string(),
            note: "新备注".into(),
        },
    );
    project.execution.audit.push(audit(50));
    project.execution.audit.push(audit(51));
    project.scenarios[1].name = "改名".into();
    let stats = store.save(&project).expect("save");
    assert!(!stats.whole);
    assert_eq!(stats.sites, 1);
    assert_eq!(stats.keyed, 2);
    assert_eq!(stats.audit, 2);
    assert_eq!(stats.scenarios, 1);
    let back = open_project(&path).expect("open");
    assert_same(&project, &back);

    // A trail that no longer continues what was written is written whole.
    project.execution.audit.remove(3);
    let stats = store.save(&project).expect("save");
    assert_eq!(stats.audit, project.execution.audit.len());
    assert_same(&project, &open_project(&path).expect("open"));

    // Another program replaced the file: written whole, not into the
    // replaced file's remains.
    drop(store);
    let (mut store, mut opened) = ProjectStore::open(&path).expect("reopen");
    std::thread::sleep(Duration::from_millis(20));
    let other = dir.path().join("other.sitefold");
    save_project(&other, &project_of(&workspace(50, 9))).expect("other");
    std::fs::rename(&other, &path).expect("replace");
    opened.params.absorb_rate = 0.5;
    let stats = store.save(&opened).expect("save");
    assert!(stats.whole);
    assert_same(&opened, &open_project(&path).expect("open"));

    // A caller that names the state of its sites (the app's document)
    // spares the comparison while it stays the same.
    let mut view = sitefold::project::ProjectView::from(&opened);
    view.sites_version = Some(7);
    store.save(view).expect("save");
    opened.inventory.sites[3].name = "改名的网站".into();
    let mut view = sitefold::project::ProjectView::from(&opened);
    view.sites_version = Some(8);
    assert_eq!(store.save(view).expect("save").sites, 1);
    let mut view = sitefold::project::ProjectView::from(&opened);
    view.sites_version = Some(8);
    assert_eq!(store.save(view).expect("save").sites, 0);
    assert_same(&opened, &open_project(&path).expect("open"));
}

#[test]
fn two_writers_on_one_project() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("共同 项目.sitefold");
    let project = project_of(&workspace(300, 5));
    let first = ProjectStore::create(&path, &project).expect("first writer");

    // A second writer in this process is told.
    let err = ProjectStore::open(&path).expect_err("second writer");
    assert!(matches!(err, ProjectError::Locked { .. }), "{err:?}");
    assert!(
        err.message(Lang::En)
            .contains("open for editing in another")
    );
    assert!(err.message(Lang::Zh).contains("另一个 Sitefold 窗口"));
    let err = save_project(&path, &project).expect_err("save onto it");
    assert!(matches!(err, ProjectError::Locked { .. }));
    // Reading is allowed.
    assert_same(&project, &open_project(&path).expect("read"));

    // A second process (the command line) refuses to write it.
    let csv = dir.path().join("inv.csv");
    let mut bytes = Vec::new();
    write_csv(&sitefold::generate::generate(20, 1), &mut bytes, Lang::En).expect("csv");
    std::fs::write(&csv, bytes).expect("write");
    let before = std::fs::read(&path).expect("read");
    let out = Command::new(env!("CARGO_BIN_EXE_sitefold"))
        .args(["project", "new", "--lang", "en"])
        .arg(&csv)
        .arg("--out")
        .arg(&path)
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("open for editing in another"), "{stderr}");
    assert_eq!(std::fs::read(&path).expect("read"), before);

    // Once the first lets go, the second may write.
    drop(first);
    let (mut second, opened) = ProjectStore::open(&path).expect("free now");
    second.save(&opened).expect("save");
    drop(second);
    let out = Command::new(env!("CARGO_BIN_EXE_sitefold"))
        .args(["project", "new", "--lang", "en"])
        .arg(&csv)
        .arg("--out")
        .arg(&path)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(open_project(&path).expect("open").inventory.sites.len(), 20);
}

/// Set to a folder, the child below saves a project in it until killed.
const CHILD: &str = "SITEFOLD_TEST_SAVE_FOREVER";

/// Not a test of its own: run by `kill_during_save_leaves_the_previous_project_readable`
/// as a separate process (it returns at once otherwise).
#[test]
fn child_saves_until_killed() {
    let Ok(dir) = std::env::var(CHILD) else {
        return;
    };
    let whole = std::env::var("SITEFOLD_TEST_WHOLE").is_ok();
    let path = Path::new(&dir).join("p.sitefold");
    let ws = workspace(20_000, 11);
    let mut project = project_of(&ws);
    project.execution.audit.clear();
    let mut store = if whole {
        None
    } else {
        Some(ProjectStore::create(&path, &project).expect("create"))
    };
    for k in 1usize.. {
        // Every site's budget and one more audit entry: each save is
        // a long transaction (or a whole new file).
        for s in &mut project.inventory.sites {
            s.budget = sitefold::money::Money::yuan(1000 + k as i64);
        }
        project.execution.audit.push(audit(k));
        println!("begin {k}");
        match &mut store {
            Some(store) => {
                store.save(&project).expect("save");
            }
            None => save_project(&path, &project).expect("save"),
        }
        println!("saved {k}");
    }
}

/// What version of the child's project a file holds: the number of
/// audit entries, checked against every site's budget.
fn version_of(path: &Path) -> usize {
    let p = open_project(path).expect("the previous project opens");
    let k = p.execution.audit.len();
    let want = rust_decimal::Decimal::from(1000 + k as i64);
    assert!(
        p.inventory.sites.iter().all(|s| s.budget.decimal() == want),
        "a save half-applied (version {k})"
    );
    k
}

fn kill_during_saves(whole: bool) -> bool {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(std::env::current_exe().expect("test binary"));
    cmd.args(["child_saves_until_killed", "--exact", "--nocapture"])
        .env(CHILD, dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if whole {
        cmd.env("SITEFOLD_TEST_WHOLE", "1");
    }
    let mut child = cmd.spawn().expect("spawn");
    let out = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(out).lines();
    let mut begun = Instant::now();
    let mut took = Duration::ZERO;
    let mut last_saved = 0;
    for line in lines.by_ref() {
        let line = line.expect("line");
        if line.starts_with("begin") {
            begun = Instant::now();
        } else if let Some(k) = line.strip_prefix("saved ") {
            last_saved = k.trim().parse().expect("number");
            took = begun.elapsed();
            if last_saved == 3 {
                break;
            }
        }
    }
    assert_eq!(last_saved, 3, "the child saved");
    // Into the middle of the next save.
    for line in lines.by_ref() {
        if line.expect("line").starts_with("begin") {
            break;
        }
    }
    std::thread::sleep(took / 2);
    child.kill().expect("kill");
    let _ = child.wait();
    // The save begun last was cut short unless it said it had finished.
    let cut_short = !lines.map_while(Result::ok).any(|l| l.starts_with("saved"));
    let path = dir.path().join("p.sitefold");
    let k = version_of(&path);
    assert!(k == 3 || k == 4, "version {k}");
    // The killed writer's lock went with it; what it left beside the
    // file (its write-ahead log, read as the file opened; a save cut
    // short in it is ignored) is gone once the next writer closes.
    let (mut store, p) = ProjectStore::open(&path).expect("no lock left behind");
    store.save(&p).expect("save");
    drop(store);
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut beside = path.as_os_str().to_os_string();
        beside.push(suffix);
        assert!(!Path::new(&beside).exists(), "{suffix} is left");
    }
    assert_eq!(version_of(&path), k);
    cut_short
}

#[test]
fn a_journal_left_before_its_header_was_written_goes_at_the_next_save() {
    // A writer killed just after it made its journal, before the
    // journal's header: the journal's bytes are zero, SQLite ignores it,
    // and a save of nothing new (within the same second) writes no
    // journal of its own that would replace it.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.sitefold");
    let ws = workspace(200, 5);
    let project = project_of(&ws);
    drop(ProjectStore::create(&path, &project).expect("create"));
    let before = open_project(&path).expect("opens");
    let mut journal = path.as_os_str().to_os_string();
    journal.push("-journal");
    let journal = PathBuf::from(journal);
    for left in [vec![0u8; 512], Vec::new()] {
        std::fs::write(&journal, &left).expect("journal");
        let (mut store, p) = ProjectStore::open(&path).expect("opens");
        store.save(&p).expect("save");
        assert!(
            !journal.exists(),
            "a journal of {} bytes is left",
            left.len()
        );
        drop(store);
        let again = open_project(&path).expect("opens");
        assert_eq!(again.inventory.sites, before.inventory.sites);
        assert_eq!(again.manual, before.manual);
    }
}

#[test]
fn kill_during_save_leaves_the_previous_project_readable() {
    // In place (a window's saves): at least one kill lands inside a
    // save, and the file still opens as the save before (or, when the
    // kill came after the commit, as that save).
    let mut inside = false;
    for _ in 0..3 {
        inside |= kill_during_saves(false);
        if inside {
            break;
        }
    }
    assert!(inside, "no kill landed inside a save");
    // Whole files (the command line, the recovery file).
    kill_during_saves(true);
}

fn hostile(dir: &Path, name: &str, make: impl FnOnce(&rusqlite::Connection)) -> PathBuf {
    let p = dir.join(name);
    let conn = rusqlite::Connection::open(&p).expect("sqlite");
    make(&conn);
    drop(conn);
    p
}

#[test]
fn hostile_sqlite_files_give_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.sitefold");
    save_project(&good, &project_of(&workspace(2000, 2))).expect("save");
    let bytes = std::fs::read(&good).expect("read");

    // Some other program's database.
    let other = hostile(dir.path(), "other.sitefold", |c| {
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .expect("make");
    });
    let err = open_project(&other).expect_err("not ours");
    assert!(matches!(err, ProjectError::NotAProject { .. }), "{err:?}");
    assert!(err.message(Lang::En).contains("other.sitefold"));

    // From a newer Sitefold.
    let newer = dir.path().join("newer.sitefold");
    std::fs::copy(&good, &newer).expect("copy");
    rusqlite::Connection::open(&newer)
        .and_then(|c| c.pragma_update(None, "user_version", 3))
        .expect("bump");
    let err = open_project(&newer).expect_err("newer");
    assert!(
        matches!(err, ProjectError::TooNew { version: 3, .. }),
        "{err:?}"
    );
    assert!(err.message(Lang::Zh).contains("更新版本"));

    // Cut short, and damaged in many places: an error naming the file,
    // never a panic.
    for cut in [50, 100, 4096, bytes.len() / 2, bytes.len() - 1] {
        let p = dir.path().join("cut.sitefold");
        std::fs::write(&p, &bytes[..cut]).expect("write");
        let err = open_project(&p).expect_err("cut");
        assert!(err.message(Lang::En).contains("cut.sitefold"), "{err}");
    }
    let p = dir.path().join("cut.sitefold");
    std::fs::write(&p, &bytes[..bytes.len() / 2]).expect("write");
    assert!(matches!(
        open_project(&p).expect_err("cut"),
        ProjectError::Truncated { .. }
    ));
    // Still cut short with a journal beside it that holds no save (a
    // writer killed before writing the journal's header).
    std::fs::write(dir.path().join("cut.sitefold-journal"), [0u8; 512]).expect("journal");
    assert!(matches!(
        open_project(&p).expect_err("cut"),
        ProjectError::Truncated { .. }
    ));
    let _ = std::fs::remove_file(dir.path().join("cut.sitefold-journal"));
    for at in (100..bytes.len()).step_by(bytes.len() / 61) {
        let mut bad = bytes.clone();
        for b in &mut bad[at..(at + 64).min(bytes.len())] {
            *b ^= 0x5A;
        }
        let p = dir.path().join("bad.sitefold");
        std::fs::write(&p, &bad).expect("write");
        if let Err(e) = open_project(&p) {
            assert!(e.message(Lang::En).contains("bad.sitefold"), "{e}");
        }
    }

    // Edited with another tool: bad cells are reported, not trusted.
    let edited = dir.path().join("edited.sitefold");
    std::fs::copy(&good, &edited).expect("copy");
    rusqlite::Connection::open(&edited)
        .and_then(|c| {
            c.execute_batch(
                "UPDATE sites SET inspection_score = 'abc' WHERE pos = 3;
                 UPDATE sites SET level = '星球' WHERE pos = 4;
                 DELETE FROM sites WHERE pos = 6;",
            )
        })
        .expect("edit");
    let p = open_project(&edited).expect("opens with findings");
    assert_eq!(p.inventory.sites.len(), 1998);
    assert!(p.file_issues.len() >= 2, "{:?}", p.file_issues);
    let (mut store, p) = ProjectStore::open(&edited).expect("store");
    store.save(&p).expect("save");
    drop(store);
    let again = open_project(&edited).expect("opens");
    assert_eq!(exact_sites(&again), exact_sites(&p));
    // The edited rows were written again as checked: nothing new is found.
    assert_eq!(again.file_issues, p.file_issues);

    // A decision that is neither keep nor merge; an unknown audit action.
    for (name, sql) in [
        (
            "decision.sitefold",
            "UPDATE decisions SET action = 'explode' \
             WHERE site_id = (SELECT site_id FROM decisions LIMIT 1)",
        ),
        ("audit.sitefold", "UPDATE audit SET action = 'teleport'"),
        (
            "meta.sitefold",
            "UPDATE meta SET value = '{' WHERE key = 'params'",
        ),
        ("table.sitefold", "DROP TABLE audit"),
    ] {
        let p = dir.path().join(name);
        std::fs::copy(&good, &p).expect("copy");
        rusqlite::Connection::open(&p)
            .and_then(|c| c.execute_batch(sql))
            .expect("edit");
        let err = open_project(&p).expect_err("damaged");
        assert!(
            matches!(err, ProjectError::Damaged { .. }),
            "{name}: {err:?}"
        );
        assert!(err.message(Lang::En).contains(name));
    }

    // Absurd row counts are refused before they are read.
    let many = dir.path().join("many.sitefold");
    std::fs::copy(&good, &many).expect("copy");
    rusqlite::Connection::open(&many)
        .and_then(|c| {
            c.execute_batch(&format!(
                "WITH RECURSIVE n(x) AS (SELECT 100000 UNION ALL SELECT x + 1 FROM n WHERE x < {})
                 INSERT INTO sites (pos, id, name, url, level, kind, parent_id, region, line)
                 SELECT x, 'S' || x, '', '', 'county', 'portal', '', '', 0 FROM n;",
                100_000 + sitefold::inventory::MAX_ROWS
            ))
        })
        .expect("grow");
    let t = Instant::now();
    let err = open_project(&many).expect_err("too many");
    assert!(err.message(Lang::En).contains("more than"), "{err}");
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    let scen = dir.path().join("scenarios.sitefold");
    std::fs::copy(&good, &scen).expect("copy");
    rusqlite::Connection::open(&scen)
        .and_then(|c| {
            c.execute_batch(&format!(
                "WITH RECURSIVE n(x) AS (SELECT 100 UNION ALL SELECT x + 1 FROM n WHERE x < {})
                 INSERT INTO scenarios (pos, name, rules, params) SELECT x, 's', '{{}}', '{{}}' FROM n;",
                100 + sitefold::project::MAX_SCENARIOS
            ))
        })
        .expect("grow");
    let err = open_project(&scen).expect_err("too many");
    assert!(
        matches!(err, ProjectError::TooManyScenarios { .. }),
        "{err:?}"
    );
}

fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_os_string();
    p.push(suffix);
    PathBuf::from(p)
}

/// A save in place leaves the file itself holding it, with nothing beside
/// it: a copy taken (or mailed) while the project is still open in the
/// app, after the app was killed, or after it closed the project, is the
/// last save; another window reads every save while this one writes.
#[test]
fn the_file_alone_holds_every_save_open_or_closed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.sitefold");
    let mut project = project_of(&workspace(500, 4));
    let mut store = ProjectStore::create(&path, &project).expect("create");
    let file_alone_holds = |project: &Project| {
        for suffix in ["-wal", "-shm", "-journal"] {
            assert!(!beside(&path, suffix).exists(), "{suffix} beside the file");
        }
        let elsewhere = tempfile::tempdir().expect("tempdir");
        let copy = elsewhere.path().join("copy.sitefold");
        std::fs::copy(&path, &copy).expect("copy");
        assert_same(project, &open_project(&copy).expect("open the copy"));
    };
    for k in 0..3 {
        project.inventory.sites[k].name = format!("改名 {k}").into();
        for s in project.inventory.sites.iter_mut().skip(k + 3).step_by(7) {
            s.name = format!("{}（改）", s.name).into();
        }
        project.execution.audit.push(audit(100 + k));
        assert!(!store.save(&project).expect("save").whole);
        assert_same(&project, &open_project(&path).expect("read while open"));
        file_alone_holds(&project);
    }
    drop(store);
    file_alone_holds(&project);
}
