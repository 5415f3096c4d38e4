//! Column and value mapping through the real app: the preview of what an
//! import would give, value maps that make a file's own words import,
//! the remembered mappings' window, and settings of older versions.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use sitefold::i18n::Lang;
use sitefold::inventory::{Column, Level, MappedValue, Mapping};
use sitefold::ui::SitefoldApp;
use sitefold::ui::actions::Action;
use sitefold::ui::app::header_signature;
use sitefold::ui::command::Command;
use sitefold::ui::mapping::MappingDialog;

/// Unknown headers (only 上级 is known); line 5 has a level no one knows.
const ONE_BAD_ROW: &str = "\
编码,网站,级别x,上级
P1,省门户,省,
C1,市门户,市,P1
K1,县门户,县,C1
X1,村网站,村,K1
";

/// A file that writes levels in its own words.
const TIERS: &str = "\
Site,Name,Tier,Parent
F,Nation,Federal,
S1,State one,State,F
S2,State two,state,F
L1,Town,Local,S1
L2,Village,Local,S2
";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the test file");
    path
}

fn has_label_containing(harness: &Harness<'_, SitefoldApp>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// Steps until the mapping dialog's preview of the mapping on screen has
/// landed and is drawn.
fn wait_for_preview(harness: &mut Harness<'static, SitefoldApp>) {
    let start = Instant::now();
    while harness
        .state()
        .mapping
        .as_ref()
        .is_none_or(|d| d.preview().is_none())
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the preview lands"
        );
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
    harness.run();
}

/// Picks `choice` in the combo box labelled `label`.
fn choose(harness: &mut Harness<'static, SitefoldApp>, label: &str, choice: &str) {
    harness.get_by_role_and_label(Role::ComboBox, label).click();
    harness.run();
    harness.get_by_role_and_label(Role::Button, choice).click();
    harness.run();
}

#[test]
fn the_preview_counts_the_rows_that_import_and_lists_the_bad_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "一行有误.csv", ONE_BAD_ROW);
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    harness.state_mut().open(path.clone(), None);
    harness.run();
    assert!(harness.state().mapping.is_some(), "the dialog is open");
    // Nothing to preview until the required columns are chosen.
    assert!(has_label_containing(&harness, "还需要指定"));
    assert!(!has_label_containing(&harness, "将导入"));

    choose(&mut harness, "编码", "网站标识码 site_id");
    choose(&mut harness, "级别x", "层级 level");
    wait_for_preview(&mut harness);
    assert!(
        harness.query_by_label("将导入 3 行，拒绝 1 行").is_some(),
        "the counts are shown"
    );
    assert!(has_label_containing(
        &harness,
        "第 5 行 · 第 3 列 级别x：无法识别的层级“村”"
    ));
    // The level column's values, each with its rows and what it reads as.
    assert!(has_label_containing(
        &harness,
        "“级别x”列（层级 level）的取值"
    ));
    for value in ["省", "市", "县", "村"] {
        harness.get_by_role_and_label(Role::ComboBox, value);
    }
    // Each list starts at what the importer reads the value as.
    harness.get_by_role_and_label(Role::ComboBox, "省").click();
    harness.run();
    assert!(harness.query_by_label("默认：省级 province").is_some());
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        harness.state().mapping.is_some(),
        "Escape closed the list only"
    );

    // 村 is a township here: the preview follows.
    harness.get_by_role_and_label(Role::ComboBox, "村").click();
    harness.run();
    assert!(harness.query_by_label("默认：无法识别").is_some());
    harness
        .get_by_role_and_label(Role::Button, "乡镇级 township")
        .click();
    harness.run();
    wait_for_preview(&mut harness);
    assert!(harness.query_by_label("将导入 4 行，拒绝 0 行").is_some());
    assert!(!has_label_containing(&harness, "第 5 行"));

    harness.get_by_role_and_label(Role::Button, "导入").click();
    harness.step();
    common::wait_for_open(&mut harness);
    let app = harness.state();
    assert!(app.error().is_none(), "{:?}", app.error());
    assert_eq!(app.doc.inventory().len(), 4);
    let x1 = app.doc.inventory().find("X1").expect("X1 imported");
    assert_eq!(app.doc.inventory().site(x1).level, Level::Township);
    assert!(app.doc.ws.imported.report.is_clean());
}

#[test]
fn a_value_map_makes_a_state_local_federal_file_import_and_is_remembered() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "tiers.csv", TIERS);
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    let sample = harness.state().doc.inventory().len();
    harness.state_mut().open(path.clone(), None);
    harness.run();

    choose(&mut harness, "Site", "网站标识码 site_id");
    choose(&mut harness, "Tier", "层级 level");
    wait_for_preview(&mut harness);
    assert!(
        harness
            .query_by_label("0 rows will import, 5 rejected")
            .is_some()
    );
    assert!(has_label_containing(&harness, "unknown level \"Federal\""));
    // Values that differ only in case are one.
    assert_eq!(
        harness
            .query_all_by_role_and_label(Role::ComboBox, "State")
            .count(),
        1
    );

    choose(&mut harness, "Federal", "国家级 national");
    choose(&mut harness, "State", "省级 province");
    choose(&mut harness, "Local", "县级 county");
    wait_for_preview(&mut harness);
    assert!(
        harness
            .query_by_label("5 rows will import, 0 rejected")
            .is_some()
    );
    let dialog = harness.state().mapping.as_ref().expect("open");
    assert_eq!(
        dialog.values.level.get("State"),
        Some(&Level::Province),
        "kept as the file writes it"
    );

    harness
        .get_by_role_and_label(Role::Button, "Import")
        .click();
    harness.step();
    common::wait_for_open(&mut harness);
    let levels = |harness: &Harness<'static, SitefoldApp>| {
        let inv = harness.state().doc.inventory();
        ["F", "S2", "L2"].map(|id| inv.find(id).map(|i| inv.site(i).level))
    };
    assert_eq!(harness.state().doc.inventory().len(), 5);
    assert_eq!(
        levels(&harness),
        [
            Some(Level::National),
            Some(Level::Province),
            Some(Level::County)
        ]
    );
    let header: Vec<String> = ["Site", "Name", "Tier", "Parent"]
        .map(String::from)
        .to_vec();
    let sig = header_signature(&header);
    let settings = &harness.state().settings;
    assert_eq!(settings.mappings[&sig][2], Some(Column::Level));
    assert_eq!(settings.mapping_values[&sig].level.len(), 3);

    // The same file again: imported with the remembered values, no dialog.
    harness
        .state_mut()
        .push(Command::Action(Action::OpenSample));
    harness.run();
    assert_eq!(harness.state().doc.inventory().len(), sample);
    harness.state_mut().open(path, None);
    harness.run();
    assert!(harness.state().mapping.is_none());
    assert_eq!(levels(&harness)[1], Some(Level::Province));
}

#[test]
fn a_file_with_known_headers_gets_its_values_mapped_from_the_file_menu() {
    let dir = tempfile::tempdir().expect("temp dir");
    let known = TIERS.replacen("Site,Name,Tier,Parent", "site_id,name,level,parent_id", 1);
    let path = write(dir.path(), "known.csv", &known);
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    // The sample is no file: nothing to map.
    harness.get_by_label("File").click();
    harness.run();
    let entry = "Map this file's columns and values…";
    assert!(harness.get_by_label(entry).accesskit_node().is_disabled());
    harness.get_by_label("File").click();
    harness.run();
    assert!(harness.query_by_label(entry).is_none(), "the menu closed");

    // Every row rejected: Sitefold does not know these levels.
    harness.state_mut().open(path.clone(), None);
    harness.run();
    assert!(harness.state().mapping.is_none());
    assert_eq!(harness.state().doc.inventory().len(), 0);
    assert_eq!(harness.state().doc.ws.imported.report.rejected(), 5);

    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label(entry).click();
    harness.run();
    let dialog = harness.state().mapping.as_ref().expect("the dialog opens");
    assert_eq!(dialog.path.as_deref(), Some(path.as_path()));
    assert_eq!(dialog.mapping[2], Some(Column::Level));
    wait_for_preview(&mut harness);
    assert!(
        harness
            .query_by_label("0 rows will import, 5 rejected")
            .is_some()
    );
    choose(&mut harness, "Federal", "国家级 national");
    choose(&mut harness, "State", "省级 province");
    choose(&mut harness, "Local", "县级 county");
    wait_for_preview(&mut harness);
    assert!(
        harness
            .query_by_label("5 rows will import, 0 rejected")
            .is_some()
    );
    harness
        .get_by_role_and_label(Role::Button, "Import")
        .click();
    harness.step();
    common::wait_for_open(&mut harness);
    assert_eq!(harness.state().doc.inventory().len(), 5);

    // Opened again, the file's remembered values apply.
    harness
        .state_mut()
        .push(Command::Action(Action::OpenSample));
    harness.run();
    harness.state_mut().open(path, None);
    harness.run();
    assert_eq!(harness.state().doc.inventory().len(), 5);
}

#[test]
fn a_large_file_is_previewed_while_the_dialog_stays_responsive() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rows = 100_000;
    let mut text = String::from("编码,级别x,上级\nP0,省,\n");
    for i in 1..rows {
        text.push_str(&format!("S{i},县,P0\n"));
    }
    let path = write(dir.path(), "大文件.csv", &text);
    let header: Vec<String> = ["编码", "级别x", "上级"].map(String::from).to_vec();
    let mut dialog = MappingDialog::new(path, header);
    dialog.mapping = vec![
        Some(Column::SiteId),
        Some(Column::Level),
        Some(Column::ParentId),
    ];
    let mut app = common::sample_app(Lang::Zh);
    app.mapping = Some(dialog);
    let mut harness = common::harness(app);

    // The frame that starts the preview does not wait for it.
    let start = Instant::now();
    harness.step();
    let first = start.elapsed();
    let pending = harness
        .state()
        .mapping
        .as_ref()
        .is_some_and(|d| d.preview().is_none());
    assert!(pending, "the preview runs beside the dialog");
    assert!(first < Duration::from_secs(2), "first frame took {first:?}");
    assert!(has_label_containing(&harness, "正在预览"));
    let mut frames = 0;
    while harness
        .state()
        .mapping
        .as_ref()
        .is_some_and(|d| d.preview().is_none())
    {
        let t = Instant::now();
        harness.step();
        assert!(
            t.elapsed() < Duration::from_secs(2),
            "a frame took {:?}",
            t.elapsed()
        );
        frames += 1;
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the preview lands"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.run();
    assert!(frames > 0);
    assert!(
        harness
            .query_by_label("将导入 100000 行，拒绝 0 行")
            .is_some()
    );
}

/// An app with two remembered mappings, the first with value maps.
fn with_remembered(lang: Lang) -> (SitefoldApp, Vec<String>, Vec<String>) {
    let tiers: Vec<String> = ["Site", "Name", "Tier", "Parent"]
        .map(String::from)
        .to_vec();
    let codes: Vec<String> = ["编码", "级别x"].map(String::from).to_vec();
    let mut app = common::sample_app(lang);
    let mut m = Mapping::from(vec![
        Some(Column::SiteId),
        Some(Column::Name),
        Some(Column::Level),
        Some(Column::ParentId),
    ]);
    m.values.set(
        Column::Level,
        "State",
        Some(MappedValue::Level(Level::Province)),
    );
    sitefold::ui::remembered::remember(&mut app.settings, &tiers, m);
    sitefold::ui::remembered::remember(
        &mut app.settings,
        &codes,
        Mapping::from(vec![Some(Column::SiteId), Some(Column::Level)]),
    );
    (app, tiers, codes)
}

#[test]
fn deleting_a_remembered_mapping_asks_first() {
    let (app, tiers, codes) = with_remembered(Lang::Zh);
    let mut harness = common::harness(app);
    harness.run();
    harness.get_by_label("文件").click();
    harness.run();
    harness.get_by_label("已记住的列映射…").click();
    harness.run();
    assert!(harness.state().remembered.is_some());
    // Each entry: its headers, what each maps to, its values.
    harness.get_by_label("Site · Name · Tier · Parent");
    assert!(has_label_containing(&harness, "Tier → level"));
    assert!(has_label_containing(&harness, "State → 省级 province"));
    harness.get_by_label("编码 · 级别x");

    // The entries are listed by signature: 编码… sorts after Site….
    let delete = |harness: &Harness<'static, SitefoldApp>, i: usize| {
        harness
            .query_all_by_role_and_label(Role::Button, "删除…")
            .nth(i)
            .expect("a delete button")
            .click();
    };
    delete(&harness, 1);
    harness.run();
    assert!(harness.query_by_label("删除记住的列映射？").is_some());
    harness.get_by_role_and_label(Role::Button, "取消").click();
    harness.run();
    assert_eq!(harness.state().settings.mappings.len(), 2);
    // Escape answers the question (no, keep it), not the app.
    delete(&harness, 1);
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.query_by_label("删除记住的列映射？").is_none());
    assert_eq!(harness.state().settings.mappings.len(), 2);

    delete(&harness, 0);
    harness.run();
    harness.get_by_role_and_label(Role::Button, "删除").click();
    harness.run();
    let settings = &harness.state().settings;
    assert!(!settings.mappings.contains_key(&header_signature(&tiers)));
    assert!(
        settings.mapping_values.is_empty(),
        "its value maps go with it"
    );
    assert!(settings.mappings.contains_key(&header_signature(&codes)));
    assert!(
        harness
            .query_by_label("Site · Name · Tier · Parent")
            .is_none()
    );
    assert!(harness.query_by_label("编码 · 级别x").is_some());
}

#[test]
fn a_remembered_mapping_is_edited_without_its_file() {
    let (app, tiers, _) = with_remembered(Lang::En);
    let mut harness = common::harness(app);
    harness.run();
    harness
        .state_mut()
        .push(Command::Action(Action::RememberedMappings));
    harness.run();
    harness
        .query_all_by_role_and_label(Role::Button, "Edit…")
        .next()
        .expect("an edit button")
        .click();
    harness.run();
    let dialog = harness.state().mapping.as_ref().expect("the editor opens");
    assert!(dialog.path.is_none());
    assert_eq!(dialog.header, tiers);
    assert!(
        harness
            .query_by_label("Edit a remembered column mapping")
            .is_some()
    );
    harness.get_by_role_and_label(Role::ComboBox, "State");

    // Ignore the name column; State is a prefecture; add a value by hand.
    choose(&mut harness, "Name", "ignore");
    choose(&mut harness, "State", "地市级 prefecture");
    let field = "Add a value";
    harness
        .get_by_role_and_label(Role::TextInput, field)
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, field)
        .type_text("Commonwealth");
    harness.run();
    harness.get_by_role_and_label(Role::Button, "Add").click();
    harness.run();
    choose(&mut harness, "Commonwealth", "省级 province");
    harness.get_by_role_and_label(Role::Button, "Save").click();
    harness.run();

    let app = harness.state();
    assert!(app.mapping.is_none());
    let sig = header_signature(&tiers);
    assert_eq!(app.settings.mappings[&sig][1], None);
    let values = &app.settings.mapping_values[&sig];
    assert_eq!(values.level.get("State"), Some(&Level::Prefecture));
    assert_eq!(values.level.get("Commonwealth"), Some(&Level::Province));
    assert!(has_label_containing(&harness, "Tier → level"));
    assert!(!has_label_containing(&harness, "Name → name"));
}

/// An in-memory eframe storage: settings written and read as the app
/// does (RON).
#[derive(Default)]
struct Memory(std::collections::HashMap<String, String>);

impl eframe::Storage for Memory {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

/// The settings as versions before value maps wrote them.
#[derive(serde::Serialize)]
struct OldSettings {
    lang: Lang,
    recent: Vec<PathBuf>,
    mappings: std::collections::BTreeMap<String, Vec<Option<Column>>>,
    tab: sitefold::ui::command::Tab,
}

#[test]
fn settings_without_value_maps_still_load_and_value_maps_are_kept() {
    let header: Vec<String> = ["编码", "级别x"].map(String::from).to_vec();
    let sig = header_signature(&header);
    let old = OldSettings {
        lang: Lang::En,
        recent: vec![PathBuf::from("a.csv")],
        mappings: [(sig.clone(), vec![Some(Column::SiteId), Some(Column::Level)])].into(),
        tab: sitefold::ui::command::Tab::Report,
    };
    let mut storage = Memory::default();
    eframe::set_value(&mut storage, eframe::APP_KEY, &old);
    let loaded: sitefold::ui::Settings =
        eframe::get_value(&storage, eframe::APP_KEY).expect("old settings load");
    assert_eq!(loaded.lang, Lang::En);
    assert_eq!(loaded.recent, [PathBuf::from("a.csv")]);
    assert_eq!(
        loaded.mappings[&sig],
        [Some(Column::SiteId), Some(Column::Level)]
    );
    assert!(loaded.mapping_values.is_empty());
    let all = sitefold::ui::remembered::all(&loaded);
    assert!(all[&sig].values.is_empty());

    // Value maps are written and read back.
    let mut settings = loaded;
    let mut m = all[&sig].clone();
    m.values.set(
        Column::Level,
        "State",
        Some(MappedValue::Level(Level::Province)),
    );
    m.values.set(
        Column::InspectionPassed,
        "OK",
        Some(MappedValue::Passed(true)),
    );
    sitefold::ui::remembered::remember(&mut settings, &header, m.clone());
    eframe::set_value(&mut storage, eframe::APP_KEY, &settings);
    let back: sitefold::ui::Settings = eframe::get_value(&storage, eframe::APP_KEY).expect("loads");
    assert_eq!(sitefold::ui::remembered::all(&back)[&sig], m);
}

/// The mapping on screen is the file the command line reads with --map:
/// written from the dialog, read back into it (and refused when it is for
/// another number of columns).
#[test]
fn the_dialog_writes_and_reads_the_mapping_file_the_command_line_reads() {
    use sitefold::ui::command::Command;
    use sitefold::ui::file_dialog::FilePurpose;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = common::write_text(
        dir.path(),
        "us.csv",
        "Domain ID,Agency,Tier\nUS,United States,Federal\nCA,California,State\n",
    );
    let mut app = common::sample_app(Lang::En);
    app.push(Command::Open(file.clone().into()));
    let mut harness = common::harness(app);
    harness.step();
    common::wait_for_open(&mut harness);
    assert!(harness.state().mapping.is_some(), "the mapping dialog asks");
    {
        let d = harness.state_mut().mapping.as_mut().expect("dialog");
        d.mapping = vec![
            Some(sitefold::inventory::Column::SiteId),
            Some(sitefold::inventory::Column::Name),
            Some(sitefold::inventory::Column::Level),
        ];
        d.values
            .level
            .insert("Federal".into(), sitefold::inventory::Level::National);
        d.values
            .level
            .insert("State".into(), sitefold::inventory::Level::Province);
    }
    let toml = dir.path().join("mapping.toml");
    let wanted = harness.state().mapping.as_ref().expect("dialog").current();
    harness.state_mut().push(Command::FileChosen {
        purpose: FilePurpose::SaveMapping(wanted.clone()),
        path: toml.clone(),
    });
    harness.run();
    assert!(harness.state().mapping.is_some(), "the dialog stays open");
    // The command line reads it and imports the file.
    let (code, out, err) = common::run_cli(&[
        "summary",
        &file,
        "--map",
        &toml.display().to_string(),
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"sites\""), "{out}");
    // Read back into a dialog with the columns cleared.
    harness
        .state_mut()
        .mapping
        .as_mut()
        .expect("dialog")
        .mapping = vec![None; 3];
    harness.state_mut().push(Command::FileChosen {
        purpose: FilePurpose::LoadMapping,
        path: toml.clone(),
    });
    harness.run();
    assert_eq!(
        harness.state().mapping.as_ref().expect("dialog").current(),
        wanted
    );
    // A mapping for two columns does not fit three.
    std::fs::write(&toml, "columns = [\"site_id\", \"level\"]\n").expect("write");
    harness.state_mut().push(Command::FileChosen {
        purpose: FilePurpose::LoadMapping,
        path: toml,
    });
    harness.run();
    assert!(harness.state().error().is_some_and(|e| e.contains("2 ≠ 3")));
}
