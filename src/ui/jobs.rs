//! Long computations (optimizer, frontier) on a worker thread, with
//! progress and cancel. The app polls the job once per frame.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use crate::inventory::Inventory;
use crate::optimize::{Frontier, OptimizeError, Options, Solution};
use crate::plan::{Decision, Params};

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
