//! Why a command did not succeed, and the one place that says which exit
//! code that is ([`CliError::exit_code`]).

use std::path::PathBuf;

use crate::i18n::{Lang, Text};
use crate::workspace::LoadError;

use super::inputs::Role;
use super::output::Format;

/// Exit code: done.
pub const EXIT_OK: i32 = 0;
/// Exit code: bad content. A file that cannot be used as what it was given
/// for, rows rejected or cells bad (the command still wrote its output),
/// validation findings, no plan meeting the constraints.
pub const EXIT_INPUT: i32 = 1;
/// Exit code: usage errors, unreadable files, outputs that cannot be
/// written (or would replace an input).
pub const EXIT_USAGE: i32 = 2;

/// Why a command did not succeed. Each is reported once, by
/// [`super::run_with`], in the run's language ([`CliError::message`]).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message(Lang::En).unwrap_or_default())]
pub enum CliError {
    /// The words do not make a command (clap's own message).
    Usage(clap::Error),
    /// A file to open in the app and a command, together.
    FileAndCommand {
        /// The file.
        file: PathBuf,
    },
    /// A word that names neither a command nor an existing file.
    NotAFileOrCommand {
        /// The word.
        word: String,
        /// The commands there are.
        commands: Vec<String>,
    },
    /// An option's value is wrong.
    BadOption {
        /// The option (`--protect`).
        option: &'static str,
        /// What is wrong.
        message: Text,
    },
    /// An inventory, plan, rules, parameters or project file could not be
    /// used at all.
    Load(#[from] LoadError),
    /// The output is one of the inputs: writing it would replace it.
    OutputIsInput {
        /// The output, as given.
        output: PathBuf,
        /// What the input is.
        role: Role,
        /// The input, as given.
        input: PathBuf,
    },
    /// The output's extension names no format the command writes.
    UnsupportedOutput {
        /// The output.
        path: PathBuf,
        /// The command (`plan`, `summary --json`).
        command: &'static str,
        /// What it can write.
        formats: &'static [Format],
    },
    /// The chart's folder does not exist (checked before it is drawn).
    NoFolder {
        /// The output.
        path: PathBuf,
        /// The missing folder.
        dir: PathBuf,
    },
    /// A file could not be written (the previous one, if any, is untouched).
    Write {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A project could not be saved.
    SaveProject(crate::project::ProjectError),
    /// A workbook could not be written.
    Workbook(crate::export::ExportError),
    /// A chart could not be drawn or written.
    Chart {
        /// The file.
        path: PathBuf,
        /// Why.
        error: crate::charts::ChartError,
    },
    /// The optimizer returned no plan.
    Optimize(crate::optimize::OptimizeError),
    /// Standard output could not be written (a closed pipe: exit 2 without
    /// a message).
    Stdout(std::io::Error),
    /// The command finished, but its inputs had problems: rows rejected,
    /// cells bad, or validation findings. They were listed as found, so
    /// there is nothing more to say.
    Findings,
}

impl CliError {
    /// The process's exit code for this error.
    pub fn exit_code(&self) -> i32 {
        use crate::optimize::OptimizeError;
        match self {
            CliError::Load(e) if !e.is_unreadable() => EXIT_INPUT,
            CliError::Optimize(OptimizeError::Cancelled) => EXIT_USAGE,
            CliError::Optimize(_) | CliError::Findings => EXIT_INPUT,
            CliError::Usage(_)
            | CliError::FileAndCommand { .. }
            | CliError::NotAFileOrCommand { .. }
            | CliError::BadOption { .. }
            | CliError::Load(_)
            | CliError::OutputIsInput { .. }
            | CliError::UnsupportedOutput { .. }
            | CliError::NoFolder { .. }
            | CliError::Write { .. }
            | CliError::SaveProject(_)
            | CliError::Workbook(_)
            | CliError::Chart { .. }
            | CliError::Stdout(_) => EXIT_USAGE,
        }
    }

    /// What the planner reads on standard error, in `lang`; `None` when
    /// everything was already said (the findings, as they were found).
    pub fn message(&self, lang: Lang) -> Option<String> {
        let zh = lang == Lang::Zh;
        Some(match self {
            CliError::Usage(e) => e.to_string().trim_end().to_string(),
            CliError::FileAndCommand { file } => match lang {
                Lang::Zh => format!(
                    "{}：要在应用中打开文件，只写 sitefold 文件名；要运行命令，把文件写在命令之后（sitefold --help 列出所有命令）",
                    file.display()
                ),
                Lang::En => format!(
                    "{}: to open a file in the app, give only the file; to run a command, put the file after the command (sitefold --help lists the commands)",
                    file.display()
                ),
            },
            CliError::NotAFileOrCommand { word, commands } => match lang {
                Lang::Zh => format!(
                    "“{word}”既不是命令，也不是已有的文件。命令有：{}（sitefold --help 说明每个命令）",
                    commands.join("、")
                ),
                Lang::En => format!(
                    "'{word}' is neither a command nor an existing file. The commands are: {} (sitefold --help explains each)",
                    commands.join(", ")
                ),
            },
            CliError::BadOption { option, message } => {
                format!("{option}: {}", message.get(lang))
            }
            CliError::Load(e) => e.message(lang),
            CliError::OutputIsInput {
                output,
                role,
                input,
            } => match lang {
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
            },
            CliError::UnsupportedOutput {
                path,
                command,
                formats,
            } => unsupported_output(path, command, formats, lang),
            CliError::NoFolder { path, dir } => format!(
                "{}: {} {}",
                path.display(),
                lang.pick(
                    "无法写入图表：文件夹不存在",
                    "cannot write the chart: no such folder"
                ),
                dir.display()
            ),
            CliError::Write { path, source } => {
                let why = crate::atomic::describe(source, lang);
                if zh {
                    format!("{}：无法写入：{why}", path.display())
                } else {
                    format!("{}: cannot write: {why}", path.display())
                }
            }
            CliError::SaveProject(e) => e.message(lang),
            CliError::Workbook(e) => e.message(lang),
            CliError::Chart { path, error } => {
                let what = lang.pick("无法写入图表：", "cannot write the chart:");
                let shown = path.display().to_string();
                let why = error.message(lang);
                if error.names_file() {
                    format!("{what} {why}")
                } else {
                    format!("{shown}: {what} {why}")
                }
            }
            CliError::Optimize(e) => e.message(lang),
            // The reader went away (`| head`): nobody is left to tell.
            CliError::Stdout(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return None,
            CliError::Stdout(e) => format!(
                "{}{e}",
                lang.pick("无法写入标准输出：", "cannot write to standard output: ")
            ),
            CliError::Findings => return None,
        })
    }
}

/// `path: plan cannot write a .png file; it writes .csv (CSV table) or …`
fn unsupported_output(
    path: &std::path::Path,
    command: &str,
    formats: &[Format],
    lang: Lang,
) -> String {
    let list: Vec<String> = formats
        .iter()
        .map(|f| match lang {
            Lang::Zh => format!(".{}（{}）", f.extension(), f.name(lang)),
            Lang::En => format!(".{} ({})", f.extension(), f.name(lang)),
        })
        .collect();
    let list = match (lang, list.split_last()) {
        (_, None) => String::new(),
        (_, Some((last, []))) => last.clone(),
        (Lang::Zh, Some((last, rest))) => format!("{}或 {last}", rest.join("、")),
        (Lang::En, Some((last, rest))) => format!("{} or {last}", rest.join(", ")),
    };
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .filter(|e| !e.is_empty());
    let shown = path.display();
    match (lang, ext) {
        (Lang::Zh, Some(ext)) => format!(
            "{shown}：{command} 不能写出 .{ext} 文件，它写出 {list}；请改用其中一种扩展名（未写入任何文件）"
        ),
        (Lang::Zh, None) => format!(
            "{shown}：输出文件没有扩展名；{command} 写出 {list}，请加上其中一种扩展名（未写入任何文件）"
        ),
        (Lang::En, Some(ext)) => format!(
            "{shown}: {command} cannot write a .{ext} file; it writes {list}: name the output with one of these extensions (nothing was written)"
        ),
        (Lang::En, None) => format!(
            "{shown}: the output has no extension; {command} writes {list}: name the output with one of these extensions (nothing was written)"
        ),
    }
}
