//! The inspector: every field of the selected step or SMS touchpoint.

use leptos::prelude::*;
use tandem_engine::{BlockedSend, Journey, Narrative, NurtureStep, SendTiming, SmsTouchpoint, TimingAnchor};

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
                {field("Timing", describe_timing(touchpoint.timing), "inspector-timing")}
                {field("When blocked", describe_blocked(touchpoint.when_blocked).to_owned(), "inspector-blocked")}
                {field("Replies", describe_replies(touchpoint), "inspector-replies")}
                {field("Message", touchpoint.body.clone(), "inspector-body")}
                {narrative_fields(&touchpoint.narrative)}
            </dl>
        </div>
    }
}

/// "10 minutes after the trigger, within 5 days of its email".
fn describe_timing(timing: SendTiming) -> String {
    let delay = match timing.delay_minutes {
        0 => "At once".to_owned(),
        minutes if minutes % (24 * 60) == 0 => plural(minutes / (24 * 60), "day"),
        minutes if minutes % 60 == 0 => plural(minutes / 60, "hour"),
        minutes => plural(minutes, "minute"),
    };
    let anchor = match timing.anchor {
        TimingAnchor::Trigger => "the trigger fires",
        TimingAnchor::Step => "its email goes out",
    };
    let after = if timing.delay_minutes == 0 { "when" } else { "after" };
    format!("{delay} {after} {anchor}, within {} of its email", plural(u32::from(timing.within_days), "day"))
}

fn plural(count: u32, unit: &str) -> String {
    if count == 1 { format!("1 {unit}") } else { format!("{count} {unit}s") }
}

fn describe_blocked(blocked: BlockedSend) -> &'static str {
    match blocked {
        BlockedSend::Defer => "Defer to the next allowed time",
        BlockedSend::Skip => "Skip this SMS",
        BlockedSend::Advance => "Send earlier, at the last allowed time",
    }
}

fn describe_replies(touchpoint: &SmsTouchpoint) -> String {
    let window = plural(u32::from(touchpoint.replies.response_window_hours), "hour");
    if touchpoint.replies.route_to_owner {
        format!("Routed to the contact's owner; counted for {window}")
    } else {
        format!("Not routed to Sales; counted for {window}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timing_reads_as_a_sentence() {
        let timing = |anchor, delay_minutes, within_days| SendTiming { anchor, delay_minutes, within_days };
        let cases = [
            (timing(TimingAnchor::Trigger, 10, 5), "10 minutes after the trigger fires, within 5 days of its email"),
            (timing(TimingAnchor::Step, 2 * 24 * 60, 1), "2 days after its email goes out, within 1 day of its email"),
            (timing(TimingAnchor::Trigger, 60, 7), "1 hour after the trigger fires, within 7 days of its email"),
            (timing(TimingAnchor::Trigger, 0, 3), "At once when the trigger fires, within 3 days of its email"),
        ];
        for (timing, expected) in cases {
            assert_eq!(describe_timing(timing), expected);
        }
    }
}
