//! The rule builder's model: a rule as rows (subject, operator, value)
//! inside all-of / any-of groups, read from the parsed rule and written
//! back as canonical text. Text is the source of truth: the builder only
//! ever produces text, and parts it cannot show as rows (a `not`, an
//! unfinished piece) stay as they are, so switching between the two never
//! loses anything. Pure, tested natively.

use tandem_engine::rules::{self, CompareOp, Expr, ExprKind, print, print_term};

/// How a row compares its subject with its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowOp {
    Compare(CompareOp),
    In,
    NotIn,
    /// The subject alone, as a condition (a flag, or an event count meaning "at least one").
    Holds,
}

impl RowOp {
    pub const ALL: [RowOp; 9] = [
        RowOp::Compare(CompareOp::Equal),
        RowOp::Compare(CompareOp::NotEqual),
        RowOp::In,
        RowOp::NotIn,
        RowOp::Compare(CompareOp::Less),
        RowOp::Compare(CompareOp::LessOrEqual),
        RowOp::Compare(CompareOp::Greater),
        RowOp::Compare(CompareOp::GreaterOrEqual),
        RowOp::Holds,
    ];

    /// How the operator is written in rules (empty for [`RowOp::Holds`]).
    pub fn symbol(self) -> &'static str {
        match self {
            RowOp::Compare(op) => op.symbol(),
            RowOp::In => "in",
            RowOp::NotIn => "not in",
            RowOp::Holds => "",
        }
    }

    /// How the builder's drop-down names it.
    pub fn label(self) -> &'static str {
        match self {
            RowOp::Holds => "is true",
            RowOp::In => "is one of",
            RowOp::NotIn => "is none of",
            RowOp::Compare(op) => op.symbol(),
        }
    }
}

/// One condition as the builder shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// An attribute name or an event function call, e.g. `clicks(email, 7d)`.
    pub subject: String,
    pub op: RowOp,
    /// The value as written, e.g. `"MQL"`, `14` or `["MQL", "SQL"]`.
    pub value: String,
}

/// A rule as the builder shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// All of (`and`) or any of (`or`) its members.
    Group {
        any: bool,
        members: Vec<Node>,
    },
    Row(Row),
    /// A part the builder does not break down, kept as its text.
    Other(String),
}

impl Node {
    /// The rule `text` as builder nodes, always with a group at the top;
    /// `None` when the text does not parse (the text editor shows why).
    pub fn from_text(text: &str) -> Option<Node> {
        if text.trim().is_empty() {
            return Some(Node::Group { any: false, members: Vec::new() });
        }
        let parsed = rules::parse(text);
        if !parsed.diagnostics.is_empty() {
            return None;
        }
        Some(match Node::from_expr(&parsed.expr) {
            group @ Node::Group { .. } => group,
            single => Node::Group { any: false, members: vec![single] },
        })
    }

    fn from_expr(expr: &Expr) -> Node {
        match &expr.kind {
            ExprKind::And(members) => {
                Node::Group { any: false, members: members.iter().map(Node::from_expr).collect() }
            }
            ExprKind::Or(members) => Node::Group { any: true, members: members.iter().map(Node::from_expr).collect() },
            ExprKind::Compare { left, op, right } => {
                Node::Row(Row { subject: print_term(left), op: RowOp::Compare(*op), value: print_term(right) })
            }
            ExprKind::In { subject, negated, values } => Node::Row(Row {
                subject: print_term(subject),
                op: if *negated { RowOp::NotIn } else { RowOp::In },
                value: format!("[{}]", values.iter().map(print_term).collect::<Vec<_>>().join(", ")),
            }),
            ExprKind::Condition(term) => {
                Node::Row(Row { subject: print_term(term), op: RowOp::Holds, value: String::new() })
            }
            ExprKind::Not(_) | ExprKind::Error(_) => Node::Other(print(expr)),
        }
    }

    /// The node as rule text, parenthesised where it sits inside a group.
    fn write(&self, nested: bool) -> String {
        match self {
            Node::Group { any, members } => {
                let joined = members.iter().map(|member| member.write(true)).collect::<Vec<_>>().join(if *any {
                    " or "
                } else {
                    " and "
                });
                match (members.len(), nested) {
                    (0, _) => if *any { "false" } else { "true" }.to_owned(),
                    (1, _) | (_, false) => joined,
                    _ => format!("({joined})"),
                }
            }
            Node::Row(row) => {
                let value = if row.op == RowOp::Holds { "" } else { row.value.trim() };
                [row.subject.trim(), row.op.symbol(), value]
                    .into_iter()
                    .filter(|part| !part.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            Node::Other(text) if nested => format!("({text})"),
            Node::Other(text) => text.clone(),
        }
    }

    /// The rule text: canonical when it parses, as built otherwise (so the
    /// text editor can point at the unfinished part).
    pub fn to_text(&self) -> String {
        let text = self.write(false);
        let parsed = rules::parse(&text);
        if parsed.diagnostics.is_empty() { print(&parsed.expr) } else { text }
    }

    /// The node at `path` (indexes into nested groups).
    pub fn at_mut(&mut self, path: &[usize]) -> Option<&mut Node> {
        match path.split_first() {
            None => Some(self),
            Some((first, rest)) => match self {
                Node::Group { members, .. } => members.get_mut(*first)?.at_mut(rest),
                _ => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_become_rows_and_rows_become_the_same_rules() {
        let cases = [
            r#"consent == "opted_in" and stage in ["MQL", "SQL"]"#,
            r#"visited("pricing", 3d) or clicks(email, 7d) >= 2"#,
            r#"consent == "opted_in" and (meeting_intent or days_in_stage >= 14) and persona not in ["IT"]"#,
            r#"not is_customer and opens(email, 14d) >= 2"#,
            "meeting_intent",
        ];
        for text in cases {
            let node = Node::from_text(text).unwrap();
            assert_eq!(node.to_text(), text, "{node:#?}");
        }
        let node = Node::from_text(r#"consent == "opted_in" and stage in ["MQL", "SQL"]"#).unwrap();
        let Node::Group { any: false, members } = &node else { panic!("{node:?}") };
        assert_eq!(
            members[1],
            Node::Row(Row { subject: "stage".into(), op: RowOp::In, value: r#"["MQL", "SQL"]"#.into() })
        );
        assert_eq!(
            Node::from_text("stage == ").map(|node| node.to_text()),
            None,
            "broken text is left to the text editor"
        );
    }

    #[test]
    fn editing_rows_and_groups_writes_canonical_text() {
        let mut node = Node::from_text(r#"consent == "opted_in""#).unwrap();
        let Some(Node::Group { members, any }) = node.at_mut(&[]) else { panic!() };
        members.push(Node::Row(Row {
            subject: "stage".into(),
            op: RowOp::Compare(CompareOp::Equal),
            value: "\"SQL\"".into(),
        }));
        members.push(Node::Group {
            any: true,
            members: vec![
                Node::Row(Row { subject: "meeting_intent".into(), op: RowOp::Holds, value: String::new() }),
                Node::Row(Row { subject: "visited(\"demo\", 2d)".into(), op: RowOp::Holds, value: String::new() }),
            ],
        });
        assert!(!*any);
        assert_eq!(
            node.to_text(),
            r#"consent == "opted_in" and stage == "SQL" and (meeting_intent or visited("demo", 2d))"#
        );
        if let Some(Node::Group { any, .. }) = node.at_mut(&[]) {
            *any = true;
        }
        // The inner group stays a group of its own.
        assert_eq!(
            node.to_text(),
            r#"consent == "opted_in" or stage == "SQL" or (meeting_intent or visited("demo", 2d))"#
        );
        // An unfinished row is kept as built, for the text editor to point at.
        if let Some(Node::Row(row)) = node.at_mut(&[1]) {
            row.value.clear();
        }
        assert_eq!(node.to_text(), r#"consent == "opted_in" or stage == or (meeting_intent or visited("demo", 2d))"#);
        assert_eq!(Node::from_text("").unwrap().to_text(), "true");
    }
}
