//! The import report tab and the column-mapping dialog, driven through the
//! real app as a planner would: open a file, read the report, filter it,
//! map unknown headers, and survive a file that is not an inventory.

mod common;

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use sitefold::i18n::Lang;
use sitefold::inventory::{Column, Finding, Issue, Severity};
use sitefold::inventory::{ImportOptions, import_bytes};
use sitefold::ui::app::{Cx, header_signature};
use sitefold::ui::command::{Command, SelectMode, Tab};
use sitefold::ui::document::Document;
use sitefold::ui::mapping::{MappingDialog, Outcome};
use sitefold::ui::report_panel::ReportPanel;
use sitefold::ui::selection::Selection;
use sitefold::workspace::Workspace;

/// Rejected rows on lines 5, 7 and 8; bad cells on lines 3 and 4; a
/// missing name (warning) on line 4. Four sites are imported.
const WITH_PROBLEMS: &str = "\
网站标识码,网站名称,层级,上级网站标识码,年度预算（元）,检查得分
P1,省门户,省,,100万,80
C1,市门户,市,P1,abc,70
C2,,市,P1,50000,150
,无标识,县,C1,1000,50
C3,另一市,市,P1,100,50
C1,重复市,市,P1,100,50
X1,未知层级,村,P1,100,50
";

/// Headers Sitefold does not recognise (only 上级 is known).
const UNKNOWN_HEADERS: &str = "\
编码,网站,级别x,上级
P1,省门户,省,
C1,市门户,市,P1
K1,县门户,县,C1
";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the test file");
    path
}

/// The sample app showing the report tab. (Also keeps these tests off the
/// inventory table, whose state is not theirs to test.)
fn on_report_tab(lang: Lang) -> sitefold::ui::SitefoldApp {
    let mut app = common::sample_app(lang);
    app.settings.tab = Tab::Report;
    app
}

fn has_label_containing(
    harness: &egui_kittest::Harness<'_, sitefold::ui::SitefoldApp>,
    text: &str,
) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

#[test]
fn report_lists_rejected_rows_and_bad_cells_and_filters_by_severity() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "清单.csv", WITH_PROBLEMS.as_bytes());
    let mut harness = common::harness(on_report_tab(Lang::Zh));
    harness.run();
    harness.state_mut().open(path, None);
    harness.run();

    let app = harness.state();
    assert!(app.error().is_none(), "{:?}", app.error());
    assert_eq!(app.doc.inventory().len(), 4);
    // A report with problems opens its tab.
    assert_eq!(app.settings.tab, Tab::Report);
    assert_eq!(app.report.counts()[..3], [3, 2, 1]);

    // Rejected rows: location, message and the raw row.
    assert!(has_label_containing(&harness, "第 5 行"));
    assert!(
        harness
            .query_by_label("网站标识码为空，该行未导入")
            .is_some()
    );
    assert!(has_label_containing(
        &harness,
        "网站标识码“C1”重复（第 3 行已出现）"
    ));
    assert!(has_label_containing(&harness, "无法识别的层级“村”"));
    assert!(
        harness
            .query_by_label(", 无标识, 县, C1, 1000, 50")
            .is_some()
    );
    // Bad cells: line, column number and header.
    assert!(has_label_containing(
        &harness,
        "第 3 行 · 第 5 列 年度预算（元）"
    ));
    assert!(has_label_containing(&harness, "得分“150”不在 0–100 之间"));
    // The summary.
    assert!(has_label_containing(&harness, "读取行数: 7"));
    assert!(has_label_containing(&harness, "导入网站: 4"));

    // Hide the rejected rows: the bad cells stay.
    harness.get_by_label("未导入 (3)").click();
    harness.run();
    assert!(!harness.state().report.show[0]);
    assert_eq!(
        harness.state().report.shown().len(),
        3 + info_count(&harness)
    );
    assert!(!has_label_containing(&harness, "第 5 行"));
    assert!(!has_label_containing(&harness, "该行未导入"));
    assert!(has_label_containing(&harness, "第 3 行"));

    // Only warnings.
    harness.get_by_label("错误 (2)").click();
    harness.get_by_label("提示 (0)").click();
    harness.run();
    assert_eq!(harness.state().report.shown().len(), 1);
    assert!(
        harness
            .query_by_label("缺少网站名称，以标识码代替")
            .is_some()
    );
    assert!(!has_label_containing(&harness, "第 3 行"));

    // Everything again, then a text filter on a site id.
    for label in ["未导入 (3)", "错误 (2)", "提示 (0)"] {
        harness.get_by_label(label).click();
    }
    harness.state_mut().report.filter = "c1".into();
    harness.run();
    // Line 3 (C1's bad budget), line 5 (parent C1 in the raw row), line 7 (duplicate C1).
    assert_eq!(harness.state().report.shown().len(), 3);
    assert!(has_label_containing(&harness, "第 7 行"));
    assert!(!has_label_containing(&harness, "第 8 行"));

    // A click on an issue selects its site.
    harness.get_by_label_contains("第 3 行 ·").click();
    harness.run();
    let c1 = harness
        .state()
        .doc
        .inventory()
        .find("C1")
        .expect("C1 imported");
    assert!(harness.state().selection.contains(c1));
    assert_eq!(harness.state().selection.focus, Some(c1));
}

fn info_count(harness: &egui_kittest::Harness<'_, sitefold::ui::SitefoldApp>) -> usize {
    harness.state().report.counts()[3]
}

#[test]
fn report_renders_in_english_with_file_problems() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "inventory.csv", WITH_PROBLEMS.as_bytes());
    let mut harness = common::harness(on_report_tab(Lang::En));
    harness.state_mut().open(path, None);
    harness
        .state_mut()
        .doc
        .ws
        .file_issues
        .push(sitefold::diag::FileIssue::error(
            "plan.csv",
            4,
            sitefold::i18n::Text::new("未知网站“Q9”", "unknown site \"Q9\""),
        ));
    harness.run();

    assert!(has_label_containing(&harness, "line 5"));
    assert!(
        harness
            .query_by_label("site_id is empty; row not imported")
            .is_some()
    );
    assert!(has_label_containing(
        &harness,
        "line 3 · col 5 年度预算（元）"
    ));
    assert!(harness.get_by_label("Rejected (3)").rect().width() > 0.0);
    assert!(
        harness
            .query_by_label("plan.csv:4: error: unknown site \"Q9\"")
            .is_some()
    );

    // Switch to Chinese: the same report, the other language.
    harness.state_mut().push(Command::SetLang(Lang::Zh));
    harness.run();
    assert!(
        harness
            .query_by_label("plan.csv:4: 错误: 未知网站“Q9”")
            .is_some()
    );
    assert!(
        harness
            .query_by_label("网站标识码为空，该行未导入")
            .is_some()
    );
}

#[test]
fn a_hundred_thousand_issues_stay_responsive() {
    let mut harness = common::harness(on_report_tab(Lang::Zh));
    let issues: Vec<Issue> = (0..100_000u64)
        .map(|i| Issue {
            severity: if i % 2 == 0 {
                Severity::Error
            } else {
                Severity::Warning
            },
            line: i + 2,
            column: Some(3),
            header: Some("年度预算".into()),
            site_id: Some(format!("S{i}")),
            finding: Finding::BadNumber {
                value: format!("x{i}"),
            },
            raw: None,
            file: None,
        })
        .collect();
    std::sync::Arc::make_mut(&mut harness.state_mut().doc.ws.imported)
        .report
        .issues = issues;
    harness.run();
    assert_eq!(harness.state().report.shown().len(), 100_000);

    harness.get_by_label("警告 (50000)").click();
    harness.run();
    assert_eq!(harness.state().report.shown().len(), 50_000);

    harness.state_mut().report.filter = "x4242".into();
    harness.run();
    // Errors (even) only: x4242, x42420, x42422, x42424, x42426, x42428.
    assert_eq!(harness.state().report.shown().len(), 6);

    // Once cached, a frame does not walk the issues again.
    let start = std::time::Instant::now();
    harness.run_steps(5);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "five frames took {:?}",
        start.elapsed()
    );
}

#[test]
fn unknown_headers_open_the_mapping_dialog_and_the_mapping_is_remembered() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "未知表头.csv", UNKNOWN_HEADERS.as_bytes());
    let mut harness = common::harness(on_report_tab(Lang::Zh));
    harness.run();
    let before = harness.state().doc.inventory().len();
    harness.state_mut().open(path.clone(), None);
    harness.run();

    let dialog = harness
        .state()
        .mapping
        .as_ref()
        .expect("the mapping dialog is open");
    assert_eq!(dialog.header, ["编码", "网站", "级别x", "上级"]);
    assert_eq!(dialog.mapping, [None, None, None, Some(Column::ParentId)]);
    // The current work is untouched while the dialog is open.
    assert_eq!(harness.state().doc.inventory().len(), before);
    // It says why Import is not possible yet, and previews the values.
    assert!(has_label_containing(
        &harness,
        "还需要指定：网站标识码 site_id、层级 level"
    ));
    assert!(has_label_containing(&harness, "P1 · C1 · K1"));
    assert!(
        harness
            .get_by_role_and_label(Role::Button, "导入")
            .accesskit_node()
            .is_disabled()
    );

    // Pick what each column holds, through the combo boxes.
    for (header, choice) in [
        ("编码", "网站标识码 site_id"),
        ("网站", "网站名称 name"),
        ("级别x", "层级 level"),
    ] {
        harness
            .get_by_role_and_label(Role::ComboBox, header)
            .click();
        harness.run();
        harness.get_by_role_and_label(Role::Button, choice).click();
        harness.run();
    }
    let dialog = harness.state().mapping.as_ref().expect("still open");
    assert_eq!(
        dialog.mapping,
        [
            Some(Column::SiteId),
            Some(Column::Name),
            Some(Column::Level),
            Some(Column::ParentId)
        ]
    );
    assert!(has_label_containing(&harness, "可以导入"));

    harness.get_by_role_and_label(Role::Button, "导入").click();
    harness.step();
    common::wait_for_open(&mut harness);
    let app = harness.state();
    assert!(app.mapping.is_none());
    assert!(app.error().is_none(), "{:?}", app.error());
    assert_eq!(app.doc.inventory().len(), 3);
    assert_eq!(app.doc.path.as_deref(), Some(path.as_path()));
    let header: Vec<String> = ["编码", "网站", "级别x", "上级"].map(String::from).to_vec();
    assert_eq!(
        app.settings.mappings.get(&header_signature(&header)),
        Some(&vec![
            Some(Column::SiteId),
            Some(Column::Name),
            Some(Column::Level),
            Some(Column::ParentId)
        ])
    );

    // Back to the sample, then the same file again: no dialog this time.
    harness
        .state_mut()
        .push(Command::Action(sitefold::ui::actions::Action::OpenSample));
    harness.run();
    assert_eq!(harness.state().doc.inventory().len(), before);
    harness.state_mut().open(path.clone(), None);
    harness.run();
    let app = harness.state();
    assert!(app.mapping.is_none());
    assert_eq!(app.doc.inventory().len(), 3);
    let c1 = app.doc.inventory().find("C1").expect("C1");
    assert_eq!(app.doc.inventory().site(c1).name, "市门户");
}

#[test]
fn mapping_the_same_column_twice_is_refused_and_cancel_keeps_the_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "unknown.csv", UNKNOWN_HEADERS.as_bytes());
    let mut harness = common::harness(on_report_tab(Lang::En));
    harness.run();
    let before = harness.state().doc.inventory().len();
    harness.state_mut().open(path, None);
    harness.run();
    assert!(harness.state().mapping.is_some());

    if let Some(d) = harness.state_mut().mapping.as_mut() {
        d.mapping = vec![
            Some(Column::SiteId),
            Some(Column::SiteId),
            Some(Column::Level),
            None,
        ];
    }
    harness.run();
    assert!(has_label_containing(
        &harness,
        "网站标识码 site_id is chosen more than once"
    ));
    assert!(
        harness
            .get_by_role_and_label(Role::Button, "Import")
            .accesskit_node()
            .is_disabled()
    );

    harness
        .get_by_role_and_label(Role::Button, "Cancel")
        .click();
    harness.run();
    let app = harness.state();
    assert!(app.mapping.is_none());
    assert!(app.settings.mappings.is_empty());
    assert_eq!(app.doc.inventory().len(), before);
    assert!(app.doc.path.is_none());
}

#[test]
fn a_binary_file_shows_the_error_and_keeps_the_document() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = write(dir.path(), "good.csv", WITH_PROBLEMS.as_bytes());
    let bad = write(
        dir.path(),
        "bad.csv",
        &[
            0u8, 1, 2, 3, 0xff, 0xfe, 0, 0, 7, 8, 0x10, 0x11, 0, 0x80, 0x90,
        ],
    );
    let mut harness = common::harness(on_report_tab(Lang::Zh));
    harness.state_mut().open(good.clone(), None);
    harness.run();
    assert_eq!(harness.state().doc.inventory().len(), 4);

    harness.state_mut().open(bad, None);
    harness.run();
    let app = harness.state();
    assert!(app.error().is_some());
    assert!(app.mapping.is_none());
    assert_eq!(app.doc.inventory().len(), 4);
    assert_eq!(app.doc.path.as_deref(), Some(good.as_path()));
    assert!(harness.query_by_label("未能完成").is_some());
    assert!(has_label_containing(&harness, "这不是文本（CSV）文件"));

    harness.get_by_role_and_label(Role::Button, "关闭").click();
    harness.run();
    assert!(harness.state().error().is_none());
    assert_eq!(harness.state().doc.inventory().len(), 4);
}

// ------------------------------------------------ the panel and dialog alone

/// The report panel and the mapping dialog outside the app, with the
/// strict harness defaults: a missing glyph or an unnamed input panics.
struct Alone {
    doc: Document,
    selection: Selection,
    panel: ReportPanel,
    dialog: Option<MappingDialog>,
    lang: Lang,
    out: Vec<Command>,
    imported_with: Option<Vec<Option<Column>>>,
}

fn alone(lang: Lang, dialog: Option<MappingDialog>) -> egui_kittest::Harness<'static, Alone> {
    let imported = import_bytes(
        WITH_PROBLEMS.as_bytes(),
        "清单.csv",
        &ImportOptions::default(),
    )
    .expect("import");
    let mut ws = Workspace::new(imported);
    ws.file_issues.push(sitefold::diag::FileIssue::warning(
        "rules.toml",
        7,
        sitefold::i18n::Text::new(
            "未知条件“colour”，已忽略",
            "unknown condition \"colour\"; ignored",
        ),
    ));
    let state = Alone {
        doc: Document::new(ws, None),
        selection: Selection::default(),
        panel: ReportPanel::default(),
        dialog,
        lang,
        out: Vec::new(),
        imported_with: None,
    };
    egui_kittest::Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        .with_context_setup(sitefold::ui::fonts::install)
        .build_ui_state(
            |ui, s: &mut Alone| {
                let optimizer = sitefold::ui::app::OptimizerResults::default();
                let cx = Cx {
                    optimizer: &optimizer,
                    doc: &s.doc,
                    lang: s.lang,
                    selection: &s.selection,
                };
                s.panel.ui(ui, &cx, &mut s.out);
                if let Some(d) = &mut s.dialog {
                    match d.ui(ui.ctx(), s.lang) {
                        Outcome::Open | Outcome::WriteFile(_) | Outcome::ReadFile => {}
                        Outcome::Cancel => s.dialog = None,
                        Outcome::Import(_, m) => {
                            s.imported_with = Some(m.columns);
                            s.dialog = None;
                        }
                        Outcome::Save(..) => s.dialog = None,
                    }
                }
            },
            state,
        )
}

#[test]
fn panel_alone_renders_both_languages_and_a_click_selects_the_site() {
    for (lang, line3, file_issue) in [
        (
            Lang::Zh,
            "第 3 行 · 第 5 列 年度预算（元）",
            "rules.toml:7: 警告: 未知条件“colour”，已忽略",
        ),
        (
            Lang::En,
            "line 3 · col 5 年度预算（元）",
            "rules.toml:7: warning: unknown condition \"colour\"; ignored",
        ),
    ] {
        let mut harness = alone(lang, None);
        harness.run();
        assert!(harness.query_by_label(file_issue).is_some(), "{lang:?}");
        harness.get_by_label(line3).click();
        harness.run();
        let c1 = harness.state().doc.inventory().find("C1").expect("C1");
        assert_eq!(
            harness.state().out,
            [Command::Select {
                site: c1,
                mode: SelectMode::Replace
            }]
        );
        // A rejected row names no imported site: a click selects nothing.
        harness.state_mut().out.clear();
        let line5 = if lang == Lang::Zh {
            "第 5 行 · 第 1 列 网站标识码"
        } else {
            "line 5 · col 1 网站标识码"
        };
        harness.get_by_label(line5).click();
        harness.run();
        assert!(harness.state().out.is_empty(), "{:?}", harness.state().out);
    }
}

#[test]
fn dialog_alone_renders_both_languages_with_every_choice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "u.csv", UNKNOWN_HEADERS.as_bytes());
    for lang in [Lang::Zh, Lang::En] {
        let dialog = MappingDialog::new(
            path.clone(),
            ["编码", "网站", "级别x", "上级"].map(String::from).to_vec(),
        );
        let mut harness = alone(lang, Some(dialog));
        harness.run();
        // Open a combo: every column is offered (and every glyph drawn).
        harness
            .get_by_role_and_label(Role::ComboBox, "级别x")
            .click();
        harness.run();
        for c in Column::ALL {
            assert!(
                harness
                    .query_by_label(&sitefold::ui::mapping::column_label(c))
                    .is_some(),
                "{c:?} offered"
            );
        }
        harness.get_by_label("层级 level").click();
        harness.run();
        harness
            .get_by_role_and_label(Role::ComboBox, "编码")
            .click();
        harness.run();
        harness.get_by_label("网站标识码 site_id").click();
        harness.run();
        let import = if lang == Lang::Zh { "导入" } else { "Import" };
        harness.get_by_role_and_label(Role::Button, import).click();
        harness.run();
        assert!(harness.state().dialog.is_none());
        assert_eq!(
            harness.state().imported_with,
            Some(vec![
                Some(Column::SiteId),
                None,
                Some(Column::Level),
                Some(Column::ParentId)
            ])
        );
    }
}

#[test]
fn escape_cancels_the_dialog_but_first_closes_an_open_combo() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "u.csv", UNKNOWN_HEADERS.as_bytes());
    let header = ["编码", "网站", "级别x", "上级"].map(String::from).to_vec();
    let mut harness = alone(Lang::Zh, Some(MappingDialog::new(path, header)));
    harness.run();
    harness
        .get_by_role_and_label(Role::ComboBox, "编码")
        .click();
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        harness.state().dialog.is_some(),
        "the first Escape closes the combo"
    );
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.state().dialog.is_none());
    assert!(harness.state().imported_with.is_none());
}
