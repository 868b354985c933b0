//! The forecast under the timeline: a cohort run in the worker, re-run by
//! itself after each edit for small cohorts, with progress and cancel; its
//! figures with deltas against a pinned baseline; and charts a reviewer
//! reads at a glance, each downloadable as SVG and its data as CSV. Charts
//! are built as SVG elements by the view, so names users typed are text,
//! never markup.

use std::time::Duration;

use leptos::prelude::*;
use tandem_engine::simulate::SimulationResult;
use wasm_bindgen::JsCast;

use crate::designer::Designer;
use crate::files;
use tandem_engine::cohort::MAX_COHORT_SIZE;

use crate::forecast::{AUTO_RUN_LIMIT, Forecaster};

/// One headline figure: its key, label and how to read it off a result.
type Figure = (&'static str, &'static str, fn(&SimulationResult) -> f64);

const FIGURES: [Figure; 8] = [
    ("emails", "Emails sent", |r| r.totals.emails_sent as f64),
    ("sms", "SMS sent", |r| r.totals.sms_sent as f64),
    ("blocks", "SMS blocks", |r| r.totals.sms_blocks as f64),
    ("collisions", "Collisions", |r| r.totals.collisions as f64),
    ("replies", "Replies", |r| r.totals.replies as f64),
    ("opt-outs", "Opt-outs", |r| r.totals.opt_outs as f64),
    ("meetings", "Meetings", |r| r.totals.meetings as f64),
    ("sla", "Answered within SLA", |r| {
        let (within, all) = r.sla.iter().fold((0, 0), |(w, a), s| (w + s.within_sla, a + s.replies));
        if all == 0 { 100.0 } else { (within as f64 * 1000.0 / all as f64).round() / 10.0 }
    }),
];

/// "+12", "−3", "0" (a real minus sign for negatives).
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

fn trim(value: f64) -> String {
    if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value:.1}") }
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

/// Blocks by reason, over every touchpoint, most frequent first.
pub fn blocks_by_reason(result: &SimulationResult) -> Vec<(String, u64)> {
    let mut totals: Vec<(String, u64)> = Vec::new();
    for reason in result.touchpoints.iter().flat_map(|touchpoint| &touchpoint.blocked) {
        match totals.iter_mut().find(|(known, _)| *known == reason.reason) {
            Some((_, count)) => *count += reason.count,
            None => totals.push((reason.reason.clone(), reason.count)),
        }
    }
    totals.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    totals
}

fn blocks_csv(rows: &[(String, u64)]) -> String {
    let mut csv = String::from("reason,blocks\n");
    for (reason, count) in rows {
        csv.push_str(&format!("\"{}\",{count}\n", reason.replace('"', "\"\"")));
    }
    csv
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

fn blocks_chart(rows: Vec<(String, u64)>, baseline: Option<&SimulationResult>) -> impl IntoView + use<> {
    let before = baseline.map(blocks_by_reason);
    let max = rows.iter().map(|(_, count)| *count).max().unwrap_or(0).max(1) as f64;
    let height = (rows.len().max(1) as f64) * 18.0;
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(index, (reason, count))| {
            let y = index as f64 * 18.0;
            let width = count as f64 / max * (WIDTH - 260.0);
            view! {
                <g>
                    <text class="tick" x="0" y=y + 12.0>{reason.clone()}</text>
                    <rect class="bar-block" x="250" y=y + 2.0 width=width height="13"></rect>
                    <text class="tick" x=256.0 + width y=y + 12.0>{
                        match before.as_ref().map(|before| before.iter().find(|(known, _)| *known == reason).map_or(0, |(_, count)| *count)) {
                            Some(was) if was != count => format!("{count} (was {was})"),
                            _ => count.to_string(),
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

fn weeks_csv(result: &SimulationResult) -> String {
    let mut csv = String::from("touches_in_week,contact_weeks\n");
    let last = result.touches_per_week.len().saturating_sub(1);
    for (touches, count) in result.touches_per_week.iter().enumerate() {
        let label = if touches == last { format!("{touches}+") } else { touches.to_string() };
        csv.push_str(&format!("{label},{count}\n"));
    }
    csv
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
    let last = buckets.len().saturating_sub(1);
    let bars = buckets
        .iter()
        .enumerate()
        .map(|(touches, count)| {
            let height = *count as f64 / max * HEIGHT;
            let label = if touches == last { format!("{touches}+") } else { touches.to_string() };
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

fn owners_csv(result: &SimulationResult) -> String {
    let mut csv = String::from("owner,local_hour,replies\n");
    for owner in &result.owners {
        for (hour, count) in owner.arrivals_by_local_hour.iter().enumerate() {
            csv.push_str(&format!("\"{}\",{hour},{count}\n", owner.name.replace('"', "\"\"")));
        }
    }
    csv
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
                    <text class="tick" x="0" y=top + 26.0>{format!("{} replies · {share:.0}% within SLA · median {} min", owner.replies, owner.median_minutes_to_answer)}</text>
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

/// What went out on the day picked in the sends chart.
fn day_detail(
    result: &SimulationResult,
    baseline: Option<&SimulationResult>,
    selected: RwSignal<Option<u16>>,
) -> impl IntoView + use<> {
    let days = result.sends_per_day.clone();
    let before = baseline.map(|baseline| baseline.sends_per_day.clone());
    move || {
        let day = selected.get()?;
        let sends = days.iter().find(|sends| sends.day == day)?.clone();
        let earlier = before.as_ref().and_then(|days| days.iter().find(|sends| sends.day == day)).cloned();
        let text = format!(
            "Day {day}: {} emails, {} SMS, {} collisions",
            with_delta(sends.email, earlier.as_ref().map(|e| e.email)),
            with_delta(sends.sms, earlier.as_ref().map(|e| e.sms)),
            with_delta(sends.collisions, earlier.as_ref().map(|e| e.collisions)),
        );
        Some(view! {
            <p class="day-detail" data-testid="day-detail">
                {text}
                " "
                <button type="button" class="link" on:click=move |_| selected.set(None)>"Clear"</button>
            </p>
        })
    }
}

/// A count with its delta against the baseline's, if any.
fn with_delta(value: u64, baseline: Option<u64>) -> String {
    match baseline {
        Some(before) if before != value => format!("{value} ({})", signed(value as f64 - before as f64)),
        _ => value.to_string(),
    }
}

fn funnel_table(
    designer: Designer,
    result: &SimulationResult,
    baseline: Option<&SimulationResult>,
) -> impl IntoView + use<> {
    let rows = result
        .touchpoints
        .iter()
        .map(|touchpoint| {
            let before = baseline.and_then(|baseline| baseline.touchpoints.iter().find(|known| known.id == touchpoint.id));
            let cell = |value: u64, read: fn(&tandem_engine::simulate::TouchpointFunnel) -> u64| with_delta(value, before.map(read));
            let id = tandem_engine::TouchpointId(touchpoint.id.clone());
            view! {
                <tr data-testid="funnel-row" data-touchpoint-id=touchpoint.id.clone()
                    on:click=move |_| designer.select(crate::designer::Selection::Touchpoint(id.clone()))>
                    <th scope="row">{touchpoint.name.clone()}</th>
                    <td>{cell(touchpoint.entered, |t| t.entered)}</td>
                    <td>{cell(touchpoint.eligible, |t| t.eligible)}</td>
                    <td>{cell(touchpoint.triggered, |t| t.triggered)}</td>
                    <td>{cell(touchpoint.sent, |t| t.sent)}</td>
                    <td>{cell(touchpoint.blocked.iter().map(|reason| reason.count).sum(), |t| t.blocked.iter().map(|reason| reason.count).sum())}</td>
                    <td>{cell(touchpoint.replied, |t| t.replied)}</td>
                    <td>{cell(touchpoint.opted_out, |t| t.opted_out)}</td>
                    <td>{cell(touchpoint.meetings, |t| t.meetings)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table" data-testid="funnel-table">
            <caption>"SMS funnel per touchpoint (click a row to open it)"</caption>
            <thead>
                <tr><th>"Touchpoint"</th><th>"Entered"</th><th>"Eligible"</th><th>"Triggered"</th><th>"Sent"</th><th>"Blocks"</th><th>"Replied"</th><th>"Opted out"</th><th>"Meetings"</th></tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

fn step_funnel_table(
    designer: Designer,
    result: &SimulationResult,
    baseline: Option<&SimulationResult>,
) -> impl IntoView + use<> {
    let rows = result
        .steps
        .iter()
        .map(|step| {
            let before = baseline.and_then(|baseline| baseline.steps.iter().find(|known| known.id == step.id));
            let cell =
                |value: u64, read: fn(&tandem_engine::simulate::StepFunnel) -> u64| with_delta(value, before.map(read));
            let id = tandem_engine::StepId(step.id.clone());
            let held: u64 = step.held.iter().map(|reason| reason.count).sum();
            view! {
                <tr data-testid="step-funnel-row" data-step-id=step.id.clone()
                    on:click=move |_| designer.select(crate::designer::Selection::Step(id.clone()))>
                    <th scope="row">{format!("{} (day {})", step.name, step.day)}</th>
                    <td>{cell(step.entered, |s| s.entered)}</td>
                    <td>{cell(step.sent, |s| s.sent)}</td>
                    <td>{cell(held, |s| s.held.iter().map(|reason| reason.count).sum())}</td>
                    <td>{cell(step.opened, |s| s.opened)}</td>
                    <td>{cell(step.clicked, |s| s.clicked)}</td>
                    <td>{cell(step.unsubscribed, |s| s.unsubscribed)}</td>
                    <td>{cell(step.meeting_intents, |s| s.meeting_intents)}</td>
                    <td>{cell(step.stage_progressions, |s| s.stage_progressions)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table" data-testid="step-funnel-table">
            <caption>"Email funnel per nurture step (click a row to open it)"</caption>
            <thead>
                <tr><th>"Step"</th><th>"Entered"</th><th>"Sent"</th><th>"Held by a cap"</th><th>"Opened"</th><th>"Clicked"</th><th>"Unsubscribed"</th><th>"Meeting intent"</th><th>"Stage moves"</th></tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

fn outcomes_table(
    caption: &'static str,
    testid: &'static str,
    rows: &[tandem_engine::simulate::Outcomes],
) -> impl IntoView + use<> {
    let rows = rows
        .iter()
        .map(|outcomes| {
            view! {
                <tr>
                    <th scope="row">{outcomes.label.clone()}</th>
                    <td>{outcomes.contacts}</td>
                    <td>{outcomes.emails}</td>
                    <td>{outcomes.sms}</td>
                    <td>{outcomes.replies}</td>
                    <td>{outcomes.meetings}</td>
                    <td>{outcomes.stage_progressions}</td>
                    <td>{outcomes.opt_outs + outcomes.unsubscribes}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table" data-testid=testid>
            <caption>{caption}</caption>
            <thead>
                <tr><th></th><th>"Contacts"</th><th>"Emails"</th><th>"SMS"</th><th>"Replies"</th><th>"Meetings"</th><th>"Stage moves"</th><th>"Opt-outs"</th></tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The contact explorer: any contact's whole story in the current run.
#[component]
fn Explorer(designer: Designer, forecaster: Forecaster) -> impl IntoView {
    let contact = RwSignal::new(0u32);
    let state = forecaster.state;
    let show = move |number: u32| {
        contact.set(number);
        forecaster.explore(number);
    };
    let pick = move |list: fn(&tandem_engine::simulate::ContactExamples) -> &Vec<u32>, what: &'static str| {
        let examples =
            state.with_untracked(|state| state.result.as_ref().map(|finished| list(&finished.result.examples).clone()));
        match examples.filter(|examples| !examples.is_empty()) {
            Some(examples) => {
                show(examples[(js_sys::Math::random() * examples.len() as f64) as usize % examples.len()])
            }
            None => designer.notice.set(Some(format!("No contact {what} in this run."))),
        }
    };
    let timeline = move || {
        state.with(|state| state.timeline.clone()).map(|(timeline, _)| {
            let about = timeline
                .about
                .iter()
                .map(|(label, value)| view! { <span class="about"><strong>{label.clone()}</strong>" "{value.clone()}</span> })
                .collect_view();
            let entries = timeline
                .entries
                .iter()
                .map(|entry| {
                    view! {
                        <li class=format!("entry entry-{}", entry.channel) data-testid="timeline-entry">
                            <time>{entry.local_time.clone()}</time>
                            <span class="channel">{entry.channel.clone()}</span>
                            <span>{entry.what.clone()}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="explorer-result" data-testid="explorer-result">
                    <p class="explorer-head">{format!("Contact {} · times in {}", timeline.contact, timeline.time_zone)}</p>
                    <p class="abouts">{about}</p>
                    <ol class="entries">{entries}</ol>
                </div>
            }
        })
    };
    view! {
        <section class="explorer" data-testid="explorer">
            <h3>"Contact explorer"</h3>
            <div class="explorer-controls">
                <label>
                    "Contact "
                    <input type="number" min="0" data-testid="explorer-contact" prop:value=move || contact.get().to_string()
                        on:change=move |event| {
                            if let Ok(number) = event_target_value(&event).trim().parse::<u32>() {
                                show(number);
                            }
                        } />
                </label>
                <button type="button" class="tool" data-testid="explorer-blocked" on:click=move |_| pick(|examples| &examples.blocked, "was blocked")>
                    "One that was blocked"
                </button>
                <button type="button" class="tool" data-testid="explorer-opted-out" on:click=move |_| pick(|examples| &examples.opted_out, "opted out")>
                    "One that opted out"
                </button>
                <button type="button" class="tool" data-testid="explorer-collided" on:click=move |_| pick(|examples| &examples.collided, "had a collision")>
                    "One that collided"
                </button>
            </div>
            {timeline}
        </section>
    }
}

#[component]
pub fn ForecastPanel(designer: Designer, forecaster: Forecaster) -> impl IntoView {
    // Small cohorts follow the user's edits a moment after each one.
    let pending = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |previous: Option<()>| {
        designer.journey.track();
        let size = forecaster.scenario.with(|scenario| scenario.cohort.size);
        if previous.is_some() {
            forecaster.state.update(|state| state.stale = state.result.is_some());
        }
        if size > AUTO_RUN_LIMIT {
            return;
        }
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || designer.journey.with_untracked(|journey| forecaster.run(journey)),
            Duration::from_millis(300),
        );
        pending.set_value(handle.ok());
    });
    let run = move |_| designer.journey.with_untracked(|journey| forecaster.run(journey));
    let state = forecaster.state;
    let selected_day = RwSignal::new(None::<u16>);
    let progress = move || {
        state.with(|state| state.running.clone()).map(|running| {
            let share = if running.total == 0 { 0.0 } else { f64::from(running.done) / f64::from(running.total) };
            let left = running.seconds_left().map(|seconds| format!(" · about {seconds:.1} s left")).unwrap_or_default();
            view! {
                <div class="progress" data-testid="forecast-progress">
                    <progress max="1" value=share></progress>
                    <span>{format!("{} of {} contacts{left}", running.done, running.total)}</span>
                    <button type="button" class="tool" data-testid="forecast-cancel" on:click=move |_| forecaster.cancel()>"Cancel"</button>
                </div>
            }
        })
    };
    let problems = move || {
        state
            .with(|state| state.problems.clone())
            .into_iter()
            .map(|problem| view! { <li data-testid="forecast-problem">{problem}</li> })
            .collect_view()
    };
    let figures = move || {
        state.with(|state| {
            // A run that cannot start shows what blocks it instead of an old result.
            if !state.problems.is_empty() {
                return None;
            }
            let finished = state.result.clone()?;
            let (result, elapsed) = (finished.result, finished.elapsed_ms);
            let baseline = state.baseline.clone();
            let cells = FIGURES
                .iter()
                .map(|(key, label, read)| {
                    let value = read(&result);
                    let delta = baseline.as_ref().map(|baseline| signed(value - read(baseline)));
                    let shown = if *key == "sla" { format!("{}%", trim(value)) } else { trim(value) };
                    view! {
                        <div class="figure">
                            <dt>{*label}</dt>
                            <dd data-testid=format!("forecast-{key}")>{shown}</dd>
                            {delta.map(|delta| view! { <span class="delta" data-testid=format!("forecast-{key}-delta")>{delta}</span> })}
                        </div>
                    }
                })
                .collect_view();
            let (window, weekly_cap) = designer.journey.with_untracked(|journey| {
                let window = journey.policies.legal_windows.first().map_or((8 * 60, 21 * 60), |window| (window.allowed.start_minute, window.allowed.end_minute));
                let cap = journey
                    .policies
                    .caps
                    .iter()
                    .filter(|cap| cap.channel == tandem_engine::CapChannel::AllChannels && cap.window_hours == 7 * 24)
                    .map(|cap| cap.max_messages)
                    .min();
                (window, cap)
            });
            Some(view! {
                <p class="forecast-meta" data-testid="forecast-meta">
                    {format!("{} contacts, seed {}, {} days · simulated in {:.0} ms", result.contacts, result.seed, result.horizon_days, elapsed)}
                </p>
                <dl class="figures">{cells}</dl>
                <div class="charts">
                    {chart_frame("Sends per day (click a day)", "sends", sends_csv(&result), sends_chart(&result, baseline.as_ref(), selected_day))}
                    {chart_frame("SMS by recipient's local hour", "hours", hours_csv(&result), hours_chart(&result, baseline.as_ref(), window))}
                    {
                        let blocks = blocks_by_reason(&result);
                        chart_frame("Blocked SMS by reason", "blocks", blocks_csv(&blocks), blocks_chart(blocks, baseline.as_ref()))
                    }
                    {chart_frame("Messages per contact per week", "weeks", weeks_csv(&result), weeks_chart(&result, baseline.as_ref(), weekly_cap))}
                    {chart_frame("Sales: replies by local hour", "owners", owners_csv(&result), owners_chart(&result))}
                </div>
                {day_detail(&result, baseline.as_ref(), selected_day)}
                {step_funnel_table(designer, &result, baseline.as_ref())}
                {funnel_table(designer, &result, baseline.as_ref())}
                <div class="tables">
                    {outcomes_table("Outcomes by persona", "outcomes-persona", &result.by_persona)}
                    {outcomes_table("Outcomes by nurture step (credited to the last email before them)", "outcomes-step", &result.by_step)}
                </div>
            })
        })
    };
    let report = move |_| {
        let Some(finished) = state.with_untracked(|state| state.result.clone()) else { return };
        let result = finished.result;
        let baseline = state.with_untracked(|state| state.baseline.clone());
        let document = web_sys::window().and_then(|window| window.document());
        let charts = document
            .and_then(|document| document.query_selector_all("figure.chart").ok())
            .map(|found| {
                (0..found.length())
                    .filter_map(|index| found.item(index))
                    .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
                    .filter_map(|figure| {
                        let title = figure.query_selector("figcaption span").ok().flatten()?.text_content()?;
                        let svg = figure.query_selector("svg").ok().flatten()?.outer_html();
                        Some((title, svg))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let (name, html) = designer.journey.with_untracked(|journey| {
            let report = crate::report::Report {
                journey,
                result: &result,
                baseline: baseline.as_ref(),
                charts,
                journey_file: &finished.journey,
                cohort_file: &finished.cohort,
            };
            (files::named(&journey.name, files::FileKind::Report), report.html())
        });
        if let Err(why) = files::download_as(&name, &html, "text/html") {
            designer.notice.set(Some(format!("Could not save the report: {why}.")));
        }
    };
    let pin =
        move |_| state.update(|state| state.baseline = state.result.as_ref().map(|finished| finished.result.clone()));
    let unpin = move |_| state.update(|state| state.baseline = None);
    view! {
        <section class="forecast" aria-label="Forecast" data-testid="forecast">
            <div class="forecast-controls">
                <h2 class="panel-title">"Forecast"</h2>
                <label>
                    "Contacts "
                    <input type="number" min="1" max=MAX_COHORT_SIZE data-testid="forecast-size"
                        prop:value=move || forecaster.scenario.with(|scenario| scenario.cohort.size).to_string()
                        on:change=move |event| {
                            match event_target_value(&event).trim().parse::<u32>() {
                                Ok(size) => forecaster.scenario.update(|scenario| scenario.cohort.size = size),
                                Err(_) => designer.notice.set(Some("The number of contacts is a whole number, like 10000.".into())),
                            }
                        } />
                </label>
                <label>
                    "Seed "
                    <input type="number" min="0" data-testid="forecast-seed" class="short"
                        prop:value=move || forecaster.scenario.with(|scenario| scenario.cohort.seed).to_string()
                        on:change=move |event| {
                            if let Ok(seed) = event_target_value(&event).trim().parse::<u64>() {
                                forecaster.scenario.update(|scenario| scenario.cohort.seed = seed);
                            }
                        } />
                </label>
                <button type="button" class="tool" data-testid="forecast-run" on:click=run>"Run"</button>
                <button type="button" class="tool" data-testid="forecast-pin" disabled=move || state.with(|state| state.result.is_none()) on:click=pin>
                    "Pin as baseline"
                </button>
                <button type="button" class="tool" data-testid="forecast-report" disabled=move || state.with(|state| state.result.is_none()) on:click=report>
                    "Download report"
                </button>
                <Show when=move || state.with(|state| state.baseline.is_some())>
                    <button type="button" class="link" data-testid="forecast-unpin" on:click=unpin>"Clear baseline"</button>
                </Show>
                <span class="hint">
                    {move || if forecaster.scenario.with(|scenario| scenario.cohort.size) <= AUTO_RUN_LIMIT { "re-runs after each edit" } else { "large cohorts run when you press Run" }}
                </span>
            </div>
            {progress}
            <Show when=move || state.with(|state| state.stale && state.running.is_none())>
                <p class="stale" data-testid="forecast-stale">"Out of date: the journey changed since this run. Press Run to update it."</p>
            </Show>
            <ul class="forecast-problems">{problems}</ul>
            <div class:stale-result=move || state.with(|state| state.stale)>{figures}</div>
            <Show when=move || state.with(|state| state.result.is_some())>
                <Explorer designer forecaster />
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_carry_their_sign() {
        assert_eq!(signed(12.0), "+12");
        assert_eq!(signed(-3.0), "−3");
        assert_eq!(signed(0.04), "0");
        assert_eq!(signed(-0.25), "−0.3");
    }

    #[test]
    fn chart_data_downloads_as_csv() {
        let result = tandem_engine::simulate::golden().run();
        let sends = sends_csv(&result);
        assert_eq!(sends.lines().count(), result.sends_per_day.len() + 1);
        assert!(sends.starts_with("day,email,sms,collisions\n0,"));
        assert_eq!(hours_csv(&result).lines().count(), 25);
        let blocks = blocks_by_reason(&result);
        assert_eq!(blocks.iter().map(|(_, count)| count).sum::<u64>(), result.totals.sms_blocks);
        assert!(blocks.windows(2).all(|pair| pair[0].1 >= pair[1].1));
    }
}
