//! The forecast as a reviewer uses it: runs in the worker match the native
//! simulator, a large run can be cancelled while the editor stays usable,
//! a pinned baseline shows what an edit does, and chart data downloads.

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use tandem_e2e::{Key, Page, run};
use tandem_engine::cohort::CohortSpec;
use tandem_engine::format;
use tandem_engine::samples;
use tandem_engine::simulate::figures::grouped;
use tandem_engine::simulate::{Simulation, SimulationSettings};

/// Waits until the forecast shows a finished run of `size` contacts.
pub(crate) async fn finished(page: &Page, size: u32) -> tandem_e2e::Outcome {
    page.wait_for_text_containing("forecast-meta", &format!("{} contacts, seed", grouped(size.into()))).await?;
    let started = std::time::Instant::now();
    while !page.find_all("forecast-progress").await?.is_empty() {
        assert!(started.elapsed().as_secs() < 120, "the run did not finish");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Waits until the drawing of chart `key` has `text` in it.
async fn wait_for_chart_text(page: &Page, key: &str, text: &str) -> tandem_e2e::Outcome {
    let script = format!("return document.querySelector('[data-testid=chart-{key}-plot]')?.textContent ?? ''");
    let started = std::time::Instant::now();
    loop {
        let drawn = page.client().execute(&script, vec![]).await?;
        if drawn.as_str().is_some_and(|drawn| drawn.contains(text)) {
            return Ok(());
        }
        assert!(started.elapsed().as_secs() < 15, "chart {key} never showed {text:?}: {drawn}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Clicks `day` on the sends chart where a person would: the chart says
/// where its first and last days are drawn.
async fn click_day(page: &Page, day: u16) -> tandem_e2e::Outcome {
    let plot = page.find("chart-sends-plot").await?;
    // The results scroll within themselves: bring the chart into view first.
    page.client().execute("arguments[0].scrollIntoView({block: 'center'})", vec![serde_json::to_value(&plot)?]).await?;
    let number = |value: Option<String>| value.and_then(|value| value.parse::<f64>().ok()).expect("chart geometry");
    let first = number(plot.attr("data-first-day-x").await?);
    let last = number(plot.attr("data-last-day-x").await?);
    let days = number(plot.attr("data-days").await?);
    let y = number(plot.attr("data-day-y").await?);
    let (_, _, width, height) = plot.rectangle().await?;
    let x = first + (last - first) * f64::from(day) / (days - 1.0);
    let pointer = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement { element: plot, duration: None, x: x - width / 2.0, y: y - height / 2.0 })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    page.client().perform_actions(pointer).await?;
    page.client().release_actions().await?;
    Ok(())
}

/// A figure as shown ("2,170,860"), read back as a number.
async fn figure(page: &Page, key: &str) -> u64 {
    page.text(&format!("forecast-{key}")).await.unwrap().replace(',', "").parse().unwrap()
}

#[test]
fn a_100k_run_in_the_browser_equals_the_native_simulator() {
    run("a_100k_run_in_the_browser_equals_the_native_simulator", |page| async move {
        page.type_into("forecast-size", "100000").await?;
        page.press(&Key::Tab.to_string()).await?;
        page.click("forecast-run").await?;
        page.find("forecast-progress").await?;
        finished(&page, 100_000).await?;
        let spec = CohortSpec { size: 100_000, seed: 1, ..CohortSpec::default() };
        let native = Simulation::new(&samples::playbook(), &spec, &SimulationSettings::default()).unwrap().run();
        assert_eq!(figure(&page, "emails").await, native.totals.emails_sent);
        assert_eq!(figure(&page, "sms").await, native.totals.sms_sent);
        assert_eq!(figure(&page, "blocks").await, native.totals.sms_blocks);
        assert_eq!(figure(&page, "collisions").await, native.totals.collisions);
        assert_eq!(figure(&page, "replies").await, native.totals.replies);
        assert_eq!(figure(&page, "opt-outs").await, native.totals.opt_outs);
        assert_eq!(figure(&page, "meetings").await, native.totals.meetings);
        Ok(())
    });
}

#[test]
fn a_million_contact_run_can_be_cancelled_and_the_editor_answers_meanwhile() {
    run("a_million_contact_run_can_be_cancelled_and_the_editor_answers_meanwhile", |page| async move {
        page.type_into("forecast-size", "1000000").await?;
        page.press(&Key::Tab.to_string()).await?;
        page.click("forecast-run").await?;
        page.find("forecast-progress").await?;
        // The editor handles clicks while the worker simulates.
        page.find_where("step-card", "data-step-id", "pricing-guide").await?.click().await?;
        page.wait_for_text("inspector-title", "Pricing guide: plans by team size").await?;
        assert!(!page.find_all("forecast-progress").await?.is_empty(), "still running");
        page.wait_for_text_containing("forecast-progress", "left").await?;
        page.click("forecast-cancel").await?;
        assert!(page.find_all("forecast-progress").await?.is_empty());
        Ok(())
    });
}

#[test]
fn a_pinned_baseline_shows_what_tightening_a_cap_does() {
    run("a_pinned_baseline_shows_what_tightening_a_cap_does", |page| async move {
        finished(&page, 10_000).await?;
        let before = figure(&page, "sms").await;
        page.click("forecast-pin").await?;
        page.wait_for_text("forecast-sms-delta", "0").await?;
        wait_for_chart_text(&page, "sends", "Baseline").await?;
        // At most one message of any kind per week: most SMS now wait behind an email and miss their moment.
        page.click("tab-policies").await?;
        page.type_into("cap-max-1", "1").await?;
        page.press(&Key::Tab.to_string()).await?;
        let started = std::time::Instant::now();
        loop {
            let delta = page.text("forecast-sms-delta").await?;
            if delta.starts_with('−') {
                let after = figure(&page, "sms").await;
                assert!(after < before, "{after} SMS after, {before} before");
                assert_eq!(delta, format!("−{}", grouped(before - after)));
                break;
            }
            assert!(started.elapsed().as_secs() < 60, "no negative delta: {delta}");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Ok(())
    });
}

#[test]
fn a_charts_data_downloads_as_csv() {
    run("a_charts_data_downloads_as_csv", |page| async move {
        finished(&page, 10_000).await?;
        page.click("chart-hours-csv").await?;
        let csv = page.downloaded("tandem-hours.csv").await?;
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("local_hour,sms"));
        let rows: Vec<(u32, u64)> = lines
            .map(|line| {
                let (hour, count) = line.split_once(',').unwrap();
                (hour.parse().unwrap(), count.parse().unwrap())
            })
            .collect();
        assert_eq!(rows.iter().map(|(hour, _)| *hour).collect::<Vec<_>>(), (0..24).collect::<Vec<_>>());
        assert_eq!(rows.iter().map(|(_, count)| count).sum::<u64>(), figure(&page, "sms").await);
        assert!(rows.iter().filter(|(hour, _)| *hour < 8 || *hour >= 21).all(|(_, count)| *count == 0), "{rows:?}");
        page.click("chart-sends-png").await?;
        let png = page.downloaded_bytes("tandem-sends.png").await?;
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
        let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
        assert_eq!((&png[12..16], size(16)), (&b"IHDR"[..], 1800), "drawn at twice the print width");
        page.click("chart-sends-svg").await?;
        let svg = page.downloaded("tandem-sends.svg").await?;
        assert!(svg.starts_with("<svg") && svg.contains("Sends per day"), "{}", &svg[..svg.len().min(200)]);
        // The browser reads the SVG file as a picture, not as an error page.
        let path = page.downloads().join("tandem-sends.svg");
        page.client().goto(&format!("file://{}", path.display())).await?;
        let root = page
            .client()
            .execute(
                "return [document.documentElement.tagName, document.getElementsByTagName('parsererror').length]",
                vec![],
            )
            .await?;
        assert_eq!(root, serde_json::json!(["svg", 0]));
        Ok(())
    });
}

#[test]
fn the_contact_explorer_tells_a_blocked_contacts_story_with_reasons() {
    run("the_contact_explorer_tells_a_blocked_contacts_story_with_reasons", |page| async move {
        finished(&page, 10_000).await?;
        page.click("explorer-blocked").await?;
        page.find("explorer-result").await?;
        let entries = page.find_all("timeline-entry").await?;
        let mut texts = Vec::new();
        for entry in &entries {
            texts.push(entry.text().await?);
        }
        assert!(texts.iter().any(|text| text.contains("Email sent")), "{texts:#?}");
        assert!(texts.iter().any(|text| text.contains("blocked (")), "a reason for the block: {texts:#?}");

        // Any contact by number; one past the cohort is refused in words.
        page.type_into("explorer-contact", "42").await?;
        page.press(&Key::Tab.to_string()).await?;
        page.wait_for_text_containing("explorer-result", "Contact 42").await?;
        Ok(())
    });
}

#[test]
fn the_downloaded_report_opens_and_shows_the_apps_totals() {
    run("the_downloaded_report_opens_and_shows_the_apps_totals", |page| async move {
        finished(&page, 10_000).await?;
        page.click("forecast-pin").await?;
        let sms = figure(&page, "sms").await;
        let emails = figure(&page, "emails").await;
        page.click("forecast-report").await?;
        let html = page.downloaded("revenue-alignment-nurture-forecast.html").await?;
        assert_eq!(html.matches("<svg width=\"900\"").count(), 5, "the five charts, drawn by plotters at print width");
        assert!(html.contains("Day of the journey"), "with their axes described");
        let path = page.downloads().join("revenue-alignment-nurture-forecast.html");
        page.client().goto(&format!("file://{}", path.display())).await?;
        let total = |key: &'static str| {
            let page = page.clone();
            async move {
                let element = page.client().find(fantoccini::Locator::Id(&format!("total-{key}"))).await.unwrap();
                element.text().await.unwrap().replace(',', "").parse::<u64>().unwrap()
            }
        };
        assert_eq!(total("sms").await, sms);
        assert_eq!(total("emails").await, emails);
        let text = page.client().find(fantoccini::Locator::Css("body")).await?.text().await?;
        assert!(
            text.contains("vs baseline") && text.contains("Maturity") && text.contains("--seed 1"),
            "{}",
            &text[..300.min(text.len())]
        );
        Ok(())
    });
}

#[test]
fn the_cohort_panel_changes_who_is_simulated_and_says_what_is_out_of_range() {
    run("the_cohort_panel_changes_who_is_simulated_and_says_what_is_out_of_range", |page| async move {
        finished(&page, 10_000).await?;
        page.click("forecast-pin").await?;
        page.click("tab-cohort").await?;
        page.type_into("cohort-consent-0", "90").await?;
        page.press(&Key::Tab.to_string()).await?;
        let started = std::time::Instant::now();
        while !page.text("forecast-sms-delta").await?.starts_with('+') {
            assert!(started.elapsed().as_secs() < 60, "more consent should mean more SMS");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        page.type_into("fatigue-midpoint", "6").await?;
        page.press(&Key::Tab.to_string()).await?;
        page.wait_for_text_containing("fatigue-formula", "(n - 6)").await?;
        page.type_into("fatigue-stop-ceiling", "2").await?;
        page.press(&Key::Tab.to_string()).await?;
        page.wait_for_text_containing("forecast-problem", "/settings/fatigue/stop_ceiling").await?;
        page.type_into("fatigue-stop-ceiling", "0.2").await?;
        page.press(&Key::Tab.to_string()).await?;
        page.type_into("cohort-engagement-a-1", "0.01").await?;
        page.press(&Key::Tab.to_string()).await?;
        page.wait_for_text_containing("forecast-problem", "/cohort/personas/RevOps/engagement/a").await?;
        Ok(())
    });
}

#[test]
fn a_day_is_picked_from_the_chart_and_a_broken_rule_shows_what_blocks_the_run() {
    run("a_day_is_picked_from_the_chart_and_a_broken_rule_shows_what_blocks_the_run", |page| async move {
        finished(&page, 10_000).await?;
        click_day(&page, 20).await?;
        page.wait_for_text_containing("day-detail", "Day 20: ").await?;
        assert!(page.text("day-detail").await?.contains("emails"));

        page.find_where("sms-card", "data-touchpoint-id", "sms-pricing-intent").await?.click().await?;
        page.type_into("edit-sms-trigger", "visted(\"pricing\", 3d)").await?;
        page.wait_for_text_containing("forecast-problem", "/sms/1/trigger").await?;
        assert!(page.find_all("forecast-meta").await?.is_empty(), "no stale result is shown as if it were current");
        assert!(page.find_all("forecast-stale").await?.is_empty(), "the problems say why, not a Run that cannot run");
        let frames = page.client().execute("return document.querySelectorAll('.stale-result').length", vec![]).await?;
        assert_eq!(frames, 0, "no empty out-of-date frame where the result was");
        page.click("rule-fix").await?;
        page.wait_for_text_containing("forecast-meta", "10,000 contacts").await?;
        assert!(page.find_all("forecast-problem").await?.is_empty());
        Ok(())
    });
}

#[test]
fn the_reports_journey_and_cohort_reproduce_the_apps_totals_natively() {
    run("the_reports_journey_and_cohort_reproduce_the_apps_totals_natively", |page| async move {
        finished(&page, 10_000).await?;
        page.click("tab-cohort").await?;
        for (field, value) in [
            ("cohort-consent-0", "90"),
            ("cohort-horizon", "60"),
            ("cohort-entry-spread", "7"),
            ("fatigue-midpoint", "6"),
        ] {
            page.type_into(field, value).await?;
            page.press(&Key::Tab.to_string()).await?;
        }
        let start = page.find("cohort-start").await?;
        page.client()
            .execute(
                "arguments[0].value = '2026-11-02'; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
                vec![serde_json::to_value(&start)?],
            )
            .await?;
        page.type_into("forecast-seed", "5").await?;
        page.press(&Key::Tab.to_string()).await?;
        page.wait_for_text_containing("forecast-meta", "10,000 contacts, seed 5, 60 days from 2026-11-02").await?;
        finished(&page, 10_000).await?;
        let keys = ["emails", "sms", "blocks", "collisions", "replies", "opt-outs", "meetings"];
        let mut shown = Vec::new();
        for key in keys {
            shown.push(figure(&page, key).await);
        }

        page.click("forecast-report").await?;
        page.downloaded("revenue-alignment-nurture-forecast.html").await?;
        let report = page.downloads().join("revenue-alignment-nurture-forecast.html");
        page.client().goto(&format!("file://{}", report.display())).await?;
        let by_id = |id: &'static str| {
            let page = page.clone();
            async move { page.client().find(fantoccini::Locator::Id(id)).await }
        };
        assert_eq!(
            by_id("reproduce-command").await?.text().await?,
            "tandem-cli simulate revenue-alignment-nurture.tandem.json --cohort revenue-alignment-nurture.cohort.json --seed 5"
        );
        by_id("download-journey").await?.click().await?;
        by_id("download-cohort").await?.click().await?;
        let journey = format::import(&page.downloaded("revenue-alignment-nurture.tandem.json").await?).unwrap();
        let scenario = format::import_cohort(&page.downloaded("revenue-alignment-nurture.cohort.json").await?).unwrap();
        assert_eq!(scenario.cohort.consent[0], 90.0);
        assert_eq!(scenario.settings.horizon_days, 60);
        assert_eq!(
            (scenario.settings.start.to_string(), scenario.settings.entry_spread_days),
            ("2026-11-02".into(), 7)
        );
        let native = Simulation::new(&journey, &scenario.cohort, &scenario.settings).unwrap().run();
        let totals = &native.totals;
        let expected = [
            totals.emails_sent,
            totals.sms_sent,
            totals.sms_blocks,
            totals.collisions,
            totals.replies,
            totals.opt_outs,
            totals.meetings,
        ];
        assert_eq!(shown, expected, "the app's figures ({keys:?}) and the native run of the report's files");
        Ok(())
    });
}

#[test]
fn a_cohort_file_saves_and_opens_and_a_broken_one_lists_its_problems() {
    run("a_cohort_file_saves_and_opens_and_a_broken_one_lists_its_problems", |page| async move {
        page.click("tab-cohort").await?;
        page.type_into("cohort-stage-1", "70").await?;
        page.press(&Key::Tab.to_string()).await?;
        page.click("cohort-save").await?;
        let saved = page.downloaded("revenue-alignment-nurture.cohort.json").await?;
        assert_eq!(format::import_cohort(&saved).unwrap().cohort.stages[1].weight, 70.0);

        let mut broken: serde_json::Value = serde_json::from_str(&saved).unwrap();
        broken["stages"]["MQL"]["weight"] = (-3).into();
        broken["settings"]["fatigue"]["steepness"] = "steep".into();
        let path = page.downloads().join("broken.cohort.json");
        std::fs::write(&path, broken.to_string()).unwrap();
        page.upload("cohort-open", &path).await?;
        page.wait_for_text_containing("cohort-file-problems", "/settings/fatigue/steepness: Expected a number").await?;
        assert_eq!(page.value("cohort-stage-1").await?, "70", "a broken file changes nothing");

        page.click("cohort-reset").await?;
        assert_eq!(page.value("cohort-stage-1").await?, "25", "the default MQL weight");
        page.upload("cohort-open", &page.downloads().join("revenue-alignment-nurture.cohort.json")).await?;
        let started = std::time::Instant::now();
        while page.value("cohort-stage-1").await? != "70" {
            assert!(started.elapsed().as_secs() < 20, "the saved cohort did not open");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(page.find_all("cohort-file-problems").await?.is_empty());
        Ok(())
    });
}

#[test]
fn a_hostile_owner_name_shows_literally_in_a_chart_and_a_chart_can_be_enlarged() {
    run("a_hostile_owner_name_shows_literally_in_a_chart_and_a_chart_can_be_enlarged", |page| async move {
        finished(&page, 10_000).await?;
        let hostile = "<img src=x onerror=alert(1)>";
        page.click("tab-routing").await?;
        page.type_into("owner-name-0", hostile).await?;
        page.press(&Key::Tab.to_string()).await?;
        wait_for_chart_text(&page, "owners", hostile).await?;
        let images = page.client().execute("return document.querySelectorAll('img').length", vec![]).await?;
        assert_eq!(images, serde_json::json!(0), "no element was made from the name");
        assert!(page.client().get_alert_text().await.is_err(), "no alert ran");

        let (_, _, results, _) = page.find("forecast").await?.rectangle().await?;
        page.click("chart-hours-enlarge").await?;
        let chart = page.find("chart-hours").await?;
        assert!(chart.attr("class").await?.unwrap_or_default().contains("enlarged"));
        let (_, _, wide, _) = chart.rectangle().await?;
        assert!(wide >= results - 40.0, "an enlarged chart is {wide} px in {results} px of results");
        page.press(&Key::Escape.to_string()).await?;
        assert!(!page.find("chart-hours").await?.attr("class").await?.unwrap_or_default().contains("enlarged"));
        Ok(())
    });
}

/// Notes, in the page, when Run is pressed (a listener ahead of the app's)
/// and the frame in which a finished run of `arguments[0]` contacts shows
/// its figures (an observer of the page, then the next animation frame).
const TIME_THE_RUN: &str = r"
const contacts = arguments[0];
const run = window.tandemRun = {};
window.addEventListener('click', (event) => {
    if (event.target.closest('[data-testid=forecast-run]')) run.pressed = performance.now();
}, { capture: true });
const observer = new MutationObserver(() => {
    const meta = document.querySelector('[data-testid=forecast-meta]');
    if (run.pressed !== undefined && meta && meta.textContent.startsWith(contacts + ' contacts')) {
        observer.disconnect();
        requestAnimationFrame(() => { run.shown = performance.now(); });
    }
});
observer.observe(document.body, { childList: true, subtree: true, characterData: true });
";

/// What the page measured, once the figures are on screen: from Run to the
/// figures, then the app's own account (`data-` attributes of the run).
const READ_THE_TIMES: &str = r"
const run = window.tandemRun;
if (run.shown === undefined) return null;
const meta = document.querySelector('[data-testid=forecast-meta]').dataset;
return [run.shown - run.pressed, +meta.workers, +meta.elapsedMs, +meta.shardMs, +meta.simulatingMs, +meta.mergingMs];
";

/// A run timed from pressing Run to its figures on screen, with where the
/// time went: the slowest shard, the part of it inside the simulator, and
/// the lead's merge. `cargo xtask bench` runs this on the release build
/// with `TANDEM_BENCH` set, for a million contacts, and reads its
/// `bench:` lines.
#[test]
fn a_run_is_timed_from_pressing_run_to_its_figures_on_screen() {
    let bench = std::env::var_os("TANDEM_BENCH").is_some();
    let size: u32 = if bench { 1_000_000 } else { 50_000 };
    run("a_run_is_timed_from_pressing_run_to_its_figures_on_screen", |page| async move {
        let [shown, workers, elapsed, shard, simulating, merging] = timed_run(&page, size).await?;
        assert!(workers >= 1.0, "{workers} workers");
        assert!(0.0 < simulating && simulating <= shard, "{simulating} ms simulating in a {shard} ms shard");
        assert!(shard <= elapsed && elapsed <= shown, "shard {shard} ms, result {elapsed} ms, on screen {shown} ms");
        for (key, ms) in [("", shown), ("_result", elapsed), ("_shard", shard), ("_simulating", simulating)] {
            println!("bench: app_{size}{key}_s={:.3}", ms / 1e3);
        }
        println!("bench: app_{size}_merging_ms={merging:.1}");
        println!("bench: app_workers={workers}");
        // The pool's speed-up: the same run with the browser saying it has
        // one, two and three cores, so the pool has that many workers.
        if bench {
            for cores in 1..=3 {
                page.emulate_hardware_concurrency(cores).await?;
                page.open_app().await?;
                let [shown, workers, ..] = timed_run(&page, size).await?;
                assert_eq!(workers, f64::from(cores), "the pool follows the cores the browser reports");
                println!("bench: app_{size}_pool{cores}_s={:.3}", shown / 1e3);
            }
        }
        Ok(())
    });
}

/// Runs the forecast for `size` contacts once the app's first run is in and
/// gives what the page measured (see [`READ_THE_TIMES`]).
async fn timed_run(page: &Page, size: u32) -> Result<[f64; 6], Box<dyn std::error::Error + Send + Sync>> {
    // The pool is up once the first run of the default cohort is in.
    finished(page, 10_000).await?;
    page.type_into("forecast-size", &size.to_string()).await?;
    page.press(&Key::Tab.to_string()).await?;
    page.client().execute(TIME_THE_RUN, vec![grouped(size.into()).into()]).await?;
    page.click("forecast-run").await?;
    let started = std::time::Instant::now();
    loop {
        let times = page.client().execute(READ_THE_TIMES, vec![]).await?;
        if !times.is_null() {
            let times: Vec<f64> = serde_json::from_value(times)?;
            return Ok(times.try_into().map_err(|times| format!("the page gave {times:?}"))?);
        }
        assert!(started.elapsed().as_secs() < 120, "the run's figures never showed");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
