package portal

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/incassobot/incassobot/bot/api"
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

// pdfDoc writes the export with fpdf's core Helvetica, whose Windows-1252
// encoding has every character Dutch, French and the euro sign need; a
// character outside it prints as a question mark rather than breaking
// the file.
type pdfDoc struct {
	*fpdf.Fpdf
	tr func(string) string
}

const (
	pdfLine  = 4.6 // mm between lines of body text
	pdfWidth = 180 // A4 less 15 mm margins
)

func (d pdfDoc) font(style string, size float64) { d.SetFont("Helvetica", style, size) }

// para writes wrapped text at the current position.
func (d pdfDoc) para(style string, size float64, text string) {
	d.font(style, size)
	d.MultiCell(0, pdfLine, d.tr(text), "", "L", false)
}

func (d pdfDoc) heading(text string) {
	d.Ln(3)
	d.font("B", 12)
	d.CellFormat(0, 7, d.tr(text), "B", 1, "L", false, 0, "")
	d.Ln(1.5)
}

// row writes one table row of cells with the given widths; the last
// column wraps, the others are cut to their width.
func (d pdfDoc) row(style string, widths []float64, aligns string, cells ...string) {
	d.font(style, 8.5)
	for i, c := range cells {
		d.CellFormat(widths[i], 5, d.tr(c), "B", 0, string(aligns[i]), false, 0, "")
	}
	d.Ln(-1)
}

func writePDF(w *bytes.Buffer, data exportData) error {
	c := data.F.Case
	f := fpdf.New("P", "mm", "A4", "")
	d := pdfDoc{Fpdf: f, tr: f.UnicodeTranslatorFromDescriptor("")}
	f.SetMargins(15, 15, 15)
	f.SetAutoPageBreak(true, 18)
	f.SetTitle("Dossieroverzicht "+c.Ref, true)
	f.SetAuthor(data.Agency.Name, true)
	f.SetCreator("incassobot", true)
	f.SetCreationDate(data.ExportedAt)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetY(-13)
		d.font("", 8)
		f.CellFormat(120, 5, d.tr(data.Agency.Name+" · dossier "+c.Ref+" · "+dossierview.DateTime(data.ExportedAt)), "", 0, "L", false, 0, "")
		f.CellFormat(0, 5, d.tr(fmt.Sprintf("Pagina %d van {nb}", f.PageNo())), "", 0, "R", false, 0, "")
	})
	f.AddPage()

	// Letterhead.
	d.para("B", 14, data.Agency.Name)
	if data.Agency.Address != "" {
		d.para("", 9, data.Agency.Address)
	}
	var reg []string
	if data.Agency.KvK != "" {
		reg = append(reg, "KvK "+data.Agency.KvK)
	}
	if data.Agency.WKI != "" {
		reg = append(reg, "Wki-registratie "+data.Agency.WKI)
	}
	if len(reg) > 0 {
		d.para("", 9, strings.Join(reg, " · "))
	}
	f.Ln(4)
	d.para("B", 16, "Dossieroverzicht "+c.Ref)
	f.Ln(1)
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
	for _, kv := range facts {
		d.font("B", 9.5)
		f.CellFormat(45, pdfLine, d.tr(kv[0]), "", 0, "L", false, 0, "")
		d.para("", 9.5, kv[1])
	}

	// 1. Balance and its legal basis.
	if b := data.Balance; b != nil {
		d.heading("1. Saldo op " + dossierview.Day(b.AsOf))
		widths := []float64{30, 22, 21, 20, 23, 18, 22, 24}
		d.row("B", widths, "LLRRRRRR", "Factuur", "Vervaldatum", "Hoofdsom", "Rente", "Incassokosten", "Btw", "Betaald", "Open")
		for _, ib := range b.Invoices {
			d.row("", widths, "LLRRRRRR", ib.Number, dossierview.ShortDay(ib.DueDate), dossierview.Money(ib.Principal),
				dossierview.Money(ib.Interest), dossierview.Money(ib.Costs), dossierview.Money(ib.CostsVAT), dossierview.Money(ib.Paid), dossierview.Money(ib.Open))
		}
		t := b.Total
		d.row("B", widths, "LLRRRRRR", "Totaal", "", dossierview.Money(t.Principal), dossierview.Money(t.Interest),
			dossierview.Money(t.Costs), dossierview.Money(t.CostsVAT), dossierview.Money(t.Paid), dossierview.Money(t.Open))
		f.Ln(1)
		d.para("B", 10, "Openstaand: "+dossierview.Money(t.Open))
		if b.CostsFrom != nil {
			d.para("", 9.5, "Incassokosten mogen pas vanaf "+dossierview.Day(*b.CostsFrom)+" worden gerekend en zijn daarom niet meegeteld.")
		}
	} else {
		d.heading("1. Saldo")
		d.para("B", 9.5, data.BalanceError)
	}
	f.Ln(1)
	d.para("B", 9.5, "Grondslag")
	for _, l := range data.LegalBasis {
		d.para("", 9.5, "– "+l)
	}

	// 2. Invoices, 3. payments.
	d.heading("2. Facturen")
	iw := []float64{30, 70, 24, 24, 32}
	d.row("B", iw, "LLLLR", "Nummer", "Omschrijving", "Factuurdatum", "Vervaldatum", "Hoofdsom")
	for _, inv := range c.Invoices {
		d.row("", iw, "LLLLR", inv.Number, clip(inv.Description, 48), dossierview.ShortDay(inv.IssueDate), dossierview.ShortDay(inv.DueDate), dossierview.Money(inv.Principal))
	}
	d.heading("3. Betalingen")
	if len(c.Payments) == 0 {
		d.para("", 9.5, "Geen betalingen.")
	}
	for _, pm := range c.Payments {
		on := "oudste vordering eerst"
		if pm.InvoiceID != nil {
			on = "factuur " + data.Invoice[*pm.InvoiceID]
		}
		d.para("", 9.5, dossierview.Day(pm.ValueDate)+": "+dossierview.Money(pm.Amount)+" ("+on+")"+kenmerk(pm.Reference))
	}

	// 4. Plans and promises, 5. disputes, 6. files.
	d.heading("4. Betalingsregelingen en toezeggingen")
	if len(data.F.Plans) == 0 && len(data.F.Promises) == 0 {
		d.para("", 9.5, "Geen regelingen of toezeggingen.")
	}
	for i, pl := range data.F.Plans {
		d.para("B", 9.5, fmt.Sprintf("Regeling %d: %s, totaal %s, voorgesteld %s", i+1, strings.ToLower(dossierview.Label("plan", pl.Status)),
			dossierview.Money(pl.Total), dossierview.DateTime(pl.CreatedAt)))
		var terms []string
		for _, in := range pl.Installments {
			terms = append(terms, fmt.Sprintf("%d. %s %s", in.Seq, dossierview.ShortDay(in.Due), dossierview.Money(in.Amount)))
		}
		d.para("", 8.5, strings.Join(terms, "; "))
	}
	for _, pr := range data.F.Promises {
		d.para("", 9.5, "Toezegging van "+dossierview.DateTime(pr.CreatedAt)+": "+dossierview.Money(pr.Amount)+" uiterlijk "+
			dossierview.Day(pr.Date)+" ("+strings.ToLower(dossierview.Label("promise", pr.Status))+")")
	}
	d.heading("5. Betwistingen")
	if len(data.F.Disputes) == 0 {
		d.para("", 9.5, "Geen betwistingen.")
	}
	for _, ds := range data.F.Disputes {
		what := "het hele dossier"
		if ds.InvoiceID != nil {
			what = "factuur " + data.Invoice[*ds.InvoiceID]
		}
		d.para("B", 9.5, dossierview.DateTime(ds.CreatedAt)+": "+what+", "+strings.ToLower(dossierview.Label("reason", ds.Reason))+
			" ("+strings.ToLower(dossierview.Label("dispute", ds.Status))+")")
		if ds.Text != "" {
			d.para("I", 9.5, "“"+ds.Text+"”")
		}
	}
	d.heading("6. Bewijsstukken")
	if len(data.F.Media) == 0 {
		d.para("", 9.5, "Geen bestanden.")
	}
	for i, m := range data.F.Media {
		d.para("", 9, fmt.Sprintf("%d. %s, %s, ontvangen %s via %s; SHA-256 %s", i+1, mediafile.Label(m.ContentType), mediafile.Size(m.Size),
			dossierview.DateTime(m.CreatedAt), dossierview.Label("channel", m.Channel), m.SHA256))
	}

	// 7. The dossier, every entry in words, numbered in order.
	d.heading(fmt.Sprintf("7. Dossier, in volgorde van tijd (%d %s)", len(data.Entries), plural(len(data.Entries), "regel", "regels")))
	for i, e := range data.Entries {
		by := e.Who
		if e.Channel != "" {
			by += " via " + e.Channel
		}
		d.para("B", 9, fmt.Sprintf("%d. %s · %s", i+1, dossierview.DateTime(e.At), by))
		f.SetLeftMargin(22)
		d.para("", 9, e.Summary)
		if e.HasText {
			d.para("I", 9, "“"+e.Text+"”")
		}
		for _, fact := range e.Details {
			d.para("", 8.5, fact.Label+": "+fact.Value)
		}
		if len(e.Schedule) > 0 {
			d.para("", 8.5, "Betaalschema: "+e.ScheduleText())
		}
		f.SetLeftMargin(15)
		f.Ln(1)
	}
	if data.Head.Hash != "" {
		d.para("", 8.5, fmt.Sprintf("Hash-keten van het volledige dossier (met interne regels): %d regels, laatste SHA-256 %s. Controle: incassobot dossier verify --case %s.",
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

func kenmerk(ref string) string {
	if ref == "" {
		return ""
	}
	return ", kenmerk " + ref
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// clip shortens s to n characters for a table cell.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
