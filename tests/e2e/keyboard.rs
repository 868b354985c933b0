//! The keyboard alone: a journey built from a blank template with key
//! presses only (no clicks, no pointer), focus always on something and
//! visibly marked, and what happens said in the one live region. Also what
//! a keyboard user pays and meets on the way: Tab presses through the
//! Policies panel, the inspector's tabs, panels that take focus when they
//! open, an enlarged chart closed with Escape, the funnels' rows.

use tandem_e2e::{Key, Page, run};

use crate::forecast::finished;

/// At most this many presses of Tab cross the Policies panel from its tab
/// to the results (the legal windows folded, as the panel opens).
const POLICIES_TAB_STOPS: usize = 50;

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

        // Quiet hours from 19:00: the Policies tab (the arrow from the selected tab), then the hour of the start time.
        page.tab_to_testid("tab-inspector", true).await?;
        page.key(Key::Right).await?;
        page.find("policies-panel").await?;
        focused_on(&page, "tab-policies").await?;
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

/// The value of `attribute` on the element with `testid`.
async fn attribute(
    page: &Page,
    testid: &str,
    attribute: &str,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    Ok(page.find(testid).await?.attr(attribute).await?.unwrap_or_default())
}

#[test]
fn the_policies_panel_is_crossed_in_a_few_tabs_and_its_legal_windows_open_and_edit_by_keyboard() {
    run(
        "the_policies_panel_is_crossed_in_a_few_tabs_and_its_legal_windows_open_and_edit_by_keyboard",
        |page| async move {
            page.tab_to_testid("tab-inspector", false).await?;
            page.key(Key::Right).await?;
            page.find("policies-panel").await?;
            let presses = page.tabs_to("[data-testid='results'] *", false).await?;
            eprintln!("Tab presses from the Policies tab to the results: {presses}");
            assert!(presses <= POLICIES_TAB_STOPS, "{presses} presses of Tab to get through the Policies panel");
            page.wait_for_text("legal-summary", "17 jurisdictions, none looser than the legal defaults").await?;

            // The override on, then the summary opens the table.
            page.tab_to_testid("loosen-override", true).await?;
            page.key(' ').await?;
            page.tab_to_testid("legal-windows-toggle", true).await?;
            page.key(Key::Enter).await?;
            assert!(page.find("legal-windows").await?.attr("open").await?.is_some(), "Enter opened the legal windows");
            // An hour earlier on federal weekdays (the first field after the summary) is looser, which the summary says.
            page.tab_to_testid("legal-start-0", false).await?;
            page.key(Key::Down).await?;
            assert_eq!(page.value("legal-start-0").await?, "07:00");
            page.wait_for_text("legal-summary", "17 jurisdictions, looser than the legal defaults: Federal").await?;
            focused_on(&page, "legal-start-0").await?;
            // A row's day closes with Space, and focus stays on it.
            page.tab_to_testid("legal-sat-closed-0", false).await?;
            page.key(' ').await?;
            page.wait_for_text_containing("legal-schedule-0", "Saturday closed").await?;
            focused_on(&page, "legal-sat-closed-0").await?;

            // Enter on the summary folds the table again: one stop once more.
            page.tab_to_testid("legal-windows-toggle", true).await?;
            page.key(Key::Enter).await?;
            assert!(page.find("legal-windows").await?.attr("open").await?.is_none(), "Enter folded the legal windows");
            // What folding saves: the stops of the open table, from its summary to the override after it.
            page.key(Key::Enter).await?;
            let open = page.tabs_to_testid("loosen-override", false).await?;
            eprintln!("Tab presses across the open legal windows, summary to override: {open}");
            assert!(
                open > presses,
                "the open table ({open} presses) costs more than the whole folded panel ({presses})"
            );
            Ok(())
        },
    );
}

#[test]
fn the_inspector_tabs_are_one_stop_and_the_arrows_home_and_end_move_between_them() {
    run("the_inspector_tabs_are_one_stop_and_the_arrows_home_and_end_move_between_them", |page| async move {
        page.tab_to_testid("tab-inspector", false).await?;
        for (key, tab, shown) in [
            (Key::Right, "tab-policies", "policies-panel"),
            (Key::End, "tab-cohort", "cohort-consent-0"),
            (Key::Right, "tab-inspector", "tab-inspector"),
            (Key::Left, "tab-cohort", "cohort-consent-0"),
            (Key::Left, "tab-routing", "handoff-preview"),
            (Key::Home, "tab-inspector", "tab-inspector"),
        ] {
            page.key(key).await?;
            focused_on(&page, tab).await?;
            page.find(shown).await?;
            let state = page
                .client()
                .execute(
                    "const tabs = [...document.querySelectorAll('[role=tab]')];\
                     const panel = document.querySelector('[role=tabpanel]');\
                     return { selected: tabs.filter(tab => tab.getAttribute('aria-selected') === 'true').map(tab => tab.id),\
                       tabbable: tabs.filter(tab => tab.tabIndex === 0).map(tab => tab.id),\
                       controls: document.activeElement.getAttribute('aria-controls'),\
                       panel: panel.id, labelledby: panel.getAttribute('aria-labelledby') };",
                    vec![],
                )
                .await?;
            let expected = serde_json::json!({
                "selected": [tab], "tabbable": [tab], "controls": format!("{tab}-panel"),
                "panel": format!("{tab}-panel"), "labelledby": tab,
            });
            assert_eq!(state, expected, "after {key:?}");
        }
        // Tab leaves the tab list from the selected tab.
        page.key(Key::Right).await?;
        page.key(Key::Tab).await?;
        let role = page.client().execute("return document.activeElement.getAttribute('role')", vec![]).await?;
        assert_ne!(role, serde_json::json!("tab"), "one Tab leaves the tabs");
        page.assert_focus_visible().await?;
        Ok(())
    });
}

#[test]
fn the_journeys_import_and_export_panels_take_focus_when_opened_and_give_it_back_when_closed() {
    run(
        "the_journeys_import_and_export_panels_take_focus_when_opened_and_give_it_back_when_closed",
        |page| async move {
            for (button, panel) in
                [("journeys-button", "journeys-menu"), ("import", "transfer-dialog"), ("export", "export-dialog")]
            {
                page.tab_to_testid(button, false).await?;
                page.key(Key::Enter).await?;
                page.find(panel).await?;
                let script = format!(
                    "const active = document.activeElement;\
                     return active.closest('[data-testid={panel}]') !== null && active.matches('h2:first-of-type')"
                );
                assert_eq!(
                    page.client().execute(&script, vec![]).await?,
                    serde_json::json!(true),
                    "{panel} took focus"
                );
                page.assert_focus_visible().await?;
                // Tab goes on to the panel's controls.
                page.key(Key::Tab).await?;
                let inside = format!("return document.activeElement.closest('[data-testid={panel}]') !== null");
                assert_eq!(
                    page.client().execute(&inside, vec![]).await?,
                    serde_json::json!(true),
                    "Tab stays in {panel}"
                );
                page.key(Key::Escape).await?;
                assert!(page.find_all(panel).await?.is_empty(), "Escape closed {panel}");
                focused_on(&page, button).await?;
            }
            Ok(())
        },
    );
}

#[test]
fn escape_closes_an_enlarged_chart_and_focus_returns_to_its_enlarge_button() {
    run("escape_closes_an_enlarged_chart_and_focus_returns_to_its_enlarge_button", |page| async move {
        finished(&page, 10_000).await?;
        page.tab_to_testid("chart-hours-enlarge", false).await?;
        page.key(Key::Enter).await?;
        assert!(attribute(&page, "chart-hours", "class").await?.contains("enlarged"));
        page.tab_to_testid("chart-hours-csv", false).await?;
        page.key(Key::Escape).await?;
        assert!(!attribute(&page, "chart-hours", "class").await?.contains("enlarged"), "Escape closed the chart");
        focused_on(&page, "chart-hours-enlarge").await?;
        assert_eq!(page.text("chart-hours-enlarge").await?, "Enlarge");
        Ok(())
    });
}

#[test]
fn a_funnel_row_opens_in_the_inspector_from_the_keyboard_and_says_so() {
    run("a_funnel_row_opens_in_the_inspector_from_the_keyboard_and_says_so", |page| async move {
        finished(&page, 10_000).await?;
        let focused_text = "return document.activeElement.textContent";
        page.tab_to("[data-testid='funnel-row'][data-touchpoint-id='sms-pricing-intent'] button", false).await?;
        let name = page.client().execute(focused_text, vec![]).await?.as_str().unwrap_or_default().to_owned();
        page.key(Key::Enter).await?;
        page.wait_for_text("inspector-title", &name).await?;
        announced(&page, &format!("{name} is open in the inspector.")).await?;
        focused_on(&page, "funnel-row-open").await?;

        page.tab_to("[data-testid='step-funnel-row'][data-step-id='welcome'] button", true).await?;
        let name = page.client().execute(focused_text, vec![]).await?.as_str().unwrap_or_default().to_owned();
        assert!(name.starts_with("Welcome to the Revenue Alignment series (day "), "{name}");
        page.key(' ').await?;
        page.wait_for_text("inspector-title", "Welcome to the Revenue Alignment series").await?;
        announced(&page, &format!("{name} is open in the inspector.")).await?;
        focused_on(&page, "step-funnel-row-open").await
    });
}
