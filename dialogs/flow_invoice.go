package dialogs

import (
	"strings"

	"github.com/incassobot/incassobot/casestore"
)

// Choosing an invoice, shared by the dispute and "already paid" flows.

// claimable lists the invoices a debtor can still dispute or report paid.
func claimable(c *casestore.Case) []casestore.Invoice {
	var out []casestore.Invoice
	for _, inv := range c.Invoices {
		switch inv.Status {
		case casestore.InvoicePaid, casestore.InvoiceWaived:
			continue
		}
		out = append(out, inv)
	}
	return out
}

// pickInvoiceFrom chooses the invoice without asking when there is only one
// or the message names one.
func (t *turn) pickInvoiceFrom(invs []casestore.Invoice) {
	f := &t.st.Flow
	if inv := invoiceNamed(invs, t.text); inv != nil {
		f.InvoiceID, f.InvoiceSet = inv.ID, true
		return
	}
	switch len(invs) {
	case 0:
		f.InvoiceID, f.InvoiceSet = 0, true // only the case as a whole
	case 1:
		f.InvoiceID, f.InvoiceSet = invs[0].ID, true
	}
}

// askInvoice lists the invoices, the whole case last.
func (t *turn) askInvoice(node Node) {
	lang := t.st.language()
	t.st.Node = node
	invs := claimable(t.c)
	t.st.Flow.Choices = t.st.Flow.Choices[:0:0]
	t.options = t.options[:0:0]
	lines := make([]string, 0, len(invs)+1)
	for _, inv := range invs {
		label := render(lang, kInvoiceOption, "number", inv.Number, "date", day(lang, inv.IssueDate),
			"amount", Money(lang, inv.Principal))
		t.st.Flow.Choices = append(t.st.Flow.Choices, inv.ID)
		t.options = append(t.options, label)
		lines = append(lines, itoa(len(lines)+1)+". "+label)
	}
	whole := render(lang, kWholeCase)
	t.st.Flow.Choices = append(t.st.Flow.Choices, 0)
	t.options = append(t.options, whole)
	lines = append(lines, itoa(len(lines)+1)+". "+whole)
	t.say(kAskInvoice)
	t.list(lines)
}

// invoiceAnswer reads a listed number, an invoice named by its number,
// amount, month or description, or "all of them" / "I don't know" (the
// whole case).
func (t *turn) invoiceAnswer() bool {
	f := &t.st.Flow
	if inv := invoiceNamed(claimable(t.c), t.text); inv != nil {
		f.InvoiceID, f.InvoiceSet = inv.ID, true
		return true
	}
	if n := t.u.Choice; n >= 1 && n <= len(f.Choices) {
		f.InvoiceID, f.InvoiceSet = f.Choices[n-1], true
		return true
	}
	if inv := t.invoiceDescribed(claimable(t.c)); inv != nil {
		f.InvoiceID, f.InvoiceSet = inv.ID, true
		return true
	}
	if wholeCase(t.low) || dontKnow(t.low) {
		f.InvoiceID, f.InvoiceSet = 0, true
		return true
	}
	return false
}

// wholeCase reports whether the debtor means every invoice.
func wholeCase(low string) bool {
	return hasAny(" "+low+" ", " alles", "allemaal", "alle facturen", "allebei", "beide", "hele dossier", "het hele bedrag",
		" all ", "all of", "both", "whole", "everything", " tout", "toutes", "les deux", "l'ensemble")
}

// invoiceDescribed finds the one invoice the message describes by its
// amount, its month (issued or due) or a word of its description
// ("die van 742 euro", "de factuur van oktober", "de koptelefoon").
func (t *turn) invoiceDescribed(invs []casestore.Invoice) *casestore.Invoice {
	toks := tokenize(normalize(t.text))
	var found []*casestore.Invoice
	for i := range invs {
		inv := &invs[i]
		hit := false
		for _, a := range t.u.Amounts {
			hit = hit || a.Equal(inv.Principal) || a.Truncate(0).Equal(inv.Principal.Truncate(0))
		}
		for _, n := range t.u.Numbers {
			hit = hit || int64(n) == inv.Principal.Truncate(0).IntPart()
		}
		for _, tk := range toks {
			if m, ok := monthWord(tk.text); ok && len(tk.text) >= 3 && (inv.IssueDate.Month() == m || inv.DueDate.Month() == m) {
				hit = true
			}
			if len(tk.text) >= 5 && strings.Contains(normalize(inv.Description), tk.text) {
				hit = true
			}
		}
		if hit {
			found = append(found, inv)
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	return nil
}

// invoiceNamed finds an invoice whose number appears in the text. Numbers
// shorter than three characters are ignored: "1" is a menu choice.
func invoiceNamed(invs []casestore.Invoice, text string) *casestore.Invoice {
	norm := normRef(text)
	if norm == "" {
		return nil
	}
	for i := range invs {
		n := normRef(invs[i].Number)
		if len(n) >= 3 && strings.Contains(norm, n) {
			return &invs[i]
		}
	}
	return nil
}

// invoice returns the case's invoice with that id, or nil (0 = whole case).
func (t *turn) invoice(id int64) *casestore.Invoice {
	if id == 0 {
		return nil
	}
	for i := range t.c.Invoices {
		if t.c.Invoices[i].ID == id {
			return &t.c.Invoices[i]
		}
	}
	return nil
}
