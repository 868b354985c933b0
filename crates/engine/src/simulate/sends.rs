//! The sends log: every message attempt of a run as a plain record, for
//! reviewers who audit a forecast send by send. [`SendLog`] is an
//! [`Observer`], so it hears the same loop the tally counts and hands each
//! record on as it happens (nothing is kept, so memory does not grow with
//! the cohort); block reasons are the engine's own words ([`Block::reason`]).

use chrono::NaiveDate;
use serde::Serialize;

use crate::caps::Touches;
use crate::model::MINUTES_PER_DAY;
use crate::places::{TIME_ZONES, US_STATES};

use super::Simulation;
use super::happening::{Block, ContactStart, Happening, Observer, Resolution};
use super::plan::Plan;

/// One attempt to send a message: an email sent or held back by a cap, an
/// SMS sent or blocked. Fields are in the order a log writes them; see
/// `docs/simulation.md`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SendRecord<'p> {
    /// The contact's number in the whole cohort.
    pub contact: u32,
    /// Simulated minute, UTC minutes since day 0.
    pub minute: u32,
    /// The same minute as `YYYY-MM-DDTHH:MMZ`.
    pub utc: String,
    /// `email` or `sms`.
    pub channel: &'static str,
    /// The step's id (email) or the touchpoint's id (SMS).
    pub message: &'p str,
    /// `sent`, `deferred`, `advanced`, `skipped`, `dropped` or `expired`.
    pub outcome: &'static str,
    /// Why it did not go now, for every outcome but `sent`.
    pub reason: Option<String>,
    /// The minute it was moved to, for `deferred` and `advanced`.
    pub moved_to: Option<u32>,
    pub area_code: u16,
    /// The area code's state (two letters), if it is a US one.
    pub state: Option<&'static str>,
    pub phone_time_zone: &'static str,
    /// `YYYY-MM-DDTHH:MM` on the phone's clock.
    pub phone_local: String,
    pub profile_time_zone: &'static str,
    /// `YYYY-MM-DDTHH:MM` on the profile zone's clock.
    pub profile_local: String,
}

impl SendRecord<'_> {
    /// The names of the fields, in order: a CSV log's header.
    pub const COLUMNS: [&'static str; 14] = [
        "contact",
        "minute",
        "utc",
        "channel",
        "message",
        "outcome",
        "reason",
        "moved_to",
        "area_code",
        "state",
        "phone_time_zone",
        "phone_local",
        "profile_time_zone",
        "profile_local",
    ];
}

/// Hands every message attempt of a run to `write` as a [`SendRecord`].
pub struct SendLog<'p, F> {
    plan: &'p Plan,
    contact: Option<ContactStart>,
    write: F,
}

impl Simulation {
    /// An observer for [`Simulation::run_with`] that gives `write` each message attempt.
    pub fn sends_log<F: FnMut(SendRecord<'_>)>(&self, write: F) -> SendLog<'_, F> {
        SendLog { plan: &self.plan, contact: None, write }
    }
}

/// What became of an attempt, why, and the minute it moved to.
type Outcome = (&'static str, Option<Block>, Option<u32>);

/// `YYYY-MM-DDTHH:MM` for a day after `start` and a minute of that day.
fn date_time(start: NaiveDate, day: i32, minute_of_day: u16) -> String {
    let date = start + chrono::Duration::days(i64::from(day));
    format!("{date}T{:02}:{:02}", minute_of_day / 60, minute_of_day % 60)
}

impl<'p, F: FnMut(SendRecord<'_>)> SendLog<'p, F> {
    fn email(&self, step: u16) -> &'p str {
        &self.plan.run.steps[usize::from(step)].id.0
    }

    fn sms(&self, touchpoint: u16) -> &'p str {
        &self.plan.run.touchpoints[usize::from(touchpoint)].id.0
    }

    fn record(&mut self, at: u32, channel: &'static str, message: &'p str, outcome: Outcome) {
        let (Some(contact), plan) = (self.contact, self.plan) else { return };
        let start = plan.run.settings.start;
        let day = u32::from(MINUTES_PER_DAY);
        let local = |zone: u8| {
            let moment = plan.clocks[usize::from(zone)].local(at);
            date_time(start, moment.day, moment.minute_of_day)
        };
        let (outcome, block, moved_to) = outcome;
        (self.write)(SendRecord {
            contact: contact.contact,
            minute: at,
            utc: format!("{}Z", date_time(start, (at / day) as i32, (at % day) as u16)),
            channel,
            message,
            outcome,
            reason: block.map(|block| block.reason(plan)),
            moved_to,
            area_code: contact.area_code,
            state: contact.state.map(|state| US_STATES[usize::from(state)]),
            phone_time_zone: TIME_ZONES[usize::from(contact.phone_time_zone)],
            phone_local: local(contact.phone_time_zone),
            profile_time_zone: TIME_ZONES[usize::from(contact.profile_time_zone)],
            profile_local: local(contact.profile_time_zone),
        });
    }
}

impl<'p, F: FnMut(SendRecord<'_>)> Observer for SendLog<'p, F> {
    fn begin(&mut self, contact: &ContactStart) {
        self.contact = Some(*contact);
    }

    fn note(&mut self, at: u32, happening: Happening) {
        match happening {
            Happening::EmailSent { step } => self.record(at, "email", self.email(step), ("sent", None, None)),
            Happening::EmailHeld { step, block, until: Some(until) } => {
                self.record(at, "email", self.email(step), ("deferred", Some(block), Some(until)));
            }
            Happening::EmailHeld { step, block, until: None } => {
                self.record(at, "email", self.email(step), ("expired", Some(block), None));
            }
            Happening::SmsSent { touchpoint, .. } => self.record(at, "sms", self.sms(touchpoint), ("sent", None, None)),
            Happening::SmsBlocked { touchpoint, block, resolution } => {
                let outcome = match resolution {
                    Resolution::Deferred(to) => ("deferred", Some(block), Some(to)),
                    Resolution::Advanced(to) => ("advanced", Some(block), Some(to)),
                    Resolution::Skipped => ("skipped", Some(block), None),
                    Resolution::Dropped => ("dropped", Some(block), None),
                    Resolution::Expired => ("expired", Some(block), None),
                };
                self.record(at, "sms", self.sms(touchpoint), outcome);
            }
            _ => {}
        }
    }

    fn end(&mut self, _: &Touches) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attempt_is_logged_with_the_columns_in_order() {
        let simulation = super::super::golden();
        let (mut records, mut partial) = (Vec::new(), simulation.empty());
        let mut log = simulation.sends_log(|record| records.push(serde_json::to_value(record).unwrap()));
        simulation.run_with(0..2_000, &mut (&mut partial, &mut log));
        let result = simulation.finish(partial);
        let count = |channel: &str, outcome: &str| {
            records.iter().filter(|record| record["channel"] == channel && record["outcome"] == outcome).count() as u64
        };
        assert_eq!(count("email", "sent"), result.totals.emails_sent);
        assert_eq!(count("sms", "sent"), result.totals.sms_sent);
        let sms_blocked = records.iter().filter(|record| record["channel"] == "sms" && record["outcome"] != "sent");
        assert_eq!(sms_blocked.count() as u64, result.totals.sms_blocks);
        let keys: Vec<&str> = records[0].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, SendRecord::COLUMNS);
        let moved = records.iter().filter(|record| record["moved_to"].is_u64());
        assert!(moved.clone().count() > 0 && moved.clone().all(|record| record["reason"].is_string()));
        assert!(records.iter().all(|record| record["utc"].as_str().unwrap().ends_with('Z')));
    }
}
