//! Where a piece of a rule sits in the text the user typed, so that every
//! message can point at the exact characters it is about.

use std::fmt;
use std::ops::Range;

/// A byte range `start..end` into the rule text. Both ends always fall on
/// character boundaries, so `&text[span.range()]` never panics for the text
/// the span came from. Trees built by hand (by the rule builder) use
/// [`Span::NONE`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// The span of a node that was not parsed from text.
    pub const NONE: Span = Span { start: 0, end: 0 };

    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}
