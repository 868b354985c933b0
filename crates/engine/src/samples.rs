//! Built-in journeys as plain data: what a first-time user opens, and what
//! tests at every tier use, so the app and the tests agree on one sample.

use crate::defaults;
use crate::model::{
    BlockedSend, Journey, Moment, Narrative, NurtureStep, ReplyHandling, SendTiming, SmsTouchpoint, Stage, StepId,
    TimingAnchor, TouchpointId,
};

/// Every built-in journey with a short machine name.
pub fn all() -> Vec<(&'static str, Journey)> {
    vec![("playbook", playbook()), ("late-stage", late_stage())]
}

fn narrative(offer: &str, value_proposition: &str, next_step: &str) -> Narrative {
    Narrative { offer: offer.into(), value_proposition: value_proposition.into(), next_step: next_step.into() }
}

fn timing(anchor: TimingAnchor, delay_minutes: u32, within_days: u16) -> SendTiming {
    SendTiming { anchor, delay_minutes, within_days }
}

/// Replies go to the contact's owner and count as responses for `hours`.
fn routed(hours: u16) -> ReplyHandling {
    ReplyHandling { route_to_owner: true, response_window_hours: hours }
}

fn step(id: &str, name: &str, day: u16, narrative: Narrative, stage_goal: Option<Stage>) -> NurtureStep {
    NurtureStep { id: StepId(id.into()), name: name.into(), day, narrative, stage_goal }
}

/// A B2B nurture that follows the playbook: ten emails over sixty days, with
/// SMS only at the high-leverage moments (event confirmation, a pricing-page
/// visit, a stalled evaluation, a demo request), each reusing its step's story.
pub fn playbook() -> Journey {
    let pipeline = "One pipeline view that marketing and sales both trust";
    let steps = vec![
        step(
            "welcome",
            "Welcome to the Revenue Alignment series",
            0,
            narrative("Revenue Alignment guide", pipeline, "Read the guide"),
            None,
        ),
        step(
            "case-study",
            "Case study: Northwind answers leads 4x faster",
            4,
            narrative("Northwind case study", "Reply to buyers while intent is fresh", "Read the case study"),
            None,
        ),
        step(
            "webinar-invite",
            "Webinar invite: Pipeline that converts",
            9,
            narrative("Live webinar: Pipeline that converts", pipeline, "Save your seat"),
            Some(Stage::Mql),
        ),
        step(
            "webinar-follow-up",
            "Webinar follow-up: recording and slides",
            16,
            narrative("Webinar recording and slides", pipeline, "Watch the recording"),
            None,
        ),
        step(
            "pricing-guide",
            "Pricing guide: plans by team size",
            23,
            narrative("Pricing guide", "Know the cost before you talk to sales", "Compare plans"),
            None,
        ),
        step(
            "roi-calculator",
            "ROI calculator: your payback in minutes",
            30,
            narrative("ROI calculator", "See payback on your own numbers", "Run the calculator"),
            Some(Stage::Sql),
        ),
        step(
            "customer-proof",
            "Customer proof: three teams, one quarter",
            37,
            narrative(
                "Customer results roundup",
                "Teams like yours hit payback within a quarter",
                "Read their results",
            ),
            None,
        ),
        step(
            "demo-offer",
            "Demo offer: a 20-minute walkthrough",
            44,
            narrative("20-minute tailored demo", "See your own pipeline in Brightline", "Book a demo"),
            Some(Stage::Opportunity),
        ),
        step(
            "last-questions",
            "Last questions before you decide",
            52,
            narrative("Evaluation checklist", "Everything your team will ask, answered", "Book a demo"),
            None,
        ),
        step(
            "breakup",
            "Should we close your file?",
            60,
            narrative("Stay-in-touch preference", "Hear from us only when it helps", "Tell us what you prefer"),
            None,
        ),
    ];

    let touchpoints = vec![
        SmsTouchpoint {
            id: TouchpointId("sms-webinar-confirm".into()),
            name: "Webinar seat confirmation".into(),
            step: StepId("webinar-invite".into()),
            moment: Moment::Confirmation,
            trigger: r#"clicks(email, 3d) >= 1 and visited("webinar-registration", 3d)"#.into(),
            eligibility: r#"consent == "opted_in" and stage in ["MQL", "SQL"]"#.into(),
            body: "Brightline: your seat for Pipeline that converts is saved (Thu 1pm your time). \
                   Reply C to confirm or R for the recording instead. Reply STOP to opt out."
                .into(),
            narrative: narrative("Live webinar: Pipeline that converts", pipeline, "Save your seat"),
            timing: timing(TimingAnchor::Trigger, 10, 5),
            when_blocked: BlockedSend::Defer,
            replies: routed(24),
        },
        SmsTouchpoint {
            id: TouchpointId("sms-pricing-intent".into()),
            name: "Pricing questions, answered fast".into(),
            step: StepId("pricing-guide".into()),
            moment: Moment::IntentResponse,
            trigger: r#"visited("pricing", 3d) or clicks(email, 7d) >= 2"#.into(),
            eligibility: r#"consent == "opted_in" and persona in ["VP Sales", "RevOps"] and industry_risk != "high""#
                .into(),
            body: "Brightline: saw you comparing plans. Want the pricing guide for a team your size, \
                   or a quick answer from your rep? Reply STOP to opt out."
                .into(),
            narrative: narrative("Pricing guide", "Know the cost before you talk to sales", "Compare plans"),
            timing: timing(TimingAnchor::Trigger, 30, 7),
            when_blocked: BlockedSend::Defer,
            replies: routed(12),
        },
        SmsTouchpoint {
            id: TouchpointId("sms-roi-clarify".into()),
            name: "Stalled evaluation check-in".into(),
            step: StepId("roi-calculator".into()),
            moment: Moment::Clarification,
            trigger: "days_in_stage >= 14 and opens(email, 14d) >= 2".into(),
            eligibility: r#"consent == "opted_in" and stage == "SQL""#.into(),
            body: "Brightline: stuck on the ROI numbers? Reply with your team size and we'll send \
                   your payback estimate. Reply STOP to opt out."
                .into(),
            narrative: narrative("ROI calculator", "See payback on your own numbers", "Run the calculator"),
            timing: timing(TimingAnchor::Step, 2 * 24 * 60, 10),
            when_blocked: BlockedSend::Skip,
            replies: routed(48),
        },
        SmsTouchpoint {
            id: TouchpointId("sms-demo-coordination".into()),
            name: "Demo time coordination".into(),
            step: StepId("demo-offer".into()),
            moment: Moment::LateStageCoordination,
            trigger: "meeting_intent or visited(\"demo\", 2d)".into(),
            eligibility: r#"consent == "opted_in" and stage in ["SQL", "Opportunity"]"#.into(),
            body: "Brightline: thanks for asking for a demo. Does Tue or Wed afternoon suit you? \
                   Reply with a time and your rep will confirm. Reply STOP to opt out."
                .into(),
            narrative: narrative("20-minute tailored demo", "See your own pipeline in Brightline", "Book a demo"),
            timing: timing(TimingAnchor::Trigger, 5, 8),
            when_blocked: BlockedSend::Advance,
            replies: routed(4),
        },
    ];

    Journey {
        name: "Revenue Alignment nurture".into(),
        email_send_minute: defaults::EMAIL_SEND_MINUTE,
        high_intent: defaults::HIGH_INTENT.into(),
        steps,
        touchpoints,
        policies: defaults::policies(),
        routing: defaults::routing(),
        measurement: defaults::measurement(),
    }
}

/// A short journey for buyers already talking to Sales: three emails over
/// two weeks and SMS only to coordinate, with quieter hours than the defaults.
pub fn late_stage() -> Journey {
    let proposal = "A plan your whole buying group can sign off";
    let steps = vec![
        step(
            "demo-recap",
            "Your demo recap and next steps",
            0,
            narrative("Demo recap", proposal, "Book the technical review"),
            Some(Stage::Opportunity),
        ),
        step(
            "proposal",
            "Your proposal, ready to review",
            5,
            narrative("Tailored proposal", proposal, "Review the proposal"),
            None,
        ),
        step(
            "decision",
            "Anything blocking your decision?",
            12,
            narrative("Decision checklist", proposal, "Pick a start date"),
            Some(Stage::Customer),
        ),
    ];
    let touchpoints = vec![
        SmsTouchpoint {
            id: TouchpointId("sms-review-time".into()),
            name: "Technical review scheduling".into(),
            step: StepId("demo-recap".into()),
            moment: Moment::LateStageCoordination,
            trigger: "meeting_intent or clicks(email, 2d) >= 1".into(),
            eligibility: r#"consent == "opted_in" and stage == "Opportunity""#.into(),
            timing: timing(TimingAnchor::Trigger, 15, 4),
            body: "Brightline: want to lock in the technical review? Reply with two times that suit your team. Reply STOP to opt out.".into(),
            narrative: narrative("Demo recap", proposal, "Book the technical review"),
            when_blocked: BlockedSend::Defer,
            replies: routed(8),
        },
        SmsTouchpoint {
            id: TouchpointId("sms-proposal-questions".into()),
            name: "Proposal questions".into(),
            step: StepId("proposal".into()),
            moment: Moment::Clarification,
            trigger: r#"visited("proposal", 3d) and replied(sms, 30d) == 0"#.into(),
            eligibility: r#"consent == "opted_in" and stage == "Opportunity" and industry_risk != "high""#.into(),
            timing: timing(TimingAnchor::Step, 24 * 60, 5),
            body: "Brightline: any questions on the proposal? Reply here and your rep answers today. Reply STOP to opt out.".into(),
            narrative: narrative("Tailored proposal", proposal, "Review the proposal"),
            when_blocked: BlockedSend::Skip,
            replies: routed(24),
        },
    ];
    let mut policies = defaults::policies();
    policies.quiet_hours = Some(crate::model::TimeWindow { start_minute: 19 * 60, end_minute: 10 * 60 });
    Journey {
        name: "Late-stage coordination".into(),
        email_send_minute: 9 * 60 + 30,
        high_intent: defaults::HIGH_INTENT.into(),
        steps,
        touchpoints,
        policies,
        routing: defaults::routing(),
        measurement: defaults::measurement(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_playbook_sample_has_the_shape_the_playbook_asks_for() {
        let journey = playbook();
        assert!((8..=12).contains(&journey.steps.len()), "8 to 12 nurture emails");
        assert!((50..=70).contains(&journey.last_day()), "about sixty days");
        assert!((3..=4).contains(&journey.touchpoints.len()), "3 or 4 SMS touchpoints");
        let moments: std::collections::BTreeSet<_> = journey.touchpoints.iter().map(|t| t.moment).collect();
        assert!(moments.len() >= 3, "SMS at several of the playbook's moments, found {moments:?}");
        for touchpoint in &journey.touchpoints {
            let step = journey.step(&touchpoint.step).expect("attached to a step");
            assert_eq!(touchpoint.narrative, step.narrative, "`{}` tells its step's story", touchpoint.id);
            assert!(!touchpoint.trigger.is_empty() && !touchpoint.eligibility.is_empty());
            assert!(touchpoint.body.contains("STOP"), "`{}` says how to opt out", touchpoint.id);
        }
    }
}
