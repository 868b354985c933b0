//! What a new journey starts with: the legal-window table of
//! `data/us_legal_windows.csv` (the brief's compliance facts), and sensible caps, collision rules, routing
//! and measurement. Legal windows may later be tightened, never loosened
//! without the journey's explicit override.

use crate::model::{
    Assignment, CapChannel, CollisionRules, Dimension, FrequencyCap, HandoffField, LegalWindow, Measurement, Outcome,
    Owner, OwnerId, Policies, Routing, TimeWindow,
};

/// `high_intent` unless the journey defines it otherwise.
pub const HIGH_INTENT: &str = crate::rules::DEFAULT_HIGH_INTENT;

/// Contacts who get no SMS besides those who opted out.
pub const SUPPRESSION: &str = "is_customer or open_opportunity or in_sales_hands";

/// Nurture emails go out at 10:00 in the contact's local time.
pub const EMAIL_SEND_MINUTE: u16 = 10 * 60;

const fn hours(start: u16, end: u16) -> TimeWindow {
    TimeWindow { start_minute: start * 60, end_minute: end * 60 }
}

/// No SMS from 20:00 to 09:00 local time: a new journey's quiet hours, and
/// the window quiet hours get when a user turns them on.
pub const QUIET_HOURS: TimeWindow = hours(20, 9);

/// The legal windows of the table in `data/us_legal_windows.csv`, each
/// with its citation.
pub fn legal_windows() -> Vec<LegalWindow> {
    crate::legal::windows::rows()
        .iter()
        .map(|row| LegalWindow {
            jurisdiction: row.jurisdiction(),
            allowed: row.weekdays,
            saturday: row.saturday,
            sunday: row.sunday,
            closed_on_holidays: row.closed_on_holidays,
            max_per_24h: row.max_per_24h,
            source: row.citation.into(),
        })
        .collect()
}

pub fn policies() -> Policies {
    Policies {
        quiet_hours: Some(QUIET_HOURS),
        legal_windows: legal_windows(),
        loosen_legal_windows: false,
        caps: vec![
            FrequencyCap { channel: CapChannel::Sms, max_messages: 2, window_hours: 7 * 24 },
            FrequencyCap { channel: CapChannel::AllChannels, max_messages: 4, window_hours: 7 * 24 },
        ],
        collisions: CollisionRules { sms_after_email_hours: 24, high_intent_exempt: true, min_hours_between_sms: 48 },
        reply_cooldown_hours: 72,
        suppression: SUPPRESSION.into(),
    }
}

fn owner(id: &str, name: &str, time_zone: &str, territory: &str) -> Owner {
    Owner {
        id: OwnerId(id.into()),
        name: name.into(),
        time_zone: time_zone.into(),
        territory: territory.into(),
        coverage: hours(9, 17),
        weekdays_only: true,
    }
}

pub fn routing() -> Routing {
    Routing {
        assignment: Assignment::RoundRobinByTerritory,
        owners: vec![
            owner("ana", "Ana Ruiz", "America/New_York", "East"),
            owner("marcus", "Marcus Lee", "America/Chicago", "Central"),
            owner("priya", "Priya Shah", "America/Los_Angeles", "West"),
        ],
        backup_owner: Some(OwnerId("marcus".into())),
        sla_minutes_high_intent: 15,
        sla_minutes_other: 120,
        handoff_fields: HandoffField::ALL.to_vec(),
    }
}

pub fn measurement() -> Measurement {
    Measurement { outcomes: Outcome::ALL.to_vec(), dimensions: Dimension::ALL.to_vec() }
}

/// A journey with no steps yet and every default policy.
pub fn blank_journey() -> crate::model::Journey {
    crate::model::Journey {
        name: "Untitled journey".into(),
        email_send_minute: EMAIL_SEND_MINUTE,
        high_intent: HIGH_INTENT.into(),
        steps: Vec::new(),
        touchpoints: Vec::new(),
        policies: policies(),
        routing: routing(),
        measurement: measurement(),
    }
}

/// The first id `{prefix}-1`, `{prefix}-2`, ... that `taken` does not hold.
fn fresh_id(prefix: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..).map(|number| format!("{prefix}-{number}")).find(|id| !taken(id)).expect("some number is free")
}

/// A new Sales owner for `routing`, with an id none of its owners uses and
/// the default coverage (9:00 to 17:00 on weekdays).
pub fn new_owner(routing: &Routing) -> Owner {
    let id = fresh_id("owner", |id| routing.owners.iter().any(|owner| owner.id.0 == id));
    owner(&id, "New owner", "America/New_York", "East")
}

/// A new nurture email on `day`, with an id no step of `journey` uses.
pub fn new_step(journey: &crate::model::Journey, day: u16) -> crate::model::NurtureStep {
    let id = fresh_id("step", |id| journey.steps.iter().any(|step| step.id.0 == id));
    crate::model::NurtureStep {
        id: crate::model::StepId(id),
        name: "New nurture email".into(),
        day,
        narrative: crate::model::Narrative::default(),
        stage_goal: None,
    }
}

/// A new SMS touchpoint attached to `step`, telling the step's story, with
/// a conservative trigger and eligibility to start from.
pub fn new_touchpoint(
    journey: &crate::model::Journey,
    step: &crate::model::NurtureStep,
) -> crate::model::SmsTouchpoint {
    use crate::model::{BlockedSend, Moment, ReplyHandling, SendTiming, SmsTouchpoint, TimingAnchor, TouchpointId};
    let id = fresh_id("sms", |id| journey.touchpoints.iter().any(|touchpoint| touchpoint.id.0 == id));
    SmsTouchpoint {
        id: TouchpointId(id),
        name: format!("SMS for {}", step.name),
        step: step.id.clone(),
        moment: Moment::IntentResponse,
        trigger: "clicks(email, 3d) >= 1".into(),
        eligibility: r#"consent == "opted_in""#.into(),
        timing: SendTiming { anchor: TimingAnchor::Trigger, delay_minutes: 15, within_days: 5 },
        body: "Reply STOP to opt out.".into(),
        narrative: step.narrative.clone(),
        when_blocked: BlockedSend::Defer,
        replies: ReplyHandling { route_to_owner: !journey.routing.owners.is_empty(), response_window_hours: 24 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::Edit;
    use crate::samples;

    #[test]
    fn a_new_owner_gets_a_free_id() {
        let mut routing = routing();
        routing.owners.push(new_owner(&routing));
        assert_eq!(routing.owners[3].id.0, "owner-1");
        assert_eq!(new_owner(&routing).id.0, "owner-2");
    }

    #[test]
    fn a_blank_journey_is_valid_and_empty() {
        let blank = blank_journey();
        assert_eq!((blank.problems(), blank.rule_problems()), (vec![], vec![]));
        assert!(blank.steps.is_empty() && blank.touchpoints.is_empty());
    }

    #[test]
    fn new_items_get_free_ids_and_make_valid_edits() {
        let mut journey = samples::playbook();
        let step = new_step(&journey, 12);
        assert_eq!(step.id.0, "step-1");
        journey.apply(Edit::AddStep { index: journey.steps.len(), step: step.clone(), touchpoints: vec![] }).unwrap();
        assert_eq!(new_step(&journey, 3).id.0, "step-2");
        let touchpoint = new_touchpoint(&journey, &step);
        assert_eq!((touchpoint.id.0.as_str(), &touchpoint.step), ("sms-1", &step.id));
        assert_eq!(touchpoint.narrative, step.narrative);
        journey.apply(Edit::AddTouchpoint { index: journey.touchpoints.len(), touchpoint }).unwrap();
        assert_eq!(journey.rule_problems(), vec![]);
        assert_eq!(new_touchpoint(&journey, &step).id.0, "sms-2");
    }
}
