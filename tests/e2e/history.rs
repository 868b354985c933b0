//! Undo and redo, from the toolbar and the keyboard.

use tandem_e2e::{Key, run};

#[test]
fn a_drag_is_undone_and_redone_from_the_toolbar_and_the_keyboard() {
    run("a_drag_is_undone_and_redone_from_the_toolbar_and_the_keyboard", |page| async move {
        assert_eq!(page.find("undo").await?.attr("disabled").await?.as_deref(), Some("true"), "nothing to undo yet");
        let card = page.find_where("step-card", "data-step-id", "customer-proof").await?;
        page.drag_by(&card, 3.0 * 14.0, 0.0).await?;
        assert_eq!(page.step_day("customer-proof").await?, "40");

        page.click("undo").await?;
        assert_eq!(page.step_day("customer-proof").await?, "37");
        page.click("redo").await?;
        assert_eq!(page.step_day("customer-proof").await?, "40");

        // The card has focus after the drag; the shortcut works from there.
        page.find_where("step-card", "data-step-id", "customer-proof").await?.click().await?;
        page.press(&format!("{}z{}", Key::Control, Key::Null)).await?;
        assert_eq!(page.step_day("customer-proof").await?, "37");
        page.press(&format!("{}{}z{}", Key::Control, Key::Shift, Key::Null)).await?;
        assert_eq!(page.step_day("customer-proof").await?, "40");
        Ok(())
    });
}
