//! The palette: the kinds of thing a user can place on the timeline.

use leptos::prelude::*;

#[component]
pub fn Palette() -> impl IntoView {
    view! {
        <aside class="palette" aria-label="Palette">
            <h2 class="panel-title">"Palette"</h2>
            <ul class="palette-items">
                <li class="palette-item palette-email" data-testid="palette-email">
                    <span class="palette-icon" aria-hidden="true">
                        <svg viewBox="0 0 16 16">
                            <rect x="1.5" y="3" width="13" height="10" rx="1.5"></rect>
                            <path d="M2 4l6 5 6-5"></path>
                        </svg>
                    </span>
                    <span>
                        <strong>"Nurture email"</strong>
                        <small>"A step of the sequence, sent on its day"</small>
                    </span>
                </li>
                <li class="palette-item palette-sms" data-testid="palette-sms">
                    <span class="palette-icon" aria-hidden="true">
                        <svg viewBox="0 0 16 16">
                            <path d="M2 3.5h12v7.5H7l-3.5 3v-3H2z"></path>
                        </svg>
                    </span>
                    <span>
                        <strong>"SMS touchpoint"</strong>
                        <small>"Attached to a step, sent when its trigger fires"</small>
                    </span>
                </li>
            </ul>
            <p class="palette-hint">
                "Drag a step card along the timeline to move it to another day."
            </p>
        </aside>
    }
}
