//! The `tandem.partial/v1` document: one shard's counts ([`Partial`]) with
//! everything that identifies its run and all it takes to finish it, the
//! journey and the cohort documents themselves (seed and start included),
//! so `tandem-cli merge` needs no other input and can tell parts of
//! different runs apart by comparing them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::document::ImportProblem;
use super::reader::Reader;
use crate::model::Journey;
use crate::simulate::{Partial, Scenario, Shard};

/// The format marker every partial result carries.
pub const PARTIAL_FORMAT_V1: &str = "tandem.partial/v1";

/// One shard's share of a run, read back.
#[derive(Clone, Debug, PartialEq)]
pub struct PartialRun {
    pub journey: Journey,
    pub scenario: Scenario,
    pub shard: Shard,
    pub partial: Partial,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WirePartial {
    format: String,
    shard: Shard,
    /// The `tandem.journey/v1` document.
    journey: Value,
    /// The `tandem.cohort/v1` document of the run (its size may exceed a
    /// cohort file's, up to the sharded limit).
    cohort: Value,
    counts: Partial,
}

/// A shard's partial result as one line of JSON.
pub fn export_partial(journey: &Journey, scenario: &Scenario, shard: Shard, partial: &Partial) -> String {
    let document = |text: String| serde_json::from_str(&text).expect("exports are JSON");
    let wire = WirePartial {
        format: PARTIAL_FORMAT_V1.into(),
        shard,
        journey: document(super::export(journey)),
        cohort: document(super::export_cohort(scenario)),
        counts: partial.clone(),
    };
    let mut text = serde_json::to_string(&wire).expect("wire types always serialise");
    text.push('\n');
    text
}

/// Reads a partial result; the journey and cohort inside are read as their
/// own files are, with their problems under `/journey` and `/cohort`.
pub fn import_partial(text: &str) -> Result<PartialRun, Vec<ImportProblem>> {
    let whole = |message: String| vec![ImportProblem { path: String::new(), message, rule_span: None }];
    let marker: Value = serde_json::from_str(text)
        .map_err(|error| whole(format!("This is not a partial result ({PARTIAL_FORMAT_V1}): {error}.")))?;
    if marker.get("format").and_then(Value::as_str) != Some(PARTIAL_FORMAT_V1) {
        return Err(whole(format!(
            "This file is not a partial result; those say \"format\": \"{PARTIAL_FORMAT_V1}\"."
        )));
    }
    let wire: WirePartial =
        serde_json::from_value(marker).map_err(|error| whole(format!("This partial result is damaged: {error}.")))?;
    let within = |prefix: &str, problems: Vec<ImportProblem>| -> Vec<ImportProblem> {
        problems
            .into_iter()
            .map(|problem| ImportProblem { path: format!("{prefix}{}", problem.path), ..problem })
            .collect()
    };
    let journey = super::import(&wire.journey.to_string()).map_err(|problems| within("/journey", problems));
    let mut reader = Reader { problems: Vec::new() };
    let scenario = reader.scenario(&wire.cohort);
    let scenario = match scenario {
        Some(scenario) if reader.problems.is_empty() => Ok(scenario),
        _ => Err(within("/cohort", reader.problems)),
    };
    match (journey, scenario) {
        (Ok(journey), Ok(scenario)) => Ok(PartialRun { journey, scenario, shard: wire.shard, partial: wire.counts }),
        (journey, scenario) => {
            Err(journey.err().into_iter().flatten().chain(scenario.err().into_iter().flatten()).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;
    use crate::simulate::Simulation;

    #[test]
    fn a_partial_reads_back_as_written() {
        let journey = samples::playbook();
        let mut scenario = Scenario::default();
        scenario.cohort.size = 3_000_000;
        let simulation =
            Simulation::up_to(&journey, &scenario.cohort, &scenario.settings, crate::cohort::MAX_SHARDED_COHORT_SIZE)
                .unwrap();
        let shard = Shard { index: 2, count: 5 };
        let partial = simulation.run_chunk(0..200);
        let read = import_partial(&export_partial(&journey, &scenario, shard, &partial)).unwrap();
        assert_eq!((read.journey, read.scenario, read.shard), (journey, scenario, shard));
        // The contact being counted is not written; the counts are.
        assert_eq!(serde_json::to_value(read.partial).unwrap(), serde_json::to_value(partial).unwrap());
        let problems = import_partial("{\"format\": \"tandem.journey/v1\"}").unwrap_err();
        assert!(problems[0].message.contains("not a partial result"), "{problems:?}");
    }
}
