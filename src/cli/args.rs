//! The words of the command line: the commands and their options (clap),
//! and the help, with each command's examples in the run's language.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::i18n::Lang;
use crate::inventory::ImportOptions;
use crate::workspace::Inputs;

use super::error::CliError;

/// `sitefold [FILE]` or `sitefold COMMAND …`; `--lang` goes anywhere.
#[derive(Parser, Debug)]
#[command(
    name = "sitefold",
    version,
    about = "Plan the consolidation of government websites: which sites close, where each folds to, and what it does to cost and coverage.",
    override_usage = "sitefold [FILE] [--lang zh|en]\n       sitefold <COMMAND> [OPTIONS] [--lang zh|en]"
)]
pub struct Cli {
    /// Inventory or project to open in the app (default: the bundled sample).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Language of messages and tables: zh or en (default: the system's, else zh).
    #[arg(long, global = true, value_parser = parse_lang)]
    pub lang: Option<Lang>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// Refuses a file to open in the app together with a command, and a
    /// lone word that is neither a file nor a command (a mistyped command).
    pub fn check(&self) -> Result<(), CliError> {
        match (&self.file, &self.command) {
            (Some(file), Some(_)) => Err(CliError::FileAndCommand { file: file.clone() }),
            (Some(file), None) if looks_like_a_command(file) => Err(CliError::NotAFileOrCommand {
                word: file.display().to_string(),
                commands: command_names(),
            }),
            _ => Ok(()),
        }
    }
}

/// A word with no extension and no folder that names no file: a command
/// mistyped rather than a file to open.
fn looks_like_a_command(file: &std::path::Path) -> bool {
    file.extension().is_none() && file.components().count() == 1 && !file.exists()
}

/// The names of the commands.
fn command_names() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language '{s}': use zh or en"))
}

/// The language the words ask for with `--lang`, before they are parsed
/// (for the help and for messages about the words themselves).
pub fn lang_asked(args: &[OsString]) -> Option<Lang> {
    let mut found = None;
    let mut words = args.iter().skip(1).map(|w| w.to_str());
    while let Some(word) = words.next() {
        match word {
            Some("--") => break,
            Some("--lang") => found = words.next().flatten().and_then(Lang::parse).or(found),
            Some(w) => {
                if let Some(v) = w.strip_prefix("--lang=") {
                    found = Lang::parse(v).or(found);
                }
            }
            None => {}
        }
    }
    found
}

/// Parses the words, with the help in `lang`.
pub fn parse(args: &[OsString], lang: Lang) -> Result<Cli, clap::Error> {
    let matches = command(lang).try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches)
}

/// The command line's clap command, with each command's examples
/// ([`super::examples`]) in `lang` after its help.
pub fn command(lang: Lang) -> clap::Command {
    with_examples(Cli::command(), "", lang)
}

fn with_examples(cmd: clap::Command, path: &str, lang: Lang) -> clap::Command {
    let cmd = match super::examples::help(path, lang) {
        Some(text) => cmd.after_help(text),
        None => cmd,
    };
    cmd.mut_subcommands(|sub| {
        let name = sub.get_name().to_string();
        let path = if path.is_empty() {
            name
        } else {
            format!("{path} {name}")
        };
        with_examples(sub, &path, lang)
    })
}

/// The inventory and the planner's files for it.
#[derive(clap::Args, Debug, Clone)]
pub struct PlanArgs {
    /// The inventory: CSV (UTF-8 or GBK), spreadsheet (.xlsx, .xls, .ods) or .sitefold project.
    pub inventory: PathBuf,
    /// Manual decisions (plan CSV: site_id, decision, target_id).
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// Rules (TOML, [[rules]]).
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Parameters (TOML).
    #[arg(long)]
    pub params: Option<PathBuf>,
    /// For spreadsheets: the sheet to read (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Which column each header holds, and what the file's values mean (TOML, as `sitefold map` writes it).
    #[arg(long)]
    pub map: Option<PathBuf>,
    /// Inspection round files (site_id, round, inspection_score or inspection_passed; CSV or a workbook): each site's latest round decides whether it passes, and rules may use failed_rounds = [k, n].
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub rounds: Vec<PathBuf>,
}

impl PlanArgs {
    /// The files to load.
    pub fn inputs(&self) -> Inputs {
        Inputs {
            inventory: self.inventory.clone(),
            plan: self.plan.clone(),
            rules: self.rules.clone(),
            params: self.params.clone(),
            import: ImportOptions {
                mapping: None,
                sheet: self.sheet.clone(),
                ..Default::default()
            },
            map: self.map.clone(),
            rounds: self.rounds.clone(),
        }
    }
}

/// The inputs of `optimize` and `frontier`.
#[derive(clap::Args, Debug, Clone)]
pub struct OptimizeArgs {
    /// The inventory: CSV (UTF-8 or GBK), spreadsheet (.xlsx, .xls, .ods) or .sitefold project.
    pub inventory: PathBuf,
    /// Decisions to lock as they are (plan CSV: site_id, decision, target_id).
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// Parameters (TOML).
    #[arg(long)]
    pub params: Option<PathBuf>,
    /// For spreadsheets: the sheet to read (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Which column each header holds, and what the file's values mean (TOML, as `sitefold map` writes it).
    #[arg(long)]
    pub map: Option<PathBuf>,
    /// Inspection round files (site_id, round, inspection_score or inspection_passed; CSV or a workbook): each site's latest round decides whether it passes, and rules may use failed_rounds = [k, n].
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub rounds: Vec<PathBuf>,
    /// Sites never merged: levels or level:kind pairs, or `none`.
    #[arg(long, default_value = crate::optimize::Protection::DEFAULT)]
    pub protect: String,
    /// No kept site absorbs more than N merged sites (default: the parameters' max_absorbed_per_target).
    #[arg(long)]
    pub max_absorbed: Option<u64>,
    /// Minimum pass rate after (fraction or percentage).
    #[arg(long, value_parser = parse_share)]
    pub min_pass_rate: Option<f64>,
    /// Stop once the gap to the bound is proven to be at most this fraction (default: 0, proven optimal, under 200,000 sites; 1e-6 above).
    #[arg(long)]
    pub gap: Option<f64>,
    /// Stop after this many seconds with the best plan found and its certified gap (default 60; 0: no limit).
    #[arg(long)]
    pub time_limit: Option<f64>,
}

impl OptimizeArgs {
    /// The files to load (no rules: the optimizer decides what they would).
    pub fn inputs(&self) -> Inputs {
        Inputs {
            inventory: self.inventory.clone(),
            plan: self.plan.clone(),
            rules: None,
            params: self.params.clone(),
            import: ImportOptions {
                mapping: None,
                sheet: self.sheet.clone(),
                ..Default::default()
            },
            map: self.map.clone(),
            rounds: self.rounds.clone(),
        }
    }
}

/// The schedule's inputs and limits (`schedule`); each given here
/// replaces the parameters' own.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ScheduleArgs {
    /// Closure quarters set by hand (CSV or a workbook: site_id, quarter); they stay, and the scheduler gives the other merged sites theirs.
    #[arg(long, value_name = "FILE")]
    pub schedule: Option<PathBuf>,
    /// At most N closures in one quarter (default: the parameters' max_closures_per_quarter, else no limit).
    #[arg(long, value_name = "N")]
    pub max_closures_per_quarter: Option<u64>,
    /// At most N closures into one receiving site in one quarter.
    #[arg(long, value_name = "N")]
    pub max_closures_per_target_per_quarter: Option<u64>,
    /// At most this much one-time spending in a calendar year, in yuan (`300000`, `30万`).
    #[arg(long, value_name = "YUAN", value_parser = parse_yuan)]
    pub max_one_time_per_year: Option<crate::money::Money>,
    /// The first quarter: 2027Q1 or 2027年第1季度 (default: the parameters' start_quarter, else the quarter after today).
    #[arg(long, value_name = "QUARTER")]
    pub start: Option<crate::timeline::Quarter>,
    /// Years covered from the start (default: the parameters' horizon_years, else 5).
    #[arg(long, value_name = "YEARS", value_parser = clap::value_parser!(u32).range(1..=i64::from(crate::plan::MAX_HORIZON_YEARS)))]
    pub horizon: Option<u32>,
}

impl ScheduleArgs {
    /// Sets the start, horizon and limits given in `params`.
    pub fn apply(&self, params: &mut crate::plan::TimelineParams) {
        if let Some(q) = self.start {
            params.start_quarter = Some(q);
        }
        if let Some(y) = self.horizon {
            params.horizon_years = y;
        }
        if let Some(n) = self.max_closures_per_quarter {
            params.max_closures_per_quarter = Some(n);
        }
        if let Some(n) = self.max_closures_per_target_per_quarter {
            params.max_closures_per_target_per_quarter = Some(n);
        }
        if let Some(m) = self.max_one_time_per_year {
            params.max_one_time_per_year = Some(m);
        }
    }
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
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
        /// Write the summary to this file instead: .csv (UTF-8 with BOM, with the areas) or .json (with --json: .json only).
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
        /// Which column each header holds, and what the file's values mean (TOML, as `sitefold map` writes it).
        #[arg(long)]
        map: Option<PathBuf>,
        /// Also write the issues to this .csv file (UTF-8 with BOM).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write the per-site plan: a CSV table, an Excel workbook, or a project.
    Plan {
        #[command(flatten)]
        args: PlanArgs,
        /// Where to write it: .csv (UTF-8 with BOM, readable by --plan), .xlsx (workbook with the summary and charts) or .sitefold (a project, as `project new`).
        #[arg(long)]
        out: PathBuf,
    },
    /// Write the report: a Word document (.docx) of what the plan does, for circulating.
    Report {
        #[command(flatten)]
        args: PlanArgs,
        /// Closure quarters (CSV or a workbook: site_id, quarter, as `schedule --out` writes it): the report gains the schedule and cash flow (a project's own schedule is used without it).
        #[arg(long, value_name = "FILE")]
        schedule: Option<PathBuf>,
        /// Where to write the report (.docx).
        #[arg(long)]
        out: PathBuf,
    },
    /// Draw a dashboard chart to a PNG or SVG file.
    Chart {
        #[command(flatten)]
        args: PlanArgs,
        /// cost-by-level, coverage-by-level, budget-vs-score, target-load, or the timeline's cash-flow and closures (drawn from the schedule a project holds: see `schedule --out X.sitefold`).
        #[arg(long, value_parser = parse_chart_kind)]
        kind: crate::charts::ChartKind,
        /// Where to write the chart: .png or .svg.
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
        /// Where to write the inventory (.csv).
        #[arg(long)]
        out: PathBuf,
    },
    /// Read several inventory files (one per prefecture, say; CSV in UTF-8 or GBK, or workbooks; Chinese or English headers) into one inventory: each file's own problems, how many sites each gave, and every site_id found in two files, field by field. Parents may be in another file. Exit 1 when rows were rejected or cells bad, or, with --on-conflict report, when a site is in two files (the output is still written).
    Assemble(AssembleArgs),
    /// Write a starting column mapping for a file (TOML, for --map): every header Sitefold recognised, the others to fill in.
    Map {
        /// The inventory file (CSV or spreadsheet).
        file: PathBuf,
        /// For spreadsheets: the sheet to read (default: the first).
        #[arg(long)]
        sheet: Option<String>,
        /// Where to write the mapping (.toml).
        #[arg(long)]
        out: PathBuf,
    },
    /// Write an empty inventory with the Chinese headers, to fill in Excel.
    Template {
        /// Where to write it (.csv).
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
        /// Where to write the plan: .csv (readable by --plan, with each merge's reason) or .sitefold (a project with the plan applied, to open in the app); without it only the figures are printed.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print savings, coverage, pass_rate, merged, bound, gap, proven_optimal, stopped_by (gap, time or cancel), seconds as JSON.
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
        /// Where to write the frontier (.csv).
        #[arg(long)]
        out: PathBuf,
    },
    /// When each merged site closes, and the cash flow: per quarter and year, one-time spending, savings, net and running total, the payback quarter, each year's budget by level.
    Schedule {
        #[command(flatten)]
        args: PlanArgs,
        #[command(flatten)]
        schedule: ScheduleArgs,
        /// Print the cash flow as JSON (quarters, years, payback_quarter, unscheduled).
        #[arg(long)]
        json: bool,
        /// Also write the whole schedule: .csv (site_id,quarter; reads back with --schedule), .xlsx (the plan workbook with the Schedule and Cash flow sheets) or .sitefold (a project with the schedule).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write the redirect map of the closing sites: each old address to the address of the site that serves its citizens after the plan (chains of merges followed to the kept site), as CSV, an nginx map or an Apache RewriteMap; the sites whose redirect cannot be made are listed.
    Redirects {
        #[command(flatten)]
        args: PlanArgs,
        /// Closure quarters (CSV or a workbook: site_id, quarter), for the CSV's quarter column.
        #[arg(long, value_name = "FILE")]
        schedule: Option<PathBuf>,
        /// The new address: a pattern with {target_url} (the default), {target_host}, {target_path}, {target_id}, {site_id}, {old_host}, {old_path}; it starts with http://, https:// or {target_url} (default: the project's pattern, else {target_url}).
        #[arg(long, value_name = "PATTERN")]
        pattern: Option<String>,
        /// csv, nginx or apache (default: from the extension of --out: .csv, .conf or .nginx, .txt).
        #[arg(long, value_parser = parse_redirect_format)]
        format: Option<crate::execution::redirects::RedirectFormat>,
        /// Where to write the map (default: standard output, with --format).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write a draft closure notice (公告) for every closing site, from a template: a folder of text files (one per site), a CSV table or an Excel workbook.
    Notices {
        #[command(flatten)]
        args: PlanArgs,
        /// Closure quarters (CSV: site_id, quarter): a notice's closing date is the last day of its quarter (a blank to fill when it has none).
        #[arg(long, value_name = "FILE")]
        schedule: Option<PathBuf>,
        /// The notice template: a text file with {site_name}, {site_id}, {site_url}, {closing_date}, {closing_quarter}, {target_name}, {target_id}, {target_url}, {publisher} (or their Chinese names); default: the project's, else the built-in one in the --lang language.
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
        /// Who publishes the notices (default: each receiving site's name).
        #[arg(long, value_name = "NAME")]
        publisher: Option<String>,
        /// Where to write: a folder (one .txt per site, UTF-8 with BOM, made when missing), a .csv or an .xlsx file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a project file, or say what one holds.
    #[command(subcommand)]
    Project(ProjectCommand),
    /// Closure progress of a project: record a progress sheet returned by a prefecture (every line recorded or listed with why) or one change by hand, and report done, in progress, not started and overdue by prefecture and level. Exit 1 when a line was rejected (the others are recorded).
    Status(StatusArgs),
    /// A project's audit trail: every decision, closure quarter and status change with when, who and why; all of it or one site's, as a table, JSON (--json) or CSV (--out).
    Audit(AuditArgs),
    /// Inspection rounds (--rounds, at least one file): each round's pass rate by level, and the sites that newly failed or recovered between the last two rounds (as the app's Rounds tab); JSON with --json, the changes as CSV with --out.
    Rounds {
        #[command(flatten)]
        args: PlanArgs,
        /// Print the rounds and the changes as JSON.
        #[arg(long)]
        json: bool,
        /// Write the sites that newly failed or recovered to this .csv file (UTF-8 with BOM).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// `assemble`: the files, what to do when a site is in two of them, and
/// where to write the inventory.
#[derive(clap::Args, Debug)]
pub struct AssembleArgs {
    /// The inventory files, in order (with --on-conflict last or newer, a later file's row wins): CSV (UTF-8 or GBK) or workbooks (.xlsx, .xls, .ods).
    #[arg(required = true, num_args = 1.., value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// A column mapping (TOML, as `sitefold map` writes it) for the files whose headers Sitefold does not recognise; its value maps serve every file.
    #[arg(long)]
    pub map: Option<PathBuf>,
    /// For workbooks: the sheet to read (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// When a site_id is in several files: report (keep the first file's row for now, list every conflict field by field, exit 1), first, last, or newer (the row with an inspection result or score; between two with one, or two without, the later file's).
    #[arg(long, value_name = "report|first|last|newer", default_value = "report", value_parser = super::assemble::parse_on_conflict)]
    pub on_conflict: super::assemble::OnConflict,
    /// Where to write the inventory: .csv (UTF-8 with BOM, headers in the language of --lang), .xlsx (a workbook with the same columns) or .sitefold (a project that keeps the list of files and each file's report).
    #[arg(long)]
    pub out: PathBuf,
    /// Print the counts per file and the conflicts as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `audit`: which entries, and where.
#[derive(clap::Args, Debug)]
pub struct AuditArgs {
    /// The project (.sitefold).
    pub project: PathBuf,
    /// Only the entries about this site.
    #[arg(long, value_name = "SITE_ID")]
    pub site: Option<String>,
    /// Only entries of this kind: decision, optimizer, schedule, status, note, rules, params, sites, scenario, import, undo or redo.
    #[arg(long, value_parser = super::audit::parse_action)]
    pub action: Option<crate::execution::AuditAction>,
    /// Print the entries as JSON.
    #[arg(long, conflicts_with = "out")]
    pub json: bool,
    /// Write the entries to a CSV file (UTF-8 with BOM, as Excel opens it) instead.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `status`: what to record and what to report.
#[derive(clap::Args, Debug, Clone)]
pub struct StatusArgs {
    /// The project (.sitefold); what is recorded is saved back into it.
    pub project: PathBuf,
    /// A progress sheet to record: CSV (UTF-8 or GBK) or a workbook (.xlsx, .xls, .ods) with site_id, status and date columns, optionally note and person (Chinese or English headers).
    #[arg(long, value_name = "FILE", conflicts_with = "set")]
    pub import: Option<PathBuf>,
    /// For a workbook: the sheet to read (default: the first).
    #[arg(long, requires = "import")]
    pub sheet: Option<String>,
    /// Record one change by hand: the site and its new status (a key or a name in either language: offline, 已下线).
    #[arg(long, num_args = 2, value_names = ["SITE_ID", "STATUS"])]
    pub set: Option<Vec<String>>,
    /// With --set: the day it happened (default: today).
    #[arg(long, requires = "set")]
    pub date: Option<String>,
    /// With --set: a note (what was done, or why).
    #[arg(long, requires = "set")]
    pub note: Option<String>,
    /// Who records the changes (default: the account name); a sheet's person column wins for its lines.
    #[arg(long)]
    pub person: Option<String>,
    /// Check every line and say what would be recorded, but save nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Replace the project's statuses with those of this file (TOML: offline = "KEY" and [[stages]] with key, zh and en, in the order of the procedure), before anything is recorded.
    #[arg(long, value_name = "FILE")]
    pub workflow: Option<PathBuf>,
    /// Print the progress (done anyway when nothing is imported or set).
    #[arg(long)]
    pub report: bool,
    /// Print the progress as JSON (today, by_area, by_level, total, overdue).
    #[arg(long)]
    pub json: bool,
    /// Also write the progress to this file: .csv (counts in total, by level and by area) or .json.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The day to work the progress out for; no change may be dated after the day after it (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<crate::execution::Date>,
}

impl StatusArgs {
    /// True when the progress is printed: asked for, or nothing recorded.
    pub fn reports(&self) -> bool {
        self.report
            || self.json
            || self.out.is_some()
            || (self.import.is_none() && self.set.is_none() && self.workflow.is_none())
    }
}

/// `sitefold project …`.
#[derive(Subcommand, Debug)]
pub enum ProjectCommand {
    /// Write a project (.sitefold) from an inventory and its decisions, rules and parameters, to open in the app.
    New {
        #[command(flatten)]
        args: PlanArgs,
        /// Where to write the project (.sitefold).
        #[arg(long)]
        out: PathBuf,
    },
    /// Say what a project holds: its sites, decisions, rules, plan and scenarios.
    Show {
        /// The project (.sitefold).
        project: PathBuf,
    },
}

fn parse_date(s: &str) -> Result<crate::execution::Date, String> {
    crate::execution::Date::parse(s)
        .ok_or_else(|| format!("invalid date '{s}': write YYYY-MM-DD, e.g. 2027-06-30"))
}

fn parse_chart_kind(s: &str) -> Result<crate::charts::ChartKind, String> {
    crate::charts::ChartKind::from_key(s).ok_or_else(|| {
        let keys: Vec<&str> = crate::charts::ChartKind::EVERY
            .iter()
            .map(|k| k.key())
            .collect();
        format!("unknown chart '{s}': use {}", keys.join(", "))
    })
}

fn parse_redirect_format(s: &str) -> Result<crate::execution::redirects::RedirectFormat, String> {
    crate::execution::redirects::RedirectFormat::from_key(s)
        .ok_or_else(|| format!("unknown format '{s}': use csv, nginx or apache"))
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

fn parse_floor(s: &str) -> Result<crate::optimize::Floor, String> {
    crate::optimize::Floor::parse(s).ok_or_else(|| {
        format!("invalid coverage floor '{s}': use a fraction 0–1, a percentage, or current")
    })
}

fn parse_yuan(s: &str) -> Result<crate::money::Money, String> {
    match crate::money::Money::parse(s) {
        Ok(Some(m)) if m <= crate::money::Money::yuan(crate::money::MAX_AMOUNT) => Ok(m),
        _ => Err(format!(
            "invalid amount '{s}': use yuan at or above 0, e.g. 300000 or 30万"
        )),
    }
}

fn parse_share(s: &str) -> Result<f64, String> {
    match crate::optimize::Floor::parse(s) {
        Some(crate::optimize::Floor::Fraction(f)) => Ok(f),
        _ => Err(format!(
            "invalid share '{s}': use a fraction 0–1 or a percentage"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<OsString> {
        std::iter::once("sitefold")
            .chain(line.split_whitespace())
            .map(OsString::from)
            .collect()
    }

    /// The language read before parsing is the one clap parses, wherever
    /// `--lang` is.
    #[test]
    fn lang_asked_agrees_with_clap() {
        for line in [
            "--lang en validate a.csv",
            "validate a.csv --lang en",
            "--lang=zh summary a.csv --json",
            "summary a.csv --lang=en --json",
            "project new a.csv --out b.sitefold --lang en",
            "a.csv --lang en",
            "--lang en",
            "summary a.csv",
            "",
        ] {
            let args = words(line);
            let cli = parse(&args, Lang::Zh).expect(line);
            assert_eq!(lang_asked(&args), cli.lang, "{line}");
        }
        // After `--`, words are values, not options.
        assert_eq!(lang_asked(&words("gui -- --lang en")), None);
    }

    #[test]
    fn a_file_with_a_command_or_a_bare_unknown_word_is_refused() {
        let cli = parse(&words("a.csv summary a.csv"), Lang::En).expect("parses");
        assert!(matches!(cli.check(), Err(CliError::FileAndCommand { .. })));
        let cli = parse(&words("sumary"), Lang::En).expect("parses");
        assert!(matches!(
            cli.check(),
            Err(CliError::NotAFileOrCommand { .. })
        ));
        for line in ["a.csv", "folder/plan", "", "summary a.csv"] {
            let cli = parse(&words(line), Lang::En).expect(line);
            assert!(cli.check().is_ok(), "{line}");
        }
    }
}
