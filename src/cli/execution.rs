//! Carrying the plan out: `redirects` (the redirect map of the closing
//! sites) and `notices` (their closure notices). Both write through the
//! same export as the app ([`crate::export::write_export`]).

use std::io::Write;
use std::path::Path;

use crate::execution::notices::{ClosingDate, NoticeFormat, NoticeTemplate, Notices};
use crate::execution::placeholders::TemplateError;
use crate::execution::redirects::{RedirectFormat, RedirectMap, RedirectPattern};
use crate::export::{ExportError, FileExport};
use crate::i18n::{Lang, Text};
use crate::workspace::Workspace;

use super::args::PlanArgs;
use super::error::CliError;
use super::inputs::{Role, findings, input_files, load};
use super::output::{refuse_input, wrote};

/// Failures listed on standard error at most, before a count of the rest.
const SHOWN: usize = 20;

/// A template's error as an option's.
fn template_error(option: &'static str, file: Option<&Path>, e: &TemplateError) -> CliError {
    let located = |lang: Lang| match file {
        Some(f) => format!("{}: {}", f.display(), e.message(lang)),
        None => e.message(lang),
    };
    CliError::BadOption {
        option,
        message: Text::new(located(Lang::Zh), located(Lang::En)),
    }
}

fn bad_option(option: &'static str, zh: String, en: String) -> CliError {
    CliError::BadOption {
        option,
        message: Text::new(zh, en),
    }
}

/// The format of the map: `--format`, else the extension of `--out`; a
/// format the extension contradicts is refused.
fn redirect_format(
    format: Option<RedirectFormat>,
    path: Option<&Path>,
) -> Result<RedirectFormat, CliError> {
    let ext = path
        .and_then(Path::extension)
        .map(|e| e.to_string_lossy().into_owned());
    let by_ext = ext.as_deref().and_then(RedirectFormat::from_extension);
    match (format, path, by_ext) {
        (Some(f), Some(p), Some(e)) if f != e => Err(bad_option(
            "--format",
            format!(
                "--format {} 与输出文件 {} 的扩展名（{}）不符；请改用 .{} 或去掉 --format",
                f.key(),
                p.display(),
                e.name(Lang::Zh),
                f.extension()
            ),
            format!(
                "--format {} does not match the extension of {} ({}): name it .{} or leave --format out",
                f.key(),
                p.display(),
                e.name(Lang::En),
                f.extension()
            ),
        )),
        (Some(f), _, _) | (None, Some(_), Some(f)) => Ok(f),
        (None, Some(p), None) => Err(bad_option(
            "--format",
            format!(
                "无法从 {} 的扩展名判断格式：请写 --format csv、nginx 或 apache（或把文件命名为 .csv、.conf、.txt）",
                p.display()
            ),
            format!(
                "the extension of {} does not say which format: give --format csv, nginx or apache (or name the file .csv, .conf or .txt)",
                p.display()
            ),
        )),
        (None, None, _) => Err(bad_option(
            "--format",
            "要输出到屏幕，请用 --format csv、nginx 或 apache 指明格式（或用 --out 指定文件）".into(),
            "to print the map, say which format with --format csv, nginx or apache (or write a file with --out)".into(),
        )),
    }
}

/// Loads the inputs and reads `--schedule` when given, listing on `err`
/// what was wrong in them.
fn load_with_schedule(
    args: &PlanArgs,
    schedule: Option<&Path>,
    lang: Lang,
    err: &mut dyn Write,
) -> Result<Workspace, CliError> {
    let mut ws = load(&args.inputs(), lang, err)?;
    if let Some(file) = schedule {
        let before = ws.file_issues.len();
        ws.read_schedule_file(file)?;
        for issue in &ws.file_issues[before..] {
            let _ = writeln!(err, "{}", issue.render(lang));
        }
    }
    Ok(ws)
}

/// The inputs, with the schedule and the template when given.
fn inputs_with<'a>(
    inputs: &'a crate::workspace::Inputs,
    schedule: Option<&'a Path>,
    template: Option<&'a Path>,
) -> Vec<(Role, &'a Path)> {
    let mut files = input_files(inputs);
    files.extend(schedule.map(|s| (Role::Schedule, s)));
    files.extend(template.map(|t| (Role::Template, t)));
    files
}

/// `redirects`: the redirect map, to `path` or standard output; the
/// closing sites whose redirect cannot be made listed on `err` (exit 1
/// when there are any).
#[allow(clippy::too_many_arguments)]
pub fn redirects(
    args: &PlanArgs,
    schedule: Option<&Path>,
    pattern: Option<&str>,
    format: Option<RedirectFormat>,
    path: Option<&Path>,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    if let Some(p) = pattern {
        RedirectPattern::parse(p).map_err(|e| template_error("--pattern", None, &e))?;
    }
    let format = redirect_format(format, path)?;
    let inputs = args.inputs();
    if let Some(p) = path {
        refuse_input(p, &inputs_with(&inputs, schedule, None))?;
    }
    let mut ws = load_with_schedule(args, schedule, lang, err)?;
    if let Some(p) = pattern {
        ws.execution.redirect_pattern = p.to_string();
    }
    let pattern = RedirectPattern::of(&ws.execution)
        .map_err(|e| CliError::Workbook(ExportError::Template(e)))?;
    let model = ws.model();
    let (resolved, outcome) = ws.evaluate_with(&model);
    let plan = crate::timeline::Evaluated {
        inv: &ws.imported.inventory,
        model: &model,
        decisions: &resolved.decisions,
        serving: &outcome.serving,
    };
    let map = RedirectMap::build(&plan, &pattern, &ws.schedule);
    let inv = &ws.imported.inventory;
    match path {
        Some(p) => super::commands::write_export(FileExport::Redirects { format }, &ws, p, lang)?,
        None => crate::execution::redirects::write_redirects(
            &map,
            inv,
            format,
            pattern.source(),
            lang,
            out,
        )
        .map_err(CliError::Stdout)?,
    }
    let failures: Vec<_> = map.failures().collect();
    for r in failures.iter().take(SHOWN) {
        let s = inv.site(r.site);
        let why = r
            .problem
            .as_ref()
            .map(|p| p.message(inv, lang))
            .unwrap_or_default();
        let line = match (lang, r.address.is_empty()) {
            (Lang::Zh, true) => format!("{} {}：{why}", s.id, s.name),
            (Lang::Zh, false) => format!("{} {}（{}）：{why}", s.id, s.name, r.address),
            (Lang::En, true) => format!("{} {}: {why}", s.id, s.name),
            (Lang::En, false) => format!("{} {} ({}): {why}", s.id, s.name, r.address),
        };
        let _ = writeln!(err, "{line}");
    }
    if failures.len() > SHOWN {
        let more = failures.len() - SHOWN;
        let _ = writeln!(
            err,
            "{}",
            match lang {
                Lang::Zh => format!("……另有 {more} 条（--format csv 的表格列出全部）"),
                Lang::En => format!("… and {more} more (the --format csv table lists every one)"),
            }
        );
    }
    let written = map.written().count();
    let _ = writeln!(
        err,
        "{}",
        match lang {
            Lang::Zh => format!(
                "跳转表：关停网站 {} 个，写入跳转 {written} 条，{} 条无法跳转",
                map.closing_sites(),
                failures.len()
            ),
            Lang::En => format!(
                "redirects: {} closing sites, {written} redirects written, {} could not be made",
                map.closing_sites(),
                failures.len()
            ),
        }
    );
    if let Some(p) = path {
        wrote(p, lang, out);
    }
    findings(&ws.imported.report)?;
    if failures.is_empty() {
        Ok(())
    } else {
        Err(CliError::Findings)
    }
}

/// What `notices --out` writes: a `.csv` or `.xlsx` file, else a folder.
fn notice_format(path: &Path) -> Result<NoticeFormat, CliError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("csv") if !path.is_dir() => Ok(NoticeFormat::Csv),
        Some("xlsx") if !path.is_dir() => Ok(NoticeFormat::Xlsx),
        _ if path.is_dir() => Ok(NoticeFormat::Folder),
        None if path.exists() => Err(bad_option(
            "--out",
            format!(
                "{} 是文件而不是文件夹；请指定文件夹（每个网站一份 .txt），或 .csv、.xlsx 文件",
                path.display()
            ),
            format!(
                "{} is a file, not a folder: give a folder (one .txt per site), or a .csv or .xlsx file",
                path.display()
            ),
        )),
        None => Ok(NoticeFormat::Folder),
        Some(other) => Err(bad_option(
            "--out",
            format!(
                "{}：notices 不能写出 .{other} 文件；请指定文件夹（每个网站一份 .txt）、.csv 或 .xlsx 文件（未写入任何文件）",
                path.display()
            ),
            format!(
                "{}: notices cannot write a .{other} file; give a folder (one .txt per site), a .csv or an .xlsx file (nothing was written)",
                path.display()
            ),
        )),
    }
}

/// `notices`: a draft closure notice per closing site, written to a
/// folder of text files, a CSV table or a workbook.
#[allow(clippy::too_many_arguments)]
pub fn notices(
    args: &PlanArgs,
    schedule: Option<&Path>,
    template: Option<&Path>,
    publisher: Option<&str>,
    path: &Path,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let format = notice_format(path)?;
    let inputs = args.inputs();
    let files = inputs_with(&inputs, schedule, template);
    if format != NoticeFormat::Folder {
        refuse_input(path, &files)?;
    }
    let template_text = match template {
        Some(t) => {
            let text = crate::workspace::read_text(t)?;
            NoticeTemplate::parse(&text, lang)
                .map_err(|e| template_error("--template", Some(t), &e))?;
            Some(text)
        }
        None => None,
    };
    let mut ws = load_with_schedule(args, schedule, lang, err)?;
    if let Some(text) = template_text {
        ws.execution.notice_template = text;
    }
    let project_template = |e| CliError::Workbook(ExportError::Template(e));
    if let Some(name) = publisher {
        ws.execution.notice_template = crate::execution::notices::template_with_publisher(
            &ws.execution.notice_template,
            lang,
            name,
        )
        .map_err(project_template)?;
    }
    let template = NoticeTemplate::of(&ws.execution, lang).map_err(project_template)?;
    super::commands::write_export(FileExport::Notices { format }, &ws, path, lang)?;
    let model = ws.model();
    let (resolved, outcome) = ws.evaluate_with(&model);
    let plan = crate::timeline::Evaluated {
        inv: &ws.imported.inventory,
        model: &model,
        decisions: &resolved.decisions,
        serving: &outcome.serving,
    };
    let notices = Notices::new(plan, &ws.schedule, &ws.execution, &template, lang);
    let count = notices.len();
    let blank = notices
        .sites()
        .filter(|&i| notices.closing(i) == ClosingDate::Unscheduled)
        .count();
    let _ = writeln!(
        out,
        "{}",
        match lang {
            Lang::Zh if blank > 0 => format!(
                "已写入 {}（公告 {count} 份；其中 {blank} 份未排期，关停日期留空待填）",
                path.display()
            ),
            Lang::Zh => format!("已写入 {}（公告 {count} 份）", path.display()),
            Lang::En if blank > 0 => format!(
                "wrote {} ({count} notices; {blank} not scheduled, their closing date left blank to fill in)",
                path.display()
            ),
            Lang::En => format!("wrote {} ({count} notices)", path.display()),
        }
    );
    findings(&ws.imported.report)
}
