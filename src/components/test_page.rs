//! What a component test does to the page: mount a view in a host element
//! of its own, find fields by test id, and enter values as a user would,
//! firing the event the field listens to.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Mounts `view` in a fresh element on the page, and returns that element.
pub fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone(), view).forget();
    host
}

/// The element with `testid` under `host`, as the type it is.
pub fn find<T: JsCast>(host: &web_sys::HtmlElement, testid: &str) -> T {
    host.query_selector(&format!("[data-testid='{testid}']"))
        .unwrap()
        .unwrap_or_else(|| panic!("no `{testid}` on the page"))
        .unchecked_into()
}

/// Whether an element with `testid` is under `host`.
pub fn shows(host: &web_sys::HtmlElement, testid: &str) -> bool {
    host.query_selector(&format!("[data-testid='{testid}']")).unwrap().is_some()
}

/// The values of the drop-down `testid`'s options, in order.
pub fn option_values(host: &web_sys::HtmlElement, testid: &str) -> Vec<String> {
    let options = host.query_selector_all(&format!("[data-testid='{testid}'] option")).unwrap();
    (0..options.length())
        .map(|index| options.item(index).unwrap().unchecked_into::<web_sys::Element>().get_attribute("value").unwrap())
        .collect()
}

fn fire(target: &web_sys::EventTarget, event: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    target.dispatch_event(&web_sys::Event::new_with_event_init_dict(event, &init).unwrap()).unwrap();
}

/// Types `value` into the input `testid` and commits it (`input`, then `change`).
pub async fn enter(host: &web_sys::HtmlElement, testid: &str, value: &str) {
    let input: web_sys::HtmlInputElement = find(host, testid);
    input.set_value(value);
    fire(&input, "input");
    fire(&input, "change");
    leptos::task::tick().await;
}

/// Chooses the option with `value` in the drop-down `testid`.
pub async fn choose(host: &web_sys::HtmlElement, testid: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = find(host, testid);
    select.set_value(value);
    fire(&select, "change");
    leptos::task::tick().await;
}
