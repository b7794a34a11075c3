package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/storetest"
)

// batcher is the one-round-trip write the bot uses for a message's turn
// (bot.writeTurn); PostgreSQL transactions offer it.
type batcher interface {
	AppendBatch(ctx context.Context, entries []*casestore.DossierEntry, out []*casestore.OutboundMessage) error
}

// A batch files what AppendDossier and EnqueueOutbound would one by one:
// entries in order with their ids and bodies as later reads show them,
// messages pending in the outbox.
func TestAppendBatchWritesWhatSingleCallsWould(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	c := storetest.NewCase(t, s, "IB-BATCH")
	entries := []*casestore.DossierEntry{
		{CaseID: c.ID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor, Channel: "sms", Body: json.RawMessage(`{"text":"saldo","b":1,"a":2}`)},
		{CaseID: c.ID, Kind: "balance.shown", Actor: casestore.ActorBot},
		{CaseID: c.ID, Kind: casestore.EntryMessageOut, Actor: casestore.ActorBot, Channel: "sms", Body: json.RawMessage(`{"text":"U betaalt nog € 412,50."}`)},
	}
	out := []*casestore.OutboundMessage{
		{Channel: "sms", To: "+31612345678", CaseID: c.ID, Text: "U betaalt nog € 412,50."},
		{Channel: "sms", To: "+31612345678", Text: "Tot ziens", Options: []string{"ja", "nee"}},
	}
	err := s.InTx(ctx, func(tx casestore.Tx) error {
		b, ok := tx.(batcher)
		if !ok {
			t.Fatal("a PostgreSQL transaction does not batch")
		}
		return b.AppendBatch(ctx, entries, out)
	})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != len(entries) {
		t.Fatalf("dossier has %d entries, want %d", len(stored), len(entries))
	}
	for i, e := range entries {
		got := stored[len(stored)-1-i] // newest first
		if e.ID == 0 || got.ID != e.ID || got.Kind != e.Kind || string(got.Body) != string(e.Body) || !got.At.Equal(e.At) {
			t.Errorf("entry %d in hand %+v, stored %+v", i, *e, got)
		}
		if i > 0 && e.ID <= entries[i-1].ID {
			t.Errorf("entry %d has id %d after %d: out of order", i, e.ID, entries[i-1].ID)
		}
	}
	if string(entries[0].Body) != `{"a": 2, "b": 1, "text": "saldo"}` {
		t.Errorf("body in hand %s, want it as jsonb keeps it", entries[0].Body)
	}
	if string(entries[1].Body) != `{}` {
		t.Errorf("empty body in hand %s, want {}", entries[1].Body)
	}
	for i, m := range out {
		got, err := s.Outbound(ctx, m.ID)
		if err != nil {
			t.Fatalf("outbound %d: %v", i, err)
		}
		if got.Status != casestore.OutboundPending || m.Status != casestore.OutboundPending || got.Text != m.Text ||
			got.CaseID != m.CaseID || len(got.Options) != len(m.Options) || !got.NextAttempt.Equal(m.NextAttempt) {
			t.Errorf("outbound %d in hand %+v, stored %+v", i, *m, *got)
		}
	}
	if out[1].ID <= out[0].ID {
		t.Errorf("outbox ids %d, %d: out of order", out[0].ID, out[1].ID)
	}
}

// An unknown case or a bad body fails the batch with the store's usual
// errors, and the rolled-back transaction leaves nothing behind.
func TestAppendBatchFailsLikeSingleCalls(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	c := storetest.NewCase(t, s, "IB-BATCH-BAD")
	for _, tc := range []struct {
		name    string
		entries []*casestore.DossierEntry
		out     []*casestore.OutboundMessage
		want    error
	}{
		{"unknown case in the dossier", []*casestore.DossierEntry{
			{CaseID: c.ID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor},
			{CaseID: c.ID + 1000, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor},
		}, nil, casestore.ErrNotFound},
		{"unknown case in the outbox", []*casestore.DossierEntry{
			{CaseID: c.ID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor},
		}, []*casestore.OutboundMessage{{Channel: "sms", To: "+31612345678", CaseID: c.ID + 1000, Text: "x"}}, casestore.ErrNotFound},
		{"body not an object", []*casestore.DossierEntry{
			{CaseID: c.ID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor},
			{CaseID: c.ID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor, Body: json.RawMessage(`[1]`)},
		}, nil, casestore.ErrInvalid},
		{"outbound message without text", nil, []*casestore.OutboundMessage{{Channel: "sms", To: "+31612345678"}}, casestore.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.InTx(ctx, func(tx casestore.Tx) error {
				return tx.(batcher).AppendBatch(ctx, tc.entries, tc.out)
			})
			if !errors.Is(err, tc.want) {
				t.Fatalf("AppendBatch = %v, want %v", err, tc.want)
			}
			if got, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{}); err != nil || len(got) != 0 {
				t.Errorf("after the rollback the dossier has %d entries (%v), want none", len(got), err)
			}
			if n, err := s.OutboxDepth(ctx); err != nil || n != 0 {
				t.Errorf("after the rollback the outbox holds %d (%v), want none", n, err)
			}
		})
	}
}

// Case reads outside InTx carry their own snapshot transaction inside one
// batch. A read that fails must not leave a connection in the pool half
// inside a transaction: many failures in a row, more than the pool holds,
// and reads still work.
func TestCaseReadsOutsideTransactionsStayUsable(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	c := storetest.NewCase(t, s, "IB-SNAP")
	for i := range 40 {
		if _, err := s.Case(ctx, c.ID+1000+int64(i)); !errors.Is(err, casestore.ErrNotFound) {
			t.Fatalf("Case of an unknown id = %v, want ErrNotFound", err)
		}
		if _, err := s.CasesByPhone(ctx, "not a phone' OR 1=1 --"); err != nil {
			t.Fatalf("CasesByPhone of a stranger = %v", err)
		}
	}
	got, err := s.Case(ctx, c.ID)
	if err != nil || got.Ref != c.Ref || len(got.Invoices) != len(c.Invoices) {
		t.Fatalf("Case after failures = %+v, %v", got, err)
	}
	byPhone, err := s.CasesByPhone(ctx, c.Debtor.Phones[0])
	if err != nil || len(byPhone) != 1 || byPhone[0].ID != c.ID || len(byPhone[0].Invoices) != len(c.Invoices) {
		t.Fatalf("CasesByPhone = %+v, %v; want the case with its invoices", byPhone, err)
	}
	// Inside InTx the same reads see the transaction's own writes.
	err = s.InTx(ctx, func(tx casestore.Tx) error {
		if err := tx.SetCaseStatus(ctx, c.ID, casestore.StatusOnHold); err != nil {
			return err
		}
		in, err := tx.Case(ctx, c.ID)
		if err != nil {
			return err
		}
		if in.Status != casestore.StatusOnHold {
			t.Errorf("inside the transaction the case is %s, want its own write", in.Status)
		}
		return errors.New("roll back")
	})
	if err == nil {
		t.Fatal("InTx did not return fn's error")
	}
}

// BEGIN travels with a transaction's first statement (lazyTx). The
// contract of InTx holds as with pgx's own transactions: a transaction
// PostgreSQL aborted is not reported committed even when fn drops the
// error, and a transaction that ran nothing commits nothing.
func TestInTxReportsATransactionPostgreSQLAborted(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	c := storetest.NewCase(t, s, "IB-ABORT")
	for _, to := range []string{"+31611111111", "+31622222222"} {
		if err := s.EnqueueOutbound(ctx, &casestore.OutboundMessage{Channel: "sms", To: to, CaseID: c.ID, Text: "Goedemiddag"}); err != nil {
			t.Fatal(err)
		}
	}
	claimed, err := s.ClaimOutbound(ctx, time.Now().Add(time.Minute), 10, time.Minute)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("ClaimOutbound = %d, %v", len(claimed), err)
	}
	if err := s.MarkSent(ctx, claimed[0].ID, claimed[0].Attempts, "SM-same", time.Now()); err != nil {
		t.Fatal(err)
	}
	err = s.InTx(ctx, func(tx casestore.Tx) error {
		// The provider id is taken: a unique violation, which aborts the
		// transaction in PostgreSQL. fn drops the errors.
		_ = tx.MarkSent(ctx, claimed[1].ID, claimed[1].Attempts, "SM-same", time.Now())
		_ = tx.AppendDossier(ctx, &casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryNote, Actor: casestore.ActorBot})
		return nil
	})
	if err == nil {
		t.Fatal("InTx reported an aborted transaction as committed")
	}
	if got, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{}); err != nil || len(got) != 0 {
		t.Errorf("dossier after the aborted transaction: %d entries (%v), want none", len(got), err)
	}
	if err := s.InTx(ctx, func(casestore.Tx) error { return nil }); err != nil {
		t.Errorf("an empty transaction: %v", err)
	}
	// The pool is fine afterwards: the same connection may serve this.
	if m, err := s.Outbound(ctx, claimed[1].ID); err != nil || m.Status != casestore.OutboundSending {
		t.Errorf("second message after the aborted mark: %+v, %v; want still sending", m, err)
	}
}
