//! What a user chooses about a synthetic cohort: how many contacts, the
//! seed, and the mix of every attribute. Users type these numbers, so
//! [`CohortSpec::problems`] reports everything out of range at once, in
//! plain words, each at the path of its field (`/personas/1/weight`).
//!
//! Weights are relative: any non-negative numbers, read as shares of their
//! total, so 30/50/20 and 0.3/0.5/0.2 mean the same. Lists indexed by a
//! choice attribute (personas, stages, ...) follow the rules' schema order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::geography::{Region, STATE_COUNT, state_populations, state_time_zone};
use crate::defaults;
use crate::model::{Owner, OwnerId};
use crate::places::US_STATES;
use crate::rules::{ATTRIBUTES, Attribute, AttributeKind, Vocabulary};
use crate::simulate::figures::grouped;
use crate::table::position_of;
use crate::validate::Problem;

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

/// Collects problems with their paths.
#[derive(Default)]
struct Report {
    problems: Vec<Problem>,
}

impl Report {
    fn at(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem { path: path.into(), message: message.into() });
    }

    /// Weights, each with its path and its name in messages, of which at
    /// least one must be above 0: `all` names the list ("At least one persona").
    fn weights(&mut self, all_path: &str, all: &str, weights: impl IntoIterator<Item = (String, String, f64)>) {
        let mut total = 0.0;
        let mut valid = true;
        for (path, what, weight) in weights {
            if weight.is_finite() && (0.0..=MAX_WEIGHT).contains(&weight) {
                total += weight;
            } else {
                valid = false;
                self.at(
                    path,
                    format!("{what} must be a number from 0 to {}; it is {weight}.", grouped(MAX_WEIGHT as u64)),
                );
            }
        }
        if valid && total <= 0.0 {
            self.at(all_path, format!("{all} needs a weight above 0."));
        }
    }

    fn share(&mut self, path: String, what: &str, share: f64) {
        if !(0.0..=1.0).contains(&share) {
            self.at(path, format!("{what} must be from 0 to 1 (0% to 100%); it is {share}."));
        }
    }
}

/// Each weight with its path (`{path}/{name}{field}`, as in a `tandem.cohort/v1`
/// document) and how messages name it
/// ("The weight of RevOps"), for [`Report::weights`].
fn named_weights<'a>(
    path: &'a str,
    names: &'a [&str],
    weights: impl IntoIterator<Item = f64> + 'a,
    field: &'a str,
) -> impl Iterator<Item = (String, String, f64)> + 'a {
    names
        .iter()
        .zip(weights)
        .map(move |(name, weight)| (format!("{path}/{name}{field}"), format!("The weight of {name}"), weight))
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

    /// Every problem with the spec; empty when a cohort can be generated from it.
    pub fn problems(&self) -> Vec<Problem> {
        self.problems_up_to(MAX_COHORT_SIZE)
    }

    /// [`CohortSpec::problems`], with cohorts of up to `max_size` contacts allowed.
    pub fn problems_up_to(&self, max_size: u32) -> Vec<Problem> {
        let mut report = Report::default();
        if self.size == 0 {
            report.at("/size", "A cohort needs at least 1 contact.");
        } else if self.size > max_size {
            report.at(
                "/size",
                format!(
                    "A cohort has at most {} contacts; this one has {}.",
                    grouped(u64::from(max_size)),
                    grouped(u64::from(self.size))
                ),
            );
        }
        self.check_personas(&mut report);
        self.check_stages(&mut report);
        self.check_industries(&mut report);
        report.weights("/consent", "The consent mix", named_weights("/consent", CONSENTS, self.consent, ""));
        report.weights("/states", "At least one state", named_weights("/states", &US_STATES, self.states, ""));
        report.share(
            "/time_zone_mismatch".into(),
            "The share of contacts whose time zone disagrees with their phone",
            self.time_zone_mismatch,
        );
        self.check_territories(&mut report);
        self.check_owners(&mut report);
        report.problems
    }

    fn check_personas(&self, report: &mut Report) {
        report.weights(
            "/personas",
            "At least one persona",
            named_weights("/personas", PERSONAS, self.personas.map(|p| p.weight), "/weight"),
        );
        let (min, max) = BETA_PARAMETER_RANGE;
        for (name, mix) in PERSONAS.iter().zip(&self.personas) {
            for (parameter, value) in [("a", mix.engagement.a), ("b", mix.engagement.b)] {
                if !(min..=max).contains(&value) {
                    report.at(
                        format!("/personas/{name}/engagement/{parameter}"),
                        format!("The engagement of {name} needs Beta parameters from {min} to {max}; {parameter} is {value}."),
                    );
                }
            }
        }
    }

    fn check_stages(&self, report: &mut Report) {
        report.weights(
            "/stages",
            "At least one stage",
            named_weights("/stages", STAGES, self.stages.map(|s| s.weight), "/weight"),
        );
        for (name, mix) in STAGES.iter().zip(&self.stages) {
            if !(0.0..=MAX_MEAN_DAYS_IN_STAGE).contains(&mix.mean_days_in_stage) {
                report.at(
                    format!("/stages/{name}/mean_days_in_stage"),
                    format!(
                        "The average days in {name} must be from 0 to {MAX_MEAN_DAYS_IN_STAGE} (10 years); it is {}.",
                        mix.mean_days_in_stage
                    ),
                );
            }
            let share = |field: &str| format!("/stages/{name}/{field}");
            report.share(
                share("open_opportunity"),
                &format!("The share of {name} contacts with an open opportunity"),
                mix.open_opportunity,
            );
            report.share(
                share("customer"),
                &format!("The share of {name} contacts whose company is a customer"),
                mix.customer,
            );
        }
    }

    fn check_industries(&self, report: &mut Report) {
        report.weights(
            "/industries",
            "At least one industry",
            named_weights("/industries", INDUSTRIES, self.industries.map(|i| i.weight), "/weight"),
        );
        for (name, mix) in INDUSTRIES.iter().zip(&self.industries) {
            let path = format!("/industries/{name}/risk");
            let risks = INDUSTRY_RISKS.iter().zip(mix.risk).map(|(level, weight)| {
                (format!("{path}/{level}"), format!("The weight of {level} risk in {name}"), weight)
            });
            report.weights(&path, &format!("The risk mix of {name}"), risks);
        }
    }

    fn check_territories(&self, report: &mut Report) {
        let mut names = BTreeMap::new();
        let mut territory_of_state = BTreeMap::new();
        for (index, territory) in self.territories.iter().enumerate() {
            let path = format!("/territories/{index}");
            if territory.name.trim().is_empty() {
                report.at(format!("{path}/name"), "This territory needs a name.");
            } else if names.insert(territory.name.as_str(), index).is_some() {
                report.at(format!("{path}/name"), format!("Another territory is already called `{}`.", territory.name));
            }
            for (position, state) in territory.states.iter().enumerate() {
                let path = format!("{path}/states/{position}");
                if !US_STATES.contains(&state.as_str()) {
                    report.at(path, format!("`{state}` is not a US state code like FL or TX."));
                } else if let Some(other) = territory_of_state.insert(state.as_str(), territory.name.as_str()) {
                    report.at(
                        path,
                        format!("{state} is already in the territory `{other}`; a state belongs to one territory."),
                    );
                }
            }
        }
    }

    fn check_owners(&self, report: &mut Report) {
        if self.owners.is_empty() {
            report.at("/owners", "A cohort needs at least one owner to assign contacts to.");
        } else if self.owners.len() > MAX_OWNERS {
            report.at(
                "/owners",
                format!("A cohort has at most {MAX_OWNERS} owners; this one has {}.", self.owners.len()),
            );
        }
        let mut ids = BTreeMap::new();
        let mut names = BTreeMap::new();
        for (index, owner) in self.owners.iter().enumerate() {
            let path = format!("/owners/{index}");
            if owner.id.0.trim().is_empty() {
                report.at(format!("{path}/id"), "This owner has no id.");
            } else if ids.insert(owner.id.0.as_str(), index).is_some() {
                report.at(format!("{path}/id"), format!("Another owner already uses the id `{}`.", owner.id.0));
            }
            if owner.name.trim().is_empty() {
                report.at(format!("{path}/name"), "This owner needs a name.");
            } else if names.insert(owner.name.as_str(), index).is_some() {
                report.at(
                    format!("{path}/name"),
                    format!("Another owner is already called `{}`; rules tell owners apart by name.", owner.name),
                );
            }
            if !self.territories.iter().any(|territory| territory.name == owner.territory) {
                let known: Vec<&str> = self.territories.iter().map(|territory| territory.name.as_str()).collect();
                let known = match known.is_empty() {
                    true => "it has none".to_owned(),
                    false => known.join(", "),
                };
                report.at(
                    format!("{path}/territory"),
                    format!("`{}` is not one of the cohort's territories ({known}).", owner.territory),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Breaks the default spec in one way and checks the exact problems reported.
    fn check(break_it: impl FnOnce(&mut CohortSpec), expected: &[(&str, &str)]) {
        let mut spec = CohortSpec::default();
        break_it(&mut spec);
        let problems: Vec<(String, String)> = spec.problems().into_iter().map(|p| (p.path, p.message)).collect();
        let expected: Vec<(String, String)> = expected.iter().map(|(p, m)| (p.to_string(), m.to_string())).collect();
        assert_eq!(problems, expected);
    }

    #[test]
    fn the_default_spec_has_no_problems() {
        check(|_| {}, &[]);
    }

    #[test]
    fn sizes_outside_one_to_a_million_are_rejected() {
        check(|spec| spec.size = 0, &[("/size", "A cohort needs at least 1 contact.")]);
        check(|spec| spec.size = MAX_COHORT_SIZE, &[]);
        check(
            |spec| spec.size = 2_500_000,
            &[("/size", "A cohort has at most 1,000,000 contacts; this one has 2,500,000.")],
        );
    }

    #[test]
    fn weights_must_be_non_negative_numbers_and_not_all_zero() {
        check(
            |spec| spec.personas[1].weight = -1.0,
            &[("/personas/RevOps/weight", "The weight of RevOps must be a number from 0 to 1,000,000,000; it is -1.")],
        );
        check(
            |spec| spec.consent[2] = f64::NAN,
            &[("/consent/opted_out", "The weight of opted_out must be a number from 0 to 1,000,000,000; it is NaN.")],
        );
        check(
            |spec| spec.stages.iter_mut().for_each(|s| s.weight = 0.0),
            &[("/stages", "At least one stage needs a weight above 0.")],
        );
        check(|spec| spec.states = [0.0; STATE_COUNT], &[("/states", "At least one state needs a weight above 0.")]);
        check(
            |spec| spec.industries[2].risk = [0.0; 3],
            &[("/industries/Healthcare/risk", "The risk mix of Healthcare needs a weight above 0.")],
        );
    }

    #[test]
    fn shares_and_parameters_must_be_in_range() {
        check(
            |spec| {
                spec.time_zone_mismatch = 1.5;
                spec.stages[3].customer = -0.1;
                spec.stages[0].mean_days_in_stage = f64::INFINITY;
                spec.personas[4].engagement.a = 0.0;
            },
            &[
                (
                    "/personas/Founder/engagement/a",
                    "The engagement of Founder needs Beta parameters from 0.1 to 1000; a is 0.",
                ),
                (
                    "/stages/Lead/mean_days_in_stage",
                    "The average days in Lead must be from 0 to 3650 (10 years); it is inf.",
                ),
                (
                    "/stages/Opportunity/customer",
                    "The share of Opportunity contacts whose company is a customer must be from 0 to 1 (0% to 100%); it is -0.1.",
                ),
                (
                    "/time_zone_mismatch",
                    "The share of contacts whose time zone disagrees with their phone must be from 0 to 1 (0% to 100%); it is 1.5.",
                ),
            ],
        );
    }

    #[test]
    fn territories_and_owners_must_fit_together() {
        check(
            |spec| {
                spec.territories[0].states.push("TX".into());
                spec.territories[1].states.push("XX".into());
                spec.territories[2].name = "East".into();
            },
            &[
                (
                    "/territories/1/states/14",
                    "TX is already in the territory `East`; a state belongs to one territory.",
                ),
                ("/territories/1/states/16", "`XX` is not a US state code like FL or TX."),
                ("/territories/2/name", "Another territory is already called `East`."),
                ("/owners/2/territory", "`West` is not one of the cohort's territories (East, Central, East)."),
            ],
        );
        check(
            |spec| {
                spec.owners[1].id = spec.owners[0].id.clone();
                spec.owners[2].name = " ".into();
                spec.owners[2].territory = "North".into();
            },
            &[
                ("/owners/1/id", "Another owner already uses the id `ana`."),
                ("/owners/2/name", "This owner needs a name."),
                ("/owners/2/territory", "`North` is not one of the cohort's territories (East, Central, West)."),
            ],
        );
        check(|spec| spec.owners.clear(), &[("/owners", "A cohort needs at least one owner to assign contacts to.")]);
    }

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
