//! Inventory import against MODEL.md §1: column and value aliases, number
//! formats, encodings, line ends, and every row-handling case with its file
//! line number.
//!
//! Expected values are written out by hand from the contract.

use rust_decimal::Decimal;
use sitefold::i18n::Lang;
use sitefold::inventory::{
    Finding, ImportError, ImportOptions, ImportReport, Imported, Kind, Level, Severity, Site,
    import_bytes, import_path, own_population, write_csv,
};

// ---------------------------------------------------------------- helpers

fn try_imp(bytes: &[u8]) -> Result<Imported, ImportError> {
    import_bytes(bytes, "t.csv", &ImportOptions::default())
}

fn imp(text: &str) -> Imported {
    match try_imp(text.as_bytes()) {
        Ok(i) => i,
        Err(e) => panic!("import failed: {e}\n--- input ---\n{text}"),
    }
}

fn site<'a>(im: &'a Imported, id: &str) -> &'a Site {
    let i = im
        .inventory
        .find(id)
        .unwrap_or_else(|| panic!("site {id} not imported"));
    im.inventory.site(i)
}

fn idx(im: &Imported, id: &str) -> usize {
    im.inventory
        .find(id)
        .unwrap_or_else(|| panic!("site {id} not imported"))
}

fn ids(im: &Imported) -> Vec<String> {
    im.inventory
        .sites()
        .iter()
        .map(|s| s.id.to_string())
        .collect()
}

/// The counted issues (everything but Info): severity, line, site id.
fn counted(r: &ImportReport) -> Vec<(Severity, u64, Option<String>)> {
    r.issues
        .iter()
        .filter(|i| i.severity != Severity::Info)
        .map(|i| (i.severity, i.line, i.site_id.clone()))
        .collect()
}

fn dump(r: &ImportReport) -> String {
    r.issues
        .iter()
        .map(|i| r.render_issue(i, Lang::En).to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn sorted<T: Ord + Clone>(v: &[T]) -> Vec<T> {
    let mut v = v.to_vec();
    v.sort();
    v
}

// ------------------------------------------------------- rejected rows

#[test]
fn rejected_rows_are_reported_with_line_and_raw_row() {
    let text = "\
site_id,name,level,parent_id
A,省政府,province,
,无标识,county,A
B,乙,,A
C,丙,galaxy,A
A,重复,county,
D,丁,county,A
E,短行
";
    let im = imp(text);
    let r = &im.report;
    assert_eq!(ids(&im), vec!["A", "D"], "{}", dump(r));
    // The first occurrence of A stays.
    assert_eq!(site(&im, "A").name, "省政府");
    assert_eq!(site(&im, "A").level, Level::Province);
    assert_eq!(site(&im, "A").line, 2);
    assert_eq!(site(&im, "D").line, 7);
    assert_eq!(r.rows_read, 7);
    assert_eq!(r.sites, 2);
    assert_eq!(r.rejected(), 5);
    assert_eq!(r.errors(), 0);
    assert_eq!(r.warnings(), 0, "{}", dump(r));

    let rejected: Vec<_> = r
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Rejected)
        .collect();
    let lines: Vec<u64> = rejected.iter().map(|i| i.line).collect();
    assert_eq!(lines, vec![3, 4, 5, 6, 8]);
    assert!(matches!(rejected[0].finding, Finding::EmptySiteId));
    assert!(matches!(rejected[1].finding, Finding::MissingLevel));
    assert!(
        matches!(&rejected[2].finding, Finding::UnknownLevel { value } if value == "galaxy"),
        "{:?}",
        rejected[2].finding
    );
    assert!(
        matches!(&rejected[3].finding, Finding::DuplicateSiteId { id, first_line } if id == "A" && *first_line == 2),
        "{:?}",
        rejected[3].finding
    );
    // Each rejected row is listed with the raw row.
    let raws: Vec<Vec<String>> = rejected
        .iter()
        .map(|i| i.raw.clone().expect("raw row of a rejected row"))
        .collect();
    assert_eq!(raws[0], vec!["", "无标识", "county", "A"]);
    assert_eq!(raws[1], vec!["B", "乙", "", "A"]);
    assert_eq!(raws[2], vec!["C", "丙", "galaxy", "A"]);
    assert_eq!(raws[3], vec!["A", "重复", "county", ""]);
    // A short row has no level.
    assert!(matches!(rejected[4].finding, Finding::MissingLevel));
    assert_eq!(raws[4], vec!["E", "短行"]);
}

#[test]
fn site_id_is_trimmed_and_blank_id_is_rejected() {
    let text = "site_id,name,level\n  A  ,a,province\n   ,b,county\n";
    let im = imp(text);
    assert_eq!(ids(&im), vec!["A"]);
    assert_eq!(
        counted(&im.report),
        vec![(Severity::Rejected, 3, None)],
        "{}",
        dump(&im.report)
    );
}

// ------------------------------------------------------------ bad cells

#[test]
fn bad_cells_keep_the_row_and_drop_the_value() {
    // line: 1 header, 2..=13 rows
    let text = "\
site_id,name,level,kind,annual_budget,staff,population,monthly_visits,online_services,inspection_score,inspection_passed,reprint_hours
A,a,province,portal,abc,1,100,10,1,50,yes,1
B,b,county,portal,100,-3,100,10,1,50,yes,1
C,c,county,portal,100,1,-5,10,1,50,yes,1
D,d,county,portal,100,1,100,many,1,50,yes,1
E,e,county,portal,100,1,100,10,x,50,yes,1
F,f,county,portal,100,1,100,10,1,101,yes,1
G,g,county,portal,100,1,100,10,1,-1,yes,1
H,h,county,portal,100,1,100,10,1,50,maybe,1
I,i,county,blog,100,1,100,10,1,50,yes,1
J,j,county,portal,100,1,100,10,1,50,yes,-2
K,k,county,department,-1,oops,10,10,1,100.5,perhaps,zz
L,l,county,portal,100,1,100,10,1,0,no,0
";
    let im = imp(text);
    let r = &im.report;
    assert_eq!(im.inventory.len(), 12, "every row is imported");
    assert_eq!(r.rows_read, 12);
    assert_eq!(r.rejected(), 0);

    // A: budget "abc" -> missing = 0
    assert_eq!(site(&im, "A").budget, 0.0);
    // B: staff -3 -> missing = 0
    assert_eq!(site(&im, "B").staff, Decimal::ZERO);
    // C: population -5 -> missing = 0
    assert_eq!(site(&im, "C").population, 0);
    // D: visits "many" -> missing (None)
    assert_eq!(site(&im, "D").monthly_visits, None);
    // E: services "x" -> missing = 0
    assert_eq!(site(&im, "E").online_services, 0);
    // F: score 101 -> missing; G: score -1 -> missing
    assert_eq!(site(&im, "F").inspection_score, None);
    assert_eq!(site(&im, "G").inspection_score, None);
    // H: boolean "maybe" -> missing
    assert_eq!(site(&im, "H").inspection_passed, None);
    // I: kind "blog" -> missing -> default portal
    assert_eq!(site(&im, "I").kind, Kind::Portal);
    // J: reprint -2 -> missing
    assert_eq!(site(&im, "J").reprint_hours, None);
    // K: everything bad at once
    let k = site(&im, "K");
    assert_eq!(k.kind, Kind::Department);
    assert_eq!(k.budget, 0.0);
    assert_eq!(k.staff, Decimal::ZERO);
    assert_eq!(k.inspection_score, None);
    assert_eq!(k.inspection_passed, None);
    assert_eq!(k.reprint_hours, None);
    assert_eq!(k.population, 10);
    // L: boundaries 0 are valid
    let l = site(&im, "L");
    assert_eq!(l.inspection_score, Some(0.0));
    assert_eq!(l.inspection_passed, Some(false));
    assert_eq!(l.reprint_hours, Some(0.0));
    // Good values of the same rows are kept.
    assert_eq!(site(&im, "A").staff, Decimal::ONE);
    assert_eq!(site(&im, "F").budget, 100.0);
    assert_eq!(site(&im, "F").inspection_passed, Some(true));

    let errs: Vec<(u64, &Finding)> = r
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| (i.line, &i.finding))
        .collect();
    let lines: Vec<u64> = errs.iter().map(|e| e.0).collect();
    assert_eq!(
        lines,
        vec![2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 12, 12, 12],
        "{}",
        dump(r)
    );
    assert_eq!(r.errors(), 15);
    assert_eq!(r.warnings(), 0, "{}", dump(r));
    assert!(matches!(errs[0].1, Finding::BadNumber { value } if value == "abc"));
    assert!(matches!(errs[1].1, Finding::NegativeNumber { value } if value == "-3"));
    assert!(matches!(errs[2].1, Finding::NegativeNumber { value } if value == "-5"));
    assert!(matches!(errs[3].1, Finding::BadNumber { value } if value == "many"));
    assert!(matches!(errs[4].1, Finding::BadNumber { value } if value == "x"));
    assert!(matches!(errs[5].1, Finding::ScoreOutOfRange { value } if value == "101"));
    assert!(
        matches!(
            errs[6].1,
            Finding::ScoreOutOfRange { .. } | Finding::NegativeNumber { .. }
        ),
        "{:?}",
        errs[6].1
    );
    assert!(matches!(errs[7].1, Finding::BadBoolean { value } if value == "maybe"));
    assert!(matches!(errs[8].1, Finding::UnknownKind { value } if value == "blog"));
    assert!(matches!(errs[9].1, Finding::NegativeNumber { value } if value == "-2"));
    // Every error names its site.
    for i in r.issues.iter().filter(|i| i.severity == Severity::Error) {
        assert!(i.site_id.is_some(), "{i:?}");
        assert!(i.raw.is_none() || i.severity == Severity::Rejected);
    }
}

// ------------------------------------------------------------- warnings

#[test]
fn missing_name_defaults_to_site_id_with_a_warning() {
    let text = "site_id,name,level\nA,,province\nB,乙,county\nC,  ,county\n";
    let im = imp(text);
    assert_eq!(site(&im, "A").name, "A");
    assert_eq!(site(&im, "B").name, "乙");
    assert_eq!(site(&im, "C").name, "C");
    assert_eq!(
        counted(&im.report),
        vec![
            (Severity::Warning, 2, Some("A".into())),
            (Severity::Warning, 4, Some("C".into())),
        ],
        "{}",
        dump(&im.report)
    );
    assert!(
        im.report
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
            .all(|i| matches!(i.finding, Finding::NameDefaulted))
    );
}

#[test]
fn missing_name_column_defaults_every_name_with_warnings() {
    let text = "site_id,level\nA,province\nB,county\n";
    let im = imp(text);
    assert_eq!(site(&im, "A").name, "A");
    assert_eq!(site(&im, "B").name, "B");
    assert_eq!(im.report.warnings(), 2, "{}", dump(&im.report));
}

#[test]
fn unknown_parent_becomes_top_site_with_warning() {
    let text = "\
site_id,name,level,parent_id
P,p,province,
A,a,county,P
B,b,county,NOPE
C,c,township,B
";
    let im = imp(text);
    let inv = &im.inventory;
    assert_eq!(inv.parent(idx(&im, "B")), None);
    assert_eq!(site(&im, "B").parent, None);
    assert_eq!(inv.parent(idx(&im, "A")), Some(idx(&im, "P")));
    assert_eq!(inv.parent(idx(&im, "C")), Some(idx(&im, "B")));
    assert_eq!(
        counted(&im.report),
        vec![(Severity::Warning, 4, Some("B".into()))],
        "{}",
        dump(&im.report)
    );
    let w = im
        .report
        .issues
        .iter()
        .find(|i| i.severity == Severity::Warning)
        .unwrap();
    assert!(
        matches!(&w.finding, Finding::UnknownParent { parent } if parent == "NOPE"),
        "{:?}",
        w.finding
    );
    assert_eq!(im.report.rejected(), 0);
    assert_eq!(im.report.errors(), 0);
}

#[test]
fn parent_that_was_rejected_is_unknown() {
    // B's parent X is rejected (unknown level): B becomes a top site.
    let text = "site_id,name,level,parent_id\nX,x,mars,\nB,b,county,X\n";
    let im = imp(text);
    assert_eq!(ids(&im), vec!["B"]);
    assert_eq!(site(&im, "B").parent, None);
    assert_eq!(
        counted(&im.report),
        vec![
            (Severity::Rejected, 2, Some("X".into())),
            (Severity::Warning, 3, Some("B".into())),
        ],
        "{}",
        dump(&im.report)
    );
}

fn cycle_warnings(r: &ImportReport) -> Vec<(u64, Vec<String>)> {
    r.issues
        .iter()
        .filter_map(|i| match &i.finding {
            Finding::Cycle { members } => {
                assert_eq!(i.severity, Severity::Warning);
                Some((i.line, members.clone()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn cycle_is_broken_at_the_member_first_in_the_file() {
    let text = "\
site_id,name,level,parent_id
R,r,province,
Q,q,county,P
P,p,county,O
O,o,county,Q
Z,z,township,P
";
    let im = imp(text);
    let inv = &im.inventory;
    let (q, p, o, z) = (idx(&im, "Q"), idx(&im, "P"), idx(&im, "O"), idx(&im, "Z"));
    assert_eq!(inv.parent(q), None, "Q comes first in the file: top site");
    assert_eq!(inv.parent(p), Some(o));
    assert_eq!(inv.parent(o), Some(q));
    assert_eq!(inv.parent(z), Some(p));
    let cw = cycle_warnings(&im.report);
    assert_eq!(
        cw.len(),
        1,
        "one warning for the cycle: {}",
        dump(&im.report)
    );
    assert_eq!(cw[0].0, 3, "warning on Q's line");
    assert_eq!(sorted(&cw[0].1), vec!["O", "P", "Q"], "names the cycle");
    assert_eq!(
        counted(&im.report),
        vec![(Severity::Warning, 3, Some("Q".into()))],
        "{}",
        dump(&im.report)
    );
    assert_eq!(im.inventory.len(), 5);
}

#[test]
fn cycle_entered_from_an_earlier_non_member() {
    // W (not a member) comes first and points into the cycle A2 <-> B2.
    let text = "\
site_id,name,level,parent_id
W,w,township,B2
B2,b,county,A2
A2,a,county,B2
";
    let im = imp(text);
    let inv = &im.inventory;
    let (w, a, b) = (idx(&im, "W"), idx(&im, "A2"), idx(&im, "B2"));
    assert_eq!(inv.parent(b), None, "B2 is the member first in the file");
    assert_eq!(inv.parent(a), Some(b));
    assert_eq!(inv.parent(w), Some(b));
    let cw = cycle_warnings(&im.report);
    assert_eq!(cw.len(), 1, "{}", dump(&im.report));
    assert_eq!(cw[0].0, 3);
    assert_eq!(sorted(&cw[0].1), vec!["A2", "B2"]);
    assert_eq!(im.report.warnings(), 1, "{}", dump(&im.report));
}

#[test]
fn self_parent_is_a_cycle_of_one() {
    let text = "site_id,name,level,parent_id\nS,s,county,S\nT,t,township,S\n";
    let im = imp(text);
    assert_eq!(im.inventory.parent(idx(&im, "S")), None);
    assert_eq!(im.inventory.parent(idx(&im, "T")), Some(idx(&im, "S")));
    let cw = cycle_warnings(&im.report);
    assert_eq!(cw, vec![(2, vec!["S".to_string()])], "{}", dump(&im.report));
    assert_eq!(im.report.warnings(), 1);
}

#[test]
fn two_cycles_two_warnings() {
    let text = "\
site_id,name,level,parent_id
A,a,county,B
B,b,county,A
C,c,county,D
D,d,county,C
";
    let im = imp(text);
    let inv = &im.inventory;
    assert_eq!(inv.parent(idx(&im, "A")), None);
    assert_eq!(inv.parent(idx(&im, "B")), Some(idx(&im, "A")));
    assert_eq!(inv.parent(idx(&im, "C")), None);
    assert_eq!(inv.parent(idx(&im, "D")), Some(idx(&im, "C")));
    let lines: Vec<u64> = cycle_warnings(&im.report).iter().map(|c| c.0).collect();
    assert_eq!(lines, vec![2, 4], "{}", dump(&im.report));
}

#[test]
fn parent_at_lower_level_is_a_warning_only() {
    let text = "\
site_id,name,level,parent_id
X,x,county,
P,p,province,X
Q,q,county,X
T,t,township,X
";
    let im = imp(text);
    let inv = &im.inventory;
    // The link stays.
    assert_eq!(inv.parent(idx(&im, "P")), Some(idx(&im, "X")));
    assert_eq!(inv.parent(idx(&im, "Q")), Some(idx(&im, "X")));
    assert_eq!(inv.parent(idx(&im, "T")), Some(idx(&im, "X")));
    // Only P (level 1 under level 3) is warned; same level and higher are fine.
    assert_eq!(
        counted(&im.report),
        vec![(Severity::Warning, 3, Some("P".into()))],
        "{}",
        dump(&im.report)
    );
    let w = im
        .report
        .issues
        .iter()
        .find(|i| i.severity == Severity::Warning)
        .unwrap();
    assert!(
        matches!(&w.finding, Finding::LevelInversion { parent, .. } if parent == "X"),
        "{:?}",
        w.finding
    );
    assert_eq!(im.inventory.len(), 4);
}

#[test]
fn own_pop_clamp_is_a_warning() {
    let text = "\
site_id,name,level,kind,parent_id,population
P,p,province,portal,,100
A,a,county,portal,P,80
B,b,county,portal,P,50
D,d,county,department,P,1000
Q,q,province,portal,,100
E,e,county,department,Q,500
F,f,county,portal,Q,40
G,g,county,department,,70
H,h,township,portal,G,30
";
    let im = imp(text);
    // own_pop by hand (§2): portal: max(0, pop - Σ portal children); dept: 0.
    // P: 100 - (80 + 50) < 0 -> 0 (clamped). A 80, B 50, D 0 (dept),
    // Q: 100 - 40 = 60 (E is a department, not subtracted), E 0, F 40,
    // G: department -> 0, H 30.
    let (own, _) = own_population(&im.inventory);
    let by_id = |id: &str| own[idx(&im, id)];
    assert_eq!(by_id("P"), 0);
    assert_eq!(by_id("A"), 80);
    assert_eq!(by_id("B"), 50);
    assert_eq!(by_id("D"), 0);
    assert_eq!(by_id("Q"), 60);
    assert_eq!(by_id("E"), 0);
    assert_eq!(by_id("F"), 40);
    assert_eq!(by_id("G"), 0);
    assert_eq!(by_id("H"), 30);
    assert_eq!(
        counted(&im.report),
        vec![(Severity::Warning, 2, Some("P".into()))],
        "{}",
        dump(&im.report)
    );
    let w = im
        .report
        .issues
        .iter()
        .find(|i| i.severity == Severity::Warning)
        .unwrap();
    assert!(
        matches!(
            w.finding,
            Finding::PopulationClamped {
                population: 100,
                children: 130
            }
        ),
        "{:?}",
        w.finding
    );
}

// --------------------------------------------------- whole-file failures

#[test]
fn missing_required_column_fails_listing_expected_and_found() {
    let err = try_imp(b"site_id,name,budget\nA,a,100\n").expect_err("no level column");
    match &err {
        ImportError::MissingColumns { missing, found, .. } => {
            assert_eq!(missing, &vec!["level"]);
            assert_eq!(found, &vec!["site_id", "name", "budget"]);
        }
        other => panic!("expected MissingColumns, got {other:?}"),
    }
    let msg = err.to_string();
    for expected in ["site_id", "level", "annual_budget", "inspection_score"] {
        assert!(msg.contains(expected), "message lists {expected}: {msg}");
    }
    for found in ["name", "budget"] {
        assert!(msg.contains(found), "message lists found {found}: {msg}");
    }
    let zh = err.message(Lang::Zh);
    assert!(zh.contains("层级") && zh.contains("budget"), "{zh}");

    let err = try_imp("名称,备注,层级\na,b,省\n".as_bytes()).expect_err("no site_id column");
    match &err {
        ImportError::MissingColumns { missing, found, .. } => {
            assert_eq!(missing, &vec!["site_id"]);
            assert_eq!(found, &vec!["名称", "备注", "层级"]);
        }
        other => panic!("expected MissingColumns, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.contains("备注") && msg.contains("site_id"), "{msg}");

    let err = try_imp(b"foo,bar\n1,2\n").expect_err("neither column");
    match &err {
        ImportError::MissingColumns { missing, found, .. } => {
            assert_eq!(sorted(missing), vec!["level", "site_id"]);
            assert_eq!(found, &vec!["foo", "bar"]);
        }
        other => panic!("expected MissingColumns, got {other:?}"),
    }
}

#[test]
fn header_only_file_is_an_error() {
    assert!(try_imp(b"site_id,name,level\n").is_err());
    assert!(try_imp(b"site_id,name,level\r\n\r\n,,\r\n  \r\n").is_err());
    assert!(try_imp(b"site_id,name,level").is_err());
}

#[test]
fn empty_file_is_an_error() {
    assert!(try_imp(b"").is_err());
    assert!(try_imp(b"\n\n\r\n").is_err());
    assert!(try_imp(b"   \n\t\n").is_err());
    assert!(try_imp(b"\xEF\xBB\xBF").is_err());
}

#[test]
fn binary_file_is_an_error() {
    let mut bytes: Vec<u8> = (0u8..=255).cycle().take(4096).collect();
    bytes[0] = 0;
    assert!(try_imp(&bytes).is_err());
    // An xlsx (zip) renamed to .csv.
    let mut zip = b"PK\x03\x04\x14\x00\x06\x00".to_vec();
    zip.extend((0u8..200).map(|b| b.wrapping_mul(31)));
    assert!(try_imp(&zip).is_err());
    // An old .xls (OLE).
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend([0u8; 100]);
    assert!(try_imp(&ole).is_err());
}

#[test]
fn import_path_reads_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inv.csv");
    std::fs::write(&path, "site_id,name,level\nA,a,province\n").unwrap();
    let im = import_path(&path, &ImportOptions::default()).unwrap();
    assert_eq!(ids(&im), vec!["A"]);
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    assert!(import_path(&empty, &ImportOptions::default()).is_err());
    assert!(import_path(&dir.path().join("missing.csv"), &ImportOptions::default()).is_err());
}

// ------------------------------------------- blank lines, line ends, quotes

#[test]
fn blank_lines_are_skipped_and_not_counted() {
    // lines: 1 blank, 2 header, 3 A, 4 blank, 5 ",,", 6 B(bad budget), 7 blank,
    // 8 C (no name), 9 blank
    let text = "\nsite_id,name,level,annual_budget\nA,a,province,1\n\n,,,\nB,b,county,zz\n   \nC,,county,3\n\n";
    let im = imp(text);
    assert_eq!(im.report.rows_read, 3, "{}", dump(&im.report));
    assert_eq!(im.report.sites, 3);
    assert_eq!(im.report.rejected(), 0, "blank lines are not rejected rows");
    assert_eq!(site(&im, "A").line, 3);
    assert_eq!(site(&im, "B").line, 6);
    assert_eq!(site(&im, "C").line, 8);
    assert_eq!(
        counted(&im.report),
        vec![
            (Severity::Error, 6, Some("B".into())),
            (Severity::Warning, 8, Some("C".into())),
        ],
        "{}",
        dump(&im.report)
    );
}

const SMALL: &str = "site_id,name,level,parent_id,annual_budget\nP,省,province,,1000\nA,甲,county,P,oops\n\nB,,township,A,30\n";

fn without_lines(im: &Imported) -> Vec<Site> {
    im.inventory
        .sites()
        .iter()
        .map(|s| Site {
            line: 0,
            ..s.clone()
        })
        .collect()
}

#[test]
fn crlf_and_lf_give_the_same_sites() {
    let lf = imp(SMALL);
    let crlf = imp(&SMALL.replace('\n', "\r\n"));
    assert_eq!(without_lines(&lf), without_lines(&crlf));
    assert_eq!(crlf.report.rows_read, 3);
    assert_eq!(site(&crlf, "A").name, "甲", "no stray CR in values");
    assert_eq!(
        site(&crlf, "B").budget,
        30.0,
        "no stray CR in the last cell"
    );
}

#[test]
fn lf_line_numbers_with_an_empty_line() {
    // Lines: 1 header, 2 P, 3 A (bad budget), 4 empty, 5 B (no name).
    let im = imp(SMALL);
    assert_eq!(lines_of(&im), l(&[("P", 2), ("A", 3), ("B", 5)]));
    assert_eq!(
        counted(&im.report),
        vec![
            (Severity::Error, 3, Some("A".into())),
            (Severity::Warning, 5, Some("B".into())),
        ],
        "{}",
        dump(&im.report)
    );
}

#[test]
fn row_after_several_empty_lines_keeps_its_line() {
    // Lines: 1 header, 2 A, 3–5 empty, 6 B (bad budget), 7 C (bad budget).
    let text =
        "site_id,name,level,annual_budget\nA,a,province,1\n\n\n\nB,b,county,x\nC,c,county,y\n";
    let im = imp(text);
    assert_eq!(im.report.rows_read, 3);
    assert_eq!(lines_of(&im), l(&[("A", 2), ("B", 6), ("C", 7)]));
    assert_eq!(
        counted(&im.report),
        vec![
            (Severity::Error, 6, Some("B".into())),
            (Severity::Error, 7, Some("C".into())),
        ],
        "{}",
        dump(&im.report)
    );
}

#[test]
fn crlf_line_numbers() {
    // No empty line: 1 header, 2 A, 3 B (no name), 4 C (bad budget).
    let im = imp(
        "site_id,name,level,annual_budget\r\nA,a,province,1\r\nB,,county,2\r\nC,c,county,z\r\n",
    );
    assert_eq!(lines_of(&im), l(&[("A", 2), ("B", 3), ("C", 4)]));
    assert_eq!(
        counted(&im.report),
        vec![
            (Severity::Warning, 3, Some("B".into())),
            (Severity::Error, 4, Some("C".into())),
        ],
        "{}",
        dump(&im.report)
    );
    // With an empty line: 1 header, 2 P, 3 A (bad budget), 4 empty, 5 B.
    let im = imp(&SMALL.replace('\n', "\r\n"));
    assert_eq!(lines_of(&im), l(&[("P", 2), ("A", 3), ("B", 5)]));
    assert_eq!(
        counted(&im.report),
        vec![
            (Severity::Error, 3, Some("A".into())),
            (Severity::Warning, 5, Some("B".into())),
        ],
        "{}",
        dump(&im.report)
    );
}

#[test]
fn utf8_with_and_without_bom() {
    let plain = imp(SMALL);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(SMALL.as_bytes());
    let with_bom = try_imp(&bom).expect("BOM file imports");
    assert_eq!(lines_of(&plain), lines_of(&with_bom));
    assert_eq!(plain.inventory.sites(), with_bom.inventory.sites());
    assert_eq!(counted(&plain.report), counted(&with_bom.report));
    assert_eq!(
        site(&with_bom, "P").id,
        "P",
        "the BOM is not part of the first id"
    );
    // BOM + CRLF + Chinese headers.
    let zh = "网站标识码,网站名称,层级\r\n甲1,甲,省\r\n";
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(zh.as_bytes());
    let im = try_imp(&bytes).unwrap();
    assert_eq!(ids(&im), vec!["甲1"]);
    assert_eq!(site(&im, "甲1").level, Level::Province);
}

const ZH_FILE: &str = "\
网站标识码,网站名称,层级,类型,上级网站标识码,年度预算（元）,服务人口,检查结果
GD001,广东省人民政府,省,门户,,\"120,000\",12600万,合格
GD002,广州市人民政府,市,门户,GD001,8万,1880万,不合格
GD003,广州市教育局,市,部门,GD002,￥30000元,,是
GD004,越秀区人民政府,区县,门户网站,GD002,1.5万元,100万,否
";

fn check_zh_file(im: &Imported) {
    assert_eq!(
        ids(im),
        vec!["GD001", "GD002", "GD003", "GD004"],
        "{}",
        dump(&im.report)
    );
    assert!(im.report.is_clean(), "{}", dump(&im.report));
    assert_eq!(im.report.warnings(), 0, "{}", dump(&im.report));
    let a = site(im, "GD001");
    assert_eq!(a.name, "广东省人民政府");
    assert_eq!(a.level, Level::Province);
    assert_eq!(a.kind, Kind::Portal);
    assert_eq!(a.budget, 120_000.0);
    assert_eq!(a.population, 126_000_000);
    assert_eq!(a.inspection_passed, Some(true));
    let b = site(im, "GD002");
    assert_eq!(b.name, "广州市人民政府");
    assert_eq!(b.level, Level::Prefecture);
    assert_eq!(b.budget, 80_000.0);
    assert_eq!(b.population, 18_800_000);
    assert_eq!(b.inspection_passed, Some(false));
    assert_eq!(
        im.inventory.parent(idx(im, "GD002")),
        Some(idx(im, "GD001"))
    );
    let c = site(im, "GD003");
    assert_eq!(c.name, "广州市教育局");
    assert_eq!(c.kind, Kind::Department);
    assert_eq!(c.budget, 30_000.0);
    assert_eq!(c.inspection_passed, Some(true));
    let d = site(im, "GD004");
    assert_eq!(d.level, Level::County);
    assert_eq!(d.kind, Kind::Portal);
    assert_eq!(d.budget, 15_000.0);
    assert_eq!(d.population, 1_000_000);
    assert_eq!(d.inspection_passed, Some(false));
}

#[test]
fn gbk_encoded_file() {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(ZH_FILE);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    let im = try_imp(&bytes).expect("GBK imports");
    check_zh_file(&im);
    assert_eq!(site(&im, "GD004").line, 5);
}

#[test]
fn gbk_encoded_file_with_crlf() {
    // CRLF, as Excel writes it. (Line numbers with CRLF are checked in
    // crlf_line_numbers; here the content.)
    let crlf = ZH_FILE.replace('\n', "\r\n");
    let (bytes, _, _) = encoding_rs::GBK.encode(&crlf);
    check_zh_file(&try_imp(&bytes).unwrap());
}

#[test]
fn gb18030_encoded_file() {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(ZH_FILE);
    assert!(!unmappable);
    let im = try_imp(&bytes).unwrap();
    check_zh_file(&im);
    assert_eq!(site(&im, "GD004").line, 5);
}

#[test]
fn utf8_chinese_file() {
    let im = imp(ZH_FILE);
    check_zh_file(&im);
    assert_eq!(site(&im, "GD004").line, 5);
}

const MULTI_LINE: &str = "\
site_id,name,level,annual_budget
A,\"two
lines\",province,100
B,b,county,abc
C,\"x
y
z\",county,
D,,county,5
";

fn lines_of(im: &Imported) -> Vec<(String, u64)> {
    im.inventory
        .sites()
        .iter()
        .map(|s| (s.id.to_string(), s.line))
        .collect()
}

fn l(v: &[(&str, u64)]) -> Vec<(String, u64)> {
    v.iter().map(|(a, b)| (a.to_string(), *b)).collect()
}

#[test]
fn multi_line_quoted_fields_keep_line_numbers() {
    let im = imp(MULTI_LINE);
    assert_eq!(site(&im, "A").name, "two\nlines");
    assert_eq!(site(&im, "A").line, 2);
    assert_eq!(site(&im, "B").line, 4);
    assert_eq!(site(&im, "C").line, 5);
    assert_eq!(site(&im, "D").line, 8);
    assert_eq!(im.report.rows_read, 4);
    assert_eq!(
        counted(&im.report),
        vec![
            (Severity::Error, 4, Some("B".into())),
            (Severity::Warning, 8, Some("D".into())),
        ],
        "{}",
        dump(&im.report)
    );
}

#[test]
fn multi_line_quoted_fields_keep_line_numbers_crlf() {
    let im = imp(&MULTI_LINE.replace('\n', "\r\n"));
    assert_eq!(site(&im, "A").name, "two\r\nlines");
    assert_eq!(lines_of(&im), l(&[("A", 2), ("B", 4), ("C", 5), ("D", 8)]));
    assert_eq!(
        counted(&im.report),
        vec![
            (Severity::Error, 4, Some("B".into())),
            (Severity::Warning, 8, Some("D".into())),
        ]
    );
}

#[test]
fn unclosed_quote_is_an_error_not_a_panic() {
    let text = "site_id,name,level\nA,a,province\nB,\"unclosed,county\nC,c,county\nD,d,county\n";
    match try_imp(text.as_bytes()) {
        Err(_) => {}
        Ok(im) => {
            let r = &im.report;
            let at3: Vec<_> = r
                .issues
                .iter()
                .filter(|i| {
                    matches!(i.severity, Severity::Error | Severity::Rejected) && i.line == 3
                })
                .collect();
            assert!(!at3.is_empty(), "an error at line 3: {}", dump(r));
            assert!(r.errors() + r.rejected() > 0);
            assert_eq!(site(&im, "A").line, 2);
        }
    }
    // At the very end, too.
    let text = "site_id,name,level\nA,a,province\nB,\"b,county";
    match try_imp(text.as_bytes()) {
        Err(_) => {}
        Ok(im) => assert!(
            im.report.errors() + im.report.rejected() > 0,
            "{}",
            dump(&im.report)
        ),
    }
    // In the header.
    let text = "site_id,\"name,level\nA,a,province\n";
    let _ = try_imp(text.as_bytes());
}

// ------------------------------------------------------- column aliases

/// A two-site file; the second site (C) has a distinct value in every
/// column. Headers canonical unless replaced.
const CANON: [&str; 15] = [
    "site_id",
    "name",
    "url",
    "level",
    "kind",
    "parent_id",
    "region",
    "annual_budget",
    "staff",
    "population",
    "monthly_visits",
    "online_services",
    "inspection_score",
    "inspection_passed",
    "reprint_hours",
];
const ROW_P: [&str; 15] = [
    "P",
    "Top",
    "www.p.gov.cn",
    "province",
    "portal",
    "",
    "R1",
    "1000",
    "3",
    "500",
    "70",
    "7",
    "80",
    "yes",
    "5",
];
const ROW_C: [&str; 15] = [
    "C",
    "Child",
    "www.c.gov.cn",
    "county",
    "department",
    "P",
    "R2",
    "2000",
    "2",
    "100",
    "60",
    "6",
    "55",
    "no",
    "12",
];

fn file_with_header(col: usize, header: &str) -> String {
    let mut h: Vec<String> = CANON.iter().map(|s| s.to_string()).collect();
    h[col] = header.to_string();
    let quote = |v: &[String]| {
        v.iter()
            .map(|c| {
                if c.contains(',') || c.contains('"') {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    let p: Vec<String> = ROW_P.iter().map(|s| s.to_string()).collect();
    let c: Vec<String> = ROW_C.iter().map(|s| s.to_string()).collect();
    format!("{}\n{}\n{}\n", quote(&h), quote(&p), quote(&c))
}

fn check_canonical_sites(im: &Imported, what: &str) {
    assert_eq!(ids(im), vec!["P", "C"], "{what}");
    assert!(im.report.is_clean(), "{what}: {}", dump(&im.report));
    assert_eq!(im.report.warnings(), 0, "{what}: {}", dump(&im.report));
    let c = site(im, "C");
    assert_eq!(c.name, "Child", "{what}");
    assert_eq!(c.url, "www.c.gov.cn", "{what}");
    assert_eq!(c.level, Level::County, "{what}");
    assert_eq!(c.kind, Kind::Department, "{what}");
    assert_eq!(c.parent_id, "P", "{what}");
    assert_eq!(c.parent_index(), Some(idx(im, "P")), "{what}");
    assert_eq!(c.region, "R2", "{what}");
    assert_eq!(c.budget, 2000.0, "{what}");
    assert_eq!(c.staff, Decimal::TWO, "{what}");
    assert_eq!(c.population, 100, "{what}");
    assert_eq!(c.monthly_visits, Some(60), "{what}");
    assert_eq!(c.online_services, 6, "{what}");
    assert_eq!(c.inspection_score, Some(55.0), "{what}");
    assert_eq!(c.inspection_passed, Some(false), "{what}");
    assert_eq!(c.reprint_hours, Some(12.0), "{what}");
    let p = site(im, "P");
    assert_eq!(p.level, Level::Province, "{what}");
    assert_eq!(p.inspection_passed, Some(true), "{what}");
    assert_eq!(p.budget, 1000.0, "{what}");
}

#[test]
fn canonical_headers() {
    check_canonical_sites(&imp(&file_with_header(0, "site_id")), "canonical");
}

#[test]
fn every_documented_column_alias() {
    // MODEL.md §1 table, "aliases (at least)".
    let aliases: [(usize, &[&str]); 15] = [
        (0, &["id", "网站标识码", "站点编号", "编号"]),
        (1, &["网站名称", "名称"]),
        (2, &["网址", "域名"]),
        (3, &["层级", "级别", "行政级别"]),
        (4, &["类型", "网站类型"]),
        (5, &["上级网站标识码", "上级编号", "上级"]),
        (6, &["地区", "行政区划", "区划代码"]),
        (7, &["budget", "年度预算", "年预算"]),
        (8, &["人员", "工作人员", "人员数"]),
        (9, &["服务人口", "人口"]),
        (10, &["月访问量", "访问量"]),
        (11, &["在线服务事项", "服务事项", "办事事项"]),
        (12, &["检查得分", "得分", "评分"]),
        (13, &["检查结果", "是否合格", "合格"]),
        (14, &["转载时效", "转载时效小时"]),
    ];
    for (col, names) in aliases {
        for name in names {
            let text = file_with_header(col, name);
            let im = match try_imp(text.as_bytes()) {
                Ok(im) => im,
                Err(e) => panic!("alias {name:?} for {}: {e}", CANON[col]),
            };
            check_canonical_sites(&im, &format!("alias {name:?} for {}", CANON[col]));
        }
    }
}

#[test]
fn header_case_spaces_and_units() {
    // Case, surrounding white space, units in full- and half-width parentheses.
    let variants: [(usize, &[&str]); 10] = [
        (0, &["SITE_ID", " Site_Id ", "ID", "  网站标识码  "]),
        (3, &["LEVEL", " Level\t", "层级（行政）"]),
        (4, &["Kind", "KIND "]),
        (
            7,
            &[
                "年度预算（元）",
                "年度预算(元)",
                "年预算（万元）",
                " 年度预算 (元) ",
                "Annual_Budget",
                "annual_budget (yuan)",
                "BUDGET（元）",
                "年度预算（元)",
                "年度预算(元）",
            ],
        ),
        (8, &["人员数（人）", "人员(人)"]),
        (9, &["服务人口（人）", "人口(人)", "Population"]),
        (10, &["月访问量（次）", "访问量(次)"]),
        (11, &["在线服务事项（项）", "办事事项(项)"]),
        (12, &["检查得分（分）", "得分(分)", "Inspection_Score"]),
        (
            14,
            &["转载时效（小时）", "转载时效(小时)", "Reprint_Hours (h)"],
        ),
    ];
    for (col, names) in variants {
        for name in names {
            let text = file_with_header(col, name);
            let im = match try_imp(text.as_bytes()) {
                Ok(im) => im,
                Err(e) => panic!("header {name:?} for {}: {e}", CANON[col]),
            };
            check_canonical_sites(&im, &format!("header {name:?} for {}", CANON[col]));
        }
    }
}

#[test]
fn chinese_header_file_with_units() {
    let text = "\
网站标识码,网站名称,网址,层级,网站类型,上级网站标识码,地区,年度预算（元）,人员数（人）,服务人口(人),月访问量（次）,在线服务事项（项）,检查得分（分）,是否合格,转载时效（小时）
P,Top,www.p.gov.cn,省级,政府门户,,R1,1000,3,500,70,7,80,是,5
C,Child,www.c.gov.cn,县级,部门网站,P,R2,2000,2,100,60,6,55,否,12
";
    check_canonical_sites(&imp(text), "chinese headers");
}

#[test]
fn unknown_columns_are_ignored() {
    let text = "site_id,备注,level,whatever\nA,note,province,x\n";
    let im = imp(text);
    assert_eq!(ids(&im), vec!["A"]);
    assert!(im.report.is_clean());
}

// -------------------------------------------------------- value aliases

#[test]
fn every_level_value() {
    let cases: &[(&str, Level)] = &[
        ("national", Level::National),
        ("国家", Level::National),
        ("国家级", Level::National),
        ("中央", Level::National),
        ("0", Level::National),
        ("province", Level::Province),
        ("省", Level::Province),
        ("省级", Level::Province),
        ("1", Level::Province),
        ("prefecture", Level::Prefecture),
        ("市", Level::Prefecture),
        ("市级", Level::Prefecture),
        ("地市", Level::Prefecture),
        ("地市级", Level::Prefecture),
        ("地级", Level::Prefecture),
        ("2", Level::Prefecture),
        ("county", Level::County),
        ("县", Level::County),
        ("县级", Level::County),
        ("区县", Level::County),
        ("县区", Level::County),
        ("3", Level::County),
        ("township", Level::Township),
        ("乡镇", Level::Township),
        ("乡", Level::Township),
        ("镇", Level::Township),
        ("街道", Level::Township),
        ("乡镇级", Level::Township),
        ("4", Level::Township),
    ];
    let mut text = String::from("site_id,name,level\n");
    for (i, (v, _)) in cases.iter().enumerate() {
        text.push_str(&format!("L{i},n,{v}\n"));
    }
    text.push_str("BAD5,n,5\nBAD6,n,-1\n");
    let im = imp(&text);
    for (i, (v, want)) in cases.iter().enumerate() {
        assert_eq!(site(&im, &format!("L{i}")).level, *want, "level {v:?}");
    }
    assert!(im.inventory.find("BAD5").is_none());
    assert!(im.inventory.find("BAD6").is_none());
    assert_eq!(im.report.rejected(), 2);
    let n = cases.len() as u64;
    assert_eq!(
        counted(&im.report),
        vec![
            (Severity::Rejected, n + 2, Some("BAD5".into())),
            (Severity::Rejected, n + 3, Some("BAD6".into())),
        ]
    );
    // Lower number = higher level.
    assert!(Level::National < Level::Province && Level::County < Level::Township);
}

#[test]
fn every_kind_value() {
    let cases: &[(&str, Kind)] = &[
        ("portal", Kind::Portal),
        ("门户", Kind::Portal),
        ("政府门户", Kind::Portal),
        ("门户网站", Kind::Portal),
        ("department", Kind::Department),
        ("部门", Kind::Department),
        ("部门网站", Kind::Department),
        ("", Kind::Portal),
    ];
    let mut text = String::from("site_id,name,level,kind\n");
    for (i, (v, _)) in cases.iter().enumerate() {
        text.push_str(&format!("K{i},n,county,{v}\n"));
    }
    let im = imp(&text);
    assert!(im.report.is_clean(), "{}", dump(&im.report));
    for (i, (v, want)) in cases.iter().enumerate() {
        assert_eq!(site(&im, &format!("K{i}")).kind, *want, "kind {v:?}");
    }
}

#[test]
fn every_boolean_value() {
    let cases: &[(&str, bool)] = &[
        ("yes", true),
        ("no", false),
        ("true", true),
        ("false", false),
        ("y", true),
        ("n", false),
        ("1", true),
        ("0", false),
        ("pass", true),
        ("fail", false),
        ("是", true),
        ("否", false),
        ("合格", true),
        ("不合格", false),
        ("通过", true),
        ("未通过", false),
    ];
    let mut text = String::from("site_id,name,level,inspection_passed\n");
    for (i, (v, _)) in cases.iter().enumerate() {
        text.push_str(&format!("B{i},n,county,{v}\n"));
    }
    text.push_str("BE,n,county,\n");
    let im = imp(&text);
    assert!(im.report.is_clean(), "{}", dump(&im.report));
    for (i, (v, want)) in cases.iter().enumerate() {
        assert_eq!(
            site(&im, &format!("B{i}")).inspection_passed,
            Some(*want),
            "boolean {v:?}"
        );
    }
    assert_eq!(site(&im, "BE").inspection_passed, None, "empty = missing");
}

#[test]
fn number_formats() {
    // (budget cell, expected yuan, exactly: MODEL.md §7)
    let cases: &[(&str, f64)] = &[
        ("\"20,000\"", 20_000.0),
        ("\"1,234,567\"", 1_234_567.0),
        ("\"1,234.5\"", 1_234.5),
        ("¥3000", 3_000.0),
        ("￥3000", 3_000.0),
        ("3000元", 3_000.0),
        ("2.5万", 25_000.0),
        ("2.5万元", 25_000.0),
        ("1.14万", 11_400.0),
        ("1.2345万", 12_345.0),
        ("\"20,000.50\"", 20_000.5),
        ("\"¥20,000\"", 20_000.0),
        ("\"￥20,000元\"", 20_000.0),
        ("12.75", 12.75),
        (" 42 ", 42.0),
        ("0", 0.0),
        ("", 0.0),
    ];
    let mut text = String::from("site_id,name,level,annual_budget\n");
    for (i, (v, _)) in cases.iter().enumerate() {
        text.push_str(&format!("N{i},n,county,{v}\n"));
    }
    let im = imp(&text);
    assert!(im.report.is_clean(), "{}", dump(&im.report));
    for (i, (v, want)) in cases.iter().enumerate() {
        let got = site(&im, &format!("N{i}")).budget;
        assert_eq!(got, *want, "budget {v:?}");
    }
}

#[test]
fn whole_number_formats() {
    let text = "\
site_id,name,level,population,monthly_visits,online_services
A,a,county,\"20,000\",2.5万,\"1,000\"
B,b,county,1.2万,0,12
C,c,county,3万人,x,7
";
    let im = imp(text);
    let a = site(&im, "A");
    assert_eq!(a.population, 20_000);
    assert_eq!(a.monthly_visits, Some(25_000));
    assert_eq!(a.online_services, 1_000);
    let b = site(&im, "B");
    assert_eq!(b.population, 12_000);
    assert_eq!(b.monthly_visits, Some(0));
    assert_eq!(b.online_services, 12);
    // "3万人" is not a documented format; "x" is not a number.
    let c = site(&im, "C");
    assert_eq!(c.monthly_visits, None);
    assert_eq!(c.online_services, 7);
    let errs: Vec<u64> = im
        .report
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| i.line)
        .collect();
    assert!(errs.iter().all(|&l| l == 4), "{}", dump(&im.report));
    assert!(!errs.is_empty());
}

// ------------------------------------------------------------ write_csv

#[test]
fn write_csv_round_trips_in_both_languages() {
    let text = "\
site_id,name,url,level,kind,parent_id,region,annual_budget,staff,population,monthly_visits,online_services,inspection_score,inspection_passed,reprint_hours
P,\"Top, \"\"quoted\"\"\",www.p.gov.cn,province,portal,,R1,1000.25,3.5,500,,7,80.5,yes,
C,子站,,county,department,P,,2.5万,0,0,60,0,,,12.5
D,丁,,township,portal,C,R3,0,1,70,5,1,99,no,0
";
    let im = imp(text);
    for lang in [Lang::Zh, Lang::En] {
        let mut out = Vec::new();
        write_csv(im.inventory.sites(), &mut out, lang).unwrap();
        let back = try_imp(&out).expect("written CSV imports");
        assert!(back.report.is_clean(), "{}", dump(&back.report));
        assert_eq!(back.report.warnings(), 0, "{}", dump(&back.report));
        // Every field but the line (see write_csv_output_line_numbers).
        assert_eq!(without_lines(&back), without_lines(&im), "{lang:?}");
    }
}

#[test]
fn write_csv_output_line_numbers() {
    // write_csv writes CRLF; re-imported, the sites are on lines 2, 3, 4 of
    // the written file, as in the original.
    let text = "site_id,name,level,parent_id\nP,p,province,\nC,c,county,P\nD,d,township,C\n";
    let im = imp(text);
    let mut out = Vec::new();
    write_csv(im.inventory.sites(), &mut out, Lang::En).unwrap();
    let back = try_imp(&out).unwrap();
    assert_eq!(lines_of(&back), l(&[("P", 2), ("C", 3), ("D", 4)]));
}
