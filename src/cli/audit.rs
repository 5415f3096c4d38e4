//! `audit`: a project's audit trail — who decided, scheduled or recorded
//! what, when and why — all of it or one site's, as a table on standard
//! output, JSON, or a CSV file (the app's export, to the byte, when
//! nothing is filtered out).

use std::io::Write;

use crate::execution::{AuditAction, AuditEntry, audit};
use crate::i18n::Lang;
use crate::project::open_project;
use crate::workspace::LoadError;

use super::args::AuditArgs;
use super::error::CliError;
use super::inputs::Role;
use super::output::{Format, output_format, write_file};

/// What `audit --out` writes.
const AUDIT_FORMATS: &[Format] = &[Format::Csv];

/// `audit`: see the module documentation.
pub fn audit(
    a: &AuditArgs,
    lang: Lang,
    out: &mut dyn Write,
    _err: &mut dyn Write,
) -> Result<(), CliError> {
    if let Some(path) = &a.out {
        output_format(
            path,
            "audit",
            AUDIT_FORMATS,
            &[(Role::Project, a.project.as_path())],
        )?;
    }
    let project = open_project(&a.project).map_err(LoadError::from)?;
    let entries: Vec<AuditEntry> = project
        .execution
        .audit
        .into_iter()
        .filter(|e| a.site.as_ref().is_none_or(|s| &e.site_id == s))
        .filter(|e| a.action.is_none_or(|k| e.action == k))
        .collect();
    if let Some(path) = &a.out {
        return write_file(path, lang, out, |f| {
            crate::export::execution_tables::write_audit_csv(&entries, lang, f)
        });
    }
    if a.json {
        let text = serde_json::to_string_pretty(&entries).unwrap_or_default();
        return writeln!(out, "{text}").map_err(CliError::Stdout);
    }
    if entries.is_empty() {
        let said = lang.pick("没有符合条件的记录", "no entries");
        return writeln!(out, "{said}").map_err(CliError::Stdout);
    }
    let header = audit::header(lang);
    let mut w = || -> std::io::Result<()> {
        writeln!(out, "{}", header.join("\t"))?;
        for e in &entries {
            writeln!(out, "{}", audit::row(e, lang).join("\t"))?;
        }
        writeln!(
            out,
            "{}",
            match lang {
                Lang::Zh => format!("共 {} 条", entries.len()),
                Lang::En => format!("{} entries", entries.len()),
            }
        )
    };
    w().map_err(CliError::Stdout)
}

/// Reads an audit kind (`decision`, `status`…).
pub fn parse_action(s: &str) -> Result<AuditAction, String> {
    AuditAction::from_key(s.trim()).ok_or_else(|| {
        let keys: Vec<&str> = AuditAction::ALL.iter().map(|a| a.key()).collect();
        format!("unknown kind '{s}': use {}", keys.join(", "))
    })
}
