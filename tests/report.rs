//! The report (issue 17): `sitefold report` and the app's export write a
//! Word document that opens (read back with `docx-rs`, and its XML with
//! the zip reader), whose figures are those of `sitefold summary` for
//! the same inputs, whose appendix lists every closing site with the
//! site it folds into, in Chinese and in English.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use docx_rs::{DocumentChild, TableCellContent, TableChild, TableRowChild};
use serde_json::Value;
use sitefold::cli::{Run, run_with};
use sitefold::i18n::Lang;

fn run(args: &[&str]) -> (i32, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut full = vec!["sitefold"];
    full.extend_from_slice(args);
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

fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data")
        .join(name)
        .display()
        .to_string()
}

/// The bundled province with the State Council's rules, and a capacity
/// so that some receiving sites are over it.
struct Inputs {
    dir: tempfile::TempDir,
    args: Vec<String>,
}

impl Inputs {
    fn new() -> Inputs {
        let dir = tempfile::tempdir().expect("tempdir");
        let params = dir.path().join("参数.toml");
        std::fs::write(
            &params,
            "max_absorbed_per_target = 20\nabsorb_rate = 0.15\n",
        )
        .expect("params");
        let args = vec![
            sample("province.csv"),
            "--rules".into(),
            sample("rules-state-council.toml"),
            "--params".into(),
            params.display().to_string(),
        ];
        Inputs { dir, args }
    }

    fn out(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `command` over the inputs with `extra` words after them.
    fn run(&self, command: &str, extra: &[&str]) -> (i32, String, String) {
        let mut args: Vec<&str> = vec![command];
        args.extend(self.args.iter().map(String::as_str));
        args.extend_from_slice(extra);
        run(&args)
    }

    fn summary(&self) -> Value {
        let (code, out, err) = self.run("summary", &["--json", "--by-area"]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).expect("summary JSON")
    }

    fn report(&self, name: &str, lang: &str) -> Vec<u8> {
        let path = self.out(name);
        let p = path.display().to_string();
        let (code, out, err) = self.run("report", &["--out", &p, "--lang", lang]);
        assert_eq!(code, 0, "{out}{err}");
        std::fs::read(&path).expect("the report is written")
    }
}

/// The document read back: its paragraphs' text and its tables (each
/// cell's text), in order.
struct ReadBack {
    paragraphs: Vec<String>,
    tables: Vec<Vec<Vec<String>>>,
    /// For each table, the paragraph just before it (its caption).
    before: Vec<String>,
    /// The document's parts by name (XML as text), from the zip reader.
    parts: BTreeMap<String, String>,
    /// Its pictures (PNG).
    media: usize,
}

fn read_back(bytes: &[u8]) -> ReadBack {
    let docx = docx_rs::read_docx(bytes).expect("the report opens");
    let mut paragraphs: Vec<String> = Vec::new();
    let mut tables = Vec::new();
    let mut before = Vec::new();
    for child in &docx.document.children {
        match child {
            DocumentChild::Paragraph(p) => paragraphs.push(p.raw_text()),
            DocumentChild::Table(t) => {
                let rows = t
                    .rows
                    .iter()
                    .map(|TableChild::TableRow(r)| {
                        r.cells
                            .iter()
                            .map(|TableRowChild::TableCell(c)| {
                                c.children
                                    .iter()
                                    .filter_map(|x| match x {
                                        TableCellContent::Paragraph(p) => Some(p.raw_text()),
                                        _ => None,
                                    })
                                    .collect::<Vec<_>>()
                                    .join("")
                            })
                            .collect()
                    })
                    .collect();
                tables.push(rows);
                before.push(paragraphs.last().cloned().unwrap_or_default());
            }
            _ => {}
        }
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip package");
    let mut parts = BTreeMap::new();
    let mut media = 0;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("part");
        let name = f.name().expect("name").to_string();
        if name.starts_with("word/media/") && name.ends_with(".png") {
            media += 1;
        }
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let mut text = String::new();
            f.read_to_string(&mut text).expect("UTF-8 XML");
            parts.insert(name, text);
        }
    }
    ReadBack {
        paragraphs,
        tables,
        before,
        parts,
        media,
    }
}

impl ReadBack {
    /// The table whose caption (`表N 标题` / `Table N. Title`) ends with
    /// `caption`.
    fn table(&self, caption: &str) -> &Vec<Vec<String>> {
        let i = self
            .before
            .iter()
            .position(|p| (p.starts_with('表') || p.starts_with("Table ")) && p.ends_with(caption))
            .unwrap_or_else(|| panic!("no table {caption}: {:?}", self.before));
        &self.tables[i]
    }

    fn text(&self) -> String {
        self.paragraphs.join("\n")
    }
}

/// A figure as printed (`427,148,100`, `20,000.50`, `82.9%`, `—`) as a
/// number, percentages as fractions.
fn number(s: &str) -> Option<f64> {
    let s = s.trim();
    if s == "—" {
        return None;
    }
    let (digits, scale) = match s.strip_suffix('%') {
        Some(p) => (p, 0.01),
        None => (s, 1.0),
    };
    let v: f64 = digits
        .replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {s}"));
    Some(v * scale)
}

/// The printed figure is the summary's: money to the fen, counts
/// exactly, shares to the printed 0.1%.
fn same(printed: &str, json: &Value, what: &str) {
    let got = number(printed);
    let want = json.as_f64();
    match (got, want) {
        (None, None) => {}
        (Some(g), Some(w)) => {
            let tolerance = if printed.ends_with('%') {
                0.0005 + 1e-9
            } else {
                0.005
            };
            assert!(
                (g - w).abs() <= tolerance,
                "{what}: printed {printed}, summary {w}"
            );
        }
        _ => panic!("{what}: printed {printed}, summary {json}"),
    }
}

fn row<'a>(t: &'a [Vec<String>], label: &str) -> &'a Vec<String> {
    t.iter()
        .find(|r| r.first().is_some_and(|c| c == label))
        .unwrap_or_else(|| panic!("no row {label}: {t:?}"))
}

#[test]
fn the_report_opens_and_its_figures_are_the_summarys() {
    let inputs = Inputs::new();
    let s = inputs.summary();
    let doc = read_back(&inputs.report("方案.docx", "zh"));

    // The main figures, before / after / change.
    let main = doc.table("主要指标（整合前后）");
    assert_eq!(main[0], ["指标", "现状", "方案后", "变化"]);
    let sites = row(main, "网站数");
    same(&sites[1], &s["sites"]["before"], "sites before");
    same(&sites[2], &s["sites"]["after"], "sites after");
    let cost = row(main, "年度成本（元）");
    same(&cost[1], &s["annual_cost"]["before"], "cost before");
    same(&cost[2], &s["annual_cost"]["after"], "cost after");
    for (label, key) in [
        ("覆盖率", "coverage"),
        ("合格率", "pass_rate"),
        ("在线服务事项", "services"),
    ] {
        let r = row(main, label);
        same(&r[1], &s[key]["before"], key);
        same(&r[2], &s[key]["after"], key);
    }
    // The other figures.
    let other = doc.table("其他指标");
    for (label, value) in [
        ("每年节约（元）", &s["annual_cost"]["savings"]),
        ("一次性迁移成本（元）", &s["one_time_cost"]),
        ("服务人口（自有人口合计）", &s["population"]),
        ("释放人员", &s["staff_freed"]),
        ("合并网站数", &s["plan"]["merged"]),
        ("按规则合并的网站数", &s["plan"]["by_rule"]),
        ("读取的数据行", &s["import"]["rows_read"]),
        ("导入的网站", &s["import"]["sites"]),
    ] {
        same(&row(other, label)[1], value, label);
    }
    let payback = number(&row(other, "回收期（月）")[1]).expect("payback");
    let months = s["payback_months"].as_f64().expect("months");
    assert!(
        (payback - months).abs() <= 0.05 + 1e-9,
        "{payback} {months}"
    );

    // By level: every level with its sites, costs and coverage.
    let levels = doc.table("分层级情况");
    let by_level = s["by_level"].as_array().expect("by_level");
    assert_eq!(
        levels.len(),
        1 + by_level.len() + 1,
        "header, levels, total"
    );
    for (r, l) in levels[1..].iter().zip(by_level) {
        same(&r[1], &l["sites_before"], "level sites before");
        same(&r[2], &l["sites_after"], "level sites after");
        same(&r[3], &l["cost_before"], "level cost before");
        same(&r[4], &l["cost_after"], "level cost after");
    }
    let total = levels.last().expect("total");
    assert_eq!(total[0], "合计");
    same(&total[3], &s["annual_cost"]["before"], "total cost before");
    same(&total[4], &s["annual_cost"]["after"], "total cost after");

    // By prefecture: every area, then the total.
    let areas = doc.table("分地区情况");
    let by_area = s["by_area"].as_array().expect("by_area");
    assert_eq!(areas.len(), 1 + by_area.len() + 1);
    for (r, a) in areas[1..].iter().zip(by_area) {
        if let Some(name) = a["name"].as_str() {
            assert_eq!(r[0], name);
        }
        same(&r[1], &a["sites_before"], "area sites");
        same(&r[2], &a["merged"], "area merged");
        same(&r[3], &a["cost_before"], "area cost before");
        same(&r[4], &a["savings"], "area savings");
        same(&r[5], &a["one_time_cost"], "area one-time cost");
        same(&r[6], &a["coverage"]["after"], "area coverage after");
    }
    let total = areas.last().expect("total");
    same(&total[4], &s["annual_cost"]["savings"], "areas' savings");
    same(&total[5], &s["one_time_cost"], "areas' one-time cost");

    // Over capacity: every receiving site the summary flags, with its load.
    let over: Vec<&Value> = s["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .filter(|t| t["over_capacity"] == Value::Bool(true))
        .collect();
    assert!(
        !over.is_empty(),
        "the fixture has receiving sites over capacity"
    );
    let table = doc.table("超负荷的承接网站");
    assert_eq!(table.len(), 1 + over.len());
    for (r, t) in table[1..].iter().zip(&over) {
        assert_eq!(r[1], t["site_id"].as_str().expect("id"));
        same(&r[3], &t["absorbed_sites"], "absorbed");
        same(&r[4], &t["absorb_cost"], "absorb cost");
        assert_eq!(r[5], "20");
    }

    // The words say the same figures.
    let text = doc.text();
    for figure in [
        &s["annual_cost"]["savings"],
        &s["annual_cost"]["before"],
        &s["one_time_cost"],
    ] {
        let v = figure.as_f64().expect("money");
        let printed = sitefold::money::Money::from_f64(v)
            .expect("money")
            .grouped();
        assert!(text.contains(&printed), "the text names {printed}");
    }
}

#[test]
fn the_appendix_lists_every_closing_site_and_where_it_folds() {
    let inputs = Inputs::new();
    // The per-site plan: which sites close and which site serves each.
    let plan = inputs.out("plan.csv");
    let (code, _, err) = inputs.run("plan", &["--out", &plan.display().to_string()]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&plan).expect("plan");
    let mut csv = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = csv.headers().expect("headers").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (id, decision, serving) = (col("网站标识码"), col("决定"), col("服务网站名称"));
    let mut closing = BTreeMap::new();
    for r in csv.records() {
        let r = r.expect("row");
        if &r[decision] == "合并" {
            closing.insert(r[id].to_string(), r[serving].to_string());
        }
    }
    assert!(closing.len() > 500, "{}", closing.len());

    let doc = read_back(&inputs.report("方案.docx", "zh"));
    let start = doc
        .paragraphs
        .iter()
        .position(|p| p == "附件")
        .expect("the appendix");
    assert_eq!(doc.paragraphs[start + 1], "关停网站清单");
    // The appendix's tables: those after its title.
    let first = doc
        .before
        .iter()
        .position(|p| p.starts_with('（') && p.ends_with("个）"))
        .expect("an appendix table");
    let mut listed = BTreeMap::new();
    for t in &doc.tables[first..] {
        assert_eq!(t[0], ["序号", "关停网站", "网站标识码", "层级", "并入网站"]);
        for (n, r) in t[1..].iter().enumerate() {
            assert_eq!(r[0], (n + 1).to_string(), "numbered within its prefecture");
            assert!(
                listed.insert(r[2].clone(), r[4].clone()).is_none(),
                "{} twice",
                r[2]
            );
        }
    }
    assert_eq!(
        listed, closing,
        "every closing site, once, with its receiving site"
    );
    // Grouped by prefecture, each heading with its count.
    let headings: Vec<&String> = doc.paragraphs[start..]
        .iter()
        .filter(|p| p.starts_with('（') && p.ends_with("个）"))
        .collect();
    assert!(headings.len() >= 16, "{headings:?}");
    assert!(headings[0].starts_with("（一）"), "{headings:?}");
}

#[test]
fn chinese_and_english_reports_have_the_same_structure_and_official_layout() {
    let inputs = Inputs::new();
    let zh = read_back(&inputs.report("方案.docx", "zh"));
    let en = read_back(&inputs.report("report.docx", "en"));
    // Sections numbered 一、二、… and 1., 2., …, the same in both.
    let numbered = |doc: &ReadBack, marks: &[&str]| -> Vec<String> {
        doc.paragraphs
            .iter()
            .filter(|p| marks.iter().any(|m| p.starts_with(m)))
            .cloned()
            .collect()
    };
    let zh_sections = numbered(
        &zh,
        &["一、", "二、", "三、", "四、", "五、", "六、", "七、"],
    );
    let en_sections = numbered(&en, &["1. ", "2. ", "3. ", "4. ", "5. ", "6. ", "7. "]);
    assert_eq!(
        zh_sections,
        [
            "一、基本情况",
            "二、整合规则与测算参数",
            "三、测算结果",
            "四、分层级情况",
            "五、分地区情况",
            "六、承接网站与承接能力"
        ]
    );
    assert_eq!(en_sections.len(), zh_sections.len(), "{en_sections:?}");
    assert_eq!(en_sections[0], "1. The sites today");
    assert_eq!(zh.tables.len(), en.tables.len(), "the same tables");
    // The rules and parameters in words.
    let text = zh.text();
    assert!(text.contains("规则一“"), "{text}");
    assert!(text.contains("承接网站每年增加支出 5,000 元，另加被并入网站原年度预算的 15%"));
    assert!(text.contains("每个承接网站最多承接 20 个网站"));
    assert!(en.text().contains("Rule 1, “"));
    // The four dashboard charts, as pictures with captions.
    for doc in [&zh, &en] {
        assert_eq!(doc.media, 4);
    }
    for kind in sitefold::charts::ChartKind::ALL {
        let caption = kind.title(Lang::Zh);
        assert!(
            zh.paragraphs
                .iter()
                .any(|p| p.starts_with("图") && p.ends_with(caption)),
            "{caption}"
        );
    }
    // A4, the official margins, page numbers in the footer, the fonts.
    let doc = &zh.parts["word/document.xml"];
    assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "A4");
    // Every table's first row, and only it, repeats on each page the
    // table runs onto.
    let tables = doc.matches("<w:tbl>").count();
    assert!(tables >= 5, "{tables} tables");
    assert_eq!(doc.matches("<w:tblHeader />").count(), tables);
    assert_eq!(
        doc.matches("</w:tblGrid><w:tr><w:trPr><w:cantSplit /><w:tblHeader />")
            .count(),
        tables
    );
    assert!(doc.contains(r#"w:top="2098""#) && doc.contains(r#"w:left="1587""#));
    let footer = zh
        .parts
        .iter()
        .find(|(name, _)| name.starts_with("word/footer"))
        .map(|(_, xml)| xml)
        .expect("a footer");
    assert!(
        footer.contains(">PAGE<") && footer.contains("— "),
        "{footer}"
    );
    let styles = &zh.parts["word/styles.xml"];
    for font in ["FangSong", "SimHei", "KaiTi", "SimSun", "Times New Roman"] {
        assert!(styles.contains(&format!("\"{font}\"")), "{font}");
    }
    assert!(styles.contains(r#"w:eastAsia="FangSong""#));
    assert!(
        styles.contains(r#"w:line="580" w:lineRule="exact""#),
        "29 pt lines"
    );
    // The parts are compressed (docx-rs stores them as they are).
    let raw = std::fs::read(inputs.out("方案.docx")).expect("file");
    assert!(raw.len() < 3_000_000, "{} bytes", raw.len());
}

#[test]
fn the_report_command_refuses_other_extensions_and_its_inputs() {
    let inputs = Inputs::new();
    let txt = inputs.out("方案.txt");
    let (code, _, err) = inputs.run("report", &["--out", &txt.display().to_string()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(".docx"), "{err}");
    assert!(!txt.exists());
    let inventory = sample("province.csv");
    let (code, _, err) = run(&["report", &inventory, "--out", &inventory]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn the_app_and_the_command_line_write_the_same_report() {
    use sitefold::export::{FileExport, write_export};
    let inputs = Inputs::new();
    let cli = read_back(&inputs.report("cli.docx", "en"));
    let ws = sitefold::workspace::Workspace::load(&sitefold::workspace::Inputs {
        inventory: PathBuf::from(sample("province.csv")),
        plan: None,
        rules: Some(PathBuf::from(sample("rules-state-council.toml"))),
        params: Some(inputs.out("参数.toml")),
        import: Default::default(),
        map: None,
        rounds: Vec::new(),
    })
    .expect("load");
    let app = inputs.out("app.docx");
    // The app's export job runs this with the job's progress and cancel.
    let outcome = sitefold::ui::jobs::export(
        sitefold::ui::jobs::ExportKind::Report,
        &ws,
        Lang::En,
        &app,
        &|_| true,
    );
    assert_eq!(outcome, sitefold::ui::jobs::ExportOutcome::Written);
    let app = read_back(&std::fs::read(&app).expect("written"));
    assert_eq!(app.paragraphs, cli.paragraphs);
    assert_eq!(app.tables, cli.tables);
    // Cancelled at once: nothing written.
    let cancelled = inputs.out("cancelled.docx");
    let r = write_export(FileExport::Report, &ws, Lang::Zh, &cancelled, &|f| f < 0.5);
    assert!(
        matches!(r, Err(sitefold::export::ExportError::Cancelled)),
        "{r:?}"
    );
    assert!(!cancelled.exists());
}

#[test]
fn a_timeline_section_is_numbered_before_the_appendix() {
    use sitefold::report::{Block, ReportTable, Section};
    let ws = sitefold::workspace::Workspace::new(sitefold::sample::sample());
    let model = ws.model();
    let (resolved, outcome) = ws.evaluate_with(&model);
    let data = sitefold::export::PlanExport {
        ws: &ws,
        model: &model,
        resolved: &resolved,
        outcome: &outcome,
    };
    let timeline = Section {
        title: "实施进度与资金流".into(),
        blocks: vec![
            Block::Paragraph("按季度关停。".into()),
            Block::Table(ReportTable {
                caption: "资金流".into(),
                headers: vec!["季度".into(), "净额（元）".into()],
                rows: vec![vec!["2027Q1".into(), "-10,000".into()]],
                total: None,
                widths: vec![1, 1],
                numeric: vec![false, true],
            }),
        ],
    };
    let bytes =
        sitefold::report::report_docx(&data, Lang::Zh, Some(timeline), &|_| true).expect("report");
    let doc = read_back(&bytes);
    let seven = doc
        .paragraphs
        .iter()
        .position(|p| p == "七、实施进度与资金流")
        .expect("numbered after the six sections");
    let appendix = doc
        .paragraphs
        .iter()
        .position(|p| p == "附件")
        .expect("appendix");
    assert!(seven < appendix);
    assert_eq!(doc.table("资金流")[1], ["2027Q1", "-10,000"]);
    // Without a plan's merges the appendix says so.
    assert!(doc.text().contains("本方案没有关停的网站。"));
}

#[test]
fn a_scheduled_plan_reports_its_timeline_and_cash_flow() {
    use sitefold::plan::Decision;
    let mut ws = sitefold::workspace::Workspace::new(sitefold::sample::sample());
    // No schedule: no section.
    assert!(sitefold::report::timeline_section(&ws, Lang::Zh).is_none());
    let inv = ws.imported.inventory.clone();
    for i in 0..inv.len() {
        if inv.parent(i).is_some() && inv.site(i).level == sitefold::inventory::Level::Township {
            ws.manual[i] = Some(Decision::Merge { target: None });
        }
    }
    ws.timeline.start_quarter = sitefold::timeline::Quarter::parse("2027Q1");
    ws.timeline.max_closures_per_quarter = Some(60);
    let t = ws.timeline(true);
    ws.schedule = t.quarters.clone();
    let flow = &t.flow;
    let model = ws.model();
    let (resolved, outcome) = ws.evaluate_with(&model);
    let data = sitefold::export::PlanExport {
        ws: &ws,
        model: &model,
        resolved: &resolved,
        outcome: &outcome,
    };
    for lang in [Lang::Zh, Lang::En] {
        let section = sitefold::report::timeline_section(&ws, lang).expect("a section");
        let bytes =
            sitefold::report::report_docx(&data, lang, Some(section), &|_| true).expect("report");
        let doc = read_back(&bytes);
        let (title, caption) = match lang {
            Lang::Zh => ("七、关停时间表与现金流", "分年度现金流"),
            Lang::En => ("7. Closure schedule and cash flow", "Cash flow by year"),
        };
        assert!(
            doc.paragraphs.iter().any(|p| p == title),
            "{:?}",
            doc.paragraphs
        );
        let table = doc.table(caption);
        assert_eq!(table.len(), flow.years.len() + 1);
        // Each year's figures are the cash flow's, to the fen.
        for (row, y) in table[1..].iter().zip(&flow.years) {
            assert_eq!(row[0], y.year.to_string());
            assert_eq!(row[1], y.closures.to_string());
            assert_eq!(row[2], y.one_time.grouped());
            assert_eq!(row[5], y.cumulative.grouped());
        }
        if let Some(q) = flow.payback_quarter {
            let said = match lang {
                Lang::Zh => format!("于{}回本", q.chinese()),
                Lang::En => format!("pays back in {q}"),
            };
            assert!(doc.text().contains(&said), "{}", doc.text());
        }
    }
}

#[test]
fn the_report_command_takes_a_schedule_file() {
    let inputs = Inputs::new();
    let schedule = inputs.out("时间表.csv").display().to_string();
    let mut args: Vec<String> = vec!["schedule".into()];
    args.extend(inputs.args.iter().cloned());
    args.extend(
        [
            "--start",
            "2027Q1",
            "--max-closures-per-quarter",
            "60",
            "--out",
            &schedule,
        ]
        .map(String::from),
    );
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, err) = run(&refs);
    assert_eq!(code, 0, "{err}");
    for (with, want) in [(true, true), (false, false)] {
        let docx = inputs.out(&format!("{with}.docx")).display().to_string();
        let mut args: Vec<String> = vec!["report".into()];
        args.extend(inputs.args.iter().cloned());
        if with {
            args.extend(["--schedule".to_string(), schedule.clone()]);
        }
        args.extend(["--out".to_string(), docx.clone()]);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, _, err) = run(&refs);
        assert_eq!(code, 0, "{err}");
        let doc = read_back(&std::fs::read(&docx).expect("written"));
        let has = doc
            .paragraphs
            .iter()
            .any(|p| p.ends_with("关停时间表与现金流"));
        assert_eq!(has, want, "{:?}", doc.paragraphs);
    }
}

#[test]
fn an_empty_inventory_still_makes_a_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = dir.path().join("空.csv");
    // One row, rejected (no id): no sites at all.
    std::fs::write(&inv, "网站标识码,网站名称,层级\n,无标识码,县级\n").expect("write");
    for lang in ["zh", "en"] {
        let out = dir.path().join(format!("空-{lang}.docx"));
        let (code, _, err) = run(&[
            "report",
            &inv.display().to_string(),
            "--out",
            &out.display().to_string(),
            "--lang",
            lang,
        ]);
        // A rejected row is an input problem (exit 1); the report is
        // written all the same.
        assert_eq!(code, 1, "{err}");
        let doc = read_back(&std::fs::read(&out).expect("written"));
        assert_eq!(doc.media, 4, "the charts say there is no data");
        let text = doc.text();
        assert!(
            text.contains("本方案没有关停的网站。")
                || text.contains("No site closes in this plan."),
            "{text}"
        );
    }
}
