//! The commands over a plan: `summary`, `validate`, `plan`, `chart`, and
//! the inventories `generate` and `template` write.

use std::io::Write;
use std::path::Path;

use crate::export::{ExportError, FileExport};
use crate::i18n::Lang;
use crate::inventory::{ImportOptions, Severity};
use crate::outcome::render_text;
use crate::workspace::Workspace;

use super::args::PlanArgs;
use super::error::CliError;
use super::inputs::{Role, findings, input_files, load};
use super::output::{Format, output_format, write_file, wrote};

/// What `summary --out` writes.
const SUMMARY_FORMATS: &[Format] = &[Format::Csv, Format::Json];
/// What `summary --json --out` writes.
const SUMMARY_JSON_FORMATS: &[Format] = &[Format::Json];
/// What `validate --out` writes.
const VALIDATE_FORMATS: &[Format] = &[Format::Csv];
/// What `map` writes.
const MAP_FORMATS: &[Format] = &[Format::Toml];
/// What `plan --out` writes.
const PLAN_FORMATS: &[Format] = &[Format::Csv, Format::Xlsx, Format::Project];
/// What `chart --out` writes.
const CHART_FORMATS: &[Format] = &[Format::Png, Format::Svg];
/// What `generate --out` and `template --out` write.
const INVENTORY_FORMATS: &[Format] = &[Format::Csv];

/// `summary` without `--out`: the table, or the JSON, on `out`.
pub fn summary(
    args: &PlanArgs,
    json: bool,
    by_area: bool,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let ws = load(&args.inputs(), lang, err)?;
    let s = if by_area {
        ws.summary_by_area()
    } else {
        ws.summary()
    };
    let clean = ws.imported.report.is_clean();
    // Freeing a million sites takes a while; let it happen off the path
    // to the answer (the process may well exit first).
    std::thread::spawn(move || drop(ws));
    let text = if json {
        s.to_json()
    } else {
        render_text(&s, lang)
    };
    writeln!(out, "{text}").map_err(CliError::Stdout)?;
    if clean {
        Ok(())
    } else {
        Err(CliError::Findings)
    }
}

/// `summary --out FILE`: the summary CSV (with the areas), or the JSON.
pub fn write_summary(
    args: &PlanArgs,
    json: bool,
    by_area: bool,
    path: &Path,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let inputs = args.inputs();
    let format = if json {
        output_format(
            path,
            "summary --json",
            SUMMARY_JSON_FORMATS,
            &input_files(&inputs),
        )?
    } else {
        output_format(path, "summary", SUMMARY_FORMATS, &input_files(&inputs))?
    };
    let ws = load(&inputs, lang, err)?;
    // The JSON is the contract's unless asked for more; the CSV is for
    // people and always has the areas.
    let json = format == Format::Json;
    let s = if by_area || !json {
        ws.summary_by_area()
    } else {
        ws.summary()
    };
    write_file(path, lang, out, |f| {
        if json {
            writeln!(f, "{}", s.to_json())
        } else {
            crate::export::write_summary_csv(&s, &ws.imported.inventory, &ws.params, f, lang)
        }
    })?;
    findings(&ws.imported.report)
}

/// `validate`: every issue of the import on `out`, the issues CSV with
/// `--out`; findings (exit 1) unless the inventory is clean.
pub fn validate(
    inventory: &Path,
    sheet: Option<String>,
    map: Option<&Path>,
    issues_out: Option<&Path>,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    if let Some(path) = issues_out {
        output_format(
            path,
            "validate",
            VALIDATE_FORMATS,
            &[(Role::Inventory, inventory)],
        )?;
    }
    let opts = crate::workspace::Inputs {
        inventory: inventory.to_path_buf(),
        import: ImportOptions {
            sheet,
            ..Default::default()
        },
        map: map.map(Path::to_path_buf),
        ..Default::default()
    }
    .import_options()?;
    let (imported, checked) = crate::workspace::load_checked(inventory, &opts)?;
    let r = &imported.report;
    for issue in r.issues.iter().filter(|i| i.severity != Severity::Info) {
        let _ = writeln!(out, "{}", r.render_issue(issue, lang));
    }
    // A project's saved sites and parameters, checked again as it opened.
    for issue in &checked {
        let _ = writeln!(out, "{}", issue.render(lang));
    }
    let _ = writeln!(
        out,
        "{}",
        match lang {
            Lang::Zh => format!(
                "{}：读取 {} 行，导入 {} 个网站，{} 行未导入，{} 个错误，{} 个警告（编码 {}）",
                r.source,
                r.rows_read,
                r.sites,
                r.rejected(),
                r.errors(),
                r.warnings(),
                r.encoding
            ),
            Lang::En => format!(
                "{}: {} rows read, {} sites imported, {} rejected, {} errors, {} warnings (encoding {})",
                r.source,
                r.rows_read,
                r.sites,
                r.rejected(),
                r.errors(),
                r.warnings(),
                r.encoding
            ),
        }
    );
    if let Some(path) = issues_out {
        write_file(path, lang, out, |f| {
            crate::export::write_issues_csv(r, &[], f, lang)
        })?;
    }
    if checked.iter().any(|i| i.is_error) {
        return Err(CliError::Findings);
    }
    findings(r)
}

/// `plan --out FILE`: the per-site plan as CSV, a workbook, or a project.
pub fn write_plan(
    args: &PlanArgs,
    path: &Path,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let inputs = args.inputs();
    let format = output_format(path, "plan", PLAN_FORMATS, &input_files(&inputs))?;
    let ws = load(&inputs, lang, err)?;
    match format {
        Format::Project => super::project::save(&ws, &args.inventory, path, lang)?,
        Format::Xlsx => write_export(FileExport::PlanXlsx, &ws, path, lang)?,
        _ => write_export(FileExport::PlanCsv, &ws, path, lang)?,
    }
    wrote(path, lang, out);
    findings(&ws.imported.report)
}

/// Writes an export as the app does ([`crate::export::write_export`]),
/// its failure said as the command line says it.
pub(super) fn write_export(
    what: FileExport,
    ws: &Workspace,
    path: &Path,
    lang: Lang,
) -> Result<(), CliError> {
    crate::export::write_export(what, ws, lang, path, &|_| true).map_err(|e| match e {
        ExportError::Io { path, source } => CliError::Write { path, source },
        ExportError::Chart(error) => CliError::Chart {
            path: path.to_path_buf(),
            error,
        },
        e => CliError::Workbook(e),
    })
}

/// `chart`: one dashboard chart as PNG or SVG.
pub fn chart(
    args: &PlanArgs,
    kind: crate::charts::ChartKind,
    path: &Path,
    size: Option<(u32, u32)>,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let inputs = args.inputs();
    let format = output_format(path, "chart", CHART_FORMATS, &input_files(&inputs))?;
    // Said before the (long) drawing rather than after it.
    if let Some(dir) = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.is_dir())
    {
        return Err(CliError::NoFolder {
            path: path.to_path_buf(),
            dir: dir.to_path_buf(),
        });
    }
    let ws = load(&inputs, lang, err)?;
    let size = size.unwrap_or(crate::charts::EXPORT_SIZE);
    let svg = format == Format::Svg;
    write_export(FileExport::Chart { kind, svg, size }, &ws, path, lang)?;
    wrote(path, lang, out);
    findings(&ws.imported.report)
}

/// `generate`: a synthetic inventory.
pub fn generate(
    sites: usize,
    seed: u64,
    path: &Path,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    output_format(path, "generate", INVENTORY_FORMATS, &[])?;
    let generated = crate::generate::generate(sites, seed);
    write_file(path, lang, out, |f| {
        crate::inventory::write_csv(&generated, f, lang)
    })
}

/// `template`: an empty inventory with the headers.
pub fn template(path: &Path, lang: Lang, out: &mut dyn Write) -> Result<(), CliError> {
    output_format(path, "template", INVENTORY_FORMATS, &[])?;
    write_file(path, lang, out, |f| {
        crate::inventory::write_csv(&[], f, lang)
    })
}

/// `map FILE --out MAPPING.toml`: a starting mapping for a file's headers,
/// every header Sitefold recognises filled in, each header named in a
/// comment; the required columns it could not find are said.
pub fn map(
    file: &Path,
    sheet: Option<String>,
    path: &Path,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    output_format(path, "map", MAP_FORMATS, &[(Role::Inventory, file)])?;
    let opts = ImportOptions {
        sheet,
        ..Default::default()
    };
    let header = match crate::inventory::import_path(file, &opts) {
        Ok(imported) => imported.header,
        Err(crate::inventory::ImportError::MissingColumns { found, .. }) => found,
        Err(e) => return Err(crate::workspace::LoadError::from(e).into()),
    };
    let columns = crate::inventory::detect_columns(&header);
    let mapping = crate::inventory::Mapping::from(columns.clone());
    let body = mapping.to_toml().map_err(|e| CliError::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let mut text = String::new();
    text.push_str(lang.pick(
        "# Sitefold 列映射：columns 按文件中列的顺序写出每列的含义（列名或别名，\"\" 表示忽略）。\n# 编辑后用 --map 本文件 读取清单。\n",
        "# Sitefold column mapping: `columns` says, in the file's column order, what each column holds\n# (a column key or alias; \"\" ignores it). Edit it, then read the inventory with --map THIS_FILE.\n",
    ));
    for (i, h) in header.iter().enumerate() {
        let holds = match columns.get(i).copied().flatten() {
            Some(c) => format!("{} ({})", c.key(), c.zh()),
            None => lang.pick("未识别", "not recognised").to_string(),
        };
        text.push_str(&format!(
            "# {:>3}. {} → {holds}\n",
            i + 1,
            crate::inventory::excerpt(h)
        ));
    }
    let missing: Vec<&str> = crate::inventory::Column::ALL
        .iter()
        .filter(|c| c.required() && !columns.contains(&Some(**c)))
        .map(|c| c.key())
        .collect();
    if !missing.is_empty() {
        text.push_str(&format!(
            "# {}{}\n",
            lang.pick("还需指定的必需列：", "required columns still to choose: "),
            missing.join(", ")
        ));
    }
    text.push('\n');
    text.push_str(&body);
    write_file(path, lang, out, |f| f.write_all(text.as_bytes()))?;
    if !missing.is_empty() {
        let _ = writeln!(
            out,
            "{}{}",
            lang.pick(
                "文件中找不到这些必需的列，请在映射文件中指明：",
                "the file has no column Sitefold recognises as these required ones; say which in the mapping: "
            ),
            missing.join(", ")
        );
    }
    Ok(())
}
