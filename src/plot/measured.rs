//! plotters' SVG backend with one change: text is measured on a canvas that
//! is never shown (natively, estimated), because plotters' own measuring
//! on wasm32 appends a `<span style="…">` to the page, an inline style the
//! Content-Security-Policy refuses. Everything else forwards to the SVG
//! backend unchanged.

use plotters::prelude::*;
use plotters_backend::{BackendColor, BackendCoord, BackendTextStyle, DrawingErrorKind};

/// plotters' SVG backend with text measured by [`text_size`] instead of
/// by plotters' font code; everything else is the SVG backend's.
pub struct Measured<'a>(pub SVGBackend<'a>);

type Failed = DrawingErrorKind<std::io::Error>;

// `BackendStyle` is named in full: in scope it would clash with `Color::stroke_width`.
impl DrawingBackend for Measured<'_> {
    type ErrorType = std::io::Error;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), Failed> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), Failed> {
        self.0.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), Failed> {
        self.0.draw_pixel(point, color)
    }
    fn draw_line<S: plotters_backend::BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), Failed> {
        self.0.draw_line(from, to, style)
    }
    fn draw_rect<S: plotters_backend::BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), Failed> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), Failed> {
        self.0.draw_path(path, style)
    }
    fn draw_circle<S: plotters_backend::BackendStyle>(
        &mut self,
        centre: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), Failed> {
        self.0.draw_circle(centre, radius, style, fill)
    }
    fn fill_polygon<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        corners: I,
        style: &S,
    ) -> Result<(), Failed> {
        self.0.fill_polygon(corners, style)
    }
    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, at: BackendCoord) -> Result<(), Failed> {
        self.0.draw_text(text, style, at)
    }
    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32), Failed> {
        Ok(text_size(text, style.size() / 1.24))
    }
}

/// The size of `text` at `pixels` CSS pixels: measured on a canvas that is
/// never shown (no element, no style) in the browser.
#[cfg(target_arch = "wasm32")]
pub(super) fn text_size(text: &str, pixels: f64) -> (u32, u32) {
    use wasm_bindgen::JsCast;
    thread_local! {
        static CONTEXT: Option<web_sys::CanvasRenderingContext2d> = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.create_element("canvas").ok())
            .and_then(|canvas| canvas.dyn_into::<web_sys::HtmlCanvasElement>().ok())
            .and_then(|canvas| canvas.get_context("2d").ok().flatten())
            .and_then(|context| context.dyn_into().ok());
    }
    let width = CONTEXT.with(|context| {
        let context = context.as_ref()?;
        context.set_font(&format!("{pixels}px sans-serif"));
        context.measure_text(text).ok().map(|metrics| metrics.width())
    });
    (width.unwrap_or_else(|| estimated_width(text, pixels)).ceil() as u32, (pixels * 1.2).ceil() as u32)
}

/// The size of `text` at `pixels` CSS pixels, estimated (natively, for tests).
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn text_size(text: &str, pixels: f64) -> (u32, u32) {
    (estimated_width(text, pixels).ceil() as u32, (pixels * 1.2).ceil() as u32)
}

/// A sans-serif line's width without measuring: about 0.55 em a character.
fn estimated_width(text: &str, pixels: f64) -> f64 {
    text.chars().count() as f64 * pixels * 0.55
}
