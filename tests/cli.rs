//! The command line, run in-process and as the real binary.

use std::path::Path;

use sitefold::cli::{Run, run_with};

fn run(args: &[&str]) -> (i32, String, String) {
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

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write fixture");
    p.display().to_string()
}

const INV: &str = "site_id,name,level,kind,parent_id,annual_budget,population,online_services,inspection_score,inspection_passed\n\
P,省政府,province,portal,,1000000,1000,10,90,yes\n\
C,市政府,prefecture,portal,P,200000,600,5,80,yes\n\
T1,镇一,township,portal,C,10000,100,2,40,no\n\
T2,镇二,township,portal,C,30000,200,1,70,\n";

#[test]
fn summary_json_has_the_contract_keys_and_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = write(dir.path(), "inv.csv", INV);
    let plan = write(dir.path(), "plan.csv", "site_id,decision\nT1,merge\n");
    let (code, out, err) = run(&["summary", &inv, "--plan", &plan, "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    // T1 merged into C: after = 1,000,000 + 200,000 + 30,000 + (5,000 + 0.1 × 10,000).
    assert_eq!(v["annual_cost"]["before"], 1_240_000.0);
    assert_eq!(v["annual_cost"]["after"], 1_236_000.0);
    assert_eq!(v["annual_cost"]["savings"], 4_000.0);
    // One-time: 10,000 + 2 × 2,000; payback 12 × 14,000 / 4,000 = 42 months.
    assert_eq!(v["one_time_cost"], 14_000.0);
    assert_eq!(v["payback_months"], 42.0);
    assert_eq!(v["plan"]["merged"], 1);
    assert_eq!(v["plan"]["manual"], 1);
    assert_eq!(v["targets"][0]["site_id"], "C");
    for key in [
        "import",
        "sites",
        "annual_cost",
        "one_time_cost",
        "payback_months",
        "population",
        "coverage",
        "pass_rate",
        "services",
        "staff_freed",
        "plan",
        "by_level",
        "targets",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn summary_table_in_both_languages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = write(dir.path(), "inv.csv", INV);
    let (code, out, _) = run(&["summary", &inv, "--lang", "zh"]);
    assert_eq!(code, 0);
    assert!(out.contains("年度成本"), "{out}");
    let (code, out, _) = run(&["summary", &inv, "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(out.contains("Annual cost"), "{out}");
}

#[test]
fn validate_exit_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clean = write(dir.path(), "clean.csv", INV);
    assert_eq!(run(&["validate", &clean]).0, 0);
    let bad = write(
        dir.path(),
        "bad.csv",
        "site_id,level,annual_budget\nA,province,abc\n,county,1\nB,planet,2\n",
    );
    let (code, out, _) = run(&["validate", &bad, "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(out.contains("bad.csv:2:3"), "{out}");
    assert!(out.contains("bad.csv:3"), "{out}");
    assert!(out.contains("bad.csv:4"), "{out}");
}

#[test]
fn unreadable_and_bad_files_exit_with_clear_messages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope.csv").display().to_string();
    let (code, _, err) = run(&["summary", &missing, "--lang", "en"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("nope.csv") && err.contains("cannot read"),
        "{err}"
    );

    let zip = dir.path().join("fake.csv");
    std::fs::write(&zip, b"PK\x03\x04\x14\x00\x00\x00binary").expect("write");
    let (code, _, err) = run(&["summary", &zip.display().to_string(), "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(err.contains("fake.csv") && err.contains("xlsx"), "{err}");

    let no_cols = write(dir.path(), "cols.csv", "a,b\n1,2\n");
    let (code, _, err) = run(&["summary", &no_cols, "--lang", "zh"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("网站标识码") && err.contains("cols.csv"),
        "{err}"
    );

    let header_only = write(dir.path(), "h.csv", "site_id,level\n");
    let (code, _, err) = run(&["summary", &header_only, "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(err.contains("no data rows"), "{err}");

    let empty = write(dir.path(), "e.csv", "");
    assert_eq!(run(&["validate", &empty]).0, 1);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["summary"]).0, 2);
    assert_eq!(run(&["frobnicate", "x", "y"]).0, 2);
    assert_eq!(run(&["summary", "x.csv", "--lang", "fr"]).0, 2);
    assert_eq!(run(&["--help"]).0, 0);
}

#[test]
fn plan_export_reads_back_to_the_same_outcome() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = write(dir.path(), "inv.csv", INV);
    let rules = write(
        dir.path(),
        "r.toml",
        "[[rules]]\nname = \"乡镇不合格\"\naction = \"merge\"\nlevels = [\"乡镇\"]\nfailed_inspection = true\n",
    );
    let out_plan = dir.path().join("plan.csv");
    let (code, _, err) = run(&[
        "plan",
        &inv,
        "--rules",
        &rules,
        "--out",
        &out_plan.display().to_string(),
    ]);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&out_plan).expect("plan written");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM");
    assert!(String::from_utf8_lossy(&bytes).contains("\r\n"), "CRLF");
    let (_, with_rules, _) = run(&["summary", &inv, "--rules", &rules, "--json"]);
    let (_, with_plan, err) = run(&[
        "summary",
        &inv,
        "--plan",
        &out_plan.display().to_string(),
        "--json",
    ]);
    assert!(err.is_empty(), "{err}");
    let a: serde_json::Value = serde_json::from_str(&with_rules).expect("json");
    let b: serde_json::Value = serde_json::from_str(&with_plan).expect("json");
    for key in [
        "annual_cost",
        "one_time_cost",
        "payback_months",
        "coverage",
        "pass_rate",
        "services",
        "staff_freed",
        "by_level",
        "targets",
        "sites",
    ] {
        assert_eq!(a[key], b[key], "{key}");
    }
    assert_eq!(a["plan"]["merged"], b["plan"]["merged"]);
}

#[test]
fn generate_and_template() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gen_path = dir.path().join("g.csv");
    let (code, _, _) = run(&[
        "generate",
        "--sites",
        "400",
        "--seed",
        "7",
        "--out",
        &gen_path.display().to_string(),
    ]);
    assert_eq!(code, 0);
    let first = std::fs::read(&gen_path).expect("generated");
    let (code, _, _) = run(&[
        "generate",
        "--sites",
        "400",
        "--seed",
        "7",
        "--out",
        &gen_path.display().to_string(),
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        first,
        std::fs::read(&gen_path).expect("generated"),
        "deterministic"
    );
    assert_eq!(run(&["validate", &gen_path.display().to_string()]).0, 0);

    let tpl = dir.path().join("t.csv");
    assert_eq!(run(&["template", "--out", &tpl.display().to_string()]).0, 0);
    let text = std::fs::read_to_string(&tpl).expect("template");
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains("网站标识码") && text.contains("层级"));
    assert_eq!(text.lines().count(), 1, "only the header");
}

#[test]
fn no_subcommand_opens_the_app() {
    let mut out = Vec::new();
    let mut err = Vec::new();
    assert_eq!(
        run_with(["sitefold"], &mut out, &mut err),
        Run::Gui {
            file: None,
            lang: None
        }
    );
}

#[test]
fn the_binary_never_shows_a_backtrace() {
    let exe = env!("CARGO_BIN_EXE_sitefold");
    let dir = tempfile::tempdir().expect("tempdir");
    let junk = dir.path().join("junk.csv");
    std::fs::write(&junk, [0u8, 159, 146, 150, 0, 1, 2, 3]).expect("write");
    let o = std::process::Command::new(exe)
        .args(["summary", &junk.display().to_string(), "--lang", "en"])
        .output()
        .expect("run sitefold");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("junk.csv") && err.contains("binary"), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
}
