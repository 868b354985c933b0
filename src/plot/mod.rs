//! The forecast's charts, drawn by plotters as SVG text. One drawing serves
//! the page (adopted through `DOMParser`, never `innerHTML`), the SVG and
//! PNG downloads and the reviewer's report; plotters escapes every text it
//! writes, so a name a user typed stays text. Each chart also carries its
//! text alternative (a one-sentence summary and its data as a table) and
//! its CSV from `tandem_engine::simulate::figures`. The sends chart keeps
//! plotters' coordinate spec, so a click maps back to a day through
//! plotters' own translation. Text is measured by [`Measured`], not by
//! plotters (which on wasm32 measures with a `<span style="…">`, an inline
//! style the page's Content-Security-Policy refuses); apart from that
//! measurement nothing here touches the DOM, so the charts are tested
//! natively too.

mod draw;
mod measured;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::{CoordTranslate, ReverseCoordTranslate};
use plotters::prelude::*;
use tandem_engine::simulate::figures::{self, blocks_by_reason, grouped, week_bucket};
use tandem_engine::simulate::{ReasonCount, SimulationResult};
use tandem_engine::{CapChannel, Journey};

use draw::{Swatch, area, draw_baseline, frame, grid, legend, outline, sms_bar, top};
use measured::Measured;

const EMAIL: RGBColor = RGBColor(0x2f, 0x5d, 0x62);
const SMS: RGBColor = RGBColor(0xb7, 0x79, 0x2a);
const DANGER: RGBColor = RGBColor(0xa3, 0x3b, 0x30);
const SOFT: RGBColor = RGBColor(0xe3, 0xee, 0xee);
const SMS_SOFT: RGBColor = RGBColor(0xf8, 0xec, 0xd9);
const INK: RGBColor = RGBColor(0x1f, 0x2a, 0x30);
const LINE: RGBColor = RGBColor(0xcf, 0xc8, 0xbb);
const SELECTED: RGBColor = RGBColor(0xe2, 0xdd, 0xd3);
/// Axis labels, ticks and legends. plotters writes SVG text at its size
/// divided by 1.24, so 15 is 12.1 CSS pixels when drawn at the size shown.
const FONT: (&str, u32) = ("sans-serif", 15);
const CAPTION: (&str, u32) = ("sans-serif", 20);

/// The width charts are drawn at for downloads and the report.
pub const PRINT_WIDTH: u32 = 900;

/// A chart's data as a table, for people (numbers with separators).
pub struct Table {
    pub head: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// How a chart is drawn this time.
#[derive(Clone, Copy, Default)]
pub struct Look {
    /// Draw the title inside the picture (downloads and the report; the
    /// page shows it above).
    pub captioned: bool,
    /// The day picked on the sends chart, shaded.
    pub selected: Option<u16>,
}

/// Maps a point of the drawn sends chart back to a day.
#[derive(Clone)]
pub struct Days {
    spec: Cartesian2d<RangedCoordf64, RangedCoordf64>,
    count: usize,
}

impl Days {
    /// The day under the point (`x`, `y`) of the drawing, in its pixels.
    pub fn day_at(&self, x: i32, y: i32) -> Option<u16> {
        let (day, _) = self.spec.reverse_translate((x, y))?;
        (day >= 0.0 && (day as usize) < self.count).then_some(day as u16)
    }

    /// How many days the chart shows.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Where `day`'s bar is centred, in the drawing's pixels.
    pub fn centre_of(&self, day: u16) -> (i32, i32) {
        let heights = self.spec.get_y_range();
        self.spec.translate(&(f64::from(day) + 0.5, (heights.start + heights.end) / 2.0))
    }
}

/// One drawing: the SVG text, and for the sends chart, its days.
pub struct Drawing {
    pub svg: String,
    pub days: Option<Days>,
}

/// A chart with numbers on both axes, drawn as SVG.
type Plot<'a, 'b> = ChartContext<'a, Measured<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

type Draw = Box<dyn Fn(&mut String, (u32, u32), Look) -> Option<Days>>;

/// One chart of a run.
pub struct Chart {
    /// Stable: the page's test ids and the download names use it.
    pub key: &'static str,
    /// What it shows, with its unit.
    pub title: &'static str,
    pub summary: String,
    pub table: Table,
    pub csv: String,
    height: u32,
    draw: Draw,
}

impl Chart {
    /// The chart drawn `width` pixels wide.
    pub fn draw(&self, width: u32, look: Look) -> Drawing {
        let mut svg = String::new();
        let height = self.height + if look.captioned { 30 } else { 0 };
        let days = (self.draw)(&mut svg, (width.max(320), height), look);
        Drawing { svg, days }
    }

    /// The chart as downloaded and in the report: titled, [`PRINT_WIDTH`] wide.
    pub fn printed(&self) -> String {
        self.draw(PRINT_WIDTH, Look { captioned: true, selected: None }).svg
    }
}

/// Every chart of a run of `journey`, against `baseline` if one is pinned.
pub fn charts(journey: &Journey, result: &SimulationResult, baseline: Option<&SimulationResult>) -> Vec<Chart> {
    vec![
        sends(result, baseline),
        hours(result, baseline, legal_window(journey)),
        blocks(result, baseline),
        weeks(result, baseline, weekly_cap(journey)),
        owners(result),
    ]
}

/// The federal legal window the hours chart shades, as minutes of the day.
fn legal_window(journey: &Journey) -> (u16, u16) {
    journey
        .policies
        .legal_windows
        .first()
        .map_or((8 * 60, 21 * 60), |window| (window.allowed.start_minute, window.allowed.end_minute))
}

/// The tightest weekly cap across channels, which the weeks chart marks.
fn weekly_cap(journey: &Journey) -> Option<u16> {
    journey
        .policies
        .caps
        .iter()
        .filter(|cap| cap.channel == CapChannel::AllChannels && cap.window_hours == 7 * 24)
        .map(|cap| cap.max_messages)
        .min()
}

fn sends(result: &SimulationResult, baseline: Option<&SimulationResult>) -> Chart {
    let days = result.sends_per_day.clone();
    let before: Option<Vec<f64>> =
        baseline.map(|baseline| baseline.sends_per_day.iter().map(|day| (day.email + day.sms) as f64).collect());
    let (emails, sms): (u64, u64) = days.iter().fold((0, 0), |(e, s), day| (e + day.email, s + day.sms));
    let busiest = days.iter().max_by_key(|day| (day.email + day.sms, std::cmp::Reverse(day.day)));
    let summary = format!(
        "{} emails and {} SMS over {} days{}.",
        grouped(emails),
        grouped(sms),
        days.len(),
        busiest
            .map(|day| format!("; the busiest is day {} with {} messages", day.day, grouped(day.email + day.sms)))
            .unwrap_or_default()
    );
    let table = Table {
        head: vec!["Day", "Emails", "SMS", "Collisions"],
        rows: days
            .iter()
            .map(|day| vec![day.day.to_string(), grouped(day.email), grouped(day.sms), grouped(day.collisions)])
            .collect(),
    };
    let title = "Sends per day (messages; click a day for its detail)";
    let draw: Draw = Box::new(move |svg, size, look| {
        let root = area(svg, size, title, look);
        let max = top(days.iter().map(|day| (day.email + day.sms) as f64).chain(before.iter().flatten().copied()));
        let mut chart = frame(&root, 64, 0f64..days.len().max(1) as f64, 0f64..max)?;
        let _ = grid(&mut chart)
            .disable_x_mesh()
            .x_desc("Day of the journey")
            .y_desc("Messages sent")
            .x_label_formatter(&|day| format!("{day:.0}"))
            .y_label_formatter(&|count| grouped(*count as u64))
            .draw();
        if let Some(day) = look.selected {
            let x = f64::from(day);
            let _ = chart.draw_series(std::iter::once(Rectangle::new([(x, 0.0), (x + 1.0, max)], SELECTED.filled())));
        }
        let bar = |from: f64, to: f64, x: f64| [(x + 0.12, from), (x + 0.88, to)];
        let _ = chart.draw_series(
            days.iter().map(|day| Rectangle::new(bar(0.0, day.email as f64, f64::from(day.day)), EMAIL.filled())),
        );
        let _ = chart.draw_series(days.iter().flat_map(|day| {
            let email = day.email as f64;
            sms_bar(bar(email, email + day.sms as f64, f64::from(day.day)))
        }));
        let _ = chart.draw_series(days.iter().filter(|day| day.collisions > 0).map(|day| {
            Circle::new((f64::from(day.day) + 0.5, (day.email + day.sms) as f64 + max * 0.04), 3, DANGER.filled())
        }));
        if let Some(before) = &before {
            draw_baseline(&mut chart, outline(before, 0.0));
        }
        let mut entries =
            vec![("Email", Swatch::Bar(EMAIL)), ("SMS", Swatch::SmsBar), ("Day with collisions", Swatch::Dot(DANGER))];
        entries.extend(before.as_ref().map(|_| ("Baseline", Swatch::Dashed(INK))));
        legend(&chart, &entries);
        let days = Days { spec: chart.as_coord_spec().clone(), count: days.len() };
        let _ = root.present();
        Some(days)
    });
    Chart { key: "sends", title, summary, table, csv: figures::sends_csv(result), height: 300, draw }
}

fn hours(result: &SimulationResult, baseline: Option<&SimulationResult>, window: (u16, u16)) -> Chart {
    let counts: Vec<u64> = result.sms_by_local_hour.to_vec();
    let before: Option<Vec<f64>> =
        baseline.map(|baseline| baseline.sms_by_local_hour.iter().map(|count| *count as f64).collect());
    let (start, end) = (f64::from(window.0) / 60.0, f64::from(window.1) / 60.0);
    let total: u64 = counts.iter().sum();
    let inside: u64 = counts
        .iter()
        .enumerate()
        .filter(|(hour, _)| (*hour as f64) >= start && (*hour as f64) < end)
        .map(|(_, c)| c)
        .sum();
    let summary = format!(
        "{} SMS by the recipient's local hour; {} of them inside the federal legal window, {:02}:{:02} to {:02}:{:02}.",
        grouped(total),
        grouped(inside),
        window.0 / 60,
        window.0 % 60,
        window.1 / 60,
        window.1 % 60
    );
    let table = Table {
        head: vec!["Local hour", "SMS"],
        rows: counts.iter().enumerate().map(|(hour, count)| vec![format!("{hour:02}:00"), grouped(*count)]).collect(),
    };
    let title = "SMS by the recipient's local hour (SMS sent)";
    let draw: Draw = Box::new(move |svg, size, look| {
        let root = area(svg, size, title, look);
        let max = top(counts.iter().map(|count| *count as f64).chain(before.iter().flatten().copied()));
        let mut chart = frame(&root, 64, 0f64..24f64, 0f64..max)?;
        let _ = grid(&mut chart)
            .disable_x_mesh()
            .x_desc("Recipient's local hour")
            .y_desc("SMS sent")
            .x_labels(9)
            .x_label_formatter(&|hour| format!("{:02}:00", *hour as u32))
            .y_label_formatter(&|count| grouped(*count as u64))
            .draw();
        let _ = chart.draw_series(std::iter::once(Rectangle::new([(start, 0.0), (end, max)], SOFT.filled())));
        let _ = chart.draw_series(
            counts
                .iter()
                .enumerate()
                .flat_map(|(hour, count)| sms_bar([(hour as f64 + 0.1, 0.0), (hour as f64 + 0.9, *count as f64)])),
        );
        if let Some(before) = &before {
            draw_baseline(&mut chart, outline(before, 0.0));
        }
        let mut entries = vec![("Federal legal window", Swatch::Bar(SOFT)), ("SMS", Swatch::SmsBar)];
        entries.extend(before.as_ref().map(|_| ("Baseline", Swatch::Dashed(INK))));
        legend(&chart, &entries);
        let _ = root.present();
        None
    });
    Chart { key: "hours", title, summary, table, csv: figures::hours_csv(result), height: 280, draw }
}

fn blocks(result: &SimulationResult, baseline: Option<&SimulationResult>) -> Chart {
    let rows = blocks_by_reason(result);
    let before = baseline.map(blocks_by_reason);
    let was = move |row: &ReasonCount| {
        before
            .as_ref()
            .map(|before| before.iter().find(|known| known.reason == row.reason).map_or(0, |known| known.count))
    };
    let labels: Vec<String> = rows
        .iter()
        .map(|row| match was(row) {
            Some(was) if was != row.count => format!("{}: {} (was {})", row.reason, grouped(row.count), grouped(was)),
            _ => format!("{}: {}", row.reason, grouped(row.count)),
        })
        .collect();
    let total: u64 = rows.iter().map(|row| row.count).sum();
    let summary = match rows.iter().max_by_key(|row| row.count) {
        Some(most) => format!(
            "{} SMS blocked; the most common reason is {} ({}).",
            grouped(total),
            most.reason,
            grouped(most.count)
        ),
        None => "No SMS was blocked.".to_owned(),
    };
    let table = Table {
        head: vec!["Reason", "Blocked SMS"],
        rows: rows.iter().map(|row| vec![row.reason.clone(), grouped(row.count)]).collect(),
    };
    let counts: Vec<f64> = rows.iter().map(|row| row.count as f64).collect();
    let title = "Blocked SMS by reason (SMS)";
    let draw: Draw = Box::new(move |svg, size, look| {
        let root = area(svg, size, title, look);
        let bands = counts.len().max(1) as f64;
        let mut chart = frame(&root, 10, 0f64..top(counts.iter().copied()), 0f64..bands)?;
        let _ = grid(&mut chart)
            .disable_y_mesh()
            .y_labels(0)
            .x_desc("Blocked SMS")
            .x_label_formatter(&|count| grouped(*count as u64))
            .draw();
        // Each reason is a band from the top: its words above its bar.
        let band = |index: usize| bands - index as f64;
        let _ = chart.draw_series(counts.iter().enumerate().map(|(index, count)| {
            Rectangle::new([(0.0, band(index) - 0.9), (*count, band(index) - 0.5)], DANGER.mix(0.8).filled())
        }));
        let _ =
            chart.draw_series(labels.iter().enumerate().map(|(index, label)| {
                Text::new(label.clone(), (0.0, band(index) - 0.1), FONT.into_font().color(&INK))
            }));
        if counts.is_empty() {
            let _ = chart.draw_series(std::iter::once(Text::new("No SMS was blocked", (0.0, 0.6), FONT)));
        }
        let _ = root.present();
        None
    });
    let height = 70 + 44 * rows.len().max(1) as u32;
    Chart { key: "blocks", title, summary, table, csv: figures::blocks_csv(&rows), height, draw }
}

fn weeks(result: &SimulationResult, baseline: Option<&SimulationResult>, cap: Option<u16>) -> Chart {
    let buckets = result.touches_per_week.clone();
    let before: Option<Vec<f64>> =
        baseline.map(|baseline| baseline.touches_per_week.iter().map(|count| *count as f64).collect());
    let labels: Vec<String> = (0..buckets.len()).map(|touches| week_bucket(touches, buckets.len())).collect();
    let most = buckets.iter().enumerate().max_by_key(|(touches, count)| (**count, std::cmp::Reverse(*touches)));
    let summary = format!(
        "Over {} contact-weeks, the most common is {} messages in a week ({} contact-weeks){}.",
        grouped(buckets.iter().sum()),
        most.map_or("0".into(), |(touches, _)| labels[touches].clone()),
        grouped(most.map_or(0, |(_, count)| *count)),
        cap.map(|cap| format!("; the weekly cap is {cap}")).unwrap_or_default()
    );
    let table = Table {
        head: vec!["Messages in a week", "Contact-weeks"],
        rows: buckets.iter().zip(&labels).map(|(count, label)| vec![label.clone(), grouped(*count)]).collect(),
    };
    let title = "Messages per contact per week (contact-weeks)";
    let draw: Draw = Box::new(move |svg, size, look| {
        let root = area(svg, size, title, look);
        let max = top(buckets.iter().map(|count| *count as f64).chain(before.iter().flatten().copied()));
        let mut chart = frame(&root, 72, -0.5f64..buckets.len().max(1) as f64 - 0.5, 0f64..max)?;
        let _ = grid(&mut chart)
            .disable_x_mesh()
            .x_desc("Messages a contact got in one week (all channels)")
            .y_desc("Contact-weeks")
            .x_labels(labels.len() + 1)
            .x_label_formatter(&|x| {
                let index = x.round();
                if (x - index).abs() < 0.01 && index >= 0.0 {
                    labels.get(index as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|count| grouped(*count as u64))
            .draw();
        let _ = chart.draw_series(buckets.iter().enumerate().map(|(touches, count)| {
            Rectangle::new([(touches as f64 - 0.38, 0.0), (touches as f64 + 0.38, *count as f64)], EMAIL.filled())
        }));
        if let Some(before) = &before {
            draw_baseline(&mut chart, outline(before, -0.5));
        }
        if let Some(cap) = cap {
            let x = f64::from(cap) + 0.5;
            // Solid, where the baseline is dashed.
            let _ =
                chart.draw_series(std::iter::once(PathElement::new(vec![(x, 0.0), (x, max)], DANGER.stroke_width(2))));
        }
        let cap_label = cap.map(|cap| format!("Weekly cap: {cap}"));
        let mut entries = vec![("Contact-weeks", Swatch::Bar(EMAIL))];
        entries.extend(before.as_ref().map(|_| ("Baseline", Swatch::Dashed(INK))));
        entries.extend(cap_label.as_deref().map(|label| (label, Swatch::Line(DANGER))));
        legend(&chart, &entries);
        let _ = root.present();
        None
    });
    Chart { key: "weeks", title, summary, table, csv: figures::weeks_csv(result), height: 280, draw }
}

fn owners(result: &SimulationResult) -> Chart {
    let owners = result.owners.clone();
    let replies: u64 = owners.iter().map(|owner| owner.replies).sum();
    let within: u64 = owners.iter().map(|owner| owner.within_sla).sum();
    let summary = format!(
        "{} owners received {} replies, {} of them answered within the SLA.",
        owners.len(),
        grouped(replies),
        grouped(within)
    );
    let table = Table {
        head: vec!["Owner", "Replies", "Within SLA", "Median minutes to answer"],
        rows: owners
            .iter()
            .map(|owner| {
                vec![
                    owner.name.clone(),
                    grouped(owner.replies),
                    grouped(owner.within_sla),
                    grouped(u64::from(owner.median_minutes_to_answer)),
                ]
            })
            .collect(),
    };
    let title = "Sales: replies by the owner's local hour, against coverage (replies)";
    let draw: Draw = Box::new(move |svg, size, look| {
        let root = area(svg, size, title, look);
        let max = top(owners.iter().flat_map(|owner| owner.arrivals_by_local_hour.iter().map(|count| *count as f64)));
        for (owner, panel) in owners.iter().zip(root.split_evenly((owners.len().max(1), 1))) {
            let share = if owner.replies == 0 { 100.0 } else { owner.within_sla as f64 * 100.0 / owner.replies as f64 };
            let caption = format!(
                "{}: {} replies, {share:.0}% within SLA, median {} min",
                owner.name,
                grouped(owner.replies),
                grouped(u64::from(owner.median_minutes_to_answer))
            );
            let Ok(mut chart) = ChartBuilder::on(&panel)
                .margin(6)
                .caption(caption, FONT)
                .x_label_area_size(24)
                .y_label_area_size(64)
                .build_cartesian_2d(0f64..24f64, 0f64..max)
            else {
                continue;
            };
            let _ = grid(&mut chart)
                .disable_x_mesh()
                .x_labels(9)
                .y_labels(3)
                .x_label_formatter(&|hour| format!("{:02}:00", *hour as u32))
                .y_label_formatter(&|count| grouped(*count as u64))
                .draw();
            let (start, end) =
                (f64::from(owner.coverage_start_minute) / 60.0, f64::from(owner.coverage_end_minute) / 60.0);
            let _ = chart
                .draw_series(std::iter::once(Rectangle::new([(start, 0.0), (end.max(start), max)], SOFT.filled())));
            let _ =
                chart.draw_series(
                    owner.arrivals_by_local_hour.iter().enumerate().flat_map(|(hour, count)| {
                        sms_bar([(hour as f64 + 0.1, 0.0), (hour as f64 + 0.9, *count as f64)])
                    }),
                );
        }
        let _ = root.present();
        None
    });
    let height = 40 + 110 * result.owners.len().max(1) as u32;
    Chart { key: "owners", title, summary, table, csv: figures::owners_csv(result), height, draw }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_engine::samples;
    use tandem_engine::simulate::golden;

    #[test]
    fn every_chart_draws_titled_svg_with_its_words_escaped() {
        let mut result = golden().run();
        result.owners[0].name = "<img src=x onerror=alert(1)>".into();
        for chart in charts(&samples::playbook(), &result, Some(&golden().run())) {
            let svg = chart.printed();
            assert!(svg.starts_with("<svg") && svg.contains(&format!("width=\"{PRINT_WIDTH}\"")), "{}", chart.key);
            assert!(svg.contains(&plotters_escaped(chart.title)), "{} is titled", chart.key);
            assert!(!svg.contains("<img") && !svg.contains(" style="), "{}", chart.key);
            assert!(!chart.summary.is_empty() && !chart.table.rows.is_empty(), "{}", chart.key);
        }
        let owners = owners(&result).printed();
        assert!(owners.contains("&lt;img src=x onerror=alert(1)&gt;"), "the name is text");
    }

    fn plotters_escaped(text: &str) -> String {
        text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('\'', "&apos;")
    }

    #[test]
    fn a_point_on_the_sends_chart_maps_back_to_its_day() {
        let result = golden().run();
        let chart = sends(&result, None);
        let days = chart.draw(800, Look::default()).days.expect("the sends chart has days");
        for day in [0, 1, 20, result.sends_per_day.len() as u16 - 1] {
            let (x, y) = days.centre_of(day);
            assert_eq!(days.day_at(x, y), Some(day));
        }
        assert_eq!(days.day_at(-500, 10), None, "left of the axis is no day");
        assert_eq!(days.day_at(5000, 10), None, "right of the last day is no day");
    }

    #[test]
    fn the_data_tables_read_like_the_figures() {
        let result = golden().run();
        let chart = sends(&result, None);
        assert_eq!(chart.table.rows.len(), result.sends_per_day.len());
        let day = &result.sends_per_day[3];
        assert_eq!(
            chart.table.rows[3],
            vec!["3".to_owned(), grouped(day.email), grouped(day.sms), grouped(day.collisions)]
        );
        let emails = result.sends_per_day.iter().map(|day| day.email).sum();
        assert!(chart.summary.starts_with(&format!("{} emails", grouped(emails))), "{}", chart.summary);
    }
}
