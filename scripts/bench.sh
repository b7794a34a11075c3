#!/usr/bin/env bash
# make bench: every figure docs/BENCHMARKS.md shows, from one command, in
# under ten minutes on the 2-core machine.
#
#   1. pgbench: a one-row INSERT transaction on the bench database, with as
#      many clients as the server has PostgreSQL connections (BENCH_POOL)
#   2. sustained: BENCH_DEBTORS debtors as fast as the replies allow, for
#      BENCH_SECONDS, with a CPU profile of the server taken in the middle
#      and the CPU each process used
#   3. fixed rates (BENCH_RATES msg/s), BENCH_RATE_SECONDS each
#   4. resident memory with BENCH_RSS_DEBTORS conversations under way
#   5. the follow-up reminder run: BENCH_FOLLOWUP_CASES cases (100,000)
#      scheduled and sent through the fake Twilio by serve's River workers,
#      audited (nothing twice, nothing lost: TestFollowUpRunBench)
#   (micro-benchmarks: `make microbench`, or BENCH_MICRO=1 here)
#
# Every phase runs on a fresh copy of one seeded database (so each audit
# sees only its own run) and a fresh Redis prefix, and is audited: lost
# must be 0 or the script fails. The built binary (no -race) runs against
# PostgreSQL and Redis on 127.0.0.1. Results: printed, written to
# $BENCH_OUT (summary.md, plus the raw material: JSON reports, logs, the
# profile), and summary.md goes into $BENCH_DOC between the figure markers.
#
# Smoke run (about two minutes, does not touch the document):
#   BENCH_QUICK=1 make bench
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${BENCH_QUICK:-0}" != 0 ]; then
	: "${BENCH_SECONDS:=10}" "${BENCH_RATE_SECONDS:=5}" "${BENCH_RSS_DEBTORS:=2000}" "${BENCH_RSS_SECONDS:=10}" "${BENCH_FOLLOWUP_CASES:=500}"
	: "${BENCH_DOC:=}"
fi
BENCH_SECONDS=${BENCH_SECONDS:-60}
BENCH_RATE_SECONDS=${BENCH_RATE_SECONDS:-30}
BENCH_RATES=${BENCH_RATES:-100 500 1000}
BENCH_DEBTORS=${BENCH_DEBTORS:-600}           # debtors in the sustained run
BENCH_RSS_DEBTORS=${BENCH_RSS_DEBTORS:-10000}
BENCH_RSS_RATE=${BENCH_RSS_RATE:-300}        # a rate the server keeps up with: the memory of conversations, not of a backlog
BENCH_RSS_SECONDS=${BENCH_RSS_SECONDS:-70}
BENCH_PROFILE_SECONDS=${BENCH_PROFILE_SECONDS:-$((BENCH_SECONDS / 2))}
BENCH_POOL=${BENCH_POOL:-16}                  # the server's PostgreSQL connections
BENCH_DUPLICATES=${BENCH_DUPLICATES:-0.05}    # share of webhooks delivered twice
BENCH_MICRO=${BENCH_MICRO:-0}
BENCH_FOLLOWUP_CASES=${BENCH_FOLLOWUP_CASES:-100000}
BENCH_DB=${BENCH_DB:-incassobot_bench}
BENCH_DOC=${BENCH_DOC-docs/BENCHMARKS.md}     # empty: leave the document alone
BENCH_OUT=${BENCH_OUT:-bench-results/$(date -u +%Y%m%dT%H%M%SZ)}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
GO=${GO:-go}
started=$(date +%s)

ADDR=127.0.0.1:${BENCH_PORT:-18080}
FAKE=127.0.0.1:${BENCH_FAKE_PORT:-18099}
PPROF=127.0.0.1:${BENCH_PPROF_PORT:-16060}
DB_PLAIN="$PG/$BENCH_DB?sslmode=disable"
DB_URL="$DB_PLAIN&pool_max_conns=$BENCH_POOL"
PREFIX_BASE="bench:$$:"
BIN=bin/incassobot

mkdir -p "$BENCH_OUT"
SUMMARY=$BENCH_OUT/summary.md
: >"$SUMMARY"
say() { echo "bench: $*" >&2; }
out() { echo "$*" | tee -a "$SUMMARY"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

server_pid=""
loadgen_pid=""
cleanup() {
	[ -n "$loadgen_pid" ] && kill "$loadgen_pid" 2>/dev/null || true
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	# A failed run leaves no dialog states behind (they live 7 days).
	redis-cli -u "$REDIS_URL" --scan --pattern "${PREFIX_BASE}*" 2>/dev/null | xargs -r -n 500 redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
}
trap cleanup EXIT

scripts/ensure-services.sh

# --- the machine -----------------------------------------------------------
psql_q() { psql "$PG/postgres?sslmode=disable" -tAqc "$1"; }
out "## Figures of the run of $(date -u +%Y-%m-%dT%H:%M:%SZ)"
out ""
out "### Machine"
out ""
out "| what | value |"
out "|---|---|"
out "| CPU | nproc $(nproc): $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) |"
out "| memory | $(free -m | awk '/Mem:/ {print $2}') MB |"
out "| kernel | $(uname -r) |"
out "| Go | $($GO version | cut -d' ' -f3) |"
out "| PostgreSQL | $(psql_q 'show server_version') (synchronous_commit=$(psql_q 'show synchronous_commit'), fsync=$(psql_q 'show fsync'), shared_buffers=$(psql_q 'show shared_buffers')) |"
out "| Redis | $(redis-cli -u "$REDIS_URL" info server | awk -F: '/redis_version/ {print $2}' | tr -d '\r') |"
out "| commit | $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' + uncommitted changes') |"
out "| settings | BENCH_SECONDS=$BENCH_SECONDS BENCH_DEBTORS=$BENCH_DEBTORS BENCH_POOL=$BENCH_POOL BENCH_RATES='$BENCH_RATES' BENCH_RATE_SECONDS=$BENCH_RATE_SECONDS BENCH_RSS_DEBTORS=$BENCH_RSS_DEBTORS BENCH_RSS_RATE=$BENCH_RSS_RATE BENCH_DUPLICATES=$BENCH_DUPLICATES |"
out "| load average at start | $(loadavg) |"
out ""

# --- build, database, cases --------------------------------------------------
say "building $BIN (no -race)"
$GO build -o "$BIN" ./cmd/incassobot
# One seeded template; each phase gets a fresh copy (CREATE DATABASE …
# TEMPLATE copies files: seconds, where seeding 10,000 cases takes longer).
seed_n=$BENCH_RSS_DEBTORS
for rate in $BENCH_RATES; do seed_n=$((rate * 2 > seed_n ? rate * 2 : seed_n)); done
seed_n=$((BENCH_DEBTORS > seed_n ? BENCH_DEBTORS : seed_n))
TEMPLATE=${BENCH_DB}_template
say "database $TEMPLATE: fresh, migrated, $seed_n cases seeded"
psql_q "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" >/dev/null
psql_q "DROP DATABASE IF EXISTS $TEMPLATE WITH (FORCE)" >/dev/null
psql_q "CREATE DATABASE $TEMPLATE" >/dev/null
"$BIN" loadgen --database-url "$PG/$TEMPLATE?sslmode=disable" --seed --seed-only --debtors "$seed_n" 2>>"$BENCH_OUT/seed.log"
# CHECKPOINT: the copy and the previous phase's writes are flushed now,
# not by a checkpoint in the middle of the next phase, whose fsyncs would
# show up as that phase's latency.
fresh_db() {
	psql_q "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" >/dev/null
	psql_q "CREATE DATABASE $BENCH_DB TEMPLATE $TEMPLATE" >/dev/null
	psql_q "CHECKPOINT" >/dev/null
}
fresh_db

# --- helpers for one load phase --------------------------------------------
# proc_cpu PID: CPU seconds (user+system) the process has used.
proc_cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# pg_cpu: CPU seconds of every PostgreSQL process alive now.
pg_cpu() {
	local sum=0 p
	for p in $(pgrep -x postgres || true); do sum=$(echo "$sum + $(proc_cpu "$p")" | bc); done
	echo "$sum"
}
machine_cpu() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / {print ($2+$3+$4+$7+$8) / hz}' /proc/stat; }

# start_phase NAME LOADGEN-ARGS...: loadgen first (its fake providers must
# answer the server's start-up calls), then the server in a fresh Redis
# prefix; returns when the server is ready.
start_phase() {
	local name=$1
	shift
	phase=$name
	say "phase $name: load average $(loadavg)"
	fresh_db
	echo "$(loadavg)" >"$BENCH_OUT/$name.loadavg"
	"$BIN" loadgen --target "http://$ADDR" --listen "$FAKE" --database-url "$DB_URL" \
		--duplicate-share "$BENCH_DUPLICATES" --json "$BENCH_OUT/$name.json" "$@" \
		>"$BENCH_OUT/$name.loadgen.txt" 2>"$BENCH_OUT/$name.progress.txt" &
	loadgen_pid=$!
	for _ in $(seq 1 100); do
		if (exec 3<>"/dev/tcp/${FAKE%:*}/${FAKE#*:}") 2>/dev/null; then break; fi
		sleep 0.1
	done
	eval "$("$BIN" loadgen --print-env --listen "$FAKE" | grep '^export')"
	ADDR=$ADDR DATABASE_URL=$DB_URL REDIS_URL=$REDIS_URL REDIS_PREFIX="$PREFIX_BASE$name:" PPROF_ADDR=$PPROF LOG_LEVEL=warn \
		"$BIN" serve >"$BENCH_OUT/$name.server.log" 2>&1 &
	server_pid=$!
	for _ in $(seq 1 300); do
		if curl -fsS "http://$ADDR/readyz" >/dev/null 2>&1; then return 0; fi
		sleep 0.1
	done
	say "server did not become ready; see $BENCH_OUT/$name.server.log"
	exit 1
}

# end_phase: waits for loadgen (load, drain, audit), stops the server.
end_phase() {
	local rc=0
	wait "$loadgen_pid" || rc=$?
	loadgen_pid=""
	kill -TERM "$server_pid" 2>/dev/null || true
	wait "$server_pid" 2>/dev/null || true
	server_pid=""
	cat "$BENCH_OUT/$phase.loadgen.txt" >&2
	if [ "$rc" -ne 0 ]; then
		say "phase $phase: loadgen failed (exit $rc); see $BENCH_OUT/$phase.*"
		exit 1
	fi
}

j() { jq -r "$1" "$BENCH_OUT/$phase.json"; }
latency_row() { # label
	echo "| $1 | $(j '.accepted') | $(j '.msg_per_s | . * 10 | round / 10') | $(j '.webhook.p50_ms') | $(j '.webhook.p95_ms') | $(j '.webhook.p99_ms') | $(j '.webhook.max_ms') | $(j '.reply.p50_ms') | $(j '.reply.p99_ms') | $(j '.audit.lost') | $(j '.duplicates_sent') / $(j '.audit.duplicates_once') | $(cat "$BENCH_OUT/$phase.loadavg") |"
}

# --- 1. micro-benchmarks ------------------------------------------------------
if [ "$BENCH_MICRO" != 0 ]; then
	say "micro-benchmarks"
	$GO test -run XXX -bench . -benchtime 1s -benchmem ./casestore/... ./dialogs/ ./bot/... >"$BENCH_OUT/micro.txt" 2>&1 || {
		cat "$BENCH_OUT/micro.txt" >&2
		exit 1
	}
	out "### Micro-benchmarks (go test -bench)"
	out ""
	out '```'
	grep -E '^(Benchmark|pkg:)' "$BENCH_OUT/micro.txt" | tee -a "$SUMMARY"
	out '```'
	out ""
fi

# --- 2. pgbench baseline ------------------------------------------------------
say "pgbench: one-row INSERT, $BENCH_POOL clients, ${BENCH_SECONDS}s"
psql "$DB_PLAIN" -qc "DROP TABLE IF EXISTS bench_insert; CREATE TABLE bench_insert (id bigserial PRIMARY KEY, body jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())"
echo "INSERT INTO bench_insert (body) VALUES ('{\"text\": \"kan ik 50 euro per maand betalen\"}');" >"$BENCH_OUT/pgbench-insert.sql"
phase=pgbench
echo "$(loadavg)" >"$BENCH_OUT/pgbench.loadavg"
pgbench -h 127.0.0.1 -U postgres -n -c "$BENCH_POOL" -j 2 -T "$BENCH_SECONDS" -f "$BENCH_OUT/pgbench-insert.sql" "$BENCH_DB" >"$BENCH_OUT/pgbench.txt" 2>&1
pgbench_tps=$(awk '/^tps/ {print $3; exit}' "$BENCH_OUT/pgbench.txt")
pgbench_lat=$(awk '/^latency average/ {print $4; exit}' "$BENCH_OUT/pgbench.txt")
psql "$DB_PLAIN" -qc "DROP TABLE bench_insert"

# --- 3. sustained, with profile and CPU shares --------------------------------
start_phase sustained --debtors "$BENCH_DEBTORS" --duration "${BENCH_SECONDS}s"
warm=$(((BENCH_SECONDS - BENCH_PROFILE_SECONDS) / 2))
sleep "$warm"
c0_m=$(machine_cpu) c0_s=$(proc_cpu "$server_pid") c0_l=$(proc_cpu "$loadgen_pid") c0_p=$(pg_cpu) c0_r=$(proc_cpu "$(pgrep -x redis-server | head -1)")
curl -fsS -o "$BENCH_OUT/cpu.pprof" "http://$PPROF/debug/pprof/profile?seconds=$BENCH_PROFILE_SECONDS"
c1_m=$(machine_cpu) c1_s=$(proc_cpu "$server_pid") c1_l=$(proc_cpu "$loadgen_pid") c1_p=$(pg_cpu) c1_r=$(proc_cpu "$(pgrep -x redis-server | head -1)")
end_phase
sustained_rate=$(j '.msg_per_s')
$GO tool pprof -top -nodecount=40 "$BIN" "$BENCH_OUT/cpu.pprof" >"$BENCH_OUT/pprof-top.txt" 2>/dev/null
$GO tool pprof -top -cum -nodecount=200 "$BIN" "$BENCH_OUT/cpu.pprof" >"$BENCH_OUT/pprof-top-cum.txt" 2>/dev/null

out "### Sustained end to end (${BENCH_SECONDS} s, $BENCH_DEBTORS debtors as fast as the replies allow)"
out ""
out "| run | accepted | msg/s | webhook p50 ms | p95 | p99 | max | reply p50 ms | reply p99 | lost | duplicates sent / filed once | load avg |"
out "|---|---|---|---|---|---|---|---|---|---|---|---|"
out "$(latency_row sustained)"
out ""
out "Audit: $(j '.audit | "accepted \(.accepted), lost \(.lost), dossier once \(.in_dossier), missing \(.dossier_missing), twice \(.dossier_twice); replies sent \(.replies_sent), received \(.replies_received), missing \(.replies_missing), waiting \(.replies_waiting), failed \(.replies_failed), delivered twice \(.extra_deliveries)"')"
out ""
out "### CPU used during the ${BENCH_PROFILE_SECONDS} s profile window ($(nproc) cores = $((BENCH_PROFILE_SECONDS * $(nproc))) CPU-s)"
out ""
out "| process | CPU-s | share of the machine |"
out "|---|---|---|"
cap=$((BENCH_PROFILE_SECONDS * $(nproc)))
row() { out "| $1 | $(printf '%.1f' "$2") | $(echo "scale=1; 100 * $2 / $cap" | bc)% |"; }
row "incassobot serve" "$(echo "$c1_s - $c0_s" | bc)"
row "loadgen (debtors + fake providers)" "$(echo "$c1_l - $c0_l" | bc)"
row "PostgreSQL (all processes)" "$(echo "$c1_p - $c0_p" | bc)"
row "Redis" "$(echo "$c1_r - $c0_r" | bc)"
row "whole machine (incl. anything else running)" "$(echo "$c1_m - $c0_m" | bc)"
out ""

# --- pgbench share ------------------------------------------------------------
out "### Against the database's own commit rate"
out ""
out "| measure | value |"
out "|---|---|"
out "| pgbench one-row INSERT, $BENCH_POOL clients, ${BENCH_SECONDS} s | $pgbench_tps tps (latency average $pgbench_lat ms; load avg $(cat "$BENCH_OUT/pgbench.loadavg")) |"
out "| incassobot sustained | $(printf '%.1f' "$sustained_rate") msg/s |"
out "| share | $(echo "scale=1; 100 * $sustained_rate / $pgbench_tps" | bc)% |"
out ""

# --- 4. fixed rates -----------------------------------------------------------
out "### Latency at fixed rates (${BENCH_RATE_SECONDS} s each)"
out ""
out "| rate | accepted | msg/s | webhook p50 ms | p95 | p99 | max | reply p50 ms | reply p99 | lost | duplicates sent / filed once | load avg |"
out "|---|---|---|---|---|---|---|---|---|---|---|---|"
for rate in $BENCH_RATES; do
	# Enough debtors that each speaks about once every two seconds: the
	# rate, not a debtor waiting for a reply, sets the pace.
	debtors=$((rate * 2 > 100 ? rate * 2 : 100))
	start_phase "rate$rate" --debtors "$debtors" --rate "$rate" --duration "${BENCH_RATE_SECONDS}s"
	end_phase
	out "$(latency_row "$rate msg/s")"
done
out ""

# --- 5. resident memory with many conversations -------------------------------
start_phase rss --debtors "$BENCH_RSS_DEBTORS" --rate "$BENCH_RSS_RATE" --duration "${BENCH_RSS_SECONDS}s" --reply-timeout 30s
rss_max=0 hwm=0 rss_t0=$(date +%s) rss_mid="" goroutines="?" rss_conns="?"
while kill -0 "$loadgen_pid" 2>/dev/null && kill -0 "$server_pid" 2>/dev/null; do
	r=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0)
	[ "${r:-0}" -gt "$rss_max" ] && rss_max=$r
	hwm=$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo "$hwm")
	if [ -z "$rss_mid" ] && [ $(($(date +%s) - rss_t0)) -ge $((BENCH_RSS_SECONDS / 2)) ]; then
		# Halfway: what the memory is made of (heap profile, goroutines,
		# the webhook connections the providers hold open).
		rss_mid=$((r / 1024))
		curl -fsS -o "$BENCH_OUT/rss-heap.pprof" "http://$PPROF/debug/pprof/heap" || true
		# (no early exit in these pipelines: with pipefail a reader that
		# stops first fails the whole script)
		goroutines=$(curl -fsS "http://$PPROF/debug/pprof/goroutine?debug=1" 2>/dev/null | sed -n '1s/^goroutine profile: total //p') || goroutines="?"
		rss_conns=$(ss -Htn state established "( sport = :${ADDR#*:} )" 2>/dev/null | wc -l) || rss_conns="?"
	fi
	sleep 1
done
[ -s "$BENCH_OUT/rss-heap.pprof" ] && $GO tool pprof -top -sample_index=inuse_space -nodecount=15 "$BIN" "$BENCH_OUT/rss-heap.pprof" >"$BENCH_OUT/rss-heap-top.txt" 2>/dev/null || true
conversations=$(redis-cli -u "$REDIS_URL" --scan --pattern "${PREFIX_BASE}rss:dialog:*" | wc -l)
end_phase
out "### Resident memory of the server ($BENCH_RSS_DEBTORS debtors in conversation at $BENCH_RSS_RATE msg/s for ${BENCH_RSS_SECONDS} s)"
out ""
out "| measure | value |"
out "|---|---|"
out "| conversations with a dialog state in Redis at the end | $conversations |"
out "| messages accepted | $(j '.accepted') (lost $(j '.audit.lost')) |"
out "| VmRSS, highest sample (each second) | $((rss_max / 1024)) MB |"
out "| VmHWM (peak resident) | $((${hwm:-0} / 1024)) MB |"
out "| halfway: VmRSS / goroutines / webhook connections open | ${rss_mid:-?} MB / ${goroutines:-?} / ${rss_conns:-?} |"
out "| halfway: Go heap in use (pprof) | $(awk '/^Showing nodes/ {print $(NF-1)}' "$BENCH_OUT/rss-heap-top.txt" 2>/dev/null || echo '?') |"
out "| webhook p50 / p99 | $(j '.webhook.p50_ms') / $(j '.webhook.p99_ms') ms |"
out "| load average at start | $(cat "$BENCH_OUT/rss.loadavg") |"
out ""

# --- profile ------------------------------------------------------------------
out "### Where the server's CPU goes (sustained run, ${BENCH_PROFILE_SECONDS} s profile)"
out ""
out '```'
sed -n '1,30p' "$BENCH_OUT/pprof-top.txt" | tee -a "$SUMMARY"
out '```'
out ""
out "Cumulative, the project's code and its drivers:"
out ""
out '```'
{ sed -n '1,9p' "$BENCH_OUT/pprof-top-cum.txt"; sed -n '10,$p' "$BENCH_OUT/pprof-top-cum.txt" | grep -E 'incassobot/|pgx|go-redis|encoding/json|log/slog|syscall\.Syscall$' | head -30; } | tee -a "$SUMMARY" || true
out '```'
out ""
out "load average at the end: $(loadavg)"
out ""
# --- 5. the follow-up reminder run ------------------------------------------
# The Go test seeds its own database (pgtest) and Redis prefix, builds the
# binary, runs serve until every reminder reached the fake Twilio, and
# audits; the figures come from its FOLLOWUP RUN line.
say "follow-up run: $BENCH_FOLLOWUP_CASES cases"
if ! DATABASE_URL="$PG/postgres?sslmode=disable" REDIS_URL="$REDIS_URL" FOLLOWUP_BENCH_CASES=$BENCH_FOLLOWUP_CASES \
	$GO test -count=1 -timeout 0 -run '^TestFollowUpRunBench$' -v ./cmd/incassobot >"$BENCH_OUT/followup.log" 2>&1; then
	tail -40 "$BENCH_OUT/followup.log" >&2
	say "follow-up run failed (log: $BENCH_OUT/followup.log)"
	exit 1
fi
fu=$(grep -o 'FOLLOWUP RUN: .*' "$BENCH_OUT/followup.log" | tail -1)
fu_get() { echo "$fu" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
out "### Follow-up reminder run ($(fu_get cases) cases, one reminder each)"
out ""
out "| cases | scheduled in s (cases + jobs, one transaction per 250) | sent in s | messages/s | sent twice | lost |"
out "|---|---|---|---|---|---|"
out "| $(fu_get cases) | $(fu_get scheduled_s) | $(fu_get send_s) | $(fu_get msgs_per_s) | $(fu_get twice) | $(fu_get lost) |"
out ""
if [ "$(fu_get twice)" != 0 ] || [ "$(fu_get lost)" != 0 ]; then
	say "follow-up run: sent twice or lost"
	exit 1
fi

out "### Commands"
out ""
out "All of the above came from \`make bench\` (scripts/bench.sh) with the settings in the table at the top; per phase:"
out ""
out '```'
{
	echo "# database: a copy of the seeded template"
	echo "$BIN loadgen --database-url '$PG/$TEMPLATE?sslmode=disable' --seed --seed-only --debtors $seed_n"
	echo "psql -c 'CREATE DATABASE $BENCH_DB TEMPLATE $TEMPLATE'"
	echo "# pgbench baseline"
	echo "pgbench -h 127.0.0.1 -U postgres -n -c $BENCH_POOL -j 2 -T $BENCH_SECONDS -f pgbench-insert.sql $BENCH_DB   # $(cat "$BENCH_OUT/pgbench-insert.sql")"
	echo "# each load phase: loadgen first (its fake providers answer the server's start-up calls), then the server"
	echo "$BIN loadgen --target http://$ADDR --listen $FAKE --database-url '$DB_URL' --duplicate-share $BENCH_DUPLICATES --json PHASE.json \\"
	echo "    --debtors $BENCH_DEBTORS --duration ${BENCH_SECONDS}s                                        # sustained"
	for rate in $BENCH_RATES; do
		echo "    --debtors $((rate * 2 > 100 ? rate * 2 : 100)) --rate $rate --duration ${BENCH_RATE_SECONDS}s   # fixed rate"
	done
	echo "    --debtors $BENCH_RSS_DEBTORS --rate $BENCH_RSS_RATE --duration ${BENCH_RSS_SECONDS}s --reply-timeout 30s   # resident memory"
	echo "eval \"\$($BIN loadgen --print-env --listen $FAKE | grep ^export)\""
	echo "ADDR=$ADDR DATABASE_URL='$DB_URL' REDIS_URL=$REDIS_URL REDIS_PREFIX=bench:PID:PHASE: PPROF_ADDR=$PPROF LOG_LEVEL=warn $BIN serve"
	echo "curl -o cpu.pprof 'http://$PPROF/debug/pprof/profile?seconds=$BENCH_PROFILE_SECONDS'   # sustained, after $(((BENCH_SECONDS - BENCH_PROFILE_SECONDS) / 2)) s"
	echo "$GO tool pprof -top -nodecount=40 $BIN cpu.pprof"
} | tee -a "$SUMMARY"
out '```'
out ""
out "Whole run: $(($(date +%s) - started)) s."
psql_q "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" >/dev/null
psql_q "DROP DATABASE IF EXISTS $TEMPLATE WITH (FORCE)" >/dev/null
redis-cli -u "$REDIS_URL" --scan --pattern "${PREFIX_BASE}*" | xargs -r -n 500 redis-cli -u "$REDIS_URL" del >/dev/null
if [ -n "$BENCH_DOC" ]; then
	"$BIN" loadgen --figures "$SUMMARY" --into "$BENCH_DOC"
	say "figures written into $BENCH_DOC"
fi
say "results in $BENCH_OUT (summary.md holds the tables)"
