//! The journey as a PostHog workflow: a HogFlow document (actions and the
//! edges between them) for the project's `hog_flows` API. Built against
//! `PostHog/posthog` `nodejs/src/schema/hogflow.ts` at commit 04ee76e0.

use serde_json::{Value, json};

use super::{Atom, Context, Gap, Kind, Next, Node, sms_window};
use crate::clock::format_time_of_day;
use crate::model::MINUTES_PER_DAY;
use crate::rules::CompareOp;

/// The longest one delay action may wait; longer waits chain.
pub(crate) const MAX_DELAY_MINUTES: u32 = 30 * 24 * 60;

pub(super) fn by_hand(gap: Gap) -> Option<&'static str> {
    Some(match gap {
        Gap::SmsWindow => return None,
        Gap::StateWindow => {
            "the workflow's time window is the same for every person; add a conditional branch on the person's state, each side with its own time window, by hand"
        }
        Gap::StateLimit | Gap::Cap => {
            "PostHog workflows have no per-person message limits; trigger masking limits how often a person enters, anything finer needs a branch on recent messages by hand"
        }
        Gap::Collision | Gap::ReplyCooldown => {
            "not expressible in PostHog workflows; add a conditional branch on the person's recent messages or replies before each SMS by hand"
        }
        Gap::BlockedSend => {
            "the time window before each SMS holds it until the window opens, which is a defer; skipping or advancing instead is not expressible"
        }
        Gap::TriggerWindow => {
            "here the trigger is tested once, by a conditional branch right after the email; a 'wait until condition' step with this maximum wait can stand in, set up by hand"
        }
        Gap::RulePart => {
            "the branch conditions here test person properties only; event counts over a window and either-or parts need a cohort or a 'wait until event' step, built by hand"
        }
        Gap::Routing => {
            "PostHog workflows do not route replies; send SMS replies to Sales with a webhook step or your SMS provider and track the SLAs there"
        }
    })
}

pub(super) fn document(context: &mut Context, plan: &[Node]) -> Value {
    let journey = context.journey;
    let event = context.id("event.entry", "The PostHog event that enters a person into the workflow");
    let trigger = json!({"type": "event", "filters": {"events": [{"id": event, "name": event, "type": "events"}]}});
    let mut actions = vec![action("trigger", "Trigger", "trigger", json!(trigger))];
    let mut edges = vec![edge("trigger", plan.first().map_or("exit", |node| node.id.as_str()))];
    for node in plan {
        render(context, node, &mut actions, &mut edges);
    }
    actions.push(action("exit", "Exit", "exit", json!({"reason": "The journey's last step"})));
    json!({
        "name": journey.name,
        "status": "draft",
        "trigger": trigger,
        "exit_condition": "exit_only_at_end",
        "actions": actions,
        "edges": edges,
    })
}

fn action(id: &str, name: &str, kind: &str, config: Value) -> Value {
    json!({"id": id, "name": name, "description": "", "created_at": 0, "updated_at": 0, "type": kind, "config": config})
}

fn edge(from: &str, to: &str) -> Value {
    json!({"from": from, "to": to, "type": "continue"})
}

/// A node as a chain of actions: the first has the node's id, the last
/// leads to the node's next.
fn render(context: &mut Context, node: &Node, actions: &mut Vec<Value>, edges: &mut Vec<Value>) {
    let mut chain: Vec<Value> = Vec::new();
    let named = |suffix: usize| if suffix == 0 { node.id.clone() } else { format!("{}-{suffix}", node.id) };
    match &node.kind {
        Kind::Wait { days } => {
            // Half a day short of the send time, then the time window: the email goes on its day.
            let minutes =
                (u32::from(*days) * u32::from(MINUTES_PER_DAY)).saturating_sub(u32::from(MINUTES_PER_DAY / 2));
            delays(minutes, "Wait", &named, &mut chain);
            let send = context.journey.email_send_minute;
            let window = [format_time_of_day(send), format_time_of_day((send + 1) % MINUTES_PER_DAY)];
            chain.push(action(&named(chain.len()), "Send time", "wait_until_time_window", time_window(window)));
        }
        Kind::Email(step) => {
            let template = context.id(&format!("template.{}", step.id), &format!("Email template for “{}”", step.name));
            let config = json!({
                "message_category_type": "marketing",
                "template_uuid": template,
                "template_id": "template-email",
                "inputs": {},
            });
            chain.push(action(&node.id, &step.name, "function_email", config));
        }
        Kind::Split(touchpoint) => {
            let condition =
                context.sms_condition(touchpoint, |clause| matches!(clause, [atom] if property_filter(atom).is_some()));
            let properties: Vec<Value> = condition.all_of.iter().flatten().filter_map(property_filter).collect();
            let config = json!({"conditions": [{"name": touchpoint.name, "filters": {"properties": properties}}]});
            chain.push(action(&node.id, &touchpoint.name, "conditional_branch", config));
        }
        Kind::Delay { minutes } => delays(*minutes, "SMS delay", &named, &mut chain),
        Kind::Sms(touchpoint) => {
            if let Some(window) = sms_window(context.journey) {
                let span = [format_time_of_day(window.start_minute), format_time_of_day(window.end_minute)];
                chain.push(action(&node.id, "SMS hours", "wait_until_time_window", time_window(span)));
            }
            let config = json!({
                "message_category_type": "marketing",
                "template_id": "template-twilio",
                "inputs": {"message": {"value": touchpoint.body}},
            });
            chain.push(action(&named(chain.len()), &touchpoint.name, "function_sms", config));
        }
    }
    for pair in chain.windows(2) {
        edges.push(edge(pair[0]["id"].as_str().unwrap_or_default(), pair[1]["id"].as_str().unwrap_or_default()));
    }
    let last = chain.last().and_then(|action| action["id"].as_str()).unwrap_or_default().to_owned();
    match &node.next {
        Next::To(next) => edges.push(edge(&last, next)),
        Next::Branch { yes, no } => {
            edges.push(json!({"from": last, "to": yes, "type": "branch", "index": 0}));
            edges.push(edge(&last, no.as_deref().unwrap_or("exit")));
        }
        Next::End => edges.push(edge(&last, "exit")),
    }
    actions.extend(chain);
}

/// `minutes` as delay actions of at most thirty days each.
fn delays(mut minutes: u32, name: &str, named: &dyn Fn(usize) -> String, chain: &mut Vec<Value>) {
    while minutes > 0 {
        let part = minutes.min(MAX_DELAY_MINUTES);
        minutes -= part;
        let duration = match part {
            part if part % (24 * 60) == 0 => format!("{}d", part / (24 * 60)),
            part if part % 60 == 0 => format!("{}h", part / 60),
            part => format!("{part}m"),
        };
        chain.push(action(&named(chain.len()), name, "delay", json!({"delay_duration": duration})));
    }
}

fn time_window(time: [String; 2]) -> Value {
    json!({"timezone": null, "use_person_timezone": true, "fallback_timezone": null, "day": "any", "time": time})
}

/// The atom as a person-property filter, if it is one (event counts are not).
fn property_filter(atom: &Atom) -> Option<Value> {
    let (key, operator, value) = match atom {
        Atom::Consent { opted_in } => ("consent", if *opted_in { "exact" } else { "is_not" }, json!(["opted_in"])),
        Atom::Choice { attribute, values, negated } => {
            (*attribute, if *negated { "is_not" } else { "exact" }, json!(values))
        }
        Atom::Flag { attribute, value } => (*attribute, "exact", json!([value])),
        Atom::Number { attribute, op, value } => {
            let operator = match op {
                CompareOp::Equal => "exact",
                CompareOp::NotEqual => "is_not",
                CompareOp::Less => "lt",
                CompareOp::LessOrEqual => "lte",
                CompareOp::Greater => "gt",
                CompareOp::GreaterOrEqual => "gte",
            };
            (*attribute, operator, super::number(*value))
        }
        Atom::Count { .. } => return None,
    };
    Some(json!({"key": key, "type": "person", "operator": operator, "value": value}))
}
