package portal

import (
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/incassobot/incassobot/bot/clientip"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/internal/dossierview"
	"github.com/incassobot/incassobot/bot/internal/webpage"
	"github.com/incassobot/incassobot/casestore"
)

// maxFormBytes bounds every request body: the login form is the only one.
const maxFormBytes = 16 << 10

// LoginPath is the creditors' own login page.
const LoginPath = "/portal/login"

// Deps is what the pages need.
type Deps struct {
	// Store is read through its Scoped methods only: the reader's scope is
	// in every query, so another creditor's case is never loaded.
	Store casestore.Store
	// Auth must have LoginPage set to LoginPath, so a browser without a
	// session comes to this login page rather than the console's.
	Auth *auth.Auth
	Log  *slog.Logger     // slog.Default when nil
	Now  func() time.Time // time.Now when nil
	// Agency is the collection agency, at the head of an export; its
	// name defaults to "incassobot".
	Agency Agency
	// TrustedProxies (TRUSTED_PROXIES): load balancers whose
	// X-Forwarded-For names the client login attempts count against.
	TrustedProxies clientip.Trusted
}

// Portal serves the creditors' pages.
type Portal struct{ d Deps }

// New returns the pages.
func New(d Deps) *Portal {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Agency.Name == "" {
		d.Agency.Name = "incassobot"
	}
	return &Portal{d: d}
}

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static/*.css
var staticFiles embed.FS

// Handler returns every page. Paths are absolute (/portal/…): mount it at
// /portal and /portal/.
func (p *Portal) Handler() http.Handler {
	mux := http.NewServeMux()
	// Creditors read their own cases; collectors and supervisors every
	// case (casestore.ScopeOf decides).
	reader := func(h http.HandlerFunc) http.Handler {
		return p.d.Auth.RequireUser(casestore.RoleCreditor, casestore.RoleCollector)(p.d.Auth.RequireCSRF(h))
	}
	mux.Handle("GET /portal", http.RedirectHandler("/portal/", http.StatusSeeOther))
	mux.HandleFunc("GET /portal/login", p.loginPage)
	mux.HandleFunc("POST /portal/login", p.login)
	mux.Handle("POST /portal/logout", reader(p.logout))
	mux.Handle("GET /portal/{$}", reader(p.cases))
	mux.Handle("GET /portal/cases/{ref}", reader(p.caseFile))
	mux.Handle("GET /portal/cases/{ref}/media/{id}", reader(p.media))
	mux.Handle("GET /portal/cases/{ref}/export.html", reader(p.export))
	mux.Handle("GET /portal/cases/{ref}/export.pdf", reader(p.exportPDF))
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err) // the embed directive guarantees the folder
	}
	mux.Handle("GET /portal/static/", http.StripPrefix("/portal/static/", http.FileServerFS(sub)))
	mux.HandleFunc("/portal/", func(w http.ResponseWriter, r *http.Request) {
		p.message(w, r, http.StatusNotFound, "Niet gevonden", "Deze pagina bestaat niet.")
	})
	return webpage.Secure(security, mux)
}

// security is what every answer carries: a Content-Security-Policy that
// allows nothing but our own style sheets (the pages run no script at all,
// so an injected tag could not run even if escaping ever failed), no
// framing, no referrer to other sites, a bounded body. Pages with debtors'
// data are not cached (render).
var security = webpage.Policy{
	CSP:      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	Referrer: "same-origin",
	MaxBody:  maxFormBytes,
}

// pages are the parsed templates: each page with the shared layout, and
// the export as a document of its own.
var pages = func() map[string]*template.Template {
	m := map[string]*template.Template{}
	for _, n := range []string{"login", "message", "cases", "case"} {
		t := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/"+n+".html"))
		m[n] = template.Must(dossierview.AddTo(t))
	}
	t := template.Must(template.New("export.html").Funcs(funcs).ParseFS(templateFiles, "templates/export.html"))
	m["export"] = template.Must(dossierview.AddTo(t))
	return m
}()

// render writes a page with status. Everything in data reaches the HTML
// through html/template, which escapes by context: a debtor's text is
// never marked safe.
func (p *Portal) render(w http.ResponseWriter, status int, page string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := pages[page].Execute(w, data); err != nil {
		p.d.Log.Warn("portal: render page", "page", page, "err", err)
	}
}

// messagePage is a short answer with a way back to the case list.
type messagePage struct {
	base
	Title, Text string
}

func (p *Portal) message(w http.ResponseWriter, r *http.Request, status int, title, text string) {
	p.render(w, status, "message", messagePage{base: p.base(r), Title: title, Text: text})
}

// fail answers err as a page, mapping the store's sentinels to status
// codes in one place. A case of another creditor and an unknown one get
// the same page, word for word. Only store failures are logged, with the
// path (a dossier number), never a debtor's words.
func (p *Portal) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, casestore.ErrNotFound):
		p.message(w, r, http.StatusNotFound, "Niet gevonden", "Dit dossier of bestand is er niet, of u heeft er geen toegang toe.")
	case errors.Is(err, casestore.ErrInvalid):
		p.message(w, r, http.StatusBadRequest, "Ongeldige zoekopdracht", "De filters of de zoektekst kunnen niet worden gebruikt; pas ze aan en probeer het opnieuw.")
	default:
		p.d.Log.Error("portal: read", "path", r.URL.Path, "err", err)
		p.message(w, r, http.StatusInternalServerError, "Er ging iets mis", "Het dossier kon nu niet worden gelezen; probeer het zo opnieuw.")
	}
}

// base is what the layout shows on every page: who is logged in and the
// CSRF token for the logout form.
type base struct {
	User *casestore.User
	CSRF string
}

func (p *Portal) base(r *http.Request) base {
	u, _ := auth.UserFrom(r.Context())
	return base{User: u, CSRF: auth.CSRFToken(r.Context())}
}

// scope is what the logged-in reader may see.
func scope(r *http.Request) casestore.Scope {
	u, _ := auth.UserFrom(r.Context())
	return casestore.ScopeOf(u)
}
