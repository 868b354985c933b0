//! One contact's journey, in time order. A small agenda (what happens
//! next, kept sorted) holds email sends, the engagement they cause, the
//! moments a touchpoint's trigger must be looked at again, SMS that are due
//! and the replies they draw. Each item may add later ones; every random
//! choice is a keyed draw ([`crate::random`]), so what happens to one
//! contact depends on nothing outside it. Whoever watches — the run's
//! tally or a single contact's timeline — sees every [`Happening`] through
//! the [`Observer`] it passes in, so both come from this one loop. What can
//! happen is said in [`super::happening`]; this module is only how it comes
//! to happen: the agenda and the email side here, each touchpoint's window
//! and SMS in [`sms`].

use crate::caps::Touches;
use crate::cohort::Cohort;
use crate::model::MINUTES_PER_DAY;
use crate::random::{ContactKey, Cutoff, Draws, RunKey, decisions};
use crate::rules::{Attribute, Channel, EventKind, EventQuery, Facts};

use super::happening::{Block, COLLISION_HOURS, CollisionKind, ContactStart, Happening, Message, ORGANIC, Observer};
use super::plan::{Plan, TIME_INPUT, attribute_input, event_input};

mod sms;

const DAY: u32 = MINUTES_PER_DAY as u32;
const HOUR: u32 = 60;

/// Chances per page for an organic visit over the horizon.
const ORGANIC_SLOTS: u32 = 2;

/// What comes next on a contact's agenda.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    Email(u16),
    Open(u16),
    Click(u16),
    Visit(u16, u16),
    MeetingIntent(u16),
    StageChange(u16, u8),
    Unsubscribe(u16),
    Tick(u16),
    SmsDue(u16),
    Reply(u16),
    Stop(u16),
}

/// Where a touchpoint stands for the contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Watch {
    /// Its step email has not gone out.
    Idle,
    /// The trigger is looked at on every change that may make it fire
    /// (a day passing among them, when that may), until `until`.
    Watching { step_sent: u32, until: u32 },
    /// Fired; the SMS is due, possibly after deferrals.
    Due { first_due: u32, attempts: u8 },
    /// Sent, dropped, or never to fire.
    Done,
}

/// An event a rule can count.
#[derive(Clone, Copy, Debug)]
struct Event {
    at: u32,
    kind: EventKind,
    channel: Option<Channel>,
    page: Option<u32>,
}

/// A contact's changing facts; the rest is read from the cohort.
#[derive(Debug, Default)]
struct State {
    now: u32,
    stage: u8,
    /// The minute the contact entered its stage (negative: before the run).
    stage_since: i64,
    meeting_intent: bool,
    in_sales_hands: bool,
    stopped: bool,
    unsubscribed: bool,
    /// Oldest first.
    events: Vec<Event>,
    touches: Touches,
    last_email: Option<(u32, u16)>,
    last_sms: Option<(u32, u16)>,
    last_reply: Option<u32>,
}

/// The contact's facts at `state.now`, as compiled rules read them.
struct View<'a> {
    cohort: &'a Cohort,
    index: usize,
    state: &'a State,
}

/// The reads a rule's tests make are calls: inlined, the compiler reads
/// every column any test might want before the first test runs, which
/// costs more than the two or three tests a check runs.
impl Facts for View<'_> {
    #[inline(never)]
    fn code(&self, _: usize, attribute: Attribute) -> u32 {
        match attribute {
            Attribute::Stage => u32::from(self.state.stage),
            _ => self.cohort.code(self.index, attribute),
        }
    }

    #[inline(never)]
    fn number(&self, _: usize, attribute: Attribute) -> f64 {
        match attribute {
            Attribute::DaysInStage => {
                ((i64::from(self.state.now) - self.state.stage_since).max(0) / i64::from(DAY)) as f64
            }
            _ => self.cohort.number(self.index, attribute),
        }
    }

    #[inline(never)]
    fn flag(&self, _: usize, attribute: Attribute) -> bool {
        match attribute {
            Attribute::InSalesHands => self.state.in_sales_hands,
            Attribute::MeetingIntent => self.state.meeting_intent,
            Attribute::OptedOut => self.state.stopped || self.cohort.flag(self.index, attribute),
            _ => self.cohort.flag(self.index, attribute),
        }
    }

    fn count(&self, _: usize, query: &EventQuery) -> u32 {
        let now = self.state.now;
        let mut count = 0;
        for event in self.state.events.iter().rev() {
            if now - event.at >= query.window_minutes {
                break;
            }
            count += u32::from(event.kind == query.kind && event.channel == query.channel && event.page == query.page);
        }
        count
    }
}

/// The `consent` code of contacts who opted in.
pub(super) const OPTED_IN: u32 = 0;

/// Runs contacts one after another, reusing its buffers.
pub struct Runner<'p> {
    plan: &'p Plan,
    run_key: RunKey,
    /// What is due, latest first, so the next item is the last; items due at
    /// the same minute come off in the order they were put on. A contact has
    /// only a handful at a time, so a sorted list beats a heap.
    agenda: Vec<(u32, Item)>,
    state: State,
    watch: Vec<Watch>,
    /// How many of `watch` are [`Watch::Watching`]: most often none, and
    /// then a change of the contact's facts has no trigger to look at.
    watching: usize,
    contact: u64,
    key: ContactKey,
    propensity: f64,
    /// The contact's chance to open an email at no fatigue, and the same as
    /// a [`Cutoff`], which decides most open draws without a float.
    fresh_open: f64,
    fresh_open_cutoff: Cutoff,
    /// What keeps the contact from every SMS from the start (opted out, or
    /// no consent), found once rather than at every touchpoint.
    standing_block: Option<Block>,
}

impl<'p> Runner<'p> {
    pub(super) fn new(plan: &'p Plan, seed: u64) -> Runner<'p> {
        Runner {
            plan,
            run_key: RunKey::new(seed),
            agenda: Vec::new(),
            state: State::default(),
            watch: vec![Watch::Idle; plan.run.touchpoints.len()],
            watching: 0,
            contact: 0,
            key: ContactKey::new(seed, 0),
            propensity: 0.0,
            fresh_open: 0.0,
            fresh_open_cutoff: Cutoff::new(0.0),
            standing_block: None,
        }
    }

    fn draws(&self, subject: u64, decision: u64) -> Draws {
        self.key.draws(subject, decision)
    }

    fn chance(&self, subject: u64, decision: u64, probability: f64) -> bool {
        self.draws(subject, decision).uniform() < probability
    }

    /// An exponential delay with the given mean, at least one minute.
    fn delay(&self, subject: u64, decision: u64, mean_minutes: u32) -> u32 {
        exponential(&mut self.draws(subject, decision), mean_minutes)
    }

    /// Minutes drawn evenly from `low..low + span`.
    fn minutes_between(&self, subject: u64, decision: u64, low: u32, span: u32) -> u32 {
        low + (self.draws(subject, decision).uniform() * f64::from(span)) as u32
    }

    fn push(&mut self, at: u32, item: Item) {
        if at < self.plan.horizon {
            let before_later = self.agenda.iter().rposition(|&(due, _)| due > at).map_or(0, |later| later + 1);
            self.agenda.insert(before_later, (at, item));
        }
    }

    fn view<'a>(&'a self, cohort: &'a Cohort, index: usize) -> View<'a> {
        View { cohort, index, state: &self.state }
    }

    /// Simulates contact `index` of `cohort`, telling `observer` everything.
    /// Kept whole, with [`Runner::handle`] inside and out of its caller, so
    /// that a small change elsewhere cannot tip the compiler into splitting
    /// the loop from its items (that costs about 4 % more instructions).
    #[inline(never)]
    pub fn run<O: Observer>(&mut self, cohort: &Cohort, index: usize, observer: &mut O) {
        let plan = self.plan;
        self.contact = (cohort.first() + index) as u64;
        self.key = self.run_key.contact(self.contact);
        self.propensity = cohort.engagement_propensity(index);
        let engagement = plan.run.settings.engagement;
        self.fresh_open = engagement.open_base + engagement.open_per_propensity * self.propensity;
        self.fresh_open_cutoff = Cutoff::new(self.fresh_open);
        self.standing_block = if cohort.flag(index, Attribute::OptedOut) {
            Some(Block::OptedOut)
        } else if cohort.code(index, Attribute::Consent) != OPTED_IN {
            Some(Block::NoConsent)
        } else {
            None
        };
        self.agenda.clear();
        self.watch.fill(Watch::Idle);
        self.watching = 0;
        let spread = u32::from(plan.run.settings.entry_spread_days) + 1;
        let entry_day =
            (self.draws(decisions::WHOLE_CONTACT, decisions::ENTRY_DAY).uniform() * f64::from(spread)) as u32;
        let entry = entry_day * DAY;
        let days_in_stage = i64::from(cohort.days_in_stage(index));
        let mut events = std::mem::take(&mut self.state.events);
        events.clear();
        let mut touches = std::mem::take(&mut self.state.touches);
        touches.clear();
        self.state = State {
            stage: cohort.code(index, Attribute::Stage) as u8,
            stage_since: i64::from(entry) - days_in_stage * i64::from(DAY),
            events,
            touches,
            ..State::default()
        };
        let phone = cohort.phone(index);
        observer.begin(&ContactStart {
            contact: self.contact as u32,
            persona: cohort.code(index, Attribute::Persona) as u8,
            account_owner: cohort.code(index, Attribute::Owner) as u8,
            territory: phone.territory.map(|territory| territory as u8),
            entry,
            area_code: phone.area_code,
            state: phone.state,
            phone_time_zone: phone.time_zone.unwrap_or(0),
            profile_time_zone: cohort.profile_time_zone(index).unwrap_or(0),
        });
        // When each step's email is due, in step order (which is time order);
        // merged with the agenda rather than put on it, as most of a
        // contact's items are these.
        let email_times = plan.email_times(cohort.profile_time_zone(index).unwrap_or(0), entry_day);
        self.schedule_organic_visits(entry);
        let mut next_email = 0;
        loop {
            // Scheduled emails go before agenda items due at the same minute.
            // Handled apart from the agenda's items, so that the commonest
            // item is not put into an `Item` to be taken out.
            if let Some(&email) = email_times.get(next_email)
                && self.agenda.last().is_none_or(|&(agenda, _)| email <= agenda)
            {
                self.state.now = email;
                self.email_due(cohort, index, next_email as u16, observer);
                next_email += 1;
            } else if let Some((at, item)) = self.agenda.pop() {
                self.state.now = at;
                self.handle(cohort, index, item, observer);
            } else {
                break;
            }
        }
        observer.end(&self.state.touches);
    }

    /// Visits to the rules' pages that no email caused, each page keyed on
    /// its own so a new page leaves the others' visits as they were. A slot's
    /// one draw decides both: below the chance it is a visit, and where below
    /// (evenly spread) is when.
    fn schedule_organic_visits(&mut self, entry: u32) {
        let plan = self.plan;
        let chance =
            plan.run.settings.engagement.organic_visits_per_page * (0.5 + self.propensity) / f64::from(ORGANIC_SLOTS);
        if chance <= 0.0 || entry >= plan.horizon {
            return;
        }
        let span = f64::from(plan.horizon - entry);
        for (page, &(_, page_subject)) in plan.run.pages.iter().enumerate() {
            let mut draws = self.draws(page_subject, decisions::ORGANIC_VISIT);
            for _ in 0..ORGANIC_SLOTS {
                let draw = draws.uniform();
                if draw < chance {
                    self.push(entry + (draw / chance * span) as u32, Item::Visit(ORGANIC, page as u16));
                }
            }
        }
    }

    #[inline(always)]
    fn handle<O: Observer>(&mut self, cohort: &Cohort, index: usize, item: Item, observer: &mut O) {
        let plan = self.plan;
        let now = self.state.now;
        let engagement = plan.run.settings.engagement;
        match item {
            Item::Email(step) => self.email_due(cohort, index, step, observer),
            Item::Open(step) => {
                observer.note(now, Happening::Opened { step });
                self.add_event(cohort, index, EventKind::Open, Some(Channel::Email), None, observer);
                let subject = plan.run.steps[usize::from(step)].subject;
                let click = engagement.click_base + engagement.click_per_propensity * self.propensity;
                if self.chance(subject, decisions::CLICK, click) {
                    let at = now + self.minutes_between(subject, decisions::CLICK_DELAY, 1, 30);
                    self.push(at, Item::Click(step));
                }
            }
            Item::Click(step) => {
                observer.note(now, Happening::Clicked { step });
                self.add_event(cohort, index, EventKind::Click, Some(Channel::Email), None, observer);
                let planned = &plan.run.steps[usize::from(step)];
                let visit = engagement.visit_after_click * (0.5 + self.propensity);
                for (page, &(_, page_subject)) in plan.run.pages.iter().enumerate() {
                    if self.chance(planned.subject, decisions::visit(page_subject), visit) {
                        let at =
                            now + self.minutes_between(planned.subject, decisions::visit_delay(page_subject), 2, 58);
                        self.push(at, Item::Visit(step, page as u16));
                    }
                }
                let intent = engagement.meeting_intent_after_click * self.propensity;
                if !self.state.meeting_intent && self.chance(planned.subject, decisions::MEETING_INTENT, intent) {
                    let at = now + self.minutes_between(planned.subject, decisions::MEETING_INTENT_DELAY, 5, 115);
                    self.push(at, Item::MeetingIntent(step));
                }
                let progress = engagement.stage_progress_after_click * (0.5 + self.propensity);
                if let Some(goal) = planned.stage_goal.filter(|&goal| goal > self.state.stage)
                    && self.chance(planned.subject, decisions::STAGE_PROGRESS, progress)
                {
                    self.push(now + DAY, Item::StageChange(step, goal));
                }
            }
            Item::Visit(step, page) => {
                observer.note(now, Happening::Visited { step, page });
                let code = plan.run.pages[usize::from(page)].0;
                self.add_event(cohort, index, EventKind::Visit, None, Some(code), observer);
            }
            Item::MeetingIntent(step) => {
                if !self.state.meeting_intent {
                    self.state.meeting_intent = true;
                    observer.note(now, Happening::MeetingIntent { step });
                    self.inputs_changed(cohort, index, attribute_input(Attribute::MeetingIntent), observer);
                }
            }
            Item::StageChange(step, stage) => {
                if stage > self.state.stage {
                    self.state.stage = stage;
                    self.state.stage_since = i64::from(now);
                    observer.note(now, Happening::StageProgressed { step, stage });
                    let changed = attribute_input(Attribute::Stage) | attribute_input(Attribute::DaysInStage);
                    self.inputs_changed(cohort, index, changed, observer);
                }
            }
            Item::Unsubscribe(step) => {
                self.state.unsubscribed = true;
                observer.note(now, Happening::Unsubscribed { step });
            }
            Item::Tick(touchpoint) => {
                if matches!(self.watch[usize::from(touchpoint)], Watch::Watching { .. }) {
                    self.look_at_trigger(cohort, index, touchpoint, observer);
                    self.tick_tomorrow(touchpoint);
                }
            }
            Item::SmsDue(touchpoint) => self.attempt_sms(cohort, index, touchpoint, observer),
            Item::Reply(touchpoint) => {
                let planned = &plan.run.touchpoints[usize::from(touchpoint)];
                let routed = planned.replies.route_to_owner;
                self.state.last_reply = Some(now);
                self.state.in_sales_hands |= routed;
                let high_intent = plan.run.high_intent.eval(&self.view(cohort, index), 0);
                let meeting = self.chance(
                    planned.subject,
                    decisions::MEETING,
                    plan.run.settings.replies.meeting_by_moment[planned.moment_index],
                );
                observer.note(now, Happening::Replied { touchpoint, high_intent, meeting, routed });
                self.add_event(cohort, index, EventKind::Reply, Some(Channel::Sms), None, observer);
                self.inputs_changed(cohort, index, attribute_input(Attribute::InSalesHands), observer);
            }
            Item::Stop(touchpoint) => {
                self.state.stopped = true;
                let subject = plan.run.touchpoints[usize::from(touchpoint)].subject;
                let keyword =
                    self.draws(subject, decisions::STOP_KEYWORD).pick(&[10.0, 1.0, 3.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
                observer.note(now, Happening::OptedOut { touchpoint, keyword: keyword as u8 });
                observer.note(now, Happening::OptOutConfirmed { touchpoint });
                self.inputs_changed(cohort, index, attribute_input(Attribute::OptedOut), observer);
            }
        }
    }

    /// Looks at a watched trigger again a day from now, if time alone may
    /// make it fire and its window is still open then; any other change
    /// that may make it fire has it looked at there and then
    /// ([`Runner::inputs_changed`]).
    fn tick_tomorrow(&mut self, touchpoint: u16) {
        let tomorrow = self.state.now + DAY;
        if let Watch::Watching { until, .. } = self.watch[usize::from(touchpoint)]
            && tomorrow <= until
            && self.plan.run.touchpoints[usize::from(touchpoint)].trigger_inputs & TIME_INPUT != 0
        {
            self.push(tomorrow, Item::Tick(touchpoint));
        }
    }

    /// A step's email is due: it goes out, unless held back, and opens its
    /// touchpoints' windows. Inlined, with what it calls, at both places an
    /// email comes due (its day, from the loop; after a cap held it, from
    /// the agenda): otherwise the compiler takes the email's whole path out
    /// of the loop, at about 10 % more instructions.
    #[inline(always)]
    fn email_due<O: Observer>(&mut self, cohort: &Cohort, index: usize, step: u16, observer: &mut O) {
        if self.send_email(step, observer) {
            for &touchpoint in &self.plan.run.steps[usize::from(step)].touchpoints {
                self.open_window(cohort, index, touchpoint as u16, observer);
            }
        }
    }

    /// Inlined for its common answer: with a standing block no trigger is
    /// ever watched and no SMS goes out to draw a reply, so nothing would
    /// read the contact's events.
    #[inline(always)]
    fn add_event<O: Observer>(
        &mut self,
        cohort: &Cohort,
        index: usize,
        kind: EventKind,
        channel: Option<Channel>,
        page: Option<u32>,
        observer: &mut O,
    ) {
        if self.standing_block.is_none() {
            self.state.events.push(Event { at: self.state.now, kind, channel, page });
            self.inputs_changed(cohort, index, event_input(kind), observer);
        }
    }

    /// Looks again at every watched trigger that reads one of `changed`.
    /// Inlined for its common answer: no trigger is watched.
    #[inline(always)]
    fn inputs_changed<O: Observer>(&mut self, cohort: &Cohort, index: usize, changed: u32, observer: &mut O) {
        if self.watching > 0 {
            self.look_at_triggers_reading(cohort, index, changed, observer);
        }
    }

    #[inline(never)]
    fn look_at_triggers_reading<O: Observer>(&mut self, cohort: &Cohort, index: usize, changed: u32, observer: &mut O) {
        for touchpoint in 0..self.plan.run.touchpoints.len() {
            if matches!(self.watch[touchpoint], Watch::Watching { .. })
                && self.plan.run.touchpoints[touchpoint].trigger_inputs & changed != 0
            {
                self.look_at_trigger(cohort, index, touchpoint as u16, observer);
            }
        }
    }

    /// Sends a step's email unless the contact unsubscribed or a cap holds
    /// it back; says whether it went. Inlined: see [`Runner::email_due`].
    #[inline(always)]
    fn send_email<O: Observer>(&mut self, step: u16, observer: &mut O) -> bool {
        if self.state.unsubscribed {
            return false;
        }
        let plan = self.plan;
        let now = self.state.now;
        let may_be_capped = plan.emails_alone_may_reach_a_cap || self.state.last_sms.is_some();
        if may_be_capped && let Some((cap, until)) = self.state.touches.over_limit(&plan.limits, Channel::Email, now) {
            let cap_index = plan.limits.iter().position(|limit| limit == cap).unwrap_or(0) as u8;
            let until = (until < plan.horizon).then_some(until);
            observer.note(now, Happening::EmailHeld { step, block: Block::Cap(cap_index), until });
            if let Some(until) = until {
                self.push(until, Item::Email(step));
            }
            return false;
        }
        self.note_collisions(Message::Email(step), observer);
        self.state.touches.record(now, Channel::Email);
        self.state.last_email = Some((now, step));
        observer.note(now, Happening::EmailSent { step });

        let engagement = plan.run.settings.engagement;
        let subject = plan.run.steps[usize::from(step)].subject;
        // One stream for the email's three draws, always taken in this order;
        // the delay, which may take more than one number, last.
        let mut draws = self.draws(subject, decisions::EMAIL);
        let (open_draw, unsubscribe_draw) = (draws.uniform_bits(), draws.uniform_bits());
        // Fatigue only scales a chance down from its value at no fatigue, so
        // it is worked out only for draws it could decide.
        if open_draw.below(self.fresh_open_cutoff) && self.opens_when_tired(open_draw.uniform()) {
            let at = now + exponential(&mut draws, engagement.mean_open_delay_minutes);
            self.push(at, Item::Open(step));
        }
        if unsubscribe_draw.below(plan.unsubscribe_bound) && self.unsubscribes_when_tired(unsubscribe_draw.uniform()) {
            self.push(now + HOUR, Item::Unsubscribe(step));
        }
        true
    }

    /// Whether an open drawn at `open_draw`, below the contact's chance with
    /// no recent messages (`fresh_open`), survives the contact's fatigue.
    /// Out of line, as is [`Runner::unsubscribes_when_tired`]: most emails
    /// go unopened whatever the fatigue, and the sending path is shorter
    /// without the fatigue's settings.
    #[inline(never)]
    fn opens_when_tired(&self, open_draw: f64) -> bool {
        let fresh_open = self.fresh_open;
        let fatigue = self.plan.run.settings.fatigue;
        let window = u32::from(fatigue.window_hours) * HOUR;
        let tired = self.plan.fatigue_level(self.state.touches.recent(self.state.now, window, None));
        open_draw < fresh_open * (1.0 - fatigue.engagement_drop * tired)
    }

    /// Whether an unsubscribe drawn at `unsubscribe_draw` happens at the
    /// contact's fatigue from recent emails.
    #[inline(never)]
    fn unsubscribes_when_tired(&self, unsubscribe_draw: f64) -> bool {
        let fatigue = self.plan.run.settings.fatigue;
        let window = u32::from(fatigue.window_hours) * HOUR;
        let recent = self.state.touches.recent(self.state.now, window, Some(Channel::Email));
        let tired_of_email = self.plan.fatigue_level(recent);
        unsubscribe_draw
            < fatigue.unsubscribe_floor + (fatigue.unsubscribe_ceiling - fatigue.unsubscribe_floor) * tired_of_email
    }

    /// Notes a collision for every message sent less than
    /// [`COLLISION_HOURS`] before `message` goes out now. Inlined: at almost
    /// every send nothing is that close, and the check is two comparisons.
    #[inline]
    fn note_collisions<O: Observer>(&self, message: Message, observer: &mut O) {
        let now = self.state.now;
        let close = |at: u32| now - at < COLLISION_HOURS * HOUR;
        if let Some((at, step)) = self.state.last_email.filter(|(at, _)| close(*at)) {
            let kind = match message {
                Message::Email(_) => CollisionKind::EmailAfterEmail,
                Message::Sms(_) => CollisionKind::SmsAfterEmail,
            };
            note_collision(
                observer,
                now,
                Happening::Collision { kind, earlier: Message::Email(step), earlier_at: at, later: message },
            );
        }
        if let Some((at, touchpoint)) = self.state.last_sms.filter(|(at, _)| close(*at)) {
            let kind = match message {
                Message::Email(_) => CollisionKind::EmailAfterSms,
                Message::Sms(_) => CollisionKind::SmsAfterSms,
            };
            note_collision(
                observer,
                now,
                Happening::Collision { kind, earlier: Message::Sms(touchpoint), earlier_at: at, later: message },
            );
        }
    }
}

/// Tells `observer` of a collision, out of the sending path: collisions are rare.
#[cold]
fn note_collision<O: Observer>(observer: &mut O, now: u32, collision: Happening) {
    observer.note(now, collision);
}

/// An exponential delay with the given mean, at least one minute and at most 30 days.
/// Inlined: its common path (one hash, a table look-up, a multiplication)
/// is not much longer than a call's saving and restoring of registers.
#[inline(always)]
fn exponential(draws: &mut Draws, mean_minutes: u32) -> u32 {
    let minutes = f64::from(mean_minutes) * draws.exponential();
    (minutes as u32).clamp(1, 30 * DAY)
}
