//! Journeys saved in this browser (local storage): the one place the app
//! reads and writes storage. Each journey is kept as its v1 export under
//! its own key, so one damaged entry never costs the others; an entry that
//! cannot be read is moved aside under a backup key, never deleted.
//!
//! Entries go through gloo-storage's typed API (`get`/`set` of a type that
//! serialises as JSON). gloo ends in a panic or a throw when there is no
//! storage, when a read throws, or when a write throws anything but an
//! `Error`; so gloo never sees the browser's storage directly but
//! [`guarded`], a stand-in whose reads never throw and whose writes throw
//! only `Error`s. Whatever the browser does, saving fails in words.

use std::cell::OnceCell;

use gloo_storage::Storage;
use gloo_storage::errors::StorageError;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use tandem_engine::{Journey, format};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

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

/// A saved undo history: the states undo and redo lead to, each a journey link.
#[derive(Serialize, Deserialize)]
struct SavedHistory {
    back: Vec<String>,
    forward: Vec<String>,
}

/// Local storage as gloo-storage sees it: through [`guarded`].
struct Local;

impl Storage for Local {
    fn raw() -> web_sys::Storage {
        thread_local! {
            static GUARDED: OnceCell<web_sys::Storage> = const { OnceCell::new() };
        }
        GUARDED.with(|cell| cell.get_or_init(guarded).clone())
    }
}

/// The browser's storage when there is one, looked up on every call (a
/// browser may refuse it at any time).
fn browser() -> Result<web_sys::Storage, JsValue> {
    match web_sys::window().map(|window| window.local_storage()) {
        Some(Ok(Some(storage))) => Ok(storage),
        Some(Err(thrown)) => Err(thrown),
        _ => Err(js_sys::Error::new("this browser does not let Tandem use its storage").into()),
    }
}

/// Anything a storage call threw, as an `Error` (what gloo expects).
fn as_error(thrown: JsValue) -> JsValue {
    if thrown.is_instance_of::<js_sys::Error>() {
        thrown
    } else {
        let what = thrown.as_string().unwrap_or_else(|| format!("{thrown:?}"));
        js_sys::Error::new(&format!("the browser's storage failed ({what})")).into()
    }
}

/// A stand-in for `localStorage` with the same methods, built once: reads
/// and removals never throw (a failing read finds nothing), and writes and
/// key lookups throw only `Error`s.
fn guarded() -> web_sys::Storage {
    let object = js_sys::Object::new();
    let method = |name: &str, function: JsValue| {
        let _ = js_sys::Reflect::set(&object, &name.into(), &function);
    };
    method(
        "getItem",
        Closure::<dyn Fn(String) -> Option<String>>::new(|key: String| {
            browser().ok().and_then(|storage| storage.get_item(&key).ok().flatten())
        })
        .into_js_value(),
    );
    method(
        "setItem",
        Closure::<dyn Fn(String, String) -> Result<(), JsValue>>::new(|key: String, value: String| {
            browser().and_then(|storage| storage.set_item(&key, &value)).map_err(as_error)
        })
        .into_js_value(),
    );
    method(
        "removeItem",
        Closure::<dyn Fn(String)>::new(|key: String| {
            if let Ok(storage) = browser() {
                let _ = storage.remove_item(&key);
            }
        })
        .into_js_value(),
    );
    method(
        "key",
        Closure::<dyn Fn(u32) -> Result<Option<String>, JsValue>>::new(|index: u32| {
            browser().and_then(|storage| storage.key(index)).map_err(as_error)
        })
        .into_js_value(),
    );
    method(
        "clear",
        Closure::<dyn Fn()>::new(|| {
            if let Ok(storage) = browser() {
                let _ = storage.clear();
            }
        })
        .into_js_value(),
    );
    let length =
        Closure::<dyn Fn() -> u32>::new(|| browser().ok().and_then(|storage| storage.length().ok()).unwrap_or(0))
            .into_js_value();
    let descriptor = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&descriptor, &"get".into(), &length);
    js_sys::Object::define_property(&object, &"length".into(), &descriptor);
    object.unchecked_into()
}

/// Why a write failed, in words that finish "Changes are not being saved: …".
fn failed(error: StorageError) -> String {
    match error {
        StorageError::JsError(error) if error.name == "QuotaExceededError" => {
            "the browser's storage for Tandem is full".to_owned()
        }
        StorageError::JsError(error) => error.message,
        StorageError::SerdeError(error) => format!("it could not be written ({error})"),
        StorageError::KeyNotFound(key) => format!("{key} is missing"),
    }
}

/// The text stored under `key`, whatever it is (for entries that are not JSON).
fn raw_text(key: &str) -> Option<String> {
    Local::raw().get_item(key).ok().flatten()
}

/// A fresh id for a new saved journey.
pub fn new_id() -> String {
    let now = js_sys::Date::now() as u64;
    let salt = (js_sys::Math::random() * 1e6) as u64;
    format!("j{now:x}{salt:x}")
}

/// Moves an unreadable entry aside; returns the backup key, or the
/// entry's own key when no backup could be written (it then stays put).
fn set_aside(key: &str, raw: &str) -> String {
    let backup = format!("{BACKUP}{}.{}", key.trim_start_matches(PREFIX), new_id());
    if Local::raw().set_item(&backup, raw).is_ok() {
        Local::delete(key);
        backup
    } else {
        key.to_owned()
    }
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

/// The journey document stored under `key`: `Ok(None)` when there is none,
/// `Err` with the stored text when it is not a journey.
fn read_journey(key: &str) -> Result<Option<Journey>, (String, Vec<format::ImportProblem>)> {
    let text = match Local::get::<Box<RawValue>>(key) {
        Ok(document) => document.get().to_owned(),
        Err(StorageError::KeyNotFound(_)) => return Ok(None),
        Err(_) => match raw_text(key) {
            Some(text) => text,
            None => return Ok(None),
        },
    };
    format::import(&text).map(Some).map_err(|problems| (text, problems))
}

/// Every saved journey, by name; entries that cannot be read are moved
/// aside and reported.
pub fn saved() -> (Vec<Saved>, Vec<String>) {
    let storage = Local::raw();
    let keys: Vec<String> = (0..Local::length())
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(PREFIX))
        .collect();
    let mut found = Vec::new();
    let mut notices = Vec::new();
    for key in keys {
        match read_journey(&key) {
            Ok(Some(journey)) => found.push(Saved { id: key[PREFIX.len()..].to_owned(), name: journey.name }),
            Ok(None) => {}
            Err((raw, problems)) => notices.push(unreadable(&raw, &problems, &set_aside(&key, &raw))),
        }
    }
    found.sort_by(|a, b| in_reading_order(&a.name, &b.name).then(a.id.cmp(&b.id)));
    (found, notices)
}

/// How two journey names sort for the person reading the list: by the
/// browser's collation for their language, so `Émile` sits with the E's
/// and `banana` with `Banana`, not after `zebra`.
fn in_reading_order(a: &str, b: &str) -> std::cmp::Ordering {
    js_sys::JsString::from(a).locale_compare(b, &js_sys::Array::new(), &js_sys::Object::new()).cmp(&0)
}

/// The saved journey `id`; if it cannot be read it is moved aside and the
/// error says so.
pub fn load(id: &str) -> Result<Option<Journey>, String> {
    let key = format!("{PREFIX}{id}");
    read_journey(&key).map_err(|(raw, problems)| unreadable(&raw, &problems, &set_aside(&key, &raw)))
}

/// Saves `journey` as `id` and remembers it as the one open.
pub fn save(id: &str, journey: &Journey) -> Result<(), String> {
    let document = RawValue::from_string(format::export(journey)).map_err(|error| failed(error.into()))?;
    Local::set(format!("{PREFIX}{id}"), document).map_err(failed)?;
    let _ = Local::set(OPEN, id);
    Ok(())
}

pub fn remove(id: &str) {
    Local::delete(format!("{PREFIX}{id}"));
    Local::delete(format!("{HISTORY}{id}"));
}

/// Saves the undo history of `id`: the states undo and redo lead to, each
/// compressed as a journey link.
pub fn save_history(id: &str, back: &[Journey], forward: &[Journey]) -> Result<(), String> {
    let links = |states: &[Journey]| states.iter().map(format::to_link).collect::<Vec<_>>();
    Local::set(format!("{HISTORY}{id}"), SavedHistory { back: links(back), forward: links(forward) }).map_err(failed)
}

/// The saved undo history of `id` as its journey links (undo's, oldest
/// first, and redo's, next first), none when nothing is saved; an entry
/// that is not a history is dropped, as [`drop_history`] says.
pub fn load_history(id: &str) -> Result<(Vec<String>, Vec<String>), String> {
    match Local::get::<SavedHistory>(format!("{HISTORY}{id}")) {
        Ok(saved) => Ok((saved.back, saved.forward)),
        Err(StorageError::KeyNotFound(_)) => Ok((Vec::new(), Vec::new())),
        Err(_) => Err(drop_history(id)),
    }
}

/// Drops the unreadable undo history of `id` (the journey itself is
/// safe), and says so in plain words.
pub fn drop_history(id: &str) -> String {
    Local::delete(format!("{HISTORY}{id}"));
    "The undo history of this journey could not be read, so it starts afresh; the journey itself is as you left it."
        .to_owned()
}

/// The id of the journey open when the app was last used (written as
/// plain text before saving went through gloo-storage's JSON, so that is
/// read too).
pub fn last_open() -> Option<String> {
    match Local::get::<String>(OPEN) {
        Ok(id) => Some(id),
        Err(StorageError::KeyNotFound(_)) => None,
        Err(_) => raw_text(OPEN),
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use js_sys::Reflect;
    use tandem_engine::{Edit, samples};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn storage() -> web_sys::Storage {
        browser().expect("the test page has storage")
    }

    /// Runs `body` with `Storage.prototype`'s `methods` replaced by one
    /// that throws `thrown`, then puts them back.
    fn throwing(methods: &[&str], thrown: JsValue, body: impl FnOnce()) {
        let class = Reflect::get(&js_sys::global(), &"Storage".into()).unwrap();
        let prototype = Reflect::get(&class, &"prototype".into()).unwrap();
        let throw = Closure::<dyn Fn() -> Result<(), JsValue>>::new(move || Err(thrown.clone())).into_js_value();
        let originals: Vec<JsValue> = methods
            .iter()
            .map(|method| {
                let original = Reflect::get(&prototype, &(*method).into()).unwrap();
                Reflect::set(&prototype, &(*method).into(), &throw).unwrap();
                original
            })
            .collect();
        body();
        for (method, original) in methods.iter().zip(originals) {
            Reflect::set(&prototype, &(*method).into(), &original).unwrap();
        }
    }

    fn renamed(name: &str) -> Journey {
        let mut journey = samples::playbook();
        journey.apply(Edit::RenameJourney { name: name.into() }).unwrap();
        journey
    }

    #[wasm_bindgen_test]
    fn a_journey_is_kept_as_its_export_and_comes_back_equal() {
        let journey = renamed("Stored");
        save("t-round", &journey).unwrap();
        let stored = storage().get_item("tandem.v1.journey.t-round").unwrap().unwrap();
        assert_eq!(stored, format::export(&journey).trim_end(), "the export as written, less its final line break");
        assert_eq!(load("t-round"), Ok(Some(journey.clone())));
        assert_eq!(last_open().as_deref(), Some("t-round"));
        assert!(saved().0.contains(&Saved { id: "t-round".into(), name: "Stored".into() }));

        save_history("t-round", &[samples::playbook()], &[]).unwrap();
        assert_eq!(load_history("t-round"), Ok((vec![format::to_link(&samples::playbook())], vec![])));
        remove("t-round");
        assert_eq!(load("t-round"), Ok(None));
        assert_eq!(load_history("t-round"), Ok((vec![], vec![])));
    }

    #[wasm_bindgen_test]
    fn saved_journeys_are_listed_in_the_readers_alphabetical_order() {
        let names = [("t-order-1", "zebra"), ("t-order-2", "Émile"), ("t-order-3", "banana"), ("t-order-4", "Apple")];
        for (id, name) in names {
            save(id, &renamed(name)).unwrap();
        }
        let listed: Vec<String> =
            saved().0.into_iter().filter(|saved| saved.id.starts_with("t-order-")).map(|saved| saved.name).collect();
        for (id, _) in names {
            remove(id);
        }
        assert_eq!(listed, ["Apple", "banana", "Émile", "zebra"]);
    }

    #[wasm_bindgen_test]
    fn the_open_journey_written_before_gloo_is_still_found() {
        storage().set_item(OPEN, "jlegacy").unwrap();
        assert_eq!(last_open().as_deref(), Some("jlegacy"));
        storage().remove_item(OPEN).unwrap();
        assert_eq!(last_open(), None);
    }

    #[wasm_bindgen_test]
    fn a_full_storage_says_so_and_keeps_what_was_saved() {
        let before = renamed("Before it filled up");
        save("t-full", &before).unwrap();
        // Fill every last byte: big pieces first, then ever smaller ones.
        let mut fillers = 0;
        for size in [500_000, 50_000, 5_000, 500, 50, 5] {
            let filler = "x".repeat(size);
            while storage().set_item(&format!("t-filler-{fillers}"), &filler).is_ok() {
                fillers += 1;
                assert!(fillers < 500, "the browser never said full");
            }
        }
        // Longer than what it replaces (a shorter value fits in a full storage).
        let after = save("t-full", &renamed(&"After it filled up ".repeat(5)));
        let history = save_history("t-full", std::slice::from_ref(&before), &[]);
        for index in 0..fillers {
            storage().remove_item(&format!("t-filler-{index}")).unwrap();
        }
        assert_eq!(after, Err("the browser's storage for Tandem is full".to_owned()));
        assert_eq!(history, Err("the browser's storage for Tandem is full".to_owned()));
        assert_eq!(load("t-full"), Ok(Some(before)), "the last saved state is kept");
        remove("t-full");
    }

    #[wasm_bindgen_test]
    fn a_storage_that_throws_anything_fails_in_words_and_never_panics() {
        save("t-throws", &renamed("Kept")).unwrap();
        let methods = ["getItem", "setItem", "removeItem", "key", "clear"];
        for thrown in [JsValue::from_str("nope"), JsValue::from(42), JsValue::NULL] {
            throwing(&methods, thrown, || {
                let refused = save("t-throws", &renamed("Lost")).unwrap_err();
                assert!(refused.starts_with("the browser's storage failed ("), "{refused}");
                assert!(save_history("t-throws", &[], &[]).is_err());
                assert_eq!(load("t-throws"), Ok(None), "a read that throws finds nothing");
                assert_eq!(load_history("t-throws"), Ok((vec![], vec![])));
                assert_eq!(last_open(), None);
                assert_eq!(saved(), (vec![], vec![]));
                remove("t-throws");
            });
        }
        let error = js_sys::Error::new("denied");
        error.set_name("SecurityError");
        throwing(&["setItem"], error.into(), || assert_eq!(save("t-throws", &renamed("Lost")), Err("denied".into())));
        assert_eq!(load("t-throws").unwrap().map(|journey| journey.name), Some("Kept".into()));
        remove("t-throws");
    }

    #[wasm_bindgen_test]
    fn a_damaged_entry_is_set_aside_with_its_text_and_reported() {
        for (id, text) in [("t-cut", "{\"format\": \"tandem.journey/v1\", \"name\": "), ("t-odd", "[1, 2]")] {
            let key = format!("{PREFIX}{id}");
            storage().set_item(&key, text).unwrap();
            let (found, notices) = saved();
            assert!(!found.iter().any(|saved| saved.id == id));
            let notice = notices.iter().find(|notice| notice.contains(id)).expect("a notice for the damaged entry");
            let backup = notice.split('“').nth(1).unwrap().split('”').next().unwrap();
            assert!(backup.starts_with(BACKUP), "{notice}");
            assert_eq!(storage().get_item(backup).unwrap().as_deref(), Some(text));
            assert_eq!(storage().get_item(&key).unwrap(), None);
            storage().remove_item(backup).unwrap();
        }
    }

    #[wasm_bindgen_test]
    fn a_damaged_entry_stays_where_it_is_when_no_backup_can_be_written() {
        let key = format!("{PREFIX}t-stays");
        storage().set_item(&key, "{").unwrap();
        throwing(&["setItem"], JsValue::from_str("full"), || {
            let notice = load("t-stays").unwrap_err();
            assert!(notice.contains(&format!("“{key}”")), "{notice}");
        });
        assert_eq!(storage().get_item(&key).unwrap().as_deref(), Some("{"));
        storage().remove_item(&key).unwrap();
    }
}
