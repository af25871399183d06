#!/usr/bin/env bash
# Start-up time to healthy and idle resident memory of the portal, measured from outside with public tools only
# (bash, curl, /usr/bin/time, ss, /proc).
#
#   bench/startup.sh [-n RUNS] [-i IDLE_SECONDS] [-p PORT] [-s SEED_DIR] [NAME=COMMAND ...]
#
# Each NAME=COMMAND is one variant, a shell command that starts the portal in the foreground (it is run with `exec`,
# so the command must end in the java process). Without variants it measures the plain jar:
#
#   bench/startup.sh -n 5
#   bench/startup.sh -n 5 'plain=java -jar $JAR' 'tuned=java -XX:TieredStopAtLevel=1 -jar $JAR'
#
# The variants run alternately (A B A B ...), after one untimed warm-up run each, so that a machine whose load changes
# affects all of them alike; compare variants only from the same invocation. Each variant runs in its own scratch
# directory (./data there holds its H2 database, created by the warm-up run, so the timed runs are restarts on an
# existing schema, as in production). With -s, the contents of SEED_DIR (such as the data/ directory of an earlier
# run's scratch directory) are copied into each variant's directory instead and the warm-up runs are skipped. Variables available to the commands: $JAR (the absolute path of
# target/transfer-portal-*.jar), $ROOT (the project root), $PORT.
#
# Per run it records: the seconds from launch until GET /actuator/health/liveness answers 200 ('healthy'), the JVM's
# own "Started ... in" figure, the CPU seconds it used until healthy, VmRSS from /proc/<pid>/status IDLE_SECONDS after healthy ('idle RSS'), and the peak
# resident size that /usr/bin/time -v reports after the process ends. It prints every run and each variant's
# medians; logs are kept in the scratch directory (printed at the end).
set -euo pipefail

RUNS=5
IDLE=30
PORT=18080
SEED=""
while getopts "n:i:p:s:h" opt; do
	case "$opt" in
		n) RUNS="$OPTARG" ;;
		i) IDLE="$OPTARG" ;;
		p) PORT="$OPTARG" ;;
		s) SEED="$OPTARG" ;;
		*) sed -n '2,24p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$(ls "$ROOT"/target/transfer-portal-*.jar 2>/dev/null | grep -v -- '-plain.jar' | head -1 || true)"
[ -n "$JAR" ] || { echo "no target/transfer-portal-*.jar: run ./mvnw -B package -DskipTests first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (Debian/Ubuntu package 'time')" >&2; exit 1; }
export ROOT JAR PORT
# Spring Boot reads SERVER_PORT; the management endpoints share the server port
export SERVER_PORT="$PORT"

if [ "$#" -eq 0 ]; then
	set -- 'jar=java -jar $JAR'
fi
NAMES=()
COMMANDS=()
for variant in "$@"; do
	NAMES+=("${variant%%=*}")
	COMMANDS+=("${variant#*=}")
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/portal-startup.XXXXXX")"
HEALTH="http://127.0.0.1:$PORT/actuator/health/liveness"

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# one run of variant $1 (index), $2 = run label; prints "healthy_s started_s cpu_s idle_rss_mb peak_rss_mb"
run_once() {
	local index="$1" label="$2" dir="$WORK/${NAMES[$1]}"
	mkdir -p "$dir"
	if curl -fsS -o /dev/null "$HEALTH" 2>/dev/null; then
		echo "port $PORT is already in use" >&2
		exit 1
	fi
	local log="$dir/$label.log" timing="$dir/$label.time"
	local start end pid=""
	start=$(date +%s.%N)
	(cd "$dir" && exec /usr/bin/time -v -o "$timing" bash -c "exec ${COMMANDS[$index]}") >"$log" 2>&1 &
	local timer=$!
	until curl -fsS -o /dev/null "$HEALTH" 2>/dev/null; do
		if ! kill -0 "$timer" 2>/dev/null; then
			echo "${NAMES[$index]} $label: the process ended before it was healthy, see $log" >&2
			exit 1
		fi
		sleep 0.1
	done
	end=$(date +%s.%N)
	# /usr/bin/time's child is the JVM (bash exec'd into it)
	pid=$(pgrep -P "$timer" -n)
	# the answer must come from this JVM, not from an earlier one still shutting down on the same port
	if ! ss -Hltnp "sport = :$PORT" | grep -q "pid=$pid,"; then
		echo "${NAMES[$index]} $label: another process answered on port $PORT" >&2
		exit 1
	fi
	# CPU seconds (user + system, all threads) the JVM used until healthy: far less sensitive than wall-clock time to
	# other processes competing for the cores
	local cpu
	cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$pid/stat")
	sleep "$IDLE"
	local rss
	rss=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
	kill -TERM "$pid"
	wait "$timer" || true
	local peak started
	peak=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$timing")
	started=$(sed -n 's/.*Started [A-Za-z]* in \([0-9.]*\) seconds.*/\1/p' "$log" | head -1)
	printf '%.2f %s %s %s %s\n' "$(echo "$end - $start" | bc)" "${started:--}" "$cpu" "$rss" "$peak"
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "jar for \$JAR: $JAR ($RUNS runs per variant, idle RSS read ${IDLE}s after healthy, scratch: $WORK)"
for i in "${!NAMES[@]}"; do
	if [ -n "$SEED" ]; then
		mkdir -p "$WORK/${NAMES[$i]}"
		cp -r "$SEED"/. "$WORK/${NAMES[$i]}/"
	else
		echo "warm-up ${NAMES[$i]}: $(run_once "$i" warmup)" >&2
	fi
done
printf '%-12s %4s %10s %10s %8s %12s %12s\n' variant run healthy_s started_s cpu_s idle_rss_mb peak_rss_mb
for run in $(seq 1 "$RUNS"); do
	for i in "${!NAMES[@]}"; do
		result=$(run_once "$i" "run$run")
		echo "$result" >>"$WORK/${NAMES[$i]}.results"
		printf '%-12s %4s %10s %10s %8s %12s %12s\n' "${NAMES[$i]}" "$run" $result
	done
done
echo
printf '%-12s %4s %10s %10s %8s %12s %12s   (medians)\n' variant runs healthy_s started_s cpu_s idle_rss_mb peak_rss_mb
for i in "${!NAMES[@]}"; do
	f="$WORK/${NAMES[$i]}.results"
	printf '%-12s %4s %10s %10s %8s %12s %12s\n' "${NAMES[$i]}" "$RUNS" \
		"$(cut -d' ' -f1 "$f" | median)" "$(cut -d' ' -f2 "$f" | grep -v -- - | median)" \
		"$(cut -d' ' -f3 "$f" | median)" "$(cut -d' ' -f4 "$f" | median)" "$(cut -d' ' -f5 "$f" | median)"
done
echo "logs: $WORK"
