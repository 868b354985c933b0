//! Building a journey as a person does: carrying steps and SMS from the
//! palette, editing rules with live diagnostics, moving cards with the
//! keyboard, and hostile text shown as text.

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use tandem_e2e::{Key, Page, run};

/// The px per day of the timeline (`timeline_layout::PX_PER_DAY`).
const PX_PER_DAY: f64 = 14.0;

/// The page point over `day` in the Nurture lane, near its top (always in view).
async fn nurture_point(page: &Page, day: u16) -> (f64, f64) {
    let (left, top, _, _) = page.find("lane-nurture").await.unwrap().rectangle().await.unwrap();
    (left + f64::from(day) * PX_PER_DAY + PX_PER_DAY / 2.0, top + 20.0)
}

#[test]
fn a_step_dragged_from_the_palette_lands_on_its_day_and_moves_again() {
    run("a_step_dragged_from_the_palette_lands_on_its_day_and_moves_again", |page| async move {
        let steps = page.find_all("step-card").await?.len();
        let (x, y) = nurture_point(&page, 12).await;
        let email = page.find("palette-email").await?;
        page.drag_to_point(&email, x, y).await?;
        assert_eq!(page.find_all("step-card").await?.len(), steps + 1);
        assert_eq!(page.step_day("step-1").await?, "12");
        page.wait_for_text("inspector-title", "New nurture email").await?;

        let card = page.find_where("step-card", "data-step-id", "step-1").await?;
        page.drag_by(&card, 8.0 * PX_PER_DAY, 0.0).await?;
        assert_eq!(page.step_day("step-1").await?, "20");
        assert_eq!(page.value("edit-step-day").await?, "20");

        // Escape cancels a carry: nothing is added.
        let email = page.find("palette-email").await?;
        let pointer = MouseActions::new("pointer".into())
            .then(PointerAction::MoveToElement { element: email, duration: None, x: 0.0, y: 0.0 })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::MoveBy { duration: None, x: 300.0, y: 40.0 });
        page.client().perform_actions(pointer).await?;
        page.find("drag-ghost").await?;
        page.press(&Key::Escape.to_string()).await?;
        page.client().release_actions().await?;
        assert_eq!(page.find_all("step-card").await?.len(), steps + 1);
        Ok(())
    });
}

#[test]
fn an_sms_dropped_on_a_step_attaches_to_it_and_can_be_carried_to_another() {
    run("an_sms_dropped_on_a_step_attaches_to_it_and_can_be_carried_to_another", |page| async move {
        let sms = page.find("palette-sms").await?;
        let target = page.find_where("step-card", "data-step-id", "case-study").await?;
        page.drag_to(&sms, &target).await?;
        let card = page.find_where("sms-card", "data-touchpoint-id", "sms-1").await?;
        assert_eq!(page.value("edit-sms-step").await?, "case-study");

        let other = page.find_where("step-card", "data-step-id", "webinar-invite").await?;
        page.drag_to(&card, &other).await?;
        page.find_where("sms-card", "data-touchpoint-id", "sms-1").await?.click().await?;
        assert_eq!(page.value("edit-sms-step").await?, "webinar-invite");
        // The SMS was made from case-study's story; the webinar invite tells another.
        page.find("narrative-warning").await?;
        page.click("use-step-story").await?;
        assert!(page.find_all("narrative-warning").await?.is_empty());
        Ok(())
    });
}

#[test]
fn a_rule_typo_is_diagnosed_where_it_is_and_clears_when_fixed() {
    run("a_rule_typo_is_diagnosed_where_it_is_and_clears_when_fixed", |page| async move {
        page.find_where("sms-card", "data-touchpoint-id", "sms-pricing-intent").await?.click().await?;
        let original = page.value("edit-sms-trigger").await?;
        page.type_into("edit-sms-trigger", r#"persnoa == "RevOps" and stage == "MQL""#).await?;
        page.wait_for_text_containing("rule-diagnostic", "unknown attribute `persnoa` — did you mean `persona`?")
            .await?;
        let diagnostic = page.find("rule-diagnostic").await?;
        assert_eq!(diagnostic.attr("data-start").await?.as_deref(), Some("0"));
        assert_eq!(diagnostic.attr("data-end").await?.as_deref(), Some("7"));
        assert_eq!(page.text("rule-mark").await?, "persnoa");
        // Kept as typed, errors and all.
        assert_eq!(page.value("edit-sms-trigger").await?, r#"persnoa == "RevOps" and stage == "MQL""#);

        page.click("rule-fix").await?;
        page.find("edit-sms-trigger-ok").await?;
        assert_eq!(page.value("edit-sms-trigger").await?, r#"persona == "RevOps" and stage == "MQL""#);
        assert!(page.find_all("rule-diagnostic").await?.is_empty());

        // The fix, then the whole typing burst, undo in two steps.
        page.click("undo").await?;
        page.wait_for_text_containing("rule-diagnostic", "persnoa").await?;
        page.click("undo").await?;
        page.find("edit-sms-trigger-ok").await?;
        assert_eq!(page.value("edit-sms-trigger").await?, original);
        Ok(())
    });
}

#[test]
fn cards_move_and_go_with_the_keyboard_and_come_back_with_undo() {
    run("cards_move_and_go_with_the_keyboard_and_come_back_with_undo", |page| async move {
        page.find_where("step-card", "data-step-id", "pricing-guide").await?.click().await?;
        page.press(&Key::Right.to_string()).await?;
        assert_eq!(page.step_day("pricing-guide").await?, "24");
        page.press(&format!("{}{}{}", Key::Shift, Key::Right, Key::Null)).await?;
        assert_eq!(page.step_day("pricing-guide").await?, "31");
        page.press(&Key::Left.to_string()).await?;
        assert_eq!(page.step_day("pricing-guide").await?, "30");
        // The card kept focus through the moves, so Delete removes it and its SMS.
        page.press(&Key::Delete.to_string()).await?;
        assert!(page.find_all("step-card").await?.len() == 9);
        assert!(page.find_all("sms-card").await?.len() == 3);
        page.click("undo").await?;
        assert_eq!(page.step_day("pricing-guide").await?, "30");
        assert_eq!(page.find_all("sms-card").await?.len(), 4);

        // Keyboard alternative to the palette: add an email at a typed day.
        page.type_into("palette-day", "42").await?;
        page.find("palette-email").await?.send_keys(&Key::Enter.to_string()).await?;
        assert_eq!(page.step_day("step-1").await?, "42");
        Ok(())
    });
}

#[test]
fn the_sms_body_shows_its_segments_and_the_inspector_edits_fields() {
    run("the_sms_body_shows_its_segments_and_the_inspector_edits_fields", |page| async move {
        page.find_where("sms-card", "data-touchpoint-id", "sms-demo-coordination").await?.click().await?;
        page.type_into("edit-sms-body", "Brightline: does Tue suit you? Reply STOP to opt out.").await?;
        page.wait_for_text("segment-counter", "53 characters · GSM-7 · 1 segment (160 per segment)").await?;
        page.type_into("edit-sms-body", "Brightline: does Tue suit you — or Wed? Reply STOP to opt out.").await?;
        page.wait_for_text_containing("segment-counter", "UCS-2").await?;
        page.wait_for_text_containing("segment-warning", "“—” is not in the GSM alphabet").await?;

        page.type_into("edit-sms-name", "Demo slot picker").await?;
        page.wait_for_text("inspector-title", "Demo slot picker").await?;
        let card = page.find_where("sms-card", "data-touchpoint-id", "sms-demo-coordination").await?;
        assert!(card.text().await?.contains("Demo slot picker"));
        Ok(())
    });
}

#[test]
fn a_hostile_name_is_shown_as_text_and_runs_nothing() {
    run("a_hostile_name_is_shown_as_text_and_runs_nothing", |page| async move {
        let hostile = r#"<img src=x onerror=alert(1)><script>alert(2)</script>"#;
        page.type_into("journey-name", hostile).await?;
        page.press(&Key::Tab.to_string()).await?;
        page.click("journeys-button").await?;
        let saved = page.find("saved-journey").await?;
        assert!(saved.text().await?.contains(hostile), "{}", saved.text().await?);
        page.find_where("step-card", "data-step-id", "welcome").await?.click().await?;
        page.type_into("edit-step-name", hostile).await?;
        page.wait_for_text("inspector-title", hostile).await?;
        let images =
            page.client().execute("return document.querySelectorAll('img, script:not([src])').length", vec![]).await?;
        assert_eq!(images, serde_json::json!(0), "no element was made from the text");
        assert!(page.client().get_alert_text().await.is_err(), "no alert ran");
        Ok(())
    });
}

#[test]
fn zooming_changes_the_scale_and_drags_follow_it() {
    run("zooming_changes_the_scale_and_drags_follow_it", |page| async move {
        let width = |page: Page| async move { page.find("timeline").await.unwrap().rectangle().await.unwrap().2 };
        let weeks = width(page.clone()).await;
        page.click("zoom-days").await?;
        let days = width(page.clone()).await;
        assert!(days > weeks * 2.0, "days {days} vs weeks {weeks}");
        let card = page.find_where("step-card", "data-step-id", "case-study").await?;
        page.drag_by(&card, 2.0 * 36.0, 0.0).await?;
        assert_eq!(page.step_day("case-study").await?, "6");
        page.click("zoom-fit").await?;
        assert!(width(page.clone()).await < weeks, "the whole journey fits");
        assert_eq!(page.step_day("case-study").await?, "6");
        Ok(())
    });
}

#[test]
fn the_rule_builder_edits_the_same_rule_as_the_text() {
    run("the_rule_builder_edits_the_same_rule_as_the_text", |page| async move {
        page.find_where("sms-card", "data-touchpoint-id", "sms-pricing-intent").await?.click().await?;
        page.click("edit-sms-eligibility-mode-builder").await?;
        let rows = page.find_all("builder-row").await?;
        assert_eq!(rows.len(), 3, "consent, persona and industry risk");
        let values = page.find_all("builder-value").await?;
        values[1].click().await?;
        values[1].send_keys(&format!("{}a{}", Key::Control, Key::Null)).await?;
        values[1].send_keys(r#"["VP Sales", "RevOps", "Founder"]"#).await?;
        values[1].send_keys(&Key::Tab.to_string()).await?;
        let expected =
            r#"consent == "opted_in" and persona in ["VP Sales", "RevOps", "Founder"] and industry_risk != "high""#;
        assert_eq!(page.value("edit-sms-eligibility").await?, expected);

        page.click("builder-add-row").await?;
        assert_eq!(page.find_all("builder-row").await?.len(), 4);
        assert_eq!(page.value("edit-sms-eligibility").await?, format!(r#"{expected} and consent == "opted_in""#));
        page.find_all("builder-remove").await?.last().unwrap().click().await?;
        assert_eq!(page.value("edit-sms-eligibility").await?, expected);

        page.click("edit-sms-eligibility-mode-text").await?;
        assert!(page.find_all("builder-row").await?.is_empty());
        page.find("edit-sms-eligibility-ok").await?;
        page.click("undo").await?;
        page.click("undo").await?;
        page.click("undo").await?;
        assert_eq!(
            page.value("edit-sms-eligibility").await?,
            r#"consent == "opted_in" and persona in ["VP Sales", "RevOps"] and industry_risk != "high""#
        );
        Ok(())
    });
}
