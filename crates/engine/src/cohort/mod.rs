//! Synthetic cohorts: the contacts a journey is simulated on, drawn from
//! distributions a user chooses ([`CohortSpec`]) so that a forecast can be
//! made before anything is sent.
//!
//! A spec is checked first ([`CohortSpec::problems`]), then prepared
//! ([`Synthesizer`]) and drawn, whole or in chunks, into a [`Cohort`] held
//! column by column. Every value is a keyed random draw, so the same spec
//! always gives the same contacts, natively or in WebAssembly, in one run
//! or in chunks. A contact's state comes from a real area code
//! ([`area_code`]), and so does its home zone (for a code spanning two, drawn
//! by where the code's people live); its profile time zone usually matches and sometimes, as
//! in real databases, does not.
//!
//! ```
//! use tandem_engine::cohort::{Cohort, CohortSpec};
//! use tandem_engine::rules::Attribute;
//! use tandem_engine::places::US_STATES;
//!
//! let spec = CohortSpec { size: 1_000, ..CohortSpec::default() };
//! let cohort = Cohort::generate(&spec).unwrap();
//! assert_eq!(cohort.len(), 1_000);
//! let contact = cohort.contact(0).unwrap();
//! assert_eq!(contact.state, US_STATES[cohort.code(0, Attribute::State) as usize]);
//!
//! let too_big = CohortSpec { size: 2_000_000, ..CohortSpec::default() };
//! assert_eq!(Cohort::generate(&too_big).unwrap_err()[0].path, "/size");
//! ```

mod columns;
mod geography;
mod spec;
mod synthesis;

pub use columns::{Cohort, ContactView, Phone};
pub use geography::{AreaCode, Region, area_code, area_codes};
pub use spec::{
    AccountOwner, BETA_PARAMETER_RANGE, Beta, CONSENTS, CohortSpec, INDUSTRIES, INDUSTRY_RISKS, IndustryMix,
    MAX_COHORT_SIZE, MAX_MEAN_DAYS_IN_STAGE, MAX_OWNERS, MAX_SHARDED_COHORT_SIZE, MAX_WEIGHT, PERSONAS, PersonaMix,
    STAGES, StageMix, Territory,
};
pub use synthesis::Synthesizer;
