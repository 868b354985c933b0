//! When an SMS may reach a contact: the journey's quiet hours and the legal
//! windows that bind the contact (federal, and the state of the phone's area
//! code), read in the recipient's local time.
//!
//! Where the phone's zone and the profile's zone disagree, the SMS must be
//! allowed in both local times, which is the stricter of the two. Frequency
//! caps, collisions and cooldowns depend on what was sent before, so the
//! simulator applies them; this module answers only "may it go at this
//! minute, and if not, why and when instead?".

use crate::local_time::ZoneClock;
use crate::model::{Jurisdiction, LegalWindow, MINUTES_PER_DAY, Policies, TimeWindow};

/// Why a minute is closed to SMS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Closed {
    QuietHours,
    /// Outside a legal window's allowed hours.
    LegalHours(Jurisdiction),
    /// A Sunday before the legal window's Sunday start.
    SundayStart(Jurisdiction),
}

/// The daily rules for one contact, with the clocks to read them in.
pub struct SendWindow<'a> {
    quiet_hours: Option<TimeWindow>,
    legal: Vec<&'a LegalWindow>,
    clocks: Vec<&'a ZoneClock>,
}

const SUNDAY: u8 = 6;

impl<'a> SendWindow<'a> {
    /// The rules for a contact whose phone is in `state` (a two-letter code)
    /// and whose local time is read on every clock in `clocks` (the phone's
    /// zone and, when it differs, the profile's).
    pub fn new(policies: &'a Policies, state: &str, clocks: Vec<&'a ZoneClock>) -> SendWindow<'a> {
        let legal = policies.legal_windows.iter().filter(|window| window.binds(state)).collect();
        SendWindow { quiet_hours: policies.quiet_hours, legal, clocks }
    }

    /// Why `utc` is closed, or `None` when an SMS may go.
    pub fn closed(&self, utc: u32) -> Option<Closed> {
        self.clocks.iter().find_map(|clock| {
            let local = clock.local(utc);
            if self.quiet_hours.is_some_and(|quiet| quiet.contains(local.minute_of_day)) {
                return Some(Closed::QuietHours);
            }
            self.legal.iter().find_map(|window| {
                if !window.allowed.contains(local.minute_of_day) {
                    Some(Closed::LegalHours(window.jurisdiction.clone()))
                } else if local.weekday == SUNDAY
                    && window.sunday_start_minute.is_some_and(|start| local.minute_of_day < start)
                {
                    Some(Closed::SundayStart(window.jurisdiction.clone()))
                } else {
                    None
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
        for window in &self.legal {
            minutes.push(if opening { window.allowed.start_minute } else { window.allowed.end_minute });
            if let (true, Some(start)) = (opening, window.sunday_start_minute) {
                minutes.push(start);
            }
        }
        minutes
    }

    /// Simulated minutes, around local day of `utc` on every clock, at which
    /// a rule opens (or, for closing, the minute before one closes).
    fn candidates(&self, utc: u32, opening: bool) -> Vec<u32> {
        let boundaries = self.boundaries(opening);
        let mut candidates = vec![utc];
        for clock in &self.clocks {
            let today = clock.local(utc).day;
            for day in today - 2..=today + 2 {
                for &minute in &boundaries {
                    let at = clock.utc_for_local(day, minute % MINUTES_PER_DAY);
                    candidates.push(if opening { at } else { at.saturating_sub(1) });
                }
            }
        }
        candidates
    }

    /// The first open minute at or after `utc`, if there is one within two days.
    pub fn next_open(&self, utc: u32) -> Option<u32> {
        let mut candidates: Vec<u32> = self.candidates(utc, true).into_iter().filter(|&at| at >= utc).collect();
        candidates.sort_unstable();
        candidates.into_iter().find(|&at| self.closed(at).is_none())
    }

    /// The last open minute at or before `utc`, if there is one within two days.
    pub fn last_open(&self, utc: u32) -> Option<u32> {
        let mut candidates: Vec<u32> = self.candidates(utc, false).into_iter().filter(|&at| at <= utc).collect();
        candidates.sort_unstable_by(|a, b| b.cmp(a));
        candidates.into_iter().find(|&at| self.closed(at).is_none())
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::defaults;
    use crate::local_time::ZoneClock;

    const DAYS: u32 = 30 * 24 * 60;

    /// 2 March 2026 is a Monday; US clocks go forward on Sunday 8 March.
    fn clock(zone: &str) -> ZoneClock {
        ZoneClock::new(zone, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), DAYS).unwrap()
    }

    fn hours(start: u16, end: u16) -> TimeWindow {
        TimeWindow { start_minute: start * 60, end_minute: end * 60 }
    }

    #[test]
    fn quiet_hours_and_legal_windows_in_local_time() {
        let policies = defaults::policies(); // quiet 20:00–09:00; federal 08:00–21:00; FL 08:00–20:00
        let new_york = clock("America/New_York");
        let florida = SendWindow::new(&policies, "FL", vec![&new_york]);
        let tuesday = |hour: u16| new_york.utc_for_local(1, hour * 60);
        assert_eq!(florida.closed(tuesday(8)), Some(Closed::QuietHours));
        assert_eq!(florida.closed(tuesday(9)), None);
        assert_eq!(florida.closed(tuesday(19) + 59), None);
        assert_eq!(florida.closed(tuesday(20)), Some(Closed::QuietHours));

        let mut no_quiet = policies.clone();
        no_quiet.quiet_hours = None;
        let florida = SendWindow::new(&no_quiet, "FL", vec![&new_york]);
        assert_eq!(florida.closed(tuesday(7)), Some(Closed::LegalHours(Jurisdiction::Federal)));
        assert_eq!(florida.closed(tuesday(20)), Some(Closed::LegalHours(Jurisdiction::State("FL".into()))));
        let new_jersey = SendWindow::new(&no_quiet, "NJ", vec![&new_york]);
        assert_eq!(new_jersey.closed(tuesday(20)), None, "only the federal window binds NJ");
    }

    #[test]
    fn texas_sundays_start_at_noon() {
        let mut policies = defaults::policies();
        policies.quiet_hours = None;
        let chicago = clock("America/Chicago");
        let texas = SendWindow::new(&policies, "TX", vec![&chicago]);
        let sunday = |hour: u16| chicago.utc_for_local(6, hour * 60);
        assert_eq!(texas.closed(sunday(11)), Some(Closed::SundayStart(Jurisdiction::State("TX".into()))));
        assert_eq!(texas.closed(sunday(12)), None);
        assert_eq!(texas.closed(chicago.utc_for_local(5, 11 * 60)), None, "Saturday morning is open");
        assert_eq!(texas.next_open(sunday(9)), Some(sunday(12)));
    }

    #[test]
    fn a_mismatched_profile_zone_makes_the_stricter_window_apply() {
        let mut policies = defaults::policies();
        policies.quiet_hours = None;
        let (new_york, los_angeles) = (clock("America/New_York"), clock("America/Los_Angeles"));
        let both = SendWindow::new(&policies, "NY", vec![&new_york, &los_angeles]);
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
        let new_york = clock("America/New_York");
        let window = SendWindow::new(&policies, "NY", vec![&new_york]);
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
        let (chicago, honolulu) = (clock("America/Chicago"), clock("Pacific/Honolulu"));
        let window = SendWindow::new(&policies, "TX", vec![&chicago, &honolulu]);
        for start in (0..DAYS - 3 * 24 * 60).step_by(97) {
            let scanned_next = (start..start + 2 * 24 * 60).find(|&at| window.closed(at).is_none());
            assert_eq!(window.next_open(start), scanned_next, "next after {start}");
            let scanned_last =
                (start.saturating_sub(2 * 24 * 60)..=start).rev().find(|&at| window.closed(at).is_none());
            if start >= 2 * 24 * 60 {
                assert_eq!(window.last_open(start), scanned_last, "last before {start}");
            }
        }
    }
}
