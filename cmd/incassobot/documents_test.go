package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/debtordocs"
	"github.com/incassobot/incassobot/casestore/sqlite"
)

// The debtor's specification, opened through its signed link on a running
// server, shows the figures `incassobot balance` gives for the case, to
// the cent; the invoice copy the import delivered opens through its link.
func TestTheDebtorsSpecificationEqualsBalance(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing; run scripts/ensure-services.sh (Debian poppler-utils)")
		}
		t.Skip("pdftotext is missing")
	}
	ctx := context.Background()
	te := newTestEnv(t)
	dir := t.TempDir()
	scan := []byte("%PDF-1.4\n%factuur E-1\n%%EOF\n")
	if err := os.WriteFile(filepath.Join(dir, "E-1.pdf"), scan, 0o644); err != nil {
		t.Fatal(err)
	}
	csv := "dossier,regime,letter_sent_on,creditor_code,creditor_name,debtor_ref,debtor_name,debtor_email,debtor_postcode,invoice_number,invoice_issue_date,invoice_due_date,invoice_principal,invoice_document\n" +
		"IB-2026-000950,nl-b2c,2026-02-02,ENERGIEDIRECT,Energie Direct B.V.,ED-1,Pieter van den Berg,pieter@example.test,3512 JK,E-1,2025-11-01,2025-11-30,2187.43,E-1.pdf\n" +
		"IB-2026-000950,nl-b2c,2026-02-02,ENERGIEDIRECT,Energie Direct B.V.,ED-1,Pieter van den Berg,pieter@example.test,3512 JK,E-2,2025-12-01,2025-12-31,203.17,\n"
	file := filepath.Join(dir, "cases.csv")
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := te.run(ctx, "import", file); err != nil {
		t.Fatalf("import: %v\n%s", err, te.stderr.String())
	}
	te.stdout = &syncBuffer{}
	if err := te.run(ctx, "balance", "--case", "IB-2026-000950", "--json"); err != nil {
		t.Fatalf("balance: %v", err)
	}
	type amounts struct {
		Principal, Interest, Costs json.Number
		CostsVAT                   json.Number `json:"costs_vat"`
		Paid, Open                 json.Number
	}
	var bal struct {
		Invoices []struct {
			Number string
			amounts
		}
		Total amounts
	}
	dec := json.NewDecoder(strings.NewReader(te.stdout.String()))
	dec.UseNumber()
	if err := dec.Decode(&bal); err != nil || len(bal.Invoices) != 2 {
		t.Fatalf("balance --json: %v\n%s", err, te.stdout.String())
	}

	te.stdout = &syncBuffer{}
	te.vars["ADDR"] = "127.0.0.1:0"
	te.vars["PUBLIC_URL"] = "https://bot.example.test"
	te.vars["DOCUMENT_LINK_KEY"] = strings.Repeat("k3y", 12)
	te.vars["AGENCY_NAME"] = "Incassobureau Test B.V."
	te.vars["AGENCY_IBAN"] = "nl91abna0417164300"
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- te.run(sctx, "serve") }()
	addr := waitForAddr(t, te.stdout, done)
	defer func() {
		cancel()
		<-done
	}()

	// The links as the bot makes them: same key, same clock.
	st, err := sqlite.Open(ctx, te.vars["INCASSOBOT_DB"])
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.CaseByRef(ctx, "IB-2026-000950")
	if err != nil {
		t.Fatal(err)
	}
	links := &debtordocs.Service{Key: []byte(te.vars["DOCUMENT_LINK_KEY"]), PublicURL: addr, Now: func() time.Time { return te.now }}
	fetch := func(u string) (int, []byte) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	code, pdf := fetch(links.SpecificationURL(c))
	if code != 200 {
		t.Fatalf("specification: %d %s", code, pdf)
	}
	pdfFile := filepath.Join(t.TempDir(), "spec.pdf")
	if err := os.WriteFile(pdfFile, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", pdfFile, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(out), "\n")
	row := func(first string) []string {
		for _, l := range lines {
			if f := strings.Fields(l); len(f) > 0 && f[0] == first {
				return f
			}
		}
		t.Fatalf("no row %q in the specification:\n%s", first, out)
		return nil
	}
	// A row reads "E-1 30-11-2025 € 2.187,43 € … …": the amounts in the
	// balance's order (principal, interest, costs, VAT, paid, open).
	check := func(label string, f []string, a amounts) {
		var got []string
		for i := 0; i < len(f); i++ {
			if f[i] == "€" && i+1 < len(f) {
				got = append(got, strings.NewReplacer(".", "", ",", ".").Replace(f[i+1]))
			}
		}
		want := []string{string(a.Principal), string(a.Interest), string(a.Costs), string(a.CostsVAT), string(a.Paid), string(a.Open)}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: the specification says %v, balance says %v", label, got, want)
		}
	}
	for _, inv := range bal.Invoices {
		check(inv.Number, row(inv.Number), inv.amounts)
	}
	check("total", row("Totaal"), bal.Total)
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"IBAN NL91 ABNA 0417 1643 00", "Ten name van Incassobureau Test B.V.", "Betalingskenmerk"} {
		if !strings.Contains(text, want) {
			t.Errorf("the specification lacks %q", want)
		}
	}

	var withCopy, without = c.Invoices[0], c.Invoices[1]
	if withCopy.Number != "E-1" {
		withCopy, without = without, withCopy
	}
	if links.InvoiceDocumentURL(c, without) != "" {
		t.Error("E-2 came without a copy but has a link")
	}
	if code, got := fetch(links.InvoiceDocumentURL(c, withCopy)); code != 200 || string(got) != string(scan) {
		t.Errorf("invoice copy: %d, %d bytes; want the imported file", code, len(got))
	}
}

// A short link key, a link key without PUBLIC_URL and a mistyped IBAN are
// refused at start-up, all at once.
func TestDocumentSettingsAreChecked(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"DOCUMENT_LINK_KEY": "too-short", "AGENCY_IBAN": "NL91 ABNA 0417 1643 01"}
	_, err := loadConfig(func(k string) string { return vars[k] })
	for _, want := range []string{"DOCUMENT_LINK_KEY: at least 32", "PUBLIC_URL: required with DOCUMENT_LINK_KEY", "AGENCY_IBAN"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("config error %v, want it to name %q", err, want)
		}
	}
	vars = map[string]string{"AGENCY_IBAN": "be68 5390 0754 7034", "AGENCY_NAME": "Incasso BV"}
	c, err := loadConfig(func(k string) string { return vars[k] })
	if err != nil || c.Documents.Bank.IBAN != "BE68 5390 0754 7034" || c.Documents.Bank.Holder != "Incasso BV" {
		t.Errorf("a good Belgian IBAN: %+v, %v", c.Documents.Bank, err)
	}
}
