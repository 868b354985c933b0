//! The top bar: the product's name, the journey's editable name, any notice
//! the user needs to read, whether the journey is saved, the journeys menu,
//! import and export, and the undo and redo buttons.

use leptos::prelude::*;
use tandem_engine::Edit;

use crate::components::{JourneysMenu, Transfer};
use crate::designer::Designer;
use crate::history::History;

#[component]
pub fn Header(designer: Designer) -> impl IntoView {
    let name = move || designer.journey.with(|journey| journey.name.clone());
    let rename = move |event: leptos::ev::Event| {
        let typed = event_target_value(&event);
        if designer.edit(Edit::RenameJourney { name: typed }).is_err() {
            // Put the current name back in the field; the notice says why.
            let input: web_sys::HtmlInputElement = event_target(&event);
            input.set_value(&name());
        }
    };
    view! {
        <header class="header">
            <h1 class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                "Tandem"
            </h1>
            <label class="journey-name">
                <span class="visually-hidden">"Journey name"</span>
                <input
                    data-testid="journey-name"
                    type="text"
                    maxlength="120"
                    prop:value=name
                    on:change=rename
                />
            </label>
            <p class="notice" data-testid="notice">
                {move || designer.notice.get()}
            </p>
            <p class="save-status" data-testid="save-status" class:unsaved=move || designer.saved.with(Result::is_err)>
                {move || match designer.saved.get() {
                    Ok(()) => "Saved in this browser".to_owned(),
                    Err(why) => format!("Not saved: {why}"),
                }}
            </p>
            <JourneysMenu designer />
            <Transfer designer />
            <div class="header-actions" role="toolbar" aria-label="Edit">
                {tool("undo", "Undo", "Undo (Ctrl+Z)", designer, |history| history.can_undo(), Designer::undo)}
                {tool("redo", "Redo", "Redo (Ctrl+Shift+Z)", designer, |history| history.can_redo(), Designer::redo)}
            </div>
        </header>
    }
}

/// A toolbar button, disabled while `available` says there is nothing to do.
fn tool(
    testid: &'static str,
    label: &'static str,
    title: &'static str,
    designer: Designer,
    available: fn(&History) -> bool,
    action: fn(&Designer),
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="tool"
            data-testid=testid
            title=title
            disabled=move || !designer.history.with(available)
            on:click=move |_| action(&designer)
        >
            {label}
        </button>
    }
}
