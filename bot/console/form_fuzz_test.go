package console

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
	"github.com/shopspring/decimal"
)

// Whatever a collector types into a counter-offer's fields (terms, monthly
// amount, down payment, first date), the form is either read into a
// proposal that makes sense — whole cents, nothing negative, at most the
// collector's maximum of terms, a first date from today on — or refused
// with a sentence the collector can act on (ErrInvalid, never a panic).
func FuzzCounterForm(f *testing.F) {
	for _, s := range [][4]string{
		{"12", "", "", "2026-12-01"}, {"", "150,00", "50", "01-12-2026"}, {"", "€ 1.234,56", "", "1/12/2026"},
		{"0", "", "", ""}, {"-3", "", "", ""}, {"999999999999999999999", "", "", ""}, {"", "0", "", ""},
		{"", "-50", "", ""}, {"", "12,345", "", ""}, {"", "vijftig euro", "", "1.12.2026"}, {"6", "", "abc", ""},
		{"6", "", "", "31-02-2026"}, {"6", "", "", "2025-01-01"}, {"6", "", "", "31-12-26"}, {"6", "", "", "99999-01-01"},
		{"", "", "", ""},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	today := casestore.Date(2026, 11, 24)
	f.Fuzz(func(t *testing.T, terms, monthly, down, start string) {
		form := url.Values{"terms": {terms}, "monthly": {monthly}, "down": {down}, "start": {start}}
		r := httptest.NewRequest(http.MethodPost, "/console/handoffs/1/counter", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		p, err := counterForm(r, today)
		if err != nil {
			var fe formError
			if !errors.Is(err, casestore.ErrInvalid) || !errors.As(err, &fe) || strings.TrimSpace(string(fe)) == "" {
				t.Fatalf("refused with %v: want the collector's sentence (formError, ErrInvalid)", err)
			}
			return
		}
		if p.Terms < 0 || p.Terms > casestore.MaxCollectorTerms {
			t.Fatalf("terms %q read as %d", terms, p.Terms)
		}
		if p.Terms == 0 && !p.Monthly.IsPositive() {
			t.Fatalf("accepted neither terms nor a monthly amount: %+v", p)
		}
		for _, a := range []struct {
			name, typed string
			read        decimal.Decimal
		}{{"monthly", monthly, p.Monthly}, {"down", down, p.DownPayment}} {
			if a.read.IsNegative() || !a.read.Equal(a.read.Round(2)) {
				t.Fatalf("%s %q read as %s: want whole cents, not negative", a.name, a.typed, a.read)
			}
			if strings.TrimSpace(a.typed) == "" {
				if !a.read.IsZero() {
					t.Fatalf("empty %s read as %s", a.name, a.read)
				}
				continue
			}
			if again, ok := dialogs.ParseAmount(a.read.StringFixed(2)); !ok || !again.Equal(a.read) {
				t.Fatalf("%s %q read as %s, which does not read back", a.name, a.typed, a.read)
			}
		}
		if strings.TrimSpace(start) == "" {
			if !p.Start.IsZero() {
				t.Fatalf("no start date typed, got %v", p.Start)
			}
			return
		}
		if p.Start.Before(today) || !p.Start.Equal(casestore.Date(p.Start.Year(), p.Start.Month(), p.Start.Day())) || p.Start.Location() != time.UTC {
			t.Fatalf("start %q read as %v: want a calendar day from today on", start, p.Start)
		}
	})
}
