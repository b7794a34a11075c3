package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// The builders below create realistic records through the Store so that
// other packages' tests (dialogs, bot, console) start from a known case
// without repeating the set-up. Each fails the test on any store error.

// NewCreditor stores a creditor with the given code and returns it with its ID.
func NewCreditor(t testing.TB, tx casestore.Tx, code string) *casestore.Creditor {
	t.Helper()
	c := &casestore.Creditor{
		Code:             code,
		Name:             "Energie " + code + " B.V.",
		VATOnCosts:       false,
		ContractualCosts: money("0"),
		PaymentURL:       "https://pay.example.test/" + code,
	}
	must(t, tx.PutCreditor(context.Background(), c), "NewCreditor "+code)
	return c
}

// NewDebtor stores a consumer debtor of creditorID with the given ref and
// phone numbers (E.164) and returns it with its ID. Postcode 1234AB, born
// 1985-03-14.
func NewDebtor(t testing.TB, tx casestore.Tx, creditorID int64, ref string, phones ...string) *casestore.Debtor {
	t.Helper()
	d := &casestore.Debtor{
		CreditorID: creditorID,
		Ref:        ref,
		Name:       "J. de Vries",
		Phones:     phones,
		Email:      "j.devries@example.test",
		Postcode:   "1234AB",
		BirthDate:  ptr(casestore.Date(1985, time.March, 14)),
		Language:   casestore.Dutch,
	}
	must(t, tx.PutDebtor(context.Background(), d), "NewDebtor "+ref)
	return d
}

// CaseFor returns an unsaved NL consumer case in the minnelijk stage for the
// given creditor and debtor, with two open invoices: "F-1001" of 1234.56 due
// 2026-01-31 and "F-1002" of 0.01 due 2026-02-28.
func CaseFor(ref string, creditorID, debtorID int64) *casestore.Case {
	return &casestore.Case{
		Ref:          ref,
		CreditorID:   creditorID,
		DebtorID:     debtorID,
		Regime:       casestore.NLB2C,
		Stage:        casestore.Minnelijk,
		Status:       casestore.StatusOpen,
		LetterSentOn: ptr(casestore.Date(2026, time.February, 2)),
		Policy:       casestore.DefaultPlanPolicy,
		Invoices: []casestore.Invoice{
			{
				Number:      "F-1001",
				Description: "Stroom januari",
				IssueDate:   casestore.Date(2026, time.January, 1),
				DueDate:     casestore.Date(2026, time.January, 31),
				Principal:   money("1234.56"),
				Status:      casestore.InvoiceOpen,
			},
			{
				Number:      "F-1002",
				Description: "Afrondingsverschil",
				IssueDate:   casestore.Date(2026, time.February, 1),
				DueDate:     casestore.Date(2026, time.February, 28),
				Principal:   money("0.01"),
				Status:      casestore.InvoiceOpen,
			},
		},
	}
}

// NewCase stores a creditor "CR-<ref>", a debtor "DB-<ref>" with phone
// +31612345678 and the case CaseFor describes, and returns the case as the
// store reads it back (Creditor, Debtor, Invoices filled).
func NewCase(t testing.TB, tx casestore.Tx, ref string) *casestore.Case {
	t.Helper()
	cr := NewCreditor(t, tx, "CR-"+ref)
	db := NewDebtor(t, tx, cr.ID, "DB-"+ref, "+31612345678")
	return NewCaseOf(t, tx, ref, cr.ID, db.ID)
}

// NewCaseOf stores the case CaseFor describes for an existing creditor and
// debtor and returns it as the store reads it back.
func NewCaseOf(t testing.TB, tx casestore.Tx, ref string, creditorID, debtorID int64) *casestore.Case {
	t.Helper()
	ctx := context.Background()
	c := CaseFor(ref, creditorID, debtorID)
	created, err := tx.PutCase(ctx, c)
	must(t, err, "NewCase "+ref)
	if !created {
		t.Fatalf("NewCase %s: the case already existed", ref)
	}
	got, err := tx.Case(ctx, c.ID)
	must(t, err, "NewCase "+ref+": read back")
	return got
}

// Note appends a collector's note with the given JSON object body and
// returns the entry with its ID and At.
func Note(t testing.TB, tx casestore.Tx, caseID int64, body string) casestore.DossierEntry {
	t.Helper()
	e := casestore.DossierEntry{
		CaseID:  caseID,
		Kind:    casestore.EntryNote,
		Actor:   "collector:7",
		Channel: "console",
		Body:    []byte(body),
	}
	must(t, tx.AppendDossier(context.Background(), &e), "Note")
	return e
}
