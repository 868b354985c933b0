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
//! - `tandem-cli simulate FILE [--cohort COHORT] [--size N] [--seed S] [--start DATE] [--json] [--contact I]
//!   [--sends LOG [--sends-format csv]] [--shard I/N]` forecasts what a synthetic cohort receives from the
//!   journey, logs every send, or simulates one shard of a bigger run;
//! - `tandem-cli merge [--json] PART...` combines the shards' partial results into the result of one run.
//! - `tandem-cli export --to klaviyo|posthog|dittofeed FILE [--mapping M]`
//!   prints the journey as the target's document and lists on stderr what
//!   the target will not enforce.
//!
//! Reading and writing files happens here, at the edge; the engine does no I/O.

use std::fs;
use std::process::ExitCode;

use serde_json::json;
use tandem_engine::format::ImportProblem;
use tandem_engine::{format, samples};

mod args;
mod export;
mod merge;
mod simulate;

/// Writes to standard output like `print!`. A closed pipe (`| head`) ends
/// the program quietly with exit 0, as ripgrep does: no one is reading.
macro_rules! out {
    ($($arg:tt)*) => { $crate::write_out(format_args!($($arg)*)) };
}
pub(crate) use out;

pub fn write_out(text: std::fmt::Arguments) {
    use std::io::Write;
    if let Err(error) = std::io::stdout().lock().write_fmt(text) {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("cannot write the output: {error}");
            std::process::exit(2);
        }
        std::process::exit(0);
    }
}

const USAGE: &str = "usage:
  tandem-cli validate [--json] FILE...   report every problem in journey files; exit 1 if any
  tandem-cli fmt [--check] FILE...       rewrite journey files in canonical form (--check: only report)
  tandem-cli schema [cohort]             print the JSON Schema of tandem.journey/v1 (or tandem.cohort/v1)
  tandem-cli cohort                      print the default cohort document (tandem.cohort/v1)
  tandem-cli sample [NAME]               print a built-in sample journey (playbook, late-stage)
  tandem-cli simulate FILE [--cohort COHORT] [--size N] [--seed S] [--start YYYY-MM-DD] [--json] [--contact I]
                    [--sends LOG [--sends-format jsonl|csv]] [--shard I/N]
                                         simulate a cohort (the COHORT file's, else 10,000 contacts
                                         of the default cohort; --size, --seed and --start override it)
                                         through the journey and print a summary, the full result as
                                         JSON, or one contact's timeline; --sends writes every message
                                         attempt to LOG; --shard I/N (I from 0 to N-1) simulates the
                                         I-th of N contact ranges and prints a partial result
  tandem-cli merge [--json] PART...      combine the partial results of every shard of a run into
                                         the result of one run (a summary, or JSON with --json)
  tandem-cli export --to klaviyo|posthog|dittofeed FILE [--mapping M]
                                         print the journey as the target's document (account ids
                                         from the JSON mapping M) and, on stderr, what it will not enforce
  tandem-cli --help                      this text

exit codes:
  0  all is well
  1  the input has problems (each printed on stdout with its file and JSON path)
  2  the command could not run: misuse (an unknown, repeated or wrong option), or a file
     that cannot be read or written";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let with_usage = |error: String| format!("{error}\n{USAGE}");
    match args.first().map(String::as_str) {
        Some("simulate") => return finish(simulate::run(&args[1..]).map_err(with_usage)),
        Some("merge") => return finish(merge::run(&args[1..]).map_err(with_usage)),
        Some("export") => return finish(export::run(&args[1..]).map_err(with_usage)),
        Some("--help" | "-h" | "help") if args.len() == 1 => {
            out!("{USAGE}\n");
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let switches: &[&str] = match args.first().map(String::as_str) {
        Some("validate") => &["--json"],
        Some("fmt") => &["--check"],
        _ => &[],
    };
    let parsed = match args::parse(args.get(1..).unwrap_or_default(), switches, &[]) {
        Ok(parsed) => parsed,
        Err(error) => return finish(Err(with_usage(error))),
    };
    let files: Vec<&str> = parsed.files.iter().map(String::as_str).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("validate") if !files.is_empty() => validate(&files, parsed.switch("--json")),
        Some("fmt") if !files.is_empty() => fmt(&files, parsed.switch("--check")),
        Some("schema") if files.is_empty() => {
            out!("{}", format::schema());
            Ok(true)
        }
        Some("schema") if files == ["cohort"] => {
            out!("{}", format::cohort_schema());
            Ok(true)
        }
        Some("cohort") if files.is_empty() => {
            out!("{}", format::export_cohort(&tandem_engine::simulate::Scenario::default()));
            Ok(true)
        }
        Some("sample") if files.len() <= 1 => sample(files.first().copied().unwrap_or("playbook")),
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
    out!("{}", format::export(&journey));
    Ok(true)
}

/// The file's text (or the problem that it is not UTF-8 text), or a
/// sentence saying why it cannot be read at all.
pub fn read(file: &str) -> Result<Result<String, ImportProblem>, String> {
    let bytes = fs::read(file).map_err(|error| format!("{file}: cannot read: {error}"))?;
    Ok(format::utf8(&bytes).map(str::to_owned))
}

/// Prints each problem after the file it is in; always `Ok(false)`, the exit for input with problems.
pub fn report_problems(file: &str, problems: &[impl std::fmt::Display]) -> Result<bool, String> {
    for problem in problems {
        out!("{file}: {problem}\n");
    }
    Ok(false)
}

fn validate(files: &[&str], as_json: bool) -> Result<bool, String> {
    let mut all_valid = true;
    let mut report = Vec::new();
    for file in files {
        let problems = match read(file)?.map_err(|problem| vec![problem]).and_then(|text| format::import(&text)) {
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
            out!("{file}: ok\n");
        } else {
            report_problems(file, &problems)?;
        }
    }
    if as_json {
        out!("{}\n", serde_json::to_string_pretty(&report).expect("plain JSON values serialise"));
    }
    Ok(all_valid)
}

fn fmt(files: &[&str], check_only: bool) -> Result<bool, String> {
    let mut all_canonical = true;
    for file in files {
        let text = match read(file)? {
            Ok(text) => text,
            Err(problem) => {
                all_canonical = report_problems(file, &[problem])?;
                continue;
            }
        };
        let journey = match format::import(&text) {
            Ok(journey) => journey,
            Err(problems) => {
                all_canonical = report_problems(file, &problems)?;
                continue;
            }
        };
        let canonical = format::export(&journey);
        if canonical == text {
            continue;
        }
        all_canonical &= !check_only;
        if check_only {
            out!("{file}: not in canonical form (run tandem-cli fmt {file})\n");
        } else {
            fs::write(file, canonical).map_err(|error| format!("{file}: cannot write: {error}"))?;
            out!("{file}: formatted\n");
        }
    }
    Ok(all_canonical)
}
