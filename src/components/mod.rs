//! The pieces of the shell, one module each.

mod cohort;
mod fields;
pub(crate) mod forecast;
mod header;
pub(crate) mod inspector;
pub(crate) mod journeys;
mod palette;
mod policies;
mod popup;
pub(crate) mod results;
mod routing;
mod rule_editor;
mod segment_counter;
#[cfg(all(test, target_arch = "wasm32"))]
mod test_page;
mod timeline;
pub(crate) mod transfer;

pub use forecast::ForecastPanel;
pub use header::Header;
pub use inspector::Inspector;
pub use journeys::JourneysMenu;
pub use palette::Palette;
pub use results::ResultsPanel;
pub use timeline::Timeline;
pub use transfer::{Transfer, import_file};
