//! What a user chooses about a synthetic cohort: how many contacts, the
//! seed, and the mix of every attribute. Users type these numbers, so
//! [`CohortSpec::problems`] reports everything out of range at once, in
//! plain words, each at the path of its field (`/personas/1/weight`).
//!
//! Weights are relative: any non-negative numbers, read as shares of their
//! total, so 30/50/20 and 0.3/0.5/0.2 mean the same. Lists indexed by a
//! choice attribute (personas, stages, ...) follow the rules' schema order.

use serde::{Deserialize, Serialize};

use super::geography::{Region, STATE_COUNT, state_populations, state_time_zone};
use crate::defaults;
use crate::model::{Owner, OwnerId};
use crate::places::US_STATES;
use crate::rules::{ATTRIBUTES, Attribute, AttributeKind, Vocabulary};
use crate::table::position_of;

mod check;

/// The values of a choice attribute of the rules' schema.
const fn choices(attribute: Attribute) -> &'static [&'static str] {
    match ATTRIBUTES[attribute as usize].kind {
        AttributeKind::Choice(values) => values,
        _ => panic!("not a choice attribute"),
    }
}

pub const PERSONAS: &[&str] = choices(Attribute::Persona);
pub const STAGES: &[&str] = choices(Attribute::Stage);
pub const INDUSTRIES: &[&str] = choices(Attribute::Industry);
pub const INDUSTRY_RISKS: &[&str] = choices(Attribute::IndustryRisk);
pub const CONSENTS: &[&str] = choices(Attribute::Consent);

/// The `consent` code of contacts who opted out of SMS.
pub(super) const OPTED_OUT: u8 = match position_of("opted_out", CONSENTS) {
    Some(code) => code as u8,
    None => panic!("the rules' consent values have no `opted_out`"),
};

/// The largest cohort one run simulates: the app's, and a single process's.
pub const MAX_COHORT_SIZE: u32 = 1_000_000;
/// The largest cohort split into shards (`tandem-cli simulate --shard`),
/// each of which simulates at most [`MAX_COHORT_SIZE`] contacts; contact
/// numbers are `u32`, and a thousand shards is as far as anyone has asked.
pub const MAX_SHARDED_COHORT_SIZE: u32 = 1_000_000_000;
/// The largest weight a user may type; weights are relative, so this is no limit in practice.
pub const MAX_WEIGHT: f64 = 1e9;
/// The range of a Beta parameter: below 0.1 the draws pile up at exactly 0 or 1.
pub const BETA_PARAMETER_RANGE: (f64, f64) = (0.1, 1000.0);
/// The longest average time in a stage, in days (10 years).
pub const MAX_MEAN_DAYS_IN_STAGE: f64 = 3650.0;
/// Owners are stored as one byte per contact.
pub const MAX_OWNERS: usize = u8::MAX as usize + 1;

/// Everything about a synthetic cohort. Same spec, same contacts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortSpec {
    /// How many contacts, 1 to [`MAX_COHORT_SIZE`].
    pub size: u32,
    pub seed: u64,
    /// In [`PERSONAS`] order.
    pub personas: [PersonaMix; PERSONAS.len()],
    /// In [`STAGES`] order.
    pub stages: [StageMix; STAGES.len()],
    /// In [`INDUSTRIES`] order.
    pub industries: [IndustryMix; INDUSTRIES.len()],
    /// Weights of the [`CONSENTS`]: opted in, unknown, opted out.
    pub consent: [f64; CONSENTS.len()],
    /// Weight of each state (in [`US_STATES`] order) for the contact's phone
    /// number; the default is the 2020 Census population.
    #[serde(with = "state_weights")]
    pub states: [f64; STATE_COUNT],
    /// Share of contacts, 0 to 1, whose profile time zone is in another
    /// region than their phone's area code: people who moved or travel.
    pub time_zone_mismatch: f64,
    /// Which states each territory covers. A state may be in no territory.
    pub territories: Vec<Territory>,
    /// Who may own a contact's account: a contact gets one of the owners of
    /// its state's territory at random, or any owner if it has none.
    pub owners: Vec<AccountOwner>,
}

/// [`CohortSpec::states`] as a list of weights: serde's derives stop at
/// arrays of 32.
mod state_weights {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::STATE_COUNT;

    pub fn serialize<S: Serializer>(weights: &[f64; STATE_COUNT], serializer: S) -> Result<S::Ok, S::Error> {
        weights.as_slice().serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<[f64; STATE_COUNT], D::Error> {
        let weights = Vec::<f64>::deserialize(deserializer)?;
        let count = weights.len();
        weights.try_into().map_err(|_| D::Error::invalid_length(count, &"a weight per state"))
    }
}

/// One persona's share, and how readily its contacts engage.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonaMix {
    pub weight: f64,
    /// Each contact's engagement propensity (0 to 1) is drawn from this.
    pub engagement: Beta,
}

/// The Beta(a, b) distribution on 0 to 1.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Beta {
    pub a: f64,
    pub b: f64,
}

impl Beta {
    pub fn mean(self) -> f64 {
        self.a / (self.a + self.b)
    }
}

/// One stage's share and what comes with it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageMix {
    pub weight: f64,
    /// Average days since entering the stage; each contact's days are drawn
    /// from a geometric distribution with this mean.
    pub mean_days_in_stage: f64,
    /// Share of the stage's contacts, 0 to 1, with an open opportunity.
    pub open_opportunity: f64,
    /// Share of the stage's contacts, 0 to 1, whose company is a customer.
    pub customer: f64,
}

/// One industry's share and how regulated its companies are.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndustryMix {
    pub weight: f64,
    /// Weights of the [`INDUSTRY_RISKS`] (low, medium, high) within the industry.
    pub risk: [f64; INDUSTRY_RISKS.len()],
}

/// A named group of states, e.g. East.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Territory {
    pub name: String,
    /// Two-letter codes from [`US_STATES`].
    pub states: Vec<String>,
}

/// A Sales owner as the cohort sees one: who, and which territory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountOwner {
    pub id: OwnerId,
    /// What rules compare `owner` with.
    pub name: String,
    /// The name of one of the spec's territories.
    pub territory: String,
}

impl From<&Owner> for AccountOwner {
    fn from(owner: &Owner) -> AccountOwner {
        AccountOwner { id: owner.id.clone(), name: owner.name.clone(), territory: owner.territory.clone() }
    }
}

const fn persona(weight: f64, a: f64, b: f64) -> PersonaMix {
    PersonaMix { weight, engagement: Beta { a, b } }
}

const fn stage(weight: f64, mean_days_in_stage: f64, open_opportunity: f64, customer: f64) -> StageMix {
    StageMix { weight, mean_days_in_stage, open_opportunity, customer }
}

const fn industry(weight: f64, low: f64, medium: f64, high: f64) -> IndustryMix {
    IndustryMix { weight, risk: [low, medium, high] }
}

impl Default for CohortSpec {
    /// 10,000 contacts of a mid-market B2B database: mostly leads, a third
    /// with SMS consent, spread over the states like the population, owned by
    /// the default routing's owners by territory (East, Central, West by the
    /// state's time zone).
    fn default() -> CohortSpec {
        CohortSpec {
            size: 10_000,
            seed: 1,
            // VP Sales, RevOps, Marketing Ops, Sales Manager, Founder, IT.
            personas: [
                persona(15.0, 2.0, 10.0),
                persona(20.0, 3.0, 7.0),
                persona(20.0, 3.0, 6.0),
                persona(20.0, 2.0, 8.0),
                persona(10.0, 1.5, 8.5),
                persona(15.0, 1.5, 10.0),
            ],
            // Lead, MQL, SQL, Opportunity, Customer.
            stages: [
                stage(45.0, 60.0, 0.0, 0.03),
                stage(25.0, 21.0, 0.0, 0.03),
                stage(12.0, 14.0, 0.25, 0.02),
                stage(8.0, 30.0, 1.0, 0.05),
                stage(10.0, 180.0, 0.10, 1.0),
            ],
            // SaaS, Manufacturing, Healthcare, Financial Services, Retail, Education.
            industries: [
                industry(30.0, 0.85, 0.15, 0.0),
                industry(18.0, 0.5, 0.4, 0.1),
                industry(12.0, 0.05, 0.25, 0.7),
                industry(15.0, 0.05, 0.25, 0.7),
                industry(13.0, 0.6, 0.35, 0.05),
                industry(12.0, 0.3, 0.5, 0.2),
            ],
            consent: [35.0, 55.0, 10.0],
            states: state_populations().map(f64::from),
            time_zone_mismatch: 0.12,
            territories: default_territories(),
            owners: defaults::routing().owners.iter().map(AccountOwner::from).collect(),
        }
    }
}

/// East, Central and West, by the region of each state's time zone.
fn default_territories() -> Vec<Territory> {
    let territory = |state: usize| match Region::of(state_time_zone(state)) {
        Region::Eastern | Region::Atlantic => "East",
        Region::Central => "Central",
        _ => "West",
    };
    ["East", "Central", "West"]
        .into_iter()
        .map(|name| Territory {
            name: name.into(),
            states: (0..STATE_COUNT)
                .filter(|&state| territory(state) == name)
                .map(|state| US_STATES[state].into())
                .collect(),
        })
        .collect()
}

impl CohortSpec {
    /// The owners' names numbered in order, so that the `owner` code of a
    /// contact ([`super::Cohort::code`]) is its owner's code here when the
    /// spec has no problems. Compile rules against this vocabulary, adding
    /// page names after the owners.
    pub fn owner_vocabulary(&self) -> Vocabulary {
        let mut vocabulary = Vocabulary::new();
        for owner in &self.owners {
            vocabulary.intern(&owner.name);
        }
        vocabulary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_territories_cover_every_state_once_and_match_the_default_owners() {
        let spec = CohortSpec::default();
        let mut states: Vec<&str> = spec.territories.iter().flat_map(|t| t.states.iter().map(String::as_str)).collect();
        states.sort_unstable();
        let mut all = US_STATES.to_vec();
        all.sort_unstable();
        assert_eq!(states, all);
        let territory = |state: &str| {
            spec.territories.iter().find(|t| t.states.iter().any(|s| s == state)).map(|t| t.name.as_str())
        };
        assert_eq!(territory("NY"), Some("East"));
        assert_eq!(territory("TX"), Some("Central"));
        assert_eq!(territory("AZ"), Some("West"));
        assert_eq!(territory("HI"), Some("West"));
        let owners: Vec<(&str, &str)> = spec.owners.iter().map(|o| (o.id.0.as_str(), o.territory.as_str())).collect();
        assert_eq!(owners, vec![("ana", "East"), ("marcus", "Central"), ("priya", "West")]);
    }
}
