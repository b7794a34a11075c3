package portal

import (
	"net/http"

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
	p.render(w, http.StatusOK, "login", loginData{Next: p.loginSite().NextFrom(r.URL.Query().Get("next"))})
}

// login checks the password and starts a session (auth.LogIn).
func (p *Portal) login(w http.ResponseWriter, r *http.Request) {
	p.d.Auth.LogIn(w, r, p.loginSite(), func(status int, lp auth.LoginPage) {
		p.render(w, status, "login", loginData{Email: lp.Email, Next: lp.Next, Error: lp.Error})
	})
}

func (p *Portal) logout(w http.ResponseWriter, r *http.Request) {
	if err := p.d.Auth.Logout(w, r); err != nil {
		p.d.Log.Error("portal: logout", "err", err)
	}
	http.Redirect(w, r, LoginPath, http.StatusSeeOther)
}

// loginSite is the portal as auth.LogIn sees it.
func (p *Portal) loginSite() auth.LoginSite {
	return auth.LoginSite{Home: "/portal/", Login: LoginPath, Trusted: p.d.TrustedProxies, Log: "portal: login",
		Disabled: "Dit account is uitgeschakeld; neem contact op met het incassobureau."}
}
