//! The app shell: header, palette, timeline, inspector and results area,
//! laid out around one shared [`Designer`].

use leptos::prelude::*;
use tandem_engine::samples;

use crate::components::{Header, Inspector, Palette, ResultsPanel, Timeline};
use crate::designer::Designer;

/// The whole app, opened on the built-in playbook sample journey.
#[component]
pub fn App() -> impl IntoView {
    let designer = Designer::new(samples::playbook());
    view! {
        <div class="shell">
            <Header designer />
            <Palette />
            <main class="canvas" aria-label="Journey timeline">
                <Timeline designer />
            </main>
            <Inspector designer />
            <ResultsPanel designer />
        </div>
    }
}
