//! Every rule a journey holds, found and checked in the journey's own terms
//! (its definition of `high_intent`). Import uses this to refuse documents
//! with broken rules; the editor and the simulator use it to say what blocks
//! a run. Each rule is named by its JSON path in the exported document.

use crate::model::Journey;
use crate::rules::{self, Definitions, Diagnostic, HIGH_INTENT};

/// A problem inside one of a journey's rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleProblem {
    /// Where the rule sits, e.g. `/sms/2/trigger`.
    pub path: String,
    pub diagnostic: Diagnostic,
}

impl Journey {
    /// The named definitions rules in this journey may use.
    pub fn definitions(&self) -> Definitions {
        let mut definitions = Definitions::empty();
        definitions.insert(HIGH_INTENT, self.high_intent.clone());
        definitions
    }

    /// Every rule text in the journey with its path, in document order.
    pub fn rules(&self) -> Vec<(String, &str)> {
        let mut rules = vec![("/high_intent".to_owned(), self.high_intent.as_str())];
        for (index, touchpoint) in self.touchpoints.iter().enumerate() {
            rules.push((format!("/sms/{index}/trigger"), touchpoint.trigger.as_str()));
            rules.push((format!("/sms/{index}/eligibility"), touchpoint.eligibility.as_str()));
        }
        rules.push(("/policies/suppression".to_owned(), self.policies.suppression.as_str()));
        rules
    }

    /// Every diagnostic of every rule; empty when all rules are sound.
    pub fn rule_problems(&self) -> Vec<RuleProblem> {
        let definitions = self.definitions();
        self.rules()
            .into_iter()
            .flat_map(|(path, text)| {
                rules::check(text, &definitions)
                    .diagnostics
                    .into_iter()
                    .map(move |diagnostic| RuleProblem { path: path.clone(), diagnostic })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::samples;

    #[test]
    fn the_samples_rules_are_sound() {
        for (name, journey) in samples::all() {
            assert_eq!(journey.rule_problems(), vec![], "sample `{name}`");
        }
    }

    #[test]
    fn broken_rules_are_found_with_their_paths_and_spans() {
        let mut journey = samples::playbook();
        journey.touchpoints[2].eligibility = r#"stage == "MQLL""#.into();
        journey.high_intent = "high_intent or meeting_intent".into();
        let found: Vec<(String, std::ops::Range<usize>)> = journey
            .rule_problems()
            .into_iter()
            .map(|problem| (problem.path, problem.diagnostic.span.range()))
            .collect();
        assert_eq!(found.iter().filter(|(path, _)| path == "/sms/2/eligibility").count(), 1, "{found:?}");
        assert_eq!(found.iter().find(|(path, _)| path == "/sms/2/eligibility").unwrap().1, 9..15);
        assert!(
            found.iter().any(|(path, _)| path == "/high_intent"),
            "a definition using itself is reported: {found:?}"
        );
    }
}
