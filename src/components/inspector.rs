//! The inspector: every field of the selected step or SMS touchpoint.

use leptos::prelude::*;
use tandem_engine::{Journey, Narrative, NurtureStep, SmsTouchpoint};

use crate::designer::{Designer, Selection};

#[component]
pub fn Inspector(designer: Designer) -> impl IntoView {
    let content = move || {
        let selection = designer.selection.get();
        designer.journey.with(|journey| match selection {
            Some(Selection::Step(id)) => journey.step(&id).map(|step| step_details(journey, step).into_any()),
            Some(Selection::Touchpoint(id)) => {
                journey.touchpoint(&id).map(|touchpoint| touchpoint_details(journey, touchpoint).into_any())
            }
            None => None,
        })
    };
    view! {
        <aside class="inspector" aria-label="Inspector" data-testid="inspector">
            <h2 class="panel-title">"Inspector"</h2>
            {move || {
                content()
                    .unwrap_or_else(|| {
                        view! {
                            <p class="empty-state">
                                "Select a step or an SMS touchpoint on the timeline to see its details."
                            </p>
                        }
                            .into_any()
                    })
            }}
        </aside>
    }
}

fn field(label: &'static str, value: String, testid: &'static str) -> impl IntoView {
    view! {
        <div class="field">
            <dt>{label}</dt>
            <dd data-testid=testid>{value}</dd>
        </div>
    }
}

fn rule_field(label: &'static str, rule: String, testid: &'static str) -> impl IntoView {
    view! {
        <div class="field">
            <dt>{label}</dt>
            <dd>
                <code class="rule" data-testid=testid>{rule}</code>
            </dd>
        </div>
    }
}

fn narrative_fields(narrative: &Narrative) -> impl IntoView {
    (
        field("Offer", narrative.offer.clone(), "inspector-offer"),
        field("Value proposition", narrative.value_proposition.clone(), "inspector-value"),
        field("Next step", narrative.next_step.clone(), "inspector-next-step"),
    )
}

fn step_details(journey: &Journey, step: &NurtureStep) -> impl IntoView {
    let attached: Vec<String> = journey.touchpoints_of(&step.id).map(|touchpoint| touchpoint.name.clone()).collect();
    let attached = if attached.is_empty() { "None".to_owned() } else { attached.join(", ") };
    let goal = step.stage_goal.map_or_else(|| "None".to_owned(), |stage| stage.label().to_owned());
    view! {
        <div class="details" data-testid="step-details">
            <p class="kind kind-email">"Nurture email"</p>
            <h3 class="details-title" data-testid="inspector-title">{step.name.clone()}</h3>
            <dl class="fields">
                {field("Day", step.day.to_string(), "inspector-day")}
                {field("Channel", "Email".to_owned(), "inspector-channel")}
                {narrative_fields(&step.narrative)}
                {field("Stage goal", goal, "inspector-goal")}
                {field("SMS touchpoints", attached, "inspector-attached")}
            </dl>
        </div>
    }
}

fn touchpoint_details(journey: &Journey, touchpoint: &SmsTouchpoint) -> impl IntoView {
    let step = journey
        .step(&touchpoint.step)
        .map_or_else(|| touchpoint.step.to_string(), |step| format!("{} (day {})", step.name, step.day));
    view! {
        <div class="details" data-testid="touchpoint-details">
            <p class="kind kind-sms">"SMS touchpoint"</p>
            <h3 class="details-title" data-testid="inspector-title">{touchpoint.name.clone()}</h3>
            <dl class="fields">
                {field("Attached to", step, "inspector-step")}
                {field("Moment", touchpoint.moment.label().to_owned(), "inspector-moment")}
                {rule_field("Trigger", touchpoint.trigger.clone(), "inspector-trigger")}
                {rule_field("Eligibility", touchpoint.eligibility.clone(), "inspector-eligibility")}
                {field("Message", touchpoint.body.clone(), "inspector-body")}
                {narrative_fields(&touchpoint.narrative)}
            </dl>
        </div>
    }
}
