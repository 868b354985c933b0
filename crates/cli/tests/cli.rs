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
    for heading in
        ["Answered within SLA", "SMS funnel per touchpoint:", "Email funnel per nurture step:", "Held by a cap"]
    {
        assert!(text.contains(heading), "{heading} in {text}");
    }
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
    for args in [&["simulate"][..], &["simulate", &file, "--size"][..], &["simulate", &file, "--size", "ten"][..]] {
        let output = cli(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("usage:"));
    }
    let output = cli(&["simulate", &file, "--size", "10", "--contact", "10"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("there is no contact 10"));
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn scratch_bytes(name: &str, bytes: &[u8]) -> String {
    let path = scratch(name, "");
    fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn odd_files_are_named_and_the_batch_goes_on() {
    let valid = scratch("odd-valid.tandem.json", &sample());
    let latin = scratch_bytes("odd-latin.tandem.json", b"{\"name\": \"caf\xe9\"}");
    let output = cli(&["validate", &latin, &valid]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        format!(
            "{latin}: /: This file is not UTF-8 text (byte 13 is not); Tandem reads files saved as UTF-8.\n{valid}: ok\n"
        )
    );

    let mut big = sample();
    big.insert_str(big.len() - 2, &" ".repeat(5_242_895 - big.len()));
    let big = scratch("odd-big.tandem.json", &big);
    let output = cli(&["validate", &big]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("This file is 5,242,895 bytes; Tandem reads journeys up to 5 MiB (5,242,880 bytes).")
    );

    let bom = scratch("odd-bom.tandem.json", &format!("\u{feff}{}", sample()));
    assert!(stdout(&cli(&["validate", &bom])).contains("starts with a byte-order mark (U+FEFF)"));

    let twice = scratch("odd-twice.tandem.json", &sample().replacen("\"day\": 4,", "\"day\": 4, \"day\": 9,", 1));
    let output = cli(&["validate", &twice]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("/steps/1/day: `day` appears twice in this object"), "{}", stdout(&output));
    let cohort = stdout(&cli(&["cohort"])).replacen("\"seed\": 1,", "\"seed\": 1, \"seed\": 2,", 1);
    let cohort = scratch("odd-twice.cohort.json", &cohort);
    let output = cli(&["simulate", &valid, "--cohort", &cohort]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("/seed: `seed` appears twice"), "{}", stdout(&output));
}

#[test]
fn a_closed_pipe_ends_the_program_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let file = scratch("pipe.tandem.json", &sample());
    let mut child = Command::new(env!("CARGO_BIN_EXE_tandem-cli"))
        .args(["simulate", &file, "--size", "200", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut errors = String::new();
    child.stderr.take().unwrap().read_to_string(&mut errors).unwrap();
    assert_eq!((status.code(), errors.as_str()), (Some(0), ""));
}

#[test]
fn option_errors_name_the_option_and_what_is_wrong() {
    let file = scratch("options.tandem.json", &sample());
    for (args, message) in [
        (&["--size", "0"][..], "--size: 0 is too small"),
        (&["--size", "-5"][..], "--size: -5 is negative"),
        (&["--seed", "-1"][..], "--seed: -1 is negative"),
        (&["--size", "4294967296"][..], "--size: 4294967296 is too large"),
        (&["--size", "ten"][..], "--size: `ten` is not a whole number"),
        (
            &["--size", "2000000"][..],
            "--size: one run simulates at most 1000000 contacts; split 2000000 into at least 2 shards",
        ),
        (&["--size", "100", "--size", "200"][..], "--size is given twice"),
        (&["--json", "--json"][..], "--json is given twice"),
        (&["--start", "2026-02-30"][..], "--start: `2026-02-30` is not a date"),
        (&["--shard", "7/7"][..], "--shard 7/7: the index runs from 0 to COUNT - 1"),
        (&["--shard", "x"][..], "--shard: `x` is not INDEX/COUNT"),
        (&["--sends-format", "csv"][..], "--sends-format needs --sends LOG"),
    ] {
        let output = cli(&[&["simulate", file.as_str()][..], args].concat());
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).starts_with(message), "{args:?}: {}", stderr(&output));
    }
    let output = cli(&["validate", "--json", "--json", &file]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).starts_with("--json is given twice"));
    let help = cli(&["--help"]);
    assert!(help.status.success());
    assert!(stdout(&help).contains("exit codes:\n  0  all is well\n  1  the input has problems"), "{}", stdout(&help));
}

#[test]
fn start_moves_day_zero() {
    let file = scratch("start.tandem.json", &sample());
    let output = cli(&["simulate", &file, "--size", "50", "--start", "2027-01-04"]);
    assert!(stdout(&output).starts_with("50 contacts, seed 1, 90 days from 2027-01-04\n"), "{}", stdout(&output));
}

#[test]
fn the_sends_log_has_every_attempt_as_json_lines_or_csv() {
    let file = scratch("sends.tandem.json", &sample());
    let log = scratch("sends.jsonl", "");
    let output = cli(&["simulate", &file, "--size", "1000", "--seed", "4", "--sends", &log, "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let lines: Vec<serde_json::Value> =
        fs::read_to_string(&log).unwrap().lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    let count = |channel: &str, outcome: &str| {
        lines.iter().filter(|line| line["channel"] == channel && line["outcome"] == outcome).count() as u64
    };
    assert_eq!(count("email", "sent"), result["totals"]["emails_sent"].as_u64().unwrap());
    assert_eq!(count("sms", "sent"), result["totals"]["sms_sent"].as_u64().unwrap());
    let blocked = lines.iter().find(|line| line["channel"] == "sms" && line["outcome"] != "sent").unwrap();
    assert!(blocked["reason"].is_string() && blocked["phone_local"].is_string(), "{blocked}");

    let csv = scratch("sends.csv", "");
    let output = cli(&["simulate", &file, "--size", "1000", "--seed", "4", "--sends", &csv, "--sends-format", "csv"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = fs::read_to_string(&csv).unwrap();
    let mut rows = text.lines();
    assert_eq!(
        rows.next().unwrap(),
        "contact,minute,utc,channel,message,outcome,reason,moved_to,area_code,state,phone_time_zone,phone_local,\
         profile_time_zone,profile_local"
    );
    assert_eq!(rows.count(), lines.len());
}

/// Runs `count` shards of one run and gives the partial files, last first.
fn shards(file: &str, cohort: &str, count: u32, seed: &str) -> Vec<String> {
    (0..count)
        .rev()
        .map(|index| {
            let output =
                cli(&["simulate", file, "--cohort", cohort, "--seed", seed, "--shard", &format!("{index}/{count}")]);
            assert!(output.status.success(), "{}", stderr(&output));
            scratch(&format!("part-{seed}-{index}-of-{count}.json"), &stdout(&output))
        })
        .collect()
}

#[test]
fn shards_merged_in_any_order_are_byte_identical_to_one_run() {
    let file = scratch("shards.tandem.json", &sample());
    let mut cohort: serde_json::Value = serde_json::from_slice(&cli(&["cohort"]).stdout).unwrap();
    cohort["size"] = 1_003.into();
    let cohort = scratch("shards.cohort.json", &cohort.to_string());
    let whole = cli(&["simulate", &file, "--cohort", &cohort, "--seed", "5", "--json"]);
    assert!(whole.status.success(), "{}", stderr(&whole));
    for count in [1, 2, 7] {
        let parts = shards(&file, &cohort, count, "5");
        let merged = cli(&[&["merge", "--json"][..], &parts.iter().map(String::as_str).collect::<Vec<_>>()].concat());
        assert!(merged.status.success(), "{}", stderr(&merged));
        assert_eq!(stdout(&merged), stdout(&whole), "{count} shards");
    }

    let parts = shards(&file, &cohort, 2, "5");
    let other_seed = shards(&file, &cohort, 2, "6");
    let output = cli(&["merge", &parts[0], &other_seed[1]]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("/cohort/seed: this part has seed 6"), "{}", stdout(&output));
    let output = cli(&["merge", &parts[0]]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("/shard: shard 0/2 is missing"), "{}", stdout(&output));
    let output = cli(&["merge", &parts[0], &parts[0], &parts[1]]);
    assert!(stdout(&output).contains("/shard: shard 1/2 is also in"), "{}", stdout(&output));
    let late = scratch("late.tandem.json", &sample().replacen("\"day\": 4", "\"day\": 5", 1));
    let late = cli(&["simulate", &late, "--cohort", &cohort, "--seed", "5", "--shard", "0/2"]);
    let late = scratch("late-part.json", &stdout(&late));
    let output = cli(&["merge", &parts[0], &late]);
    assert!(stdout(&output).contains("/journey: this part simulates another journey"), "{}", stdout(&output));
    let output = cli(&["merge", &file]);
    assert!(stdout(&output).contains("not a partial result"), "{}", stdout(&output));
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
