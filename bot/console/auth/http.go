package auth

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot/clientip"
	"github.com/incassobot/incassobot/casestore"
)

// CookieName is the session cookie.
const CookieName = "incassobot_session"

// CSRFField and CSRFHeader carry a session's CSRF token on an unsafe
// request: the form field in pages, the header in the console's scripts.
const (
	CSRFField  = "csrf"
	CSRFHeader = "X-CSRF-Token"
)

// LoginPath is where a browser without a session is sent.
const LoginPath = "/console/login"

// SetSessionCookie gives the browser its session. HttpOnly: the console's
// scripts never need the id, so an injected script cannot steal it.
// SameSite=Lax rather than Strict: a collector who follows a link to a
// case from a mail or a chat must arrive logged in (Strict would send that
// first GET without the cookie and show the login page), while cross-site
// POSTs still come without the cookie; the CSRF token guards every unsafe
// request anyway, and GET handlers change nothing. Secure whenever the
// console is served over TLS.
func (a *Auth) SetSessionCookie(w http.ResponseWriter, id string, expires time.Time) {
	maxAge := int(expires.Sub(a.now()) / time.Second)
	if maxAge <= 0 {
		maxAge = -1 // already over: delete rather than keep
	}
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: id, Path: "/",
		Expires: expires.UTC(), MaxAge: maxAge,
		HttpOnly: true, Secure: a.Secure, SameSite: http.SameSiteLaxMode,
	})
}

// ClearSessionCookie tells the browser to forget the session.
func (a *Auth) ClearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: "", Path: "/",
		Expires: time.Unix(0, 0).UTC(), MaxAge: -1,
		HttpOnly: true, Secure: a.Secure, SameSite: http.SameSiteLaxMode,
	})
}

// Logout ends the request's session, if any, and clears the cookie. A
// session that is already gone is not an error: the browser is logged out
// either way.
func (a *Auth) Logout(w http.ResponseWriter, r *http.Request) error {
	a.ClearSessionCookie(w)
	c, err := r.Cookie(CookieName)
	if err != nil || !secretShaped(c.Value) {
		return nil
	}
	err = a.Store.DeleteSession(r.Context(), casestore.HashSecret(c.Value))
	if err != nil && !errors.Is(err, casestore.ErrNotFound) {
		return err
	}
	return nil
}

// principal is who a request comes from, kept in its context.
type principal struct {
	user    *casestore.User
	session *casestore.Session // nil for a bearer token
	token   *casestore.APIToken
}

type ctxKey struct{}

// UserFrom returns the user RequireUser let through.
func UserFrom(ctx context.Context) (*casestore.User, bool) {
	p, ok := ctx.Value(ctxKey{}).(*principal)
	if !ok {
		return nil, false
	}
	return p.user, true
}

// SessionFrom returns the browser session of the request; false for a
// bearer-token request or none.
func SessionFrom(ctx context.Context) (*casestore.Session, bool) {
	p, ok := ctx.Value(ctxKey{}).(*principal)
	if !ok || p.session == nil {
		return nil, false
	}
	return p.session, true
}

// CSRFToken is the token a page must put in every form it renders
// (<input type="hidden" name="csrf">); "" without a session.
func CSRFToken(ctx context.Context) string {
	if s, ok := SessionFrom(ctx); ok {
		return s.CSRFToken
	}
	return ""
}

// RequireUser lets a request through only with a live session cookie or
// API bearer token of an enabled user holding one of roles (any role when
// none is given; a supervisor counts as a collector, being one with more
// rights). Without valid credentials: 401, as JSON for the API, a
// redirect to the login page for a page a browser GETs. Wrong role: 403.
func (a *Auth) RequireUser(roles ...casestore.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p, err := a.authenticate(r)
			switch {
			case errors.Is(err, casestore.ErrNotFound):
				a.unauthorized(w, r)
				return
			case err != nil:
				a.log().Error("authenticate request", "path", r.URL.Path, "err", err)
				refuse(w, r, http.StatusInternalServerError, "could not check your login; try again")
				return
			case !roleAllowed(p.user.Role, roles):
				refuse(w, r, http.StatusForbidden, "your account may not open this")
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, p)))
		})
	}
}

// authenticate finds the request's principal: the bearer token when an
// Authorization header is present (and then only it), else the cookie.
// ErrNotFound when there are no valid credentials.
func (a *Auth) authenticate(r *http.Request) (*principal, error) {
	if tok, present := bearer(r.Header.Get("Authorization")); present {
		k, u, err := a.tokenUser(r.Context(), tok)
		if err != nil {
			return nil, err
		}
		return &principal{user: u, token: k}, nil
	}
	c, err := r.Cookie(CookieName)
	if err != nil || !secretShaped(c.Value) {
		return nil, casestore.ErrNotFound
	}
	s, u, err := a.Store.SessionByHash(r.Context(), casestore.HashSecret(c.Value), a.now())
	if err != nil {
		return nil, err
	}
	return &principal{user: u, session: s}, nil
}

func roleAllowed(r casestore.Role, roles []casestore.Role) bool {
	if len(roles) == 0 || slices.Contains(roles, r) {
		return true
	}
	return r == casestore.RoleSupervisor && slices.Contains(roles, casestore.RoleCollector)
}

// unauthorized answers a request without valid credentials. A browser
// asking for a page goes to the login page and comes back after; a stale
// cookie is cleared so it stops being sent.
func (a *Auth) unauthorized(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie(CookieName); err == nil {
		a.ClearSessionCookie(w)
	}
	if !isAPI(r) && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		login := LoginPath
		if a.LoginPage != "" {
			login = a.LoginPage
		}
		http.Redirect(w, r, login+"?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if isAPI(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="incassobot"`)
	}
	refuse(w, r, http.StatusUnauthorized, "log in first")
}

// RequireCSRF refuses (403) an unsafe request made with a session cookie
// unless it carries the session's CSRF token, in the X-CSRF-Token header
// or the "csrf" form field: another site can make a browser send the
// cookie, but cannot read the page that holds the token. Bearer-token
// requests pass, as no browser attaches a bearer token on its own, when
// the token's scope is console; a read-only token gets 403. Mount
// it inside RequireUser; without a principal it refuses.
func (a *Auth) RequireCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			next.ServeHTTP(w, r)
			return
		}
		p, ok := r.Context().Value(ctxKey{}).(*principal)
		if ok && p.session == nil && p.token != nil {
			// A token changes things only when made for it (issue 13: a
			// collector's token could do every console action).
			if !p.token.Allows(casestore.ScopeConsole) {
				refuse(w, r, http.StatusForbidden, "this API token may only read; a token for console actions is made with: incassobot users token --scope console")
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		got := r.Header.Get(CSRFHeader)
		if got == "" {
			got = r.PostFormValue(CSRFField)
		}
		if !ok || p.session == nil || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(p.session.CSRFToken)) != 1 {
			refuse(w, r, http.StatusForbidden, "the form has expired; reload the page and try again")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// isAPI reports whether the request wants JSON: the API's paths, a
// bearer token, or a script asking for JSON.
func isAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") ||
		r.Header.Get("Authorization") != "" ||
		strings.Contains(r.Header.Get("Accept"), "application/json")
}

// refuse writes an error as JSON ({"error": msg}) for the API, as plain
// text for a page.
func refuse(w http.ResponseWriter, r *http.Request, status int, msg string) {
	w.Header().Set("Cache-Control", "no-store")
	if isAPI(r) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
		return
	}
	http.Error(w, msg, status)
}

// ClientIP is the address a login attempt is counted against: the TCP
// peer, or, behind load balancers named in TRUSTED_PROXIES, the client
// they forwarded for (clientip.From: the rightmost untrusted entry of
// X-Forwarded-For; entries to its left are the client's to invent).
// Without it every attempt behind a balancer would share one limit.
func ClientIP(r *http.Request, trusted clientip.Trusted) string {
	return clientip.From(r, trusted)
}
