//! One contact's events as they happen, for reading event counts as of
//! any minute: how the simulator answers the event functions of its rules.
//! Besides the events, the log keeps a sliding-window counter for each
//! query of a [`QueryTable`] (the queries the programs read): a count by
//! slot looks only at the events recorded since that query's last read and
//! those that aged out of its window since, rather than walking back
//! through every event in the window comparing each.

use std::cell::Cell;

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

/// One contact's events, oldest first, with a sliding-window counter per
/// query of its table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventLog {
    table: QueryTable,
    events: Vec<LoggedEvent>,
    /// Per slot of `table`.
    windows: Vec<Window>,
}

/// A sliding-window count of one query's events, brought up to date when
/// read: events recorded since the last read come in at the newest end
/// (those already out of the window passed over by a binary search),
/// events that aged out leave at the oldest. Reads come at later and later
/// minutes, so both ends only move forward: an event in the window is
/// looked at once coming in and once leaving, however often the count is
/// read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Window {
    /// Events `oldest..newest` of the log have been looked at and are not
    /// known to be too old; `count` of them match the query.
    oldest: Cell<usize>,
    newest: Cell<usize>,
    count: Cell<u32>,
    /// The minute of the last read.
    as_of: Cell<u32>,
}

impl EventLog {
    /// An empty log with a counter for every query of `table`.
    pub fn new(table: &QueryTable) -> EventLog {
        EventLog { table: table.clone(), events: Vec::new(), windows: vec![Window::default(); table.queries().len()] }
    }

    /// Forgets every event (keeping the table and the memory).
    pub fn clear(&mut self) {
        self.events.clear();
        self.windows.iter().for_each(Window::restart);
    }

    /// Adds `event`. Events usually come in time order; one that does not
    /// goes where its minute puts it, and the counters start over.
    pub fn record(&mut self, event: LoggedEvent) {
        if self.events.last().is_none_or(|last| last.at <= event.at) {
            self.events.push(event);
        } else {
            let position = self.events.partition_point(|earlier| earlier.at <= event.at);
            self.events.insert(position, event);
            self.windows.iter().for_each(Window::restart);
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

    /// [`EventLog::count`], from the counter kept for `slot` when the
    /// table's slot `slot` is `query`.
    #[inline]
    pub fn count_in_slot(&self, slot: Slot, query: &EventQuery, now: u32) -> u32 {
        match self.windows.get(slot as usize) {
            Some(window) if self.table.has_at(slot, query) => window.count(&self.events, query, now),
            _ => self.count(query, now),
        }
    }
}

impl Window {
    fn restart(&self) {
        self.oldest.set(0);
        self.newest.set(0);
        self.count.set(0);
        self.as_of.set(0);
    }

    #[inline]
    fn count(&self, events: &[LoggedEvent], query: &EventQuery, now: u32) -> u32 {
        if now < self.as_of.get() {
            // Read at an earlier minute than last time: start over.
            self.restart();
        }
        let matches = |event: &LoggedEvent| u32::from(query.matches(event.kind, event.channel, event.page));
        let (mut count, mut oldest, newest) = (self.count.get(), self.oldest.get(), self.newest.get());
        // Counted events that aged out leave.
        while let Some(event) = events.get(oldest..newest).and_then(<[_]>::first) {
            if !too_old(event.at, query, now) {
                break;
            }
            count -= matches(event);
            oldest += 1;
        }
        // New events come in, but those already too old are passed over
        // (all of them are newer than any counted one still in the window).
        let fresh = events.get(newest..).unwrap_or_default();
        let aged = fresh.partition_point(|event| too_old(event.at, query, now));
        count += fresh[aged..].iter().map(matches).sum::<u32>();
        if oldest == newest {
            oldest += aged;
        }
        self.oldest.set(oldest);
        self.newest.set(events.len());
        self.count.set(count);
        self.as_of.set(now);
        count
    }
}

/// Whether an event at minute `at` is at least the query's window old at
/// `now`: for events in time order, true for the earliest ones, then false.
#[inline(always)]
fn too_old(at: u32, query: &EventQuery, now: u32) -> bool {
    u64::from(at) + u64::from(query.window_minutes) <= u64::from(now)
}
