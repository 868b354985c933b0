//! Carrying something onto the timeline with the pointer: a new nurture
//! email or SMS touchpoint from the palette, or an SMS card to another step.
//! A ghost follows the pointer and says where the drop would land; the drop
//! becomes one `Edit`, and what it did is announced; the keyboard's ways of
//! adding and re-attaching ([`neighbour_step`]) end in the same [`drop`].
//! Escape or leaving the timeline cancels. Where the
//! pointer is over is asked of the page (`elementFromPoint`), so the same
//! code serves mouse, pen and touch. The carry itself is shared state, so
//! it is defined with the rest of it in [`crate::designer`].

use leptos::prelude::*;
use tandem_engine::{Edit, Journey, StepId, TouchpointId, defaults};
use wasm_bindgen::JsCast;

use crate::designer::{Carried, Carry, Designer, Selection, Target};
use crate::timeline_layout::day_at;

/// The drop target under the page point (x, y) for `what`.
pub fn target_at(designer: &Designer, what: &Carried, x: f64, y: f64) -> Option<Target> {
    let document = web_sys::window()?.document()?;
    let element = document.element_from_point(x as f32, y as f32)?;
    let lane = |kind: &str| element.closest(&format!("[data-testid='lane-{kind}']")).ok().flatten();
    match what {
        Carried::NewStep => {
            let lane = lane("nurture")?;
            Some(Target::Day(day_at(designer.zoom.get_untracked(), x - lane.get_bounding_client_rect().left())))
        }
        Carried::NewSms | Carried::Sms(_) => {
            if let Some(card) = element.closest("[data-step-id]").ok().flatten() {
                return card.get_attribute("data-step-id").map(|id| Target::Step(StepId(id)));
            }
            // Anywhere else on a lane: the step nearest that day.
            let lane = lane("sms").or_else(|| lane("nurture"))?;
            let day = day_at(designer.zoom.get_untracked(), x - lane.get_bounding_client_rect().left());
            designer.journey.with_untracked(|journey| {
                journey.steps.iter().min_by_key(|step| step.day.abs_diff(day)).map(|step| Target::Step(step.id.clone()))
            })
        }
    }
}

/// What the ghost says about a carry.
pub fn describe(designer: &Designer, carry: &Carry) -> String {
    let what = match &carry.what {
        Carried::NewStep => "New nurture email",
        Carried::NewSms => "New SMS touchpoint",
        Carried::Sms(_) => "Move SMS",
    };
    let target = match &carry.target {
        Some(Target::Day(day)) => format!("Day {day}"),
        Some(Target::Step(step)) => designer.journey.with_untracked(|journey| {
            journey.step(step).map_or_else(String::new, |step| format!("attach to {} (day {})", step.name, step.day))
        }),
        None if carry.what == Carried::NewStep => "drop on the Nurture lane".into(),
        None => "drop on a step".into(),
    };
    format!("{what} → {target}")
}

/// Turns a drop into its edit, selects what it made or moved, and says so.
pub fn drop(designer: &Designer, what: Carried, target: Target) {
    let outcome = designer.journey.with_untracked(|journey| match (&what, &target) {
        (Carried::NewStep, Target::Day(day)) => {
            let step = defaults::new_step(journey, *day);
            let selection = Selection::Step(step.id.clone());
            let said = format!("Added an email at day {day}");
            Some((Edit::AddStep { index: journey.steps.len(), step, touchpoints: vec![] }, selection, said))
        }
        (Carried::NewSms, Target::Step(step)) => journey.step(step).map(|step| {
            let touchpoint = defaults::new_touchpoint(journey, step);
            let selection = Selection::Touchpoint(touchpoint.id.clone());
            let said = format!("Attached an SMS to {}, day {}", step.name, step.day);
            (Edit::AddTouchpoint { index: journey.touchpoints.len(), touchpoint }, selection, said)
        }),
        (Carried::Sms(id), Target::Step(step)) => {
            journey.touchpoint(id).filter(|touchpoint| &touchpoint.step != step).zip(journey.step(step)).map(
                |(touchpoint, to)| {
                    let said = format!("Moved {} to {}, day {}", touchpoint.name, to.name, to.day);
                    let moved = tandem_engine::SmsTouchpoint { step: step.clone(), ..touchpoint.clone() };
                    (Edit::UpdateTouchpoint { touchpoint: moved }, Selection::Touchpoint(id.clone()), said)
                },
            )
        }
        _ => None,
    });
    if let Some((edit, selection, said)) = outcome
        && designer.edit(edit).is_ok()
    {
        designer.select(selection);
        designer.announcer.say(said);
    }
}

/// The step before (or after) the one `touchpoint` is attached to, in the
/// order the timeline shows them (by day, then as listed): where the arrow
/// keys carry an SMS card.
pub fn neighbour_step(journey: &Journey, touchpoint: &TouchpointId, forward: bool) -> Option<StepId> {
    let attached = &journey.touchpoint(touchpoint)?.step;
    let order = journey.step_order();
    let at = order.iter().position(|&index| &journey.steps[index].id == attached)?;
    let next = if forward { at.checked_add(1) } else { at.checked_sub(1) }?;
    order.get(next).map(|&index| journey.steps[index].id.clone())
}

/// Pointer handlers for something that can be carried: press starts a
/// carry, moves update it, release drops it (or, without movement, calls
/// `on_click`).
pub fn carry_handlers(
    designer: Designer,
    what: Carried,
    on_click: impl Fn() + Clone + 'static,
) -> (
    impl Fn(web_sys::PointerEvent) + Clone + 'static,
    impl Fn(web_sys::PointerEvent) + Clone + 'static,
    impl Fn(web_sys::PointerEvent) + Clone + 'static,
) {
    let press = move |event: web_sys::PointerEvent| {
        if event.button() != 0 {
            return;
        }
        if let Some(element) = event.current_target().and_then(|target| target.dyn_into::<web_sys::Element>().ok()) {
            let _ = element.set_pointer_capture(event.pointer_id());
        }
        event.stop_propagation();
        designer.carry.set(Some(Carry::new(
            what.clone(),
            event.pointer_id(),
            f64::from(event.client_x()),
            f64::from(event.client_y()),
        )));
    };
    let travel = move |event: web_sys::PointerEvent| {
        let Some(mut carry) = designer.carry.get_untracked().filter(|carry| carry.pointer_id == event.pointer_id())
        else {
            return;
        };
        carry.at = (f64::from(event.client_x()), f64::from(event.client_y()));
        carry.target = carry.moved().then(|| target_at(&designer, &carry.what, carry.at.0, carry.at.1)).flatten();
        designer.carry.set(Some(carry));
    };
    let release = move |event: web_sys::PointerEvent| {
        let Some(carry) = designer.carry.get_untracked().filter(|carry| carry.pointer_id == event.pointer_id()) else {
            return;
        };
        designer.carry.set(None);
        if !carry.moved() {
            on_click();
        } else if let Some(target) = carry.target {
            drop(&designer, carry.what, target);
        }
    };
    (press, travel, release)
}

/// The ghost that follows the pointer during a carry.
#[component]
pub fn CarryGhost(designer: Designer) -> impl IntoView {
    move || {
        designer.carry.get().filter(Carry::moved).map(|carry| {
            let label = describe(&designer, &carry);
            let landing = carry.target.is_some();
            view! {
                <div
                    class="carry-ghost"
                    class:landing=landing
                    data-testid="drag-ghost"
                    aria-hidden="true"
                    style:left=format!("{}px", carry.at.0 + 14.0)
                    style:top=format!("{}px", carry.at.1 + 14.0)
                >
                    {label}
                </div>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_engine::samples;

    #[test]
    fn the_arrows_carry_an_sms_to_the_step_before_or_after_by_day() {
        let mut journey = samples::playbook();
        let pricing = TouchpointId("sms-pricing-intent".into());
        assert_eq!(neighbour_step(&journey, &pricing, false), Some(StepId("webinar-follow-up".into())));
        assert_eq!(neighbour_step(&journey, &pricing, true), Some(StepId("roi-calculator".into())));
        // Day order, then list order: the welcome moved to day 30 comes before the ROI calculator's day 30.
        journey.apply(Edit::MoveStep { step: StepId("welcome".into()), day: 30 }).unwrap();
        assert_eq!(neighbour_step(&journey, &pricing, true), Some(StepId("welcome".into())));
        journey.apply(Edit::MoveStep { step: StepId("pricing-guide".into()), day: 0 }).unwrap();
        assert_eq!(neighbour_step(&journey, &pricing, false), None, "nothing before the first step");
        assert_eq!(neighbour_step(&journey, &TouchpointId("nowhere".into()), true), None);
    }
}
