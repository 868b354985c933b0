//! Synthetic cohorts: reproducible in one run or in chunks, faithful to the
//! spec's distributions, and readable by compiled rules.
//!
//! The statistical checks draw 100,000 contacts with a fixed seed and allow
//! 5 standard errors, so they fail on a wrong distribution, not on chance.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use tandem_engine::cohort::{
    CONSENTS, Cohort, CohortSpec, ContactView, PERSONAS, STAGES, Territory, area_code, area_codes,
};
use tandem_engine::places::{TIME_ZONES, US_STATES};
use tandem_engine::rules::{self, Attribute, Definitions, EventQuery, Facts, Program};

const LARGE: u32 = 100_000;

fn generate(spec: &CohortSpec) -> Cohort {
    match Cohort::generate(spec) {
        Ok(cohort) => cohort,
        Err(problems) => panic!("the spec has problems: {problems:?}"),
    }
}

/// The 100,000-contact cohort the statistical tests share, drawn once.
fn large() -> &'static (CohortSpec, Cohort) {
    static LARGE_COHORT: OnceLock<(CohortSpec, Cohort)> = OnceLock::new();
    LARGE_COHORT.get_or_init(|| {
        let spec = CohortSpec { size: LARGE, seed: 7, ..CohortSpec::default() };
        let cohort = generate(&spec);
        (spec, cohort)
    })
}

fn views(cohort: &Cohort) -> Vec<ContactView<'_>> {
    (0..cohort.len()).filter_map(|contact| cohort.contact(contact)).collect()
}

/// Asserts that the share of `count` in `total` is within 5 standard errors of `expected`.
fn assert_share(what: &str, count: usize, total: usize, expected: f64) {
    let share = count as f64 / total as f64;
    let tolerance = 5.0 * (expected * (1.0 - expected) / total as f64).sqrt() + 1e-9;
    assert!((share - expected).abs() <= tolerance, "{what}: share {share:.4}, expected {expected:.4} ± {tolerance:.4}");
}

/// Asserts that the values `of` each contact occur with the shares of `weights`, named by `names`.
fn assert_mix(views: &[ContactView], names: &[&str], weights: &[f64], of: impl Fn(&ContactView) -> &'static str) {
    let total: f64 = weights.iter().sum();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for view in views {
        *counts.entry(of(view)).or_default() += 1;
    }
    for (name, weight) in names.iter().zip(weights) {
        let count = counts.get(name).copied().unwrap_or(0);
        assert_share(name, count, views.len(), weight / total);
    }
}

#[test]
fn the_default_spec_has_ten_thousand_contacts() {
    let spec = CohortSpec::default();
    assert!(spec.problems().is_empty(), "{:?}", spec.problems());
    let cohort = generate(&spec);
    assert_eq!((cohort.first(), cohort.len()), (0, 10_000));
}

#[test]
fn the_same_spec_gives_identical_columns_and_another_seed_others() {
    let spec = CohortSpec { size: 5_000, ..CohortSpec::default() };
    assert_eq!(generate(&spec), generate(&spec));
    let reseeded = generate(&CohortSpec { seed: spec.seed + 1, ..spec.clone() });
    assert_ne!(views(&generate(&spec)), views(&reseeded));
}

#[test]
fn chunks_equal_one_run_and_a_smaller_cohort_is_a_prefix_of_a_larger_one() {
    let spec = CohortSpec { size: 10_000, ..CohortSpec::default() };
    let whole = generate(&spec);
    // A view borrows its chunk, which goes at the end of each turn: compare them as text.
    let mut chunked = Vec::new();
    for range in [0..1_234, 1_234..1_235, 1_235..7_000, 7_000..10_000, 10_000..12_000] {
        let chunk = Cohort::generate_range(&spec, range.clone()).unwrap_or_else(|problems| panic!("{problems:?}"));
        assert_eq!(chunk.first(), range.start.min(10_000));
        chunked.extend((0..chunk.len()).filter_map(|contact| chunk.contact(contact)).map(|view| format!("{view:?}")));
    }
    let at_once: Vec<String> = views(&whole).iter().map(|view| format!("{view:?}")).collect();
    assert_eq!(chunked, at_once);

    let larger = generate(&CohortSpec { size: 25_000, ..spec.clone() });
    let prefix: Vec<ContactView> = (0..10_000).filter_map(|contact| larger.contact(contact)).collect();
    assert_eq!(prefix, views(&whole));
}

#[test]
fn persona_stage_consent_and_state_shares_follow_the_weights() {
    let (spec, cohort) = large();
    let views = views(cohort);
    assert_eq!(views.len(), LARGE as usize);
    assert_mix(&views, PERSONAS, &spec.personas.map(|p| p.weight), |view| view.persona);
    assert_mix(&views, STAGES, &spec.stages.map(|s| s.weight), |view| view.stage);
    assert_mix(&views, CONSENTS, &spec.consent, |view| view.consent);
    assert_mix(&views, &US_STATES, &spec.states, |view| view.state);
}

#[test]
fn industry_risk_follows_each_industrys_mix() {
    let (spec, cohort) = large();
    let views = views(cohort);
    for (industry, mix) in tandem_engine::cohort::INDUSTRIES.iter().zip(&spec.industries) {
        let within: Vec<ContactView> = views.iter().filter(|view| view.industry == *industry).cloned().collect();
        assert_mix(&within, tandem_engine::cohort::INDUSTRY_RISKS, &mix.risk, |view| view.industry_risk);
    }
}

#[test]
fn a_contacts_area_code_belongs_to_the_state_it_was_drawn_in() {
    // Only Florida and Oklahoma: every contact must get one of their area codes.
    let mut states = [0.0; US_STATES.len()];
    states[9] = 3.0;
    states[36] = 1.0;
    assert_eq!((US_STATES[9], US_STATES[36]), ("FL", "OK"));
    let spec = CohortSpec { size: 20_000, states, ..CohortSpec::default() };
    let cohort = generate(&spec);
    let mut codes_seen = BTreeMap::new();
    for view in views(&cohort) {
        let area = area_code(view.area_code).expect("a geographic area code");
        assert_eq!(US_STATES[usize::from(area.state)], view.state);
        assert!(view.state == "FL" || view.state == "OK", "{view:?}");
        *codes_seen.entry(view.area_code).or_insert(0) += 1;
    }
    // Every area code of the two states is used, each about equally often within its state.
    let expected: Vec<u16> =
        area_codes().iter().filter(|area| area.state == 9 || area.state == 36).map(|area| area.code).collect();
    assert_eq!(codes_seen.keys().copied().collect::<Vec<_>>(), expected);
    assert!(codes_seen.contains_key(&305) && codes_seen.contains_key(&786) && codes_seen.contains_key(&405));

    // In the default cohort too, the state the rules see is the area code's.
    let (_, cohort) = large();
    for contact in 0..cohort.len() {
        let area = area_code(cohort.area_code(contact)).expect("a geographic area code");
        assert_eq!(cohort.code(contact, Attribute::State), u32::from(area.state));
        let home = cohort.phone_time_zone(contact);
        assert!(home == Some(area.time_zone) || home == area.also_time_zone, "contact {contact}");
    }
}

/// A cohort of 200,000 contacts in the states with area codes that span two zones.
fn in_split_states() -> Cohort {
    let mut states = [0.0; US_STATES.len()];
    let split_states: std::collections::BTreeSet<u8> =
        area_codes().iter().filter(|area| area.also_time_zone.is_some()).map(|area| area.state).collect();
    for state in split_states {
        states[usize::from(state)] = 1.0;
    }
    generate(&CohortSpec { size: 200_000, seed: 11, states, ..CohortSpec::default() })
}

#[test]
fn contacts_of_a_code_spanning_two_zones_live_in_each_by_its_people() {
    let cohort = in_split_states();
    // Per split code: contacts, and those living in the code's second zone.
    let mut counts: BTreeMap<u16, (usize, usize)> = BTreeMap::new();
    for contact in 0..cohort.len() {
        let area = area_code(cohort.area_code(contact)).expect("a geographic area code");
        let home = cohort.phone_time_zone(contact);
        match area.also_time_zone {
            Some(also) => {
                let (contacts, in_also) = counts.entry(area.code).or_default();
                *contacts += 1;
                *in_also += usize::from(home == Some(also));
            }
            None => assert_eq!(home, Some(area.time_zone), "contact {contact}"),
        }
    }
    assert_eq!(counts.len(), 23, "every split code is drawn");
    for (code, (contacts, in_also)) in counts {
        let percent = area_code(code).map_or(0, |area| area.also_time_zone_percent);
        assert_share(&format!("{code} in its second zone"), in_also, contacts, f64::from(percent) / 100.0);
    }
    // Florida's 850 and 448 have 29% of their people on Eastern time.
    let florida = (0..cohort.len()).filter(|&contact| matches!(cohort.area_code(contact), 850 | 448));
    let (contacts, eastern) = florida.fold((0, 0), |(contacts, eastern), contact| {
        let home = cohort.contact(contact).map(|view| view.phone_time_zone);
        (contacts + 1, eastern + usize::from(home == Some("America/New_York")))
    });
    assert_share("850 and 448 on Eastern time", eastern, contacts, 0.29);
}

#[test]
fn a_contact_in_a_code_spanning_two_zones_is_checked_in_both_wherever_it_lives() {
    let cohort = in_split_states();
    let zone = |name: &str| TIME_ZONES.iter().position(|zone| *zone == name).map(|index| index as u8);
    let (central, eastern) = (zone("America/Chicago"), zone("America/New_York"));
    let mut homes_seen = BTreeMap::new();
    for contact in (0..cohort.len()).filter(|&contact| cohort.area_code(contact) == 850) {
        let zones = cohort.legal_time_zones(contact);
        for both in [central, eastern].into_iter().flatten() {
            assert!(zones.contains(&both), "contact {contact}: {zones:?}");
        }
        *homes_seen.entry(cohort.phone_time_zone(contact)).or_insert(0) += 1;
    }
    assert_eq!(homes_seen.keys().copied().collect::<Vec<_>>(), vec![eastern, central]);
}

#[test]
fn about_the_configured_share_of_profile_time_zones_disagree_with_the_phone() {
    let (spec, cohort) = large();
    let views = views(cohort);
    let disagreeing = views.iter().filter(|view| view.time_zones_disagree).count();
    assert_share("time zone mismatch", disagreeing, views.len(), spec.time_zone_mismatch);
    for view in &views {
        assert!(TIME_ZONES.contains(&view.profile_time_zone));
        if !view.time_zones_disagree {
            assert_eq!(view.profile_time_zone, view.phone_time_zone, "{view:?}");
        }
    }
    for (share, expected) in [(0.0, 0), (1.0, 20_000)] {
        let spec = CohortSpec { size: 20_000, time_zone_mismatch: share, ..CohortSpec::default() };
        let cohort = generate(&spec);
        let disagreeing = (0..cohort.len()).filter(|&contact| cohort.time_zones_disagree(contact)).count();
        assert_eq!(disagreeing, expected, "mismatch share {share}");
    }
}

#[test]
fn propensities_lie_in_zero_to_one_with_each_personas_beta_mean() {
    let (spec, cohort) = large();
    let views = views(cohort);
    for (persona, mix) in PERSONAS.iter().zip(&spec.personas) {
        let values: Vec<f64> =
            views.iter().filter(|view| view.persona == *persona).map(|view| view.engagement_propensity).collect();
        assert!(values.iter().all(|value| (0.0..=1.0).contains(value)));
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let (a, b) = (mix.engagement.a, mix.engagement.b);
        let deviation = (a * b / ((a + b).powi(2) * (a + b + 1.0))).sqrt();
        let tolerance = 5.0 * deviation / (values.len() as f64).sqrt();
        assert!(
            (mean - mix.engagement.mean()).abs() < tolerance,
            "{persona}: mean {mean}, expected {}",
            mix.engagement.mean()
        );
    }
    for view in &views {
        assert_eq!(view.engagement_score, (view.engagement_propensity * 100.0).round());
    }
}

#[test]
fn days_in_stage_average_the_stages_mean() {
    let (spec, cohort) = large();
    let views = views(cohort);
    for (stage, mix) in STAGES.iter().zip(&spec.stages) {
        let days: Vec<f64> =
            views.iter().filter(|view| view.stage == *stage).map(|view| f64::from(view.days_in_stage)).collect();
        let mean = days.iter().sum::<f64>() / days.len() as f64;
        let expected = mix.mean_days_in_stage;
        // A geometric distribution with mean m has standard deviation sqrt(m (1 + m)).
        let tolerance = 5.0 * (expected * (1.0 + expected)).sqrt() / (days.len() as f64).sqrt();
        assert!((mean - expected).abs() < tolerance, "{stage}: mean {mean}, expected {expected}");
    }
}

#[test]
fn flags_follow_the_stage_and_consent() {
    let (spec, cohort) = large();
    let views = views(cohort);
    for (stage, mix) in STAGES.iter().zip(&spec.stages) {
        let within: Vec<&ContactView> = views.iter().filter(|view| view.stage == *stage).collect();
        let open = within.iter().filter(|view| view.open_opportunity).count();
        let customers = within.iter().filter(|view| view.is_customer).count();
        assert_share(&format!("{stage} with an open opportunity"), open, within.len(), mix.open_opportunity);
        assert_share(&format!("{stage} customers"), customers, within.len(), mix.customer);
    }
    for view in &views {
        assert_eq!(view.opted_out, view.consent == "opted_out");
    }
}

#[test]
fn owners_come_from_the_territory_of_the_contacts_state() {
    let (spec, cohort) = large();
    for view in views(cohort) {
        assert_eq!(view.territory, Some(view.owner.territory.as_str()), "{view:?}");
    }
    // A territory without owners falls back to every owner; a state outside any territory too.
    let mut spec = CohortSpec { size: 20_000, ..spec.clone() };
    spec.owners.retain(|owner| owner.territory != "West");
    spec.territories.push(Territory { name: "Islands".into(), states: Vec::new() });
    let hawaii = spec.territories.iter_mut().find_map(|territory| {
        let at = territory.states.iter().position(|state| state == "HI")?;
        Some(territory.states.remove(at))
    });
    assert_eq!(hawaii.as_deref(), Some("HI"));
    let cohort = generate(&spec);
    let mut owners_by_territory: BTreeMap<Option<&str>, BTreeMap<&str, usize>> = BTreeMap::new();
    let views = views(&cohort);
    for view in &views {
        *owners_by_territory.entry(view.territory).or_default().entry(view.owner.id.0.as_str()).or_default() += 1;
    }
    let owners = |territory| owners_by_territory[&territory].keys().copied().collect::<Vec<_>>();
    assert_eq!(owners(Some("East")), vec!["ana"]);
    assert_eq!(owners(Some("West")), vec!["ana", "marcus"]);
    assert_eq!(owners(None), vec!["ana", "marcus"]);
}

/// What a simulator does: answer a compiled rule's attribute reads from the
/// cohort's columns, and its event counts from its own records (none here).
struct AtStart<'a>(&'a Cohort);

impl Facts for AtStart<'_> {
    fn code(&self, contact: usize, attribute: Attribute) -> u32 {
        self.0.code(contact, attribute)
    }
    fn number(&self, contact: usize, attribute: Attribute) -> f64 {
        self.0.number(contact, attribute)
    }
    fn flag(&self, contact: usize, attribute: Attribute) -> bool {
        self.0.flag(contact, attribute)
    }
    fn count(&self, _contact: usize, _event: &EventQuery) -> u32 {
        0
    }
}

#[test]
fn compiled_rules_read_the_cohort_as_its_views_spell_it() {
    let spec = CohortSpec { size: 20_000, ..CohortSpec::default() };
    let cohort = generate(&spec);
    let vocabulary = spec.owner_vocabulary();
    type Expected = fn(&ContactView) -> bool;
    let cases: [(&str, Expected); 6] = [
        (
            r#"consent == "opted_in" and persona in ["VP Sales", "RevOps"] and stage in ["MQL", "SQL"] and industry_risk != "high""#,
            |view| {
                view.consent == "opted_in"
                    && ["VP Sales", "RevOps"].contains(&view.persona)
                    && ["MQL", "SQL"].contains(&view.stage)
                    && view.industry_risk != "high"
            },
        ),
        (r#"state in ["FL", "OK", "MD"] and days_in_stage >= 14"#, |view| {
            ["FL", "OK", "MD"].contains(&view.state) && view.days_in_stage >= 14
        }),
        (r#"owner == "Priya Shah" or industry == "Healthcare""#, |view| {
            view.owner.name == "Priya Shah" || view.industry == "Healthcare"
        }),
        ("engagement_score >= 40", |view| view.engagement_score >= 40.0),
        ("is_customer or open_opportunity or in_sales_hands", |view| view.is_customer || view.open_opportunity),
        ("opted_out and not meeting_intent", |view| view.opted_out),
    ];
    for (rule, expected) in cases {
        let checked = rules::check(rule, &Definitions::default());
        let Some(checked_rule) = checked.rule else {
            panic!("{rule}: {:?}", checked.diagnostics);
        };
        let program = Program::compile(&checked_rule, &vocabulary);
        let mut holding = 0;
        for contact in 0..cohort.len() {
            let view = cohort.contact(contact).expect("a contact");
            let holds = program.eval(&AtStart(&cohort), contact);
            assert_eq!(holds, expected(&view), "{rule} for {view:?}");
            holding += usize::from(holds);
        }
        assert!(holding > 0 && holding < cohort.len(), "{rule} holds for {holding} contacts: the case tests nothing");
    }
}

#[test]
fn contacts_past_the_end_read_as_nothing() {
    let cohort = generate(&CohortSpec { size: 10, ..CohortSpec::default() });
    assert_eq!(cohort.contact(10), None);
    assert_eq!(cohort.code(10, Attribute::Persona), 0);
    assert_eq!(cohort.code(10, Attribute::State), 0);
    assert_eq!(cohort.number(10, Attribute::DaysInStage), 0.0);
    assert!(!cohort.flag(usize::MAX, Attribute::OptedOut));
    assert_eq!((cohort.area_code(10), cohort.state(10), cohort.profile_time_zone(10)), (0, None, None));
    assert!(!cohort.time_zones_disagree(10));
}

#[test]
fn a_contact_takes_at_most_twenty_bytes() {
    let cohort = generate(&CohortSpec { size: 1, ..CohortSpec::default() });
    assert!(cohort.bytes_per_contact() <= 20, "{} bytes", cohort.bytes_per_contact());
}

#[test]
fn a_spec_with_problems_generates_nothing_and_says_why() {
    let spec = CohortSpec { size: 0, time_zone_mismatch: f64::NAN, ..CohortSpec::default() };
    let problems = Cohort::generate(&spec).expect_err("problems");
    let paths: Vec<&str> = problems.iter().map(|problem| problem.path.as_str()).collect();
    assert_eq!(paths, vec!["/size", "/time_zone_mismatch"]);
    assert!(Cohort::generate_range(&spec, 0..10).is_err());
}

#[test]
fn the_largest_cohort_generates() {
    let spec = CohortSpec { size: tandem_engine::cohort::MAX_COHORT_SIZE, ..CohortSpec::default() };
    let started = std::time::Instant::now();
    let cohort = generate(&spec);
    let elapsed = started.elapsed();
    assert_eq!(cohort.len(), 1_000_000);
    println!("1,000,000 contacts in {elapsed:?}, {} bytes each", cohort.bytes_per_contact());
}
