//! `cargo xtask bench`: the simulator's speed natively and in headless
//! Chromium, the rule compiler's speed-up, memory per contact and the
//! release bundle's size, measured in one run so that they compare. It
//! prints readable lines, then as its last line one JSON object that
//! scripts read.
//!
//! Each measurement is a program that prints `bench: key=value` lines: the
//! engine's `simulate` and `rules` benchmarks natively, and the
//! `speed` and `explorer_click` tests of `crates/browser-checks` in a
//! release WebAssembly build compiled with `TANDEM_BENCH` set (the full
//! workload).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::process::cargo;
use crate::test::in_browser;
use crate::toolchain::{APP_WASM, Toolchain, WASM_TARGET, build_app, ensure_browser};

/// Runs `command`, echoing its output, and collects its `bench: key=value` lines.
fn measure(what: &str, command: &mut Command, figures: &mut BTreeMap<String, f64>) -> Result<(), String> {
    println!("\n== {what} ==");
    let mut child =
        command.stdout(Stdio::piped()).spawn().map_err(|error| format!("could not start {what}: {error}"))?;
    for line in BufReader::new(child.stdout.take().expect("stdout is piped")).lines().map_while(Result::ok) {
        println!("{line}");
        if let Some((key, value)) = line.trim().strip_prefix("bench: ").and_then(|figure| figure.split_once('='))
            && let Ok(value) = value.trim().parse::<f64>()
        {
            figures.insert(key.trim().to_owned(), value);
        }
    }
    let status = child.wait().map_err(|error| format!("{what}: {error}"))?;
    if status.success() { Ok(()) } else { Err(format!("{what} failed ({status})")) }
}

/// The size of `bytes` compressed with gzip -9, as a server would send it.
fn gzip_size(path: &std::path::Path) -> Result<u64, String> {
    let output = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .map_err(|error| format!("could not run gzip: {error}"))?;
    if !output.status.success() {
        return Err(format!("gzip failed on {}", path.display()));
    }
    Ok(output.stdout.len() as u64)
}

pub fn run() -> Result<(), String> {
    let tools = Toolchain::new()?;
    tools.ensure_build_tools()?;
    let browser = ensure_browser()?;
    let mut figures = BTreeMap::new();

    measure(
        "simulator, natively (cargo bench --bench simulate)",
        cargo().args(["bench", "--package", "tandem-engine", "--bench", "simulate"]),
        &mut figures,
    )?;
    measure(
        "rules: compiled against the interpreter (cargo bench --bench rules -- --table)",
        cargo().args(["bench", "--package", "tandem-engine", "--bench", "rules", "--", "--table"]),
        &mut figures,
    )?;
    let mut wasm = in_browser(&tools, &browser);
    wasm.args(["test", "--release", "--package", "tandem-browser-checks", "--lib", "--target", WASM_TARGET]);
    // Read when the test is compiled: the full workload rather than the small one.
    wasm.env("TANDEM_BENCH", "1");
    wasm.args(["--", "--nocapture"]);
    measure("simulator in headless Chromium (release WebAssembly)", &mut wasm, &mut figures)?;

    println!("\n== release bundle ==");
    let dist = build_app(&tools, true)?;
    let mut wasm_gz_bytes = 0;
    for name in APP_WASM {
        let size = gzip_size(&dist.join(name))?;
        println!("{name} gzip -9: {size} bytes");
        wasm_gz_bytes += size;
    }
    println!("both, as a browser downloads them: {wasm_gz_bytes} bytes");

    let figure = |key: &str| figures.get(key).copied().ok_or_else(|| format!("no `{key}` was measured"));
    let (native_1m_s, wasm_1m_s) = (figure("native_1000000_s")?, figure("wasm_1000000_ms")? / 1e3);
    let summary = [
        ("native_1m_s", native_1m_s),
        ("native_10k_ms", figure("native_10000_ms")?),
        ("native_1m_all_cores_s", figure("native_1000000_all_cores_s")?),
        ("threads", figure("threads")?),
        ("wasm_1m_s", wasm_1m_s),
        ("wasm_10k_ms", figure("wasm_10000_ms")?),
        ("wasm_over_native", (wasm_1m_s / native_1m_s * 100.0).round() / 100.0),
        ("bytes_per_contact", figure("bytes_per_contact")?),
        ("events_1m", figure("events_1000000")?),
        ("rules_speedup_vs_ast", figure("rules_speedup_vs_ast")?),
        ("wasm_gz_bytes", wasm_gz_bytes as f64),
        ("explorer_100k_reprepared_ms", figure("explorer_100000_reprepared_ms")?),
        ("explorer_100k_kept_ms", figure("explorer_100000_kept_ms")?),
    ];
    println!(
        "\nTargets: native 1M <= 0.5 s, wasm 1M <= 1.0 s, wasm 10k <= 20 ms, <= 64 bytes per contact, peak memory for 1M <= 150 MB"
    );
    if let Some(peak) = figures.get("native_peak_memory_mb") {
        println!("native peak memory (1M contacts, whole benchmark process): {peak} MB");
    }
    let fields: Vec<String> = summary.iter().map(|(key, value)| format!("\"{key}\":{value}")).collect();
    println!("{{{}}}", fields.join(","));
    Ok(())
}
