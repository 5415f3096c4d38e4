//! Commands: what widgets ask for. Widgets push them; the app applies them
//! once per frame, in one place, recording plan edits for undo.

use std::path::PathBuf;

use crate::i18n::Lang;
use crate::inventory::Mapping;
use crate::plan::{Params, RuleSet};

use super::actions::Action;

/// Which decision to give a set of sites.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decide {
    /// Keep (manual).
    Keep,
    /// Merge into the parent (manual, explicit target).
    MergeIntoParent,
    /// Merge into this ancestor (manual, explicit target).
    MergeInto(usize),
    /// Merge each site into its nearest ancestor at this level (manual,
    /// explicit target); sites without one are left as they are.
    MergeIntoLevel(crate::inventory::Level),
    /// Merge into the nearest kept ancestor (manual, no explicit target).
    MergeNearest,
    /// Remove the manual decision.
    Clear,
}

/// How a click changes the selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectMode {
    /// Only this site.
    Replace,
    /// Add or remove this site (Ctrl).
    Toggle,
    /// Everything shown between the anchor and this site (Shift).
    Range,
}

/// The central tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Tab {
    /// The inventory table.
    #[default]
    Inventory,
    /// The rules editor.
    Rules,
    /// The parameters.
    Params,
    /// The import report.
    Report,
    /// Named scenarios and their comparison.
    Scenarios,
    /// The optimizer and the savings–coverage frontier.
    Optimize,
    /// Subtotals per prefecture and county.
    Areas,
    /// The hierarchy as nested rectangles.
    Treemap,
    /// The closure schedule and the cash flow.
    Timeline,
    /// The progress of the closures.
    Progress,
    /// Who changed what, and when.
    Audit,
    /// The inspection rounds.
    Rounds,
}

/// A change to the closure schedule or the timeline's parameters.
#[derive(Clone, Debug, PartialEq)]
pub enum ScheduleCommand {
    /// Set the closure quarter of these sites (`None`: unschedule them).
    SetQuarter {
        /// The sites.
        sites: Vec<usize>,
        /// The quarter.
        quarter: Option<crate::timeline::Quarter>,
    },
    /// Give a quarter to every merged site without one (the scheduler).
    Fill,
    /// Remove every closure quarter.
    Clear,
    /// Replace the timeline's parameters; `group` amends a running
    /// interaction.
    SetTimeline {
        /// The new parameters.
        params: crate::plan::TimelineParams,
        /// The interaction.
        group: Option<String>,
    },
}

/// A change to the list of scenarios.
#[derive(Clone, Debug, PartialEq)]
pub enum ScenarioCommand {
    /// Save the current plan as a new scenario.
    SaveCurrent(String),
    /// Overwrite a scenario with the current plan.
    Overwrite(usize),
    /// Make a scenario the current plan (one undo step).
    Load(usize),
    /// Copy a scenario.
    Duplicate(usize),
    /// Rename a scenario.
    Rename(usize, String),
    /// Delete a scenario.
    Delete(usize),
    /// Add a computed plan (optimizer, frontier point) as a scenario.
    AddPlan {
        /// Its name.
        name: String,
        /// One decision per site.
        decisions: Vec<crate::plan::Decision>,
    },
}

/// A change to the column mappings remembered per header set.
#[derive(Clone, Debug, PartialEq)]
pub enum MappingCommand {
    /// Open the mapping editor on the mapping remembered for these headers.
    Edit(Vec<String>),
    /// Remember a mapping for these headers (replacing any).
    Remember {
        /// The headers.
        header: Vec<String>,
        /// The mapping.
        mapping: Mapping,
    },
    /// Forget the mapping remembered for these headers.
    Forget(Vec<String>),
}

/// A request from a widget.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// A listed action (menu, toolbar, shortcut).
    Action(Action),
    /// Decide these sites (one undo step).
    Decide {
        /// Site indices.
        sites: Vec<usize>,
        /// The decision.
        how: Decide,
    },
    /// Replace the rules; `group` amends a running interaction.
    SetRules {
        /// The new rules.
        rules: RuleSet,
        /// Interaction key.
        group: Option<String>,
    },
    /// Replace the parameters; `group` amends a running interaction.
    SetParams {
        /// The new parameters.
        params: Params,
        /// Interaction key.
        group: Option<String>,
    },
    /// The running interaction ended (drag released, field left).
    EndInteraction,
    /// Open a file.
    Open(PathBuf),
    /// Import a file with a column mapping chosen by the planner.
    OpenWithMapping {
        /// The file.
        path: PathBuf,
        /// Column per header position, and value maps.
        mapping: Mapping,
    },
    /// Change the remembered column mappings.
    Mappings(MappingCommand),
    /// Change the selection.
    Select {
        /// The site.
        site: usize,
        /// How.
        mode: SelectMode,
    },
    /// Show only a subtree in the table (`None`: everything).
    FilterSubtree(Option<usize>),
    /// Show a tab.
    ShowTab(Tab),
    /// Switch the language.
    SetLang(Lang),
    /// Export a chart to a file the planner picks.
    ExportChart {
        /// The chart.
        kind: crate::charts::ChartKind,
        /// SVG (true) or PNG (false).
        svg: bool,
    },
    /// Change the scenarios.
    Scenario(ScenarioCommand),
    /// Run the optimizer in the background.
    Optimize(crate::optimize::Options),
    /// Compute the savings–coverage frontier in the background.
    Frontier {
        /// Options (the floor is ignored).
        options: crate::optimize::Options,
        /// Number of points.
        points: usize,
    },
    /// Make an optimizer plan (one decision per site) the current plan's
    /// optimizer layer (one undo step).
    ApplyOptimized(Vec<crate::plan::Decision>),
    /// Remove the applied optimizer plan (one undo step).
    ClearOptimized,
    /// Set the note on a site's decision (empty: remove it).
    SetNote {
        /// The site.
        site: usize,
        /// The note.
        note: String,
    },
    /// The name to record with the planner's changes (empty: the account
    /// name).
    SetPerson(String),
    /// Change the schedule (one undo step).
    Schedule(ScheduleCommand),
    /// Set the redirect pattern (`template` false) or the notice template
    /// (one undo step; empty: the default).
    SetExecutionText {
        /// The notice template (else the redirect pattern).
        template: bool,
        /// The text.
        text: String,
    },
    /// Replace the statuses a closure moves through (one undo step).
    SetWorkflow(crate::execution::Workflow),
    /// Remove the inspection round of this quarter (one undo step).
    RemoveRound(crate::timeline::Quarter),
    /// Record a status change of these sites (one undo step).
    RecordStatus {
        /// The sites.
        sites: Vec<usize>,
        /// The key of the new status.
        status: String,
        /// When.
        date: crate::execution::Date,
        /// Why, or what was done.
        note: String,
    },
    /// Edit cells of the inventory (one undo step, all or none).
    EditCells {
        /// (site, column, text) per cell.
        cells: Vec<(usize, crate::inventory::Column, String)>,
        /// Part of a pasted block fell outside the table and was left out.
        clipped: bool,
    },
    /// Say something about the table in the status bar.
    TableNotice(String),
    /// The planner answered the modal question shown.
    Answer(super::app::ModalAnswer),
    /// A file was chosen (typed) for what it was asked for.
    FileChosen {
        /// What it is for.
        purpose: super::file_dialog::FilePurpose,
        /// The file.
        path: PathBuf,
    },
    /// Cancel the running optimizer or frontier.
    CancelJob,
    /// Stop opening the file being opened (the current work stays).
    CancelOpen,
    /// Stop the export being written (nothing is written).
    CancelExport,
    /// Ask the planner for a file (system dialog or typed path), then do
    /// what it is for.
    ChooseFile(super::file_dialog::FilePurpose),
    /// Load the rules of a file (bundled preset or a path).
    LoadRulesText {
        /// TOML text.
        text: String,
        /// Name for messages.
        source: String,
    },
}
