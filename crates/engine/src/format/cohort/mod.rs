//! The `tandem.cohort/v1` document: a [`Scenario`] (the synthetic cohort and
//! the simulation settings) as a file, so that a forecast made in the app
//! can be reproduced anywhere with the journey, this file and the seed.
//! Lists indexed by a choice (personas, stages, industries, risk levels,
//! consent values, states, SMS moments) are objects keyed by the choice's
//! name, so a file reads on its own and its problems' paths name what is
//! wrong (`/personas/RevOps/weight`). Reading follows the journey format's
//! discipline: bounded size and depth, every problem with its JSON path.
//!
//! `wire.rs` holds the document's types (from which the schema is
//! generated) and `read.rs` walks a parsed document back into a scenario.

mod read;
mod wire;

pub use read::iso_date;

use super::document::{DocumentKind, ImportProblem, parse_document};
use super::reader::Reader;
use crate::simulate::Scenario;
use wire::WireCohort;

/// The format marker every cohort document carries.
pub const COHORT_FORMAT_V1: &str = "tandem.cohort/v1";

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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use serde_json::Value;

    use super::*;
    use crate::cohort::{CONSENTS, INDUSTRIES, INDUSTRY_RISKS, PERSONAS, STAGES};
    use crate::places::US_STATES;

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
