//! Long work (optimizer, frontier, exports) on worker threads, with
//! progress and cancel. The app polls its jobs once per frame.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use crate::export::PlanExport;
use crate::i18n::Lang;
use crate::inventory::Inventory;
use crate::optimize::{Frontier, OptimizeError, Options, Solution};
use crate::plan::{Decision, Params};
use crate::workspace::Workspace;

/// What a job computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    /// One optimized plan.
    Optimize,
    /// The savings–coverage frontier.
    Frontier,
}

/// A finished job's result.
pub enum JobResult {
    /// The optimizer's plan.
    Optimize(Box<Result<Solution, OptimizeError>>),
    /// The frontier.
    Frontier(Result<Frontier, OptimizeError>),
}

/// A running job.
pub struct Job {
    /// What it computes.
    pub kind: JobKind,
    progress: Arc<AtomicU32>,
    cancel: Arc<AtomicBool>,
    rx: Receiver<JobResult>,
    started: Instant,
}

impl Job {
    /// Starts a job over a copy of the inventory and the planner's locks.
    pub fn start(
        kind: JobKind,
        inv: Inventory,
        params: Params,
        locks: Vec<Option<Decision>>,
        options: Options,
        points: usize,
    ) -> std::io::Result<Job> {
        let progress = Arc::new(AtomicU32::new(0f32.to_bits()));
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = std::sync::mpsc::channel();
        let (p, c) = (progress.clone(), cancel.clone());
        std::thread::Builder::new()
            .name("sitefold-optimize".into())
            .spawn(move || {
                let report = |f: f32| {
                    p.store(f.clamp(0.0, 1.0).to_bits(), Ordering::Relaxed);
                    !c.load(Ordering::Relaxed)
                };
                let result = match kind {
                    JobKind::Optimize => JobResult::Optimize(Box::new(crate::optimize::optimize(
                        &inv, &params, &locks, &options, &report,
                    ))),
                    JobKind::Frontier => JobResult::Frontier(crate::optimize::frontier(
                        &inv, &params, &locks, &options, None, points, &report,
                    )),
                };
                let _ = tx.send(result);
            })?;
        Ok(Job {
            kind,
            progress,
            cancel,
            rx,
            started: Instant::now(),
        })
    }

    /// Progress 0..1.
    pub fn progress(&self) -> f32 {
        f32::from_bits(self.progress.load(Ordering::Relaxed))
    }

    /// Time since it started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Asks the job to stop.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The result, when ready; `Err(())` when the worker died.
    pub fn poll(&self) -> Option<Result<JobResult, ()>> {
        match self.rx.try_recv() {
            Ok(r) => Some(Ok(r)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(())),
        }
    }
}

/// What an export writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// The plan workbook.
    PlanXlsx,
    /// The plan as CSV.
    PlanCsv,
    /// One chart, as SVG or PNG.
    Chart {
        /// Which chart.
        kind: crate::charts::ChartKind,
        /// SVG rather than PNG.
        svg: bool,
    },
}

/// How an export ended.
#[derive(Debug, PartialEq, Eq)]
pub enum ExportOutcome {
    /// The file is written.
    Written,
    /// Cancelled: nothing was written.
    Cancelled,
    /// Failed (the message, in the planner's language); nothing was
    /// written and an earlier file of that name is untouched.
    Failed(String),
}

/// An export running on a worker thread, over a copy of the workspace
/// (cheap: the imported inventory is shared), so the planner can go on
/// working while it runs.
pub struct ExportJob {
    /// What it writes.
    pub kind: ExportKind,
    /// Where.
    pub path: PathBuf,
    progress: Arc<AtomicU32>,
    cancel: Arc<AtomicBool>,
    /// Where the worker leaves its outcome. Not a channel: its first
    /// block would be allocated by the worker, and freeing it here made
    /// glibc trim the worker's heap on this thread (a 20–30 ms frame).
    outcome: Arc<std::sync::Mutex<Option<ExportOutcome>>>,
    worker: std::thread::JoinHandle<()>,
    started: Instant,
}

impl ExportJob {
    /// Starts writing `kind` of `ws` to `path`.
    pub fn start(
        kind: ExportKind,
        ws: Workspace,
        lang: Lang,
        path: PathBuf,
    ) -> std::io::Result<ExportJob> {
        let progress = Arc::new(AtomicU32::new(0f32.to_bits()));
        let cancel = Arc::new(AtomicBool::new(false));
        let outcome: Arc<std::sync::Mutex<Option<ExportOutcome>>> = Arc::default();
        let (p, c, to, out) = (
            progress.clone(),
            cancel.clone(),
            path.clone(),
            outcome.clone(),
        );
        let worker = std::thread::Builder::new()
            .name("sitefold-export".into())
            .spawn(move || {
                let report = |f: f32| {
                    p.store(f.clamp(0.0, 1.0).to_bits(), Ordering::Relaxed);
                    !c.load(Ordering::Relaxed)
                };
                let done = export(kind, &ws, lang, &to, &report);
                drop(ws);
                if let Ok(mut slot) = out.lock() {
                    *slot = Some(done);
                }
            })?;
        Ok(ExportJob {
            kind,
            path,
            progress,
            cancel,
            outcome,
            worker,
            started: Instant::now(),
        })
    }

    /// Progress 0..1.
    pub fn progress(&self) -> f32 {
        f32::from_bits(self.progress.load(Ordering::Relaxed))
    }

    /// Time since it started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Asks the export to stop (it writes nothing once it has stopped).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// How it ended, once it has (once the worker thread has ended).
    pub fn poll(&self) -> Option<ExportOutcome> {
        if !self.worker.is_finished() {
            return None;
        }
        let taken = self.outcome.lock().ok().and_then(|mut slot| slot.take());
        Some(taken.unwrap_or_else(|| {
            ExportOutcome::Failed("导出意外中止 / The export stopped unexpectedly".to_string())
        }))
    }
}

/// Writes one export of `ws` (evaluated afresh: the same figures the
/// app shows, as the document is evaluated from the same workspace).
pub fn export(
    kind: ExportKind,
    ws: &Workspace,
    lang: Lang,
    path: &Path,
    report: &dyn Fn(f32) -> bool,
) -> ExportOutcome {
    if !report(0.0) {
        return ExportOutcome::Cancelled;
    }
    let (resolved, outcome) = ws.evaluate();
    let model = ws.model();
    if !report(0.05) {
        return ExportOutcome::Cancelled;
    }
    let inv = &ws.imported.inventory;
    // The rest of the work reports 5% to 100%.
    let rest = |f: f32| report(0.05 + 0.95 * f);
    let result = match kind {
        ExportKind::PlanXlsx => {
            let data = PlanExport {
                ws,
                model: &model,
                resolved: &resolved,
                outcome: &outcome,
            };
            match crate::export::save_plan_xlsx_with(&data, lang, path, &rest) {
                Err(crate::export::ExportError::Cancelled) => return ExportOutcome::Cancelled,
                r => r.map_err(|e| e.message(lang)),
            }
        }
        ExportKind::PlanCsv => {
            let rows = crate::export::plan_rows(inv, &model, &resolved, &ws.rules, &outcome, lang);
            let mut buf = Vec::new();
            let written =
                crate::export::write_plan_csv_with(inv, &rows, &mut buf, lang, &|f| rest(0.9 * f))
                    .and_then(|()| {
                        if rest(0.9) {
                            crate::export::write_atomic(path, &buf)
                        } else {
                            Err(std::io::ErrorKind::Interrupted.into())
                        }
                    });
            match written {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {
                    return ExportOutcome::Cancelled;
                }
                r => r.map_err(|e| format!("{}: {e}", path.display())),
            }
        }
        ExportKind::Chart { kind, svg } => {
            let data = crate::charts::ChartData {
                inventory: inv,
                model: &model,
                outcome: &outcome,
                decisions: &resolved.decisions,
            };
            let (w, h) = crate::charts::EXPORT_SIZE;
            if svg {
                crate::charts::save_svg(path, kind, &data, lang, w, h)
            } else {
                crate::charts::save_png(path, kind, &data, lang, w, h)
            }
        }
    };
    match result {
        Ok(()) => {
            report(1.0);
            ExportOutcome::Written
        }
        Err(message) => ExportOutcome::Failed(message),
    }
}
