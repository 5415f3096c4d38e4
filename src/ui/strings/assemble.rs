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
        Adding => ("正在加入清单", "Adding to the inventory"),
        CancelAdding => ("取消加入", "Cancel adding"),
        Changed => (
            "读取 {} 期间清单已有改动，未加入；请重新加入该文件",
            "The inventory changed while {} was read: nothing was added; add the file again"
        ),
        More => ("另有 {} 个冲突按上方的全部规则处理", "{} more conflict(s) follow the rule for all above"),
        ColSiteId => ("网站标识码", "Site ID"),
        ColName => ("网站名称", "Name"),
        ColUrl => ("网址", "URL"),
        ColLevel => ("层级", "Level"),
        ColKind => ("类型", "Kind"),
        ColParentId => ("上级网站标识码", "Parent site ID"),
        ColRegion => ("地区", "Region"),
        ColAnnualBudget => ("年度预算（元）", "Annual budget (yuan)"),
        ColStaff => ("人员数", "Staff"),
        ColPopulation => ("服务人口", "Population served"),
        ColMonthlyVisits => ("月访问量", "Monthly visits"),
        ColOnlineServices => ("在线服务事项", "Online services"),
        ColInspectionScore => ("检查得分", "Inspection score"),
        ColInspectionPassed => ("检查结果", "Inspection result"),
        ColReprintHours => ("转载时效（小时）", "Reprint time (hours)"),
    }
}

impl AssembleStr {
    /// The name of an inventory field, as the conflicts dialog lists the
    /// fields that differ.
    pub fn column(c: crate::inventory::Column) -> AssembleStr {
        use crate::inventory::Column;
        match c {
            Column::SiteId => AssembleStr::ColSiteId,
            Column::Name => AssembleStr::ColName,
            Column::Url => AssembleStr::ColUrl,
            Column::Level => AssembleStr::ColLevel,
            Column::Kind => AssembleStr::ColKind,
            Column::ParentId => AssembleStr::ColParentId,
            Column::Region => AssembleStr::ColRegion,
            Column::AnnualBudget => AssembleStr::ColAnnualBudget,
            Column::Staff => AssembleStr::ColStaff,
            Column::Population => AssembleStr::ColPopulation,
            Column::MonthlyVisits => AssembleStr::ColMonthlyVisits,
            Column::OnlineServices => AssembleStr::ColOnlineServices,
            Column::InspectionScore => AssembleStr::ColInspectionScore,
            Column::InspectionPassed => AssembleStr::ColInspectionPassed,
            Column::ReprintHours => AssembleStr::ColReprintHours,
        }
    }
}
