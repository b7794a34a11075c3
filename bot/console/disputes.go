package console

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
)

// resolveDispute decides an open dispute (betwisting) from the chat, as
// one decision (plans.go): upheld, the disputed invoice — or, for the
// whole case, every unpaid invoice — is waived; rejected, the invoice or
// case put on hold for the dispute goes back to collection. The debtor
// is told the outcome, the collector's explanation (when given) and what
// is open now; the collector's private note stays in the dossier.
func (c *Console) resolveDispute(w http.ResponseWriter, r *http.Request) {
	disputeID, ok := pathID(w, r, "disputeID")
	if !ok {
		return
	}
	status := casestore.DisputeStatus(r.PostFormValue("outcome"))
	explanation, err := formNote(r, "explanation")
	if err == nil && status != casestore.DisputeUpheld && status != casestore.DisputeRejected {
		err = formError("Kies of de debiteur gelijk krijgt of dat de vordering blijft staan.")
	}
	if err != nil {
		c.refuseInput(w, r, err)
		return
	}
	now := c.d.Now()
	c.decide(w, r, decision{what: "de betwisting afhandelen", done: "dispute-resolved",
		apply: func(ctx context.Context, tx casestore.Tx, cs *casestore.Case, lang casestore.Language) (string, casestore.DossierEntry, error) {
			disputes, err := tx.Disputes(ctx, cs.ID)
			if err != nil {
				return "", casestore.DossierEntry{}, err
			}
			d := findDispute(disputes, disputeID)
			if d == nil {
				return "", casestore.DossierEntry{}, fmt.Errorf("dispute %d of case %d: %w", disputeID, cs.ID, casestore.ErrNotFound)
			}
			if err := tx.ResolveDispute(ctx, d.ID, status, now); err != nil {
				return "", casestore.DossierEntry{}, err
			}
			d.Status = status
			if err := settleDispute(ctx, tx, cs, disputes, *d); err != nil {
				return "", casestore.DossierEntry{}, err
			}
			after, err := tx.Case(ctx, cs.ID)
			if err != nil {
				return "", casestore.DossierEntry{}, err
			}
			open, err := openNow(after, now)
			if err != nil {
				return "", casestore.DossierEntry{}, err
			}
			e := casestore.DossierEntry{Kind: EntryDisputeResolved, Body: bot.EntryBody(map[string]any{
				"dispute_id": d.ID, "invoice_id": d.InvoiceID, "status": status,
				"explanation": explanation, "open": open})}
			return dialogs.DisputeResolvedText(lang, after, *d, open, explanation), e, nil
		},
		conflict: c.disputeDecidedBy(disputeID),
	})
}

func findDispute(ds []*casestore.Dispute, id int64) *casestore.Dispute {
	for _, d := range ds {
		if d.ID == id {
			return d
		}
	}
	return nil
}

// settleDispute applies resolved dispute d to what it held up. Another
// dispute still open on the same invoice (or the case) keeps it on hold.
func settleDispute(ctx context.Context, tx casestore.Tx, cs *casestore.Case, all []*casestore.Dispute, d casestore.Dispute) error {
	stillOpen := func(invoiceID *int64) bool {
		for _, o := range all {
			if o.ID != d.ID && o.Status == casestore.DisputeOpen && sameInvoice(o.InvoiceID, invoiceID) {
				return true
			}
		}
		return false
	}
	switch {
	case d.Status == casestore.DisputeUpheld && d.InvoiceID != nil:
		return tx.SetInvoiceStatus(ctx, *d.InvoiceID, casestore.InvoiceWaived)
	case d.Status == casestore.DisputeUpheld:
		// The whole claim falls: nothing unpaid is collected any more.
		for _, inv := range cs.Invoices {
			if inv.Status != casestore.InvoicePaid && inv.Status != casestore.InvoiceWaived {
				if err := tx.SetInvoiceStatus(ctx, inv.ID, casestore.InvoiceWaived); err != nil {
					return err
				}
			}
		}
		return tx.SetCaseStatus(ctx, cs.ID, casestore.StatusClosed)
	case d.InvoiceID != nil:
		for _, inv := range cs.Invoices {
			if inv.ID == *d.InvoiceID && inv.Status == casestore.InvoiceDisputed && !stillOpen(d.InvoiceID) {
				return tx.SetInvoiceStatus(ctx, inv.ID, casestore.InvoiceOpen)
			}
		}
	case cs.Status == casestore.StatusOnHold && !stillOpen(nil):
		return tx.SetCaseStatus(ctx, cs.ID, casestore.StatusOpen)
	}
	return nil
}

func sameInvoice(a, b *int64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// disputeDecidedBy explains why dispute id cannot be resolved: who
// resolved it, and how, as the dossier records it.
func (c *Console) disputeDecidedBy(id int64) func(context.Context, *casestore.Handoff) string {
	return func(ctx context.Context, h *casestore.Handoff) string {
		ds, err := c.d.Store.Disputes(ctx, h.CaseID)
		d := findDispute(ds, id)
		if err != nil || d == nil {
			return "Deze betwisting is al afgehandeld."
		}
		how := disputeStatusText[d.Status]
		entries, err := c.d.Store.Dossier(ctx, h.CaseID, casestore.DossierQuery{Limit: 200, Kinds: []casestore.EntryKind{EntryDisputeResolved}})
		if err == nil {
			for _, e := range entries {
				var b struct {
					DisputeID int64 `json:"dispute_id"`
				}
				if json.Unmarshal(e.Body, &b) == nil && b.DisputeID == id {
					return fmt.Sprintf("Deze betwisting is al afgehandeld door %s (%s): %s.", c.actorName(ctx, e.Actor), datetime(e.At), how)
				}
			}
		}
		return "Deze betwisting is al afgehandeld: " + how + "."
	}
}

var disputeStatusText = map[casestore.DisputeStatus]string{
	casestore.DisputeOpen:     "ze staat nog open",
	casestore.DisputeUpheld:   "de debiteur kreeg gelijk",
	casestore.DisputeRejected: "de vordering bleef staan",
}
