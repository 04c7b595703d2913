#!/usr/bin/env bash
# make bench: clean builds of the same synthetic corpus with our generator and
# with Hugo, alternating, RUNS times each; prints the medians of wall time,
# CPU time (user+sys) and peak RSS, and our/Hugo ratios. Then the real site's
# build time, and with SCALE=1 a 100,000-event build of ours.
#
#   bench/run.sh                 # 1,000 and 10,000 events, 5 runs each
#   SIZES="10000" RUNS=9 bench/run.sh
#   SCALE=1 bench/run.sh         # also 100,000 events, each run paired with a 10,000-event one (ours only; ~4 GB of tmpfs)
#   SERVE=0 bench/run.sh         # skip edit-to-reload (hugo server and ours, EDITS=20 edits)
#
# Everything is written under BENCH_DIR (tmpfs by default): on this machine's
# disk, creating files in the minutes after deleting a large tree is several
# times slower than usual, which would make the second build of a pair look
# slow for a reason that is not the generator's. BENCH_DIR is removed at the
# end unless KEEP=1.
#
# Needs Debian's hugo and GNU time; installs them with apt-get when missing.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
SIZES=${SIZES:-"1000 10000"}
SCALE=${SCALE:-0}
BENCH_DIR=${BENCH_DIR:-/dev/shm/sitegen-bench}
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
$GO build -o "$BENCH_DIR/bin/sitegen" ./generator/cmd/sitegen
$GO build -o "$BENCH_DIR/bin/corpus" ./generator/internal/corpus/cmd
$GO build -o "$BENCH_DIR/bin/hugoproject" ./bench/hugoproject
RESULTS=$BENCH_DIR/results.txt
: >"$RESULTS"

# measure LABEL SIZE COMMAND...: one run, appended to RESULTS as
# "size label wall user sys maxrss_kib". A failed build stops the benchmark.
measure() {
	local label=$1 size=$2
	shift 2
	if ! /usr/bin/time -f '%e %U %S %M' -o "$BENCH_DIR/time.txt" "$@" >"$BENCH_DIR/log.txt" 2>&1; then
		echo "bench: $label failed:" >&2
		tail -20 "$BENCH_DIR/log.txt" >&2
		exit 1
	fi
	echo "$size $label $(tail -1 "$BENCH_DIR/time.txt")" >>"$RESULTS"
}

ours() { # ours SIZE: a clean build (the output folder does not exist)
	rm -rf "$BENCH_DIR/out-ours"
	measure ours "$1" "$BENCH_DIR/bin/sitegen" build --source "$BENCH_DIR/c$1" --dest "$BENCH_DIR/out-ours"
}
hugo_() { # hugo_ SIZE: a clean build
	rm -rf "$BENCH_DIR/out-hugo"
	measure hugo "$1" hugo --quiet --source "$BENCH_DIR/h$1" --destination "$BENCH_DIR/out-hugo"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(uname -sr)"
echo "versions: $($GO version | cut -d' ' -f3-4), $(hugo version | cut -d' ' -f1-2), sitegen $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- generator || echo +changes)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "runs: $RUNS per tool and size, alternating; output on $(df --output=fstype "$BENCH_DIR" | tail -1) ($BENCH_DIR)"

for n in $SIZES; do
	"$BENCH_DIR/bin/corpus" -dir "$BENCH_DIR/c$n" -events "$n" -repo . >/dev/null
	"$BENCH_DIR/bin/hugoproject" -from "$BENCH_DIR/c$n" -to "$BENCH_DIR/h$n"
	# One untimed build each, so both start with warm file caches.
	ours "$n"
	hugo_ "$n"
	: >"$RESULTS"
done
: >"$RESULTS"
for n in $SIZES; do
	for i in $(seq "$RUNS"); do
		# Alternate which tool goes first, so neither always follows the other.
		if [ $((i % 2)) = 1 ]; then ours "$n"; hugo_ "$n"; else hugo_ "$n"; ours "$n"; fi
	done
	rm -rf "$BENCH_DIR/out-ours" "$BENCH_DIR/out-hugo"
done

# The real site, this repository's content/.
for i in $(seq "$RUNS"); do
	rm -rf "$BENCH_DIR/out-real"
	measure ours real "$BENCH_DIR/bin/sitegen" build --source . --dest "$BENCH_DIR/out-real"
done

# Edit-to-reload in serve mode on the 10,000-event corpus, the same edit to
# the same event (number 4242) with hugo server and with ours
# (BenchmarkEditToReload in generator/serve_bench_test.go, also make
# bench-serve). SERVE=0 skips it.
SERVE_OUT=$BENCH_DIR/serve.txt
: >"$SERVE_OUT"
if [ "${SERVE:-1}" = 1 ] && [ -d "$BENCH_DIR/h10000" ]; then
	$GO build -o "$BENCH_DIR/bin/hugolatency" ./bench/hugolatency
	ev=$(cd "$BENCH_DIR/h10000" && ls content/events/*-04242-*.md)
	"$BENCH_DIR/bin/hugolatency" -source "$BENCH_DIR/h10000" -file "$ev" -edits "${EDITS:-20}" >>"$SERVE_OUT"
	mkdir -p "$BENCH_DIR/tmp"
	TMPDIR=$BENCH_DIR/tmp $GO test -run '^$' -bench 'EditToReload/synthetic-10000' -benchtime "${EDITS:-20}x" -timeout 60m ./generator/ |
		awk '/^BenchmarkEditToReload/ { for (i = 1; i <= NF; i++) { if ($i == "median-ms") m = $(i-1); if ($i == "p95-ms") p = $(i-1) }
			printf "sitegen serve: %s edits, median %s ms, p95 %s ms\n", $2, m, p }' >>"$SERVE_OUT"
fi

# Growth: 100,000-event builds of ours, each paired with a 10,000-event
# build right before or after it (alternating), so that the two sizes are
# measured in the same minutes: on this shared VM a run's time drifts by
# 15 % over an hour, more than the growth ratio's own margin. The paired
# 10,000-event runs form their own row ("10000 paired").
if [ "$SCALE" = 1 ]; then
	rm -rf "$BENCH_DIR"/h* "$BENCH_DIR/c1000"
	[ -d "$BENCH_DIR/c10000" ] || "$BENCH_DIR/bin/corpus" -dir "$BENCH_DIR/c10000" -events 10000 -repo . >/dev/null
	"$BENCH_DIR/bin/corpus" -dir "$BENCH_DIR/c100000" -events 100000 -repo . >/dev/null
	paired() {
		rm -rf "$BENCH_DIR/out-ours"
		measure paired 10000 "$BENCH_DIR/bin/sitegen" build --source "$BENCH_DIR/c10000" --dest "$BENCH_DIR/out-ours"
	}
	for i in $(seq "${SCALE_RUNS:-3}"); do
		if [ $((i % 2)) = 1 ]; then paired; ours 100000; else ours 100000; paired; fi
	done
	rm -rf "$BENCH_DIR/out-ours"
fi

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
awk -v runs="$RUNS" '
function median(key,   n, i, j, t, a) {
	n = split(vals[key], a, " ")
	for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	k = $1 " " $2
	if (!(k in seen)) { seen[k] = 1; order[++m] = k }
	vals[k ",wall"] = vals[k ",wall"] " " $3
	vals[k ",cpu"] = vals[k ",cpu"] " " ($4 + $5)
	vals[k ",par"] = vals[k ",par"] " " (($4 + $5) / ($3 > 0 ? $3 : 0.01))
	vals[k ",rss"] = vals[k ",rss"] " " ($6 / 1024)
	count[k]++
}
END {
	printf "| events | generator | runs | wall (s) | CPU (s) | CPU/wall | peak RSS (MiB) |\n"
	printf "| ---: | --- | ---: | ---: | ---: | ---: | ---: |\n"
	for (i = 1; i <= m; i++) {
		k = order[i]; split(k, f, " ")
		w[k] = median(k ",wall"); c[k] = median(k ",cpu"); r[k] = median(k ",rss")
		printf "| %s | %s | %d | %.2f | %.2f | %.2f | %.0f |\n", f[1], (f[2] == "ours" ? "sitegen" : f[2] == "paired" ? "sitegen, paired with 100000" : f[2]), count[k], w[k], c[k], median(k ",par"), r[k]
	}
	if (("10000 paired") in seen && ("100000 ours") in seen)
		printf "\ngrowth, 100,000 over the paired 10,000-event runs: wall %.1f x, CPU %.1f x, peak RSS %.1f x\n", w["100000 ours"] / w["10000 paired"], c["100000 ours"] / c["10000 paired"], r["100000 ours"] / r["10000 paired"]
	printf "\n| events | wall ours/Hugo | CPU ours/Hugo | peak RSS ours/Hugo |\n| ---: | ---: | ---: | ---: |\n"
	for (i = 1; i <= m; i++) {
		k = order[i]; split(k, f, " ")
		if (f[2] != "ours") continue
		h = f[1] " hugo"
		if (!(h in seen)) continue
		printf "| %s | %.2f | %.2f | %.2f |\n", f[1], w[k] / w[h], c[k] / c[h], r[k] / r[h]
	}
}' "$RESULTS"
if [ -s "$SERVE_OUT" ]; then
	echo
	echo "Edit to reload signal, 10,000 events, one event's body edited:"
	cat "$SERVE_OUT"
fi
echo
echo "(medians; CPU = user + sys; the rows named real are this repository's own site; raw runs: $RESULTS with KEEP=1)"
