#!/usr/bin/env python3
"""Timing harness for bench/run.sh (standard library only).

Reads a JSON spec of tools, runs them round robin (tool A, B, C, A, B, C,
...) for N rounds after W warm-up rounds, and reports per tool the MEDIAN
wall time and the peak RSS (max over the timed runs), plus the median CPU
time (user + system), which other load on the machine disturbs less than
wall time. Each run is measured with `/usr/bin/time -f '%e %M %U %S'` when
that program exists, else with os.wait4()'s rusage (per-child ru_maxrss,
ru_utime, ru_stime) and a monotonic clock; that fallback's peak RSS has a
floor of about 15 MB, the forked Python before exec.

Spec (JSON file):
  {
    "tools": [
      {"name": "cargo-codex", "cmd": ["..."], "ok_codes": [0, 1],
       "env": {"RAYON_NUM_THREADS": "2"}, "role": "subject"},
      {"name": "ast-grep", ..., "role": "competitor"},
      {"name": "bare_parse", ..., "role": "baseline"}
    ],
    "meta": {"key": "value", ...}          # printed into results.md
  }

A tool with "skip": "reason" is not run and shows as SKIPPED in the
report (used when its binary could not be built).

A run whose exit code is not in ok_codes marks the tool FAILED: it is
dropped from the remaining rounds, its stderr tail is printed, and the
harness exits 1 after writing the report for the others.

Usage: measure.py SPEC.json --runs N [--warmup W] [--markdown OUT.md]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

TIME_BIN = "/usr/bin/time"


def have_gnu_time() -> bool:
    if not (os.path.isfile(TIME_BIN) and os.access(TIME_BIN, os.X_OK)):
        return False
    try:
        with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
            subprocess.run(
                [TIME_BIN, "-f", "%e %M %U %S", "-o", tf.name, "true"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=True,
            )
            parts = open(tf.name).read().split()
            float(parts[-4]), int(parts[-3]), float(parts[-2]), float(parts[-1])
        return True
    except (OSError, subprocess.CalledProcessError, ValueError, IndexError):
        return False


class RunResult:
    def __init__(self, seconds: float, rss_kb: int, cpu: float, code: int, stderr_tail: str):
        self.seconds = seconds
        self.cpu = cpu
        self.rss_kb = rss_kb
        self.code = code
        self.stderr_tail = stderr_tail


def _tail(path: str, limit: int = 2000) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - limit))
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def run_once(tool: dict, use_gnu_time: bool) -> RunResult:
    env = dict(os.environ)
    env.update({k: str(v) for k, v in tool.get("env", {}).items()})
    cwd = tool.get("cwd") or None
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        err_path = os.path.join(tmp, "stderr")
        time_path = os.path.join(tmp, "time")
        with open(err_path, "wb") as err, open(os.devnull, "wb") as out:
            if use_gnu_time:
                cmd = [TIME_BIN, "-f", "%e %M %U %S", "-o", time_path] + tool["cmd"]
                proc = subprocess.run(cmd, stdout=out, stderr=err, env=env, cwd=cwd)
                code = proc.returncode
                try:
                    # time appends "Command exited with non-zero status N"
                    # before the format line when the command fails.
                    last = open(time_path).read().strip().splitlines()[-1].split()
                    seconds, rss_kb = float(last[0]), int(last[1])
                    cpu = float(last[2]) + float(last[3])
                except (OSError, ValueError, IndexError):
                    seconds, rss_kb, cpu = float("nan"), 0, float("nan")
            else:
                start = time.perf_counter()
                proc = subprocess.Popen(tool["cmd"], stdout=out, stderr=err, env=env, cwd=cwd)
                _pid, status, usage = os.wait4(proc.pid, 0)
                seconds = time.perf_counter() - start
                proc.returncode = os.waitstatus_to_exitcode(status)
                code = proc.returncode
                rss_kb = int(usage.ru_maxrss)  # KiB on Linux
                cpu = usage.ru_utime + usage.ru_stime
        return RunResult(seconds, rss_kb, cpu, code, _tail(err_path))


def fmt_ratio(num: float | None, den: float | None) -> str:
    if num is None or den is None or den <= 0:
        return "n/a"
    return f"{num / den:.2f}x"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("spec")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--markdown", default=None)
    args = ap.parse_args()
    if args.runs < 1:
        print("measure.py: --runs must be >= 1", file=sys.stderr)
        return 2

    with open(args.spec) as f:
        spec = json.load(f)
    tools = spec["tools"]
    meta = spec.get("meta", {})
    use_gnu_time = have_gnu_time()
    method = "/usr/bin/time -f '%e %M %U %S'" if use_gnu_time else "python os.wait4 rusage + perf_counter"
    print(f"measure: {len(tools)} tools, {args.warmup} warm-up + {args.runs} timed rounds, "
          f"round robin, timing via {method}", flush=True)

    samples: dict[str, list[RunResult]] = {t["name"]: [] for t in tools}
    failed: dict[str, str] = {}
    skipped = {t["name"]: t["skip"] for t in tools if t.get("skip")}
    for name, why in skipped.items():
        print(f"measure: {name} SKIPPED: {why}", flush=True)

    total_rounds = args.warmup + args.runs
    for rnd in range(total_rounds):
        warm = rnd < args.warmup
        label = f"warm-up {rnd + 1}/{args.warmup}" if warm else f"run {rnd - args.warmup + 1}/{args.runs}"
        for tool in tools:
            name = tool["name"]
            if name in failed or name in skipped:
                continue
            r = run_once(tool, use_gnu_time)
            ok = r.code in tool.get("ok_codes", [0])
            print(f"  [{label}] {name:<12} {r.seconds:8.2f} s {r.rss_kb / 1024:9.1f} MB "
                  f"{r.cpu:8.2f} s CPU  exit {r.code}"
                  + ("" if ok else "  <-- FAILED"), flush=True)
            if not ok:
                failed[name] = f"exit {r.code}"
                tail = r.stderr_tail.strip()
                print(f"measure: {name} failed with exit code {r.code}; it is dropped. stderr tail:",
                      file=sys.stderr)
                print("    " + "\n    ".join(tail.splitlines()[-15:]) if tail else "    (empty)",
                      file=sys.stderr, flush=True)
                continue
            if not warm:
                samples[name].append(r)

    # --- summary -----------------------------------------------------------
    summary = {}
    for tool in tools:
        name = tool["name"]
        rs = samples[name]
        if name in failed or name in skipped or not rs:
            summary[name] = None
            continue
        secs = [r.seconds for r in rs]
        summary[name] = {
            "median_s": statistics.median(secs),
            "min_s": min(secs),
            "max_s": max(secs),
            "peak_rss_mb": max(r.rss_kb for r in rs) / 1024.0,
            "median_cpu_s": statistics.median(r.cpu for r in rs),
            "runs": len(rs),
        }

    by_role = {t.get("role"): t["name"] for t in tools}

    def med(role: str, key: str = "median_s") -> float | None:
        n = by_role.get(role)
        s = summary.get(n) if n else None
        return s[key] if s else None

    rows = []
    for tool in tools:
        name = tool["name"]
        s = summary[name]
        if name in skipped:
            rows.append((name, "SKIPPED", "-", "-", "-"))
        elif s is None:
            rows.append((name, f"FAILED ({failed.get(name, 'no samples')})", "-", "-", "-"))
        else:
            rows.append((name, f"{s['median_s']:.2f}", f"{s['min_s']:.2f}-{s['max_s']:.2f}",
                         f"{s['peak_rss_mb']:.1f}", f"{s['median_cpu_s']:.2f}"))

    subj, comp, base = by_role.get("subject", "?"), by_role.get("competitor", "?"), by_role.get("baseline", "?")
    ratio_rows = [
        (f"{comp} / {subj} (speed-up of {subj}, wall)", fmt_ratio(med("competitor"), med("subject"))),
        (f"{subj} / {base} (overhead over bare parsing, wall)", fmt_ratio(med("subject"), med("baseline"))),
        (f"{comp} / {subj} (CPU time)",
         fmt_ratio(med("competitor", "median_cpu_s"), med("subject", "median_cpu_s"))),
        (f"{subj} / {base} (CPU time)",
         fmt_ratio(med("subject", "median_cpu_s"), med("baseline", "median_cpu_s"))),
    ]

    headers = ("tool", "median s", "min-max s", "peak RSS MB", "median CPU s")
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(5)]
    print()
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    print()
    for label, val in ratio_rows:
        print(f"{label}: {val}")

    if args.markdown:
        lines = ["# cargo-codex benchmark results", ""]
        lines.append("Generated by `bench/run.sh` (see bench/README.md). "
                     f"Median of {args.runs} timed runs after {args.warmup} warm-up round(s), "
                     f"tools interleaved round robin; timing via {method}.")
        lines.append("")
        for k, v in meta.items():
            lines.append(f"- **{k}**: {v}")
        lines.append("")
        lines.append("| tool | median s | min-max s | peak RSS MB | median CPU s | command |")
        lines.append("| --- | ---: | ---: | ---: | ---: | --- |")
        for tool, r in zip(tools, rows):
            cmd = " ".join(tool.get("display_cmd", tool["cmd"]))
            lines.append(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} | `{cmd}` |")
        lines.append("")
        lines.append("| ratio | value |")
        lines.append("| --- | ---: |")
        for label, val in ratio_rows:
            lines.append(f"| {label} | {val} |")
        extra = spec.get("notes", [])
        if extra:
            lines.append("")
            lines.append("Notes:")
            lines.append("")
            lines.extend(f"- {n}" for n in extra)
        lines.append("")
        with open(args.markdown, "w") as f:
            f.write("\n".join(lines))
        print(f"\nwrote {args.markdown}")

    return 1 if (failed or not any(summary.values())) else 0


if __name__ == "__main__":
    sys.exit(main())
