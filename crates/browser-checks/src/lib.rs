//! The engine inside WebAssembly, in headless Chromium (the browser users
//! run), checked against the native build. `cargo xtask test` runs the
//! golden check and the speed measurement on small cohorts with the
//! component tests; `cargo xtask bench` builds it for release with
//! `TANDEM_BENCH` set, which makes the measurement time the full workload,
//! and reads its `bench:` lines.
//!
//! There is no library here: only tests, which compile to nothing natively.

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use tandem_engine::cohort::CohortSpec;
    use tandem_engine::simulate::{self, Scenario, Simulation, SimulationSettings};
    use tandem_engine::{format, samples};
    use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    /// Pinned by the engine's native golden test.
    const NATIVE_FINGERPRINT: &str = include_str!("../../engine/tests/golden/playbook-2000-seed-7.fingerprint");

    #[wasm_bindgen_test]
    fn the_golden_run_in_the_browser_gives_the_native_fingerprint() {
        assert_eq!(simulate::golden().run().fingerprint(), NATIVE_FINGERPRINT.trim());
    }

    fn now_ms() -> f64 {
        web_sys::window().expect("a window").performance().expect("performance").now()
    }

    fn median(mut runs: Vec<f64>) -> f64 {
        runs.sort_by(f64::total_cmp);
        runs[runs.len() / 2]
    }

    /// Cohort sizes and how many runs of each: the benchmark's workload when
    /// `cargo xtask bench` builds with `TANDEM_BENCH` set, and otherwise small
    /// cohorts, so that every test run checks the measurement itself works.
    const SIZES: &[(u32, usize)] = if option_env!("TANDEM_BENCH").is_some() {
        &[(10_000, 15), (100_000, 5), (1_000_000, 3)]
    } else {
        &[(1_000, 3), (2_000, 1)]
    };

    /// Times the playbook over 90 days for each size, as the native benchmark
    /// does, and prints the median as a `bench:` line.
    ///
    /// The browser first runs freshly loaded WebAssembly with a quick
    /// compiler and recompiles the busy functions fully in the background, so
    /// the first runs of a page are up to three times slower than the rest.
    /// That is a cost per page, not per run: one untimed run of the largest
    /// size comes first (its time printed as `wasm_warm_up_ms`), so that the
    /// small sizes are not timed half in the quick compiler's code.
    #[wasm_bindgen_test]
    fn speed() {
        let journey = samples::playbook();
        let &(largest, _) = SIZES.last().expect("sizes to time");
        let spec = CohortSpec { size: largest, ..CohortSpec::default() };
        let started = now_ms();
        Simulation::new(&journey, &spec, &SimulationSettings::default()).expect("the sample runs").run();
        console_log!("bench: wasm_warm_up_ms={:.2}", now_ms() - started);
        for &(size, runs) in SIZES {
            let spec = CohortSpec { size, ..CohortSpec::default() };
            let simulation = Simulation::new(&journey, &spec, &SimulationSettings::default()).expect("the sample runs");
            let times: Vec<f64> = (0..runs)
                .map(|_| {
                    let started = now_ms();
                    assert_eq!(simulation.run().contacts, size);
                    now_ms() - started
                })
                .collect();
            let median = median(times);
            assert!(median.is_finite() && median >= 0.0, "{median}");
            console_log!("bench: wasm_{size}_ms={median:.2}");
        }
    }

    /// The cohort the contact explorer is timed on: 100,000 contacts for the
    /// benchmark, as the forecast panel would hold them, else a small one.
    const EXPLORED_SIZE: u32 = if option_env!("TANDEM_BENCH").is_some() { 100_000 } else { 2_000 };

    /// What a contact-explorer click costs the worker: re-reading and
    /// re-compiling the run's documents for each click (as the worker once
    /// did), against asking the simulation it keeps from the finished run.
    #[wasm_bindgen_test]
    fn explorer_click() {
        let scenario =
            Scenario { cohort: CohortSpec { size: EXPLORED_SIZE, ..CohortSpec::default() }, ..Scenario::default() };
        let (journey, cohort) = (format::export(&samples::playbook()), format::export_cohort(&scenario));
        let prepare = || {
            let journey = format::import(&journey).expect("the sample imports");
            let scenario = format::import_cohort(&cohort).expect("the default cohort imports");
            Simulation::new(&journey, &scenario.cohort, &scenario.settings).expect("the sample runs")
        };
        let kept = prepare();
        let contacts = (0..21).map(|click| click * (EXPLORED_SIZE as usize / 21));
        let time = |explore: &dyn Fn(usize) -> usize| {
            median(
                contacts
                    .clone()
                    .map(|contact| {
                        let started = now_ms();
                        assert!(explore(contact) > 0, "every contact has a story");
                        now_ms() - started
                    })
                    .collect(),
            )
        };
        let again = time(&|contact| prepare().timeline(contact).expect("a contact").entries.len());
        let held = time(&|contact| kept.timeline(contact).expect("a contact").entries.len());
        assert!(again.is_finite() && held.is_finite());
        console_log!("bench: explorer_{EXPLORED_SIZE}_reprepared_ms={again:.3}");
        console_log!("bench: explorer_{EXPLORED_SIZE}_kept_ms={held:.3}");
    }
}
