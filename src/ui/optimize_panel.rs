//! The optimizer: options, a background run with progress and cancel, the
//! result with its certified gap and reasons, and the savings–coverage
//! frontier (click a point to keep it as a scenario).

use crate::i18n::Lang;
use crate::inventory::{Kind, Level};
use crate::optimize::{Floor, Options, Protection, Solution, StoppedBy};

use super::cards::{money_f64, pct};
use super::command::{Command, ScenarioCommand};
use super::context::Cx;
use super::strings::ScenStr;

/// Which coverage the optimized plan must keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloorChoice {
    /// Today's, before any plan (every site serving itself).
    Today,
    /// The current plan's.
    CurrentPlan,
    /// A share the planner types.
    Share,
}

/// The optimizer panel's own state: the options being edited.
pub struct OptimizePanel {
    /// Which coverage to keep.
    pub floor: FloorChoice,
    floor_percent: f64,
    protect: Vec<(Level, Option<Kind>)>,
    capacity: Option<u64>,
    min_pass_rate: Option<f64>,
    points: usize,
}

impl Default for OptimizePanel {
    fn default() -> Self {
        OptimizePanel {
            floor: FloorChoice::Today,
            floor_percent: 85.0,
            protect: Protection::default().entries,
            capacity: None,
            min_pass_rate: None,
            points: 12,
        }
    }
}

impl OptimizePanel {
    fn options(&self, cx: &Cx<'_>) -> Options {
        let floor = match self.floor {
            FloorChoice::Today => Floor::Current,
            FloorChoice::CurrentPlan => Floor::Persons(cx.doc.outcome.covered.after),
            FloorChoice::Share => Floor::Fraction((self.floor_percent / 100.0).clamp(0.0, 1.0)),
        };
        let mut o = Options::with_floor(floor, &cx.doc.ws.params);
        o.protect = Protection {
            entries: self.protect.clone(),
        };
        if self.capacity.is_some() {
            o.max_absorbed = self.capacity;
        }
        o.min_pass_rate = self.min_pass_rate;
        o
    }

    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        ui.label(ScenStr::OptimizerHelp.get(lang));
        let applied = cx
            .doc
            .resolved
            .sources
            .iter()
            .filter(|s| **s == crate::plan::Source::Optimizer)
            .count();
        if applied > 0 {
            ui.horizontal_wrapped(|ui| {
                ui.label(format!("{} {applied}", ScenStr::AppliedCount.get(lang)));
                if ui.button(ScenStr::ClearApplied.get(lang)).clicked() {
                    out.push(Command::ClearOptimized);
                }
            });
        }
        ui.add_space(4.0);
        egui::Grid::new("optimizer_options")
            .num_columns(2)
            .show(ui, |ui| {
                ui.label(ScenStr::Floor.get(lang));
                ui.horizontal_wrapped(|ui| {
                    let o = &cx.doc.outcome;
                    ui.radio_value(
                        &mut self.floor,
                        FloorChoice::Today,
                        format!(
                            "{} ({})",
                            ScenStr::FloorCurrent.get(lang),
                            pct(o.coverage.before)
                        ),
                    );
                    ui.radio_value(
                        &mut self.floor,
                        FloorChoice::CurrentPlan,
                        format!(
                            "{} ({})",
                            ScenStr::FloorPlan.get(lang),
                            pct(o.coverage.after)
                        ),
                    );
                    let value = ui.radio_value(
                        &mut self.floor,
                        FloorChoice::Share,
                        ScenStr::FloorValue.get(lang),
                    );
                    ui.add_enabled(
                        self.floor == FloorChoice::Share,
                        egui::DragValue::new(&mut self.floor_percent)
                            .range(0.0..=100.0)
                            .speed(0.1)
                            .suffix(" %"),
                    )
                    .labelled_by(value.id);
                });
                ui.end_row();
                ui.label(ScenStr::Protect.get(lang));
                // One line per level: a wrapped row inside a grid cell
                // would overlap the next row of the grid.
                ui.vertical(|ui| {
                    for level in Level::ALL {
                        ui.horizontal(|ui| {
                            for kind in [None, Some(Kind::Portal), Some(Kind::Department)] {
                                let label = match kind {
                                    None => level.label(lang).to_string(),
                                    Some(Kind::Portal) => {
                                        format!(
                                            "{}{}",
                                            level.label(lang),
                                            ScenStr::Portals.get(lang)
                                        )
                                    }
                                    Some(Kind::Department) => format!(
                                        "{}{}",
                                        level.label(lang),
                                        ScenStr::Departments.get(lang)
                                    ),
                                };
                                let mut on = self.protect.contains(&(level, kind));
                                if ui.checkbox(&mut on, label).changed() {
                                    if on {
                                        self.protect.push((level, kind));
                                    } else {
                                        self.protect.retain(|e| *e != (level, kind));
                                    }
                                }
                            }
                        });
                    }
                });
                ui.end_row();
                let label = ui.label(ScenStr::Capacity.get(lang));
                ui.horizontal(|ui| {
                    let mut on = self.capacity.is_some();
                    if ui.checkbox(&mut on, "").labelled_by(label.id).changed() {
                        self.capacity =
                            on.then(|| cx.doc.ws.params.max_absorbed_per_target.unwrap_or(30));
                    }
                    match &mut self.capacity {
                        Some(c) => {
                            ui.add(egui::DragValue::new(c).range(0..=100_000))
                                .labelled_by(label.id);
                        }
                        None => {
                            let default = cx.doc.ws.params.max_absorbed_per_target.unwrap_or(30);
                            ui.weak(format!("{} {default}", ScenStr::CapacityOff.get(lang)));
                        }
                    }
                });
                ui.end_row();
                let label = ui.label(ScenStr::MinPassRate.get(lang));
                ui.horizontal(|ui| {
                    let mut on = self.min_pass_rate.is_some();
                    if ui.checkbox(&mut on, "").labelled_by(label.id).changed() {
                        self.min_pass_rate = on.then_some(0.9);
                    }
                    if let Some(r) = &mut self.min_pass_rate {
                        let mut p = *r * 100.0;
                        if ui
                            .add(
                                egui::DragValue::new(&mut p)
                                    .range(0.0..=100.0)
                                    .speed(0.1)
                                    .suffix(" %"),
                            )
                            .labelled_by(label.id)
                            .changed()
                        {
                            *r = p / 100.0;
                        }
                    }
                });
                ui.end_row();
            });
        ui.add_space(4.0);
        let running = cx.optimizer.job.as_ref();
        ui.horizontal(|ui| {
            ui.add_enabled_ui(running.is_none(), |ui| {
                if ui.button(ScenStr::Run.get(lang)).clicked() {
                    out.push(Command::Optimize(self.options(cx)));
                }
                if ui.button(ScenStr::RunFrontier.get(lang)).clicked() {
                    out.push(Command::Frontier {
                        options: self.options(cx),
                        points: self.points,
                    });
                }
                let label = ui.label(ScenStr::Points.get(lang));
                ui.add(egui::DragValue::new(&mut self.points).range(2..=50))
                    .labelled_by(label.id);
            });
        });
        if let Some(job) = running {
            ui.horizontal(|ui| {
                ui.add(
                    egui::ProgressBar::new(job.control.progress())
                        .show_percentage()
                        .desired_width(260.0),
                );
                ui.label(format!(
                    "{} {:.1} s",
                    ScenStr::Running.get(lang),
                    job.control.elapsed().as_secs_f32()
                ));
                if ui.button(ScenStr::CancelRun.get(lang)).clicked() {
                    out.push(Command::CancelJob);
                }
            });
        }
        if let Some(msg) = &cx.optimizer.message {
            ui.colored_label(egui::Color32::from_rgb(0xc0, 0x39, 0x2b), msg.get(lang));
        }
        if let Some(sol) = &cx.optimizer.solution {
            ui.separator();
            ui.strong(ScenStr::Result.get(lang));
            egui::Grid::new("optimizer_result")
                .num_columns(2)
                .show(ui, |ui| {
                    let rows = [
                        (
                            crate::ui::strings::S::Savings.get(lang),
                            money_f64(sol.savings, lang),
                        ),
                        (ScenStr::Bound.get(lang), money_f64(sol.bound, lang)),
                        (ScenStr::Quality.get(lang), quality(sol, lang)),
                        (ScenStr::StoppedBy.get(lang), stop_reason(sol, lang)),
                        (crate::ui::strings::S::Coverage.get(lang), pct(sol.coverage)),
                        (
                            crate::ui::strings::S::PassRate.get(lang),
                            pct(sol.pass_rate),
                        ),
                        (
                            crate::ui::strings::S::Merged.get(lang),
                            sol.merged.to_string(),
                        ),
                        (ScenStr::Seconds.get(lang), format!("{:.2}", sol.seconds)),
                    ];
                    for (k, v) in rows {
                        ui.label(k);
                        ui.strong(v);
                        ui.end_row();
                    }
                });
            let sites = cx.doc.inventory().len();
            if sol.merged * 2 > sites {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!(
                        "⚠ {} ({} / {})",
                        ScenStr::MostClose.get(lang),
                        sol.merged,
                        sites
                    ),
                );
            }
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button(ScenStr::ApplyPlan.get(lang))
                    .on_hover_text(ScenStr::ApplyPlanHelp.get(lang))
                    .clicked()
                {
                    out.push(Command::ApplyOptimized(sol.decisions.clone()));
                }
                if ui.button(ScenStr::SaveAsScenario.get(lang)).clicked() {
                    // Named by the floor asked for, not the coverage reached.
                    let population = cx.doc.model.population;
                    let floor =
                        (population > 0).then(|| sol.floor_persons as f64 / population as f64);
                    out.push(Command::Scenario(ScenarioCommand::AddPlan {
                        name: format!(
                            "{} {} {}",
                            ScenStr::OptimizedName.get(lang),
                            ScenStr::Floor.get(lang),
                            pct(floor)
                        ),
                        decisions: sol.decisions.clone(),
                    }));
                }
            });
            ui.collapsing(ScenStr::Reasons.get(lang), |ui| {
                let inv = cx.doc.inventory();
                egui::ScrollArea::vertical()
                    .id_salt("optimizer_reasons")
                    .max_height(260.0)
                    .show_rows(ui, 20.0, sol.notes.len(), |ui, range| {
                        for note in &sol.notes[range] {
                            let site = inv.site(note.site);
                            ui.label(format!(
                                "{} {} — {}",
                                site.id,
                                site.name,
                                note.text(inv).get(lang)
                            ));
                        }
                    });
            });
        }
        if let Some(frontier) = &cx.optimizer.frontier {
            ui.separator();
            ui.strong(ScenStr::FrontierTitle.get(lang));
            ui.weak(ScenStr::FrontierHelp.get(lang));
            if let Some(k) = frontier_chart(ui, cx, frontier) {
                let p = &frontier.points[k];
                out.push(Command::Scenario(ScenarioCommand::AddPlan {
                    name: format!("{} {}", ScenStr::FrontierName.get(lang), pct(p.coverage)),
                    decisions: p.decisions.clone(),
                }));
            }
        }
    }
}

/// "Proven optimal", or how far from the best possible the plan may be.
fn quality(sol: &Solution, lang: Lang) -> String {
    if sol.proven_optimal {
        return ScenStr::ProvenOptimal.get(lang).to_string();
    }
    ScenStr::Within
        .get(lang)
        .replace("{gap}", &sol.gap_percent())
}

/// Why the search stopped.
fn stop_reason(sol: &Solution, lang: Lang) -> String {
    match sol.stopped_by {
        StoppedBy::Gap if sol.proven_optimal => ScenStr::StoppedProven.get(lang).to_string(),
        StoppedBy::Gap => ScenStr::StoppedGap.get(lang).to_string(),
        StoppedBy::Time => ScenStr::StoppedTime.get(lang).to_string(),
        StoppedBy::Cancel => ScenStr::StoppedCancel.get(lang).to_string(),
    }
}

/// Savings (y) against coverage (x); returns the clicked point.
fn frontier_chart(ui: &mut egui::Ui, cx: &Cx<'_>, f: &crate::optimize::Frontier) -> Option<usize> {
    let lang = cx.lang;
    let width = ui.available_width().min(720.0);
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, 260.0), egui::Sense::click());
    let painter = ui.painter_at(rect);
    let text = ui.visuals().text_color();
    let plot = egui::Rect::from_min_max(
        rect.min + egui::vec2(70.0, 10.0),
        rect.max - egui::vec2(10.0, 30.0),
    );
    painter.rect_stroke(
        plot,
        0.0,
        egui::Stroke::new(1.0, ui.visuals().weak_text_color()),
        egui::StrokeKind::Inside,
    );
    let pts: Vec<(f64, f64)> = f
        .points
        .iter()
        .map(|p| (p.coverage.unwrap_or(0.0), p.savings))
        .collect();
    if pts.is_empty() {
        return None;
    }
    let (mut x0, mut x1) = (f64::MAX, f64::MIN);
    let (mut y0, mut y1) = (f64::MAX, f64::MIN);
    for &(x, y) in &pts {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    // Zoom on the trade-off: savings change little along the frontier.
    let pad = ((y1 - y0) * 0.1).max(y1.abs() * 0.001).max(1.0);
    let (y0, y1) = ((y0 - pad).max(0.0), y1 + pad);
    if x1 - x0 < 1e-6 {
        x0 -= 0.01;
        x1 += 0.01;
    }
    let to_screen = |x: f64, y: f64| {
        egui::pos2(
            plot.left() + ((x - x0) / (x1 - x0)) as f32 * plot.width(),
            plot.bottom() - ((y - y0) / (y1 - y0)) as f32 * plot.height(),
        )
    };
    let line: Vec<egui::Pos2> = pts.iter().map(|&(x, y)| to_screen(x, y)).collect();
    painter.add(egui::Shape::line(
        line.clone(),
        egui::Stroke::new(2.0, egui::Color32::from_rgb(0x1f, 0x9e, 0x89)),
    ));
    let hover = response.hover_pos();
    let mut hit = None;
    for (k, p) in line.iter().enumerate() {
        let near = hover.is_some_and(|h| h.distance(*p) < 8.0);
        if near {
            hit = Some(k);
        }
        painter.circle_filled(
            *p,
            if near { 6.0 } else { 4.0 },
            egui::Color32::from_rgb(0xe0, 0x8a, 0x1e),
        );
    }
    painter.text(
        plot.left_bottom() + egui::vec2(0.0, 4.0),
        egui::Align2::LEFT_TOP,
        pct(Some(x0)),
        egui::FontId::proportional(11.0),
        text,
    );
    painter.text(
        plot.right_bottom() + egui::vec2(0.0, 4.0),
        egui::Align2::RIGHT_TOP,
        pct(Some(x1)),
        egui::FontId::proportional(11.0),
        text,
    );
    painter.text(
        plot.center_bottom() + egui::vec2(0.0, 4.0),
        egui::Align2::CENTER_TOP,
        crate::ui::strings::S::Coverage.get(lang),
        egui::FontId::proportional(11.0),
        text,
    );
    painter.text(
        plot.left_top() - egui::vec2(4.0, 0.0),
        egui::Align2::RIGHT_TOP,
        money_f64(y1, lang),
        egui::FontId::proportional(11.0),
        text,
    );
    painter.text(
        plot.left_bottom() - egui::vec2(4.0, 0.0),
        egui::Align2::RIGHT_BOTTOM,
        money_f64(y0, lang),
        egui::FontId::proportional(11.0),
        text,
    );
    if let Some(k) = hit {
        let p = &f.points[k];
        response.clone().on_hover_text(format!(
            "{} {}\n{} {}\n{} {}",
            crate::ui::strings::S::Coverage.get(lang),
            pct(p.coverage),
            crate::ui::strings::S::Savings.get(lang),
            money_f64(p.savings, lang),
            ScenStr::Gap.get(lang),
            format_args!("{:.2}%", p.gap * 100.0)
        ));
        if response.clicked() {
            return Some(k);
        }
    }
    None
}
