//! The journey as a Dittofeed journey: the body of the admin API's
//! `PUT /api/admin/journeys`, whose `definition` has an entry node, body
//! nodes linked by child ids, and the exit node. Segments and templates are
//! separate resources, so every condition is a segment the user maps. Built
//! against `dittofeed/dittofeed` `packages/isomorphic-lib/src/types.ts` at
//! commit 52b2bee9.

use serde_json::{Value, json};

use super::{Context, Gap, Kind, Next, Node};
use crate::model::MINUTES_PER_DAY;

/// How Dittofeed names the exit node, which children point to.
const EXIT: &str = "ExitNode";

pub(super) fn by_hand(gap: Gap) -> Option<&'static str> {
    Some(match gap {
        Gap::SmsWindow | Gap::StateWindow => {
            "Dittofeed journeys have no sending hours; add a LocalTime delay before each SMS (and a segment split by state for state windows) by hand"
        }
        Gap::StateLimit | Gap::Cap | Gap::Collision | Gap::ReplyCooldown => {
            "Dittofeed journeys have no message limits (its rate-limit node is not implemented); keep them with segments of recent messages, built by hand"
        }
        Gap::BlockedSend => "not expressible in Dittofeed journeys; every SMS goes when its node is reached",
        Gap::TriggerWindow => {
            "here the trigger is tested once, by a segment split right after the email; a wait-for node on the segment with this timeout can stand in, set up by hand"
        }
        Gap::RulePart => "Dittofeed tests conditions as segments; build this part into the SMS's segment by hand",
        Gap::Routing => {
            "Dittofeed journeys do not route replies; send SMS replies to Sales from your SMS provider and track the SLAs there"
        }
    })
}

pub(super) fn document(context: &mut Context, plan: &[Node]) -> Value {
    let journey = context.journey;
    let workspace = context.id("workspace", "Your Dittofeed workspace");
    let segment = context.id("segment.entry", "The Dittofeed segment whose members enter the journey");
    let first = plan.first().map_or(EXIT.to_owned(), |node| node.id.clone());
    let nodes: Vec<Value> = plan.iter().flat_map(|node| render(context, node)).collect();
    json!({
        "workspaceId": workspace,
        "name": journey.name,
        "status": "NotStarted",
        "definition": {
            "entryNode": {"type": "EntryNode", "segment": segment, "child": first},
            "nodes": nodes,
            "exitNode": {"type": EXIT},
        },
    })
}

fn child(next: &Option<String>) -> String {
    next.clone().unwrap_or_else(|| EXIT.to_owned())
}

fn seconds(id: &str, seconds: u32, next: String) -> Value {
    json!({"id": id, "type": "DelayNode", "variant": {"type": "Second", "seconds": seconds}, "child": next})
}

/// A node as Dittofeed nodes: the first has the node's id.
fn render(context: &mut Context, node: &Node) -> Vec<Value> {
    let next = match &node.next {
        Next::To(next) => Some(next.clone()),
        Next::Branch { .. } | Next::End => None,
    };
    match &node.kind {
        Kind::Wait { days } => {
            // Half a day short of the send time, then the send time itself.
            let minutes =
                (u32::from(*days) * u32::from(MINUTES_PER_DAY)).saturating_sub(u32::from(MINUTES_PER_DAY / 2));
            let send = context.journey.email_send_minute;
            let time_id = if minutes == 0 { node.id.clone() } else { format!("{}-time", node.id) };
            let local = json!({
                "id": time_id,
                "type": "DelayNode",
                "variant": {"type": "LocalTime", "hour": send / 60, "minute": send % 60},
                "child": child(&next),
            });
            if minutes == 0 { vec![local] } else { vec![seconds(&node.id, minutes * 60, time_id), local] }
        }
        Kind::Email(step) => {
            let template = context.id(&format!("template.{}", step.id), &format!("Email template for “{}”", step.name));
            vec![message(node, &step.name, "Email", template, child(&next))]
        }
        Kind::Split(touchpoint) => {
            let Next::Branch { yes, no } = &node.next else { unreachable!("a split always branches") };
            let policies = &context.journey.policies;
            let audience = format!(
                "The Dittofeed segment for SMS “{}”: ({}) and ({}) and not ({})",
                touchpoint.name, touchpoint.trigger, touchpoint.eligibility, policies.suppression
            );
            let segment = context.id(&format!("segment.{}", touchpoint.id), &audience);
            vec![json!({
                "id": node.id,
                "type": "SegmentSplitNode",
                "name": touchpoint.name,
                "variant": {"type": "Boolean", "segment": segment, "trueChild": yes, "falseChild": child(no)},
            })]
        }
        Kind::Delay { minutes } => vec![seconds(&node.id, minutes * 60, child(&next))],
        Kind::Sms(touchpoint) => {
            let what = format!("The Dittofeed SMS template for “{}”, body: {}", touchpoint.name, touchpoint.body);
            let template = context.id(&format!("template.{}", touchpoint.id), &what);
            vec![message(node, &touchpoint.name, "Sms", template, child(&next))]
        }
    }
}

fn message(node: &Node, name: &str, channel: &str, template: String, next: String) -> Value {
    json!({
        "id": node.id,
        "type": "MessageNode",
        "name": name,
        "variant": {"type": channel, "templateId": template},
        "child": next,
    })
}
