//! Lowering a checked condition to tests: constants folded away,
//! comparisons with constants solved into ranges, the members of each
//! group put cheapest first, and the result emitted as nodes with forward
//! jumps.

use super::super::ast::CompareOp;
use super::super::check::{Atom, Cond, EventSpec, Number};
use super::super::facts::{EventQuery, Vocabulary};
use super::super::schema::{Attribute, AttributeKind, every_choice};
use super::predicates::{ChoiceIn, CountIn, Counted, FlagSet, NumberIn, NumbersCompare, Operand, Test, TextIn};
use super::{FAIL, Node, Target};

/// A condition lowered to tests and simplified: constants are folded away,
/// so that every test emitted is reachable, and the members of each group
/// are in the order to test them.
pub(super) enum Plan {
    All(Vec<Plan>),
    Any(Vec<Plan>),
    Not(Box<Plan>),
    Decided(bool),
    Test(Test),
}

/// Lowers checked conditions to plans.
pub(super) struct Planner<'v> {
    pub vocabulary: &'v Vocabulary,
}

impl Planner<'_> {
    pub fn plan(&self, condition: &Cond) -> Plan {
        match condition {
            Cond::All(members) => simplified_group(members.iter().map(|member| self.plan(member)), true),
            Cond::Any(members) => simplified_group(members.iter().map(|member| self.plan(member)), false),
            Cond::Not(inner) => match self.plan(inner) {
                Plan::Decided(holds) => Plan::Decided(!holds),
                inner => Plan::Not(Box::new(inner)),
            },
            Cond::Constant(holds) => Plan::Decided(*holds),
            Cond::Atom(atom) => self.lower(atom),
        }
    }

    fn lower(&self, atom: &Atom) -> Plan {
        match atom {
            Atom::Choice { attribute, set } => {
                let every_value = match attribute.kind() {
                    AttributeKind::Choice(values) => every_choice(values),
                    _ => u64::MAX,
                };
                match set & every_value {
                    0 => Plan::Decided(false),
                    set if set == every_value => Plan::Decided(true),
                    set => Plan::Test(Test::Choice(ChoiceIn::new(*attribute, set))),
                }
            }
            Atom::Text { attribute, values } => {
                // Sorted and without repeats, as a set would give them.
                let mut codes: Vec<u32> = values.iter().filter_map(|value| self.vocabulary.code(value)).collect();
                codes.sort_unstable();
                codes.dedup();
                if codes.is_empty() {
                    return Plan::Decided(false);
                }
                Plan::Test(Test::Text(TextIn { attribute: *attribute, codes: codes.into_iter().collect() }))
            }
            Atom::Flag(attribute) => Plan::Test(Test::Flag(FlagSet(*attribute))),
            Atom::Compare { left, op, right } => self.comparison(left, *op, right),
        }
    }

    fn comparison(&self, left: &Number, op: CompareOp, right: &Number) -> Plan {
        match (self.operand(left), self.operand(right)) {
            (Operand::Constant(left), Operand::Constant(right)) => Plan::Decided(op.holds(left, right)),
            (Operand::Attribute(attribute), Operand::Constant(constant)) => number_range(attribute, op, constant),
            (Operand::Constant(constant), Operand::Attribute(attribute)) => {
                number_range(attribute, op.flipped(), constant)
            }
            (Operand::Count(counted), Operand::Constant(constant)) => count_range(counted, op, constant),
            (Operand::Constant(constant), Operand::Count(counted)) => count_range(counted, op.flipped(), constant),
            (left, right) => Plan::Test(Test::Compare(NumbersCompare { left, op, right })),
        }
    }

    fn operand(&self, number: &Number) -> Operand {
        match number {
            Number::Attribute(attribute) => Operand::Attribute(*attribute),
            Number::Constant(value) => Operand::Constant(*value),
            Number::Count(event) => match self.event_query(event) {
                Some(query) => Operand::Count(Counted::new(query)),
                // A page the vocabulary does not know was never visited.
                None => Operand::Constant(0.0),
            },
        }
    }

    fn event_query(&self, event: &EventSpec) -> Option<EventQuery> {
        let page = match &event.page {
            Some(page) => Some(self.vocabulary.code(page)?),
            None => None,
        };
        Some(EventQuery { kind: event.kind, channel: event.channel, page, window_minutes: event.window_minutes })
    }
}

/// `number op constant` as a range test.
fn number_range(attribute: Attribute, op: CompareOp, constant: f64) -> Plan {
    let (low, high, negated) = match op {
        CompareOp::Equal => (constant, constant, false),
        CompareOp::NotEqual => (constant, constant, true),
        CompareOp::Less => (f64::NEG_INFINITY, constant.next_down(), false),
        CompareOp::LessOrEqual => (f64::NEG_INFINITY, constant, false),
        CompareOp::Greater => (constant.next_up(), f64::INFINITY, false),
        CompareOp::GreaterOrEqual => (constant, f64::INFINITY, false),
    };
    negated_if(negated, Test::Number(NumberIn { attribute, low, high }))
}

/// `count op constant` as a range of whole counts, or decided outright.
fn count_range(counted: Counted, op: CompareOp, constant: f64) -> Plan {
    let (low, high, negated) = match op {
        CompareOp::Equal | CompareOp::NotEqual if constant.fract() != 0.0 => {
            return Plan::Decided(op == CompareOp::NotEqual);
        }
        CompareOp::Equal => (constant, constant, false),
        CompareOp::NotEqual => (constant, constant, true),
        CompareOp::Less => (0.0, constant.ceil() - 1.0, false),
        CompareOp::LessOrEqual => (0.0, constant.floor(), false),
        CompareOp::Greater => (constant.floor() + 1.0, f64::from(u32::MAX), false),
        CompareOp::GreaterOrEqual => (constant.ceil(), f64::from(u32::MAX), false),
    };
    let low = low.max(0.0);
    let high = high.min(f64::from(u32::MAX));
    if low > high {
        return Plan::Decided(negated);
    }
    if low == 0.0 && high == f64::from(u32::MAX) {
        return Plan::Decided(!negated);
    }
    // Both bounds are whole numbers within 0..=u32::MAX here.
    negated_if(negated, Test::Count(CountIn { counted, low: low as u32, high: high as u32 }))
}

fn negated_if(negated: bool, test: Test) -> Plan {
    if negated { Plan::Not(Box::new(Plan::Test(test))) } else { Plan::Test(test) }
}

/// An `and` group (`all`) or an `or` group, simplified: a member decided
/// the group's neutral way drops out, one decided the other way decides the
/// group. Tests are pure, so the rest can go cheapest first and spare the
/// event counts whenever a cheap test settles the group.
fn simplified_group(members: impl Iterator<Item = Plan>, all: bool) -> Plan {
    let mut kept = Vec::new();
    for member in members {
        match member {
            Plan::Decided(holds) if holds == all => {}
            Plan::Decided(holds) => return Plan::Decided(holds),
            member => kept.push(member),
        }
    }
    kept.sort_by_key(cost);
    if kept.len() > 1 {
        return if all { Plan::All(kept) } else { Plan::Any(kept) };
    }
    kept.pop().unwrap_or(Plan::Decided(all))
}

fn cost(plan: &Plan) -> u32 {
    const EVENT_COUNT: u32 = 8;
    match plan {
        Plan::All(members) | Plan::Any(members) => members.iter().map(cost).fold(0, u32::saturating_add),
        Plan::Not(inner) => cost(inner),
        Plan::Decided(_) => 0,
        Plan::Test(test) if test.reads_events() => EVENT_COUNT,
        Plan::Test(_) => 1,
    }
}

/// Turns a plan into nodes.
pub(super) struct Emitter {
    pub nodes: Vec<Node>,
}

impl Emitter {
    /// Emits `plan` so that it continues at `if_true` or `if_false`, and
    /// returns where it starts. Plans are emitted back to front, so both
    /// continuations already exist.
    pub fn emit(&mut self, plan: &Plan, if_true: Target, if_false: Target) -> Target {
        match plan {
            Plan::All(members) => members.iter().rev().fold(if_true, |next, member| self.emit(member, next, if_false)),
            Plan::Any(members) => members.iter().rev().fold(if_false, |next, member| self.emit(member, if_true, next)),
            Plan::Not(inner) => self.emit(inner, if_false, if_true),
            Plan::Decided(true) => if_true,
            Plan::Decided(false) => if_false,
            Plan::Test(test) => {
                self.nodes.push(Node { test: test.clone(), if_true, if_false });
                u32::try_from(self.nodes.len() - 1).unwrap_or(FAIL)
            }
        }
    }
}
