#!/usr/bin/env bash
# bench/run.sh - benchmark cargo-codex against ast-grep and a bare syn parse.
#
# Self-contained: needs only the Rust toolchain, python3 (+ pip/venv) and
# network access to crates.io and PyPI. Everything it fetches or builds
# lives in bench/.work/ (gitignored) and is reused on the next run.
# See bench/README.md for what is measured and the BENCH_* variables.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
WORK="$BENCH_DIR/.work"

RUNS="${BENCH_RUNS:-5}"
WARMUP="${BENCH_WARMUP:-0}"
NPROC="$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)"
THREADS="${BENCH_THREADS:-$NPROC}"
AST_GREP_VERSION="${BENCH_AST_GREP_VERSION:-0.51.1}"
# Crates deleted from the vendored corpus: machine-generated FFI bindings
# (windows-sys alone is ~18 MB of `extern` declarations) are not the kind
# of code a linter is run on. Set BENCH_PRUNE="" to keep everything.
PRUNE="${BENCH_PRUNE-windows-sys}"
MIN_CORPUS_MB=10
RESULTS_MD="${BENCH_RESULTS:-$BENCH_DIR/results.md}"

log() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
warn() { printf 'bench/run.sh: warning: %s\n' "$*" >&2; }
die() { printf 'bench/run.sh: error: %s\n' "$*" >&2; exit 1; }

for v in RUNS WARMUP THREADS; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "BENCH_$v must be a non-negative integer, got '${!v}'"
done
((RUNS >= 1)) || die "BENCH_RUNS must be >= 1"
((THREADS >= 1)) || die "BENCH_THREADS must be >= 1"

for tool in cargo python3; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found on PATH"
done
mkdir -p "$WORK"

# ---------------------------------------------------------------------------
# 1. Corpus: `cargo vendor` of a pinned set of large crates.
# ---------------------------------------------------------------------------
CORPUS_SRC="$BENCH_DIR/corpus"
CORPUS_WORK="$WORK/corpus"
CORPUS="$CORPUS_WORK/vendor"
[[ -f "$CORPUS_SRC/Cargo.toml" ]] || die "missing $CORPUS_SRC/Cargo.toml"

if [[ "${BENCH_UPDATE_LOCK:-0}" == 1 ]]; then
    log "BENCH_UPDATE_LOCK=1: regenerating bench/corpus/Cargo.lock"
    rm -rf "$CORPUS_WORK"
    mkdir -p "$CORPUS_WORK"
    cp "$CORPUS_SRC/Cargo.toml" "$CORPUS_WORK/"
    : >"$CORPUS_WORK/lib.rs"
    (cd "$CORPUS_WORK" && cargo generate-lockfile) || die "cargo generate-lockfile failed"
    cp "$CORPUS_WORK/Cargo.lock" "$CORPUS_SRC/Cargo.lock"
fi
[[ -f "$CORPUS_SRC/Cargo.lock" ]] || die "missing $CORPUS_SRC/Cargo.lock (run with BENCH_UPDATE_LOCK=1 to create it)"

stamp="$(cat "$CORPUS_SRC/Cargo.toml" "$CORPUS_SRC/Cargo.lock" | sha256sum | cut -d' ' -f1) prune=[$PRUNE]"
log "1/6 corpus"
if [[ -d "$CORPUS" && -f "$CORPUS_WORK/.stamp" && "$(cat "$CORPUS_WORK/.stamp")" == "$stamp" ]]; then
    info "reusing $CORPUS"
else
    info "vendoring the pinned crates of bench/corpus/Cargo.toml into $CORPUS"
    rm -rf "$CORPUS_WORK"
    mkdir -p "$CORPUS_WORK"
    cp "$CORPUS_SRC/Cargo.toml" "$CORPUS_SRC/Cargo.lock" "$CORPUS_WORK/"
    : >"$CORPUS_WORK/lib.rs"
    if ! (cd "$CORPUS_WORK" && cargo vendor --locked --quiet vendor >/dev/null); then
        die "cargo vendor failed (it needs network access to crates.io; see the message above)"
    fi
    for pat in $PRUNE; do
        # shellcheck disable=SC2086 # $pat may be a glob such as windows-*
        rm -rf "${CORPUS:?}"/$pat
    done
    printf '%s\n' "$stamp" >"$CORPUS_WORK/.stamp"
fi

# Same file set as the tools see: *.rs, hidden files/dirs skipped.
read -r CORPUS_FILES CORPUS_BYTES < <(
    find "$CORPUS" -mindepth 1 -name '.*' -prune -o -type f -name '*.rs' -printf '%s\n' |
        awk '{n++; s+=$1} END {printf "%d %d\n", n, s}'
)
CORPUS_CRATES="$(find "$CORPUS" -mindepth 1 -maxdepth 1 -type d | wc -l)"
CORPUS_MB="$(awk -v b="$CORPUS_BYTES" 'BEGIN {printf "%.1f", b / 1e6}')"
info "corpus: $CORPUS_FILES .rs files, $CORPUS_MB MB, $CORPUS_CRATES crates (pruned: ${PRUNE:-none})"
awk -v b="$CORPUS_BYTES" -v m="$MIN_CORPUS_MB" 'BEGIN {exit !(b >= m * 1e6)}' ||
    die "corpus is only $CORPUS_MB MB (< $MIN_CORPUS_MB MB); add crates to bench/corpus/Cargo.toml"

# ---------------------------------------------------------------------------
# 2. A git repository made of the corpus, with 5 changed and staged files:
#    what a pre-commit hook sees.
# ---------------------------------------------------------------------------
log "2/6 pre-commit repository"
PRECOMMIT_WORK="$WORK/precommit"
PRECOMMIT="$PRECOMMIT_WORK/repo"
PRECOMMIT_SKIP=""
PRECOMMIT_FILES=(
    tokio/src/sync/mpsc/chan.rs
    hyper/src/proto/h1/conn.rs
    serde_json/src/de.rs
    regex-automata/src/meta/strategy.rs
    syn/src/expr.rs
)
PRECOMMIT_CHANGE=$'\nfn precommit_bench_change(v: Option<u8>) -> u8 {\n    v.unwrap()\n}\n'
pstamp="$stamp files=[${PRECOMMIT_FILES[*]}] change=$(printf '%s' "$PRECOMMIT_CHANGE" | sha256sum | cut -d' ' -f1)"
gitq() { git -c user.name=bench -c user.email=bench@localhost -c core.hooksPath=/dev/null "$@"; }
if ! command -v git >/dev/null 2>&1; then
    PRECOMMIT_SKIP="git not found"
    warn "git not found: the pre-commit case is SKIPPED"
elif [[ -d "$PRECOMMIT/.git" && -f "$PRECOMMIT_WORK/.stamp" && "$(cat "$PRECOMMIT_WORK/.stamp")" == "$pstamp" ]]; then
    info "reusing $PRECOMMIT"
else
    info "copying the corpus into $PRECOMMIT, committing it, changing and staging ${#PRECOMMIT_FILES[@]} files"
    rm -rf "$PRECOMMIT_WORK"
    mkdir -p "$PRECOMMIT_WORK"
    cp -R "$CORPUS" "$PRECOMMIT"
    printf '# Empty on purpose: cargo-codex defaults for the benchmark.\n' >"$PRECOMMIT/codex.toml"
    (
        cd "$PRECOMMIT"
        gitq init -q
        # --force: the vendored crates' own .gitignore files must not drop sources.
        gitq add --all --force .
        gitq commit -q -m "corpus"
        # Packed, as a repository that has lived a while is.
        gitq gc -q
        for file in "${PRECOMMIT_FILES[@]}"; do
            [[ -f "$file" ]] || { echo "missing $file" >&2; exit 1; }
            printf '%s' "$PRECOMMIT_CHANGE" >>"$file"
        done
        gitq add -- "${PRECOMMIT_FILES[@]}"
    ) || die "could not make the pre-commit repository (see above)"
    printf '%s\n' "$pstamp" >"$PRECOMMIT_WORK/.stamp"
fi

# ---------------------------------------------------------------------------
# 3. ast-grep from PyPI, in a venv under bench/.work.
# ---------------------------------------------------------------------------
log "3/6 ast-grep $AST_GREP_VERSION"
SG=""
for cand in "$WORK/venv/bin/ast-grep" "$WORK/pip-target/bin/ast-grep"; do
    if [[ -x "$cand" ]] && "$cand" --version 2>/dev/null | grep -qF " $AST_GREP_VERSION"; then
        SG="$cand"
        info "reusing $SG"
        break
    fi
done
if [[ -z "$SG" ]]; then
    if python3 -m venv "$WORK/venv" >/dev/null 2>&1 && [[ -x "$WORK/venv/bin/pip" ]]; then
        info "pip install ast-grep-cli==$AST_GREP_VERSION into $WORK/venv"
        "$WORK/venv/bin/pip" install --quiet --disable-pip-version-check "ast-grep-cli==$AST_GREP_VERSION" ||
            die "pip install ast-grep-cli==$AST_GREP_VERSION failed (needs network access to PyPI)"
        SG="$WORK/venv/bin/ast-grep"
    else
        # Debian without python3-venv: install into a plain target directory.
        warn "python3 -m venv is unavailable (apt-get install python3-venv); using pip --target"
        rm -rf "$WORK/venv" "$WORK/pip-target"
        python3 -m pip install --quiet --disable-pip-version-check --target "$WORK/pip-target" \
            "ast-grep-cli==$AST_GREP_VERSION" ||
            die "pip install --target ast-grep-cli==$AST_GREP_VERSION failed (needs pip and PyPI access)"
        SG="$WORK/pip-target/bin/ast-grep"
    fi
    [[ -x "$SG" ]] || die "ast-grep binary not found at $SG after pip install"
fi
SG_VERSION="$("$SG" --version)"
info "$SG_VERSION"

SG_CONFIG="$BENCH_DIR/ast-grep/sgconfig.yml"
info "checking the ast-grep rules on bench/ast-grep/sample/unwrap_panic.rs.txt"
sample_ids="$("$SG" scan -c "$SG_CONFIG" --json=stream "$BENCH_DIR/ast-grep/sample" |
    python3 -c 'import json,sys; print(" ".join(sorted(json.loads(l)["ruleId"] for l in sys.stdin if l.strip())))')" ||
    die "ast-grep scan of the sample failed (see the message above)"
want_ids="$(printf '%s\n' no-expect no-expect no-panic-macros no-panic-macros no-panic-macros \
    no-panic-macros no-panic-macros no-unwrap no-unwrap no-unwrap no-unwrap | paste -sd' ')"
[[ "$sample_ids" == "$want_ids" ]] ||
    die "ast-grep rules did not give the expected matches on the sample: got [$sample_ids], want [$want_ids]"
info "all rules fire as expected (11 matches)"

# ---------------------------------------------------------------------------
# 4. Build cargo-codex and the bare_parse baseline.
# ---------------------------------------------------------------------------
log "4/6 building (release)"
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
[[ "$TARGET_DIR" = /* ]] || TARGET_DIR="$REPO/$TARGET_DIR"
CODEX_BIN="$TARGET_DIR/release/cargo-codex"
CODEX_SKIP=""
info "cargo build --release   (log: bench/.work/build-codex.log)"
if (cd "$REPO" && cargo build --release) >"$WORK/build-codex.log" 2>&1 && [[ -x "$CODEX_BIN" ]]; then
    info "built $CODEX_BIN"
else
    warn "cargo build --release failed; cargo-codex will be SKIPPED. Last lines of the log:"
    tail -n 15 "$WORK/build-codex.log" | sed 's/^/    | /' >&2
    CODEX_SKIP="cargo build --release failed"
fi

BP_BIN="$TARGET_DIR/release/examples/bare_parse"
BP_SKIP=""
BP_HOW="cargo build --release --example bare_parse"
info "cargo build --release --example bare_parse   (log: bench/.work/build-bare_parse.log)"
if [[ "${BENCH_BARE_PARSE_STANDALONE:-0}" != 1 ]] &&
    (cd "$REPO" && cargo build --release --example bare_parse) >"$WORK/build-bare_parse.log" 2>&1 &&
    [[ -x "$BP_BIN" ]]; then
    info "built $BP_BIN"
else
    # The example links the cargo-codex library, so it cannot build while the
    # crate does not compile. Fall back to a stand-alone package that
    # compiles the very same examples/bare_parse.rs with the same dependency
    # versions (the repo's Cargo.lock is copied in).
    if [[ "${BENCH_BARE_PARSE_STANDALONE:-0}" == 1 ]]; then
        : >"$WORK/build-bare_parse.log"
        info "BENCH_BARE_PARSE_STANDALONE=1: building examples/bare_parse.rs as a stand-alone package"
    else
        warn "the example did not build with the crate (see bench/.work/build-bare_parse.log);"
        warn "building examples/bare_parse.rs as a stand-alone package instead"
    fi
    BP_PKG="$WORK/bare_parse"
    mkdir -p "$BP_PKG"
    cat >"$BP_PKG/Cargo.toml" <<EOF
[package]
name = "bare_parse"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[[bin]]
name = "bare_parse"
path = "$REPO/examples/bare_parse.rs"

[dependencies]
ignore = "0.4"
rayon = "1"
syn = { version = "3", features = ["full", "parsing"] }
proc-macro2 = { version = "1", features = ["span-locations"] }

[profile.release]
$(sed -n '/^\[profile.release\]/,/^\[/{/^\[/d;p}' "$REPO/Cargo.toml" 2>/dev/null || true)
EOF
    [[ -f "$REPO/Cargo.lock" ]] && cp "$REPO/Cargo.lock" "$BP_PKG/Cargo.lock"
    if (cd "$BP_PKG" && cargo build --release) >>"$WORK/build-bare_parse.log" 2>&1; then
        BP_BIN="$BP_PKG/target/release/bare_parse"
        BP_HOW="stand-alone package build of examples/bare_parse.rs (bench/.work/bare_parse)"
        info "built $BP_BIN"
    else
        warn "stand-alone bare_parse build failed too; last lines of bench/.work/build-bare_parse.log:"
        tail -n 15 "$WORK/build-bare_parse.log" | sed 's/^/    | /' >&2
        BP_SKIP="build failed"
    fi
fi

# ---------------------------------------------------------------------------
# 5. One checked run of each tool (counts findings; also warms the cache).
# ---------------------------------------------------------------------------
log "5/6 one checked run of each tool (also warms the page cache)"
OUT="$WORK/out"
mkdir -p "$OUT"
export RAYON_NUM_THREADS="$THREADS"
NOTES=()

"$SG" scan -c "$SG_CONFIG" -j "$THREADS" --json=compact "$CORPUS" >"$OUT/ast-grep.json" 2>"$OUT/ast-grep.err" ||
    die "ast-grep scan failed (exit $?): $(tail -n 5 "$OUT/ast-grep.err")"
SG_FINDINGS="$(python3 - "$OUT/ast-grep.json" <<'EOF'
import collections, json, sys
d = json.load(open(sys.argv[1]))
c = collections.Counter(m["ruleId"] for m in d)
print(f"{len(d)} matches in {len({m['file'] for m in d})} files ("
      + ", ".join(f"{k} {v}" for k, v in sorted(c.items())) + ")")
EOF
)"
info "ast-grep: $SG_FINDINGS"
NOTES+=("ast-grep findings: $SG_FINDINGS")

# An explicit, empty config: cargo-codex's defaults, whatever codex.toml the
# repository may have (its excludes could otherwise drop the corpus).
CODEX_CONFIG="$CORPUS_WORK/codex.toml"
printf '# Empty on purpose: cargo-codex defaults for the benchmark.\n' >"$CODEX_CONFIG"
CODEX_VERSION="not built"
if [[ -z "$CODEX_SKIP" ]]; then
    CODEX_VERSION="$("$CODEX_BIN" --version 2>/dev/null | head -n 1 || true)"
    CODEX_VERSION="${CODEX_VERSION:-unknown}"
    set +e
    (cd "$CORPUS_WORK" && "$CODEX_BIN" check "$CORPUS" --format json --no-cache --config "$CODEX_CONFIG") >"$OUT/cargo-codex.json" 2>"$OUT/cargo-codex.err"
    rc=$?
    set -e
    if ((rc == 0 || rc == 1)); then
        CODEX_FINDINGS="$(python3 - "$OUT/cargo-codex.json" <<'EOF'
import collections, json, sys
try:
    d = json.load(open(sys.argv[1]))
except ValueError:
    # maybe one JSON object per line
    d = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
items = d
if isinstance(d, dict):
    lists = [v for k, v in d.items() if isinstance(v, list)]
    for key in ("findings", "diagnostics", "results", "issues", "violations"):
        if isinstance(d.get(key), list):
            items = d[key]
            break
    else:
        items = max(lists, key=len) if lists else []
def rule_of(x):
    if isinstance(x, dict):
        for key in ("name", "rule", "rule_id", "ruleId", "code", "id", "check", "lint"):
            if isinstance(x.get(key), str):
                return x[key]
    return "?"
c = collections.Counter(rule_of(x) for x in items)
files = {x.get("path") for x in items if isinstance(x, dict) and x.get("path")}
summary = d.get("summary") if isinstance(d, dict) else None
print(f"{len(items)} findings in {len(files)} files ("
      + ", ".join(f"{k} {v}" for k, v in sorted(c.items())) + ")"
      + (f"; summary {json.dumps(summary, separators=(', ', ': '))}" if isinstance(summary, dict) else ""))
EOF
)" || CODEX_FINDINGS="(could not count findings in its JSON output)"
        info "cargo-codex (exit $rc): $CODEX_FINDINGS"
        NOTES+=("cargo-codex findings (all its enabled rules, default config): $CODEX_FINDINGS")
    else
        warn "cargo-codex check exited $rc; it will be SKIPPED. stderr tail:"
        tail -n 15 "$OUT/cargo-codex.err" | sed 's/^/    | /' >&2
        CODEX_SKIP="check exited $rc"
    fi
fi
if [[ -n "$CODEX_SKIP" ]]; then
    NOTES+=("cargo-codex SKIPPED: $CODEX_SKIP")
fi

if [[ -z "$BP_SKIP" ]]; then
    if "$BP_BIN" "$CORPUS" >"$OUT/bare_parse.txt" 2>"$OUT/bare_parse.err"; then
        info "$(cat "$OUT/bare_parse.txt")"
        NOTES+=("$(sed 's/, [0-9.]* s, .*//' "$OUT/bare_parse.txt")")
        if [[ -s "$OUT/bare_parse.err" ]]; then
            NOTES+=("bare_parse parse failures (first 3): $(head -n 3 "$OUT/bare_parse.err" |
                sed -e 's/^bare_parse: //' -e "s|$CORPUS/||" | cut -c1-160 | paste -sd'|' | sed 's/|/ | /g')")
        fi
    else
        warn "bare_parse failed; it will be SKIPPED: $(tail -n 5 "$OUT/bare_parse.err")"
        BP_SKIP="run failed"
    fi
fi
if [[ "$BP_HOW" != "cargo build --release --example bare_parse" && -z "$BP_SKIP" ]]; then
    NOTES+=("bare_parse built as a $BP_HOW")
fi

# The pre-commit commands, once each: they must run and see the changed files.
if [[ -z "$PRECOMMIT_SKIP" && -z "$CODEX_SKIP" ]]; then
    for how in files staged; do
        if [[ $how == files ]]; then
            args=(check "${PRECOMMIT_FILES[@]}" --format json)
        else
            args=(check --staged --format json)
        fi
        set +e
        (cd "$PRECOMMIT" && "$CODEX_BIN" "${args[@]}") >"$OUT/precommit-$how.json" 2>"$OUT/precommit-$how.err"
        rc=$?
        set -e
        count="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["summary"]["files"], d["summary"]["diagnostics"])' \
            "$OUT/precommit-$how.json" 2>/dev/null || echo "? ?")"
        read -r pfiles pfound <<<"$count"
        if ((rc > 1)) || [[ "$pfiles" != "${#PRECOMMIT_FILES[@]}" ]]; then
            warn "cargo-codex ${args[*]} in the pre-commit repository: exit $rc, $pfiles files; the pre-commit case is SKIPPED"
            tail -n 5 "$OUT/precommit-$how.err" | sed 's/^/    | /' >&2
            PRECOMMIT_SKIP="cargo-codex ${args[*]} exited $rc"
            break
        fi
        info "pre-commit, cargo-codex ${args[*]}: $pfiles files, $pfound findings"
    done
    if [[ -z "$PRECOMMIT_SKIP" ]]; then
        NOTES+=("pre-commit repository: the corpus committed to git (packed), then ${#PRECOMMIT_FILES[@]} files changed and staged (a function with \`.unwrap()\` appended to each); cargo-codex finds $pfound findings in them")
    fi
fi

# ---------------------------------------------------------------------------
# 6. Timed, interleaved runs.
# ---------------------------------------------------------------------------
log "6/6 timing: $RUNS round(s) round robin, $THREADS thread(s) each"
RUSTC_VERSION="$(rustc --version 2>/dev/null || echo unknown)"
CPU_MODEL="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)"
GIT_REV="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo 'no commit')"
if [[ -n "$(git -C "$REPO" status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null || true)" ]]; then
    GIT_REV="$GIT_REV (working tree has uncommitted changes)"
fi

LOADAVG="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
IOPRESSURE="$(head -n 1 /proc/pressure/io 2>/dev/null || echo unknown)"
TMP_USED="$(python3 -c 'import tempfile; print(tempfile.gettempdir())')"
TMPDIR_USED="$TMP_USED ($(df -PT "$TMP_USED" 2>/dev/null | awk 'NR == 2 {print $2}'))"
info "load average before timing: $LOADAVG (other work on the machine skews the figures)"
SPEC="$WORK/spec.json"
NOTES_JSON="$(printf '%s\n' "${NOTES[@]}" | python3 -c 'import json,sys; print(json.dumps([l.rstrip("\n") for l in sys.stdin if l.strip()]))')"
export SPEC SG SG_CONFIG CORPUS CORPUS_WORK THREADS CODEX_BIN CODEX_SKIP BP_BIN BP_SKIP NOTES_JSON \
    CORPUS_FILES CORPUS_MB CORPUS_CRATES PRUNE NPROC CPU_MODEL RUSTC_VERSION SG_VERSION CODEX_VERSION \
    GIT_REV REPO WORK LOADAVG CODEX_CONFIG PRECOMMIT PRECOMMIT_SKIP IOPRESSURE TMPDIR_USED
python3 - "${PRECOMMIT_FILES[@]}" <<'EOF'
import datetime, json, os, sys
e = os.environ
rel = lambda p: os.path.relpath(p, e["REPO"])
threads = {"RAYON_NUM_THREADS": e["THREADS"]}
files = sys.argv[1:]
whole = [
    {"name": "cargo-codex",
     "cmd": [e["CODEX_BIN"], "check", e["CORPUS"], "--format", "json", "--no-cache", "--config", e["CODEX_CONFIG"]],
     "display_cmd": ["cargo-codex", "check", "$CORPUS", "--format", "json", "--no-cache", "--config", rel(e["CODEX_CONFIG"])],
     "ok_codes": [0, 1], "env": threads, "cwd": e["CORPUS_WORK"]},
    {"name": "ast-grep",
     "cmd": [e["SG"], "scan", "-c", e["SG_CONFIG"], "-j", e["THREADS"], "--json=compact", e["CORPUS"]],
     "display_cmd": ["ast-grep", "scan", "-c", rel(e["SG_CONFIG"]), "-j", e["THREADS"], "--json=compact", "$CORPUS"],
     "ok_codes": [0], "env": threads},
    {"name": "bare_parse",
     "cmd": [e["BP_BIN"], e["CORPUS"]],
     "display_cmd": [rel(e["BP_BIN"]), "$CORPUS"],
     "ok_codes": [0], "env": threads},
]
if e.get("CODEX_SKIP"):
    whole[0]["skip"] = e["CODEX_SKIP"]
if e.get("BP_SKIP"):
    whole[2]["skip"] = e["BP_SKIP"]
# Short runs: each is repeated within a round and the median taken.
repeat = 5
precommit = [
    {"name": "cargo-codex check FILES", "cmd": [e["CODEX_BIN"], "check", *files, "--format", "json", "--no-cache"],
     "display_cmd": ["cargo-codex", "check", "FILES", "--format", "json", "--no-cache"],
     "ok_codes": [0, 1], "env": threads, "cwd": e["PRECOMMIT"], "repeat": repeat},
    {"name": "cargo-codex check --staged", "cmd": [e["CODEX_BIN"], "check", "--staged", "--format", "json", "--no-cache"],
     "display_cmd": ["cargo-codex", "check", "--staged", "--format", "json", "--no-cache"],
     "ok_codes": [0, 1], "env": threads, "cwd": e["PRECOMMIT"], "repeat": repeat},
    {"name": "ast-grep FILES",
     "cmd": [e["SG"], "scan", "-c", e["SG_CONFIG"], "-j", e["THREADS"], "--json=compact", *files],
     "display_cmd": ["ast-grep", "scan", "-c", rel(e["SG_CONFIG"]), "-j", e["THREADS"], "--json=compact", "FILES"],
     "ok_codes": [0], "env": threads, "cwd": e["PRECOMMIT"], "repeat": repeat},
]
for tool in precommit:
    if e.get("PRECOMMIT_SKIP"):
        tool["skip"] = e["PRECOMMIT_SKIP"]
    elif tool["name"].startswith("cargo-codex") and e.get("CODEX_SKIP"):
        tool["skip"] = e["CODEX_SKIP"]
speedup = "ast-grep / cargo-codex, wall (speed-up of cargo-codex)"
groups = [
    {"title": "Whole tree", "tools": whole,
     "ratios": [
         {"label": speedup, "num": "ast-grep", "den": "cargo-codex", "key": "wall"},
         {"label": "ast-grep / cargo-codex, CPU", "num": "ast-grep", "den": "cargo-codex", "key": "cpu"},
         {"label": "ast-grep / cargo-codex, peak RSS", "num": "ast-grep", "den": "cargo-codex", "key": "rss"},
         {"label": "cargo-codex / bare_parse, wall (overhead over bare parsing)",
          "num": "cargo-codex", "den": "bare_parse", "key": "wall"},
         {"label": "cargo-codex / bare_parse, CPU", "num": "cargo-codex", "den": "bare_parse", "key": "cpu"},
     ],
     "targets": [
         {"label": "cargo-codex at least 5x ast-grep's speed (paired wall ratio)", "ratio": speedup, "min": 5},
         {"label": "cargo-codex peak RSS at most 64 MB", "tool": "cargo-codex", "key": "rss", "max": 64},
     ]},
    {"title": f"Pre-commit: {len(files)} changed files in the corpus repository", "tools": precommit,
     "ratios": [
         {"label": "ast-grep FILES / cargo-codex check FILES, wall",
          "num": "ast-grep FILES", "den": "cargo-codex check FILES", "key": "wall"},
         {"label": "ast-grep FILES / cargo-codex check FILES, CPU",
          "num": "ast-grep FILES", "den": "cargo-codex check FILES", "key": "cpu"},
     ],
     "targets": [
         {"label": "check FILES under 50 ms wall", "tool": "cargo-codex check FILES", "key": "wall", "max": 0.05},
         {"label": "check --staged under 50 ms wall", "tool": "cargo-codex check --staged", "key": "wall",
          "max": 0.05},
     ]},
]
meta = {
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "machine": f"{e['NPROC']} cores (nproc), {e.get('CPU_MODEL') or 'unknown CPU'}",
    "threads per tool": e["THREADS"],
    "corpus": f"`$CORPUS` = {rel(e['CORPUS'])}: {e['CORPUS_FILES']} .rs files, {e['CORPUS_MB']} MB, "
              f"{e['CORPUS_CRATES']} crates vendored from bench/corpus/Cargo.toml + Cargo.lock "
              f"(pruned: {e['PRUNE'] or 'none'})",
    "pre-commit repository": f"{rel(e['PRECOMMIT'])} (the corpus in git); FILES = {' '.join(files)}",
    "cargo-codex": f"{e['CODEX_VERSION']}, git {e['GIT_REV']}",
    "ast-grep": f"{e['SG_VERSION']} (PyPI ast-grep-cli), rules in bench/ast-grep/",
    "rustc": e["RUSTC_VERSION"],
    "load average before timing": e["LOADAVG"],
    "I/O pressure before timing (/proc/pressure/io)": e["IOPRESSURE"],
    "temporary folder (--staged writes there)": e["TMPDIR_USED"],
}
notes = json.loads(e["NOTES_JSON"])
notes.append("ast-grep flags every occurrence, tests included; cargo-codex reports prod code only but also "
             "matches qualified forms and calls inside macro arguments (see bench/README.md), "
             "so the finding counts differ.")
notes.append("stdout of every timed run goes to /dev/null; output only needs to be produced, not stored.")
notes.append("Paired ratios: the median over rounds of the ratio between two tools' runs in the same round "
             "(run side by side, so drift in the machine's speed cancels out).")
with open(e["SPEC"], "w") as f:
    json.dump({"groups": groups, "meta": meta, "notes": notes}, f, indent=2)
EOF

set +e
python3 "$BENCH_DIR/measure.py" "$SPEC" --runs "$RUNS" --warmup "$WARMUP" --markdown "$RESULTS_MD"
rc=$?
set -e
if ((rc != 0)); then
    warn "the timing harness reported a failure (exit $rc); see above"
fi
if [[ -n "$CODEX_SKIP" ]]; then
    warn "cargo-codex was not measured: $CODEX_SKIP"
    exit 1
fi
exit "$rc"
