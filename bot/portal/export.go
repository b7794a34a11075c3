package portal

import (
	"net/http"
	"time"

	"github.com/incassobot/incassobot/bot/api"
	"github.com/incassobot/incassobot/casestore"
)

// The printable export: one document with everything a lawyer files about
// a case — who, what is owed to the cent and why, what was agreed or
// contested, and the whole dossier in order. It is the same reading as
// the JSON export (api.LoadExport), laid out for paper.

type exportData struct {
	Agency       string
	User         *casestore.User
	F            *casestore.CaseFile
	Balance      *casestore.Breakdown
	BalanceError string
	Invoice      map[int64]string
	Entries      []entryLine // oldest first
	ExportedAt   time.Time
	Back         string
	// Head is where the case's hash chain stood (casestore/chain.go), so a
	// later copy or `incassobot dossier verify` can be compared with paper.
	Head casestore.ChainHead
}

func (p *Portal) export(w http.ResponseWriter, r *http.Request) {
	f, entries, err := api.LoadExport(r.Context(), p.d.Store, scope(r), r.PathValue("ref"))
	if err != nil {
		p.fail(w, r, err)
		return
	}
	now := p.d.Now()
	data := exportData{Agency: p.d.Agency, User: p.base(r).User, F: f, Invoice: map[int64]string{},
		ExportedAt: now, Back: casePath(f.Case.Ref)}
	for _, inv := range f.Case.Invoices {
		data.Invoice[inv.ID] = inv.Number
	}
	if b, err := casestore.Balance(f.Case, now); err != nil {
		data.BalanceError = err.Error()
	} else {
		data.Balance = &b
	}
	for _, e := range entries {
		data.Entries = append(data.Entries, newEntryLine(e))
	}
	// The case was found in the reader's scope just above.
	if data.Head, err = p.d.Store.DossierHead(r.Context(), f.Case.ID); err != nil {
		p.fail(w, r, err)
		return
	}
	p.render(w, http.StatusOK, "export", data)
}
