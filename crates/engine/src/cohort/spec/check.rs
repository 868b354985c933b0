//! Checking a [`CohortSpec`]: every number a user typed that is out of
//! range, every name that clashes, each at the path of its field in a
//! `tandem.cohort/v1` document and in plain words, all at once.

use std::collections::BTreeMap;

use super::*;
use crate::simulate::figures::grouped;
use crate::validate::Problem;

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
}
