//! Journeys saved in this browser (local storage): the one place the app
//! reads and writes storage. Each journey is kept as its v1 export under
//! its own key, so one damaged entry never costs the others; an entry that
//! cannot be read is moved aside under a backup key, never deleted.

use tandem_engine::{Journey, format};

const PREFIX: &str = "tandem.v1.journey.";
const OPEN: &str = "tandem.v1.open";
const BACKUP: &str = "tandem.v1.backup.";
const HISTORY: &str = "tandem.v1.history.";

/// A saved journey, as the journeys menu lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saved {
    pub id: String,
    pub name: String,
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// A fresh id for a new saved journey.
pub fn new_id() -> String {
    let now = js_sys::Date::now() as u64;
    let salt = (js_sys::Math::random() * 1e6) as u64;
    format!("j{now:x}{salt:x}")
}

/// Moves an unreadable entry aside; returns the backup key.
fn set_aside(storage: &web_sys::Storage, key: &str, raw: &str) -> String {
    let backup = format!("{BACKUP}{}.{}", key.trim_start_matches(PREFIX), new_id());
    let _ = storage.set_item(&backup, raw);
    let _ = storage.remove_item(key);
    backup
}

/// Why a saved journey could not be opened, in plain words.
fn unreadable(raw: &str, problems: &[format::ImportProblem], backup: &str) -> String {
    let first = problems.first().map(ToString::to_string).unwrap_or_default();
    let newer = raw.contains("\"format\"") && !raw.contains(format::FORMAT_V1);
    let why =
        if newer { "it was saved by a newer version of Tandem".to_owned() } else { format!("it is damaged: {first}") };
    format!(
        "A saved journey could not be read ({why}). It was kept as a backup under “{backup}”; everything else is as you left it."
    )
}

/// Every saved journey, by name; entries that cannot be read are moved
/// aside and reported.
pub fn saved() -> (Vec<Saved>, Vec<String>) {
    let Some(storage) = local() else { return (Vec::new(), Vec::new()) };
    let keys: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(PREFIX))
        .collect();
    let mut found = Vec::new();
    let mut notices = Vec::new();
    for key in keys {
        let Some(raw) = storage.get_item(&key).ok().flatten() else { continue };
        match format::import(&raw) {
            Ok(journey) => found.push(Saved { id: key[PREFIX.len()..].to_owned(), name: journey.name }),
            Err(problems) => {
                let backup = set_aside(&storage, &key, &raw);
                notices.push(unreadable(&raw, &problems, &backup));
            }
        }
    }
    found.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.id.cmp(&b.id)));
    (found, notices)
}

/// The saved journey `id`; if it cannot be read it is moved aside and the
/// error says so.
pub fn load(id: &str) -> Result<Option<Journey>, String> {
    let Some(storage) = local() else { return Ok(None) };
    let key = format!("{PREFIX}{id}");
    let Some(raw) = storage.get_item(&key).ok().flatten() else { return Ok(None) };
    format::import(&raw).map(Some).map_err(|problems| {
        let backup = set_aside(&storage, &key, &raw);
        unreadable(&raw, &problems, &backup)
    })
}

/// Saves `journey` as `id` and remembers it as the one open.
pub fn save(id: &str, journey: &Journey) -> Result<(), String> {
    let storage = local().ok_or("this browser does not let Tandem use its storage")?;
    storage
        .set_item(&format!("{PREFIX}{id}"), &format::export(journey))
        .map_err(|_| "the browser's storage for Tandem is full".to_owned())?;
    let _ = storage.set_item(OPEN, id);
    Ok(())
}

pub fn remove(id: &str) {
    if let Some(storage) = local() {
        let _ = storage.remove_item(&format!("{PREFIX}{id}"));
        let _ = storage.remove_item(&format!("{HISTORY}{id}"));
    }
}

/// Saves the undo history of `id`: the states undo and redo lead to, each
/// compressed as a journey link, as `{"back": [...], "forward": [...]}`.
pub fn save_history(id: &str, back: &[Journey], forward: &[Journey]) -> Result<(), String> {
    let storage = local().ok_or("this browser does not let Tandem use its storage")?;
    let links = |states: &[Journey]| states.iter().map(format::to_link).collect::<Vec<_>>();
    let text = serde_json::json!({ "back": links(back), "forward": links(forward) }).to_string();
    storage
        .set_item(&format!("{HISTORY}{id}"), &text)
        .map_err(|_| "the browser's storage for Tandem is full".to_owned())
}

/// The saved undo history of `id`; an unreadable one is dropped (the
/// journey itself is safe), which the error says.
pub fn load_history(id: &str) -> Result<(Vec<Journey>, Vec<Journey>), String> {
    let Some(storage) = local() else { return Ok((Vec::new(), Vec::new())) };
    let key = format!("{HISTORY}{id}");
    let Some(raw) = storage.get_item(&key).ok().flatten() else { return Ok((Vec::new(), Vec::new())) };
    let read = |value: &serde_json::Value, field: &str| -> Option<Vec<Journey>> {
        value.get(field)?.as_array()?.iter().map(|link| format::from_link(link.as_str()?).ok()).collect()
    };
    let parsed: Option<(Vec<Journey>, Vec<Journey>)> = serde_json::from_str::<serde_json::Value>(&raw)
        .ok()
        .and_then(|value| Some((read(&value, "back")?, read(&value, "forward")?)));
    parsed.ok_or_else(|| {
        let _ = storage.remove_item(&key);
        "The undo history of this journey could not be read, so it starts afresh; the journey itself is as you left it."
            .to_owned()
    })
}

/// The id of the journey open when the app was last used.
pub fn last_open() -> Option<String> {
    local()?.get_item(OPEN).ok().flatten()
}
