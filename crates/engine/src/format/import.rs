//! Stage two of reading a `tandem.journey/v1` document: the parsed JSON
//! (checked by [`super::document`]) walked into a [`Journey`], collecting
//! every problem with its JSON path rather than stopping at the first.

use serde_json::{Map, Value};

use super::document::ImportProblem;
use super::document::at;
use super::reader::{Reader, describe};
use crate::model::{
    CollisionRules, FrequencyCap, Journey, Jurisdiction, LegalWindow, MAX_STEP_DAY, Measurement, Narrative,
    NurtureStep, Owner, OwnerId, Policies, ReplyHandling, Routing, SendTiming, SmsTouchpoint, StepId, TimeWindow,
    TouchpointId,
};
use crate::validate::{MAX_DELAY_MINUTES, MAX_HOURS};

/// Stage two: walks a parsed document into a journey, or lists every problem.
pub fn read_journey(document: &Value) -> Result<Journey, Vec<ImportProblem>> {
    let mut reader = Reader { problems: Vec::new() };
    let journey = reader.journey(document);
    match journey {
        Some(journey) if reader.problems.is_empty() => Ok(journey),
        _ => Err(reader.problems),
    }
}

impl Reader {
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
