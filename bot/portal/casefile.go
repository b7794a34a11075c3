package portal

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot/api"
	"github.com/incassobot/incassobot/bot/internal/dossierview"
	"github.com/incassobot/incassobot/bot/internal/mediafile"
	"github.com/incassobot/incassobot/casestore"
)

// entriesPerPage is one page of a case's conversation or dossier.
const entriesPerPage = 25

// The two views of a case's log: the conversation (what the debtor wrote
// and was told) and the whole dossier (every decision and note as well).
const (
	viewConversation = "gesprek"
	viewDossier      = "dossier"
)

var conversationKinds = []casestore.EntryKind{casestore.EntryMessageIn, casestore.EntryMessageOut}

type caseData struct {
	base
	F            *casestore.CaseFile
	Balance      *casestore.Breakdown
	BalanceError string
	Invoice      map[int64]string // invoice numbers by id, for disputes and payments
	View, Search string
	Entries      []dossierview.Entry
	Older        string // link to the next (older) page; "" on the last
	Newest       string // link back to the first page; "" on it
	Path         string // this case's page
	ExportHTML   string
	ExportPDF    string
	ExportJSON   string
}

// casePath is a case's page.
func casePath(ref string) string { return "/portal/cases/" + url.PathEscape(ref) }

// caseFile shows one case: its facts, balance, disputes, plans, files and
// one page of its conversation or dossier.
func (p *Portal) caseFile(w http.ResponseWriter, r *http.Request) {
	ctx, ref, v := r.Context(), r.PathValue("ref"), r.URL.Query()
	f, err := p.d.Store.CaseIn(ctx, scope(r), ref)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	path := casePath(f.Case.Ref)
	data := caseData{base: p.base(r), F: f, View: viewConversation, Search: strings.TrimSpace(v.Get("search")),
		Invoice: map[int64]string{}, Path: path, ExportHTML: path + "/export.html", ExportPDF: path + "/export.pdf",
		ExportJSON: api.CasePath(f.Case.Ref) + "/export"}
	if v.Get("view") == viewDossier {
		data.View = viewDossier
	}
	for _, inv := range f.Case.Invoices {
		data.Invoice[inv.ID] = inv.Number
	}
	data.Balance, data.BalanceError = p.balance(f.Case, p.d.Now())
	q := casestore.DossierQuery{Search: data.Search, Limit: entriesPerPage}
	if n, err := strconv.ParseInt(v.Get("before"), 10, 64); err == nil && n > 0 {
		q.BeforeID = n
	}
	if data.View == viewConversation {
		q.Kinds = conversationKinds
	}
	entries, next, err := api.ReadDossierPage(ctx, p.d.Store, scope(r), f.Case.Ref, q)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	inv := dossierview.InvoicesOf(f.Case)
	for _, e := range entries {
		data.Entries = append(data.Entries, dossierview.Describe(e, inv))
	}
	link := func(before int64) string {
		u := url.Values{"view": {data.View}}
		if data.Search != "" {
			u.Set("search", data.Search)
		}
		if before > 0 {
			u.Set("before", strconv.FormatInt(before, 10))
		}
		return path + "?" + u.Encode() + "#log"
	}
	if next > 0 {
		data.Older = link(next)
	}
	if q.BeforeID > 0 {
		data.Newest = link(0)
	}
	p.render(w, http.StatusOK, "case", data)
}

// media serves one of the case's evidence files, when the reader sees the
// case and the file belongs to it.
func (p *Portal) media(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		p.fail(w, r, casestore.ErrNotFound)
		return
	}
	m, err := p.d.Store.MediaIn(r.Context(), scope(r), r.PathValue("ref"), id)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !mediafile.Serve(w, r, m) {
		p.d.Log.Warn("portal: stored file of an unknown type", "media", m.ID)
		p.fail(w, r, casestore.ErrNotFound)
	}
}

// balance is the case's balance as of now, or why it cannot be computed
// in words a reader understands (the rules' own reason goes to the log).
func (p *Portal) balance(c *casestore.Case, now time.Time) (*casestore.Breakdown, string) {
	b, err := casestore.Balance(c, now)
	if err != nil {
		p.d.Log.Warn("portal: balance", "case", c.Ref, "err", err)
		return nil, dossierview.BalanceProblem
	}
	return &b, ""
}
