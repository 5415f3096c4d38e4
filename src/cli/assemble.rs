//! `assemble`: several inventory files (a prefecture's return each) into
//! one inventory, written as CSV, a workbook or a project; how many sites
//! each file gave, and every site found in two files, field by field.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::i18n::{Lang, Text};
use crate::inventory::{AssembleError, Assembled, Conflict, ImportOptions, Keep, SourceFile};
use crate::workspace::{FileErrorKind, LoadError, Workspace};

use super::args::AssembleArgs;
use super::error::CliError;
use super::inputs::{Role, findings, report_import};
use super::output::{Format, output_format, write_quietly, wrote};

/// What `assemble --out` writes.
const ASSEMBLE_FORMATS: &[Format] = &[Format::Csv, Format::Xlsx, Format::Project];

/// What to do with a site found in several files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnConflict {
    /// Keep the first file's row, list every conflict, and exit 1.
    Report,
    /// Keep the row the rule says.
    Keep(Keep),
}

impl OnConflict {
    /// The rule the rows are chosen by.
    fn keep(self) -> Keep {
        match self {
            OnConflict::Report => Keep::First,
            OnConflict::Keep(k) => k,
        }
    }

    /// The option's value.
    fn key(self) -> &'static str {
        match self {
            OnConflict::Report => "report",
            OnConflict::Keep(k) => k.key(),
        }
    }
}

/// Reads `--on-conflict`.
pub fn parse_on_conflict(s: &str) -> Result<OnConflict, String> {
    match s.trim() {
        "report" => Ok(OnConflict::Report),
        k => Keep::parse(k)
            .map(OnConflict::Keep)
            .ok_or_else(|| format!("unknown choice '{s}': use report, first, last or newer")),
    }
}

/// `assemble FILE... --out X`.
pub fn assemble(
    args: &AssembleArgs,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let inputs: Vec<(Role, &Path)> = args
        .files
        .iter()
        .map(|f| (Role::Inventory, f.as_path()))
        .chain(args.map.as_deref().map(|m| (Role::Map, m)))
        .collect();
    let format = output_format(&args.out, "assemble", ASSEMBLE_FORMATS, &inputs)?;
    check_files(&args.files)?;
    let mapping = args
        .map
        .as_deref()
        .map(crate::workspace::read_mapping)
        .transpose()?;
    let opts = ImportOptions {
        sheet: args.sheet.clone(),
        ..Default::default()
    };
    let keep = args.on_conflict.keep();
    let assembled = crate::inventory::assemble_paths(&args.files, &opts, mapping.as_ref(), keep)
        .map_err(load_error)?;
    report_import(&assembled.imported.report, lang, err);
    if args.json {
        let json = to_json(&assembled, args.on_conflict);
        writeln!(out, "{json}").map_err(CliError::Stdout)?;
    } else {
        let text = describe(&assembled, args.on_conflict, lang);
        write!(out, "{text}").map_err(CliError::Stdout)?;
    }
    let conflicts = assembled.conflicts.len();
    let ws = Workspace::assembled(assembled);
    write(&ws, format, &args.out, lang)?;
    if !args.json {
        wrote(&args.out, lang, out);
    }
    if args.on_conflict == OnConflict::Report && conflicts > 0 {
        let _ = writeln!(
            err,
            "{}",
            match lang {
                Lang::Zh => format!(
                    "{conflicts} 个网站标识码出现在多个文件中（见上），暂按先给出的文件保留；请核对后用 --on-conflict first、last 或 newer 选定保留哪一行"
                ),
                Lang::En => format!(
                    "{conflicts} site id(s) are in more than one file (listed above); the first file's rows were kept for now: check them, then choose with --on-conflict first, last or newer"
                ),
            }
        );
        return Err(CliError::Findings);
    }
    findings(&ws.imported.report)
}

/// Refuses a project given as a file to assemble, and a file given twice.
fn check_files(files: &[PathBuf]) -> Result<(), CliError> {
    for (k, f) in files.iter().enumerate() {
        if crate::project::is_project_path(f) {
            return Err(LoadError::File {
                kind: FileErrorKind::Content,
                issue: crate::diag::FileIssue::error(
                    &f.display().to_string(),
                    0,
                    Text::new(
                        "这是 Sitefold 项目：assemble 读取的是清单文件（CSV 或 Excel）；要向项目添加文件，请在应用中打开项目，使用“文件 → 向清单添加文件”",
                        "this is a Sitefold project: assemble reads inventory files (CSV or workbooks); to add files to a project, open it in the app and use File → Add file to inventory",
                    ),
                ),
            }
            .into());
        }
        if let Some(twin) = files[..k].iter().find(|g| crate::atomic::same_file(f, g)) {
            return Err(CliError::BadOption {
                option: "FILE",
                message: Text::new(
                    format!(
                        "{} 与 {} 是同一个文件，每个文件只能给出一次",
                        f.display(),
                        twin.display()
                    ),
                    format!(
                        "{} and {} are the same file; give each file once",
                        f.display(),
                        twin.display()
                    ),
                ),
            });
        }
    }
    Ok(())
}

/// An assembly that could not be done, said as a file that could not be
/// loaded.
fn load_error(e: AssembleError) -> CliError {
    match e {
        AssembleError::Import(e) => LoadError::Import(e).into(),
        e => LoadError::File {
            kind: FileErrorKind::Content,
            issue: crate::diag::FileIssue::error(
                "",
                0,
                Text::new(e.message(Lang::Zh), e.message(Lang::En)),
            ),
        }
        .into(),
    }
}

/// Writes the assembled inventory in `format`.
fn write(ws: &Workspace, format: Format, path: &Path, lang: Lang) -> Result<(), CliError> {
    let sites = ws.imported.inventory.sites();
    match format {
        Format::Project => {
            let project = crate::project::Project::from_workspace(ws, lang);
            crate::project::save_project(path, &project).map_err(CliError::SaveProject)
        }
        Format::Xlsx => {
            let bytes =
                crate::inventory::inventory_workbook(sites, lang).map_err(|e| CliError::Write {
                    path: path.to_path_buf(),
                    source: std::io::Error::other(e.to_string()),
                })?;
            write_quietly(path, |f| f.write_all(&bytes))
        }
        _ => write_quietly(path, |f| crate::inventory::write_csv(sites, f, lang)),
    }
}

/// A file's name as the lines below show it.
fn file_name(s: &SourceFile) -> &str {
    &s.path
}

/// The per-file counts and the conflicts, as lines.
fn describe(a: &Assembled, on_conflict: OnConflict, lang: Lang) -> String {
    let mut text = match lang {
        Lang::Zh => format!(
            "已读取 {} 个文件，合成的清单共有 {} 个网站：\n",
            a.sources.len(),
            a.imported.inventory.len()
        ),
        Lang::En => format!(
            "{} files read; the inventory they make has {} sites:\n",
            a.sources.len(),
            a.imported.inventory.len()
        ),
    };
    for (k, s) in a.sources.iter().enumerate() {
        let r = &s.report;
        text.push_str(&match lang {
            Lang::Zh => format!(
                "  {}. {}（{}）：读取 {} 行，导入 {} 个网站，{} 行未导入，{} 个错误，{} 个警告；采用 {} 个网站\n",
                k + 1,
                file_name(s),
                r.encoding,
                r.rows_read,
                r.sites,
                r.rejected(),
                r.errors(),
                r.warnings(),
                s.sites
            ),
            Lang::En => format!(
                "  {}. {} ({}): {} rows read, {} sites imported, {} rejected, {} errors, {} warnings; gives {} sites\n",
                k + 1,
                file_name(s),
                r.encoding,
                r.rows_read,
                r.sites,
                r.rejected(),
                r.errors(),
                r.warnings(),
                s.sites
            ),
        });
    }
    if a.conflicts.is_empty() {
        text.push_str(lang.pick(
            "没有网站标识码出现在多个文件中\n",
            "no site id is in more than one file\n",
        ));
        return text;
    }
    let how = match on_conflict {
        OnConflict::Report => match lang {
            Lang::Zh => format!("暂按“{}”处理", Keep::First.label(lang)),
            Lang::En => format!("for now: {}", Keep::First.label(lang)),
        },
        OnConflict::Keep(k) => k.label(lang).to_string(),
    };
    text.push_str(&match lang {
        Lang::Zh => format!(
            "冲突：{} 个网站标识码出现在多个文件中（{how}）：\n",
            a.conflicts.len()
        ),
        Lang::En => format!(
            "conflicts: {} site id(s) are in more than one file ({how}):\n",
            a.conflicts.len()
        ),
    });
    for (c, r) in a.conflicts.iter().zip(&a.resolutions) {
        text.push_str(&conflict_lines(a, c, r.kept, lang));
    }
    text
}

/// One conflict: where its rows are, which was kept, and each field that
/// differs with its value in each row.
fn conflict_lines(a: &Assembled, c: &Conflict, kept: usize, lang: Lang) -> String {
    let at = |k: usize| {
        let row = &c.rows[k];
        let file = a.sources.get(row.file).map_or("", file_name);
        match lang {
            Lang::Zh => format!("{file} 第 {} 行", row.line),
            Lang::En => format!("{file} line {}", row.line),
        }
    };
    let rows: Vec<String> = (0..c.rows.len()).map(at).collect();
    let mut text = format!(
        "  {}: {} → {} {}\n",
        crate::inventory::excerpt(&c.site_id),
        rows.join(" | "),
        lang.pick("采用", "kept"),
        at(kept)
    );
    if c.fields.is_empty() {
        text.push_str(lang.pick(
            "      （各行内容相同）\n",
            "      (the rows are the same)\n",
        ));
    }
    for d in &c.fields {
        let values: Vec<String> = d
            .values
            .iter()
            .map(|v| {
                if v.is_empty() {
                    lang.pick("（空）", "(empty)").to_string()
                } else {
                    crate::inventory::excerpt(v)
                }
            })
            .collect();
        text.push_str(&format!(
            "      {}{}{}\n",
            d.column.header(lang),
            lang.pick("：", ": "),
            values.join(" | ")
        ));
    }
    text
}

/// The per-file counts and the conflicts as JSON.
fn to_json(a: &Assembled, on_conflict: OnConflict) -> String {
    use serde_json::json;
    let files: Vec<serde_json::Value> = a
        .sources
        .iter()
        .map(|s| {
            let r = &s.report;
            json!({
                "file": s.path,
                "encoding": r.encoding,
                "rows_read": r.rows_read,
                "sites_imported": r.sites,
                "sites": s.sites,
                "rejected": r.rejected(),
                "errors": r.errors(),
                "warnings": r.warnings(),
            })
        })
        .collect();
    let conflicts: Vec<serde_json::Value> = a
        .conflicts
        .iter()
        .zip(&a.resolutions)
        .map(|(c, r)| {
            let rows: Vec<serde_json::Value> = c
                .rows
                .iter()
                .map(|row| {
                    json!({
                        "file": a.sources.get(row.file).map_or("", file_name),
                        "line": row.line,
                    })
                })
                .collect();
            let fields: Vec<serde_json::Value> = c
                .fields
                .iter()
                .map(|d| json!({"column": d.column.key(), "values": d.values}))
                .collect();
            json!({
                "site_id": c.site_id,
                "rows": rows,
                "kept": r.kept,
                "fields": fields,
            })
        })
        .collect();
    let r = &a.imported.report;
    let value = json!({
        "sites": a.imported.inventory.len(),
        "rows_read": r.rows_read,
        "rejected": r.rejected(),
        "errors": r.errors(),
        "warnings": r.warnings(),
        "on_conflict": on_conflict.key(),
        "files": files,
        "conflicts": conflicts,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}
