//! A journey made ready to simulate, in two stages. [`CompiledRun`] is
//! everything that needs the journey's text: every problem checked, steps
//! in day order, every rule compiled against the cohort's vocabulary, the
//! legal per-day limit of every state. It is plain data that serialises, so
//! the app builds it on the page, where rules are checked as they are
//! typed anyway, and its simulation workers never carry the rule language
//! or the document readers. [`Plan`] adds what the simulator needs besides:
//! a clock per time zone, the holidays, each zone's email send times and
//! the caps as limits. The per-contact loop then reads only numbers.

use serde::{Deserialize, Serialize};

use crate::caps::Limit;
use crate::cohort::{CohortSpec, MAX_COHORT_SIZE};
use crate::legal::holidays::Calendar;
use crate::local_time::{ZoneClock, clocks};
use crate::model::{
    BlockedSend, Journey, MINUTES_PER_DAY, Moment, OwnerId, Policies, ReplyHandling, Routing, SendTiming, StepId,
    TouchpointId,
};
use crate::places::US_STATES;
use crate::random::{Cutoff, subject_id};
use crate::rules::{self, Attribute, Channel, CheckedRule, EventKind, EventQuery, Facts, Program, Vocabulary};
use crate::validate::Problem;

use super::contact::OPTED_IN;
use super::settings::{SimulationSettings, moment_index};

/// A nurture step as the simulator sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct PlannedStep {
    pub id: StepId,
    pub name: String,
    pub day: u16,
    /// Keys the step's random decisions ([`subject_id`] of its id).
    pub subject: u64,
    /// The stage code the step aims for.
    pub stage_goal: Option<u8>,
    /// Indexes into [`CompiledRun::touchpoints`] of the SMS attached to it.
    pub touchpoints: Vec<usize>,
}

/// An SMS touchpoint as the simulator sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct PlannedTouchpoint {
    pub id: TouchpointId,
    pub name: String,
    /// Index into [`CompiledRun::steps`].
    pub step: usize,
    pub subject: u64,
    pub moment: Moment,
    pub moment_index: usize,
    pub trigger: Program,
    pub eligibility: Program,
    /// [`inputs`] of the trigger: which changes may make it fire, time included.
    pub trigger_inputs: u32,
    pub timing: SendTiming,
    pub when_blocked: BlockedSend,
    pub replies: ReplyHandling,
}

/// The bit of [`inputs`] for a change of `attribute`.
pub(super) fn attribute_input(attribute: Attribute) -> u32 {
    1 << (attribute as u32)
}

/// The bit of [`inputs`] for a new event of `kind`.
pub(super) fn event_input(kind: EventKind) -> u32 {
    1 << (16 + kind as u32)
}

/// The bit of [`inputs`] for time passing, when it alone may make a
/// program hold ([`crate::rules::Reads::may_come_to_hold_with_time`]).
pub(super) const TIME_INPUT: u32 = 1 << 31;

/// The changes that may make a program hold, as a bit set.
fn inputs(program: &Program) -> u32 {
    let reads = program.reads();
    let time = if reads.may_come_to_hold_with_time { TIME_INPUT } else { 0 };
    let attributes = reads.attributes.iter().fold(time, |bits, attribute| bits | attribute_input(*attribute));
    reads.events.iter().fold(attributes, |bits, query| bits | event_input(query.kind))
}

/// A journey, a cohort spec and settings, checked and compiled for one
/// run: the first stage of a [`super::Simulation`], built by
/// [`CompiledRun::new`] and finished by [`super::Simulation::from_compiled`].
/// Its fields are only read by the simulator; it serialises (postcard) so
/// that it can be built in one place and simulated in another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompiledRun {
    pub(super) settings: SimulationSettings,
    /// Checked; the simulator draws its contacts from it.
    pub(super) spec: CohortSpec,
    /// In day order; steps on the same day keep the journey's order.
    pub(super) steps: Vec<PlannedStep>,
    /// In the journey's order.
    pub(super) touchpoints: Vec<PlannedTouchpoint>,
    pub(super) policies: Policies,
    /// Per state (index in [`US_STATES`]), the strictest legal messages-per-24-hours limit binding it.
    pub(super) state_limits: Vec<Option<Limit>>,
    pub(super) high_intent: Program,
    pub(super) suppression: Program,
    /// Pages the rules mention: (vocabulary code, [`subject_id`] of the name).
    pub(super) pages: Vec<(u32, u64)>,
    pub(super) page_names: Vec<String>,
    pub(super) routing: Routing,
    /// The ids of the cohort spec's account owners, by the `owner` code of a contact.
    pub(super) account_owners: Vec<OwnerId>,
    /// The names of the cohort spec's territories, by index.
    pub(super) territories: Vec<String>,
    /// When nurture emails go out, in minutes after local midnight.
    pub(super) email_send_minute: u16,
}

/// A compiled run with what the simulator reads besides, for one run.
#[derive(Clone, Debug)]
pub(super) struct Plan {
    pub run: CompiledRun,
    /// Simulated minutes.
    pub horizon: u32,
    /// One per [`crate::places::TIME_ZONES`] entry.
    pub clocks: Vec<ZoneClock>,
    /// The legal holidays over the run, as local days since the start date.
    pub holidays: Calendar,
    /// Per time zone and entry day (`zone * entry_days + day`), the
    /// simulated minute each step's email is due: the journey's send time on
    /// the zone's clock on the step's day. In step order, up to the first
    /// step due after the horizon, as no later email goes out; worked out
    /// once rather than for every email of every contact.
    email_times: Vec<Vec<u32>>,
    /// How many days contacts enter on.
    entry_days: usize,
    /// The journey's frequency caps.
    pub limits: Vec<Limit>,
    /// [`super::FatigueModel::level`] for 0 to [`FATIGUE_TABLE`] − 1 touches,
    /// worked out once: the loop asks for it at every send.
    fatigue_levels: Vec<f64>,
    /// The highest unsubscribe chance at any fatigue (the larger of the
    /// floor and the ceiling), as a cutoff: a draw above it needs no
    /// fatigue level.
    pub unsubscribe_bound: Cutoff,
    /// Whether the nurture emails alone may reach a cap that counts email
    /// ([`emails_alone_may_reach_a_cap`]); when they cannot, an email needs
    /// checking against the caps only once an SMS has gone out.
    pub emails_alone_may_reach_a_cap: bool,
    /// Each touchpoint's eligibility rule and the suppression rule, with
    /// their tests of consent and opt-out settled for the only contacts
    /// they are run for: opted in and not opted out (any other contact has
    /// a standing block, or a STOP, found first).
    pub reachable_eligibility: Vec<Program>,
    pub reachable_suppression: Program,
}

/// What every contact whose audience rules run has, for [`Program::given`]:
/// consent opted in, not opted out.
struct Reachable;

/// The attributes [`Reachable`] answers for.
const REACHABLE: [Attribute; 2] = [Attribute::Consent, Attribute::OptedOut];

impl Facts for Reachable {
    fn code(&self, _: usize, _: Attribute) -> u32 {
        OPTED_IN
    }

    fn number(&self, _: usize, _: Attribute) -> f64 {
        0.0
    }

    fn flag(&self, _: usize, _: Attribute) -> bool {
        false
    }

    fn count(&self, _: usize, _: &EventQuery) -> u32 {
        0
    }
}

/// Touches beyond this many read as this many minus one (fatigue is 1 long before).
const FATIGUE_TABLE: usize = 64;

impl Plan {
    /// Adds to `run` its clocks, holidays, email send times, limits, fatigue
    /// levels and unsubscribe bound.
    pub fn new(run: CompiledRun) -> Plan {
        let settings = &run.settings;
        let horizon = u32::from(settings.horizon_days) * u32::from(MINUTES_PER_DAY);
        // A margin past the horizon, for local times read near its end.
        let clocks = clocks(settings.start, horizon + 2 * u32::from(MINUTES_PER_DAY));
        let entry_days = usize::from(settings.entry_spread_days) + 1;
        let last_step_day = run.steps.iter().map(|step| usize::from(step.day)).max().unwrap_or(0);
        let email_times = clocks
            .iter()
            .flat_map(|clock| {
                let on_day: Vec<u32> = (0..entry_days + last_step_day)
                    .map(|day| clock.utc_for_local(day as i32, run.email_send_minute))
                    .collect();
                let steps = &run.steps;
                (0..entry_days).map(move |entry_day| {
                    let due = |step: &PlannedStep| on_day[entry_day + usize::from(step.day)];
                    steps.iter().map(due).take_while(|&at| at < horizon).collect()
                })
            })
            .collect();
        let limits: Vec<Limit> = run.policies.caps.iter().map(Limit::from).collect();
        Plan {
            emails_alone_may_reach_a_cap: emails_alone_may_reach_a_cap(&run.steps, &limits),
            horizon,
            clocks,
            holidays: Calendar::new(settings.start, u32::from(settings.horizon_days)),
            email_times,
            entry_days,
            limits,
            fatigue_levels: (0..FATIGUE_TABLE).map(|touches| settings.fatigue.level(touches)).collect(),
            unsubscribe_bound: Cutoff::new(
                settings.fatigue.unsubscribe_ceiling.max(settings.fatigue.unsubscribe_floor),
            ),
            reachable_eligibility: run
                .touchpoints
                .iter()
                .map(|touchpoint| touchpoint.eligibility.given(&REACHABLE, &Reachable))
                .collect(),
            reachable_suppression: run.suppression.given(&REACHABLE, &Reachable),
            run,
        }
    }

    /// The fatigue level after `touches` recent messages.
    pub fn fatigue_level(&self, touches: usize) -> f64 {
        self.fatigue_levels[touches.min(FATIGUE_TABLE - 1)]
    }

    /// When each step's email is due to a contact in `zone` who entered on
    /// `entry_day`, in step order, up to the first step due after the horizon.
    pub fn email_times(&self, zone: u8, entry_day: u32) -> &[u32] {
        &self.email_times[usize::from(zone) * self.entry_days + entry_day as usize]
    }
}

/// Whether a contact sent nothing but the steps' emails, each on its day,
/// may reach one of `limits` that counts email. Each email goes out at the
/// journey's send time on the contact's local clock, so two emails `d` days
/// apart are `d` days apart within the hour a daylight-saving switch moves
/// them; a day's margin covers that. None is held back until one is, so
/// the first held is held by emails on their days.
fn emails_alone_may_reach_a_cap(steps: &[PlannedStep], limits: &[Limit]) -> bool {
    let day = u32::from(MINUTES_PER_DAY);
    limits.iter().filter(|limit| limit.counts(Channel::Email)).any(|limit| {
        let days_together = limit.window_minutes.div_ceil(day) + 1;
        let most_together = steps.iter().map(|first| {
            let together =
                |step: &&PlannedStep| (u32::from(step.day).wrapping_sub(u32::from(first.day))) < days_together;
            steps.iter().filter(together).count()
        });
        most_together.max().unwrap_or(0) >= usize::from(limit.max)
    })
}

/// A rule's problems as journey problems, with the characters they concern.
fn rule_problems(journey: &Journey) -> Vec<Problem> {
    journey
        .rule_problems()
        .into_iter()
        .map(|problem| Problem {
            path: problem.path,
            message: format!(
                "{} (characters {}–{})",
                problem.diagnostic.message, problem.diagnostic.span.start, problem.diagnostic.span.end
            ),
        })
        .collect()
}

/// `problems` at their paths in a `tandem.cohort/v1` document beside the journey's.
fn under(prefix: &str, problems: Vec<Problem>) -> impl Iterator<Item = Problem> {
    problems.into_iter().map(move |problem| Problem { path: format!("{prefix}{}", problem.path), ..problem })
}

impl CompiledRun {
    /// Checks and compiles `journey` for a cohort drawn from `spec`, or
    /// lists everything that stops it from running: journey problems at
    /// their paths, rule problems with their characters, setting problems
    /// under `/cohort/settings` and cohort problems under `/cohort`, as in
    /// a `tandem.cohort/v1` document.
    pub fn new(
        journey: &Journey,
        spec: &CohortSpec,
        settings: &SimulationSettings,
    ) -> Result<CompiledRun, Vec<Problem>> {
        CompiledRun::up_to(journey, spec, settings, MAX_COHORT_SIZE)
    }

    /// [`CompiledRun::new`], with cohorts of up to `max_size` contacts allowed:
    /// [`crate::cohort::MAX_SHARDED_COHORT_SIZE`] for a run split into shards, each of which
    /// simulates a range of at most [`MAX_COHORT_SIZE`].
    pub fn up_to(
        journey: &Journey,
        spec: &CohortSpec,
        settings: &SimulationSettings,
        max_size: u32,
    ) -> Result<CompiledRun, Vec<Problem>> {
        let mut problems = journey.problems();
        problems.extend(rule_problems(journey));
        problems.extend(under("/cohort/settings", settings.problems()));
        problems.extend(under("/cohort", spec.problems_up_to(max_size)));
        if !problems.is_empty() {
            return Err(problems);
        }
        let definitions = journey.definitions();
        let checked =
            |text: &str| -> CheckedRule { rules::check(text, &definitions).rule.expect("rules were checked above") };
        let triggers: Vec<CheckedRule> =
            journey.touchpoints.iter().map(|touchpoint| checked(&touchpoint.trigger)).collect();
        let eligibilities: Vec<CheckedRule> =
            journey.touchpoints.iter().map(|touchpoint| checked(&touchpoint.eligibility)).collect();
        let high_intent = checked(rules::HIGH_INTENT);
        let suppression = checked(&journey.policies.suppression);

        let mut vocabulary: Vocabulary = spec.owner_vocabulary();
        let mut page_names: Vec<String> = triggers
            .iter()
            .chain(&eligibilities)
            .chain([&high_intent, &suppression])
            .flat_map(CheckedRule::pages)
            .collect();
        page_names.sort_unstable();
        page_names.dedup();
        let pages = page_names.iter().map(|name| (vocabulary.intern(name), subject_id(name))).collect();
        let compile = |rule: &CheckedRule| Program::compile(rule, &vocabulary);

        let order = journey.step_order();
        let mut steps: Vec<PlannedStep> = order
            .iter()
            .map(|&index| {
                let step = &journey.steps[index];
                PlannedStep {
                    id: step.id.clone(),
                    name: step.name.clone(),
                    day: step.day,
                    subject: subject_id(&step.id.0),
                    stage_goal: step.stage_goal.map(|stage| stage as u8),
                    touchpoints: Vec::new(),
                }
            })
            .collect();
        let mut touchpoints = Vec::with_capacity(journey.touchpoints.len());
        for (index, touchpoint) in journey.touchpoints.iter().enumerate() {
            let step = steps.iter().position(|step| step.id == touchpoint.step).expect("validated: the step exists");
            steps[step].touchpoints.push(index);
            let trigger = compile(&triggers[index]);
            touchpoints.push(PlannedTouchpoint {
                id: touchpoint.id.clone(),
                name: touchpoint.name.clone(),
                step,
                subject: subject_id(&touchpoint.id.0),
                moment: touchpoint.moment,
                moment_index: moment_index(touchpoint.moment),
                trigger_inputs: inputs(&trigger),
                trigger,
                eligibility: compile(&eligibilities[index]),
                timing: touchpoint.timing,
                when_blocked: touchpoint.when_blocked,
                replies: touchpoint.replies,
            });
        }

        let policies = &journey.policies;
        let state_limits = US_STATES
            .iter()
            .map(|state| {
                policies
                    .legal_windows
                    .iter()
                    .filter(|window| window.binds(state))
                    .filter_map(|window| window.max_per_24h)
                    .min()
                    .map(Limit::sms_per_day)
            })
            .collect();
        Ok(CompiledRun {
            settings: settings.clone(),
            spec: spec.clone(),
            steps,
            touchpoints,
            policies: policies.clone(),
            state_limits,
            high_intent: compile(&high_intent),
            suppression: compile(&suppression),
            pages,
            page_names,
            routing: journey.routing.clone(),
            account_owners: spec.owners.iter().map(|owner| owner.id.clone()).collect(),
            territories: spec.territories.iter().map(|territory| territory.name.clone()).collect(),
            email_send_minute: journey.email_send_minute,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CapChannel, FrequencyCap};
    use crate::simulate::{Simulation, golden};

    fn steps_on(days: &[u16]) -> Vec<PlannedStep> {
        days.iter()
            .map(|&day| PlannedStep {
                id: StepId(format!("day-{day}")),
                name: String::new(),
                day,
                subject: 0,
                stage_goal: None,
                touchpoints: Vec::new(),
            })
            .collect()
    }

    fn cap(counts: CapChannel, max: u16, window_hours: u32) -> Limit {
        Limit { counts, max, window_minutes: window_hours * 60 }
    }

    #[test]
    fn emails_alone_reach_a_cap_only_when_enough_steps_fall_within_its_window_and_a_day() {
        let steps = steps_on(&[0, 4, 9, 16, 23]);
        let reaches = |limit: Limit| emails_alone_may_reach_a_cap(&steps, &[limit]);
        assert!(!reaches(cap(CapChannel::AllChannels, 4, 168)), "at most two steps in any 8 days");
        assert!(reaches(cap(CapChannel::AllChannels, 2, 168)), "days 0 and 4");
        assert!(reaches(cap(CapChannel::Email, 2, 96)), "4 days apart, within 96 hours give or take a switch");
        assert!(!reaches(cap(CapChannel::Email, 2, 72)), "4 days apart is always more than 72 hours");
        assert!(!reaches(cap(CapChannel::Sms, 1, 168)), "an SMS cap never holds an email");
        assert!(reaches(cap(CapChannel::Email, 0, 1)), "a cap of none holds every email");
    }

    #[test]
    fn checking_the_caps_before_the_first_sms_changes_nothing_when_emails_alone_cannot_reach_them() {
        let mut simulation = golden();
        assert!(!simulation.plan.emails_alone_may_reach_a_cap, "the playbook's caps: 4 messages in 168 hours");
        let skipping = simulation.run();
        simulation.plan.emails_alone_may_reach_a_cap = true;
        assert_eq!(simulation.run(), skipping);
    }

    #[test]
    fn a_cap_that_emails_alone_reach_holds_emails_back() {
        let mut journey = crate::samples::playbook();
        journey.policies.caps =
            vec![FrequencyCap { channel: CapChannel::Email, max_messages: 1, window_hours: 24 * 6 }];
        let spec = CohortSpec { size: 300, seed: 7, ..CohortSpec::default() };
        let simulation = Simulation::new(&journey, &spec, &SimulationSettings::default()).unwrap();
        assert!(simulation.plan.emails_alone_may_reach_a_cap);
        let result = simulation.run();
        assert!(result.totals.emails_held > 0, "steps 4 and 5 days apart, held into the next week");
    }

    /// What the app does: the page compiles the run, it travels as
    /// postcard bytes, and a worker simulates it.
    #[test]
    fn a_compiled_run_travels_as_bytes_and_simulates_exactly_as_one_simulation() {
        let spec = CohortSpec { size: 2_000, seed: 7, ..CohortSpec::default() };
        let run = CompiledRun::new(&crate::samples::playbook(), &spec, &SimulationSettings::default()).unwrap();
        let bytes = postcard::to_allocvec(&run).unwrap();
        let received: CompiledRun = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(received, run);
        let result = Simulation::from_compiled(received).run();
        assert_eq!(result, golden().run());
        assert_eq!(result.fingerprint(), include_str!("../../tests/golden/playbook-2000-seed-7.fingerprint").trim());
    }
}
