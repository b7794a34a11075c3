package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/internal/webpage"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/docs"
)

// Deps is what the API needs.
type Deps struct {
	// Store is read through its Scoped methods only: every case, dossier
	// and file a request reads is filtered by the caller's scope in the
	// query itself.
	Store casestore.Store
	// Auth checks the bearer token (or the session cookie of the same
	// user, so the creditor pages can link to the JSON export).
	Auth *auth.Auth
	Log  *slog.Logger     // slog.Default when nil
	Now  func() time.Time // time.Now when nil: the day balances are computed for
}

// API serves the creditors' JSON API under /api.
type API struct{ d Deps }

// New returns the API.
func New(d Deps) *API {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &API{d: d}
}

// Route is one operation the API answers: what docs/openapi.yaml must
// describe, no more and no less (the contract test compares the two).
type Route struct {
	Method string
	Path   string // as the mux and OpenAPI write it: /api/v1/cases/{ref}
	Public bool   // answered without credentials
	h      http.HandlerFunc
}

// Routes lists every operation, in the order the contract lists them.
func (a *API) Routes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/openapi.yaml", Public: true, h: spec},
		{Method: "GET", Path: "/api/v1/me", h: a.me},
		{Method: "GET", Path: "/api/v1/cases", h: a.cases},
		{Method: "GET", Path: "/api/v1/cases/{ref}", h: a.caseFile},
		{Method: "GET", Path: "/api/v1/cases/{ref}/dossier", h: a.dossier},
		{Method: "GET", Path: "/api/v1/cases/{ref}/export", h: a.export},
		{Method: "GET", Path: "/api/v1/cases/{ref}/media/{id}", h: a.media},
	}
}

// Handler returns every API route. Paths are absolute: mount it at /api/.
// Any path or method the API does not know gets a JSON error too, so a
// client never has to parse an HTML or plain-text answer.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	reader := a.d.Auth.RequireUser(casestore.RoleCreditor, casestore.RoleCollector)
	for _, rt := range a.Routes() {
		var h http.Handler = rt.h
		if !rt.Public {
			h = reader(h)
		}
		mux.Handle(rt.Method+" "+rt.Path, h)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		// A known path asked with another method is 405, anything else 404.
		probe := r.Clone(r.Context())
		probe.Method = http.MethodGet
		if _, pattern := mux.Handler(probe); pattern != "/api/" && r.Method != http.MethodGet {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, "method not allowed: the API only reads (GET)")
			return
		}
		writeError(w, http.StatusNotFound, "no such API path; see /api/openapi.yaml")
	})
	return webpage.Secure(security, mux)
}

// security is what every API answer carries: nothing cached (dossiers
// are personal data), nothing sniffed, nothing framed. The API reads only,
// so there is no body to bound.
var security = webpage.Policy{NoStore: true}

// spec serves the contract itself.
func spec(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(docs.OpenAPI)
}

// Error is every error the API answers: {"error": "…"}.
type Error struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, Error{Error: msg})
}

// Messages of the answers that must not differ between "unknown" and "not
// yours": the same words for both, so a creditor cannot probe another
// creditor's dossier numbers.
const (
	msgCaseNotFound = "case not found"
	msgFileNotFound = "file not found"
)

// fail maps the store's sentinels to status codes in one place. Only
// failures of the store are logged, with the path (a dossier number, never
// a debtor's words).
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error, notFound string) {
	switch {
	case errors.Is(err, casestore.ErrNotFound):
		writeError(w, http.StatusNotFound, notFound)
	case errors.Is(err, casestore.ErrInvalid):
		// The API checked the values it could (checked); what the store
		// still refuses is said without the database's own words, which
		// describe its internals, not the request.
		a.d.Log.Warn("api: store refused the request's values", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusBadRequest, "these values cannot be used; check the parameters")
	default:
		a.d.Log.Error("api: read", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, "the case could not be read; try again")
	}
}

// checked answers 400 with the reason when a casestore validator refuses
// the request; those reasons speak of the request, so they are shown.
func checked(w http.ResponseWriter, err error) bool {
	if err == nil {
		return true
	}
	badRequest(w, strings.TrimSuffix(err.Error(), ": "+casestore.ErrInvalid.Error()))
	return false
}

// badRequest answers a query parameter the API cannot use.
func badRequest(w http.ResponseWriter, msg string) { writeError(w, http.StatusBadRequest, msg) }

// scope is what the authenticated caller may read.
func scope(r *http.Request) casestore.Scope {
	u, _ := auth.UserFrom(r.Context())
	return casestore.ScopeOf(u)
}
