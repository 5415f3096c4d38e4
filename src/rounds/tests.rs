use super::*;
use crate::inventory::{Level, RawRow, RawTable};
use crate::plan::{Action, Rule};

/// P (province) > C (prefecture) > T1, T2, T3 (townships); T1 has its own
/// score 90 in the inventory.
fn imported() -> Imported {
    let mut sites = vec![Site::new("P", Level::Province)];
    for (id, parent, level) in [
        ("C", "P", Level::Prefecture),
        ("T1", "C", Level::Township),
        ("T2", "C", Level::Township),
        ("T3", "C", Level::Township),
    ] {
        let mut s = Site::new(id, level);
        s.parent_id = parent.into();
        sites.push(s);
    }
    sites[2].inspection_score = Some(90.0);
    let (inventory, _) = Inventory::link(sites);
    Imported {
        inventory,
        report: Default::default(),
        header: Vec::new(),
        mapping: Vec::new(),
    }
}

fn table(source: &str, rows: &[&[&str]]) -> RawTable {
    RawTable {
        source: source.into(),
        header: ["网站标识码", "轮次", "检查得分", "检查结果", "信息更新"]
            .map(String::from)
            .to_vec(),
        header_line: 1,
        rows: rows
            .iter()
            .enumerate()
            .map(|(k, r)| RawRow {
                line: k as u64 + 2,
                cells: r.iter().map(|c| c.to_string()).collect(),
            })
            .collect(),
        ..Default::default()
    }
}

fn round(inv: &Inventory, source: &str, rows: &[&[&str]]) -> Vec<Round> {
    let file = parse_round_table(&table(source, rows), inv).expect("a round file");
    assert!(file.issues.is_empty(), "{:?}", file.issues);
    file.rounds
}

#[test]
fn every_bad_line_is_reported_with_its_column() {
    let imp = imported();
    let t = table(
        "r.csv",
        &[
            &["T1", "2016Q2", "55", "", "差"],
            &["X9", "2016Q2", "55", "", ""],
            &["T2", "下半年", "55", "", ""],
            &["T2", "2016年第二季度", "120", "", ""],
            &["T2", "2016Q2", "", "也许", ""],
            &["T3", "2016Q2", "", "", ""],
            &["T1", "2016Q2", "70", "", ""],
            &["T3", "2016Q2", "", "不合格", ""],
        ],
    );
    let file = parse_round_table(&t, &imp.inventory).expect("read");
    assert_eq!((file.read, file.rejected), (8, 6));
    let at: Vec<(u64, Option<usize>)> = file.issues.iter().map(|i| (i.line, i.column)).collect();
    assert_eq!(
        at,
        [
            (3, Some(1)),
            (4, Some(2)),
            (5, Some(3)),
            (6, Some(4)),
            (7, Some(3)),
            (8, Some(1))
        ]
    );
    assert!(
        file.issues[5].en.contains("line 2 stands"),
        "{:?}",
        file.issues[5]
    );
    let r = &file.rounds[0];
    assert_eq!(r.quarter.to_string(), "2016Q2");
    assert_eq!(r.indicators, ["信息更新"]);
    assert_eq!(r.results.len(), 2);
    assert_eq!(r.results[0].indicators, ["差"]);
    assert_eq!(r.results[1].passed, Some(false));
    // Without the round column, nothing is read.
    let mut t = table("r.csv", &[]);
    t.header[1] = "备注".into();
    assert!(parse_round_table(&t, &imp.inventory).is_err());
}

#[test]
fn the_latest_round_a_site_appears_in_stands_and_the_inventory_otherwise() {
    let imp = imported();
    let inv = &imp.inventory;
    let mut rounds = Rounds::default();
    // Added out of order: ordered by quarter.
    rounds.add(round(inv, "b.csv", &[&["T1", "2016Q3", "40", "", ""]]));
    rounds.add(round(
        inv,
        "a.csv",
        &[
            &["T1", "2016Q2", "80", "", ""],
            &["T2", "2016Q2", "30", "", ""],
        ],
    ));
    assert_eq!(rounds.rounds[0].quarter.to_string(), "2016Q2");
    let applied = rounds.apply(&imp, 60.0).expect("changed");
    let site = |id: &str| {
        applied
            .inventory
            .site(applied.inventory.find(id).expect("site"))
            .clone()
    };
    // T1: its latest round (2016Q3), not its inventory score nor 2016Q2.
    assert_eq!(site("T1").inspection_score, Some(40.0));
    // T2: in 2016Q2 only.
    assert_eq!(site("T2").inspection_score, Some(30.0));
    // T3: in no round, keeps the inventory's (none).
    assert_eq!(site("T3").inspection_score, None);
    // Records, the latest round first: T1 failed 2016Q3 (bit 0), passed
    // 2016Q2 (bit 1); T2 was not in 2016Q3 and failed 2016Q2.
    assert_eq!(
        site("T1").rounds,
        RoundRecord {
            seen: 0b11,
            failed: 0b01
        }
    );
    assert_eq!(
        site("T2").rounds,
        RoundRecord {
            seen: 0b10,
            failed: 0b10
        }
    );
    // The inventory's own fields come back.
    assert!(rounds.overrides("T1") && !rounds.overrides("T3"));
    let own = rounds.restore(&applied).expect("changed");
    assert_eq!(own.inventory.sites(), imp.inventory.sites());
    let own_sites = rounds.own_sites(applied.inventory.sites());
    assert_eq!(own_sites, imp.inventory.sites());
    // What changed between the last two rounds.
    assert_eq!(
        rounds.changes(inv, 60.0),
        vec![(inv.find("T1").expect("T1"), Change::NewlyFailed)]
    );
    let history = rounds.history("T2");
    assert_eq!(history.len(), 2);
    assert!(history[1].1.is_none());
    let rates = rounds.pass_rates(inv, 60.0);
    assert_eq!(rates[0].1[Level::Township.number() as usize], (2, 1));
}

#[test]
fn failed_rounds_counts_the_last_n_rounds_loaded() {
    let imp = imported();
    let inv = &imp.inventory;
    let mut rounds = Rounds::default();
    // T1 fails 2016Q1, 2016Q2 and 2016Q4; is missing from 2016Q3.
    for (q, score) in [("2016Q1", "10"), ("2016Q2", "20"), ("2016Q4", "30")] {
        rounds.add(round(inv, "r.csv", &[&["T1", q, score, "", ""]]));
    }
    rounds.add(round(inv, "r.csv", &[&["T2", "2016Q3", "90", "", ""]]));
    let applied = rounds.apply(&imp, 60.0).expect("changed");
    let t1 = applied
        .inventory
        .site(applied.inventory.find("T1").expect("T1"));
    let rule = |k, n| Rule {
        failed_rounds: Some([k, n]),
        ..Rule::new("r", Action::Merge)
    };
    // The last two rounds: 2016Q4 failed, 2016Q3 not inspected.
    assert!(rule(1, 2).matches(t1, false));
    assert!(!rule(2, 2).matches(t1, false));
    // k = n over the last 4: three failures only.
    assert!(!rule(4, 4).matches(t1, false));
    assert!(rule(3, 4).matches(t1, false));
    // n beyond the rounds loaded: all of them count.
    assert!(rule(3, 10).matches(t1, false));
    assert!(!rule(4, 10).matches(t1, false));
    // A site in no round never matches.
    let t3 = applied
        .inventory
        .site(applied.inventory.find("T3").expect("T3"));
    assert!(!rule(1, 4).matches(t3, false));
}
