//! Inputs: loading the planner's files into a workspace, and listing what
//! was wrong in them (rejected rows, bad cells, bad lines) as it is found.

use std::io::Write;
use std::path::Path;

use crate::i18n::Lang;
use crate::inventory::{ImportReport, Severity};
use crate::workspace::{Inputs, Workspace};

use super::error::CliError;

/// What an input file is, for messages.
#[derive(Clone, Copy, Debug)]
pub enum Role {
    /// The inventory (or project).
    Inventory,
    /// The `--plan` file.
    Plan,
    /// The `--rules` file.
    Rules,
    /// The `--params` file.
    Params,
    /// The `--schedule` file.
    Schedule,
    /// A project.
    Project,
    /// The `--import` file (a progress sheet).
    Progress,
    /// The `--template` file.
    Template,
    /// The `--map` file (a column mapping).
    Map,
}

impl Role {
    /// Its name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Role::Inventory => lang.pick("清单", "inventory"),
            Role::Plan => lang.pick("--plan 文件", "--plan file"),
            Role::Rules => lang.pick("--rules 文件", "--rules file"),
            Role::Params => lang.pick("--params 文件", "--params file"),
            Role::Schedule => lang.pick("--schedule 文件", "--schedule file"),
            Role::Project => lang.pick("项目", "project"),
            Role::Progress => lang.pick("--import 文件", "--import file"),
            Role::Template => lang.pick("--template 文件", "--template file"),
            Role::Map => lang.pick("--map 文件", "--map file"),
        }
    }
}

/// The files of `inputs`, with what each is.
pub fn input_files(inputs: &Inputs) -> Vec<(Role, &Path)> {
    let optional = [
        (Role::Plan, &inputs.plan),
        (Role::Rules, &inputs.rules),
        (Role::Params, &inputs.params),
    ];
    let mut v = vec![(Role::Inventory, inputs.inventory.as_path())];
    v.extend(
        optional
            .into_iter()
            .filter_map(|(role, p)| Some((role, p.as_deref()?))),
    );
    v
}

/// Loads the workspace, listing on `err` the problems found in the plan,
/// rules and parameters files and the inventory's rejected rows and bad
/// cells (see [`report_import`]).
pub fn load(inputs: &Inputs, lang: Lang, err: &mut dyn Write) -> Result<Workspace, CliError> {
    let ws = Workspace::load(inputs)?;
    report_loaded(&ws, lang, err);
    Ok(ws)
}

/// Lists on `err` what loading `ws` found: the problems in the plan,
/// rules and parameters files (a project's as saved, and its decisions
/// that no longer fit), then the inventory's rejected rows and bad cells.
pub fn report_loaded(ws: &Workspace, lang: Lang, err: &mut dyn Write) {
    for issue in &ws.file_issues {
        let _ = writeln!(err, "{}", issue.render(lang));
    }
    report_import(&ws.imported.report, lang, err);
}

/// Rejected rows and bad cells listed at most, before a count of the rest.
const ISSUES_SHOWN: usize = 20;

/// Lists the rows that were not imported and the bad cells (as `validate`
/// does, up to [`ISSUES_SHOWN`]) with a count, so that no command leaves
/// them out without a word. See [`findings`].
pub fn report_import(r: &ImportReport, lang: Lang, err: &mut dyn Write) {
    if r.is_clean() {
        return;
    }
    let bad = r
        .issues
        .iter()
        .filter(|i| matches!(i.severity, Severity::Rejected | Severity::Error));
    let mut shown = 0;
    for issue in bad {
        if shown < ISSUES_SHOWN {
            let _ = writeln!(err, "{}", r.render_issue(issue, lang));
        }
        shown += 1;
    }
    if shown > ISSUES_SHOWN {
        let more = shown - ISSUES_SHOWN;
        let _ = writeln!(
            err,
            "{}",
            match lang {
                Lang::Zh => format!("……另有 {more} 个问题"),
                Lang::En => format!("… and {more} more"),
            }
        );
    }
    let _ = writeln!(
        err,
        "{}",
        match lang {
            Lang::Zh => format!(
                "{}：{} 行未导入（不计入结果），{} 个错误单元格按空值处理；sitefold validate 可列出全部问题",
                r.source,
                r.rejected(),
                r.errors()
            ),
            Lang::En => format!(
                "{}: {} row(s) not imported (left out of the results), {} bad cell(s) read as empty; sitefold validate lists every issue",
                r.source,
                r.rejected(),
                r.errors()
            ),
        }
    );
}

/// What a command that read `report` ends with once it did its work:
/// [`CliError::Findings`] (exit 1) when rows were rejected or cells were
/// bad, as `validate` says.
pub fn findings(report: &ImportReport) -> Result<(), CliError> {
    if report.is_clean() {
        Ok(())
    } else {
        Err(CliError::Findings)
    }
}
