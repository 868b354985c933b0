//! The simulator's speed and memory on its target workload: the playbook
//! sample, a 90-day horizon, 10,000 and 1,000,000 contacts, on one core.
//! `cargo xtask bench` runs it and reads the `bench:` lines it prints;
//! `cargo bench -p tandem-engine --bench simulate` runs it alone.
//!
//! Times are the median of several runs measured here, in one process, so
//! that they compare with each other; drawing the cohort is included, as a
//! user waits for both, and also shown on its own.

use std::hint::black_box;
use std::time::{Duration, Instant};

use tandem_engine::cohort::{CohortSpec, Synthesizer};
use tandem_engine::samples;
use tandem_engine::simulate::{DEFAULT_CHUNK, Simulation, SimulationSettings};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort_unstable();
    runs[runs.len() / 2]
}

fn timed<T>(run: impl FnOnce() -> T) -> (Duration, T) {
    let started = Instant::now();
    let value = black_box(run());
    (started.elapsed(), value)
}

/// The largest resident set the process has had, in bytes (Linux only).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let benchmarking = args.iter().any(|arg| arg == "--bench") && !args.iter().any(|arg| arg == "--test");
    // `cargo test --benches` runs each benchmark once; keep that quick.
    let (large, small, repeats) = if benchmarking { (1_000_000, 10_000, (3, 15)) } else { (2_000, 1_000, (1, 1)) };
    let journey = samples::playbook();
    let settings = SimulationSettings::default();
    let prepare = |size: u32| {
        let spec = CohortSpec { size, ..CohortSpec::default() };
        Simulation::new(&journey, &spec, &settings).expect("the sample runs")
    };

    let small_simulation = prepare(small);
    let small_runs: Vec<Duration> = (0..repeats.1).map(|_| timed(|| small_simulation.run()).0).collect();

    let large_simulation = prepare(large);
    let mut large_runs = Vec::new();
    let mut result = None;
    for _ in 0..repeats.0 {
        let (elapsed, run) = timed(|| large_simulation.run());
        large_runs.push(elapsed);
        result = Some(run);
    }
    let result = result.expect("ran at least once");
    // The same run on every core: its parts add up to exactly the one-core result.
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut parallel_runs = Vec::new();
    for _ in 0..repeats.0 {
        let (elapsed, run) =
            timed(|| large_simulation.finish(large_simulation.count_in_parallel(0..large as usize, threads)));
        assert_eq!(run, result, "every core gives the one-core result");
        parallel_runs.push(elapsed);
    }
    let spec = CohortSpec { size: large, ..CohortSpec::default() };
    let synthesizer = Synthesizer::new(&spec).expect("the default spec is sound");
    let (drawing, bytes_per_contact) = timed(|| {
        let mut bytes = 0;
        for start in (0..large as usize).step_by(DEFAULT_CHUNK) {
            bytes = synthesizer.generate(start..start + DEFAULT_CHUNK).bytes_per_contact();
        }
        bytes
    });

    let large_seconds = median(large_runs).as_secs_f64();
    println!("playbook sample, 90 days, one core; median of {} and {} runs", repeats.0, repeats.1);
    println!("bench: native_{}_ms={:.2}", small, median(small_runs).as_secs_f64() * 1e3);
    println!("bench: native_{}_s={:.3}", large, large_seconds);
    println!("bench: native_{}_all_cores_s={:.3}", large, median(parallel_runs).as_secs_f64());
    println!("bench: threads={threads}");
    println!("bench: native_draw_{}_s={:.3}", large, drawing.as_secs_f64());
    println!("bench: events_{}={}", large, result.totals.events);
    println!("bench: bytes_per_contact={bytes_per_contact}");
    if let Some(peak) = peak_memory() {
        println!("bench: native_peak_memory_mb={:.1}", peak as f64 / 1e6);
    }
    println!(
        "  {} contacts: {:.0} ns per contact, {:.0} ns drawing it; {} emails, {} SMS, {} events",
        large,
        large_seconds * 1e9 / f64::from(large),
        drawing.as_secs_f64() * 1e9 / f64::from(large),
        result.totals.emails_sent,
        result.totals.sms_sent,
        result.totals.events
    );
}
