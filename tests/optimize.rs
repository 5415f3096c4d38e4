//! The optimizer against brute force on small inventories, and its plans
//! fed back through the core evaluator on large ones.

use proptest::prelude::*;
use sitefold::cli::{Run, run_with};
use sitefold::inventory::{Inventory, Kind, Level, Site};
use sitefold::money::Money;
use sitefold::optimize::{
    Floor, OptimizeError, Options, Protection, StoppedBy, floor_persons, frontier, optimize,
};
use sitefold::outcome::{Model, Outcome, evaluate};
use sitefold::plan::{Decision, Params};

// ------------------------------------------------------------ inputs

#[derive(Clone, Debug)]
struct Case {
    sites: Vec<Site>,
    locks: Vec<Option<Decision>>,
    params: Params,
    opts: Options,
}

/// (level, department, parent pick, budget, population, passes, lock kind, lock pick)
type RawSite = (u8, bool, u32, u32, u32, Option<bool>, u8, u32);

fn raw_site() -> impl Strategy<Value = RawSite> {
    (
        0u8..5,
        prop::bool::weighted(0.3),
        any::<u32>(),
        prop_oneof![Just(0u32), 0u32..40_000, 0u32..400_000],
        prop_oneof![Just(0u32), 0u32..100_000],
        prop::option::weighted(0.9, prop::bool::weighted(0.6)),
        prop_oneof![6 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8), 1 => Just(3u8)],
        any::<u32>(),
    )
}

fn ancestors(sites: &[Site], parents: &[Option<usize>], i: usize) -> Vec<usize> {
    let _ = sites;
    let mut out = Vec::new();
    let mut cur = parents[i];
    while let Some(p) = cur {
        out.push(p);
        cur = parents[p];
    }
    out
}

fn build(
    raw: Vec<RawSite>,
    protect: u8,
    floor: (u8, u32),
    cap: Option<u64>,
    min_pass: Option<u32>,
    absorb_fixed: u32,
) -> Case {
    let n = raw.len();
    let mut sites = Vec::with_capacity(n);
    let mut parents: Vec<Option<usize>> = Vec::with_capacity(n);
    for (i, &(level, dept, pick, budget, pop, passes, _, _)) in raw.iter().enumerate() {
        let level = if i == 0 { 0 } else { level.max(1) };
        let mut s = Site::new(format!("s{i:02}"), Level::from_number(level).unwrap());
        s.kind = if dept && i > 0 {
            Kind::Department
        } else {
            Kind::Portal
        };
        // Mostly one tree, sometimes a second top site.
        let parent = if i == 0 || pick % 13 == 0 {
            None
        } else {
            Some((pick as usize / 13) % i)
        };
        if let Some(p) = parent {
            s.parent_id = format!("s{p:02}").into();
        }
        parents.push(parent);
        s.budget = Money::yuan(i64::from(budget));
        s.population = pop as u64 * if level <= 1 { 10 } else { 1 };
        s.inspection_passed = passes;
        s.online_services = (budget % 7) as u64;
        sites.push(s);
    }
    let locks = (0..n)
        .map(|i| {
            let (_, _, _, _, _, _, kind, pick) = raw[i];
            let anc = ancestors(&sites, &parents, i);
            match kind {
                1 => Some(Decision::Keep),
                2 if !anc.is_empty() => Some(Decision::Merge { target: None }),
                3 if !anc.is_empty() => {
                    Some(Decision::merge_into(Some(anc[pick as usize % anc.len()])))
                }
                _ => None,
            }
        })
        .collect();
    let params = Params {
        absorb_fixed: absorb_fixed as f64,
        max_absorbed_per_target: cap,
        ..Params::default()
    };
    let opts = Options {
        floor: match floor.0 {
            0 => Floor::Current,
            1 => Floor::Fraction(0.0),
            _ => Floor::Fraction(floor.1 as f64 / 1000.0),
        },
        protect: match protect {
            0 => Protection::none(),
            1 => Protection::default(),
            _ => Protection::parse("county:portal,township:department").unwrap(),
        },
        max_absorbed: cap,
        min_pass_rate: min_pass.map(|r| r as f64 / 100.0),
        ..Options::default()
    };
    Case {
        sites,
        locks,
        params,
        opts,
    }
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(raw_site(), 2..=16),
        0u8..3,
        (0u8..4, 600u32..=1000),
        prop::option::weighted(0.3, 1u64..4),
        prop::option::weighted(0.3, 50u32..96),
        prop_oneof![Just(5000u32), 0u32..20_000],
    )
        .prop_map(|(raw, protect, floor, cap, min_pass, af)| {
            build(raw, protect, floor, cap, min_pass, af)
        })
}

// ------------------------------------------------------------ checks

fn floor_met(o: &Outcome, floor: Floor) -> bool {
    match floor {
        Floor::Current => o.covered.after >= o.covered.before,
        Floor::Fraction(f) => o.coverage.after.is_none_or(|c| c >= f),
        Floor::Persons(p) => o.covered.after >= p,
    }
}

/// Feasible for the problem as the core evaluator sees it.
fn feasible(
    inv: &Inventory,
    o: &Outcome,
    d: &[Decision],
    locks: &[Option<Decision>],
    opts: &Options,
) -> Result<(), String> {
    if !floor_met(o, opts.floor) {
        return Err(format!("floor missed: covered {}", o.covered.after));
    }
    if let (Some(r), Some(p)) = (opts.min_pass_rate, o.pass_rate.after)
        && p < r
    {
        return Err(format!("pass rate {p} < {r}"));
    }
    if o.over_capacity() > 0 {
        return Err("over capacity".into());
    }
    for i in 0..inv.len() {
        let s = inv.site(i);
        match locks[i] {
            Some(l) if s.parent.is_some() => {
                if d[i] != l {
                    return Err(format!("lock of {} changed", s.id));
                }
            }
            _ => {
                if d[i].is_merge() && (s.parent.is_none() || opts.protect.covers(s)) {
                    return Err(format!("{} may not merge", s.id));
                }
            }
        }
    }
    Ok(())
}

/// The best savings over every plan, by enumeration.
fn brute_force(inv: &Inventory, case: &Case) -> Option<Money> {
    let model = Model::new(inv, &case.params);
    let free: Vec<usize> = (0..inv.len())
        .filter(|&i| {
            let s = inv.site(i);
            s.parent.is_some() && case.locks[i].is_none() && !case.opts.protect.covers(s)
        })
        .collect();
    assert!(free.len() <= 16);
    let mut best: Option<Money> = None;
    let mut d: Vec<Decision> = (0..inv.len())
        .map(|i| case.locks[i].unwrap_or(Decision::Keep))
        .collect();
    for mask in 0u32..(1 << free.len()) {
        for (b, &i) in free.iter().enumerate() {
            d[i] = if mask >> b & 1 == 1 {
                Decision::Merge { target: None }
            } else {
                Decision::Keep
            };
        }
        let o = evaluate(inv, &model, &d);
        if feasible(inv, &o, &d, &case.locks, &case.opts).is_ok() {
            let s = o.annual_cost.savings;
            if best.is_none_or(|b| s > b) {
                best = Some(s);
            }
        }
    }
    best
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(600),
        ..ProptestConfig::default()
    })]

    #[test]
    fn small_inventories_match_brute_force(case in case()) {
        let (inv, _) = Inventory::link(case.sites.clone());
        let best = brute_force(&inv, &case);
        let r = optimize(&inv, &case.params, &case.locks, &case.opts, &|_| true);
        match (best, r) {
            (None, Err(OptimizeError::Infeasible(_))) => {}
            (None, r) => prop_assert!(false, "brute force finds no plan, optimizer: {:?}", r.map(|s| s.savings)),
            (Some(b), Err(e)) => prop_assert!(false, "optimizer failed ({e}) but {b} is reachable"),
            (Some(b), Ok(s)) => {
                let model = Model::new(&inv, &case.params);
                let o = evaluate(&inv, &model, &s.decisions);
                prop_assert_eq!(o.annual_cost.savings, s.savings);
                prop_assert_eq!(o.coverage.after, s.coverage);
                prop_assert_eq!(o.pass_rate.after, s.pass_rate);
                prop_assert_eq!(o.merged, s.merged);
                if let Err(e) = feasible(&inv, &o, &s.decisions, &case.locks, &case.opts) {
                    prop_assert!(false, "infeasible plan: {e}");
                }
                // The exact optimum (savings are exact; two plans differ
                // by a tenth of a yuan at least here).
                prop_assert_eq!(b, s.savings, "savings {} vs brute force {}", s.savings, b);
                let b = b.to_f64();
                prop_assert!(s.bound >= b - 1e-6 * b.abs().max(1.0), "bound {} below the optimum {b}", s.bound);
                prop_assert!(s.proven_optimal, "small problems are solved to optimality: {:?} gap {} bound {} savings {}", s.stats, s.gap, s.bound, s.savings);
                prop_assert!(s.gap <= 1e-6);
            }
        }
    }
}

// ------------------------------------------------------------ proofs

/// A deep random tree: each site hangs from one of the few sites before
/// it, so chains run long.
fn deep_case() -> impl Strategy<Value = (Vec<Site>, Option<u64>, Option<u32>, u32)> {
    (
        prop::collection::vec(
            (
                0u32..4,
                0u32..60_000,
                0u32..50_000,
                prop::bool::weighted(0.65),
                0u32..9,
            ),
            6..=20,
        ),
        prop::option::weighted(0.6, 1u64..=3),
        prop::option::weighted(0.25, 60u32..95),
        0u32..1000,
    )
        .prop_map(|(raw, cap, pass, floor_pick)| {
            let mut sites = Vec::with_capacity(raw.len() + 1);
            let mut top = Site::new("t", Level::Province);
            top.budget = Money::yuan(1_000_000);
            top.population = 10_000_000;
            top.inspection_passed = Some(true);
            sites.push(top);
            for (k, &(back, budget, pop, passes, services)) in raw.iter().enumerate() {
                let i = k + 1;
                let parent = i - 1 - (back as usize).min(i - 1);
                let level = match parent {
                    0 => Level::Prefecture,
                    _ => Level::County,
                };
                let mut s = Site::new(format!("s{i:02}"), level);
                s.parent_id = if parent == 0 {
                    "t".into()
                } else {
                    format!("s{parent:02}").into()
                };
                s.budget = Money::yuan(i64::from(budget));
                s.population = u64::from(pop);
                s.inspection_passed = Some(passes);
                s.online_services = u64::from(services);
                sites.push(s);
            }
            (sites, cap, pass, floor_pick)
        })
}

/// Every keep/merge assignment of the free sites (all but the top one),
/// as the evaluator would score it: savings in ten-thousandths of a yuan,
/// covered residents, and whether the capacity and pass rate hold.
fn enumerate_plans(inv: &Inventory, params: &Params, pass: Option<f64>) -> Vec<(i128, u64, bool)> {
    let model = Model::new(inv, params);
    let n = inv.len();
    let order = inv.parents_first().to_vec();
    let save: Vec<i128> = (0..n)
        .map(|i| model.saving(i).units(4).expect("whole ten-thousandths"))
        .collect();
    let free: Vec<usize> = (0..n).filter(|&i| inv.parent(i).is_some()).collect();
    let cap = params.max_absorbed_per_target;
    let mut serve = vec![0usize; n];
    let mut absorbed = vec![0u64; n];
    let mut merged = vec![false; n];
    let mut out = Vec::with_capacity(1 << free.len());
    for mask in 0u32..(1 << free.len()) {
        for (b, &i) in free.iter().enumerate() {
            merged[i] = mask >> b & 1 == 1;
        }
        let (mut saved, mut covered, mut kept, mut passing) = (0i128, 0u64, 0usize, 0usize);
        absorbed.iter_mut().for_each(|a| *a = 0);
        for &i in &order {
            let i = i as usize;
            match inv.parent(i) {
                Some(p) if merged[i] => {
                    serve[i] = serve[p];
                    saved += save[i];
                    absorbed[serve[i]] += 1;
                }
                _ => {
                    serve[i] = i;
                    kept += 1;
                    passing += model.passes[i] as usize;
                }
            }
            if model.passes[serve[i]] {
                covered += model.own_pop[i];
            }
        }
        let cap_ok = cap.is_none_or(|c| absorbed.iter().all(|&a| a <= c));
        let pass_ok = pass.is_none_or(|r| kept == 0 || passing as f64 / kept as f64 >= r);
        out.push((saved, covered, cap_ok && pass_ok));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48),
        ..ProptestConfig::default()
    })]

    /// Deep trees, floors that bind, capacities of 1 to 3: the optimizer's
    /// plan is the best of every assignment, and it says it proved so.
    #[test]
    fn deep_small_inventories_are_solved_and_proven(
        (sites, cap, pass, floor_pick) in deep_case()
    ) {
        let (inv, _) = Inventory::link(sites);
        let params = Params {
            max_absorbed_per_target: cap,
            ..Params::default()
        };
        let pass = pass.map(|r| r as f64 / 100.0);
        let plans = enumerate_plans(&inv, &params, pass);
        // The floor: between the coverage of the best plan without one
        // and the most coverage any plan reaches, so that it binds.
        let ok = plans.iter().filter(|p| p.2);
        let Some(free_best) = ok.clone().max_by_key(|p| (p.0, std::cmp::Reverse(p.1))) else {
            return Ok(());
        };
        let most = ok.map(|p| p.1).max().unwrap_or(0);
        let floor = if most > free_best.1 {
            free_best.1 + 1 + (most - free_best.1 - 1) * u64::from(floor_pick) / 1000
        } else {
            most
        };
        let best = plans
            .iter()
            .filter(|p| p.2 && p.1 >= floor)
            .map(|p| p.0)
            .max();
        let opts = Options {
            floor: Floor::Persons(floor),
            protect: Protection::none(),
            max_absorbed: cap,
            min_pass_rate: pass,
            ..Options::default()
        };
        let r = optimize(&inv, &params, &vec![None; inv.len()], &opts, &|_| true);
        let Some(best) = best else {
            prop_assert!(matches!(r, Err(OptimizeError::Infeasible(_))), "{:?}", r.map(|s| s.savings));
            return Ok(());
        };
        let s = r.map_err(|e| TestCaseError::fail(e.to_string()))?;
        let model = Model::new(&inv, &params);
        let o = evaluate(&inv, &model, &s.decisions);
        prop_assert_eq!(o.annual_cost.savings, s.outcome.annual_cost.savings);
        prop_assert!(o.covered.after >= floor);
        prop_assert_eq!(o.over_capacity(), 0);
        prop_assert_eq!(o.annual_cost.savings.units(4), Some(best), "savings {} vs brute force {}", s.savings, best as f64 / 1e4);
        prop_assert!(s.proven_optimal, "not proven: {:?} bound {} savings {}", s.stats, s.bound, s.savings);
        prop_assert_eq!(s.stopped_by, StoppedBy::Gap);
        prop_assert_eq!(s.gap, 0.0);
        prop_assert!(s.bound >= s.savings);
    }
}

/// Issue 18: on the sample with floor 0.93 the plan without a capacity
/// never absorbs more than 31 sites per target, so a capacity of 40 must
/// change nothing.
#[test]
fn a_capacity_the_best_plan_already_meets_changes_nothing() {
    let inv = sitefold::sample::sample().inventory;
    let locks = vec![None; inv.len()];
    let free = Options {
        floor: Floor::Fraction(0.93),
        max_absorbed: None,
        ..Options::default()
    };
    let a = optimize(&inv, &Params::default(), &locks, &free, &|_| true).unwrap();
    assert!(a.proven_optimal);
    let most = a
        .outcome
        .targets
        .iter()
        .map(|t| t.absorbed_sites)
        .max()
        .unwrap();
    assert!(most <= 40, "{most}");
    let params = Params {
        max_absorbed_per_target: Some(40),
        ..Params::default()
    };
    let capped = Options {
        max_absorbed: Some(40),
        ..free.clone()
    };
    let b = optimize(&inv, &params, &locks, &capped, &|_| true).unwrap();
    assert_eq!(b.savings, a.savings);
    assert_eq!(b.decisions, a.decisions);
    assert!(b.proven_optimal && b.gap == 0.0);
    assert_eq!(b.stopped_by, StoppedBy::Gap);
    // A capacity that binds lowers the savings, and is proven as well.
    let tight = Options {
        max_absorbed: Some(10),
        ..free
    };
    let params = Params {
        max_absorbed_per_target: Some(10),
        ..Params::default()
    };
    let c = optimize(&inv, &params, &locks, &tight, &|_| true).unwrap();
    assert!(c.savings < a.savings);
    assert!(c.proven_optimal, "{:?}", c.stats);
    assert_eq!(c.outcome.over_capacity(), 0);
}

/// Issue 18, as the command line says it: the sample with floor 0.93 and a
/// capacity of 40 (which does not bind) is proven optimal at ¥202,146,090.
#[test]
fn the_command_line_reports_the_proof() {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/province.csv");
    let sample = sample.display().to_string();
    let (code, stdout, stderr) = run(&[
        "optimize",
        &sample,
        "--coverage-floor",
        "0.93",
        "--max-absorbed",
        "40",
        "--json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["proven_optimal"], true, "{v}");
    assert_eq!(v["stopped_by"], "gap");
    assert_eq!(v["gap"], 0.0);
    assert_eq!(v["savings"], 202_146_090.0);
    assert_eq!(v["bound"], v["savings"]);
}

/// Binding floors at province scale are proven optimal, and the bound is
/// never below the savings.
#[test]
fn binding_floors_at_province_scale_are_proven() {
    let inv = sitefold::sample::sample().inventory;
    let locks = vec![None; inv.len()];
    for (floor, cap) in [
        (0.93, None),
        (0.95, None),
        (0.95, Some(10)),
        (0.955, Some(10)),
        (0.957, None),
    ] {
        let params = Params {
            max_absorbed_per_target: cap,
            ..Params::default()
        };
        let opts = Options {
            floor: Floor::Fraction(floor),
            max_absorbed: cap,
            ..Options::default()
        };
        let s = optimize(&inv, &params, &locks, &opts, &|_| true).unwrap();
        assert!(s.bound >= s.savings);
        assert!(s.proven_optimal, "floor {floor} cap {cap:?}: {:?}", s.stats);
        assert_eq!((s.gap, s.stopped_by), (0.0, StoppedBy::Gap));
        assert!(s.coverage.unwrap() >= floor);
    }
}

/// A time limit stops the search: what it returns is feasible, its bound
/// is not below it, and it says the time ran out. No time at all still
/// gives the first bound and plan (the root), so the outcome does not
/// depend on how fast the machine is: on these floors the root alone
/// does not prove its plan (the gap is certified, not closed).
#[test]
fn a_time_limit_is_respected() {
    let inv = sitefold::sample::sample().inventory;
    let locks = vec![None; inv.len()];
    for (floor, cap) in [(0.93, None), (0.95, Some(10))] {
        let params = Params {
            max_absorbed_per_target: cap,
            ..Params::default()
        };
        let opts = Options {
            floor: Floor::Fraction(floor),
            max_absorbed: cap,
            gap_tolerance: Some(0.0),
            time_limit: Some(std::time::Duration::ZERO),
            ..Options::default()
        };
        let s = optimize(&inv, &params, &locks, &opts, &|_| true).unwrap();
        assert_eq!(s.stopped_by, StoppedBy::Time, "floor {floor} cap {cap:?}");
        assert!(!s.proven_optimal);
        assert!(
            s.gap > 0.0 && s.bound > s.savings,
            "{} {}",
            s.bound,
            s.savings
        );
        let o = evaluate(&inv, &Model::new(&inv, &params), &s.decisions);
        assert_eq!(o.annual_cost.savings.to_fen().to_f64(), s.savings);
        feasible(&inv, &o, &s.decisions, &locks, &opts).unwrap();
        // Given the time, the same problem is proven, and the plan cut
        // short was no better than the optimum, nor the optimum above the
        // bound the short run certified.
        let full = Options {
            time_limit: None,
            ..opts
        };
        let best = optimize(&inv, &params, &locks, &full, &|_| true).unwrap();
        assert!(best.proven_optimal && best.stopped_by == StoppedBy::Gap);
        assert!(s.savings <= best.savings && best.savings <= s.bound);
    }
}

// ------------------------------------------------------------ larger

fn generated(n: usize, seed: u64) -> Inventory {
    Inventory::link(sitefold::generate::generate(n, seed)).0
}

/// Some locks on a generated inventory: keeps, merges, explicit merges.
fn some_locks(inv: &Inventory, seed: u64) -> Vec<Option<Decision>> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..inv.len())
        .map(|i| {
            let r = next() % 100;
            let anc: Vec<usize> = inv.ancestors(i).collect();
            match r {
                0..=2 => Some(Decision::Keep),
                3..=5 if !anc.is_empty() => Some(Decision::Merge { target: None }),
                6..=7 if !anc.is_empty() => {
                    Some(Decision::merge_into(Some(anc[next() as usize % anc.len()])))
                }
                _ => None,
            }
        })
        .collect()
}

fn check_large(inv: &Inventory, params: &Params, locks: &[Option<Decision>], opts: &Options) {
    let r = optimize(inv, params, locks, opts, &|_| true);
    let s = match r {
        Ok(s) => s,
        Err(OptimizeError::Infeasible(i)) => {
            // Then the best reachable coverage is below the floor asked for.
            if i.cause == sitefold::optimize::Cause::Coverage {
                assert!(i.best_coverage < i.floor, "{i:?}");
            }
            return;
        }
        Err(e) => panic!("{e}"),
    };
    let model = Model::new(inv, params);
    let o = evaluate(inv, &model, &s.decisions);
    assert_eq!(o.annual_cost.savings, s.savings);
    assert_eq!(o.coverage.after, s.coverage);
    assert_eq!(o.pass_rate.after, s.pass_rate);
    assert_eq!(o.merged, s.merged);
    assert_eq!(o, s.outcome);
    if let Err(e) = feasible(inv, &o, &s.decisions, locks, opts) {
        panic!("infeasible plan: {e}");
    }
    assert!(
        s.bound >= s.savings,
        "bound {} < savings {}",
        s.bound,
        s.savings
    );
    assert!((0.0..=1.0).contains(&s.gap));
    assert_eq!(s.notes.len(), s.merged);
    for n in &s.notes {
        assert!(s.decisions[n.site].is_merge());
        assert_eq!(n.serving, o.serving[n.site] as usize);
        let t = n.text(inv);
        assert!(t.en.contains('¥') && t.zh.contains('¥'));
    }
}

#[test]
fn generated_inventories_give_feasible_plans_with_the_evaluators_figures() {
    let params = Params::default();
    for (n, seed) in [(400, 1), (1500, 2), (3000, 3), (8000, 4)] {
        let inv = generated(n, seed);
        let none = vec![None; inv.len()];
        let locks = some_locks(&inv, seed);
        for (floor, protect, cap, pass) in [
            (Floor::Current, Protection::default(), None, None),
            (Floor::Fraction(0.93), Protection::default(), None, None),
            (Floor::Fraction(0.95), Protection::default(), Some(10), None),
            (Floor::Fraction(0.92), Protection::none(), None, Some(0.9)),
            (
                Floor::Fraction(0.9),
                Protection::default(),
                Some(6),
                Some(0.93),
            ),
            (Floor::Fraction(0.999), Protection::default(), None, None),
        ] {
            let opts = Options {
                floor,
                protect,
                max_absorbed: cap,
                min_pass_rate: pass,
                ..Options::default()
            };
            let params = Params {
                max_absorbed_per_target: cap,
                ..params.clone()
            };
            check_large(&inv, &params, &none, &opts);
            check_large(&inv, &params, &locks, &opts);
        }
    }
}

#[test]
fn with_floor_current_the_gap_is_small_at_province_scale() {
    let inv = generated(3000, 7);
    let params = Params::default();
    for f in [Floor::Current, Floor::Fraction(0.93), Floor::Fraction(0.95)] {
        let opts = Options {
            floor: f,
            ..Options::default()
        };
        let s = optimize(&inv, &params, &vec![None; inv.len()], &opts, &|_| true).unwrap();
        assert!(s.gap <= 0.001, "gap {} at {f:?}", s.gap);
    }
}

#[test]
fn an_unreachable_floor_is_reported_with_the_best_reachable_coverage() {
    let inv = generated(3000, 1);
    let params = Params::default();
    let opts = Options {
        floor: Floor::Fraction(0.995),
        ..Options::default()
    };
    match optimize(&inv, &params, &vec![None; inv.len()], &opts, &|_| true) {
        Err(OptimizeError::Infeasible(i)) => {
            let best = i.best_coverage.unwrap();
            assert!(best < 0.995 && best > 0.5);
            // The best reachable floor is itself reachable.
            let opts = Options {
                floor: Floor::Fraction(best),
                ..Options::default()
            };
            let s = optimize(&inv, &params, &vec![None; inv.len()], &opts, &|_| true).unwrap();
            assert!(s.coverage.unwrap() >= best);
            let msg = OptimizeError::Infeasible(i).message(sitefold::i18n::Lang::En);
            assert!(msg.contains("best coverage reachable"), "{msg}");
        }
        other => panic!("expected infeasible, got {:?}", other.map(|s| s.coverage)),
    }
}

#[test]
fn cancel_stops_the_run_and_progress_is_reported() {
    let inv = generated(3000, 1);
    let params = Params::default();
    let opts = Options {
        floor: Floor::Fraction(0.94),
        ..Options::default()
    };
    let seen = std::cell::Cell::new(0usize);
    let r = optimize(&inv, &params, &vec![None; inv.len()], &opts, &|p| {
        assert!((0.0..=1.0).contains(&p));
        seen.set(seen.get() + 1);
        seen.get() < 3
    });
    assert!(matches!(r, Err(OptimizeError::Cancelled)));
    assert_eq!(seen.get(), 3);
}

#[test]
fn frontier_savings_never_rise_with_the_floor() {
    let params = Params::default();
    for (n, seed, locked) in [(2000, 1, false), (3000, 5, true)] {
        let inv = generated(n, seed);
        let locks = if locked {
            some_locks(&inv, seed)
        } else {
            vec![None; inv.len()]
        };
        let mut all = vec![Options::default()];
        if !locked {
            // (Random locks can exceed any small capacity by themselves.)
            all.push(Options {
                max_absorbed: Some(12),
                min_pass_rate: Some(0.9),
                ..Options::default()
            });
        }
        for opts in all {
            let params = Params {
                max_absorbed_per_target: opts.max_absorbed,
                ..params.clone()
            };
            let f = frontier(&inv, &params, &locks, &opts, None, 8, &|_| true).unwrap();
            assert!(f.points.len() >= 2);
            let model = Model::new(&inv, &params);
            for w in f.points.windows(2) {
                assert!(w[0].floor_persons <= w[1].floor_persons);
                assert!(
                    w[1].savings <= w[0].savings,
                    "{} then {}",
                    w[0].savings,
                    w[1].savings
                );
                assert!(w[1].bound <= w[0].bound);
            }
            for p in &f.points {
                assert!(p.bound >= p.savings);
                let o = evaluate(&inv, &model, &p.decisions);
                assert_eq!(o.annual_cost.savings, p.savings);
                assert!(o.covered.after >= p.floor_persons);
                let o2 = Options {
                    floor: Floor::Persons(p.floor_persons),
                    ..opts.clone()
                };
                feasible(&inv, &o, &p.decisions, &locks, &o2).unwrap();
            }
        }
    }
}

#[test]
fn floor_persons_matches_the_evaluators_division() {
    for pop in [1u64, 3, 7, 1000, 66_755_341, 1_400_000_000] {
        for f in [
            0.0,
            0.1,
            1.0 / 3.0,
            0.5,
            0.829006625851855,
            0.9,
            0.99999,
            1.0,
        ] {
            let c = floor_persons(f, pop);
            assert!(c as f64 / pop as f64 >= f);
            if c > 0 {
                assert!(((c - 1) as f64 / pop as f64) < f);
            }
        }
    }
    assert_eq!(floor_persons(1.5, 10), 11);
}

#[test]
fn protection_lists_parse() {
    let p = Protection::parse("national, 省, 地市:门户,county:portal").unwrap();
    assert_eq!(
        p.describe(),
        "national,province,prefecture:portal,county:portal"
    );
    assert_eq!(Protection::default().describe(), Protection::DEFAULT);
    assert!(Protection::parse("none").unwrap().entries.is_empty());
    assert!(Protection::parse("city").is_err());
    assert!(Protection::parse("county:site").is_err());
}

// ------------------------------------------------------------ command line

fn run(args: &[&str]) -> (i32, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut full = vec!["sitefold"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--lang", "en"]);
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
fn cli_optimize_writes_a_plan_that_summary_reproduces() {
    let dir = tempfile::tempdir().unwrap();
    let inv_path = dir.path().join("inv.csv");
    let sites = sitefold::generate::generate(1200, 9);
    let mut buf = Vec::new();
    sitefold::inventory::write_csv(&sites, &mut buf, sitefold::i18n::Lang::Zh).unwrap();
    std::fs::write(&inv_path, &buf).unwrap();
    let inv = inv_path.display().to_string();
    // Lock two sites.
    let locks = dir.path().join("locks.csv");
    let (linked, _) = Inventory::link(sites.clone());
    let town = (0..linked.len())
        .find(|&i| {
            linked.site(i).level == Level::Township
                && linked.site(i).inspection_passed == Some(true)
        })
        .unwrap();
    let dept = (0..linked.len())
        .find(|&i| linked.site(i).kind == Kind::Department && linked.site(i).level == Level::County)
        .unwrap();
    std::fs::write(
        &locks,
        format!(
            "site_id,decision\n{},keep\n{},merge\n",
            linked.site(town).id,
            linked.site(dept).id
        ),
    )
    .unwrap();
    let locks = locks.display().to_string();
    for (floor, extra) in [
        ("current", vec![]),
        ("0.94", vec!["--max-absorbed", "12"]),
        (
            "92%",
            vec![
                "--min-pass-rate",
                "0.9",
                "--protect",
                "national,province,county:portal",
            ],
        ),
    ] {
        let out_path = dir.path().join("plan.csv");
        let out = out_path.display().to_string();
        let mut args = vec![
            "optimize",
            &inv,
            "--plan",
            &locks,
            "--coverage-floor",
            floor,
            "--out",
            &out,
            "--json",
        ];
        args.extend(extra.iter().copied());
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 0, "{stderr}");
        let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
        for key in [
            "savings",
            "coverage",
            "pass_rate",
            "merged",
            "bound",
            "gap",
            "seconds",
            "proven_optimal",
            "stopped_by",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert!(v["bound"].as_f64().unwrap() >= v["savings"].as_f64().unwrap());
        let bytes = std::fs::read(&out_path).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let (code, summary, stderr) = run(&["summary", &inv, "--plan", &out, "--json"]);
        assert_eq!(code, 0, "{stderr}");
        let s: serde_json::Value = serde_json::from_str(&summary).unwrap();
        assert_eq!(s["annual_cost"]["savings"], v["savings"]);
        assert_eq!(s["coverage"]["after"], v["coverage"]);
        assert_eq!(s["pass_rate"]["after"], v["pass_rate"]);
        assert_eq!(s["plan"]["merged"], v["merged"]);
        assert_eq!(s["plan"]["errors"], 0);
        // The locks stood.
        let text = String::from_utf8_lossy(&bytes);
        let line = |id: &str| {
            text.lines()
                .find(|l| l.starts_with(&format!("{id},")))
                .unwrap()
                .to_string()
        };
        assert!(line(&linked.site(town).id).contains(",keep,"));
        assert!(line(&linked.site(dept).id).contains(",merge,"));
    }
    // Plain output, in English.
    let out = dir.path().join("p.csv").display().to_string();
    let (code, stdout, _) = run(&[
        "optimize",
        &inv,
        "--coverage-floor",
        "current",
        "--out",
        &out,
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("annual savings") && stdout.contains("gap"),
        "{stdout}"
    );
}

#[test]
fn cli_reports_an_unreachable_floor() {
    let dir = tempfile::tempdir().unwrap();
    let inv_path = dir.path().join("inv.csv");
    let mut buf = Vec::new();
    sitefold::inventory::write_csv(
        &sitefold::generate::generate(3000, 1),
        &mut buf,
        sitefold::i18n::Lang::En,
    )
    .unwrap();
    std::fs::write(&inv_path, &buf).unwrap();
    let inv = inv_path.display().to_string();
    let out = dir.path().join("plan.csv").display().to_string();
    let (code, stdout, stderr) = run(&[
        "optimize",
        &inv,
        "--coverage-floor",
        "0.99",
        "--out",
        &out,
        "--json",
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("best coverage reachable"), "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["infeasible"], true);
    assert!(v["best_coverage"].as_f64().unwrap() < 0.99);
    assert!(!std::path::Path::new(&out).exists());
    let (code, _, stderr) = run(&["optimize", &inv, "--coverage-floor", "lots", "--out", &out]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn cli_frontier_writes_a_bom_crlf_table() {
    let dir = tempfile::tempdir().unwrap();
    let inv_path = dir.path().join("inv.csv");
    let mut buf = Vec::new();
    sitefold::inventory::write_csv(
        &sitefold::generate::generate(1500, 3),
        &mut buf,
        sitefold::i18n::Lang::Zh,
    )
    .unwrap();
    std::fs::write(&inv_path, &buf).unwrap();
    let inv = inv_path.display().to_string();
    let out = dir.path().join("frontier.csv");
    let (code, _, stderr) = run(&[
        "frontier",
        &inv,
        "--points",
        "6",
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "coverage_floor,coverage,savings,bound,gap,merged");
    assert_eq!(lines.len(), 7);
    let savings: Vec<f64> = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(2).unwrap().parse().unwrap())
        .collect();
    assert!(savings.windows(2).all(|w| w[1] <= w[0]), "{savings:?}");
}

#[test]
fn degenerate_inventories() {
    let params = Params::default();
    // Empty.
    let (inv, _) = Inventory::link(Vec::new());
    let s = optimize(&inv, &params, &[], &Options::default(), &|_| true).unwrap();
    assert_eq!((s.merged, s.savings, s.bound, s.gap), (0, 0.0, 0.0, 0.0));
    // One site, and a site whose every child is locked.
    let mut a = Site::new("a", Level::Province);
    a.population = 100;
    a.budget = Money::yuan(1_000_000);
    let mut b = Site::new("b", Level::Township);
    b.parent_id = "a".into();
    b.budget = Money::yuan(50_000);
    b.population = 10;
    let (inv, _) = Inventory::link(vec![a.clone()]);
    let s = optimize(&inv, &params, &[None], &Options::default(), &|_| true).unwrap();
    assert_eq!(s.merged, 0);
    let (inv, _) = Inventory::link(vec![a, b]);
    for lock in [Some(Decision::Keep), Some(Decision::Merge { target: None })] {
        let s = optimize(&inv, &params, &[None, lock], &Options::default(), &|_| true).unwrap();
        assert_eq!(s.decisions[1], lock.unwrap());
        assert!(s.proven_optimal);
        assert_eq!(s.stats.free_sites, 0);
    }
    // Free: merging b saves 50,000 − 10,000 = 40,000; both fail, so
    // coverage is 0 either way.
    let s = optimize(&inv, &params, &[None, None], &Options::default(), &|_| true).unwrap();
    assert_eq!(s.savings, 40_000.0);
    assert_eq!(s.notes.len(), 1);
    assert_eq!(
        s.notes[0].effect,
        sitefold::optimize::CoverageEffect::StaysUncovered
    );
    let t = s.notes[0].text(&inv);
    assert!(t.en.contains("saves ¥40,000/yr"), "{}", t.en);
    assert!(t.zh.contains("每年节约 ¥40,000"), "{}", t.zh);
}

#[test]
fn explanations_say_what_happens_to_coverage() {
    // A passing county under a failing prefecture: merging it saves money
    // but its residents lose a passing site; a failing township under a
    // passing county gains one.
    let mut p = Site::new("P", Level::Prefecture);
    p.population = 1000;
    p.inspection_passed = Some(false);
    let mut c = Site::new("C", Level::County);
    c.parent_id = "P".into();
    c.population = 600;
    c.budget = Money::yuan(900_000);
    c.inspection_passed = Some(true);
    let mut t = Site::new("T", Level::Township);
    t.parent_id = "C".into();
    t.population = 200;
    t.budget = Money::yuan(100_000);
    t.inspection_passed = Some(false);
    let mut k = Site::new("K", Level::County);
    k.parent_id = "P".into();
    k.population = 100;
    k.budget = Money::yuan(10_000);
    k.inspection_passed = Some(true);
    let mut u = Site::new("U", Level::Township);
    u.parent_id = "K".into();
    u.population = 50;
    u.budget = Money::yuan(80_000);
    u.inspection_passed = Some(false);
    let (inv, _) = Inventory::link(vec![p, c, t, k, u]);
    let params = Params::default();
    let opts = Options {
        floor: Floor::Fraction(0.0),
        protect: Protection::none(),
        ..Options::default()
    };
    let s = optimize(&inv, &params, &[None; 5], &opts, &|_| true).unwrap();
    let note = |id: &str| {
        let i = inv.find(id).unwrap();
        s.notes.iter().find(|n| n.site == i).unwrap().clone()
    };
    // Everything merges into P (the floor is 0).
    assert_eq!(s.merged, 4);
    let c = note("C");
    assert_eq!(c.effect, sitefold::optimize::CoverageEffect::Loses);
    assert_eq!(c.residents, 400);
    let text = c.text(&inv);
    assert!(
        text.en
            .contains("from a passing to a failing site: −400 covered"),
        "{}",
        text.en
    );
    assert!(text.zh.contains("覆盖 −400 人"), "{}", text.zh);
    // With today's coverage as the floor, C and K stay and T, U merge into
    // passing counties: +250 covered.
    let opts = Options {
        floor: Floor::Current,
        ..opts
    };
    let s = optimize(&inv, &params, &[None; 5], &opts, &|_| true).unwrap();
    assert!(s.proven_optimal);
    let t = s
        .notes
        .iter()
        .find(|n| n.site == inv.find("T").unwrap())
        .unwrap();
    assert_eq!(t.effect, sitefold::optimize::CoverageEffect::Gains);
    assert!(t.text(&inv).en.contains("+200 covered"));
    assert!(s.outcome.covered.after >= s.outcome.covered.before);
}

/// The gap proven unless another is asked for: none (proven optimal) for
/// every inventory of a province's size, 100,000 sites included; 1e-6
/// for national ones; a gap asked for wins, a negative or meaningless one
/// is read as 0.
#[test]
fn the_default_gap_proves_province_sized_inventories_optimal() {
    use sitefold::optimize::{LARGE_GAP, Options};
    let default = Options::default();
    assert_eq!(default.gap_for(3_000), 0.0);
    assert_eq!(default.gap_for(100_000), 0.0);
    assert_eq!(default.gap_for(1_000_000), LARGE_GAP);
    let asked = |g: f64| Options {
        gap_tolerance: Some(g),
        ..Options::default()
    };
    assert_eq!(asked(0.001).gap_for(100_000), 0.001);
    assert_eq!(asked(0.0).gap_for(1_000_000), 0.0);
    assert_eq!(asked(-1.0).gap_for(3_000), 0.0);
    assert_eq!(asked(f64::NAN).gap_for(3_000), 0.0);
}
