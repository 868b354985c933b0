//! Drawing the largest cohort a user may ask for (1,000,000 contacts) from
//! the default spec, at once and in chunks of 100,000 as a web worker that
//! reports progress would.
//!
//! `cargo bench -p tandem-engine --bench cohort`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput};
use tandem_engine::cohort::{CohortSpec, MAX_COHORT_SIZE, Synthesizer};

const CHUNK: usize = 100_000;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let benchmarking = args.iter().any(|arg| arg == "--bench") && !args.iter().any(|arg| arg == "--test");
    // `cargo test --benches` runs each benchmark once; keep that quick.
    let size = if benchmarking { MAX_COHORT_SIZE } else { 1_000 };
    let spec = CohortSpec { size, ..CohortSpec::default() };
    let synthesizer = Synthesizer::new(&spec).unwrap_or_else(|problems| panic!("the spec has problems: {problems:?}"));
    let size = synthesizer.size();

    let mut criterion = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8))
        .configure_from_args();
    let mut group = criterion.benchmark_group("cohort");
    group.sampling_mode(SamplingMode::Flat).throughput(Throughput::Elements(size as u64));
    group.bench_function("at once", |bench| bench.iter(|| black_box(synthesizer.generate(0..size))));
    group.bench_function("in chunks", |bench| {
        bench.iter(|| {
            (0..size)
                .step_by(CHUNK)
                .map(|start| black_box(synthesizer.generate(start..start + CHUNK)).len())
                .sum::<usize>()
        })
    });
    group.finish();
    criterion.final_summary();
}
