//! The drawing pieces every chart is built from: the titled area, the
//! frame with its shared margins, the grid, the bars' top, a baseline's
//! dashed outline, the hollow SMS bar and the legend (drawn here because
//! plotters' own measures its text with an inline style).

use plotters::chart::MeshStyle;
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::measured::{Measured, text_size};
use super::{CAPTION, FONT, INK, LINE, Look, Plot, SMS, SMS_SOFT};

/// The drawing area of `size`, white, titled `title` when `look` says so.
pub(super) fn area<'a>(
    svg: &'a mut String,
    size: (u32, u32),
    title: &str,
    look: Look,
) -> DrawingArea<Measured<'a>, plotters::coord::Shift> {
    let root = Measured(SVGBackend::with_string(svg, size)).into_drawing_area();
    let _ = root.fill(&WHITE);
    if look.captioned { root.titled(title, CAPTION).unwrap_or(root) } else { root }
}

/// A chart on `root` with the margins every chart shares, `y_labels`
/// pixels for the vertical axis's labels, and these ranges.
pub(super) fn frame<'a, 'b>(
    root: &DrawingArea<Measured<'b>, plotters::coord::Shift>,
    y_labels: u32,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
) -> Option<Plot<'a, 'b>> {
    ChartBuilder::on(root).margin(10).x_label_area_size(44).y_label_area_size(y_labels).build_cartesian_2d(x, y).ok()
}

/// The grid every chart shares: faint lines, and labels and axis
/// descriptions in the charts' font; each chart adds its own axes' words.
pub(super) fn grid<'c, 'a, 'b>(
    chart: &'c mut Plot<'a, 'b>,
) -> MeshStyle<'a, 'c, RangedCoordf64, RangedCoordf64, Measured<'b>> {
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(WHITE).bold_line_style(LINE.mix(0.5)).label_style(FONT).axis_desc_style(FONT);
    mesh
}

/// The top of a bar chart's y axis: the largest value with room above it.
pub(super) fn top(values: impl Iterator<Item = f64>) -> f64 {
    values.fold(1.0, f64::max) * 1.12
}

/// A baseline's values as an outline of steps over bars one unit wide,
/// starting at `from`.
pub(super) fn outline(values: &[f64], from: f64) -> Vec<(f64, f64)> {
    values
        .iter()
        .enumerate()
        .flat_map(|(index, value)| [(from + index as f64, *value), (from + index as f64 + 1.0, *value)])
        .collect()
}

/// The dashed baseline outline.
pub(super) fn draw_baseline<'a>(chart: &mut Plot<'a, 'a>, points: Vec<(f64, f64)>) {
    let _ = chart.draw_series(std::iter::once(DashedPathElement::new(points, 4, 3, INK.stroke_width(1))));
}

/// How a legend entry shows its series. Series that share a chart differ
/// in shape or pattern as well as colour: solid against hollow bars, dots,
/// dashed against solid lines.
#[derive(Clone, Copy)]
pub(super) enum Swatch {
    Bar(RGBColor),
    /// An SMS bar: hollow, a light fill inside an amber edge.
    SmsBar,
    Dot(RGBColor),
    Dashed(RGBColor),
    Line(RGBColor),
}

/// An SMS bar between two corners: hollow where email bars are solid, so
/// the two read apart without their colours. Nothing is drawn for none.
pub(super) fn sms_bar(corners: [(f64, f64); 2]) -> Vec<Rectangle<(f64, f64)>> {
    if corners[0].1 == corners[1].1 {
        return Vec::new();
    }
    hollow(corners).into()
}

/// The hollow SMS shape between two corners in any coordinates: a light
/// fill inside an amber edge (bars in the plot, the legend's swatch).
fn hollow<C: Copy>(corners: [C; 2]) -> [Rectangle<C>; 2] {
    [Rectangle::new(corners, SMS_SOFT.filled()), Rectangle::new(corners, SMS.stroke_width(2))]
}

/// The legend, drawn here rather than by plotters (whose legend measures
/// its text with an inline style): a box in the plot's top right corner.
pub(super) fn legend<'a>(chart: &Plot<'a, 'a>, entries: &[(&str, Swatch)]) {
    let area = chart.plotting_area().strip_coord_spec();
    let (width, _) = area.dim_in_pixel();
    let (text_width, line) = entries
        .iter()
        .map(|(label, _)| text_size(label, f64::from(FONT.1) / 1.24))
        .fold((0, 0), |(w, h), (tw, th)| (w.max(tw), h.max(th)));
    let line = line as i32 + 4;
    let box_width = text_width as i32 + 36;
    let left = width as i32 - box_width - 8;
    let _ = area.draw(&Rectangle::new(
        [(left, 6), (left + box_width, 6 + line * entries.len() as i32 + 6)],
        ShapeStyle { color: WHITE.mix(0.9), filled: true, stroke_width: 0 },
    ));
    let _ = area.draw(&Rectangle::new([(left, 6), (left + box_width, 6 + line * entries.len() as i32 + 6)], LINE));
    for (index, (label, swatch)) in entries.iter().enumerate() {
        let y = 12 + line * index as i32 + line / 2;
        let _ = match *swatch {
            Swatch::Bar(color) => area.draw(&Rectangle::new([(left + 8, y - 5), (left + 20, y + 5)], color.filled())),
            Swatch::SmsBar => {
                hollow([(left + 8, y - 5), (left + 20, y + 5)]).iter().try_for_each(|part| area.draw(part))
            }
            Swatch::Dot(color) => area.draw(&Circle::new((left + 14, y), 3, color.filled())),
            Swatch::Dashed(color) => {
                area.draw(&DashedPathElement::new(vec![(left + 6, y), (left + 24, y)], 4, 2, color.stroke_width(2)))
            }
            Swatch::Line(color) => {
                area.draw(&PathElement::new(vec![(left + 6, y), (left + 24, y)], color.stroke_width(2)))
            }
        };
        let _ = area.draw(&Text::new(
            label.to_string(),
            (left + 28, y),
            TextStyle::from(FONT.into_font()).pos(Pos::new(HPos::Left, VPos::Center)),
        ));
    }
}
