//! The statuses a closure moves through. The defaults follow the
//! procedure the General Office set for closing a government website:
//! approve, migrate the content, post a notice, redirect the old address,
//! take the site offline, cancel its identifiers (site ID, domain, ICP and
//! public-security filings), done. A project may rename, add or remove
//! statuses; their order is the order of the procedure.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// One status of the procedure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    /// Its key, as files and the command line write it (`offline`).
    pub key: String,
    /// Its name in Chinese.
    pub zh: String,
    /// Its name in English.
    pub en: String,
}

impl Stage {
    /// A status.
    pub fn new(key: &str, zh: &str, en: &str) -> Stage {
        Stage {
            key: key.into(),
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// Its name in a language.
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// The statuses, in the order of the procedure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workflow {
    /// The statuses; the first is where a scheduled closure starts, the
    /// last means done.
    pub stages: Vec<Stage>,
    /// The key of the status from which a site counts as offline (a site
    /// past its quarter and not yet there is overdue).
    pub offline: String,
}

/// Key of the default status from which a site counts as offline.
pub const OFFLINE: &str = "offline";

impl Default for Workflow {
    fn default() -> Workflow {
        Workflow {
            stages: vec![
                Stage::new("planned", "已列入计划", "Planned"),
                Stage::new("approved", "已批准", "Approved"),
                Stage::new("migrated", "内容已迁移", "Content migrated"),
                Stage::new("notice", "已发布公告", "Notice posted"),
                Stage::new("redirect", "跳转已生效", "Redirect live"),
                Stage::new(OFFLINE, "已下线", "Offline"),
                Stage::new("cancelled", "标识已注销", "Identifiers cancelled"),
                Stage::new("done", "已完成", "Done"),
            ],
            offline: OFFLINE.to_string(),
        }
    }
}

/// Other words for the default statuses, by key: how progress sheets
/// returned by prefectures often say them.
pub const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "planned",
        &[
            "计划",
            "已计划",
            "列入计划",
            "计划中",
            "未开始",
            "待关停",
            "Plan",
            "Not started",
            "Scheduled",
        ],
    ),
    (
        "approved",
        &[
            "批准",
            "已审批",
            "审批通过",
            "已获批",
            "已同意",
            "同意",
            "Approve",
            "Approval granted",
        ],
    ),
    (
        "migrated",
        &[
            "已迁移",
            "迁移完成",
            "已完成迁移",
            "内容迁移完成",
            "内容已迁移完成",
            "Content moved",
            "Migration done",
        ],
    ),
    (
        "notice",
        &[
            "公告已发布",
            "已公告",
            "已发公告",
            "已发布关停公告",
            "关停公告已发布",
            "Notice published",
            "Notice issued",
            "Announced",
        ],
    ),
    (
        "redirect",
        &[
            "已跳转",
            "已设置跳转",
            "跳转已设置",
            "已重定向",
            "重定向已生效",
            "Redirected",
            "Redirect set",
            "Redirect done",
        ],
    ),
    (
        "offline",
        &[
            "已关停",
            "已关闭",
            "已停运",
            "已停止运行",
            "下线",
            "已下线关停",
            "Closed",
            "Shut down",
            "Taken offline",
        ],
    ),
    (
        "cancelled",
        &[
            "已注销",
            "标识码已注销",
            "网站标识码已注销",
            "已注销备案",
            "备案已注销",
            "Canceled",
            "Identifiers canceled",
            "Deregistered",
        ],
    ),
    (
        "done",
        &[
            "完成",
            "全部完成",
            "已办结",
            "办结",
            "Complete",
            "Completed",
            "Finished",
        ],
    ),
];

impl Workflow {
    /// The place of a status given by its key or its name in either
    /// language (case and surrounding spaces ignored).
    ///
    /// Failing that, the other words prefectures write for the default
    /// statuses (`公告已发布` for `已发布公告`, `已关停` for `已下线`,
    /// `closed` for `Offline`: see [`SYNONYMS`]) find the status with
    /// that key, when the workflow still has it and no status of the
    /// workflow is named so.
    pub fn find(&self, raw: &str) -> Option<usize> {
        let s = raw.trim();
        if s.is_empty() {
            return None;
        }
        self.stages
            .iter()
            .position(|st| {
                st.key.eq_ignore_ascii_case(s) || st.zh == s || st.en.eq_ignore_ascii_case(s)
            })
            .or_else(|| {
                let (key, _) = SYNONYMS.iter().find(|(_, words)| {
                    words
                        .iter()
                        .any(|w| w == &s || (w.is_ascii() && w.eq_ignore_ascii_case(s)))
                })?;
                self.stages.iter().position(|st| st.key == *key)
            })
    }

    /// The place of the status a site counts as offline from (the last
    /// status when the key names none).
    pub fn offline_index(&self) -> usize {
        self.find(&self.offline)
            .unwrap_or(self.stages.len().saturating_sub(1))
    }

    /// The place of the last status (done).
    pub fn done_index(&self) -> usize {
        self.stages.len().saturating_sub(1)
    }

    /// The name of the status with a key, in a language (the key itself
    /// when the workflow has no such status any more).
    pub fn label<'a>(&'a self, key: &'a str, lang: Lang) -> &'a str {
        self.find(key).map_or(key, |i| self.stages[i].label(lang))
    }

    /// Reads a workflow file (TOML): `offline = "offline"` and a list of
    /// `[[stages]]` with `key`, `zh` and `en`, in the order of the
    /// procedure. Refused, with why, when it does not read or
    /// [`Workflow::check`] finds it unusable.
    pub fn from_toml(text: &str) -> Result<Workflow, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let w: Workflow = toml::from_str(text).map_err(|e| e.to_string())?;
        w.check()?;
        Ok(w)
    }

    /// The workflow as TOML, readable by [`Workflow::from_toml`].
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// Why the workflow cannot be used, if it cannot: no statuses, an
    /// empty or repeated key or name, or an offline key that names none.
    pub fn check(&self) -> Result<(), String> {
        if self.stages.is_empty() {
            return Err("the workflow has no statuses".into());
        }
        let mut seen = std::collections::HashSet::new();
        for st in &self.stages {
            for name in [&st.key, &st.zh, &st.en] {
                if name.trim().is_empty() {
                    return Err(format!("status '{}' has an empty name", st.key));
                }
            }
            if !seen.insert(st.key.to_ascii_lowercase()) {
                return Err(format!("status '{}' is listed twice", st.key));
            }
        }
        if self.find(&self.offline).is_none() {
            return Err(format!(
                "the offline status '{}' is not listed",
                self.offline
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_procedure() {
        let w = Workflow::default();
        assert!(w.check().is_ok());
        assert_eq!(w.stages.len(), 8);
        assert_eq!(w.find("planned"), Some(0));
        assert_eq!(w.find(" 已下线 "), Some(5));
        assert_eq!(w.find("redirect LIVE"), Some(4));
        assert_eq!(w.find("Offline"), Some(w.offline_index()));
        assert_eq!(w.done_index(), 7);
        assert_eq!(w.find("gone"), None);
        // The other words prefectures write.
        assert_eq!(w.find("公告已发布"), w.find("notice"));
        assert_eq!(w.find(" 已关停"), Some(w.offline_index()));
        assert_eq!(w.find("SHUT DOWN"), Some(w.offline_index()));
        assert_eq!(w.find("已注销"), w.find("cancelled"));
        assert_eq!(w.find("完成"), Some(w.done_index()));
        assert_eq!(w.label("notice", Lang::Zh), "已发布公告");
        assert_eq!(w.label("gone", Lang::En), "gone");
    }

    #[test]
    fn other_words_never_stand_before_a_status_of_the_workflow() {
        // A project that named a status with a word the defaults know
        // as another one's: its own status wins.
        let mut w = Workflow::default();
        w.stages[7].zh = "已关停".into();
        assert_eq!(w.find("已关停"), Some(7));
        // A workflow without the status the word belongs to: not found.
        w.stages.retain(|s| s.key != "notice");
        assert_eq!(w.find("公告已发布"), None);
        // No word is given to two statuses, nor is any a default name.
        let names: Vec<String> = Workflow::default()
            .stages
            .iter()
            .flat_map(|s| [s.key.to_lowercase(), s.zh.clone(), s.en.to_lowercase()])
            .collect();
        let mut seen = std::collections::HashSet::new();
        for (key, words) in SYNONYMS {
            assert!(Workflow::default().find(key).is_some(), "{key}");
            for word in *words {
                assert!(seen.insert(word.to_lowercase()), "{word} twice");
                assert!(!names.contains(&word.to_lowercase()), "{word} is a name");
            }
        }
    }

    #[test]
    fn a_workflow_file_reads_back() {
        let w = Workflow::default();
        let text = w.to_toml();
        assert_eq!(Workflow::from_toml(&text), Ok(w));
        let mine = "offline = \"down\"\n[[stages]]\nkey = \"planned\"\nzh = \"计划\"\nen = \"Planned\"\n[[stages]]\nkey = \"down\"\nzh = \"关闭\"\nen = \"Down\"\n";
        let w = Workflow::from_toml(mine).expect("reads");
        assert_eq!(w.stages.len(), 2);
        assert_eq!(w.offline_index(), 1);
        assert!(
            Workflow::from_toml(
                "offline = \"gone\"\n[[stages]]\nkey = \"a\"\nzh = \"甲\"\nen = \"A\"\n"
            )
            .is_err()
        );
        assert!(Workflow::from_toml("stages = 3").is_err());
    }

    #[test]
    fn a_broken_workflow_is_refused() {
        let mut w = Workflow::default();
        w.stages[2].key = "planned".into();
        assert!(w.check().is_err());
        let w = Workflow {
            offline: "nowhere".into(),
            ..Default::default()
        };
        assert!(w.check().is_err());
        assert!(
            Workflow {
                stages: vec![],
                offline: String::new()
            }
            .check()
            .is_err()
        );
    }
}
