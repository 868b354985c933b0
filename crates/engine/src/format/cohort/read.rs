//! Stage two of reading a cohort document: the parsed JSON walked into a
//! [`Scenario`], collecting every problem with its JSON path (the journey
//! reader's helpers do the checking of each value).

use chrono::NaiveDate;
use serde_json::Value;

use super::wire::{MomentNames, Names};
use crate::cohort::{
    AccountOwner, Beta, CONSENTS, CohortSpec, INDUSTRIES, INDUSTRY_RISKS, IndustryMix, PERSONAS, PersonaMix, STAGES,
    StageMix, Territory,
};
use crate::format::document::at;
use crate::format::reader::{Reader, describe};
use crate::model::OwnerId;
use crate::places::US_STATES;
use crate::simulate::{EngagementModel, FatigueModel, ReplyModel, Scenario, SimulationSettings};

/// The items as an array of exactly `N`, if every one was read.
fn array<T, const N: usize>(items: Option<Vec<T>>) -> Option<[T; N]> {
    items?.try_into().ok()
}

impl Reader {
    pub(in crate::format) fn scenario(&mut self, document: &Value) -> Option<Scenario> {
        let keys = [
            "format",
            "size",
            "seed",
            "consent",
            "personas",
            "stages",
            "industries",
            "states",
            "time_zone_mismatch",
            "territories",
            "owners",
            "settings",
        ];
        let map = self.object(document, "", &keys)?;
        // A shard's partial result carries cohorts up to the sharded limit;
        // a cohort file's own limit is checked with the spec's other problems.
        let size = self.number(map, "", "size", crate::cohort::MAX_SHARDED_COHORT_SIZE);
        let seed = self.number(map, "", "seed", u64::MAX);
        let weight = |reader: &mut Reader, value: &Value, path: &str| reader.bare_real(value, path);
        let consent = array(self.keyed(map, "", "consent", CONSENTS, weight));
        let personas = array(self.keyed(map, "", "personas", PERSONAS, |reader, value, path| {
            let map = reader.object(value, path, &["weight", "engagement"])?;
            let weight = reader.real(map, path, "weight");
            let engagement = reader.field(map, path, "engagement").and_then(|value| {
                let path = at(path, "engagement");
                let map = reader.object(value, &path, &["a", "b"])?;
                let a = reader.real(map, &path, "a");
                let b = reader.real(map, &path, "b");
                Some(Beta { a: a?, b: b? })
            });
            Some(PersonaMix { weight: weight?, engagement: engagement? })
        }));
        let stages = array(self.keyed(map, "", "stages", STAGES, |reader, value, path| {
            let map = reader.object(value, path, &["weight", "mean_days_in_stage", "open_opportunity", "customer"])?;
            let weight = reader.real(map, path, "weight");
            let mean_days_in_stage = reader.real(map, path, "mean_days_in_stage");
            let open_opportunity = reader.real(map, path, "open_opportunity");
            let customer = reader.real(map, path, "customer");
            Some(StageMix {
                weight: weight?,
                mean_days_in_stage: mean_days_in_stage?,
                open_opportunity: open_opportunity?,
                customer: customer?,
            })
        }));
        let industries = array(self.keyed(map, "", "industries", INDUSTRIES, |reader, value, path| {
            let map = reader.object(value, path, &["weight", "risk"])?;
            let weight = reader.real(map, path, "weight");
            let risk = array(reader.keyed(map, path, "risk", INDUSTRY_RISKS, weight_of));
            Some(IndustryMix { weight: weight?, risk: risk? })
        }));
        let states = array(self.keyed(map, "", "states", &US_STATES, weight_of));
        let time_zone_mismatch = self.real(map, "", "time_zone_mismatch");
        let territories = self.list(map, "", "territories").and_then(|items| {
            self.all(items, |reader, value, path| {
                let map = reader.object(value, path, &["name", "states"])?;
                let name = reader.text(map, path, "name");
                let states = reader.list(map, path, "states").and_then(|items| {
                    reader.all(items, |reader, value, path| match value {
                        Value::String(state) => Some(state.clone()),
                        other => {
                            reader.report(
                                path,
                                format!("Expected a state code like \"FL\" here, found {}.", describe(other)),
                            );
                            None
                        }
                    })
                });
                Some(Territory { name: name?, states: states? })
            })
        });
        let owners = self.list(map, "", "owners").and_then(|items| {
            self.all(items, |reader, value, path| {
                let map = reader.object(value, path, &["id", "name", "territory"])?;
                let id = reader.text(map, path, "id");
                let name = reader.text(map, path, "name");
                let territory = reader.text(map, path, "territory");
                Some(AccountOwner { id: OwnerId(id?), name: name?, territory: territory? })
            })
        });
        let settings = self.field(map, "", "settings").and_then(|value| self.settings(value, "/settings"));
        let cohort = CohortSpec {
            size: size?,
            seed: seed?,
            personas: personas?,
            stages: stages?,
            industries: industries?,
            consent: consent?,
            states: states?,
            time_zone_mismatch: time_zone_mismatch?,
            territories: territories?,
            owners: owners?,
        };
        Some(Scenario { cohort, settings: settings? })
    }

    /// A finite number that is the value itself (not a field of an object).
    fn bare_real(&mut self, value: &Value, path: &str) -> Option<f64> {
        match value.as_f64() {
            Some(number) if number.is_finite() => Some(number),
            _ => {
                self.report(path, format!("Expected a number here, found {}.", describe(value)));
                None
            }
        }
    }

    fn settings(&mut self, value: &Value, path: &str) -> Option<SimulationSettings> {
        let keys =
            ["horizon_days", "start", "entry_spread_days", "engagement", "replies", "fatigue", "minutes_per_reply"];
        let map = self.object(value, path, &keys)?;
        let horizon_days = self.number(map, path, "horizon_days", u16::MAX);
        let start = self.text(map, path, "start").and_then(|text| {
            let date = iso_date(&text);
            if date.is_none() {
                self.report(
                    &at(path, "start"),
                    format!("Expected a date like \"2026-03-02\" here, found {}.", describe(&Value::String(text))),
                );
            }
            date
        });
        let entry_spread_days = self.number(map, path, "entry_spread_days", u16::MAX);
        let engagement = self.field(map, path, "engagement").and_then(|value| {
            let path = at(path, "engagement");
            let keys = [
                "open_base",
                "open_per_propensity",
                "click_base",
                "click_per_propensity",
                "visit_after_click",
                "organic_visits_per_page",
                "meeting_intent_after_click",
                "stage_progress_after_click",
                "mean_open_delay_minutes",
            ];
            let map = self.object(value, &path, &keys)?;
            let mut real = |key| self.real(map, &path, key);
            let (open_base, open_per_propensity, click_base, click_per_propensity) =
                (real("open_base"), real("open_per_propensity"), real("click_base"), real("click_per_propensity"));
            let (visit_after_click, organic_visits_per_page) =
                (real("visit_after_click"), real("organic_visits_per_page"));
            let (meeting_intent_after_click, stage_progress_after_click) =
                (real("meeting_intent_after_click"), real("stage_progress_after_click"));
            let mean_open_delay_minutes = self.number(map, &path, "mean_open_delay_minutes", u32::MAX);
            Some(EngagementModel {
                open_base: open_base?,
                open_per_propensity: open_per_propensity?,
                click_base: click_base?,
                click_per_propensity: click_per_propensity?,
                visit_after_click: visit_after_click?,
                organic_visits_per_page: organic_visits_per_page?,
                meeting_intent_after_click: meeting_intent_after_click?,
                stage_progress_after_click: stage_progress_after_click?,
                mean_open_delay_minutes: mean_open_delay_minutes?,
            })
        });
        let replies = self.field(map, path, "replies").and_then(|value| {
            let path = at(path, "replies");
            let map =
                self.object(value, &path, &["base_by_moment", "meeting_by_moment", "mean_reply_delay_minutes"])?;
            let moments = MomentNames::names();
            let base_by_moment = array(self.keyed(map, &path, "base_by_moment", &moments, weight_of));
            let meeting_by_moment = array(self.keyed(map, &path, "meeting_by_moment", &moments, weight_of));
            let mean_reply_delay_minutes = self.number(map, &path, "mean_reply_delay_minutes", u32::MAX);
            Some(ReplyModel {
                base_by_moment: base_by_moment?,
                meeting_by_moment: meeting_by_moment?,
                mean_reply_delay_minutes: mean_reply_delay_minutes?,
            })
        });
        let fatigue = self.field(map, path, "fatigue").and_then(|value| {
            let path = at(path, "fatigue");
            let keys = [
                "window_hours",
                "midpoint",
                "steepness",
                "stop_floor",
                "stop_ceiling",
                "unsubscribe_floor",
                "unsubscribe_ceiling",
                "reply_drop",
                "engagement_drop",
            ];
            let map = self.object(value, &path, &keys)?;
            let window_hours = self.number(map, &path, "window_hours", u16::MAX);
            let mut real = |key| self.real(map, &path, key);
            let (midpoint, steepness, stop_floor, stop_ceiling) =
                (real("midpoint"), real("steepness"), real("stop_floor"), real("stop_ceiling"));
            let (unsubscribe_floor, unsubscribe_ceiling, reply_drop, engagement_drop) =
                (real("unsubscribe_floor"), real("unsubscribe_ceiling"), real("reply_drop"), real("engagement_drop"));
            Some(FatigueModel {
                window_hours: window_hours?,
                midpoint: midpoint?,
                steepness: steepness?,
                stop_floor: stop_floor?,
                stop_ceiling: stop_ceiling?,
                unsubscribe_floor: unsubscribe_floor?,
                unsubscribe_ceiling: unsubscribe_ceiling?,
                reply_drop: reply_drop?,
                engagement_drop: engagement_drop?,
            })
        });
        let minutes_per_reply = self.number(map, path, "minutes_per_reply", u16::MAX);
        Some(SimulationSettings {
            horizon_days: horizon_days?,
            start: start?,
            entry_spread_days: entry_spread_days?,
            engagement: engagement?,
            replies: replies?,
            fatigue: fatigue?,
            minutes_per_reply: minutes_per_reply?,
        })
    }
}

/// Reads one weight or share of a keyed object.
fn weight_of(reader: &mut Reader, value: &Value, path: &str) -> Option<f64> {
    reader.bare_real(value, path)
}

/// A date written `YYYY-MM-DD` (month and day may drop their leading zero),
/// as a cohort's start date and the browser's date fields write it; read by
/// hand, since chrono's parser, format strings and all, would otherwise be
/// in both WebAssembly bundles for this one field.
pub fn iso_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.split('-');
    let mut number = |digits: std::ops::RangeInclusive<usize>| {
        let part = parts.next()?;
        let plain = digits.contains(&part.len()) && part.bytes().all(|byte| byte.is_ascii_digit());
        if plain { part.parse::<u32>().ok() } else { None }
    };
    let (year, month, day) = (number(4..=4)?, number(1..=2)?, number(1..=2)?);
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_year_month_day_and_nothing_else() {
        assert_eq!(iso_date("2026-03-02"), NaiveDate::from_ymd_opt(2026, 3, 2));
        assert_eq!(iso_date("2026-3-2"), NaiveDate::from_ymd_opt(2026, 3, 2));
        assert_eq!(iso_date("2024-02-29"), NaiveDate::from_ymd_opt(2024, 2, 29));
        for text in
            ["2025-02-29", "2026-13-01", "2026-03", "2026-03-02-01", "26-03-02", " 2026-03-02", "2026-+3-02", ""]
        {
            assert_eq!(iso_date(text), None, "{text:?}");
        }
    }
}
