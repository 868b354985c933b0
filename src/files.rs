//! Files and links at the browser's edge: downloading an export, reading a
//! picked or dropped file, the clipboard, and the journey in the address's
//! fragment.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;

/// The fragment that carries a shared journey: `#journey=<link text>`.
pub const LINK_FRAGMENT: &str = "journey=";

/// What a journey's files are called, by what they hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// The journey itself: `.tandem.json`.
    Journey,
    /// The cohort its forecast ran on: `.cohort.json`.
    Cohort,
    /// The reviewer's report: `-forecast.html`.
    Report,
}

/// `Revenue Alignment nurture` → `revenue-alignment-nurture.tandem.json`.
pub fn file_name(journey_name: &str) -> String {
    named(journey_name, FileKind::Journey)
}

/// A file about the journey called `journey_name`: its name as a slug (its
/// letters and digits, ASCII letters in lower case, others as typed), then
/// the ending for `kind`.
pub fn named(journey_name: &str, kind: FileKind) -> String {
    let mut slug = String::new();
    for character in journey_name.chars() {
        if character.is_alphanumeric() {
            slug.push(character.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let ending = match kind {
        FileKind::Journey => ".tandem.json",
        FileKind::Cohort => ".cohort.json",
        FileKind::Report => "-forecast.html",
    };
    format!("{}{ending}", if slug.is_empty() { "journey" } else { slug })
}

/// Offers `text` as a download called `name`.
pub fn download(name: &str, text: &str) -> Result<(), String> {
    download_as(name, text, "application/json")
}

/// Offers `text` of media type `kind` as a download called `name`.
pub fn download_as(name: &str, text: &str, kind: &str) -> Result<(), String> {
    let url = object_url(text, kind)?;
    let offered = offer(name, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
    offered
}

/// A `blob:` address of `text` of media type `kind`.
fn object_url(text: &str, kind: &str) -> Result<String, String> {
    let fail = |_| "the browser refused the download".to_owned();
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(kind);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)
}

/// Offers what `href` addresses as a download called `name`.
fn offer(name: &str, href: &str) -> Result<(), String> {
    let document = web_sys::window().and_then(|window| window.document()).ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| "the browser refused the download")?.unchecked_into();
    anchor.set_href(href);
    anchor.set_download(name);
    anchor.click();
    Ok(())
}

/// Offers the picture `svg` as a PNG download called `name`, at twice its
/// size: the SVG is loaded into an image (a `blob:` address, which the
/// page's policy allows) and drawn on a canvas.
pub fn download_png(name: &str, svg: &str) {
    let Ok(url) = object_url(svg, "image/svg+xml") else { return };
    let Ok(image) = web_sys::HtmlImageElement::new() else { return };
    let loaded = {
        let (image, name, url) = (image.clone(), name.to_owned(), url.clone());
        Closure::once_into_js(move || {
            let _ = web_sys::Url::revoke_object_url(&url);
            let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
            let Some(canvas) = document
                .create_element("canvas")
                .ok()
                .and_then(|canvas| canvas.dyn_into::<web_sys::HtmlCanvasElement>().ok())
            else {
                return;
            };
            canvas.set_width(image.natural_width() * 2);
            canvas.set_height(image.natural_height() * 2);
            let Some(context) = canvas
                .get_context("2d")
                .ok()
                .flatten()
                .and_then(|context| context.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
            else {
                return;
            };
            let _ = context.scale(2.0, 2.0);
            let _ = context.draw_image_with_html_image_element(&image, 0.0, 0.0);
            if let Ok(png) = canvas.to_data_url_with_type("image/png") {
                let _ = offer(&name, &png);
            }
        })
    };
    image.set_onload(Some(loaded.unchecked_ref()));
    image.set_src(&url);
}

/// The text of a picked or dropped file.
pub async fn read(file: web_sys::File) -> Result<String, String> {
    let text = JsFuture::from(file.text()).await.map_err(|_| format!("{} could not be read", file.name()))?;
    text.as_string().ok_or_else(|| format!("{} is not text", file.name()))
}

/// Puts `text` on the clipboard.
pub async fn copy(text: &str) -> Result<(), String> {
    let clipboard = web_sys::window().ok_or("no window")?.navigator().clipboard();
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| "the browser refused the clipboard".to_owned())
}

/// The page's address with `fragment` after `#`.
pub fn address_with_fragment(fragment: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    Some(format!("{}{}#{fragment}", location.origin().ok()?, location.pathname().ok()?))
}

/// The shared journey in the address, if any, and clears it from the address bar.
pub fn take_link() -> Option<String> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let link = hash.strip_prefix('#')?.strip_prefix(LINK_FRAGMENT)?.to_owned();
    if let (Ok(history), Ok(path)) = (window.history(), window.location().pathname()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
    Some(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_slugs_of_the_journey_name() {
        assert_eq!(file_name("Revenue Alignment nurture"), "revenue-alignment-nurture.tandem.json");
        assert_eq!(file_name("  Q3: Spring — launch!! "), "q3-spring-launch.tandem.json");
        assert_eq!(file_name("<img src=x onerror=alert(1)>"), "img-src-x-onerror-alert-1.tandem.json");
        assert_eq!(file_name("???"), "journey.tandem.json");
        assert_eq!(file_name("Été à Zürich"), "Été-à-zürich.tandem.json");
        assert_eq!(named("Q3 launch", FileKind::Cohort), "q3-launch.cohort.json");
        assert_eq!(named("Q3 launch", FileKind::Report), "q3-launch-forecast.html");
    }
}
