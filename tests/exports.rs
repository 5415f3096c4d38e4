//! Exports: the plan workbook (read back with calamine), the CSV exports
//! and the chart command.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;
use sitefold::charts::ChartKind;
use sitefold::cli::{Run, run_with};
use sitefold::i18n::Lang;

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

/// Five sites (names that look like formulas), two rejected rows (one
/// whose raw row looks like a formula): every command still writes its
/// output and exits 1 (input problems).
const INV: &str = "site_id,name,level,kind,parent_id,annual_budget,population,online_services,inspection_score,inspection_passed,staff\n\
P,省政府,province,portal,,1000000,1000,10,90,yes,10\n\
C,\"=HYPERLINK(\"\"x\"\")\",prefecture,portal,P,200000,600,5,80,yes,5\n\
T1,+1,township,portal,C,10000,100,2,40,no,1\n\
T2,-2,township,portal,C,30000,200,1,70,,2\n\
T3,@a,county,department,C,15000,0,3,,,1.5\n\
,无标识码,county,portal,C,1,,,,,\n\
=cmd,bad,planet,portal,,1,,,,,\n";

const PLAN: &str = "site_id,decision\nT1,merge\nZZ,merge\n";
const RULES: &str = "[[rules]]\nname = \"-low budget\"\naction = \"merge\"\nbudget_below = 20000\n";
const PARAMS: &str = "max_absorbed_per_target = 1\n";

struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    args: Vec<String>,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let args = vec![
            write(d, "inv.csv", INV),
            "--plan".into(),
            write(d, "plan.csv", PLAN),
            "--rules".into(),
            write(d, "rules.toml", RULES),
            "--params".into(),
            write(d, "params.toml", PARAMS),
        ];
        Fixture {
            path: d.to_path_buf(),
            _dir: dir,
            args,
        }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Runs `command` on the fixture's files with `extra` arguments.
    fn run(&self, command: &str, extra: &[&str]) -> (i32, String, String) {
        let mut a: Vec<&str> = vec![command];
        a.extend(self.args.iter().map(String::as_str));
        a.extend_from_slice(extra);
        run(&a)
    }

    fn summary_json(&self) -> Value {
        let (code, out, err) = self.run("summary", &["--json"]);
        assert_eq!(code, 1, "{err}");
        serde_json::from_str(&out).expect("summary json")
    }

    fn workbook(&self, lang: Lang) -> Xlsx<std::io::BufReader<std::fs::File>> {
        let path = self.file(&format!("plan-{}.xlsx", lang.code()));
        let p = path.display().to_string();
        let (code, out, err) = self.run("plan", &["--out", &p, "--lang", lang.code()]);
        assert_eq!(code, 1, "{err}");
        assert!(out.contains(&p), "{out}");
        open_workbook(&path).expect("the workbook opens")
    }
}

fn float(d: Option<&Data>) -> Option<f64> {
    match d {
        Some(Data::Float(v)) => Some(*v),
        Some(Data::Int(v)) => Some(*v as f64),
        _ => None,
    }
}

fn string(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        other => panic!("expected text, found {other:?}"),
    }
}

fn lookup<'a>(v: &'a Value, key: &str) -> &'a Value {
    key.split('.').fold(v, |v, k| &v[k])
}

fn assert_same(cell: Option<&Data>, json: &Value, what: &str) {
    match json.as_f64() {
        Some(j) => {
            let x = float(cell).unwrap_or_else(|| panic!("{what}: {cell:?} is not a number"));
            assert!(
                (x - j).abs() <= 1e-9 * j.abs().max(1.0),
                "{what}: sheet {x} vs json {j}"
            );
        }
        None => {
            assert!(json.is_null(), "{what}: {json}");
            assert!(
                matches!(cell, None | Some(Data::Empty)),
                "{what}: {cell:?} should be empty"
            );
        }
    }
}

#[test]
fn workbook_sheets_rows_and_numbers_match_the_summary() {
    let fx = Fixture::new();
    let json = fx.summary_json();
    assert_eq!(json["import"]["sites"], 5);
    assert_eq!(json["import"]["rejected"], 2);
    assert_eq!(json["plan"]["errors"], 1);
    for lang in [Lang::Zh, Lang::En] {
        let mut wb = fx.workbook(lang);
        let names = sitefold::export::sheet_names(lang);
        // Sites close: the Redirects and Notices sheets follow.
        let closing = sitefold::export::execution_sheet_names(lang);
        let all: Vec<String> = names
            .iter()
            .chain(&closing)
            .map(|n| n.to_string())
            .collect();
        assert_eq!(wb.sheet_names(), all);
        let expected = match lang {
            Lang::Zh => [
                "方案",
                "汇总",
                "分层级",
                "按地区",
                "承接网站",
                "规则与参数",
                "导入问题",
            ],
            Lang::En => [
                "Plan",
                "Summary",
                "By level",
                "By area",
                "Targets",
                "Rules & parameters",
                "Import issues",
            ],
        };
        assert_eq!(names, expected);

        // Plan: a header and one row per site; money as numbers.
        let plan = wb.worksheet_range(names[0]).expect("plan sheet");
        assert_eq!(plan.height(), 6);
        let headers = sitefold::export::plan_sheet_headers(lang);
        assert_eq!(plan.width(), headers.len());
        for (c, h) in headers.iter().enumerate() {
            assert_eq!(string(plan.get_value((0, c as u32))), *h);
        }
        let mut budget = 0.0;
        for r in 1..6 {
            for c in 11..14 {
                assert!(
                    matches!(plan.get_value((r, c)), Some(Data::Float(_))),
                    "plan ({r}, {c}) is {:?}",
                    plan.get_value((r, c))
                );
            }
            budget += float(plan.get_value((r, 11))).unwrap_or(0.0);
        }
        assert_eq!(
            budget,
            json["annual_cost"]["before"].as_f64().unwrap_or(-1.0)
        );
        // Absorb costs of merged sites and kept budgets sum to the cost after.
        let after: f64 = (1..6)
            .map(|r| {
                let merged = matches!(plan.get_value((r, 6)), Some(Data::String(_)));
                float(plan.get_value((r, if merged { 12 } else { 11 }))).unwrap_or(0.0)
            })
            .sum();
        assert!((after - json["annual_cost"]["after"].as_f64().unwrap_or(-1.0)).abs() < 1e-6);
        let styles = wb.worksheet_style(names[0]).expect("plan styles");
        let money = styles
            .get((1, 11))
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone())
            .unwrap_or_default();
        assert_eq!(money, sitefold::export::money_format(lang));
        assert!(money.contains(lang.pick("元", "¥")), "{money}");

        // Summary: before / after / change, then single figures, keyed.
        let sum = wb.worksheet_range(names[1]).expect("summary sheet");
        let mut seen = 0;
        let mut r = 1;
        while let Some(Data::String(key)) = sum.get_value((r, 4)) {
            let j = lookup(&json, key);
            assert_same(sum.get_value((r, 1)), &j["before"], key);
            assert_same(sum.get_value((r, 2)), &j["after"], key);
            if let (Some(b), Some(a)) = (j["before"].as_f64(), j["after"].as_f64()) {
                assert_same(sum.get_value((r, 3)), &Value::from(a - b), key);
            }
            seen += 1;
            r += 1;
        }
        assert_eq!(seen, 5);
        // A blank row, a header, then figure / value / key.
        r += 2;
        let mut keys = Vec::new();
        while let Some(Data::String(label)) = sum.get_value((r, 0)) {
            let key = match sum.get_value((r, 2)) {
                Some(Data::String(k)) => k.clone(),
                _ => String::new(),
            };
            if !key.is_empty() {
                assert_same(sum.get_value((r, 1)), lookup(&json, &key), label);
                keys.push(key);
            }
            r += 1;
        }
        for key in [
            "annual_cost.savings",
            "one_time_cost",
            "payback_months",
            "population",
            "staff_freed",
            "plan.merged",
            "plan.manual",
            "plan.by_rule",
            "plan.errors",
            "import.rows_read",
            "import.sites",
            "import.rejected",
            "import.errors",
            "import.warnings",
        ] {
            assert!(keys.iter().any(|k| k == key), "{key} missing from Summary");
        }
        let styles = wb.worksheet_style(names[1]).expect("summary styles");
        let fmt = |r: u32, c: u32| {
            styles
                .get((r, c))
                .and_then(|s| s.number_format.as_ref())
                .map(|f| f.format_code.clone())
                .unwrap_or_default()
        };
        assert_eq!(fmt(2, 1), sitefold::export::money_format(lang));
        assert_eq!(fmt(3, 1), "0.0%");

        // By level: one row per level of the JSON, then the totals.
        let lv = wb.worksheet_range(names[2]).expect("by level");
        let levels = json["by_level"].as_array().expect("levels");
        assert_eq!(lv.height(), levels.len() + 2);
        for (i, l) in levels.iter().enumerate() {
            let r = i as u32 + 1;
            assert_eq!(
                Some(string(lv.get_value((r, 1))).as_str()),
                l["level"].as_str()
            );
            for (c, key) in [
                (2, "sites_before"),
                (3, "sites_after"),
                (4, "cost_before"),
                (5, "cost_after"),
                (7, "population"),
                (8, "covered_before"),
                (9, "covered_after"),
                (12, "passing_before"),
                (13, "passing_after"),
            ] {
                assert_same(lv.get_value((r, c)), &l[key], key);
            }
        }
        // Totals are SUM formulas carrying their results.
        let t = levels.len() as u32 + 1;
        assert_same(
            lv.get_value((t, 4)),
            &json["annual_cost"]["before"],
            "total cost",
        );
        assert_same(
            lv.get_value((t, 5)),
            &json["annual_cost"]["after"],
            "total after",
        );
        assert_same(
            lv.get_value((t, 2)),
            &json["sites"]["before"],
            "total sites",
        );
        let formulas = wb.worksheet_formula(names[2]).expect("formulas");
        let f = formulas.get_value((t, 4)).cloned().unwrap_or_default();
        assert!(f.contains("SUM("), "{f}");

        // Targets: the JSON's, in its order, with names and the capacity flag.
        let tg = wb.worksheet_range(names[4]).expect("targets");
        let targets = json["targets"].as_array().expect("targets");
        assert_eq!(tg.height(), targets.len() + 1);
        assert!(!targets.is_empty());
        for (i, t) in targets.iter().enumerate() {
            let r = i as u32 + 1;
            assert_eq!(
                Some(string(tg.get_value((r, 0))).as_str()),
                t["site_id"].as_str()
            );
            assert_same(tg.get_value((r, 3)), &t["absorbed_sites"], "absorbed_sites");
            assert_same(
                tg.get_value((r, 4)),
                &t["absorbed_budget"],
                "absorbed_budget",
            );
            assert_same(tg.get_value((r, 6)), &t["absorb_cost"], "absorb_cost");
            let flag = string(tg.get_value((r, 8)));
            let yes = lang.pick("是", "yes");
            assert_eq!(flag == yes, t["over_capacity"] == true, "{flag}");
        }
        // C absorbs T1 (manual) and T3 (rule) with a capacity of 1. Its
        // name is a text cell, as written (a text cell is never a formula).
        assert_eq!(string(tg.get_value((1, 1))), "=HYPERLINK(\"x\")");
        assert_eq!(string(tg.get_value((1, 8))), lang.pick("是", "yes"));

        // Rules & parameters: every parameter, then the rule.
        let rp = wb.worksheet_range(names[5]).expect("rules");
        assert_eq!(string(rp.get_value((1, 0))), "pass_threshold");
        assert_same(rp.get_value((7, 2)), &Value::from(1.0), "capacity");
        assert_eq!(string(rp.get_value((10, 1))), "-low budget");

        // Import issues: the import report's and the plan file's.
        let iss = wb.worksheet_range(names[6]).expect("issues");
        let all: Vec<String> = iss
            .rows()
            .flat_map(|r| r.iter().map(|d| d.to_string()))
            .collect();
        assert!(all.iter().any(|s| s.starts_with("=cmd")), "{all:?}");
        assert!(!all.iter().any(|s| s.starts_with("'=cmd")), "{all:?}");
        assert!(all.iter().any(|s| s.ends_with("plan.csv")), "{all:?}");
        assert!(iss.height() >= 4);
        for row in iss.rows().skip(1) {
            assert!(
                matches!(row.get(1), Some(Data::Float(_) | Data::Int(_))),
                "{row:?}"
            );
        }
    }
}

#[test]
fn formula_like_text_is_neutralised_in_the_workbook_and_csv() {
    let fx = Fixture::new();
    let mut wb = fx.workbook(Lang::En);
    let plan = wb.worksheet_range("Plan").expect("plan");
    // The workbook keeps text as it is, in text cells (`string` checks
    // that): a text cell is never a formula, and an apostrophe would show.
    let names: Vec<String> = (1..6).map(|r| string(plan.get_value((r, 1)))).collect();
    assert_eq!(names, ["省政府", "=HYPERLINK(\"x\")", "+1", "-2", "@a"]);
    // The serving site's name, where C serves: as it is too.
    let serving: Vec<String> = (1..6).map(|r| string(plan.get_value((r, 9)))).collect();
    assert!(
        serving.iter().any(|s| s == "=HYPERLINK(\"x\")"),
        "{serving:?}"
    );
    // No cell holds a formula but the By level totals.
    for sheet in sitefold::export::sheet_names(Lang::En) {
        let formulas = wb.worksheet_formula(sheet).expect("formulas");
        let any = formulas.rows().flatten().any(|f| !f.is_empty());
        assert_eq!(any, sheet == "By level", "{sheet}");
    }

    // A CSV cell has no type: formula-like text gets an apostrophe.
    let csv_path = fx.file("plan.out.csv");
    let p = csv_path.display().to_string();
    let (code, _, err) = fx.run("plan", &["--out", &p, "--lang", "en"]);
    assert_eq!(code, 1, "{err}");
    let bytes = std::fs::read(&csv_path).expect("plan csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let names: Vec<String> = r
        .records()
        .map(|rec| rec.expect("record")[1].to_string())
        .collect();
    assert_eq!(names, ["省政府", "'=HYPERLINK(\"x\")", "'+1", "'-2", "'@a"]);
}

fn assert_bom_crlf(bytes: &[u8]) {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    assert!(bytes.ends_with(b"\r\n"), "no final CRLF");
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            assert_eq!(bytes.get(i.wrapping_sub(1)), Some(&b'\r'), "bare LF at {i}");
        }
    }
}

#[test]
fn summary_and_issues_csv_have_bom_crlf_and_neutralised_cells() {
    let fx = Fixture::new();
    let json = fx.summary_json();
    let out = fx.file("summary.csv");
    let p = out.display().to_string();
    let (code, _, err) = fx.run("summary", &["--out", &p, "--lang", "zh"]);
    assert_eq!(code, 1, "{err}");
    let bytes = std::fs::read(&out).expect("summary csv");
    assert_bom_crlf(&bytes);
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert!(text.starts_with("指标,现状,方案后,变化,字段\r\n"), "{text}");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("record")).collect();
    let cost = rows
        .iter()
        .find(|r| r.get(4) == Some("annual_cost"))
        .expect("cost row");
    assert_eq!(
        cost[1].parse::<f64>().ok(),
        json["annual_cost"]["before"].as_f64()
    );
    assert_eq!(
        cost[2].parse::<f64>().ok(),
        json["annual_cost"]["after"].as_f64()
    );
    let one_time = rows
        .iter()
        .find(|r| r.get(2) == Some("one_time_cost"))
        .expect("one-time row");
    assert_eq!(
        one_time[1].parse::<f64>().ok(),
        json["one_time_cost"].as_f64()
    );
    // The receiving site named like a formula, in the targets table.
    assert!(
        rows.iter().any(|r| r.get(1) == Some("'=HYPERLINK(\"x\")")),
        "{text}"
    );
    // The level table in Chinese with its total.
    assert!(text.contains("\r\n\r\n层级,层级代码,"), "{text}");
    assert!(text.contains("\r\n合计,"), "{text}");

    // JSON to a file.
    let out_json = fx.file("summary.json");
    let pj = out_json.display().to_string();
    let (code, _, err) = fx.run("summary", &["--json", "--out", &pj]);
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_slice(&std::fs::read(&out_json).expect("json")).expect("json");
    assert_eq!(v, json);

    // Import issues from validate.
    let issues = fx.file("issues.csv");
    let pi = issues.display().to_string();
    let inv = fx.args[0].clone();
    let (code, _, _) = run(&["validate", &inv, "--out", &pi, "--lang", "en"]);
    assert_eq!(code, 1, "rows were rejected");
    let bytes = std::fs::read(&issues).expect("issues csv");
    assert_bom_crlf(&bytes);
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(
        r.headers().expect("headers").iter().collect::<Vec<_>>(),
        [
            "File", "Line", "Column", "Header", "Severity", "Site", "Message", "Raw row"
        ]
    );
    let recs: Vec<csv::StringRecord> = r.records().map(|x| x.expect("record")).collect();
    let rejected: Vec<&csv::StringRecord> = recs.iter().filter(|r| &r[4] == "Rejected").collect();
    assert_eq!(rejected.len(), 2);
    assert!(
        rejected.iter().any(|r| r[7].starts_with("'=cmd,")),
        "{recs:?}"
    );
    assert!(rejected.iter().any(|r| &r[1] == "8"), "{recs:?}");
}

#[test]
fn library_csv_writers_take_a_writer() {
    use sitefold::inventory::{ImportOptions, import_bytes};
    use sitefold::workspace::Workspace;
    let imported =
        import_bytes(INV.as_bytes(), "inv.csv", &ImportOptions::default()).expect("import");
    let ws = Workspace::new(imported);
    let s = ws.summary();
    let mut buf = Vec::new();
    sitefold::export::write_summary_csv(&s, &ws.imported.inventory, &ws.params, &mut buf, Lang::En)
        .expect("summary csv");
    assert_bom_crlf(&buf);
    let mut buf = Vec::new();
    sitefold::export::write_issues_csv(&ws.imported.report, &ws.file_issues, &mut buf, Lang::Zh)
        .expect("issues csv");
    assert_bom_crlf(&buf);
    let bytes = sitefold::export::plan_workbook(
        &sitefold::export::PlanExport {
            ws: &ws,
            model: &ws.model(),
            resolved: &ws.resolve(),
            outcome: &ws.evaluate().1,
        },
        Lang::Zh,
    )
    .expect("workbook");
    assert!(bytes.starts_with(b"PK"));
    assert_eq!(sitefold::export::tables::text_width("网站ab"), 6);
    assert_eq!(sitefold::export::tables::text_width("（元）"), 6);
}

#[test]
fn empty_inventory_still_makes_a_workbook() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = write(dir.path(), "inv.csv", "site_id,level\n,county\n");
    let out = dir.path().join("plan.xlsx");
    let p = out.display().to_string();
    let (code, _, err) = run(&["plan", &inv, "--out", &p, "--lang", "en"]);
    assert_eq!(code, 1, "{err}");
    let mut wb: Xlsx<_> = open_workbook(&out).expect("opens");
    let plan = wb.worksheet_range("Plan").expect("plan");
    assert_eq!(plan.height(), 1);
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".sitefold-tmp") || n.contains(".tmp"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn chart_command_writes_png_and_svg() {
    let fx = Fixture::new();
    for kind in ChartKind::ALL {
        let png = fx.file(&format!("{}.png", kind.key()));
        let p = png.display().to_string();
        let (code, _, err) = fx.run(
            "chart",
            &[
                "--kind",
                kind.key(),
                "--out",
                &p,
                "--size",
                "640x400",
                "--lang",
                "zh",
            ],
        );
        assert_eq!(code, 1, "{kind:?}: {err}");
        assert_eq!(png_size(&std::fs::read(&png).expect("png")), (640, 400));

        for lang in [Lang::Zh, Lang::En] {
            let svg = fx.file(&format!("{}-{}.svg", kind.key(), lang.code()));
            let p = svg.display().to_string();
            let (code, _, err) = fx.run(
                "chart",
                &["--kind", kind.key(), "--out", &p, "--lang", lang.code()],
            );
            assert_eq!(code, 1, "{kind:?}: {err}");
            let text = std::fs::read_to_string(&svg).expect("svg");
            assert!(text.contains("<svg"), "{kind:?}");
            assert!(text.contains("width=\"1600\""), "{kind:?}: default size");
            let title = kind.title(lang);
            assert!(text.contains(title), "{kind:?}: no title {title}");
        }
    }
    // The default size.
    let png = fx.file("default.png");
    let p = png.display().to_string();
    let (code, _, err) = fx.run("chart", &["--kind", "cost-by-level", "--out", &p]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(png_size(&std::fs::read(&png).expect("png")), (1600, 1000));
    assert!(leftovers(&fx.path).is_empty(), "{:?}", leftovers(&fx.path));
}

#[test]
fn chart_command_usage_errors_exit_2() {
    let fx = Fixture::new();
    let out = fx.file("x.png").display().to_string();
    let (code, _, err) = fx.run("chart", &["--kind", "pie", "--out", &out]);
    assert_eq!(code, 2);
    assert!(err.contains("cost-by-level"), "{err}");
    for size in ["0x10", "10", "axb", "20000x10"] {
        let (code, _, err) = fx.run(
            "chart",
            &["--kind", "cost-by-level", "--out", &out, "--size", size],
        );
        assert_eq!(code, 2, "{size}: {err}");
    }
    let gif = fx.file("x.gif").display().to_string();
    let (code, _, err) = fx.run("chart", &["--kind", "cost-by-level", "--out", &gif]);
    assert_eq!(code, 2);
    assert!(err.contains(".png"), "{err}");
    assert!(!fx.file("x.png").exists() && !fx.file("x.gif").exists());
}

#[test]
fn unwritable_paths_exit_2_and_leave_no_file() {
    let fx = Fixture::new();
    let missing = fx.file("no-such-folder");
    // An existing directory in the way of the file.
    let blocked = fx.file("blocked.png");
    std::fs::create_dir(&blocked).expect("mkdir");
    std::fs::write(blocked.join("keep"), "x").expect("write");
    let blocked_xlsx = fx.file("blocked.xlsx");
    std::fs::create_dir(&blocked_xlsx).expect("mkdir");
    std::fs::write(blocked_xlsx.join("keep"), "x").expect("write");
    for (command, path, extra) in [
        (
            "chart",
            missing.join("c.png"),
            vec!["--kind", "cost-by-level"],
        ),
        (
            "chart",
            missing.join("c.svg"),
            vec!["--kind", "target-load"],
        ),
        ("chart", blocked.clone(), vec!["--kind", "cost-by-level"]),
        ("plan", missing.join("p.xlsx"), vec![]),
        ("plan", blocked_xlsx.clone(), vec![]),
        ("plan", missing.join("p.csv"), vec![]),
        ("summary", missing.join("s.csv"), vec![]),
    ] {
        let p = path.display().to_string();
        let mut args = extra.clone();
        args.extend(["--out", &p, "--lang", "en"]);
        let (code, _, err) = fx.run(command, &args);
        assert_eq!(code, 2, "{command} {p}: {err}");
        assert!(err.contains("cannot write"), "{command} {p}: {err}");
        assert!(!missing.exists());
        assert!(path.is_dir() || !path.exists());
    }
    assert!(leftovers(&fx.path).is_empty(), "{:?}", leftovers(&fx.path));
    assert!(leftovers(&blocked).is_empty());
}
