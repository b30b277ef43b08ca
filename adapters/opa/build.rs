//! Link settings of the OPA module: OPA hosts create the memory (5 pages) and pass
//! it in, so the module imports it, asks for no more than 5 initial pages (a 64 KiB
//! stack) and exports it back.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() != Ok("wasm32") {
        return;
    }
    for arg in [
        "--import-memory",
        "--export-memory",
        "--initial-memory=327680",
        "-zstack-size=65536",
    ] {
        println!("cargo:rustc-link-arg-cdylib={arg}");
    }
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=metadata.json");
}
