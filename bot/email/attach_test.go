package email_test

import (
	"context"
	"encoding/json"
	"github.com/incassobot/incassobot/bot/internal/pdftest"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/debtordocs"
	"github.com/incassobot/incassobot/casestore"
)

// The debtor asked for the specification and the invoice by e-mail: both
// arrive as attachments of one reply, the specification made from the
// case as it is, and the dossier says what was attached.
func TestAnEmailCarriesTheSpecificationAndTheInvoiceCopy(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	scan := []byte("%PDF-1.4\n%de factuur van de schuldeiser\n%%EOF\n")
	m := &casestore.Media{CaseID: f.c.ID, Channel: "import", ContentType: "application/pdf", Data: scan}
	if err := f.b.Store.AddMedia(ctx, m); err != nil {
		t.Fatal(err)
	}
	inv := f.c.Invoices[0]
	if err := f.b.Store.SetInvoiceDocument(ctx, inv.ID, m.ID); err != nil {
		t.Fatal(err)
	}
	f.outbox.Attach = &debtordocs.Service{Store: f.b.Store, Now: func() time.Time { return noon },
		Agency: debtordocs.Agency{Name: "Incassobureau Test B.V."}, Bank: debtordocs.Bank{IBAN: "NL91 ABNA 0417 1643 00", Holder: "Incassobureau Test B.V."}}
	sent := f.notify(bot.Notice{Text: "Hierbij de specificatie en de factuur die u vroeg.",
		Attachments: []string{bot.AttachSpecification, bot.AttachInvoice(inv.ID)}})
	if sent.Status != casestore.OutboundSent {
		t.Fatalf("status %s (%s), want sent", sent.Status, sent.LastError)
	}
	got := f.smtp.Messages()
	if len(got) != 1 {
		t.Fatalf("%d e-mails, want 1", len(got))
	}
	files := map[string][]byte{}
	for _, p := range got[0].Parts {
		if p.Filename != "" {
			if p.ContentType != "application/pdf" {
				t.Errorf("%s is %s, want application/pdf", p.Filename, p.ContentType)
			}
			files[p.Filename] = p.Data
		}
	}
	if !strings.Contains(got[0].Text(), "Hierbij de specificatie") {
		t.Errorf("text part %q", got[0].Text())
	}
	if string(files["factuur-"+inv.Number+".pdf"]) != string(scan) {
		t.Errorf("invoice attachment: %d bytes, want the creditor's copy; files %v", len(files["factuur-"+inv.Number+".pdf"]), keys(files))
	}
	spec := files["specificatie-IB-2026-000777.pdf"]
	if !strings.HasPrefix(string(spec), "%PDF-") {
		t.Fatalf("no specification attached; files %v", keys(files))
	}
	b, err := casestore.Balance(f.c, casestore.DayOf(noon))
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Folded(t, spec)
	open := "Openstaand: " + euro(b.Total.Open.StringFixed(2))
	if !strings.Contains(text, "Specificatie van uw dossier IB-2026-000777") || !strings.Contains(text, open) || !strings.Contains(text, "NL91 ABNA 0417 1643 00") {
		t.Errorf("specification text lacks the title, the open %s or the IBAN:\n%s", open, text)
	}
	out := f.dossier(casestore.EntryMessageOut)
	var body struct{ Attachments []string }
	if len(out) != 1 || json.Unmarshal(out[0].Body, &body) != nil || len(body.Attachments) != 2 {
		t.Errorf("message.out %s, want the two attachments named", out[0].Body)
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// euro writes "1461.15" as a Dutch letter does: € 1.461,15.
func euro(s string) string {
	whole, frac, _ := strings.Cut(s, ".")
	var groups []string
	for len(whole) > 3 {
		groups, whole = append([]string{whole[len(whole)-3:]}, groups...), whole[:len(whole)-3]
	}
	return "€ " + strings.Join(append([]string{whole}, groups...), ".") + "," + frac
}
