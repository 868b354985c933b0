//! `cargo xtask`: the two commands a new Tandem developer needs.
//!
//! - `cargo xtask serve [--release] [--port N]` sets up whatever is missing
//!   and serves the app with its built-in sample journey.
//! - `cargo xtask test` sets up whatever is missing and runs every test tier.
//! - `cargo xtask bench` measures the simulator natively and in the browser.
//!
//! Set-up lives in [`toolchain`]; each command in its own module.

mod bench;
mod bundle;
mod process;
mod serve;
mod split;
mod test;
mod toolchain;

use std::process::ExitCode;

const USAGE: &str = "\
usage:
  cargo xtask serve [--release] [--port N]   set up what is missing, then serve Tandem (default port 8080)
  cargo xtask test                           set up what is missing, then run every test tier
  cargo xtask bench                          measure the simulator natively and in headless Chromium

Tools are installed once per user into $TANDEM_TOOLS_DIR (default ~/.cache/tandem/tools).";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("serve") => serve::ServeOptions::parse(&args[1..]).and_then(serve::run),
        Some("test") if args.len() == 1 => test::run(),
        Some("bench") if args.len() == 1 => bench::run(),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown command: {}\n{USAGE}", args.join(" "))),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
