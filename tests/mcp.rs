//! End to end: `cargo codex mcp` driven over stdio as an MCP client drives it (newline-delimited
//! JSON-RPC: initialize, notifications/initialized, tools/list, tools/call, end of input), on
//! fixture trees and a real git repository.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use common::{LOCK_RULE, Project, binary, git};
use serde_json::{Value, json};

/// Longest wait for one answer, or for the server to exit: a hang fails the test instead of
/// blocking the suite.
const TIMEOUT: Duration = Duration::from_secs(60);

/// An MCP client: the server process and the lines it wrote, each parsed.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<Result<Value, String>>,
    next_id: i64,
}

impl Client {
    /// Starts `cargo-codex mcp ARGS` in `dir`.
    fn start(dir: &Path, args: &[&str]) -> Client {
        let mut child = Command::new(binary())
            .arg("mcp")
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                // Standard output carries the protocol only: every line is a JSON-RPC message.
                let parsed = serde_json::from_str::<Value>(&line)
                    .ok()
                    .filter(|message| message["jsonrpc"] == "2.0")
                    .ok_or(line);
                if sender.send(parsed).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            lines,
            next_id: 1,
        }
    }

    /// A server for `project`, past `initialize` and `notifications/initialized`.
    fn initialized(project: &Project) -> Client {
        let mut client = Client::start(project.path(), &[]);
        client.initialize();
        client
    }

    /// The handshake; the `initialize` result.
    fn initialize(&mut self) -> Value {
        let params = json!({
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": { "name": "cargo-codex-tests", "version": "0" },
        });
        let result = self.request("initialize", params)["result"].clone();
        self.send(&json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }));
        result
    }

    fn send(&mut self, message: &Value) {
        let stdin = self.stdin.as_mut().unwrap();
        writeln!(stdin, "{message}").unwrap();
        stdin.flush().unwrap();
    }

    /// Sends a request and waits for its response (the whole message).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        message["params"] = params;
        self.send(&message);
        loop {
            let message = self
                .lines
                .recv_timeout(TIMEOUT)
                .expect("the server answers in time")
                .unwrap_or_else(|line| panic!("not a JSON-RPC message on stdout: {line}"));
            if message["id"] == id && message.get("method").is_none() {
                return message;
            }
        }
    }

    /// `tools/call` of `name` with `arguments`: the result (the call must not be a protocol
    /// error).
    fn call(&mut self, name: &str, arguments: Value) -> Value {
        let mut params = json!({ "name": name });
        params["arguments"] = arguments;
        let response = self.request("tools/call", params);
        assert!(response.get("error").is_none(), "{response}");
        response["result"].clone()
    }

    /// A call that must succeed: its structured content, which its text repeats.
    fn answer(&mut self, name: &str, arguments: Value) -> Value {
        let result = self.call(name, arguments);
        assert_eq!(result["isError"], false, "{result}");
        let text = result["content"][0]["text"].as_str().unwrap();
        let from_text: Value = serde_json::from_str(text).unwrap();
        assert_eq!(from_text, result["structuredContent"]);
        result["structuredContent"].clone()
    }

    /// A call that must fail as a tool error: its text.
    fn tool_error(&mut self, name: &str, arguments: Value) -> String {
        let result = self.call(name, arguments);
        assert_eq!(result["isError"], true, "{result}");
        result["content"][0]["text"].as_str().unwrap().to_owned()
    }

    /// Closes the server's input, as a client that goes away does; its exit code.
    fn close(mut self) -> i32 {
        drop(self.stdin.take());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Nothing but protocol messages was written.
                while let Ok(line) = self.lines.try_recv() {
                    line.unwrap_or_else(|line| panic!("not a JSON-RPC message: {line}"));
                }
                return status.code().unwrap_or(-1);
            }
            if started.elapsed() > TIMEOUT {
                self.child.kill().unwrap();
                panic!("the server did not exit when its input closed");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

const UNWRAP: &str = "pub fn f(x: Option<u8>) -> u8 {\n    x.unwrap()\n}\n";

/// The rule codes and lines of `diagnostics`.
fn found(diagnostics: &Value) -> Vec<String> {
    diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{} {}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["rule"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn handshake_lists_the_tools_with_described_inputs_and_eof_ends_the_server() {
    let project = Project::new();
    project.file("src/lib.rs", UNWRAP);
    let mut client = Client::start(project.path(), &[]);
    let init = client.initialize();
    assert_eq!(init["serverInfo"]["name"], "cargo-codex");
    assert!(init["capabilities"]["tools"].is_object(), "{init}");
    assert!(init["instructions"].as_str().unwrap().contains("check"));
    let tools = client.request("tools/list", json!({}))["result"]["tools"].clone();
    let names: Vec<&str> = tools
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| tool["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["check", "explain", "rules", "review_brief"]);
    for tool in tools.as_array().unwrap() {
        assert!(tool["description"].as_str().unwrap().len() > 80, "{tool}");
        assert_eq!(tool["inputSchema"]["type"], "object", "{tool}");
        assert_eq!(tool["annotations"]["readOnlyHint"], true, "{tool}");
        // Every argument tells a model what it means.
        let properties = tool["inputSchema"]["properties"].as_object().unwrap();
        for (name, schema) in properties {
            assert!(schema["description"].is_string(), "{name}: {schema}");
        }
    }
    let check = &tools[0]["inputSchema"];
    for argument in ["paths", "diff_base", "diff", "staged", "select", "limit"] {
        assert!(check["properties"].get(argument).is_some(), "{argument}");
    }
    assert_eq!(tools[1]["inputSchema"]["required"], json!(["rule"]));
    assert_eq!(tools[3]["inputSchema"]["required"], json!(["diff_base"]));
    assert_eq!(client.close(), 0);
}

#[test]
fn check_returns_the_json_formats_diagnostics_and_summary() {
    let project = Project::new();
    project
        .file("src/lib.rs", "mod a;\nmod b;\n")
        .file("src/a.rs", UNWRAP)
        .file(
            "src/b.rs",
            "pub fn g(x: Option<u8>) -> u8 {\n    x.expect(\"x\")\n}\n",
        );
    let cli = project.run(&["check", "--format", "json"]);
    let cli: Value = serde_json::from_str(&cli.stdout).unwrap();
    let mut client = Client::initialized(&project);
    let answer = client.answer("check", json!({}));
    assert_eq!(answer["schema"], "cargo-codex/diagnostics/v1");
    // The same diagnostic objects and summary as `check --format json`.
    assert_eq!(answer["diagnostics"], cli["diagnostics"]);
    assert_eq!(answer["summary"], cli["summary"]);
    assert_eq!(
        found(&answer["diagnostics"]),
        ["src/a.rs:2 CX0001", "src/b.rs:2 CX0002"]
    );
    assert_eq!(answer["summary"]["enforced"], 2);
    assert!(answer.get("truncated").is_none());
    // Named paths narrow the check; rules can be selected.
    let narrowed = client.answer("check", json!({ "paths": ["src/b.rs"] }));
    assert_eq!(found(&narrowed["diagnostics"]), ["src/b.rs:2 CX0002"]);
    let selected = client.answer("check", json!({ "select": ["CX0001"] }));
    assert_eq!(found(&selected["diagnostics"]), ["src/a.rs:2 CX0001"]);
    assert_eq!(client.close(), 0);
}

#[test]
fn paths_outside_the_root_are_refused_and_the_server_goes_on() {
    let outside = Project::new();
    outside.file("secret.rs", UNWRAP);
    let project = Project::new();
    project.file("src/lib.rs", UNWRAP);
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), project.path().join("src/linked")).unwrap();
    let mut client = Client::initialized(&project);
    let absolute = outside.path().join("secret.rs");
    let mut refused = vec![
        "../secret.rs",
        "src/../../secret.rs",
        absolute.to_str().unwrap(),
    ];
    if cfg!(unix) {
        refused.push("src/linked/secret.rs");
    }
    for path in refused {
        let error = client.tool_error("check", json!({ "paths": [path] }));
        assert!(
            error.contains("is outside the project root"),
            "{path}: {error}"
        );
    }
    // An absolute path inside the root is the same as a relative one.
    let inside = project.path().join("src/lib.rs");
    let answer = client.answer("check", json!({ "paths": [inside.to_str().unwrap()] }));
    assert_eq!(found(&answer["diagnostics"]), ["src/lib.rs:2 CX0001"]);
    assert_eq!(client.close(), 0);
}

#[test]
fn bad_calls_are_tool_errors_and_an_unknown_tool_a_protocol_error() {
    let project = Project::new();
    project.file("src/lib.rs", UNWRAP);
    let mut client = Client::initialized(&project);
    let wrong_type = client.tool_error("check", json!({ "paths": "src" }));
    assert!(
        wrong_type.contains("invalid arguments for `check`"),
        "{wrong_type}"
    );
    let unknown = client.tool_error("check", json!({ "path": ["src"] }));
    assert!(unknown.contains("unknown field `path`"), "{unknown}");
    let both = client.tool_error("check", json!({ "diff_base": "main", "staged": true }));
    assert!(both.contains("exclude each other"), "{both}");
    let limit = client.tool_error("check", json!({ "limit": 100_000 }));
    assert!(limit.contains("over 500"), "{limit}");
    let selector = client.tool_error("check", json!({ "select": ["CX9999X"] }));
    assert!(selector.contains("CX9999X"), "{selector}");
    // Not a git repository: git's failure is the tool's error.
    let no_git = client.tool_error("check", json!({ "diff_base": "main" }));
    assert!(no_git.contains("the check failed"), "{no_git}");
    let option = client.tool_error("check", json!({ "diff_base": "--output=/tmp/x" }));
    assert!(option.contains("the check failed"), "{option}");
    let empty = client.tool_error("review_brief", json!({ "diff_base": " " }));
    assert!(empty.contains("`diff_base` is empty"), "{empty}");
    let budget = client.tool_error(
        "review_brief",
        json!({ "diff_base": "main", "budget_tokens": 1_000_000 }),
    );
    assert!(budget.contains("over 24576"), "{budget}");
    let rule = client.tool_error("explain", json!({ "rule": "CX9999" }));
    assert!(rule.contains("unknown rule `CX9999`"), "{rule}");
    let missing = client.tool_error("explain", json!({}));
    assert!(missing.contains("missing field `rule`"), "{missing}");
    let response = client.request("tools/call", json!({ "name": "fix", "arguments": {} }));
    assert_eq!(response["error"]["code"], -32602, "{response}");
    // The server is still there.
    assert!(client.answer("rules", json!({}))["total"].as_u64().unwrap() >= 7);
    assert_eq!(client.close(), 0);
}

#[test]
fn diff_base_and_diff_report_only_what_the_change_adds() {
    let project = Project::new();
    project.file("src/lib.rs", UNWRAP);
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "."],
        &["commit", "-qm", "base"],
        &["checkout", "-qb", "feature"],
    ] {
        assert!(git(&project, args).status.success(), "git {args:?}");
    }
    project.file(
        "src/lib.rs",
        &format!("{UNWRAP}\npub fn g(x: Option<u8>) -> u8 {{\n    x.expect(\"g\")\n}}\n"),
    );
    assert!(
        git(&project, &["commit", "-qam", "change"])
            .status
            .success()
    );
    let mut client = Client::initialized(&project);
    let whole = client.answer("check", json!({}));
    assert_eq!(
        found(&whole["diagnostics"]),
        ["src/lib.rs:2 CX0001", "src/lib.rs:6 CX0002"]
    );
    let head = String::from_utf8(git(&project, &["rev-parse", "HEAD"]).stdout).unwrap();
    assert_eq!(whole["commit"], head.trim());
    let changed = client.answer("check", json!({ "diff_base": "main" }));
    assert_eq!(found(&changed["diagnostics"]), ["src/lib.rs:6 CX0002"]);
    let diff = String::from_utf8(git(&project, &["diff", "main"]).stdout).unwrap();
    let from_text = client.answer("check", json!({ "diff": diff }));
    assert_eq!(found(&from_text["diagnostics"]), ["src/lib.rs:6 CX0002"]);
    let unknown = client.tool_error("check", json!({ "diff_base": "no-such-branch" }));
    assert!(unknown.contains("the check failed"), "{unknown}");
    assert_eq!(client.close(), 0);
}

#[test]
fn rules_and_explain_describe_the_codex() {
    let project = Project::new();
    project.file("src/lib.rs", "");
    let mut client = Client::initialized(&project);
    let rules = client.answer("rules", json!({}));
    let unwrap = &rules["rules"][0];
    assert_eq!(unwrap["id"], "CX0001");
    assert_eq!(unwrap["name"], "unwrap-outside-tests");
    assert_eq!(unwrap["kind"], "method");
    assert_eq!(unwrap["stage"], "enforce");
    assert_eq!(unwrap["severity"], "error");
    assert!(unwrap["title"].as_str().unwrap().contains("unwrap"));
    let explained = client.answer("explain", json!({ "rule": "unwrap-outside-tests" }));
    assert_eq!(explained["id"], "CX0001");
    assert!(
        explained["doc"]
            .as_str()
            .unwrap()
            .contains("## Why is this bad?")
    );
    let incident = &explained["incidents"][0];
    assert_eq!(incident["id"], "2025-11-18-bot-management-feature-file");
    assert!(incident["summary"].as_str().unwrap().len() > 20);
    // Embedded rules have no fixtures beside them: their doc holds the example.
    assert!(explained.get("examples").is_none());
    assert_eq!(client.close(), 0);
}

#[test]
fn the_codex_is_read_again_when_its_files_change() {
    let project = Project::new();
    project
        .file("codex.toml", "rule_dirs = [\"rules\"]\n")
        .file("rules/mutex-lock.toml", LOCK_RULE)
        .file(
            "rules/mutex-lock/fail.rs",
            "fn f(m: &M) { m.lock(); } //~ ACME0001\n",
        )
        .file("rules/mutex-lock/pass.rs", "fn f() {}\n")
        .file(
            "src/lib.rs",
            "pub fn f(m: &std::sync::Mutex<u8>) {\n    m.lock();\n}\n",
        );
    let mut client = Client::initialized(&project);
    let explained = client.answer("explain", json!({ "rule": "ACME0001" }));
    assert_eq!(explained["title"], "mutex lock");
    assert!(
        explained["examples"]["bad"]
            .as_str()
            .unwrap()
            .contains("//~ ACME0001")
    );
    assert_eq!(explained["examples"]["good"], "fn f() {}\n");
    let before = client.answer("check", json!({}));
    assert_eq!(found(&before["diagnostics"]), ["src/lib.rs:2 ACME0001"]);
    // A rule file edited between calls.
    project.file(
        "rules/mutex-lock.toml",
        &LOCK_RULE.replace("title = \"mutex lock\"", "title = \"a mutex locked\""),
    );
    let explained = client.answer("explain", json!({ "rule": "ACME0001" }));
    assert_eq!(explained["title"], "a mutex locked");
    // codex.toml edited between calls: the rule is disabled.
    project.file(
        "codex.toml",
        "rule_dirs = [\"rules\"]\n[rules.ACME0001]\nenabled = false\n",
    );
    let after = client.answer("check", json!({}));
    assert_eq!(after["summary"]["diagnostics"], 0, "{after}");
    // A broken rule file is a tool error that says where; mended, the Codex loads again.
    project.file("rules/mutex-lock.toml", "id = \n");
    let broken = client.tool_error("rules", json!({}));
    assert!(broken.contains("the Codex does not load"), "{broken}");
    assert!(broken.contains("mutex-lock.toml"), "{broken}");
    project.file("rules/mutex-lock.toml", LOCK_RULE);
    let rules = client.answer("rules", json!({}));
    assert!(!found_rule(&rules, "ACME0001"), "disabled in codex.toml");
    project.file("codex.toml", "rule_dirs = [\"rules\"]\n");
    let rules = client.answer("rules", json!({}));
    assert!(found_rule(&rules, "ACME0001"));
    assert_eq!(client.close(), 0);
}

fn found_rule(rules: &Value, id: &str) -> bool {
    rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|rule| rule["id"] == id)
}

#[test]
fn many_findings_are_cut_to_the_limit_and_the_budget_and_say_so() {
    let project = Project::new();
    let mut body = String::new();
    for i in 0..800 {
        writeln!(body, "    x{i}.unwrap();").unwrap();
    }
    project.file("src/lib.rs", &format!("pub fn f() {{\n{body}}}\n"));
    let mut client = Client::initialized(&project);
    let default = client.answer("check", json!({}));
    assert_eq!(default["diagnostics"].as_array().unwrap().len(), 50);
    assert_eq!(default["summary"]["diagnostics"], 800);
    assert_eq!(default["truncated"]["shown"], 50);
    assert_eq!(default["truncated"]["total"], 800);
    let few = client.answer("check", json!({ "limit": 3 }));
    assert_eq!(few["diagnostics"].as_array().unwrap().len(), 3);
    // 500 diagnostics are more bytes than an answer may hold: fewer are sent, and counted.
    let result = client.call("check", json!({ "limit": 500 }));
    let text = result["content"][0]["text"].as_str().unwrap();
    assert!(text.len() < 128 * 1024, "{} bytes", text.len());
    let shown = result["structuredContent"]["truncated"]["shown"]
        .as_u64()
        .unwrap();
    assert!(shown > 10 && shown < 500, "{shown}");
    assert_eq!(client.close(), 0);
}

#[test]
fn the_project_folder_can_be_named_for_clients_that_start_servers_elsewhere() {
    let project = Project::new();
    project.file("src/lib.rs", UNWRAP);
    let elsewhere = Project::new();
    let mut client = Client::start(elsewhere.path(), &[project.path().to_str().unwrap()]);
    client.initialize();
    let answer = client.answer("check", json!({ "paths": ["src"] }));
    assert_eq!(found(&answer["diagnostics"]), ["src/lib.rs:2 CX0001"]);
    assert_eq!(client.close(), 0);
    let missing = common::run_in(elsewhere.path(), &["mcp", "no-such-folder"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("is not a folder"),
        "{}",
        missing.stderr
    );
    assert!(missing.stdout.is_empty());
}

#[test]
fn a_client_that_leaves_before_initializing_ends_the_server() {
    let project = Project::new();
    let client = Client::start(project.path(), &[]);
    assert_eq!(client.close(), 0);
}

/// A review rule of the project: changed code under `src/config/` must keep a fallback.
const REVIEW_RULE: &str = r#"kind = "review"
id = "ACME0101"
title = "config loaded without a last-known-good fallback"
check = "a config file loaded here has a size limit and falls back to the last good one"
bad = "let features = load(path)?;"
good = "let features = load(path).unwrap_or_else(|_| last_good.clone());"
paths = ["src/config/**"]
"#;

#[test]
fn review_brief_of_a_merge_request_branch() {
    let project = Project::new();
    project
        .file("codex.toml", "rule_dirs = [\"rules\"]\n")
        .file("rules/config-fallback.toml", REVIEW_RULE)
        .file(
            "rules/config-fallback/applies.rs",
            "pub fn load() {} //~ ACME0101\n",
        )
        .file(
            "rules/config-fallback/not_applies.rs",
            "pub fn other() {}\n",
        )
        .file("src/lib.rs", "pub mod config;\n")
        .file(
            "src/config/mod.rs",
            "pub fn limit() -> usize {\n    200\n}\n",
        );
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "."],
        &["commit", "-qm", "base"],
        &["checkout", "-qb", "feature"],
    ] {
        assert!(git(&project, args).status.success(), "git {args:?}");
    }
    project.file(
        "src/config/mod.rs",
        "pub fn limit() -> usize {\n    200\n}\n\npub fn load(x: Option<u8>) -> u8 {\n    x.unwrap()\n}\n",
    );
    assert!(
        git(&project, &["commit", "-qam", "load the config"])
            .status
            .success()
    );
    let mut client = Client::initialized(&project);
    let rules = client.answer("rules", json!({}));
    let review = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|rule| rule["id"] == "ACME0101")
        .unwrap();
    assert_eq!(review["kind"], "review");
    let explained = client.answer("explain", json!({ "rule": "config-fallback" }));
    assert_eq!(explained["kind"], "review");
    assert!(explained["check"].as_str().unwrap().contains("falls back"));
    assert_eq!(explained["examples"]["bad"], "let features = load(path)?;");
    assert_eq!(explained["fixtures"]["not_applies"], "pub fn other() {}\n");
    let applies = explained["applies_to"].as_str().unwrap();
    assert!(applies.contains("src/config/**"), "{applies}");
    let brief = client.answer("review_brief", json!({ "diff_base": "main" }));
    assert_eq!(brief["version"], "cargo-codex/review/v1", "{brief}");
    assert_eq!(brief["base"], "main");
    let file = &brief["files"][0];
    assert_eq!(file["path"], "src/config/mod.rs", "{brief}");
    let findings: Vec<&Value> = file["hunks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|hunk| hunk["findings"].as_array().unwrap())
        .collect();
    assert_eq!(findings.len(), 1, "{brief}");
    assert_eq!(findings[0]["rule"], "CX0001");
    assert_eq!(findings[0]["line"], 6);
    assert_eq!(brief["review_rules"][0]["id"], "ACME0101", "{brief}");
    // A brief of paths the change does not touch has no files; paths stay inside the root.
    let narrowed = client.answer(
        "review_brief",
        json!({ "diff_base": "main", "paths": ["src/lib.rs"] }),
    );
    assert_eq!(narrowed["files"], json!([]), "{narrowed}");
    let outside = client.tool_error(
        "review_brief",
        json!({ "diff_base": "main", "paths": ["../x"] }),
    );
    assert!(outside.contains("outside the project root"), "{outside}");
    let unknown = client.tool_error("review_brief", json!({ "diff_base": "nowhere" }));
    assert!(unknown.contains("the review brief failed"), "{unknown}");
    assert_eq!(client.close(), 0);
}
