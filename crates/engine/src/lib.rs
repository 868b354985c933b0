//! Tandem's domain, kept apart from any UI or browser so that it can be
//! tested natively and quickly, and run unchanged inside WebAssembly.
//!
//! Today it holds the journey model ([`model`]), the single path by which a
//! journey changes ([`edit`]), the checks a journey must pass
//! ([`validate`]) and the built-in sample journeys ([`samples`]).

pub mod edit;
pub mod model;
pub mod samples;
pub mod validate;

pub use edit::{Edit, EditError};
pub use model::{
    Journey, Moment, Narrative, NurtureStep, SmsTouchpoint, Stage, StepId, TouchpointId,
    MAX_STEP_DAY,
};
pub use validate::Problem;
