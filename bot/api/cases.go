package api

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/internal/mediafile"
	"github.com/incassobot/incassobot/casestore"
)

// The API's reads. Each takes the caller's scope from its login and hands
// it to a Scoped store method, which puts it in the query: nothing here
// loads a case first and checks its creditor after.

// Paging bounds of the API (the store's own bounds are wider).
const (
	DefaultCaseLimit    = 50
	DefaultDossierLimit = 50
	MaxDossierLimit     = 200
)

func (a *API) me(w http.ResponseWriter, r *http.Request) {
	u, _ := auth.UserFrom(r.Context())
	out := Me{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role)}
	if u.Role == casestore.RoleCreditor {
		c, err := a.d.Store.Creditor(r.Context(), u.CreditorID)
		if err != nil {
			a.fail(w, r, err, "creditor not found")
			return
		}
		out.Creditor = &Creditor{Code: c.Code, Name: c.Name}
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) cases(w http.ResponseWriter, r *http.Request) {
	q, msg := ParseCaseQuery(r.URL.Query().Get, DefaultCaseLimit)
	if msg != "" {
		badRequest(w, msg)
		return
	}
	if !checked(w, q.Validate()) || !checked(w, textOK("search", q.Search)) {
		return
	}
	page, err := a.d.Store.CasesIn(r.Context(), scope(r), q)
	if err != nil {
		a.fail(w, r, err, msgCaseNotFound)
		return
	}
	now := a.d.Now()
	out := CaseList{Cases: make([]CaseSummary, 0, len(page.Cases)), Total: page.Total, Limit: q.PageLimit(), Offset: q.Offset}
	for _, s := range page.Cases {
		out.Cases = append(out.Cases, NewCaseSummary(s, now))
	}
	writeJSON(w, http.StatusOK, out)
}

// ParseCaseQuery reads a case list's filters from query parameters
// (status, stage, search, disputed, limit, offset); a non-empty message
// says what is wrong. The store checks the values themselves (an unknown
// status is ErrInvalid there).
func ParseCaseQuery(get func(string) string, defaultLimit int) (casestore.CaseQuery, string) {
	q := casestore.CaseQuery{
		Status: casestore.Status(strings.TrimSpace(get("status"))),
		Stage:  casestore.Stage(strings.TrimSpace(get("stage"))),
		Search: strings.TrimSpace(get("search")),
		Limit:  defaultLimit,
	}
	if v := get("disputed"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return q, "disputed: want true or false"
		}
		q.Disputed = b
	}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"limit", &q.Limit}, {"offset", &q.Offset}} {
		v := get(p.name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return q, p.name + ": want a whole number of 0 or more"
		}
		*p.dst = n
	}
	if get("limit") != "" && q.Limit == 0 {
		return q, fmt.Sprintf("limit: want 1 to %d", casestore.MaxCaseQueryLimit)
	}
	return q, ""
}

func (a *API) caseFile(w http.ResponseWriter, r *http.Request) {
	f, err := a.d.Store.CaseIn(r.Context(), scope(r), r.PathValue("ref"))
	if err != nil {
		a.fail(w, r, err, msgCaseNotFound)
		return
	}
	writeJSON(w, http.StatusOK, NewCase(f, a.d.Now()))
}

// kindShape is what a dossier entry kind looks like ("message.in").
var kindShape = regexp.MustCompile(`^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$`)

func (a *API) dossier(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := casestore.DossierQuery{Search: strings.TrimSpace(v.Get("search")), Limit: DefaultDossierLimit}
	if s := v.Get("before"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			badRequest(w, "before: want the id of an entry (a positive whole number)")
			return
		}
		q.BeforeID = n
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxDossierLimit {
			badRequest(w, fmt.Sprintf("limit: want 1 to %d", MaxDossierLimit))
			return
		}
		q.Limit = n
	}
	for _, k := range v["kind"] {
		if len(k) > 64 || !kindShape.MatchString(k) {
			badRequest(w, "kind: want an entry kind such as message.in")
			return
		}
		q.Kinds = append(q.Kinds, casestore.EntryKind(k))
	}
	if !checked(w, casestore.ValidateScopedDossier(q)) || !checked(w, textOK("search", q.Search)) {
		return
	}
	entries, next, err := ReadDossierPage(r.Context(), a.d.Store, scope(r), r.PathValue("ref"), q)
	if err != nil {
		a.fail(w, r, err, msgCaseNotFound)
		return
	}
	out := DossierPage{Entries: make([]Entry, 0, len(entries))}
	for _, e := range entries {
		out.Entries = append(out.Entries, NewEntry(e))
	}
	if next > 0 {
		out.NextBefore = &next
	}
	writeJSON(w, http.StatusOK, out)
}

// ReadDossierPage reads one page of case ref's dossier, newest first, and the
// BeforeID of the next (older) page: 0 when this is the last. It asks the
// store for one entry more than the page, so the last page is known
// without an empty page after it.
func ReadDossierPage(ctx context.Context, st casestore.Scoped, s casestore.Scope, ref string, q casestore.DossierQuery) ([]casestore.DossierEntry, int64, error) {
	limit := q.Limit
	q.Limit++
	entries, err := st.DossierIn(ctx, s, ref, q)
	if err != nil {
		return nil, 0, err
	}
	if len(entries) > limit {
		entries = entries[:limit]
		return entries, entries[limit-1].ID, nil
	}
	return entries, 0, nil
}

func (a *API) export(w http.ResponseWriter, r *http.Request) {
	f, entries, err := LoadExport(r.Context(), a.d.Store, scope(r), r.PathValue("ref"))
	if err != nil {
		a.fail(w, r, err, msgCaseNotFound)
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="dossier-%s.json"`, FileSafe(f.Case.Ref)))
	writeJSON(w, http.StatusOK, NewExport(f, entries, a.d.Now()))
}

// LoadExport reads case ref with its whole dossier, oldest entry first,
// when s sees it (ErrNotFound otherwise). The dossier is read newest
// first in pages, each bounded by the previous one, so an entry appended
// meanwhile is not half in the export.
func LoadExport(ctx context.Context, st casestore.Scoped, s casestore.Scope, ref string) (*casestore.CaseFile, []casestore.DossierEntry, error) {
	f, err := st.CaseIn(ctx, s, ref)
	if err != nil {
		return nil, nil, err
	}
	var all []casestore.DossierEntry
	q := casestore.DossierQuery{Limit: casestore.MaxDossierLimit}
	for {
		page, err := st.DossierIn(ctx, s, ref, q)
		if err != nil {
			return nil, nil, err
		}
		all = append(all, page...)
		if len(page) < q.Limit {
			break
		}
		q.BeforeID = page[len(page)-1].ID
	}
	slices.Reverse(all)
	return f, all, nil
}

// fileUnsafe is every character not to put in a download's file name.
var fileUnsafe = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// FileSafe is a dossier number as part of a file name.
func FileSafe(ref string) string { return fileUnsafe.ReplaceAllString(ref, "_") }

func (a *API) media(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusNotFound, msgFileNotFound)
		return
	}
	m, err := a.d.Store.MediaIn(r.Context(), scope(r), r.PathValue("ref"), id)
	if err != nil {
		a.fail(w, r, err, msgFileNotFound)
		return
	}
	if !mediafile.Serve(w, r, m) {
		a.d.Log.Warn("api: stored file of an unknown type", "media", m.ID)
		writeError(w, http.StatusNotFound, msgFileNotFound)
	}
}

// textOK refuses text no store can search for: NUL and bytes that are
// not UTF-8.
func textOK(name, s string) error {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return fmt.Errorf("%s: want text without control bytes: %w", name, casestore.ErrInvalid)
	}
	return nil
}
