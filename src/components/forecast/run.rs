//! The run controller: the cohort's size and seed, Run, pinning a run as the
//! baseline, the reviewer's report, and a run's progress with Cancel. Small
//! cohorts re-run by themselves a moment after each edit; larger ones wait
//! for Run. The runs themselves happen in the worker, through [`Forecaster`].
//! A run started with Run is announced when it finishes, with its headline
//! figures and their deltas against the baseline; the quiet re-runs after
//! edits are not, so typing is never talked over.

use std::time::Duration;

use leptos::prelude::*;

use crate::designer::Designer;
use crate::{files, plot};
use tandem_engine::cohort::MAX_COHORT_SIZE;
use tandem_engine::simulate::figures;

use crate::forecast::{AUTO_RUN_LIMIT, Finished, Forecaster};
use tandem_engine::Journey;
use tandem_engine::simulate::SimulationResult;

/// Marks the result out of date after each edit or cohort change, and for
/// small cohorts starts a new run 300 ms after the last one.
pub(super) fn follow_edits(designer: Designer, forecaster: Forecaster) {
    let pending = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |previous: Option<()>| {
        designer.journey.track();
        let size = forecaster.scenario.with(|scenario| scenario.cohort.size);
        if previous.is_some() {
            forecaster.state.update(|state| state.stale = state.result.is_some());
        }
        if size > AUTO_RUN_LIMIT {
            return;
        }
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || designer.journey.with_untracked(|journey| forecaster.run(journey)),
            Duration::from_millis(300),
        );
        pending.set_value(handle.ok());
    });
}

/// Size, seed, Run, Pin, Report and Clear baseline.
#[component]
pub(super) fn RunControls(designer: Designer, forecaster: Forecaster) -> impl IntoView {
    let state = forecaster.state;
    let asked = announce_asked_runs(designer, forecaster);
    let run = move |_| {
        asked.set_value(Some(state.with_untracked(|state| state.result.as_ref().map(|finished| finished.run))));
        designer.journey.with_untracked(|journey| forecaster.run(journey));
    };
    let report = move |_| download_report(designer, forecaster);
    let pin = move |_| {
        state.update(|state| state.baseline = state.result.as_ref().map(|finished| finished.result.clone()));
        designer.announcer.say("Pinned this run as the baseline");
    };
    let unpin = move |_| state.update(|state| state.baseline = None);
    view! {
        <div class="forecast-controls">
            <h2 class="panel-title">"Forecast"</h2>
            <label>
                "Contacts "
                <input type="number" min="1" max=MAX_COHORT_SIZE data-testid="forecast-size"
                    prop:value=move || forecaster.scenario.with(|scenario| scenario.cohort.size).to_string()
                    on:change=move |event| {
                        match event_target_value(&event).trim().parse::<u32>() {
                            Ok(size) => forecaster.scenario.update(|scenario| scenario.cohort.size = size),
                            Err(_) => designer.notice.set(Some("The number of contacts is a whole number, like 10000.".into())),
                        }
                    } />
            </label>
            <label>
                "Seed "
                <input type="number" min="0" data-testid="forecast-seed" class="short"
                    prop:value=move || forecaster.scenario.with(|scenario| scenario.cohort.seed).to_string()
                    on:change=move |event| {
                        if let Ok(seed) = event_target_value(&event).trim().parse::<u64>() {
                            forecaster.scenario.update(|scenario| scenario.cohort.seed = seed);
                        }
                    } />
            </label>
            <button type="button" class="tool" data-testid="forecast-run" on:click=run>"Run"</button>
            <button type="button" class="tool" data-testid="forecast-pin" disabled=move || state.with(|state| state.result.is_none()) on:click=pin>
                "Pin as baseline"
            </button>
            <button type="button" class="tool" data-testid="forecast-report" disabled=move || state.with(|state| state.result.is_none()) on:click=report>
                "Download report"
            </button>
            <Show when=move || state.with(|state| state.baseline.is_some())>
                <button type="button" class="link" data-testid="forecast-unpin" on:click=unpin>"Clear baseline"</button>
            </Show>
            <span class="hint">
                {move || if forecaster.scenario.with(|scenario| scenario.cohort.size) <= AUTO_RUN_LIMIT { "re-runs after each edit" } else { "large cohorts run when you press Run" }}
            </span>
        </div>
    }
}

/// Announces the first run to finish after Run was pressed, which sets the
/// returned value to the run shown then: its size and headline figures, with
/// deltas if a baseline is pinned.
fn announce_asked_runs(designer: Designer, forecaster: Forecaster) -> StoredValue<Option<Option<u64>>> {
    let asked = StoredValue::new(None);
    Effect::new(move |_| {
        let finished = forecaster.state.with(|state| state.result.as_ref().map(|finished| finished.run));
        let Some(shown_when_asked) = asked.get_value() else { return };
        if finished.is_none() || finished == shown_when_asked {
            return;
        }
        asked.set_value(None);
        let words = forecaster.state.with_untracked(|state| {
            let finished = state.result.as_ref()?;
            let result = &finished.result;
            let headlines = figures::headlines()
                .map(|total| match &state.baseline {
                    Some(baseline) => {
                        format!("{} {} ({})", total.label, total.text(result), total.delta(result, baseline))
                    }
                    None => format!("{} {}", total.label, total.text(result)),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let against = if state.baseline.is_some() { ", against the baseline" } else { "" };
            Some(format!(
                "Forecast finished for {} contacts{against}: {headlines}.",
                figures::grouped(u64::from(result.contacts))
            ))
        });
        if let Some(words) = words {
            designer.announcer.say(words);
        }
    });
    asked
}

/// How far the current run has got, with Cancel; nothing between runs.
#[component]
pub(super) fn RunProgress(forecaster: Forecaster) -> impl IntoView {
    move || {
        forecaster.running.get().map(|running| {
            let share = if running.total == 0 { 0.0 } else { f64::from(running.done) / f64::from(running.total) };
            let left = running.seconds_left().map(|seconds| format!(" · about {seconds:.1} s left")).unwrap_or_default();
            view! {
                <div class="progress" data-testid="forecast-progress">
                    <progress max="1" value=share></progress>
                    <span>{format!("{} of {} contacts{left}", running.done, running.total)}</span>
                    <button type="button" class="tool" data-testid="forecast-cancel" on:click=move |_| forecaster.cancel()>"Cancel"</button>
                </div>
            }
        })
    }
}

/// Saves the reviewer's report of the current run, with the charts drawn
/// as the page and the downloads draw them.
fn download_report(designer: Designer, forecaster: Forecaster) {
    let state = forecaster.state;
    let Some(finished) = state.with_untracked(|state| state.result.clone()) else { return };
    let baseline = state.with_untracked(|state| state.baseline.clone());
    let journey = designer.journey.get_untracked();
    let name = files::named(&journey.name, files::FileKind::Report);
    leptos::task::spawn_local(async move {
        let html = report_html(journey, finished, baseline).await;
        if let Err(why) = files::download_as(&name, &html, "text/html") {
            designer.notice.set(Some(format!("Could not save the report: {why}.")));
        }
    });
}

/// The report's HTML: the report writer is fetched the first time a
/// report is saved.
#[cfg_attr(tandem_split, leptos::lazy)]
pub(crate) async fn report_html(journey: Journey, finished: Finished, baseline: Option<SimulationResult>) -> String {
    let charts = plot::charts(&journey, &finished.result, baseline.as_ref())
        .iter()
        .map(|chart| (chart.title.to_owned(), chart.printed()))
        .collect();
    crate::report::Report {
        journey: &journey,
        result: &finished.result,
        baseline: baseline.as_ref(),
        charts,
        journey_file: &finished.journey,
        cohort_file: &finished.cohort,
    }
    .html()
}
