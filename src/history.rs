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

    /// The journey states undo and redo lead to, for saving the history:
    /// up to `limit` states back (oldest first) and every state forward
    /// (next first), worked out by replaying the edits on copies.
    pub fn states(&self, journey: &Journey, limit: usize) -> (Vec<Journey>, Vec<Journey>) {
        let mut back = Vec::new();
        let mut state = journey.clone();
        for inverse in self.undo.iter().rev().take(limit) {
            if state.apply(inverse.clone()).is_err() {
                break;
            }
            back.push(state.clone());
        }
        back.reverse();
        let mut forward = Vec::new();
        let mut state = journey.clone();
        for edit in self.redo.iter().rev() {
            if state.apply(edit.clone()).is_err() {
                break;
            }
            forward.push(state.clone());
        }
        (back, forward)
    }

    /// A history whose undo leads back through `back` (oldest first) and
    /// whose redo leads forward through `forward` (next first), as saved by
    /// [`History::states`].
    pub fn restored(back: Vec<Journey>, forward: Vec<Journey>) -> History {
        let replace = |journey: Journey| Edit::ReplaceJourney { journey: Box::new(journey) };
        History {
            undo: back.into_iter().map(replace).collect(),
            redo: forward.into_iter().rev().map(replace).collect(),
            burst: None,
        }
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
    fn a_saved_history_restores_to_the_same_states() {
        let mut journey = samples::playbook();
        let mut history = History::default();
        history.apply(&mut journey, move_to(3)).unwrap();
        history.apply(&mut journey, Edit::RenameJourney { name: "Spring".into() }).unwrap();
        history.apply(&mut journey, move_to(7)).unwrap();
        history.undo(&mut journey);
        let (back, forward) = history.states(&journey, 50);
        assert_eq!((back.len(), forward.len()), (2, 1));

        let mut restored_journey = journey.clone();
        let mut restored = History::restored(back, forward);
        let mut original = (journey.clone(), history.clone());
        assert!(restored.redo(&mut restored_journey) && original.1.redo(&mut original.0));
        assert_eq!(restored_journey, original.0);
        while original.1.undo(&mut original.0) {
            assert!(restored.undo(&mut restored_journey));
            assert_eq!(restored_journey, original.0);
        }
        assert!(!restored.can_undo());
        assert_eq!(History::default().states(&journey, 50), (vec![], vec![]));
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
