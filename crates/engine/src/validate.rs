//! The structural checks every journey must pass, reported all at once with
//! the place each problem sits, so a user can fix them in one go.

use std::collections::BTreeSet;
use std::fmt;

use crate::model::{Journey, MAX_STEP_DAY};

/// One thing wrong with a journey: where it is (a JSON-pointer-like path
/// such as `/steps/3/day`) and what is wrong, in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl Journey {
    /// Every structural problem in the journey; empty when it is valid.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut report = |path: String, message: String| problems.push(Problem { path, message });

        if self.name.trim().is_empty() {
            report("/name".into(), "The journey needs a name.".into());
        }

        let mut step_ids = BTreeSet::new();
        for (index, step) in self.steps.iter().enumerate() {
            if step.id.0.is_empty() {
                report(format!("/steps/{index}/id"), "This step has no id.".into());
            } else if !step_ids.insert(&step.id) {
                report(format!("/steps/{index}/id"), format!("Another step already uses the id `{}`.", step.id));
            }
            if step.name.trim().is_empty() {
                report(format!("/steps/{index}/name"), "This step needs a name.".into());
            }
            if step.day > MAX_STEP_DAY {
                report(
                    format!("/steps/{index}/day"),
                    format!("Day {} is outside the journey; steps go on days 0 to {MAX_STEP_DAY}.", step.day),
                );
            }
        }

        let mut touchpoint_ids = BTreeSet::new();
        for (index, touchpoint) in self.touchpoints.iter().enumerate() {
            if touchpoint.id.0.is_empty() {
                report(format!("/sms/{index}/id"), "This SMS touchpoint has no id.".into());
            } else if !touchpoint_ids.insert(&touchpoint.id) {
                report(
                    format!("/sms/{index}/id"),
                    format!("Another SMS touchpoint already uses the id `{}`.", touchpoint.id),
                );
            }
            if touchpoint.name.trim().is_empty() {
                report(format!("/sms/{index}/name"), "This SMS touchpoint needs a name.".into());
            }
            if self.step(&touchpoint.step).is_none() {
                report(
                    format!("/sms/{index}/step"),
                    format!("This SMS is attached to `{}`, which is not a step of this journey.", touchpoint.step),
                );
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{StepId, TouchpointId};
    use crate::samples;

    /// Breaks a valid journey in one way and checks the exact problems reported.
    fn check(break_it: impl FnOnce(&mut Journey), expected: &[(&str, &str)]) {
        let mut journey = samples::playbook();
        break_it(&mut journey);
        let found: Vec<(String, String)> =
            journey.problems().into_iter().map(|problem| (problem.path, problem.message)).collect();
        let expected: Vec<(String, String)> =
            expected.iter().map(|(path, message)| (path.to_string(), message.to_string())).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn the_sample_journeys_are_valid() {
        for (name, journey) in samples::all() {
            assert_eq!(journey.problems(), vec![], "sample `{name}` has problems");
        }
    }

    #[test]
    fn blank_journey_name() {
        check(|journey| journey.name = "  ".into(), &[("/name", "The journey needs a name.")]);
    }

    #[test]
    fn duplicate_step_id() {
        check(
            |journey| journey.steps[3].id = journey.steps[0].id.clone(),
            &[("/steps/3/id", "Another step already uses the id `welcome`.")],
        );
    }

    #[test]
    fn step_day_out_of_range() {
        check(
            |journey| journey.steps[1].day = 400,
            &[("/steps/1/day", "Day 400 is outside the journey; steps go on days 0 to 365.")],
        );
    }

    #[test]
    fn nameless_step_and_missing_id() {
        check(
            |journey| {
                journey.steps[3].name = String::new();
                journey.steps[6].id = StepId(String::new());
            },
            &[("/steps/3/name", "This step needs a name."), ("/steps/6/id", "This step has no id.")],
        );
    }

    #[test]
    fn touchpoint_attached_to_missing_step() {
        check(
            |journey| journey.touchpoints[0].step = StepId("gone".into()),
            &[("/sms/0/step", "This SMS is attached to `gone`, which is not a step of this journey.")],
        );
    }

    #[test]
    fn duplicate_touchpoint_id_and_blank_name() {
        check(
            |journey| {
                journey.touchpoints[1].id = journey.touchpoints[0].id.clone();
                journey.touchpoints[2].name = " ".into();
                journey.touchpoints[3].id = TouchpointId(String::new());
            },
            &[
                ("/sms/1/id", "Another SMS touchpoint already uses the id `sms-webinar-confirm`."),
                ("/sms/2/name", "This SMS touchpoint needs a name."),
                ("/sms/3/id", "This SMS touchpoint has no id."),
            ],
        );
    }
}
