# Functions of bench/run.sh, which sources this file after setting
# BENCH_DIR, RESULTS, FIGURES, GO and the run counts.

# measure LABEL SIZE COMMAND...: one run, appended to RESULTS as
# "size label wall user sys maxrss_kib" (GNU time: wall clock, CPU and the
# peak resident set of the command, its children included). A failed build
# stops the benchmark, unless SOFT=1 (then measure returns 1).
measure() {
	local label=$1 size=$2
	shift 2
	if ! /usr/bin/time -f '%e %U %S %M' -o "$BENCH_DIR/time.txt" "$@" >"$BENCH_DIR/log.txt" 2>&1; then
		echo "bench: $label failed:" >&2
		tail -20 "$BENCH_DIR/log.txt" >&2
		[ "${SOFT:-0}" = 1 ] && return 1
		exit 1
	fi
	echo "$size $label $(tail -1 "$BENCH_DIR/time.txt")" >>"$RESULTS"
}

corpus() { # corpus SIZE: the corpus (seed 1) and its Hugo twin
	"$BENCH_DIR/bin/corpus" -dir "$BENCH_DIR/c$1" -events "$1" -repo . >/dev/null
	"$BENCH_DIR/bin/hugoproject" -from "$BENCH_DIR/c$1" -to "$BENCH_DIR/h$1"
}
ours() { # ours SIZE: a clean build (the output folder does not exist)
	rm -rf "$BENCH_DIR/out-ours"
	measure ours "$1" "$BENCH_DIR/bin/sitegen" build --source "$BENCH_DIR/c$1" --dest "$BENCH_DIR/out-ours"
	echo "$1" >"$BENCH_DIR/out-ours.size"
}
hugo_() { # hugo_ SIZE: a clean build
	rm -rf "$BENCH_DIR/out-hugo"
	measure hugo "$1" hugo --quiet --source "$BENCH_DIR/h$1" --destination "$BENCH_DIR/out-hugo"
}
paired() { # a 10,000-event build of ours next to a 100,000-event one
	rm -rf "$BENCH_DIR/out-paired"
	measure paired 10000 "$BENCH_DIR/bin/sitegen" build --source "$BENCH_DIR/c10000" --dest "$BENCH_DIR/out-paired"
	rm -rf "$BENCH_DIR/out-paired"
}

# row KEY FIGURE TARGET VALUE MET: one row of the table.
row() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$FIGURES"; }

# size BYTES: bytes with a thousands separator and in KiB or MiB.
size() {
	awk -v b="$1" 'BEGIN {
		s = sprintf("%d", b); t = ""
		while (length(s) > 3) { t = "," substr(s, length(s) - 2) t; s = substr(s, 1, length(s) - 3) }
		printf "%s B (%s)", s t, (b >= 1048576 ? sprintf("%.1f MiB", b / 1048576) : sprintf("%.0f KiB", b / 1024))
	}'
}

pages() { # pages SIZE DIR: the largest HTML page and all HTML
	local n=$1 dir=$2 big bytes path total count
	big=$(find "$dir" -name '*.html' -printf '%s %P\n' | sort -n | tail -1)
	bytes=${big%% *}
	path=${big#* }
	read -r total count < <(find "$dir" -name '*.html' -printf '%s\n' | awk '{ s += $1 } END { print s, NR }')
	row "largest-html-$n" "largest HTML page, $n events" "≤ 400 KiB" "/$path: $(size "$bytes")" "$([ "$bytes" -le 409600 ] && echo yes || echo no)"
	row "total-html-$n" "all HTML, $n events" "" "$(size "$total") in $count pages" ""
}

exports() { # exports SIZE DIR: the data exports, downloaded whole
	local n=$1 dir=$2 f v=""
	for f in timeline.json timelinejs.json events.ics; do
		v="$v${v:+; }$f $(size "$(stat -c %s "$dir/$f")")"
	done
	row "exports-$n" "data exports, $n events" "may stay whole (downloads)" "$v" ""
}

# browser SIZE DIR FLAGS...: the browser figures (bench/browser), on the
# output in DIR built from the corpus of SIZE events. A figure that cannot
# be measured (say a timeline the benchmark does not understand) is a row
# that says so, and the rest of the table is still made.
browser() {
	local n=$1 dir=$2 out=$BENCH_DIR/browser-$1.txt v note budget
	shift 2
	"$BENCH_DIR/bin/browser" -site "$dir" -corpus "$BENCH_DIR/c$n" "$@" >"$out" 2>"$BENCH_DIR/browser.log" || {
		echo "bench: some browser figures failed:" >&2
		grep -v ': run [0-9]* of' "$BENCH_DIR/browser.log" | tail -20 >&2
	}
	while IFS=$'\t' read -r key v note; do
		if [ "$v" = failed ]; then
			v="failed: ${note:0:300}"
			case $key in
			first-event-ms) row "first-event-$n" "time to the first event of /timeline/, $n events" "< 1 s" "$v" "no" ;;
			filtered-ms) row "filtered-$n" "time until a filtered URL shows every match, $n events" "every match" "$v" "no" ;;
			search-bytes) row "search-$n" "search, bytes a first query downloads, $n events" "" "$v" "no" ;;
			esac
			continue
		fi
		case $key in
		first-event-ms) row "first-event-$n" "time to the first event of /timeline/, $n events" "< 1 s" "$v ms ($note)" "$([ "$v" -lt 1000 ] && echo yes || echo no)" ;;
		filtered-ms) row "filtered-$n" "time until a filtered URL shows every match, $n events" "every match" "$v ms (${note})" "yes" ;;
		search-bytes)
			budget=$([ "$n" -ge 100000 ] && echo 1048576 || echo 512000)
			row "search-$n" "search, bytes a first query downloads, $n events" "≤ $((budget / 1024)) KiB" "$(size "$v"), $note" "$([ "$v" -le "$budget" ] && echo yes || echo no)" ;;
		esac
	done <"$out"
	cat "$out"
	grep -v ': run [0-9]* of' "$BENCH_DIR/browser.log" || true
}

serve_latency() { # edit-to-reload at 10,000 events, hugo server and ours
	local ev hugo_line ours_line median p95
	[ -d "$BENCH_DIR/h10000" ] || corpus 10000
	ev=$(cd "$BENCH_DIR/h10000" && ls content/events/*-04242-*.md)
	hugo_line=$("$BENCH_DIR/bin/hugolatency" -source "$BENCH_DIR/h10000" -file "$ev" -edits "${EDITS:-20}")
	mkdir -p "$BENCH_DIR/tmp"
	ours_line=$(TMPDIR=$BENCH_DIR/tmp $GO test -run '^$' -bench 'EditToReload/synthetic-10000' -benchtime "${EDITS:-20}x" -timeout 60m ./generator/ |
		awk '/^BenchmarkEditToReload/ { for (i = 1; i <= NF; i++) { if ($i == "median-ms") m = $(i-1); if ($i == "p95-ms") p = $(i-1) }
			printf "%s %s %s\n", $2, m, p }')
	read -r _ median p95 <<<"$ours_line"
	echo "$hugo_line"
	echo "sitegen serve: median $median ms, p95 $p95 ms"
	row "edit-reload-10000" "edit to reload, one body edited, 10000 events, ${EDITS:-20} edits" "median ≤ 40 ms" \
		"median $median ms, p95 $p95 ms (hugo server: ${hugo_line#*edits, })" "$(awk -v m="$median" 'BEGIN { print (m <= 40 ? "yes" : "no") }')"
}

# medians: for each size and label in RESULTS, "size label runs wall cpu
# cpu/wall rss_mib" (medians).
medians() {
	awk '
	function median(s,   n, i, j, t, a) {
		n = split(s, a, " ")
		for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	{
		k = $1 " " $2
		if (!(k in count)) order[++m] = k
		count[k]++
		wall[k] = wall[k] " " $3; cpu[k] = cpu[k] " " ($4 + $5); par[k] = par[k] " " (($4 + $5) / ($3 > 0 ? $3 : 0.01)); rss[k] = rss[k] " " ($6 / 1024)
	}
	END { for (i = 1; i <= m; i++) { k = order[i]; print k, count[k], median(wall[k]), median(cpu[k]), median(par[k]), median(rss[k]) } }' "$RESULTS"
}

builds_table() { # every build, in detail
	echo "| events | generator | runs | wall (s) | CPU (s) | CPU/wall | peak RSS (MiB) |"
	echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"
	medians | awk '{ g = $2 == "ours" ? "sitegen" : $2 == "paired" ? "sitegen, paired with 100000" : $2
		printf "| %s | %s | %d | %.2f | %.2f | %.2f | %.0f |\n", $1, g, $3, $4, $5, $6, $7 }'
}

build_figures() { # the build rows of the table, from the medians
	medians | awk -F' ' '
	{ k = $1 " " $2; runs[k] = $3; wall[k] = $4; rss[k] = $7; if ($2 == "ours") sizes[++n] = $1 }
	function row(key, fig, target, value, met) { printf "%s\t%s\t%s\t%s\t%s\n", key, fig, target, value, met }
	END {
		for (i = 1; i <= n; i++) {
			s = sizes[i]; o = s " ours"; h = s " hugo"
			if (s == "real") { row("build-real", "clean build of this repository'"'"'s site", "", sprintf("%.2f s, %.0f MiB", wall[o], rss[o]), ""); continue }
			wt = s == 10000 ? "≤ 0.45 × Hugo" : s == 100000 ? "≤ 11 × our 10000 (paired)" : ""
			rt = s == 10000 ? "≤ 0.3 × Hugo" : s == 100000 ? "< 3 GiB" : ""
			w = sprintf("%.2f s", wall[o]); r = sprintf("%.0f MiB", rss[o]); wm = rm = ""
			if (h in wall) {
				w = w sprintf(" vs Hugo %.2f s: %.2f ×", wall[h], wall[o] / wall[h]); r = r sprintf(" vs Hugo %.0f MiB: %.2f ×", rss[h], rss[o] / rss[h])
				if (s == 10000) { wm = wall[o] / wall[h] <= 0.45 ? "yes" : "no"; rm = rss[o] / rss[h] <= 0.3 ? "yes" : "no" }
			}
			if (s == 100000) {
				rm = rss[o] < 3072 ? "yes" : "no"
				if (("10000 paired") in wall) { g = wall[o] / wall["10000 paired"]; w = w sprintf("; %.1f × our paired 10000 (%.2f s)", g, wall["10000 paired"]); wm = g <= 11 ? "yes" : "no" }
			}
			runs_note = sprintf(" (medians of %d", runs[o]) ((h in runs) && runs[h] != runs[o] ? sprintf(", Hugo %d", runs[h]) : "") ")"
			row("build-wall-" s, "clean build, wall, " s " events" runs_note, wt, w, wm)
			row("build-rss-" s, "clean build, peak RSS, " s " events", rt, r, rm)
		}
	}' >>"$FIGURES"
}

# report: the table of FIGURES (now) beside BEFORE, in a fixed order.
report() {
	row commit "commit" "" "${commit:-$(git rev-parse --short HEAD)}" ""
	row date "date" "" "$(sed -n 's/^date: //p' "$BENCH_DIR/header.txt")" ""
	cat "$BENCH_DIR/header.txt"
	echo
	awk -F'\t' -v before="$BEFORE" '
	BEGIN {
		split("build-wall-10000 build-rss-10000 build-wall-100000 build-rss-100000 build-wall-1000 build-rss-1000 largest-html-10000 total-html-10000 largest-html-100000 total-html-100000 search-10000 search-100000 first-event-10000 filtered-10000 edit-reload-10000 exports-10000 build-real", keys, " ")
		# before holds key<TAB>value lines (a report.tsv) or the five columns of a row
		while ((getline line < before) > 0) { if (split(line, f, "\t") == 2) bval[f[1]] = f[2]; else { bfig[f[1]] = f[2]; btarget[f[1]] = f[3]; bval[f[1]] = f[4] } }
	}
	{ fig[$1] = $2; target[$1] = $3; val[$1] = $4; met[$1] = $5 }
	END {
		printf "| figure | target | before: %s, %s | now: %s, %s | met now |\n", bval["commit"], bval["date"], val["commit"], val["date"]
		print "| --- | --- | --- | --- | --- |"
		for (i = 1; i in keys; i++) {
			k = keys[i]
			if (!(k in val) && !(k in bval)) continue
			printf "| %s | %s | %s | %s | %s |\n", k in fig ? fig[k] : bfig[k], k in target ? target[k] : btarget[k], k in bval ? bval[k] : "–", k in val ? val[k] : k ~ /100000/ ? "not measured (SCALE=1 measures it)" : "not measured", met[k]
		}
	}' "$FIGURES"
}
