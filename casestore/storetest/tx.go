package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

var txTests = []test{
	{"InTx/Commit", testInTxCommit},
	{"InTx/ErrorRollsBack", testInTxError},
	{"InTx/PanicRollsBack", testInTxPanic},
	{"Concurrent/AppendsToOneDossier", testConcurrentAppends},
	{"Concurrent/TransactionsOnDifferentCases", testConcurrentTx},
}

// errHalfway is what fn returns after it has already written.
var errHalfway = errors.New("the debtor hung up half-way")

func testInTxCommit(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	var c *casestore.Case
	err := s.InTx(ctx, func(tx casestore.Tx) error {
		c = NewCase(t, tx, "IB-TX-OK") // reads its own writes inside the transaction
		Note(t, tx, c.ID, `{"text":"in one transaction"}`)
		return tx.AddPayment(ctx, &casestore.Payment{CaseID: c.ID, Amount: money("10.00"), ValueDate: casestore.Date(2026, time.March, 1)})
	})
	must(t, err, "InTx")
	got, err := s.CaseByRef(ctx, "IB-TX-OK")
	must(t, err, "CaseByRef after commit")
	wantEq(t, "case ID", got.ID, c.ID)
	wantEq(t, "payments after commit", len(got.Payments), 1)
	entries, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{})
	must(t, err, "Dossier after commit")
	wantEq(t, "entries after commit", len(entries), 1)
}

// assertNothingLeft checks that a rolled-back transaction left no trace:
// no creditor, debtor or case of ref, and the existing case unchanged.
func assertNothingLeft(t *testing.T, s casestore.Store, ref string, existing *casestore.Case) {
	t.Helper()
	ctx := context.Background()
	_, err := s.CaseByRef(ctx, ref)
	wantErr(t, err, casestore.ErrNotFound, "case written before the rollback")
	_, err = s.CreditorByCode(ctx, "CR-"+ref)
	wantErr(t, err, casestore.ErrNotFound, "creditor written before the rollback")
	got, err := s.Case(ctx, existing.ID)
	must(t, err, "existing case")
	wantEq(t, "existing case status", got.Status, existing.Status)
	wantEq(t, "existing case payments", len(got.Payments), 0)
	entries, err := s.Dossier(ctx, existing.ID, casestore.DossierQuery{})
	must(t, err, "Dossier of the existing case")
	wantEq(t, "existing case entries", len(entries), 1)
	list, err := s.Cases(ctx, casestore.CaseFilter{})
	must(t, err, "Cases")
	wantStrings(t, "cases after the rollback", refsOf(list), []string{existing.Ref})
}

// halfway writes into a new case and an existing one, as a dialog turn does.
func halfway(t *testing.T, tx casestore.Tx, ref string, existing *casestore.Case) {
	ctx := context.Background()
	c := NewCase(t, tx, ref)
	Note(t, tx, c.ID, `{"text":"new case"}`)
	Note(t, tx, existing.ID, `{"text":"written then rolled back"}`)
	must(t, tx.SetCaseStatus(ctx, existing.ID, casestore.StatusOnHold), "SetCaseStatus in tx")
	must(t, tx.AddPayment(ctx, &casestore.Payment{CaseID: existing.ID, Amount: money("5.00"), ValueDate: casestore.Date(2026, time.March, 1)}), "AddPayment in tx")
}

func testInTxError(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	existing := NewCase(t, s, "IB-TX-OLD")
	Note(t, s, existing.ID, `{"text":"before"}`)

	err := s.InTx(ctx, func(tx casestore.Tx) error {
		halfway(t, tx, "IB-TX-ERR", existing)
		return fmt.Errorf("dialog turn: %w", errHalfway)
	})
	wantErr(t, err, errHalfway, "InTx returns fn's error")
	assertNothingLeft(t, s, "IB-TX-ERR", existing)

	// A store error inside fn, passed on, keeps its sentinel.
	err = s.InTx(ctx, func(tx casestore.Tx) error {
		halfway(t, tx, "IB-TX-ERR2", existing)
		return tx.SetCaseStatus(ctx, existing.ID, "vanished")
	})
	wantErr(t, err, casestore.ErrInvalid, "InTx returns the store's error")
	assertNothingLeft(t, s, "IB-TX-ERR2", existing)
}

func testInTxPanic(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	existing := NewCase(t, s, "IB-TX-OLD")
	Note(t, s, existing.ID, `{"text":"before"}`)

	type boom struct{ msg string }
	recovered := func() (r any) {
		defer func() { r = recover() }()
		_ = s.InTx(ctx, func(tx casestore.Tx) error {
			halfway(t, tx, "IB-TX-PANIC", existing)
			panic(boom{"bug in a dialog"})
		})
		return nil
	}()
	if b, ok := recovered.(boom); !ok || b.msg != "bug in a dialog" {
		t.Errorf("InTx after a panic in fn: recovered %v, want the same panic value re-raised", recovered)
	}
	// The transaction is gone, not left holding a connection or a lock:
	// the next write must go through promptly.
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	must(t, s.SetCaseStatus(wctx, existing.ID, existing.Status), "a write after the panic")
	assertNothingLeft(t, s, "IB-TX-PANIC", existing)
}

func testConcurrentAppends(t *testing.T, s casestore.Store) {
	const workers, each = 8, 25
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := NewCase(t, s, "IB-CONC")
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := int64(0)
			for i := range each {
				e := casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor,
					Channel: "sms", Body: fmt.Appendf(nil, `{"worker":%d,"i":%d}`, w, i)}
				if err := s.AppendDossier(ctx, &e); err != nil {
					t.Errorf("worker %d append %d: %v", w, i, err)
					return
				}
				if e.ID <= last {
					t.Errorf("worker %d: ID %d after %d, want increasing", w, e.ID, last)
				}
				last = e.ID
			}
		}()
	}
	wg.Wait()
	got, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{Limit: 1000})
	must(t, err, "Dossier")
	wantEq(t, "entries after concurrent appends", len(got), workers*each)
	seen := map[string]bool{}
	for i, e := range got {
		if i > 0 && e.ID >= got[i-1].ID {
			t.Errorf("entry %d: ID %d not below %d (newest first, distinct)", i, e.ID, got[i-1].ID)
		}
		seen[string(e.Body)] = true
	}
	wantEq(t, "distinct bodies", len(seen), workers*each)
}

func testConcurrentTx(t *testing.T, s casestore.Store) {
	const workers, each = 4, 10
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	first := NewCase(t, s, "IB-CTX-0")
	cases := []*casestore.Case{first}
	for i := 1; i < workers; i++ {
		cases = append(cases, NewCaseOf(t, s, fmt.Sprintf("IB-CTX-%d", i), first.CreditorID, first.DebtorID))
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := cases[w].ID
			for i := range each {
				err := s.InTx(ctx, func(tx casestore.Tx) error {
					if _, err := tx.Case(ctx, id); err != nil {
						return err
					}
					p := casestore.Payment{CaseID: id, Amount: money("0.01"), ValueDate: casestore.Date(2026, time.March, 1+i)}
					if err := tx.AddPayment(ctx, &p); err != nil {
						return err
					}
					e := casestore.DossierEntry{CaseID: id, Kind: casestore.EntryPaymentReceived, Actor: casestore.ActorSystem}
					if err := tx.AppendDossier(ctx, &e); err != nil {
						return err
					}
					return tx.SetCaseStatus(ctx, id, casestore.StatusInPlan)
				})
				if err != nil {
					t.Errorf("worker %d transaction %d: %v", w, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, c := range cases {
		got, err := s.Case(ctx, c.ID)
		must(t, err, "Case")
		wantEq(t, c.Ref+" payments", len(got.Payments), each)
		sum := money("0")
		for _, p := range got.Payments {
			sum = sum.Add(p.Amount)
		}
		wantMoney(t, c.Ref+" paid", sum, money("0.10")) // 10 × 0.01
		wantEq(t, c.Ref+" status", got.Status, casestore.StatusInPlan)
		entries, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{})
		must(t, err, "Dossier")
		wantEq(t, c.Ref+" entries", len(entries), each)
	}
}
