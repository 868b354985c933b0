//! What a screen reader hears without moving focus: moves and drops, a
//! finished forecast, a failed save, an import's problems, any notice. There
//! is one polite live region, [`LiveRegion`] in the app shell, and every
//! component speaks through the [`Announcer`] the designer holds, so
//! announcements never compete and each is heard once.

use leptos::prelude::*;

/// The app's voice: the last announcement, numbered so that saying the same
/// words twice (two moves to the same day) is still heard twice.
#[derive(Clone, Copy)]
pub struct Announcer {
    spoken: RwSignal<(u64, String)>,
}

impl Default for Announcer {
    fn default() -> Self {
        Announcer { spoken: RwSignal::new((0, String::new())) }
    }
}

impl Announcer {
    /// Says `words` politely, after whatever the screen reader is saying.
    pub fn say(&self, words: impl Into<String>) {
        let words = words.into();
        self.spoken.update(|(count, spoken)| {
            *count += 1;
            *spoken = words;
        });
    }
}

/// The one live region: visually hidden, polite. Each announcement is a new
/// node, which screen readers read even when its words repeat.
#[component]
pub fn LiveRegion(announcer: Announcer) -> impl IntoView {
    view! {
        <div class="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
            <For
                each=move || std::iter::once(announcer.spoken.get())
                key=|(count, _)| *count
                children=|(_, words)| view! { <p>{words}</p> }
            />
        </div>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    async fn each_announcement_is_a_new_node_in_one_polite_region() {
        let document = web_sys::window().unwrap().document().unwrap();
        let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&host).unwrap();
        let announcer = Announcer::default();
        leptos::mount::mount_to(host.clone(), move || view! { <LiveRegion announcer /> }).forget();
        let region = host.query_selector("[data-testid='announcer']").unwrap().unwrap();
        assert_eq!(region.get_attribute("aria-live").as_deref(), Some("polite"));

        announcer.say("Moved to day 20");
        leptos::task::tick().await;
        let first = region.first_element_child().unwrap();
        assert_eq!(region.text_content().unwrap(), "Moved to day 20");

        announcer.say("Moved to day 20");
        leptos::task::tick().await;
        let second = region.first_element_child().unwrap();
        assert_eq!(region.text_content().unwrap(), "Moved to day 20");
        assert!(!first.is_same_node(Some(&second)), "the repeat is a new node, so it is read again");
    }
}
