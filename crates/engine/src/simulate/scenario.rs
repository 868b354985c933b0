//! Everything a run assumes besides the journey: the synthetic cohort and
//! the behaviour models. It is what the app's Cohort tab edits, what a
//! `tandem.cohort/v1` file holds ([`crate::format::export_cohort`]), and,
//! with a journey, all it takes to reproduce a forecast exactly.

use crate::cohort::CohortSpec;
use crate::validate::Problem;

use super::SimulationSettings;

/// A cohort and the settings it is simulated under.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scenario {
    pub cohort: CohortSpec,
    pub settings: SimulationSettings,
}

impl Scenario {
    /// Every problem, each at its path in a `tandem.cohort/v1` document:
    /// the cohort's at the top level, the settings' under `/settings`.
    pub fn problems(&self) -> Vec<Problem> {
        let settings = self
            .settings
            .problems()
            .into_iter()
            .map(|problem| Problem { path: format!("/settings{}", problem.path), ..problem });
        self.cohort.problems().into_iter().chain(settings).collect()
    }
}
