//! The application: layout, the command queue and the one place where
//! commands are applied.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Text};
use crate::inventory::{Column, ImportError, ImportOptions, Mapping, ValueMaps};
use crate::workspace::{Inputs, Workspace};

use super::actions::Action;
use super::command::{Command, Decide, SelectMode, Tab};
use super::document::Document;
use super::file_dialog::{Choice, FileDialogs, FilePurpose, PathPrompt, PromptAnswer, Request};
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
    /// The value maps of those mappings, by the same signature (apart, so
    /// that settings of older versions load; see `remembered`).
    pub mapping_values: BTreeMap<String, ValueMaps>,
    /// The central tab.
    pub tab: Tab,
    /// The inventory table's columns right of the frozen id and name
    /// (empty: the default ones).
    #[serde(default)]
    pub table_columns: Vec<super::table::TableCol>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lang: Lang::from_environment(),
            recent: Vec::new(),
            mappings: BTreeMap::new(),
            mapping_values: BTreeMap::new(),
            tab: Tab::Inventory,
            table_columns: Vec::new(),
        }
    }
}

/// How long a status message shows.
const STATUS_SHOWN: std::time::Duration = std::time::Duration::from_secs(20);

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
    /// Subtotals by area.
    pub areas: super::areas_panel::AreasPanel,
    /// The optimizer's running job and results.
    pub optimizer: OptimizerResults,
    /// Column-mapping dialog, when open.
    pub mapping: Option<mapping::MappingDialog>,
    /// The remembered column mappings' window, when open.
    pub remembered: Option<super::remembered::RememberedWindow>,
    queue: Vec<Command>,
    quit_requested: bool,
    pending: Option<Pending>,
    /// The export running in the background, if any.
    export: Option<super::jobs::ExportJob>,
    /// Autosave to a recovery file (off in tests unless set).
    pub recovery: Option<super::project_io::Recovery>,
    /// A crashed window's recovery file waiting for the planner's answer.
    pub restore_offer: Option<PathBuf>,
    /// The planner chose not to save before quitting.
    discard_on_exit: bool,
    /// A save waiting because the project changed on disk since it was
    /// opened here: the path, and what was to follow the save.
    pub changed_on_disk: Option<(PathBuf, Option<AfterConfirm>)>,
    /// What to do once the planner answers the unsaved-changes question.
    pub confirm: Option<AfterConfirm>,
    /// A workbook waiting for the planner to pick a sheet.
    pub sheet_picker: Option<(PathBuf, Vec<String>)>,
    /// The sheet chosen for each workbook this session.
    sheets: std::collections::HashMap<PathBuf, String>,
    close_allowed: bool,
    /// The file dialogs (the system's; tests set their own).
    pub dialogs: Box<dyn FileDialogs>,
    /// The typed-path field shown when the system has no file dialog.
    pub path_prompt: Option<PathPrompt>,
    /// The side panel scrolls back to the site detail next frame.
    reveal_detail: bool,
    /// The status message as first shown, and when.
    status_seen: Option<(String, std::time::Instant)>,
    /// The window's title as last set.
    title: String,
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
    /// Show the mapping dialog for the document's inventory file.
    MapColumns,
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
        mapping: Option<Mapping>,
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

/// Loads a file into a document (runs on a worker thread). A mapping
/// remembered for the same headers is used; missing columns without one
/// ask.
fn load_for_open(
    path: &std::path::Path,
    mapping: Option<Mapping>,
    sheet: Option<String>,
    remembered: &BTreeMap<String, Mapping>,
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
    let load = |m: Option<&Mapping>| {
        Workspace::load(&Inputs {
            inventory: path.to_path_buf(),
            import: ImportOptions {
                mapping: m.map(|m| m.columns.clone()),
                values: m.map(|m| m.values.clone()).unwrap_or_default(),
                sheet: sheet.clone(),
                ..Default::default()
            },
            ..Default::default()
        })
    };
    let result =
        match load(mapping.as_ref()) {
            Err(crate::workspace::LoadError::Import(ImportError::MissingColumns {
                found, ..
            })) if mapping.is_none() => match remembered.get(&header_signature(&found)) {
                Some(m) => load(Some(m)),
                None => return OpenResult::NeedsMapping(found),
            },
            // Headers Sitefold knows, with a mapping remembered for them
            // (its value maps).
            Ok(ws)
                if mapping.is_none()
                    && remembered.contains_key(&header_signature(&ws.imported.header)) =>
            {
                load(remembered.get(&header_signature(&ws.imported.header)))
            }
            other => other,
        };
    match result {
        Ok(ws) => loaded(Document::new(ws, Some(path.to_path_buf())), mapping),
        Err(e) => OpenResult::Failed(e),
    }
}

/// A loaded document with the hierarchy's figures worked out beside it
/// (on the loading thread, not in the frame that shows it).
fn loaded(doc: Document, mapping: Option<Mapping>) -> OpenResult {
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
        let mut table = table::TablePanel::default();
        if !settings.table_columns.is_empty() {
            table.columns = settings.table_columns.clone();
            // Never a frozen column twice, never file order as a column.
            table
                .columns
                .retain(|c| table::TableCol::CHOOSABLE.contains(c));
            table.columns.dedup();
        }
        SitefoldApp {
            settings,
            doc: Document::new(ws, path),
            selection: Selection::default(),
            status: None,
            error: None,
            table,
            tree: tree::TreePanel::default(),
            detail: detail::DetailPanel::default(),
            rules: rules_panel::RulesPanel::default(),
            params: params_panel::ParamsPanel::default(),
            report: report_panel::ReportPanel::default(),
            charts: charts_panel::ChartsPanel::default(),
            scenarios: Default::default(),
            optimize: Default::default(),
            areas: Default::default(),
            optimizer: OptimizerResults::default(),
            mapping: None,
            remembered: None,
            queue: Vec::new(),
            quit_requested: false,
            pending: None,
            export: None,
            recovery: None,
            restore_offer: None,
            discard_on_exit: false,
            changed_on_disk: None,
            confirm: None,
            sheet_picker: None,
            sheets: Default::default(),
            close_allowed: false,
            dialogs: super::file_dialog::default_dialogs(),
            path_prompt: None,
            reveal_detail: false,
            status_seen: None,
            title: String::new(),
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

    /// The window's title: the open project or file (the sample), with a
    /// mark while there is unsaved work.
    pub fn window_title(&self) -> String {
        let lang = self.lang();
        let name = self
            .doc
            .project_path
            .as_ref()
            .or(self.doc.path.as_ref())
            .and_then(|p| p.file_name())
            .map_or_else(
                || S::Sample.get(lang).to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
        let unsaved = if self.doc.dirty { " •" } else { "" };
        format!("{name}{unsaved} — Sitefold")
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
        let title = self.window_title();
        if title != self.title {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
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
                let mut side = egui::ScrollArea::vertical().id_salt("side_scroll");
                if std::mem::take(&mut self.reveal_detail) {
                    side = side.vertical_scroll_offset(0.0);
                }
                side.show(ui, |ui| {
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
                let areas = super::strings::AreasStr::Tab.get(lang);
                if ui
                    .selectable_label(self.settings.tab == Tab::Areas, areas)
                    .clicked()
                {
                    out.push(Command::ShowTab(Tab::Areas));
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
                Tab::Areas => self.areas.ui(ui, &cx, &mut out),
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
            let name = self
                .doc
                .project_path
                .as_ref()
                .or(self.doc.path.as_ref())
                .map_or_else(
                    || S::Sample.get(lang).to_string(),
                    |p| p.display().to_string(),
                );
            ui.label(name);
            if self.doc.dirty {
                ui.weak(format!("({})", S::Unsaved.get(lang)));
            }
            ui.separator();
            // A message stays a while, then the bar says "ready" again.
            let now = std::time::Instant::now();
            if self.status_seen.as_ref().map(|(s, _)| s) != self.status.as_ref() {
                self.status_seen = self.status.clone().map(|s| (s, now));
            }
            let fresh = self
                .status_seen
                .as_ref()
                .filter(|(_, at)| now.duration_since(*at) < STATUS_SHOWN)
                .map(|(s, _)| s.as_str());
            ui.label(fresh.unwrap_or(S::StatusReady.get(lang)));
        });
    }

    fn dialogs(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) {
        let lang = self.lang();
        if let Some(msg) = &self.error {
            let modal = egui::Modal::new(egui::Id::unique("error_dialog")).show(ctx, |ui| {
                ui.set_max_width(super::file_dialog::fit_width(ctx, 560.0));
                ui.heading(S::ErrorTitle.get(lang));
                // A long message scrolls inside the dialog: its button stays
                // on screen however much the message says.
                egui::ScrollArea::vertical()
                    .max_height((ctx.content_rect().height() - 200.0).max(80.0))
                    .show(ui, |ui| ui.label(msg.as_str()));
                ui.label(S::KeepCurrentWork.get(lang));
                ui.button(S::Close.get(lang)).clicked()
            });
            if modal.inner || modal.should_close() {
                self.error = None;
            }
        }
        if let Some((path, then)) = self.changed_on_disk.clone() {
            let detail = path.display().to_string();
            let answer = super::dialogs::question(
                ctx,
                "changed_on_disk",
                S::ChangedOnDiskTitle.get(lang),
                S::ChangedOnDiskText.get(lang),
                Some(&detail),
                &[
                    S::Overwrite.get(lang),
                    Action::SaveProjectAs.label(lang),
                    S::Cancel.get(lang),
                ],
                Some(2),
            );
            match answer {
                Some(0) => {
                    self.changed_on_disk = None;
                    self.save_then(path, then, true);
                }
                Some(1) => {
                    self.changed_on_disk = None;
                    self.choose_file(FilePurpose::SaveProject { then });
                }
                Some(_) => self.changed_on_disk = None,
                None => {}
            }
        }
        if let Some(prompt) = &mut self.path_prompt {
            match prompt.ui(ctx, lang) {
                PromptAnswer::Open => {}
                PromptAnswer::Cancel => self.path_prompt = None,
                PromptAnswer::Use(path) => {
                    if let Some(prompt) = self.path_prompt.take() {
                        self.file_chosen(prompt.purpose, path);
                    }
                }
            }
        }
        if let Some(next) = self.confirm.clone() {
            // Esc is Cancel: the work stays.
            let answer = super::dialogs::question(
                ctx,
                "unsaved_dialog",
                S::UnsavedTitle.get(lang),
                S::UnsavedText.get(lang),
                None,
                &[
                    S::Save.get(lang),
                    S::DontSave.get(lang),
                    S::Cancel.get(lang),
                ],
                Some(2),
            );
            match answer {
                Some(0) => {
                    self.confirm = None;
                    match self.doc.project_path.clone() {
                        Some(path) => {
                            self.save_then(path, Some(next), false);
                        }
                        None => self.choose_file(FilePurpose::SaveProject { then: Some(next) }),
                    }
                }
                Some(1) => {
                    // The unsaved work stays (and stays marked) until what
                    // replaces it has really arrived: an open that fails
                    // leaves it as it was.
                    self.confirm = None;
                    if next == AfterConfirm::Quit {
                        self.discard_on_exit = true;
                    }
                    self.proceed(next);
                }
                Some(_) => self.confirm = None,
                None => {}
            }
        }
        if let Some((path, names)) = self.sheet_picker.clone() {
            let modal = egui::Modal::new(egui::Id::unique("sheet_dialog")).show(ctx, |ui| {
                ui.set_max_width(super::file_dialog::fit_width(ctx, 420.0));
                ui.heading(S::SheetPicker.get(lang));
                ui.label(path.display().to_string());
                let mut chosen = None;
                egui::ScrollArea::vertical()
                    .max_height((ctx.content_rect().height() - 220.0).max(80.0))
                    .show(ui, |ui| {
                        for name in &names {
                            if ui.button(name).clicked() {
                                chosen = Some(Some(name.clone()));
                            }
                        }
                    });
                if ui.button(S::Cancel.get(lang)).clicked() {
                    chosen = Some(None);
                }
                chosen
            });
            let answer = if modal.should_close() {
                Some(None)
            } else {
                modal.inner
            };
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
        if let Some(orphan) = self.restore_offer.clone() {
            let detail = orphan.display().to_string();
            let answer = super::dialogs::question(
                ctx,
                "restore_dialog",
                S::RestoreTitle.get(lang),
                S::RestoreText.get(lang),
                Some(&detail),
                &[
                    S::Restore.get(lang),
                    S::Discard.get(lang),
                    S::Later.get(lang),
                ],
                Some(2),
            )
            .map(|i| match i {
                0 => Some(true),
                1 => Some(false),
                _ => None,
            });
            match answer {
                Some(Some(true)) => self.restore(),
                Some(Some(false)) => {
                    self.restore_offer = None;
                    super::project_io::Recovery::discard(&orphan);
                    self.offer_next_orphan();
                }
                // Later (or Esc): nothing decided, offered again next time.
                Some(None) => self.restore_offer = None,
                None => {}
            }
        }
        if let Some(dialog) = &mut self.mapping {
            let outcome = dialog.ui(ctx, lang);
            if outcome.closes() {
                self.mapping = None;
            }
            out.extend(outcome.command());
        }
        if let Some(window) = &mut self.remembered
            && !window.ui(ctx, lang, &self.settings, out)
        {
            self.remembered = None;
        }
    }

    fn keyboard(&mut self, ctx: &egui::Context) {
        // An open dialog gets the keys, not the app. While a text field has
        // the focus, the shortcuts it needs itself (undo, select all, Esc)
        // are its own and every other shortcut still works.
        // A table cell being edited counts as typing even on the frame
        // Esc takes the focus from its field: Esc cancels the edit there.
        let typing = ctx.egui_wants_keyboard_input() || self.table.editing.is_some();
        if self.mapping.is_some()
            || self.error.is_some()
            || self.confirm.is_some()
            || self.sheet_picker.is_some()
            || self.path_prompt.is_some()
            || self.changed_on_disk.is_some()
            || self.restore_offer.is_some()
            || self.remembered.as_ref().is_some_and(|w| w.is_asking())
        {
            return;
        }
        // Shortcuts with more modifiers first: egui matches Ctrl+Z "logically"
        // (extra Shift allowed), so Ctrl+Shift+Z must be tried before it.
        let mut shortcuts: Vec<(Action, egui::KeyboardShortcut)> = Action::ALL
            .iter()
            .filter(|a| !(typing && a.text_editing_needs_it()))
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

    /// Edits cells: all applied, or none and every problem in a dialog.
    fn edit_cells(&mut self, cells: &[(usize, Column, String)], clipped: bool) {
        use super::strings::TableStr;
        let lang = self.lang();
        match self.doc.edit_cells(cells) {
            Ok(n) => {
                let mut text = format!("{}{n}", TableStr::CellsEdited.get(lang));
                if clipped {
                    text = format!("{text} · {}", TableStr::PasteTooLarge.get(lang));
                }
                self.status = Some(text);
            }
            Err(problems) => {
                const SHOWN: usize = 50;
                let inv = self.doc.inventory();
                let mut lines: Vec<String> = problems
                    .iter()
                    .take(SHOWN)
                    .map(|p| {
                        format!(
                            "{} · {} · “{}”：{}",
                            inv.site(p.site).id,
                            p.column.header(lang),
                            p.text,
                            p.why.get(lang)
                        )
                    })
                    .collect();
                if problems.len() > SHOWN {
                    lines.push(format!(
                        "… {} {}",
                        TableStr::AndMore.get(lang),
                        problems.len() - SHOWN
                    ));
                }
                self.error = Some(format!(
                    "{}\n\n{}",
                    TableStr::PasteRefused.get(lang),
                    lines.join("\n")
                ));
            }
        }
    }

    fn apply(&mut self, c: Command) {
        let lang = self.lang();
        match c {
            Command::Action(a) => self.action(a),
            Command::Decide { sites, how } => {
                use crate::plan::Decision;
                let inv = self.doc.inventory();
                // Each site's new decision; `None` inside: clear it. A site
                // with no ancestor at the level asked for is left out.
                let wanted: std::collections::HashMap<usize, Option<Decision>> = sites
                    .iter()
                    .filter_map(|&s| {
                        let d = match how {
                            Decide::Keep => Some(Decision::Keep),
                            Decide::MergeIntoParent => Some(Decision::Merge {
                                target: inv.parent(s),
                            }),
                            Decide::MergeInto(t) => Some(Decision::Merge { target: Some(t) }),
                            Decide::MergeIntoLevel(level) => Some(Decision::Merge {
                                target: Some(
                                    inv.ancestors(s).find(|&a| inv.site(a).level == level)?,
                                ),
                            }),
                            Decide::MergeNearest => Some(Decision::Merge { target: None }),
                            Decide::Clear => None,
                        };
                        Some((s, d))
                    })
                    .collect();
                let no_level = sites.len() - wanted.len();
                let chosen: Vec<usize> = sites
                    .iter()
                    .copied()
                    .filter(|s| wanted.contains_key(s))
                    .collect();
                let (skipped, why) = self
                    .doc
                    .decide(&chosen, |s| wanted.get(&s).copied().flatten());
                let why = if no_level > 0 {
                    Some(Text::new(
                        S::NoAncestorAtLevel.get(Lang::Zh),
                        S::NoAncestorAtLevel.get(Lang::En),
                    ))
                } else {
                    why
                };
                let skipped = skipped + no_level;
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
            Command::Mappings(c) => {
                let status =
                    super::remembered::apply(c, &mut self.settings, &mut self.mapping, lang);
                self.status = status.or(self.status.take());
            }
            Command::Select { site, mode } => {
                match mode {
                    SelectMode::Replace => self.selection.replace(site),
                    SelectMode::Toggle => self.selection.toggle(site),
                    SelectMode::Range => {
                        let shown = self.table.shown().to_vec();
                        self.selection.range(site, &shown);
                    }
                }
                // A site selected in a chart or the tree is shown: in the
                // table (clearing filters that hide it) and in the detail.
                self.table.reveal(site);
                self.reveal_detail = true;
            }
            Command::FilterSubtree(root) => {
                self.table.set_subtree(root);
                self.settings.tab = Tab::Inventory;
            }
            Command::ShowTab(t) => self.settings.tab = t,
            Command::SetLang(l) => self.settings.lang = l,
            Command::ExportChart { kind, svg } => {
                self.choose_file(FilePurpose::ExportChart { kind, svg })
            }
            Command::ChooseFile(purpose) => self.choose_file(purpose),
            Command::Scenario(sc) => self.scenario(sc),
            Command::Optimize(options) => {
                self.start_job(super::jobs::JobKind::Optimize, options, 0)
            }
            Command::Frontier { options, points } => {
                self.start_job(super::jobs::JobKind::Frontier, options, points)
            }
            Command::ApplyOptimized(decisions) => {
                let changed = self.doc.apply_optimized(&decisions);
                self.status = Some(format!("{} {changed}", ScenStr::Applied.get(lang)));
            }
            Command::SetNote { site, note } => self.doc.set_note(site, &note),
            Command::EditCells { cells, clipped } => self.edit_cells(&cells, clipped),
            Command::TableNotice(text) => self.status = Some(text),
            Command::ClearOptimized => {
                let changed = self.doc.clear_optimized();
                self.status = Some(format!("{} {changed}", S::SitesUpdated.get(lang)));
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
            Action::ExportPlanXlsx => self.choose_file(FilePurpose::ExportPlanXlsx),
            Action::ExportPlanCsv => self.choose_file(FilePurpose::ExportPlanCsv),
            Action::MapColumns => self.after_confirm(AfterConfirm::MapColumns),
            Action::RememberedMappings => self.remembered = Some(Default::default()),
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
        match next {
            AfterConfirm::OpenDialog => self.choose_file(FilePurpose::Open),
            AfterConfirm::Open(p) => self.open_in_background(p, None),
            AfterConfirm::MapColumns => {
                let sheet = self
                    .doc
                    .path
                    .as_ref()
                    .and_then(|p| self.sheets.get(p))
                    .cloned();
                let remembered = super::remembered::all(&self.settings);
                self.mapping = mapping::MappingDialog::for_document(&self.doc, &remembered, sheet);
            }
            AfterConfirm::OpenSample => {
                self.adopt(Document::new(Workspace::new(crate::cli::sample()), None));
            }
            AfterConfirm::Quit => {
                self.close_allowed = true;
                self.quit_requested = true;
            }
        }
    }

    /// Saves the project to `path`, or asks where when `None` (the save
    /// then happens once a path is chosen). False when it was not saved
    /// now (asked where, cancelled or failed).
    pub fn save_project(&mut self, path: Option<PathBuf>) -> bool {
        let Some(path) = path else {
            self.choose_file(FilePurpose::SaveProject { then: None });
            return false;
        };
        self.save_then(path, None, false)
    }

    /// Saves to `path`, then goes on with `then`. A project that another
    /// window or program wrote since it was opened here is not overwritten
    /// without asking (`force` is the planner's yes). True when saved.
    pub fn save_then(&mut self, path: PathBuf, then: Option<AfterConfirm>, force: bool) -> bool {
        let lang = self.lang();
        let ours = self.doc.project_path.as_deref() == Some(path.as_path());
        if !force
            && ours
            && self.doc.project_stamp.is_some()
            && crate::project::FileStamp::of(&path) != self.doc.project_stamp
        {
            self.changed_on_disk = Some((path, then));
            return false;
        }
        let saved = self.write_project(&path, lang);
        if saved && let Some(next) = then {
            self.proceed(next);
        }
        saved
    }

    fn write_project(&mut self, path: &std::path::Path, lang: Lang) -> bool {
        let path = path.to_path_buf();
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

    /// The window asked to close: true when it may, else the question is shown.
    pub fn may_close(&mut self) -> bool {
        if self.close_allowed || !self.doc.dirty {
            return true;
        }
        self.confirm = Some(AfterConfirm::Quit);
        false
    }

    /// Called as the app closes: a clean exit leaves no recovery file,
    /// unless unsaved work that the planner did not discard is left.
    pub fn on_exit(&mut self) {
        if let Some(r) = &mut self.recovery {
            if self.doc.dirty && !self.discard_on_exit {
                r.write_now(&self.doc, self.settings.lang);
                r.flush();
            } else {
                r.close();
            }
        }
    }

    /// Turns autosave on, with a recovery file of this window's own in
    /// `dir`; offers back the work of a window that crashed.
    pub fn enable_recovery(&mut self, dir: PathBuf) {
        match super::project_io::Recovery::in_dir(&dir) {
            Ok(r) => {
                self.recovery = Some(r);
                self.offer_next_orphan();
            }
            Err(e) => {
                self.status = Some(format!(
                    "{} {}: {e}",
                    S::NoAutosave.get(self.lang()),
                    dir.display()
                ));
            }
        }
    }

    /// Offers the newest recovery file of a window that no longer runs.
    fn offer_next_orphan(&mut self) {
        self.restore_offer = self
            .recovery
            .as_ref()
            .and_then(|r| r.path.parent())
            .and_then(|dir| super::project_io::Recovery::orphans(dir).into_iter().next());
    }

    /// Opens the offered recovery file as the current work. It becomes this
    /// window's own (written again at once); one that cannot be opened is
    /// moved aside, never deleted, and the planner is told where.
    pub fn restore(&mut self) {
        let Some(orphan) = self.restore_offer.take() else {
            return;
        };
        let lang = self.lang();
        match crate::project::open_project(&orphan) {
            Ok(project) => {
                let mut doc = Document::from_project(project, orphan.clone());
                doc.project_path = None;
                doc.project_stamp = None;
                doc.path = None;
                doc.dirty = true;
                self.adopt(doc);
                if let Some(r) = &mut self.recovery {
                    r.write_now(&self.doc, lang);
                    r.flush();
                }
                super::project_io::Recovery::discard(&orphan);
            }
            Err(e) => {
                let kept = super::project_io::Recovery::set_aside(&orphan);
                self.error = Some(match kept {
                    Ok(to) => format!(
                        "{}\n{} {}",
                        e.message(lang),
                        S::RecoveryKeptAt.get(lang),
                        to.display()
                    ),
                    Err(_) => format!(
                        "{}\n{} {}",
                        e.message(lang),
                        S::RecoveryKeptAt.get(lang),
                        orphan.display()
                    ),
                });
            }
        }
        self.offer_next_orphan();
    }

    /// Makes `doc` the open document; returns the one it replaces. What
    /// was derived from the old one (the optimizer's plan and frontier, the
    /// comparison, the selection, its unsaved work's recovery file) goes
    /// with it: it would name other sites in the new one.
    fn adopt(&mut self, doc: Document) -> Document {
        let old = std::mem::replace(&mut self.doc, doc);
        if let Some(job) = &self.optimizer.job {
            job.control.cancel();
        }
        self.optimizer = OptimizerResults::default();
        self.optimize = Default::default();
        self.scenarios = Default::default();
        self.selection.clear();
        self.table.set_subtree(None);
        self.discard_on_exit = false;
        if let Some(r) = &mut self.recovery {
            r.clear();
        }
        old
    }

    fn push_and_apply(&mut self, how: Decide) {
        let sites = self.selection.to_vec();
        if !sites.is_empty() {
            self.apply(Command::Decide { sites, how });
        }
    }

    /// Opens an inventory now (tests, start-up); see [`SitefoldApp::open_in_background`].
    pub fn open(&mut self, path: PathBuf, mapping: Option<Mapping>) {
        let sheet = self.sheets.get(&path).cloned();
        let remembered = super::remembered::all(&self.settings);
        let result = load_for_open(&path, mapping, sheet, &remembered);
        self.finish_open(path, result);
    }

    /// Opens an inventory on a worker thread: the window stays responsive
    /// and the current work usable until the new one is ready.
    pub fn open_in_background(&mut self, path: PathBuf, mapping: Option<Mapping>) {
        let (tx, rx) = std::sync::mpsc::channel();
        let remembered = super::remembered::all(&self.settings);
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
                    let header = &doc.ws.imported.header;
                    super::remembered::remember(&mut self.settings, header, m);
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
                let old = self.adopt(*doc);
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
                self.settings.recent.retain(|p| p != &path);
                self.settings.recent.insert(0, path);
                self.settings.recent.truncate(MAX_RECENT);
            }
            OpenResult::NeedsSheet(names) => self.sheet_picker = Some((path, names)),
            OpenResult::NeedsMapping(found) => {
                let sheet = self.sheets.get(&path).cloned();
                self.mapping = Some(mapping::MappingDialog::new(path, found).with_sheet(sheet));
            }
            OpenResult::Failed(e) => self.error = Some(e.message(lang)),
        }
    }

    /// Asks the planner for a file for `purpose`: the system's dialog, or
    /// the typed-path field when the system has none. What follows runs in
    /// [`Self::file_chosen`] once there is a path.
    pub fn choose_file(&mut self, purpose: FilePurpose) {
        let lang = self.lang();
        let stem = self
            .doc
            .path
            .as_ref()
            .and_then(|p| p.file_stem())
            .map(|s| s.to_string_lossy().into_owned());
        let request = Request {
            save: purpose.saves(),
            title: purpose.title(lang),
            filters: purpose.filters(lang),
            file_name: purpose.default_name(lang, stem.as_deref()),
            directory: self
                .doc
                .path
                .as_ref()
                .and_then(|p| p.parent())
                .filter(|d| !d.as_os_str().is_empty())
                .map(PathBuf::from),
        };
        match self.dialogs.choose(&request) {
            Choice::Picked(path) => self.file_chosen(purpose, path),
            Choice::Cancelled => {}
            Choice::Unavailable => self.path_prompt = Some(PathPrompt::new(purpose, &request)),
        }
    }

    /// Carries out what a file was asked for.
    pub fn file_chosen(&mut self, purpose: FilePurpose, path: PathBuf) {
        use super::jobs::ExportKind;
        match purpose {
            FilePurpose::Open => self.open_in_background(path, None),
            FilePurpose::SaveProject { then } => {
                self.save_then(path, then, false);
            }
            FilePurpose::ExportPlanCsv => self.start_export(ExportKind::PlanCsv, path),
            FilePurpose::ExportPlanXlsx => self.start_export(ExportKind::PlanXlsx, path),
            FilePurpose::ExportChart { kind, svg } => {
                self.start_export(ExportKind::Chart { kind, svg }, path)
            }
            FilePurpose::LoadRules => {
                let lang = self.lang();
                self.rules.load_from(&path, lang, &mut self.queue);
            }
            FilePurpose::SaveRules => {
                let lang = self.lang();
                let rules = self.doc.ws.rules.clone();
                self.rules.save_to(&path, lang, &rules);
            }
        }
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
        // A project holds at most MAX_SCENARIOS (it would not reopen with
        // more): nothing adds one past that, whichever panel asks.
        let adds = matches!(
            c,
            Sc::SaveCurrent(_) | Sc::Duplicate(_) | Sc::AddPlan { .. }
        );
        if adds && n >= crate::project::MAX_SCENARIOS {
            self.status = Some(
                lang.pick(
                    "情景已达项目上限，请先删除一些",
                    "The project holds the most scenarios it can: delete some to add more",
                )
                .to_string(),
            );
            return;
        }
        match c {
            Sc::SaveCurrent(name) => doc.scenarios.push(Scenario::from_workspace(name, &doc.ws)),
            Sc::Overwrite(i) if i < n => {
                let name = doc.scenarios[i].name.clone();
                doc.scenarios[i] = Scenario::from_workspace(name, &doc.ws);
            }
            Sc::Load(i) if i < n => {
                let sc = doc.scenarios[i].clone();
                let (manual, mut issues) = manual_by_index(doc.inventory(), &sc.manual, &sc.name);
                let (optimized, more) = manual_by_index(doc.inventory(), &sc.optimized, &sc.name);
                issues.extend(more);
                doc.replace_plan(manual, optimized, sc.rules, sc.params);
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
                // The computed decisions are the scenario's optimizer
                // layer, under the planner's own (locked) decisions.
                let inv = doc.inventory();
                let optimized: Vec<Option<crate::plan::Decision>> = decisions
                    .iter()
                    .enumerate()
                    .map(|(i, d)| {
                        (doc.ws.manual.get(i).copied().flatten().is_none()
                            && inv.parent(i).is_some())
                        .then_some(*d)
                    })
                    .collect();
                let scenario = Scenario {
                    name,
                    manual: manual_by_id(inv, &doc.ws.manual),
                    optimized: manual_by_id(inv, &optimized),
                    rules: doc.ws.rules.clone(),
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
