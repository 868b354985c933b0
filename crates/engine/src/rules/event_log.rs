//! One contact's events as they happen, for reading event counts as of
//! any minute: how the simulator answers the event functions of its rules.
//! Besides every event, the log keeps apart, for each query of a
//! [`QueryTable`] (the queries the programs read), the minutes of the
//! events that query matches. A count by slot is then a binary search in
//! that query's own short list for the start of its window, rather than a
//! walk back through all of the contact's events comparing each.

use super::facts::{EventQuery, QueryTable, Slot};
use super::schema::{Channel, EventKind};

/// An event at a minute of the simulated period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoggedEvent {
    pub at: u32,
    pub kind: EventKind,
    pub channel: Option<Channel>,
    pub page: Option<u32>,
}

/// One contact's events, oldest first, with their minutes by query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventLog {
    table: QueryTable,
    events: Vec<LoggedEvent>,
    /// Per slot of `table`: the minutes of the events its query matches,
    /// earliest first.
    matched: Vec<Vec<u32>>,
}

impl EventLog {
    /// An empty log keeping minutes for every query of `table`.
    pub fn new(table: &QueryTable) -> EventLog {
        EventLog { table: table.clone(), events: Vec::new(), matched: vec![Vec::new(); table.queries().len()] }
    }

    /// Forgets every event (keeping the table and the memory).
    pub fn clear(&mut self) {
        self.events.clear();
        self.matched.iter_mut().for_each(Vec::clear);
    }

    /// Adds `event`. Events usually come in time order; one that does not
    /// goes where its minute puts it.
    pub fn record(&mut self, event: LoggedEvent) {
        let position = self.events.partition_point(|earlier| earlier.at <= event.at);
        self.events.insert(position, event);
        for (query, minutes) in self.table.queries().iter().zip(&mut self.matched) {
            if query.matches(event.kind, event.channel, event.page) {
                let position = minutes.partition_point(|&at| at <= event.at);
                minutes.insert(position, event.at);
            }
        }
    }

    /// How many events `query` matches among those less than its window
    /// old at minute `now`, walking back from the newest: the plain count.
    pub fn count(&self, query: &EventQuery, now: u32) -> u32 {
        let mut count = 0;
        for event in self.events.iter().rev() {
            if too_old(event.at, query, now) {
                break; // oldest first: the rest are older still
            }
            count += u32::from(query.matches(event.kind, event.channel, event.page));
        }
        count
    }

    /// [`EventLog::count`], from the minutes kept for `slot` when the
    /// table's slot `slot` is `query`.
    #[inline]
    pub fn count_in_slot(&self, slot: Slot, query: &EventQuery, now: u32) -> u32 {
        if !self.table.has_at(slot, query) {
            return self.count(query, now);
        }
        let minutes = self.matched.get(slot as usize).map(Vec::as_slice).unwrap_or_default();
        let expired = minutes.partition_point(|&at| too_old(at, query, now));
        (minutes.len() - expired) as u32
    }
}

/// Whether an event at minute `at` is at least the query's window old at
/// `now`: for events in time order, true for the earliest ones, then false.
#[inline(always)]
fn too_old(at: u32, query: &EventQuery, now: u32) -> bool {
    u64::from(at) + u64::from(query.window_minutes) <= u64::from(now)
}
