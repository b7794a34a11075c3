package portal

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/incassobot/incassobot/bot/console/auth"
)

// The creditors log in here rather than at the console's page: the same
// accounts, sessions and attempt limits (auth), a page that speaks to a
// creditor and brings them back to /portal/.

type loginData struct {
	base
	Email, Next, Error string
}

func (p *Portal) loginPage(w http.ResponseWriter, r *http.Request) {
	p.render(w, http.StatusOK, "login", loginData{Next: safeNext(r.URL.Query().Get("next"))})
}

// login checks the password and starts a session. Wrong address and wrong
// password get the same answer (auth.ErrBadCredentials).
func (p *Portal) login(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		// Login CSRF: another site must not log a creditor's browser in to
		// an account of its choosing.
		http.Error(w, "the form must be sent from this site", http.StatusForbidden)
		return
	}
	email, next := r.PostFormValue("email"), safeNext(r.PostFormValue("next"))
	_, s, id, err := p.d.Auth.Login(r.Context(), email, r.PostFormValue("password"), auth.ClientIP(r, p.d.TrustProxy))
	if err != nil {
		status, msg := loginRefusal(err)
		if status == http.StatusInternalServerError {
			p.d.Log.Error("portal: login", "err", err)
		}
		p.render(w, status, "login", loginData{Email: email, Next: next, Error: msg})
		return
	}
	p.d.Auth.SetSessionCookie(w, id, s.ExpiresAt)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// loginRefusal is the status and sentence a refused login gets.
func loginRefusal(err error) (int, string) {
	var rl *auth.RateLimitError
	switch {
	case errors.As(err, &rl):
		return http.StatusTooManyRequests, "Te veel pogingen. Probeer het over " + rl.Wait.Round(1e9).String() + " opnieuw."
	case errors.Is(err, auth.ErrBadCredentials):
		return http.StatusUnauthorized, "E-mailadres of wachtwoord klopt niet."
	case errors.Is(err, auth.ErrDisabled):
		return http.StatusForbidden, "Dit account is uitgeschakeld; neem contact op met het incassobureau."
	}
	return http.StatusInternalServerError, "Inloggen lukt nu niet; probeer het zo opnieuw."
}

func (p *Portal) logout(w http.ResponseWriter, r *http.Request) {
	if err := p.d.Auth.Logout(w, r); err != nil {
		p.d.Log.Error("portal: logout", "err", err)
	}
	http.Redirect(w, r, LoginPath, http.StatusSeeOther)
}

// safeNext is where to go after the login: a page of the portal only, so
// the login page cannot be used to send a creditor to another site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.IsAbs() || u.Host != "" || !strings.HasPrefix(u.Path, "/portal/") ||
		strings.HasPrefix(next, "//") || strings.Contains(next, "\\") || strings.HasPrefix(u.Path, LoginPath) {
		return "/portal/"
	}
	return u.RequestURI()
}

// sameOrigin reports whether a browser's POST comes from a page of this
// host. Browsers send Origin on every POST; a request without one (a
// script, a test client) has no cookie to abuse.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}
