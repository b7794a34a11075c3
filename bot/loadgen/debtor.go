package loadgen

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// Debtor is one simulated person: the case they will identify with and
// where they write from. Debtors are derived from their index alone, so a
// run against cases seeded by an earlier run knows the same identities.
type Debtor struct {
	Index    int
	Ref      string // dossier number, e.g. LG-2026-000001
	Postcode string
	Phone    string // E.164, +3169…
	Channel  string // sms, whatsapp or telegram
	ChatID   int64  // telegram only: the private chat (and user) id
}

// Address is the debtor's address as the bot's inbox and outbox know it.
func (d Debtor) Address() string {
	if d.Channel == "telegram" {
		return fmt.Sprint(d.ChatID)
	}
	return d.Phone
}

// Debtors returns n debtors spread round-robin over channels.
func Debtors(n int, channels []string) []Debtor {
	out := make([]Debtor, n)
	for i := range out {
		k := i + 1
		out[i] = Debtor{
			Index:    k,
			Ref:      fmt.Sprintf("LG-2026-%06d", k),
			Postcode: fmt.Sprintf("%04d%s", 1000+k%8999, "LG"),
			Phone:    fmt.Sprintf("+3169%07d", k),
			Channel:  channels[i%len(channels)],
			ChatID:   690000000 + int64(k),
		}
	}
	return out
}

// loadCreditor is the creditor of every seeded case.
const loadCreditor = "LOADGEN"

// Seed files a creditor and, for each debtor, a debtor with its phone and
// postcode and an NL consumer case in the minnelijk stage with one open
// invoice of €400 whose 14-day letter has expired: a case on which a plan
// of €50 a month is possible under the default policy. Seeding again
// updates the cases and adds nothing twice.
func Seed(ctx context.Context, st casestore.Store, debtors []Debtor, now time.Time) error {
	today := casestore.DayOf(now)
	cr := &casestore.Creditor{Code: loadCreditor, Name: "Loadgen Energie B.V.", PaymentURL: "https://pay.example.test/loadgen"}
	if err := st.PutCreditor(ctx, cr); err != nil {
		return fmt.Errorf("seed creditor: %w", err)
	}
	// Several at once: seeding 10,000 cases one transaction after another
	// would take longer than the benchmark that needs them.
	work := make(chan Debtor)
	errs := make(chan error, seedWorkers)
	var wg sync.WaitGroup
	for range seedWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range work {
				if err := seedOne(ctx, st, cr, d, today); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	var err error
feed:
	for _, d := range debtors {
		select {
		case work <- d:
		case err = <-errs:
			break feed
		}
	}
	close(work)
	wg.Wait()
	close(errs)
	if err == nil {
		err = <-errs // nil when the channel is empty
	}
	return err
}

// seedWorkers is how many cases Seed files at once.
const seedWorkers = 8

// seedOne files debtor d and its case in one transaction.
func seedOne(ctx context.Context, st casestore.Store, cr *casestore.Creditor, d Debtor, today time.Time) error {
	err := st.InTx(ctx, func(tx casestore.Tx) error {
		born := casestore.Date(1980, time.Month(1+d.Index%12), 1+d.Index%28)
		db := &casestore.Debtor{CreditorID: cr.ID, Ref: "LGD-" + d.Ref, Name: fmt.Sprintf("Debiteur %d", d.Index),
			Phones: []string{d.Phone}, Postcode: d.Postcode, BirthDate: &born, Language: casestore.Dutch}
		if err := tx.PutDebtor(ctx, db); err != nil {
			return err
		}
		letter := today.AddDate(0, 0, -60)
		c := &casestore.Case{Ref: d.Ref, CreditorID: cr.ID, DebtorID: db.ID, Regime: casestore.NLB2C,
			Stage: casestore.Minnelijk, Status: casestore.StatusOpen, LetterSentOn: &letter, Policy: casestore.DefaultPlanPolicy,
			Invoices: []casestore.Invoice{{Number: "LG-F-" + fmt.Sprint(d.Index), Description: "Energie",
				IssueDate: today.AddDate(0, 0, -120), DueDate: today.AddDate(0, 0, -90),
				Principal: decimal.NewFromInt(400), Status: casestore.InvoiceOpen}}}
		_, err := tx.PutCase(ctx, c)
		return err
	})
	if err != nil {
		return fmt.Errorf("seed case %s: %w", d.Ref, err)
	}
	return nil
}
