//! The `sitefold` command line: the same core functions as the app.
//!
//! [`run_with`] parses the words ([`args`]), runs the command, and turns
//! what went wrong into a message and an exit code in one place
//! ([`CliError::message`], [`CliError::exit_code`]). Every command that
//! writes a file picks its format from the file's extension, or refuses
//! it, through [`output::output_format`].

mod args;
mod assemble;
mod audit;
mod commands;
mod error;
mod examples;
mod execution;
mod inputs;
mod optimize;
mod output;
mod project;
mod report;
mod rounds;
mod schedule;
mod schedule_text;
mod status;

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use crate::i18n::Lang;

use args::{Command, ProjectCommand};
pub use error::{CliError, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
pub use examples::{EXAMPLES, Example};
pub use output::Format;

pub use crate::sample::{SAMPLE_CSV, SAMPLE_NAME, sample};

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

/// Runs the command line with its own output streams.
pub fn run<I, T>(args: I) -> Run
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let stdout = std::io::stdout();
    // stderr is not held locked for the whole run: a panic on a worker
    // thread must be able to print its message.
    run_with(args, &mut stdout.lock(), &mut std::io::stderr())
}

/// Runs the command line, writing to `out` and `err`: the one place where
/// an error becomes a message and an exit code.
pub fn run_with<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> Run
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let lang = args::lang_asked(&args).unwrap_or_else(Lang::from_environment);
    match try_run(&args, lang, out, err) {
        Ok(run) => run,
        Err(e) => {
            if let Some(message) = e.message(lang) {
                let _ = writeln!(err, "{message}");
            }
            Run::Exit(e.exit_code())
        }
    }
}

/// Parses the words and runs what they ask for.
fn try_run(
    args: &[OsString],
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Run, CliError> {
    let cli = match args::parse(args, lang) {
        Ok(cli) => cli,
        // --help and --version: what was asked for, on standard output.
        Err(e) if !e.use_stderr() => {
            write!(out, "{e}").map_err(CliError::Stdout)?;
            return Ok(Run::Exit(EXIT_OK));
        }
        Err(e) => return Err(CliError::Usage(e)),
    };
    cli.check()?;
    match cli.command {
        None => Ok(Run::Gui {
            file: cli.file,
            lang: cli.lang,
        }),
        Some(command) => execute(command, cli.lang, lang, out, err),
    }
}

/// Runs a command (`gui`: says to open the app, in the language `asked`).
fn execute(
    command: Command,
    asked: Option<Lang>,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Run, CliError> {
    let done = match command {
        Command::Gui { file } => return Ok(Run::Gui { file, lang: asked }),
        Command::Summary {
            args,
            json,
            by_area,
            out: None,
        } => commands::summary(&args, json, by_area, lang, out, err),
        Command::Summary {
            args,
            json,
            by_area,
            out: Some(path),
        } => commands::write_summary(&args, json, by_area, &path, lang, out, err),
        Command::Validate {
            inventory,
            sheet,
            map,
            out: path,
        } => commands::validate(
            &inventory,
            sheet,
            map.as_deref(),
            path.as_deref(),
            lang,
            out,
        ),
        Command::Map {
            file,
            sheet,
            out: path,
        } => commands::map(&file, sheet, &path, lang, out),
        Command::Plan { args, out: path } => commands::write_plan(&args, &path, lang, out, err),
        Command::Report {
            args,
            schedule,
            out: path,
        } => report::report(&args, schedule.as_deref(), &path, lang, out, err),
        Command::Chart {
            args,
            kind,
            out: path,
            size,
        } => commands::chart(&args, kind, &path, size, lang, out, err),
        Command::Generate {
            sites,
            seed,
            out: path,
        } => commands::generate(sites, seed, &path, lang, out),
        Command::Template { out: path } => commands::template(&path, lang, out),
        Command::Optimize {
            args,
            coverage_floor,
            out: path,
            json,
        } => optimize::optimize(&args, coverage_floor, path.as_deref(), json, lang, out, err),
        Command::Frontier {
            args,
            coverage_floor,
            points,
            out: path,
        } => optimize::frontier(&args, coverage_floor, points, &path, lang, out, err),
        Command::Schedule {
            args,
            schedule: timeline,
            json,
            out: path,
        } => schedule::schedule(&args, &timeline, json, path.as_deref(), lang, out, err),
        Command::Redirects {
            args,
            schedule,
            pattern,
            format,
            out: path,
        } => execution::redirects(
            &args,
            schedule.as_deref(),
            pattern.as_deref(),
            format,
            path.as_deref(),
            lang,
            out,
            err,
        ),
        Command::Notices {
            args,
            schedule,
            template,
            publisher,
            out: path,
        } => execution::notices(
            &args,
            schedule.as_deref(),
            template.as_deref(),
            publisher.as_deref(),
            &path,
            lang,
            out,
            err,
        ),
        Command::Project(ProjectCommand::New { args, out: path }) => {
            project::new(&args, &path, lang, out, err)
        }
        Command::Project(ProjectCommand::Show { project: path }) => {
            project::show(&path, lang, out, err)
        }
        Command::Status(args) => status::status(&args, lang, out, err),
        Command::Audit(args) => audit::audit(&args, lang, out, err),
        Command::Assemble(args) => assemble::assemble(&args, lang, out, err),
        Command::Rounds {
            args,
            json,
            out: path,
        } => rounds::rounds(&args, json, path.as_deref(), lang, out, err),
    };
    done.map(|()| Run::Exit(EXIT_OK))
}
