//! The plan workbook (`.xlsx`): the per-site plan, the summary with native
//! Excel charts, the levels, the areas (counties grouped beneath their
//! prefecture), the receiving sites, the rules and parameters and the
//! import issues, in the planner's language; with a schedule, also the
//! schedule and its cash flow; when sites close, their redirects (跳转)
//! and closure notices (公告).
//!
//! Every sheet has its header row frozen and an autofilter; money is
//! written as numbers with a yuan format, shares as numbers with a
//! percentage format; column widths count a CJK character as two columns
//! (rust_xlsxwriter's autofit undercounts them). Text is written as text
//! cells exactly as it is (a workbook's text cell is never a formula). The
//! file is written atomically.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartType, Format, FormatAlign, FormatBorder, Formula, Workbook,
    Worksheet, XlsxError,
};

use crate::charts::ChartKind;
use crate::i18n::Lang;
use crate::inventory::Inventory;
use crate::outcome::{Model, Outcome, Summary, by_area, count};
use crate::plan::{Decision, Resolved};
use crate::workspace::Workspace;

use super::plan_table::{PlanRow, plan_headers, plan_rows};
use super::tables::{
    Cell, SummaryTables, Table, issues_table, level_col, params_table, rules_table, summary_tables,
    text_width,
};

/// Excel's row limit (header included).
pub const MAX_ROWS: usize = 1_048_576;
/// Excel's limit on the characters of one cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Narrowest and widest column, in character widths.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

/// The sheets of the workbook, in order: plan, summary, by level, by area,
/// targets, rules and parameters, import issues.
pub fn sheet_names(lang: Lang) -> [&'static str; 7] {
    [
        lang.pick("方案", "Plan"),
        lang.pick("汇总", "Summary"),
        lang.pick("分层级", "By level"),
        lang.pick("按地区", "By area"),
        lang.pick("承接网站", "Targets"),
        lang.pick("规则与参数", "Rules & parameters"),
        lang.pick("导入问题", "Import issues"),
    ]
}

/// The sheets of the closing sites' redirects and notices, after the
/// others.
pub fn execution_sheet_names(lang: Lang) -> [&'static str; 2] {
    [lang.pick("跳转", "Redirects"), lang.pick("公告", "Notices")]
}

/// Why the workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The file could not be written.
    #[error("{}: cannot write: {}", path.display(), crate::atomic::describe(source, Lang::En))]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The workbook's temporary data (the plan sheet's rows, kept on disk
    /// rather than in memory) could not be written: the folder is full or
    /// cannot hold files.
    #[error("{}: cannot write the workbook's temporary data in this folder: {}; free some space or choose another folder", dir.display(), temp_cause(source.as_ref(), Lang::En))]
    TempSpace {
        /// The folder of the temporary data.
        dir: PathBuf,
        /// What went wrong, when the library said.
        source: Option<std::io::Error>,
    },
    /// The workbook library refused something.
    #[error("cannot build the workbook: {0}")]
    Xlsx(#[from] XlsxError),
    /// The workbook library stopped (a fault in it, not in the plan).
    #[error("the workbook library stopped ({0}); please report this")]
    Stopped(String),
    /// The planner cancelled the export (nothing was written).
    #[error("export cancelled")]
    Cancelled,
    /// A chart could not be drawn or written.
    #[error("{0}")]
    Chart(#[from] crate::charts::ChartError),
    /// The document library could not put the report together.
    #[error("cannot build the report: {0}")]
    Document(String),
    /// The project's redirect pattern or notice template cannot be used.
    #[error("{0}")]
    Template(#[from] crate::execution::placeholders::TemplateError),
    /// More sites than an Excel sheet has rows.
    #[error("{sites} sites do not fit in an Excel sheet ({max} rows at most); export CSV instead")]
    TooManyRows {
        /// Sites in the plan.
        sites: usize,
        /// Rows a sheet can hold, header excluded.
        max: usize,
    },
}

fn temp_cause(source: Option<&std::io::Error>, lang: Lang) -> String {
    match source {
        Some(e) => crate::atomic::describe(e, lang),
        None => lang
            .pick("磁盘可能已满", "the disk may be full")
            .to_string(),
    }
}

impl ExportError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (ExportError::Io { path, source }, Lang::Zh) => {
                format!(
                    "{}：无法写入：{}",
                    path.display(),
                    crate::atomic::describe(source, lang)
                )
            }
            (ExportError::TempSpace { dir, source }, Lang::Zh) => format!(
                "{}：无法在此文件夹写入工作簿的临时数据：{}；请腾出空间或换一个文件夹",
                dir.display(),
                temp_cause(source.as_ref(), lang)
            ),
            (ExportError::Xlsx(e), Lang::Zh) => format!("无法生成工作簿：{e}"),
            (ExportError::Stopped(e), Lang::Zh) => {
                format!("生成工作簿的程序库意外停止（{e}），请报告此问题")
            }
            (ExportError::Cancelled, Lang::Zh) => "导出已取消".to_string(),
            (ExportError::Chart(e), Lang::Zh) => e.message(lang),
            (ExportError::Document(e), Lang::Zh) => format!("无法生成报告：{e}"),
            (ExportError::Template(e), Lang::Zh) => e.message(lang),
            (ExportError::TooManyRows { sites, max }, Lang::Zh) => {
                format!("{sites} 个网站超出 Excel 工作表的行数上限（最多 {max} 行），请导出 CSV")
            }
        }
    }

    /// The error for a failure of the workbook library: its temporary
    /// files in `dir` are named as such.
    fn from_xlsx(e: XlsxError, dir: &Path) -> ExportError {
        match e {
            XlsxError::TempFileError(dir, source) => ExportError::TempSpace {
                dir,
                source: Some(source),
            },
            XlsxError::IoError(source) if is_full(&source) => ExportError::TempSpace {
                dir: dir.to_path_buf(),
                source: Some(source),
            },
            e => ExportError::Xlsx(e),
        }
    }
}

/// True when a panic's text is that of a failed read or write.
fn is_io_panic(what: &str) -> bool {
    ["write", "os error", "Os {", "Kind(", "kind:"]
        .iter()
        .any(|w| what.contains(w))
}

fn is_full(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    )
}

/// Runs a step of the workbook library that writes its temporary files
/// in `dir`. The library panics when such a write fails (a full disk);
/// that becomes [`ExportError::TempSpace`] naming the folder.
fn in_temp_dir<T>(
    dir: &Path,
    f: impl FnOnce() -> Result<T, ExportError>,
) -> Result<T, ExportError> {
    match crate::catch_panic(f) {
        Ok(r) => r,
        // "Couldn't write to xml file", or an unwrapped io::Error (its
        // Debug text: `Os { code: 28, kind: StorageFull, … }`).
        Err(what) if is_io_panic(&what) => Err(ExportError::TempSpace {
            dir: dir.to_path_buf(),
            source: None,
        }),
        Err(what) => Err(ExportError::Stopped(what)),
    }
}

/// What the workbook is made from: a workspace and its evaluated plan.
#[derive(Clone, Copy, Debug)]
pub struct PlanExport<'a> {
    /// Inventory, import report, rules, parameters, file issues.
    pub ws: &'a Workspace,
    /// Per-site figures for the workspace's parameters.
    pub model: &'a Model,
    /// Every site's decision and its source.
    pub resolved: &'a Resolved,
    /// The plan's outcome.
    pub outcome: &'a Outcome,
}

/// Evaluates the workspace's plan and writes the workbook to `path`
/// (atomically).
pub fn write_plan_xlsx(ws: &Workspace, lang: Lang, path: &Path) -> Result<(), ExportError> {
    let model = ws.model();
    let (resolved, outcome) = ws.evaluate_with(&model);
    let data = PlanExport {
        ws,
        model: &model,
        resolved: &resolved,
        outcome: &outcome,
    };
    save_plan_xlsx(&data, lang, path)
}

/// Writes the workbook of an evaluated plan to `path` (atomically, see
/// [`crate::atomic`]).
pub fn save_plan_xlsx(data: &PlanExport<'_>, lang: Lang, path: &Path) -> Result<(), ExportError> {
    save_plan_xlsx_with(data, lang, path, &|_| true)
}

/// [`save_plan_xlsx`], telling `report` how far it is (0 to 1); when
/// `report` returns false the export stops with [`ExportError::Cancelled`]
/// and writes nothing. The workbook is packed straight into the
/// temporary file that replaces `path`, and the library's own temporary
/// data goes to `path`'s folder (not the system's temporary folder,
/// which may be small).
pub fn save_plan_xlsx_with(
    data: &PlanExport<'_>,
    lang: Lang,
    path: &Path,
    report: &dyn Fn(f32) -> bool,
) -> Result<(), ExportError> {
    let io = |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = crate::atomic::AtomicFile::create(path).map_err(io)?;
    let dir = file.folder().to_path_buf();
    in_temp_dir(&dir, || {
        let mut wb = build_workbook(data, lang, &|f| report(f * 0.97), Some(&dir))?;
        wb.save_to_writer(&mut file).map_err(|e| match e {
            XlsxError::IoError(source) => io(source),
            e => ExportError::from_xlsx(e, &dir),
        })
    })?;
    if !report(0.97) {
        return Err(ExportError::Cancelled);
    }
    file.commit().map_err(io)
}

/// The workbook's bytes.
pub fn plan_workbook(data: &PlanExport<'_>, lang: Lang) -> Result<Vec<u8>, ExportError> {
    plan_workbook_with(data, lang, &|_| true)
}

/// [`plan_workbook`] with progress and cancel, as in [`save_plan_xlsx_with`].
/// The library's temporary data goes to the system's temporary folder.
pub fn plan_workbook_with(
    data: &PlanExport<'_>,
    lang: Lang,
    report: &dyn Fn(f32) -> bool,
) -> Result<Vec<u8>, ExportError> {
    let dir = std::env::temp_dir();
    let bytes = in_temp_dir(&dir, || {
        build_workbook(data, lang, report, None)?
            .save_to_buffer()
            .map_err(|e| ExportError::from_xlsx(e, &dir))
    })?;
    if !report(1.0) {
        return Err(ExportError::Cancelled);
    }
    Ok(bytes)
}

/// The workbook, every sheet written, ready to pack (progress 0 to 0.6).
/// The plan sheet's rows are kept in temporary files in `tempdir` (the
/// system's temporary folder when `None`).
fn build_workbook(
    data: &PlanExport<'_>,
    lang: Lang,
    report: &dyn Fn(f32) -> bool,
    tempdir: Option<&Path>,
) -> Result<Workbook, ExportError> {
    let step = |f: f32| {
        if report(f) {
            Ok(())
        } else {
            Err(ExportError::Cancelled)
        }
    };
    step(0.0)?;
    let inv = &data.ws.imported.inventory;
    if inv.len() >= MAX_ROWS {
        return Err(ExportError::TooManyRows {
            sites: inv.len(),
            max: MAX_ROWS - 1,
        });
    }
    let summary = Summary::new(
        &data.ws.imported.report,
        data.resolved,
        data.ws.plan_errors,
        data.outcome,
    )
    .with_areas(by_area(inv, data.model, data.outcome));
    let tables = summary_tables(&summary, inv, &data.ws.params, lang);
    let names = sheet_names(lang);
    let f = Formats::new(lang);
    let mut wb = Workbook::new();
    let dir = tempdir.map_or_else(std::env::temp_dir, Path::to_path_buf);
    if let Some(d) = tempdir {
        wb.set_tempdir(d)
            .map_err(|e| ExportError::from_xlsx(e, &dir))?;
    }

    let rows = plan_rows(data.ws, data.model, data.resolved, data.outcome, lang);
    step(0.1)?;
    // The plan sheet (one row a site) is written row by row to a
    // temporary file rather than held in memory.
    let sheet = wb
        .add_worksheet_with_low_memory()
        .map_err(|e| ExportError::from_xlsx(e, &dir))?
        .set_name(names[0])?;
    // The plan sheet's rows: to 55%; packing the workbook: the rest.
    let cancelled = std::cell::Cell::new(false);
    let row_report = |done: f32| {
        let go = report(0.1 + 0.45 * done);
        cancelled.set(!go);
        go
    };
    let written = plan_sheet(sheet, inv, &rows, &f, lang, &row_report);
    if cancelled.get() {
        return Err(ExportError::Cancelled);
    }
    written?;
    drop(rows);
    step(0.55)?;

    let sheet = wb.add_worksheet().set_name(names[1])?;
    summary_sheet(sheet, &tables, &f, lang, names[2])?;

    let sheet = wb.add_worksheet().set_name(names[2])?;
    table_sheet(sheet, &tables.by_level, &f, lang)?;

    let sheet = wb.add_worksheet().set_name(names[3])?;
    area_sheet(sheet, &tables.by_area, &tables.area_sub_rows, &f, lang)?;

    let sheet = wb.add_worksheet().set_name(names[4])?;
    table_sheet(sheet, &tables.targets, &f, lang)?;

    let sheet = wb.add_worksheet().set_name(names[5])?;
    let params = params_table(&data.ws.params, lang);
    let rules = rules_table(&data.ws.rules, data.resolved, lang);
    let mut w = Widths::default();
    let end = write_table(sheet, 0, &params, &f, lang, &mut w)?;
    sheet.set_freeze_panes(1, 0)?;
    filter(sheet, &params, 0)?;
    write_table(sheet, end + 2, &rules, &f, lang, &mut w)?;
    w.apply(sheet)?;

    let sheet = wb.add_worksheet().set_name(names[6])?;
    let issues = issues_table(&data.ws.imported.report, &data.ws.file_issues, lang);
    table_sheet(sheet, &issues, &f, lang)?;

    // The schedule and its cash flow, when the planner set one.
    if data.ws.schedule.iter().any(Option::is_some) {
        timeline_sheets(&mut wb, data, &f, lang)?;
    }
    // The closing sites' redirects and notices.
    if data.outcome.merged > 0 {
        execution_sheets(&mut wb, data, &f, lang, &dir)?;
    }
    // Progress and the audit trail, when there is any.
    let ex = &data.ws.execution;
    if !ex.statuses.is_empty() || data.ws.schedule.iter().any(Option::is_some) {
        progress_sheet(&mut wb, data, &f, lang)?;
    }
    if !ex.audit.is_empty() {
        use super::execution_tables::{audit_table, execution_sheet_names};
        let sheet = wb
            .add_worksheet()
            .set_name(execution_sheet_names(lang)[1])?;
        table_sheet(sheet, &audit_table(&ex.audit, lang), &f, lang)?;
    }

    wb.worksheet_from_index(0)?.set_active(true);
    // Level 3 instead of the default 6: about twice as fast to save for a
    // file some 15% larger.
    wb.set_zip_compression_level(3);
    step(0.6)?;
    Ok(wb)
}

/// The Schedule sheet (every merged site, scheduled or not) and the Cash
/// flow sheet (by quarter, by year, by level, then the horizon, limits and
/// payback quarter, one table beneath another).
fn timeline_sheets(
    wb: &mut Workbook,
    data: &PlanExport<'_>,
    f: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    use super::timeline_tables::{cash_flow_tables, schedule_table, timeline_sheet_names};
    let timeline = data
        .ws
        .timeline_of(data.model, data.resolved, data.outcome, false);
    let plan = crate::timeline::Evaluated {
        inv: &data.ws.imported.inventory,
        model: data.model,
        decisions: &data.resolved.decisions,
        serving: &data.outcome.serving,
    };
    let names = timeline_sheet_names(lang);
    let sheet = wb.add_worksheet().set_name(names[0])?;
    table_sheet(sheet, &schedule_table(&plan, &timeline, lang), f, lang)?;
    let sheet = wb.add_worksheet().set_name(names[1])?;
    let tables = cash_flow_tables(&timeline, lang);
    let mut w = Widths::default();
    let mut top = 0;
    for t in &tables {
        top = write_table(sheet, top, t, f, lang, &mut w)? + 2;
    }
    sheet.set_freeze_panes(1, 0)?;
    filter(sheet, &tables[0], 0)?;
    w.apply(sheet)
}

/// The Redirects and Notices sheets (one row per address of each closing
/// site, one per closing site). A redirect pattern or notice template of
/// the project that cannot be used is said in the sheet rather than
/// failing the workbook.
fn execution_sheets(
    wb: &mut Workbook,
    data: &PlanExport<'_>,
    f: &Formats,
    lang: Lang,
    dir: &Path,
) -> Result<(), ExportError> {
    use crate::execution::redirects::{
        RedirectMap, RedirectPattern, redirect_headers, redirect_row,
    };
    let inv = &data.ws.imported.inventory;
    let plan = crate::timeline::Evaluated {
        inv,
        model: data.model,
        decisions: &data.resolved.decisions,
        serving: &data.outcome.serving,
    };
    let names = execution_sheet_names(lang);
    let xlsx = |e| ExportError::from_xlsx(e, dir);
    let sheet = wb
        .add_worksheet_with_low_memory()
        .map_err(xlsx)?
        .set_name(names[0])?;
    let headers = redirect_headers(lang);
    match RedirectPattern::of(&data.ws.execution) {
        Ok(pattern) => {
            let map = RedirectMap::build(&plan, &pattern, &data.ws.schedule);
            let rows = map.entries.iter().map(|r| redirect_row(r, inv, lang));
            text_sheet(sheet, &headers, rows, None, f)?;
        }
        Err(e) => text_sheet(
            sheet,
            &headers,
            std::iter::once(one_cell(e.message(lang))),
            None,
            f,
        )?,
    }
    let sheet = wb
        .add_worksheet_with_low_memory()
        .map_err(xlsx)?
        .set_name(names[1])?;
    notices_sheet(sheet, &data.ws.execution, &plan, &data.ws.schedule, f, lang)?;
    Ok(())
}

/// A row with `text` in its first cell.
fn one_cell<const N: usize>(text: String) -> [String; N] {
    let mut row: [String; N] = std::array::from_fn(|_| String::new());
    if let Some(first) = row.first_mut() {
        *first = text;
    }
    row
}

/// The Notices sheet of `plan`'s closing sites.
fn notices_sheet(
    sheet: &mut Worksheet,
    execution: &crate::execution::Execution,
    plan: &crate::timeline::Evaluated<'_>,
    quarters: &[Option<crate::timeline::Quarter>],
    f: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    use crate::execution::notices::{NoticeTemplate, Notices, notice_headers, notice_row};
    let headers = notice_headers(lang);
    let text_col = Some(headers.len() as u16 - 1);
    match NoticeTemplate::of(execution, lang) {
        Ok(template) => {
            let notices = Notices::new(*plan, quarters, execution, &template, lang);
            let rows = notices.iter().map(|n| notice_row(&n, plan.inv, lang));
            text_sheet(sheet, &headers, rows, text_col, f)
        }
        Err(e) => text_sheet(
            sheet,
            &headers,
            std::iter::once(one_cell(e.message(lang))),
            None,
            f,
        ),
    }
}

/// Writes the closure notices of `notices` as a workbook with one sheet,
/// 公告 / Notices, to `path` (atomically), telling `report` how far it is.
pub fn save_notices_xlsx(
    notices: &crate::execution::notices::Notices<'_>,
    inv: &Inventory,
    lang: Lang,
    path: &Path,
    report: &dyn Fn(f32) -> bool,
) -> Result<(), ExportError> {
    use crate::execution::notices::{notice_headers, notice_row};
    let io = |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = crate::atomic::AtomicFile::create(path).map_err(io)?;
    let dir = file.folder().to_path_buf();
    let f = Formats::new(lang);
    in_temp_dir(&dir, || {
        let mut wb = Workbook::new();
        wb.set_tempdir(&dir)
            .map_err(|e| ExportError::from_xlsx(e, &dir))?;
        let sheet = wb
            .add_worksheet_with_low_memory()
            .map_err(|e| ExportError::from_xlsx(e, &dir))?
            .set_name(execution_sheet_names(lang)[1])?;
        let headers = notice_headers(lang);
        let total = notices.len().max(1) as f32;
        let cancelled = std::cell::Cell::new(false);
        let rows = notices.iter().enumerate().map_while(|(k, n)| {
            if k % 1024 == 0 && !report(0.9 * k as f32 / total) {
                cancelled.set(true);
                return None;
            }
            Some(notice_row(&n, inv, lang))
        });
        text_sheet(sheet, &headers, rows, Some(headers.len() as u16 - 1), &f)?;
        if cancelled.get() {
            return Err(ExportError::Cancelled);
        }
        wb.save_to_writer(&mut file).map_err(|e| match e {
            XlsxError::IoError(source) => io(source),
            e => ExportError::from_xlsx(e, &dir),
        })
    })?;
    if !report(0.97) {
        return Err(ExportError::Cancelled);
    }
    file.commit().map_err(io)
}

/// A sheet of text rows under `headers` (header frozen, autofilter,
/// widths), at most as many as a sheet holds; the column `wrap`, when
/// given, wraps its text (a notice's lines) in a wide column.
fn text_sheet<const N: usize>(
    sheet: &mut Worksheet,
    headers: &[&str; N],
    rows: impl Iterator<Item = [String; N]>,
    wrap: Option<u16>,
    f: &Formats,
) -> Result<(), XlsxError> {
    let mut w = Widths::default();
    for (c, h) in headers.iter().enumerate() {
        write_text(sheet, 0, c as u16, h, Some(&f.header))?;
        w.see(c as u16, text_width(h));
    }
    let wrapped = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);
    let mut last = 0u32;
    for (n, cells) in rows.take(MAX_ROWS - 1).enumerate() {
        let row = n as u32 + 1;
        last = row;
        for (c, text) in cells.iter().enumerate() {
            let col = c as u16;
            if Some(col) == wrap {
                write_text(sheet, row, col, text, Some(&wrapped))?;
            } else {
                write_text(sheet, row, col, text, wrap.map(|_| &top))?;
                w.see(col, text_width(text));
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last, N.saturating_sub(1) as u16)?;
    w.apply(sheet)?;
    if let Some(col) = wrap {
        sheet.set_column_width(col, 80.0)?;
    }
    Ok(())
}

/// The Progress sheet: every closing site with its quarter, status and
/// where it stands today, then the counts by level and by area.
fn progress_sheet(
    wb: &mut Workbook,
    data: &PlanExport<'_>,
    f: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    use super::execution_tables::{execution_sheet_names, progress_counts_table, progress_table};
    let ws = data.ws;
    let inv = &ws.imported.inventory;
    let today = crate::execution::Date::today();
    let sheet = wb
        .add_worksheet()
        .set_name(execution_sheet_names(lang)[0])?;
    let sites = progress_table(
        inv,
        &data.resolved.decisions,
        &ws.schedule,
        &ws.execution,
        today,
        lang,
    );
    let progress = crate::execution::tracking::progress(
        inv,
        &data.resolved.decisions,
        &ws.schedule,
        &ws.execution.workflow,
        &ws.execution.statuses,
        today,
        lang,
    );
    let mut w = Widths::default();
    let mut top = 0;
    for t in [&progress_counts_table(&progress, lang), &sites] {
        top = write_table(sheet, top, t, f, lang, &mut w)? + 2;
    }
    w.apply(sheet)
}

/// Number formats of the workbook.
struct Formats {
    header: Format,
    bold: Format,
    money: Format,
    int: Format,
    share: Format,
    decimal: Format,
    number: Format,
    money_bold: Format,
    int_bold: Format,
    share_bold: Format,
    number_bold: Format,
    money_code: &'static str,
}

impl Formats {
    fn new(lang: Lang) -> Formats {
        let money_code = money_format(lang);
        let header = Format::new()
            .set_bold()
            .set_background_color(0xDDEBF7)
            .set_border_bottom(FormatBorder::Thin)
            .set_align(FormatAlign::Center);
        let bold = Format::new().set_bold();
        Formats {
            header,
            money: Format::new().set_num_format(money_code),
            int: Format::new().set_num_format("#,##0"),
            share: Format::new().set_num_format("0.0%"),
            decimal: Format::new().set_num_format("#,##0.0"),
            number: Format::new().set_num_format("General"),
            money_bold: bold.clone().set_num_format(money_code),
            int_bold: bold.clone().set_num_format("#,##0"),
            share_bold: bold.clone().set_num_format("0.0%"),
            number_bold: bold.clone().set_num_format("General"),
            bold,
            money_code,
        }
    }

    fn of(&self, cell: &Cell, bold: bool) -> Option<&Format> {
        Some(match (cell, bold) {
            (Cell::Money(_), false) => &self.money,
            (Cell::Money(_), true) => &self.money_bold,
            (Cell::Int(_), false) => &self.int,
            (Cell::Int(_), true) => &self.int_bold,
            (Cell::Share(_), false) => &self.share,
            (Cell::Share(_), true) => &self.share_bold,
            (Cell::Decimal(_), _) => &self.decimal,
            (Cell::Number(_), false) => &self.number,
            (Cell::Number(_), true) => &self.number_bold,
            (Cell::Text(_), true) => &self.bold,
            (Cell::Text(_) | Cell::Empty, _) => return None,
        })
    }
}

/// The yuan number format: `#,##0" 元"` in Chinese, `"¥"#,##0` in English.
pub fn money_format(lang: Lang) -> &'static str {
    lang.pick("#,##0\" 元\"", "\"¥\"#,##0")
}

/// Widest content seen per column.
#[derive(Default)]
struct Widths(Vec<usize>);

impl Widths {
    fn see(&mut self, col: u16, width: usize) {
        let col = col as usize;
        if self.0.len() <= col {
            self.0.resize(col + 1, 0);
        }
        self.0[col] = self.0[col].max(width);
    }

    fn apply(&self, sheet: &mut Worksheet) -> Result<(), XlsxError> {
        for (c, w) in self.0.iter().enumerate() {
            let w = (w + 2).clamp(MIN_WIDTH, MAX_WIDTH);
            sheet.set_column_width(c as u16, w as f64)?;
        }
        Ok(())
    }
}

/// The width a cell shows at, in character widths.
fn cell_width(cell: &Cell, lang: Lang) -> usize {
    let money_extra = lang.pick(" 元", "¥");
    match cell {
        Cell::Empty => 0,
        Cell::Text(s) => text_width(s),
        Cell::Int(v) => count(*v as f64).len(),
        Cell::Money(v) => v.grouped().len() + text_width(money_extra),
        Cell::Share(_) => 7,
        Cell::Decimal(v) => count(*v).len() + 2,
        Cell::Number(v) => crate::inventory::fmt_number(*v).len(),
    }
}

/// Text as written, cut to Excel's cell limit. A text cell of a workbook
/// is never a formula, so `=1+1` and `-4` are written as they are (no
/// protective apostrophe, which a workbook would show).
fn cell_text(s: &str) -> &str {
    if s.len() <= MAX_CELL_CHARS {
        return s;
    }
    match s.char_indices().nth(MAX_CELL_CHARS) {
        Some((end, _)) => &s[..end],
        None => s,
    }
}

fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    s: &str,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    if s.is_empty() && format.is_none() {
        return Ok(());
    }
    let text = cell_text(s);
    match format {
        Some(f) => sheet.write_string_with_format(row, col, text, f)?,
        None => sheet.write_string(row, col, text)?,
    };
    Ok(())
}

fn write_number(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    v: f64,
    format: &Format,
) -> Result<(), XlsxError> {
    if v.is_finite() {
        sheet.write_number_with_format(row, col, v, format)?;
    }
    Ok(())
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    f: &Formats,
    bold: bool,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => Ok(()),
        Cell::Text(s) => write_text(sheet, row, col, s, f.of(cell, bold)),
        _ => match (cell.number(), f.of(cell, bold)) {
            (Some(v), Some(fmt)) => write_number(sheet, row, col, v, fmt),
            _ => Ok(()),
        },
    }
}

/// Writes `t` with its header at `top`; returns the last row written.
fn write_table(
    sheet: &mut Worksheet,
    top: u32,
    t: &Table,
    f: &Formats,
    lang: Lang,
    widths: &mut Widths,
) -> Result<u32, XlsxError> {
    for (c, h) in t.headers.iter().enumerate() {
        write_text(sheet, top, c as u16, h, Some(&f.header))?;
        widths.see(c as u16, text_width(h));
    }
    let mut row = top;
    for cells in &t.rows {
        row += 1;
        for (c, cell) in cells.iter().enumerate() {
            write_cell(sheet, row, c as u16, cell, f, false)?;
            widths.see(c as u16, cell_width(cell, lang));
        }
    }
    if let Some(totals) = &t.totals {
        let first = top + 1;
        let last = row;
        row += 1;
        for (c, cell) in totals.iter().enumerate() {
            let col = c as u16;
            widths.see(col, cell_width(cell, lang));
            let summed = t.summed.get(c).copied().unwrap_or(false);
            match (summed && last >= first, cell.number(), f.of(cell, true)) {
                (true, Some(v), Some(fmt)) if v.is_finite() => {
                    let name = rust_xlsxwriter::column_number_to_name(col);
                    let formula =
                        Formula::new(format!("=SUM({name}{}:{name}{})", first + 1, last + 1))
                            .set_result(crate::inventory::fmt_number(v));
                    sheet.write_formula_with_format(row, col, formula, fmt)?;
                }
                _ => write_cell(sheet, row, col, cell, f, true)?,
            }
        }
    }
    Ok(row)
}

/// An autofilter over the header at `top` and the data rows of `t`.
fn filter(sheet: &mut Worksheet, t: &Table, top: u32) -> Result<(), XlsxError> {
    let last_col = t.headers.len().saturating_sub(1) as u16;
    sheet.autofilter(top, 0, top + t.rows.len() as u32, last_col)?;
    Ok(())
}

/// A sheet holding one table: header frozen, autofilter, widths.
fn table_sheet(sheet: &mut Worksheet, t: &Table, f: &Formats, lang: Lang) -> Result<(), XlsxError> {
    let mut w = Widths::default();
    write_table(sheet, 0, t, f, lang, &mut w)?;
    sheet.set_freeze_panes(1, 0)?;
    filter(sheet, t, 0)?;
    w.apply(sheet)
}

/// The By area sheet: the areas with their sub-areas beneath them,
/// indented and grouped one outline level down so that Excel can fold
/// them away (the fold's button above each group, on the area's row).
fn area_sheet(
    sheet: &mut Worksheet,
    t: &Table,
    sub_rows: &[bool],
    f: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    table_sheet(sheet, t, f, lang)?;
    let indent = Format::new().set_indent(2);
    let mut group_start = None;
    for (i, (row, &sub)) in t.rows.iter().zip(sub_rows).enumerate() {
        let r = i as u32 + 1;
        if sub {
            if let Some(Cell::Text(name)) = row.first() {
                write_text(sheet, r, 0, name, Some(&indent))?;
            }
            group_start.get_or_insert(r);
        } else if let Some(first) = group_start.take() {
            sheet.group_rows(first, r - 1)?;
        }
    }
    if let Some(first) = group_start {
        sheet.group_rows(first, t.rows.len() as u32)?;
    }
    sheet.group_symbols_above(true);
    Ok(())
}

/// Columns of the Plan sheet.
pub fn plan_sheet_headers(lang: Lang) -> Vec<&'static str> {
    let mut h: Vec<&'static str> = plan_headers(lang).to_vec();
    // The target's name, after its id.
    h.insert(7, lang.pick("目标网站名称", "target_name"));
    h
}

fn plan_sheet(
    sheet: &mut Worksheet,
    inv: &Inventory,
    rows: &[PlanRow],
    f: &Formats,
    lang: Lang,
    report: &dyn Fn(f32) -> bool,
) -> Result<(), XlsxError> {
    let headers = plan_sheet_headers(lang);
    let mut w = Widths::default();
    for (c, h) in headers.iter().enumerate() {
        write_text(sheet, 0, c as u16, h, Some(&f.header))?;
        w.see(c as u16, text_width(h));
    }
    let keep = lang.pick("保留", "keep");
    let merge = lang.pick("合并", "merge");
    let mut max_money = crate::money::Money::ZERO;
    for (n, r) in rows.iter().enumerate() {
        // Every 4096 rows: how far, and whether to go on (the caller
        // sees a stop as a cancel).
        if n % 4096 == 0 && !report(n as f32 / rows.len() as f32) {
            return Ok(());
        }
        let row = n as u32 + 1;
        let s = inv.site(r.site);
        let serving = inv.site(r.serving);
        let target = r.target.map(|t| inv.site(t));
        let decision = match r.decision {
            Decision::Keep => keep,
            Decision::Merge { .. } => merge,
        };
        let texts: [(u16, &str); 10] = [
            (0, &s.id),
            (1, &s.name),
            (2, s.level.label(lang)),
            (3, s.kind.label(lang)),
            (4, &s.parent_id),
            (5, decision),
            (6, target.map_or("", |t| t.id.as_str())),
            (7, target.map_or("", |t| t.name.as_str())),
            (8, &serving.id),
            (9, &serving.name),
        ];
        for (c, t) in texts {
            write_text(sheet, row, c, t, None)?;
            w.see(c, text_width(t));
        }
        write_text(sheet, row, 10, &r.reason, None)?;
        w.see(10, text_width(&r.reason));
        write_text(sheet, row, 14, &r.note, None)?;
        w.see(14, text_width(&r.note));
        for (c, v) in [(11, s.budget), (12, r.absorb_cost), (13, r.migration_cost)] {
            write_number(sheet, row, c, v.to_fen().to_f64(), &f.money)?;
            max_money = max_money.max(v);
        }
    }
    let money_width = cell_width(&Cell::Money(max_money), lang);
    for c in 11..=13 {
        w.see(c, money_width);
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, headers.len() as u16 - 1)?;
    w.apply(sheet)
}

/// The Summary sheet: figures before / after / change (filtered), the single
/// figures below, and two native charts reading the By level sheet.
fn summary_sheet(
    sheet: &mut Worksheet,
    t: &SummaryTables,
    f: &Formats,
    lang: Lang,
    level_sheet: &str,
) -> Result<(), XlsxError> {
    let mut w = Widths::default();
    let end = write_table(sheet, 0, &t.changes, f, lang, &mut w)?;
    write_table(sheet, end + 2, &t.figures, f, lang, &mut w)?;
    sheet.set_freeze_panes(1, 0)?;
    filter(sheet, &t.changes, 0)?;
    w.apply(sheet)?;
    let levels = t.by_level.rows.len() as u32;
    if levels == 0 {
        return Ok(());
    }
    let chart_col = t.changes.headers.len() as u16 + 1;
    let cost = level_chart(
        level_sheet,
        levels,
        ChartKind::CostByLevel.title(lang),
        [level_col::COST_BEFORE, level_col::COST_AFTER],
        f.money_code,
        None,
    );
    sheet.insert_chart(1, chart_col, &cost)?;
    let coverage = level_chart(
        level_sheet,
        levels,
        ChartKind::CoverageByLevel.title(lang),
        [level_col::COVERAGE_BEFORE, level_col::COVERAGE_AFTER],
        "0%",
        Some(1.0),
    );
    sheet.insert_chart(19, chart_col, &coverage)?;
    Ok(())
}

/// A clustered column chart of two By level columns, one group per level.
fn level_chart(
    sheet: &str,
    levels: u32,
    title: &str,
    cols: [u16; 2],
    num_format: &str,
    max: Option<f64>,
) -> Chart {
    let mut chart = Chart::new(ChartType::Column);
    for (i, col) in cols.into_iter().enumerate() {
        let colour = if i == 0 { 0x9DB3CF } else { 0x2E6DB4 };
        chart
            .add_series()
            .set_name((sheet, 0, col))
            .set_categories((sheet, 1, level_col::LEVEL, levels, level_col::LEVEL))
            .set_values((sheet, 1, col, levels, col))
            .set_format(
                rust_xlsxwriter::ChartFormat::new()
                    .set_solid_fill(rust_xlsxwriter::ChartSolidFill::new().set_color(colour)),
            );
    }
    chart.title().set_name(title);
    chart.y_axis().set_num_format(num_format).set_min(0.0);
    if let Some(m) = max {
        chart.y_axis().set_max(m);
    }
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart.set_width(640).set_height(340);
    chart
}
