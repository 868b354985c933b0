//! The keyboard alone: a journey built from a blank template with key
//! presses only (no clicks, no pointer), focus always on something and
//! visibly marked, and what happens said in the one live region.

use tandem_e2e::{Key, Page, run};

/// The live region's words, waited for until they contain `expected`. The
/// region is visually hidden, so WebDriver's visible text of it is empty:
/// its text content is what a screen reader reads.
async fn announced(page: &Page, expected: &str) -> tandem_e2e::Outcome {
    let started = std::time::Instant::now();
    loop {
        let said = page
            .client()
            .execute("return document.querySelector('[data-testid=announcer]').textContent", vec![])
            .await?;
        if said.as_str().is_some_and(|said| said.contains(expected)) {
            return Ok(());
        }
        assert!(started.elapsed().as_secs() < 30, "the live region says {said}, not {expected:?}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Replaces the focused field's text by typing, as a person does.
async fn retype(page: &Page, text: &str) -> tandem_e2e::Outcome {
    page.chord(Key::Control, 'a').await?;
    page.keyboard_type(text).await
}

/// Fails unless the element with `testid` has focus, and visibly.
async fn focused_on(page: &Page, testid: &str) -> tandem_e2e::Outcome {
    let focused = page.assert_focus_visible().await?;
    assert_eq!(focused, testid, "focus is on {focused:?}, expected {testid:?}");
    Ok(())
}

/// Adds a nurture email at `day` from the palette: the day field, then the
/// palette's email item.
async fn add_email_at(page: &Page, day: u16) -> tandem_e2e::Outcome {
    page.tab_to_testid("palette-day", false).await?;
    retype(page, &day.to_string()).await?;
    page.tab_to_testid("palette-email", true).await?;
    page.key(Key::Enter).await?;
    announced(page, &format!("Added an email at day {day}")).await?;
    focused_on(page, "palette-email").await
}

#[test]
fn a_journey_is_built_forecast_and_exported_with_the_keyboard_alone() {
    run("a_journey_is_built_forecast_and_exported_with_the_keyboard_alone", |page| async move {
        // A blank journey from the journeys menu; closing it puts focus back on its button.
        page.tab_to_testid("journeys-button", false).await?;
        page.key(Key::Enter).await?;
        page.tab_to_testid("new-blank", false).await?;
        page.key(Key::Enter).await?;
        page.wait_for_text_containing("notice", "Started a new journey from “Blank journey”").await?;
        assert!(page.find_all("journeys-menu").await?.is_empty(), "the menu closed");
        focused_on(&page, "journeys-button").await?;
        assert!(page.find_all("step-card").await?.is_empty());

        // Three emails at chosen days.
        for day in [2, 9, 16] {
            add_email_at(&page, day).await?;
        }
        assert_eq!(page.find_all("step-card").await?.len(), 3);

        // The third moves a week on and back three days with the arrows, keeping focus.
        page.tab_to("[data-step-id='step-3']", false).await?;
        page.chord(Key::Shift, Key::Right).await?;
        assert_eq!(page.step_day("step-3").await?, "23");
        for _ in 0..3 {
            page.key(Key::Left).await?;
        }
        assert_eq!(page.step_day("step-3").await?, "20");
        announced(&page, "Moved to day 20").await?;
        focused_on(&page, "step-card").await?;
        let name = page.find_where("step-card", "data-step-id", "step-3").await?.attr("aria-label").await?;
        assert_eq!(name.as_deref(), Some("Email, Day 20: New nurture email"));

        // An SMS attached to the second: select it, then the palette's SMS item.
        page.tab_to("[data-step-id='step-2']", true).await?;
        page.key(Key::Enter).await?;
        page.wait_for_text("inspector-title", "New nurture email").await?;
        page.tab_to_testid("palette-sms", true).await?;
        page.key(Key::Enter).await?;
        announced(&page, "Attached an SMS to New nurture email, day 9").await?;
        focused_on(&page, "palette-sms").await?;
        let sms = page.find_where("sms-card", "data-touchpoint-id", "sms-1").await?;
        assert_eq!(
            sms.attr("aria-label").await?.as_deref(),
            Some("SMS: SMS for New nurture email, on New nurture email, day 9")
        );
        assert_eq!(page.value("edit-sms-step").await?, "step-2");

        // Its trigger, with a typo whose fix is accepted from the keyboard.
        page.tab_to_testid("edit-sms-trigger", false).await?;
        retype(&page, r#"clicks(email, 3d) >= 1 or persnoa == "RevOps""#).await?;
        page.wait_for_text_containing("rule-diagnostic", "did you mean `persona`?").await?;
        page.tab_to_testid("rule-fix", false).await?;
        page.key(Key::Enter).await?;
        page.find("edit-sms-trigger-ok").await?;
        assert_eq!(page.value("edit-sms-trigger").await?, r#"clicks(email, 3d) >= 1 or persona == "RevOps""#);
        focused_on(&page, "edit-sms-trigger").await?;
        // And its eligibility.
        page.tab_to_testid("edit-sms-eligibility", false).await?;
        retype(&page, r#"consent == "opted_in" and stage in ["MQL", "SQL"]"#).await?;
        page.find("edit-sms-eligibility-ok").await?;

        // Quiet hours from 19:00: the Policies tab, then the hour of the start time.
        page.tab_to_testid("tab-policies", true).await?;
        page.key(Key::Enter).await?;
        page.find("policies-panel").await?;
        page.tab_to_testid("quiet-start", false).await?;
        page.key(Key::Down).await?;
        assert_eq!(page.value("quiet-start").await?, "19:00");

        // A forecast, announced with its figures, then pinned as the baseline.
        page.tab_to_testid("forecast-run", false).await?;
        page.key(Key::Enter).await?;
        announced(&page, "Forecast finished for 10,000 contacts: Emails sent").await?;
        focused_on(&page, "forecast-run").await?;
        page.tab_to_testid("forecast-pin", false).await?;
        page.key(Key::Enter).await?;
        announced(&page, "Pinned this run as the baseline").await?;
        page.wait_for_text("forecast-sms-delta", "0").await?;

        // At most one message of any kind a week (the second cap), then a new run against the baseline.
        page.tab_to_testid("cap-max-1", true).await?;
        retype(&page, "1").await?;
        page.key(Key::Tab).await?;
        assert_eq!(page.value("cap-max-1").await?, "1");
        page.tab_to_testid("forecast-run", false).await?;
        page.key(Key::Enter).await?;
        announced(&page, "against the baseline").await?;
        let delta = page.text("forecast-sms-delta").await?;
        assert!(delta.starts_with('−'), "fewer SMS under a weekly cap of one message: {delta}");
        let sms = page.text("forecast-sms").await?;
        announced(&page, &format!("SMS sent {sms} ({delta})")).await?;

        // Export: the panel opens, the download closes it, focus goes back to Export.
        page.tab_to_testid("export", true).await?;
        page.key(Key::Enter).await?;
        page.tab_to_testid("export-tandem", false).await?;
        page.key(Key::Enter).await?;
        let exported = page.downloaded("untitled-journey.tandem.json").await?;
        let document: serde_json::Value = serde_json::from_str(&exported)?;
        assert_eq!(document["steps"].as_array().map(Vec::len), Some(3), "{exported}");
        assert!(page.find_all("export-dialog").await?.is_empty(), "the panel closed");
        focused_on(&page, "export").await?;

        // Escape closes it too, from inside, and focus goes back to Export.
        page.key(Key::Enter).await?;
        page.tab_to_testid("export-mapping", false).await?;
        page.key(Key::Escape).await?;
        assert!(page.find_all("export-dialog").await?.is_empty(), "Escape closed the panel");
        focused_on(&page, "export").await?;
        Ok(())
    });
}

#[test]
fn an_import_with_problems_is_announced_and_an_sms_moves_between_steps_by_keyboard() {
    run("an_import_with_problems_is_announced_and_an_sms_moves_between_steps_by_keyboard", |page| async move {
        page.tab_to_testid("import", false).await?;
        page.key(Key::Enter).await?;
        page.tab_to_testid("import-paste", false).await?;
        page.keyboard_type(r#"{"name": 7}"#).await?;
        page.tab_to_testid("import-paste-button", false).await?;
        page.key(Key::Enter).await?;
        page.find("import-problems").await?;
        announced(&page, "Nothing was imported:").await?;
        announced(&page, "The open journey is unchanged.").await?;
        focused_on(&page, "import-paste-button").await?;
        page.key(Key::Escape).await?;
        assert!(page.find_all("transfer-dialog").await?.is_empty(), "Escape closed the panel");
        focused_on(&page, "import").await?;

        // The pricing guide's SMS goes to the step after it (day 30), then back.
        page.tab_to("[data-touchpoint-id='sms-pricing-intent']", false).await?;
        page.key(Key::Right).await?;
        announced(&page, "to ROI calculator: your payback in minutes, day 30").await?;
        focused_on(&page, "sms-card").await?;
        page.key(Key::Left).await?;
        announced(&page, "to Pricing guide: plans by team size, day 23").await?;
        let name =
            page.find_where("sms-card", "data-touchpoint-id", "sms-pricing-intent").await?.attr("aria-label").await?;
        assert!(name.is_some_and(|name| name.ends_with(", on Pricing guide: plans by team size, day 23")));

        // Delete puts focus on the lane the card was in.
        page.key(Key::Delete).await?;
        assert_eq!(page.find_all("sms-card").await?.len(), 3);
        focused_on(&page, "lane-sms").await
    });
}
