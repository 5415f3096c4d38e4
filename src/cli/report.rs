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
    path: &Path,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let inputs = args.inputs();
    output_format(path, "report", REPORT_FORMATS, &input_files(&inputs))?;
    let ws = load(&inputs, lang, err)?;
    write_export(FileExport::Report, &ws, path, lang)?;
    wrote(path, lang, out);
    findings(&ws.imported.report)
}
