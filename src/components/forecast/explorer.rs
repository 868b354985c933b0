//! The contact explorer: any contact's whole story in the current run, by
//! number or picked from the run's examples (one that was blocked, opted
//! out or collided), told by the engine in the recipient's local time.

use leptos::prelude::*;
use tandem_engine::simulate::ContactExamples;

use crate::designer::Designer;
use crate::forecast::Forecaster;

/// The contact explorer: any contact's whole story in the current run.
#[component]
pub(super) fn Explorer(designer: Designer, forecaster: Forecaster) -> impl IntoView {
    let contact = RwSignal::new(0u32);
    let state = forecaster.state;
    let show = move |number: u32| {
        contact.set(number);
        forecaster.explore(number);
    };
    let pick = move |list: fn(&ContactExamples) -> &Vec<u32>, what: &'static str| {
        let examples =
            state.with_untracked(|state| state.result.as_ref().map(|finished| list(&finished.result.examples).clone()));
        match examples.filter(|examples| !examples.is_empty()) {
            Some(examples) => {
                show(examples[(js_sys::Math::random() * examples.len() as f64) as usize % examples.len()])
            }
            None => designer.notice.set(Some(format!("No contact {what} in this run."))),
        }
    };
    let timeline = move || {
        state.with(|state| state.timeline.clone()).map(|(timeline, _)| {
            let about = timeline
                .about
                .iter()
                .map(|(label, value)| view! { <span class="about"><strong>{label.clone()}</strong>" "{value.clone()}</span> })
                .collect_view();
            let entries = timeline
                .entries
                .iter()
                .map(|entry| {
                    view! {
                        <li class=format!("entry entry-{}", entry.channel) data-testid="timeline-entry">
                            <time>{entry.local_time.clone()}</time>
                            <span class="channel">{entry.channel.clone()}</span>
                            <span>{entry.what.clone()}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="explorer-result" data-testid="explorer-result">
                    <p class="explorer-head">{format!("Contact {} · times in {}", timeline.contact, timeline.time_zone)}</p>
                    <p class="abouts">{about}</p>
                    // It scrolls within itself, so the keyboard must be able to reach it.
                    <ol class="entries" tabindex="0" aria-label="What happened to this contact">{entries}</ol>
                </div>
            }
        })
    };
    view! {
        <section class="explorer" data-testid="explorer">
            <h3>"Contact explorer"</h3>
            <div class="explorer-controls">
                <label>
                    "Contact "
                    <input type="number" min="0" data-testid="explorer-contact" prop:value=move || contact.get().to_string()
                        on:change=move |event| {
                            if let Ok(number) = event_target_value(&event).trim().parse::<u32>() {
                                show(number);
                            }
                        } />
                </label>
                <button type="button" class="tool" data-testid="explorer-blocked" on:click=move |_| pick(|examples| &examples.blocked, "was blocked")>
                    "One that was blocked"
                </button>
                <button type="button" class="tool" data-testid="explorer-opted-out" on:click=move |_| pick(|examples| &examples.opted_out, "opted out")>
                    "One that opted out"
                </button>
                <button type="button" class="tool" data-testid="explorer-collided" on:click=move |_| pick(|examples| &examples.collided, "had a collision")>
                    "One that collided"
                </button>
            </div>
            {timeline}
        </section>
    }
}
