//! Undo and redo over the engine's edits: every applied edit leaves its
//! inverse here, so undoing is applying that inverse, and redoing is
//! applying the inverse of the undo. Pure data, tested natively.

use std::collections::VecDeque;

use tandem_engine::{Edit, EditError, Journey};

/// How many steps back a user can go.
pub const DEPTH: usize = 500;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// Inverses of applied edits, oldest first.
    undo: VecDeque<Edit>,
    /// Inverses of undone edits, most recently undone last.
    redo: Vec<Edit>,
    /// The field being typed into, while its keystrokes coalesce into the
    /// last undo step.
    burst: Option<String>,
}

impl History {
    /// Applies a new edit and remembers how to undo it; a new edit forgets
    /// anything that had been undone.
    pub fn apply(&mut self, journey: &mut Journey, edit: Edit) -> Result<(), EditError> {
        let inverse = journey.apply(edit)?;
        self.burst = None;
        if self.undo.len() == DEPTH {
            self.undo.pop_front();
        }
        self.undo.push_back(inverse);
        self.redo.clear();
        Ok(())
    }

    /// Applies one keystroke's edit to the field named `burst`. Keystrokes
    /// in a row to the same field make one undo step, which goes back to
    /// the text before the first of them; any other edit, an undo or a redo
    /// ends the burst.
    pub fn apply_typing(&mut self, journey: &mut Journey, edit: Edit, burst: &str) -> Result<(), EditError> {
        if self.burst.as_deref() == Some(burst) && !self.undo.is_empty() {
            // The undo step already there restores the text before the burst.
            journey.apply(edit)?;
            self.redo.clear();
            return Ok(());
        }
        self.apply(journey, edit)?;
        self.burst = Some(burst.to_owned());
        Ok(())
    }

    /// Ends a typing burst, e.g. when the field loses focus.
    pub fn end_burst(&mut self) {
        self.burst = None;
    }

    /// Undoes the last edit; false when there is nothing to undo.
    pub fn undo(&mut self, journey: &mut Journey) -> bool {
        let Some(inverse) = self.undo.pop_back() else { return false };
        self.burst = None;
        let redo = journey.apply(inverse).expect("the inverse of an applied edit applies");
        self.redo.push(redo);
        true
    }

    /// Redoes the last undone edit; false when there is nothing to redo.
    pub fn redo(&mut self, journey: &mut Journey) -> bool {
        let Some(edit) = self.redo.pop() else { return false };
        self.burst = None;
        let inverse = journey.apply(edit).expect("an undone edit applies again");
        self.undo.push_back(inverse);
        true
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_engine::{StepId, samples};

    fn move_to(day: u16) -> Edit {
        Edit::MoveStep { step: StepId("welcome".into()), day }
    }

    #[test]
    fn undo_and_redo_walk_back_and_forth_through_edits() {
        let original = samples::playbook();
        let mut journey = original.clone();
        let mut history = History::default();
        assert!(!history.can_undo() && !history.can_redo());
        history.apply(&mut journey, move_to(3)).unwrap();
        history.apply(&mut journey, Edit::RenameJourney { name: "Spring".into() }).unwrap();
        let edited = journey.clone();

        assert!(history.undo(&mut journey));
        assert_eq!(journey.name, original.name);
        assert!(history.undo(&mut journey));
        assert_eq!(journey, original);
        assert!(!history.undo(&mut journey), "nothing left to undo");

        assert!(history.redo(&mut journey) && history.redo(&mut journey));
        assert_eq!(journey, edited);
        assert!(!history.redo(&mut journey), "nothing left to redo");
    }

    #[test]
    fn a_new_edit_forgets_what_was_undone_and_a_refused_one_changes_nothing() {
        let mut journey = samples::playbook();
        let mut history = History::default();
        history.apply(&mut journey, move_to(3)).unwrap();
        history.undo(&mut journey);
        history.apply(&mut journey, move_to(5)).unwrap();
        assert!(!history.can_redo());

        let before = (journey.clone(), history.clone());
        assert!(history.apply(&mut journey, move_to(999)).is_err());
        assert_eq!((journey, history), before);
    }

    #[test]
    fn a_typing_burst_is_one_undo_step_and_ends_with_another_edit() {
        let original = samples::playbook();
        let mut journey = original.clone();
        let mut history = History::default();
        for name in ["S", "Sp", "Spr", "Spring"] {
            history.apply_typing(&mut journey, Edit::RenameJourney { name: name.into() }, "name").unwrap();
        }
        assert_eq!(journey.name, "Spring");
        history.apply(&mut journey, move_to(3)).unwrap();
        history.apply_typing(&mut journey, Edit::RenameJourney { name: "Spring 2".into() }, "name").unwrap();
        history.end_burst();
        history.apply_typing(&mut journey, Edit::RenameJourney { name: "Spring 26".into() }, "name").unwrap();

        assert!(history.undo(&mut journey));
        assert_eq!(journey.name, "Spring 2", "a burst ends when the field loses focus");
        assert!(history.undo(&mut journey));
        assert_eq!(journey.name, "Spring", "another edit in between ends a burst");
        assert!(history.undo(&mut journey));
        assert!(history.undo(&mut journey));
        assert_eq!(journey, original, "the first burst was one step");
        assert!(!history.can_undo());
    }

    #[test]
    fn history_keeps_the_last_five_hundred_edits() {
        let original = samples::playbook();
        let mut journey = original.clone();
        let mut history = History::default();
        for step in 0..DEPTH + 20 {
            history.apply(&mut journey, move_to((step % 300) as u16 + 1)).unwrap();
        }
        let mut undone = 0;
        while history.undo(&mut journey) {
            undone += 1;
        }
        assert_eq!(undone, DEPTH);
        assert_eq!(journey.steps[0].day, 20, "the oldest 20 edits are beyond reach");
    }
}
