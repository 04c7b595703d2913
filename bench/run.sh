#!/usr/bin/env bash
# make bench: the figures of issue 18 in one table, side by side with the
# figures recorded in bench/before.tsv. On the synthetic corpus (seed 1):
# clean builds with our generator and with Hugo, alternating, RUNS times
# each (medians of wall time, CPU time and peak RSS, and our/Hugo ratios);
# the largest HTML page and the total HTML; the sizes of the exports; in
# Chromium (bench/browser) the time to the first event of /timeline/, the
# time until a filtered URL shows every match and the bytes of a first
# search query; edit-to-reload in serve mode. With SCALE=1 the same at
# 100,000 events.
#
#   bench/run.sh                 # 10,000 events, 5 runs each (~6 min on a quiet 2-core VM; 25 min at load 30)
#   SCALE=1 bench/run.sh         # also 100,000 events (~10 min more when quiet, an hour at load 30; ~4 GB of /dev/shm, 5 GiB for our build, 13.5 GiB for Hugo's)
#   RUNS=9 BROWSER_RUNS=9 bench/run.sh
#   SIZES="1000 10000" bench/run.sh   # more sizes for the build rows (the other figures are at 10,000)
#   SERVE=0 bench/run.sh         # skip edit-to-reload (hugo server and ours, EDITS=20 edits)
#   BROWSER=0 bench/run.sh       # skip the browser figures
#
# The table is printed and written as Markdown to REPORT (bench/report.md),
# its figures as key<TAB>value lines to the same name with .tsv. To make a
# run the new "before" column: cp bench/report.tsv bench/before.tsv.
#
# Everything is written under BENCH_DIR (tmpfs by default): on this machine's
# disk, creating files in the minutes after deleting a large tree is several
# times slower than usual, which would make the second build of a pair look
# slow for a reason that is not the generator's. BENCH_DIR is removed at the
# end unless KEEP=1.
#
# Needs Debian's hugo, GNU time and chromium; installs hugo and time with
# apt-get when missing.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
BROWSER_RUNS=${BROWSER_RUNS:-5}
SIZES=${SIZES:-10000}
SCALE=${SCALE:-0}
SCALE_RUNS=${SCALE_RUNS:-3}
SCALE_HUGO_RUNS=${SCALE_HUGO_RUNS:-1}
BENCH_DIR=${BENCH_DIR:-/dev/shm/sitegen-bench}
REPORT=${REPORT:-bench/report.md}
BEFORE=${BEFORE:-bench/before.tsv}
GO=${GO:-go}

need() { # need COMMAND PACKAGE
	if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then
		echo "bench: installing $2 (apt-get install -y $2)" >&2
		if [ "$(id -u)" = 0 ]; then apt-get install -y "$2" >/dev/null; else sudo apt-get install -y "$2" >/dev/null; fi
	fi
}
need hugo hugo
need /usr/bin/time time

rm -rf "$BENCH_DIR"
mkdir -p "$BENCH_DIR/bin"
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$BENCH_DIR"' EXIT
for cmd in generator/cmd/sitegen generator/internal/corpus/cmd bench/hugoproject bench/hugolatency bench/browser; do
	$GO build -o "$BENCH_DIR/bin/$(basename "${cmd%/cmd}")" "./$cmd"
done
RESULTS=$BENCH_DIR/results.txt # one line per timed build: size label wall user sys maxrss_kib
FIGURES=$BENCH_DIR/figures.tsv # one line per row of the table: key, figure, target, value, met
: >"$RESULTS"
: >"$FIGURES"
. bench/lib.sh

commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- generator bench || echo +changes)"
{
	echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(uname -sr)"
	echo "versions: $($GO version | cut -d' ' -f3-4), $(hugo version | cut -d' ' -f1-2), $(chromium --version 2>/dev/null | cut -d' ' -f1-2), sitegen $commit"
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load before: $(uptime | sed 's/.*load average/load average/')"
	echo "runs: $RUNS builds per tool and size, alternating; $BROWSER_RUNS page loads per browser figure; output on $(df --output=fstype "$BENCH_DIR" | tail -1) ($BENCH_DIR)"
} | tee "$BENCH_DIR/header.txt"

for n in $SIZES; do
	corpus "$n"
	# One untimed build each, so both start with warm file caches.
	ours "$n"
	hugo_ "$n"
done
: >"$RESULTS"
for n in $SIZES; do
	for i in $(seq "$RUNS"); do
		# Alternate which tool goes first, so neither always follows the other.
		if [ $((i % 2)) = 1 ]; then ours "$n"; hugo_ "$n"; else hugo_ "$n"; ours "$n"; fi
	done
	rm -rf "$BENCH_DIR/out-hugo"
done

# The real site, this repository's content/.
for i in $(seq "$RUNS"); do
	rm -rf "$BENCH_DIR/out-real"
	measure ours real "$BENCH_DIR/bin/sitegen" build --source . --dest "$BENCH_DIR/out-real"
done
rm -rf "$BENCH_DIR/out-real"

# What readers get at 10,000 events: the last timed build's output.
[ -d "$BENCH_DIR/c10000" ] || corpus 10000
[ -d "$BENCH_DIR/out-ours" ] && [ "$(cat "$BENCH_DIR/out-ours.size" 2>/dev/null)" = 10000 ] || ours 10000
pages 10000 "$BENCH_DIR/out-ours"
exports 10000 "$BENCH_DIR/out-ours"
if [ "${BROWSER:-1}" = 1 ]; then
	browser 10000 "$BENCH_DIR/out-ours" -runs "$BROWSER_RUNS"
fi
rm -rf "$BENCH_DIR/out-ours"

# Edit-to-reload in serve mode on the 10,000-event corpus, the same edit to
# the same event (number 4242) with hugo server and with ours
# (BenchmarkEditToReload in generator/serve_bench_test.go, also make
# bench-serve). SERVE=0 skips it.
if [ "${SERVE:-1}" = 1 ]; then
	serve_latency
fi

# 100,000 events: our builds, each paired with a 10,000-event build right
# before or after it (alternating), so that the two sizes are measured in
# the same minutes: on this shared VM a run's time drifts by 15 % over an
# hour, more than the growth ratio's own margin. The paired 10,000-event
# runs form their own row ("10000 paired"). Then Hugo's, SCALE_HUGO_RUNS
# of them (each takes minutes).
if [ "$SCALE" = 1 ]; then
	rm -rf "$BENCH_DIR"/h1000 "$BENCH_DIR"/h10000 "$BENCH_DIR/c1000"
	corpus 100000
	for i in $(seq "$SCALE_RUNS"); do
		if [ $((i % 2)) = 1 ]; then paired; ours 100000; else ours 100000; paired; fi
	done
	pages 100000 "$BENCH_DIR/out-ours"
	if [ "${BROWSER:-1}" = 1 ]; then
		browser 100000 "$BENCH_DIR/out-ours" -figures search
	fi
	rm -rf "$BENCH_DIR/out-ours"
	# Hugo needs several times our memory: a run that fails (killed when
	# the machine runs out of memory) leaves its row out, not the table.
	echo "memory available before Hugo's 100,000-event builds: $(awk '/MemAvailable/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
	for i in $(seq "$SCALE_HUGO_RUNS"); do SOFT=1 hugo_ 100000 || break; done
	rm -rf "$BENCH_DIR/out-hugo"
fi

echo "load after: $(uptime | sed 's/.*load average/load average/')" | tee -a "$BENCH_DIR/header.txt"
echo
builds_table | tee "$BENCH_DIR/builds.md"
build_figures
report | tee "$REPORT"
cut -f1,4 "$FIGURES" >"${REPORT%.md}.tsv"
echo
echo "(written to $REPORT and ${REPORT%.md}.tsv; raw runs: $RESULTS with KEEP=1)"
