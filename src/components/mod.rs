//! The pieces of the shell, one module each.

mod header;
mod inspector;
mod journeys;
mod palette;
mod results;
mod rule_editor;
mod segment_counter;
mod timeline;
mod transfer;

pub use header::Header;
pub use inspector::Inspector;
pub use journeys::JourneysMenu;
pub use palette::Palette;
pub use results::ResultsPanel;
pub use timeline::Timeline;
pub use transfer::{Transfer, import_file};
