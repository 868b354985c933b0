//! Kept counts answer exactly what counting the events answers. A program
//! asks for event counts by slot; the facts that keep a count per query
//! (the count columns of `ContactColumns`, the simulator's `EventLog`) must
//! give the same number as walking the events, and the program reading
//! them must agree with the tree-walking interpreter, which always walks.
//! The generated events sit on every window's edge as well as anywhere.

use proptest::prelude::*;
use rule_generators::{contact, valid_rule, vocabulary};
use tandem_engine::rules::{
    self, Attribute, ContactColumns, ContactRow, Definitions, EventLog, EventQuery, Facts, Interpreter, LoggedEvent,
    Program, QueryTable, Slot,
};

mod rule_generators;

/// A contact as the simulator holds it: attributes in columns, events in a
/// log read at minute `now`.
struct Logged<'a> {
    attributes: &'a ContactColumns,
    contact: usize,
    log: &'a EventLog,
    now: u32,
}

impl Facts for Logged<'_> {
    fn code(&self, _: usize, attribute: Attribute) -> u32 {
        self.attributes.code(self.contact, attribute)
    }

    fn number(&self, _: usize, attribute: Attribute) -> f64 {
        self.attributes.number(self.contact, attribute)
    }

    fn flag(&self, _: usize, attribute: Attribute) -> bool {
        self.attributes.flag(self.contact, attribute)
    }

    fn count(&self, _: usize, query: &EventQuery) -> u32 {
        self.log.count(query, self.now)
    }

    fn count_in_slot(&self, _: usize, slot: Slot, query: &EventQuery) -> u32 {
        self.log.count_in_slot(slot, query, self.now)
    }
}

/// `row`'s events as they happened, `minutes_ago` before `now`, in the
/// order generated (not always time order).
fn log_of(row: &ContactRow, table: &QueryTable, now: u32) -> EventLog {
    let mut log = EventLog::new(table);
    for event in row.events() {
        log.record(LoggedEvent {
            at: now - event.minutes_ago,
            kind: event.kind,
            channel: event.channel,
            page: event.page,
        });
    }
    log
}

fn compiled(rule: &str) -> Program {
    let checked = rules::check(rule, &Definitions::default());
    Program::compile(&checked.rule.unwrap_or_else(|| panic!("{rule}: {:?}", checked.diagnostics)), &vocabulary())
}

#[test]
fn a_count_at_the_edge_of_its_window_is_out() {
    let program = compiled("clicks(email, 1h) >= 1");
    let table = QueryTable::read_by([&program]);
    let query = table.queries()[0];
    let mut log = EventLog::new(&table);
    log.record(LoggedEvent { at: 1_000, kind: query.kind, channel: query.channel, page: None });
    for (now, expected) in [(1_000, 1), (1_059, 1), (1_060, 0)] {
        assert_eq!(log.count(&query, now), expected, "walking, at {now}");
        assert_eq!(log.count_in_slot(0, &query, now), expected, "by slot, at {now}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    /// As the simulator uses it: events recorded in time order, counts read
    /// between them at later and later minutes (the windows slide), then at
    /// earlier minutes again, and the remaining events recorded newest first;
    /// every read by slot equals the walk.
    #[test]
    fn a_log_read_as_time_goes_by_counts_what_walking_counts(
        rules in prop::collection::vec(valid_rule(), 1..4),
        row in contact(),
        reads in prop::collection::vec(0u32..=30 * 24 * 60, 0..16),
        rereads in prop::collection::vec(0u32..=30 * 24 * 60, 0..4),
        late_read in 0u32..=30 * 24 * 60,
    ) {
        let programs: Vec<Program> = rules.iter().map(|rule| compiled(rule)).collect();
        let table = QueryTable::read_by(&programs);
        let now = 30 * 24 * 60;
        let mut events: Vec<LoggedEvent> = row
            .events()
            .iter()
            .map(|event| LoggedEvent { at: now - event.minutes_ago, kind: event.kind, channel: event.channel, page: event.page })
            .collect();
        events.sort_by_key(|event| event.at);
        let mut reads = reads;
        reads.sort_unstable();
        let mut log = EventLog::new(&table);
        let mut recorded = events.iter().peekable();
        for at in reads.iter().chain(&rereads) {
            while let Some(event) = recorded.next_if(|event| event.at <= *at) {
                log.record(*event);
            }
            for (slot, query) in table.queries().iter().enumerate() {
                prop_assert_eq!(log.count_in_slot(slot as Slot, query, *at), log.count(query, *at), "{:?} at {}", query, at);
            }
        }
        // The rest out of order, newest first, read between, later on.
        let late: Vec<&LoggedEvent> = recorded.collect();
        let at = now + late_read;
        for event in late.into_iter().rev() {
            log.record(*event);
            for (slot, query) in table.queries().iter().enumerate() {
                prop_assert_eq!(log.count_in_slot(slot as Slot, query, at), log.count(query, at), "{:?} late", query);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every count read by slot equals the plain count, and a program
    /// reading kept counts (one contact at a time, 64 at a time from the
    /// columns, and from an event log) agrees with the interpreter.
    #[test]
    fn kept_counts_agree_with_counting_and_with_the_interpreter(
        rule in valid_rule(),
        others in prop::collection::vec(valid_rule(), 0..3),
        rows in prop::collection::vec(contact(), 1..130),
        lanes in any::<[u64; 2]>(),
        now in 30u32 * 24 * 60..200_000,
        kept_from in 0usize..130,
    ) {
        let definitions = Definitions::default();
        let vocabulary = vocabulary();
        let mut program = compiled(&rule);
        // Other programs' queries share the table, so the slots are not the
        // program's own.
        let others: Vec<Program> = others.iter().map(|other| compiled(other)).collect();
        let table = QueryTable::read_by(others.iter().chain([&program]));
        program.use_slots(&table);

        let mut counted = ContactColumns::new();
        let mut kept = ContactColumns::new();
        for (index, row) in rows.iter().enumerate() {
            // Counts kept from the start, from part way, or from the end.
            if index == kept_from.min(rows.len() - 1) {
                kept.keep_counts(&table);
            }
            counted.push(row);
            kept.push(row);
        }
        if kept_from >= rows.len() {
            kept.keep_counts(&table);
        }

        let tree = rules::parse(&rule).expr;
        let interpreter = Interpreter::new(&definitions);
        let blocks = [program.eval_block(&kept, 0, lanes[0]), program.eval_block(&kept, 64, lanes[1])];
        for (contact, row) in rows.iter().enumerate() {
            let log = log_of(row, &table, now);
            let logged = Logged { attributes: &counted, contact, log: &log, now };
            for (slot, query) in table.queries().iter().enumerate() {
                let slot = slot as Slot;
                let walked = counted.count(contact, query);
                prop_assert_eq!(kept.count_in_slot(contact, slot, query), walked, "{:?} kept", query);
                prop_assert_eq!(kept.count_column(slot, query).map(|counts| counts[contact]), Some(walked));
                prop_assert_eq!(log.count(query, now), walked, "{:?} logged", query);
                prop_assert_eq!(log.count_in_slot(slot, query, now), walked, "{:?} logged by slot", query);
            }
            let expected = interpreter.eval(&tree, &counted, &vocabulary, contact);
            prop_assert_eq!(program.eval(&kept, contact), expected, "{} on contact {}: {:?}", rule, contact, row);
            prop_assert_eq!(program.eval(&logged, 0), expected, "{} from the log, contact {}", rule, contact);
            let (block, lane) = (contact / 64, contact % 64);
            if block < 2 {
                let asked = lanes[block] >> lane & 1 == 1;
                prop_assert_eq!(blocks[block] >> lane & 1 == 1, asked && expected, "{} in a block, contact {}", rule, contact);
            }
        }
    }
}
