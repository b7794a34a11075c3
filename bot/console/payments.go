package console

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/payments"
	"github.com/incassobot/incassobot/casestore"
)

// A collector records a payment by hand (money the debtor says they
// transferred and the collector sees on the agency's account, cash at a
// visit): the same path as a provider's payment (bot/payments), with a
// private note. The form carries a key made when the page was drawn, so a
// form sent twice (a double click, a browser retry) records one payment.

var paymentNotices = map[string]string{
	"payment":           "De betaling is geregistreerd; de debiteur krijgt een bedankje met het nieuwe saldo.",
	"payment-paid":      "De betaling is geregistreerd en het dossier is volledig betaald; de debiteur krijgt een bedankje.",
	"payment-duplicate": "Deze betaling was al geregistreerd (formulier twee keer verstuurd); er is niets dubbel geboekt.",
}

// newPaymentKey names one drawing of the payment form.
func newPaymentKey() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// recordPayment: POST /console/handoffs/{id}/payments by the collector
// holding the chat. 303 back to the chat; 400 for wrong input, 403 when
// the chat is not theirs, 409 without a case.
func (c *Console) recordPayment(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me, _ := auth.UserFrom(ctx)
	id, ok := handoffID(w, r)
	if !ok {
		return
	}
	in, note, err := paymentForm(r)
	if err != nil {
		c.refuseInput(w, r, err)
		return
	}
	if in.ValueDate.After(casestore.DayOf(c.d.Now())) {
		c.refuseInput(w, r, formError("De datum van ontvangst ligt in de toekomst."))
		return
	}
	in.Actor, in.Channel = bot.CollectorActor(me.ID), "console"
	var res payments.Result
	var h *casestore.Handoff
	err = c.d.Store.InTx(ctx, func(tx casestore.Tx) error {
		held, err := tx.TouchHandoff(ctx, id, me.ID, c.d.Now(), c.d.Lease)
		if errors.Is(err, casestore.ErrConflict) {
			return errNotHolder
		}
		if err != nil {
			return err
		}
		if h = held; h.CaseID == 0 {
			return errNoCase
		}
		in.CaseID = h.CaseID
		res, err = payments.Record(ctx, tx, in, note, c.d.Now())
		return err
	})
	switch {
	case errors.Is(err, errNotHolder):
		c.refuse(w, r, http.StatusForbidden, "Niet toegestaan", id,
			"U heeft deze chat niet (meer) in behandeling, dus er is niets geboekt. Claim de chat eerst.")
		return
	case errors.Is(err, errNoCase):
		c.refuse(w, r, http.StatusConflict, "Niet gelukt", id, errNoCase.Error()+".")
		return
	case errors.Is(err, casestore.ErrInvalid):
		c.refuse(w, r, http.StatusBadRequest, "Niet geboekt", id, invalidText(err)+" Er is niets geboekt.")
		return
	case err != nil:
		c.fail(w, r, err, "de betaling registreren")
		return
	}
	done := "payment"
	switch {
	case res.Duplicate:
		done = "payment-duplicate"
	case res.Paid:
		done = "payment-paid"
	}
	if !res.Duplicate {
		if c.d.Wake != nil {
			c.d.Wake()
		}
		c.announce(ctx, bot.Activity{Kind: bot.ActivityDossier, Channel: h.Channel, Address: h.Address, CaseID: h.CaseID, HandoffID: h.ID, HeldBy: me.ID})
	}
	http.Redirect(w, r, fmt.Sprintf("/console/handoffs/%d?done=%s", id, done), http.StatusSeeOther)
}

// paymentForm reads the amount (as people type it), the value date
// (today when empty), the payer's reference, the note and the form's key.
func paymentForm(r *http.Request) (casestore.IncomingPayment, string, error) {
	var in casestore.IncomingPayment
	key := strings.TrimSpace(r.PostFormValue("key"))
	if len(key) != 32 || strings.Trim(key, "0123456789abcdef") != "" {
		return in, "", formError("Het formulier is verlopen; open de chat opnieuw.")
	}
	amount, err := formAmount(r, "amount", "Bedrag")
	if err != nil {
		return in, "", err
	}
	if !amount.IsPositive() {
		return in, "", formError("Vul het ontvangen bedrag in.")
	}
	if s := strings.TrimSpace(r.PostFormValue("value_date")); s != "" {
		if in.ValueDate, err = parseDay(s); err != nil {
			return in, "", formError(fmt.Sprintf("Datum %q: schrijf de datum als 31-12-2026.", s))
		}
	}
	if in.Reference, err = formNote(r, "reference"); err != nil {
		return in, "", err
	}
	note, err := formNote(r, "note")
	if err != nil {
		return in, "", err
	}
	in.Amount, in.Source, in.ExternalID = amount, casestore.SourceConsole, key
	return in, note, nil
}
