//! The versioned JSON file formats: `tandem.journey/v1`, what Tandem exports
//! for execution systems and reads back, and `tandem.cohort/v1`, the cohort
//! and settings that reproduce a forecast ([`export_cohort`]), and
//! `tandem.partial/v1`, one shard's share of a run ([`export_partial`]). Serialisation lives here at the
//! edge of the engine; the domain types in [`crate::model`] know nothing of
//! JSON (those a compiled run holds derive serde only so that the app can
//! send one to its workers in postcard, see [`crate::simulate::CompiledRun`]).
//! See `docs/format.md` for the format itself.

mod cohort;
mod document;
mod import;
mod link;
mod partial;
mod reader;
mod wire;

pub use cohort::{COHORT_FORMAT_V1, cohort_schema, export_cohort, import_cohort, iso_date};
pub use document::{DocumentKind, ImportProblem, MAX_DEPTH, MAX_DOCUMENT_BYTES, utf8};
pub use link::{MAX_LINK_CHARS, from_link, to_link};
pub use partial::{PARTIAL_FORMAT_V1, PartialRun, export_partial, import_partial};
pub use wire::{FORMAT_V1, WireEnum, from_wire_name, wire_name};

use crate::model::Journey;

/// The journey as a v1 document: pretty-printed with a stable key order, so
/// the same journey always gives the same bytes.
pub fn export(journey: &Journey) -> String {
    let mut text =
        serde_json::to_string_pretty(&wire::WireJourney::from(journey)).expect("wire types always serialise");
    text.push('\n');
    text
}

/// Reads a v1 document into a journey, or lists every problem found, each
/// with its JSON path; problems inside rules also carry their span.
pub fn import(text: &str) -> Result<Journey, Vec<ImportProblem>> {
    let document = document::parse_document(text, DocumentKind::JOURNEY).map_err(|problem| vec![problem])?;
    let journey = import::read_journey(&document)?;
    let problems = journey_problems(&journey);
    if problems.is_empty() { Ok(journey) } else { Err(problems) }
}

/// Every problem of a journey in memory, as [`import`] lists a document's:
/// structural ones at their JSON paths, then those inside rules with their
/// span. (The app's forecast says them in these words too.)
pub fn journey_problems(journey: &Journey) -> Vec<ImportProblem> {
    let structural = journey.problems().into_iter().map(|problem| ImportProblem {
        path: problem.path,
        message: problem.message,
        rule_span: None,
    });
    let in_rules = journey.rule_problems().into_iter().map(|problem| {
        let span = problem.diagnostic.span.range();
        ImportProblem {
            path: problem.path,
            message: problem.diagnostic.message,
            rule_span: Some((span.start, span.end)),
        }
    });
    structural.chain(in_rules).collect()
}

/// The JSON Schema of v1 documents, generated from the wire types.
pub fn schema() -> String {
    let schema = schemars::schema_for!(wire::WireJourney);
    let mut text = serde_json::to_string_pretty(&schema).expect("schemas always serialise");
    text.push('\n');
    text
}
