//! Every user action, listed once: its label in both languages, tooltip and
//! shortcut. Menus, toolbar and keyboard handling all read this list.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::i18n::Lang;

/// A user action that is not tied to one widget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Open an inventory.
    Open,
    /// Reopen the bundled sample.
    OpenSample,
    /// Save the project.
    SaveProject,
    /// Save the project under a new name.
    SaveProjectAs,
    /// Export the per-site plan as CSV.
    ExportPlanCsv,
    /// Export the plan workbook (XLSX).
    ExportPlanXlsx,
    /// Export the report (DOCX).
    ExportReport,
    /// Add another inventory file (a prefecture's return) to the open
    /// inventory.
    AddInventoryFile,
    /// Map the current inventory file's columns and values again.
    MapColumns,
    /// See, edit and delete the remembered column mappings.
    RememberedMappings,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Select every site shown in the table.
    SelectAll,
    /// Clear the selection.
    SelectNone,
    /// Merge the selected sites into their parents.
    MergeSelected,
    /// Keep the selected sites.
    KeepSelected,
    /// Clear the manual decisions of the selected sites.
    ClearSelected,
    /// Switch to Chinese.
    LangZh,
    /// Switch to English.
    LangEn,
    /// Show the inventory table.
    ShowInventory,
    /// Show the rules editor.
    ShowRules,
    /// Show the parameters.
    ShowParams,
    /// Show the import report.
    ShowReport,
    /// Quit.
    Quit,
}

impl Action {
    /// Every action, in menu order.
    pub const ALL: &'static [Action] = &[
        Action::Open,
        Action::OpenSample,
        Action::SaveProject,
        Action::SaveProjectAs,
        Action::ExportPlanCsv,
        Action::ExportPlanXlsx,
        Action::ExportReport,
        Action::AddInventoryFile,
        Action::MapColumns,
        Action::RememberedMappings,
        Action::Undo,
        Action::Redo,
        Action::SelectAll,
        Action::SelectNone,
        Action::MergeSelected,
        Action::KeepSelected,
        Action::ClearSelected,
        Action::LangZh,
        Action::LangEn,
        Action::ShowInventory,
        Action::ShowRules,
        Action::ShowParams,
        Action::ShowReport,
        Action::Quit,
    ];

    /// The menu label.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Action::Open => lang.pick("打开清单…", "Open inventory…"),
            Action::OpenSample => lang.pick("打开示例数据", "Open the sample"),
            Action::SaveProject => lang.pick("保存项目", "Save project"),
            Action::SaveProjectAs => lang.pick("项目另存为…", "Save project as…"),
            Action::ExportPlanCsv => lang.pick("导出方案（CSV）…", "Export plan (CSV)…"),
            Action::ExportPlanXlsx => {
                lang.pick("导出方案工作簿（Excel）…", "Export plan workbook (Excel)…")
            }
            Action::ExportReport => lang.pick("导出方案报告（Word）…", "Export report (DOCX)…"),
            Action::AddInventoryFile => lang.pick("向清单添加文件…", "Add file to inventory…"),
            Action::MapColumns => lang.pick(
                "本文件的列映射与取值映射…",
                "Map this file's columns and values…",
            ),
            Action::RememberedMappings => {
                lang.pick("已记住的列映射…", "Remembered column mappings…")
            }
            Action::Undo => lang.pick("撤销", "Undo"),
            Action::Redo => lang.pick("重做", "Redo"),
            Action::SelectAll => lang.pick("全选显示的网站", "Select all shown"),
            Action::SelectNone => lang.pick("取消选择", "Select none"),
            Action::MergeSelected => lang.pick("所选网站并入上级", "Merge selection into parents"),
            Action::KeepSelected => lang.pick("保留所选网站", "Keep selection"),
            Action::ClearSelected => lang.pick(
                "清除所选网站的人工决定",
                "Clear manual decisions of selection",
            ),
            Action::LangZh => "简体中文",
            Action::LangEn => "English",
            Action::ShowInventory => lang.pick("网站清单", "Inventory"),
            Action::ShowRules => lang.pick("规则", "Rules"),
            Action::ShowParams => lang.pick("参数", "Parameters"),
            Action::ShowReport => lang.pick("导入报告", "Import report"),
            Action::Quit => lang.pick("退出", "Quit"),
        }
    }

    /// What the action does.
    pub fn tooltip(self, lang: Lang) -> &'static str {
        match self {
            Action::Open => lang.pick(
                "打开 CSV 或 Excel 网站清单（也可把文件拖到窗口上）",
                "Open a CSV or Excel inventory (or drop a file on the window)",
            ),
            Action::OpenSample => lang.pick(
                "重新打开内置的示例省份",
                "Reopen the bundled sample province",
            ),
            Action::SaveProject => lang.pick(
                "把清单、决定、规则、参数和情景保存为 .sitefold 项目文件",
                "Save the inventory, decisions, rules, parameters and scenarios as a .sitefold project",
            ),
            Action::SaveProjectAs => lang.pick("以新文件名保存项目", "Save the project under a new name"),
            Action::ExportPlanXlsx => lang.pick(
                "写出含方案、汇总、分层级、按地区、承接网站、规则参数和导入问题的 Excel 工作簿",
                "Write an Excel workbook: plan, summary, by level, by area, targets, rules and parameters, import issues",
            ),
            Action::ExportPlanCsv => lang.pick(
                "把逐站方案写成 Excel 可直接打开的 CSV",
                "Write the per-site plan as an Excel-friendly CSV",
            ),
            Action::ExportReport => lang.pick(
                "写出公文格式的 Word 方案报告：测算结果、规则和参数、分层级和分地区表格、图表、关停网站清单",
                "Write the report as a Word document: the outcome, rules and parameters, tables by level and by prefecture, charts, and every site to close",
            ),
            Action::AddInventoryFile => lang.pick(
                "把另一个清单文件（如某地市报回的清单）的网站加入当前清单：上级可在另一个文件中，同一网站在两个文件中时逐字段列出供选择",
                "Add the sites of another inventory file (a prefecture's return) to this inventory: parents may be in another file, and a site in two files is shown field by field for you to choose",
            ),
            Action::MapColumns => lang.pick(
                "重新指定当前清单文件各列及其取值的含义（如 State 为省级），预览后重新导入",
                "Say again what the current inventory file's columns and values mean (State is a province…), preview, and import it again",
            ),
            Action::RememberedMappings => lang.pick(
                "查看、编辑或删除按表头记住的列映射和取值映射",
                "See, edit or delete the column and value mappings remembered per set of headers",
            ),
            Action::Undo => lang.pick("撤销上一次修改", "Undo the last edit"),
            Action::Redo => lang.pick("重做刚撤销的修改", "Redo the edit just undone"),
            Action::SelectAll => lang.pick(
                "选择表格中当前显示的全部网站",
                "Select every site the table shows",
            ),
            Action::SelectNone => lang.pick("取消所有选择", "Clear the selection"),
            Action::MergeSelected => lang.pick(
                "把所选网站并入各自的上级网站（人工决定）",
                "Merge each selected site into its parent (manual decision)",
            ),
            Action::KeepSelected => lang.pick(
                "人工决定保留所选网站",
                "Keep the selected sites (manual decision)",
            ),
            Action::ClearSelected => lang.pick(
                "删除所选网站的人工决定，改由规则或默认决定",
                "Remove the manual decisions; rules or the default decide again",
            ),
            Action::LangZh => "切换为简体中文界面",
            Action::LangEn => "Switch the interface to English",
            Action::ShowInventory => lang.pick("显示网站清单表格", "Show the inventory table"),
            Action::ShowRules => lang.pick("编辑合并规则", "Edit the merge rules"),
            Action::ShowParams => lang.pick("编辑模型参数", "Edit the model's parameters"),
            Action::ShowReport => lang.pick("查看导入时发现的问题", "See what the import found"),
            Action::Quit => lang.pick("关闭 Sitefold", "Close Sitefold"),
        }
    }

    /// The keyboard shortcut, if any.
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let cmd = Modifiers::COMMAND;
        let k = |m, key| Some(KeyboardShortcut::new(m, key));
        match self {
            Action::Open => k(cmd, Key::O),
            Action::SaveProject => k(cmd, Key::S),
            Action::SaveProjectAs => k(cmd.plus(Modifiers::SHIFT), Key::S),
            Action::ExportPlanCsv => k(cmd.plus(Modifiers::SHIFT), Key::E),
            Action::ExportPlanXlsx => k(cmd, Key::E),
            Action::ExportReport => k(cmd, Key::R),
            Action::Undo => k(cmd, Key::Z),
            Action::Redo => k(cmd, Key::Y),
            Action::SelectAll => k(cmd, Key::A),
            Action::SelectNone => k(Modifiers::NONE, Key::Escape),
            Action::MergeSelected => k(cmd, Key::M),
            Action::KeepSelected => k(cmd, Key::K),
            Action::ShowInventory => k(cmd, Key::Num1),
            Action::ShowRules => k(cmd, Key::Num2),
            Action::ShowParams => k(cmd, Key::Num3),
            Action::ShowReport => k(cmd, Key::Num4),
            Action::Quit => k(cmd, Key::Q),
            _ => None,
        }
    }

    /// The shortcut as menus show it on the platform `ctx` runs on: `⌘O`
    /// on macOS, `Ctrl+O` on Windows and Linux.
    pub fn shortcut_label(self, ctx: &egui::Context) -> Option<String> {
        self.shortcut().map(|sc| ctx.format_shortcut(&sc))
    }

    /// True for the actions whose shortcut a text field uses itself
    /// (Ctrl+Z, Ctrl+Y, Ctrl+A, Esc): while one has the focus, the field
    /// gets them.
    pub fn text_editing_needs_it(self) -> bool {
        matches!(
            self,
            Action::Undo | Action::Redo | Action::SelectAll | Action::SelectNone
        )
    }

    /// Other shortcuts for the same action (Ctrl+Shift+Z also redoes).
    pub fn alternate_shortcuts(self) -> &'static [KeyboardShortcut] {
        const REDO: [KeyboardShortcut; 1] = [KeyboardShortcut::new(
            Modifiers::COMMAND.plus(Modifiers::SHIFT),
            Key::Z,
        )];
        match self {
            Action::Redo => &REDO,
            _ => &[],
        }
    }
}
