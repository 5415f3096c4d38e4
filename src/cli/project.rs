//! `project new` and `project show`: project files from the command line,
//! written and read by the same functions as the app's.

use std::io::Write;
use std::path::Path;

use crate::i18n::Lang;
use crate::outcome::{count, percent, yuan};
use crate::project::{Project, is_project_path, open_project, save_project};
use crate::workspace::{LoadError, Workspace};

use super::args::PlanArgs;
use super::error::CliError;
use super::inputs::{findings, input_files, load, report_loaded};
use super::output::{Format, output_format, wrote};

/// What `project new --out` writes.
const PROJECT_FORMATS: &[Format] = &[Format::Project];

/// `project new`: the inventory with its decisions, rules and parameters,
/// as a project the app opens.
pub fn new(
    args: &PlanArgs,
    path: &Path,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let inputs = args.inputs();
    output_format(path, "project new", PROJECT_FORMATS, &input_files(&inputs))?;
    let ws = load(&inputs, lang, err)?;
    save(&ws, &args.inventory, path, lang)?;
    wrote(path, lang, out);
    findings(&ws.imported.report)
}

/// Saves `ws` as a new project at `path`, recording `lang` as its
/// language. When the inventory was itself a project, its scenarios come
/// along.
pub fn save(ws: &Workspace, inventory: &Path, path: &Path, lang: Lang) -> Result<(), CliError> {
    let mut project = Project::from_workspace(ws, lang);
    if is_project_path(inventory) {
        project.scenarios = open_project(inventory).map_err(LoadError::from)?.scenarios;
    }
    save_project(path, &project).map_err(CliError::SaveProject)
}

/// `project show`: what a project holds, in a few lines.
pub fn show(
    path: &Path,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let mut project = open_project(path).map_err(LoadError::from)?;
    let head = Head::of(&project, path);
    let scenarios = std::mem::take(&mut project.scenarios);
    let ws = project.into_workspace();
    report_loaded(&ws, lang, err);
    let text = describe(&head, &ws, &scenarios, lang);
    write!(out, "{text}").map_err(CliError::Stdout)?;
    findings(&ws.imported.report)
}

/// What a project says of itself.
struct Head {
    path: String,
    saved: String,
    saved_by: String,
    created: String,
    lang: Lang,
}

impl Head {
    fn of(p: &Project, path: &Path) -> Head {
        Head {
            path: path.display().to_string(),
            saved: p.saved.clone(),
            saved_by: p.saved_by.clone(),
            created: p.created.clone(),
            lang: p.lang,
        }
    }
}

/// The lines of `project show`.
fn describe(
    head: &Head,
    ws: &Workspace,
    scenarios: &[crate::project::Scenario],
    lang: Lang,
) -> String {
    let r = &ws.imported.report;
    let inv = &ws.imported.inventory;
    let manual = ws.manual.iter().flatten().count();
    let optimized = ws.optimized.iter().flatten().count();
    let rules = ws.rules.rules.len();
    let (_, o) = ws.evaluate();
    let unknown = || lang.pick("未知", "unknown").to_string();
    let or_unknown = |s: &str| {
        if s.is_empty() {
            unknown()
        } else {
            s.to_string()
        }
    };
    let mut text = match lang {
        Lang::Zh => format!(
            "{}：Sitefold 项目（{} 保存于 {}，创建于 {}，语言 {}）\n\
             清单：{} 个网站，来自 {}（{} 行未导入，{} 个错误单元格）\n\
             决定：手动 {} 个，优化方案 {} 个，备注 {} 条；规则 {} 条\n\
             当前方案：合并 {} 个网站，年度成本 ¥{} → ¥{}（节约 ¥{}），覆盖率 {} → {}\n",
            head.path,
            or_unknown(&head.saved_by),
            or_unknown(&head.saved),
            or_unknown(&head.created),
            head.lang.code(),
            count(inv.len() as f64),
            r.source,
            r.rejected(),
            r.errors(),
            manual,
            optimized,
            ws.notes.len(),
            rules,
            count(o.merged as f64),
            yuan(o.annual_cost.before),
            yuan(o.annual_cost.after),
            yuan(o.annual_cost.savings),
            percent(o.coverage.before),
            percent(o.coverage.after),
        ),
        Lang::En => format!(
            "{}: Sitefold project (saved {} by {}, created {}, language {})\n\
             inventory: {} sites from {} ({} row(s) not imported, {} bad cell(s))\n\
             decisions: {} manual, {} from an optimizer plan, {} note(s); {} rule(s)\n\
             current plan: {} sites merged, annual cost ¥{} → ¥{} (savings ¥{}), coverage {} → {}\n",
            head.path,
            or_unknown(&head.saved),
            or_unknown(&head.saved_by),
            or_unknown(&head.created),
            head.lang.code(),
            count(inv.len() as f64),
            r.source,
            r.rejected(),
            r.errors(),
            manual,
            optimized,
            ws.notes.len(),
            rules,
            count(o.merged as f64),
            yuan(o.annual_cost.before),
            yuan(o.annual_cost.after),
            yuan(o.annual_cost.savings),
            percent(o.coverage.before),
            percent(o.coverage.after),
        ),
    };
    if !ws.sources.is_empty() {
        text.push_str(&match lang {
            Lang::Zh => format!("清单由 {} 个文件合成：\n", ws.sources.len()),
            Lang::En => format!("assembled from {} files:\n", ws.sources.len()),
        });
        for s in &ws.sources {
            let r = &s.report;
            text.push_str(&match lang {
                Lang::Zh => format!(
                    "  {}：读取 {} 行，采用 {} 个网站（{} 行未导入，{} 个错误单元格）\n",
                    s.path,
                    r.rows_read,
                    s.sites,
                    r.rejected(),
                    r.errors()
                ),
                Lang::En => format!(
                    "  {}: {} rows read, {} sites given ({} row(s) not imported, {} bad cell(s))\n",
                    s.path,
                    r.rows_read,
                    s.sites,
                    r.rejected(),
                    r.errors()
                ),
            });
        }
    }
    text.push_str(&match lang {
        Lang::Zh => format!("情景 {} 个\n", scenarios.len()),
        Lang::En => format!("{} scenario(s)\n", scenarios.len()),
    });
    let mut evaluator = crate::outcome::Evaluator::default();
    for s in scenarios {
        let (_, o) = s.evaluate(inv, &mut evaluator);
        text.push_str(&match lang {
            Lang::Zh => format!(
                "  {}：合并 {} 个网站，年节约 ¥{}，覆盖率 {}\n",
                s.name,
                count(o.merged as f64),
                yuan(o.annual_cost.savings),
                percent(o.coverage.after)
            ),
            Lang::En => format!(
                "  {}: {} sites merged, savings ¥{} a year, coverage {}\n",
                s.name,
                count(o.merged as f64),
                yuan(o.annual_cost.savings),
                percent(o.coverage.after)
            ),
        });
    }
    text
}
