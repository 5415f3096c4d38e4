//! The examples `--help` shows after each command's options, in the
//! planner's words, in Chinese (with Chinese file names) and in English.
//! `tests/cli.rs` runs every one of them.

use crate::i18n::Lang;

/// One example command line.
#[derive(Clone, Copy, Debug)]
pub struct Example {
    /// The command it shows (`summary`, `project new`); empty for
    /// `sitefold FILE`.
    pub command: &'static str,
    /// What it does, in Chinese.
    pub zh: &'static str,
    /// What it does, in English.
    pub en: &'static str,
    /// The words after `sitefold`, with Chinese file names.
    pub words_zh: &'static str,
    /// The words after `sitefold`, with English file names.
    pub words_en: &'static str,
}

impl Example {
    /// What it does, in `lang`.
    pub fn what(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }

    /// The words after `sitefold`, in `lang`.
    pub fn words(&self, lang: Lang) -> &'static str {
        lang.pick(self.words_zh, self.words_en)
    }
}

const fn ex(
    command: &'static str,
    zh: &'static str,
    en: &'static str,
    words_zh: &'static str,
    words_en: &'static str,
) -> Example {
    Example {
        command,
        zh,
        en,
        words_zh,
        words_en,
    }
}

/// Every example, by command. The inputs they name: the inventory
/// (`清单.csv`, `inventory.csv`), rules (`规则.toml`, `rules.toml`),
/// parameters (`参数.toml`, `params.toml`), manual decisions (`决定.csv`,
/// `decisions.csv`) and a project (`工作.sitefold`, `work.sitefold`).
pub const EXAMPLES: &[Example] = &[
    ex(
        "",
        "在应用中打开清单或项目",
        "Open an inventory or a project in the app",
        "清单.csv",
        "inventory.csv",
    ),
    ex(
        "",
        "打开项目，界面用英文",
        "Open a project, in English",
        "工作.sitefold --lang en",
        "work.sitefold --lang en",
    ),
    ex(
        "gui",
        "在应用中打开项目（与 sitefold 工作.sitefold 相同）",
        "Open a project in the app (the same as sitefold work.sitefold)",
        "gui 工作.sitefold",
        "gui work.sitefold",
    ),
    ex(
        "summary",
        "按规则测算：关停多少网站，节约多少，覆盖率和合格率如何变化",
        "What the rules do: sites closed, savings, coverage and pass rate",
        "summary 清单.csv --rules 规则.toml",
        "summary inventory.csv --rules rules.toml",
    ),
    ex(
        "summary",
        "手动决定加参数，输出 JSON 供其他程序读取",
        "Manual decisions and parameters, as JSON for other programs",
        "summary 清单.csv --plan 决定.csv --params 参数.toml --json",
        "summary inventory.csv --plan decisions.csv --params params.toml --json",
    ),
    ex(
        "summary",
        "按地市、区县小计，写成 Excel 能打开的 CSV",
        "Subtotals per prefecture and county, as a CSV file for Excel",
        "summary 清单.csv --rules 规则.toml --by-area --out 汇总.csv",
        "summary inventory.csv --rules rules.toml --by-area --out summary.csv",
    ),
    ex(
        "summary",
        "已保存的项目",
        "A saved project",
        "summary 工作.sitefold",
        "summary work.sitefold",
    ),
    ex(
        "validate",
        "检查清单：列出每个未导入的行、错误单元格和警告，带行号和列号",
        "Check an inventory: every rejected row, bad cell and warning, with line and column",
        "validate 清单.csv",
        "validate inventory.csv",
    ),
    ex(
        "validate",
        "把问题写成表格，发回填报单位修改",
        "Write the issues as a table, to send back to whoever filled in the inventory",
        "validate 清单.csv --out 问题.csv",
        "validate inventory.csv --out issues.csv",
    ),
    ex(
        "plan",
        "逐个网站的方案（CSV，可用 --plan 读回）",
        "The decision for every site (CSV; it reads back with --plan)",
        "plan 清单.csv --rules 规则.toml --out 方案.csv",
        "plan inventory.csv --rules rules.toml --out plan.csv",
    ),
    ex(
        "plan",
        "Excel 工作簿：方案、汇总和图表、按层级、按地区、接收网站、规则和参数、导入问题",
        "An Excel workbook: plan, summary with charts, by level, by area, receiving sites, rules and parameters, import issues",
        "plan 清单.csv --rules 规则.toml --out 方案.xlsx",
        "plan inventory.csv --rules rules.toml --out plan.xlsx",
    ),
    ex(
        "plan",
        "存为项目，在应用中继续",
        "Save it as a project, to carry on in the app",
        "plan 清单.csv --rules 规则.toml --out 方案.sitefold",
        "plan inventory.csv --rules rules.toml --out plan.sitefold",
    ),
    ex(
        "report",
        "方案报告（Word 文档，公文格式）：测算结果、规则和参数、分层级和分地区表格、图表、关停网站清单",
        "The report as a Word document: the outcome, rules and parameters, tables by level and by prefecture, charts, the sites to close",
        "report 清单.csv --rules 规则.toml --out 方案.docx",
        "report inventory.csv --rules rules.toml --out report.docx",
    ),
    ex(
        "report",
        "已保存项目的英文报告",
        "A saved project's report, in English",
        "report 工作.sitefold --out 报告.docx --lang en",
        "report work.sitefold --out report-en.docx --lang en",
    ),
    ex(
        "chart",
        "各层级的成本（PNG 图片）",
        "Cost by level, as a PNG picture",
        "chart 清单.csv --rules 规则.toml --kind cost-by-level --out 成本.png",
        "chart inventory.csv --rules rules.toml --kind cost-by-level --out cost.png",
    ),
    ex(
        "chart",
        "接收网站的负荷（SVG 图片，1200×800）",
        "The load on receiving sites, as an SVG picture of 1200×800",
        "chart 清单.csv --rules 规则.toml --kind target-load --size 1200x800 --out 负荷.svg",
        "chart inventory.csv --rules rules.toml --kind target-load --size 1200x800 --out load.svg",
    ),
    ex(
        "optimize",
        "节约最多且覆盖率不低于现状的方案，附每项合并的理由",
        "The plan that saves most while keeping today's coverage, with each merge's reason",
        "optimize 清单.csv --coverage-floor current --out 最优.csv",
        "optimize inventory.csv --coverage-floor current --out best.csv",
    ),
    ex(
        "optimize",
        "覆盖率不低于 90%，手动决定不变，结果存为项目",
        "Coverage at least 90%, manual decisions kept as they are, the result as a project",
        "optimize 清单.csv --plan 决定.csv --coverage-floor 90% --out 最优.sitefold",
        "optimize inventory.csv --plan decisions.csv --coverage-floor 90% --out best.sitefold",
    ),
    ex(
        "frontier",
        "节约与覆盖率的取舍：10 个覆盖率下限各自的最优方案",
        "The savings–coverage trade-off: the best plan at each of 10 coverage floors",
        "frontier 清单.csv --points 10 --out 前沿.csv",
        "frontier inventory.csv --points 10 --out frontier.csv",
    ),
    ex(
        "schedule",
        "排定关停季度：从 2027 年第一季度起，每季度最多关停 20 个网站，测算 5 年的现金流和回收季度",
        "Schedule the closures from 2027Q1, at most 20 a quarter: the cash flow over 5 years and the payback quarter",
        "schedule 清单.csv --rules 规则.toml --start 2027Q1 --max-closures-per-quarter 20",
        "schedule inventory.csv --rules rules.toml --start 2027Q1 --max-closures-per-quarter 20",
    ),
    ex(
        "schedule",
        "每年一次性支出不超过 50 万元、每个承接网站每季度最多并入 3 个；时间表写成 CSV，可修改后用 --schedule 读回",
        "At most 500,000 yuan of one-time spending a year and 3 closures into one site a quarter; the schedule as CSV, to edit and read back with --schedule",
        "schedule 清单.csv --rules 规则.toml --start 2027Q1 --max-one-time-per-year 50万 --max-closures-per-target-per-quarter 3 --out 时间表.csv",
        "schedule inventory.csv --rules rules.toml --start 2027Q1 --max-one-time-per-year 500000 --max-closures-per-target-per-quarter 3 --out schedule.csv",
    ),
    ex(
        "schedule",
        "按修改过的时间表测算（其余合并网站自动排期），输出 JSON",
        "The cash flow of an edited schedule (the other merged sites scheduled), as JSON",
        "schedule 清单.csv --rules 规则.toml --start 2027Q1 --schedule 时间表.csv --json",
        "schedule inventory.csv --rules rules.toml --start 2027Q1 --schedule schedule.csv --json",
    ),
    ex(
        "schedule",
        "项目的方案连同时间表和现金流写成 Excel 工作簿（多出“时间表”和“现金流”两张工作表）",
        "A project's plan with its schedule and cash flow as an Excel workbook (with Schedule and Cash flow sheets)",
        "schedule 工作.sitefold --start 2027Q1 --horizon 3 --out 时间表.xlsx",
        "schedule work.sitefold --start 2027Q1 --horizon 3 --out schedule.xlsx",
    ),
    ex(
        "redirects",
        "关停网站的跳转表（nginx）：原网址跳转到承接网站（合并链一直追到保留的网站）；文件开头写明用法和无法跳转的网站",
        "The closing sites' redirect map for nginx: each old address to its receiving site (chains of merges followed to the kept site); the file starts with how to use it and the sites left out",
        "redirects 清单.csv --rules 规则.toml --out 跳转.conf",
        "redirects inventory.csv --rules rules.toml --out redirects.conf",
    ),
    ex(
        "redirects",
        "跳转到承接网站的“原网站”专栏，写成 Apache RewriteMap",
        "To an archive column of the receiving site, as an Apache RewriteMap",
        "redirects 工作.sitefold --pattern {target_url}/ywz/{site_id} --out 跳转.txt",
        "redirects work.sitefold --pattern {target_url}/archive/{site_id} --out redirects.txt",
    ),
    ex(
        "redirects",
        "跳转表写成 Excel 能打开的 CSV：每个关停网站的原网址、新网址和关停季度，以及无法跳转的原因",
        "The redirect map as a CSV table for Excel: each closing site's old and new address and quarter, and why a redirect could not be made",
        "redirects 清单.csv --rules 规则.toml --schedule 时间表.csv --out 跳转.csv",
        "redirects inventory.csv --rules rules.toml --schedule schedule.csv --out redirects.csv",
    ),
    ex(
        "notices",
        "每个关停网站一份停止运行公告的草稿（文件夹，每个网站一个 .txt 文件）；关停日期取关停季度的最后一天，未排期的留空待填",
        "A draft closure notice for every closing site (a folder, one .txt file per site); the closing date is the last day of its quarter, left blank when it has none",
        "notices 清单.csv --rules 规则.toml --schedule 时间表.csv --out 公告/",
        "notices inventory.csv --rules rules.toml --schedule schedule.csv --out notices/",
    ),
    ex(
        "notices",
        "用自己的公告模板，由一个单位统一发布，写成 Excel 工作簿（“公告”工作表）",
        "With your own template, all published by one office, as an Excel workbook (the Notices sheet)",
        "notices 工作.sitefold --template 公告模板.txt --publisher 通渡省人民政府办公厅 --out 公告.xlsx",
        "notices work.sitefold --template notice.txt --publisher General-Office --out notices.xlsx",
    ),
    ex(
        "generate",
        "约 10 万个网站的模拟清单（同一种子得到同一清单）",
        "A synthetic inventory of about 100,000 sites (the same seed gives the same inventory)",
        "generate --sites 100000 --seed 1 --out 模拟清单.csv",
        "generate --sites 100000 --seed 1 --out synthetic.csv",
    ),
    ex(
        "map",
        "为列名不同的文件写出映射文件（识别出的列已填好），编辑后用 --map 读取",
        "Write a mapping for a file with other headers (the columns recognised filled in); edit it, then read the file with --map",
        "map 清单.csv --out 映射.toml",
        "map inventory.csv --out mapping.toml",
    ),
    ex(
        "assemble",
        "把省直和各地市报回的清单合成一个（中英文表头、GBK 和 Excel 均可，上级可在另一个文件中）：列出每个文件采用了多少网站",
        "Put the province's own list and the prefectures' returns together (Chinese or English headers, GBK, Excel; a parent may be in another file): how many sites each file gave",
        "assemble 省直.csv 柳坪市.csv 其他地市.xlsx --out 全省清单.csv",
        "assemble province.csv liuping.csv others.xlsx --out all.csv",
    ),
    ex(
        "assemble",
        "某地市重新报送后，以新文件中的行为准（同一网站逐字段列出差异），存为保留各文件及其问题的项目",
        "A prefecture sent its return again: its new rows replace those already there (each difference listed field by field), saved as a project that keeps every file and its problems",
        "assemble 清单.csv 柳坪市.csv --on-conflict last --out 全省.sitefold",
        "assemble inventory.csv liuping.csv --on-conflict last --out all.sitefold",
    ),
    ex(
        "template",
        "空白清单（中文表头），在 Excel 中填写",
        "An empty inventory with the Chinese headers, to fill in in Excel",
        "template --out 模板.csv",
        "template --out template.csv",
    ),
    ex(
        "project new",
        "清单连同规则、手动决定和参数存为一个项目文件，在应用中打开",
        "An inventory with its rules, manual decisions and parameters, as one project file for the app",
        "project new 清单.csv --rules 规则.toml --plan 决定.csv --params 参数.toml --out 工作.sitefold",
        "project new inventory.csv --rules rules.toml --plan decisions.csv --params params.toml --out work.sitefold",
    ),
    ex(
        "project show",
        "项目里有什么：网站、决定、规则、当前方案和情景",
        "What a project holds: sites, decisions, rules, the current plan and scenarios",
        "project show 工作.sitefold",
        "project show work.sitefold",
    ),
    ex(
        "status",
        "关停进度：各层级、各地市已完成、进行中、未开始和已逾期的网站数，以及逾期网站",
        "Closure progress: sites done, in progress, not started and overdue by level and prefecture, and the overdue sites",
        "status 工作.sitefold",
        "status work.sitefold",
    ),
    ex(
        "status",
        "先检查地市报回的进度表：每一行或可记录，或列出行号、列号和原因；不保存",
        "Check a progress sheet returned by a prefecture first: each line recordable or listed with its line, column and why; nothing saved",
        "status 工作.sitefold --import 进度.csv --dry-run",
        "status work.sitefold --import progress.csv --dry-run",
    ),
    ex(
        "status",
        "记录进度表（网站标识码、状态、日期、备注，可为 Excel 工作簿）并存回项目，由张三填报",
        "Record a progress sheet (site_id, status, date, note; a workbook too) into the project, recorded by Zhang",
        "status 工作.sitefold --import 进度.csv --person 张三",
        "status work.sitefold --import progress.csv --person zhang",
    ),
    ex(
        "status",
        "手动记录一个网站的状态变更",
        "Record one site's status change by hand",
        "status 工作.sitefold --set 340101001 已下线 --date 2026-11-20 --note 已停止域名解析",
        "status work.sitefold --set 340101001 offline --date 2026-11-20",
    ),
    ex(
        "status",
        "按指定日期统计进度，并写成 CSV 表格",
        "The progress on a given day, also written as a CSV table",
        "status 工作.sitefold --today 2027-06-30 --out 进度统计.csv",
        "status work.sitefold --today 2027-06-30 --out progress-report.csv",
    ),
    ex(
        "audit",
        "一个网站的全部记录：谁在何时作出或撤销了哪项决定、排期和进度，理由是什么",
        "One site's history: who decided, scheduled or undid what, when and why",
        "audit 工作.sitefold --site 340101001",
        "audit work.sitefold --site 340101001",
    ),
    ex(
        "audit",
        "整个审计记录写成 CSV 表格（与应用中导出的相同）",
        "The whole audit trail as a CSV table (the same as the app's export)",
        "audit 工作.sitefold --out 审计记录.csv",
        "audit work.sitefold --out audit-trail.csv",
    ),
];

/// The examples of `command` (and of its own commands) as help text in
/// `lang`; for the program itself, also the exit codes. `None` when there
/// are none.
pub fn help(command: &str, lang: Lang) -> Option<String> {
    let nested = format!("{command} ");
    let mine: Vec<&Example> = EXAMPLES
        .iter()
        .filter(|e| e.command == command || (!command.is_empty() && e.command.starts_with(&nested)))
        .collect();
    if mine.is_empty() {
        return None;
    }
    let mut text = lang.pick("示例：\n", "Examples:\n").to_string();
    for e in mine {
        text.push_str(&format!(
            "  # {}\n  sitefold {}\n",
            e.what(lang),
            e.words(lang)
        ));
    }
    if command.is_empty() {
        text.push_str(lang.pick(
            "\n每个命令的示例：sitefold 命令 --help。--lang 可写在任何位置。\n\
             退出码：0 完成\n\
             \x20       1 输入有问题：有行未导入或单元格错误（输出照常写出）、检查发现问题、无可行方案\n\
             \x20       2 用法错误、文件无法读取或写入、输出文件就是输入文件（不写出任何文件）",
            "\nEach command's examples: sitefold COMMAND --help. --lang goes anywhere.\n\
             Exit codes: 0 done\n\
             \x20           1 input problems: rows not imported or bad cells (the output is still\n\
             \x20             written), validation findings, no feasible plan\n\
             \x20           2 usage errors, files that cannot be read or written, an output that\n\
             \x20             is one of the inputs (nothing is written)",
        ));
    }
    Some(text.trim_end().to_string())
}
