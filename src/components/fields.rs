//! The form fields the inspector, policies and routing panels are built
//! from. Each reads a value from the journey and turns what the user enters
//! into an edit through the designer: text as it is typed (a burst is one
//! undo step), a whole number or a time of day when committed, a choice or
//! a checkbox when changed. A choice among a format enum's values carries
//! the value's wire name, never its Rust spelling.

use std::fmt::Display;
use std::str::FromStr;
use std::sync::Arc;

use leptos::prelude::*;
use tandem_engine::clock::{format_time_of_day, parse_time_of_day};
use tandem_engine::format::WireEnum;
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
    let value = Arc::new(value);
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

/// A whole number from `min` to `max`, applied when committed (Enter or
/// leaving the field). Anything else is refused with a notice, and the
/// field shows the journey's value again.
pub fn number_input<T>(
    designer: Designer,
    testid: String,
    label: String,
    (min, max): (T, T),
    value: impl Fn() -> T + Send + Sync + 'static,
    set: impl Fn(T) + Send + Sync + 'static,
) -> impl IntoView
where
    T: Copy + PartialOrd + FromStr + Display + Send + Sync + 'static,
{
    let value = Arc::new(value);
    let shown = value.clone();
    view! {
        <input
            type="number"
            class="count"
            min=min.to_string()
            max=max.to_string()
            aria-label=label.clone()
            data-testid=testid
            prop:value=move || shown().to_string()
            on:change=move |event| {
                let input: web_sys::HtmlInputElement = event_target(&event);
                match input.value().trim().parse::<T>() {
                    Ok(number) if min <= number && number <= max => set(number),
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

/// A [`number_input`] under its label, as the inspector lays fields out.
pub fn number_field<T>(
    designer: Designer,
    label: &'static str,
    testid: &'static str,
    bounds: (T, T),
    value: impl Fn() -> T + Send + Sync + 'static,
    set: impl Fn(T) + Send + Sync + 'static,
) -> impl IntoView
where
    T: Copy + PartialOrd + FromStr + Display + Send + Sync + 'static,
{
    labelled("field field-number", label, number_input(designer, testid.into(), label.into(), bounds, value, set))
}

/// A field of the inspector's form: `input` under its label.
fn labelled(class: &'static str, label: &'static str, input: impl IntoView) -> impl IntoView {
    view! {
        <label class=class>
            <span class="field-label">{label}</span>
            {input}
        </label>
    }
}

/// A one-line text field under its label, whose keystrokes become edits.
pub fn text_field(
    designer: Designer,
    label: &'static str,
    testid: &'static str,
    value: impl Fn() -> String + Send + Sync + 'static,
    edit: impl Fn(String) -> Option<Edit> + Send + Sync + 'static,
) -> impl IntoView {
    let input = view! {
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
    };
    labelled("field", label, input)
}

/// A drop-down of `options` (value, label) under its label; choosing one becomes an edit.
pub fn choice_field(
    designer: Designer,
    label: &'static str,
    testid: &'static str,
    options: Vec<(String, String)>,
    value: impl Fn() -> String + Send + Sync + 'static,
    edit: impl Fn(String) -> Option<Edit> + Send + Sync + 'static,
) -> impl IntoView {
    let select = view! {
        <select
            data-testid=testid
            prop:value=value
            on:change=move |event| {
                if let Some(edit) = edit(event_target_value(&event)) {
                    let _ = designer.edit(edit);
                }
            }
        >
            {options.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
        </select>
    };
    labelled("field", label, select)
}

/// A format enum's values as drop-down options: each value's wire name,
/// shown as `label` describes it.
pub fn wire_options<T: WireEnum>(label: fn(T) -> &'static str) -> Vec<(String, String)> {
    T::NAMES.iter().map(|(name, value)| ((*name).to_owned(), label(*value).to_owned())).collect()
}
