//! Progress sheets (issue #15): every line of a sheet returned by a
//! prefecture recorded or reported with its line and column (CSV in UTF-8
//! or GBK, a workbook), what recording does to the project and its audit
//! trail, and `sitefold status` end to end through the built binary: on a
//! project of the bundled sample, and the report's counts hand-checked on
//! a tiny inventory.

use std::path::{Path, PathBuf};
use std::process::Command;

use sitefold::execution::{AuditAction, Date, StatusSheet};
use sitefold::i18n::Lang;
use sitefold::inventory::{TableOptions, read_table};
use sitefold::project::{Project, open_project, save_project};
use sitefold::workspace::{Inputs, Workspace};

/// A province, two prefectures; a county and three townships under the
/// first, two townships and a department under the second.
const INV: &str = "site_id,name,level,kind,parent_id\n\
P,省政府,province,portal,\n\
C1,甲市,prefecture,portal,P\n\
C2,乙市,prefecture,portal,P\n\
K1,甲县,county,portal,C1\n\
T1,镇一,township,portal,K1\n\
T2,镇二,township,portal,K1\n\
T3,镇三,township,portal,C1\n\
T4,镇四,township,portal,C2\n\
T5,镇五,township,portal,C2\n\
D1,乙市教育局,prefecture,department,C2\n";

/// The townships and the department close; everything else is kept.
const PLAN: &str = "site_id,decision\nT1,merge\nT2,merge\nT3,merge\nT4,merge\nT5,merge\nD1,merge\n";

/// Closure quarters of every closing site but T5.
const SCHEDULE: &str = "site_id,quarter\nT1,2027Q1\nT2,2027Q1\nT3,2027Q2\nT4,2027Q3\nD1,2027Q1\n";

fn day(s: &str) -> Date {
    Date::parse(s).expect("a date")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write fixture");
    p
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// The tiny inventory with its plan and schedule.
fn tiny_workspace(dir: &Path) -> Workspace {
    let inputs = Inputs {
        inventory: write(dir, "inv.csv", INV.as_bytes()),
        plan: Some(write(dir, "plan.csv", PLAN.as_bytes())),
        ..Default::default()
    };
    let mut ws = Workspace::load(&inputs).expect("the inventory loads");
    let ignored = ws
        .read_schedule_file(&write(dir, "schedule.csv", SCHEDULE.as_bytes()))
        .expect("the schedule reads");
    assert_eq!(ignored, 0, "{:?}", ws.file_issues);
    ws
}

/// The tiny workspace saved as a project.
fn tiny_project(dir: &Path) -> PathBuf {
    let ws = tiny_workspace(dir);
    let path = dir.join("tiny.sitefold");
    save_project(&path, &Project::from_workspace(&ws, Lang::Zh)).expect("saved");
    path
}

/// Where each reported line is: (line, column, error).
fn places(sheet: &StatusSheet) -> Vec<(u64, Option<usize>, bool)> {
    sheet
        .issues
        .iter()
        .map(|i| (i.line, i.column, i.is_error))
        .collect()
}

/// The changes as (site, status key, date, person, note).
fn changes(sheet: &StatusSheet) -> Vec<(String, String, String, String, String)> {
    sheet
        .changes
        .iter()
        .map(|c| {
            (
                c.site_id.clone(),
                c.status.clone(),
                c.date.to_string(),
                c.person.clone(),
                c.note.clone(),
            )
        })
        .collect()
}

fn tuple(
    site: &str,
    status: &str,
    date: &str,
    person: &str,
    note: &str,
) -> (String, String, String, String, String) {
    (
        site.into(),
        status.into(),
        date.into(),
        person.into(),
        note.into(),
    )
}

/// A sheet with a title row, good lines, and every kind of bad line: each
/// good one recorded, each bad one reported at its exact line and column.
#[test]
fn every_csv_line_is_recorded_or_reported_where_it_is() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut ws = tiny_workspace(d);
    let text = "\u{feff}甲市网站关停进度（2027年第二季度）\r\n\
                \r\n\
                网站标识码,状态,日期,备注,填报人\r\n\
                T1,已下线,2027/3/20,域名已停止解析,\r\n\
                T2,approved,2027-02-01,,李四\r\n\
                X9,已下线,2027-03-01,,\r\n\
                K1,已下线,2027-03-01,,\r\n\
                T3,下线了,2027-03-01,,\r\n\
                T4,notice,2027-13-01,,\r\n\
                T5,notice\r\n\
                ,done,2027-03-01\r\n\
                \"T3\",\"done\",\"2027-06-30\",\"多行\r\n备注\",\r\n\
                T1,已下线,2027/3/20,域名已停止解析,\r\n\
                D1,planned,2027年1月10日,,\r\n";
    let path = write(d, "进度.csv", text.as_bytes());
    let sheet = ws
        .read_status_file(&path, &TableOptions::default(), "王五", day("2027-07-15"))
        .expect("a progress sheet");
    assert_eq!(
        places(&sheet),
        vec![
            (6, Some(1), true),
            (7, Some(1), true),
            (8, Some(2), true),
            (9, Some(3), true),
            (10, Some(3), true),
            (11, Some(1), true),
            (14, Some(2), false),
        ],
        "{:#?}",
        sheet.issues
    );
    let en: Vec<&str> = sheet.issues.iter().map(|i| i.en.as_str()).collect();
    assert_eq!(
        en[0],
        "site \"X9\" is not in the inventory; line not imported"
    );
    assert!(en[1].contains("\"K1\" is kept by the plan"), "{}", en[1]);
    assert!(en[2].starts_with("\"下线了\" is not a status; line not imported. Statuses: planned (Planned), approved (Approved),"), "{}", en[2]);
    assert!(
        en[3].starts_with("\"2027-13-01\" is not a date"),
        "{}",
        en[3]
    );
    assert!(en[4].starts_with("no date"), "{}", en[4]);
    assert!(en[5].starts_with("no site id"), "{}", en[5]);
    assert_eq!(en[6], "the same as line 4; not recorded again");
    assert_eq!(
        sheet.issues[2].render(Lang::Zh),
        format!(
            "{}:8:2: 错误: 状态“下线了”无法识别，该行未导入；可填：已列入计划（planned）、已批准（approved）、内容已迁移（migrated）、已发布公告（notice）、跳转已生效（redirect）、已下线（offline）、标识已注销（cancelled）、已完成（done）",
            path.display()
        )
    );
    assert_eq!(
        changes(&sheet),
        vec![
            tuple("T1", "offline", "2027-03-20", "王五", "域名已停止解析"),
            tuple("T2", "approved", "2027-02-01", "李四", ""),
            tuple("T3", "done", "2027-06-30", "王五", "多行\r\n备注"),
            tuple("D1", "planned", "2027-01-10", "王五", ""),
        ]
    );
    assert_eq!(sheet.lines, vec![4, 5, 12, 15]);
    assert_eq!(
        (
            sheet.read,
            sheet.applied(),
            sheet.rejected,
            sheet.already_recorded
        ),
        (11, 4, 6, 1)
    );

    // Recorded: the statuses, one audit entry per change (the status
    // before, the new one with its date, the note), one for the import.
    assert_eq!(ws.apply_status_sheet(&sheet, "王五", Lang::Zh), 4);
    assert_eq!(ws.execution.statuses.len(), 4);
    let audit: Vec<(AuditAction, &str, &str, &str, &str, &str)> = ws
        .execution
        .audit
        .iter()
        .map(|e| {
            (
                e.action,
                e.person.as_str(),
                e.site_id.as_str(),
                e.before.as_str(),
                e.after.as_str(),
                e.reason.as_str(),
            )
        })
        .collect();
    let shown = s(&path);
    assert_eq!(
        audit,
        vec![
            (
                AuditAction::Status,
                "王五",
                "T1",
                "",
                "offline 2027-03-20",
                "域名已停止解析"
            ),
            (
                AuditAction::Status,
                "李四",
                "T2",
                "",
                "approved 2027-02-01",
                ""
            ),
            (
                AuditAction::Status,
                "王五",
                "T3",
                "",
                "done 2027-06-30",
                "多行\r\n备注"
            ),
            (
                AuditAction::Status,
                "王五",
                "D1",
                "",
                "planned 2027-01-10",
                ""
            ),
            (
                AuditAction::Import,
                "王五",
                "",
                "",
                shown.as_str(),
                "进度表：记录 4 条，6 行未导入，1 行已有记录"
            ),
        ]
    );

    // Read again: the good lines are recorded already, the bad ones still
    // reported; a later status of T1 has the one before as `before`.
    let again = ws
        .read_status_file(&path, &TableOptions::default(), "王五", day("2027-07-15"))
        .expect("a progress sheet");
    assert_eq!(
        (again.applied(), again.already_recorded, again.rejected),
        (0, 5, 6)
    );
    let later = sitefold::execution::one_change(
        "--set",
        "T1",
        "已完成",
        Some("2027-07-16"),
        "",
        &ws.sheet_context(&ws.resolve(), "赵六", day("2027-07-15")),
    );
    assert!(
        later.issues.is_empty(),
        "tomorrow is allowed: {:?}",
        later.issues
    );
    ws.execution.record_changes(&later.changes);
    let last = ws.execution.audit.last().expect("an entry");
    assert_eq!(
        (last.before.as_str(), last.after.as_str()),
        ("offline", "done 2027-07-16")
    );
    assert_eq!(
        ws.execution.audit.len(),
        6,
        "a change by hand is not an import"
    );
}

/// A sheet saved by Excel on a Chinese Windows: GBK, Chinese headers of
/// every kind the columns go by.
#[test]
fn a_gbk_sheet_with_chinese_headers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let ws = tiny_workspace(d);
    let text = "编号,关停进度,完成日期,说明,经办人\r\n\
                T1,已批准,2027年3月1日,市政府批复,张三\r\n\
                T4,内容已迁移,2027.3.5,栏目迁至乙市网站,\r\n\
                T5,已列入计划,20270101,,\r\n\
                T2,已完结,2027-03-01,,\r\n";
    let (gbk, _, bad) = encoding_rs::GBK.encode(text);
    assert!(!bad);
    let path = write(d, "progress-gbk.csv", &gbk);
    let table = read_table(&path, &TableOptions::default()).expect("a table");
    assert_eq!(table.encoding, "GB18030");
    assert_eq!(table.header[1], "关停进度");
    let sheet = ws
        .read_status_file(&path, &TableOptions::default(), "王五", day("2027-07-15"))
        .expect("a progress sheet");
    assert_eq!(
        places(&sheet),
        vec![(5, Some(2), true)],
        "{:#?}",
        sheet.issues
    );
    assert!(sheet.issues[0].zh.starts_with("状态“已完结”无法识别"));
    assert_eq!(
        changes(&sheet),
        vec![
            tuple("T1", "approved", "2027-03-01", "张三", "市政府批复"),
            tuple("T4", "migrated", "2027-03-05", "王五", "栏目迁至乙市网站"),
            tuple("T5", "planned", "2027-01-01", "王五", ""),
        ]
    );
}

/// A workbook with an instructions sheet first, a merged title row, the
/// table starting in column B, real Excel dates, a date as a serial
/// number and as Chinese text, a cell right of the header: rows numbered
/// as Excel shows them, columns counted from the table's first.
#[test]
fn an_xlsx_sheet_reads_with_excel_row_numbers() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let ws = tiny_workspace(d);
    let mut wb = Workbook::new();
    let help = wb.add_worksheet();
    help.set_name("填表说明").expect("name");
    help.write_string(0, 0, "状态可填：已批准、已下线……")
        .expect("cell");
    let sheet = wb.add_worksheet();
    sheet.set_name("进度").expect("name");
    let title = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    sheet
        .merge_range(0, 0, 0, 4, "甲市网站关停进度表", &title)
        .expect("title");
    for (c, h) in ["网站\n标识码", "状态", "日期", "备注"].iter().enumerate() {
        sheet.write_string(2, 1 + c as u16, *h).expect("header");
    }
    let when = |y, m, d| ExcelDateTime::from_ymd(y, m, d).expect("date");
    sheet.write_string(3, 1, "T1").expect("cell");
    sheet.write_string(3, 2, "已下线").expect("cell");
    sheet
        .write_datetime_with_format(3, 3, when(2027, 3, 20), &date)
        .expect("cell");
    sheet.write_string(4, 1, "T2").expect("cell");
    sheet.write_string(4, 2, "approved").expect("cell");
    sheet.write_number(4, 3, 46419.0).expect("cell");
    sheet.write_string(5, 1, "X9").expect("cell");
    sheet.write_string(5, 2, "done").expect("cell");
    sheet.write_string(5, 3, "2027年3月1日").expect("cell");
    sheet.write_string(6, 1, "T3").expect("cell");
    sheet.write_string(6, 2, "soon").expect("cell");
    sheet.write_string(6, 3, "明天").expect("cell");
    sheet.write_string(8, 1, "T4").expect("cell");
    sheet.write_string(8, 2, "notice").expect("cell");
    sheet
        .write_datetime_with_format(8, 3, when(2027, 7, 1), &date)
        .expect("cell");
    sheet.write_string(8, 4, "公告已发布").expect("cell");
    sheet.write_string(8, 5, "右侧多余").expect("cell");
    let path = d.join("进度.xlsx");
    wb.save(&path).expect("saved");

    let opts = TableOptions {
        sheet: Some("进度".into()),
        ..Default::default()
    };
    let table = read_table(&path, &opts).expect("a table");
    assert_eq!(table.encoding, "XLSX · 进度");
    assert_eq!(table.header, vec!["网站标识码", "状态", "日期", "备注"]);
    assert_eq!(table.header_line, 3);
    let rows: Vec<(u64, Vec<&str>)> = table
        .rows
        .iter()
        .map(|r| (r.line, r.cells.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(rows[0], (4, vec!["T1", "已下线", "2027-03-20"]));
    assert_eq!(rows[1], (5, vec!["T2", "approved", "46419"]));
    assert_eq!(
        rows[4],
        (
            9,
            vec!["T4", "notice", "2027-07-01", "公告已发布", "右侧多余"]
        )
    );
    let sheet = ws
        .read_status_file(&path, &opts, "王五", day("2027-07-15"))
        .expect("a progress sheet");
    assert_eq!(
        places(&sheet),
        vec![(6, Some(1), true), (7, Some(2), true), (7, Some(3), true)],
        "{:#?}",
        sheet.issues
    );
    assert_eq!(
        changes(&sheet),
        vec![
            tuple("T1", "offline", "2027-03-20", "王五", ""),
            tuple("T2", "approved", "2027-02-01", "王五", ""),
            tuple("T4", "notice", "2027-07-01", "王五", "公告已发布"),
        ]
    );
    assert_eq!(sheet.lines, vec![4, 5, 9]);
    // The first sheet has no site id column: said as a whole, at its header.
    let e = ws
        .read_status_file(&path, &TableOptions::default(), "王五", day("2027-07-15"))
        .expect_err("the instructions sheet is no progress sheet");
    let en = e.message(Lang::En);
    assert!(
        en.contains(":1: error: a progress sheet needs site_id, status and date columns")
            && en.contains("missing: site_id, status, date"),
        "{en}"
    );
}

/// Runs the built `sitefold`: exit code, standard output, standard error.
fn sitefold(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_sitefold"))
        .args(args)
        .env_remove("SITEFOLD_LANG")
        .output()
        .expect("sitefold runs");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A project `name` in `dir` of the bundled sample with the State
/// Council's rules, made by `sitefold project new`.
fn sample_project(dir: &Path, name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let project = dir.join(name);
    let (code, _, err) = sitefold(&[
        "project",
        "new",
        &s(&root.join("province.csv")),
        "--rules",
        &s(&root.join("rules-state-council.toml")),
        "--out",
        &s(&project),
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "{err}");
    project
}

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// The counts of a report row: closing, not started, in progress, done,
/// overdue, scheduled.
fn counts(row: &serde_json::Value) -> [u64; 6] {
    [
        "closing",
        "not_started",
        "in_progress",
        "done",
        "overdue",
        "scheduled",
    ]
    .map(|k| row[k].as_u64().unwrap_or_else(|| panic!("{k} in {row}")))
}

/// The report of the tiny inventory, counted by hand on 2027-07-15 (the
/// third quarter): T1 offline (its quarter is over, but it is offline: in
/// progress), T2 approved with 2027Q1 over (overdue), T3 done, T4 at the
/// notice in its own quarter (in progress), T5 without a status or a
/// quarter (not started), D1 planned with 2027Q1 over (overdue).
#[test]
fn the_report_counts_hand_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let project = s(&tiny_project(d));
    let sheet = write(
        d,
        "进度.csv",
        "site_id,status,date\nT1,offline,2027-03-20\nT2,approved,2027-02-01\nT3,done,2027-06-30\nT4,notice,2027-07-01\nD1,planned,2027-01-10\n"
            .as_bytes(),
    );
    let (code, out, err) = sitefold(&[
        "status",
        &project,
        "--import",
        &s(&sheet),
        "--today",
        "2027-07-15",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(err, "", "nothing to report");
    assert!(
        out.contains("5 line(s) read, 5 status change(s) recorded, 0 line(s) rejected"),
        "{out}"
    );
    assert!(out.contains(&format!("saved {project}")), "{out}");

    let (code, out, err) = sitefold(&[
        "status",
        &project,
        "--report",
        "--json",
        "--today",
        "2027-07-15",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["today"], "2027-07-15");
    assert_eq!(counts(&v["total"]), [6, 1, 2, 1, 2, 5]);
    let areas: Vec<(&str, [u64; 6])> = v["by_area"]
        .as_array()
        .expect("areas")
        .iter()
        .map(|r| (r["label"].as_str().unwrap_or_default(), counts(r)))
        .collect();
    assert_eq!(
        areas,
        vec![("甲市", [3, 0, 1, 1, 1, 3]), ("乙市", [3, 1, 1, 0, 1, 2])]
    );
    let levels: Vec<(&str, [u64; 6])> = v["by_level"]
        .as_array()
        .expect("levels")
        .iter()
        .map(|r| (r["label"].as_str().unwrap_or_default(), counts(r)))
        .collect();
    assert_eq!(
        levels,
        vec![
            ("Prefecture", [1, 0, 0, 0, 1, 1]),
            ("Township", [5, 1, 2, 1, 1, 4])
        ]
    );
    let overdue: Vec<(&str, &str, &str, &str)> = v["overdue"]
        .as_array()
        .expect("overdue")
        .iter()
        .map(|o| {
            (
                o["site_id"].as_str().unwrap_or_default(),
                o["quarter"].as_str().unwrap_or_default(),
                o["status"].as_str().unwrap_or_default(),
                o["since"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        overdue,
        vec![
            ("T2", "2027Q1", "approved", "2027-02-01"),
            ("D1", "2027Q1", "planned", "2027-01-10")
        ]
    );

    // A quarter later, T4's quarter is over too: overdue.
    let (_, out, _) = sitefold(&["status", &project, "--json", "--today", "2027-10-01"]);
    assert_eq!(counts(&json(&out)["total"]), [6, 1, 1, 1, 3, 5]);

    // The same as text, in Chinese, and as CSV.
    let csv = d.join("进度统计.csv");
    let (code, out, err) = sitefold(&[
        "status",
        &project,
        "--today",
        "2027-07-15",
        "--out",
        &s(&csv),
        "--lang",
        "zh",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("关停进度（截至 2027-07-15）\n关停网站 6 个：已完成 1，进行中 2，未开始 1，已逾期 2；已排定关停季度 5 个\n"), "{out}");
    assert!(
        out.contains("      3        1        1        0        1        2  乙市\n"),
        "{out}"
    );
    assert!(
        out.contains("  T2  2027Q1  已批准（2027-02-01 起）  镇二\n"),
        "{out}"
    );
    assert!(out.contains(&format!("已写入 {}", csv.display())), "{out}");
    let written = std::fs::read_to_string(&csv).expect("written");
    assert_eq!(
        written,
        "\u{feff}分组,名称,关停,未开始,进行中,已完成,已逾期,已排期\r\n\
         合计,合计,6,1,2,1,2,5\r\n\
         层级,地市级,1,0,0,0,1,1\r\n\
         层级,乡镇级,5,1,2,1,1,4\r\n\
         地区,甲市,3,0,1,1,1,3\r\n\
         地区,乙市,3,1,1,0,1,2\r\n"
    );
}

/// `sitefold status` on a project of the bundled sample with the State
/// Council's rules: a sheet with good and bad lines is recorded line by
/// line (exit 1 for the bad ones), saved into the project with its audit
/// trail; a second import records nothing again; a dry run saves
/// nothing; the report counts what was recorded.
#[test]
fn status_import_end_to_end_on_the_sample() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let project = sample_project(d, "工作.sitefold");
    // Sites the plan closes and sites it keeps.
    let ws = open_project(&project).expect("opens").into_workspace();
    let resolved = ws.resolve();
    let inv = &ws.imported.inventory;
    let closing: Vec<&str> = (0..inv.len())
        .filter(|&i| sitefold::outcome::is_merged(inv, &resolved.decisions, i))
        .map(|i| inv.site(i).id.as_str())
        .collect();
    let kept = (0..inv.len())
        .find(|&i| inv.parent(i).is_some() && !resolved.decisions[i].is_merge())
        .map(|i| inv.site(i).id.clone())
        .expect("a kept site");
    assert!(closing.len() > 100, "the rules close sites");
    let [a, b, c, e] = [closing[0], closing[1], closing[2], closing[3]];
    let text = format!(
        "site_id,status,date,note,person\n\
         {a},approved,2027-01-15,city approval,\n\
         {b},offline,2027-03-01,,li\n\
         {kept},offline,2027-03-01,,\n\
         NOPE,done,2027-03-01,,\n\
         {c},gone,2027-03-01,,\n\
         {e},done,2027-02-30,,\n\
         {c},done,2027-06-30,,\n"
    );
    let sheet = write(d, "progress.csv", text.as_bytes());
    let args = |extra: &[&str]| {
        let mut v = vec![
            "status".to_string(),
            s(&project),
            "--import".into(),
            s(&sheet),
            "--today".into(),
            "2027-07-15".into(),
            "--person".into(),
            "wang".into(),
            "--lang".into(),
            "en".into(),
        ];
        v.extend(extra.iter().map(|x| x.to_string()));
        v
    };
    let run = |extra: &[&str]| {
        let v = args(extra);
        let words: Vec<&str> = v.iter().map(String::as_str).collect();
        sitefold(&words)
    };

    // A dry run: every line said, nothing saved.
    let before = std::fs::read(&project).expect("project");
    let (code, out, err) = run(&["--dry-run"]);
    assert_eq!(code, 1, "lines were rejected: {err}");
    assert!(
        out.contains("7 line(s) read, 3 status change(s) recorded, 4 line(s) rejected"),
        "{out}"
    );
    assert!(out.contains("dry run: the project was not saved"), "{out}");
    assert_eq!(
        std::fs::read(&project).expect("project"),
        before,
        "a dry run saves nothing"
    );

    let (code, out, err) = run(&[]);
    assert_eq!(code, 1, "{err}");
    let shown = s(&sheet);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        vec![
            format!(
                "{shown}:4:1: error: site \"{kept}\" is kept by the plan, not closing: it has no closure progress; line not imported"
            ),
            format!("{shown}:5:1: error: site \"NOPE\" is not in the inventory; line not imported"),
            format!(
                "{shown}:6:2: error: \"gone\" is not a status; line not imported. Statuses: planned (Planned), approved (Approved), migrated (Content migrated), notice (Notice posted), redirect (Redirect live), offline (Offline), cancelled (Identifiers cancelled), done (Done)"
            ),
            format!(
                "{shown}:7:3: error: \"2027-02-30\" is not a date; line not imported (write 2027-03-15, 2027/3/15 or 2027年3月15日)"
            ),
        ],
        "{err}"
    );
    assert!(
        out.contains(&format!("saved {}", project.display())),
        "{out}"
    );

    let saved = open_project(&project).expect("opens");
    let ex = &saved.execution;
    let statuses: Vec<(&str, &str, String, &str)> = ex
        .statuses
        .iter()
        .map(|c| {
            (
                c.site_id.as_str(),
                c.status.as_str(),
                c.date.to_string(),
                c.person.as_str(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        vec![
            (a, "approved", "2027-01-15".into(), "wang"),
            (b, "offline", "2027-03-01".into(), "li"),
            (c, "done", "2027-06-30".into(), "wang"),
        ]
    );
    let actions: Vec<AuditAction> = ex.audit.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        vec![
            AuditAction::Status,
            AuditAction::Status,
            AuditAction::Status,
            AuditAction::Import
        ]
    );
    assert_eq!(ex.audit[0].reason, "city approval");
    assert_eq!(ex.audit[3].after, shown);
    assert_eq!(ex.audit[3].person, "wang");
    assert!(!saved.rules.rules.is_empty(), "the rules are kept");

    // Again: the good lines are recorded already (notices, not errors),
    // the bad ones still rejected; nothing recorded, nothing saved.
    let before = std::fs::read(&project).expect("project");
    let (code, out, err) = run(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        err.matches("is already recorded; not recorded again")
            .count(),
        3,
        "{err}"
    );
    assert!(
        out.contains("no status change recorded; the project is unchanged"),
        "{out}"
    );
    assert_eq!(std::fs::read(&project).expect("project"), before);

    // One change by hand, in Chinese; then the report.
    let (code, out, err) = sitefold(&[
        "status",
        &s(&project),
        "--set",
        e,
        "已发布公告",
        "--date",
        "2027-04-01",
        "--note",
        "公告已发布",
        "--today",
        "2027-07-15",
        "--lang",
        "zh",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("已记录：网站“{e}”于 2027-04-01 变为“已发布公告”")),
        "{out}"
    );
    let (code, out, err) = sitefold(&[
        "status",
        &s(&project),
        "--report",
        "--json",
        "--today",
        "2027-07-15",
    ]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    // a approved, b offline, e at the notice: in progress; c done; the
    // sample has no schedule, so nothing is overdue.
    assert_eq!(
        counts(&v["total"]),
        [closing.len() as u64, closing.len() as u64 - 4, 3, 1, 0, 0]
    );
    let by_area: u64 = v["by_area"]
        .as_array()
        .expect("areas")
        .iter()
        .map(|r| counts(r)[0])
        .sum();
    assert_eq!(
        by_area,
        closing.len() as u64,
        "every closing site is in an area"
    );
}

/// Whole-file problems: exit 2 for files that cannot be read, 1 for a
/// sheet without its columns; an output that is an input is refused.
#[test]
fn files_that_cannot_be_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let project = s(&tiny_project(d));
    let missing = s(&d.join("none.csv"));
    let (code, _, err) = sitefold(&["status", &project, "--import", &missing, "--lang", "en"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("none.csv: cannot read the file"), "{err}");
    let no_date = s(&write(d, "nodate.csv", b"site_id,status\nT1,done\n"));
    let (code, _, err) = sitefold(&["status", &project, "--import", &no_date, "--lang", "en"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("nodate.csv:1: error: a progress sheet needs site_id, status and date columns (note and person optional); missing: date."),
        "{err}"
    );
    let (code, _, err) = sitefold(&[
        "status", &project, "--import", &no_date, "--out", &no_date, "--lang", "en",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("the same file as the --import file"), "{err}");
    let (code, _, err) = sitefold(&["status", &project, "--out", "x.png", "--lang", "en"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("status cannot write a .png file"), "{err}");
    let inv = s(&d.join("inv.csv"));
    let (code, _, err) = sitefold(&["status", &inv, "--lang", "en"]);
    assert_eq!(code, 1, "not a project: {err}");
    let (code, _, err) = sitefold(&["status", &project, "--today", "soon", "--lang", "en"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("invalid date 'soon'"), "{err}");
}

#[test]
fn a_project_takes_its_own_statuses_from_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let project = tiny_project(d);
    let workflow = write(
        d,
        "statuses.toml",
        "offline = \"down\"\n\
         [[stages]]\nkey = \"planned\"\nzh = \"计划\"\nen = \"Planned\"\n\
         [[stages]]\nkey = \"down\"\nzh = \"已关闭\"\nen = \"Down\"\n\
         [[stages]]\nkey = \"done\"\nzh = \"完成\"\nen = \"Done\"\n"
            .as_bytes(),
    );
    // A status the default workflow has is not one of these.
    let (code, out, err) = sitefold(&[
        "status",
        &s(&project),
        "--workflow",
        &s(&workflow),
        "--set",
        "T1",
        "已关闭",
        "--date",
        "2026-11-20",
        "--person",
        "wang",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    let p = sitefold::project::open_project(&project).expect("opens");
    let keys: Vec<&str> = p
        .execution
        .workflow
        .stages
        .iter()
        .map(|s| s.key.as_str())
        .collect();
    assert_eq!(keys, ["planned", "down", "done"]);
    assert_eq!(
        p.execution.statuses.last().map(|c| c.status.as_str()),
        Some("down")
    );
    let kinds: Vec<(String, String)> = p
        .execution
        .audit
        .iter()
        .map(|e| (e.action.key().to_string(), e.reason.clone()))
        .collect();
    assert!(
        kinds.contains(&("status".into(), "workflow".into())),
        "{kinds:?}"
    );
    // A statuses file that names an offline status it does not list.
    let bad = write(
        d,
        "bad.toml",
        b"offline = \"gone\"\n[[stages]]\nkey = \"a\"\nzh = \"\xe7\x94\xb2\"\nen = \"A\"\n",
    );
    let (code, _, err) = sitefold(&[
        "status",
        &s(&project),
        "--workflow",
        &s(&bad),
        "--lang",
        "en",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("not a usable statuses file"), "{err}");
    assert!(err.contains("gone"), "{err}");
    let again = sitefold::project::open_project(&project).expect("opens");
    assert_eq!(
        again.execution.workflow, p.execution.workflow,
        "left as it was"
    );
}

/// A change recorded without `--person` in a session that sets none of
/// USER, USERNAME and LOGNAME (a service, `sudo -i`, a container) is
/// recorded under the account's name from the system's user database, as
/// `id -un` gives it, not as "unknown".
#[cfg(target_os = "linux")]
#[test]
fn the_account_name_is_found_without_the_environment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = sample_project(dir.path(), "p.sitefold");
    let ws = open_project(&project).expect("opens").into_workspace();
    let resolved = ws.resolve();
    let inv = &ws.imported.inventory;
    let closing = (0..inv.len())
        .find(|&i| sitefold::outcome::is_merged(inv, &resolved.decisions, i))
        .map(|i| inv.site(i).id.clone())
        .expect("a closing site");
    let o = Command::new(env!("CARGO_BIN_EXE_sitefold"))
        .args(["status", &s(&project), "--set", &closing, "approved"])
        .args(["--date", "2026-11-20", "--today", "2026-12-01"])
        .env_remove("USER")
        .env_remove("USERNAME")
        .env_remove("LOGNAME")
        .output()
        .expect("sitefold runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let expected = Command::new("id")
        .arg("-un")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "unknown".to_string());
    let saved = open_project(&project).expect("opens");
    let last = saved.execution.audit.last().expect("an entry");
    assert_eq!(last.site_id, closing);
    assert_eq!(last.person, expected);
}
