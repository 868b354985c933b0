//! The operands of a rule, resolved: a name becomes an attribute, a
//! definition or a value typed without quotes; a function call becomes an
//! event count with its arguments checked. Split from the checker so that
//! each file holds one job: what a term is here, how terms combine there.

use super::*;

/// A resolved term.
pub(super) enum Operand {
    Number(Number),
    Choice(Attribute, &'static [&'static str]),
    Text(Attribute),
    Condition(Cond),
    TextValue(String),
    BoolValue(bool),
}

impl Operand {
    pub(super) fn is_literal(&self) -> bool {
        matches!(self, Operand::TextValue(_) | Operand::BoolValue(_) | Operand::Number(Number::Constant(_)))
    }

    /// The attribute whose values this operand is compared with, if any.
    pub(super) fn value_attribute(&self) -> Option<Attribute> {
        match self {
            Operand::Choice(attribute, _) | Operand::Text(attribute) => Some(*attribute),
            _ => None,
        }
    }

    /// What the other side of a comparison with this operand must be.
    pub(super) fn expectation(&self) -> String {
        match self {
            Operand::Number(_) => "a number".to_owned(),
            Operand::Choice(attribute, values) => {
                let example = values.first().map(|value| quote(value)).unwrap_or_default();
                format!("a value of {attribute} in quotes (like {example})")
            }
            Operand::Text(attribute) => format!("a value of {attribute} in quotes"),
            Operand::Condition(_) => "true or false".to_owned(),
            Operand::TextValue(_) | Operand::BoolValue(_) => "an attribute or event".to_owned(),
        }
    }
}

impl Checker<'_> {
    /// Resolves a term. `value_of` is the attribute the term is compared
    /// with, if any, to recognise a value typed without quotes.
    pub(super) fn operand(&mut self, term: &Term, value_of: Option<Attribute>) -> Option<Operand> {
        match &term.kind {
            TermKind::Name(name) => self.name(name, term.span, value_of),
            TermKind::Call { function, args } => self.call(function, args, term.span),
            TermKind::Text(value) => Some(Operand::TextValue(value.clone())),
            TermKind::Number(value) => Some(Operand::Number(Number::Constant(*value))),
            TermKind::Bool(value) => Some(Operand::BoolValue(*value)),
            TermKind::Duration(duration) => {
                let printed = print_term(term);
                let message = format!(
                    "`{printed}` is a window and only goes inside an event function, like clicks(email, {printed})"
                );
                match duration.unit {
                    DurationUnit::Days => self.report_with_fix(term.span, message, duration.amount.to_string()),
                    _ => self.report(term.span, message),
                }
                None
            }
            TermKind::Error(typed) => {
                self.error_node(typed, term.span);
                None
            }
        }
    }

    fn name(&mut self, name: &str, span: Span, value_of: Option<Attribute>) -> Option<Operand> {
        if let Some(attribute) = Attribute::named(name) {
            return Some(match attribute.kind() {
                AttributeKind::Choice(values) => Operand::Choice(attribute, values),
                AttributeKind::Text => Operand::Text(attribute),
                AttributeKind::Number { .. } => Operand::Number(Number::Attribute(attribute)),
                AttributeKind::Flag => Operand::Condition(Cond::Atom(Atom::Flag(attribute))),
            });
        }
        if self.definitions.get(name).is_some() {
            return self.definition(name, span).map(Operand::Condition);
        }
        if let Some(function) = FunctionSpec::named(name) {
            let message = format!("{}; for example {}", function.usage(), function.example);
            self.report_with_fix(span, message, function.example);
            return None;
        }
        if Channel::named(name).is_some() {
            let message = format!("`{name}` is a channel; it goes inside an event function, like clicks({name}, 7d)");
            self.report(span, message);
            return None;
        }
        let unquoted_value = value_of.and_then(|attribute| match attribute.kind() {
            AttributeKind::Choice(values) => closest(name, values.iter().copied()).map(str::to_owned),
            AttributeKind::Text => Some(name.to_owned()),
            _ => None,
        });
        if let Some(value) = unquoted_value {
            let fix = quote(&value);
            self.report_with_fix(span, format!("values go in quotes, like {fix}"), fix);
            return None;
        }
        let names = ATTRIBUTES
            .iter()
            .map(|spec| spec.name)
            .chain(self.definitions.iter().map(|(name, _)| name))
            .chain(FUNCTIONS.iter().map(|function| function.name));
        match closest(name, names) {
            Some(known) => {
                let message = format!("unknown attribute `{name}` — did you mean `{known}`?");
                self.report_with_fix(span, message, known);
            }
            None => self.report(span, format!("unknown attribute `{name}`")),
        }
        None
    }

    fn call(&mut self, function: &str, args: &[Term], span: Span) -> Option<Operand> {
        let Some(spec) = FunctionSpec::named(function) else {
            let name_span = Span::new(span.start, span.start.saturating_add(function.len()).min(span.end));
            if Attribute::named(function).is_some() || self.definitions.get(function).is_some() {
                self.report(
                    name_span,
                    format!("`{function}` is not an event function; the event functions are {}", function_names()),
                );
            } else if let Some(known) = closest(function, FUNCTIONS.iter().map(|function| function.name)) {
                self.report_with_fix(
                    name_span,
                    format!("unknown function `{function}` — did you mean `{known}`?"),
                    known,
                );
            } else {
                self.report(
                    name_span,
                    format!("unknown function `{function}`; the event functions are {}", function_names()),
                );
            }
            return None;
        };
        if args.len() != spec.params.len() {
            self.report(span, spec.usage());
            return None;
        }
        let mut event = EventSpec { kind: spec.event, channel: None, page: None, window_minutes: 0 };
        let mut accepted = true;
        for (param, arg) in spec.params.iter().zip(args) {
            accepted &= self.argument(spec, *param, arg, &mut event);
        }
        accepted.then_some(Operand::Number(Number::Count(event)))
    }

    /// Checks one argument and records it in `event`; false if it is wrong.
    fn argument(&mut self, spec: &FunctionSpec, param: Param, arg: &Term, event: &mut EventSpec) -> bool {
        match (param, &arg.kind) {
            (_, TermKind::Error(typed)) => {
                self.error_node(typed, arg.span);
                false
            }
            (Param::Channel, TermKind::Name(name)) => {
                if let Some(channel) = Channel::named(name) {
                    event.channel = Some(channel);
                    return true;
                }
                match closest(name, Channel::ALL.map(Channel::name)) {
                    Some(known) => {
                        self.report_with_fix(
                            arg.span,
                            format!("unknown channel `{name}` — did you mean `{known}`?"),
                            known,
                        );
                        false
                    }
                    None => self.wrong_argument(spec, arg),
                }
            }
            (Param::Page, TermKind::Text(page)) if page.is_empty() => {
                self.report(arg.span, "the page name is empty");
                false
            }
            (Param::Page, TermKind::Text(page)) => {
                event.page = Some(page.clone());
                true
            }
            (Param::Page, TermKind::Name(name)) => {
                let fix = quote(name);
                self.report_with_fix(arg.span, format!("put the page name in quotes, like {fix}"), fix);
                false
            }
            (Param::Window, TermKind::Duration(duration)) => match duration.minutes() {
                Some(minutes) if (1..=MAX_WINDOW_MINUTES).contains(&minutes) => {
                    event.window_minutes = minutes;
                    true
                }
                _ => {
                    self.report(arg.span, "a window must be between 1m and 365d");
                    false
                }
            },
            (Param::Window, TermKind::Number(number)) if number.fract() == 0.0 && *number >= 1.0 => {
                let fix = format!("{}d", print_term(arg));
                self.report_with_fix(arg.span, format!("a window needs a unit, like {fix}, 48h or 30m"), fix);
                false
            }
            _ => self.wrong_argument(spec, arg),
        }
    }

    fn wrong_argument(&mut self, spec: &FunctionSpec, arg: &Term) -> bool {
        self.report(arg.span, format!("{}; found `{}`", spec.usage(), print_term(arg)));
        false
    }
}

fn function_names() -> String {
    let names: Vec<&str> = FUNCTIONS.iter().map(|function| function.name).collect();
    names.join(", ")
}
