//! `tandem-cli simulate`: the simulator from the command line, for a quick
//! forecast in a terminal or a pipeline that checks a journey's send volume,
//! a sends log a reviewer can audit line by line, and one shard of a run
//! too big for one machine (its partial result goes to `tandem-cli merge`).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::ops::Range;
use std::time::Instant;

use tandem_engine::cohort::{MAX_COHORT_SIZE, MAX_SHARDED_COHORT_SIZE};
use tandem_engine::format;
use tandem_engine::simulate::figures::{Funnel, SMS_FUNNEL, STEP_FUNNEL, TOTALS};
use tandem_engine::simulate::{DEFAULT_CHUNK, Scenario, SendRecord, Shard, Simulation, SimulationResult};

use crate::args::{self, Args};
use crate::{out, read, report_problems};

const SWITCHES: &[&str] = &["--json"];
const OPTIONS: &[&str] =
    &["--cohort", "--size", "--seed", "--start", "--contact", "--sends", "--sends-format", "--shard"];

/// The shard `I/N` names, with I from 0 to N − 1.
fn shard(options: &Args) -> Result<Option<Shard>, String> {
    let Some(text) = options.value("--shard") else { return Ok(None) };
    let wrong = || format!("--shard: `{text}` is not INDEX/COUNT, e.g. 0/8 for the first of 8 shards");
    let (index, count) = text.split_once('/').ok_or_else(wrong)?;
    let (index, count): (u32, u32) = (index.parse().map_err(|_| wrong())?, count.parse().map_err(|_| wrong())?);
    if count == 0 || index >= count {
        return Err(format!("--shard {text}: the index runs from 0 to COUNT - 1, and COUNT is at least 1"));
    }
    Ok(Some(Shard { index, count }))
}

/// The `tandem.cohort/v1` scenario with the options' overrides, or the
/// problems of the cohort file (`Ok(Err(..))`).
fn scenario(options: &Args) -> Result<Result<Scenario, (String, Vec<String>)>, String> {
    let mut scenario = match options.value("--cohort") {
        Some(file) => {
            match read(file)?.map_err(|problem| vec![problem]).and_then(|text| format::import_cohort(&text)) {
                Ok(scenario) => scenario,
                Err(problems) => {
                    return Ok(Err((file.to_owned(), problems.iter().map(ToString::to_string).collect())));
                }
            }
        }
        None => Scenario::default(),
    };
    let size = options.number("--size", 1, u64::from(MAX_SHARDED_COHORT_SIZE))?;
    scenario.cohort.size = size.map_or(scenario.cohort.size, |size| size as u32);
    scenario.cohort.seed = options.number("--seed", 0, u64::MAX)?.unwrap_or(scenario.cohort.seed);
    if let Some(start) = options.value("--start") {
        scenario.settings.start = tandem_engine::format::iso_date(start)
            .ok_or_else(|| format!("--start: `{start}` is not a date; it takes a day like 2026-03-02 (YYYY-MM-DD)"))?;
    }
    Ok(Ok(scenario))
}

/// Where the sends log goes, and how each record is written there.
struct SendsLog {
    file: String,
    writer: BufWriter<File>,
    csv: bool,
    /// The first write that failed; the run stops at the end of the chunk.
    failed: Option<std::io::Error>,
}

impl SendsLog {
    fn create(options: &Args) -> Result<Option<SendsLog>, String> {
        let csv = match options.value("--sends-format") {
            None | Some("jsonl") => false,
            Some("csv") => true,
            Some(other) => return Err(format!("--sends-format: `{other}` is not a format; use jsonl or csv")),
        };
        let Some(file) = options.value("--sends") else {
            return match options.value("--sends-format") {
                Some(_) => Err("--sends-format needs --sends LOG".into()),
                None => Ok(None),
            };
        };
        let created = File::create(file).map_err(|error| format!("{file}: cannot write: {error}"))?;
        let mut log = SendsLog { file: file.to_owned(), writer: BufWriter::new(created), csv, failed: None };
        if csv {
            let header = SendRecord::COLUMNS.join(",");
            log.line(|writer| writeln!(writer, "{header}"));
        }
        Ok(Some(log))
    }

    fn line(&mut self, write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>) {
        if self.failed.is_none() {
            self.failed = write(&mut self.writer).err();
        }
    }

    /// One record: a JSON object on its own line, or a CSV row.
    fn write(&mut self, record: SendRecord<'_>) {
        let csv = self.csv;
        self.line(|writer| {
            if !csv {
                serde_json::to_writer(&mut *writer, &record)?;
                return writeln!(writer);
            }
            let row = serde_json::to_value(&record).expect("records serialise");
            let cells: Vec<String> = row
                .as_object()
                .expect("a record is an object")
                .values()
                .map(|value| match value {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(text) if text.contains([',', '"', '\n']) => {
                        format!("\"{}\"", text.replace('"', "\"\""))
                    }
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                })
                .collect();
            writeln!(writer, "{}", cells.join(","))
        });
    }

    fn close(mut self) -> Result<(), String> {
        self.line(|writer| writer.flush());
        self.failed.map_or(Ok(()), |error| Err(format!("{}: cannot write: {error}", self.file)))
    }
}

/// Counts contacts `range` chunk by chunk, telling `log` every attempt as it
/// happens, so memory holds one chunk whatever the cohort's size.
fn count(
    simulation: &Simulation,
    range: Range<usize>,
    log: &mut SendsLog,
) -> Result<tandem_engine::simulate::Partial, String> {
    let mut tally = simulation.empty();
    for start in range.clone().step_by(DEFAULT_CHUNK) {
        let chunk = start..(start + DEFAULT_CHUNK).min(range.end);
        let mut part = simulation.empty();
        let mut writer = simulation.sends_log(|record| log.write(record));
        simulation.run_with(chunk, &mut (&mut part, &mut writer));
        if let Some(error) = &log.failed {
            return Err(format!("{}: cannot write: {error}", log.file));
        }
        tally.merge(part);
    }
    Ok(tally)
}

/// Prints a result: the summary with `how` it was made, or all of it as JSON.
pub fn print_result(result: &SimulationResult, json: bool, how: &str) {
    if json {
        out!("{}\n", serde_json::to_string_pretty(result).expect("results serialise"));
    } else {
        out!("{}", summary(result));
        out!("{how}; fingerprint {}\n", result.fingerprint());
    }
}

pub fn run(args: &[String]) -> Result<bool, String> {
    let options = args::parse(args, SWITCHES, OPTIONS)?;
    let file = match options.files.as_slice() {
        [file] => file.as_str(),
        [] => return Err("simulate needs a journey file".into()),
        [_, extra, ..] => return Err(format!("one journey file at a time (also got {extra})")),
    };
    let shard = shard(&options)?;
    let contact = options.number("--contact", 0, u64::from(u32::MAX))?;
    if shard.is_some() && options.switch("--json") {
        return Err("--shard prints a partial result; --json does not apply".into());
    }
    if contact.is_some() && (shard.is_some() || options.value("--sends").is_some()) {
        return Err("--contact tells one contact's story; it does not combine with --shard or --sends".into());
    }
    let scenario = match scenario(&options)? {
        Ok(scenario) => scenario,
        Err((cohort, problems)) => return report_problems(&cohort, &problems),
    };
    let size = scenario.cohort.size as usize;
    let range = shard.map_or(0..size, |shard| shard.range(size));
    if range.len() > MAX_COHORT_SIZE as usize {
        let at_least = size.div_ceil(MAX_COHORT_SIZE as usize);
        return Err(match shard {
            None => format!(
                "--size: one run simulates at most {MAX_COHORT_SIZE} contacts; split {size} into at least \
                 {at_least} shards with --shard"
            ),
            Some(Shard { count, .. }) => format!(
                "--shard: {count} shards of {size} contacts hold up to {} each; one run simulates at most \
                 {MAX_COHORT_SIZE}, so use at least {at_least} shards",
                range.len()
            ),
        });
    }
    let journey = match read(file)?.map_err(|problem| vec![problem]).and_then(|text| format::import(&text)) {
        Ok(journey) => journey,
        Err(problems) => return report_problems(file, &problems),
    };
    let simulation = match Simulation::up_to(&journey, &scenario.cohort, &scenario.settings, MAX_SHARDED_COHORT_SIZE) {
        Ok(simulation) => simulation,
        Err(problems) => return report_problems(file, &problems),
    };
    if let Some(contact) = contact {
        let timeline = simulation
            .timeline(contact as usize)
            .ok_or_else(|| format!("there is no contact {contact} in a cohort of {size}"))?;
        if options.switch("--json") {
            out!("{}\n", serde_json::to_string_pretty(&timeline).expect("timelines serialise"));
        } else {
            out!("Contact {contact} (times in {}):\n", timeline.time_zone);
            for (label, value) in &timeline.about {
                out!("  {label}: {value}\n");
            }
            for entry in &timeline.entries {
                out!("  {}  {:<7} {}\n", entry.local_time, entry.channel, entry.what);
            }
        }
        return Ok(true);
    }
    let started = Instant::now();
    let sends = SendsLog::create(&options)?;
    // A sends log is written in contact order, from one thread; counts alone
    // use every core (the parts add up to exactly one thread's count).
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let (tally, threads) = match sends {
        Some(mut log) => {
            let tally = count(&simulation, range, &mut log)?;
            log.close()?;
            (tally, 1)
        }
        None => (simulation.count_in_parallel(range, threads), threads),
    };
    match shard {
        Some(shard) => out!("{}", format::export_partial(&journey, &scenario, shard, &tally)),
        None => {
            let result = simulation.finish(tally);
            let cores = if threads == 1 { "1 thread".to_owned() } else { format!("{threads} threads") };
            let how = format!("simulated in {:.2} s on {cores}", started.elapsed().as_secs_f64());
            print_result(&result, options.switch("--json"), &how);
        }
    }
    Ok(true)
}

/// A few screens of plain text: totals, funnels, collisions, Sales' load.
pub fn summary(result: &SimulationResult) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} contacts, seed {}, {} days from {}",
        result.contacts, result.seed, result.horizon_days, result.start
    );
    for total in &TOTALS {
        let _ = writeln!(out, "  {:<20} {:>9}", total.label, total.text(result));
    }
    out.push_str("\nSMS funnel per touchpoint:\n");
    funnel(&mut out, &SMS_FUNNEL, result, |touchpoint, out| {
        for blocked in &touchpoint.blocked {
            let _ = writeln!(out, "      blocked {:>6}× {}", blocked.count, blocked.reason);
        }
    });
    out.push_str("\nEmail funnel per nurture step:\n");
    funnel(&mut out, &STEP_FUNNEL, result, |_, _| {});
    let _ = writeln!(out, "\nCollisions (two messages within 24 h):");
    for collision in &result.collisions {
        let _ = writeln!(out, "  {:<18} {}", collision.kind, collision.count);
    }
    let _ = writeln!(out, "\nSales:");
    for owner in &result.owners {
        let _ = writeln!(
            out,
            "  {:<12} {:>5} replies, {} within SLA, median {} min, p90 {} min",
            owner.name, owner.replies, owner.within_sla, owner.median_minutes_to_answer, owner.p90_minutes_to_answer
        );
    }
    for sla in &result.sla {
        let _ = writeln!(
            out,
            "  {:<12} {} of {} answered within {} min ({:.1}%)",
            sla.cohort,
            sla.within_sla,
            sla.replies,
            sla.sla_minutes,
            sla.share * 100.0
        );
    }
    let hours: Vec<String> = result
        .sms_by_local_hour
        .iter()
        .enumerate()
        .filter(|(_, count)| **count > 0)
        .map(|(hour, count)| format!("{hour:02}h {count}"))
        .collect();
    let _ = writeln!(out, "\nSMS by recipient's local hour: {}", hours.join(", "));
    out
}

/// A funnel as a table: a row per id, a column each, then `details` under each row.
fn funnel<Row>(out: &mut String, funnel: &Funnel<Row>, result: &SimulationResult, details: fn(&Row, &mut String)) {
    use std::fmt::Write;
    let widths: Vec<usize> = funnel.columns.iter().map(|column| column.label.chars().count().max(7)).collect();
    let _ = write!(out, "  {:<24}", funnel.heading);
    for (column, width) in funnel.columns.iter().zip(&widths) {
        let _ = write!(out, "  {:>width$}", column.label);
    }
    out.push('\n');
    for row in (funnel.rows)(result) {
        let _ = write!(out, "  {:<24}", (funnel.id)(row));
        for (column, width) in funnel.columns.iter().zip(&widths) {
            let _ = write!(out, "  {:>width$}", (column.read)(row));
        }
        out.push('\n');
        details(row, out);
    }
}
