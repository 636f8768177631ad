#!/usr/bin/env bash
# bench/cache.sh - the result cache on the benchmark corpus: a cold run (empty cache), a warm
# run (unchanged tree), a run after editing one file, and a run with --no-cache, in rounds;
# prints medians, the cold/warm ratio and the cache's size, and checks that every run prints
# the same report. Writes bench/cache-results.md.
#
# Needs the corpus of bench/run.sh (bench/.work/corpus/vendor): run that once first. Works on a
# copy of it in a temporary folder, with its own cache folder and key, so nothing of the user's
# is touched. BENCH_RUNS sets the number of rounds (default 5).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
CORPUS="$BENCH_DIR/.work/corpus/vendor"
RUNS="${BENCH_RUNS:-5}"
RESULTS_MD="${BENCH_RESULTS:-$BENCH_DIR/cache-results.md}"

[[ -d "$CORPUS" ]] || { echo "bench/cache.sh: no corpus at $CORPUS: run bench/run.sh first" >&2; exit 1; }
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "bench/cache.sh: BENCH_RUNS must be >= 1" >&2; exit 1; }

echo "==> building cargo-codex (release)"
(cd "$REPO" && cargo build --release --locked --quiet)
BIN="$REPO/target/release/cargo-codex"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
echo "==> copying the corpus to $TMP"
mkdir "$TMP/project"
cp -r "$CORPUS" "$TMP/project/vendor"
printf '# Empty on purpose: cargo-codex defaults for the benchmark.\n' >"$TMP/project/codex.toml"

export BIN TMP RUNS RESULTS_MD
export CARGO_CODEX_CACHE_DIR="$TMP/cache"
export XDG_CACHE_HOME="$TMP/home"
unset CARGO_CODEX_CACHE_KEY

python3 - <<'EOF'
import datetime, os, resource, shutil, statistics, subprocess, time

e = os.environ
tmp, runs = os.path.join(e["TMP"], "project"), int(e["RUNS"])
cache = e["CARGO_CODEX_CACHE_DIR"]
base = [e["BIN"], "check", os.path.join(tmp, "vendor"), "--format", "json",
        "--config", os.path.join(tmp, "codex.toml")]
# The file edited between rounds: a large one, so that re-checking it is visible.
edited = max(
    (os.path.join(d, f) for d, _, fs in os.walk(os.path.join(tmp, "vendor")) for f in fs if f.endswith(".rs")),
    key=os.path.getsize,
)

def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime

load = os.getloadavg()[0]
labels = ["cold", "warm", "one file edited", "--no-cache"]
times = {label: [] for label in labels}
cpu = {label: [] for label in labels}

def run(label, *extra):
    start, start_cpu = time.perf_counter(), cpu_seconds()
    p = subprocess.run(base + list(extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp)
    times[label].append(time.perf_counter() - start)
    cpu[label].append(cpu_seconds() - start_cpu)
    if p.returncode not in (0, 1):
        raise SystemExit(f"cargo-codex exited {p.returncode}: {p.stderr.decode()[-2000:]}")
    return p.stdout, p.stderr.decode()

for round in range(runs):
    shutil.rmtree(cache, ignore_errors=True)
    cold, _ = run("cold")
    warm, stats = run("warm", "--verbose")
    if "0 checked" not in stats:
        raise SystemExit(f"the warm run checked files: {stats}")
    with open(edited, "a") as f:
        f.write(f"\n// edited in round {round}\n")
    _, stats = run("one file edited", "--verbose")
    if " 1 checked" not in stats:
        raise SystemExit(f"the run after one edit checked more than one file: {stats}")
    fresh, _ = run("--no-cache", "--no-cache")
    # The same report with and without cache (the edit adds a comment: no finding changes).
    if not (cold == warm == fresh):
        raise SystemExit("the runs with cache printed another report than --no-cache")
    print(f"    round {round + 1}/{runs}: " + ", ".join(f"{k} {v[-1]:.3f} s" for k, v in times.items()))

med = {k: statistics.median(v) for k, v in times.items()}
med_cpu = {k: statistics.median(v) for k, v in cpu.items()}
packs = [os.path.join(cache, f) for f in os.listdir(cache) if f.endswith(".pack")]
size = sum(os.path.getsize(p) for p in packs)
files = sum(1 for _, _, fs in os.walk(os.path.join(tmp, "vendor")) for f in fs if f.endswith(".rs"))
mb = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(tmp, "vendor"))
         for f in fs if f.endswith(".rs")) / 1e6
lines = [
    "# Result cache on the benchmark corpus",
    "",
    f"{datetime.date.today()}, {os.cpu_count()} cores, load average before: "
    f"{load:.2f}; corpus: {files} `.rs` files, {mb:.1f} MB; {runs} rounds, medians.",
    "",
    "| run | wall (s) | CPU, user + system (s) |",
    "| --- | ---: | ---: |",
    *[f"| {k} | {med[k]:.3f} | {med_cpu[k]:.3f} |" for k in labels],
    "",
    f"cold / warm: **{med['cold'] / med['warm']:.1f}x** in wall time, "
    f"{med_cpu['cold'] / med_cpu['warm']:.1f}x in CPU time; "
    f"cache: {size / 1e6:.2f} MB in {len(packs)} pack.",
    "Every run printed the same report as `--no-cache`.",
]
text = "\n".join(lines) + "\n"
print()
print(text)
with open(e["RESULTS_MD"], "w") as f:
    f.write(text)
EOF
