//! What the commands do to files: input problems reported with exit 1,
//! outputs that would replace an input refused, replaced files keeping
//! their permissions and links, read-only files refused, no temporary
//! file left behind (not even by a killed run, once stale), a full folder
//! reported in plain words. Paths have Chinese characters and spaces.

use std::path::{Path, PathBuf};

mod common;

use common::run_cli as run;

fn s(p: &Path) -> String {
    p.display().to_string()
}

const INV: &str = "site_id,name,level,kind,parent_id,annual_budget,population,online_services,inspection_score,inspection_passed\n\
P,省政府,province,portal,,1000000,1000,10,90,yes\n\
C,市政府,prefecture,portal,P,200000,600,5,80,yes\n\
T1,镇一,township,portal,C,10000,100,2,40,no\n\
T2,镇二,township,portal,C,30000,200,1,70,\n";

/// INV with a row without an id (line 6), one with an unknown level
/// (line 7) and a bad budget (line 3, column 6).
const DIRTY: &str = "site_id,name,level,kind,parent_id,annual_budget,population,online_services,inspection_score,inspection_passed\n\
P,省政府,province,portal,,1000000,1000,10,90,yes\n\
C,市政府,prefecture,portal,P,很多,600,5,80,yes\n\
T1,镇一,township,portal,C,10000,100,2,40,no\n\
T2,镇二,township,portal,C,30000,200,1,70,\n\
,无标识码,county,portal,C,1,,,,\n\
X,火星,planet,portal,,1,,,,\n";

const RULES: &str = "[[rules]]\nname = \"乡镇不合格\"\naction = \"merge\"\nlevels = [\"乡镇\"]\nfailed_inspection = true\n";
const PARAMS: &str = "max_absorbed_per_target = 5\n";
const PLAN: &str = "site_id,decision\nT2,merge\n";

/// A folder `规划 目录` holding the inputs, with Chinese names and spaces.
struct Files {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    inv: PathBuf,
    dirty: PathBuf,
    plan: PathBuf,
    rules: PathBuf,
    params: PathBuf,
}

impl Files {
    fn new() -> Files {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("规划 目录");
        std::fs::create_dir(&dir).expect("mkdir");
        let put = |name: &str, text: &str| {
            let p = dir.join(name);
            std::fs::write(&p, text).expect("write");
            p
        };
        Files {
            inv: put("网站 清单.csv", INV),
            dirty: put("有问题 的清单.csv", DIRTY),
            plan: put("决定 1.csv", PLAN),
            rules: put("规则 1.toml", RULES),
            params: put("参数 1.toml", PARAMS),
            dir,
            _dir: tmp,
        }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Names in the folder that look like temporary files.
    fn leftovers(&self) -> Vec<String> {
        leftovers(&self.dir)
    }
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".sitefold-tmp") || n.contains(".tmp"))
        .collect()
}

// ------------------------------------------------------------ item 4

#[test]
fn every_writing_command_reports_rejected_rows_and_exits_1() {
    let f = Files::new();
    let dirty = s(&f.dirty);
    let out_csv = f.file("方案 1.csv");
    let (code, _, err) = run(&["plan", &dirty, "--out", &s(&out_csv), "--lang", "en"]);
    assert_eq!(code, 1, "{err}");
    // Each rejected row and bad cell with its line, then a count.
    for place in [":3:6", ":6", ":7"] {
        assert!(
            err.contains(&format!("有问题 的清单.csv{place}")),
            "{place}: {err}"
        );
    }
    assert!(err.contains("2 row(s) not imported"), "{err}");
    assert!(err.contains("1 bad cell(s)"), "{err}");
    // The output is still written, with the rows that were imported.
    let text = std::fs::read_to_string(&out_csv).expect("plan written");
    assert_eq!(text.lines().count(), 5, "{text}");
    let (code, _, err) = run(&["plan", &dirty, "--out", &s(&out_csv), "--lang", "zh"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("2 行未导入") && err.contains("未导入"),
        "{err}"
    );

    let outputs: Vec<(&str, Vec<String>)> = vec![
        ("summary", vec![]),
        ("summary", vec!["--json".into()]),
        ("summary", vec!["--out".into(), s(&f.file("汇总 1.csv"))]),
        ("plan", vec!["--out".into(), s(&f.file("方案 1.xlsx"))]),
        (
            "chart",
            vec![
                "--kind".into(),
                "cost-by-level".into(),
                "--size".into(),
                "320x200".into(),
                "--out".into(),
                s(&f.file("图 1.svg")),
            ],
        ),
        (
            "optimize",
            vec![
                "--coverage-floor".into(),
                "0".into(),
                "--out".into(),
                s(&f.file("最优 1.csv")),
            ],
        ),
        (
            "optimize",
            vec![
                "--coverage-floor".into(),
                "0".into(),
                "--json".into(),
                "--out".into(),
                s(&f.file("最优 2.csv")),
            ],
        ),
        (
            "frontier",
            vec![
                "--points".into(),
                "3".into(),
                "--out".into(),
                s(&f.file("前沿 1.csv")),
            ],
        ),
    ];
    for (command, extra) in &outputs {
        for (inv, want) in [(&f.inv, 0), (&f.dirty, 1)] {
            let mut args = vec![*command, inv.to_str().expect("utf-8")];
            args.extend(extra.iter().map(String::as_str));
            args.extend(["--lang", "en"]);
            let (code, _, err) = run(&args);
            assert_eq!(code, want, "{command} {extra:?} on {inv:?}: {err}");
            assert_eq!(
                err.contains("row(s) not imported"),
                want == 1,
                "{command}: {err}"
            );
        }
    }
}

#[test]
fn a_file_whose_every_row_is_rejected_gives_a_header_only_plan_and_exit_1() {
    let f = Files::new();
    let bad = f.file("全部 无效.csv");
    std::fs::write(&bad, "site_id,level\n,county\nA,planet\n").expect("write");
    let out = f.file("方案 空.csv");
    let (code, _, err) = run(&["plan", &s(&bad), "--out", &s(&out), "--lang", "en"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("全部 无效.csv:2") && err.contains("全部 无效.csv:3"),
        "{err}"
    );
    assert!(err.contains("2 row(s) not imported"), "{err}");
    let text = std::fs::read_to_string(&out).expect("written");
    assert_eq!(text.lines().count(), 1, "only the header: {text}");
}

#[test]
fn a_long_list_of_rejected_rows_is_cut_short() {
    let f = Files::new();
    let mut text = String::from("site_id,level\nP,province\n");
    for _ in 0..50 {
        text.push_str(",county\n");
    }
    let bad = f.file("很多 无效.csv");
    std::fs::write(&bad, text).expect("write");
    let (code, _, err) = run(&["summary", &s(&bad), "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(err.contains("… and 30 more"), "{err}");
    assert!(err.contains("50 row(s) not imported"), "{err}");
}

// ------------------------------------------------------------ item 5

/// Runs `args`, expecting exit 2 with the refusal, and `victim` unchanged.
fn refused(args: &[&str], victim: &Path) {
    let before = std::fs::read(victim).expect("input");
    let mut full = args.to_vec();
    full.extend(["--lang", "en"]);
    let (code, _, err) = run(&full);
    assert_eq!(code, 2, "{args:?}: {err}");
    assert!(
        err.contains("the output is the same file as the"),
        "{args:?}: {err}"
    );
    assert_eq!(std::fs::read(victim).expect("input"), before, "{args:?}");
}

#[test]
fn an_output_that_is_an_input_is_refused() {
    let f = Files::new();
    let (inv, plan, rules, params) = (s(&f.inv), s(&f.plan), s(&f.rules), s(&f.params));
    let all = [
        "--plan".to_string(),
        plan.clone(),
        "--rules".into(),
        rules.clone(),
        "--params".into(),
        params.clone(),
    ];
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    // Every input of every command that writes.
    for victim in [&f.inv, &f.plan, &f.rules, &f.params] {
        let v = s(victim);
        for command in [
            vec!["plan", &inv],
            vec!["summary", &inv],
            vec!["summary", &inv, "--json"],
            vec!["chart", &inv, "--kind", "cost-by-level"],
        ] {
            let mut args = command.clone();
            args.extend(&all);
            args.extend(["--out", &v]);
            refused(&args, victim);
        }
    }
    for victim in [&f.inv, &f.plan, &f.params] {
        let v = s(victim);
        for command in [
            vec!["optimize", &inv, "--coverage-floor", "current"],
            vec!["frontier", &inv, "--points", "2"],
        ] {
            let mut args = command.clone();
            args.extend(["--plan", &plan, "--params", &params, "--out", &v]);
            refused(&args, victim);
        }
    }
    refused(&["validate", &inv, "--out", &inv], &f.inv);
    // Spelled another way: through `..` and `.`.
    let round = f
        .dir
        .join("..")
        .join("规划 目录")
        .join(".")
        .join("网站 清单.csv");
    refused(&["plan", &inv, "--out", &s(&round)], &f.inv);
    // An .xlsx inventory written over by the workbook export.
    let (code, _, err) = run(&["plan", &inv, "--out", &s(&f.file("清单 2.xlsx"))]);
    assert_eq!(code, 0, "{err}");
    let xlsx = s(&f.file("清单 2.xlsx"));
    refused(&["plan", &xlsx, "--out", &xlsx], &f.file("清单 2.xlsx"));
    // Nothing was written anywhere.
    assert!(f.leftovers().is_empty(), "{:?}", f.leftovers());
}

#[test]
fn a_project_cannot_be_written_over_by_its_own_export() {
    let f = Files::new();
    let ws = sitefold::workspace::Workspace::load(&sitefold::workspace::Inputs {
        inventory: f.inv.clone(),
        plan: None,
        rules: None,
        params: None,
        import: Default::default(),
        map: None,
        rounds: Vec::new(),
    })
    .expect("load");
    let project = f.file("工作 1.sitefold");
    sitefold::project::save_project(
        &project,
        &sitefold::project::Project::from_workspace(&ws, sitefold::i18n::Lang::Zh),
    )
    .expect("save");
    let p = s(&project);
    for args in [
        vec!["plan", &p, "--out", &p],
        vec!["summary", &p, "--out", &p],
        vec!["optimize", &p, "--coverage-floor", "current", "--out", &p],
        vec!["frontier", &p, "--out", &p],
        vec!["validate", &p, "--out", &p],
    ] {
        refused(&args, &project);
    }
    assert!(sitefold::project::open_project(&project).is_ok());
}

#[cfg(unix)]
#[test]
fn links_to_an_input_are_refused_too() {
    let f = Files::new();
    let inv = s(&f.inv);
    // A symbolic link to the inventory, and a hard link.
    let soft = f.file("链接 清单.csv");
    std::os::unix::fs::symlink(&f.inv, &soft).expect("symlink");
    refused(&["plan", &inv, "--out", &s(&soft)], &f.inv);
    let hard = f.file("硬链接 清单.csv");
    std::fs::hard_link(&f.inv, &hard).expect("hard link");
    refused(&["plan", &inv, "--out", &s(&hard)], &f.inv);
    // The input named through a link to its folder.
    let folder_link = f.dir.parent().expect("parent").join("目录 链接");
    std::os::unix::fs::symlink(&f.dir, &folder_link).expect("symlink");
    refused(
        &[
            "summary",
            &inv,
            "--out",
            &s(&folder_link.join("网站 清单.csv")),
        ],
        &f.inv,
    );
}

// ------------------------------------------------------------ item 10

#[cfg(unix)]
#[test]
fn replacing_a_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let f = Files::new();
    let inv = s(&f.inv);
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o7777;
    for (name, m) in [
        ("私密 方案.csv", 0o600),
        ("共享 方案.csv", 0o664),
        ("方案 可执行.csv", 0o750),
    ] {
        let out = f.file(name);
        std::fs::write(&out, "old").expect("write");
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(m)).expect("chmod");
        let (code, _, err) = run(&["plan", &inv, "--out", &s(&out)]);
        assert_eq!(code, 0, "{err}");
        assert_ne!(std::fs::read(&out).expect("read"), b"old");
        assert_eq!(mode(&out), m, "{name}");
    }
    // Workbooks, charts and projects too.
    for (name, extra) in [
        ("私密 方案.xlsx", vec!["plan"]),
        (
            "私密 图.png",
            vec!["chart", "--kind", "target-load", "--size", "200x100"],
        ),
        ("私密 汇总.csv", vec!["summary"]),
    ] {
        let out = f.file(name);
        std::fs::write(&out, "old").expect("write");
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let mut args = vec![extra[0], &inv];
        args.extend(&extra[1..]);
        let o = s(&out);
        args.extend(["--out", &o]);
        let (code, _, err) = run(&args);
        assert_eq!(code, 0, "{name}: {err}");
        assert_eq!(mode(&out), 0o600, "{name}");
    }
    let ws = sitefold::workspace::Workspace::load(&sitefold::workspace::Inputs {
        inventory: f.inv.clone(),
        plan: None,
        rules: None,
        params: None,
        import: Default::default(),
        map: None,
        rounds: Vec::new(),
    })
    .expect("load");
    let project = f.file("私密 项目.sitefold");
    std::fs::write(&project, "old").expect("write");
    std::fs::set_permissions(&project, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    sitefold::project::save_project(
        &project,
        &sitefold::project::Project::from_workspace(&ws, sitefold::i18n::Lang::En),
    )
    .expect("save");
    assert_eq!(mode(&project), 0o600);

    // A new file gets what any new file gets in that folder (not 0600).
    let probe = f.file("探针.txt");
    std::fs::write(&probe, "x").expect("write");
    let new = f.file("新 方案.csv");
    let (code, _, err) = run(&["plan", &inv, "--out", &s(&new)]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&new), mode(&probe));
    assert!(f.leftovers().is_empty(), "{:?}", f.leftovers());
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_refused_with_a_message() {
    use std::os::unix::fs::PermissionsExt;
    let f = Files::new();
    let inv = s(&f.inv);
    for (name, extra) in [
        ("只读 方案.csv", vec!["plan"]),
        ("只读 方案.xlsx", vec!["plan"]),
        ("只读 图.png", vec!["chart", "--kind", "cost-by-level"]),
        ("只读 图.svg", vec!["chart", "--kind", "cost-by-level"]),
        ("只读 汇总.json", vec!["summary", "--json"]),
    ] {
        let out = f.file(name);
        std::fs::write(&out, "keep me").expect("write");
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o444)).expect("chmod");
        for lang in ["en", "zh"] {
            let mut args = vec![extra[0], &inv];
            args.extend(&extra[1..]);
            let o = s(&out);
            args.extend(["--out", &o, "--lang", lang]);
            let (code, _, err) = run(&args);
            assert_eq!(code, 2, "{name}: {err}");
            let want = if lang == "en" { "read-only" } else { "只读" };
            assert!(err.contains(want) && err.contains(name), "{name}: {err}");
        }
        assert_eq!(std::fs::read(&out).expect("read"), b"keep me");
        assert_eq!(
            std::fs::metadata(&out).expect("meta").permissions().mode() & 0o777,
            0o444
        );
    }
    let project = f.file("只读 项目.sitefold");
    std::fs::write(&project, "keep me").expect("write");
    std::fs::set_permissions(&project, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let ws = sitefold::workspace::Workspace::load(&sitefold::workspace::Inputs {
        inventory: f.inv.clone(),
        plan: None,
        rules: None,
        params: None,
        import: Default::default(),
        map: None,
        rounds: Vec::new(),
    })
    .expect("load");
    let e = sitefold::project::save_project(
        &project,
        &sitefold::project::Project::from_workspace(&ws, sitefold::i18n::Lang::En),
    )
    .expect_err("read-only");
    assert!(
        e.message(sitefold::i18n::Lang::En).contains("read-only"),
        "{e}"
    );
    assert_eq!(std::fs::read(&project).expect("read"), b"keep me");
    assert!(f.leftovers().is_empty(), "{:?}", f.leftovers());
}

#[cfg(unix)]
#[test]
fn writing_through_a_link_replaces_its_target_and_keeps_the_link() {
    let f = Files::new();
    let inv = s(&f.inv);
    let elsewhere = f.dir.join("真正 的文件夹");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    for name in ["方案 1.csv", "方案 1.xlsx", "图 1.png", "图 1.svg"] {
        let real = elsewhere.join(name);
        std::fs::write(&real, "old").expect("write");
        // A relative link, as people make them.
        let link = f.file(&format!("链接 {name}"));
        std::os::unix::fs::symlink(Path::new("真正 的文件夹").join(name), &link).expect("symlink");
        let l = s(&link);
        let args: Vec<&str> = if name.starts_with('图') {
            vec![
                "chart",
                &inv,
                "--kind",
                "cost-by-level",
                "--size",
                "300x200",
                "--out",
                &l,
            ]
        } else {
            vec!["plan", &inv, "--out", &l]
        };
        let (code, _, err) = run(&args);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink(),
            "{name}: the link was replaced"
        );
        let bytes = std::fs::read(&real).expect("target");
        assert_ne!(bytes, b"old", "{name}: the target was not written");
        assert!(
            leftovers(&elsewhere).is_empty(),
            "{:?}",
            leftovers(&elsewhere)
        );
    }
    // A dangling link: the file it names is created.
    let link = f.file("悬空 链接.csv");
    std::os::unix::fs::symlink("还没有 的文件.csv", &link).expect("symlink");
    let (code, _, err) = run(&["plan", &inv, "--out", &s(&link)]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert!(f.file("还没有 的文件.csv").is_file());
    assert!(f.leftovers().is_empty(), "{:?}", f.leftovers());
}

// ------------------------------------------------------------ item 11

/// Gives `path` a modification time `secs` seconds ago.
fn age(path: &Path, secs: u64) {
    let when = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
    std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open")
        .set_modified(when)
        .expect("set mtime");
}

#[test]
fn a_killed_write_leaves_the_original_and_its_leftover_is_cleaned_later() {
    let f = Files::new();
    let target = f.file("方案 1.csv");
    std::fs::write(&target, "原来的文件").expect("write");
    // Big enough to be caught mid-write: some 50 MB, streamed.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sitefold"))
        .args([
            "generate",
            "--sites",
            "300000",
            "--seed",
            "3",
            "--out",
            &s(&target),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn sitefold");
    // Wait until the temporary file has data in it, then kill -9.
    let start = std::time::Instant::now();
    let tmp = loop {
        let found = std::fs::read_dir(&f.dir)
            .expect("dir")
            .filter_map(Result::ok)
            .find(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".sitefold-tmp-")
                    && e.metadata().is_ok_and(|m| m.len() > 1_000_000)
            });
        if let Some(e) = found {
            break e.path();
        }
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the write ended before it could be interrupted"
        );
        assert!(
            start.elapsed().as_secs() < 120,
            "no temporary file appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    child.kill().expect("kill");
    let _ = child.wait();
    assert_eq!(
        std::fs::read_to_string(&target).expect("original"),
        "原来的文件",
        "the original was touched"
    );
    assert!(
        tmp.exists(),
        "a killed run cannot remove its temporary file"
    );
    let name = tmp
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    assert!(name.ends_with(".csv"), "{name}");

    // A young leftover may belong to a run still writing: kept.
    let (code, _, err) = run(&["template", "--out", &s(&f.file("模板 1.csv"))]);
    assert_eq!(code, 0, "{err}");
    assert!(tmp.exists());
    // Once stale, the next write to the folder removes it.
    age(&tmp, 2 * 3600);
    let (code, _, err) = run(&["plan", &s(&f.inv), "--out", &s(&target)]);
    assert_eq!(code, 0, "{err}");
    assert!(!tmp.exists(), "the stale leftover is still there");
    assert!(f.leftovers().is_empty(), "{:?}", f.leftovers());
    assert!(
        std::fs::read_to_string(&target)
            .expect("plan")
            .contains("省政府")
    );
}

#[test]
fn failed_writes_leave_no_temporary_file() {
    let f = Files::new();
    // A folder in the way of each kind of output.
    for name in ["挡住 1.csv", "挡住 1.xlsx", "挡住 1.png", "挡住 1.svg"] {
        std::fs::create_dir(f.file(name)).expect("mkdir");
    }
    let inv = s(&f.inv);
    for args in [
        vec!["plan", &inv, "--out"],
        vec!["chart", &inv, "--kind", "target-load", "--out"],
        vec!["summary", &inv, "--out"],
    ] {
        for name in ["挡住 1.csv", "挡住 1.xlsx", "挡住 1.png", "挡住 1.svg"] {
            let p = s(&f.file(name));
            let mut a = args.clone();
            a.extend([p.as_str(), "--lang", "en"]);
            let (code, _, err) = run(&a);
            // An extension the command does not write is refused first.
            if code == 2 && err.contains("cannot write a .") {
                continue;
            }
            assert_eq!(code, 2, "{a:?}: {err}");
            assert!(err.contains("it is a folder"), "{a:?}: {err}");
        }
    }
    assert!(f.leftovers().is_empty(), "{:?}", f.leftovers());
}

// ------------------------------------------------------------ item 12

/// The workbook library's temporary data goes next to the output, so a
/// missing or unusable system temporary folder does not matter.
#[test]
fn the_workbook_does_not_need_the_system_temporary_folder() {
    let f = Files::new();
    let out = f.file("方案 1.xlsx");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_sitefold"))
        .args(["plan", &s(&f.inv), "--out", &s(&out), "--lang", "en"])
        .env("TMPDIR", f.file("没有 这个文件夹"))
        .output()
        .expect("run sitefold");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.is_file());
    assert!(f.leftovers().is_empty(), "{:?}", f.leftovers());
}

/// A small tmpfs, unmounted on drop; `None` when mounting is not allowed.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        if !cfg!(target_os = "linux") {
            return None;
        }
        std::fs::create_dir_all(dir).ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs {
            dir: dir.to_path_buf(),
        })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.dir).status();
    }
}

#[test]
fn a_full_folder_gives_a_message_not_a_panic() {
    let f = Files::new();
    let full_dir = f.file("小 磁盘");
    let Some(_fs) = Tmpfs::mount(&full_dir, "64k") else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    let exe = env!("CARGO_BIN_EXE_sitefold");
    // An inventory the size of the bundled sample.
    let province = f.file("省 清单.csv");
    let (code, _, err) = run(&[
        "generate",
        "--sites",
        "3000",
        "--seed",
        "2015",
        "--out",
        &s(&province),
    ]);
    assert_eq!(code, 0, "{err}");
    let inv = s(&province);
    // Fill the system temporary folder: the export does not use it.
    let filler = full_dir.join("填满");
    let _ = std::fs::write(&filler, vec![0u8; 64 * 1024]);
    let out = f.file("方案 1.xlsx");
    let o = std::process::Command::new(exe)
        .args(["plan", &inv, "--out", &s(&out), "--lang", "en"])
        .env("TMPDIR", &full_dir)
        .output()
        .expect("run sitefold");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::remove_file(&filler).expect("empty it again");

    // The output's own folder full: a message naming the folder, the
    // previous file untouched, nothing left behind.
    for (what, args) in [
        ("xlsx", vec!["plan", "--out"]),
        ("csv", vec!["generate", "--sites", "3000", "--out"]),
        ("png", vec!["chart", "--kind", "budget-vs-score", "--out"]),
    ] {
        let target = full_dir.join(format!("方案 1.{what}"));
        std::fs::write(&target, "原来的文件").expect("write");
        for lang in ["en", "zh"] {
            let t = s(&target);
            let mut a: Vec<&str> = vec![args[0]];
            if args[0] != "generate" {
                a.push(&inv);
            }
            a.extend(&args[1..]);
            a.extend([t.as_str(), "--lang", lang]);
            let o = std::process::Command::new(exe)
                .args(&a)
                .output()
                .expect("run sitefold");
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{a:?}: {err}");
            assert!(
                !err.contains("internal error") && !err.contains("panicked"),
                "{a:?}: {err}"
            );
            let full = if lang == "en" { "full" } else { "已满" };
            assert!(err.contains(full), "{a:?}: {err}");
            assert!(err.contains("小 磁盘"), "{a:?}: names the folder: {err}");
            assert!(!err.contains("Os {") && !err.contains("Error("), "{err}");
        }
        assert_eq!(
            std::fs::read_to_string(&target).expect("original"),
            "原来的文件"
        );
        assert!(
            leftovers(&full_dir).is_empty(),
            "{:?}",
            leftovers(&full_dir)
        );
    }
}

// ------------------------------------------------------------ item 18

#[test]
fn messages_are_plain_words() {
    let f = Files::new();
    let no_cols = f.file("缺 列.csv");
    std::fs::write(&no_cols, "名字,地址\n甲,乙\n").expect("write");
    let (code, _, err) = run(&["summary", &s(&no_cols), "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("missing required column(s): site_id (网站标识码); level (层级)"),
        "{err}"
    );
    assert!(!err.contains("[\"") && !err.contains("\"]"), "{err}");
    assert!(
        err.contains("The file's columns: \"名字\", \"地址\""),
        "{err}"
    );
    assert!(
        err.contains("sitefold map \""),
        "a path with a space is quoted: {err}"
    );

    // A chart that cannot be written: the reason in words, not Rust's.
    let blocked = f.file("挡住 图.png");
    std::fs::create_dir(&blocked).expect("mkdir");
    for (lang, want) in [("en", "it is a folder"), ("zh", "这是一个文件夹")] {
        let (code, _, err) = run(&[
            "chart",
            &s(&f.inv),
            "--kind",
            "cost-by-level",
            "--out",
            &s(&blocked),
            "--lang",
            lang,
        ]);
        assert_eq!(code, 2);
        assert!(err.contains(want), "{err}");
        assert!(!err.contains("Error(") && !err.contains("Os {"), "{err}");
    }
    let missing = f.file("没有 的文件夹").join("方案.csv");
    let (code, _, err) = run(&["plan", &s(&f.inv), "--out", &s(&missing), "--lang", "zh"]);
    assert_eq!(code, 2);
    assert!(err.contains("文件夹不存在"), "{err}");
}
