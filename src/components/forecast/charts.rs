//! The forecast's charts, each in a frame with its title and two
//! downloads: the chart as drawn (SVG) and its data (CSV, written by
//! `tandem_engine::simulate::figures`). Charts are built as SVG elements by
//! the view, so names users typed are text, never markup; a pinned
//! baseline is drawn as a dashed outline over the same axes.

use leptos::prelude::*;
use tandem_engine::simulate::figures::{self, blocks_by_reason, grouped, week_bucket};
use tandem_engine::simulate::{ReasonCount, SimulationResult};
use tandem_engine::{CapChannel, Journey};

use crate::designer::Designer;
use crate::files;

/// Every chart of a run, against the baseline if one is pinned. A click on
/// a day of the sends chart selects it in `selected_day`.
pub(super) fn charts(
    designer: Designer,
    result: &SimulationResult,
    baseline: Option<&SimulationResult>,
    selected_day: RwSignal<Option<u16>>,
) -> impl IntoView + use<> {
    let (window, weekly_cap) = designer.journey.with_untracked(|journey| (legal_window(journey), weekly_cap(journey)));
    let blocks = blocks_by_reason(result);
    view! {
        <div class="charts">
            {chart_frame("Sends per day (click a day)", "sends", figures::sends_csv(result), sends_chart(result, baseline, selected_day))}
            {chart_frame("SMS by recipient's local hour", "hours", figures::hours_csv(result), hours_chart(result, baseline, window))}
            {chart_frame("Blocked SMS by reason", "blocks", figures::blocks_csv(&blocks), blocks_chart(blocks, baseline))}
            {chart_frame("Messages per contact per week", "weeks", figures::weeks_csv(result), weeks_chart(result, baseline, weekly_cap))}
            {chart_frame("Sales: replies by local hour", "owners", figures::owners_csv(result), owners_chart(result))}
        </div>
    }
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

/// A chart with its title and its two downloads.
fn chart_frame(title: &'static str, key: &'static str, csv: String, chart: impl IntoView + 'static) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    let download_svg = move |_| {
        if let Some(svg) = node.get().and_then(|holder| holder.query_selector("svg").ok().flatten()) {
            let _ = files::download_as(&format!("tandem-{key}.svg"), &svg.outer_html(), "image/svg+xml");
        }
    };
    view! {
        <figure class="chart" data-testid=format!("chart-{key}")>
            <figcaption>
                <span>{title}</span>
                <button type="button" class="link" data-testid=format!("chart-{key}-svg") on:click=download_svg>"SVG"</button>
                <button type="button" class="link" data-testid=format!("chart-{key}-csv")
                    on:click=move |_| { let _ = files::download_as(&format!("tandem-{key}.csv"), &csv, "text/csv"); }>"CSV"</button>
            </figcaption>
            <div node_ref=node>{chart}</div>
        </figure>
    }
}

const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 130.0;

/// The outline of a baseline's values over the same x positions, as SVG points.
fn baseline_points(values: &[f64], step: f64, max: f64) -> String {
    values
        .iter()
        .enumerate()
        .flat_map(|(index, value)| {
            let y = HEIGHT - value / max * HEIGHT;
            [format!("{},{y}", index as f64 * step), format!("{},{y}", (index + 1) as f64 * step)]
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn sends_chart(
    result: &SimulationResult,
    baseline: Option<&SimulationResult>,
    selected: RwSignal<Option<u16>>,
) -> impl IntoView + use<> {
    let days = &result.sends_per_day;
    let before: Option<Vec<f64>> =
        baseline.map(|baseline| baseline.sends_per_day.iter().map(|day| (day.email + day.sms) as f64).collect());
    let max =
        days.iter().map(|day| (day.email + day.sms) as f64).chain(before.iter().flatten().copied()).fold(1.0, f64::max);
    let step = WIDTH / days.len().max(1) as f64;
    let bars = days
        .iter()
        .map(|day| {
            let x = f64::from(day.day) * step;
            let email = day.email as f64 / max * HEIGHT;
            let sms = day.sms as f64 / max * HEIGHT;
            let number = day.day;
            let collision = (day.collisions > 0).then(|| {
                view! { <circle class="collision" cx=x + step / 2.0 cy=HEIGHT - email - sms - 4.0 r="2.5"><title>{format!("{} collisions", day.collisions)}</title></circle> }
            });
            view! {
                <g class="day" class:selected=move || selected.get() == Some(number) data-testid="day-bar" data-day=number.to_string()
                    on:click=move |_| selected.set(Some(number))>
                    <rect class="hit" x=x y="-10" width=step height=HEIGHT + 10.0></rect>
                    <rect class="bar-email" x=x y=HEIGHT - email width=(step - 1.0).max(1.0) height=email>
                        <title>{format!("Day {}: {} emails, {} SMS", day.day, day.email, day.sms)}</title>
                    </rect>
                    <rect class="bar-sms" x=x y=HEIGHT - email - sms width=(step - 1.0).max(1.0) height=sms></rect>
                    {collision}
                </g>
            }
        })
        .collect_view();
    let outline = before.map(|values| {
        view! { <polyline class="baseline" data-testid="baseline-sends" points=baseline_points(&values, step, max)></polyline> }
    });
    view! {
        <svg xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 -10 {WIDTH} {}", HEIGHT + 28.0) role="img" aria-label="Sends per day by channel">
            {bars}
            {outline}
            <line class="axis" x1="0" y1=HEIGHT x2=WIDTH y2=HEIGHT></line>
            <text class="tick" x="0" y=HEIGHT + 14.0>"day 0"</text>
            <text class="tick" x=WIDTH text-anchor="end" y=HEIGHT + 14.0>{format!("day {}", days.len().saturating_sub(1))}</text>
            <text class="legend email" x="60" y=HEIGHT + 26.0>"■ email"</text>
            <text class="legend sms" x="130" y=HEIGHT + 26.0>"■ SMS"</text>
            <text class="legend collision" x="190" y=HEIGHT + 26.0>"● collisions"</text>
            <text class="legend" x="280" y=HEIGHT + 26.0>{baseline.map(|_| "dashed: the baseline")}</text>
        </svg>
    }
}

fn hours_chart(
    result: &SimulationResult,
    baseline: Option<&SimulationResult>,
    window: (u16, u16),
) -> impl IntoView + use<> {
    let before: Option<Vec<f64>> =
        baseline.map(|baseline| baseline.sms_by_local_hour.iter().map(|count| *count as f64).collect());
    let max = result
        .sms_by_local_hour
        .iter()
        .map(|count| *count as f64)
        .chain(before.iter().flatten().copied())
        .fold(1.0, f64::max);
    let step = WIDTH / 24.0;
    let (start, end) = (f64::from(window.0) / 60.0, f64::from(window.1) / 60.0);
    let bars = result
        .sms_by_local_hour
        .iter()
        .enumerate()
        .map(|(hour, count)| {
            let height = *count as f64 / max * HEIGHT;
            view! {
                <rect class="bar-sms" x=hour as f64 * step + 2.0 y=HEIGHT - height width=step - 4.0 height=height>
                    <title>{format!("{hour:02}:00 local: {count} SMS")}</title>
                </rect>
            }
        })
        .collect_view();
    let outline = before
        .map(|values| view! { <polyline class="baseline" points=baseline_points(&values, step, max)></polyline> });
    let ticks = (0..24)
        .step_by(3)
        .map(|hour| view! { <text class="tick" x=hour as f64 * step + 2.0 y=HEIGHT + 14.0>{format!("{hour:02}")}</text> })
        .collect_view();
    view! {
        <svg xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 -10 {WIDTH} {}", HEIGHT + 28.0) role="img" aria-label="SMS by the recipient's local hour">
            <rect class="window" x=start * step y="-10" width=(end - start) * step height=HEIGHT + 10.0></rect>
            {bars}
            {outline}
            {ticks}
            <line class="axis" x1="0" y1=HEIGHT x2=WIDTH y2=HEIGHT></line>
            <text class="legend" x="0" y=HEIGHT + 26.0>"shaded: the federal legal window, in the recipient's local time"</text>
        </svg>
    }
}

fn blocks_chart(rows: Vec<ReasonCount>, baseline: Option<&SimulationResult>) -> impl IntoView + use<> {
    let before = baseline.map(blocks_by_reason);
    let max = rows.iter().map(|row| row.count).max().unwrap_or(0).max(1) as f64;
    let height = (rows.len().max(1) as f64) * 18.0;
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(index, ReasonCount { reason, count })| {
            let y = index as f64 * 18.0;
            let width = count as f64 / max * (WIDTH - 260.0);
            view! {
                <g>
                    <text class="tick" x="0" y=y + 12.0>{reason.clone()}</text>
                    <rect class="bar-block" x="250" y=y + 2.0 width=width height="13"></rect>
                    <text class="tick" x=256.0 + width y=y + 12.0>{
                        match before.as_ref().map(|before| before.iter().find(|known| known.reason == reason).map_or(0, |known| known.count)) {
                            Some(was) if was != count => format!("{} (was {})", grouped(count), grouped(was)),
                            _ => grouped(count),
                        }
                    }</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label="Blocked SMS by reason">
            {bars}
        </svg>
    }
}

fn weeks_chart(
    result: &SimulationResult,
    baseline: Option<&SimulationResult>,
    cap: Option<u16>,
) -> impl IntoView + use<> {
    let buckets = &result.touches_per_week;
    let before: Option<Vec<f64>> =
        baseline.map(|baseline| baseline.touches_per_week.iter().map(|count| *count as f64).collect());
    let max = buckets.iter().map(|count| *count as f64).chain(before.iter().flatten().copied()).fold(1.0, f64::max);
    let step = WIDTH / buckets.len().max(1) as f64;
    let bars = buckets
        .iter()
        .enumerate()
        .map(|(touches, count)| {
            let height = *count as f64 / max * HEIGHT;
            let label = week_bucket(touches, buckets.len());
            view! {
                <g>
                    <rect class="bar-email" x=touches as f64 * step + 3.0 y=HEIGHT - height width=step - 6.0 height=height>
                        <title>{format!("{count} contact-weeks with {label} messages")}</title>
                    </rect>
                    <text class="tick" x=touches as f64 * step + step / 2.0 text-anchor="middle" y=HEIGHT + 14.0>{label}</text>
                </g>
            }
        })
        .collect_view();
    let outline = before
        .map(|values| view! { <polyline class="baseline" points=baseline_points(&values, step, max)></polyline> });
    let cap_line = cap.map(|cap| {
        let x = (f64::from(cap) + 1.0) * step;
        view! {
            <g>
                <line class="cap-line" x1=x y1="-10" x2=x y2=HEIGHT></line>
                <text class="legend cap" x=x + 4.0 y="0">{format!("cap: {cap} per week")}</text>
            </g>
        }
    });
    view! {
        <svg xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 -10 {WIDTH} {}", HEIGHT + 28.0) role="img" aria-label="Messages per contact per week">
            {bars}
            {outline}
            {cap_line}
            <line class="axis" x1="0" y1=HEIGHT x2=WIDTH y2=HEIGHT></line>
            <text class="legend" x="0" y=HEIGHT + 26.0>"messages a contact got in one week (all channels)"</text>
        </svg>
    }
}

fn owners_chart(result: &SimulationResult) -> impl IntoView + use<> {
    let row = 34.0;
    let height = row * result.owners.len().max(1) as f64;
    let max =
        result.owners.iter().flat_map(|owner| owner.arrivals_by_local_hour.iter().copied()).max().unwrap_or(0).max(1)
            as f64;
    let step = (WIDTH - 200.0) / 24.0;
    let rows = result
        .owners
        .iter()
        .enumerate()
        .map(|(index, owner)| {
            let top = index as f64 * row;
            let (start, end) = (f64::from(owner.coverage_start_minute) / 60.0, f64::from(owner.coverage_end_minute) / 60.0);
            let share = if owner.replies == 0 { 100.0 } else { owner.within_sla as f64 * 100.0 / owner.replies as f64 };
            let bars = owner
                .arrivals_by_local_hour
                .iter()
                .enumerate()
                .map(|(hour, count)| {
                    let bar = *count as f64 / max * (row - 10.0);
                    view! { <rect class="bar-sms" x=200.0 + hour as f64 * step + 1.0 y=top + row - 6.0 - bar width=step - 2.0 height=bar></rect> }
                })
                .collect_view();
            view! {
                <g>
                    <text class="tick" x="0" y=top + 14.0>{owner.name.clone()}</text>
                    <text class="tick" x="0" y=top + 26.0>{format!("{} replies · {share:.0}% within SLA · median {} min", grouped(owner.replies), owner.median_minutes_to_answer)}</text>
                    <rect class="window" x=200.0 + start * step y=top + 2.0 width=((end - start) * step).max(0.0) height=row - 8.0></rect>
                    {bars}
                </g>
            }
        })
        .collect_view();
    view! {
        <svg xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 0 {WIDTH} {}", height + 14.0) role="img" aria-label="Replies each owner receives by local hour, against coverage">
            {rows}
            <text class="legend" x="200" y=height + 10.0>"replies by the owner's local hour; shaded: coverage hours"</text>
        </svg>
    }
}
