//! What each WebAssembly bundle may carry. The page draws, edits and
//! checks; only the worker simulates, synthesises cohorts and reads
//! time-zone rules, and only the page has a UI, reads documents, checks
//! rules and journeys and speaks JSON (it sends the worker a run checked
//! and compiled, and both sides talk in postcard, `src/protocol.rs`). The
//! linker keeps just the code a bundle can reach, so a page that carries
//! the simulator is a page that calls it, and a worker that carries the
//! rule parser is one that reads rules again: every app build checks the
//! function names in both bundles (Trunk's output keeps them; `wasm-opt`
//! drops them later) and fails on a stray. A split release page is checked
//! whole: its main module and every chunk it loads later.

/// Code that belongs to the worker alone, by module path. (The page reads
/// a result's and a story's types from `simulate`, never the simulator.)
const WORKER_ONLY: [&str; 8] = [
    "tandem_engine::simulate::contact::",
    "tandem_engine::simulate::tally::",
    "tandem_engine::simulate::owners::",
    "tandem_engine::cohort::synthesis::",
    "tandem_engine::cohort::columns::",
    "tandem_engine::local_time::",
    "tandem_engine::send_window::",
    "chrono_tz::",
];

/// Code that belongs to the page alone: the UI; JSON, read or written; the
/// document reader; the rule language's parser and checker; and journey
/// validation. A run reaches the worker checked and compiled, so a worker
/// carrying any of them would be reading or checking it again.
const PAGE_ONLY: [&str; 8] = [
    "tachys::",
    "leptos::",
    "plotters::",
    "serde_json::",
    "tandem_engine::format::document::",
    "tandem_engine::rules::parser::",
    "tandem_engine::rules::check::",
    "tandem_engine::validate::",
];

/// A name every page bundle carries when its names are kept at all, so
/// that a bundle without names is not mistaken for a clean one.
const PAGE_NAME: &str = "tandem::app::";
const WORKER_NAME: &str = "tandem::worker::";

/// Which of `forbidden` appear in `bundle`.
fn strays<'a>(bundle: &[u8], forbidden: &[&'a str]) -> Vec<&'a str> {
    forbidden.iter().copied().filter(|name| contains(bundle, name.as_bytes())).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// Checks the page's modules (its main module first, then any chunks it
/// loads later) and the worker's bundle, with their function names,
/// against each other's code; every problem in words.
pub fn check(page: &[&[u8]], worker: &[u8]) -> Result<(), String> {
    let mut problems = Vec::new();
    let main = page.first().copied().unwrap_or_default();
    for (named, modules, name, what, forbidden) in [
        (main, page, PAGE_NAME, "the page", &WORKER_ONLY[..]),
        (worker, &[worker][..], WORKER_NAME, "the worker", &PAGE_ONLY[..]),
    ] {
        if !contains(named, name.as_bytes()) {
            problems.push(format!("{what}'s bundle has no function names to check (no `{name}`)"));
            continue;
        }
        let mut found: Vec<&str> = modules.iter().flat_map(|module| strays(module, forbidden)).collect();
        found.sort_unstable();
        found.dedup();
        if !found.is_empty() {
            problems.push(format!("{what}'s bundle carries code that is not its own: {}", found.join(", ")));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_with_the_others_code_or_without_names_is_refused() {
        let page = b"..tandem::app::App..tandem_engine::format::import..".as_slice();
        let worker = b"..tandem::worker::start..tandem_engine::simulate::plan::Plan::new..".as_slice();
        let chunk = b"..tandem::components::results::view..".as_slice();
        assert_eq!(check(&[page, chunk], worker), Ok(()));

        let heavy_page = [page, b"chrono_tz::timezones::America__New_York"].concat();
        let error = check(&[&heavy_page[..]], worker).unwrap_err();
        assert!(error.contains("the page's bundle carries code that is not its own: chrono_tz::"), "{error}");

        let heavy_chunk = [chunk, b"tandem_engine::simulate::contact::Runner::run"].concat();
        let error = check(&[page, chunk, &heavy_chunk[..]], worker).unwrap_err();
        assert!(error.contains("not its own: tandem_engine::simulate::contact::"), "{error}");

        let drawing_worker = [worker, b"tachys::view::Render"].concat();
        assert!(check(&[page], &drawing_worker).unwrap_err().contains("the worker's bundle carries"));

        let reading_worker =
            [worker, b"serde_json::de::Deserializer<R>", b"tandem_engine::rules::parser::parse"].concat();
        let error = check(&[page], &reading_worker).unwrap_err();
        assert!(error.contains("not its own: serde_json::, tandem_engine::rules::parser::"), "{error}");

        let nameless = check(&[b"\0asm".as_slice(), chunk], worker).unwrap_err();
        assert!(nameless.contains("the page's bundle has no function names"), "{nameless}");
    }
}
