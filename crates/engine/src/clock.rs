//! Times of day as people write them (`08:00`, `20:30`), kept in the model
//! as minutes after local midnight.

use crate::model::MINUTES_PER_DAY;

/// `HH:MM` for a minute of the day; minutes past the day print as they are
/// (e.g. `24:00`) so a message can show the wrong value.
pub fn format_time_of_day(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Reads `H:MM` or `HH:MM` (00:00 to 23:59).
pub fn parse_time_of_day(text: &str) -> Option<u16> {
    let (hours, minutes) = text.split_once(':')?;
    if hours.is_empty() || hours.len() > 2 || minutes.len() != 2 {
        return None;
    }
    let hours: u16 = hours.parse().ok()?;
    let minutes: u16 = minutes.parse().ok()?;
    let minute = hours.checked_mul(60)? + minutes;
    (hours < 24 && minutes < 60 && minute < MINUTES_PER_DAY).then_some(minute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day_read_and_print() {
        let cases = [("08:00", Some(480)), ("8:05", Some(485)), ("23:59", Some(1439)), ("00:00", Some(0))];
        for (text, expected) in cases {
            assert_eq!(parse_time_of_day(text), expected, "{text}");
        }
        for text in ["24:00", "12:60", "1200", "12:5", "", ":30", "-1:00", "aa:bb", "123:00"] {
            assert_eq!(parse_time_of_day(text), None, "{text}");
        }
        assert_eq!(format_time_of_day(485), "08:05");
        assert_eq!(format_time_of_day(1440), "24:00");
    }
}
