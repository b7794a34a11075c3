package portal

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/incassobot/incassobot/bot/api"
	"github.com/incassobot/incassobot/bot/internal/casepdf"
	"github.com/incassobot/incassobot/bot/internal/dossierview"
	"github.com/incassobot/incassobot/bot/internal/mediafile"
)

// exportPDF is the printable export as a PDF file: what a lawyer attaches
// to a summons. It reads exactly what the HTML export reads (loadExport)
// and is laid out by go-pdf/fpdf on A4, with page numbers.
func (p *Portal) exportPDF(w http.ResponseWriter, r *http.Request) {
	data, ok := p.loadExport(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := writePDF(&buf, data); err != nil {
		p.d.Log.Error("portal: write the PDF export", "case", data.F.Case.Ref, "err", err)
		p.message(w, r, http.StatusInternalServerError, "Er ging iets mis", "De PDF kon nu niet worden gemaakt; probeer het zo opnieuw of druk de export af.")
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="dossier-`+api.FileSafe(data.F.Case.Ref)+`.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

func writePDF(w *bytes.Buffer, data exportData) error {
	c := data.F.Case
	d := casepdf.New("Dossieroverzicht "+c.Ref, casepdf.Agency(data.Agency), c.Ref, data.ExportedAt)
	f := d.Fpdf
	d.Letterhead(casepdf.Agency(data.Agency), "Dossieroverzicht "+c.Ref)
	facts := [][2]string{
		{"Dossiernummer", c.Ref},
		{"Opdrachtgever", c.Creditor.Name + " (" + c.Creditor.Code + ")"},
		{"Debiteur", debtorLine(data)},
		{"Regime en fase", dossierview.Label("regime", c.Regime) + " · " + dossierview.Label("stage", c.Stage) + " · status " + strings.ToLower(dossierview.Label("status", c.Status))},
		{"Datum van dit overzicht", dossierview.DateTime(data.ExportedAt) + " (Europe/Amsterdam)"},
	}
	if c.LetterSentOn != nil {
		facts = append(facts, [2]string{"Brief verstuurd", dossierview.Day(*c.LetterSentOn)})
	}
	d.Facts(facts)

	// 1. Balance and its legal basis, 2. invoices, 3. payments: the
	// debtor's specification shows the same (bot/debtordocs).
	d.Balance("1.", data.Balance, data.BalanceError, data.LegalBasis)
	d.Invoices("2.", c)
	d.Payments("3.", c, data.Invoice)

	// 4. Plans and promises, 5. disputes, 6. files.
	d.Heading("4. Betalingsregelingen en toezeggingen")
	if len(data.F.Plans) == 0 && len(data.F.Promises) == 0 {
		d.Para("", 9.5, "Geen regelingen of toezeggingen.")
	}
	for i, pl := range data.F.Plans {
		d.Para("B", 9.5, fmt.Sprintf("Regeling %d: %s, totaal %s, voorgesteld %s", i+1, strings.ToLower(dossierview.Label("plan", pl.Status)),
			dossierview.Money(pl.Total), dossierview.DateTime(pl.CreatedAt)))
		var terms []string
		for _, in := range pl.Installments {
			terms = append(terms, fmt.Sprintf("%d. %s %s", in.Seq, dossierview.ShortDay(in.Due), dossierview.Money(in.Amount)))
		}
		d.Para("", 8.5, strings.Join(terms, "; "))
	}
	for _, pr := range data.F.Promises {
		d.Para("", 9.5, "Toezegging van "+dossierview.DateTime(pr.CreatedAt)+": "+dossierview.Money(pr.Amount)+" uiterlijk "+
			dossierview.Day(pr.Date)+" ("+strings.ToLower(dossierview.Label("promise", pr.Status))+")")
	}
	d.Heading("5. Betwistingen")
	if len(data.F.Disputes) == 0 {
		d.Para("", 9.5, "Geen betwistingen.")
	}
	for _, ds := range data.F.Disputes {
		what := "het hele dossier"
		if ds.InvoiceID != nil {
			what = "factuur " + data.Invoice[*ds.InvoiceID]
		}
		d.Para("B", 9.5, dossierview.DateTime(ds.CreatedAt)+": "+what+", "+strings.ToLower(dossierview.Label("reason", ds.Reason))+
			" ("+strings.ToLower(dossierview.Label("dispute", ds.Status))+")")
		if ds.Text != "" {
			d.Para("I", 9.5, "“"+ds.Text+"”")
		}
	}
	d.Heading("6. Bewijsstukken")
	if len(data.F.Media) == 0 {
		d.Para("", 9.5, "Geen bestanden.")
	}
	for i, m := range data.F.Media {
		d.Para("", 9, fmt.Sprintf("%d. %s, %s, ontvangen %s via %s; SHA-256 %s", i+1, mediafile.Label(m.ContentType), mediafile.Size(m.Size),
			dossierview.DateTime(m.CreatedAt), dossierview.Label("channel", m.Channel), m.SHA256))
	}

	// 7. The dossier, every entry in words, numbered in order.
	d.Heading(fmt.Sprintf("7. Dossier, in volgorde van tijd (%d %s)", len(data.Entries), plural(len(data.Entries), "regel", "regels")))
	for i, e := range data.Entries {
		by := e.Who
		if e.Channel != "" {
			by += " via " + e.Channel
		}
		d.Para("B", 9, fmt.Sprintf("%d. %s · %s", i+1, dossierview.DateTime(e.At), by))
		f.SetLeftMargin(22)
		d.Para("", 9, e.Summary)
		if e.HasText {
			d.Para("I", 9, "“"+e.Text+"”")
		}
		for _, fact := range e.Details {
			d.Para("", 8.5, fact.Label+": "+fact.Value)
		}
		if len(e.Schedule) > 0 {
			d.Para("", 8.5, "Betaalschema: "+e.ScheduleText())
		}
		f.SetLeftMargin(15)
		f.Ln(1)
	}
	if data.Head.Hash != "" {
		d.Para("", 8.5, fmt.Sprintf("Hash-keten van het volledige dossier (met interne regels): %d regels, laatste SHA-256 %s. Controle: incassobot dossier verify --case %s.",
			data.Head.Seq, data.Head.Hash, data.F.Case.Ref))
	}
	return f.Output(w)
}

func debtorLine(data exportData) string {
	db := data.F.Case.Debtor
	s := db.Name
	if db.IsCompany {
		s += " (bedrijf)"
	}
	s += ", debiteurnummer " + db.Ref
	if db.Postcode != "" {
		s += ", postcode " + db.Postcode
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
