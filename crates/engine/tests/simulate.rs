//! The simulator's promises, checked natively: a pinned golden result,
//! determinism, chunking, common random numbers, and the compliance
//! invariants over generated journeys and cohorts (property tests).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone, Timelike, Weekday};
use chrono_tz::Tz;
use proptest::prelude::*;
use tandem_engine::caps::Limit;
use tandem_engine::cohort::{Cohort, CohortSpec, area_code};
use tandem_engine::model::{
    BlockedSend, CapChannel, DayKind, FrequencyCap, Journey, Moment, Policies, SendTiming, SmsTouchpoint, TimeWindow,
    TimingAnchor, TouchpointId,
};
use tandem_engine::places::{TIME_ZONES, US_STATES};
use tandem_engine::rules::{Attribute, Channel};
use tandem_engine::samples;
use tandem_engine::simulate::{
    ContactStart, Happening, OPT_OUT_CONFIRMATION_MINUTES, Observer, Progress, Simulation, SimulationResult,
    SimulationSettings,
};

const DAY: u32 = 24 * 60;

fn simulation(journey: &Journey, size: u32, seed: u64) -> Simulation {
    let spec = CohortSpec { size, seed, ..CohortSpec::default() };
    Simulation::new(journey, &spec, &SimulationSettings::default()).unwrap_or_else(|problems| panic!("{problems:?}"))
}

/// The workload of the golden test, natively here and in WebAssembly in
/// `crates/browser-checks`.
fn golden_result() -> SimulationResult {
    tandem_engine::simulate::golden().run()
}

#[test]
fn the_golden_run_gives_its_pinned_fingerprint() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/playbook-2000-seed-7.fingerprint");
    let fingerprint = golden_result().fingerprint();
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(path, format!("{fingerprint}\n")).unwrap();
    }
    let pinned = std::fs::read_to_string(path).expect("the pinned fingerprint (BLESS=1 writes it)");
    assert_eq!(
        fingerprint,
        pinned.trim(),
        "the golden result changed; if on purpose, run with BLESS=1 and say why in the commit"
    );
}

#[test]
fn the_same_inputs_give_the_same_result_and_another_seed_another() {
    let first = golden_result();
    assert_eq!(first, golden_result());
    assert_ne!(first, simulation(&samples::playbook(), 2_000, 8).run());
}

#[test]
fn chunks_of_any_size_and_any_grouping_give_the_result_of_one_run() {
    let simulation = simulation(&samples::playbook(), 3_000, 11);
    let whole = simulation.run_in_chunks(3_000, |_| true).unwrap();
    let mut seen = Vec::new();
    let chunked = simulation
        .run_in_chunks(257, |progress| {
            seen.push(progress);
            true
        })
        .unwrap();
    assert_eq!(chunked, whole);
    assert_eq!(seen.len(), 12);
    assert_eq!(seen.last(), Some(&Progress { done: 3_000, total: 3_000 }));
    assert!(seen.windows(2).all(|pair| pair[0].done < pair[1].done));

    // Merged out of order: later chunks first.
    let mut tally = simulation.run_chunk(2_000..3_000);
    tally.merge(simulation.run_chunk(0..1_000));
    tally.merge(simulation.run_chunk(1_000..2_000));
    assert_eq!(tally.contacts(), 3_000);
    assert_eq!(simulation.finish(tally), whole);
}

#[test]
fn a_cancelled_run_stops_after_the_chunk_it_was_in() {
    let simulation = simulation(&samples::playbook(), 1_000, 1);
    let mut calls = 0;
    let outcome = simulation.run_in_chunks(100, |progress| {
        calls += 1;
        progress.done < 300
    });
    assert_eq!(outcome, None);
    assert_eq!(calls, 3);
}

/// Every contact's happenings, by contact number.
#[derive(Default)]
struct Everything {
    current: u32,
    contacts: BTreeMap<u32, Vec<(u32, Happening)>>,
}

impl Observer for Everything {
    fn begin(&mut self, contact: &ContactStart) {
        self.current = contact.contact;
        self.contacts.entry(contact.contact).or_default();
    }

    fn note(&mut self, at: u32, happening: Happening) {
        self.contacts.get_mut(&self.current).expect("begun").push((at, happening));
    }

    fn end(&mut self, _: &tandem_engine::caps::Touches) {}
}

#[test]
fn adding_a_touchpoint_that_sends_after_day_80_leaves_everything_before_day_80_as_it_was() {
    let baseline = samples::playbook();
    let mut edited = baseline.clone();
    edited.touchpoints.push(SmsTouchpoint {
        id: TouchpointId("sms-late-check-in".into()),
        name: "Late check-in".into(),
        step: edited.steps.last().unwrap().id.clone(),
        moment: Moment::Clarification,
        trigger: "engagement_score >= 0".into(),
        eligibility: r#"consent == "opted_in""#.into(),
        timing: SendTiming { anchor: TimingAnchor::Step, delay_minutes: 21 * DAY, within_days: 1 },
        body: "Brightline: still weighing it up? Reply with a question. Reply STOP to opt out.".into(),
        narrative: edited.steps.last().unwrap().narrative.clone(),
        when_blocked: BlockedSend::Defer,
        replies: edited.touchpoints[0].replies,
    });
    let new_touchpoint = (edited.touchpoints.len() - 1) as u16;
    let size = 3_000;
    let mut before = Everything::default();
    simulation(&baseline, size, 5).run_with(0..size as usize, &mut before);
    let mut after = Everything::default();
    simulation(&edited, size, 5).run_with(0..size as usize, &mut after);

    let about_new = |happening: &Happening| match happening {
        Happening::Entered { touchpoint }
        | Happening::Eligible { touchpoint }
        | Happening::NotEligible { touchpoint, .. }
        | Happening::Triggered { touchpoint }
        | Happening::SmsBlocked { touchpoint, .. }
        | Happening::BeyondHorizon { touchpoint } => *touchpoint == new_touchpoint,
        _ => false,
    };
    let mut late_sends = 0;
    for (contact, happenings) in &after.contacts {
        late_sends += happenings
            .iter()
            .filter(|(_, happening)| matches!(happening, Happening::SmsSent { touchpoint, .. } if *touchpoint == new_touchpoint))
            .inspect(|(at, _)| assert!(*at >= 80 * DAY, "the new SMS went out on day {}", at / DAY))
            .count();
        let early = |happenings: &[(u32, Happening)]| -> Vec<(u32, Happening)> {
            happenings.iter().filter(|(at, happening)| *at < 80 * DAY && !about_new(happening)).copied().collect()
        };
        assert_eq!(early(happenings), early(&before.contacts[contact]), "contact {contact} changed before day 80");
    }
    assert!(late_sends > 50, "the new touchpoint should send to many contacts, sent {late_sends}");
}

#[test]
fn a_journey_with_problems_says_what_blocks_the_run() {
    let mut journey = samples::playbook();
    journey.touchpoints[1].trigger = r#"visted("pricing", 3d)"#.into();
    let spec = CohortSpec { size: 0, ..CohortSpec::default() };
    let settings = SimulationSettings { horizon_days: 0, ..SimulationSettings::default() };
    let problems = Simulation::new(&journey, &spec, &settings).unwrap_err();
    let paths: Vec<&str> = problems.iter().map(|problem| problem.path.as_str()).collect();
    assert_eq!(paths, ["/sms/1/trigger", "/cohort/settings/horizon_days", "/cohort/size"], "{problems:?}");
    assert!(problems[0].message.contains("did you mean `visited`"), "{}", problems[0].message);
    assert!(problems[0].message.contains("(characters 0–6)"), "{}", problems[0].message);
}

#[test]
fn one_contacts_timeline_is_the_story_the_run_counted() {
    let simulation = simulation(&samples::playbook(), 2_000, 7);
    let mut everything = Everything::default();
    simulation.run_with(0..2_000, &mut everything);
    let (&contact, happenings) = everything
        .contacts
        .iter()
        .find(|(_, happenings)| happenings.iter().any(|(_, happening)| matches!(happening, Happening::SmsSent { .. })))
        .expect("someone got an SMS");
    let timeline = simulation.timeline(contact as usize).unwrap();
    assert_eq!(timeline.entries.len(), happenings.len());
    assert!(timeline.entries.iter().zip(happenings).all(|(entry, (at, _))| entry.at == *at));
    assert!(timeline.entries.iter().any(|entry| entry.what.starts_with("SMS sent")), "{:#?}", timeline.entries);
    assert!(timeline.about.iter().any(|(label, _)| label == "consent"));
    assert_eq!(simulation.timeline(2_000), None);
}

/// Checks every SMS against the rules in force, recomputed here from the
/// journey and the contact's facts rather than read from the simulator:
/// local times straight from the IANA database (`chrono-tz`), in every zone
/// of the phone's area code and the profile's zone, each legal window's
/// hours for the weekday with an exclusive end, its closed days, the
/// state's holidays from their rules, caps, consent, opt-outs and their
/// one confirmation.
struct Auditor<'a> {
    journey: &'a Journey,
    start: NaiveDate,
    current: Option<ContactStart>,
    opted_out: bool,
    violations: Vec<String>,
    sms_sent: u64,
    happenings: Vec<(u32, Happening)>,
    by_contact: Vec<(u32, Vec<(u32, Happening)>)>,
}

impl<'a> Auditor<'a> {
    fn new(journey: &'a Journey, start: NaiveDate) -> Auditor<'a> {
        Auditor {
            journey,
            start,
            current: None,
            opted_out: false,
            violations: Vec::new(),
            sms_sent: 0,
            happenings: Vec::new(),
            by_contact: Vec::new(),
        }
    }
}

impl Observer for Auditor<'_> {
    fn begin(&mut self, contact: &ContactStart) {
        self.current = Some(*contact);
        self.opted_out = false;
        self.happenings.clear();
    }

    fn note(&mut self, at: u32, happening: Happening) {
        self.happenings.push((at, happening));
        match happening {
            Happening::OptedOut { .. } => self.opted_out = true,
            Happening::SmsSent { .. } => {
                self.sms_sent += 1;
                if self.opted_out {
                    self.violations.push(format!("SMS at {at} after STOP"));
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, _: &tandem_engine::caps::Touches) {
        let contact = self.current.expect("begun").contact;
        self.by_contact.push((contact, std::mem::take(&mut self.happenings)));
    }
}

/// Why a send at `utc` breaks `policies` for a phone in `state` whose local
/// time is read in `zone`, if it does.
fn breach(policies: &Policies, state: &str, zone: &str, utc: NaiveDateTime) -> Option<String> {
    let tz: Tz = zone.parse().unwrap();
    let local = tz.from_utc_datetime(&utc).naive_local();
    let minute = (local.hour() * 60 + local.minute()) as u16;
    let inside = |window: TimeWindow| {
        if window.start_minute <= window.end_minute {
            window.start_minute <= minute && minute < window.end_minute
        } else {
            minute >= window.start_minute || minute < window.end_minute
        }
    };
    if policies.quiet_hours.is_some_and(inside) {
        return Some(format!("quiet hours at {local} {zone}"));
    }
    let state_index = US_STATES.iter().position(|known| *known == state).map(|index| index as u8);
    for window in policies.legal_windows.iter().filter(|window| window.binds(state)) {
        let holidays = tandem_engine::legal::holidays::in_year(state_index, local.year());
        if window.closed_on_holidays && holidays.iter().any(|(date, _)| *date == local.date()) {
            return Some(format!("{} holiday at {local} {zone}", window.jurisdiction));
        }
        let hours = match local.weekday() {
            Weekday::Sat => window.saturday,
            Weekday::Sun => window.sunday,
            _ => Some(window.allowed),
        };
        match hours {
            None => return Some(format!("{} closed day at {local} {zone}", window.jurisdiction)),
            Some(hours) if !inside(hours) => {
                return Some(format!("{} outside hours at {local} {zone}", window.jurisdiction));
            }
            Some(_) => {}
        }
    }
    None
}

impl Auditor<'_> {
    /// Checks the recorded SMS of every contact of `cohort` (numbered from `first`).
    fn check(&mut self, cohort: &Cohort) {
        let policies = &self.journey.policies;
        let origin = self.start.and_hms_opt(0, 0, 0).unwrap();
        let mut limits: Vec<Limit> = policies.caps.iter().map(Limit::from).collect();
        for (contact, happenings) in std::mem::take(&mut self.by_contact) {
            let index = contact as usize - cohort.first();
            let state = US_STATES[usize::from(cohort.state(index).unwrap())];
            let area = area_code(cohort.area_code(index)).unwrap();
            let zones: Vec<&str> = [Some(area.time_zone), area.also_time_zone, cohort.profile_time_zone(index)]
                .into_iter()
                .flatten()
                .map(|zone| TIME_ZONES[usize::from(zone)])
                .collect();
            let state_limit = policies
                .legal_windows
                .iter()
                .filter(|legal| legal.binds(state))
                .filter_map(|legal| legal.max_per_24h)
                .min()
                .map(Limit::sms_per_day);
            limits.truncate(policies.caps.len());
            limits.extend(state_limit);
            let sends: Vec<(u32, Channel)> = happenings
                .iter()
                .filter_map(|(at, happening)| match happening {
                    Happening::EmailSent { .. } => Some((*at, Channel::Email)),
                    Happening::SmsSent { .. } => Some((*at, Channel::Sms)),
                    _ => None,
                })
                .collect();
            let opt_outs: Vec<u32> = happenings
                .iter()
                .filter_map(|(at, happening)| matches!(happening, Happening::OptedOut { .. }).then_some(*at))
                .collect();
            let confirmations: Vec<u32> = happenings
                .iter()
                .filter_map(|(at, happening)| matches!(happening, Happening::OptOutConfirmed { .. }).then_some(*at))
                .collect();
            let confirmed = opt_outs.len() == confirmations.len()
                && opt_outs.iter().zip(&confirmations).all(|(out, confirmation)| {
                    *confirmation >= *out && confirmation - out <= OPT_OUT_CONFIRMATION_MINUTES
                });
            if !confirmed {
                self.violations
                    .push(format!("contact {contact}: opt-outs at {opt_outs:?}, confirmations at {confirmations:?}"));
            }
            for &(at, channel) in &sends {
                if channel != Channel::Sms {
                    continue;
                }
                if cohort.code(index, Attribute::Consent) != 0 {
                    self.violations.push(format!("contact {contact}: SMS at {at} without consent"));
                }
                let utc = origin + chrono::Duration::minutes(i64::from(at));
                for zone in &zones {
                    if let Some(why) = breach(policies, state, zone, utc) {
                        self.violations.push(format!("contact {contact} ({state}, area code {}): {why}", area.code));
                    }
                }
                for limit in &limits {
                    let counts = |sent_on: Channel| match limit.counts {
                        CapChannel::Sms => sent_on == Channel::Sms,
                        CapChannel::Email => sent_on == Channel::Email,
                        CapChannel::AllChannels => true,
                    };
                    let in_window = sends
                        .iter()
                        .filter(|(sent, sent_on)| *sent <= at && at - sent < limit.window_minutes && counts(*sent_on))
                        .count();
                    if in_window > usize::from(limit.max) {
                        self.violations
                            .push(format!("contact {contact}: {in_window} messages in a window of {limit:?}"));
                    }
                }
            }
        }
    }
}

/// The auditor's findings for `simulated` (a journey the simulator ran)
/// checked against `rules` (the journey whose rules must hold), for a run
/// starting on `start`, with how many SMS it saw.
fn audit(simulated: &Journey, rules: &Journey, start: NaiveDate, spec: &CohortSpec) -> (Vec<String>, u64) {
    let settings = SimulationSettings { start, ..SimulationSettings::default() };
    let simulation = Simulation::new(simulated, spec, &settings).unwrap_or_else(|problems| panic!("{problems:?}"));
    let mut auditor = Auditor::new(rules, start);
    let cohort = simulation.run_with(0..spec.size as usize, &mut auditor);
    auditor.check(&cohort);
    (auditor.violations, auditor.sms_sent)
}

/// A journey built from the playbook with generated policies and touchpoints
/// that fire often, so that the rules are really exercised.
fn generated_journey(
    quiet: Option<(u16, u16)>,
    sms_cap: (u16, u16),
    all_cap: (u16, u16),
    gap_hours: u16,
    after_email_hours: u16,
    blocked: [u8; 4],
    delays: [u32; 4],
) -> Journey {
    let mut journey = samples::playbook();
    journey.policies.quiet_hours =
        quiet.map(|(start, end)| TimeWindow { start_minute: start * 60, end_minute: end * 60 });
    journey.policies.caps = vec![
        FrequencyCap { channel: CapChannel::Sms, max_messages: sms_cap.0, window_hours: sms_cap.1 },
        FrequencyCap { channel: CapChannel::AllChannels, max_messages: all_cap.0, window_hours: all_cap.1 },
    ];
    journey.policies.collisions.min_hours_between_sms = gap_hours;
    journey.policies.collisions.sms_after_email_hours = after_email_hours;
    let triggers = [
        "opens(email, 30d) >= 1",
        "engagement_score >= 0",
        "clicks(email, 14d) >= 1 or meeting_intent",
        "sms_received(7d) == 0",
    ];
    for (index, touchpoint) in journey.touchpoints.iter_mut().enumerate() {
        touchpoint.trigger = triggers[index].into();
        // No consent check: the simulator must refuse unconsented contacts itself.
        touchpoint.eligibility = "engagement_score >= 0".into();
        touchpoint.when_blocked =
            [BlockedSend::Defer, BlockedSend::Skip, BlockedSend::Advance][usize::from(blocked[index] % 3)];
        touchpoint.timing.delay_minutes = delays[index];
    }
    journey.policies.suppression = "is_customer".into();
    journey
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn no_sms_breaks_consent_opt_out_windows_or_caps_and_the_totals_add_up(
        quiet in prop::option::of((18u16..24, 6u16..11)),
        sms_cap in (1u16..4, 24u16..200),
        all_cap in (2u16..8, 24u16..200),
        gap_hours in 0u16..72,
        after_email_hours in 0u16..48,
        blocked in prop::array::uniform4(0u8..3),
        delays in prop::array::uniform4(0u32..3 * DAY),
        seed in 0u64..1_000,
        november in any::<bool>(),
    ) {
        let journey = generated_journey(quiet, sms_cap, all_cap, gap_hours, after_email_hours, blocked, delays);
        // Runs crossing the March or the November daylight-saving switch.
        let start = if november { NaiveDate::from_ymd_opt(2026, 10, 19) } else { NaiveDate::from_ymd_opt(2026, 3, 2) };
        let settings = SimulationSettings { start: start.unwrap(), ..SimulationSettings::default() };
        let size = 600;
        let spec = CohortSpec { size, seed, ..CohortSpec::default() };
        let simulation = Simulation::new(&journey, &spec, &settings).unwrap();
        let (violations, sms_sent) = audit(&journey, &journey, settings.start, &spec);
        prop_assert!(violations.is_empty(), "{:#?}", &violations[..violations.len().min(5)]);
        prop_assert!(sms_sent > 0, "the generated journey should send SMS");

        let result = simulation.run();
        let totals = &result.totals;
        prop_assert_eq!(totals.sms_sent, sms_sent);
        prop_assert_eq!(totals.sms_sent, result.touchpoints.iter().map(|t| t.sent).sum::<u64>());
        prop_assert_eq!(totals.emails_sent, result.steps.iter().map(|s| s.sent).sum::<u64>());
        prop_assert_eq!(totals.sms_sent, result.sends_per_day.iter().map(|d| d.sms).sum::<u64>());
        prop_assert_eq!(totals.emails_sent, result.sends_per_day.iter().map(|d| d.email).sum::<u64>());
        prop_assert_eq!(totals.collisions, result.sends_per_day.iter().map(|d| d.collisions).sum::<u64>());
        prop_assert_eq!(totals.collisions, result.collisions.iter().map(|c| c.count).sum::<u64>());
        prop_assert_eq!(totals.sms_sent, result.sms_by_local_hour.iter().sum::<u64>());
        prop_assert_eq!(totals.replies, result.touchpoints.iter().map(|t| t.replied).sum::<u64>());
        prop_assert_eq!(totals.opt_outs, result.touchpoints.iter().map(|t| t.opted_out).sum::<u64>());
        prop_assert_eq!(
            totals.replies,
            result.owners.iter().map(|o| o.replies).sum::<u64>() + totals.unrouted_replies
        );
        prop_assert_eq!(totals.replies - totals.unrouted_replies, result.sla.iter().map(|s| s.replies).sum::<u64>());
        prop_assert_eq!(u64::from(result.contacts), result.by_persona.iter().map(|p| p.contacts).sum::<u64>());
        prop_assert_eq!(totals.sms_sent, result.by_persona.iter().map(|p| p.sms).sum::<u64>());
        for touchpoint in &result.touchpoints {
            let not_eligible: u64 = touchpoint.not_eligible.iter().map(|reason| reason.count).sum();
            prop_assert_eq!(touchpoint.entered, touchpoint.eligible + not_eligible, "{}", touchpoint.id);
            prop_assert_eq!(
                touchpoint.triggered,
                touchpoint.sent + touchpoint.skipped + touchpoint.dropped + touchpoint.expired + touchpoint.beyond_horizon,
                "{}", touchpoint.id
            );
            let blocked: u64 = touchpoint.blocked.iter().map(|reason| reason.count).sum();
            prop_assert_eq!(
                blocked,
                touchpoint.deferred + touchpoint.advanced + touchpoint.skipped + touchpoint.dropped + touchpoint.expired,
                "every block has a reason and an outcome: {}", touchpoint.id
            );
            prop_assert!(touchpoint.not_eligible.iter().chain(&touchpoint.blocked).all(|reason| !reason.reason.is_empty()));
        }
        prop_assert_eq!(simulation.run_in_chunks(97, |_| true).unwrap(), result);
    }
}

/// The auditor is only worth its silence if it speaks up: a simulator run
/// with one rule taken out (through the override) is audited against the
/// rules as shipped, and each missing rule shows up.
#[test]
fn the_auditor_catches_each_rule_when_the_simulator_ignores_it() {
    type Loosen = fn(&mut Policies);
    let cases: [(&str, Loosen, &str); 5] = [
        (
            "Utah's closed Sundays",
            |policies| {
                policies.legal_windows.iter_mut().for_each(|window| {
                    if window.jurisdiction.to_string() == "UT" {
                        window.sunday = Some(window.allowed)
                    }
                })
            },
            "UT closed day",
        ),
        (
            "Texas's Sunday noon start",
            |policies| {
                policies.legal_windows.iter_mut().for_each(|window| {
                    if window.jurisdiction.to_string() == "TX" {
                        window.sunday = Some(window.allowed)
                    }
                })
            },
            "TX outside hours",
        ),
        (
            "holidays",
            |policies| policies.legal_windows.iter_mut().for_each(|window| window.closed_on_holidays = false),
            "holiday",
        ),
        (
            "the exclusive end",
            |policies| {
                policies.legal_windows.iter_mut().for_each(|window| {
                    for day in DayKind::ALL {
                        let widened =
                            window.hours(day).map(|hours| TimeWindow { end_minute: hours.end_minute + 1, ..hours });
                        window.set_hours(day, widened);
                    }
                })
            },
            "outside hours at",
        ),
        (
            "Rhode Island's Saturday hours",
            |policies| {
                policies.legal_windows.iter_mut().for_each(|window| {
                    if window.jurisdiction.to_string() == "RI" {
                        window.saturday = Some(window.allowed)
                    }
                })
            },
            "RI outside hours",
        ),
    ];
    // 2 November 2026 to the end of January 2027: Sundays, Veterans Day, Thanksgiving, Christmas, New Year.
    let start = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let mut rules = generated_journey(None, (6, 24), (8, 24), 0, 0, [0, 0, 0, 0], [0, 600, 1300, 2000]);
    rules.policies.collisions.high_intent_exempt = true;
    // Utah and Rhode Island are small: ten times their weight gives them
    // enough contacts that a run without their rule sends them an SMS it breaks.
    let mut spec = CohortSpec { size: 4_000, seed: 11, ..CohortSpec::default() };
    for state in ["UT", "RI"] {
        spec.states[US_STATES.iter().position(|known| *known == state).unwrap()] *= 10.0;
    }
    let (clean, sent) = audit(&rules, &rules, start, &spec);
    assert!(clean.is_empty() && sent > 0, "{:?}", &clean[..clean.len().min(3)]);
    for (rule, loosen, finding) in cases {
        let mut simulated = rules.clone();
        loosen(&mut simulated.policies);
        simulated.policies.loosen_legal_windows = true;
        let (violations, _) = audit(&simulated, &rules, start, &spec);
        assert!(
            violations.iter().any(|violation| violation.contains(finding)),
            "{rule}: {:?}",
            &violations[..violations.len().min(3)]
        );
    }
}

/// The rules the simulator cannot run without (every zone of a split area
/// code, the opt-out confirmation) are shown to the auditor as made-up
/// histories: an SMS at 19:30 Central to a Florida 850 or 448 number, which
/// is 20:30 on the Eastern side of the code, and an opt-out never confirmed.
#[test]
fn the_auditor_catches_a_send_legal_in_one_zone_of_a_split_code_and_an_unconfirmed_opt_out() {
    let start = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let rules = generated_journey(None, (6, 24), (8, 24), 0, 0, [0, 0, 0, 0], [0, 600, 1300, 2000]);
    let settings = SimulationSettings { start, ..SimulationSettings::default() };
    let spec = CohortSpec { size: 20_000, seed: 3, ..CohortSpec::default() };
    let simulation = Simulation::new(&rules, &spec, &settings).unwrap();
    let mut auditor = Auditor::new(&rules, start);
    let cohort = simulation.run_with(0..20_000, &mut auditor);
    let split = (0..cohort.len())
        .find(|&index| {
            // Profile on Central time too, so only the code's other zone can object.
            matches!(cohort.area_code(index), 850 | 448)
                && cohort.profile_time_zone(index) == area_code(cohort.area_code(index)).map(|area| area.time_zone)
        })
        .expect("a Florida panhandle number on Central time");
    let contact = (cohort.first() + split) as u32;
    // Tuesday 3 November, 19:30 CST, is 01:30 UTC on the 4th.
    let evening = (2 * 24 + 1) * 60 + 30;
    let sms = Happening::SmsSent { touchpoint: 0, local_hour: 19 };
    auditor.by_contact = vec![(contact, vec![(evening, sms)])];
    auditor.violations.clear();
    auditor.check(&cohort);
    assert!(
        auditor
            .violations
            .iter()
            .any(|violation| violation.contains("FL outside hours") && violation.contains("America/New_York")),
        "{:?}",
        auditor.violations
    );

    let stop = Happening::OptedOut { touchpoint: 0, keyword: 6 };
    auditor.by_contact = vec![(contact, vec![(100, stop)])];
    auditor.violations.clear();
    auditor.check(&cohort);
    assert!(
        auditor.violations.iter().any(|violation| violation.contains("confirmations at []")),
        "{:?}",
        auditor.violations
    );
}

#[test]
fn the_result_names_contacts_worth_exploring_and_their_timelines_agree() {
    let simulation = tandem_engine::simulate::golden();
    let result = simulation.run();
    let examples = &result.examples;
    assert!(!examples.blocked.is_empty() && !examples.collided.is_empty(), "{examples:?}");
    for list in [&examples.blocked, &examples.opted_out, &examples.collided] {
        assert!(list.len() <= tandem_engine::simulate::EXAMPLES_KEPT && list.windows(2).all(|pair| pair[0] < pair[1]));
    }
    let blocked = simulation.timeline(examples.blocked[0] as usize).unwrap();
    assert!(blocked.entries.iter().any(|entry| entry.what.contains("blocked (")), "{:#?}", blocked.entries);
    let collided = simulation.timeline(examples.collided[0] as usize).unwrap();
    assert!(collided.entries.iter().any(|entry| entry.what.starts_with("Collision")));
    // The same examples whatever the chunking.
    assert_eq!(simulation.run_in_chunks(33, |_| true).unwrap().examples, *examples);
}
