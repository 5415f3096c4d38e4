//! Strings of the rules panel.

strings! {
    /// Rules panel strings.
    RulesStr {
        Intro => (
            "规则按顺序逐条尝试，第一条匹配网站的规则决定该网站保留还是合并；合并的网站并入最近的保留上级。",
            "Rules are tried in order; the first that matches a site decides whether it is kept or merged. A merged site folds into its nearest kept ancestor."
        ),
        Conditions => ("条件（全部满足才匹配）：", "Conditions (all must hold):"),
        NewRuleName => ("新规则", "New rule"),
        NewRuleHint => (
            "新规则默认停用：先设置条件，再勾选“启用”。",
            "A new rule starts switched off: set its conditions, then tick Enabled."
        ),
        Disabled => ("已停用", "switched off"),
        MergesEverySite => (
            "注意：此规则没有任何条件，会合并所有非顶层网站。",
            "Careful: this rule has no conditions and merges every site that is not a top site."
        ),
        MatchesNothing => (
            "层级或类型一项都没有勾选，此规则不会匹配任何网站。",
            "No level or no kind is ticked: this rule matches no site."
        ),
        MergedTotal => ("合并网站", "Sites merged"),
        MergedByRule => ("由规则合并", "merged by rules"),
        ManualCount => ("人工决定", "manual decisions"),
        Saved => ("规则已保存到", "Rules saved to"),
        SaveFailed => ("无法保存规则文件", "Could not save the rules file"),
        LoadFailed => ("无法读取规则文件", "Could not read the rules file"),
        Loaded => ("已载入规则文件", "Rules loaded from"),
        FileFilter => ("规则文件", "Rules file"),
        DefaultFileName => ("规则.toml", "rules.toml"),
    }
}
