//! Turns tokens into the rule tree. It never gives up at the first problem:
//! a bad piece becomes an error node, the parser resynchronises, and every
//! problem is reported. Nesting is bounded, so no input can exhaust the
//! stack, and every step consumes input, so no input can make it loop.

use super::ast::{Expr, ExprKind, Term, TermKind};
use super::diagnostic::Diagnostic;
use super::lexer::{Token, TokenKind, lex};
use super::print::print_term;
use super::span::Span;

/// How many levels of parentheses, `not` and function calls a rule may nest.
pub const MAX_NESTING: usize = 64;

pub(crate) const TOO_DEEP: &str = "this rule nests too deeply (more than 64 levels of parentheses, `not` or calls)";

const IN_NEEDS_A_LIST: &str = "`in` needs a list like [\"MQL\", \"SQL\"]";

const LIST_ITEM: &str = "a value in the list";

/// The result of [`parse`]: a tree for any input, with error nodes where the
/// text could not be read, and every problem found.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub expr: Expr,
    /// Sorted by where they start in the text.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses rule text. Syntax only: names and types are checked by
/// [`super::check`], which also parses.
pub fn parse(text: &str) -> Parsed {
    let mut diagnostics = Vec::new();
    let tokens = lex(text, &mut diagnostics);
    let mut parser = Parser { text, tokens, next: 0, depth: 0, open_parens: 0, consumed_to: 0, diagnostics };
    let expr = if parser.at(&TokenKind::End) {
        let whole = Span::new(0, text.len());
        parser.report(whole, "the rule is empty; write a condition such as consent == \"opted_in\"");
        Expr::new(ExprKind::Error(text.to_owned()), whole)
    } else {
        let expr = parser.or_group();
        parser.trailing();
        expr
    };
    let mut diagnostics = parser.diagnostics;
    Diagnostic::sort_by_place(&mut diagnostics);
    Parsed { expr, diagnostics }
}

struct Parser<'t> {
    text: &'t str,
    /// Always ends with [`TokenKind::End`], which is never consumed.
    tokens: Vec<Token>,
    next: usize,
    /// Levels of parentheses, `not` and calls the parser is inside.
    depth: usize,
    /// Levels of parentheses only: a `)` outside them all is a stray.
    open_parens: usize,
    /// Where the last consumed token ends.
    consumed_to: usize,
    diagnostics: Vec<Diagnostic>,
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        let last = self.tokens.len().saturating_sub(1);
        &self.tokens[self.next.min(last)]
    }

    fn at(&self, kind: &TokenKind) -> bool {
        &self.peek().kind == kind
    }

    fn peek_second_is(&self, kind: &TokenKind) -> bool {
        self.tokens.get(self.next + 1).is_some_and(|token| &token.kind == kind)
    }

    fn advance(&mut self) -> Token {
        let token = self.peek().clone();
        if token.kind != TokenKind::End {
            self.next += 1;
            self.consumed_to = token.span.end;
        }
        token
    }

    fn eat(&mut self, kind: &TokenKind) -> bool {
        let found = self.at(kind);
        if found {
            self.advance();
        }
        found
    }

    fn report(&mut self, span: Span, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(span, message));
    }

    fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or_default()
    }

    /// How a message names a token: "`)`" or "the end of the rule".
    fn describe(&self, token: &Token) -> String {
        match token.kind {
            TokenKind::End => "the end of the rule".to_owned(),
            _ => format!("`{}`", self.slice(token.span)),
        }
    }

    fn starts_term(&self) -> bool {
        matches!(
            self.peek().kind,
            TokenKind::Word
                | TokenKind::Text(_)
                | TokenKind::Number(_)
                | TokenKind::Duration(_)
                | TokenKind::Bool(_)
                | TokenKind::Invalid
        )
    }

    /// Tokens that end the current piece and belong to whoever called it.
    fn at_boundary(&self) -> bool {
        matches!(self.peek().kind, TokenKind::End | TokenKind::And | TokenKind::Or | TokenKind::CloseParen)
    }

    fn or_group(&mut self) -> Expr {
        let first = self.and_group();
        if !self.at(&TokenKind::Or) {
            return first;
        }
        let mut members = vec![first];
        while self.eat(&TokenKind::Or) {
            members.push(self.and_group());
        }
        group(ExprKind::Or, members)
    }

    fn and_group(&mut self) -> Expr {
        let first = self.negation();
        self.skip_stray_closes();
        if !self.at(&TokenKind::And) {
            return first;
        }
        let mut members = vec![first];
        while self.eat(&TokenKind::And) {
            members.push(self.negation());
            self.skip_stray_closes();
        }
        group(ExprKind::And, members)
    }

    /// Reports each `)` that closes nothing and reads on as if it were not
    /// there, which is the fix the message offers.
    fn skip_stray_closes(&mut self) {
        while self.open_parens == 0 && self.at(&TokenKind::CloseParen) {
            let stray = self.advance();
            self.diagnostics.push(Diagnostic::new(stray.span, "this `)` has no matching `(`").suggest(""));
        }
    }

    fn negation(&mut self) -> Expr {
        if !self.at(&TokenKind::Not) {
            return self.condition();
        }
        if self.depth >= MAX_NESTING {
            let span = self.skip_too_deep();
            return Expr::new(ExprKind::Error(self.slice(span).to_owned()), span);
        }
        let not = self.advance();
        self.depth += 1;
        let inner = self.negation();
        self.depth -= 1;
        let span = not.span.to(inner.span);
        Expr::new(ExprKind::Not(Box::new(inner)), span)
    }

    fn condition(&mut self) -> Expr {
        self.skip_stray_closes();
        let token = self.peek().clone();
        match token.kind {
            TokenKind::OpenParen => self.parenthesised(),
            _ if self.starts_term() => self.comparison(),
            TokenKind::Compare(_) | TokenKind::In => {
                // The left side is missing: read the rest of the comparison
                // so that it is not reported as well.
                let op = self.advance();
                let op_text = self.slice(op.span).to_owned();
                self.report(op.span, format!("expected a value before `{op_text}`"));
                if op.kind == TokenKind::In {
                    self.list(op.span);
                } else {
                    self.operand(&format!("a value after `{op_text}`"));
                }
                let span = Span::new(op.span.start, self.consumed_to);
                Expr::new(ExprKind::Error(self.slice(span).to_owned()), span)
            }
            _ => {
                self.report(token.span, format!("expected a condition, found {}", self.describe(&token)));
                if !self.at_boundary() {
                    self.advance();
                }
                let span = Span::new(token.span.start, self.consumed_to.max(token.span.start));
                Expr::new(ExprKind::Error(self.slice(span).to_owned()), span)
            }
        }
    }

    fn parenthesised(&mut self) -> Expr {
        if self.depth >= MAX_NESTING {
            let span = self.skip_too_deep();
            return Expr::new(ExprKind::Error(self.slice(span).to_owned()), span);
        }
        let open = self.advance();
        self.depth += 1;
        self.open_parens += 1;
        let inner = self.or_group();
        self.open_parens -= 1;
        self.depth -= 1;
        if !self.eat(&TokenKind::CloseParen) {
            self.report(open.span, "this `(` is never closed");
        }
        inner
    }

    /// Reports nesting past [`MAX_NESTING`] and skips the too-deep part: up to
    /// the `)` that closes it, or the next `and`/`or` at its own level.
    fn skip_too_deep(&mut self) -> Span {
        let start = self.peek().span.start;
        let mut open = 0usize;
        loop {
            match self.peek().kind {
                TokenKind::End => break,
                TokenKind::And | TokenKind::Or if open == 0 => break,
                TokenKind::OpenParen | TokenKind::OpenBracket => open += 1,
                TokenKind::CloseParen | TokenKind::CloseBracket => {
                    if open == 0 {
                        break;
                    }
                    open -= 1;
                    if open == 0 {
                        self.advance();
                        break;
                    }
                }
                _ => {}
            }
            self.advance();
        }
        let span = Span::new(start, self.consumed_to.max(start));
        self.report(span, TOO_DEEP);
        span
    }

    fn comparison(&mut self) -> Expr {
        let left = self.term();
        match self.peek().kind {
            TokenKind::Compare(op) => {
                let op_token = self.advance();
                let right = self.operand(&format!("a value after `{}`", self.slice(op_token.span)));
                let span = left.span.to(op_token.span).to(right.span);
                Expr::new(ExprKind::Compare { left, op, right }, span)
            }
            TokenKind::In => {
                let in_token = self.advance();
                self.membership(left, false, in_token.span)
            }
            TokenKind::Not if self.peek_second_is(&TokenKind::In) => {
                self.advance();
                let in_token = self.advance();
                self.membership(left, true, in_token.span)
            }
            _ => {
                let span = left.span;
                Expr::new(ExprKind::Condition(left), span)
            }
        }
    }

    fn membership(&mut self, subject: Term, negated: bool, in_span: Span) -> Expr {
        let (values, end) = self.list(in_span);
        let span = subject.span.to(in_span).to(end);
        Expr::new(ExprKind::In { subject, negated, values }, span)
    }

    /// The `[…]` after `in`, and the span it ends with. A list in round
    /// brackets or a single value is read as meant and reported.
    fn list(&mut self, in_span: Span) -> (Vec<Term>, Span) {
        if self.at(&TokenKind::OpenParen) {
            let open = self.advance();
            let values = self.items(&open, TokenKind::CloseParen, LIST_ITEM);
            let span = Span::new(open.span.start, self.consumed_to);
            let printed: Vec<String> = values.iter().map(print_term).collect();
            self.diagnostics.push(Diagnostic::new(span, IN_NEEDS_A_LIST).suggest(format!("[{}]", printed.join(", "))));
            return (values, span);
        }
        if !self.at(&TokenKind::OpenBracket) {
            if self.starts_term() {
                let value = self.term();
                let mut diagnostic = Diagnostic::new(value.span, IN_NEEDS_A_LIST);
                if !matches!(value.kind, TermKind::Error(_)) {
                    diagnostic = diagnostic.suggest(format!("[{}]", print_term(&value)));
                }
                self.diagnostics.push(diagnostic);
                let span = value.span;
                return (vec![value], span);
            }
            let token = self.peek().clone();
            let span = if token.kind == TokenKind::End { in_span } else { token.span };
            self.report(span, IN_NEEDS_A_LIST);
            let placeholder = Term::new(TermKind::Error(String::new()), Span::new(in_span.end, in_span.end));
            return (vec![placeholder], in_span);
        }
        let open = self.advance();
        let values = self.items(&open, TokenKind::CloseBracket, LIST_ITEM);
        (values, Span::new(open.span.start, self.consumed_to))
    }

    /// Comma-separated terms up to `close`, which is consumed if present. A
    /// comma before `close` is allowed.
    fn items(&mut self, open: &Token, close: TokenKind, what: &str) -> Vec<Term> {
        let mut items = Vec::new();
        if self.eat(&close) {
            return items;
        }
        loop {
            items.push(self.operand(what));
            if self.eat(&TokenKind::Comma) {
                if self.eat(&close) {
                    break;
                }
                continue;
            }
            if self.eat(&close) {
                break;
            }
            let token = self.peek().clone();
            if self.starts_term() {
                // A missing comma: read on as if it were there.
                let found = self.slice(token.span).to_owned();
                let message = format!("expected `,` after {what}, found `{found}`");
                self.diagnostics.push(Diagnostic::new(token.span, message).suggest(format!(", {found}")));
                continue;
            }
            // Anything else ends the list: it was never closed.
            let bracket = self.slice(open.span).to_owned();
            self.report(open.span, format!("this `{bracket}` is never closed"));
            break;
        }
        items
    }

    /// A term where one is required; `expected` names it for the message.
    fn operand(&mut self, expected: &str) -> Term {
        if self.starts_term() {
            return self.term();
        }
        let token = self.peek().clone();
        self.report(token.span, format!("expected {expected}, found {}", self.describe(&token)));
        if matches!(token.kind, TokenKind::Compare(_) | TokenKind::In | TokenKind::Not | TokenKind::OpenBracket) {
            self.advance();
            return Term::new(TermKind::Error(self.slice(token.span).to_owned()), token.span);
        }
        Term::new(TermKind::Error(String::new()), Span::new(token.span.start, token.span.start))
    }

    fn term(&mut self) -> Term {
        let token = self.advance();
        let kind = match token.kind {
            TokenKind::Word if self.at(&TokenKind::OpenParen) => return self.call(token.span),
            TokenKind::Word => TermKind::Name(self.slice(token.span).to_owned()),
            TokenKind::Text(value) => TermKind::Text(value),
            TokenKind::Number(number) => TermKind::Number(number),
            TokenKind::Duration(duration) => TermKind::Duration(duration),
            TokenKind::Bool(value) => TermKind::Bool(value),
            _ => TermKind::Error(self.slice(token.span).to_owned()),
        };
        Term::new(kind, token.span)
    }

    fn call(&mut self, name_span: Span) -> Term {
        if self.depth >= MAX_NESTING {
            let skipped = self.skip_too_deep();
            let span = name_span.to(skipped);
            return Term::new(TermKind::Error(self.slice(span).to_owned()), span);
        }
        let open = self.advance();
        self.depth += 1;
        let args = self.items(&open, TokenKind::CloseParen, "an argument");
        self.depth -= 1;
        let function = self.slice(name_span).to_owned();
        Term::new(TermKind::Call { function, args }, Span::new(name_span.start, self.consumed_to))
    }

    /// Reports whatever follows a complete rule, and checks it for further
    /// problems so they are all reported at once.
    fn trailing(&mut self) {
        // Whether the gap before the next condition is already reported.
        let mut reported = false;
        while !self.at(&TokenKind::End) {
            let before = self.next;
            let token = self.peek().clone();
            let starts_condition = self.starts_term() || matches!(token.kind, TokenKind::Not | TokenKind::OpenParen);
            if starts_condition {
                if !reported && token.kind != TokenKind::Invalid {
                    self.report(token.span, format!("expected `and` or `or` before {}", self.describe(&token)));
                }
                self.or_group();
                reported = false;
            } else {
                self.report(token.span, format!("unexpected {} after a complete condition", self.describe(&token)));
                self.advance();
                reported = true;
            }
            if self.next == before {
                self.advance();
            }
        }
    }
}

fn group(kind: fn(Vec<Expr>) -> ExprKind, members: Vec<Expr>) -> Expr {
    let span = match (members.first(), members.last()) {
        (Some(first), Some(last)) => first.span.to(last.span),
        _ => Span::NONE,
    };
    Expr::new(kind(members), span)
}
