//! The cohort panel: who is simulated and how they behave, edited as the
//! engine's [`Scenario`] (what a `tandem.cohort/v1` file holds). Consent,
//! persona (with each persona's engagement distribution) and stage mixes,
//! how often the profile's time zone disagrees with the phone's, the
//! launch date, how many days entries spread over, the horizon, and the fatigue model with its formula; the whole scenario
//! saves to a file and opens from one. The engine checks every number when
//! the forecast runs and says what is out of range.

use leptos::prelude::*;
use tandem_engine::cohort::{CONSENTS, CohortSpec, PERSONAS, STAGES};
use tandem_engine::simulate::{FatigueModel, Scenario};
use tandem_engine::{decimal, format};

use crate::designer::Designer;
use crate::files;
use crate::forecast::Forecaster;

/// A number field bound to one number of the scenario.
fn number(
    forecaster: Forecaster,
    testid: String,
    label: String,
    read: impl Fn(&Scenario) -> f64 + Send + Sync + 'static,
    write: impl Fn(&mut Scenario, f64) + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <label class="number-field">
            <span>{label}</span>
            <input
                type="number"
                step="any"
                data-testid=testid
                prop:value=move || forecaster.scenario.with(|scenario| read(scenario)).to_string()
                on:change=move |event| {
                    if let Some(value) = decimal::read(event_target_value(&event).trim()) {
                        forecaster.scenario.update(|scenario| write(scenario, value));
                    }
                }
            />
        </label>
    }
}

type FatigueField = (&'static str, &'static str, fn(&FatigueModel) -> f64, fn(&mut FatigueModel, f64));

const FATIGUE: [FatigueField; 9] = [
    (
        "fatigue-window",
        "Window (hours)",
        |f| f64::from(f.window_hours),
        |f, v| f.window_hours = v.clamp(0.0, 65_535.0) as u16,
    ),
    ("fatigue-midpoint", "Midpoint (touches)", |f| f.midpoint, |f, v| f.midpoint = v),
    ("fatigue-steepness", "Steepness", |f| f.steepness, |f, v| f.steepness = v),
    ("fatigue-stop-floor", "STOP chance, rested", |f| f.stop_floor, |f, v| f.stop_floor = v),
    ("fatigue-stop-ceiling", "STOP chance, fatigued", |f| f.stop_ceiling, |f, v| f.stop_ceiling = v),
    (
        "fatigue-unsubscribe-floor",
        "Unsubscribe chance, rested",
        |f| f.unsubscribe_floor,
        |f, v| f.unsubscribe_floor = v,
    ),
    (
        "fatigue-unsubscribe-ceiling",
        "Unsubscribe chance, fatigued",
        |f| f.unsubscribe_ceiling,
        |f, v| f.unsubscribe_ceiling = v,
    ),
    ("fatigue-reply-drop", "Reply drop at full fatigue", |f| f.reply_drop, |f, v| f.reply_drop = v),
    ("fatigue-engagement-drop", "Open drop at full fatigue", |f| f.engagement_drop, |f, v| f.engagement_drop = v),
];

/// Opens a picked `tandem.cohort/v1` file as the scenario, or lists its problems.
fn open_file(forecaster: Forecaster, problems: RwSignal<Vec<String>>, file: web_sys::File) {
    leptos::task::spawn_local(async move {
        let outcome = files::read(file).await.map_err(|why| vec![why]).and_then(|text| {
            format::import_cohort(&text).map_err(|found| found.iter().map(ToString::to_string).collect())
        });
        match outcome {
            Ok(scenario) => {
                problems.set(Vec::new());
                forecaster.scenario.set(scenario);
            }
            Err(found) => problems.set(found),
        }
    });
}

#[component]
pub fn CohortPanel(designer: Designer, forecaster: Forecaster) -> impl IntoView {
    let file_problems = RwSignal::new(Vec::<String>::new());
    let save = move |_| {
        let name = designer.journey.with_untracked(|journey| files::named(&journey.name, files::FileKind::Cohort));
        let text = forecaster.scenario.with_untracked(format::export_cohort);
        if let Err(why) = files::download(&name, &text) {
            designer.notice.set(Some(format!("Could not save the cohort: {why}.")));
        }
    };
    let pick = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            open_file(forecaster, file_problems, file);
        }
        input.set_value("");
    };
    let consent = CONSENTS
        .iter()
        .enumerate()
        .map(|(index, name)| {
            number(
                forecaster,
                format!("cohort-consent-{index}"),
                (*name).replace('_', " "),
                move |scenario| scenario.cohort.consent[index],
                move |scenario, value| scenario.cohort.consent[index] = value,
            )
        })
        .collect_view();
    let personas = PERSONAS
        .iter()
        .enumerate()
        .map(|(index, name)| {
            view! {
                <div class="persona-row">
                    {number(
                        forecaster,
                        format!("cohort-persona-{index}"),
                        format!("{name}: weight"),
                        move |scenario| scenario.cohort.personas[index].weight,
                        move |scenario, value| scenario.cohort.personas[index].weight = value,
                    )}
                    {number(
                        forecaster,
                        format!("cohort-engagement-a-{index}"),
                        "engagement Beta a".into(),
                        move |scenario| scenario.cohort.personas[index].engagement.a,
                        move |scenario, value| scenario.cohort.personas[index].engagement.a = value,
                    )}
                    {number(
                        forecaster,
                        format!("cohort-engagement-b-{index}"),
                        "b".into(),
                        move |scenario| scenario.cohort.personas[index].engagement.b,
                        move |scenario, value| scenario.cohort.personas[index].engagement.b = value,
                    )}
                    <span class="hint">{move || forecaster.scenario.with(|scenario| {
                        format!("mean {:.2}", scenario.cohort.personas[index].engagement.mean())
                    })}</span>
                </div>
            }
        })
        .collect_view();
    let stages = STAGES
        .iter()
        .enumerate()
        .map(|(index, name)| {
            number(
                forecaster,
                format!("cohort-stage-{index}"),
                (*name).to_owned(),
                move |scenario| scenario.cohort.stages[index].weight,
                move |scenario, value| scenario.cohort.stages[index].weight = value,
            )
        })
        .collect_view();
    let fatigue = FATIGUE
        .into_iter()
        .map(|(testid, label, read, write)| {
            number(
                forecaster,
                testid.into(),
                label.into(),
                move |scenario| read(&scenario.settings.fatigue),
                move |scenario, value| write(&mut scenario.settings.fatigue, value),
            )
        })
        .collect_view();
    view! {
        <div class="settings" data-testid="cohort-panel">
            <section>
                <h3>"Consent mix (relative weights)"</h3>
                <div class="number-grid">{consent}</div>
            </section>
            <section>
                <h3>"Personas: relative weights, and how readily they engage (Beta a, b)"</h3>
                <div class="personas">{personas}</div>
            </section>
            <section>
                <h3>"Stages (relative weights)"</h3>
                <div class="number-grid">{stages}</div>
            </section>
            <section>
                <h3>"Launch, geography and horizon"</h3>
                <div class="number-grid">
                    <label class="number-field">
                        <span>"Launch date (day 0)"</span>
                        <input
                            type="date"
                            data-testid="cohort-start"
                            prop:value=move || forecaster.scenario.with(|scenario| scenario.settings.start.to_string())
                            on:change=move |event| {
                                if let Some(date) = format::iso_date(&event_target_value(&event)) {
                                    forecaster.scenario.update(|scenario| scenario.settings.start = date);
                                }
                            }
                        />
                    </label>
                    {number(forecaster, "cohort-entry-spread".into(), "Entries spread over (days)".into(),
                        |scenario| f64::from(scenario.settings.entry_spread_days), |scenario, value| scenario.settings.entry_spread_days = value.clamp(0.0, 65_535.0) as u16)}
                    {number(forecaster, "cohort-mismatch".into(), "Profile zone differs from phone (%)".into(),
                        |scenario| (scenario.cohort.time_zone_mismatch * 100.0).round(), |scenario, value| scenario.cohort.time_zone_mismatch = value / 100.0)}
                    {number(forecaster, "cohort-horizon".into(), "Horizon (days)".into(),
                        |scenario| f64::from(scenario.settings.horizon_days), |scenario, value| scenario.settings.horizon_days = value.clamp(0.0, 65_535.0) as u16)}
                </div>
            </section>
            <section>
                <h3>"Fatigue"</h3>
                <p class="hint" data-testid="fatigue-formula">{move || forecaster.scenario.with(|scenario| scenario.settings.fatigue.formula())}</p>
                <div class="number-grid">{fatigue}</div>
            </section>
            <div class="cohort-file">
                <button type="button" class="tool" data-testid="cohort-reset"
                    on:click=move |_| forecaster.scenario.update(|scenario| {
                        let (size, seed) = (scenario.cohort.size, scenario.cohort.seed);
                        *scenario = Scenario { cohort: CohortSpec { size, seed, ..CohortSpec::default() }, ..Scenario::default() };
                    })>
                    "Back to the defaults"
                </button>
                <button type="button" class="tool" data-testid="cohort-save" on:click=save>"Save cohort file"</button>
            </div>
            <label class="file-field">
                <span>"Open a cohort file (.cohort.json): the whole cohort and its settings, as a report or another Tandem saved them"</span>
                <input type="file" accept=".json,application/json" data-testid="cohort-open" on:change=pick />
            </label>
            <Show when=move || !file_problems.with(Vec::is_empty)>
                <ul class="import-problems" role="alert" data-testid="cohort-file-problems">
                    {move || file_problems.get().into_iter().map(|problem| view! { <li>{problem}</li> }).collect_view()}
                </ul>
            </Show>
        </div>
    }
}
