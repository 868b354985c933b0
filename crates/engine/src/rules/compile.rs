//! Compiles a checked rule, once, into a flat program the simulator can
//! evaluate millions of times: a vector of tests, each with where to go
//! next when it passes and when it fails. `and`, `or` and `not` become
//! jumps, so evaluation short-circuits without a stack or any recursion;
//! values are codes, `in` lists are bitsets or small sorted arrays, windows
//! are minutes, and comparisons with constants are pre-solved into ranges.
//! Constants are folded away, and cheap tests run before event counts
//! wherever order cannot matter.

use std::collections::BTreeSet;

use super::ast::CompareOp;
use super::check::{Atom, CheckedRule, Cond, EventSpec, Number};
use super::facts::{EventQuery, Facts, Vocabulary};
use super::schema::{Attribute, AttributeKind, every_choice};

/// A compiled rule. Build it with [`Program::compile`], run it with
/// [`Program::eval`] for one contact or [`Program::eval_block`] for 64.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// In evaluation order; jumps only go forward, so evaluation always ends.
    nodes: Vec<Node>,
    entry: Target,
    reads: Reads,
}

/// The inputs a program may read, so that a simulator can skip a rule when
/// none of them changed. Both lists are sorted and free of duplicates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reads {
    pub attributes: Vec<Attribute>,
    pub events: Vec<EventQuery>,
}

/// An index into [`Program::nodes`], or one of the two outcomes.
type Target = u32;
const PASS: Target = u32::MAX;
const FAIL: Target = u32::MAX - 1;

#[derive(Clone, Debug, PartialEq)]
struct Node {
    test: Test,
    if_true: Target,
    if_false: Target,
}

/// One test of a contact's facts. Each kind is its own type implementing
/// [`Predicate`], so that evaluating a block of contacts gets a tight loop
/// per kind of test.
#[derive(Clone, Debug, PartialEq)]
enum Test {
    Choice(ChoiceIn),
    Text(TextIn),
    Flag(FlagSet),
    Number(NumberIn),
    Count(CountIn),
    Compare(NumbersCompare),
}

/// The choice attribute's code is in `set` (bit `code`).
#[derive(Clone, Debug, PartialEq)]
struct ChoiceIn {
    attribute: Attribute,
    set: u64,
}

/// The text attribute's code is one of `codes` (sorted).
#[derive(Clone, Debug, PartialEq)]
struct TextIn {
    attribute: Attribute,
    codes: Box<[u32]>,
}

#[derive(Clone, Debug, PartialEq)]
struct FlagSet(Attribute);

/// `low <= number <= high`.
#[derive(Clone, Debug, PartialEq)]
struct NumberIn {
    attribute: Attribute,
    low: f64,
    high: f64,
}

/// `low <= count <= high`.
#[derive(Clone, Debug, PartialEq)]
struct CountIn {
    event: EventQuery,
    low: u32,
    high: u32,
}

/// Two numbers that are not known until evaluation.
#[derive(Clone, Debug, PartialEq)]
struct NumbersCompare {
    left: Operand,
    op: CompareOp,
    right: Operand,
}

#[derive(Clone, Debug, PartialEq)]
enum Operand {
    Attribute(Attribute),
    Count(EventQuery),
    Constant(f64),
}

/// Runs `$body` with `$predicate` bound to the test's predicate, whatever
/// its kind.
macro_rules! with_predicate {
    ($test:expr, $predicate:ident => $body:expr) => {
        match $test {
            Test::Choice($predicate) => $body,
            Test::Text($predicate) => $body,
            Test::Flag($predicate) => $body,
            Test::Number($predicate) => $body,
            Test::Count($predicate) => $body,
            Test::Compare($predicate) => $body,
        }
    };
}

impl Program {
    /// Compiles `rule`. Owner and page names are looked up in `vocabulary`,
    /// the one the facts are coded with; a name it does not know matches no
    /// contact.
    pub fn compile(rule: &CheckedRule, vocabulary: &Vocabulary) -> Program {
        let planner = Planner { vocabulary };
        let plan = planner.plan(&rule.condition);
        let mut emitter = Emitter { nodes: Vec::new() };
        let entry = emitter.emit(&plan, PASS, FAIL);
        // Nodes were emitted from the last test to the first; number them
        // from the first so that jumps go forward through memory.
        let last = emitter.nodes.len().saturating_sub(1);
        let renumber = |target: Target| match target {
            PASS | FAIL => target,
            index => u32::try_from(last - index as usize).unwrap_or(FAIL),
        };
        let nodes: Vec<Node> = emitter
            .nodes
            .into_iter()
            .rev()
            .map(|node| Node { if_true: renumber(node.if_true), if_false: renumber(node.if_false), ..node })
            .collect();
        let mut reads = ReadSet::default();
        for node in &nodes {
            with_predicate!(&node.test, predicate => predicate.note_reads(&mut reads));
        }
        Program { nodes, entry: renumber(entry), reads: reads.into() }
    }

    /// Whether the rule holds for `contact`.
    #[inline(always)]
    pub fn eval<F: Facts>(&self, facts: &F, contact: usize) -> bool {
        let mut at = self.entry;
        while let Some(node) = self.nodes.get(at as usize) {
            let passes = with_predicate!(&node.test, predicate => predicate.holds(facts, contact));
            at = if passes { node.if_true } else { node.if_false };
        }
        at == PASS
    }

    /// Whether the rule holds for up to 64 contacts at once: bit `i` of
    /// `lanes` asks about contact `first + i`, and bit `i` of the result is
    /// the answer for it (0 for lanes not asked about). Each contact takes
    /// the same path through the tests as with [`Program::eval`], but each
    /// test runs for all the contacts that reach it together, a column at
    /// a time and without a branch per contact for the cheap tests. This
    /// is the fast way to evaluate a whole cohort.
    pub fn eval_block<F: Facts>(&self, facts: &F, first: usize, lanes: u64) -> u64 {
        const ON_STACK: usize = 32;
        let mut on_stack = [0u64; ON_STACK];
        let mut on_heap = Vec::new();
        let reach: &mut [u64] = if self.nodes.len() <= ON_STACK {
            &mut on_stack[..self.nodes.len()]
        } else {
            on_heap.resize(self.nodes.len(), 0);
            &mut on_heap
        };
        let mut passed = 0;
        route(reach, &mut passed, self.entry, lanes);
        // Jumps only go forward, so when a node's turn comes every contact
        // that reaches it has arrived.
        for (index, node) in self.nodes.iter().enumerate() {
            let here = reach[index];
            if here == 0 {
                continue;
            }
            let passing = with_predicate!(&node.test, predicate => lanes_where(predicate, facts, first, here));
            route(reach, &mut passed, node.if_true, here & passing);
            route(reach, &mut passed, node.if_false, here & !passing);
        }
        passed
    }

    pub fn reads(&self) -> &Reads {
        &self.reads
    }

    /// How many tests the program has; 0 when the rule was decided while
    /// compiling. An evaluation runs each at most once.
    pub fn test_count(&self) -> usize {
        self.nodes.len()
    }
}

/// Sends the contacts in `lanes` on to `target`.
#[inline]
fn route(reach: &mut [u64], passed: &mut u64, target: Target, lanes: u64) {
    match reach.get_mut(target as usize) {
        Some(node) => *node |= lanes,
        None if target == PASS => *passed |= lanes,
        None => {}
    }
}

/// The lanes (see [`Program::eval_block`]) for which `predicate` holds. The
/// loop visits exactly the lanes asked about and never branches on an
/// answer, so random data costs no mispredicted branches.
#[inline(always)]
fn lanes_where<P: Predicate, F: Facts>(predicate: &P, facts: &F, first: usize, lanes: u64) -> u64 {
    let mut visit = lanes;
    let mut passing = 0;
    while visit != 0 {
        let lane = visit.trailing_zeros();
        passing |= u64::from(predicate.holds(facts, first.saturating_add(lane as usize))) << lane;
        visit &= visit - 1;
    }
    passing
}

/// A test's question about one contact. `holds` is always inlined: the
/// engine is built for size (`opt-level = "z"`), which would otherwise make
/// it a call per contact.
trait Predicate {
    fn holds<F: Facts>(&self, facts: &F, contact: usize) -> bool;

    /// Whether the test counts events, which costs far more than reading
    /// an attribute.
    fn reads_events(&self) -> bool {
        false
    }

    fn note_reads(&self, reads: &mut ReadSet);
}

impl Predicate for ChoiceIn {
    #[inline(always)]
    fn holds<F: Facts>(&self, facts: &F, contact: usize) -> bool {
        let code = facts.code(contact, self.attribute);
        code < 64 && (self.set >> code) & 1 == 1
    }

    fn note_reads(&self, reads: &mut ReadSet) {
        reads.attributes.insert(self.attribute);
    }
}

impl Predicate for TextIn {
    #[inline(always)]
    fn holds<F: Facts>(&self, facts: &F, contact: usize) -> bool {
        self.codes.contains(&facts.code(contact, self.attribute))
    }

    fn note_reads(&self, reads: &mut ReadSet) {
        reads.attributes.insert(self.attribute);
    }
}

impl Predicate for FlagSet {
    #[inline(always)]
    fn holds<F: Facts>(&self, facts: &F, contact: usize) -> bool {
        facts.flag(contact, self.0)
    }

    fn note_reads(&self, reads: &mut ReadSet) {
        reads.attributes.insert(self.0);
    }
}

impl Predicate for NumberIn {
    #[inline(always)]
    fn holds<F: Facts>(&self, facts: &F, contact: usize) -> bool {
        let number = facts.number(contact, self.attribute);
        self.low <= number && number <= self.high
    }

    fn note_reads(&self, reads: &mut ReadSet) {
        reads.attributes.insert(self.attribute);
    }
}

impl Predicate for CountIn {
    #[inline(always)]
    fn holds<F: Facts>(&self, facts: &F, contact: usize) -> bool {
        (self.low..=self.high).contains(&facts.count(contact, &self.event))
    }

    fn reads_events(&self) -> bool {
        true
    }

    fn note_reads(&self, reads: &mut ReadSet) {
        reads.events.insert(self.event);
    }
}

impl Predicate for NumbersCompare {
    #[inline(always)]
    fn holds<F: Facts>(&self, facts: &F, contact: usize) -> bool {
        self.op.holds(self.left.value(facts, contact), self.right.value(facts, contact))
    }

    fn reads_events(&self) -> bool {
        matches!(self.left, Operand::Count(_)) || matches!(self.right, Operand::Count(_))
    }

    fn note_reads(&self, reads: &mut ReadSet) {
        for operand in [&self.left, &self.right] {
            match operand {
                Operand::Attribute(attribute) => {
                    reads.attributes.insert(*attribute);
                }
                Operand::Count(event) => {
                    reads.events.insert(*event);
                }
                Operand::Constant(_) => {}
            }
        }
    }
}

impl Operand {
    #[inline(always)]
    fn value<F: Facts>(&self, facts: &F, contact: usize) -> f64 {
        match self {
            Operand::Attribute(attribute) => facts.number(contact, *attribute),
            Operand::Count(event) => f64::from(facts.count(contact, event)),
            Operand::Constant(value) => *value,
        }
    }
}

/// [`Reads`] while they are being collected.
#[derive(Default)]
struct ReadSet {
    attributes: BTreeSet<Attribute>,
    events: BTreeSet<EventQuery>,
}

impl From<ReadSet> for Reads {
    fn from(reads: ReadSet) -> Reads {
        Reads { attributes: reads.attributes.into_iter().collect(), events: reads.events.into_iter().collect() }
    }
}

/// A condition lowered to tests and simplified: constants are folded away,
/// so that every test emitted is reachable, and the members of each group
/// are in the order to test them.
enum Plan {
    All(Vec<Plan>),
    Any(Vec<Plan>),
    Not(Box<Plan>),
    Decided(bool),
    Test(Test),
}

/// Lowers checked conditions to plans.
struct Planner<'v> {
    vocabulary: &'v Vocabulary,
}

impl Planner<'_> {
    fn plan(&self, condition: &Cond) -> Plan {
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
                    set => Plan::Test(Test::Choice(ChoiceIn { attribute: *attribute, set })),
                }
            }
            Atom::Text { attribute, values } => {
                let codes: BTreeSet<u32> = values.iter().filter_map(|value| self.vocabulary.code(value)).collect();
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
            (Operand::Count(event), Operand::Constant(constant)) => count_range(event, op, constant),
            (Operand::Constant(constant), Operand::Count(event)) => count_range(event, op.flipped(), constant),
            (left, right) => Plan::Test(Test::Compare(NumbersCompare { left, op, right })),
        }
    }

    fn operand(&self, number: &Number) -> Operand {
        match number {
            Number::Attribute(attribute) => Operand::Attribute(*attribute),
            Number::Constant(value) => Operand::Constant(*value),
            Number::Count(event) => match self.event_query(event) {
                Some(query) => Operand::Count(query),
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
fn count_range(event: EventQuery, op: CompareOp, constant: f64) -> Plan {
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
    negated_if(negated, Test::Count(CountIn { event, low: low as u32, high: high as u32 }))
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
        Plan::Test(test) if with_predicate!(test, predicate => predicate.reads_events()) => EVENT_COUNT,
        Plan::Test(_) => 1,
    }
}

/// Turns a plan into nodes.
struct Emitter {
    nodes: Vec<Node>,
}

impl Emitter {
    /// Emits `plan` so that it continues at `if_true` or `if_false`, and
    /// returns where it starts. Plans are emitted back to front, so both
    /// continuations already exist.
    fn emit(&mut self, plan: &Plan, if_true: Target, if_false: Target) -> Target {
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
