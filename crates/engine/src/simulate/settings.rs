//! The assumptions a simulation makes about people, as numbers a user can
//! see and change: when contacts enter, how they engage with email, how they
//! answer SMS, and how fatigue (many touches in a short time) turns replies
//! into opt-outs. Defaults are deliberately plain round figures; the
//! formulas are written out in `docs/simulation.md`.

use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::Moment;
use crate::validate::Problem;

/// The longest horizon a simulation may cover, in days.
pub const MAX_HORIZON_DAYS: u16 = 365;
/// The years a run may start in: the time-zone rules Tandem carries and the
/// holiday rules it computes are trusted for these (a run starting late in
/// 2099 may end in 2100).
pub const START_YEARS: std::ops::RangeInclusive<i32> = 2000..=2099;

/// Everything a run assumes besides the journey and the cohort.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimulationSettings {
    /// Simulated days, 1 to [`MAX_HORIZON_DAYS`]; the default 90 covers the
    /// playbook's 60-day sequence with room for late replies.
    pub horizon_days: u16,
    /// The calendar date of day 0 (midnight UTC). The default, Monday
    /// 2 March 2026, puts the March daylight-saving switch inside the run.
    #[serde(with = "day_number")]
    pub start: NaiveDate,
    /// Contacts enter on a day drawn evenly from 0 to this, so sends spread
    /// over the week like a real cohort's instead of landing on one day.
    pub entry_spread_days: u16,
    pub engagement: EngagementModel,
    pub replies: ReplyModel,
    pub fatigue: FatigueModel,
    /// How long an owner spends answering one reply; replies queue behind each other.
    pub minutes_per_reply: u16,
}

/// [`SimulationSettings::start`] as its day number in the common era (1
/// January of year 1 is day 1), not as text: a worker reading a compiled
/// run then needs no date parser. (Documents write the date as text, in
/// `format/`.)
mod day_number {
    use chrono::{Datelike, NaiveDate};
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i32(date.num_days_from_ce())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        let day = i32::deserialize(deserializer)?;
        NaiveDate::from_num_days_from_ce_opt(day).ok_or_else(|| D::Error::custom("not a day chrono knows"))
    }
}

/// How contacts engage with nurture email. `p` is the contact's engagement
/// propensity (0 to 1) and `F` the fatigue level across all channels.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EngagementModel {
    /// P(open) = (`open_base` + `open_per_propensity` · p) · (1 − `engagement_drop` · F).
    pub open_base: f64,
    pub open_per_propensity: f64,
    /// P(click | open) = `click_base` + `click_per_propensity` · p.
    pub click_base: f64,
    pub click_per_propensity: f64,
    /// After a click, the chance of visiting each page the journey's rules
    /// mention (pricing, demo, ...), times (0.5 + p).
    pub visit_after_click: f64,
    /// Visits to each of those pages that do not come from an email (search,
    /// a colleague's link), expected over the horizon, times (0.5 + p).
    pub organic_visits_per_page: f64,
    /// After a click, the chance of showing meeting intent, times p.
    pub meeting_intent_after_click: f64,
    /// After a click on a step with a stage goal ahead of the contact's
    /// stage, the chance of moving to that stage, times (0.5 + p).
    pub stage_progress_after_click: f64,
    /// Opens follow the send after an exponential delay with this mean.
    pub mean_open_delay_minutes: u32,
}

/// How contacts answer SMS. Replies are drawn after the opt-out draw.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplyModel {
    /// P(reply) = base(moment) · (0.5 + p) · (1 − `reply_drop` · F_sms), by
    /// [`Moment::ALL`] order: confirmation, clarification, late-stage
    /// coordination, intent response.
    pub base_by_moment: [f64; 4],
    /// P(meeting | reply), by the same order.
    pub meeting_by_moment: [f64; 4],
    /// Replies follow the SMS after an exponential delay with this mean,
    /// cut at the touchpoint's response window.
    pub mean_reply_delay_minutes: u32,
}

/// Fatigue: a logistic function of recent touches on a channel,
/// `F(n) = 1 / (1 + e^(−steepness · (n − midpoint)))`, where `n` counts the
/// messages on that channel (or all channels, for engagement) in the last
/// `window_hours`, the current one included. Opt-outs rise and replies fall
/// with it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FatigueModel {
    pub window_hours: u16,
    /// The number of touches at which fatigue is one half.
    pub midpoint: f64,
    /// How sharply fatigue rises around the midpoint.
    pub steepness: f64,
    /// P(STOP | SMS) = `stop_floor` + (`stop_ceiling` − `stop_floor`) · F_sms.
    pub stop_floor: f64,
    pub stop_ceiling: f64,
    /// P(unsubscribe | email), the same way with F_email.
    pub unsubscribe_floor: f64,
    pub unsubscribe_ceiling: f64,
    /// How much full fatigue cuts the chance of a reply (0 to 1).
    pub reply_drop: f64,
    /// How much full fatigue cuts the chance of an open (0 to 1).
    pub engagement_drop: f64,
}

impl FatigueModel {
    /// The fatigue level, 0 to 1, after `touches` recent messages.
    pub fn level(&self, touches: usize) -> f64 {
        1.0 / (1.0 + libm::exp(-self.steepness * (touches as f64 - self.midpoint)))
    }

    /// The formula with this model's parameters filled in, for display.
    pub fn formula(&self) -> String {
        format!(
            "F(n) = 1 / (1 + e^(-{} * (n - {}))), n = messages on the channel in the last {} h; \
             P(STOP) = {} + {} * F; P(unsubscribe) = {} + {} * F; replies x (1 - {} * F); opens x (1 - {} * F)",
            self.steepness,
            self.midpoint,
            self.window_hours,
            self.stop_floor,
            shown(self.stop_ceiling - self.stop_floor),
            self.unsubscribe_floor,
            shown(self.unsubscribe_ceiling - self.unsubscribe_floor),
            self.reply_drop,
            self.engagement_drop,
        )
    }
}

/// A computed parameter as a person would write it: `0.028`, not the
/// `0.027999999999999997` that subtracting two typed decimals can give.
fn shown(value: f64) -> String {
    let text = format!("{value:.9}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

impl Default for SimulationSettings {
    fn default() -> SimulationSettings {
        SimulationSettings {
            horizon_days: 90,
            start: NaiveDate::from_ymd_opt(2026, 3, 2).expect("a real date"),
            entry_spread_days: 14,
            engagement: EngagementModel {
                open_base: 0.08,
                open_per_propensity: 0.6,
                click_base: 0.05,
                click_per_propensity: 0.35,
                visit_after_click: 0.25,
                organic_visits_per_page: 0.4,
                meeting_intent_after_click: 0.12,
                stage_progress_after_click: 0.3,
                mean_open_delay_minutes: 240,
            },
            replies: ReplyModel {
                base_by_moment: [0.30, 0.15, 0.35, 0.20],
                meeting_by_moment: [0.05, 0.10, 0.50, 0.25],
                mean_reply_delay_minutes: 30,
            },
            fatigue: FatigueModel {
                window_hours: 7 * 24,
                midpoint: 4.0,
                steepness: 1.5,
                stop_floor: 0.01,
                stop_ceiling: 0.20,
                unsubscribe_floor: 0.002,
                unsubscribe_ceiling: 0.03,
                reply_drop: 0.7,
                engagement_drop: 0.5,
            },
            minutes_per_reply: 10,
        }
    }
}

/// The position of `moment` in [`Moment::ALL`], for the per-moment tables.
pub(super) fn moment_index(moment: Moment) -> usize {
    Moment::ALL.iter().position(|known| *known == moment).unwrap_or(0)
}

impl SimulationSettings {
    /// Every setting out of range, each at its path (`/fatigue/midpoint`).
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut at = |path: &str, message: String| problems.push(Problem { path: path.into(), message });
        if !(1..=MAX_HORIZON_DAYS).contains(&self.horizon_days) {
            at(
                "/horizon_days",
                format!("The horizon must be 1 to {MAX_HORIZON_DAYS} days; it is {}.", self.horizon_days),
            );
        }
        if !START_YEARS.contains(&self.start.year()) {
            at(
                "/start",
                format!(
                    "The launch date must fall in {} to {}, the years Tandem's time-zone and holiday data cover; it is {}.",
                    START_YEARS.start(),
                    START_YEARS.end(),
                    self.start
                ),
            );
        }
        if self.entry_spread_days > MAX_HORIZON_DAYS {
            at(
                "/entry_spread_days",
                format!("Entries may spread over 0 to {MAX_HORIZON_DAYS} days; it is {}.", self.entry_spread_days),
            );
        }
        let engagement = &self.engagement;
        let replies = &self.replies;
        let fatigue = &self.fatigue;
        let shares = [
            ("/engagement/open_base", engagement.open_base),
            ("/engagement/open_per_propensity", engagement.open_per_propensity),
            ("/engagement/click_base", engagement.click_base),
            ("/engagement/click_per_propensity", engagement.click_per_propensity),
            ("/engagement/visit_after_click", engagement.visit_after_click),
            ("/engagement/meeting_intent_after_click", engagement.meeting_intent_after_click),
            ("/engagement/stage_progress_after_click", engagement.stage_progress_after_click),
            ("/fatigue/stop_floor", fatigue.stop_floor),
            ("/fatigue/stop_ceiling", fatigue.stop_ceiling),
            ("/fatigue/unsubscribe_floor", fatigue.unsubscribe_floor),
            ("/fatigue/unsubscribe_ceiling", fatigue.unsubscribe_ceiling),
            ("/fatigue/reply_drop", fatigue.reply_drop),
            ("/fatigue/engagement_drop", fatigue.engagement_drop),
        ];
        let by_moment = Moment::ALL.iter().enumerate().flat_map(|(index, moment)| {
            let moment = crate::format::wire_name(*moment);
            [
                (format!("/replies/base_by_moment/{moment}"), replies.base_by_moment[index]),
                (format!("/replies/meeting_by_moment/{moment}"), replies.meeting_by_moment[index]),
            ]
        });
        for (path, share) in shares.iter().map(|(path, share)| ((*path).to_owned(), *share)).chain(by_moment) {
            if !(0.0..=1.0).contains(&share) {
                at(&path, format!("This chance must be from 0 to 1; it is {share}."));
            }
        }
        if !(0.0..=2.0).contains(&engagement.organic_visits_per_page) {
            at(
                "/engagement/organic_visits_per_page",
                format!("Organic visits must be 0 to 2 per page; it is {}.", engagement.organic_visits_per_page),
            );
        }
        if fatigue.stop_ceiling < fatigue.stop_floor {
            at("/fatigue/stop_ceiling", "The STOP ceiling must not be below its floor.".into());
        }
        if fatigue.unsubscribe_ceiling < fatigue.unsubscribe_floor {
            at("/fatigue/unsubscribe_ceiling", "The unsubscribe ceiling must not be below its floor.".into());
        }
        if !(0.0..=100.0).contains(&fatigue.midpoint) {
            at("/fatigue/midpoint", format!("The midpoint must be 0 to 100 touches; it is {}.", fatigue.midpoint));
        }
        if !(0.01..=20.0).contains(&fatigue.steepness) {
            at("/fatigue/steepness", format!("The steepness must be 0.01 to 20; it is {}.", fatigue.steepness));
        }
        if !(1..=24 * 90).contains(&fatigue.window_hours) {
            at("/fatigue/window_hours", format!("The window must be 1 to 2160 hours; it is {}.", fatigue.window_hours));
        }
        let delays = [
            ("/engagement/mean_open_delay_minutes", engagement.mean_open_delay_minutes),
            ("/replies/mean_reply_delay_minutes", replies.mean_reply_delay_minutes),
        ];
        for (path, minutes) in delays {
            if !(1..=7 * 24 * 60).contains(&minutes) {
                at(path, format!("The mean delay must be 1 minute to 7 days (10080 minutes); it is {minutes}."));
            }
        }
        if !(1..=480).contains(&self.minutes_per_reply) {
            at(
                "/minutes_per_reply",
                format!("Answering a reply must take 1 to 480 minutes; it is {}.", self.minutes_per_reply),
            );
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_sound_and_fatigue_rises_through_one_half_at_the_midpoint() {
        let settings = SimulationSettings::default();
        assert_eq!(settings.problems(), vec![]);
        let fatigue = settings.fatigue;
        assert!((fatigue.level(4) - 0.5).abs() < 1e-12);
        assert!(fatigue.level(1) < 0.02 && fatigue.level(8) > 0.99);
        assert!((0..12).all(|n| fatigue.level(n) < fatigue.level(n + 1)));
        assert!(fatigue.formula().starts_with("F(n) = 1 / (1 + e^(-1.5 * (n - 4)))"), "{}", fatigue.formula());
        assert!(fatigue.formula().contains("P(unsubscribe) = 0.002 + 0.028 * F;"), "{}", fatigue.formula());
        assert_eq!((shown(0.19), shown(-2.0), shown(0.0)), ("0.19".into(), "-2".into(), "0".into()));
    }

    #[test]
    fn every_setting_out_of_range_is_reported_at_its_path() {
        let mut settings = SimulationSettings {
            horizon_days: 0,
            minutes_per_reply: 0,
            start: NaiveDate::from_ymd_opt(1999, 12, 31).unwrap(),
            ..SimulationSettings::default()
        };
        settings.fatigue.stop_floor = 0.5;
        settings.fatigue.stop_ceiling = 0.2;
        settings.replies.base_by_moment[2] = 1.5;
        settings.engagement.open_base = f64::NAN;
        let paths: Vec<String> = settings.problems().into_iter().map(|problem| problem.path).collect();
        assert_eq!(
            paths,
            [
                "/horizon_days",
                "/start",
                "/engagement/open_base",
                "/replies/base_by_moment/late_stage_coordination",
                "/fatigue/stop_ceiling",
                "/minutes_per_reply"
            ]
        );
    }
}
