//! The command line, run in-process and as the real binary.

use std::path::{Path, PathBuf};

use sitefold::cli::{EXAMPLES, Run, run_with};
use sitefold::i18n::Lang;

mod common;

use common::{run_cli as run, write_text as write};

/// What `sitefold ARGS` asks `main` to do, with what it printed.
fn run_to(args: &[&str]) -> (Run, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut full = vec!["sitefold"];
    full.extend_from_slice(args);
    let run = run_with(full, &mut out, &mut err);
    (
        run,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

fn s(p: &Path) -> String {
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

#[test]
fn the_binary_takes_lang_before_or_after_the_command_and_exits_with_the_codes() {
    let exe = env!("CARGO_BIN_EXE_sitefold");
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = write(dir.path(), "inv.csv", INV);
    let bad = write(
        dir.path(),
        "bad.csv",
        "site_id,level
A,planet
",
    );
    let x = s(&dir.path().join("x.sitefold"));
    for (args, want, says) in [
        (
            vec!["--lang", "en", "validate", &inv],
            0,
            "4 sites imported",
        ),
        (
            vec!["validate", &inv, "--lang", "en"],
            0,
            "4 sites imported",
        ),
        (vec!["--lang", "en", "validate", &bad], 1, "1 rejected"),
        (vec!["validate", &bad, "--lang", "en"], 1, "1 rejected"),
        (vec!["plan", &inv, "--out", &x, "--lang", "en"], 0, "wrote"),
        (vec!["--lang", "en", "summary", &x], 0, "Annual cost"),
        (
            vec!["plan", &x, "--out", &x, "--lang", "en"],
            2,
            "the same file",
        ),
        (
            vec!["chart", &x, "--kind", "cost-by-level", "--out", &x],
            2,
            "",
        ),
    ] {
        let o = std::process::Command::new(exe)
            .args(&args)
            .output()
            .expect("run sitefold");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(o.status.code(), Some(want), "{args:?}: {text}");
        assert!(text.contains(says), "{args:?}: {text}");
    }
}

// ------------------------------------------------------------ issue #14: parity

#[test]
fn lang_goes_before_or_after_the_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = write(dir.path(), "inv.csv", INV);
    for args in [
        vec!["--lang", "en", "validate", &inv],
        vec!["validate", &inv, "--lang", "en"],
        vec!["--lang=en", "validate", &inv],
        vec!["validate", "--lang", "en", &inv],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.contains("4 sites imported"), "{args:?}: {out}");
    }
    for args in [
        vec!["--lang", "zh", "validate", &inv],
        vec!["validate", &inv, "--lang", "zh"],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.contains("导入 4 个网站"), "{args:?}: {out}");
    }
    // Commands with options of their own, and a command of a command.
    let p = dir.path().join("p.sitefold");
    let (code, _, err) = run(&["--lang", "en", "project", "new", &inv, "--out", &s(&p)]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run(&["project", "show", &s(&p), "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(out.contains("inventory: 4 sites"), "{out}");
}

#[test]
fn a_file_alone_opens_the_app_whatever_the_options_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = write(dir.path(), "inv.csv", INV);
    let app = |lang| Run::Gui {
        file: Some(PathBuf::from(&inv)),
        lang,
    };
    for args in [vec![inv.as_str()], vec!["gui", &inv]] {
        assert_eq!(run_to(&args).0, app(None), "{args:?}");
    }
    for args in [
        vec![inv.as_str(), "--lang", "en"],
        vec!["--lang", "en", &inv],
        vec!["gui", &inv, "--lang", "en"],
        vec!["--lang", "en", "gui", &inv],
    ] {
        assert_eq!(run_to(&args).0, app(Some(Lang::En)), "{args:?}");
    }
    // A file that does not exist yet is the app's to report (it may be
    // on a drive still mounting); only a bare word is taken for a command.
    let later = dir.path().join("later.csv");
    assert!(matches!(run_to(&[&s(&later)]).0, Run::Gui { .. }));
}

#[test]
fn a_mistyped_command_or_a_file_with_a_command_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = write(dir.path(), "inv.csv", INV);
    let (code, _, err) = run(&["sumary", "--lang", "en"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("'sumary' is neither a command nor an existing file")
            && err.contains("summary"),
        "{err}"
    );
    let (code, _, err) = run(&["sumary", "--lang", "zh"]);
    assert_eq!(code, 2);
    assert!(err.contains("既不是命令"), "{err}");
    let (code, _, err) = run(&[&inv, "summary", &inv, "--lang", "en"]);
    assert_eq!(code, 2);
    assert!(err.contains("put the file after the command"), "{err}");
}

/// The figures of `summary --json`.
fn figures(json: &str) -> serde_json::Value {
    serde_json::from_str(json).expect("json")
}

#[test]
fn project_new_writes_a_project_with_the_same_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = write(dir.path(), "inv.csv", INV);
    let rules = write(
        dir.path(),
        "r.toml",
        "[[rules]]\nname = \"乡镇不合格\"\naction = \"merge\"\nlevels = [\"乡镇\"]\nfailed_inspection = true\n",
    );
    let plan = write(dir.path(), "plan.csv", "site_id,decision\nT2,merge\n");
    let params = write(dir.path(), "params.toml", "absorb_rate = 0.2\n");
    let files = ["--rules", &rules, "--plan", &plan, "--params", &params];
    let p = dir.path().join("工作 1.sitefold");
    let mut args = vec!["project", "new", &inv];
    args.extend(files);
    let ps = s(&p);
    args.extend(["--out", &ps, "--lang", "en"]);
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("wrote {ps}")), "{out}");

    // What the app opens.
    let project = sitefold::project::open_project(&p).expect("the project opens");
    assert_eq!(project.lang, Lang::En);
    assert_eq!(project.inventory.sites.len(), 4);
    assert_eq!(project.manual.len(), 1);
    assert_eq!(project.rules.rules.len(), 1);

    let mut direct = vec!["summary", &inv];
    direct.extend(files);
    direct.push("--json");
    let (code, want, err) = run(&direct);
    assert_eq!(code, 0, "{err}");
    let (code, got, err) = run(&["summary", &ps, "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(figures(&got), figures(&want));
    assert_eq!(
        figures(&got)["plan"]["merged"],
        2,
        "T1 by the rule, T2 by hand"
    );

    // The readable summary says the same.
    let (code, out, _) = run(&["project", "show", &ps, "--lang", "en"]);
    assert_eq!(code, 0);
    for line in [
        "inventory: 4 sites from",
        "decisions: 1 manual, 0 from an optimizer plan, 0 note(s); 1 rule(s)",
        "current plan: 2 sites merged",
        "0 scenario(s)",
    ] {
        assert!(out.contains(line), "{line}: {out}");
    }
    let (code, out, _) = run(&["project", "show", &ps, "--lang", "zh"]);
    assert_eq!(code, 0);
    assert!(out.contains("当前方案：合并 2 个网站"), "{out}");

    // Opening it.
    assert_eq!(
        run_to(&[&ps]).0,
        Run::Gui {
            file: Some(p.clone()),
            lang: None
        }
    );
}

#[test]
fn a_project_made_from_a_project_keeps_its_scenarios() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = write(dir.path(), "inv.csv", INV);
    let ws = sitefold::workspace::Workspace::load(&sitefold::workspace::Inputs {
        inventory: inv.clone().into(),
        ..Default::default()
    })
    .expect("load");
    let mut project = sitefold::project::Project::from_workspace(&ws, Lang::Zh);
    project
        .scenarios
        .push(sitefold::project::Scenario::from_workspace("保守", &ws));
    let first = dir.path().join("a.sitefold");
    sitefold::project::save_project(&first, &project).expect("save");
    let rules = write(
        dir.path(),
        "r.toml",
        "[[rules]]\nname = \"乡镇\"\naction = \"merge\"\nlevels = [\"乡镇\"]\n",
    );
    let second = dir.path().join("b.sitefold");
    let (code, _, err) = run(&[
        "project",
        "new",
        &s(&first),
        "--rules",
        &rules,
        "--out",
        &s(&second),
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run(&["project", "show", &s(&second), "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("1 scenario(s)\n  保守: 0 sites merged"),
        "{out}"
    );
    assert!(out.contains("current plan: 2 sites merged"), "{out}");
}

#[test]
fn plan_and_optimize_write_projects_from_the_extension() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = write(dir.path(), "inv.csv", INV);
    let plan = write(dir.path(), "plan.csv", "site_id,decision\nT1,merge\n");
    let x = dir.path().join("x.sitefold");
    let (code, _, err) = run(&["plan", &inv, "--plan", &plan, "--out", &s(&x)]);
    assert_eq!(code, 0, "{err}");
    let (_, want, _) = run(&["summary", &inv, "--plan", &plan, "--json"]);
    let (code, got, err) = run(&["summary", &s(&x), "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(figures(&got), figures(&want));

    // The optimizer's plan, applied as the app applies it.
    let best = dir.path().join("best.sitefold");
    let (code, json, err) = run(&[
        "optimize",
        &inv,
        "--coverage-floor",
        "current",
        "--protect",
        "province",
        "--out",
        &s(&best),
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let (code, summary, err) = run(&["summary", &s(&best), "--json"]);
    assert_eq!(code, 0, "{err}");
    let got: serde_json::Value = serde_json::from_str(&summary).expect("json");
    assert_eq!(got["annual_cost"]["savings"], v["savings"]);
    assert_eq!(got["coverage"]["after"], v["coverage"]);
    assert_eq!(got["plan"]["merged"], v["merged"]);
    let (_, shown, _) = run(&["project", "show", &s(&best), "--lang", "en"]);
    // Every site but the top one has the optimizer's decision.
    assert!(
        shown.contains("decisions: 0 manual, 3 from an optimizer plan"),
        "{shown}"
    );
}

#[test]
fn an_output_extension_a_command_cannot_write_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = write(dir.path(), "inv.csv", INV);
    let out = |name: &str| s(&dir.path().join(name));
    let cases: Vec<(Vec<&str>, String, &str)> = vec![
        (
            vec!["summary", &inv],
            out("s.sitefold"),
            ".csv (CSV table) or .json (JSON)",
        ),
        (
            vec!["summary", &inv, "--json"],
            out("s.csv"),
            ".json (JSON)",
        ),
        (vec!["summary", &inv], out("s.xlsx"), ".csv (CSV table)"),
        (vec!["validate", &inv], out("v.xlsx"), ".csv (CSV table)"),
        (
            vec!["plan", &inv],
            out("p.txt"),
            ".csv (CSV table), .xlsx (Excel workbook) or .sitefold (Sitefold project)",
        ),
        (
            vec!["plan", &inv],
            out("p.png"),
            ".sitefold (Sitefold project)",
        ),
        (
            vec!["chart", &inv, "--kind", "cost-by-level"],
            out("c.sitefold"),
            ".png (PNG picture) or .svg (SVG picture)",
        ),
        (
            vec!["optimize", &inv, "--coverage-floor", "current"],
            out("o.xlsx"),
            ".csv (CSV table) or .sitefold (Sitefold project)",
        ),
        (
            vec!["frontier", &inv],
            out("f.sitefold"),
            ".csv (CSV table)",
        ),
        (
            vec!["generate", "--sites", "10"],
            out("g.sitefold"),
            ".csv (CSV table)",
        ),
        (vec!["template"], out("t.xlsx"), ".csv (CSV table)"),
        (
            vec!["project", "new", &inv],
            out("n.csv"),
            ".sitefold (Sitefold project)",
        ),
    ];
    for (command, path, formats) in &cases {
        let mut args = command.clone();
        args.extend(["--out", path, "--lang", "en"]);
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        let ext = Path::new(path).extension().expect("ext").to_string_lossy();
        assert!(
            err.starts_with(path.as_str()) && err.contains(&format!("cannot write a .{ext} file")),
            "{args:?}: {err}"
        );
        assert!(err.contains(formats), "{args:?}: {err}");
        assert!(!Path::new(path).exists(), "{args:?} wrote {path}");
        let mut zh = command.clone();
        zh.extend(["--out", path, "--lang", "zh"]);
        let (code, _, err) = run(&zh);
        assert_eq!(code, 2, "{zh:?}: {err}");
        assert!(
            err.contains(&format!("不能写出 .{ext} 文件")),
            "{zh:?}: {err}"
        );
    }
    // No extension at all.
    let bare = out("plan");
    let (code, _, err) = run(&["plan", &inv, "--out", &bare, "--lang", "en"]);
    assert_eq!(code, 2);
    assert!(err.contains("the output has no extension"), "{err}");
    assert!(!Path::new(&bare).exists());
    // Upper case is the same extension.
    let upper = out("P.CSV");
    assert_eq!(run(&["plan", &inv, "--out", &upper]).0, 0);
    // Only the inventory was ever there, and no temporary file.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, ["P.CSV", "inv.csv"]);
}

#[test]
fn exit_codes_are_the_same_for_the_same_cases() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = write(dir.path(), "inv.csv", INV);
    let dirty = write(
        dir.path(),
        "dirty.csv",
        "site_id,level,annual_budget\nA,province,abc\n,county,1\n",
    );
    let binary = dir.path().join("zip.csv");
    std::fs::write(&binary, b"PK\x03\x04\x14\x00\x00\x00binary").expect("write");
    let missing = s(&dir.path().join("nope.csv"));
    let out = s(&dir.path().join("o.csv"));
    let bad_rules = write(dir.path(), "r.toml", "[[rules]\n");
    for (args, want) in [
        (vec!["validate", inv.as_str()], 0),
        (vec!["summary", &inv, "--json"], 0),
        (vec!["plan", &inv, "--out", &out], 0),
        (vec!["--help"], 0),
        (vec!["plan", "--help"], 0),
        (vec!["--version"], 0),
        (vec!["validate", &dirty], 1),
        (vec!["summary", &dirty], 1),
        (vec!["plan", &dirty, "--out", &out], 1),
        (vec!["summary", &s(&binary)], 1),
        // T1 fails inspection and may not merge: 95% at most.
        (
            vec![
                "optimize",
                &inv,
                "--protect",
                "province,prefecture,township",
                "--coverage-floor",
                "0.99",
                "--out",
                &out,
            ],
            1,
        ),
        (vec!["summary", &missing], 2),
        (vec!["summary", &inv, "--params", &missing], 2),
        (vec!["summary"], 2),
        (vec!["summary", &inv, "--lang", "fr"], 2),
        (vec!["plan", &inv, "--out", &inv], 2),
        (
            vec![
                "optimize",
                &inv,
                "--coverage-floor",
                "current",
                "--protect",
                "planet",
                "--out",
                &out,
            ],
            2,
        ),
        (vec!["project", "show", &missing], 2),
        (vec!["project", "show", &inv], 1),
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, want, "{args:?}: {err}");
    }
    // Bad lines in a rules file are listed; the good ones are used.
    let (code, _, err) = run(&["summary", &inv, "--rules", &bad_rules]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("r.toml"), "{err}");
}

// ------------------------------------------------------------ help examples

/// The files the examples name, in a folder: the bundled sample as the
/// inventory, the bundled rules and parameters, a few manual decisions,
/// and a project of them.
fn example_files() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let decisions = "site_id,decision,target_id\n340101001,merge,\n340101000-D01,merge,340101000\n340101002,keep,\n";
    for (zh, en, from) in [
        ("清单.csv", "inventory.csv", "province.csv"),
        ("规则.toml", "rules.toml", "rules-2017-guidelines.toml"),
        ("参数.toml", "params.toml", "params-default.toml"),
    ] {
        for name in [zh, en] {
            std::fs::copy(root.join(from), d.join(name)).expect("copy");
        }
    }
    for name in ["决定.csv", "decisions.csv"] {
        std::fs::write(d.join(name), decisions).expect("write");
    }
    // A progress sheet about two of the sites those decisions merge.
    for (name, text) in [
        (
            "进度.csv",
            "网站标识码,状态,日期,备注\n340101001,已批准,2026-11-01,市政府批复\n340101000-D01,内容已迁移,2026-11-10,\n",
        ),
        (
            "progress.csv",
            "site_id,status,date,note\n340101001,approved,2026-11-01,approved by the city\n340101000-D01,migrated,2026-11-10,\n",
        ),
    ] {
        std::fs::write(d.join(name), text).expect("write");
    }
    std::fs::write(
        d.join("公告模板.txt"),
        "关于{网站名称}停止运行的公告\n\n{网站名称}自{关停日期}起停止运行，内容已迁移至{承接网站名称}（{承接网站网址}）。\n\n{发布单位}\n",
    )
    .expect("write");
    std::fs::write(
        d.join("notice.txt"),
        "Closure of {site_name}\n\n{site_name} closes on {closing_date}; see {target_name} ({target_url}).\n\n{publisher}\n",
    )
    .expect("write");
    // The sample as the returns `assemble` puts together: the province's
    // own sites, the first prefecture's, and the other fifteen's (a
    // workbook).
    let sample = std::fs::read_to_string(root.join("province.csv")).expect("sample");
    let lines: Vec<&str> = sample.lines().collect();
    let part = |rows: std::ops::Range<usize>| {
        let mut text = lines[0].to_string();
        for l in &lines[rows] {
            text.push('\n');
            text.push_str(l);
        }
        text.push('\n');
        text
    };
    // Lines 2–32 are the province's sites, 33–226 the first prefecture's.
    for (zh, en, text) in [
        ("省直.csv", "province.csv", part(1..32)),
        ("柳坪市.csv", "liuping.csv", part(32..226)),
    ] {
        for name in [zh, en] {
            std::fs::write(d.join(name), &text).expect("write");
        }
    }
    let others = sitefold::sample::sample().inventory.sites()[225..].to_vec();
    for (name, lang) in [("其他地市.xlsx", Lang::Zh), ("others.xlsx", Lang::En)] {
        let bytes = sitefold::inventory::inventory_workbook(&others, lang).expect("xlsx");
        std::fs::write(d.join(name), bytes).expect("write");
    }
    for (inv, project) in [
        ("清单.csv", "工作.sitefold"),
        ("inventory.csv", "work.sitefold"),
    ] {
        let (code, _, err) = run(&[
            "project",
            "new",
            &s(&d.join(inv)),
            "--out",
            &s(&d.join(project)),
        ]);
        assert_eq!(code, 0, "{err}");
    }
    dir
}

/// The example's words, with every file name placed in `dir`.
fn words_in(dir: &Path, words: &str) -> Vec<String> {
    const FILES: [&str; 10] = [
        "csv", "toml", "sitefold", "xlsx", "png", "svg", "json", "docx", "conf", "txt",
    ];
    words
        .split_whitespace()
        .map(|w| {
            // A word ending in a slash is a folder (`notices --out 公告/`).
            let is_file = !w.starts_with('-')
                && (w.ends_with('/')
                    || Path::new(w)
                        .extension()
                        .is_some_and(|e| FILES.contains(&e.to_string_lossy().as_ref())));
            if is_file {
                s(&dir.join(w))
            } else {
                w.to_string()
            }
        })
        .collect()
}

#[test]
fn every_help_example_runs() {
    let files = example_files();
    let d = files.path();
    for lang in [Lang::Zh, Lang::En] {
        for e in EXAMPLES {
            let words = words_in(d, e.words(lang));
            let args: Vec<&str> = words.iter().map(String::as_str).collect();
            let (run, out, err) = run_to(&args);
            if e.command.is_empty() || e.command == "gui" {
                assert!(
                    matches!(&run, Run::Gui { file: Some(f), .. } if f.is_file()),
                    "{args:?}: {run:?} {err}"
                );
                continue;
            }
            assert_eq!(run, Run::Exit(0), "{args:?}:\n{out}\n{err}");
            assert!(
                args.starts_with(&e.command.split(' ').collect::<Vec<_>>()),
                "{args:?}"
            );
            if let Some(i) = args.iter().position(|a| *a == "--out") {
                let written = Path::new(args[i + 1]);
                let folder_of_files = written.is_dir()
                    && std::fs::read_dir(written).is_ok_and(|mut d| d.next().is_some());
                assert!(
                    written.is_file() || folder_of_files,
                    "{args:?} wrote nothing"
                );
            }
        }
    }
}

#[test]
fn help_shows_each_commands_examples_in_the_language_asked() {
    let commands = [
        "",
        "gui",
        "summary",
        "validate",
        "plan",
        "chart",
        "report",
        "optimize",
        "frontier",
        "generate",
        "map",
        "assemble",
        "template",
        "redirects",
        "notices",
        "project new",
        "project show",
        "status",
        "audit",
    ];
    for command in commands {
        assert!(
            EXAMPLES.iter().any(|e| e.command == command),
            "no example for `{command}`"
        );
    }
    for (lang, code, heading) in [(Lang::Zh, "zh", "示例："), (Lang::En, "en", "Examples:")] {
        for command in commands {
            for place in ["before", "after"] {
                let mut args: Vec<&str> = command.split_whitespace().collect();
                if place == "before" {
                    args.splice(0..0, ["--lang", code]);
                    args.push("--help");
                } else {
                    args.extend(["--help", "--lang", code]);
                }
                let (code_, out, err) = run(&args);
                assert_eq!(code_, 0, "{args:?}: {err}");
                assert!(out.contains(heading), "{args:?}: {out}");
                for e in EXAMPLES.iter().filter(|e| e.command == command) {
                    let line = format!("  sitefold {}\n", e.words(lang));
                    assert!(out.contains(&line), "{args:?}: no {line}: {out}");
                    assert!(out.contains(e.what(lang)), "{args:?}: {out}");
                }
            }
        }
    }
}

/// A file whose headers Sitefold does not know: the error names the
/// missing columns, the closest headers and how to map them; `map` writes
/// a mapping with what it recognised; edited, `--map` reads the file, with
/// value maps too, to the same figures as the same inventory with
/// Sitefold's own headers.
#[test]
fn a_mapping_written_by_map_and_edited_reads_a_foreign_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let foreign = common::write_text(
        dir.path(),
        "us.csv",
        "Domain ID,Agency,Tier,Parent Domain,Budget\n\
         US,United States,Federal,,1000000\n\
         CA,California,State,US,500000\n\
         LA,Los Angeles,Local,CA,20000\n",
    );
    // The error says what is missing, what is closest, and what to do.
    let (code, _, err) = common::run_cli(&["summary", &foreign, "--lang", "en"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("site_id"), "{err}");
    assert!(err.contains("closest: \"Domain ID\""), "{err}");
    assert!(err.contains("sitefold map"), "{err}");
    assert!(!err.contains("Some("), "no debug formatting: {err}");
    let (_, _, err_zh) = common::run_cli(&["summary", &foreign, "--lang", "zh"]);
    assert!(err_zh.contains("缺少必需的列"), "{err_zh}");
    assert!(err_zh.contains("--map"), "{err_zh}");

    // `map` writes what it recognised, and says what is still missing.
    let mapping = dir.path().join("mapping.toml");
    let (code, out, err) = common::run_cli(&[
        "map",
        &foreign,
        "--out",
        &mapping.display().to_string(),
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("site_id"), "{out}");
    let written = std::fs::read_to_string(&mapping).expect("mapping");
    assert!(written.contains("Domain ID"), "{written}");
    assert!(written.contains("columns"), "{written}");

    // The planner fills it in: columns by position, and what the tiers mean.
    std::fs::write(
        &mapping,
        "columns = [\"site_id\", \"name\", \"level\", \"parent_id\", \"annual_budget\"]\n\
         [values.level]\nFederal = \"national\"\nState = \"province\"\nLocal = \"county\"\n",
    )
    .expect("edit");
    let m = mapping.display().to_string();
    let (code, mapped, err) =
        common::run_cli(&["summary", &foreign, "--map", &m, "--json", "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    let native = common::write_text(
        dir.path(),
        "native.csv",
        "site_id,name,level,parent_id,annual_budget\n\
         US,United States,national,,1000000\n\
         CA,California,province,US,500000\n\
         LA,Los Angeles,county,CA,20000\n",
    );
    let (_, direct, _) = common::run_cli(&["summary", &native, "--json", "--lang", "en"]);
    let (a, b): (serde_json::Value, serde_json::Value) = (
        serde_json::from_str(&mapped).expect("json"),
        serde_json::from_str(&direct).expect("json"),
    );
    assert_eq!(a["annual_cost"], b["annual_cost"]);
    assert_eq!(a["sites"], b["sites"]);
    assert_eq!(a["import"]["sites"], 3);
    // validate reads it too; a broken mapping is refused with its line.
    let (code, _, err) = common::run_cli(&["validate", &foreign, "--map", &m, "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    std::fs::write(&mapping, "columns = [\"site_id\",\n oops").expect("break");
    let (code, _, err) = common::run_cli(&["summary", &foreign, "--map", &m, "--lang", "en"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("mapping.toml:2"), "{err}");
}
