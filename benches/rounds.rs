//! Inspection rounds (issue 16: adding a round of 100,000 lines under
//! 300 ms): `cargo bench --bench rounds`. A round file of one line per
//! site of a generated inventory, read from CSV, matched to the sites and
//! applied (every site's latest result and record worked out again).

use std::time::Instant;

use sitefold::i18n::Lang;
use sitefold::inventory::{ImportOptions, TableOptions, import_bytes, read_table, write_csv};
use sitefold::workspace::Workspace;

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let sites = sitefold::generate::generate(n, 1);
    let mut csv = Vec::new();
    if write_csv(&sites, &mut csv, Lang::Zh).is_err() {
        eprintln!("cannot write the inventory");
        return;
    }
    let Ok(imported) = import_bytes(&csv, "bench.csv", &ImportOptions::default()) else {
        eprintln!("cannot read the inventory");
        return;
    };
    let mut ws = Workspace::new(imported);
    let dir = std::env::temp_dir().join(format!("sitefold-rounds-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let mut files = Vec::new();
    for (k, q) in ["2027Q1", "2027Q2"].iter().enumerate() {
        let mut text = String::from("site_id,round,inspection_score,信息更新\n");
        for (i, s) in ws.imported.inventory.sites().iter().enumerate() {
            let score = (i * 37 + k * 11) % 100;
            text.push_str(&format!("{},{q},{score},{}\n", s.id, i % 3));
        }
        let path = dir.join(format!("{q}.csv"));
        if std::fs::write(&path, text).is_err() {
            eprintln!("cannot write the round file");
            return;
        }
        files.push(path);
    }
    println!(
        "{} sites, a round of {} lines each",
        ws.imported.inventory.len(),
        ws.imported.inventory.len()
    );
    for path in &files {
        let t = Instant::now();
        let Ok(table) = read_table(path, &TableOptions::default()) else {
            eprintln!("cannot read the round file");
            return;
        };
        let read = t.elapsed();
        let Ok(file) = sitefold::rounds::parse_round_table(&table, &ws.imported.inventory) else {
            eprintln!("not a round file");
            return;
        };
        let parsed = t.elapsed();
        ws.add_rounds(file.rounds);
        let total = t.elapsed();
        println!(
            "add round {}: read {:.0} ms, matched {:.0} ms, applied {:.0} ms, total {:.0} ms ({} lines not used)",
            path.display(),
            read.as_secs_f64() * 1e3,
            (parsed - read).as_secs_f64() * 1e3,
            (total - parsed).as_secs_f64() * 1e3,
            total.as_secs_f64() * 1e3,
            file.rejected
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
