//! The syntax tree of a rule. It is both what the parser produces from text
//! and what a rule builder edits (rows of attribute, operator and value
//! inside and/or groups); [`super::print`] turns it back into text. It keeps
//! names and values as written: resolving them is the checker's job.

use serde::{Deserialize, Serialize};

use super::span::Span;

/// A condition: a node of the rule tree.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// Every member holds. Parsed groups have at least two members.
    And(Vec<Expr>),
    /// At least one member holds. Parsed groups have at least two members.
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// `left op right`, e.g. `clicks(email, 7d) >= 2`.
    Compare {
        left: Term,
        op: CompareOp,
        right: Term,
    },
    /// `subject in [values]`, or `subject not in [values]` when `negated`.
    In {
        subject: Term,
        negated: bool,
        values: Vec<Term>,
    },
    /// A term standing alone as a condition: a flag such as `meeting_intent`,
    /// a definition such as `high_intent`, an event count meaning "at least
    /// one", or `true`/`false`.
    Condition(Term),
    /// Text that could not be parsed (already reported), kept as typed.
    Error(String),
}

/// A value inside a condition.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub kind: TermKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TermKind {
    /// An attribute, event flag, definition or channel, e.g. `stage`.
    Name(String),
    /// An event function call, e.g. `clicks(email, 7d)`.
    Call {
        function: String,
        args: Vec<Term>,
    },
    /// A value in double quotes, e.g. `"MQL"`.
    Text(String),
    /// A non-negative number, e.g. `14` or `2.5`.
    Number(f64),
    Bool(bool),
    /// A rolling window, e.g. `7d`.
    Duration(Duration),
    /// Text that could not be read as a value (already reported), kept as typed.
    Error(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CompareOp {
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

impl CompareOp {
    pub const ALL: [CompareOp; 6] = [
        CompareOp::Equal,
        CompareOp::NotEqual,
        CompareOp::Less,
        CompareOp::LessOrEqual,
        CompareOp::Greater,
        CompareOp::GreaterOrEqual,
    ];

    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Equal => "==",
            CompareOp::NotEqual => "!=",
            CompareOp::Less => "<",
            CompareOp::LessOrEqual => "<=",
            CompareOp::Greater => ">",
            CompareOp::GreaterOrEqual => ">=",
        }
    }

    /// The operator that gives the same answer with its sides swapped:
    /// `a < b` is `b > a`.
    pub fn flipped(self) -> CompareOp {
        match self {
            CompareOp::Less => CompareOp::Greater,
            CompareOp::LessOrEqual => CompareOp::GreaterOrEqual,
            CompareOp::Greater => CompareOp::Less,
            CompareOp::GreaterOrEqual => CompareOp::LessOrEqual,
            symmetric => symmetric,
        }
    }

    /// Whether the operator tests equality only, the one kind of comparison
    /// that makes sense for text, choices and flags.
    pub fn is_equality(self) -> bool {
        matches!(self, CompareOp::Equal | CompareOp::NotEqual)
    }

    pub fn holds(self, left: f64, right: f64) -> bool {
        match self {
            CompareOp::Equal => left == right,
            CompareOp::NotEqual => left != right,
            CompareOp::Less => left < right,
            CompareOp::LessOrEqual => left <= right,
            CompareOp::Greater => left > right,
            CompareOp::GreaterOrEqual => left >= right,
        }
    }
}

/// A rolling window as written: `amount` units, e.g. `48h`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Duration {
    pub amount: u32,
    pub unit: DurationUnit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DurationUnit {
    Minutes,
    Hours,
    Days,
}

impl DurationUnit {
    pub const ALL: [DurationUnit; 3] = [DurationUnit::Minutes, DurationUnit::Hours, DurationUnit::Days];

    pub fn suffix(self) -> char {
        match self {
            DurationUnit::Minutes => 'm',
            DurationUnit::Hours => 'h',
            DurationUnit::Days => 'd',
        }
    }

    pub fn from_suffix(suffix: char) -> Option<DurationUnit> {
        DurationUnit::ALL.into_iter().find(|unit| unit.suffix() == suffix)
    }

    fn minutes(self) -> u32 {
        match self {
            DurationUnit::Minutes => 1,
            DurationUnit::Hours => 60,
            DurationUnit::Days => 24 * 60,
        }
    }
}

impl Duration {
    /// The window in minutes, or `None` if that does not fit in a `u32`.
    pub fn minutes(self) -> Option<u32> {
        self.amount.checked_mul(self.unit.minutes())
    }
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }

    /// Sets every span in the tree to [`Span::NONE`], so that a parsed tree
    /// can be compared with one built by hand.
    pub fn erase_spans(&mut self) {
        self.span = Span::NONE;
        match &mut self.kind {
            ExprKind::And(members) | ExprKind::Or(members) => members.iter_mut().for_each(Expr::erase_spans),
            ExprKind::Not(inner) => inner.erase_spans(),
            ExprKind::Compare { left, right, .. } => {
                left.erase_spans();
                right.erase_spans();
            }
            ExprKind::In { subject, values, .. } => {
                subject.erase_spans();
                values.iter_mut().for_each(Term::erase_spans);
            }
            ExprKind::Condition(term) => term.erase_spans(),
            ExprKind::Error(_) => {}
        }
    }
}

impl Term {
    pub fn new(kind: TermKind, span: Span) -> Term {
        Term { kind, span }
    }

    pub fn erase_spans(&mut self) {
        self.span = Span::NONE;
        if let TermKind::Call { args, .. } = &mut self.kind {
            args.iter_mut().for_each(Term::erase_spans);
        }
    }
}
