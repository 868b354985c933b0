//! The results area under the timeline. Until the cohort simulator exists
//! it summarises the journey itself, from the engine's data.

use leptos::prelude::*;
use tandem_engine::Moment;

use crate::designer::Designer;

#[component]
pub fn ResultsPanel(designer: Designer) -> impl IntoView {
    let summary = move || {
        designer.journey.with(|journey| {
            let moments: Vec<&str> = Moment::ALL
                .into_iter()
                .filter(|moment| journey.touchpoints.iter().any(|touchpoint| touchpoint.moment == *moment))
                .map(Moment::label)
                .collect();
            (journey.steps.len(), journey.last_day(), journey.touchpoints.len(), moments)
        })
    };
    view! {
        <section class="results" aria-label="Results" data-testid="results">
            <div class="results-header">
                <h2 class="panel-title">"Journey at a glance"</h2>
                <p class="results-hint">
                    "The cohort forecast (sends, collisions, fatigue and reply load) will be shown here."
                </p>
            </div>
            <dl class="figures">
                <div class="figure">
                    <dt>"Nurture emails"</dt>
                    <dd data-testid="figure-steps">{move || summary().0}</dd>
                </div>
                <div class="figure">
                    <dt>"Last email on day"</dt>
                    <dd data-testid="figure-last-day">{move || summary().1}</dd>
                </div>
                <div class="figure">
                    <dt>"SMS touchpoints"</dt>
                    <dd data-testid="figure-touchpoints">{move || summary().2}</dd>
                </div>
                <div class="figure figure-wide">
                    <dt>"SMS moments covered"</dt>
                    <dd data-testid="figure-moments">
                        {move || {
                            summary()
                                .3
                                .into_iter()
                                .map(|moment| view! { <span class="chip">{moment}</span> })
                                .collect_view()
                        }}
                    </dd>
                </div>
            </dl>
        </section>
    }
}
