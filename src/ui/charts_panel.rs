//! Placeholder, replaced by the real panel.

use super::app::Cx;
use super::command::Command;

/// The panel's own state.
#[derive(Default)]
pub struct ChartsPanel {}

impl ChartsPanel {
    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, _out: &mut Vec<Command>) {
        let _ = (ui, cx);
    }
}
