package stripefake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	stripeapi "github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"
)

// Session is one Checkout Session the fake created, as the client asked.
type Session struct {
	ID            string
	URL           string
	PaymentIntent string // the PaymentIntent it will pay through
	AmountTotal   int64  // cents
	Currency      string
	Methods       []string // payment_method_types
	Locale        string
	Metadata      map[string]string
	SuccessURL    string
	Name          string // the line item's name
}

// Fake is a Stripe account on a local httptest server. Point the client
// under test at URL (stripe.Config.APIURL); it checks the secret key on
// every request, as Stripe does.
type Fake struct {
	URL           string
	SecretKey     string
	WebhookSecret string

	srv      *httptest.Server
	mu       sync.Mutex
	sessions []Session
	byKey    map[string]int // Idempotency-Key → index in sessions
	seq      int
}

// New starts a fake for the account with these keys; it stops when t ends.
func New(t testing.TB, secretKey, webhookSecret string) *Fake {
	f := &Fake{SecretKey: secretKey, WebhookSecret: webhookSecret, byKey: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/checkout/sessions", f.createSession)
	mux.HandleFunc("GET /checkout/{id}", f.checkoutPage)
	f.srv = httptest.NewServer(mux)
	f.URL = f.srv.URL
	t.Cleanup(f.srv.Close)
	return f
}

// Sessions returns the sessions created so far, oldest first.
func (f *Fake) Sessions() []Session {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Session(nil), f.sessions...)
}

// Session returns the session whose page is at url.
func (f *Fake) Session(t testing.TB, url string) Session {
	t.Helper()
	for _, s := range f.Sessions() {
		if s.URL == url {
			return s
		}
	}
	t.Fatalf("stripefake: no session at %s", url)
	return Session{}
}

func (f *Fake) createSession(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+f.SecretKey {
		writeError(w, http.StatusUnauthorized, "Invalid API Key provided")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, "unreadable form")
		return
	}
	form := r.PostForm
	amount, err := strconv.ParseInt(form.Get("line_items[0][price_data][unit_amount]"), 10, 64)
	switch {
	case err != nil || amount < 50:
		writeError(w, http.StatusBadRequest, "line_items[0][price_data][unit_amount] must be at least 50")
		return
	case form.Get("mode") != "payment":
		writeError(w, http.StatusBadRequest, "mode must be payment")
		return
	case form.Get("success_url") == "":
		writeError(w, http.StatusBadRequest, "success_url is required")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if i, ok := f.byKey[r.Header.Get("Idempotency-Key")]; ok && r.Header.Get("Idempotency-Key") != "" {
		writeJSON(w, http.StatusOK, sessionObject(f.sessions[i], "open", "unpaid"))
		return
	}
	f.seq++
	s := Session{ID: fmt.Sprintf("cs_test_%04d", f.seq), PaymentIntent: fmt.Sprintf("pi_test_%04d", f.seq),
		AmountTotal: amount, Currency: form.Get("line_items[0][price_data][currency]"), Locale: form.Get("locale"),
		SuccessURL: form.Get("success_url"), Name: form.Get("line_items[0][price_data][product_data][name]"),
		Metadata: map[string]string{}}
	s.URL = f.URL + "/checkout/" + s.ID
	for i := 0; form.Has("payment_method_types[" + strconv.Itoa(i) + "]"); i++ {
		s.Methods = append(s.Methods, form.Get("payment_method_types["+strconv.Itoa(i)+"]"))
	}
	for k, v := range form {
		if key, ok := strings.CutPrefix(k, "metadata["); ok {
			s.Metadata[strings.TrimSuffix(key, "]")] = v[0]
		}
	}
	f.sessions = append(f.sessions, s)
	f.byKey[r.Header.Get("Idempotency-Key")] = len(f.sessions) - 1
	writeJSON(w, http.StatusOK, sessionObject(s, "open", "unpaid"))
}

func (f *Fake) checkoutPage(w http.ResponseWriter, r *http.Request) {
	for _, s := range f.Sessions() {
		if s.ID == r.PathValue("id") {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, "<!doctype html><title>Stripe test checkout</title><p>%s: € %d.%02d (%s)</p>",
				html.EscapeString(s.Name), s.AmountTotal/100, s.AmountTotal%100, html.EscapeString(strings.Join(s.Methods, ", ")))
			return
		}
	}
	http.NotFound(w, r)
}

// sessionObject is a Checkout Session as Stripe's API shows it.
func sessionObject(s Session, status, paymentStatus string) map[string]any {
	var pi any
	if paymentStatus == "paid" {
		pi = s.PaymentIntent
	}
	return map[string]any{"id": s.ID, "object": "checkout.session", "url": s.URL, "amount_total": s.AmountTotal,
		"currency": s.Currency, "metadata": s.Metadata, "payment_intent": pi, "payment_method_types": s.Methods,
		"status": status, "payment_status": paymentStatus, "mode": "payment", "locale": s.Locale, "success_url": s.SuccessURL}
}

// Event is a webhook event the fake delivers.
type Event struct {
	ID     string
	Type   string
	Object map[string]any
}

// Completed is the checkout.session.completed event of session s, paid.
func (f *Fake) Completed(s Session) Event {
	return f.event("checkout.session.completed", sessionObject(s, "complete", "paid"))
}

// Refunded is the charge.refunded event of a fully refunded payment.
func (f *Fake) Refunded(s Session) Event {
	return f.event("charge.refunded", map[string]any{"id": "ch_" + s.PaymentIntent[3:], "object": "charge", "amount": s.AmountTotal,
		"amount_refunded": s.AmountTotal, "refunded": true, "payment_intent": s.PaymentIntent, "metadata": s.Metadata})
}

// Disputed is the charge.dispute.created event of a payment.
func (f *Fake) Disputed(s Session) Event {
	return f.event("charge.dispute.created", map[string]any{"id": "dp_" + s.PaymentIntent[3:], "object": "dispute", "amount": s.AmountTotal,
		"reason": "fraudulent", "status": "needs_response", "charge": "ch_" + s.PaymentIntent[3:], "payment_intent": s.PaymentIntent})
}

func (f *Fake) event(typ string, obj map[string]any) Event {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	return Event{ID: fmt.Sprintf("evt_test_%04d", f.seq), Type: typ, Object: obj}
}

// Payload is the event's JSON as Stripe sends it.
func (e Event) Payload() []byte {
	b, _ := json.Marshal(map[string]any{"id": e.ID, "object": "event", "api_version": stripeapi.APIVersion,
		"created": time.Now().Unix(), "type": e.Type, "livemode": false, "data": map[string]any{"object": e.Object}})
	return b
}

// Deliver POSTs e to url signed with the fake's webhook secret and
// returns the status, as Stripe delivers (and redelivers) an event.
func (f *Fake) Deliver(t testing.TB, url string, e Event) int {
	t.Helper()
	return f.DeliverSigned(t, url, e.Payload(), f.WebhookSecret)
}

// DeliverSigned POSTs payload signed with secret (a wrong secret forges it).
func (f *Fake) DeliverSigned(t testing.TB, url string, payload []byte, secret string) int {
	t.Helper()
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: time.Now()})
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Stripe-Signature", signed.Header)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("stripefake: deliver %s: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"type": "invalid_request_error", "message": msg}})
}
