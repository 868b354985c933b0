//! The playbook's maturity matrix, scored from a journey's own
//! configuration: for each of the five dimensions (Messaging, Timing,
//! Eligibility, Sales Handoff, Measurement) a stage from 1 (disconnected)
//! to 3 (unified), the reasons for it, and what would lift it a stage.

use crate::model::{Dimension, HandoffField, Journey, NarrativeField, Outcome};
use crate::rules::{self, Attribute, Program, Vocabulary};

/// One of the matrix's rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Area {
    Messaging,
    Timing,
    Eligibility,
    SalesHandoff,
    Measurement,
}

impl Area {
    pub const ALL: [Area; 5] =
        [Area::Messaging, Area::Timing, Area::Eligibility, Area::SalesHandoff, Area::Measurement];

    pub fn label(self) -> &'static str {
        match self {
            Area::Messaging => "Messaging",
            Area::Timing => "Timing",
            Area::Eligibility => "Eligibility",
            Area::SalesHandoff => "Sales Handoff",
            Area::Measurement => "Measurement",
        }
    }
}

/// The stage names of the matrix.
pub fn stage_name(stage: u8) -> &'static str {
    match stage {
        1 => "Disconnected",
        2 => "Partially Coordinated",
        _ => "Unified Journey",
    }
}

/// One dimension's score.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Score {
    pub area: Area,
    /// 1 to 3.
    pub stage: u8,
    /// Why it is at this stage.
    pub reasons: Vec<String>,
    /// What would lift it to the next stage; `None` at stage 3.
    pub to_lift: Option<String>,
}

impl Score {
    /// E.g. "Timing: Stage 1 — no quiet hours; add quiet hours and a cap to reach Stage 2".
    pub fn summary(&self) -> String {
        let reasons = self.reasons.join("; ");
        match &self.to_lift {
            Some(lift) => format!("{}: Stage {} — {reasons}; {lift}", self.area.label(), self.stage),
            None => format!("{}: Stage {} — {reasons}", self.area.label(), self.stage),
        }
    }
}

/// What a rule reads, or nothing for a rule that does not check.
fn reads(journey: &Journey, text: &str) -> Option<rules::Reads> {
    let checked = rules::check(text, &journey.definitions()).rule?;
    // Pages must be known, or a visit that cannot match would be folded away.
    let mut vocabulary = Vocabulary::new();
    for page in checked.pages() {
        vocabulary.intern(&page);
    }
    Some(Program::compile(&checked, &vocabulary).reads().clone())
}

fn reads_attribute(journey: &Journey, text: &str, attributes: &[Attribute]) -> bool {
    reads(journey, text).is_some_and(|reads| reads.attributes.iter().any(|attribute| attributes.contains(attribute)))
}

/// A trigger that waits for a signal: an event, meeting intent, or time in stage.
fn is_engagement_trigger(journey: &Journey, text: &str) -> bool {
    reads(journey, text).is_some_and(|reads| {
        !reads.events.is_empty()
            || reads
                .attributes
                .iter()
                .any(|attribute| matches!(attribute, Attribute::MeetingIntent | Attribute::DaysInStage))
    })
}

fn score(area: Area, stage: u8, reasons: Vec<String>, to_lift: Option<String>) -> Score {
    Score { area, stage, reasons, to_lift: if stage == 3 { None } else { to_lift } }
}

fn messaging(journey: &Journey) -> Score {
    let area = Area::Messaging;
    if journey.touchpoints.is_empty() {
        return score(
            area,
            1,
            vec!["no SMS touchpoints to align with the nurture".into()],
            Some("attach SMS to steps and reuse their offer, value proposition and next step to reach Stage 2".into()),
        );
    }
    let mut same = 0;
    let mut some_shared = 0;
    for touchpoint in &journey.touchpoints {
        let (Some(step), Some(differing)) = (journey.step(&touchpoint.step), journey.narrative_mismatches(touchpoint))
        else {
            continue;
        };
        if differing.is_empty() && !step.narrative.next_step.trim().is_empty() {
            same += 1;
        }
        if differing.len() < NarrativeField::ALL.len() {
            some_shared += 1;
        }
    }
    let total = journey.touchpoints.len();
    if same == total {
        score(area, 3, vec![format!("all {total} SMS tell their step's story, with the same next step")], None)
    } else if some_shared * 2 >= total {
        score(
            area,
            2,
            vec![format!("{} of {total} SMS tell a different story than their step", total - same)],
            Some("give every SMS its step's offer, value proposition and next step to reach Stage 3".into()),
        )
    } else {
        score(
            area,
            1,
            vec![format!("{} of {total} SMS share nothing with their step's story", total - some_shared)],
            Some("reuse each step's offer or value proposition in its SMS to reach Stage 2".into()),
        )
    }
}

fn timing(journey: &Journey) -> Score {
    let area = Area::Timing;
    let policies = &journey.policies;
    let quiet = policies.quiet_hours.is_some();
    let sms_cap = policies.caps.iter().any(|cap| cap.channel != crate::model::CapChannel::Email);
    if !quiet && !sms_cap {
        return score(
            area,
            1,
            vec!["no quiet hours and no cap on SMS".into()],
            Some("add quiet hours and a cap to reach Stage 2".into()),
        );
    }
    let mut missing = Vec::new();
    if !quiet {
        missing.push("quiet hours".to_owned());
    }
    if !sms_cap {
        missing.push("a frequency cap on SMS".to_owned());
    }
    if policies.loosen_legal_windows {
        missing.push("legal windows at least as strict as the law (the override is on)".to_owned());
    }
    if policies.collisions.sms_after_email_hours == 0 && policies.collisions.min_hours_between_sms == 0 {
        missing.push("a collision gap after emails or between SMS".to_owned());
    }
    let untriggered: Vec<&str> = journey
        .touchpoints
        .iter()
        .filter(|touchpoint| !is_engagement_trigger(journey, &touchpoint.trigger))
        .map(|touchpoint| touchpoint.id.0.as_str())
        .collect();
    if !untriggered.is_empty() {
        missing.push(format!("engagement triggers for {}", untriggered.join(", ")));
    }
    if missing.is_empty() {
        score(
            area,
            3,
            vec!["SMS wait for engagement after their step, inside local-time windows, quiet hours and caps".into()],
            None,
        )
    } else {
        score(
            area,
            2,
            vec![format!("basic rules are in place, but not {}", missing.join(", "))],
            Some(format!("add {} to reach Stage 3", missing.join(" and "))),
        )
    }
}

fn eligibility(journey: &Journey) -> Score {
    let area = Area::Eligibility;
    let unconsented: Vec<&str> = journey
        .touchpoints
        .iter()
        .filter(|touchpoint| {
            !reads_attribute(journey, &touchpoint.eligibility, &[Attribute::Consent, Attribute::OptedOut])
        })
        .map(|touchpoint| touchpoint.id.0.as_str())
        .collect();
    if journey.touchpoints.is_empty() || !unconsented.is_empty() {
        let reason = if unconsented.is_empty() {
            "no SMS touchpoints, so no audience is defined".to_owned()
        } else {
            format!("{} reach a broad audience without a consent check", unconsented.join(", "))
        };
        return score(area, 1, vec![reason], Some("check consent in every SMS's eligibility to reach Stage 2".into()));
    }
    let mut missing = Vec::new();
    let broad: Vec<&str> = journey
        .touchpoints
        .iter()
        .filter(|touchpoint| {
            !reads_attribute(
                journey,
                &touchpoint.eligibility,
                &[Attribute::Persona, Attribute::Stage, Attribute::Industry, Attribute::IndustryRisk],
            )
        })
        .map(|touchpoint| touchpoint.id.0.as_str())
        .collect();
    if !broad.is_empty() {
        missing.push(format!("persona, stage or industry conditions for {}", broad.join(", ")));
    }
    if reads(journey, &journey.policies.suppression)
        .is_none_or(|reads| reads.attributes.is_empty() && reads.events.is_empty())
    {
        missing.push("a suppression rule".to_owned());
    }
    if journey.policies.reply_cooldown_hours == 0 {
        missing.push("a cooldown after replies".to_owned());
    }
    if missing.is_empty() {
        score(
            area,
            3,
            vec!["consent, persona/stage/industry eligibility, suppressions and fatigue controls".into()],
            None,
        )
    } else {
        score(
            area,
            2,
            vec![format!("every SMS checks consent, but there is no {}", missing.join(", no "))],
            Some(format!("add {} to reach Stage 3", missing.join(" and "))),
        )
    }
}

fn sales_handoff(journey: &Journey) -> Score {
    let area = Area::SalesHandoff;
    let routing = &journey.routing;
    let routed = journey.touchpoints.iter().filter(|touchpoint| touchpoint.replies.route_to_owner).count();
    if routed == 0 || routing.owners.is_empty() {
        return score(
            area,
            1,
            vec!["replies are not routed to Sales".into()],
            Some("route SMS replies to owners to reach Stage 2".into()),
        );
    }
    let mut missing = Vec::new();
    if routed < journey.touchpoints.len() {
        missing.push(format!("routing for {} SMS", journey.touchpoints.len() - routed));
    }
    if routing.backup_owner.is_none() {
        missing.push("a backup owner".to_owned());
    }
    let context = [
        HandoffField::Stage,
        HandoffField::LastNurtureStep,
        HandoffField::LastMessage,
        HandoffField::RecommendedNextStep,
    ];
    let absent: Vec<&str> = context
        .iter()
        .filter(|field| !routing.handoff_fields.contains(field))
        .map(|field| match field {
            HandoffField::Stage => "stage",
            HandoffField::LastNurtureStep => "last nurture step",
            HandoffField::LastMessage => "last message",
            _ => "recommended next step",
        })
        .collect();
    if !absent.is_empty() {
        missing.push(format!("nurture context on the handoff card ({})", absent.join(", ")));
    }
    if routing.sla_minutes_high_intent > 60 {
        missing.push("a high-intent SLA of an hour or less".to_owned());
    }
    if missing.is_empty() {
        score(
            area,
            3,
            vec![format!(
                "replies reach an owner with the journey's context, a backup, and a {}-minute SLA for high intent",
                routing.sla_minutes_high_intent
            )],
            None,
        )
    } else {
        score(
            area,
            2,
            vec![format!("basic routing exists, without {}", missing.join(", "))],
            Some(format!("add {} to reach Stage 3", missing.join(" and "))),
        )
    }
}

fn measurement(journey: &Journey) -> Score {
    let area = Area::Measurement;
    let measured = &journey.measurement;
    let has = |outcome| measured.outcomes.contains(&outcome);
    let conversions = has(Outcome::MeetingSet) || has(Outcome::StageProgression) || has(Outcome::ConversationToDeal);
    if !conversions {
        return score(
            area,
            1,
            vec!["only replies are measured".into()],
            Some("measure meetings set or stage progression to reach Stage 2".into()),
        );
    }
    let mut missing = Vec::new();
    for (outcome, name) in [
        (Outcome::MeetingSet, "meetings set"),
        (Outcome::StageProgression, "stage progression"),
        (Outcome::ConversationToDeal, "conversation-to-deal (revenue influence)"),
    ] {
        if !has(outcome) {
            missing.push(name.to_owned());
        }
    }
    if !measured.dimensions.contains(&Dimension::NurtureStep) {
        missing.push("a breakdown by nurture step".to_owned());
    }
    if missing.is_empty() {
        score(area, 3, vec!["meetings, stage velocity and revenue influence, by nurture step".into()], None)
    } else {
        score(
            area,
            2,
            vec![format!("some conversions are tracked, but not {}", missing.join(", "))],
            Some(format!("add {} to reach Stage 3", missing.join(" and "))),
        )
    }
}

/// The journey's scorecard, in matrix order. Rules with problems count as
/// checking nothing; fix them first ([`Journey::rule_problems`]).
pub fn scorecard(journey: &Journey) -> Vec<Score> {
    vec![messaging(journey), timing(journey), eligibility(journey), sales_handoff(journey), measurement(journey)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CapChannel, Narrative, TimeWindow};
    use crate::samples;

    /// (what is changed, the area it is about, the stage expected).
    type Case = (&'static str, fn(&mut Journey), Area, u8);

    fn cases() -> Vec<Case> {
        vec![
            ("the playbook sample", |_| {}, Area::Messaging, 3),
            (
                "one SMS with another next step",
                |j| j.touchpoints[0].narrative.next_step = "Call us".into(),
                Area::Messaging,
                2,
            ),
            (
                "every SMS with another story",
                |j| {
                    for touchpoint in &mut j.touchpoints {
                        touchpoint.narrative =
                            Narrative { offer: "x".into(), value_proposition: "y".into(), next_step: "z".into() };
                    }
                },
                Area::Messaging,
                1,
            ),
            ("the playbook sample", |_| {}, Area::Timing, 3),
            ("no quiet hours", |j| j.policies.quiet_hours = None, Area::Timing, 2),
            ("a blast trigger", |j| j.touchpoints[1].trigger = "engagement_score >= 0".into(), Area::Timing, 2),
            (
                "no quiet hours and no caps",
                |j| {
                    j.policies.quiet_hours = None;
                    j.policies.caps.clear();
                },
                Area::Timing,
                1,
            ),
            ("the playbook sample", |_| {}, Area::Eligibility, 3),
            ("no cooldown", |j| j.policies.reply_cooldown_hours = 0, Area::Eligibility, 2),
            (
                "consent only",
                |j| j.touchpoints[2].eligibility = r#"consent == "opted_in""#.into(),
                Area::Eligibility,
                2,
            ),
            ("no consent check", |j| j.touchpoints[3].eligibility = r#"stage == "SQL""#.into(), Area::Eligibility, 1),
            ("the playbook sample", |_| {}, Area::SalesHandoff, 3),
            ("no backup owner", |j| j.routing.backup_owner = None, Area::SalesHandoff, 2),
            ("a slow high-intent SLA", |j| j.routing.sla_minutes_high_intent = 240, Area::SalesHandoff, 2),
            (
                "no routing",
                |j| {
                    for touchpoint in &mut j.touchpoints {
                        touchpoint.replies.route_to_owner = false;
                    }
                },
                Area::SalesHandoff,
                1,
            ),
            ("the playbook sample", |_| {}, Area::Measurement, 3),
            (
                "no breakdown by step",
                |j| j.measurement.dimensions.retain(|d| *d != Dimension::NurtureStep),
                Area::Measurement,
                2,
            ),
            ("replies only", |j| j.measurement.outcomes = vec![Outcome::MeaningfulReply], Area::Measurement, 1),
        ]
    }

    #[test]
    fn each_stage_of_each_dimension_is_scored_from_the_configuration() {
        for (what, change, area, expected) in cases() {
            let mut journey = samples::playbook();
            change(&mut journey);
            let score = scorecard(&journey).into_iter().find(|score| score.area == area).unwrap();
            assert_eq!(score.stage, expected, "{what}: {}", score.summary());
            assert!(!score.reasons.is_empty(), "{what}");
            assert_eq!(score.to_lift.is_some(), expected < 3, "{what}: {}", score.summary());
        }
    }

    #[test]
    fn the_summary_says_why_and_how_to_lift_it() {
        let mut journey = samples::playbook();
        journey.policies.quiet_hours = None;
        journey.policies.caps.clear();
        let timing = &scorecard(&journey)[1];
        assert_eq!(
            timing.summary(),
            "Timing: Stage 1 — no quiet hours and no cap on SMS; add quiet hours and a cap to reach Stage 2"
        );
        journey.policies.quiet_hours = Some(TimeWindow { start_minute: 20 * 60, end_minute: 9 * 60 });
        journey.policies.caps.push(crate::model::FrequencyCap {
            channel: CapChannel::Sms,
            max_messages: 2,
            window_hours: 168,
        });
        assert_eq!(scorecard(&journey)[1].stage, 3);
        let blank = crate::defaults::blank_journey();
        assert!(scorecard(&blank).iter().all(|score| !score.reasons.is_empty()));
    }
}
