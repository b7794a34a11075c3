package payments

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// PayLinks gives every case a payment link of the agency's own,
// PUBLIC_URL/pay/REF?k=…, which opens an online checkout (Checkout) for
// what is due when the debtor follows it: the next installment of an
// active plan, else the open balance. The link is signed (HMAC-SHA256 of
// the dossier number), so nobody can open a checkout, and read a debtor's
// amount and creditor, by guessing dossier numbers.
type PayLinks struct {
	Store     casestore.Store
	Checkout  Checkout
	Key       []byte // signs links; at least 32 bytes
	PublicURL string // e.g. https://bot.example.nl
	Now       func() time.Time
	Log       *slog.Logger
}

func (p *PayLinks) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *PayLinks) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.Default()
}

// sign is the link's key for a dossier number.
func (p *PayLinks) sign(ref string) string {
	m := hmac.New(sha256.New, p.Key)
	m.Write([]byte("paylink\x00" + ref))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// URL is case c's payment link. The dialogs put "{ref}" in a creditor's
// payment URL to place the dossier number: so does this one.
func (p *PayLinks) URL(c *casestore.Case) string {
	return p.PublicURL + "/pay/{ref}?k=" + p.sign(c.Ref)
}

// Handler serves GET /pay/{ref} (to the checkout) and GET /pay/{ref}/done
// (where the checkout returns).
func (p *PayLinks) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /pay/{ref}", p.pay)
	mux.HandleFunc("GET /pay/{ref}/done", func(w http.ResponseWriter, r *http.Request) {
		page(w, http.StatusOK, pageDone)
	})
	return mux
}

func (p *PayLinks) pay(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	if !hmac.Equal([]byte(p.sign(ref)), []byte(r.URL.Query().Get("k"))) {
		page(w, http.StatusNotFound, pageInvalid)
		return
	}
	ctx := r.Context()
	c, err := p.Store.CaseByRef(ctx, ref)
	if errors.Is(err, casestore.ErrNotFound) {
		page(w, http.StatusNotFound, pageInvalid)
		return
	}
	if err != nil {
		p.log().Error("pay link: read case", "err", err)
		page(w, http.StatusServiceUnavailable, pageBusy)
		return
	}
	o, err := p.order(ctx, c)
	if errors.Is(err, errNothingDue) {
		page(w, http.StatusOK, pageNothingDue)
		return
	}
	if err != nil {
		p.log().Error("pay link: what is due", "case", c.Ref, "err", err)
		page(w, http.StatusServiceUnavailable, pageBusy)
		return
	}
	u, err := p.Checkout.CheckoutURL(ctx, o)
	if err != nil {
		p.log().Error("pay link: create checkout", "case", c.Ref, "err", err)
		page(w, http.StatusBadGateway, pageBusy)
		return
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

var errNothingDue = errors.New("nothing is due")

// order is what the debtor pays now: the first unsettled installment of
// an active plan (at most what is open), else everything open.
func (p *PayLinks) order(ctx context.Context, c *casestore.Case) (Order, error) {
	b, err := casestore.Balance(c, casestore.DayOf(p.now()))
	if err != nil {
		return Order{}, err
	}
	open := casestore.RoundCents(b.Total.Open)
	if !open.IsPositive() || c.Status == casestore.StatusClosed {
		return Order{}, errNothingDue
	}
	o := Order{CaseID: c.ID, CaseRef: c.Ref, Amount: open, Country: country(c.Regime), Language: c.Debtor.Language, Purpose: "balance",
		SuccessURL: p.PublicURL + "/pay/" + url.PathEscape(c.Ref) + "/done", CancelURL: p.PublicURL + "/pay/" + url.PathEscape(c.Ref) + "/done"}
	plans, err := p.Store.Plans(ctx, c.ID)
	if err != nil {
		return Order{}, err
	}
	for _, plan := range plans {
		if plan.Status != casestore.PlanActive {
			continue
		}
		n := casestore.PlanSettled(plan, casestore.PaidTowards(plan, c.Payments))
		if n < len(plan.Installments) {
			in := plan.Installments[n]
			o.Amount, o.Purpose = decimal.Min(in.Amount, open), "installment-"+strconv.Itoa(in.Seq)
		}
	}
	o.Description = description(o, c)
	return o, nil
}

func country(r casestore.Regime) string {
	if r == casestore.BEB2C || r == casestore.BEB2B {
		return "BE"
	}
	return "NL"
}

// description is the payment page's line, in the debtor's language.
func description(o Order, c *casestore.Case) string {
	what := map[casestore.Language]string{casestore.English: "File %s for %s", casestore.French: "Dossier %s pour %s"}[o.Language]
	if what == "" {
		what = "Dossier %s voor %s"
	}
	return fmt.Sprintf(what, c.Ref, c.Creditor.Name)
}

// The pay pages speak to a debtor who may not read Dutch: short, in all
// three languages.
const (
	pageInvalid    = "Deze betaallink is niet (meer) geldig. Vraag in de chat om een nieuwe link.|This payment link is not valid (any more). Ask for a new link in the chat.|Ce lien de paiement n'est pas (plus) valable. Demandez un nouveau lien dans le chat."
	pageBusy       = "Betalen lukt nu even niet. Probeer het over een paar minuten opnieuw.|Payment is not possible right now. Please try again in a few minutes.|Le paiement n'est pas possible pour le moment. Réessayez dans quelques minutes."
	pageNothingDue = "Er staat in dit dossier niets meer open. Dank u wel.|Nothing is open in this file any more. Thank you.|Plus rien n'est dû dans ce dossier. Merci."
	pageDone       = "Dank u wel. Zodra uw betaling binnen is, krijgt u een bevestiging in de chat.|Thank you. As soon as your payment is in, you will get a confirmation in the chat.|Merci. Dès réception de votre paiement, vous recevrez une confirmation dans le chat."
)

var pageTemplate = template.Must(template.New("pay").Parse(`<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Betalen · Payment · Paiement</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36em; margin: 2em auto; padding: 0 1em; line-height: 1.5">
<p lang="nl">{{index . 0}}</p><p lang="en">{{index . 1}}</p><p lang="fr">{{index . 2}}</p>
</body></html>`))

func page(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	pageTemplate.Execute(w, strings.SplitN(text, "|", 3))
}
