//! Exports for execution systems: golden documents of the built-in samples
//! per target, every export checked against a JSON Schema written from the
//! target's published definition (`export_schemas/`), and properties over
//! generated journeys read back from each target's own graph.
//!
//! Run with `BLESS=1` to rewrite the golden files after a deliberate change,
//! then read the diff.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

use proptest::prelude::*;
use serde_json::Value;
use tandem_engine::export::{self, Export, Mapping, Target};
use tandem_engine::model::{
    BlockedSend, Journey, NurtureStep, SendTiming, SmsTouchpoint, StepId, TimingAnchor, TouchpointId,
};
use tandem_engine::samples;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn validator(target: Target) -> (boon::Schemas, boon::SchemaIndex) {
    let path = crate_dir().join(format!("tests/export_schemas/{}.schema.json", target.key()));
    let schema: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("tandem:export", schema).unwrap();
    let index = compiler.compile("tandem:export", &mut schemas).expect("the schema compiles");
    (schemas, index)
}

fn check_schema(target: Target, document: &Value) -> Result<(), String> {
    let (schemas, index) = validator(target);
    schemas.validate(document, index).map_err(|error| format!("{} document: {error}", target.label()))
}

fn listing(exported: &Export) -> String {
    exported.not_carried.iter().map(|item| format!("- {item}\n")).collect()
}

#[test]
fn golden_exports_of_the_samples_match_and_fit_their_schemas() {
    let mut failures = Vec::new();
    for (name, journey) in samples::all() {
        for target in Target::ALL {
            let exported = export::export(&journey, target, &Mapping::default());
            let document: Value = serde_json::from_str(&exported.document).unwrap();
            if let Err(error) = check_schema(target, &document) {
                failures.push(format!("{name}: {error}"));
            }
            for (extension, actual) in [("json", exported.document.clone()), ("txt", listing(&exported))] {
                let path = crate_dir().join(format!("tests/export_golden/{name}.{}.{extension}", target.key()));
                let expected = fs::read_to_string(&path).unwrap_or_default();
                if std::env::var_os("BLESS").is_some() {
                    fs::write(&path, &actual).unwrap();
                } else if expected != actual {
                    failures.push(format!("{} differs (run with BLESS=1 and read the diff)", path.display()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_export_is_deterministic_and_uses_the_mapping() {
    let journey = samples::playbook();
    let mapping = Mapping::from_json(r#"{"list.entry": "Lst1", "metric.clicks.email": "Met9"}"#).unwrap();
    let first = export::export(&journey, Target::Klaviyo, &mapping);
    assert_eq!(first, export::export(&journey, Target::Klaviyo, &mapping));
    assert!(first.document.contains("\"Lst1\"") && first.document.contains("\"Met9\""));
    assert!(!listing(&first).contains("`list.entry`"), "a mapped id is not listed");
    assert!(listing(&first).contains("`template.welcome`"), "an unmapped one is");
}

/// What a target document's node does, as far as the properties need.
#[derive(Clone, Debug, PartialEq)]
enum Role {
    Email(String),
    Sms(String),
    /// Klaviyo: whole calendar days, then the send time.
    Days(u64),
    /// PostHog and Dittofeed: a duration...
    Minutes(u64),
    /// ...then the send time of day, which completes the day.
    SendTime,
    Other,
}

/// A target document as a graph: the entry node and each node's role and successors.
struct Graph {
    entry: String,
    nodes: BTreeMap<String, (Role, Vec<String>)>,
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

fn graph(target: Target, document: &Value) -> Graph {
    let mut nodes = BTreeMap::new();
    match target {
        Target::Klaviyo => {
            let definition = &document["data"]["attributes"]["definition"];
            for action in definition["actions"].as_array().unwrap() {
                let data = &action["data"];
                let role = match action["type"].as_str().unwrap() {
                    "send-email" => Role::Email(text(&data["message"]["name"])),
                    "send-sms" => Role::Sms(text(&data["message"]["name"])),
                    "time-delay" if data["unit"] == "days" => Role::Days(data["value"].as_u64().unwrap()),
                    _ => Role::Other,
                };
                let links = action["links"].as_object().unwrap();
                let next = links.values().filter_map(|next| next.as_str().map(str::to_owned)).collect();
                nodes.insert(text(&action["temporary_id"]), (role, next));
            }
            Graph { entry: text(&definition["entry_action_id"]), nodes }
        }
        Target::PostHog => {
            for action in document["actions"].as_array().unwrap() {
                let config = &action["config"];
                let role = match action["type"].as_str().unwrap() {
                    "function_email" => Role::Email(text(&action["name"])),
                    "function_sms" => Role::Sms(text(&action["name"])),
                    "delay" => {
                        let duration = text(&config["delay_duration"]);
                        let (amount, unit) = duration.split_at(duration.len() - 1);
                        let scale = match unit {
                            "d" => 1440,
                            "h" => 60,
                            _ => 1,
                        };
                        Role::Minutes(amount.parse::<u64>().unwrap() * scale)
                    }
                    "wait_until_time_window" if action["name"] == "Send time" => Role::SendTime,
                    _ => Role::Other,
                };
                nodes.insert(text(&action["id"]), (role, Vec::new()));
            }
            for edge in document["edges"].as_array().unwrap() {
                let from = nodes.get_mut(&text(&edge["from"])).expect("an edge starts at an action");
                from.1.push(text(&edge["to"]));
            }
            Graph { entry: "trigger".into(), nodes }
        }
        Target::Dittofeed => {
            let definition = &document["definition"];
            nodes.insert("ExitNode".to_owned(), (Role::Other, Vec::new()));
            nodes.insert("entry".to_owned(), (Role::Other, vec![text(&definition["entryNode"]["child"])]));
            for node in definition["nodes"].as_array().unwrap() {
                let variant = &node["variant"];
                let (role, next) = match (node["type"].as_str().unwrap(), variant["type"].as_str().unwrap()) {
                    ("MessageNode", "Email") => (Role::Email(text(&node["name"])), vec![text(&node["child"])]),
                    ("MessageNode", _) => (Role::Sms(text(&node["name"])), vec![text(&node["child"])]),
                    ("DelayNode", "Second") => {
                        (Role::Minutes(variant["seconds"].as_u64().unwrap() / 60), vec![text(&node["child"])])
                    }
                    ("DelayNode", _) => (Role::SendTime, vec![text(&node["child"])]),
                    _ => (Role::Other, vec![text(&variant["trueChild"]), text(&variant["falseChild"])]),
                };
                nodes.insert(text(&node["id"]), (role, next));
            }
            Graph { entry: "entry".into(), nodes }
        }
    }
}

/// Checks the graph's structure and, on every path, that each email comes on its day.
fn check_graph(target: Target, journey: &Journey, document: &Value) -> Result<(), String> {
    let graph = graph(target, document);
    let label = target.label();
    let mut incoming: BTreeMap<&str, usize> = graph.nodes.keys().map(|id| (id.as_str(), 0)).collect();
    for (id, (_, next)) in &graph.nodes {
        for to in next {
            *incoming.get_mut(to.as_str()).ok_or(format!("{label}: `{id}` leads to a missing `{to}`"))? += 1;
        }
    }
    let entries: Vec<&str> = incoming.iter().filter(|(_, count)| **count == 0).map(|(id, _)| *id).collect();
    if entries != [graph.entry.as_str()] {
        return Err(format!("{label}: the nodes without a way in are {entries:?}, not just the entry"));
    }
    let roles: Vec<&Role> = graph.nodes.values().map(|(role, _)| role).collect();
    for step in &journey.steps {
        let count = roles.iter().filter(|role| ***role == Role::Email(step.name.clone())).count();
        if count != 1 {
            return Err(format!("{label}: email {:?} appears {count} times", step.name));
        }
    }
    for touchpoint in &journey.touchpoints {
        let count = roles.iter().filter(|role| ***role == Role::Sms(touchpoint.name.clone())).count();
        if count != 1 {
            return Err(format!("{label}: SMS {:?} appears {count} times", touchpoint.name));
        }
    }
    let days: BTreeMap<&str, u64> =
        journey.steps.iter().map(|step| (step.name.as_str(), u64::from(step.day))).collect();
    // Every path from the entry: (node, days so far, minutes pending, nodes on the path).
    let mut stack = vec![(graph.entry.clone(), 0u64, 0u64, BTreeSet::new())];
    while let Some((id, mut day, mut pending, mut path)) = stack.pop() {
        if !path.insert(id.clone()) {
            return Err(format!("{label}: a cycle through `{id}`"));
        }
        let (role, next) = &graph.nodes[&id];
        match role {
            Role::Days(count) => day += count,
            Role::Minutes(minutes) => pending += minutes,
            Role::SendTime => {
                day += pending.div_ceil(1440);
                pending = 0;
            }
            Role::Sms(_) => pending = 0,
            Role::Email(name) if days[name.as_str()] != day => {
                return Err(format!("{label}: email {name:?} comes on day {day}, not {}", days[name.as_str()]));
            }
            Role::Email(_) | Role::Other => {}
        }
        stack.extend(next.iter().map(|to| (to.clone(), day, pending, path.clone())));
    }
    Ok(())
}

const HOSTILE: [&str; 4] = ["<img src=x onerror=alert(1)>", "Say \"hi\" & 'bye'", "two\nlines\r\n", "plain"];
const RULES: [&str; 5] = [
    r#"clicks(email, 3d) >= 1 and visited("webinar-registration", 3d)"#,
    r#"consent == "opted_in" and persona in ["VP Sales", "RevOps"] and industry_risk != "high""#,
    "days_in_stage >= 14 and opens(email, 14d) >= 2",
    "meeting_intent or visited(\"demo\", 2d) or high_intent",
    "not (is_customer or engagement_score < 30.5)",
];

fn journeys() -> impl Strategy<Value = Journey> {
    let steps = prop::collection::vec((0u16..=365, 0usize..4), 1..7);
    let sms = prop::collection::vec((0usize..7, 0u32..3000, any::<bool>(), 0usize..5, 0usize..5, 0usize..3), 0..5);
    (steps, sms).prop_map(|(steps, sms)| {
        let mut journey = samples::playbook();
        journey.steps = steps
            .iter()
            .enumerate()
            .map(|(index, &(day, hostile))| NurtureStep {
                id: StepId(format!("{}-{index}", HOSTILE[hostile])),
                name: format!("{} #{index}", HOSTILE[hostile]),
                day,
                narrative: Default::default(),
                stage_goal: None,
            })
            .collect();
        let template = journey.touchpoints[0].clone();
        journey.touchpoints = sms
            .iter()
            .enumerate()
            .map(|(index, &(step, delay, anchor, trigger, eligibility, blocked))| SmsTouchpoint {
                id: TouchpointId(format!("sms\"{index}")),
                name: format!("{} SMS #{index}", HOSTILE[index % 4]),
                step: journey.steps[step % journey.steps.len()].id.clone(),
                trigger: RULES[trigger].into(),
                eligibility: RULES[eligibility].into(),
                timing: SendTiming {
                    anchor: if anchor { TimingAnchor::Trigger } else { TimingAnchor::Step },
                    delay_minutes: delay,
                    within_days: 5,
                },
                when_blocked: [BlockedSend::Defer, BlockedSend::Skip, BlockedSend::Advance][blocked],
                body: format!("{} Reply STOP to opt out.", HOSTILE[index % 4]),
                ..template.clone()
            })
            .collect();
        journey
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_export_is_one_acyclic_graph_with_each_message_once_on_its_day(journey in journeys()) {
        for target in Target::ALL {
            let exported = export::export(&journey, target, &Mapping::default());
            let document: Value = serde_json::from_str(&exported.document).unwrap();
            prop_assert_eq!(check_schema(target, &document), Ok(()));
            prop_assert_eq!(check_graph(target, &journey, &document), Ok(()));
        }
    }
}

#[test]
fn hostile_names_stay_data() {
    let mut journey = samples::playbook();
    journey.name = HOSTILE[..3].join(" ");
    journey.steps[0].name = HOSTILE[0].into();
    journey.touchpoints[0].name = HOSTILE[1].into();
    journey.touchpoints[0].body = HOSTILE[2].into();
    for target in Target::ALL {
        let exported = export::export(&journey, target, &Mapping::default());
        let document: Value = serde_json::from_str(&exported.document).expect("the document is JSON");
        let mut strings = Vec::new();
        let mut stack = vec![&document];
        while let Some(value) = stack.pop() {
            match value {
                Value::String(text) => strings.push(text.as_str()),
                Value::Array(items) => stack.extend(items),
                Value::Object(map) => stack.extend(map.values()),
                _ => {}
            }
        }
        for hostile in [journey.name.as_str(), HOSTILE[0], HOSTILE[1]] {
            assert!(strings.contains(&hostile), "{}: {hostile:?} is kept as one string", target.label());
        }
        assert_eq!(check_graph(target, &journey, &document), Ok(()));
    }
}

#[test]
fn the_graph_check_notices_a_late_email_a_dangling_link_and_a_cycle() {
    let journey = samples::playbook();
    let exported = export::export(&journey, Target::Klaviyo, &Mapping::default());
    let document: Value = serde_json::from_str(&exported.document).unwrap();
    let actions = "/data/attributes/definition/actions";
    for (pointer, value, complaint) in [
        ("/2/data/value", Value::from(5), "comes on day 5, not 4"),
        ("/1/links/next", Value::from("nowhere"), "leads to a missing `nowhere`"),
        ("/3/links/next", Value::from("wait-0"), "without a way in"),
    ] {
        let mut broken = document.clone();
        *broken.pointer_mut(&format!("{actions}{pointer}")).unwrap() = value;
        let error = check_graph(Target::Klaviyo, &journey, &broken).unwrap_err();
        assert!(error.contains(complaint), "{error}");
    }
}
