//! Journeys for the systems that send them: a Klaviyo flow, a PostHog
//! workflow (HogFlow) or a Dittofeed journey, each with the list of what
//! the target will not enforce, so nothing is dropped silently.
//!
//! The walk every target shares lives here: [`plan`] turns the journey into
//! one graph (the emails in day order behind waits, each SMS as a detour
//! after its step's email that rejoins the sequence), [`Condition`] turns
//! rules into the tests a target can make, and [`Context`] collects what is
//! not carried and the account identifiers the user maps. Each target module
//! only renders that graph in its own vocabulary and says, per kind of
//! [`Gap`], what to set up by hand there. See `docs/export.md`.

mod conditions;
mod dittofeed;
mod klaviyo;
mod posthog;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

pub(crate) use conditions::{Atom, Condition};

use crate::clock::format_time_of_day;
use crate::format::wire_name;
use crate::model::{
    CapChannel, Journey, Jurisdiction, MINUTES_PER_DAY, NurtureStep, SmsTouchpoint, TimeWindow, TimingAnchor,
};

/// An execution system Tandem exports to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Klaviyo,
    PostHog,
    Dittofeed,
}

impl Target {
    pub const ALL: [Target; 3] = [Target::Klaviyo, Target::PostHog, Target::Dittofeed];

    /// How the command line and file names spell it (`posthog`).
    pub fn key(self) -> &'static str {
        match self {
            Target::Klaviyo => "klaviyo",
            Target::PostHog => "posthog",
            Target::Dittofeed => "dittofeed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Target::Klaviyo => "Klaviyo",
            Target::PostHog => "PostHog",
            Target::Dittofeed => "Dittofeed",
        }
    }

    pub fn from_key(key: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|target| target.key() == key)
    }

    /// What the kind of gap needs in this target, or `None` if the export carries it.
    fn by_hand(self, gap: Gap) -> Option<&'static str> {
        match self {
            Target::Klaviyo => klaviyo::by_hand(gap),
            Target::PostHog => posthog::by_hand(gap),
            Target::Dittofeed => dittofeed::by_hand(gap),
        }
    }
}

/// Something of the journey the exported document does not enforce, and
/// what to set up by hand in the target instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotCarried {
    pub what: String,
    pub by_hand: String,
}

impl fmt::Display for NotCarried {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.what, self.by_hand)
    }
}

/// A journey as one target's document, and what it leaves out.
#[derive(Clone, Debug, PartialEq)]
pub struct Export {
    /// Pretty-printed JSON with a stable key order, ending in a newline.
    pub document: String,
    pub not_carried: Vec<NotCarried>,
}

/// Identifiers that exist only in the user's account (lists, segments,
/// metrics, templates), by the names the export asks for, e.g.
/// `"template.welcome": "R2d2Xy"`. Missing ones become placeholders.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapping {
    ids: BTreeMap<String, String>,
}

/// What a placeholder starts with, so it is easy to find in a document.
pub const PLACEHOLDER: &str = "TANDEM_UNMAPPED:";

impl Mapping {
    /// Reads a JSON object of names to identifiers (an empty text is an empty mapping).
    pub fn from_json(text: &str) -> Result<Mapping, String> {
        if text.trim().is_empty() {
            return Ok(Mapping::default());
        }
        let value: Value = serde_json::from_str(text).map_err(|error| format!("the mapping is not JSON: {error}"))?;
        let Value::Object(entries) = value else {
            return Err("the mapping must be a JSON object of names to identifiers".into());
        };
        let ids = entries
            .into_iter()
            .map(|(name, id)| match id {
                Value::String(id) => Ok((name, id)),
                other => Err(format!("the mapping's `{name}` must be a string, not {other}")),
            })
            .collect::<Result<_, String>>()?;
        Ok(Mapping { ids })
    }
}

/// The journey as `target`'s document, with every account identifier taken
/// from `mapping` (or a named placeholder) and the list of what is not carried.
pub fn export(journey: &Journey, target: Target, mapping: &Mapping) -> Export {
    let mut context = Context { journey, target, mapping, placeholders: BTreeSet::new(), not_carried: Vec::new() };
    let plan = plan(journey, &mut context);
    let document = match target {
        Target::Klaviyo => klaviyo::document(&mut context, &plan),
        Target::PostHog => posthog::document(&mut context, &plan),
        Target::Dittofeed => dittofeed::document(&mut context, &plan),
    };
    policy_gaps(&mut context);
    let mut document = serde_json::to_string_pretty(&document).expect("JSON values always serialise");
    document.push('\n');
    Export { document, not_carried: context.not_carried }
}

/// A kind of thing some target cannot express; each target module says what
/// to do about it by hand (or that it carries it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Gap {
    /// The hours every recipient may get SMS (quiet hours within the federal window).
    SmsWindow,
    /// A state's own legal window (or Sunday start).
    StateWindow,
    /// A state's limit of messages per 24 hours.
    StateLimit,
    /// A frequency cap over a rolling window.
    Cap,
    /// Collision gaps between emails and SMS.
    Collision,
    ReplyCooldown,
    /// Defer, skip or advance for a send a policy blocks.
    BlockedSend,
    /// An SMS trigger is waited for over days in Tandem, tested once in the export.
    TriggerWindow,
    /// A part of a rule the target's conditions cannot test.
    RulePart,
    /// Reply routing to owners, coverage hours and SLAs.
    Routing,
}

/// What an export is made of while it is built: the journey, the mapping,
/// and everything found not to be carried, in the order found.
pub(crate) struct Context<'a> {
    pub journey: &'a Journey,
    target: Target,
    mapping: &'a Mapping,
    placeholders: BTreeSet<String>,
    not_carried: Vec<NotCarried>,
}

impl Context<'_> {
    /// The account's identifier called `key` in the mapping, or a
    /// placeholder named after it, listed once with `what` it stands for.
    pub fn id(&mut self, key: &str, what: &str) -> String {
        if let Some(id) = self.mapping.ids.get(key) {
            return id.clone();
        }
        let placeholder = format!("{PLACEHOLDER}{key}");
        if self.placeholders.insert(key.to_owned()) {
            self.note(
                format!("{what} (`{key}`)"),
                format!(
                    "not in the mapping, so the document holds the placeholder `{placeholder}`; add \"{key}\" with the identifier from your {} account to the mapping",
                    self.target.label()
                ),
            );
        }
        placeholder
    }

    pub fn note(&mut self, what: String, by_hand: String) {
        self.not_carried.push(NotCarried { what, by_hand });
    }

    /// Lists `what` as not carried, unless the target carries this kind of gap.
    pub fn gap(&mut self, gap: Gap, what: String) {
        if let Some(by_hand) = self.target.by_hand(gap) {
            self.note(what, by_hand.to_owned());
        }
    }

    /// The condition an SMS's detour tests: its trigger and eligibility and
    /// not the journey's suppression. Parts that do not translate are listed
    /// as not carried; `testable` says which clauses the target can test.
    pub fn sms_condition(&mut self, touchpoint: &SmsTouchpoint, testable: impl Fn(&[Atom]) -> bool) -> Condition {
        let mut condition = Condition::default();
        let rules = [
            ("trigger", touchpoint.trigger.as_str(), false),
            ("eligibility", touchpoint.eligibility.as_str(), false),
            ("suppression", self.journey.policies.suppression.as_str(), true),
        ];
        for (role, text, negate) in rules {
            let mut part = Condition::default();
            part.add(text, negate);
            let (kept, dropped): (Vec<_>, Vec<_>) = part.all_of.into_iter().partition(|clause| testable(clause));
            condition.all_of.extend(kept);
            let dropped = dropped.iter().map(|clause| clause_text(clause));
            for text in part.not_carried.into_iter().chain(dropped) {
                self.gap(Gap::RulePart, format!("SMS “{}”, {role}: `{text}`", touchpoint.name));
            }
        }
        condition
    }
}

/// A clause as rule text, for the not-carried list.
fn clause_text(clause: &[Atom]) -> String {
    clause.iter().map(atom_text).collect::<Vec<_>>().join(" or ")
}

fn atom_text(atom: &Atom) -> String {
    match atom {
        Atom::Consent { opted_in } => format!("consent {} \"opted_in\"", if *opted_in { "==" } else { "!=" }),
        Atom::Choice { attribute, values, negated } => {
            let values: Vec<String> = values.iter().map(|value| format!("{value:?}")).collect();
            format!("{attribute} {}in [{}]", if *negated { "not " } else { "" }, values.join(", "))
        }
        Atom::Flag { attribute, value } => format!("{attribute} == {value}"),
        Atom::Number { attribute, op, value } => format!("{attribute} {} {value}", op.symbol()),
        Atom::Count { function, channel, page, window, op, value } => {
            let subject = channel.clone().or_else(|| page.as_ref().map(|page| format!("{page:?}"))).into_iter();
            let args: Vec<String> = subject.chain([format!("{}{}", window.amount, window.unit.suffix())]).collect();
            format!("{function}({}) {} {value}", args.join(", "), op.symbol())
        }
    }
}

/// A rule's number as JSON: whole numbers without a fraction (`2`, not `2.0`).
fn number(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 1e15 { Value::from(value as i64) } else { Value::from(value) }
}

/// One node of the journey's graph. Ids are made from positions in the
/// journey (`email-0`, `sms-2`), never from user text.
#[derive(Clone, Debug)]
pub(crate) struct Node<'a> {
    pub id: String,
    pub kind: Kind<'a>,
    pub next: Next,
}

#[derive(Clone, Debug)]
pub(crate) enum Kind<'a> {
    /// Wait until the email send time, `days` calendar days on (the first
    /// wait counts from entry, so it always exists; later ones only when the
    /// day changes).
    Wait {
        days: u16,
    },
    Email(&'a NurtureStep),
    /// Whether this contact gets the SMS: the target tests its condition.
    Split(&'a SmsTouchpoint),
    /// The SMS's own delay, on its detour.
    Delay {
        minutes: u32,
    },
    Sms(&'a SmsTouchpoint),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    To(String),
    /// A split: `yes` when the condition holds, `no` (or the end) otherwise.
    Branch {
        yes: String,
        no: Option<String>,
    },
    End,
}

/// The journey as one graph, entry first: for each step in day order, a wait
/// (if its day differs from the one before), its email, then a detour per SMS
/// attached to it (split → delay → SMS, or straight on) that rejoins at the
/// next step. Also lists per SMS what the graph does not carry of its timing.
fn plan<'a>(journey: &'a Journey, context: &mut Context) -> Vec<Node<'a>> {
    let order = journey.step_order();
    let slack = detour_slack(journey);
    let mut nodes = Vec::new();
    let mut following = Next::End;
    for (position, &index) in order.iter().enumerate().rev() {
        let step = &journey.steps[index];
        let detours: Vec<(usize, &SmsTouchpoint)> =
            journey.touchpoints.iter().enumerate().filter(|(_, touchpoint)| touchpoint.step == step.id).collect();
        let detour_minutes: u32 = detours.iter().map(|(_, touchpoint)| touchpoint.timing.delay_minutes).sum();
        if let Some(&next_index) = order.get(position + 1) {
            let next = &journey.steps[next_index];
            let same_day = next.day == step.day;
            if detour_minutes > 0 && (same_day || detour_minutes >= slack) {
                context.note(
                    format!("Timing of “{}” after SMS sent from “{}”", next.name, step.name),
                    format!(
                        "SMS detours after “{}” take up to {detour_minutes} minutes, so a contact who gets them may receive “{}” a day late; shorten the SMS delays or add a day between the steps",
                        step.name, next.name
                    ),
                );
            }
        }
        for &(sms, touchpoint) in detours.iter().rev() {
            let sms_id = format!("sms-{sms}");
            nodes.push(Node { id: sms_id.clone(), kind: Kind::Sms(touchpoint), next: following.clone() });
            let mut yes = sms_id;
            if touchpoint.timing.delay_minutes > 0 {
                let id = format!("delay-{sms}");
                let kind = Kind::Delay { minutes: touchpoint.timing.delay_minutes };
                nodes.push(Node { id: id.clone(), kind, next: Next::To(yes) });
                yes = id;
            }
            let id = format!("split-{sms}");
            let no = match following {
                Next::To(id) => Some(id),
                _ => None,
            };
            nodes.push(Node { id: id.clone(), kind: Kind::Split(touchpoint), next: Next::Branch { yes, no } });
            following = Next::To(id);
        }
        let email_id = format!("email-{index}");
        nodes.push(Node { id: email_id.clone(), kind: Kind::Email(step), next: following });
        following = Next::To(email_id);
        let previous_day = position.checked_sub(1).map(|previous| journey.steps[order[previous]].day);
        if previous_day != Some(step.day) {
            let id = format!("wait-{index}");
            let days = step.day - previous_day.unwrap_or(0);
            nodes.push(Node { id: id.clone(), kind: Kind::Wait { days }, next: following });
            following = Next::To(id);
        }
    }
    nodes.reverse();
    for touchpoint in &journey.touchpoints {
        let Some(step) = journey.step(&touchpoint.step) else { continue };
        context.gap(
            Gap::TriggerWindow,
            format!(
                "SMS “{}” fires when its trigger holds within {} days of “{}”{}",
                touchpoint.name,
                touchpoint.timing.within_days,
                step.name,
                match touchpoint.timing.anchor {
                    TimingAnchor::Trigger => ", its delay counted from the trigger",
                    TimingAnchor::Step => "",
                }
            ),
        );
        context.gap(
            Gap::BlockedSend,
            format!(
                "SMS “{}”: a send a policy blocks is set to {}",
                touchpoint.name,
                wire_name(touchpoint.when_blocked)
            ),
        );
    }
    nodes
}

/// How long an SMS detour may take before the next step's wait can no longer
/// absorb it: waits end at the send time, counted in calendar days
/// (Klaviyo) or as a duration half a day short of it (PostHog, Dittofeed),
/// so a detour must end within 12 hours and on the same local day.
fn detour_slack(journey: &Journey) -> u32 {
    u32::from(MINUTES_PER_DAY / 2).min(u32::from(MINUTES_PER_DAY - journey.email_send_minute))
}

/// The one span of the day every recipient may get SMS: outside quiet
/// hours and inside every federal window. `None` when there is no
/// restriction at all or the allowed minutes are not one span.
pub(crate) fn sms_window(journey: &Journey) -> Option<TimeWindow> {
    let allowed: Vec<bool> = (0..MINUTES_PER_DAY)
        .map(|minute| {
            journey.policies.quiet_hours.is_none_or(|quiet| !quiet.contains(minute))
                && journey
                    .policies
                    .legal_windows
                    .iter()
                    .filter(|window| window.jurisdiction == Jurisdiction::Federal)
                    .all(|window| window.allowed.contains(minute))
        })
        .collect();
    let day = usize::from(MINUTES_PER_DAY);
    let starts: Vec<usize> = (0..day).filter(|&minute| allowed[minute] && !allowed[(minute + day - 1) % day]).collect();
    let &[start] = starts.as_slice() else { return None };
    let end = (start..start + day).find(|&minute| !allowed[minute % day])? % day;
    Some(TimeWindow { start_minute: start as u16, end_minute: end as u16 })
}

fn span(window: TimeWindow) -> String {
    format!("{}–{}", format_time_of_day(window.start_minute), format_time_of_day(window.end_minute))
}

/// The policies, routing, narrative and measurement, listed for every
/// target as far as it does not carry them.
fn policy_gaps(context: &mut Context) {
    let journey = context.journey;
    let policies = &journey.policies;
    let restricted = policies.quiet_hours.is_some() || !policies.legal_windows.is_empty();
    match sms_window(journey) {
        Some(window) => context.gap(
            Gap::SmsWindow,
            format!(
                "SMS only {} local time (quiet hours{} within the federal window)",
                span(window),
                policies.quiet_hours.map(|quiet| format!(" {}", span(quiet))).unwrap_or_default()
            ),
        ),
        None if restricted => context.note(
            "Quiet hours and the federal window".into(),
            "they leave no single span of the day for SMS, which no target can express; set the sending hours by hand"
                .into(),
        ),
        None => {}
    }
    for window in &policies.legal_windows {
        let Jurisdiction::State(state) = &window.jurisdiction else { continue };
        context.gap(
            Gap::StateWindow,
            format!("{state}: SMS in local time only {} ({})", window.schedule(), window.source),
        );
        if let Some(limit) = window.max_per_24h {
            context.gap(Gap::StateLimit, format!("{state}: at most {limit} messages per 24 hours"));
        }
    }
    if policies.loosen_legal_windows {
        context.gap(Gap::StateWindow, "Legal windows loosened by the journey's explicit override".into());
    }
    for cap in &policies.caps {
        let channel = match cap.channel {
            CapChannel::Sms => "SMS",
            CapChannel::Email => "emails",
            CapChannel::AllChannels => "messages on any channel",
        };
        context.gap(Gap::Cap, format!("At most {} {channel} per {} hours", cap.max_messages, cap.window_hours));
    }
    let collisions = &policies.collisions;
    context.gap(
        Gap::Collision,
        format!(
            "No SMS within {} hours after a nurture email{}; at least {} hours between two SMS",
            collisions.sms_after_email_hours,
            if collisions.high_intent_exempt { " unless the trigger is high-intent" } else { "" },
            collisions.min_hours_between_sms
        ),
    );
    context.gap(Gap::ReplyCooldown, format!("No SMS for {} hours after a reply", policies.reply_cooldown_hours));
    let routing = &journey.routing;
    if journey.touchpoints.iter().any(|touchpoint| touchpoint.replies.route_to_owner) {
        context.gap(
            Gap::Routing,
            format!(
                "Replies go to Sales ({}, {} owners with coverage hours) and are answered within {} minutes (high intent) or {} minutes",
                wire_name(routing.assignment).replace('_', " "),
                routing.owners.len(),
                routing.sla_minutes_high_intent,
                routing.sla_minutes_other
            ),
        );
    }
    context.note(
        "Narrative fields (offer, value proposition, next step) and measurement (outcomes by persona and step)".into(),
        "not part of any target's flow document; keep them in the Tandem journey file beside the export".into(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;

    #[test]
    fn the_playbook_graph_has_each_email_and_sms_once_in_day_order() {
        let journey = samples::playbook();
        let mut context = Context {
            journey: &journey,
            target: Target::Klaviyo,
            mapping: &Mapping::default(),
            placeholders: BTreeSet::new(),
            not_carried: Vec::new(),
        };
        let nodes = plan(&journey, &mut context);
        let kinds: Vec<String> = nodes
            .iter()
            .map(|node| match &node.kind {
                Kind::Wait { days } => format!("wait {days}"),
                Kind::Email(step) => step.id.0.clone(),
                Kind::Split(_) => "split".into(),
                Kind::Delay { minutes } => format!("delay {minutes}"),
                Kind::Sms(touchpoint) => touchpoint.id.0.clone(),
            })
            .collect();
        assert_eq!(&kinds[..6], ["wait 0", "welcome", "wait 4", "case-study", "wait 5", "webinar-invite"]);
        assert_eq!(&kinds[6..9], ["split", "delay 10", "sms-webinar-confirm"]);
        assert_eq!(nodes[6].next, Next::Branch { yes: "delay-0".into(), no: Some("wait-3".into()) });
        assert_eq!(nodes[8].next, Next::To("wait-3".into()));
        assert_eq!(nodes.last().unwrap().next, Next::End);
        assert!(
            context.not_carried.iter().any(|item| item.what.contains("Timing of “Customer proof")),
            "the two-day SMS after the ROI step cannot be absorbed: {:?}",
            context.not_carried
        );
    }

    #[test]
    fn the_sms_window_is_quiet_hours_within_the_federal_window() {
        let mut journey = samples::playbook();
        assert_eq!(span(sms_window(&journey).unwrap()), "09:00–20:00");
        journey.policies.quiet_hours = None;
        assert_eq!(span(sms_window(&journey).unwrap()), "08:00–21:00");
        journey.policies.legal_windows.clear();
        assert_eq!(sms_window(&journey), None);
    }

    #[test]
    fn a_mapping_is_an_object_of_strings() {
        assert_eq!(Mapping::from_json(" ").unwrap(), Mapping::default());
        assert_eq!(Mapping::from_json(r#"{"entry": "Xy"}"#).unwrap().ids["entry"], "Xy");
        assert!(Mapping::from_json(r#"{"entry": 3}"#).unwrap_err().contains("`entry` must be a string"));
        assert!(Mapping::from_json("[]").is_err() && Mapping::from_json("{").is_err());
    }
}
