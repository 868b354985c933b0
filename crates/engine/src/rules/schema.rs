//! What a rule can talk about, as data: the contact attributes with their
//! types and allowed values, and the event functions with their parameters.
//! The checker, the interpreter, the documentation and a rule builder's
//! drop-downs all read these tables, so adding an attribute is one entry.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::places::US_STATES;

/// A fact about a contact that a rule can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Attribute {
    Consent,
    Persona,
    Stage,
    Industry,
    IndustryRisk,
    State,
    DaysInStage,
    EngagementScore,
    Owner,
    IsCustomer,
    OpenOpportunity,
    InSalesHands,
    OptedOut,
    MeetingIntent,
}

/// What values an attribute takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AttributeKind {
    /// One of a fixed list of values; a contact's value is its index in the list.
    Choice(&'static [&'static str]),
    /// A number within `min..=max`.
    Number { min: f64, max: f64 },
    /// Free text, such as an owner's name; a contact's value is its code in a
    /// [`super::Vocabulary`].
    Text,
    /// True or false.
    Flag,
}

/// One row of the contact schema.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AttributeSpec {
    pub attribute: Attribute,
    /// How rules spell it.
    pub name: &'static str,
    pub kind: AttributeKind,
    /// One line for documentation and tooltips.
    pub about: &'static str,
}

const STAGES: &[&str] = &["Lead", "MQL", "SQL", "Opportunity", "Customer"];

/// The contact schema, in [`Attribute`] order.
pub const ATTRIBUTES: [AttributeSpec; Attribute::COUNT] = [
    AttributeSpec {
        attribute: Attribute::Consent,
        name: "consent",
        kind: AttributeKind::Choice(&["opted_in", "unknown", "opted_out"]),
        about: "SMS consent status",
    },
    AttributeSpec {
        attribute: Attribute::Persona,
        name: "persona",
        kind: AttributeKind::Choice(&["VP Sales", "RevOps", "Marketing Ops", "Sales Manager", "Founder", "IT"]),
        about: "the buyer persona",
    },
    AttributeSpec {
        attribute: Attribute::Stage,
        name: "stage",
        kind: AttributeKind::Choice(STAGES),
        about: "where the contact is in the buying process",
    },
    AttributeSpec {
        attribute: Attribute::Industry,
        name: "industry",
        kind: AttributeKind::Choice(&[
            "SaaS",
            "Manufacturing",
            "Healthcare",
            "Financial Services",
            "Retail",
            "Education",
        ]),
        about: "the contact's industry",
    },
    AttributeSpec {
        attribute: Attribute::IndustryRisk,
        name: "industry_risk",
        kind: AttributeKind::Choice(&["low", "medium", "high"]),
        about: "how regulated the contact's industry is",
    },
    AttributeSpec {
        attribute: Attribute::State,
        name: "state",
        kind: AttributeKind::Choice(&US_STATES),
        about: "two-letter US state (or DC) the phone number belongs to",
    },
    AttributeSpec {
        attribute: Attribute::DaysInStage,
        name: "days_in_stage",
        kind: AttributeKind::Number { min: 0.0, max: f64::INFINITY },
        about: "whole days since the contact entered its current stage",
    },
    AttributeSpec {
        attribute: Attribute::EngagementScore,
        name: "engagement_score",
        kind: AttributeKind::Number { min: 0.0, max: 100.0 },
        about: "engagement score from 0 to 100",
    },
    AttributeSpec {
        attribute: Attribute::Owner,
        name: "owner",
        kind: AttributeKind::Text,
        about: "the name of the contact's owner in Sales",
    },
    AttributeSpec {
        attribute: Attribute::IsCustomer,
        name: "is_customer",
        kind: AttributeKind::Flag,
        about: "the contact's company is already a customer",
    },
    AttributeSpec {
        attribute: Attribute::OpenOpportunity,
        name: "open_opportunity",
        kind: AttributeKind::Flag,
        about: "an opportunity is open for the contact",
    },
    AttributeSpec {
        attribute: Attribute::InSalesHands,
        name: "in_sales_hands",
        kind: AttributeKind::Flag,
        about: "the contact replied and Sales is handling the conversation",
    },
    AttributeSpec {
        attribute: Attribute::OptedOut,
        name: "opted_out",
        kind: AttributeKind::Flag,
        about: "the contact has opted out of SMS (STOP)",
    },
    AttributeSpec {
        attribute: Attribute::MeetingIntent,
        name: "meeting_intent",
        kind: AttributeKind::Flag,
        about: "event flag: the contact showed intent to meet (e.g. opened the booking page)",
    },
];

/// A [`AttributeKind::Choice`] value is tested against a 64-bit set.
pub(crate) const MAX_CHOICES: usize = 64;

/// The 64-bit set of every value of a choice attribute with these values.
pub(crate) fn every_choice(values: &[&str]) -> u64 {
    match values.len() {
        MAX_CHOICES.. => u64::MAX,
        count => (1u64 << count) - 1,
    }
}

const _: () = {
    let mut index = 0;
    while index < ATTRIBUTES.len() {
        assert!(ATTRIBUTES[index].attribute as usize == index, "ATTRIBUTES must be in Attribute order");
        if let AttributeKind::Choice(values) = ATTRIBUTES[index].kind {
            assert!(values.len() <= MAX_CHOICES, "a choice attribute has too many values for a 64-bit set");
        }
        index += 1;
    }
};

impl Attribute {
    pub const COUNT: usize = 14;

    pub fn spec(self) -> &'static AttributeSpec {
        &ATTRIBUTES[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn kind(self) -> AttributeKind {
        self.spec().kind
    }

    /// The attribute rules spell `name`, if any.
    pub fn named(name: &str) -> Option<Attribute> {
        ATTRIBUTES.iter().find(|spec| spec.name == name).map(|spec| spec.attribute)
    }
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A message channel, the first argument of the channel event functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Email, Channel::Sms];

    pub fn name(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }

    pub fn named(name: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|channel| channel.name() == name)
    }
}

/// What happened, for the events that event functions count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EventKind {
    Click,
    Open,
    Reply,
    Visit,
    SmsReceived,
}

/// One parameter of an event function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// The bare word `email` or `sms`.
    Channel,
    /// A page name in quotes, e.g. `"pricing"`.
    Page,
    /// A rolling window, e.g. `7d`.
    Window,
}

impl Param {
    fn describe(self) -> &'static str {
        match self {
            Param::Channel => "a channel (email or sms)",
            Param::Page => "a page name in quotes like \"pricing\"",
            Param::Window => "a window like 7d",
        }
    }
}

/// An event function: counts one kind of event in a rolling window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FunctionSpec {
    pub name: &'static str,
    pub event: EventKind,
    pub params: &'static [Param],
    /// A typical call, for documentation and messages.
    pub example: &'static str,
    pub about: &'static str,
}

/// The event functions. Each returns a count; used where a condition is
/// expected, a count means "at least one".
pub const FUNCTIONS: [FunctionSpec; 5] = [
    FunctionSpec {
        name: "clicks",
        event: EventKind::Click,
        params: &[Param::Channel, Param::Window],
        example: "clicks(email, 7d)",
        about: "link clicks on a channel in the window",
    },
    FunctionSpec {
        name: "opens",
        event: EventKind::Open,
        params: &[Param::Channel, Param::Window],
        example: "opens(email, 14d)",
        about: "message opens on a channel in the window",
    },
    FunctionSpec {
        name: "replied",
        event: EventKind::Reply,
        params: &[Param::Channel, Param::Window],
        example: "replied(sms, 30d)",
        about: "replies on a channel in the window",
    },
    FunctionSpec {
        name: "visited",
        event: EventKind::Visit,
        params: &[Param::Page, Param::Window],
        example: "visited(\"pricing\", 3d)",
        about: "visits to a web page in the window",
    },
    FunctionSpec {
        name: "sms_received",
        event: EventKind::SmsReceived,
        params: &[Param::Window],
        example: "sms_received(7d)",
        about: "SMS messages the contact received in the window",
    },
];

impl FunctionSpec {
    pub fn named(name: &str) -> Option<&'static FunctionSpec> {
        FUNCTIONS.iter().find(|function| function.name == name)
    }

    /// What the function takes, e.g. "`clicks` needs a channel (email or sms)
    /// and a window like 7d".
    pub fn usage(&self) -> String {
        let params: Vec<&str> = self.params.iter().map(|param| param.describe()).collect();
        format!("`{}` needs {}", self.name, params.join(" and "))
    }
}

/// The longest rolling window a rule may use.
pub const MAX_WINDOW_MINUTES: u32 = 365 * 24 * 60;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Stage;

    #[test]
    fn stages_are_spelled_as_the_journey_model_spells_them() {
        let labels: Vec<&str> = Stage::ALL.iter().map(|stage| stage.label()).collect();
        assert_eq!(STAGES, labels.as_slice());
    }

    #[test]
    fn names_resolve_back_to_their_entries() {
        for spec in ATTRIBUTES {
            assert_eq!(Attribute::named(spec.name), Some(spec.attribute));
        }
        for function in &FUNCTIONS {
            assert_eq!(FunctionSpec::named(function.name), Some(function));
        }
        assert_eq!(FUNCTIONS[0].usage(), "`clicks` needs a channel (email or sms) and a window like 7d");
    }
}
