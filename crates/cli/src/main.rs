//! `tandem-cli`: Tandem's journey format for pipelines. Teams exporting
//! journeys to execution systems run it in their own CI:
//!
//! - `tandem-cli validate FILE... [--json]` prints every problem with its
//!   JSON path (and span, inside rules) and exits 1 if there are any;
//! - `tandem-cli fmt [--check] FILE...` rewrites files in canonical export form;
//! - `tandem-cli schema [cohort]` prints the JSON Schema of `tandem.journey/v1`
//!   (or of `tandem.cohort/v1`);
//! - `tandem-cli cohort` prints the default cohort document, to edit and pass
//!   to `simulate --cohort`;
//! - `tandem-cli sample [NAME]` prints a built-in sample journey;
//! - `tandem-cli simulate FILE [--cohort COHORT] [--size N] [--seed S] [--json] [--contact I]`
//!   forecasts what a synthetic cohort receives from the journey;
//! - `tandem-cli export --to klaviyo|posthog|dittofeed FILE [--mapping M]`
//!   prints the journey as the target's document and lists on stderr what
//!   the target will not enforce.
//!
//! Reading and writing files happens here, at the edge; the engine does no I/O.

use std::fs;
use std::process::ExitCode;

use serde_json::json;
use tandem_engine::{format, samples};

mod export;
mod simulate;

const USAGE: &str = "usage:
  tandem-cli validate [--json] FILE...   report every problem in journey files; exit 1 if any
  tandem-cli fmt [--check] FILE...       rewrite journey files in canonical form (--check: only report)
  tandem-cli schema [cohort]             print the JSON Schema of tandem.journey/v1 (or tandem.cohort/v1)
  tandem-cli cohort                      print the default cohort document (tandem.cohort/v1)
  tandem-cli sample [NAME]               print a built-in sample journey (playbook, late-stage)
  tandem-cli simulate FILE [--cohort COHORT] [--size N] [--seed S] [--json] [--contact I]
                                         simulate a cohort (the COHORT file's, else 10,000 contacts
                                         of the default cohort; --size and --seed override it) through
                                         the journey and print a summary, the full result as JSON,
                                         or one contact's timeline
  tandem-cli export --to klaviyo|posthog|dittofeed FILE [--mapping M]
                                         print the journey as the target's document (account ids
                                         from the JSON mapping M) and, on stderr, what it will not enforce";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("simulate") {
        return finish(simulate::run(&args[1..]).map_err(|error| format!("{error}\n{USAGE}")));
    }
    if args.first().map(String::as_str) == Some("export") {
        return finish(export::run(&args[1..]).map_err(|error| format!("{error}\n{USAGE}")));
    }
    let (flags, files): (Vec<&str>, Vec<&str>) =
        args.iter().skip(1).map(String::as_str).partition(|arg| arg.starts_with("--"));
    let outcome = match (args.first().map(String::as_str), flags.as_slice()) {
        (Some("validate"), [] | ["--json"]) if !files.is_empty() => validate(&files, !flags.is_empty()),
        (Some("fmt"), [] | ["--check"]) if !files.is_empty() => fmt(&files, !flags.is_empty()),
        (Some("schema"), []) if files.is_empty() => {
            print!("{}", format::schema());
            Ok(true)
        }
        (Some("schema"), []) if files == ["cohort"] => {
            print!("{}", format::cohort_schema());
            Ok(true)
        }
        (Some("cohort"), []) if files.is_empty() => {
            print!("{}", format::export_cohort(&tandem_engine::simulate::Scenario::default()));
            Ok(true)
        }
        (Some("sample"), []) if files.len() <= 1 => sample(files.first().copied().unwrap_or("playbook")),
        _ => Err(USAGE.to_owned()),
    };
    finish(outcome)
}

/// The exit code: 0 when all is well, 1 when the input has problems, 2 when the command could not run.
fn finish(outcome: Result<bool, String>) -> ExitCode {
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

fn sample(name: &str) -> Result<bool, String> {
    let journey = samples::all().into_iter().find(|(sample, _)| *sample == name).map(|(_, journey)| journey);
    let journey = journey.ok_or_else(|| format!("there is no sample called `{name}`\n{USAGE}"))?;
    print!("{}", format::export(&journey));
    Ok(true)
}

/// The file's text, or a sentence saying why it cannot be read.
fn read(file: &str) -> Result<String, String> {
    fs::read_to_string(file).map_err(|error| format!("{file}: cannot read: {error}"))
}

fn validate(files: &[&str], as_json: bool) -> Result<bool, String> {
    let mut all_valid = true;
    let mut report = Vec::new();
    for file in files {
        let problems = match format::import(&read(file)?) {
            Ok(_) => Vec::new(),
            Err(problems) => problems,
        };
        all_valid &= problems.is_empty();
        if as_json {
            report.extend(problems.iter().map(|problem| {
                json!({
                    "file": file,
                    "path": problem.path,
                    "message": problem.message,
                    "rule_span": problem.rule_span.map(|(start, end)| json!({"start": start, "end": end})),
                })
            }));
        } else if problems.is_empty() {
            println!("{file}: ok");
        } else {
            for problem in &problems {
                println!("{file}: {problem}");
            }
        }
    }
    if as_json {
        println!("{}", serde_json::to_string_pretty(&report).expect("plain JSON values serialise"));
    }
    Ok(all_valid)
}

fn fmt(files: &[&str], check_only: bool) -> Result<bool, String> {
    let mut all_canonical = true;
    for file in files {
        let text = read(file)?;
        let journey = match format::import(&text) {
            Ok(journey) => journey,
            Err(problems) => {
                for problem in &problems {
                    println!("{file}: {problem}");
                }
                all_canonical = false;
                continue;
            }
        };
        let canonical = format::export(&journey);
        if canonical == text {
            continue;
        }
        all_canonical &= !check_only;
        if check_only {
            println!("{file}: not in canonical form (run tandem-cli fmt {file})");
        } else {
            fs::write(file, canonical).map_err(|error| format!("{file}: cannot write: {error}"))?;
            println!("{file}: formatted");
        }
    }
    Ok(all_canonical)
}
