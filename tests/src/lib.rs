//! The end-to-end harness: the built app served from `dist/` on a free
//! loopback port, driven in headless Chromium through ChromeDriver the way a
//! person would use it.
//!
//! Each test gets its own server, driver and browser profile (so an empty
//! local storage) through [`run`], which also fails the test on any browser
//! console error and, when a test fails, saves a screenshot and the DOM
//! under `target/e2e-artifacts/<test>/`. Everything started is stopped
//! again, even when the test panics.

mod driver;
mod page;

pub use driver::Session;
pub use fantoccini::key::Key;
pub use page::Page;

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;

use futures_util::FutureExt;

/// What a test body returns: `?` works on every harness call.
pub type Outcome = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// The workspace root, where `dist/` and `target/` live.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is inside the workspace").to_path_buf()
}

/// Runs one end-to-end test against a fresh browser session.
pub fn run<F, Fut>(name: &str, test: F)
where
    F: FnOnce(Page) -> Fut,
    Fut: Future<Output = Outcome>,
{
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a tokio runtime");
    runtime.block_on(async {
        let session =
            driver::Session::start().await.unwrap_or_else(|error| panic!("could not start the browser: {error}"));
        let page = session.page();
        let outcome = AssertUnwindSafe(async {
            page.open_app().await?;
            test(page.clone()).await
        })
        .catch_unwind()
        .await;
        let mut failure = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(error)) => Some(error.to_string()),
            Err(panic) => Some(
                panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|text| text.to_string()))
                    .unwrap_or_else(|| "the test panicked".into()),
            ),
        };
        match page.console_errors().await {
            Ok(errors) if errors.is_empty() => {}
            Ok(errors) => {
                failure =
                    Some(format!("{}\nbrowser console errors:\n  {}", failure.unwrap_or_default(), errors.join("\n  ")))
            }
            Err(error) => failure = failure.or(Some(format!("could not read the browser console: {error}"))),
        }
        if let Some(failure) = failure {
            let saved = page.save_artifacts(name).await;
            session.stop().await;
            panic!("{name} failed: {failure}\n{saved}");
        }
        session.stop().await;
    });
}
