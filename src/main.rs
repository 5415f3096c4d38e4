//! `sitefold`: the desktop app, or a command when one is named.

fn main() {
    sitefold::install_panic_message();
    match sitefold::cli::run(std::env::args_os()) {
        sitefold::cli::Run::Exit(code) => std::process::exit(code),
        sitefold::cli::Run::Gui { file, lang } => {
            std::process::exit(sitefold::open_app(file, lang))
        }
    }
}
