//! The legal-window table as shipped: one row per jurisdiction (federal law
//! and every state stricter than it) with its hours on weekdays, Saturdays
//! and Sundays, whether it closes on holidays, any limit per 24 hours, what
//! it covers, how sure Tandem is of it, and its citation. A new journey's
//! legal windows are built from these rows (`defaults::legal_windows`), and
//! the panel shows the notes a journey does not carry (coverage,
//! confidence) from here.

use crate::model::{Jurisdiction, TimeWindow};
use crate::places::US_STATES;
use crate::table::{Field, Rows};

/// Whether a law reaches a kind of message or contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    Yes,
    No,
    /// The law's text leaves it open; Tandem applies the row anyway.
    Unsure,
}

impl Coverage {
    pub fn word(self) -> &'static str {
        match self {
            Coverage::Yes => "yes",
            Coverage::No => "no",
            Coverage::Unsure => "unsure",
        }
    }
}

/// One row of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LegalRow {
    /// `None` for federal law, else the state's index in [`US_STATES`].
    pub state: Option<u8>,
    /// Monday to Friday.
    pub weekdays: TimeWindow,
    /// Saturdays; `None` when closed all day.
    pub saturday: Option<TimeWindow>,
    /// Sundays; `None` when closed all day.
    pub sunday: Option<TimeWindow>,
    /// Closed on the state's legal holidays (see [`super::holidays`]).
    pub closed_on_holidays: bool,
    pub max_per_24h: Option<u8>,
    /// Whether the law names text messages.
    pub texts: Coverage,
    /// Whether the law also binds contacts who consented.
    pub consented: Coverage,
    /// Marked (m) in the product brief: read from a secondary summary, or
    /// its reach to texts is not settled.
    pub medium_confidence: bool,
    pub citation: &'static str,
}

impl LegalRow {
    pub fn jurisdiction(&self) -> Jurisdiction {
        match self.state {
            None => Jurisdiction::Federal,
            Some(state) => Jurisdiction::State(US_STATES[usize::from(state)].into()),
        }
    }
}

/// Every row, federal law first.
pub fn rows() -> &'static [LegalRow] {
    &ROWS
}

/// The row of a jurisdiction, if the table has one.
pub fn row(jurisdiction: &Jurisdiction) -> Option<&'static LegalRow> {
    ROWS.iter().find(|row| row.jurisdiction() == *jurisdiction)
}

const TABLE: &str = include_str!("../../data/us_legal_windows.csv");
const COUNT: usize = Rows::count(TABLE);
static ROWS: [LegalRow; COUNT] = read();

const fn read() -> [LegalRow; COUNT] {
    let empty = TimeWindow { start_minute: 0, end_minute: 0 };
    let mut table = [LegalRow {
        state: None,
        weekdays: empty,
        saturday: None,
        sunday: None,
        closed_on_holidays: false,
        max_per_24h: None,
        texts: Coverage::Unsure,
        consented: Coverage::Unsure,
        medium_confidence: false,
        citation: "",
    }; COUNT];
    let mut rows = Rows::of(TABLE);
    let mut index = 0;
    while let Some([jurisdiction, weekdays, saturday, sunday, holidays, max, texts, consented, confidence, citation]) =
        rows.next::<10>()
    {
        let state = if rows.position(jurisdiction, &["Federal"]).is_some() {
            if index != 0 {
                panic!("us_legal_windows.csv: the Federal row must come first");
            }
            None
        } else {
            match rows.position(jurisdiction, &US_STATES) {
                Some(state) => Some(state as u8),
                None => panic!("us_legal_windows.csv: a jurisdiction is neither Federal nor a state code"),
            }
        };
        let mut earlier = 0;
        while earlier < index {
            if same_state(table[earlier].state, state) {
                panic!("us_legal_windows.csv: a jurisdiction has two rows");
            }
            earlier += 1;
        }
        let Some(weekdays) = hours(&rows, weekdays) else {
            panic!("us_legal_windows.csv: weekdays cannot be closed");
        };
        let closed_on_holidays = match rows.position(holidays, &["open", "closed"]) {
            Some(position) => position == 1,
            None => panic!("us_legal_windows.csv: holidays must be open or closed"),
        };
        let max_per_24h = if rows.is_empty(max) {
            None
        } else {
            let max = rows.number(max);
            if max == 0 || max > 255 {
                panic!("us_legal_windows.csv: max_per_24h must be from 1 to 255");
            }
            Some(max as u8)
        };
        let medium_confidence = match rows.position(confidence, &["high", "medium"]) {
            Some(position) => position == 1,
            None => panic!("us_legal_windows.csv: confidence must be high or medium"),
        };
        if rows.is_empty(citation) {
            panic!("us_legal_windows.csv: every row needs its citation");
        }
        table[index] = LegalRow {
            state,
            weekdays,
            saturday: hours(&rows, saturday),
            sunday: hours(&rows, sunday),
            closed_on_holidays,
            max_per_24h,
            texts: coverage(&rows, texts),
            consented: coverage(&rows, consented),
            medium_confidence,
            citation: rows.text(citation),
        };
        index += 1;
    }
    if table[0].state.is_some() {
        panic!("us_legal_windows.csv: the Federal row is missing");
    }
    table
}

const fn same_state(left: Option<u8>, right: Option<u8>) -> bool {
    match (left, right) {
        (None, None) => true,
        (Some(left), Some(right)) => left == right,
        _ => false,
    }
}

const fn coverage(rows: &Rows, field: Field) -> Coverage {
    match rows.position(field, &["yes", "no", "unsure"]) {
        Some(0) => Coverage::Yes,
        Some(1) => Coverage::No,
        Some(_) => Coverage::Unsure,
        None => panic!("us_legal_windows.csv: texts and consented must be yes, no or unsure"),
    }
}

/// `HH:MM-HH:MM` (start before end, within one day) or `closed`.
const fn hours(rows: &Rows, field: Field) -> Option<TimeWindow> {
    if rows.position(field, &["closed"]).is_some() {
        return None;
    }
    let text = rows.text(field).as_bytes();
    if text.len() != 11 || text[5] != b'-' {
        panic!("us_legal_windows.csv: hours must be HH:MM-HH:MM or closed");
    }
    let window = TimeWindow { start_minute: minute(text, 0), end_minute: minute(text, 6) };
    if window.start_minute >= window.end_minute {
        panic!("us_legal_windows.csv: hours must start before they end, within one day");
    }
    Some(window)
}

/// The `HH:MM` at `at` as minutes after midnight (24:00 allowed as an end).
const fn minute(text: &[u8], at: usize) -> u16 {
    if text[at + 2] != b':' {
        panic!("us_legal_windows.csv: a time is not HH:MM");
    }
    let (hour, minute) = (two_digits(text, at), two_digits(text, at + 3));
    if minute > 59 || hour * 60 + minute > 24 * 60 {
        panic!("us_legal_windows.csv: a time is past 24:00");
    }
    hour * 60 + minute
}

const fn two_digits(text: &[u8], at: usize) -> u16 {
    if !text[at].is_ascii_digit() || !text[at + 1].is_ascii_digit() {
        panic!("us_legal_windows.csv: a time is not HH:MM");
    }
    ((text[at] - b'0') * 10 + (text[at + 1] - b'0')) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(start: u16, end: u16) -> Option<TimeWindow> {
        Some(TimeWindow { start_minute: start * 60, end_minute: end * 60 })
    }

    /// The brief's table, row by row: (jurisdiction, weekdays, Saturday,
    /// Sunday, closed on holidays, limit per 24 h, medium confidence).
    #[test]
    fn the_table_is_the_briefs() {
        type Row = (&'static str, Option<TimeWindow>, Option<TimeWindow>, Option<TimeWindow>, bool, Option<u8>, bool);
        let expected: [Row; 17] = [
            ("Federal", hours(8, 21), hours(8, 21), hours(8, 21), false, None, false),
            ("TX", hours(9, 21), hours(9, 21), hours(12, 21), false, None, false),
            ("FL", hours(8, 20), hours(8, 20), hours(8, 20), false, Some(3), false),
            ("OK", hours(8, 20), hours(8, 20), hours(8, 20), false, Some(3), false),
            ("MD", hours(8, 20), hours(8, 20), hours(8, 20), false, Some(3), false),
            ("CT", hours(9, 20), hours(9, 20), hours(9, 20), false, None, false),
            ("WA", hours(8, 20), hours(8, 20), hours(8, 20), false, None, false),
            ("OR", hours(8, 20), hours(8, 20), hours(8, 20), false, Some(3), false),
            ("KY", hours(10, 21), hours(10, 21), hours(10, 21), false, None, true),
            ("MA", hours(8, 20), hours(8, 20), hours(8, 20), false, None, false),
            ("NM", hours(9, 21), hours(9, 21), hours(9, 21), false, None, true),
            ("RI", hours(9, 18), hours(10, 17), None, true, None, false),
            ("AL", hours(8, 20), hours(8, 20), None, true, None, true),
            ("MS", hours(8, 20), hours(8, 20), None, false, None, false),
            ("LA", hours(8, 20), hours(8, 20), None, true, None, true),
            ("UT", hours(8, 21), hours(8, 21), None, true, None, false),
            ("PA", hours(8, 21), hours(8, 21), hours(8, 21), true, None, false),
        ];
        let shipped: Vec<Row> = rows()
            .iter()
            .map(|row| {
                let name = row.state.map_or("Federal", |state| US_STATES[usize::from(state)]);
                (
                    name,
                    Some(row.weekdays),
                    row.saturday,
                    row.sunday,
                    row.closed_on_holidays,
                    row.max_per_24h,
                    row.medium_confidence,
                )
            })
            .collect();
        assert_eq!(shipped, expected);
        assert!(rows().iter().all(|row| !row.citation.is_empty() && !row.citation.contains(',')));
        assert_eq!(row(&Jurisdiction::State("TX".into())).map(|row| row.texts), Some(Coverage::Yes));
        assert_eq!(row(&Jurisdiction::Federal).map(|row| row.consented), Some(Coverage::No));
        assert_eq!(row(&Jurisdiction::State("NJ".into())), None);
    }
}
