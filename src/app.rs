//! The app shell: header, palette, timeline, inspector and results area,
//! laid out around one shared [`Designer`].

use std::time::Duration;

use leptos::prelude::*;

use crate::announce::LiveRegion;
use crate::carry::CarryGhost;
use crate::components::{Header, Inspector, Palette, ResultsPanel, Timeline, import_file};
use crate::designer::Designer;
use crate::forecast::Forecaster;
use crate::{library, storage};

/// The whole app, opening what `startup` says ([`library::startup`]);
/// saves every change in the browser.
#[component]
pub fn App(startup: library::Startup) -> impl IntoView {
    let designer = Designer::open_as(startup.id, startup.journey);
    designer.history.set(startup.history);
    if !startup.notices.is_empty() {
        designer.notice.set(Some(startup.notices.join(" ")));
    }
    // The undo history is saved a moment after the last change: working it
    // out replays the edits, too much for every keystroke.
    let pending = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        designer.history.track();
        designer.journey.track();
        designer.open_id.track();
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(move || library::save_history(&designer), Duration::from_millis(600));
        pending.set_value(handle.ok());
    });
    // Autosave: every change is written at once (an export is a few kilobytes).
    Effect::new(move |_| {
        let id = designer.open_id.get();
        match designer.journey.with(|journey| storage::save(&id, journey)) {
            Ok(()) => designer.saved.set(Ok(())),
            Err(why) => library::not_saved(&designer, why),
        }
    });
    // Every notice is also said, through the one live region.
    Effect::new(move |_| {
        if let Some(notice) = designer.notice.get() {
            designer.announcer.say(notice);
        }
    });
    let forecaster = Forecaster::start();
    // A journey file dropped anywhere on the page is imported.
    let dragover = window_event_listener(leptos::ev::dragover, |event| event.prevent_default());
    let dropped = window_event_listener(leptos::ev::drop, move |event| {
        event.prevent_default();
        if let Some(file) = event.data_transfer().and_then(|transfer| transfer.files()).and_then(|files| files.get(0)) {
            import_file(designer, file);
        }
    });
    let shortcuts = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "Escape" {
            designer.carry.set(None);
        }
        if let Some(action) = shortcut(&event) {
            event.prevent_default();
            action(&designer);
        }
    });
    on_cleanup(move || {
        shortcuts.remove();
        dragover.remove();
        dropped.remove();
    });
    view! {
        <div class="shell">
            <Header designer />
            <Palette designer />
            <main class="canvas" aria-labelledby="timeline-title">
                <Timeline designer />
            </main>
            <Inspector designer forecaster />
            <ResultsPanel designer forecaster />
            <CarryGhost designer />
            <LiveRegion announcer=designer.announcer />
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
    match (event.key().to_ascii_lowercase().as_str(), event.shift_key()) {
        ("z", false) => Some(Designer::undo),
        ("z", true) | ("y", false) => Some(Designer::redo),
        _ => None,
    }
}
