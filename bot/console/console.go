package console

import (
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/clientip"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/bot/internal/dossierview"
	"github.com/incassobot/incassobot/bot/internal/webpage"
	"github.com/incassobot/incassobot/casestore"
)

// DefaultLease is how long a claim holds a chat without a reply: long
// enough to read a dossier and write an answer, short enough that a chat
// left behind by a collector who went home returns to the queue.
const DefaultLease = 15 * time.Minute

// maxFormBytes bounds every form the console accepts; a reply is far
// shorter (maxReplyBytes).
const maxFormBytes = 64 << 10

// Deps is what the console needs.
type Deps struct {
	Store casestore.Store
	// Hot carries live activity between instances (bot.ConsoleTopic).
	Hot  hotstate.Store
	Auth *auth.Auth
	Log  *slog.Logger     // slog.Default when nil
	Now  func() time.Time // time.Now when nil
	// Wake, when set, tells the outbox sender a reply is waiting, so it
	// leaves at once instead of at the next poll.
	Wake func()
	// Lease is how long a claim or a reply holds the chat; DefaultLease
	// when zero.
	Lease time.Duration
	// TrustedProxies (TRUSTED_PROXIES): load balancers whose
	// X-Forwarded-For names the client login attempts count against.
	TrustedProxies clientip.Trusted
	// Heartbeat is how often an idle live-update stream says it is alive;
	// DefaultHeartbeat when zero.
	Heartbeat time.Duration
	// Agency is the agency's name, told to the debtor when a person takes
	// over ("U spreekt nu met Kim van …"); left out when empty.
	Agency string
	// FollowUps schedules an approved plan's reminders in the approval's
	// transaction (bot/followup); nil: none.
	FollowUps bot.FollowUps
	// FollowUpJobs lists upcoming and failed follow-ups on
	// /console/followups; nil: follow-ups are off.
	FollowUpJobs FollowUpJobs
}

// Console serves the collectors' pages under /console.
type Console struct {
	d       Deps
	streams streams // the open live-update streams (live.go)
}

// New returns the console.
func New(d Deps) *Console {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Lease <= 0 {
		d.Lease = DefaultLease
	}
	if d.Heartbeat <= 0 {
		d.Heartbeat = DefaultHeartbeat
	}
	return &Console{d: d}
}

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static/console.css static/console.js
var staticFiles embed.FS

// Handler returns every console route. Paths are absolute (/console/…):
// mount it at /console and /console/.
func (c *Console) Handler() http.Handler {
	mux := http.NewServeMux()
	collector := func(h http.HandlerFunc) http.Handler {
		return c.d.Auth.RequireUser(casestore.RoleCollector)(c.d.Auth.RequireCSRF(h))
	}
	mux.Handle("GET /console", http.RedirectHandler("/console/", http.StatusSeeOther))
	mux.HandleFunc("GET /console/login", c.loginPage)
	mux.HandleFunc("POST /console/login", c.login)
	mux.Handle("POST /console/logout", collector(c.logout))
	mux.Handle("GET /console/{$}", collector(c.queue))
	mux.Handle("POST /console/handoffs/{id}/claim", collector(c.claim))
	mux.Handle("GET /console/handoffs/{id}", collector(c.chat))
	mux.Handle("POST /console/handoffs/{id}/reply", collector(c.reply))
	mux.Handle("POST /console/handoffs/{id}/note", collector(c.note))
	mux.Handle("POST /console/handoffs/{id}/flags", collector(c.setFlags))
	mux.Handle("POST /console/handoffs/{id}/resolve", collector(c.resolve))
	// Live updates (live.go), supervisors' controls (supervisor.go) and
	// media evidence (media.go).
	supervisor := func(h http.HandlerFunc) http.Handler {
		return c.d.Auth.RequireUser(casestore.RoleSupervisor)(c.d.Auth.RequireCSRF(h))
	}
	mux.Handle("GET /console/events", collector(c.events))
	mux.Handle("GET /console/queue.json", collector(c.queueFeed))
	mux.Handle("GET /console/handoffs/{id}/feed", collector(c.feed))
	mux.Handle("POST /console/handoffs/{id}/release", supervisor(c.release))
	mux.Handle("POST /console/handoffs/{id}/assign", supervisor(c.assign))
	mux.Handle("GET /console/media/{id}", collector(c.media))
	// Decisions on the chat's case (decide.go, plans.go, disputes.go): by
	// the collector or supervisor holding the chat.
	mux.Handle("POST /console/handoffs/{id}/plans/{planID}/approve", collector(c.approvePlan))
	mux.Handle("POST /console/handoffs/{id}/plans/{planID}/counter", collector(c.counterPlan))
	mux.Handle("POST /console/handoffs/{id}/plans/{planID}/reject", collector(c.rejectPlan))
	mux.Handle("POST /console/handoffs/{id}/disputes/{disputeID}/resolve", collector(c.resolveDispute))
	mux.Handle("POST /console/handoffs/{id}/payments", collector(c.recordPayment)) // payments.go
	mux.Handle("GET /console/payments", collector(c.paymentsPage))                 // bank.go
	mux.Handle("GET /console/followups", collector(c.followupsPage))               // followups.go
	mux.Handle("POST /console/payments/bank-lines/{id}/assign", collector(c.assignBankLine))
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err) // the embed directive guarantees the folder
	}
	mux.Handle("GET /console/static/", http.StripPrefix("/console/static/", http.FileServerFS(sub)))
	return webpage.Secure(security, mux)
}

// security is what every console answer carries: a Content-Security-
// Policy that allows nothing but our own files (no inline script, so an
// injected tag cannot run even if escaping ever failed), no framing, no
// referrer to other sites, and a bound on every request body. Pages that
// hold debtors' data and CSRF tokens are not cached (render, writeJSON).
var security = webpage.Policy{
	CSP:      "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
	Referrer: "same-origin",
	MaxBody:  maxFormBytes,
}

// pages are the parsed templates, each with the shared layout.
var pages = parsePages("login", "queue", "chat", "message", "payments", "followups")

func parsePages(names ...string) map[string]*template.Template {
	m := make(map[string]*template.Template, len(names))
	parts := partials(names)
	for _, n := range names {
		files := append([]string{"templates/layout.html", "templates/" + n + ".html"}, parts...)
		t := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, files...))
		m[n] = template.Must(dossierview.AddTo(t))
	}
	return m
}

// partials are the template files that are neither the layout nor a
// page: named blocks a page includes ({{template "media" .}}), parsed
// with every page.
func partials(pages []string) []string {
	all, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err) // the pattern is valid
	}
	var out []string
	for _, f := range all {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
		if name != "layout" && !slices.Contains(pages, name) {
			out = append(out, f)
		}
	}
	return out
}

// render writes a page with status. Everything in data reaches the HTML
// through html/template, which escapes by context: a debtor's text is
// never marked safe.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := pages[page].Execute(w, data); err != nil {
		c.d.Log.Warn("console: render page", "page", page, "err", err)
	}
}

// messagePage is a short answer with a way back: a refused claim, an
// unknown chat, a failure.
type messagePage struct {
	base
	Title, Text string
	Back        string
}

// fail answers err as a page, mapping the store's sentinels to status
// codes in one place. Only store failures are logged, and without any
// debtor text (the errors carry ids, not words).
func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error, what string) {
	status, title, text := failText(err, what)
	if status == http.StatusInternalServerError {
		c.d.Log.Error("console: "+what, "path", r.URL.Path, "err", err)
	}
	c.render(w, r, status, "message", messagePage{base: c.base(r), Title: title, Text: text, Back: "/console/"})
}

// failText says what went wrong in sentences a collector reads, never the
// store's error string: what was tried ("de chat openen"), why it did not
// work, and what to do now. A form's own sentence (formError) is kept.
func failText(err error, what string) (status int, title, text string) {
	did := strings.ToUpper(what[:1]) + what[1:] + " is niet gelukt"
	var fe formError
	var ce conflictError
	switch {
	case errors.As(err, &fe):
		return http.StatusBadRequest, "Niet gelukt", did + ". " + string(fe)
	case errors.As(err, &ce):
		return http.StatusConflict, "Niet gelukt", did + ". " + string(ce)
	case errors.Is(err, casestore.ErrNotFound):
		return http.StatusNotFound, "Niet gevonden", did + ": deze chat of dit dossier bestaat niet (meer). Ga terug naar de wachtrij."
	case errors.Is(err, casestore.ErrConflict):
		return http.StatusConflict, "Niet gelukt", did + ": iemand anders was u voor, of de chat is intussen veranderd. Open de chat opnieuw om te zien hoe het nu staat."
	case errors.Is(err, casestore.ErrInvalid):
		return http.StatusBadRequest, "Niet gelukt", did + ": de gegevens passen niet bij dit dossier. Controleer ze en probeer het opnieuw."
	}
	return http.StatusInternalServerError, "Er ging iets mis", did + " door een storing bij ons. Probeer het over een minuut opnieuw; er is niets verloren gegaan."
}

// base is what the layout shows on every page: who is logged in and the
// CSRF token for the logout form.
type base struct {
	User *casestore.User
	CSRF string
}

func (c *Console) base(r *http.Request) base {
	u, _ := auth.UserFrom(r.Context())
	return base{User: u, CSRF: auth.CSRFToken(r.Context())}
}
