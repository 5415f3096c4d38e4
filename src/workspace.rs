//! A planner's working set: an inventory with its manual decisions, rules
//! and parameters, loaded from files. The command line and the app both
//! build one and ask it for the same figures.

use std::path::{Path, PathBuf};

use crate::diag::FileIssue;
use crate::i18n::{Lang, Text};
use crate::inventory::{ImportError, ImportOptions, Imported, import_path};
use crate::outcome::{Evaluator, Model, Outcome, Summary};
use crate::plan::{
    Decision, ManualPlan, Params, Resolved, RuleSet, parse_plan_file, resolve_layers,
};

/// Everything needed to compute a plan's outcome.
#[derive(Clone, Debug)]
pub struct Workspace {
    /// The imported inventory and its report. Shared, so a copy of the
    /// workspace for a background export is cheap; an edit of cells
    /// replaces it with a new one (see `ui::document`), never changes it.
    pub imported: std::sync::Arc<Imported>,
    /// Manual decision per site.
    pub manual: Vec<Option<Decision>>,
    /// Decisions of an optimizer plan the planner applied, per site (under
    /// the manual ones, over the rules).
    pub optimized: Vec<Option<Decision>>,
    /// The planner's note on a site's decision (why it merges), by site.
    pub notes: std::collections::BTreeMap<usize, String>,
    /// Rules, first match deciding.
    pub rules: RuleSet,
    /// Parameters.
    pub params: Params,
    /// Problems in the plan, rules and parameters files.
    pub file_issues: Vec<FileIssue>,
    /// Plan-file lines ignored.
    pub plan_errors: usize,
    /// The closure quarter of each merged site, when one is set (by
    /// index, like `manual`; MODEL.md §8). Quarters of kept sites mean
    /// nothing and are kept only so that a decision changed back finds
    /// its quarter again.
    pub schedule: Vec<Option<crate::timeline::Quarter>>,
    /// The timeline's start, horizon and the scheduler's limits (read
    /// from the parameters file with the other parameters).
    pub timeline: crate::plan::TimelineParams,
    /// Closure statuses, the audit trail, and the redirect and notice
    /// settings (issue #15).
    pub execution: crate::execution::Execution,
    /// Inspection rounds loaded (MODEL.md §9): while there are any,
    /// `imported` holds each site's latest round's result (its own fields
    /// kept in [`crate::rounds::Rounds::base`]).
    pub rounds: crate::rounds::Rounds,
    /// The files an inventory assembled from several was read from, each
    /// with its own import report; each site's
    /// [`Site::source`](crate::inventory::Site::source) is an index into
    /// it. Empty for an inventory read from one file (its report is
    /// `imported.report`).
    pub sources: Vec<crate::inventory::SourceFile>,
}

/// Why the files could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The inventory could not be imported.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// A plan, rules or parameters file could not be used at all.
    #[error("{}", .issue.render(Lang::En))]
    File {
        /// What kept it from being used.
        kind: FileErrorKind,
        /// Where, and the message in both languages.
        issue: FileIssue,
    },
    /// A project file could not be opened.
    #[error(transparent)]
    Project(#[from] crate::project::ProjectError),
}

/// What kept a plan, rules or parameters file from being used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileErrorKind {
    /// It could not be read (not there, not allowed, a folder).
    Unreadable,
    /// It is a spreadsheet where text was expected.
    Spreadsheet,
    /// What it holds cannot be used (a plan without its columns).
    Content,
}

impl LoadError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            LoadError::Import(e) => e.message(lang),
            LoadError::File { issue, .. } => issue.render(lang),
            LoadError::Project(e) => e.message(lang),
        }
    }

    /// True when the file could not be read (exit code 2) rather than
    /// holding bad content (exit code 1).
    pub fn is_unreadable(&self) -> bool {
        match self {
            LoadError::Import(ImportError::Io { .. } | ImportError::TooLarge { .. }) => true,
            LoadError::File { kind, .. } => *kind == FileErrorKind::Unreadable,
            LoadError::Project(e) => e.is_unreadable(),
            _ => false,
        }
    }
}

/// Reads a small text file (plan, rules, parameters) with a located error.
pub fn read_text(path: &Path) -> Result<String, LoadError> {
    let bytes = read_planner_file(path)?;
    let decoded = crate::inventory::decode(&bytes, &path.display().to_string())?;
    Ok(decoded.text.into_owned())
}

/// The bytes of a plan, rules or parameters file; a file that cannot be
/// read, or a workbook given for one of them, is refused.
fn read_planner_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    let bytes = std::fs::read(path).map_err(|e| LoadError::File {
        kind: FileErrorKind::Unreadable,
        issue: FileIssue::error(
            &path.display().to_string(),
            0,
            Text::new(
                format!("无法读取文件：{e}"),
                format!("cannot read the file: {e}"),
            ),
        ),
    })?;
    not_a_spreadsheet(&bytes, path)?;
    Ok(bytes)
}

/// Plans are CSV and rules and parameters TOML: a workbook given for one
/// of them is refused with a message that says so.
fn not_a_spreadsheet(bytes: &[u8], path: &Path) -> Result<(), LoadError> {
    use crate::inventory::{Sniffed, sniff};
    match sniff(bytes) {
        Sniffed::Other => Ok(()),
        Sniffed::Zip | Sniffed::Ole => Err(LoadError::File {
            kind: FileErrorKind::Spreadsheet,
            issue: FileIssue::error(
                &path.display().to_string(),
                0,
                Text::new(
                    "这是电子表格文件：方案文件应为 CSV 文本，规则和参数文件应为 TOML 文本（可在 Excel 中另存为 CSV）",
                    "this is a spreadsheet: plan files are CSV text, rules and parameters files TOML text (Excel can save a sheet as CSV)",
                ),
            ),
        }),
    }
}

/// The imported inventory of an inventory file or of a project file (its
/// snapshot and import report).
pub fn load_imported(path: &Path, opts: &ImportOptions) -> Result<Imported, LoadError> {
    load_checked(path, opts).map(|(imported, _)| imported)
}

/// [`load_imported`], with what checking a project's saved sites and
/// parameters found (nothing for an inventory file, whose findings are in
/// its import report).
pub fn load_checked(
    path: &Path,
    opts: &ImportOptions,
) -> Result<(Imported, Vec<FileIssue>), LoadError> {
    if crate::project::is_project_path(path) {
        let ws = crate::project::open_project(path)?.into_workspace();
        let issues = ws.file_issues;
        Ok((std::sync::Arc::unwrap_or_clone(ws.imported), issues))
    } else {
        Ok((import_path(path, opts)?, Vec::new()))
    }
}

/// The files of a planning run.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// The inventory (CSV or spreadsheet).
    pub inventory: PathBuf,
    /// Manual decisions (plan CSV).
    pub plan: Option<PathBuf>,
    /// Rules (TOML).
    pub rules: Option<PathBuf>,
    /// Parameters (TOML).
    pub params: Option<PathBuf>,
    /// Import choices.
    pub import: ImportOptions,
    /// A mapping file (TOML, as `sitefold map` writes it): which column
    /// each header holds and what the file's values mean. It replaces
    /// `import`'s mapping and value maps.
    pub map: Option<PathBuf>,
    /// Inspection round files (MODEL.md §9), added after the parameters.
    pub rounds: Vec<PathBuf>,
}

impl Inputs {
    /// The import choices, with the mapping file read when one is given.
    pub fn import_options(&self) -> Result<ImportOptions, LoadError> {
        let mut opts = self.import.clone();
        if let Some(path) = &self.map {
            let m = read_mapping(path)?;
            opts.mapping = Some(m.columns);
            opts.values = m.values;
        }
        Ok(opts)
    }
}

/// Reads a mapping file (TOML); a file that is not one is refused with
/// its line and column.
pub fn read_mapping(path: &Path) -> Result<crate::inventory::Mapping, LoadError> {
    let text = read_text(path)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    crate::inventory::Mapping::from_toml(text).map_err(|e| {
        let (line, column) = e.span().map_or((0, 0), |s| {
            let before = &text[..s.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            (line as u64, col)
        });
        let message = crate::inventory::excerpt_quoted(e.message(), 300);
        let mut issue = FileIssue::error(
            &path.display().to_string(),
            line,
            Text::new(
                format!("不是可用的映射文件（应为 `sitefold map` 写出的 TOML）：{message}"),
                format!("not a mapping file (TOML as `sitefold map` writes it): {message}"),
            ),
        );
        issue.column = (column > 0).then_some(column);
        LoadError::File {
            kind: FileErrorKind::Content,
            issue,
        }
    })
}

impl Workspace {
    /// A workspace over an imported inventory, with no decisions, no rules
    /// and default parameters.
    pub fn new(imported: Imported) -> Workspace {
        let n = imported.inventory.len();
        // Filling the three lists touches every page of them first: for a
        // large inventory, two of them are filled on another core.
        let (manual, (optimized, schedule)) = if crate::par::threads_for(n) > 1 {
            std::thread::scope(|scope| {
                let others = scope.spawn(|| (vec![None; n], vec![None; n]));
                let manual = vec![None; n];
                let others = others
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p));
                (manual, others)
            })
        } else {
            (vec![None; n], (vec![None; n], vec![None; n]))
        };
        Workspace {
            imported: std::sync::Arc::new(imported),
            manual,
            optimized,
            notes: Default::default(),
            rules: RuleSet::default(),
            params: Params::default(),
            file_issues: Vec::new(),
            plan_errors: 0,
            schedule,
            timeline: Default::default(),
            execution: Default::default(),
            rounds: Default::default(),
            sources: Vec::new(),
        }
    }

    /// A workspace over an inventory assembled from several files, with
    /// the list of its files.
    pub fn assembled(assembled: crate::inventory::Assembled) -> Workspace {
        let mut ws = Workspace::new(assembled.imported);
        ws.sources = assembled.sources;
        ws
    }

    /// The inventory with its sites' own inspection fields (not the
    /// rounds' results standing in for them).
    pub fn own_imported(&self) -> Imported {
        match self.rounds.restore(&self.imported) {
            Some(own) => own,
            None => (*self.imported).clone(),
        }
    }

    /// The inventory with more files added after its own (newly read):
    /// the sites found in two of them, to resolve with
    /// [`crate::inventory::Gathered::finish`]. The sites already there
    /// keep their places; the added files' others come after them.
    pub fn gather_files(
        &self,
        files: Vec<Imported>,
    ) -> Result<crate::inventory::Gathered, crate::inventory::AssembleError> {
        crate::inventory::Gathered::adding(self.own_imported(), self.sources.clone(), files)
    }

    /// Takes an inventory (its sites' own inspection fields) and its list
    /// of files, as [`Workspace::gather_files`] made it or as it was
    /// before: the sites it adds get no decisions, quarters or notes (the
    /// ones past its end go), and the rounds stand in again.
    pub fn set_inventory(
        &mut self,
        imported: std::sync::Arc<Imported>,
        sources: Vec<crate::inventory::SourceFile>,
    ) {
        let n = imported.inventory.len();
        self.imported = imported;
        self.sources = sources;
        self.manual.resize(n, None);
        self.optimized.resize(n, None);
        self.schedule.resize(n, None);
        self.notes.retain(|&i, _| i < n);
        self.rounds.base.clear();
        self.apply_rounds();
    }

    /// Adds inspection rounds (read from round files) and works every
    /// site's inspection fields out again from the latest round it is in.
    pub fn add_rounds(&mut self, rounds: Vec<crate::rounds::Round>) {
        self.rounds.add(rounds);
        self.apply_rounds();
    }

    /// Replaces the inspection rounds (none: the inventory's own fields
    /// come back).
    pub fn set_rounds(&mut self, rounds: crate::rounds::Rounds) {
        // The sites' own fields, kept by the rounds standing in for them
        // now, go with the inventory to the new rounds.
        let base = std::mem::take(&mut self.rounds.base);
        self.rounds = rounds;
        self.rounds.base = base;
        self.apply_rounds();
    }

    /// Works the sites' inspection fields and round records out again
    /// from the rounds (after the rounds or the pass threshold changed:
    /// a round giving only a score passes by the threshold).
    pub fn apply_rounds(&mut self) {
        self.rounds
            .apply(&mut self.imported, self.params.pass_threshold);
    }

    /// Reads round files and adds their rounds; the lines not used are
    /// added to `file_issues`. Returns how many lines were not used.
    pub fn read_round_files(&mut self, paths: &[PathBuf]) -> Result<usize, LoadError> {
        let mut rejected = 0;
        let mut rounds = Vec::new();
        for p in paths {
            let file =
                crate::rounds::read_round_file(p, None, &self.imported.inventory).map_err(|e| {
                    match e {
                        crate::rounds::RoundFileError::Read(e) => LoadError::Import(e),
                        crate::rounds::RoundFileError::Content(issue) => LoadError::File {
                            kind: FileErrorKind::Content,
                            issue,
                        },
                    }
                })?;
            rejected += file.rejected;
            self.file_issues.extend(file.issues);
            rounds.extend(file.rounds);
        }
        self.add_rounds(rounds);
        Ok(rejected)
    }

    /// Loads the inventory, then the parameters, rules and plan files.
    pub fn load(inputs: &Inputs) -> Result<Workspace, LoadError> {
        // A project file brings its decisions, rules and parameters; the
        // files given alongside it replace them.
        let mut ws = if crate::project::is_project_path(&inputs.inventory) {
            crate::project::open_project(&inputs.inventory)?.into_workspace()
        } else {
            Workspace::new(import_path(&inputs.inventory, &inputs.import_options()?)?)
        };
        if let Some(p) = &inputs.params {
            let text = read_text(p)?;
            let (params, issues) = Params::parse(&text, &p.display().to_string());
            ws.params = params;
            ws.file_issues.extend(issues);
            let (timeline, issues) =
                crate::plan::TimelineParams::parse(&text, &p.display().to_string());
            ws.timeline = timeline;
            ws.file_issues.extend(issues);
        }
        if !inputs.rounds.is_empty() {
            ws.read_round_files(&inputs.rounds)?;
        } else if !ws.rounds.is_empty() {
            // A project's rounds, under the parameters given alongside it.
            ws.apply_rounds();
        }
        if let Some(p) = &inputs.rules {
            let text = read_text(p)?;
            let (rules, issues) = RuleSet::parse(&text, &p.display().to_string());
            ws.rules = rules;
            ws.file_issues.extend(issues);
        }
        if let Some(p) = &inputs.plan {
            let bytes = read_planner_file(p)?;
            let plan = parse_plan_file(&bytes, &p.display().to_string(), &ws.imported.inventory)
                .map_err(|issue| LoadError::File {
                    kind: FileErrorKind::Content,
                    issue,
                })?;
            ws.apply_manual_plan(plan);
        }
        Ok(ws)
    }

    /// Reads a schedule file (closure quarters) against the current plan,
    /// replacing the schedule. Its bad lines are added to `file_issues`;
    /// returns how many lines were ignored.
    pub fn read_schedule_file(&mut self, path: &Path) -> Result<usize, LoadError> {
        let table = crate::inventory::read_table(path, &Default::default())?;
        let resolved = self.resolve();
        let file = crate::timeline::parse_schedule_table(
            &table,
            &self.imported.inventory,
            &resolved.decisions,
        )
        .map_err(|issue| LoadError::File {
            kind: FileErrorKind::Content,
            issue,
        })?;
        self.schedule = file.quarters;
        self.file_issues.extend(file.issues);
        Ok(file.errors)
    }

    /// Reads a progress sheet (closure statuses sent back by a
    /// prefecture) against the current plan and the statuses already
    /// recorded; `person` records the lines that name nobody, and dates
    /// after `today` (beyond tomorrow) are refused. Nothing is recorded
    /// yet: see [`Workspace::apply_status_sheet`].
    pub fn read_status_file(
        &self,
        path: &Path,
        opts: &crate::inventory::TableOptions,
        person: &str,
        today: crate::execution::Date,
    ) -> Result<crate::execution::StatusSheet, crate::execution::StatusFileError> {
        let resolved = self.resolve();
        let ctx = self.sheet_context(&resolved, person, today);
        crate::execution::read_status_file(path, opts, &ctx)
    }

    /// What a progress sheet or a status typed by hand is checked
    /// against: the inventory, the resolved decisions, the workflow and
    /// the statuses recorded.
    pub fn sheet_context<'a>(
        &'a self,
        resolved: &'a Resolved,
        person: &'a str,
        today: crate::execution::Date,
    ) -> crate::execution::SheetContext<'a> {
        crate::execution::SheetContext {
            inv: &self.imported.inventory,
            decisions: &resolved.decisions,
            workflow: &self.execution.workflow,
            recorded: &self.execution.statuses,
            person,
            today,
        }
    }

    /// Records a progress sheet's changes, each with its audit entry, and
    /// the import itself by `person` (see
    /// [`crate::execution::Execution::apply_status_sheet`]); the number of
    /// changes recorded.
    pub fn apply_status_sheet(
        &mut self,
        sheet: &crate::execution::StatusSheet,
        person: &str,
        lang: Lang,
    ) -> usize {
        self.execution.apply_status_sheet(sheet, person, lang)
    }

    /// The progress of the current plan's closures on `today`: the
    /// closure quarters set (sites without one are never overdue) and
    /// the statuses recorded.
    pub fn progress_report(
        &self,
        today: crate::execution::Date,
        lang: Lang,
    ) -> crate::execution::ProgressReport {
        let resolved = self.resolve();
        crate::execution::progress_report(
            &self.imported.inventory,
            &resolved.decisions,
            &self.schedule,
            &self.execution,
            today,
            lang,
        )
    }

    /// The schedule and its cash flow under the current plan and
    /// parameters; with `fill`, the scheduler first gives a quarter to the
    /// merged sites that have none (keeping the ones set).
    pub fn timeline(&self, fill: bool) -> crate::timeline::Timeline {
        let model = self.model();
        let (resolved, outcome) = self.evaluate_with(&model);
        self.timeline_of(&model, &resolved, &outcome, fill)
    }

    /// [`Workspace::timeline`] of a plan already evaluated.
    pub fn timeline_of(
        &self,
        model: &Model,
        resolved: &Resolved,
        outcome: &Outcome,
        fill: bool,
    ) -> crate::timeline::Timeline {
        let plan = crate::timeline::Evaluated {
            inv: &self.imported.inventory,
            model,
            decisions: &resolved.decisions,
            serving: &outcome.serving,
        };
        crate::timeline::plan_timeline(&plan, &self.schedule, &self.timeline, fill)
    }

    /// Takes the decisions of a plan file (replacing the manual ones).
    pub fn apply_manual_plan(&mut self, plan: ManualPlan) {
        self.manual = plan.decisions;
        self.plan_errors = plan.errors;
        self.file_issues.extend(plan.issues);
    }

    /// Every site's decision and its source.
    pub fn resolve(&self) -> Resolved {
        resolve_layers(
            &self.imported.inventory,
            &self.manual,
            &self.optimized,
            &self.rules,
            &self.params,
        )
    }

    /// The per-site figures for the current parameters.
    pub fn model(&self) -> Model {
        Model::new(&self.imported.inventory, &self.params)
    }

    /// The optimizer's layer of decisions for a plan it found (one
    /// decision per site), as the planner applies it: the planner's manual
    /// decisions stay theirs and top sites are kept, so those sites get
    /// none. No decisions when the plan is not of this inventory.
    pub fn optimizer_layer(&self, plan: &[Decision]) -> Vec<Option<Decision>> {
        let inv = &self.imported.inventory;
        if plan.len() != inv.len() {
            return vec![None; inv.len()];
        }
        (0..inv.len())
            .map(|i| {
                let free =
                    self.manual.get(i).is_none_or(Option::is_none) && inv.parent(i).is_some();
                free.then_some(plan[i])
            })
            .collect()
    }

    /// Resolves and evaluates the plan.
    pub fn evaluate(&self) -> (Resolved, Outcome) {
        self.evaluate_with(&self.model())
    }

    /// [`Workspace::evaluate`] with the model already built (callers that
    /// need the model too build it once).
    pub fn evaluate_with(&self, model: &Model) -> (Resolved, Outcome) {
        let resolved = self.resolve();
        let outcome =
            Evaluator::default().evaluate(&self.imported.inventory, model, &resolved.decisions);
        (resolved, outcome)
    }

    /// The summary of the model's contract.
    pub fn summary(&self) -> Summary {
        self.summary_of(false)
    }

    /// The summary with the figures by area (`summary --by-area`, the
    /// summary CSV).
    pub fn summary_by_area(&self) -> Summary {
        self.summary_of(true)
    }

    /// The summary, with the figures by area when `areas`. The plan is
    /// resolved packed (four bytes a site, no sources kept): a summary
    /// reads nothing else of it.
    fn summary_of(&self, areas: bool) -> Summary {
        let inv = &self.imported.inventory;
        let plan = crate::plan::resolve_packed(
            inv,
            &self.manual,
            &self.optimized,
            &self.rules,
            &self.params,
        );
        let plan_counts = (plan.manual, plan.by_rule);
        let model = self.model();
        let outcome = Evaluator::default().evaluate_packed(inv, &model, &plan.decisions);
        drop(plan);
        let areas = areas.then(|| crate::outcome::by_area(inv, &model, &outcome));
        drop(model);
        let summary = Summary::of_outcome(
            &self.imported.report,
            plan_counts.0,
            plan_counts.1,
            self.plan_errors,
            outcome,
        );
        match areas {
            Some(rows) => summary.with_areas(rows),
            None => summary,
        }
    }
}

/// What opening one file (an inventory or a project) gave.
#[derive(Debug)]
pub enum Opened {
    /// An inventory, imported with the mapping that was used (the one
    /// given, or one remembered for its headers).
    Inventory {
        /// The workspace of the inventory.
        ws: Box<Workspace>,
        /// The mapping used, if any.
        mapping: Option<crate::inventory::Mapping>,
    },
    /// A project file.
    Project(Box<crate::project::Project>),
    /// A workbook with several sheets and none chosen: the names.
    NeedsSheet(Vec<String>),
    /// Headers that do not name the required columns, with no mapping for
    /// them: the headers, to map.
    NeedsMapping(Vec<String>),
}

/// Opens one file as the app opens it: a project, or an inventory (asking
/// for a sheet when a workbook has several and none is chosen; using
/// `mapping`, else one `remembered` for its headers; asking for a mapping
/// when the required columns are missing and none is known).
pub fn open_file(
    path: &Path,
    mapping: Option<crate::inventory::Mapping>,
    sheet: Option<String>,
    remembered: &dyn Fn(&[String]) -> Option<crate::inventory::Mapping>,
) -> Result<Opened, LoadError> {
    use crate::inventory::Mapping;
    if sheet.is_none()
        && crate::inventory::is_spreadsheet_path(path)
        && let Ok(names) = crate::inventory::sheet_names_of(path)
        && names.len() > 1
    {
        return Ok(Opened::NeedsSheet(names));
    }
    if crate::project::is_project_path(path) {
        let project = crate::project::open_project(path)?;
        return Ok(Opened::Project(Box::new(project)));
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
    if let Some(m) = mapping {
        let ws = load(Some(&m))?;
        return Ok(Opened::Inventory {
            ws: Box::new(ws),
            mapping: Some(m),
        });
    }
    match load(None) {
        Err(LoadError::Import(ImportError::MissingColumns { found, .. })) => {
            match remembered(&found) {
                Some(m) => Ok(Opened::Inventory {
                    ws: Box::new(load(Some(&m))?),
                    mapping: None,
                }),
                None => Ok(Opened::NeedsMapping(found)),
            }
        }
        // Headers Sitefold knows, with a mapping remembered for them (its
        // value maps).
        Ok(ws) => match remembered(&ws.imported.header) {
            Some(m) => Ok(Opened::Inventory {
                ws: Box::new(load(Some(&m))?),
                mapping: None,
            }),
            None => Ok(Opened::Inventory {
                ws: Box::new(ws),
                mapping: None,
            }),
        },
        Err(e) => Err(e),
    }
}
