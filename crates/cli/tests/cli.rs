//! The command line as a pipeline runs it: real files, exit codes, output.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tandem-cli")).args(args).output().expect("tandem-cli runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn scratch(name: &str, text: &str) -> String {
    let folder = std::env::temp_dir().join(format!("tandem-cli-test-{}", std::process::id()));
    fs::create_dir_all(&folder).unwrap();
    let path: PathBuf = folder.join(name);
    fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn sample() -> String {
    stdout(&cli(&["sample"]))
}

#[test]
fn a_valid_file_passes_and_a_broken_one_lists_every_problem() {
    let valid = scratch("valid.tandem.json", &sample());
    let output = cli(&["validate", &valid]);
    assert!(output.status.success());
    assert_eq!(stdout(&output), format!("{valid}: ok\n"));

    let broken = scratch(
        "broken.tandem.json",
        &sample().replacen("\"day\": 4", "\"day\": 400", 1).replacen("\"confirmation\"", "\"confirm\"", 1),
    );
    let output = cli(&["validate", &valid, &broken]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains(&format!("{broken}: /steps/1/day: 400 is out of range")), "{text}");
    assert!(text.contains(&format!("{broken}: /sms/0/moment: \"confirm\" is not a moment")), "{text}");
}

#[test]
fn json_diagnostics_are_machine_readable() {
    let broken = scratch("json.tandem.json", &sample().replacen("\"day\": 4", "\"day\": 400", 1));
    let output = cli(&["validate", "--json", &broken]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(report[0]["path"], "/steps/1/day");
    assert_eq!(report[0]["file"], broken.as_str());
    assert_eq!(report[0]["rule_span"], serde_json::Value::Null);

    let typo = scratch("typo.tandem.json", &sample().replacen("persona in", "persnoa in", 1));
    let report: serde_json::Value = serde_json::from_slice(&cli(&["validate", "--json", &typo]).stdout).unwrap();
    assert_eq!(report[0]["path"], "/sms/1/eligibility");
    assert_eq!(report[0]["rule_span"], serde_json::json!({"start": 26, "end": 33}));
    assert_eq!(report[0]["message"], "unknown attribute `persnoa` — did you mean `persona`?");
}

#[test]
fn fmt_rewrites_into_canonical_form_and_check_reports_without_writing() {
    let compact: serde_json::Value = serde_json::from_str(&sample()).unwrap();
    let file = scratch("compact.tandem.json", &compact.to_string());
    let output = cli(&["fmt", "--check", &file]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(fs::read_to_string(&file).unwrap(), compact.to_string(), "--check writes nothing");

    assert!(cli(&["fmt", &file]).status.success());
    assert_eq!(fs::read_to_string(&file).unwrap(), sample());
    assert!(cli(&["fmt", "--check", &file]).status.success());
}

#[test]
fn schema_prints_the_committed_schema() {
    let committed =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/schema/journey-v1.json")).unwrap();
    assert_eq!(stdout(&cli(&["schema"])), committed);
    let committed =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/schema/cohort-v1.json")).unwrap();
    assert_eq!(stdout(&cli(&["schema", "cohort"])), committed);
}

#[test]
fn simulate_reads_a_cohort_file_and_names_its_problems() {
    let journey = scratch("cohort-run.tandem.json", &sample());
    let mut cohort: serde_json::Value = serde_json::from_slice(&cli(&["cohort"]).stdout).unwrap();
    assert_eq!(cohort["format"], "tandem.cohort/v1");
    cohort["size"] = 400.into();
    cohort["seed"] = 11.into();
    cohort["consent"]["opted_in"] = 90.into();
    cohort["settings"]["horizon_days"] = 60.into();
    let file = scratch("run.cohort.json", &cohort.to_string());
    let output = cli(&["simulate", &journey, "--cohort", &file]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = stdout(&output);
    assert!(text.starts_with("400 contacts, seed 11, 60 days from 2026-03-02\n"), "{text}");
    // The cohort changes the forecast; --size and --seed override the file's.
    let default = stdout(&cli(&["simulate", &journey, "--size", "400", "--seed", "11"]));
    assert_ne!(text.lines().nth(2), default.lines().nth(2));
    let output = cli(&["simulate", &journey, "--cohort", &file, "--size", "300", "--seed", "2"]);
    assert!(stdout(&output).starts_with("300 contacts, seed 2, 60 days"), "{}", stdout(&output));

    cohort["personas"]["RevOps"]["weight"] = (-1).into();
    cohort["settings"]["start"] = "soon".into();
    let broken = scratch("broken.cohort.json", &cohort.to_string());
    let output = cli(&["simulate", &journey, "--cohort", &broken]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        format!("{broken}: /settings/start: Expected a date like \"2026-03-02\" here, found \"soon\".\n")
    );
    let output = cli(&["simulate", &journey, "--cohort", &journey]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("This is a journey file"), "{}", stdout(&output));
}

#[test]
fn misuse_gets_the_usage_and_exit_code_two() {
    for args in [&[][..], &["validate"][..], &["frobnicate"][..], &["validate", "--yaml", "x"][..]] {
        let output = cli(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("usage:"));
    }
    let output = cli(&["validate", "/no/such/file.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read"));
}

#[test]
fn simulate_prints_a_summary_the_full_result_or_one_contacts_story() {
    let file = scratch("simulate.tandem.json", &sample());
    let output = cli(&["simulate", &file, "--size", "500", "--seed", "3"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = stdout(&output);
    assert!(text.starts_with("500 contacts, seed 3, 90 days from 2026-03-02\n"), "{text}");
    assert!(text.contains("sms-pricing-intent"), "{text}");
    assert!(text.contains("fingerprint "), "{text}");

    let output = cli(&["simulate", &file, "--size", "500", "--seed", "3", "--json"]);
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["contacts"], 500);
    assert_eq!(result["touchpoints"].as_array().unwrap().len(), 4);
    let emails: u64 = result["steps"].as_array().unwrap().iter().map(|step| step["sent"].as_u64().unwrap()).sum();
    assert_eq!(result["totals"]["emails_sent"].as_u64().unwrap(), emails);

    let output = cli(&["simulate", &file, "--size", "500", "--contact", "7"]);
    let text = stdout(&output);
    assert!(text.starts_with("Contact 7 (times in America/"), "{text}");
    assert!(text.contains("Email sent: `welcome`"), "{text}");
}

#[test]
fn simulate_refuses_what_cannot_run_with_the_reasons() {
    let broken = scratch(
        "simulate-broken.tandem.json",
        &sample().replacen("visited(\\\"pricing\\\", 3d)", "visted(\\\"pricing\\\", 3d)", 1),
    );
    let output = cli(&["simulate", &broken]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("did you mean `visited`"), "{}", stdout(&output));

    let file = scratch("simulate-sizes.tandem.json", &sample());
    let output = cli(&["simulate", &file, "--size", "0"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("/cohort/size"), "{}", stdout(&output));
    for args in [&["simulate"][..], &["simulate", &file, "--size"][..], &["simulate", &file, "--size", "ten"][..]] {
        let output = cli(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("usage:"));
    }
    let output = cli(&["simulate", &file, "--size", "10", "--contact", "10"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("there is no contact 10"));
}

#[test]
fn export_prints_the_document_and_lists_what_is_not_carried_on_stderr() {
    let journey = scratch("export.tandem.json", &sample());
    let mapping = scratch("export-mapping.json", r#"{"list.entry": "XyZ123", "template.welcome": "T1"}"#);
    let output = cli(&["export", "--to", "klaviyo", &journey, "--mapping", &mapping]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("stdout is the JSON document");
    assert_eq!(document["data"]["definition"], serde_json::Value::Null, "the definition sits under attributes");
    assert_eq!(document["data"]["attributes"]["definition"]["triggers"][0]["id"], "XyZ123");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not carried into Klaviyo"), "{stderr}");
    assert!(stderr.contains("FL: at most 3 messages per 24 hours"), "{stderr}");
    assert!(!stderr.contains("`template.welcome`"), "mapped ids are not listed: {stderr}");

    for target in ["posthog", "dittofeed"] {
        let output = cli(&["export", "--to", target, &journey]);
        assert_eq!(output.status.code(), Some(0), "{target}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("TANDEM_UNMAPPED:"),
            "{target}: placeholders are listed"
        );
    }
    let misuse = cli(&["export", "--to", "braze", &journey]);
    assert_eq!(misuse.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&misuse.stderr).contains("unknown target `braze`"));
}
