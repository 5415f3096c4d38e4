//! Several inventory files into one (issue #16): the sample province
//! split into its 16 prefectures' files (Chinese and English headers,
//! header aliases, UTF-8 with and without BOM, GBK, workbooks) and
//! assembled back to the same figures; parents in another file;
//! conflicts field by field and each way of resolving them; bad rows
//! reported with their file and line; projects keeping their files.

use std::path::{Path, PathBuf};

use sitefold::i18n::Lang;
use sitefold::inventory::{
    Choice, Column, Finding, Gathered, ImportOptions, Imported, Keep, Severity, Site, import_bytes,
    inventory_workbook, write_csv,
};

mod common;

use common::{run_cli as run, write_text};

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn imp(text: &str, name: &str) -> Imported {
    import_bytes(text.as_bytes(), name, &ImportOptions::default()).expect("imports")
}

fn gather(files: &[(&str, &str)]) -> Gathered {
    Gathered::new(files.iter().map(|(name, text)| imp(text, name)).collect()).expect("gathers")
}

fn site<'a>(imported: &'a Imported, id: &str) -> &'a Site {
    let inv = &imported.inventory;
    inv.site(inv.find(id).expect("the site is there"))
}

/// The findings of a file's report, by site id.
fn findings_of(report: &sitefold::inventory::ImportReport) -> Vec<(String, Finding)> {
    report
        .issues
        .iter()
        .map(|i| (i.site_id.clone().unwrap_or_default(), i.finding.clone()))
        .collect()
}

/// A CSV text's bytes with the byte-order mark `write_csv` puts first
/// taken off.
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// How one prefecture's return is written.
#[derive(Clone, Copy, Debug)]
enum Form {
    /// UTF-8 with a BOM, Chinese headers, as Excel saves it.
    ChineseCsv,
    /// UTF-8 without a BOM, English headers.
    EnglishCsv,
    /// GBK, Chinese headers and values.
    GbkCsv,
    /// A workbook, Chinese headers.
    ChineseXlsx,
    /// A workbook, English headers.
    EnglishXlsx,
    /// UTF-8, the headers' other names (`站点编号`, `行政级别`, `年预算`…).
    AliasCsv,
}

const FORMS: [Form; 6] = [
    Form::ChineseCsv,
    Form::EnglishCsv,
    Form::GbkCsv,
    Form::ChineseXlsx,
    Form::EnglishXlsx,
    Form::AliasCsv,
];

/// Other names MODEL.md §1 accepts for each column, in template order.
const ALIASES: [&str; 15] = [
    "站点编号",
    "名称",
    "域名",
    "行政级别",
    "网站类型",
    "上级编号",
    "行政区划",
    "年预算",
    "工作人员",
    "人口",
    "访问量",
    "办事事项",
    "得分",
    "是否合格",
    "转载时效小时",
];

/// Writes `sites` to `dir` as `name` in `form`; the path.
fn write_return(dir: &Path, name: &str, sites: &[Site], form: Form) -> PathBuf {
    let csv = |lang: Lang| {
        let mut out = Vec::new();
        write_csv(sites, &mut out, lang).expect("csv");
        out
    };
    let (file, bytes) = match form {
        Form::ChineseCsv => (format!("{name}.csv"), csv(Lang::Zh)),
        Form::EnglishCsv => (format!("{name}.csv"), without_bom(&csv(Lang::En)).to_vec()),
        Form::GbkCsv => {
            let text = String::from_utf8(without_bom(&csv(Lang::Zh)).to_vec()).expect("utf-8");
            let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
            assert!(!unmappable, "the sample is all GBK");
            (format!("{name}.csv"), gbk.into_owned())
        }
        Form::ChineseXlsx => (
            format!("{name}.xlsx"),
            inventory_workbook(sites, Lang::Zh).expect("xlsx"),
        ),
        Form::EnglishXlsx => (
            format!("{name}.xlsx"),
            inventory_workbook(sites, Lang::En).expect("xlsx"),
        ),
        Form::AliasCsv => {
            let text = String::from_utf8(without_bom(&csv(Lang::Zh)).to_vec()).expect("utf-8");
            let body = text.split_once("\r\n").map_or("", |(_, b)| b);
            (
                format!("{name}.csv"),
                format!("{}\r\n{body}", ALIASES.join(",")).into_bytes(),
            )
        }
    };
    let path = dir.join(file);
    std::fs::write(&path, bytes).expect("write");
    path
}

/// The bundled sample split into its prefectures' returns (the province's
/// own sites with the first prefecture's), each written in one of the
/// forms in turn: the paths, and the sites of each.
fn prefecture_returns(dir: &Path) -> (Vec<PathBuf>, Vec<usize>) {
    let sample = sitefold::sample::sample();
    let inv = &sample.inventory;
    let areas = sitefold::outcome::AreaMap::new(inv);
    // Area 0 is the province's own sites; areas 1..=16 the prefectures.
    let mut groups: Vec<Vec<Site>> = vec![Vec::new(); areas.area_count()];
    for i in 0..inv.len() {
        let a = areas.area_of(i).expect("every site has an area");
        groups[a].push(inv.site(i).clone());
    }
    assert_eq!(
        areas.area(0).map(|(k, _)| k),
        Some(sitefold::outcome::AreaKind::Province)
    );
    let province = groups.remove(0);
    assert_eq!(groups.len(), 16, "the sample has 16 prefectures");
    groups[0].splice(0..0, province);
    let mut paths = Vec::new();
    let mut counts = Vec::new();
    for (k, sites) in groups.iter().enumerate() {
        let portal = sites
            .iter()
            .find(|s| s.level == sitefold::inventory::Level::Prefecture && s.kind.is_portal())
            .expect("a prefecture portal");
        let name = format!("{:02}-{}", k + 1, portal.region);
        paths.push(write_return(dir, &name, sites, FORMS[k % FORMS.len()]));
        counts.push(sites.len());
    }
    (paths, counts)
}

fn sample_path() -> String {
    s(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/province.csv"))
}

fn rules_path() -> String {
    s(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/rules-state-council.toml"))
}

/// `summary --json` of `inventory` with the State Council's rules, and
/// without rules.
fn summaries(inventory: &str) -> (String, String) {
    let (code, with_rules, err) = run(&["summary", inventory, "--rules", &rules_path(), "--json"]);
    assert_eq!(code, 0, "{err}");
    let (code, plain, err) = run(&["summary", inventory, "--json"]);
    assert_eq!(code, 0, "{err}");
    (with_rules, plain)
}

#[test]
fn the_sample_split_into_its_16_prefectures_assembles_back_to_the_same_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (paths, counts) = prefecture_returns(dir.path());
    assert_eq!(paths.len(), 16);
    let original = summaries(&sample_path());

    // The core: every file's count, no conflict, every parent found.
    let opts = ImportOptions::default();
    let a =
        sitefold::inventory::assemble_paths(&paths, &opts, None, Keep::First).expect("assembles");
    assert!(a.conflicts.is_empty());
    assert_eq!(a.sites_per_source(), counts);
    let encodings: Vec<&str> = a.sources.iter().map(|s| s.encoding()).collect();
    assert!(encodings.contains(&"GB18030"), "{encodings:?}");
    assert!(encodings.contains(&"UTF-8"), "{encodings:?}");
    let report = &a.imported.report;
    assert!(report.is_clean(), "{:?}", report.issues.first());
    assert_eq!(report.warnings(), 0, "{:?}", report.issues.first());
    let sample = sitefold::sample::sample();
    assert_eq!(a.imported.inventory.len(), sample.inventory.len());
    for (got, want) in a
        .imported
        .inventory
        .sites()
        .iter()
        .zip(sample.inventory.sites())
    {
        assert_eq!(got.id, want.id, "the files' order is the sample's");
        let parent = |inv: &sitefold::inventory::Inventory, s: &Site| {
            s.parent_index().map(|p| inv.site(p).id.clone())
        };
        assert_eq!(
            parent(&a.imported.inventory, got),
            parent(&sample.inventory, want),
            "{}",
            got.id
        );
        assert_eq!(
            &a.sources[got.source as usize].path,
            &s(&paths[(got.source) as usize])
        );
    }
    // The prefecture portals' parent, the province's portal, is in the
    // first file: parents across files.
    let portal = a
        .imported
        .inventory
        .find("340200000")
        .expect("a prefecture");
    let parent = a.imported.inventory.parent(portal).expect("linked");
    assert_eq!(a.imported.inventory.site(portal).source, 1);
    assert_eq!(a.imported.inventory.site(parent).source, 0);

    // The command line: CSV, workbook and project outputs, each with the
    // original's figures.
    let mut words: Vec<String> = vec!["assemble".into()];
    words.extend(paths.iter().map(|p| s(p)));
    for (out, lang) in [
        ("all.csv", "zh"),
        ("all-en.csv", "en"),
        ("all.xlsx", "zh"),
        ("all.sitefold", "en"),
    ] {
        let target = s(&dir.path().join(out));
        let mut args: Vec<&str> = words.iter().map(String::as_str).collect();
        args.extend(["--out", &target, "--lang", lang]);
        let (code, stdout, err) = run(&args);
        assert_eq!(code, 0, "{out}: {stdout}\n{err}");
        assert!(err.is_empty(), "{err}");
        let (with_rules, plain) = summaries(&target);
        assert_eq!(with_rules, original.0, "{out}, with the rules");
        assert_eq!(plain, original.1, "{out}");
    }
    // Every file's count, as printed.
    let mut args: Vec<&str> = words.iter().map(String::as_str).collect();
    let target = s(&dir.path().join("again.csv"));
    args.extend(["--out", &target, "--lang", "en"]);
    let (code, stdout, _) = run(&args);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("16 files read; the inventory they make has 3000 sites"),
        "{stdout}"
    );
    for (k, (p, n)) in paths.iter().zip(&counts).enumerate() {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("  {}. {} (", k + 1, s(p))))
            .unwrap_or_else(|| panic!("no line for {}: {stdout}", s(p)));
        assert!(line.ends_with(&format!("; gives {n} sites")), "{line}");
    }
    assert!(
        stdout.contains("no site id is in more than one file"),
        "{stdout}"
    );
    // And as JSON.
    args.push("--json");
    let (code, stdout, _) = run(&args);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let given: Vec<u64> = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["sites"].as_u64().expect("sites"))
        .collect();
    assert_eq!(given, counts.iter().map(|&n| n as u64).collect::<Vec<_>>());
    assert_eq!(json["sites"], 3000);
    assert_eq!(json["conflicts"].as_array().map(Vec::len), Some(0));
}

#[test]
fn parents_in_another_file_are_linked_and_their_problems_reported_in_the_childs_file() {
    let a = "site_id,name,level,parent_id,population\n\
             P,省,province,,1000\n\
             C1,市,prefecture,P,100\n\
             Y1,环一,county,Y2,0\n\
             T0,镇〇,township,C1,0\n\
             X,无上级,county,NOPE,0\n";
    let b = "site_id,name,level,parent_id,population\n\
             T1,镇一,township,C1,80\n\
             T2,镇二,township,MISSING,0\n\
             Y2,环二,county,Y1,0\n\
             Q,倒挂,prefecture,T0,0\n\
             T3,镇三,township,C1,50\n";
    // Alone, each file sees its own problems only.
    let alone_b = imp(b, "b.csv");
    let unknown: Vec<String> = findings_of(&alone_b.report)
        .into_iter()
        .filter(|(_, f)| matches!(f, Finding::UnknownParent { .. }))
        .map(|(id, _)| id)
        .collect();
    assert_eq!(unknown, ["T1", "T2", "Y2", "Q", "T3"]);

    let assembled = gather(&[("a.csv", a), ("b.csv", b)]).finish_with(Keep::First);
    let inv = &assembled.imported.inventory;
    let parent_of = |id: &str| {
        let i = inv.find(id).expect("site");
        inv.parent(i).map(|p| inv.site(p).id.clone())
    };
    assert_eq!(
        parent_of("T1").as_deref(),
        Some("C1"),
        "a parent in another file"
    );
    assert_eq!(parent_of("T3").as_deref(), Some("C1"));
    assert_eq!(parent_of("Q").as_deref(), Some("T0"));
    assert_eq!(parent_of("T2"), None);
    assert_eq!(parent_of("X"), None);
    // The cycle Y1 → Y2 → Y1 spans both files; Y1 comes first and is cut.
    assert_eq!(parent_of("Y1"), None);
    assert_eq!(parent_of("Y2").as_deref(), Some("Y1"));

    let ra = &assembled.sources[0].report;
    let rb = &assembled.sources[1].report;
    let fa = findings_of(ra);
    let fb = findings_of(rb);
    // a.csv: its own unknown parent, the cycle's cut member, and the
    // population clamp its children in b.csv cause (80 + 50 > 100).
    assert!(fa.contains(&(
        "X".into(),
        Finding::UnknownParent {
            parent: "NOPE".into()
        }
    )));
    assert!(fa.contains(&(
        "Y1".into(),
        Finding::Cycle {
            members: vec!["Y1".into(), "Y2".into()]
        }
    )));
    assert!(fa.contains(&(
        "C1".into(),
        Finding::PopulationClamped {
            population: 100,
            children: 130
        }
    )));
    assert_eq!(fa.len(), 3, "{fa:?}");
    // b.csv: only the parent found in neither file, and the inversion of
    // a prefecture under a township of a.csv.
    assert!(fb.contains(&(
        "T2".into(),
        Finding::UnknownParent {
            parent: "MISSING".into()
        }
    )));
    assert!(fb.contains(&(
        "Q".into(),
        Finding::LevelInversion {
            parent: "T0".into(),
            parent_level: "township".into(),
            level: "prefecture".into()
        }
    )));
    assert_eq!(fb.len(), 2, "{fb:?}");
    assert_eq!(ra.warnings(), 3);
    assert_eq!(rb.warnings(), 2);
    // Each warning is located in its file: line and parent column.
    let t2 = rb
        .issues
        .iter()
        .find(|i| i.site_id.as_deref() == Some("T2"))
        .expect("T2");
    assert_eq!((t2.line, t2.column), (3, Some(4)));
    // The combined report: every file's issues, each naming its file.
    let all = &assembled.imported.report;
    assert_eq!(all.warnings(), 5);
    assert_eq!(all.rows_read, 10);
    assert_eq!(all.sites, 10);
    let t2 = all
        .issues
        .iter()
        .find(|i| i.site_id.as_deref() == Some("T2"))
        .expect("T2");
    assert_eq!(t2.file.as_deref(), Some("b.csv"));
    assert!(
        all.render_issue(t2, Lang::En)
            .starts_with("b.csv:3:4: Warning"),
        "{}",
        all.render_issue(t2, Lang::En)
    );
    let c1 = all
        .issues
        .iter()
        .find(|i| i.site_id.as_deref() == Some("C1"))
        .expect("C1");
    assert!(
        all.render_issue(c1, Lang::Zh)
            .starts_with("a.csv:3:5: 警告")
    );
    // Each site knows its file.
    assert_eq!(site(&assembled.imported, "T1").source, 1);
    assert_eq!(site(&assembled.imported, "T1").line, 2);
    assert_eq!(site(&assembled.imported, "C1").source, 0);
    // Own population counts each resident once across files: C1 keeps none.
    let (own, _) = sitefold::inventory::own_population(inv);
    assert_eq!(own[inv.find("C1").expect("C1")], 0);
}

/// Three files naming S1: its budget differs in each, the first has a
/// score, the last a result; S2 is in two files, the same in both.
const A: &str = "site_id,name,level,parent_id,annual_budget,inspection_score,inspection_passed\n\
                 P,省,province,,1000,,\n\
                 S1,一,county,P,100,80,\n\
                 S2,二,county,P,5,,\n";
const B: &str = "site_id,name,level,parent_id,annual_budget,inspection_score,inspection_passed\n\
                 S2,二,county,P,5,,\n\
                 S1,一,county,P,200,,\n";
const C: &str = "id,名称,级别,上级,年度预算,得分,检查结果\n\
                 S3,三,county,P,7,,\n\
                 S1,壹,county,P,300,,不合格\n";

#[test]
fn conflicts_are_listed_field_by_field() {
    let g = gather(&[("a.csv", A), ("b.csv", B), ("c.csv", C)]);
    assert_eq!(g.file_names(), ["a.csv", "b.csv", "c.csv"]);
    let conflicts = g.conflicts();
    assert_eq!(conflicts.len(), 2);
    // In the order of their first rows: S1 (a.csv line 3), S2 (line 4).
    let s1 = &conflicts[0];
    assert_eq!(s1.site_id, "S1");
    let rows: Vec<(usize, u64, bool)> = s1
        .rows
        .iter()
        .map(|r| (r.file, r.line, r.has_inspection))
        .collect();
    assert_eq!(rows, [(0, 3, true), (1, 3, false), (2, 3, true)]);
    let fields: Vec<(Column, Vec<&str>)> = s1
        .fields
        .iter()
        .map(|d| (d.column, d.values.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        fields,
        [
            (Column::Name, vec!["一", "一", "壹"]),
            (Column::AnnualBudget, vec!["100", "200", "300"]),
            (Column::InspectionScore, vec!["80", "", ""]),
            (Column::InspectionPassed, vec!["", "", "fail"]),
        ]
    );
    assert!(!s1.is_identical());
    let s2 = &conflicts[1];
    assert_eq!(s2.site_id, "S2");
    assert!(s2.is_identical(), "{:?}", s2.fields);
    assert_eq!(s2.rows.len(), 2);
}

#[test]
fn each_choice_keeps_its_row_and_says_so_in_the_reports() {
    let budget = |imported: &Imported| site(imported, "S1").budget.decimal().to_string();
    for (choice, kept_file, want_budget, key) in [
        (Choice::Rule(Keep::First), 0, "100", "first"),
        (Choice::Rule(Keep::Last), 2, "300", "last"),
        // c.csv's row has a result and is the later of the two with one.
        (Choice::Rule(Keep::NewerInspection), 2, "300", "newer"),
        (Choice::Row(1), 1, "200", "chosen"),
    ] {
        let g = gather(&[("a.csv", A), ("b.csv", B), ("c.csv", C)]);
        let a = g.finish(&[choice, Choice::Rule(Keep::First)]);
        assert_eq!(a.resolutions[0].kept, kept_file, "{choice:?}");
        assert_eq!(a.resolutions[0].choice, choice);
        let s1 = site(&a.imported, "S1");
        assert_eq!(budget(&a.imported), want_budget, "{choice:?}");
        assert_eq!(s1.source as usize, kept_file);
        // The kept row takes the place of the site's first row.
        assert_eq!(a.imported.inventory.find("S1"), Some(1));
        assert_eq!(a.imported.inventory.len(), 4, "P, S1, S2, S3");
        let ids: Vec<&str> = a
            .imported
            .inventory
            .sites()
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        assert_eq!(ids, ["P", "S1", "S2", "S3"]);
        // Every file but the kept one says its row was left out, for
        // which row and why.
        for (f, source) in a.sources.iter().enumerate() {
            let left_out: Vec<&Finding> = source
                .report
                .issues
                .iter()
                .filter(|i| i.site_id.as_deref() == Some("S1"))
                .map(|i| &i.finding)
                .collect();
            if f == kept_file {
                assert!(left_out.is_empty(), "{choice:?} {f}: {left_out:?}");
                continue;
            }
            let kept_name = ["a.csv", "b.csv", "c.csv"][kept_file];
            assert_eq!(
                left_out,
                [&Finding::SiteConflict {
                    id: "S1".into(),
                    kept_file: kept_name.into(),
                    kept_line: 3,
                    fields: vec![
                        "name".into(),
                        "annual_budget".into(),
                        "inspection_score".into(),
                        "inspection_passed".into()
                    ],
                    choice: key.into(),
                }],
                "{choice:?} {f}"
            );
            let issue = source
                .report
                .issues
                .iter()
                .find(|i| i.site_id.as_deref() == Some("S1"))
                .expect("the warning");
            assert_eq!(issue.severity, Severity::Warning);
            assert_eq!(issue.line, 3);
            assert_eq!(issue.column, Some(1));
        }
        // Sites given per file: a.csv P, S2 (+ S1 when kept); b.csv S1 when
        // kept; c.csv S3 (+ S1).
        let given = a.sites_per_source();
        let mut want = vec![2, 0, 1];
        want[kept_file] += 1;
        assert_eq!(given, want, "{choice:?}");
    }
    // Between rows of which none has an inspection, the newer is the
    // later file's.
    let g = gather(&[
        ("a.csv", "site_id,level,annual_budget\nS,county,1\n"),
        ("b.csv", "site_id,level,annual_budget\nS,county,2\n"),
    ]);
    assert_eq!(g.conflicts()[0].pick(Keep::NewerInspection), 1);
    // A score in the earlier file is newer than none in the later one.
    let g = gather(&[
        ("a.csv", "site_id,level,inspection_score\nS,county,90\n"),
        ("b.csv", "site_id,level,inspection_score\nS,county,\n"),
    ]);
    assert_eq!(g.conflicts()[0].pick(Keep::NewerInspection), 0);
    let a = g.finish_with(Keep::NewerInspection);
    assert_eq!(site(&a.imported, "S").inspection_score, Some(90.0));
    let w = a.sources[1]
        .report
        .issues
        .iter()
        .find(|i| matches!(i.finding, Finding::SiteConflict { .. }))
        .expect("the row left out");
    assert!(
        w.finding
            .message(Lang::En)
            .contains("is also on line 2 of a.csv, whose row was kept (keep the row with the newer inspection)"),
        "{}",
        w.finding.message(Lang::En)
    );
    assert!(
        w.finding.message(Lang::Zh).contains("不同的字段：检查得分"),
        "{}",
        w.finding.message(Lang::Zh)
    );
}

#[test]
fn the_command_line_reports_each_conflict_and_resolves_as_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let files = [
        write_text(d, "a.csv", A),
        write_text(d, "b.csv", B),
        write_text(d, "c.csv", C),
    ];
    let out = s(&d.join("out.csv"));
    let args = |extra: &[&'static str]| -> Vec<String> {
        let mut v = vec!["assemble".to_string()];
        v.extend(files.iter().cloned());
        v.extend(["--out".to_string(), out.clone()]);
        v.extend(extra.iter().map(|w| w.to_string()));
        v
    };
    let call = |words: Vec<String>| {
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        run(&w)
    };
    // The default, report: the first rows kept, every conflict field by
    // field, exit 1, the output written.
    let (code, stdout, err) = call(args(&["--lang", "en"]));
    assert_eq!(code, 1, "{stdout}\n{err}");
    assert!(
        stdout.contains(
            "conflicts: 2 site id(s) are in more than one file (for now: keep the first file's row)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "  S1: {} line 3 | {} line 3 | {} line 3 → kept {} line 3",
            files[0], files[1], files[2], files[0]
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("      annual_budget: 100 | 200 | 300\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("      inspection_passed: (empty) | (empty) | fail\n"),
        "{stdout}"
    );
    assert!(stdout.contains("  S2: "), "{stdout}");
    assert!(
        stdout.contains("      (the rows are the same)\n"),
        "{stdout}"
    );
    assert!(
        err.contains("2 site id(s) are in more than one file"),
        "{err}"
    );
    let written = std::fs::read(&out).expect("written anyway");
    let back = import_bytes(&written, "out.csv", &ImportOptions::default()).expect("reads");
    assert_eq!(site(&back, "S1").budget.decimal().to_string(), "100");
    // Chinese.
    let (code, stdout, _) = call(args(&["--lang", "zh"]));
    assert_eq!(code, 1);
    assert!(
        stdout.contains("      年度预算（元）：100 | 200 | 300\n"),
        "{stdout}"
    );
    assert!(stdout.contains("（各行内容相同）"), "{stdout}");
    // A rule chosen: exit 0, the conflicts still listed.
    for (rule, want) in [("first", "100"), ("last", "300"), ("newer", "300")] {
        let (code, stdout, err) = call(args(&["--on-conflict", rule, "--lang", "en"]));
        assert_eq!(code, 0, "{rule}: {stdout}\n{err}");
        assert!(stdout.contains("conflicts: 2 site id(s)"), "{stdout}");
        let back = import_bytes(
            &std::fs::read(&out).expect("out"),
            "out.csv",
            &ImportOptions::default(),
        )
        .expect("reads");
        assert_eq!(
            site(&back, "S1").budget.decimal().to_string(),
            want,
            "{rule}"
        );
    }
    // JSON: the conflicts with their fields and the row kept.
    let (code, stdout, _) = call(args(&["--on-conflict", "last", "--json"]));
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let s1 = &json["conflicts"][0];
    assert_eq!(s1["site_id"], "S1");
    assert_eq!(s1["kept"], 2);
    assert_eq!(s1["rows"][1]["file"], files[1].as_str());
    assert_eq!(s1["fields"][1]["column"], "annual_budget");
    assert_eq!(s1["fields"][1]["values"][2], "300");
    assert_eq!(json["on_conflict"], "last");
    assert_eq!(json["files"][1]["sites"], 1, "S2, the last of its two rows");
    // An unknown choice is a usage error.
    let (code, _, err) = call(args(&["--on-conflict", "newest"]));
    assert_eq!(code, 2, "{err}");
}

#[test]
fn bad_rows_are_reported_with_their_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let a = write_text(
        d,
        "a.csv",
        "site_id,name,level,parent_id,annual_budget\n\
         P,省,province,,1000\n\
         B1,坏级别,somewhere,P,10\n\
         B2,坏数字,county,P,十块\n",
    );
    // A workbook whose third row has no site id.
    let xlsx = d.join("b.xlsx");
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let sheet = wb.add_worksheet();
        for (c, h) in ["网站标识码", "网站名称", "层级", "上级网站标识码"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, c as u16, *h).expect("cell");
        }
        for (r, row) in [["C", "市", "市级", "P"], ["", "无编号", "县级", "C"]]
            .iter()
            .enumerate()
        {
            for (c, v) in row.iter().enumerate() {
                sheet
                    .write_string(r as u32 + 1, c as u16, *v)
                    .expect("cell");
            }
        }
        wb.save(&xlsx).expect("xlsx");
    }
    let out = s(&d.join("out.csv"));
    let (code, stdout, err) = run(&["assemble", &a, &s(&xlsx), "--out", &out, "--lang", "en"]);
    assert_eq!(code, 1, "{stdout}\n{err}");
    assert!(
        err.contains(&format!("{a}:3:3: Rejected [level] (B1)")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{a}:4:5: Error [annual_budget] (B2)")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{}:3:1: Rejected [网站标识码]", s(&xlsx))),
        "{err}"
    );
    assert!(
        stdout.contains(&format!(
            "1. {a} (UTF-8): 3 rows read, 2 sites imported, 1 rejected, 1 errors"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("2 rows read, 1 sites imported, 1 rejected"),
        "{stdout}"
    );
    assert!(std::path::Path::new(&out).is_file(), "written anyway");
    // The issues table names each issue's file.
    let a = sitefold::inventory::assemble_paths(
        &[PathBuf::from(&a), xlsx.clone()],
        &ImportOptions::default(),
        None,
        Keep::First,
    )
    .expect("assembles");
    let report = &a.imported.report;
    assert_eq!((report.rejected(), report.errors()), (2, 1));
    let mut csv = Vec::new();
    sitefold::export::write_issues_csv(report, &[], &mut csv, Lang::En).expect("csv");
    let csv = String::from_utf8(csv).expect("utf-8");
    assert!(csv.contains("a.csv,3,3,level,Rejected,B1"), "{csv}");
    assert!(csv.contains("b.xlsx,3,1,网站标识码,Rejected,"), "{csv}");
    // Each file's own report counts its own.
    let counts: Vec<(usize, usize)> = a
        .sources
        .iter()
        .map(|s| (s.report.rejected(), s.report.errors()))
        .collect();
    assert_eq!(counts, [(1, 1), (1, 0)]);
    assert!(a.sources[1].report.location_is_row);
    // The workbook's issue is a row, the text file's a line.
    let row = report
        .issues
        .iter()
        .find(|i| i.file.as_deref().is_some_and(|f| f.ends_with("b.xlsx")))
        .expect("b.xlsx issue");
    assert!(row.is_row(report.location_is_row));
    let line = report
        .issues
        .iter()
        .find(|i| i.site_id.as_deref() == Some("B2"))
        .expect("B2");
    assert!(!line.is_row(report.location_is_row));
}

#[test]
fn a_project_keeps_its_files_and_each_sites_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let files = [
        write_text(d, "a.csv", A),
        write_text(d, "b.csv", B),
        write_text(d, "c.csv", C),
    ];
    let project = s(&d.join("work.sitefold"));
    let (code, _, err) = run(&[
        "assemble",
        &files[0],
        &files[1],
        &files[2],
        "--on-conflict",
        "last",
        "--out",
        &project,
    ]);
    assert_eq!(code, 0, "{err}");
    let p = sitefold::project::open_project(Path::new(&project)).expect("opens");
    let names: Vec<&str> = p.sources.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(names, files.iter().map(String::as_str).collect::<Vec<_>>());
    // Every conflict kept its last row: S1 c.csv's, S2 b.csv's.
    let given: Vec<usize> = p.sources.iter().map(|s| s.sites).collect();
    assert_eq!(given, [1, 1, 2]);
    assert_eq!(
        p.sources[0].report.warnings(),
        2,
        "S1 and S2 left out of a.csv"
    );
    assert_eq!(p.sources[1].report.warnings(), 1, "S1 left out of b.csv");
    assert!(p.file_issues.is_empty(), "{:?}", p.file_issues);
    let ws = p.into_workspace();
    let sources: Vec<(&str, u32, u64)> = ws
        .imported
        .inventory
        .sites()
        .iter()
        .map(|s| (s.id.as_str(), s.source, s.line))
        .collect();
    assert_eq!(
        sources,
        [("P", 0, 2), ("S1", 2, 3), ("S2", 1, 2), ("S3", 2, 2)]
    );
    assert_eq!(ws.sources.len(), 3);
    // Saved again, it keeps them.
    let again = sitefold::project::Project::from_workspace(&ws, Lang::En);
    let bytes = sitefold::project::to_bytes(&again);
    let back = sitefold::project::from_bytes(&bytes, "again.sitefold").expect("reads");
    assert_eq!(back.sources.len(), 3);
    let sources = |sites: &[Site]| -> Vec<(String, u32)> {
        sites.iter().map(|s| (s.id.to_string(), s.source)).collect()
    };
    assert_eq!(
        sources(&back.inventory.sites),
        sources(&again.inventory.sites)
    );
    // `project show` lists them.
    let (code, stdout, _) = run(&["project", "show", &project, "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("assembled from 3 files:"), "{stdout}");
    assert!(
        stdout.contains(&format!("  {}: 2 rows read, 1 sites given", files[1])),
        "{stdout}"
    );
    // A project of one file keeps no list and no source column.
    let one = s(&d.join("one.sitefold"));
    let (code, _, _) = run(&["project", "new", &files[0], "--out", &one]);
    assert_eq!(code, 0);
    let p = sitefold::project::open_project(std::path::Path::new(&one)).expect("opens");
    assert!(p.sources.is_empty());
    assert!(p.inventory.sites.iter().all(|s| s.source == 0));
}

#[test]
fn a_mapping_reads_the_files_whose_headers_need_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let own = write_text(
        d,
        "own.csv",
        "site_id,name,level,parent_id\nP,省,province,\n",
    );
    let foreign = write_text(
        d,
        "foreign.csv",
        "Agency ID,Agency,Tier,Reports to\nC,City,Local,P\n",
    );
    let map = write_text(
        d,
        "map.toml",
        "columns = [\"site_id\", \"name\", \"level\", \"parent_id\"]\n\n[values.level]\nLocal = \"county\"\n",
    );
    let out = s(&d.join("out.csv"));
    // Without the mapping the foreign file cannot be read.
    let (code, _, err) = run(&["assemble", &own, &foreign, "--out", &out, "--lang", "en"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("foreign.csv"), "{err}");
    let (code, stdout, err) = run(&[
        "assemble", &own, &foreign, "--map", &map, "--out", &out, "--lang", "en",
    ]);
    assert_eq!(code, 0, "{stdout}\n{err}");
    let back = import_bytes(
        &std::fs::read(&out).expect("out"),
        "out.csv",
        &ImportOptions::default(),
    )
    .expect("reads");
    let c = site(&back, "C");
    assert_eq!(c.level, sitefold::inventory::Level::County);
    assert_eq!(c.parent_id, "P");
    assert_eq!(
        back.inventory.parent(back.inventory.find("C").expect("C")),
        Some(0)
    );
}

#[test]
fn inputs_that_cannot_be_assembled_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let a = write_text(d, "a.csv", A);
    let out = s(&d.join("out.csv"));
    // The same file twice.
    let (code, _, err) = run(&["assemble", &a, &a, "--out", &out, "--lang", "en"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("are the same file; give each file once"),
        "{err}"
    );
    // The output is an input.
    let (code, _, err) = run(&["assemble", &a, "--out", &a, "--lang", "en"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("the output is the same file as the inventory"),
        "{err}"
    );
    // A project is not an inventory file.
    let project = s(&d.join("p.sitefold"));
    assert_eq!(run(&["project", "new", &a, "--out", &project]).0, 0);
    let (code, _, err) = run(&["assemble", &a, &project, "--out", &out, "--lang", "en"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("this is a Sitefold project"), "{err}");
    // A file that is not there.
    let (code, _, err) = run(&["assemble", &a, &s(&d.join("nope.csv")), "--out", &out]);
    assert_eq!(code, 2, "{err}");
    // An output the command does not write.
    let (code, _, err) = run(&[
        "assemble",
        &a,
        "--out",
        &s(&d.join("x.json")),
        "--lang",
        "en",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("assemble cannot write a .json file"), "{err}");
    assert!(!d.join("out.csv").exists(), "nothing written");
}

/// A file with more unknown parents than a report lists: once they are
/// found in another file, the ones only counted go too.
#[test]
fn warnings_only_counted_go_when_their_parents_are_found_in_another_file() {
    let n = sitefold::inventory::MAX_LISTED_ISSUES + 25;
    let mut towns = String::from("site_id,name,level,parent_id\n");
    for i in 0..n {
        towns.push_str(&format!("T{i},镇,township,C\n"));
    }
    let alone = imp(&towns, "towns.csv");
    assert_eq!(
        alone.report.warnings(),
        n + 1,
        "each, and the note of those not listed"
    );
    let a = gather(&[
        ("towns.csv", &towns),
        ("city.csv", "site_id,name,level\nC,市,prefecture\n"),
    ])
    .finish_with(Keep::First);
    assert_eq!(
        a.sources[0].report.warnings(),
        0,
        "{:?}",
        a.sources[0].report.issues.first()
    );
    assert_eq!(a.sources[0].report.not_listed(), 0);
    assert_eq!(a.imported.report.warnings(), 0);
    assert_eq!(a.imported.inventory.children(n).len(), n);
    // Still unknown (the city is not given): the same counts as alone.
    let a = gather(&[
        ("towns.csv", &towns),
        ("other.csv", "site_id,name,level\nX,市,prefecture\n"),
    ])
    .finish_with(Keep::First);
    assert_eq!(a.sources[0].report.warnings(), n + 1);
    assert_eq!(a.imported.report.warnings(), n + 1);
}

/// A file added to an inventory already assembled from two: the sites
/// already there keep their places and files, a parent the new file
/// brings is found for a site of an earlier file, and the earlier file's
/// report loses that warning.
#[test]
fn a_file_added_to_an_assembled_inventory_finds_parents_for_the_earlier_files() {
    let a = "site_id,name,level,parent_id\nP,省,province,\nC,市,prefecture,P\n";
    let b = "site_id,name,level,parent_id\nT1,镇一,township,K\nT2,镇二,township,C\n";
    let first = gather(&[("a.csv", a), ("b.csv", b)]).finish_with(Keep::First);
    let unknown = |r: &sitefold::inventory::ImportReport| {
        r.issues
            .iter()
            .filter(|i| matches!(i.finding, Finding::UnknownParent { .. }))
            .count()
    };
    assert_eq!(unknown(&first.sources[1].report), 1, "K is in neither");
    let mut ws = sitefold::workspace::Workspace::assembled(first);
    ws.manual[3] = Some(sitefold::plan::Decision::Keep);
    let c = "site_id,name,level,parent_id\nK,县,county,C\nT2,镇二（新）,township,C\n";
    let g = ws.gather_files(vec![imp(c, "c.csv")]).expect("gathers");
    assert_eq!(g.file_names(), ["a.csv", "b.csv", "c.csv"]);
    assert_eq!(g.conflicts().len(), 1);
    assert_eq!(
        g.conflicts()[0].rows[0].file,
        1,
        "the inventory's row, of b.csv"
    );
    let added = g.finish_with(Keep::Last);
    let inv = &added.imported.inventory;
    let ids: Vec<(&str, u32)> = inv
        .sites()
        .iter()
        .map(|s| (s.id.as_str(), s.source))
        .collect();
    assert_eq!(
        ids,
        [("P", 0), ("C", 0), ("T1", 1), ("T2", 2), ("K", 2)],
        "the sites already there keep their places"
    );
    assert_eq!(
        inv.parent(inv.find("T1").expect("T1")),
        inv.find("K"),
        "T1 of b.csv under K of c.csv"
    );
    assert_eq!(unknown(&added.sources[1].report), 0);
    assert_eq!(added.sources[1].report.warnings(), 1, "only T2 left out");
    assert_eq!(added.sites_per_source(), [2, 1, 2]);
    ws.set_inventory(std::sync::Arc::new(added.imported), added.sources);
    assert_eq!(ws.manual.len(), 5);
    assert_eq!(
        ws.manual[3],
        Some(sitefold::plan::Decision::Keep),
        "kept in place"
    );
    assert_eq!(ws.sources.len(), 3);
}
