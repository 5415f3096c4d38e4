//! Subtotals by area on the command line and in the exports: the same
//! figures as the core's `by_area`, exact to the fen.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;
use sitefold::i18n::Lang;
use sitefold::money::Money;
use sitefold::outcome::{AreaKind, AreaOutcome, by_area};
use sitefold::workspace::{Inputs, Workspace};

/// A province with a department; prefecture 甲 (counties 甲一, 甲二 and
/// a department), prefecture 乙 (county 乙一), and a county the province
/// governs directly. Budgets with fen.
const INV: &str = "site_id,name,level,kind,parent_id,annual_budget,population,online_services,inspection_score,inspection_passed\n\
P,通渡省,province,portal,,1000000,10000,10,90,yes\n\
P-d,省发改委,province,department,P,50000.50,,2,80,\n\
A,甲市,prefecture,portal,P,300000,5000,5,70,\n\
A-d,甲市教育局,prefecture,department,A,40000.25,,1,50,\n\
A1,甲一县,county,portal,A,100000,2000,3,40,\n\
A1-t,甲一镇,township,portal,A1,20000.10,500,3,,no\n\
A2,甲二县,county,portal,A,80000,1000,2,65,\n\
B,乙市,prefecture,portal,P,200000,3000,4,55,\n\
B1,乙一县,county,portal,B,90000,1200,2,75,\n\
B1-t,乙一镇,township,portal,B1,10000.01,300,1,61,\n\
X,直管县,county,portal,P,60000,1000,2,80,\n";

/// A1-t into 甲市 (past its county), A-d into the nearest kept, B1-t into
/// the province (another area), X into the province.
const PLAN: &str = "site_id,decision,target_id\nA1-t,merge,A\nA-d,merge,\nB1-t,merge,P\nX,merge,\n";

struct Fixture {
    dir: tempfile::TempDir,
    inv: String,
    plan: String,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let inv = common::write_text(dir.path(), "inv.csv", INV);
        let plan = common::write_text(dir.path(), "plan.csv", PLAN);
        Fixture { dir, inv, plan }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// The core's areas for the fixture, computed directly.
    fn core(&self) -> Vec<AreaOutcome> {
        let ws = Workspace::load(&Inputs {
            inventory: self.inv.clone().into(),
            plan: Some(self.plan.clone().into()),
            rules: None,
            params: None,
            import: Default::default(),
            map: None,
            rounds: Vec::new(),
        })
        .expect("loads");
        let (_, outcome) = ws.evaluate();
        by_area(&ws.imported.inventory, &ws.model(), &outcome)
    }
}

/// The rows as the tables show them: each area, then its sub-areas.
fn flat(rows: &[AreaOutcome]) -> Vec<(&AreaOutcome, bool)> {
    rows.iter()
        .flat_map(|r| std::iter::once((r, false)).chain(r.sub_areas.iter().map(|s| (s, true))))
        .collect()
}

fn fen(m: Money) -> f64 {
    m.to_fen().to_f64()
}

#[test]
fn core_figures_for_the_fixture_by_hand() {
    let rows = Fixture::new().core();
    let ids: Vec<(AreaKind, Option<&str>)> = rows
        .iter()
        .map(|r| (r.area, r.site_id.as_deref()))
        .collect();
    assert_eq!(
        ids,
        [
            (AreaKind::Province, None),
            (AreaKind::Prefecture, Some("A")),
            (AreaKind::Prefecture, Some("B")),
            (AreaKind::Unassigned, None),
        ]
    );
    let d = |s: &str| Money::from_decimal(s.parse().expect("decimal"));
    // 甲市: 300,000 + 40,000.25 + 100,000 + 20,000.10 + 80,000.
    let a = &rows[1];
    assert_eq!(a.cost_before, d("540000.35"));
    // Kept 480,000; absorbs A-d (5,000 + 4,000.025) and A1-t (5,000 + 2,000.01).
    assert_eq!(a.cost_after, d("496000.035"));
    assert_eq!(a.savings, d("44000.315"));
    assert_eq!(a.merged, 2);
    // 2 × 10,000 + (1 + 3) services × 2,000.
    assert_eq!(a.one_time_cost, d("28000"));
    // The province absorbs B1-t and X.
    assert_eq!(
        rows[0].cost_after,
        d("1050000.50") + d("6000.001") + d("11000")
    );
    // Everything adds up to the plan's totals.
    let ws_total: Money = rows.iter().map(|r| r.savings).sum();
    assert_eq!(ws_total, d("97000.324"));
}

#[test]
fn summary_by_area_json_and_text() {
    let fx = Fixture::new();
    let core = fx.core();
    let (code, out, err) = common::run_cli(&["summary", &fx.inv, "--plan", &fx.plan, "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert!(v.get("by_area").is_none(), "the contract's keys only");

    let (code, out, err) = common::run_cli(&[
        "summary",
        &fx.inv,
        "--plan",
        &fx.plan,
        "--json",
        "--by-area",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["by_area"], serde_json::to_value(&core).expect("value"));
    let a = &v["by_area"][1];
    assert_eq!(a["area"], "prefecture");
    assert_eq!(a["site_id"], "A");
    assert_eq!(a["name"], "甲市");
    assert_eq!(a["cost_before"], 540000.35);
    assert_eq!(a["sub_areas"][0]["area"], "own");
    assert_eq!(a["sub_areas"][1]["site_id"], "A1");
    assert_eq!(v["by_area"][3]["area"], "unassigned");
    // The areas' savings add up to the plan's: exactly in the core (see
    // the unit tests); here each figure is rounded to the fen as written,
    // so to within half a fen per row.
    let areas = v["by_area"].as_array().expect("areas");
    let savings: f64 = areas
        .iter()
        .map(|r| r["savings"].as_f64().expect("savings"))
        .sum();
    let total = v["annual_cost"]["savings"].as_f64().expect("total");
    assert!(
        (savings - total).abs() <= 0.005 * (areas.len() + 1) as f64,
        "{savings} vs {total}"
    );

    for (lang, heading, own) in [
        ("zh", "按地区", "市本级"),
        ("en", "By area", "Prefecture's own"),
    ] {
        let (code, out, err) = common::run_cli(&[
            "summary",
            &fx.inv,
            "--plan",
            &fx.plan,
            "--by-area",
            "--lang",
            lang,
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(heading), "{out}");
        assert!(out.contains("  甲一县"), "{out}");
        assert!(out.contains(own), "{out}");
        // 甲市's savings, to the yuan.
        assert!(out.contains("44,000"), "{out}");
    }
    let (_, out, _) = common::run_cli(&["summary", &fx.inv, "--lang", "en"]);
    assert!(!out.contains("By area"), "only when asked for: {out}");
}

/// The CSV tables of a summary file: split at the empty lines.
fn csv_tables(bytes: &[u8]) -> Vec<Vec<Vec<String>>> {
    let text =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").expect("BOM")).expect("utf-8");
    text.split("\r\n\r\n")
        .map(|t| {
            csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(t.as_bytes())
                .records()
                .map(|r| r.expect("record").iter().map(String::from).collect())
                .collect()
        })
        .collect()
}

#[test]
fn summary_csv_has_the_area_table() {
    let fx = Fixture::new();
    let core = fx.core();
    let out = fx.path("summary.csv");
    let (code, _, err) = common::run_cli(&[
        "summary", &fx.inv, "--plan", &fx.plan, "--out", &out, "--lang", "en",
    ]);
    assert_eq!(code, 0, "{err}");
    let tables = csv_tables(&std::fs::read(&out).expect("csv"));
    assert_eq!(tables.len(), 5, "changes, figures, levels, targets, areas");
    let t = &tables[4];
    assert_eq!(t[0][0], "Area");
    assert_eq!(t[0][9], "savings");
    let rows = flat(&core);
    assert_eq!(t.len(), 1 + rows.len() + 1, "header, rows, total");
    for (line, (r, sub)) in t[1..].iter().zip(&rows) {
        assert_eq!(line[0], r.label(Lang::En));
        assert_eq!(line[1], r.area.key());
        assert_eq!(line[2].is_empty(), !sub);
        assert_eq!(line[3], r.site_id.clone().unwrap_or_default());
        assert_eq!(line[4], r.sites_before.to_string());
        assert_eq!(line[6], r.merged.to_string());
        for (c, m) in [
            (7, r.cost_before),
            (8, r.cost_after),
            (9, r.savings),
            (10, r.one_time_cost),
        ] {
            assert_eq!(line[c], m.to_string(), "{} col {c}", line[0]);
        }
        assert_eq!(line[11], r.population.to_string());
    }
    let total = t.last().expect("total");
    assert_eq!(total[0], "Total");
    let savings: Money = core.iter().map(|r| r.savings).sum();
    assert_eq!(total[9], savings.to_string());
    // `--json --out` keeps to the contract unless asked.
    let out = fx.path("summary.json");
    let (code, _, err) = common::run_cli(&["summary", &fx.inv, "--json", "--out", &out]);
    assert_eq!(code, 0, "{err}");
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("json")).expect("json");
    assert!(v.get("by_area").is_none());
}

#[test]
fn workbook_by_area_sheet_matches_the_core() {
    let fx = Fixture::new();
    let core = fx.core();
    let rows = flat(&core);
    for lang in [Lang::Zh, Lang::En] {
        let path = fx.path(&format!("plan-{}.xlsx", lang.code()));
        let (code, _, err) = common::run_cli(&[
            "plan",
            &fx.inv,
            "--plan",
            &fx.plan,
            "--out",
            &path,
            "--lang",
            lang.code(),
        ]);
        assert_eq!(code, 0, "{err}");
        let mut wb: Xlsx<_> = open_workbook(&path).expect("opens");
        let name = lang.pick("按地区", "By area");
        assert_eq!(wb.sheet_names()[3], name);
        let sheet = wb.worksheet_range(name).expect("by area");
        assert_eq!(sheet.height(), 1 + rows.len() + 1);
        let num = |r: u32, c: u32| match sheet.get_value((r, c)) {
            Some(Data::Float(v)) => *v,
            Some(Data::Int(v)) => *v as f64,
            other => panic!("({r}, {c}) is {other:?}"),
        };
        let text = |r: u32, c: u32| match sheet.get_value((r, c)) {
            Some(Data::String(s)) => s.clone(),
            _ => String::new(),
        };
        for (i, (a, _)) in rows.iter().enumerate() {
            let r = i as u32 + 1;
            assert_eq!(text(r, 0), a.label(lang));
            assert_eq!(text(r, 3), a.site_id.clone().unwrap_or_default());
            assert_eq!(num(r, 4), a.sites_before as f64);
            assert_eq!(num(r, 5), a.sites_after as f64);
            assert_eq!(num(r, 6), a.merged as f64);
            assert_eq!(num(r, 7), fen(a.cost_before), "{}", a.label(lang));
            assert_eq!(num(r, 8), fen(a.cost_after));
            assert_eq!(num(r, 9), fen(a.savings));
            assert_eq!(num(r, 10), fen(a.one_time_cost));
            assert_eq!(num(r, 11), a.population as f64);
            assert_eq!(num(r, 13), a.covered_after as f64);
            if let Some(c) = a.coverage.after {
                assert!((num(r, 15) - c).abs() < 1e-12);
            }
        }
        // The total, of the areas only.
        let t = rows.len() as u32 + 1;
        let total: Money = core.iter().map(|r| r.cost_before).sum();
        assert_eq!(num(t, 7), fen(total));
        // Money as numbers in the workbook's yuan format.
        let styles = wb.worksheet_style(name).expect("styles");
        let code = styles
            .get((1, 7))
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone())
            .unwrap_or_default();
        assert_eq!(code, sitefold::export::money_format(lang));
        // No formula: a column sum would count the sub-areas twice.
        let formulas = wb.worksheet_formula(name).expect("formulas");
        assert!(formulas.rows().flatten().all(|f| f.is_empty()));

        // Sub-areas are one outline level down, under their area.
        let file = std::fs::File::open(&path).expect("open");
        let mut zip = zip::ZipArchive::new(file).expect("zip");
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet4.xml").expect("sheet4"),
            &mut xml,
        )
        .expect("xml");
        assert!(xml.contains("summaryBelow=\"0\""), "buttons above");
        for (i, (_, sub)) in rows.iter().enumerate() {
            let r = i + 2; // 1-based, after the header
            let start = xml.find(&format!("<row r=\"{r}\"")).expect("row");
            let tag = &xml[start..start + xml[start..].find('>').expect("tag end")];
            assert_eq!(tag.contains("outlineLevel=\"1\""), *sub, "{tag}");
        }
    }
}
