//! Strings of the params panel.

strings! {
    /// Params panel strings.
    ParamsStr {
        Intro => (
            "这些参数决定方案的成本与效果。拖动数值或单击后直接输入；一次拖动或输入可一步撤销。",
            "These parameters set the plan's costs and effects. Drag a value, or click it and type; one drag or one entry is one undo step."
        ),
        Parameter => ("参数", "Parameter"),
        Value => ("数值", "Value"),
        Unit => ("单位", "Unit"),
        Default => ("默认值", "Default"),
        Changed => ("已修改", "changed"),
        NoLimitHelp => (
            "勾选后不限制一个承接网站并入的网站数。",
            "When ticked, a receiving site may absorb any number of sites."
        ),
    }
}
