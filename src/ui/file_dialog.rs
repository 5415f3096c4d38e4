//! Asking the planner for a file: the system's dialog where there is one,
//! else a path typed into a field of our own. A dialog that cannot open is
//! never a silent no-op (a Linux desktop without a portal or zenity, a
//! locked-down Windows session).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::charts::ChartKind;
use crate::i18n::Lang;

use super::strings::{MappingStr, RulesStr, S, TimelineStr};

/// What the file is for: decides the dialog's title, filters and default
/// name, and what happens once a path is chosen.
#[derive(Clone, Debug, PartialEq)]
pub enum FilePurpose {
    /// Open an inventory or a project.
    Open,
    /// Save the project; then go on with what was waiting for the save.
    SaveProject {
        /// What to do once saved (the unsaved-changes question's "Save").
        then: Option<super::app::AfterConfirm>,
    },
    /// Export the per-site plan as CSV.
    ExportPlanCsv,
    /// Export the plan workbook.
    ExportPlanXlsx,
    /// Export the report (DOCX).
    ExportReport,
    /// Export a chart.
    ExportChart {
        /// The chart.
        kind: ChartKind,
        /// SVG (true) or PNG (false).
        svg: bool,
    },
    /// Load a rules file.
    LoadRules,
    /// Save the rules as a file.
    SaveRules,
    /// Write a column mapping as a file (TOML, for `--map`).
    SaveMapping(crate::inventory::Mapping),
    /// Read a column mapping file into the mapping dialog.
    LoadMapping,
    /// Import a progress sheet returned by a prefecture.
    ImportProgress,
    /// Export the audit trail as CSV.
    ExportAudit,
    /// Add an inspection round file.
    AddRound,
    /// Export the redirect map.
    ExportRedirects(crate::execution::redirects::RedirectFormat),
    /// Export the closure notices (a folder, CSV or a workbook).
    ExportNotices(crate::execution::notices::NoticeFormat),
    /// Add an inventory file to the open inventory.
    AddToInventory,
}

/// One named group of file extensions for the dialog's filter.
pub type Filter = (String, &'static [&'static str]);

/// Every extension an inventory or a project may have: the readers' own
/// lists, and the project's.
pub const OPEN_EXTENSIONS: &[&str] = &{
    use crate::inventory::{SPREADSHEET_EXTENSIONS as S, TEXT_EXTENSIONS as T};
    [
        T[0],
        T[1],
        T[2],
        S[0],
        S[1],
        S[2],
        S[3],
        S[4],
        crate::project::EXTENSION,
    ]
};

/// The extensions a redirect map of `f` is written with.
fn redirect_extensions(f: crate::execution::redirects::RedirectFormat) -> &'static [&'static str] {
    use crate::execution::redirects::RedirectFormat as F;
    match f {
        F::Csv => &["csv"],
        F::Nginx => &["conf", "nginx"],
        F::Apache => &["txt"],
    }
}

/// What a progress sheet may be: CSV or text, or a spreadsheet.
pub const PROGRESS_EXTENSIONS: &[&str] = &{
    use crate::inventory::{SPREADSHEET_EXTENSIONS as S, TEXT_EXTENSIONS as T};
    [T[0], T[1], T[2], S[0], S[1], S[2], S[3], S[4]]
};

impl FilePurpose {
    /// True when the file is written (a save dialog), false when read.
    pub fn saves(&self) -> bool {
        !matches!(
            self,
            FilePurpose::Open
                | FilePurpose::LoadRules
                | FilePurpose::LoadMapping
                | FilePurpose::ImportProgress
                | FilePurpose::AddRound
                | FilePurpose::AddToInventory
        )
    }

    /// The dialog's title.
    pub fn title(&self, lang: Lang) -> String {
        use super::actions::Action;
        match self {
            FilePurpose::Open => Action::Open.label(lang).into(),
            FilePurpose::SaveProject { .. } => Action::SaveProjectAs.label(lang).into(),
            FilePurpose::ExportPlanCsv => Action::ExportPlanCsv.label(lang).into(),
            FilePurpose::ExportPlanXlsx => Action::ExportPlanXlsx.label(lang).into(),
            FilePurpose::ExportReport => Action::ExportReport.label(lang).into(),
            FilePurpose::ExportChart { svg, .. } => {
                format!(
                    "{} ({})",
                    S::ExportChart.get(lang),
                    if *svg { "SVG" } else { "PNG" }
                )
            }
            FilePurpose::LoadRules => S::LoadRules.get(lang).into(),
            FilePurpose::SaveRules => S::SaveRules.get(lang).into(),
            FilePurpose::SaveMapping(_) => MappingStr::WriteFile.get(lang).into(),
            FilePurpose::LoadMapping => MappingStr::ReadFile.get(lang).into(),
            FilePurpose::ImportProgress => TimelineStr::ImportProgress.get(lang).into(),
            FilePurpose::ExportAudit => TimelineStr::ExportAudit.get(lang).into(),
            FilePurpose::AddRound => TimelineStr::AddRound.get(lang).into(),
            FilePurpose::ExportRedirects(f) => format!(
                "{} ({})",
                TimelineStr::ExportRedirects.get(lang),
                f.name(lang)
            ),
            FilePurpose::ExportNotices(_) => TimelineStr::ExportNotices.get(lang).into(),
            FilePurpose::AddToInventory => {
                super::actions::Action::AddInventoryFile.label(lang).into()
            }
        }
    }

    /// The dialog's filters.
    pub fn filters(&self, lang: Lang) -> Vec<Filter> {
        match self {
            FilePurpose::Open => vec![(S::InventoryOrProject.get(lang).into(), OPEN_EXTENSIONS)],
            FilePurpose::SaveProject { .. } => {
                vec![(S::ProjectFile.get(lang).into(), &["sitefold"])]
            }
            FilePurpose::ExportPlanCsv => vec![("CSV".into(), &["csv"])],
            FilePurpose::ExportPlanXlsx => vec![("Excel".into(), &["xlsx"])],
            FilePurpose::ExportReport => vec![("Word".into(), &["docx"])],
            FilePurpose::ExportChart { svg: true, .. } => vec![("SVG".into(), &["svg"])],
            FilePurpose::ExportChart { svg: false, .. } => vec![("PNG".into(), &["png"])],
            FilePurpose::LoadRules => {
                vec![(RulesStr::FileFilter.get(lang).into(), &["toml", "txt"])]
            }
            FilePurpose::SaveRules => vec![(RulesStr::FileFilter.get(lang).into(), &["toml"])],
            FilePurpose::SaveMapping(_) | FilePurpose::LoadMapping => {
                vec![("TOML".into(), &["toml"])]
            }
            FilePurpose::ImportProgress => vec![(
                TimelineStr::ProgressSheet.get(lang).into(),
                PROGRESS_EXTENSIONS,
            )],
            FilePurpose::ExportAudit => vec![("CSV".into(), &["csv"])],
            FilePurpose::AddRound => {
                vec![(TimelineStr::RoundFile.get(lang).into(), PROGRESS_EXTENSIONS)]
            }
            FilePurpose::ExportRedirects(f) => vec![(f.name(lang).into(), redirect_extensions(*f))],
            FilePurpose::ExportNotices(f) => match f {
                crate::execution::notices::NoticeFormat::Folder => Vec::new(),
                crate::execution::notices::NoticeFormat::Csv => vec![("CSV".into(), &["csv"])],
                crate::execution::notices::NoticeFormat::Xlsx => vec![("Excel".into(), &["xlsx"])],
            },
            FilePurpose::AddToInventory => {
                vec![(
                    super::strings::AssembleStr::InventoryFiles.get(lang).into(),
                    PROGRESS_EXTENSIONS,
                )]
            }
        }
    }

    /// The file name a save dialog proposes; `stem` names the open file.
    pub fn default_name(&self, lang: Lang, stem: Option<&str>) -> Option<String> {
        let stem = stem.unwrap_or(lang.pick("方案", "plan"));
        match self {
            FilePurpose::Open
            | FilePurpose::LoadRules
            | FilePurpose::LoadMapping
            | FilePurpose::ImportProgress
            | FilePurpose::AddRound
            | FilePurpose::AddToInventory => None,
            FilePurpose::ExportAudit => Some(lang.pick("审计记录.csv", "audit-trail.csv").into()),
            FilePurpose::ExportRedirects(f) => Some(format!(
                "{}.{}",
                lang.pick("跳转表", "redirects"),
                f.extension()
            )),
            FilePurpose::ExportNotices(f) => Some(match f {
                crate::execution::notices::NoticeFormat::Folder => {
                    lang.pick("公告", "notices").into()
                }
                crate::execution::notices::NoticeFormat::Csv => {
                    lang.pick("公告.csv", "notices.csv").into()
                }
                crate::execution::notices::NoticeFormat::Xlsx => {
                    lang.pick("公告.xlsx", "notices.xlsx").into()
                }
            }),
            FilePurpose::SaveMapping(_) => Some(lang.pick("映射.toml", "mapping.toml").into()),
            FilePurpose::SaveProject { .. } => Some(format!("{stem}.sitefold")),
            FilePurpose::ExportPlanCsv => Some(lang.pick("方案.csv", "plan.csv").into()),
            FilePurpose::ExportPlanXlsx => Some(lang.pick("方案.xlsx", "plan.xlsx").into()),
            FilePurpose::ExportReport => Some(lang.pick("方案报告.docx", "report.docx").into()),
            FilePurpose::ExportChart { kind, svg } => Some(format!(
                "{}.{}",
                kind.key(),
                if *svg { "svg" } else { "png" }
            )),
            FilePurpose::SaveRules => Some(RulesStr::DefaultFileName.get(lang).into()),
        }
    }
}

/// What the planner did with a file dialog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Chose this path.
    Picked(PathBuf),
    /// Closed the dialog without choosing.
    Cancelled,
    /// The system has no dialog to show.
    Unavailable,
}

/// What a dialog is asked to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// True for a save dialog.
    pub save: bool,
    /// Title.
    pub title: String,
    /// Filters.
    pub filters: Vec<Filter>,
    /// Proposed file name (save dialogs).
    pub file_name: Option<String>,
    /// Folder to start in.
    pub directory: Option<PathBuf>,
}

/// Shows file dialogs. The app holds one; tests give it their own.
pub trait FileDialogs {
    /// Shows the dialog and waits for the planner.
    fn choose(&mut self, request: &Request) -> Choice;
}

/// The operating system's dialogs (through `rfd`).
#[derive(Default)]
pub struct SystemDialogs;

/// A dialog that closes sooner than this without a path was never shown:
/// nobody cancels a dialog that fast, while `rfd` returns at once when it
/// found neither a portal nor zenity to show one.
const NOT_SHOWN: Duration = Duration::from_millis(250);

impl FileDialogs for SystemDialogs {
    fn choose(&mut self, request: &Request) -> Choice {
        if !system_dialog_possible() {
            return Choice::Unavailable;
        }
        let mut dialog = rfd::FileDialog::new().set_title(&request.title);
        for (name, extensions) in &request.filters {
            dialog = dialog.add_filter(name, extensions);
        }
        if let Some(dir) = &request.directory {
            dialog = dialog.set_directory(dir);
        }
        if let Some(name) = &request.file_name {
            dialog = dialog.set_file_name(name);
        }
        let started = Instant::now();
        let picked = if request.save {
            dialog.save_file()
        } else {
            dialog.pick_file()
        };
        match picked {
            Some(p) => Choice::Picked(p),
            None if started.elapsed() < NOT_SHOWN => Choice::Unavailable,
            None => Choice::Cancelled,
        }
    }
}

/// Dialogs that never open, as on a desktop without any: every request
/// goes to the typed path (tests, and `SITEFOLD_NO_SYSTEM_DIALOGS=1`).
#[derive(Default)]
pub struct NoDialogs;

impl FileDialogs for NoDialogs {
    fn choose(&mut self, _request: &Request) -> Choice {
        Choice::Unavailable
    }
}

/// The dialogs the app starts with: the system's, unless the environment
/// says there are none.
pub fn default_dialogs() -> Box<dyn FileDialogs> {
    if std::env::var_os("SITEFOLD_NO_SYSTEM_DIALOGS").is_some_and(|v| v != "0") {
        Box::new(NoDialogs)
    } else {
        Box::new(SystemDialogs)
    }
}

/// On Linux a dialog needs the desktop portal (reached over the session
/// bus) or the `zenity` program; without either `rfd` shows nothing.
#[cfg(target_os = "linux")]
fn system_dialog_possible() -> bool {
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        || std::env::var_os("XDG_RUNTIME_DIR")
            .is_some_and(|d| std::path::Path::new(&d).join("bus").exists());
    let zenity = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join("zenity").is_file()));
    bus || zenity
}

/// Windows and macOS always have their own dialogs.
#[cfg(not(target_os = "linux"))]
fn system_dialog_possible() -> bool {
    true
}

/// The field where the planner types a path when the system shows no
/// dialog.
#[derive(Clone, Debug, PartialEq)]
pub struct PathPrompt {
    /// What the path is for.
    pub purpose: FilePurpose,
    /// The path as typed.
    pub text: String,
    /// A problem with what was typed, shown under the field.
    pub problem: Option<String>,
}

/// What the planner did in the path field this frame.
pub enum PromptAnswer {
    /// Still typing.
    Open,
    /// Gave up.
    Cancel,
    /// Use this path.
    Use(PathBuf),
}

impl PathPrompt {
    /// A prompt for `request`, proposing the folder it would start in and
    /// the name it would propose.
    pub fn new(purpose: FilePurpose, request: &Request) -> PathPrompt {
        let dir = request
            .directory
            .clone()
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        let text = match &request.file_name {
            Some(name) => dir.join(name),
            None => dir,
        };
        PathPrompt {
            purpose,
            text: text.display().to_string(),
            problem: None,
        }
    }

    /// Draws the prompt as a modal dialog.
    pub fn ui(&mut self, ctx: &egui::Context, lang: Lang) -> PromptAnswer {
        let title = self.purpose.title(lang);
        let modal = egui::Modal::new(egui::Id::unique("path_prompt")).show(ctx, |ui| {
            ui.set_max_width(fit_width(ctx, 620.0));
            ui.heading(title);
            ui.label(S::NoFileDialog.get(lang));
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.text)
                    .desired_width(f32::INFINITY)
                    .hint_text(S::PathHint.get(lang)),
            );
            // Read Enter before giving the field the focus back: asking for
            // focus in the frame Enter took it away undoes "lost focus".
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if !entered && !field.has_focus() && ui.memory(|m| m.focused().is_none()) {
                field.request_focus();
            }
            if let Some(p) = &self.problem {
                ui.colored_label(ui.visuals().error_fg_color, p);
            }
            ui.horizontal(|ui| {
                let ok = ui.button(S::UsePath.get(lang)).clicked() || entered;
                let cancel = ui.button(S::Cancel.get(lang)).clicked();
                (ok, cancel)
            })
            .inner
        });
        let (ok, cancel) = modal.inner;
        if cancel || modal.should_close() {
            return PromptAnswer::Cancel;
        }
        if ok {
            match self.check(lang) {
                Ok(p) => return PromptAnswer::Use(p),
                Err(problem) => self.problem = Some(problem),
            }
        }
        PromptAnswer::Open
    }

    /// The typed path when it can serve its purpose: a file to read must
    /// exist; a file to write needs an existing folder, and gets the
    /// purpose's extension when it has none.
    pub fn check(&self, lang: Lang) -> Result<PathBuf, String> {
        let typed = self.text.trim();
        if typed.is_empty() {
            return Err(S::PathEmpty.get(lang).into());
        }
        let mut path = PathBuf::from(typed);
        if !self.purpose.saves() {
            return if path.is_file() {
                Ok(path)
            } else {
                Err(format!("{}{}", S::PathNoFile.get(lang), path.display()))
            };
        }
        if path.extension().is_none()
            && let Some((_, exts)) = self.purpose.filters(lang).first()
            && let Some(ext) = exts.first()
        {
            path.set_extension(ext);
        }
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), PathBuf::from);
        if path.is_dir() {
            return Err(format!("{}{}", S::PathIsFolder.get(lang), path.display()));
        }
        if !dir.is_dir() {
            return Err(format!("{}{}", S::PathNoFolder.get(lang), dir.display()));
        }
        Ok(path)
    }
}

/// A dialog width that fits the window, at most `preferred`.
pub fn fit_width(ctx: &egui::Context, preferred: f32) -> f32 {
    preferred.min(ctx.content_rect().width() - 48.0).max(200.0)
}
