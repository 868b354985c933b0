//! The inspector: every field of the selected step or SMS touchpoint,
//! editable. Each keystroke is an `Edit` through the designer (a typing
//! burst in one field is one undo step); a refused edit keeps the journey
//! as it was and the notice says why. The form is built once per selection
//! and its fields follow the journey, so typing never loses focus.

use leptos::prelude::*;
use tandem_engine::{
    BlockedSend, Edit, Journey, MAX_STEP_DAY, Moment, Narrative, NurtureStep, SendTiming, SmsTouchpoint, Stage, StepId,
    TimingAnchor, TouchpointId,
};

use crate::carry::drop;
use crate::components::cohort::CohortPanel;
use crate::components::policies::PoliciesPanel;
use crate::components::routing::RoutingPanel;
use crate::components::rule_editor::RuleEditor;
use crate::components::segment_counter::SegmentCounter;
use crate::designer::{Carried, Designer, Panel, Selection, Target};
use crate::forecast::Forecaster;

#[component]
pub fn Inspector(designer: Designer, forecaster: Forecaster) -> impl IntoView {
    // Changes only when the selection, or whether it still exists, changes.
    let shown = Memo::new(move |_| {
        let selection = designer.selection.get();
        designer.journey.with(|journey| {
            selection.filter(|selection| match selection {
                Selection::Step(id) => journey.step(id).is_some(),
                Selection::Touchpoint(id) => journey.touchpoint(id).is_some(),
            })
        })
    });
    let content = move || match shown.get() {
        Some(Selection::Step(id)) => step_editor(designer, id).into_any(),
        Some(Selection::Touchpoint(id)) => touchpoint_editor(designer, id).into_any(),
        None => view! {
            <p class="empty-state">
                "Select a step or an SMS touchpoint on the timeline to edit it, or drag one in from the palette."
            </p>
        }
        .into_any(),
    };
    let tab = move |panel: Panel, label: &'static str, testid: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="tab"
                data-testid=testid
                aria-selected=move || (designer.panel.get() == panel).to_string()
                on:click=move |_| designer.panel.set(panel)
            >
                {label}
            </button>
        }
    };
    view! {
        <aside class="inspector" aria-label="Inspector" data-testid="inspector">
            <div class="tabs" role="tablist">
                {tab(Panel::Selection, "Inspector", "tab-inspector")}
                {tab(Panel::Policies, "Policies", "tab-policies")}
                {tab(Panel::Routing, "Routing", "tab-routing")}
                {tab(Panel::Cohort, "Cohort", "tab-cohort")}
            </div>
            {move || match designer.panel.get() {
                Panel::Selection => content().into_any(),
                Panel::Policies => view! { <PoliciesPanel designer /> }.into_any(),
                Panel::Routing => view! { <RoutingPanel designer /> }.into_any(),
                Panel::Cohort => view! { <CohortPanel forecaster /> }.into_any(),
            }}
        </aside>
    }
}

/// A one-line text field whose keystrokes become edits.
fn text_field(
    designer: Designer,
    label: &'static str,
    testid: &'static str,
    value: impl Fn() -> String + Send + Sync + 'static,
    edit: impl Fn(String) -> Option<Edit> + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            <input
                type="text"
                data-testid=testid
                prop:value=value
                on:input=move |event| {
                    if let Some(edit) = edit(event_target_value(&event)) {
                        let _ = designer.type_into(edit, testid);
                    }
                }
                on:blur=move |_| designer.end_typing()
            />
        </label>
    }
}

/// A whole-number field, applied when the user commits it (Enter or leaving the field).
fn number_field(
    designer: Designer,
    label: &'static str,
    testid: &'static str,
    max: u32,
    value: impl Fn() -> u32 + Send + Sync + 'static,
    edit: impl Fn(u32) -> Option<Edit> + Send + Sync + 'static,
) -> impl IntoView {
    let value = std::sync::Arc::new(value);
    let shown = value.clone();
    view! {
        <label class="field field-number">
            <span class="field-label">{label}</span>
            <input
                type="number"
                min="0"
                max=max
                data-testid=testid
                prop:value=move || shown().to_string()
                on:change=move |event| {
                    let input: web_sys::HtmlInputElement = event_target(&event);
                    match input.value().trim().parse::<u32>() {
                        Ok(number) if number <= max => {
                            if let Some(edit) = edit(number) {
                                let _ = designer.edit(edit);
                            }
                        }
                        _ => designer.notice.set(Some(format!("{label} must be a whole number from 0 to {max}."))),
                    }
                    input.set_value(&value().to_string());
                }
            />
        </label>
    }
}

/// A drop-down of `options` (value, label); choosing one becomes an edit.
fn choice_field(
    designer: Designer,
    label: &'static str,
    testid: &'static str,
    options: Vec<(String, String)>,
    value: impl Fn() -> String + Send + Sync + 'static,
    edit: impl Fn(String) -> Option<Edit> + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            <select
                data-testid=testid
                prop:value=value
                on:change=move |event| {
                    if let Some(edit) = edit(event_target_value(&event)) {
                        let _ = designer.edit(edit);
                    }
                }
            >
                {options
                    .into_iter()
                    .map(|(value, label)| view! { <option value=value>{label}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}

/// The edit that replaces step `id` with `change` applied to it.
fn update_step(designer: Designer, id: &StepId, change: impl FnOnce(&mut NurtureStep)) -> Option<Edit> {
    designer.journey.with_untracked(|journey| {
        let mut step = journey.step(id)?.clone();
        change(&mut step);
        Some(Edit::UpdateStep { step })
    })
}

/// The edit that replaces touchpoint `id` with `change` applied to it.
fn update_touchpoint(designer: Designer, id: &TouchpointId, change: impl FnOnce(&mut SmsTouchpoint)) -> Option<Edit> {
    designer.journey.with_untracked(|journey| {
        let mut touchpoint = journey.touchpoint(id)?.clone();
        change(&mut touchpoint);
        Some(Edit::UpdateTouchpoint { touchpoint })
    })
}

/// A reader of one field of step `id` (empty once the step is gone).
fn step_value<T: Default + 'static>(
    designer: Designer,
    id: &StepId,
    read: fn(&NurtureStep) -> T,
) -> impl Fn() -> T + Clone + Send + Sync + use<T> {
    let id = id.clone();
    move || designer.journey.with(|journey| journey.step(&id).map(read).unwrap_or_default())
}

/// A reader of one field of touchpoint `id` (empty once it is gone).
fn touchpoint_value<T: Default + 'static>(
    designer: Designer,
    id: &TouchpointId,
    read: fn(&SmsTouchpoint) -> T,
) -> impl Fn() -> T + Clone + Send + Sync + use<T> {
    let id = id.clone();
    move || designer.journey.with(|journey| journey.touchpoint(&id).map(read).unwrap_or_default())
}

fn stage_options() -> Vec<(String, String)> {
    std::iter::once((String::new(), "None".to_owned()))
        .chain(Stage::ALL.iter().map(|stage| (stage.label().to_owned(), stage.label().to_owned())))
        .collect()
}

/// The narrative's fields: label, test ids (on a step, on an SMS), and the field.
type NarrativeField = (&'static str, [&'static str; 2], fn(&mut Narrative) -> &mut String);

/// The narrative's three fields for the step (`which` 0) or SMS (`which` 1)
/// that `read` finds in the journey; `edit` stores a changed narrative.
fn narrative_fields(
    designer: Designer,
    which: usize,
    read: impl Fn(&Journey) -> Option<Narrative> + Clone + Send + Sync + 'static,
    edit: impl Fn(Narrative) -> Option<Edit> + Clone + Send + Sync + 'static,
) -> impl IntoView {
    NARRATIVE_FIELDS
        .into_iter()
        .map(|(label, testids, field)| {
            let (read_shown, read_current, edit) = (read.clone(), read.clone(), edit.clone());
            let value = move || {
                designer.journey.with(|journey| read_shown(journey)).map(|mut narrative| field(&mut narrative).clone())
            };
            text_field(
                designer,
                label,
                testids[which],
                move || value().unwrap_or_default(),
                move |typed| {
                    let mut narrative = designer.journey.with_untracked(|journey| read_current(journey))?;
                    *field(&mut narrative) = typed;
                    edit(narrative)
                },
            )
        })
        .collect_view()
}

const NARRATIVE_FIELDS: [NarrativeField; 3] = [
    ("Offer", ["edit-step-offer", "edit-sms-offer"], |narrative| &mut narrative.offer),
    ("Value proposition", ["edit-step-value", "edit-sms-value"], |narrative| &mut narrative.value_proposition),
    ("Next step", ["edit-step-next-step", "edit-sms-next-step"], |narrative| &mut narrative.next_step),
];

fn step_editor(designer: Designer, id: StepId) -> impl IntoView {
    let attached = {
        let id = id.clone();
        move || {
            designer.journey.with(|journey| {
                let names: Vec<String> =
                    journey.touchpoints_of(&id).map(|touchpoint| touchpoint.name.clone()).collect();
                if names.is_empty() { "None".to_owned() } else { names.join(", ") }
            })
        }
    };
    let add_sms = {
        let id = id.clone();
        move |_| drop(&designer, Carried::NewSms, Target::Step(id.clone()))
    };
    let remove = {
        let id = id.clone();
        move |_| {
            if designer.edit(Edit::RemoveStep { step: id.clone() }).is_ok() {
                designer.selection.set(None);
            }
        }
    };
    let narrative = {
        let (read_id, edit_id) = (id.clone(), id.clone());
        narrative_fields(
            designer,
            0,
            move |journey| journey.step(&read_id).map(|step| step.narrative.clone()),
            move |narrative| update_step(designer, &edit_id, |step| step.narrative = narrative),
        )
    };
    let name = {
        let id = id.clone();
        text_field(
            designer,
            "Name",
            "edit-step-name",
            step_value(designer, &id, |step| step.name.clone()),
            move |name| update_step(designer, &id, |step| step.name = name),
        )
    };
    let day = {
        let id = id.clone();
        let value = step_value(designer, &id, |step| u32::from(step.day));
        number_field(designer, "Day", "edit-step-day", u32::from(MAX_STEP_DAY), value, move |day| {
            Some(Edit::MoveStep { step: id.clone(), day: day as u16 })
        })
    };
    let goal = {
        let id = id.clone();
        let value =
            step_value(designer, &id, |step| step.stage_goal.map(|stage| stage.label().to_owned()).unwrap_or_default());
        choice_field(designer, "Stage goal", "edit-step-goal", stage_options(), value, move |label| {
            let goal = Stage::ALL.into_iter().find(|stage| stage.label() == label);
            update_step(designer, &id, |step| step.stage_goal = goal)
        })
    };
    view! {
        <div class="details" data-testid="step-details">
            <p class="kind kind-email">"Nurture email"</p>
            <h3 class="details-title" data-testid="inspector-title">
                {step_value(designer, &id, |step| step.name.clone())}
            </h3>
            <div class="fields">
                {name}
                {day}
                {narrative}
                {goal}
                <div class="field">
                    <span class="field-label">"SMS touchpoints"</span>
                    <p class="field-value" data-testid="inspector-attached">{attached}</p>
                </div>
            </div>
            <div class="details-actions">
                <button type="button" class="tool" data-testid="add-sms-here" on:click=add_sms>
                    "Add SMS touchpoint"
                </button>
                <button type="button" class="tool danger" data-testid="delete-step" on:click=remove>
                    "Delete step"
                </button>
            </div>
        </div>
    }
}

/// The fields of a touchpoint's narrative that differ from its step's.
pub fn narrative_mismatches(journey: &Journey, touchpoint: &SmsTouchpoint) -> Vec<&'static str> {
    let Some(step) = journey.step(&touchpoint.step) else { return Vec::new() };
    let (ours, theirs) = (&touchpoint.narrative, &step.narrative);
    [
        ("offer", ours.offer != theirs.offer),
        ("value proposition", ours.value_proposition != theirs.value_proposition),
        ("next step", ours.next_step != theirs.next_step),
    ]
    .into_iter()
    .filter_map(|(field, differs)| differs.then_some(field))
    .collect()
}

const BLOCKED: [BlockedSend; 3] = [BlockedSend::Defer, BlockedSend::Skip, BlockedSend::Advance];

fn touchpoint_editor(designer: Designer, id: TouchpointId) -> impl IntoView {
    let step_options = designer.journey.with_untracked(|journey| {
        journey.steps.iter().map(|step| (step.id.0.clone(), format!("{} (day {})", step.name, step.day))).collect()
    });
    let moment_options = Moment::ALL.iter().map(|moment| (format!("{moment:?}"), moment.label().to_owned())).collect();
    let anchor_options = vec![
        ("Trigger".to_owned(), "after the trigger fires".to_owned()),
        ("Step".to_owned(), "after its step's email".to_owned()),
    ];
    let blocked_options =
        BLOCKED.into_iter().map(|blocked| (format!("{blocked:?}"), describe_blocked(blocked).to_owned())).collect();

    let rule = |label: &'static str,
                testid: &'static str,
                read: fn(&SmsTouchpoint) -> String,
                write: fn(&mut SmsTouchpoint, String)| {
        let id = id.clone();
        let text = Signal::derive(touchpoint_value(designer, &id, read));
        let set = Callback::new(move |(typed, typing): (String, bool)| {
            if let Some(edit) = update_touchpoint(designer, &id, |touchpoint| write(touchpoint, typed)) {
                let _ = if typing { designer.type_into(edit, testid) } else { designer.edit(edit) };
            }
        });
        view! { <RuleEditor designer label testid text set /> }
    };
    let trigger = rule(
        "Trigger",
        "edit-sms-trigger",
        |touchpoint| touchpoint.trigger.clone(),
        |touchpoint, text| touchpoint.trigger = text,
    );
    let eligibility = rule(
        "Eligibility",
        "edit-sms-eligibility",
        |touchpoint| touchpoint.eligibility.clone(),
        |touchpoint, text| touchpoint.eligibility = text,
    );

    let narrative = {
        let (read_id, edit_id) = (id.clone(), id.clone());
        narrative_fields(
            designer,
            1,
            move |journey| journey.touchpoint(&read_id).map(|touchpoint| touchpoint.narrative.clone()),
            move |narrative| update_touchpoint(designer, &edit_id, |touchpoint| touchpoint.narrative = narrative),
        )
    };

    let name = {
        let id = id.clone();
        let value = touchpoint_value(designer, &id, |touchpoint| touchpoint.name.clone());
        text_field(designer, "Name", "edit-sms-name", value, move |name| {
            update_touchpoint(designer, &id, |touchpoint| touchpoint.name = name)
        })
    };
    let step = {
        let id = id.clone();
        let value = touchpoint_value(designer, &id, |touchpoint| touchpoint.step.0.clone());
        choice_field(designer, "Attached to", "edit-sms-step", step_options, value, move |step| {
            update_touchpoint(designer, &id, |touchpoint| touchpoint.step = StepId(step))
        })
    };
    let moment = {
        let id = id.clone();
        let value = touchpoint_value(designer, &id, |touchpoint| format!("{:?}", touchpoint.moment));
        choice_field(designer, "Moment", "edit-sms-moment", moment_options, value, move |moment| {
            let moment = Moment::ALL.into_iter().find(|known| format!("{known:?}") == moment)?;
            update_touchpoint(designer, &id, |touchpoint| touchpoint.moment = moment)
        })
    };
    let delay = {
        let id = id.clone();
        let value = touchpoint_value(designer, &id, |touchpoint| touchpoint.timing.delay_minutes);
        number_field(designer, "Delay (minutes)", "edit-sms-delay", 30 * 24 * 60, value, move |delay| {
            update_touchpoint(designer, &id, |touchpoint| touchpoint.timing.delay_minutes = delay)
        })
    };
    let anchor = {
        let id = id.clone();
        let value = touchpoint_value(designer, &id, |touchpoint| format!("{:?}", touchpoint.timing.anchor));
        choice_field(designer, "Counted", "edit-sms-anchor", anchor_options, value, move |anchor| {
            let anchor = if anchor == "Step" { TimingAnchor::Step } else { TimingAnchor::Trigger };
            update_touchpoint(designer, &id, |touchpoint| touchpoint.timing.anchor = anchor)
        })
    };
    let within = {
        let id = id.clone();
        let value = touchpoint_value(designer, &id, |touchpoint| u32::from(touchpoint.timing.within_days));
        number_field(designer, "Within (days)", "edit-sms-within", u32::from(MAX_STEP_DAY), value, move |days| {
            update_touchpoint(designer, &id, |touchpoint| touchpoint.timing.within_days = days as u16)
        })
    };
    let blocked = {
        let id = id.clone();
        let value = touchpoint_value(designer, &id, |touchpoint| format!("{:?}", touchpoint.when_blocked));
        choice_field(designer, "When a policy blocks it", "edit-sms-blocked", blocked_options, value, move |blocked| {
            let blocked = BLOCKED.into_iter().find(|known| format!("{known:?}") == blocked)?;
            update_touchpoint(designer, &id, |touchpoint| touchpoint.when_blocked = blocked)
        })
    };
    let window = {
        let id = id.clone();
        let value = touchpoint_value(designer, &id, |touchpoint| u32::from(touchpoint.replies.response_window_hours));
        number_field(designer, "Response window (hours)", "edit-sms-window", 720, value, move |hours| {
            update_touchpoint(designer, &id, |touchpoint| touchpoint.replies.response_window_hours = hours as u16)
        })
    };
    let route = touchpoint_value(designer, &id, |touchpoint| touchpoint.replies.route_to_owner);
    let set_route = {
        let id = id.clone();
        move |event| {
            let checked = event_target_checked(&event);
            if let Some(edit) =
                update_touchpoint(designer, &id, |touchpoint| touchpoint.replies.route_to_owner = checked)
            {
                let _ = designer.edit(edit);
            }
        }
    };
    let body = Signal::derive(touchpoint_value(designer, &id, |touchpoint| touchpoint.body.clone()));
    let set_body = {
        let id = id.clone();
        move |event| {
            let typed = event_target_value(&event);
            if let Some(edit) = update_touchpoint(designer, &id, |touchpoint| touchpoint.body = typed) {
                let _ = designer.type_into(edit, "edit-sms-body");
            }
        }
    };
    let mismatches = {
        let id = id.clone();
        move || {
            designer
                .journey
                .with(|journey| journey.touchpoint(&id).map(|touchpoint| narrative_mismatches(journey, touchpoint)))
                .filter(|fields| !fields.is_empty())
        }
    };
    let use_step_story = {
        let id = id.clone();
        move |_| {
            let story = designer.journey.with_untracked(|journey| {
                journey
                    .touchpoint(&id)
                    .and_then(|touchpoint| journey.step(&touchpoint.step))
                    .map(|step| step.narrative.clone())
            });
            if let Some(edit) =
                story.and_then(|story| update_touchpoint(designer, &id, |touchpoint| touchpoint.narrative = story))
            {
                let _ = designer.edit(edit);
            }
        }
    };
    let warning = move || {
        mismatches().map(|fields| {
            view! {
                <div class="narrative-warning" data-testid="narrative-warning" role="note">
                    <p>
                        {format!(
                            "Same story: this SMS's {} differ from its step's. The playbook asks SMS to reinforce the step's story, not start a new one.",
                            fields.join(", "),
                        )}
                    </p>
                    <button type="button" class="tool" data-testid="use-step-story" on:click=use_step_story.clone()>
                        "Use the step's story"
                    </button>
                </div>
            }
        })
    };
    let remove = {
        let id = id.clone();
        move |_| {
            if designer.edit(Edit::RemoveTouchpoint { touchpoint: id.clone() }).is_ok() {
                designer.selection.set(None);
            }
        }
    };
    view! {
        <div class="details" data-testid="touchpoint-details">
            <p class="kind kind-sms">"SMS touchpoint"</p>
            <h3 class="details-title" data-testid="inspector-title">
                {touchpoint_value(designer, &id, |touchpoint| touchpoint.name.clone())}
            </h3>
            <div class="fields">
                {name}
                {step}
                {moment}
                {trigger}
                {eligibility}
                <div class="field-row">{delay} {anchor} {within}</div>
                <p class="field-hint" data-testid="inspector-timing">
                    {touchpoint_value(designer, &id, |touchpoint| describe_timing(touchpoint.timing))}
                </p>
                {blocked}
                <div class="field-row">
                    <label class="field field-check">
                        <input type="checkbox" data-testid="edit-sms-route" prop:checked=route on:change=set_route />
                        <span>"Route replies to the contact's owner"</span>
                    </label>
                    {window}
                </div>
                <label class="field">
                    <span class="field-label">"Message"</span>
                    <textarea
                        data-testid="edit-sms-body"
                        rows="4"
                        prop:value=move || body.get()
                        on:input=set_body
                        on:blur=move |_| designer.end_typing()
                    ></textarea>
                </label>
                <SegmentCounter body />
                {narrative}
                {warning}
            </div>
            <div class="details-actions">
                <button type="button" class="tool danger" data-testid="delete-sms" on:click=remove>
                    "Delete SMS"
                </button>
            </div>
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
