package console

import (
	"net/http"

	"github.com/incassobot/incassobot/bot/console/auth"
)

type loginData struct {
	base
	Email, Next, Error string
}

func (c *Console) loginPage(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusOK, "login", loginData{Next: c.loginSite().NextFrom(r.URL.Query().Get("next"))})
}

// login checks the password and starts a session (auth.LogIn).
func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	c.d.Auth.LogIn(w, r, c.loginSite(), func(status int, p auth.LoginPage) {
		c.render(w, r, status, "login", loginData{Email: p.Email, Next: p.Next, Error: p.Error})
	})
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request) {
	if err := c.d.Auth.Logout(w, r); err != nil {
		c.d.Log.Error("console: logout", "err", err)
	}
	http.Redirect(w, r, auth.LoginPath, http.StatusSeeOther)
}

// loginSite is the console as auth.LogIn sees it.
func (c *Console) loginSite() auth.LoginSite {
	return auth.LoginSite{Home: "/console/", Login: auth.LoginPath, Trusted: c.d.TrustedProxies, Log: "console: login",
		Disabled: "Dit account is uitgeschakeld; vraag het een supervisor."}
}
