package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/sqlite"
	"github.com/incassobot/incassobot/casestore/storetest"
)

// TestPersistsAcrossReopen: the embedded demo keeps its cases when the
// binary restarts, and migrating an up-to-date file again changes nothing.
func TestPersistsAcrossReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "incassobot.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	c := storetest.NewCase(t, s, "IB-2026-000001")
	e := storetest.Note(t, s, c.ID, `{"text":"bel terug na 17:00"}`)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s2 := openFile(t, path) // migrates again
	got, err := s2.CaseByRef(ctx, "IB-2026-000001")
	if err != nil {
		t.Fatalf("case after reopen: %v", err)
	}
	if got.ID != c.ID || len(got.Invoices) != 2 || !got.Invoices[0].Principal.Equal(c.Invoices[0].Principal) {
		t.Errorf("case after reopen: %+v, want %+v", got, c)
	}
	entries, err := s2.Dossier(ctx, c.ID, casestore.DossierQuery{})
	if err != nil || len(entries) != 1 || entries[0].ID != e.ID || string(entries[0].Body) != `{"text":"bel terug na 17:00"}` {
		t.Errorf("dossier after reopen: %v %+v, want the one note", err, entries)
	}
}

// TestDossierRefusesUpdateAndDelete: even SQL typed by hand against the
// file cannot rewrite or remove what the debtor was told.
func TestDossierRefusesUpdateAndDelete(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "incassobot.db")
	s := openFile(t, path)
	c := storetest.NewCase(t, s, "IB-TRIG")
	e := storetest.Note(t, s, c.ID, `{"text":"origineel"}`)

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range []string{
		`UPDATE dossier SET body = '{"text":"vervalst"}' WHERE id = ?`,
		`DELETE FROM dossier WHERE id = ?`,
	} {
		_, err := raw.ExecContext(ctx, stmt, e.ID)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: error %v, want the append-only trigger to refuse", stmt, err)
		}
	}
	got, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{})
	if err != nil || len(got) != 1 || string(got[0].Body) != `{"text":"origineel"}` {
		t.Errorf("entry after the refused changes: %v %+v", err, got)
	}
}

// TestClock: the store stamps what it creates with its injected clock.
func TestClock(t *testing.T) {
	ctx := context.Background()
	s := openFile(t, filepath.Join(t.TempDir(), "incassobot.db"))
	now := time.Date(2026, time.March, 3, 8, 15, 0, 123456789, time.UTC)
	s.Now = func() time.Time { return now }
	c := storetest.NewCase(t, s, "IB-CLOCK")
	e := storetest.Note(t, s, c.ID, `{}`)
	p := casestore.Payment{CaseID: c.ID, Amount: decimalOf(t, "12.34"), ValueDate: casestore.Date(2026, time.March, 2)}
	if err := s.AddPayment(ctx, &p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Case(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for what, at := range map[string]time.Time{"case CreatedAt": got.CreatedAt, "case UpdatedAt": got.UpdatedAt,
		"creditor CreatedAt": got.Creditor.CreatedAt, "debtor CreatedAt": got.Debtor.CreatedAt,
		"payment CreatedAt": got.Payments[0].CreatedAt, "dossier At": e.At} {
		if !at.Equal(now) {
			t.Errorf("%s: got %s, want the store's clock %s", what, at.Format(time.RFC3339Nano), now.Format(time.RFC3339Nano))
		}
	}
}

// TestTwoProcessesOnOneFile: a second Store on the same file (the migrate
// or import command next to the running server) writes at the same time
// without either seeing "database is locked".
func TestTwoProcessesOnOneFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "incassobot.db")
	a, b := openFile(t, path), openFile(t, path)
	c := storetest.NewCase(t, a, "IB-TWO")
	var wg sync.WaitGroup
	for i, s := range []*sqlite.Store{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 25 {
				e := casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryNote, Body: fmt.Appendf(nil, `{"w":%d,"j":%d}`, i, j)}
				if err := s.AppendDossier(ctx, &e); err != nil {
					t.Errorf("writer %d append %d: %v", i, j, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	got, err := b.Dossier(ctx, c.ID, casestore.DossierQuery{Limit: 1000})
	if err != nil || len(got) != 100 {
		t.Errorf("entries written by two stores: %v, %d, want 100", err, len(got))
	}
}

func TestOpenRefusesEmptyPath(t *testing.T) {
	if _, err := sqlite.Open(context.Background(), ""); err == nil {
		t.Error("Open(\"\"): no error")
	}
}

// BenchmarkAppendDossier measures one committed append (one message of a
// conversation) on a file database with WAL and full sync.
func BenchmarkAppendDossier(b *testing.B) {
	ctx := context.Background()
	s := openFile(b, filepath.Join(b.TempDir(), "bench.db"))
	c := storetest.NewCase(b, s, "IB-BENCH")
	body := json.RawMessage(`{"text":"Ik kan volgende week 50 euro betalen","sid":"SM0123456789"}`)
	b.ResetTimer()
	for b.Loop() {
		e := casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor, Channel: "sms", Body: body}
		if err := s.AppendDossier(ctx, &e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendDossierParallel: appends from many goroutines at once, as
// many conversations do; they queue on the one writer connection.
func BenchmarkAppendDossierParallel(b *testing.B) {
	ctx := context.Background()
	s := openFile(b, filepath.Join(b.TempDir(), "bench.db"))
	c := storetest.NewCase(b, s, "IB-BENCH")
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			e := casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryMessageIn, Body: json.RawMessage(`{"text":"ok"}`)}
			if err := s.AppendDossier(ctx, &e); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
