//! The inspector: the right-hand panel's tabs (the ARIA tabs pattern: one
//! tab stop, the arrows, Home and End move between tabs and show each
//! one's panel), and under the first one
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
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::components::cohort::CohortPanel;
use crate::components::fields::text_field;
use crate::components::policies::PoliciesPanel;
use crate::components::routing::RoutingPanel;
use crate::designer::{Designer, Panel, Selection};
use crate::forecast::Forecaster;
use crate::lazy_parts;

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
        Some(selection) => lazy_parts::draw(|| selection_editor(designer, selection)),
        None => view! {
            <p class="empty-state">
                "Select a step or an SMS touchpoint on the timeline to edit it, or drag one in from the palette."
            </p>
        }
        .into_any(),
    };
    let shown_tab = move || TABS.iter().find(|(panel, ..)| *panel == designer.panel.get()).map_or("", |&(_, _, id)| id);
    let tabs = TABS
        .iter()
        .enumerate()
        .map(|(index, &(panel, label, id))| {
            let selected = move || designer.panel.get() == panel;
            // Arrows, Home and End move between the tabs and show each one's panel.
            let keydown = move |event: leptos::ev::KeyboardEvent| {
                if event.alt_key() || event.ctrl_key() || event.meta_key() {
                    return;
                }
                let Some(next) = tab_after_key(&event.key(), index) else { return };
                event.prevent_default();
                let (panel, _, id) = TABS[next];
                designer.panel.set(panel);
                if let Some(tab) = document().get_element_by_id(id).and_then(|tab| tab.dyn_into::<HtmlElement>().ok()) {
                    let _ = tab.focus();
                }
            };
            view! {
                <button
                    type="button"
                    role="tab"
                    class="tab"
                    id=id
                    data-testid=id
                    aria-selected=move || selected().to_string()
                    aria-controls=format!("{id}-panel")
                    tabindex=move || if selected() { "0" } else { "-1" }
                    on:click=move |_| designer.panel.set(panel)
                    on:keydown=keydown
                >
                    {label}
                </button>
            }
        })
        .collect_view();
    view! {
        <aside class="inspector" aria-label="Inspector" data-testid="inspector">
            <div class="tabs" role="tablist" aria-label="Panels">
                {tabs}
            </div>
            <div role="tabpanel" id=move || format!("{}-panel", shown_tab()) aria-labelledby=shown_tab>
                {move || match designer.panel.get() {
                    Panel::Selection => content().into_any(),
                    panel => lazy_parts::draw(|| tab_panel(designer, forecaster, panel)),
                }}
            </div>
        </aside>
    }
}

/// The editor of the selected step or touchpoint, fetched the first time
/// something is selected.
#[cfg_attr(tandem_split, leptos::lazy)]
pub(crate) async fn selection_editor(designer: Designer, selection: Selection) -> AnyView {
    match selection {
        Selection::Step(id) => step::editor(designer, id).into_any(),
        Selection::Touchpoint(id) => touchpoint::editor(designer, id).into_any(),
    }
}

/// The Policies, Routing or Cohort panel, fetched the first time one of
/// those tabs is shown.
#[cfg_attr(tandem_split, leptos::lazy)]
pub(crate) async fn tab_panel(designer: Designer, forecaster: Forecaster, panel: Panel) -> AnyView {
    match panel {
        Panel::Selection => ().into_any(),
        Panel::Policies => view! { <PoliciesPanel designer /> }.into_any(),
        Panel::Routing => view! { <RoutingPanel designer /> }.into_any(),
        Panel::Cohort => view! { <CohortPanel designer forecaster /> }.into_any(),
    }
}

/// The inspector's tabs in order: the panel each shows, its label, and its
/// element id (its test id too; its panel's id adds `-panel`).
const TABS: [(Panel, &str, &str); 4] = [
    (Panel::Selection, "Inspector", "tab-inspector"),
    (Panel::Policies, "Policies", "tab-policies"),
    (Panel::Routing, "Routing", "tab-routing"),
    (Panel::Cohort, "Cohort", "tab-cohort"),
];

/// The tab a key moves to from tab `current`, as the ARIA tabs pattern
/// has it: Left and Right to the neighbour (wrapping round), Home and End
/// to the first and last.
fn tab_after_key(key: &str, current: usize) -> Option<usize> {
    let last = TABS.len() - 1;
    match key {
        "ArrowRight" => Some(if current == last { 0 } else { current + 1 }),
        "ArrowLeft" => Some(if current == 0 { last } else { current - 1 }),
        "Home" => Some(0),
        "End" => Some(last),
        _ => None,
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
