//! The optimizer panel says whether the plan is proven optimal, how far
//! from the best possible it may be otherwise, and why the search stopped.

mod common;

use egui_kittest::kittest::Queryable;
use sitefold::i18n::Lang;
use sitefold::optimize::{Floor, Options, StoppedBy};
use sitefold::ui::command::{Command, Tab};

fn run_optimizer(lang: Lang) -> egui_kittest::Harness<'static, sitefold::ui::SitefoldApp> {
    let mut harness = common::harness(common::sample_app(lang));
    harness.state_mut().push(Command::ShowTab(Tab::Optimize));
    harness
        .state_mut()
        .push(Command::Optimize(Options::with_floor(
            Floor::Fraction(0.93),
            &sitefold::plan::Params::default(),
        )));
    harness.step();
    let start = std::time::Instant::now();
    while harness.state().optimizer.job.is_some() {
        assert!(start.elapsed().as_secs() < 120, "the optimizer finishes");
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.step();
    }
    harness.run();
    harness
}

#[test]
fn a_proven_plan_says_so() {
    let mut harness = run_optimizer(Lang::En);
    let sol = harness.state().optimizer.solution.clone().expect("a plan");
    assert!(sol.proven_optimal);
    assert_eq!(sol.stopped_by, StoppedBy::Gap);
    harness.get_by_label("Proven optimal");
    harness.get_by_label("no better plan exists (proven)");
    // When the time runs out first, the panel gives the certified gap
    // and the reason.
    {
        let s = harness
            .state_mut()
            .optimizer
            .solution
            .as_mut()
            .expect("a plan");
        s.proven_optimal = false;
        s.gap = 0.00012;
        s.stopped_by = StoppedBy::Time;
    }
    harness.run();
    harness.get_by_label("Within 0.0120% of the best possible");
    harness.get_by_label("the time limit was reached; this is the best plan found");
}

#[test]
fn in_chinese_too() {
    let mut harness = run_optimizer(Lang::Zh);
    harness.get_by_label("已证明最优");
    {
        let s = harness
            .state_mut()
            .optimizer
            .solution
            .as_mut()
            .expect("a plan");
        s.proven_optimal = false;
        s.gap = 0.5;
        s.stopped_by = StoppedBy::Cancel;
    }
    harness.run();
    harness.get_by_label("与可能的最优方案相差不超过 50.00%");
    harness.get_by_label("已取消，显示目前最好的方案");
}
