//! A rule's text with live diagnostics: as the user types, the rule is
//! checked in the journey's own terms and each problem is underlined where
//! it is, with its message and, when there is one obvious fix, a button
//! that applies it. A rule with errors is kept exactly as typed.

use leptos::prelude::*;
use tandem_engine::rules::{self, Diagnostic};

use crate::designer::Designer;

/// The text cut into pieces, each marked if some diagnostic covers it.
pub fn marked_pieces(text: &str, diagnostics: &[Diagnostic]) -> Vec<(String, bool)> {
    let mut cuts = vec![0, text.len()];
    for diagnostic in diagnostics {
        // A problem at the very end (e.g. "expected a value") marks nothing but is still listed.
        cuts.push(diagnostic.span.start.min(text.len()));
        cuts.push(diagnostic.span.end.min(text.len()));
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .filter_map(|pair| {
            let piece = text.get(pair[0]..pair[1])?;
            let marked = diagnostics.iter().any(|d| d.span.start <= pair[0] && pair[1] <= d.span.end);
            Some((piece.to_owned(), marked))
        })
        .collect()
}

/// `text` with `span` replaced by `suggestion`.
pub fn apply_suggestion(text: &str, diagnostic: &Diagnostic) -> Option<String> {
    let suggestion = diagnostic.suggestion.as_ref()?;
    let (start, end) = (diagnostic.span.start, diagnostic.span.end);
    Some(format!("{}{suggestion}{}", text.get(..start)?, text.get(end..)?))
}

#[component]
pub fn RuleEditor(
    designer: Designer,
    label: &'static str,
    testid: &'static str,
    /// The rule as stored in the journey.
    text: Signal<String>,
    /// Stores new text (one keystroke, or an applied fix).
    set: Callback<(String, bool)>,
) -> impl IntoView {
    let diagnostics = Memo::new(move |_| {
        let definitions = designer.journey.with(|journey| journey.definitions());
        text.with(|text| rules::check(text, &definitions).diagnostics)
    });
    let preview = move || {
        let pieces = text.with(|text| diagnostics.with(|diagnostics| marked_pieces(text, diagnostics)));
        pieces
            .into_iter()
            .map(|(piece, marked)| {
                if marked {
                    view! { <mark class="rule-error" data-testid="rule-mark">{piece}</mark> }.into_any()
                } else {
                    view! { <span>{piece}</span> }.into_any()
                }
            })
            .collect_view()
    };
    let messages = move || {
        diagnostics
            .get()
            .into_iter()
            .map(|diagnostic| {
                let fix = diagnostic.suggestion.clone().map(|suggestion| {
                    let diagnostic = diagnostic.clone();
                    let label =
                        if suggestion.is_empty() { "Delete it".to_owned() } else { format!("Use {suggestion}") };
                    view! {
                        <button
                            type="button"
                            class="fix"
                            data-testid="rule-fix"
                            on:click=move |_| {
                                if let Some(fixed) = text.with_untracked(|text| apply_suggestion(text, &diagnostic)) {
                                    set.run((fixed, false));
                                }
                            }
                        >
                            {label}
                        </button>
                    }
                });
                view! {
                    <li
                        class="diagnostic"
                        data-testid="rule-diagnostic"
                        data-start=diagnostic.span.start.to_string()
                        data-end=diagnostic.span.end.to_string()
                    >
                        <span>{diagnostic.message.clone()}</span>
                        {fix}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="field rule-field">
            <label class="field-label" for=testid>{label}</label>
            <textarea
                id=testid
                class="rule"
                class:has-errors=move || diagnostics.with(|found| !found.is_empty())
                data-testid=testid
                rows="2"
                spellcheck="false"
                prop:value=move || text.get()
                on:input=move |event| set.run((event_target_value(&event), true))
                on:blur=move |_| designer.end_typing()
            ></textarea>
            <Show
                when=move || diagnostics.with(|found| !found.is_empty())
                fallback=move || view! { <p class="rule-ok" data-testid=format!("{testid}-ok")>"The rule reads fine."</p> }
            >
                <pre class="rule-preview" data-testid=format!("{testid}-preview") aria-hidden="true">{preview}</pre>
                <ul class="diagnostics" aria-live="polite">{messages}</ul>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_engine::rules::Definitions;

    #[test]
    fn the_offending_characters_are_marked_and_the_fix_replaces_them() {
        let text = r#"persnoa == "RevOps" and stage == "MQL""#;
        let diagnostics = rules::check(text, &Definitions::default()).diagnostics;
        assert_eq!(
            marked_pieces(text, &diagnostics),
            vec![("persnoa".to_owned(), true), (r#" == "RevOps" and stage == "MQL""#.to_owned(), false)]
        );
        assert_eq!(apply_suggestion(text, &diagnostics[0]).unwrap(), r#"persona == "RevOps" and stage == "MQL""#);
        assert_eq!(marked_pieces("consent", &[]), vec![("consent".to_owned(), false)]);
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use tandem_engine::samples;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    async fn diagnostics_appear_under_the_typo_and_clear_when_fixed() {
        let designer = Designer::new(samples::playbook());
        let text = RwSignal::new(r#"stage == "MQLL""#.to_owned());
        let document = web_sys::window().unwrap().document().unwrap();
        let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&host).unwrap();
        let set = Callback::new(move |(typed, _): (String, bool)| text.set(typed));
        leptos::mount::mount_to(host.clone(), move || {
            view! { <RuleEditor designer label="Trigger" testid="rule" text=text.into() set /> }
        })
        .forget();
        leptos::task::tick().await;
        let mark = host.query_selector("[data-testid='rule-mark']").unwrap().expect("the typo is marked");
        assert_eq!(mark.text_content().unwrap(), "\"MQLL\"");
        let diagnostic = host.query_selector("[data-testid='rule-diagnostic']").unwrap().unwrap();
        assert!(diagnostic.text_content().unwrap().contains("did you mean `MQL`?"), "{:?}", diagnostic.text_content());
        assert_eq!(diagnostic.get_attribute("data-start").as_deref(), Some("9"));

        let fix: web_sys::HtmlElement =
            host.query_selector("[data-testid='rule-fix']").unwrap().unwrap().unchecked_into();
        fix.click();
        leptos::task::tick().await;
        assert_eq!(text.get_untracked(), r#"stage == "MQL""#);
        assert!(host.query_selector("[data-testid='rule-diagnostic']").unwrap().is_none());
        assert!(host.query_selector("[data-testid='rule-ok']").unwrap().is_some());
    }
}
