//! The one shape every problem with a rule takes, whether the lexer, the
//! parser or the checker found it: a place, a sentence a marketer can act on,
//! and where there is an obvious fix, the text to put in that place instead.

use std::fmt;

use super::span::Span;

/// One problem with a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The characters the problem is about.
    pub span: Span,
    /// A plain sentence, e.g. "unknown attribute `persnoa` — did you mean `persona`?".
    pub message: String,
    /// Text that could replace `span` to fix the problem, e.g. `persona`, when
    /// there is one obvious fix. An empty suggestion means "delete it".
    pub suggestion: Option<String>,
}

impl Diagnostic {
    pub(crate) fn new(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic { span, message: message.into(), suggestion: None }
    }

    pub(crate) fn suggest(mut self, replacement: impl Into<String>) -> Diagnostic {
        self.suggestion = Some(replacement.into());
        self
    }

    /// Puts `diagnostics` in reading order, by where they are; problems at
    /// the same place keep the order they were found in.
    pub(crate) fn sort_by_place(diagnostics: &mut [Diagnostic]) {
        diagnostics.sort_by_key(|diagnostic| diagnostic.span);
    }
}

/// The message alone: the span is for highlighting, not for reading.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// The closest of `candidates` to `typed`, if it is close enough to be what
/// the user meant: a match but for the case of ASCII letters, or a few
/// typos away (edit distance counting a swap of neighbours as one edit).
/// Other letters count a change of case as a typo: full Unicode case
/// folding would carry a 12 KB table into the page for the rare name
/// outside ASCII. Ties go to the earlier candidate, so suggestions never
/// depend on hashing.
pub(crate) fn closest<'c>(typed: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    const LONGEST_WORTH_COMPARING: usize = 48;
    let typed_chars: Vec<char> = typed.chars().map(|c| c.to_ascii_lowercase()).collect();
    if typed_chars.is_empty() || typed_chars.len() > LONGEST_WORTH_COMPARING {
        return None;
    }
    let allowed = match typed_chars.len() {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    };
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let candidate_chars: Vec<char> = candidate.chars().map(|c| c.to_ascii_lowercase()).collect();
        if candidate_chars.len() > typed_chars.len() + allowed {
            continue;
        }
        let distance = edit_distance(&typed_chars, &candidate_chars);
        if distance <= allowed && best.is_none_or(|(best_distance, _)| distance < best_distance) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Optimal string alignment distance: insertions, deletions, substitutions
/// and swaps of two neighbouring characters each cost one.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    for (j, cell) in rows.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i * width] = i;
        for j in 1..=b.len() {
            let substitution = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[(i - 1) * width + j] + 1)
                .min(rows[i * width + j - 1] + 1)
                .min(rows[(i - 1) * width + j - 1] + substitution);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[(i - 2) * width + j - 2] + 1);
            }
            rows[i * width + j] = best;
        }
    }
    rows[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_candidate_within_a_few_typos() {
        let names = ["consent", "persona", "stage"];
        assert_eq!(closest("persnoa", names), Some("persona"));
        assert_eq!(closest("STAGE", names), Some("stage"));
        assert_eq!(closest("stag", names), Some("stage"));
        assert_eq!(closest("revenue", names), None);
        assert_eq!(closest("", names), None);
    }

    #[test]
    fn counts_a_swap_of_neighbours_as_one_edit() {
        let chars = |text: &str| text.chars().collect::<Vec<_>>();
        assert_eq!(edit_distance(&chars("ab"), &chars("ba")), 1);
        assert_eq!(edit_distance(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(edit_distance(&chars(""), &chars("abc")), 3);
    }
}
