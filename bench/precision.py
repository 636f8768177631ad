#!/usr/bin/env python3
"""Precision against clippy: the default Codex's CX0001-CX0003 beside clippy's restriction lints.

For each crate (name, version, features), the published source is fetched with cargo into
bench/.work/precision/, then:

- clippy runs on the library with `unwrap_used`, `expect_used`, `panic`, `todo` and
  `unimplemented` as warnings (everything else allowed); its findings are production findings,
  since clippy only sees the library build;
- cargo-codex (release build of this repository) runs on the whole crate with `--format json`.

A clippy finding is *found* when cargo-codex reports the same rule in the same file on a line
inside clippy's primary span. What cargo-codex reports beyond clippy is listed by folder: code
clippy does not compile with these features (other platforms, `cfg` flags), `macro_rules!`
bodies (clippy lints them where they expand), and anything else worth reading; then each of
those findings with its source line, to classify it.

Usage: bench/precision.py [name@version[:features] ...]   (default: the crates below)
Writes bench/precision.md. Needs network access to crates.io the first time.
"""

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / ".work" / "precision"
DEFAULT = [
    "tokio@1.54.1:full",
    "hyper@1.12.0:full",
    "http@1.5.0",
    "h2@0.4.12",
    "syn@2.0.119:full",
    "serde_json@1.0.145",
]
LINTS = {
    "unwrap_used": "CX0001",
    "expect_used": "CX0002",
    "panic": "CX0003",
    "todo": "CX0003",
    "unimplemented": "CX0003",
}


def run(cmd, cwd, **kw):
    return subprocess.run(cmd, cwd=cwd, text=True, capture_output=True, **kw)


def fetch(name, version):
    """The crate's published source, copied into WORK (cargo fetch through a scratch project)."""
    dest = WORK / f"{name}-{version}"
    if (dest / "Cargo.toml").exists():
        return dest
    scratch = WORK / "fetch"
    shutil.rmtree(scratch, ignore_errors=True)
    (scratch / "src").mkdir(parents=True)
    (scratch / "src" / "lib.rs").write_text("")
    (scratch / "Cargo.toml").write_text(
        f'[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n'
        f'[dependencies]\n{name} = "={version}"\n'
    )
    result = run(["cargo", "fetch"], scratch)
    if result.returncode != 0:
        sys.exit(f"cargo fetch {name}@{version} failed:\n{result.stderr}")
    meta = json.loads(run(["cargo", "metadata", "--format-version", "1"], scratch).stdout)
    for package in meta["packages"]:
        if package["name"] == name and package["version"] == version:
            shutil.copytree(Path(package["manifest_path"]).parent, dest)
            # Its own repository, so that cargo-codex takes it as the project root.
            run(["git", "init", "--quiet"], dest)
            return dest
    sys.exit(f"{name}@{version} not found after cargo fetch")


def clippy(crate, features):
    """Clippy's findings: (file, first line, last line, rule)."""
    cmd = ["cargo", "clippy", "--message-format=json", "--quiet"]
    if features:
        cmd += ["--features", features]
    cmd += ["--", "-A", "clippy::all"]
    for lint in LINTS:
        cmd += ["-W", f"clippy::{lint}"]
    result = run(cmd, crate, env={**os.environ, "CARGO_TARGET_DIR": str(WORK / "target")})
    found = set()
    for line in result.stdout.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if message.get("reason") != "compiler-message":
            continue
        body = message["message"]
        lint = ((body.get("code") or {}).get("code") or "").removeprefix("clippy::")
        if lint not in LINTS:
            continue
        span = next(s for s in body["spans"] if s["is_primary"])
        found.add((span["file_name"], span["line_start"], span["line_end"], LINTS[lint]))
    if result.returncode != 0 and not found:
        sys.exit(f"clippy failed on {crate}:\n{result.stderr[-2000:]}")
    return found


def codex(crate):
    """cargo-codex's CX0001-CX0003 findings: (file, line, rule)."""
    binary = REPO / "target" / "release" / "cargo-codex"
    result = run([str(binary), "check", "--format", "json"], crate)
    report = json.loads(result.stdout)
    return {
        (d["path"], d["line"], d["rule"])
        for d in report["diagnostics"]
        if d["rule"] in ("CX0001", "CX0002", "CX0003")
    }


def source_line(crate, file, line):
    """Line `line` of `file` in `crate`, trimmed and shortened, for reading a finding in place."""
    try:
        lines = (crate / file).read_text(errors="replace").splitlines()
    except OSError:
        return ""
    text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    text = text.replace("`", "'")
    return text if len(text) <= 100 else text[:97] + "..."


def compare(clippy_found, ours):
    hits = lambda c, o: c[0] == o[0] and c[3] == o[2] and c[1] <= o[1] <= c[2]
    missed = sorted(c for c in clippy_found if not any(hits(c, o) for o in ours))
    extra = sorted(o for o in ours if not any(hits(c, o) for c in clippy_found))
    return missed, extra


def main():
    args = sys.argv[1:]
    WORK.mkdir(parents=True, exist_ok=True)
    build = run(["cargo", "build", "--release", "--locked", "--quiet"], REPO)
    if build.returncode != 0:
        sys.exit(build.stderr)
    rows, details = [], []
    for spec in args or DEFAULT:
        name_version, _, features = spec.partition(":")
        name, _, version = name_version.partition("@")
        crate = fetch(name, version)
        clippy_found = clippy(crate, features)
        ours = codex(crate)
        missed, extra = compare(clippy_found, ours)
        rows.append(
            f"| {name} {version} | {len(clippy_found)} | {len(clippy_found) - len(missed)} "
            f"| {len(ours)} | {len(extra)} |"
        )
        details.append(f"\n### {name} {version}: beyond clippy, by folder\n")
        for folder, count in Counter(p.rsplit("/", 1)[0] for p, _, _ in extra).most_common():
            details.append(f"- `{folder}`: {count}")
        for file, first, last, rule in missed:
            why = " (a build script: outside the default rules' scopes)" if file == "build.rs" else ""
            details.append(f"- missed: {rule} {file}:{first}-{last}{why}")
        if extra:
            details.append("\n<details><summary>each finding beyond clippy</summary>\n")
            for file, line, rule in extra:
                details.append(f"- {rule} `{file}:{line}`: `{source_line(crate, file, line)}`")
            details.append("\n</details>")
        print(rows[-1], flush=True)
    table = [
        "# Precision against clippy",
        "",
        "Written by `bench/precision.py` (see its docstring for what is compared).",
        "",
        "| crate | clippy | found by cargo-codex | cargo-codex | beyond clippy |",
        "| --- | --- | --- | --- | --- |",
        *rows,
        *details,
        "",
    ]
    (BENCH / "precision.md").write_text("\n".join(table))


if __name__ == "__main__":
    main()
