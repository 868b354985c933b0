//! The parts of the page that are not needed at first paint. A release
//! build splits each function marked `#[cfg_attr(tandem_split,
//! leptos::lazy)]` into its own WebAssembly module (see ARCHITECTURE.md,
//! "The split page"), so the first download is only what the first paint
//! needs. Right after that paint every part is fetched in the background,
//! most likely first: a click never waits on the network, and the app
//! keeps working if the connection drops later. Without the cfg (debug
//! builds, tests) those functions are plain `async fn`s and there is
//! nothing to fetch.

/// Starts fetching every lazily loaded part, one after another.
pub fn fetch_in_background() {
    #[cfg(tandem_split)]
    leptos::task::spawn_local(async {
        use crate::components::{forecast, inspector, results, transfer};
        inspector::__preload_selection_editor().await;
        inspector::__preload_tab_panel().await;
        crate::forecast::__preload_receive_message().await;
        forecast::__preload_finished_run_view().await;
        forecast::__preload_explorer_view().await;
        results::__preload_scorecard().await;
        crate::library::__preload_save_history_states().await;
        transfer::__preload_journey_link().await;
        transfer::__preload_export_for().await;
        forecast::run::__preload_report_html().await;
    });
}
