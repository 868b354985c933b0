//! A touchpoint's side of one contact's journey: its window opens when its
//! step's email goes out, its trigger is watched, and the SMS it fires is
//! held against consent, the audience rules, the legal send window, caps
//! and cooldowns, then sent, deferred, advanced or dropped, drawing a reply
//! or a STOP. The agenda and the email side ([`super`]) call in here at
//! each of those moments.

use crate::cohort::Cohort;
use crate::model::{BlockedSend, TimingAnchor};
use crate::places::US_STATES;
use crate::random::decisions;
use crate::rules::{Channel, EventKind};
use crate::send_window::{Closed, SendWindow};
use crate::simulate::happening::{Block, Happening, MAX_DEFERRAL_HOURS, Message, Observer, Resolution};

use super::{DAY, HOUR, Item, Runner, Watch};

/// A deferred SMS is tried at most this many times.
const MAX_ATTEMPTS: u8 = 32;

impl<'p> Runner<'p> {
    /// Opens the touchpoint's window as its step's email goes out: entered,
    /// then either not eligible or watched from now on. Inlined: see
    /// [`Runner::email_due`].
    #[inline(always)]
    pub(super) fn open_window<O: Observer>(
        &mut self,
        cohort: &Cohort,
        index: usize,
        touchpoint: u16,
        observer: &mut O,
    ) {
        let slot = usize::from(touchpoint);
        if self.watch[slot] != Watch::Idle {
            return;
        }
        let now = self.state.now;
        observer.note(now, Happening::Entered { touchpoint });
        if let Some(block) = self.audience_block(cohort, index, slot) {
            observer.note(now, Happening::NotEligible { touchpoint, block });
            self.watch[slot] = Watch::Done;
            return;
        }
        observer.note(now, Happening::Eligible { touchpoint });
        let until = now + u32::from(self.plan.run.touchpoints[slot].timing.within_days) * DAY;
        self.watch[slot] = Watch::Watching { step_sent: now, until };
        self.watching += 1;
        self.look_at_trigger(cohort, index, touchpoint, observer);
        self.tick_tomorrow(touchpoint);
    }

    /// Why the contact may not get this touchpoint at all right now:
    /// consent, opt-out, eligibility, suppression. Inlined for its common
    /// answers, known without evaluating a rule: a STOP, or a standing block
    /// (most contacts have one).
    #[inline(always)]
    fn audience_block(&self, cohort: &Cohort, index: usize, touchpoint: usize) -> Option<Block> {
        if self.state.stopped {
            return Some(Block::OptedOut);
        }
        if self.standing_block.is_some() {
            return self.standing_block;
        }
        self.rules_block(cohort, index, touchpoint)
    }

    /// The eligibility and suppression rules' answer for the contact, who
    /// has no standing block: run as the plan holds them (`Plan::reachable_eligibility`),
    /// with consent and opt-out already settled.
    fn rules_block(&self, cohort: &Cohort, index: usize, touchpoint: usize) -> Option<Block> {
        let view = self.view(cohort, index);
        if !self.plan.reachable_eligibility[touchpoint].eval(&view, 0) {
            Some(Block::NotEligible)
        } else if self.plan.reachable_suppression.eval(&view, 0) {
            Some(Block::Suppressed)
        } else {
            None
        }
    }

    pub(super) fn look_at_trigger<O: Observer>(
        &mut self,
        cohort: &Cohort,
        index: usize,
        touchpoint: u16,
        observer: &mut O,
    ) {
        let slot = usize::from(touchpoint);
        let Watch::Watching { step_sent, until } = self.watch[slot] else { return };
        let now = self.state.now;
        if now > until {
            self.stop_watching(slot, Watch::Done);
            return;
        }
        let planned = &self.plan.run.touchpoints[slot];
        if !planned.trigger.eval(&self.view(cohort, index), 0) {
            return;
        }
        observer.note(now, Happening::Triggered { touchpoint });
        let mut due = match planned.timing.anchor {
            TimingAnchor::Trigger => now + planned.timing.delay_minutes,
            TimingAnchor::Step => now.max(step_sent + planned.timing.delay_minutes),
        };
        if planned.when_blocked == BlockedSend::Advance {
            let window = self.send_window(cohort, index);
            if let Some(closed) = window.closed(due)
                && let Some(earlier) = window.last_open(due).filter(|&earlier| earlier >= now)
            {
                let block = closed_block(&closed);
                observer
                    .note(now, Happening::SmsBlocked { touchpoint, block, resolution: Resolution::Advanced(earlier) });
                due = earlier;
            }
        }
        if due >= self.plan.horizon {
            observer.note(now, Happening::BeyondHorizon { touchpoint });
            self.stop_watching(slot, Watch::Done);
            return;
        }
        self.stop_watching(slot, Watch::Due { first_due: due, attempts: 0 });
        self.push(due, Item::SmsDue(touchpoint));
    }

    /// A watched trigger is watched no more: it fired, or its window closed.
    fn stop_watching(&mut self, slot: usize, next: Watch) {
        self.watch[slot] = next;
        self.watching -= 1;
    }

    /// The legal windows and quiet hours that bind the contact, read on the
    /// clock of every zone that applies (the phone's, the other zone of a
    /// split area code, the profile's).
    fn send_window(&self, cohort: &Cohort, index: usize) -> SendWindow<'p> {
        let plan = self.plan;
        let state = cohort.state(index).map_or("", |state| US_STATES[usize::from(state)]);
        let clocks = cohort.legal_time_zones(index).into_iter().map(|zone| &plan.clocks[usize::from(zone)]).collect();
        SendWindow::new(&plan.run.policies, state, clocks, &plan.holidays)
    }

    /// Why an SMS may not go now, with the first minute the block lifts if it lifts with time.
    fn sms_block(&self, cohort: &Cohort, index: usize, touchpoint: usize) -> Option<(Block, Option<u32>)> {
        if let Some(block) = self.audience_block(cohort, index, touchpoint) {
            return Some((block, None));
        }
        let plan = self.plan;
        let policies = &plan.run.policies;
        let now = self.state.now;
        let window = self.send_window(cohort, index);
        if let Some(closed) = window.closed(now) {
            return Some((closed_block(&closed), window.next_open(now)));
        }
        let after = |at: Option<u32>, hours: u16| at.map(|at| at + u32::from(hours) * HOUR).filter(|&end| end > now);
        if let Some(end) = after(self.state.last_reply, policies.reply_cooldown_hours) {
            return Some((Block::ReplyCooldown, Some(end)));
        }
        if let Some(end) = after(self.state.last_sms.map(|(at, _)| at), policies.collisions.min_hours_between_sms) {
            return Some((Block::SmsGap, Some(end)));
        }
        if let Some(end) = after(self.state.last_email.map(|(at, _)| at), policies.collisions.sms_after_email_hours) {
            let exempt =
                policies.collisions.high_intent_exempt && plan.run.high_intent.eval(&self.view(cohort, index), 0);
            if !exempt {
                return Some((Block::AfterEmail, Some(end)));
            }
        }
        if let Some((cap, until)) = self.state.touches.over_limit(&plan.limits, Channel::Sms, now) {
            let cap_index = plan.limits.iter().position(|limit| limit == cap).unwrap_or(0) as u8;
            return Some((Block::Cap(cap_index), Some(until)));
        }
        if let Some(state) = cohort.state(index)
            && let Some(limit) = &plan.run.state_limits[usize::from(state)]
            && let Some((_, until)) = self.state.touches.over_limit(std::slice::from_ref(limit), Channel::Sms, now)
        {
            return Some((Block::StateLimit(state), Some(until)));
        }
        None
    }

    pub(super) fn attempt_sms<O: Observer>(
        &mut self,
        cohort: &Cohort,
        index: usize,
        touchpoint: u16,
        observer: &mut O,
    ) {
        let slot = usize::from(touchpoint);
        let Watch::Due { first_due, attempts } = self.watch[slot] else { return };
        let now = self.state.now;
        let planned = &self.plan.run.touchpoints[slot];
        let Some((block, lifts_at)) = self.sms_block(cohort, index, slot) else {
            self.send_sms(cohort, index, touchpoint, observer);
            return;
        };
        let deadline = (first_due + MAX_DEFERRAL_HOURS * HOUR).min(self.plan.horizon - 1);
        let resolution = match (lifts_at, planned.when_blocked) {
            (None, _) => Resolution::Dropped,
            (Some(_), BlockedSend::Skip) => Resolution::Skipped,
            (Some(at), BlockedSend::Defer | BlockedSend::Advance) if at <= deadline && attempts < MAX_ATTEMPTS => {
                Resolution::Deferred(at)
            }
            (Some(_), _) => Resolution::Expired,
        };
        observer.note(now, Happening::SmsBlocked { touchpoint, block, resolution });
        if let Resolution::Deferred(at) = resolution {
            self.watch[slot] = Watch::Due { first_due, attempts: attempts + 1 };
            self.push(at, Item::SmsDue(touchpoint));
        } else {
            self.watch[slot] = Watch::Done;
        }
    }

    fn send_sms<O: Observer>(&mut self, cohort: &Cohort, index: usize, touchpoint: u16, observer: &mut O) {
        let plan = self.plan;
        let now = self.state.now;
        let slot = usize::from(touchpoint);
        self.watch[slot] = Watch::Done;
        self.note_collisions(Message::Sms(touchpoint), observer);
        self.state.touches.record(now, Channel::Sms);
        self.state.last_sms = Some((now, touchpoint));
        let phone = usize::from(cohort.phone_time_zone(index).unwrap_or(0));
        let local_hour = (plan.clocks[phone].local(now).minute_of_day / 60) as u8;
        observer.note(now, Happening::SmsSent { touchpoint, local_hour });
        self.add_event(cohort, index, EventKind::SmsReceived, None, None, observer);

        let planned = &plan.run.touchpoints[slot];
        let fatigue = plan.run.settings.fatigue;
        let window = u32::from(fatigue.window_hours) * HOUR;
        let tired = plan.fatigue_level(self.state.touches.recent(now, window, Some(Channel::Sms)));
        let replies = plan.run.settings.replies;
        let reply_window = (u32::from(planned.replies.response_window_hours) * HOUR).max(2);
        let delay =
            self.delay(planned.subject, decisions::REPLY_DELAY, replies.mean_reply_delay_minutes).min(reply_window - 1);
        let stop = fatigue.stop_floor + (fatigue.stop_ceiling - fatigue.stop_floor) * tired;
        if self.chance(planned.subject, decisions::STOP, stop) {
            self.push(now + delay, Item::Stop(touchpoint));
            return;
        }
        let reply =
            replies.base_by_moment[planned.moment_index] * (0.5 + self.propensity) * (1.0 - fatigue.reply_drop * tired);
        if self.chance(planned.subject, decisions::REPLY, reply) {
            self.push(now + delay, Item::Reply(touchpoint));
        }
    }
}

/// The block a closed send window stands for.
fn closed_block(closed: &Closed) -> Block {
    let state = |jurisdiction: &crate::model::Jurisdiction| match jurisdiction {
        crate::model::Jurisdiction::Federal => None,
        crate::model::Jurisdiction::State(code) => {
            US_STATES.iter().position(|known| known == code).map(|index| index as u8)
        }
    };
    match closed {
        Closed::QuietHours => Block::QuietHours,
        Closed::LegalHours(jurisdiction) => Block::LegalHours(state(jurisdiction)),
        Closed::ClosedDay(jurisdiction) => Block::ClosedDay(state(jurisdiction)),
        Closed::Holiday(jurisdiction) => Block::Holiday(state(jurisdiction)),
    }
}
