//! Project files: round trips, old versions, damaged and foreign files,
//! and the command line on a project.

use std::path::{Path, PathBuf};
use std::time::Instant;

use sitefold::cli::{Run, run_with};
use sitefold::diag::FileIssue;
use sitefold::i18n::{Lang, Text};
use sitefold::inventory::{ImportOptions, import_bytes, write_csv};
use sitefold::plan::{Decision, Params, RuleSet};
use sitefold::project::{
    Project, ProjectError, Scenario, VERSION, is_project_path, open_project, save_project,
};
use sitefold::workspace::{Inputs, Workspace};

const RULES: &str = include_str!("../sample-data/rules-state-council.toml");

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write fixture");
    p
}

/// A generated inventory with awkward numbers, manual decisions of every
/// kind, the sample rules and custom parameters.
fn workspace(n: usize) -> Workspace {
    let mut sites = sitefold::generate::generate(n, 7);
    for (i, s) in sites.iter_mut().enumerate() {
        if i % 5 == 0 {
            // Amounts with every decimal place an amount keeps (i·0.1 +
            // 0.333333), and a score that needs 17 digits to read back.
            s.budget = sitefold::money::Money::from_units(
                i as i128 * 100_000 + 333_333,
                sitefold::money::MAX_PLACES,
            );
            s.inspection_score = Some(100.0 / 3.0);
        }
    }
    let mut csv = Vec::new();
    write_csv(&sites, &mut csv, Lang::Zh).expect("csv");
    let imported = import_bytes(&csv, "generated.csv", &ImportOptions::default()).expect("import");
    let mut ws = Workspace::new(imported);
    let inv = &ws.imported.inventory;
    for i in 0..inv.len() {
        let Some(parent) = inv.parent(i) else {
            continue;
        };
        ws.manual[i] = match i % 13 {
            0 => Some(Decision::Keep),
            1 => Some(Decision::Merge { target: None }),
            2 => Some(Decision::merge_into(Some(
                inv.parent(parent).unwrap_or(parent),
            ))),
            _ => None,
        };
    }
    ws.manual[0] = Some(Decision::Keep);
    let (rules, issues) = RuleSet::parse(RULES, "rules.toml");
    assert!(issues.is_empty());
    ws.rules = rules;
    ws.params = Params {
        pass_threshold: 65.0,
        absorb_rate: 0.137,
        migrate_fixed: 12_345.6,
        max_absorbed_per_target: Some(20),
        ..Params::default()
    };
    ws.plan_errors = 2;
    ws.file_issues.push(FileIssue::error(
        "plan.csv",
        4,
        Text::new("目标不是上级", "the target is not an ancestor"),
    ));
    ws
}

#[test]
fn round_trip_keeps_every_outcome() {
    let ws = workspace(3000);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("省规划.sitefold");
    let mut project = Project::from_workspace(&ws, Lang::En);
    project
        .scenarios
        .push(Scenario::from_workspace("当前方案", &ws));
    let mut alt = Scenario::from_workspace("只按规则", &ws);
    alt.manual.clear();
    alt.params.absorb_fixed = 8000.0;
    project.scenarios.push(alt.clone());
    save_project(&path, &project).expect("save");
    assert!(is_project_path(&path));

    let opened = open_project(&path).expect("open");
    assert_eq!(opened.lang, Lang::En);
    assert_eq!(opened.path.as_deref(), Some(path.as_path()));
    assert!(opened.created.ends_with('Z') && opened.saved.ends_with('Z'));
    assert!(opened.saved_by.starts_with("sitefold "));
    assert_eq!(opened.scenarios.len(), 2);
    assert_eq!(opened.scenarios[1], alt);
    assert_eq!(opened.manual, project.manual);
    assert_eq!(opened.inventory.sites.len(), 3000);

    let back = opened.clone().into_workspace();
    assert_eq!(
        back.imported.inventory.sites(),
        ws.imported.inventory.sites()
    );
    assert_eq!(back.imported.header, ws.imported.header);
    assert_eq!(back.imported.mapping, ws.imported.mapping);
    assert_eq!(back.imported.report.issues, ws.imported.report.issues);
    assert_eq!(back.imported.report.source, "generated.csv");
    assert_eq!(back.manual, ws.manual);
    assert_eq!(back.rules, ws.rules);
    assert_eq!(back.params, ws.params);
    assert_eq!(back.plan_errors, 2);
    assert_eq!(back.file_issues, ws.file_issues);
    assert_eq!(back.resolve(), ws.resolve());
    assert_eq!(back.summary(), ws.summary());
    assert!(back.summary().plan.merged > 0);

    // A scenario applied gives the same figures as the plan it was made of.
    let mut other = back.clone();
    let dropped = opened.scenarios[1].apply_to(&mut other);
    assert!(dropped.is_empty());
    assert_eq!(other.params.absorb_fixed, 8000.0);
    assert!(other.manual.iter().all(Option::is_none));

    // Saving again keeps the creation time.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    save_project(&path, &opened).expect("save again");
    let again = open_project(&path).expect("open again");
    assert_eq!(again.created, opened.created);
    assert_ne!(again.saved, opened.saved);
    assert_eq!(again.into_workspace().summary(), ws.summary());
}

#[test]
fn decisions_that_no_longer_fit_are_reported() {
    let ws = workspace(300);
    let mut project = Project::from_workspace(&ws, Lang::Zh);
    let first = project.manual.len();
    project.manual.push(sitefold::project::ManualDecision {
        site_id: "不存在".into(),
        decision: sitefold::plan::Action::Merge,
        target_id: None,
    });
    let top = ws.imported.inventory.site(0).id.clone();
    project.manual.push(sitefold::project::ManualDecision {
        site_id: top.to_string(),
        decision: sitefold::plan::Action::Merge,
        target_id: None,
    });
    let back = project.into_workspace();
    assert_eq!(back.plan_errors, ws.plan_errors + 2);
    assert_eq!(back.file_issues.len(), ws.file_issues.len() + 2);
    assert!(
        back.file_issues
            .last()
            .expect("issue")
            .en
            .contains("top site")
    );
    assert_eq!(back.manual.iter().flatten().count(), first);
}

#[test]
fn version_0_fixture_still_opens() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/project-v0.sitefold");
    let project = open_project(&path).expect("v0 opens");
    assert_eq!(project.lang, Lang::En);
    assert!(project.scenarios.is_empty());
    assert_eq!(project.manual.len(), 2);
    assert_eq!(project.manual[0].site_id, "T1");
    assert_eq!(project.manual[0].target_id.as_deref(), Some("P"));
    let ws = project.into_workspace();
    assert_eq!(ws.imported.inventory.len(), 5);
    assert_eq!(ws.params.absorb_rate, 0.2);
    assert_eq!(ws.params.absorb_fixed, 5000.0, "missing parameters default");

    // The same work from the original files.
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = write(
        dir.path(),
        "inv.csv",
        "site_id,name,level,kind,parent_id,annual_budget,population,online_services,inspection_score,inspection_passed\n\
P,省政府,province,portal,,1000000,1000,10,90,yes\n\
C,市政府,prefecture,portal,P,200000,600,5,80,yes\n\
T1,镇一,township,portal,C,10000,100,2,40,no\n\
T2,镇二,township,portal,C,30000,200,1,70,\n\
D,教育厅,province,department,P,50000,0,3,55,\n"
            .as_bytes(),
    );
    let plan = write(
        dir.path(),
        "plan.csv",
        b"site_id,decision,target_id\nT1,merge,P\nC,keep,\n",
    );
    let rules = write(
        dir.path(),
        "rules.toml",
        "[[rules]]\nname = \"failing departments\"\naction = \"merge\"\nkinds = [\"department\"]\nfailed_inspection = true\n"
            .as_bytes(),
    );
    let params = write(dir.path(), "params.toml", b"absorb_rate = 0.2\n");
    let twin = Workspace::load(&Inputs {
        inventory: inv,
        plan: Some(plan),
        rules: Some(rules),
        params: Some(params),
        import: ImportOptions::default(),
        map: None,
        rounds: Vec::new(),
    })
    .expect("twin loads");
    // A version 0 file wrote every number, so nothing in it reads as
    // missing; the twin file has no staff column, so its staff are.
    let known = |sites: &[sitefold::inventory::Site]| -> Vec<sitefold::inventory::Site> {
        sites
            .iter()
            .map(|s| sitefold::inventory::Site {
                missing: Default::default(),
                ..s.clone()
            })
            .collect()
    };
    assert!(
        twin.imported.inventory.sites()[0]
            .missing
            .has(sitefold::inventory::Column::Staff)
    );
    assert_eq!(
        ws.imported.inventory.sites(),
        known(twin.imported.inventory.sites())
    );
    assert_eq!(ws.summary(), twin.summary());
    assert_eq!(ws.summary().plan.merged, 2, "T1 by hand, D by the rule");
}

#[test]
fn newer_damaged_and_foreign_files_give_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");

    let newer = write(
        dir.path(),
        "newer.sitefold",
        br#"{"format":"sitefold-project","version":7,"inventory":{"sites":{"count":0}},"hologram":true}"#,
    );
    let err = open_project(&newer).expect_err("newer");
    assert!(matches!(err, ProjectError::TooNew { version: 7, .. }));
    assert!(
        err.message(Lang::En).contains(&format!(
            "made by a newer Sitefold (version 7); this one reads up to {VERSION}"
        )),
        "{err}"
    );
    assert!(err.message(Lang::Zh).contains("更新版本"), "{err}");

    // A saved project cut short at many places.
    let ws = workspace(200);
    let good = sitefold::project::to_bytes(&Project::from_workspace(&ws, Lang::Zh));
    for cut in [0, 1, 10, 30, 41, 45, 100, good.len() / 2, good.len() - 1] {
        let path = write(dir.path(), "cut.sitefold", &good[..cut]);
        let err = open_project(&path).expect_err("truncated");
        assert!(
            matches!(err, ProjectError::Truncated { .. }),
            "cut at {cut}: {err:?}"
        );
        let msg = err.message(Lang::En);
        assert!(
            msg.contains("cut.sitefold") && msg.contains("incomplete"),
            "{msg}"
        );
        assert!(err.message(Lang::Zh).contains("不完整"));
    }

    // Damaged in the middle: a clear error, never a panic.
    for at in (0..good.len()).step_by(good.len() / 97) {
        let mut bad = good.clone();
        bad[at] = b'#';
        let path = write(dir.path(), "bad.sitefold", &bad);
        if let Err(e) = open_project(&path) {
            assert!(!e.message(Lang::Zh).is_empty());
        }
    }
    let mut bad = good.clone();
    let mid = bad.len() / 2;
    bad[mid..mid + 3].copy_from_slice(b"\x01\x01\x01");
    let path = write(dir.path(), "bad.sitefold", &bad);
    let err = open_project(&path).expect_err("damaged");
    assert!(matches!(err, ProjectError::Damaged { .. }), "{err:?}");
    assert!(err.message(Lang::En).contains("damaged"), "{err}");

    // Column lengths that disagree.
    let path = write(
        dir.path(),
        "short.sitefold",
        br#"{"format":"sitefold-project","version":1,"inventory":{"sites":{"count":2,"id":["A","B"],"level":["province","county"],"budget":[1]}}}"#,
    );
    let err = open_project(&path).expect_err("inconsistent");
    assert!(err.message(Lang::En).contains("column budget"), "{err}");

    // A CSV, a workbook and random bytes named .sitefold.
    for (name, bytes) in [
        ("inv.sitefold", &b"site_id,level\nA,1\n"[..]),
        ("book.sitefold", &b"PK\x03\x04\x14\x00\x00\x00"[..]),
        (
            "other.sitefold",
            &br#"{"format":"something-else","version":1}"#[..],
        ),
    ] {
        let path = write(dir.path(), name, bytes);
        let err = open_project(&path).expect_err("not a project");
        assert!(matches!(err, ProjectError::NotAProject { .. }), "{err:?}");
        assert!(
            err.message(Lang::En).contains("not a Sitefold project"),
            "{err}"
        );
    }
    let err = open_project(&dir.path().join("missing.sitefold")).expect_err("missing");
    assert!(err.is_unreadable());

    // 50 MB of garbage fails at once, without reading it all.
    let mut x: u64 = 1;
    let garbage: Vec<u8> = (0..50 << 20)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 56) as u8
        })
        .collect();
    let path = write(dir.path(), "huge.sitefold", &garbage);
    let t = Instant::now();
    let err = open_project(&path).expect_err("garbage");
    assert!(matches!(err, ProjectError::NotAProject { .. }));
    assert!(t.elapsed().as_millis() < 200, "{:?}", t.elapsed());
    // …and 50 MB that begins like a project but is not one fails cleanly.
    let mut fake = br#"{"format":"sitefold-project","version":1,"inventory":"#.to_vec();
    fake.extend_from_slice(&garbage);
    let path = write(dir.path(), "fake.sitefold", &fake);
    let err = open_project(&path).expect_err("fake");
    assert!(matches!(err, ProjectError::Damaged { .. }), "{err:?}");
}

#[test]
fn a_failed_save_leaves_the_previous_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = workspace(100);
    let project = Project::from_workspace(&ws, Lang::Zh);
    let err = save_project(&dir.path().join("no/such/dir/p.sitefold"), &project)
        .expect_err("cannot save");
    assert!(matches!(err, ProjectError::Write { .. }));
    assert!(err.message(Lang::Zh).contains("无法保存项目"));
    // Saving over a file replaces it whole; no temporary file is left.
    let path = dir.path().join("p.sitefold");
    std::fs::write(&path, b"old").expect("old file");
    save_project(&path, &project).expect("save");
    assert!(open_project(&path).is_ok());
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut full = vec!["sitefold"];
    full.extend_from_slice(args);
    let code = match run_with(full, &mut out, &mut err) {
        Run::Exit(c) => c,
        Run::Gui { .. } => -1,
    };
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

#[test]
fn command_line_reads_project_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sites = sitefold::generate::generate(800, 3);
    let mut csv = Vec::new();
    write_csv(&sites, &mut csv, Lang::Zh).expect("csv");
    // A bad row, so that the import report has something to carry.
    csv.extend_from_slice("坏行,无名,,星球,门户,,,,,,,,,,\r\n".as_bytes());
    let inv = write(dir.path(), "inv.csv", &csv);
    let plan_text = format!(
        "site_id,decision,target_id\n{},merge,\n{},keep,\nNOPE,merge,\n",
        sites[10].id, sites[20].id
    );
    let plan = write(dir.path(), "plan.csv", plan_text.as_bytes());
    let rules = write(dir.path(), "rules.toml", RULES.as_bytes());
    let params = write(
        dir.path(),
        "params.toml",
        b"absorb_rate = 0.25\nmigrate_fixed = 8000\n",
    );
    let s = |p: &PathBuf| p.display().to_string();
    let (code, from_files, err) = cli(&[
        "summary",
        &s(&inv),
        "--plan",
        &s(&plan),
        "--rules",
        &s(&rules),
        "--params",
        &s(&params),
        "--json",
    ]);
    // The rejected row: the summary is printed, with exit code 1.
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("inv.csv:802"), "{err}");

    let ws = Workspace::load(&Inputs {
        inventory: inv.clone(),
        plan: Some(plan.clone()),
        rules: Some(rules.clone()),
        params: Some(params.clone()),
        import: ImportOptions::default(),
        map: None,
        rounds: Vec::new(),
    })
    .expect("load");
    assert_eq!(ws.plan_errors, 1);
    let project = dir.path().join("work.sitefold");
    save_project(&project, &Project::from_workspace(&ws, Lang::Zh)).expect("save");

    let (code, from_project, err) = cli(&["summary", &s(&project), "--json"]);
    assert_eq!(
        code, 1,
        "the saved report still has the rejected row: {err}"
    );
    assert_eq!(from_project, from_files);
    let v: serde_json::Value = serde_json::from_str(&from_project).expect("json");
    assert_eq!(v["import"]["rejected"], 1);
    assert_eq!(v["plan"]["errors"], 1);

    // The readable table, the plan export and validate work too.
    let (code, table, err) = cli(&["summary", &s(&project), "--lang", "en"]);
    assert_eq!(code, 1, "{err}");
    assert!(!table.is_empty());
    let out = dir.path().join("plan-out.csv");
    let (code, _, err) = cli(&["plan", &s(&project), "--out", &s(&out)]);
    assert_eq!(code, 1, "{err}");
    assert!(std::fs::metadata(&out).expect("plan written").len() > 0);
    let (code, report, _) = cli(&["validate", &s(&project), "--lang", "en"]);
    assert_eq!(code, 1, "the bad row is still reported");
    assert!(report.contains("inv.csv"), "{report}");
    assert!(report.contains("星球"), "{report}");

    // Files given with a project replace what it holds.
    let other_params = write(dir.path(), "p2.toml", b"absorb_rate = 0.5\n");
    let (_, with_params, _) = cli(&[
        "summary",
        &s(&project),
        "--params",
        &s(&other_params),
        "--json",
    ]);
    let v2: serde_json::Value = serde_json::from_str(&with_params).expect("json");
    assert_ne!(v2["annual_cost"]["after"], v["annual_cost"]["after"]);

    // A damaged project: a clear message and exit code 1.
    let bytes = std::fs::read(&project).expect("read");
    let cut = write(dir.path(), "cut.sitefold", &bytes[..bytes.len() / 2]);
    let (code, _, err) = cli(&["summary", &s(&cut), "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(err.contains("incomplete"), "{err}");
}

/// A value missing in the file stays missing through a project (saved as
/// null), while the figures count it as 0.
#[test]
fn missing_values_stay_missing_through_a_project() {
    use sitefold::inventory::Column;
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("missing.csv");
    std::fs::write(
        &csv,
        "site_id,name,level,parent_id,annual_budget,staff,population,online_services\n\
         P,Province,province,,500000,3,1000,5\n\
         C,City,prefecture,P,,,,\n",
    )
    .expect("write");
    let imported = sitefold::workspace::load_imported(&csv, &Default::default()).expect("import");
    let ws = sitefold::workspace::Workspace::new(imported);
    let project = sitefold::project::Project::from_workspace(&ws, sitefold::i18n::Lang::Zh);
    let path = dir.path().join("p.sitefold");
    sitefold::project::save_project(&path, &project).expect("save");
    let back = sitefold::project::open_project(&path)
        .expect("open")
        .into_workspace();
    let inv = &back.imported.inventory;
    let c = inv.site(inv.find("C").expect("C"));
    let p = inv.site(inv.find("P").expect("P"));
    for col in [
        Column::AnnualBudget,
        Column::Staff,
        Column::Population,
        Column::OnlineServices,
    ] {
        assert!(c.missing.has(col), "{col:?} of C is missing");
        assert!(!p.missing.has(col), "{col:?} of P is known");
    }
    assert!(c.budget.is_zero());
    assert_eq!(
        back.summary().annual_cost.before,
        ws.summary().annual_cost.before
    );
}
