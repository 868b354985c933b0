//! Small form fields shared by the policies and routing panels: each reads
//! a value from the journey and turns what the user enters into one edit
//! of the whole policies or routing, through the designer.

use leptos::prelude::*;
use tandem_engine::clock::{format_time_of_day, parse_time_of_day};
use tandem_engine::{Edit, Policies, Routing};

use crate::designer::Designer;

/// Applies `change` to a copy of the journey's policies, as one edit.
pub fn change_policies(designer: Designer, change: impl FnOnce(&mut Policies)) {
    let mut policies = designer.journey.with_untracked(|journey| journey.policies.clone());
    change(&mut policies);
    let _ = designer.edit(Edit::SetPolicies { policies });
}

/// Applies `change` to a copy of the journey's routing, as one edit.
pub fn change_routing(designer: Designer, change: impl FnOnce(&mut Routing)) {
    let mut routing = designer.journey.with_untracked(|journey| journey.routing.clone());
    change(&mut routing);
    let _ = designer.edit(Edit::SetRouting { routing });
}

/// A time of day (`HH:MM`), applied when committed.
pub fn time_input(
    designer: Designer,
    testid: String,
    label: String,
    value: impl Fn() -> u16 + Send + Sync + 'static,
    set: impl Fn(u16) + Send + Sync + 'static,
) -> impl IntoView {
    let value = std::sync::Arc::new(value);
    let shown = value.clone();
    view! {
        <input
            type="time"
            class="time"
            aria-label=label.clone()
            data-testid=testid
            prop:value=move || format_time_of_day(shown())
            on:change=move |event| {
                let input: web_sys::HtmlInputElement = event_target(&event);
                match parse_time_of_day(&input.value()) {
                    Some(minute) => set(minute),
                    None => designer.notice.set(Some(format!("{label}: enter a time of day such as 09:00."))),
                }
                input.set_value(&format_time_of_day(value()));
            }
        />
    }
}

/// A whole number from `min` to `max`, applied when committed.
pub fn count_input(
    designer: Designer,
    testid: String,
    label: String,
    (min, max): (u32, u32),
    value: impl Fn() -> u32 + Send + Sync + 'static,
    set: impl Fn(u32) + Send + Sync + 'static,
) -> impl IntoView {
    let value = std::sync::Arc::new(value);
    let shown = value.clone();
    view! {
        <input
            type="number"
            class="count"
            min=min
            max=max
            aria-label=label.clone()
            data-testid=testid
            prop:value=move || shown().to_string()
            on:change=move |event| {
                let input: web_sys::HtmlInputElement = event_target(&event);
                match input.value().trim().parse::<u32>() {
                    Ok(number) if (min..=max).contains(&number) => set(number),
                    _ => designer.notice.set(Some(format!("{label} must be a whole number from {min} to {max}."))),
                }
                input.set_value(&value().to_string());
            }
        />
    }
}

/// A checkbox.
pub fn check_input(
    testid: String,
    label: String,
    value: impl Fn() -> bool + Send + Sync + 'static,
    set: impl Fn(bool) + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <label class="field-check">
            <input type="checkbox" data-testid=testid prop:checked=value on:change=move |event| set(event_target_checked(&event)) />
            <span>{label}</span>
        </label>
    }
}
