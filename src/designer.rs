//! The state the whole UI shares: the open journey, its undo history, what
//! is selected, what is being carried onto the timeline, and the last
//! message for the user. Every change to the journey goes through
//! [`Designer::edit`], [`Designer::undo`] or [`Designer::redo`], i.e.
//! through the engine's single `Edit` path.

use leptos::prelude::*;
use tandem_engine::format::ImportProblem;
use tandem_engine::{Edit, EditError, Journey, StepId, TouchpointId};

use crate::announce::Announcer;
use crate::history::History;
use crate::timeline_layout::Zoom;

/// What the inspector shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    Step(StepId),
    Touchpoint(TouchpointId),
}

/// What is being carried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Carried {
    NewStep,
    NewSms,
    Sms(TouchpointId),
}

/// Where a drop would land.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A new step on this day of the Nurture lane.
    Day(u16),
    /// Attach to this step.
    Step(StepId),
}

/// A carry in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Carry {
    pub what: Carried,
    pub pointer_id: i32,
    pub start: (f64, f64),
    pub at: (f64, f64),
    pub target: Option<Target>,
}

/// Pointer travel, in pixels, before a press counts as a drag.
pub const DRAG_THRESHOLD: f64 = 4.0;

impl Carry {
    pub fn new(what: Carried, pointer_id: i32, x: f64, y: f64) -> Carry {
        Carry { what, pointer_id, start: (x, y), at: (x, y), target: None }
    }

    /// Whether the pointer has moved far enough to be a drag, not a click.
    pub fn moved(&self) -> bool {
        (self.at.0 - self.start.0).hypot(self.at.1 - self.start.1) >= DRAG_THRESHOLD
    }
}

/// What the right-hand panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    Selection,
    Policies,
    Routing,
    Cohort,
}

/// Handles to the shared state; cheap to copy into every component.
#[derive(Clone, Copy)]
pub struct Designer {
    pub journey: RwSignal<Journey>,
    pub history: RwSignal<History>,
    pub selection: RwSignal<Option<Selection>>,
    /// A sentence for the user about the last thing that went wrong.
    pub notice: RwSignal<Option<String>>,
    /// Something being carried onto the timeline with the pointer.
    pub carry: RwSignal<Option<Carry>>,
    /// The saved journey being edited (its storage id).
    pub open_id: RwSignal<String>,
    /// Whether the last autosave worked, and if not why.
    pub saved: RwSignal<Result<(), String>>,
    /// The import and export dialog: whether it is open, the problems of
    /// the last refused import, and the last link made to share.
    pub transfer_open: RwSignal<bool>,
    pub import_problems: RwSignal<Vec<ImportProblem>>,
    pub share_link: RwSignal<Option<String>>,
    pub panel: RwSignal<Panel>,
    pub zoom: RwSignal<Zoom>,
    /// What the screen reader is told (the app's one live region).
    pub announcer: Announcer,
}

impl Designer {
    pub fn new(journey: Journey) -> Self {
        Designer::open_as(String::new(), journey)
    }

    /// A designer editing the saved journey `id`.
    pub fn open_as(id: String, journey: Journey) -> Self {
        Designer {
            journey: RwSignal::new(journey),
            history: RwSignal::new(History::default()),
            selection: RwSignal::new(None),
            notice: RwSignal::new(None),
            carry: RwSignal::new(None),
            open_id: RwSignal::new(id),
            saved: RwSignal::new(Ok(())),
            transfer_open: RwSignal::new(false),
            import_problems: RwSignal::new(Vec::new()),
            share_link: RwSignal::new(None),
            panel: RwSignal::new(Panel::Selection),
            zoom: RwSignal::new(Zoom::default()),
            announcer: Announcer::default(),
        }
    }

    /// Switches to another journey: a fresh history, nothing selected.
    pub fn open(&self, id: String, journey: Journey) {
        self.selection.set(None);
        self.history.set(History::default());
        self.open_id.set(id);
        self.journey.set(journey);
    }

    /// Applies an edit; a refused edit leaves the journey untouched and
    /// tells the user why.
    pub fn edit(&self, edit: Edit) -> Result<(), EditError> {
        self.record(|history, journey| history.apply(journey, edit))
    }

    /// Applies a keystroke's edit to the field `burst`: keystrokes in a row
    /// make one undo step.
    pub fn type_into(&self, edit: Edit, burst: &str) -> Result<(), EditError> {
        self.record(|history, journey| history.apply_typing(journey, edit, burst))
    }

    /// Ends a typing burst (the field lost focus).
    pub fn end_typing(&self) {
        self.history.update_untracked(History::end_burst);
    }

    fn record(
        &self,
        change: impl FnOnce(&mut History, &mut Journey) -> Result<(), EditError>,
    ) -> Result<(), EditError> {
        let mut outcome = Ok(());
        self.journey.update_untracked(|journey| self.history.update(|history| outcome = change(history, journey)));
        match &outcome {
            Ok(()) => {
                self.journey.notify();
                self.notice.set(None);
            }
            Err(error) => self.notice.set(Some(error.to_string())),
        }
        outcome
    }

    /// Undoes the last edit, if any.
    pub fn undo(&self) {
        self.step_through_history(History::undo);
    }

    /// Redoes the last undone edit, if any.
    pub fn redo(&self) {
        self.step_through_history(History::redo);
    }

    fn step_through_history(&self, step: fn(&mut History, &mut Journey) -> bool) {
        let mut changed = false;
        self.journey.update_untracked(|journey| self.history.update(|history| changed = step(history, journey)));
        if changed {
            self.journey.notify();
            self.notice.set(None);
        }
    }

    /// Selects a step or touchpoint and shows it in the inspector.
    pub fn select(&self, selection: Selection) {
        self.selection.set(Some(selection));
        self.panel.set(Panel::Selection);
    }
}
