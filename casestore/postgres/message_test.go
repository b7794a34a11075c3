package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/postgres/pgstoretest"
	"github.com/jackc/pgx/v5"
)

// openStoreAt is openStore that also returns the database's URL, for
// tests that go around the store.
func openStoreAt(t testing.TB) (*postgres.Store, string) {
	t.Helper()
	return pgstoretest.OpenAt(t)
}

// What a debtor wrote is evidence like the dossier: SQL that bypasses the
// store cannot change or remove it.
func TestInboundMessagesRefuseUpdateAndDelete(t *testing.T) {
	s, url := openStoreAt(t)
	ctx := context.Background()
	m := &casestore.InboundMessage{Channel: "sms", ProviderID: "SM1", From: "+31612345678",
		Body: json.RawMessage(`{"text":"Ik betaal op 1 mei"}`)}
	if err := s.RecordInbound(ctx, m); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, sql := range []string{
		`UPDATE inbound_messages SET body = '{"text":"nooit gezegd"}' WHERE id = $1`,
		`DELETE FROM inbound_messages WHERE id = $1`,
		`TRUNCATE inbound_messages`,
	} {
		args := []any{m.ID}
		if strings.HasPrefix(sql, "TRUNCATE") {
			args = nil
		}
		if _, err := conn.Exec(ctx, sql, args...); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: got error %v, want the append-only refusal", sql, err)
		}
	}
	got, err := s.InboundMessages(ctx, "sms", "+31612345678", 0)
	if err != nil || len(got) != 1 || string(got[0].Body) != string(m.Body) {
		t.Fatalf("inbox after the attempts: %v, %v; want the one message unchanged", got, err)
	}
}

// A provider retry that arrives while the first delivery is still being
// handled waits for it: if the first commits, the retry is a conflict; if
// it rolls back, the retry is filed. Never both, never neither.
func TestInboundRetryWaitsForTheFirstDelivery(t *testing.T) {
	s, _ := openStoreAt(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, firstCommits := range []bool{true, false} {
		id := fmt.Sprintf("SM-RACE-%t", firstCommits)
		msg := func() *casestore.InboundMessage {
			return &casestore.InboundMessage{Channel: "whatsapp", ProviderID: id, From: "whatsapp:+31612345678"}
		}
		recorded := make(chan struct{})
		release := make(chan struct{})
		errRolledBack := errors.New("dialog failed")
		firstDone := make(chan error, 1)
		go func() {
			firstDone <- s.InTx(ctx, func(tx casestore.Tx) error {
				if err := tx.RecordInbound(ctx, msg()); err != nil {
					return err
				}
				close(recorded)
				<-release
				if firstCommits {
					return nil
				}
				return errRolledBack
			})
		}()
		<-recorded
		retryDone := make(chan error, 1)
		go func() { retryDone <- s.RecordInbound(ctx, msg()) }()
		select {
		case err := <-retryDone:
			t.Fatalf("retry finished (%v) while the first delivery was still open", err)
		case <-time.After(200 * time.Millisecond):
		}
		close(release)
		first, retry := <-firstDone, <-retryDone
		if firstCommits {
			if first != nil || !errors.Is(retry, casestore.ErrConflict) {
				t.Errorf("first commits: first %v, retry %v; want nil and a conflict", first, retry)
			}
		} else if !errors.Is(first, errRolledBack) || retry != nil {
			t.Errorf("first rolls back: first %v, retry %v; want the dialog's error and nil", first, retry)
		}
		got, err := s.InboundMessages(ctx, "whatsapp", "whatsapp:+31612345678", 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range got {
			if m.ProviderID == id {
				n++
			}
		}
		if n != 1 {
			t.Errorf("first commits %t: %d messages filed with provider id %s, want 1", firstCommits, n, id)
		}
	}
}

// BenchmarkClaimOutbound times claims of 10 from an outbox of pending
// messages to 1000 recipients, with a history of 20,000 sent messages to the
// same recipients behind them. Marking each claimed message sent (so the
// next claim finds fresh ones) is not timed.
func BenchmarkClaimOutbound(b *testing.B) {
	s, url := openStoreAt(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	fill := func(n int, status string) {
		_, err := conn.Exec(ctx, `
			INSERT INTO outbound_messages (channel, to_addr, text, status, next_attempt, created_at, provider_id, sent_at)
			SELECT 'whatsapp', 'whatsapp:+316' || lpad((g % 1000)::text, 8, '0'), 'Herinnering', $2,
				now() - interval '1 hour', now() - interval '1 hour',
				CASE WHEN $2 = 'sent' THEN 'SM' || g ELSE '' END, CASE WHEN $2 = 'sent' THEN now() END
			FROM generate_series(1, $1) g`, n, status)
		if err != nil {
			b.Fatal(err)
		}
	}
	fill(20000, "sent")
	fill(b.N*10+1000, "pending")
	if _, err := conn.Exec(ctx, `ANALYZE outbound_messages`); err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	b.ResetTimer()
	for range b.N {
		got, err := s.ClaimOutbound(ctx, now, 10, time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) == 0 {
			b.Fatal("outbox ran dry")
		}
		b.StopTimer()
		for _, m := range got {
			if err := s.MarkSent(ctx, m.ID, m.Attempts, fmt.Sprintf("SM-B%d", m.ID), now); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
	}
}
