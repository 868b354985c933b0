//! Setting up what building and testing Tandem needs, installing only what
//! is missing and saying what and why.
//!
//! Tools go to a per-user folder ($TANDEM_TOOLS_DIR, default
//! ~/.cache/tandem/tools), never into the clone, so a second clone reuses
//! them; pointing the variable at an empty folder measures a cold set-up.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::process::{first_line, run, which, workspace_root};

const TRUNK_VERSION: &str = "0.21.14";
/// The npm binaryen release whose wasm-opt produces working bundles
/// (Debian's wasm-opt 108 silently corrupts them).
const BINARYEN_VERSION: &str = "132";
/// The axe-core release the accessibility audit runs, pinned so a new rule
/// in a later release cannot change the verdict on unchanged code.
const AXE_CORE_VERSION: &str = "4.14.1";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Where the per-user tools live.
pub struct Toolchain {
    root: PathBuf,
}

/// The browser and its WebDriver, for the browser test tiers.
pub struct Browser {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

impl Toolchain {
    pub fn new() -> Result<Self, String> {
        let root = match std::env::var_os("TANDEM_TOOLS_DIR") {
            Some(folder) => PathBuf::from(folder),
            None => {
                let cache = std::env::var_os("XDG_CACHE_HOME")
                    .map(PathBuf::from)
                    .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
                    .ok_or(
                        "neither HOME nor XDG_CACHE_HOME is set; set TANDEM_TOOLS_DIR to a folder for Tandem's tools",
                    )?;
                cache.join("tandem").join("tools")
            }
        };
        fs::create_dir_all(&root).map_err(|error| format!("cannot create {}: {error}", root.display()))?;
        let root = root.canonicalize().map_err(|error| format!("{}: {error}", root.display()))?;
        Ok(Toolchain { root })
    }

    pub fn bin(&self) -> PathBuf {
        self.root.join("bin")
    }

    /// PATH with the tools folder first, so Trunk finds our wasm-bindgen.
    pub fn path_env(&self) -> OsString {
        let mut folders = vec![self.bin()];
        folders.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
        std::env::join_paths(folders).expect("tool folders have no path separators")
    }

    /// Everything `serve` needs: the wasm target, Trunk and wasm-bindgen.
    pub fn ensure_build_tools(&self) -> Result<(), String> {
        ensure_wasm_target()?;
        self.ensure_cargo_tool(
            "trunk",
            &format!("trunk {TRUNK_VERSION}"),
            &["trunk", "--version", TRUNK_VERSION, "--locked"],
            "Trunk builds and serves the web bundle; about 8 minutes on 2 cores, once",
        )?;
        let version = wasm_bindgen_version()?;
        // Without --locked: a version it pins is no longer on the registry.
        self.ensure_cargo_tool(
            "wasm-bindgen",
            &format!("wasm-bindgen {version}"),
            &["wasm-bindgen-cli", "--version", &format!("={version}")],
            "wasm-bindgen must match the library version in Cargo.lock exactly; about 3 minutes, once",
        )
    }

    fn ensure_cargo_tool(&self, binary: &str, expected: &str, install: &[&str], why: &str) -> Result<(), String> {
        let installed = self.bin().join(binary);
        if first_line(&installed, &["--version"]).is_some_and(|line| line.starts_with(expected)) {
            return Ok(());
        }
        println!("setup: installing {expected} into {} ({why})", self.root.display());
        let started = Instant::now();
        let mut command = crate::process::cargo();
        command.arg("install").args(install).arg("--root").arg(&self.root);
        run(&mut command, &format!("installing {expected}"))?;
        println!("setup: {expected} installed in {:.0?}", started.elapsed());
        Ok(())
    }

    /// A wasm-opt that produces working bundles, or `None` (with a message)
    /// when npm is not available and the bundle stays unoptimised.
    pub fn ensure_wasm_opt(&self) -> Result<Option<PathBuf>, String> {
        let prefix = self.root.join("npm");
        let wasm_opt = prefix.join("node_modules").join(".bin").join("wasm-opt");
        if first_line(&wasm_opt, &["--version"])
            .is_some_and(|line| line.contains(&format!("version {BINARYEN_VERSION}")))
        {
            return Ok(Some(wasm_opt));
        }
        let Some(npm) = which("npm") else {
            println!(
                "setup: npm is not installed, so the release bundle is built without wasm-opt (larger but correct). \
                 Install Node.js and npm to get the optimised bundle."
            );
            return Ok(None);
        };
        println!(
            "setup: installing wasm-opt (npm binaryen@{BINARYEN_VERSION}) into {} (shrinks the release bundle; \
             Debian's binaryen corrupts it); under a minute, once",
            prefix.display()
        );
        npm_install(&npm, &prefix, &format!("binaryen@{BINARYEN_VERSION}"))?;
        Ok(Some(wasm_opt))
    }

    /// axe-core's browser script (`axe.min.js`), which the end-to-end tier
    /// injects into the page to audit accessibility; installed with npm.
    pub fn ensure_axe(&self) -> Result<PathBuf, String> {
        let prefix = self.root.join("axe");
        let script = prefix.join("node_modules").join("axe-core").join("axe.min.js");
        let banner =
            fs::read(&script).ok().map(|bytes| String::from_utf8_lossy(&bytes[..bytes.len().min(40)]).into_owned());
        if banner.is_some_and(|banner| banner.starts_with(&format!("/*! axe v{AXE_CORE_VERSION}\n"))) {
            return Ok(script);
        }
        let npm = which("npm")
            .ok_or("npm is not installed: the accessibility audit needs axe-core from npm; install Node.js and npm")?;
        println!(
            "setup: installing axe-core {AXE_CORE_VERSION} with npm into {} (the end-to-end tier audits \
             accessibility with it); seconds, once",
            prefix.display()
        );
        npm_install(&npm, &prefix, &format!("axe-core@{AXE_CORE_VERSION}"))?;
        Ok(script)
    }

    /// The wasm-bindgen test runner installed with wasm-bindgen.
    pub fn wasm_bindgen_test_runner(&self) -> PathBuf {
        self.bin().join("wasm-bindgen-test-runner")
    }
}

/// Installs one pinned npm package into its own folder under the tools folder.
fn npm_install(npm: &Path, prefix: &Path, package: &str) -> Result<(), String> {
    fs::create_dir_all(prefix).map_err(|error| format!("cannot create {}: {error}", prefix.display()))?;
    run(
        Command::new(npm).args(["install", "--no-audit", "--no-fund", "--prefix"]).arg(prefix).arg(package),
        &format!("installing {package} with npm"),
    )
}

fn ensure_wasm_target() -> Result<(), String> {
    let Some(rustup) = which("rustup") else {
        return Err(format!(
            "rustup was not found: Tandem builds for the browser with the {WASM_TARGET} target, \
             which needs Rust installed through rustup (or that target added to your toolchain by hand)"
        ));
    };
    let installed = Command::new(&rustup)
        .args(["target", "list", "--installed"])
        .current_dir(workspace_root())
        .output()
        .map_err(|error| format!("could not run rustup: {error}"))?;
    if String::from_utf8_lossy(&installed.stdout).lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    println!("setup: adding the Rust target {WASM_TARGET} (the browser's WebAssembly); under a minute, once");
    run(Command::new(rustup).args(["target", "add", WASM_TARGET]).current_dir(workspace_root()), "rustup target add")
}

/// The exact wasm-bindgen library version Cargo.lock pins.
fn wasm_bindgen_version() -> Result<String, String> {
    let lock = fs::read_to_string(workspace_root().join("Cargo.lock"))
        .map_err(|error| format!("cannot read Cargo.lock: {error}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == r#"name = "wasm-bindgen""#
            && let Some(version) = lines.next().and_then(|line| line.trim().strip_prefix("version = "))
        {
            return Ok(version.trim_matches('"').to_owned());
        }
    }
    Err("Cargo.lock names no wasm-bindgen version".into())
}

/// Chromium and ChromeDriver, installed with apt-get when missing and we
/// are root. `CHROMIUM` and `CHROMEDRIVER` may point at other copies.
pub fn ensure_browser() -> Result<Browser, String> {
    let find = |variable: &str, names: &[&str]| -> Option<PathBuf> {
        std::env::var_os(variable)
            .map(PathBuf::from)
            .filter(|path| path.is_file())
            .or_else(|| names.iter().find_map(|name| which(name)))
    };
    let locate = || {
        Some(Browser {
            chromium: find("CHROMIUM", &["chromium", "chromium-browser", "google-chrome"])?,
            chromedriver: find("CHROMEDRIVER", &["chromedriver"])?,
        })
    };
    if let Some(browser) = locate() {
        return Ok(browser);
    }
    let is_root = first_line(Path::new("/usr/bin/id"), &["-u"]).as_deref() == Some("0");
    if !is_root || which("apt-get").is_none() {
        return Err("the browser tests need Chromium and ChromeDriver: install the `chromium` and `chromium-driver` \
                    packages (or set CHROMIUM and CHROMEDRIVER to their paths) and run this again"
            .into());
    }
    println!(
        "setup: installing Chromium and ChromeDriver with apt-get (the browser tests run in them); a few minutes, once"
    );
    run(Command::new("apt-get").args(["update", "-qq"]), "apt-get update")?;
    run(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
        "apt-get install chromium chromium-driver",
    )?;
    locate().ok_or_else(|| "apt-get installed Chromium but chromium or chromedriver is still not on PATH".into())
}

/// The WebAssembly files of a build: the page's and the simulation worker's.
pub const APP_WASM: [&str; 2] = ["tandem_bg.wasm", "tandem-worker_bg.wasm"];

/// How wasm-opt shrinks the page's modules (its main module and its
/// chunks): for size, and knowing that the low kilobyte of memory is never
/// used (Rust puts its stack first, growing down towards address 0, so
/// constant addresses there fold into the loads' offsets), 3 KB less to
/// download.
const PAGE_WASM_OPT_FLAGS: &[&str] = &["-Oz", "--low-memory-unused"];

/// The worker's: plain `-Oz`, the settings its simulation speed is
/// measured with.
const WORKER_WASM_OPT_FLAGS: &[&str] = &["-Oz"];

/// Builds the app with Trunk into `dist/` (the release page then split,
/// [`crate::split`]), checks that the page's modules and the worker carry
/// only their own code ([`crate::bundle`]); release builds are then shrunk
/// with wasm-opt when one is available.
pub fn build_app(tools: &Toolchain, release: bool) -> Result<PathBuf, String> {
    let mut command = Command::new(tools.bin().join("trunk"));
    command.arg("build").current_dir(workspace_root()).env("PATH", tools.path_env());
    if release {
        command.arg("--release");
    }
    run(&mut command, "trunk build")?;
    let dist = workspace_root().join("dist");
    let chunks = if release { crate::split::page(tools, &dist)? } else { Vec::new() };
    let [page, worker] = APP_WASM.map(|name| dist.join(name));
    let read = |path: &PathBuf| fs::read(path).map_err(|error| format!("{}: {error}", path.display()));
    let page_modules = std::iter::once(&page).chain(&chunks).map(read).collect::<Result<Vec<_>, _>>()?;
    let page_modules: Vec<&[u8]> = page_modules.iter().map(Vec::as_slice).collect();
    crate::bundle::check(&page_modules, &read(&worker)?)?;
    println!("build: the page carries no simulator and the worker no UI or JSON writing");
    if release {
        let wasm_opt = tools.ensure_wasm_opt()?;
        let flagged = std::iter::once((&page, PAGE_WASM_OPT_FLAGS))
            .chain(chunks.iter().map(|chunk| (chunk, PAGE_WASM_OPT_FLAGS)))
            .chain([(&worker, WORKER_WASM_OPT_FLAGS)]);
        for (wasm, flags) in flagged {
            match &wasm_opt {
                Some(wasm_opt) => optimise(wasm_opt, wasm, flags)?,
                None => println!("build: {} is not optimised (no wasm-opt)", wasm.display()),
            }
        }
        for wasm in [&page, &worker] {
            let size = fs::metadata(wasm).map_err(|error| format!("{}: {error}", wasm.display()))?.len();
            println!("build: {} is {} KB", wasm.display(), size / 1024);
        }
    }
    Ok(dist)
}

/// Shrinks `wasm` in place with wasm-opt. The split page's modules carry a
/// name subsection wasm-opt does not know (it says so once per module and
/// drops it, as it drops every name); that warning is left out of the
/// output, anything else wasm-opt says is shown.
fn optimise(wasm_opt: &Path, wasm: &Path, flags: &[&str]) -> Result<(), String> {
    let optimised = wasm.with_extension("wasm.opt");
    let output = Command::new(wasm_opt)
        .args(flags)
        .arg(wasm)
        .arg("-o")
        .arg(&optimised)
        .output()
        .map_err(|error| format!("could not start wasm-opt: {error}"))?;
    let said = String::from_utf8_lossy(&output.stderr);
    for line in said.lines().filter(|line| !line.starts_with("warning: unknown name subsection")) {
        eprintln!("{line}");
    }
    if !output.status.success() {
        return Err(format!("wasm-opt failed on {} ({})", wasm.display(), output.status));
    }
    fs::rename(&optimised, wasm).map_err(|error| format!("cannot replace {}: {error}", wasm.display()))
}
