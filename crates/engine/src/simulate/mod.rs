//! The simulator: what a whole cohort would receive from a journey, before
//! anything is sent. It is Tandem's reason to exist, and pure: no I/O, no
//! clock, no platform maths, so the app's web worker, the command line and
//! the tests all get the same numbers.
//!
//! A [`Simulation`] checks and compiles the journey once ([`CompiledRun`],
//! which serialises, so it can be built where the journey is edited), adds
//! its clocks ([`plan`]), then runs contacts in chunks: each chunk draws
//! its contacts ([`crate::cohort`]), lives each one through the horizon
//! minute by minute ([`contact`]) and counts what happened ([`tally`]).
//! Chunks add up to exactly the result of one run; [`Simulation::finish`]
//! then answers the replies across contacts ([`owners`]) into a
//! [`SimulationResult`]. Any one contact's full story is
//! [`Simulation::timeline`], re-run on demand and told in words
//! ([`timeline`]).
//!
//! What happens to a contact is said in one vocabulary ([`happening`]):
//! the contact's run reports each [`Happening`] to an [`Observer`], and the
//! tally and the timeline are two observers of that one loop. Every random
//! choice is keyed by a number from [`crate::random::decisions`].
//!
//! ```
//! use tandem_engine::cohort::CohortSpec;
//! use tandem_engine::samples;
//! use tandem_engine::simulate::{Simulation, SimulationSettings};
//!
//! let spec = CohortSpec { size: 500, ..CohortSpec::default() };
//! let simulation = Simulation::new(&samples::playbook(), &spec, &SimulationSettings::default()).unwrap();
//! let result = simulation.run();
//! assert_eq!(result.contacts, 500);
//! assert!(result.totals.emails_sent > 0);
//! let first = simulation.timeline(0).unwrap();
//! assert!(first.entries.iter().any(|entry| entry.what.starts_with("Email sent")));
//! ```

mod contact;
pub mod figures;
mod happening;
mod owners;
mod plan;
mod result;
mod scenario;
mod sends;
mod settings;
mod shard;
mod tally;
mod timeline;

use std::ops::Range;

use crate::cohort::{Cohort, CohortSpec, Synthesizer};
use crate::model::Journey;
use crate::validate::Problem;

pub use happening::{
    Block, COLLISION_HOURS, CollisionKind, ContactStart, Happening, MAX_DEFERRAL_HOURS, Message,
    OPT_OUT_CONFIRMATION_MINUTES, ORGANIC, Observer, Resolution, STOP_KEYWORDS,
};
pub use plan::CompiledRun;
pub use result::{
    CollisionExample, CollisionSummary, ContactExamples, DaySends, EXAMPLES_KEPT, Outcomes, OwnerLoad, ReasonCount,
    SimulationResult, SlaAttainment, StepFunnel, Totals, TouchpointFunnel, share,
};
pub use scenario::Scenario;
pub use sends::{SendLog, SendRecord};
pub use settings::{EngagementModel, FatigueModel, MAX_HORIZON_DAYS, ReplyModel, SimulationSettings};
pub use shard::Shard;
pub use tally::Partial;
pub use timeline::{ContactTimeline, TimelineEntry};

use contact::Runner;
use plan::Plan;

/// Contacts per chunk when the caller does not choose: small enough to
/// report progress often, large enough that chunking costs nothing.
pub const DEFAULT_CHUNK: usize = 50_000;

/// The run pinned by the golden tests, natively and in WebAssembly: the
/// playbook sample, 2,000 contacts of the default cohort with seed 7, and
/// the default settings.
pub fn golden() -> Simulation {
    let spec = CohortSpec { size: 2_000, seed: 7, ..CohortSpec::default() };
    Simulation::new(&crate::samples::playbook(), &spec, &SimulationSettings::default()).expect("the sample runs")
}

/// How far a run has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

/// A journey, a cohort and settings, checked and compiled, ready to run.
#[derive(Clone, Debug)]
pub struct Simulation {
    plan: Plan,
    synthesizer: Synthesizer,
}

impl Simulation {
    /// Prepares a run, or lists everything that stops it: journey problems
    /// at their paths, rule problems with their characters, cohort problems
    /// under `/cohort` and setting problems under `/cohort/settings`, as in
    /// a `tandem.cohort/v1` document. [`CompiledRun::new`] then
    /// [`Simulation::from_compiled`].
    pub fn new(
        journey: &Journey,
        spec: &CohortSpec,
        settings: &SimulationSettings,
    ) -> Result<Simulation, Vec<Problem>> {
        CompiledRun::new(journey, spec, settings).map(Simulation::from_compiled)
    }

    /// [`Simulation::new`], with cohorts of up to `max_size` contacts allowed:
    /// [`crate::cohort::MAX_SHARDED_COHORT_SIZE`] for a run split into shards, each of which
    /// simulates a range of at most [`crate::cohort::MAX_COHORT_SIZE`].
    pub fn up_to(
        journey: &Journey,
        spec: &CohortSpec,
        settings: &SimulationSettings,
        max_size: u32,
    ) -> Result<Simulation, Vec<Problem>> {
        CompiledRun::up_to(journey, spec, settings, max_size).map(Simulation::from_compiled)
    }

    /// The simulation of a run checked and compiled (perhaps elsewhere, and
    /// sent here): its clocks, holidays and contact synthesis, with nothing
    /// read or checked again.
    pub fn from_compiled(run: CompiledRun) -> Simulation {
        let synthesizer = Synthesizer::checked(&run.spec);
        Simulation { plan: Plan::new(run), synthesizer }
    }

    /// How many contacts a whole run covers.
    pub fn size(&self) -> usize {
        self.synthesizer.size()
    }

    /// An empty tally to merge chunks into.
    pub fn empty(&self) -> Partial {
        Partial::new(&self.plan)
    }

    /// Runs contacts `range` (cut to the cohort) and counts what happened to them.
    pub fn run_chunk(&self, range: Range<usize>) -> Partial {
        let mut partial = Partial::new(&self.plan);
        self.run_with(range, &mut partial);
        partial
    }

    /// Runs contacts `range` (cut to the cohort), showing `observer` every
    /// happening; returns the contacts, for observers that need their facts.
    pub fn run_with<O: Observer>(&self, range: Range<usize>, observer: &mut O) -> Cohort {
        let cohort = self.synthesizer.generate(range);
        let mut runner = Runner::new(&self.plan, self.plan.run.spec.seed);
        for index in 0..cohort.len() {
            runner.run(&cohort, index, observer);
        }
        cohort
    }

    /// The result of a run whose chunks were merged into `partial`.
    pub fn finish(&self, partial: Partial) -> SimulationResult {
        partial.finish(&self.plan)
    }

    /// Runs every contact in chunks of `chunk`, calling `progress` after each;
    /// when it returns false the run stops and gives `None`.
    pub fn run_in_chunks(&self, chunk: usize, mut progress: impl FnMut(Progress) -> bool) -> Option<SimulationResult> {
        let total = self.size();
        let chunk = chunk.max(1);
        let mut tally = self.empty();
        let mut done = 0;
        while done < total {
            let end = (done + chunk).min(total);
            tally.merge(self.run_chunk(done..end));
            done = end;
            if !progress(Progress { done, total }) {
                return None;
            }
        }
        Some(self.finish(tally))
    }

    /// Runs every contact.
    pub fn run(&self) -> SimulationResult {
        self.run_in_chunks(DEFAULT_CHUNK, |_| true).expect("never cancelled")
    }
}
