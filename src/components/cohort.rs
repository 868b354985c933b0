//! The cohort panel: who is simulated and how they behave. Consent,
//! persona (with each persona's engagement distribution) and stage mixes, how often the profile's time zone disagrees with the
//! phone's, the horizon, and the fatigue model with its formula. The
//! engine checks every number when the forecast runs and says what is out
//! of range.

use leptos::prelude::*;
use tandem_engine::cohort::{CONSENTS, PERSONAS, STAGES};
use tandem_engine::simulate::FatigueModel;

use crate::forecast::{CohortChoices, Forecaster};

/// A number field bound to one of the cohort choices.
fn number(
    forecaster: Forecaster,
    testid: String,
    label: String,
    read: impl Fn(&CohortChoices) -> f64 + Send + Sync + 'static,
    write: impl Fn(&mut CohortChoices, f64) + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <label class="number-field">
            <span>{label}</span>
            <input
                type="number"
                step="any"
                data-testid=testid
                prop:value=move || forecaster.cohort.with(|cohort| read(cohort)).to_string()
                on:change=move |event| {
                    if let Ok(value) = event_target_value(&event).trim().parse::<f64>() {
                        forecaster.cohort.update(|cohort| write(cohort, value));
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

#[component]
pub fn CohortPanel(forecaster: Forecaster) -> impl IntoView {
    let consent = CONSENTS
        .iter()
        .enumerate()
        .map(|(index, name)| {
            number(
                forecaster,
                format!("cohort-consent-{index}"),
                (*name).replace('_', " "),
                move |cohort| cohort.consent[index],
                move |cohort, value| cohort.consent[index] = value,
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
                        move |cohort| cohort.personas[index],
                        move |cohort, value| cohort.personas[index] = value,
                    )}
                    {number(
                        forecaster,
                        format!("cohort-engagement-a-{index}"),
                        "engagement Beta a".into(),
                        move |cohort| cohort.engagement[index].0,
                        move |cohort, value| cohort.engagement[index].0 = value,
                    )}
                    {number(
                        forecaster,
                        format!("cohort-engagement-b-{index}"),
                        "b".into(),
                        move |cohort| cohort.engagement[index].1,
                        move |cohort, value| cohort.engagement[index].1 = value,
                    )}
                    <span class="hint">{move || forecaster.cohort.with(|cohort| {
                        let (a, b) = cohort.engagement[index];
                        format!("mean {:.2}", a / (a + b))
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
                move |cohort| cohort.stages[index],
                move |cohort, value| cohort.stages[index] = value,
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
                move |cohort| read(&cohort.fatigue),
                move |cohort, value| write(&mut cohort.fatigue, value),
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
                <h3>"Geography and horizon"</h3>
                <div class="number-grid">
                    {number(forecaster, "cohort-mismatch".into(), "Profile zone differs from phone (%)".into(),
                        |cohort| (cohort.time_zone_mismatch * 100.0).round(), |cohort, value| cohort.time_zone_mismatch = value / 100.0)}
                    {number(forecaster, "cohort-horizon".into(), "Horizon (days)".into(),
                        |cohort| f64::from(cohort.horizon_days), |cohort, value| cohort.horizon_days = value.clamp(0.0, 65_535.0) as u16)}
                </div>
            </section>
            <section>
                <h3>"Fatigue"</h3>
                <p class="hint" data-testid="fatigue-formula">{move || forecaster.cohort.with(|cohort| cohort.fatigue.formula())}</p>
                <div class="number-grid">{fatigue}</div>
            </section>
            <button type="button" class="tool" data-testid="cohort-reset"
                on:click=move |_| forecaster.cohort.update(|cohort| *cohort = CohortChoices { size: cohort.size, seed: cohort.seed, ..CohortChoices::default() })>
                "Back to the defaults"
            </button>
        </div>
    }
}
