//! Turns a rule tree back into canonical text: one space around operators,
//! lowercase keywords, `==` rather than `=`, and only the parentheses the
//! tree needs. Parsing the printed text gives the same tree back (ignoring
//! spans), so the text box and the rule builder can hand a rule back and
//! forth without drift, and printing is idempotent.

use super::ast::{Expr, ExprKind, Term, TermKind};

/// The canonical text of a rule tree.
///
/// A group with one member prints as that member, an empty `and` group as
/// `true` and an empty `or` group as `false`; error nodes print as typed.
pub fn print(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, expr, Parent::Top);
    out
}

/// What a condition sits inside, which decides whether it needs parentheses.
#[derive(Clone, Copy, PartialEq)]
enum Parent {
    Top,
    And,
    Or,
    Not,
}

fn write_expr(out: &mut String, expr: &Expr, parent: Parent) {
    match &expr.kind {
        ExprKind::And(members) => write_group(out, members, " and ", Parent::And, parent, "true"),
        ExprKind::Or(members) => write_group(out, members, " or ", Parent::Or, parent, "false"),
        ExprKind::Not(inner) => {
            out.push_str("not ");
            write_expr(out, inner, Parent::Not);
        }
        ExprKind::Compare { left, op, right } => {
            write_term(out, left);
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            write_term(out, right);
        }
        ExprKind::In { subject, negated, values } => {
            write_term(out, subject);
            out.push_str(if *negated { " not in [" } else { " in [" });
            write_terms(out, values);
            out.push(']');
        }
        ExprKind::Condition(term) => write_term(out, term),
        ExprKind::Error(typed) => out.push_str(typed),
    }
}

fn write_group(out: &mut String, members: &[Expr], separator: &str, this: Parent, parent: Parent, empty: &str) {
    match members {
        [] => out.push_str(empty),
        [only] => write_expr(out, only, parent),
        _ => {
            // `and` binds tighter than `or`, so only an `and` group inside an
            // `or` group (or at the top) goes without parentheses. A group
            // inside a group of its own kind keeps them so that the tree
            // survives the round trip.
            let bare = parent == Parent::Top || (this == Parent::And && parent == Parent::Or);
            if !bare {
                out.push('(');
            }
            for (index, member) in members.iter().enumerate() {
                if index > 0 {
                    out.push_str(separator);
                }
                write_expr(out, member, this);
            }
            if !bare {
                out.push(')');
            }
        }
    }
}

/// The canonical text of one term, e.g. `clicks(email, 7d)` or `"VP Sales"`.
pub fn print_term(term: &Term) -> String {
    let mut out = String::new();
    write_term(&mut out, term);
    out
}

fn write_term(out: &mut String, term: &Term) {
    match &term.kind {
        TermKind::Name(name) => out.push_str(name),
        TermKind::Call { function, args } => {
            out.push_str(function);
            out.push('(');
            write_terms(out, args);
            out.push(')');
        }
        TermKind::Text(value) => out.push_str(&quote(value)),
        TermKind::Number(number) => out.push_str(&number.to_string()),
        TermKind::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        TermKind::Duration(duration) => {
            out.push_str(&duration.amount.to_string());
            out.push(duration.unit.suffix());
        }
        TermKind::Error(typed) => out.push_str(typed),
    }
}

fn write_terms(out: &mut String, terms: &[Term]) {
    for (index, term) in terms.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        write_term(out, term);
    }
}

/// `value` in double quotes, with `"` and `\` escaped.
pub(crate) fn quote(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for character in value.chars() {
        if matches!(character, '"' | '\\') {
            quoted.push('\\');
        }
        quoted.push(character);
    }
    quoted.push('"');
    quoted
}
