package console_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/casestore"
)

// A collector holding the chat records a payment with a note: one payment
// however often the form is sent, the balance goes down, the debtor is
// thanked on WhatsApp with the new balance, and the note stays private.
func TestCollectorRecordsAPayment(t *testing.T) {
	f := newFixture(t)
	b, chat := f.claimed("anna")
	_, page := b.get(chat)
	key := regexpFind(page, `name="key" value="([0-9a-f]{32})"`)
	if key == "" {
		t.Fatalf("the chat page has no payment form:\n%s", page)
	}
	before := f.openText()
	form := url.Values{"key": {key}, "amount": {"100,00"}, "reference": {"IB-2026-000777 termijn"},
		"note": {"Debiteur belde, rest volgt volgende maand"}}
	for i := range 2 { // a double click
		code, loc, body := b.post(chat+"/payments", form)
		if code != http.StatusSeeOther {
			t.Fatalf("record payment: %d\n%s", code, body)
		}
		want := "done=payment"
		if i == 1 {
			want = "done=payment-duplicate"
		}
		if !strings.HasSuffix(loc, want) {
			t.Errorf("sent %d: redirected to %s, want %s", i+1, loc, want)
		}
	}
	c := f.caseNow()
	if len(c.Payments) != 1 || c.Payments[0].Source != casestore.SourceConsole || c.Payments[0].Reference != "IB-2026-000777 termijn" {
		t.Fatalf("payments: %+v", c.Payments)
	}
	after := f.openText()
	if after == before {
		t.Errorf("open stayed %s", after)
	}
	out := f.outbox()
	last := out[len(out)-1]
	if !strings.Contains(last.Text, "€ 100,00") || !strings.Contains(last.Text, "Nog te betalen: "+after) {
		t.Errorf("thank-you %q lacks the amount or the new balance %s", last.Text, after)
	}
	if strings.Contains(last.Text, "rest volgt") {
		t.Error("the private note reached the debtor")
	}
	received := f.dossier(casestore.EntryPaymentReceived)
	if len(received) != 1 || received[0].Actor != casestore.Actor(fmt.Sprintf("collector:%d", f.users["anna"].ID)) {
		t.Fatalf("payment.received: %+v", received)
	}
	if notes := f.dossier(casestore.EntryNote); len(notes) != 1 || !strings.Contains(string(notes[0].Body), "rest volgt") {
		t.Errorf("notes: %+v", notes)
	}
	_, page = b.get(chat + "?done=payment")
	if !strings.Contains(page, "De betaling is geregistreerd") {
		t.Error("no notice after recording")
	}
}

func TestPaymentFormRefusals(t *testing.T) {
	f := newFixture(t)
	b, chat := f.claimed("anna")
	key := strings.Repeat("a1", 16)
	tests := []struct {
		name string
		form url.Values
		code int
		want string
	}{
		{"no amount", url.Values{"key": {key}}, http.StatusBadRequest, "Vul het ontvangen bedrag in"},
		{"not an amount", url.Values{"key": {key}, "amount": {"veel"}}, http.StatusBadRequest, "is geen bedrag"},
		{"negative", url.Values{"key": {key}, "amount": {"-5"}}, http.StatusBadRequest, "is geen bedrag"},
		{"four decimals", url.Values{"key": {key}, "amount": {"5,0001"}}, http.StatusBadRequest, "is geen bedrag"},
		{"zero", url.Values{"key": {key}, "amount": {"0,00"}}, http.StatusBadRequest, "Vul het ontvangen bedrag in"},
		{"future date", url.Values{"key": {key}, "amount": {"5"}, "value_date": {"2030-01-01"}}, http.StatusBadRequest, "toekomst"},
		{"bad date", url.Values{"key": {key}, "amount": {"5"}, "value_date": {"gisteren"}}, http.StatusBadRequest, "31-12-2026"},
		{"no key", url.Values{"amount": {"5"}}, http.StatusBadRequest, "verlopen"},
	}
	for _, tc := range tests {
		code, _, body := b.post(chat+"/payments", tc.form)
		if code != tc.code || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, want %d with %q\n%s", tc.name, code, tc.code, tc.want, body)
		}
	}
	// Another collector, not holding the chat, books nothing.
	other := f.login("bram")
	if code, _, _ := other.post(chat+"/payments", url.Values{"key": {key}, "amount": {"5"}}); code != http.StatusForbidden {
		t.Errorf("a collector not holding the chat: %d, want 403", code)
	}
	if c := f.caseNow(); len(c.Payments) != 0 {
		t.Errorf("payments after refusals: %d", len(c.Payments))
	}
}
