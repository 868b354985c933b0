//! Tandem's browser app: a thin Leptos layer over `tandem_engine`.
//!
//! Components read plain data from the engine and send it [`Edit`]s through
//! [`designer::Designer`]; they hold no domain rules of their own. The code
//! that decides where things sit on screen is pure ([`timeline_layout`]) so
//! it is tested natively.
//!
//! [`Edit`]: tandem_engine::Edit

pub mod announce;
pub mod app;
pub mod carry;
pub mod components;
pub mod crash;
pub mod designer;
pub mod files;
pub mod forecast;
pub mod history;
pub mod lazy_parts;
pub mod library;
pub mod plot;
pub mod protocol;
pub mod report;
pub mod rule_builder;
pub mod storage;
pub mod timeline_layout;
pub mod worker;

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the app on the page's body, once what it opens with is read
/// ([`library::startup`]).
pub fn start() {
    crash::install();
    wasm_bindgen_futures::spawn_local(async {
        let startup = library::startup().await;
        leptos::mount::mount_to_body(move || leptos::prelude::view! { <app::App startup /> });
        lazy_parts::fetch_in_background();
    });
}
