//! What a run's numbers are called and how they are read, written once for
//! everyone who shows them: the app's forecast panel, the reviewer's report
//! and `tandem-cli simulate`. A column added to [`TOTALS`], [`SMS_FUNNEL`] or
//! [`STEP_FUNNEL`] therefore appears in all three at once, and the chart
//! data downloads as the same CSV wherever it is written.
//!
//! Everything here is plain text and numbers over a [`SimulationResult`];
//! how it is laid out (HTML, a terminal) is up to the reader. Numbers meant
//! for people carry thousands separators ([`grouped`]: "2,170,860"); the
//! CSV writers keep them raw for spreadsheets.

use super::result::{ReasonCount, SimulationResult, StepFunnel, Totals, TouchpointFunnel};

/// One total over the whole run.
pub struct Total {
    /// Stable and URL-safe: the app's test ids and the report's element ids use it.
    pub key: &'static str,
    pub label: &'static str,
    /// One of the figures the app's forecast and the report show; the
    /// command line shows every total.
    pub headline: bool,
    read: Reading,
}

/// How a total is read off a result.
enum Reading {
    Count(fn(&Totals) -> u64),
    /// A percentage, to one decimal.
    Percent(fn(&SimulationResult) -> f64),
}

/// Every total worth showing, in the order they are shown.
pub const TOTALS: [Total; 15] = [
    count("emails", "Emails sent", true, |t| t.emails_sent),
    count("opens", "Opens", false, |t| t.opens),
    count("clicks", "Clicks", false, |t| t.clicks),
    count("unsubscribes", "Unsubscribes", false, |t| t.unsubscribes),
    count("sms-triggered", "SMS triggered", false, |t| t.sms_triggered),
    count("sms", "SMS sent", true, |t| t.sms_sent),
    count("blocks", "SMS blocks", true, |t| t.sms_blocks),
    count("sms-not-sent", "SMS not sent", false, |t| t.sms_not_sent),
    count("collisions", "Collisions", true, |t| t.collisions),
    count("replies", "Replies", true, |t| t.replies),
    count("opt-outs", "Opt-outs", true, |t| t.opt_outs),
    count("opt-out-confirmations", "Opt-out confirmations", true, |t| t.opt_out_confirmations),
    count("meetings", "Meetings", true, |t| t.meetings),
    Total { key: "sla", label: "Answered within SLA", headline: true, read: Reading::Percent(sla_share) },
    count("events", "Events", false, |t| t.events),
];

const fn count(key: &'static str, label: &'static str, headline: bool, read: fn(&Totals) -> u64) -> Total {
    Total { key, label, headline, read: Reading::Count(read) }
}

/// The totals the app's forecast and the report show, in order.
pub fn headlines() -> impl Iterator<Item = &'static Total> {
    TOTALS.iter().filter(|total| total.headline)
}

impl Total {
    pub fn value(&self, result: &SimulationResult) -> f64 {
        match self.read {
            Reading::Count(read) => read(&result.totals) as f64,
            Reading::Percent(read) => read(result),
        }
    }

    /// The value as shown: "1,234", "97.5%".
    pub fn text(&self, result: &SimulationResult) -> String {
        match self.read {
            Reading::Count(read) => grouped(read(&result.totals)),
            Reading::Percent(read) => format!("{}%", trim(read(result))),
        }
    }

    /// How far `result` is from `baseline`: "+12", "−3", "0".
    pub fn delta(&self, result: &SimulationResult, baseline: &SimulationResult) -> String {
        signed(self.value(result) - self.value(baseline))
    }
}

/// Of every reply, the percentage Sales answered within its SLA, to one
/// decimal (100 when nobody replied).
pub fn sla_share(result: &SimulationResult) -> f64 {
    let (within, all) =
        result.sla.iter().fold((0, 0), |(within, all), sla| (within + sla.within_sla, all + sla.replies));
    if all == 0 { 100.0 } else { (within as f64 * 1000.0 / all as f64).round() / 10.0 }
}

/// "+12", "−3", "0" (a real minus sign for negatives), to one decimal.
pub fn signed(delta: f64) -> String {
    let rounded = (delta * 10.0).round() / 10.0;
    if rounded > 0.0 {
        format!("+{}", trim(rounded))
    } else if rounded < 0.0 {
        format!("−{}", trim(-rounded))
    } else {
        "0".into()
    }
}

/// "12", "12.5", "1,234.5": no decimal when there is none to show.
fn trim(value: f64) -> String {
    let tenths = (value.abs() * 10.0).round() as u64;
    let sign = if value < 0.0 && tenths > 0 { "-" } else { "" };
    match tenths % 10 {
        0 => format!("{sign}{}", grouped(tenths / 10)),
        decimal => format!("{sign}{}.{decimal}", grouped(tenths / 10)),
    }
}

/// A whole number with thousands separators, as people read it: "2,170,860".
pub fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

/// A count with its delta against the baseline's when they differ: "12 (+3)".
pub fn with_delta(value: u64, baseline: Option<u64>) -> String {
    match baseline {
        Some(before) if before != value => format!("{} ({})", grouped(value), signed(value as f64 - before as f64)),
        _ => grouped(value),
    }
}

/// One column of a funnel.
pub struct Column<Row> {
    pub label: &'static str,
    pub read: fn(&Row) -> u64,
}

/// A funnel: one row per touchpoint or step, the same columns for each.
pub struct Funnel<Row: 'static> {
    /// What a row is, as the first column's heading.
    pub heading: &'static str,
    pub rows: fn(&SimulationResult) -> &[Row],
    pub id: fn(&Row) -> &str,
    /// A row as people read it.
    pub name: fn(&Row) -> String,
    pub columns: &'static [Column<Row>],
}

impl<Row> Funnel<Row> {
    /// The same row in another run (matched by id), if it has one.
    pub fn in_run<'a>(&self, run: &'a SimulationResult, row: &Row) -> Option<&'a Row> {
        (self.rows)(run).iter().find(|known| (self.id)(known) == (self.id)(row))
    }

    /// A row's cells, each with its delta against `before` where they differ.
    pub fn cells(&self, row: &Row, before: Option<&Row>) -> Vec<String> {
        self.columns.iter().map(|column| with_delta((column.read)(row), before.map(column.read))).collect()
    }
}

/// Each SMS touchpoint, from the contacts who reached it to what they did.
pub const SMS_FUNNEL: Funnel<TouchpointFunnel> = Funnel {
    heading: "Touchpoint",
    rows: |result| &result.touchpoints,
    id: |touchpoint| &touchpoint.id,
    name: |touchpoint| touchpoint.name.clone(),
    columns: &[
        Column { label: "Entered", read: |t| t.entered },
        Column { label: "Eligible", read: |t| t.eligible },
        Column { label: "Triggered", read: |t| t.triggered },
        Column { label: "Sent", read: |t| t.sent },
        Column { label: "Blocks", read: |t| t.blocked.iter().map(|reason| reason.count).sum() },
        Column { label: "Replied", read: |t| t.replied },
        Column { label: "Opted out", read: |t| t.opted_out },
        Column { label: "Meetings", read: |t| t.meetings },
    ],
};

/// Each nurture step's email, from the contacts still subscribed to what they did.
pub const STEP_FUNNEL: Funnel<StepFunnel> = Funnel {
    heading: "Step",
    rows: |result| &result.steps,
    id: |step| &step.id,
    name: |step| format!("{} (day {})", step.name, step.day),
    columns: &[
        Column { label: "Entered", read: |s| s.entered },
        Column { label: "Sent", read: |s| s.sent },
        Column { label: "Held by a cap", read: |s| s.held.iter().map(|reason| reason.count).sum() },
        Column { label: "Opened", read: |s| s.opened },
        Column { label: "Clicked", read: |s| s.clicked },
        Column { label: "Unsubscribed", read: |s| s.unsubscribed },
        Column { label: "Meeting intent", read: |s| s.meeting_intents },
        Column { label: "Stage moves", read: |s| s.stage_progressions },
    ],
};

/// Blocks by reason over every touchpoint, most frequent first (then by reason).
pub fn blocks_by_reason(result: &SimulationResult) -> Vec<ReasonCount> {
    let mut totals: Vec<ReasonCount> = Vec::new();
    for blocked in result.touchpoints.iter().flat_map(|touchpoint| &touchpoint.blocked) {
        match totals.iter_mut().find(|known| known.reason == blocked.reason) {
            Some(known) => known.count += blocked.count,
            None => totals.push(blocked.clone()),
        }
    }
    totals.sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
    totals
}

/// The label of a bucket of [`SimulationResult::touches_per_week`]: the
/// last one counts that many messages or more ("4+").
pub fn week_bucket(touches: usize, buckets: usize) -> String {
    if touches + 1 == buckets { format!("{touches}+") } else { touches.to_string() }
}

/// A text field for CSV, always quoted, quotes doubled, so commas, quotes
/// and line breaks in names stay inside their field.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Sends per day as CSV.
pub fn sends_csv(result: &SimulationResult) -> String {
    let mut csv = String::from("day,email,sms,collisions\n");
    for day in &result.sends_per_day {
        csv.push_str(&format!("{},{},{},{}\n", day.day, day.email, day.sms, day.collisions));
    }
    csv
}

/// SMS by the recipient's local hour as CSV.
pub fn hours_csv(result: &SimulationResult) -> String {
    let mut csv = String::from("local_hour,sms\n");
    for (hour, count) in result.sms_by_local_hour.iter().enumerate() {
        csv.push_str(&format!("{hour},{count}\n"));
    }
    csv
}

/// Blocks by reason (from [`blocks_by_reason`]) as CSV.
pub fn blocks_csv(blocks: &[ReasonCount]) -> String {
    let mut csv = String::from("reason,blocks\n");
    for blocked in blocks {
        csv.push_str(&format!("{},{}\n", quoted(&blocked.reason), blocked.count));
    }
    csv
}

/// Contact-weeks by the messages in them as CSV.
pub fn weeks_csv(result: &SimulationResult) -> String {
    let mut csv = String::from("touches_in_week,contact_weeks\n");
    let buckets = result.touches_per_week.len();
    for (touches, count) in result.touches_per_week.iter().enumerate() {
        csv.push_str(&format!("{},{count}\n", week_bucket(touches, buckets)));
    }
    csv
}

/// Replies by each owner's local hour as CSV.
pub fn owners_csv(result: &SimulationResult) -> String {
    let mut csv = String::from("owner,local_hour,replies\n");
    for owner in &result.owners {
        for (hour, count) in owner.arrivals_by_local_hour.iter().enumerate() {
            csv.push_str(&format!("{},{hour},{count}\n", quoted(&owner.name)));
        }
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::golden;

    /// The golden run, which every test here reads.
    fn result() -> SimulationResult {
        golden().run()
    }

    fn total(key: &str) -> &'static Total {
        TOTALS.iter().find(|total| total.key == key).unwrap_or_else(|| panic!("no total `{key}`"))
    }

    #[test]
    fn each_total_reads_its_own_field() {
        let result = result();
        let t = &result.totals;
        let expected = [
            ("emails", t.emails_sent),
            ("opens", t.opens),
            ("clicks", t.clicks),
            ("unsubscribes", t.unsubscribes),
            ("sms-triggered", t.sms_triggered),
            ("sms", t.sms_sent),
            ("blocks", t.sms_blocks),
            ("sms-not-sent", t.sms_not_sent),
            ("collisions", t.collisions),
            ("replies", t.replies),
            ("opt-outs", t.opt_outs),
            ("opt-out-confirmations", t.opt_out_confirmations),
            ("meetings", t.meetings),
            ("events", t.events),
        ];
        for (key, field) in expected {
            assert_eq!(total(key).value(&result), field as f64, "{key}");
            assert_eq!(total(key).text(&result), grouped(field), "{key}");
        }
        assert_eq!(total("sla").value(&result), sla_share(&result));
        assert_eq!(total("sla").text(&result), format!("{}%", trim(sla_share(&result))));
        assert_eq!(TOTALS.len(), expected.len() + 1, "every total is checked");
    }

    #[test]
    fn totals_have_distinct_keys_and_the_headlines_keep_their_order() {
        let mut keys: Vec<&str> = TOTALS.iter().map(|total| total.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), TOTALS.len());
        let headlines: Vec<&str> = headlines().map(|total| total.key).collect();
        assert_eq!(
            headlines,
            [
                "emails",
                "sms",
                "blocks",
                "collisions",
                "replies",
                "opt-outs",
                "opt-out-confirmations",
                "meetings",
                "sla"
            ]
        );
    }

    #[test]
    fn the_sla_share_is_over_every_reply() {
        let mut result = result();
        let (within, all) = result.sla.iter().fold((0, 0), |(w, a), sla| (w + sla.within_sla, a + sla.replies));
        assert!(all > 0, "the golden run has replies");
        assert_eq!(sla_share(&result), (within as f64 * 1000.0 / all as f64).round() / 10.0);
        result.sla.clear();
        assert_eq!(sla_share(&result), 100.0, "nobody replied, nobody waited");
    }

    #[test]
    fn numbers_for_people_carry_thousands_separators() {
        for (value, text) in [
            (0, "0"),
            (7, "7"),
            (999, "999"),
            (1_000, "1,000"),
            (1_000_000, "1,000,000"),
            (2_170_860, "2,170,860"),
            (u64::MAX, "18,446,744,073,709,551,615"),
        ] {
            assert_eq!(grouped(value), text);
        }
        for (value, text) in [(1234.5, "1,234.5"), (97.5, "97.5"), (100.0, "100"), (-0.04, "0"), (-1234.0, "-1,234")] {
            assert_eq!(trim(value), text, "{value}");
        }
        assert_eq!(signed(-12_345.0), "−12,345");
        assert_eq!(with_delta(12_000, Some(9_000)), "12,000 (+3,000)");
        let csv = sends_csv(&result());
        assert!(!csv.lines().skip(1).any(|line| line.split(',').count() != 4), "CSV numbers stay raw");
    }

    #[test]
    fn deltas_carry_their_sign() {
        for (delta, text) in [(12.0, "+12"), (-3.0, "−3"), (0.04, "0"), (-0.25, "−0.3"), (2.5, "+2.5")] {
            assert_eq!(signed(delta), text, "{delta}");
        }
        for (value, before, text) in
            [(12, Some(9), "12 (+3)"), (7, Some(10), "7 (−3)"), (5, Some(5), "5"), (5, None, "5")]
        {
            assert_eq!(with_delta(value, before), text);
        }
        let result = result();
        let mut baseline = result.clone();
        baseline.totals.sms_sent += 4;
        assert_eq!(total("sms").delta(&result, &baseline), "−4");
        assert_eq!(total("emails").delta(&result, &baseline), "0");
    }

    #[test]
    fn blocks_by_reason_add_up_to_every_block() {
        let result = result();
        let blocks = blocks_by_reason(&result);
        assert!(!blocks.is_empty(), "the golden run has blocks");
        assert_eq!(blocks.iter().map(|blocked| blocked.count).sum::<u64>(), result.totals.sms_blocks);
        assert!(blocks.windows(2).all(|pair| pair[0].count >= pair[1].count));
    }

    #[test]
    fn funnels_read_every_row_and_match_rows_across_runs_by_id() {
        let result = result();
        let sms: Vec<u64> = SMS_FUNNEL.columns.iter().map(|column| (column.read)(&result.touchpoints[0])).collect();
        let first = &result.touchpoints[0];
        let blocks = first.blocked.iter().map(|reason| reason.count).sum();
        assert_eq!(
            sms,
            [
                first.entered,
                first.eligible,
                first.triggered,
                first.sent,
                blocks,
                first.replied,
                first.opted_out,
                first.meetings
            ]
        );
        let mut baseline = result.clone();
        baseline.touchpoints.reverse();
        baseline.touchpoints.iter_mut().for_each(|touchpoint| touchpoint.sent += 2);
        let before = SMS_FUNNEL.in_run(&baseline, first).expect("the same touchpoint");
        assert_eq!(before.id, first.id);
        let cells = SMS_FUNNEL.cells(first, Some(before));
        assert_eq!(cells[3], format!("{} (−2)", grouped(first.sent)));
        assert_eq!(cells[0], grouped(first.entered));

        let step = &result.steps[0];
        assert_eq!((STEP_FUNNEL.name)(step), format!("{} (day {})", step.name, step.day));
        assert_eq!(STEP_FUNNEL.cells(step, None).len(), STEP_FUNNEL.columns.len());
        assert_eq!((STEP_FUNNEL.rows)(&result).len(), result.steps.len());
    }

    /// The rows of a CSV as a CSV parser reads them, the header first.
    fn parse(csv: &str) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_bytes())
            .records()
            .map(|record| record.expect("valid CSV").iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn each_csv_has_a_header_and_one_row_per_datum() {
        let result = result();
        let blocks = blocks_by_reason(&result);
        let owner_hours: usize = result.owners.iter().map(|owner| owner.arrivals_by_local_hour.len()).sum();
        for (csv, header, rows) in [
            (sends_csv(&result), "day,email,sms,collisions", result.sends_per_day.len()),
            (hours_csv(&result), "local_hour,sms", 24),
            (blocks_csv(&blocks), "reason,blocks", blocks.len()),
            (weeks_csv(&result), "touches_in_week,contact_weeks", result.touches_per_week.len()),
            (owners_csv(&result), "owner,local_hour,replies", owner_hours),
        ] {
            let parsed = parse(&csv);
            assert_eq!(parsed[0].join(","), header);
            assert_eq!(parsed.len(), rows + 1, "{header}");
            assert!(rows > 0, "{header} has data");
        }
        assert!(sends_csv(&result).starts_with("day,email,sms,collisions\n0,"));
        let weeks = parse(&weeks_csv(&result));
        assert_eq!(weeks.last().unwrap()[0], format!("{}+", result.touches_per_week.len() - 1));
        let sums: u64 = parse(&hours_csv(&result))[1..].iter().map(|row| row[1].parse::<u64>().unwrap()).sum();
        assert_eq!(sums, result.totals.sms_sent);
    }

    #[test]
    fn names_with_commas_quotes_and_line_breaks_stay_one_field() {
        let hostile = "Smith, \"Jo\"\nJr, =1+1";
        let mut result = result();
        result.owners[0].name = hostile.into();
        let owners = parse(&owners_csv(&result));
        assert!(owners.iter().all(|row| row.len() == 3), "{owners:?}");
        assert_eq!(owners[1][0], hostile);
        let blocks = parse(&blocks_csv(&[ReasonCount { reason: hostile.into(), count: 3 }]));
        assert_eq!(blocks[1], [hostile, "3"]);
    }
}
