//! The app and the command line write the same files for the same inputs:
//! both call one export operation, so a plan CSV, a chart and a workbook
//! written by the app's export job and by `sitefold plan`/`chart` are the
//! same bytes.

mod common;

use std::io::Read;
use std::path::Path;

use sitefold::charts::ChartKind;
use sitefold::i18n::Lang;
use sitefold::inventory::ImportOptions;
use sitefold::ui::jobs::{ExportKind, ExportOutcome, export};
use sitefold::workspace::{Inputs, Workspace};

/// The bundled sample with the State Council rules, as both front ends
/// load it.
fn inputs(dir: &Path) -> (Inputs, [String; 2]) {
    let inv = dir.join("清单.csv");
    std::fs::write(&inv, sitefold::sample::SAMPLE_CSV).expect("write");
    let rules = dir.join("规则.toml");
    std::fs::write(
        &rules,
        include_str!("../sample-data/rules-state-council.toml"),
    )
    .expect("write");
    let args = [inv.display().to_string(), rules.display().to_string()];
    let inputs = Inputs {
        inventory: inv,
        plan: None,
        rules: Some(rules),
        params: None,
        import: ImportOptions::default(),
        map: None,
        rounds: Vec::new(),
    };
    (inputs, args)
}

fn app_writes(ws: &Workspace, kind: ExportKind, path: &Path) -> Vec<u8> {
    assert_eq!(
        export(kind, ws, Lang::Zh, path, &|_| true),
        ExportOutcome::Written
    );
    std::fs::read(path).expect("read")
}

fn cli_writes(args: &[&str], path: &Path) -> Vec<u8> {
    let (code, _, err) = common::run_cli(args);
    assert_eq!(code, 0, "{err}");
    std::fs::read(path).expect("read")
}

/// A workbook's parts by name; the document properties' creation time is
/// the moment of writing, so it is left out of the comparison.
fn workbook_parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("part");
        let name = f.name().expect("a part name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        if name == "docProps/core.xml" {
            let text = String::from_utf8_lossy(&data).to_string();
            let cut = |t: &str, tag: &str| -> String {
                match (t.find(&format!("<{tag}")), t.find(&format!("</{tag}>"))) {
                    (Some(a), Some(b)) => format!("{}{}", &t[..a], &t[b + tag.len() + 3..]),
                    _ => t.to_string(),
                }
            };
            data = cut(&cut(&text, "dcterms:created"), "dcterms:modified").into_bytes();
        }
        parts.push((name, data));
    }
    parts
}

#[test]
fn the_app_and_the_command_line_write_the_same_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (inputs, [inv, rules]) = inputs(dir.path());
    let ws = Workspace::load(&inputs).expect("loads");
    let out = |name: &str| dir.path().join(name);
    let s = |p: &Path| p.display().to_string();

    // The plan as CSV.
    let app = app_writes(&ws, ExportKind::PlanCsv, &out("app.csv"));
    let cli = cli_writes(
        &[
            "plan",
            &inv,
            "--rules",
            &rules,
            "--lang",
            "zh",
            "--out",
            &s(&out("cli.csv")),
        ],
        &out("cli.csv"),
    );
    assert!(app.starts_with(b"\xEF\xBB\xBF"), "Excel-friendly CSV");
    assert_eq!(app, cli, "plan CSV");

    // Each chart, PNG and SVG.
    for kind in ChartKind::ALL {
        for (svg, ext) in [(false, "png"), (true, "svg")] {
            let (a, c) = (out(&format!("app.{ext}")), out(&format!("cli.{ext}")));
            let app = app_writes(&ws, ExportKind::Chart { kind, svg }, &a);
            let cli = cli_writes(
                &[
                    "chart",
                    &inv,
                    "--rules",
                    &rules,
                    "--lang",
                    "zh",
                    "--kind",
                    kind.key(),
                    "--out",
                    &s(&c),
                ],
                &c,
            );
            assert_eq!(app, cli, "{} as {ext}", kind.key());
        }
    }

    // The workbook: the same parts, the same bytes in each.
    let app = app_writes(&ws, ExportKind::PlanXlsx, &out("app.xlsx"));
    let cli = cli_writes(
        &[
            "plan",
            &inv,
            "--rules",
            &rules,
            "--lang",
            "zh",
            "--out",
            &s(&out("cli.xlsx")),
        ],
        &out("cli.xlsx"),
    );
    let (app, cli) = (workbook_parts(&app), workbook_parts(&cli));
    assert!(app.len() > 5, "a workbook of several parts");
    assert_eq!(app.len(), cli.len());
    for ((name_a, a), (name_c, c)) in app.iter().zip(&cli) {
        assert_eq!(name_a, name_c);
        assert!(a == c, "workbook part {name_a} differs");
    }
}
