//! The rule language: data-driven cases, and properties over generated input.
//!
//! Each file in `rule_cases/` holds cases in this form:
//!
//! ```text
//! === what the case shows
//! @define name = rule text      (optional: definitions besides the default)
//! the rule, on one or more lines
//! ---
//! what `outcome` prints for it
//! ```
//!
//! A rule that checks cleanly prints its canonical text, what its program
//! reads and how many tests it compiled to. Otherwise each diagnostic prints
//! as ``span `text`: message``, with its fix on the next line, and then how
//! the parser read the rule despite its problems. Run with
//! `BLESS=1` to rewrite the expectations after a deliberate change, then read
//! the diff.

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

use proptest::prelude::*;
use rule_generators::{contact, contact_now_and_later, valid_rule, vocabulary};
use tandem_engine::rules::{
    self, Attribute, CompareOp, ContactColumns, ContactRow, Definitions, Duration, DurationUnit, EventKind, Expr,
    ExprKind, Interpreter, MAX_NESTING, Program, Span, Term, TermKind,
};

mod rule_generators;

struct Case {
    name: String,
    definitions: Vec<(String, String)>,
    rule: String,
    expected: String,
}

fn read_cases(content: &str) -> (String, Vec<Case>) {
    let (header, body) = match content.find("=== ") {
        Some(start) => content.split_at(start),
        None => (content, ""),
    };
    let cases = body
        .split("\n=== ")
        .filter(|chunk| !chunk.trim().is_empty())
        .map(|chunk| {
            let chunk = chunk.strip_prefix("=== ").unwrap_or(chunk);
            let (name, rest) = chunk.split_once('\n').unwrap_or((chunk, ""));
            let (input, expected) = rest
                .split_once("\n---\n")
                .or_else(|| rest.split_once("---\n"))
                .unwrap_or_else(|| panic!("case `{name}` has no `---` line between the rule and its outcome"));
            let mut definitions = Vec::new();
            let mut rule_lines = Vec::new();
            for line in input.split('\n') {
                match line.strip_prefix("@define ").and_then(|definition| definition.split_once(" = ")) {
                    Some((name, text)) => definitions.push((name.to_owned(), text.to_owned())),
                    None => rule_lines.push(line),
                }
            }
            Case {
                name: name.to_owned(),
                definitions,
                rule: rule_lines.join("\n"),
                expected: expected.trim_end().to_owned(),
            }
        })
        .collect();
    (header.to_owned(), cases)
}

fn write_cases(header: &str, cases: &[Case]) -> String {
    let mut out = header.to_owned();
    for case in cases {
        let _ = writeln!(out, "=== {}", case.name);
        for (name, text) in &case.definitions {
            let _ = writeln!(out, "@define {name} = {text}");
        }
        let _ = write!(out, "{}\n---\n{}\n\n", case.rule, case.expected);
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// Everything a case shows about a rule. Along the way it asserts what
/// must hold for every rule: diagnostic spans are valid, and a clean rule's
/// canonical text parses back to the same tree and prints the same.
fn outcome(rule: &str, definitions: &Definitions) -> String {
    let checked = rules::check(rule, definitions);
    let mut out = String::new();
    for diagnostic in &checked.diagnostics {
        assert_spans_valid(rule, diagnostic.span);
        let text = rule[diagnostic.span.range()].replace('\n', "\\n");
        let _ = writeln!(out, "{} `{text}`: {}", diagnostic.span, diagnostic.message);
        match diagnostic.suggestion.as_deref() {
            Some("") => out.push_str("  fix: (delete it)\n"),
            Some(fix) => {
                let _ = writeln!(out, "  fix: {fix}");
            }
            None => {}
        }
    }
    if !checked.diagnostics.is_empty() {
        let _ = writeln!(out, "read as: {}", rules::print(&rules::parse(rule).expr));
    }
    if let Some(rule_ok) = &checked.rule {
        let parsed = rules::parse(rule);
        let canonical = rules::print(&parsed.expr);
        assert_same_tree(&parsed.expr, &rules::parse(&canonical).expr);
        assert_eq!(rules::print(&rules::parse(&canonical).expr), canonical, "printing is idempotent");
        let vocabulary = vocabulary();
        let program = Program::compile(rule_ok, &vocabulary);
        let reads = program.reads();
        let _ = writeln!(out, "print: {canonical}");
        if !reads.attributes.is_empty() {
            let attributes: Vec<&str> = reads.attributes.iter().map(|attribute| attribute.name()).collect();
            let _ = writeln!(out, "reads: {}", attributes.join(", "));
        }
        for event in &reads.events {
            let channel = event.channel.map(|channel| format!(" on {}", channel.name())).unwrap_or_default();
            let page = event
                .page
                .and_then(|page| vocabulary.text(page))
                .map(|page| format!(" of {page:?}"))
                .unwrap_or_default();
            let _ =
                writeln!(out, "event: {:?}{channel}{page} in the last {} minutes", event.kind, event.window_minutes);
        }
        let _ = writeln!(out, "tests: {}", program.test_count());
    }
    out.lines().map(str::trim_end).collect::<Vec<_>>().join("\n").trim_end().to_owned()
}

fn assert_spans_valid(text: &str, span: Span) {
    assert!(
        span.start <= span.end
            && span.end <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end),
        "span {span} is not a valid range of {text:?}"
    );
}

fn assert_same_tree(left: &Expr, right: &Expr) {
    let (mut left, mut right) = (left.clone(), right.clone());
    left.erase_spans();
    right.erase_spans();
    assert_eq!(left, right);
}

/// The data-driven cases: every file in `rule_cases/`.
#[test]
fn rule_cases() {
    let directory = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/rule_cases");
    let bless = std::env::var_os("BLESS").is_some();
    let mut paths: Vec<PathBuf> = fs::read_dir(&directory)
        .expect("tests/rule_cases exists")
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "txt"))
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    let mut case_count = 0;
    for path in paths {
        let content = fs::read_to_string(&path).expect("a readable case file");
        let (header, mut cases) = read_cases(&content);
        for case in &mut cases {
            let mut definitions = Definitions::default();
            for (name, text) in &case.definitions {
                definitions.insert(name.as_str(), text.as_str());
            }
            let actual = outcome(&case.rule, &definitions);
            if actual != case.expected {
                failures.push(format!(
                    "{}: {}\n{}\n--- expected\n{}\n--- actual\n{}\n",
                    path.display(),
                    case.name,
                    case.rule,
                    case.expected,
                    actual
                ));
                case.expected = actual;
            }
        }
        case_count += cases.len();
        if bless {
            fs::write(&path, write_cases(&header, &cases)).expect("a writable case file");
        }
    }
    assert!(case_count >= 40, "only {case_count} rule cases");
    assert!(
        bless || failures.is_empty(),
        "{} case(s) differ (BLESS=1 rewrites them):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_sample_journeys_rules_check_cleanly() {
    for touchpoint in tandem_engine::samples::playbook().touchpoints {
        for rule in [&touchpoint.trigger, &touchpoint.eligibility] {
            let checked = rules::check(rule, &Definitions::default());
            assert!(checked.diagnostics.is_empty(), "{rule}: {:?}", checked.diagnostics);
        }
    }
}

#[test]
fn trees_built_by_hand_are_checked_too() {
    let text = |value: &str| Term::new(TermKind::Text(value.into()), Span::NONE);
    let name = |value: &str| Term::new(TermKind::Name(value.into()), Span::NONE);
    let row =
        Expr::new(ExprKind::Compare { left: name("stage"), op: CompareOp::Equal, right: text("SQL") }, Span::NONE);
    let broken = Expr::new(ExprKind::Error("stage ==".into()), Span::NONE);
    let group = Expr::new(ExprKind::And(vec![row.clone(), broken]), Span::NONE);
    let checked = rules::check_expr(&group, &Definitions::default());
    assert!(checked.rule.is_none());
    assert_eq!(checked.diagnostics[0].message, "`stage ==` could not be read as part of a rule");
    assert!(rules::check_expr(&row, &Definitions::default()).rule.is_some());

    let mut deep = row;
    for _ in 0..MAX_NESTING + 1 {
        deep = Expr::new(ExprKind::Not(Box::new(deep)), Span::NONE);
    }
    let checked = rules::check_expr(&deep, &Definitions::default());
    assert!(checked.diagnostics[0].message.starts_with("this rule nests too deeply"));
}

#[test]
fn parsing_is_bounded_on_pathological_input() {
    for text in [
        "(".repeat(100_000),
        "not ".repeat(100_000),
        format!("{}x{}", "f(".repeat(50_000), ")".repeat(50_000)),
        "a and ".repeat(20_000) + "a",
        "\"".repeat(10_001),
    ] {
        let checked = rules::check(&text, &Definitions::default());
        assert!(!checked.diagnostics.is_empty());
        for diagnostic in &checked.diagnostics {
            assert_spans_valid(&text, diagnostic.span);
        }
    }
}

#[test]
fn programs_list_what_they_read() {
    let checked = rules::check(r#"stage == "SQL" and (high_intent or owner == "Ana Ruiz")"#, &Definitions::default());
    let program = Program::compile(&checked.rule.expect("a clean rule"), &vocabulary());
    let reads = program.reads();
    assert_eq!(reads.attributes, [Attribute::Stage, Attribute::Owner, Attribute::MeetingIntent]);
    let kinds: Vec<EventKind> = reads.events.iter().map(|event| event.kind).collect();
    assert_eq!(kinds, [EventKind::Click, EventKind::Visit]);
}

// ---- Generated input ----

/// Text that looks like rules: real tokens, typos and junk, in any order.
fn token_soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("and"),
        Just("or"),
        Just("not"),
        Just("in"),
        Just("("),
        Just(")"),
        Just("["),
        Just("]"),
        Just(","),
        Just("=="),
        Just("!="),
        Just(">="),
        Just("<"),
        Just("="),
        Just("&&"),
        Just("!"),
        Just("stage"),
        Just("persnoa"),
        Just("consent"),
        Just("owner"),
        Just("days_in_stage"),
        Just("meeting_intent"),
        Just("high_intent"),
        Just("clicks"),
        Just("visited"),
        Just("email"),
        Just("\"MQL\""),
        Just("\"opted_in\""),
        Just("\"pricing\""),
        Just("\"é\\\"\""),
        Just("\"unterminated"),
        Just("14"),
        Just("2.5"),
        Just("7d"),
        Just("48h"),
        Just("7days"),
        Just("99999999999d"),
        Just("true"),
        Just("AND"),
        Just("'x'"),
        Just("§"),
        Just("☃"),
        Just("\\"),
        Just("\n"),
    ];
    prop::collection::vec(token, 0..24).prop_map(|tokens| tokens.join(" "))
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), token_soup(), "(?s).{0,40}"]
}

fn generated_name() -> impl Strategy<Value = String> {
    "[a-z_][a-z0-9_]{0,7}".prop_filter("keywords are not names", |name| {
        !["and", "or", "not", "in", "true", "false"].contains(&name.as_str())
    })
}

fn generated_term() -> impl Strategy<Value = Term> {
    let number = prop_oneof![
        (0u32..1000).prop_map(f64::from),
        (0u32..100_000, 1u32..100).prop_map(|(whole, hundredths)| f64::from(whole) + f64::from(hundredths) / 100.0),
        any::<f64>()
            .prop_filter("a non-negative finite number", |number| number.is_finite() && number.is_sign_positive()),
    ];
    let unit = prop_oneof![Just(DurationUnit::Minutes), Just(DurationUnit::Hours), Just(DurationUnit::Days)];
    let leaf = prop_oneof![
        generated_name().prop_map(TermKind::Name),
        "(?s).{0,8}".prop_map(TermKind::Text),
        number.prop_map(TermKind::Number),
        any::<bool>().prop_map(TermKind::Bool),
        (any::<u32>(), unit).prop_map(|(amount, unit)| TermKind::Duration(Duration { amount, unit })),
    ]
    .prop_map(|kind| Term::new(kind, Span::NONE));
    leaf.prop_recursive(2, 8, 3, |argument| {
        (generated_name(), prop::collection::vec(argument, 0..3))
            .prop_map(|(function, args)| Term::new(TermKind::Call { function, args }, Span::NONE))
    })
}

fn generated_expr() -> impl Strategy<Value = Expr> {
    let op = prop::sample::select(CompareOp::ALL.to_vec());
    let leaf = prop_oneof![
        (generated_term(), op, generated_term()).prop_map(|(left, op, right)| ExprKind::Compare { left, op, right }),
        (generated_term(), any::<bool>(), prop::collection::vec(generated_term(), 0..4))
            .prop_map(|(subject, negated, values)| ExprKind::In { subject, negated, values }),
        generated_term().prop_map(ExprKind::Condition),
    ]
    .prop_map(|kind| Expr::new(kind, Span::NONE));
    leaf.prop_recursive(4, 32, 4, |member| {
        prop_oneof![
            prop::collection::vec(member.clone(), 2..4).prop_map(ExprKind::And),
            prop::collection::vec(member.clone(), 2..4).prop_map(ExprKind::Or),
            member.prop_map(|inner| ExprKind::Not(Box::new(inner))),
        ]
        .prop_map(|kind| Expr::new(kind, Span::NONE))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    /// No text panics the parser, checker, compiler or printer, and every
    /// span is a valid range of the text.
    #[test]
    fn any_text_is_handled_with_valid_spans(text in any_text()) {
        let parsed = rules::parse(&text);
        let mut spans = Vec::new();
        collect_spans(&parsed.expr, &mut spans);
        let checked = rules::check(&text, &Definitions::default());
        spans.extend(checked.diagnostics.iter().map(|diagnostic| diagnostic.span));
        for span in spans {
            assert_spans_valid(&text, span);
        }
        prop_assert_eq!(checked.rule.is_some(), checked.diagnostics.is_empty());
        let printed = rules::print(&parsed.expr);
        if let Some(rule) = checked.rule {
            let mut contacts = ContactColumns::new();
            contacts.push(&ContactRow::new());
            Program::compile(&rule, &vocabulary()).eval(&contacts, 0);
            // Printing a clean rule is idempotent.
            prop_assert_eq!(rules::print(&rules::parse(&printed).expr), printed);
        }
    }

    /// Printing any tree gives text that parses cleanly back to that tree.
    #[test]
    fn printed_trees_parse_back_to_themselves(expr in generated_expr()) {
        let printed = rules::print(&expr);
        let parsed = rules::parse(&printed);
        prop_assert!(parsed.diagnostics.is_empty(), "{printed}: {:?}", parsed.diagnostics);
        let mut reparsed = parsed.expr;
        reparsed.erase_spans();
        prop_assert_eq!(&reparsed, &expr, "{}", printed);
        prop_assert_eq!(rules::print(&reparsed), printed);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    /// The compiled program, one contact at a time and 64 at a time, agrees
    /// with the tree-walking interpreter on every contact (including lanes
    /// past the last contact, which read as defaults).
    #[test]
    fn compiled_programs_agree_with_the_interpreter(
        rule in valid_rule(),
        rows in prop::collection::vec(contact(), 1..24),
        lanes in any::<u64>(),
    ) {
        let definitions = Definitions::default();
        let checked = rules::check(&rule, &definitions);
        prop_assert!(checked.diagnostics.is_empty(), "{rule}: {:?}", checked.diagnostics);
        let vocabulary = vocabulary();
        let program = Program::compile(&checked.rule.expect("a clean rule"), &vocabulary);
        let tree = rules::parse(&rule).expr;
        let interpreter = Interpreter::new(&definitions);
        let mut contacts = ContactColumns::new();
        for row in &rows {
            contacts.push(row);
        }
        let block = program.eval_block(&contacts, 0, lanes);
        for contact in 0..64 {
            let expected = interpreter.eval(&tree, &contacts, &vocabulary, contact);
            let row = rows.get(contact);
            prop_assert_eq!(program.eval(&contacts, contact), expected, "{} on contact {}: {:?}", rule, contact, row);
            let asked = lanes >> contact & 1 == 1;
            prop_assert_eq!(block >> contact & 1 == 1, asked && expected, "{} in a block, contact {}", rule, contact);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    /// A rule that does not hold, and that its reads say cannot come to
    /// hold with time alone, still does not hold later when nothing but
    /// time has changed: what lets a simulator look at it only when an
    /// input changes.
    #[test]
    fn a_rule_that_time_cannot_make_hold_does_not_come_to_hold_with_time(
        rule in valid_rule(),
        contacts in prop::collection::vec(contact_now_and_later(), 1..24),
    ) {
        let checked = rules::check(&rule, &Definitions::default());
        let program = Program::compile(&checked.rule.expect("a clean rule"), &vocabulary());
        let mut columns = ContactColumns::new();
        for (now, later) in &contacts {
            columns.push(now);
            columns.push(later);
        }
        if !program.reads().may_come_to_hold_with_time {
            for (index, (now, later)) in contacts.iter().enumerate() {
                let came_to_hold = !program.eval(&columns, 2 * index) && program.eval(&columns, 2 * index + 1);
                prop_assert!(!came_to_hold, "{} came to hold: {:?} then {:?}", rule, now, later);
            }
        }
    }
}

#[test]
fn rules_say_whether_time_alone_may_make_them_hold() {
    let cases = [
        ("clicks(email, 7d) >= 2 or visited(\"pricing\", 3d)", false),
        ("meeting_intent or visited(\"demo\", 2d)", false),
        ("stage == \"SQL\" and engagement_score > 50", false),
        ("days_in_stage >= 14 and opens(email, 14d) >= 2", true),
        ("opens(email, 14d) < 2", true),
        ("not clicks(email, 3d) >= 1", true),
        ("not days_in_stage < 30", true),
        ("not days_in_stage >= 30", false),
        ("sms_received(2d) > engagement_score", true),
    ];
    for (rule, expected) in cases {
        let checked = rules::check(rule, &Definitions::default());
        let program = Program::compile(&checked.rule.expect("a clean rule"), &vocabulary());
        assert_eq!(program.reads().may_come_to_hold_with_time, expected, "{rule}");
    }
}

fn collect_spans(expr: &Expr, spans: &mut Vec<Span>) {
    spans.push(expr.span);
    let mut terms: Vec<&Term> = Vec::new();
    match &expr.kind {
        ExprKind::And(members) | ExprKind::Or(members) => {
            members.iter().for_each(|member| collect_spans(member, spans))
        }
        ExprKind::Not(inner) => collect_spans(inner, spans),
        ExprKind::Compare { left, right, .. } => terms.extend([left, right]),
        ExprKind::In { subject, values, .. } => terms.extend(std::iter::once(subject).chain(values)),
        ExprKind::Condition(term) => terms.push(term),
        ExprKind::Error(_) => {}
    }
    while let Some(term) = terms.pop() {
        spans.push(term.span);
        if let TermKind::Call { args, .. } = &term.kind {
            terms.extend(args);
        }
    }
}
