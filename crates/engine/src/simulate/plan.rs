//! A journey made ready to simulate, once per run: steps in day order,
//! every rule compiled against the cohort's vocabulary, caps as limits,
//! the legal per-day limit of every state, and a clock per time zone.
//! The per-contact loop then reads only numbers.

use crate::caps::Limit;
use crate::cohort::CohortSpec;
use crate::legal::holidays::Calendar;
use crate::local_time::{ZoneClock, clocks};
use crate::model::{
    BlockedSend, Journey, MINUTES_PER_DAY, Moment, OwnerId, Policies, ReplyHandling, Routing, SendTiming, StepId,
    TouchpointId,
};
use crate::places::US_STATES;
use crate::random::subject_id;
use crate::rules::{self, Attribute, CheckedRule, EventKind, Program, Vocabulary};
use crate::validate::Problem;

use super::settings::{SimulationSettings, moment_index};

/// A nurture step as the simulator sees it.
#[derive(Clone, Debug)]
pub(super) struct PlannedStep {
    pub id: StepId,
    pub name: String,
    pub day: u16,
    /// Keys the step's random decisions ([`subject_id`] of its id).
    pub subject: u64,
    /// The stage code the step aims for.
    pub stage_goal: Option<u8>,
    /// Indexes into [`Plan::touchpoints`] of the SMS attached to it.
    pub touchpoints: Vec<usize>,
}

/// An SMS touchpoint as the simulator sees it.
#[derive(Clone, Debug)]
pub(super) struct PlannedTouchpoint {
    pub id: TouchpointId,
    pub name: String,
    /// Index into [`Plan::steps`].
    pub step: usize,
    pub subject: u64,
    pub moment: Moment,
    pub moment_index: usize,
    pub trigger: Program,
    pub eligibility: Program,
    /// [`inputs`] of the trigger: which changes may make it fire.
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

/// The changes a program's result may depend on, as a bit set.
fn inputs(program: &Program) -> u32 {
    let reads = program.reads();
    let attributes = reads.attributes.iter().fold(0, |bits, attribute| bits | attribute_input(*attribute));
    reads.events.iter().fold(attributes, |bits, query| bits | event_input(query.kind))
}

/// A journey compiled for one run.
#[derive(Clone, Debug)]
pub(super) struct Plan {
    pub settings: SimulationSettings,
    /// Simulated minutes.
    pub horizon: u32,
    /// One per [`crate::places::TIME_ZONES`] entry.
    pub clocks: Vec<ZoneClock>,
    /// The legal holidays over the run, as local days since the start date.
    pub holidays: Calendar,
    /// In day order; steps on the same day keep the journey's order.
    pub steps: Vec<PlannedStep>,
    /// In the journey's order.
    pub touchpoints: Vec<PlannedTouchpoint>,
    /// Per time zone, the simulated minute the local clock shows the
    /// journey's email send time on each local day an email can be due (entry days and
    /// step days), worked out once rather than for every email of every contact.
    email_times: Vec<Vec<u32>>,
    pub policies: Policies,
    /// The journey's frequency caps.
    pub limits: Vec<Limit>,
    /// Per state (index in [`US_STATES`]), the strictest legal messages-per-24-hours limit binding it.
    pub state_limits: Vec<Option<Limit>>,
    pub high_intent: Program,
    pub suppression: Program,
    /// Pages the rules mention: (vocabulary code, [`subject_id`] of the name).
    pub pages: Vec<(u32, u64)>,
    pub page_names: Vec<String>,
    pub routing: Routing,
    /// The ids of the cohort spec's account owners, by the `owner` code of a contact.
    pub account_owners: Vec<OwnerId>,
    /// The names of the cohort spec's territories, by index.
    pub territories: Vec<String>,
    pub seed: u64,
    /// [`super::FatigueModel::level`] for 0 to [`FATIGUE_TABLE`] − 1 touches,
    /// worked out once: the loop asks for it at every send.
    fatigue_levels: Vec<f64>,
    /// The highest unsubscribe chance at any fatigue (the larger of the
    /// floor and the ceiling): a draw above it needs no fatigue level.
    pub unsubscribe_bound: f64,
}

/// Touches beyond this many read as this many minus one (fatigue is 1 long before).
const FATIGUE_TABLE: usize = 64;

impl Plan {
    /// The fatigue level after `touches` recent messages.
    pub fn fatigue_level(&self, touches: usize) -> f64 {
        self.fatigue_levels[touches.min(FATIGUE_TABLE - 1)]
    }

    /// When an email goes out in `zone` to a contact who entered on
    /// `entry_day`, by the step's day: the journey's email send time on the
    /// zone's clock.
    pub fn email_times(&self, zone: u8, entry_day: u32) -> &[u32] {
        &self.email_times[usize::from(zone)][entry_day as usize..]
    }
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

impl Plan {
    /// Compiles `journey` for a cohort drawn from `spec`, or lists every
    /// problem that stops it from running (journey, rules and settings).
    pub fn new(journey: &Journey, spec: &CohortSpec, settings: &SimulationSettings) -> Result<Plan, Vec<Problem>> {
        let mut problems = journey.problems();
        problems.extend(rule_problems(journey));
        problems.extend(
            settings
                .problems()
                .into_iter()
                .map(|problem| Problem { path: format!("/cohort/settings{}", problem.path), ..problem }),
        );
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
        let horizon = u32::from(settings.horizon_days) * u32::from(MINUTES_PER_DAY);
        // A margin past the horizon, for local times read near its end.
        let clocks = clocks(settings.start, horizon + 2 * u32::from(MINUTES_PER_DAY));
        let email_days =
            u32::from(settings.entry_spread_days) + steps.iter().map(|step| u32::from(step.day)).max().unwrap_or(0) + 1;
        let email_times = clocks
            .iter()
            .map(|clock| {
                (0..email_days).map(|day| clock.utc_for_local(day as i32, journey.email_send_minute)).collect()
            })
            .collect();
        Ok(Plan {
            settings: settings.clone(),
            horizon,
            clocks,
            holidays: Calendar::new(settings.start, u32::from(settings.horizon_days)),
            steps,
            touchpoints,
            email_times,
            policies: policies.clone(),
            limits: policies.caps.iter().map(Limit::from).collect(),
            state_limits,
            high_intent: compile(&high_intent),
            suppression: compile(&suppression),
            pages,
            page_names,
            routing: journey.routing.clone(),
            account_owners: spec.owners.iter().map(|owner| owner.id.clone()).collect(),
            territories: spec.territories.iter().map(|territory| territory.name.clone()).collect(),
            seed: spec.seed,
            fatigue_levels: (0..FATIGUE_TABLE).map(|touches| settings.fatigue.level(touches)).collect(),
            unsubscribe_bound: settings.fatigue.unsubscribe_ceiling.max(settings.fatigue.unsubscribe_floor),
        })
    }
}
