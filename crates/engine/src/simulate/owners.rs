//! Sales' side of a run: every routed reply goes to an owner by the
//! journey's assignment rule, waits for the owner's coverage hours and for
//! the replies ahead of it, and is answered. This is the one pass across
//! contacts; replies are taken in the order they arrive (ties by contact
//! number), so it is as deterministic as the rest.

use crate::local_time::ZoneClock;
use crate::model::{Assignment, Owner};
use crate::places::TIME_ZONES;

use super::plan::Plan;
use super::result::{OwnerLoad, SlaAttainment, share};

/// A reply that goes to Sales.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub(super) struct ReplyRecord {
    pub at: u32,
    pub contact: u32,
    pub account_owner: u8,
    pub territory: Option<u8>,
    pub high_intent: bool,
}

/// The first minute at or after `at` inside the owner's coverage.
fn next_covered(owner: &Owner, clock: &ZoneClock, at: u32) -> u32 {
    let mut at = at;
    for _ in 0..16 {
        let local = clock.local(at);
        let weekend = owner.weekdays_only && local.weekday >= 5;
        if !weekend && owner.coverage.contains(local.minute_of_day) {
            return at;
        }
        let day = if weekend || local.minute_of_day >= owner.coverage.start_minute { local.day + 1 } else { local.day };
        at = clock.utc_for_local(day, owner.coverage.start_minute).max(at + 1);
    }
    at
}

/// Owner load and SLA attainment, and how many replies found no owner.
pub(super) fn answer(plan: &Plan, mut replies: Vec<ReplyRecord>) -> (Vec<OwnerLoad>, Vec<SlaAttainment>, u64) {
    replies.sort_unstable();
    let routing = &plan.run.routing;
    let owners = &routing.owners;
    let backup = routing.backup_owner.as_ref().and_then(|id| owners.iter().position(|owner| &owner.id == id));
    let clocks: Vec<&ZoneClock> = owners
        .iter()
        .map(|owner| {
            let zone = TIME_ZONES.iter().position(|zone| *zone == owner.time_zone).unwrap_or(0);
            &plan.clocks[zone]
        })
        .collect();
    let by_territory: Vec<Vec<usize>> = plan
        .run
        .territories
        .iter()
        .map(|name| (0..owners.len()).filter(|&owner| &owners[owner].territory == name).collect())
        .collect();
    let everyone: Vec<usize> = (0..owners.len()).collect();
    let mut turn = vec![0usize; plan.run.territories.len() + 1];
    let mut free_at = vec![0u32; owners.len()];
    let mut loads: Vec<OwnerLoad> = owners
        .iter()
        .map(|owner| OwnerLoad {
            id: owner.id.0.clone(),
            name: owner.name.clone(),
            time_zone: owner.time_zone.clone(),
            coverage_start_minute: owner.coverage.start_minute,
            coverage_end_minute: owner.coverage.end_minute,
            weekdays_only: owner.weekdays_only,
            replies: 0,
            arrivals_by_local_hour: vec![0; 24],
            arrived_outside_coverage: 0,
            within_sla: 0,
            median_minutes_to_answer: 0,
            p90_minutes_to_answer: 0,
        })
        .collect();
    let mut waits: Vec<Vec<u32>> = vec![Vec::new(); owners.len()];
    let mut sla = [(routing.sla_minutes_high_intent, 0u64, 0u64), (routing.sla_minutes_other, 0, 0)];
    let mut unrouted = 0;
    let handling = u32::from(plan.run.settings.minutes_per_reply);
    for reply in &replies {
        let owner = match routing.assignment {
            Assignment::AccountOwner => plan
                .run
                .account_owners
                .get(usize::from(reply.account_owner))
                .and_then(|id| owners.iter().position(|owner| &owner.id == id))
                .or(backup),
            Assignment::RoundRobinByTerritory => {
                let slot = reply.territory.map_or(plan.run.territories.len(), usize::from);
                let local = reply.territory.and_then(|territory| by_territory.get(usize::from(territory)));
                let candidates = match (local, backup) {
                    (Some(local), _) if !local.is_empty() => local.as_slice(),
                    (_, Some(backup)) => std::slice::from_ref(&everyone[backup]),
                    _ => everyone.as_slice(),
                };
                let picked = (!candidates.is_empty()).then(|| candidates[turn[slot] % candidates.len()]);
                turn[slot] += 1;
                picked
            }
        };
        let Some(owner) = owner else {
            unrouted += 1;
            continue;
        };
        let clock = clocks[owner];
        let arrival = clock.local(reply.at);
        let load = &mut loads[owner];
        load.replies += 1;
        load.arrivals_by_local_hour[usize::from(arrival.minute_of_day / 60)] += 1;
        let starts = next_covered(&owners[owner], clock, reply.at.max(free_at[owner]));
        if next_covered(&owners[owner], clock, reply.at) != reply.at {
            load.arrived_outside_coverage += 1;
        }
        free_at[owner] = starts + handling;
        let minutes = starts + handling - reply.at;
        waits[owner].push(minutes);
        let group = &mut sla[usize::from(!reply.high_intent)];
        group.1 += 1;
        if minutes <= group.0 {
            group.2 += 1;
            load.within_sla += 1;
        }
    }
    for (load, mut minutes) in loads.iter_mut().zip(waits) {
        minutes.sort_unstable();
        let at = |fraction: f64| minutes.get(((minutes.len() as f64 - 1.0) * fraction).round() as usize).copied();
        load.median_minutes_to_answer = at(0.5).unwrap_or(0);
        load.p90_minutes_to_answer = at(0.9).unwrap_or(0);
    }
    let attainment = ["high intent", "other"]
        .into_iter()
        .zip(sla)
        .map(|(cohort, (sla_minutes, replies, within_sla))| SlaAttainment {
            cohort: cohort.into(),
            sla_minutes,
            replies,
            within_sla,
            share: share(within_sla, replies),
        })
        .collect();
    (loads, attainment, unrouted)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::defaults;

    #[test]
    fn a_reply_outside_coverage_waits_for_the_next_covered_weekday_minute() {
        // Day 0 is Friday 6 March 2026; Ana covers 9:00–17:00 New York time on weekdays.
        let start = NaiveDate::from_ymd_opt(2026, 3, 6).unwrap();
        let clock = ZoneClock::new("America/New_York", start, 10 * 24 * 60).unwrap();
        let ana = &defaults::routing().owners[0];
        let friday_noon = clock.utc_for_local(0, 12 * 60);
        assert_eq!(next_covered(ana, &clock, friday_noon), friday_noon);
        let friday_evening = clock.utc_for_local(0, 18 * 60);
        // Saturday and Sunday are skipped; Monday is local day 3. DST starts on Sunday 8 March.
        assert_eq!(next_covered(ana, &clock, friday_evening), clock.utc_for_local(3, 9 * 60));
        let monday_dawn = clock.utc_for_local(3, 6 * 60);
        assert_eq!(next_covered(ana, &clock, monday_dawn), clock.utc_for_local(3, 9 * 60));
        assert_eq!(clock.local(clock.utc_for_local(3, 9 * 60)).minute_of_day, 9 * 60);
    }
}
