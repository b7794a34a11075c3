package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/storetest"
	"github.com/jackc/pgx/v5"
)

// TestHandoffRulesHoldAgainstHandTypedSQL: the log of who held a debtor's
// conversation cannot be changed, a conversation cannot get a second open
// handoff, and no password can be stored in the clear, even by SQL that
// bypasses the store.
func TestHandoffRulesHoldAgainstHandTypedSQL(t *testing.T) {
	s, url := openStoreAt(t)
	ctx := context.Background()
	anna := storetest.NewCollector(t, s, "anna@incasso.example")
	h := &casestore.Handoff{Channel: "sms", Address: "+31612345678", Reason: "asked", Priority: 1}
	if _, err := s.RequestHandoff(ctx, h); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimHandoff(ctx, h.ID, anna.ID, time.Now(), time.Minute); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, tc := range []struct {
		sql, want string
		arg       any
	}{
		{`UPDATE handoff_log SET collector_id = NULL WHERE handoff_id = $1`, "append-only", h.ID},
		{`DELETE FROM handoff_log WHERE handoff_id = $1`, "append-only", h.ID},
		{`TRUNCATE handoff_log CASCADE`, "append-only", nil},
		{`INSERT INTO handoffs (channel, address, reason, priority, status, requested_at)
			SELECT channel, address, 'again', 1, 'queued', requested_at FROM handoffs WHERE id = $1`,
			"handoffs_open_conversation_key", h.ID},
		{`UPDATE users SET password_hash = 'Welkom01!' WHERE id = $1`, "users_password_hash_check", anna.ID},
		{`UPDATE handoffs SET status = 'queued' WHERE id = $1`, "check constraint", h.ID}, // a queued handoff with a holder
	} {
		var args []any
		if tc.arg != nil {
			args = []any{tc.arg}
		}
		if _, err := conn.Exec(ctx, tc.sql, args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v, want one naming %s", tc.sql, err, tc.want)
		}
	}
	log, err := s.HandoffLog(ctx, h.ID)
	if err != nil || len(log) != 2 || log[1].CollectorID != anna.ID {
		t.Errorf("log after the refused changes: %v %+v, want requested and claimed by %d", err, log, anna.ID)
	}
}

// fillHandoffs stores a history of 100,000 resolved handoffs and 1,000
// open ones (addresses whatsapp:+31600000001 to …1000) and returns a
// connection to the database that bypasses the store.
func fillHandoffs(tb testing.TB) (*postgres.Store, *pgx.Conn) {
	s, url := openStoreAt(tb)
	ctx := context.Background()
	anna := storetest.NewCollector(tb, s, "anna@incasso.example")
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close(ctx) })
	_, err = conn.Exec(ctx, `
		INSERT INTO handoffs (channel, address, reason, priority, status, collector_id, requested_at, resolved_at)
		SELECT 'whatsapp', 'whatsapp:+316' || lpad((g % 5000)::text, 8, '0'), 'asked', 1,
			CASE WHEN g <= 100000 THEN 'resolved' ELSE 'queued' END,
			CASE WHEN g <= 100000 THEN $1::bigint END, now(), CASE WHEN g <= 100000 THEN now() END
		FROM generate_series(1, 101000) g`, anna.ID)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `ANALYZE handoffs`); err != nil {
		tb.Fatal(err)
	}
	return s, conn
}

// The router asks OpenHandoff on every inbound message: it must be one
// lookup in the small index of open handoffs, however long the history.
func TestOpenHandoffUsesTheIndexOfOpenHandoffs(t *testing.T) {
	_, conn := fillHandoffs(t)
	var plan strings.Builder
	rows, err := conn.Query(context.Background(), `EXPLAIN SELECT id FROM handoffs
		WHERE channel = 'whatsapp' AND address = 'whatsapp:+31600000001' AND status IN ('queued', 'claimed')`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(line + "\n")
	}
	if !strings.Contains(plan.String(), "handoffs_open_conversation_key") {
		t.Errorf("OpenHandoff's query does not use handoffs_open_conversation_key:\n%s", plan.String())
	}
}

// BenchmarkOpenHandoff times OpenHandoff, a read-only transaction of its
// own, behind fillHandoffs' history; half the lookups find a handoff.
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
