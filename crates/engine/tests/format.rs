//! The `tandem.journey/v1` format: data-driven import cases, deterministic
//! export, the committed JSON Schema, and round-trip properties.
//!
//! Each file in `import_cases/` describes a document and the exact outcome
//! of importing it. Run with `BLESS=1` to rewrite the expectations after a
//! deliberate change, then read the diff.

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::Value;
use tandem_engine::format::{self, MAX_DEPTH, MAX_DOCUMENT_BYTES};
use tandem_engine::samples;
use tandem_engine::simulate::Scenario;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample journey's export with the case's patch operations applied.
/// An operation is `["set", pointer, value]` or `["remove", pointer]`.
fn patched_sample(patch: &str) -> String {
    let mut document: Value = serde_json::from_str(&format::export(&samples::playbook())).unwrap();
    let operations: Vec<Value> = serde_json::from_str(patch).expect("the patch is JSON");
    for operation in operations {
        let pointer = operation[1].as_str().expect("a pointer");
        let (parent, key) = pointer.rsplit_once('/').expect("a pointer with a parent");
        let parent = document.pointer_mut(parent).unwrap_or_else(|| panic!("no {parent} in the sample"));
        match (operation[0].as_str(), parent) {
            (Some("set"), Value::Object(map)) => {
                map.insert(key.to_owned(), operation[2].clone());
            }
            (Some("set"), Value::Array(items)) => items[key.parse::<usize>().unwrap()] = operation[2].clone(),
            (Some("remove"), Value::Object(map)) => {
                map.remove(key);
            }
            (Some("remove"), Value::Array(items)) => {
                items.remove(key.parse::<usize>().unwrap());
            }
            other => panic!("unknown patch operation {other:?}"),
        }
    }
    serde_json::to_string_pretty(&document).unwrap()
}

/// Documents too large to keep as files, made on demand.
fn generated(name: &str) -> String {
    match name.trim() {
        "oversized" => {
            format!("{{\"format\": \"tandem.journey/v1\", \"name\": \"{}\"}}", "x".repeat(MAX_DOCUMENT_BYTES))
        }
        "deeply-nested" => format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1)),
        "nested-in-strings" => {
            let mut document: Value = serde_json::from_str(&format::export(&samples::playbook())).unwrap();
            document["name"] = Value::String("[".repeat(1000));
            serde_json::to_string(&document).unwrap()
        }
        "too-many-steps" => {
            let mut document: Value = serde_json::from_str(&format::export(&samples::playbook())).unwrap();
            let step = document["steps"][0].clone();
            document["steps"] = Value::Array(vec![step; 501]);
            serde_json::to_string(&document).unwrap()
        }
        "long-text" => {
            let mut document: Value = serde_json::from_str(&format::export(&samples::playbook())).unwrap();
            document["sms"][0]["body"] = Value::String("é".repeat(10_001));
            serde_json::to_string(&document).unwrap()
        }
        other => panic!("no generator called {other}"),
    }
}

/// What importing `document` gives, as the text a case expects.
fn outcome(document: &str) -> String {
    match format::import(document) {
        Ok(journey) if journey == samples::playbook() => "ok: the sample journey\n".into(),
        Ok(journey) => format!("ok: {} steps, {} SMS\n", journey.steps.len(), journey.touchpoints.len()),
        Err(problems) => problems.iter().map(|problem| format!("{problem}\n")).collect(),
    }
}

/// Runs one case file: `--- patch`, `--- document` or `--- generated`,
/// then `--- expected`.
fn check(path: &Path) -> Result<(), String> {
    let text = fs::read_to_string(path).unwrap();
    let (input, expected) = text.split_once("--- expected\n").expect("a case has an expected section");
    let document = if let Some(patch) = input.split_once("--- patch\n") {
        patched_sample(patch.1)
    } else if let Some(raw) = input.split_once("--- document\n") {
        raw.1.strip_suffix('\n').unwrap_or(raw.1).to_owned()
    } else if let Some(name) = input.split_once("--- generated\n") {
        generated(name.1)
    } else {
        panic!("{}: no patch, document or generated section", path.display())
    };
    let actual = outcome(&document);
    if actual == expected {
        return Ok(());
    }
    if std::env::var_os("BLESS").is_some() {
        fs::write(path, format!("{input}--- expected\n{actual}")).unwrap();
        return Ok(());
    }
    Err(format!("{}:\nexpected:\n{expected}actual:\n{actual}", path.display()))
}

#[test]
fn import_cases() {
    let mut paths: Vec<PathBuf> =
        fs::read_dir(crate_dir().join("tests/import_cases")).unwrap().map(|entry| entry.unwrap().path()).collect();
    paths.sort();
    assert!(paths.len() >= 25, "at least 25 import cases, found {}", paths.len());
    let failures: Vec<String> = paths.iter().filter_map(|path| check(path).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} import cases failed:\n\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}

#[test]
fn export_is_deterministic_and_marked_with_its_format() {
    let journey = samples::playbook();
    let first = format::export(&journey);
    assert_eq!(first, format::export(&journey.clone()));
    assert!(first.starts_with("{\n  \"format\": \"tandem.journey/v1\",\n  \"name\": "), "{}", &first[..80]);
}

/// Checks that `public/schema/{file}` is `generated` (`BLESS=1` writes it).
fn check_committed_schema(file: &str, generated: &str) {
    let path = crate_dir().join("../../public/schema").join(file);
    if std::env::var_os("BLESS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, generated).unwrap();
    }
    let committed = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "public/schema/{file} is missing or stale: run BLESS=1 cargo test -p tandem-engine --test format"
    );
}

#[test]
fn the_committed_schemas_are_the_ones_the_wire_types_generate() {
    check_committed_schema("journey-v1.json", &format::schema());
    check_committed_schema("cohort-v1.json", &format::cohort_schema());
}

/// A validator for the schema `text`.
fn validator_for(text: &str) -> (boon::Schemas, boon::SchemaIndex) {
    let schema: Value = serde_json::from_str(text).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("tandem:schema", schema).unwrap();
    let index = compiler.compile("tandem:schema", &mut schemas).expect("the schema compiles");
    (schemas, index)
}

fn schema_validator() -> (boon::Schemas, boon::SchemaIndex) {
    validator_for(&format::schema())
}

#[test]
fn cohort_documents_match_their_schema_and_the_schema_refuses_what_import_refuses() {
    let (schemas, index) = validator_for(&format::cohort_schema());
    let mut scenario = Scenario::default();
    scenario.cohort.size = 1;
    for scenario in [Scenario::default(), scenario] {
        let document: Value = serde_json::from_str(&format::export_cohort(&scenario)).unwrap();
        if let Err(error) = schemas.validate(&document, index) {
            panic!("the cohort document does not match the schema: {error}");
        }
    }
    let default: Value = serde_json::from_str(&format::export_cohort(&Scenario::default())).unwrap();
    let changes: [(&str, Value); 7] = [
        ("/size", 0.into()),
        ("/personas/RevOps/weight", (-1).into()),
        ("/stages/Lead/customer", 1.5.into()),
        ("/settings/horizon_days", 400.into()),
        ("/settings/fatigue/colour", "red".into()),
        ("/surprise", 1.into()),
        ("/states/XX", 1.into()),
    ];
    for (pointer, value) in changes {
        let mut document = default.clone();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        document.pointer_mut(parent).unwrap().as_object_mut().unwrap().insert(key.to_owned(), value);
        assert!(schemas.validate(&document, index).is_err(), "the schema accepts {pointer}");
        assert!(format::import_cohort(&document.to_string()).is_err(), "import accepts {pointer}");
    }
}

#[test]
fn every_sample_and_example_validates_against_the_schema() {
    let (schemas, index) = schema_validator();
    let mut documents: Vec<(String, String)> =
        samples::all().into_iter().map(|(name, journey)| (name.to_owned(), format::export(&journey))).collect();
    for entry in fs::read_dir(crate_dir().join("../../docs/examples")).unwrap() {
        let path = entry.unwrap().path();
        documents.push((path.display().to_string(), fs::read_to_string(&path).unwrap()));
    }
    for (name, text) in documents {
        let document: Value = serde_json::from_str(&text).unwrap();
        if let Err(error) = schemas.validate(&document, index) {
            panic!("{name} does not match the schema: {error}");
        }
        assert!(format::import(&text).is_ok(), "{name} imports");
    }
}

#[test]
fn the_schema_refuses_what_import_refuses() {
    let (schemas, index) = schema_validator();
    for patch in [
        r#"[["set", "/steps/0/day", 400]]"#,
        r#"[["set", "/sms/0/moment", "shout"]]"#,
        r#"[["set", "/email_send_time", "25:00"]]"#,
        r#"[["set", "/surprise", 1]]"#,
        r#"[["remove", "/routing"]]"#,
    ] {
        let document: Value = serde_json::from_str(&patched_sample(patch)).unwrap();
        assert!(schemas.validate(&document, index).is_err(), "the schema accepts {patch}");
        assert!(format::import(&document.to_string()).is_err(), "import accepts {patch}");
    }
}

/// Journeys made by applying generated, valid changes to the sample.
fn journeys() -> impl Strategy<Value = tandem_engine::Journey> {
    let text = "[ -~]{0,24}|[\\PC]{0,12}";
    (
        text.prop_filter("a name", |name| !name.trim().is_empty()),
        proptest::collection::vec((0u16..=365, text, 0u32..=43_200, any::<bool>()), 0..6),
        0u16..1440,
        any::<bool>(),
    )
        .prop_map(|(name, changes, send_minute, quiet)| {
            let mut journey = samples::playbook();
            journey.name = name.trim().to_owned();
            journey.email_send_minute = send_minute;
            if !quiet {
                journey.policies.quiet_hours = None;
            }
            let (steps, touchpoints) = (journey.steps.len(), journey.touchpoints.len());
            for (index, (day, offer, delay, route)) in changes.into_iter().enumerate() {
                let step = &mut journey.steps[index % steps];
                step.day = day;
                step.narrative.offer = offer.clone();
                let touchpoint = &mut journey.touchpoints[index % touchpoints];
                touchpoint.timing.delay_minutes = delay;
                touchpoint.replies.route_to_owner = route;
                touchpoint.body = offer;
            }
            journey
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn import_of_export_is_the_same_journey(journey in journeys()) {
        let exported = format::export(&journey);
        let imported = format::import(&exported).map_err(|problems| TestCaseError::fail(format!("{problems:?}")))?;
        prop_assert_eq!(&imported, &journey);
        prop_assert_eq!(format::export(&imported), exported);
    }

    #[test]
    fn import_never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
        let _ = format::import(&text);
    }

    #[test]
    fn import_never_panics_on_arbitrary_json_in_any_field(
        path_choice in 0usize..12,
        value in prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_filter("finite", |number| number.is_finite()).prop_map(Value::from),
            "\\PC{0,20}".prop_map(Value::String),
            Just(serde_json::json!([1, "two", null])),
            Just(serde_json::json!({"x": {"y": []}})),
        ],
    ) {
        let pointers = [
            "/name", "/email_send_time", "/steps", "/steps/0", "/steps/0/day", "/sms/1/timing",
            "/sms/2/moment", "/policies/legal_windows/0", "/policies/caps/1/window_hours",
            "/routing/owners/0/coverage", "/routing/backup_owner", "/measurement/outcomes",
        ];
        let patch = serde_json::json!([["set", pointers[path_choice], value]]).to_string();
        let _ = format::import(&patched_sample(&patch));
    }
}
