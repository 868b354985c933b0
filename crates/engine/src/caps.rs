//! Frequency caps over rolling windows: per channel, across channels, and
//! the state laws that allow at most N messages per 24 hours. A contact's
//! [`Touches`] remember when each message went out; asking whether one more
//! may go, and if not when it may, is answered from them exactly.

use serde::{Deserialize, Serialize};

use crate::model::{CapChannel, FrequencyCap};
use crate::rules::Channel;

/// A rolling-window limit: at most `max` messages in any `window_minutes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limit {
    /// Which messages count.
    pub counts: CapChannel,
    pub max: u16,
    pub window_minutes: u32,
}

impl From<&FrequencyCap> for Limit {
    fn from(cap: &FrequencyCap) -> Limit {
        Limit { counts: cap.channel, max: cap.max_messages, window_minutes: u32::from(cap.window_hours) * 60 }
    }
}

impl Limit {
    /// A state law's limit on marketing SMS per 24 hours.
    pub fn sms_per_day(max: u8) -> Limit {
        Limit { counts: CapChannel::Sms, max: u16::from(max), window_minutes: 24 * 60 }
    }

    /// Whether messages on `channel` count towards the limit.
    pub fn counts(&self, channel: Channel) -> bool {
        matches!(
            (self.counts, channel),
            (CapChannel::AllChannels, _) | (CapChannel::Sms, Channel::Sms) | (CapChannel::Email, Channel::Email)
        )
    }
}

/// When a contact was sent what, in simulated minutes, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Touches {
    sent: Vec<(u32, Channel)>,
}

impl Touches {
    /// Records a message; messages must be recorded in time order.
    pub fn record(&mut self, at: u32, channel: Channel) {
        debug_assert!(self.sent.last().is_none_or(|(last, _)| *last <= at), "touches are recorded in order");
        self.sent.push((at, channel));
    }

    /// Forgets every message, keeping the memory for the next contact.
    pub fn clear(&mut self) {
        self.sent.clear();
    }

    /// Every message, oldest first: when, and on which channel.
    pub fn sent(&self) -> &[(u32, Channel)] {
        &self.sent
    }

    /// Messages on `channel` (or any channel) sent less than `window` minutes before `at`.
    pub fn recent(&self, at: u32, window_minutes: u32, channel: Option<Channel>) -> usize {
        self.sent
            .iter()
            .rev()
            .take_while(|(sent, _)| at.saturating_sub(*sent) < window_minutes)
            .filter(|(sent, sent_on)| *sent <= at && channel.is_none_or(|channel| channel == *sent_on))
            .count()
    }

    /// The most recent message on `channel` at or before `at`.
    pub fn last(&self, at: u32, channel: Channel) -> Option<u32> {
        self.sent.iter().rev().find(|(sent, sent_on)| *sent <= at && *sent_on == channel).map(|(sent, _)| *sent)
    }

    /// The first limit that one more `channel` message at `at` would break,
    /// with the earliest minute it would no longer break it.
    #[inline]
    pub fn over_limit<'a>(&self, limits: &'a [Limit], channel: Channel, at: u32) -> Option<(&'a Limit, u32)> {
        limits
            .iter()
            .filter(|limit| limit.counts(channel))
            .find_map(|limit| self.free_at(limit, at).map(|free| (limit, free)))
    }

    /// With `limit` reached at `at`, the earliest minute it no longer is.
    /// The simulator asks at every send, so this is a plain loop that stops
    /// as soon as the answer is known.
    fn free_at(&self, limit: &Limit, at: u32) -> Option<u32> {
        let max = usize::from(limit.max);
        if max == 0 {
            return Some(u32::MAX);
        }
        if self.sent.len() < max {
            return None;
        }
        // Counted messages in the window, newest first; with `max` or more,
        // wait until the `max`-th newest ages out.
        let mut counted = 0;
        for &(sent, sent_on) in self.sent.iter().rev() {
            if sent > at || !limit.counts(sent_on) {
                continue;
            }
            if at - sent >= limit.window_minutes {
                return None;
            }
            counted += 1;
            if counted == max {
                return Some(sent + limit.window_minutes);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: u32 = 60;
    const DAY: u32 = 24 * HOUR;

    fn sms_cap(max: u16, days: u32) -> Limit {
        Limit { counts: CapChannel::Sms, max, window_minutes: days * DAY }
    }

    #[test]
    fn a_cap_blocks_the_message_that_would_exceed_it_until_the_oldest_ages_out() {
        let limits = [sms_cap(2, 7)];
        let mut touches = Touches::default();
        touches.record(0, Channel::Sms);
        assert_eq!(touches.over_limit(&limits, Channel::Sms, DAY), None);
        touches.record(DAY, Channel::Sms);
        let (limit, free_at) = touches.over_limit(&limits, Channel::Sms, 2 * DAY).expect("the third SMS in a week");
        assert_eq!(*limit, limits[0]);
        assert_eq!(free_at, 7 * DAY, "the first SMS stops counting a week after it went out");
        assert_eq!(touches.over_limit(&limits, Channel::Sms, free_at), None);
        assert_eq!(touches.over_limit(&limits, Channel::Email, 2 * DAY), None, "an SMS cap does not hold back email");
    }

    #[test]
    fn caps_across_channels_count_everything() {
        let limits = [Limit { counts: CapChannel::AllChannels, max: 3, window_minutes: 7 * DAY }];
        let mut touches = Touches::default();
        touches.record(0, Channel::Email);
        touches.record(HOUR, Channel::Sms);
        touches.record(2 * HOUR, Channel::Email);
        assert_eq!(touches.over_limit(&limits, Channel::Sms, 3 * HOUR).map(|(_, free)| free), Some(7 * DAY));
        assert_eq!(touches.recent(3 * HOUR, DAY, None), 3);
        assert_eq!(touches.recent(3 * HOUR, DAY, Some(Channel::Email)), 2);
        assert_eq!(touches.last(3 * HOUR, Channel::Email), Some(2 * HOUR));
    }

    #[test]
    fn the_florida_rule_allows_three_sms_in_any_24_hours() {
        let limits = [Limit::sms_per_day(3)];
        let mut touches = Touches::default();
        for at in [0, 6 * HOUR, 12 * HOUR] {
            assert_eq!(touches.over_limit(&limits, Channel::Sms, at), None);
            touches.record(at, Channel::Sms);
        }
        assert_eq!(touches.over_limit(&limits, Channel::Sms, 20 * HOUR).map(|(_, free)| free), Some(DAY));
        assert_eq!(touches.over_limit(&limits, Channel::Sms, DAY), None);
    }

    #[test]
    fn the_earliest_free_minute_matches_a_minute_by_minute_search() {
        let limits = [sms_cap(3, 2), Limit { counts: CapChannel::AllChannels, max: 4, window_minutes: 3 * DAY }];
        let mut touches = Touches::default();
        let sends =
            [(0, Channel::Sms), (5 * HOUR, Channel::Email), (20 * HOUR, Channel::Sms), (30 * HOUR, Channel::Sms)];
        for (at, channel) in sends {
            touches.record(at, channel);
        }
        let now = 31 * HOUR;
        let (_, free_at) = touches.over_limit(&limits, Channel::Sms, now).expect("blocked");
        let scanned = (now..now + 5 * DAY).find(|&at| touches.over_limit(&limits, Channel::Sms, at).is_none());
        // One limit freeing up can leave another still binding; the search finds the true first free minute.
        assert!(free_at <= scanned.unwrap());
        let mut at = now;
        while let Some((_, next)) = touches.over_limit(&limits, Channel::Sms, at) {
            at = next;
        }
        assert_eq!(Some(at), scanned, "following each limit's free minute reaches the first free minute");
    }
}
