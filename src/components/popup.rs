//! A panel a button opens (the journeys menu, Import, Export): opening it
//! moves focus to its first heading (which carries `tabindex="-1"`), so a
//! screen reader says where it is and Tab goes on to its first control;
//! Escape anywhere in it or on its button closes it, and however it closes
//! (Escape, Close, a download, an import, a chosen template) focus that
//! would be dropped on the page's body goes back to the button that opened
//! it.

use leptos::html::{Button, Div};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Whether a panel is open, the button that opens it and the panel.
#[derive(Clone, Copy)]
pub struct Popup {
    pub open: RwSignal<bool>,
    pub opener: NodeRef<Button>,
    pub panel: NodeRef<Div>,
}

impl Popup {
    /// Follows `open`; give [`Popup::opener`] to the opening button's
    /// `node_ref` and [`Popup::panel`] to the panel's.
    pub fn new(open: RwSignal<bool>) -> Popup {
        let popup = Popup { open, opener: NodeRef::new(), panel: NodeRef::new() };
        Effect::new(move |was_open: Option<bool>| {
            let is_open = open.get();
            if was_open == Some(true) && !is_open {
                // Focus in the panel moves before the panel goes; focus the
                // panel's leaving already dropped on the body moves after.
                popup.return_focus();
                request_animation_frame(move || popup.return_focus());
            }
            is_open
        });
        // The panel's element is new each time it opens: that is when focus moves in.
        Effect::new(move |_| {
            if let Some(panel) = popup.panel.get()
                && open.get_untracked()
            {
                if panel.is_connected() {
                    focus_heading(&panel);
                } else {
                    request_animation_frame(move || focus_heading(&panel));
                }
            }
        });
        popup
    }

    /// Closes the panel when Escape is pressed within it or on its button.
    pub fn close_on_escape(self) -> impl Fn(leptos::ev::KeyboardEvent) + Copy + 'static {
        let open = self.open;
        move |event| {
            if event.key() == "Escape" && open.get_untracked() {
                event.prevent_default();
                open.set(false);
            }
        }
    }

    fn return_focus(&self) {
        let document = document();
        let lost = document
            .active_element()
            .is_none_or(|active| document.body().is_some_and(|body| body.is_same_node(Some(&active))));
        if lost && let Some(opener) = self.opener.get_untracked() {
            let _ = opener.focus();
        }
    }
}

/// Focuses a just-opened panel's first heading.
fn focus_heading(panel: &web_sys::HtmlDivElement) {
    if let Ok(Some(heading)) = panel.query_selector("h2")
        && let Ok(heading) = heading.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = heading.focus();
    }
}
