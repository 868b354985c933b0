//! Kept counts answer exactly what counting the events answers. A program
//! asks for event counts by slot; facts that keep a count per query (the
//! count columns of `ContactColumns`) must give the same number as walking
//! the events, and the program reading them must agree with the
//! tree-walking interpreter, which always walks.
//! The generated events sit on every window's edge as well as anywhere.

use proptest::prelude::*;
use rule_generators::{contact, valid_rule, vocabulary};
use tandem_engine::rules::{
    self, Attribute, ContactColumns, ContactRow, Definitions, Event, Facts, Interpreter, Program, QueryTable, Slot,
};

mod rule_generators;

fn compiled(rule: &str) -> Program {
    let checked = rules::check(rule, &Definitions::default());
    Program::compile(&checked.rule.unwrap_or_else(|| panic!("{rule}: {:?}", checked.diagnostics)), &vocabulary())
}

#[test]
fn a_count_at_the_edge_of_its_window_is_out() {
    let mut program = compiled("clicks(email, 1h) >= 1");
    let table = QueryTable::read_by([&program]);
    program.use_slots(&table);
    let query = table.queries()[0];
    let mut contacts = ContactColumns::new();
    contacts.keep_counts(&table);
    for minutes_ago in [0, 59, 60, 61] {
        contacts.push(ContactRow::new().set_code(Attribute::Consent, 0).add_event(Event {
            kind: query.kind,
            channel: query.channel,
            page: None,
            minutes_ago,
        }));
    }
    let kept: Vec<Option<u32>> =
        (0..4).map(|contact| contacts.count_column(0, &query).map(|counts| counts[contact])).collect();
    assert_eq!(kept, [Some(1), Some(1), Some(0), Some(0)]);
    let walked: Vec<u32> = (0..4).map(|contact| contacts.count(contact, &query)).collect();
    assert_eq!(walked, [1, 1, 0, 0]);
    let held: Vec<bool> = (0..4).map(|contact| program.eval(&contacts, contact)).collect();
    assert_eq!(held, [true, true, false, false]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every count read by slot equals the plain count, and a program
    /// reading kept counts (one contact at a time, and 64 at a time from the
    /// columns) agrees with the interpreter.
    #[test]
    fn kept_counts_agree_with_counting_and_with_the_interpreter(
        rule in valid_rule(),
        others in prop::collection::vec(valid_rule(), 0..3),
        rows in prop::collection::vec(contact(), 1..130),
        lanes in any::<[u64; 2]>(),
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
            for (slot, query) in table.queries().iter().enumerate() {
                let slot = slot as Slot;
                let walked = counted.count(contact, query);
                prop_assert_eq!(kept.count_in_slot(contact, slot, query), walked, "{:?} kept", query);
                prop_assert_eq!(kept.count_column(slot, query).map(|counts| counts[contact]), Some(walked));
            }
            let expected = interpreter.eval(&tree, &counted, &vocabulary, contact);
            prop_assert_eq!(program.eval(&kept, contact), expected, "{} on contact {}: {:?}", rule, contact, row);
            let (block, lane) = (contact / 64, contact % 64);
            if block < 2 {
                let asked = lanes[block] >> lane & 1 == 1;
                prop_assert_eq!(blocks[block] >> lane & 1 == 1, asked && expected, "{} in a block, contact {}", rule, contact);
            }
        }
    }
}
