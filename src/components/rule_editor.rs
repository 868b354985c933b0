//! A rule's text with live diagnostics: as the user types, the rule is
//! checked in the journey's own terms and each problem is underlined where
//! it is, with its message and, when there is one obvious fix, a button
//! that applies it. A rule with errors is kept exactly as typed. The
//! problems describe the text field (screen readers read them with it), and
//! a fix puts focus back in the field, since its button goes with the problem.

use leptos::prelude::*;
use tandem_engine::rules::{self, ATTRIBUTES, Diagnostic, FUNCTIONS};

use crate::designer::Designer;
use crate::rule_builder::{Node, Row, RowOp};

/// One change the builder makes to the rule's tree, at a path of group indexes.
#[derive(Clone, Debug)]
enum Change {
    Subject(String),
    Op(RowOp),
    Value(String),
    Any(bool),
    Remove,
    AddRow,
    AddGroup,
}

fn apply(node: &mut Node, path: &[usize], change: Change) {
    if let Change::Remove = change {
        if let Some((last, parent)) = path.split_last()
            && let Some(Node::Group { members, .. }) = node.at_mut(parent)
            && *last < members.len()
        {
            members.remove(*last);
        }
        return;
    }
    let Some(target) = node.at_mut(path) else { return };
    let new_row = || {
        Node::Row(Row {
            subject: "consent".into(),
            op: RowOp::Compare(rules::CompareOp::Equal),
            value: "\"opted_in\"".into(),
        })
    };
    match (target, change) {
        (Node::Row(row), Change::Subject(subject)) => row.subject = subject,
        (Node::Row(row), Change::Op(op)) => {
            if matches!(op, RowOp::In | RowOp::NotIn) && !row.value.trim_start().starts_with('[') {
                row.value = format!("[{}]", row.value.trim());
            }
            row.op = op;
        }
        (Node::Row(row), Change::Value(value)) => row.value = value,
        (Node::Group { any, .. }, Change::Any(value)) => *any = value,
        (Node::Group { members, .. }, Change::AddRow) => members.push(new_row()),
        (Node::Group { members, any }, Change::AddGroup) => {
            members.push(Node::Group { any: !*any, members: vec![new_row()] })
        }
        _ => {}
    }
}

/// The builder's view of `node` at `path`.
fn builder_node(node: &Node, path: Vec<usize>, subjects: &str, commit: Callback<(Vec<usize>, Change)>) -> AnyView {
    match node {
        Node::Group { any, members } => {
            let nested = !path.is_empty();
            let members = members
                .iter()
                .enumerate()
                .map(|(index, member)| {
                    let mut at = path.clone();
                    at.push(index);
                    builder_node(member, at, subjects, commit)
                })
                .collect_view();
            let (for_any, for_row, for_group, for_remove) = (path.clone(), path.clone(), path.clone(), path.clone());
            view! {
                <div class="builder-group" class:nested=nested data-testid="builder-group">
                    <div class="builder-group-head">
                        <select
                            data-testid="builder-any"
                            aria-label="Combine the conditions"
                            prop:value=if *any { "any" } else { "all" }
                            on:change=move |event| commit.run((for_any.clone(), Change::Any(event_target_value(&event) == "any")))
                        >
                            <option value="all">"All of these hold"</option>
                            <option value="any">"Any of these holds"</option>
                        </select>
                        {nested.then(|| view! {
                            <button type="button" class="link danger" data-testid="builder-remove"
                                on:click=move |_| commit.run((for_remove.clone(), Change::Remove))>"Remove group"</button>
                        })}
                    </div>
                    {members}
                    <div class="builder-actions">
                        <button type="button" class="link" data-testid="builder-add-row"
                            on:click=move |_| commit.run((for_row.clone(), Change::AddRow))>"+ condition"</button>
                        <button type="button" class="link" data-testid="builder-add-group"
                            on:click=move |_| commit.run((for_group.clone(), Change::AddGroup))>"+ group"</button>
                    </div>
                </div>
            }
            .into_any()
        }
        Node::Row(row) => {
            let (for_subject, for_op, for_value, for_remove) = (path.clone(), path.clone(), path.clone(), path.clone());
            let holds = row.op == RowOp::Holds;
            let options = RowOp::ALL
                .iter()
                .enumerate()
                .map(|(index, op)| view! { <option value=index.to_string()>{op.label()}</option> })
                .collect_view();
            let selected = RowOp::ALL.iter().position(|op| *op == row.op).unwrap_or(0).to_string();
            view! {
                <div class="builder-row" data-testid="builder-row">
                    <input type="text" list=subjects.to_owned() aria-label="What to test" data-testid="builder-subject" prop:value=row.subject.clone()
                        on:change=move |event| commit.run((for_subject.clone(), Change::Subject(event_target_value(&event)))) />
                    <select aria-label="How to compare" data-testid="builder-op" prop:value=selected
                        on:change=move |event| {
                            let op = event_target_value(&event).parse::<usize>().ok().and_then(|index| RowOp::ALL.get(index).copied());
                            if let Some(op) = op {
                                commit.run((for_op.clone(), Change::Op(op)));
                            }
                        }>{options}</select>
                    <input type="text" aria-label="Value" data-testid="builder-value" prop:value=row.value.clone() disabled=holds
                        on:change=move |event| commit.run((for_value.clone(), Change::Value(event_target_value(&event)))) />
                    <button type="button" class="link danger" aria-label="Remove this condition" data-testid="builder-remove"
                        on:click=move |_| commit.run((for_remove.clone(), Change::Remove))>"×"</button>
                </div>
            }
            .into_any()
        }
        Node::Other(text) => {
            let for_remove = path.clone();
            view! {
                <div class="builder-row builder-other" data-testid="builder-other">
                    <code>{text.clone()}</code>
                    <span class="hint">"edit this part as text"</span>
                    <button type="button" class="link danger" data-testid="builder-remove"
                        on:click=move |_| commit.run((for_remove.clone(), Change::Remove))>"×"</button>
                </div>
            }
            .into_any()
        }
    }
}

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
    let field = NodeRef::<leptos::html::Textarea>::new();
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
                                    if let Some(field) = field.get_untracked() {
                                        let _ = field.focus();
                                    }
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
    let building = RwSignal::new(false);
    let subjects = format!("{testid}-subjects");
    let commit = Callback::new(move |(path, change): (Vec<usize>, Change)| {
        let Some(mut node) = text.with_untracked(|text| Node::from_text(text)) else { return };
        apply(&mut node, &path, change);
        set.run((node.to_text(), false));
    });
    let list = subjects.clone();
    let builder = move || match text.with(|text| Node::from_text(text)) {
        Some(node) => builder_node(&node, Vec::new(), &list, commit),
        None => view! {
            <p class="hint" data-testid="builder-unavailable">
                "The builder shows rules that read as rules; fix the text (see below) to use it."
            </p>
        }
        .into_any(),
    };
    let suggestions = ATTRIBUTES
        .iter()
        .map(|spec| spec.name.to_owned())
        .chain(FUNCTIONS.iter().map(|function| function.example.to_owned()))
        .map(|subject| view! { <option value=subject></option> })
        .collect_view();
    let mode = move |to_builder: bool, label: &'static str, suffix: &'static str| {
        view! {
            <button type="button" class="mode" aria-pressed=move || (building.get() == to_builder).to_string()
                data-testid=format!("{testid}-{suffix}") on:click=move |_| building.set(to_builder)>{label}</button>
        }
    };
    view! {
        <div class="field rule-field">
            <div class="rule-head">
                <label class="field-label" for=testid>{label}</label>
                <span class="modes" role="group" aria-label="Edit as">
                    {mode(false, "Text", "mode-text")}
                    {mode(true, "Builder", "mode-builder")}
                </span>
            </div>
            <datalist id=subjects>{suggestions}</datalist>
            <Show when=move || building.get()>
                <div class="builder" data-testid=format!("{testid}-builder")>{builder.clone()}</div>
            </Show>
            <textarea
                id=testid
                node_ref=field
                aria-invalid=move || diagnostics.with(|found| !found.is_empty()).to_string()
                aria-describedby=move || diagnostics.with(|found| !found.is_empty()).then(|| format!("{testid}-problems"))
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
                <ul class="diagnostics" id=format!("{testid}-problems")>{messages}</ul>
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
