//! SARIF 2.1.0 for GitHub code scanning and other viewers: `tool.driver.rules` describes every
//! rule (title, message, Markdown doc, link, default level); each result carries its rule,
//! level, region (`columnKind` `unicodeCodePoints`, end column exclusive, as our columns are),
//! snippet, related location and a `partialFingerprints` entry that survives rebases.
//! Shadow-stage findings are kept with level `none`, so they are recorded but never alert;
//! findings excused by `codex:allow` or a clippy `allow` carry `suppressions` of kind
//! `inSource`, and those the baseline hides of kind `external`. Levels follow the stage
//! ([`super::Level`]).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use super::{Context, Level, RuleInfo, markup};
use crate::diagnostic::Diagnostic;

// The document's types, borrowing from the diagnostics so nothing is copied. Fields are in
// alphabetical order, the order the output has always had.

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    tool: Tool<'a>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
struct Driver<'a> {
    name: &'static str,
    rules: Vec<Descriptor<'a>>,
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    default_configuration: Configuration,
    full_description: Text<'a>,
    help: Help<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'a str>,
    id: &'a str,
    name: &'a str,
    short_description: Text<'a>,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Help<'a> {
    markdown: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    fixes: Option<[SarifFix<'a>; 1]>,
    level: &'static str,
    locations: [Location<'a>; 1],
    message: Text<'a>,
    partial_fingerprints: Fingerprints<'a>,
    properties: Properties<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    related_locations: Option<[RelatedLocation<'a>; 1]>,
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[Suppression<'a>; 1]>,
}

#[derive(Serialize)]
struct Fingerprints<'a> {
    /// Bump the key's version if the fingerprint recipe changes.
    #[serde(rename = "cargoCodex/v1")]
    cargo_codex: &'a str,
}

#[derive(Serialize)]
struct Properties<'a> {
    incidents: &'a [String],
    item: Option<&'a str>,
    references: &'a [String],
    scope: &'static str,
    stage: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a, Region<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a, R> {
    artifact_location: Artifact<'a>,
    region: R,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact<'a> {
    uri: &'a str,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region<'a> {
    end_column: usize,
    end_line: usize,
    snippet: Text<'a>,
    start_column: usize,
    start_line: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Span {
    end_column: usize,
    end_line: usize,
    start_column: usize,
    start_line: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Start {
    start_column: usize,
    start_line: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    artifact_changes: [ArtifactChange<'a>; 1],
    description: OwnedText,
}

#[derive(Serialize)]
struct OwnedText {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: Artifact<'a>,
    replacements: [Replacement<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Span,
    inserted_content: Text<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation<'a> {
    id: usize,
    message: Text<'a>,
    physical_location: PhysicalLocation<'a, Start>,
}

#[derive(Serialize)]
struct Suppression<'a> {
    justification: &'a str,
    kind: &'static str,
}

pub(super) fn render(
    writer: &mut dyn Write,
    diagnostics: &[&Diagnostic],
    context: &Context,
) -> io::Result<()> {
    let rules: Vec<Descriptor<'_>> = context.rules.iter().map(descriptor).collect();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, rule) in context.rules.iter().enumerate() {
        index.entry(rule.id.as_str()).or_insert(i);
    }
    // Each finding's file as a URI, encoded once per finding and borrowed by its locations.
    let uris: Vec<String> = diagnostics
        .iter()
        .map(|d| uri(&d.path))
        .chain(context.suppressed.iter().map(|s| uri(&s.diagnostic.path)))
        .chain(context.baselined.iter().map(|d| uri(&d.path)))
        .collect();
    let mut uris = uris.iter();
    let mut results: Vec<SarifResult<'_>> = Vec::with_capacity(diagnostics.len());
    for (d, uri) in diagnostics.iter().zip(&mut uris) {
        results.push(result(d, uri, &index));
    }
    // Excused findings stay visible to code scanning as suppressed results, with the reason.
    for (excused, uri) in context.suppressed.iter().zip(&mut uris) {
        let mut entry = result(&excused.diagnostic, uri, &index);
        entry.suppressions = Some([Suppression {
            justification: &excused.justification,
            kind: "inSource",
        }]);
        results.push(entry);
    }
    // Accepted legacy findings: suppressed outside the source, by the baseline file.
    for (accepted, uri) in context.baselined.iter().zip(uris) {
        let mut entry = result(accepted, uri, &index);
        entry.suppressions = Some([Suppression {
            justification: "accepted in the baseline",
            kind: "external",
        }]);
        results.push(entry);
    }
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            column_kind: "unicodeCodePoints",
            results,
            tool: Tool {
                driver: Driver {
                    name: env!("CARGO_PKG_NAME"),
                    rules,
                    version: env!("CARGO_PKG_VERSION"),
                },
            },
        }],
        version: "2.1.0",
    };
    serde_json::to_writer_pretty(&mut *writer, &log)?;
    writeln!(writer)
}

fn descriptor(rule: &RuleInfo) -> Descriptor<'_> {
    Descriptor {
        default_configuration: Configuration {
            level: Level::of(rule.stage, rule.severity).as_str(),
        },
        full_description: Text {
            text: &rule.message,
        },
        help: Help {
            markdown: &rule.doc,
            text: &rule.message,
        },
        // Viewers turn it into a link: only a web address.
        help_uri: rule.url.as_deref().filter(|url| markup::is_web_url(url)),
        id: &rule.id,
        name: &rule.name,
        short_description: Text { text: &rule.title },
    }
}

/// `path` as a relative URI reference: every byte but unreserved characters and `/`
/// percent-encoded, so `#`, `?`, `%` or a colon in a file name stay part of the path.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn result<'a>(d: &'a Diagnostic, uri: &'a str, index: &HashMap<&str, usize>) -> SarifResult<'a> {
    let artifact = || Artifact {
        uri,
        uri_base_id: "%SRCROOT%",
    };
    SarifResult {
        fixes: d.fix.as_ref().map(|fix| {
            [SarifFix {
                artifact_changes: [ArtifactChange {
                    artifact_location: artifact(),
                    replacements: [Replacement {
                        deleted_region: Span {
                            end_column: fix.end.column,
                            end_line: fix.end.line,
                            start_column: fix.start.column,
                            start_line: fix.start.line,
                        },
                        inserted_content: Text {
                            text: &fix.replacement,
                        },
                    }],
                }],
                description: OwnedText {
                    text: format!("{} ({})", fix.description, fix.applicability.as_str()),
                },
            }]
        }),
        level: Level::of_diagnostic(d).as_str(),
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: artifact(),
                region: Region {
                    end_column: d
                        .end
                        .column
                        .max(d.start.column + usize::from(d.end.line == d.start.line)),
                    end_line: d.end.line,
                    snippet: Text {
                        text: &d.snippet.text,
                    },
                    start_column: d.start.column,
                    start_line: d.start.line,
                },
            },
        }],
        message: Text { text: &d.message },
        partial_fingerprints: Fingerprints {
            cargo_codex: &d.fingerprint,
        },
        properties: Properties {
            incidents: &d.incidents,
            item: d.item.as_deref(),
            references: &d.references,
            scope: d.scope.as_str(),
            stage: d.stage.as_str(),
        },
        related_locations: d.related.as_ref().map(|related| {
            [RelatedLocation {
                id: 1,
                message: Text {
                    text: &related.message,
                },
                physical_location: PhysicalLocation {
                    artifact_location: artifact(),
                    region: Start {
                        start_column: related.start.column,
                        start_line: related.start.line,
                    },
                },
            }]
        }),
        rule_id: &d.rule,
        rule_index: index.get(d.rule.as_str()).copied(),
        suppressions: None,
    }
}
