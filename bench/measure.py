#!/usr/bin/env python3
"""Timing harness for bench/run.sh (standard library only).

Reads a JSON spec of benchmark groups, each a list of tools, and runs every
tool of every group round robin (A, B, C, A, B, C, ...) for N rounds after
W warm-up rounds, so that drift in the machine's speed touches all alike.
It reports per tool the MEDIAN wall time, the peak RSS (max over the timed
runs) and the median CPU time (user + system), which other load on the
machine disturbs less than wall time; and per group the ratios asked for,
each as a ratio of medians and as a PAIRED ratio: the median over rounds of
the ratio within a round, where the two runs stood side by side in time.

A tool may ask for "repeat": K runs per round (short commands); its
per-round figure is then the median of the K.

Each run is timed by a monotonic clock around the process (wall time to the
millisecond; the wrapper's start-up, about a millisecond, is included),
and measured by `/usr/bin/time -f '%M %U %S'` (peak RSS, CPU) when that
program exists, else by os.wait4()'s rusage (whose peak RSS has a floor of
about 15 MB, the forked Python before exec).

Spec (JSON file):
  {
    "groups": [
      {"title": "Whole tree",
       "tools": [
         {"name": "cargo-codex", "cmd": ["..."], "ok_codes": [0, 1],
          "env": {"RAYON_NUM_THREADS": "2"}, "cwd": "...", "repeat": 1,
          "display_cmd": ["..."], "skip": "reason (optional)"},
         ...],
       "ratios": [{"label": "...", "num": "ast-grep", "den": "cargo-codex",
                   "key": "wall" | "cpu" | "rss"}],
       "targets": [{"label": "...", "tool": "cargo-codex", "key": "wall",
                    "max": 0.05},
                   {"label": "...", "ratio": "<a ratio label>", "min": 5}]}
    ],
    "meta": {"key": "value", ...},          # printed into results.md
    "notes": ["...", ...]
  }
(The older form, {"tools": [...]} with roles subject/competitor/baseline,
is read as one group with the ratios it always had.)

A run whose exit code is not in ok_codes marks the tool FAILED: it is
dropped from the remaining rounds, its stderr tail is printed, and the
harness exits 1 after writing the report for the others. A target that is
missed is reported as MISSED (the exit code does not change).

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
KEYS = {"wall": "wall time", "cpu": "CPU time", "rss": "peak RSS"}


def have_gnu_time() -> bool:
    if not (os.path.isfile(TIME_BIN) and os.access(TIME_BIN, os.X_OK)):
        return False
    try:
        with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
            subprocess.run(
                [TIME_BIN, "-f", "%M %U %S", "-o", tf.name, "true"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=True,
            )
            parts = open(tf.name).read().split()
            int(parts[-3]), float(parts[-2]), float(parts[-1])
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
                cmd = [TIME_BIN, "-f", "%M %U %S", "-o", time_path] + tool["cmd"]
                start = time.perf_counter()
                proc = subprocess.run(cmd, stdout=out, stderr=err, env=env, cwd=cwd)
                seconds = time.perf_counter() - start
                code = proc.returncode
                try:
                    # time appends "Command exited with non-zero status N"
                    # before the format line when the command fails.
                    last = open(time_path).read().strip().splitlines()[-1].split()
                    rss_kb, cpu = int(last[0]), float(last[1]) + float(last[2])
                except (OSError, ValueError, IndexError):
                    rss_kb, cpu = 0, float("nan")
            else:
                start = time.perf_counter()
                proc = subprocess.Popen(tool["cmd"], stdout=out, stderr=err, env=env, cwd=cwd)
                _pid, status, usage = os.wait4(proc.pid, 0)
                seconds = time.perf_counter() - start
                code = os.waitstatus_to_exitcode(status)
                rss_kb = int(usage.ru_maxrss)  # KiB on Linux
                cpu = usage.ru_utime + usage.ru_stime
        return RunResult(seconds, rss_kb, cpu, code, _tail(err_path))


def legacy_groups(spec: dict) -> list[dict]:
    """The old one-group spec, with the ratios run.sh always printed."""
    tools = spec["tools"]
    by_role = {t.get("role"): t["name"] for t in tools}
    subj, comp, base = by_role.get("subject"), by_role.get("competitor"), by_role.get("baseline")
    ratios = []
    for key in ("wall", "cpu"):
        if comp and subj:
            ratios.append({"label": f"{comp} / {subj} ({KEYS[key]})", "num": comp, "den": subj, "key": key})
        if subj and base:
            ratios.append({"label": f"{subj} / {base} ({KEYS[key]})", "num": subj, "den": base, "key": key})
    return [{"title": "Results", "tools": tools, "ratios": ratios}]


def figure(r: RunResult, key: str) -> float:
    return {"wall": r.seconds, "cpu": r.cpu, "rss": r.rss_kb / 1024.0}[key]


def fmt_seconds(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


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
    groups = spec["groups"] if "groups" in spec else legacy_groups(spec)
    tools = [t for g in groups for t in g["tools"]]
    names = [t["name"] for t in tools]
    if len(set(names)) != len(names):
        print("measure.py: tool names must be unique across groups", file=sys.stderr)
        return 2
    meta = spec.get("meta", {})
    use_gnu_time = have_gnu_time()
    method = ("a monotonic clock around each run; peak RSS and CPU from /usr/bin/time -f '%M %U %S'"
              if use_gnu_time else "a monotonic clock and python os.wait4 rusage")
    print(f"measure: {len(tools)} tools in {len(groups)} groups, {args.warmup} warm-up + {args.runs} "
          f"timed rounds, round robin, timing via {method}", flush=True)

    # samples[name][round] = list of runs in that round
    samples: dict[str, list[list[RunResult]]] = {t["name"]: [] for t in tools}
    failed: dict[str, str] = {}
    skipped = {t["name"]: t["skip"] for t in tools if t.get("skip")}
    for name, why in skipped.items():
        print(f"measure: {name} SKIPPED: {why}", flush=True)

    for rnd in range(args.warmup + args.runs):
        warm = rnd < args.warmup
        label = f"warm-up {rnd + 1}/{args.warmup}" if warm else f"run {rnd - args.warmup + 1}/{args.runs}"
        for tool in tools:
            name = tool["name"]
            if name in failed or name in skipped:
                continue
            runs = []
            for _ in range(max(1, int(tool.get("repeat", 1)))):
                r = run_once(tool, use_gnu_time)
                if r.code not in tool.get("ok_codes", [0]):
                    failed[name] = f"exit {r.code}"
                    tail = r.stderr_tail.strip()
                    print(f"measure: {name} failed with exit code {r.code}; it is dropped. stderr tail:",
                          file=sys.stderr)
                    print("    " + "\n    ".join(tail.splitlines()[-15:]) if tail else "    (empty)",
                          file=sys.stderr, flush=True)
                    break
                runs.append(r)
            if name in failed:
                continue
            wall = statistics.median(r.seconds for r in runs)
            cpu = statistics.median(r.cpu for r in runs)
            print(f"  [{label}] {name:<24} {fmt_seconds(wall):>9} {max(r.rss_kb for r in runs) / 1024:8.1f} MB "
                  f"{fmt_seconds(cpu):>9} CPU  exit {runs[-1].code}"
                  + (f"  (median of {len(runs)})" if len(runs) > 1 else ""), flush=True)
            if not warm:
                samples[name].append(runs)

    def per_round(name: str, key: str) -> list[float]:
        return [statistics.median(figure(r, key) for r in runs) for runs in samples[name]]

    summary = {}
    for tool in tools:
        name = tool["name"]
        if name in failed or name in skipped or not samples[name]:
            summary[name] = None
            continue
        runs = [r for rnd in samples[name] for r in rnd]
        walls = [r.seconds for r in runs]
        summary[name] = {
            "wall": statistics.median(walls),
            "min": min(walls),
            "max": max(walls),
            "rss": max(r.rss_kb for r in runs) / 1024.0,
            "cpu": statistics.median(r.cpu for r in runs),
            "runs": len(runs),
        }

    def ratio(spec_ratio: dict) -> tuple[float | None, float | None]:
        num, den, key = spec_ratio["num"], spec_ratio["den"], spec_ratio.get("key", "wall")
        if not summary.get(num) or not summary.get(den) or summary[den][key] <= 0:
            return None, None
        of_medians = summary[num][key] / summary[den][key]
        pairs = [a / b for a, b in zip(per_round(num, key), per_round(den, key)) if b > 0]
        return of_medians, (statistics.median(pairs) if pairs else None)

    def x(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.2f}x"

    lines: list[str] = []
    for group in groups:
        print(f"\n{group['title']}")
        lines += [f"## {group['title']}", ""]
        lines.append("| tool | median wall | min-max wall | peak RSS MB | median CPU | runs | command |")
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
        for tool in group["tools"]:
            name = tool["name"]
            s = summary[name]
            cmd = " ".join(tool.get("display_cmd", tool["cmd"]))
            if name in skipped:
                row = (name, "SKIPPED", "-", "-", "-", "-")
            elif s is None:
                row = (name, f"FAILED ({failed.get(name, 'no samples')})", "-", "-", "-", "-")
            else:
                row = (name, fmt_seconds(s["wall"]), f"{fmt_seconds(s['min'])}-{fmt_seconds(s['max'])}",
                       f"{s['rss']:.1f}", fmt_seconds(s["cpu"]), str(s["runs"]))
            print("  " + "  ".join(row))
            lines.append("| " + " | ".join(row) + f" | `{cmd}` |")
        labels = {}
        if group.get("ratios"):
            lines += ["", "| ratio | of medians | paired (median of per-round ratios) |", "| --- | ---: | ---: |"]
            for spec_ratio in group["ratios"]:
                of_medians, paired = ratio(spec_ratio)
                labels[spec_ratio["label"]] = paired if paired is not None else of_medians
                print(f"  {spec_ratio['label']}: {x(of_medians)} (paired {x(paired)})")
                lines.append(f"| {spec_ratio['label']} | {x(of_medians)} | {x(paired)} |")
        if group.get("targets"):
            lines += ["", "| target | measured | verdict |", "| --- | ---: | --- |"]
            for target in group["targets"]:
                if "ratio" in target:
                    value = labels.get(target["ratio"])
                    shown = x(value)
                else:
                    s = summary.get(target["tool"])
                    value = s[target.get("key", "wall")] if s else None
                    shown = "n/a" if value is None else (
                        f"{value:.1f} MB" if target.get("key") == "rss" else fmt_seconds(value))
                ok = value is not None and value <= target.get("max", float("inf")) \
                    and value >= target.get("min", float("-inf"))
                verdict = "met" if ok else "MISSED"
                print(f"  target {target['label']}: {shown} {verdict}")
                lines.append(f"| {target['label']} | {shown} | {verdict} |")
        lines.append("")

    if args.markdown:
        head = ["# cargo-codex benchmark results", "",
                "Generated by `bench/run.sh` (see bench/README.md). "
                f"Median of {args.runs} timed rounds after {args.warmup} warm-up round(s), "
                f"every tool of every group interleaved round robin; timing via {method}.", ""]
        head += [f"- **{k}**: {v}" for k, v in meta.items()]
        head.append("")
        extra = spec.get("notes", [])
        tail = (["Notes:", ""] + [f"- {n}" for n in extra] + [""]) if extra else []
        with open(args.markdown, "w") as f:
            f.write("\n".join(head + lines + tail))
        print(f"\nwrote {args.markdown}")

    return 1 if (failed or not any(summary.values())) else 0


if __name__ == "__main__":
    sys.exit(main())
