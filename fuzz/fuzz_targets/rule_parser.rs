//! Feeds arbitrary UTF-8 to the whole rule pipeline: parse, check (also as
//! a definition used by another rule), print, compile, evaluate. It fails
//! on any panic, on a span that is not a valid range of the text, when
//! canonical text does not parse back to the same tree, and when the
//! compiled program and the interpreter disagree.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem_engine::rules::{
    self, AttributeKind, Channel, ContactColumns, ContactRow, Definitions, Event, EventKind, Expr, Interpreter,
    Program, Span, Vocabulary,
};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        run(text);
    }
});

fn run(text: &str) {
    let parsed = rules::parse(text);
    assert_spans_valid(text, parsed.diagnostics.iter().map(|diagnostic| diagnostic.span));
    let printed = rules::print(&parsed.expr);

    let mut definitions = Definitions::default();
    definitions.insert("fuzzed", text);
    let checked = rules::check(text, &definitions);
    assert_spans_valid(text, checked.diagnostics.iter().map(|diagnostic| diagnostic.span));
    assert_eq!(checked.rule.is_some(), checked.diagnostics.is_empty());
    // The same text as a definition, which may now refer to itself.
    let _ = rules::check("fuzzed and meeting_intent", &definitions);

    let Some(rule) = checked.rule else {
        return;
    };
    let reparsed = rules::parse(&printed);
    assert!(reparsed.diagnostics.is_empty(), "{printed:?} does not parse: {:?}", reparsed.diagnostics);
    assert_eq!(without_spans(&reparsed.expr), without_spans(&parsed.expr), "{printed:?}");
    assert_eq!(rules::print(&reparsed.expr), printed);

    let mut vocabulary = Vocabulary::new();
    let pricing = vocabulary.intern("pricing");
    vocabulary.intern("Ana Ruiz");
    let program = Program::compile(&rule, &vocabulary);
    let contacts = contacts(pricing);
    let interpreter = Interpreter::new(&definitions);
    let block = program.eval_block(&contacts, 0, u64::MAX);
    for contact in 0..contacts.len() {
        let expected = interpreter.eval(&parsed.expr, &contacts, &vocabulary, contact);
        assert_eq!(program.eval(&contacts, contact), expected, "{text:?} on contact {contact}");
        assert_eq!(block >> contact & 1 == 1, expected, "{text:?} in a block, contact {contact}");
    }
}

fn assert_spans_valid(text: &str, spans: impl Iterator<Item = Span>) {
    for span in spans {
        assert!(text.get(span.range()).is_some(), "span {span} is not a valid range of {text:?}");
    }
}

fn without_spans(expr: &Expr) -> Expr {
    let mut expr = expr.clone();
    expr.erase_spans();
    expr
}

/// A few contacts that differ in every attribute and have some events.
fn contacts(pricing: u32) -> ContactColumns {
    let mut contacts = ContactColumns::new();
    for seed in 0..4u32 {
        let mut row = ContactRow::new();
        for spec in rules::ATTRIBUTES {
            match spec.kind {
                AttributeKind::Choice(values) => row.set_code(spec.attribute, seed % values.len() as u32),
                AttributeKind::Text => row.set_code(spec.attribute, seed % 2),
                AttributeKind::Number { .. } => row.set_number(spec.attribute, f64::from(seed * 7)),
                AttributeKind::Flag => row.set_flag(spec.attribute, seed % 2 == 1),
            };
        }
        for age in 0..seed * 2 {
            let minutes_ago = age * 1_500;
            row.add_event(Event { kind: EventKind::Click, channel: Some(Channel::Email), page: None, minutes_ago })
                .add_event(Event { kind: EventKind::Visit, channel: None, page: Some(pricing), minutes_ago });
        }
        contacts.push(&row);
    }
    contacts
}
