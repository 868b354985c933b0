//! The parts of the page that are not needed at first paint. A release
//! build splits each function marked `#[cfg_attr(tandem_split,
//! leptos::lazy)]` into its own WebAssembly module (see ARCHITECTURE.md,
//! "Build and test"), so the first download is only what the first paint
//! needs. Right after that paint every part is fetched in the background,
//! all at once: a click never waits on the network, and the app keeps
//! working if the connection drops later.
//!
//! A part that draws is drawn synchronously, like any other view, once the
//! parts are here ([`draw`]); before that it shows a short placeholder that
//! gives way to it. (Drawing through `Suspend` instead let a view finish
//! after the user had moved on and its owner was gone.) Without the cfg
//! (debug builds, tests) the parts are plain `async fn`s, here from the
//! start.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use leptos::prelude::*;

thread_local! {
    /// Whether every part's code is here.
    static READY: ArcRwSignal<bool> = ArcRwSignal::new(cfg!(not(tandem_split)));
}

/// Starts fetching every lazily loaded part, all at once (the browser
/// fetches them side by side; code two parts share is fetched once), and
/// marks them ready when all are here. Every function marked lazy is
/// listed: a part drawn through [`draw`] but missing here would stay
/// "Loading…".
pub fn fetch_in_background() {
    #[cfg(tandem_split)]
    {
        use std::cell::Cell;
        use std::pin::Pin;
        use std::rc::Rc;

        use crate::components::{forecast, inspector, journeys, results, transfer};
        let parts: Vec<Pin<Box<dyn Future<Output = ()>>>> = vec![
            Box::pin(inspector::__preload_selection_editor()),
            Box::pin(inspector::__preload_tab_panel()),
            Box::pin(crate::forecast::__preload_receive_message()),
            Box::pin(crate::forecast::__preload_prepare_run()),
            Box::pin(forecast::__preload_finished_run_view()),
            Box::pin(forecast::__preload_explorer_view()),
            Box::pin(results::__preload_scorecard()),
            Box::pin(crate::library::__preload_save_history_states()),
            Box::pin(crate::library::__preload_read_links()),
            Box::pin(journeys::__preload_journeys_panel()),
            Box::pin(transfer::__preload_import_panel()),
            Box::pin(transfer::__preload_export_panel()),
            Box::pin(transfer::__preload_journey_link()),
            Box::pin(transfer::__preload_export_for()),
            Box::pin(forecast::run::__preload_report_html()),
        ];
        let left = Rc::new(Cell::new(parts.len()));
        for part in parts {
            let left = Rc::clone(&left);
            leptos::task::spawn_local(async move {
                part.await;
                left.set(left.get() - 1);
                if left.get() == 0 {
                    READY.with(|ready| ready.set(true));
                }
            });
        }
    }
}

/// A lazily loaded part's view, drawn at once when the parts are here
/// (reading that is tracked, so a reactive caller draws it when they
/// arrive), else a placeholder. The part is built untracked, as a
/// component's body is.
pub fn draw<F: Future<Output = AnyView>>(part: impl FnOnce() -> F) -> AnyView {
    if READY.with(ArcRwSignal::get) {
        // Here, the part's future has nothing to wait for.
        if let Some(view) = untrack(|| now(part())) {
            return view;
        }
    }
    // Not a live region: the shell has the only one (announce.rs).
    view! { <p class="empty-state">"Loading…"</p> }.into_any()
}

/// The output of a future that needs no waiting, or `None`.
fn now<T>(future: impl Future<Output = T>) -> Option<T> {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}
