package dialogs

import (
	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// Balance: the legal breakdown from casestore.Balance, the stage and what
// happens next. Exactly what was shown goes into the dossier.

// breakdown computes the case's balance today; on failure a person takes over.
func (t *turn) breakdown() (casestore.Breakdown, bool) {
	b, err := casestore.Balance(t.c, t.today)
	if err != nil {
		t.trouble("balance", err)
		return b, false
	}
	return b, true
}

// showBalance shows the total breakdown.
func (t *turn) showBalance() { t.balance(false) }

// balance shows the total breakdown; spec adds the rule the costs follow
// and the PDF specification (showSpecification). A debtor who paid too
// much hears that, never an amount to pay.
func (t *turn) balance(spec bool) {
	if t.sayOverpaid() {
		t.backToMenu()
		return
	}
	if t.settled() {
		t.sayNothingOpen()
		t.say(kAnythingElse)
		t.st.Node, t.st.Menu = NodeMenu, menuItems(t.c)
		return
	}
	b, ok := t.breakdown()
	if !ok {
		return
	}
	lang, tot := t.st.language(), b.Total
	if spec {
		t.say(kSpecIntro)
	}
	t.say(kBalanceTotal,
		"date", day(lang, b.AsOf), "creditor", t.c.Creditor.Name, "ref", t.c.Ref,
		"open", Money(lang, tot.Open), "principal", Money(lang, tot.Principal),
		"interest", Money(lang, tot.Interest), "costs", Money(lang, tot.Costs.Add(tot.CostsVAT)),
		"paid", Money(lang, tot.Paid))
	t.sayLegalBasis(b)
	if spec {
		t.sayCostsRule(b)
	}
	if b.CostsFrom != nil {
		t.say(kBalanceCostsFrom, "date", day(lang, *b.CostsFrom))
	}
	if onHold(b) {
		t.say(kBalanceOnHold)
	}
	t.sayOnFile()
	if t.stageWarranted(b) {
		t.say(stageNext(t.c.Stage), "creditor", t.c.Creditor.Name)
	}
	detail := "total"
	if spec {
		detail = "specification"
		if link := t.v.Documents[t.c.ID].SpecificationURL; link != "" {
			t.say(kSpecPDF, "link", link)
			t.entry(t.c.ID, EntryDocumentSent, casestore.ActorBot, map[string]any{"document": "specification"})
		} else if wantsSent(t.low) {
			t.requestDocument("specification", nil, render(lang, kSpecName))
		}
	}
	t.entry(t.c.ID, casestore.EntryBalanceShown, casestore.ActorBot,
		map[string]any{"detail": detail, "breakdown": b, "lang": lang})
	t.balanceOptions(len(b.Invoices) > 1)
}

// showInvoices shows the breakdown per invoice.
func (t *turn) showInvoices() {
	b, ok := t.breakdown()
	if !ok {
		return
	}
	lang := t.st.language()
	for _, ib := range b.Invoices {
		t.say(kBalanceInvoice,
			"number", ib.Number, "due", day(lang, ib.DueDate), "open", Money(lang, ib.Open),
			"principal", Money(lang, ib.Principal), "interest", Money(lang, ib.Interest),
			"costs", Money(lang, ib.Costs.Add(ib.CostsVAT)), "paid", Money(lang, ib.Paid),
			"status", render(lang, invoiceStatusKey(ib.Status)))
	}
	t.say(kBalanceInvoicesTotal, "open", Money(lang, b.Total.Open))
	t.entry(t.c.ID, casestore.EntryBalanceShown, casestore.ActorBot,
		map[string]any{"detail": "invoices", "breakdown": b, "lang": lang})
	t.balanceOptions(false)
}

// balanceOptions offers the next steps after a balance.
func (t *turn) balanceOptions(perInvoice bool) {
	t.st.Node = NodeBalance
	items := []Intent{}
	if perInvoice {
		items = append(items, intentInvoices)
	}
	items = append(items, IntentPayNow, IntentPlan)
	if t.c.Stage != casestore.Executie {
		items = append(items, IntentDispute)
	}
	t.droppable = append(t.droppable, len(t.parts))
	t.say(kBalanceNext)
	t.offer(append(items, IntentHelp))
}

// balanceAnswer reads a number from the options, or "per factuur".
func (t *turn) balanceAnswer() bool {
	if t.menuAnswer() {
		return true
	}
	if t.u.Intent == IntentUnknown && hasAny(t.low, "factuur", "facturen", "specificatie", "invoice", "facture", "detail") {
		t.showInvoices()
		return true
	}
	return false
}

// onHold reports whether any invoice is disputed or paused.
func onHold(b casestore.Breakdown) bool {
	for _, ib := range b.Invoices {
		if ib.Status == casestore.InvoiceDisputed || ib.Status == casestore.InvoicePaused {
			return true
		}
	}
	return false
}

// stageNext says where the case stands and what happens next.
func stageNext(s casestore.Stage) msgKey {
	switch s {
	case casestore.PreIncasso:
		return kStagePre
	case casestore.Gerechtelijk:
		return kStageJudicial
	case casestore.Executie:
		return kStageExecution
	}
	return kStageAmicable
}

func invoiceStatusKey(s casestore.InvoiceStatus) msgKey {
	switch s {
	case casestore.InvoiceDisputed:
		return kStatusDisputed
	case casestore.InvoicePaused:
		return kStatusPaused
	case casestore.InvoicePaid:
		return kStatusPaid
	case casestore.InvoiceWaived:
		return kStatusWaived
	}
	return kStatusOpen
}

// openTotal is what the debtor owes today, or false after trouble.
func (t *turn) openTotal() (decimal.Decimal, bool) {
	b, ok := t.breakdown()
	return b.Total.Open, ok
}
