//! Assembling several inventory files into one (issue #16): `cargo bench
//! --bench assemble [N]` (N sites in all, 100,000 by default, in 16 files).
//! Numbers go in BENCHMARKS.md.
//!
//! A plain timing harness (best of several runs); each figure is the wall
//! time of one call, files read from disk (the page cache: they were just
//! written), several at a time.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sitefold::i18n::Lang;
use sitefold::inventory::{
    Gathered, ImportOptions, Keep, Site, assemble_paths, inventory_workbook, read_files, write_csv,
};

/// The files a province gets back.
const FILES: usize = 16;

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        last = Some(v);
    }
    match last {
        Some(v) => (best, v),
        None => unreachable!("runs > 0"),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// How a file is written.
#[derive(Clone, Copy)]
enum Form {
    Utf8Chinese,
    Utf8English,
    Gbk,
    Xlsx,
}

fn write_file(dir: &Path, k: usize, sites: &[Site], form: Form) -> Option<PathBuf> {
    let csv = |lang| {
        let mut out = Vec::new();
        write_csv(sites, &mut out, lang).ok()?;
        Some(out)
    };
    let (ext, bytes) = match form {
        Form::Utf8Chinese => ("csv", csv(Lang::Zh)?),
        Form::Utf8English => ("csv", csv(Lang::En)?),
        Form::Gbk => {
            let utf8 = csv(Lang::Zh)?;
            let text = std::str::from_utf8(&utf8[3..]).ok()?;
            ("csv", encoding_rs::GBK.encode(text).0.into_owned())
        }
        Form::Xlsx => ("xlsx", inventory_workbook(sites, Lang::Zh).ok()?),
    };
    let path = dir.join(format!("part-{k:02}.{ext}"));
    std::fs::write(&path, bytes).ok()?;
    Some(path)
}

/// A case: what it is, the sites each file repeats of the one before,
/// and the form of file `k`.
type Case = (&'static str, usize, fn(usize) -> Form);

/// `sites` cut into [`FILES`] stretches, each written in the form
/// `form(k)` gives; the last `overlap` sites of each file are written
/// again at the start of the next (conflicts).
fn split(
    dir: &Path,
    sites: &[Site],
    overlap: usize,
    form: impl Fn(usize) -> Form,
) -> Option<Vec<PathBuf>> {
    let per = sites.len().div_ceil(FILES);
    let mut paths = Vec::new();
    for k in 0..FILES {
        let start = (k * per).saturating_sub(if k > 0 { overlap } else { 0 });
        let end = ((k + 1) * per).min(sites.len());
        paths.push(write_file(dir, k, &sites[start..end], form(k))?);
    }
    Some(paths)
}

fn report(what: &str, paths: &[PathBuf], keep: Keep) {
    let opts = ImportOptions::default();
    let (t, a) = best_of(5, || assemble_paths(paths, &opts, None, keep));
    let Ok(a) = a else {
        eprintln!("{what}: the files do not assemble");
        return;
    };
    let (read, files) = best_of(5, || read_files(paths, &opts, None));
    let Ok(files) = files else {
        return;
    };
    // The files' sites linked together, conflicts found and resolved,
    // the reports made: without reading, copying the files or freeing.
    let mut join = Duration::MAX;
    for _ in 0..5 {
        let files = files.clone();
        let t = Instant::now();
        let done = Gathered::new(files).map(|g| g.finish_with(keep));
        join = join.min(t.elapsed());
        drop(done);
    }
    println!(
        "{what:<52} {:>7.1} ms  (reading {:>6.1} ms, assembling {:>5.1} ms; {} sites, {} conflicts, {} warnings)",
        ms(t),
        ms(read),
        ms(join),
        a.imported.inventory.len(),
        a.conflicts.len(),
        a.imported.report.warnings()
    );
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let sites = sitefold::generate::generate(n, 1);
    let Ok(dir) = tempfile::tempdir() else {
        eprintln!("no temporary folder");
        return;
    };
    println!("{} sites in {FILES} files", sites.len());
    let cases: [Case; 4] = [
        ("16 CSV files, UTF-8, Chinese headers", 0, |_| {
            Form::Utf8Chinese
        }),
        (
            "16 CSV files: UTF-8 zh / UTF-8 en / GBK, by turns",
            0,
            |k| [Form::Utf8Chinese, Form::Utf8English, Form::Gbk][k % 3],
        ),
        ("12 CSV files (as above) and 4 workbooks", 0, |k| {
            [Form::Utf8Chinese, Form::Utf8English, Form::Gbk, Form::Xlsx][k % 4]
        }),
        (
            "16 CSV files, 500 sites of each in the next too",
            500,
            |k| [Form::Utf8Chinese, Form::Utf8English, Form::Gbk][k % 3],
        ),
    ];
    for (k, (what, overlap, form)) in cases.into_iter().enumerate() {
        let sub = dir.path().join(format!("case-{k}"));
        if std::fs::create_dir_all(&sub).is_err() {
            return;
        }
        let Some(paths) = split(&sub, &sites, overlap, form) else {
            eprintln!("cannot write the files");
            return;
        };
        let keep = if overlap > 0 { Keep::Last } else { Keep::First };
        report(what, &paths, keep);
    }
    // The command line end to end, the inventory written back as CSV.
    let sub = dir.path().join("case-0");
    let mut args: Vec<String> = vec!["sitefold".into(), "assemble".into()];
    for k in 0..FILES {
        args.push(sub.join(format!("part-{k:02}.csv")).display().to_string());
    }
    let out = dir.path().join("all.csv").display().to_string();
    args.extend(["--out".into(), out, "--lang".into(), "en".into()]);
    let (t, code) = best_of(3, || {
        let mut sink = Vec::new();
        let mut err = Vec::new();
        sitefold::cli::run_with(args.clone(), &mut sink, &mut err)
    });
    println!(
        "{:<52} {:>7.1} ms  ({code:?})",
        "sitefold assemble (16 UTF-8 files) --out all.csv",
        ms(t)
    );
}
