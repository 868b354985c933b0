//! Where a contact is. A phone number's area code presumes the state its
//! owner lives in (Florida's, Oklahoma's and Connecticut's laws say so), and
//! that state decides the legal window; its time zone decides what "9:00"
//! means. Where a code spans two zones, the share of its people living in
//! each says which zone a contact is likely to live in. The tables come from
//! `data/` and are read and checked while the engine compiles, so looking up
//! an area code at run time is an array index.

use crate::places::{TIME_ZONES, US_STATES};
use crate::table::{Rows, same_text};

/// How many states there are, DC included.
pub(super) const STATE_COUNT: usize = US_STATES.len();

/// One geographic US area code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AreaCode {
    /// The three digits, e.g. 212.
    pub code: u16,
    /// The state, as its index in [`US_STATES`] (which is also its code for
    /// the rules' `state` attribute).
    pub state: u8,
    /// The zone where most of the code's people live, as its index in [`TIME_ZONES`].
    pub time_zone: u8,
    /// The other zone of a code that spans two, where a send must be legal too.
    pub also_time_zone: Option<u8>,
    /// The share of the code's people who live in `also_time_zone`, in
    /// percent (1 to 50); 0 for a code in one zone.
    pub also_time_zone_percent: u8,
}

/// Every geographic US area code in service, in ascending order.
pub fn area_codes() -> &'static [AreaCode] {
    &AREA_CODES
}

/// The area code with these three digits, if it is a geographic US one in service.
pub fn area_code(code: u16) -> Option<AreaCode> {
    let row = *ROW_OF_CODE.get(usize::from(code))?;
    AREA_CODES.get(usize::from(row)).copied()
}

/// The area codes of a state (an index in [`US_STATES`]); empty for an unknown index.
pub(super) fn area_codes_of(state: usize) -> &'static [u16] {
    match (STATE_STARTS.get(state), STATE_STARTS.get(state + 1)) {
        (Some(&start), Some(&end)) => CODES_BY_STATE.get(start..end).unwrap_or(&[]),
        _ => &[],
    }
}

/// Resident population of each state in the 2020 Census, in [`US_STATES`] order.
pub(super) fn state_populations() -> &'static [u32; STATE_COUNT] {
    &STATE_POPULATIONS
}

/// The zone of most of a state's area codes, as an index in [`TIME_ZONES`]:
/// the zone of the state as a whole (Tennessee is Central, Kentucky Eastern).
pub(super) fn state_time_zone(state: usize) -> u8 {
    STATE_TIME_ZONES.get(state).copied().unwrap_or(0)
}

/// A group of time zones that show the same local time all year. A
/// contact's profile zone and phone zone "disagree" when their regions
/// differ; Phoenix is its own region because it keeps standard time all
/// summer while Denver does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Region {
    Eastern,
    Central,
    Mountain,
    Arizona,
    Pacific,
    Alaska,
    Hawaii,
    Atlantic,
    Utc,
}

impl Region {
    pub const COUNT: usize = Region::Utc as usize + 1;

    /// The region of a zone given as its index in [`TIME_ZONES`].
    pub fn of(time_zone: u8) -> Region {
        ZONE_REGIONS.get(usize::from(time_zone)).copied().unwrap_or(Region::Utc)
    }
}

/// The region of every zone Tandem knows, by name.
const REGION_OF_ZONE: [(&str, Region); TIME_ZONES.len()] = [
    ("America/New_York", Region::Eastern),
    ("America/Detroit", Region::Eastern),
    ("America/Indiana/Indianapolis", Region::Eastern),
    ("America/Chicago", Region::Central),
    ("America/Denver", Region::Mountain),
    ("America/Boise", Region::Mountain),
    ("America/Phoenix", Region::Arizona),
    ("America/Los_Angeles", Region::Pacific),
    ("America/Anchorage", Region::Alaska),
    ("Pacific/Honolulu", Region::Hawaii),
    ("America/Puerto_Rico", Region::Atlantic),
    ("UTC", Region::Utc),
];

static ZONE_REGIONS: [Region; TIME_ZONES.len()] = {
    let mut regions = [Region::Utc; TIME_ZONES.len()];
    let mut zone = 0;
    while zone < TIME_ZONES.len() {
        let mut found = false;
        let mut entry = 0;
        while entry < REGION_OF_ZONE.len() {
            let (name, region) = REGION_OF_ZONE[entry];
            if same_text(name, TIME_ZONES[zone]) {
                regions[zone] = region;
                found = true;
            }
            entry += 1;
        }
        if !found {
            panic!("a zone of places::TIME_ZONES has no region in REGION_OF_ZONE");
        }
        zone += 1;
    }
    regions
};

const AREA_CODE_TABLE: &str = include_str!("../../data/us_area_codes.csv");
const AREA_CODE_COUNT: usize = Rows::count(AREA_CODE_TABLE);
const AREA_CODE_ROWS: [AreaCode; AREA_CODE_COUNT] = with_split_shares(read_area_codes());
/// Marks a three-digit number that is not a geographic US area code.
const NO_ROW: u16 = u16::MAX;

static AREA_CODES: [AreaCode; AREA_CODE_COUNT] = AREA_CODE_ROWS;
/// Index in [`AREA_CODES`] of each number below 1000, or [`NO_ROW`].
static ROW_OF_CODE: [u16; 1000] = index_by_code(&AREA_CODE_ROWS);
/// The codes sorted by state, then code: state `s` has `STATE_STARTS[s]..STATE_STARTS[s + 1]`.
static CODES_BY_STATE: [u16; AREA_CODE_COUNT] = group_by_state(&AREA_CODE_ROWS).0;
static STATE_STARTS: [usize; STATE_COUNT + 1] = group_by_state(&AREA_CODE_ROWS).1;
static STATE_TIME_ZONES: [u8; STATE_COUNT] = main_time_zones(&AREA_CODE_ROWS);
static STATE_POPULATIONS: [u32; STATE_COUNT] = read_populations();

const fn read_area_codes() -> [AreaCode; AREA_CODE_COUNT] {
    let mut rows = Rows::of(AREA_CODE_TABLE);
    let mut codes = [AreaCode { code: 0, state: 0, time_zone: 0, also_time_zone: None, also_time_zone_percent: 0 };
        AREA_CODE_COUNT];
    let mut index = 0;
    while let Some([code, state, _nanpa_zone, time_zone, also_time_zone]) = rows.next::<5>() {
        let code = rows.number(code);
        if code < 200 || code > 999 {
            panic!("us_area_codes.csv: an area code is not a number from 200 to 999");
        }
        if index > 0 && code as u16 <= codes[index - 1].code {
            panic!("us_area_codes.csv: area codes must be listed once each, in ascending order");
        }
        let Some(state) = rows.position(state, &US_STATES) else {
            panic!("us_area_codes.csv: a state is not one of places::US_STATES");
        };
        let Some(time_zone) = rows.position(time_zone, &TIME_ZONES) else {
            panic!("us_area_codes.csv: a time zone is not one of places::TIME_ZONES");
        };
        let also_time_zone = if rows.is_empty(also_time_zone) {
            None
        } else {
            match rows.position(also_time_zone, &TIME_ZONES) {
                Some(also) if also != time_zone => Some(also as u8),
                _ => panic!("us_area_codes.csv: also_time_zone is not another zone of places::TIME_ZONES"),
            }
        };
        codes[index] = AreaCode {
            code: code as u16,
            state: state as u8,
            time_zone: time_zone as u8,
            also_time_zone,
            also_time_zone_percent: 0,
        };
        index += 1;
    }
    codes
}

/// The codes with the share of their people in their second zone from
/// `us_split_area_codes.csv`, which must name every code that spans two
/// zones, with that code's zones, and whose percents must follow from the
/// people it lists.
const fn with_split_shares(mut codes: [AreaCode; AREA_CODE_COUNT]) -> [AreaCode; AREA_CODE_COUNT] {
    const TABLE: &str = include_str!("../../data/us_split_area_codes.csv");
    let mut rows = Rows::of(TABLE);
    let mut previous = 0;
    while let Some(
        [code, time_zone, also_time_zone, percent, people, also_people, confidence, counties, also_counties, _],
    ) = rows.next::<10>()
    {
        let code = rows.number(code);
        if code <= previous {
            panic!("us_split_area_codes.csv: area codes must be listed once each, in ascending order");
        }
        previous = code;
        let mut index = 0;
        while index < codes.len() && codes[index].code as u32 != code {
            index += 1;
        }
        if index == codes.len() {
            panic!("us_split_area_codes.csv: an area code is not in us_area_codes.csv");
        }
        let area = codes[index];
        let (Some(time_zone), Some(also_time_zone), Some(also)) =
            (rows.position(time_zone, &TIME_ZONES), rows.position(also_time_zone, &TIME_ZONES), area.also_time_zone)
        else {
            panic!("us_split_area_codes.csv: a code's zones are not its two zones in us_area_codes.csv");
        };
        if time_zone != area.time_zone as usize || also_time_zone != also as usize {
            panic!("us_split_area_codes.csv: a code's zones are not its two zones in us_area_codes.csv");
        }
        let (people, also_people) = (rows.number(people), rows.number(also_people));
        if rows.sum_of_items(counties) != people || rows.sum_of_items(also_counties) != also_people {
            panic!("us_split_area_codes.csv: a people column is not the sum of its county list");
        }
        let percent = rows.number(percent);
        if percent < 1 || percent > 50 {
            panic!(
                "us_split_area_codes.csv: a share is not from 1 to 50 percent (time_zone is where most people live)"
            );
        }
        let total = people as u64 + also_people as u64;
        let rounded = (also_people as u64 * 200 + total) / (total * 2);
        if percent as u64 != if rounded < 1 { 1 } else { rounded } {
            panic!("us_split_area_codes.csv: a percent does not follow from the people it lists");
        }
        if rows.position(confidence, &["high", "medium", "low"]).is_none() {
            panic!("us_split_area_codes.csv: a confidence is not high, medium or low");
        }
        codes[index].also_time_zone_percent = percent as u8;
    }
    let mut index = 0;
    while index < codes.len() {
        if codes[index].also_time_zone.is_some() && codes[index].also_time_zone_percent == 0 {
            panic!("us_split_area_codes.csv: a code spanning two zones in us_area_codes.csv has no row");
        }
        index += 1;
    }
    codes
}

const fn index_by_code(codes: &[AreaCode; AREA_CODE_COUNT]) -> [u16; 1000] {
    let mut rows = [NO_ROW; 1000];
    let mut index = 0;
    while index < codes.len() {
        rows[codes[index].code as usize] = index as u16;
        index += 1;
    }
    rows
}

const fn group_by_state(codes: &[AreaCode; AREA_CODE_COUNT]) -> ([u16; AREA_CODE_COUNT], [usize; STATE_COUNT + 1]) {
    let mut grouped = [0u16; AREA_CODE_COUNT];
    let mut starts = [0usize; STATE_COUNT + 1];
    let mut next = 0;
    let mut state = 0;
    while state < STATE_COUNT {
        starts[state] = next;
        let mut index = 0;
        while index < codes.len() {
            if codes[index].state as usize == state {
                grouped[next] = codes[index].code;
                next += 1;
            }
            index += 1;
        }
        if next == starts[state] {
            panic!("us_area_codes.csv: a state has no area code");
        }
        state += 1;
    }
    starts[STATE_COUNT] = next;
    (grouped, starts)
}

const fn main_time_zones(codes: &[AreaCode; AREA_CODE_COUNT]) -> [u8; STATE_COUNT] {
    let mut zones = [0u8; STATE_COUNT];
    let mut state = 0;
    while state < STATE_COUNT {
        let mut counts = [0usize; TIME_ZONES.len()];
        let mut index = 0;
        while index < codes.len() {
            if codes[index].state as usize == state {
                counts[codes[index].time_zone as usize] += 1;
            }
            index += 1;
        }
        let mut zone = 0;
        while zone < counts.len() {
            if counts[zone] > counts[zones[state] as usize] {
                zones[state] = zone as u8;
            }
            zone += 1;
        }
        state += 1;
    }
    zones
}

const fn read_populations() -> [u32; STATE_COUNT] {
    const TABLE: &str = include_str!("../../data/us_state_population.csv");
    let mut rows = Rows::of(TABLE);
    let mut populations = [0u32; STATE_COUNT];
    let mut index = 0;
    while let Some([state, population]) = rows.next::<2>() {
        if index == STATE_COUNT {
            panic!("us_state_population.csv: more rows than states");
        }
        match rows.position(state, &US_STATES) {
            Some(state) if state == index => {}
            _ => panic!("us_state_population.csv: rows must be the states of places::US_STATES, in its order"),
        }
        populations[index] = rows.number(population);
        index += 1;
    }
    if index != STATE_COUNT {
        panic!("us_state_population.csv: fewer rows than states");
    }
    populations
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state_of(code: u16) -> Option<&'static str> {
        area_code(code).map(|area| US_STATES[usize::from(area.state)])
    }

    fn zone_of(code: u16) -> Option<&'static str> {
        area_code(code).map(|area| TIME_ZONES[usize::from(area.time_zone)])
    }

    #[test]
    fn well_known_area_codes_have_their_state_and_zone() {
        let cases = [
            (212, "NY", "America/New_York"),
            (718, "NY", "America/New_York"),
            (305, "FL", "America/New_York"),
            (786, "FL", "America/New_York"),
            (850, "FL", "America/Chicago"),
            (405, "OK", "America/Chicago"),
            (410, "MD", "America/New_York"),
            (443, "MD", "America/New_York"),
            (203, "CT", "America/New_York"),
            (860, "CT", "America/New_York"),
            (206, "WA", "America/Los_Angeles"),
            (509, "WA", "America/Los_Angeles"),
            (214, "TX", "America/Chicago"),
            (512, "TX", "America/Chicago"),
            (713, "TX", "America/Chicago"),
            (915, "TX", "America/Denver"),
            (907, "AK", "America/Anchorage"),
            (808, "HI", "Pacific/Honolulu"),
            (602, "AZ", "America/Phoenix"),
            (313, "MI", "America/Detroit"),
            (317, "IN", "America/Indiana/Indianapolis"),
            (208, "ID", "America/Boise"),
            (202, "DC", "America/New_York"),
        ];
        for (code, state, zone) in cases {
            assert_eq!((state_of(code), zone_of(code)), (Some(state), Some(zone)), "{code}");
        }
    }

    #[test]
    fn codes_spanning_two_zones_name_both() {
        let zones = |code: u16| {
            area_code(code).map(|area| {
                (TIME_ZONES[usize::from(area.time_zone)], area.also_time_zone.map(|zone| TIME_ZONES[usize::from(zone)]))
            })
        };
        let cases = [
            (850, "America/Chicago", Some("America/New_York")),
            (448, "America/Chicago", Some("America/New_York")),
            (219, "America/Chicago", Some("America/Indiana/Indianapolis")),
            (270, "America/Chicago", Some("America/New_York")),
            (364, "America/Chicago", Some("America/New_York")),
            (423, "America/New_York", Some("America/Chicago")),
            (208, "America/Boise", Some("America/Los_Angeles")),
            (605, "America/Chicago", Some("America/Denver")),
            (701, "America/Chicago", Some("America/Denver")),
            (775, "America/Los_Angeles", Some("America/Denver")),
            (305, "America/New_York", None),
            (212, "America/New_York", None),
        ];
        for (code, home, also) in cases {
            assert_eq!(zones(code), Some((home, also)), "{code}");
        }
        assert_eq!(area_codes().iter().filter(|area| area.also_time_zone.is_some()).count(), 23);
    }

    #[test]
    fn codes_spanning_two_zones_say_how_many_of_their_people_live_in_the_second() {
        let percent = |code: u16| area_code(code).map(|area| area.also_time_zone_percent);
        let cases = [(850, 29), (448, 29), (208, 20), (986, 20), (605, 26), (906, 25), (812, 22), (270, 16), (775, 1)];
        for (code, share) in cases {
            assert_eq!(percent(code), Some(share), "{code}");
        }
        for area in area_codes() {
            match area.also_time_zone {
                Some(_) => assert!((1..=50).contains(&area.also_time_zone_percent), "{}", area.code),
                None => assert_eq!(area.also_time_zone_percent, 0, "{}", area.code),
            }
        }
        assert_eq!(percent(305), Some(0));
    }

    #[test]
    fn toll_free_canadian_caribbean_and_territory_codes_are_left_out() {
        for code in [800, 833, 844, 855, 866, 877, 888, 900, 500, 416, 604, 876, 787, 671, 0, 999, 1000, u16::MAX] {
            assert_eq!(area_code(code), None, "{code}");
        }
    }

    #[test]
    fn every_state_has_area_codes_and_every_code_is_under_its_state() {
        assert_eq!(area_codes().len(), 369);
        let mut seen = 0;
        for (state, name) in US_STATES.iter().enumerate() {
            let codes = area_codes_of(state);
            assert!(!codes.is_empty(), "{name}");
            for &code in codes {
                assert_eq!(area_code(code).map(|area| usize::from(area.state)), Some(state));
            }
            seen += codes.len();
        }
        assert_eq!(seen, area_codes().len());
        assert_eq!(area_codes_of(STATE_COUNT), &[] as &[u16]);
        assert_eq!(area_codes_of(3).len(), 4, "Arkansas: 327, 479, 501, 870");
    }

    #[test]
    fn states_take_the_zone_of_most_of_their_area_codes() {
        let zone = |name: &str| {
            let state = US_STATES.iter().position(|state| *state == name).unwrap_or(STATE_COUNT);
            TIME_ZONES[usize::from(state_time_zone(state))]
        };
        assert_eq!(zone("TN"), "America/Chicago");
        assert_eq!(zone("KY"), "America/New_York");
        assert_eq!(zone("FL"), "America/New_York");
        assert_eq!(zone("TX"), "America/Chicago");
        assert_eq!(zone("IN"), "America/Indiana/Indianapolis");
        assert_eq!(zone("AZ"), "America/Phoenix");
    }

    #[test]
    fn populations_add_up_to_the_census_total() {
        let total: u64 = state_populations().iter().map(|&population| u64::from(population)).sum();
        assert_eq!(total, 331_449_281);
    }

    #[test]
    fn zones_sharing_a_clock_share_a_region() {
        let region = |name: &str| Region::of(TIME_ZONES.iter().position(|zone| *zone == name).unwrap() as u8);
        assert_eq!(region("America/Detroit"), region("America/New_York"));
        assert_eq!(region("America/Boise"), region("America/Denver"));
        assert_ne!(region("America/Phoenix"), region("America/Denver"));
        assert_eq!(Region::of(u8::MAX), Region::Utc);
    }
}
