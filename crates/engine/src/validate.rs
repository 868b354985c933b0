//! The structural checks every journey must pass, reported all at once with
//! the place each problem sits (a JSON pointer into the exported file, such
//! as `/steps/3/day`), so a user can fix them in one go. Rule text is not
//! checked here: a rule with errors is kept as typed and diagnosed where it
//! is edited, imported or run.

use std::collections::BTreeSet;
use std::fmt;

use crate::clock::format_time_of_day;
use crate::defaults;
use crate::model::{
    DayKind, FrequencyCap, Journey, Jurisdiction, LegalWindow, MAX_STEP_DAY, MINUTES_PER_DAY, Policies, Routing,
    TimeWindow, describe_hours,
};
use crate::places::{TIME_ZONES, US_STATES};

/// At most this many nurture steps, and this many SMS touchpoints, per journey.
pub const MAX_ITEMS: usize = 500;
/// At most this many characters in any text field.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// The longest window, gap or cooldown a journey may set, in hours (30 days).
pub const MAX_HOURS: u16 = 30 * 24;
/// The longest an SMS may wait after its anchor, in minutes: the same 30 days.
pub const MAX_DELAY_MINUTES: u32 = MAX_HOURS as u32 * 60;
/// The longest time Sales may take to answer a reply, in minutes (7 days);
/// the shortest is 1 minute.
pub const MAX_SLA_MINUTES: u32 = 7 * 24 * 60;

/// One thing wrong with a journey: where it is and what is wrong, in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Collects problems under a path prefix.
struct Report<'a> {
    problems: &'a mut Vec<Problem>,
    prefix: String,
}

impl Report<'_> {
    fn at(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(Problem { path: format!("{}{path}", self.prefix), message: message.into() });
    }

    fn under(&mut self, path: &str) -> Report<'_> {
        Report { problems: self.problems, prefix: format!("{}{path}", self.prefix) }
    }

    /// An id that must be present and unique among `seen`; `what` names the kind ("step").
    fn id<'a>(&mut self, seen: &mut BTreeSet<&'a str>, id: &'a str, what: &str) {
        if id.is_empty() {
            self.at("/id", format!("This {what} has no id."));
        } else if !seen.insert(id) {
            self.at("/id", format!("Another {what} already uses the id `{id}`."));
        }
        self.text("/id", id);
    }

    /// At most [`MAX_ITEMS`] of a kind.
    fn count(&mut self, path: &str, count: usize, what: &str) {
        if count > MAX_ITEMS {
            self.at(path, format!("A journey has at most {MAX_ITEMS} {what}; this one has {count}."));
        }
    }

    /// A name that must not be blank: `what` says whose (e.g. "This step").
    fn name(&mut self, path: &str, text: &str, what: &str) {
        if text.trim().is_empty() {
            self.at(path, format!("{what} needs a name."));
        }
        self.text(path, text);
    }

    fn text(&mut self, path: &str, text: &str) {
        let chars = text.chars().count();
        if chars > MAX_TEXT_CHARS {
            self.at(path, format!("This text has {chars} characters; the most allowed is {MAX_TEXT_CHARS}."));
        }
    }

    fn time_of_day(&mut self, path: &str, minute: u16) {
        if minute >= MINUTES_PER_DAY {
            self.at(path, format!("{} is not a time of day; use 00:00 to 23:59.", format_time_of_day(minute)));
        }
    }

    fn hours(&mut self, path: &str, hours: u16, what: &str) {
        if hours > MAX_HOURS {
            self.at(path, format!("{what} of {hours} hours is longer than the {MAX_HOURS} hours (30 days) allowed."));
        }
    }

    fn window(&mut self, path: &str, window: TimeWindow) {
        self.time_of_day(&format!("{path}/start"), window.start_minute);
        self.time_of_day(&format!("{path}/end"), window.end_minute);
        if window.start_minute == window.end_minute {
            self.at(path, "This time window starts and ends at the same time; it would cover nothing or everything.");
        }
    }
}

impl Journey {
    /// Every structural problem in the journey; empty when it is valid.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut report = Report { problems: &mut problems, prefix: String::new() };
        report.name("/name", &self.name, "The journey");
        report.time_of_day("/email_send_time", self.email_send_minute);
        report.text("/high_intent", &self.high_intent);
        self.check_steps(&mut report);
        self.check_touchpoints(&mut report);
        check_policies(&self.policies, &mut report.under("/policies"));
        check_routing(&self.routing, &mut report.under("/routing"));
        problems
    }

    fn check_steps(&self, report: &mut Report) {
        report.count("/steps", self.steps.len(), "nurture steps");
        let mut ids = BTreeSet::new();
        for (index, step) in self.steps.iter().enumerate() {
            let mut report = report.under(&format!("/steps/{index}"));
            report.id(&mut ids, &step.id.0, "step");
            report.name("/name", &step.name, "This step");
            if step.day > MAX_STEP_DAY {
                report.at(
                    "/day",
                    format!("Day {} is outside the journey; steps go on days 0 to {MAX_STEP_DAY}.", step.day),
                );
            }
            check_narrative(&step.narrative, &mut report.under("/narrative"));
        }
    }

    fn check_touchpoints(&self, report: &mut Report) {
        report.count("/sms", self.touchpoints.len(), "SMS touchpoints");
        let mut ids = BTreeSet::new();
        for (index, touchpoint) in self.touchpoints.iter().enumerate() {
            let mut report = report.under(&format!("/sms/{index}"));
            report.id(&mut ids, &touchpoint.id.0, "SMS touchpoint");
            report.name("/name", &touchpoint.name, "This SMS touchpoint");
            if self.step(&touchpoint.step).is_none() {
                report.at(
                    "/step",
                    format!("This SMS is attached to `{}`, which is not a step of this journey.", touchpoint.step),
                );
            }
            report.text("/trigger", &touchpoint.trigger);
            report.text("/eligibility", &touchpoint.eligibility);
            report.text("/body", &touchpoint.body);
            if touchpoint.timing.delay_minutes > MAX_DELAY_MINUTES {
                report.at(
                    "/timing/delay_minutes",
                    format!(
                        "A delay of {} minutes is longer than the 30 days allowed.",
                        touchpoint.timing.delay_minutes
                    ),
                );
            }
            if touchpoint.timing.within_days > MAX_STEP_DAY {
                report.at(
                    "/timing/within_days",
                    format!(
                        "Within {} days is longer than a journey; use 0 to {MAX_STEP_DAY}.",
                        touchpoint.timing.within_days
                    ),
                );
            }
            report.hours(
                "/replies/response_window_hours",
                touchpoint.replies.response_window_hours,
                "A response window",
            );
            if touchpoint.replies.route_to_owner && self.routing.owners.is_empty() {
                report.at(
                    "/replies/route_to_owner",
                    "Replies go to Sales, but the journey has no owners to route them to.",
                );
            }
            check_narrative(&touchpoint.narrative, &mut report.under("/narrative"));
        }
    }
}

fn check_narrative(narrative: &crate::model::Narrative, report: &mut Report) {
    report.text("/offer", &narrative.offer);
    report.text("/value_proposition", &narrative.value_proposition);
    report.text("/next_step", &narrative.next_step);
}

fn check_policies(policies: &Policies, report: &mut Report) {
    if let Some(quiet) = policies.quiet_hours {
        report.window("/quiet_hours", quiet);
    }
    let mut seen = BTreeSet::new();
    for (index, window) in policies.legal_windows.iter().enumerate() {
        let mut report = report.under(&format!("/legal_windows/{index}"));
        if let Jurisdiction::State(code) = &window.jurisdiction
            && !US_STATES.contains(&code.as_str())
        {
            report.at("/jurisdiction", format!("`{code}` is not a US state code like FL or TX."));
        }
        if !seen.insert(&window.jurisdiction) {
            report.at("/jurisdiction", format!("There is already a legal window for {}.", window.jurisdiction));
        }
        for day in DayKind::ALL {
            if let Some(hours) = window.hours(day) {
                let path = day_path(day);
                report.window(path, hours);
                if hours.start_minute > hours.end_minute {
                    report.at(path, "A legal window cannot run past midnight.");
                }
            }
        }
        if window.max_per_24h == Some(0) {
            report.at(
                "/max_per_24h",
                "A limit of 0 messages per 24 hours would block every SMS; remove the limit or raise it.",
            );
        }
        report.text("/source", &window.source);
    }
    if !policies.loosen_legal_windows {
        check_not_looser_than_defaults(&policies.legal_windows, report);
    }
    for (index, cap) in policies.caps.iter().enumerate() {
        check_cap(cap, &mut report.under(&format!("/caps/{index}")));
    }
    report.hours("/collisions/sms_after_email_hours", policies.collisions.sms_after_email_hours, "A gap after email");
    report.hours("/collisions/min_hours_between_sms", policies.collisions.min_hours_between_sms, "A gap between SMS");
    report.hours("/reply_cooldown_hours", policies.reply_cooldown_hours, "A cooldown");
    report.text("/suppression", &policies.suppression);
}

fn check_cap(cap: &FrequencyCap, report: &mut Report) {
    if cap.max_messages == 0 {
        report.at("/max_messages", "A cap of 0 messages would block every send; raise it or remove the cap.");
    }
    if cap.window_hours == 0 {
        report.at("/window_hours", "A cap needs a window of at least 1 hour.");
    }
    report.hours("/window_hours", cap.window_hours, "A cap window");
}

/// Each default legal window must still be there and be at least as strict.
fn check_not_looser_than_defaults(windows: &[LegalWindow], report: &mut Report) {
    for (_, problem) in looser_than_defaults(windows) {
        report.at(&problem.path, problem.message);
    }
}

/// Every way `windows` is looser than Tandem's legal defaults (what only the
/// override allows), each with the jurisdiction it concerns, at its path
/// under the policies (`/legal_windows/1/sunday`). The policies panel sums
/// them up; without the override each is a problem of the journey.
pub fn looser_than_defaults(windows: &[LegalWindow]) -> Vec<(Jurisdiction, Problem)> {
    defaults::legal_windows()
        .into_iter()
        .flat_map(|default| {
            let mut problems = Vec::new();
            compare_with_default(&default, windows, &mut Report { problems: &mut problems, prefix: String::new() });
            problems.into_iter().map(move |problem| (default.jurisdiction.clone(), problem))
        })
        .collect()
}

/// Where `windows`' counterpart of `default` is missing or looser than it.
fn compare_with_default(default: &LegalWindow, windows: &[LegalWindow], report: &mut Report) {
    const OVERRIDE: &str = "tighten it or tick the override to loosen legal windows";
    let Some((index, window)) =
        windows.iter().enumerate().find(|(_, window)| window.jurisdiction == default.jurisdiction)
    else {
        report.at(
            "/legal_windows",
            format!(
                "The {} legal window is missing; it can only be removed with the override to loosen legal windows.",
                default.jurisdiction
            ),
        );
        return;
    };
    let mut report = report.under(&format!("/legal_windows/{index}"));
    for day in DayKind::ALL {
        let looser = match (window.hours(day), default.hours(day)) {
            (_, None) | (None, _) => default.hours(day).is_none() && window.hours(day).is_some(),
            (Some(hours), Some(usual)) => {
                hours.start_minute < usual.start_minute || hours.end_minute > usual.end_minute
            }
        };
        if looser {
            report.at(
                day_path(day),
                format!(
                    "The {} legal window allows {} {}, looser than the default {}; {OVERRIDE}.",
                    default.jurisdiction,
                    day.label(),
                    describe_hours(window.hours(day)),
                    describe_hours(default.hours(day)),
                ),
            );
        }
    }
    if default.closed_on_holidays && !window.closed_on_holidays {
        report.at("/closed_on_holidays", format!("{} closes on legal holidays; {OVERRIDE}.", default.jurisdiction));
    }
    if let Some(usual) = default.max_per_24h
        && window.max_per_24h.is_none_or(|max| max > usual)
    {
        report.at(
            "/max_per_24h",
            format!("{} allows at most {usual} messages per 24 hours; {OVERRIDE}.", default.jurisdiction),
        );
    }
}

/// Where a kind of day's hours sit in a legal window.
fn day_path(day: DayKind) -> &'static str {
    match day {
        DayKind::Weekday => "/allowed",
        DayKind::Saturday => "/saturday",
        DayKind::Sunday => "/sunday",
    }
}

fn check_routing(routing: &Routing, report: &mut Report) {
    let mut ids = BTreeSet::new();
    for (index, owner) in routing.owners.iter().enumerate() {
        let mut report = report.under(&format!("/owners/{index}"));
        report.id(&mut ids, &owner.id.0, "owner");
        report.name("/name", &owner.name, "This owner");
        report.text("/territory", &owner.territory);
        if !TIME_ZONES.contains(&owner.time_zone.as_str()) {
            report.at(
                "/time_zone",
                format!("`{}` is not a time zone Tandem knows; use one like America/Chicago.", owner.time_zone),
            );
        }
        report.window("/coverage", owner.coverage);
    }
    if let Some(backup) = &routing.backup_owner
        && !routing.owners.iter().any(|owner| &owner.id == backup)
    {
        report.at("/backup_owner", format!("The backup owner `{backup}` is not one of the owners."));
    }
    for (path, minutes) in [
        ("/sla_minutes/high_intent", routing.sla_minutes_high_intent),
        ("/sla_minutes/other", routing.sla_minutes_other),
    ] {
        if minutes == 0 || minutes > MAX_SLA_MINUTES {
            report.at(path, format!("An SLA of {minutes} minutes is out of range; use 1 minute to 7 days."));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Owner, OwnerId, StepId, TouchpointId};
    use crate::samples;

    /// Breaks a valid journey in one way and checks the exact problems reported.
    fn check(break_it: impl FnOnce(&mut Journey), expected: &[(&str, &str)]) {
        let mut journey = samples::playbook();
        break_it(&mut journey);
        let found: Vec<(String, String)> =
            journey.problems().into_iter().map(|problem| (problem.path, problem.message)).collect();
        let expected: Vec<(String, String)> =
            expected.iter().map(|(path, message)| (path.to_string(), message.to_string())).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn the_sample_journeys_are_valid() {
        for (name, journey) in samples::all() {
            assert_eq!(journey.problems(), vec![], "sample `{name}` has problems");
        }
    }

    #[test]
    fn blank_journey_name() {
        check(|journey| journey.name = "  ".into(), &[("/name", "The journey needs a name.")]);
    }

    #[test]
    fn duplicate_step_id() {
        check(
            |journey| journey.steps[3].id = journey.steps[0].id.clone(),
            &[("/steps/3/id", "Another step already uses the id `welcome`.")],
        );
    }

    #[test]
    fn step_day_out_of_range() {
        check(
            |journey| journey.steps[1].day = 400,
            &[("/steps/1/day", "Day 400 is outside the journey; steps go on days 0 to 365.")],
        );
    }

    #[test]
    fn nameless_step_and_missing_id() {
        check(
            |journey| {
                journey.steps[3].name = String::new();
                journey.steps[6].id = StepId(String::new());
            },
            &[("/steps/3/name", "This step needs a name."), ("/steps/6/id", "This step has no id.")],
        );
    }

    #[test]
    fn overlong_text() {
        check(
            |journey| journey.steps[0].narrative.offer = "x".repeat(MAX_TEXT_CHARS + 1),
            &[("/steps/0/narrative/offer", "This text has 10001 characters; the most allowed is 10000.")],
        );
    }

    #[test]
    fn touchpoint_attached_to_missing_step() {
        check(
            |journey| journey.touchpoints[0].step = StepId("gone".into()),
            &[("/sms/0/step", "This SMS is attached to `gone`, which is not a step of this journey.")],
        );
    }

    #[test]
    fn duplicate_touchpoint_id_and_blank_name() {
        check(
            |journey| {
                journey.touchpoints[1].id = journey.touchpoints[0].id.clone();
                journey.touchpoints[2].name = " ".into();
                journey.touchpoints[3].id = TouchpointId(String::new());
            },
            &[
                ("/sms/1/id", "Another SMS touchpoint already uses the id `sms-webinar-confirm`."),
                ("/sms/2/name", "This SMS touchpoint needs a name."),
                ("/sms/3/id", "This SMS touchpoint has no id."),
            ],
        );
    }

    #[test]
    fn replies_routed_with_no_owners() {
        check(
            |journey| {
                journey.routing.owners.clear();
                journey.routing.backup_owner = None;
                journey.touchpoints.truncate(1);
            },
            &[(
                "/sms/0/replies/route_to_owner",
                "Replies go to Sales, but the journey has no owners to route them to.",
            )],
        );
    }

    #[test]
    fn policy_values_out_of_range() {
        check(
            |journey| {
                journey.policies.quiet_hours = Some(TimeWindow { start_minute: 1500, end_minute: 1500 });
                journey.policies.caps[0].max_messages = 0;
                journey.policies.caps[1].window_hours = 0;
                journey.policies.reply_cooldown_hours = 1000;
                journey.policies.legal_windows[2].jurisdiction = Jurisdiction::State("ZZ".into());
            },
            &[
                ("/policies/quiet_hours/start", "25:00 is not a time of day; use 00:00 to 23:59."),
                ("/policies/quiet_hours/end", "25:00 is not a time of day; use 00:00 to 23:59."),
                (
                    "/policies/quiet_hours",
                    "This time window starts and ends at the same time; it would cover nothing or everything.",
                ),
                ("/policies/legal_windows/2/jurisdiction", "`ZZ` is not a US state code like FL or TX."),
                (
                    "/policies/legal_windows",
                    "The FL legal window is missing; it can only be removed with the override to loosen legal windows.",
                ),
                (
                    "/policies/caps/0/max_messages",
                    "A cap of 0 messages would block every send; raise it or remove the cap.",
                ),
                ("/policies/caps/1/window_hours", "A cap needs a window of at least 1 hour."),
                (
                    "/policies/reply_cooldown_hours",
                    "A cooldown of 1000 hours is longer than the 720 hours (30 days) allowed.",
                ),
            ],
        );
    }

    #[test]
    fn legal_windows_may_tighten_but_not_loosen() {
        let hours = |start: u16, end: u16| TimeWindow { start_minute: start * 60, end_minute: end * 60 };
        check(
            |journey| {
                let windows = &mut journey.policies.legal_windows;
                let at =
                    |code: &str| windows.iter().position(|window| window.jurisdiction.to_string() == code).unwrap();
                let (federal, texas, florida, connecticut) = (at("Federal"), at("TX"), at("FL"), at("CT"));
                let (rhode_island, utah, pennsylvania) = (at("RI"), at("UT"), at("PA"));
                windows[federal].allowed = hours(9, 20);
                windows[rhode_island].saturday = None;
                windows[florida].max_per_24h = Some(5);
                windows[texas].sunday = Some(hours(9, 21));
                windows[connecticut].allowed = hours(9, 22);
                windows[utah].sunday = Some(hours(8, 21));
                windows[pennsylvania].closed_on_holidays = false;
            },
            &[
                (
                    "/policies/legal_windows/1/sunday",
                    "The TX legal window allows Sunday 09:00–21:00, looser than the default 12:00–21:00; tighten it or tick the override to loosen legal windows.",
                ),
                (
                    "/policies/legal_windows/2/max_per_24h",
                    "FL allows at most 3 messages per 24 hours; tighten it or tick the override to loosen legal windows.",
                ),
                (
                    "/policies/legal_windows/5/allowed",
                    "The CT legal window allows Mon–Fri 09:00–22:00, looser than the default 09:00–20:00; tighten it or tick the override to loosen legal windows.",
                ),
                (
                    "/policies/legal_windows/15/sunday",
                    "The UT legal window allows Sunday 08:00–21:00, looser than the default closed; tighten it or tick the override to loosen legal windows.",
                ),
                (
                    "/policies/legal_windows/16/closed_on_holidays",
                    "PA closes on legal holidays; tighten it or tick the override to loosen legal windows.",
                ),
            ],
        );
    }

    #[test]
    fn the_override_lets_windows_loosen_and_each_loosening_names_its_jurisdiction() {
        let mut journey = samples::playbook();
        assert_eq!(looser_than_defaults(&journey.policies.legal_windows), []);
        let windows = &mut journey.policies.legal_windows;
        let at = |code: &str| windows.iter().position(|window| window.jurisdiction.to_string() == code).unwrap();
        let (texas, utah) = (at("TX"), at("UT"));
        windows[texas].sunday = None;
        windows[utah].sunday = Some(windows[utah].allowed);
        windows[utah].closed_on_holidays = false;
        let loosened: Vec<_> = looser_than_defaults(windows)
            .into_iter()
            .map(|(jurisdiction, problem)| (jurisdiction.to_string(), problem.path))
            .collect();
        let utah_path = |field: &str| format!("/legal_windows/{utah}/{field}");
        assert_eq!(
            loosened,
            [("UT".to_owned(), utah_path("sunday")), ("UT".to_owned(), utah_path("closed_on_holidays"))]
        );
    }

    #[test]
    fn routing_problems() {
        check(
            |journey| {
                let extra = Owner {
                    id: OwnerId("ana".into()),
                    time_zone: "Mars/Olympus".into(),
                    ..journey.routing.owners[0].clone()
                };
                journey.routing.owners.push(extra);
                journey.routing.backup_owner = Some(OwnerId("zoe".into()));
                journey.routing.sla_minutes_high_intent = 0;
            },
            &[
                ("/routing/owners/3/id", "Another owner already uses the id `ana`."),
                (
                    "/routing/owners/3/time_zone",
                    "`Mars/Olympus` is not a time zone Tandem knows; use one like America/Chicago.",
                ),
                ("/routing/backup_owner", "The backup owner `zoe` is not one of the owners."),
                ("/routing/sla_minutes/high_intent", "An SLA of 0 minutes is out of range; use 1 minute to 7 days."),
            ],
        );
    }
}
