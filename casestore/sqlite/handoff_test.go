package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/sqlite"
	"github.com/incassobot/incassobot/casestore/storetest"
)

// TestHandoffRulesHoldAgainstHandTypedSQL: the log of who held a debtor's
// conversation cannot be changed, a conversation cannot get a second open
// handoff, and no password can be stored in the clear, even by SQL that
// bypasses the store.
func TestHandoffRulesHoldAgainstHandTypedSQL(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "incassobot.db")
	s := openFile(t, path)
	anna := storetest.NewCollector(t, s, "anna@incasso.example")
	h := &casestore.Handoff{Channel: "sms", Address: "+31612345678", Reason: "asked", Priority: 1}
	if _, err := s.RequestHandoff(ctx, h); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimHandoff(ctx, h.ID, anna.ID, time.Now(), time.Minute); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, tc := range []struct{ stmt, want string }{
		{`UPDATE handoff_log SET collector_id = NULL WHERE handoff_id = ?`, "append-only"},
		{`DELETE FROM handoff_log WHERE handoff_id = ?`, "append-only"},
		{`INSERT INTO handoffs (channel, address, reason, priority, status, requested_at)
			SELECT channel, address, 'again', 1, 'queued', requested_at FROM handoffs WHERE id = ?`, "UNIQUE"},
		{`UPDATE users SET password_hash = 'Welkom01!' WHERE id = ?`, "CHECK"},
		{`UPDATE handoffs SET status = 'queued' WHERE id = ?`, "CHECK"}, // a queued handoff with a holder
	} {
		arg := h.ID
		if strings.Contains(tc.stmt, "users") {
			arg = anna.ID
		}
		if _, err := raw.ExecContext(ctx, tc.stmt, arg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v, want one saying %s", tc.stmt, err, tc.want)
		}
	}
	log, err := s.HandoffLog(ctx, h.ID)
	if err != nil || len(log) != 2 || log[1].CollectorID != anna.ID {
		t.Errorf("log after the refused changes: %v %+v, want requested and claimed by %d", err, log, anna.ID)
	}
}

// fillHandoffs stores a history of 100,000 resolved handoffs and 1,000
// open ones (addresses whatsapp:+31600000001 to …1000) and returns the
// store and a connection that bypasses it.
func fillHandoffs(tb testing.TB) (*sqlite.Store, *sql.DB) {
	ctx := context.Background()
	path := filepath.Join(tb.TempDir(), "incassobot.db")
	s := openFile(tb, path)
	anna := storetest.NewCollector(tb, s, "anna@incasso.example")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { raw.Close() })
	_, err = raw.ExecContext(ctx, `
		WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 101000)
		INSERT INTO handoffs (channel, address, reason, priority, status, collector_id, requested_at, resolved_at)
		SELECT 'whatsapp', printf('whatsapp:+316%08d', n % 5000), 'asked', 1,
			CASE WHEN n <= 100000 THEN 'resolved' ELSE 'queued' END,
			CASE WHEN n <= 100000 THEN ?1 END, '2026-03-03T09:00:00.000000000Z',
			CASE WHEN n <= 100000 THEN '2026-03-03T10:00:00.000000000Z' END
		FROM g`, anna.ID)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, `ANALYZE`); err != nil {
		tb.Fatal(err)
	}
	return s, raw
}

// The router asks OpenHandoff on every inbound message: it must be one
// lookup in the small index of open handoffs, however long the history.
func TestOpenHandoffUsesTheIndexOfOpenHandoffs(t *testing.T) {
	_, raw := fillHandoffs(t)
	rows, err := raw.QueryContext(context.Background(), `EXPLAIN QUERY PLAN SELECT id FROM handoffs
		WHERE channel = ? AND address = ? AND status IN ('queued', 'claimed')`, "whatsapp", "whatsapp:+31600000001")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(detail + "\n")
	}
	if !strings.Contains(plan.String(), "USING INDEX handoffs_open_conversation") {
		t.Errorf("OpenHandoff's query does not use handoffs_open_conversation:\n%s", plan.String())
	}
}

// BenchmarkOpenHandoff times OpenHandoff, a read transaction of its own,
// behind fillHandoffs' history; half the lookups find a handoff.
func BenchmarkOpenHandoff(b *testing.B) {
	s, _ := fillHandoffs(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		addr := fmt.Sprintf("whatsapp:+316%08d", 1+(i*7)%2000)
		_, err := s.OpenHandoff(ctx, "whatsapp", addr)
		if err != nil && !errors.Is(err, casestore.ErrNotFound) {
			b.Fatal(err)
		}
	}
}
