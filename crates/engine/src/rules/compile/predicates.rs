//! The tests a program is made of, each a type of its own implementing
//! [`Predicate`], so that evaluating a block of contacts gets a tight loop
//! per kind of test. A test asks about one contact ([`Predicate::holds`]),
//! or about up to 64 at once ([`Predicate::lanes`]): where the facts keep
//! the column it reads, a whole block is read as one slice with no call
//! and no branch per contact.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::super::ast::CompareOp;
use super::super::facts::{EventQuery, Facts, QueryTable, Slot};
use super::super::schema::Attribute;

/// One test of a contact's facts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) enum Test {
    Choice(ChoiceIn),
    Text(TextIn),
    Flag(FlagSet),
    Number(NumberIn),
    Count(CountIn),
    Compare(NumbersCompare),
}

/// The choice attribute's code is in `set` (bit `code`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct ChoiceIn {
    attribute: Attribute,
    set: u64,
    /// The codes in `set` when there are at most [`FEW`], padded with a
    /// code no contact has: a whole block is then tested with equalities,
    /// which vectorise, rather than a shift per contact, which does not.
    few: Option<[u32; FEW]>,
}

const FEW: usize = 4;

/// The text attribute's code is one of `codes` (sorted).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct TextIn {
    pub attribute: Attribute,
    pub codes: Box<[u32]>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct FlagSet(pub Attribute);

/// `low <= number <= high`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct NumberIn {
    pub attribute: Attribute,
    pub low: f64,
    pub high: f64,
}

/// `low <= count <= high`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct CountIn {
    pub counted: Counted,
    pub low: u32,
    pub high: u32,
}

/// Two numbers that are not known until evaluation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct NumbersCompare {
    pub left: Operand,
    pub op: CompareOp,
    pub right: Operand,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) enum Operand {
    Attribute(Attribute),
    Count(Counted),
    Constant(f64),
}

/// An event count a test reads, and the slot the program asks for it by
/// (see [`QueryTable`]).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct Counted {
    pub event: EventQuery,
    pub slot: Slot,
}

/// The slot of a count whose query is in no table: facts count it.
const NO_SLOT: Slot = Slot::MAX;

impl Counted {
    pub fn new(event: EventQuery) -> Counted {
        Counted { event, slot: NO_SLOT }
    }

    #[inline(always)]
    fn read<F: Facts>(&self, facts: &F, contact: usize) -> u32 {
        facts.count_in_slot(contact, self.slot, &self.event)
    }
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
pub(super) use with_predicate;

impl Test {
    /// The event counts the test reads.
    pub fn counts(&self) -> impl Iterator<Item = &Counted> {
        let (first, second) = match self {
            Test::Count(test) => (Some(&test.counted), None),
            Test::Compare(test) => (test.left.counted(), test.right.counted()),
            _ => (None, None),
        };
        first.into_iter().chain(second)
    }

    /// Numbers every count the test reads by its slot in `table`.
    pub fn use_slots(&mut self, table: &QueryTable) {
        let slot_in = |counted: &mut Counted| counted.slot = table.slot(&counted.event).unwrap_or(NO_SLOT);
        match self {
            Test::Count(test) => slot_in(&mut test.counted),
            Test::Compare(test) => {
                for operand in [&mut test.left, &mut test.right] {
                    if let Operand::Count(counted) = operand {
                        slot_in(counted);
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether the test counts events, which costs far more than reading
    /// an attribute unless the facts keep the count.
    pub fn reads_events(&self) -> bool {
        self.counts().next().is_some()
    }

    pub fn note_reads(&self, reads: &mut ReadSet) {
        match self {
            Test::Choice(ChoiceIn { attribute, .. })
            | Test::Text(TextIn { attribute, .. })
            | Test::Flag(FlagSet(attribute))
            | Test::Number(NumberIn { attribute, .. }) => {
                reads.attributes.insert(*attribute);
            }
            Test::Count(_) => {}
            Test::Compare(test) => {
                for operand in [&test.left, &test.right] {
                    if let Operand::Attribute(attribute) = operand {
                        reads.attributes.insert(*attribute);
                    }
                }
            }
        }
        reads.events.extend(self.counts().map(|counted| counted.event));
    }

    /// Whether time passing alone, every other input as it is, may turn
    /// the test's answer to `holds`: `days_in_stage` only grows, and an
    /// event count only falls as events age out of its window.
    pub fn may_turn_with_time(&self, holds: bool) -> bool {
        match self {
            Test::Number(NumberIn { attribute: Attribute::DaysInStage, high, .. }) => holds || high.is_finite(),
            Test::Count(CountIn { low, high, .. }) => {
                if holds {
                    *high < u32::MAX
                } else {
                    *low > 0
                }
            }
            Test::Compare(test) => [&test.left, &test.right]
                .into_iter()
                .any(|operand| matches!(operand, Operand::Count(_) | Operand::Attribute(Attribute::DaysInStage))),
            Test::Choice(_) | Test::Text(_) | Test::Flag(_) | Test::Number(_) => false,
        }
    }
}

/// The inputs of a program while they are being collected.
#[derive(Default)]
pub(super) struct ReadSet {
    pub attributes: BTreeSet<Attribute>,
    pub events: BTreeSet<EventQuery>,
}

/// A test's question about contacts. Both are always inlined: the engine is
/// built for size in the page (`opt-level = "z"`), which would otherwise
/// make them a call per contact.
pub(super) trait Predicate {
    /// Whether the test holds for `contact`.
    fn holds<F: Facts>(&self, facts: &F, contact: usize) -> bool;

    /// The lanes (see [`super::Program::eval_block`]) for which the test
    /// holds; lanes not asked about may come back either way.
    #[inline(always)]
    fn lanes<F: Facts>(&self, facts: &F, first: usize, lanes: u64) -> u64
    where
        Self: Sized,
    {
        lanes_where(self, facts, first, lanes)
    }
}

/// The lanes for which `predicate` holds, one contact at a time. The loop
/// visits exactly the lanes asked about and never branches on an answer,
/// so random data costs no mispredicted branches.
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

/// Fewer lanes than this asked about are read one by one even from a
/// column: reading all 64 costs about as much as this many lookups.
const WHOLE_BLOCK_FROM: u32 = 12;

/// Contacts `first..first + 64` of `column`, when the facts keep one, it
/// holds all of them, and enough of the lanes are asked about.
#[inline(always)]
fn whole_block<T>(column: Option<&[T]>, first: usize, lanes: u64) -> Option<&[T; 64]> {
    if lanes.count_ones() < WHOLE_BLOCK_FROM {
        return None;
    }
    column?.get(first..first.checked_add(64)?)?.try_into().ok()
}

/// Bit `i` set where `test` holds for `values[i]`. The answers go to a
/// byte each first, with no branch, no call and nothing carried from one
/// lane to the next, so the compiler may vectorise the tests; then eight
/// bytes of 0 or 1 at a time become eight bits with one multiplication
/// (byte `i` times `2^(7 - i)`, shifted to the top, lands on bit 56 + `i`,
/// and no two products overlap).
#[inline(always)]
fn lanes_of<T: Copy>(values: &[T; 64], test: impl Fn(T) -> bool) -> u64 {
    const PACK: u64 = 0x0102_0408_1020_4080;
    let mut answers = [0u8; 64];
    for (answer, &value) in answers.iter_mut().zip(values) {
        *answer = u8::from(test(value));
    }
    let mut passing = 0;
    for (chunk, bytes) in answers.chunks_exact(8).enumerate() {
        let bytes = u64::from_le_bytes(bytes.try_into().unwrap_or_default());
        passing |= (bytes.wrapping_mul(PACK) >> 56) << (8 * chunk);
    }
    passing
}

impl ChoiceIn {
    pub fn new(attribute: Attribute, set: u64) -> ChoiceIn {
        let mut few = [u32::MAX; FEW];
        let mut codes = (0..64).filter(|code| (set >> code) & 1 == 1);
        for (slot, code) in few.iter_mut().zip(codes.by_ref()) {
            *slot = code;
        }
        ChoiceIn { attribute, set, few: codes.next().is_none().then_some(few) }
    }

    #[inline(always)]
    fn has(&self, code: u32) -> bool {
        (code < 64) & ((self.set >> (code & 63)) & 1 == 1)
    }
}

impl Predicate for ChoiceIn {
    #[inline(always)]
    fn holds<F: Facts>(&self, facts: &F, contact: usize) -> bool {
        self.has(facts.code(contact, self.attribute))
    }

    #[inline(always)]
    fn lanes<F: Facts>(&self, facts: &F, first: usize, lanes: u64) -> u64 {
        match (whole_block(facts.code_column(self.attribute), first, lanes), &self.few) {
            (Some(codes), Some(few)) => lanes_of(codes, |code| few.iter().fold(false, |is, &one| is | (code == one))),
            (Some(codes), None) => lanes_of(codes, |code| self.has(code)),
            (None, _) => lanes_where(self, facts, first, lanes),
        }
    }
}

impl Predicate for TextIn {
    #[inline(always)]
    fn holds<F: Facts>(&self, facts: &F, contact: usize) -> bool {
        self.codes.contains(&facts.code(contact, self.attribute))
    }

    #[inline(always)]
    fn lanes<F: Facts>(&self, facts: &F, first: usize, lanes: u64) -> u64 {
        match whole_block(facts.code_column(self.attribute), first, lanes) {
            Some(codes) => lanes_of(codes, |code| self.codes.contains(&code)),
            None => lanes_where(self, facts, first, lanes),
        }
    }
}

impl Predicate for FlagSet {
    #[inline(always)]
    fn holds<F: Facts>(&self, facts: &F, contact: usize) -> bool {
        facts.flag(contact, self.0)
    }

    #[inline(always)]
    fn lanes<F: Facts>(&self, facts: &F, first: usize, lanes: u64) -> u64 {
        match whole_block(facts.flag_column(self.0), first, lanes) {
            Some(flags) => lanes_of(flags, |flag| flag),
            None => lanes_where(self, facts, first, lanes),
        }
    }
}

impl NumberIn {
    #[inline(always)]
    fn has(&self, number: f64) -> bool {
        (self.low <= number) & (number <= self.high)
    }
}

impl Predicate for NumberIn {
    #[inline(always)]
    fn holds<F: Facts>(&self, facts: &F, contact: usize) -> bool {
        self.has(facts.number(contact, self.attribute))
    }

    #[inline(always)]
    fn lanes<F: Facts>(&self, facts: &F, first: usize, lanes: u64) -> u64 {
        match whole_block(facts.number_column(self.attribute), first, lanes) {
            Some(numbers) => lanes_of(numbers, |number| self.has(number)),
            None => lanes_where(self, facts, first, lanes),
        }
    }
}

impl CountIn {
    #[inline(always)]
    fn has(&self, count: u32) -> bool {
        count.wrapping_sub(self.low) <= self.high - self.low
    }
}

impl Predicate for CountIn {
    #[inline(always)]
    fn holds<F: Facts>(&self, facts: &F, contact: usize) -> bool {
        self.has(self.counted.read(facts, contact))
    }

    #[inline(always)]
    fn lanes<F: Facts>(&self, facts: &F, first: usize, lanes: u64) -> u64 {
        let column = facts.count_column(self.counted.slot, &self.counted.event);
        match whole_block(column, first, lanes) {
            Some(counts) => lanes_of(counts, |count| self.has(count)),
            None => lanes_where(self, facts, first, lanes),
        }
    }
}

impl Predicate for NumbersCompare {
    #[inline(always)]
    fn holds<F: Facts>(&self, facts: &F, contact: usize) -> bool {
        self.op.holds(self.left.value(facts, contact), self.right.value(facts, contact))
    }
}

impl Operand {
    fn counted(&self) -> Option<&Counted> {
        match self {
            Operand::Count(counted) => Some(counted),
            _ => None,
        }
    }

    #[inline(always)]
    fn value<F: Facts>(&self, facts: &F, contact: usize) -> f64 {
        match self {
            Operand::Attribute(attribute) => facts.number(contact, *attribute),
            Operand::Count(counted) => f64::from(counted.read(facts, contact)),
            Operand::Constant(value) => *value,
        }
    }
}
