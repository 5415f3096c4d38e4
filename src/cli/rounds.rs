//! `rounds`: the inspection rounds of an inventory (issue 16) as the
//! app's Rounds tab shows them: each round's pass rate by level, and the
//! sites that newly failed or recovered between the last two rounds — as
//! a table, JSON, or the changes as a CSV file.

use std::io::Write;

use crate::i18n::Lang;
use crate::inventory::{Inventory, Level};
use crate::rounds::{Change, Rounds};

use super::args::PlanArgs;
use super::error::CliError;
use super::inputs::Role;
use super::inputs::load;
use super::output::{Format, output_format, write_file};

/// What `rounds --out` writes.
const ROUNDS_FORMATS: &[Format] = &[Format::Csv];

/// One site whose result changed between the last two rounds.
struct Changed<'a> {
    change: Change,
    id: &'a str,
    name: &'a str,
    level: Level,
    before: Option<f64>,
    after: Option<f64>,
}

fn change_label(c: Change, lang: Lang) -> &'static str {
    match c {
        Change::NewlyFailed => lang.pick("新增不合格", "Newly failed"),
        Change::Recovered => lang.pick("恢复合格", "Recovered"),
    }
}

fn changes<'a>(rounds: &Rounds, inv: &'a Inventory, threshold: f64) -> Vec<Changed<'a>> {
    let [.., prev, last] = rounds.rounds.as_slice() else {
        return Vec::new();
    };
    rounds
        .changes(inv, threshold)
        .into_iter()
        .map(|(i, change)| {
            let site = inv.site(i);
            Changed {
                change,
                id: &site.id,
                name: &site.name,
                level: site.level,
                before: prev.result(&site.id).and_then(|r| r.score),
                after: last.result(&site.id).and_then(|r| r.score),
            }
        })
        .collect()
}

fn score(s: Option<f64>) -> String {
    s.map(crate::inventory::fmt_number).unwrap_or_default()
}

/// `rounds`: see the module documentation.
pub fn rounds(
    args: &PlanArgs,
    json: bool,
    path: Option<&std::path::Path>,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    if let Some(p) = path {
        output_format(
            p,
            "rounds",
            ROUNDS_FORMATS,
            &[(Role::Inventory, args.inventory.as_path())],
        )?;
    }
    let ws = load(&args.inputs(), lang, err)?;
    let inv = &ws.imported.inventory;
    let threshold = ws.params.pass_threshold;
    let rounds = &ws.rounds;
    let changed = changes(rounds, inv, threshold);
    let header = [
        lang.pick("变化", "Change"),
        lang.pick("网站标识码", "Site id"),
        lang.pick("网站名称", "Site name"),
        lang.pick("层级", "Level"),
        lang.pick("上一轮得分", "Previous score"),
        lang.pick("最近一轮得分", "Latest score"),
    ];
    let row = |c: &Changed<'_>| {
        [
            change_label(c.change, lang).to_string(),
            c.id.to_string(),
            c.name.to_string(),
            c.level.label(lang).to_string(),
            score(c.before),
            score(c.after),
        ]
    };
    if let Some(p) = path {
        return write_file(p, lang, out, |f| {
            f.write_all(b"\xEF\xBB\xBF")?;
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(f);
            w.write_record(header)?;
            for c in &changed {
                w.write_record(row(c).map(|s| crate::export::neutralise(&s).into_owned()))?;
            }
            w.flush()
        });
    }
    let rates = rounds.pass_rates(inv, threshold);
    if json {
        let value = serde_json::json!({
            "pass_threshold": threshold,
            "rounds": rates.iter().map(|(q, by)| serde_json::json!({
                "quarter": q.to_string(),
                "by_level": Level::ALL.iter().zip(by).filter(|(_, (n, _))| *n > 0)
                    .map(|(l, (n, p))| serde_json::json!({
                        "level": l.key(), "inspected": n, "passed": p,
                    })).collect::<Vec<_>>(),
                "inspected": by.iter().map(|b| b.0).sum::<usize>(),
                "passed": by.iter().map(|b| b.1).sum::<usize>(),
            })).collect::<Vec<_>>(),
            "changes": changed.iter().map(|c| serde_json::json!({
                "change": match c.change { Change::NewlyFailed => "newly_failed", Change::Recovered => "recovered" },
                "site_id": c.id, "name": c.name, "level": c.level.key(),
                "previous_score": c.before, "latest_score": c.after,
            })).collect::<Vec<_>>(),
        });
        let text = serde_json::to_string_pretty(&value).unwrap_or_default();
        return writeln!(out, "{text}").map_err(CliError::Stdout);
    }
    let mut w = || -> std::io::Result<()> {
        if rates.is_empty() {
            return writeln!(
                out,
                "{}",
                lang.pick(
                    "没有检查轮次：用 --rounds 给出轮次文件",
                    "no inspection rounds: give round files with --rounds"
                )
            );
        }
        let levels: Vec<Level> = Level::ALL
            .into_iter()
            .filter(|l| rates.iter().any(|(_, by)| by[l.number() as usize].0 > 0))
            .collect();
        let mut head = vec![lang.pick("轮次", "Round").to_string()];
        head.extend(levels.iter().map(|l| l.label(lang).to_string()));
        head.push(lang.pick("合计", "Total").to_string());
        writeln!(
            out,
            "{}",
            match lang {
                Lang::Zh => format!("各轮次合格率（合格线 {} 分；合格 / 受检）", threshold),
                Lang::En =>
                    format!("Pass rate by round (pass mark {threshold}; passing / inspected)"),
            }
        )?;
        writeln!(out, "{}", head.join("\t"))?;
        for (q, by) in &rates {
            let cell = |(n, p): (usize, usize)| {
                if n == 0 {
                    "—".to_string()
                } else {
                    format!("{:.1}% ({p}/{n})", 100.0 * p as f64 / n as f64)
                }
            };
            let mut line = vec![q.to_string()];
            line.extend(levels.iter().map(|l| cell(by[l.number() as usize])));
            let total = by.iter().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
            line.push(cell(total));
            writeln!(out, "{}", line.join("\t"))?;
        }
        if rates.len() < 2 {
            return writeln!(
                out,
                "{}",
                lang.pick(
                    "只有一轮：两轮以上才能比较新增不合格和恢复合格的网站",
                    "one round only: two or more show the sites that newly failed or recovered"
                )
            );
        }
        let failed = changed
            .iter()
            .filter(|c| c.change == Change::NewlyFailed)
            .count();
        let (prev, last) = (rates[rates.len() - 2].0, rates[rates.len() - 1].0);
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            match lang {
                Lang::Zh => format!(
                    "{last} 与 {prev} 相比：新增不合格 {failed} 个，恢复合格 {} 个",
                    changed.len() - failed
                ),
                Lang::En => format!(
                    "{last} against {prev}: {failed} newly failed, {} recovered",
                    changed.len() - failed
                ),
            }
        )?;
        if !changed.is_empty() {
            writeln!(out, "{}", header.join("\t"))?;
            for c in &changed {
                writeln!(out, "{}", row(c).join("\t"))?;
            }
        }
        Ok(())
    };
    w().map_err(CliError::Stdout)
}
