package portal

import (
	"net/http"
	"time"

	"github.com/incassobot/incassobot/bot/api"
	"github.com/incassobot/incassobot/bot/internal/dossierview"
	"github.com/incassobot/incassobot/casestore"
)

// The printable export: one document with everything a lawyer files about
// a case — who sends it, who owes what to the cent and on what legal
// basis, what was agreed or contested, and the whole dossier in order,
// every entry in words and numbered 1…N. It is the same reading as the
// JSON export (api.LoadExport), laid out for paper: as an HTML page that
// prints with page numbers, and as a PDF (export_pdf.go).

// Agency is who collects, at the head of every export: a court wants to
// know which registered agency speaks.
type Agency struct {
	Name    string // AGENCY_NAME
	Address string // AGENCY_ADDRESS: one line, "Postbus 1, 3500 AA Utrecht"
	KvK     string // AGENCY_KVK: the trade register (KvK / KBO) number
	WKI     string // AGENCY_WKI: the registration number under the Wet kwaliteit incassodienstverlening
}

type exportData struct {
	Agency       Agency
	User         *casestore.User
	F            *casestore.CaseFile
	Balance      *casestore.Breakdown
	BalanceError string
	LegalBasis   []string
	Invoice      map[int64]string
	Entries      []dossierview.Entry // oldest first; numbered by position, never by id
	ExportedAt   time.Time
	Back, PDF    string
	// Head is where the case's hash chain stood (casestore/chain.go), so a
	// later copy or `incassobot dossier verify` can be compared with paper.
	Head casestore.ChainHead
}

// loadExport reads everything the export shows, or answers the failure.
func (p *Portal) loadExport(w http.ResponseWriter, r *http.Request) (exportData, bool) {
	f, entries, err := api.LoadExport(r.Context(), p.d.Store, scope(r), r.PathValue("ref"))
	if err != nil {
		p.fail(w, r, err)
		return exportData{}, false
	}
	now := p.d.Now()
	path := casePath(f.Case.Ref)
	data := exportData{Agency: p.d.Agency, User: p.base(r).User, F: f, Invoice: dossierview.InvoicesOf(f.Case),
		LegalBasis: dossierview.LegalBasis(f.Case.Regime), ExportedAt: now, Back: path, PDF: path + "/export.pdf"}
	data.Balance, data.BalanceError = p.balance(f.Case, now)
	for _, e := range entries {
		data.Entries = append(data.Entries, dossierview.Describe(e, data.Invoice))
	}
	// The case was found in the reader's scope just above.
	if data.Head, err = p.d.Store.DossierHead(r.Context(), f.Case.ID); err != nil {
		p.fail(w, r, err)
		return exportData{}, false
	}
	return data, true
}

func (p *Portal) export(w http.ResponseWriter, r *http.Request) {
	if data, ok := p.loadExport(w, r); ok {
		p.render(w, http.StatusOK, "export", data)
	}
}
