#!/usr/bin/env python3
"""Pathological shapes: does cost stay linear in the input?

For each shape, a project is generated at size N and at size 2N (one hostile file beside a
neighbour holding one ordinary finding), `cargo-codex check` runs on it in several formats, and
the best of a few runs is kept for wall time, with the peak resident memory. The growth ratio
time(2N) / time(N) must stay under the bound (default 2.2, as for a linear cost plus noise);
runs under a floor of 50 ms are too short to compare and are only reported.

    bench/pathological.py [--binary PATH] [--rounds 5] [--bound 2.2] [--out FILE] [SHAPE ...]

Exit 1 if a shape grows faster than the bound, crashes, or loses the neighbour's finding.
Writes a Markdown table to bench/pathological.md (or --out).
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
FLOOR = 0.05

# name -> (base size N, formats, generator(n) -> {relative path: text}).
# Rules for a project Codex go in `rules/`, named by codex.toml.
PATTERN_RULE = '''id = "PX0001"
title = "a call to `.a()`"
severity = "warning"
stage = "warn"
message = "call to `.a()`"
doc = """## What it does\nFlags `.a()`.\n\n## Why is this bad?\nA test rule.\n\n## Example\n    x.a()\n"""
[match]
pattern = "$X.a()"
'''


def hostile(text):
    return {"src/hostile.rs": text}


SHAPES = {
    # Deep nesting past the bound: measured and reported, never parsed.
    "deep-parens": (80_000, ["json"], lambda n: hostile(
        "fn f() { let x = %s1%s; a.unwrap(); }\n" % ("(" * n, ")" * n))),
    "deep-refs": (40_000, ["json"], lambda n: hostile("fn f(x: %su8) { a.unwrap(); }\n" % ("&" * n))),
    "deep-generics": (20_000, ["json"], lambda n: hostile(
        "fn f(x: %su8%s) { a.unwrap(); }\n" % ("V<" * n, ">" * n))),
    "deep-inline-mods": (6_000, ["json"], lambda n: hostile(
        "%sfn f() { a.unwrap(); }%s\n" % ("mod m { " * n, "}" * n))),
    "deep-cfg": (8_000, ["json"], lambda n: hostile(
        "#![cfg(%stest%s)]\nfn f() { a.unwrap(); }\n" % ("any(" * n, ")" * n))),
    "deep-macros": (20_000, ["json"], lambda n: hostile(
        "fn f() { %sa.unwrap()%s; }\n" % ("m!(=> " * n, ")" * n))),
    "deep-repetitions": (200_000, ["json"], lambda n: hostile(
        "macro_rules! m { () => { %s a.unwrap(); %s }; }\n" % ("$( " * n, " )*" * n))),
    # Item macros and transcribers (issue 8): module facts and rules read once each.
    "item-macro-mods": (100_000, ["json"], lambda n: {
        "src/hostile.rs": "m! { mod a; }\n" * n + "fn f() { a.unwrap(); }\n",
        "src/hostile/a.rs": "fn g() { a.unwrap(); }\n",
    }),
    "macro-rules-many": (5_000, ["json"], lambda n: hostile("macro_rules! m { %s }\n" % (
        "($v:vis $x:ident) => { $v fn $x() { $( a.unwrap(); )* } };" * n))),
    # Lint levels: many attributes in force over many findings or many modules.
    "inner-allows-and-mods": (50_000, ["json"], lambda n: {
        "src/hostile.rs": "#![allow(clippy::panic)]\n" * n + "mod a;\n" * n,
        "src/hostile/a.rs": "fn g() { a.unwrap(); }\n",
    }),
    "allows-over-findings": (20_000, ["json"], lambda n: hostile(
        "%sfn f() { %s}\n" % ("#[allow(clippy::panic)] " * n, "a.unwrap(); " * n))),
    # Nesting just under the bound, many times over: parsed and walked.
    "nested-items": (400, ["json"], lambda n: hostile(
        "".join("fn f%d() { let x = %sa.unwrap()%s; }\n" % (i, "vec![" * 200, "]" * 200)
                for i in range(n)))),
    # Long chains and flat expressions.
    "chain-one-line": (8_000, ["json", "concise", "human"], lambda n: hostile(
        "fn f() { x%s; }\n" % (".unwrap()" * n))),
    "pattern-on-chain": (2_000, ["json"], lambda n: {
        "src/hostile.rs": "fn f() { x%s; }\n" % (".a()" * n),
        "codex.toml": 'rule_dirs = ["rules"]\n',
        "rules/call-to-a.toml": PATTERN_RULE,
    }),
    "sum-one-line": (100_000, ["json"], lambda n: hostile("fn f() { a%s.unwrap(); }\n" % (" + a" * n))),
    # Many findings.
    "findings-one-line": (6_000, ["json", "concise", "human", "markdown", "sarif"], lambda n: hostile(
        "fn f() { %s }\n" % ("a.unwrap(); " * n))),
    "findings-many-lines": (20_000, ["json", "concise", "human", "markdown", "sarif", "github"],
                            lambda n: hostile("fn f() {\n%s}\n" % ("    a.unwrap();\n" * n))),
    "directives-one-line": (5_000, ["json", "concise"], lambda n: hostile(
        "fn f() { a.unwrap(); %s }\n" % ("/*codex:allow*/ " * n))),
    "directive-lines": (10_000, ["json"], lambda n: hostile(
        "fn f() {\n%s    a.unwrap();\n}\n" % ("    // codex:allow(CX0001) reason\n" * n))),
    "wide-items": (10_000, ["json"], lambda n: hostile(
        "".join("pub fn f%d(x: Option<u8>) -> u8 { x.unwrap() }\n" % i for i in range(n)))),
    "flow-bindings": (8_000, ["json"], lambda n: hostile(
        "fn f(s: &str) -> Result<(), E> {\n%s    Ok(())\n}\n"
        % "".join("    let v%d = serde_json::from_str(s)?;\n" % i for i in range(n)))),
    "long-line-no-findings": (200_000, ["json"], lambda n: hostile(
        "const X: &[u8] = &[%s];\n" % ("1," * n))),
    # A generated file of 9 then 18 MB, under the default size limit: checked, not skipped.
    "generated-file": (104_000, ["json"], lambda n: hostile("".join(
        "pub fn f%d(x: Option<u32>) -> u32 { let y = x.map(|v| v + %d).unwrap_or(0); y * 2 }\n"
        % (i, i) for i in range(n)))),
}

NEIGHBOUR = "pub fn f() -> u8 { Some(1).unwrap() }\n"


def run_once(binary, project, fmt):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [binary, "check", "--format", fmt, "--color", "never"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # ru_maxrss of children is the largest of any child so far; measured in a fresh process
    # per run (see measure()), it is this run's peak.
    return wall, after.ru_maxrss, proc, before


def measure(binary, files, fmt, rounds):
    """Best wall time and peak RSS (KB) of `rounds` runs, each in a fresh Python child."""
    with tempfile.TemporaryDirectory(prefix="codex-patho-") as project:
        for rel, text in files.items():
            path = os.path.join(project, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as handle:
                handle.write(text)
        with open(os.path.join(project, "src", "good.rs"), "w") as handle:
            handle.write(NEIGHBOUR)
        best, peak, code, neighbour = None, 0, None, False
        for _ in range(rounds):
            child = subprocess.run(
                [sys.executable, __file__, "--probe", binary, project, fmt],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
            fields = child.stdout.split()
            if child.returncode != 0 or len(fields) != 4:
                return None, None, "probe failed: " + child.stderr[-300:], False
            wall, rss, code, found = float(fields[0]), int(fields[1]), int(fields[2]), fields[3] == "1"
            best = wall if best is None else min(best, wall)
            peak = max(peak, rss)
            neighbour = found
        return best, peak, code, neighbour


def probe(binary, project, fmt):
    wall, rss, proc, _ = run_once(binary, project, fmt)
    found = b"good.rs" in proc.stdout
    print(f"{wall:.6f} {rss} {proc.returncode} {1 if found else 0}")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--probe":
        probe(*sys.argv[2:5])
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(REPO, "target", "release", "cargo-codex"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--bound", type=float, default=2.2)
    parser.add_argument("--out", default=os.path.join(HERE, "pathological.md"))
    parser.add_argument("shapes", nargs="*")
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        print(f"no binary at {args.binary}: run `cargo build --release` first", file=sys.stderr)
        return 2
    rows, failures = [], []
    for name, (n, formats, generate) in SHAPES.items():
        if args.shapes and name not in args.shapes:
            continue
        small, large = generate(n), generate(2 * n)
        size = sum(len(t) for t in large.values())
        for fmt in formats:
            t1, m1, c1, ok1 = measure(args.binary, small, fmt, args.rounds)
            t2, m2, c2, ok2 = measure(args.binary, large, fmt, args.rounds)
            if t1 is None or t2 is None:
                failures.append(f"{name} {fmt}: {c1 if t1 is None else c2}")
                continue
            ratio = t2 / t1 if t1 > 0 else float("inf")
            verdict = "ok"
            if c1 not in (0, 1, 2) or c2 not in (0, 1, 2):
                verdict = f"exit {c1}/{c2}"
            elif not (ok1 and ok2):
                verdict = "neighbour lost"
            elif t2 >= FLOOR and ratio > args.bound:
                verdict = f"grows {ratio:.2f}x"
            if verdict != "ok":
                failures.append(f"{name} {fmt}: {verdict}")
            rows.append((name, fmt, size, t1, t2, ratio, m2, verdict))
            print(f"{name:22} {fmt:9} 2N={size / 1024:8.0f} KB  N {t1:6.3f}s  2N {t2:6.3f}s  "
                  f"x{ratio:4.2f}  peak {m2 / 1024:6.1f} MB  {verdict}", flush=True)
    with open(args.out, "w") as out:
        out.write("# Pathological shapes\n\n")
        out.write(f"`bench/pathological.py`, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
                  f"best of {args.rounds} runs; growth = time(2N) / time(N), bound {args.bound} "
                  f"(not judged under {int(FLOOR * 1000)} ms).\n\n")
        out.write("| shape | format | input at 2N | time at N | time at 2N | growth | peak RSS at 2N | verdict |\n")
        out.write("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n")
        for name, fmt, size, t1, t2, ratio, mem, verdict in rows:
            out.write(f"| {name} | {fmt} | {size / 1024:.0f} KB | {t1:.3f} s | {t2:.3f} s | "
                      f"{ratio:.2f} | {mem / 1024:.1f} MB | {verdict} |\n")
        if failures:
            out.write("\nFailures:\n\n" + "".join(f"- {f}\n" for f in failures))
    for failure in failures:
        print("FAIL", failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
