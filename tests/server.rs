//! End to end: `cargo codex server` driven over stdio as an editor drives it (Content-Length
//! framing, initialize/initialized, didOpen/didChange, publishDiagnostics, codeAction, hover,
//! watched files, shutdown/exit), on fixture trees.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use common::{Project, binary};
use serde_json::{Value, json};

/// Longest wait for one message: a hang fails the test instead of blocking the suite.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A language client: the server process, and the messages it sent that were not taken yet.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    backlog: VecDeque<Value>,
    next_id: i64,
}

impl Client {
    /// Starts `cargo-codex ARGS server` in `dir`.
    fn start(dir: &Path, args: &[&str]) -> Client {
        let mut child = Command::new(binary())
            .args(args)
            .arg("server")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut reader) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            backlog: VecDeque::new(),
            next_id: 1,
        }
    }

    /// Starts a server for the project and initializes it with `capabilities`.
    fn initialized(project: &Project, capabilities: Value) -> (Client, Value) {
        let mut client = Client::start(project.path(), &[]);
        let result = client.initialize(project.path(), capabilities);
        (client, result)
    }

    /// `initialize` with the project as the workspace folder, then `initialized`.
    fn initialize(&mut self, root: &Path, capabilities: Value) -> Value {
        let mut params = json!({
            "processId": null,
            "workspaceFolders": [{ "uri": uri(root, ""), "name": "fixture" }],
        });
        params["capabilities"] = capabilities;
        let response = self.request("initialize", params);
        self.notify("initialized", json!({}));
        response["result"].clone()
    }

    fn send_bytes(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        self.send_bytes(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({ "jsonrpc": "2.0", "method": method });
        message["params"] = params;
        self.send(&message);
    }

    /// Sends a request and waits for its response (the whole response message).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        message["params"] = params;
        self.send(&message);
        self.take(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The next message matching `wanted`, waiting for it; others are kept for later.
    fn take(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(at).unwrap();
        }
        loop {
            let message = self
                .messages
                .recv_timeout(TIMEOUT)
                .expect("the server answers in time");
            if wanted(&message) {
                return message;
            }
            self.backlog.push_back(message);
        }
    }

    /// The next notification `method`.
    fn notification(&mut self, method: &str) -> Value {
        self.take(|m| m["method"] == method && m.get("id").is_none())["params"].clone()
    }

    /// The diagnostics published for `uri` at `version`, skipping earlier publications.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        loop {
            let params = self.take(|m| {
                m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
            })["params"]
                .clone();
            if params["version"] == version || params["version"].is_null() {
                return params["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    /// Opens `relative` in the project with `text` (version 1); its diagnostics.
    fn open(&mut self, root: &Path, relative: &str, text: &str) -> Vec<Value> {
        let uri = uri(root, relative);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": "rust", "version": 1, "text": text } }),
        );
        self.diagnostics(&uri, 1)
    }

    /// Sends `changes` as version `version` of `uri`; the diagnostics of that version.
    fn change(&mut self, uri: &str, version: i64, changes: Value) -> Vec<Value> {
        let mut params = json!({ "textDocument": { "uri": uri, "version": version } });
        params["contentChanges"] = changes;
        self.notify("textDocument/didChange", params);
        self.diagnostics(uri, version)
    }

    /// `shutdown` then `exit`; the exit code.
    fn shutdown(mut self) -> i32 {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null);
        assert!(response.get("error").is_none());
        self.notify("exit", Value::Null);
        self.wait()
    }

    fn wait(mut self) -> i32 {
        drop(self.stdin);
        self.child.wait().unwrap().code().unwrap_or(-1)
    }
}

/// Reads one framed message; `None` at the end of the stream.
fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The `file:` URI of `relative` in `root`.
fn uri(root: &Path, relative: &str) -> String {
    let path = if relative.is_empty() {
        root.to_path_buf()
    } else {
        root.join(relative)
    };
    format!("file://{}", path.display())
}

/// The byte offset of a protocol position counted in UTF-16 (`utf16`) or UTF-8 units.
fn offset(text: &str, position: &Value, utf16: bool) -> usize {
    let line = usize::try_from(position["line"].as_u64().unwrap()).unwrap();
    let character = usize::try_from(position["character"].as_u64().unwrap()).unwrap();
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (index, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + index;
        }
        units += if utf16 { c.len_utf16() } else { c.len_utf8() };
    }
    text.len()
}

/// `text` with the protocol's text edits applied, as an editor applies them.
fn apply(text: &str, edits: &[Value], utf16: bool) -> String {
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|edit| {
            let start = offset(text, &edit["range"]["start"], utf16);
            let end = offset(text, &edit["range"]["end"], utf16);
            (start, end, edit["newText"].as_str().unwrap())
        })
        .collect();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.0));
    let mut out = text.to_owned();
    for (start, end, new) in edits {
        out.replace_range(start..end, new);
    }
    out
}

/// The codes of `diagnostics`.
fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

/// The protocol range of the first `needle` in `text`, in UTF-16 units.
fn range_of(text: &str, needle: &str) -> Value {
    let at = text.find(needle).unwrap();
    let position = |offset: usize| {
        let line = text[..offset].matches('\n').count();
        let start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
        json!({ "line": line, "character": text[start..offset].encode_utf16().count() })
    };
    json!({ "start": position(at), "end": position(at + needle.len()) })
}

const OPTION_FN: &str = "pub fn f(x: Option<u8>) -> Option<u8> {\n    let é = \"😀\"; let v = x.unwrap();\n    Some(v)\n}\n";

#[test]
fn diagnostics_follow_unsaved_edits_in_utf16_columns() {
    let project = Project::new();
    let on_disk = "pub fn f() -> u8 {\n    1\n}\n";
    project.file("src/lib.rs", on_disk);
    let (mut client, result) = Client::initialized(&project, json!({}));
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(result["capabilities"]["textDocumentSync"]["change"], 2);

    let found = client.open(project.path(), "src/lib.rs", OPTION_FN);
    assert_eq!(codes(&found), ["CX0001"]);
    let range = &found[0]["range"];
    assert_eq!(range, &range_of(OPTION_FN, "unwrap"));
    // `é` and the emoji: 28 UTF-16 units (27 characters, 31 bytes).
    assert_eq!(range["start"], json!({ "line": 1, "character": 28 }));
    assert_eq!(found[0]["severity"], 1);
    assert_eq!(found[0]["source"], "cargo-codex");

    // An incremental edit removes the finding; another adds one.
    let uri = uri(project.path(), "src/lib.rs");
    let unwrap = range_of(OPTION_FN, ".unwrap()");
    let clean = client.change(&uri, 2, json!([{ "range": unwrap, "text": "?" }]));
    assert_eq!(clean, Vec::<Value>::new());
    let added = client.change(
        &uri,
        3,
        json!([{ "range": { "start": { "line": 2, "character": 4 },
                            "end": { "line": 2, "character": 4 } },
                 "text": "x.expect(\"set\");\n    " }]),
    );
    assert_eq!(codes(&added), ["CX0002"]);
    assert_eq!(
        added[0]["range"]["start"],
        json!({ "line": 2, "character": 6 })
    );
    // A whole-text change, and closing: the diagnostics are cleared.
    let whole = client.change(&uri, 4, json!([{ "text": on_disk }]));
    assert!(whole.is_empty());
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert!(client.diagnostics(&uri, 0).is_empty());
    assert_eq!(client.shutdown(), 0);
    // The server never writes the file.
    let disk = std::fs::read_to_string(project.path().join("src/lib.rs")).unwrap();
    assert_eq!(disk, on_disk);
}

#[test]
fn utf8_columns_when_the_client_offers_them() {
    let project = Project::new();
    let capabilities = json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } });
    let (mut client, result) = Client::initialized(&project, capabilities);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    let found = client.open(project.path(), "src/lib.rs", OPTION_FN);
    let line = OPTION_FN.lines().nth(1).unwrap();
    let bytes = line.find("unwrap").unwrap();
    assert_eq!(
        found[0]["range"]["start"],
        json!({ "line": 1, "character": bytes })
    );
    assert_eq!(bytes, 31, "not the 28 UTF-16 units");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn test_scope_comes_from_the_module_tree_on_disk() {
    let project = Project::new();
    let unwrap = "pub fn g() -> u8 {\n    Some(1).unwrap()\n}\n";
    project
        .file("src/lib.rs", "pub mod other;\n#[cfg(test)]\nmod tests;\n")
        .file("src/tests.rs", "")
        .file("src/other.rs", "");
    let (mut client, _) = Client::initialized(&project, json!({}));
    let root = project.path();
    assert!(client.open(root, "src/tests.rs", unwrap).is_empty());
    assert_eq!(
        codes(&client.open(root, "src/other.rs", unwrap)),
        ["CX0001"]
    );
    assert!(client.open(root, "tests/it.rs", unwrap).is_empty());
    // Unsaved text of the parent does not change the tree: the disk's does, once saved.
    project.file("src/lib.rs", "pub mod other;\npub mod tests;\n");
    client.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri(root, "src/lib.rs") } }),
    );
    let tests_uri = uri(root, "src/tests.rs");
    assert_eq!(codes(&client.diagnostics(&tests_uri, 1)), ["CX0001"]);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn code_actions_fix_or_allow_and_the_edits_apply() {
    let project = Project::new();
    let (mut client, _) = Client::initialized(&project, json!({}));
    let root = project.path();
    let uri = uri(root, "src/lib.rs");
    let found = client.open(root, "src/lib.rs", OPTION_FN);
    let response = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": found[0]["range"],
                "context": { "diagnostics": found } }),
    );
    let actions = response["result"].as_array().unwrap();
    assert_eq!(actions.len(), 2, "{actions:#?}");
    let edits = |action: &Value| action["edit"]["changes"][&uri].as_array().unwrap().clone();
    assert!(actions.iter().all(|a| a["kind"] == "quickfix"));

    // The fix: `?` instead of `.unwrap()`, in UTF-16 columns.
    let fix = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("`?`"))
        .unwrap();
    assert_eq!(fix["diagnostics"][0]["code"], "CX0001");
    let fixed = apply(OPTION_FN, &edits(fix), true);
    assert_eq!(
        fixed,
        "pub fn f(x: Option<u8>) -> Option<u8> {\n    let é = \"😀\"; let v = x?;\n    Some(v)\n}\n"
    );
    assert!(
        client
            .change(&uri, 2, json!([{ "text": fixed }]))
            .is_empty()
    );

    // The allow comment: above the line, indented; it needs a reason to suppress.
    let allow = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("codex:allow"))
        .unwrap();
    let allowed = apply(OPTION_FN, &edits(allow), true);
    assert_eq!(
        allowed,
        "pub fn f(x: Option<u8>) -> Option<u8> {\n    // codex:allow(CX0001)\n    let é = \"😀\"; let v = x.unwrap();\n    Some(v)\n}\n"
    );
    let without_reason = client.change(&uri, 3, json!([{ "text": allowed }]));
    assert_eq!(codes(&without_reason), ["CX9003", "CX0001"]);
    let end_of_comment = json!({ "line": 1, "character": 26 });
    let with_reason = client.change(
        &uri,
        4,
        json!([{ "range": { "start": end_of_comment, "end": end_of_comment },
                 "text": " x is checked by every caller" }]),
    );
    assert!(with_reason.is_empty(), "{with_reason:#?}");

    // Only source actions asked for: none (the default fix is not safe).
    let response = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": found[0]["range"],
                "context": { "diagnostics": [], "only": ["source.fixAll"] } }),
    );
    assert_eq!(response["result"], json!([]));
    assert_eq!(client.shutdown(), 0);
}

const LOCK_RULE: &str = r###"id = "ACME0001"
title = "mutex lock on the request path"
severity = "warning"
stage = "enforce"
incidents = ["2026-01-02-lock-convoy"]
message = "locking a mutex on the request path"
help = "use the actor instead"
doc = "## What it does\nFlags `lock()`.\n## Why is this bad?\nConvoys.\n## Example\nz"

[match]
method = ["lock"]
"###;

const INCIDENT: &str = r#"id = "2026-01-02-lock-convoy"
date = "2026-01-02"
title = "Request threads convoyed on one mutex"
summary = "Every request took the same lock; p99 latency went to seconds."
impact = "Timeouts for a quarter of requests for an hour."
rules = ["ACME0001"]
"#;

const LOCKING: &str = "pub fn f(m: &std::sync::Mutex<u8>) -> u8 {\n    *m.lock().unwrap_or_else(|e| e.into_inner())\n}\n";

#[test]
fn hover_shows_the_rule_and_its_incident() {
    let project = Project::new();
    project
        .file("codex.toml", "rule_dirs = [\"codex-rules\"]\n")
        .file("codex-rules/lock-on-request-path.toml", LOCK_RULE)
        .file("codex/2026-01-02-lock-convoy.toml", INCIDENT);
    let (mut client, _) = Client::initialized(&project, json!({}));
    let root = project.path();
    let uri = uri(root, "src/lib.rs");
    let found = client.open(root, "src/lib.rs", LOCKING);
    assert_eq!(codes(&found), ["ACME0001"]);
    assert_eq!(found[0]["severity"], 2);
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": found[0]["range"]["start"] }),
    );
    let markdown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert_eq!(hover["result"]["contents"]["kind"], "markdown");
    for part in [
        "**ACME0001** `lock-on-request-path`",
        "locking a mutex on the request path",
        "help: use the actor instead",
        "## Why is this bad?",
        "### Incident 2026-01-02-lock-convoy (2026-01-02)",
        "p99 latency went to seconds",
    ] {
        assert!(markdown.contains(part), "{part} in {markdown}");
    }
    assert_eq!(hover["result"]["range"], found[0]["range"]);
    // Away from any finding: nothing.
    let away = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(away["result"], Value::Null);
    // On the code of a suppression comment: that rule's documentation.
    let text = format!("// codex:allow(CX0002, ACME0001) the actor is not ready\n{LOCKING}");
    client.change(&uri, 2, json!([{ "text": text }]));
    let on_code = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 26 } }),
    );
    let markdown = on_code["result"]["contents"]["value"].as_str().unwrap();
    assert!(markdown.starts_with("**ACME0001**"), "{markdown}");
    assert_eq!(
        on_code["result"]["range"],
        json!({ "start": { "line": 0, "character": 23 }, "end": { "line": 0, "character": 31 } })
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn rules_reload_when_a_rule_file_or_codex_toml_changes() {
    let project = Project::new();
    project
        .file("codex.toml", "rule_dirs = [\"codex-rules\"]\n")
        .file("codex-rules/lock-on-request-path.toml", LOCK_RULE)
        .file("codex/2026-01-02-lock-convoy.toml", INCIDENT);
    let capabilities = json!({ "workspace": { "didChangeWatchedFiles": {
        "dynamicRegistration": true } } });
    let (mut client, _) = Client::initialized(&project, capabilities);
    // The server asks to watch rule and Rust files.
    let registration = client.take(|m| m["method"] == "client/registerCapability");
    let watchers = &registration["params"]["registrations"][0]["registerOptions"]["watchers"];
    assert_eq!(watchers[0]["globPattern"], "**/*.toml");
    let id = registration["id"].clone();
    client.send(&json!({ "jsonrpc": "2.0", "id": id, "result": null }));

    let root = project.path();
    let uri = uri(root, "src/lib.rs");
    assert_eq!(
        codes(&client.open(root, "src/lib.rs", LOCKING)),
        ["ACME0001"]
    );

    // The rule file changes on disk: the open document is checked with the new rule.
    let rule = "codex-rules/lock-on-request-path.toml";
    project.file(
        rule,
        &LOCK_RULE.replace("[\"lock\"]", "[\"unwrap_or_else\"]"),
    );
    let changed =
        |relative: &str| json!({ "changes": [{ "uri": self::uri(root, relative), "type": 2 }] });
    client.notify("workspace/didChangeWatchedFiles", changed(rule));
    let found = client.diagnostics(&uri, 1);
    assert_eq!(codes(&found), ["ACME0001"]);
    assert_eq!(found[0]["range"], range_of(LOCKING, "unwrap_or_else"));

    // codex.toml turns the rule off, and is saved in the editor.
    project.file(
        "codex.toml",
        "rule_dirs = [\"codex-rules\"]\n[rules.ACME0001]\nenabled = false\n",
    );
    client.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": self::uri(root, "codex.toml") } }),
    );
    assert!(client.diagnostics(&uri, 1).is_empty());

    // A broken rule file is shown once; the last Codex that loaded stays in use.
    project.file("codex.toml", "rule_dirs = [\"codex-rules\"]\n");
    project.file(rule, "id = \"ACME0001\"\ntitle = 3\n");
    client.notify("workspace/didChangeWatchedFiles", changed(rule));
    let shown = client.notification("window/showMessage");
    assert_eq!(shown["type"], 1);
    let message = shown["message"].as_str().unwrap();
    assert!(
        message.contains("the Codex does not load") && message.contains("lock-on-request-path"),
        "{message}"
    );
    assert!(client.diagnostics(&uri, 1).is_empty());
    // Fixed again: loaded again.
    project.file(rule, LOCK_RULE);
    client.notify("workspace/didChangeWatchedFiles", changed(rule));
    assert_eq!(codes(&client.diagnostics(&uri, 1)), ["ACME0001"]);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn fix_all_applies_every_safe_fix() {
    let project = Project::new();
    let safe_rule = "id = \"ACME0002\"\ntitle = \"unwrap\"\nseverity = \"error\"\nstage = \"enforce\"\nreferences = [\"https://example.com/rule\"]\n\
message = \"unwrap\"\ndoc = \"## What it does\\nx\\n## Why is this bad?\\ny\\n## Example\\nz\"\n\
[fix]\nkind = \"try-operator\"\napplicability = \"safe\"\ndescription = \"use `?`\"\n\
[match]\nmethod = [\"unwrap\"]\n";
    project
        .file(
            "codex.toml",
            "default_rules = false\nrule_dirs = [\"codex-rules\"]\n",
        )
        .file("codex-rules/unwrap-anywhere.toml", safe_rule);
    let (mut client, _) = Client::initialized(&project, json!({}));
    let root = project.path();
    let uri = uri(root, "src/lib.rs");
    let text = "fn f(x: Option<u8>) -> Option<u8> {\n    let a = x.unwrap();\n    Some(a + x.unwrap())\n}\n";
    assert_eq!(
        codes(&client.open(root, "src/lib.rs", text)),
        ["ACME0002", "ACME0002"]
    );
    let response = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri },
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
                "context": { "diagnostics": [], "only": ["source.fixAll"] } }),
    );
    let actions = response["result"].as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.cargo-codex");
    let edits = actions[0]["edit"]["changes"][&uri].as_array().unwrap();
    let fixed = apply(text, edits, true);
    assert_eq!(
        fixed,
        "fn f(x: Option<u8>) -> Option<u8> {\n    let a = x?;\n    Some(a + x?)\n}\n"
    );
    assert!(
        client
            .change(&uri, 2, json!([{ "text": fixed }]))
            .is_empty()
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn bad_messages_get_errors_and_the_server_goes_on() {
    let project = Project::new();
    let mut client = Client::start(project.path(), &[]);
    // Before `initialize`.
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002);
    client.initialize(project.path(), json!({}));
    // Not JSON, not an object, an id that is no id: answered with `id: null`.
    client.send_bytes(b"Content-Length: 9\r\n\r\n{not json");
    let parse_error = client.take(|m| m["error"]["code"] == -32700);
    assert_eq!(parse_error["id"], Value::Null);
    client.send(&json!([1, 2]));
    let invalid = client.take(|m| m["error"]["code"] == -32600);
    assert_eq!(invalid["id"], Value::Null);
    client.send(&json!({ "jsonrpc": "2.0", "id": { "x": 1 }, "method": "shutdown" }));
    client.take(|m| m["error"]["code"] == -32600);
    client.send_bytes(b"Content-Length: lots\r\n\r\n");
    client.take(|m| m["error"]["code"] == -32700);
    // Bad params, an unknown method.
    let bad = client.request("textDocument/hover", json!({ "bogus": 1 }));
    assert_eq!(bad["error"]["code"], -32602);
    let unknown = client.request("workspace/symbol", json!({ "query": "" }));
    assert_eq!(unknown["error"]["code"], -32601);
    // A bad notification is logged, not answered; an edit of a document never opened is
    // dropped.
    client.notify("textDocument/didOpen", json!({ "textDocument": 5 }));
    assert_eq!(client.notification("window/logMessage")["type"], 2);
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": "file:///nowhere.rs", "version": 2 },
                "contentChanges": [{ "text": "x" }] }),
    );
    // Still serving.
    let found = client.open(project.path(), "src/lib.rs", OPTION_FN);
    assert_eq!(codes(&found), ["CX0001"]);
    // After `shutdown`, requests are refused; `exit` ends with 0.
    let response = client.request("shutdown", Value::Null);
    assert_eq!(response["result"], Value::Null);
    let after = client.request("textDocument/hover", json!({}));
    assert_eq!(after["error"]["code"], -32600);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait(), 0);
}

#[test]
fn exit_without_shutdown_is_an_error() {
    let project = Project::new();
    let mut client = Client::start(project.path(), &[]);
    client.initialize(project.path(), json!({}));
    client.notify("exit", Value::Null);
    assert_eq!(client.wait(), 1);
    // The client going away without a word ends the server too.
    let client = Client::start(project.path(), &[]);
    assert_eq!(client.wait(), 1);
}

#[test]
fn hostile_buffers_and_edits_do_not_bring_it_down() {
    let project = Project::new();
    project.file("codex.toml", "max_file_size = 4000\n");
    let (mut client, _) = Client::initialized(&project, json!({}));
    let root = project.path();

    // Larger than `max_file_size`: reported, as a file on disk would be.
    let huge = format!("pub fn f() {{}}\n{}", "// filler\n".repeat(1000));
    let found = client.open(root, "src/huge.rs", &huge);
    assert_eq!(codes(&found), ["CX9000"]);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("over the 4000-byte limit")
    );

    // Nested far deeper than the parser can follow: reported, not a crash.
    let deep = format!(
        "fn f() {{ let x = {}a.unwrap(){}; }}\n",
        "(".repeat(1500),
        ")".repeat(1500)
    );
    assert_eq!(codes(&client.open(root, "src/deep.rs", &deep)), ["CX9001"]);

    // Edits inside a surrogate pair, past the end, reversed: clamped, never a panic.
    let uri = uri(root, "src/lib.rs");
    client.open(root, "src/lib.rs", "pub fn f() { let s = \"😀\"; }\n");
    let inside_pair = json!({ "line": 0, "character": 23 });
    let far = json!({ "line": 4_000_000_000u32, "character": 4_000_000_000u32 });
    let edited = client.change(
        &uri,
        2,
        json!([
            // `x` lands before the emoji, not between its halves.
            { "range": { "start": inside_pair, "end": inside_pair }, "text": "x" },
            { "range": { "start": far, "end": far }, "text": "fn g() { None::<u8>.unwrap(); }\n" },
            // Reversed, and past the end of its line: ` { let s = "x😀"; }` becomes ` {}`.
            { "range": { "start": { "line": 0, "character": 100 },
                         "end": { "line": 0, "character": 10 } }, "text": " {}" },
        ]),
    );
    assert_eq!(codes(&edited), ["CX0001"]);
    assert_eq!(
        edited[0]["range"]["start"],
        json!({ "line": 1, "character": 20 })
    );
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": 22 } }),
    );
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("CX0001")
    );

    // Documents outside the workspace, or not files: never checked, nothing read.
    let outside = "file:///etc/cargo-codex-outside/lib.rs";
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": outside, "languageId": "rust", "version": 1,
                                   "text": OPTION_FN } }),
    );
    assert!(client.diagnostics(outside, 1).is_empty());
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": "untitled:Untitled-1", "languageId": "rust",
                                   "version": 1, "text": OPTION_FN } }),
    );
    assert!(client.diagnostics("untitled:Untitled-1", 1).is_empty());
    // A TOML file the editor also sent is not Rust.
    let toml = self::uri(root, "codex-rules/x.toml");
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": toml, "languageId": "toml", "version": 1,
                                   "text": "[match]\nmethod = [\"unwrap\"]\n" } }),
    );
    assert!(client.diagnostics(&toml, 1).is_empty());
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn the_editor_sees_what_check_reports_baseline_and_new_files_included() {
    let project = Project::new();
    let legacy = "pub fn a(x: Option<u8>) -> u8 {\n    x.unwrap()\n}\n";
    project.file("src/lib.rs", legacy);
    project.file("codex.toml", "baseline = \"codex-baseline.json\"\n");
    let out = project.run(&["check", "--write-baseline", "codex-baseline.json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (mut client, _) = Client::initialized(&project, json!({}));
    // The accepted finding stays hidden, as on the command line; a new one shows.
    assert!(client.open(project.path(), "src/lib.rs", legacy).is_empty());
    let uri = uri(project.path(), "src/lib.rs");
    let edited = client.change(
        &uri,
        2,
        json!([{ "text": format!("{legacy}pub fn b(x: Option<u8>) -> u8 {{\n    x.unwrap()\n}}\n") }]),
    );
    assert_eq!(codes(&edited), ["CX0001"]);
    assert_eq!(edited[0]["range"]["start"]["line"], 4);
    // A buffer whose file is not on disk yet is checked too.
    let fresh = client.open(project.path(), "src/fresh.rs", OPTION_FN);
    assert_eq!(codes(&fresh), ["CX0001"]);
    assert!(!project.path().join("src/fresh.rs").exists());
    assert_eq!(client.shutdown(), 0);
}
