//! Local time for recipients and owners, daylight-saving correct.
//!
//! The simulator counts time in minutes since its start instant (UTC).
//! Quiet hours, legal windows, send times and coverage hours are all local,
//! so each supported zone gets a [`ZoneClock`]: its UTC offsets over the
//! simulated period, read once from the real time-zone database
//! (`chrono-tz`), after which converting a minute either way is a lookup.

use chrono::{Datelike, Duration, NaiveDate, Offset, TimeZone};
use chrono_tz::Tz;

use crate::model::MINUTES_PER_DAY;
use crate::places::TIME_ZONES;

/// A moment as a person in one zone sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalMoment {
    /// Local calendar days since the simulation's start date (may be -1 just
    /// after the start in zones west of UTC).
    pub day: i32,
    /// Minutes after local midnight.
    pub minute_of_day: u16,
    /// 0 for Monday to 6 for Sunday.
    pub weekday: u8,
}

/// One zone's UTC offsets over a simulated period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneClock {
    /// The start date's weekday (0 = Monday).
    start_weekday: u8,
    /// (first simulated minute, offset from UTC in minutes), by minute; the first is at 0.
    offsets: Vec<(u32, i32)>,
}

impl ZoneClock {
    /// The clock of `zone` (an IANA name from [`TIME_ZONES`]) for `minutes`
    /// minutes from midnight UTC at the start of `start`. `None` for a zone
    /// Tandem does not carry.
    pub fn new(zone: &str, start: NaiveDate, minutes: u32) -> Option<ZoneClock> {
        if !TIME_ZONES.contains(&zone) {
            return None;
        }
        let tz: Tz = zone.parse().ok()?;
        let origin = start.and_hms_opt(0, 0, 0)?;
        let offset_at = |minute: u32| -> i32 {
            let instant = origin + Duration::minutes(i64::from(minute));
            tz.offset_from_utc_datetime(&instant).fix().local_minus_utc() / 60
        };
        // A zone changes its offset at most once a day: check once a day,
        // then find the exact minute of a change by bisection.
        const DAY: u32 = MINUTES_PER_DAY as u32;
        let mut offsets = vec![(0, offset_at(0))];
        let mut at = DAY;
        while at <= minutes.saturating_add(DAY) {
            let previous = offsets.last().expect("starts with one").1;
            if offset_at(at) != previous {
                let (mut low, mut high) = (at - DAY, at);
                while high - low > 1 {
                    let middle = (low + high) / 2;
                    if offset_at(middle) == previous { low = middle } else { high = middle }
                }
                offsets.push((high, offset_at(high)));
            }
            at += DAY;
        }
        Some(ZoneClock { start_weekday: start.weekday().num_days_from_monday() as u8, offsets })
    }

    /// The offset from UTC, in minutes, at simulated minute `utc`.
    pub fn offset_at(&self, utc: u32) -> i32 {
        let index = self.offsets.partition_point(|(from, _)| *from <= utc);
        self.offsets[index.saturating_sub(1)].1
    }

    /// What the local clock and calendar show at simulated minute `utc`.
    pub fn local(&self, utc: u32) -> LocalMoment {
        let local = i64::from(utc) + i64::from(self.offset_at(utc));
        let minutes_per_day = i64::from(MINUTES_PER_DAY);
        let day = local.div_euclid(minutes_per_day);
        LocalMoment {
            day: day as i32,
            minute_of_day: local.rem_euclid(minutes_per_day) as u16,
            weekday: (i64::from(self.start_weekday) + day).rem_euclid(7) as u8,
        }
    }

    /// The first simulated minute at which the local clock shows `day` at
    /// `minute_of_day`. A time skipped when clocks go forward maps to the
    /// moment the clocks jump; a time repeated when they go back maps to its
    /// first occurrence. Times before the start map to minute 0.
    pub fn utc_for_local(&self, day: i32, minute_of_day: u16) -> u32 {
        let wanted = i64::from(day) * i64::from(MINUTES_PER_DAY) + i64::from(minute_of_day);
        for (index, &(from, offset)) in self.offsets.iter().enumerate() {
            let utc = wanted - i64::from(offset);
            let until = self.offsets.get(index + 1).map_or(i64::MAX, |next| i64::from(next.0));
            if utc < i64::from(from) {
                // Skipped by a forward jump (or before the start): the jump itself.
                return from;
            }
            if utc < until {
                return utc.clamp(0, i64::from(u32::MAX)) as u32;
            }
        }
        unreachable!("the last offset runs forever")
    }
}

/// Clocks for every zone in [`TIME_ZONES`], by index.
pub fn clocks(start: NaiveDate, minutes: u32) -> Vec<ZoneClock> {
    TIME_ZONES
        .iter()
        .map(|zone| ZoneClock::new(zone, start, minutes).expect("every listed zone is compiled in"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    /// Minutes from `start` midnight UTC to the given UTC date and time.
    fn at(start: NaiveDate, day: NaiveDate, hour: i64, minute: i64) -> u32 {
        ((day - start).num_minutes() + hour * 60 + minute) as u32
    }

    const NINETY_DAYS: u32 = 90 * 24 * 60;

    #[test]
    fn every_supported_zone_has_a_clock() {
        assert_eq!(clocks(date(2026, 3, 2), NINETY_DAYS).len(), TIME_ZONES.len());
        assert!(ZoneClock::new("Europe/Paris", date(2026, 3, 2), NINETY_DAYS).is_none(), "not a Tandem zone");
    }

    #[test]
    fn spring_forward_in_new_york_and_not_in_phoenix() {
        let start = date(2026, 3, 2); // a Monday; US clocks go forward on Sunday 8 March 2026 at 02:00.
        let new_york = ZoneClock::new("America/New_York", start, NINETY_DAYS).unwrap();
        let phoenix = ZoneClock::new("America/Phoenix", start, NINETY_DAYS).unwrap();
        let before = at(start, date(2026, 3, 8), 6, 59); // 01:59 EST
        let after = at(start, date(2026, 3, 8), 7, 0); // 03:00 EDT
        assert_eq!(new_york.local(before), LocalMoment { day: 6, minute_of_day: 60 + 59, weekday: 6 });
        assert_eq!(new_york.local(after), LocalMoment { day: 6, minute_of_day: 3 * 60, weekday: 6 });
        assert_eq!((new_york.offset_at(before), new_york.offset_at(after)), (-300, -240));
        assert_eq!((phoenix.offset_at(before), phoenix.offset_at(after)), (-420, -420));
        // 02:30 does not exist that night: it maps to the jump, 03:00 EDT.
        assert_eq!(new_york.utc_for_local(6, 2 * 60 + 30), after);
        // 10:00 local is 15:00 UTC the Friday before, 14:00 UTC the Monday after.
        assert_eq!(new_york.utc_for_local(4, 600), at(start, date(2026, 3, 6), 15, 0));
        assert_eq!(new_york.utc_for_local(7, 600), at(start, date(2026, 3, 9), 14, 0));
    }

    #[test]
    fn fall_back_maps_a_repeated_hour_to_its_first_occurrence() {
        let start = date(2026, 10, 26); // US clocks go back on Sunday 1 November 2026 at 02:00.
        let chicago = ZoneClock::new("America/Chicago", start, NINETY_DAYS).unwrap();
        let first = at(start, date(2026, 11, 1), 6, 30); // 01:30 CDT
        let second = at(start, date(2026, 11, 1), 7, 30); // 01:30 CST
        assert_eq!(chicago.local(first).minute_of_day, 90);
        assert_eq!(chicago.local(second).minute_of_day, 90);
        assert_eq!(chicago.utc_for_local(6, 90), first);
    }

    #[test]
    fn local_days_and_weekdays_follow_the_calendar_west_of_utc() {
        let start = date(2026, 3, 2);
        let los_angeles = ZoneClock::new("America/Los_Angeles", start, NINETY_DAYS).unwrap();
        assert_eq!(los_angeles.local(0), LocalMoment { day: -1, minute_of_day: 16 * 60, weekday: 6 });
        let honolulu = ZoneClock::new("Pacific/Honolulu", start, NINETY_DAYS).unwrap();
        assert_eq!(honolulu.offsets.len(), 1, "Hawaii keeps one offset all year");
    }

    #[test]
    fn converting_there_and_back_lands_on_the_first_minute_showing_that_time() {
        let start = date(2026, 3, 2);
        for clock in clocks(start, NINETY_DAYS) {
            for utc in (0..NINETY_DAYS).step_by(37) {
                let local = clock.local(utc);
                let back = clock.utc_for_local(local.day, local.minute_of_day);
                assert!(back <= utc, "{clock:?} at {utc}");
                assert_eq!(clock.local(back), local, "{clock:?} at {utc}");
            }
        }
    }
}
