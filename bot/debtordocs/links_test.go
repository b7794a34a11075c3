package debtordocs_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/debtordocs"
	"github.com/incassobot/incassobot/bot/internal/pdftest"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/sqlite/sqlitetest"
	"github.com/incassobot/incassobot/casestore/storetest"
)

var (
	testNow  = time.Date(2026, time.March, 14, 10, 0, 0, 0, time.UTC)
	key      = []byte("0123456789abcdef0123456789abcdef-test-key")
	copyPDF  = []byte("%PDF-1.4\n%factuur F-1001\n%%EOF\n")
	testBank = debtordocs.Bank{IBAN: "NL91 ABNA 0417 1643 00", Holder: "Incassobureau Test B.V."}
)

type fixture struct {
	st    casestore.Store
	svc   *debtordocs.Service
	srv   *httptest.Server
	now   time.Time
	c     *casestore.Case
	other *casestore.Case
}

func newFixture(t *testing.T) *fixture {
	ctx := context.Background()
	st := sqlitetest.Open(t)
	f := &fixture{st: st, now: testNow}
	f.c = storetest.NewCase(t, st, "IB-2026-000777")
	f.other = storetest.NewCase(t, st, "IB-2026-000888")
	for _, c := range []*casestore.Case{f.c, f.other} {
		m := &casestore.Media{CaseID: c.ID, Channel: "import", ContentType: "application/pdf", Data: copyPDF}
		if err := st.AddMedia(ctx, m); err != nil {
			t.Fatal(err)
		}
		if err := st.SetInvoiceDocument(ctx, c.Invoices[0].ID, m.ID); err != nil {
			t.Fatal(err)
		}
	}
	f.c, _ = st.Case(ctx, f.c.ID)
	f.other, _ = st.Case(ctx, f.other.ID)
	f.svc = &debtordocs.Service{Store: st, Key: key, Now: func() time.Time { return f.now }, Bank: testBank,
		Agency: debtordocs.Agency{Name: "Incassobureau Test B.V.", Address: "Postbus 1, 3500 AA Utrecht", KvK: "12345678", WKI: "WKI-0001"}}
	f.srv = httptest.NewServer(f.svc.Handler())
	t.Cleanup(f.srv.Close)
	f.svc.PublicURL = f.srv.URL
	return f
}

func get(t *testing.T, u string) (int, string, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// The signed link opens the debtor's specification: the balance, its legal
// basis and how to pay, and nothing that is for the lawyer only.
func TestTheSpecificationLinkOpensTheDebtorsPDF(t *testing.T) {
	f := newFixture(t)
	u := f.svc.SpecificationURL(f.c)
	if !strings.HasPrefix(u, f.srv.URL+"/documenten/IB-2026-000777/specificatie.pdf?v=") || !strings.Contains(u, "&k=") {
		t.Fatalf("link %s", u)
	}
	code, ct, body := get(t, u)
	if code != 200 || ct != "application/pdf" {
		t.Fatalf("GET spec: %d %s", code, ct)
	}
	text := pdftest.Folded(t, body)
	b, err := casestore.Balance(f.c, casestore.DayOf(testNow))
	if err != nil {
		t.Fatal(err)
	}
	money := func(d interface{ StringFixed(int32) string }) string {
		s := d.StringFixed(2)
		whole, frac, _ := strings.Cut(s, ".")
		var g []string
		for len(whole) > 3 {
			g, whole = append([]string{whole[len(whole)-3:]}, g...), whole[:len(whole)-3]
		}
		return "€ " + strings.Join(append([]string{whole}, g...), ".") + "," + frac
	}
	for _, want := range []string{
		"Specificatie van uw dossier IB-2026-000777", "Incassobureau Test B.V.", "Wki-registratie WKI-0001",
		"Openstaand: " + money(b.Total.Open), money(b.Total.Principal), money(b.Total.Interest), money(b.Total.Costs),
		"F-1001", "F-1002", "wettelijke rente, art. 6:119 BW", "art. 6:96",
		"IBAN NL91 ABNA 0417 1643 00", "Ten name van Incassobureau Test B.V.", "Betalingskenmerk " + casestore.Betalingskenmerk(f.c.ID),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the specification lacks %q:\n%s", want, text)
		}
	}
	for _, internal := range []string{"Hash-keten", "SHA-256", "Dossier, in volgorde", "Bewijsstukken", "debiteurnummer"} {
		if strings.Contains(text, internal) {
			t.Errorf("the debtor's specification shows %q, which is for the lawyer", internal)
		}
	}
}

// A link works only as signed, for its own dossier and document, and
// only until it expires.
func TestDocumentLinksRefuseForgedOtherAndExpired(t *testing.T) {
	f := newFixture(t)
	spec := f.svc.SpecificationURL(f.c)
	inv := f.svc.InvoiceDocumentURL(f.c, f.c.Invoices[0])
	if inv == "" {
		t.Fatal("no link to an invoice with a copy")
	}
	if u := f.svc.InvoiceDocumentURL(f.c, f.c.Invoices[1]); u != "" {
		t.Errorf("an invoice without a copy has a link: %s", u)
	}
	code, ct, body := get(t, inv)
	if code != 200 || ct != "application/pdf" || string(body) != string(copyPDF) {
		t.Fatalf("invoice copy: %d %s %q", code, ct, body)
	}
	otherInvoice := strings.Replace(inv, "/factuur/"+itoa(f.c.Invoices[0].ID), "/factuur/"+itoa(f.other.Invoices[0].ID), 1)
	for _, tc := range []struct {
		name string
		url  string
		want int
	}{
		{"signature changed", spec[:len(spec)-2] + "xx", 404},
		{"another dossier, same signature", strings.Replace(spec, "IB-2026-000777", "IB-2026-000888", 1), 404},
		{"the invoice link for the specification", strings.Replace(inv, "/factuur/"+itoa(f.c.Invoices[0].ID), "/specificatie.pdf", 1), 404},
		{"another case's invoice", otherInvoice, 404},
		{"expiry moved", strings.Replace(spec, "?v=", "?v=9", 1), 404},
	} {
		if code, _, body := get(t, tc.url); code != tc.want || strings.Contains(string(body), "%PDF") {
			t.Errorf("%s: %d, want %d and no document", tc.name, code, tc.want)
		}
	}
	f.now = testNow.Add(debtordocs.DefaultTTL + time.Minute)
	code, _, page := get(t, spec)
	if code != http.StatusGone || !strings.Contains(string(page), "Deze link is verlopen") {
		t.Errorf("expired link: %d %q", code, page)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
