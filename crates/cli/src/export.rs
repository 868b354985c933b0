//! `tandem-cli export --to TARGET FILE [--mapping M]`: a journey file as an
//! execution system's document on stdout, and what the target will not
//! enforce on stderr, one line each, so a pipeline can keep both.

use tandem_engine::export::{self, Mapping, Target};
use tandem_engine::format;

/// Runs the command on its arguments (after `export`); `Ok(false)` when the journey file has problems.
pub fn run(args: &[String]) -> Result<bool, String> {
    let (mut target, mut mapping, mut file) = (None, None, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--to" => {
                let key = args.next().ok_or("--to needs a target")?;
                let known = Target::ALL.map(Target::key).join(", ");
                target = Some(Target::from_key(key).ok_or(format!("unknown target `{key}` (known: {known})"))?);
            }
            "--mapping" => mapping = Some(args.next().ok_or("--mapping needs a file")?),
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
            _ if file.is_some() => return Err("export takes one journey file".into()),
            path => file = Some(path),
        }
    }
    let (Some(target), Some(file)) = (target, file) else { return Err("export needs --to TARGET and a FILE".into()) };
    let mapping = match mapping {
        Some(path) => Mapping::from_json(&crate::read(path)?).map_err(|error| format!("{path}: {error}"))?,
        None => Mapping::default(),
    };
    let journey = match format::import(&crate::read(file)?) {
        Ok(journey) => journey,
        Err(problems) => {
            problems.iter().for_each(|problem| eprintln!("{file}: {problem}"));
            return Ok(false);
        }
    };
    let exported = export::export(&journey, target, &mapping);
    print!("{}", exported.document);
    eprintln!("{} item(s) not carried into {}:", exported.not_carried.len(), target.label());
    exported.not_carried.iter().for_each(|item| eprintln!("- {item}"));
    Ok(true)
}
