//! `cargo xtask test`: set up, then run every tier and report one line per
//! tier and a total. A tier that cannot build or run counts as failed.
//!
//! 1. native: `cargo test` for every crate on the host;
//! 2. component: the app's components mounted in headless Chromium
//!    through wasm-bindgen-test, and the engine's golden simulation there
//!    (`crates/browser-checks`);
//! 3. end-to-end: the release app, built as `cargo xtask serve --release`
//!    serves it (split, optimised), driven in headless Chromium through
//!    WebDriver (the `tests/` package), with axe-core's script named by
//!    `TANDEM_AXE` for the accessibility audit.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::process::{cargo, workspace_root};
use crate::toolchain::{Browser, Toolchain, WASM_TARGET, build_app, ensure_browser};

/// What one tier counted.
#[derive(Default, Debug, PartialEq, Eq)]
struct Tally {
    passed: u64,
    failed: u64,
}

/// How a tier ended.
struct TierOutcome {
    name: &'static str,
    tally: Tally,
    /// Why the tier failed beyond its failed tests (build error, crash, set-up).
    trouble: Option<String>,
}

pub fn run() -> Result<(), String> {
    let tools = Toolchain::new()?;
    tools.ensure_build_tools()?;
    let browser = ensure_browser()?;

    let mut outcomes =
        vec![tier("native", cargo().args(["test", "--no-fail-fast", "--workspace", "--exclude", "tandem-e2e"]))];

    let mut component = in_browser(&tools, &browser);
    component.args(["test", "--no-fail-fast", "--package", "tandem", "--package", "tandem-browser-checks", "--lib"]);
    component.args(["--target", WASM_TARGET]);
    outcomes.push(tier("component", &mut component));

    outcomes.push(match build_app(&tools, true) {
        Ok(dist) => {
            let mut end_to_end = cargo();
            end_to_end
                .args(["test", "--no-fail-fast", "--package", "tandem-e2e", "--", "--test-threads=2"])
                .env("TANDEM_E2E_DIST", dist)
                .env("CHROMIUM", &browser.chromium)
                .env("CHROMEDRIVER", &browser.chromedriver);
            // Without axe-core the audit fails and says why; every other test still runs.
            match tools.ensure_axe() {
                Ok(axe) => {
                    end_to_end.env("TANDEM_AXE", axe);
                }
                Err(error) => println!("setup: {error}; the accessibility audit will fail"),
            }
            tier("end-to-end", &mut end_to_end)
        }
        Err(error) => TierOutcome { name: "end-to-end", tally: Tally::default(), trouble: Some(error) },
    });

    println!();
    let mut total = Tally::default();
    for outcome in &outcomes {
        let trouble = outcome.trouble.as_deref().map(|why| format!(" ({why})")).unwrap_or_default();
        println!(
            "{:<18}{} passed, {} failed{trouble}",
            format!("{} tests:", outcome.name),
            outcome.tally.passed,
            outcome.tally.failed
        );
        total.passed += outcome.tally.passed;
        total.failed += outcome.tally.failed;
    }
    println!("total: {} passed, {} failed", total.passed, total.failed);
    if total.failed > 0 || outcomes.iter().any(|outcome| outcome.trouble.is_some()) {
        Err("some tests failed".into())
    } else {
        Ok(())
    }
}

/// A cargo command whose WebAssembly tests run in headless Chromium.
pub fn in_browser(tools: &Toolchain, browser: &Browser) -> Command {
    let mut command = cargo();
    command
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", tools.wasm_bindgen_test_runner())
        .env("CHROMEDRIVER", &browser.chromedriver)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "300")
        .env("WASM_BINDGEN_TEST_DRIVER_TIMEOUT", "60")
        .env("PATH", tools.path_env());
    command
}

/// Runs one tier's command, echoing its output while counting results.
fn tier(name: &'static str, command: &mut Command) -> TierOutcome {
    println!("\n== {name} tests ==");
    let mut child = match command.current_dir(workspace_root()).stdout(Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(error) => {
            return TierOutcome { name, tally: Tally::default(), trouble: Some(format!("could not start: {error}")) };
        }
    };
    let mut tally = Tally::default();
    for line in BufReader::new(child.stdout.take().expect("stdout is piped")).lines().map_while(Result::ok) {
        println!("{line}");
        if let Some(counted) = parse_result_line(&line) {
            tally.passed += counted.passed;
            tally.failed += counted.failed;
        }
    }
    let trouble = match child.wait() {
        Ok(status) if status.success() => None,
        Ok(status) if tally.failed > 0 => Some(format!("exited with {status}")),
        Ok(status) => Some(format!("did not finish: exited with {status} before reporting a failed test")),
        Err(error) => Some(format!("could not wait for it: {error}")),
    };
    TierOutcome { name, tally, trouble }
}

/// Reads libtest's summary line, e.g.
/// `test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out`.
fn parse_result_line(line: &str) -> Option<Tally> {
    let summary = line.trim().strip_prefix("test result: ")?;
    let count = |label: &str| -> Option<u64> {
        summary.split(';').find_map(|part| part.trim().strip_suffix(label)?.trim().rsplit(' ').next()?.parse().ok())
    };
    Some(Tally { passed: count("passed")?, failed: count("failed")? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libtest_summaries() {
        let cases = [
            (
                "test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.21s",
                Some((12, 0)),
            ),
            ("test result: FAILED. 9 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out", Some((9, 2))),
            ("  test result: ok. 0 passed; 0 failed; 0 ignored", Some((0, 0))),
            ("test some::name ... ok", None),
            ("running 3 tests", None),
        ];
        for (line, expected) in cases {
            let parsed = parse_result_line(line).map(|tally| (tally.passed, tally.failed));
            assert_eq!(parsed, expected, "{line}");
        }
    }
}
