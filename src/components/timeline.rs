//! The timeline: a day scale, the Nurture lane with one card per email step
//! and the SMS lane with each touchpoint under its step. Step cards move by
//! pointer drag (mouse, pen or touch), snapping to whole days, or by the
//! keyboard (arrows: a day, Shift+arrows: a week); SMS cards are carried
//! onto another step to re-attach them ([`crate::carry`]), or moved to the
//! step before or after with the arrows. Escape cancels a drag, Delete
//! removes the focused card (focus goes to its lane), Enter opens it in the
//! inspector. Every move and drop is announced. Cards are keyed by id, so a
//! card keeps its focus while it moves. Each card's accessible name starts
//! with its kind and contains its visible text word for word; the keys are
//! its description. The timeline and each lane are regions with headings.

use leptos::ev::{KeyboardEvent, PointerEvent};
use leptos::prelude::*;
use tandem_engine::{Edit, StepId, TouchpointId};
use wasm_bindgen::JsCast;

use crate::carry::{carry_handlers, drop, neighbour_step};
use crate::designer::{Carried, Designer, Selection, Target};
use crate::timeline_layout::{
    ROW_HEIGHT, Zoom, day_after_drag, day_after_key, day_to_x, days_shown, row_count, stack_rows,
};

/// A step card being dragged: where the pointer started and the day it would land on.
#[derive(Clone, Debug, PartialEq)]
struct StepDrag {
    step: StepId,
    pointer_id: i32,
    start_x: f64,
    origin_day: u16,
    day: u16,
}

/// Where each card of a lane sits: its id, name, day and stacking row.
type Placed<Id> = Vec<(Id, String, u16, usize)>;

/// The place of the card with `id`, if it still exists.
fn place_of<Id: PartialEq>(placed: &Placed<Id>, id: &Id) -> Option<(String, u16, usize)> {
    placed.iter().find(|(known, ..)| known == id).map(|(_, name, day, row)| (name.clone(), *day, *row))
}

#[component]
pub fn Timeline(designer: Designer) -> impl IntoView {
    let drag = RwSignal::new(None::<StepDrag>);
    let width = move || {
        designer.journey.with(|journey| day_to_x(designer.zoom.get(), days_shown(journey.last_day()) + 1) + 160.0)
    };

    let ticks = move || {
        let last = designer.journey.with(|journey| days_shown(journey.last_day()));
        let zoom = designer.zoom.get();
        (0..=last)
            .step_by(zoom.tick_days())
            .map(|day| {
                view! {
                    <span class="tick" style:left=format!("{}px", day_to_x(zoom, day))>
                        {format!("Day {day}")}
                    </span>
                }
            })
            .collect_view()
    };

    // Each lane's layout is worked out once per journey change and read by
    // its cards and by the lane's height.
    let steps = Memo::new(move |_| {
        designer.journey.with(|journey| {
            let rows = stack_rows(designer.zoom.get(), &journey.steps.iter().map(|step| step.day).collect::<Vec<_>>());
            journey
                .steps
                .iter()
                .zip(rows)
                .map(|(step, row)| (step.id.clone(), step.name.clone(), step.day, row))
                .collect()
        })
    });
    let touchpoints = Memo::new(move |_| {
        designer.journey.with(|journey| {
            let days: Vec<u16> = journey
                .touchpoints
                .iter()
                .map(|touchpoint| journey.step(&touchpoint.step).map_or(0, |step| step.day))
                .collect();
            let rows = stack_rows(designer.zoom.get(), &days);
            journey
                .touchpoints
                .iter()
                .zip(days.into_iter().zip(rows))
                .map(|(touchpoint, (day, row))| (touchpoint.id.clone(), touchpoint.name.clone(), day, row))
                .collect()
        })
    });
    let nurture_rows =
        move || steps.with(|placed: &Placed<StepId>| row_count(&placed.iter().map(|p| p.3).collect::<Vec<_>>()));
    let sms_rows = move || {
        touchpoints.with(|placed: &Placed<TouchpointId>| row_count(&placed.iter().map(|p| p.3).collect::<Vec<_>>()))
    };
    let drop_day = move || match designer.carry.with(|carry| carry.as_ref().and_then(|carry| carry.target.clone())) {
        Some(Target::Day(day)) => Some(view! {
            <div class="drop-marker" data-testid="drop-marker" style:left=format!("{}px", day_to_x(designer.zoom.get_untracked(), day))></div>
        }),
        _ => None,
    };

    let zoom_buttons = Zoom::ALL
        .into_iter()
        .map(|zoom| {
            view! {
                <button
                    type="button"
                    class="zoom"
                    data-testid=format!("zoom-{}", format!("{zoom:?}").to_ascii_lowercase())
                    aria-pressed=move || (designer.zoom.get() == zoom).to_string()
                    on:click=move |_| designer.zoom.set(zoom)
                >
                    {zoom.label()}
                </button>
            }
        })
        .collect_view();
    view! {
        <h2 class="visually-hidden" id="timeline-title">"Journey timeline"</h2>
        <p class="visually-hidden" id=STEP_KEYS>"Arrow keys move it a day, Shift with an arrow a week. Enter opens it, Delete removes it."</p>
        <p class="visually-hidden" id=SMS_KEYS>"Arrow keys attach it to the step before or after. Enter opens it, Delete removes it."</p>
        <div class="zoom-bar" role="group" aria-label="Zoom">{zoom_buttons}</div>
        <div class="timeline" data-testid="timeline" style:width=move || format!("{}px", width())>
            <div class="scale" aria-hidden="true">{ticks}</div>
            <Lane kind="nurture" label="Nurture" rows=Signal::derive(nurture_rows)>
                {drop_day}
                <For
                    each=move || steps.with(|placed| placed.iter().map(|p| p.0.clone()).collect::<Vec<_>>())
                    key=|id| id.clone()
                    children=move |id| step_card(designer, drag, steps, id)
                />
            </Lane>
            <Lane kind="sms" label="SMS" rows=Signal::derive(sms_rows)>
                <For
                    each=move || touchpoints.with(|placed| placed.iter().map(|p| p.0.clone()).collect::<Vec<_>>())
                    key=|id| id.clone()
                    children=move |id| sms_card(designer, touchpoints, id)
                />
            </Lane>
        </div>
    }
}

/// The ids of the hidden sentences that describe each kind of card's keys.
const STEP_KEYS: &str = "step-card-keys";
const SMS_KEYS: &str = "sms-card-keys";

/// A step card's accessible name: its kind, then its visible text ("Day 16",
/// the name) word for word ("Email, Day 16: Webinar follow-up").
pub fn step_card_name(name: &str, day: u16) -> String {
    format!("Email, Day {day}: {name}")
}

/// An SMS card's accessible name: its visible text ("SMS", the name) word
/// for word, then the step it is attached to ("SMS: Pricing questions, on
/// Pricing guide, day 23").
pub fn sms_card_name(name: &str, step: &str, day: u16) -> String {
    format!("SMS: {name}, on {step}, day {day}")
}

/// One horizontal lane of cards, tall enough for its stacked rows: a region
/// named by its heading, and where focus goes when its focused card is deleted.
#[component]
fn Lane(kind: &'static str, label: &'static str, rows: Signal<usize>, children: Children) -> impl IntoView {
    view! {
        <section
            class=format!("lane lane-{kind}")
            aria-labelledby=format!("lane-{kind}-title")
            tabindex="-1"
            data-testid=format!("lane-{kind}")
            style:height=move || format!("{}px", rows.get() as f64 * ROW_HEIGHT + 16.0)
        >
            <h3 class="lane-label" id=format!("lane-{kind}-title")>{label}</h3>
            {children()}
        </section>
    }
}

/// Moves a step to `day` and says so; a refused move leaves the card where
/// it was and the notice says why.
fn move_step(designer: Designer, step: StepId, day: u16) {
    if designer.edit(Edit::MoveStep { step, day }).is_ok() {
        designer.announcer.say(format!("Moved to day {day}"));
    }
}

/// Removes what `edit` removes and puts focus on the lane the card was in,
/// so it is not lost when the card goes.
fn remove_card(designer: Designer, edit: Edit, event: &KeyboardEvent) {
    let lane = event
        .target()
        .and_then(|card| card.dyn_into::<web_sys::Element>().ok())
        .and_then(|card| card.closest("section").ok().flatten())
        .and_then(|lane| lane.dyn_into::<web_sys::HtmlElement>().ok());
    if designer.edit(edit).is_ok() {
        designer.selection.set(None);
        designer.announcer.say("Removed");
        if let Some(lane) = lane {
            let _ = lane.focus();
        }
    }
}

fn sms_card(designer: Designer, placed: Memo<Placed<TouchpointId>>, id: TouchpointId) -> impl IntoView {
    let place = {
        let id = id.clone();
        move || placed.with(|placed| place_of(placed, &id)).unwrap_or_default()
    };
    let selected = {
        let id = id.clone();
        move || designer.selection.with(|selection| selection.as_ref() == Some(&Selection::Touchpoint(id.clone())))
    };
    let carried = {
        let id = id.clone();
        move || {
            designer.carry.with(|carry| {
                carry.as_ref().is_some_and(|carry| carry.what == Carried::Sms(id.clone()) && carry.moved())
            })
        }
    };
    let select = {
        let id = id.clone();
        move || designer.select(Selection::Touchpoint(id.clone()))
    };
    let (press, travel, release) = carry_handlers(designer, Carried::Sms(id.clone()), select.clone());
    let on_key_down = {
        let id = id.clone();
        move |event: KeyboardEvent| match event.key().as_str() {
            "Enter" | " " => {
                event.prevent_default();
                select();
            }
            key @ ("ArrowLeft" | "ArrowRight") => {
                event.prevent_default();
                let next = designer.journey.with_untracked(|journey| neighbour_step(journey, &id, key == "ArrowRight"));
                if let Some(step) = next {
                    drop(&designer, Carried::Sms(id.clone()), Target::Step(step));
                }
            }
            "Delete" | "Backspace" => {
                event.prevent_default();
                remove_card(designer, Edit::RemoveTouchpoint { touchpoint: id.clone() }, &event);
            }
            "Escape" => designer.carry.set(None),
            _ => {}
        }
    };
    let label = {
        let id = id.clone();
        move || {
            designer.journey.with(|journey| {
                let touchpoint = journey.touchpoint(&id)?;
                let step = journey.step(&touchpoint.step)?;
                Some(sms_card_name(&touchpoint.name, &step.name, step.day))
            })
        }
    };
    let place_for_left = place.clone();
    view! {
        <div
            class="card sms-card"
            class:selected=selected
            class:dragging=carried
            role="button"
            tabindex="0"
            aria-label=label
            aria-describedby=SMS_KEYS
            aria-keyshortcuts="ArrowLeft ArrowRight Delete Enter"
            data-testid="sms-card"
            data-touchpoint-id=id.0.clone()
            style:left=move || format!("{}px", day_to_x(designer.zoom.get(), place_for_left().1))
            style:top=move || format!("{}px", place().2 as f64 * ROW_HEIGHT)
            on:pointerdown=press
            on:pointermove=travel
            on:pointerup=release
            on:pointercancel=move |_| designer.carry.set(None)
            on:keydown=on_key_down
        >
            <span class="card-kind">"SMS"</span>
            // A space between kind and name, so the card's text reads as words.
            " "
            <span class="card-name">{
                let id = id.clone();
                move || placed.with(|placed| place_of(placed, &id)).map(|(name, ..)| name).unwrap_or_default()
            }</span>
        </div>
    }
}

fn step_card(
    designer: Designer,
    drag: RwSignal<Option<StepDrag>>,
    placed: Memo<Placed<StepId>>,
    id: StepId,
) -> impl IntoView {
    let place = {
        let id = id.clone();
        Signal::derive(move || placed.with(|placed| place_of(placed, &id)).unwrap_or_default())
    };
    let shown_day = {
        let id = id.clone();
        Signal::derive(move || {
            let day = place.with(|place| place.1);
            drag.with(|drag| drag.as_ref().filter(|drag| drag.step == id).map_or(day, |drag| drag.day))
        })
    };
    let dragging = {
        let id = id.clone();
        move || drag.with(|drag| drag.as_ref().is_some_and(|drag| drag.step == id))
    };
    let selected = {
        let id = id.clone();
        move || designer.selection.with(|selection| selection.as_ref() == Some(&Selection::Step(id.clone())))
    };
    let drop_target = {
        let id = id.clone();
        move || {
            designer.carry.with(|carry| {
                carry.as_ref().is_some_and(|carry| carry.target.as_ref() == Some(&Target::Step(id.clone())))
            })
        }
    };

    let on_pointer_down = {
        let id = id.clone();
        move |event: PointerEvent| {
            if event.button() != 0 {
                return;
            }
            if let Some(card) = event.current_target().and_then(|target| target.dyn_into::<web_sys::Element>().ok()) {
                // Keep receiving moves even when the pointer leaves the card.
                let _ = card.set_pointer_capture(event.pointer_id());
            }
            let day = place.get_untracked().1;
            drag.set(Some(StepDrag {
                step: id.clone(),
                pointer_id: event.pointer_id(),
                start_x: f64::from(event.client_x()),
                origin_day: day,
                day,
            }));
        }
    };
    let on_pointer_move = move |event: PointerEvent| {
        drag.update(|drag| {
            if let Some(drag) = drag.as_mut().filter(|drag| drag.pointer_id == event.pointer_id()) {
                drag.day = day_after_drag(
                    designer.zoom.get_untracked(),
                    drag.origin_day,
                    f64::from(event.client_x()) - drag.start_x,
                );
            }
        });
    };
    let on_pointer_up = {
        let id = id.clone();
        move |event: PointerEvent| {
            let Some(finished) = drag.get_untracked().filter(|drag| drag.pointer_id == event.pointer_id()) else {
                return;
            };
            drag.set(None);
            if finished.day != finished.origin_day {
                move_step(designer, finished.step, finished.day);
            }
            designer.select(Selection::Step(id.clone()));
        }
    };
    let on_key_down = {
        let id = id.clone();
        move |event: KeyboardEvent| match event.key().as_str() {
            "Escape" => drag.set(None),
            "Enter" | " " => {
                event.prevent_default();
                designer.select(Selection::Step(id.clone()));
            }
            key @ ("ArrowLeft" | "ArrowRight") => {
                event.prevent_default();
                let day = place.get_untracked().1;
                let moved = day_after_key(day, key == "ArrowRight", event.shift_key());
                if moved != day {
                    move_step(designer, id.clone(), moved);
                }
            }
            "Delete" | "Backspace" => {
                event.prevent_default();
                remove_card(designer, Edit::RemoveStep { step: id.clone() }, &event);
            }
            _ => {}
        }
    };

    view! {
        <div
            class="card step-card"
            class:selected=selected
            class:dragging=dragging
            class:drop-target=drop_target
            role="button"
            tabindex="0"
            aria-label=move || place.with(|(name, ..)| step_card_name(name, shown_day.get()))
            aria-describedby=STEP_KEYS
            aria-keyshortcuts="ArrowLeft ArrowRight Shift+ArrowLeft Shift+ArrowRight Delete Enter"
            data-testid="step-card"
            data-step-id=id.0.clone()
            data-day=move || shown_day.get().to_string()
            style:left=move || format!("{}px", day_to_x(designer.zoom.get(), shown_day.get()))
            style:top=move || format!("{}px", place.with(|place| place.2) as f64 * ROW_HEIGHT)
            on:pointerdown=on_pointer_down
            on:pointermove=on_pointer_move
            on:pointerup=on_pointer_up
            on:pointercancel=move |_| drag.set(None)
            on:keydown=on_key_down
        >
            <span class="card-day">{move || format!("Day {}", shown_day.get())}</span>
            " "
            <span class="card-name">{move || place.with(|place| place.0.clone())}</span>
        </div>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::announce::LiveRegion;
    use tandem_engine::samples;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn mount(designer: Designer) -> web_sys::HtmlElement {
        let document = web_sys::window().unwrap().document().unwrap();
        let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&host).unwrap();
        leptos::mount::mount_to(host.clone(), move || {
            view! {
                <Timeline designer />
                <LiveRegion announcer=designer.announcer />
            }
        })
        .forget();
        host
    }

    /// Text as axe's label-content-name-mismatch rule compares it: without
    /// punctuation, spaces collapsed, in lower case.
    fn curated(text: &str) -> String {
        let kept: String = text.chars().filter(|c| c.is_alphanumeric() || c.is_whitespace()).collect();
        kept.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
    }

    fn press(card: &web_sys::HtmlElement, key: &str) {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        card.dispatch_event(&event).unwrap();
    }

    fn announced(host: &web_sys::HtmlElement) -> String {
        host.query_selector("[data-testid='announcer']").unwrap().unwrap().text_content().unwrap()
    }

    #[wasm_bindgen_test]
    fn each_card_is_named_by_its_kind_and_its_visible_text() {
        let journey = samples::playbook();
        let host = mount(Designer::new(journey.clone()));
        let webinar = cards(&host, "step-card")
            .into_iter()
            .find(|card| card.get_attribute("data-step-id").as_deref() == Some("webinar-follow-up"))
            .unwrap();
        assert_eq!(
            webinar.get_attribute("aria-label").as_deref(),
            Some("Email, Day 16: Webinar follow-up: recording and slides")
        );
        let pricing = cards(&host, "sms-card")
            .into_iter()
            .find(|card| card.get_attribute("data-touchpoint-id").as_deref() == Some("sms-pricing-intent"))
            .unwrap();
        let name = journey.touchpoint(&TouchpointId("sms-pricing-intent".into())).unwrap().name.clone();
        assert_eq!(
            pricing.get_attribute("aria-label"),
            Some(format!("SMS: {name}, on Pricing guide: plans by team size, day 23"))
        );
        for card in cards(&host, "step-card").into_iter().chain(cards(&host, "sms-card")) {
            let name = card.get_attribute("aria-label").unwrap();
            let visible = card.text_content().unwrap();
            assert!(curated(&name).contains(&curated(&visible)), "{name:?} does not contain {visible:?}");
            let keys = card.get_attribute("aria-describedby").unwrap();
            assert!(host.query_selector(&format!("#{keys}")).unwrap().is_some(), "the keys are described");
        }
    }

    #[wasm_bindgen_test]
    async fn keyboard_moves_are_announced_and_renamed() {
        let designer = Designer::new(samples::playbook());
        let host = mount(designer);
        let card = |id: &str| {
            cards(&host, "step-card")
                .into_iter()
                .find(|card| card.get_attribute("data-step-id").as_deref() == Some(id))
                .unwrap()
        };
        press(&card("webinar-follow-up"), "ArrowRight");
        leptos::task::tick().await;
        assert_eq!(announced(&host), "Moved to day 17");
        assert_eq!(
            card("webinar-follow-up").get_attribute("aria-label").as_deref(),
            Some("Email, Day 17: Webinar follow-up: recording and slides")
        );
        let sms = cards(&host, "sms-card")
            .into_iter()
            .find(|card| card.get_attribute("data-touchpoint-id").as_deref() == Some("sms-pricing-intent"))
            .unwrap();
        press(&sms, "ArrowLeft");
        leptos::task::tick().await;
        assert!(
            announced(&host).ends_with("to Webinar follow-up: recording and slides, day 17"),
            "{}",
            announced(&host)
        );
        assert!(
            sms.get_attribute("aria-label").unwrap().ends_with("on Webinar follow-up: recording and slides, day 17")
        );
    }

    fn cards(host: &web_sys::HtmlElement, testid: &str) -> Vec<web_sys::HtmlElement> {
        let found = host.query_selector_all(&format!("[data-testid='{testid}']")).unwrap();
        (0..found.length()).map(|index| found.item(index).unwrap().unchecked_into()).collect()
    }

    #[wasm_bindgen_test]
    fn one_card_per_step_at_the_x_of_its_day() {
        let journey = samples::playbook();
        let host = mount(Designer::new(journey.clone()));
        let cards = cards(&host, "step-card");
        assert_eq!(cards.len(), journey.steps.len());
        for (card, step) in cards.iter().zip(&journey.steps) {
            assert_eq!(card.get_attribute("data-step-id").as_deref(), Some(step.id.0.as_str()));
            assert_eq!(
                card.style().get_property_value("left").unwrap(),
                format!("{}px", day_to_x(Zoom::Weeks, step.day))
            );
            assert!(card.text_content().unwrap().contains(&step.name), "card shows `{}`", step.name);
        }
    }

    #[wasm_bindgen_test]
    fn sms_cards_sit_under_their_steps() {
        let journey = samples::playbook();
        let host = mount(Designer::new(journey.clone()));
        let cards = cards(&host, "sms-card");
        assert_eq!(cards.len(), journey.touchpoints.len());
        for (card, touchpoint) in cards.iter().zip(&journey.touchpoints) {
            let step = journey.step(&touchpoint.step).unwrap();
            assert_eq!(
                card.style().get_property_value("left").unwrap(),
                format!("{}px", day_to_x(Zoom::Weeks, step.day))
            );
        }
    }

    #[wasm_bindgen_test]
    async fn a_moved_step_is_redrawn_at_its_new_day() {
        let designer = Designer::new(samples::playbook());
        let host = mount(designer);
        designer.edit(Edit::MoveStep { step: StepId("pricing-guide".into()), day: 33 }).unwrap();
        leptos::task::tick().await;
        let card = cards(&host, "step-card")
            .into_iter()
            .find(|card| card.get_attribute("data-step-id").as_deref() == Some("pricing-guide"))
            .unwrap();
        assert_eq!(card.get_attribute("data-day").as_deref(), Some("33"));
        assert_eq!(card.style().get_property_value("left").unwrap(), format!("{}px", day_to_x(Zoom::Weeks, 33)));
    }
}
