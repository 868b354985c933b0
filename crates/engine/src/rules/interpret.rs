//! A straightforward tree-walking interpreter over the syntax tree, looking
//! names up as it meets them. It shares nothing with the checker or the
//! compiler beyond the schema tables, which makes it a useful oracle: the
//! tests require the compiled program to agree with it on every contact.
//! It is also the benchmark's baseline. Use [`super::Program`] for real work.

use std::collections::BTreeMap;

use super::ast::{CompareOp, Expr, ExprKind, Term, TermKind};
use super::definitions::Definitions;
use super::facts::{EventQuery, Facts, Vocabulary};
use super::parser::parse;
use super::schema::{Attribute, AttributeKind, Channel, FunctionSpec, Param};

/// Definitions may use definitions this many levels deep, as in the checker.
const MAX_DEFINITION_DEPTH: usize = 8;

/// Evaluates rule trees directly. Meant for rules that passed
/// [`super::check`]; anything that does not make sense evaluates to false.
#[derive(Clone, Debug)]
pub struct Interpreter {
    definitions: BTreeMap<String, Expr>,
}

/// A term's value for one contact.
#[derive(Clone, Copy)]
enum Value<'a> {
    Number(f64),
    Text(&'a str),
    Bool(bool),
    Nothing,
}

struct Context<'a, F> {
    facts: &'a F,
    vocabulary: &'a Vocabulary,
    contact: usize,
}

impl Interpreter {
    /// Parses every definition once.
    pub fn new(definitions: &Definitions) -> Interpreter {
        let definitions = definitions.iter().map(|(name, text)| (name.to_owned(), parse(text).expr)).collect();
        Interpreter { definitions }
    }

    /// Whether `rule` holds for `contact`.
    pub fn eval<F: Facts>(&self, rule: &Expr, facts: &F, vocabulary: &Vocabulary, contact: usize) -> bool {
        self.holds(rule, &Context { facts, vocabulary, contact }, 0)
    }

    fn holds<'a, F: Facts>(&'a self, expr: &'a Expr, context: &Context<'a, F>, depth: usize) -> bool {
        match &expr.kind {
            ExprKind::And(members) => members.iter().all(|member| self.holds(member, context, depth)),
            ExprKind::Or(members) => members.iter().any(|member| self.holds(member, context, depth)),
            ExprKind::Not(inner) => !self.holds(inner, context, depth),
            ExprKind::Compare { left, op, right } => {
                compare(self.value(left, context, depth), *op, self.value(right, context, depth))
            }
            ExprKind::In { subject, negated, values } => {
                let subject = self.value(subject, context, depth);
                let found =
                    values.iter().any(|value| compare(self.value(value, context, depth), CompareOp::Equal, subject));
                found != *negated
            }
            ExprKind::Condition(term) => match self.value(term, context, depth) {
                Value::Bool(value) => value,
                Value::Number(count) => count >= 1.0,
                Value::Text(_) | Value::Nothing => false,
            },
            ExprKind::Error(_) => false,
        }
    }

    fn value<'a, F: Facts>(&'a self, term: &'a Term, context: &Context<'a, F>, depth: usize) -> Value<'a> {
        match &term.kind {
            TermKind::Name(name) => self.named(name, context, depth),
            TermKind::Call { function, args } => count(function, args, context),
            TermKind::Text(text) => Value::Text(text),
            TermKind::Number(number) => Value::Number(*number),
            TermKind::Bool(value) => Value::Bool(*value),
            TermKind::Duration(_) | TermKind::Error(_) => Value::Nothing,
        }
    }

    fn named<'a, F: Facts>(&'a self, name: &str, context: &Context<'a, F>, depth: usize) -> Value<'a> {
        let Context { facts, vocabulary, contact } = *context;
        if let Some(attribute) = Attribute::named(name) {
            return match attribute.kind() {
                AttributeKind::Choice(values) => {
                    let code = facts.code(contact, attribute) as usize;
                    values.get(code).map_or(Value::Nothing, |value| Value::Text(value))
                }
                AttributeKind::Text => {
                    vocabulary.text(facts.code(contact, attribute)).map_or(Value::Nothing, Value::Text)
                }
                AttributeKind::Number { .. } => Value::Number(facts.number(contact, attribute)),
                AttributeKind::Flag => Value::Bool(facts.flag(contact, attribute)),
            };
        }
        match self.definitions.get(name) {
            Some(definition) if depth < MAX_DEFINITION_DEPTH => Value::Bool(self.holds(definition, context, depth + 1)),
            _ => Value::Nothing,
        }
    }
}

fn compare(left: Value, op: CompareOp, right: Value) -> bool {
    let equal = match (left, right) {
        (Value::Number(left), Value::Number(right)) => return op.holds(left, right),
        (Value::Text(left), Value::Text(right)) => left == right,
        (Value::Bool(left), Value::Bool(right)) => left == right,
        _ => return false,
    };
    match op {
        CompareOp::Equal => equal,
        CompareOp::NotEqual => !equal,
        _ => false,
    }
}

/// An event function call's count.
fn count<'a, F: Facts>(function: &str, args: &[Term], context: &Context<'a, F>) -> Value<'a> {
    let Some(spec) = FunctionSpec::named(function) else {
        return Value::Nothing;
    };
    let mut query = EventQuery { kind: spec.event, channel: None, page: None, window_minutes: 0 };
    for (param, arg) in spec.params.iter().zip(args) {
        match (param, &arg.kind) {
            (Param::Channel, TermKind::Name(name)) => query.channel = Channel::named(name),
            (Param::Page, TermKind::Text(page)) => match context.vocabulary.code(page) {
                Some(code) => query.page = Some(code),
                None => return Value::Number(0.0),
            },
            (Param::Window, TermKind::Duration(duration)) => query.window_minutes = duration.minutes().unwrap_or(0),
            _ => return Value::Nothing,
        }
    }
    Value::Number(f64::from(context.facts.count(context.contact, &query)))
}
