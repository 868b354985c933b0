//! The state the whole UI shares: the open journey, what is selected, and
//! the last message for the user. Every change to the journey goes through
//! [`Designer::edit`], i.e. through the engine's single `Edit` path.

use leptos::prelude::*;
use tandem_engine::{Edit, EditError, Journey, StepId, TouchpointId};

/// What the inspector shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    Step(StepId),
    Touchpoint(TouchpointId),
}

/// Handles to the shared state; cheap to copy into every component.
#[derive(Clone, Copy)]
pub struct Designer {
    pub journey: RwSignal<Journey>,
    pub selection: RwSignal<Option<Selection>>,
    /// A sentence for the user about the last thing that went wrong.
    pub notice: RwSignal<Option<String>>,
}

impl Designer {
    pub fn new(journey: Journey) -> Self {
        Designer {
            journey: RwSignal::new(journey),
            selection: RwSignal::new(None),
            notice: RwSignal::new(None),
        }
    }

    /// Applies an edit; a refused edit leaves the journey untouched and
    /// tells the user why.
    pub fn edit(&self, edit: Edit) -> Result<(), EditError> {
        let mut outcome = Ok(());
        self.journey.update_untracked(|journey| outcome = journey.apply(edit).map(drop));
        match &outcome {
            Ok(()) => {
                self.journey.notify();
                self.notice.set(None);
            }
            Err(error) => self.notice.set(Some(error.to_string())),
        }
        outcome
    }

    pub fn select(&self, selection: Selection) {
        self.selection.set(Some(selection));
    }
}
