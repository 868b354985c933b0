//! The boundary between a compiled rule and whoever holds contact data,
//! typically the simulator's columns. Everything crossing it is a number or
//! a code: choice values are their index in the schema, and free text
//! (owner names, page names) is numbered once by a [`Vocabulary`], so that
//! evaluation never compares strings.

use std::collections::BTreeMap;

use super::schema::{Attribute, Channel, EventKind};

/// Read access to contacts, by index. Implementations should be cheap: a
/// program calls these millions of times. A contact the implementation does
/// not know reads as code 0, number 0, flag false and no events.
pub trait Facts {
    /// The value of a [`super::AttributeKind::Choice`] attribute (its index in
    /// the schema's list) or of a [`super::AttributeKind::Text`] attribute
    /// (its [`Vocabulary`] code).
    fn code(&self, contact: usize, attribute: Attribute) -> u32;
    fn number(&self, contact: usize, attribute: Attribute) -> f64;
    fn flag(&self, contact: usize, attribute: Attribute) -> bool;
    /// How many of the contact's events `event` matches.
    fn count(&self, contact: usize, event: &EventQuery) -> u32;
}

/// One event function call, resolved: which events, in which window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventQuery {
    pub kind: EventKind,
    /// For the channel functions (`clicks`, `opens`, `replied`).
    pub channel: Option<Channel>,
    /// For `visited`: the page's [`Vocabulary`] code.
    pub page: Option<u32>,
    /// Events strictly less than this many minutes old count.
    pub window_minutes: u32,
}

/// Something that happened to a contact. An [`EventQuery`] counts it when
/// kind, channel and page are equal and it is younger than the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    pub channel: Option<Channel>,
    pub page: Option<u32>,
    pub minutes_ago: u32,
}

/// Numbers for free text: owner names and page names. Whoever builds the
/// facts numbers their texts here, and programs are compiled against the
/// same vocabulary, so a rule's `owner == "Dana"` becomes a code comparison.
/// A text the vocabulary does not know matches no contact.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vocabulary {
    codes: BTreeMap<String, u32>,
    texts: Vec<String>,
}

impl Vocabulary {
    pub fn new() -> Vocabulary {
        Vocabulary::default()
    }

    /// The code of `text`, numbering it if it is new.
    pub fn intern(&mut self, text: &str) -> u32 {
        if let Some(&code) = self.codes.get(text) {
            return code;
        }
        let code = u32::try_from(self.texts.len()).unwrap_or(u32::MAX);
        self.codes.insert(text.to_owned(), code);
        self.texts.push(text.to_owned());
        code
    }

    pub fn code(&self, text: &str) -> Option<u32> {
        self.codes.get(text).copied()
    }

    pub fn text(&self, code: u32) -> Option<&str> {
        self.texts.get(usize::try_from(code).ok()?).map(String::as_str)
    }
}
