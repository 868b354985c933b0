//! Every number that keys a random decision in Tandem, in one registry.
//! A decision's draws depend on its [`Key`](super::Key): two kinds of
//! decision with the same number and subject would draw the same values and
//! move together (say, a contact's consent and its first open), which no
//! test of the results would notice. Keeping every number here, with a test
//! that no two are equal, makes that a failure rather than a silent bias.
//!
//! The contact's attributes (cohort synthesis) and its entry day are drawn
//! with the subject [`WHOLE_CONTACT`]; the other decisions with the
//! [`subject_id`](super::subject_id) of the step, touchpoint or page they
//! concern. Numbers are distinct across all of them anyway, so a page named
//! like a step's id still draws on its own. The values are pinned by the
//! golden fingerprint: changing one changes every simulated result.

/// The subject of decisions about the contact as a whole rather than one
/// step, touchpoint or page.
pub const WHOLE_CONTACT: u64 = 0;

/// Declares each decision's number and, for the tests, the list of them all,
/// so that a number cannot be added without being checked.
macro_rules! registry {
    ($($(#[$doc:meta])* $name:ident = $value:literal;)*) => {
        $($(#[$doc])* pub const $name: u64 = $value;)*

        #[cfg(test)]
        const ALL: &[(&str, u64)] = &[$((stringify!($name), $name)),*];
    };
}

registry! {
    // The contact's attributes, drawn by cohort synthesis about the whole
    // contact: those of one number each at the position of their own number
    // in the stream `ATTRIBUTES`; `ENGAGEMENT` and `DAYS_IN_STAGE`, which may
    // take several numbers, each from its own stream.
    /// The stream of the contact's attributes of one number each.
    ATTRIBUTES = 15;
    /// Which persona the contact has.
    PERSONA = 1;
    /// The contact's lifecycle stage.
    STAGE = 2;
    /// The contact's industry.
    INDUSTRY = 3;
    /// The risk class within the industry.
    INDUSTRY_RISK = 4;
    /// Whether and how the contact consented to SMS.
    CONSENT = 5;
    /// The phone's state.
    STATE = 6;
    /// The area code within the state.
    AREA_CODE = 7;
    /// Which zone of an area code spanning two the contact lives in.
    HOME_TIME_ZONE = 16;
    /// Whether the profile's time zone differs from the phone's, and which it is (one number for both).
    PROFILE_TIME_ZONE = 8;
    /// The contact's engagement propensity.
    ENGAGEMENT = 9;
    /// How long the contact has been in its stage.
    DAYS_IN_STAGE = 10;
    /// The contact's account owner.
    OWNER = 11;
    /// Whether the contact is a customer.
    CUSTOMER = 12;
    /// Whether the contact has an open opportunity.
    OPEN_OPPORTUNITY = 13;

    // The contact's life in the simulator.
    /// The day the contact enters the journey (about the whole contact).
    ENTRY_DAY = 14;
    /// One stream per email, taken in this order: open, unsubscribe, open delay.
    EMAIL = 20;
    /// Whether an open leads to a click.
    CLICK = 22;
    /// How long after the open the click comes.
    CLICK_DELAY = 23;
    /// Whether a click leads to a visit to a page, combined with the page's
    /// subject id by [`visit`] and [`visit_delay`].
    VISIT = 24;
    /// Whether a click shows meeting intent.
    MEETING_INTENT = 26;
    /// Whether a click moves the contact to the step's stage goal.
    STAGE_PROGRESS = 27;
    /// Whether an SMS draws a STOP.
    STOP = 30;
    /// Whether an SMS draws a reply.
    REPLY = 31;
    /// How long after the SMS the reply or STOP comes.
    REPLY_DELAY = 32;
    /// Whether a reply sets a meeting.
    MEETING = 33;
    /// Which opt-out keyword a STOP uses.
    STOP_KEYWORD = 34;
    /// Visits to a page that no email caused, keyed by the page's subject id.
    ORGANIC_VISIT = 35;
    /// How long after the click meeting intent shows (`MEETING_INTENT` rotated left one bit).
    MEETING_INTENT_DELAY = 52;
}

/// Whether a click leads to a visit to the page with subject id `page`.
pub const fn visit(page: u64) -> u64 {
    VISIT ^ page
}

/// How long after the click the visit to the page with subject id `page` comes.
pub const fn visit_delay(page: u64) -> u64 {
    visit(page).rotate_left(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::subject_id;

    #[test]
    fn no_two_decisions_share_a_number() {
        for (index, (name, number)) in ALL.iter().enumerate() {
            for (other, other_number) in &ALL[index + 1..] {
                assert_ne!(number, other_number, "{name} and {other} share a number");
            }
        }
    }

    #[test]
    fn the_meeting_intent_delay_is_the_meeting_intent_rotated() {
        assert_eq!(MEETING_INTENT_DELAY, MEETING_INTENT.rotate_left(1));
    }

    #[test]
    fn per_page_visit_numbers_stay_clear_of_the_registry() {
        // A page's numbers are spread over all of u64 by its hashed subject
        // id; the sample journeys' pages stand for any, as no test can try
        // them all.
        for page in ["webinar-registration", "pricing", "demo", "proposal"] {
            let page = subject_id(page);
            let numbers = [visit(page), visit_delay(page)];
            assert_ne!(numbers[0], numbers[1]);
            for number in numbers {
                assert!(ALL.iter().all(|(_, known)| *known != number), "page {page:x} gives {number}");
            }
        }
    }
}
