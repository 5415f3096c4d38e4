//! The application shell: the app's state and its layout. What it does is
//! housed beside it, one job per file:
//!
//! - `commands`: the one place where commands change the document;
//! - `open`: opening files in the background (a document, a sheet to pick,
//!   columns to map) and the unsaved-changes question before;
//! - `files`: saving projects and writing exports the planner asked for;
//! - `modal`: the modal dialogs;
//! - `recovery`: quitting safely, autosave and restoring after a crash;
//! - `tasks`: the optimizer and the frontier in the background;
//! - `settings`: what is remembered across runs.
//!
//! Panels read the shared [`Cx`] (in `ui::context`) and push commands.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::i18n::Lang;
use crate::workspace::Workspace;

use super::actions::Action;
use super::command::{Command, Tab};
use super::document::Document;
use super::file_dialog::{FileDialogs, PathPrompt};
use super::selection::Selection;
use super::strings::S;
use super::{
    cards, charts_panel, detail, mapping, menu, params_panel, report_panel, rules_panel, table,
    tree,
};

mod commands;
mod files;
mod modal;
mod open;
mod recovery;
mod settings;
mod tasks;

pub use crate::ui::context::{Cx, OptimizerResults};
pub use modal::{Modal, ModalAnswer};
pub use open::AfterConfirm;
use open::Pending;
use settings::MAX_RECENT;
pub use settings::{Settings, header_signature};

/// How long a status message shows.
const STATUS_SHOWN: std::time::Duration = std::time::Duration::from_secs(20);

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
    /// Questions and messages waiting for the planner, shown one at a
    /// time, first first.
    modals: Vec<Modal>,
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
    /// The hierarchy as nested rectangles.
    pub treemap: super::treemap_panel::TreemapPanel,
    /// The schedule and cash flow.
    pub timeline: super::timeline_panel::TimelinePanel,
    /// Where the closures stand.
    pub progress: super::progress_panel::ProgressPanel,
    /// Who changed what.
    pub audit: super::audit_panel::AuditPanel,
    /// The inspection rounds.
    pub rounds: super::rounds_panel::RoundsPanel,
    /// The optimizer's running job and results.
    pub optimizer: OptimizerResults,
    /// Column-mapping dialog, when open.
    pub mapping: Option<mapping::MappingDialog>,
    /// The remembered column mappings' window, when open.
    pub remembered: Option<super::remembered::RememberedWindow>,
    /// The sites in two files of a file being added, when there are any.
    pub conflicts: Option<super::conflicts_dialog::ConflictsDialog>,
    queue: Vec<Command>,
    quit_requested: bool,
    pending: Option<Pending>,
    /// The export running in the background, if any.
    export: Option<super::jobs::ExportJob>,
    /// Autosave to a recovery file (off in tests unless set).
    pub recovery: Option<super::project_io::Recovery>,
    /// The planner chose not to save before quitting.
    discard_on_exit: bool,
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
            modals: Vec::new(),
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
            treemap: Default::default(),
            timeline: Default::default(),
            progress: Default::default(),
            audit: Default::default(),
            rounds: Default::default(),
            optimizer: OptimizerResults::default(),
            mapping: None,
            remembered: None,
            conflicts: None,
            queue: Vec::new(),
            quit_requested: false,
            pending: None,
            export: None,
            recovery: None,
            discard_on_exit: false,
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
        SitefoldApp::new(Workspace::new(crate::sample::sample()), None, settings)
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
        let unsaved = if self.doc.is_dirty() { " •" } else { "" };
        let read_only = if self.doc.read_only {
            S::ReadOnlyMark.get(lang)
        } else {
            ""
        };
        format!("{name}{read_only}{unsaved} — Sitefold")
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
        // A document opened since keeps the name the planner gave.
        if !self.settings.person.is_empty() && self.doc.person != self.settings.person {
            self.doc.person = self.settings.person.clone();
        }
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
            ui.horizontal_wrapped(|ui| {
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
                let treemap = super::strings::TreemapStr::Tab.get(lang);
                if ui
                    .selectable_label(self.settings.tab == Tab::Treemap, treemap)
                    .clicked()
                {
                    out.push(Command::ShowTab(Tab::Treemap));
                }
                use super::strings::TimelineStr;
                for (tab, label) in [
                    (Tab::Timeline, TimelineStr::Tab),
                    (Tab::Progress, TimelineStr::ProgressTab),
                    (Tab::Audit, TimelineStr::AuditTab),
                    (Tab::Rounds, TimelineStr::RoundsTab),
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
                Tab::Areas => self.areas.ui(ui, &cx, &mut out),
                Tab::Treemap => self.treemap.ui(ui, &cx, &mut out),
                Tab::Timeline => self.timeline.ui(ui, &cx, &mut out),
                Tab::Progress => self.progress.ui(ui, &cx, &mut out),
                Tab::Audit => self.audit.ui(ui, &cx, &mut out),
                Tab::Rounds => self.rounds.ui(ui, &cx, &mut out),
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
                    self.queue.push(Command::CancelOpen);
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
                    self.queue.push(Command::CancelExport);
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
            if self.doc.is_dirty() {
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

    fn keyboard(&mut self, ctx: &egui::Context) {
        // An open dialog gets the keys, not the app. While a text field has
        // the focus, the shortcuts it needs itself (undo, select all, Esc)
        // are its own and every other shortcut still works.
        // A table cell being edited counts as typing even on the frame
        // Esc takes the focus from its field: Esc cancels the edit there.
        let typing = ctx.egui_wants_keyboard_input() || self.table.editing.is_some();
        if self.mapping.is_some()
            || !self.modals.is_empty()
            || self.path_prompt.is_some()
            || self.remembered.as_ref().is_some_and(|w| w.is_asking())
            || self.conflicts.is_some()
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
}
