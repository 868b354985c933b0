//! End-to-end tests of the built app, one module per area. Each test opens
//! the app in a fresh browser profile through `tandem_e2e::run`.

mod accessibility;
mod designer;
mod exporting;
mod forecast;
mod harness;
mod history;
mod keyboard;
mod layout;
mod policies;
mod saving;
mod shell;
