//! Self-tests of the harness: a check that cannot fail checks nothing, so
//! prove that a console error fails a test and leaves its artifacts behind.

use std::panic;

use tandem_e2e::{run, workspace_root};

#[test]
fn a_console_error_fails_the_test_and_saves_a_screenshot_and_the_dom() {
    let name = "harness_self_test_console_error";
    let artifacts = workspace_root().join("target").join("e2e-artifacts").join(name);
    let _ = std::fs::remove_dir_all(&artifacts);

    let outcome = panic::catch_unwind(|| {
        run(name, |page| async move {
            page.client().execute("console.error('deliberate failure from the harness self-test')", vec![]).await?;
            Ok(())
        })
    });

    let message = match outcome {
        Ok(()) => panic!("a console error did not fail the test"),
        Err(panic) => panic.downcast_ref::<String>().cloned().unwrap_or_default(),
    };
    assert!(
        message.contains("deliberate failure from the harness self-test"),
        "the failure names the error: {message}"
    );
    assert!(artifacts.join("screenshot.png").is_file(), "a screenshot was saved in {}", artifacts.display());
    let dom = std::fs::read_to_string(artifacts.join("dom.html")).expect("the DOM was saved");
    assert!(dom.contains("data-testid=\"timeline\""), "the saved DOM is the app's");
}
