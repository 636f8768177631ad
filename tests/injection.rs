//! Output cannot be used for injection (issue 7, section 5): the binary runs on a project whose
//! file names, source lines, suppression reasons and project rule hold terminal escapes, line
//! breaks, Markdown, HTML, mentions and bidi controls, and every format must carry them inertly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::collections::BTreeSet;

use common::{Output, Project};
use comrak::nodes::NodeValue;
use comrak::{Arena, Options, parse_document};

/// What a hostile source line says, in a comment after a finding.
const HOSTILE: &str = "\u{1b}]0;pwned\u{7} \u{1b}[2J\u{8}\u{9b}31m </details> <img src=x onerror=alert(1)> \
    [a](javascript:alert(1)) ![x](http://evil.example/x.png) @everyone #1 !2 ``` ```` ~~~~ | <!-- \
    \u{202e}gnp.exe https://evil.example www.evil.example <https://evil.example> &#x3C;b&#x3E;";

/// File names a merge request can add: each ends in `.rs`, so it is checked.
const NAMES: [&str; 5] = [
    "src/esc\u{1b}[31m\u{7}bel.rs",
    "src/nl\n::error file=forged.rs,line=1::forged\n.rs",
    "src/cr\r|<b>@everyone`](javascript:x) #1.rs",
    "src/bidi\u{202e}sr.txt\u{2066}.rs",
    "src/`` ```md ~~~ </details>.rs",
];

/// A project rule, loaded through `rule_dirs`, whose every string is hostile.
const RULE: &str = r#"id = "CX0100"
title = "<img src=x onerror=alert(1)> \u001b]8;;http://evil.example\u0007link\u001b]8;;\u0007 @everyone #1 </details>"
severity = "warning"
stage = "enforce"
references = ["https://example.com/rule"]
message = "[click](javascript:alert(1)) ![x](http://evil.example/x.png) \u001b[2J`co`de` | cell \u202e <!-- @here"
help = "line1\n::error file=forged.rs::forged\r\n/merge\n# heading"
url = "javascript:alert(1)"
doc = """
## What it does
<script>alert(1)</script>
## Why is this bad?
x
## Example
x
"""
[match]
method = ["unwrap"]
"#;

fn source() -> String {
    format!(
        "pub fn f(x: Option<u8>) -> u8 {{ x.unwrap() }} // {HOSTILE}\n\
         pub fn g(x: Option<u8>) -> u8 {{\n    \
             x.unwrap() // codex:allow(CX0001) fine \u{1b}[2J </details> @everyone `\n\
         }}\n\
         pub fn h(x: Option<u8>) -> u8 {{ x.unwrap() }} // a\r~~~~\r@everyone <img src=x>\r\n\
         pub fn i(x: Option<u8>) -> u8 {{ x.unwrap() }} // codex:allow(CX`0001`) `</details>`\n"
    )
}

fn project() -> Project {
    let project = Project::new();
    for name in NAMES {
        project.file(name, &source());
    }
    project
        .file("codex.toml", "rule_dirs = [\"rules\"]\n")
        .file("rules/evil.toml", RULE);
    project
}

/// Findings per hostile file: three `.unwrap()` (one is excused), the project rule on all four,
/// and the suppression naming an unknown rule.
const PER_FILE: usize = 8;

fn run(project: &Project, format: &str) -> Output {
    let out = project.run(&["check", "--color", "never", "--format", format]);
    assert_eq!(out.code, 1, "{format}: {}", out.stderr);
    assert!(out.stderr.is_empty(), "{format}: {}", out.stderr);
    out
}

/// Characters that must never reach a terminal or a comment raw.
fn is_dangerous(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn assert_no_raw_controls(format: &str, text: &str) {
    if let Some((at, c)) = text.char_indices().find(|&(_, c)| is_dangerous(c)) {
        let before: String = text[..at].chars().rev().take(60).collect();
        let before: String = before.chars().rev().collect();
        panic!("{format}: raw {c:?} at byte {at}, after {before:?}");
    }
}

#[test]
fn terminal_formats_show_control_characters_visibly() {
    let project = project();
    for format in ["human", "concise"] {
        let out = run(&project, format);
        assert_no_raw_controls(format, &out.stdout);
        for line in out.stdout.lines() {
            assert!(!line.starts_with("::"), "{format}: forged line {line:?}");
        }
        // What was there is shown, not dropped.
        assert!(
            out.stdout.contains("src/nl␊::error file=forged.rs"),
            "{format}"
        );
        assert!(out.stdout.contains("src/esc␛[31m␇bel.rs"), "{format}");
        assert!(out.stdout.contains("\\u{202e}"), "{format}");
        assert!(
            out.stdout.contains("[click](javascript:alert(1))"),
            "{format}"
        );
    }
    let human = run(&project, "human").stdout;
    assert!(human.contains("␛]0;pwned␇ ␛[2J␈\\u{9b}31m </details>"));
    assert!(human.contains("// a␍~~~~␍@everyone"));
    // A `warning` rule at stage `enforce` fails the run: an error (issue 10).
    assert!(human.contains("[CX0100] Error: <img src=x onerror=alert(1)> ␛]8;;http"));
    let concise = run(&project, "concise").stdout;
    let heads = concise.lines().filter(|l| l.starts_with("src/")).count();
    assert_eq!(
        heads,
        NAMES.len() * PER_FILE,
        "one line per finding:\n{concise}"
    );
}

#[test]
fn github_annotations_are_one_command_per_finding() {
    let out = run(&project(), "github");
    assert_no_raw_controls("github", &out.stdout);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), NAMES.len() * PER_FILE, "{}", out.stdout);
    for line in &lines {
        assert!(
            line.starts_with("::error file=src/") || line.starts_with("::warning file=src/"),
            "{line}"
        );
        let (properties, _) = line[2..].split_once("::").unwrap();
        assert!(!properties.contains(':'), "{properties}");
    }
    assert!(
        out.stdout
            .contains("file=src/nl␊%3A%3Aerror file=forged.rs%2Cline=1%3A%3Aforged␊.rs,")
    );
    assert!(
        out.stdout
            .contains("help: line1%0A::error file=forged.rs::forged%0A/merge")
    );
}

/// A CI run on GitHub: the comment links files and the project's rules at this commit.
const GITHUB: [(&str, &str); 3] = [
    ("GITHUB_SERVER_URL", "https://github.example"),
    ("GITHUB_REPOSITORY", "acme/proxy"),
    ("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567"),
];

/// The Markdown comment, parsed as GitHub parses it (GFM: tables, autolinks, the tag filter):
/// in a CI job, with files and rules linked, and outside, with the rules' docs inlined.
#[test]
fn markdown_renders_every_untrusted_string_inertly() {
    let project = project();
    let args = ["check", "--color", "never", "--format", "markdown"];
    let blob = "https://github.example/acme/proxy/blob/0123456789abcdef0123456789abcdef01234567/";
    let linked = Comment::parse(&project.run_env(&args, &GITHUB).stdout, Some(blob));
    // Every hostile file is linked, its name percent-encoded, at its line; the project's rule
    // at its file, not at its own script link.
    assert!(
        linked
            .links
            .contains(&format!("{blob}src/esc%1B%5B31m%07bel.rs#L1")),
        "{:#?}",
        linked.links
    );
    assert!(
        linked.links.contains(&format!("{blob}rules/evil.toml")),
        "{:#?}",
        linked.links
    );
    let local = Comment::parse(&project.run_env(&args, &[]).stdout, None);
    assert!(local.links.is_empty(), "{:#?}", local.links);
    // Without a page to link to, the project rule's doc is inlined, inert.
    assert!(
        local.text.contains("<script>alert(1)</script>"),
        "{}",
        local.text
    );
}

/// What a comment holds, once parsed; parsing asserts that it is inert.
struct Comment {
    text: String,
    links: Vec<String>,
}

impl Comment {
    /// Parses `markdown`, whose links must all start with `blob` (none without one).
    fn parse(markdown: &str, blob: Option<&str>) -> Comment {
        assert_no_raw_controls("markdown", markdown);
        for line in markdown.lines() {
            // GitLab runs a note's `/command` lines as quick actions.
            assert!(!line.starts_with('/'), "{line:?}");
        }
        let arena = Arena::new();
        let mut options = Options::default();
        options.extension.table = true;
        options.extension.autolink = true;
        options.extension.strikethrough = true;
        options.extension.footnotes = true;
        let root = parse_document(&arena, markdown, &options);
        let mut headings = Vec::new();
        let mut blocks = Vec::new();
        let mut tables = 0;
        let mut links = Vec::new();
        let mut text = String::new();
        for node in root.descendants() {
            match &node.data.borrow().value {
                // Only the comment's own HTML: its marker, and the collapsed doc of a rule
                // (whose code and name are character references when not plain).
                NodeValue::HtmlBlock(html) => {
                    assert!(is_own_html(&html.literal), "HTML block {:?}", html.literal);
                }
                NodeValue::HtmlInline(html) => panic!("inline HTML {html:?}"),
                NodeValue::Image(image) => panic!("image {:?}", image.url),
                NodeValue::FootnoteReference(note) => panic!("footnote {:?}", note.name),
                NodeValue::Link(link) => {
                    let rest = blob.and_then(|blob| link.url.strip_prefix(blob));
                    assert!(
                        rest.is_some_and(|rest| rest
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"-._~/%#".contains(&b))),
                        "link to {:?}",
                        link.url
                    );
                    links.push(link.url.clone());
                }
                NodeValue::Heading(heading) => headings.push(usize::from(heading.level)),
                NodeValue::CodeBlock(block) => {
                    blocks.push((block.info.clone(), block.literal.clone()));
                }
                NodeValue::Table(_) => tables += 1,
                NodeValue::TableRow(_) => {
                    assert_eq!(node.children().count(), 4, "a row keeps its cells");
                }
                NodeValue::Text(t) => {
                    text.push_str(t);
                    text.push('\n');
                }
                _ => {}
            }
        }
        // Mentions and references are found in the rendered text, escapes already undone.
        for (i, c) in text.char_indices() {
            let next = text[i + c.len_utf8()..].chars().next();
            if matches!(c, '@' | '#' | '!') {
                assert!(
                    !next.is_some_and(|n| n.is_ascii_alphanumeric()),
                    "a mention or reference: {:?}",
                    text[i..].chars().take(12).collect::<String>()
                );
            }
        }
        // The hostile text is there, as text.
        assert!(text.contains("<img src=x onerror=alert(1)>"), "{text}");
        assert!(text.contains("[click](javascript:alert(1))"), "{text}");

        let findings = NAMES.len() * PER_FILE;
        assert_eq!(tables, 1);
        assert_eq!(headings.iter().filter(|&&level| level == 2).count(), 1);
        assert_eq!(
            headings.iter().filter(|&&level| level == 3).count(),
            NAMES.len(),
            "one heading per file: {markdown}"
        );
        assert_eq!(
            headings.iter().filter(|&&level| level == 4).count(),
            findings,
            "{markdown}"
        );
        // One code block per finding, none broken open by the source it shows.
        let sources: Vec<&String> = blocks
            .iter()
            .filter(|(_, literal)| literal.contains("x.unwrap()"))
            .map(|(_, literal)| literal)
            .collect();
        assert_eq!(sources.len(), findings, "{blocks:#?}");
        for literal in &sources {
            assert_eq!(literal.lines().count(), 1, "{literal:?}");
        }
        assert!(blocks.iter().all(|(info, _)| info == "rust"));
        assert!(
            sources
                .iter()
                .any(|l| l.contains("</details> <img src=x onerror=alert(1)>"))
        );
        assert!(
            sources
                .iter()
                .any(|l| l.contains("// a␍~~~~␍@everyone <img src=x>"))
        );
        Comment { text, links }
    }
}

/// The comment's own HTML: the marker, and `<details>` around a rule's doc.
fn is_own_html(literal: &str) -> bool {
    let literal = literal.trim_end();
    if literal == "<!-- cargo-codex -->" || literal == "</details>" {
        return true;
    }
    literal
        .strip_prefix("<details><summary>")
        .and_then(|rest| rest.strip_suffix("</summary>"))
        .is_some_and(|summary| {
            summary
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b" -_.&#;".contains(&b))
        })
}

/// JSON formats are built by serde: the hostile names come back exactly, structure intact.
#[test]
fn machine_formats_keep_hostile_strings_as_data() {
    let project = project();
    let expected: BTreeSet<String> = NAMES.iter().map(|n| (*n).to_owned()).collect();
    let paths = |values: Vec<&serde_json::Value>| -> BTreeSet<String> {
        values
            .into_iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };

    let json: serde_json::Value = serde_json::from_str(&run(&project, "json").stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), NAMES.len() * PER_FILE);
    assert_eq!(
        paths(diagnostics.iter().map(|d| &d["path"]).collect()),
        expected
    );
    let evil = diagnostics.iter().find(|d| d["rule"] == "CX0100").unwrap();
    assert!(
        evil["title"].as_str().unwrap().contains('\u{1b}'),
        "data stays data"
    );

    let gitlab: serde_json::Value = serde_json::from_str(&run(&project, "gitlab").stdout).unwrap();
    let issues = gitlab.as_array().unwrap();
    assert_eq!(
        paths(issues.iter().map(|i| &i["location"]["path"]).collect()),
        expected
    );
    // The description is shown to people in the merge-request widget (review).
    for issue in issues {
        assert_no_raw_controls("gitlab", issue["description"].as_str().unwrap());
    }

    let rdjson: serde_json::Value = serde_json::from_str(&run(&project, "rdjson").stdout).unwrap();
    let rd = rdjson["diagnostics"].as_array().unwrap();
    assert_eq!(
        paths(rd.iter().map(|d| &d["location"]["path"]).collect()),
        expected
    );
    assert!(
        rd.iter().all(|d| d["code"]
            .get("url")
            .is_none_or(|url| url != "javascript:alert(1)")),
        "a script link is not offered to reviewdog"
    );
    let lines = run(&project, "rdjsonl").stdout;
    for line in lines.lines() {
        let d: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(expected.contains(d["location"]["path"].as_str().unwrap()));
    }
    assert_eq!(lines.lines().count(), rd.len());

    let sarif: serde_json::Value = serde_json::from_str(&run(&project, "sarif").stdout).unwrap();
    let run0 = &sarif["runs"][0];
    let uris: BTreeSet<String> = run0["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert!(
                uri.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
                "{uri}"
            );
            percent_decode(uri)
        })
        .collect();
    assert_eq!(uris, expected);
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let evil = rules.iter().find(|r| r["id"] == "CX0100").unwrap();
    assert!(
        evil.get("helpUri").is_none(),
        "a script link is not a help link"
    );
    let justification = run0["results"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|r| r["suppressions"][0]["justification"].as_str())
        .unwrap();
    assert!(
        justification.contains("\u{1b}[2J </details>"),
        "{justification}"
    );
}

fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&uri[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn load_errors_show_hostile_rule_files_visibly() {
    let project = Project::new();
    project
        .file("src/lib.rs", "pub fn f() {}\n")
        .file("codex.toml", "rule_dirs = [\"rules\"]\n")
        .file(
            "rules/bad\u{1b}[2J\n::error file=x.rs::forged.toml",
            "id = \"CX0101\"\ntitle = \"\u{1b}]0;pwned\u{7}\u{202e}\"\n",
        );
    let out = project.run(&["check", "--color", "never"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_no_raw_controls("load error", &out.stderr);
    for line in out.stderr.lines() {
        assert!(!line.starts_with("::"), "forged line {line:?}");
    }
    assert!(out.stderr.contains("bad␛[2J␊::error"), "{}", out.stderr);
}

/// A review rule whose every string is hostile.
const REVIEW_RULE: &str = r#"kind = "review"
id = "CX0102"
title = "\u001b]0;pwned\u0007 \u001b[2J \u202egnp"
check = "\u001b[31mcheck\u202e"
bad = "\u001b[2J"
good = "\u2066"
"#;

#[test]
fn rule_listings_show_hostile_rules_visibly() {
    let project = project();
    project.file("rules/evil-review.toml", REVIEW_RULE);
    for args in [
        &["rules"][..],
        &["explain", "CX0100"],
        &["explain", "CX0102"],
    ] {
        let out = project.run(args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert_no_raw_controls(&format!("{args:?}"), &out.stdout);
    }
    let table = project.run(&["rules"]).stdout;
    assert!(table.contains("␛]0;pwned␇ ␛[2J \\u{202e}gnp"), "{table}");
}
