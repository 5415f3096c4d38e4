//! The consolidation model (MODEL.md §2–§6) on a small inventory whose every
//! outcome is computed by hand below; plus the plan, rules and parameters
//! files.

use rust_decimal::Decimal;
use serde_json::{Value, json};
use sitefold::inventory::{ImportOptions, Imported, Level, import_bytes};
use sitefold::money::Money;
use sitefold::outcome::{Model, Outcome, Summary, evaluate};
use sitefold::plan::{
    Action, Decision, ManualPlan, Params, Resolved, RuleSet, Source, parse_plan_file, resolve,
};

// ------------------------------------------------------------------ data

/// 14 sites (+ one duplicate row, rejected). Pass threshold 70 (see PARAMS).
///
/// id   level       kind  parent budget  staff pop      visits svc score passed  reprint
/// P1   province    P     -      800000  10    1000000  50000  200  -    yes     2
/// PD1  province    D     P1     120000  3     1000000  800    20   55   -       5
/// C1   prefecture  P     P1     300000  6     600000   20000  80   85   -       12
/// CD1  prefecture  D     C1     60000   2     600000   500    10   65   -       -
/// X1   county      P     C1     100000  3     250000   3000   30   90   no      48
/// T1   township    P     X1     20000   1     40000    20     5    -    -       -
/// T2   township    P     X1     16000   1     30000    -      4    75   -       30
/// XD1  county      D     X1     40000   1     250000   200    6    50   -       6
/// X2   county      P     C1     80000   2     200000   1500   25   72   -       10
/// T3   township    P     X2     12000   1     50000    30     3    -    yes     20
/// C2   prefecture  P     P1     240000  5     300000   9000   60   95   不合格  24
/// X3   county      P     C2     60000   2     120000   700    12   -    -       100
/// T4   township    P     X3     8000    0.5   30000    10     2    40   -       -
/// X4   county      P     C2     30000   1     40000    -      8    -    yes     -
///
/// Departments carry their jurisdiction's population, which §2 ignores:
/// own_pop (§2): P1 = 1000000 − (600000 + 300000) = 100000; PD1 0;
/// C1 = 600000 − (250000 + 200000) = 150000; CD1 0;
/// X1 = 250000 − (40000 + 30000) = 180000; T1 40000; T2 30000; XD1 0;
/// X2 = 200000 − 50000 = 150000; T3 50000;
/// C2 = 300000 − (120000 + 40000) = 140000; X3 = 120000 − 30000 = 90000;
/// T4 30000; X4 40000. Σ = 1000000.
///
/// passes (threshold 70): P1 yes (explicit); PD1 55 no; C1 85 yes; CD1 65 no;
/// X1 no (explicit beats score 90); T1 no (neither); T2 75 yes; XD1 50 no;
/// X2 72 yes; T3 yes (explicit); C2 no (explicit beats 95); X3 no (neither);
/// T4 40 no; X4 yes (explicit). Passing: P1 C1 T2 X2 T3 X4 = 6.
const INVENTORY: &str = "\
site_id,name,level,kind,parent_id,annual_budget,staff,population,monthly_visits,online_services,inspection_score,inspection_passed,reprint_hours
P1,省政府,province,portal,,800000,10,1000000,50000,200,,yes,2
PD1,省厅,province,department,P1,120000,3,1000000,800,20,55,,5
C1,市一,prefecture,portal,P1,300000,6,600000,20000,80,85,,12
CD1,市局,prefecture,department,C1,60000,2,600000,500,10,65,,
X1,县一,county,portal,C1,100000,3,250000,3000,30,90,no,48
T1,镇一,township,portal,X1,20000,1,40000,20,5,,,
T2,镇二,township,portal,X1,16000,1,30000,,4,75,,30
XD1,县局,county,department,X1,40000,1,250000,200,6,50,,6
X2,县二,county,portal,C1,80000,2,200000,1500,25,72,,10
T3,镇三,township,portal,X2,12000,1,50000,30,3,,yes,20
C2,市二,prefecture,portal,P1,240000,5,300000,9000,60,95,不合格,24
X3,县三,county,portal,C2,60000,2,120000,700,12,,,100
T4,镇四,township,portal,X3,8000,0.5,30000,10,2,40,,
X4,县四,county,portal,C2,30000,1,40000,,8,,yes,

T4,重复,township,portal,X3,1,1,1,1,1,1,,
";

/// Manual plan. Lines 7 and 8 are errors; line 9 overrides line 2.
/// T1 → C1: explicit target two levels up (skipping the kept X1).
/// T3 → X2: explicit target that is itself merged (by rule 4) → serving C1.
/// X3 merged without target → C2; T4 (merged by rule 6) then also → C2,
/// two levels up. CD1 keep beats rule 3; X3 merge beats rule 2 (keep).
const PLAN: &str = "\
网站标识码,网站名称,决定,目标网站标识码,备注
C1,市一,合并,,先合并
T1,镇一,合并,C1,跨级并入
X3,县三,关停,,
T3,镇三,并入,X2,目标自身被合并
CD1,市局,保留,,
ZZ9,不存在,合并,,
X4,县四,合并,C1,C1 不是 X4 的上级
C1,市一,保留,,后者为准
";

/// Rules, each condition used; first match decides.
/// R1 levels province → merge: P1 (top, never merged), PD1 merged.
/// R2 reprint_hours_above 40 → keep: X1 kept (48); X3 (100) is manual;
///    T4 lacks the figure → no match (else it would be kept).
/// R3 department & failed → merge: XD1 (CD1 is manual keep).
///    C2 and T4 fail but are portals → no match.
/// R4 county/prefecture & budget < 250000 & score < 90 → merge: X2.
///    C1 (manual anyway), C2: score 95 → no; X4: no score → no match.
/// R5 township & passes → merge: T2 (75). T4 fails → no.
/// R6 visits < 50 → merge: T4 (10). X4 lacks visits → no match; C2 9000 no.
const RULES: &str = r#"
# rules for the model test
[[rules]]
name = "province"
action = "merge"
levels = ["省级"]

[[rules]]
name = "slow reprint: keep"
action = "keep"
reprint_hours_above = 40

[[rules]]
name = "failed departments"
action = "merge"
kinds = ["部门"]
failed_inspection = true

[[rules]]
name = "small low-score"
action = "merge"
levels = ["3", "地市"]
budget_below = 250000
score_below = 90

[[rules]]
name = "passing townships"
action = "merge"
levels = ["乡镇"]
failed_inspection = false

[[rules]]
name = "few visits"
action = "merge"
visits_below = 50
"#;

const PARAMS: &str = "\
pass_threshold = 70
absorb_fixed = 4000
absorb_rate = 0.25
migrate_fixed = 8000
migrate_per_service = 1000
service_migration_rate = 0.5
max_absorbed_per_target = 2
";

// ---------------------------------------------------------------- helpers

fn import(text: &str) -> Imported {
    import_bytes(text.as_bytes(), "inv.csv", &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn idx(im: &Imported, id: &str) -> usize {
    im.inventory
        .find(id)
        .unwrap_or_else(|| panic!("no site {id}"))
}

/// Whole yuan.
fn yuan(v: i64) -> Money {
    Money::yuan(v)
}

/// An exact decimal (staff).
fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn approx(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

macro_rules! assert_close {
    ($got:expr, $want:expr) => {{
        let (g, w): (f64, f64) = ($got as f64, $want as f64);
        assert!(approx(g, w), "{} = {g}, expected {w}", stringify!($got));
    }};
}

/// Compares JSON values: same key sets at every level, numbers within
/// floating tolerance, everything else equal.
fn assert_json(path: &str, got: &Value, want: &Value) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            let mut gk: Vec<&String> = g.keys().collect();
            let mut wk: Vec<&String> = w.keys().collect();
            gk.sort();
            wk.sort();
            assert_eq!(gk, wk, "keys of {path}");
            for (k, wv) in w {
                assert_json(&format!("{path}.{k}"), &g[k], wv);
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            assert_eq!(g.len(), w.len(), "length of {path}: {got}");
            for (i, (gv, wv)) in g.iter().zip(w).enumerate() {
                assert_json(&format!("{path}[{i}]"), gv, wv);
            }
        }
        (Value::Number(g), Value::Number(w)) => {
            let (g, w) = (g.as_f64().unwrap(), w.as_f64().unwrap());
            assert!(approx(g, w), "{path} = {g}, expected {w}");
        }
        _ => assert_eq!(got, want, "{path}"),
    }
}

/// The key skeleton of MODEL.md §6 (values are placeholders).
fn skeleton() -> Value {
    json!({
        "import": {"rows_read": 0, "sites": 0, "rejected": 0, "errors": 0, "warnings": 0},
        "sites": {"before": 0, "after": 0},
        "annual_cost": {"before": 0, "after": 0, "savings": 0},
        "one_time_cost": 0, "payback_months": 0,
        "population": 0, "coverage": {"before": 0, "after": 0},
        "pass_rate": {"before": 0, "after": 0},
        "services": {"before": 0, "after": 0},
        "staff_freed": 0,
        "plan": {"merged": 0, "manual": 0, "by_rule": 0, "errors": 0},
        "by_level": [ {"level": 0, "sites_before": 0, "sites_after": 0, "cost_before": 0, "cost_after": 0,
                       "population": 0, "covered_before": 0, "covered_after": 0,
                       "passing_before": 0, "passing_after": 0} ],
        "targets": [ {"site_id": 0, "absorbed_sites": 0, "absorbed_budget": 0,
                      "absorbed_population": 0, "absorb_cost": 0, "over_capacity": 0} ]
    })
}

/// Key sets equal to the skeleton's, recursively (array elements against the
/// skeleton's single element).
fn assert_keys(path: &str, got: &Value, skel: &Value) {
    match skel {
        Value::Object(s) => {
            let g = got
                .as_object()
                .unwrap_or_else(|| panic!("{path} is not an object: {got}"));
            let mut gk: Vec<&String> = g.keys().collect();
            let mut sk: Vec<&String> = s.keys().collect();
            gk.sort();
            sk.sort();
            assert_eq!(gk, sk, "keys of {path}");
            for (k, sv) in s {
                assert_keys(&format!("{path}.{k}"), &g[k], sv);
            }
        }
        Value::Array(s) => {
            let g = got
                .as_array()
                .unwrap_or_else(|| panic!("{path} is not an array: {got}"));
            for (i, gv) in g.iter().enumerate() {
                assert_keys(&format!("{path}[{i}]"), gv, &s[0]);
            }
        }
        _ => assert!(
            !got.is_object() && !got.is_array(),
            "{path} should be a scalar: {got}"
        ),
    }
}

struct Scenario {
    im: Imported,
    plan: ManualPlan,
    rules: RuleSet,
    params: Params,
    resolved: Resolved,
    outcome: Outcome,
    json: Value,
}

fn scenario(inv: &str, plan: Option<&str>, rules: &str, params: &str) -> Scenario {
    let im = import(inv);
    let plan = match plan {
        Some(p) => parse_plan_file(p.as_bytes(), "plan.csv", &im.inventory)
            .unwrap_or_else(|e| panic!("{}", e.render(sitefold::i18n::Lang::En))),
        None => ManualPlan {
            decisions: vec![None; im.inventory.len()],
            ..Default::default()
        },
    };
    let (rules, rule_issues) = RuleSet::parse(rules, "rules.toml");
    assert!(rule_issues.iter().all(|i| !i.is_error), "{:?}", rule_issues);
    let (params, param_issues) = Params::parse(params, "params.toml");
    assert!(param_issues.is_empty(), "{param_issues:?}");
    let resolved = resolve(&im.inventory, &plan.decisions, &rules, &params);
    let model = Model::new(&im.inventory, &params);
    let outcome = evaluate(&im.inventory, &model, &resolved.decisions);
    let summary = Summary::new(&im.report, &resolved, plan.errors, &outcome);
    let json: Value = serde_json::from_str(&summary.to_json()).expect("summary is JSON");
    Scenario {
        im,
        plan,
        rules,
        params,
        resolved,
        outcome,
        json,
    }
}

fn main_scenario() -> Scenario {
    scenario(INVENTORY, Some(PLAN), RULES, PARAMS)
}

// ------------------------------------------------------------ the model

#[test]
fn inputs_parse_as_intended() {
    let s = main_scenario();
    assert_eq!(s.im.inventory.len(), 14);
    assert_eq!(s.im.report.rows_read, 15);
    assert_eq!(s.im.report.rejected(), 1);
    assert_eq!(s.im.report.errors(), 0);
    assert_eq!(s.im.report.warnings(), 0);
    assert_eq!(
        s.params,
        Params {
            pass_threshold: 70.0,
            absorb_fixed: 4000.0,
            absorb_rate: 0.25,
            migrate_fixed: 8000.0,
            migrate_per_service: 1000.0,
            service_migration_rate: 0.5,
            max_absorbed_per_target: Some(2),
        }
    );
    let names: Vec<&str> = s.rules.rules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "province",
            "slow reprint: keep",
            "failed departments",
            "small low-score",
            "passing townships",
            "few visits"
        ]
    );
    let r = &s.rules.rules;
    assert_eq!(r[0].levels, Some(vec![Level::Province]));
    assert_eq!(r[1].action, Action::Keep);
    assert_eq!(r[1].reprint_hours_above, Some(40.0));
    assert_eq!(r[2].action, Action::Merge);
    assert_eq!(r[2].failed_inspection, Some(true));
    assert_eq!(r[3].levels, Some(vec![Level::County, Level::Prefecture]));
    assert_eq!(r[3].budget_below, Some(250000.0));
    assert_eq!(r[3].score_below, Some(90.0));
    assert_eq!(r[4].failed_inspection, Some(false));
    assert_eq!(r[5].visits_below, Some(50.0));
    // Plan: 2 error lines (7, 8); C1's later keep (line 9) stands.
    assert_eq!(s.plan.errors, 2);
    let lines: Vec<u64> = s.plan.issues.iter().map(|i| i.line).collect();
    assert_eq!(lines, vec![7, 8]);
    let d = |id: &str| s.plan.decisions[idx(&s.im, id)];
    assert_eq!(d("C1"), Some(Decision::Keep));
    assert_eq!(d("T1"), Some(Decision::merge_into(Some(idx(&s.im, "C1")))));
    assert_eq!(d("X3"), Some(Decision::Merge { target: None }));
    assert_eq!(d("T3"), Some(Decision::merge_into(Some(idx(&s.im, "X2")))));
    assert_eq!(d("CD1"), Some(Decision::Keep));
    assert_eq!(d("X4"), None);
    assert_eq!(d("P1"), None);
}

#[test]
fn decisions_sources_and_serving() {
    let s = main_scenario();
    // (id, merged?, source, serving)
    let want: &[(&str, bool, Source, &str)] = &[
        ("P1", false, Source::Top, "P1"),
        ("PD1", true, Source::Rule(0), "P1"),
        ("C1", false, Source::Manual, "C1"),
        ("CD1", false, Source::Manual, "CD1"),
        ("X1", false, Source::Rule(1), "X1"),
        ("T1", true, Source::Manual, "C1"),
        ("T2", true, Source::Rule(4), "X1"),
        ("XD1", true, Source::Rule(2), "X1"),
        ("X2", true, Source::Rule(3), "C1"),
        ("T3", true, Source::Manual, "C1"),
        ("C2", false, Source::Default, "C2"),
        ("X3", true, Source::Manual, "C2"),
        ("T4", true, Source::Rule(5), "C2"),
        ("X4", false, Source::Default, "X4"),
    ];
    for &(id, merged, source, serving) in want {
        let i = idx(&s.im, id);
        assert_eq!(s.resolved.decisions[i].is_merge(), merged, "{id} merged");
        assert_eq!(s.resolved.sources[i], source, "{id} source");
        assert_eq!(
            s.outcome.serving[i] as usize,
            idx(&s.im, serving),
            "serving({id}) should be {serving}"
        );
    }
    assert_eq!(s.resolved.manual_count(), 5);
    assert_eq!(s.resolved.by_rule_count(), 5);
}

#[test]
fn every_outcome_by_hand() {
    let s = main_scenario();
    let o = &s.outcome;
    // Kept K: P1 C1 CD1 X1 C2 X4. Merged M: PD1 T1 T2 XD1 X2 T3 X3 T4.
    assert_eq!(o.sites.before, 14);
    assert_eq!(o.sites.after, 6);
    assert_eq!(o.merged, 8);
    // before = Σ budgets = 1886000.
    assert_eq!(o.annual_cost.before, yuan(1_886_000));
    // Σ_K budget = 800000+300000+60000+100000+240000+30000 = 1530000.
    // absorb_cost = 4000 + 0.25·b: PD1 34000, T1 9000, T2 8000, XD1 14000,
    // X2 24000, T3 7000, X3 19000, T4 6000; Σ = 121000.
    assert_eq!(o.annual_cost.after, yuan(1_651_000));
    assert_eq!(o.annual_cost.savings, yuan(235_000));
    // one_time = 8·8000 + 1000·(20+5+4+6+25+3+12+2 = 77) = 141000.
    assert_eq!(o.one_time_cost, yuan(141_000));
    // payback = 12 · 141000 / 235000 = 7.2
    assert_close!(o.payback_months.expect("savings > 0"), 7.2);
    assert_eq!(o.population, 1_000_000);
    // covered before: P1 100000 + C1 150000 + T2 30000 + X2 150000 + T3 50000
    // + X4 40000 = 520000.
    // covered after (serving passes): P1, C1, T1→C1 40000, X2→C1, T3→C1, X4
    // = 100000+150000+40000+150000+50000+40000 = 530000.
    assert_eq!(o.covered.before, 520_000);
    assert_eq!(o.covered.after, 530_000);
    assert_close!(o.coverage.before.unwrap(), 0.52);
    assert_close!(o.coverage.after.unwrap(), 0.53);
    // pass rate: 6/14; kept passing P1 C1 X4 = 3/6.
    assert_eq!(o.passing.before, 6);
    assert_eq!(o.passing.after, 3);
    assert_close!(o.pass_rate.before.unwrap(), 6.0 / 14.0);
    assert_close!(o.pass_rate.after.unwrap(), 0.5);
    // services: Σ = 465; Σ_K = 200+80+10+30+60+8 = 388; Σ_M = 77;
    // after = 388 + 0.5·77 = 426.5
    assert_close!(o.services.before, 465.0);
    assert_close!(o.services.after, 426.5);
    // staff freed: 3+1+1+1+2+1+2+0.5 = 11.5
    assert_eq!(o.staff_freed, dec("11.5"));

    // by level, national absent.
    let levels: Vec<Level> = o.by_level.iter().map(|l| l.level).collect();
    assert_eq!(
        levels,
        vec![
            Level::Province,
            Level::Prefecture,
            Level::County,
            Level::Township
        ]
    );
    // (sites_before, sites_after, cost_before, cost_after, population,
    //  covered_before, covered_after, passing_before, passing_after), the
    // costs in whole yuan.
    type Row<M> = (usize, usize, M, M, u64, u64, u64, usize, usize);
    let want: [Row<i64>; 4] = [
        // province P1 PD1: after = 800000 + PD1 34000 (served by P1)
        (2, 1, 920_000, 834_000, 100_000, 100_000, 100_000, 1, 1),
        // prefecture C1 CD1 C2, all kept: 600000 + C1 (X2 24000, T3 7000,
        // T1 9000) + C2 (X3 19000, T4 6000) = 665000
        (3, 3, 600_000, 665_000, 290_000, 150_000, 150_000, 1, 1),
        // county X1 XD1 X2 X3 X4: kept X1 X4 130000 + X1's T2 8000, XD1 14000
        (5, 2, 310_000, 152_000, 460_000, 190_000, 190_000, 2, 1),
        // township T1..T4: none kept, nothing served from here
        (4, 0, 56_000, 0, 150_000, 80_000, 90_000, 2, 0),
    ];
    for (row, w) in o.by_level.iter().zip(want) {
        let w: Row<Money> = (w.0, w.1, yuan(w.2), yuan(w.3), w.4, w.5, w.6, w.7, w.8);
        let got: Row<Money> = (
            row.sites_before,
            row.sites_after,
            row.cost_before,
            row.cost_after,
            row.population,
            row.covered_before,
            row.covered_after,
            row.passing_before,
            row.passing_after,
        );
        assert_eq!(got, w, "by_level {:?}", row.level);
    }

    // targets: C1 3 (over capacity 2), then C2 and X1 with 2 (by id), P1 1.
    let t: Vec<(&str, usize, Money, u64, Money, bool)> = o
        .targets
        .iter()
        .map(|t| {
            (
                t.site_id.as_str(),
                t.absorbed_sites,
                t.absorbed_budget,
                t.absorbed_population,
                t.absorb_cost,
                t.over_capacity,
            )
        })
        .collect();
    assert_eq!(
        t,
        vec![
            // C1: X2 80000 + T3 12000 + T1 20000; own_pop 150000+50000+40000;
            // absorb 24000+7000+9000
            ("C1", 3, yuan(112_000), 240_000, yuan(40_000), true),
            // C2: X3 60000 + T4 8000; 90000+30000; 19000+6000
            ("C2", 2, yuan(68_000), 120_000, yuan(25_000), false),
            // X1: T2 16000 + XD1 40000; 30000+0; 8000+14000
            ("X1", 2, yuan(56_000), 30_000, yuan(22_000), false),
            // P1: PD1
            ("P1", 1, yuan(120_000), 0, yuan(34_000), false),
        ]
    );
    assert_eq!(o.over_capacity(), 1);
}

#[test]
fn summary_json_by_hand() {
    let s = main_scenario();
    let want = json!({
        "import": {"rows_read": 15, "sites": 14, "rejected": 1, "errors": 0, "warnings": 0},
        "sites": {"before": 14, "after": 6},
        "annual_cost": {"before": 1886000.0, "after": 1651000.0, "savings": 235000.0},
        "one_time_cost": 141000.0,
        "payback_months": 7.2,
        "population": 1000000,
        "coverage": {"before": 0.52, "after": 0.53},
        "pass_rate": {"before": 6.0 / 14.0, "after": 0.5},
        "services": {"before": 465.0, "after": 426.5},
        "staff_freed": 11.5,
        "plan": {"merged": 8, "manual": 5, "by_rule": 5, "errors": 2},
        "by_level": [
            {"level": "province", "sites_before": 2, "sites_after": 1,
             "cost_before": 920000.0, "cost_after": 834000.0, "population": 100000,
             "covered_before": 100000, "covered_after": 100000,
             "passing_before": 1, "passing_after": 1},
            {"level": "prefecture", "sites_before": 3, "sites_after": 3,
             "cost_before": 600000.0, "cost_after": 665000.0, "population": 290000,
             "covered_before": 150000, "covered_after": 150000,
             "passing_before": 1, "passing_after": 1},
            {"level": "county", "sites_before": 5, "sites_after": 2,
             "cost_before": 310000.0, "cost_after": 152000.0, "population": 460000,
             "covered_before": 190000, "covered_after": 190000,
             "passing_before": 2, "passing_after": 1},
            {"level": "township", "sites_before": 4, "sites_after": 0,
             "cost_before": 56000.0, "cost_after": 0.0, "population": 150000,
             "covered_before": 80000, "covered_after": 90000,
             "passing_before": 2, "passing_after": 0}
        ],
        "targets": [
            {"site_id": "C1", "absorbed_sites": 3, "absorbed_budget": 112000.0,
             "absorbed_population": 240000, "absorb_cost": 40000.0, "over_capacity": true},
            {"site_id": "C2", "absorbed_sites": 2, "absorbed_budget": 68000.0,
             "absorbed_population": 120000, "absorb_cost": 25000.0, "over_capacity": false},
            {"site_id": "X1", "absorbed_sites": 2, "absorbed_budget": 56000.0,
             "absorbed_population": 30000, "absorb_cost": 22000.0, "over_capacity": false},
            {"site_id": "P1", "absorbed_sites": 1, "absorbed_budget": 120000.0,
             "absorbed_population": 0, "absorb_cost": 34000.0, "over_capacity": false}
        ]
    });
    assert_json("$", &s.json, &want);
    assert_keys("$", &s.json, &skeleton());
}

#[test]
fn summary_json_keys_are_exactly_the_contract_ones() {
    for s in [
        main_scenario(),
        scenario(INVENTORY, None, "", ""),
        scenario(ZERO_POP, Some(ZERO_POP_PLAN), "", ""),
    ] {
        assert_keys("$", &s.json, &skeleton());
        // Levels are written with their English names.
        for l in s.json["by_level"].as_array().unwrap() {
            let name = l["level"].as_str().expect("level is a string");
            assert!(
                ["national", "province", "prefecture", "county", "township"].contains(&name),
                "{name}"
            );
        }
    }
}

#[test]
fn no_plan_default_params_payback_null() {
    // No manual decision, no rule: everything kept, savings 0 → payback null.
    // passes at the default threshold 60: CD1 (65) now passes as well:
    // P1 C1 CD1 T2 X2 T3 X4 = 7 of 14.
    let s = scenario(INVENTORY, None, "", "");
    let o = &s.outcome;
    assert_eq!(s.params, Params::default());
    assert_eq!(o.merged, 0);
    assert_eq!(o.sites.after, 14);
    assert_eq!(o.annual_cost.before, yuan(1_886_000));
    assert_eq!(o.annual_cost.after, yuan(1_886_000));
    assert_eq!(o.annual_cost.savings, Money::ZERO);
    assert_eq!(o.one_time_cost, Money::ZERO);
    assert_eq!(o.payback_months, None);
    assert_eq!(s.json["payback_months"], Value::Null);
    assert_close!(o.coverage.before.unwrap(), 0.52);
    assert_close!(o.coverage.after.unwrap(), 0.52);
    assert_close!(o.pass_rate.before.unwrap(), 0.5);
    assert_close!(o.pass_rate.after.unwrap(), 0.5);
    assert_close!(o.services.before, 465.0);
    assert_close!(o.services.after, 465.0);
    assert_eq!(o.staff_freed, Decimal::ZERO);
    assert!(o.targets.is_empty());
    assert_eq!(s.json["targets"], json!([]));
    assert_eq!(
        s.json["plan"],
        json!({"merged": 0, "manual": 0, "by_rule": 0, "errors": 0})
    );
    for l in &o.by_level {
        assert_eq!(l.sites_after, l.sites_before);
        assert_eq!(l.cost_after, l.cost_before);
        assert_eq!(l.covered_after, l.covered_before);
        assert_eq!(l.passing_after, l.passing_before);
    }
    // prefecture passing: C1 and CD1 at threshold 60.
    assert_eq!(o.by_level[1].passing_before, 2);
}

/// Population 0 everywhere; the merged site's absorb cost exceeds its budget.
const ZERO_POP: &str = "\
site_id,name,level,parent_id,annual_budget,staff,online_services,inspection_score
A,a,national,,10000,2,0,
B,b,county,A,1000,1,3,60
";
const ZERO_POP_PLAN: &str = "site_id,decision\nB,merge\n";

#[test]
fn negative_savings_and_zero_population_give_nulls() {
    // Default params. B merges into A.
    // before = 11000; after = 10000 + 5000 + 0.1·1000 = 15100; savings −4100
    // one_time = 10000 + 2000·3 = 16000; payback null (savings ≤ 0)
    // population 0 → coverage null; passes: A no score → no; B 60 ≥ 60 → yes
    // pass_rate before 1/2, after 0/1; services 3 → 0 + 1.0·3 = 3
    let s = scenario(ZERO_POP, Some(ZERO_POP_PLAN), "", "");
    let want = json!({
        "import": {"rows_read": 2, "sites": 2, "rejected": 0, "errors": 0, "warnings": 0},
        "sites": {"before": 2, "after": 1},
        "annual_cost": {"before": 11000.0, "after": 15100.0, "savings": -4100.0},
        "one_time_cost": 16000.0,
        "payback_months": null,
        "population": 0,
        "coverage": {"before": null, "after": null},
        "pass_rate": {"before": 0.5, "after": 0.0},
        "services": {"before": 3.0, "after": 3.0},
        "staff_freed": 1.0,
        "plan": {"merged": 1, "manual": 1, "by_rule": 0, "errors": 0},
        "by_level": [
            {"level": "national", "sites_before": 1, "sites_after": 1,
             "cost_before": 10000.0, "cost_after": 15100.0, "population": 0,
             "covered_before": 0, "covered_after": 0,
             "passing_before": 0, "passing_after": 0},
            {"level": "county", "sites_before": 1, "sites_after": 0,
             "cost_before": 1000.0, "cost_after": 0.0, "population": 0,
             "covered_before": 0, "covered_after": 0,
             "passing_before": 1, "passing_after": 0}
        ],
        "targets": [
            {"site_id": "A", "absorbed_sites": 1, "absorbed_budget": 1000.0,
             "absorbed_population": 0, "absorb_cost": 5100.0, "over_capacity": false}
        ]
    });
    assert_json("$", &s.json, &want);
}

#[test]
fn savings_exactly_zero_gives_null_payback() {
    // absorb_fixed 0, absorb_rate 1: after = before → savings 0 → null.
    let s = scenario(
        ZERO_POP,
        Some(ZERO_POP_PLAN),
        "",
        "absorb_fixed = 0\nabsorb_rate = 1\n",
    );
    assert_eq!(s.outcome.annual_cost.savings, Money::ZERO);
    assert_eq!(s.outcome.payback_months, None);
    assert_eq!(s.json["payback_months"], Value::Null);
}

#[test]
fn a_rule_never_merges_a_top_site() {
    // One rule with no condition: every site matches; the top site P1 stays.
    // after = 800000 + 13·5000 + 0.1·(1886000 − 800000) = 973600
    let s = scenario(INVENTORY, None, "[[rules]]\naction = \"merge\"\n", "");
    let o = &s.outcome;
    let p1 = idx(&s.im, "P1");
    assert_eq!(s.resolved.decisions[p1], Decision::Keep);
    assert_eq!(s.resolved.sources[p1], Source::Top);
    assert_eq!(o.merged, 13);
    assert_eq!(s.resolved.by_rule_count(), 13);
    assert!(o.serving.iter().all(|&t| t as usize == p1));
    assert_eq!(o.annual_cost.after, yuan(973_600));
    assert_eq!(o.targets.len(), 1);
    assert_eq!(o.targets[0].site_id, "P1");
    assert_eq!(o.targets[0].absorbed_sites, 13);
    assert!(!o.targets[0].over_capacity, "no capacity by default");
    // A second top site is untouched as well.
    let two_tops = "site_id,name,level,parent_id\nA,a,province,\nB,b,county,\nC,c,county,A\n";
    let s = scenario(two_tops, None, "[[rules]]\naction = \"merge\"\n", "");
    assert_eq!(s.outcome.merged, 1);
    assert_eq!(s.outcome.sites.after, 2);
}

#[test]
fn manual_beats_rules_and_first_rule_decides() {
    // Rule 1 keeps townships, rule 2 merges everything: townships stay.
    let rules =
        "[[rules]]\naction = \"keep\"\nlevels = [\"township\"]\n\n[[rules]]\naction = \"merge\"\n";
    let s = scenario(INVENTORY, None, rules, "");
    for id in ["T1", "T2", "T3", "T4"] {
        let i = idx(&s.im, id);
        assert_eq!(s.resolved.decisions[i], Decision::Keep, "{id}");
        assert_eq!(s.resolved.sources[i], Source::Rule(0), "{id}");
    }
    assert_eq!(s.outcome.merged, 9);
    assert_eq!(s.resolved.by_rule_count(), 9);
    // A manual merge of T1 and keep of X1 beat both rules.
    let plan = "site_id,decision\nT1,merge\nX1,keep\n";
    let s = scenario(INVENTORY, Some(plan), rules, "");
    let t1 = idx(&s.im, "T1");
    let x1 = idx(&s.im, "X1");
    assert!(s.resolved.decisions[t1].is_merge());
    assert_eq!(s.resolved.decisions[x1], Decision::Keep);
    assert_eq!(s.resolved.sources[x1], Source::Manual);
    // T1 folds into X1, kept manually.
    assert_eq!(s.outcome.serving[t1] as usize, x1);
    // merged: all but P1, X1 and the four townships, plus T1 = 14 − 6 + 1.
    assert_eq!(s.outcome.merged, 9);
    assert_eq!(s.resolved.manual_count(), 2);
    assert_eq!(s.resolved.by_rule_count(), 8);
    assert_eq!(s.json["plan"]["by_rule"], json!(8));
    assert_eq!(s.json["plan"]["manual"], json!(2));
}

#[test]
fn explicit_target_chain() {
    // A chain of explicit targets: T4 → X3, X3 → C2, C2 → P1 (all merged),
    // so serving(T4) = serving(X3) = serving(C2) = P1. X4 (no target): its
    // parent C2 is merged, nearest kept ancestor P1.
    let plan = "\
site_id,decision,target_id
C2,merge,P1
X3,merge,C2
T4,merge,X3
X4,merge,
";
    let s = scenario(INVENTORY, Some(plan), "", "");
    let p1 = idx(&s.im, "P1");
    for id in ["C2", "X3", "T4", "X4"] {
        assert_eq!(s.outcome.serving[idx(&s.im, id)] as usize, p1, "{id}");
    }
    assert_eq!(s.outcome.targets.len(), 1);
    assert_eq!(s.outcome.targets[0].absorbed_sites, 4);
    // own_pop C2 140000 + X3 90000 + T4 30000 + X4 40000
    assert_eq!(s.outcome.targets[0].absorbed_population, 300_000);
    // By level: every absorb cost lands at province, none at prefecture.
    // default params: absorb = 5000 + 0.1·b: C2 29000, X3 11000, T4 5800,
    // X4 8000 = 53800
    let prov = &s.outcome.by_level[0];
    assert_eq!(prov.level, Level::Province);
    assert_eq!(prov.cost_after, yuan(920_000) + yuan(53_800));
    let pref = &s.outcome.by_level[1];
    assert_eq!(pref.cost_after, yuan(300_000) + yuan(60_000));
}

// -------------------------------------------------------- plan file

#[test]
fn plan_file_errors_have_line_numbers() {
    let im = import(INVENTORY);
    let plan = "\
site_id,decision,target_id,comment
NOPE,merge,,unknown site
T2,perhaps,,bad decision
P1,merge,,top site
T1,merge,T2,sibling
X1,merge,T1,descendant
T3,merge,T3,itself
T4,merge,GHOST,unknown target
T2,merge,,valid
T2,keep,,later valid line wins
X2,merge,P1,grandparent: valid
P1,keep,,keeping a top site is valid
X3,merge,,extra,cells,here
X2,bogus,,ignored: X2 keeps its merge

T4,merge,PD1,cousin of the chain: not an ancestor
T4,,,empty decision
";
    let p = parse_plan_file(plan.as_bytes(), "plan.csv", &im.inventory).unwrap();
    assert!(p.issues.iter().all(|i| i.is_error));
    assert_eq!(p.errors, 10);
    let d = |id: &str| p.decisions[idx(&im, id)];
    assert_eq!(d("T2"), Some(Decision::Keep));
    assert_eq!(d("X2"), Some(Decision::merge_into(Some(idx(&im, "P1")))));
    assert_eq!(d("P1"), Some(Decision::Keep));
    assert_eq!(d("X3"), Some(Decision::Merge { target: None }));
    for id in ["T1", "X1", "T3", "T4", "C1", "PD1"] {
        assert_eq!(d(id), None, "{id}");
    }
    // Through the whole model: manual = T2, X2, P1, X3; errors = 10.
    let params = Params::default();
    let resolved = resolve(&im.inventory, &p.decisions, &RuleSet::default(), &params);
    let o = evaluate(
        &im.inventory,
        &Model::new(&im.inventory, &params),
        &resolved.decisions,
    );
    let sum = Summary::new(&im.report, &resolved, p.errors, &o);
    let j: Value = serde_json::from_str(&sum.to_json()).unwrap();
    assert_eq!(
        j["plan"],
        json!({"merged": 2, "manual": 4, "by_rule": 0, "errors": 10})
    );
    // X2 → P1 explicitly, X3 → C2 (nearest kept). T3 (child of X2) is kept.
    assert_eq!(o.serving[idx(&im, "X2")] as usize, idx(&im, "P1"));
    assert_eq!(o.serving[idx(&im, "X3")] as usize, idx(&im, "C2"));
    assert_eq!(o.serving[idx(&im, "T3")] as usize, idx(&im, "T3"));
    // Line numbers last (line 15 is empty; 16 follows it).
    let lines: Vec<u64> = p.issues.iter().map(|i| i.line).collect();
    assert_eq!(lines, vec![2, 3, 4, 5, 6, 7, 8, 14, 16, 17]);
}

#[test]
fn plan_file_chinese_headers_and_values() {
    let im = import(INVENTORY);
    for (dec, tgt) in [
        ("决定", "目标网站标识码"),
        ("处理方式", "并入目标"),
        ("方案", "目标"),
    ] {
        for id in ["网站标识码", "站点编号", "编号", "id", "SITE_ID"] {
            let plan = format!(
                "{id},网站名称,{dec},{tgt},备注\r\nT1,镇一,合并,C1,x\r\nT2,镇二,关停,,\r\nT3,镇三,并入,X2,\r\nX1,县一,保留,,\r\nX2,县二,合并,P1,\r\n"
            );
            let p = parse_plan_file(plan.as_bytes(), "plan.csv", &im.inventory)
                .unwrap_or_else(|e| panic!("{id}/{dec}/{tgt}: {e:?}"));
            assert_eq!(p.errors, 0, "{:?}", p.issues);
            let d = |s: &str| p.decisions[idx(&im, s)];
            assert_eq!(
                d("T1"),
                Some(Decision::merge_into(Some(idx(&im, "C1")))),
                "{id}/{dec}/{tgt}"
            );
            assert_eq!(d("T2"), Some(Decision::Merge { target: None }));
            assert_eq!(d("T3"), Some(Decision::merge_into(Some(idx(&im, "X2")))));
            assert_eq!(d("X1"), Some(Decision::Keep));
            assert_eq!(d("X2"), Some(Decision::merge_into(Some(idx(&im, "P1")))));
        }
    }
}

#[test]
fn plan_file_crlf_line_numbers() {
    // As Excel writes it. Lines: 1 header, 2 valid, 3 unknown site,
    // 4 valid, 5 bad decision.
    let im = import(INVENTORY);
    let plan = "site_id,decision\r\nT1,merge\r\nNOPE,merge\r\nT2,keep\r\nT3,maybe\r\n";
    let p = parse_plan_file(plan.as_bytes(), "plan.csv", &im.inventory).unwrap();
    let lines: Vec<u64> = p.issues.iter().map(|i| i.line).collect();
    assert_eq!(lines, vec![3, 5]);
    assert_eq!(p.errors, 2);
}

#[test]
fn plan_file_line_after_empty_line() {
    // Lines: 1 header, 2 valid, 3 empty, 4 unknown site, 5–6 empty, 7 bad.
    let im = import(INVENTORY);
    let plan = "site_id,decision\nT1,merge\n\nNOPE,merge\n\n\nT3,maybe\n";
    let p = parse_plan_file(plan.as_bytes(), "plan.csv", &im.inventory).unwrap();
    let lines: Vec<u64> = p.issues.iter().map(|i| i.line).collect();
    assert_eq!(lines, vec![4, 7]);
}

#[test]
fn plan_file_gbk_and_bom() {
    let im = import(INVENTORY);
    let plan = "网站标识码,决定,目标网站标识码\nT1,合并,X1\n不存在,保留,\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(plan);
    let p = parse_plan_file(&gbk, "plan.csv", &im.inventory).unwrap();
    assert_eq!(
        p.decisions[idx(&im, "T1")],
        Some(Decision::merge_into(Some(idx(&im, "X1"))))
    );
    assert_eq!(p.errors, 1);
    assert_eq!(p.issues[0].line, 3);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(plan.as_bytes());
    let p = parse_plan_file(&bom, "plan.csv", &im.inventory).unwrap();
    assert!(p.decisions[idx(&im, "T1")].is_some());
    assert_eq!(p.errors, 1);
}

// ------------------------------------------------------- rules file

#[test]
fn rules_file_with_bad_rules_keeps_the_others() {
    let text = r#"[[rules]]
name = "ok1"
action = "merge"
levels = ["乡镇"]

[[rules]]
name = "bad action"
action = "explode"

[[rules]]
name = "bad level"
action = "merge"
levels = ["galaxy"]

[[rules]]
name = "ok2"
action = "keep"
kinds = ["department", "门户"]
budget_below = 1000
"#;
    let (rules, issues) = RuleSet::parse(text, "rules.toml");
    let names: Vec<&str> = rules.rules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, vec!["ok1", "ok2"]);
    assert_eq!(rules.rules[0].levels, Some(vec![Level::Township]));
    assert_eq!(rules.rules[0].action, Action::Merge);
    assert_eq!(rules.rules[1].action, Action::Keep);
    assert_eq!(rules.rules[1].budget_below, Some(1000.0));
    assert_eq!(
        rules.rules[1].kinds,
        Some(vec![
            sitefold::inventory::Kind::Department,
            sitefold::inventory::Kind::Portal
        ])
    );
    let errors: Vec<u64> = issues
        .iter()
        .filter(|i| i.is_error)
        .map(|i| i.line)
        .collect();
    assert_eq!(errors.len(), 2, "{issues:?}");
    // The rule's line: its [[rules]] header (6, 10) or the bad key (8, 13).
    assert!(errors[0] == 6 || errors[0] == 8, "{errors:?}");
    assert!(errors[1] == 10 || errors[1] == 13, "{errors:?}");
}

#[test]
fn rules_file_every_level_and_kind_alias() {
    let text = r#"[[rules]]
action = "merge"
levels = ["国家", "省", "地市级", "区县", "街道", "0", "1", "2", "3", "4", "national", "province", "prefecture", "county", "township"]
kinds = ["门户", "政府门户", "门户网站", "部门", "部门网站", "portal", "department"]
"#;
    let (rules, issues) = RuleSet::parse(text, "rules.toml");
    assert!(issues.iter().all(|i| !i.is_error), "{issues:?}");
    assert_eq!(rules.rules.len(), 1);
    use Level::*;
    assert_eq!(
        rules.rules[0].levels,
        Some(vec![
            National, Province, Prefecture, County, Township, National, Province, Prefecture,
            County, Township, National, Province, Prefecture, County, Township
        ])
    );
    assert_eq!(rules.rules[0].kinds.as_ref().map(|k| k.len()), Some(7));
}

// --------------------------------------------------- parameters file

#[test]
fn params_file_good() {
    let (p, issues) = Params::parse(PARAMS, "params.toml");
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!(p.pass_threshold, 70.0);
    assert_eq!(p.max_absorbed_per_target, Some(2));
    let (p, issues) = Params::parse("# nothing\n", "params.toml");
    assert!(issues.iter().all(|i| !i.is_error));
    assert_eq!(p, Params::default());
    // Contract defaults (§4).
    assert_eq!(
        Params::default(),
        Params {
            pass_threshold: 60.0,
            absorb_fixed: 5000.0,
            absorb_rate: 0.10,
            migrate_fixed: 10000.0,
            migrate_per_service: 2000.0,
            service_migration_rate: 1.0,
            max_absorbed_per_target: None,
        }
    );
}

#[test]
fn params_file_bad_value_keeps_default() {
    let text = "\
# params
pass_threshold = 70
absorb_rate = \"lots\"
absorb_fixed = -5
service_migration_rate = 0.5
migrate_per_service = true
migrate_fixed = [1, 2]
";
    let (p, issues) = Params::parse(text, "params.toml");
    let mut errors: Vec<u64> = issues
        .iter()
        .filter(|i| i.is_error)
        .map(|i| i.line)
        .collect();
    errors.sort();
    assert_eq!(errors, vec![3, 4, 6, 7], "{issues:?}");
    assert_eq!(p.pass_threshold, 70.0);
    assert_eq!(p.absorb_rate, 0.10);
    assert_eq!(p.absorb_fixed, 5000.0);
    assert_eq!(p.service_migration_rate, 0.5);
    assert_eq!(p.migrate_per_service, 2000.0);
    assert_eq!(p.migrate_fixed, 10000.0);
}
