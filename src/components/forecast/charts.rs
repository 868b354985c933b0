//! The forecast's charts on the page. Each is drawn by [`crate::plot`] at
//! the width it is shown (so its text is the size plotters was given) and
//! adopted into the page through `DOMParser`, never `innerHTML`; it is
//! redrawn when the window resizes, when it is enlarged to the results'
//! full width (Escape closes it and focus in it goes back to its Enlarge
//! button) and when a day is picked. Each frame offers
//! the chart as SVG and PNG and its data as CSV, and a text alternative: a
//! one-sentence summary and the data as a table. A click on the sends
//! chart is mapped to a day through plotters' coordinate translation.

use std::rc::Rc;

use leptos::prelude::*;
use tandem_engine::decimal;
use tandem_engine::simulate::SimulationResult;

use crate::designer::Designer;
use crate::files;
use crate::plot::{self, Chart, Days, Look};

/// Every chart of a run, against the baseline if one is pinned. A click on
/// a day of the sends chart selects it in `selected_day`.
pub(super) fn charts(
    designer: Designer,
    result: &SimulationResult,
    baseline: Option<&SimulationResult>,
    selected_day: RwSignal<Option<u16>>,
) -> impl IntoView + use<> {
    let charts = designer.journey.with_untracked(|journey| plot::charts(journey, result, baseline));
    // Bumped on every window resize, so each chart redraws at its new width.
    let resized = RwSignal::new(0u32);
    let listener = window_event_listener(leptos::ev::resize, move |_| resized.update(|count| *count += 1));
    on_cleanup(move || listener.remove());
    let frames = charts.into_iter().map(|chart| frame(Rc::new(chart), resized, selected_day)).collect_view();
    view! { <div class="charts">{frames}</div> }
}

/// The SVG text of a drawing as a node of this page.
fn adopt(svg: &str) -> Option<web_sys::Node> {
    let parsed = web_sys::DomParser::new().ok()?.parse_from_string(svg, web_sys::SupportedType::ImageSvgXml).ok()?;
    let root = parsed.document_element()?;
    web_sys::window()?.document()?.adopt_node(&root).ok()
}

/// A chart in its frame: title, enlarge, downloads, the drawing and its
/// text alternative.
fn frame(chart: Rc<Chart>, resized: RwSignal<u32>, selected: RwSignal<Option<u16>>) -> impl IntoView {
    let key = chart.key;
    let holder = NodeRef::<leptos::html::Div>::new();
    let enlarged = RwSignal::new(false);
    let days = StoredValue::new(None::<Days>);
    let sends = key == "sends";
    Effect::new({
        let chart = chart.clone();
        move |_| {
            resized.track();
            enlarged.track();
            let picked = if sends { selected.get() } else { None };
            let Some(holder) = holder.get() else { return };
            let width = u32::try_from(holder.client_width()).unwrap_or(0);
            let drawing = chart.draw(width, Look { captioned: false, selected: picked });
            if let Some(node) = adopt(&drawing.svg) {
                holder.replace_children_with_node_1(&node);
            }
            // Where the first and last days sit, so a test can click a day as a person would.
            if let Some(map) = &drawing.days {
                let ((first, y), (last, _)) = (map.centre_of(0), map.centre_of(map.count().saturating_sub(1) as u16));
                for (name, value) in [
                    ("data-first-day-x", first),
                    ("data-last-day-x", last),
                    ("data-day-y", y),
                    ("data-days", map.count() as i32),
                ] {
                    let _ = holder.set_attribute(name, &value.to_string());
                }
            }
            days.set_value(drawing.days);
        }
    });
    let figure = NodeRef::<leptos::html::Figure>::new();
    let enlarge = NodeRef::<leptos::html::Button>::new();
    let escape = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "Escape" && enlarged.get_untracked() {
            enlarged.set(false);
            // Focus in the chart, or nowhere, goes back to the button that enlarged it.
            let active = document().active_element();
            let active: Option<&web_sys::Node> = active.as_deref();
            let inside = figure.get_untracked().is_some_and(|figure| figure.contains(active));
            let lost =
                active.is_none_or(|active| document().body().is_some_and(|body| body.is_same_node(Some(active))));
            if (inside || lost)
                && let Some(button) = enlarge.get_untracked()
            {
                let _ = button.focus();
            }
        }
    });
    on_cleanup(move || escape.remove());
    let pick = move |event: leptos::ev::MouseEvent| {
        let Some(svg) = holder.get_untracked().and_then(|holder| holder.first_element_child()) else { return };
        let Some(map) = days.get_value() else { return };
        let rect = svg.get_bounding_client_rect();
        let drawn = svg.get_attribute("width").and_then(|width| decimal::read(&width)).unwrap_or(rect.width());
        let scale = if rect.width() > 0.0 { drawn / rect.width() } else { 1.0 };
        let x = (f64::from(event.client_x()) - rect.left()) * scale;
        let y = (f64::from(event.client_y()) - rect.top()) * scale;
        if let Some(day) = map.day_at(x as i32, y as i32) {
            selected.set(Some(day));
        }
    };
    let download_svg = {
        let chart = chart.clone();
        move |_| {
            let _ = files::download_as(&format!("tandem-{key}.svg"), &chart.printed(), "image/svg+xml");
        }
    };
    let download_png = {
        let chart = chart.clone();
        move |_| files::download_png(&format!("tandem-{key}.png"), &chart.printed())
    };
    let csv = chart.csv.clone();
    let head = chart.table.head.iter().map(|heading| view! { <th scope="col">{*heading}</th> }).collect_view();
    let rows = chart
        .table
        .rows
        .iter()
        .map(|row| {
            let first = row.first().cloned().unwrap_or_default();
            // The sends table picks its day from the keyboard, as a click on the chart does.
            let label = match first.parse::<u16>() {
                Ok(day) if sends => view! {
                    <button type="button" class="link" on:click=move |_| selected.set(Some(day))>{format!("Day {day}")}</button>
                }
                .into_any(),
                _ => first.into_any(),
            };
            let cells = row.iter().skip(1).map(|cell| view! { <td>{cell.clone()}</td> }).collect_view();
            view! { <tr><th scope="row">{label}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <figure class="chart" class:enlarged=move || enlarged.get() data-testid=format!("chart-{key}") node_ref=figure>
            <figcaption>
                <span>{chart.title}</span>
                <button type="button" class="link" data-testid=format!("chart-{key}-enlarge") node_ref=enlarge aria-pressed=move || enlarged.get().to_string()
                    on:click=move |_| enlarged.update(|wide| *wide = !*wide)>
                    {move || if enlarged.get() { "Close" } else { "Enlarge" }}
                </button>
                <button type="button" class="link" data-testid=format!("chart-{key}-svg") on:click=download_svg>"SVG"</button>
                <button type="button" class="link" data-testid=format!("chart-{key}-png") on:click=download_png>"PNG"</button>
                <button type="button" class="link" data-testid=format!("chart-{key}-csv")
                    on:click=move |_| { let _ = files::download_as(&format!("tandem-{key}.csv"), &csv, "text/csv"); }>"CSV"</button>
            </figcaption>
            <div class="plot" role="img" aria-label=chart.summary.clone() data-testid=format!("chart-{key}-plot") node_ref=holder on:click=pick></div>
            <details class="chart-data" data-testid=format!("chart-{key}-data")>
                <summary>"Data as text"</summary>
                <p>{chart.summary.clone()}</p>
                // It scrolls within itself, so the keyboard must be able to reach it.
                <table class="table" tabindex="0" aria-label=chart.title>
                    <thead><tr>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}
