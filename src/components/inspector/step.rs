//! The inspector's form for a nurture step: its name, day, story and stage
//! goal, the SMS attached to it, and the actions to attach another or
//! delete the step.

use leptos::prelude::*;
use tandem_engine::format::{from_wire_name, wire_name};
use tandem_engine::{Edit, MAX_STEP_DAY, NurtureStep, Stage, StepId};

use super::{Teller, narrative_fields};
use crate::carry::drop;
use crate::components::fields::{choice_field, number_field, text_field, wire_options};
use crate::designer::{Carried, Designer, Target};

/// The edit that replaces step `id` with `change` applied to it.
fn update(designer: Designer, id: &StepId, change: impl FnOnce(&mut NurtureStep)) -> Option<Edit> {
    designer.journey.with_untracked(|journey| {
        let mut step = journey.step(id)?.clone();
        change(&mut step);
        Some(Edit::UpdateStep { step })
    })
}

/// A reader of one field of step `id` (empty once the step is gone).
fn value<T: Default + 'static>(
    designer: Designer,
    id: &StepId,
    read: fn(&NurtureStep) -> T,
) -> impl Fn() -> T + Clone + Send + Sync + use<T> {
    let id = id.clone();
    move || designer.journey.with(|journey| journey.step(&id).map(read).unwrap_or_default())
}

/// "None", then every stage under its wire name.
fn stage_options() -> Vec<(String, String)> {
    std::iter::once((String::new(), "None".to_owned())).chain(wire_options(Stage::label)).collect()
}

pub(super) fn editor(designer: Designer, id: StepId) -> impl IntoView {
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
            Teller::Step,
            move |journey| journey.step(&read_id).map(|step| step.narrative.clone()),
            move |narrative| update(designer, &edit_id, |step| step.narrative = narrative),
        )
    };
    let name = {
        let id = id.clone();
        text_field(designer, "Name", "edit-step-name", value(designer, &id, |step| step.name.clone()), move |name| {
            update(designer, &id, |step| step.name = name)
        })
    };
    let day = {
        let id = id.clone();
        number_field(
            designer,
            "Day",
            "edit-step-day",
            (0, MAX_STEP_DAY),
            value(designer, &id, |step| step.day),
            move |day| {
                let _ = designer.edit(Edit::MoveStep { step: id.clone(), day });
            },
        )
    };
    let goal = {
        let id = id.clone();
        let value = value(designer, &id, |step| step.stage_goal.map(wire_name).unwrap_or_default().to_owned());
        choice_field(designer, "Stage goal", "edit-step-goal", stage_options(), value, move |name| {
            let goal = from_wire_name(&name);
            update(designer, &id, |step| step.stage_goal = goal)
        })
    };
    view! {
        <div class="details" data-testid="step-details">
            <p class="kind kind-email">"Nurture email"</p>
            <h3 class="details-title" data-testid="inspector-title">
                {value(designer, &id, |step| step.name.clone())}
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

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use tandem_engine::samples;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;
    use crate::components::test_page::{choose, enter, find, mount, option_values};

    #[wasm_bindgen_test]
    async fn the_day_and_the_stage_goal_change_the_step() {
        let designer = Designer::new(samples::playbook());
        let id = StepId("pricing-guide".into());
        let shown = id.clone();
        let host = mount(move || editor(designer, shown));
        leptos::task::tick().await;
        let step = move || designer.journey.with_untracked(|journey| journey.step(&id).unwrap().clone());

        let stages: Vec<String> = Stage::ALL.into_iter().map(|stage| wire_name(stage).to_owned()).collect();
        assert_eq!(option_values(&host, "edit-step-goal"), [vec![String::new()], stages].concat());
        choose(&host, "edit-step-goal", "SQL").await;
        assert_eq!(step().stage_goal, Some(Stage::Sql));

        enter(&host, "edit-step-day", "33").await;
        assert_eq!(step().day, 33);
        enter(&host, "edit-step-day", &(MAX_STEP_DAY + 1).to_string()).await;
        assert_eq!(step().day, 33, "a day past the journey is refused");
        assert_eq!(find::<web_sys::HtmlInputElement>(&host, "edit-step-day").value(), "33");
    }
}
