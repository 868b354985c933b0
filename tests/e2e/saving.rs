//! Never losing work: autosave across reloads, damaged saved data, a part
//! of the app that cannot be downloaded, export and import, journeys shared
//! by link, and broken imports that change nothing.

use tandem_e2e::{Key, Session, run};

#[test]
fn a_reload_finds_the_journey_as_it_was() {
    run("a_reload_finds_the_journey_as_it_was", |page| async move {
        page.type_into("journey-name", "Spring launch").await?;
        page.press(&Key::Tab.to_string()).await?;
        let card = page.find_where("step-card", "data-step-id", "case-study").await?;
        page.drag_by(&card, 3.0 * 14.0, 0.0).await?;
        page.wait_for_text("save-status", "Saved in this browser").await?;
        page.reload().await?;
        assert_eq!(page.value("journey-name").await?, "Spring launch");
        assert_eq!(page.step_day("case-study").await?, "7");
        Ok(())
    });
}

#[test]
fn damaged_saved_data_is_set_aside_with_a_notice_and_the_app_works() {
    run("damaged_saved_data_is_set_aside_with_a_notice_and_the_app_works", |page| async move {
        page.wait_for_text("save-status", "Saved in this browser").await?;
        let script = "const key = Object.keys(localStorage).find(k => k.startsWith('tandem.v1.journey.'));\
                      localStorage.setItem(key, '{\"format\": \"tandem.journey/v1\", \"name\": ');\
                      return key;";
        let key = page.client().execute(script, vec![]).await?;
        assert!(key.as_str().is_some_and(|key| key.starts_with("tandem.v1.journey.")), "{key}");
        page.reload().await?;
        page.wait_for_text_containing("notice", "could not be read").await?;
        page.wait_for_text_containing("notice", "kept as a backup").await?;
        let backups = page
            .client()
            .execute("return Object.keys(localStorage).filter(k => k.startsWith('tandem.v1.backup.')).length", vec![])
            .await?;
        assert_eq!(backups, serde_json::json!(1), "the damaged text is kept");
        // The app works: the sample opened and edits save again.
        page.type_into("journey-name", "Recovered").await?;
        page.press(&Key::Tab.to_string()).await?;
        page.wait_for_text("save-status", "Saved in this browser").await?;
        page.reload().await?;
        assert_eq!(page.value("journey-name").await?, "Recovered");
        Ok(())
    });
}

#[test]
fn a_part_of_the_app_that_cannot_be_downloaded_stops_it_with_a_notice_and_loses_nothing() {
    run("a_part_of_the_app_that_cannot_be_downloaded_stops_it_with_a_notice_and_loses_nothing", |page| async move {
        let dist = std::env::var_os("TANDEM_E2E_DIST").map(std::path::PathBuf::from);
        let split = dist.unwrap_or_else(|| tandem_e2e::workspace_root().join("dist")).join("__wasm_split.js");
        assert!(split.exists(), "this test needs the split release build that `cargo xtask test` makes");
        page.type_into("journey-name", "Launch on a bad connection").await?;
        page.press(&Key::Tab.to_string()).await?;
        page.wait_for_text("save-status", "Saved in this browser").await?;

        // The exporters' module, fetched in the background after first paint, does not arrive.
        page.block_requests(&["*split_export_for_*"]).await?;
        page.reload().await?;
        page.wait_for_text_containing("crash-notice", "Tandem has stopped").await?;
        page.wait_for_text_containing("crash-notice", "a part of Tandem could not be downloaded").await?;
        page.wait_for_text_containing("crash-notice", "Your journeys were saved").await?;
        let errors = page.take_console_errors().await?;
        assert!(errors.iter().any(|error| error.contains("Failed to fetch")), "{errors:?}");

        // Back online, the notice's link reloads the journey as it was.
        page.block_requests(&[]).await?;
        page.click("crash-reload").await?;
        page.find("timeline").await?;
        assert_eq!(page.value("journey-name").await?, "Launch on a bad connection");
        page.find_where("step-card", "data-step-id", "welcome").await?.click().await?;
        page.find("edit-step-offer").await?;
        Ok(())
    });
}

#[test]
fn an_export_imports_back_as_an_equal_journey() {
    run("an_export_imports_back_as_an_equal_journey", |page| async move {
        page.find_where("step-card", "data-step-id", "welcome").await?.click().await?;
        page.type_into("edit-step-offer", "Revenue Alignment guide, 2nd edition").await?;
        page.click("export").await?;
        page.click("export-tandem").await?;
        let exported = page.downloaded("revenue-alignment-nurture.tandem.json").await?;
        assert!(exported.contains("Revenue Alignment guide, 2nd edition"));

        page.click("import").await?;
        page.upload("import-file", &page.downloads().join("revenue-alignment-nurture.tandem.json")).await?;
        page.wait_for_text_containing("notice", "Imported “Revenue Alignment nurture” as a new journey.").await?;
        page.click("export").await?;
        page.click("export-tandem").await?;
        let again = page.downloaded("revenue-alignment-nurture.tandem (1).json").await?;
        assert_eq!(again, exported, "the imported journey exports to the same bytes");

        page.click("journeys-button").await?;
        assert_eq!(page.find_all("saved-journey").await?.len(), 2, "the import is a new journey; the first is kept");
        Ok(())
    });
}

#[test]
fn a_broken_document_lists_every_problem_and_changes_nothing() {
    run("a_broken_document_lists_every_problem_and_changes_nothing", |page| async move {
        let broken = tandem_engine::format::export(&tandem_engine::samples::playbook())
            .replacen("visited(\\\"pricing\\\", 3d)", "visted(\\\"pricing\\\", 3d)", 1)
            .replacen("stage == \\\"SQL\\\"", "stage == \\\"SQLL\\\"", 1);
        page.click("import").await?;
        page.paste("import-paste", &broken).await?;
        page.click("import-paste-button").await?;
        let problems = page.find_all("import-problem").await?;
        let mut texts = Vec::new();
        for problem in &problems {
            texts.push(problem.text().await?);
        }
        assert_eq!(problems.len(), 2, "{texts:#?}");
        assert!(
            texts[0].contains("/high_intent") && texts[0].contains("characters 18–24") && texts[0].contains("visited"),
            "{texts:#?}"
        );
        assert!(texts[1].contains("/sms/2/eligibility") && texts[1].contains("did you mean `SQL`"), "{texts:#?}");
        assert_eq!(page.find_all("step-card").await?.len(), 10);
        assert_eq!(page.step_day("case-study").await?, "4");
        page.click("journeys-button").await?;
        assert_eq!(page.find_all("saved-journey").await?.len(), 1, "nothing was added");
        Ok(())
    });
}

#[test]
fn a_copied_link_opens_the_same_journey_in_a_fresh_browser() {
    run("a_copied_link_opens_the_same_journey_in_a_fresh_browser", |page| async move {
        page.type_into("journey-name", "Shared with review").await?;
        page.press(&Key::Tab.to_string()).await?;
        let card = page.find_where("step-card", "data-step-id", "breakup").await?;
        page.drag_by(&card, 5.0 * 14.0, 0.0).await?;
        page.click("copy-link").await?;
        let link = page.value("share-link").await?;
        let fragment = link.split_once('#').map(|(_, fragment)| fragment.to_owned()).expect("a fragment");
        assert!(fragment.starts_with("journey="));

        let reviewer = Session::start().await?;
        let other = reviewer.page();
        let outcome = async {
            other.open_with_fragment(&fragment).await?;
            other
                .wait_for_text_containing("notice", "Opened the shared journey “Shared with review” as a new copy.")
                .await?;
            assert_eq!(other.value("journey-name").await?, "Shared with review");
            assert_eq!(other.step_day("breakup").await?, "65");
            let address = other.client().current_url().await?;
            assert!(address.fragment().is_none(), "the journey leaves the address bar: {address}");
            // A damaged link gets a clear message and the app still opens.
            other.client().goto("about:blank").await?;
            other.open_with_fragment("journey=AAAA-not-a-journey").await?;
            other.wait_for_text_containing("notice", "The shared link could not be opened").await?;
            let errors = other.console_errors().await?;
            assert!(errors.is_empty(), "{errors:?}");
            Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
        }
        .await;
        reviewer.stop().await;
        outcome
    });
}

#[test]
fn the_undo_history_survives_a_reload() {
    run("the_undo_history_survives_a_reload", |page| async move {
        page.type_into("journey-name", "Spring launch").await?;
        page.press(&Key::Tab.to_string()).await?;
        let card = page.find_where("step-card", "data-step-id", "case-study").await?;
        page.drag_by(&card, 3.0 * 14.0, 0.0).await?;
        // The history is saved a moment after the last change.
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        page.reload().await?;
        assert_eq!(page.step_day("case-study").await?, "7");
        // The history's reader, which the app waits for before it opens, was
        // fetched beside the main module (preloaded) and only once.
        let fetched = page
            .client()
            .execute(
                "const preloaded = [...document.querySelectorAll('link[rel=preload]')].map(link => link.href);\
                 const fetched = performance.getEntriesByType('resource').map(entry => entry.name);\
                 return { reader: preloaded.filter(href => href.includes('split_read_links_')).length,\
                          not_once: preloaded.filter(href => fetched.filter(name => name === href).length !== 1) };",
                vec![],
            )
            .await?;
        assert_eq!(fetched, serde_json::json!({ "reader": 1, "not_once": [] }), "{fetched}");
        page.click("undo").await?;
        assert_eq!(page.step_day("case-study").await?, "4");
        page.click("undo").await?;
        assert_eq!(page.value("journey-name").await?, "Revenue Alignment nurture");
        page.click("redo").await?;
        assert_eq!(page.value("journey-name").await?, "Spring launch");
        Ok(())
    });
}

#[test]
fn a_journey_file_dropped_on_the_page_opens_as_a_new_journey() {
    run("a_journey_file_dropped_on_the_page_opens_as_a_new_journey", |page| async move {
        let mut journey = tandem_engine::samples::late_stage();
        journey.name = "Dropped in".into();
        let text = tandem_engine::format::export(&journey);
        // What the browser does when a file is dropped: a drop event carrying it.
        page.client()
            .execute(
                "const transfer = new DataTransfer();\
                 transfer.items.add(new File([arguments[0]], 'dropped.tandem.json', {type: 'application/json'}));\
                 window.dispatchEvent(new DragEvent('dragover', {dataTransfer: transfer, bubbles: true, cancelable: true}));\
                 window.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));",
                vec![serde_json::json!(text)],
            )
            .await?;
        page.wait_for_text_containing("notice", "Imported “Dropped in” as a new journey.").await?;
        assert_eq!(page.value("journey-name").await?, "Dropped in");
        assert_eq!(page.find_all("step-card").await?.len(), journey.steps.len());

        // A dropped file with problems changes nothing and lists them.
        page.client()
            .execute(
                "const transfer = new DataTransfer();\
                 transfer.items.add(new File(['{\"format\": \"tandem.journey/v9\"}'], 'future.tandem.json'));\
                 window.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));",
                vec![],
            )
            .await?;
        page.wait_for_text_containing("import-problem", "v9").await?;
        assert_eq!(page.value("journey-name").await?, "Dropped in");
        Ok(())
    });
}
