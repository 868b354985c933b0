//! The results area under the timeline: the forecast, the journey at a glance and its
//! maturity scorecard (the playbook's five dimensions, scored by the engine
//! with reasons and what would lift each one).

use leptos::prelude::*;
use tandem_engine::Moment;
use tandem_engine::maturity::{self, stage_name};

use crate::components::ForecastPanel;
use crate::designer::Designer;
use crate::forecast::Forecaster;
use crate::lazy_parts;

#[component]
pub fn ResultsPanel(designer: Designer, forecaster: Forecaster) -> impl IntoView {
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
            <ForecastPanel designer forecaster />
            <div class="results-header">
                <h2 class="panel-title">"Journey at a glance"</h2>

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
            <h2 class="panel-title scorecard-title">"Maturity"</h2>
            <ul class="scorecard" data-testid="scorecard">{move || lazy_parts::draw(|| scorecard(designer))}</ul>
        </section>
    }
}

/// The journey's maturity scorecard, following its edits; it is below the
/// fold, so it is fetched just after the page's first paint.
#[cfg_attr(tandem_split, leptos::lazy)]
pub(crate) async fn scorecard(designer: Designer) -> AnyView {
    (move || {
        designer.journey.with(maturity::scorecard).into_iter().map(|score| {
            let testid = format!("maturity-{}", score.area.label().to_ascii_lowercase().replace(' ', "-"));
            let detail = score.summary();
            view! {
                <li class=format!("score stage-{}", score.stage) data-testid=testid data-stage=score.stage.to_string() title=detail.clone()>
                    <span class="score-area">{score.area.label()}</span>
                    <span class="score-stage">{format!("Stage {} · {}", score.stage, stage_name(score.stage))}</span>
                    <span class="score-why">{score.reasons.join("; ")}</span>
                    {score.to_lift.map(|lift| view! { <span class="score-lift">{lift}</span> })}
                </li>
            }
        }).collect_view()
    })
    .into_any()
}
