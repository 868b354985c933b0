//! A rule as the conditions an execution system can test: an AND of
//! clauses, each an OR of simple tests on one contact (consent, a choice
//! such as persona or stage, a flag, a number, an event count over a
//! window). Every part of a rule that does not fit that shape is kept as
//! its canonical text, so an export can list it instead of dropping it.

use crate::rules::{self, AttributeKind, CompareOp, Duration, Expr, ExprKind, FUNCTIONS, Term, TermKind};

/// One test on a contact, already negated where the rule said `not`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Atom {
    /// SMS consent is (or is not) `opted_in`.
    Consent {
        opted_in: bool,
    },
    /// A choice attribute's value is (or, when `negated`, is not) one of `values`.
    Choice {
        attribute: &'static str,
        values: Vec<String>,
        negated: bool,
    },
    Flag {
        attribute: &'static str,
        value: bool,
    },
    Number {
        attribute: &'static str,
        op: CompareOp,
        value: f64,
    },
    /// `function(channel or page, window) op value`, e.g. `clicks(email, 7d) >= 2`.
    Count {
        function: &'static str,
        channel: Option<String>,
        page: Option<String>,
        window: Duration,
        op: CompareOp,
        value: f64,
    },
}

/// A rule as clauses the target can test (all must hold; within one, any)
/// and the parts it cannot, as rule text.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Condition {
    pub all_of: Vec<Vec<Atom>>,
    pub not_carried: Vec<String>,
}

impl Condition {
    /// Adds `text` (negated when `negate`) to the condition.
    pub fn add(&mut self, text: &str, negate: bool) {
        let parsed = rules::parse(text);
        if !parsed.diagnostics.is_empty() {
            self.not_carried.push(written(text.trim(), negate));
            return;
        }
        let mut parts = Vec::new();
        conjuncts(&parsed.expr, negate, &mut parts);
        for (expr, negated) in parts {
            match clause(expr, negated) {
                Some(atoms) => self.all_of.push(atoms),
                None => self.not_carried.push(written(&rules::print(expr), negated)),
            }
        }
    }
}

fn written(text: &str, negated: bool) -> String {
    if negated { format!("not ({text})") } else { text.to_owned() }
}

/// The parts that must all hold: `a and b`, or `not (a or b)`.
fn conjuncts<'e>(expr: &'e Expr, negated: bool, parts: &mut Vec<(&'e Expr, bool)>) {
    match (&expr.kind, negated) {
        (ExprKind::And(members), false) | (ExprKind::Or(members), true) => {
            members.iter().for_each(|member| conjuncts(member, negated, parts));
        }
        (ExprKind::Not(inner), _) => conjuncts(inner, !negated, parts),
        _ => parts.push((expr, negated)),
    }
}

/// A part as tests of which any must hold, if every test is simple.
fn clause(expr: &Expr, negated: bool) -> Option<Vec<Atom>> {
    match (&expr.kind, negated) {
        (ExprKind::Or(members), false) | (ExprKind::And(members), true) => {
            members.iter().map(|member| atom(member, negated)).collect()
        }
        _ => atom(expr, negated).map(|atom| vec![atom]),
    }
}

fn opposite(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Equal => CompareOp::NotEqual,
        CompareOp::NotEqual => CompareOp::Equal,
        CompareOp::Less => CompareOp::GreaterOrEqual,
        CompareOp::GreaterOrEqual => CompareOp::Less,
        CompareOp::LessOrEqual => CompareOp::Greater,
        CompareOp::Greater => CompareOp::LessOrEqual,
    }
}

fn atom(expr: &Expr, negated: bool) -> Option<Atom> {
    match &expr.kind {
        ExprKind::Not(inner) => atom(inner, !negated),
        ExprKind::Condition(term) => match &term.kind {
            TermKind::Name(name) => {
                let spec = rules::Attribute::named(name)?.spec();
                (spec.kind == AttributeKind::Flag).then_some(Atom::Flag { attribute: spec.name, value: !negated })
            }
            TermKind::Call { .. } => {
                count(term, if negated { CompareOp::Less } else { CompareOp::GreaterOrEqual }, 1.0)
            }
            _ => None,
        },
        ExprKind::Compare { left, op, right } => {
            let op = if negated { opposite(*op) } else { *op };
            compare(left, op, right).or_else(|| compare(right, op.flipped(), left))
        }
        ExprKind::In { subject, negated: not_in, values } => {
            let TermKind::Name(name) = &subject.kind else { return None };
            let spec = rules::Attribute::named(name)?.spec();
            let AttributeKind::Choice(_) = spec.kind else { return None };
            let values = values
                .iter()
                .map(|value| match &value.kind {
                    TermKind::Text(text) => Some(text.clone()),
                    _ => None,
                })
                .collect::<Option<Vec<String>>>()?;
            Some(Atom::Choice { attribute: spec.name, values, negated: *not_in != negated })
        }
        ExprKind::And(_) | ExprKind::Or(_) | ExprKind::Error(_) => None,
    }
}

/// `left op right` with the contact's side on the left.
fn compare(left: &Term, op: CompareOp, right: &Term) -> Option<Atom> {
    match (&left.kind, &right.kind) {
        (TermKind::Call { .. }, TermKind::Number(value)) => count(left, op, *value),
        (TermKind::Name(name), value) => {
            let spec = rules::Attribute::named(name)?.spec();
            match (spec.kind, value) {
                (AttributeKind::Choice(_), TermKind::Text(text)) if op.is_equality() => {
                    let negated = op == CompareOp::NotEqual;
                    Some(if spec.name == "consent" && text == "opted_in" {
                        Atom::Consent { opted_in: !negated }
                    } else {
                        Atom::Choice { attribute: spec.name, values: vec![text.clone()], negated }
                    })
                }
                (AttributeKind::Flag, TermKind::Bool(value)) if op.is_equality() => {
                    Some(Atom::Flag { attribute: spec.name, value: *value == (op == CompareOp::Equal) })
                }
                (AttributeKind::Number { .. }, TermKind::Number(value)) => {
                    Some(Atom::Number { attribute: spec.name, op, value: *value })
                }
                _ => None,
            }
        }
        _ => None,
    }
}

fn count(call: &Term, op: CompareOp, value: f64) -> Option<Atom> {
    let TermKind::Call { function, args } = &call.kind else { return None };
    let spec = FUNCTIONS.iter().find(|spec| spec.name == function)?;
    let (mut channel, mut page, mut window) = (None, None, None);
    for arg in args {
        match &arg.kind {
            TermKind::Name(name) => channel = Some(name.clone()),
            TermKind::Text(text) => page = Some(text.clone()),
            TermKind::Duration(duration) => window = Some(*duration),
            _ => return None,
        }
    }
    Some(Atom::Count { function: spec.name, channel, page, window: window?, op, value })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::DurationUnit;

    fn condition(rules: &[(&str, bool)]) -> Condition {
        let mut condition = Condition::default();
        rules.iter().for_each(|(text, negate)| condition.add(text, *negate));
        condition
    }

    #[test]
    fn simple_parts_become_tests_and_the_rest_stays_text() {
        let found = condition(&[
            (r#"consent == "opted_in" and stage in ["MQL", "SQL"] and (visited("pricing", 3d) or high_intent)"#, false),
            ("is_customer or days_in_stage >= 14", true),
        ]);
        assert_eq!(found.not_carried, vec![r#"visited("pricing", 3d) or high_intent"#.to_owned()]);
        assert_eq!(
            found.all_of,
            vec![
                vec![Atom::Consent { opted_in: true }],
                vec![Atom::Choice { attribute: "stage", values: vec!["MQL".into(), "SQL".into()], negated: false }],
                vec![Atom::Flag { attribute: "is_customer", value: false }],
                vec![Atom::Number { attribute: "days_in_stage", op: CompareOp::Less, value: 14.0 }],
            ]
        );
    }

    #[test]
    fn counts_keep_their_channel_page_and_window() {
        let found = condition(&[(r#"clicks(email, 7d) >= 2 or 1 <= visited("demo", 48h)"#, false)]);
        assert_eq!(found.not_carried, Vec::<String>::new());
        assert_eq!(
            found.all_of,
            vec![vec![
                Atom::Count {
                    function: "clicks",
                    channel: Some("email".into()),
                    page: None,
                    window: Duration { amount: 7, unit: DurationUnit::Days },
                    op: CompareOp::GreaterOrEqual,
                    value: 2.0,
                },
                Atom::Count {
                    function: "visited",
                    channel: None,
                    page: Some("demo".into()),
                    window: Duration { amount: 48, unit: DurationUnit::Hours },
                    op: CompareOp::GreaterOrEqual,
                    value: 1.0,
                },
            ]]
        );
        assert_eq!(condition(&[("stage ==", false)]).not_carried, vec!["stage ==".to_owned()]);
    }
}
