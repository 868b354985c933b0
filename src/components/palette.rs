//! The palette: the kinds of thing a user can place on the timeline. Each
//! item is carried onto the timeline with the pointer (a nurture email onto
//! a day of the Nurture lane, an SMS onto a step), or, from the keyboard or
//! with a click, added at the day typed below (an email) or to the selected
//! step (an SMS).

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use tandem_engine::MAX_STEP_DAY;

use crate::carry::{carry_handlers, drop};
use crate::designer::{Carried, Designer, Selection, Target};

#[component]
pub fn Palette(designer: Designer) -> impl IntoView {
    let day = RwSignal::new(0u16);
    let add_step = move || drop(&designer, Carried::NewStep, Target::Day(day.get_untracked()));
    let add_sms = move || {
        let step = designer.journey.with_untracked(|journey| match designer.selection.get_untracked() {
            Some(Selection::Step(step)) => Some(step),
            Some(Selection::Touchpoint(touchpoint)) => {
                journey.touchpoint(&touchpoint).map(|touchpoint| touchpoint.step.clone())
            }
            None => None,
        });
        match step {
            Some(step) => drop(&designer, Carried::NewSms, Target::Step(step)),
            None => designer.notice.set(Some("Select a step on the timeline first, or drag the SMS onto one.".into())),
        }
    };
    view! {
        <aside class="palette" aria-label="Palette">
            <h2 class="panel-title">"Palette"</h2>
            <ul class="palette-items">
                {item(
                    designer,
                    Carried::NewStep,
                    "palette-email",
                    "Nurture email",
                    "Drag onto a day, or press Enter to add it at the day below",
                    email_icon(),
                    add_step,
                )}
                {item(
                    designer,
                    Carried::NewSms,
                    "palette-sms",
                    "SMS touchpoint",
                    "Drag onto a step, or press Enter to attach it to the selected step",
                    sms_icon(),
                    add_sms,
                )}
            </ul>
            <label class="palette-day">
                "Add emails at day"
                <input
                    type="number"
                    min="0"
                    max=MAX_STEP_DAY
                    data-testid="palette-day"
                    prop:value=move || day.get().to_string()
                    on:input=move |event| {
                        if let Ok(typed) = event_target_value(&event).trim().parse::<u16>() {
                            day.set(typed.min(MAX_STEP_DAY));
                        }
                    }
                />
            </label>
            <p class="palette-hint">
                "Drag a step card along its lane to change its day, or focus it and use the arrow keys (Shift: a week). Drag an SMS card onto another step to re-attach it. Delete removes the focused card."
            </p>
        </aside>
    }
}

fn item(
    designer: Designer,
    what: Carried,
    testid: &'static str,
    title: &'static str,
    hint: &'static str,
    icon: impl IntoView + 'static,
    add: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let (press, travel, release) = carry_handlers(designer, what, add.clone());
    // The button's name is its visible title and hint, so speech users can say what they see.
    view! {
        <li>
            <div
                class=format!("palette-item {testid}")
                data-testid=testid
                role="button"
                tabindex="0"
                on:pointerdown=press
                on:pointermove=travel
                on:pointerup=release
                on:pointercancel=move |_| designer.carry.set(None)
                on:keydown=move |event: KeyboardEvent| {
                    if event.key() == "Enter" || event.key() == " " {
                        event.prevent_default();
                        add();
                    }
                }
            >
                <span class="palette-icon" aria-hidden="true">{icon}</span>
                <span>
                    <strong>{title}</strong>
                    <small>{hint}</small>
                </span>
            </div>
        </li>
    }
}

fn email_icon() -> impl IntoView {
    view! {
        <svg viewBox="0 0 16 16">
            <rect x="1.5" y="3" width="13" height="10" rx="1.5"></rect>
            <path d="M2 4l6 5 6-5"></path>
        </svg>
    }
}

fn sms_icon() -> impl IntoView {
    view! {
        <svg viewBox="0 0 16 16">
            <path d="M2 3.5h12v7.5H7l-3.5 3v-3H2z"></path>
        </svg>
    }
}
