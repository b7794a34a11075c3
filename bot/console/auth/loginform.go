package auth

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/incassobot/incassobot/bot/clientip"
)

// LoginPage is what a login page shows: the address typed, where to go
// after, and why the last attempt was refused.
type LoginPage struct {
	Email, Next, Error string
}

// LoginSite is one set of pages with its own login page: the console
// (collectors) and the portal (creditors) share the accounts and attempt
// limits but send their users to different places and speak to them
// differently.
type LoginSite struct {
	Home     string           // the pages' root, e.g. "/console/": where a login lands and what "next" may point into
	Login    string           // the login page's path: never a place to go after logging in
	Disabled string           // the sentence a disabled account reads
	Trusted  clientip.Trusted // TRUSTED_PROXIES; see ClientIP
	Log      string           // the log's name for the site ("console: login")
}

// NextFrom is where to go after the login: a page of the site only, so
// the login page cannot be used to send a user to another site.
func (s LoginSite) NextFrom(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.IsAbs() || u.Host != "" || !strings.HasPrefix(u.Path, s.Home) ||
		strings.HasPrefix(next, "//") || strings.Contains(next, "\\") || strings.HasPrefix(u.Path, s.Login) {
		return s.Home
	}
	return u.RequestURI()
}

// LogIn handles a login page's POST: it checks the password and starts a
// session, then redirects to the page asked for; otherwise it calls show
// with the status and the page to render again. Wrong address and wrong
// password get the same answer. A form from another site is refused
// (login CSRF: another site must not log a browser in to an account of its
// choosing), and so is a form over the size limit the caller set on the
// body (413) or one that does not parse (400): neither is read for
// credentials.
func (a *Auth) LogIn(w http.ResponseWriter, r *http.Request, site LoginSite, show func(status int, p LoginPage)) {
	if !sameOrigin(r) {
		http.Error(w, "the form must be sent from this site", http.StatusForbidden)
		return
	}
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			show(http.StatusRequestEntityTooLarge, LoginPage{Next: site.Home, Error: "Het formulier is te groot; vul alleen uw e-mailadres en wachtwoord in."})
			return
		}
		show(http.StatusBadRequest, LoginPage{Next: site.Home, Error: "Het formulier kwam niet goed aan; probeer het opnieuw."})
		return
	}
	email, next := r.PostForm.Get("email"), site.NextFrom(r.PostForm.Get("next"))
	_, s, id, err := a.Login(r.Context(), email, r.PostForm.Get("password"), ClientIP(r, site.Trusted))
	if err != nil {
		status, msg := refusal(err, site.Disabled)
		if status == http.StatusInternalServerError {
			a.log().Error(site.Log, "err", err)
		}
		show(status, LoginPage{Email: email, Next: next, Error: msg})
		return
	}
	a.SetSessionCookie(w, id, s.ExpiresAt)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// refusal is the status and sentence a refused login gets.
func refusal(err error, disabled string) (int, string) {
	var rl *RateLimitError
	switch {
	case errors.As(err, &rl):
		return http.StatusTooManyRequests, "Te veel pogingen. Probeer het over " + rl.Wait.Round(1e9).String() + " opnieuw."
	case errors.Is(err, ErrBadCredentials):
		return http.StatusUnauthorized, "E-mailadres of wachtwoord klopt niet."
	case errors.Is(err, ErrDisabled):
		return http.StatusForbidden, disabled
	}
	return http.StatusInternalServerError, "Inloggen lukt nu niet; probeer het zo opnieuw."
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
