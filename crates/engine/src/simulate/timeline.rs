//! One contact's story in words: [`Simulation::timeline`] re-runs a single
//! contact with a [`Recorder`] listening and tells each [`Happening`] at the
//! contact's local time, with the step, touchpoint, page and policy it
//! concerns. It is what the contact explorer and `tandem-cli simulate
//! --contact` show, and it reads the same loop the tally counts.

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use crate::caps::Touches;
use crate::model::{MINUTES_PER_DAY, Stage};
use crate::places::TIME_ZONES;

use super::Simulation;
use super::contact::Runner;
use super::happening::{
    Block, COLLISION_HOURS, ContactStart, Happening, MAX_DEFERRAL_HOURS, Message, OPT_OUT_CONFIRMATION_MINUTES,
    ORGANIC, Observer, Resolution, STOP_KEYWORDS,
};
use super::plan::Plan;

impl Simulation {
    /// Everything that happens to one contact, in order, with reasons;
    /// `None` past the end of the cohort.
    pub fn timeline(&self, contact: usize) -> Option<ContactTimeline> {
        let cohort = self.synthesizer.generate(contact..contact + 1);
        let view = cohort.contact(0)?;
        let mut recorder = Recorder::default();
        Runner::new(&self.plan, self.plan.run.spec.seed).run(&cohort, 0, &mut recorder);
        let phone_zone = TIME_ZONES.iter().position(|zone| *zone == view.phone_time_zone).unwrap_or(0);
        let clock = &self.plan.clocks[phone_zone];
        let entries = recorder
            .happenings
            .iter()
            .map(|&(at, happening)| {
                let local = clock.local(at);
                let date = self.plan.run.settings.start + chrono::Duration::days(i64::from(local.day));
                let (channel, what) = describe(&self.plan, happening);
                TimelineEntry {
                    at,
                    local_time: format!(
                        "{} {date} {:02}:{:02}",
                        date.weekday(),
                        local.minute_of_day / 60,
                        local.minute_of_day % 60
                    ),
                    channel: channel.to_owned(),
                    what,
                }
            })
            .collect();
        let about = vec![
            ("persona", view.persona.to_owned()),
            ("stage", view.stage.to_owned()),
            ("industry", format!("{} ({} risk)", view.industry, view.industry_risk)),
            ("consent", view.consent.to_owned()),
            ("phone", format!("area code {} ({}), {}", view.area_code, view.state, view.phone_time_zone)),
            ("profile time zone", view.profile_time_zone.to_owned()),
            ("engagement", format!("{:.2}", view.engagement_propensity)),
            ("days in stage", view.days_in_stage.to_string()),
            ("owner", view.owner.name.clone()),
            ("entered on day", (recorder.entry / u32::from(MINUTES_PER_DAY)).to_string()),
        ];
        Some(ContactTimeline {
            contact,
            about: about.into_iter().map(|(label, value)| (label.to_owned(), value)).collect(),
            time_zone: view.phone_time_zone.to_owned(),
            entries,
        })
    }
}

/// One contact's story, for the contact explorer and `tandem-cli`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactTimeline {
    pub contact: usize,
    /// Who the contact is, as label and value.
    pub about: Vec<(String, String)>,
    /// The zone local times are shown in (the phone's).
    pub time_zone: String,
    pub entries: Vec<TimelineEntry>,
}

/// One happening of a [`ContactTimeline`], in words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// Simulated minute (UTC minutes since day 0).
    pub at: u32,
    /// E.g. `Mon 2026-03-09 10:00`, in the contact's phone time zone.
    pub local_time: String,
    /// `email`, `sms`, `web`, `sales` or `journey`.
    pub channel: String,
    pub what: String,
}

/// Keeps every happening of one contact.
#[derive(Default)]
struct Recorder {
    entry: u32,
    happenings: Vec<(u32, Happening)>,
}

impl Observer for Recorder {
    fn begin(&mut self, contact: &ContactStart) {
        self.entry = contact.entry;
    }

    fn note(&mut self, at: u32, happening: Happening) {
        self.happenings.push((at, happening));
    }

    fn end(&mut self, _: &Touches) {}
}

fn step_name(plan: &Plan, step: u16) -> String {
    let step = &plan.run.steps[usize::from(step)];
    format!("`{}` ({})", step.id, step.name)
}

fn touchpoint_name(plan: &Plan, touchpoint: u16) -> String {
    let touchpoint = &plan.run.touchpoints[usize::from(touchpoint)];
    format!("`{}` ({})", touchpoint.id, touchpoint.name)
}

fn message_name(plan: &Plan, message: Message) -> String {
    match message {
        Message::Email(step) => format!("email {}", step_name(plan, step)),
        Message::Sms(touchpoint) => format!("SMS {}", touchpoint_name(plan, touchpoint)),
    }
}

/// The channel and words for one happening.
fn describe(plan: &Plan, happening: Happening) -> (&'static str, String) {
    let reason = |block: Block| block.reason(plan);
    let minute = |at: u32| {
        let day = at / u32::from(MINUTES_PER_DAY);
        let minute = at % u32::from(MINUTES_PER_DAY);
        format!("day {day} {:02}:{:02} UTC", minute / 60, minute % 60)
    };
    match happening {
        Happening::EmailSent { step } => ("email", format!("Email sent: {}", step_name(plan, step))),
        Happening::EmailHeld { step, block, until } => (
            "email",
            format!(
                "Email {} held back ({}){}",
                step_name(plan, step),
                reason(block),
                until.map_or_else(|| ", not sent within the horizon".into(), |at| format!(" until {}", minute(at)))
            ),
        ),
        Happening::Opened { step } => ("email", format!("Opened {}", step_name(plan, step))),
        Happening::Clicked { step } => ("email", format!("Clicked in {}", step_name(plan, step))),
        Happening::Visited { step, page } => {
            let page = &plan.run.page_names[usize::from(page)];
            match step {
                ORGANIC => ("web", format!("Visited the page \"{page}\" (not from an email)")),
                step => ("web", format!("Visited the page \"{page}\" after clicking in {}", step_name(plan, step))),
            }
        }
        Happening::MeetingIntent { .. } => ("web", "Showed meeting intent".into()),
        Happening::StageProgressed { step, stage } => (
            "sales",
            format!("Moved to stage {} after {}", Stage::ALL[usize::from(stage)].label(), step_name(plan, step)),
        ),
        Happening::Unsubscribed { step } => {
            ("email", format!("Unsubscribed from email after {}", step_name(plan, step)))
        }
        Happening::Entered { touchpoint } => {
            ("sms", format!("Trigger window opens for {}", touchpoint_name(plan, touchpoint)))
        }
        Happening::NotEligible { touchpoint, block } => {
            ("sms", format!("Not eligible for {}: {}", touchpoint_name(plan, touchpoint), reason(block)))
        }
        Happening::Eligible { touchpoint } => {
            ("sms", format!("Eligible for {}; watching its trigger", touchpoint_name(plan, touchpoint)))
        }
        Happening::Triggered { touchpoint } => {
            ("sms", format!("Trigger fired for {}", touchpoint_name(plan, touchpoint)))
        }
        Happening::SmsBlocked { touchpoint, block, resolution } => {
            let outcome = match resolution {
                Resolution::Deferred(at) => format!("deferred to {}", minute(at)),
                Resolution::Advanced(at) => format!("advanced to {}", minute(at)),
                Resolution::Skipped => "skipped".into(),
                Resolution::Dropped => "not sent".into(),
                Resolution::Expired => format!("not sent: no allowed minute within {MAX_DEFERRAL_HOURS} h"),
            };
            ("sms", format!("SMS {} blocked ({}): {outcome}", touchpoint_name(plan, touchpoint), reason(block)))
        }
        Happening::BeyondHorizon { touchpoint } => {
            ("sms", format!("SMS {} would be due after the horizon", touchpoint_name(plan, touchpoint)))
        }
        Happening::SmsSent { touchpoint, local_hour } => {
            ("sms", format!("SMS sent: {} (recipient's hour {local_hour:02})", touchpoint_name(plan, touchpoint)))
        }
        Happening::Replied { touchpoint, high_intent, meeting, routed } => (
            "sales",
            format!(
                "Replied to {}{}{}{}",
                touchpoint_name(plan, touchpoint),
                if high_intent { " (high intent)" } else { "" },
                if routed { "; routed to Sales" } else { "" },
                if meeting { "; meeting set" } else { "" }
            ),
        ),
        Happening::OptedOut { touchpoint, keyword } => (
            "sms",
            format!(
                "Replied {} to {}: opted out of SMS for good",
                STOP_KEYWORDS[usize::from(keyword)],
                touchpoint_name(plan, touchpoint)
            ),
        ),
        Happening::OptOutConfirmed { touchpoint } => (
            "sms",
            format!(
                "Confirmation text sent (within {OPT_OUT_CONFIRMATION_MINUTES} minutes, no marketing) after opting out of {}",
                touchpoint_name(plan, touchpoint)
            ),
        ),
        Happening::Collision { earlier, earlier_at, later, .. } => (
            "journey",
            format!(
                "Collision: {} less than {COLLISION_HOURS} h after {} ({})",
                message_name(plan, later),
                message_name(plan, earlier),
                minute(earlier_at)
            ),
        ),
    }
}
