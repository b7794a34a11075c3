package dialogs

import (
	"regexp"
	"strings"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// "Already paid": which invoice, value date and amount, the account paid
// from, the payment reference and proof. The invoice is paused (reminders
// stop) until a collector has checked the payment.

// paymentCheckDays is how many working days a collector has to check.
const paymentCheckDays = 5

// ibanPattern finds an IBAN in free text once spaces are removed.
var ibanPattern = regexp.MustCompile(`[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}`)

func (t *turn) startPaid() {
	t.st.Flow = Scratch{}
	if t.paymentOnFile() {
		return
	}
	t.pickInvoiceFrom(claimable(t.c))
	told := t.readPaidDetails()
	f := &t.st.Flow
	if f.Amount.IsZero() && paidAll(t.low) {
		if open, ok := t.openTotal(); ok && open.IsPositive() {
			f.Amount, told = open, true
		}
	}
	if told {
		// "ik heb vorige week 100 overgemaakt", "I paid it all
		// yesterday": the payment is reported with its day or amount, so
		// it is filed for checking at once, for the invoice named or the
		// whole case; the debtor need not answer more questions for it.
		if !f.InvoiceSet {
			f.InvoiceID, f.InvoiceSet = 0, true
		}
		f.DetailsDone, f.AccountDone, f.ReferenceDone, f.ProofDone = true, true, true, true
	}
	t.paidNext()
}

// paidAll reports whether a payment report says the whole amount was paid
// ("alles betaald", "paid it all", "tout payé").
func paidAll(low string) bool {
	return hasAny(" "+low+" ", " alles ", "het hele bedrag", "volledig", "helemaal betaald", "in full", " everything", " all of it", " it all",
		"the full amount", "the whole amount", " tout ", "la totalité", "intégralité")
}

// paidNext asks the first question not yet answered, or files the report.
func (t *turn) paidNext() {
	f := &t.st.Flow
	switch {
	case !f.InvoiceSet:
		t.askInvoice(NodePaidInvoice)
	case !f.DetailsDone && (f.Date.IsZero() || f.Amount.IsZero()):
		t.askPaidDetails()
	case !f.AccountDone:
		t.st.Node = NodePaidAccount
		t.say(kPaidAskAccount)
	case !f.ReferenceDone:
		t.st.Node = NodePaidReference
		t.say(kPaidAskReference)
	case !f.ProofDone:
		t.st.Node = NodePaidProof
		t.say(kAskProof)
	default:
		t.reportPayment()
	}
}

func (t *turn) askPaidDetails() {
	t.st.Node = NodePaidDetails
	f := t.st.Flow
	switch {
	case f.Date.IsZero() && f.Amount.IsZero():
		t.say(kPaidAskDetails)
	case f.Date.IsZero():
		t.say(kPaidAskDate)
	default:
		t.say(kPaidAskAmount)
	}
}

// readPaidDetails keeps a value date and amount found in the message.
func (t *turn) readPaidDetails() bool {
	f := &t.st.Flow
	got := false
	if len(t.u.Dates) > 0 {
		// A payment lies in the past: "3 juni" read as next year's is
		// this year's.
		d := casestore.DayOf(t.u.Dates[0])
		if d.After(t.today) {
			d = d.AddDate(-1, 0, 0)
		}
		if !d.After(t.today) {
			f.Date, got = d, true
		}
	}
	if a := firstPositive(t.u); a.IsPositive() {
		f.Amount, got = a, true
	} else if n := paidNumber(t.u); n.IsPositive() {
		f.Amount, got = n, true
	}
	return got
}

func (t *turn) paidAnswer() bool {
	f := &t.st.Flow
	switch t.st.Node {
	case NodePaidInvoice:
		if !t.invoiceAnswer() {
			// Another question's answer (the date, the amount, the
			// account) is kept; the invoice is asked again.
			got := t.readPaidDetails()
			if iban := ibanPattern.FindString(strings.ToUpper(strings.Join(strings.Fields(t.text), ""))); iban != "" {
				f.Account, f.AccountDone, got = iban, true, true
			}
			return got && t.paidNextAnswered()
		}
		t.readPaidDetails()
	case NodePaidDetails:
		got := t.readPaidDetails()
		if !got && !t.u.No && !dontKnow(t.low) {
			return false
		}
		if !got || (!f.Date.IsZero() && !f.Amount.IsZero()) {
			f.DetailsDone = true
		}
	case NodePaidAccount:
		if t.text == "" {
			return false
		}
		if !t.u.No && !dontKnow(t.low) {
			f.Account = accountFrom(t.text)
		}
		f.AccountDone = true
	case NodePaidReference:
		if t.text == "" {
			return false
		}
		if !t.u.No && !dontKnow(t.low) {
			f.Reference = clip(t.text, 140)
		}
		f.ReferenceDone = true
	case NodePaidProof:
		if !isDone(t.low, t.u) {
			return false
		}
		f.ProofDone = true
	}
	t.paidNext()
	return true
}

// paidNextAnswered asks the next question after a message that filled
// another slot than the one asked; true, as the message was understood.
func (t *turn) paidNextAnswered() bool {
	t.paidNext()
	return true
}

// reportPayment files the report and pauses the invoice (or case).
func (t *turn) reportPayment() {
	f := t.st.Flow
	lang := t.st.language()
	due := workdaysAfter(t.today, paymentCheckDays)
	r := ReportPayment{CaseID: t.c.ID, Amount: f.Amount, ValueDate: f.Date, Account: f.Account, Reference: f.Reference, Evidence: f.Evidence}
	what := render(lang, kWholeCase)
	if inv := t.invoice(f.InvoiceID); inv != nil {
		id := inv.ID
		r.InvoiceID = &id
		what = render(lang, kInvoiceNamed, "number", inv.Number)
	}
	t.effect(r)
	t.effect(CollectorTask{CaseID: t.c.ID, Topic: "payment.check", Summary: what, Due: due, Priority: PriorityNormal})
	t.entry(t.c.ID, "payment.reported", actorDebtor, map[string]any{
		"invoice_id": r.InvoiceID, "amount": r.Amount, "value_date": r.ValueDate, "account": r.Account,
		"reference": r.Reference, "evidence": r.Evidence, "answer_by": due,
	})
	t.st.Flow = Scratch{}
	t.say(kPaidDone, "what", what, "date", day(lang, due))
	t.say(kAnythingElse)
	t.st.Node = NodeMenu
	t.st.Menu = menuItems(t.c)
}

// accountFrom returns the IBAN in the text, else the text itself, bounded.
func accountFrom(text string) string {
	squeezed := strings.ToUpper(strings.Join(strings.Fields(text), ""))
	if m := ibanPattern.FindString(squeezed); m != "" {
		return m
	}
	return clip(text, 64)
}

func dontKnow(low string) bool {
	return hasAny(low, "weet ik niet", "weet niet", "geen idee", "don't know", "dont know", "no idea", "je ne sais pas", "sais pas", "aucune idée")
}

// clip keeps at most n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// paidNumber is a bare number said with a payment ("ik heb al 500
// betaald"): in a payment report it is the amount paid. Zero when there is
// none, or when it may be a menu choice or a year.
func paidNumber(u Understanding) decimal.Decimal {
	if u.Intent != IntentAlreadyPaid || u.Choice != 0 {
		return decimal.Zero
	}
	for _, n := range u.Numbers {
		if n >= 10 && (n < 1900 || n > 2100) {
			return decimal.NewFromInt(int64(n))
		}
	}
	return decimal.Zero
}

// firstPositive is the first positive amount in the message, or zero.
func firstPositive(u Understanding) decimal.Decimal {
	for _, a := range u.Amounts {
		if a.IsPositive() {
			return a
		}
	}
	return decimal.Zero
}
