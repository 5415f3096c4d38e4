//! The application: layout, the command queue and the one place where
//! commands are applied.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Text};
use crate::inventory::{Column, ImportError, ImportOptions};
use crate::workspace::{Inputs, Workspace};

use super::actions::Action;
use super::command::{Command, Decide, SelectMode, Tab};
use super::document::Document;
use super::selection::Selection;
use super::strings::{S, ScenStr};
use super::{
    cards, charts_panel, detail, mapping, menu, params_panel, report_panel, rules_panel, table,
    tree,
};

/// What is remembered across runs.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Interface language.
    pub lang: Lang,
    /// Recently opened files, newest first.
    pub recent: Vec<PathBuf>,
    /// Column mappings chosen by the planner, by header signature.
    pub mappings: BTreeMap<String, Vec<Option<Column>>>,
    /// The central tab.
    pub tab: Tab,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lang: Lang::from_environment(),
            recent: Vec::new(),
            mappings: BTreeMap::new(),
            tab: Tab::Inventory,
        }
    }
}

/// Most recent files remembered.
const MAX_RECENT: usize = 10;

/// The key under which a header's mapping is remembered.
pub fn header_signature(header: &[String]) -> String {
    header.join("\u{1f}")
}

/// The optimizer's running job and last results.
#[derive(Default)]
pub struct OptimizerResults {
    /// The running job.
    pub job: Option<super::jobs::Job>,
    /// The last optimized plan.
    pub solution: Option<crate::optimize::Solution>,
    /// The last frontier.
    pub frontier: Option<crate::optimize::Frontier>,
    /// Why the last run gave no plan.
    pub message: Option<Text>,
}

/// Context the panels read.
pub struct Cx<'a> {
    /// The optimizer's state.
    pub optimizer: &'a OptimizerResults,
    /// The document.
    pub doc: &'a Document,
    /// Interface language.
    pub lang: Lang,
    /// The selection.
    pub selection: &'a Selection,
}

/// The Sitefold desktop app.
pub struct SitefoldApp {
    /// Remembered settings.
    pub settings: Settings,
    /// The open document.
    pub doc: Document,
    /// The selection.
    pub selection: Selection,
    /// A message shown in the status bar.
    pub status: Option<String>,
    /// An error shown in a dialog.
    pub error: Option<String>,
    /// Panels.
    pub table: table::TablePanel,
    /// Hierarchy tree.
    pub tree: tree::TreePanel,
    /// Site detail.
    pub detail: detail::DetailPanel,
    /// Rules editor.
    pub rules: rules_panel::RulesPanel,
    /// Parameters.
    pub params: params_panel::ParamsPanel,
    /// Import report.
    pub report: report_panel::ReportPanel,
    /// Charts.
    pub charts: charts_panel::ChartsPanel,
    /// Scenarios.
    pub scenarios: super::scenarios_panel::ScenariosPanel,
    /// Optimizer.
    pub optimize: super::optimize_panel::OptimizePanel,
    /// The optimizer's running job and results.
    pub optimizer: OptimizerResults,
    /// Column-mapping dialog, when open.
    pub mapping: Option<mapping::MappingDialog>,
    queue: Vec<Command>,
    quit_requested: bool,
    pending: Option<Pending>,
    /// The export running in the background, if any.
    export: Option<super::jobs::ExportJob>,
    /// Autosave to a recovery file (off in tests unless set).
    pub recovery: Option<super::project_io::Recovery>,
    /// A recovery file from a crash is waiting for the planner's answer.
    pub restore_offer: bool,
    /// What to do once the planner answers the unsaved-changes question.
    pub confirm: Option<AfterConfirm>,
    /// A workbook waiting for the planner to pick a sheet.
    pub sheet_picker: Option<(PathBuf, Vec<String>)>,
    /// The sheet chosen for each workbook this session.
    sheets: std::collections::HashMap<PathBuf, String>,
    close_allowed: bool,
}

/// An action waiting for the unsaved-changes question.
#[derive(Clone, Debug, PartialEq)]
pub enum AfterConfirm {
    /// Show the open dialog.
    OpenDialog,
    /// Open this file.
    Open(PathBuf),
    /// Reopen the sample.
    OpenSample,
    /// Close the app.
    Quit,
}

/// A file being opened on a worker thread.
struct Pending {
    path: PathBuf,
    rx: std::sync::mpsc::Receiver<OpenResult>,
    started: std::time::Instant,
}

/// What opening a file gave.
enum OpenResult {
    /// A document, with the mapping the planner chose (to remember).
    Loaded {
        doc: Box<Document>,
        mapping: Option<Vec<Option<Column>>>,
        /// The hierarchy's figures, worked out with the document.
        tree: Option<super::tree::Prepared>,
    },
    /// The headers need the column-mapping dialog.
    NeedsMapping(Vec<String>),
    /// A workbook with several sheets: the planner picks one.
    NeedsSheet(Vec<String>),
    /// The file could not be used.
    Failed(crate::workspace::LoadError),
}

/// Loads a file into a document (runs on a worker thread). Missing
/// columns use a remembered mapping for the same headers, else ask.
fn load_for_open(
    path: &std::path::Path,
    mapping: Option<Vec<Option<Column>>>,
    sheet: Option<String>,
    remembered: &BTreeMap<String, Vec<Option<Column>>>,
) -> OpenResult {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if sheet.is_none()
        && matches!(ext.as_str(), "xlsx" | "xlsm" | "xlsb" | "xls" | "ods")
        && let Ok(names) = crate::inventory::sheet_names_of(path)
        && names.len() > 1
    {
        return OpenResult::NeedsSheet(names);
    }
    if crate::project::is_project_path(path) {
        return match crate::project::open_project(path) {
            Ok(project) => loaded(Document::from_project(project, path.to_path_buf()), None),
            Err(e) => OpenResult::Failed(crate::workspace::LoadError::Project(e)),
        };
    }
    let load = |m: Option<Vec<Option<Column>>>| {
        Workspace::load(&Inputs {
            inventory: path.to_path_buf(),
            import: ImportOptions {
                mapping: m,
                sheet: sheet.clone(),
            },
            ..Default::default()
        })
    };
    let result =
        match load(mapping.clone()) {
            Err(crate::workspace::LoadError::Import(ImportError::MissingColumns {
                found, ..
            })) if mapping.is_none() => match remembered.get(&header_signature(&found)) {
                Some(m) => load(Some(m.clone())),
                None => return OpenResult::NeedsMapping(found),
            },
            other => other,
        };
    match result {
        Ok(ws) => loaded(Document::new(ws, Some(path.to_path_buf())), mapping),
        Err(e) => OpenResult::Failed(e),
    }
}

/// A loaded document with the hierarchy's figures worked out beside it
/// (on the loading thread, not in the frame that shows it).
fn loaded(doc: Document, mapping: Option<Vec<Option<Column>>>) -> OpenResult {
    let tree = super::tree::TreePanel::prepare(&doc);
    OpenResult::Loaded {
        doc: Box::new(doc),
        mapping,
        tree: Some(tree),
    }
}

impl SitefoldApp {
    /// The app on a workspace.
    pub fn new(ws: Workspace, path: Option<PathBuf>, settings: Settings) -> SitefoldApp {
        SitefoldApp {
            settings,
            doc: Document::new(ws, path),
            selection: Selection::default(),
            status: None,
            error: None,
            table: table::TablePanel::default(),
            tree: tree::TreePanel::default(),
            detail: detail::DetailPanel::default(),
            rules: rules_panel::RulesPanel::default(),
            params: params_panel::ParamsPanel::default(),
            report: report_panel::ReportPanel::default(),
            charts: charts_panel::ChartsPanel::default(),
            scenarios: Default::default(),
            optimize: Default::default(),
            optimizer: OptimizerResults::default(),
            mapping: None,
            queue: Vec::new(),
            quit_requested: false,
            pending: None,
            export: None,
            recovery: None,
            restore_offer: false,
            confirm: None,
            sheet_picker: None,
            sheets: Default::default(),
            close_allowed: false,
        }
    }

    /// The app on the bundled sample.
    pub fn with_sample(settings: Settings) -> SitefoldApp {
        SitefoldApp::new(Workspace::new(crate::cli::sample()), None, settings)
    }

    /// Interface language.
    pub fn lang(&self) -> Lang {
        self.settings.lang
    }

    /// Queues a command (also used by tests).
    pub fn push(&mut self, c: Command) {
        self.queue.push(c);
    }

    /// True once the planner asked to quit.
    pub fn quit_requested(&self) -> bool {
        self.quit_requested
    }

    /// Draws the whole app, then applies the commands its widgets queued.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let (opened, optimized, exported) = (self.poll_open(), self.poll_job(), self.poll_export());
        if opened || optimized || exported {
            ui.ctx().request_repaint();
        } else if self.pending.is_some() || self.optimizer.job.is_some() || self.export.is_some() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(50));
        }
        self.keyboard(ui.ctx());
        self.dropped_files(ui.ctx());
        let lang = self.lang();
        let mut out = std::mem::take(&mut self.queue);
        egui::Panel::top("menu").show(ui, |ui| {
            menu::menu_bar(ui, lang, &self.doc, &self.settings, &mut out);
        });
        egui::Panel::top("cards").show(ui, |ui| {
            cards::cards_ui(ui, lang, &self.doc);
        });
        egui::Panel::bottom("status").show(ui, |ui| {
            self.status_bar(ui);
        });
        let cx = Cx {
            optimizer: &self.optimizer,
            doc: &self.doc,
            lang,
            selection: &self.selection,
        };
        egui::Panel::left("tree")
            .default_size(270.0)
            .show(ui, |ui| {
                self.tree.ui(ui, &cx, &mut out);
            });
        egui::Panel::right("side")
            .default_size(420.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("side_scroll")
                    .show(ui, |ui| {
                        self.detail.ui(ui, &cx, &mut out);
                        ui.separator();
                        self.charts.ui(ui, &cx, &mut out);
                    });
            });
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                for (tab, label) in [
                    (Tab::Inventory, S::TabInventory),
                    (Tab::Rules, S::TabRules),
                    (Tab::Params, S::TabParams),
                    (Tab::Report, S::TabReport),
                    (Tab::Scenarios, S::TabScenarios),
                    (Tab::Optimize, S::TabOptimize),
                ] {
                    if ui
                        .selectable_label(self.settings.tab == tab, label.get(lang))
                        .clicked()
                    {
                        out.push(Command::ShowTab(tab));
                    }
                }
            });
            ui.separator();
            match self.settings.tab {
                Tab::Inventory => self.table.ui(ui, &cx, &mut out),
                Tab::Rules => self.rules.ui(ui, &cx, &mut out),
                Tab::Params => self.params.ui(ui, &cx, &mut out),
                Tab::Report => self.report.ui(ui, &cx, &mut out),
                Tab::Scenarios => {
                    egui::ScrollArea::vertical()
                        .id_salt("scenarios_scroll")
                        .show(ui, |ui| self.scenarios.ui(ui, &cx, &mut out));
                }
                Tab::Optimize => {
                    egui::ScrollArea::vertical()
                        .id_salt("optimize_scroll")
                        .show(ui, |ui| self.optimize.ui(ui, &cx, &mut out));
                }
            }
        });
        self.dialogs(ui.ctx(), &mut out);
        self.queue = out;
        if let Some(r) = &mut self.recovery
            && r.tick(&self.doc, self.settings.lang)
        {
            ui.ctx()
                .request_repaint_after(super::project_io::AUTOSAVE_DELAY);
        }
        if self.apply_commands() {
            // What the commands changed must show without waiting for input.
            ui.ctx().request_repaint();
        }
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang();
        ui.horizontal(|ui| {
            if let Some((path, elapsed)) = self.pending_open() {
                ui.spinner();
                ui.label(format!(
                    "{} {} ({:.0} s)",
                    S::OpeningFile.get(lang),
                    path.display(),
                    elapsed.as_secs_f32()
                ));
                if ui.button(S::Cancel.get(lang)).clicked() {
                    self.cancel_open();
                }
                ui.separator();
            }
            if let Some(job) = &self.export {
                ui.spinner();
                ui.label(format!(
                    "{} {} ({:.0} s)",
                    S::Exporting.get(lang),
                    job.path.display(),
                    job.control.elapsed().as_secs_f32()
                ));
                ui.add(
                    egui::ProgressBar::new(job.control.progress())
                        .desired_width(120.0)
                        .show_percentage(),
                );
                if ui.button(S::CancelExport.get(lang)).clicked() {
                    job.control.cancel();
                }
                ui.separator();
            }
            let name = self.doc.path.as_ref().map_or_else(
                || S::Sample.get(lang).to_string(),
                |p| p.display().to_string(),
            );
            ui.label(name);
            if self.doc.dirty {
                ui.weak(format!("({})", S::Unsaved.get(lang)));
            }
            ui.separator();
            ui.label(self.status.as_deref().unwrap_or(S::StatusReady.get(lang)));
        });
    }

    fn dialogs(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) {
        let lang = self.lang();
        if let Some(msg) = self.error.clone() {
            let modal = egui::Modal::new(egui::Id::unique("error_dialog")).show(ctx, |ui| {
                ui.set_max_width(560.0);
                ui.heading(S::ImportFailed.get(lang));
                ui.label(msg);
                ui.label(S::KeepCurrentWork.get(lang));
                ui.button(S::Close.get(lang)).clicked()
            });
            if modal.inner || modal.should_close() {
                self.error = None;
            }
        }
        if let Some(next) = self.confirm.clone() {
            let answer = egui::Modal::new(egui::Id::unique("unsaved_dialog"))
                .show(ctx, |ui| {
                    ui.set_max_width(460.0);
                    ui.heading(S::UnsavedTitle.get(lang));
                    ui.label(S::UnsavedText.get(lang));
                    ui.horizontal(|ui| {
                        if ui.button(S::Save.get(lang)).clicked() {
                            Some(0)
                        } else if ui.button(S::DontSave.get(lang)).clicked() {
                            Some(1)
                        } else if ui.button(S::Cancel.get(lang)).clicked() {
                            Some(2)
                        } else {
                            None
                        }
                    })
                    .inner
                })
                .inner;
            match answer {
                Some(0) => {
                    self.confirm = None;
                    let path = self.doc.project_path.clone();
                    if self.save_project(path) {
                        self.proceed(next);
                    }
                }
                Some(1) => {
                    self.confirm = None;
                    if let Some(r) = &mut self.recovery {
                        r.clear();
                    }
                    self.doc.dirty = false;
                    self.proceed(next);
                }
                Some(_) => self.confirm = None,
                None => {}
            }
        }
        if let Some((path, names)) = self.sheet_picker.clone() {
            let answer = egui::Modal::new(egui::Id::unique("sheet_dialog"))
                .show(ctx, |ui| {
                    ui.set_max_width(420.0);
                    ui.heading(S::SheetPicker.get(lang));
                    ui.label(path.display().to_string());
                    let mut chosen = None;
                    for name in &names {
                        if ui.button(name).clicked() {
                            chosen = Some(Some(name.clone()));
                        }
                    }
                    if ui.button(S::Cancel.get(lang)).clicked() {
                        chosen = Some(None);
                    }
                    chosen
                })
                .inner;
            match answer {
                Some(Some(sheet)) => {
                    self.sheet_picker = None;
                    self.sheets.insert(path.clone(), sheet);
                    self.open_in_background(path, None);
                }
                Some(None) => self.sheet_picker = None,
                None => {}
            }
        }
        if self.restore_offer {
            let answer = egui::Modal::new(egui::Id::unique("restore_dialog"))
                .show(ctx, |ui| {
                    ui.set_max_width(460.0);
                    ui.heading(S::RestoreTitle.get(lang));
                    ui.label(S::RestoreText.get(lang));
                    ui.horizontal(|ui| {
                        if ui.button(S::Restore.get(lang)).clicked() {
                            Some(true)
                        } else if ui.button(S::Discard.get(lang)).clicked() {
                            Some(false)
                        } else {
                            None
                        }
                    })
                    .inner
                })
                .inner;
            match answer {
                Some(true) => self.restore(),
                Some(false) => {
                    self.restore_offer = false;
                    if let Some(r) = &mut self.recovery {
                        r.clear();
                    }
                }
                None => {}
            }
        }
        if let Some(dialog) = &mut self.mapping {
            match dialog.ui(ctx, lang) {
                mapping::Outcome::Open => {}
                mapping::Outcome::Cancel => self.mapping = None,
                mapping::Outcome::Import(path, m) => {
                    out.push(Command::OpenWithMapping { path, mapping: m });
                    self.mapping = None;
                }
            }
        }
    }

    fn keyboard(&mut self, ctx: &egui::Context) {
        // A text field or an open dialog gets the keys, not the app.
        if ctx.egui_wants_keyboard_input()
            || self.mapping.is_some()
            || self.error.is_some()
            || self.confirm.is_some()
            || self.sheet_picker.is_some()
            || self.restore_offer
        {
            return;
        }
        // Shortcuts with more modifiers first: egui matches Ctrl+Z "logically"
        // (extra Shift allowed), so Ctrl+Shift+Z must be tried before it.
        let mut shortcuts: Vec<(Action, egui::KeyboardShortcut)> = Action::ALL
            .iter()
            .flat_map(|&a| {
                a.shortcut()
                    .into_iter()
                    .chain(a.alternate_shortcuts().iter().copied())
                    .map(move |sc| (a, sc))
            })
            .collect();
        let weight = |m: egui::Modifiers| {
            u8::from(m.shift) + u8::from(m.alt) + u8::from(m.command || m.ctrl)
        };
        shortcuts.sort_by_key(|(_, sc)| std::cmp::Reverse(weight(sc.modifiers)));
        let mut fired = Vec::new();
        ctx.input_mut(|i| {
            for (action, sc) in &shortcuts {
                if i.consume_shortcut(sc) {
                    fired.push(*action);
                }
            }
        });
        self.queue.extend(fired.into_iter().map(Command::Action));
    }

    fn dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(p) = dropped.into_iter().next() {
            self.queue.push(Command::Open(p));
        }
    }

    /// Applies every queued command (the only place the document changes);
    /// true when there were any.
    pub fn apply_commands(&mut self) -> bool {
        let commands = std::mem::take(&mut self.queue);
        let any = !commands.is_empty();
        for c in commands {
            self.apply(c);
        }
        any
    }

    fn apply(&mut self, c: Command) {
        let lang = self.lang();
        match c {
            Command::Action(a) => self.action(a),
            Command::Decide { sites, how } => {
                let inv = self.doc.inventory();
                let parents: Vec<Option<usize>> = sites.iter().map(|&s| inv.parent(s)).collect();
                let parent_of =
                    |s: usize| sites.iter().position(|&x| x == s).and_then(|i| parents[i]);
                let (skipped, why) = self.doc.decide(&sites, |s| match how {
                    Decide::Keep => Some(crate::plan::Decision::Keep),
                    Decide::MergeIntoParent => Some(crate::plan::Decision::Merge {
                        target: parent_of(s),
                    }),
                    Decide::MergeInto(t) => Some(crate::plan::Decision::Merge { target: Some(t) }),
                    Decide::MergeNearest => Some(crate::plan::Decision::Merge { target: None }),
                    Decide::Clear => None,
                });
                self.status = Some(match why {
                    Some(w) if skipped > 0 => format!(
                        "{} {}: {}",
                        skipped,
                        S::SitesUnchanged.get(lang),
                        w.get(lang)
                    ),
                    _ => format!("{} {}", sites.len() - skipped, S::SitesUpdated.get(lang)),
                });
            }
            Command::SetRules { rules, group } => self.doc.change_rules(rules, group.as_deref()),
            Command::SetParams { params, group } => {
                self.doc.change_params(params, group.as_deref())
            }
            Command::EndInteraction => self.doc.undo.close_group(),
            Command::Open(path) => self.after_confirm(AfterConfirm::Open(path)),
            Command::OpenWithMapping { path, mapping } => {
                self.open_in_background(path, Some(mapping))
            }
            Command::Select { site, mode } => match mode {
                SelectMode::Replace => self.selection.replace(site),
                SelectMode::Toggle => self.selection.toggle(site),
                SelectMode::Range => {
                    let shown = self.table.shown().to_vec();
                    self.selection.range(site, &shown);
                }
            },
            Command::FilterSubtree(root) => {
                self.table.set_subtree(root);
                self.settings.tab = Tab::Inventory;
            }
            Command::ShowTab(t) => self.settings.tab = t,
            Command::SetLang(l) => self.settings.lang = l,
            Command::ExportChart { kind, svg } => self.export_chart(kind, svg),
            Command::Scenario(sc) => self.scenario(sc),
            Command::Optimize(options) => {
                self.start_job(super::jobs::JobKind::Optimize, options, 0)
            }
            Command::Frontier { options, points } => {
                self.start_job(super::jobs::JobKind::Frontier, options, points)
            }
            Command::CancelJob => {
                if let Some(job) = &self.optimizer.job {
                    job.control.cancel();
                }
            }
            Command::LoadRulesText { text, source } => {
                // The rules panel lists the file's problems.
                let (rules, _issues) = crate::plan::RuleSet::parse(&text, &source);
                self.doc.change_rules(rules, None);
            }
        }
    }

    fn action(&mut self, a: Action) {
        let lang = self.lang();
        match a {
            Action::Open => self.after_confirm(AfterConfirm::OpenDialog),
            Action::OpenSample => self.after_confirm(AfterConfirm::OpenSample),
            Action::SaveProject => {
                let path = self.doc.project_path.clone();
                self.save_project(path);
            }
            Action::SaveProjectAs => {
                self.save_project(None);
            }
            Action::ExportPlanXlsx => self.export_plan_xlsx(),
            Action::ExportPlanCsv => self.export_plan_csv(),
            Action::Undo => {
                let done = self.doc.undo();
                self.status = Some(
                    if done { S::Undone } else { S::NothingToUndo }
                        .get(lang)
                        .into(),
                );
            }
            Action::Redo => {
                let done = self.doc.redo();
                self.status = Some(
                    if done { S::Redone } else { S::NothingToRedo }
                        .get(lang)
                        .into(),
                );
            }
            Action::SelectAll => {
                let shown = self.table.shown().to_vec();
                self.selection.sites.extend(shown);
            }
            Action::SelectNone => self.selection.clear(),
            Action::MergeSelected => self.push_and_apply(Decide::MergeIntoParent),
            Action::KeepSelected => self.push_and_apply(Decide::Keep),
            Action::ClearSelected => self.push_and_apply(Decide::Clear),
            Action::LangZh => self.settings.lang = Lang::Zh,
            Action::LangEn => self.settings.lang = Lang::En,
            Action::ShowInventory => self.settings.tab = Tab::Inventory,
            Action::ShowRules => self.settings.tab = Tab::Rules,
            Action::ShowParams => self.settings.tab = Tab::Params,
            Action::ShowReport => self.settings.tab = Tab::Report,
            Action::Quit => self.after_confirm(AfterConfirm::Quit),
        }
    }

    /// Runs `next` now, or after asking about unsaved changes.
    pub fn after_confirm(&mut self, next: AfterConfirm) {
        if self.doc.dirty {
            self.confirm = Some(next);
        } else {
            self.proceed(next);
        }
    }

    fn proceed(&mut self, next: AfterConfirm) {
        let lang = self.lang();
        match next {
            AfterConfirm::OpenDialog => {
                if let Some(p) = rfd::FileDialog::new()
                    .set_title(Action::Open.label(lang))
                    .add_filter(
                        S::InventoryOrProject.get(lang),
                        &[
                            "csv", "txt", "tsv", "xlsx", "xls", "xlsm", "xlsb", "ods", "sitefold",
                        ],
                    )
                    .pick_file()
                {
                    self.open_in_background(p, None);
                }
            }
            AfterConfirm::Open(p) => self.open_in_background(p, None),
            AfterConfirm::OpenSample => {
                self.doc = Document::new(Workspace::new(crate::cli::sample()), None);
                self.selection.clear();
                self.table.set_subtree(None);
            }
            AfterConfirm::Quit => {
                self.close_allowed = true;
                self.quit_requested = true;
            }
        }
    }

    /// Saves the project to `path`, or asks where when `None`. False when
    /// it was not saved (cancelled or failed).
    pub fn save_project(&mut self, path: Option<PathBuf>) -> bool {
        let lang = self.lang();
        let path = match path {
            Some(p) => p,
            None => {
                let stem = self
                    .doc
                    .path
                    .as_ref()
                    .and_then(|p| p.file_stem())
                    .map_or_else(
                        || lang.pick("方案", "plan").to_string(),
                        |s| s.to_string_lossy().into_owned(),
                    );
                match rfd::FileDialog::new()
                    .set_title(Action::SaveProjectAs.label(lang))
                    .add_filter(S::ProjectFile.get(lang), &["sitefold"])
                    .set_file_name(format!("{stem}.sitefold"))
                    .save_file()
                {
                    Some(p) => p,
                    None => return false,
                }
            }
        };
        match super::project_io::save_document(&mut self.doc, &path, lang) {
            Ok(()) => {
                if let Some(r) = &mut self.recovery {
                    r.clear();
                }
                self.status = Some(format!("{} {}", S::Saved.get(lang), path.display()));
                self.settings.recent.retain(|p| p != &path);
                self.settings.recent.insert(0, path);
                self.settings.recent.truncate(MAX_RECENT);
                true
            }
            Err(e) => {
                self.error = Some(format!("{}: {}", S::SaveFailed.get(lang), e.message(lang)));
                false
            }
        }
    }

    fn export_plan_xlsx(&mut self) {
        let lang = self.lang();
        let Some(path) = rfd::FileDialog::new()
            .set_title(Action::ExportPlanXlsx.label(lang))
            .add_filter("Excel", &["xlsx"])
            .set_file_name(lang.pick("方案.xlsx", "plan.xlsx"))
            .save_file()
        else {
            return;
        };
        self.start_export(super::jobs::ExportKind::PlanXlsx, path);
    }

    /// The window asked to close: true when it may, else the question is shown.
    pub fn may_close(&mut self) -> bool {
        if self.close_allowed || !self.doc.dirty {
            return true;
        }
        self.confirm = Some(AfterConfirm::Quit);
        false
    }

    /// Called as the app closes: a clean exit leaves no recovery file.
    pub fn on_exit(&mut self) {
        if let Some(r) = &mut self.recovery {
            if self.doc.dirty {
                r.write_now(&self.doc, self.settings.lang);
                r.flush();
            } else {
                r.clear();
            }
        }
    }

    /// Turns autosave on, writing to `path`; offers to restore a recovery
    /// file left by a crash.
    pub fn enable_recovery(&mut self, path: PathBuf) {
        let r = super::project_io::Recovery::new(path);
        self.restore_offer = r.exists();
        self.recovery = Some(r);
    }

    /// Opens the recovery file as the current work.
    pub fn restore(&mut self) {
        self.restore_offer = false;
        let Some(path) = self.recovery.as_ref().map(|r| r.path.clone()) else {
            return;
        };
        match crate::project::open_project(&path) {
            Ok(project) => {
                let mut doc = Document::from_project(project, path);
                doc.project_path = None;
                doc.path = None;
                doc.dirty = true;
                self.doc = doc;
                self.selection.clear();
                self.table.set_subtree(None);
            }
            Err(e) => self.error = Some(e.message(self.lang())),
        }
    }

    fn push_and_apply(&mut self, how: Decide) {
        let sites = self.selection.to_vec();
        if !sites.is_empty() {
            self.apply(Command::Decide { sites, how });
        }
    }

    /// Opens an inventory now (tests, start-up); see [`SitefoldApp::open_in_background`].
    pub fn open(&mut self, path: PathBuf, mapping: Option<Vec<Option<Column>>>) {
        let sheet = self.sheets.get(&path).cloned();
        let result = load_for_open(&path, mapping, sheet, &self.settings.mappings);
        self.finish_open(path, result);
    }

    /// Opens an inventory on a worker thread: the window stays responsive
    /// and the current work usable until the new one is ready.
    pub fn open_in_background(&mut self, path: PathBuf, mapping: Option<Vec<Option<Column>>>) {
        let (tx, rx) = std::sync::mpsc::channel();
        let remembered = self.settings.mappings.clone();
        let sheet = self.sheets.get(&path).cloned();
        let p = path.clone();
        let spawned = std::thread::Builder::new()
            .name("sitefold-open".into())
            .spawn(move || {
                super::jobs::background_priority();
                let _ = tx.send(load_for_open(&p, mapping, sheet, &remembered));
            });
        match spawned {
            Ok(_) => {
                self.pending = Some(Pending {
                    path,
                    rx,
                    started: std::time::Instant::now(),
                })
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// A file being opened in the background, if any.
    pub fn pending_open(&self) -> Option<(&std::path::Path, std::time::Duration)> {
        self.pending
            .as_ref()
            .map(|p| (p.path.as_path(), p.started.elapsed()))
    }

    /// Drops the file being opened (its result is ignored when it comes).
    pub fn cancel_open(&mut self) {
        self.pending = None;
    }

    /// Takes the result of a background open when it is ready.
    fn poll_open(&mut self) -> bool {
        let Some(pending) = &self.pending else {
            return false;
        };
        match pending.rx.try_recv() {
            Ok(result) => {
                let path = pending.path.clone();
                self.pending = None;
                self.finish_open(path, result);
                true
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => false,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.pending = None;
                self.error = Some(S::ImportFailed.get(self.lang()).to_string());
                true
            }
        }
    }

    fn finish_open(&mut self, path: PathBuf, result: OpenResult) {
        let lang = self.lang();
        match result {
            OpenResult::Loaded { doc, mapping, tree } => {
                if let Some(m) = mapping {
                    self.settings
                        .mappings
                        .insert(header_signature(&doc.ws.imported.header), m);
                }
                let report = &doc.ws.imported.report;
                self.status = Some(format!(
                    "{} {}: {} {}",
                    S::Loaded.get(lang),
                    path.display(),
                    report.sites,
                    S::SitesCount.get(lang)
                ));
                if !report.is_clean() {
                    self.settings.tab = Tab::Report;
                }
                let old = std::mem::replace(&mut self.doc, *doc);
                if let Some(tree) = tree {
                    self.tree.adopt(tree);
                }
                // Freeing a large document takes a while: off this thread,
                // and a moment later (returning its memory to the system
                // while the new one is first drawn slows that frame down).
                let _ = std::thread::Builder::new()
                    .name("sitefold-free".into())
                    .spawn(move || {
                        super::jobs::background_priority();
                        std::thread::sleep(std::time::Duration::from_secs(2));
                        drop(old)
                    });
                self.selection.clear();
                self.table.set_subtree(None);
                self.settings.recent.retain(|p| p != &path);
                self.settings.recent.insert(0, path);
                self.settings.recent.truncate(MAX_RECENT);
            }
            OpenResult::NeedsSheet(names) => self.sheet_picker = Some((path, names)),
            OpenResult::NeedsMapping(found) => {
                self.mapping = Some(mapping::MappingDialog::new(path, found));
            }
            OpenResult::Failed(e) => self.error = Some(e.message(lang)),
        }
    }

    fn export_plan_csv(&mut self) {
        let lang = self.lang();
        let Some(path) = rfd::FileDialog::new()
            .set_title(Action::ExportPlanCsv.label(lang))
            .add_filter("CSV", &["csv"])
            .set_file_name(lang.pick("方案.csv", "plan.csv"))
            .save_file()
        else {
            return;
        };
        self.start_export(super::jobs::ExportKind::PlanCsv, path);
    }

    fn export_chart(&mut self, kind: crate::charts::ChartKind, svg: bool) {
        let ext = if svg { "svg" } else { "png" };
        let Some(path) = rfd::FileDialog::new()
            .add_filter(ext.to_uppercase(), &[ext])
            .set_file_name(format!("{}.{ext}", kind.key()))
            .save_file()
        else {
            return;
        };
        self.start_export(super::jobs::ExportKind::Chart { kind, svg }, path);
    }

    /// Starts writing an export of the current plan to `path` in the
    /// background (one at a time); the status bar shows how far it is.
    pub fn start_export(&mut self, kind: super::jobs::ExportKind, path: PathBuf) {
        let lang = self.lang();
        if self.export.is_some() {
            self.status = Some(S::ExportBusy.get(lang).to_string());
            return;
        }
        match super::jobs::ExportJob::start(kind, self.doc.ws.clone(), lang, path) {
            Ok(job) => self.export = Some(job),
            Err(e) => self.status = Some(format!("{}: {e}", S::ExportFailed.get(lang))),
        }
    }

    /// The running export, if any.
    pub fn export_job(&self) -> Option<&super::jobs::ExportJob> {
        self.export.as_ref()
    }

    /// Asks the running export to stop.
    pub fn cancel_export(&self) {
        if let Some(job) = &self.export {
            job.control.cancel();
        }
    }

    fn poll_export(&mut self) -> bool {
        let Some(job) = &self.export else {
            return false;
        };
        let Some(outcome) = job.poll() else {
            return false;
        };
        let lang = self.lang();
        let path = job.path.display().to_string();
        self.export = None;
        use super::jobs::ExportOutcome;
        self.status = Some(match outcome {
            ExportOutcome::Written => format!("{} {path}", S::Exported.get(lang)),
            ExportOutcome::Cancelled => format!("{} {path}", S::ExportCancelled.get(lang)),
            ExportOutcome::Failed(message) => format!("{}: {message}", S::ExportFailed.get(lang)),
        });
        true
    }

    fn start_job(
        &mut self,
        kind: super::jobs::JobKind,
        options: crate::optimize::Options,
        points: usize,
    ) {
        if self.optimizer.job.is_some() {
            return;
        }
        let ws = &self.doc.ws;
        self.optimizer.message = None;
        match super::jobs::Job::start(
            kind,
            ws.imported.clone(),
            ws.params.clone(),
            ws.manual.clone(),
            options,
            points,
        ) {
            Ok(job) => self.optimizer.job = Some(job),
            Err(e) => self.optimizer.message = Some(Text::new(e.to_string(), e.to_string())),
        }
    }

    /// Takes a finished optimizer or frontier result.
    fn poll_job(&mut self) -> bool {
        let Some(job) = &self.optimizer.job else {
            return false;
        };
        let Some(result) = job.poll() else {
            return false;
        };
        self.optimizer.job = None;
        use super::jobs::JobResult;
        let lang_text = |e: crate::optimize::OptimizeError| {
            Text::new(
                e.message(crate::i18n::Lang::Zh),
                e.message(crate::i18n::Lang::En),
            )
        };
        match result {
            Ok(JobResult::Optimize(r)) => match *r {
                Ok(sol) => self.optimizer.solution = Some(sol),
                Err(e) => self.optimizer.message = Some(lang_text(e)),
            },
            Ok(JobResult::Frontier(Ok(f))) => self.optimizer.frontier = Some(f),
            Ok(JobResult::Frontier(Err(e))) => self.optimizer.message = Some(lang_text(e)),
            Err(()) => {
                self.optimizer.message = Some(Text::new(
                    "计算意外中止",
                    "The computation stopped unexpectedly",
                ))
            }
        }
        true
    }

    fn scenario(&mut self, c: super::command::ScenarioCommand) {
        use super::command::ScenarioCommand as Sc;
        use crate::project::{Scenario, manual_by_id, manual_by_index};
        let lang = self.lang();
        let doc = &mut self.doc;
        let n = doc.scenarios.len();
        match c {
            Sc::SaveCurrent(name) => doc.scenarios.push(Scenario::from_workspace(name, &doc.ws)),
            Sc::Overwrite(i) if i < n => {
                let name = doc.scenarios[i].name.clone();
                doc.scenarios[i] = Scenario::from_workspace(name, &doc.ws);
            }
            Sc::Load(i) if i < n => {
                let sc = doc.scenarios[i].clone();
                let (manual, issues) = manual_by_index(doc.inventory(), &sc.manual, &sc.name);
                doc.replace_plan(manual, sc.rules, sc.params);
                self.status = Some(match issues.first() {
                    Some(first) => first.render(lang),
                    None => format!("{} {}", ScenStr::Load.get(lang), sc.name),
                });
                return;
            }
            Sc::Duplicate(i) if i < n => {
                let mut copy = doc.scenarios[i].clone();
                copy.name = format!("{} ({})", copy.name, ScenStr::Copy.get(lang));
                doc.scenarios.insert(i + 1, copy);
            }
            Sc::Rename(i, name) if i < n && !name.is_empty() => doc.scenarios[i].name = name,
            Sc::Delete(i) if i < n => {
                doc.scenarios.remove(i);
            }
            Sc::AddPlan { name, decisions } => {
                // The computed merges become manual decisions of the new
                // scenario, over the planner's own (locked) decisions.
                let inv = doc.inventory();
                let manual: Vec<Option<crate::plan::Decision>> = decisions
                    .iter()
                    .enumerate()
                    .map(|(i, d)| match doc.ws.manual.get(i).copied().flatten() {
                        Some(locked) => Some(locked),
                        None if d.is_merge() && inv.parent(i).is_some() => {
                            Some(crate::plan::Decision::Merge { target: None })
                        }
                        None => None,
                    })
                    .collect();
                let scenario = Scenario {
                    name,
                    manual: manual_by_id(inv, &manual),
                    rules: crate::plan::RuleSet::default(),
                    params: doc.ws.params.clone(),
                };
                doc.scenarios.push(scenario);
                self.settings.tab = Tab::Scenarios;
            }
            _ => return,
        }
        self.doc.scenarios_changed();
    }
}
