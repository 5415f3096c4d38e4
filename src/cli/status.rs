//! `status`: the closure progress of a project. A progress sheet or one
//! change typed by hand is checked line by line against the plan
//! (every line recorded or listed on standard error with its line, column
//! and why), recorded with its audit entries by the same functions as the
//! app's, and saved back into the project; the progress is reported by
//! level and prefecture, as text, JSON or CSV.
//!
//! What goes where: the lines reported on standard error; the summary,
//! what was saved, and the text report on standard output (with
//! `--json`, only the JSON: the rest goes to standard error). Exit 1
//! when a line was rejected (the others are recorded and saved) or the
//! sheet lacks a required column (nothing recorded), 2 when the project
//! or the sheet cannot be read or the project cannot be saved.

use std::io::Write;
use std::path::Path;

use crate::execution::{Date, StatusFileError, default_person, one_change};
use crate::i18n::Lang;
use crate::inventory::{TableOptions, excerpt};
use crate::project::{Project, open_project, save_project};
use crate::workspace::{FileErrorKind, LoadError, Workspace};

use super::args::StatusArgs;
use super::error::CliError;
use super::inputs::Role;
use super::output::{Format, output_format, write_quietly, wrote};

/// What `status --out` writes.
const STATUS_FORMATS: &[Format] = &[Format::Csv, Format::Json];
/// What `status --json --out` writes.
const STATUS_JSON_FORMATS: &[Format] = &[Format::Json];

/// What the project was opened with and is saved back with.
struct Opened {
    ws: Workspace,
    scenarios: Vec<crate::project::Scenario>,
    created: String,
    lang: Lang,
}

fn open(path: &Path) -> Result<Opened, CliError> {
    let mut project = open_project(path).map_err(LoadError::from)?;
    let scenarios = std::mem::take(&mut project.scenarios);
    let created = project.created.clone();
    let lang = project.lang;
    Ok(Opened {
        ws: project.into_workspace(),
        scenarios,
        created,
        lang,
    })
}

/// Saves the workspace back into the project it came from, keeping its
/// scenarios, creation time and language (as the app saves a document).
fn save(opened: Opened, path: &Path) -> Result<(), CliError> {
    let mut project = Project::from_workspace(&opened.ws, opened.lang);
    project.scenarios = opened.scenarios;
    project.created = opened.created;
    project.path = Some(path.to_path_buf());
    save_project(path, &project).map_err(CliError::SaveProject)
}

fn sheet_error(e: StatusFileError) -> CliError {
    CliError::Load(match e {
        StatusFileError::Read(e) => LoadError::Import(e),
        StatusFileError::Content(issue) => LoadError::File {
            kind: FileErrorKind::Content,
            issue,
        },
    })
}

/// A line of what was done: on standard output, or on standard error
/// with `--json` (standard output then holds only the JSON).
fn say(json: bool, out: &mut dyn Write, err: &mut dyn Write, line: &str) -> Result<(), CliError> {
    if json {
        let _ = writeln!(err, "{line}");
        Ok(())
    } else {
        writeln!(out, "{line}").map_err(CliError::Stdout)
    }
}

/// `status`: see the module documentation.
pub fn status(
    a: &StatusArgs,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let format = match &a.out {
        Some(path) => {
            let mut inputs = vec![(Role::Project, a.project.as_path())];
            if let Some(file) = &a.import {
                inputs.push((Role::Progress, file.as_path()));
            }
            let (command, formats) = if a.json {
                ("status --json", STATUS_JSON_FORMATS)
            } else {
                ("status", STATUS_FORMATS)
            };
            Some(output_format(path, command, formats, &inputs)?)
        }
        None => None,
    };
    let today = a.today.unwrap_or_else(Date::today);
    let person = a.person.clone().unwrap_or_else(default_person);
    let mut opened = open(&a.project)?;
    let mut rejected = false;
    let mut recorded = 0;
    if let Some(file) = &a.workflow {
        let text = crate::workspace::read_text(file)?;
        let workflow = crate::execution::Workflow::from_toml(&text).map_err(|why| {
            let why = excerpt(&why);
            CliError::Load(LoadError::File {
                kind: FileErrorKind::Content,
                issue: crate::diag::FileIssue::error(
                    &file.display().to_string(),
                    0,
                    crate::i18n::Text::new(
                        format!("不是可用的状态列表文件：{why}"),
                        format!("not a usable statuses file: {why}"),
                    ),
                ),
            })
        })?;
        let ex = &mut opened.ws.execution;
        if ex.workflow != workflow {
            ex.audit.push(crate::execution::audit::workflow_change(
                &person,
                &ex.workflow,
                &workflow,
            ));
            ex.workflow = workflow;
            recorded += 1;
            say(
                a.json,
                out,
                err,
                lang.pick("已更新状态列表", "the statuses are replaced"),
            )?;
        }
    }
    if let Some(file) = &a.import {
        let opts = TableOptions {
            sheet: a.sheet.clone(),
            ..Default::default()
        };
        let sheet = opened
            .ws
            .read_status_file(file, &opts, &person, today)
            .map_err(sheet_error)?;
        for issue in &sheet.issues {
            let _ = writeln!(err, "{}", issue.render(lang));
        }
        say(a.json, out, err, &sheet.summary(lang))?;
        recorded = opened.ws.apply_status_sheet(&sheet, &person, lang);
        rejected = sheet.rejected > 0;
    } else if let Some([site, status]) = a.set.as_deref() {
        let resolved = opened.ws.resolve();
        let ctx = opened.ws.sheet_context(&resolved, &person, today);
        let note = a.note.as_deref().unwrap_or_default();
        let sheet = one_change("--set", site, status, a.date.as_deref(), note, &ctx);
        for issue in &sheet.issues {
            let _ = writeln!(err, "{}", issue.render(lang));
        }
        for c in &sheet.changes {
            let id = excerpt(&c.site_id);
            let name = opened.ws.execution.workflow.label(&c.status, lang);
            say(
                a.json,
                out,
                err,
                &match lang {
                    Lang::Zh => format!("已记录：网站“{id}”于 {} 变为“{name}”", c.date),
                    Lang::En => format!("recorded: site \"{id}\" became \"{name}\" on {}", c.date),
                },
            )?;
        }
        opened.ws.execution.record_changes(&sheet.changes);
        recorded = sheet.changes.len();
        rejected = sheet.rejected > 0;
    }
    let records = a.import.is_some() || a.set.is_some() || a.workflow.is_some();
    if records && recorded == 0 {
        say(
            a.json,
            out,
            err,
            lang.pick(
                "没有记录任何状态变更，项目未改动",
                "no status change recorded; the project is unchanged",
            ),
        )?;
    }
    let report = a.reports().then(|| opened.ws.progress_report(today, lang));
    if recorded > 0 {
        if a.dry_run {
            say(
                a.json,
                out,
                err,
                lang.pick(
                    "试运行：项目未保存（去掉 --dry-run 即记录）",
                    "dry run: the project was not saved (run again without --dry-run to record)",
                ),
            )?;
        } else {
            save(opened, &a.project)?;
            say(
                a.json,
                out,
                err,
                &format!("{} {}", lang.pick("已保存", "saved"), a.project.display()),
            )?;
        }
    }
    if let Some(report) = report {
        if records && !a.json {
            writeln!(out).map_err(CliError::Stdout)?;
        }
        let text = if a.json {
            report.to_json()
        } else {
            report.to_text(lang)
        };
        writeln!(out, "{}", text.trim_end()).map_err(CliError::Stdout)?;
        if let (Some(path), Some(format)) = (&a.out, format) {
            write_quietly(path, |f| match format {
                Format::Json => writeln!(f, "{}", report.to_json()),
                _ => report.write_csv(f, lang),
            })?;
            if !a.json {
                wrote(path, lang, out);
            }
        }
    }
    if rejected {
        Err(CliError::Findings)
    } else {
        Ok(())
    }
}
