//! Editing an inventory's cells as a planner does in a spreadsheet: a cell's
//! text, checked as the importer checks a file's cell, and a block pasted
//! from Excel or WPS. Knows nothing of the app: it says what a cell reads,
//! what a new text would make of the site, and why it cannot.

use crate::i18n::{Lang, Text};

use super::columns::Column;
use super::import::parse_site_cells;
use super::model::{Inventory, Site};
use super::report::Finding;

/// Cells to edit: (site, column, text) each.
pub type CellEdits = Vec<(usize, Column, String)>;

/// The columns a planner may edit. The site id is the key that plans,
/// notes, scenarios and projects name the site by, so it is not.
pub const EDITABLE: [Column; Column::ALL.len() - 1] = {
    let mut all = [Column::Name; Column::ALL.len() - 1];
    let mut i = 1;
    while i < Column::ALL.len() {
        all[i - 1] = Column::ALL[i];
        i += 1;
    }
    all
};
/// True when the planner may edit `c`.
pub fn is_editable(c: Column) -> bool {
    EDITABLE.contains(&c)
}

/// A site's value in `c` as text a planner would type (and the importer
/// reads back to the same value): plain numbers without separators, an
/// empty text for a missing value.
pub fn cell_text(site: &Site, c: Column, lang: Lang) -> String {
    let opt = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_default();
    let known = |text: String| {
        if site.missing.has(c) {
            String::new()
        } else {
            text
        }
    };
    match c {
        Column::SiteId => site.id.to_string(),
        Column::Name => site.name.to_string(),
        Column::Url => site.url.to_string(),
        Column::Level => site.level.in_file(lang).to_string(),
        Column::Kind => site.kind.in_file(lang).to_string(),
        Column::ParentId => site.parent_id.to_string(),
        Column::Region => site.region.to_string(),
        Column::AnnualBudget => known(site.budget.decimal().normalize().to_string()),
        Column::Staff => known(site.staff.normalize().to_string()),
        Column::Population => known(site.population.to_string()),
        Column::MonthlyVisits => site
            .monthly_visits
            .map(|v| v.to_string())
            .unwrap_or_default(),
        Column::OnlineServices => known(site.online_services.to_string()),
        Column::InspectionScore => opt(site.inspection_score),
        Column::InspectionPassed => match site.inspection_passed {
            Some(true) => lang.pick("合格", "pass").to_string(),
            Some(false) => lang.pick("不合格", "fail").to_string(),
            None => String::new(),
        },
        Column::ReprintHours => opt(site.reprint_hours),
    }
}

/// Why a cell cannot take a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellProblem {
    /// The site (its index in the inventory).
    pub site: usize,
    /// The column.
    pub column: Column,
    /// The text that was refused.
    pub text: String,
    /// Why, in both languages.
    pub why: Text,
}

/// The site as it would be with `text` in its column `c`, checked as the
/// importer checks a cell (the same numbers, units, levels and kinds),
/// plus what a file's import only warns about but an edit must not make:
/// an unknown parent, a parent below the site, a parent inside the site's
/// own subtree.
pub fn edited_site(inv: &Inventory, i: usize, c: Column, text: &str) -> Result<Site, Text> {
    let site = inv.site(i);
    edited(inv, i, site, c, text)
}

fn edited(inv: &Inventory, i: usize, site: &Site, c: Column, text: &str) -> Result<Site, Text> {
    if !is_editable(c) {
        return Err(Text::new(
            "网站标识码是方案、备注和项目识别网站的依据，不能在表格中修改",
            "the site id is how plans, notes and projects name the site; it cannot be edited here",
        ));
    }
    // The cells as the importer would read them back (Chinese level and
    // kind words are read in either language).
    let mut cells: [String; Column::ALL.len()] =
        std::array::from_fn(|k| cell_text(site, Column::ALL[k], Lang::En));
    cells[c as usize] = text.to_string();
    let mut new = parse_site_cells(&cells, site.line).map_err(|(_, f)| message(&f))?;
    // What the file said before an edit, and where the site sits.
    new.line = site.line;
    new.parent = site.parent;
    for m in super::model::Missing::COLUMNS {
        if m != c {
            new.missing.set(m, site.missing.has(m));
        }
    }
    if new.parent_id != site.parent_id || new.level != site.level {
        let parent = check_parent(inv, i, &new)?;
        new.set_parent(parent);
    }
    if new.level != site.level {
        check_children(inv, i, &new)?;
    }
    Ok(new)
}

/// The parent `site` (at index `i`) names, if it may have it.
fn check_parent(inv: &Inventory, i: usize, site: &Site) -> Result<Option<usize>, Text> {
    let pid = site.parent_id.trim();
    if pid.is_empty() {
        return Ok(None);
    }
    let Some(p) = inv.find(pid) else {
        return Err(Text::new(
            format!("上级网站“{pid}”不在清单中"),
            format!("there is no site \"{pid}\" in the inventory"),
        ));
    };
    if p == i || inv.is_strict_ancestor(i, p) {
        return Err(Text::new(
            format!("“{pid}”是本网站自身或其下级，不能作为上级"),
            format!("\"{pid}\" is this site or below it, so it cannot be its parent"),
        ));
    }
    let parent = inv.site(p);
    if parent.level > site.level {
        return Err(Text::new(
            format!(
                "上级“{pid}”是{}，低于本网站的{}",
                parent.level.label(Lang::Zh),
                site.level.label(Lang::Zh)
            ),
            format!(
                "\"{pid}\" is at {} level, below this site's {} level",
                parent.level.label(Lang::En),
                site.level.label(Lang::En)
            ),
        ));
    }
    Ok(Some(p))
}

/// A new level must stay at or below the parent's and above the children's.
fn check_children(inv: &Inventory, i: usize, site: &Site) -> Result<(), Text> {
    if let Some(&c) = inv
        .children(i)
        .iter()
        .find(|&&c| inv.site(c as usize).level < site.level)
    {
        let child = inv.site(c as usize);
        return Err(Text::new(
            format!(
                "下级网站“{}”是{}，高于新层级{}",
                child.id,
                child.level.label(Lang::Zh),
                site.level.label(Lang::Zh)
            ),
            format!(
                "child site \"{}\" is at {} level, above the new {} level",
                child.id,
                child.level.label(Lang::En),
                site.level.label(Lang::En)
            ),
        ));
    }
    Ok(())
}

/// What is wrong with an edited cell, said of the cell (not of a file row:
/// nothing is "treated as missing", the edit is refused).
fn message(f: &Finding) -> Text {
    let q = |s: &String| super::report::excerpt(s);
    match f {
        Finding::MissingLevel | Finding::EmptySiteId => {
            Text::new("层级不能为空", "the level cannot be empty")
        }
        Finding::UnknownLevel { value } => Text::new(
            format!(
                "无法识别的层级“{}”（应为 国家/省/市/县/乡镇 或 0–4）",
                q(value)
            ),
            format!(
                "unknown level \"{}\" (expected national/province/prefecture/county/township or 0–4)",
                q(value)
            ),
        ),
        Finding::BadNumber { value } => Text::new(
            format!("“{}”不是数字", q(value)),
            format!("\"{}\" is not a number", q(value)),
        ),
        Finding::NegativeNumber { value } => Text::new(
            format!("“{}”为负数", q(value)),
            format!("\"{}\" is negative", q(value)),
        ),
        Finding::NotWhole { value } => Text::new(
            format!("“{}”应为整数", q(value)),
            format!("\"{}\" should be a whole number", q(value)),
        ),
        Finding::TooLarge { value } => Text::new(
            format!("“{}”超过 10^15（千万亿），不是真实数字", q(value)),
            format!(
                "\"{}\" is over 10^15, larger than any real figure",
                q(value)
            ),
        ),
        Finding::ScoreOutOfRange { value } => Text::new(
            format!("得分“{}”不在 0–100 之间", q(value)),
            format!("score \"{}\" is outside 0–100", q(value)),
        ),
        Finding::BadBoolean { value } => Text::new(
            format!("“{}”不是 合格/不合格（是/否）", q(value)),
            format!("\"{}\" is not pass/fail (yes/no)", q(value)),
        ),
        Finding::UnknownKind { value } => Text::new(
            format!("无法识别的类型“{}”（应为 门户 或 部门）", q(value)),
            format!(
                "unknown kind \"{}\" (expected portal or department)",
                q(value)
            ),
        ),
        other => Text::new(other.message(Lang::Zh), other.message(Lang::En)),
    }
}

/// Checks a set of cell edits together, as one paste or one typed cell:
/// each site with all its cells changed, or every problem found. Several
/// cells of one site are applied in order; a site edited twice keeps the
/// last text.
pub fn edit_cells(
    inv: &Inventory,
    cells: &[(usize, Column, String)],
) -> Result<Vec<(usize, Site)>, Vec<CellProblem>> {
    let mut edited: Vec<(usize, Site)> = Vec::new();
    let mut problems = Vec::new();
    for (site, column, text) in cells {
        let (site, column) = (*site, *column);
        if site >= inv.len() {
            continue;
        }
        let pos = edited.iter().position(|(i, _)| *i == site);
        let current = pos.map_or_else(|| inv.site(site), |k| &edited[k].1);
        match edited_site_from(inv, site, current, column, text) {
            Ok(new) => match pos {
                Some(k) => edited[k].1 = new,
                None => edited.push((site, new)),
            },
            Err(why) => problems.push(CellProblem {
                site,
                column,
                text: super::report::excerpt(text),
                why,
            }),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // Only the sites that really change.
    edited.retain(|(i, s)| s != inv.site(*i));
    // Parents changed together may close a loop that no single one does.
    if edited
        .iter()
        .any(|(i, s)| s.parent_id != inv.site(*i).parent_id)
    {
        let (_, links) = inv.with_sites(&edited);
        for p in links {
            if let super::model::LinkProblem::Cycle { members, .. } = p
                && let Some(&site) = members.iter().find(|m| edited.iter().any(|(i, _)| i == *m))
            {
                let ids: Vec<&str> = members.iter().map(|&m| inv.site(m).id.as_str()).collect();
                let chain = ids.join(" → ");
                problems.push(CellProblem {
                    site,
                    column: Column::ParentId,
                    text: super::report::excerpt(&edited_parent(&edited, site)),
                    why: Text::new(
                        format!("上级关系将成环：{chain}"),
                        format!("the parents would form a loop: {chain}"),
                    ),
                });
            }
        }
    }
    if problems.is_empty() {
        Ok(edited)
    } else {
        Err(problems)
    }
}

fn edited_parent(edited: &[(usize, Site)], site: usize) -> String {
    edited
        .iter()
        .find(|(i, _)| *i == site)
        .map(|(_, s)| s.parent_id.to_string())
        .unwrap_or_default()
}

fn edited_site_from(
    inv: &Inventory,
    i: usize,
    current: &Site,
    c: Column,
    text: &str,
) -> Result<Site, Text> {
    edited(inv, i, current, c, text)
}

/// A block of cells as Excel, WPS or LibreOffice put it on the clipboard:
/// rows of tab-separated cells, quoted when a cell holds a tab, a quote or
/// a line break. A trailing line break ends the last row, not a new one.
pub fn parse_clipboard_block(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    if text.is_empty() {
        return Vec::new();
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => rows.push(r.iter().map(str::to_string).collect()),
            // Not CSV-quoted after all: split plainly.
            Err(_) => {
                return text
                    .split('\n')
                    .map(|l| {
                        l.strip_suffix('\r')
                            .unwrap_or(l)
                            .split('\t')
                            .map(str::to_string)
                            .collect()
                    })
                    .collect();
            }
        }
    }
    rows
}

/// A block of cells as Excel reads it from the clipboard: tab-separated,
/// CRLF line ends, cells quoted when they must be.
pub fn clipboard_block(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| {
                if c.contains(['\t', '\n', '\r', '"']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        out.push_str(&cells.join("\t"));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Level;

    fn inv() -> Inventory {
        let mut p = Site::new("P", Level::Province);
        p.budget = crate::money::Money::from_decimal(rust_decimal::Decimal::from(1_000_000));
        let mut c = Site::new("C", Level::Prefecture);
        c.parent_id = "P".into();
        let mut t = Site::new("T", Level::County);
        t.parent_id = "C".into();
        t.missing.set(Column::AnnualBudget, true);
        Inventory::link(vec![p, c, t]).0
    }

    #[test]
    fn every_column_but_the_id_is_editable() {
        assert!(!is_editable(Column::SiteId));
        for c in Column::ALL.into_iter().filter(|&c| c != Column::SiteId) {
            assert!(is_editable(c), "{c:?}");
        }
    }

    #[test]
    fn a_budget_in_wan_reads_as_the_importer_reads_it() {
        let inv = inv();
        let s = edited_site(&inv, 2, Column::AnnualBudget, "1.5万").expect("valid");
        assert_eq!(s.budget.decimal(), rust_decimal::Decimal::from(15_000));
        assert!(!s.missing.has(Column::AnnualBudget));
        // Emptying a budget makes it missing again (counted as 0).
        let s = edited_site(&inv, 0, Column::AnnualBudget, "").expect("valid");
        assert!(s.missing.has(Column::AnnualBudget));
        assert!(s.budget.is_zero());
    }

    #[test]
    fn bad_values_are_refused_with_the_reason() {
        let inv = inv();
        let e = edited_site(&inv, 2, Column::AnnualBudget, "abc").expect_err("refused");
        assert_eq!(e.get(Lang::En), "\"abc\" is not a number");
        let e = edited_site(&inv, 2, Column::InspectionScore, "120").expect_err("refused");
        assert!(e.get(Lang::Zh).contains("0–100"), "{}", e.get(Lang::Zh));
        let e = edited_site(&inv, 2, Column::Level, "village").expect_err("refused");
        assert!(e.get(Lang::En).contains("unknown level"));
        let e = edited_site(&inv, 2, Column::SiteId, "X").expect_err("refused");
        assert!(e.get(Lang::En).contains("cannot be edited"));
        let e = edited_site(&inv, 2, Column::Kind, "blog").expect_err("refused");
        assert!(e.get(Lang::En).contains("unknown kind"));
    }

    #[test]
    fn a_parent_must_exist_stay_above_and_not_be_below() {
        let inv = inv();
        assert!(edited_site(&inv, 2, Column::ParentId, "nobody").is_err());
        // P's parent cannot be its own grandchild (a cycle).
        let e = edited_site(&inv, 0, Column::ParentId, "T").expect_err("cycle");
        assert!(e.get(Lang::En).contains("below it"), "{}", e.get(Lang::En));
        // A county cannot be a prefecture's parent.
        assert!(edited_site(&inv, 1, Column::ParentId, "T").is_err());
        // T may move under P directly.
        let s = edited_site(&inv, 2, Column::ParentId, "P").expect("valid");
        assert_eq!(s.parent, Some(0));
        // Clearing the parent makes a top site.
        let s = edited_site(&inv, 2, Column::ParentId, " ").expect("valid");
        assert_eq!(s.parent, None);
        // A prefecture with a county child cannot become a township.
        assert!(edited_site(&inv, 1, Column::Level, "乡镇").is_err());
        // Nor a county rise above its prefecture parent.
        assert!(edited_site(&inv, 2, Column::Level, "省").is_err());
    }

    #[test]
    fn every_cell_text_reads_back_to_the_same_site() {
        let (inv, _) = Inventory::link(crate::generate::generate(300, 4));
        for i in 0..inv.len() {
            for c in EDITABLE {
                for lang in [Lang::Zh, Lang::En] {
                    let text = cell_text(inv.site(i), c, lang);
                    let s = edited_site(&inv, i, c, &text).expect("reads back");
                    assert_eq!(&s, inv.site(i), "site {i} column {c:?}");
                }
            }
        }
    }

    #[test]
    fn a_paste_is_all_or_nothing_and_drops_unchanged_sites() {
        let inv = inv();
        let ok = edit_cells(
            &inv,
            &[
                (1, Column::AnnualBudget, "200000".into()),
                (2, Column::AnnualBudget, "".into()),
                (2, Column::Name, "新名".into()),
            ],
        )
        .expect("valid");
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1].1.name, "新名");
        let bad = edit_cells(
            &inv,
            &[
                (1, Column::AnnualBudget, "200000".into()),
                (2, Column::InspectionScore, "x".into()),
                (0, Column::Staff, "-1".into()),
            ],
        )
        .expect_err("refused");
        assert_eq!(bad.len(), 2);
        assert_eq!((bad[0].site, bad[0].column), (2, Column::InspectionScore));
    }

    #[test]
    fn parents_pasted_together_cannot_form_a_loop() {
        let mut a = Site::new("A", Level::County);
        a.parent_id = "P".into();
        let mut b = Site::new("B", Level::County);
        b.parent_id = "P".into();
        let inv = Inventory::link(vec![Site::new("P", Level::Prefecture), a, b]).0;
        let bad = edit_cells(
            &inv,
            &[
                (1, Column::ParentId, "B".into()),
                (2, Column::ParentId, "A".into()),
            ],
        )
        .expect_err("a loop");
        assert!(bad[0].why.get(Lang::En).contains("loop"));
    }

    #[test]
    fn clipboard_blocks_round_trip_excel_text() {
        let excel = "a\tb\r\n\"x\ty\"\t\"line\nbreak\"\r\n";
        let rows = parse_clipboard_block(excel);
        assert_eq!(
            rows,
            vec![
                vec!["a".to_string(), "b".to_string()],
                vec!["x\ty".to_string(), "line\nbreak".to_string()]
            ]
        );
        assert_eq!(parse_clipboard_block(&clipboard_block(&rows)), rows);
        assert_eq!(
            parse_clipboard_block("12000\n"),
            vec![vec!["12000".to_string()]]
        );
        assert!(parse_clipboard_block("").is_empty());
    }
}
