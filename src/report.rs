//! The reviewer's report: one self-contained HTML file (inline styles and
//! SVG charts, no script, no network) with the run's figures and deltas
//! against the baseline, the funnel, the maturity scorecard, the journey's
//! summary, and what reproduces the run: the journey and cohort documents
//! it simulated (shown and offered as downloads) and the exact command.
//! Every text from the journey is escaped. Pure, tested natively.

use tandem_engine::Journey;

use crate::files::{self, FileKind};
use tandem_engine::maturity::{self, stage_name};
use tandem_engine::simulate::SimulationResult;
use tandem_engine::simulate::figures::{self, SMS_FUNNEL};

/// `text` safe inside HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// What goes into a report.
pub struct Report<'a> {
    pub journey: &'a Journey,
    pub result: &'a SimulationResult,
    pub baseline: Option<&'a SimulationResult>,
    /// Chart titles and their SVG, as drawn on the page.
    pub charts: Vec<(String, String)>,
    /// The `tandem.journey/v1` and `tandem.cohort/v1` documents the run
    /// simulated, which may predate later edits.
    pub journey_file: &'a str,
    pub cohort_file: &'a str,
}

/// `text` as a `data:` address a link can download, with every byte that
/// is not plainly safe percent-encoded.
pub fn data_address(media_type: &str, text: &str) -> String {
    let mut address = format!("data:{media_type};charset=utf-8,");
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => address.push(byte as char),
            other => address.push_str(&format!("%{other:02X}")),
        }
    }
    address
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;color:#1f2a30;margin:32px;max-width:1100px}\
h1{margin:0 0 4px}h2{margin:28px 0 8px;font-size:18px}.meta{color:#5b676d}\
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:4px 8px;border-bottom:1px solid #e2ddd3;text-align:right}\
th:first-child,td:first-child,table.words th,table.words td{text-align:left}.figures{display:flex;flex-wrap:wrap;gap:10px}\
.figure{border:1px solid #e2ddd3;border-radius:8px;padding:8px 12px;min-width:120px}.figure b{display:block;font-size:20px}\
.delta{color:#5b676d;font-size:12px}.charts svg{max-width:100%;height:auto}.bar-email{fill:#2f5d62}.bar-sms{fill:#b7792a}\
.bar-block{fill:#a33b30}.collision{fill:#a33b30}.window{fill:#e3eeee}.axis{stroke:#cfc8bb}.tick,.legend{font-size:10px;fill:#5b676d}\
.cap-line{stroke:#a33b30;stroke-dasharray:4 3}";

impl Report<'_> {
    /// The whole HTML document.
    pub fn html(&self) -> String {
        let Report { journey, result, baseline, charts, .. } = self;
        let mut html = String::new();
        html.push_str("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
        html.push_str(&escape(&format!("Tandem forecast: {}", journey.name)));
        html.push_str("</title><style>");
        html.push_str(STYLE);
        html.push_str("</style></head><body><main>");
        html.push_str(&format!("<h1>{}</h1>", escape(&journey.name)));
        html.push_str(&format!(
            "<p class=\"meta\">Forecast of {} contacts (seed {}), {} days from {}.</p>",
            figures::grouped(u64::from(result.contacts)),
            result.seed,
            result.horizon_days,
            escape(&result.start)
        ));
        html.push_str("<h2>Totals</h2><div class=\"figures\" id=\"totals\">");
        for total in figures::headlines() {
            let delta = baseline
                .map(|baseline| {
                    format!("<span class=\"delta\">{} vs baseline</span>", escape(&total.delta(result, baseline)))
                })
                .unwrap_or_default();
            html.push_str(&format!(
                "<div class=\"figure\">{}<b id=\"total-{}\">{}</b>{delta}</div>",
                escape(total.label),
                total.key,
                escape(&total.text(result))
            ));
        }
        html.push_str("</div>");
        for sla in &result.sla {
            html.push_str(&format!(
                "<p>{} replies: {} of {} answered within {} minutes ({:.1}%).</p>",
                escape(&sla.cohort),
                figures::grouped(sla.within_sla),
                figures::grouped(sla.replies),
                sla.sla_minutes,
                sla.share * 100.0
            ));
        }
        html.push_str("<h2>Charts</h2><div class=\"charts\">");
        for (title, svg) in charts {
            html.push_str(&format!("<h3>{}</h3>{svg}", escape(title)));
        }
        html.push_str("</div><h2>SMS funnel</h2><table><tr>");
        html.push_str(&format!("<th>{}</th>", escape(SMS_FUNNEL.heading)));
        for column in SMS_FUNNEL.columns {
            html.push_str(&format!("<th>{}</th>", escape(column.label)));
        }
        html.push_str("</tr>");
        for touchpoint in (SMS_FUNNEL.rows)(result) {
            html.push_str(&format!("<tr><td>{}</td>", escape(&(SMS_FUNNEL.name)(touchpoint))));
            for column in SMS_FUNNEL.columns {
                html.push_str(&format!("<td>{}</td>", figures::grouped((column.read)(touchpoint))));
            }
            html.push_str("</tr>");
        }
        html.push_str(
            "</table><h2>Maturity</h2><table class=\"words\"><tr><th>Dimension</th><th>Stage</th><th>Why</th><th>To lift it</th></tr>",
        );
        for score in maturity::scorecard(journey) {
            html.push_str(&format!(
                "<tr><td>{}</td><td>{} · {}</td><td>{}</td><td>{}</td></tr>",
                score.area.label(),
                score.stage,
                stage_name(score.stage),
                escape(&score.reasons.join("; ")),
                escape(score.to_lift.as_deref().unwrap_or("—"))
            ));
        }
        html.push_str(
            "</table><h2>The journey</h2><table class=\"words\"><tr><th>Day</th><th>Nurture email</th><th>SMS attached</th></tr>",
        );
        for step in journey.step_order().into_iter().map(|index| &journey.steps[index]) {
            let sms: Vec<String> =
                journey.touchpoints_of(&step.id).map(|touchpoint| escape(&touchpoint.name)).collect();
            html.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                step.day,
                escape(&step.name),
                sms.join(", ")
            ));
        }
        html.push_str("</table>");
        html.push_str(&self.reproduce());
        html.push_str("</main></body></html>");
        html
    }

    /// How to re-run exactly this forecast: the two documents and the command.
    fn reproduce(&self) -> String {
        let journey_name = files::named(&self.journey.name, FileKind::Journey);
        let cohort_name = files::named(&self.journey.name, FileKind::Cohort);
        let link = |id: &str, name: &str, text: &str, label: &str| {
            format!(
                "<a id=\"{id}\" download=\"{}\" href=\"{}\">{label} ({})</a>",
                escape(name),
                data_address("application/json", text),
                escape(name)
            )
        };
        format!(
            "<h2>Reproduce this forecast</h2><p id=\"reproduce\">Save the journey and the cohort this run \
             simulated, then run <code id=\"reproduce-command\">tandem-cli simulate {} --cohort {} --seed {}</code> \
             (from a clone of Tandem: <code>cargo run --release -p tandem-cli -- simulate …</code>); \
             it gives the same figures.</p><p>{} · {}</p>\
             <details><summary>The cohort document</summary><pre id=\"cohort-document\">{}</pre></details>",
            escape(&journey_name),
            escape(&cohort_name),
            self.result.seed,
            link("download-journey", &journey_name, self.journey_file, "The journey"),
            link("download-cohort", &cohort_name, self.cohort_file, "The cohort"),
            escape(self.cohort_file)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_engine::samples;

    #[test]
    fn data_addresses_percent_encode_all_but_the_plainest_bytes() {
        assert_eq!(data_address("text/plain", "a b/é\"<"), "data:text/plain;charset=utf-8,a%20b%2F%C3%A9%22%3C");
    }

    #[test]
    fn the_report_holds_the_figures_and_escapes_every_user_text() {
        let mut journey = samples::playbook();
        journey.name = "<script>alert(1)</script> & friends".into();
        journey.steps[0].name = "<img src=x onerror=alert(2)>".into();
        let result = tandem_engine::simulate::golden().run();
        let cohort = tandem_engine::format::export_cohort(&tandem_engine::simulate::Scenario::default());
        let report = Report {
            journey: &journey,
            result: &result,
            baseline: Some(&result),
            charts: vec![("Sends".into(), "<svg></svg>".into())],
            journey_file: &tandem_engine::format::export(&journey),
            cohort_file: &cohort,
        }
        .html();
        assert!(report.contains(&format!("<b id=\"total-sms\">{}</b>", figures::grouped(result.totals.sms_sent))));
        assert!(report.contains("0 vs baseline"));
        for total in figures::headlines() {
            let figure = format!("<b id=\"total-{}\">{}</b>", total.key, total.text(&result));
            assert!(report.contains(&figure), "{figure}");
        }
        assert!(report.contains("<tr><th>Touchpoint</th><th>Entered</th><th>Eligible</th>"));
        assert!(report.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends"));
        assert!(!report.contains("<script") && !report.contains("<img"), "no markup from user text");
        assert!(report.contains(
            "<code id=\"reproduce-command\">tandem-cli simulate script-alert-1-script-friends.tandem.json \
             --cohort script-alert-1-script-friends.cohort.json --seed 7</code>"
        ));
        assert!(report.contains("download=\"script-alert-1-script-friends.cohort.json\" href=\"data:application/json;charset=utf-8,%7B%0A%20%20%22format%22%3A%20%22tandem.cohort%2Fv1%22"));
        assert!(report.contains("&quot;format&quot;: &quot;tandem.cohort/v1&quot;"), "the cohort is shown");
        assert!(report.contains("Messaging</td><td>3 · Unified Journey"));
    }
}
