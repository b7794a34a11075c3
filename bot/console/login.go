package console

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/incassobot/incassobot/bot/console/auth"
)

type loginData struct {
	base
	Email, Next, Error string
}

func (c *Console) loginPage(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusOK, "login", loginData{Next: safeNext(r.URL.Query().Get("next"))})
}

// login checks the password and starts a session. Wrong address and wrong
// password get the same answer (auth.ErrBadCredentials).
func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		// Login CSRF: another site must not log a collector's browser in
		// to an account of its choosing.
		http.Error(w, "the form must be sent from this site", http.StatusForbidden)
		return
	}
	email, next := r.PostFormValue("email"), safeNext(r.PostFormValue("next"))
	_, s, id, err := c.d.Auth.Login(r.Context(), email, r.PostFormValue("password"), auth.ClientIP(r, c.d.TrustProxy))
	if err != nil {
		status, msg := loginRefusal(err)
		if status == http.StatusInternalServerError {
			c.d.Log.Error("console: login", "err", err)
		}
		c.render(w, r, status, "login", loginData{Email: email, Next: next, Error: msg})
		return
	}
	c.d.Auth.SetSessionCookie(w, id, s.ExpiresAt)
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
		return http.StatusForbidden, "Dit account is uitgeschakeld; vraag het een supervisor."
	}
	return http.StatusInternalServerError, "Inloggen lukt nu niet; probeer het zo opnieuw."
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request) {
	if err := c.d.Auth.Logout(w, r); err != nil {
		c.d.Log.Error("console: logout", "err", err)
	}
	http.Redirect(w, r, auth.LoginPath, http.StatusSeeOther)
}

// safeNext is where to go after the login: a console path only, so the
// login page cannot be used to send a collector to another site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.IsAbs() || u.Host != "" || !strings.HasPrefix(u.Path, "/console/") ||
		strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/console/"
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
