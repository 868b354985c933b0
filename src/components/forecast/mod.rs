//! The forecast under the timeline, in four parts that share nothing but
//! the [`Forecaster`] and the run it holds:
//!
//! - [`run`] starts runs (by hand, or by itself after each edit for small
//!   cohorts), pins a baseline, saves the report and shows progress with
//!   Cancel;
//! - a finished run is drawn by [`finished_run`]: its headline figures with
//!   deltas against the baseline, the [`charts`], and the [`tables`];
//! - the [`explorer`] tells any one contact's story in that run.
//!
//! What a number is called and how it is read comes from
//! `tandem_engine::simulate::figures`, which the report and the command
//! line read too, so the three always show the same columns.

mod charts;
mod explorer;
pub(crate) mod run;
mod tables;

use leptos::prelude::*;
use tandem_engine::simulate::SimulationResult;
use tandem_engine::simulate::figures;

use crate::designer::Designer;
use crate::forecast::{Forecast, Forecaster, RunTimings};
use crate::lazy_parts;
use explorer::Explorer;
use run::{RunControls, RunProgress};

#[component]
pub fn ForecastPanel(designer: Designer, forecaster: Forecaster) -> impl IntoView {
    run::follow_edits(designer, forecaster);
    let state = forecaster.state;
    let selected_day = RwSignal::new(None::<u16>);
    let problems = move || {
        state
            .with(|state| state.problems.clone())
            .into_iter()
            .map(|problem| view! { <li data-testid="forecast-problem">{problem}</li> })
            .collect_view()
    };
    let finished = move || {
        state.with(|state| {
            // A run that cannot start shows what blocks it instead of an old result.
            if !state.problems.is_empty() {
                return None;
            }
            let finished = state.result.as_ref()?;
            let (result, timings, baseline) = (finished.result.clone(), finished.timings, state.baseline.clone());
            Some(lazy_parts::draw(|| finished_run_view(designer, result, timings, baseline, selected_day)))
        })
    };
    view! {
        <section class="forecast" aria-label="Forecast" data-testid="forecast">
            <RunControls designer forecaster />
            <RunProgress forecaster />
            // Out of date only says so while a result is shown: a journey
            // with problems shows those instead (and no empty frame).
            <Show when=move || showing_stale(state) && forecaster.running.with(Option::is_none)>
                <p class="stale" data-testid="forecast-stale">"Out of date: the journey changed since this run. Press Run to update it."</p>
            </Show>
            <ul class="forecast-problems">{problems}</ul>
            <div class:stale-result=move || showing_stale(state)>{finished}</div>
            <Show when=move || state.with(|state| state.result.is_some())>
                {move || lazy_parts::draw(|| explorer_view(designer, forecaster))}
            </Show>
        </section>
    }
}

/// Whether an old result is on screen while the journey has changed since.
fn showing_stale(state: RwSignal<Forecast>) -> bool {
    state.with(|state| state.stale && state.problems.is_empty())
}

/// The [`Explorer`], fetched the first time a run finishes.
#[cfg_attr(tandem_split, leptos::lazy)]
pub(crate) async fn explorer_view(designer: Designer, forecaster: Forecaster) -> AnyView {
    view! { <Explorer designer forecaster /> }.into_any()
}

/// [`finished_run`], fetched with its charts and tables the first time a
/// run finishes.
#[cfg_attr(tandem_split, leptos::lazy)]
pub(crate) async fn finished_run_view(
    designer: Designer,
    result: SimulationResult,
    timings: RunTimings,
    baseline: Option<SimulationResult>,
    selected_day: RwSignal<Option<u16>>,
) -> AnyView {
    finished_run(designer, &result, timings, baseline.as_ref(), selected_day).into_any()
}

/// A finished run, with where its time went: what it was, its headline
/// figures, charts and tables, each against `baseline` if one is pinned.
/// The timings are also given to measuring tools as `data-` attributes.
fn finished_run(
    designer: Designer,
    result: &SimulationResult,
    timings: RunTimings,
    baseline: Option<&SimulationResult>,
    selected_day: RwSignal<Option<u16>>,
) -> impl IntoView + use<> {
    let figures = figures::headlines()
        .map(|total| {
            let delta = baseline.map(|baseline| total.delta(result, baseline));
            view! {
                <div class="figure">
                    <dt>{total.label}</dt>
                    <dd data-testid=format!("forecast-{}", total.key)>{total.text(result)}</dd>
                    {delta.map(|delta| view! { <dd class="delta" data-testid=format!("forecast-{}-delta", total.key)>{delta}</dd> })}
                </div>
            }
        })
        .collect_view();
    view! {
        <p class="forecast-meta" data-testid="forecast-meta" data-workers=timings.workers
            data-elapsed-ms=timings.elapsed_ms data-shard-ms=timings.shard_ms
            data-simulating-ms=timings.simulating_ms data-merging-ms=timings.merging_ms>
            {format!(
                "{} contacts, seed {}, {} days from {} · simulated in {:.0} ms",
                figures::grouped(u64::from(result.contacts)), result.seed, result.horizon_days, result.start,
                timings.elapsed_ms
            )}
        </p>
        <dl class="figures">{figures}</dl>
        {charts::charts(designer, result, baseline, selected_day)}
        {tables::day_detail(result, baseline, selected_day)}
        {tables::tables(designer, result, baseline)}
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use tandem_engine::cohort::CohortSpec;
    use tandem_engine::samples;
    use tandem_engine::simulate::figures::{STEP_FUNNEL, with_delta};
    use tandem_engine::simulate::{Simulation, SimulationSettings};
    use tandem_engine::{StepId, TouchpointId};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::wasm_bindgen_test;

    use crate::designer::Selection;

    /// A small run of the playbook sample, quick even in a debug build.
    fn run(seed: u64) -> SimulationResult {
        let spec = CohortSpec { size: 300, seed, ..CohortSpec::default() };
        Simulation::new(&samples::playbook(), &spec, &SimulationSettings::default()).expect("the sample runs").run()
    }

    /// A finished run drawn on its own, with the day picked in `selected_day`.
    fn mount(
        result: SimulationResult,
        baseline: Option<SimulationResult>,
        selected_day: RwSignal<Option<u16>>,
    ) -> (web_sys::HtmlElement, Designer) {
        let designer = Designer::new(samples::playbook());
        let document = web_sys::window().unwrap().document().unwrap();
        let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&host).unwrap();
        leptos::mount::mount_to(host.clone(), move || {
            let timings = RunTimings { workers: 1, elapsed_ms: 42.0, ..RunTimings::default() };
            finished_run(designer, &result, timings, baseline.as_ref(), selected_day)
        })
        .forget();
        (host, designer)
    }

    fn text(host: &web_sys::HtmlElement, testid: &str) -> Option<String> {
        host.query_selector(&format!("[data-testid='{testid}']")).unwrap().map(|found| found.text_content().unwrap())
    }

    /// A click on `day`'s bar of the sends chart, where a person would click.
    fn click_day(host: &web_sys::HtmlElement, day: u16) {
        let plot = host.query_selector("[data-testid='chart-sends-plot']").unwrap().expect("the sends chart");
        let number = |name: &str| plot.get_attribute(name).and_then(|value| value.parse::<f64>().ok()).expect(name);
        let (first, last, days) = (number("data-first-day-x"), number("data-last-day-x"), number("data-days"));
        let rect = plot.get_bounding_client_rect();
        let init = web_sys::MouseEventInit::new();
        init.set_bubbles(true);
        init.set_client_x((rect.left() + first + (last - first) * f64::from(day) / (days - 1.0)) as i32);
        init.set_client_y((rect.top() + number("data-day-y")) as i32);
        let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
        plot.dispatch_event(&event).unwrap();
    }

    /// A click as the browser sends it: it bubbles to the page, where Leptos listens.
    fn click(element: &web_sys::Element) {
        let event = web_sys::window().unwrap().document().unwrap().create_event("Event").unwrap();
        event.init_event_with_bubbles("click", true);
        element.dispatch_event(&event).unwrap();
    }

    #[wasm_bindgen_test]
    fn the_figures_are_the_shared_totals_with_their_deltas() {
        let (result, baseline) = (run(1), run(2));
        let (host, _) = mount(result.clone(), Some(baseline.clone()), RwSignal::new(None));
        assert!(
            text(&host, "forecast-meta")
                .unwrap()
                .starts_with("300 contacts, seed 1, 90 days from 2026-03-02 · simulated in 42 ms")
        );
        for total in figures::headlines() {
            assert_eq!(text(&host, &format!("forecast-{}", total.key)), Some(total.text(&result)), "{}", total.key);
            assert_eq!(
                text(&host, &format!("forecast-{}-delta", total.key)),
                Some(total.delta(&result, &baseline)),
                "{}",
                total.key
            );
        }
        assert!(figures::headlines().any(|total| total.delta(&result, &baseline) != "0"), "the seeds differ somewhere");

        let (alone, _) = mount(result, None, RwSignal::new(None));
        assert!(alone.query_selector(".delta").unwrap().is_none(), "no baseline, no deltas");
    }

    #[wasm_bindgen_test]
    async fn a_click_on_a_day_shows_what_went_out_that_day() {
        let (result, baseline) = (run(1), run(2));
        let selected_day = RwSignal::new(None);
        let (host, _) = mount(result.clone(), Some(baseline.clone()), selected_day);
        assert_eq!(text(&host, "day-detail"), None);

        leptos::task::tick().await;
        click_day(&host, 20);
        leptos::task::tick().await;
        assert_eq!(selected_day.get_untracked(), Some(20));
        let (now, before) = (&result.sends_per_day[20], &baseline.sends_per_day[20]);
        let expected = format!(
            "Day 20: {} emails, {} SMS, {} collisions Clear",
            with_delta(now.email, Some(before.email)),
            with_delta(now.sms, Some(before.sms)),
            with_delta(now.collisions, Some(before.collisions)),
        );
        assert_eq!(text(&host, "day-detail").unwrap(), expected);

        click(&host.query_selector("[data-testid='day-detail'] button").unwrap().unwrap());
        leptos::task::tick().await;
        assert_eq!(text(&host, "day-detail"), None);

        // From the keyboard: the data table's day buttons pick the day too.
        let button: web_sys::HtmlElement = host
            .query_selector("[data-testid='chart-sends-data'] tbody tr:nth-child(8) button")
            .unwrap()
            .expect("a button per day")
            .unchecked_into();
        button.click();
        leptos::task::tick().await;
        assert_eq!(selected_day.get_untracked(), Some(7));
    }

    #[wasm_bindgen_test]
    async fn a_click_on_a_funnel_row_opens_it() {
        let result = run(1);
        let (host, designer) = mount(result.clone(), None, RwSignal::new(None));
        let rows = host.query_selector_all("[data-testid='funnel-row']").unwrap();
        assert_eq!(rows.length() as usize, result.touchpoints.len());
        let row: web_sys::Element = rows.item(1).unwrap().unchecked_into();
        let id = result.touchpoints[1].id.clone();
        assert_eq!(row.get_attribute("data-touchpoint-id"), Some(id.clone()));
        click(&row);
        leptos::task::tick().await;
        assert_eq!(designer.selection.get_untracked(), Some(Selection::Touchpoint(TouchpointId(id))));

        let step: web_sys::Element =
            host.query_selector("[data-testid='step-funnel-row']").unwrap().unwrap().unchecked_into();
        assert_eq!(step.get_attribute("data-step-id"), Some(result.steps[0].id.clone()));
        click(&step);
        leptos::task::tick().await;
        assert_eq!(designer.selection.get_untracked(), Some(Selection::Step(StepId(result.steps[0].id.clone()))));
    }

    #[wasm_bindgen_test]
    async fn names_from_the_journey_are_shown_as_text() {
        let hostile = "<img src=x onerror=alert(1)>";
        let mut result = run(1);
        result.steps[0].name = hostile.into();
        result.touchpoints[0].name = hostile.into();
        result.owners[0].name = hostile.into();
        let (host, _) = mount(result.clone(), None, RwSignal::new(None));
        leptos::task::tick().await;
        assert!(host.query_selector("[data-testid='chart-owners-plot'] svg").unwrap().is_some(), "drawn by plotters");
        assert!(host.query_selector("img").unwrap().is_none(), "no markup from user text");
        let step = host.query_selector("[data-testid='step-funnel-row'] th").unwrap().unwrap();
        assert_eq!(step.text_content().unwrap(), (STEP_FUNNEL.name)(&result.steps[0]));
        let touchpoint = host.query_selector("[data-testid='funnel-row'] th").unwrap().unwrap();
        assert_eq!(touchpoint.text_content().unwrap(), hostile);
        assert!(text(&host, "chart-owners").unwrap().contains(hostile));
    }
}
