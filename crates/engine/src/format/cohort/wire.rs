//! The `tandem.cohort/v1` document as it is written: field names, key
//! order, and the objects keyed by a choice's name. Export serialises these
//! and the JSON Schema is generated from them.

use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::{Map, Value};

use super::COHORT_FORMAT_V1;
use crate::cohort::{CONSENTS, INDUSTRIES, INDUSTRY_RISKS, PERSONAS, STAGES};
use crate::format::WireEnum;
use crate::model::Moment;
use crate::places::US_STATES;
use crate::simulate::{EngagementModel, FatigueModel, Scenario};

/// The names a keyed object has, in the order it is written.
pub(super) trait Names {
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

pub(super) struct MomentNames;
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
pub(super) struct WireCohort {
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
                start: settings.start.to_string(),
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
