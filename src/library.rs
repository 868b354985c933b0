//! Which journey the app opens and how journeys come and go: a shared link,
//! the journey open last time, saved journeys, templates, imports. Storage
//! and files are reached through [`crate::storage`] and [`crate::files`].
//! Journey links (a shared link, the states of a saved undo history) are
//! read by code fetched after first paint ([`read_links`]); the app opens
//! once the links it opens with are read.

use leptos::prelude::*;
use tandem_engine::format::{self, ImportProblem};
use tandem_engine::{Journey, defaults, samples};

use crate::designer::Designer;
use crate::history::History;
use crate::{files, storage};

/// What the app opens with, and anything the user must be told about it.
pub struct Startup {
    pub id: String,
    pub journey: Journey,
    pub history: History,
    pub notices: Vec<String>,
}

/// "first problem (and 3 more)".
pub fn summarise(problems: &[ImportProblem]) -> String {
    match problems {
        [] => String::new(),
        [only] => only.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
    }
}

/// The journey to open, with its undo history: a shared link's, else the
/// one open last time, else another saved one, else the playbook sample.
pub async fn startup() -> Startup {
    let mut notices = Vec::new();
    if let Some(link) = files::take_link() {
        match read_links(vec![link]).await.remove(0) {
            Ok(journey) => {
                notices.push(format!("Opened the shared journey “{}” as a new copy.", journey.name));
                return Startup { id: storage::new_id(), journey, history: History::default(), notices };
            }
            Err(problems) => notices.push(format!("The shared link could not be opened: {}", summarise(&problems))),
        }
    }
    let (saved, set_aside) = storage::saved();
    notices.extend(set_aside);
    let candidates = storage::last_open().into_iter().chain(saved.into_iter().map(|saved| saved.id));
    for id in candidates {
        match storage::load(&id) {
            Ok(Some(journey)) => {
                let history = saved_history(&id).await.unwrap_or_else(|notice| {
                    notices.push(notice);
                    History::default()
                });
                return Startup { id, journey, history, notices };
            }
            Ok(None) => {}
            Err(notice) => notices.push(notice),
        }
    }
    Startup { id: storage::new_id(), journey: samples::playbook(), history: History::default(), notices }
}

/// A template a new journey can start from.
pub fn templates() -> Vec<(&'static str, &'static str, Journey)> {
    let mut templates = vec![("blank", "Blank journey", defaults::blank_journey())];
    templates.extend(samples::all().into_iter().map(|(name, journey)| {
        let label = if name == "playbook" { "Playbook sample" } else { "Late-stage only" };
        (name, label, journey)
    }));
    templates
}

/// How many steps back the undo history is kept across reloads (within a
/// session it goes back [`crate::history::DEPTH`] steps).
pub const SAVED_HISTORY: usize = 100;

/// Opens the saved journey `id` with its undo history, once that is read.
pub fn open_saved(designer: &Designer, id: String, journey: Journey) {
    let designer = *designer;
    leptos::task::spawn_local(async move {
        let history = saved_history(&id).await;
        designer.open(id, journey);
        match history {
            Ok(history) => designer.history.set(history),
            Err(notice) => designer.notice.set(Some(notice)),
        }
    });
}

/// The saved undo history of journey `id`; one that cannot be read is
/// dropped (the journey itself is safe), which the error says.
async fn saved_history(id: &str) -> Result<History, String> {
    let (mut back, forward) = storage::load_history(id)?;
    if back.is_empty() && forward.is_empty() {
        // Nothing to read: no need to wait for the reader.
        return Ok(History::default());
    }
    let count = back.len();
    back.extend(forward);
    let states: Result<Vec<Journey>, _> = read_links(back).await.into_iter().collect();
    let mut back = states.map_err(|_| storage::drop_history(id))?;
    let forward = back.split_off(count);
    Ok(History::restored(back, forward))
}

/// The journeys in `links`, or each one's problems; the reader (link
/// decompression and all) is fetched the first time.
#[cfg_attr(tandem_split, leptos::lazy)]
pub(crate) async fn read_links(links: Vec<String>) -> Vec<Result<Journey, Vec<ImportProblem>>> {
    links.iter().map(|link| format::from_link(link)).collect()
}

/// Saves the open journey's undo history.
pub fn save_history(designer: &Designer) {
    let designer = *designer;
    let id = designer.open_id.get_untracked();
    let (back, forward) = designer
        .history
        .with_untracked(|history| designer.journey.with_untracked(|journey| history.states(journey, SAVED_HISTORY)));
    leptos::task::spawn_local(async move {
        if let Err(why) = save_history_states(id, back, forward).await {
            not_saved(&designer, why);
        }
    });
}

/// Writes the undo history; its link compression is fetched the first
/// time, a moment after the first edit.
#[cfg_attr(tandem_split, leptos::lazy)]
pub(crate) async fn save_history_states(id: String, back: Vec<Journey>, forward: Vec<Journey>) -> Result<(), String> {
    storage::save_history(&id, &back, &forward)
}

/// Records a save that failed and tells the user, every time (an edit
/// clears the notice, but the work is still unsaved).
pub fn not_saved(designer: &Designer, why: String) {
    designer
        .notice
        .set(Some(format!("Changes are not being saved: {why}. Export the journey to keep it (Export, top right).")));
    designer.saved.set(Err(why));
}

/// Opens `journey` as a new saved journey.
pub fn open_new(designer: &Designer, journey: Journey, notice: String) {
    designer.open(storage::new_id(), journey);
    designer.notice.set(Some(notice));
}

/// Imports a v1 document as a new journey; on problems nothing changes.
pub fn import(designer: &Designer, text: &str) -> Result<(), Vec<ImportProblem>> {
    let journey = format::import(text)?;
    let notice = format!("Imported “{}” as a new journey.", journey.name);
    open_new(designer, journey, notice);
    Ok(())
}
