//! Strings of adding a file to the inventory and of the conflicts dialog
//! (issue #16: several files into one inventory).

strings! {
    /// Adding files and resolving conflicts.
    AssembleStr {
        Title => ("网站标识码冲突", "Sites in more than one file"),
        Help => (
            "以下网站在多个文件中都有。请逐个选择保留哪一行，或对全部冲突使用同一规则；未采用的行会在其文件的导入报告中列出。",
            "These sites are in more than one file. Choose the row to keep for each, or one rule for all; every row left out is listed in its file's import report."
        ),
        ForAll => ("全部冲突：", "For all:"),
        KeepFirst => ("保留先有的", "Keep the first"),
        KeepLast => ("保留新加的", "Keep the last"),
        KeepNewer => ("保留检查较新的", "Keep the newer inspection"),
        NewerTip => (
            "有检查结果或得分的行优先；都有或都没有时，取后加入的文件中的行",
            "A row with an inspection result or score over one without; between two with one, or two without, the later file's"
        ),
        Field => ("字段", "Field"),
        Keep => ("保留", "Keep"),
        Same => ("各行内容相同", "The rows are the same"),
        Line => ("第 {} 行", "line {}"),
        Add => ("加入清单", "Add to the inventory"),
        Cancel => ("取消", "Cancel"),
        Added => (
            "已向清单添加 {file}：采用 {given} 个网站，{conflicts} 个冲突；各文件的问题见“导入报告”",
            "Added {file}: {given} sites given, {conflicts} conflict(s); each file's problems are in the Import report"
        ),
        Files => ("文件", "Files"),
        InventoryFiles => ("清单文件（CSV 或 Excel）", "Inventory files (CSV or Excel)"),
        SitesGiven => ("采用 {} 个网站", "{} sites given"),
    }
}
