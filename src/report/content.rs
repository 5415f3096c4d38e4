//! What the report says, independent of the file format: its sections of
//! paragraphs, tables and charts, built from the summary the command
//! line prints.

use crate::charts::{ChartData, ChartKind};
use crate::export::tables::{area_col, level_col};
use crate::export::{Cell, ExportError, PlanExport, SummaryTables, Table, summary_tables};
use crate::i18n::Lang;
use crate::inventory::{Inventory, Kind, Level};
use crate::outcome::{AreaMap, Summary};
use crate::plan::Source;

use super::words::{self, int, percent, wan, yuan};

/// The whole report.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Its language.
    pub lang: Lang,
    /// The title.
    pub title: String,
    /// The line beneath the title: what it was worked out from.
    pub subtitle: String,
    /// The numbered sections.
    pub sections: Vec<Section>,
    /// The appendix: every closing site by prefecture, with where it
    /// folds to.
    pub appendix: Section,
}

/// One numbered section (一、二、…; 1, 2, … in English).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Section {
    /// Its title, without the number.
    pub title: String,
    /// What it holds, in order.
    pub blocks: Vec<Block>,
}

/// One piece of a section.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A sub-heading ((一)(二)…; 1.1, 1.2, … in English), without its number.
    Heading(String),
    /// A paragraph of body text.
    Paragraph(String),
    /// A table.
    Table(ReportTable),
    /// A picture (a chart).
    Picture(Picture),
}

/// A table as the report prints it: every cell already in words.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportTable {
    /// The caption above it, without its number (`表1`); empty for none.
    pub caption: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<String>>,
    /// A totals row, printed in bold.
    pub total: Option<Vec<String>>,
    /// Relative column widths.
    pub widths: Vec<u32>,
    /// Columns set flush right (numbers).
    pub numeric: Vec<bool>,
}

impl ReportTable {
    /// The columns `cols` of a summary table (with its totals), under
    /// `headers`.
    fn from_columns(
        caption: String,
        t: &Table,
        cols: &[u16],
        headers: &[&str],
        widths: &[u32],
    ) -> ReportTable {
        let pick = |row: &[Cell]| -> Vec<String> {
            cols.iter()
                .map(|&c| row.get(c as usize).map_or("—".into(), words::cell))
                .collect()
        };
        let numeric = cols
            .iter()
            .map(|&c| {
                t.rows
                    .first()
                    .and_then(|r| r.get(c as usize))
                    .is_some_and(words::is_numeric)
            })
            .collect();
        ReportTable {
            caption,
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: t.rows.iter().map(|r| pick(r)).collect(),
            total: t.totals.as_deref().map(pick),
            widths: widths.to_vec(),
            numeric,
        }
    }
}

/// A picture: PNG bytes, its size in pixels, the caption beneath it
/// (without its number, `图1`).
#[derive(Clone, PartialEq)]
pub struct Picture {
    /// The PNG file's bytes.
    pub png: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The caption.
    pub caption: String,
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Picture({} × {}, {} bytes, {:?})",
            self.width,
            self.height,
            self.png.len(),
            self.caption
        )
    }
}

/// The size charts are drawn at: 156 mm wide (the text width of the page)
/// at about 230 dots per inch, tick labels about 8 points.
pub const CHART_SIZE: (u32, u32) = (1400, 875);

/// Builds the report of an evaluated plan, with the timeline section when
/// there is one (see [`super::timeline_section`]). `report` hears how far
/// it is (0 to 1) and stops it by returning false.
pub fn build(
    data: &PlanExport<'_>,
    lang: Lang,
    timeline: Option<Section>,
    report: &dyn Fn(f32) -> bool,
) -> Result<Report, ExportError> {
    let step = |f: f32| {
        if report(f) {
            Ok(())
        } else {
            Err(ExportError::Cancelled)
        }
    };
    step(0.0)?;
    let ws = data.ws;
    let inv = &ws.imported.inventory;
    // The summary exactly as `summary --by-area` makes it.
    let map = AreaMap::new(inv);
    let areas = map.outcomes(inv, data.model, data.outcome);
    let summary = Summary::new(
        &ws.imported.report,
        data.resolved,
        ws.plan_errors,
        data.outcome,
    )
    .with_areas(areas);
    let tables = summary_tables(&summary, inv, &ws.params, lang);
    let chart_data = ChartData {
        inventory: inv,
        model: data.model,
        outcome: data.outcome,
        decisions: &data.resolved.decisions,
        flow: None,
        pass_rates: None,
    };
    let chart = |kind: ChartKind| -> Result<Block, ExportError> {
        let (w, h) = CHART_SIZE;
        let png = crate::charts::png_bytes(kind, &chart_data, lang, w, h)?;
        Ok(Block::Picture(Picture {
            png,
            width: w,
            height: h,
            caption: kind.title(lang).to_string(),
        }))
    };
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);

    let mut sections = vec![overview(&summary, inv, lang)];
    sections.push(rules_and_params(data, &summary, lang));
    step(0.05)?;
    let mut outcome = outcome_section(&summary, &tables, lang);
    outcome.blocks.push(chart(ChartKind::BudgetVsScore)?);
    sections.push(outcome);
    step(0.2)?;
    let mut levels = levels_section(&tables, lang);
    levels.blocks.push(chart(ChartKind::CostByLevel)?);
    levels.blocks.push(chart(ChartKind::CoverageByLevel)?);
    sections.push(levels);
    step(0.35)?;
    sections.push(areas_section(&summary, &tables, lang));
    let mut targets = targets_section(
        &summary,
        &tables,
        inv,
        ws.params.max_absorbed_per_target,
        lang,
    );
    targets.blocks.push(chart(ChartKind::TargetLoad)?);
    sections.push(targets);
    step(0.45)?;
    // HOOK (issue 17): the schedule and cash flow, when there is one.
    sections.extend(timeline);
    let appendix = super::appendix::section(
        inv,
        data.outcome,
        &map,
        summary.by_area.as_deref().unwrap_or_default(),
        lang,
        &|f| report(0.45 + 0.55 * f),
    )?;
    step(1.0)?;
    Ok(Report {
        lang,
        title: l(
            "政府网站集约化整合方案测算报告",
            "Government website consolidation: the plan and what it does",
        )
        .to_string(),
        subtitle: match lang {
            Lang::Zh => format!(
                "（依据清单“{}”，{} 个网站；{}）",
                file_name(&ws.imported.report.source),
                int(summary.import.sites as u64),
                today(lang)
            ),
            Lang::En => format!(
                "(From the inventory “{}”, {} sites; {})",
                file_name(&ws.imported.report.source),
                int(summary.import.sites as u64),
                today(lang)
            ),
        },
        sections,
        appendix,
    })
}

/// The file's name without its folder.
fn file_name(source: &str) -> &str {
    std::path::Path::new(source)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(source)
}

/// Today's date: `2026年1月5日`, `5 January 2026`.
fn today(lang: Lang) -> String {
    let stamp = crate::time::now_rfc3339();
    let date = stamp.get(..10).unwrap_or("1970-01-01");
    let mut parts = date.split('-').map(|p| p.parse::<u32>().unwrap_or(1));
    let (y, m, d) = (
        parts.next().unwrap_or(1970),
        parts.next().unwrap_or(1),
        parts.next().unwrap_or(1),
    );
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match lang {
        Lang::Zh => format!("{y}年{m}月{d}日"),
        Lang::En => format!(
            "{d} {} {y}",
            MONTHS.get(m as usize - 1).copied().unwrap_or("January")
        ),
    }
}

/// 一、基本情况: what the inventory holds today.
fn overview(s: &Summary, inv: &Inventory, lang: Lang) -> Section {
    let mut per_level = Vec::new();
    for level in Level::ALL {
        let n = s
            .by_level
            .iter()
            .find(|r| r.level == level)
            .map_or(0, |r| r.sites_before);
        if n > 0 {
            per_level.push(match lang {
                Lang::Zh => format!("{}{} 个", level.label(lang), int(n as u64)),
                Lang::En => format!(
                    "{} at {} level",
                    int(n as u64),
                    level.label(lang).to_lowercase()
                ),
            });
        }
    }
    let portals = inv
        .sites()
        .iter()
        .filter(|x| x.kind == Kind::Portal)
        .count();
    let departments = inv.len() - portals;
    let i = &s.import;
    let passing_before: usize = s.by_level.iter().map(|r| r.passing_before).sum();
    let first = match lang {
        Lang::Zh => {
            let mut t = format!(
                "清单共读取数据 {} 行，导入网站 {} 个",
                int(i.rows_read as u64),
                int(i.sites as u64)
            );
            if i.rejected > 0 {
                t.push_str(&format!(
                    "，另有 {} 行因缺少标识码或层级、标识码重复等未导入（不计入测算）",
                    int(i.rejected as u64)
                ));
            }
            if i.errors > 0 {
                t.push_str(&format!("，{} 处数据有误、按空值计", int(i.errors as u64)));
            }
            t.push('。');
            if !per_level.is_empty() {
                t.push_str(&format!(
                    "其中{}；门户网站 {} 个，部门网站 {} 个。",
                    per_level.join("、"),
                    int(portals as u64),
                    int(departments as u64)
                ));
            }
            t
        }
        Lang::En => {
            let mut t = format!(
                "The inventory has {} rows of data, from which {} sites were imported",
                int(i.rows_read as u64),
                int(i.sites as u64)
            );
            if i.rejected > 0 {
                t.push_str(&format!(
                    "; {} rows were not imported (no id or level, or an id used twice) and are left out",
                    int(i.rejected as u64)
                ));
            }
            if i.errors > 0 {
                t.push_str(&format!(
                    "; {} bad values are counted as missing",
                    int(i.errors as u64)
                ));
            }
            t.push('.');
            if !per_level.is_empty() {
                t.push_str(&format!(
                    " Of them, {}; {} are portals and {} department sites.",
                    per_level.join(", "),
                    int(portals as u64),
                    int(departments as u64)
                ));
            }
            t
        }
    };
    let second = match lang {
        Lang::Zh => format!(
            "现有网站年度运维经费合计 {} 元（约 {} 万元），服务人口 {} 人。检查合格的网站 {} 个，合格率 {}；由合格网站服务的人口占 {}。在线服务事项 {} 项。",
            yuan(s.annual_cost.before),
            wan(s.annual_cost.before),
            int(s.population),
            int(passing_before as u64),
            percent(s.pass_rate.before),
            percent(s.coverage.before),
            crate::outcome::count(s.services.before)
        ),
        Lang::En => format!(
            "The sites cost {} yuan a year to run and serve {} people. {} sites are up to standard, a pass rate of {}; {} of the population is served by a site that is up to standard. The sites offer {} online services.",
            yuan(s.annual_cost.before),
            int(s.population),
            int(passing_before as u64),
            percent(s.pass_rate.before),
            percent(s.coverage.before),
            crate::outcome::count(s.services.before)
        ),
    };
    Section {
        title: lang.pick("基本情况", "The sites today").into(),
        blocks: vec![Block::Paragraph(first), Block::Paragraph(second)],
    }
}

/// 二、整合规则与测算参数: how sites are decided, the rules and the
/// parameters, in words.
fn rules_and_params(data: &PlanExport<'_>, s: &Summary, lang: Lang) -> Section {
    let ws = data.ws;
    let optimizer = data
        .resolved
        .sources
        .iter()
        .zip(&data.resolved.decisions)
        .filter(|(src, d)| **src == Source::Optimizer && d.is_merge())
        .count();
    let mut how = match lang {
        Lang::Zh => format!(
            "每个网站或保留，或关停并入上级网站。人工决定优先；其次按下列规则依次判断，由第一条符合的规则决定；其余网站保留。最顶层的网站始终保留。关停网站并入最近的保留上级网站（人工指定了并入目标的，并入该目标）。本方案人工决定 {} 个网站，按规则关停并入 {} 个网站",
            int(s.plan.manual as u64),
            int(s.plan.by_rule as u64)
        ),
        Lang::En => format!(
            "Every site is either kept or closed and folded into a site above it. A planner's own decision comes first; then the rules below, in order, the first that fits deciding; every other site is kept. The top sites are always kept. A closing site folds into its nearest kept ancestor (or into the target the planner named). In this plan {} sites were decided by hand and {} close by a rule",
            int(s.plan.manual as u64),
            int(s.plan.by_rule as u64)
        ),
    };
    if optimizer > 0 {
        how.push_str(&match lang {
            Lang::Zh => format!("，采用优化方案关停并入 {} 个网站", int(optimizer as u64)),
            Lang::En => format!(
                ", and {} close as the optimizer's plan proposed",
                int(optimizer as u64)
            ),
        });
    }
    if s.plan.errors > 0 {
        how.push_str(&match lang {
            Lang::Zh => format!(
                "；决定文件中有 {} 行无效，未采用",
                int(s.plan.errors as u64)
            ),
            Lang::En => format!(
                "; {} lines of the decisions file were not valid and are left out",
                int(s.plan.errors as u64)
            ),
        });
    }
    how.push_str(lang.pick("。", "."));
    let mut blocks = vec![
        Block::Heading(lang.pick("决定方式", "How sites are decided").into()),
        Block::Paragraph(how),
        Block::Heading(lang.pick("整合规则", "The rules").into()),
    ];
    let rules = &ws.rules.rules;
    if rules.is_empty() {
        blocks.push(Block::Paragraph(
            lang.pick(
                "本方案未设整合规则，网站均按人工决定处理。",
                "This plan has no rules: sites are decided by hand only.",
            )
            .into(),
        ));
    }
    let counts = data.resolved.rule_counts(&ws.rules);
    for (i, r) in rules.iter().enumerate() {
        let n = counts.get(i).copied().unwrap_or(0);
        blocks.push(Block::Paragraph(words::rule(i + 1, r, n, lang)));
    }
    blocks.push(Block::Heading(
        lang.pick("测算参数", "The parameters").into(),
    ));
    blocks.extend(
        words::params(&ws.params, lang)
            .into_iter()
            .map(Block::Paragraph),
    );
    let params = crate::export::params_table(&ws.params, lang);
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    blocks.push(Block::Table(ReportTable::from_columns(
        l("测算参数", "The parameters").into(),
        &params,
        &[1, 2, 3],
        &[
            l("参数", "Parameter"),
            l("取值", "Value"),
            l("单位", "Unit"),
        ],
        &[50, 20, 30],
    )));
    Section {
        title: l("整合规则与测算参数", "Rules and parameters").into(),
        blocks,
    }
}

/// The figures table without its key column.
fn without_key(t: &Table, caption: &str, widths: &[u32]) -> ReportTable {
    let cols: Vec<u16> = (0..t.headers.len() as u16 - 1).collect();
    let headers: Vec<&str> = t.headers[..cols.len()].iter().map(String::as_str).collect();
    ReportTable::from_columns(caption.into(), t, &cols, &headers, widths)
}

/// 三、测算结果: the outcome, in words and in two tables.
fn outcome_section(s: &Summary, t: &SummaryTables, lang: Lang) -> Section {
    let c = s.annual_cost;
    let payback = match (s.payback_months, lang) {
        (Some(m), Lang::Zh) => format!("约 {m:.1} 个月可收回"),
        (Some(m), Lang::En) => format!("paid back in about {m:.1} months"),
        (None, Lang::Zh) => "因不产生节约，无法收回".to_string(),
        (None, Lang::En) => "never paid back, as nothing is saved".to_string(),
    };
    let staff = crate::money::staff_text(
        rust_decimal::Decimal::try_from(s.staff_freed).unwrap_or_default(),
    );
    let text = match lang {
        Lang::Zh => format!(
            "按上述规则和参数测算，共关停并入网站 {} 个，保留 {} 个（原有 {} 个）。年度运维经费由 {} 元降至 {} 元，每年节约 {} 元（约 {} 万元）；一次性迁移费用 {} 元，{}。释放工作人员 {} 人。由合格网站服务的人口比例由 {} 变为 {}，网站合格率由 {} 变为 {}；在线服务事项由 {} 项变为 {} 项。",
            int(s.plan.merged as u64),
            int(s.sites.after as u64),
            int(s.sites.before as u64),
            yuan(c.before),
            yuan(c.after),
            yuan(c.savings),
            wan(c.savings),
            yuan(s.one_time_cost),
            payback,
            staff,
            percent(s.coverage.before),
            percent(s.coverage.after),
            percent(s.pass_rate.before),
            percent(s.pass_rate.after),
            crate::outcome::count(s.services.before),
            crate::outcome::count(s.services.after),
        ),
        Lang::En => format!(
            "With these rules and parameters, {} sites close and fold into another, and {} of the {} sites stay. The yearly cost goes from {} to {} yuan, a saving of {} yuan a year; closing the sites costs {} yuan once, {}. {} staff are freed. The share of the population served by a site that is up to standard goes from {} to {}, the pass rate from {} to {}, and the online services from {} to {}.",
            int(s.plan.merged as u64),
            int(s.sites.after as u64),
            int(s.sites.before as u64),
            yuan(c.before),
            yuan(c.after),
            yuan(c.savings),
            yuan(s.one_time_cost),
            payback,
            staff,
            percent(s.coverage.before),
            percent(s.coverage.after),
            percent(s.pass_rate.before),
            percent(s.pass_rate.after),
            crate::outcome::count(s.services.before),
            crate::outcome::count(s.services.after),
        ),
    };
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    Section {
        title: l("测算结果", "What the plan does").into(),
        blocks: vec![
            Block::Paragraph(text),
            Block::Table(without_key(
                &t.changes,
                l("主要指标（整合前后）", "The main figures, before and after"),
                &[28, 24, 24, 24],
            )),
            Block::Table(without_key(
                &t.figures,
                l("其他指标", "Other figures"),
                &[60, 40],
            )),
        ],
    }
}

/// 四、分层级情况.
fn levels_section(t: &SummaryTables, lang: Lang) -> Section {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    use level_col::*;
    Section {
        title: l("分层级情况", "By level").into(),
        blocks: vec![
            Block::Paragraph(
                l(
                    "各层级网站数、年度运维经费和由合格网站服务的人口比例见下表。关停网站的承接支出计入承接网站所在层级。",
                    "The sites, yearly cost and share of the population served by a site up to standard at each level are below. What a receiving site spends on the sites it absorbs counts at the receiving site's level.",
                )
                .into(),
            ),
            Block::Table(ReportTable::from_columns(
                l("分层级情况", "By level").into(),
                &t.by_level,
                &[
                    LEVEL,
                    SITES_BEFORE,
                    SITES_AFTER,
                    COST_BEFORE,
                    COST_AFTER,
                    COVERAGE_BEFORE,
                    COVERAGE_AFTER,
                ],
                &[
                    l("层级", "Level"),
                    l("网站数（现状）", "Sites before"),
                    l("网站数（方案后）", "Sites after"),
                    l("年度经费（现状，元）", "Yearly cost before (yuan)"),
                    l("年度经费（方案后，元）", "Yearly cost after (yuan)"),
                    l("覆盖率（现状）", "Coverage before"),
                    l("覆盖率（方案后）", "Coverage after"),
                ],
                &[12, 12, 12, 20, 20, 12, 12],
            )),
        ],
    }
}

/// 五、分地区情况: each prefecture (with the province's own sites and
/// those outside every prefecture).
fn areas_section(s: &Summary, t: &SummaryTables, lang: Lang) -> Section {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    use area_col::*;
    // The areas only (their counties are in the workbook).
    let top = Table {
        headers: t.by_area.headers.clone(),
        rows: t
            .by_area
            .rows
            .iter()
            .zip(&t.area_sub_rows)
            .filter(|(_, sub)| !**sub)
            .map(|(r, _)| r.clone())
            .collect(),
        totals: t.by_area.totals.clone(),
        summed: t.by_area.summed.clone(),
    };
    let areas = s.by_area.as_deref().unwrap_or_default();
    let most = areas.iter().max_by_key(|a| a.savings);
    let mut text = l(
        "按地市统计，各地区网站数、关停并入网站数、年度运维经费、每年节约、一次性迁移费用和方案后的覆盖率见下表（省本级网站单列一行）。",
        "For each prefecture, the sites, the sites closing, the yearly cost, the saving each year, the one-time cost and the coverage after the plan are below (the province's own sites in a row of their own).",
    )
    .to_string();
    if let Some(a) = most.filter(|a| a.savings.is_positive()) {
        text.push_str(&match lang {
            Lang::Zh => format!(
                "每年节约最多的是{}，{} 元。",
                a.label(lang),
                yuan(a.savings)
            ),
            Lang::En => format!(
                " {} saves the most, {} yuan a year.",
                a.label(lang),
                yuan(a.savings)
            ),
        });
    }
    Section {
        title: l("分地区情况", "By prefecture").into(),
        blocks: vec![
            Block::Paragraph(text),
            Block::Table(ReportTable::from_columns(
                l("分地区情况", "By prefecture").into(),
                &top,
                &[
                    AREA,
                    SITES_BEFORE,
                    MERGED,
                    COST_BEFORE,
                    SAVINGS,
                    ONE_TIME_COST,
                    COVERAGE_AFTER,
                ],
                &[
                    l("地区", "Area"),
                    l("网站数", "Sites"),
                    l("关停并入", "Closing"),
                    l("年度经费（现状，元）", "Yearly cost before (yuan)"),
                    l("每年节约（元）", "Saving a year (yuan)"),
                    l("一次性迁移费用（元）", "One-time cost (yuan)"),
                    l("覆盖率（方案后）", "Coverage after"),
                ],
                &[20, 10, 10, 18, 16, 16, 10],
            )),
        ],
    }
}

/// 六、承接网站与承接能力: the receiving sites, and those over capacity.
fn targets_section(
    s: &Summary,
    t: &SummaryTables,
    inv: &Inventory,
    capacity: Option<u64>,
    lang: Lang,
) -> Section {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let over: Vec<usize> = s
        .targets
        .iter()
        .enumerate()
        .filter(|(_, r)| r.over_capacity)
        .map(|(i, _)| i)
        .collect();
    let busiest = s.targets.first().map(|r| {
        let name = inv
            .sites()
            .get(r.site)
            .filter(|x| *x.id == r.site_id)
            .map_or(r.site_id.as_str(), |x| x.name.as_str());
        (name.to_string(), r.absorbed_sites)
    });
    let mut text = match (&busiest, lang) {
        (None, Lang::Zh) => "本方案没有关停网站，也就没有承接网站。".to_string(),
        (None, Lang::En) => "No site closes, so no site receives any.".to_string(),
        (Some((name, n)), Lang::Zh) => format!(
            "共有 {} 个保留网站承接关停网站，承接最多的是{}，{} 个。",
            int(s.targets.len() as u64),
            name,
            int(*n as u64)
        ),
        (Some((name, n)), Lang::En) => format!(
            "{} kept sites receive the sites that close; {} receives the most, {}.",
            int(s.targets.len() as u64),
            name,
            int(*n as u64)
        ),
    };
    text.push_str(&match (capacity, over.len(), lang) {
        (None, _, Lang::Zh) => "未设承接上限，不判断是否超负荷。".to_string(),
        (None, _, Lang::En) => {
            " No limit is set on the sites one site absorbs, so none is over capacity.".to_string()
        }
        (Some(c), 0, Lang::Zh) => format!("按每个承接网站最多承接 {} 个网站计，均未超负荷。", int(c)),
        (Some(c), 0, Lang::En) => format!(
            " With a limit of {} sites each, none is over capacity.",
            int(c)
        ),
        (Some(c), n, Lang::Zh) => format!(
            "按每个承接网站最多承接 {} 个网站计，{} 个承接网站超负荷（见下表），需调整方案或加强其承接能力。",
            int(c),
            int(n as u64)
        ),
        (Some(c), n, Lang::En) => format!(
            " With a limit of {} sites each, {} receiving sites are over capacity (below): the plan should change, or they need the means to take on more.",
            int(c),
            int(n as u64)
        ),
    });
    let mut blocks = vec![Block::Paragraph(text)];
    // Over capacity: every one of them; else the ten busiest.
    let (rows, caption): (Vec<usize>, &str) = if over.is_empty() {
        (
            (0..s.targets.len().min(10)).collect(),
            l(
                "承接网站（承接最多的 10 个）",
                "The ten busiest receiving sites",
            ),
        )
    } else {
        (over, l("超负荷的承接网站", "Receiving sites over capacity"))
    };
    if !rows.is_empty() {
        let picked = Table {
            headers: t.targets.headers.clone(),
            rows: rows
                .iter()
                .filter_map(|&i| t.targets.rows.get(i).cloned())
                .collect(),
            totals: None,
            summed: t.targets.summed.clone(),
        };
        blocks.push(Block::Table(ReportTable::from_columns(
            caption.into(),
            &picked,
            &[1, 0, 2, 3, 6, 7],
            &[
                l("承接网站", "Receiving site"),
                l("网站标识码", "Site id"),
                l("层级", "Level"),
                l("承接网站数", "Sites absorbed"),
                l("承接支出（元/年）", "Absorbing cost (yuan a year)"),
                l("承接上限", "Limit"),
            ],
            &[30, 18, 10, 12, 18, 12],
        )));
    }
    Section {
        title: l("承接网站与承接能力", "Receiving sites and their capacity").into(),
        blocks,
    }
}
