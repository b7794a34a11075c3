package bot_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
	"github.com/shopspring/decimal"
)

// The rights and requests of issue #19 that need a case the demo set does
// not have (an overpayment, a flagged case, documents on hand), through
// the real Conversations on both backends. rights.conv has the others.

var rightsAgency = dialogs.Agency{Name: "Incasso Test B.V.", IBAN: "NL91ABNA0417164300", AccountHolder: "Incasso Test B.V."}

// tasks returns the collector tasks filed, by topic.
func tasks(t *testing.T, es []casestore.DossierEntry) map[string]int {
	t.Helper()
	m := map[string]int{}
	for _, e := range es {
		if e.Kind != "task.opened" {
			continue
		}
		var task dialogs.CollectorTask
		if err := json.Unmarshal(e.Body, &task); err != nil {
			t.Fatal(err)
		}
		m[task.Topic]++
	}
	return m
}

func TestOverpaymentIsSaidAsSuchAndARefundIsFiled(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			f.conv.Agency = rightsAgency
			ctx := context.Background()
			p := &casestore.Payment{CaseID: f.c.ID, Amount: decimal.RequireFromString("2000.00"),
				ValueDate: casestore.Date(2026, time.November, 20), Reference: "test overpayment", Source: casestore.SourceConsole}
			if err := f.store.AddPayment(ctx, p); err != nil {
				t.Fatal(err)
			}
			f.say("whatsapp", debtorPhone, "IB-2026-000777 1234 AB")
			for _, ask := range []string{"wat is mijn saldo", "ik wil nu betalen", "wat is het rekeningnummer"} {
				reply := f.say("whatsapp", debtorPhone, ask)
				if !strings.Contains(reply, "te veel betaald") || !strings.Contains(reply, "niets meer te betalen") {
					t.Errorf("%q: the overpayment is not said as such:\n%s", ask, reply)
				}
				for _, wrong := range []string{"€ -", "€ 0,00", "pay.example", "betalen via"} {
					if strings.Contains(reply, wrong) {
						t.Errorf("%q: the reply offers a payment (%q) to a debtor who paid too much:\n%s", ask, wrong, reply)
					}
				}
			}
			if r := f.say("whatsapp", debtorPhone, "terugbetalen"); !strings.Contains(r, "IBAN") {
				t.Fatalf("the refund does not ask for the account:\n%s", r)
			}
			if r := f.say("whatsapp", debtorPhone, "NL91 ABNA 0417 1643 01"); !strings.Contains(r, "niet te kloppen") {
				t.Fatalf("a wrong IBAN (mod-97) is not asked again:\n%s", r)
			}
			if k := kinds(f.dossier()); k[dialogs.EntryRefundRequested] != 0 {
				t.Fatalf("a refund was filed for a wrong IBAN: %v", k)
			}
			if r := f.say("whatsapp", debtorPhone, "NL91ABNA0417164300, t.n.v. J. Jansen"); !strings.Contains(r, "NL91 ABNA 0417 1643 00") {
				t.Fatalf("the refund is not confirmed with the account:\n%s", r)
			}
			es := f.dossier()
			if k := kinds(es); k[dialogs.EntryRefundRequested] != 1 {
				t.Fatalf("want one refund request in the dossier, got %v", k)
			}
			if tk := tasks(t, es); tk["refund"] != 1 {
				t.Fatalf("want one refund task for a collector, got %v", tk)
			}
		})
	}
}

func TestACaseUnderBewindvoeringIsAnsweredByAPerson(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			ctx := context.Background()
			if err := f.store.SetCaseFlags(ctx, f.c.ID, casestore.CaseFlags{Bewindvoering: true}); err != nil {
				t.Fatal(err)
			}
			f.say("sms", debtorPhone, "ik wil een regeling")
			reply := f.say("sms", debtorPhone, "IB-2026-000777 1234 AB")
			if !strings.Contains(reply, "persoonlijk behandeld") {
				t.Fatalf("a case under bewindvoering is not handed to a person:\n%s", reply)
			}
			if strings.Contains(reply, "per maand") || strings.Contains(reply, "termijn") {
				t.Fatalf("a case under bewindvoering got the plan flow:\n%s", reply)
			}
			if _, err := f.store.OpenHandoff(ctx, "sms", debtorPhone); err != nil {
				t.Fatalf("no handoff queued for a case under bewindvoering: %v", err)
			}
			if plans, _ := f.store.Plans(ctx, f.c.ID); len(plans) != 0 {
				t.Fatalf("a plan was filed on a case under bewindvoering")
			}
		})
	}
}

func TestInvoiceCopyFromTheDocumentsTheRuntimeHas(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			inv := f.c.Invoices[0]
			f.conv.Documents = copiesOf{inv.ID: "https://docs.example.test/" + inv.Number}
			f.say("whatsapp", debtorPhone, "IB-2026-000777 1234 AB")
			reply := f.say("whatsapp", debtorPhone, "stuur mij een kopie van factuur "+inv.Number)
			if !strings.Contains(reply, "https://docs.example.test/"+inv.Number) {
				t.Fatalf("the invoice copy on hand is not sent:\n%s", reply)
			}
			if k := kinds(f.dossier()); k[dialogs.EntryDocumentSent] != 1 || k[dialogs.EntryDocumentRequested] != 0 {
				t.Fatalf("want the copy sent and no request for a collector, got %v", k)
			}
			f.conv.Documents = nil
			reply = f.say("whatsapp", debtorPhone, "stuur mij een kopie van factuur "+inv.Number)
			if !strings.Contains(reply, "aangevraagd") {
				t.Fatalf("without a copy on hand no request is filed:\n%s", reply)
			}
			es := f.dossier()
			if k := kinds(es); k[dialogs.EntryDocumentRequested] != 1 {
				t.Fatalf("want one document request, got %v", k)
			}
			if tk := tasks(t, es); tk["document.request"] != 1 {
				t.Fatalf("want one document task for a collector, got %v", tk)
			}
		})
	}
}

func TestContactPreferenceIsStoredAndStopsOtherChannels(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			ctx := context.Background()
			f.say("sms", debtorPhone, "IB-2026-000777 1234 AB")
			reply := f.say("sms", debtorPhone, "bel me niet meer, en stuur alles voortaan alleen per post")
			if !strings.Contains(reply, "niet meer") || !strings.Contains(reply, "post") {
				t.Fatalf("the preference is not acknowledged:\n%s", reply)
			}
			p, err := f.store.ContactPreference(ctx, f.c.DebtorID)
			if err != nil {
				t.Fatal(err)
			}
			if !p.NoCalls || p.Channel != "post" || !p.WrittenOnly {
				t.Fatalf("stored preference %+v, want no calls and post only", p)
			}
			err = f.store.InTx(ctx, func(tx casestore.Tx) error {
				ok, why, err := casestore.MayAutomate(ctx, tx, f.c.ID, "sms", debtorPhone)
				if err == nil && ok {
					t.Errorf("an automated SMS may still go after 'alleen per post' (%s)", why)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if opted, _ := f.store.OptedOut(ctx, "sms", debtorPhone); opted {
				t.Fatalf("'bel me niet meer' opted the debtor out of the chat")
			}
		})
	}
}

// copiesOf is the runtime's document links for a test: a copy for the
// invoices it names, no specification.
type copiesOf map[int64]string

func (copiesOf) SpecificationURL(*casestore.Case) string { return "" }

func (c copiesOf) InvoiceDocumentURL(_ *casestore.Case, inv casestore.Invoice) string {
	return c[inv.ID]
}
