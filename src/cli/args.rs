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
    /// Sites never merged: levels or level:kind pairs, or `none`.
    #[arg(long, default_value = crate::optimize::Protection::DEFAULT)]
    pub protect: String,
    /// No kept site absorbs more than N merged sites (default: the parameters' max_absorbed_per_target).
    #[arg(long)]
    pub max_absorbed: Option<u64>,
    /// Minimum pass rate after (fraction or percentage).
    #[arg(long, value_parser = parse_share)]
    pub min_pass_rate: Option<f64>,
    /// Stop once the gap to the bound is proven to be at most this fraction (default: 0, proven optimal, under 10,000 sites; 1e-6 above).
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
    /// Draw a dashboard chart to a PNG or SVG file.
    Chart {
        #[command(flatten)]
        args: PlanArgs,
        /// cost-by-level, coverage-by-level, budget-vs-score or target-load.
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
        /// Where to write the plan: .csv (readable by --plan, with each merge's reason) or .sitefold (a project with the plan applied, to open in the app).
        #[arg(long)]
        out: PathBuf,
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
    /// Write a project file, or say what one holds.
    #[command(subcommand)]
    Project(ProjectCommand),
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
