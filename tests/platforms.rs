//! Sitefold builds on Windows, macOS and Linux, but CI runs on Linux only,
//! where nothing shows a crate missing for another platform. These checks
//! guard what can be checked here:
//!
//! - for each target planners use, `cargo tree` lists every crate the code
//!   uses (a crate put by mistake under a `[target.…]` table fails here);
//! - crates declared for one platform only are used only in
//!   `src/platform.rs`;
//! - every function compiled for some platforms only has a counterpart for
//!   the others (so the code compiles everywhere).
//!
//! What is not checked here: that the code type-checks and links on the
//! other targets (their standard libraries and linkers are not installed
//! on CI); see the README's platform section.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The targets planners run Sitefold on.
const TARGETS: &[&str] = &[
    "x86_64-pc-windows-msvc",
    "aarch64-apple-darwin",
    "x86_64-apple-darwin",
    "aarch64-unknown-linux-gnu",
    "x86_64-unknown-linux-gnu",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The crate name as code names it (`rust_xlsxwriter` for `rust_xlsxwriter`,
/// `sys_locale` for `sys-locale`).
fn code_name(dep: &str) -> String {
    dep.replace('-', "_")
}

/// The manifest's normal dependencies: those for every platform, and
/// those of each `[target.…]` table.
struct Declared {
    everywhere: BTreeSet<String>,
    per_platform: BTreeMap<String, BTreeSet<String>>,
}

fn declared() -> Declared {
    let text = std::fs::read_to_string(root().join("Cargo.toml")).expect("read Cargo.toml");
    let manifest: toml::Table = text.parse().expect("Cargo.toml is TOML");
    let names = |t: Option<&toml::Value>| -> BTreeSet<String> {
        t.and_then(|v| v.as_table())
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default()
    };
    let everywhere = names(manifest.get("dependencies"));
    let mut per_platform = BTreeMap::new();
    if let Some(targets) = manifest.get("target").and_then(|t| t.as_table()) {
        for (cfg, table) in targets {
            let deps = names(table.get("dependencies"));
            if !deps.is_empty() {
                per_platform.insert(cfg.clone(), deps);
            }
        }
    }
    Declared {
        everywhere,
        per_platform,
    }
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read src") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// True when `text` names `krate` as a path root (`krate::…`), not as
/// part of a longer name.
fn mentions(text: &str, krate: &str) -> bool {
    let pat = format!("{krate}::");
    text.match_indices(&pat).any(|(i, _)| {
        text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'))
    })
}

/// The crates of `names` that the files under `src/` use, with the files.
fn used_in_src(names: &BTreeSet<String>) -> BTreeMap<String, Vec<String>> {
    let mut used: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in rust_files(&root().join("src")) {
        let text = std::fs::read_to_string(&file).expect("read source");
        let rel = file
            .strip_prefix(root())
            .unwrap_or(&file)
            .display()
            .to_string();
        for dep in names {
            if mentions(&text, &code_name(dep)) {
                used.entry(dep.clone()).or_default().push(rel.clone());
            }
        }
    }
    used
}

/// The direct normal dependencies `cargo tree` resolves for `target`.
fn resolved_for(target: &str) -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "tree",
            "--locked",
            "--target",
            target,
            "-e",
            "normal",
            "--depth",
            "1",
            "--prefix",
            "none",
            "--manifest-path",
        ])
        .arg(root().join("Cargo.toml"))
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "cargo tree --target {target} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(1) // sitefold itself
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_target_gets_every_crate_the_code_uses() {
    let declared = declared();
    let used = used_in_src(&declared.everywhere);
    // The GUI and export stack must be among them, or this check is idle.
    for must in [
        "eframe",
        "egui",
        "rfd",
        "plotters",
        "rust_xlsxwriter",
        "calamine",
    ] {
        assert!(
            used.contains_key(must),
            "{must} is used in src/ and declared for every platform"
        );
    }
    for target in TARGETS {
        let resolved = resolved_for(target);
        let missing: Vec<&String> = used.keys().filter(|d| !resolved.contains(*d)).collect();
        assert!(
            missing.is_empty(),
            "for {target}, cargo tree lacks crates the code uses: {missing:?}"
        );
    }
}

#[test]
fn platform_crates_are_used_only_in_the_platform_module() {
    let declared = declared();
    assert!(
        !declared.per_platform.is_empty(),
        "the manifest has platform tables (libc, windows-sys)"
    );
    for (cfg, deps) in &declared.per_platform {
        for dep in deps {
            assert!(
                !declared.everywhere.contains(dep),
                "{dep} is declared both for every platform and for {cfg}"
            );
        }
        for (dep, files) in used_in_src(deps) {
            assert!(
                files.iter().all(|f| f.ends_with("platform.rs")),
                "{dep} (only for {cfg}) is used outside src/platform.rs: {files:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------
// `#[cfg]` counterparts

/// A platform, as `cfg` sees it.
struct Platform {
    name: &'static str,
    os: &'static str,
    family: &'static str,
}

const PLATFORMS: &[Platform] = &[
    Platform {
        name: "Windows",
        os: "windows",
        family: "windows",
    },
    Platform {
        name: "macOS",
        os: "macos",
        family: "unix",
    },
    Platform {
        name: "Linux",
        os: "linux",
        family: "unix",
    },
];

/// Evaluates a `cfg` predicate for a platform. Anything that is not about
/// the platform (`test`, `feature = …`) counts as true.
fn eval(pred: &str, p: &Platform) -> bool {
    let pred = pred.trim();
    for (head, combine) in [("all(", 0), ("any(", 1), ("not(", 2)] {
        if let Some(inner) = pred.strip_prefix(head).and_then(|r| r.strip_suffix(')')) {
            let parts = split_top(inner);
            return match combine {
                0 => parts.iter().all(|q| eval(q, p)),
                1 => parts.iter().any(|q| eval(q, p)),
                _ => !eval(inner, p),
            };
        }
    }
    if let Some((key, value)) = pred.split_once('=') {
        let value = value.trim().trim_matches('"');
        return match key.trim() {
            "target_os" => value == p.os,
            "target_family" => value == p.family,
            _ => true,
        };
    }
    match pred {
        "windows" => p.family == "windows",
        "unix" => p.family == "unix",
        _ => true,
    }
}

/// Splits `a, b(c, d), e` at its top-level commas.
fn split_top(s: &str) -> Vec<String> {
    let (mut parts, mut depth, mut cur) = (Vec::new(), 0, String::new());
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        parts.push(cur);
    }
    parts
}

fn is_platform_cfg(pred: &str) -> bool {
    ["target_os", "target_family", "windows", "unix"]
        .iter()
        .any(|w| pred.contains(w))
}

/// The function named on the first item line after line `i`, skipping
/// other attributes and doc comments.
fn item_after(lines: &[&str], i: usize) -> Option<String> {
    for l in &lines[i + 1..] {
        let t = l.trim();
        if t.starts_with("#[") || t.starts_with("///") || t.starts_with("//") {
            continue;
        }
        let rest = t.strip_prefix("pub ").unwrap_or(t);
        let rest = rest.strip_prefix("pub(crate) ").unwrap_or(rest);
        let rest = rest.strip_prefix("unsafe ").unwrap_or(rest);
        return rest.strip_prefix("fn ").map(|r| {
            r.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        });
    }
    None
}

#[test]
fn every_platform_specific_function_has_its_counterparts() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for file in rust_files(&root().join("src")) {
        let text = std::fs::read_to_string(&file).expect("read source");
        let lines: Vec<&str> = text.lines().collect();
        let mut variants: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim();
            let Some(pred) = t.strip_prefix("#[cfg(").and_then(|r| r.strip_suffix(")]")) else {
                continue;
            };
            if !is_platform_cfg(pred) {
                continue;
            }
            match item_after(&lines, i) {
                Some(name) => variants.entry(name).or_default().push(pred.to_string()),
                None => problems.push(format!(
                    "{}:{}: a platform #[cfg] on something other than a function; \
                     put platform code in functions with counterparts (src/platform.rs)",
                    file.display(),
                    i + 1
                )),
            }
        }
        for (name, preds) in variants {
            checked += 1;
            for p in PLATFORMS {
                let n = preds.iter().filter(|q| eval(q, p)).count();
                if n != 1 {
                    problems.push(format!(
                        "{}: fn {name} has {n} variants for {} ({preds:?})",
                        file.display(),
                        p.name
                    ));
                }
            }
        }
    }
    assert!(checked > 0, "src/platform.rs has platform functions");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_cfg_evaluator_reads_what_the_code_writes() {
    let [win, mac, linux] = [&PLATFORMS[0], &PLATFORMS[1], &PLATFORMS[2]];
    assert!(eval("windows", win) && !eval("windows", mac));
    assert!(eval(r#"target_os = "linux""#, linux) && !eval(r#"target_os = "linux""#, mac));
    let neither = r#"not(any(target_os = "linux", windows))"#;
    assert!(eval(neither, mac) && !eval(neither, linux) && !eval(neither, win));
    assert!(eval(r#"all(unix, not(target_os = "macos"))"#, linux));
    assert!(!eval(r#"all(unix, not(target_os = "macos"))"#, mac));
}
