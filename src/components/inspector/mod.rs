//! The inspector: the right-hand panel's tabs, and under the first one
//! every field of the selected step ([`step`]) or SMS touchpoint
//! ([`touchpoint`]), editable. Each keystroke is an `Edit` through the
//! designer (a typing burst in one field is one undo step); a refused edit
//! keeps the journey as it was and the notice says why. The form is built
//! once per selection and its fields follow the journey, so typing never
//! loses focus. Both editors share the narrative's fields, defined here.

mod step;
mod touchpoint;

use leptos::prelude::*;
use tandem_engine::{Edit, Journey, Narrative, NarrativeField};

use crate::components::cohort::CohortPanel;
use crate::components::fields::text_field;
use crate::components::policies::PoliciesPanel;
use crate::components::routing::RoutingPanel;
use crate::designer::{Designer, Panel, Selection};
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
        Some(Selection::Step(id)) => step::editor(designer, id).into_any(),
        Some(Selection::Touchpoint(id)) => touchpoint::editor(designer, id).into_any(),
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
                Panel::Cohort => view! { <CohortPanel designer forecaster /> }.into_any(),
            }}
        </aside>
    }
}

/// Whose narrative a field edits: the test ids differ.
#[derive(Clone, Copy)]
enum Teller {
    Step,
    Sms,
}

fn narrative_testid(teller: Teller, field: NarrativeField) -> &'static str {
    match (teller, field) {
        (Teller::Step, NarrativeField::Offer) => "edit-step-offer",
        (Teller::Step, NarrativeField::ValueProposition) => "edit-step-value",
        (Teller::Step, NarrativeField::NextStep) => "edit-step-next-step",
        (Teller::Sms, NarrativeField::Offer) => "edit-sms-offer",
        (Teller::Sms, NarrativeField::ValueProposition) => "edit-sms-value",
        (Teller::Sms, NarrativeField::NextStep) => "edit-sms-next-step",
    }
}

/// The narrative's three fields for the step or SMS that `read` finds in
/// the journey; `edit` stores a changed narrative.
fn narrative_fields(
    designer: Designer,
    teller: Teller,
    read: impl Fn(&Journey) -> Option<Narrative> + Clone + Send + Sync + 'static,
    edit: impl Fn(Narrative) -> Option<Edit> + Clone + Send + Sync + 'static,
) -> impl IntoView {
    NarrativeField::ALL
        .into_iter()
        .map(|field| {
            let (read_shown, read_current, edit) = (read.clone(), read.clone(), edit.clone());
            let value = move || {
                designer.journey.with(|journey| read_shown(journey)).map(|narrative| field.of(&narrative).clone())
            };
            text_field(
                designer,
                field.label(),
                narrative_testid(teller, field),
                move || value().unwrap_or_default(),
                move |typed| {
                    let mut narrative = designer.journey.with_untracked(|journey| read_current(journey))?;
                    *field.of_mut(&mut narrative) = typed;
                    edit(narrative)
                },
            )
        })
        .collect_view()
}
