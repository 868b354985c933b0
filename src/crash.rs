//! What the user sees when Tandem stops. A panic ends the WebAssembly
//! module (release builds abort), so nothing reactive runs after it: the
//! notice is plain DOM, written by the panic hook itself. In the field the
//! likeliest cause is a part of the page that could not be downloaded (a
//! lazily loaded module, see ARCHITECTURE.md); whatever the cause, every
//! journey was saved at its last edit, so the notice says so and offers a
//! reload.

use std::panic::PanicHookInfo;

/// Logs a panic to the console and tells the user, in the page, that
/// Tandem has stopped.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        // Nothing more can be done if the page itself is gone.
        let _ = show_notice(info);
    }));
}

fn show_notice(info: &PanicHookInfo) -> Option<()> {
    let window = web_sys::window()?;
    let document = window.document()?;
    let notice = document.create_element("div").ok()?;
    notice.set_class_name("crash-notice");
    notice.set_attribute("role", "alert").ok()?;
    notice.set_attribute("data-testid", "crash-notice").ok()?;
    let heading = document.create_element("h2").ok()?;
    heading.set_text_content(Some("Tandem has stopped"));
    let explanation = document.create_element("p").ok()?;
    explanation.set_text_content(Some(
        "Part of the app could not be loaded or ran into an error, so this tab cannot go on. \
         Your journeys were saved in this browser at their last edit: reload to carry on where you were.",
    ));
    let detail = document.create_element("p").ok()?;
    detail.set_class_name("crash-detail");
    detail.set_text_content(Some(&format!("What went wrong: {}.", cause(info))));
    // A link, not a button: no Rust code can answer a click any more.
    let reload = document.create_element("a").ok()?;
    reload.set_attribute("href", &window.location().href().ok()?).ok()?;
    reload.set_attribute("data-testid", "crash-reload").ok()?;
    reload.set_text_content(Some("Reload Tandem"));
    for part in [&heading, &explanation, &detail, &reload] {
        notice.append_child(part).ok()?;
    }
    document.body()?.append_child(&notice).ok()?;
    Some(())
}

/// What went wrong, in words: a part of the page that could not be
/// fetched is named as such (its loader panics with "load callback should
/// succeed"), anything else by the panic's own message, without the source
/// location users cannot act on.
fn cause(info: &PanicHookInfo) -> String {
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an unexpected error".to_owned());
    if message.contains("load callback should succeed") {
        "a part of Tandem could not be downloaded (is the connection down?)".to_owned()
    } else {
        message
    }
}
