//! The places Tandem knows: the US states (and DC) whose laws and area
//! codes it reads, and the time zones whose clocks it carries. One list
//! each, read by validation, the rule schema, the cohort and the simulator;
//! a state's or zone's index in its list is its code everywhere (in a
//! cohort's columns and in compiled rules alike).

/// The IANA time zones Tandem knows (the simulator carries their rules).
pub const TIME_ZONES: [&str; 12] = [
    "America/New_York",
    "America/Detroit",
    "America/Indiana/Indianapolis",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Boise",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "UTC",
];

/// Two-letter codes of the US states and DC.
pub const US_STATES: [&str; 51] = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
    "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR",
    "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_and_dc_is_listed_once() {
        let mut states = US_STATES.to_vec();
        states.sort_unstable();
        states.dedup();
        assert_eq!(states.len(), 51);
        assert!(states.contains(&"DC"));
    }

    #[test]
    fn every_zone_is_listed_once() {
        let mut zones = TIME_ZONES.to_vec();
        zones.sort_unstable();
        zones.dedup();
        assert_eq!(zones.len(), TIME_ZONES.len());
    }
}
