//! A cohort held column by column, each attribute in the smallest type that
//! holds it, because a simulation reads one or two attributes of a million
//! contacts at a time and the browser's memory is not unlimited. Readers
//! ask by [`Attribute`] with the same meaning as [`crate::rules::Facts`], so
//! the simulator answers compiled rules straight from these columns.

use std::mem::size_of;

use super::geography::{Region, STATE_COUNT, area_code};
use super::spec::{AccountOwner, CONSENTS, INDUSTRIES, INDUSTRY_RISKS, OPTED_OUT, PERSONAS, STAGES};
use crate::places::{TIME_ZONES, US_STATES};
use crate::rules::Attribute;

/// Propensities are stored as `u16`: 0 is 0.0 and this is 1.0.
const PROPENSITY_SCALE: f64 = u16::MAX as f64;

/// `scaled.round() as u16` for `scaled` in 0 to [`PROPENSITY_SCALE`],
/// without the call `round` takes where the processor (or WebAssembly)
/// has no instruction for it: the fraction `scaled - whole` is exact, and
/// halves round up, away from zero.
fn round(scaled: f64) -> u16 {
    let whole = scaled as u16;
    if scaled - f64::from(whole) >= 0.5 { whole + 1 } else { whole }
}

/// Bits of the flags column.
const IS_CUSTOMER: u8 = 1;
const OPEN_OPPORTUNITY: u8 = 1 << 1;
/// The contact lives in the second zone of an area code that spans two.
const LIVES_IN_ALSO_TIME_ZONE: u8 = 1 << 2;

/// Contacts `first..first + len` of a synthetic cohort. Readers take the
/// contact's position in this cohort (0 to `len - 1`); a position past the
/// end reads as code 0, number 0 and false, like [`crate::rules::Facts`].
#[derive(Clone, Debug, PartialEq)]
pub struct Cohort {
    first: usize,
    personas: Vec<u8>,
    stages: Vec<u8>,
    industries: Vec<u8>,
    industry_risks: Vec<u8>,
    consents: Vec<u8>,
    /// The phone's area code; the state and phone time zone come from it.
    area_codes: Vec<u16>,
    /// Index in [`TIME_ZONES`].
    profile_time_zones: Vec<u8>,
    /// Engagement propensity, scaled by [`PROPENSITY_SCALE`].
    propensities: Vec<u16>,
    days_in_stage: Vec<u16>,
    /// Index in the roster's owners.
    owners: Vec<u8>,
    flags: Vec<u8>,
    roster: Roster,
}

/// Who owns contacts, shared by every contact of a cohort.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Roster {
    pub(super) owners: Vec<AccountOwner>,
    pub(super) territories: Vec<String>,
    /// Index in `territories` of each state's territory.
    pub(super) territory_of_state: [Option<usize>; STATE_COUNT],
}

/// One contact as drawn, before it is split into the columns.
pub(super) struct Drawn {
    pub(super) persona: u8,
    pub(super) stage: u8,
    pub(super) industry: u8,
    pub(super) industry_risk: u8,
    pub(super) consent: u8,
    pub(super) area_code: u16,
    /// The contact lives in the area code's `also_time_zone`, not its `time_zone`.
    pub(super) lives_in_also_time_zone: bool,
    pub(super) profile_time_zone: u8,
    pub(super) propensity: f64,
    pub(super) days_in_stage: u16,
    pub(super) owner: u8,
    pub(super) is_customer: bool,
    pub(super) open_opportunity: bool,
}

/// Where a contact's phone number puts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Phone {
    /// The phone's area code (0 past the end).
    pub area_code: u16,
    /// The area code's state, as its index in [`US_STATES`].
    pub state: Option<u8>,
    /// The zone the contact lives in by the code: [`Cohort::phone_time_zone`].
    pub time_zone: Option<u8>,
    /// The state's territory, as its index in the spec's territories.
    pub territory: Option<usize>,
}

/// One contact with its values spelled out, for the contact explorer and tests.
#[derive(Clone, Debug, PartialEq)]
pub struct ContactView<'a> {
    /// The contact's number in the whole cohort.
    pub index: usize,
    pub persona: &'static str,
    pub stage: &'static str,
    pub industry: &'static str,
    pub industry_risk: &'static str,
    pub consent: &'static str,
    pub area_code: u16,
    /// The state of the area code, which decides the legal window.
    pub state: &'static str,
    /// The zone the contact lives in by its area code (for a code that
    /// spans two, the one drawn for it).
    pub phone_time_zone: &'static str,
    /// The time zone on the contact's profile.
    pub profile_time_zone: &'static str,
    /// The profile's zone shows another local time than the phone's.
    pub time_zones_disagree: bool,
    /// How readily the contact engages, 0 to 1.
    pub engagement_propensity: f64,
    /// The `engagement_score` rules see: the propensity as a whole number from 0 to 100.
    pub engagement_score: f64,
    pub days_in_stage: u16,
    pub owner: &'a AccountOwner,
    /// The territory of the contact's state, if it is in one.
    pub territory: Option<&'a str>,
    pub is_customer: bool,
    pub open_opportunity: bool,
    pub opted_out: bool,
}

impl Cohort {
    /// `len` contacts with every value 0, for [`Cohort::set`] to fill in:
    /// a store per column then, where a push would check the capacity and
    /// move the length every time.
    pub(super) fn zeroed(first: usize, len: usize, roster: Roster) -> Cohort {
        Cohort {
            first,
            personas: vec![0; len],
            stages: vec![0; len],
            industries: vec![0; len],
            industry_risks: vec![0; len],
            consents: vec![0; len],
            area_codes: vec![0; len],
            profile_time_zones: vec![0; len],
            propensities: vec![0; len],
            days_in_stage: vec![0; len],
            owners: vec![0; len],
            flags: vec![0; len],
            roster,
        }
    }

    /// Puts `contact` at position `at`.
    pub(super) fn set(&mut self, at: usize, contact: Drawn) {
        self.personas[at] = contact.persona;
        self.stages[at] = contact.stage;
        self.industries[at] = contact.industry;
        self.industry_risks[at] = contact.industry_risk;
        self.consents[at] = contact.consent;
        self.area_codes[at] = contact.area_code;
        self.profile_time_zones[at] = contact.profile_time_zone;
        self.propensities[at] = round(contact.propensity.clamp(0.0, 1.0) * PROPENSITY_SCALE);
        self.days_in_stage[at] = contact.days_in_stage;
        self.owners[at] = contact.owner;
        let mut flags = 0;
        if contact.is_customer {
            flags |= IS_CUSTOMER;
        }
        if contact.open_opportunity {
            flags |= OPEN_OPPORTUNITY;
        }
        if contact.lives_in_also_time_zone {
            flags |= LIVES_IN_ALSO_TIME_ZONE;
        }
        self.flags[at] = flags;
    }

    /// The number in the whole cohort of this cohort's contact 0.
    pub fn first(&self) -> usize {
        self.first
    }

    pub fn len(&self) -> usize {
        self.personas.len()
    }

    pub fn is_empty(&self) -> bool {
        self.personas.is_empty()
    }

    /// The memory one contact takes, in bytes: the sum of the sizes of the
    /// column element types.
    pub fn bytes_per_contact(&self) -> usize {
        fn element<T>(_: &[T]) -> usize {
            size_of::<T>()
        }
        // Destructured so that a new column cannot be left out.
        let Cohort {
            first: _,
            personas,
            stages,
            industries,
            industry_risks,
            consents,
            area_codes,
            profile_time_zones,
            propensities,
            days_in_stage,
            owners,
            flags,
            roster: _,
        } = self;
        element(personas)
            + element(stages)
            + element(industries)
            + element(industry_risks)
            + element(consents)
            + element(area_codes)
            + element(profile_time_zones)
            + element(propensities)
            + element(days_in_stage)
            + element(owners)
            + element(flags)
    }

    /// [`crate::rules::Facts::code`]: the value of a choice attribute as its
    /// index in the schema, or for `owner` the owner's index, which is its
    /// code in [`super::CohortSpec::owner_vocabulary`]. Other attributes read 0.
    pub fn code(&self, contact: usize, attribute: Attribute) -> u32 {
        let column = match attribute {
            Attribute::Consent => &self.consents,
            Attribute::Persona => &self.personas,
            Attribute::Stage => &self.stages,
            Attribute::Industry => &self.industries,
            Attribute::IndustryRisk => &self.industry_risks,
            Attribute::Owner => &self.owners,
            Attribute::State => return self.state(contact).map_or(0, u32::from),
            _ => return 0,
        };
        column.get(contact).map_or(0, |&code| u32::from(code))
    }

    /// [`crate::rules::Facts::number`]: `days_in_stage`, and
    /// `engagement_score` (the propensity as a whole number from 0 to 100).
    /// Other attributes read 0.
    pub fn number(&self, contact: usize, attribute: Attribute) -> f64 {
        match attribute {
            Attribute::DaysInStage => f64::from(self.days_in_stage(contact)),
            Attribute::EngagementScore => (self.engagement_propensity(contact) * 100.0).round(),
            _ => 0.0,
        }
    }

    /// [`crate::rules::Facts::flag`] as the cohort starts: `opted_out` is
    /// consent `opted_out`; `in_sales_hands` and `meeting_intent` are false,
    /// because only the simulation makes them true. Other attributes read false.
    pub fn flag(&self, contact: usize, attribute: Attribute) -> bool {
        let flags = self.flags.get(contact).copied().unwrap_or(0);
        match attribute {
            Attribute::IsCustomer => flags & IS_CUSTOMER != 0,
            Attribute::OpenOpportunity => flags & OPEN_OPPORTUNITY != 0,
            Attribute::OptedOut => self.consents.get(contact) == Some(&OPTED_OUT),
            _ => false,
        }
    }

    /// Days the contact has been in its stage when the run starts (0 past the end).
    pub fn days_in_stage(&self, contact: usize) -> u16 {
        self.days_in_stage.get(contact).copied().unwrap_or(0)
    }

    /// The phone's area code (0 past the end).
    pub fn area_code(&self, contact: usize) -> u16 {
        self.area_codes.get(contact).copied().unwrap_or(0)
    }

    /// The area code's state, as its index in [`US_STATES`].
    pub fn state(&self, contact: usize) -> Option<u8> {
        area_code(self.area_code(contact)).map(|area| area.state)
    }

    /// The zone the contact lives in by its area code, as its index in
    /// [`TIME_ZONES`]: the code's zone, or for a code that spans two, the
    /// one drawn for the contact by where the code's people live. Its
    /// engagement times follow this zone; its legal windows are read in
    /// every zone of the code ([`Cohort::legal_time_zones`]).
    pub fn phone_time_zone(&self, contact: usize) -> Option<u8> {
        self.phone(contact).time_zone
    }

    /// The contact's [`Phone`]: its area code is looked up once for all
    /// that comes from it.
    pub fn phone(&self, contact: usize) -> Phone {
        let code = self.area_code(contact);
        let Some(area) = area_code(code) else {
            return Phone { area_code: code, state: None, time_zone: None, territory: None };
        };
        let lives_in_also_time_zone = self.flags.get(contact).is_some_and(|flags| flags & LIVES_IN_ALSO_TIME_ZONE != 0);
        Phone {
            area_code: code,
            state: Some(area.state),
            time_zone: Some(area.also_time_zone.filter(|_| lives_in_also_time_zone).unwrap_or(area.time_zone)),
            territory: self.roster.territory_of_state.get(usize::from(area.state)).copied().flatten(),
        }
    }

    /// The profile's time zone, as its index in [`TIME_ZONES`].
    pub fn profile_time_zone(&self, contact: usize) -> Option<u8> {
        self.profile_time_zones.get(contact).copied()
    }

    /// How readily the contact engages, 0 to 1 (0 past the end).
    pub fn engagement_propensity(&self, contact: usize) -> f64 {
        self.propensities.get(contact).map_or(0.0, |&scaled| f64::from(scaled) / PROPENSITY_SCALE)
    }

    /// The territory of the contact's state, as its index in the spec's territories.
    pub fn territory(&self, contact: usize) -> Option<usize> {
        self.phone(contact).territory
    }

    /// The contact with its values spelled out, or `None` past the end.
    pub fn contact(&self, contact: usize) -> Option<ContactView<'_>> {
        let name = |names: &[&'static str], code: u8| names.get(usize::from(code)).copied().unwrap_or("");
        let area = area_code(*self.area_codes.get(contact)?)?;
        let profile_time_zone = *self.profile_time_zones.get(contact)?;
        Some(ContactView {
            index: self.first + contact,
            persona: name(PERSONAS, *self.personas.get(contact)?),
            stage: name(STAGES, *self.stages.get(contact)?),
            industry: name(INDUSTRIES, *self.industries.get(contact)?),
            industry_risk: name(INDUSTRY_RISKS, *self.industry_risks.get(contact)?),
            consent: name(CONSENTS, *self.consents.get(contact)?),
            area_code: area.code,
            state: name(&US_STATES, area.state),
            phone_time_zone: name(&TIME_ZONES, self.phone_time_zone(contact)?),
            profile_time_zone: name(&TIME_ZONES, profile_time_zone),
            time_zones_disagree: self.time_zones_disagree(contact),
            engagement_propensity: self.engagement_propensity(contact),
            engagement_score: self.number(contact, Attribute::EngagementScore),
            days_in_stage: *self.days_in_stage.get(contact)?,
            owner: self.roster.owners.get(usize::from(*self.owners.get(contact)?))?,
            territory: self.territory(contact).and_then(|index| self.roster.territories.get(index)).map(String::as_str),
            is_customer: self.flag(contact, Attribute::IsCustomer),
            open_opportunity: self.flag(contact, Attribute::OpenOpportunity),
            opted_out: self.flag(contact, Attribute::OptedOut),
        })
    }

    /// Every zone whose local time an SMS to the contact must respect, as
    /// indices in [`TIME_ZONES`]: the phone's, the other zone of an area
    /// code that spans two, and the profile's; one per [`Region`].
    pub fn legal_time_zones(&self, contact: usize) -> Vec<u8> {
        let area = area_code(self.area_code(contact));
        let candidates = [
            area.map(|area| area.time_zone),
            area.and_then(|area| area.also_time_zone),
            self.profile_time_zone(contact),
        ];
        let mut zones: Vec<u8> = Vec::with_capacity(3);
        for zone in candidates.into_iter().flatten() {
            if !zones.iter().any(|&kept| Region::of(kept) == Region::of(zone)) {
                zones.push(zone);
            }
        }
        zones
    }

    /// Whether the profile's time zone shows another local time than the
    /// phone's at some time of year; then both legal windows apply.
    pub fn time_zones_disagree(&self, contact: usize) -> bool {
        match (self.phone_time_zone(contact), self.profile_time_zone(contact)) {
            (Some(phone), Some(profile)) => Region::of(phone) != Region::of(profile),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_a_propensity_is_rounding_half_away_from_zero() {
        let quarters = (0..=u16::MAX as u32 * 4).map(|quarter| f64::from(quarter) / 4.0);
        let beside = |value: f64| {
            [f64::from_bits(value.to_bits().saturating_sub(1)), value, f64::from_bits(value.to_bits() + 1)]
        };
        for scaled in quarters.flat_map(beside).filter(|scaled| (0.0..=PROPENSITY_SCALE).contains(scaled)) {
            assert_eq!(round(scaled), scaled.round() as u16, "{scaled}");
        }
    }
}
