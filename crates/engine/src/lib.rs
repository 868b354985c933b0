//! Tandem's domain, kept apart from any UI or browser so that it can be
//! tested natively and quickly, and run unchanged inside WebAssembly.
//!
//! It holds the journey model ([`model`]) and what a new journey starts with
//! ([`defaults`]), the single path by which a journey changes ([`edit`]),
//! the checks a journey must pass ([`validate`]), the rule language
//! ([`rules`]), the built-in sample journeys ([`samples`]) and the exports
//! for execution systems ([`export`]).

pub mod caps;
pub mod clock;
pub mod cohort;
pub mod defaults;
pub mod edit;
pub mod export;
pub mod format;
pub mod journey_rules;
pub mod local_time;
pub mod maturity;
pub mod model;
pub mod places;
pub mod random;
pub mod rules;
pub mod samples;
pub mod send_window;
pub mod simulate;
pub mod sms_text;
pub mod validate;

pub use edit::{Edit, EditError};
pub use model::*;
pub use validate::Problem;
