//! The optimizer and the frontier, run in the background.

use crate::i18n::Text;

use super::*;

impl SitefoldApp {
    pub(super) fn start_job(
        &mut self,
        kind: crate::ui::jobs::JobKind,
        options: crate::optimize::Options,
        points: usize,
    ) {
        if self.optimizer.job.is_some() {
            return;
        }
        let ws = &self.doc.ws;
        self.optimizer.message = None;
        match crate::ui::jobs::Job::start(
            kind,
            ws.imported.clone(),
            ws.params.clone(),
            ws.manual.clone(),
            options,
            points,
        ) {
            Ok(job) => self.optimizer.job = Some(job),
            Err(e) => self.optimizer.message = Some(Text::new(e.to_string(), e.to_string())),
        }
    }

    /// Takes a finished optimizer or frontier result.
    pub(super) fn poll_job(&mut self) -> bool {
        let Some(job) = &self.optimizer.job else {
            return false;
        };
        let Some(result) = job.poll() else {
            return false;
        };
        self.optimizer.job = None;
        use crate::ui::jobs::JobResult;
        let lang_text = |e: crate::optimize::OptimizeError| {
            Text::new(
                e.message(crate::i18n::Lang::Zh),
                e.message(crate::i18n::Lang::En),
            )
        };
        match result {
            Ok(JobResult::Optimize(r)) => match *r {
                Ok(sol) => self.optimizer.solution = Some(sol),
                Err(e) => self.optimizer.message = Some(lang_text(e)),
            },
            Ok(JobResult::Frontier(Ok(f))) => self.optimizer.frontier = Some(f),
            Ok(JobResult::Frontier(Err(e))) => self.optimizer.message = Some(lang_text(e)),
            Err(crate::ui::jobs::Died) => {
                self.optimizer.message = Some(Text::new(
                    "计算意外中止",
                    "The computation stopped unexpectedly",
                ))
            }
        }
        true
    }
}
