//! Background work, one way: a [`Task`] runs on a worker thread at
//! background priority, reports progress, stops when asked, and hands its
//! result over when its thread has ended. Opening files, sorting the
//! table, drawing charts, previewing a column mapping, the optimizer,
//! exports and autosave all run as tasks; the app polls them once per
//! frame.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::export::{ExportError, FileExport};
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
struct Handoff<T> {
    slot: Arc<std::sync::Mutex<Option<T>>>,
    worker: std::thread::JoinHandle<()>,
}

impl<T: Send + 'static> Handoff<T> {
    /// Runs `work` on a new thread named `name`, at background priority.
    fn spawn(name: &str, work: impl FnOnce() -> T + Send + 'static) -> std::io::Result<Self> {
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
    fn take(&self) -> Option<Option<T>> {
        if !self.worker.is_finished() {
            return None;
        }
        Some(self.slot.lock().ok().and_then(|mut slot| slot.take()))
    }

    /// Waits for the worker; its result (`None` when it died without one).
    fn wait(self) -> Option<T> {
        let _ = self.worker.join();
        self.slot.lock().ok().and_then(|mut slot| slot.take())
    }
}

/// A worker ended without a result (it panicked).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the background work stopped unexpectedly")]
pub struct Died;

/// Work running on a worker thread: its progress and stop switch, and its
/// result once the thread has ended. Dropping a task lets it run on to its
/// end unobserved.
pub struct Task<T> {
    control: Control,
    handoff: Handoff<T>,
}

impl<T: Send + 'static> Task<T> {
    /// Runs `work` on a thread named `name` at background priority; `work`
    /// reports progress and learns of a cancel through the [`Control`].
    pub fn spawn(
        name: &str,
        work: impl FnOnce(&Control) -> T + Send + 'static,
    ) -> std::io::Result<Task<T>> {
        let control = Control::new();
        let worker = control.clone();
        let handoff = Handoff::spawn(name, move || work(&worker))?;
        Ok(Task { control, handoff })
    }

    /// Its progress, elapsed time and stop switch.
    pub fn control(&self) -> &Control {
        &self.control
    }

    /// `None` while it runs; then its result, or [`Died`].
    pub fn poll(&self) -> Option<Result<T, Died>> {
        self.handoff.take().map(|r| r.ok_or(Died))
    }

    /// Waits for it to end.
    pub fn wait(self) -> Result<T, Died> {
        self.handoff.wait().ok_or(Died)
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
    pub fn report(&self, f: f32) -> bool {
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

    /// True once asked to stop.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
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
    task: Task<JobResult>,
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
        let task = Task::spawn("sitefold-optimize", move |control| {
            let report = |f: f32| control.report(f);
            let inv = &imported.inventory;
            match kind {
                JobKind::Optimize => JobResult::Optimize(Box::new(crate::optimize::optimize(
                    inv, &params, &locks, &options, &report,
                ))),
                JobKind::Frontier => JobResult::Frontier(crate::optimize::frontier(
                    inv, &params, &locks, &options, None, points, &report,
                )),
            }
        })?;
        Ok(Job {
            kind,
            control: task.control().clone(),
            task,
        })
    }

    /// The result, when ready; [`Died`] when the worker died.
    pub fn poll(&self) -> Option<Result<JobResult, Died>> {
        self.task.poll()
    }
}

/// What an export writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// The plan workbook.
    PlanXlsx,
    /// The plan as CSV.
    PlanCsv,
    /// The report (DOCX).
    Report,
    /// The audit trail as CSV.
    AuditCsv,
    /// The redirect map.
    Redirects(crate::execution::redirects::RedirectFormat),
    /// The closure notices.
    Notices(crate::execution::notices::NoticeFormat),
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
    task: Task<ExportOutcome>,
}

impl ExportJob {
    /// Starts writing `kind` of `ws` to `path`.
    pub fn start(
        kind: ExportKind,
        ws: Workspace,
        lang: Lang,
        path: PathBuf,
    ) -> std::io::Result<ExportJob> {
        let to = path.clone();
        let task = Task::spawn("sitefold-export", move |c| {
            export(kind, &ws, lang, &to, &|f| c.report(f))
        })?;
        Ok(ExportJob {
            kind,
            path,
            control: task.control().clone(),
            task,
        })
    }

    /// How it ended, once it has (once the worker thread has ended).
    pub fn poll(&self) -> Option<ExportOutcome> {
        self.task.poll().map(|taken| {
            taken.unwrap_or_else(|Died| {
                ExportOutcome::Failed("导出意外中止 / The export stopped unexpectedly".to_string())
            })
        })
    }
}

/// Writes one export of `ws` (see [`crate::export::write_export`], which
/// the command line calls too) and says how it ended.
pub fn export(
    kind: ExportKind,
    ws: &Workspace,
    lang: Lang,
    path: &Path,
    report: &dyn Fn(f32) -> bool,
) -> ExportOutcome {
    let what = match kind {
        ExportKind::PlanXlsx => FileExport::PlanXlsx,
        ExportKind::PlanCsv => FileExport::PlanCsv,
        ExportKind::Report => FileExport::Report,
        ExportKind::AuditCsv => FileExport::AuditCsv,
        ExportKind::Redirects(format) => FileExport::Redirects { format },
        ExportKind::Notices(format) => FileExport::Notices { format },
        ExportKind::Chart { kind, svg } => FileExport::Chart {
            kind,
            svg,
            size: crate::charts::EXPORT_SIZE,
        },
    };
    match crate::export::write_export(what, ws, lang, path, report) {
        Ok(()) => ExportOutcome::Written,
        Err(ExportError::Cancelled) => ExportOutcome::Cancelled,
        Err(e) => ExportOutcome::Failed(e.message(lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait<T: Send + 'static>(task: &Task<T>) -> Result<T, Died> {
        let start = Instant::now();
        loop {
            if let Some(r) = task.poll() {
                return r;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "the task ends");
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    #[test]
    fn a_task_hands_over_its_result_and_its_progress() {
        let task = Task::spawn("test", |c| {
            c.report(0.5);
            21 * 2
        })
        .expect("spawn");
        assert_eq!(wait(&task), Ok(42));
        assert_eq!(task.control().progress(), 0.5);
    }

    #[test]
    fn a_cancelled_task_learns_of_it() {
        let task = Task::spawn("test", |c| {
            let start = Instant::now();
            while c.report(0.1) {
                if start.elapsed() > Duration::from_secs(20) {
                    return false;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            true
        })
        .expect("spawn");
        task.control().cancel();
        assert!(task.control().cancelled());
        assert_eq!(wait(&task), Ok(true), "stopped when asked");
    }

    #[test]
    fn a_task_that_dies_says_so() {
        let task: Task<u32> = Task::spawn("test", |_| panic!("worker fault")).expect("spawn");
        assert_eq!(wait(&task), Err(Died));
        let task = Task::spawn("test", |_| 7).expect("spawn");
        assert_eq!(task.wait(), Ok(7));
    }
}
