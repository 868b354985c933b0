//! Counting what happens, contact by contact, into a [`Partial`] result for
//! a chunk of contacts. Partials add up (in any grouping) to the same
//! totals, so a run in chunks ends exactly where a run in one piece does;
//! [`Partial::finish`] then answers the replies (the cross-contact pass)
//! and names everything for the [`SimulationResult`].

use serde::{Deserialize, Serialize};

use crate::caps::Touches;
use crate::cohort::PERSONAS;
use crate::model::MINUTES_PER_DAY;

use super::happening::{Block, CollisionKind, ContactStart, Happening, Message, Observer, Resolution};
use super::owners::{ReplyRecord, answer};
use super::plan::Plan;
use super::result::{
    CollisionExample, CollisionSummary, ContactExamples, DaySends, EXAMPLES_KEPT, Outcomes, ReasonCount,
    SimulationResult, StepFunnel, Totals, TouchpointFunnel,
};

const DAY: u32 = MINUTES_PER_DAY as u32;
const WEEK: u32 = 7 * DAY;
/// Examples kept per kind of collision.
const EXAMPLES: usize = 3;
/// Buckets of the touches-per-week histogram; the last is "this many or more".
const WEEK_BUCKETS: usize = 11;
/// Weeks of a contact's run counted in that histogram, at most.
const MAX_WEEKS: usize = 64;

/// How often each block happened. A chunk sees only a handful of distinct
/// blocks, so a short list searched in place beats a map.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct BlockCounts(Vec<(Block, u64)>);

impl BlockCounts {
    /// Inlined: a call's saving and restoring of registers costs more than
    /// the search, which most often finds the first entry.
    #[inline(always)]
    fn add(&mut self, block: Block, count: u64) {
        match self.0.iter_mut().find(|(known, _)| *known == block) {
            Some((_, total)) => *total += count,
            None => self.first(block, count),
        }
    }

    /// A block not seen before: once per kind of block in a chunk.
    #[cold]
    fn first(&mut self, block: Block, count: u64) {
        self.0.push((block, count));
    }

    fn merge(&mut self, other: BlockCounts) {
        for (block, count) in other.0 {
            self.add(block, count);
        }
    }

    /// In [`Block`] order, whatever order they were first seen in.
    fn sorted(mut self) -> Vec<(Block, u64)> {
        self.0.sort_unstable();
        self.0
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct StepCounts {
    entered: u64,
    sent: u64,
    held: BlockCounts,
    opened: u64,
    clicked: u64,
    unsubscribed: u64,
    meeting_intents: u64,
    stage_progressions: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct TouchpointCounts {
    entered: u64,
    eligible: u64,
    not_eligible: BlockCounts,
    triggered: u64,
    sent: u64,
    blocked: BlockCounts,
    deferred: u64,
    advanced: u64,
    skipped: u64,
    dropped: u64,
    expired: u64,
    beyond_horizon: u64,
    replied: u64,
    opted_out: u64,
    meetings: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Example {
    contact: u32,
    later_at: u32,
    earlier_at: u32,
    earlier: (bool, u16),
    later: (bool, u16),
}

/// What a chunk of contacts added up to. It serialises (inside a
/// `tandem.partial/v1` document, [`crate::format::export_partial`]) so that
/// shards run apart can be merged; the per-contact fields are not written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    contacts: u64,
    totals: Totals,
    steps: Vec<StepCounts>,
    touchpoints: Vec<TouchpointCounts>,
    /// Per day: email, SMS, collisions.
    per_day: Vec<[u64; 3]>,
    sms_by_local_hour: [u64; 24],
    touches_per_week: [u64; WEEK_BUCKETS],
    collisions: [(u64, Vec<Example>); 4],
    replies: Vec<ReplyRecord>,
    personas: Vec<Outcomes>,
    positions: Vec<Outcomes>,
    horizon: u32,
    examples: ContactExamples,
    /// The contact being counted, and the last step emailed to it.
    #[serde(skip)]
    current: Option<ContactStart>,
    #[serde(skip)]
    position: Option<u16>,
    /// The current contact's persona (0 before the first), read at almost every happening.
    #[serde(skip)]
    persona: usize,
    /// What the current contact met: a block, an opt-out, a collision.
    #[serde(skip)]
    met: [bool; 3],
}

/// Adds the named counts of `from` to those of `into`.
macro_rules! add_counts {
    ($into:expr, $from:expr; $($field:ident),* $(,)?) => { $($into.$field += $from.$field;)* };
}

/// Adds counts position by position.
fn add_all(into: &mut [u64], from: impl IntoIterator<Item = u64>) {
    for (count, more) in into.iter_mut().zip(from) {
        *count += more;
    }
}

fn add_outcomes(into: &mut Outcomes, from: &Outcomes) {
    add_counts!(into, from; contacts, emails, sms, replies, meetings, stage_progressions, opt_outs, unsubscribes);
}

impl Partial {
    pub(super) fn new(plan: &Plan) -> Partial {
        Partial {
            contacts: 0,
            totals: Totals::default(),
            steps: vec![StepCounts::default(); plan.run.steps.len()],
            touchpoints: vec![TouchpointCounts::default(); plan.run.touchpoints.len()],
            per_day: vec![[0; 3]; usize::from(plan.run.settings.horizon_days)],
            sms_by_local_hour: [0; 24],
            touches_per_week: [0; WEEK_BUCKETS],
            collisions: Default::default(),
            replies: Vec::new(),
            personas: vec![Outcomes::default(); PERSONAS.len()],
            positions: vec![Outcomes::default(); plan.run.steps.len()],
            horizon: plan.horizon,
            examples: ContactExamples::default(),
            current: None,
            position: None,
            persona: 0,
            met: [false; 3],
        }
    }

    /// Whether this partial counts a run of `plan` (a read partial may not):
    /// its lists have the plan's lengths and every index in it is in range.
    pub(super) fn fits(&self, plan: &Plan) -> bool {
        let examples_fit = self.collisions.iter().flat_map(|(_, examples)| examples).all(|example| {
            [example.earlier, example.later].iter().all(|&(sms, index)| {
                usize::from(index) < if sms { plan.run.touchpoints.len() } else { plan.run.steps.len() }
            })
        });
        let replies_fit = self
            .replies
            .iter()
            .all(|reply| reply.territory.is_none_or(|territory| usize::from(territory) < plan.run.territories.len()));
        self.steps.len() == plan.run.steps.len()
            && self.touchpoints.len() == plan.run.touchpoints.len()
            && self.per_day.len() == usize::from(plan.run.settings.horizon_days)
            && self.personas.len() == PERSONAS.len()
            && self.positions.len() == plan.run.steps.len()
            && self.horizon == plan.horizon
            && examples_fit
            && replies_fit
    }

    /// How many contacts this partial counted.
    pub fn contacts(&self) -> u64 {
        self.contacts
    }

    /// Adds another chunk's counts.
    pub fn merge(&mut self, other: Partial) {
        self.contacts += other.contacts;
        add_counts!(self.totals, other.totals; emails_sent, emails_held, opens, clicks, visits, meeting_intents,
            stage_progressions, unsubscribes, sms_triggered, sms_sent, sms_blocks, sms_not_sent, replies,
            unrouted_replies, opt_outs, opt_out_confirmations, meetings, collisions, events);
        for (step, other) in self.steps.iter_mut().zip(other.steps) {
            add_counts!(step, other; entered, sent, opened, clicked, unsubscribed, meeting_intents, stage_progressions);
            step.held.merge(other.held);
        }
        for (touchpoint, other) in self.touchpoints.iter_mut().zip(other.touchpoints) {
            add_counts!(touchpoint, other; entered, eligible, triggered, sent, deferred, advanced, skipped, dropped,
                expired, beyond_horizon, replied, opted_out, meetings);
            touchpoint.not_eligible.merge(other.not_eligible);
            touchpoint.blocked.merge(other.blocked);
        }
        for (day, other) in self.per_day.iter_mut().zip(other.per_day) {
            add_all(day, other);
        }
        add_all(&mut self.sms_by_local_hour, other.sms_by_local_hour);
        add_all(&mut self.touches_per_week, other.touches_per_week);
        for ((count, examples), (more, other_examples)) in self.collisions.iter_mut().zip(other.collisions) {
            *count += more;
            examples.extend(other_examples);
            examples.sort_unstable();
            examples.truncate(EXAMPLES);
        }
        self.replies.extend(other.replies);
        for (outcomes, other) in self.personas.iter_mut().zip(&other.personas) {
            add_outcomes(outcomes, other);
        }
        for (outcomes, other) in self.positions.iter_mut().zip(&other.positions) {
            add_outcomes(outcomes, other);
        }
        for (ours, theirs) in [
            (&mut self.examples.blocked, other.examples.blocked),
            (&mut self.examples.opted_out, other.examples.opted_out),
            (&mut self.examples.collided, other.examples.collided),
        ] {
            ours.extend(theirs);
            ours.sort_unstable();
            ours.truncate(EXAMPLES_KEPT);
        }
    }

    fn persona(&mut self) -> &mut Outcomes {
        &mut self.personas[self.persona]
    }

    /// Outcomes of the step last emailed, if any.
    fn position(&mut self) -> Option<&mut Outcomes> {
        self.position.map(|step| &mut self.positions[usize::from(step)])
    }

    /// The counts of the day of `at`: every message goes out before the
    /// horizon, so on one of the run's days.
    fn day(&mut self, at: u32) -> &mut [u64; 3] {
        &mut self.per_day[(at / DAY) as usize]
    }
}

impl Observer for Partial {
    fn begin(&mut self, contact: &ContactStart) {
        self.contacts += 1;
        self.current = Some(*contact);
        self.persona = usize::from(contact.persona);
        self.position = None;
        self.met = [false; 3];
        self.persona().contacts += 1;
    }

    #[inline(always)]
    fn note(&mut self, at: u32, happening: Happening) {
        self.totals.events += 1;
        match happening {
            Happening::EmailSent { step } => {
                self.totals.emails_sent += 1;
                let counts = &mut self.steps[usize::from(step)];
                counts.entered += 1;
                counts.sent += 1;
                self.day(at)[0] += 1;
                self.persona().emails += 1;
                self.position = Some(step);
                let position = &mut self.positions[usize::from(step)];
                position.contacts += 1;
                position.emails += 1;
            }
            Happening::EmailHeld { step, block, until } => {
                self.totals.emails_held += 1;
                let counts = &mut self.steps[usize::from(step)];
                counts.held.add(block, 1);
                if until.is_none() {
                    counts.entered += 1;
                }
            }
            Happening::Opened { step } => {
                self.totals.opens += 1;
                self.steps[usize::from(step)].opened += 1;
            }
            Happening::Clicked { step } => {
                self.totals.clicks += 1;
                self.steps[usize::from(step)].clicked += 1;
            }
            Happening::Visited { .. } => self.totals.visits += 1,
            Happening::MeetingIntent { step } => {
                self.totals.meeting_intents += 1;
                self.steps[usize::from(step)].meeting_intents += 1;
            }
            Happening::StageProgressed { step, .. } => {
                self.totals.stage_progressions += 1;
                self.steps[usize::from(step)].stage_progressions += 1;
                self.persona().stage_progressions += 1;
                if let Some(position) = self.position() {
                    position.stage_progressions += 1;
                }
            }
            Happening::Unsubscribed { step } => {
                self.totals.unsubscribes += 1;
                self.steps[usize::from(step)].unsubscribed += 1;
                self.persona().unsubscribes += 1;
                if let Some(position) = self.position() {
                    position.unsubscribes += 1;
                }
            }
            Happening::Entered { touchpoint } => self.touchpoints[usize::from(touchpoint)].entered += 1,
            Happening::NotEligible { touchpoint, block } => {
                self.touchpoints[usize::from(touchpoint)].not_eligible.add(block, 1);
            }
            Happening::Eligible { touchpoint } => self.touchpoints[usize::from(touchpoint)].eligible += 1,
            Happening::Triggered { touchpoint } => {
                self.totals.sms_triggered += 1;
                self.touchpoints[usize::from(touchpoint)].triggered += 1;
            }
            Happening::SmsBlocked { touchpoint, block, resolution } => {
                self.totals.sms_blocks += 1;
                self.met[0] = true;
                let counts = &mut self.touchpoints[usize::from(touchpoint)];
                counts.blocked.add(block, 1);
                let not_sent = match resolution {
                    Resolution::Deferred(_) => {
                        counts.deferred += 1;
                        false
                    }
                    Resolution::Advanced(_) => {
                        counts.advanced += 1;
                        false
                    }
                    Resolution::Skipped => {
                        counts.skipped += 1;
                        true
                    }
                    Resolution::Dropped => {
                        counts.dropped += 1;
                        true
                    }
                    Resolution::Expired => {
                        counts.expired += 1;
                        true
                    }
                };
                self.totals.sms_not_sent += u64::from(not_sent);
            }
            Happening::BeyondHorizon { touchpoint } => self.touchpoints[usize::from(touchpoint)].beyond_horizon += 1,
            Happening::SmsSent { touchpoint, local_hour } => {
                self.totals.sms_sent += 1;
                self.touchpoints[usize::from(touchpoint)].sent += 1;
                self.sms_by_local_hour[usize::from(local_hour)] += 1;
                self.day(at)[1] += 1;
                self.persona().sms += 1;
                if let Some(position) = self.position() {
                    position.sms += 1;
                }
            }
            Happening::Replied { touchpoint, high_intent, meeting, routed } => {
                self.totals.replies += 1;
                let counts = &mut self.touchpoints[usize::from(touchpoint)];
                counts.replied += 1;
                counts.meetings += u64::from(meeting);
                self.totals.meetings += u64::from(meeting);
                let persona = self.persona();
                persona.replies += 1;
                persona.meetings += u64::from(meeting);
                if let Some(position) = self.position() {
                    position.replies += 1;
                    position.meetings += u64::from(meeting);
                }
                match (routed, self.current) {
                    (true, Some(contact)) => self.replies.push(ReplyRecord {
                        at,
                        contact: contact.contact,
                        account_owner: contact.account_owner,
                        territory: contact.territory,
                        high_intent,
                    }),
                    _ => self.totals.unrouted_replies += 1,
                }
            }
            Happening::OptedOut { touchpoint, .. } => {
                self.totals.opt_outs += 1;
                self.met[1] = true;
                self.touchpoints[usize::from(touchpoint)].opted_out += 1;
                self.persona().opt_outs += 1;
                if let Some(position) = self.position() {
                    position.opt_outs += 1;
                }
            }
            Happening::OptOutConfirmed { .. } => self.totals.opt_out_confirmations += 1,
            Happening::Collision { kind, earlier, earlier_at, later } => {
                self.totals.collisions += 1;
                self.met[2] = true;
                self.day(at)[2] += 1;
                let (count, examples) = &mut self.collisions[kind as usize];
                *count += 1;
                if examples.len() < EXAMPLES {
                    let message = |message: Message| match message {
                        Message::Email(step) => (false, step),
                        Message::Sms(touchpoint) => (true, touchpoint),
                    };
                    examples.push(Example {
                        contact: self.current.map_or(0, |contact| contact.contact),
                        later_at: at,
                        earlier_at,
                        earlier: message(earlier),
                        later: message(later),
                    });
                }
            }
        }
    }

    fn end(&mut self, touches: &Touches) {
        let Some(contact) = self.current else { return };
        // Most contacts meet none of them.
        if self.met != [false; 3] {
            self.keep_example(contact.contact);
        }
        let whole_weeks = (self.horizon.saturating_sub(contact.entry) / WEEK) as usize;
        let weeks = whole_weeks.min(MAX_WEEKS);
        // Touches come in time order, so a week's touches come together:
        // each run of them is one week's count, and the weeks without a
        // run count none.
        let mut week = usize::MAX;
        let mut count = 0;
        let mut weeks_touched = 0;
        for &(at, _) in touches.sent() {
            let Some(since_entry) = at.checked_sub(contact.entry) else { continue };
            let touched = (since_entry / WEEK) as usize;
            if touched >= weeks {
                break;
            }
            if touched != week {
                if count > 0 {
                    self.touches_per_week[count.min(WEEK_BUCKETS - 1)] += 1;
                    weeks_touched += 1;
                }
                week = touched;
                count = 0;
            }
            count += 1;
        }
        if count > 0 {
            self.touches_per_week[count.min(WEEK_BUCKETS - 1)] += 1;
            weeks_touched += 1;
        }
        self.touches_per_week[0] += (weeks - weeks_touched) as u64;
    }
}

impl Partial {
    /// Keeps `contact` as an example of what it met, while there is room.
    #[cold]
    fn keep_example(&mut self, contact: u32) {
        let kept = [&mut self.examples.blocked, &mut self.examples.opted_out, &mut self.examples.collided];
        for (met, list) in self.met.into_iter().zip(kept) {
            if met && list.len() < EXAMPLES_KEPT {
                list.push(contact);
            }
        }
    }

    fn reasons(plan: &Plan, counts: BlockCounts) -> Vec<ReasonCount> {
        counts.sorted().into_iter().map(|(block, count)| ReasonCount { reason: block.reason(plan), count }).collect()
    }

    /// The result of a run whose chunks all merged into this partial.
    pub(super) fn finish(self, plan: &Plan) -> SimulationResult {
        let (owners, sla, unrouted) = answer(plan, self.replies);
        let mut totals = self.totals;
        totals.unrouted_replies += unrouted;
        let message_name = |(sms, index): (bool, u16)| {
            if sms {
                format!("SMS `{}`", plan.run.touchpoints[usize::from(index)].id)
            } else {
                format!("email `{}`", plan.run.steps[usize::from(index)].id)
            }
        };
        SimulationResult {
            contacts: self.contacts as u32,
            seed: plan.run.spec.seed,
            horizon_days: plan.run.settings.horizon_days,
            start: plan.run.settings.start.to_string(),
            totals,
            steps: plan
                .run
                .steps
                .iter()
                .zip(self.steps)
                .map(|(step, counts)| StepFunnel {
                    id: step.id.0.clone(),
                    name: step.name.clone(),
                    day: step.day,
                    entered: counts.entered,
                    sent: counts.sent,
                    held: Partial::reasons(plan, counts.held),
                    opened: counts.opened,
                    clicked: counts.clicked,
                    unsubscribed: counts.unsubscribed,
                    meeting_intents: counts.meeting_intents,
                    stage_progressions: counts.stage_progressions,
                })
                .collect(),
            touchpoints: plan
                .run
                .touchpoints
                .iter()
                .zip(self.touchpoints)
                .map(|(touchpoint, counts)| TouchpointFunnel {
                    id: touchpoint.id.0.clone(),
                    name: touchpoint.name.clone(),
                    step: plan.run.steps[touchpoint.step].id.0.clone(),
                    moment: touchpoint.moment.label().into(),
                    entered: counts.entered,
                    eligible: counts.eligible,
                    not_eligible: Partial::reasons(plan, counts.not_eligible),
                    triggered: counts.triggered,
                    sent: counts.sent,
                    blocked: Partial::reasons(plan, counts.blocked),
                    deferred: counts.deferred,
                    advanced: counts.advanced,
                    skipped: counts.skipped,
                    dropped: counts.dropped,
                    expired: counts.expired,
                    beyond_horizon: counts.beyond_horizon,
                    replied: counts.replied,
                    opted_out: counts.opted_out,
                    meetings: counts.meetings,
                })
                .collect(),
            sends_per_day: self
                .per_day
                .iter()
                .enumerate()
                .map(|(day, &[email, sms, collisions])| DaySends { day: day as u16, email, sms, collisions })
                .collect(),
            sms_by_local_hour: self.sms_by_local_hour.to_vec(),
            touches_per_week: self.touches_per_week.to_vec(),
            collisions: CollisionKind::ALL
                .iter()
                .zip(self.collisions)
                .map(|(kind, (count, examples))| CollisionSummary {
                    kind: kind.label().into(),
                    count,
                    examples: examples
                        .into_iter()
                        .map(|example| CollisionExample {
                            contact: example.contact,
                            earlier: message_name(example.earlier),
                            earlier_at: example.earlier_at,
                            later: message_name(example.later),
                            later_at: example.later_at,
                        })
                        .collect(),
                })
                .collect(),
            owners,
            sla,
            by_persona: PERSONAS
                .iter()
                .zip(self.personas)
                .map(|(persona, outcomes)| Outcomes { label: (*persona).into(), ..outcomes })
                .collect(),
            by_step: plan
                .run
                .steps
                .iter()
                .zip(self.positions)
                .enumerate()
                .map(|(position, (step, outcomes))| Outcomes {
                    label: format!("{}. {} (day {})", position + 1, step.name, step.day),
                    ..outcomes
                })
                .collect(),
            examples: self.examples,
        }
    }
}
