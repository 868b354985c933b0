//! Reading a `tandem.journey/v1` document, in two stages: the raw text is
//! checked and parsed into JSON (size, nesting, syntax, format marker), then
//! walked into a [`Journey`], collecting every problem with its JSON path
//! rather than stopping at the first. Nothing here panics or loops on
//! hostile input: sizes and depths are bounded before anything is built.

use serde_json::{Map, Value};

use super::wire::{WireEnum, from_wire_name};
use crate::clock::parse_time_of_day;
use crate::cohort::thousands;
use crate::model::{
    CollisionRules, FrequencyCap, Journey, Jurisdiction, LegalWindow, MAX_STEP_DAY, Measurement, Narrative,
    NurtureStep, Owner, OwnerId, Policies, ReplyHandling, Routing, SendTiming, SmsTouchpoint, StepId, TimeWindow,
    TouchpointId,
};
use crate::validate::{MAX_DELAY_MINUTES, MAX_HOURS, MAX_ITEMS, MAX_TEXT_CHARS};

/// Documents larger than this are refused unread.
pub const MAX_DOCUMENT_BYTES: usize = 5 * 1024 * 1024;
/// Documents nested deeper than this are refused unparsed.
pub const MAX_DEPTH: usize = 64;

/// One thing wrong with an imported document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportProblem {
    /// JSON pointer to the value, e.g. `/sms/2/trigger`; empty for the whole document.
    pub path: String,
    pub message: String,
    /// For a problem inside rule text: the byte range within that rule.
    pub rule_span: Option<(usize, usize)>,
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = if self.path.is_empty() { "/" } else { &self.path };
        match self.rule_span {
            Some((start, end)) => write!(f, "{path} (bytes {start}..{end} of the rule): {}", self.message),
            None => write!(f, "{path}: {}", self.message),
        }
    }
}

fn problem(path: &str, message: impl Into<String>) -> ImportProblem {
    ImportProblem { path: path.into(), message: message.into(), rule_span: None }
}

/// What kind of document a reader expects: its format marker and how
/// messages name it.
#[derive(Clone, Copy, Debug)]
pub struct DocumentKind {
    /// The `format` value, e.g. `tandem.journey/v1`.
    pub marker: &'static str,
    /// Plural, for sizes: "journeys".
    pub plural: &'static str,
    /// Singular, for the whole file: "journey".
    pub singular: &'static str,
}

impl DocumentKind {
    pub const JOURNEY: DocumentKind =
        DocumentKind { marker: super::wire::FORMAT_V1, plural: "journeys", singular: "journey" };
    pub const COHORT: DocumentKind =
        DocumentKind { marker: super::cohort::COHORT_FORMAT_V1, plural: "cohorts", singular: "cohort" };
    /// Every kind of document Tandem reads.
    pub const ALL: [DocumentKind; 2] = [DocumentKind::JOURNEY, DocumentKind::COHORT];
}

/// A file's bytes as text, or a problem saying they are not UTF-8 (and where
/// the first byte that is not sits), for readers that get bytes, not text.
pub fn utf8(bytes: &[u8]) -> Result<&str, ImportProblem> {
    std::str::from_utf8(bytes).map_err(|error| {
        problem(
            "",
            format!(
                "This file is not UTF-8 text (byte {} is not); Tandem reads files saved as UTF-8.",
                thousands(error.valid_up_to() as u64)
            ),
        )
    })
}

/// Stage one: bounded, syntactically valid JSON carrying the format `kind`
/// names, with no key twice in one object.
pub fn parse_document(text: &str, kind: DocumentKind) -> Result<Value, ImportProblem> {
    let DocumentKind { marker, plural, singular } = kind;
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(problem(
            "",
            format!(
                "This file is {} bytes; Tandem reads {plural} up to 5 MiB ({} bytes).",
                thousands(text.len() as u64),
                thousands(MAX_DOCUMENT_BYTES as u64)
            ),
        ));
    }
    if text.starts_with('\u{feff}') {
        return Err(problem(
            "",
            "This file starts with a byte-order mark (U+FEFF), which JSON does not allow; save it as UTF-8 without one.",
        ));
    }
    if text.trim().is_empty() {
        return Err(problem("", "This file is empty."));
    }
    if nesting_depth(text) > MAX_DEPTH {
        return Err(problem(
            "",
            format!("This file nests more than {MAX_DEPTH} levels deep; a {singular} never does."),
        ));
    }
    let document: Value = serde_json::from_str(text).map_err(|error| {
        let (line, column) = (error.line(), error.column());
        problem(
            "",
            match error.classify() {
                serde_json::error::Category::Eof => {
                    format!("This file ends too early (line {line}, column {column}); it may have been cut off.")
                }
                _ => format!("This is not valid JSON: the first mistake is at line {line}, column {column}."),
            },
        )
    })?;
    if let Some(duplicate) = first_duplicate_key(text) {
        return Err(duplicate);
    }
    match document.get("format") {
        Some(Value::String(format)) if format == marker => Ok(document),
        Some(Value::String(format)) => Err(problem(
            "/format",
            match DocumentKind::ALL.iter().find(|other| other.marker == format) {
                Some(other) => format!(
                    "This is a {} file ({format}); a {singular} file ({marker}) is needed here.",
                    other.singular
                ),
                None => format!(
                    "This file is in the format `{format}`, which this version of Tandem does not read; it reads {marker}."
                ),
            },
        )),
        _ if !document.is_object() => {
            Err(problem("", format!("A {singular} file holds one JSON object; this holds something else.")))
        }
        _ => Err(problem(
            "/format",
            format!("This file has no \"format\" marker; a {singular} file says \"format\": \"{marker}\"."),
        )),
    }
}

/// The deepest nesting of arrays and objects, found without parsing.
fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for byte in text.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// One object being scanned by [`first_duplicate_key`].
struct Scanned {
    path: String,
    /// Each key seen so far, with its line.
    keys: std::collections::HashMap<String, usize>,
    /// The key whose value comes next; `None` where a key is due.
    current: Option<String>,
}

/// The first key that appears twice in one object, as a problem at its path
/// naming both lines. `serde_json` keeps the last of two equal keys, so a
/// document that says two things would be read as the second unnoticed.
/// `text` is valid JSON (it has been parsed), so a flat scan suffices.
fn first_duplicate_key(text: &str) -> Option<ImportProblem> {
    enum Frame {
        Object(Scanned),
        Array { path: String, index: usize },
    }
    let value_path = |stack: &[Frame]| match stack.last() {
        Some(Frame::Object(object)) => at(&object.path, object.current.as_deref().unwrap_or_default()),
        Some(Frame::Array { path, index }) => at(path, index),
        None => String::new(),
    };
    let bytes = text.as_bytes();
    let (mut stack, mut line, mut position) = (Vec::new(), 1, 0);
    while position < bytes.len() {
        match bytes[position] {
            b'\n' => line += 1,
            b'{' => {
                let path = value_path(&stack);
                stack.push(Frame::Object(Scanned { path, keys: Default::default(), current: None }));
            }
            b'[' => stack.push(Frame::Array { path: value_path(&stack), index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object(object)) => object.current = None,
                Some(Frame::Array { index, .. }) => *index += 1,
                None => {}
            },
            b'"' => {
                let start = position;
                position += 1;
                while bytes[position] != b'"' {
                    position += if bytes[position] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object(object)) = stack.last_mut()
                    && object.current.is_none()
                {
                    let key: String = serde_json::from_str(&text[start..=position]).unwrap_or_default();
                    if let Some(first) = object.keys.insert(key.clone(), line) {
                        return Some(problem(
                            &at(&object.path, &key),
                            format!(
                                "`{key}` appears twice in this object (lines {first} and {line}); keep one, \
                                 or Tandem would read only the last."
                            ),
                        ));
                    }
                    object.current = Some(key);
                }
            }
            _ => {}
        }
        position += 1;
    }
    None
}

/// Stage two: walks a parsed document into a journey, or lists every problem.
pub fn read_journey(document: &Value) -> Result<Journey, Vec<ImportProblem>> {
    let mut reader = Reader { problems: Vec::new() };
    let journey = reader.journey(document);
    match journey {
        Some(journey) if reader.problems.is_empty() => Ok(journey),
        _ => Err(reader.problems),
    }
}

pub(super) struct Reader {
    pub(super) problems: Vec<ImportProblem>,
}

/// The unsigned types a journey's numbers are stored in.
pub(super) trait WholeNumber: Into<u64> + TryFrom<u64> {}
impl<T: Into<u64> + TryFrom<u64>> WholeNumber for T {}

/// Joins a JSON pointer and a key.
pub(super) fn at(path: &str, key: impl std::fmt::Display) -> String {
    format!("{path}/{key}")
}

impl Reader {
    pub(super) fn report(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(problem(path, message));
    }

    /// The object at `path`, after reporting keys it should not have.
    pub(super) fn object<'v>(&mut self, value: &'v Value, path: &str, keys: &[&str]) -> Option<&'v Map<String, Value>> {
        let Some(map) = value.as_object() else {
            self.report(path, format!("Expected an object here, found {}.", describe(value)));
            return None;
        };
        for key in map.keys().filter(|key| !keys.contains(&key.as_str())) {
            let known = keys.join(", ");
            self.report(&at(path, key), format!("`{key}` is not a field here; the fields are: {known}."));
        }
        Some(map)
    }

    pub(super) fn field<'v>(&mut self, map: &'v Map<String, Value>, path: &str, key: &str) -> Option<&'v Value> {
        let value = map.get(key);
        if value.is_none() {
            self.report(path, format!("The field `{key}` is missing."));
        }
        value
    }

    pub(super) fn text(&mut self, map: &Map<String, Value>, path: &str, key: &str) -> Option<String> {
        let value = self.field(map, path, key)?;
        let path = at(path, key);
        match value {
            Value::String(text) if text.chars().count() > MAX_TEXT_CHARS => {
                self.report(
                    &path,
                    format!("This text has {} characters; the most allowed is {MAX_TEXT_CHARS}.", text.chars().count()),
                );
                None
            }
            Value::String(text) => Some(text.clone()),
            other => {
                self.report(&path, format!("Expected text here, found {}.", describe(other)));
                None
            }
        }
    }

    pub(super) fn number<T: WholeNumber>(
        &mut self,
        map: &Map<String, Value>,
        path: &str,
        key: &str,
        max: T,
    ) -> Option<T> {
        let value = self.field(map, path, key)?;
        self.whole_number(value, &at(path, key), max)
    }

    /// A whole number from 0 to `max`, which is the field's own limit or, at
    /// most, the largest its type holds.
    pub(super) fn whole_number<T: WholeNumber>(&mut self, value: &Value, path: &str, max: T) -> Option<T> {
        let max = max.into();
        match value.as_u64() {
            Some(number) if number <= max => T::try_from(number).ok(),
            _ if value.is_number() => {
                self.report(path, format!("{value} is out of range; use a whole number from 0 to {max}."));
                None
            }
            _ => {
                self.report(path, format!("Expected a whole number here, found {}.", describe(value)));
                None
            }
        }
    }

    /// A finite number (any JSON number: weights, shares, parameters).
    pub(super) fn real(&mut self, map: &Map<String, Value>, path: &str, key: &str) -> Option<f64> {
        let value = self.field(map, path, key)?;
        match value.as_f64() {
            Some(number) if number.is_finite() => Some(number),
            _ => {
                self.report(&at(path, key), format!("Expected a number here, found {}.", describe(value)));
                None
            }
        }
    }

    /// An object whose keys are exactly `names` (in any order), each value
    /// read by `read` at its path; `None` if any is missing or unreadable.
    pub(super) fn keyed<T>(
        &mut self,
        map: &Map<String, Value>,
        path: &str,
        key: &str,
        names: &[&str],
        mut read: impl FnMut(&mut Self, &Value, &str) -> Option<T>,
    ) -> Option<Vec<T>> {
        let value = self.field(map, path, key)?;
        let path = at(path, key);
        let inner = self.object(value, &path, names)?;
        let mut all = Some(Vec::with_capacity(names.len()));
        for name in names {
            let item = match inner.get(*name) {
                Some(value) => read(self, value, &at(&path, name)),
                None => {
                    self.report(&path, format!("`{name}` is missing; it needs all of: {}.", names.join(", ")));
                    None
                }
            };
            match (item, all.as_mut()) {
                (Some(item), Some(all)) => all.push(item),
                _ => all = None,
            }
        }
        all
    }

    pub(super) fn flag(&mut self, map: &Map<String, Value>, path: &str, key: &str) -> Option<bool> {
        match self.field(map, path, key)? {
            Value::Bool(flag) => Some(*flag),
            other => {
                self.report(&at(path, key), format!("Expected true or false here, found {}.", describe(other)));
                None
            }
        }
    }

    pub(super) fn choice<T: WireEnum>(&mut self, value: &Value, path: &str) -> Option<T> {
        let names: Vec<&str> = T::NAMES.iter().map(|(name, _)| *name).collect();
        match value.as_str().and_then(from_wire_name) {
            Some(choice) => Some(choice),
            None => {
                self.report(path, format!("{} is not {}; use one of: {}.", describe(value), T::WHAT, names.join(", ")));
                None
            }
        }
    }

    pub(super) fn choice_field<T: WireEnum>(&mut self, map: &Map<String, Value>, path: &str, key: &str) -> Option<T> {
        let value = self.field(map, path, key)?;
        self.choice(value, &at(path, key))
    }

    pub(super) fn time(&mut self, value: &Value, path: &str) -> Option<u16> {
        let minute = value.as_str().and_then(parse_time_of_day);
        if minute.is_none() {
            self.report(path, format!("Expected a time of day like \"08:30\" here, found {}.", describe(value)));
        }
        minute
    }

    pub(super) fn window(&mut self, value: &Value, path: &str) -> Option<TimeWindow> {
        let map = self.object(value, path, &["start", "end"])?;
        let start = self.field(map, path, "start").and_then(|value| self.time(value, &at(path, "start")));
        let end = self.field(map, path, "end").and_then(|value| self.time(value, &at(path, "end")));
        Some(TimeWindow { start_minute: start?, end_minute: end? })
    }

    /// The elements of a bounded array, each with its path.
    pub(super) fn list<'v>(
        &mut self,
        map: &'v Map<String, Value>,
        path: &str,
        key: &str,
    ) -> Option<Vec<(String, &'v Value)>> {
        let value = self.field(map, path, key)?;
        let path = at(path, key);
        let Value::Array(items) = value else {
            self.report(&path, format!("Expected a list here, found {}.", describe(value)));
            return None;
        };
        if items.len() > MAX_ITEMS {
            self.report(&path, format!("This list has {} entries; the most allowed is {MAX_ITEMS}.", items.len()));
            return None;
        }
        Some(items.iter().enumerate().map(|(index, item)| (at(&path, index), item)).collect())
    }

    /// Every element must read; the list is `None` if any does not.
    pub(super) fn all<T>(
        &mut self,
        items: Vec<(String, &Value)>,
        mut read: impl FnMut(&mut Self, &Value, &str) -> Option<T>,
    ) -> Option<Vec<T>> {
        let read: Vec<Option<T>> = items.iter().map(|(path, value)| read(self, value, path)).collect();
        read.into_iter().collect()
    }

    pub(super) fn optional<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
        map.get(key).filter(|value| !value.is_null())
    }

    fn journey(&mut self, document: &Value) -> Option<Journey> {
        let map = self.object(
            document,
            "",
            &["format", "name", "email_send_time", "high_intent", "steps", "sms", "policies", "routing", "measurement"],
        )?;
        let name = self.text(map, "", "name");
        let email_send_minute =
            self.field(map, "", "email_send_time").and_then(|value| self.time(value, "/email_send_time"));
        let high_intent = self.text(map, "", "high_intent");
        let steps = self.list(map, "", "steps").and_then(|items| self.all(items, Self::step));
        let touchpoints = self.list(map, "", "sms").and_then(|items| self.all(items, Self::touchpoint));
        let policies = self.field(map, "", "policies").and_then(|value| self.policies(value, "/policies"));
        let routing = self.field(map, "", "routing").and_then(|value| self.routing(value, "/routing"));
        let measurement = self.field(map, "", "measurement").and_then(|value| self.measurement(value, "/measurement"));
        Some(Journey {
            name: name?,
            email_send_minute: email_send_minute?,
            high_intent: high_intent?,
            steps: steps?,
            touchpoints: touchpoints?,
            policies: policies?,
            routing: routing?,
            measurement: measurement?,
        })
    }

    fn narrative(&mut self, map: &Map<String, Value>, path: &str) -> Option<Narrative> {
        let value = self.field(map, path, "narrative")?;
        let path = at(path, "narrative");
        let map = self.object(value, &path, &["offer", "value_proposition", "next_step"])?;
        let offer = self.text(map, &path, "offer");
        let value_proposition = self.text(map, &path, "value_proposition");
        let next_step = self.text(map, &path, "next_step");
        Some(Narrative { offer: offer?, value_proposition: value_proposition?, next_step: next_step? })
    }

    fn step(&mut self, value: &Value, path: &str) -> Option<NurtureStep> {
        let map = self.object(value, path, &["id", "name", "day", "narrative", "stage_goal"])?;
        let id = self.text(map, path, "id");
        let name = self.text(map, path, "name");
        let day = self.number(map, path, "day", MAX_STEP_DAY);
        let narrative = self.narrative(map, path);
        let stage_goal = match Self::optional(map, "stage_goal") {
            Some(value) => Some(self.choice(value, &at(path, "stage_goal"))?),
            None => None,
        };
        Some(NurtureStep { id: StepId(id?), name: name?, day: day?, narrative: narrative?, stage_goal })
    }

    fn touchpoint(&mut self, value: &Value, path: &str) -> Option<SmsTouchpoint> {
        let keys = [
            "id",
            "name",
            "step",
            "moment",
            "trigger",
            "eligibility",
            "timing",
            "body",
            "narrative",
            "when_blocked",
            "replies",
        ];
        let map = self.object(value, path, &keys)?;
        let id = self.text(map, path, "id");
        let name = self.text(map, path, "name");
        let step = self.text(map, path, "step");
        let moment = self.choice_field(map, path, "moment");
        let trigger = self.text(map, path, "trigger");
        let eligibility = self.text(map, path, "eligibility");
        let timing = self.field(map, path, "timing").and_then(|value| {
            let path = at(path, "timing");
            let map = self.object(value, &path, &["anchor", "delay_minutes", "within_days"])?;
            let anchor = self.choice_field(map, &path, "anchor");
            let delay_minutes = self.number(map, &path, "delay_minutes", MAX_DELAY_MINUTES);
            let within_days = self.number(map, &path, "within_days", MAX_STEP_DAY);
            Some(SendTiming { anchor: anchor?, delay_minutes: delay_minutes?, within_days: within_days? })
        });
        let body = self.text(map, path, "body");
        let narrative = self.narrative(map, path);
        let when_blocked = self.choice_field(map, path, "when_blocked");
        let replies = self.field(map, path, "replies").and_then(|value| {
            let path = at(path, "replies");
            let map = self.object(value, &path, &["route_to_owner", "response_window_hours"])?;
            let route_to_owner = self.flag(map, &path, "route_to_owner");
            let response_window_hours = self.number(map, &path, "response_window_hours", MAX_HOURS);
            Some(ReplyHandling { route_to_owner: route_to_owner?, response_window_hours: response_window_hours? })
        });
        Some(SmsTouchpoint {
            id: TouchpointId(id?),
            name: name?,
            step: StepId(step?),
            moment: moment?,
            trigger: trigger?,
            eligibility: eligibility?,
            timing: timing?,
            body: body?,
            narrative: narrative?,
            when_blocked: when_blocked?,
            replies: replies?,
        })
    }

    fn policies(&mut self, value: &Value, path: &str) -> Option<Policies> {
        let keys = [
            "quiet_hours",
            "legal_windows",
            "loosen_legal_windows",
            "caps",
            "collisions",
            "reply_cooldown_hours",
            "suppression",
        ];
        let map = self.object(value, path, &keys)?;
        let quiet_hours = match Self::optional(map, "quiet_hours") {
            Some(value) => Some(self.window(value, &at(path, "quiet_hours"))?),
            None => None,
        };
        let legal_windows = self.list(map, path, "legal_windows").and_then(|items| self.all(items, Self::legal_window));
        let loosen_legal_windows = self.flag(map, path, "loosen_legal_windows");
        let caps = self.list(map, path, "caps").and_then(|items| {
            self.all(items, |reader, value, path| {
                let map = reader.object(value, path, &["channel", "max_messages", "window_hours"])?;
                let channel = reader.choice_field(map, path, "channel");
                let max_messages = reader.number(map, path, "max_messages", u16::MAX);
                let window_hours = reader.number(map, path, "window_hours", MAX_HOURS);
                Some(FrequencyCap { channel: channel?, max_messages: max_messages?, window_hours: window_hours? })
            })
        });
        let collisions = self.field(map, path, "collisions").and_then(|value| {
            let path = at(path, "collisions");
            let map =
                self.object(value, &path, &["sms_after_email_hours", "high_intent_exempt", "min_hours_between_sms"])?;
            let sms_after_email_hours = self.number(map, &path, "sms_after_email_hours", MAX_HOURS);
            let high_intent_exempt = self.flag(map, &path, "high_intent_exempt");
            let min_hours_between_sms = self.number(map, &path, "min_hours_between_sms", MAX_HOURS);
            Some(CollisionRules {
                sms_after_email_hours: sms_after_email_hours?,
                high_intent_exempt: high_intent_exempt?,
                min_hours_between_sms: min_hours_between_sms?,
            })
        });
        let reply_cooldown_hours = self.number(map, path, "reply_cooldown_hours", MAX_HOURS);
        let suppression = self.text(map, path, "suppression");
        Some(Policies {
            quiet_hours,
            legal_windows: legal_windows?,
            loosen_legal_windows: loosen_legal_windows?,
            caps: caps?,
            collisions: collisions?,
            reply_cooldown_hours: reply_cooldown_hours?,
            suppression: suppression?,
        })
    }

    fn legal_window(&mut self, value: &Value, path: &str) -> Option<LegalWindow> {
        let map = self.object(
            value,
            path,
            &[
                "jurisdiction",
                "allowed",
                "saturday",
                "sunday",
                "sunday_start",
                "closed_on_holidays",
                "max_per_24h",
                "source",
            ],
        )?;
        let jurisdiction = self.text(map, path, "jurisdiction").map(|text| match text.as_str() {
            "Federal" => Jurisdiction::Federal,
            _ => Jurisdiction::State(text),
        });
        let allowed = self.field(map, path, "allowed").and_then(|value| self.window(value, &at(path, "allowed")))?;
        let saturday = match Self::optional(map, "saturday") {
            Some(value) => self.day_hours(value, &at(path, "saturday"))?,
            None => Some(allowed),
        };
        // Documents written before `sunday` may give a later Sunday start instead.
        let sunday = match (Self::optional(map, "sunday"), Self::optional(map, "sunday_start")) {
            (Some(_), Some(_)) => {
                self.report(&at(path, "sunday_start"), "Give `sunday` or the older `sunday_start`, not both.");
                return None;
            }
            (Some(value), None) => self.day_hours(value, &at(path, "sunday"))?,
            (None, Some(value)) => {
                let start = self.time(value, &at(path, "sunday_start"))?;
                Some(TimeWindow { start_minute: start, end_minute: allowed.end_minute })
            }
            (None, None) => Some(allowed),
        };
        let closed_on_holidays = match Self::optional(map, "closed_on_holidays") {
            Some(_) => self.flag(map, path, "closed_on_holidays")?,
            None => false,
        };
        let max_per_24h = match Self::optional(map, "max_per_24h") {
            Some(value) => Some(self.whole_number(value, &at(path, "max_per_24h"), u8::MAX)?),
            None => None,
        };
        let source = self.text(map, path, "source");
        Some(LegalWindow {
            jurisdiction: jurisdiction?,
            allowed,
            saturday,
            sunday,
            closed_on_holidays,
            max_per_24h,
            source: source?,
        })
    }

    /// A day's hours, or `None` for the word `closed`.
    fn day_hours(&mut self, value: &Value, path: &str) -> Option<Option<TimeWindow>> {
        match value {
            Value::String(word) if word == "closed" => Some(None),
            Value::Object(_) => self.window(value, path).map(Some),
            other => {
                self.report(
                    path,
                    format!("Expected hours {{start, end}} or \"closed\" here, found {}.", describe(other)),
                );
                None
            }
        }
    }

    fn routing(&mut self, value: &Value, path: &str) -> Option<Routing> {
        let map =
            self.object(value, path, &["assignment", "owners", "backup_owner", "sla_minutes", "handoff_fields"])?;
        let assignment = self.choice_field(map, path, "assignment");
        let owners = self.list(map, path, "owners").and_then(|items| {
            self.all(items, |reader, value, path| {
                let map = reader.object(
                    value,
                    path,
                    &["id", "name", "time_zone", "territory", "coverage", "weekdays_only"],
                )?;
                let id = reader.text(map, path, "id");
                let name = reader.text(map, path, "name");
                let time_zone = reader.text(map, path, "time_zone");
                let territory = reader.text(map, path, "territory");
                let coverage =
                    reader.field(map, path, "coverage").and_then(|value| reader.window(value, &at(path, "coverage")));
                let weekdays_only = reader.flag(map, path, "weekdays_only");
                Some(Owner {
                    id: OwnerId(id?),
                    name: name?,
                    time_zone: time_zone?,
                    territory: territory?,
                    coverage: coverage?,
                    weekdays_only: weekdays_only?,
                })
            })
        });
        let backup_owner = match Self::optional(map, "backup_owner") {
            Some(Value::String(id)) => Some(OwnerId(id.clone())),
            Some(other) => {
                self.report(
                    &at(path, "backup_owner"),
                    format!("Expected an owner id or null here, found {}.", describe(other)),
                );
                return None;
            }
            None => None,
        };
        let sla = self.field(map, path, "sla_minutes").and_then(|value| {
            let path = at(path, "sla_minutes");
            let map = self.object(value, &path, &["high_intent", "other"])?;
            let high_intent = self.number(map, &path, "high_intent", u32::MAX);
            let other = self.number(map, &path, "other", u32::MAX);
            Some((high_intent?, other?))
        });
        let handoff_fields = self
            .list(map, path, "handoff_fields")
            .and_then(|items| self.all(items, |reader, value, path| reader.choice(value, path)));
        let (sla_minutes_high_intent, sla_minutes_other) = sla?;
        Some(Routing {
            assignment: assignment?,
            owners: owners?,
            backup_owner,
            sla_minutes_high_intent,
            sla_minutes_other,
            handoff_fields: handoff_fields?,
        })
    }

    fn measurement(&mut self, value: &Value, path: &str) -> Option<Measurement> {
        let map = self.object(value, path, &["outcomes", "dimensions"])?;
        let outcomes = self
            .list(map, path, "outcomes")
            .and_then(|items| self.all(items, |reader, value, path| reader.choice(value, path)));
        let dimensions = self
            .list(map, path, "dimensions")
            .and_then(|items| self.all(items, |reader, value, path| reader.choice(value, path)));
        Some(Measurement { outcomes: outcomes?, dimensions: dimensions? })
    }
}

/// A short description of a JSON value for messages.
pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        Value::String(text) if text.chars().count() > 40 => {
            format!("\"{}…\"", text.chars().take(40).collect::<String>())
        }
        Value::String(text) => format!("\"{text}\""),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}
