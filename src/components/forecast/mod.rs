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
mod run;
mod tables;

use leptos::prelude::*;
use tandem_engine::simulate::SimulationResult;
use tandem_engine::simulate::figures;

use crate::designer::Designer;
use crate::forecast::Forecaster;
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
            let (result, elapsed) = state.result.as_ref()?;
            Some(finished_run(designer, result, *elapsed, state.baseline.as_ref(), selected_day))
        })
    };
    view! {
        <section class="forecast" aria-label="Forecast" data-testid="forecast">
            <RunControls designer forecaster />
            <RunProgress forecaster />
            <Show when=move || state.with(|state| state.stale && state.running.is_none())>
                <p class="stale" data-testid="forecast-stale">"Out of date: the journey changed since this run. Press Run to update it."</p>
            </Show>
            <ul class="forecast-problems">{problems}</ul>
            <div class:stale-result=move || state.with(|state| state.stale)>{finished}</div>
            <Show when=move || state.with(|state| state.result.is_some())>
                <Explorer designer forecaster />
            </Show>
        </section>
    }
}

/// A finished run, `elapsed` milliseconds long: what it was, its headline
/// figures, charts and tables, each against `baseline` if one is pinned.
fn finished_run(
    designer: Designer,
    result: &SimulationResult,
    elapsed: f64,
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
                    {delta.map(|delta| view! { <span class="delta" data-testid=format!("forecast-{}-delta", total.key)>{delta}</span> })}
                </div>
            }
        })
        .collect_view();
    view! {
        <p class="forecast-meta" data-testid="forecast-meta">
            {format!("{} contacts, seed {}, {} days · simulated in {elapsed:.0} ms", result.contacts, result.seed, result.horizon_days)}
        </p>
        <dl class="figures">{figures}</dl>
        {charts::charts(designer, result, baseline, selected_day)}
        {tables::day_detail(result, baseline, selected_day)}
        {tables::tables(designer, result, baseline)}
    }
}
