//! Tandem's domain, kept apart from any UI or browser so that it can be
//! tested natively and quickly, and run unchanged inside WebAssembly.
//!
//! It holds the journey model ([`model`]) and what a new journey starts with
//! ([`defaults`]), the single path by which a journey changes ([`edit`]),
//! the checks a journey must pass and their limits ([`validate`]), the US
//! states and time zones Tandem knows ([`places`]), the file formats for
//! journeys and cohorts ([`format`]), the rule language ([`rules`]) and
//! every rule of a journey in its own terms ([`journey_rules`]), times of
//! day ([`clock`]) and local time in each zone ([`local_time`]), SMS send
//! windows ([`send_window`]) and rolling caps ([`caps`]), keyed randomness
//! with its registry of decisions ([`random`]), synthetic cohorts
//! ([`cohort`]), the simulator with its scenario, results and figures
//! ([`simulate`]), the playbook's maturity scoring ([`maturity`]), SMS
//! segment counting ([`sms_text`]), the built-in sample journeys
//! ([`samples`]) and the exports for execution systems ([`export`]).

pub mod caps;
pub mod clock;
pub mod cohort;
pub mod decimal;
pub mod defaults;
pub mod edit;
pub mod export;
pub mod format;
pub mod journey_rules;
pub mod legal;
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
mod table;
pub mod validate;

pub use edit::{Edit, EditError};
pub use model::*;
pub use validate::Problem;
