//! The journey as a Klaviyo flow: the body of `POST /api/flows` (API
//! revision 2026-07-15; flows are created this way since 2025-01-15), with
//! actions linked by temporary ids. Built against `klaviyo/openapi`
//! `openapi/stable/apis/create_flow.json` at commit f0a30ba4.

use serde_json::{Value, json};

use super::{Atom, Context, Gap, Kind, Next, Node};
use crate::clock::format_time_of_day;
use crate::rules::CompareOp;

pub(super) fn by_hand(gap: Gap) -> Option<&'static str> {
    Some(match gap {
        Gap::SmsWindow => {
            "Klaviyo's SMS quiet hours are an account setting (every send-sms here has them switched on); set them in Klaviyo's SMS settings so texts go only in this span"
        }
        Gap::StateWindow => {
            "not expressible in Klaviyo flows, whose quiet hours are one account-wide span; make that span the strictest state's window, or add a conditional split on the profile's state by hand"
        }
        Gap::StateLimit => {
            "not expressible in Klaviyo flows; set account-level smart sending for SMS to a window that keeps every profile under the limit"
        }
        Gap::Cap => {
            "Klaviyo flows have no caps; smart sending (on for every SMS here, off for the nurture emails) skips a profile messaged within the account's smart-sending window, so set that window in Klaviyo's settings"
        }
        Gap::Collision => {
            "not expressible in Klaviyo flows; smart sending keeps SMS apart only by the account's window, and the gap after an email needs a time delay added by hand"
        }
        Gap::ReplyCooldown => {
            "not expressible in Klaviyo flows; add a conditional split on the SMS reply metric over this window before each SMS by hand"
        }
        Gap::BlockedSend => {
            "Klaviyo holds an SMS that falls in quiet hours until they end, which is a defer; skipping or advancing instead is not expressible"
        }
        Gap::TriggerWindow => {
            "here the trigger is tested once, by a conditional split right after the email; for a trigger that may fire later, build a metric-triggered flow in Klaviyo by hand"
        }
        Gap::RulePart => {
            "Klaviyo's profile conditions cannot test this part; add it to the conditional split by hand, e.g. as a segment"
        }
        Gap::Routing => {
            "Klaviyo flows do not route replies; forward SMS replies to Sales from Klaviyo's inbox or a webhook and track the SLAs there"
        }
    })
}

pub(super) fn document(context: &mut Context, plan: &[Node]) -> Value {
    let journey = context.journey;
    let trigger = context.id("list.entry", "The Klaviyo list whose new members enter the flow");
    let actions: Vec<Value> = plan.iter().map(|node| action(context, node)).collect();
    json!({
        "data": {
            "type": "flow",
            "attributes": {
                "name": journey.name,
                "definition": {
                    "triggers": [{"type": "list", "id": trigger}],
                    "profile_filter": null,
                    "actions": actions,
                    "entry_action_id": plan.first().map(|node| node.id.clone()),
                },
            },
        },
    })
}

fn action(context: &mut Context, node: &Node) -> Value {
    let (kind, data) = match &node.kind {
        Kind::Wait { days } => (
            "time-delay",
            json!({
                "unit": "days",
                "value": days,
                "timezone": "profile",
                "delay_until_time": format!("{}:00", format_time_of_day(context.journey.email_send_minute)),
            }),
        ),
        Kind::Email(step) => {
            let template = context.id(&format!("template.{}", step.id), &format!("Email template for “{}”", step.name));
            let message = json!({
                "name": step.name,
                "template_id": template,
                "smart_sending_enabled": false,
            });
            ("send-email", json!({"message": message, "status": "draft"}))
        }
        Kind::Split(touchpoint) => {
            let condition = context.sms_condition(touchpoint, |clause| clause.iter().all(testable));
            let groups: Vec<Value> = condition
                .all_of
                .iter()
                .map(|clause| {
                    let conditions: Vec<Value> = clause.iter().map(|atom| profile_condition(context, atom)).collect();
                    json!({"conditions": conditions})
                })
                .collect();
            ("conditional-split", json!({"profile_filter": {"condition_groups": groups}}))
        }
        Kind::Delay { minutes } => {
            let (unit, value) = if minutes % 60 == 0 { ("hours", minutes / 60) } else { ("minutes", *minutes) };
            ("time-delay", json!({"unit": unit, "value": value, "timezone": "profile"}))
        }
        Kind::Sms(touchpoint) => {
            let message = json!({
                "name": touchpoint.name,
                "body": touchpoint.body,
                "smart_sending_enabled": true,
                "sms_quiet_hours_enabled": true,
            });
            ("send-sms", json!({"message": message, "status": "draft"}))
        }
    };
    let links = match &node.next {
        Next::To(next) => json!({"next": next}),
        Next::Branch { yes, no } => json!({"next_if_true": yes, "next_if_false": no}),
        Next::End => json!({"next": null}),
    };
    json!({"temporary_id": node.id, "type": kind, "links": links, "data": data})
}

/// Whether a Klaviyo profile condition can test the atom: windows must be
/// whole hours (its relative dates count hours, days and weeks).
fn testable(atom: &Atom) -> bool {
    match atom {
        Atom::Consent { opted_in } => *opted_in,
        Atom::Count { window, .. } => window.minutes().is_some_and(|minutes| minutes % 60 == 0),
        Atom::Choice { .. } | Atom::Flag { .. } | Atom::Number { .. } => true,
    }
}

fn numeric(op: CompareOp, value: f64) -> Value {
    let operator = match op {
        CompareOp::Equal => "equals",
        CompareOp::NotEqual => "not-equals",
        CompareOp::Less => "less-than",
        CompareOp::LessOrEqual => "less-than-or-equal",
        CompareOp::Greater => "greater-than",
        CompareOp::GreaterOrEqual => "greater-than-or-equal",
    };
    json!({"type": "numeric", "operator": operator, "value": super::number(value)})
}

fn property(attribute: &str) -> String {
    format!("properties['{attribute}']")
}

fn profile_condition(context: &mut Context, atom: &Atom) -> Value {
    match atom {
        Atom::Consent { .. } => json!({
            "type": "profile-marketing-consent",
            "consent": {"channel": "sms", "can_receive_marketing": true, "consent_status": {"subscription": "subscribed"}},
        }),
        Atom::Choice { attribute, values, negated } => json!({
            "type": "profile-property",
            "property": property(attribute),
            "filter": {"type": "string", "operator": if *negated { "not-in" } else { "in" }, "value": values},
        }),
        Atom::Flag { attribute, value } => json!({
            "type": "profile-property",
            "property": property(attribute),
            "filter": {"type": "boolean", "operator": "equals", "value": value},
        }),
        Atom::Number { attribute, op, value } => {
            json!({"type": "profile-property", "property": property(attribute), "filter": numeric(*op, *value)})
        }
        Atom::Count { function, channel, page, window, op, value } => {
            let key = match channel {
                Some(channel) => format!("metric.{function}.{channel}"),
                None => format!("metric.{function}"),
            };
            let metric = context.id(&key, &format!("The Klaviyo metric counted by `{function}`"));
            let hours = window.minutes().unwrap_or(0) / 60;
            let (unit, quantity) = if hours % 24 == 0 { ("day", hours / 24) } else { ("hour", hours) };
            let page_filter = page.as_ref().map(
                |page| json!([{"property": "page", "filter": {"type": "string", "operator": "equals", "value": page}}]),
            );
            json!({
                "type": "profile-metric",
                "metric_id": metric,
                "measurement": "count",
                "measurement_filter": numeric(*op, *value),
                "timeframe_filter": {"type": "date", "operator": "in-the-last", "unit": unit, "quantity": quantity},
                "metric_filters": page_filter,
            })
        }
    }
}
