//! The desktop app (eframe/egui): one file per panel. Widgets push
//! [`command::Command`]s; [`app::SitefoldApp`] applies them in one place.

pub mod actions;
pub mod app;
pub mod areas_panel;
pub mod audit_panel;
pub mod cards;
pub mod charts_panel;
pub mod command;
pub mod conflicts_dialog;
pub mod context;
pub mod detail;
pub mod dialogs;
pub mod document;
pub mod file_dialog;
pub mod fonts;
pub mod icon;
pub mod jobs;
pub mod mapping;
pub mod mapping_preview;
pub mod mapping_values;
pub mod menu;
pub mod optimize_panel;
pub mod params_panel;
pub mod progress_panel;
pub mod project_io;
pub mod remembered;
pub mod report_panel;
pub mod rounds_panel;
pub mod rules_panel;
pub mod scenarios_panel;
pub mod selection;
#[macro_use]
pub mod strings;
pub mod table;
pub mod timeline_panel;
pub mod tree;
pub mod treemap_panel;
pub mod undo;

use std::path::PathBuf;

use crate::i18n::Lang;

pub use app::{Settings, SitefoldApp};

/// The eframe wrapper: persistence and window handling around the app.
struct EframeApp {
    app: SitefoldApp,
}

impl eframe::App for EframeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        if ui.ctx().input(|i| i.viewport().close_requested()) && !self.app.may_close() {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::CancelClose);
        }
        self.app.ui(ui);
        if self.app.quit_requested() {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.app.on_exit();
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.app.settings.table_columns = self.app.table.columns.clone();
        eframe::set_value(storage, eframe::APP_KEY, &self.app.settings);
    }
}

/// Builds the app as it starts: remembered settings, then the file given
/// on the command line or the bundled sample.
pub fn build_app(
    ctx: &egui::Context,
    settings: Settings,
    file: Option<PathBuf>,
    lang: Option<Lang>,
) -> SitefoldApp {
    fonts::install(ctx);
    let mut settings = settings;
    if let Some(l) = lang {
        settings.lang = l;
    }
    let mut app = SitefoldApp::with_sample(settings);
    if let Some(dir) = project_io::Recovery::default_dir() {
        app.enable_recovery(dir);
    }
    if let Some(f) = file {
        app.open(f, None);
    }
    app
}

/// Opens the desktop window. Returns the process exit code.
pub fn run_native(file: Option<PathBuf>, lang: Option<Lang>) -> i32 {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Sitefold")
            .with_app_id("sitefold")
            .with_icon(std::sync::Arc::new(icon::window_icon()))
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([900.0, 600.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let result = eframe::run_native(
        "Sitefold",
        options,
        Box::new(move |cc| {
            let settings: Settings = cc
                .storage
                .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
                .unwrap_or_default();
            Ok(Box::new(EframeApp {
                app: build_app(&cc.egui_ctx, settings, file, lang),
            }))
        }),
    );
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("Sitefold: 无法打开窗口 / cannot open a window: {e}");
            2
        }
    }
}
