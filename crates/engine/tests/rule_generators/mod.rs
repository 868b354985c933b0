//! Generated input shared by the rule tests: the vocabulary they compile
//! against, rules that check cleanly, and contacts with events at the edges
//! of every window (also as they are later, with nothing but time passed).

use proptest::prelude::*;
use tandem_engine::rules::{
    ATTRIBUTES, Attribute, AttributeKind, Channel, CompareOp, ContactRow, Event, EventKind, Vocabulary,
};

pub const PAGES: [&str; 3] = ["pricing", "demo", "webinar-registration"];
pub const OWNERS: [&str; 2] = ["Ana Ruiz", "Ben Okafor"];

/// The vocabulary the cases and properties compile against.
pub fn vocabulary() -> Vocabulary {
    let mut vocabulary = Vocabulary::new();
    for text in PAGES.iter().chain(&OWNERS) {
        vocabulary.intern(text);
    }
    vocabulary
}

pub fn choice_values(attribute: Attribute) -> &'static [&'static str] {
    match attribute.kind() {
        AttributeKind::Choice(values) => values,
        _ => &[],
    }
}

pub fn attributes_of_kind(wanted: fn(&AttributeKind) -> bool) -> Vec<Attribute> {
    ATTRIBUTES.iter().filter(|spec| wanted(&spec.kind)).map(|spec| spec.attribute).collect()
}

/// Rules that check cleanly, built from every kind of condition.
pub fn valid_rule() -> impl Strategy<Value = String> {
    let choice_attributes = attributes_of_kind(|kind| matches!(kind, AttributeKind::Choice(_)));
    let flag_attributes = attributes_of_kind(|kind| matches!(kind, AttributeKind::Flag));
    let equality = prop::sample::select(vec!["==", "!="]);
    let any_op = prop::sample::select(CompareOp::ALL.map(CompareOp::symbol).to_vec());
    let window = prop::sample::select(vec!["30m", "1h", "2d", "3d", "7d", "14d"]);
    let count = prop_oneof![
        (
            prop::sample::select(vec!["clicks", "opens", "replied"]),
            prop::sample::select(vec!["email", "sms"]),
            window.clone()
        )
            .prop_map(|(function, channel, window)| format!("{function}({channel}, {window})")),
        (prop::sample::select(vec!["pricing", "demo", "careers"]), window.clone())
            .prop_map(|(page, window)| format!("visited(\"{page}\", {window})")),
        window.prop_map(|window| format!("sms_received({window})")),
    ];
    let constant = prop_oneof![(0u32..6).prop_map(|n| n.to_string()), Just("2.5".to_owned()), Just("0.5".to_owned())];
    let choice =
        (prop::sample::select(choice_attributes), any::<prop::sample::Index>(), equality.clone(), any::<bool>())
            .prop_map(|(attribute, value, op, literal_first)| {
                let value = format!("\"{}\"", value.get(choice_values(attribute)));
                if literal_first { format!("{value} {op} {attribute}") } else { format!("{attribute} {op} {value}") }
            });
    let membership = (
        prop::sample::select(attributes_of_kind(|kind| matches!(kind, AttributeKind::Choice(_)))),
        prop::collection::vec(any::<prop::sample::Index>(), 1..4),
        any::<bool>(),
    )
        .prop_map(|(attribute, picks, negated)| {
            let values: Vec<String> =
                picks.iter().map(|pick| format!("\"{}\"", pick.get(choice_values(attribute)))).collect();
            let op = if negated { "not in" } else { "in" };
            format!("{attribute} {op} [{}]", values.join(", "))
        });
    let owner = prop_oneof![
        (equality.clone(), prop::sample::select(vec!["Ana Ruiz", "Ben Okafor", "Zoe Park"]))
            .prop_map(|(op, name)| format!("owner {op} \"{name}\"")),
        Just("owner not in [\"Ana Ruiz\", \"Zoe Park\"]".to_owned()),
    ];
    let number = (
        prop::sample::select(vec!["days_in_stage", "engagement_score"]),
        any_op.clone(),
        prop_oneof![(0u32..=100).prop_map(|n| n.to_string()), Just("49.5".to_owned())],
        any::<bool>(),
    )
        .prop_map(|(attribute, op, constant, literal_first)| {
            if literal_first { format!("{constant} {op} {attribute}") } else { format!("{attribute} {op} {constant}") }
        });
    let counted = prop_oneof![
        (count.clone(), any_op.clone(), constant.clone())
            .prop_map(|(count, op, constant)| format!("{count} {op} {constant}")),
        (constant, any_op.clone(), count.clone()).prop_map(|(constant, op, count)| format!("{constant} {op} {count}")),
        count.clone(),
        (count, any_op, prop::sample::select(vec!["days_in_stage", "engagement_score"]))
            .prop_map(|(count, op, attribute)| format!("{count} {op} {attribute}")),
    ];
    let flag =
        (prop::sample::select(flag_attributes), prop::sample::select(vec!["", " == true", " == false", " != true"]))
            .prop_map(|(attribute, comparison)| format!("{attribute}{comparison}"));
    let leaf = prop_oneof![
        choice,
        membership,
        owner,
        number,
        counted,
        flag,
        Just("high_intent".to_owned()),
        Just("high_intent == false".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
    ];
    leaf.prop_recursive(3, 16, 3, |member| {
        prop_oneof![
            prop::collection::vec(member.clone(), 2..4).prop_map(|members| format!("({})", members.join(" and "))),
            prop::collection::vec(member.clone(), 2..4).prop_map(|members| format!("({})", members.join(" or "))),
            member.prop_map(|inner| format!("not {inner}")),
        ]
    })
}

pub fn contact() -> impl Strategy<Value = ContactRow> {
    contact_parts(0..8).prop_map(|parts| parts.row(0, 0))
}

/// A contact with many events, and the same contact `minutes` later with
/// nothing new: every event that much older, and `days_in_stage` grown by
/// the whole days that passed (or one more, as a stage's day may turn
/// within them).
#[allow(dead_code, reason = "the counters' tests share this module and do not need it")]
pub fn contact_now_and_later() -> impl Strategy<Value = (ContactRow, ContactRow)> {
    (contact_parts(4..24), 0u32..20 * 24 * 60, any::<bool>()).prop_map(|(parts, minutes, day_turns)| {
        let days = minutes / (24 * 60) + u32::from(day_turns);
        (parts.row(0, 0), parts.row(minutes, days))
    })
}

/// What a generated contact is made of.
#[derive(Clone, Debug)]
struct ContactParts {
    codes: Vec<u32>,
    numbers: Vec<f64>,
    flags: Vec<bool>,
    events: Vec<Event>,
}

impl ContactParts {
    /// The contact `minutes` later, `days` more in its stage.
    fn row(&self, minutes: u32, days: u32) -> ContactRow {
        let mut row = ContactRow::new();
        for spec in ATTRIBUTES {
            let index = spec.attribute as usize;
            row.set_code(spec.attribute, self.codes[index])
                .set_number(spec.attribute, self.numbers[index])
                .set_flag(spec.attribute, self.flags[index]);
        }
        row.set_number(Attribute::DaysInStage, self.numbers[Attribute::DaysInStage as usize] + f64::from(days));
        for event in &self.events {
            row.add_event(Event { minutes_ago: event.minutes_ago + minutes, ..*event });
        }
        row
    }
}

/// A contact's parts, with a number of events in `events`.
fn contact_parts(events: std::ops::Range<usize>) -> impl Strategy<Value = ContactParts> {
    let codes: Vec<BoxedStrategy<u32>> = ATTRIBUTES
        .iter()
        .map(|spec| match spec.kind {
            AttributeKind::Choice(values) => (0..values.len() as u32).boxed(),
            // Owner codes: the two owners, or a page name nobody is owned by.
            _ => prop::sample::select(vec![0u32, 3, 4]).boxed(),
        })
        .collect();
    let number = prop_oneof![(0u32..=100).prop_map(f64::from), Just(49.5), Just(2.5)];
    let minutes_ago = prop_oneof![
        prop::sample::select(vec![0u32, 29, 30, 59, 60, 2879, 2880, 4319, 4320, 10079, 10080, 20159, 20160]),
        0u32..30 * 24 * 60,
    ];
    let event = (0usize..5, any::<bool>(), 0u32..3, minutes_ago).prop_map(|(kind, email, page, minutes_ago)| {
        let channel = Some(if email { Channel::Email } else { Channel::Sms });
        match kind {
            0 => Event { kind: EventKind::Click, channel, page: None, minutes_ago },
            1 => Event { kind: EventKind::Open, channel, page: None, minutes_ago },
            2 => Event { kind: EventKind::Reply, channel, page: None, minutes_ago },
            3 => Event { kind: EventKind::Visit, channel: None, page: Some(page), minutes_ago },
            _ => Event { kind: EventKind::SmsReceived, channel: None, page: None, minutes_ago },
        }
    });
    (
        codes,
        prop::collection::vec(number, Attribute::COUNT),
        prop::collection::vec(any::<bool>(), Attribute::COUNT),
        prop::collection::vec(event, events),
    )
        .prop_map(|(codes, numbers, flags, events)| ContactParts { codes, numbers, flags, events })
}
