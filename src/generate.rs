//! Synthetic inventories: a deterministic, realistic set of government
//! websites of any size, for the bundled sample province, demonstrations and
//! benchmarks.
//!
//! # Shape
//!
//! Up to [`MULTI_PROVINCE_ABOVE`] sites the inventory is one fictional
//! province whose counts scale with `n`. At about 3,000 sites it has:
//!
//! - the province portal (top site) and about 30 province departments;
//! - about 16 prefecture portals, each with 6–12 departments;
//! - about 118 county portals (districts 区, counties 县 and county-level
//!   cities 市), each with 3–8 departments;
//! - the rest as township sites (镇, 乡, 街道), about 2,000, under the
//!   county portals.
//!
//! Above that there is a national portal with 60 ministries and as many
//! provinces of that shape (each of 2,400–3,600 sites) as `n` calls for, their
//! portals under the national portal. The total is exactly `n`.
//!
//! Identifiers follow the statistical division codes: `340000000` (province),
//! `340100000` (prefecture), `340121000` (county; districts 01–19, counties
//! 21–79, cities 81–99), `340121101` (township; 街道 001–099, 镇 101–199,
//! 乡 201–299), and departments `340121000-D01`…. The national portal is
//! `000000000`. Several provinces are numbered from 11 up (three digits past
//! 99, which keeps every identifier unique).
//!
//! # Figures
//!
//! Budgets, staff, population, visits, services, inspection results and
//! reprint times follow the published figures (85% of sites up to standard,
//! failures concentrated at county level and below, over 80% of notices
//! reprinted within 24 hours). Each site has a latent "size" drawn uniformly
//! from [0, 1) that sets its budget quantile, weighs its share of its parent's
//! population and lowers its chance of failing inspection, so that small,
//! poor sites fail more often, as they do in the census. Populations are split
//! exactly with integer arithmetic, and every portal keeps some population of
//! its own, so own_pop never clamps.
//!
//! # Determinism
//!
//! The same `(n, seed)` gives the same sites on every platform and with every
//! version of the dependencies: the generator hand-rolls SplitMix64 instead
//! of using the `rand` crate (whose algorithms and value-conversion methods
//! may change between versions), and it uses only the IEEE-754 operations
//! that are exactly rounded everywhere (`+ − × ÷`, `sqrt`, `floor`, `round`),
//! never `ln`, `exp` or `powf`, whose results depend on the platform's maths
//! library. A test pins a fingerprint of one output; change it only on
//! purpose, since a published sample or a saved plan may refer to the ids.

use crate::inventory::{Kind, Level, Site};

/// Sites of one province in the base shape.
const PROVINCE_SITES: usize = 3000;

/// Up to this many sites the inventory is one province; above it, a national
/// portal, ministries and several provinces.
pub const MULTI_PROVINCE_ABOVE: usize = 6000;

/// Base counts of one province of [`PROVINCE_SITES`] sites.
const BASE_PROVINCE_DEPTS: f64 = 30.0;
const BASE_PREFECTURES: f64 = 16.0;
const BASE_PREFECTURE_DEPTS: f64 = 144.0; // 9 per prefecture, 6–12
const BASE_COUNTIES: f64 = 118.0;
const BASE_COUNTY_DEPTS: f64 = 649.0; // 5.5 per county, 3–8
/// Most departments of one province government.
const MAX_PROVINCE_DEPTS: usize = 45;

/// Division code of the single province when there is only one.
const SINGLE_PROVINCE_CODE: u32 = 34;
/// Division code of the first province when there are several.
const FIRST_PROVINCE_CODE: u32 = 11;
/// Township name roots kept unique over the whole output up to this many
/// (of about 6,400 two-character and 650,000 three-character roots); past
/// it, only within a province, as real township names repeat across China.
const TOWN_ROOTS_RESET: usize = 200_000;
/// Identifier of the national portal.
const NATIONAL_ID: &str = "000000000";

/// A deterministic, realistic synthetic inventory of about `n` sites
/// (exactly `n`), parents before their children, every parent link
/// resolvable. `line` is 0 and `parent` is `None` on every site:
/// [`Inventory::link`](crate::inventory::Inventory::link) resolves them.
pub fn generate(n: usize, seed: u64) -> Vec<Site> {
    let mut g = Generator::new(n, seed);
    if n == 0 {
        return g.sites;
    }
    if n <= MULTI_PROVINCE_ABOVE {
        let pop = g.province_population();
        g.province(SINGLE_PROVINCE_CODE, n, "", pop);
    } else {
        g.country(n);
    }
    debug_assert_eq!(g.sites.len(), n);
    g.sites
}

// ---------------------------------------------------------------------------
// PRNG

/// SplitMix64 (Steele, Lea and Flood 2014; the reference constants of
/// Vigna's `splitmix64.c`). Hand-rolled so that the output never changes:
/// the sample data, tests and users' saved plans depend on the exact values.
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), 53 bits.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [0, n) (multiply-shift; n = 0 gives 0).
    fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in [lo, hi], inclusive.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A weight in [1000, 4000) that grows with the latent size `u`, for
    /// splitting a parent's population or a count of children.
    fn weight(&mut self, u: f64) -> u64 {
        1000 + (1500.0 * u) as u64 + self.below(1500)
    }
}

// ---------------------------------------------------------------------------
// Tables

/// First characters of place names.
const FIRST_CHARS: &str = "青石柳白黄金银桃杏梅松柏龙凤云东西南北新安平永长宁华兴和清明丰德庆福广泰临宝高双马古沙红碧紫铜玉花竹兰荷枫桂樟杨万千太大上中江湖溪泉林峰岭岩潭春秋崇仁信文武嘉昌顺乐寿隆灵仙通望鸿鹤鹿思怀吉瑞祥盛常汉淮洛湘";
/// Last characters of place names.
const LAST_CHARS: &str = "山溪河湖江门桥城港口林川源岭坪塘田阳安宁丰泉水州平兴和庄集店铺坝湾洲峰岗台原谷关渡陵坡滩沟埠寨堡屯营亭冈岩浦塔滨池园坊圩墩峪场";

/// Departments of a local government: stem, suffix at province level,
/// suffix below, ASCII abbreviation for the address. The core departments
/// come first and are the likeliest to have a site.
const DEPTS: &[(&str, &str, &str, &str)] = &[
    ("发展和改革委员会", "", "", "fgw"),
    ("教育", "厅", "局", "jy"),
    ("公安", "厅", "局", "ga"),
    ("民政", "厅", "局", "mz"),
    ("财政", "厅", "局", "cz"),
    ("人力资源和社会保障", "厅", "局", "rs"),
    ("自然资源", "厅", "局", "zrzy"),
    ("生态环境", "厅", "局", "sthj"),
    ("住房和城乡建设", "厅", "局", "zj"),
    ("交通运输", "厅", "局", "jt"),
    ("农业农村", "厅", "局", "nync"),
    ("卫生健康委员会", "", "", "wjw"),
    ("市场监督管理局", "", "", "scjg"),
    ("科学技术", "厅", "局", "kj"),
    ("水利", "厅", "局", "sl"),
    ("商务", "厅", "局", "sw"),
    ("文化和旅游", "厅", "局", "wl"),
    ("应急管理", "厅", "局", "yjgl"),
    ("审计", "厅", "局", "sj"),
    ("统计局", "", "", "tj"),
    ("医疗保障局", "", "", "yb"),
    ("工业和信息化", "厅", "局", "gxx"),
    ("司法", "厅", "局", "sf"),
    ("退役军人事务", "厅", "局", "tyjr"),
    ("体育局", "", "", "ty"),
    ("林业局", "", "", "ly"),
    ("国有资产监督管理委员会", "", "", "gzw"),
    ("民族宗教事务委员会", "", "", "mzw"),
    ("外事办公室", "", "", "wb"),
    ("数据资源管理局", "", "", "sjzy"),
    ("政务服务管理局", "", "", "zwfw"),
    ("机关事务管理局", "", "", "jgsw"),
    ("信访局", "", "", "xf"),
    ("粮食和物资储备局", "", "", "lsj"),
    ("人民防空办公室", "", "", "rf"),
    ("乡村振兴局", "", "", "xczx"),
    ("地方金融管理局", "", "", "jr"),
    ("城市管理局", "", "", "cg"),
    ("广播电视局", "", "", "gd"),
    ("药品监督管理局", "", "", "ypjg"),
    ("知识产权局", "", "", "zscq"),
    ("能源局", "", "", "ny"),
    ("文物局", "", "", "ww"),
    ("投资促进局", "", "", "tzcj"),
    ("档案局", "", "", "da"),
    ("地方志办公室", "", "", "dfz"),
    ("气象局", "", "", "qx"),
    ("地震局", "", "", "dz"),
];

/// Ministries and agencies under the State Council: name, web address label.
const MINISTRIES: &[(&str, &str)] = &[
    ("国家发展和改革委员会", "ndrc"),
    ("教育部", "moe"),
    ("科学技术部", "most"),
    ("工业和信息化部", "miit"),
    ("国家民族事务委员会", "neac"),
    ("公安部", "mps"),
    ("民政部", "mca"),
    ("司法部", "moj"),
    ("财政部", "mof"),
    ("人力资源和社会保障部", "mohrss"),
    ("自然资源部", "mnr"),
    ("生态环境部", "mee"),
    ("住房和城乡建设部", "mohurd"),
    ("交通运输部", "mot"),
    ("水利部", "mwr"),
    ("农业农村部", "moa"),
    ("商务部", "mofcom"),
    ("文化和旅游部", "mct"),
    ("国家卫生健康委员会", "nhc"),
    ("退役军人事务部", "mva"),
    ("应急管理部", "mem"),
    ("中国人民银行", "pbc"),
    ("审计署", "audit"),
    ("国务院国有资产监督管理委员会", "sasac"),
    ("海关总署", "customs"),
    ("国家税务总局", "chinatax"),
    ("国家市场监督管理总局", "samr"),
    ("国家金融监督管理总局", "nfra"),
    ("中国证券监督管理委员会", "csrc"),
    ("国家广播电视总局", "nrta"),
    ("国家体育总局", "sport"),
    ("国家统计局", "stats"),
    ("国家国际发展合作署", "cidca"),
    ("国家医疗保障局", "nhsa"),
    ("国家机关事务管理局", "ggj"),
    ("国家标准化管理委员会", "sac"),
    ("国家新闻出版署", "nppa"),
    ("国家版权局", "ncac"),
    ("国家信访局", "gjxfj"),
    ("国家粮食和物资储备局", "lswz"),
    ("国家能源局", "nea"),
    ("国家数据局", "nda"),
    ("国家国防科技工业局", "sastind"),
    ("国家烟草专卖局", "tobacco"),
    ("国家移民管理局", "nia"),
    ("国家林业和草原局", "forestry"),
    ("国家铁路局", "nra"),
    ("中国民用航空局", "caac"),
    ("国家邮政局", "spb"),
    ("国家文物局", "ncha"),
    ("国家中医药管理局", "natcm"),
    ("国家疾病预防控制局", "ndcpa"),
    ("国家矿山安全监察局", "chinamine"),
    ("国家消防救援局", "fire"),
    ("国家外汇管理局", "safe"),
    ("国家药品监督管理局", "nmpa"),
    ("国家知识产权局", "cnipa"),
    ("中国地震局", "cea"),
    ("中国气象局", "cma"),
    ("国家航天局", "cnsa"),
];

// ---------------------------------------------------------------------------
// Profiles

/// What kind of site is being made, which sets the ranges of its figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tier {
    NationalPortal,
    Ministry,
    ProvincePortal,
    ProvinceDept,
    PrefecturePortal,
    PrefectureDept,
    CountyPortal,
    CountyDept,
    Township,
}

/// Ranges of the figures of one tier.
struct Profile {
    /// Annual budget, yuan.
    budget: (f64, f64),
    /// Skew of the budget towards its low end: the quantile u maps to
    /// u·(skew·u + 1 − skew) of the range.
    skew: f64,
    /// Yuan of budget per staff member (±20%).
    staff_cost: f64,
    /// Monthly visits.
    visits: (f64, f64),
    /// Online services, inclusive.
    services: (u64, u64),
    /// Chance of failing inspection for a site of average size.
    fail: f64,
    /// Chance of reprinting within 24 hours.
    fast_reprint: f64,
}

/// Builds a [`Profile`]; the arguments are in the column order of [`PROFILES`].
const fn profile(
    budget: (f64, f64),
    skew: f64,
    staff_cost: f64,
    visits: (f64, f64),
    services: (u64, u64),
    fail: f64,
    fast_reprint: f64,
) -> Profile {
    Profile {
        budget,
        skew,
        staff_cost,
        visits,
        services,
        fail,
        fast_reprint,
    }
}

/// The profile of each tier, in [`Tier`] order. A township skew of 0.635
/// puts 30% of township budgets under 20,000 yuan.
#[rustfmt::skip]
const PROFILES: [Profile; 9] = [
    //       budget (yuan)     skew   yuan/staff  visits/month     services      fail   ≤24 h
    profile((20e6, 50e6),     0.5,   200e3,      (20e6, 80e6),    (1000, 2500), 0.02,  0.97), // national portal
    profile((2e6, 10e6),      0.5,   200e3,      (200e3, 5e6),    (10, 150),    0.02,  0.95), // ministry
    profile((3e6, 10e6),      0.5,   180e3,      (1e6, 6e6),      (300, 800),   0.035, 0.95), // province portal
    profile((0.5e6, 3e6),     0.5,   160e3,      (30e3, 600e3),   (5, 120),     0.035, 0.93), // province department
    profile((1e6, 4e6),       0.5,   150e3,      (200e3, 2e6),    (150, 500),   0.035, 0.93), // prefecture portal
    profile((150e3, 1.2e6),   0.5,   130e3,      (5e3, 150e3),    (5, 120),     0.04,  0.90), // prefecture department
    profile((200e3, 1.5e6),   0.5,   100e3,      (20e3, 400e3),   (50, 300),    0.06,  0.88), // county portal
    profile((30e3, 300e3),    0.5,   90e3,       (500.0, 30e3),   (5, 120),     0.14,  0.84), // county department
    profile((8e3, 80e3),      0.635, 35e3,       (50.0, 8e3),     (0, 30),      0.195, 0.82), // township
];

impl Tier {
    fn profile(self) -> &'static Profile {
        &PROFILES[self as usize]
    }

    fn is_department(self) -> bool {
        matches!(
            self,
            Tier::Ministry | Tier::ProvinceDept | Tier::PrefectureDept | Tier::CountyDept
        )
    }
}

/// Rounds to one decimal.
fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Sets the figures of `s` (everything but identity, links and population)
/// from its tier and latent size `u` in [0, 1).
fn fill(rng: &mut SplitMix64, s: &mut Site, tier: Tier, u: f64) {
    let p = tier.profile();
    let (lo, hi) = p.budget;
    let q = u * (p.skew * u + 1.0 - p.skew);
    let budget = ((lo + (hi - lo) * q) / 100.0).round() * 100.0;
    s.budget = crate::money::Money::yuan(budget as i64);
    let per_person = p.staff_cost * (0.8 + 0.4 * rng.unit());
    // Whole or half staff members.
    let halves = (budget / per_person * 2.0).round().max(1.0) as i64;
    s.staff = rust_decimal::Decimal::new(halves * 5, 1);

    s.monthly_visits = if rng.chance(0.05) {
        None
    } else {
        let w = 0.5 * u + 0.5 * rng.unit();
        Some((p.visits.0 + (p.visits.1 - p.visits.0) * w * w).round() as u64)
    };

    let (slo, shi) = p.services;
    s.online_services = if tier.is_department() || tier == Tier::Township {
        let v = rng.unit();
        slo + ((shi - slo + 1) as f64 * v * v) as u64
    } else {
        rng.range(slo, shi)
    };

    // Inspection: small sites fail more (×1.6 at the smallest, ×0.4 at the
    // largest, ×1 on average). About 12% of failures among sites reported with
    // both a result and a score are veto failures with a passing score.
    let fails = rng.chance(p.fail * (1.6 - 1.2 * u));
    let form = rng.unit();
    let both = form < 0.70;
    let score_only = !both && form < 0.90;
    let veto = fails && both && rng.chance(0.12);
    let raw = if fails && !veto {
        20.0 + 39.9 * rng.unit().sqrt()
    } else {
        60.0 + 38.0 * (rng.unit() + rng.unit()) / 2.0
    };
    let score = if rng.chance(0.15) {
        // Whole points, without crossing the threshold.
        if raw < 60.0 { raw.floor() } else { raw.round() }
    } else {
        one_decimal(raw)
    };
    s.inspection_score = (both || score_only).then_some(score);
    s.inspection_passed = (!score_only).then_some(!fails);

    s.reprint_hours = if rng.chance(0.06) {
        None
    } else if rng.chance(p.fast_reprint) {
        let x = rng.unit();
        Some(((0.5 + 23.5 * x * x) * 2.0).round() / 2.0)
    } else {
        Some(((24.5 + 47.5 * rng.unit()) * 2.0).round() / 2.0)
    };
}

/// Splits `total` into parts proportional to `weights`; the parts sum to
/// `total` exactly.
fn split(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u128 = weights.iter().map(|&w| w as u128).sum();
    let mut out = Vec::with_capacity(weights.len());
    if sum == 0 {
        out.resize(weights.len(), 0);
        return out;
    }
    let mut acc = 0u128;
    let mut prev = 0u64;
    for &w in weights {
        acc += w as u128;
        let cur = (total as u128 * acc / sum) as u64;
        out.push(cur - prev);
        prev = cur;
    }
    out
}

/// Number of departments for a government when the average is `mean`:
/// uniform in [⌊2m/3⌋, ⌈4m/3⌉] (6–12 for 9, 3–8 for 5.5).
fn dept_count(rng: &mut SplitMix64, mean: f64) -> usize {
    if mean <= 0.0 {
        return 0;
    }
    let lo = (mean * 2.0 / 3.0).floor() as u64;
    let hi = (mean * 4.0 / 3.0).ceil() as u64;
    rng.range(lo, hi) as usize
}

/// Share of `pop` kept at the portal itself, `lo`–`hi` per mille, at least 1.
fn own_share(rng: &mut SplitMix64, pop: u64, lo: u64, hi: u64) -> u64 {
    let permille = rng.range(lo, hi);
    (pop * permille / 1000).max(1).min(pop)
}

/// Kinds and division codes of `count` sibling units: kind 0, 1 or 2 as a
/// uniform draw falls below `cuts[0]`, below `cuts[1]` or above; kind k
/// numbered from `starts[k]` up to `ends[k]` (a full kind spills into the
/// next). Returns (kind, code) of each unit and the units in code order.
fn numbered(
    rng: &mut SplitMix64,
    count: usize,
    cuts: [f64; 2],
    starts: [u32; 3],
    ends: [u32; 3],
) -> (Vec<(usize, u32)>, Vec<usize>) {
    let mut next = starts;
    let numbers: Vec<(usize, u32)> = (0..count)
        .map(|_| {
            let r = rng.unit();
            let want = if r < cuts[0] {
                0
            } else if r < cuts[1] {
                1
            } else {
                2
            };
            let kind = (0..3)
                .map(|d| (want + d) % 3)
                .find(|&k| next[k] <= ends[k])
                .unwrap_or(want);
            next[kind] += 1;
            (kind, next[kind] - 1)
        })
        .collect();
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_unstable_by_key(|&i| numbers[i].1);
    (numbers, order)
}

// ---------------------------------------------------------------------------
// Generator

/// Plan of one prefecture before its sites are made.
struct PrefecturePlan {
    u: f64,
    weight: u64,
    depts: usize,
    counties: usize,
}

/// Plan of one county before its sites are made.
struct CountyPlan {
    u: f64,
    weight: u64,
    depts: usize,
    townships: usize,
}

/// A set of name roots, as a bit set over the root keys (at most about
/// 660,000 of them).
#[derive(Default)]
struct RootSet {
    bits: Vec<u64>,
    len: usize,
}

impl RootSet {
    /// Adds `key`; false when it was there already.
    fn insert(&mut self, key: usize) -> bool {
        let (word, bit) = (key / 64, 1u64 << (key % 64));
        if word >= self.bits.len() {
            self.bits.resize(word + 1, 0);
        }
        if self.bits[word] & bit != 0 {
            return false;
        }
        self.bits[word] |= bit;
        self.len += 1;
        true
    }

    fn clear(&mut self) {
        self.bits.iter_mut().for_each(|w| *w = 0);
        self.len = 0;
    }
}

struct Generator {
    rng: SplitMix64,
    sites: Vec<Site>,
    first: Vec<char>,
    last: Vec<char>,
    /// Roots of province, prefecture and county names, over the whole output.
    roots: RootSet,
    /// Roots of township names: over the whole output until
    /// [`TOWN_ROOTS_RESET`] are taken, then afresh for each province.
    town_roots: RootSet,
}

impl Generator {
    fn new(n: usize, seed: u64) -> Generator {
        Generator {
            rng: SplitMix64::new(seed),
            sites: Vec::with_capacity(n),
            first: FIRST_CHARS.chars().collect(),
            last: LAST_CHARS.chars().collect(),
            roots: RootSet::default(),
            town_roots: RootSet::default(),
        }
    }

    fn province_population(&mut self) -> u64 {
        self.rng.range(40_000_000, 70_000_000)
    }

    /// A place-name root not used before: two characters, or three when
    /// `three` or when two-character tries keep colliding.
    fn root(&mut self, town: bool, three_first: bool) -> String {
        let (f, l) = (self.first.len() as u64, self.last.len() as u64);
        let mut attempt = 0;
        loop {
            let three = three_first || attempt >= 6;
            attempt += 1;
            let a = self.rng.below(f);
            let b = self.rng.below(l);
            let m = if three { self.rng.below(f) } else { a };
            let (ca, cb, cm) = (
                self.first[a as usize],
                self.last[b as usize],
                self.first[m as usize],
            );
            if ca == cb || (three && (m == a || cm == cb)) {
                continue;
            }
            let key = if three {
                f * l + (a * f + m) * l + b
            } else {
                a * l + b
            };
            let set = if town {
                &mut self.town_roots
            } else {
                &mut self.roots
            };
            if !set.insert(key as usize) {
                continue;
            }
            let mut s = String::with_capacity(12);
            s.push(ca);
            if three {
                s.push(cm);
            }
            s.push(cb);
            return s;
        }
    }

    /// Appends a site and fills its figures.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        id: String,
        name: String,
        url: String,
        level: Level,
        tier: Tier,
        parent_id: &str,
        region: &str,
        population: u64,
        u: f64,
    ) {
        let mut s = Site {
            id: id.into(),
            name: name.into(),
            url: url.into(),
            level,
            kind: if tier.is_department() {
                Kind::Department
            } else {
                Kind::Portal
            },
            parent_id: parent_id.into(),
            parent: None,
            region: region.into(),
            budget: crate::money::Money::ZERO,
            staff: rust_decimal::Decimal::ZERO,
            population,
            monthly_visits: None,
            online_services: 0,
            inspection_score: None,
            inspection_passed: None,
            reprint_hours: None,
            line: 0,
            source: 0,
            missing: Default::default(),
            rounds: Default::default(),
        };
        fill(&mut self.rng, &mut s, tier, u);
        self.sites.push(s);
    }

    /// `count` department sites of the government `gov` (portal `gov_id`).
    fn departments(
        &mut self,
        gov_id: &str,
        gov: &str,
        level: Level,
        tier: Tier,
        count: usize,
        pop: u64,
    ) {
        if count == 0 {
            return;
        }
        // Core departments (early in the table) are the likeliest to have a
        // site; the chosen ones are listed in table order.
        let mut keys: Vec<u64> = (0..DEPTS.len() as u64)
            .map(|i| ((i * 1000 + self.rng.below(15_000)) << 8) | i)
            .collect();
        keys.sort_unstable();
        let mut chosen: Vec<usize> = keys[..count.min(DEPTS.len())]
            .iter()
            .map(|k| (k & 0xFF) as usize)
            .collect();
        chosen.sort_unstable();
        for (k, &d) in chosen.iter().enumerate() {
            let (stem, province_suffix, local_suffix, abbr) = DEPTS[d];
            let mut name = String::with_capacity(gov.len() + stem.len() + 3);
            name.push_str(gov);
            name.push_str(stem);
            name.push_str(if level == Level::Province {
                province_suffix
            } else {
                local_suffix
            });
            let id = format!("{gov_id}-D{:02}", k + 1);
            let url = format!("{abbr}.{gov_id}.gov.cn");
            let u = self.rng.unit();
            self.push(id, name, url, level, tier, gov_id, gov, pop, u);
        }
    }

    /// The national portal, the ministries and several provinces: `n` sites.
    fn country(&mut self, n: usize) {
        let ministries = MINISTRIES.len();
        let rest = n - 1 - ministries;
        let k = ((rest + PROVINCE_SITES / 2) / PROVINCE_SITES).max(2);
        let weights: Vec<u64> = (0..k).map(|_| self.rng.range(800, 1200)).collect();
        let targets = split(rest as u64, &weights);
        let pops: Vec<u64> = (0..k).map(|_| self.province_population()).collect();
        let provinces_total: u64 = pops.iter().sum();
        let own = provinces_total * self.rng.range(2, 10) / 1000;
        let national_pop = provinces_total + own.max(1);

        let u = 0.5 + 0.5 * self.rng.unit();
        self.push(
            NATIONAL_ID.to_string(),
            "中华人民共和国中央人民政府".to_string(),
            "www.gov.cn".to_string(),
            Level::National,
            Tier::NationalPortal,
            "",
            "全国",
            national_pop,
            u,
        );
        for (i, &(name, abbr)) in MINISTRIES.iter().enumerate() {
            let u = self.rng.unit();
            self.push(
                format!("{NATIONAL_ID}-D{:02}", i + 1),
                name.to_string(),
                format!("www.{abbr}.gov.cn"),
                Level::National,
                Tier::Ministry,
                NATIONAL_ID,
                "全国",
                national_pop,
                u,
            );
        }
        for (i, (&t, &pop)) in targets.iter().zip(&pops).enumerate() {
            self.province(FIRST_PROVINCE_CODE + i as u32, t as usize, NATIONAL_ID, pop);
        }
    }

    /// One province of exactly `t` sites (t ≥ 1) with division code `code`.
    fn province(&mut self, code: u32, t: usize, parent_id: &str, pop: u64) {
        if self.town_roots.len > TOWN_ROOTS_RESET {
            self.town_roots.clear();
        }
        let s = t as f64 / PROVINCE_SITES as f64;
        let rounded = |x: f64| (x * s).round() as usize;

        // Counts: the portals first (a chain province > prefecture > county
        // for the smallest sizes), then departments with random counts.
        let n_pref = if t >= 2 {
            rounded(BASE_PREFECTURES).max(1)
        } else {
            0
        };
        let n_county = if t >= 3 {
            rounded(BASE_COUNTIES).max(n_pref)
        } else {
            0
        };
        let mut n_pdept = rounded(BASE_PROVINCE_DEPTS).min(MAX_PROVINCE_DEPTS);
        let pref_mean = if n_pref > 0 {
            rounded(BASE_PREFECTURE_DEPTS) as f64 / n_pref as f64
        } else {
            0.0
        };
        let county_mean = if n_county > 0 {
            rounded(BASE_COUNTY_DEPTS) as f64 / n_county as f64
        } else {
            0.0
        };

        let mut prefs: Vec<PrefecturePlan> = (0..n_pref)
            .map(|_| {
                let u = self.rng.unit();
                PrefecturePlan {
                    u,
                    weight: self.rng.weight(u),
                    depts: dept_count(&mut self.rng, pref_mean),
                    counties: 0,
                }
            })
            .collect();
        if n_county > 0 {
            let w: Vec<u64> = prefs.iter().map(|p| p.weight).collect();
            for (p, extra) in prefs.iter_mut().zip(split((n_county - n_pref) as u64, &w)) {
                p.counties = 1 + extra as usize;
            }
        }
        let mut counties: Vec<CountyPlan> = (0..n_county)
            .map(|_| {
                let u = self.rng.unit();
                CountyPlan {
                    u,
                    weight: self.rng.weight(u),
                    depts: dept_count(&mut self.rng, county_mean),
                    townships: 0,
                }
            })
            .collect();

        // Townships take what is left; when the random department counts
        // overshoot a small province, trim departments, lowest first.
        let fixed = 1
            + n_pdept
            + n_pref
            + n_county
            + prefs.iter().map(|p| p.depts).sum::<usize>()
            + counties.iter().map(|c| c.depts).sum::<usize>();
        let mut excess = fixed.saturating_sub(t);
        let townships = t.saturating_sub(fixed);
        for c in counties.iter_mut().rev() {
            let cut = c.depts.min(excess);
            c.depts -= cut;
            excess -= cut;
        }
        for p in prefs.iter_mut().rev() {
            let cut = p.depts.min(excess);
            p.depts -= cut;
            excess -= cut;
        }
        n_pdept -= n_pdept.min(excess);
        if townships > 0 {
            let w: Vec<u64> = counties.iter().map(|c| c.weight).collect();
            for (c, k) in counties.iter_mut().zip(split(townships as u64, &w)) {
                c.townships = k as usize;
            }
        }

        // The province.
        let root = self.root(false, false);
        let gov = format!("{root}省");
        let id = format!("{code}0000000");
        let u = self.rng.unit();
        self.push(
            id.clone(),
            format!("{gov}人民政府"),
            format!("www.{id}.gov.cn"),
            Level::Province,
            Tier::ProvincePortal,
            parent_id,
            &gov,
            pop,
            u,
        );
        self.departments(&id, &gov, Level::Province, Tier::ProvinceDept, n_pdept, pop);

        // Prefectures.
        let avail = pop - own_share(&mut self.rng, pop, 5, 20);
        let w: Vec<u64> = prefs.iter().map(|p| p.weight).collect();
        let pref_pops = split(avail, &w);
        let mut next_county = 0;
        for (j, (p, &ppop)) in prefs.iter().zip(&pref_pops).enumerate() {
            let pref_id = format!("{code}{:02}00000", j + 1);
            let root = self.root(false, false);
            let pref_gov = format!("{root}市");
            self.push(
                pref_id.clone(),
                format!("{pref_gov}人民政府"),
                format!("www.{pref_id}.gov.cn"),
                Level::Prefecture,
                Tier::PrefecturePortal,
                &id,
                &pref_gov,
                ppop,
                p.u,
            );
            self.departments(
                &pref_id,
                &pref_gov,
                Level::Prefecture,
                Tier::PrefectureDept,
                p.depts,
                ppop,
            );

            let mine = &counties[next_county..next_county + p.counties];
            next_county += p.counties;
            let avail = ppop - own_share(&mut self.rng, ppop, 20, 60);
            let w: Vec<u64> = mine.iter().map(|c| c.weight).collect();
            let county_pops = split(avail, &w);
            // Districts 01–19, counties 21–79, county-level cities 81–99,
            // listed in code order.
            let (numbers, order) = numbered(
                &mut self.rng,
                mine.len(),
                [0.25, 0.85],
                [1, 21, 81],
                [19, 79, 99],
            );
            for i in order {
                let (c, cpop, (kind, xx)) = (&mine[i], county_pops[i], numbers[i]);
                debug_assert!(xx <= 99, "too many counties in one prefecture");
                let county_id = format!("{code}{:02}{xx:02}000", j + 1);
                let root = self.root(false, false);
                let county_gov = format!("{root}{}", ["区", "县", "市"][kind]);
                self.push(
                    county_id.clone(),
                    format!("{county_gov}人民政府"),
                    format!("www.{county_id}.gov.cn"),
                    Level::County,
                    Tier::CountyPortal,
                    &pref_id,
                    &county_gov,
                    cpop,
                    c.u,
                );
                self.departments(
                    &county_id,
                    &county_gov,
                    Level::County,
                    Tier::CountyDept,
                    c.depts,
                    cpop,
                );
                self.townships(&county_id, c.townships, cpop);
            }
        }
    }

    /// `count` township sites under the county portal `county_id`.
    fn townships(&mut self, county_id: &str, count: usize, county_pop: u64) {
        if count == 0 {
            return;
        }
        let us: Vec<f64> = (0..count).map(|_| self.rng.unit()).collect();
        let w: Vec<u64> = us.iter().map(|&u| self.rng.weight(u)).collect();
        let avail = county_pop - own_share(&mut self.rng, county_pop, 100, 300);
        let pops = split(avail, &w);
        // 街道 001–099, 镇 101–199, 乡 201–299, listed in code order.
        let (numbers, order) = numbered(
            &mut self.rng,
            count,
            [0.2, 0.75],
            [1, 101, 201],
            [99, 199, 299],
        );
        let prefix = &county_id[..county_id.len() - 3];
        for i in order {
            let (u, pop, (kind, code)) = (us[i], pops[i], numbers[i]);
            debug_assert!(code <= 999, "too many townships in one county");
            let three = self.rng.chance(0.12);
            let mut region = self.root(true, three);
            region.push_str(["街道", "镇", "乡"][kind]);
            let mut name = String::with_capacity(region.len() + 12);
            name.push_str(&region);
            name.push_str(if kind == 0 {
                "办事处"
            } else {
                "人民政府"
            });
            let id = format!("{prefix}{code:03}");
            let url = format!("www.{id}.gov.cn");
            self.push(
                id,
                name,
                url,
                Level::Township,
                Tier::Township,
                county_id,
                &region,
                pop,
                u,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use rust_decimal::Decimal;

    use super::*;
    use crate::inventory::{Inventory, own_population};
    use crate::money::Money;

    fn count(sites: &[Site], level: Level, kind: Kind) -> usize {
        sites
            .iter()
            .filter(|s| s.level == level && s.kind == kind)
            .count()
    }

    fn check_links(sites: &[Site]) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, s) in sites.iter().enumerate() {
            assert!(seen.insert(&s.id, i).is_none(), "duplicate id {}", s.id);
            assert_eq!(s.line, 0);
            assert!(s.parent.is_none());
            if !s.parent_id.is_empty() {
                let p = seen.get(s.parent_id.as_str());
                assert!(
                    p.is_some_and(|&p| p < i),
                    "{} names {} that is not earlier",
                    s.id,
                    s.parent_id
                );
            }
        }
        let (inv, problems) = Inventory::link(sites.to_vec());
        assert!(problems.is_empty(), "link problems: {problems:?}");
        let (_, clamped) = own_population(&inv);
        assert!(clamped.is_empty(), "own population clamps at {clamped:?}");
    }

    /// FNV-1a over every field, to pin the output.
    fn fingerprint(sites: &[Site]) -> u64 {
        let mut h = 0xcbf2_9ce4_8422_2325u64;
        let mut eat = |bytes: &[u8]| {
            for &b in bytes {
                h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
            }
            h = (h ^ 0xff).wrapping_mul(0x0100_0000_01b3);
        };
        for s in sites {
            eat(s.id.as_bytes());
            eat(s.name.as_bytes());
            eat(s.url.as_bytes());
            eat(&[s.level.number(), s.kind as u8]);
            eat(s.parent_id.as_bytes());
            eat(s.region.as_bytes());
            eat(&s.budget.to_f64().to_bits().to_le_bytes());
            eat(&rust_decimal::prelude::ToPrimitive::to_f64(&s.staff)
                .unwrap_or(0.0)
                .to_bits()
                .to_le_bytes());
            eat(&s.population.to_le_bytes());
            eat(&s.monthly_visits.map_or(u64::MAX, |v| v).to_le_bytes());
            eat(&s.online_services.to_le_bytes());
            eat(&s
                .inspection_score
                .map_or(u64::MAX, f64::to_bits)
                .to_le_bytes());
            eat(&[s.inspection_passed.map_or(2, u8::from)]);
            eat(&s.reprint_hours.map_or(u64::MAX, f64::to_bits).to_le_bytes());
        }
        h
    }

    #[test]
    fn tables_have_no_duplicates() {
        let first: Vec<char> = FIRST_CHARS.chars().collect();
        let last: Vec<char> = LAST_CHARS.chars().collect();
        assert_eq!(first.iter().collect::<HashSet<_>>().len(), first.len());
        assert_eq!(last.iter().collect::<HashSet<_>>().len(), last.len());
        assert!(first.len() < 256 && last.len() < 256);
        let stems: HashSet<_> = DEPTS.iter().map(|d| d.0).collect();
        let abbrs: HashSet<_> = DEPTS.iter().map(|d| d.3).collect();
        assert_eq!(stems.len(), DEPTS.len());
        assert_eq!(abbrs.len(), DEPTS.len());
        assert!(DEPTS.len() >= MAX_PROVINCE_DEPTS && DEPTS.len() < 256);
        let names: HashSet<_> = MINISTRIES.iter().map(|m| m.0).collect();
        let labels: HashSet<_> = MINISTRIES.iter().map(|m| m.1).collect();
        assert_eq!(names.len(), 60);
        assert_eq!(labels.len(), 60);
    }

    #[test]
    fn splitmix64_matches_the_reference() {
        // First outputs of splitmix64.c seeded with 1234567.
        let mut r = SplitMix64::new(1234567);
        assert_eq!(r.next_u64(), 6457827717110365317);
        assert_eq!(r.next_u64(), 3203168211198807973);
        assert_eq!(r.next_u64(), 9817491932198370423);
    }

    #[test]
    fn deterministic_and_seed_dependent() {
        let a = generate(3000, 7);
        assert_eq!(a, generate(3000, 7));
        let b = generate(3000, 8);
        assert_ne!(a, b);
        assert_ne!(fingerprint(&a), fingerprint(&b));
    }

    #[test]
    fn output_is_pinned() {
        // Changing this breaks the promise that (n, seed) gives the same
        // sites forever; do it only on purpose.
        assert_eq!(fingerprint(&generate(500, 1)), 2626200190735479151);
        assert_eq!(fingerprint(&generate(6100, 1)), 16118709214349153937);
    }

    #[test]
    fn about_n_sites_with_valid_links() {
        for n in [50, 3000, 20000] {
            let sites = generate(n, 42);
            let len = sites.len() as f64;
            assert!(
                (len - n as f64).abs() <= 0.1 * n as f64,
                "{n} asked, {len} made"
            );
            check_links(&sites);
        }
    }

    #[test]
    fn tiny_and_odd_sizes_link_cleanly() {
        assert!(generate(0, 1).is_empty());
        for n in (1..=40).chain([99, 250, 999, 5999, 6000, 6001, 6100, 9000]) {
            let sites = generate(n, n as u64);
            assert_eq!(sites.len(), n);
            check_links(&sites);
            assert_eq!(sites.iter().filter(|s| s.parent_id.is_empty()).count(), 1);
        }
        let one = generate(1, 3);
        assert_eq!(one[0].level, Level::Province);
        // The smallest provinces are a chain of portals.
        let three = generate(3, 3);
        let levels: Vec<(Level, Kind)> = three.iter().map(|s| (s.level, s.kind)).collect();
        assert_eq!(
            levels,
            [
                (Level::Province, Kind::Portal),
                (Level::Prefecture, Kind::Portal),
                (Level::County, Kind::Portal)
            ]
        );
        let ten = generate(10, 3);
        assert!(ten.iter().any(|s| s.level == Level::Township));
    }

    #[test]
    fn sample_province_shape_and_figures() {
        let sites = generate(3000, 1);
        assert_eq!(count(&sites, Level::National, Kind::Portal), 0);
        assert_eq!(count(&sites, Level::Province, Kind::Portal), 1);
        assert!((25..=35).contains(&count(&sites, Level::Province, Kind::Department)));
        assert_eq!(count(&sites, Level::Prefecture, Kind::Portal), 16);
        let pd = count(&sites, Level::Prefecture, Kind::Department);
        assert!((16 * 6..=16 * 12).contains(&pd), "{pd}");
        let cp = count(&sites, Level::County, Kind::Portal);
        assert!((100..=120).contains(&cp), "{cp}");
        let cd = count(&sites, Level::County, Kind::Department);
        assert!((cp * 3..=cp * 8).contains(&cd), "{cd}");
        let tw = count(&sites, Level::Township, Kind::Portal);
        assert!((1500..=2300).contains(&tw), "{tw}");
        assert_eq!(count(&sites, Level::Township, Kind::Department), 0);

        // Names are unique.
        let names: HashSet<&str> = sites.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names.len(), sites.len());
        assert!(sites[0].name.ends_with("省人民政府"));

        // Pass share about 85%, failures concentrated below.
        let passing = sites.iter().filter(|s| s.passes(60.0)).count();
        let share = passing as f64 / sites.len() as f64;
        assert!((0.80..=0.90).contains(&share), "pass share {share}");
        let fail_rate = |level: Level, kind: Kind| {
            let of: Vec<&Site> = sites
                .iter()
                .filter(|s| s.level == level && s.kind == kind)
                .collect();
            of.iter().filter(|s| !s.passes(60.0)).count() as f64 / of.len() as f64
        };
        assert!(fail_rate(Level::Township, Kind::Portal) > 0.15);
        assert!(fail_rate(Level::Prefecture, Kind::Department) < 0.10);

        // Township budgets.
        let towns: Vec<&Site> = sites
            .iter()
            .filter(|s| s.level == Level::Township)
            .collect();
        let poor = towns
            .iter()
            .filter(|s| s.budget < Money::yuan(20_000))
            .count() as f64;
        let poor_share = poor / towns.len() as f64;
        assert!((0.2..=0.4).contains(&poor_share), "{poor_share}");
        assert!(
            towns
                .iter()
                .all(|s| (Money::yuan(8_000)..=Money::yuan(80_000)).contains(&s.budget))
        );

        // Province population and per-site figures.
        assert!((40_000_000..=70_000_000).contains(&sites[0].population));
        let mut both = 0;
        let mut veto = 0;
        for s in &sites {
            // Whole hundreds of yuan, whole or half staff members.
            assert_eq!(s.budget.decimal() % Decimal::from(100), Decimal::ZERO);
            assert!(s.staff >= Decimal::new(5, 1));
            assert!((s.staff * Decimal::TWO).fract().is_zero());
            assert!(s.inspection_score.is_some() || s.inspection_passed.is_some());
            if let Some(x) = s.inspection_score {
                assert!((0.0..=100.0).contains(&x));
                assert_eq!(one_decimal(x), x);
            }
            if let (Some(x), Some(p)) = (s.inspection_score, s.inspection_passed) {
                both += 1;
                if x < 60.0 {
                    assert!(!p);
                } else if !p {
                    veto += 1;
                }
            }
            if let Some(h) = s.reprint_hours {
                assert!((0.5..=72.0).contains(&h));
            }
        }
        let both_share = both as f64 / sites.len() as f64;
        assert!((0.65..=0.75).contains(&both_share), "{both_share}");
        let veto_share = veto as f64 / both as f64;
        assert!((0.005..=0.04).contains(&veto_share), "{veto_share}");
        let reprints: Vec<f64> = sites.iter().filter_map(|s| s.reprint_hours).collect();
        let fast = reprints.iter().filter(|&&h| h <= 24.0).count() as f64;
        assert!(fast / reprints.len() as f64 > 0.8);
        let missing = sites.iter().filter(|s| s.monthly_visits.is_none()).count() as f64;
        assert!((0.02..=0.08).contains(&(missing / sites.len() as f64)));
    }

    #[test]
    fn several_provinces_above_the_threshold() {
        let sites = generate(20000, 5);
        assert_eq!(sites.len(), 20000);
        assert_eq!(sites[0].id, NATIONAL_ID);
        assert_eq!(count(&sites, Level::National, Kind::Department), 60);
        let provinces: Vec<&Site> = sites
            .iter()
            .filter(|s| s.level == Level::Province && s.kind == Kind::Portal)
            .collect();
        assert_eq!(provinces.len(), 7);
        assert!(provinces.iter().all(|p| p.parent_id == NATIONAL_ID));
        let sum: u64 = provinces.iter().map(|p| p.population).sum();
        assert!(sum < sites[0].population);
        let names: HashSet<&str> = sites.iter().map(|s| s.name.as_str()).collect();
        assert!(names.len() as f64 > 0.97 * sites.len() as f64);
    }

    #[test]
    #[ignore = "timing; run with --release -- --ignored --nocapture"]
    fn one_million_sites_quickly() {
        let start = std::time::Instant::now();
        let sites = generate(1_000_000, 1);
        let took = start.elapsed();
        eprintln!("generate(1_000_000, 1): {} sites in {took:?}", sites.len());
        assert_eq!(sites.len(), 1_000_000);
        let ids: HashSet<&str> = sites.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids.len(), sites.len());
        let (inv, problems) = Inventory::link(sites);
        assert!(problems.is_empty());
        assert!(own_population(&inv).1.is_empty());
    }
}
