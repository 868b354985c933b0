//! The `tandem.journey/v1` document as it is written to disk: field names,
//! key order, enum spellings and value ranges. Separate from the domain
//! types so the file format changes only on purpose. Export serialises
//! these; the JSON Schema is generated from them; import reads the same
//! names through [`WireEnum::NAMES`].

use schemars::JsonSchema;
use serde::Serialize;

use crate::clock::format_time_of_day;
use crate::model::{
    Assignment, BlockedSend, CapChannel, Dimension, FrequencyCap, HandoffField, Journey, Jurisdiction, LegalWindow,
    MAX_STEP_DAY, Moment, Narrative, NurtureStep, Outcome, Owner, SmsTouchpoint, Stage, TimeWindow, TimingAnchor,
};
use crate::validate::{MAX_DELAY_MINUTES, MAX_HOURS, MAX_ITEMS, MAX_SLA_MINUTES, MAX_TEXT_CHARS};

/// The format marker every v1 document carries.
pub const FORMAT_V1: &str = "tandem.journey/v1";

const TIME_PATTERN: &str = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

/// A domain enum's spellings in the file, one table for export, import and schema.
pub trait WireEnum: Sized + Copy + PartialEq + 'static {
    /// What the value is, for messages ("a moment").
    const WHAT: &'static str;
    /// Every value with its name, in the domain's order.
    const NAMES: &'static [(&'static str, Self)];
}

/// How the file spells `value` (e.g. `late_stage_coordination`).
pub fn wire_name<T: WireEnum>(value: T) -> &'static str {
    T::NAMES.iter().find(|(_, known)| *known == value).map(|(name, _)| *name).expect("every value has a wire name")
}

/// The value the file spells `name`, if any.
pub fn from_wire_name<T: WireEnum>(name: &str) -> Option<T> {
    T::NAMES.iter().find(|(known, _)| *known == name).map(|(_, value)| *value)
}

/// Defines the serde/schemars mirror of a domain enum and its name table.
macro_rules! wire_enum {
    ($wire:ident for $domain:ident, $what:literal { $($variant:ident = $name:literal),+ $(,)? }) => {
        #[derive(Clone, Copy, Debug, Serialize, JsonSchema)]
        pub enum $wire {
            $(#[serde(rename = $name)] $variant,)+
        }

        impl WireEnum for $domain {
            const WHAT: &'static str = $what;
            const NAMES: &'static [(&'static str, Self)] = &[$(($name, $domain::$variant)),+];
        }

        impl From<$domain> for $wire {
            fn from(value: $domain) -> Self {
                match value {
                    $($domain::$variant => $wire::$variant,)+
                }
            }
        }
    };
}

wire_enum!(WireStage for Stage, "a stage" { Lead = "Lead", Mql = "MQL", Sql = "SQL", Opportunity = "Opportunity", Customer = "Customer" });
wire_enum!(WireMoment for Moment, "a moment" {
    Confirmation = "confirmation",
    Clarification = "clarification",
    LateStageCoordination = "late_stage_coordination",
    IntentResponse = "intent_response",
});
wire_enum!(WireAnchor for TimingAnchor, "a timing anchor" { Trigger = "trigger", Step = "step" });
wire_enum!(WireBlockedSend for BlockedSend, "a blocked-send behaviour" { Defer = "defer", Skip = "skip", Advance = "advance" });
wire_enum!(WireCapChannel for CapChannel, "a cap channel" { Sms = "sms", Email = "email", AllChannels = "all_channels" });
wire_enum!(WireAssignment for Assignment, "an assignment method" {
    AccountOwner = "account_owner",
    RoundRobinByTerritory = "round_robin_by_territory",
});
wire_enum!(WireHandoffField for HandoffField, "a handoff card field" {
    Persona = "persona",
    Stage = "stage",
    LastNurtureStep = "last_nurture_step",
    LastMessage = "last_message",
    RecommendedNextStep = "recommended_next_step",
    Owner = "owner",
});
wire_enum!(WireOutcome for Outcome, "an outcome" {
    MeaningfulReply = "meaningful_reply",
    MeetingSet = "meeting_set",
    StageProgression = "stage_progression",
    ConversationToDeal = "conversation_to_deal",
});
wire_enum!(WireDimension for Dimension, "a dimension" { Persona = "persona", NurtureStep = "nurture_step" });

/// A Tandem journey, as exported for execution systems.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Tandem journey (tandem.journey/v1)")]
pub struct WireJourney {
    /// Always `tandem.journey/v1`.
    #[schemars(regex(pattern = "^tandem\\.journey/v1$"))]
    pub format: String,
    #[schemars(length(min = 1, max = MAX_TEXT_CHARS))]
    pub name: String,
    /// Local time (HH:MM) at which nurture emails go out.
    #[schemars(pattern(TIME_PATTERN))]
    pub email_send_time: String,
    /// Rule text defining `high_intent`.
    #[schemars(length(max = MAX_TEXT_CHARS))]
    pub high_intent: String,
    #[schemars(length(max = MAX_ITEMS))]
    pub steps: Vec<WireStep>,
    #[schemars(length(max = MAX_ITEMS))]
    pub sms: Vec<WireSms>,
    pub policies: WirePolicies,
    pub routing: WireRouting,
    pub measurement: WireMeasurement,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WireNarrative {
    #[schemars(length(max = MAX_TEXT_CHARS))]
    pub offer: String,
    #[schemars(length(max = MAX_TEXT_CHARS))]
    pub value_proposition: String,
    #[schemars(length(max = MAX_TEXT_CHARS))]
    pub next_step: String,
}

/// A nurture email step.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WireStep {
    #[schemars(length(min = 1, max = MAX_TEXT_CHARS))]
    pub id: String,
    #[schemars(length(min = 1, max = MAX_TEXT_CHARS))]
    pub name: String,
    /// Days after entering the journey.
    #[schemars(range(max = MAX_STEP_DAY))]
    pub day: u16,
    pub narrative: WireNarrative,
    pub stage_goal: Option<WireStage>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WireTiming {
    pub anchor: WireAnchor,
    #[schemars(range(max = MAX_DELAY_MINUTES))]
    pub delay_minutes: u32,
    #[schemars(range(max = MAX_STEP_DAY))]
    pub within_days: u16,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WireReplies {
    pub route_to_owner: bool,
    #[schemars(range(max = MAX_HOURS))]
    pub response_window_hours: u16,
}

/// An SMS touchpoint attached to a nurture step.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WireSms {
    #[schemars(length(min = 1, max = MAX_TEXT_CHARS))]
    pub id: String,
    #[schemars(length(min = 1, max = MAX_TEXT_CHARS))]
    pub name: String,
    /// The id of the nurture step it belongs to.
    #[schemars(length(min = 1, max = MAX_TEXT_CHARS))]
    pub step: String,
    pub moment: WireMoment,
    /// Rule text: when the SMS is due.
    #[schemars(length(max = MAX_TEXT_CHARS))]
    pub trigger: String,
    /// Rule text: who may receive it.
    #[schemars(length(max = MAX_TEXT_CHARS))]
    pub eligibility: String,
    pub timing: WireTiming,
    #[schemars(length(max = MAX_TEXT_CHARS))]
    pub body: String,
    pub narrative: WireNarrative,
    pub when_blocked: WireBlockedSend,
    pub replies: WireReplies,
}

/// Local time of day from `start` to `end` (HH:MM); wraps past midnight when end < start.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WireTimeWindow {
    #[schemars(pattern(TIME_PATTERN))]
    pub start: String,
    #[schemars(pattern(TIME_PATTERN))]
    pub end: String,
}

/// A day's hours in a legal window, or the word `closed`.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
pub enum WireDayHours {
    Hours(WireTimeWindow),
    Closed(WireClosed),
}

/// The word `closed`.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WireClosed {
    Closed,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WireLegalWindow {
    /// `Federal` or a two-letter US state code.
    #[schemars(regex(pattern = "^(Federal|[A-Z]{2})$"))]
    pub jurisdiction: String,
    /// Monday to Friday.
    pub allowed: WireTimeWindow,
    /// Saturdays' hours or `closed`; always written, and documents
    /// without it (written before it existed) mean `allowed`.
    pub saturday: Option<WireDayHours>,
    /// Sundays' hours or `closed`; always written, and documents without
    /// it mean `allowed`, from `sunday_start` if given.
    pub sunday: Option<WireDayHours>,
    /// Read from documents written before `sunday`, never written: Sundays
    /// open at this time and close with `allowed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(TIME_PATTERN))]
    pub sunday_start: Option<String>,
    /// Closed on the jurisdiction's legal holidays; always written, and
    /// `false` when left out.
    pub closed_on_holidays: Option<bool>,
    #[schemars(range(min = 1))]
    pub max_per_24h: Option<u8>,
    #[schemars(length(max = MAX_TEXT_CHARS))]
    pub source: String,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WireCap {
    pub channel: WireCapChannel,
    #[schemars(range(min = 1))]
    pub max_messages: u16,
    #[schemars(range(min = 1, max = MAX_HOURS))]
    pub window_hours: u16,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WireCollisions {
    #[schemars(range(max = MAX_HOURS))]
    pub sms_after_email_hours: u16,
    pub high_intent_exempt: bool,
    #[schemars(range(max = MAX_HOURS))]
    pub min_hours_between_sms: u16,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WirePolicies {
    pub quiet_hours: Option<WireTimeWindow>,
    pub legal_windows: Vec<WireLegalWindow>,
    /// Recorded for execution systems: legal windows may be looser than Tandem's defaults.
    pub loosen_legal_windows: bool,
    pub caps: Vec<WireCap>,
    pub collisions: WireCollisions,
    #[schemars(range(max = MAX_HOURS))]
    pub reply_cooldown_hours: u16,
    /// Rule text: contacts who get no SMS (opted-out contacts never do).
    #[schemars(length(max = MAX_TEXT_CHARS))]
    pub suppression: String,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WireOwner {
    #[schemars(length(min = 1, max = MAX_TEXT_CHARS))]
    pub id: String,
    #[schemars(length(min = 1, max = MAX_TEXT_CHARS))]
    pub name: String,
    /// IANA time zone, e.g. America/Chicago.
    pub time_zone: String,
    #[schemars(length(max = MAX_TEXT_CHARS))]
    pub territory: String,
    pub coverage: WireTimeWindow,
    pub weekdays_only: bool,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WireSla {
    #[schemars(range(min = 1, max = MAX_SLA_MINUTES))]
    pub high_intent: u32,
    #[schemars(range(min = 1, max = MAX_SLA_MINUTES))]
    pub other: u32,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WireRouting {
    pub assignment: WireAssignment,
    pub owners: Vec<WireOwner>,
    pub backup_owner: Option<String>,
    pub sla_minutes: WireSla,
    pub handoff_fields: Vec<WireHandoffField>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WireMeasurement {
    pub outcomes: Vec<WireOutcome>,
    pub dimensions: Vec<WireDimension>,
}

fn narrative(narrative: &Narrative) -> WireNarrative {
    WireNarrative {
        offer: narrative.offer.clone(),
        value_proposition: narrative.value_proposition.clone(),
        next_step: narrative.next_step.clone(),
    }
}

fn window(window: TimeWindow) -> WireTimeWindow {
    WireTimeWindow { start: format_time_of_day(window.start_minute), end: format_time_of_day(window.end_minute) }
}

fn step(step: &NurtureStep) -> WireStep {
    WireStep {
        id: step.id.0.clone(),
        name: step.name.clone(),
        day: step.day,
        narrative: narrative(&step.narrative),
        stage_goal: step.stage_goal.map(Into::into),
    }
}

fn sms(touchpoint: &SmsTouchpoint) -> WireSms {
    WireSms {
        id: touchpoint.id.0.clone(),
        name: touchpoint.name.clone(),
        step: touchpoint.step.0.clone(),
        moment: touchpoint.moment.into(),
        trigger: touchpoint.trigger.clone(),
        eligibility: touchpoint.eligibility.clone(),
        timing: WireTiming {
            anchor: touchpoint.timing.anchor.into(),
            delay_minutes: touchpoint.timing.delay_minutes,
            within_days: touchpoint.timing.within_days,
        },
        body: touchpoint.body.clone(),
        narrative: narrative(&touchpoint.narrative),
        when_blocked: touchpoint.when_blocked.into(),
        replies: WireReplies {
            route_to_owner: touchpoint.replies.route_to_owner,
            response_window_hours: touchpoint.replies.response_window_hours,
        },
    }
}

fn legal_window(legal: &LegalWindow) -> WireLegalWindow {
    WireLegalWindow {
        jurisdiction: match &legal.jurisdiction {
            Jurisdiction::Federal => "Federal".into(),
            Jurisdiction::State(code) => code.clone(),
        },
        allowed: window(legal.allowed),
        saturday: Some(day_hours(legal.saturday)),
        sunday: Some(day_hours(legal.sunday)),
        sunday_start: None,
        closed_on_holidays: Some(legal.closed_on_holidays),
        max_per_24h: legal.max_per_24h,
        source: legal.source.clone(),
    }
}

fn day_hours(hours: Option<TimeWindow>) -> WireDayHours {
    hours.map_or(WireDayHours::Closed(WireClosed::Closed), |hours| WireDayHours::Hours(window(hours)))
}

fn cap(cap: &FrequencyCap) -> WireCap {
    WireCap { channel: cap.channel.into(), max_messages: cap.max_messages, window_hours: cap.window_hours }
}

fn owner(owner: &Owner) -> WireOwner {
    WireOwner {
        id: owner.id.0.clone(),
        name: owner.name.clone(),
        time_zone: owner.time_zone.clone(),
        territory: owner.territory.clone(),
        coverage: window(owner.coverage),
        weekdays_only: owner.weekdays_only,
    }
}

impl From<&Journey> for WireJourney {
    fn from(journey: &Journey) -> Self {
        let policies = &journey.policies;
        let routing = &journey.routing;
        WireJourney {
            format: FORMAT_V1.into(),
            name: journey.name.clone(),
            email_send_time: format_time_of_day(journey.email_send_minute),
            high_intent: journey.high_intent.clone(),
            steps: journey.steps.iter().map(step).collect(),
            sms: journey.touchpoints.iter().map(sms).collect(),
            policies: WirePolicies {
                quiet_hours: policies.quiet_hours.map(window),
                legal_windows: policies.legal_windows.iter().map(legal_window).collect(),
                loosen_legal_windows: policies.loosen_legal_windows,
                caps: policies.caps.iter().map(cap).collect(),
                collisions: WireCollisions {
                    sms_after_email_hours: policies.collisions.sms_after_email_hours,
                    high_intent_exempt: policies.collisions.high_intent_exempt,
                    min_hours_between_sms: policies.collisions.min_hours_between_sms,
                },
                reply_cooldown_hours: policies.reply_cooldown_hours,
                suppression: policies.suppression.clone(),
            },
            routing: WireRouting {
                assignment: routing.assignment.into(),
                owners: routing.owners.iter().map(owner).collect(),
                backup_owner: routing.backup_owner.as_ref().map(|id| id.0.clone()),
                sla_minutes: WireSla { high_intent: routing.sla_minutes_high_intent, other: routing.sla_minutes_other },
                handoff_fields: routing.handoff_fields.iter().copied().map(Into::into).collect(),
            },
            measurement: WireMeasurement {
                outcomes: journey.measurement.outcomes.iter().copied().map(Into::into).collect(),
                dimensions: journey.measurement.dimensions.iter().copied().map(Into::into).collect(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value has one name, and the name reads back to it.
    fn round_trips<T: WireEnum + std::fmt::Debug>() {
        for (name, value) in T::NAMES {
            assert_eq!(wire_name(*value), *name);
            assert_eq!(from_wire_name::<T>(name), Some(*value), "{name}");
        }
        assert_eq!(from_wire_name::<T>("Debug text"), None);
    }

    #[test]
    fn wire_names_read_back_to_their_values() {
        round_trips::<Stage>();
        round_trips::<Moment>();
        round_trips::<TimingAnchor>();
        round_trips::<BlockedSend>();
        round_trips::<CapChannel>();
        round_trips::<Assignment>();
        round_trips::<HandoffField>();
        round_trips::<Outcome>();
        round_trips::<Dimension>();
        assert_eq!(wire_name(Moment::LateStageCoordination), "late_stage_coordination");
    }
}
