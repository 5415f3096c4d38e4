//! Cash flows worked out by hand, and the scheduler on small cases.
//!
//! The province below, with the default parameters (absorb 5,000 + 10%,
//! migration 10,000 + 2,000 per service):
//!
//! | site | budget | services | absorb_cost | saving/year | saving/quarter | one-time |
//! |---|---|---|---|---|---|---|
//! | T1 | 10,000 | 2 | 6,000 | 4,000 | 1,000 | 14,000 |
//! | T2 | 30,000 | 1 | 8,000 | 22,000 | 5,500 | 12,000 |
//! | T3 | 12,345.67 | 0 | 6,234.567 | 6,111.103 | 1,527.77575 | 10,000 |

use std::str::FromStr;

use rust_decimal::Decimal;

use super::*;
use crate::inventory::{Inventory, Level, Site};
use crate::money::Money;
use crate::outcome::{Model, evaluate};
use crate::plan::{Decision, Params, TimelineParams};

fn site(id: &str, level: Level, parent: &str, budget: &str, services: u64) -> Site {
    let mut s = Site::new(id, level);
    s.parent_id = parent.into();
    s.budget = Money::from_decimal(Decimal::from_str(budget).expect("budget"));
    s.online_services = services;
    s
}

fn province() -> Inventory {
    Inventory::link(vec![
        site("P", Level::Province, "", "1000000", 10),
        site("C", Level::Prefecture, "P", "200000", 5),
        site("T1", Level::Township, "C", "10000", 2),
        site("T2", Level::Township, "C", "30000", 1),
        site("T3", Level::Township, "C", "12345.67", 0),
    ])
    .0
}

fn q(s: &str) -> Quarter {
    Quarter::parse(s).expect("quarter")
}

fn m(s: &str) -> Money {
    Money::from_decimal(Decimal::from_str(s).expect("amount"))
}

/// The province with `merged` merged, closing as `given` says.
struct Case {
    inv: Inventory,
    model: Model,
    decisions: Vec<Decision>,
    serving: Vec<u32>,
    params: TimelineParams,
}

impl Case {
    fn new(merged: &[&str], start: &str, years: u32) -> Case {
        let inv = province();
        let params = TimelineParams {
            start_quarter: Some(q(start)),
            horizon_years: years,
            ..TimelineParams::default()
        };
        let model = Model::new(&inv, &Params::default());
        let decisions: Vec<Decision> = inv
            .sites()
            .iter()
            .map(|s| {
                if merged.contains(&s.id.as_str()) {
                    Decision::Merge { target: None }
                } else {
                    Decision::Keep
                }
            })
            .collect();
        let serving = evaluate(&inv, &model, &decisions).serving;
        Case {
            inv,
            model,
            decisions,
            serving,
            params,
        }
    }

    fn plan(&self) -> Evaluated<'_> {
        Evaluated {
            inv: &self.inv,
            model: &self.model,
            decisions: &self.decisions,
            serving: &self.serving,
        }
    }

    fn quarters(&self, given: &[(&str, &str)]) -> Vec<Option<Quarter>> {
        let mut v = vec![None; self.inv.len()];
        for (id, quarter) in given {
            v[self.inv.find(id).expect("site")] = Some(q(quarter));
        }
        v
    }

    fn flow(&self, given: &[(&str, &str)]) -> CashFlow {
        plan_timeline(&self.plan(), &self.quarters(given), &self.params, false).flow
    }
}

/// (closures, one_time, savings, net, cumulative) of each quarter.
fn rows(flow: &CashFlow) -> Vec<(usize, Money, Money, Money, Money)> {
    flow.quarters
        .iter()
        .map(|r| (r.closures, r.one_time, r.savings, r.net, r.cumulative))
        .collect()
}

fn y(v: i64) -> Money {
    Money::yuan(v)
}

#[test]
fn one_site() {
    let case = Case::new(&["T1"], "2027Q1", 1);
    let flow = case.flow(&[("T1", "2027Q1")]);
    assert_eq!(
        rows(&flow),
        vec![
            (1, y(14_000), y(0), y(-14_000), y(-14_000)),
            (0, y(0), y(1_000), y(1_000), y(-13_000)),
            (0, y(0), y(1_000), y(1_000), y(-12_000)),
            (0, y(0), y(1_000), y(1_000), y(-11_000)),
        ]
    );
    assert_eq!(flow.payback_quarter, None, "not within one year");
    assert_eq!(flow.scheduled, 1);
    assert!(flow.unscheduled.is_empty());
    let year = &flow.years[0];
    assert_eq!(
        (year.year, year.quarters, year.closures),
        (2027, 4, 1),
        "{year:?}"
    );
    assert_eq!(
        (year.one_time, year.savings, year.net, year.cumulative),
        (y(14_000), y(3_000), y(-11_000), y(-11_000))
    );
    // The province spends its own budget; the prefecture its own and T1's
    // absorb cost (6,000 a year) for three quarters; the townships T1's
    // budget for one quarter and T2's and T3's all year.
    let budgets: Vec<(Level, Money)> = year
        .budget_by_level
        .iter()
        .map(|b| (b.level, b.budget))
        .collect();
    assert_eq!(
        budgets,
        vec![
            (Level::Province, y(1_000_000)),
            (Level::Prefecture, y(204_500)),
            (Level::Township, m("44845.67")),
        ]
    );

    // Over five years: −14,000 + 1,000 a quarter reaches 0 fourteen
    // quarters after the closure.
    let case = Case::new(&["T1"], "2027Q1", 5);
    let flow = case.flow(&[("T1", "2027Q1")]);
    assert_eq!(flow.quarters.len(), 20);
    assert_eq!(flow.payback_quarter, Some(q("2030Q3")));
    assert_eq!(flow.quarters[13].cumulative, y(-1_000));
    assert_eq!(flow.quarters[14].cumulative, y(0));
    assert_eq!(flow.final_cumulative(), y(5_000));
    assert_eq!(flow.years.len(), 5);
    assert_eq!(flow.years[1].savings, y(4_000));
    assert_eq!(flow.end_quarter, q("2031Q4"));
}

#[test]
fn two_sites_in_different_quarters() {
    let case = Case::new(&["T1", "T2"], "2027Q1", 2);
    let flow = case.flow(&[("T1", "2027Q1"), ("T2", "2027Q3")]);
    assert_eq!(
        rows(&flow)[..4],
        [
            (1, y(14_000), y(0), y(-14_000), y(-14_000)),
            (0, y(0), y(1_000), y(1_000), y(-13_000)),
            (1, y(12_000), y(1_000), y(-11_000), y(-24_000)),
            (0, y(0), y(6_500), y(6_500), y(-17_500)),
        ]
    );
    let cumulative: Vec<Money> = flow.quarters[4..].iter().map(|r| r.cumulative).collect();
    assert_eq!(cumulative, vec![y(-11_000), y(-4_500), y(2_000), y(8_500)]);
    assert_eq!(flow.payback_quarter, Some(q("2028Q3")));
    let years: Vec<(i32, usize, Money, Money, Money, Money)> = flow
        .years
        .iter()
        .map(|y| {
            (
                y.year,
                y.closures,
                y.one_time,
                y.savings,
                y.net,
                y.cumulative,
            )
        })
        .collect();
    assert_eq!(
        years,
        vec![
            (2027, 2, y(26_000), y(8_500), y(-17_500), y(-17_500)),
            (2028, 0, y(0), y(26_000), y(26_000), y(8_500)),
        ]
    );
}

#[test]
fn a_site_closing_in_the_last_quarter_of_the_horizon() {
    let case = Case::new(&["T1", "T2", "T3"], "2027Q1", 1);
    let flow = case.flow(&[("T2", "2027Q4"), ("T1", "2028Q1"), ("T3", "2026Q4")]);
    assert_eq!(
        rows(&flow)[3],
        (1, y(12_000), y(0), y(-12_000), y(-12_000)),
        "it runs through its closure quarter: no saving within the horizon"
    );
    assert_eq!(flow.payback_quarter, None);
    assert_eq!(flow.scheduled, 1);
    let left: Vec<(&str, Reason, Option<Quarter>)> = flow
        .unscheduled
        .iter()
        .map(|u| (u.site_id.as_str(), u.reason, u.quarter))
        .collect();
    assert_eq!(
        left,
        vec![
            ("T1", Reason::OutsideHorizon, Some(q("2028Q1"))),
            ("T3", Reason::OutsideHorizon, Some(q("2026Q4"))),
        ]
    );
}

#[test]
fn unscheduled_sites_are_left_out_with_why() {
    let case = Case::new(&["T1", "T3"], "2027Q1", 1);
    // A quarter for a kept site (C) means nothing.
    let flow = case.flow(&[("T1", "2027Q2"), ("C", "2027Q1")]);
    assert_eq!(flow.scheduled, 1);
    assert_eq!(flow.quarters[0].closures, 0);
    assert_eq!(flow.quarters[1].one_time, y(14_000));
    assert_eq!(flow.unscheduled.len(), 1);
    assert_eq!(flow.unscheduled[0].site_id, "T3");
    assert_eq!(flow.unscheduled[0].reason, Reason::NoQuarter);
    assert_eq!(flow.unscheduled[0].quarter, None);
    // Left out of the budgets too: T3 runs all year.
    let township = flow.years[0].budget_by_level[2].budget;
    assert_eq!(township, m("10000") * 2 / 4 + y(30_000) + m("12345.67"));
    // No closure at all: no payback, a flat zero.
    let flow = case.flow(&[]);
    assert_eq!(flow.payback_quarter, None);
    assert!(flow.quarters.iter().all(|r| r.cumulative.is_zero()));
    assert_eq!(flow.unscheduled.len(), 2);
}

/// Money × / ÷ a whole number, for the expectations above.
impl std::ops::Mul<i64> for Money {
    type Output = Money;
    fn mul(self, n: i64) -> Money {
        self.times(Decimal::from(n))
    }
}

impl std::ops::Div<i64> for Money {
    type Output = Money;
    fn div(self, n: i64) -> Money {
        Money::from_decimal(self.decimal() / Decimal::from(n))
    }
}

#[test]
fn quarters_keep_every_fraction_and_round_only_when_written() {
    let case = Case::new(&["T3"], "2027Q1", 1);
    let flow = case.flow(&[("T3", "2027Q1")]);
    assert_eq!(flow.quarters[1].savings, m("1527.77575"));
    assert_eq!(flow.years[0].savings, m("4583.32725"));
    assert_eq!(flow.years[0].cumulative, m("-5416.67275"));
    let json: serde_json::Value = serde_json::from_str(&flow.to_json()).expect("json");
    assert_eq!(json["quarters"][1]["savings"], 1527.78);
    assert_eq!(json["years"][0]["savings"], 4583.33);
    assert_eq!(json["years"][0]["cumulative"], -5416.67);
    assert_eq!(json["quarters"][0]["quarter"], "2027Q1");
    assert_eq!(json["payback_quarter"], serde_json::Value::Null);
}

#[test]
fn closing_everything_at_once_saves_the_summarys_savings() {
    let case = Case::new(&["T1", "T2", "T3"], "2027Q1", 2);
    let all: Vec<(&str, &str)> = vec![("T1", "2027Q1"), ("T2", "2027Q1"), ("T3", "2027Q1")];
    let flow = case.flow(&all);
    let o = evaluate(&case.inv, &case.model, &case.decisions);
    assert_eq!(flow.quarters[0].one_time, o.one_time_cost);
    for r in &flow.quarters[1..] {
        assert_eq!(r.savings * 4, o.annual_cost.savings);
    }
    // The second year spends what the summary says each level spends.
    let after: Vec<(Level, Money)> = o.by_level.iter().map(|l| (l.level, l.cost_after)).collect();
    let year2: Vec<(Level, Money)> = flow.years[1]
        .budget_by_level
        .iter()
        .map(|b| (b.level, b.budget))
        .collect();
    assert_eq!(year2, after);
}

#[test]
fn years_follow_the_calendar() {
    let case = Case::new(&["T1"], "2027Q3", 1);
    let flow = case.flow(&[("T1", "2027Q3")]);
    let years: Vec<(i32, usize, Money)> = flow
        .years
        .iter()
        .map(|y| (y.year, y.quarters, y.cumulative))
        .collect();
    assert_eq!(
        years,
        vec![(2027, 2, y(-13_000)), (2028, 2, y(-11_000))],
        "a horizon from a third quarter touches two calendar years"
    );
    // A level's budget for half a year is half its yearly budget.
    assert_eq!(flow.years[0].budget_by_level[0].budget, y(500_000));
}

#[test]
fn the_scheduler_closes_savers_early_within_the_limits() {
    let case = Case::new(&["T1", "T2", "T3"], "2027Q1", 1);
    let mut params = case.params.clone();
    params.max_closures_per_quarter = Some(1);
    let t = plan_timeline(&case.plan(), &case.quarters(&[]), &params, true);
    let at = |id: &str| t.quarters[case.inv.find(id).expect("site")];
    // Largest saving first.
    assert_eq!(at("T2"), Some(q("2027Q1")));
    assert_eq!(at("T3"), Some(q("2027Q2")));
    assert_eq!(at("T1"), Some(q("2027Q3")));
    assert_eq!(t.placed, 3);
    assert!(t.flow.unscheduled.is_empty());
    // A given quarter stays and takes its place.
    let given = case.quarters(&[("T1", "2027Q1")]);
    let t = plan_timeline(&case.plan(), &given, &params, true);
    assert_eq!(
        t.quarters[case.inv.find("T1").expect("T1")],
        Some(q("2027Q1"))
    );
    assert_eq!(
        t.quarters[case.inv.find("T2").expect("T2")],
        Some(q("2027Q2"))
    );
    assert_eq!(t.placed, 2);
}

#[test]
fn the_scheduler_leaves_out_what_does_not_fit_and_says_why() {
    let case = Case::new(&["T1", "T2", "T3"], "2027Q1", 1);
    let mut params = case.params.clone();
    // One closure into C per quarter, and at most 13,000 one-time a year:
    // T1 (14,000) never fits; T2 (12,000) fits, then nothing more that year.
    params.max_closures_per_target_per_quarter = Some(1);
    params.max_one_time_per_year = Some(y(13_000));
    let t = plan_timeline(&case.plan(), &case.quarters(&[]), &params, true);
    let why: Vec<(&str, Reason)> = t
        .flow
        .unscheduled
        .iter()
        .map(|u| (u.site_id.as_str(), u.reason))
        .collect();
    assert_eq!(
        why,
        vec![
            ("T1", Reason::OneTimeAboveYearlyLimit),
            // T2 saves most per yuan and goes first; T3 finds the year spent.
            ("T3", Reason::NoRoom),
        ]
    );
    let plan = case.plan();
    assert!(
        breaches(
            &plan,
            &t.quarters,
            t.horizon,
            &t.limits,
            crate::i18n::Lang::En
        )
        .is_empty()
    );
    // A site costing more than it saves closes in the last quarter.
    let costly = Params {
        absorb_fixed: 50_000.0,
        ..Params::default()
    };
    let model = Model::new(&case.inv, &costly);
    let plan = Evaluated {
        model: &model,
        ..case.plan()
    };
    let t = plan_timeline(&plan, &case.quarters(&[]), &case.params, true);
    assert!(t.quarters.iter().flatten().all(|&x| x == q("2027Q4")));
}

#[test]
fn breaches_of_quarters_given_by_hand_are_named() {
    let case = Case::new(&["T1", "T2", "T3"], "2027Q1", 1);
    let limits = Limits {
        max_closures_per_quarter: Some(1),
        max_closures_per_target_per_quarter: Some(1),
        max_one_time_per_year: Some(y(20_000)),
    };
    let given = case.quarters(&[("T1", "2027Q2"), ("T2", "2027Q2")]);
    let horizon = Horizon::of(&case.params);
    let found = breaches(
        &case.plan(),
        &given,
        horizon,
        &limits,
        crate::i18n::Lang::En,
    );
    assert_eq!(
        found,
        vec![
            "2027Q2: 2 closures, above the limit of 1 per quarter".to_string(),
            "2027Q2: 2 sites fold into C, above the limit of 1 per target per quarter".into(),
            "2027: one-time spending ¥26,000, above the yearly limit of ¥20,000".into(),
        ]
    );
    // The scheduler adds nothing to them.
    let s = schedule(&case.plan(), &given, horizon, &limits);
    assert_eq!(s.placed, 0);
    assert_eq!(
        s.unfit,
        vec![(case.inv.find("T3").expect("T3"), Reason::NoRoom)]
    );
}
