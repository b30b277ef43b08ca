//! A build without the `serve` feature (the default features, as the WASI command
//! is built) answers `netpol serve` with an error saying how to get it.
#![cfg(not(feature = "serve"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Command;

#[test]
fn serve_without_the_feature_says_so_and_exits_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_netpol"))
        .args(["serve", "--insecure-http"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("'serve' feature"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn the_command_list_names_serve() {
    let output = Command::new(env!("CARGO_BIN_EXE_netpol"))
        .arg("--help")
        .output()
        .unwrap();
    let help =
        String::from_utf8(output.stderr).unwrap() + &String::from_utf8(output.stdout).unwrap();
    assert!(help.contains("serve"), "{help}");
}
