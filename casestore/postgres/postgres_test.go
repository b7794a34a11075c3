package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/postgres/pgstoretest"
	"github.com/incassobot/incassobot/casestore/storetest"
	"github.com/shopspring/decimal"
)

// openStore opens a migrated store on a database of t's own, closed and
// dropped when t ends.
func openStore(t testing.TB) *postgres.Store {
	t.Helper()
	return pgstoretest.Open(t)
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) casestore.Store { return openStore(t) })
}

// benchCase stores a case with five invoices and three payments, the shape
// of a typical energy-supplier dossier.
func benchCase(b *testing.B, s *postgres.Store) *casestore.Case {
	b.Helper()
	ctx := context.Background()
	c := storetest.NewCase(b, s, "IB-BENCH")
	for i := 3; i <= 5; i++ {
		c.Invoices = append(c.Invoices, casestore.Invoice{
			Number: fmt.Sprintf("F-100%d", i), IssueDate: casestore.Date(2026, time.March, i),
			DueDate: casestore.Date(2026, time.April, i), Principal: decimal.RequireFromString("99.95"),
		})
	}
	if _, err := s.PutCase(ctx, c); err != nil {
		b.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		p := casestore.Payment{CaseID: c.ID, Amount: decimal.RequireFromString("25.00"), ValueDate: casestore.Date(2026, time.May, i)}
		if err := s.AddPayment(ctx, &p); err != nil {
			b.Fatal(err)
		}
	}
	return c
}

func BenchmarkAppendDossier(b *testing.B) {
	s := openStore(b)
	c := benchCase(b, s)
	ctx := context.Background()
	body := json.RawMessage(`{"text":"Ik kan pas volgende maand betalen","sid":"SM0123456789abcdef"}`)
	b.ReportAllocs()
	for b.Loop() {
		e := casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor, Channel: "whatsapp", Body: body}
		if err := s.AppendDossier(ctx, &e); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCaseLoad(b *testing.B) {
	s := openStore(b)
	c := benchCase(b, s)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		got, err := s.Case(ctx, c.ID)
		if err != nil {
			b.Fatal(err)
		}
		if len(got.Invoices) != 5 || len(got.Payments) != 3 {
			b.Fatalf("case has %d invoices and %d payments, want 5 and 3", len(got.Invoices), len(got.Payments))
		}
	}
}
