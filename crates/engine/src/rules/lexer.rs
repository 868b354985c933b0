//! Splits rule text into tokens, each with its byte span. Common slips from
//! other languages (`=`, `&&`, `||`, `!`, single or curly quotes, `AND`) are
//! reported with their fix and then read as what was meant, so one slip
//! gives one message and the rest of the rule is still checked.

use super::ast::{CompareOp, Duration, DurationUnit};
use super::diagnostic::Diagnostic;
use super::print::quote;
use super::span::Span;

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TokenKind {
    /// A name; its text is the token's span of the source.
    Word,
    And,
    Or,
    Not,
    In,
    Bool(bool),
    /// A quoted value, unescaped.
    Text(String),
    Number(f64),
    Duration(Duration),
    Compare(CompareOp),
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    Comma,
    /// Characters that are not part of the language (already reported).
    Invalid,
    /// The end of the text; always the last token.
    End,
}

const KEYWORDS: [(&str, TokenKind); 6] = [
    ("and", TokenKind::And),
    ("or", TokenKind::Or),
    ("not", TokenKind::Not),
    ("in", TokenKind::In),
    ("true", TokenKind::Bool(true)),
    ("false", TokenKind::Bool(false)),
];

/// The tokens of `text`, ending with [`TokenKind::End`]. Problems are pushed
/// onto `diagnostics`; lexing never fails.
pub(crate) fn lex(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<Token> {
    let mut lexer = Lexer { text, pos: 0, tokens: Vec::new(), diagnostics };
    lexer.run();
    lexer.tokens
}

struct Lexer<'t, 'd> {
    text: &'t str,
    pos: usize,
    tokens: Vec<Token>,
    diagnostics: &'d mut Vec<Diagnostic>,
}

impl Lexer<'_, '_> {
    fn run(&mut self) {
        loop {
            while self.peek().is_some_and(char::is_whitespace) {
                self.bump();
            }
            let start = self.pos;
            let Some(first) = self.bump() else {
                self.push(TokenKind::End, start);
                return;
            };
            match first {
                '(' => self.push(TokenKind::OpenParen, start),
                ')' => self.push(TokenKind::CloseParen, start),
                '[' => self.push(TokenKind::OpenBracket, start),
                ']' => self.push(TokenKind::CloseBracket, start),
                ',' => self.push(TokenKind::Comma, start),
                '=' => {
                    if !self.eat('=') {
                        self.report(start, "use `==` to compare values", "==");
                    }
                    self.push(TokenKind::Compare(CompareOp::Equal), start);
                }
                '!' => {
                    if self.eat('=') {
                        self.push(TokenKind::Compare(CompareOp::NotEqual), start);
                    } else {
                        self.report(start, "write `not` instead of `!`", "not");
                        self.push(TokenKind::Not, start);
                    }
                }
                '<' => {
                    let op = if self.eat('=') { CompareOp::LessOrEqual } else { CompareOp::Less };
                    self.push(TokenKind::Compare(op), start);
                }
                '>' => {
                    let op = if self.eat('=') { CompareOp::GreaterOrEqual } else { CompareOp::Greater };
                    self.push(TokenKind::Compare(op), start);
                }
                '&' if self.eat('&') => {
                    self.report(start, "write `and` instead of `&&`", "and");
                    self.push(TokenKind::And, start);
                }
                '|' if self.eat('|') => {
                    self.report(start, "write `or` instead of `||`", "or");
                    self.push(TokenKind::Or, start);
                }
                '"' => self.text_value(start, &['"']),
                '\'' => self.text_value(start, &['\'']),
                '“' | '”' => self.text_value(start, &['”', '“', '"']),
                digit if digit.is_ascii_digit() => self.number_or_window(start),
                letter if letter.is_alphabetic() || letter == '_' => self.word(start),
                _ => self.invalid_run(start),
            }
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let next = self.peek()?;
        self.pos += next.len_utf8();
        Some(next)
    }

    fn eat(&mut self, expected: char) -> bool {
        let found = self.peek() == Some(expected);
        if found {
            self.bump();
        }
        found
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        self.tokens.push(Token { kind, span: Span::new(start, self.pos) });
    }

    fn report(&mut self, start: usize, message: &str, suggestion: &str) {
        self.diagnostics.push(Diagnostic::new(Span::new(start, self.pos), message).suggest(suggestion));
    }

    /// A quoted value. Only `"…"` is correct; single and curly quotes are
    /// read too, with a message.
    fn text_value(&mut self, start: usize, closers: &[char]) {
        let mut value = String::new();
        loop {
            let Some(next) = self.bump() else {
                let message = format!("this text has no closing `{}`", closers[0]);
                self.diagnostics.push(Diagnostic::new(Span::new(start, self.pos), message));
                break;
            };
            if closers.contains(&next) {
                if !self.text[start..].starts_with('"') {
                    self.report(start, "put text in straight double quotes, like \"pricing\"", &quote(&value));
                }
                break;
            }
            if next != '\\' {
                value.push(next);
                continue;
            }
            let escape_start = self.pos - 1;
            match self.peek() {
                Some(escaped @ ('"' | '\\')) => {
                    self.bump();
                    value.push(escaped);
                }
                Some(other) => {
                    self.bump();
                    value.push('\\');
                    value.push(other);
                    let escape = format!("\\{other}");
                    self.diagnostics.push(
                        Diagnostic::new(
                            Span::new(escape_start, self.pos),
                            format!(
                                "`{escape}` is not an escape; \
                                 inside quotes write \\\" for a quote and \\\\ for a backslash"
                            ),
                        )
                        .suggest(format!("\\{escape}")),
                    );
                }
                None => value.push('\\'),
            }
        }
        self.push(TokenKind::Text(value), start);
    }

    /// `14`, `2.5`, or a window: a whole number followed by `d`, `h` or `m`.
    fn number_or_window(&mut self, start: usize) {
        while self.peek().is_some_and(|next| next.is_alphanumeric() || next == '_' || next == '.') {
            self.bump();
        }
        let typed = &self.text[start..self.pos];
        let kind = match read_number_or_window(typed) {
            Ok(kind) => kind,
            Err(problem) => {
                let mut diagnostic = Diagnostic::new(Span::new(start, self.pos), problem);
                if let Some(window) =
                    spelled_out_window(typed).filter(|window| window != typed && read_number_or_window(window).is_ok())
                {
                    diagnostic = diagnostic.suggest(window);
                }
                self.diagnostics.push(diagnostic);
                TokenKind::Invalid
            }
        };
        self.push(kind, start);
    }

    fn word(&mut self, start: usize) {
        while self.peek().is_some_and(|next| next.is_alphanumeric() || next == '_') {
            self.bump();
        }
        let typed = &self.text[start..self.pos];
        let keyword = KEYWORDS.iter().find(|(keyword, _)| keyword.eq_ignore_ascii_case(typed));
        let kind = match keyword {
            Some((keyword, kind)) => {
                if *keyword != typed {
                    self.report(start, &format!("write `{keyword}` in lowercase"), keyword);
                }
                kind.clone()
            }
            None => TokenKind::Word,
        };
        self.push(kind, start);
    }

    /// A run of characters the language has no use for, reported once.
    fn invalid_run(&mut self, start: usize) {
        while self.peek().is_some_and(|next| !next.is_whitespace() && !starts_token(next)) {
            self.bump();
        }
        let typed = &self.text[start..self.pos];
        self.diagnostics
            .push(Diagnostic::new(Span::new(start, self.pos), format!("`{typed}` can't be used in a rule")));
        self.push(TokenKind::Invalid, start);
    }
}

fn starts_token(next: char) -> bool {
    next.is_alphanumeric() || "_()[],=!<>&|\"'“”".contains(next)
}

fn read_number_or_window(typed: &str) -> Result<TokenKind, String> {
    let not_understood = || format!("`{typed}` is not a number or a window (windows look like 7d, 48h or 30m)");
    let digits_end = typed.find(|c: char| !c.is_ascii_digit()).unwrap_or(typed.len());
    let (digits, rest) = typed.split_at(digits_end);
    let mut rest_chars = rest.chars();
    match (rest_chars.next(), rest_chars.as_str()) {
        (None, _) => read_number(typed),
        (Some('.'), decimals) if !decimals.is_empty() && decimals.bytes().all(|b| b.is_ascii_digit()) => {
            read_number(typed)
        }
        (Some(suffix), "") => {
            let unit = DurationUnit::from_suffix(suffix).ok_or_else(not_understood)?;
            let amount = digits.parse::<u32>().map_err(|_| "this window is too long to count".to_owned())?;
            Ok(TokenKind::Duration(Duration { amount, unit }))
        }
        _ => Err(not_understood()),
    }
}

fn read_number(typed: &str) -> Result<TokenKind, String> {
    match crate::decimal::read(typed) {
        Some(number) if number.is_finite() => Ok(TokenKind::Number(number)),
        _ => Err("this number is too large".to_owned()),
    }
}

/// `7days`, `48 Hours`-style spellings of a window, written the short way.
fn spelled_out_window(typed: &str) -> Option<String> {
    let digits_end = typed.find(|c: char| !c.is_ascii_digit())?;
    let (digits, unit) = typed.split_at(digits_end);
    let suffix = match unit.to_ascii_lowercase().as_str() {
        "d" | "day" | "days" => 'd',
        "h" | "hr" | "hrs" | "hour" | "hours" => 'h',
        "m" | "min" | "mins" | "minute" | "minutes" => 'm',
        _ => return None,
    };
    Some(format!("{digits}{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> (Vec<TokenKind>, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let tokens = lex(text, &mut diagnostics);
        (tokens.into_iter().map(|token| token.kind).collect(), diagnostics)
    }

    #[test]
    fn reads_every_kind_of_token() {
        let (tokens, diagnostics) =
            kinds(r#"a_1 and or not in true false "x\"\\" 2.5 7d 48h 30m == != < <= > >= ( ) [ ] ,"#);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        use TokenKind::*;
        let expected = vec![
            Word,
            And,
            Or,
            Not,
            In,
            Bool(true),
            Bool(false),
            Text("x\"\\".into()),
            Number(2.5),
            Duration(super::Duration { amount: 7, unit: DurationUnit::Days }),
            Duration(super::Duration { amount: 48, unit: DurationUnit::Hours }),
            Duration(super::Duration { amount: 30, unit: DurationUnit::Minutes }),
            Compare(CompareOp::Equal),
            Compare(CompareOp::NotEqual),
            Compare(CompareOp::Less),
            Compare(CompareOp::LessOrEqual),
            Compare(CompareOp::Greater),
            Compare(CompareOp::GreaterOrEqual),
            OpenParen,
            CloseParen,
            OpenBracket,
            CloseBracket,
            Comma,
            End,
        ];
        assert_eq!(tokens, expected);
    }

    #[test]
    fn spans_cover_multibyte_characters_whole() {
        let text = "persöna == \"é\" ☃";
        let mut diagnostics = Vec::new();
        let tokens = lex(text, &mut diagnostics);
        assert_eq!(&text[tokens[0].span.range()], "persöna");
        assert_eq!(&text[tokens[2].span.range()], "\"é\"");
        assert_eq!(&text[diagnostics[0].span.range()], "☃");
    }
}
