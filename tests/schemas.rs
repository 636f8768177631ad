//! Machine formats validate against the official schemas kept in `tests/schemas/` (sources and
//! licences in its README), and the JSON output against its own contract,
//! `schemas/diagnostics-v1.schema.json`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::path::Path;

use common::Project;

fn schema(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schemas")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn project() -> Project {
    let project = Project::new();
    project
        .file(
            "src/lib.rs",
            "pub fn load(bytes: &[u8]) -> usize {\n    let f: F = serde_json::from_slice(bytes).unwrap();\n    let n = f.len();\n    panic!(\"café {n}\");\n}\n",
        )
        .file("src/empty.rs", "")
        .file("src/fixable.rs", "pub fn f(x: Option<u8>) -> Option<u8> {\n    let v = x.unwrap();\n    Some(v)\n}\n")
        .file("src/my file.rs", "pub fn g(m: &M) -> u8 { m[&1] }\n")
        .file("codex.toml", "[rules.CX0005]\nstage = \"shadow\"\n");
    project
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let out = project().run(&["check", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema("sarif-2.1.0.json")).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let results = run["results"].as_array().unwrap();
    let levels: Vec<(&str, &str)> = results
        .iter()
        .map(|r| (r["ruleId"].as_str().unwrap(), r["level"].as_str().unwrap()))
        .collect();
    assert_eq!(
        levels,
        [
            ("CX9002", "note"),
            ("CX0001", "error"),
            ("CX0004", "error"),
            ("CX0001", "error"),
            ("CX0003", "error"),
            ("CX0005", "none")
        ]
    );
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let cx0001 = rules.iter().find(|r| r["id"] == "CX0001").unwrap();
    assert!(
        cx0001["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## Why is this bad?")
    );
    assert_eq!(cx0001["defaultConfiguration"]["level"], "error");
    let panic = results.iter().find(|r| r["ruleId"] == "CX0003").unwrap();
    let region = &panic["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startColumn"].as_u64(), region["endColumn"].as_u64()),
        (Some(5), Some(10))
    );
    assert_eq!(
        panic["partialFingerprints"]["cargoCodex/v1"]
            .as_str()
            .unwrap()
            .len(),
        32
    );
    let validate = results.iter().find(|r| r["ruleId"] == "CX0004").unwrap();
    assert_eq!(
        validate["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    let fixed = &results[1]["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(fixed["insertedContent"]["text"], "?");
    assert_eq!(fixed["deletedRegion"]["startLine"], 2);
    let shadow = results.iter().find(|r| r["ruleId"] == "CX0005").unwrap();
    assert_eq!(
        shadow["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "src/my%20file.rs"
    );
}

#[test]
fn gitlab_code_quality_has_the_documented_fields_and_no_bom() {
    let out = project().run(&["check", "--format", "gitlab"]);
    assert!(!out.stdout.starts_with('\u{feff}'));
    let issues: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let issues = issues.as_array().unwrap();
    assert_eq!(
        issues.len(),
        5,
        "shadow findings are left out of the widget"
    );
    for issue in issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[key].is_string(), "{key} in {issue}");
        }
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap())
        );
        assert!(issue["location"]["path"].is_string());
        assert!(issue["location"]["lines"]["begin"].is_u64());
    }
    let fingerprints: std::collections::HashSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
}

#[test]
fn github_annotations_escape_properties_and_data() {
    let project = project();
    project.file("src/a,b:c.rs", "pub fn f() -> u8 { Some(1).unwrap() }\n");
    let out = project.run(&["check", "--format", "github"]);
    let line = out
        .stdout
        .lines()
        .find(|l| l.contains("a%2Cb%3Ac.rs"))
        .unwrap();
    assert!(line.starts_with("::error file=src/a%2Cb%3Ac.rs,line=1,endLine=1,col=28,endColumn=34,title=CX0001 unwrap-outside-tests%3A `.unwrap()` outside test code::"), "{line}");
    assert!(
        line.contains("%0Ahelp: "),
        "multi-line messages are escaped: {line}"
    );
    assert!(
        !out.stdout.contains("CX0005"),
        "shadow findings are not annotated"
    );
}

#[test]
fn rdjson_and_rdjsonl_validate_against_reviewdog_schemas_with_byte_columns() {
    let project = project();
    let out = project.run(&["check", "--format", "rdjson"]);
    let document: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let validator =
        jsonschema::validator_for(&schema("reviewdog-rdf/DiagnosticResult.json")).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let panic = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"]["value"] == "CX0003")
        .unwrap();
    assert_eq!(
        panic["location"]["range"]["start"],
        serde_json::json!({"line": 4, "column": 5})
    );
    let suggestion = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|d| d["suggestions"].as_array())
        .unwrap();
    assert_eq!(suggestion[0]["text"], "?");
    assert_eq!(
        suggestion[0]["range"]["start"],
        serde_json::json!({"line": 2, "column": 14})
    );

    project.file(
        "src/lib.rs",
        "pub fn f() -> u8 { let é = \"ü\"; Some(1).unwrap() }\n",
    );
    let out = project.run(&["check", "--format", "rdjsonl"]);
    let validator = jsonschema::validator_for(&schema("reviewdog-rdf/Diagnostic.json")).unwrap();
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!lines.is_empty());
    for line in &lines {
        let errors: Vec<String> = validator.iter_errors(line).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    let unwrap = lines
        .iter()
        .find(|d| d["code"]["value"] == "CX0001" && d["location"]["path"] == "src/lib.rs")
        .unwrap();
    // `unwrap` is character column 41, byte column 43 (é and ü take two bytes each).
    assert_eq!(unwrap["location"]["range"]["start"]["column"], 43);
    assert_eq!(unwrap["location"]["range"]["end"]["column"], 49);
}

#[test]
fn sarif_records_suppressed_findings_with_their_justification() {
    let project = Project::new();
    project.file(
        "src/lib.rs",
        "pub fn a(x: Option<u8>) -> u8 {\n    x.unwrap() // codex:allow(CX0001) checked by the caller\n}\n#[allow(clippy::expect_used)]\npub fn b(x: Option<u8>) -> u8 {\n    x.expect(\"b\")\n}\n",
    );
    let out = project.run(&["check", "--format", "sarif"]);
    assert_eq!(out.code, 0, "suppressed findings do not fail the run");
    let sarif: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema("sarif-2.1.0.json")).unwrap();
    assert!(validator.is_valid(&sarif));
    let suppressions: Vec<(&str, &str)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap(),
                r["suppressions"][0]["justification"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        suppressions,
        [
            ("CX0001", "checked by the caller"),
            ("CX0002", "#[allow(clippy::expect_used)]")
        ]
    );
    let json = project.run(&["check", "--format", "json"]);
    assert!(
        json.stdout.contains("\"diagnostics\": []"),
        "other formats leave them out"
    );
}

/// Sets `additionalProperties: false` on every object schema that lists its properties: the
/// published schema lets consumers meet fields added within v1, the test wants every field the
/// output has declared.
fn strict(schema: &mut serde_json::Value) {
    match schema {
        serde_json::Value::Object(map) => {
            if map.contains_key("properties") {
                map.insert("additionalProperties".to_owned(), false.into());
            }
            map.values_mut().for_each(strict);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strict),
        _ => {}
    }
}

fn assert_json_contract(document: &serde_json::Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/diagnostics-v1.schema.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let published = jsonschema::validator_for(&schema).unwrap();
    strict(&mut schema);
    let declared = jsonschema::validator_for(&schema).unwrap();
    for validator in [published, declared] {
        let errors: Vec<String> = validator
            .iter_errors(document)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn json_validates_against_the_contract_schema() {
    let project = project();
    assert!(common::git(&project, &["init", "-q"]).status.success());
    assert!(common::git(&project, &["add", "-A"]).status.success());
    assert!(
        common::git(&project, &["commit", "-qm", "one"])
            .status
            .success()
    );
    let out = project.run(&["check", "--format", "json"]);
    let document: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_json_contract(&document);
    let diagnostics = document["diagnostics"].as_array().unwrap();
    // The optional parts are all there, so the schema checked them.
    assert!(document["commit"].is_string());
    assert!(diagnostics.iter().any(|d| d["fix"].is_object()));
    assert!(diagnostics.iter().any(|d| d["related"].is_array()));
    assert!(diagnostics.iter().any(|d| d["stage"] == "shadow"));

    // With a baseline: the summary's optional counts.
    let written = project.run(&["check", "--write-baseline", "baseline.json"]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    project.file(
        "src/empty.rs",
        "pub fn e(x: Option<u8>) -> u8 { x.unwrap() }\n",
    );
    let out = project.run(&["check", "--format", "json", "--baseline", "baseline.json"]);
    let document: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_json_contract(&document);
    assert!(document["summary"]["baselined"].as_u64() > Some(0));
    assert_eq!(document["summary"]["baseline_stale"], 1, "{document:#}");

    // The schema is not a rubber stamp.
    let mut broken = document.clone();
    broken["diagnostics"][0]["stage"] = "sometimes".into();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/diagnostics-v1.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert!(
        !jsonschema::validator_for(&schema)
            .unwrap()
            .is_valid(&broken)
    );
}
