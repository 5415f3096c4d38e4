//! Spreadsheet inventories: an `.xlsx` (written here with rust_xlsxwriter)
//! and a hand-made `.ods` import like their CSV twin, and so do the `.xls`
//! and `.ods` that LibreOffice saved from `tests/fixtures/inventory.csv`
//! (small binaries committed in `tests/fixtures`: nothing in the tree
//! writes those formats; `soffice --headless --convert-to xls` made them).

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use sitefold::i18n::Lang;
use sitefold::inventory::{
    Finding, ImportError, ImportOptions, Imported, Severity, import_bytes, import_path,
    sheet_names, sheet_names_of,
};
use sitefold::plan::RuleSet;
use sitefold::workspace::Workspace;

/// One cell of the test table.
#[derive(Clone, Copy)]
enum C {
    S(&'static str),
    N(f64),
    B(bool),
    /// A date (year, month, day).
    D(u16, u8, u8),
    /// An error cell (`#N/A`).
    E,
    /// Nothing.
    Blank,
}

impl C {
    /// The cell as the CSV twin writes it.
    fn csv(self) -> String {
        match self {
            C::S(s) => {
                if s.contains(',') {
                    format!("\"{s}\"")
                } else {
                    s.to_string()
                }
            }
            C::N(v) => {
                if v.fract() == 0.0 {
                    format!("{}", v as i64)
                } else {
                    format!("{v}")
                }
            }
            C::B(b) => b.to_string(),
            C::D(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
            C::E => "#N/A".into(),
            C::Blank => String::new(),
        }
    }
}

const HEADER: [&str; 12] = [
    "网站标识码",
    "网站名称",
    "层级",
    "类型",
    "上级网站标识码",
    "年度预算（元）",
    "服务人口",
    "在线服务事项",
    "检查得分",
    "检查结果",
    "转载时效（小时）",
    "上线日期",
];

/// Data rows; `None` is an empty row.
fn rows() -> Vec<Option<Vec<C>>> {
    use C::*;
    vec![
        Some(vec![
            S("P"),
            S("省政府"),
            S("省"),
            S("门户"),
            Blank,
            N(1_000_000.0),
            N(5_000_000.0),
            N(20.0),
            N(92.5),
            B(true),
            N(2.0),
            D(2010, 1, 5),
        ]),
        Some(vec![
            S("C1"),
            S("市一"),
            S("市"),
            S("门户"),
            S("P"),
            S("20,000"),
            N(800_000.0),
            N(10.0),
            N(75.0),
            B(true),
            N(12.0),
            D(2012, 6, 30),
        ]),
        Some(vec![
            S("C2"),
            S("市二"),
            S("市"),
            S("门户"),
            S("P"),
            S("2.5万"),
            N(600_000.0),
            N(8.0),
            E,
            S("合格"),
            N(1.5),
            D(2015, 12, 1),
        ]),
        None,
        Some(vec![
            S("T1"),
            S("镇一"),
            S("乡镇"),
            S("门户"),
            S("C1"),
            N(2000.0),
            N(30_000.0),
            N(2.0),
            N(45.0),
            B(false),
            N(72.0),
            D(2018, 3, 1),
        ]),
        Some(vec![
            S("T2"),
            S("镇二"),
            S("乡镇"),
            S("部门"),
            S("C1"),
            N(12_345.67),
            N(0.0),
            N(1.0),
            N(61.0),
            Blank,
            Blank,
            Blank,
        ]),
        Some(vec![
            S("X9"),
            S("坏层级"),
            S("星球"),
            S("门户"),
            S("P"),
            N(1.0),
            N(1.0),
            N(1.0),
            N(1.0),
            B(true),
            N(1.0),
            D(2024, 3, 1),
        ]),
        Some(vec![
            S("T1"),
            S("重复"),
            S("乡镇"),
            S("门户"),
            S("C1"),
            N(1.0),
            N(1.0),
            N(1.0),
            N(1.0),
            B(true),
            N(1.0),
            Blank,
        ]),
        Some(vec![
            S("T3"),
            S("镇三"),
            S("乡镇"),
            S("门户"),
            S("C2"),
            S("abc"),
            N(20_000.0),
            N(3.0),
            N(58.0),
            S("否"),
            N(30.0),
            Blank,
        ]),
    ]
}

/// The table starts at this sheet row and column (0-based): C3.
const TOP: u32 = 2;
const LEFT: u16 = 2;

/// The CSV twin: blank lines above the header so that its line numbers are
/// the sheet's row numbers.
fn csv_twin() -> String {
    let mut s = "\n".repeat(TOP as usize);
    s.push_str(&HEADER.join(","));
    s.push('\n');
    for row in rows() {
        if let Some(cells) = row {
            // Every row as wide as the header, as a spreadsheet saves it
            // (a shorter row is a row cut short, reported).
            let mut cells: Vec<String> = cells.iter().map(|c| c.csv()).collect();
            cells.resize(cells.len().max(HEADER.len()), String::new());
            s.push_str(&cells.join(","));
        }
        s.push('\n');
    }
    s
}

fn write_table(ws: &mut Worksheet) {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let blank = Format::new().set_bold();
    for (i, h) in HEADER.iter().enumerate() {
        ws.write_string(TOP, LEFT + i as u16, *h).expect("header");
    }
    // An empty trailing column: a formatted blank and spaces.
    let trailing = LEFT + HEADER.len() as u16;
    ws.write_blank(TOP, trailing, &blank).expect("blank");
    for (r, row) in rows().into_iter().enumerate() {
        let r = TOP + 1 + r as u32;
        let Some(cells) = row else { continue };
        for (i, cell) in cells.into_iter().enumerate() {
            let c = LEFT + i as u16;
            match cell {
                C::S(s) => {
                    ws.write_string(r, c, s).expect("string");
                }
                C::N(v) => {
                    ws.write_number(r, c, v).expect("number");
                }
                C::B(b) => {
                    ws.write_boolean(r, c, b).expect("bool");
                }
                C::D(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(y, m, d).expect("date");
                    ws.write_datetime_with_format(r, c, &dt, &date)
                        .expect("date");
                }
                C::E => {
                    ws.write_formula(r, c, "=NA()").expect("formula");
                    ws.set_formula_result(r, c, "#N/A");
                }
                C::Blank => {}
            }
        }
        ws.write_string(r, trailing, "   ").expect("spaces");
    }
}

/// A workbook with an instructions sheet first and the table second.
fn workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("说明").expect("name");
    notes
        .write_string(0, 0, "请在“网站清单”表中填写")
        .expect("note");
    let ws = wb.add_worksheet();
    ws.set_name("网站清单").expect("name");
    write_table(ws);
    wb.save_to_buffer().expect("xlsx")
}

fn save(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write fixture");
    p
}

fn sheet(name: &str) -> ImportOptions {
    ImportOptions {
        mapping: None,
        sheet: Some(name.to_string()),
        ..Default::default()
    }
}

fn rules() -> RuleSet {
    let (rules, issues) = RuleSet::parse(
        "[[rules]]\nname = \"乡镇并入\"\naction = \"merge\"\nlevels = [\"乡镇\"]\n",
        "rules.toml",
    );
    assert!(issues.is_empty(), "{issues:?}");
    rules
}

/// The spreadsheet import equals the CSV one: sites (with their row
/// numbers), every issue, and the summary with and without rules.
fn assert_twins(sheet: &Imported, csv: &Imported) {
    assert_eq!(sheet.header, csv.header);
    assert_eq!(sheet.mapping, csv.mapping);
    assert_eq!(sheet.inventory.sites(), csv.inventory.sites());
    assert_eq!(sheet.report.rows_read, csv.report.rows_read);
    assert_eq!(sheet.report.sites, csv.report.sites);
    // A rejected row's raw cells: the sheet keeps no trailing empty cells,
    // the CSV twin (every row as wide as the header) does.
    let trimmed = |r: &Imported| -> Vec<_> {
        r.report
            .issues
            .iter()
            .cloned()
            .map(|mut i| {
                if let Some(raw) = &mut i.raw {
                    while raw.last().is_some_and(String::is_empty) {
                        raw.pop();
                    }
                }
                i
            })
            .collect()
    };
    assert_eq!(trimmed(sheet), trimmed(csv));
    assert!(sheet.report.location_is_row);
    let mut a = Workspace::new(sheet.clone());
    let mut b = Workspace::new(csv.clone());
    assert_eq!(a.summary(), b.summary());
    a.rules = rules();
    b.rules = rules();
    assert_eq!(a.summary(), b.summary());
    assert_eq!(a.summary().sites.after, 3, "the townships merge");
}

#[test]
fn xlsx_imports_like_its_csv_twin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = save(dir.path(), "清单.xlsx", &workbook());
    let xlsx = import_path(&path, &sheet("网站清单")).expect("xlsx imports");
    let csv = import_bytes(csv_twin().as_bytes(), "twin.csv", &ImportOptions::default())
        .expect("csv imports");
    assert_twins(&xlsx, &csv);
    assert!(xlsx.report.encoding.contains("网站清单"));

    // Cell conversions, seen through the sites.
    let inv = &xlsx.inventory;
    let site = |id: &str| inv.site(inv.find(id).expect(id));
    assert_eq!(site("C1").budget, 20_000.0, "number stored as text");
    assert_eq!(site("C2").budget, 25_000.0, "2.5万 stored as text");
    assert_eq!(site("T1").budget, 2000.0);
    assert_eq!(site("T2").budget, 12_345.67);
    assert_eq!(site("C2").reprint_hours, Some(1.5));
    assert_eq!(site("P").inspection_passed, Some(true));
    assert_eq!(site("T1").inspection_passed, Some(false));
    assert_eq!(site("C2").inspection_score, None, "#N/A is a bad cell");

    // Reports give sheet rows (the header is on row 3, data from row 4,
    // row 7 is empty) and columns counted from the table's first column.
    let r = &xlsx.report;
    let at = |f: &dyn Fn(&Finding) -> bool| {
        r.issues
            .iter()
            .find(|i| f(&i.finding))
            .map(|i| (i.severity, i.line, i.column))
    };
    assert_eq!(
        at(&|f| matches!(f, Finding::BadNumber { value } if value == "#N/A")),
        Some((Severity::Error, 6, Some(9)))
    );
    assert_eq!(
        at(&|f| matches!(f, Finding::UnknownLevel { .. })),
        Some((Severity::Rejected, 10, Some(3)))
    );
    assert_eq!(
        at(&|f| matches!(f, Finding::DuplicateSiteId { first_line: 8, .. })),
        Some((Severity::Rejected, 11, Some(1)))
    );
    assert_eq!(
        at(&|f| matches!(f, Finding::BadNumber { value } if value == "abc")),
        Some((Severity::Error, 12, Some(6)))
    );
    assert_eq!(
        at(&|f| matches!(f, Finding::IgnoredHeader { header } if header == "上线日期")),
        Some((Severity::Info, 3, Some(12)))
    );
    // The rejected row keeps its raw cells, the date as ISO text.
    let rejected = r
        .issues
        .iter()
        .find(|i| matches!(i.finding, Finding::UnknownLevel { .. }))
        .expect("rejected row");
    let raw = rejected.raw.as_ref().expect("raw row");
    assert_eq!(raw.last().map(String::as_str), Some("2024-03-01"));
    assert_eq!(raw[5], "1");
    assert!(
        r.render_issue(rejected, Lang::En)
            .starts_with(&format!("{}:10:3", path.display())),
        "{}",
        r.render_issue(rejected, Lang::En)
    );
}

#[test]
fn sheets_are_listed_and_chosen() {
    let bytes = workbook();
    assert_eq!(
        sheet_names(&bytes, "xlsx").expect("names"),
        vec!["说明".to_string(), "网站清单".to_string()]
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = save(dir.path(), "book.xlsx", &bytes);
    assert_eq!(sheet_names_of(&path).expect("names").len(), 2);
    // The first sheet is the default: it has no inventory columns.
    match import_path(&path, &ImportOptions::default()) {
        Err(ImportError::MissingColumns { found, .. }) => {
            assert_eq!(found, vec!["请在“网站清单”表中填写".to_string()]);
        }
        other => panic!(
            "expected missing columns, got {:?}",
            other.map(|i| i.report)
        ),
    }
    // By position and ignoring case and spaces, too.
    assert!(import_path(&path, &sheet("2")).is_ok());
    assert!(import_path(&path, &sheet(" 网站清单 ")).is_ok());
    // An unknown sheet lists the sheets.
    let err = import_path(&path, &sheet("汇总")).expect_err("unknown sheet");
    assert!(matches!(err, ImportError::Spreadsheet { .. }));
    let en = err.message(Lang::En);
    assert!(
        en.contains("汇总") && en.contains("说明") && en.contains("网站清单"),
        "{en}"
    );
    assert!(en.contains("book.xlsx"), "{en}");
    assert!(err.message(Lang::Zh).contains("没有名为“汇总”的工作表"));
}

#[test]
fn hidden_first_sheet_is_skipped_by_default() {
    let mut wb = Workbook::new();
    let lookup = wb.add_worksheet();
    lookup.set_name("代码表").expect("name");
    lookup.write_string(0, 0, "省").expect("cell");
    lookup.set_hidden(true);
    let ws = wb.add_worksheet();
    ws.set_active(true);
    write_table(ws);
    let bytes = wb.save_to_buffer().expect("xlsx");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = save(dir.path(), "hidden.xlsx", &bytes);
    let imported = import_path(&path, &ImportOptions::default()).expect("imports");
    assert_eq!(imported.report.sites, 6);
}

/// A title row, a two-row header with merged cells, and a parent written
/// once for a block of sites.
#[test]
fn titles_and_merged_cells() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    ws.merge_range(0, 0, 0, 5, "某省政府网站名录（2024年）", &f)
        .expect("title");
    ws.merge_range(1, 0, 2, 0, "网站\n标识码", &f).expect("id");
    ws.merge_range(1, 1, 2, 1, "层级", &f).expect("level");
    ws.merge_range(1, 2, 2, 2, "上级", &f).expect("parent");
    ws.merge_range(1, 3, 1, 4, "检查情况", &f).expect("group");
    ws.write_string(2, 3, "得分").expect("score");
    ws.write_string(2, 4, "是否合格").expect("result");
    ws.write_string(1, 5, "年度预算").expect("budget");
    type Row<'a> = (&'a str, &'a str, Option<&'a str>, f64, &'a str, f64);
    let data: [Row; 5] = [
        ("P", "省", None, 90.0, "合格", 100.0),
        ("C", "市", Some("P"), 80.0, "合格", 50.0),
        ("T1", "乡镇", Some("C"), 40.0, "不合格", 1.0),
        ("T2", "乡镇", None, 50.0, "不合格", 2.0),
        ("T3", "乡镇", None, 70.0, "合格", 3.0),
    ];
    for (i, (id, level, parent, score, result, budget)) in data.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string(r, 0, *id).expect("id");
        ws.write_string(r, 1, *level).expect("level");
        ws.write_number(r, 3, *score).expect("score");
        ws.write_string(r, 4, *result).expect("result");
        ws.write_number(r, 5, *budget).expect("budget");
        if let Some(p) = parent {
            if *id == "T1" {
                // C is the parent of T1, T2 and T3: written once, merged down.
                ws.merge_range(r, 2, r + 2, 2, p, &f)
                    .expect("merged parent");
            } else {
                ws.write_string(r, 2, *p).expect("parent");
            }
        }
    }
    let bytes = wb.save_to_buffer().expect("xlsx");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = save(dir.path(), "merged.xlsx", &bytes);
    let imported = import_path(&path, &ImportOptions::default()).expect("imports");
    assert_eq!(
        imported.header,
        vec!["网站标识码", "层级", "上级", "得分", "是否合格", "年度预算"]
    );
    let r = &imported.report;
    assert_eq!((r.rows_read, r.sites), (5, 5), "{:#?}", r.issues);
    assert!(r.is_clean(), "{:#?}", r.issues);
    let inv = &imported.inventory;
    for id in ["T1", "T2", "T3"] {
        let s = inv.site(inv.find(id).expect(id));
        assert_eq!(s.parent_id, "C", "{id}");
        assert_eq!(s.line, inv.find(id).expect(id) as u64 + 4, "{id}");
    }
    let t2 = inv.site(inv.find("T2").expect("T2"));
    assert_eq!(t2.inspection_score, Some(50.0));
    assert_eq!(t2.inspection_passed, Some(false));
    assert_eq!(t2.line, 7);
}

#[test]
fn damaged_and_misnamed_files_give_errors_not_panics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = workbook();

    // Truncated at many places.
    for cut in [10, 100, good.len() / 3, good.len() / 2, good.len() - 30] {
        let path = save(dir.path(), "cut.xlsx", &good[..cut]);
        let err = import_path(&path, &sheet("网站清单")).expect_err("truncated");
        assert!(matches!(err, ImportError::Spreadsheet { .. }), "{err:?}");
        let msg = err.message(Lang::En);
        assert!(msg.contains("cut.xlsx") && msg.contains("damaged"), "{msg}");
        assert!(err.message(Lang::Zh).contains("已损坏"), "{msg}");
    }

    // Random bytes, with and without a zip signature.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut noise: Vec<u8> = (0..100_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    noise[0] = 0x01;
    let path = save(dir.path(), "noise.xlsx", &noise);
    let err = import_path(&path, &ImportOptions::default()).expect_err("noise");
    assert!(
        err.message(Lang::En).contains("not a valid .xlsx workbook"),
        "{err}"
    );
    noise[..4].copy_from_slice(b"PK\x03\x04");
    let path = save(dir.path(), "noise.xlsx", &noise);
    let err = import_path(&path, &ImportOptions::default()).expect_err("zip noise");
    assert!(matches!(err, ImportError::Spreadsheet { .. }), "{err:?}");

    // Every byte of a small workbook flipped in turn: an error or an
    // import, never a panic.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "site_id").expect("h");
    ws.write_string(0, 1, "level").expect("h");
    ws.write_string(1, 0, "A").expect("c");
    ws.write_number(1, 1, 1.0).expect("c");
    let small = wb.save_to_buffer().expect("xlsx");
    for at in (0..small.len()).step_by(7) {
        let mut bad = small.clone();
        bad[at] ^= 0x5A;
        let _ = sitefold::inventory::sheet_names(&bad, "xlsx");
        let path = save(dir.path(), "flip.xlsx", &bad);
        let _ = import_path(&path, &ImportOptions::default());
    }

    // A CSV or a web page named .xlsx / .xls.
    let path = save(dir.path(), "list.xlsx", csv_twin().as_bytes());
    let err = import_path(&path, &ImportOptions::default()).expect_err("csv named xlsx");
    assert!(err.message(Lang::En).contains("rename it to .csv"), "{err}");
    assert!(err.message(Lang::Zh).contains(".csv"), "{err}");
    let path = save(
        dir.path(),
        "export.xls",
        "<html><body><table><tr><td>网站标识码</td></tr></table></body></html>".as_bytes(),
    );
    let err = import_path(&path, &ImportOptions::default()).expect_err("html named xls");
    assert!(err.message(Lang::En).contains("web page"), "{err}");
    let path = save(dir.path(), "empty.xlsx", b"");
    assert!(matches!(
        import_path(&path, &ImportOptions::default()),
        Err(ImportError::Empty { .. })
    ));
}

/// A part that declares a huge unpacked size is refused before unpacking.
#[test]
fn zip_bombs_are_refused_by_declared_size() {
    let mut bytes = workbook();
    // Patch the central directory: sharedStrings.xml claims 3 GiB.
    let name = b"xl/sharedStrings.xml";
    let mut patched = false;
    let mut i = 0;
    while i + 46 < bytes.len() {
        if bytes[i..i + 4] == *b"PK\x01\x02" {
            let n = u16::from_le_bytes([bytes[i + 28], bytes[i + 29]]) as usize;
            if bytes.get(i + 46..i + 46 + n) == Some(&name[..]) {
                bytes[i + 24..i + 28].copy_from_slice(&0xC000_0000u32.to_le_bytes());
                patched = true;
            }
        }
        i += 1;
    }
    assert!(patched, "the workbook has shared strings");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = save(dir.path(), "bomb.xlsx", &bytes);
    let err = import_path(&path, &sheet("网站清单")).expect_err("bomb");
    let msg = err.message(Lang::En);
    assert!(
        msg.contains("sharedStrings.xml") && msg.contains("too much"),
        "{msg}"
    );
}

// ---------------------------------------------------------------------
// ODS, written by hand: a stored (uncompressed) zip of three XML parts.

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn stored_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let len = data.len() as u32;
        let mut local = Vec::new();
        local.extend_from_slice(b"PK\x03\x04");
        local.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
        local.extend_from_slice(&crc.to_le_bytes());
        local.extend_from_slice(&len.to_le_bytes());
        local.extend_from_slice(&len.to_le_bytes());
        local.extend_from_slice(&(name.len() as u16).to_le_bytes());
        local.extend_from_slice(&0u16.to_le_bytes());
        local.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&local);
        out.extend_from_slice(data);
        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&len.to_le_bytes());
        central.extend_from_slice(&len.to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 12]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn ods_cell(c: C) -> String {
    match c {
        C::S(s) => format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{s}</text:p></table:table-cell>"
        ),
        C::N(v) => format!(
            "<table:table-cell office:value-type=\"float\" office:value=\"{v}\"><text:p>{v}</text:p></table:table-cell>"
        ),
        C::B(b) => format!(
            "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"{b}\"><text:p>{b}</text:p></table:table-cell>"
        ),
        C::D(y, m, d) => format!(
            "<table:table-cell office:value-type=\"date\" office:date-value=\"{y:04}-{m:02}-{d:02}\"><text:p>{y}/{m}/{d}</text:p></table:table-cell>"
        ),
        C::E => "<table:table-cell office:value-type=\"string\"><text:p>#N/A</text:p></table:table-cell>".into(),
        C::Blank => "<table:table-cell/>".into(),
    }
}

fn ods() -> Vec<u8> {
    let lead = format!("<table:table-cell table:number-columns-repeated=\"{LEFT}\"/>");
    let mut rows_xml = format!(
        "<table:table-row table:number-rows-repeated=\"{TOP}\"><table:table-cell/></table:table-row>"
    );
    rows_xml.push_str("<table:table-row>");
    rows_xml.push_str(&lead);
    for h in HEADER {
        rows_xml.push_str(&ods_cell(C::S(h)));
    }
    rows_xml.push_str("</table:table-row>");
    for row in rows() {
        rows_xml.push_str("<table:table-row>");
        match row {
            Some(cells) => {
                rows_xml.push_str(&lead);
                for c in cells {
                    rows_xml.push_str(&ods_cell(c));
                }
                rows_xml.push_str(&ods_cell(C::S(" ")));
            }
            None => rows_xml.push_str("<table:table-cell/>"),
        }
        rows_xml.push_str("</table:table-row>");
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="清单">{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    stored_zip(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content.as_bytes()),
        ("META-INF/manifest.xml", manifest.as_bytes()),
    ])
}

#[test]
fn ods_imports_like_its_csv_twin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = save(dir.path(), "清单.ods", &ods());
    assert_eq!(
        sheet_names_of(&path).expect("sheets"),
        vec!["清单".to_string()]
    );
    let ods = import_path(&path, &ImportOptions::default()).expect("ods imports");
    let csv = import_bytes(csv_twin().as_bytes(), "twin.csv", &ImportOptions::default())
        .expect("csv imports");
    assert_twins(&ods, &csv);
    assert!(ods.report.encoding.starts_with("ODS"));
}

#[test]
fn xls_and_ods_saved_by_libreoffice_import_like_their_csv() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let csv = import_path(&dir.join("inventory.csv"), &ImportOptions::default()).expect("csv");
    assert_eq!(csv.inventory.len(), 5);
    for name in ["inventory.xls", "inventory.ods"] {
        let sheet = import_path(&dir.join(name), &ImportOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {}", e.message(Lang::En)));
        assert_eq!(sheet.header, csv.header, "{name}");
        assert_eq!(sheet.inventory.sites(), csv.inventory.sites(), "{name}");
        assert!(sheet.report.is_clean(), "{name}: {:?}", sheet.report.issues);
        let t3 = sheet.inventory.find("T3").expect("T3");
        assert_eq!(sheet.inventory.parent(t3), sheet.inventory.find("C"));
        let mut a = Workspace::new(sheet);
        let mut b = Workspace::new(csv.clone());
        a.rules = rules();
        b.rules = rules();
        assert_eq!(a.summary(), b.summary(), "{name}");
    }
}
