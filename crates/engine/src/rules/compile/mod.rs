//! Compiles a checked rule, once, into a flat program the simulator can
//! evaluate millions of times: a vector of tests, each with where to go
//! next when it passes and when it fails. `and`, `or` and `not` become
//! jumps, so evaluation short-circuits without a stack or any recursion;
//! values are codes, `in` lists are bitsets or small sorted arrays, windows
//! are minutes, and comparisons with constants are pre-solved into ranges.
//! Constants are folded away, and cheap tests run before event counts
//! wherever order cannot matter. Each event count is asked for by a slot
//! (see [`QueryTable`]), so facts that keep a count per query answer it
//! with a read instead of going through the contact's events.
//!
//! `plan` lowers a rule to tests, `predicates` is what each test does.

mod plan;
mod predicates;

use serde::{Deserialize, Serialize};

use super::check::CheckedRule;
use super::facts::{EventQuery, Facts, QueryTable, Vocabulary};
use super::schema::Attribute;
use plan::{Emitter, Plan, Planner};
use predicates::{Predicate, ReadSet, Test, with_predicate};

/// A compiled rule. Build it with [`Program::compile`], run it with
/// [`Program::eval`] for one contact or [`Program::eval_block`] for 64.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Program {
    /// In evaluation order; jumps only go forward, so evaluation always ends.
    nodes: Vec<Node>,
    entry: Target,
    reads: Reads,
}

/// The inputs a program may read, so that a simulator can skip a rule when
/// none of them changed. Both lists are sorted and free of duplicates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reads {
    pub attributes: Vec<Attribute>,
    pub events: Vec<EventQuery>,
    /// Whether the rule, when it does not hold, may come to hold with
    /// nothing but time passing: it reads `days_in_stage`, which grows, or
    /// needs an event count to be low, and events age out of their
    /// windows. When false, only a change of the inputs above can make it
    /// hold.
    pub may_come_to_hold_with_time: bool,
}

/// An index into [`Program::nodes`], or one of the two outcomes.
type Target = u32;
const PASS: Target = u32::MAX;
const FAIL: Target = u32::MAX - 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Node {
    test: Test,
    if_true: Target,
    if_false: Target,
}

impl Program {
    /// Compiles `rule`. Owner and page names are looked up in `vocabulary`,
    /// the one the facts are coded with; a name it does not know matches no
    /// contact.
    pub fn compile(rule: &CheckedRule, vocabulary: &Vocabulary) -> Program {
        let planner = Planner { vocabulary };
        let plan = planner.plan(&rule.condition);
        let may_come_to_hold_with_time = may_turn_with_time(&plan, true);
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
            node.test.note_reads(&mut reads);
        }
        let reads = Reads {
            attributes: reads.attributes.into_iter().collect(),
            events: reads.events.into_iter().collect(),
            may_come_to_hold_with_time,
        };
        let mut program = Program { nodes, entry: renumber(entry), reads };
        program.use_slots(&QueryTable::new(program.reads.events.iter().copied()));
        program
    }

    /// From now on, asks for each event count by its slot in `table`: the
    /// table of the facts the program will read, which keep a count for
    /// each of its queries. A freshly compiled program's slots are its own
    /// [`Reads::events`], in order. A query not in `table` is counted.
    pub fn use_slots(&mut self, table: &QueryTable) {
        for node in &mut self.nodes {
            node.test.use_slots(table);
        }
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
    /// a time and without a branch per contact for the cheap tests; from
    /// the facts' columns ([`Facts::code_column`] and the like) when they
    /// keep them. This is the fast way to evaluate a whole cohort.
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
            let passing = with_predicate!(&node.test, predicate => predicate.lanes(facts, first, here));
            route(reach, &mut passed, node.if_true, here & passing);
            route(reach, &mut passed, node.if_false, here & !passing);
        }
        passed
    }

    /// The program for contacts of whom `known` (asked about contact 0)
    /// answers every test that reads nothing but `attributes`: those tests
    /// are settled now, and evaluation goes past them. Gives the same
    /// answers as this program for every such contact, with fewer tests run.
    pub fn given<F: Facts>(&self, attributes: &[Attribute], known: &F) -> Program {
        let mut nodes = self.nodes.clone();
        // Where a jump to each node really lands. Jumps only go forward, so
        // from the last node back every node's targets are already settled.
        let mut lands: Vec<Target> = (0..nodes.len() as Target).collect();
        let follow = |lands: &[Target], target: Target| lands.get(target as usize).copied().unwrap_or(target);
        for index in (0..nodes.len()).rev() {
            let node = &mut nodes[index];
            node.if_true = follow(&lands, node.if_true);
            node.if_false = follow(&lands, node.if_false);
            let mut reads = ReadSet::default();
            node.test.note_reads(&mut reads);
            if reads.events.is_empty() && reads.attributes.iter().all(|attribute| attributes.contains(attribute)) {
                let passes = with_predicate!(&node.test, predicate => predicate.holds(known, 0));
                lands[index] = if passes { node.if_true } else { node.if_false };
            }
        }
        Program { entry: follow(&lands, self.entry), nodes, reads: self.reads.clone() }
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

/// Whether time passing alone may turn `plan`'s answer to `holds`. `and`
/// and `or` only rise when a member rises and only fall when one falls, and
/// `not` turns one into the other, so the question goes down to the tests.
fn may_turn_with_time(plan: &Plan, holds: bool) -> bool {
    match plan {
        Plan::All(members) | Plan::Any(members) => members.iter().any(|member| may_turn_with_time(member, holds)),
        Plan::Not(inner) => may_turn_with_time(inner, !holds),
        Plan::Decided(_) => false,
        Plan::Test(test) => test.may_turn_with_time(holds),
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

#[cfg(test)]
mod tests {
    use super::super::{Definitions, check};
    use super::*;

    fn compiled(text: &str, vocabulary: &Vocabulary) -> Program {
        let checked = check(text, &Definitions::default());
        Program::compile(&checked.rule.unwrap_or_else(|| panic!("{text}: {:?}", checked.diagnostics)), vocabulary)
    }

    /// Every count the program asks for, with the slot it asks by.
    fn slots(program: &Program) -> Vec<(u32, EventQuery)> {
        program.nodes.iter().flat_map(|node| node.test.counts()).map(|counted| (counted.slot, counted.event)).collect()
    }

    /// A contact's consent and stage codes, nothing else.
    struct Coded {
        consent: u32,
        stage: u32,
    }

    impl Facts for Coded {
        fn code(&self, _: usize, attribute: Attribute) -> u32 {
            match attribute {
                Attribute::Consent => self.consent,
                Attribute::Stage => self.stage,
                _ => 0,
            }
        }
        fn number(&self, _: usize, _: Attribute) -> f64 {
            0.0
        }
        fn flag(&self, _: usize, _: Attribute) -> bool {
            false
        }
        fn count(&self, _: usize, _: &EventQuery) -> u32 {
            0
        }
    }

    #[test]
    fn a_program_given_some_attributes_answers_as_before_with_fewer_tests() {
        let program = compiled(
            r#"consent == "opted_in" and (stage in ["MQL", "SQL"] or consent == "unknown")"#,
            &Vocabulary::new(),
        );
        for consent in 0..3 {
            let given = program.given(&[Attribute::Consent], &Coded { consent, stage: 0 });
            for stage in 0..5 {
                let contact = Coded { consent, stage };
                assert_eq!(given.eval(&contact, 0), program.eval(&contact, 0), "consent {consent}, stage {stage}");
                assert_eq!(given.eval_block(&contact, 0, 1), program.eval_block(&contact, 0, 1));
            }
            // Opted in, only the stage is left to test; otherwise nothing.
            let tests_left = if consent == 0 { 1 } else { 0 };
            let mut at = given.entry;
            let mut run = 0;
            while let Some(node) = given.nodes.get(at as usize) {
                run += 1;
                at = node.if_false;
            }
            assert_eq!(run, tests_left, "consent {consent}");
        }
    }

    #[test]
    fn a_programs_slots_are_its_reads_until_it_is_given_a_table() {
        let mut vocabulary = Vocabulary::new();
        vocabulary.intern("pricing");
        let mut program = compiled(
            r#"(clicks(email, 7d) >= 2 or visited("pricing", 3d)) and opens(email, 14d) < engagement_score
               and not clicks(email, 7d) == 5 and sms_received(2d) > days_in_stage"#,
            &vocabulary,
        );
        let reads = program.reads().events.clone();
        assert_eq!(reads.len(), 4, "{reads:?}");
        let asked = slots(&program);
        assert_eq!(asked.len(), 5, "{asked:?}");
        for (slot, query) in &asked {
            assert_eq!(reads.get(*slot as usize), Some(query), "slot {slot}");
        }
        // A table with more queries, in another order: the slots follow it,
        // and a query missing from it gets no slot.
        let mut queries = reads.clone();
        queries.remove(2);
        queries.push(EventQuery { window_minutes: 1, ..reads[0] });
        let table = QueryTable::new(queries);
        program.use_slots(&table);
        for (slot, query) in slots(&program) {
            match table.slot(&query) {
                Some(expected) => assert_eq!(slot, expected),
                None => assert_eq!((query, slot), (reads[2], u32::MAX)),
            }
        }
    }
}
