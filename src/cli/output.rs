//! Outputs: which format a file is written in (from its extension, the
//! one decision every writing command goes through), refusing an output
//! that is an input, and writing files whole or not at all.

use std::io::Write;
use std::path::Path;

use crate::i18n::Lang;

use super::error::CliError;
use super::inputs::Role;

/// A kind of file the commands write, known by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A CSV table (UTF-8 with BOM, CRLF), as Excel opens it.
    Csv,
    /// JSON text.
    Json,
    /// An Excel workbook.
    Xlsx,
    /// A PNG picture.
    Png,
    /// An SVG picture.
    Svg,
    /// A Sitefold project.
    Project,
    /// TOML text (a column mapping).
    Toml,
    /// A Word document (the report).
    Docx,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 8] = [
        Format::Csv,
        Format::Json,
        Format::Xlsx,
        Format::Png,
        Format::Svg,
        Format::Project,
        Format::Toml,
        Format::Docx,
    ];

    /// The extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Png => "png",
            Format::Svg => "svg",
            Format::Project => crate::project::EXTENSION,
            Format::Toml => "toml",
            Format::Docx => "docx",
        }
    }

    /// What it is, for messages.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Format::Csv => lang.pick("CSV 表格", "CSV table"),
            Format::Json => "JSON",
            Format::Xlsx => lang.pick("Excel 工作簿", "Excel workbook"),
            Format::Png => lang.pick("PNG 图片", "PNG picture"),
            Format::Svg => lang.pick("SVG 图片", "SVG picture"),
            Format::Toml => lang.pick("TOML 映射文件", "TOML mapping"),
            Format::Project => lang.pick("Sitefold 项目", "Sitefold project"),
            Format::Docx => lang.pick("Word 文档", "Word document"),
        }
    }

    /// The format `path`'s extension names (in any case), if any.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        Format::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(ext))
    }
}

/// The output of a command that reads `inputs` and writes one of
/// `formats`: refused (nothing written, exit 2) when it is one of the
/// inputs, however spelled (links, `..`, a hard link), or when its
/// extension names none of `formats`; otherwise the format to write.
pub fn output_format(
    path: &Path,
    command: &'static str,
    formats: &'static [Format],
    inputs: &[(Role, &Path)],
) -> Result<Format, CliError> {
    refuse_input(path, inputs)?;
    match Format::of(path) {
        Some(f) if formats.contains(&f) => Ok(f),
        _ => Err(CliError::UnsupportedOutput {
            path: path.to_path_buf(),
            command,
            formats,
        }),
    }
}

/// Refuses an output that is one of `inputs`, however spelled (links,
/// `..`, a hard link): writing it would replace that input.
pub fn refuse_input(path: &Path, inputs: &[(Role, &Path)]) -> Result<(), CliError> {
    match inputs
        .iter()
        .find(|(_, input)| crate::atomic::same_file(path, input))
    {
        Some((role, input)) => Err(CliError::OutputIsInput {
            output: path.to_path_buf(),
            role: *role,
            input: input.to_path_buf(),
        }),
        None => Ok(()),
    }
}

/// Says on `out` that `path` was written (the file is there even if
/// nobody reads this).
pub fn wrote(path: &Path, lang: Lang, out: &mut dyn Write) {
    let _ = writeln!(out, "{} {}", lang.pick("已写入", "wrote"), path.display());
}

/// Writes `path` with what `fill` writes, streamed to a temporary file
/// that replaces it at the end ([`crate::atomic`]), and says so on `out`.
pub fn write_file(
    path: &Path,
    lang: Lang,
    out: &mut dyn Write,
    fill: impl FnOnce(&mut crate::atomic::AtomicFile) -> std::io::Result<()>,
) -> Result<(), CliError> {
    write_quietly(path, fill)?;
    wrote(path, lang, out);
    Ok(())
}

/// [`write_file`] without the "wrote" line (for JSON on standard output).
pub fn write_quietly(
    path: &Path,
    fill: impl FnOnce(&mut crate::atomic::AtomicFile) -> std::io::Result<()>,
) -> Result<(), CliError> {
    crate::atomic::write_with(path, fill).map_err(|source| CliError::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_names_the_format_in_any_case() {
        assert_eq!(Format::of(Path::new("方案.CSV")), Some(Format::Csv));
        assert_eq!(Format::of(Path::new("a.b.Sitefold")), Some(Format::Project));
        assert_eq!(Format::of(Path::new("plan")), None);
        assert_eq!(Format::of(Path::new("plan.txt")), None);
        assert_eq!(
            Format::of(Path::new(".csv")),
            None,
            "a hidden file named csv"
        );
    }

    #[test]
    fn an_unwritable_format_is_refused_with_what_can_be_written() {
        const PLAN: &[Format] = &[Format::Csv, Format::Xlsx, Format::Project];
        let f = output_format(Path::new("x.XLSX"), "plan", PLAN, &[]);
        assert!(matches!(f, Ok(Format::Xlsx)));
        let e = output_format(Path::new("x.sitefold.txt"), "plan", PLAN, &[]).expect_err("txt");
        assert_eq!(e.exit_code(), crate::cli::EXIT_USAGE);
        let en = e.message(Lang::En).unwrap_or_default();
        assert!(
            en.contains("plan cannot write a .txt file; it writes .csv (CSV table), .xlsx (Excel workbook) or .sitefold (Sitefold project)"),
            "{en}"
        );
        let zh = e.message(Lang::Zh).unwrap_or_default();
        assert!(
            zh.contains("不能写出 .txt 文件，它写出 .csv（CSV 表格）、.xlsx（Excel 工作簿）或 .sitefold（Sitefold 项目）"),
            "{zh}"
        );
    }
}
