// Package casepdf lays out a case as a PDF (go-pdf/fpdf, A4): the parts
// the lawyer's export (bot/portal) and the debtor's specification
// (bot/debtordocs) share — letterhead, the balance with its legal basis,
// the invoices and the payments — so both documents show the same figures
// in the same form. What each adds (the lawyer's dossier and hash chain,
// the debtor's payment details) stays with its package.
package casepdf

import (
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/incassobot/incassobot/bot/internal/dossierview"
	"github.com/incassobot/incassobot/casestore"
)

// Agency is who sends the document, at its head.
type Agency struct {
	Name    string // AGENCY_NAME
	Address string // AGENCY_ADDRESS: one line
	KvK     string // AGENCY_KVK
	WKI     string // AGENCY_WKI: registration under the Wet kwaliteit incassodienstverlening
}

// Doc writes with the Go fonts (golang.org/x/image/font/gofont), embedded
// as UTF-8 TrueType: a debtor's or creditor's name with Turkish, Polish or
// other Latin, Greek or Cyrillic letters (ş, ğ, ı, ł, ż) prints as written.
// fpdf's core Helvetica knows only Windows-1252 and printed those as "?",
// which a lawyer's export must not do to a name or a quoted message.
// fpdf refuses characters beyond the Basic Multilingual Plane (emoji);
// those are written as their code point, "[U+1F44D]", so the text around
// them stays and the reader sees something was there.
type Doc struct {
	*fpdf.Fpdf
	tr func(string) string
}

const (
	Line  = 4.6 // mm between lines of body text
	Width = 180 // A4 less 15 mm margins
)

// New starts an A4 document with title, a footer "agency · dossier ref ·
// when" and page numbers "Pagina n van N", and its first page.
func New(title string, agency Agency, ref string, at time.Time) Doc {
	f := fpdf.New("P", "mm", "A4", "")
	f.AddUTF8FontFromBytes(fontFamily, "", goregular.TTF)
	f.AddUTF8FontFromBytes(fontFamily, "B", gobold.TTF)
	f.AddUTF8FontFromBytes(fontFamily, "I", goitalic.TTF) // quotes of what people wrote
	f.AddUTF8FontFromBytes(fontFamily, "BI", gobolditalic.TTF)
	d := Doc{Fpdf: f, tr: drawable}
	f.SetMargins(15, 15, 15)
	f.SetAutoPageBreak(true, 18)
	f.SetTitle(title, true)
	f.SetAuthor(agency.Name, true)
	f.SetCreator("incassobot", true)
	f.SetCreationDate(at)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetY(-13)
		d.Font("", 8)
		f.CellFormat(120, 5, d.tr(agency.Name+" · dossier "+ref+" · "+dossierview.DateTime(at)), "", 0, "L", false, 0, "")
		f.CellFormat(0, 5, d.tr(fmt.Sprintf("Pagina %d van {nb}", f.PageNo())), "", 0, "R", false, 0, "")
	})
	f.AddPage()
	return d
}

// drawable is s with every character beyond the Basic Multilingual Plane
// written as its code point.
func drawable(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r > 0xFFFF }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r > 0xFFFF {
			fmt.Fprintf(&b, "[U+%X]", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fontFamily is the name the Go fonts are registered under.
const fontFamily = "Go"

func (d Doc) Font(style string, size float64) { d.SetFont(fontFamily, style, size) }

// Para writes wrapped text at the current position.
func (d Doc) Para(style string, size float64, text string) {
	d.Font(style, size)
	d.MultiCell(0, Line, d.tr(text), "", "L", false)
}

// Heading writes a section heading, underlined.
func (d Doc) Heading(text string) {
	d.Ln(3)
	d.Font("B", 12)
	d.CellFormat(0, 7, d.tr(text), "B", 1, "L", false, 0, "")
	d.Ln(1.5)
}

// Row writes one table row of cells with the given widths, cut to them.
func (d Doc) Row(style string, widths []float64, aligns string, cells ...string) {
	d.Font(style, 8.5)
	for i, c := range cells {
		d.CellFormat(widths[i], 5, d.tr(c), "B", 0, string(aligns[i]), false, 0, "")
	}
	d.Ln(-1)
}

// Facts writes label–value lines.
func (d Doc) Facts(facts [][2]string) {
	for _, kv := range facts {
		d.Font("B", 9.5)
		d.CellFormat(45, Line, d.tr(kv[0]), "", 0, "L", false, 0, "")
		d.Para("", 9.5, kv[1])
	}
}

// Letterhead writes the agency's name, address and registrations, and the
// document's title under them.
func (d Doc) Letterhead(a Agency, title string) {
	d.Para("B", 14, a.Name)
	if a.Address != "" {
		d.Para("", 9, a.Address)
	}
	var reg []string
	if a.KvK != "" {
		reg = append(reg, "KvK "+a.KvK)
	}
	if a.WKI != "" {
		reg = append(reg, "Wki-registratie "+a.WKI)
	}
	if len(reg) > 0 {
		d.Para("", 9, strings.Join(reg, " · "))
	}
	d.Ln(4)
	d.Para("B", 16, title)
	d.Ln(1)
}

// Balance writes the balance per invoice and in total under heading
// (numbered by the caller), or problem when it could not be computed,
// then the legal basis it rests on.
func (d Doc) Balance(number string, b *casestore.Breakdown, problem string, basis []string) {
	if b != nil {
		d.Heading(number + " Saldo op " + dossierview.Day(b.AsOf))
		widths := []float64{30, 22, 21, 20, 23, 18, 22, 24}
		costs := "Incassokosten"
		if n := b.Explanation.CostsName; n != "" && n != "incassokosten" {
			costs = strings.ToUpper(n[:1]) + n[1:]
		}
		d.Row("B", widths, "LLRRRRRR", "Factuur", "Vervaldatum", "Hoofdsom", "Rente", costs, "Btw", "Betaald", "Open")
		for _, ib := range b.Invoices {
			d.Row("", widths, "LLRRRRRR", ib.Number, dossierview.ShortDay(ib.DueDate), dossierview.Money(ib.Principal),
				dossierview.Money(ib.Interest), dossierview.Money(ib.Costs), dossierview.Money(ib.CostsVAT), dossierview.Money(ib.Paid), dossierview.Money(ib.Open))
		}
		t := b.Total
		d.Row("B", widths, "LLRRRRRR", "Totaal", "", dossierview.Money(t.Principal), dossierview.Money(t.Interest),
			dossierview.Money(t.Costs), dossierview.Money(t.CostsVAT), dossierview.Money(t.Paid), dossierview.Money(t.Open))
		d.Ln(1)
		if t.Open.IsNegative() {
			d.Para("B", 10, "U heeft "+dossierview.Money(t.Open.Neg())+" te veel betaald.")
		} else {
			d.Para("B", 10, "Openstaand: "+dossierview.Money(t.Open))
		}
		if b.CostsFrom != nil {
			d.Para("", 9.5, "Incassokosten mogen pas vanaf "+dossierview.Day(*b.CostsFrom)+" worden gerekend en zijn daarom niet meegeteld.")
		}
	} else {
		d.Heading(number + " Saldo")
		d.Para("B", 9.5, problem)
	}
	d.Ln(1)
	d.Para("B", 9.5, "Grondslag")
	for _, l := range basis {
		d.Para("", 9.5, "– "+l)
	}
}

// Invoices lists the case's invoices.
func (d Doc) Invoices(number string, c *casestore.Case) {
	d.Heading(number + " Facturen")
	iw := []float64{30, 70, 24, 24, 32}
	d.Row("B", iw, "LLLLR", "Nummer", "Omschrijving", "Factuurdatum", "Vervaldatum", "Hoofdsom")
	for _, inv := range c.Invoices {
		d.Row("", iw, "LLLLR", inv.Number, Clip(inv.Description, 48), dossierview.ShortDay(inv.IssueDate), dossierview.ShortDay(inv.DueDate), dossierview.Money(inv.Principal))
	}
}

// Payments lists the case's payments; invoice names invoices by id.
func (d Doc) Payments(number string, c *casestore.Case, invoice map[int64]string) {
	d.Heading(number + " Betalingen")
	if len(c.Payments) == 0 {
		d.Para("", 9.5, "Geen betalingen.")
	}
	for _, pm := range c.Payments {
		on := "oudste vordering eerst"
		if pm.InvoiceID != nil {
			on = "factuur " + invoice[*pm.InvoiceID]
		}
		ref := ""
		if pm.Reference != "" {
			ref = ", kenmerk " + pm.Reference
		}
		d.Para("", 9.5, dossierview.Day(pm.ValueDate)+": "+dossierview.Money(pm.Amount)+" ("+on+")"+ref)
	}
}

// Clip shortens s to n characters for a table cell.
func Clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
