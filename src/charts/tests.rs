use super::*;
use crate::inventory::{Level, Site};
use crate::money::{MAX_AMOUNT, MAX_PLACES, Money};
use crate::outcome::evaluate;
use crate::plan::Params;

/// What a chart needs, owned.
struct Fixture {
    inv: Inventory,
    model: Model,
    outcome: Outcome,
    decisions: Vec<Decision>,
}

impl Fixture {
    fn data(&self) -> ChartData<'_> {
        ChartData {
            inventory: &self.inv,
            model: &self.model,
            outcome: &self.outcome,
            decisions: &self.decisions,
            flow: None,
            pass_rates: None,
        }
    }
}

fn site(
    id: &str,
    name: &str,
    level: Level,
    parent: &str,
    budget: Money,
    population: u64,
    score: Option<f64>,
) -> Site {
    let mut s = Site::new(id, level);
    s.name = name.to_string().into();
    s.parent_id = parent.to_string().into();
    s.budget = budget;
    s.population = population;
    s.inspection_score = score;
    s.online_services = 3;
    s
}

/// Whole yuan.
fn yuan(v: i64) -> Money {
    Money::yuan(v)
}

fn build(sites: Vec<Site>, merge: &[&str], params: Params) -> Fixture {
    let (inv, _) = Inventory::link(sites);
    let model = Model::new(&inv, &params);
    let mut decisions = vec![Decision::Keep; inv.len()];
    for id in merge {
        decisions[inv.find(id).expect("known id")] = Decision::Merge { target: None };
    }
    let outcome = evaluate(&inv, &model, &decisions);
    Fixture {
        inv,
        model,
        outcome,
        decisions,
    }
}

/// A province with two prefectures and five counties; three counties merge.
fn sample() -> Fixture {
    use Level::*;
    let sites = vec![
        site(
            "P",
            "某某省人民政府门户网站",
            Province,
            "",
            yuan(8_000_000),
            50_000_000,
            Some(92.0),
        ),
        site(
            "C1",
            "甲市人民政府",
            Prefecture,
            "P",
            yuan(2_500_000),
            6_000_000,
            Some(81.0),
        ),
        site(
            "C2",
            "乙市人民政府",
            Prefecture,
            "P",
            yuan(1_800_000),
            4_000_000,
            Some(55.0),
        ),
        site(
            "X1",
            "甲市东城区人民政府网站",
            County,
            "C1",
            yuan(300_000),
            800_000,
            Some(48.0),
        ),
        site(
            "X2",
            "甲市西城区",
            County,
            "C1",
            yuan(0),
            700_000,
            Some(66.0),
        ),
        site(
            "X3",
            "乙市北县",
            County,
            "C2",
            yuan(120_000),
            500_000,
            Some(35.5),
        ),
        site("X4", "乙市南县", County, "C2", yuan(450_000), 400_000, None),
        site(
            "X5",
            "乙市中县",
            County,
            "C2",
            yuan(90_000),
            300_000,
            Some(72.0),
        ),
        site(
            "D1",
            "甲市教育局",
            Prefecture,
            "C1",
            yuan(60_000),
            0,
            Some(40.0),
        ),
    ];
    let params = Params {
        max_absorbed_per_target: Some(1),
        ..Params::default()
    };
    build(sites, &["X1", "X3", "X5", "D1"], params)
}

fn empty() -> Fixture {
    build(Vec::new(), &[], Params::default())
}

const W: u32 = 360;
const H: u32 = 216;

/// Pixels that differ from the white background in rows `y0..y1`.
fn ink(buf: &[u8], w: u32, y0: u32, y1: u32) -> usize {
    let row = w as usize * 3;
    buf[y0 as usize * row..y1 as usize * row]
        .chunks_exact(3)
        .filter(|p| p != &[255, 255, 255])
        .count()
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |o: usize| u32::from_be_bytes(bytes[o..o + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn keys_round_trip() {
    for k in ChartKind::ALL {
        assert_eq!(ChartKind::from_key(k.key()), Some(k));
        assert_eq!(
            ChartKind::from_key(&format!(" {} ", k.key().to_uppercase())),
            Some(k)
        );
        assert_ne!(k.title(Lang::Zh), k.title(Lang::En));
    }
    assert_eq!(ChartKind::from_key("pie"), None);
}

#[test]
fn chinese_title_is_rasterised_from_the_cff_font() {
    let f = sample();
    for lang in [Lang::Zh, Lang::En] {
        let (buf, _) = render_rgb(ChartKind::CostByLevel, &f.data(), lang, 600, 360).unwrap();
        assert_eq!(buf.len(), 600 * 360 * 3);
        // The title line: 10 px padding, 16 px em.
        let title = ink(&buf, 600, 8, 30);
        assert!(title > 200, "{lang:?}: only {title} title pixels");
    }
}

#[test]
fn every_chart_renders_to_png_and_svg() {
    let f = sample();
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("blank.png");
    {
        let root = BitMapBackend::new(&blank, (W, H)).into_drawing_area();
        root.fill(&WHITE).unwrap();
        root.present().unwrap();
    }
    let blank_len = std::fs::metadata(&blank).unwrap().len();
    for kind in ChartKind::ALL {
        for lang in [Lang::Zh, Lang::En] {
            let (buf, layout) = render_rgb(kind, &f.data(), lang, W, H).unwrap();
            assert_eq!(buf.len(), (W * H * 3) as usize);
            assert!(ink(&buf, W, 0, H) > 2000, "{kind:?} {lang:?} looks blank");
            assert_eq!(layout.size, (W, H));
            assert!(layout.plot[2] > layout.plot[0] && layout.plot[3] > layout.plot[1]);

            let png = dir
                .path()
                .join(format!("{}-{}.png", kind.key(), lang.code()));
            save_png(&png, kind, &f.data(), lang, W, H).unwrap();
            let bytes = std::fs::read(&png).unwrap();
            assert_eq!(png_size(&bytes), (W, H));
            assert!(
                bytes.len() as u64 > blank_len * 3,
                "{kind:?} {lang:?}: PNG of {} bytes is about as small as a blank one ({blank_len})",
                bytes.len()
            );

            let svg_path = dir
                .path()
                .join(format!("{}-{}.svg", kind.key(), lang.code()));
            save_svg(&svg_path, kind, &f.data(), lang, W, H).unwrap();
            let svg = std::fs::read_to_string(&svg_path).unwrap();
            assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
            assert!(svg.contains(&format!("width=\"{W}\"")));
            assert!(
                svg.contains(kind.title(lang)),
                "{kind:?} {lang:?}: title missing"
            );
            // Text is drawn as outlines of the bundled font, named nowhere.
            assert!(!svg.contains("<text") && !svg.contains("font-family"));
            assert!(svg.contains("<path fill=\"#"));
        }
    }
    // Nothing but the charts is left behind (no temporary files).
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn charts_carry_their_text() {
    let f = sample();
    let svg = |kind, lang| svg_string(kind, &f.data(), lang, 600, 360).unwrap();
    let cost = svg(ChartKind::CostByLevel, Lang::Zh);
    for t in ["整合前", "整合后", "省级", "地市级", "县级", "万元"] {
        assert!(cost.contains(t), "cost chart lacks {t}");
    }
    assert!(svg(ChartKind::CostByLevel, Lang::En).contains("thousand yuan"));
    let cov = svg(ChartKind::CoverageByLevel, Lang::En);
    for t in ["Before", "After", "100%", "Province"] {
        assert!(cov.contains(t), "coverage chart lacks {t}");
    }
    let scatter = svg(ChartKind::BudgetVsScore, Lang::Zh);
    for t in [
        "保留 (4)",
        "合并 (4)",
        "合格线 60",
        "1 个无得分未显示",
        "检查得分",
    ] {
        assert!(scatter.contains(t), "scatter lacks {t}");
    }
    let load = svg(ChartKind::TargetLoad, Lang::Zh);
    for t in ["超出容量", "容量上限 1", "乙市人民政府", "甲市人民政府"] {
        assert!(load.contains(t), "load chart lacks {t}");
    }
}

#[test]
fn empty_inventory_says_no_data() {
    let f = empty();
    for kind in ChartKind::ALL {
        let zh = svg_string(kind, &f.data(), Lang::Zh, W, H).unwrap();
        assert!(zh.contains("暂无数据"), "{kind:?}");
        assert!(zh.contains(kind.title(Lang::Zh)));
        let en = svg_string(kind, &f.data(), Lang::En, W, H).unwrap();
        assert!(en.contains("No data"), "{kind:?}");
        let (buf, layout) = render_rgb(kind, &f.data(), Lang::Zh, W, H).unwrap();
        assert!(layout.points.is_empty() && layout.bars.is_empty());
        assert_eq!(layout.plot, [0; 4]);
        // Title and message are drawn.
        assert!(ink(&buf, W, 0, H) > 100);
    }
}

#[test]
fn no_merges_and_no_population_say_why() {
    use Level::*;
    let f = build(
        vec![
            site("P", "省", Province, "", yuan(1000), 0, None),
            site("C", "市", Prefecture, "P", yuan(0), 0, None),
        ],
        &[],
        Params::default(),
    );
    let svg = |kind| svg_string(kind, &f.data(), Lang::Zh, W, H).unwrap();
    assert!(svg(ChartKind::TargetLoad).contains("没有合并的网站"));
    assert!(svg(ChartKind::CoverageByLevel).contains("没有服务人口"));
    assert!(svg(ChartKind::BudgetVsScore).contains("没有网站有检查得分"));
    assert!(svg(ChartKind::CostByLevel).contains("省级"));
}

#[test]
fn hit_test_finds_plotted_sites() {
    let f = sample();
    let (_, layout) = render_rgb(ChartKind::BudgetVsScore, &f.data(), Lang::Zh, 600, 360).unwrap();
    // X4 has no score; everyone else is plotted.
    assert_eq!(layout.points.len(), 8);
    assert!(
        !layout
            .points
            .iter()
            .any(|p| p.0 == f.inv.find("X4").unwrap())
    );
    // Merged sites come last (drawn on top).
    let merged: Vec<bool> = layout
        .points
        .iter()
        .map(|p| f.data().is_merged(p.0))
        .collect();
    assert_eq!(merged, [false, false, false, false, true, true, true, true]);
    let p = f.inv.find("P").unwrap();
    let &(_, x, y) = layout.points.iter().find(|q| q.0 == p).unwrap();
    assert_eq!(
        hit_test(&layout, x as f32 + 1.5, y as f32 - 1.0, 4.0),
        Some(p)
    );
    assert_eq!(hit_test(&layout, -50.0, -50.0, 4.0), None);
    assert_eq!(hit_test(&layout, f32::NAN, 0.0, 4.0), None);
    // The zero budget (X2) sits left of every positive budget.
    let x2 = f.inv.find("X2").unwrap();
    let zx = layout.points.iter().find(|q| q.0 == x2).unwrap().1;
    assert!(layout.points.iter().filter(|q| q.0 != x2).all(|q| q.1 > zx));
    // Higher scores are higher up.
    let y_of = |id: &str| {
        layout
            .points
            .iter()
            .find(|q| q.0 == f.inv.find(id).unwrap())
            .unwrap()
            .2
    };
    assert!(y_of("P") < y_of("C1") && y_of("C1") < y_of("X3"));
    // Every point is inside the plot.
    let [l, t, r, b] = layout.plot;
    assert!(
        layout
            .points
            .iter()
            .all(|&(_, x, y)| x > l && x < r && y > t && y < b)
    );
}

#[test]
fn bars_are_reported_for_hovering() {
    let f = sample();
    let (_, layout) = render_rgb(ChartKind::TargetLoad, &f.data(), Lang::Zh, 600, 360).unwrap();
    assert_eq!(layout.bars.len(), f.outcome.targets.len());
    let first = layout.bars[0];
    assert_eq!(first.item, f.outcome.targets[0].site);
    let [l, t, r, b] = first.rect;
    let hit = bar_at(&layout, (l + r) as f32 / 2.0, (t + b) as f32 / 2.0).unwrap();
    assert_eq!(hit.item, first.item);
    assert!(bar_at(&layout, 0.0, 0.0).is_none());
    let (_, layout) = render_rgb(ChartKind::CostByLevel, &f.data(), Lang::Zh, 600, 360).unwrap();
    assert_eq!(layout.bars.len(), 2 * f.outcome.by_level.len());
    // Cost after ≤ before at the county level: its "after" bar is no taller.
    let county = |s: u8| {
        layout
            .bars
            .iter()
            .find(|b| b.item == 3 && b.series == s)
            .unwrap()
            .rect[1]
    };
    assert!(county(1) >= county(0));
}

#[test]
fn target_load_marks_over_capacity_in_red() {
    let f = sample();
    assert!(f.outcome.over_capacity() > 0);
    let (buf, layout) = render_rgb(ChartKind::TargetLoad, &f.data(), Lang::En, 600, 360).unwrap();
    for (bar, t) in layout.bars.iter().zip(&f.outcome.targets) {
        let [l, _, r, b] = bar.rect;
        let (x, y) = (((l + r) / 2) as usize, (b - 1) as usize);
        let px = &buf[(y * 600 + x) * 3..][..3];
        let want = if t.over_capacity {
            [214, 69, 65]
        } else {
            [42, 157, 143]
        };
        assert_eq!(px, want, "{}", t.site_id);
    }
}

#[test]
fn many_targets_are_cut_to_the_busiest_with_long_names() {
    use Level::*;
    let mut sites = vec![site("P", "省", Province, "", yuan(1), 0, None)];
    let mut merge = Vec::new();
    for i in 0..45 {
        let c = format!("C{i}");
        sites.push(site(
            &c,
            &format!("第{i}个名称非常非常非常非常长的地级市人民政府门户网站"),
            Prefecture,
            "P",
            yuan(100_000),
            0,
            Some(70.0),
        ));
        for j in 0..(i % 7 + 1) {
            let x = format!("X{i}-{j}");
            sites.push(site(&x, &x, County, &c, yuan(10_000), 10, Some(50.0)));
            merge.push(x);
        }
    }
    let merge: Vec<&str> = merge.iter().map(String::as_str).collect();
    let f = build(sites, &merge, Params::default());
    assert_eq!(f.outcome.targets.len(), 45);
    for (w, h) in [(600, 360), (1600, 1000), (W, H)] {
        let (_, layout) = render_rgb(ChartKind::TargetLoad, &f.data(), Lang::Zh, w, h).unwrap();
        assert_eq!(layout.bars.len(), TARGETS_SHOWN);
    }
    let svg = svg_string(ChartKind::TargetLoad, &f.data(), Lang::Zh, 600, 360).unwrap();
    assert!(svg.contains("…"), "long names are shortened");
    let upright = svg_texts(&svg)
        .into_iter()
        .filter(|(label, [x0, y0, x1, y1])| label.contains('…') && y1 - y0 > 3.0 * (x1 - x0))
        .count();
    assert!(upright >= 20, "narrow bars get upright names: {upright}");
    let svg = svg_string(ChartKind::TargetLoad, &f.data(), Lang::En, 1600, 1000).unwrap();
    assert!(svg.contains("top 30 of 45"));
}

#[test]
fn odd_numbers_and_sizes_do_not_panic() {
    use Level::*;
    // The extremes an amount can take (MODEL.md §7): the largest amount
    // accepted, with every decimal place kept; the smallest; negatives.
    let huge = yuan(MAX_AMOUNT);
    let huge_fen = Money::from_units(i128::from(MAX_AMOUNT) * 1_000_000 + 999_999, MAX_PLACES);
    let tiny = Money::from_units(1, MAX_PLACES);
    let sites = vec![
        site("P", "省", Province, "", huge, u64::MAX / 4, Some(f64::NAN)),
        site("A", "a", Prefecture, "P", huge_fen, 5, Some(150.0)),
        site("B", "b", Prefecture, "P", -huge, 5, Some(-3.0)),
        site("C", "c", County, "A", tiny, 0, Some(60.0)),
        site("D", "d", County, "A", huge, 0, Some(60.0)),
        site("E", "e", Township, "C", yuan(-5), 0, Some(0.0)),
    ];
    let params = Params {
        pass_threshold: f64::NAN,
        absorb_fixed: f64::INFINITY,
        max_absorbed_per_target: Some(u64::MAX),
        ..Params::default()
    };
    let f = build(sites, &["A", "C", "D", "E"], params);
    for kind in ChartKind::ALL {
        for (w, h) in [(1, 1), (7, 3), (40, 600), (600, 40), (W, H), (2000, 300)] {
            render_rgb(kind, &f.data(), Lang::Zh, w, h).unwrap();
            svg_string(kind, &f.data(), Lang::En, w, h).unwrap();
        }
    }
    // Decisions shorter than the inventory count as keep.
    let short = ChartData {
        decisions: &[],
        ..f.data()
    };
    render_rgb(ChartKind::BudgetVsScore, &short, Lang::Zh, W, H).unwrap();
    assert!(render_rgb(ChartKind::CostByLevel, &f.data(), Lang::Zh, 0, 10).is_err());
    assert!(
        render_rgb(
            ChartKind::CostByLevel,
            &f.data(),
            Lang::Zh,
            MAX_SIDE + 1,
            10
        )
        .is_err()
    );
}

#[test]
fn png_export_fails_cleanly_on_a_missing_folder() {
    let f = sample();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing").join("chart.png");
    let e = save_png(&path, ChartKind::CostByLevel, &f.data(), Lang::Zh, W, H);
    assert!(e.is_err());
    assert!(!path.exists());
}

/// `n` sites in a five-level tree with random budgets and scores; 40% of
/// the townships merge; capacity 12.
fn crowd(n: usize) -> Fixture {
    use Level::*;
    let mut sites = Vec::with_capacity(n);
    sites.push(site(
        "root",
        "国家",
        National,
        "",
        yuan(1_000_000_000),
        1_400_000_000,
        Some(90.0),
    ));
    let mut merge = Vec::new();
    let mut seed = 12345u64;
    let mut rnd = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % 1_000_000) as f64 / 1_000_000.0
    };
    let provinces = (n / 3000).clamp(1, 31);
    let prefectures = (n / 250).clamp(1, 370);
    let counties = (n / 35).clamp(1, 2900);
    for i in 1..n {
        let (level, parent) = if i <= provinces {
            (Province, "root".to_string())
        } else if i <= provinces + prefectures {
            (Prefecture, format!("s{}", 1 + i % provinces))
        } else if i <= provinces + prefectures + counties {
            (County, format!("s{}", 1 + provinces + i % prefectures))
        } else {
            (
                Township,
                format!("s{}", 1 + provinces + prefectures + i % counties),
            )
        };
        let budget = if rnd() < 0.05 {
            Money::ZERO
        } else {
            Money::from_f64(10f64.powf(3.0 + 5.0 * rnd()))
                .expect("finite")
                .to_fen()
        };
        let score = (rnd() < 0.9).then(|| (100.0 * rnd()).round());
        let name = format!(
            "{}第{i}号网站",
            ["北京", "河北省保定市", "内蒙古自治区"][i % 3]
        );
        let mut s = site(&format!("s{i}"), &name, level, &parent, budget, 1000, score);
        s.population = (rnd() * 1e5) as u64;
        if level == Township && rnd() < 0.4 {
            merge.push(s.id.clone());
        }
        sites.push(s);
    }
    let merge: Vec<&str> = merge.iter().map(|m| m.as_str()).collect();
    build(
        sites,
        &merge,
        Params {
            max_absorbed_per_target: Some(12),
            ..Params::default()
        },
    )
}

/// Timing with 100k sites:
/// `cargo test --release --lib charts::tests::timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing() {
    let f = crowd(100_000);
    ensure_registered().unwrap();
    // Warm up (font parsing, page faults).
    render_rgb(ChartKind::CostByLevel, &f.data(), Lang::Zh, 600, 360).unwrap();
    for kind in ChartKind::ALL {
        for lang in [Lang::Zh, Lang::En] {
            let runs = 10;
            let t = std::time::Instant::now();
            for _ in 0..runs {
                render_rgb(kind, &f.data(), lang, 600, 360).unwrap();
            }
            let app = t.elapsed() / runs;
            let t = std::time::Instant::now();
            render_rgb(kind, &f.data(), lang, 1600, 1000).unwrap();
            let export = t.elapsed();
            let t = std::time::Instant::now();
            let svg = svg_string(kind, &f.data(), lang, 1600, 1000).unwrap();
            let svg_t = t.elapsed();
            println!(
                "{:18} {:?}: 600x360 {:>8.2?}  1600x1000 {:>8.2?}  svg {:>8.2?} ({} kB)",
                kind.key(),
                lang,
                app,
                export,
                svg_t,
                svg.len() / 1024
            );
        }
    }
}

/// Writes every chart of three fixtures to `$SITEFOLD_CHART_DIR` for a
/// look: `SITEFOLD_CHART_DIR=/tmp/charts cargo test --lib charts::tests::dump -- --ignored`.
#[test]
#[ignore]
fn dump() {
    let Some(dir) = std::env::var_os("SITEFOLD_CHART_DIR") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let fixtures = [
        ("empty", empty()),
        ("sample", sample()),
        ("crowd", crowd(3000)),
        ("big", crowd(100_000)),
    ];
    for (name, f) in &fixtures {
        for kind in ChartKind::ALL {
            for lang in [Lang::Zh, Lang::En] {
                for (w, h) in [APP_SIZE, EXPORT_SIZE] {
                    let stem = format!("{name}-{}-{}-{w}x{h}", kind.key(), lang.code());
                    let png = dir.join(format!("{stem}.png"));
                    save_png(&png, kind, &f.data(), lang, w, h).unwrap();
                    let svg = dir.join(format!("{stem}.svg"));
                    save_svg(&svg, kind, &f.data(), lang, w, h).unwrap();
                }
            }
        }
    }
}

/// A chart drawn narrow for a side panel keeps tick labels at 11 points
/// (the floor is the screen's pixels per point); an export keeps scaling.
#[test]
fn narrow_charts_on_screen_keep_legible_text() {
    let mut buf = vec![0u8; 300 * 180 * 3];
    let root = BitMapBackend::with_buffer(&mut buf, (300, 180)).into_drawing_area();
    let plain = canvas::Canvas::new(&root, Lang::Zh);
    assert_eq!(plain.em(canvas::em::TICK), 5.5);
    let screen = canvas::Canvas::new(&root, Lang::Zh).with_text_floor(1.0);
    assert_eq!(screen.em(canvas::em::TICK), 11.0);
    let hidpi = canvas::Canvas::new(&root, Lang::Zh).with_text_floor(2.0);
    assert_eq!(hidpi.em(canvas::em::TICK), 22.0);
    // Paddings still follow the picture.
    assert_eq!(screen.px(10.0), plain.px(10.0));
}

/// The texts of an SVG chart: each outline path's label and the extent
/// of its coordinates.
fn svg_texts(svg: &str) -> Vec<(String, [f64; 4])> {
    svg.lines()
        .filter(|l| l.starts_with("<path fill=") && l.contains("aria-label=\""))
        .map(|l| {
            let attr = |name: &str| {
                let start = l.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
                let len = l[start..].find('"').expect("closing quote");
                l[start..start + len].to_string()
            };
            (
                attr("aria-label"),
                super::svg_text::tests::extent(&attr("d")),
            )
        })
        .collect()
}

/// Issue 17: an SVG chart's text shows the same in every viewer. It
/// names no font (viewers without it drew boxes or nothing); each text
/// is the bundled font's outlines, where the PNG of the same chart has
/// its text.
#[test]
fn svg_text_is_outlined_where_the_bitmap_draws_it() {
    let f = sample();
    for kind in ChartKind::ALL {
        for lang in [Lang::Zh, Lang::En] {
            let svg = svg_string(kind, &f.data(), lang, 600, 360).unwrap();
            assert!(!svg.contains("<text") && !svg.contains("font-family"));
            let texts = svg_texts(&svg);
            assert!(
                texts.iter().any(|(t, _)| t == kind.title(lang)),
                "{kind:?} {lang:?}: the title is drawn"
            );
            let (rgb, _) = render_rgb(kind, &f.data(), lang, 600, 360).unwrap();
            let (w, h) = (600u32, 360u32);
            for (text, [x0, y0, x1, y1]) in &texts {
                if text.trim().is_empty() {
                    continue;
                }
                assert!(
                    *x0 >= -1.0 && *y0 >= -1.0 && *x1 <= w as f64 + 1.0 && *y1 <= h as f64 + 1.0,
                    "{kind:?} {lang:?}: {text} drawn outside the picture"
                );
                // The bitmap has dark (text) pixels inside the outline's box.
                let (cx0, cy0) = (x0.floor().max(0.0) as u32, y0.floor().max(0.0) as u32);
                let (cx1, cy1) = (
                    x1.ceil().min(w as f64 - 1.0) as u32,
                    y1.ceil().min(h as f64 - 1.0) as u32,
                );
                let inked = (cy0..=cy1)
                    .flat_map(|y| (cx0..=cx1).map(move |x| (x, y)))
                    .filter(|&(x, y)| {
                        let i = ((y * w + x) * 3) as usize;
                        rgb[i..i + 3].iter().any(|&c| c < 200)
                    })
                    .count();
                let area = ((cx1 - cx0 + 1) * (cy1 - cy0 + 1)) as usize;
                assert!(
                    inked * 20 >= area.min(400),
                    "{kind:?} {lang:?}: {text:?} has {inked} dark pixels of {area} in the bitmap"
                );
            }
        }
    }
}

/// With `rsvg-convert` installed (librsvg, as ImageMagick and desktop
/// viewers use), the SVG renders with its text where the PNG has it.
#[test]
fn svg_renders_with_its_text_in_librsvg_when_installed() {
    let f = sample();
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("cost.svg");
    save_svg(&svg, ChartKind::CostByLevel, &f.data(), Lang::Zh, W, H).unwrap();
    let png = dir.path().join("cost.png");
    let ran = std::process::Command::new("rsvg-convert")
        .arg("-b")
        .arg("white")
        .arg("-o")
        .arg(&png)
        .arg(&svg)
        .status();
    let Ok(status) = ran else {
        eprintln!("rsvg-convert is not installed; skipped");
        return;
    };
    assert!(status.success());
    let bytes = std::fs::read(&png).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (W, H));
    let channels = info.color_type.samples();
    // The title band: dark text pixels in both renderings, about as many.
    let title_band = |px: &dyn Fn(u32, u32) -> bool| {
        (0..H / 8)
            .flat_map(|y| (0..W).map(move |x| (x, y)))
            .filter(|&(x, y)| px(x, y))
            .count()
    };
    let svg_ink = title_band(&|x, y| {
        let i = ((y * W + x) as usize) * channels;
        buf[i..i + 3].iter().all(|&c| c < 160)
    });
    let (rgb, _) = render_rgb(ChartKind::CostByLevel, &f.data(), Lang::Zh, W, H).unwrap();
    let png_ink = title_band(&|x, y| {
        let i = ((y * W + x) * 3) as usize;
        rgb[i..i + 3].iter().all(|&c| c < 160)
    });
    assert!(png_ink > 200, "{png_ink}");
    assert!(
        svg_ink * 10 > png_ink * 7 && svg_ink * 10 < png_ink * 13,
        "librsvg drew {svg_ink} title pixels, the PNG {png_ink}"
    );
}

#[test]
fn timeline_charts_draw_the_flow_and_mark_payback() {
    let mut ws = crate::workspace::Workspace::new(crate::sample::sample());
    let inv = ws.imported.inventory.clone();
    for i in 0..inv.len() {
        if inv.parent(i).is_some() && inv.site(i).level >= crate::inventory::Level::County {
            ws.manual[i] = Some(Decision::Merge { target: None });
        }
    }
    ws.timeline.start_quarter = crate::timeline::Quarter::parse("2027Q1");
    ws.timeline.max_closures_per_quarter = Some(10);
    let model = ws.model();
    let (resolved, outcome) = ws.evaluate_with(&model);
    let t = ws.timeline_of(&model, &resolved, &outcome, true);
    assert!(t.flow.quarters.iter().any(|q| q.closures > 0));
    let data = ChartData {
        inventory: &inv,
        model: &model,
        outcome: &outcome,
        decisions: &resolved.decisions,
        flow: Some(&t.flow),
        pass_rates: None,
    };
    for kind in ChartKind::TIMELINE {
        let (_, layout) = render_rgb(kind, &data, Lang::Zh, W, H).expect("drawn");
        assert_eq!(layout.bars.len(), t.flow.quarters.len(), "{kind:?}");
        assert_ne!(layout.plot, [0; 4]);
        for (w, h) in [(1, 1), (40, 600), (2000, 300)] {
            render_rgb(kind, &data, Lang::En, w, h).expect("drawn");
        }
        let svg = svg_string(kind, &data, Lang::Zh, W, H).expect("drawn");
        assert!(svg.contains(kind.title(Lang::Zh)), "{kind:?}");
        // Without a schedule: "no data", no plot.
        let empty = ChartData { flow: None, ..data };
        let (_, layout) = render_rgb(kind, &empty, Lang::Zh, W, H).expect("drawn");
        assert_eq!(layout.plot, [0; 4]);
    }
    // The closures drawn are the closures scheduled, quarter by quarter:
    // taller bars for more closures.
    let (_, layout) = render_rgb(ChartKind::Closures, &data, Lang::Zh, W, H).expect("drawn");
    for (bar, q) in layout.bars.iter().zip(&t.flow.quarters) {
        let height = bar.rect[3] - bar.rect[1];
        assert_eq!(q.closures == 0, height == 0, "{bar:?} {q:?}");
    }
    if let Some(pq) = t.flow.payback_quarter {
        let svg = svg_string(ChartKind::CashFlow, &data, Lang::En, W, H).expect("drawn");
        assert!(svg.contains(&format!("Payback {pq}")));
    }
}

#[test]
fn every_chart_has_its_own_key_and_the_treemap_draws() {
    let mut keys = std::collections::HashSet::new();
    for kind in ChartKind::EVERY {
        assert!(keys.insert(kind.key()), "{kind:?}");
        assert_eq!(ChartKind::from_key(kind.key()), Some(kind));
    }
    let imported = crate::sample::sample();
    let inv = &imported.inventory;
    let model = crate::outcome::Model::new(inv, &Params::default());
    let decisions = vec![Decision::Keep; inv.len()];
    let outcome = evaluate(inv, &model, &decisions);
    let data = ChartData {
        inventory: inv,
        model: &model,
        outcome: &outcome,
        decisions: &decisions,
        flow: None,
        pass_rates: None,
    };
    for kind in ChartKind::EVERY {
        let ChartKind::Treemap(_) = kind else {
            continue;
        };
        let (rgb, layout) = render_rgb(kind, &data, Lang::Zh, 800, 500).expect("drawn");
        assert_ne!(layout.plot, [0; 4], "{kind:?}");
        // Not a blank picture: the kept colour (no site merged) is there.
        assert!(
            rgb.chunks(3)
                .any(|p| p == [0x8f, 0xa8, 0xc2] || p == [0x7c, 0xc4, 0x9a])
        );
        let svg = svg_string(kind, &data, Lang::En, 800, 500).expect("drawn");
        assert!(svg.contains(kind.title(Lang::En)), "{kind:?}");
        for (w, h) in [(1, 1), (30, 500), (2000, 40)] {
            render_rgb(kind, &data, Lang::Zh, w, h).expect("drawn");
        }
    }
}
