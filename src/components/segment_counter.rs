//! A live count of what an SMS body costs: characters, encoding and
//! segments, from the engine's [`tandem_engine::sms_text::segments`].

use leptos::prelude::*;
use tandem_engine::sms_text::{Encoding, Segments, segments};

/// "42 characters · GSM-7 · 1 segment (160 per segment)".
pub fn summary(found: &Segments) -> String {
    let characters = if found.units == 1 { "1 character".to_owned() } else { format!("{} characters", found.units) };
    let count = if found.segments == 1 { "1 segment".to_owned() } else { format!("{} segments", found.segments) };
    format!("{characters} · {} · {count} ({} per segment)", found.encoding.label(), found.per_segment)
}

#[component]
pub fn SegmentCounter(body: Signal<String>) -> impl IntoView {
    let found = Memo::new(move |_| body.with(|body| segments(body)));
    let warning = move || {
        let found = found.get();
        (found.encoding == Encoding::Ucs2).then(|| {
            let culprit = found.first_non_gsm.map(String::from).unwrap_or_default();
            view! {
                <p class="segment-warning" data-testid="segment-warning">
                    {format!(
                        "“{culprit}” is not in the GSM alphabet, so this message is sent as UCS-2: 70 characters per segment instead of 160."
                    )}
                </p>
            }
        })
    };
    view! {
        <p
            class="segment-counter"
            class:multi=move || found.with(|found| found.segments > 1)
            data-testid="segment-counter"
            aria-live="polite"
        >
            {move || summary(&found.get())}
        </p>
        {warning}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_names_count_encoding_and_segments() {
        assert_eq!(summary(&segments("Hi")), "2 characters · GSM-7 · 1 segment (160 per segment)");
        assert_eq!(summary(&segments(&"a".repeat(161))), "161 characters · GSM-7 · 2 segments (153 per segment)");
        assert_eq!(summary(&segments("Olá 👋")), "6 characters · UCS-2 · 1 segment (70 per segment)");
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    async fn the_counter_follows_the_body_and_warns_about_ucs2() {
        let body = RwSignal::new("Reply STOP to opt out.".to_owned());
        let document = web_sys::window().unwrap().document().unwrap();
        let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&host).unwrap();
        leptos::mount::mount_to(host.clone(), move || view! { <SegmentCounter body=body.into() /> }).forget();
        let text = |testid: &str| {
            host.query_selector(&format!("[data-testid='{testid}']")).unwrap().map(|e| e.text_content().unwrap())
        };
        assert_eq!(text("segment-counter").unwrap(), "22 characters · GSM-7 · 1 segment (160 per segment)");
        assert_eq!(text("segment-warning"), None);

        body.set(format!("{} — thanks", "x".repeat(60)));
        leptos::task::tick().await;
        assert_eq!(text("segment-counter").unwrap(), "69 characters · UCS-2 · 1 segment (70 per segment)");
        assert!(text("segment-warning").unwrap().starts_with("“—” is not in the GSM alphabet"));

        body.set("y".repeat(200));
        leptos::task::tick().await;
        assert_eq!(text("segment-counter").unwrap(), "200 characters · GSM-7 · 2 segments (153 per segment)");
    }
}
