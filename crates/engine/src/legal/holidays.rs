//! Legal holidays, computed for any year from rules (the third Monday of
//! January, two days before Easter), never listed as dates: the federal
//! holidays every state keeps and the own holidays of the states whose
//! legal windows close on holidays. The rules and their sources are
//! `data/us_holidays.csv`; a [`Calendar`] lays them out over a simulated
//! period so a send window asks "is this local day a holiday here?" by
//! looking it up.

use chrono::{Datelike, NaiveDate};

use crate::model::{Jurisdiction, sorted_positions};
use crate::places::US_STATES;
use crate::table::{Field, Rows};

/// How a holiday's date is found in a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// The same date every year.
    Fixed { month: u8, day: u8 },
    /// The first `weekday` (0 = Monday) on or after the date.
    OnOrAfter { month: u8, day: u8, weekday: u8 },
    /// This many days before Western Easter Sunday.
    BeforeEaster(u8),
}

/// One holiday of one jurisdiction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Holiday {
    /// `None` for a federal holiday (kept in every state), else the state's
    /// index in [`US_STATES`].
    pub state: Option<u8>,
    pub name: &'static str,
    pub rule: Rule,
    pub citation: &'static str,
}

impl Holiday {
    /// The holiday's date in `year`.
    pub fn date(&self, year: i32) -> Option<NaiveDate> {
        match self.rule {
            Rule::Fixed { month, day } => NaiveDate::from_ymd_opt(year, month.into(), day.into()),
            Rule::OnOrAfter { month, day, weekday } => {
                let from = NaiveDate::from_ymd_opt(year, month.into(), day.into())?;
                let ahead = (7 + u32::from(weekday) - from.weekday().num_days_from_monday()) % 7;
                from.checked_add_days(chrono::Days::new(ahead.into()))
            }
            Rule::BeforeEaster(days) => easter(year)?.checked_sub_days(chrono::Days::new(days.into())),
        }
    }
}

/// The holidays kept where `state` (an index in [`US_STATES`], or `None`
/// for federal law) is, in `year`, by date.
pub fn in_year(state: Option<u8>, year: i32) -> Vec<(NaiveDate, &'static Holiday)> {
    let dates: Vec<_> = HOLIDAYS
        .iter()
        .filter(|holiday| holiday.state.is_none() || holiday.state == state)
        .filter_map(|holiday| Some((holiday.date(year)?, holiday)))
        .collect();
    // Days since the common era, shifted so that their order as `u32` is the dates' order.
    let days = dates.iter().map(|(date, _)| (date.num_days_from_ce() as u32) ^ (1 << 31));
    sorted_positions(days).into_iter().map(|index| dates[index]).collect()
}

/// The holidays a jurisdiction keeps, in words with their sources: the
/// federal holidays as one item, then each of the state's own, e.g.
/// `federal holidays (5 U.S.C. §6103(a)); Victory Day (R.I. Gen. Laws §25-1-1: second Monday in August)`.
pub fn describe(jurisdiction: &Jurisdiction) -> String {
    let state = match jurisdiction {
        Jurisdiction::Federal => None,
        Jurisdiction::State(code) => US_STATES.iter().position(|known| known == code).map(|index| index as u8),
    };
    let own = HOLIDAYS
        .iter()
        .filter(|holiday| holiday.state.is_some() && holiday.state == state)
        .map(|holiday| format!("{} ({})", holiday.name, holiday.citation));
    std::iter::once("federal holidays (5 U.S.C. §6103(a))".to_owned()).chain(own).collect::<Vec<_>>().join("; ")
}

/// Western Easter Sunday of `year` (the Gregorian computus, as in the
/// "Anonymous Gregorian algorithm" of Meeus, Astronomical Algorithms, ch. 8).
fn easter(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let (b, c) = (year.div_euclid(100), year.rem_euclid(100));
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// The holidays of every jurisdiction over a simulated period, as local
/// days since its start date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// Index 0: federal holidays; index `1 + state`: the state's (federal ones included). Each sorted.
    days: Vec<Vec<i32>>,
}

impl Calendar {
    /// The holidays from two days before `start` to two days after `days` days later.
    pub fn new(start: NaiveDate, days: u32) -> Calendar {
        let end = start + chrono::Days::new(u64::from(days) + 2);
        let first = start - chrono::Days::new(2);
        let mut lists = vec![Vec::new(); US_STATES.len() + 1];
        for year in first.year()..=end.year() {
            for holiday in &HOLIDAYS {
                let Some(date) = holiday.date(year).filter(|date| (first..=end).contains(date)) else {
                    continue;
                };
                let day = (date - start).num_days() as i32;
                match holiday.state {
                    None => lists.iter_mut().for_each(|list| list.push(day)),
                    Some(state) => lists[1 + usize::from(state)].push(day),
                }
            }
        }
        for list in &mut lists {
            list.sort_unstable();
            list.dedup();
        }
        Calendar { days: lists }
    }

    /// The holiday days of `state` (`None`: federal holidays only), sorted.
    pub fn days_of(&self, state: Option<u8>) -> &[i32] {
        &self.days[state.map_or(0, |state| 1 + usize::from(state))]
    }
}

const TABLE: &str = include_str!("../../data/us_holidays.csv");
const COUNT: usize = Rows::count(TABLE);
static HOLIDAYS: [Holiday; COUNT] = read();
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

const fn read() -> [Holiday; COUNT] {
    let mut table = [Holiday { state: None, name: "", rule: Rule::BeforeEaster(0), citation: "" }; COUNT];
    let mut rows = Rows::of(TABLE);
    let mut index = 0;
    let mut federal_done = false;
    while let Some([jurisdiction, name, month, day, weekday, before_easter, citation]) = rows.next::<7>() {
        let state = if rows.position(jurisdiction, &["Federal"]).is_some() {
            if federal_done {
                panic!("us_holidays.csv: federal holidays must come first");
            }
            None
        } else {
            federal_done = true;
            match rows.position(jurisdiction, &US_STATES) {
                Some(state) => Some(state as u8),
                None => panic!("us_holidays.csv: a jurisdiction is neither Federal nor a state code"),
            }
        };
        let rule = if rows.is_empty(before_easter) {
            let (month, day) = (small(&rows, month, 12), small(&rows, day, 31));
            if rows.is_empty(weekday) {
                Rule::Fixed { month, day }
            } else {
                match rows.position(weekday, &WEEKDAYS) {
                    Some(weekday) => Rule::OnOrAfter { month, day, weekday: weekday as u8 },
                    None => panic!("us_holidays.csv: a weekday is not mon to sun"),
                }
            }
        } else {
            if !rows.is_empty(month) || !rows.is_empty(day) || !rows.is_empty(weekday) {
                panic!("us_holidays.csv: a holiday counted from Easter has no month, day or weekday");
            }
            Rule::BeforeEaster(small(&rows, before_easter, 60))
        };
        if rows.is_empty(name) || rows.is_empty(citation) {
            panic!("us_holidays.csv: every holiday needs its name and citation");
        }
        table[index] = Holiday { state, name: rows.text(name), rule, citation: rows.text(citation) };
        index += 1;
    }
    table
}

/// A number from 1 to `max`.
const fn small(rows: &Rows, field: Field, max: u32) -> u8 {
    let value = rows.number(field);
    if value == 0 || value > max {
        panic!("us_holidays.csv: a month, day or day count is out of range");
    }
    value as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(code: &str) -> Option<u8> {
        US_STATES.iter().position(|known| *known == code).map(|index| index as u8)
    }

    fn dates(state: Option<u8>, year: i32) -> Vec<(String, &'static str)> {
        in_year(state, year)
            .into_iter()
            .map(|(date, holiday)| (date.format("%m-%d").to_string(), holiday.name))
            .collect()
    }

    fn check(state: Option<u8>, year: i32, expected: &[(&str, &str)]) {
        let expected: Vec<(String, &str)> = expected.iter().map(|(date, name)| ((*date).into(), *name)).collect();
        assert_eq!(dates(state, year), expected, "{state:?} {year}");
    }

    const FEDERAL_2026: [(&str, &str); 11] = [
        ("01-01", "New Year's Day"),
        ("01-19", "Birthday of Martin Luther King Jr."),
        ("02-16", "Washington's Birthday"),
        ("05-25", "Memorial Day"),
        ("06-19", "Juneteenth National Independence Day"),
        ("07-04", "Independence Day"),
        ("09-07", "Labor Day"),
        ("10-12", "Columbus Day"),
        ("11-11", "Veterans Day"),
        ("11-26", "Thanksgiving Day"),
        ("12-25", "Christmas Day"),
    ];

    #[test]
    fn federal_holidays_of_2026_and_2027() {
        check(None, 2026, &FEDERAL_2026);
        check(
            None,
            2027,
            &[
                ("01-01", "New Year's Day"),
                ("01-18", "Birthday of Martin Luther King Jr."),
                ("02-15", "Washington's Birthday"),
                ("05-31", "Memorial Day"),
                ("06-19", "Juneteenth National Independence Day"),
                ("07-04", "Independence Day"),
                ("09-06", "Labor Day"),
                ("10-11", "Columbus Day"),
                ("11-11", "Veterans Day"),
                ("11-25", "Thanksgiving Day"),
                ("12-25", "Christmas Day"),
            ],
        );
    }

    #[test]
    fn state_holidays_add_to_the_federal_ones() {
        let own = |code: &str, year: i32| -> Vec<(String, &'static str)> {
            dates(state(code), year)
                .into_iter()
                .filter(|(_, name)| !FEDERAL_2026.iter().any(|(_, federal)| federal == name))
                .collect()
        };
        let pairs = |list: &[(&str, &'static str)]| -> Vec<(String, &'static str)> {
            list.iter().map(|(date, name)| ((*date).into(), *name)).collect()
        };
        assert_eq!(
            own("PA", 2026),
            pairs(&[("04-03", "Good Friday"), ("06-14", "Flag Day"), ("11-03", "Election Day")])
        );
        assert_eq!(
            own("PA", 2027),
            pairs(&[("03-26", "Good Friday"), ("06-14", "Flag Day"), ("11-02", "Election Day")])
        );
        assert_eq!(own("LA", 2026), pairs(&[("04-03", "Good Friday")]));
        assert_eq!(own("RI", 2026), pairs(&[("08-10", "Victory Day")]));
        assert_eq!(own("RI", 2027), pairs(&[("08-09", "Victory Day")]));
        assert_eq!(own("UT", 2027), pairs(&[("07-24", "Pioneer Day")]));
        assert_eq!(
            own("AL", 2026),
            pairs(&[("04-27", "Confederate Memorial Day"), ("06-01", "Jefferson Davis's Birthday")])
        );
        assert!(own("NY", 2026).is_empty());
    }

    #[test]
    fn each_jurisdiction_names_its_holidays_with_sources() {
        assert_eq!(describe(&Jurisdiction::Federal), "federal holidays (5 U.S.C. §6103(a))");
        assert_eq!(
            describe(&Jurisdiction::State("UT".into())),
            "federal holidays (5 U.S.C. §6103(a)); Pioneer Day (Utah Code §63G-1-301)"
        );
    }

    #[test]
    fn easter_is_computed_for_any_year() {
        let easter = |year| easter(year).map(|date| date.format("%Y-%m-%d").to_string());
        for (year, date) in [
            (2000, "2000-04-23"),
            (2024, "2024-03-31"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
            (2099, "2099-04-12"),
        ] {
            assert_eq!(easter(year).as_deref(), Some(date));
        }
    }

    #[test]
    fn a_calendar_lays_holidays_out_as_days_from_the_start() {
        // 2 November 2026: Veterans Day is day 9, Thanksgiving day 24, Christmas day 53.
        let start = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        let calendar = Calendar::new(start, 90);
        assert_eq!(calendar.days_of(None), &[9, 24, 53, 60, 77]);
        assert_eq!(calendar.days_of(state("PA")), &[1, 9, 24, 53, 60, 77], "Election Day is 3 November");
        assert_eq!(calendar.days_of(state("NY")), calendar.days_of(None));
    }
}
