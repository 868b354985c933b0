//! The journey a marketer designs: nurture email steps on a day timeline and
//! SMS touchpoints attached to them. Plain data with no behaviour beyond
//! look-ups; changes go through [`crate::edit`].

use std::fmt;

/// The last day a nurture step may be scheduled on, counted from entry (day 0).
pub const MAX_STEP_DAY: u16 = 365;

/// A nurture step's stable identifier, unique within its journey.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StepId(pub String);

/// An SMS touchpoint's stable identifier, unique within its journey.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TouchpointId(pub String);

impl fmt::Display for StepId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for TouchpointId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Everything a user designs in one journey.
#[derive(Clone, Debug, PartialEq)]
pub struct Journey {
    pub name: String,
    /// Nurture email steps, in the order the user created them (not by day).
    pub steps: Vec<NurtureStep>,
    pub touchpoints: Vec<SmsTouchpoint>,
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

    /// The day of the last nurture step, or 0 for a journey without steps.
    pub fn last_day(&self) -> u16 {
        self.steps.iter().map(|step| step.day).max().unwrap_or(0)
    }
}

/// The story a message tells: the playbook asks SMS to reuse its step's
/// offer, value proposition and next step rather than start a new one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Narrative {
    pub offer: String,
    pub value_proposition: String,
    pub next_step: String,
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

    /// The name marketers use, which is also how rules spell it.
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Moment {
    Confirmation,
    Clarification,
    LateStageCoordination,
    IntentResponse,
}

impl Moment {
    pub const ALL: [Moment; 4] = [
        Moment::Confirmation,
        Moment::Clarification,
        Moment::LateStageCoordination,
        Moment::IntentResponse,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Moment::Confirmation => "Confirmation",
            Moment::Clarification => "Clarification",
            Moment::LateStageCoordination => "Late-stage coordination",
            Moment::IntentResponse => "Intent response",
        }
    }
}

/// An SMS attached to a nurture step, sent when its trigger fires for an
/// eligible contact. Rules are kept as the text the user typed.
#[derive(Clone, Debug, PartialEq)]
pub struct SmsTouchpoint {
    pub id: TouchpointId,
    pub name: String,
    /// The nurture step whose narrative this SMS reinforces.
    pub step: StepId,
    pub moment: Moment,
    pub trigger: String,
    pub eligibility: String,
    pub body: String,
    pub narrative: Narrative,
}
