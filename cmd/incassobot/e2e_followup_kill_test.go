package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/followup"
	"github.com/incassobot/incassobot/bot/hotstate/redistest"
	"github.com/incassobot/incassobot/bot/twilio/twiliofake"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/postgres/pgtest"
	"github.com/incassobot/incassobot/casestore/storetest"
	"github.com/jackc/pgx/v5"
)

// killRunCases is the size of the reminder run; FOLLOWUP_KILL_CASES
// (scripts/faultrun.sh: 10000) makes it larger.
func killRunCases(t *testing.T) int {
	n := 600
	if v := os.Getenv("FOLLOWUP_KILL_CASES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 10 {
			t.Fatalf("FOLLOWUP_KILL_CASES=%q: want a number of at least 10", v)
		}
	}
	return n
}

// A reminder run of many cases (each its own debtor and phone) is under
// way in the serve process when it is SIGKILLed; started again, it sends
// the rest. Audit: every case's reminder reached the fake Twilio exactly
// once, every case has exactly one followup.sent entry, and no job is left
// or failed. River's job is completed in the transaction that puts the
// message in the outbox, and the outbox asks Twilio before resending a
// message whose sender died, so the kill can neither lose nor double one.
func TestE2EFollowUpRunSurvivesSIGKILL(t *testing.T) {
	t.Parallel()
	followUpRun(t, killRunCases(t), true)
}

// TestFollowUpRunBench is make bench's reminder run (scripts/bench.sh):
// FOLLOWUP_BENCH_CASES cases scheduled and sent through the fake Twilio,
// no kill, with the same audit; it prints the rate. Skipped unless set.
func TestFollowUpRunBench(t *testing.T) {
	t.Parallel()
	v := os.Getenv("FOLLOWUP_BENCH_CASES")
	if v == "" {
		t.Skip("FOLLOWUP_BENCH_CASES not set: make bench runs this")
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 10 {
		t.Fatalf("FOLLOWUP_BENCH_CASES=%q: want a number of at least 10", v)
	}
	followUpRun(t, n, false)
}

// followUpRun schedules a reminder for n cases, runs serve until all are
// sent (SIGKILLing it a third of the way when kill), and audits.
func followUpRun(t *testing.T, n int, kill bool) {
	// A working Wednesday, 10:00, for the test's engine and (through the
	// test build's INCASSOBOT_TEST_NOW) serve's: a real Sunday, holiday or
	// night cannot hold the run back.
	start := time.Date(2026, time.December, 2, 10, 0, 0, 0, casestore.Amsterdam)
	real0 := time.Now()
	now := func() time.Time { return start.Add(time.Since(real0)) }
	ctx := context.Background()
	dbURL := pgtest.NewDatabase(t)
	redisURL, prefix := redistest.NewPrefix(t)
	tw := twiliofake.New(t, e2eAccountSID, e2eAuthToken)
	st, err := postgres.Open(ctx, dbURL)
	must(t, err, "open store")
	t.Cleanup(func() { st.Close() })
	must(t, st.Migrate(ctx), "migrate")

	policy := `{"default":{"sequences":{"nl-b2c/minnelijk":[{"type":"reminder","days":0}]}}}`
	pol, err := followup.ParsePolicies(policy)
	must(t, err, "policy")
	eng, err := followup.New(st, st.RiverDriver(), postgres.RiverTx, followup.Config{Policies: pol, Now: now})
	must(t, err, "engine")

	// The cases and their jobs, a batch per transaction, before serve
	// starts: the run begins the moment it does.
	seeding := time.Now()
	const batch = 250
	var cr *casestore.Creditor
	for i := 0; i < n; i += batch {
		err := st.InTx(ctx, func(tx casestore.Tx) error {
			if cr == nil {
				cr = storetest.NewCreditor(t, tx, "KILLRUN")
			}
			for j := i; j < min(i+batch, n); j++ {
				ref := fmt.Sprintf("IB-2026-%06d", j+1)
				d := storetest.NewDebtor(t, tx, cr.ID, "DB-"+ref, killPhone(j))
				c := storetest.NewCaseOf(t, tx, ref, cr.ID, d.ID)
				if err := eng.CaseOpened(ctx, tx, c); err != nil {
					return err
				}
			}
			return nil
		})
		must(t, err, "seed cases")
	}
	scheduled := time.Since(seeding)
	t.Logf("%d cases and their reminder jobs stored in %s", n, scheduled.Round(time.Millisecond))

	bin := buildIncassobotRace(t, false)
	vars := e2eEnv(dbURL, redisURL, prefix, tw.URL)
	vars["FOLLOWUP_POLICY"] = policy
	vars["QUIET_HOURS"] = "0-0"
	vars["INCASSOBOT_TEST_NOW"] = now().Format(time.RFC3339Nano)
	vars["FOLLOWUP_WEEKLY_CAP"] = "0"
	if kill {
		vars["OUTBOX_LEASE"] = "5s"         // what the killed process had claimed is sent again (or found at Twilio) sooner
		vars["FOLLOWUP_STUCK_AFTER"] = "6s" // the killed process's running jobs are given back sooner
	}
	for _, k := range []string{"FOLLOWUP_WORKERS"} {
		if v := os.Getenv(k); v != "" {
			vars[k] = v
		}
	}
	if v := os.Getenv("FOLLOWUP_BENCH_POOL"); v != "" {
		vars["DATABASE_URL"] = dbURL + "&pool_max_conns=" + v
	}
	if a := os.Getenv("FOLLOWUP_BENCH_PPROF"); a != "" {
		vars["PPROF_ADDR"] = a
	}
	run := time.Now()
	p := startProcess(t, bin, vars)
	// Far above the rates seen (docs/FOLLOWUP.md), plus the minute and a
	// half River's new leader takes to give back the jobs the killed
	// process was running.
	budget := time.Duration(n/5+240) * time.Second
	if kill {
		waitFor(t, budget, func() bool { return len(tw.Messages()) >= n/3 }, "a third of the reminders sent")
		p.kill()
		killedAt := len(tw.Messages())
		t.Logf("SIGKILLed after %d of %d reminders reached Twilio", killedAt, n)
		if killedAt >= n {
			t.Fatalf("the run was over before the kill (%d sent): make it larger", killedAt)
		}
		vars["INCASSOBOT_TEST_NOW"] = now().Format(time.RFC3339Nano) // the clock goes on, not back
		p = startProcess(t, bin, vars)
	}
	waitFor(t, budget, func() bool { return len(tw.Messages()) >= n }, "every reminder sent")
	elapsed := time.Since(run)
	if os.Getenv("FOLLOWUP_BENCH_LOG") != "" {
		t.Logf("serve's log:\n%s", p.stderr)
	}
	time.Sleep(2 * time.Second) // anything sent twice would arrive now

	perPhone := map[string]int{}
	for _, m := range tw.Messages() {
		perPhone[m.To]++
	}
	for j := range n {
		if got := perPhone[killPhone(j)]; got != 1 {
			t.Errorf("case %d: %d reminders at Twilio, want exactly 1", j+1, got)
		}
	}
	if len(perPhone) != n {
		t.Errorf("%d phones received reminders, want %d", len(perPhone), n)
	}
	conn, err := pgx.Connect(ctx, dbURL)
	must(t, err, "connect")
	defer conn.Close(ctx)
	var cases, entries, odd int
	must(t, conn.QueryRow(ctx, `SELECT count(DISTINCT case_id), count(*) FROM dossier WHERE kind = 'followup.sent'`).Scan(&cases, &entries), "count sent")
	must(t, conn.QueryRow(ctx, `SELECT count(*) FROM (SELECT case_id FROM dossier WHERE kind = 'followup.sent' GROUP BY case_id HAVING count(*) <> 1) x`).Scan(&odd), "count odd")
	if cases != n || entries != n || odd != 0 {
		t.Errorf("dossier: %d cases with %d followup.sent entries (%d cases not exactly one), want %d and %d", cases, entries, odd, n, n)
	}
	var left int
	must(t, conn.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE state <> 'completed'`).Scan(&left), "count jobs")
	if left != 0 {
		t.Errorf("%d follow-up jobs not completed", left)
	}
	twice, lost := 0, 0
	for j := range n {
		switch got := perPhone[killPhone(j)]; {
		case got == 0:
			lost++
		case got > 1:
			twice += got - 1
		}
	}
	// The line scripts/bench.sh reads.
	t.Logf("FOLLOWUP RUN: cases=%d scheduled_s=%.1f send_s=%.1f msgs_per_s=%.0f twice=%d lost=%d killed=%v",
		n, scheduled.Seconds(), elapsed.Seconds(), float64(n)/elapsed.Seconds(), twice, lost, kill)
}

// killPhone is case j's own phone number.
func killPhone(j int) string { return fmt.Sprintf("+3162%07d", j) }

func waitFor(t *testing.T, timeout time.Duration, ok func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
