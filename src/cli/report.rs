//! `report`: the plan's report as a Word document, written by the same
//! export the app's File menu runs.

use std::io::Write;
use std::path::Path;

use crate::export::FileExport;
use crate::i18n::Lang;

use super::args::PlanArgs;
use super::commands::write_export;
use super::error::CliError;
use super::inputs::{findings, input_files, load};
use super::output::{Format, output_format, wrote};

/// What `report --out` writes.
const REPORT_FORMATS: &[Format] = &[Format::Docx];

/// `report --out FILE.docx`.
pub fn report(
    args: &PlanArgs,
    schedule: Option<&Path>,
    path: &Path,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let inputs = args.inputs();
    let mut files = input_files(&inputs);
    if let Some(s) = schedule {
        files.push((super::inputs::Role::Schedule, s));
    }
    output_format(path, "report", REPORT_FORMATS, &files)?;
    let mut ws = load(&inputs, lang, err)?;
    if let Some(file) = schedule {
        let before = ws.file_issues.len();
        ws.read_schedule_file(file)?;
        for issue in &ws.file_issues[before..] {
            let _ = writeln!(err, "{}", issue.render(lang));
        }
    }
    write_export(FileExport::Report, &ws, path, lang)?;
    wrote(path, lang, out);
    findings(&ws.imported.report)
}
