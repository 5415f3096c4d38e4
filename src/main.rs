//! `sitefold`: the desktop app, or a command when one is named.

// A GUI program on Windows: started from Explorer it opens no console
// window; commands typed in a terminal attach to that terminal instead.
#![cfg_attr(windows, windows_subsystem = "windows")]

fn main() {
    sitefold::tune_allocator();
    sitefold::platform::attach_parent_console();
    sitefold::install_panic_message();
    let code = match sitefold::cli::run(std::env::args_os()) {
        sitefold::cli::Run::Exit(code) => code,
        sitefold::cli::Run::Gui { file, lang } => sitefold::open_app(file, lang),
    };
    std::process::exit(code)
}
