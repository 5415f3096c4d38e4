//! The redirect map (issue #15, item 4): every closing site's old address
//! to the address of the kept site serving it, chains followed; the sites
//! whose redirect cannot be made listed; the CSV, nginx and Apache files;
//! `sitefold redirects` end to end. When nginx or Apache is installed,
//! the files are loaded into a real server and asked for redirects.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sitefold::execution::redirects::{Problem, RedirectFormat, RedirectMap, RedirectPattern};
use sitefold::export::{FileExport, write_export};
use sitefold::i18n::Lang;
use sitefold::inventory::{ImportOptions, import_bytes};
use sitefold::timeline::Evaluated;
use sitefold::workspace::Workspace;

mod common;

use common::{run_cli as run, write_text as write};

/// A province, a city, a county merging into the city, and townships:
///
/// - T1 merges into X, which merges into C: T1's redirect goes to C;
/// - D1 (a department under the county's address) merges into P by an
///   explicit target: a path redirect to P;
/// - T2 has no address; T3's is written in full-width characters;
/// - T4 merges into N, a kept county without an address;
/// - T5 has T1's address and goes to the same place: written once;
/// - T6 and T7 share an address and go to different places: neither;
/// - T8 is at the city's own address: redirecting it would take C away;
/// - T9's path needs escaping; T10's address has a query; T11's is none.
const INV: &str = "site_id,name,url,level,kind,parent_id
P,省政府,www.sheng.gov.cn,province,portal,
C,市政府,http://www.shi.gov.cn/,prefecture,portal,P
X,县政府,www.xian.gov.cn,county,portal,C
D1,县教育局,www.xian.gov.cn/jyj/,county,department,X
N,无网址县,,county,portal,C
K,保留镇,www.shi.gov.cn/zhenk,township,portal,C
T1,镇一,www.zhen1.gov.cn,township,portal,X
T2,镇二,,township,portal,X
T3,镇三,ＷＷＷ．ＺＨＥＮ３．gov。cn／,township,portal,C
T4,镇四,www.zhen4.gov.cn,township,portal,N
T5,镇五,WWW.ZHEN1.GOV.CN/,township,portal,C
T6,镇六,www.dup.gov.cn,township,portal,C
T7,镇七,www.dup.gov.cn,township,portal,C
T8,街道八,www.shi.gov.cn,township,portal,C
T9,镇九,\"www.esc.gov.cn/a%20b$d\"\"e/\",township,portal,C
T10,镇十,http://www.q.gov.cn/index.jsp?id=3,township,portal,C
T11,镇十一,某某网站,township,portal,C
";

const PLAN: &str = "site_id,decision,target_id
X,merge,
D1,merge,P
T1,merge,X
T2,merge,
T3,merge,
T4,merge,
T5,merge,
T6,merge,
T7,merge,P
T8,merge,
T9,merge,
T10,merge,
T11,merge,
";

fn workspace(dir: &Path) -> Workspace {
    let inv = write(dir, "inv.csv", INV);
    let plan = write(dir, "plan.csv", PLAN);
    Workspace::load(&sitefold::workspace::Inputs {
        inventory: inv.into(),
        plan: Some(plan.into()),
        ..Default::default()
    })
    .expect("loads")
}

fn map_of(ws: &Workspace, pattern: &str) -> RedirectMap {
    let model = ws.model();
    let (resolved, outcome) = ws.evaluate_with(&model);
    let plan = Evaluated {
        inv: &ws.imported.inventory,
        model: &model,
        decisions: &resolved.decisions,
        serving: &outcome.serving,
    };
    let pattern = RedirectPattern::parse(pattern).expect("pattern");
    RedirectMap::build(&plan, &pattern, &ws.schedule)
}

/// The entry of site `id` (its first address).
fn entry<'a>(
    ws: &Workspace,
    map: &'a RedirectMap,
    id: &str,
) -> &'a sitefold::execution::redirects::Redirect {
    let i = ws.imported.inventory.find(id).expect(id);
    map.entries.iter().find(|e| e.site == i).expect(id)
}

fn site(ws: &Workspace, id: &str) -> usize {
    ws.imported.inventory.find(id).expect(id)
}

#[test]
fn chains_are_followed_to_the_kept_site_and_every_failure_is_said() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = workspace(dir.path());
    assert_eq!(ws.plan_errors, 0, "{:?}", ws.file_issues);
    let map = map_of(&ws, "");
    assert_eq!(map.closing_sites(), 13);
    let to = |id: &str| entry(&ws, &map, id).to.clone();
    let written = |id: &str| entry(&ws, &map, id).written;
    let problem = |id: &str| entry(&ws, &map, id).problem.clone();

    // T1 → X (closing) → C: the redirect goes to C, never to X.
    assert_eq!(entry(&ws, &map, "T1").target, site(&ws, "C"));
    assert_eq!(to("T1").as_deref(), Some("http://www.shi.gov.cn"));
    assert!(written("T1"));
    assert_eq!(to("X").as_deref(), Some("http://www.shi.gov.cn"));
    // An explicit target, under a path of the county's host.
    assert_eq!(to("D1").as_deref(), Some("http://www.sheng.gov.cn"));
    let d1 = entry(&ws, &map, "D1");
    assert_eq!(
        d1.from.as_ref().map(|a| a.key()).as_deref(),
        Some("www.xian.gov.cn/jyj")
    );
    // Full-width, an ideographic full stop, a trailing slash.
    let t3 = entry(&ws, &map, "T3");
    assert_eq!(
        t3.from.as_ref().map(|a| a.key()).as_deref(),
        Some("www.zhen3.gov.cn")
    );
    assert!(t3.written);

    assert_eq!(problem("T2"), Some(Problem::NoAddress));
    assert_eq!(problem("T4"), Some(Problem::TargetNoAddress));
    assert_eq!(to("T4"), None);
    assert_eq!(
        problem("T5"),
        Some(Problem::Repeated {
            first: site(&ws, "T1")
        })
    );
    assert!(!written("T5"), "written once, for T1");
    assert_eq!(
        problem("T6"),
        Some(Problem::Conflict {
            other: site(&ws, "T7")
        })
    );
    assert_eq!(
        problem("T7"),
        Some(Problem::Conflict {
            other: site(&ws, "T6")
        })
    );
    assert!(!written("T6") && !written("T7"));
    assert_eq!(
        problem("T8"),
        Some(Problem::KeptSite {
            kept: site(&ws, "C")
        })
    );
    assert!(written("T9"));
    assert_eq!(problem("T10"), Some(Problem::Query));
    assert!(matches!(problem("T11"), Some(Problem::BadAddress(_))));

    let failed: Vec<&str> = map
        .failures()
        .map(|r| ws.imported.inventory.site(r.site).id.as_str())
        .collect();
    assert_eq!(
        failed,
        ["T2", "T4", "T6", "T7", "T8", "T10", "T11"],
        "T5 is a note, not a failure"
    );
    // No redirect of the map points at a closing site.
    for r in map.written() {
        assert!(!matches!(
            ws.resolve().decisions[r.target],
            sitefold::plan::Decision::Merge { .. }
        ));
    }
    let inv = &ws.imported.inventory;
    let msg = problem("T8").expect("problem").message(inv, Lang::Zh);
    assert!(
        msg.contains("C 市政府") && msg.contains("保留网站"),
        "{msg}"
    );
    let msg = problem("T4").expect("problem").message(inv, Lang::En);
    assert!(msg.contains("receiving site has no address"), "{msg}");
}

#[test]
fn a_pattern_that_needs_no_target_address_and_one_that_loops() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = workspace(dir.path());
    let map = map_of(&ws, "https://www.sheng.gov.cn/archive/{site_id}{old_path}");
    // N has no address, but the pattern does not need it.
    let t4 = entry(&ws, &map, "T4");
    assert_eq!(
        t4.to.as_deref(),
        Some("https://www.sheng.gov.cn/archive/T4")
    );
    assert!(t4.written);
    assert_eq!(
        entry(&ws, &map, "D1").to.as_deref(),
        Some("https://www.sheng.gov.cn/archive/D1/jyj")
    );
    // A new address on the old host, within the old site: a loop.
    let map = map_of(&ws, "http://{old_host}/archive");
    assert_eq!(entry(&ws, &map, "T1").problem, Some(Problem::Loop));
    assert!(
        map.written()
            .all(|r| r.from.as_ref().is_some_and(|f| !f.segments.is_empty()))
    );
    assert!(
        entry(&ws, &map, "D1").written,
        "/jyj does not hold /archive"
    );
}

fn exported(ws: &Workspace, format: RedirectFormat, lang: Lang) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("out");
    write_export(FileExport::Redirects { format }, ws, lang, &path, &|_| true).expect("export");
    String::from_utf8(std::fs::read(&path).expect("written")).expect("utf-8")
}

#[test]
fn the_csv_opens_in_excel_and_lists_every_closing_site() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = workspace(dir.path());
    let text = exported(&ws, RedirectFormat::Csv, Lang::Zh);
    assert!(text.starts_with('\u{FEFF}'), "UTF-8 BOM");
    assert!(
        text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'),
        "CRLF"
    );
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    let headers = r.headers().expect("headers").clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "网站标识码",
            "网站名称",
            "关停季度",
            "原网址",
            "跳转源（域名和路径）",
            "新网址",
            "承接网站标识码",
            "承接网站名称",
            "说明"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 13);
    let row = |id: &str| rows.iter().find(|r| &r[0] == id).expect(id).clone();
    assert_eq!(&row("T1")[5], "http://www.shi.gov.cn");
    assert_eq!(&row("T1")[6], "C");
    assert_eq!(&row("T2")[8], "清单中没有网址，无法跳转");
    assert_eq!(&row("T3")[3], "ＷＷＷ．ＺＨＥＮ３．gov。cn／");
    assert_eq!(&row("T3")[4], "www.zhen3.gov.cn");
    assert_eq!(&row("T9")[3], "www.esc.gov.cn/a%20b$d\"e/");
    assert_eq!(&row("T9")[4], "www.esc.gov.cn/a b$d\"e");
    let en = exported(&ws, RedirectFormat::Csv, Lang::En);
    assert!(en.contains("site_id,name,quarter,old_address"), "{en}");
}

#[test]
fn the_server_files_escape_what_servers_read_specially() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ws = workspace(dir.path());
    ws.execution.redirect_pattern = "{target_url}/a;b$c".into();
    let nginx = exported(&ws, RedirectFormat::Nginx, Lang::En);
    assert!(
        !nginx.starts_with('\u{FEFF}') && !nginx.contains('\r'),
        "no BOM, LF"
    );
    assert!(
        nginx.contains(
            "\nmap $host$uri $sitefold_redirect {\n    default $sitefold_redirect_host;\n"
        )
    );
    assert!(nginx.contains("\nmap $host $sitefold_redirect_host {\n    default \"\";\n"));
    assert!(
        nginx.contains("if ($sitefold_redirect) {\n#               return 301 $sitefold_redirect;"),
        "{nginx}"
    );
    assert!(
        nginx.contains("geo $sitefold_dollar { default \"$\"; }"),
        "{nginx}"
    );
    assert!(
        nginx
            .contains("    \"www.zhen1.gov.cn\" \"http://www.shi.gov.cn/a;b${sitefold_dollar}c\";"),
        "{nginx}"
    );
    // A path: a case-insensitive regular expression, metacharacters and
    // quotes escaped (the backslashes doubled inside the quotes).
    assert!(
        nginx.contains(r#"    "~*^www\\.esc\\.gov\\.cn/a b\\$d\"e(?:/|$)" "http://www.shi.gov.cn/a;b${sitefold_dollar}c";"#),
        "{nginx}"
    );
    assert!(
        nginx.contains("~*^www\\\\.xian\\\\.gov\\\\.cn/jyj(?:/|$)"),
        "{nginx}"
    );
    // What is left out is said, once, in the notes.
    assert!(
        nginx.contains("#   T2 镇二: no address in the inventory"),
        "{nginx}"
    );
    assert!(
        !nginx.contains("\"www.dup.gov.cn\""),
        "a conflict writes neither"
    );
    assert_eq!(
        nginx.matches("\"www.zhen1.gov.cn\"").count(),
        1,
        "a repeat is written once"
    );

    let apache = exported(&ws, RedirectFormat::Apache, Lang::Zh);
    assert!(apache.contains("RewriteMap sitefold \"txt:/etc/apache2/sitefold-redirects.txt\""));
    assert!(
        apache.contains("(/[^/]+)(?:/|$)"),
        "a rule for the one-segment paths"
    );
    assert!(
        apache.contains("\nwww.xian.gov.cn/jyj http://www.sheng.gov.cn/a;b$c\n"),
        "{apache}"
    );
    assert!(
        apache.contains("\nwww.zhen3.gov.cn http://www.shi.gov.cn/a;b$c\n"),
        "{apache}"
    );
    // A key cannot hold a space: left out, and said.
    assert!(!apache.contains("\nwww.esc.gov.cn"), "{apache}");
    assert!(
        apache.contains("T9 镇九（www.esc.gov.cn/a%20b$d\"e/）：路径含空格"),
        "{apache}"
    );
    for line in apache
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        assert_eq!(line.split_whitespace().count(), 2, "{line}");
    }
}

/// The inventory and plan, written for the command line.
fn files(dir: &Path) -> (String, String) {
    (write(dir, "inv.csv", INV), write(dir, "plan.csv", PLAN))
}

#[test]
fn the_command_writes_the_same_bytes_as_the_export_and_lists_what_it_could_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (inv, plan) = files(d);
    let out = d.join("跳转.conf");
    let (code, stdout, err) = run(&[
        "redirects",
        &inv,
        "--plan",
        &plan,
        "--out",
        &out.display().to_string(),
        "--lang",
        "zh",
    ]);
    assert_eq!(code, 1, "sites could not be redirected: exit 1\n{err}");
    assert!(stdout.contains("已写入"), "{stdout}");
    assert!(err.contains("T2 镇二：清单中没有网址，无法跳转"), "{err}");
    assert!(
        err.contains("T4 镇四（www.zhen4.gov.cn）：承接网站没有网址"),
        "{err}"
    );
    assert!(
        err.contains("跳转表：关停网站 13 个，写入跳转 5 条，7 条无法跳转"),
        "{err}"
    );
    let ws = workspace(d);
    assert_eq!(
        std::fs::read_to_string(&out).expect("written"),
        exported(&ws, RedirectFormat::Nginx, Lang::Zh)
    );

    // The format from the extension; standard output with --format.
    let txt = d.join("map.txt");
    let (code, _, _) = run(&[
        "redirects",
        &inv,
        "--plan",
        &plan,
        "--out",
        &txt.display().to_string(),
    ]);
    assert_eq!(code, 1);
    assert!(
        std::fs::read_to_string(&txt)
            .expect("apache")
            .contains("RewriteMap")
    );
    let (code, stdout, _) = run(&[
        "redirects",
        &inv,
        "--plan",
        &plan,
        "--format",
        "csv",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("\u{FEFF}site_id,name"), "{stdout}");

    // Nothing closes: exit 0.
    let (code, stdout, err) = run(&["redirects", &inv, "--format", "nginx", "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        stdout.contains("0 closing sites, 0 redirects written"),
        "{stdout}"
    );
}

#[test]
fn bad_patterns_and_formats_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (inv, plan) = files(d);
    let out = d.join("r.csv");
    let o = out.display().to_string();
    let exe = env!("CARGO_BIN_EXE_sitefold");
    for (lang, says) in [
        (
            "zh",
            "--pattern: 跳转地址模式（第 1 行第 14 个字符）中的占位符 {column} 不存在。可用的占位符：{target_url} 或 {承接网站网址}",
        ),
        (
            "en",
            "--pattern: the redirect pattern (line 1, character 14) has an unknown placeholder {column}. The placeholders are: {target_url} (the receiving site's address",
        ),
    ] {
        let r = Command::new(exe)
            .args([
                "redirects",
                &inv,
                "--plan",
                &plan,
                "--pattern",
                "{target_url}/{column}",
                "--out",
                &o,
                "--lang",
                lang,
            ])
            .output()
            .expect("runs");
        assert_eq!(r.status.code(), Some(2));
        let err = String::from_utf8_lossy(&r.stderr);
        assert!(err.contains(says), "{err}");
        assert!(!out.exists(), "nothing written");
    }
    for (args, says) in [
        (
            vec!["--pattern", "www.x.gov.cn/{site_id}"],
            "start it with http://",
        ),
        (
            vec!["--format", "nginx", "--out", &o],
            "does not match the extension",
        ),
        (vec!["--out", "r.map"], "give --format csv, nginx or apache"),
        (vec![], "say which format with --format"),
        (vec!["--format", "iis"], "unknown format 'iis'"),
        (
            vec!["--format", "csv", "--out", &inv],
            "the same file as the inventory",
        ),
    ] {
        let mut all = vec![
            "redirects",
            inv.as_str(),
            "--plan",
            plan.as_str(),
            "--lang",
            "en",
        ];
        all.extend(args.iter().copied());
        let (code, _, err) = run(&all);
        assert_eq!(code, 2, "{all:?}: {err}");
        assert!(err.contains(says), "{all:?}: {err}");
    }
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_to_string(&inv).expect("inv"),
        INV,
        "the input is untouched"
    );
}

/// A free port on the loopback interface.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The status and `Location` of `GET path` sent to `port` for `host`;
/// `None` while the server is not listening yet.
fn ask(port: u16, host: &str, path: &str) -> Option<(u16, String)> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut reply = String::new();
    s.read_to_string(&mut reply).ok()?;
    let status = reply.split_whitespace().nth(1)?.parse().ok()?;
    let location = reply
        .lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .unwrap_or_default()
        .to_string();
    Some((status, location))
}

/// A server process, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for(port: u16) {
    let start = Instant::now();
    while ask(port, "probe.invalid", "/").is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the server starts"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/sbin".into()])
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// The requests the servers are asked, and what they answer.
const ASKED: &[(&str, &str, u16, &str)] = &[
    (
        "www.zhen1.gov.cn",
        "/any/page.html?x=1",
        301,
        "http://www.shi.gov.cn/a;b$c",
    ),
    ("WWW.ZHEN3.GOV.CN", "/", 301, "http://www.shi.gov.cn/a;b$c"),
    (
        "www.xian.gov.cn",
        "/JYJ/news/1.html",
        301,
        "http://www.sheng.gov.cn/a;b$c",
    ),
    (
        "www.xian.gov.cn",
        "/jyjx",
        301,
        "http://www.shi.gov.cn/a;b$c",
    ),
    ("www.xian.gov.cn", "/", 301, "http://www.shi.gov.cn/a;b$c"),
    ("www.dup.gov.cn", "/", 200, ""),
    ("www.shi.gov.cn", "/", 200, ""),
    ("www.sheng.gov.cn", "/", 200, ""),
];

#[test]
fn nginx_loads_the_map_and_redirects_as_documented() {
    let Some(nginx) = which("nginx") else {
        eprintln!("nginx is not installed: the nginx file was not loaded into a server");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut ws = workspace(d);
    ws.execution.redirect_pattern = "{target_url}/a;b$c".into();
    let map = d.join("sitefold-redirects.conf");
    write_export(
        FileExport::Redirects {
            format: RedirectFormat::Nginx,
        },
        &ws,
        Lang::Zh,
        &map,
        &|_| true,
    )
    .expect("export");
    // Many hosts with long Chinese names: the hash sizes the file sets.
    let mut big = String::from(
        "site_id,name,url,level,kind,parent_id\nP,省,www.sheng.gov.cn,province,portal,\n",
    );
    let mut plan = String::from("site_id,decision\n");
    for k in 0..3000 {
        big.push_str(&format!(
            "S{k},镇{k},http://某某省某某市某某县第{k}号乡镇人民政府.政务,township,portal,P\n"
        ));
        plan.push_str(&format!("S{k},merge\n"));
    }
    let big_ws = Workspace::load(&sitefold::workspace::Inputs {
        inventory: write(d, "big.csv", &big).into(),
        plan: Some(write(d, "big-plan.csv", &plan).into()),
        ..Default::default()
    })
    .expect("loads");
    let big_map = d.join("big.conf");
    write_export(
        FileExport::Redirects {
            format: RedirectFormat::Nginx,
        },
        &big_ws,
        Lang::En,
        &big_map,
        &|_| true,
    )
    .expect("export");
    let tmp = d.join("tmp");
    std::fs::create_dir_all(&tmp).expect("tmp");
    let port = free_port();
    let conf = d.join("nginx.conf");
    let t = tmp.display();
    std::fs::write(
        &conf,
        format!(
            "daemon off;\nmaster_process off;\nworker_processes 1;\npid {p}/nginx.pid;\nerror_log {p}/error.log;\nevents {{ worker_connections 16; }}\nhttp {{\n    access_log off;\n    client_body_temp_path {t}; proxy_temp_path {t}; fastcgi_temp_path {t}; uwsgi_temp_path {t}; scgi_temp_path {t};\n    include {map};\n    server {{\n        listen 127.0.0.1:{port};\n        server_name _;\n        if ($sitefold_redirect) {{\n            return 301 $sitefold_redirect;\n        }}\n        return 200 \"kept\\n\";\n    }}\n}}\n",
            p = d.display(),
            map = map.display(),
        ),
    )
    .expect("conf");
    let big_conf = d.join("big-nginx.conf");
    let text = std::fs::read_to_string(&conf).expect("conf");
    std::fs::write(
        &big_conf,
        text.replace(&map.display().to_string(), &big_map.display().to_string()),
    )
    .expect("conf");
    for c in [&conf, &big_conf] {
        let t = Command::new(&nginx)
            .args([
                "-t",
                "-p",
                &d.display().to_string(),
                "-e",
                &d.join("e.log").display().to_string(),
                "-c",
            ])
            .arg(c)
            .output()
            .expect("nginx -t runs");
        let said = String::from_utf8_lossy(&t.stderr);
        assert!(t.status.success(), "{said}");
        assert!(
            !said.contains("[warn]") && !said.contains("[emerg]"),
            "{said}"
        );
    }
    let _server = Server(
        Command::new(&nginx)
            .args([
                "-p",
                &d.display().to_string(),
                "-e",
                &d.join("e.log").display().to_string(),
                "-c",
            ])
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx starts"),
    );
    wait_for(port);
    let mut asked = ASKED.to_vec();
    // A path with a space, a `;`, a `$` and a quote, sent encoded.
    asked.push((
        "www.esc.gov.cn",
        "/a%20b%24d%22e/x",
        301,
        "http://www.shi.gov.cn/a;b$c",
    ));
    for (host, path, status, location) in asked {
        assert_eq!(
            ask(port, host, path),
            Some((status, location.to_string())),
            "{host}{path}"
        );
    }
}

#[test]
fn apache_loads_the_map_with_the_rules_its_header_gives() {
    let modules = Path::new("/usr/lib/apache2/modules");
    let (Some(apache), true) = (which("apache2"), modules.join("mod_rewrite.so").is_file()) else {
        eprintln!("Apache is not installed: the RewriteMap file was not loaded into a server");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut ws = workspace(d);
    ws.execution.redirect_pattern = "{target_url}/a;b$c".into();
    let map = d.join("sitefold-redirects.txt");
    write_export(
        FileExport::Redirects {
            format: RedirectFormat::Apache,
        },
        &ws,
        Lang::En,
        &map,
        &|_| true,
    )
    .expect("export");
    let text = std::fs::read_to_string(&map).expect("map");
    // The rules exactly as the header gives them, the map where it is.
    let rules: String = text
        .lines()
        .filter_map(|l| l.strip_prefix("#   "))
        .filter(|l| l.starts_with("Rewrite"))
        .map(|l| {
            l.replace(
                "/etc/apache2/sitefold-redirects.txt",
                &map.display().to_string(),
            ) + "\n"
        })
        .collect();
    assert!(rules.contains("RewriteEngine On"), "{rules}");
    let port = free_port();
    let conf = d.join("httpd.conf");
    let m = modules.display();
    std::fs::write(
        &conf,
        format!(
            "ServerRoot {p}\nPidFile {p}/httpd.pid\nErrorLog {p}/error.log\nMutex file:{p} default\nListen 127.0.0.1:{port}\nLoadModule mpm_event_module {m}/mod_mpm_event.so\nLoadModule authz_core_module {m}/mod_authz_core.so\nLoadModule rewrite_module {m}/mod_rewrite.so\nServerName localhost\nDocumentRoot {p}\n<VirtualHost *:{port}>\n{rules}</VirtualHost>\n",
            p = d.display(),
        ),
    )
    .expect("conf");
    let t = Command::new(&apache)
        .arg("-t")
        .arg("-f")
        .arg(&conf)
        .output()
        .expect("apache2 -t runs");
    assert!(t.status.success(), "{}", String::from_utf8_lossy(&t.stderr));
    let _server = Server(
        Command::new(&apache)
            .arg("-X")
            .arg("-f")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("apache starts"),
    );
    wait_for(port);
    for &(host, path, status, location) in ASKED {
        // Apache answers 404 where nginx's test server says "kept".
        let want = if status == 200 { 404 } else { status };
        assert_eq!(
            ask(port, host, path),
            Some((want, location.to_string())),
            "{host}{path}"
        );
    }
}

#[test]
fn the_plan_workbook_has_a_redirects_sheet() {
    use calamine::{Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = workspace(dir.path());
    let path = dir.path().join("plan.xlsx");
    write_export(FileExport::PlanXlsx, &ws, Lang::Zh, &path, &|_| true).expect("workbook");
    let mut wb: Xlsx<_> = open_workbook(&path).expect("opens");
    let names = wb.sheet_names();
    assert!(
        names.ends_with(&["跳转".to_string(), "公告".to_string()]),
        "{names:?}"
    );
    let sheet = wb.worksheet_range("跳转").expect("sheet");
    assert_eq!(sheet.height(), 1 + 13);
    let cell = |r: u32, c: u32| {
        sheet
            .get_value((r, c))
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    assert_eq!(cell(0, 5), "新网址");
    let t1 = (1..14).find(|&r| cell(r, 0) == "T1").expect("T1");
    assert_eq!(cell(t1, 5), "http://www.shi.gov.cn");
    // Nothing closes: no such sheets.
    let inv = import_bytes(INV.as_bytes(), "inv.csv", &ImportOptions::default()).expect("import");
    let path = dir.path().join("kept.xlsx");
    write_export(
        FileExport::PlanXlsx,
        &Workspace::new(inv),
        Lang::En,
        &path,
        &|_| true,
    )
    .expect("workbook");
    let wb: Xlsx<_> = open_workbook(&path).expect("opens");
    assert!(!wb.sheet_names().contains(&"Redirects".to_string()));
}
