//! Figures to the fen, and saved work that is checked like any file
//! (MODEL.md §7): each case was found wrong once and is kept here.

mod common;

use common::{run_cli as run, write_text as write};
use sitefold::i18n::Lang;
use sitefold::money::Money;
use sitefold::project::open_project;

/// Budgets written with 万 and with decimals, and staff in tenths.
const WAN: &str = "site_id,name,level,kind,parent_id,annual_budget,staff,population,online_services,inspection_passed\n\
P,省政府,province,portal,,100万,10,1000000,10,yes\n\
C,县政府,county,portal,P,\"11,400\",3.3,50000,4,yes\n\
T1,镇一,township,portal,C,1.14万,0.1,3000,1,no\n\
T2,镇二,township,portal,C,1.71万,0.1,2000,0,no\n\
T3,镇三,township,portal,C,¥20000.50,0.1,1000,0,no\n\
T4,镇四,township,portal,C,0.3,0.1,500,0,no\n";

#[test]
fn wan_amounts_are_exact_and_rules_compare_them_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = write(dir.path(), "万元 清单.csv", WAN);
    // 1.14万 is 11,400 exactly: not below 11,400, so not merged; 1.71万 is.
    let rules = write(
        dir.path(),
        "rules.toml",
        "[[rules]]\nname = \"small\"\naction = \"merge\"\nlevels = [\"township\"]\nbudget_below = 11400\n",
    );
    let (code, out, err) = run(&["summary", &inv, "--rules", &rules, "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["plan"]["merged"], 1, "only T4 (0.3 yuan) is below 11,400");
    // Before: 1,000,000 + 11,400 + 11,400 + 17,100 + 20,000.50 + 0.30.
    assert_eq!(v["annual_cost"]["before"].as_f64(), Some(1_059_900.8));
    // After: T4 absorbed at 5,000 + 0.1 × 0.30 = 5,000.03.
    assert_eq!(v["annual_cost"]["after"].as_f64(), Some(1_064_900.53));
    assert_eq!(v["annual_cost"]["savings"].as_f64(), Some(-4_999.73));
    for noise in ["99999", "00000001", "e-"] {
        assert!(!out.contains(noise), "no float noise ({noise}) in\n{out}");
    }

    // Merging every township: staff freed is 0.4, written with one place.
    let all = write(
        dir.path(),
        "all.toml",
        "[[rules]]\nname = \"all\"\naction = \"merge\"\nlevels = [\"township\"]\n",
    );
    let (code, out, err) = run(&["summary", &inv, "--rules", &all, "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["staff_freed"].as_f64(), Some(0.4));
    // 4 × 5,000 + 0.1 × (11,400 + 17,100 + 20,000.50 + 0.30) = 24,850.08.
    let absorbed: f64 = v["targets"][0]["absorb_cost"].as_f64().expect("number");
    assert_eq!(absorbed, 24_850.08);
    assert_eq!(v["targets"][0]["absorbed_budget"].as_f64(), Some(48_500.8));
}

#[test]
fn the_text_summary_and_the_plan_speak_one_language_without_noise() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = write(dir.path(), "inv.csv", WAN);
    let (code, out, err) = run(&["--lang", "zh", "summary", &inv]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.contains("-0 ") && !out.contains("-0\n"),
        "no -0 change:\n{out}"
    );
    let plan = dir.path().join("方案 一.csv");
    let (code, _, err) = run(&[
        "--lang",
        "zh",
        "plan",
        &inv,
        "--out",
        &plan.display().to_string(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = String::from_utf8(std::fs::read(&plan).expect("read")).expect("utf-8");
    assert!(
        text.contains("省级,门户"),
        "levels and kinds in Chinese:\n{text}"
    );
    assert!(!text.contains("province") && !text.contains("portal"));
    assert!(text.contains(",20000.5,"), "the exact budget: {text}");
}

#[test]
fn a_damaged_project_is_checked_like_an_import_when_opened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("改过 的项目.sitefold");
    // A project edited by hand: a negative, a NaN and a 1e308 budget, four
    // sites sharing one id, a score of 400, and absurd parameters.
    let project = r#"{"format": "sitefold-project", "version": 1,
        "inventory": {
            "header": ["site_id", "level", "parent_id", "annual_budget"],
            "sites": {
                "count": 7,
                "id": ["P", "A", "B", "C", "D", "D", "D"],
                "level": ["province", "county", "county", "county", "county", "county", "county"],
                "parent_id": ["", "P", "P", "P", "P", "P", "P"],
                "budget": [1000, -1000000000, "NaN", 1e308, 5, 6, 7],
                "inspection_score": [90, 400, null, null, null, null, null]
            }
        },
        "params": {"absorb_fixed": -5, "absorb_rate": 7.5, "pass_threshold": 60}}"#;
    std::fs::write(&path, project).expect("write");
    let opened = open_project(&path).expect("a damaged project still opens");
    let errors: Vec<String> = opened
        .file_issues
        .iter()
        .filter(|i| i.is_error)
        .map(|i| i.render(Lang::En))
        .collect();
    let all = errors.join("\n");
    assert!(all.contains("negative"), "{all}");
    assert!(all.contains("\"NaN\" is not a number"), "{all}");
    assert!(all.contains("over 10^15"), "{all}");
    assert!(all.contains("outside 0–100"), "{all}");
    assert_eq!(all.matches("already used").count(), 2, "{all}");
    assert!(
        all.contains("absorb_fixed") && all.contains("absorb_rate"),
        "{all}"
    );
    assert!(
        errors.iter().all(|e| e.contains("改过 的项目.sitefold")),
        "{all}"
    );
    let ws = opened.into_workspace();
    let inv = &ws.imported.inventory;
    assert_eq!(inv.len(), 5, "the later D rows are not imported");
    assert!(inv.sites().iter().all(|s| !s.budget.is_negative()));
    assert_eq!(
        ws.params.absorb_fixed, 5000.0,
        "defaults replace absurd values"
    );
    assert_eq!(ws.params.absorb_rate, 0.10);
    let (_, outcome) = ws.evaluate();
    assert_eq!(outcome.annual_cost.before, Money::yuan(1005));

    // The command line says so too, and exits 1.
    let (code, out, _) = run(&["validate", &path.display().to_string()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("already used") || out.contains("已"), "{out}");
}

#[test]
fn a_clean_project_reopens_with_every_figure_and_no_new_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = write(dir.path(), "inv.csv", WAN);
    let path = dir.path().join("p.sitefold");
    let ws = sitefold::workspace::Workspace::load(&sitefold::workspace::Inputs {
        inventory: inv.into(),
        ..Default::default()
    })
    .expect("load");
    let (_, before) = ws.evaluate();
    let project = sitefold::project::Project::from_workspace(&ws, Lang::Zh);
    sitefold::project::save_project(&path, &project).expect("save");
    let opened = open_project(&path).expect("open");
    assert!(opened.file_issues.is_empty(), "{:?}", opened.file_issues);
    let again = opened.into_workspace();
    let (_, after) = again.evaluate();
    assert_eq!(after.annual_cost, before.annual_cost);
    assert_eq!(after.staff_freed, before.staff_freed);
    let t3 = again
        .imported
        .inventory
        .sites()
        .iter()
        .find(|s| s.id == "T3")
        .expect("T3");
    assert_eq!(t3.budget.to_string(), "20000.5");
    assert_eq!(t3.line, 6, "lines of the original file are kept");
}

#[test]
fn csv_neutralises_every_formula_and_workbooks_keep_text_as_it_is() {
    use sitefold::export::{neutralise, unneutralise};
    for formula in [
        "=1+1",
        "-4",
        "+1",
        "@SUM(A1)",
        "＝1+1",
        "\u{200B}=HYPERLINK(\"x\")",
        "\t=1",
    ] {
        let n = neutralise(formula);
        assert!(n.starts_with('\''), "{formula:?} → {n:?}");
        assert_eq!(unneutralise(&n), formula);
    }
    for plain in ["省政府", "a=1", "", "'quoted"] {
        assert_eq!(neutralise(plain), plain);
    }
}
