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
//! workload), and the end-to-end test that times a run in the release app
//! from pressing Run to the figures on screen, run with `TANDEM_BENCH` set
//! (a million contacts). The page's and the worker's bundles are sized
//! apart: the page must not carry what only the worker runs. The page's
//! main module (the first download) is sized apart from the chunks it
//! fetches on first use.

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
    let [page_main_gz_bytes, worker_gz_bytes] = APP_WASM.map(|name| gzip_size(&dist.join(name)));
    let (page_main_gz_bytes, worker_gz_bytes) = (page_main_gz_bytes?, worker_gz_bytes?);
    // The modules `index.html` preloads come with the main module, before
    // first paint: they are part of the first download.
    let index = std::fs::read_to_string(dist.join("index.html")).map_err(|error| format!("index.html: {error}"))?;
    let preloaded: Vec<&str> =
        index.split("<link rel=\"preload\" href=\"./").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    let (mut page_preloaded_gz_bytes, mut page_lazy_gz_bytes, mut chunks) = (0, 0, 0);
    for entry in std::fs::read_dir(&dist).map_err(|error| format!("{}: {error}", dist.display()))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".wasm") && !APP_WASM.contains(&name.as_str()) {
            if preloaded.contains(&name.as_str()) {
                page_preloaded_gz_bytes += gzip_size(&entry.path())?;
            } else {
                page_lazy_gz_bytes += gzip_size(&entry.path())?;
            }
            chunks += 1;
        }
    }
    let page_gz_bytes = page_main_gz_bytes + page_preloaded_gz_bytes;
    println!(
        "page {}: {page_main_gz_bytes} bytes gzip -9, and the {} modules index.html preloads: {page_preloaded_gz_bytes}; \
         the first download: {page_gz_bytes}",
        APP_WASM[0],
        preloaded.len()
    );
    println!(
        "page's other {} lazily loaded modules: {page_lazy_gz_bytes} bytes gzip -9 in all",
        chunks - preloaded.len()
    );
    println!("worker {}: {worker_gz_bytes} bytes gzip -9", APP_WASM[1]);
    let wasm_gz_bytes = page_gz_bytes + page_lazy_gz_bytes + worker_gz_bytes;
    println!("all of them, as a browser downloads them: {wasm_gz_bytes} bytes");

    let mut app = cargo();
    app.args(["test", "--package", "tandem-e2e", "--test", "e2e", "--", "--exact"])
        .arg("forecast::a_run_is_timed_from_pressing_run_to_its_figures_on_screen")
        .arg("--nocapture")
        // Read when the test runs: a million contacts rather than the small run.
        .env("TANDEM_BENCH", "1")
        .env("TANDEM_E2E_DIST", &dist)
        .env("CHROMIUM", &browser.chromium)
        .env("CHROMEDRIVER", &browser.chromedriver);
    measure("the release app: pressing Run to the figures on screen, 1M contacts", &mut app, &mut figures)?;

    let figure = |key: &str| figures.get(key).copied().ok_or_else(|| format!("no `{key}` was measured"));
    let (native_1m_s, wasm_1m_s) = (figure("native_1000000_s")?, figure("wasm_1000000_ms")? / 1e3);
    let summary = [
        ("native_1m_s", native_1m_s),
        ("native_10k_ms", figure("native_10000_ms")?),
        ("native_1m_all_cores_s", figure("native_1000000_all_cores_s")?),
        ("threads", figure("threads")?),
        ("wasm_1m_s", wasm_1m_s),
        ("wasm_10k_ms", figure("wasm_10000_ms")?),
        ("wasm_warm_up_ms", figure("wasm_warm_up_ms")?),
        ("wasm_over_native", (wasm_1m_s / native_1m_s * 100.0).round() / 100.0),
        ("bytes_per_contact", figure("bytes_per_contact")?),
        ("events_1m", figure("events_1000000")?),
        ("rules_speedup_vs_ast", figure("rules_speedup_vs_ast")?),
        ("rules_speedup_vs_ast_scanning", figure("rules_speedup_vs_ast_scanning")?),
        ("wasm_gz_bytes", wasm_gz_bytes as f64),
        ("page_gz_bytes", page_gz_bytes as f64),
        ("page_main_gz_bytes", page_main_gz_bytes as f64),
        ("page_lazy_gz_bytes", page_lazy_gz_bytes as f64),
        ("worker_gz_bytes", worker_gz_bytes as f64),
        ("app_1m_s", figure("app_1000000_s")?),
        ("app_workers", figure("app_workers")?),
        ("app_1m_result_s", figure("app_1000000_result_s")?),
        ("app_1m_shard_s", figure("app_1000000_shard_s")?),
        ("app_1m_simulating_s", figure("app_1000000_simulating_s")?),
        ("app_1m_merging_ms", figure("app_1000000_merging_ms")?),
        ("app_1m_pool1_s", figure("app_1000000_pool1_s")?),
        ("app_1m_pool2_s", figure("app_1000000_pool2_s")?),
        ("app_1m_pool3_s", figure("app_1000000_pool3_s")?),
        ("explorer_100k_reprepared_ms", figure("explorer_100000_reprepared_ms")?),
        ("explorer_100k_kept_ms", figure("explorer_100000_kept_ms")?),
    ];
    println!(
        "\nTargets (2 cores): native 1M <= 0.5 s on one core and <= 0.3 s on all, wasm 1M <= 0.75 s, wasm 10k <= 10 ms, \
         wasm/native <= 1.3, compiled rules >= 10x the tree-walker, <= 64 bytes per contact, peak memory for 1M <= 150 MB, \
         app 1M <= 0.6 s, page <= 300,000 and worker <= 200,000 bytes gzipped"
    );
    println!(
        "the app's 1M run: {:.3} s on screen, the result in {:.3} s, the slowest shard {:.3} s of which {:.3} s simulating, \
         the merge {:.0} ms, {} workers",
        figure("app_1000000_s")?,
        figure("app_1000000_result_s")?,
        figure("app_1000000_shard_s")?,
        figure("app_1000000_simulating_s")?,
        figure("app_1000000_merging_ms")?,
        figure("app_workers")?,
    );
    println!(
        "the pool's speed-up (1M in the app, pools of 1, 2 and 3 workers): {:.3} s, {:.3} s ({:.2}x), {:.3} s ({:.2}x)",
        figure("app_1000000_pool1_s")?,
        figure("app_1000000_pool2_s")?,
        figure("app_1000000_pool1_s")? / figure("app_1000000_pool2_s")?,
        figure("app_1000000_pool3_s")?,
        figure("app_1000000_pool1_s")? / figure("app_1000000_pool3_s")?,
    );
    if let Some(peak) = figures.get("native_peak_memory_mb") {
        println!("native peak memory (1M contacts, whole benchmark process): {peak} MB");
    }
    let fields: Vec<String> = summary.iter().map(|(key, value)| format!("\"{key}\":{value}")).collect();
    println!("{{{}}}", fields.join(","));
    Ok(())
}
