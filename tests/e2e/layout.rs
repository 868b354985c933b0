//! The app on real screens: at a 1024-pixel laptop, a 1280-pixel one and a
//! 1920-pixel desktop nothing is wider than the window and every header
//! action can be reached; on a tablet a finger carries palette items and
//! moves cards as the mouse does.

use tandem_e2e::{Page, run};

/// The px per day of the timeline (`timeline_layout::PX_PER_DAY`).
const PX_PER_DAY: f64 = 14.0;

/// Every action the header offers, by test id.
const HEADER_ACTIONS: [&str; 8] =
    ["journey-name", "save-status", "journeys-button", "import", "export", "copy-link", "undo", "redo"];

/// At `width` × `height`: no page-level horizontal scroll, every header
/// action inside the window, the inspector and the results on screen.
async fn fits(page: &Page, width: u32, height: u32) -> tandem_e2e::Outcome {
    page.resize(width, height).await?;
    page.find("timeline").await?;
    let overflow =
        page.client().execute("return [document.documentElement.scrollWidth, window.innerWidth]", vec![]).await?;
    let (scroll, inner) = (overflow[0].as_f64().unwrap(), overflow[1].as_f64().unwrap());
    assert!(scroll <= inner, "at {width}×{height} the page is {scroll} px wide in a {inner} px window");
    for testid in HEADER_ACTIONS.iter().chain(&["inspector", "results"]) {
        let element = page.find(testid).await?;
        assert!(element.is_displayed().await?, "{testid} is hidden at {width}×{height}");
        let (left, top, element_width, _) = element.rectangle().await?;
        assert!(
            left >= 0.0 && left + element_width <= inner && top >= 0.0 && top < f64::from(height),
            "{testid} is off-screen at {width}×{height}: left {left}, width {element_width}, top {top}"
        );
    }
    Ok(())
}

#[test]
fn at_1024_by_700_nothing_is_wider_than_the_window() {
    run("at_1024_by_700_nothing_is_wider_than_the_window", |page| async move { fits(&page, 1024, 700).await });
}

/// At a 1024-pixel laptop the inspector's four tabs share one row and every
/// inspector panel fits the inspector's width: no field runs past its right
/// edge (the inspector clips rather than scrolls sideways, so an
/// overflowing field would be cut off).
#[test]
fn at_1024_by_700_every_inspector_panel_fits_its_width() {
    run("at_1024_by_700_every_inspector_panel_fits_its_width", |page| async move {
        page.resize(1024, 700).await?;
        let tops = page
            .client()
            .execute(
                "return [...document.querySelectorAll('[role=tab]')].map(tab => tab.getBoundingClientRect().top);",
                vec![],
            )
            .await?;
        let tops: Vec<f64> = serde_json::from_value(tops)?;
        assert!(tops.len() == 4 && tops.iter().all(|&top| top == tops[0]), "the inspector's tabs wrap: tops {tops:?}");
        for tab in ["tab-policies", "tab-routing", "tab-cohort"] {
            page.click(tab).await?;
            let widths = page
                .client()
                .execute(
                    "const inspector = document.querySelector('[data-testid=inspector]'); \
                     return [inspector.scrollWidth, inspector.clientWidth];",
                    vec![],
                )
                .await?;
            let (content, width) = (widths[0].as_f64().unwrap(), widths[1].as_f64().unwrap());
            assert!(content <= width, "the {tab} panel is {content} px wide in a {width} px inspector");
        }
        Ok(())
    });
}

#[test]
fn at_1280_by_800_nothing_is_wider_than_the_window() {
    run("at_1280_by_800_nothing_is_wider_than_the_window", |page| async move { fits(&page, 1280, 800).await });
}

#[test]
fn at_1920_by_1080_the_charts_use_the_width() {
    run("at_1920_by_1080_the_charts_use_the_width", |page| async move {
        fits(&page, 1920, 1080).await?;
        let (_, _, results, _) = page.find("results").await?.rectangle().await?;
        let (_, _, chart, _) = page.find("chart-sends").await?.rectangle().await?;
        assert!(chart >= results / 2.0 - 40.0, "a chart is {chart} px wide in {results} px of results");
        Ok(())
    });
}

#[test]
fn a_finger_carries_a_palette_step_and_moves_a_card() {
    run("a_finger_carries_a_palette_step_and_moves_a_card", |page| async move {
        let steps = page.find_all("step-card").await?.len();
        let (left, top, _, _) = page.find("lane-nurture").await?.rectangle().await?;
        let (x, y) = (left + 12.0 * PX_PER_DAY + PX_PER_DAY / 2.0, top + 20.0);
        let email = page.find("palette-email").await?;
        let (from_x, from_y, from_width, from_height) = email.rectangle().await?;
        page.touch_drag_by(&email, x - (from_x + from_width / 2.0), y - (from_y + from_height / 2.0)).await?;
        assert_eq!(page.find_all("step-card").await?.len(), steps + 1);
        assert_eq!(page.step_day("step-1").await?, "12");

        let card = page.find_where("step-card", "data-step-id", "step-1").await?;
        page.touch_drag_by(&card, 8.0 * PX_PER_DAY, 0.0).await?;
        assert_eq!(page.step_day("step-1").await?, "20");

        let sms = page.find("palette-sms").await?;
        let target = page.find_where("step-card", "data-step-id", "case-study").await?;
        page.touch_drag_to(&sms, &target).await?;
        page.find_where("sms-card", "data-touchpoint-id", "sms-1").await?;
        assert_eq!(page.value("edit-sms-step").await?, "case-study");
        Ok(())
    });
}
