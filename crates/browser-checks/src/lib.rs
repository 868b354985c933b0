//! The engine inside WebAssembly, in headless Chromium (the browser users
//! run), checked against the native build. `cargo xtask test` runs the
//! golden check with the component tests; `cargo xtask bench` runs the
//! ignored speed measurement in a release build and reads its `bench:` lines.
//!
//! There is no library here: only tests, which compile to nothing natively.

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use tandem_engine::cohort::CohortSpec;
    use tandem_engine::samples;
    use tandem_engine::simulate::{self, Simulation, SimulationSettings};
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

    /// Times the playbook over 90 days for 10,000, 100,000 and 1,000,000 contacts,
    /// as the native benchmark does. Run by `cargo xtask bench`.
    #[wasm_bindgen_test]
    #[ignore = "a measurement, run by cargo xtask bench in a release build"]
    fn speed() {
        let journey = samples::playbook();
        let prepare = |size: u32| {
            let spec = CohortSpec { size, ..CohortSpec::default() };
            Simulation::new(&journey, &spec, &SimulationSettings::default()).expect("the sample runs")
        };
        let small = prepare(10_000);
        let small_runs: Vec<f64> = (0..15)
            .map(|_| {
                let started = now_ms();
                let result = small.run();
                assert_eq!(result.contacts, 10_000);
                now_ms() - started
            })
            .collect();
        let medium = prepare(100_000);
        let medium_runs: Vec<f64> = (0..5)
            .map(|_| {
                let started = now_ms();
                let result = medium.run();
                assert_eq!(result.contacts, 100_000);
                now_ms() - started
            })
            .collect();
        let large = prepare(1_000_000);
        let large_runs: Vec<f64> = (0..3)
            .map(|_| {
                let started = now_ms();
                let result = large.run();
                assert_eq!(result.contacts, 1_000_000);
                now_ms() - started
            })
            .collect();
        console_log!("bench: wasm_10000_ms={:.2}", median(small_runs));
        console_log!("bench: wasm_100000_ms={:.1}", median(medium_runs));
        console_log!("bench: wasm_1000000_s={:.3}", median(large_runs) / 1e3);
    }
}
