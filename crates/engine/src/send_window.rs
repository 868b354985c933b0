//! When an SMS may reach a contact: the journey's quiet hours and the legal
//! windows that bind the contact (federal, and the state of the phone's area
//! code), read in the recipient's local time: each window's hours for the
//! kind of day (weekday, Saturday, Sunday, end exclusive), its closed days
//! and, for the windows that close on them, the state's legal holidays.
//!
//! Every clock that applies must agree: the phone's zone, every other zone
//! its area code spans, and the profile's zone. Frequency caps, collisions
//! and cooldowns depend on what was sent before, so the simulator applies
//! them; this module answers only "may it go at this minute, and if not,
//! why and when instead?".

use crate::legal::holidays::Calendar;
use crate::local_time::ZoneClock;
use crate::model::{DayKind, Jurisdiction, LegalWindow, MINUTES_PER_DAY, Policies, TimeWindow};
use crate::places::US_STATES;

/// Why a minute is closed to SMS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Closed {
    QuietHours,
    /// Outside a legal window's hours for the day.
    LegalHours(Jurisdiction),
    /// A day of the week the legal window closes all day.
    ClosedDay(Jurisdiction),
    /// A legal holiday, on which the legal window closes.
    Holiday(Jurisdiction),
}

/// One binding legal window with the holidays it closes on.
struct Legal<'a> {
    window: &'a LegalWindow,
    /// Local days (since the start date) it is closed as holidays, sorted.
    holidays: &'a [i32],
}

/// The daily rules for one contact, with the clocks to read them in.
pub struct SendWindow<'a> {
    quiet_hours: Option<TimeWindow>,
    legal: Vec<Legal<'a>>,
    clocks: Vec<&'a ZoneClock>,
}

/// How many local days either side of a minute the search for an open
/// minute looks: enough for a closed Sunday before a Monday holiday.
const SEARCH_DAYS: i32 = 4;

impl<'a> SendWindow<'a> {
    /// The rules for a contact whose phone is in `state` (a two-letter code)
    /// and whose local time is read on every clock in `clocks` (every zone
    /// of the phone's area code and, when it differs, the profile's), with
    /// holidays from `calendar`.
    pub fn new(
        policies: &'a Policies,
        state: &str,
        clocks: Vec<&'a ZoneClock>,
        calendar: &'a Calendar,
    ) -> SendWindow<'a> {
        let legal = policies
            .legal_windows
            .iter()
            .filter(|window| window.binds(state))
            .map(|window| Legal {
                window,
                holidays: match (&window.jurisdiction, window.closed_on_holidays) {
                    (_, false) => &[],
                    (Jurisdiction::Federal, true) => calendar.days_of(None),
                    (Jurisdiction::State(code), true) => {
                        calendar.days_of(US_STATES.iter().position(|known| known == code).map(|index| index as u8))
                    }
                },
            })
            .collect();
        SendWindow { quiet_hours: policies.quiet_hours, legal, clocks }
    }

    /// Why `utc` is closed, or `None` when an SMS may go.
    pub fn closed(&self, utc: u32) -> Option<Closed> {
        self.clocks.iter().find_map(|clock| {
            let local = clock.local(utc);
            if self.quiet_hours.is_some_and(|quiet| quiet.contains(local.minute_of_day)) {
                return Some(Closed::QuietHours);
            }
            self.legal.iter().find_map(|Legal { window, holidays }| {
                let jurisdiction = || window.jurisdiction.clone();
                if holidays.binary_search(&local.day).is_ok() {
                    return Some(Closed::Holiday(jurisdiction()));
                }
                match window.hours(DayKind::of(local.weekday)) {
                    None => Some(Closed::ClosedDay(jurisdiction())),
                    Some(hours) if !hours.contains(local.minute_of_day) => Some(Closed::LegalHours(jurisdiction())),
                    Some(_) => None,
                }
            })
        })
    }

    /// Local times of day at which some rule opens (`opening`) or after which it closes.
    fn boundaries(&self, opening: bool) -> Vec<u16> {
        let mut minutes = Vec::new();
        if let Some(quiet) = self.quiet_hours {
            minutes.push(if opening { quiet.end_minute } else { quiet.start_minute });
        }
        for legal in &self.legal {
            for hours in DayKind::ALL.into_iter().filter_map(|day| legal.window.hours(day)) {
                minutes.push(if opening { hours.start_minute } else { hours.end_minute });
            }
        }
        minutes.sort_unstable();
        minutes.dedup();
        minutes
    }

    /// Simulated minutes, around the local day of `utc` on every clock, at
    /// which a rule opens (or, for closing, the minute before one closes).
    fn candidates(&self, utc: u32, opening: bool) -> Vec<u32> {
        let boundaries = self.boundaries(opening);
        let mut candidates = vec![utc];
        for clock in &self.clocks {
            let today = clock.local(utc).day;
            for day in today - SEARCH_DAYS..=today + SEARCH_DAYS {
                for &minute in &boundaries {
                    let at = clock.utc_for_local(day, minute % MINUTES_PER_DAY);
                    candidates.push(if opening { at } else { at.saturating_sub(1) });
                }
            }
        }
        candidates
    }

    /// The first open minute at or after `utc`, if there is one within four days.
    pub fn next_open(&self, utc: u32) -> Option<u32> {
        let mut candidates: Vec<u32> = self.candidates(utc, true).into_iter().filter(|&at| at >= utc).collect();
        candidates.sort_unstable();
        candidates.into_iter().find(|&at| self.closed(at).is_none())
    }

    /// The last open minute at or before `utc`, if there is one within four days.
    pub fn last_open(&self, utc: u32) -> Option<u32> {
        let mut candidates: Vec<u32> = self.candidates(utc, false).into_iter().filter(|&at| at <= utc).collect();
        candidates.sort_unstable();
        candidates.into_iter().rev().find(|&at| self.closed(at).is_none())
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::defaults;
    use crate::legal::windows;
    use crate::local_time::ZoneClock;

    const DAYS: u32 = 30 * 24 * 60;

    /// 2 March 2026 is a Monday; US clocks go forward on Sunday 8 March.
    fn march() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    /// 2 November 2026 is a Monday; US clocks go back on Sunday 1 November,
    /// Veterans Day is Wednesday 11 November (day 9), Thanksgiving Thursday 26 November (day 24).
    fn november() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()
    }

    fn clock_from(zone: &str, start: NaiveDate) -> ZoneClock {
        ZoneClock::new(zone, start, DAYS).unwrap()
    }

    fn clock(zone: &str) -> ZoneClock {
        clock_from(zone, march())
    }

    fn hours(start: u16, end: u16) -> TimeWindow {
        TimeWindow { start_minute: start * 60, end_minute: end * 60 }
    }

    fn state(code: &str) -> Jurisdiction {
        Jurisdiction::State(code.into())
    }

    #[test]
    fn quiet_hours_and_legal_windows_in_local_time() {
        let policies = defaults::policies(); // quiet 20:00–09:00; federal 08:00–21:00; FL 08:00–20:00
        let calendar = Calendar::new(march(), 30);
        let new_york = clock("America/New_York");
        let florida = SendWindow::new(&policies, "FL", vec![&new_york], &calendar);
        let tuesday = |hour: u16| new_york.utc_for_local(1, hour * 60);
        assert_eq!(florida.closed(tuesday(8)), Some(Closed::QuietHours));
        assert_eq!(florida.closed(tuesday(9)), None);
        assert_eq!(florida.closed(tuesday(19) + 59), None);
        assert_eq!(florida.closed(tuesday(20)), Some(Closed::QuietHours));

        let mut no_quiet = policies.clone();
        no_quiet.quiet_hours = None;
        let florida = SendWindow::new(&no_quiet, "FL", vec![&new_york], &calendar);
        assert_eq!(florida.closed(tuesday(7)), Some(Closed::LegalHours(Jurisdiction::Federal)));
        assert_eq!(florida.closed(tuesday(20)), Some(Closed::LegalHours(state("FL"))));
        let new_jersey = SendWindow::new(&no_quiet, "NJ", vec![&new_york], &calendar);
        assert_eq!(new_jersey.closed(tuesday(20)), None, "only the federal window binds NJ");
        assert_eq!(new_jersey.closed(tuesday(20) + 59), None);
        assert_eq!(
            new_jersey.closed(tuesday(21)),
            Some(Closed::LegalHours(Jurisdiction::Federal)),
            "the end is exclusive"
        );
    }

    /// Every row of the shipped table, on each kind of day and on a
    /// holiday: closed the minute before it opens, open at its start and
    /// the minute before its end, closed at its end (exclusive), or closed
    /// all day; read in every zone a contact's local time may be in.
    #[test]
    fn every_row_opens_and_closes_on_each_kind_of_day() {
        let mut policies = defaults::policies();
        policies.quiet_hours = None;
        let calendar = Calendar::new(november(), 30);
        for zone in ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"] {
            let clock = clock_from(zone, november());
            for row in windows::rows() {
                let jurisdiction = row.jurisdiction();
                let code = jurisdiction.to_string();
                let window = SendWindow::new(&policies, &code, vec![&clock], &calendar);
                // Tuesday 3 November (PA's Election Day is a holiday), Friday 6, Saturday 7, Sunday 8.
                for (day, kind) in
                    [(4, DayKind::Weekday), (5, DayKind::Saturday), (6, DayKind::Sunday), (1, DayKind::Weekday)]
                {
                    let at = |minute: u16| clock.utc_for_local(day, minute);
                    let holiday = row.closed_on_holidays && calendar.days_of(row.state).contains(&day);
                    let hours = if holiday {
                        None
                    } else {
                        policies
                            .legal_windows
                            .iter()
                            .find(|w| w.jurisdiction == jurisdiction)
                            .and_then(|w| w.hours(kind))
                    };
                    let federal = hours.map_or(hours_unset(), |_| windows::rows()[0].weekdays);
                    match hours {
                        Some(hours) => {
                            let start = hours.start_minute.max(federal.start_minute);
                            let end = hours.end_minute.min(federal.end_minute);
                            assert!(window.closed(at(start - 1)).is_some(), "{code} {zone} day {day} before {start}");
                            assert_eq!(window.closed(at(start)), None, "{code} {zone} day {day} at {start}");
                            assert_eq!(window.closed(at(end - 1)), None, "{code} {zone} day {day} before {end}");
                            assert!(window.closed(at(end)).is_some(), "{code} {zone} day {day} at {end}");
                        }
                        None => {
                            let why = if holiday {
                                Closed::Holiday(jurisdiction.clone())
                            } else {
                                Closed::ClosedDay(jurisdiction.clone())
                            };
                            assert_eq!(window.closed(at(12 * 60)), Some(why), "{code} {zone} day {day}");
                        }
                    }
                }
                // Thanksgiving (day 24) closes the rows that close on holidays.
                let thanksgiving = clock.utc_for_local(24, 12 * 60);
                let expected = row.closed_on_holidays.then(|| Closed::Holiday(jurisdiction.clone()));
                assert_eq!(window.closed(thanksgiving), expected, "{code} {zone} Thanksgiving");
            }
        }
    }

    fn hours_unset() -> TimeWindow {
        hours(0, 24)
    }

    /// A send must be legal in every zone of a split area code: Florida's
    /// 850 closes at 19:00 Central (20:00 on its Eastern side), Tennessee's
    /// 423 at 20:00 Central under the federal window (21:00 Eastern), and
    /// Idaho's 208 opens at 08:00 Pacific (09:00 Mountain).
    #[test]
    fn every_zone_of_a_split_area_code_applies() {
        let mut policies = defaults::policies();
        policies.quiet_hours = None;
        let calendar = Calendar::new(november(), 30);
        for (code, state, (open, close), home_zone) in [
            (850, "FL", (8 * 60, 19 * 60), "America/Chicago"),
            (448, "FL", (8 * 60, 19 * 60), "America/Chicago"),
            (423, "TN", (8 * 60, 20 * 60), "America/Chicago"),
            (208, "ID", (9 * 60, 21 * 60), "America/Boise"),
        ] {
            let area = crate::cohort::area_code(code).unwrap();
            let zones: Vec<ZoneClock> = [Some(area.time_zone), area.also_time_zone]
                .into_iter()
                .flatten()
                .map(|zone| clock_from(crate::places::TIME_ZONES[usize::from(zone)], november()))
                .collect();
            let window = SendWindow::new(&policies, state, zones.iter().collect(), &calendar);
            // Tuesday 3 November, in the zone the hours above are given in.
            let home = clock_from(home_zone, november());
            let at = |minute: u16| home.utc_for_local(1, minute);
            assert!(window.closed(at(open - 1)).is_some(), "{code} before {open}");
            assert_eq!(window.closed(at(open)), None, "{code} at {open}");
            assert_eq!(window.closed(at(close - 1)), None, "{code} before {close}");
            assert!(window.closed(at(close)).is_some(), "{code} at {close}");
            assert_eq!(
                window.next_open(at(close)),
                Some(home.utc_for_local(2, open)),
                "{code} defers to the next morning"
            );
        }
    }

    #[test]
    fn texas_opens_at_nine_and_at_noon_on_sundays() {
        let mut policies = defaults::policies();
        policies.quiet_hours = None;
        let calendar = Calendar::new(march(), 30);
        let chicago = clock("America/Chicago");
        let texas = SendWindow::new(&policies, "TX", vec![&chicago], &calendar);
        let sunday = |hour: u16| chicago.utc_for_local(6, hour * 60);
        assert_eq!(texas.closed(sunday(11)), Some(Closed::LegalHours(state("TX"))));
        assert_eq!(texas.closed(sunday(12)), None);
        assert_eq!(texas.closed(chicago.utc_for_local(5, 8 * 60 + 59)), Some(Closed::LegalHours(state("TX"))));
        assert_eq!(texas.closed(chicago.utc_for_local(5, 9 * 60)), None, "Saturday opens at 09:00");
        assert_eq!(texas.next_open(sunday(9)), Some(sunday(12)));
    }

    #[test]
    fn a_closed_sunday_before_a_holiday_defers_to_tuesday() {
        let mut policies = defaults::policies();
        policies.quiet_hours = None;
        // Rhode Island, 2027: Saturday 7 August closes at 17:00, Sunday is closed, Monday 9 August is Victory Day.
        let start = NaiveDate::from_ymd_opt(2027, 8, 2).unwrap();
        let calendar = Calendar::new(start, 30);
        let new_york = clock_from("America/New_York", start);
        let rhode_island = SendWindow::new(&policies, "RI", vec![&new_york], &calendar);
        let saturday_evening = new_york.utc_for_local(5, 17 * 60);
        assert_eq!(rhode_island.closed(saturday_evening), Some(Closed::LegalHours(state("RI"))));
        assert_eq!(rhode_island.next_open(saturday_evening), Some(new_york.utc_for_local(8, 9 * 60)));
        assert_eq!(rhode_island.last_open(new_york.utc_for_local(7, 12 * 60)), Some(saturday_evening - 1));
    }

    #[test]
    fn a_mismatched_profile_zone_makes_the_stricter_window_apply() {
        let mut policies = defaults::policies();
        policies.quiet_hours = None;
        let calendar = Calendar::new(march(), 30);
        let (new_york, los_angeles) = (clock("America/New_York"), clock("America/Los_Angeles"));
        let both = SendWindow::new(&policies, "NY", vec![&new_york, &los_angeles], &calendar);
        // 09:00 in New York is 06:00 in Los Angeles: closed until 08:00 Pacific, 11:00 Eastern.
        let nine_eastern = new_york.utc_for_local(1, 9 * 60);
        assert_eq!(both.closed(nine_eastern), Some(Closed::LegalHours(Jurisdiction::Federal)));
        assert_eq!(both.next_open(nine_eastern), Some(new_york.utc_for_local(1, 11 * 60)));
        // 20:30 Eastern is open in Los Angeles but not New York.
        assert!(both.closed(new_york.utc_for_local(1, 21 * 60 + 30)).is_some());
    }

    #[test]
    fn deferring_and_advancing_land_on_open_minutes_across_the_dst_switch() {
        let policies = defaults::policies();
        let calendar = Calendar::new(march(), 30);
        let new_york = clock("America/New_York");
        let window = SendWindow::new(&policies, "NY", vec![&new_york], &calendar);
        // Saturday 7 March 22:00 EST: the next open minute is Sunday 09:00 EDT, after the switch.
        let late_saturday = new_york.utc_for_local(5, 22 * 60);
        let sunday_morning = new_york.utc_for_local(6, 9 * 60);
        assert_eq!(window.next_open(late_saturday), Some(sunday_morning));
        assert_eq!(new_york.offset_at(sunday_morning), -240);
        assert_eq!(window.last_open(late_saturday), Some(new_york.utc_for_local(5, 20 * 60) - 1));
        assert_eq!(window.next_open(sunday_morning + 5), Some(sunday_morning + 5));
    }

    #[test]
    fn next_and_last_open_agree_with_a_minute_by_minute_search() {
        let mut policies = defaults::policies();
        policies.quiet_hours = Some(hours(19, 10));
        for (start, state, zones) in [
            (march(), "TX", ["America/Chicago", "Pacific/Honolulu"]),
            (november(), "PA", ["America/New_York", "America/Chicago"]),
            (november(), "RI", ["America/New_York", "America/Los_Angeles"]),
            (november(), "UT", ["America/Denver", "America/Phoenix"]),
        ] {
            let calendar = Calendar::new(start, 30);
            let (first, second) = (clock_from(zones[0], start), clock_from(zones[1], start));
            let window = SendWindow::new(&policies, state, vec![&first, &second], &calendar);
            for start in (0..DAYS - 5 * 24 * 60).step_by(97) {
                let scanned_next = (start..start + 4 * 24 * 60).find(|&at| window.closed(at).is_none());
                assert_eq!(window.next_open(start), scanned_next, "{state}: next after {start}");
                let scanned_last =
                    (start.saturating_sub(4 * 24 * 60)..=start).rev().find(|&at| window.closed(at).is_none());
                if start >= 4 * 24 * 60 {
                    assert_eq!(window.last_open(start), scanned_last, "{state}: last before {start}");
                }
            }
        }
    }
}
