//! What a run found, as plain data the app draws and the command line
//! prints: totals, funnels, sends over time, collisions with examples,
//! Sales' load and outcomes. Lists are in a fixed order (plan order, then
//! by reason), shares are rounded to four decimals, and nothing comes from
//! a hash map, so equal runs serialise to equal bytes and
//! [`SimulationResult::fingerprint`] can pin a run in a golden test.

use serde::{Deserialize, Serialize};

/// Everything one run found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimulationResult {
    pub contacts: u32,
    pub seed: u64,
    pub horizon_days: u16,
    /// Day 0, as `YYYY-MM-DD`.
    pub start: String,
    pub totals: Totals,
    /// In day order (the sequence position is the index).
    pub steps: Vec<StepFunnel>,
    /// In the journey's order.
    pub touchpoints: Vec<TouchpointFunnel>,
    /// One entry per simulated day (UTC), from day 0.
    pub sends_per_day: Vec<DaySends>,
    /// SMS sent, by the hour on the recipient's phone clock (24 entries).
    pub sms_by_local_hour: Vec<u64>,
    /// How many contact-weeks (whole weeks after entry, inside the horizon)
    /// had 0, 1, 2, ... messages; the last bucket counts that many or more.
    pub touches_per_week: Vec<u64>,
    pub collisions: Vec<CollisionSummary>,
    pub owners: Vec<OwnerLoad>,
    /// Replies answered within the SLA, for high-intent contacts and the rest.
    pub sla: Vec<SlaAttainment>,
    pub by_persona: Vec<Outcomes>,
    /// Outcomes credited to the last step emailed before them.
    pub by_step: Vec<Outcomes>,
    /// A few contacts worth a look in the contact explorer.
    pub examples: ContactExamples,
}

/// The first contacts (by number, at most [`EXAMPLES_KEPT`] each) that met a
/// blocked SMS, opted out, or had two messages collide.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactExamples {
    pub blocked: Vec<u32>,
    pub opted_out: Vec<u32>,
    pub collided: Vec<u32>,
}

/// How many example contacts of each kind a result keeps.
pub const EXAMPLES_KEPT: usize = 20;

/// Counts over the whole run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub emails_sent: u64,
    /// Email sends a frequency cap held back (each hold counts).
    pub emails_held: u64,
    pub opens: u64,
    pub clicks: u64,
    pub visits: u64,
    pub meeting_intents: u64,
    pub stage_progressions: u64,
    pub unsubscribes: u64,
    pub sms_triggered: u64,
    pub sms_sent: u64,
    /// Times a due SMS was blocked (one SMS may be blocked, deferred and blocked again).
    pub sms_blocks: u64,
    /// Triggered SMS that were never sent: skipped, dropped or expired.
    pub sms_not_sent: u64,
    pub replies: u64,
    /// Replies no owner received (the touchpoint does not route, or no owner fits).
    pub unrouted_replies: u64,
    pub opt_outs: u64,
    /// Texts confirming an opt-out (one each), apart from the marketing SMS sent.
    pub opt_out_confirmations: u64,
    pub meetings: u64,
    pub collisions: u64,
    /// Everything that happened to every contact: each send, open, click,
    /// visit, block, reply and so on counts once.
    pub events: u64,
}

/// A reason and how often it happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonCount {
    pub reason: String,
    pub count: u64,
}

/// One nurture step's email funnel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepFunnel {
    pub id: String,
    pub name: String,
    pub day: u16,
    /// Contacts still subscribed when the email came due.
    pub entered: u64,
    pub sent: u64,
    /// Sends held back by a frequency cap, by cap.
    pub held: Vec<ReasonCount>,
    pub opened: u64,
    pub clicked: u64,
    pub unsubscribed: u64,
    pub meeting_intents: u64,
    pub stage_progressions: u64,
}

/// One SMS touchpoint's funnel. `entered` = eligible + not eligible;
/// `triggered` = sent + skipped + dropped + expired + beyond the horizon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TouchpointFunnel {
    pub id: String,
    pub name: String,
    pub step: String,
    pub moment: String,
    /// Contacts whose step email went out (the trigger window opened).
    pub entered: u64,
    pub eligible: u64,
    pub not_eligible: Vec<ReasonCount>,
    pub triggered: u64,
    pub sent: u64,
    /// Every block of a due SMS, by reason.
    pub blocked: Vec<ReasonCount>,
    pub deferred: u64,
    pub advanced: u64,
    pub skipped: u64,
    pub dropped: u64,
    pub expired: u64,
    pub beyond_horizon: u64,
    pub replied: u64,
    pub opted_out: u64,
    pub meetings: u64,
}

/// Messages sent on one simulated day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySends {
    pub day: u16,
    pub email: u64,
    pub sms: u64,
    pub collisions: u64,
}

/// Two messages within 24 hours of each other, of one kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollisionSummary {
    /// E.g. "SMS after email".
    pub kind: String,
    pub count: u64,
    /// The first few, by contact.
    pub examples: Vec<CollisionExample>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollisionExample {
    pub contact: u32,
    pub earlier: String,
    /// Simulated minute (UTC minutes since day 0).
    pub earlier_at: u32,
    pub later: String,
    pub later_at: u32,
}

/// One owner's replies to answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerLoad {
    pub id: String,
    pub name: String,
    pub time_zone: String,
    /// Coverage as minutes after local midnight, start inclusive, end exclusive.
    pub coverage_start_minute: u16,
    pub coverage_end_minute: u16,
    pub weekdays_only: bool,
    pub replies: u64,
    /// Replies arriving by the owner's local hour (24 entries).
    pub arrivals_by_local_hour: Vec<u64>,
    /// Of those, how many arrived outside coverage and waited for it.
    pub arrived_outside_coverage: u64,
    pub within_sla: u64,
    pub median_minutes_to_answer: u32,
    pub p90_minutes_to_answer: u32,
}

/// SLA attainment for one group of replying contacts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlaAttainment {
    /// "high intent" or "other".
    pub cohort: String,
    pub sla_minutes: u32,
    pub replies: u64,
    pub within_sla: u64,
    /// `within_sla / replies`, rounded to four decimals (1 when there are no replies).
    pub share: f64,
}

/// Outcomes for one persona or one step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcomes {
    pub label: String,
    /// Contacts of the persona, or contacts the step was emailed to.
    pub contacts: u64,
    pub emails: u64,
    pub sms: u64,
    pub replies: u64,
    pub meetings: u64,
    pub stage_progressions: u64,
    pub opt_outs: u64,
    pub unsubscribes: u64,
}

/// `part / whole` rounded to four decimals, so that shares serialise the same everywhere.
pub fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 { 1.0 } else { (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0 }
}

impl SimulationResult {
    /// A short, stable digest of the whole result: FNV-1a (64-bit) over its
    /// JSON. Equal results give equal fingerprints on every platform.
    pub fn fingerprint(&self) -> String {
        let bytes = serde_json::to_vec(self).expect("results serialise");
        let hash = bytes
            .iter()
            .fold(0xCBF2_9CE4_8422_2325u64, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01B3));
        format!("{hash:016x}")
    }
}
