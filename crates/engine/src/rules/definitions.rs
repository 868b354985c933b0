//! Named conditions users define once and reuse in any rule, such as
//! `high_intent`. They are kept as rule text, visible and editable like any
//! other rule, and checked where they are used.

use std::collections::BTreeMap;

/// The name of the built-in definition of a high-intent contact.
pub const HIGH_INTENT: &str = "high_intent";

/// What `high_intent` means unless the user redefines it.
pub const DEFAULT_HIGH_INTENT: &str = r#"meeting_intent or visited("pricing", 3d) or clicks(email, 7d) >= 3"#;

/// Named definitions: name → rule text. A name that is also an attribute,
/// function or channel is never looked up here, since those come first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definitions {
    texts: BTreeMap<String, String>,
}

/// `high_intent` with its default definition.
impl Default for Definitions {
    fn default() -> Definitions {
        let mut definitions = Definitions::empty();
        definitions.insert(HIGH_INTENT, DEFAULT_HIGH_INTENT);
        definitions
    }
}

impl Definitions {
    /// No definitions at all, not even `high_intent`.
    pub fn empty() -> Definitions {
        Definitions { texts: BTreeMap::new() }
    }

    /// Defines or redefines `name`, returning the text it had before.
    pub fn insert(&mut self, name: impl Into<String>, text: impl Into<String>) -> Option<String> {
        self.texts.insert(name.into(), text.into())
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.texts.get(name).map(String::as_str)
    }

    /// Every definition, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.texts.iter().map(|(name, text)| (name.as_str(), text.as_str()))
    }
}
