//! The manual plan file: one line per decided site.

use crate::diag::FileIssue;
use crate::i18n::Text;
use crate::inventory::{Column, Inventory, normalize_header};

use super::{Decision, check_decision};

/// Manual decisions read from a plan file.
#[derive(Clone, Debug, Default)]
pub struct ManualPlan {
    /// Decision per site index (`None`: no manual decision).
    pub decisions: Vec<Option<Decision>>,
    /// Lines ignored, with why.
    pub issues: Vec<FileIssue>,
    /// Lines ignored (the `plan.errors` figure).
    pub errors: usize,
}

fn is_alias(h: &str, aliases: &[&str]) -> bool {
    let k = normalize_header(h);
    aliases.iter().any(|a| normalize_header(a) == k)
}

fn parse_decision(raw: &str) -> Option<bool> {
    match raw.trim().to_lowercase().as_str() {
        "keep" | "保留" | "k" => Some(false),
        "merge" | "合并" | "关停" | "并入" | "m" | "关停并入" => Some(true),
        _ => None,
    }
}

/// Reads a plan file against an inventory. Bad lines are reported and
/// ignored; when two valid lines name the same site, the later stands.
/// Fails as a whole only when the file is unreadable or lacks the
/// site_id or decision column.
pub fn parse_plan_file(
    bytes: &[u8],
    source: &str,
    inv: &Inventory,
) -> Result<ManualPlan, FileIssue> {
    let decoded = crate::inventory::decode(bytes, source).map_err(|e| {
        FileIssue::error(
            source,
            0,
            Text::new(e.message(crate::i18n::Lang::Zh), e.to_string()),
        )
    })?;
    let text: &str = &decoded.text;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    let mut lines = crate::inventory::LineCounter::new(text);
    let mut header: Option<Vec<String>> = None;
    let mut plan = ManualPlan {
        decisions: vec![None; inv.len()],
        ..Default::default()
    };
    let (mut id_col, mut dec_col, mut tgt_col) = (None, None, None);
    loop {
        match reader.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(FileIssue::error(
                    source,
                    0,
                    Text::new(format!("无法读取：{e}"), format!("cannot read: {e}")),
                ));
            }
        }
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = rec.position().map_or(0, |p| lines.line_at(p.byte()));
        if header.is_none() {
            let h: Vec<String> = rec.iter().map(|s| s.trim().to_string()).collect();
            for (i, name) in h.iter().enumerate() {
                if id_col.is_none() && Column::from_header(name) == Some(Column::SiteId) {
                    id_col = Some(i);
                } else if dec_col.is_none()
                    && is_alias(name, &["decision", "决定", "处理方式", "方案"])
                {
                    dec_col = Some(i);
                } else if tgt_col.is_none()
                    && is_alias(
                        name,
                        &["target_id", "target", "目标网站标识码", "并入目标", "目标"],
                    )
                {
                    tgt_col = Some(i);
                }
            }
            if id_col.is_none() || dec_col.is_none() {
                return Err(FileIssue::error(
                    source,
                    line,
                    Text::new(
                        format!(
                            "方案文件需要“网站标识码”和“决定”两列（可选“目标网站标识码”），文件中的列为：{}",
                            crate::inventory::quoted_list(&h, crate::i18n::Lang::Zh)
                        ),
                        format!(
                            "a plan file needs site_id and decision columns (and optionally target_id); found: {}",
                            crate::inventory::quoted_list(&h, crate::i18n::Lang::En)
                        ),
                    ),
                ));
            }
            header = Some(h);
            continue;
        }
        let cell = |c: Option<usize>| c.and_then(|i| rec.get(i)).unwrap_or("").trim();
        // Sitefold's own exports neutralise formula-like ids; read them back.
        let id = crate::export::unneutralise(cell(id_col));
        let dec_raw = cell(dec_col);
        let tgt = crate::export::unneutralise(cell(tgt_col));
        // Messages quote the cells as short excerpts.
        let (id_q, dec_q, tgt_q) = (
            crate::inventory::excerpt(id),
            crate::inventory::excerpt(dec_raw),
            crate::inventory::excerpt(tgt),
        );
        let mut fail = |zh: String, en: String| {
            plan.issues
                .push(FileIssue::error(source, line, Text::new(zh, en)));
            plan.errors += 1;
        };
        let Some(site) = inv.find(id) else {
            fail(
                format!("网站“{id_q}”不在清单中，该行已忽略"),
                format!("site \"{id_q}\" is not in the inventory; line ignored"),
            );
            continue;
        };
        let Some(merge) = parse_decision(dec_raw) else {
            fail(
                format!("无法识别的决定“{dec_q}”（应为 保留 或 合并），该行已忽略"),
                format!("unknown decision \"{dec_q}\" (expected keep or merge); line ignored"),
            );
            continue;
        };
        let decision = if !merge {
            Decision::Keep
        } else if tgt.is_empty() {
            Decision::Merge { target: None }
        } else {
            match inv.find(tgt) {
                Some(t) => Decision::merge_into(Some(t)),
                None => {
                    fail(
                        format!("并入目标“{tgt_q}”不在清单中，该行已忽略"),
                        format!("target \"{tgt_q}\" is not in the inventory; line ignored"),
                    );
                    continue;
                }
            }
        };
        if let Err(why) = check_decision(inv, site, decision) {
            fail(
                format!("网站“{id_q}”：{}，该行已忽略", why.zh),
                format!("site \"{id_q}\": {}; line ignored", why.en),
            );
            continue;
        }
        plan.decisions[site] = Some(decision);
    }
    if header.is_none() {
        return Err(FileIssue::error(
            source,
            0,
            Text::new("方案文件是空的", "the plan file is empty"),
        ));
    }
    Ok(plan)
}
