//! The rule language shared by triggers, eligibility and suppressions.
//!
//! A rule is text a marketer types, such as
//! `consent == "opted_in" and stage in ["MQL", "SQL"]`, or the same tree
//! edited in the rule builder. It goes through four steps:
//!
//! 1. [`parse`]: text → [`Expr`] tree with byte spans, plus every syntax
//!    problem as a [`Diagnostic`]. Never fails, never panics.
//! 2. [`check`]: parses, then resolves names against the contact schema
//!    ([`ATTRIBUTES`]), the event functions ([`FUNCTIONS`]) and the named
//!    [`Definitions`], and type-checks every comparison. It returns a
//!    [`CheckedRule`] when there is no problem, and every diagnostic either
//!    way. This is the call for validating a rule, e.g. on import.
//! 3. [`Program::compile`]: a checked rule → a flat [`Program`], once.
//! 4. [`Program::eval`]: whether the rule holds for one contact of any
//!    [`Facts`] (for example [`ContactColumns`]), millions of times; or
//!    [`Program::eval_block`] for 64 contacts at once, the fast way through
//!    a whole cohort. [`Program::reads`] lists the inputs it depends on.
//!    Facts that keep a count per event query answer counts by slot: see
//!    [`QueryTable`] and [`ContactColumns::keep_counts`].
//!
//! [`print`] turns a tree back into canonical text. [`Interpreter`] walks a
//! tree directly: the reference the compiled program is tested against.
//! The grammar is described in `docs/rules.md`.
//!
//! ```
//! use tandem_engine::rules::{self, ContactColumns, ContactRow, Attribute, Definitions, Program, Vocabulary};
//!
//! let checked = rules::check(r#"consent == "opted_in" and days_in_stage >= 14"#, &Definitions::default());
//! assert!(checked.diagnostics.is_empty());
//! let program = Program::compile(&checked.rule.unwrap(), &Vocabulary::new());
//!
//! let mut contacts = ContactColumns::new();
//! contacts.push(ContactRow::new().set_code(Attribute::Consent, 0).set_number(Attribute::DaysInStage, 20.0));
//! assert!(program.eval(&contacts, 0));
//!
//! let typo = rules::check(r#"persnoa == "RevOps""#, &Definitions::default());
//! assert_eq!(typo.diagnostics[0].to_string(), "unknown attribute `persnoa` — did you mean `persona`?");
//! assert_eq!(typo.diagnostics[0].span.range(), 0..7);
//! ```

mod ast;
mod check;
mod columns;
mod compile;
mod definitions;
mod diagnostic;
mod facts;
mod interpret;
mod lexer;
mod parser;
mod print;
mod schema;
mod span;

pub use ast::{CompareOp, Duration, DurationUnit, Expr, ExprKind, Term, TermKind};
pub use check::{Checked, CheckedRule, check, check_expr};
pub use columns::{ContactColumns, ContactRow};
pub use compile::{Program, Reads};
pub use definitions::{DEFAULT_HIGH_INTENT, Definitions, HIGH_INTENT};
pub use diagnostic::Diagnostic;
pub use facts::{Event, EventQuery, Facts, QueryTable, Slot, Vocabulary};
pub use interpret::Interpreter;
pub use parser::{MAX_NESTING, Parsed, parse};
pub use print::{print, print_term};
pub use schema::{
    ATTRIBUTES, Attribute, AttributeKind, AttributeSpec, Channel, EventKind, FUNCTIONS, FunctionSpec,
    MAX_WINDOW_MINUTES, Param,
};
pub use span::Span;
