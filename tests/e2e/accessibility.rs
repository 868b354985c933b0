//! Accessible to everyone: axe-core finds nothing in any state a user
//! reaches, motion stops when the system asks for less of it, and at 200%
//! zoom of a 1280×800 screen (a 640×400 CSS-pixel window) the page still
//! never scrolls sideways.
//!
//! The reviewer's downloaded report is audited the same way, opened from
//! the file the browser saved.
//!
//! The audit runs axe-core's full default set (every WCAG A, AA and 2.2
//! rule and the best practices, at every impact level; nothing is turned
//! off) with `axe.run(document, {resultTypes: ['violations']})`. The script
//! is the copy `cargo xtask test` installs and names in `TANDEM_AXE`.

use serde_json::Value;
use tandem_e2e::{Key, Page, run};

use crate::forecast::finished;

/// Injects axe-core (once per page) and runs it on the whole document.
async fn violations(page: &Page) -> Result<Vec<Value>, Box<dyn std::error::Error + Send + Sync>> {
    let Some(path) = std::env::var_os("TANDEM_AXE") else {
        return Err("TANDEM_AXE is not set: the accessibility audit needs axe-core's axe.min.js. \
                    `cargo xtask test` installs it and sets TANDEM_AXE; to run this tier alone, \
                    point TANDEM_AXE at ~/.cache/tandem/tools/axe/node_modules/axe-core/axe.min.js"
            .into());
    };
    let injected = page.client().execute("return typeof window.axe === 'object'", vec![]).await?;
    if injected != Value::Bool(true) {
        let script = std::fs::read_to_string(&path)
            .map_err(|error| format!("cannot read axe-core at {}: {error}", path.to_string_lossy()))?;
        // WebDriver runs scripts outside the page's Content-Security-Policy.
        page.client().execute(&format!("{script}\nreturn typeof window.axe"), vec![]).await?;
    }
    let audit = page
        .client()
        .execute_async(
            // Colours are judged once transitions have ended, not halfway through one.
            "const done = arguments[arguments.length - 1];\
             const settled = () => document.getAnimations().length === 0\
               ? Promise.resolve() : new Promise(resolve => setTimeout(resolve, 50)).then(settled);\
             settled().then(() => axe.run(document, { resultTypes: ['violations'] }))\
               .then(result => done(result.violations.map(rule => ({\
                 rule: rule.id, impact: rule.impact, help: rule.help,\
                 elements: rule.nodes.map(node => ({\
                   target: node.target.join(' '), html: node.html.slice(0, 160),\
                   summary: (node.failureSummary || '').replace(/\\s+/g, ' ') })) }))))\
               .catch(error => done({ error: String(error) }));",
            vec![],
        )
        .await?;
    match audit {
        Value::Array(found) => Ok(found),
        other => Err(format!("axe-core did not run: {other}").into()),
    }
}

/// What an audit found, one line per element, naming the state.
fn described(state: &str, found: &[Value]) -> Vec<String> {
    found
        .iter()
        .flat_map(|rule| {
            rule["elements"].as_array().into_iter().flatten().map(move |element| {
                format!(
                    "{state}: {} ({}: {}) at {} {}: {}",
                    rule["rule"].as_str().unwrap_or_default(),
                    rule["impact"].as_str().unwrap_or("no impact"),
                    rule["help"].as_str().unwrap_or_default(),
                    element["target"].as_str().unwrap_or_default(),
                    element["html"].as_str().unwrap_or_default(),
                    element["summary"].as_str().unwrap_or_default(),
                )
            })
        })
        .collect()
}

/// Audits each state in turn, reaching it with its step, and fails at the
/// end with every violation in every state.
struct Audit {
    page: Page,
    found: Vec<String>,
}

impl Audit {
    fn new(page: &Page) -> Self {
        Audit { page: page.clone(), found: Vec::new() }
    }

    async fn state(&mut self, state: &str) -> tandem_e2e::Outcome {
        let found = violations(&self.page).await?;
        self.found.extend(described(state, &found));
        Ok(())
    }

    fn verdict(self) -> tandem_e2e::Outcome {
        if self.found.is_empty() {
            Ok(())
        } else {
            Err(format!("axe-core found {} violations:\n  {}", self.found.len(), self.found.join("\n  ")).into())
        }
    }
}

/// Selects the pricing-intent SMS and breaks its trigger so a rule diagnostic shows.
async fn sms_with_a_rule_diagnostic(page: &Page) -> tandem_e2e::Outcome {
    page.find_where("sms-card", "data-touchpoint-id", "sms-pricing-intent").await?.click().await?;
    page.type_into("edit-sms-trigger", r#"persnoa == "RevOps" and stage == "MQL""#).await?;
    page.wait_for_text_containing("rule-diagnostic", "did you mean `persona`?").await
}

#[test]
fn the_editor_and_its_panels_have_no_axe_violations() {
    run("the_editor_and_its_panels_have_no_axe_violations", |page| async move {
        let mut audit = Audit::new(&page);
        finished(&page, 10_000).await?;
        audit.state("just opened").await?;
        page.find_where("step-card", "data-step-id", "welcome").await?.click().await?;
        page.wait_for_text("inspector-title", "Welcome to the Revenue Alignment series").await?;
        audit.state("a step in the inspector").await?;
        sms_with_a_rule_diagnostic(&page).await?;
        audit.state("an SMS in the inspector with a rule diagnostic").await?;
        page.click("edit-sms-eligibility-mode-builder").await?;
        page.find("builder-row").await?;
        audit.state("the rule builder").await?;
        page.click("tab-policies").await?;
        page.find("legal-windows-toggle").await?;
        audit.state("policies").await?;
        page.click("legal-windows-toggle").await?;
        page.find_where("legal-row", "data-jurisdiction", "FL").await?;
        audit.state("policies with the legal windows open").await?;
        page.click("tab-routing").await?;
        page.find("handoff-preview").await?;
        audit.state("routing").await?;
        page.click("tab-cohort").await?;
        page.find("cohort-consent-0").await?;
        audit.state("cohort").await?;
        audit.verdict()
    });
}

#[test]
fn the_forecast_with_a_baseline_the_explorer_and_an_enlarged_chart_have_no_axe_violations() {
    run("the_forecast_with_a_baseline_the_explorer_and_an_enlarged_chart_have_no_axe_violations", |page| async move {
        let mut audit = Audit::new(&page);
        finished(&page, 10_000).await?;
        page.click("forecast-pin").await?;
        // A tighter cap, so the figures differ from the baseline.
        page.click("tab-policies").await?;
        page.type_into("cap-max-1", "1").await?;
        page.press(&Key::Tab.to_string()).await?;
        let started = std::time::Instant::now();
        while !page.text("forecast-sms-delta").await?.starts_with('−') {
            assert!(started.elapsed().as_secs() < 60, "the tighter cap never showed in the deltas");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        finished(&page, 10_000).await?;
        page.click("explorer-blocked").await?;
        page.find("explorer-result").await?;
        audit.state("a forecast with a pinned baseline and the contact explorer").await?;
        page.click("chart-hours-enlarge").await?;
        audit.state("an enlarged chart").await?;
        // A cohort too large to re-run by itself leaves the result out of date until Run.
        page.type_into("forecast-size", "100000").await?;
        page.press(&Key::Tab.to_string()).await?;
        page.find("forecast-stale").await?;
        audit.state("a forecast out of date").await?;
        audit.verdict()
    });
}

#[test]
fn the_journeys_menu_and_the_import_export_and_share_dialogs_have_no_axe_violations() {
    run("the_journeys_menu_and_the_import_export_and_share_dialogs_have_no_axe_violations", |page| async move {
        let mut audit = Audit::new(&page);
        page.click("journeys-button").await?;
        page.find("saved-journey").await?;
        audit.state("the journeys menu").await?;
        page.click("journeys-button").await?;

        let broken = tandem_engine::format::export(&tandem_engine::samples::playbook()).replacen(
            "visited(\\\"pricing\\\", 3d)",
            "visted(\\\"pricing\\\", 3d)",
            1,
        );
        page.click("import").await?;
        page.paste("import-paste", &broken).await?;
        page.click("import-paste-button").await?;
        page.find("import-problem").await?;
        audit.state("the import dialog with problems").await?;

        page.click("export").await?;
        page.click("export-target-klaviyo").await?;
        page.find("not-carried").await?;
        audit.state("the export dialog").await?;

        page.click("copy-link").await?;
        page.find("share-link").await?;
        audit.state("the share dialog").await?;
        audit.verdict()
    });
}

/// Every element's (and pseudo-element's) transition and animation
/// durations, and smooth scrolling, that are not zero: what would move.
const MOVING: &str = "const moving = [];\
    const lasts = value => value.split(',').some(part => parseFloat(part) > 0);\
    for (const element of document.querySelectorAll('*')) {\
      for (const pseudo of [null, '::before', '::after']) {\
        const style = getComputedStyle(element, pseudo);\
        if (lasts(style.transitionDuration) || lasts(style.animationDuration) || style.scrollBehavior === 'smooth') {\
          moving.push((element.getAttribute('data-testid') || element.className || element.tagName) + (pseudo || ''));\
        }\
      }\
    }\
    return moving;";

#[test]
fn reduced_motion_stops_every_transition_and_animation() {
    run("reduced_motion_stops_every_transition_and_animation", |page| async move {
        page.click("journeys-button").await?;
        page.find("journeys-menu").await?;
        let moving = page.client().execute(MOVING, vec![]).await?;
        assert_ne!(moving, serde_json::json!([]), "with motion allowed, the app's transitions are seen");

        page.emulate_media_feature("prefers-reduced-motion", "reduce").await?;
        let reduced = page.client().execute("return matchMedia('(prefers-reduced-motion: reduce)').matches", vec![]);
        assert_eq!(reduced.await?, Value::Bool(true), "the page sees the reduced-motion preference");
        assert_eq!(page.client().execute(MOVING, vec![]).await?, serde_json::json!([]), "still moving, just opened");
        sms_with_a_rule_diagnostic(&page).await?;
        page.click("export").await?;
        page.find("export-dialog").await?;
        assert_eq!(page.client().execute(MOVING, vec![]).await?, serde_json::json!([]), "still moving, dialog open");
        Ok(())
    });
}

/// At 200% zoom a 1280×800 screen is a 640×400 window of CSS pixels:
/// nothing is wider than it, and the timeline, the inspector and the
/// results each get (nearly) its whole width rather than a sliver.
async fn fits_at_200_percent_zoom(page: &Page, state: &str) -> tandem_e2e::Outcome {
    let sizes = page
        .client()
        .execute("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]", vec![])
        .await?;
    let (scroll, client) = (sizes[0].as_f64().unwrap_or_default(), sizes[1].as_f64().unwrap_or_default());
    assert!(scroll <= client, "{state}: at 640×400 the page is {scroll} px wide in {client} px");
    for (panel, selector) in
        [("timeline", "main"), ("inspector", "[data-testid=inspector]"), ("results", "[data-testid=results]")]
    {
        let script = format!("return document.querySelector('{selector}').getBoundingClientRect().width");
        let width = page.client().execute(&script, vec![]).await?.as_f64().unwrap_or_default();
        assert!(width >= client * 0.85, "{state}: at 640×400 the {panel} is only {width} px wide in {client} px");
    }
    Ok(())
}

#[test]
fn at_200_percent_zoom_of_1280_by_800_the_page_never_scrolls_sideways() {
    run("at_200_percent_zoom_of_1280_by_800_the_page_never_scrolls_sideways", |page| async move {
        page.resize(640, 400).await?;
        finished(&page, 10_000).await?;
        fits_at_200_percent_zoom(&page, "just opened").await?;
        sms_with_a_rule_diagnostic(&page).await?;
        fits_at_200_percent_zoom(&page, "an SMS with a rule diagnostic").await?;
        page.click("rule-fix").await?;
        page.click("edit-sms-eligibility-mode-builder").await?;
        fits_at_200_percent_zoom(&page, "the rule builder").await?;
        for tab in ["policies", "routing", "cohort"] {
            page.click(&format!("tab-{tab}")).await?;
            fits_at_200_percent_zoom(&page, tab).await?;
        }
        finished(&page, 10_000).await?;
        page.click("forecast-pin").await?;
        page.click("explorer-blocked").await?;
        page.find("explorer-result").await?;
        fits_at_200_percent_zoom(&page, "the forecast with the explorer").await?;
        page.click("chart-hours-enlarge").await?;
        fits_at_200_percent_zoom(&page, "an enlarged chart").await?;
        page.click("journeys-button").await?;
        fits_at_200_percent_zoom(&page, "the journeys menu").await?;
        page.click("export").await?;
        page.click("export-target-klaviyo").await?;
        page.find("not-carried").await?;
        fits_at_200_percent_zoom(&page, "the export dialog").await?;
        page.click("import").await?;
        fits_at_200_percent_zoom(&page, "the import dialog").await
    });
}

#[test]
fn the_downloaded_report_has_no_axe_violations() {
    run("the_downloaded_report_has_no_axe_violations", |page| async move {
        finished(&page, 10_000).await?;
        page.click("forecast-pin").await?;
        page.click("forecast-report").await?;
        page.downloaded("revenue-alignment-nurture-forecast.html").await?;
        let report = page.downloads().join("revenue-alignment-nurture-forecast.html");
        page.client().goto(&format!("file://{}", report.display())).await?;
        let mut audit = Audit::new(&page);
        audit.state("the downloaded report with a baseline").await?;
        audit.verdict()
    });
}
