//! The schedule and the cash flow (MODEL.md §8): `sitefold schedule`, the
//! scheduler's limits, the schedule file read back, the workbook's sheets
//! and the project.

use std::collections::HashMap;
use std::path::Path;

use proptest::prelude::*;
use sitefold::inventory::Inventory;
use sitefold::money::Money;
use sitefold::outcome::{Model, evaluate};
use sitefold::plan::{Decision, Params, TimelineParams};
use sitefold::timeline::{Evaluated, Horizon, Limits, Quarter, Reason, plan_timeline, schedule};

mod common;

use common::{run_cli as run, write_text as write};

/// Three townships under a prefecture (the figures of `src/timeline/tests.rs`):
///
/// | site | saving/quarter | one-time |
/// |---|---|---|
/// | T1 | 1,000 | 14,000 |
/// | T2 | 5,500 | 12,000 |
/// | T3 | 1,527.77575 | 10,000 |
const INV: &str = "site_id,name,level,kind,parent_id,annual_budget,population,online_services,inspection_score,inspection_passed\n\
P,省政府,province,portal,,1000000,1000,10,90,yes\n\
C,市政府,prefecture,portal,P,200000,600,5,80,yes\n\
T1,镇一,township,portal,C,10000,100,2,40,no\n\
T2,镇二,township,portal,C,30000,200,1,70,\n\
T3,镇三,township,portal,C,12345.67,200,0,70,\n";

const PLAN: &str = "site_id,decision\nT1,merge\nT2,merge\nT3,merge\n";

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn schedule_json_has_the_keys_and_the_hand_computed_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let inv = write(d, "inv.csv", INV);
    let plan = write(d, "plan.csv", PLAN);
    let given = write(
        d,
        "given.csv",
        "site_id,quarter\nT1,2027Q1\nT2,2027年第三季度\nT3,2029Q1\n",
    );
    let (code, out, err) = run(&[
        "schedule",
        &inv,
        "--plan",
        &plan,
        "--schedule",
        &given,
        "--start",
        "2027Q1",
        "--horizon",
        "2",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    for key in ["quarters", "years", "payback_quarter", "unscheduled"] {
        assert!(v.get(key).is_some(), "missing {key}: {out}");
    }
    let quarters = v["quarters"].as_array().expect("quarters");
    assert_eq!(quarters.len(), 8);
    for q in quarters {
        for key in [
            "quarter",
            "closures",
            "one_time",
            "savings",
            "net",
            "cumulative",
        ] {
            assert!(q.get(key).is_some(), "quarter without {key}: {q}");
        }
    }
    let figures: Vec<(String, u64, f64, f64, f64, f64)> = quarters
        .iter()
        .map(|q| {
            (
                q["quarter"].as_str().unwrap_or_default().to_string(),
                q["closures"].as_u64().unwrap_or(99),
                q["one_time"].as_f64().unwrap_or(f64::NAN),
                q["savings"].as_f64().unwrap_or(f64::NAN),
                q["net"].as_f64().unwrap_or(f64::NAN),
                q["cumulative"].as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect();
    let row = |q: &str, c, o, s, n, cum| (q.to_string(), c, o, s, n, cum);
    assert_eq!(
        figures,
        vec![
            row("2027Q1", 1, 14000.0, 0.0, -14000.0, -14000.0),
            row("2027Q2", 0, 0.0, 1000.0, 1000.0, -13000.0),
            row("2027Q3", 1, 12000.0, 1000.0, -11000.0, -24000.0),
            row("2027Q4", 0, 0.0, 6500.0, 6500.0, -17500.0),
            row("2028Q1", 0, 0.0, 6500.0, 6500.0, -11000.0),
            row("2028Q2", 0, 0.0, 6500.0, 6500.0, -4500.0),
            row("2028Q3", 0, 0.0, 6500.0, 6500.0, 2000.0),
            row("2028Q4", 0, 0.0, 6500.0, 6500.0, 8500.0),
        ]
    );
    assert_eq!(v["payback_quarter"], "2028Q3");
    assert_eq!(v["years"][0]["year"], 2027);
    assert_eq!(v["years"][0]["one_time"], 26000.0);
    assert_eq!(v["years"][0]["savings"], 8500.0);
    assert_eq!(v["years"][1]["net"], 26000.0);
    assert_eq!(v["years"][1]["cumulative"], 8500.0);
    // T3's quarter is after the horizon: left out, and not rescheduled.
    assert_eq!(v["unscheduled"][0]["site_id"], "T3");
    assert_eq!(v["unscheduled"][0]["reason"], "outside_horizon");
    assert_eq!(v["unscheduled"][0]["quarter"], "2029Q1");
    // The budget by level: the townships spend T2 and T3 all year and T1
    // for one quarter (2,500) and T2 for three (22,500) in 2027.
    let levels = &v["years"][0]["budget_by_level"];
    assert_eq!(levels[2]["level"], "township");
    assert_eq!(levels[2]["budget"], 2500.0 + 22500.0 + 12345.67);
}

#[test]
fn the_scheduler_fills_in_within_the_limits_of_the_parameters_and_options() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let inv = write(d, "inv.csv", INV);
    let plan = write(d, "plan.csv", PLAN);
    let params = write(
        d,
        "params.toml",
        "start_quarter = \"2027年第1季度\"\nhorizon_years = 1\nmax_closures_per_quarter = 1\n",
    );
    let (code, out, err) = run(&[
        "schedule", &inv, "--plan", &plan, "--params", &params, "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    let closures: Vec<u64> = v["quarters"]
        .as_array()
        .expect("quarters")
        .iter()
        .map(|q| q["closures"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(closures, vec![1, 1, 1, 0]);
    // The largest saving (T2's 5,500 a quarter) first.
    assert_eq!(v["quarters"][1]["savings"], 5500.0);
    // An option replaces the parameter.
    let (code, out, err) = run(&[
        "schedule",
        &inv,
        "--plan",
        &plan,
        "--params",
        &params,
        "--max-closures-per-quarter",
        "3",
        "--max-one-time-per-year",
        "2.5万",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["quarters"][0]["closures"], 2, "{out}");
    assert_eq!(
        v["quarters"][0]["one_time"], 22000.0,
        "T2 and T3 save most per yuan"
    );
    assert_eq!(v["unscheduled"][0]["site_id"], "T1");
    assert_eq!(v["unscheduled"][0]["reason"], "no_room");
}

#[test]
fn the_table_reads_in_both_languages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let inv = write(d, "inv.csv", INV);
    let plan = write(d, "plan.csv", "site_id,decision\nT1,merge\n");
    for (lang, words) in [
        (
            "zh",
            [
                "季度",
                "一次性支出（元）",
                "累计（元）",
                "回收季度：2030Q3",
                "各层级年度预算",
            ],
        ),
        (
            "en",
            [
                "Quarter",
                "One-time ¥",
                "Cumulative ¥",
                "Payback quarter: 2030Q3",
                "Budget by level",
            ],
        ),
    ] {
        let (code, out, err) = run(&[
            "schedule", &inv, "--plan", &plan, "--start", "2027Q1", "--lang", lang,
        ]);
        assert_eq!(code, 0, "{err}");
        for w in words {
            assert!(out.contains(w), "{lang}: no {w}:\n{out}");
        }
        assert!(out.contains("2031Q4"), "five years by default:\n{out}");
    }
}

#[test]
fn bad_schedule_lines_are_reported_like_plan_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let inv = write(d, "inv.csv", INV);
    let plan = write(d, "plan.csv", PLAN);
    let bad = write(
        d,
        "bad.csv",
        "site_id,quarter\nT1,2027Q5\nC,2027Q1\nT1,2027Q2\nT2,2027Q2\nT2,2027Q3\nZZ,2027Q1\n",
    );
    let (code, out, err) = run(&[
        "schedule",
        &inv,
        "--plan",
        &plan,
        "--schedule",
        &bad,
        "--start",
        "2027Q1",
        "--json",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "bad lines are reported, good ones used: {err}");
    for (line, col) in [("2", "2"), ("3", "1"), ("6", "1"), ("7", "1")] {
        let at = format!("bad.csv:{line}:{col}: error");
        assert!(err.contains(&at), "no {at} in:\n{err}");
    }
    let v = json(&out);
    assert_eq!(
        v["quarters"][1]["closures"], 2,
        "T1 and T2 from the file: {out}"
    );
    // Without its columns, the file is refused (exit 1); missing, exit 2.
    let plan_like = write(d, "p.csv", "site_id,decision\nT1,merge\n");
    let (code, _, err) = run(&["schedule", &inv, "--schedule", &plan_like, "--lang", "en"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("a schedule file needs site_id and quarter columns"),
        "{err}"
    );
    let missing = d.join("missing.csv").display().to_string();
    let (code, _, _) = run(&["schedule", &inv, "--schedule", &missing]);
    assert_eq!(code, 2);
    // Options that do not read are usage errors; an output that is the
    // schedule read is refused.
    for args in [
        vec!["schedule", &inv, "--start", "2027Q5"],
        vec!["schedule", &inv, "--horizon", "0"],
        vec!["schedule", &inv, "--max-one-time-per-year", "-5"],
        vec!["schedule", &inv, "--schedule", &bad, "--out", &bad],
        vec!["schedule", &inv, "--out", "x.png"],
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
    assert_eq!(
        std::fs::read_to_string(&bad)
            .expect("still there")
            .lines()
            .count(),
        7
    );
}

#[test]
fn quarters_set_by_hand_over_a_limit_are_warned_about() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let inv = write(d, "inv.csv", INV);
    let plan = write(d, "plan.csv", PLAN);
    let given = write(d, "given.csv", "site_id,quarter\nT1,2027Q1\nT2,2027Q1\n");
    let (code, out, err) = run(&[
        "schedule",
        &inv,
        "--plan",
        &plan,
        "--schedule",
        &given,
        "--start",
        "2027Q1",
        "--max-closures-per-quarter",
        "1",
        "--json",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("2027Q1: 2 closures, above the limit of 1 per quarter"),
        "{err}"
    );
    let v = json(&out);
    assert_eq!(v["quarters"][0]["closures"], 2, "kept as given");
    assert_eq!(v["quarters"][1]["closures"], 1, "T3 goes on");
}

#[test]
fn the_schedule_written_reads_back_to_the_same_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let inv = write(d, "inv.csv", INV);
    let plan = write(d, "plan.csv", PLAN);
    let out_csv = d.join("s.csv").display().to_string();
    let common = [
        "--plan",
        &plan,
        "--start",
        "2027Q1",
        "--max-closures-per-quarter",
        "1",
    ];
    let mut first = vec!["schedule", &inv];
    first.extend(common);
    first.extend(["--json", "--out", &out_csv]);
    let (code, a, err) = run(&first);
    assert_eq!(code, 0, "{err}");
    let written = std::fs::read_to_string(&out_csv).expect("written");
    assert_eq!(
        written,
        "\u{feff}site_id,quarter\r\nT1,2027Q3\r\nT2,2027Q1\r\nT3,2027Q2\r\n"
    );
    let mut second = vec!["schedule", &inv];
    second.extend(common);
    second.extend(["--json", "--schedule", &out_csv]);
    let (code, b, err) = run(&second);
    assert_eq!(code, 0, "{err}");
    assert_eq!(a, b);
    // Without --json, the table, then where the schedule went.
    let mut third = vec!["schedule", &inv];
    third.extend(common);
    third.extend(["--out", &out_csv, "--lang", "en"]);
    let (code, out, _) = run(&third);
    assert_eq!(code, 0);
    assert!(
        out.trim_end().ends_with(&format!("wrote {out_csv}")),
        "{out}"
    );
}

#[test]
fn a_project_keeps_its_schedule_and_the_workbook_shows_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let inv = write(d, "inv.csv", INV);
    let plan = write(d, "plan.csv", PLAN);
    let project = d.join("p.sitefold").display().to_string();
    let args = [
        "--start",
        "2027Q1",
        "--max-closures-per-quarter",
        "1",
        "--json",
    ];
    let mut first = vec!["schedule", &inv, "--plan", &plan, "--out", &project];
    first.extend(args);
    let (code, a, err) = run(&first);
    assert_eq!(code, 0, "{err}");
    // The project holds the quarters and the limits: nothing left to place.
    let (code, b, err) = run(&["schedule", &project, "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(a, b);
    let reopened = sitefold::project::open_project(Path::new(&project)).expect("opens");
    assert_eq!(reopened.schedule.len(), 3);
    assert_eq!(reopened.timeline.max_closures_per_quarter, Some(1));
    assert_eq!(reopened.timeline.start_quarter, Quarter::parse("2027Q1"));
    // The audit trail says where each quarter came from.
    let audit = &reopened.execution.audit;
    assert_eq!(audit.len(), 3, "{audit:?}");
    assert!(
        audit
            .iter()
            .all(|e| e.action == sitefold::execution::AuditAction::Schedule
                && e.before.is_empty()
                && e.reason == "sitefold schedule")
    );
    let t2 = audit
        .iter()
        .find(|e| e.site_id == "T2")
        .expect("T2's entry");
    assert_eq!(t2.after, "2027Q1");
    // Its workbook has the Schedule and Cash flow sheets; one without a
    // schedule does not.
    for (input, lang, want) in [
        (&project, "zh", true),
        (&project, "en", true),
        (&inv, "en", false),
    ] {
        let xlsx = d.join(format!("{lang}{want}.xlsx"));
        let (code, _, err) = run(&[
            "plan",
            input,
            "--out",
            &xlsx.display().to_string(),
            "--lang",
            lang,
        ]);
        assert_eq!(code, 0, "{err}");
        let names = sitefold::inventory::sheet_names_of(&xlsx).expect("sheets");
        let (schedule, cash) = if lang == "zh" {
            ("时间表", "现金流")
        } else {
            ("Schedule", "Cash flow")
        };
        assert_eq!(names.contains(&schedule.to_string()), want, "{names:?}");
        assert_eq!(names.contains(&cash.to_string()), want, "{names:?}");
    }
    // The sheets list every merged site with its quarter.
    let xlsx = d.join("zhtrue.xlsx");
    let bytes = std::fs::read(&xlsx).expect("read");
    let table = calamine_rows(&bytes, "时间表");
    assert_eq!(table.len(), 4, "{table:?}");
    assert_eq!(table[1][0], "T2");
    assert_eq!(table[1][5], "2027Q1");
}

/// The cells of a workbook's sheet as text.
fn calamine_rows(bytes: &[u8], sheet: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("workbook");
    let range = wb.worksheet_range(sheet).expect("sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn help_shows_the_schedule_examples_in_both_languages() {
    for (lang, words) in [("zh", "示例："), ("en", "Examples:")] {
        let (code, out, err) = run(&["schedule", "--help", "--lang", lang]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(words), "{out}");
        assert!(
            out.contains("--max-closures-per-target-per-quarter"),
            "{out}"
        );
        assert!(out.contains("sitefold schedule"), "{out}");
    }
}

// ------------------------------------------------------------ properties

/// A generated province with a random share of its sites merged, some
/// given quarters (a few outside the horizon), its model and outcome.
struct World {
    inv: Inventory,
    model: Model,
    decisions: Vec<Decision>,
    serving: Vec<u32>,
    given: Vec<Option<Quarter>>,
}

fn world(n: usize, seed: u64, merge_pct: u64, given_pct: u64, horizon: Horizon) -> World {
    let inv = Inventory::link(sitefold::generate::generate(n, seed)).0;
    let params = Params::default();
    let model = Model::new(&inv, &params);
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut roll = |pct: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % 100 < pct
    };
    let decisions: Vec<Decision> = (0..inv.len())
        .map(|i| {
            if inv.parent(i).is_some() && roll(merge_pct) {
                Decision::Merge { target: None }
            } else {
                Decision::Keep
            }
        })
        .collect();
    let serving = evaluate(&inv, &model, &decisions).serving;
    let h = horizon.len() as u32;
    let given = (0..inv.len())
        .map(|i| {
            (decisions[i].is_merge() && roll(given_pct)).then(|| {
                let k = (i as u32 * 7 + seed as u32) % (h + 2);
                // k = h and h + 1: after the horizon.
                horizon.start.plus(k)
            })
        })
        .collect();
    World {
        inv,
        model,
        decisions,
        serving,
        given,
    }
}

/// Closures per quarter, per (target, quarter), and one-time per year of
/// the merged sites of `quarters` within the horizon.
type Loads = (
    HashMap<Quarter, u64>,
    HashMap<(usize, Quarter), u64>,
    HashMap<i32, Money>,
);

fn loads(plan: &Evaluated<'_>, quarters: &[Option<Quarter>], horizon: Horizon) -> Loads {
    let mut l: Loads = Default::default();
    for (i, q) in quarters.iter().enumerate() {
        let Some(q) = *q else { continue };
        if !plan.is_merged(i) || horizon.index(q).is_none() {
            continue;
        }
        *l.0.entry(q).or_default() += 1;
        *l.1.entry((plan.serving(i), q)).or_default() += 1;
        *l.2.entry(q.year()).or_insert(Money::ZERO) += plan.model.migrate_cost(i);
    }
    l
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The scheduler never breaks a limit (a bucket the given quarters
    /// already fill past its limit gets nothing more), keeps the quarters
    /// given, places or explains every merged site, and scheduling its
    /// result again changes nothing.
    #[test]
    fn the_scheduler_never_breaks_a_limit(
        n in 5usize..400,
        seed in 0u64..1_000,
        merge_pct in 0u64..100,
        given_pct in 0u64..40,
        years in 1u32..4,
        start_q in 1u8..5,
        per_quarter in proptest::option::of(0u64..12),
        per_target in proptest::option::of(0u64..4),
        per_year in proptest::option::of(0i64..200_000),
    ) {
        let horizon = Horizon { start: Quarter::new(2027, start_q).expect("quarter"), years };
        let w = world(n, seed, merge_pct, given_pct, horizon);
        let limits = Limits {
            max_closures_per_quarter: per_quarter,
            max_closures_per_target_per_quarter: per_target,
            max_one_time_per_year: per_year.map(Money::yuan),
        };
        let plan = Evaluated { inv: &w.inv, model: &w.model, decisions: &w.decisions, serving: &w.serving };
        let s = schedule(&plan, &w.given, horizon, &limits);
        let before = loads(&plan, &w.given, horizon);
        let after = loads(&plan, &s.quarters, horizon);
        if let Some(m) = limits.max_closures_per_quarter {
            for (q, &c) in &after.0 {
                let was = before.0.get(q).copied().unwrap_or(0);
                prop_assert!(c <= m.max(was), "{q}: {c} closures, limit {m}, given {was}");
            }
        }
        if let Some(m) = limits.max_closures_per_target_per_quarter {
            for (k, &c) in &after.1 {
                let was = before.1.get(k).copied().unwrap_or(0);
                prop_assert!(c <= m.max(was), "{k:?}: {c}, limit {m}, given {was}");
            }
        }
        if let Some(cap) = limits.max_one_time_per_year {
            for (y, &spent) in &after.2 {
                let was = before.2.get(y).copied().unwrap_or(Money::ZERO);
                prop_assert!(spent <= cap.max(was), "{y}: {spent:?}, cap {cap:?}, given {was:?}");
            }
        }
        let unfit: HashMap<usize, Reason> = s.unfit.iter().copied().collect();
        for i in 0..w.inv.len() {
            if w.given[i].is_some() || !plan.is_merged(i) {
                prop_assert_eq!(s.quarters[i], w.given[i]);
            } else {
                let q = s.quarters[i];
                prop_assert!(q.is_some() != unfit.contains_key(&i), "site {i}: {q:?}");
                if let Some(q) = q {
                    prop_assert!(horizon.index(q).is_some());
                }
            }
        }
        prop_assert_eq!(s.placed + s.unfit.len(), (0..w.inv.len())
            .filter(|&i| plan.is_merged(i) && w.given[i].is_none()).count());
        let again = schedule(&plan, &s.quarters, horizon, &limits);
        prop_assert_eq!(again.placed, 0);
        prop_assert_eq!(&again.quarters, &s.quarters);
        prop_assert_eq!(&again.unfit, &s.unfit);
        // With the horizon and limits as parameters, the timeline is this
        // schedule's cash flow, the sites that did not fit said so.
        let params = TimelineParams {
            start_quarter: Some(horizon.start),
            horizon_years: years,
            max_closures_per_quarter: per_quarter,
            max_closures_per_target_per_quarter: per_target,
            max_one_time_per_year: limits.max_one_time_per_year,
        };
        let t = plan_timeline(&plan, &w.given, &params, true);
        prop_assert_eq!(&t.quarters, &s.quarters);
        for u in &t.flow.unscheduled {
            let why = unfit.get(&u.site).copied().unwrap_or(if u.quarter.is_some() {
                Reason::OutsideHorizon
            } else {
                Reason::NoQuarter
            });
            prop_assert_eq!(u.reason, why);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// `schedule --out` then `schedule --schedule` that file: the same JSON.
    #[test]
    fn a_written_schedule_reads_back_to_the_same_json(
        n in 20usize..300,
        seed in 0u64..1_000,
        years in 1u32..4,
        per_quarter in proptest::option::of(1u64..15),
        per_target in proptest::option::of(1u64..3),
        per_year in proptest::option::of(20_000u64..300_000),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let inv = d.join("inv.csv");
        let mut bytes = Vec::new();
        sitefold::inventory::write_csv(&sitefold::generate::generate(n, seed), &mut bytes, sitefold::i18n::Lang::Zh)
            .expect("csv");
        std::fs::write(&inv, bytes).expect("write");
        let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/rules-state-council.toml");
        let out_csv = d.join("s.csv").display().to_string();
        let (inv, rules) = (inv.display().to_string(), rules.display().to_string());
        let years = years.to_string();
        let mut words: Vec<String> = ["schedule", &inv, "--rules", &rules, "--start", "2027Q2", "--horizon", &years, "--json"]
            .iter().map(|s| s.to_string()).collect();
        for (option, value) in [
            ("--max-closures-per-quarter", per_quarter),
            ("--max-closures-per-target-per-quarter", per_target),
            ("--max-one-time-per-year", per_year),
        ] {
            if let Some(v) = value {
                words.push(option.into());
                words.push(v.to_string());
            }
        }
        let first: Vec<&str> = words.iter().map(String::as_str).chain(["--out", &out_csv]).collect();
        let (code, a, err) = run(&first);
        prop_assert_eq!(code, 0, "{}", err);
        let second: Vec<&str> = words.iter().map(String::as_str).chain(["--schedule", &out_csv]).collect();
        let (code, b, err) = run(&second);
        prop_assert_eq!(code, 0, "{}", err);
        prop_assert!(err.is_empty(), "{}", err);
        prop_assert_eq!(&a, &b);
        // And the figures keep the limits.
        let v = json(&a);
        for q in v["quarters"].as_array().expect("quarters") {
            if let Some(m) = per_quarter {
                prop_assert!(q["closures"].as_u64().unwrap_or(0) <= m);
            }
        }
        for y in v["years"].as_array().expect("years") {
            if let Some(cap) = per_year {
                prop_assert!(y["one_time"].as_f64().unwrap_or(0.0) <= cap as f64);
            }
        }
    }
}
