//! The audit trail: every decision, schedule and status change recorded
//! with when, who and why, so that a plan can be traced back ("who
//! decided to close this site, and on what grounds?"). Entries are only
//! ever added; an undo is recorded as one more entry.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// What an entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// A site's manual decision (keep, merge, target).
    Decision,
    /// An optimizer plan applied or cleared.
    Optimizer,
    /// A site's closure quarter.
    Schedule,
    /// A site's closure status.
    Status,
    /// The note on a site's decision.
    Note,
    /// The rules.
    Rules,
    /// The parameters (model or timeline).
    Params,
    /// Sites' data edited.
    Sites,
    /// A scenario saved, loaded or removed.
    Scenario,
    /// A file imported (a plan, a schedule, a progress sheet).
    Import,
    /// An earlier change undone.
    Undo,
    /// An undone change made again.
    Redo,
}

impl AuditAction {
    /// Every action, in the order of the filter menu.
    pub const ALL: [AuditAction; 12] = [
        AuditAction::Decision,
        AuditAction::Optimizer,
        AuditAction::Schedule,
        AuditAction::Status,
        AuditAction::Note,
        AuditAction::Rules,
        AuditAction::Params,
        AuditAction::Sites,
        AuditAction::Scenario,
        AuditAction::Import,
        AuditAction::Undo,
        AuditAction::Redo,
    ];

    /// The key written in files (`decision`).
    pub fn key(self) -> &'static str {
        match self {
            AuditAction::Decision => "decision",
            AuditAction::Optimizer => "optimizer",
            AuditAction::Schedule => "schedule",
            AuditAction::Status => "status",
            AuditAction::Note => "note",
            AuditAction::Rules => "rules",
            AuditAction::Params => "params",
            AuditAction::Sites => "sites",
            AuditAction::Scenario => "scenario",
            AuditAction::Import => "import",
            AuditAction::Undo => "undo",
            AuditAction::Redo => "redo",
        }
    }

    /// The action named by a key.
    pub fn from_key(key: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.key() == key)
    }

    /// Its name in a language.
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            AuditAction::Decision => ("处理决定", "Decision"),
            AuditAction::Optimizer => ("优化方案", "Optimizer plan"),
            AuditAction::Schedule => ("关停季度", "Closure quarter"),
            AuditAction::Status => ("关停进度", "Closure status"),
            AuditAction::Note => ("备注", "Note"),
            AuditAction::Rules => ("规则", "Rules"),
            AuditAction::Params => ("参数", "Parameters"),
            AuditAction::Sites => ("网站数据", "Site data"),
            AuditAction::Scenario => ("方案", "Scenario"),
            AuditAction::Import => ("导入", "Import"),
            AuditAction::Undo => ("撤销", "Undo"),
            AuditAction::Redo => ("重做", "Redo"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// One recorded change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When (RFC 3339, UTC).
    pub time: String,
    /// Who (the account name, or the name the planner gave).
    pub person: String,
    /// What kind of change.
    pub action: AuditAction,
    /// The site it concerns; empty for a change of the whole plan.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub site_id: String,
    /// The value before (`keep`, `merge → C1`, `2027Q2`…; empty: none).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub before: String,
    /// The value after.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub after: String,
    /// Why, as the person gave it (or what the change was, for changes of
    /// the whole plan).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

impl AuditEntry {
    /// An entry made now by `person`.
    pub fn now(person: &str, action: AuditAction) -> AuditEntry {
        AuditEntry {
            time: crate::time::now_rfc3339(),
            person: person.to_string(),
            action,
            site_id: String::new(),
            before: String::new(),
            after: String::new(),
            reason: String::new(),
        }
    }

    /// The same entry about a site.
    pub fn site(mut self, id: &str) -> AuditEntry {
        self.site_id = id.to_string();
        self
    }

    /// The same entry with the values before and after.
    pub fn change(mut self, before: impl Into<String>, after: impl Into<String>) -> AuditEntry {
        self.before = before.into();
        self.after = after.into();
        self
    }

    /// The same entry with a reason.
    pub fn reason(mut self, reason: impl Into<String>) -> AuditEntry {
        self.reason = reason.into();
        self
    }
}

/// A decision as the audit trail writes it: `keep`, `merge`, `merge → C1`;
/// empty for none (the site follows the rules).
pub fn decision_text(
    inv: &crate::inventory::Inventory,
    d: Option<crate::plan::Decision>,
) -> String {
    use crate::plan::Decision;
    match d {
        None => String::new(),
        Some(Decision::Keep) => "keep".into(),
        Some(Decision::Merge { target: None }) => "merge".into(),
        Some(Decision::Merge { target: Some(t) }) => match inv.sites().get(t as usize) {
            Some(s) => format!("merge → {}", s.id),
            None => "merge".into(),
        },
    }
}

/// The fields that differ between two values serialised as JSON objects
/// (parameters, timeline parameters): `(field, before, after)`, in field
/// order. Values are written as JSON (`null` for none).
pub fn field_changes<T: Serialize>(before: &T, after: &T) -> Vec<(String, String, String)> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    let text = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| (k.clone(), text(a.get(k)), text(b.get(k))))
        .collect()
}

/// The entry of replacing the statuses a closure moves through: their
/// keys before and after, by `person`.
pub fn workflow_change(
    person: &str,
    before: &super::Workflow,
    after: &super::Workflow,
) -> AuditEntry {
    let keys = |w: &super::Workflow| {
        w.stages
            .iter()
            .map(|s| s.key.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    AuditEntry::now(person, AuditAction::Status)
        .change(keys(before), keys(after))
        .reason("workflow")
}

/// The entries about one site, oldest first.
pub fn of_site<'a>(audit: &'a [AuditEntry], site_id: &str) -> Vec<&'a AuditEntry> {
    audit.iter().filter(|e| e.site_id == site_id).collect()
}

/// The header of the audit trail's table (CSV and workbook sheet).
pub fn header(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Zh => [
            "时间",
            "操作人",
            "类别",
            "网站标识码",
            "修改前",
            "修改后",
            "原因",
        ],
        Lang::En => [
            "time", "person", "action", "site_id", "before", "after", "reason",
        ],
    }
}

/// One entry as a row of [`header`].
pub fn row(e: &AuditEntry, lang: Lang) -> [String; 7] {
    [
        e.time.clone(),
        e.person.clone(),
        e.action.label(lang).to_string(),
        e.site_id.clone(),
        shown_value(e.action, &e.before, lang).into_owned(),
        shown_value(e.action, &e.after, lang).into_owned(),
        e.reason.clone(),
    ]
}

/// A value of an entry (its `before` or `after`) as a reader of `lang`
/// reads it. The trail stores keys, the same in every language (`keep`,
/// `merge → C1`, `offline 2027-03-20`, a workflow's `planned, approved,
/// …`); decisions and the default statuses are named in the language
/// (`合并 → C1`, `已下线 2027-03-20`); a status of a project's own
/// workflow that the default does not have stays as its key; every other
/// value as it is.
pub fn shown_value(action: AuditAction, value: &str, lang: Lang) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    match action {
        AuditAction::Decision | AuditAction::Optimizer => {
            let (word, rest) = value.split_once(' ').unwrap_or((value, ""));
            let name = match word {
                "keep" => lang.pick("保留", "keep"),
                "merge" => lang.pick("合并", "merge"),
                _ => return Cow::Borrowed(value),
            };
            if rest.is_empty() {
                Cow::Borrowed(name)
            } else {
                Cow::Owned(format!("{name} {rest}"))
            }
        }
        AuditAction::Status => {
            static DEFAULT: std::sync::LazyLock<super::Workflow> =
                std::sync::LazyLock::new(super::Workflow::default);
            let workflow = &*DEFAULT;
            if value.contains(", ") {
                return Cow::Owned(
                    value
                        .split(", ")
                        .map(|k| workflow.label(k, lang))
                        .collect::<Vec<_>>()
                        .join("、"),
                );
            }
            let (key, rest) = value.split_once(' ').unwrap_or((value, ""));
            let name = workflow.label(key, lang);
            if rest.is_empty() {
                Cow::Owned(name.to_string())
            } else {
                Cow::Owned(format!("{name} {rest}"))
            }
        }
        _ => Cow::Borrowed(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_shown_in_the_readers_language() {
        use AuditAction::*;
        let zh = |a, v| shown_value(a, v, Lang::Zh).into_owned();
        let en = |a, v| shown_value(a, v, Lang::En).into_owned();
        assert_eq!(zh(Decision, "keep"), "保留");
        assert_eq!(zh(Optimizer, "merge → 340100000"), "合并 → 340100000");
        assert_eq!(en(Decision, "merge → 340100000"), "merge → 340100000");
        assert_eq!(zh(Decision, ""), "");
        assert_eq!(zh(Status, "offline 2026-11-20"), "已下线 2026-11-20");
        assert_eq!(en(Status, "offline 2026-11-20"), "Offline 2026-11-20");
        assert_eq!(zh(Status, "planned"), "已列入计划");
        // A status of the project's own workflow stays as its key.
        assert_eq!(zh(Status, "archived 2027-01-02"), "archived 2027-01-02");
        assert_eq!(zh(Status, "planned, done"), "已列入计划、已完成");
        // Other kinds as they are.
        assert_eq!(zh(Schedule, "2027Q3"), "2027Q3");
        let e = AuditEntry::now("li", Status)
            .site("T1")
            .change("planned", "offline 2026-11-20");
        let r = row(&e, Lang::Zh);
        assert_eq!(
            (r[4].as_str(), r[5].as_str()),
            ("已列入计划", "已下线 2026-11-20")
        );
    }

    #[test]
    fn keys_round_trip_and_entries_build() {
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::from_key(a.key()), Some(a));
            let json = serde_json::to_string(&a).expect("serialise");
            assert_eq!(json, format!("\"{}\"", a.key()));
        }
        let e = AuditEntry::now("li", AuditAction::Decision)
            .site("T1")
            .change("keep", "merge → C1")
            .reason("budget under 20,000");
        assert_eq!(e.person, "li");
        assert_eq!(row(&e, Lang::En)[2], "Decision");
        assert_eq!(of_site(std::slice::from_ref(&e), "T1").len(), 1);
        assert!(of_site(std::slice::from_ref(&e), "T2").is_empty());
        let a = crate::plan::Params::default();
        let b = crate::plan::Params {
            pass_threshold: a.pass_threshold + 10.0,
            ..a.clone()
        };
        let changes = field_changes(&a, &b);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].0, "pass_threshold");
        assert!(field_changes(&a, &a).is_empty());
        let back: AuditEntry =
            serde_json::from_str(&serde_json::to_string(&e).expect("serialise")).expect("read");
        assert_eq!(back, e);
    }
}
