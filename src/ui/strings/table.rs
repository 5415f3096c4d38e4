//! Strings of the inventory table: its extra columns, the column chooser,
//! cell editing and pasting.

strings! {
    /// Inventory table strings.
    TableStr {
        ColParent => ("上级网站", "Parent"),
        ColRegion => ("地区", "Region"),
        ColUrl => ("网址", "Address"),
        ColStaff => ("人员数", "Staff"),
        ColJurisdiction => ("辖区人口", "Jurisdiction population"),
        ColVisits => ("月访问量", "Monthly visits"),
        ColServices => ("在线服务", "Online services"),
        ColResult => ("检查结果", "Inspection result"),
        ColReprint => ("转载时效（小时）", "Reprint hours"),
        Columns => ("列…", "Columns…"),
        ColumnsHint => ("标识码和名称固定在左侧，横向滚动时始终可见", "The ID and name stay on the left while the table scrolls sideways"),
        ShowAllColumns => ("显示全部列", "Show all columns"),
        DefaultColumns => ("恢复默认列", "Default columns"),
        Missing => ("缺失", "missing"),
        MissingHint => ("文件中没有此值（计算时按 0 计）", "Not in the file (counted as 0)"),
        EditHint => ("双击或按 F2 编辑；Enter 确认，Esc 取消；可从 Excel/WPS 粘贴（Ctrl+V）", "Double-click or press F2 to edit; Enter confirms, Esc cancels; paste from Excel or WPS with Ctrl+V"),
        NotEditable => ("此列由计算得出或是网站的标识，不能编辑", "This column is worked out or identifies the site; it cannot be edited"),
        CellsEdited => ("已修改网站数：", "Sites edited: "),
        PasteRefused => ("粘贴未应用：以下单元格的值无效（未修改任何数据）", "Nothing was pasted: these cells' values are not valid (no data changed)"),
        EditRefused => ("修改未应用：", "Not changed: "),
        PasteNoCell => ("请先单击要粘贴到的单元格", "Click the cell to paste into first"),
        PasteTooLarge => ("粘贴的区域超出表格：多出的行或列已忽略", "The pasted block is larger than the table: extra rows or columns were left out"),
        Copied => ("已复制行数：", "Rows copied: "),
        AndMore => ("另有", "and more:"),
    }
}
