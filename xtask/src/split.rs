//! The page's release bundle, split: the parts of the page marked
//! `#[lazy]` (under `--cfg tandem_split`) become separate WebAssembly
//! chunks that the page fetches on first use, so the first download is
//! only what the first paint needs. Trunk cannot split (it runs
//! wasm-bindgen straight after cargo), so this rebuilds the page after
//! Trunk and replaces its `tandem.js` and `tandem_bg.wasm` in `dist/`:
//!
//! 1. cargo, with the relocations the splitter follows (`--emit-relocs`);
//! 2. `wasm_split_cli_support::transform`: the main module, one module per
//!    lazy function, the chunks they share, and `__wasm_split.js`, which
//!    fetches them and links them to the main module's memory and table;
//! 3. wasm-bindgen on the main module, keeping the linker's exports the
//!    chunks import.
//!
//! The caller checks every module's code and optimises them all
//! ([`crate::toolchain::build_app`]).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{cargo, run, workspace_root};
use crate::toolchain::Toolchain;

/// Builds the split page into `dist` (see the module's comment) and gives
/// the paths of its lazily loaded modules.
pub fn page(tools: &Toolchain, dist: &Path) -> Result<Vec<PathBuf>, String> {
    run(
        cargo()
            .args(["build", "--profile", "page", "--target", "wasm32-unknown-unknown", "--bin", "tandem"])
            // Replaces .cargo/config.toml's target rustflags, so they are repeated here.
            .env("RUSTFLAGS", "--cfg erase_components --cfg tandem_split -Clink-args=--emit-relocs"),
        "cargo build (split page)",
    )?;
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace_root().join("target"), PathBuf::from);
    let built = target.join("wasm32-unknown-unknown").join("page");
    let input = fs::read(built.join("tandem.wasm")).map_err(|error| format!("split: {error}"))?;
    for entry in fs::read_dir(dist).map_err(|error| error.to_string())?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".wasm") && (name.starts_with("chunk_") || name.starts_with("split_")) {
            fs::remove_file(entry.path()).map_err(|error| format!("cannot remove {name}: {error}"))?;
        }
    }
    let main = built.join("tandem_split.wasm");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = dist;
        options.main_out_path = &main;
        options.main_module = "./tandem.js";
        options
    })
    .map_err(|error| format!("splitting the page failed: {error}"))?;
    run(
        Command::new(tools.bin().join("wasm-bindgen"))
            .args(["--target", "web", "--keep-lld-exports", "--no-typescript", "--out-name", "tandem", "--out-dir"])
            .arg(dist)
            .arg(&main),
        "wasm-bindgen (split page)",
    )?;
    preload_startup_parts(&dist.join("index.html"), &split.prefetch_map)?;
    println!("build: the page is split into a main module and {} lazily loaded modules", split.split_modules.len());
    Ok(split.split_modules)
}

/// The lazily loaded parts the app may wait for before its first paint:
/// `library::startup` reads a shared link or a saved undo history with
/// `read_links` before it mounts the app.
const STARTUP_PARTS: &[&str] = &["read_links"];

/// Lets the browser fetch the startup parts' modules (each part's own and
/// the chunks it needs, from the splitter's `prefetch`) beside the main
/// module, with `<link rel="preload">` in `index.html`: a returning visitor
/// then waits for no second round trip. Every part is fetched right after
/// first paint anyway, so this fetches nothing more, only sooner; and
/// `__wasm_split.js`'s `fetch` takes the preloaded response.
fn preload_startup_parts(index: &Path, prefetch: &HashMap<String, Vec<String>>) -> Result<(), String> {
    let mut links = String::new();
    for part in STARTUP_PARTS {
        let (_, stems) = prefetch
            .iter()
            .find(|(name, _)| name.strip_prefix(part).is_some_and(|hash| hash.starts_with('_')))
            .ok_or_else(|| format!("split: the page has no lazily loaded part `{part}`"))?;
        for stem in stems {
            links.push_str(&format!("<link rel=\"preload\" href=\"./{stem}.wasm\" as=\"fetch\" crossorigin />\n    "));
        }
    }
    let html = fs::read_to_string(index).map_err(|error| format!("cannot read {}: {error}", index.display()))?;
    let boot = "<script type=\"module\" src=\"boot.js\"></script>";
    if !html.contains(boot) {
        return Err(format!("split: {} does not start boot.js", index.display()));
    }
    fs::write(index, html.replacen(boot, &format!("{links}{boot}"), 1))
        .map_err(|error| format!("cannot write {}: {error}", index.display()))
}
