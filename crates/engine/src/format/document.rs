//! Stage one of reading any Tandem document (a journey, a cohort, a shard's
//! partial result): the raw text is checked and parsed into JSON — its size,
//! encoding, byte-order mark, nesting, syntax, keys given twice and format
//! marker — before anything is built, so nothing here panics or loops on
//! hostile input.

use serde_json::Value;

use crate::simulate::figures::grouped;

/// Documents larger than this are refused unread.
pub const MAX_DOCUMENT_BYTES: usize = 5 * 1024 * 1024;
/// Documents nested deeper than this are refused unparsed.
pub const MAX_DEPTH: usize = 64;

/// One thing wrong with an imported document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportProblem {
    /// JSON pointer to the value, e.g. `/sms/2/trigger`; empty for the whole document.
    pub path: String,
    pub message: String,
    /// For a problem inside rule text: the byte range within that rule.
    pub rule_span: Option<(usize, usize)>,
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = if self.path.is_empty() { "/" } else { &self.path };
        match self.rule_span {
            Some((start, end)) => write!(f, "{path} (bytes {start}..{end} of the rule): {}", self.message),
            None => write!(f, "{path}: {}", self.message),
        }
    }
}

pub(super) fn problem(path: &str, message: impl Into<String>) -> ImportProblem {
    ImportProblem { path: path.into(), message: message.into(), rule_span: None }
}

/// What kind of document a reader expects: its format marker and how
/// messages name it.
#[derive(Clone, Copy, Debug)]
pub struct DocumentKind {
    /// The `format` value, e.g. `tandem.journey/v1`.
    pub marker: &'static str,
    /// Plural, for sizes: "journeys".
    pub plural: &'static str,
    /// Singular, for the whole file: "journey".
    pub singular: &'static str,
}

impl DocumentKind {
    pub const JOURNEY: DocumentKind =
        DocumentKind { marker: super::wire::FORMAT_V1, plural: "journeys", singular: "journey" };
    pub const COHORT: DocumentKind =
        DocumentKind { marker: super::cohort::COHORT_FORMAT_V1, plural: "cohorts", singular: "cohort" };
    /// Every kind of document Tandem reads.
    pub const ALL: [DocumentKind; 2] = [DocumentKind::JOURNEY, DocumentKind::COHORT];
}

/// A file's bytes as text, or a problem saying they are not UTF-8 (and where
/// the first byte that is not sits), for readers that get bytes, not text.
pub fn utf8(bytes: &[u8]) -> Result<&str, ImportProblem> {
    std::str::from_utf8(bytes).map_err(|error| {
        problem(
            "",
            format!(
                "This file is not UTF-8 text (byte {} is not); Tandem reads files saved as UTF-8.",
                grouped(error.valid_up_to() as u64)
            ),
        )
    })
}

/// Stage one: bounded, syntactically valid JSON carrying the format `kind`
/// names, with no key twice in one object.
pub fn parse_document(text: &str, kind: DocumentKind) -> Result<Value, ImportProblem> {
    let DocumentKind { marker, plural, singular } = kind;
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(problem(
            "",
            format!(
                "This file is {} bytes; Tandem reads {plural} up to 5 MiB ({} bytes).",
                grouped(text.len() as u64),
                grouped(MAX_DOCUMENT_BYTES as u64)
            ),
        ));
    }
    if text.starts_with('\u{feff}') {
        return Err(problem(
            "",
            "This file starts with a byte-order mark (U+FEFF), which JSON does not allow; save it as UTF-8 without one.",
        ));
    }
    if text.trim().is_empty() {
        return Err(problem("", "This file is empty."));
    }
    if nesting_depth(text) > MAX_DEPTH {
        return Err(problem(
            "",
            format!("This file nests more than {MAX_DEPTH} levels deep; a {singular} never does."),
        ));
    }
    let document: Value = serde_json::from_str(text).map_err(|error| {
        let (line, column) = (error.line(), error.column());
        problem(
            "",
            match error.classify() {
                serde_json::error::Category::Eof => {
                    format!("This file ends too early (line {line}, column {column}); it may have been cut off.")
                }
                _ => format!("This is not valid JSON: the first mistake is at line {line}, column {column}."),
            },
        )
    })?;
    if let Some(duplicate) = first_duplicate_key(text) {
        return Err(duplicate);
    }
    match document.get("format") {
        Some(Value::String(format)) if format == marker => Ok(document),
        Some(Value::String(format)) => Err(problem(
            "/format",
            match DocumentKind::ALL.iter().find(|other| other.marker == format) {
                Some(other) => format!(
                    "This is a {} file ({format}); a {singular} file ({marker}) is needed here.",
                    other.singular
                ),
                None => format!(
                    "This file is in the format `{format}`, which this version of Tandem does not read; it reads {marker}."
                ),
            },
        )),
        _ if !document.is_object() => {
            Err(problem("", format!("A {singular} file holds one JSON object; this holds something else.")))
        }
        _ => Err(problem(
            "/format",
            format!("This file has no \"format\" marker; a {singular} file says \"format\": \"{marker}\"."),
        )),
    }
}

/// The deepest nesting of arrays and objects, found without parsing.
fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for byte in text.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// One object being scanned by [`first_duplicate_key`].
struct Scanned {
    path: String,
    /// Each key seen so far, with its line.
    keys: std::collections::HashMap<String, usize>,
    /// The key whose value comes next; `None` where a key is due.
    current: Option<String>,
}

/// The first key that appears twice in one object, as a problem at its path
/// naming both lines. `serde_json` keeps the last of two equal keys, so a
/// document that says two things would be read as the second unnoticed.
/// `text` is valid JSON (it has been parsed), so a flat scan suffices.
fn first_duplicate_key(text: &str) -> Option<ImportProblem> {
    enum Frame {
        Object(Scanned),
        Array { path: String, index: usize },
    }
    let value_path = |stack: &[Frame]| match stack.last() {
        Some(Frame::Object(object)) => at(&object.path, object.current.as_deref().unwrap_or_default()),
        Some(Frame::Array { path, index }) => at(path, index),
        None => String::new(),
    };
    let bytes = text.as_bytes();
    let (mut stack, mut line, mut position) = (Vec::new(), 1, 0);
    while position < bytes.len() {
        match bytes[position] {
            b'\n' => line += 1,
            b'{' => {
                let path = value_path(&stack);
                stack.push(Frame::Object(Scanned { path, keys: Default::default(), current: None }));
            }
            b'[' => stack.push(Frame::Array { path: value_path(&stack), index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object(object)) => object.current = None,
                Some(Frame::Array { index, .. }) => *index += 1,
                None => {}
            },
            b'"' => {
                let start = position;
                position += 1;
                while bytes[position] != b'"' {
                    position += if bytes[position] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object(object)) = stack.last_mut()
                    && object.current.is_none()
                {
                    let key: String = serde_json::from_str(&text[start..=position]).unwrap_or_default();
                    if let Some(first) = object.keys.insert(key.clone(), line) {
                        return Some(problem(
                            &at(&object.path, &key),
                            format!(
                                "`{key}` appears twice in this object (lines {first} and {line}); keep one, \
                                 or Tandem would read only the last."
                            ),
                        ));
                    }
                    object.current = Some(key);
                }
            }
            _ => {}
        }
        position += 1;
    }
    None
}

/// Joins a JSON pointer and a key.
pub(super) fn at(path: &str, key: impl std::fmt::Display) -> String {
    format!("{path}/{key}")
}
