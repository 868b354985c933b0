//! The journey a marketer designs: nurture email steps on a day timeline,
//! SMS touchpoints attached to them, and the policies, routing and
//! measurement that govern them. Plain data with no behaviour beyond
//! look-ups; changes go through [`crate::edit`], checks live in
//! [`crate::validate`].

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::clock::format_time_of_day;

/// The last day a nurture step may be scheduled on, counted from entry (day 0).
pub const MAX_STEP_DAY: u16 = 365;
/// Minutes in a day; times of day are minutes after local midnight.
pub const MINUTES_PER_DAY: u16 = 24 * 60;

/// A nurture step's stable identifier, unique within its journey.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct StepId(pub String);

/// An SMS touchpoint's stable identifier, unique within its journey.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TouchpointId(pub String);

/// A Sales owner's stable identifier, unique within its journey.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OwnerId(pub String);

macro_rules! display_as_inner_string {
    ($($id:ty),*) => {$(
        impl fmt::Display for $id {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}
display_as_inner_string!(StepId, TouchpointId, OwnerId);

/// Everything a user designs in one journey.
#[derive(Clone, Debug, PartialEq)]
pub struct Journey {
    pub name: String,
    /// When nurture emails go out, in minutes after midnight in the contact's local time.
    pub email_send_minute: u16,
    /// The definition of `high_intent` that rules may use, as rule text.
    pub high_intent: String,
    /// Nurture email steps, in the order the user created them (not by day).
    pub steps: Vec<NurtureStep>,
    pub touchpoints: Vec<SmsTouchpoint>,
    pub policies: Policies,
    pub routing: Routing,
    pub measurement: Measurement,
}

impl Journey {
    pub fn step(&self, id: &StepId) -> Option<&NurtureStep> {
        self.steps.iter().find(|step| &step.id == id)
    }

    pub fn touchpoint(&self, id: &TouchpointId) -> Option<&SmsTouchpoint> {
        self.touchpoints.iter().find(|touchpoint| &touchpoint.id == id)
    }

    /// The SMS touchpoints attached to one step, in journey order.
    pub fn touchpoints_of<'a>(&'a self, step: &'a StepId) -> impl Iterator<Item = &'a SmsTouchpoint> {
        self.touchpoints.iter().filter(move |touchpoint| &touchpoint.step == step)
    }

    /// The fields, in order, in which an SMS tells another story than its
    /// step (the playbook's "same story" check): empty when it reuses the
    /// step's offer, value proposition and next step; `None` if its step is
    /// not in the journey.
    pub fn narrative_mismatches(&self, touchpoint: &SmsTouchpoint) -> Option<Vec<NarrativeField>> {
        let step = self.step(&touchpoint.step)?;
        let differs = |field: &NarrativeField| field.of(&touchpoint.narrative) != field.of(&step.narrative);
        Some(NarrativeField::ALL.into_iter().filter(differs).collect())
    }

    /// The day of the last nurture step, or 0 for a journey without steps.
    pub fn last_day(&self) -> u16 {
        self.steps.iter().map(|step| step.day).max().unwrap_or(0)
    }

    /// The indices of the steps in the order they run: by day, then as listed.
    pub fn step_order(&self) -> Vec<usize> {
        sorted_positions(self.steps.iter().map(|step| u32::from(step.day)))
    }
}

/// The positions of `keys`, ordered by key and then by position: what a
/// stable sort by key gives. Each pair is packed into one distinct `u64`, so
/// one unstable sort of plain numbers, shared by every caller, does it.
pub fn sorted_positions(keys: impl IntoIterator<Item = u32>) -> Vec<usize> {
    let mut keys: Vec<u64> =
        keys.into_iter().enumerate().map(|(index, key)| (u64::from(key) << 32) | index as u64).collect();
    keys.sort_unstable();
    keys.into_iter().map(|key| (key & u64::from(u32::MAX)) as usize).collect()
}

/// The story a message tells: the playbook asks SMS to reuse its step's
/// offer, value proposition and next step rather than start a new one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Narrative {
    pub offer: String,
    pub value_proposition: String,
    pub next_step: String,
}

/// One of a [`Narrative`]'s three fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NarrativeField {
    Offer,
    ValueProposition,
    NextStep,
}

impl NarrativeField {
    pub const ALL: [NarrativeField; 3] =
        [NarrativeField::Offer, NarrativeField::ValueProposition, NarrativeField::NextStep];

    /// How the playbook names the field ("Value proposition").
    pub fn label(self) -> &'static str {
        match self {
            NarrativeField::Offer => "Offer",
            NarrativeField::ValueProposition => "Value proposition",
            NarrativeField::NextStep => "Next step",
        }
    }

    /// The field's text in `narrative`.
    pub fn of(self, narrative: &Narrative) -> &String {
        match self {
            NarrativeField::Offer => &narrative.offer,
            NarrativeField::ValueProposition => &narrative.value_proposition,
            NarrativeField::NextStep => &narrative.next_step,
        }
    }

    /// The field's text in `narrative`, to change.
    pub fn of_mut(self, narrative: &mut Narrative) -> &mut String {
        match self {
            NarrativeField::Offer => &mut narrative.offer,
            NarrativeField::ValueProposition => &mut narrative.value_proposition,
            NarrativeField::NextStep => &mut narrative.next_step,
        }
    }
}

/// Where a contact is in the buying process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Lead,
    Mql,
    Sql,
    Opportunity,
    Customer,
}

impl Stage {
    pub const ALL: [Stage; 5] = [Stage::Lead, Stage::Mql, Stage::Sql, Stage::Opportunity, Stage::Customer];

    /// The name marketers use, which is also how rules and files spell it.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Lead => "Lead",
            Stage::Mql => "MQL",
            Stage::Sql => "SQL",
            Stage::Opportunity => "Opportunity",
            Stage::Customer => "Customer",
        }
    }
}

/// One email in the nurture sequence, sent on its day.
#[derive(Clone, Debug, PartialEq)]
pub struct NurtureStep {
    pub id: StepId,
    pub name: String,
    /// Days after the contact enters the journey, 0..=[`MAX_STEP_DAY`].
    pub day: u16,
    pub narrative: Narrative,
    /// The stage this step aims to move the contact to, if any.
    pub stage_goal: Option<Stage>,
}

/// The playbook's high-leverage moments where a fast channel helps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Moment {
    Confirmation,
    Clarification,
    LateStageCoordination,
    IntentResponse,
}

impl Moment {
    pub const ALL: [Moment; 4] =
        [Moment::Confirmation, Moment::Clarification, Moment::LateStageCoordination, Moment::IntentResponse];

    pub fn label(self) -> &'static str {
        match self {
            Moment::Confirmation => "Confirmation",
            Moment::Clarification => "Clarification",
            Moment::LateStageCoordination => "Late-stage coordination",
            Moment::IntentResponse => "Intent response",
        }
    }
}

/// What an SMS's delay is counted from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimingAnchor {
    /// From the moment the trigger fires.
    Trigger,
    /// From the moment its nurture step's email goes out.
    Step,
}

/// When an SMS may go out once it is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendTiming {
    pub anchor: TimingAnchor,
    /// Minutes to wait after the anchor.
    pub delay_minutes: u32,
    /// The SMS is only sent if its trigger fires within this many days of its step's email.
    pub within_days: u16,
}

/// What happens to a send that a timing policy blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BlockedSend {
    /// Send at the next minute every policy allows.
    Defer,
    /// Do not send this SMS to this contact.
    Skip,
    /// Send at the last allowed minute before the block instead.
    Advance,
}

/// Whether replies go to Sales and how fast a reply is expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyHandling {
    pub route_to_owner: bool,
    /// How long after the SMS a reply still counts as a response to it.
    pub response_window_hours: u16,
}

/// An SMS attached to a nurture step, sent when its trigger fires for an
/// eligible contact. Rules are kept as the text the user typed, errors and
/// all; they are checked wherever they are used.
#[derive(Clone, Debug, PartialEq)]
pub struct SmsTouchpoint {
    pub id: TouchpointId,
    pub name: String,
    /// The nurture step whose narrative this SMS reinforces.
    pub step: StepId,
    pub moment: Moment,
    pub trigger: String,
    pub eligibility: String,
    pub timing: SendTiming,
    pub body: String,
    pub narrative: Narrative,
    pub when_blocked: BlockedSend,
    pub replies: ReplyHandling,
}

/// A span of local time of day, `start` inclusive to `end` exclusive, in
/// minutes after midnight; `end` below `start` wraps past midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeWindow {
    pub start_minute: u16,
    pub end_minute: u16,
}

impl TimeWindow {
    /// Whether local `minute` lies in the window (which wraps past midnight
    /// when its end is before its start).
    pub fn contains(self, minute: u16) -> bool {
        if self.start_minute <= self.end_minute {
            (self.start_minute..self.end_minute).contains(&minute)
        } else {
            minute >= self.start_minute || minute < self.end_minute
        }
    }
}

/// Which recipients a legal window binds: everyone, or one US state's
/// residents (by phone area code or profile time zone).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Jurisdiction {
    Federal,
    /// A two-letter US state code, e.g. `FL`.
    State(String),
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Jurisdiction::Federal => f.write_str("Federal"),
            Jurisdiction::State(code) => f.write_str(code),
        }
    }
}

/// When marketing SMS may reach a recipient under one jurisdiction's law.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalWindow {
    pub jurisdiction: Jurisdiction,
    /// Allowed local time of day, Monday to Friday.
    pub allowed: TimeWindow,
    /// Allowed local time on Saturdays; `None` closes Saturdays.
    pub saturday: Option<TimeWindow>,
    /// Allowed local time on Sundays; `None` closes Sundays.
    pub sunday: Option<TimeWindow>,
    /// Closed all day on the jurisdiction's legal holidays.
    pub closed_on_holidays: bool,
    /// At most this many messages per rolling 24 hours, if the law caps it.
    pub max_per_24h: Option<u8>,
    /// Where the rule comes from, shown beside the row.
    pub source: String,
}

/// The kinds of day a legal window sets hours for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayKind {
    Weekday,
    Saturday,
    Sunday,
}

impl DayKind {
    pub const ALL: [DayKind; 3] = [DayKind::Weekday, DayKind::Saturday, DayKind::Sunday];

    /// The kind of a weekday numbered 0 (Monday) to 6 (Sunday).
    pub fn of(weekday: u8) -> DayKind {
        match weekday {
            5 => DayKind::Saturday,
            6 => DayKind::Sunday,
            _ => DayKind::Weekday,
        }
    }

    /// Words for the days, as the panel and messages show them.
    pub fn label(self) -> &'static str {
        match self {
            DayKind::Weekday => "Mon–Fri",
            DayKind::Saturday => "Saturday",
            DayKind::Sunday => "Sunday",
        }
    }
}

impl LegalWindow {
    /// Whether the window binds a recipient whose phone is in `state` (a two-letter code).
    pub fn binds(&self, state: &str) -> bool {
        match &self.jurisdiction {
            Jurisdiction::Federal => true,
            Jurisdiction::State(code) => code == state,
        }
    }

    /// The allowed hours on a kind of day; `None` when closed all day.
    pub fn hours(&self, day: DayKind) -> Option<TimeWindow> {
        match day {
            DayKind::Weekday => Some(self.allowed),
            DayKind::Saturday => self.saturday,
            DayKind::Sunday => self.sunday,
        }
    }

    /// Sets the hours of a kind of day (`None` closes it; weekdays cannot be closed).
    pub fn set_hours(&mut self, day: DayKind, hours: Option<TimeWindow>) {
        match day {
            DayKind::Weekday => self.allowed = hours.unwrap_or(self.allowed),
            DayKind::Saturday => self.saturday = hours,
            DayKind::Sunday => self.sunday = hours,
        }
    }

    /// The days and hours in words: `daily 08:00–21:00`, or each kind of
    /// day (`Mon–Fri 09:00–18:00, Saturday 10:00–17:00, Sunday closed`),
    /// then `, closed on holidays` when it is.
    pub fn schedule(&self) -> String {
        let mut text = if self.saturday == Some(self.allowed) && self.sunday == Some(self.allowed) {
            format!("daily {}", describe_hours(Some(self.allowed)))
        } else {
            DayKind::ALL
                .iter()
                .map(|&day| format!("{} {}", day.label(), describe_hours(self.hours(day))))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if self.closed_on_holidays {
            text.push_str(", closed on holidays");
        }
        text
    }
}

/// `08:00–21:00`, or `closed`.
pub fn describe_hours(hours: Option<TimeWindow>) -> String {
    hours.map_or_else(
        || "closed".into(),
        |hours| format!("{}–{}", format_time_of_day(hours.start_minute), format_time_of_day(hours.end_minute)),
    )
}

/// Which messages a frequency cap counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CapChannel {
    Sms,
    Email,
    /// Every message, whatever its channel.
    AllChannels,
}

/// At most `max_messages` of `channel` per rolling `window_hours`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrequencyCap {
    pub channel: CapChannel,
    pub max_messages: u16,
    pub window_hours: u16,
}

/// How SMS keeps its distance from other messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollisionRules {
    /// No SMS within this many hours after a nurture email...
    pub sms_after_email_hours: u16,
    /// ...unless the touchpoint's trigger is high-intent.
    pub high_intent_exempt: bool,
    /// At least this many hours between two SMS to one contact.
    pub min_hours_between_sms: u16,
}

/// The timing and audience rules every touchpoint obeys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Policies {
    /// No SMS in this local-time span (e.g. 20:00 to 09:00), if set.
    pub quiet_hours: Option<TimeWindow>,
    pub legal_windows: Vec<LegalWindow>,
    /// Allows legal windows looser than Tandem's defaults; exports record it.
    pub loosen_legal_windows: bool,
    pub caps: Vec<FrequencyCap>,
    pub collisions: CollisionRules,
    /// No SMS for this many hours after a contact replies.
    pub reply_cooldown_hours: u16,
    /// Contacts matching this rule get no SMS (opted-out contacts never do).
    pub suppression: String,
}

/// How a replying contact finds a Sales owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Assignment {
    AccountOwner,
    RoundRobinByTerritory,
}

/// One person in Sales who answers replies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    pub id: OwnerId,
    pub name: String,
    /// IANA time zone of the owner, e.g. `America/Chicago`.
    pub time_zone: String,
    pub territory: String,
    /// Local hours when the owner answers.
    pub coverage: TimeWindow,
    pub weekdays_only: bool,
}

/// What Sales sees on the handoff card when a reply comes in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HandoffField {
    Persona,
    Stage,
    LastNurtureStep,
    LastMessage,
    RecommendedNextStep,
    Owner,
}

impl HandoffField {
    pub const ALL: [HandoffField; 6] = [
        HandoffField::Persona,
        HandoffField::Stage,
        HandoffField::LastNurtureStep,
        HandoffField::LastMessage,
        HandoffField::RecommendedNextStep,
        HandoffField::Owner,
    ];
}

/// Who answers replies, when, and how fast.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routing {
    pub assignment: Assignment,
    pub owners: Vec<Owner>,
    pub backup_owner: Option<OwnerId>,
    pub sla_minutes_high_intent: u32,
    pub sla_minutes_other: u32,
    pub handoff_fields: Vec<HandoffField>,
}

/// An outcome the journey reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    MeaningfulReply,
    MeetingSet,
    StageProgression,
    ConversationToDeal,
}

impl Outcome {
    pub const ALL: [Outcome; 4] =
        [Outcome::MeaningfulReply, Outcome::MeetingSet, Outcome::StageProgression, Outcome::ConversationToDeal];
}

/// What outcomes are broken down by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dimension {
    Persona,
    NurtureStep,
}

impl Dimension {
    pub const ALL: [Dimension; 2] = [Dimension::Persona, Dimension::NurtureStep];
}

/// Which outcomes to report and by what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measurement {
    pub outcomes: Vec<Outcome>,
    pub dimensions: Vec<Dimension>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;

    #[test]
    fn an_sms_mismatches_its_step_in_the_fields_it_changes() {
        let mut journey = samples::playbook();
        let mut touchpoint = journey.touchpoints[0].clone();
        assert_eq!(journey.narrative_mismatches(&touchpoint), Some(vec![]));
        touchpoint.narrative.offer = "Another offer".into();
        touchpoint.narrative.next_step = "Call us".into();
        assert_eq!(
            journey.narrative_mismatches(&touchpoint),
            Some(vec![NarrativeField::Offer, NarrativeField::NextStep])
        );
        journey.steps.retain(|step| step.id != touchpoint.step);
        assert_eq!(journey.narrative_mismatches(&touchpoint), None);
    }

    #[test]
    fn sorted_positions_orders_by_key_and_keeps_ties_in_place() {
        assert_eq!(sorted_positions([7, 3, 7, 0, 3, u32::MAX]), [3, 1, 4, 0, 2, 5]);
        assert_eq!(sorted_positions([]), Vec::<usize>::new());
    }
}
