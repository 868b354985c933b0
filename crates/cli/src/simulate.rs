//! `tandem-cli simulate`: the simulator from the command line, for a quick
//! forecast in a terminal or a pipeline that checks a journey's send volume.

use std::time::Instant;

use tandem_engine::format;
use tandem_engine::simulate::figures::{Funnel, SMS_FUNNEL, STEP_FUNNEL, TOTALS};
use tandem_engine::simulate::{Scenario, Simulation, SimulationResult};

/// Options after `simulate`.
struct Options {
    file: String,
    /// A `tandem.cohort/v1` file; the default cohort and settings without one.
    cohort: Option<String>,
    size: Option<u32>,
    seed: Option<u64>,
    json: bool,
    contact: Option<usize>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options { file: String::new(), cohort: None, size: None, seed: None, json: false, contact: None };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--cohort" => options.cohort = Some(value("--cohort")?.clone()),
            "--size" => options.size = Some(value("--size")?.parse().map_err(|_| "--size needs a whole number")?),
            "--seed" => options.seed = Some(value("--seed")?.parse().map_err(|_| "--seed needs a whole number")?),
            "--contact" => {
                options.contact = Some(value("--contact")?.parse().map_err(|_| "--contact needs a contact number")?)
            }
            "--json" => options.json = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            file if options.file.is_empty() => options.file = file.to_owned(),
            extra => return Err(format!("one journey file at a time (also got {extra})")),
        }
    }
    if options.file.is_empty() {
        return Err("simulate needs a journey file".into());
    }
    Ok(options)
}

/// Prints each problem after the file it is in; always `Ok(false)`, the exit for input with problems.
fn report_problems(file: &str, problems: &[impl std::fmt::Display]) -> Result<bool, String> {
    for problem in problems {
        println!("{file}: {problem}");
    }
    Ok(false)
}

pub fn run(args: &[String]) -> Result<bool, String> {
    let options = parse(args)?;
    let text =
        std::fs::read_to_string(&options.file).map_err(|error| format!("{}: cannot read: {error}", options.file))?;
    let journey = match format::import(&text) {
        Ok(journey) => journey,
        Err(problems) => return report_problems(&options.file, &problems),
    };
    let mut scenario = match &options.cohort {
        Some(file) => {
            let text = std::fs::read_to_string(file).map_err(|error| format!("{file}: cannot read: {error}"))?;
            match format::import_cohort(&text) {
                Ok(scenario) => scenario,
                Err(problems) => return report_problems(file, &problems),
            }
        }
        None => Scenario::default(),
    };
    scenario.cohort.size = options.size.unwrap_or(scenario.cohort.size);
    scenario.cohort.seed = options.seed.unwrap_or(scenario.cohort.seed);
    let simulation = match Simulation::new(&journey, &scenario.cohort, &scenario.settings) {
        Ok(simulation) => simulation,
        Err(problems) => return report_problems(&options.file, &problems),
    };
    if let Some(contact) = options.contact {
        let timeline = simulation
            .timeline(contact)
            .ok_or_else(|| format!("there is no contact {contact} in a cohort of {}", scenario.cohort.size))?;
        if options.json {
            println!("{}", serde_json::to_string_pretty(&timeline).expect("timelines serialise"));
        } else {
            println!("Contact {contact} (times in {}):", timeline.time_zone);
            for (label, value) in &timeline.about {
                println!("  {label}: {value}");
            }
            for entry in &timeline.entries {
                println!("  {}  {:<7} {}", entry.local_time, entry.channel, entry.what);
            }
        }
        return Ok(true);
    }
    let started = Instant::now();
    let result = simulation.run();
    let elapsed = started.elapsed();
    if options.json {
        println!("{}", serde_json::to_string_pretty(&result).expect("results serialise"));
    } else {
        print!("{}", summary(&result));
        println!("simulated in {:.2} s; fingerprint {}", elapsed.as_secs_f64(), result.fingerprint());
    }
    Ok(true)
}

/// A few screens of plain text: totals, funnels, collisions, Sales' load.
fn summary(result: &SimulationResult) -> String {
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
