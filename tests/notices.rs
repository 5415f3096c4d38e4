//! Closure notices (issue #15, item 5): a draft notice per closing site
//! from the template, its closing date from the statuses or the schedule
//! (a blank to fill when unscheduled), as a folder of text files, a CSV
//! table and a workbook sheet; `sitefold notices` end to end.

use std::path::Path;
use std::process::Command;

use calamine::{Reader, Xlsx, open_workbook};
use sitefold::execution::notices::{
    BLANK, ClosingDate, NoticeFormat, NoticeTemplate, Notices, template_with_publisher,
};
use sitefold::execution::{Date, StatusChange};
use sitefold::export::{FileExport, write_export};
use sitefold::i18n::Lang;
use sitefold::timeline::Evaluated;
use sitefold::workspace::{Inputs, Workspace};

mod common;

use common::{run_cli as run, write_text as write};

/// T1 merges into X, which merges into C (T1's notice names C); T2 has no
/// quarter; T3 folds into N, a kept county without an address.
const INV: &str = "site_id,name,url,level,kind,parent_id
P,省政府,www.sheng.gov.cn,province,portal,
C,市政府,www.shi.gov.cn,prefecture,portal,P
X,县政府,http://www.xian.gov.cn/,county,portal,C
T1,镇一,www.zhen1.gov.cn,township,portal,X
T2,镇二,,township,portal,C
N,无网址县,,county,portal,C
T3,镇三,www.zhen3.gov.cn,township,portal,N
";

const PLAN: &str = "site_id,decision\nX,merge\nT1,merge\nT2,merge\nT3,merge\n";

const SCHEDULE: &str = "site_id,quarter\nT1,2027Q1\nX,2027年第2季度\nT3,2027Q4\n";

struct Files {
    _dir: tempfile::TempDir,
    inv: String,
    plan: String,
    schedule: String,
}

impl Files {
    fn new() -> Files {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        Files {
            inv: write(d, "inv.csv", INV),
            plan: write(d, "plan.csv", PLAN),
            schedule: write(d, "schedule.csv", SCHEDULE),
            _dir: dir,
        }
    }

    fn dir(&self) -> &Path {
        self._dir.path()
    }

    fn path(&self, name: &str) -> String {
        self.dir().join(name).display().to_string()
    }

    fn workspace(&self) -> Workspace {
        let mut ws = Workspace::load(&Inputs {
            inventory: self.inv.clone().into(),
            plan: Some(self.plan.clone().into()),
            ..Default::default()
        })
        .expect("loads");
        ws.read_schedule_file(Path::new(&self.schedule))
            .expect("schedule");
        ws
    }
}

/// Every notice of `ws`, by site id.
fn notices_of(ws: &Workspace, lang: Lang) -> Vec<(String, ClosingDate, String)> {
    let model = ws.model();
    let (resolved, outcome) = ws.evaluate_with(&model);
    let plan = Evaluated {
        inv: &ws.imported.inventory,
        model: &model,
        decisions: &resolved.decisions,
        serving: &outcome.serving,
    };
    let template = NoticeTemplate::of(&ws.execution, lang).expect("template");
    let notices = Notices::new(plan, &ws.schedule, &ws.execution, &template, lang);
    notices
        .iter()
        .map(|n| {
            (
                ws.imported.inventory.site(n.site).id.to_string(),
                n.closing,
                n.text,
            )
        })
        .collect()
}

fn text_of(all: &[(String, ClosingDate, String)], id: &str) -> String {
    all.iter()
        .find(|n| n.0 == id)
        .map(|n| n.2.clone())
        .expect(id)
}

#[test]
fn scheduled_and_unscheduled_sites_get_their_dates_and_receiving_sites() {
    let f = Files::new();
    let ws = f.workspace();
    let all = notices_of(&ws, Lang::Zh);
    let ids: Vec<&str> = all.iter().map(|n| n.0.as_str()).collect();
    assert_eq!(ids, ["X", "T1", "T2", "T3"], "every closing site, in order");

    let t1 = text_of(&all, "T1");
    assert!(
        t1.starts_with("关于镇一停止运行的公告\n\n　　为推进政府网站集约化建设"),
        "{t1}"
    );
    assert!(
        t1.contains("镇一（网站标识码：T1）自2027年3月31日起停止运行，相关内容和服务已迁移至市政府（www.shi.gov.cn）。原网站地址将自动跳转至市政府。"),
        "the last day of 2027Q1, and C (X closes too): {t1}"
    );
    assert!(
        t1.ends_with("特此公告。\n\n市政府\n____年__月__日\n"),
        "{t1}"
    );
    assert_eq!(
        all[1].1,
        ClosingDate::QuarterEnd(Date::new(2027, 3, 31).expect("date"))
    );
    assert!(text_of(&all, "X").contains("自2027年6月30日起"));

    let t2 = text_of(&all, "T2");
    assert!(
        t2.contains("自____年__月__日起停止运行"),
        "a blank to fill: {t2}"
    );
    assert_eq!(all[2].1, ClosingDate::Unscheduled);
    let t3 = text_of(&all, "T3");
    assert!(
        t3.contains(&format!("迁移至无网址县（{BLANK}）")),
        "a receiving site without an address: {t3}"
    );

    let en = notices_of(&ws, Lang::En);
    let t1 = text_of(&en, "T1");
    assert!(t1.starts_with("Notice on the closure of 镇一\n"), "{t1}");
    assert!(
        t1.contains("stops operating from 31 March 2027. Its content and services have moved to 市政府 (www.shi.gov.cn)"),
        "{t1}"
    );
    assert!(text_of(&en, "T2").contains(&format!("stops operating from {BLANK}.")));
}

#[test]
fn the_day_a_site_went_offline_is_its_closing_date() {
    let f = Files::new();
    let mut ws = f.workspace();
    let change = |id: &str, status: &str, date: &str| StatusChange {
        site_id: id.into(),
        status: status.into(),
        date: Date::parse(date).expect(date),
        person: "王工".into(),
        note: String::new(),
    };
    ws.execution.statuses = vec![
        // X went offline in May, before the end of its quarter.
        change("X", "notice", "2027-04-20"),
        change("X", "offline", "2027-05-10"),
        change("X", "done", "2027-05-20"),
        // T1 went offline, then back: its quarter's last day stands.
        change("T1", "offline", "2027-02-01"),
        change("T1", "redirect", "2027-02-03"),
        // T2 (unscheduled) is offline: that day.
        change("T2", "已下线", "2027-08-08"),
    ];
    let all = notices_of(&ws, Lang::Zh);
    assert!(text_of(&all, "X").contains("自2027年5月10日起"));
    assert!(text_of(&all, "T1").contains("自2027年3月31日起"));
    assert!(text_of(&all, "T2").contains("自2027年8月8日起"));
    assert_eq!(
        all[2].1,
        ClosingDate::Offline(Date::new(2027, 8, 8).expect("date"))
    );
}

#[test]
fn a_template_of_the_planners_own_with_every_placeholder() {
    let f = Files::new();
    let mut ws = f.workspace();
    ws.execution.notice_template = "｛网站名称｝停止运行（{site_id}，{网站网址}）\n\
        关停季度：{closing_quarter}；关停日期：{关停日期}\n\
        承接：{target_name}/{承接网站标识码}/{target_url}\n\
        {{发布}}：{发布单位}"
        .into();
    let all = notices_of(&ws, Lang::Zh);
    assert_eq!(
        text_of(&all, "T1"),
        "镇一停止运行（T1，www.zhen1.gov.cn）\n关停季度：2027年第1季度；关停日期：2027年3月31日\n承接：市政府/C/www.shi.gov.cn\n{发布}：市政府"
    );
    assert_eq!(
        text_of(&all, "T2"),
        format!(
            "镇二停止运行（T2，{BLANK}）\n关停季度：____年第__季度；关停日期：____年__月__日\n承接：市政府/C/www.shi.gov.cn\n{{发布}}：市政府"
        )
    );
    assert!(text_of(&all, "X").starts_with("县政府停止运行（X，http://www.xian.gov.cn/）"));
    // An address as the inventory writes it, cleaned for a reader.
    let mut messy = f.workspace();
    messy.execution.notice_template = "{网站网址}|{承接网站网址}".into();
    let inv = INV.replace(
        "www.zhen1.gov.cn",
        "ｗｗｗ．ｚｈｅｎ１。gov。cn；www.zhen1.cn",
    );
    let imported =
        sitefold::inventory::import_bytes(inv.as_bytes(), "inv.csv", &Default::default())
            .expect("import");
    let mut other = Workspace::new(imported);
    other.manual = messy.manual.clone();
    other.schedule = messy.schedule.clone();
    other.execution = messy.execution.clone();
    messy = other;
    assert_eq!(
        text_of(&notices_of(&messy, Lang::Zh), "T1"),
        "www.zhen1.gov.cn、www.zhen1.cn|www.shi.gov.cn"
    );
    // One office publishing them all.
    ws.execution.notice_template = template_with_publisher(
        &ws.execution.notice_template,
        Lang::Zh,
        "某市人民政府办公室",
    )
    .expect("ok");
    assert!(text_of(&notices_of(&ws, Lang::Zh), "T3").ends_with("{发布}：某市人民政府办公室"));
}

#[test]
fn a_folder_of_text_files_that_windows_opens_as_chinese() {
    let f = Files::new();
    let out = f.path("公告");
    let (code, stdout, err) = run(&[
        "notices",
        &f.inv,
        "--plan",
        &f.plan,
        "--schedule",
        &f.schedule,
        "--out",
        &out,
        "--lang",
        "zh",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        stdout.contains("（公告 4 份；其中 1 份未排期，关停日期留空待填）"),
        "{stdout}"
    );
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["T1_镇一.txt", "T2_镇二.txt", "T3_镇三.txt", "X_县政府.txt"]
    );
    let bytes = std::fs::read(Path::new(&out).join("T1_镇一.txt")).expect("file");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert!(text.starts_with("关于镇一停止运行的公告\r\n\r\n"), "{text}");
    assert!(!text.replace("\r\n", "").contains('\n'), "CRLF only");
    assert!(text.ends_with("市政府\r\n____年__月__日\r\n"), "{text}");
    // The same files as the export the app runs.
    let ws = f.workspace();
    let again = f.dir().join("again");
    write_export(
        FileExport::Notices {
            format: NoticeFormat::Folder,
        },
        &ws,
        Lang::Zh,
        &again,
        &|_| true,
    )
    .expect("export");
    for name in &names {
        assert_eq!(
            std::fs::read(Path::new(&out).join(name)).expect("cli"),
            std::fs::read(again.join(name)).expect("export"),
            "{name}"
        );
    }
}

#[test]
fn a_csv_table_and_a_workbook_sheet() {
    let f = Files::new();
    let csv_path = f.path("公告.csv");
    let (code, _, err) = run(&[
        "notices",
        &f.inv,
        "--plan",
        &f.plan,
        "--schedule",
        &f.schedule,
        "--out",
        &csv_path,
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&csv_path).expect("csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(
        r.headers().expect("headers").iter().collect::<Vec<_>>(),
        [
            "site_id",
            "name",
            "url",
            "target_id",
            "target_name",
            "target_url",
            "closing_quarter",
            "closing_date",
            "title",
            "notice"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(&rows[1][0], "T1");
    assert_eq!(&rows[1][3], "C");
    assert_eq!(&rows[1][6], "2027Q1");
    assert_eq!(&rows[1][7], "2027-03-31");
    assert_eq!(&rows[1][8], "Notice on the closure of 镇一");
    assert!(
        rows[1][9].contains("\n\nThank you"),
        "lines stay in the cell"
    );
    assert_eq!(&rows[2][6], "not scheduled");
    assert_eq!(&rows[2][7], "");

    // The notices alone as a workbook.
    let xlsx = f.path("公告.xlsx");
    let (code, _, err) = run(&[
        "notices",
        &f.inv,
        "--plan",
        &f.plan,
        "--schedule",
        &f.schedule,
        "--out",
        &xlsx,
        "--lang",
        "zh",
    ]);
    assert_eq!(code, 0, "{err}");
    let mut wb: Xlsx<_> = open_workbook(&xlsx).expect("opens");
    assert_eq!(wb.sheet_names(), ["公告"]);
    let sheet = wb.worksheet_range("公告").expect("sheet");
    assert_eq!(sheet.height(), 5);
    let cell = |r: u32, c: u32| {
        sheet
            .get_value((r, c))
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    assert_eq!(cell(0, 9), "公告正文");
    assert_eq!(cell(2, 0), "T1");
    assert_eq!(cell(2, 6), "2027Q1");
    assert!(cell(2, 9).contains("自2027年3月31日起停止运行"));
    assert_eq!(cell(3, 6), "未排期");

    // And in the plan workbook, after the other sheets.
    let mut ws = f.workspace();
    ws.execution.notice_template = "{site_name}：{closing_date}".into();
    let plan_xlsx = f.dir().join("plan.xlsx");
    write_export(FileExport::PlanXlsx, &ws, Lang::Zh, &plan_xlsx, &|_| true).expect("workbook");
    let mut wb: Xlsx<_> = open_workbook(&plan_xlsx).expect("opens");
    let names = wb.sheet_names();
    // After the redirects, before the progress of the closures.
    let at = |n: &str| names.iter().position(|x| x == n);
    assert_eq!(at("公告"), at("跳转").map(|k| k + 1), "{names:?}");
    let sheet = wb.worksheet_range("公告").expect("sheet");
    assert_eq!(
        sheet.get_value((2, 9)).map(|v| v.to_string()).as_deref(),
        Some("镇一：2027年3月31日")
    );
}

#[test]
fn a_template_file_and_a_publisher_from_the_command_line() {
    let f = Files::new();
    let template = write(
        f.dir(),
        "模板.txt",
        "关于{网站名称}停止运行的公告\n{网站名称}自{关停日期}起停止运行。\n{发布单位}\n",
    );
    let out = f.path("out.csv");
    let (code, _, err) = run(&[
        "notices",
        &f.inv,
        "--plan",
        &f.plan,
        "--schedule",
        &f.schedule,
        "--template",
        &template,
        "--publisher",
        "某市人民政府办公室",
        "--out",
        &out,
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&out).expect("csv");
    assert!(
        text.contains(
            "\"关于镇一停止运行的公告\n镇一自2027年3月31日起停止运行。\n某市人民政府办公室\""
        ),
        "{text}"
    );
}

#[test]
fn bad_templates_and_outputs_are_refused_with_clear_messages() {
    let f = Files::new();
    let exe = env!("CARGO_BIN_EXE_sitefold");
    let template = write(
        f.dir(),
        "bad.txt",
        "关于{网站名称}的公告\n日期：{关停时间}\n",
    );
    let out = f.path("out.csv");
    for (lang, says) in [
        (
            "zh",
            "公告模板（第 2 行第 4 个字符）中的占位符 {关停时间} 不存在。可用的占位符：{site_name} 或 {网站名称}",
        ),
        (
            "en",
            "the notice template (line 2, character 4) has an unknown placeholder {关停时间}. The placeholders are: {site_name} (the closing site's name)",
        ),
    ] {
        let r = Command::new(exe)
            .args([
                "notices",
                &f.inv,
                "--plan",
                &f.plan,
                "--template",
                &template,
                "--out",
                &out,
                "--lang",
                lang,
            ])
            .output()
            .expect("runs");
        assert_eq!(r.status.code(), Some(2));
        let err = String::from_utf8_lossy(&r.stderr);
        assert!(err.contains("bad.txt") && err.contains(says), "{err}");
        assert!(!Path::new(&out).exists(), "nothing written");
    }
    let a_file = write(f.dir(), "plainfile", "x");
    for (to, says) in [
        (f.path("n.docx"), "notices cannot write a .docx file"),
        (a_file, "is a file, not a folder"),
        (f.inv.clone(), "the same file as the inventory"),
    ] {
        let (code, _, err) = run(&[
            "notices", &f.inv, "--plan", &f.plan, "--out", &to, "--lang", "en",
        ]);
        assert_eq!(code, 2, "{to}: {err}");
        assert!(err.contains(says), "{to}: {err}");
    }
    assert_eq!(std::fs::read_to_string(&f.inv).expect("inv"), INV);
}
