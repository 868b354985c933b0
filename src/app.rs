//! The app shell: header, palette, timeline, inspector and results area,
//! laid out around one shared [`Designer`].

use leptos::prelude::*;
use tandem_engine::samples;

use crate::carry::CarryGhost;
use crate::components::{Header, Inspector, Palette, ResultsPanel, Timeline};
use crate::designer::Designer;

/// The whole app, opened on the built-in playbook sample journey.
#[component]
pub fn App() -> impl IntoView {
    let designer = Designer::new(samples::playbook());
    let shortcuts = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "Escape" {
            designer.carry.set(None);
        }
        if let Some(action) = shortcut(&event) {
            event.prevent_default();
            action(&designer);
        }
    });
    on_cleanup(move || shortcuts.remove());
    view! {
        <div class="shell">
            <Header designer />
            <Palette designer />
            <main class="canvas" aria-label="Journey timeline">
                <Timeline designer />
            </main>
            <Inspector designer />
            <ResultsPanel designer />
            <CarryGhost designer />
        </div>
    }
}

/// The app-wide keyboard shortcut an event stands for, if any. Text fields
/// keep their own undo, so shortcuts typed in them are left alone.
fn shortcut(event: &leptos::ev::KeyboardEvent) -> Option<fn(&Designer)> {
    use wasm_bindgen::JsCast;
    let in_text_field = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|element| matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA"));
    if in_text_field || !(event.ctrl_key() || event.meta_key()) {
        return None;
    }
    match (event.key().to_lowercase().as_str(), event.shift_key()) {
        ("z", false) => Some(Designer::undo),
        ("z", true) | ("y", false) => Some(Designer::redo),
        _ => None,
    }
}
