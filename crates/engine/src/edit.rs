//! The one way a journey changes. Every user action is an [`Edit`];
//! applying it checks the result against [`Journey::problems`] (a refused
//! edit leaves the journey exactly as it was) and returns the edit that
//! undoes it, which is what undo/redo, the UI and the tests all build on.

use std::fmt;

use crate::model::{Journey, Measurement, NurtureStep, Policies, Routing, SmsTouchpoint, StepId, TouchpointId};
use crate::validate::Problem;

/// A single change a user can make to a journey.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    RenameJourney {
        name: String,
    },
    SetEmailSendMinute {
        minute: u16,
    },
    SetHighIntent {
        definition: String,
    },
    /// Inserts a step at `index` in the step list, with SMS touchpoints
    /// attached to it at their indexes (empty for a new step; filled when
    /// undoing a removal).
    AddStep {
        index: usize,
        step: NurtureStep,
        touchpoints: Vec<(usize, SmsTouchpoint)>,
    },
    /// Removes a step and the SMS touchpoints attached to it.
    RemoveStep {
        step: StepId,
    },
    MoveStep {
        step: StepId,
        day: u16,
    },
    /// Replaces the step with the same id (name, day, narrative, goal).
    UpdateStep {
        step: NurtureStep,
    },
    AddTouchpoint {
        index: usize,
        touchpoint: SmsTouchpoint,
    },
    RemoveTouchpoint {
        touchpoint: TouchpointId,
    },
    /// Replaces the touchpoint with the same id (including which step it is attached to).
    UpdateTouchpoint {
        touchpoint: SmsTouchpoint,
    },
    SetPolicies {
        policies: Policies,
    },
    SetRouting {
        routing: Routing,
    },
    SetMeasurement {
        measurement: Measurement,
    },
    /// Replaces the whole journey with another version of it, e.g. a state
    /// of the undo history restored after a reload.
    ReplaceJourney {
        journey: Box<Journey>,
    },
}

/// Why an edit was refused; the journey is unchanged when this is returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    UnknownStep(StepId),
    UnknownTouchpoint(TouchpointId),
    /// An insertion index past the end of its list.
    NoSuchPosition {
        index: usize,
        len: usize,
    },
    /// The edit would leave the journey with these problems.
    Invalid(Vec<Problem>),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::UnknownStep(step) => write!(f, "There is no step `{step}` in this journey."),
            EditError::UnknownTouchpoint(touchpoint) => {
                write!(f, "There is no SMS touchpoint `{touchpoint}` in this journey.")
            }
            EditError::NoSuchPosition { index, len } => {
                write!(f, "Position {index} is past the end of a list of {len}.")
            }
            EditError::Invalid(problems) => {
                let messages: Vec<&str> = problems.iter().map(|problem| problem.message.as_str()).collect();
                f.write_str(&messages.join(" "))
            }
        }
    }
}

impl std::error::Error for EditError {}

impl Journey {
    /// Applies `edit` if the journey stays valid and returns its inverse.
    ///
    /// The edit is tried on a copy, so a refused edit cannot disturb the
    /// journey even when the attempted state is ambiguous (say, two steps
    /// sharing an id). Journeys are small, so the copy is cheap.
    pub fn apply(&mut self, edit: Edit) -> Result<Edit, EditError> {
        let mut edited = self.clone();
        let inverse = edited.apply_unchecked(edit)?;
        let problems = edited.problems();
        if !problems.is_empty() {
            return Err(EditError::Invalid(problems));
        }
        *self = edited;
        Ok(inverse)
    }

    /// Makes the change, refusing only edits that name something absent.
    fn apply_unchecked(&mut self, edit: Edit) -> Result<Edit, EditError> {
        Ok(match edit {
            Edit::RenameJourney { name } => {
                let previous = std::mem::replace(&mut self.name, name.trim().to_owned());
                Edit::RenameJourney { name: previous }
            }
            Edit::SetEmailSendMinute { minute } => {
                Edit::SetEmailSendMinute { minute: std::mem::replace(&mut self.email_send_minute, minute) }
            }
            Edit::SetHighIntent { definition } => {
                Edit::SetHighIntent { definition: std::mem::replace(&mut self.high_intent, definition) }
            }
            Edit::AddStep { index, step, touchpoints } => {
                check_position(index, self.steps.len())?;
                for (position, _) in &touchpoints {
                    check_position(*position, self.touchpoints.len() + touchpoints.len() - 1)?;
                }
                let id = step.id.clone();
                self.steps.insert(index, step);
                for (position, touchpoint) in touchpoints {
                    self.touchpoints.insert(position, touchpoint);
                }
                Edit::RemoveStep { step: id }
            }
            Edit::RemoveStep { step } => {
                let index = self.step_index(&step)?;
                let removed = self.steps.remove(index);
                let mut touchpoints = Vec::new();
                let mut position = 0;
                self.touchpoints.retain(|touchpoint| {
                    let keep = touchpoint.step != step;
                    if !keep {
                        touchpoints.push((position, touchpoint.clone()));
                    }
                    position += 1;
                    keep
                });
                Edit::AddStep { index, step: removed, touchpoints }
            }
            Edit::MoveStep { step, day } => {
                let index = self.step_index(&step)?;
                let previous = std::mem::replace(&mut self.steps[index].day, day);
                Edit::MoveStep { step, day: previous }
            }
            Edit::UpdateStep { step } => {
                let index = self.step_index(&step.id)?;
                Edit::UpdateStep { step: std::mem::replace(&mut self.steps[index], step) }
            }
            Edit::AddTouchpoint { index, touchpoint } => {
                check_position(index, self.touchpoints.len())?;
                let id = touchpoint.id.clone();
                self.touchpoints.insert(index, touchpoint);
                Edit::RemoveTouchpoint { touchpoint: id }
            }
            Edit::RemoveTouchpoint { touchpoint } => {
                let index = self.touchpoint_index(&touchpoint)?;
                Edit::AddTouchpoint { index, touchpoint: self.touchpoints.remove(index) }
            }
            Edit::UpdateTouchpoint { touchpoint } => {
                let index = self.touchpoint_index(&touchpoint.id)?;
                Edit::UpdateTouchpoint { touchpoint: std::mem::replace(&mut self.touchpoints[index], touchpoint) }
            }
            Edit::SetPolicies { policies } => {
                Edit::SetPolicies { policies: std::mem::replace(&mut self.policies, policies) }
            }
            Edit::SetRouting { routing } => Edit::SetRouting { routing: std::mem::replace(&mut self.routing, routing) },
            Edit::SetMeasurement { measurement } => {
                Edit::SetMeasurement { measurement: std::mem::replace(&mut self.measurement, measurement) }
            }
            Edit::ReplaceJourney { journey } => {
                Edit::ReplaceJourney { journey: Box::new(std::mem::replace(self, *journey)) }
            }
        })
    }

    fn step_index(&self, id: &StepId) -> Result<usize, EditError> {
        self.steps.iter().position(|step| &step.id == id).ok_or_else(|| EditError::UnknownStep(id.clone()))
    }

    fn touchpoint_index(&self, id: &TouchpointId) -> Result<usize, EditError> {
        self.touchpoints
            .iter()
            .position(|touchpoint| &touchpoint.id == id)
            .ok_or_else(|| EditError::UnknownTouchpoint(id.clone()))
    }
}

fn check_position(index: usize, len: usize) -> Result<(), EditError> {
    if index <= len { Ok(()) } else { Err(EditError::NoSuchPosition { index, len }) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CapChannel, FrequencyCap, Jurisdiction, TimeWindow};
    use crate::samples;

    fn pricing() -> StepId {
        StepId("pricing-guide".into())
    }

    /// One valid edit of every kind, applied to the playbook sample.
    fn one_of_each() -> Vec<Edit> {
        let journey = samples::playbook();
        let mut new_step = journey.steps[0].clone();
        new_step.id = StepId("extra".into());
        new_step.day = 70;
        let mut renamed_step = journey.steps[1].clone();
        renamed_step.name = "Case study, shorter".into();
        let mut moved_sms = journey.touchpoints[0].clone();
        moved_sms.step = pricing();
        let mut new_sms = journey.touchpoints[1].clone();
        new_sms.id = TouchpointId("sms-extra".into());
        let mut policies = journey.policies.clone();
        policies.caps.push(FrequencyCap { channel: CapChannel::Email, max_messages: 2, window_hours: 24 });
        let mut routing = journey.routing.clone();
        routing.sla_minutes_other = 240;
        let mut measurement = journey.measurement.clone();
        measurement.dimensions.pop();
        vec![
            Edit::RenameJourney { name: "Q3 webinar nurture".into() },
            Edit::SetEmailSendMinute { minute: 9 * 60 + 30 },
            Edit::SetHighIntent { definition: "meeting_intent".into() },
            Edit::AddStep { index: 3, step: new_step, touchpoints: vec![] },
            Edit::RemoveStep { step: pricing() },
            Edit::MoveStep { step: pricing(), day: 30 },
            Edit::UpdateStep { step: renamed_step },
            Edit::AddTouchpoint { index: 0, touchpoint: new_sms },
            Edit::RemoveTouchpoint { touchpoint: journey.touchpoints[2].id.clone() },
            Edit::UpdateTouchpoint { touchpoint: moved_sms },
            Edit::SetPolicies { policies },
            Edit::SetRouting { routing },
            Edit::SetMeasurement { measurement },
            Edit::ReplaceJourney { journey: Box::new(samples::late_stage()) },
        ]
    }

    #[test]
    fn every_edit_is_undone_by_its_inverse_and_redone_by_the_inverse_of_that() {
        let original = samples::playbook();
        for edit in one_of_each() {
            let mut journey = original.clone();
            let inverse = journey.apply(edit.clone()).unwrap_or_else(|error| panic!("{edit:?} refused: {error}"));
            let edited = journey.clone();
            assert_ne!(edited, original, "{edit:?} changed nothing");
            let redo = journey.apply(inverse).expect("inverse is valid");
            assert_eq!(journey, original, "inverse of {edit:?} did not restore the journey");
            journey.apply(redo).expect("redo is valid");
            assert_eq!(journey, edited, "redo of {edit:?} did not repeat it");
        }
    }

    #[test]
    fn removing_a_step_removes_its_sms_and_undo_puts_both_back_in_place() {
        let original = samples::playbook();
        let mut journey = original.clone();
        let inverse = journey.apply(Edit::RemoveStep { step: pricing() }).unwrap();
        assert!(journey.step(&pricing()).is_none());
        assert_eq!(journey.touchpoints_of(&pricing()).count(), 0);
        assert_eq!(journey.touchpoints.len(), original.touchpoints.len() - 1);
        journey.apply(inverse).unwrap();
        assert_eq!(journey, original);
    }

    #[test]
    fn invalid_edits_are_refused_and_change_nothing() {
        let original = samples::playbook();
        let mut duplicate = original.steps[2].clone();
        duplicate.name = "Same id as the webinar invite".into();
        let mut orphan = original.touchpoints[0].clone();
        orphan.step = StepId("nowhere".into());
        let mut looser = original.policies.clone();
        looser.legal_windows.retain(|window| window.jurisdiction != Jurisdiction::State("FL".into()));
        let mut wider = original.policies.clone();
        wider.legal_windows[0].allowed = TimeWindow { start_minute: 7 * 60, end_minute: 21 * 60 };
        let cases = [
            (Edit::RenameJourney { name: "   ".into() }, "The journey needs a name."),
            (Edit::MoveStep { step: StepId("nope".into()), day: 3 }, "There is no step `nope` in this journey."),
            (
                Edit::MoveStep { step: StepId("welcome".into()), day: 366 },
                "Day 366 is outside the journey; steps go on days 0 to 365.",
            ),
            (
                Edit::AddStep { index: 0, step: duplicate, touchpoints: vec![] },
                "Another step already uses the id `webinar-invite`.",
            ),
            (
                Edit::AddStep { index: 99, step: original.steps[0].clone(), touchpoints: vec![] },
                "Position 99 is past the end of a list of 10.",
            ),
            (
                Edit::UpdateTouchpoint { touchpoint: orphan },
                "This SMS is attached to `nowhere`, which is not a step of this journey.",
            ),
            (Edit::SetEmailSendMinute { minute: 1440 }, "24:00 is not a time of day; use 00:00 to 23:59."),
            (
                Edit::SetPolicies { policies: looser },
                "The FL legal window is missing; it can only be removed with the override to loosen legal windows.",
            ),
            (
                Edit::SetPolicies { policies: wider },
                "The Federal legal window allows Mon–Fri 07:00–21:00, looser than the default 08:00–21:00; tighten it or tick the override to loosen legal windows.",
            ),
        ];
        for (edit, expected) in cases {
            let mut journey = original.clone();
            let error = journey.apply(edit.clone()).expect_err("refused");
            assert_eq!(error.to_string(), expected, "{edit:?}");
            assert_eq!(journey, original, "{edit:?} changed the journey");
        }
    }

    #[test]
    fn loosening_a_legal_window_is_allowed_with_the_explicit_override() {
        let mut journey = samples::playbook();
        let mut policies = journey.policies.clone();
        policies.legal_windows[0].allowed = TimeWindow { start_minute: 7 * 60, end_minute: 21 * 60 };
        policies.loosen_legal_windows = true;
        journey.apply(Edit::SetPolicies { policies }).expect("the override allows it");
    }

    #[test]
    fn renaming_trims_surrounding_space() {
        let mut journey = samples::playbook();
        journey.apply(Edit::RenameJourney { name: "  Spring launch ".into() }).unwrap();
        assert_eq!(journey.name, "Spring launch");
    }
}
