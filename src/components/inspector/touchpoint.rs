//! The inspector's form for an SMS touchpoint: its step and moment, the
//! trigger and eligibility rules, timing, what happens when a policy blocks
//! it, reply handling, the message with its segment count, and its story,
//! with a warning when that story is not its step's.

use leptos::prelude::*;
use tandem_engine::format::{from_wire_name, wire_name};
use tandem_engine::validate::{MAX_DELAY_MINUTES, MAX_HOURS};
use tandem_engine::{
    BlockedSend, Edit, MAX_STEP_DAY, Moment, SendTiming, SmsTouchpoint, StepId, TimingAnchor, TouchpointId,
};

use super::{Teller, narrative_fields};
use crate::components::fields::{choice_field, number_field, text_field, wire_options};
use crate::components::rule_editor::RuleEditor;
use crate::components::segment_counter::SegmentCounter;
use crate::designer::Designer;

/// The edit that replaces touchpoint `id` with `change` applied to it.
fn update(designer: Designer, id: &TouchpointId, change: impl FnOnce(&mut SmsTouchpoint)) -> Option<Edit> {
    designer.journey.with_untracked(|journey| {
        let mut touchpoint = journey.touchpoint(id)?.clone();
        change(&mut touchpoint);
        Some(Edit::UpdateTouchpoint { touchpoint })
    })
}

/// Applies the edit that `change` makes to touchpoint `id`, if it still exists.
fn apply(designer: Designer, id: &TouchpointId, change: impl FnOnce(&mut SmsTouchpoint)) {
    if let Some(edit) = update(designer, id, change) {
        let _ = designer.edit(edit);
    }
}

/// A reader of one field of touchpoint `id` (empty once it is gone).
fn value<T: Default + 'static>(
    designer: Designer,
    id: &TouchpointId,
    read: fn(&SmsTouchpoint) -> T,
) -> impl Fn() -> T + Clone + Send + Sync + use<T> {
    let id = id.clone();
    move || designer.journey.with(|journey| journey.touchpoint(&id).map(read).unwrap_or_default())
}

pub(super) fn editor(designer: Designer, id: TouchpointId) -> impl IntoView {
    let step_options = designer.journey.with_untracked(|journey| {
        journey.steps.iter().map(|step| (step.id.0.clone(), format!("{} (day {})", step.name, step.day))).collect()
    });

    let rule = |label: &'static str,
                testid: &'static str,
                read: fn(&SmsTouchpoint) -> String,
                write: fn(&mut SmsTouchpoint, String)| {
        let id = id.clone();
        let text = Signal::derive(value(designer, &id, read));
        let set = Callback::new(move |(typed, typing): (String, bool)| {
            if let Some(edit) = update(designer, &id, |touchpoint| write(touchpoint, typed)) {
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
            Teller::Sms,
            move |journey| journey.touchpoint(&read_id).map(|touchpoint| touchpoint.narrative.clone()),
            move |narrative| update(designer, &edit_id, |touchpoint| touchpoint.narrative = narrative),
        )
    };

    let name = {
        let id = id.clone();
        let value = value(designer, &id, |touchpoint| touchpoint.name.clone());
        text_field(designer, "Name", "edit-sms-name", value, move |name| {
            update(designer, &id, |touchpoint| touchpoint.name = name)
        })
    };
    let step = {
        let id = id.clone();
        let value = value(designer, &id, |touchpoint| touchpoint.step.0.clone());
        choice_field(designer, "Attached to", "edit-sms-step", step_options, value, move |step| {
            update(designer, &id, |touchpoint| touchpoint.step = StepId(step))
        })
    };
    let moment = {
        let id = id.clone();
        let value = value(designer, &id, |touchpoint| wire_name(touchpoint.moment).to_owned());
        choice_field(designer, "Moment", "edit-sms-moment", wire_options(Moment::label), value, move |name| {
            let moment = from_wire_name(&name)?;
            update(designer, &id, |touchpoint| touchpoint.moment = moment)
        })
    };
    let delay = {
        let id = id.clone();
        let value = value(designer, &id, |touchpoint| touchpoint.timing.delay_minutes);
        number_field(designer, "Delay (minutes)", "edit-sms-delay", (0, MAX_DELAY_MINUTES), value, move |delay| {
            apply(designer, &id, |touchpoint| touchpoint.timing.delay_minutes = delay)
        })
    };
    let anchor = {
        let id = id.clone();
        let value = value(designer, &id, |touchpoint| wire_name(touchpoint.timing.anchor).to_owned());
        choice_field(designer, "Counted", "edit-sms-anchor", wire_options(describe_anchor), value, move |name| {
            let anchor = from_wire_name(&name)?;
            update(designer, &id, |touchpoint| touchpoint.timing.anchor = anchor)
        })
    };
    let within = {
        let id = id.clone();
        let value = value(designer, &id, |touchpoint| touchpoint.timing.within_days);
        number_field(designer, "Within (days)", "edit-sms-within", (0, MAX_STEP_DAY), value, move |days| {
            apply(designer, &id, |touchpoint| touchpoint.timing.within_days = days)
        })
    };
    let blocked = {
        let id = id.clone();
        let value = value(designer, &id, |touchpoint| wire_name(touchpoint.when_blocked).to_owned());
        let options = wire_options(describe_blocked);
        choice_field(designer, "When a policy blocks it", "edit-sms-blocked", options, value, move |name| {
            let blocked = from_wire_name(&name)?;
            update(designer, &id, |touchpoint| touchpoint.when_blocked = blocked)
        })
    };
    let window = {
        let id = id.clone();
        let value = value(designer, &id, |touchpoint| touchpoint.replies.response_window_hours);
        number_field(designer, "Response window (hours)", "edit-sms-window", (0, MAX_HOURS), value, move |hours| {
            apply(designer, &id, |touchpoint| touchpoint.replies.response_window_hours = hours)
        })
    };
    let route = value(designer, &id, |touchpoint| touchpoint.replies.route_to_owner);
    let set_route = {
        let id = id.clone();
        move |event| {
            let checked = event_target_checked(&event);
            apply(designer, &id, |touchpoint| touchpoint.replies.route_to_owner = checked);
        }
    };
    let body = Signal::derive(value(designer, &id, |touchpoint| touchpoint.body.clone()));
    let set_body = {
        let id = id.clone();
        move |event| {
            let typed = event_target_value(&event);
            if let Some(edit) = update(designer, &id, |touchpoint| touchpoint.body = typed) {
                let _ = designer.type_into(edit, "edit-sms-body");
            }
        }
    };
    let mismatches = {
        let id = id.clone();
        move || {
            designer
                .journey
                .with(|journey| journey.touchpoint(&id).and_then(|touchpoint| journey.narrative_mismatches(touchpoint)))
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
            if let Some(story) = story {
                apply(designer, &id, |touchpoint| touchpoint.narrative = story);
            }
        }
    };
    let warning = move || {
        mismatches().map(|fields| {
            let fields: Vec<String> = fields.into_iter().map(|field| field.label().to_ascii_lowercase()).collect();
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
                {value(designer, &id, |touchpoint| touchpoint.name.clone())}
            </h3>
            <div class="fields">
                {name}
                {step}
                {moment}
                {trigger}
                {eligibility}
                <div class="field-row">{delay} {anchor} {within}</div>
                <p class="field-hint" data-testid="inspector-timing">
                    {value(designer, &id, |touchpoint| describe_timing(touchpoint.timing))}
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

fn describe_anchor(anchor: TimingAnchor) -> &'static str {
    match anchor {
        TimingAnchor::Trigger => "after the trigger fires",
        TimingAnchor::Step => "after its step's email",
    }
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

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use tandem_engine::format::WireEnum;
    use tandem_engine::{NarrativeField, samples};
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;
    use crate::components::test_page::{choose, enter, find, mount, option_values, shows};

    fn names<T: WireEnum>() -> Vec<String> {
        T::NAMES.iter().map(|(name, _)| (*name).to_owned()).collect()
    }

    /// A designer on the sample journey with its second SMS in the editor.
    async fn open() -> (Designer, TouchpointId, web_sys::HtmlElement) {
        let designer = Designer::new(samples::playbook());
        let id = designer.journey.with_untracked(|journey| journey.touchpoints[1].id.clone());
        let shown = id.clone();
        let host = mount(move || editor(designer, shown));
        leptos::task::tick().await;
        (designer, id, host)
    }

    fn touchpoint(designer: Designer, id: &TouchpointId) -> SmsTouchpoint {
        designer.journey.with_untracked(|journey| journey.touchpoint(id).unwrap().clone())
    }

    fn mismatches(designer: Designer, id: &TouchpointId) -> Option<Vec<NarrativeField>> {
        let touchpoint = touchpoint(designer, id);
        designer.journey.with_untracked(|journey| journey.narrative_mismatches(&touchpoint))
    }

    #[wasm_bindgen_test]
    async fn options_carry_the_formats_wire_names() {
        let (designer, id, host) = open().await;
        assert_eq!(option_values(&host, "edit-sms-moment"), names::<Moment>());
        assert_eq!(option_values(&host, "edit-sms-anchor"), names::<TimingAnchor>());
        assert_eq!(option_values(&host, "edit-sms-blocked"), names::<BlockedSend>());
        let select: web_sys::HtmlSelectElement = find(&host, "edit-sms-moment");
        assert_eq!(select.value(), wire_name(touchpoint(designer, &id).moment));
    }

    #[wasm_bindgen_test]
    async fn fields_change_the_journey_through_the_designer() {
        let (designer, id, host) = open().await;
        choose(&host, "edit-sms-moment", "late_stage_coordination").await;
        choose(&host, "edit-sms-anchor", "step").await;
        enter(&host, "edit-sms-delay", "90").await;
        let changed = touchpoint(designer, &id);
        assert_eq!(changed.moment, Moment::LateStageCoordination);
        assert_eq!(changed.timing.anchor, TimingAnchor::Step);
        assert_eq!(changed.timing.delay_minutes, 90);

        enter(&host, "edit-sms-delay", &(MAX_DELAY_MINUTES + 1).to_string()).await;
        assert_eq!(touchpoint(designer, &id).timing.delay_minutes, 90, "a delay past the limit is refused");
        let notice = designer.notice.get_untracked().unwrap_or_default();
        assert!(notice.contains(&format!("from 0 to {MAX_DELAY_MINUTES}")), "{notice}");
        assert_eq!(find::<web_sys::HtmlInputElement>(&host, "edit-sms-delay").value(), "90");
    }

    #[wasm_bindgen_test]
    async fn the_narrative_warning_comes_and_goes_with_the_engines_check() {
        let (designer, id, host) = open().await;
        assert!(!shows(&host, "narrative-warning"), "the sample SMS tells its step's story");

        enter(&host, "edit-sms-offer", "A different offer").await;
        assert_eq!(mismatches(designer, &id), Some(vec![NarrativeField::Offer]));
        let warning: web_sys::HtmlElement = find(&host, "narrative-warning");
        assert!(warning.text_content().unwrap().contains("this SMS's offer differ"), "{:?}", warning.text_content());

        find::<web_sys::HtmlElement>(&host, "use-step-story").click();
        leptos::task::tick().await;
        assert!(!shows(&host, "narrative-warning"));
        assert_eq!(mismatches(designer, &id), Some(vec![]));
    }
}
