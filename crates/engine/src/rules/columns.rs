//! A plain columnar store of contacts (one vector per attribute, and event
//! columns ordered by contact) implementing [`Facts`]: the shape a simulator keeps its
//! cohort in, used by the tests and the benchmark. Told which event queries
//! its readers ask ([`ContactColumns::keep_counts`]), it also keeps a count
//! column per query, so that a count is a read rather than a walk through
//! the contact's events.

use super::facts::{Event, EventQuery, Facts, QueryTable, Slot};
use super::schema::{ATTRIBUTES, Attribute, AttributeKind, Channel, EventKind};

/// Contacts stored column by column. Build it with [`ContactColumns::push`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContactColumns {
    /// Per attribute; only choice and text attributes have values.
    codes: [Vec<u32>; Attribute::COUNT],
    /// Per attribute; only number attributes have values.
    numbers: [Vec<f64>; Attribute::COUNT],
    /// Per attribute; only flag attributes have values.
    flags: [Vec<bool>; Attribute::COUNT],
    /// Contact `i`'s events are at `event_starts[i]..event_starts[i + 1]`
    /// in the event columns, newest first, so that counting in a window
    /// reads ages until the first one outside it and the rest only for the
    /// events inside it.
    event_starts: Vec<usize>,
    event_minutes_ago: Vec<u32>,
    event_kinds: Vec<EventKind>,
    event_channels: Vec<Option<Channel>>,
    event_pages: Vec<Option<u32>>,
    /// The queries counted in `counts`, by slot.
    counted: QueryTable,
    /// Per slot of `counted`, every contact's count.
    counts: Vec<Vec<u32>>,
}

/// One contact, for adding to [`ContactColumns`]. Unset values are code 0,
/// number 0 and false.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContactRow {
    codes: [u32; Attribute::COUNT],
    numbers: [f64; Attribute::COUNT],
    flags: [bool; Attribute::COUNT],
    events: Vec<Event>,
}

impl ContactRow {
    pub fn new() -> ContactRow {
        ContactRow::default()
    }

    pub fn set_code(&mut self, attribute: Attribute, code: u32) -> &mut ContactRow {
        self.codes[attribute as usize] = code;
        self
    }

    pub fn set_number(&mut self, attribute: Attribute, number: f64) -> &mut ContactRow {
        self.numbers[attribute as usize] = number;
        self
    }

    pub fn set_flag(&mut self, attribute: Attribute, flag: bool) -> &mut ContactRow {
        self.flags[attribute as usize] = flag;
        self
    }

    pub fn add_event(&mut self, event: Event) -> &mut ContactRow {
        self.events.push(event);
        self
    }
}

impl ContactColumns {
    pub fn new() -> ContactColumns {
        ContactColumns::default()
    }

    pub fn len(&self) -> usize {
        self.event_starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds a contact; its index is the previous [`ContactColumns::len`].
    pub fn push(&mut self, row: &ContactRow) {
        if self.event_starts.is_empty() {
            self.event_starts.push(0);
        }
        for spec in ATTRIBUTES {
            let index = spec.attribute as usize;
            match spec.kind {
                AttributeKind::Choice(_) | AttributeKind::Text => self.codes[index].push(row.codes[index]),
                AttributeKind::Number { .. } => self.numbers[index].push(row.numbers[index]),
                AttributeKind::Flag => self.flags[index].push(row.flags[index]),
            }
        }
        let mut events = row.events.clone();
        events.sort_by_key(|event| event.minutes_ago);
        for event in events {
            self.event_minutes_ago.push(event.minutes_ago);
            self.event_kinds.push(event.kind);
            self.event_channels.push(event.channel);
            self.event_pages.push(event.page);
        }
        self.event_starts.push(self.event_minutes_ago.len());
        let contact = self.len() - 1;
        let counts: Vec<u32> = self.counted.queries().iter().map(|query| self.count(contact, query)).collect();
        for (column, count) in self.counts.iter_mut().zip(counts) {
            column.push(count);
        }
    }

    /// Keeps a count column for every query of `table` (and no other),
    /// for the contacts so far and those pushed later. Programs read them
    /// when they ask by `table`'s slots ([`super::Program::use_slots`]).
    pub fn keep_counts(&mut self, table: &QueryTable) {
        self.counts = table
            .queries()
            .iter()
            .map(|query| (0..self.len()).map(|contact| self.count(contact, query)).collect())
            .collect();
        self.counted = table.clone();
    }
}

impl Facts for ContactColumns {
    #[inline]
    fn code(&self, contact: usize, attribute: Attribute) -> u32 {
        self.codes[attribute as usize].get(contact).copied().unwrap_or_default()
    }

    #[inline]
    fn number(&self, contact: usize, attribute: Attribute) -> f64 {
        self.numbers[attribute as usize].get(contact).copied().unwrap_or_default()
    }

    #[inline]
    fn flag(&self, contact: usize, attribute: Attribute) -> bool {
        self.flags[attribute as usize].get(contact).copied().unwrap_or_default()
    }

    #[inline]
    fn count(&self, contact: usize, event: &EventQuery) -> u32 {
        let start = self.event_starts.get(contact).copied().unwrap_or_default();
        let end = contact.checked_add(1).and_then(|next| self.event_starts.get(next)).copied().unwrap_or_default();
        let mut count = 0;
        for (index, &minutes_ago) in (start..).zip(self.event_minutes_ago.get(start..end).unwrap_or_default()) {
            if minutes_ago >= event.window_minutes {
                break; // newest first: the rest are older still
            }
            if let (Some(&kind), Some(&channel), Some(&page)) =
                (self.event_kinds.get(index), self.event_channels.get(index), self.event_pages.get(index))
            {
                count += u32::from(event.matches(kind, channel, page));
            }
        }
        count
    }

    #[inline]
    fn count_in_slot(&self, contact: usize, slot: Slot, event: &EventQuery) -> u32 {
        match self.count_column(slot, event) {
            Some(counts) => counts.get(contact).copied().unwrap_or_default(),
            None => self.count(contact, event),
        }
    }

    #[inline]
    fn code_column(&self, attribute: Attribute) -> Option<&[u32]> {
        Some(&self.codes[attribute as usize])
    }

    #[inline]
    fn number_column(&self, attribute: Attribute) -> Option<&[f64]> {
        Some(&self.numbers[attribute as usize])
    }

    #[inline]
    fn flag_column(&self, attribute: Attribute) -> Option<&[bool]> {
        Some(&self.flags[attribute as usize])
    }

    #[inline]
    fn count_column(&self, slot: Slot, event: &EventQuery) -> Option<&[u32]> {
        if !self.counted.has_at(slot, event) {
            return None;
        }
        self.counts.get(slot as usize).map(Vec::as_slice)
    }
}
