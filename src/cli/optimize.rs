//! `optimize` and `frontier`: the plans that save most above a coverage
//! floor.

use std::io::Write;
use std::path::Path;

use crate::i18n::Lang;
use crate::optimize::{Floor, OptimizeError, Options, Protection, Solution};
use crate::workspace::Workspace;

use super::args::OptimizeArgs;
use super::error::CliError;
use super::inputs::{findings, input_files, load};
use super::output::{Format, output_format, write_file, write_quietly, wrote};

/// What `optimize --out` writes.
const OPTIMIZE_FORMATS: &[Format] = &[Format::Csv, Format::Project];
/// What `frontier --out` writes.
const FRONTIER_FORMATS: &[Format] = &[Format::Csv];

/// The workspace and the optimizer's options the arguments ask for.
fn load_options(
    args: &OptimizeArgs,
    lang: Lang,
    err: &mut dyn Write,
) -> Result<(Workspace, Options), CliError> {
    let ws = load(&args.inputs(), lang, err)?;
    let protect = Protection::parse(&args.protect).map_err(|message| CliError::BadOption {
        option: "--protect",
        message,
    })?;
    let mut opts = Options::with_floor(Floor::Current, &ws.params);
    opts.protect = protect;
    if args.max_absorbed.is_some() {
        opts.max_absorbed = args.max_absorbed;
    }
    opts.min_pass_rate = args.min_pass_rate;
    if let Some(g) = args.gap {
        opts.gap_tolerance = Some(g.max(0.0));
    }
    if let Some(t) = args.time_limit {
        // 0 or less: no limit.
        opts.time_limit = (t.is_finite() && t > 0.0).then(|| std::time::Duration::from_secs_f64(t));
    }
    Ok((ws, opts))
}

/// The optimizer's error, with the figures of an infeasible floor on
/// `out` as JSON when JSON was asked for.
fn failed(e: OptimizeError, json: bool, out: &mut dyn Write) -> CliError {
    if let (true, OptimizeError::Infeasible(i)) = (json, &e) {
        let v = serde_json::json!({
            "infeasible": true,
            "cause": i.cause,
            "floor": i.floor,
            "best_coverage": i.best_coverage,
            "min_pass_rate": i.min_pass_rate,
            "best_pass_rate": i.best_pass_rate,
        });
        let _ = writeln!(out, "{v:#}");
    }
    CliError::Optimize(e)
}

/// `optimize`: the best plan, its figures on `out`, the plan in `path`
/// when there is one.
pub fn optimize(
    args: &OptimizeArgs,
    floor: Floor,
    path: Option<&Path>,
    json: bool,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let target = match path {
        Some(p) => Some((
            p,
            output_format(
                p,
                "optimize",
                OPTIMIZE_FORMATS,
                &input_files(&args.inputs()),
            )?,
        )),
        None => None,
    };
    let (ws, mut opts) = load_options(args, lang, err)?;
    opts.floor = floor;
    let sol = crate::optimize::optimize_workspace(&ws, &opts, &|_| true)
        .map_err(|e| failed(e, json, out))?;
    if !json {
        print_solution(&ws, &sol, lang, out);
    }
    if let Some((p, format)) = target {
        save_plan(&ws, &sol, &opts, format, &args.inventory, p, lang)?;
        if !json {
            wrote(p, lang, out);
        }
    }
    if json {
        writeln!(out, "{:#}", sol.to_json()).map_err(CliError::Stdout)?;
    }
    findings(&ws.imported.report)
}

/// Writes the optimizer's plan: the plan CSV with each decision's reason,
/// or a project with the plan applied (as the app applies it).
fn save_plan(
    ws: &Workspace,
    sol: &Solution,
    opts: &Options,
    format: Format,
    inventory: &Path,
    path: &Path,
    lang: Lang,
) -> Result<(), CliError> {
    let inv = &ws.imported.inventory;
    if format == Format::Project {
        let mut ws = ws.clone();
        ws.optimized = ws.optimizer_layer(&sol.decisions);
        return super::project::save(&ws, inventory, path, lang);
    }
    let resolved = sol.resolved(inv, &ws.manual);
    let mut rows = crate::export::plan_rows(ws, &ws.model(), &resolved, &sol.outcome, lang);
    for r in &mut rows {
        r.reason = sol.reason(inv, r.site, &ws.manual, opts, lang);
    }
    write_quietly(path, |f| crate::export::write_plan_csv(inv, &rows, f, lang))
}

/// The solution's figures and its largest merges, for people.
fn print_solution(ws: &Workspace, sol: &Solution, lang: Lang, out: &mut dyn Write) {
    let inv = &ws.imported.inventory;
    let o = &sol.outcome;
    let pct = crate::outcome::percent;
    let yuan = |v: f64| {
        crate::money::Money::from_f64(v)
            .unwrap_or_default()
            .grouped_yuan()
    };
    let _ = match lang {
        Lang::Zh => writeln!(
            out,
            "年节约 ¥{}（上界 ¥{}，差距 {}，{}）\n合并 {} 个网站，保留 {} 个\n覆盖率 {} → {}（下限 {} 人）\n合格率 {} → {}\n用时 {:.3} 秒",
            yuan(sol.savings),
            yuan(sol.bound),
            sol.gap_percent(),
            sol.stop_text().zh,
            sol.merged,
            o.sites.after,
            pct(o.coverage.before),
            pct(o.coverage.after),
            crate::outcome::count(sol.floor_persons as f64),
            pct(o.pass_rate.before),
            pct(o.pass_rate.after),
            sol.seconds
        ),
        Lang::En => writeln!(
            out,
            "annual savings ¥{} (bound ¥{}, gap {}, {})\nmerged {} sites, {} kept\ncoverage {} → {} (floor {} residents)\npass rate {} → {}\ntime {:.3} s",
            yuan(sol.savings),
            yuan(sol.bound),
            sol.gap_percent(),
            sol.stop_text().en,
            sol.merged,
            o.sites.after,
            pct(o.coverage.before),
            pct(o.coverage.after),
            crate::outcome::count(sol.floor_persons as f64),
            pct(o.pass_rate.before),
            pct(o.pass_rate.after),
            sol.seconds
        ),
    };
    let mut notes: Vec<&crate::optimize::MergeNote> = sol.notes.iter().collect();
    notes.sort_by_key(|n| std::cmp::Reverse(n.savings));
    if !notes.is_empty() {
        let _ = writeln!(out, "{}", lang.pick("节约最多的合并：", "largest merges:"));
    }
    for n in notes.iter().take(10) {
        let _ = writeln!(
            out,
            "  {} {}: {}",
            inv.site(n.site).id,
            inv.site(n.site).name,
            n.render(inv, lang)
        );
    }
}

/// `frontier`: the best plan for each of `points` floors.
pub fn frontier(
    args: &OptimizeArgs,
    lowest: Option<Floor>,
    points: usize,
    path: &Path,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    output_format(
        path,
        "frontier",
        FRONTIER_FORMATS,
        &input_files(&args.inputs()),
    )?;
    let (ws, opts) = load_options(args, lang, err)?;
    let f = crate::optimize::frontier(
        &ws.imported.inventory,
        &ws.params,
        &ws.manual,
        &opts,
        lowest,
        points,
        &|_| true,
    )
    .map_err(|e| failed(e, false, out))?;
    let pct = crate::outcome::percent;
    for p in &f.points {
        let _ = writeln!(
            out,
            "{:>7}  ¥{:>15}  {} ¥{:>15}  {:.3}%",
            pct(p.floor),
            crate::money::Money::from_f64(p.savings)
                .unwrap_or_default()
                .grouped_yuan(),
            lang.pick("上界", "bound"),
            crate::money::Money::from_f64(p.bound)
                .unwrap_or_default()
                .grouped_yuan(),
            p.gap * 100.0
        );
    }
    if f.omitted > 0 {
        let _ = writeln!(
            err,
            "{} {}",
            f.omitted,
            lang.pick(
                "个下限无可行方案，已略去",
                "floors without a feasible plan were left out"
            )
        );
    }
    write_file(path, lang, out, |w| {
        crate::optimize::write_frontier_csv(&f, w, lang)
    })?;
    findings(&ws.imported.report)
}
