//! The simulator: what a whole cohort would receive from a journey, before
//! anything is sent. It is Tandem's reason to exist, and pure: no I/O, no
//! clock, no platform maths, so the app's web worker, the command line and
//! the tests all get the same numbers.
//!
//! A [`Simulation`] compiles the journey once ([`plan`]), then runs contacts
//! in chunks: each chunk draws its contacts ([`crate::cohort`]), lives each
//! one through the horizon minute by minute ([`contact`]) and counts what
//! happened ([`tally`]). Chunks add up to exactly the result of one run;
//! [`Simulation::finish`] then answers the replies across contacts
//! ([`owners`]) into a [`SimulationResult`]. Any one contact's full story
//! is [`Simulation::timeline`], re-run on demand.
//!
//! ```
//! use tandem_engine::cohort::CohortSpec;
//! use tandem_engine::samples;
//! use tandem_engine::simulate::{Simulation, SimulationSettings};
//!
//! let spec = CohortSpec { size: 500, ..CohortSpec::default() };
//! let simulation = Simulation::new(&samples::playbook(), &spec, &SimulationSettings::default()).unwrap();
//! let result = simulation.run();
//! assert_eq!(result.contacts, 500);
//! assert!(result.totals.emails_sent > 0);
//! let first = simulation.timeline(0).unwrap();
//! assert!(first.entries.iter().any(|entry| entry.what.starts_with("Email sent")));
//! ```

mod contact;
pub mod figures;
mod owners;
mod plan;
mod result;
mod settings;
mod tally;

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::caps::Touches;
use crate::cohort::{Cohort, CohortSpec, Synthesizer};
use crate::model::{Journey, MINUTES_PER_DAY};
use crate::validate::{Problem, TIME_ZONES};

pub use contact::{
    Block, COLLISION_HOURS, CollisionKind, ContactStart, Happening, MAX_DEFERRAL_HOURS, Message, Observer, Resolution,
    STOP_KEYWORDS, decisions,
};
pub use result::{
    CollisionExample, CollisionSummary, ContactExamples, DaySends, EXAMPLES_KEPT, Outcomes, OwnerLoad, ReasonCount,
    SimulationResult, SlaAttainment, StepFunnel, Totals, TouchpointFunnel, share,
};
pub use settings::{EngagementModel, FatigueModel, MAX_HORIZON_DAYS, ReplyModel, SimulationSettings};
pub use tally::Partial;

use contact::Runner;
use plan::Plan;

/// Contacts per chunk when the caller does not choose: small enough to
/// report progress often, large enough that chunking costs nothing.
pub const DEFAULT_CHUNK: usize = 50_000;

/// The run pinned by the golden tests, natively and in WebAssembly: the
/// playbook sample, 2,000 contacts of the default cohort with seed 7, and
/// the default settings.
pub fn golden() -> Simulation {
    let spec = CohortSpec { size: 2_000, seed: 7, ..CohortSpec::default() };
    Simulation::new(&crate::samples::playbook(), &spec, &SimulationSettings::default()).expect("the sample runs")
}

/// How far a run has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

/// A journey, a cohort and settings, checked and compiled, ready to run.
#[derive(Clone, Debug)]
pub struct Simulation {
    plan: Plan,
    synthesizer: Synthesizer,
}

impl Simulation {
    /// Prepares a run, or lists everything that stops it: journey problems
    /// at their paths, rule problems with their characters, cohort problems
    /// under `/cohort` and setting problems under `/settings`.
    pub fn new(
        journey: &Journey,
        spec: &CohortSpec,
        settings: &SimulationSettings,
    ) -> Result<Simulation, Vec<Problem>> {
        let synthesizer = Synthesizer::new(spec).map_err(|problems| {
            problems
                .into_iter()
                .map(|problem| Problem { path: format!("/cohort{}", problem.path), ..problem })
                .collect::<Vec<_>>()
        });
        let plan = Plan::new(journey, spec, settings);
        match (plan, synthesizer) {
            (Ok(plan), Ok(synthesizer)) => Ok(Simulation { plan, synthesizer }),
            (plan, synthesizer) => {
                Err(plan.err().into_iter().flatten().chain(synthesizer.err().into_iter().flatten()).collect())
            }
        }
    }

    /// How many contacts a whole run covers.
    pub fn size(&self) -> usize {
        self.synthesizer.size()
    }

    /// An empty tally to merge chunks into.
    pub fn empty(&self) -> Partial {
        Partial::new(&self.plan)
    }

    /// Runs contacts `range` (cut to the cohort) and counts what happened to them.
    pub fn run_chunk(&self, range: Range<usize>) -> Partial {
        let mut partial = Partial::new(&self.plan);
        self.run_with(range, &mut partial);
        partial
    }

    /// Runs contacts `range` (cut to the cohort), showing `observer` every
    /// happening; returns the contacts, for observers that need their facts.
    pub fn run_with<O: Observer>(&self, range: Range<usize>, observer: &mut O) -> Cohort {
        let cohort = self.synthesizer.generate(range);
        let mut runner = Runner::new(&self.plan, self.plan.seed);
        for index in 0..cohort.len() {
            runner.run(&cohort, index, observer);
        }
        cohort
    }

    /// The result of a run whose chunks were merged into `partial`.
    pub fn finish(&self, partial: Partial) -> SimulationResult {
        partial.finish(&self.plan)
    }

    /// Runs every contact in chunks of `chunk`, calling `progress` after each;
    /// when it returns false the run stops and gives `None`.
    pub fn run_in_chunks(&self, chunk: usize, mut progress: impl FnMut(Progress) -> bool) -> Option<SimulationResult> {
        let total = self.size();
        let chunk = chunk.max(1);
        let mut tally = self.empty();
        let mut done = 0;
        while done < total {
            let end = (done + chunk).min(total);
            tally.merge(self.run_chunk(done..end));
            done = end;
            if !progress(Progress { done, total }) {
                return None;
            }
        }
        Some(self.finish(tally))
    }

    /// Runs every contact.
    pub fn run(&self) -> SimulationResult {
        self.run_in_chunks(DEFAULT_CHUNK, |_| true).expect("never cancelled")
    }

    /// Everything that happens to one contact, in order, with reasons;
    /// `None` past the end of the cohort.
    pub fn timeline(&self, contact: usize) -> Option<ContactTimeline> {
        let cohort = self.synthesizer.generate(contact..contact + 1);
        let view = cohort.contact(0)?;
        let mut recorder = Recorder::default();
        Runner::new(&self.plan, self.plan.seed).run(&cohort, 0, &mut recorder);
        let phone_zone = TIME_ZONES.iter().position(|zone| *zone == view.phone_time_zone).unwrap_or(0);
        let clock = &self.plan.clocks[phone_zone];
        let entries = recorder
            .happenings
            .iter()
            .map(|&(at, happening)| {
                let local = clock.local(at);
                let date = self.plan.settings.start + chrono::Duration::days(i64::from(local.day));
                let (channel, what) = self.describe(happening);
                TimelineEntry {
                    at,
                    local_time: format!(
                        "{} {:02}:{:02}",
                        date.format("%a %Y-%m-%d"),
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

    fn step_name(&self, step: u16) -> String {
        let step = &self.plan.steps[usize::from(step)];
        format!("`{}` ({})", step.id, step.name)
    }

    fn touchpoint_name(&self, touchpoint: u16) -> String {
        let touchpoint = &self.plan.touchpoints[usize::from(touchpoint)];
        format!("`{}` ({})", touchpoint.id, touchpoint.name)
    }

    fn message_name(&self, message: Message) -> String {
        match message {
            Message::Email(step) => format!("email {}", self.step_name(step)),
            Message::Sms(touchpoint) => format!("SMS {}", self.touchpoint_name(touchpoint)),
        }
    }

    /// The channel and words for one happening.
    fn describe(&self, happening: Happening) -> (&'static str, String) {
        let reason = |block| tally::block_reason(&self.plan, block);
        let minute = |at: u32| {
            let day = at / u32::from(MINUTES_PER_DAY);
            let minute = at % u32::from(MINUTES_PER_DAY);
            format!("day {day} {:02}:{:02} UTC", minute / 60, minute % 60)
        };
        match happening {
            Happening::EmailSent { step } => ("email", format!("Email sent: {}", self.step_name(step))),
            Happening::EmailHeld { step, block, until } => (
                "email",
                format!(
                    "Email {} held back ({}){}",
                    self.step_name(step),
                    reason(block),
                    until.map_or_else(|| ", not sent within the horizon".into(), |at| format!(" until {}", minute(at)))
                ),
            ),
            Happening::Opened { step } => ("email", format!("Opened {}", self.step_name(step))),
            Happening::Clicked { step } => ("email", format!("Clicked in {}", self.step_name(step))),
            Happening::Visited { step, page } => {
                let page = &self.plan.page_names[usize::from(page)];
                match step {
                    contact::ORGANIC => ("web", format!("Visited the page \"{page}\" (not from an email)")),
                    step => ("web", format!("Visited the page \"{page}\" after clicking in {}", self.step_name(step))),
                }
            }
            Happening::MeetingIntent { .. } => ("web", "Showed meeting intent".into()),
            Happening::StageProgressed { step, stage } => (
                "sales",
                format!(
                    "Moved to stage {} after {}",
                    crate::model::Stage::ALL[usize::from(stage)].label(),
                    self.step_name(step)
                ),
            ),
            Happening::Unsubscribed { step } => {
                ("email", format!("Unsubscribed from email after {}", self.step_name(step)))
            }
            Happening::Entered { touchpoint } => {
                ("sms", format!("Trigger window opens for {}", self.touchpoint_name(touchpoint)))
            }
            Happening::NotEligible { touchpoint, block } => {
                ("sms", format!("Not eligible for {}: {}", self.touchpoint_name(touchpoint), reason(block)))
            }
            Happening::Eligible { touchpoint } => {
                ("sms", format!("Eligible for {}; watching its trigger", self.touchpoint_name(touchpoint)))
            }
            Happening::Triggered { touchpoint } => {
                ("sms", format!("Trigger fired for {}", self.touchpoint_name(touchpoint)))
            }
            Happening::SmsBlocked { touchpoint, block, resolution } => {
                let outcome = match resolution {
                    Resolution::Deferred(at) => format!("deferred to {}", minute(at)),
                    Resolution::Advanced(at) => format!("advanced to {}", minute(at)),
                    Resolution::Skipped => "skipped".into(),
                    Resolution::Dropped => "not sent".into(),
                    Resolution::Expired => format!("not sent: no allowed minute within {MAX_DEFERRAL_HOURS} h"),
                };
                ("sms", format!("SMS {} blocked ({}): {outcome}", self.touchpoint_name(touchpoint), reason(block)))
            }
            Happening::BeyondHorizon { touchpoint } => {
                ("sms", format!("SMS {} would be due after the horizon", self.touchpoint_name(touchpoint)))
            }
            Happening::SmsSent { touchpoint, local_hour } => {
                ("sms", format!("SMS sent: {} (recipient's hour {local_hour:02})", self.touchpoint_name(touchpoint)))
            }
            Happening::Replied { touchpoint, high_intent, meeting, routed } => (
                "sales",
                format!(
                    "Replied to {}{}{}{}",
                    self.touchpoint_name(touchpoint),
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
                    self.touchpoint_name(touchpoint)
                ),
            ),
            Happening::Collision { earlier, earlier_at, later, .. } => (
                "journey",
                format!(
                    "Collision: {} less than {COLLISION_HOURS} h after {} ({})",
                    self.message_name(later),
                    self.message_name(earlier),
                    minute(earlier_at)
                ),
            ),
        }
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
