//! What can happen to a simulated contact, in the simulator's own words:
//! the [`Happening`]s a contact's run reports, what they are made of
//! ([`Block`], [`Resolution`], [`Message`], [`CollisionKind`]), and the
//! [`Observer`] that hears them. The contact's life ([`super::contact`])
//! speaks this vocabulary; the tally ([`super::tally`]) counts it and the
//! timeline ([`super::timeline`]) tells it, so none of them depends on
//! another.

use crate::caps::Touches;
use crate::model::CapChannel;
use crate::places::US_STATES;

use super::plan::Plan;

/// Two messages to one contact closer than this are a collision.
pub const COLLISION_HOURS: u32 = 24;
/// A blocked SMS deferred for longer than this after it was first due has missed its moment.
pub const MAX_DEFERRAL_HOURS: u32 = 48;
/// Opt-out words, each a revocation of consent honoured at once: the
/// FCC's list (47 CFR 64.1200(a)(10)–(12), in force 11 April 2025: STOP,
/// QUIT, END, REVOKE, OPT OUT, CANCEL, UNSUBSCRIBE) and STOPALL, which
/// carriers honour too.
pub const STOP_KEYWORDS: [&str; 8] = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPT OUT"];
/// The one confirmation text after an opt-out goes out within this many
/// minutes (47 CFR 64.1200(a)(12)); Tandem sends it at once.
pub const OPT_OUT_CONFIRMATION_MINUTES: u32 = 5;
/// The `step` of a visit that did not come from an email.
pub const ORGANIC: u16 = u16::MAX;

/// Why an SMS (or, for caps, an email) could not go at a minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    /// The contact has not opted in to SMS.
    NoConsent,
    /// The contact opted out (at the start, or by replying STOP).
    OptedOut,
    /// The touchpoint's eligibility rule does not hold.
    NotEligible,
    /// The journey's suppression rule holds.
    Suppressed,
    QuietHours,
    /// Outside a legal window: `None` for federal law, else the state's index in [`US_STATES`].
    LegalHours(Option<u8>),
    /// A day of the week the legal window closes (a Sunday in Utah).
    ClosedDay(Option<u8>),
    /// A legal holiday the legal window closes on.
    Holiday(Option<u8>),
    /// Within the cooldown after the contact's last reply.
    ReplyCooldown,
    /// Too soon after the contact's last SMS.
    SmsGap,
    /// Too soon after a nurture email (and not exempt as high intent).
    AfterEmail,
    /// Over the journey's frequency cap with this index.
    Cap(u8),
    /// Over the state's legal limit of messages per 24 hours.
    StateLimit(u8),
}

impl Block {
    /// Words for the block, with the numbers of the policy behind it in `plan`.
    pub(super) fn reason(self, plan: &Plan) -> String {
        let state = |state: Option<u8>| state.map_or("federal", |state| US_STATES[usize::from(state)]);
        let policies = &plan.run.policies;
        match self {
            Block::NoConsent => "no SMS consent".into(),
            Block::OptedOut => "opted out".into(),
            Block::NotEligible => "not eligible".into(),
            Block::Suppressed => "suppressed".into(),
            Block::QuietHours => "quiet hours".into(),
            Block::LegalHours(jurisdiction) => format!("outside legal hours ({})", state(jurisdiction)),
            Block::ClosedDay(jurisdiction) => format!("closed that day of the week ({})", state(jurisdiction)),
            Block::Holiday(jurisdiction) => format!("legal holiday ({})", state(jurisdiction)),
            Block::ReplyCooldown => format!("within {} h of a reply", policies.reply_cooldown_hours),
            Block::SmsGap => format!("within {} h of another SMS", policies.collisions.min_hours_between_sms),
            Block::AfterEmail => format!("within {} h after an email", policies.collisions.sms_after_email_hours),
            Block::Cap(index) => plan.limits.get(usize::from(index)).map_or_else(
                || "frequency cap".into(),
                |limit| {
                    let channel = match limit.counts {
                        CapChannel::Sms => "SMS",
                        CapChannel::Email => "emails",
                        CapChannel::AllChannels => "messages",
                    };
                    format!("cap: {} {channel} per {} h", limit.max, limit.window_minutes / 60)
                },
            ),
            Block::StateLimit(state) => {
                let limit = plan.run.state_limits[usize::from(state)].map_or(0, |limit| limit.max);
                format!("{} law: {limit} per 24 h", US_STATES[usize::from(state)])
            }
        }
    }
}

/// What became of a blocked SMS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Tried again at this minute.
    Deferred(u32),
    /// Moved earlier, to this minute, out of closed hours.
    Advanced(u32),
    /// Not sent, as the touchpoint asks for blocked sends.
    Skipped,
    /// Not sent: the block does not pass with time (consent, eligibility, suppression).
    Dropped,
    /// Not sent: no allowed minute within [`MAX_DEFERRAL_HOURS`] (or the horizon).
    Expired,
}

/// One message, for collisions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Message {
    /// The email of the step with this index in the plan.
    Email(u16),
    /// The SMS of the touchpoint with this index.
    Sms(u16),
}

/// Which two kinds of message came too close.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CollisionKind {
    EmailAfterEmail,
    SmsAfterEmail,
    EmailAfterSms,
    SmsAfterSms,
}

impl CollisionKind {
    pub const ALL: [CollisionKind; 4] = [
        CollisionKind::EmailAfterEmail,
        CollisionKind::SmsAfterEmail,
        CollisionKind::EmailAfterSms,
        CollisionKind::SmsAfterSms,
    ];

    /// Words for the kind, e.g. `SMS after email`.
    pub fn label(self) -> &'static str {
        match self {
            CollisionKind::EmailAfterEmail => "email after email",
            CollisionKind::SmsAfterEmail => "SMS after email",
            CollisionKind::EmailAfterSms => "email after SMS",
            CollisionKind::SmsAfterSms => "SMS after SMS",
        }
    }
}

/// Something that happened to a contact. Step and touchpoint numbers are
/// indexes into the plan's steps (day order) and touchpoints (journey order).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Happening {
    EmailSent {
        step: u16,
    },
    /// An email held back by a frequency cap until `until`.
    EmailHeld {
        step: u16,
        block: Block,
        until: Option<u32>,
    },
    Opened {
        step: u16,
    },
    Clicked {
        step: u16,
    },
    /// A visit to the page with this index in the plan's pages, after a click
    /// on `step`, or not from an email when `step` is [`ORGANIC`].
    Visited {
        step: u16,
        page: u16,
    },
    MeetingIntent {
        step: u16,
    },
    StageProgressed {
        step: u16,
        stage: u8,
    },
    Unsubscribed {
        step: u16,
    },
    /// The touchpoint's step email went out: its trigger window opens.
    Entered {
        touchpoint: u16,
    },
    NotEligible {
        touchpoint: u16,
        block: Block,
    },
    /// Eligible when the window opened; the trigger is now watched.
    Eligible {
        touchpoint: u16,
    },
    Triggered {
        touchpoint: u16,
    },
    SmsBlocked {
        touchpoint: u16,
        block: Block,
        resolution: Resolution,
    },
    /// Due after the horizon ends, so not simulated further.
    BeyondHorizon {
        touchpoint: u16,
    },
    SmsSent {
        touchpoint: u16,
        local_hour: u8,
    },
    Replied {
        touchpoint: u16,
        high_intent: bool,
        meeting: bool,
        routed: bool,
    },
    OptedOut {
        touchpoint: u16,
        keyword: u8,
    },
    /// The one text confirming an opt-out, with no marketing in it: not a
    /// marketing send, so no window, cap or count of SMS sent applies.
    OptOutConfirmed {
        touchpoint: u16,
    },
    Collision {
        kind: CollisionKind,
        earlier: Message,
        earlier_at: u32,
        later: Message,
    },
}

/// Who the contact is, told to the observer before its happenings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContactStart {
    /// The contact's number in the whole cohort.
    pub contact: u32,
    pub persona: u8,
    /// Index of the account owner in the cohort spec's owners.
    pub account_owner: u8,
    /// Index of the contact's territory in the cohort spec's territories.
    pub territory: Option<u8>,
    /// The simulated minute the contact entered the journey.
    pub entry: u32,
    /// The phone's area code.
    pub area_code: u16,
    /// The area code's state, as its index in [`US_STATES`].
    pub state: Option<u8>,
    /// The contact's home zone by its area code ([`Cohort::phone_time_zone`](crate::cohort::Cohort::phone_time_zone))
    /// and the profile's, as indexes in [`crate::places::TIME_ZONES`].
    pub phone_time_zone: u8,
    pub profile_time_zone: u8,
}

/// Sees everything that happens to each contact, in time order.
pub trait Observer {
    fn begin(&mut self, contact: &ContactStart);
    fn note(&mut self, at: u32, happening: Happening);
    /// The contact's run is over; `touches` holds every message it was sent.
    fn end(&mut self, touches: &Touches);
}

/// An observer borrowed for a run, so a caller keeps what it observed.
impl<O: Observer> Observer for &mut O {
    fn begin(&mut self, contact: &ContactStart) {
        (**self).begin(contact);
    }

    fn note(&mut self, at: u32, happening: Happening) {
        (**self).note(at, happening);
    }

    fn end(&mut self, touches: &Touches) {
        (**self).end(touches);
    }
}

/// Two observers hearing one run, e.g. the tally and the sends log.
impl<A: Observer, B: Observer> Observer for (A, B) {
    fn begin(&mut self, contact: &ContactStart) {
        self.0.begin(contact);
        self.1.begin(contact);
    }

    fn note(&mut self, at: u32, happening: Happening) {
        self.0.note(at, happening);
        self.1.note(at, happening);
    }

    fn end(&mut self, touches: &Touches) {
        self.0.end(touches);
        self.1.end(touches);
    }
}
