//! The `sitefold` command line: the same core functions as the app.

use std::ffi::OsString;
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
    override_usage = "sitefold [--lang zh|en] [FILE]\n       sitefold [--lang zh|en] <COMMAND> [OPTIONS]",
    allow_external_subcommands = true
)]
struct Cli {
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
    /// The inventory: CSV (UTF-8 or GBK), spreadsheet (.xlsx, .xls, .ods) or .sitefold project.
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
    /// The files read, with what each is.
    fn input_files(&self) -> Vec<(Role, &std::path::Path)> {
        input_files(&self.inventory, &self.plan, &self.rules, &self.params)
    }

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
    /// `sitefold FILE`: open the desktop app on an inventory or project.
    #[command(external_subcommand)]
    File(Vec<OsString>),
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
        /// Add the subtotals per prefecture and county (`by_area` in JSON; the CSV written by --out always has them).
        #[arg(long)]
        by_area: bool,
        /// Write the summary to this file instead (CSV, UTF-8 with BOM; JSON with --json).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print the import report; exit 1 when rows were rejected or cells were bad.
    Validate {
        /// The inventory, or a .sitefold project (its saved import report).
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
    /// Find the plan with the largest savings that keeps coverage above a floor.
    Optimize {
        #[command(flatten)]
        args: OptimizeArgs,
        /// Coverage to keep: a fraction (0.85), a percentage (85%) or `current`.
        #[arg(long = "coverage-floor", value_parser = parse_floor)]
        coverage_floor: crate::optimize::Floor,
        /// Where to write the plan (CSV, readable by --plan).
        #[arg(long)]
        out: PathBuf,
        /// Print savings, coverage, pass_rate, merged, bound, gap, seconds as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write the savings–coverage frontier: the best plan for each of N floors.
    Frontier {
        #[command(flatten)]
        args: OptimizeArgs,
        /// Lowest floor (default: the coverage of the best plan without a floor).
        #[arg(long = "coverage-floor", value_parser = parse_floor)]
        coverage_floor: Option<crate::optimize::Floor>,
        /// Number of floors.
        #[arg(long, default_value_t = 20)]
        points: usize,
        /// Where to write the frontier (CSV).
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
    // stderr is not held locked for the whole run: a panic on a worker
    // thread must be able to print its message.
    run_with(args, &mut stdout.lock(), &mut std::io::stderr())
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
            file: None,
            lang: cli.lang,
        };
    };
    let code = match command {
        // `sitefold FILE`: the app on that file (a word that names no
        // command is the file to open).
        Command::File(words) => {
            let mut words = words.into_iter();
            let file = words.next().map(PathBuf::from);
            if let Some(extra) = words.next() {
                let _ = writeln!(
                    err,
                    "{} {}",
                    lang.pick("多余的参数：", "unexpected argument:"),
                    extra.to_string_lossy()
                );
                return Run::Exit(EXIT_USAGE);
            }
            return Run::Gui {
                file,
                lang: cli.lang,
            };
        }
        Command::Gui { file } => {
            return Run::Gui {
                file,
                lang: cli.lang,
            };
        }
        Command::Summary {
            args,
            json,
            by_area,
            out: None,
        } => summary(&args, json, by_area, lang, out, err),
        Command::Summary {
            args,
            json,
            by_area,
            out: Some(path),
        } => write_summary(&args, json, by_area, &path, lang, out, err),
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
        Command::Optimize {
            args,
            coverage_floor,
            out: path,
            json,
        } => optimize_cmd(&args, coverage_floor, &path, json, lang, out, err),
        Command::Frontier {
            args,
            coverage_floor,
            points,
            out: path,
        } => frontier_cmd(&args, coverage_floor, points, &path, lang, out, err),
    };
    Run::Exit(code)
}

fn load(inputs: &Inputs, lang: Lang, err: &mut dyn Write) -> Result<Workspace, i32> {
    match Workspace::load(inputs) {
        Ok(ws) => {
            for issue in &ws.file_issues {
                let _ = writeln!(err, "{}", issue.render(lang));
            }
            report_import(&ws.imported.report, lang, err);
            Ok(ws)
        }
        Err(e) => {
            let _ = writeln!(err, "{}", e.message(lang));
            Err(load_error_code(&e))
        }
    }
}

/// Rejected rows and bad cells listed at most, before a count of the rest.
const ISSUES_SHOWN: usize = 20;

/// Lists the rows that were not imported and the bad cells (as `validate`
/// does, up to [`ISSUES_SHOWN`]) with a count, so that no command leaves
/// them out without a word. See [`input_code`].
fn report_import(r: &crate::inventory::ImportReport, lang: Lang, err: &mut dyn Write) {
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

/// The exit code of a command that read `report`: input problems (1)
/// when rows were rejected or cells were bad, as `validate` says, once the
/// command itself succeeded.
fn input_code(code: i32, report: &crate::inventory::ImportReport) -> i32 {
    if code == EXIT_OK && !report.is_clean() {
        EXIT_INPUT
    } else {
        code
    }
}

/// What an input file is, for messages.
#[derive(Clone, Copy)]
enum Role {
    Inventory,
    Plan,
    Rules,
    Params,
}

impl Role {
    fn name(self, lang: Lang) -> &'static str {
        match self {
            Role::Inventory => lang.pick("清单", "inventory"),
            Role::Plan => lang.pick("--plan 文件", "--plan file"),
            Role::Rules => lang.pick("--rules 文件", "--rules file"),
            Role::Params => lang.pick("--params 文件", "--params file"),
        }
    }
}

fn input_files<'a>(
    inventory: &'a std::path::Path,
    plan: &'a Option<PathBuf>,
    rules: &'a Option<PathBuf>,
    params: &'a Option<PathBuf>,
) -> Vec<(Role, &'a std::path::Path)> {
    let mut v = vec![(Role::Inventory, inventory)];
    v.extend(plan.as_deref().map(|p| (Role::Plan, p)));
    v.extend(rules.as_deref().map(|p| (Role::Rules, p)));
    v.extend(params.as_deref().map(|p| (Role::Params, p)));
    v
}

/// Refuses (exit 2) an output that is one of the inputs, however it is
/// spelled (links, `..`, a hard link): writing it would replace the input.
fn check_output(
    output: &std::path::Path,
    inputs: &[(Role, &std::path::Path)],
    lang: Lang,
    err: &mut dyn Write,
) -> Result<(), i32> {
    let Some((role, input)) = inputs
        .iter()
        .find(|(_, input)| crate::atomic::same_file(output, input))
    else {
        return Ok(());
    };
    let _ = writeln!(
        err,
        "{}",
        match lang {
            Lang::Zh => format!(
                "{}：输出文件与{}（{}）是同一个文件，写入会覆盖它；请为输出另选文件名",
                output.display(),
                role.name(lang),
                input.display()
            ),
            Lang::En => format!(
                "{}: the output is the same file as the {} ({}); writing it would replace that input, so choose another name for the output",
                output.display(),
                role.name(lang),
                input.display()
            ),
        }
    );
    Err(EXIT_USAGE)
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
    by_area: bool,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let ws = match load(&args.inputs(), lang, err) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
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
    match writeln!(out, "{text}") {
        Ok(()) if clean => EXIT_OK,
        Ok(()) => EXIT_INPUT,
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
    if let Some(path) = &issues_out
        && let Err(code) = check_output(path, &[(Role::Inventory, &inventory)], lang, err)
    {
        return code;
    }
    let opts = ImportOptions {
        mapping: None,
        sheet,
    };
    let (imported, checked) = match crate::workspace::load_checked(&inventory, &opts) {
        Ok(i) => i,
        Err(e) => {
            let _ = writeln!(err, "{}", e.message(lang));
            return load_error_code(&e);
        }
    };
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
        let code = write_file(&path, lang, out, err, |f| {
            crate::export::write_issues_csv(r, &[], f, lang)
        });
        if code != EXIT_OK {
            return code;
        }
    }
    if r.is_clean() && !checked.iter().any(|i| i.is_error) {
        EXIT_OK
    } else {
        EXIT_INPUT
    }
}

/// Writes `path` with what `fill` writes, streamed to a temporary file
/// that replaces it at the end ([`crate::atomic`]); says so on `out`, or
/// why not on `err` (exit 2).
fn write_file(
    path: &std::path::Path,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
    fill: impl FnOnce(&mut crate::atomic::AtomicFile) -> std::io::Result<()>,
) -> i32 {
    match write_quietly(path, lang, err, fill) {
        Ok(()) => {
            let _ = writeln!(out, "{} {}", lang.pick("已写入", "wrote"), path.display());
            EXIT_OK
        }
        Err(code) => code,
    }
}

/// [`write_file`] without the "wrote" line (for JSON on `out`).
fn write_quietly(
    path: &std::path::Path,
    lang: Lang,
    err: &mut dyn Write,
    fill: impl FnOnce(&mut crate::atomic::AtomicFile) -> std::io::Result<()>,
) -> Result<(), i32> {
    crate::atomic::write_with(path, fill).map_err(|e| {
        let why = crate::atomic::describe(&e, lang);
        let _ = match lang {
            Lang::Zh => writeln!(err, "{}：无法写入：{why}", path.display()),
            Lang::En => writeln!(err, "{}: cannot write: {why}", path.display()),
        };
        EXIT_USAGE
    })
}

fn write_plan(
    args: &PlanArgs,
    path: &std::path::Path,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    if let Err(code) = check_output(path, &args.input_files(), lang, err) {
        return code;
    }
    let ws = match load(&args.inputs(), lang, err) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let report = &ws.imported.report;
    if has_extension(path, "xlsx") {
        let code = match crate::export::write_plan_xlsx(&ws, lang, path) {
            Ok(()) => {
                let _ = writeln!(out, "{} {}", lang.pick("已写入", "wrote"), path.display());
                EXIT_OK
            }
            Err(e) => {
                let _ = writeln!(err, "{}", e.message(lang));
                EXIT_USAGE
            }
        };
        return input_code(code, report);
    }
    let (resolved, outcome) = ws.evaluate();
    let inv = &ws.imported.inventory;
    let rows = crate::export::plan_rows(&ws, &ws.model(), &resolved, &outcome, lang);
    let code = write_file(path, lang, out, err, |f| {
        crate::export::write_plan_csv(inv, &rows, f, lang)
    });
    input_code(code, report)
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
    write_file(path, lang, out, err, |f| {
        crate::inventory::write_csv(&generated, f, lang)
    })
}

fn template(path: &std::path::Path, lang: Lang, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    write_file(path, lang, out, err, |f| {
        crate::inventory::write_csv(&[], f, lang)
    })
}

fn has_extension(path: &std::path::Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case(ext))
}

fn parse_chart_kind(s: &str) -> Result<crate::charts::ChartKind, String> {
    crate::charts::ChartKind::from_key(s).ok_or_else(|| {
        let keys: Vec<&str> = crate::charts::ChartKind::ALL
            .iter()
            .map(|k| k.key())
            .collect();
        format!("unknown chart '{s}': use {}", keys.join(", "))
    })
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("bad size '{s}': use WIDTHxHEIGHT, e.g. 1600x1000");
    let (w, h) = s.trim().split_once(['x', 'X', '×', '*']).ok_or_else(bad)?;
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
    by_area: bool,
    path: &std::path::Path,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    if let Err(code) = check_output(path, &args.input_files(), lang, err) {
        return code;
    }
    let ws = match load(&args.inputs(), lang, err) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    // The JSON is the contract's unless asked for more; the CSV is for
    // people and always has the areas.
    let s = if by_area || !json {
        ws.summary_by_area()
    } else {
        ws.summary()
    };
    let code = write_file(path, lang, out, err, |f| {
        if json {
            writeln!(f, "{}", s.to_json())
        } else {
            crate::export::write_summary_csv(&s, &ws.imported.inventory, &ws.params, f, lang)
        }
    });
    input_code(code, &ws.imported.report)
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
    if let Err(code) = check_output(path, &args.input_files(), lang, err) {
        return code;
    }
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
    if let Some(dir) = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.is_dir())
    {
        let _ = writeln!(
            err,
            "{}: {} {}",
            path.display(),
            lang.pick(
                "无法写入图表：文件夹不存在",
                "cannot write the chart: no such folder"
            ),
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
    let code = match result {
        Ok(()) => {
            let _ = writeln!(out, "{} {}", lang.pick("已写入", "wrote"), path.display());
            EXIT_OK
        }
        Err(e) => {
            let what = lang.pick("无法写入图表：", "cannot write the chart:");
            let shown = path.display().to_string();
            let names_file = e.names_file();
            let e = e.message(lang);
            let _ = if names_file {
                writeln!(err, "{what} {e}")
            } else {
                writeln!(err, "{shown}: {what} {e}")
            };
            EXIT_USAGE
        }
    };
    input_code(code, &ws.imported.report)
}

// ------------------------------------------------------------ optimizer

fn parse_floor(s: &str) -> Result<crate::optimize::Floor, String> {
    crate::optimize::Floor::parse(s).ok_or_else(|| {
        format!("invalid coverage floor '{s}': use a fraction 0–1, a percentage, or current")
    })
}

fn parse_share(s: &str) -> Result<f64, String> {
    match crate::optimize::Floor::parse(s) {
        Some(crate::optimize::Floor::Fraction(f)) => Ok(f),
        _ => Err(format!(
            "invalid share '{s}': use a fraction 0–1 or a percentage"
        )),
    }
}

/// The inputs of `optimize` and `frontier`.
#[derive(clap::Args, Debug, Clone)]
struct OptimizeArgs {
    /// The inventory: CSV (UTF-8 or GBK), spreadsheet (.xlsx, .xls, .ods) or .sitefold project.
    inventory: PathBuf,
    /// Decisions to lock as they are (plan CSV: site_id, decision, target_id).
    #[arg(long)]
    plan: Option<PathBuf>,
    /// Parameters (TOML).
    #[arg(long)]
    params: Option<PathBuf>,
    /// For spreadsheets: the sheet to read (default: the first).
    #[arg(long)]
    sheet: Option<String>,
    /// Sites never merged: levels or level:kind pairs, or `none`.
    #[arg(long, default_value = crate::optimize::Protection::DEFAULT)]
    protect: String,
    /// No kept site absorbs more than N merged sites (default: the parameters' max_absorbed_per_target).
    #[arg(long)]
    max_absorbed: Option<u64>,
    /// Minimum pass rate after (fraction or percentage).
    #[arg(long, value_parser = parse_share)]
    min_pass_rate: Option<f64>,
    /// Stop once the gap to the bound is at most this fraction.
    #[arg(long)]
    gap: Option<f64>,
    /// Time limit for the search after the first bound, in seconds.
    #[arg(long)]
    time_limit: Option<f64>,
}

impl OptimizeArgs {
    /// The files read, with what each is.
    fn input_files(&self) -> Vec<(Role, &std::path::Path)> {
        input_files(&self.inventory, &self.plan, &None, &self.params)
    }

    fn load(
        &self,
        lang: Lang,
        err: &mut dyn Write,
    ) -> Result<(Workspace, crate::optimize::Options), i32> {
        let inputs = Inputs {
            inventory: self.inventory.clone(),
            plan: self.plan.clone(),
            rules: None,
            params: self.params.clone(),
            import: ImportOptions {
                mapping: None,
                sheet: self.sheet.clone(),
            },
        };
        let ws = load(&inputs, lang, err)?;
        let protect = match crate::optimize::Protection::parse(&self.protect) {
            Ok(p) => p,
            Err(t) => {
                let _ = writeln!(err, "--protect: {}", t.get(lang));
                return Err(EXIT_USAGE);
            }
        };
        let mut opts =
            crate::optimize::Options::with_floor(crate::optimize::Floor::Current, &ws.params);
        opts.protect = protect;
        if self.max_absorbed.is_some() {
            opts.max_absorbed = self.max_absorbed;
        }
        opts.min_pass_rate = self.min_pass_rate;
        if let Some(g) = self.gap {
            opts.gap_tolerance = g.max(0.0);
        }
        opts.time_limit = self
            .time_limit
            .filter(|t| t.is_finite() && *t >= 0.0)
            .map(std::time::Duration::from_secs_f64);
        Ok((ws, opts))
    }
}

fn optimize_failed(
    e: &crate::optimize::OptimizeError,
    json: bool,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    use crate::optimize::OptimizeError;
    let _ = writeln!(err, "{}", e.message(lang));
    if let (true, OptimizeError::Infeasible(i)) = (json, e) {
        let v = serde_json::json!({
            "infeasible": true,
            "cause": i.cause,
            "floor": i.floor,
            "best_coverage": i.best_coverage,
            "min_pass_rate": i.min_pass_rate,
            "best_pass_rate": i.best_pass_rate,
        });
        let _ = writeln!(out, "{v:#}");
    }
    match e {
        OptimizeError::Cancelled => EXIT_USAGE,
        _ => EXIT_INPUT,
    }
}

fn optimize_cmd(
    args: &OptimizeArgs,
    floor: crate::optimize::Floor,
    path: &std::path::Path,
    json: bool,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    if let Err(code) = check_output(path, &args.input_files(), lang, err) {
        return code;
    }
    let (ws, mut opts) = match args.load(lang, err) {
        Ok(x) => x,
        Err(code) => return code,
    };
    opts.floor = floor;
    let sol = match crate::optimize::optimize_workspace(&ws, &opts, &|_| true) {
        Ok(s) => s,
        Err(e) => return optimize_failed(&e, json, lang, out, err),
    };
    let inv = &ws.imported.inventory;
    let model = ws.model();
    let resolved = sol.resolved(inv, &ws.manual);
    let mut rows = crate::export::plan_rows(&ws, &model, &resolved, &sol.outcome, lang);
    for r in &mut rows {
        r.reason = sol.reason(inv, r.site, &ws.manual, &opts, lang);
    }
    let report = &ws.imported.report;
    let write =
        |f: &mut crate::atomic::AtomicFile| crate::export::write_plan_csv(inv, &rows, f, lang);
    if json {
        if let Err(code) = write_quietly(path, lang, err, write) {
            return code;
        }
        return match writeln!(out, "{:#}", sol.to_json()) {
            Ok(()) => input_code(EXIT_OK, report),
            Err(_) => EXIT_USAGE,
        };
    }
    let o = &sol.outcome;
    let pct = crate::outcome::percent;
    let yuan = |v: f64| {
        crate::money::Money::from_f64(v)
            .unwrap_or_default()
            .grouped_yuan()
    };
    let _ = match lang {
        Lang::Zh => writeln!(
            out,
            "年节约 ¥{}（上界 ¥{}，差距 {:.3}%{}）\n合并 {} 个网站，保留 {} 个\n覆盖率 {} → {}（下限 {} 人）\n合格率 {} → {}\n用时 {:.3} 秒",
            yuan(sol.savings),
            yuan(sol.bound),
            sol.gap * 100.0,
            if sol.proven_optimal {
                "，已证明最优"
            } else {
                ""
            },
            sol.merged,
            o.sites.after,
            pct(o.coverage.before),
            pct(o.coverage.after),
            crate::outcome::count(sol.floor_persons as f64),
            pct(o.pass_rate.before),
            pct(o.pass_rate.after),
            sol.seconds
        ),
        Lang::En => writeln!(
            out,
            "annual savings ¥{} (bound ¥{}, gap {:.3}%{})\nmerged {} sites, {} kept\ncoverage {} → {} (floor {} residents)\npass rate {} → {}\ntime {:.3} s",
            yuan(sol.savings),
            yuan(sol.bound),
            sol.gap * 100.0,
            if sol.proven_optimal {
                ", proven optimal"
            } else {
                ""
            },
            sol.merged,
            o.sites.after,
            pct(o.coverage.before),
            pct(o.coverage.after),
            crate::outcome::count(sol.floor_persons as f64),
            pct(o.pass_rate.before),
            pct(o.pass_rate.after),
            sol.seconds
        ),
    };
    let mut notes: Vec<&crate::optimize::MergeNote> = sol.notes.iter().collect();
    notes.sort_by_key(|n| std::cmp::Reverse(n.savings));
    if !notes.is_empty() {
        let _ = writeln!(out, "{}", lang.pick("节约最多的合并：", "largest merges:"));
    }
    for n in notes.iter().take(10) {
        let _ = writeln!(
            out,
            "  {} {}: {}",
            inv.site(n.site).id,
            inv.site(n.site).name,
            n.render(inv, lang)
        );
    }
    let code = write_file(path, lang, out, err, write);
    input_code(code, report)
}

fn frontier_cmd(
    args: &OptimizeArgs,
    lowest: Option<crate::optimize::Floor>,
    points: usize,
    path: &std::path::Path,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    if let Err(code) = check_output(path, &args.input_files(), lang, err) {
        return code;
    }
    let (ws, opts) = match args.load(lang, err) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let f = match crate::optimize::frontier(
        &ws.imported.inventory,
        &ws.params,
        &ws.manual,
        &opts,
        lowest,
        points,
        &|_| true,
    ) {
        Ok(f) => f,
        Err(e) => return optimize_failed(&e, false, lang, out, err),
    };
    let pct = crate::outcome::percent;
    for p in &f.points {
        let _ = writeln!(
            out,
            "{:>7}  ¥{:>15}  {} ¥{:>15}  {:.3}%",
            pct(p.floor),
            crate::money::Money::from_f64(p.savings)
                .unwrap_or_default()
                .grouped_yuan(),
            lang.pick("上界", "bound"),
            crate::money::Money::from_f64(p.bound)
                .unwrap_or_default()
                .grouped_yuan(),
            p.gap * 100.0
        );
    }
    if f.omitted > 0 {
        let _ = writeln!(
            err,
            "{} {}",
            f.omitted,
            lang.pick(
                "个下限无可行方案，已略去",
                "floors without a feasible plan were left out"
            )
        );
    }
    let code = write_file(path, lang, out, err, |w| {
        crate::optimize::write_frontier_csv(&f, w, lang)
    });
    input_code(code, &ws.imported.report)
}
