//! Gives the Windows executable its icon (assets/icons/sitefold.ico, with
//! version information from Cargo.toml). On every other target this does
//! nothing. `winresource` is a build dependency only on Windows hosts, so a
//! binary cross-built for Windows elsewhere has no icon (the app still runs).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/icons/sitefold.ico");
    #[cfg(windows)]
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows") {
        winresource::WindowsResource::new()
            .set_icon("assets/icons/sitefold.ico")
            .compile()
            .expect("embedding the icon (needs rc.exe from the Windows SDK, or windres)");
    }
}
