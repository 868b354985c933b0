//! The one way a journey changes. Every user action is an [`Edit`]; applying
//! it validates it first and returns the edit that undoes it, which is what
//! undo/redo, the UI and the tests all build on.

use std::fmt;

use crate::model::{Journey, StepId, MAX_STEP_DAY};

/// A single change a user can make to a journey.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    RenameJourney { name: String },
    MoveStep { step: StepId, day: u16 },
}

/// Why an edit was refused; the journey is unchanged when this is returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    EmptyName,
    UnknownStep(StepId),
    DayOutOfRange { day: u16 },
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::EmptyName => f.write_str("A journey needs a name."),
            EditError::UnknownStep(step) => write!(f, "There is no step `{step}` in this journey."),
            EditError::DayOutOfRange { day } => {
                write!(f, "Day {day} is outside the journey; steps go on days 0 to {MAX_STEP_DAY}.")
            }
        }
    }
}

impl std::error::Error for EditError {}

impl Journey {
    /// Applies `edit` if it is valid and returns its inverse.
    pub fn apply(&mut self, edit: Edit) -> Result<Edit, EditError> {
        match edit {
            Edit::RenameJourney { name } => {
                let name = name.trim().to_owned();
                if name.is_empty() {
                    return Err(EditError::EmptyName);
                }
                let previous = std::mem::replace(&mut self.name, name);
                Ok(Edit::RenameJourney { name: previous })
            }
            Edit::MoveStep { step, day } => {
                if day > MAX_STEP_DAY {
                    return Err(EditError::DayOutOfRange { day });
                }
                let target = self
                    .steps
                    .iter_mut()
                    .find(|candidate| candidate.id == step)
                    .ok_or_else(|| EditError::UnknownStep(step.clone()))?;
                let previous = std::mem::replace(&mut target.day, day);
                Ok(Edit::MoveStep { step, day: previous })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;

    #[test]
    fn every_edit_is_undone_by_its_inverse() {
        let original = samples::playbook();
        let edits = [
            Edit::RenameJourney { name: "Q3 webinar nurture".into() },
            Edit::MoveStep { step: StepId("pricing-guide".into()), day: 30 },
        ];
        for edit in edits {
            let mut journey = original.clone();
            let inverse = journey.apply(edit.clone()).expect("edit is valid");
            assert_ne!(journey, original, "{edit:?} changed nothing");
            journey.apply(inverse).expect("inverse is valid");
            assert_eq!(journey, original, "inverse of {edit:?} did not restore the journey");
        }
    }

    #[test]
    fn invalid_edits_are_refused_and_change_nothing() {
        let original = samples::playbook();
        let cases = [
            (Edit::RenameJourney { name: "   ".into() }, EditError::EmptyName),
            (
                Edit::MoveStep { step: StepId("nope".into()), day: 3 },
                EditError::UnknownStep(StepId("nope".into())),
            ),
            (
                Edit::MoveStep { step: StepId("welcome".into()), day: MAX_STEP_DAY + 1 },
                EditError::DayOutOfRange { day: MAX_STEP_DAY + 1 },
            ),
        ];
        for (edit, expected) in cases {
            let mut journey = original.clone();
            assert_eq!(journey.apply(edit), Err(expected));
            assert_eq!(journey, original);
        }
    }

    #[test]
    fn renaming_trims_surrounding_space() {
        let mut journey = samples::playbook();
        journey.apply(Edit::RenameJourney { name: "  Spring launch ".into() }).unwrap();
        assert_eq!(journey.name, "Spring launch");
    }
}
