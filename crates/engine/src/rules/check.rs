//! Resolves a parsed rule against the contact schema, the event functions
//! and the named definitions, and checks that every comparison makes sense.
//! It reports every problem, in words a marketer can act on, and otherwise
//! produces a [`CheckedRule`]: a tree with names resolved to attributes,
//! choice values to codes and windows to minutes, ready to compile.

use std::collections::{BTreeMap, BTreeSet};
use std::mem;

use super::ast::{CompareOp, DurationUnit, Expr, ExprKind, Term, TermKind};
use super::definitions::Definitions;
use super::diagnostic::{Diagnostic, closest};
use super::parser::{MAX_NESTING, TOO_DEEP, parse};
use super::print::{print_term, quote};
use super::schema::{
    ATTRIBUTES, Attribute, AttributeKind, Channel, EventKind, FUNCTIONS, FunctionSpec, MAX_WINDOW_MINUTES, Param,
    every_choice,
};
use super::span::Span;

mod operands;
use operands::Operand;

/// How many definitions deep a rule may reach (`a` uses `b` uses `c`…).
const MAX_DEFINITION_DEPTH: usize = 8;

/// The result of [`check`]: a rule ready to compile when there is no
/// diagnostic, and every diagnostic otherwise.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub rule: Option<CheckedRule>,
    /// Sorted by where they start in the text.
    pub diagnostics: Vec<Diagnostic>,
}

/// A rule that passed every check. Compile it with [`super::Program::compile`].
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedRule {
    pub(crate) condition: Cond,
}

impl CheckedRule {
    /// The page names the rule's `visited(...)` calls ask about, sorted and
    /// without duplicates: a simulator numbers them in its vocabulary before
    /// compiling, so that the rule can see the visits it draws.
    pub fn pages(&self) -> Vec<String> {
        fn walk(cond: &Cond, pages: &mut BTreeSet<String>) {
            let mut note = |number: &Number| {
                if let Number::Count(EventSpec { page: Some(page), .. }) = number {
                    pages.insert(page.clone());
                }
            };
            match cond {
                Cond::All(parts) | Cond::Any(parts) => parts.iter().for_each(|part| walk(part, pages)),
                Cond::Not(inner) => walk(inner, pages),
                Cond::Constant(_) => {}
                Cond::Atom(Atom::Compare { left, right, .. }) => {
                    note(left);
                    note(right);
                }
                Cond::Atom(_) => {}
            }
        }
        let mut pages = BTreeSet::new();
        walk(&self.condition, &mut pages);
        pages.into_iter().collect()
    }
}

/// A condition with every name resolved.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    Constant(bool),
    Atom(Atom),
}

/// A condition on one contact's facts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Atom {
    /// The attribute's code is in the set (bit `code`).
    Choice {
        attribute: Attribute,
        set: u64,
    },
    /// The attribute's text is one of `values`.
    Text {
        attribute: Attribute,
        values: Vec<String>,
    },
    Flag(Attribute),
    Compare {
        left: Number,
        op: CompareOp,
        right: Number,
    },
}

/// A number-valued operand.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Number {
    Attribute(Attribute),
    Count(EventSpec),
    Constant(f64),
}

/// An event function call with its arguments checked. The page is still
/// text: it becomes a code when compiled against a vocabulary.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct EventSpec {
    pub kind: EventKind,
    pub channel: Option<Channel>,
    pub page: Option<String>,
    pub window_minutes: u32,
}

/// Parses and checks rule text: the one call needed to validate a rule,
/// e.g. while importing a journey. It does not compile.
pub fn check(text: &str, definitions: &Definitions) -> Checked {
    let parsed = parse(text);
    let mut checked = Checker::new(definitions, false).run(&parsed.expr);
    if !parsed.diagnostics.is_empty() {
        checked.rule = None;
        // Where the parser found a problem, what the checker then finds is
        // usually the same problem seen again: one mistake, one message.
        checked
            .diagnostics
            .retain(|found| !parsed.diagnostics.iter().any(|parse_problem| overlap(parse_problem.span, found.span)));
        checked.diagnostics.extend(parsed.diagnostics);
        Diagnostic::sort_by_place(&mut checked.diagnostics);
    }
    checked
}

fn overlap(a: Span, b: Span) -> bool {
    a.start < b.end && b.start < a.end
}

/// Checks a tree built without text, e.g. by the rule builder. Error nodes
/// are reported too, since no parser has reported them.
pub fn check_expr(expr: &Expr, definitions: &Definitions) -> Checked {
    Checker::new(definitions, true).run(expr)
}

struct Checker<'d> {
    definitions: &'d Definitions,
    diagnostics: Vec<Diagnostic>,
    /// Definitions being resolved, outermost first, to find cycles.
    resolving: Vec<String>,
    /// Definitions already resolved: the condition, or the problems found.
    resolved: BTreeMap<String, Result<Cond, Vec<String>>>,
    depth: usize,
    report_error_nodes: bool,
}

impl<'d> Checker<'d> {
    fn new(definitions: &'d Definitions, report_error_nodes: bool) -> Checker<'d> {
        Checker {
            definitions,
            diagnostics: Vec::new(),
            resolving: Vec::new(),
            resolved: BTreeMap::new(),
            depth: 0,
            report_error_nodes,
        }
    }

    fn run(mut self, expr: &Expr) -> Checked {
        let condition = self.condition(expr);
        let mut diagnostics = self.diagnostics;
        Diagnostic::sort_by_place(&mut diagnostics);
        let rule = condition.filter(|_| diagnostics.is_empty()).map(|condition| CheckedRule { condition });
        Checked { rule, diagnostics }
    }

    fn report(&mut self, span: Span, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(span, message));
    }

    fn report_with_fix(&mut self, span: Span, message: impl Into<String>, fix: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(span, message).suggest(fix));
    }

    fn condition(&mut self, expr: &Expr) -> Option<Cond> {
        if self.depth >= MAX_NESTING {
            self.report(expr.span, TOO_DEEP);
            return None;
        }
        self.depth += 1;
        let condition = match &expr.kind {
            ExprKind::And(members) => self.conditions(members).map(Cond::All),
            ExprKind::Or(members) => self.conditions(members).map(Cond::Any),
            ExprKind::Not(inner) => self.condition(inner).map(|inner| Cond::Not(Box::new(inner))),
            ExprKind::Compare { left, op, right } => self.compare(left, *op, right, expr.span),
            ExprKind::In { subject, negated, values } => self.membership(subject, *negated, values, expr.span),
            ExprKind::Condition(term) => self.standalone(term),
            ExprKind::Error(typed) => {
                self.error_node(typed, expr.span);
                None
            }
        };
        self.depth -= 1;
        condition
    }

    /// Checks every member, so that all problems are reported.
    fn conditions(&mut self, members: &[Expr]) -> Option<Vec<Cond>> {
        let checked: Vec<Option<Cond>> = members.iter().map(|member| self.condition(member)).collect();
        checked.into_iter().collect()
    }

    fn error_node(&mut self, typed: &str, span: Span) {
        if self.report_error_nodes {
            self.report(span, format!("`{typed}` could not be read as part of a rule"));
        }
    }

    /// A term standing alone where a condition is expected.
    fn standalone(&mut self, term: &Term) -> Option<Cond> {
        let printed = print_term(term);
        match self.operand(term, None)? {
            Operand::Condition(condition) => Some(condition),
            Operand::BoolValue(value) => Some(Cond::Constant(value)),
            Operand::Number(Number::Count(event)) => Some(Cond::Atom(Atom::Compare {
                left: Number::Count(event),
                op: CompareOp::GreaterOrEqual,
                right: Number::Constant(1.0),
            })),
            Operand::Number(Number::Attribute(attribute)) => {
                self.report(
                    term.span,
                    format!("`{attribute}` is a number; compare it with one, like {attribute} >= 1"),
                );
                None
            }
            Operand::Number(Number::Constant(_)) => {
                self.report(
                    term.span,
                    format!(
                        "a number on its own is not a condition; \
                         compare something with it, like days_in_stage >= {printed}"
                    ),
                );
                None
            }
            Operand::Choice(attribute, values) => {
                let example = values.first().map(|value| quote(value)).unwrap_or_default();
                self.report(
                    term.span,
                    format!("`{attribute}` needs a value to compare with, like {attribute} == {example}"),
                );
                None
            }
            Operand::Text(attribute) => {
                self.report(
                    term.span,
                    format!("`{attribute}` needs a value to compare with, like {attribute} == \"Alex Kim\""),
                );
                None
            }
            Operand::TextValue(value) => {
                let message = "a value in quotes is not a condition; compare an attribute with it";
                match attribute_with_value(&value) {
                    Some(attribute) => {
                        let fix = format!("{attribute} == {printed}");
                        self.report_with_fix(term.span, format!("{message}, like {fix}"), fix);
                    }
                    None => self.report(term.span, format!("{message}, like owner == {printed}")),
                }
                None
            }
        }
    }

    fn compare(&mut self, left: &Term, op: CompareOp, right: &Term, span: Span) -> Option<Cond> {
        let left_operand = self.operand(left, None);
        let hint = left_operand.as_ref().and_then(Operand::value_attribute);
        let right_operand = self.operand(right, hint);
        let (left_operand, right_operand) = (left_operand?, right_operand?);
        if left_operand.is_literal() && right_operand.is_literal() {
            self.report(span, "this compares two fixed values; put an attribute or event on one side");
            return None;
        }
        // Keep the attribute or event as the anchor, on the left.
        let swapped = left_operand.is_literal();
        let (anchor, other, other_term, anchored_op) = if swapped {
            (right_operand, left_operand, left, op.flipped())
        } else {
            (left_operand, right_operand, right, op)
        };
        match (anchor, other) {
            (Operand::Number(anchor), Operand::Number(other)) => {
                self.check_range(&anchor, &other, other_term)?;
                Some(Cond::Atom(Atom::Compare { left: anchor, op: anchored_op, right: other }))
            }
            (Operand::Choice(attribute, values), Operand::TextValue(value)) => {
                self.equality_only(op, span, attribute.name())?;
                let set = 1u64 << self.choice_code(attribute, values, &value, other_term.span)?;
                let set = if op == CompareOp::NotEqual { every_choice(values) & !set } else { set };
                Some(Cond::Atom(Atom::Choice { attribute, set }))
            }
            (Operand::Text(attribute), Operand::TextValue(value)) => {
                self.equality_only(op, span, attribute.name())?;
                Some(negate_if(op == CompareOp::NotEqual, Cond::Atom(Atom::Text { attribute, values: vec![value] })))
            }
            (Operand::Condition(condition), Operand::BoolValue(value)) => {
                self.equality_only(op, span, "true or false")?;
                Some(negate_if((op == CompareOp::Equal) != value, condition))
            }
            (anchor, _) => {
                let side = if swapped { "before" } else { "after" };
                let found = print_term(other_term);
                let message = format!("expected {} {side} `{}`, found `{found}`", anchor.expectation(), op.symbol());
                self.report(other_term.span, message);
                None
            }
        }
    }

    fn equality_only(&mut self, op: CompareOp, span: Span, what: &str) -> Option<()> {
        if op.is_equality() {
            return Some(());
        }
        self.report(span, format!("`{}` only compares numbers; use == or != with {what}", op.symbol()));
        None
    }

    /// Reports a fixed number outside the range of the attribute it is
    /// compared with.
    fn check_range(&mut self, anchor: &Number, other: &Number, other_term: &Term) -> Option<()> {
        let (Number::Attribute(attribute), Number::Constant(value)) = (anchor, other) else {
            return Some(());
        };
        let AttributeKind::Number { min, max } = attribute.kind() else {
            return Some(());
        };
        if (min..=max).contains(value) {
            return Some(());
        }
        self.report(other_term.span, format!("{attribute} goes from {min} to {max}; {value} is out of range"));
        None
    }

    fn membership(&mut self, subject: &Term, negated: bool, values: &[Term], span: Span) -> Option<Cond> {
        let subject_operand = self.operand(subject, None)?;
        if values.is_empty() {
            self.report(span, "the list is empty; put at least one value in it");
            return None;
        }
        match subject_operand {
            Operand::Choice(attribute, names) => {
                let mut set = Some(0u64);
                for value in values {
                    let code = self
                        .list_value(value, attribute)
                        .and_then(|text| self.choice_code(attribute, names, &text, value.span));
                    set = set.zip(code).map(|(set, code)| set | 1u64 << code);
                }
                let set = set?;
                Some(Cond::Atom(Atom::Choice {
                    attribute,
                    set: if negated { every_choice(names) & !set } else { set },
                }))
            }
            Operand::Text(attribute) => {
                let texts: Vec<Option<String>> = values.iter().map(|value| self.list_value(value, attribute)).collect();
                let values = texts.into_iter().collect::<Option<Vec<String>>>()?;
                Some(negate_if(negated, Cond::Atom(Atom::Text { attribute, values })))
            }
            Operand::Number(_) => {
                self.report(
                    span,
                    "`in` picks from a list of values; compare numbers with ==, <, >= and the like instead",
                );
                None
            }
            _ => {
                let message = "`in` needs an attribute with values on its left, like stage in [\"MQL\", \"SQL\"]";
                self.report(subject.span, message);
                None
            }
        }
    }

    /// One value in an `in` list, which must be text.
    fn list_value(&mut self, value: &Term, attribute: Attribute) -> Option<String> {
        match self.operand(value, Some(attribute))? {
            Operand::TextValue(text) => Some(text),
            _ => {
                let example = match attribute.kind() {
                    AttributeKind::Choice(values) => {
                        values.iter().take(2).map(|value| quote(value)).collect::<Vec<_>>().join(", ")
                    }
                    _ => "\"Alex Kim\", \"Sam Lee\"".to_owned(),
                };
                let found = print_term(value);
                self.report(value.span, format!("a list holds values in quotes, like [{example}]; found `{found}`"));
                None
            }
        }
    }

    /// The code of `typed` among a choice attribute's values.
    fn choice_code(&mut self, attribute: Attribute, values: &[&str], typed: &str, span: Span) -> Option<u32> {
        if let Some(index) = values.iter().position(|value| *value == typed) {
            return u32::try_from(index).ok();
        }
        match closest(typed, values.iter().copied()) {
            Some(value) => self.report_with_fix(
                span,
                format!("{attribute} has no value `{typed}` — did you mean `{value}`?"),
                quote(value),
            ),
            None if values.len() <= 8 => {
                let listed: Vec<String> = values.iter().map(|value| quote(value)).collect();
                self.report(span, format!("{attribute} has no value `{typed}`; it is one of {}", listed.join(", ")));
            }
            None => {
                let example = values.first().map(|value| quote(value)).unwrap_or_default();
                self.report(span, format!("{attribute} has no value `{typed}`; values look like {example}"));
            }
        }
        None
    }

    fn definition(&mut self, name: &str, span: Span) -> Option<Cond> {
        if let Some(position) = self.resolving.iter().position(|resolving| resolving == name) {
            let mut path: Vec<&str> = self.resolving[position..].iter().map(String::as_str).collect();
            path.push(name);
            let message = format!("`{name}` refers to itself ({})", path.join(" → "));
            self.report(span, message);
            return None;
        }
        let outcome = match self.resolved.get(name) {
            Some(outcome) => outcome.clone(),
            None => {
                let outcome = self.resolve_definition(name);
                self.resolved.insert(name.to_owned(), outcome.clone());
                outcome
            }
        };
        match outcome {
            Ok(condition) => Some(condition),
            Err(problems) => {
                // Problems deep inside definitions are reported once, at the
                // outermost use, naming the definition the rule uses.
                for problem in problems {
                    let message = if self.resolving.is_empty() {
                        format!("the definition of `{name}` has a problem: {problem}")
                    } else {
                        problem
                    };
                    self.report(span, message);
                }
                None
            }
        }
    }

    fn resolve_definition(&mut self, name: &str) -> Result<Cond, Vec<String>> {
        if self.resolving.len() >= MAX_DEFINITION_DEPTH {
            return Err(vec![format!("definitions refer to one another more than {MAX_DEFINITION_DEPTH} deep")]);
        }
        let parsed = parse(self.definitions.get(name).unwrap_or_default());
        let outer_diagnostics = mem::take(&mut self.diagnostics);
        let outer_depth = mem::replace(&mut self.depth, 0);
        let outer_reporting = mem::replace(&mut self.report_error_nodes, false);
        self.resolving.push(name.to_owned());
        let condition = self.condition(&parsed.expr);
        self.resolving.pop();
        self.report_error_nodes = outer_reporting;
        self.depth = outer_depth;
        let inner = mem::replace(&mut self.diagnostics, outer_diagnostics);
        let problems: Vec<String> =
            parsed.diagnostics.into_iter().chain(inner).map(|problem| problem.message).collect();
        match condition {
            Some(condition) if problems.is_empty() => Ok(condition),
            _ => Err(problems),
        }
    }
}

fn negate_if(negate: bool, condition: Cond) -> Cond {
    if negate { Cond::Not(Box::new(condition)) } else { condition }
}

/// The first choice attribute that has `value` among its values.
fn attribute_with_value(value: &str) -> Option<Attribute> {
    ATTRIBUTES.iter().find_map(|spec| match spec.kind {
        AttributeKind::Choice(values) if values.contains(&value) => Some(spec.attribute),
        _ => None,
    })
}
