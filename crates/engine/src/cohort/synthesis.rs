//! Turning a checked spec into contacts. Each attribute of each contact is
//! its own keyed random decision ([`decisions`]), so a contact depends only
//! on the seed, its number and the spec: generating 0..n at once or in
//! chunks gives the same contacts, a larger cohort starts with the smaller
//! one, and changing one distribution leaves every other draw as it was.

use std::ops::Range;

use super::columns::{Cohort, Drawn, Roster};
use super::geography::{AreaCode, Region, STATE_COUNT, area_code, area_codes_of, state_time_zone};
use super::spec::{CohortSpec, INDUSTRIES, MAX_COHORT_SIZE, PERSONAS, STAGES};
use crate::places::US_STATES;
use crate::random::{self, Draws, Picker, RunKey, decisions};
use crate::validate::Problem;

/// A spec without problems, prepared for drawing contacts quickly.
#[derive(Clone, Debug)]
pub struct Synthesizer {
    key: RunKey,
    size: usize,
    personas: Picker,
    engagement: [random::Beta; PERSONAS.len()],
    stages: Picker,
    /// Per stage, `-1 / ln(q)` of the geometric distribution of days in
    /// stage (`P(days = k) = (1 - q) q^k`), or 0 when its mean is 0 days.
    days_scale: [f64; STAGES.len()],
    open_opportunity: [f64; STAGES.len()],
    customer: [f64; STAGES.len()],
    industries: Picker,
    /// Per industry, its risks.
    risks: [Picker; INDUSTRIES.len()],
    consent: Picker,
    states: Picker,
    time_zone_mismatch: f64,
    /// Per region, the state weights with that region's states left out:
    /// where a mismatched profile's zone comes from. `None` when no other
    /// region has weight.
    states_outside: [Option<[f64; STATE_COUNT]>; Region::COUNT],
    /// Owner indexes to draw from, per state.
    owners_of_state: [Vec<u8>; STATE_COUNT],
    roster: Roster,
}

impl Synthesizer {
    /// Prepares `spec`, or says what is wrong with it.
    pub fn new(spec: &CohortSpec) -> Result<Synthesizer, Vec<Problem>> {
        Synthesizer::up_to(spec, MAX_COHORT_SIZE)
    }

    /// [`Synthesizer::new`], with cohorts of up to `max_size` contacts allowed.
    pub fn up_to(spec: &CohortSpec, max_size: u32) -> Result<Synthesizer, Vec<Problem>> {
        let problems = spec.problems_up_to(max_size);
        if problems.is_empty() { Ok(Synthesizer::checked(spec)) } else { Err(problems) }
    }

    /// Prepares `spec`, which has been checked: a simulation's spec was,
    /// before it was compiled (so a worker never carries the checks).
    pub(crate) fn checked(spec: &CohortSpec) -> Synthesizer {
        let roster = roster(spec);
        let owners_of_state = std::array::from_fn(|state| {
            let everyone = || (0..spec.owners.len()).map(|owner| owner as u8).collect();
            let Some(territory) = roster.territory_of_state[state].and_then(|index| roster.territories.get(index))
            else {
                return everyone();
            };
            let local: Vec<u8> = (0..spec.owners.len())
                .filter(|&owner| &spec.owners[owner].territory == territory)
                .map(|owner| owner as u8)
                .collect();
            if local.is_empty() { everyone() } else { local }
        });
        Synthesizer {
            key: RunKey::new(spec.seed),
            size: spec.size as usize,
            personas: Picker::new(&spec.personas.map(|persona| persona.weight)),
            engagement: spec.personas.map(|persona| random::Beta::new(persona.engagement.a, persona.engagement.b)),
            stages: Picker::new(&spec.stages.map(|stage| stage.weight)),
            days_scale: spec.stages.map(|stage| {
                let mean = stage.mean_days_in_stage;
                if mean > 0.0 { 1.0 / libm::log((1.0 + mean) / mean) } else { 0.0 }
            }),
            open_opportunity: spec.stages.map(|stage| stage.open_opportunity),
            customer: spec.stages.map(|stage| stage.customer),
            industries: Picker::new(&spec.industries.map(|industry| industry.weight)),
            risks: spec.industries.map(|industry| Picker::new(&industry.risk)),
            consent: Picker::new(&spec.consent),
            states: Picker::new(&spec.states),
            time_zone_mismatch: spec.time_zone_mismatch,
            states_outside: std::array::from_fn(|region| {
                let outside: [f64; STATE_COUNT] = std::array::from_fn(|state| {
                    let inside = Region::of(state_time_zone(state)) as usize == region;
                    if inside { 0.0 } else { spec.states[state] }
                });
                (outside.iter().sum::<f64>() > 0.0).then_some(outside)
            }),
            owners_of_state,
            roster,
        }
    }

    /// How many contacts the whole cohort has.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Contacts `range` of the cohort (cut to its size).
    pub fn generate(&self, range: Range<usize>) -> Cohort {
        let end = range.end.min(self.size);
        let start = range.start.min(end);
        let mut cohort = Cohort::zeroed(start, end - start, self.roster.clone());
        for contact in start..end {
            cohort.set(contact - start, self.draw(contact));
        }
        cohort
    }

    fn draw(&self, contact: usize) -> Drawn {
        let key = self.key.contact(contact as u64);
        // The attributes of one number each, at their decision's position.
        let attributes = key.draws(decisions::WHOLE_CONTACT, decisions::ATTRIBUTES);
        let uniform = |decision| attributes.uniform_at(decision);
        let persona = self.personas.pick(uniform(decisions::PERSONA));
        let stage = self.stages.pick(uniform(decisions::STAGE));
        let industry = self.industries.pick(uniform(decisions::INDUSTRY));
        let state = self.states.pick(uniform(decisions::STATE));
        let codes = area_codes_of(state);
        let code = codes.get(index(uniform(decisions::AREA_CODE), codes.len())).copied().unwrap_or(0);
        let area = area_code(code);
        let lives_in_also_time_zone = area.is_some_and(|area| {
            area.also_time_zone.is_some()
                && uniform(decisions::HOME_TIME_ZONE) < f64::from(area.also_time_zone_percent) / 100.0
        });
        let phone_time_zone = match area {
            Some(AreaCode { also_time_zone: Some(also), .. }) if lives_in_also_time_zone => also,
            Some(area) => area.time_zone,
            None => 0,
        };
        let owners = &self.owners_of_state[state];
        Drawn {
            persona: persona as u8,
            stage: stage as u8,
            industry: industry as u8,
            industry_risk: self.risks[industry].pick(uniform(decisions::INDUSTRY_RISK)) as u8,
            consent: self.consent.pick(uniform(decisions::CONSENT)) as u8,
            area_code: code,
            lives_in_also_time_zone,
            profile_time_zone: self.profile_time_zone(uniform(decisions::PROFILE_TIME_ZONE), phone_time_zone),
            propensity: self.engagement[persona].draw(&mut key.draws(decisions::WHOLE_CONTACT, decisions::ENGAGEMENT)),
            days_in_stage: days_in_stage(
                key.draws(decisions::WHOLE_CONTACT, decisions::DAYS_IN_STAGE),
                self.days_scale[stage],
            ),
            owner: owners.get(index(uniform(decisions::OWNER), owners.len())).copied().unwrap_or(0),
            is_customer: uniform(decisions::CUSTOMER) < self.customer[stage],
            open_opportunity: uniform(decisions::OPEN_OPPORTUNITY) < self.open_opportunity[stage],
        }
    }

    /// The phone's zone, except for the mismatch share: the main zone of a
    /// state drawn from the other regions. One draw decides both: below the
    /// share it is a mismatch, and where below (evenly spread) is which state.
    fn profile_time_zone(&self, uniform: f64, phone_time_zone: u8) -> u8 {
        match &self.states_outside[Region::of(phone_time_zone) as usize] {
            Some(states) if uniform < self.time_zone_mismatch => {
                state_time_zone(random::pick(uniform / self.time_zone_mismatch, states, states.iter().sum()))
            }
            _ => phone_time_zone,
        }
    }
}

/// A uniformly drawn index below `len` (0 when `len` is 0).
fn index(uniform: f64, len: usize) -> usize {
    // Through `u32`, whose conversion is shorter than `usize`'s: the lists
    // are short, so the product is far below `u32::MAX`.
    ((uniform * len as f64) as u32 as usize).min(len.saturating_sub(1))
}

/// A geometric draw: a standard exponential times `scale` (`-1 / ln(q)`),
/// rounded down (the cast truncates, which for a draw that is never negative
/// is rounding down), at most `u16::MAX`.
fn days_in_stage(mut draws: Draws, scale: f64) -> u16 {
    if scale > 0.0 { (draws.exponential() * scale) as u16 } else { 0 }
}

fn roster(spec: &CohortSpec) -> Roster {
    let mut territory_of_state = [None; STATE_COUNT];
    for (index, territory) in spec.territories.iter().enumerate() {
        for state in &territory.states {
            if let Some(state) = US_STATES.iter().position(|code| code == state) {
                territory_of_state[state] = Some(index);
            }
        }
    }
    Roster {
        owners: spec.owners.clone(),
        territories: spec.territories.iter().map(|territory| territory.name.clone()).collect(),
        territory_of_state,
    }
}

impl Cohort {
    /// The whole cohort of `spec`, or what is wrong with the spec.
    pub fn generate(spec: &CohortSpec) -> Result<Cohort, Vec<Problem>> {
        let synthesizer = Synthesizer::new(spec)?;
        Ok(synthesizer.generate(0..synthesizer.size()))
    }

    /// Contacts `range` of the cohort of `spec` (cut to its size): the same
    /// contacts as in [`Cohort::generate`], numbered from `range.start`.
    pub fn generate_range(spec: &CohortSpec, range: Range<usize>) -> Result<Cohort, Vec<Problem>> {
        Ok(Synthesizer::new(spec)?.generate(range))
    }
}
