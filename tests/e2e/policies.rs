//! The policies and routing panels: legal windows only loosen with the
//! override, caps and SLAs edit in place, the handoff card follows its fields.

use tandem_e2e::{Key, Page, run};

/// Sets a time field as its picker would, and commits it.
async fn set_time(page: &Page, testid: &str, value: &str) -> tandem_e2e::Outcome {
    let field = page.find(testid).await?;
    page.client()
        .execute(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            vec![serde_json::to_value(&field)?, serde_json::json!(value)],
        )
        .await?;
    Ok(())
}

#[test]
fn legal_windows_tighten_freely_and_loosen_only_with_the_override() {
    run("legal_windows_tighten_freely_and_loosen_only_with_the_override", |page| async move {
        page.click("tab-policies").await?;
        page.click("legal-windows-toggle").await?;
        let florida = page.find_where("legal-row", "data-jurisdiction", "FL").await?;
        assert!(florida.text().await?.contains("Fla. Stat. §501.616(6)"), "each row shows its source");
        let rhode_island = page.find_where("legal-row", "data-jurisdiction", "RI").await?.text().await?;
        assert!(
            rhode_island.contains("Saturday 10:00–17:00, Sunday closed, closed on holidays"),
            "each row shows its days, hours and holidays: {rhode_island}"
        );
        assert!(rhode_island.contains("Victory Day (R.I. Gen. Laws §25-1-1"), "and which holidays: {rhode_island}");
        let kentucky = page.find_where("legal-row", "data-jurisdiction", "KY").await?.text().await?;
        assert!(kentucky.contains("medium confidence"), "{kentucky}");

        // Florida is row 2: its weekday start.
        set_time(&page, "legal-start-2", "09:30").await?;
        assert_eq!(page.value("legal-start-2").await?, "09:30");

        set_time(&page, "legal-start-2", "07:00").await?;
        page.wait_for_text_containing("notice", "tick the override to loosen legal windows").await?;
        assert_eq!(page.value("legal-start-2").await?, "09:30", "the looser time was refused");

        // Closing the federal Saturday tightens; opening Utah's Sunday (row 15) loosens.
        page.click("legal-sat-closed-0").await?;
        page.wait_for_text_containing("legal-schedule-0", "Saturday closed").await?;
        page.click("legal-sun-closed-15").await?;
        page.wait_for_text_containing("notice", "looser than the default closed").await?;
        page.wait_for_text_containing("legal-schedule-15", "Sunday closed").await?;

        page.click("loosen-override").await?;
        set_time(&page, "legal-start-2", "07:00").await?;
        assert_eq!(page.value("legal-start-2").await?, "07:00");

        // Each of these is one undo step.
        page.click("undo").await?;
        page.click("undo").await?;
        page.click("undo").await?;
        page.click("undo").await?;
        assert_eq!(page.value("legal-start-2").await?, "08:00");
        page.wait_for_text_containing("legal-schedule-0", "daily 08:00–21:00").await
    });
}

#[test]
fn caps_and_slas_edit_in_place_and_the_handoff_card_follows_its_fields() {
    run("caps_and_slas_edit_in_place_and_the_handoff_card_follows_its_fields", |page| async move {
        page.click("tab-policies").await?;
        page.type_into("cap-max-0", "1").await?;
        page.press(&Key::Tab.to_string()).await?;
        assert_eq!(page.value("cap-max-0").await?, "1");
        page.type_into("cap-max-0", "0").await?;
        page.press(&Key::Tab.to_string()).await?;
        page.wait_for_text_containing("notice", "must be a whole number from 1 to 1000").await?;
        assert_eq!(page.value("cap-max-0").await?, "1");

        page.click("tab-routing").await?;
        page.type_into("sla-high-intent", "30").await?;
        page.press(&Key::Tab.to_string()).await?;
        assert_eq!(page.value("sla-high-intent").await?, "30");
        // Labels are shown in capitals; compare without case.
        let preview = page.text("handoff-preview").await?.to_lowercase();
        assert!(preview.contains("recommended next step") && preview.contains("tell us what you prefer"), "{preview}");
        page.click("handoff-RecommendedNextStep").await?;
        let preview = page.text("handoff-preview").await?.to_lowercase();
        assert!(!preview.contains("recommended next step"), "{preview}");

        // Selecting a card brings the inspector back.
        page.find_where("step-card", "data-step-id", "welcome").await?.click().await?;
        page.wait_for_text("inspector-title", "Welcome to the Revenue Alignment series").await
    });
}

#[test]
fn a_full_storage_is_said_plainly_and_nothing_crashes() {
    run("a_full_storage_is_said_plainly_and_nothing_crashes", |page| async move {
        page.client()
            .execute(
                "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };",
                vec![],
            )
            .await?;
        page.type_into("journey-name", "Unsaved work").await?;
        page.press(&Key::Tab.to_string()).await?;
        page.wait_for_text_containing("save-status", "Not saved").await?;
        page.wait_for_text_containing("notice", "Export the journey to keep it").await?;
        // Editing still works, and export still offers the work.
        let card = page.find_where("step-card", "data-step-id", "case-study").await?;
        page.drag_by(&card, 14.0, 0.0).await?;
        page.click("export").await?;
        page.click("export-tandem").await?;
        let exported = page.downloaded("unsaved-work.tandem.json").await?;
        assert!(exported.contains("\"Unsaved work\""));
        Ok(())
    });
}

#[test]
fn a_storage_that_throws_something_odd_is_said_plainly_and_nothing_crashes() {
    run("a_storage_that_throws_something_odd_is_said_plainly_and_nothing_crashes", |page| async move {
        page.client()
            .execute(
                "for (const m of ['getItem', 'setItem', 'removeItem', 'key']) { Storage.prototype[m] = function () { throw 'refused'; }; }",
                vec![],
            )
            .await?;
        page.type_into("journey-name", "Unsaved work").await?;
        page.press(&Key::Tab.to_string()).await?;
        page.wait_for_text_containing("save-status", "Not saved: the browser's storage failed (refused)").await?;
        page.click("journeys-button").await?;
        page.find("journeys-menu").await?;
        page.click("export").await?;
        page.click("export-tandem").await?;
        assert!(page.downloaded("unsaved-work.tandem.json").await?.contains("\"Unsaved work\""));
        Ok(())
    });
}

#[test]
fn the_maturity_scorecard_follows_the_policies() {
    run("the_maturity_scorecard_follows_the_policies", |page| async move {
        let stage =
            |page: Page| async move { page.find("maturity-timing").await.unwrap().attr("data-stage").await.unwrap() };
        assert_eq!(stage(page.clone()).await.as_deref(), Some("3"));
        page.click("tab-policies").await?;
        page.click("quiet-hours-on").await?;
        assert_eq!(stage(page.clone()).await.as_deref(), Some("2"));
        let timing = page.text("maturity-timing").await?;
        assert!(timing.contains("add quiet hours to reach Stage 3"), "{timing}");
        page.click("quiet-hours-on").await?;
        assert_eq!(stage(page.clone()).await.as_deref(), Some("3"));
        Ok(())
    });
}
