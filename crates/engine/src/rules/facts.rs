//! The boundary between a compiled rule and whoever holds contact data,
//! typically the simulator's columns. Everything crossing it is a number or
//! a code: choice values are their index in the schema, and free text
//! (owner names, page names) is numbered once by a [`Vocabulary`], so that
//! evaluation never compares strings.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::schema::{Attribute, Channel, EventKind};

/// Read access to contacts, by index. Implementations should be cheap: a
/// program calls these millions of times. A contact the implementation does
/// not know reads as code 0, number 0, flag false and no events.
///
/// Only the first four are required. The rest let facts that keep more
/// answer faster: a count kept per query ([`Facts::count_in_slot`]), and
/// whole columns that [`super::Program::eval_block`] reads 64 contacts at
/// a time from. Their defaults fall back to the required reads, so any
/// implementation gives the same answers with or without them.
pub trait Facts {
    /// The value of a [`super::AttributeKind::Choice`] attribute (its index in
    /// the schema's list) or of a [`super::AttributeKind::Text`] attribute
    /// (its [`Vocabulary`] code).
    fn code(&self, contact: usize, attribute: Attribute) -> u32;
    fn number(&self, contact: usize, attribute: Attribute) -> f64;
    fn flag(&self, contact: usize, attribute: Attribute) -> bool;
    /// How many of the contact's events `event` matches.
    fn count(&self, contact: usize, event: &EventQuery) -> u32;

    /// [`Facts::count`] for `event`, which the program asking numbers
    /// `slot` (see [`QueryTable`]). Facts that keep a count per query of a
    /// table read it here; they must check that their slot `slot` is
    /// `event`, and count otherwise.
    #[inline(always)]
    fn count_in_slot(&self, contact: usize, slot: Slot, event: &EventQuery) -> u32 {
        let _ = slot;
        self.count(contact, event)
    }

    /// Every contact's [`Facts::code`] of `attribute`, by contact, if the
    /// facts keep it as one column.
    fn code_column(&self, attribute: Attribute) -> Option<&[u32]> {
        let _ = attribute;
        None
    }

    /// Every contact's [`Facts::number`] of `attribute`, if kept as a column.
    fn number_column(&self, attribute: Attribute) -> Option<&[f64]> {
        let _ = attribute;
        None
    }

    /// Every contact's [`Facts::flag`] of `attribute`, if kept as a column.
    fn flag_column(&self, attribute: Attribute) -> Option<&[bool]> {
        let _ = attribute;
        None
    }

    /// Every contact's [`Facts::count_in_slot`], if kept as a column (with
    /// the same check that slot `slot` is `event`).
    fn count_column(&self, slot: Slot, event: &EventQuery) -> Option<&[u32]> {
        let _ = (slot, event);
        None
    }
}

/// A number a program asks for an event count by: the query's index in a
/// [`QueryTable`].
pub type Slot = u32;

/// The event queries some programs read, numbered (by [`Slot`]), so that
/// facts can keep a count per query and programs ask for it by number:
/// build one from the programs ([`QueryTable::read_by`]), tell the
/// programs ([`super::Program::use_slots`]) and the facts (for example
/// [`super::ContactColumns::keep_counts`]). Sorted, without duplicates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryTable {
    queries: Vec<EventQuery>,
}

impl QueryTable {
    pub fn new(queries: impl IntoIterator<Item = EventQuery>) -> QueryTable {
        let mut queries: Vec<EventQuery> = queries.into_iter().collect();
        queries.sort_unstable();
        queries.dedup();
        QueryTable { queries }
    }

    /// Every query the programs read.
    pub fn read_by<'p>(programs: impl IntoIterator<Item = &'p super::Program>) -> QueryTable {
        QueryTable::new(programs.into_iter().flat_map(|program| program.reads().events.iter().copied()))
    }

    pub fn slot(&self, query: &EventQuery) -> Option<Slot> {
        let index = self.queries.binary_search(query).ok()?;
        Slot::try_from(index).ok()
    }

    /// The queries, in slot order.
    pub fn queries(&self) -> &[EventQuery] {
        &self.queries
    }

    /// Whether slot `slot` is `query`: what facts check before answering
    /// by slot.
    #[inline(always)]
    pub fn has_at(&self, slot: Slot, query: &EventQuery) -> bool {
        self.queries.get(slot as usize) == Some(query)
    }
}

/// One event function call, resolved: which events, in which window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EventQuery {
    pub kind: EventKind,
    /// For the channel functions (`clicks`, `opens`, `replied`).
    pub channel: Option<Channel>,
    /// For `visited`: the page's [`Vocabulary`] code.
    pub page: Option<u32>,
    /// Events strictly less than this many minutes old count.
    pub window_minutes: u32,
}

impl EventQuery {
    /// Whether an event of this kind, channel and page is one the query
    /// counts (if it is young enough). `&` rather than `&&`: no branch to
    /// mispredict per event.
    #[inline(always)]
    pub fn matches(&self, kind: EventKind, channel: Option<Channel>, page: Option<u32>) -> bool {
        (kind == self.kind) & (channel == self.channel) & (page == self.page)
    }
}

/// Something that happened to a contact. An [`EventQuery`] counts it when
/// kind, channel and page are equal and it is younger than the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    pub channel: Option<Channel>,
    pub page: Option<u32>,
    pub minutes_ago: u32,
}

/// Numbers for free text: owner names and page names. Whoever builds the
/// facts numbers their texts here, and programs are compiled against the
/// same vocabulary, so a rule's `owner == "Dana"` becomes a code comparison.
/// A text the vocabulary does not know matches no contact.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vocabulary {
    codes: BTreeMap<String, u32>,
    texts: Vec<String>,
}

impl Vocabulary {
    pub fn new() -> Vocabulary {
        Vocabulary::default()
    }

    /// The code of `text`, numbering it if it is new.
    pub fn intern(&mut self, text: &str) -> u32 {
        if let Some(&code) = self.codes.get(text) {
            return code;
        }
        let code = u32::try_from(self.texts.len()).unwrap_or(u32::MAX);
        self.codes.insert(text.to_owned(), code);
        self.texts.push(text.to_owned());
        code
    }

    pub fn code(&self, text: &str) -> Option<u32> {
        self.codes.get(text).copied()
    }

    pub fn text(&self, code: u32) -> Option<&str> {
        self.texts.get(usize::try_from(code).ok()?).map(String::as_str)
    }
}
