//! The `tandem.cohort/v1` document: a [`Scenario`] (the synthetic cohort and
//! the simulation settings) as a file, so that a forecast made in the app
//! can be reproduced anywhere with the journey, this file and the seed.
//! Lists indexed by a choice (personas, stages, industries, risk levels,
//! consent values, states, SMS moments) are objects keyed by the choice's
//! name, so a file reads on its own and its problems' paths name what is
//! wrong (`/personas/RevOps/weight`). Reading follows the journey format's
//! discipline: bounded size and depth, every problem with its JSON path.

use std::marker::PhantomData;

use chrono::NaiveDate;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::{Map, Value};

use super::import::{DocumentKind, ImportProblem, Reader, at, describe, parse_document};
use super::wire::WireEnum;
use crate::cohort::{
    AccountOwner, Beta, CONSENTS, CohortSpec, INDUSTRIES, INDUSTRY_RISKS, IndustryMix, PERSONAS, PersonaMix, STAGES,
    StageMix, Territory,
};
use crate::model::{Moment, OwnerId};
use crate::places::US_STATES;
use crate::simulate::{EngagementModel, FatigueModel, ReplyModel, Scenario, SimulationSettings};

/// The format marker every cohort document carries.
pub const COHORT_FORMAT_V1: &str = "tandem.cohort/v1";

/// The names a keyed object has, in the order it is written.
trait Names {
    fn names() -> Vec<&'static str>;
}

macro_rules! names {
    ($($marker:ident = $names:expr;)+) => {$(
        struct $marker;
        impl Names for $marker {
            fn names() -> Vec<&'static str> {
                $names.to_vec()
            }
        }
    )+};
}

names! {
    ConsentNames = CONSENTS;
    PersonaNames = PERSONAS;
    StageNames = STAGES;
    IndustryNames = INDUSTRIES;
    RiskNames = INDUSTRY_RISKS;
    StateNames = US_STATES;
}

struct MomentNames;
impl Names for MomentNames {
    fn names() -> Vec<&'static str> {
        Moment::NAMES.iter().map(|(name, _)| *name).collect()
    }
}

/// Values written as an object keyed by `N`'s names, in that order.
struct Keyed<N, T> {
    values: Vec<T>,
    names: PhantomData<N>,
}

impl<N, T> Keyed<N, T> {
    fn new(values: impl IntoIterator<Item = T>) -> Self {
        Keyed { values: values.into_iter().collect(), names: PhantomData }
    }
}

impl<N: Names, T: Serialize> Serialize for Keyed<N, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.values.len()))?;
        for (name, value) in N::names().into_iter().zip(&self.values) {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<N: Names, T: JsonSchema> JsonSchema for Keyed<N, T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("{}By{}", T::schema_name(), std::any::type_name::<N>().rsplit("::").next().unwrap_or("Name")).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let names = N::names();
        let value = generator.subschema_for::<T>();
        let properties: Map<String, Value> =
            names.iter().map(|name| ((*name).to_owned(), value.clone().to_value())).collect();
        json_schema!({
            "type": "object",
            "properties": properties,
            "required": names,
            "additionalProperties": false,
        })
    }
}

/// A relative weight: any non-negative number, read as a share of its list's total.
#[derive(Serialize, JsonSchema)]
#[serde(transparent)]
struct Weight(#[schemars(range(min = 0.0, max = 1e9))] f64);

/// A share from 0 to 1.
#[derive(Serialize, JsonSchema)]
#[serde(transparent)]
struct Share(#[schemars(range(min = 0.0, max = 1.0))] f64);

/// A synthetic cohort and the settings it is simulated under.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Tandem cohort (tandem.cohort/v1)")]
struct WireCohort {
    /// Always `tandem.cohort/v1`.
    #[schemars(regex(pattern = "^tandem\\.cohort/v1$"))]
    format: String,
    /// How many contacts.
    #[schemars(range(min = 1, max = 1_000_000))]
    size: u32,
    /// The same seed (with the same journey and cohort) gives the same forecast.
    seed: u64,
    /// Relative weights of SMS consent values.
    consent: Keyed<ConsentNames, Weight>,
    personas: Keyed<PersonaNames, WirePersona>,
    stages: Keyed<StageNames, WireStage>,
    industries: Keyed<IndustryNames, WireIndustry>,
    /// Relative weight of each US state for the contact's phone number.
    states: Keyed<StateNames, Weight>,
    /// Share of contacts whose profile time zone is in another region than their phone's.
    time_zone_mismatch: Share,
    territories: Vec<WireTerritory>,
    /// Who may own a contact's account.
    #[schemars(length(min = 1, max = 256))]
    owners: Vec<WireOwner>,
    settings: WireSettings,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WirePersona {
    weight: Weight,
    /// Each contact's engagement propensity (0 to 1) is drawn from Beta(a, b).
    engagement: WireBeta,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WireBeta {
    #[schemars(range(min = 0.1, max = 1000.0))]
    a: f64,
    #[schemars(range(min = 0.1, max = 1000.0))]
    b: f64,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WireStage {
    weight: Weight,
    /// Average days since entering the stage.
    #[schemars(range(min = 0.0, max = 3650.0))]
    mean_days_in_stage: f64,
    /// Share of the stage's contacts with an open opportunity.
    open_opportunity: Share,
    /// Share of the stage's contacts whose company is a customer.
    customer: Share,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WireIndustry {
    weight: Weight,
    /// Relative weights of the industry's risk levels.
    risk: Keyed<RiskNames, Weight>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WireTerritory {
    #[schemars(length(min = 1, max = 10000))]
    name: String,
    /// Two-letter US state codes; a state belongs to one territory at most.
    states: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WireOwner {
    #[schemars(length(min = 1, max = 10000))]
    id: String,
    /// What rules compare `owner` with.
    #[schemars(length(min = 1, max = 10000))]
    name: String,
    /// The name of one of the territories.
    territory: String,
}

/// What a run assumes about people; see `docs/simulation.md` for the formulas.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WireSettings {
    #[schemars(range(min = 1, max = 365))]
    horizon_days: u16,
    /// The calendar date of day 0 (YYYY-MM-DD).
    #[schemars(regex(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    start: String,
    #[schemars(range(max = 365))]
    entry_spread_days: u16,
    engagement: EngagementModel,
    replies: WireReplies,
    fatigue: FatigueModel,
    #[schemars(range(min = 1, max = 480))]
    minutes_per_reply: u16,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WireReplies {
    /// The base chance of a reply to an SMS of each moment.
    base_by_moment: Keyed<MomentNames, Share>,
    /// The chance of a meeting after a reply, by moment.
    meeting_by_moment: Keyed<MomentNames, Share>,
    #[schemars(range(min = 1, max = 10080))]
    mean_reply_delay_minutes: u32,
}

impl From<&Scenario> for WireCohort {
    fn from(scenario: &Scenario) -> WireCohort {
        let spec = &scenario.cohort;
        let settings = &scenario.settings;
        WireCohort {
            format: COHORT_FORMAT_V1.into(),
            size: spec.size,
            seed: spec.seed,
            consent: Keyed::new(spec.consent.map(Weight)),
            personas: Keyed::new(spec.personas.map(|persona| WirePersona {
                weight: Weight(persona.weight),
                engagement: WireBeta { a: persona.engagement.a, b: persona.engagement.b },
            })),
            stages: Keyed::new(spec.stages.map(|stage| WireStage {
                weight: Weight(stage.weight),
                mean_days_in_stage: stage.mean_days_in_stage,
                open_opportunity: Share(stage.open_opportunity),
                customer: Share(stage.customer),
            })),
            industries: Keyed::new(spec.industries.map(|industry| WireIndustry {
                weight: Weight(industry.weight),
                risk: Keyed::new(industry.risk.map(Weight)),
            })),
            states: Keyed::new(spec.states.map(Weight)),
            time_zone_mismatch: Share(spec.time_zone_mismatch),
            territories: spec
                .territories
                .iter()
                .map(|territory| WireTerritory { name: territory.name.clone(), states: territory.states.clone() })
                .collect(),
            owners: spec
                .owners
                .iter()
                .map(|owner| WireOwner {
                    id: owner.id.0.clone(),
                    name: owner.name.clone(),
                    territory: owner.territory.clone(),
                })
                .collect(),
            settings: WireSettings {
                horizon_days: settings.horizon_days,
                start: settings.start.format("%Y-%m-%d").to_string(),
                entry_spread_days: settings.entry_spread_days,
                engagement: settings.engagement,
                replies: WireReplies {
                    base_by_moment: Keyed::new(settings.replies.base_by_moment.map(Share)),
                    meeting_by_moment: Keyed::new(settings.replies.meeting_by_moment.map(Share)),
                    mean_reply_delay_minutes: settings.replies.mean_reply_delay_minutes,
                },
                fatigue: settings.fatigue,
                minutes_per_reply: settings.minutes_per_reply,
            },
        }
    }
}

/// The scenario as a `tandem.cohort/v1` document, pretty-printed with a
/// stable key order: the same scenario always gives the same bytes.
pub fn export_cohort(scenario: &Scenario) -> String {
    let mut text = serde_json::to_string_pretty(&WireCohort::from(scenario)).expect("wire types always serialise");
    text.push('\n');
    text
}

/// The JSON Schema of `tandem.cohort/v1` documents, generated from the wire types.
pub fn cohort_schema() -> String {
    let schema = schemars::schema_for!(WireCohort);
    let mut text = serde_json::to_string_pretty(&schema).expect("schemas always serialise");
    text.push('\n');
    text
}

/// Reads a `tandem.cohort/v1` document, or lists every problem with its JSON
/// path: first the document's shape, then every value out of range.
pub fn import_cohort(text: &str) -> Result<Scenario, Vec<ImportProblem>> {
    let document = parse_document(text, DocumentKind::COHORT).map_err(|problem| vec![problem])?;
    let mut reader = Reader { problems: Vec::new() };
    let scenario = reader.scenario(&document);
    let scenario = match scenario {
        Some(scenario) if reader.problems.is_empty() => scenario,
        _ => return Err(reader.problems),
    };
    let problems: Vec<ImportProblem> = scenario
        .problems()
        .into_iter()
        .map(|problem| ImportProblem { path: problem.path, message: problem.message, rule_span: None })
        .collect();
    if problems.is_empty() { Ok(scenario) } else { Err(problems) }
}

/// The items as an array of exactly `N`, if every one was read.
fn array<T, const N: usize>(items: Option<Vec<T>>) -> Option<[T; N]> {
    items?.try_into().ok()
}

impl Reader {
    pub(super) fn scenario(&mut self, document: &Value) -> Option<Scenario> {
        let keys = [
            "format",
            "size",
            "seed",
            "consent",
            "personas",
            "stages",
            "industries",
            "states",
            "time_zone_mismatch",
            "territories",
            "owners",
            "settings",
        ];
        let map = self.object(document, "", &keys)?;
        // A shard's partial result carries cohorts up to the sharded limit;
        // a cohort file's own limit is checked with the spec's other problems.
        let size = self.number(map, "", "size", crate::cohort::MAX_SHARDED_COHORT_SIZE);
        let seed = self.number(map, "", "seed", u64::MAX);
        let weight = |reader: &mut Reader, value: &Value, path: &str| reader.bare_real(value, path);
        let consent = array(self.keyed(map, "", "consent", CONSENTS, weight));
        let personas = array(self.keyed(map, "", "personas", PERSONAS, |reader, value, path| {
            let map = reader.object(value, path, &["weight", "engagement"])?;
            let weight = reader.real(map, path, "weight");
            let engagement = reader.field(map, path, "engagement").and_then(|value| {
                let path = at(path, "engagement");
                let map = reader.object(value, &path, &["a", "b"])?;
                let a = reader.real(map, &path, "a");
                let b = reader.real(map, &path, "b");
                Some(Beta { a: a?, b: b? })
            });
            Some(PersonaMix { weight: weight?, engagement: engagement? })
        }));
        let stages = array(self.keyed(map, "", "stages", STAGES, |reader, value, path| {
            let map = reader.object(value, path, &["weight", "mean_days_in_stage", "open_opportunity", "customer"])?;
            let weight = reader.real(map, path, "weight");
            let mean_days_in_stage = reader.real(map, path, "mean_days_in_stage");
            let open_opportunity = reader.real(map, path, "open_opportunity");
            let customer = reader.real(map, path, "customer");
            Some(StageMix {
                weight: weight?,
                mean_days_in_stage: mean_days_in_stage?,
                open_opportunity: open_opportunity?,
                customer: customer?,
            })
        }));
        let industries = array(self.keyed(map, "", "industries", INDUSTRIES, |reader, value, path| {
            let map = reader.object(value, path, &["weight", "risk"])?;
            let weight = reader.real(map, path, "weight");
            let risk = array(reader.keyed(map, path, "risk", INDUSTRY_RISKS, weight_of));
            Some(IndustryMix { weight: weight?, risk: risk? })
        }));
        let states = array(self.keyed(map, "", "states", &US_STATES, weight_of));
        let time_zone_mismatch = self.real(map, "", "time_zone_mismatch");
        let territories = self.list(map, "", "territories").and_then(|items| {
            self.all(items, |reader, value, path| {
                let map = reader.object(value, path, &["name", "states"])?;
                let name = reader.text(map, path, "name");
                let states = reader.list(map, path, "states").and_then(|items| {
                    reader.all(items, |reader, value, path| match value {
                        Value::String(state) => Some(state.clone()),
                        other => {
                            reader.report(
                                path,
                                format!("Expected a state code like \"FL\" here, found {}.", describe(other)),
                            );
                            None
                        }
                    })
                });
                Some(Territory { name: name?, states: states? })
            })
        });
        let owners = self.list(map, "", "owners").and_then(|items| {
            self.all(items, |reader, value, path| {
                let map = reader.object(value, path, &["id", "name", "territory"])?;
                let id = reader.text(map, path, "id");
                let name = reader.text(map, path, "name");
                let territory = reader.text(map, path, "territory");
                Some(AccountOwner { id: OwnerId(id?), name: name?, territory: territory? })
            })
        });
        let settings = self.field(map, "", "settings").and_then(|value| self.settings(value, "/settings"));
        let cohort = CohortSpec {
            size: size?,
            seed: seed?,
            personas: personas?,
            stages: stages?,
            industries: industries?,
            consent: consent?,
            states: states?,
            time_zone_mismatch: time_zone_mismatch?,
            territories: territories?,
            owners: owners?,
        };
        Some(Scenario { cohort, settings: settings? })
    }

    /// A finite number that is the value itself (not a field of an object).
    fn bare_real(&mut self, value: &Value, path: &str) -> Option<f64> {
        match value.as_f64() {
            Some(number) if number.is_finite() => Some(number),
            _ => {
                self.report(path, format!("Expected a number here, found {}.", describe(value)));
                None
            }
        }
    }

    fn settings(&mut self, value: &Value, path: &str) -> Option<SimulationSettings> {
        let keys =
            ["horizon_days", "start", "entry_spread_days", "engagement", "replies", "fatigue", "minutes_per_reply"];
        let map = self.object(value, path, &keys)?;
        let horizon_days = self.number(map, path, "horizon_days", u16::MAX);
        let start = self.text(map, path, "start").and_then(|text| {
            let date = NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok();
            if date.is_none() {
                self.report(
                    &at(path, "start"),
                    format!("Expected a date like \"2026-03-02\" here, found {}.", describe(&Value::String(text))),
                );
            }
            date
        });
        let entry_spread_days = self.number(map, path, "entry_spread_days", u16::MAX);
        let engagement = self.field(map, path, "engagement").and_then(|value| {
            let path = at(path, "engagement");
            let keys = [
                "open_base",
                "open_per_propensity",
                "click_base",
                "click_per_propensity",
                "visit_after_click",
                "organic_visits_per_page",
                "meeting_intent_after_click",
                "stage_progress_after_click",
                "mean_open_delay_minutes",
            ];
            let map = self.object(value, &path, &keys)?;
            let mut real = |key| self.real(map, &path, key);
            let (open_base, open_per_propensity, click_base, click_per_propensity) =
                (real("open_base"), real("open_per_propensity"), real("click_base"), real("click_per_propensity"));
            let (visit_after_click, organic_visits_per_page) =
                (real("visit_after_click"), real("organic_visits_per_page"));
            let (meeting_intent_after_click, stage_progress_after_click) =
                (real("meeting_intent_after_click"), real("stage_progress_after_click"));
            let mean_open_delay_minutes = self.number(map, &path, "mean_open_delay_minutes", u32::MAX);
            Some(EngagementModel {
                open_base: open_base?,
                open_per_propensity: open_per_propensity?,
                click_base: click_base?,
                click_per_propensity: click_per_propensity?,
                visit_after_click: visit_after_click?,
                organic_visits_per_page: organic_visits_per_page?,
                meeting_intent_after_click: meeting_intent_after_click?,
                stage_progress_after_click: stage_progress_after_click?,
                mean_open_delay_minutes: mean_open_delay_minutes?,
            })
        });
        let replies = self.field(map, path, "replies").and_then(|value| {
            let path = at(path, "replies");
            let map =
                self.object(value, &path, &["base_by_moment", "meeting_by_moment", "mean_reply_delay_minutes"])?;
            let moments = MomentNames::names();
            let base_by_moment = array(self.keyed(map, &path, "base_by_moment", &moments, weight_of));
            let meeting_by_moment = array(self.keyed(map, &path, "meeting_by_moment", &moments, weight_of));
            let mean_reply_delay_minutes = self.number(map, &path, "mean_reply_delay_minutes", u32::MAX);
            Some(ReplyModel {
                base_by_moment: base_by_moment?,
                meeting_by_moment: meeting_by_moment?,
                mean_reply_delay_minutes: mean_reply_delay_minutes?,
            })
        });
        let fatigue = self.field(map, path, "fatigue").and_then(|value| {
            let path = at(path, "fatigue");
            let keys = [
                "window_hours",
                "midpoint",
                "steepness",
                "stop_floor",
                "stop_ceiling",
                "unsubscribe_floor",
                "unsubscribe_ceiling",
                "reply_drop",
                "engagement_drop",
            ];
            let map = self.object(value, &path, &keys)?;
            let window_hours = self.number(map, &path, "window_hours", u16::MAX);
            let mut real = |key| self.real(map, &path, key);
            let (midpoint, steepness, stop_floor, stop_ceiling) =
                (real("midpoint"), real("steepness"), real("stop_floor"), real("stop_ceiling"));
            let (unsubscribe_floor, unsubscribe_ceiling, reply_drop, engagement_drop) =
                (real("unsubscribe_floor"), real("unsubscribe_ceiling"), real("reply_drop"), real("engagement_drop"));
            Some(FatigueModel {
                window_hours: window_hours?,
                midpoint: midpoint?,
                steepness: steepness?,
                stop_floor: stop_floor?,
                stop_ceiling: stop_ceiling?,
                unsubscribe_floor: unsubscribe_floor?,
                unsubscribe_ceiling: unsubscribe_ceiling?,
                reply_drop: reply_drop?,
                engagement_drop: engagement_drop?,
            })
        });
        let minutes_per_reply = self.number(map, path, "minutes_per_reply", u16::MAX);
        Some(SimulationSettings {
            horizon_days: horizon_days?,
            start: start?,
            entry_spread_days: entry_spread_days?,
            engagement: engagement?,
            replies: replies?,
            fatigue: fatigue?,
            minutes_per_reply: minutes_per_reply?,
        })
    }
}

/// Reads one weight or share of a keyed object.
fn weight_of(reader: &mut Reader, value: &Value, path: &str) -> Option<f64> {
    reader.bare_real(value, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        import_cohort(text).expect_err("the document has problems").iter().map(ToString::to_string).collect()
    }

    /// The default scenario's export with `change` applied to its JSON.
    fn changed(change: impl FnOnce(&mut Value)) -> String {
        let mut document: Value = serde_json::from_str(&export_cohort(&Scenario::default())).unwrap();
        change(&mut document);
        serde_json::to_string(&document).unwrap()
    }

    #[test]
    fn a_scenario_survives_export_and_import_and_exports_the_same_bytes() {
        let mut scenario = Scenario::default();
        scenario.cohort.size = 123_456;
        scenario.cohort.seed = u64::MAX;
        scenario.cohort.personas[1].engagement.b = 0.123_456_789;
        scenario.cohort.consent = [1.0, 0.0, 0.5];
        scenario.settings.fatigue.midpoint = 7.25;
        scenario.settings.replies.meeting_by_moment[3] = 0.9;
        scenario.settings.start = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        let text = export_cohort(&scenario);
        let back = import_cohort(&text).unwrap();
        assert_eq!(back, scenario);
        assert_eq!(export_cohort(&back), text);
    }

    #[test]
    fn lists_by_choice_are_keyed_by_name() {
        let document: Value = serde_json::from_str(&export_cohort(&Scenario::default())).unwrap();
        assert_eq!(document["format"], "tandem.cohort/v1");
        assert_eq!(document["personas"]["RevOps"]["engagement"]["a"], 3.0);
        assert_eq!(document["consent"]["opted_out"], 10.0);
        assert_eq!(document["industries"]["Healthcare"]["risk"]["high"], 0.7);
        assert_eq!(document["settings"]["replies"]["base_by_moment"]["late_stage_coordination"], 0.35);
        assert_eq!(document["settings"]["start"], "2026-03-02");
        assert!(document["states"]["TX"].as_f64().unwrap() > 1e7);
        // Names go into JSON pointers as they are: none needs escaping.
        let keys = [CONSENTS, PERSONAS, STAGES, INDUSTRIES, INDUSTRY_RISKS, &US_STATES].concat();
        assert!(keys.iter().all(|key| !key.contains(['/', '~'])));
    }

    #[test]
    fn every_shape_problem_is_listed_with_its_path() {
        let text = changed(|document| {
            document["size"] = "many".into();
            document["personas"].as_object_mut().unwrap().remove("IT");
            document["personas"]["VP Sale"] = document["personas"]["RevOps"].clone();
            document["stages"]["MQL"]["weight"] = Value::Null;
            document["settings"]["start"] = "next Monday".into();
            document["settings"]["fatigue"]["colour"] = "red".into();
            document["owners"][0]["territory"] = 3.into();
        });
        assert_eq!(
            problems(&text),
            [
                "/size: Expected a whole number here, found \"many\".",
                "/personas/VP Sale: `VP Sale` is not a field here; the fields are: VP Sales, RevOps, Marketing Ops, Sales Manager, Founder, IT.",
                "/personas: `IT` is missing; it needs all of: VP Sales, RevOps, Marketing Ops, Sales Manager, Founder, IT.",
                "/stages/MQL/weight: Expected a number here, found null.",
                "/owners/0/territory: Expected text here, found 3.",
                "/settings/start: Expected a date like \"2026-03-02\" here, found \"next Monday\".",
                "/settings/fatigue/colour: `colour` is not a field here; the fields are: window_hours, midpoint, steepness, stop_floor, stop_ceiling, unsubscribe_floor, unsubscribe_ceiling, reply_drop, engagement_drop.",
            ]
        );
    }

    #[test]
    fn values_out_of_range_are_reported_at_their_document_paths() {
        let text = changed(|document| {
            document["size"] = 0.into();
            document["personas"]["Founder"]["engagement"]["a"] = 0.into();
            document["consent"]["opted_in"] = (-1).into();
            document["settings"]["replies"]["base_by_moment"]["confirmation"] = 2.into();
            document["settings"]["horizon_days"] = 400.into();
        });
        assert_eq!(
            problems(&text),
            [
                "/size: A cohort needs at least 1 contact.",
                "/personas/Founder/engagement/a: The engagement of Founder needs Beta parameters from 0.1 to 1000; a is 0.",
                "/consent/opted_in: The weight of opted_in must be a number from 0 to 1,000,000,000; it is -1.",
                "/settings/horizon_days: The horizon must be 1 to 365 days; it is 400.",
                "/settings/replies/base_by_moment/confirmation: This chance must be from 0 to 1; it is 2.",
            ]
        );
        assert_eq!(
            problems(&changed(|document| document["size"] = 2_000_000.into())),
            ["/size: A cohort has at most 1,000,000 contacts; this one has 2,000,000."]
        );
    }

    #[test]
    fn other_documents_and_broken_text_are_refused_with_a_reason() {
        let journey = crate::format::export(&crate::samples::playbook());
        assert_eq!(
            problems(&journey),
            ["/format: This is a journey file (tandem.journey/v1); a cohort file (tandem.cohort/v1) is needed here."]
        );
        assert_eq!(problems(""), ["/: This file is empty."]);
        assert_eq!(problems("[1, 2]"), ["/: A cohort file holds one JSON object; this holds something else."]);
        assert_eq!(
            problems("{\"format\": \"tandem.cohort/v1\", "),
            ["/: This file ends too early (line 1, column 31); it may have been cut off."]
        );
        let deep = format!("{}{}", "[".repeat(65), "]".repeat(65));
        assert_eq!(problems(&deep), ["/: This file nests more than 64 levels deep; a cohort never does."]);
    }
}
