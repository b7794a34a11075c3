#!/usr/bin/env bash
# The long fault run: TestE2EFaultRunLosesNothing (cmd/incassobot) with
# more debtors, a higher rate and longer phases, several cycles of
# "restart Redis, restart PostgreSQL, SIGKILL the server, restart PostgreSQL
# with provider retries off" (the last phase delivers each webhook once, as
# Twilio does without connection overrides: any webhook not answered 2xx
# counts as lost, so 0 lost there is the spool's doing). The test starts
# its own redis-server and PostgreSQL cluster (initdb + pg_ctl), so the
# machine's shared services are never restarted.
#
# Prints the summary table and exits non-zero when a message was lost (or
# any other check of the test failed). Every FAULTRUN_* variable below can
# be set from outside, e.g.
#
#	FAULTRUN_CYCLES=1 FAULTRUN_PHASE=20s scripts/faultrun.sh
#
# The full test log is kept in $FAULTRUN_LOG (default: a temporary file).
set -uo pipefail
cd "$(dirname "$0")/.."

export FAULTRUN_CYCLES=${FAULTRUN_CYCLES:-3}
export FAULTRUN_PHASE=${FAULTRUN_PHASE:-60s}
export FAULTRUN_OUTAGE=${FAULTRUN_OUTAGE:-3s}
export FAULTRUN_DEBTORS=${FAULTRUN_DEBTORS:-60}
export FAULTRUN_RATE=${FAULTRUN_RATE:-100}
export FAULTRUN_DUPLICATES=${FAULTRUN_DUPLICATES:-0.05}
# The follow-up reminder run SIGKILLed mid-way (TestE2EFollowUpRunSurvivesSIGKILL):
# this many cases, each reminder sent exactly once after the restart.
export FOLLOWUP_KILL_CASES=${FOLLOWUP_KILL_CASES:-10000}
# Missing redis-server, initdb or pg_ctl is a failure here, never a skip.
export CI=true

log=${FAULTRUN_LOG:-$(mktemp -t incassobot-faultrun-XXXXXX.log)}
summary=$(mktemp -t incassobot-faultrun-summary-XXXXXX)
trap 'rm -f "$summary"' EXIT
export FAULTRUN_SUMMARY=$summary

# Generous: each phase plus the time replies take to drain, and the build.
case $FAULTRUN_PHASE in
*ms) phase_s=1 ;;
*s) phase_s=${FAULTRUN_PHASE%s} ;;
*m) phase_s=$((${FAULTRUN_PHASE%m} * 60)) ;;
*) phase_s=600 ;; # a form this script does not read: the test checks it
esac
phase_s=${phase_s%.*}
timeout_s=$((FAULTRUN_CYCLES * 3 * (phase_s + 90) + 300))

echo "fault run: $FAULTRUN_CYCLES cycle(s) of 3 faults, $FAULTRUN_PHASE of load per fault," \
	"$FAULTRUN_DEBTORS debtors at $FAULTRUN_RATE msg/s, services down $FAULTRUN_OUTAGE," \
	"$FAULTRUN_DUPLICATES of webhooks delivered twice (log: $log)"
start=$(date +%s)
go test -count=1 -timeout "${timeout_s}s" -v -run '^TestE2EFaultRunLosesNothing$' ./cmd/incassobot >"$log" 2>&1
rc=$?
took=$(($(date +%s) - start))

if [ ! -s "$summary" ]; then
	echo "fault run FAILED after ${took}s before it finished (exit $rc); the end of the log:" >&2
	grep -v '^=== ' "$log" | tail -60 >&2
	exit 1
fi

echo
cat "$summary"
cat <<'EOF'

accepted        messages the server answered 2xx (retries of one message through
                an outage count once)
lost            accepted messages missing from the dossier: must be 0
duplicates sent webhooks the fake providers delivered twice on purpose; "filed
                once" says how many of them the dossier holds exactly once
delivered twice replies a debtor received twice; each must come with an outbox
                resend ("resent replies": a reply sent again after its claim
                or its MarkSent was lost with the process or the database),
                never from the bot handling one message twice
EOF

lost=$(awk '$1 == "total" { for (i = 1; i < NF; i++) if ($i == "lost") print $(i + 1) }' "$summary")
echo
if [ "$rc" -ne 0 ] || [ "${lost:-x}" != 0 ]; then
	echo "fault run FAILED after ${took}s: lost ${lost:-?}, test exit $rc; the failures:" >&2
	grep -E -- '--- FAIL|_test.go:[0-9]+:' "$log" | grep -v 'fault run (' | tail -40 >&2
	exit 1
fi
echo "fault run passed in ${took}s: 0 messages lost"

echo
echo "follow-up run: $FOLLOWUP_KILL_CASES cases, serve SIGKILLed a third of the way (log: $log.followup)"
if ! go test -count=1 -timeout 0 -v -run '^TestE2EFollowUpRunSurvivesSIGKILL$' ./cmd/incassobot >"$log.followup" 2>&1; then
	echo "follow-up run FAILED; the end of the log:" >&2
	grep -E -- '--- FAIL|_test.go:[0-9]+:' "$log.followup" | tail -40 >&2
	exit 1
fi
grep -o 'FOLLOWUP RUN: .*' "$log.followup" | tail -1
# The kill run of issues #16/#18, bigger than in `make test`: three serve
# processes behind a round-robin proxy, one SIGKILLed mid-run
# (TestE2EThreeInstancesOneKilled; KILLRUN_DEBTORS per channel,
# KILLRUN_MESSAGES per debtor).
export KILLRUN_DEBTORS=${KILLRUN_DEBTORS:-20}
export KILLRUN_MESSAGES=${KILLRUN_MESSAGES:-20}
killsummary=$(mktemp -t incassobot-killrun-summary-XXXXXX)
trap 'rm -f "$summary" "$killsummary"' EXIT
export KILLRUN_SUMMARY=$killsummary
echo
echo "kill run: $KILLRUN_DEBTORS debtors per channel × $KILLRUN_MESSAGES messages (log: $log.kill)"
go test -count=1 -timeout 600s -v -run '^TestE2EThreeInstancesOneKilled$' ./cmd/incassobot >"$log.kill" 2>&1
rc=$?
cat "$killsummary"
if [ "$rc" -ne 0 ]; then
	echo "kill run FAILED (exit $rc); the failures:" >&2
	grep -E -- '--- FAIL|_test.go:[0-9]+:' "$log.kill" | tail -40 >&2
	exit 1
fi
echo "kill run passed"
