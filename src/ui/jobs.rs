//! Long work (optimizer, frontier, exports) on worker threads, with
//! progress and cancel. The app polls its jobs once per frame.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use crate::export::PlanExport;
use crate::i18n::Lang;
use crate::inventory::Imported;
use crate::optimize::{Frontier, OptimizeError, Options, Solution};
use crate::plan::{Decision, Params};
use crate::workspace::Workspace;

pub use crate::platform::background_priority;

/// A worker thread's result, handed over once the thread has ended. Not
/// through a channel: a channel's first block is allocated by the worker,
/// and freeing it on the UI thread made glibc trim the worker's heap there
/// (frames of 20–30 ms); the slot here is allocated by the UI thread.
pub struct Handoff<T> {
    slot: Arc<std::sync::Mutex<Option<T>>>,
    worker: std::thread::JoinHandle<()>,
}

impl<T: Send + 'static> Handoff<T> {
    /// Runs `work` on a new thread named `name`, at background priority.
    pub fn spawn(name: &str, work: impl FnOnce() -> T + Send + 'static) -> std::io::Result<Self> {
        let slot: Arc<std::sync::Mutex<Option<T>>> = Arc::default();
        let fill = slot.clone();
        let worker = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                background_priority();
                let done = work();
                if let Ok(mut slot) = fill.lock() {
                    *slot = Some(done);
                }
            })?;
        Ok(Handoff { slot, worker })
    }

    /// `None` while the worker runs; then its result (`Some(None)` when it
    /// died without one).
    pub fn take(&self) -> Option<Option<T>> {
        if !self.worker.is_finished() {
            return None;
        }
        Some(self.slot.lock().ok().and_then(|mut slot| slot.take()))
    }
}

/// How far a worker is, and the planner's wish to stop it: shared between
/// the worker and the app.
#[derive(Clone)]
pub struct Control {
    progress: Arc<AtomicU32>,
    cancel: Arc<AtomicBool>,
    started: Instant,
}

impl Control {
    fn new() -> Control {
        Control {
            progress: Arc::new(AtomicU32::new(0f32.to_bits())),
            cancel: Arc::new(AtomicBool::new(false)),
            started: Instant::now(),
        }
    }

    /// For the worker: records progress `f` (0..1); false once asked to stop.
    fn report(&self, f: f32) -> bool {
        self.progress
            .store(f.clamp(0.0, 1.0).to_bits(), Ordering::Relaxed);
        !self.cancel.load(Ordering::Relaxed)
    }

    /// Progress 0..1.
    pub fn progress(&self) -> f32 {
        f32::from_bits(self.progress.load(Ordering::Relaxed))
    }

    /// Time since it started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Asks the worker to stop.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

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
    /// Its progress and stop switch.
    pub control: Control,
    rx: Receiver<JobResult>,
}

impl Job {
    /// Starts a job over the shared inventory and a copy of the planner's
    /// locks.
    pub fn start(
        kind: JobKind,
        imported: Arc<Imported>,
        params: Params,
        locks: Vec<Option<Decision>>,
        options: Options,
        points: usize,
    ) -> std::io::Result<Job> {
        let control = Control::new();
        let (tx, rx) = std::sync::mpsc::channel();
        let worker = control.clone();
        std::thread::Builder::new()
            .name("sitefold-optimize".into())
            .spawn(move || {
                background_priority();
                let report = |f: f32| worker.report(f);
                let inv = &imported.inventory;
                let result = match kind {
                    JobKind::Optimize => JobResult::Optimize(Box::new(crate::optimize::optimize(
                        inv, &params, &locks, &options, &report,
                    ))),
                    JobKind::Frontier => JobResult::Frontier(crate::optimize::frontier(
                        inv, &params, &locks, &options, None, points, &report,
                    )),
                };
                let _ = tx.send(result);
            })?;
        Ok(Job { kind, control, rx })
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
    /// Its progress and stop switch (it writes nothing once stopped).
    pub control: Control,
    outcome: Handoff<ExportOutcome>,
}

impl ExportJob {
    /// Starts writing `kind` of `ws` to `path`.
    pub fn start(
        kind: ExportKind,
        ws: Workspace,
        lang: Lang,
        path: PathBuf,
    ) -> std::io::Result<ExportJob> {
        let control = Control::new();
        let (c, to) = (control.clone(), path.clone());
        let outcome = Handoff::spawn("sitefold-export", move || {
            export(kind, &ws, lang, &to, &|f| c.report(f))
        })?;
        Ok(ExportJob {
            kind,
            path,
            control,
            outcome,
        })
    }

    /// How it ended, once it has (once the worker thread has ended).
    pub fn poll(&self) -> Option<ExportOutcome> {
        self.outcome.take().map(|taken| {
            taken.unwrap_or_else(|| {
                ExportOutcome::Failed("导出意外中止 / The export stopped unexpectedly".to_string())
            })
        })
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
            let rows = crate::export::plan_rows(ws, &model, &resolved, &outcome, lang);
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
                r => r.map_err(|e| {
                    format!("{}: {}", path.display(), crate::atomic::describe(&e, lang))
                }),
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
            let written = if svg {
                crate::charts::save_svg(path, kind, &data, lang, w, h)
            } else {
                crate::charts::save_png(path, kind, &data, lang, w, h)
            };
            written.map_err(|e| e.message(lang))
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
