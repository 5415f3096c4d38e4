//! The report's appendix: every closing site, grouped by the prefecture
//! (area) it is in, with the site it folds into.

use crate::export::ExportError;
use crate::i18n::Lang;
use crate::inventory::Inventory;
use crate::outcome::{AreaMap, AreaOutcome, Outcome};

use super::content::{Block, ReportTable, Section};
use super::words::int;

/// The appendix section: for each area in the order of `areas` (the
/// province's own sites, the prefectures in file order, the rest), its
/// closing sites in inventory order. `report` hears how far it is.
pub fn section(
    inv: &Inventory,
    outcome: &Outcome,
    map: &AreaMap,
    areas: &[AreaOutcome],
    lang: Lang,
    report: &dyn Fn(f32) -> bool,
) -> Result<Section, ExportError> {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let n = inv.len().min(outcome.serving.len());
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); areas.len()];
    let mut unplaced = Vec::new();
    for i in 0..n {
        if outcome.serving[i] as usize == i {
            continue;
        }
        match map.area_of(i).and_then(|a| groups.get_mut(a)) {
            Some(g) => g.push(i),
            None => unplaced.push(i),
        }
    }
    let merged: usize = groups.iter().map(Vec::len).sum::<usize>() + unplaced.len();
    let intro = match (merged, lang) {
        (0, _) => l("本方案没有关停的网站。", "No site closes in this plan.").to_string(),
        (m, Lang::Zh) => format!(
            "本方案共关停 {} 个网站，按所在地市列出如下，并注明各网站并入的网站。",
            int(m as u64)
        ),
        (m, Lang::En) => format!(
            "{} sites close in this plan. They are listed below by the prefecture they are in, each with the site it folds into.",
            int(m as u64)
        ),
    };
    let mut blocks = vec![Block::Paragraph(intro)];
    let headers = [
        l("序号", "No."),
        l("关停网站", "Closing site"),
        l("网站标识码", "Site id"),
        l("层级", "Level"),
        l("并入网站", "Folds into"),
    ];
    let mut done = 0usize;
    let labelled = areas
        .iter()
        .map(|a| a.label(lang).to_string())
        .chain(std::iter::once(l("其他", "Other").to_string()));
    for (label, sites) in labelled.zip(groups.iter().chain(std::iter::once(&unplaced))) {
        if sites.is_empty() {
            continue;
        }
        blocks.push(Block::Heading(match lang {
            Lang::Zh => format!("{label}（{} 个）", int(sites.len() as u64)),
            Lang::En => format!("{label} ({})", int(sites.len() as u64)),
        }));
        let mut rows = Vec::with_capacity(sites.len());
        for (k, &i) in sites.iter().enumerate() {
            if done.is_multiple_of(4096) && !report(done as f32 / merged.max(1) as f32) {
                return Err(ExportError::Cancelled);
            }
            done += 1;
            let s = inv.site(i);
            let t = inv.site(outcome.serving[i] as usize);
            rows.push(vec![
                (k + 1).to_string(),
                s.name.to_string(),
                s.id.to_string(),
                s.level.label(lang).to_string(),
                t.name.to_string(),
            ]);
        }
        blocks.push(Block::Table(ReportTable {
            caption: String::new(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows,
            total: None,
            widths: [8, 30, 20, 12, 30].to_vec(),
            numeric: [true, false, false, false, false].to_vec(),
        }));
    }
    Ok(Section {
        title: l("关停网站清单", "Sites to close").into(),
        blocks,
    })
}
