//! Carrying the plan out as tables (the workbook's Progress and Audit
//! trail sheets, and the audit trail's CSV): every closing site with its
//! quarter, status and where it stands; the counts by level and by area;
//! every audit entry.

use std::io::Write;

use crate::execution::{Date, Execution, audit, tracking};
use crate::i18n::Lang;
use crate::inventory::Inventory;
use crate::plan::Decision;
use crate::timeline::Quarter;

use super::tables::{Cell, Table};

/// The workbook's sheets of the execution: progress, audit trail.
pub fn execution_sheet_names(lang: Lang) -> [&'static str; 2] {
    [
        lang.pick("进度", "Progress"),
        lang.pick("审计记录", "Audit trail"),
    ]
}

fn table(headers: &[&str]) -> Table {
    Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: Vec::new(),
        totals: None,
        summed: vec![false; headers.len()],
    }
}

/// Every closing site: its quarter, its status (with the date, person and
/// note of the change that set it) and where it stands on `today`.
pub fn progress_table(
    inv: &Inventory,
    decisions: &[Decision],
    quarters: &[Option<Quarter>],
    ex: &Execution,
    today: Date,
    lang: Lang,
) -> Table {
    let mut out = table(&[
        lang.pick("网站标识码", "site_id"),
        lang.pick("网站名称", "name"),
        lang.pick("层级", "level"),
        lang.pick("关停季度", "quarter"),
        lang.pick("当前进度", "status"),
        lang.pick("进度日期", "date"),
        lang.pick("填报人", "person"),
        lang.pick("备注", "note"),
        lang.pick("状态", "state"),
    ]);
    let current = tracking::current(inv, &ex.workflow, &ex.statuses);
    for (i, &cur) in current.iter().enumerate() {
        if !crate::outcome::is_merged(inv, decisions, i) {
            continue;
        }
        let s = inv.site(i);
        let q = quarters.get(i).copied().flatten();
        let change = cur.and_then(|c| ex.statuses.get(c.change));
        let state = tracking::state(cur, q, &ex.workflow, today);
        out.rows.push(vec![
            Cell::text(s.id.as_str()),
            Cell::text(s.name.as_str()),
            Cell::text(s.level.label(lang)),
            q.map_or(Cell::Empty, |q| Cell::text(q.to_string())),
            change.map_or(Cell::Empty, |c| {
                Cell::text(ex.workflow.label(&c.status, lang))
            }),
            change.map_or(Cell::Empty, |c| Cell::text(c.date.to_string())),
            change.map_or(Cell::Empty, |c| Cell::text(&c.person)),
            change.map_or(Cell::Empty, |c| Cell::text(&c.note)),
            Cell::text(state.label(lang)),
        ]);
    }
    out
}

/// The progress counts in one table: the total, then each level, then
/// each area (`group`, `name`, then closing, not started, in progress,
/// done, overdue and scheduled), as `status --out X.csv` writes it and the
/// workbook's Progress sheet shows it.
pub fn progress_counts_table(p: &tracking::Progress, lang: Lang) -> Table {
    let mut head = vec![lang.pick("分组", "group"), lang.pick("名称", "name")];
    head.extend(match lang {
        Lang::Zh => ["关停", "未开始", "进行中", "已完成", "已逾期", "已排期"],
        Lang::En => [
            "closing",
            "not_started",
            "in_progress",
            "done",
            "overdue",
            "scheduled",
        ],
    });
    let mut t = table(&head);
    let groups = [
        (lang.pick("合计", "total"), std::slice::from_ref(&p.total)),
        (lang.pick("层级", "level"), p.by_level.as_slice()),
        (lang.pick("地区", "area"), p.by_area.as_slice()),
    ];
    for (group, rows) in groups {
        for r in rows {
            let mut row = vec![Cell::text(group), Cell::text(&r.label)];
            row.extend(
                [
                    r.closing,
                    r.not_started,
                    r.in_progress,
                    r.done,
                    r.overdue,
                    r.scheduled,
                ]
                .into_iter()
                .map(|n| Cell::int(n as i64)),
            );
            t.rows.push(row);
        }
    }
    t
}

/// Every audit entry, oldest first.
pub fn audit_table(entries: &[audit::AuditEntry], lang: Lang) -> Table {
    let mut out = table(&audit::header(lang));
    out.rows = entries
        .iter()
        .map(|e| audit::row(e, lang).into_iter().map(Cell::Text).collect())
        .collect();
    out
}

/// Writes the audit trail as CSV (UTF-8 with BOM, as Excel opens it).
pub fn write_audit_csv<W: Write>(
    entries: &[audit::AuditEntry],
    lang: Lang,
    out: W,
) -> std::io::Result<()> {
    super::tables::write_csv_tables(&[&audit_table(entries, lang)], out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::execution::StatusChange;

    #[test]
    fn progress_rows_say_where_each_closing_site_stands() {
        let (inv, _) = Inventory::link(crate::generate::generate(60, 3));
        let children: Vec<usize> = (0..inv.len())
            .filter(|&i| inv.parent(i).is_some())
            .collect();
        let (a, b, c) = (children[0], children[1], children[2]);
        let mut decisions = vec![Decision::Keep; inv.len()];
        for i in [a, b, c] {
            decisions[i] = Decision::Merge { target: None };
        }
        let mut quarters = vec![None; inv.len()];
        quarters[a] = Quarter::parse("2027Q1");
        quarters[b] = Quarter::parse("2027Q1");
        let date = |d| Date::parse(d).expect("a date");
        let change = |i: usize, status: &str, d| StatusChange {
            site_id: inv.site(i).id.to_string(),
            status: status.into(),
            date: date(d),
            person: "li".into(),
            note: String::new(),
        };
        let ex = Execution {
            // b's later change (by date) stands, whatever the order.
            statuses: vec![
                change(a, "done", "2027-02-01"),
                change(b, "approved", "2027-01-10"),
                change(b, "planned", "2026-12-01"),
            ],
            ..Default::default()
        };
        let today = date("2027-05-01");
        let t = progress_table(&inv, &decisions, &quarters, &ex, today, Lang::En);
        assert_eq!(t.rows.len(), 3);
        let row_of = |i: usize| {
            t.rows
                .iter()
                .find(|r| r[0] == Cell::text(&inv.site(i).id))
                .expect("a row")
        };
        assert_eq!(row_of(a)[4], Cell::text("Done"));
        assert_eq!(row_of(a)[8], Cell::text("Done"));
        // Its quarter is over and it is not offline: overdue.
        assert_eq!(row_of(b)[4], Cell::text("Approved"));
        assert_eq!(row_of(b)[5], Cell::text("2027-01-10"));
        assert_eq!(row_of(b)[8], Cell::text("Overdue"));
        // No quarter, no status.
        assert_eq!(row_of(c)[3], Cell::Empty);
        assert_eq!(row_of(c)[8], Cell::text("Not started"));

        let p = tracking::progress(
            &inv,
            &decisions,
            &quarters,
            &ex.workflow,
            &ex.statuses,
            today,
            Lang::En,
        );
        assert_eq!(
            (
                p.total.closing,
                p.total.done,
                p.total.overdue,
                p.total.not_started
            ),
            (3, 1, 1, 1)
        );
        assert_eq!(p.total.scheduled, 2);
        let counts = progress_counts_table(&p, Lang::En);
        let total = &counts.rows[0];
        assert_eq!(total[0], Cell::text("total"));
        assert_eq!(total[2..], [3, 1, 0, 1, 1, 2].map(Cell::int));
        let level_rows = counts.rows.iter().filter(|r| r[0] == Cell::text("level"));
        let closing: i64 = level_rows
            .map(|r| match r[2] {
                Cell::Int(n) => n,
                _ => 0,
            })
            .sum();
        assert_eq!(closing, 3);
        // The same day a quarter earlier: nothing is overdue yet.
        let p = tracking::progress(
            &inv,
            &decisions,
            &quarters,
            &ex.workflow,
            &ex.statuses,
            date("2027-03-31"),
            Lang::En,
        );
        assert_eq!(p.total.overdue, 0);
        assert_eq!(p.total.in_progress, 1);
    }

    #[test]
    fn the_audit_trail_as_csv() {
        let e = audit::AuditEntry::now("li", crate::execution::AuditAction::Decision)
            .site("=T1")
            .change("", "merge");
        let mut out = Vec::new();
        write_audit_csv(&[e], Lang::En, &mut out).expect("written");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains("time,person,action,site_id,before,after,reason"));
        // A formula-like id is neutralised, as in every export.
        assert!(text.contains("'=T1"), "{text}");
        assert!(text.contains(",Decision,"));
    }
}
