//! Exports for execution systems: the dialog lists what the target will not
//! enforce before the download, and the download is a document that parses.

use tandem_e2e::run;

#[test]
fn an_export_for_klaviyo_lists_what_is_not_carried_and_downloads_a_flow() {
    run("an_export_for_klaviyo_lists_what_is_not_carried_and_downloads_a_flow", |page| async move {
        page.click("export").await?;
        page.type_into("export-mapping", r#"{"list.entry": "Lst42"}"#).await?;
        page.click("export-target-klaviyo").await?;
        page.wait_for_text_containing("not-carried", "Klaviyo will not enforce").await?;
        page.wait_for_text_containing("not-carried", "FL: at most 3 messages per 24 hours").await?;
        assert!(page.find_all("not-carried-item").await?.len() >= 10, "the list names every policy left out");
        page.click("export-target-download").await?;
        let text = page.downloaded("revenue-alignment-nurture.klaviyo.json").await?;
        let document: serde_json::Value = serde_json::from_str(&text).expect("the download is JSON");
        assert_eq!(document["data"]["type"], "flow");
        assert_eq!(document["data"]["attributes"]["definition"]["triggers"][0]["id"], "Lst42");
        Ok(())
    });
}
