//! The checking walk every document reader shares: typed reads of fields,
//! lists, numbers, choices and times that report each problem at its JSON
//! path and go on, so a reader lists every problem rather than the first.

use serde_json::{Map, Value};

use super::document::{ImportProblem, at, problem};
use super::wire::{WireEnum, from_wire_name};
use crate::clock::parse_time_of_day;
use crate::model::TimeWindow;
use crate::validate::{MAX_ITEMS, MAX_TEXT_CHARS};

pub(super) struct Reader {
    pub(super) problems: Vec<ImportProblem>,
}

/// The unsigned types a journey's numbers are stored in.
pub(super) trait WholeNumber: Into<u64> + TryFrom<u64> {}
impl<T: Into<u64> + TryFrom<u64>> WholeNumber for T {}

impl Reader {
    pub(super) fn report(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(problem(path, message));
    }

    /// The object at `path`, after reporting keys it should not have.
    pub(super) fn object<'v>(&mut self, value: &'v Value, path: &str, keys: &[&str]) -> Option<&'v Map<String, Value>> {
        let Some(map) = value.as_object() else {
            self.report(path, format!("Expected an object here, found {}.", describe(value)));
            return None;
        };
        for key in map.keys().filter(|key| !keys.contains(&key.as_str())) {
            let known = keys.join(", ");
            self.report(&at(path, key), format!("`{key}` is not a field here; the fields are: {known}."));
        }
        Some(map)
    }

    pub(super) fn field<'v>(&mut self, map: &'v Map<String, Value>, path: &str, key: &str) -> Option<&'v Value> {
        let value = map.get(key);
        if value.is_none() {
            self.report(path, format!("The field `{key}` is missing."));
        }
        value
    }

    pub(super) fn text(&mut self, map: &Map<String, Value>, path: &str, key: &str) -> Option<String> {
        let value = self.field(map, path, key)?;
        let path = at(path, key);
        match value {
            Value::String(text) if text.chars().count() > MAX_TEXT_CHARS => {
                self.report(
                    &path,
                    format!("This text has {} characters; the most allowed is {MAX_TEXT_CHARS}.", text.chars().count()),
                );
                None
            }
            Value::String(text) => Some(text.clone()),
            other => {
                self.report(&path, format!("Expected text here, found {}.", describe(other)));
                None
            }
        }
    }

    pub(super) fn number<T: WholeNumber>(
        &mut self,
        map: &Map<String, Value>,
        path: &str,
        key: &str,
        max: T,
    ) -> Option<T> {
        let value = self.field(map, path, key)?;
        self.whole_number(value, &at(path, key), max)
    }

    /// A whole number from 0 to `max`, which is the field's own limit or, at
    /// most, the largest its type holds.
    pub(super) fn whole_number<T: WholeNumber>(&mut self, value: &Value, path: &str, max: T) -> Option<T> {
        let max = max.into();
        match value.as_u64() {
            Some(number) if number <= max => T::try_from(number).ok(),
            _ if value.is_number() => {
                self.report(path, format!("{value} is out of range; use a whole number from 0 to {max}."));
                None
            }
            _ => {
                self.report(path, format!("Expected a whole number here, found {}.", describe(value)));
                None
            }
        }
    }

    /// A finite number (any JSON number: weights, shares, parameters).
    pub(super) fn real(&mut self, map: &Map<String, Value>, path: &str, key: &str) -> Option<f64> {
        let value = self.field(map, path, key)?;
        match value.as_f64() {
            Some(number) if number.is_finite() => Some(number),
            _ => {
                self.report(&at(path, key), format!("Expected a number here, found {}.", describe(value)));
                None
            }
        }
    }

    /// An object whose keys are exactly `names` (in any order), each value
    /// read by `read` at its path; `None` if any is missing or unreadable.
    pub(super) fn keyed<T>(
        &mut self,
        map: &Map<String, Value>,
        path: &str,
        key: &str,
        names: &[&str],
        mut read: impl FnMut(&mut Self, &Value, &str) -> Option<T>,
    ) -> Option<Vec<T>> {
        let value = self.field(map, path, key)?;
        let path = at(path, key);
        let inner = self.object(value, &path, names)?;
        let mut all = Some(Vec::with_capacity(names.len()));
        for name in names {
            let item = match inner.get(*name) {
                Some(value) => read(self, value, &at(&path, name)),
                None => {
                    self.report(&path, format!("`{name}` is missing; it needs all of: {}.", names.join(", ")));
                    None
                }
            };
            match (item, all.as_mut()) {
                (Some(item), Some(all)) => all.push(item),
                _ => all = None,
            }
        }
        all
    }

    pub(super) fn flag(&mut self, map: &Map<String, Value>, path: &str, key: &str) -> Option<bool> {
        match self.field(map, path, key)? {
            Value::Bool(flag) => Some(*flag),
            other => {
                self.report(&at(path, key), format!("Expected true or false here, found {}.", describe(other)));
                None
            }
        }
    }

    pub(super) fn choice<T: WireEnum>(&mut self, value: &Value, path: &str) -> Option<T> {
        let names: Vec<&str> = T::NAMES.iter().map(|(name, _)| *name).collect();
        match value.as_str().and_then(from_wire_name) {
            Some(choice) => Some(choice),
            None => {
                self.report(path, format!("{} is not {}; use one of: {}.", describe(value), T::WHAT, names.join(", ")));
                None
            }
        }
    }

    pub(super) fn choice_field<T: WireEnum>(&mut self, map: &Map<String, Value>, path: &str, key: &str) -> Option<T> {
        let value = self.field(map, path, key)?;
        self.choice(value, &at(path, key))
    }

    pub(super) fn time(&mut self, value: &Value, path: &str) -> Option<u16> {
        let minute = value.as_str().and_then(parse_time_of_day);
        if minute.is_none() {
            self.report(path, format!("Expected a time of day like \"08:30\" here, found {}.", describe(value)));
        }
        minute
    }

    pub(super) fn window(&mut self, value: &Value, path: &str) -> Option<TimeWindow> {
        let map = self.object(value, path, &["start", "end"])?;
        let start = self.field(map, path, "start").and_then(|value| self.time(value, &at(path, "start")));
        let end = self.field(map, path, "end").and_then(|value| self.time(value, &at(path, "end")));
        Some(TimeWindow { start_minute: start?, end_minute: end? })
    }

    /// The elements of a bounded array, each with its path.
    pub(super) fn list<'v>(
        &mut self,
        map: &'v Map<String, Value>,
        path: &str,
        key: &str,
    ) -> Option<Vec<(String, &'v Value)>> {
        let value = self.field(map, path, key)?;
        let path = at(path, key);
        let Value::Array(items) = value else {
            self.report(&path, format!("Expected a list here, found {}.", describe(value)));
            return None;
        };
        if items.len() > MAX_ITEMS {
            self.report(&path, format!("This list has {} entries; the most allowed is {MAX_ITEMS}.", items.len()));
            return None;
        }
        Some(items.iter().enumerate().map(|(index, item)| (at(&path, index), item)).collect())
    }

    /// Every element must read; the list is `None` if any does not.
    pub(super) fn all<T>(
        &mut self,
        items: Vec<(String, &Value)>,
        mut read: impl FnMut(&mut Self, &Value, &str) -> Option<T>,
    ) -> Option<Vec<T>> {
        let read: Vec<Option<T>> = items.iter().map(|(path, value)| read(self, value, path)).collect();
        read.into_iter().collect()
    }

    pub(super) fn optional<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
        map.get(key).filter(|value| !value.is_null())
    }
}

/// A short description of a JSON value for messages.
pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        Value::String(text) if text.chars().count() > 40 => {
            format!("\"{}…\"", text.chars().take(40).collect::<String>())
        }
        Value::String(text) => format!("\"{text}\""),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}
