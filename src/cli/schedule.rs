//! `schedule`: closure quarters for the merged sites (those set by hand
//! kept, the rest from the scheduler) and the cash flow they make.

use std::io::Write;
use std::path::Path;

use crate::export::FileExport;
use crate::i18n::Lang;

use super::args::{PlanArgs, ScheduleArgs};
use super::error::CliError;
use super::inputs::{Role, findings, input_files, load};
use super::output::{Format, output_format, write_quietly, wrote};

/// What `schedule --out` writes.
const SCHEDULE_FORMATS: &[Format] = &[Format::Csv, Format::Xlsx, Format::Project];

/// `schedule`: the cash flow on `out` (a table, or JSON), the whole
/// schedule in `path` when given.
pub fn schedule(
    args: &PlanArgs,
    t: &ScheduleArgs,
    json: bool,
    path: Option<&Path>,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let inputs = args.inputs();
    let format = match path {
        Some(p) => {
            let mut files = input_files(&inputs);
            if let Some(s) = &t.schedule {
                files.push((Role::Schedule, s.as_path()));
            }
            Some(output_format(p, "schedule", SCHEDULE_FORMATS, &files)?)
        }
        None => None,
    };
    let mut ws = load(&inputs, lang, err)?;
    if let Some(file) = &t.schedule {
        let before = ws.file_issues.len();
        ws.read_schedule_file(file)?;
        for issue in &ws.file_issues[before..] {
            let _ = writeln!(err, "{}", issue.render(lang));
        }
    }
    t.apply(&mut ws.timeline);
    let model = ws.model();
    let (resolved, outcome) = ws.evaluate_with(&model);
    // The quarters set by hand may already break a limit: said, not changed.
    let given = ws.timeline_of(&model, &resolved, &outcome, false);
    let plan = crate::timeline::Evaluated {
        inv: &ws.imported.inventory,
        model: &model,
        decisions: &resolved.decisions,
        serving: &outcome.serving,
    };
    for breach in
        crate::timeline::breaches(&plan, &given.quarters, given.horizon, &given.limits, lang)
    {
        let _ = writeln!(
            err,
            "{}: {breach}",
            lang.pick(
                "警告：人工设定的季度超出限额",
                "warning: the quarters set by hand break a limit"
            )
        );
    }
    let timeline = ws.timeline_of(&model, &resolved, &outcome, true);
    // The quarters the scheduler gave, in the audit trail of a project
    // written with them.
    let person = crate::execution::default_person();
    let inv = &ws.imported.inventory;
    let placed: Vec<crate::execution::AuditEntry> = timeline
        .quarters
        .iter()
        .zip(&ws.schedule)
        .enumerate()
        .filter(|(_, (new, old))| new != old)
        .map(|(i, (new, old))| {
            let q =
                |q: &Option<crate::timeline::Quarter>| q.map(|q| q.to_string()).unwrap_or_default();
            crate::execution::AuditEntry::now(&person, crate::execution::AuditAction::Schedule)
                .site(&inv.site(i).id)
                .change(q(old), q(new))
                .reason("sitefold schedule")
        })
        .collect();
    ws.execution.audit.extend(placed);
    ws.schedule = timeline.quarters.clone();
    if let (Some(path), Some(format)) = (path, format) {
        match format {
            Format::Project => super::project::save(&ws, &args.inventory, path, lang)?,
            Format::Xlsx => super::commands::write_export(FileExport::PlanXlsx, &ws, path, lang)?,
            _ => write_quietly(path, |f| {
                crate::timeline::write_schedule_csv(
                    &ws.imported.inventory,
                    &resolved.decisions,
                    &timeline.quarters,
                    f,
                )
            })?,
        }
    }
    let text = if json {
        timeline.flow.to_json()
    } else {
        super::schedule_text::render_text(&timeline, &ws.imported.inventory, lang)
    };
    writeln!(out, "{}", text.trim_end()).map_err(CliError::Stdout)?;
    if let (Some(path), false) = (path, json) {
        wrote(path, lang, out);
    }
    findings(&ws.imported.report)
}
