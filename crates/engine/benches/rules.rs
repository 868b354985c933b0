//! The compiled rule program against the tree-walking interpreter, both
//! reading the same 1,000,000 synthetic contacts stored column by column,
//! for the sample journey's eligibility and trigger rules.
//!
//! Two things make the program fast, and the table shows them apart. One
//! is compilation: a flat list of tests over codes, evaluated 64 contacts
//! at a time straight from the columns. The other is kept counts: the
//! columns are told which event queries the rules read and keep a count
//! column for each, so an event count is a read instead of a walk through
//! the contact's events.
//! "scanning" is the compiled program on columns that keep no counts; the
//! interpreter always walks the events (it is the reference), so for rules
//! that count events most of the gap between "scanning" and "compiled" is
//! the kept counts, not compilation. Keeping the counts is done once,
//! before the timings, and printed apart: it costs about a scanning pass
//! per query, so it pays only when rules run again over the same events.
//!
//! `cargo bench -p tandem-engine --bench rules` runs the criterion
//! benchmarks, then prints a table with the speed-up for every sample rule;
//! `-- --table` prints only the table.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput};
use tandem_engine::rules::{
    self, ATTRIBUTES, Attribute, AttributeKind, Channel, ContactColumns, ContactRow, Definitions, Event, EventKind,
    Expr, Interpreter, Program, QueryTable, Vocabulary,
};

const CONTACTS: usize = 1_000_000;

/// The rules benchmarked: the sample eligibility and trigger rules.
const RULES: [(&str, &str); 6] = [
    (
        "eligibility",
        r#"consent == "opted_in" and persona in ["VP Sales", "RevOps"] and stage in ["MQL", "SQL"] and industry_risk != "high""#,
    ),
    ("trigger", r#"clicks(email, 7d) >= 2 or visited("pricing", 3d) or meeting_intent or days_in_stage >= 14"#),
    ("webinar trigger", r#"clicks(email, 3d) >= 1 and visited("webinar-registration", 3d)"#),
    ("stalled trigger", "days_in_stage >= 14 and opens(email, 14d) >= 2"),
    ("meeting trigger", r#"meeting_intent or visited("demo", 2d)"#),
    ("sql eligibility", r#"consent == "opted_in" and stage == "SQL""#),
];

const PAGES: [&str; 4] = ["pricing", "webinar-registration", "demo", "careers"];
const OWNERS: [&str; 3] = ["Ana Ruiz", "Ben Okafor", "Chen Wu"];

/// A small deterministic generator (SplitMix64), so every run benchmarks
/// the same cohort.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u32) -> u32 {
        (((self.next() >> 32) * u64::from(bound)) >> 32) as u32
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent
    }
}

/// A cohort with every attribute set and 0 to 7 events per contact in the
/// last 30 days.
fn cohort(size: usize, vocabulary: &mut Vocabulary) -> ContactColumns {
    let pages: Vec<u32> = PAGES.iter().map(|page| vocabulary.intern(page)).collect();
    let owners: Vec<u32> = OWNERS.iter().map(|owner| vocabulary.intern(owner)).collect();
    let mut random = Random(0x7A4D_E11E);
    let mut contacts = ContactColumns::new();
    for _ in 0..size {
        let mut row = ContactRow::new();
        for spec in ATTRIBUTES {
            match spec.kind {
                AttributeKind::Choice(values) => row.set_code(spec.attribute, random.below(values.len() as u32)),
                AttributeKind::Text => row.set_code(spec.attribute, owners[random.below(3) as usize]),
                AttributeKind::Number { .. } => row.set_number(spec.attribute, f64::from(random.below(60))),
                AttributeKind::Flag => row.set_flag(spec.attribute, random.chance(8)),
            };
        }
        row.set_number(Attribute::EngagementScore, f64::from(random.below(101)));
        for _ in 0..random.below(8) {
            let channel = Some(if random.chance(80) { Channel::Email } else { Channel::Sms });
            let minutes_ago = random.below(30 * 24 * 60);
            let event = match random.below(5) {
                0 => Event { kind: EventKind::Click, channel, page: None, minutes_ago },
                1 => Event { kind: EventKind::Open, channel, page: None, minutes_ago },
                2 => Event { kind: EventKind::Reply, channel, page: None, minutes_ago },
                3 => Event {
                    kind: EventKind::Visit,
                    channel: None,
                    page: Some(pages[random.below(4) as usize]),
                    minutes_ago,
                },
                _ => Event { kind: EventKind::SmsReceived, channel: None, page: None, minutes_ago },
            };
            row.add_event(event);
        }
        contacts.push(&row);
    }
    contacts
}

/// A rule in both forms.
struct Rule {
    name: &'static str,
    program: Program,
    tree: Expr,
}

/// The compiled program, 64 contacts at a time: how a simulator evaluates a cohort.
fn compiled_matches(program: &Program, contacts: &ContactColumns) -> usize {
    (0..contacts.len())
        .step_by(64)
        .map(|first| {
            let lanes = match contacts.len() - first {
                64.. => u64::MAX,
                left => (1u64 << left) - 1,
            };
            program.eval_block(contacts, first, lanes).count_ones() as usize
        })
        .sum()
}

/// The compiled program, one contact at a time: how a simulator evaluates
/// a rule when one contact's event arrives.
fn compiled_one_by_one_matches(program: &Program, contacts: &ContactColumns) -> usize {
    (0..contacts.len()).filter(|&contact| program.eval(contacts, contact)).count()
}

fn interpreted_matches(
    interpreter: &Interpreter,
    tree: &Expr,
    contacts: &ContactColumns,
    vocabulary: &Vocabulary,
) -> usize {
    (0..contacts.len()).filter(|&contact| interpreter.eval(tree, contacts, vocabulary, contact)).count()
}

/// The best of a few timed runs.
fn fastest(runs: usize, mut run: impl FnMut() -> usize) -> (Duration, usize) {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            let matches = black_box(run());
            (started.elapsed(), matches)
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let benchmarking = args.iter().any(|arg| arg == "--bench") && !args.iter().any(|arg| arg == "--test");
    // `cargo test --benches` runs each benchmark once; keep that quick.
    let size = if benchmarking { CONTACTS } else { 1_000 };

    let mut vocabulary = Vocabulary::new();
    let scanning = cohort(size, &mut vocabulary);
    let definitions = Definitions::default();
    let interpreter = Interpreter::new(&definitions);
    let mut rules: Vec<Rule> = RULES
        .iter()
        .map(|&(name, text)| {
            let checked = rules::check(text, &definitions);
            let rule = checked.rule.unwrap_or_else(|| panic!("{name} does not check: {:?}", checked.diagnostics));
            Rule { name, program: Program::compile(&rule, &vocabulary), tree: rules::parse(text).expr }
        })
        .collect();
    // Number the queries the rules read, and keep a count for each.
    let table = QueryTable::read_by(rules.iter().map(|rule| &rule.program));
    for rule in &mut rules {
        rule.program.use_slots(&table);
    }
    let mut contacts = scanning.clone();
    let started = Instant::now();
    contacts.keep_counts(&table);
    let keeping = started.elapsed();

    // `-- --table` skips the criterion runs and prints only the table: what
    // `cargo xtask bench` asks for.
    if !args.iter().any(|arg| arg == "--table") {
        let mut criterion = Criterion::default()
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(4))
            .configure_from_args();
        for rule in rules.iter().take(2) {
            let mut group = criterion.benchmark_group(format!("rules/{}", rule.name));
            group.sampling_mode(SamplingMode::Flat).throughput(Throughput::Elements(size as u64));
            group.bench_function("compiled", |bench| bench.iter(|| compiled_matches(&rule.program, &contacts)));
            group.bench_function("compiled one by one", |bench| {
                bench.iter(|| compiled_one_by_one_matches(&rule.program, &contacts))
            });
            group.bench_function("interpreted", |bench| {
                bench.iter(|| interpreted_matches(&interpreter, &rule.tree, &contacts, &vocabulary))
            });
            group.finish();
        }
        criterion.final_summary();
    }

    if !benchmarking {
        return;
    }
    println!("\nNanoseconds per contact, best of 5 runs over {size} contacts; speed-up over the interpreter:");
    println!("(compiled and one by one read kept counts; scanning is compiled, 64 at a time, walking the events)");
    println!(
        "(keeping the counts of the {} queries the rules read took {:.2} ns per contact, once, before these timings)",
        table.queries().len(),
        keeping.as_secs_f64() * 1e9 / size as f64
    );
    println!(
        "{:<16} {:>8} {:>10} {:>9} {:>10} {:>9} {:>10} {:>9} {:>11}",
        "rule", "matches", "compiled", "speed-up", "one by one", "speed-up", "scanning", "speed-up", "interpreted"
    );
    let (mut log_speed_ups, mut log_scanning_speed_ups) = (0.0, 0.0);
    for rule in &rules {
        let (compiled, matches) = fastest(5, || compiled_matches(&rule.program, &contacts));
        let (one_by_one, one_by_one_matches) = fastest(5, || compiled_one_by_one_matches(&rule.program, &contacts));
        let (scanned, scanned_matches) = fastest(5, || compiled_matches(&rule.program, &scanning));
        let (interpreted, interpreted_matches) =
            fastest(5, || interpreted_matches(&interpreter, &rule.tree, &scanning, &vocabulary));
        assert!(
            [one_by_one_matches, scanned_matches, interpreted_matches].iter().all(|&other| other == matches),
            "{}: the program and the interpreter disagree",
            rule.name
        );
        let per_contact = |elapsed: Duration| elapsed.as_secs_f64() * 1e9 / size as f64;
        let speed_up = |elapsed: Duration| interpreted.as_secs_f64() / elapsed.as_secs_f64();
        println!(
            "{:<16} {:>8} {:>10.2} {:>8.1}x {:>10.2} {:>8.1}x {:>10.2} {:>8.1}x {:>11.2}",
            rule.name,
            matches,
            per_contact(compiled),
            speed_up(compiled),
            per_contact(one_by_one),
            speed_up(one_by_one),
            per_contact(scanned),
            speed_up(scanned),
            per_contact(interpreted),
        );
        log_speed_ups += speed_up(compiled).ln();
        log_scanning_speed_ups += speed_up(scanned).ln();
    }
    let mean = |log_sum: f64| (log_sum / rules.len() as f64).exp();
    println!(
        "Geometric means over the {} rules of the speed-ups, 64 at a time, with kept counts and scanning:",
        rules.len()
    );
    println!("bench: rules_speedup_vs_ast={:.1}", mean(log_speed_ups));
    println!("bench: rules_speedup_vs_ast_scanning={:.1}", mean(log_scanning_speed_ups));
}
