//! Inspection rounds (MODEL.md §9) from the command line and in projects:
//! the latest round a site appears in decides whether it passes, a site in
//! no round keeps its inventory fields, `failed_rounds = [k, n]` counts
//! the last n rounds, every bad line is reported with its file and line,
//! and a project keeps the rounds apart from the inventory's own fields.

mod common;

use common::{run_cli as run, write_text as write};
use serde_json::Value;

/// P > C > T1, T2, T3; the inventory's own inspection: T1 fails, T2 and
/// T3 pass (score 70).
const INV: &str = "site_id,name,level,kind,parent_id,annual_budget,population,online_services,inspection_score,inspection_passed\n\
P,省政府,province,portal,,1000000,1000,10,90,yes\n\
C,市政府,prefecture,portal,P,200000,600,5,80,yes\n\
T1,镇一,township,portal,C,10000,100,2,40,no\n\
T2,镇二,township,portal,C,30000,200,1,70,\n\
T3,镇三,township,portal,C,12345.67,200,0,70,\n";

/// 2027Q1, Chinese headers and round label, an indicator, an unknown site.
const R1: &str = "网站标识码,轮次,检查得分,信息更新\n\
T1,2027年第一季度,40,差\n\
T2,2027年第一季度,70,好\n\
X9,2027年第一季度,50,\n";

/// 2027Q2, English headers; T3 is not inspected in it.
const R2: &str = "site_id,round,inspection_score,inspection_passed\n\
T1,2027Q2,30,\n\
T2,2027Q2,90,no\n\
T2,2027Q2,95,\n";

const FAILED_TWICE: &str =
    "[[rules]]\nname = \"twice\"\naction = \"merge\"\nfailed_rounds = [2, 2]\n";
const FAILING: &str = "[[rules]]\nname = \"failing\"\naction = \"merge\"\nlevels = [\"township\"]\nfailed_inspection = true\n";

fn summary(args: &[&str]) -> (Value, String) {
    let mut all = vec!["summary"];
    all.extend(args);
    all.extend(["--json", "--lang", "en"]);
    let (code, out, err) = run(&all);
    assert_eq!(code, 0, "{err}");
    (serde_json::from_str(&out).expect("json"), err)
}

fn merged(v: &Value) -> u64 {
    v["sites"]["before"].as_u64().expect("before") - v["sites"]["after"].as_u64().expect("after")
}

#[test]
fn rounds_decide_who_passes_and_failed_rounds_counts_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let inv = write(d, "inv.csv", INV);
    let r1 = write(d, "r1.csv", R1);
    let r2 = write(d, "r2.csv", R2);
    let twice = write(d, "twice.toml", FAILED_TWICE);
    let failing = write(d, "failing.toml", FAILING);

    // Without rounds: the inventory's own fields (T1 fails).
    let (v, _) = summary(&[&inv, "--rules", &failing]);
    assert_eq!(merged(&v), 1);
    // With both rounds: T1 fails the latest (30), T2's latest says "no"
    // (its second line is a duplicate, refused), T3 is in no round and
    // keeps its own 70: T1 and T2 merge.
    let (v, err) = summary(&[&inv, "--rules", &failing, "--rounds", &r1, &r2]);
    assert_eq!(merged(&v), 2, "{v}");
    // Every bad line, with its file, line and column.
    assert!(err.contains("r1.csv:4:1"), "{err}");
    assert!(err.contains("X9"), "{err}");
    assert!(err.contains("r2.csv:4:1"), "{err}");
    assert!(err.contains("line 3 stands"), "{err}");
    // Pass rate before: P, C pass; T1, T2 fail; T3 passes (own field).
    assert_eq!(v["pass_rate"]["before"].as_f64(), Some(0.6));
    // failed_rounds = [2, 2]: only T1 failed both rounds.
    let (v, _) = summary(&[&inv, "--rules", &twice, "--rounds", &r1, &r2]);
    assert_eq!(merged(&v), 1);
    // Rounds given in any order are ordered by their quarter: the same.
    let (w, _) = summary(&[&inv, "--rules", &twice, "--rounds", &r2, &r1]);
    assert_eq!(v, w);
    // The bundled preset: failed 2 of the last 4, county and below.
    let preset = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample-data/rules-failed-rounds.toml"
    );
    let (v, _) = summary(&[&inv, "--rules", preset, "--rounds", &r1, &r2]);
    assert_eq!(merged(&v), 1);
    let (v, _) = summary(&[&inv, "--rules", preset]);
    assert_eq!(merged(&v), 0, "no rounds, no match");
}

#[test]
fn a_round_file_without_its_columns_is_refused_with_what_it_has() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let inv = write(d, "inv.csv", INV);
    let bad = write(d, "bad.csv", "site_id,score\nT1,40\n");
    // A file of the wrong content: an input problem (exit 1), as a plan
    // file without its columns.
    let (code, _, err) = run(&["summary", &inv, "--rounds", &bad, "--lang", "en"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("round"), "{err}");
    assert!(err.contains("\"score\""), "{err}");
    let (code, _, err) = run(&["summary", &inv, "--rounds", &bad, "--lang", "zh"]);
    assert_eq!(code, 1);
    assert!(err.contains("轮次"), "{err}");
}

#[test]
fn a_project_keeps_its_rounds_apart_from_the_inventory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let inv = write(d, "inv.csv", INV);
    let r1 = write(d, "r1.csv", R1);
    let r2 = write(d, "r2.csv", R2);
    let failing = write(d, "failing.toml", FAILING);
    let project = d.join("p.sitefold").display().to_string();
    let (code, _, err) = run(&[
        "project", "new", &inv, "--rules", &failing, "--rounds", &r1, &r2, "--out", &project,
    ]);
    assert_eq!(code, 0, "{err}");
    let p = sitefold::project::open_project(std::path::Path::new(&project)).expect("opens");
    // The sites as the inventory has them, the rounds beside them.
    let t1 = p.inventory.sites.iter().find(|s| s.id == "T1").expect("T1");
    assert_eq!(t1.inspection_score, Some(40.0));
    assert_eq!(t1.inspection_passed, Some(false));
    let quarters: Vec<String> = p
        .rounds
        .rounds
        .iter()
        .map(|r| r.quarter.to_string())
        .collect();
    assert_eq!(quarters, ["2027Q1", "2027Q2"]);
    assert_eq!(p.rounds.rounds[0].indicators, ["信息更新"]);
    // The project's figures are those of the files.
    let (a, _) = summary(&[&inv, "--rules", &failing, "--rounds", &r1, &r2]);
    let (b, _) = summary(&[&project]);
    assert_eq!(a["sites"], b["sites"]);
    assert_eq!(a["annual_cost"], b["annual_cost"]);
    assert_eq!(a["pass_rate"], b["pass_rate"]);
    // The workspace it opens into: T2's latest round stands in for its
    // own field, and goes when the rounds go.
    let mut ws = p.into_workspace();
    let find = |ws: &sitefold::workspace::Workspace, id: &str| {
        let inv = &ws.imported.inventory;
        inv.site(inv.find(id).expect("site")).clone()
    };
    assert_eq!(find(&ws, "T2").inspection_passed, Some(false));
    assert_eq!(find(&ws, "T2").rounds.failed, 0b01);
    ws.set_rounds(Default::default());
    assert_eq!(find(&ws, "T2").inspection_passed, None);
    assert_eq!(find(&ws, "T2").inspection_score, Some(70.0));
    assert_eq!(find(&ws, "T2").rounds, Default::default());
}
