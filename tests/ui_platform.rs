//! What differs by platform in the app: shortcut labels, and file dialogs
//! on a desktop that has none.

mod common;

use egui::os::OperatingSystem;
use egui_kittest::kittest::Queryable;
use sitefold::i18n::Lang;
use sitefold::ui::actions::Action;
use sitefold::ui::command::Command;
use sitefold::ui::file_dialog::{Choice, FileDialogs, FilePurpose, Request};

#[test]
fn shortcuts_use_command_and_menus_show_it_as_each_platform_writes_it() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let ctx = harness.ctx.clone();
    let with_shortcut: Vec<Action> = Action::ALL
        .iter()
        .copied()
        .filter(|a| a.shortcut().is_some())
        .collect();
    assert!(with_shortcut.len() >= 10);
    for a in &with_shortcut {
        let sc = a.shortcut().expect("filtered");
        // COMMAND is Ctrl on Windows and Linux and ⌘ on macOS; a shortcut
        // written with Ctrl itself would be Ctrl on the Mac too.
        assert!(
            !sc.modifiers.ctrl && !sc.modifiers.mac_cmd,
            "{a:?} uses COMMAND, not Ctrl or ⌘ directly"
        );
    }
    ctx.set_os(OperatingSystem::Mac);
    assert_eq!(Action::Open.shortcut_label(&ctx).as_deref(), Some("⌘O"));
    assert_eq!(
        Action::SaveProjectAs.shortcut_label(&ctx).as_deref(),
        Some("⇧⌘S")
    );
    for a in &with_shortcut {
        let label = a.shortcut_label(&ctx).expect("has a shortcut");
        assert!(!label.contains("Ctrl"), "{a:?} on macOS: {label}");
    }
    for os in [OperatingSystem::Windows, OperatingSystem::Nix] {
        ctx.set_os(os);
        assert_eq!(Action::Open.shortcut_label(&ctx).as_deref(), Some("Ctrl+O"));
        assert_eq!(
            Action::SaveProjectAs.shortcut_label(&ctx).as_deref(),
            Some("Ctrl+Shift+S")
        );
        for a in &with_shortcut {
            let label = a.shortcut_label(&ctx).expect("has a shortcut");
            assert!(!label.contains('⌘'), "{a:?} on {os:?}: {label}");
        }
    }
}

#[test]
fn without_a_system_dialog_saving_asks_for_a_typed_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("规划 材料");
    std::fs::create_dir(&folder).expect("folder");
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();

    // Ctrl+S on a document never saved: there is no dialog to show, so the
    // app says so and offers a field instead of doing nothing.
    harness
        .state_mut()
        .push(Command::Action(Action::SaveProject));
    harness.run();
    assert!(
        harness.state().path_prompt.is_some(),
        "the path field shows"
    );
    harness.get_by_label_contains("系统的文件对话框无法打开");

    // A folder that does not exist is refused with a message.
    let wrong = dir.path().join("没有的文件夹").join("方案.sitefold");
    harness
        .state_mut()
        .path_prompt
        .as_mut()
        .expect("prompt")
        .text = wrong.display().to_string();
    harness.get_by_label("确定").click();
    harness.run();
    harness.get_by_label_contains("文件夹不存在");
    assert!(!wrong.exists());

    // A path without an extension gets the project's.
    let target = folder.join("省级 方案");
    harness
        .state_mut()
        .path_prompt
        .as_mut()
        .expect("prompt")
        .text = target.display().to_string();
    harness.get_by_label("确定").click();
    harness.run();
    let saved = folder.join("省级 方案.sitefold");
    assert!(saved.is_file(), "the project was saved at the typed path");
    assert!(harness.state().path_prompt.is_none());
    assert!(!harness.state().doc.is_dirty());
    assert_eq!(
        harness.state().doc.project_path.as_deref(),
        Some(saved.as_path())
    );
}

#[test]
fn the_typed_path_field_closes_with_escape_and_serves_every_export() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    harness
        .state_mut()
        .push(Command::Action(Action::ExportPlanCsv));
    harness.run();
    let prompt = harness.state().path_prompt.clone().expect("prompt");
    assert_eq!(prompt.purpose, FilePurpose::ExportPlanCsv);
    assert!(prompt.text.ends_with("plan.csv"), "{}", prompt.text);
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.state().path_prompt.is_none(), "Esc closes it");

    let target = dir.path().join("plan 2027.csv");
    harness
        .state_mut()
        .push(Command::Action(Action::ExportPlanCsv));
    harness.run();
    harness
        .state_mut()
        .path_prompt
        .as_mut()
        .expect("prompt")
        .text = target.display().to_string();
    harness.get_by_label("OK").click();
    // The export runs in the background (its spinner keeps repainting).
    harness.step();
    let start = std::time::Instant::now();
    while !target.is_file() {
        assert!(start.elapsed().as_secs() < 60, "the export is written");
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.step();
    }
    let text = std::fs::read(&target).expect("read");
    assert!(text.starts_with(b"\xef\xbb\xbf"), "an Excel-friendly CSV");
}

/// Dialogs that hand out fixed answers, recording what was asked.
struct Scripted {
    answers: Vec<Choice>,
    asked: std::rc::Rc<std::cell::RefCell<Vec<Request>>>,
}

impl FileDialogs for Scripted {
    fn choose(&mut self, request: &Request) -> Choice {
        self.asked.borrow_mut().push(request.clone());
        if self.answers.is_empty() {
            Choice::Cancelled
        } else {
            self.answers.remove(0)
        }
    }
}

#[test]
fn a_system_dialog_answer_is_used_and_a_cancel_does_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("项目 一.sitefold");
    let asked = std::rc::Rc::default();
    let mut app = common::sample_app(Lang::Zh);
    app.dialogs = Box::new(Scripted {
        answers: vec![Choice::Cancelled, Choice::Picked(path.clone())],
        asked: std::rc::Rc::clone(&asked),
    });
    app.push(Command::Action(Action::SaveProject));
    app.apply_commands();
    assert!(app.path_prompt.is_none() && !path.exists(), "cancelled");
    app.push(Command::Action(Action::SaveProject));
    app.apply_commands();
    assert!(path.is_file(), "saved where the dialog said");
    let asked = asked.borrow();
    assert_eq!(asked.len(), 2);
    assert!(asked[0].save);
    assert_eq!(asked[0].filters[0].1, &["sitefold"]);
    assert_eq!(asked[0].file_name.as_deref(), Some("方案.sitefold"));
}

/// Enter in the typed-path field uses the path, as the button does.
#[test]
fn enter_in_the_path_field_uses_the_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    harness
        .state_mut()
        .push(Command::Action(Action::SaveProject));
    harness.run();
    let target = dir.path().join("by enter.sitefold");
    harness
        .state_mut()
        .path_prompt
        .as_mut()
        .expect("prompt")
        .text = target.display().to_string();
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(target.is_file(), "saved by Enter");
    assert!(harness.state().path_prompt.is_none());
}
