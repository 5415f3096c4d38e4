//! The `sitefold` command line: the same core functions as the app.

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::i18n::Lang;
use crate::inventory::{ImportOptions, Imported, Severity, import_bytes};
use crate::outcome::render_text;
use crate::workspace::{Inputs, LoadError, Workspace};

/// The bundled sample province, embedded so the app opens from any folder.
pub const SAMPLE_CSV: &[u8] = include_bytes!("../sample-data/province.csv");
/// The name the bundled sample is shown under.
pub const SAMPLE_NAME: &str = "sample-data/province.csv";

/// Imports the bundled sample.
pub fn sample() -> Imported {
    match import_bytes(SAMPLE_CSV, SAMPLE_NAME, &ImportOptions::default()) {
        Ok(i) => i,
        Err(e) => unreachable!("the bundled sample imports: {e}"),
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "sitefold",
    version,
    about = "Plan the consolidation of government websites: which sites close, where each folds to, and what it does to cost and coverage.",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    /// Inventory or project to open in the app (the bundled sample when absent).
    file: Option<PathBuf>,
    /// Language of messages and tables: zh or en (default: the system's, else zh).
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<Lang>,
    #[command(subcommand)]
    command: Option<Command>,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language '{s}': use zh or en"))
}

#[derive(clap::Args, Debug, Clone)]
struct PlanArgs {
    /// The inventory: CSV (UTF-8 or GBK) or spreadsheet.
    inventory: PathBuf,
    /// Manual decisions (plan CSV: site_id, decision, target_id).
    #[arg(long)]
    plan: Option<PathBuf>,
    /// Rules (TOML, [[rules]]).
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Parameters (TOML).
    #[arg(long)]
    params: Option<PathBuf>,
    /// For spreadsheets: the sheet to read (default: the first).
    #[arg(long)]
    sheet: Option<String>,
}

impl PlanArgs {
    fn inputs(&self) -> Inputs {
        Inputs {
            inventory: self.inventory.clone(),
            plan: self.plan.clone(),
            rules: self.rules.clone(),
            params: self.params.clone(),
            import: ImportOptions {
                mapping: None,
                sheet: self.sheet.clone(),
            },
        }
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Open the desktop app.
    Gui {
        /// Inventory or project to open.
        file: Option<PathBuf>,
    },
    /// Print the outcome of a plan: a table, or JSON with --json.
    Summary {
        #[command(flatten)]
        args: PlanArgs,
        /// Print the machine-readable summary.
        #[arg(long)]
        json: bool,
        /// Write the summary to this file instead (CSV, UTF-8 with BOM; JSON with --json).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print the import report; exit 1 when rows were rejected or cells were bad.
    Validate {
        /// The inventory.
        inventory: PathBuf,
        /// For spreadsheets: the sheet to read.
        #[arg(long)]
        sheet: Option<String>,
        /// Also write the issues to this CSV file (UTF-8 with BOM).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write the per-site plan (CSV, UTF-8 with BOM; a workbook when --out ends in .xlsx).
    Plan {
        #[command(flatten)]
        args: PlanArgs,
        /// Where to write the plan (.csv, or .xlsx for a workbook with the summary).
        #[arg(long)]
        out: PathBuf,
    },
    /// Draw a dashboard chart to a PNG or SVG file.
    Chart {
        #[command(flatten)]
        args: PlanArgs,
        /// cost-by-level, coverage-by-level, budget-vs-score or target-load.
        #[arg(long, value_parser = parse_chart_kind)]
        kind: crate::charts::ChartKind,
        /// Where to write the chart (.png or .svg).
        #[arg(long)]
        out: PathBuf,
        /// Picture size in pixels, WIDTHxHEIGHT (default 1600x1000).
        #[arg(long, value_parser = parse_size)]
        size: Option<(u32, u32)>,
    },
    /// Write a deterministic synthetic inventory of about N sites.
    Generate {
        /// About how many sites.
        #[arg(long)]
        sites: usize,
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write the inventory CSV.
        #[arg(long)]
        out: PathBuf,
    },
    /// Write an empty inventory with the Chinese headers, to fill in Excel.
    Template {
        /// Where to write it.
        #[arg(long)]
        out: PathBuf,
    },
}

/// What `main` should do after the command line ran.
#[derive(Debug, PartialEq)]
pub enum Run {
    /// Exit with this code.
    Exit(i32),
    /// Open the desktop app on this file (the sample when `None`).
    Gui {
        /// The file to open.
        file: Option<PathBuf>,
        /// The language asked for on the command line.
        lang: Option<Lang>,
    },
}

/// Exit code: done.
pub const EXIT_OK: i32 = 0;
/// Exit code: input problems.
pub const EXIT_INPUT: i32 = 1;
/// Exit code: usage errors or unreadable files.
pub const EXIT_USAGE: i32 = 2;

/// Runs the command line with its own output streams.
pub fn run<I, T>(args: I) -> Run
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    run_with(args, &mut stdout.lock(), &mut stderr.lock())
}

/// Runs the command line, writing to `out` and `err`.
pub fn run_with<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> Run
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = if e.use_stderr() {
                write!(err, "{e}")
            } else {
                write!(out, "{e}")
            };
            return Run::Exit(code);
        }
    };
    let lang = cli.lang.unwrap_or_else(Lang::from_environment);
    let Some(command) = cli.command else {
        return Run::Gui {
            file: cli.file,
            lang: cli.lang,
        };
    };
    let code = match command {
        Command::Gui { file } => {
            return Run::Gui {
                file,
                lang: cli.lang,
            };
        }
        Command::Summary {
            args,
            json,
            out: None,
        } => summary(&args, json, lang, out, err),
        Command::Summary {
            args,
            json,
            out: Some(path),
        } => write_summary(&args, json, &path, lang, out, err),
        Command::Validate {
            inventory,
            sheet,
            out: path,
        } => validate(inventory, sheet, path, lang, out, err),
        Command::Plan { args, out: path } => write_plan(&args, &path, lang, out, err),
        Command::Chart {
            args,
            kind,
            out: path,
            size,
        } => chart(&args, kind, &path, size, lang, out, err),
        Command::Generate {
            sites,
            seed,
            out: path,
        } => generate(sites, seed, &path, lang, out, err),
        Command::Template { out: path } => template(&path, lang, out, err),
    };
    Run::Exit(code)
}

fn load(inputs: &Inputs, lang: Lang, err: &mut dyn Write) -> Result<Workspace, i32> {
    match Workspace::load(inputs) {
        Ok(ws) => {
            for issue in &ws.file_issues {
                let _ = writeln!(err, "{}", issue.render(lang));
            }
            Ok(ws)
        }
        Err(e) => {
            let _ = writeln!(err, "{}", e.message(lang));
            Err(load_error_code(&e))
        }
    }
}

fn load_error_code(e: &LoadError) -> i32 {
    if e.is_unreadable() {
        EXIT_USAGE
    } else {
        EXIT_INPUT
    }
}

fn summary(
    args: &PlanArgs,
    json: bool,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let ws = match load(&args.inputs(), lang, err) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let s = ws.summary();
    let text = if json {
        s.to_json()
    } else {
        render_text(&s, lang)
    };
    match writeln!(out, "{text}") {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_USAGE,
    }
}

fn validate(
    inventory: PathBuf,
    sheet: Option<String>,
    issues_out: Option<PathBuf>,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let opts = ImportOptions {
        mapping: None,
        sheet,
    };
    let imported = match crate::inventory::import_path(&inventory, &opts) {
        Ok(i) => i,
        Err(e) => {
            let _ = writeln!(err, "{}", e.message(lang));
            return load_error_code(&LoadError::Import(e));
        }
    };
    let r = &imported.report;
    for issue in r.issues.iter().filter(|i| i.severity != Severity::Info) {
        let _ = writeln!(out, "{}", r.render_issue(issue, lang));
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
        let mut buf = Vec::new();
        if let Err(e) = crate::export::write_issues_csv(r, &[], &mut buf, lang) {
            let _ = writeln!(err, "{e}");
            return EXIT_USAGE;
        }
        let code = write_out(&path, &buf, lang, out, err);
        if code != EXIT_OK {
            return code;
        }
    }
    if r.is_clean() { EXIT_OK } else { EXIT_INPUT }
}

fn write_out(
    path: &std::path::Path,
    data: &[u8],
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    match crate::export::write_atomic(path, data) {
        Ok(()) => {
            let _ = writeln!(out, "{} {}", lang.pick("已写入", "wrote"), path.display());
            EXIT_OK
        }
        Err(e) => {
            let _ = writeln!(
                err,
                "{}: {} {e}",
                path.display(),
                lang.pick("无法写入：", "cannot write:")
            );
            EXIT_USAGE
        }
    }
}

fn write_plan(
    args: &PlanArgs,
    path: &std::path::Path,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let ws = match load(&args.inputs(), lang, err) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    if has_extension(path, "xlsx") {
        return match crate::export::write_plan_xlsx(&ws, lang, path) {
            Ok(()) => {
                let _ = writeln!(out, "{} {}", lang.pick("已写入", "wrote"), path.display());
                EXIT_OK
            }
            Err(e) => {
                let _ = writeln!(err, "{}", e.message(lang));
                EXIT_USAGE
            }
        };
    }
    let (resolved, outcome) = ws.evaluate();
    let inv = &ws.imported.inventory;
    let rows = crate::export::plan_rows(inv, &ws.model(), &resolved, &ws.rules, &outcome, lang);
    let mut buf = Vec::new();
    if let Err(e) = crate::export::write_plan_csv(inv, &rows, &mut buf, lang) {
        let _ = writeln!(err, "{e}");
        return EXIT_USAGE;
    }
    write_out(path, &buf, lang, out, err)
}

fn generate(
    sites: usize,
    seed: u64,
    path: &std::path::Path,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let generated = crate::generate::generate(sites, seed);
    let mut buf = Vec::with_capacity(sites * 160);
    if let Err(e) = crate::inventory::write_csv(&generated, &mut buf, lang) {
        let _ = writeln!(err, "{e}");
        return EXIT_USAGE;
    }
    write_out(path, &buf, lang, out, err)
}

fn template(path: &std::path::Path, lang: Lang, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let mut buf = Vec::new();
    if let Err(e) = crate::inventory::write_csv(&[], &mut buf, lang) {
        let _ = writeln!(err, "{e}");
        return EXIT_USAGE;
    }
    write_out(path, &buf, lang, out, err)
}

fn has_extension(path: &std::path::Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case(ext))
}

fn parse_chart_kind(s: &str) -> Result<crate::charts::ChartKind, String> {
    crate::charts::ChartKind::from_key(s).ok_or_else(|| {
        let keys: Vec<&str> = crate::charts::ChartKind::ALL.iter().map(|k| k.key()).collect();
        format!("unknown chart '{s}': use {}", keys.join(", "))
    })
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("bad size '{s}': use WIDTHxHEIGHT, e.g. 1600x1000");
    let (w, h) = s
        .trim()
        .split_once(['x', 'X', '×', '*'])
        .ok_or_else(bad)?;
    let w: u32 = w.trim().parse().map_err(|_| bad())?;
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    if w == 0 || h == 0 || w > crate::charts::MAX_SIDE || h > crate::charts::MAX_SIDE {
        return Err(format!(
            "size '{s}' is outside 1…{} pixels per side",
            crate::charts::MAX_SIDE
        ));
    }
    Ok((w, h))
}

fn write_summary(
    args: &PlanArgs,
    json: bool,
    path: &std::path::Path,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let ws = match load(&args.inputs(), lang, err) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let s = ws.summary();
    let mut buf = Vec::new();
    if json {
        buf = s.to_json().into_bytes();
        buf.push(b'\n');
    } else if let Err(e) =
        crate::export::write_summary_csv(&s, &ws.imported.inventory, &ws.params, &mut buf, lang)
    {
        let _ = writeln!(err, "{e}");
        return EXIT_USAGE;
    }
    write_out(path, &buf, lang, out, err)
}

fn chart(
    args: &PlanArgs,
    kind: crate::charts::ChartKind,
    path: &std::path::Path,
    size: Option<(u32, u32)>,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let svg = has_extension(path, "svg");
    if !svg && !has_extension(path, "png") {
        let _ = writeln!(
            err,
            "{}: {}",
            path.display(),
            lang.pick(
                "图表文件应以 .png 或 .svg 结尾",
                "the chart file must end in .png or .svg"
            )
        );
        return EXIT_USAGE;
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.is_dir()) {
        let _ = writeln!(
            err,
            "{}: {} {}",
            path.display(),
            lang.pick("无法写入图表：文件夹不存在", "cannot write the chart: no such folder"),
            dir.display()
        );
        return EXIT_USAGE;
    }
    let ws = match load(&args.inputs(), lang, err) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let (resolved, outcome) = ws.evaluate();
    let model = ws.model();
    let data = crate::charts::ChartData {
        inventory: &ws.imported.inventory,
        model: &model,
        outcome: &outcome,
        decisions: &resolved.decisions,
    };
    let (w, h) = size.unwrap_or(crate::charts::EXPORT_SIZE);
    let result = if svg {
        crate::charts::save_svg(path, kind, &data, lang, w, h)
    } else {
        crate::charts::save_png(path, kind, &data, lang, w, h)
    };
    match result {
        Ok(()) => {
            let _ = writeln!(out, "{} {}", lang.pick("已写入", "wrote"), path.display());
            EXIT_OK
        }
        Err(e) => {
            let what = lang.pick("无法写入图表：", "cannot write the chart:");
            let shown = path.display().to_string();
            let _ = if e.contains(&shown) {
                writeln!(err, "{what} {e}")
            } else {
                writeln!(err, "{shown}: {what} {e}")
            };
            EXIT_USAGE
        }
    }
}
