//! One export of a plan to a file, written the same way by both front
//! ends: the per-site plan as CSV or as a workbook, the report (DOCX), one
//! dashboard chart as PNG or SVG, the redirect map of the closing sites
//! (CSV, nginx, Apache) or their closure notices (a folder of text files,
//! CSV, a workbook). The app runs it as a background task (with progress
//! and cancel), the command line at once; the bytes are the same.

use std::path::Path;

use crate::charts::{ChartData, ChartKind};
use crate::execution::notices::{NoticeFormat, NoticeTemplate, Notices};
use crate::execution::redirects::{RedirectFormat, RedirectMap, RedirectPattern};
use crate::i18n::Lang;
use crate::workspace::Workspace;

use super::{ExportError, PlanExport};

/// What an export writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileExport {
    /// The per-site plan as CSV (UTF-8 with BOM, CRLF: Excel opens it).
    PlanCsv,
    /// The plan workbook.
    PlanXlsx,
    /// The report (DOCX, see [`crate::report`]).
    Report,
    /// One chart.
    Chart {
        /// Which chart.
        kind: ChartKind,
        /// SVG rather than PNG.
        svg: bool,
        /// Width and height in pixels.
        size: (u32, u32),
    },
    /// The audit trail as CSV (UTF-8 with BOM: Excel opens it).
    AuditCsv,
    /// The redirect map of the closing sites, with the project's pattern
    /// ([`crate::execution::Execution::redirect_pattern`]; see
    /// [`crate::execution::redirects`]).
    Redirects {
        /// CSV, nginx or Apache.
        format: RedirectFormat,
    },
    /// The closure notices, from the project's template
    /// ([`crate::execution::Execution::notice_template`]; see
    /// [`crate::execution::notices`]). For [`NoticeFormat::Folder`] the
    /// path is the folder (made when missing; one `.txt` per site).
    Notices {
        /// A folder of text files, CSV or a workbook.
        format: NoticeFormat,
    },
}

/// Writes `what` of `ws` to `path` (atomically: a failure or a cancel
/// leaves no half-written file and an earlier file of that name as it
/// was). The plan is evaluated afresh from the workspace, so its figures
/// are those of `summary` for the same inputs. `report` hears how far it
/// is (0 to 1) and stops it by returning false ([`ExportError::Cancelled`]).
pub fn write_export(
    what: FileExport,
    ws: &Workspace,
    lang: Lang,
    path: &Path,
    report: &dyn Fn(f32) -> bool,
) -> Result<(), ExportError> {
    let step = |f: f32| {
        if report(f) {
            Ok(())
        } else {
            Err(ExportError::Cancelled)
        }
    };
    step(0.0)?;
    let model = ws.model();
    let (resolved, outcome) = ws.evaluate_with(&model);
    step(0.05)?;
    // The rest of the work reports 5% to 100%.
    let rest = |f: f32| report(0.05 + 0.95 * f);
    let io = |source: std::io::Error| ExportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let inv = &ws.imported.inventory;
    match what {
        FileExport::PlanXlsx => {
            let data = PlanExport {
                ws,
                model: &model,
                resolved: &resolved,
                outcome: &outcome,
            };
            super::save_plan_xlsx_with(&data, lang, path, &rest)?;
        }
        FileExport::Report => {
            let data = PlanExport {
                ws,
                model: &model,
                resolved: &resolved,
                outcome: &outcome,
            };
            let timeline = crate::report::timeline_section(ws, lang);
            crate::report::save_report_with(&data, lang, timeline, path, &rest)?;
        }
        FileExport::AuditCsv => {
            let mut file = crate::atomic::AtomicFile::create(path).map_err(io)?;
            super::execution_tables::write_audit_csv(&ws.execution.audit, lang, &mut file)
                .map_err(io)?;
            step(0.98)?;
            file.commit().map_err(io)?;
        }
        FileExport::PlanCsv => {
            let rows = super::plan_rows(ws, &model, &resolved, &outcome, lang);
            let mut file = crate::atomic::AtomicFile::create(path).map_err(io)?;
            match super::write_plan_csv_with(inv, &rows, &mut file, lang, &|f| rest(0.95 * f)) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {
                    return Err(ExportError::Cancelled);
                }
                r => r.map_err(io)?,
            }
            step(0.98)?;
            file.commit().map_err(io)?;
        }
        FileExport::Chart { kind, svg, size } => {
            let timeline = ChartKind::TIMELINE
                .contains(&kind)
                .then(|| ws.timeline_of(&model, &resolved, &outcome, false));
            let pass_rates = (kind == ChartKind::PassRateByRound)
                .then(|| ws.rounds.pass_rates(inv, ws.params.pass_threshold));
            let data = ChartData {
                inventory: inv,
                model: &model,
                outcome: &outcome,
                decisions: &resolved.decisions,
                flow: timeline.as_ref().map(|t| &t.flow),
                pass_rates: pass_rates.as_deref(),
            };
            let (w, h) = size;
            let drawn = if svg {
                crate::charts::save_svg(path, kind, &data, lang, w, h)
            } else {
                crate::charts::save_png(path, kind, &data, lang, w, h)
            };
            drawn.map_err(ExportError::Chart)?;
        }
        FileExport::Redirects { format } => {
            let pattern = RedirectPattern::of(&ws.execution)?;
            let plan = crate::timeline::Evaluated {
                inv,
                model: &model,
                decisions: &resolved.decisions,
                serving: &outcome.serving,
            };
            let map = RedirectMap::build(&plan, &pattern, &ws.schedule);
            step(0.5)?;
            let mut file = crate::atomic::AtomicFile::create(path).map_err(io)?;
            crate::execution::redirects::write_redirects(
                &map,
                inv,
                format,
                pattern.source(),
                lang,
                &mut file,
            )
            .map_err(io)?;
            step(0.98)?;
            file.commit().map_err(io)?;
        }
        FileExport::Notices { format } => {
            let template = NoticeTemplate::of(&ws.execution, lang)?;
            let plan = crate::timeline::Evaluated {
                inv,
                model: &model,
                decisions: &resolved.decisions,
                serving: &outcome.serving,
            };
            let notices = Notices::new(plan, &ws.schedule, &ws.execution, &template, lang);
            match format {
                NoticeFormat::Folder => {
                    match crate::execution::notices::write_notice_files(path, &notices, &rest) {
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {
                            return Err(ExportError::Cancelled);
                        }
                        r => r.map_err(io)?,
                    };
                }
                NoticeFormat::Csv => {
                    let mut file = crate::atomic::AtomicFile::create(path).map_err(io)?;
                    crate::execution::notices::write_notices_csv(
                        notices.iter(),
                        inv,
                        lang,
                        &mut file,
                    )
                    .map_err(io)?;
                    step(0.98)?;
                    file.commit().map_err(io)?;
                }
                NoticeFormat::Xlsx => super::save_notices_xlsx(&notices, inv, lang, path, &rest)?,
            }
        }
    }
    report(1.0);
    Ok(())
}
