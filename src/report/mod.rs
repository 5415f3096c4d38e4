//! The plan report (`.docx`): what a plan does, written for a provincial
//! office to circulate, in Chinese or English.
//!
//! ```no_run
//! use sitefold::i18n::Lang;
//! let ws = sitefold::workspace::Workspace::new(sitefold::sample::sample());
//! let model = ws.model();
//! let (resolved, outcome) = ws.evaluate_with(&model);
//! let data = sitefold::export::PlanExport { ws: &ws, model: &model, resolved: &resolved, outcome: &outcome };
//! let _bytes = sitefold::report::report_docx(&data, Lang::Zh, None, &|_| true)?;
//! # Ok::<(), sitefold::export::ExportError>(())
//! ```
//!
//! A4 pages laid out as Chinese official documents are (GB/T 9704): the
//! title, sections numbered 一、二、三 with sub-headings （一）（二）,
//! body text in FangSong (仿宋) at 16 pt on a fixed line pitch, headings
//! in SimHei (黑体) and KaiTi (楷体), page numbers "— 1 —" at the foot.
//! English reports have the same structure.
//!
//! Every figure comes from the [`Summary`](crate::outcome::Summary), its
//! tables ([`crate::export::summary_tables`]) and the areas
//! ([`crate::outcome::by_area`]) that `sitefold summary` prints, so the
//! report and the summary agree to the fen by construction.
//!
//! The report is built in two steps: [`build`] writes the words, tables
//! and charts ([`Report`], independent of the file format), and
//! [`report_docx`] lays them out as a Word document (with `docx-rs`).

mod appendix;
mod content;
mod docx;
mod words;

pub use content::{Block, Picture, Report, ReportTable, Section, build};
pub use docx::{render as render_docx, report_docx, save_report_with};

use crate::i18n::Lang;
use crate::workspace::Workspace;

/// The report's section on when sites close and what that costs and
/// saves (MODEL.md §8): printed after the receiving sites when the plan
/// has a schedule, `None` otherwise. A paragraph of the headline figures,
/// the cash flow by year, and the cash-flow chart with its payback point.
pub fn timeline_section(ws: &Workspace, lang: Lang) -> Option<Section> {
    if !ws.schedule.iter().any(Option::is_some) {
        return None;
    }
    let model = ws.model();
    let (resolved, outcome) = ws.evaluate_with(&model);
    let t = ws.timeline_of(&model, &resolved, &outcome, false);
    let flow = &t.flow;
    if flow.scheduled == 0 {
        return None;
    }
    let one_time: crate::money::Money = flow.quarters.iter().map(|q| q.one_time).sum();
    let quarters_used = flow.quarters.iter().filter(|q| q.closures > 0).count();
    let end = flow.final_cumulative();
    let mut blocks = vec![Block::Paragraph(match lang {
        Lang::Zh => format!(
            "按关停时间表，{}个网站在{}至{}间分{}个季度关停{}。一次性支出合计{}元，测算期末累计净额{}元，{}。",
            flow.scheduled,
            flow.start_quarter.chinese(),
            flow.end_quarter.chinese(),
            quarters_used,
            if flow.unscheduled.is_empty() {
                String::new()
            } else {
                format!("（另有{}个合并网站尚未排期）", flow.unscheduled.len())
            },
            one_time.grouped(),
            end.grouped(),
            match flow.payback_quarter {
                Some(q) => format!("于{}回本", q.chinese()),
                None => "测算期内不能回本".to_string(),
            }
        ),
        Lang::En => format!(
            "Under the schedule, {} sites close over {} quarters between {} and {}{}. One-time spending totals ¥{}; the cumulative net at the end of the horizon is ¥{}; {}.",
            flow.scheduled,
            quarters_used,
            flow.start_quarter,
            flow.end_quarter,
            if flow.unscheduled.is_empty() {
                String::new()
            } else {
                format!(
                    " ({} merged sites are not scheduled yet)",
                    flow.unscheduled.len()
                )
            },
            one_time.grouped(),
            end.grouped(),
            match flow.payback_quarter {
                Some(q) => format!("the plan pays back in {q}"),
                None => "the plan does not pay back within the horizon".to_string(),
            }
        ),
    })];
    let headers: Vec<String> = [
        lang.pick("年份", "Year"),
        lang.pick("关停数", "Closures"),
        lang.pick("一次性支出（元）", "One-time (¥)"),
        lang.pick("节约（元）", "Savings (¥)"),
        lang.pick("净额（元）", "Net (¥)"),
        lang.pick("累计净额（元）", "Cumulative (¥)"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows = flow
        .years
        .iter()
        .map(|y| {
            vec![
                y.year.to_string(),
                y.closures.to_string(),
                y.one_time.grouped(),
                y.savings.grouped(),
                y.net.grouped(),
                y.cumulative.grouped(),
            ]
        })
        .collect();
    blocks.push(Block::Table(ReportTable {
        caption: lang.pick("分年度现金流", "Cash flow by year").to_string(),
        headers,
        rows,
        total: None,
        widths: vec![10, 10, 18, 18, 18, 18],
        numeric: vec![false, true, true, true, true, true],
    }));
    let data = crate::charts::ChartData {
        inventory: &ws.imported.inventory,
        model: &model,
        outcome: &outcome,
        decisions: &resolved.decisions,
        flow: Some(flow),
        pass_rates: None,
    };
    let (w, h) = content::CHART_SIZE;
    let kind = crate::charts::ChartKind::CashFlow;
    if let Ok(png) = crate::charts::png_bytes(kind, &data, lang, w, h) {
        blocks.push(Block::Picture(Picture {
            png,
            width: w,
            height: h,
            caption: kind.title(lang).to_string(),
        }));
    }
    Some(Section {
        title: lang
            .pick("关停时间表与现金流", "Closure schedule and cash flow")
            .to_string(),
        blocks,
    })
}
