//! `tandem-cli export --to TARGET FILE [--mapping M]`: a journey file as an
//! execution system's document on stdout, and what the target will not
//! enforce on stderr, one line each, so a pipeline can keep both.

use tandem_engine::export::{self, Mapping, Target};
use tandem_engine::format;

use crate::out;

/// The text of `file`, or why it cannot be used (as an option error).
fn text_of(file: &str) -> Result<String, String> {
    crate::read(file)?.map_err(|problem| format!("{file}: {problem}"))
}

/// Runs the command on its arguments (after `export`); `Ok(false)` when the journey file has problems.
pub fn run(args: &[String]) -> Result<bool, String> {
    let parsed = crate::args::parse(args, &[], &["--to", "--mapping"])?;
    let [file] = parsed.files.as_slice() else { return Err("export takes one journey file".into()) };
    let known = Target::ALL.map(Target::key).join(", ");
    let key = parsed.value("--to").ok_or_else(|| format!("export needs --to with one of: {known}"))?;
    let target = Target::from_key(key).ok_or_else(|| format!("--to: unknown target `{key}` (known: {known})"))?;
    let mapping = match parsed.value("--mapping") {
        Some(path) => Mapping::from_json(&text_of(path)?).map_err(|error| format!("{path}: {error}"))?,
        None => Mapping::default(),
    };
    let problems = match crate::read(file)? {
        Ok(text) => match format::import(&text) {
            Ok(journey) => {
                let exported = export::export(&journey, target, &mapping);
                out!("{}", exported.document);
                eprintln!("{} item(s) not carried into {}:", exported.not_carried.len(), target.label());
                exported.not_carried.iter().for_each(|item| eprintln!("- {item}"));
                return Ok(true);
            }
            Err(problems) => problems,
        },
        Err(problem) => vec![problem],
    };
    problems.iter().for_each(|problem| eprintln!("{file}: {problem}"));
    Ok(false)
}
