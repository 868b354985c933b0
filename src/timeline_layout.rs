//! Where things sit on the timeline: days to pixels and back, and which row
//! a card goes in so that cards near the same day never overlap. Pure
//! functions, tested natively; the timeline component only applies them.

use tandem_engine::{MAX_STEP_DAY, sorted_positions};

/// How close the timeline is: the whole 90 days at a glance, a week to a
/// hand's width, or day by day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Zoom {
    Fit,
    #[default]
    Weeks,
    Days,
}

impl Zoom {
    pub const ALL: [Zoom; 3] = [Zoom::Fit, Zoom::Weeks, Zoom::Days];

    /// Horizontal pixels per day.
    pub fn px_per_day(self) -> f64 {
        match self {
            Zoom::Fit => 9.0,
            Zoom::Weeks => 14.0,
            Zoom::Days => 36.0,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Zoom::Fit => "90 days",
            Zoom::Weeks => "Weeks",
            Zoom::Days => "Days",
        }
    }

    /// Days between labelled ticks on the scale.
    pub fn tick_days(self) -> usize {
        match self {
            Zoom::Fit => 14,
            Zoom::Weeks => 7,
            Zoom::Days => 1,
        }
    }
}
/// Width of a card in pixels; cards closer than this in x go in separate rows.
pub const CARD_WIDTH: f64 = 150.0;
/// Vertical pixels per card row.
pub const ROW_HEIGHT: f64 = 68.0;
/// The timeline always shows at least days 0 to 90.
pub const MIN_DAYS_SHOWN: u16 = 90;

/// The left edge of a card on `day`.
pub fn day_to_x(zoom: Zoom, day: u16) -> f64 {
    f64::from(day) * zoom.px_per_day()
}

/// The whole day a card lands on when moved by `dx` pixels from `origin`,
/// kept within the days a step may use.
pub fn day_after_drag(zoom: Zoom, origin: u16, dx: f64) -> u16 {
    let moved = f64::from(origin) + (dx / zoom.px_per_day()).round();
    moved.clamp(0.0, f64::from(MAX_STEP_DAY)) as u16
}

/// The day under a point `x` pixels right of day 0's left edge, kept
/// within the days a step may use.
pub fn day_at(zoom: Zoom, x: f64) -> u16 {
    (x / zoom.px_per_day()).floor().clamp(0.0, f64::from(MAX_STEP_DAY)) as u16
}

/// The day a card lands on when moved by the keyboard: one day, or a week
/// with Shift, kept within the days a step may use.
pub fn day_after_key(day: u16, forward: bool, week: bool) -> u16 {
    let by = if week { 7 } else { 1 };
    if forward { day.saturating_add(by).min(MAX_STEP_DAY) } else { day.saturating_sub(by) }
}

/// How many days the scale shows: 0 to 90, or a week past the last step.
pub fn days_shown(last_day: u16) -> u16 {
    MIN_DAYS_SHOWN.max(last_day.saturating_add(7)).min(MAX_STEP_DAY)
}

/// Assigns each card (given by its day, in display order) the first row
/// where it does not overlap the card before it; returns one row per card.
pub fn stack_rows(zoom: Zoom, days: &[u16]) -> Vec<usize> {
    let order = sorted_positions(days.iter().map(|&day| u32::from(day)));
    let mut row_ends: Vec<f64> = Vec::new();
    let mut rows = vec![0; days.len()];
    for index in order {
        let start = day_to_x(zoom, days[index]);
        let row = match row_ends.iter().position(|&end| end <= start) {
            Some(row) => row,
            None => {
                row_ends.push(f64::NEG_INFINITY);
                row_ends.len() - 1
            }
        };
        row_ends[row] = start + CARD_WIDTH + 8.0;
        rows[index] = row;
    }
    rows
}

/// The number of rows [`stack_rows`] used.
pub fn row_count(rows: &[usize]) -> usize {
    rows.iter().max().map_or(1, |&row| row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drags_snap_to_whole_days_within_range() {
        let cases = [
            (10, 0.0, 10),
            (10, 6.9, 10),
            (10, 7.1, 11),
            (10, Zoom::Weeks.px_per_day() * 10.0, 20),
            (10, -Zoom::Weeks.px_per_day() * 3.4, 7),
            (2, -Zoom::Weeks.px_per_day() * 40.0, 0),
            (360, Zoom::Weeks.px_per_day() * 40.0, MAX_STEP_DAY),
        ];
        for (origin, dx, expected) in cases {
            assert_eq!(day_after_drag(Zoom::Weeks, origin, dx), expected, "from day {origin} by {dx}px");
        }
    }

    #[test]
    fn points_and_keys_map_to_days_within_range() {
        assert_eq!(day_at(Zoom::Weeks, -30.0), 0);
        assert_eq!(day_at(Zoom::Weeks, 0.0), 0);
        assert_eq!(day_at(Zoom::Weeks, 12.0 * Zoom::Weeks.px_per_day() + 7.0), 12);
        assert_eq!(day_at(Zoom::Weeks, 13.0 * Zoom::Weeks.px_per_day() - 0.5), 12);
        assert_eq!(day_at(Zoom::Weeks, 1e9), MAX_STEP_DAY);
        assert_eq!(day_after_key(10, true, false), 11);
        assert_eq!(day_after_key(10, false, true), 3);
        assert_eq!(day_after_key(3, false, true), 0);
        assert_eq!(day_after_key(MAX_STEP_DAY - 2, true, true), MAX_STEP_DAY);
    }

    #[test]
    fn the_scale_covers_ninety_days_or_a_week_past_the_last_step() {
        assert_eq!(days_shown(0), 90);
        assert_eq!(days_shown(60), 90);
        assert_eq!(days_shown(120), 127);
        assert_eq!(days_shown(MAX_STEP_DAY), MAX_STEP_DAY);
    }

    #[test]
    fn cards_near_the_same_day_stack_and_distant_ones_share_a_row() {
        let cases: [(&[u16], &[usize]); 4] =
            [(&[], &[]), (&[0, 30, 60], &[0, 0, 0]), (&[0, 0, 0], &[0, 1, 2]), (&[20, 0, 4, 40], &[0, 0, 1, 0])];
        for (days, expected) in cases {
            assert_eq!(stack_rows(Zoom::Weeks, days), expected, "days {days:?}");
        }
    }

    #[test]
    fn no_two_cards_in_a_row_overlap() {
        let days: Vec<u16> = (0..60).map(|index| (index * 37 % 91) as u16).collect();
        for zoom in Zoom::ALL {
            let rows = stack_rows(zoom, &days);
            for a in 0..days.len() {
                for b in a + 1..days.len() {
                    if rows[a] == rows[b] {
                        let gap = (day_to_x(zoom, days[a]) - day_to_x(zoom, days[b])).abs();
                        assert!(
                            gap >= CARD_WIDTH,
                            "days {} and {} overlap in row {} at {zoom:?}",
                            days[a],
                            days[b],
                            rows[a]
                        );
                    }
                }
            }
        }
    }
}
