//! Files the planner picks: saving the project, exports running in the
//! background.

use std::path::PathBuf;

use crate::i18n::Lang;

use crate::ui::file_dialog::{Choice, FilePurpose, PathPrompt, Request};
use crate::ui::strings::S;

use super::*;

impl SitefoldApp {
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
        use crate::ui::jobs::ExportKind;
        match purpose {
            FilePurpose::Open => self.open_in_background(path, None),
            FilePurpose::SaveProject { then } => {
                self.save_then(path, then, false);
            }
            FilePurpose::ExportPlanCsv => self.start_export(ExportKind::PlanCsv, path),
            FilePurpose::ExportPlanXlsx => self.start_export(ExportKind::PlanXlsx, path),
            FilePurpose::ExportReport => self.start_export(ExportKind::Report, path),
            FilePurpose::ExportChart { kind, svg } => {
                self.start_export(ExportKind::Chart { kind, svg }, path)
            }
            FilePurpose::LoadRules => self.load_rules(&path),
            FilePurpose::SaveRules => self.save_rules(&path),
            FilePurpose::SaveMapping(mapping) => self.save_mapping(&path, &mapping),
            FilePurpose::LoadMapping => self.load_mapping(&path),
            FilePurpose::ImportProgress => self.import_progress(&path),
            FilePurpose::ExportAudit => self.start_export(ExportKind::AuditCsv, path),
            FilePurpose::AddRound => self.add_round_file(&path),
            FilePurpose::ExportRedirects(f) => self.start_export(ExportKind::Redirects(f), path),
            FilePurpose::ExportNotices(f) => self.start_export(ExportKind::Notices(f), path),
            FilePurpose::AddToInventory => self.add_inventory_file(&path),
        }
    }

    /// Reads an inspection round file: its rounds added as one undo step;
    /// what it gave, and every line not used, in the Rounds tab.
    pub fn add_round_file(&mut self, path: &std::path::Path) {
        let lang = self.lang();
        self.settings.tab = crate::ui::command::Tab::Rounds;
        match crate::rounds::read_round_file(path, None, self.doc.inventory()) {
            Ok(file) => {
                let mut lines = vec![file.summary(lang)];
                lines.extend(file.issues.iter().map(|i| i.render(lang)));
                let error = file.rejected > 0;
                self.doc.add_rounds(file.rounds);
                self.rounds.show_notice(error, lines.join("\n"));
            }
            Err(e) => self.rounds.show_notice(true, e.message(lang)),
        }
    }

    /// Reads an inventory file to add to the open inventory (with the
    /// mapping remembered for its headers when Sitefold does not know
    /// them): added at once when none of its sites is already there, else
    /// after the planner chose, in the conflicts dialog, which rows to keep.
    pub fn add_inventory_file(&mut self, path: &std::path::Path) {
        use crate::inventory::{ImportError, ImportOptions, import_path};
        let lang = self.lang();
        let read = match import_path(path, &ImportOptions::default()) {
            Err(ImportError::MissingColumns { found, .. })
                if crate::ui::remembered::all(&self.settings)
                    .contains_key(&header_signature(&found)) =>
            {
                let remembered = crate::ui::remembered::all(&self.settings);
                let m = remembered.get(&header_signature(&found)).cloned();
                let opts = ImportOptions {
                    mapping: m.as_ref().map(|m| m.columns.clone()),
                    values: m.map(|m| m.values).unwrap_or_default(),
                    ..Default::default()
                };
                import_path(path, &opts)
            }
            r => r,
        };
        let file = path.display().to_string();
        let gathered = read
            .map_err(crate::inventory::AssembleError::from)
            .and_then(|imported| self.doc.ws.gather_files(vec![imported]));
        match gathered {
            Err(e) => self.show_error(e.message(lang)),
            Ok(g) if g.conflicts().is_empty() => {
                self.finish_adding(g.finish_with(crate::inventory::Keep::First), &file)
            }
            Ok(g) => {
                self.conflicts = Some(crate::ui::conflicts_dialog::ConflictsDialog::new(g, file))
            }
        }
    }

    /// Takes the inventory with a file added, as one undo step, and shows
    /// the import report (every file's problems).
    pub(super) fn finish_adding(&mut self, assembled: crate::inventory::Assembled, file: &str) {
        let given = assembled.sources.last().map_or(0, |s| s.sites);
        let conflicts = assembled.conflicts.len();
        self.doc.add_files(assembled);
        self.status = Some(
            crate::ui::strings::AssembleStr::Added
                .get(self.lang())
                .replace("{file}", file)
                .replace("{given}", &given.to_string())
                .replace("{conflicts}", &conflicts.to_string()),
        );
        self.settings.tab = crate::ui::command::Tab::Report;
    }

    /// Reads a progress sheet: its changes recorded as one undo step with
    /// the import in the audit trail; every line not recorded listed in
    /// the Progress tab.
    pub fn import_progress(&mut self, path: &std::path::Path) {
        let lang = self.lang();
        let today = crate::execution::Date::today();
        let person = self.doc.person.clone();
        let read = {
            let ctx = self
                .doc
                .ws
                .sheet_context(&self.doc.resolved, &person, today);
            crate::execution::read_status_file(
                path,
                &crate::inventory::TableOptions::default(),
                &ctx,
            )
        };
        self.settings.tab = crate::ui::command::Tab::Progress;
        match read {
            Ok(sheet) => {
                let mut lines = vec![sheet.summary(lang)];
                lines.extend(sheet.issues.iter().map(|i| i.render(lang)));
                let error = sheet.rejected > 0;
                if !sheet.changes.is_empty() {
                    // The import's own entry, as the command line records it.
                    let import = sheet.import_entry(&person, lang);
                    self.doc.add_statuses(sheet.changes);
                    self.doc.record_audit(vec![import]);
                }
                self.progress.show_notice(error, lines.join("\n"));
            }
            Err(e) => self.progress.show_notice(true, e.message(lang)),
        }
    }

    /// Reads a rules file; its rules become the plan's through a command
    /// (one undo step) and the rules panel says what the file held.
    fn load_rules(&mut self, path: &std::path::Path) {
        use crate::ui::strings::RulesStr;
        let lang = self.lang();
        let source = path.display().to_string();
        match crate::workspace::read_text(path) {
            Ok(text) => {
                let (set, issues) = crate::plan::RuleSet::parse(&text, &source);
                let mut lines = vec![format!(
                    "{} {source}{}{}",
                    RulesStr::Loaded.get(lang),
                    lang.pick("：", ": "),
                    set.rules.len()
                )];
                lines.extend(issues.iter().map(|i| i.render(lang)));
                let error = issues.iter().any(|i| i.is_error);
                self.rules.show_notice(error, lines.join("\n"));
                self.push(Command::LoadRulesText { text, source });
            }
            Err(e) => self.rules.show_notice(
                true,
                format!(
                    "{}{}{}",
                    RulesStr::LoadFailed.get(lang),
                    lang.pick("：", ": "),
                    e.message(lang)
                ),
            ),
        }
    }

    /// Writes a column mapping as the TOML `--map` reads.
    fn save_mapping(&mut self, path: &std::path::Path, mapping: &crate::inventory::Mapping) {
        use crate::ui::strings::MappingStr;
        let lang = self.lang();
        let written = mapping
            .to_toml()
            .map_err(std::io::Error::other)
            .and_then(|text| crate::atomic::write_atomic(path, text.as_bytes()));
        match written {
            Ok(()) => {
                self.status = Some(format!(
                    "{}{}",
                    MappingStr::FileWritten.get(lang),
                    path.display()
                ))
            }
            Err(e) => self.show_error(format!(
                "{}: {}",
                path.display(),
                crate::atomic::describe(&e, lang)
            )),
        }
    }

    /// Reads a mapping file into the open mapping dialog.
    fn load_mapping(&mut self, path: &std::path::Path) {
        let lang = self.lang();
        let read = crate::workspace::read_mapping(path).map_err(|e| e.message(lang));
        let taken = read.and_then(|m| match &mut self.mapping {
            Some(dialog) => dialog.take_file(m, lang),
            None => Ok(()),
        });
        if let Err(e) = taken {
            self.show_error(e);
        }
    }

    /// Writes the plan's rules as TOML; the rules panel says how it went.
    fn save_rules(&mut self, path: &std::path::Path) {
        use crate::ui::strings::RulesStr;
        let lang = self.lang();
        let rules = &self.doc.ws.rules;
        let text = rules.to_toml();
        let result = if text.is_empty() && !rules.rules.is_empty() {
            Err(std::io::Error::other(lang.pick(
                "无法将规则写成 TOML",
                "the rules could not be written as TOML",
            )))
        } else {
            crate::atomic::write_atomic(path, text.as_bytes())
        };
        let (error, text) = match result {
            Ok(()) => (
                false,
                format!("{} {}", RulesStr::Saved.get(lang), path.display()),
            ),
            Err(e) => (
                true,
                format!(
                    "{} {}{}{}",
                    RulesStr::SaveFailed.get(lang),
                    path.display(),
                    lang.pick("：", ": "),
                    crate::atomic::describe(&e, lang)
                ),
            ),
        };
        self.rules.show_notice(error, text);
    }

    /// Saves the project to `path`, or asks where when `None` (the save
    /// then happens once a path is chosen). False when it was not saved
    /// now (asked where, cancelled or failed).
    pub fn save_project(&mut self, path: Option<PathBuf>) -> bool {
        // A project opened read-only is saved under another name.
        let path =
            path.filter(|p| !(self.doc.read_only && self.doc.project_path.as_ref() == Some(p)));
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
            self.show(Modal::ChangedOnDisk { path, then });
            return false;
        }
        let saved = self.write_project(&path, lang);
        if saved && let Some(next) = then {
            self.proceed(next);
        }
        saved
    }

    pub(super) fn write_project(&mut self, path: &std::path::Path, lang: Lang) -> bool {
        let path = path.to_path_buf();
        match crate::ui::project_io::save_document(&mut self.doc, &path, lang) {
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
                self.show_error(format!("{}: {}", S::SaveFailed.get(lang), e.message(lang)));
                false
            }
        }
    }

    /// Starts writing an export of the current plan to `path` in the
    /// background (one at a time); the status bar shows how far it is.
    pub fn start_export(&mut self, kind: crate::ui::jobs::ExportKind, path: PathBuf) {
        let lang = self.lang();
        if self.export.is_some() {
            self.status = Some(S::ExportBusy.get(lang).to_string());
            return;
        }
        match crate::ui::jobs::ExportJob::start(kind, self.doc.ws.clone(), lang, path) {
            Ok(job) => self.export = Some(job),
            Err(e) => self.status = Some(format!("{}: {e}", S::ExportFailed.get(lang))),
        }
    }

    /// The running export, if any.
    pub fn export_job(&self) -> Option<&crate::ui::jobs::ExportJob> {
        self.export.as_ref()
    }

    /// Asks the running export to stop.
    pub fn cancel_export(&self) {
        if let Some(job) = &self.export {
            job.control.cancel();
        }
    }

    pub(super) fn poll_export(&mut self) -> bool {
        let Some(job) = &self.export else {
            return false;
        };
        let Some(outcome) = job.poll() else {
            return false;
        };
        let lang = self.lang();
        let path = job.path.display().to_string();
        self.export = None;
        use crate::ui::jobs::ExportOutcome;
        self.status = Some(match outcome {
            ExportOutcome::Written => format!("{} {path}", S::Exported.get(lang)),
            ExportOutcome::Cancelled => format!("{} {path}", S::ExportCancelled.get(lang)),
            ExportOutcome::Failed(message) => format!("{}: {message}", S::ExportFailed.get(lang)),
        });
        true
    }
}
