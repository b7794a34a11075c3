package auth

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/clientip"
	"github.com/incassobot/incassobot/casestore"
)

// creds is how a test request proves who it is.
type creds struct {
	cookie, bearer, csrfHeader, csrfForm string
}

// protected is a console route behind RequireUser(roles) and RequireCSRF
// that answers with the user's e-mail address.
func (f *fixture) protected(roles ...casestore.Role) http.Handler {
	return f.a.RequireUser(roles...)(f.a.RequireCSRF(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ok := UserFrom(r.Context())
		if !ok {
			http.Error(w, "no user in context", http.StatusInternalServerError)
			return
		}
		w.Write([]byte(u.Email))
	})))
}

func request(method, path string, c creds) *http.Request {
	var body *strings.Reader
	if c.csrfForm != "" {
		body = strings.NewReader(url.Values{CSRFField: {c.csrfForm}, "note": {"belt terug"}}.Encode())
	} else {
		body = strings.NewReader("")
	}
	r := httptest.NewRequest(method, path, body)
	if c.csrfForm != "" {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.cookie != "" {
		r.AddCookie(&http.Cookie{Name: CookieName, Value: c.cookie})
	}
	if c.bearer != "" {
		r.Header.Set("Authorization", c.bearer)
	}
	if c.csrfHeader != "" {
		r.Header.Set(CSRFHeader, c.csrfHeader)
	}
	return r
}

func (f *fixture) login(t *testing.T, email string) *casestore.Session {
	t.Helper()
	_, s, _, err := f.a.Login(context.Background(), email, testPassword, "192.0.2.10")
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return s
}

func (f *fixture) token(t *testing.T, u *casestore.User) (string, *casestore.APIToken) {
	t.Helper()
	secret, k, err := f.a.NewAPIToken(context.Background(), u.ID, "boekhouding export")
	if err != nil {
		t.Fatalf("token for %s: %v", u.Email, err)
	}
	return secret, k
}

func TestRequireUser(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	anna := f.login(t, "anna@incasso.example")
	sven := f.login(t, "sven@incasso.example")
	creditor := f.login(t, "boekhouding@energiedirect.example")
	annaToken, _ := f.token(t, f.users["collector"])
	annaConsoleToken, _, err := f.a.NewScopedAPIToken(ctx, f.users["collector"].ID, "script", casestore.ScopeConsole, nil)
	if err != nil {
		t.Fatal(err)
	}
	creditorToken, _ := f.token(t, f.users["creditor"])
	revoked, rk := f.token(t, f.users["collector"])
	if err := f.st.RevokeAPIToken(ctx, rk.ID); err != nil {
		t.Fatal(err)
	}
	// A token made while its user was enabled stops with the user.
	second := &casestore.User{Email: "els@incasso.example", Name: "Els", Role: casestore.RoleSupervisor, PasswordHash: f.users["supervisor"].PasswordHash}
	if err := f.st.AddUser(ctx, second); err != nil {
		t.Fatal(err)
	}
	elsToken, _ := f.token(t, second)
	if err := f.st.SetUserDisabled(ctx, second.ID, true); err != nil {
		t.Fatal(err)
	}
	collectors := []casestore.Role{casestore.RoleCollector}
	for _, tc := range []struct {
		label        string
		roles        []casestore.Role
		method, path string
		creds        creds
		wantStatus   int
		wantBody     string // substring
		wantLocation string
	}{
		{"API without credentials", nil, "GET", "/api/cases", creds{}, 401, `{"error":"log in first"}`, ""},
		{"page without credentials", nil, "GET", "/console/queue?page=2", creds{}, 303, "", "/console/login?next=%2Fconsole%2Fqueue%3Fpage%3D2"},
		{"form post without credentials", nil, "POST", "/console/handoffs/7/claim", creds{}, 401, "log in first", ""},
		{"page with a forged cookie", nil, "GET", "/console/queue", creds{cookie: strings.Repeat("A", 43)}, 303, "", "/console/login?next=%2Fconsole%2Fqueue"},
		{"page with a malformed cookie", nil, "GET", "/console/queue", creds{cookie: "'; DROP TABLE sessions"}, 303, "", "/console/login?next=%2Fconsole%2Fqueue"},
		{"page with a session", collectors, "GET", "/console/queue", creds{cookie: anna.ID}, 200, "anna@incasso.example", ""},
		{"supervisor on a collector page", collectors, "GET", "/console/queue", creds{cookie: sven.ID}, 200, "sven@incasso.example", ""},
		{"creditor on a collector page", collectors, "GET", "/console/queue", creds{cookie: creditor.ID}, 403, "may not open", ""},
		{"collector on a supervisor page", []casestore.Role{casestore.RoleSupervisor}, "GET", "/console/team", creds{cookie: anna.ID}, 403, "may not open", ""},
		{"API with a bearer token", nil, "GET", "/api/cases", creds{bearer: "Bearer " + creditorToken}, 200, "boekhouding@energiedirect.example", ""},
		{"scheme in lower case", nil, "GET", "/api/cases", creds{bearer: "bearer " + creditorToken}, 200, "boekhouding@energiedirect.example", ""},
		{"creditor token on a collector API", collectors, "GET", "/api/handoffs", creds{bearer: "Bearer " + creditorToken}, 403, `{"error":"your account may not open this"}`, ""},
		{"revoked token", nil, "GET", "/api/cases", creds{bearer: "Bearer " + revoked}, 401, `"error"`, ""},
		{"token of a disabled user", nil, "GET", "/api/cases", creds{bearer: "Bearer " + elsToken}, 401, `"error"`, ""},
		{"unknown token", nil, "GET", "/api/cases", creds{bearer: "Bearer ib_" + strings.Repeat("x", 43)}, 401, `"error"`, ""},
		{"session id as a bearer token", nil, "GET", "/api/cases", creds{bearer: "Bearer " + anna.ID}, 401, `"error"`, ""},
		{"basic auth", nil, "GET", "/api/cases", creds{bearer: "Basic YW5uYTp3ZWxrb20="}, 401, `"error"`, ""},
		{"a bad token is not rescued by a cookie", nil, "GET", "/console/queue", creds{bearer: "Bearer nonsense", cookie: anna.ID}, 401, `"error"`, ""},
		{"post without CSRF token", nil, "POST", "/console/handoffs/7/claim", creds{cookie: anna.ID}, 403, "reload the page", ""},
		{"post with the CSRF header", nil, "POST", "/console/handoffs/7/claim", creds{cookie: anna.ID, csrfHeader: anna.CSRFToken}, 200, "anna@", ""},
		{"post with the CSRF form field", nil, "POST", "/console/handoffs/7/claim", creds{cookie: anna.ID, csrfForm: anna.CSRFToken}, 200, "anna@", ""},
		{"post with another session's CSRF token", nil, "POST", "/console/handoffs/7/claim", creds{cookie: anna.ID, csrfHeader: sven.CSRFToken}, 403, "reload the page", ""},
		{"JSON post with a session and no CSRF token", nil, "POST", "/api/handoffs/7/claim", creds{cookie: anna.ID}, 403, `{"error":`, ""},
		{"API post with a console token needs no CSRF token", nil, "POST", "/api/handoffs/7/claim", creds{bearer: "Bearer " + annaConsoleToken}, 200, "anna@", ""},
		// Issue 13: a collector's token could do every console action.
		{"API post with a read-only token", nil, "POST", "/api/handoffs/7/claim", creds{bearer: "Bearer " + annaToken}, 403, "may only read", ""},
		{"API read with a read-only token", collectors, "GET", "/api/handoffs", creds{bearer: "Bearer " + annaToken}, 200, "anna@", ""},
		{"delete without CSRF token", nil, "DELETE", "/console/notes/3", creds{cookie: anna.ID}, 403, "reload the page", ""},
	} {
		t.Run(tc.label, func(t *testing.T) {
			w := httptest.NewRecorder()
			f.protected(tc.roles...).ServeHTTP(w, request(tc.method, tc.path, tc.creds))
			if w.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d; body %q", w.Code, tc.wantStatus, w.Body)
			}
			if !strings.Contains(w.Body.String(), tc.wantBody) {
				t.Errorf("body %q lacks %q", w.Body, tc.wantBody)
			}
			if loc := w.Header().Get("Location"); loc != tc.wantLocation {
				t.Errorf("Location %q, want %q", loc, tc.wantLocation)
			}
			if strings.HasPrefix(tc.path, "/api/") && w.Code >= 400 {
				var e map[string]string
				if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e["error"] == "" {
					t.Errorf("API error is not JSON {\"error\": …}: %q", w.Body)
				}
			}
			if tc.wantStatus == 401 && strings.HasPrefix(tc.path, "/api/") && w.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("401 from the API without WWW-Authenticate")
			}
		})
	}
}

// Issue 13: API tokens never expired. A new one works for
// DefaultTokenLifetime, then gets 401 like an unknown one.
func TestTokenExpires(t *testing.T) {
	f := newFixture(t)
	secret, k := f.token(t, f.users["creditor"])
	if k.ExpiresAt == nil || !k.ExpiresAt.Equal(f.clk.Now().Add(casestore.DefaultTokenLifetime)) || k.Scope != casestore.ScopeRead {
		t.Fatalf("new token: expires %v, scope %q; want in %s, read", k.ExpiresAt, k.Scope, casestore.DefaultTokenLifetime)
	}
	get := func() int {
		w := httptest.NewRecorder()
		f.protected().ServeHTTP(w, request("GET", "/api/cases", creds{bearer: "Bearer " + secret}))
		return w.Code
	}
	f.clk.Advance(casestore.DefaultTokenLifetime - time.Second)
	if code := get(); code != 200 {
		t.Fatalf("a second before expiry: %d, want 200", code)
	}
	f.clk.Advance(time.Second)
	if code := get(); code != 401 {
		t.Errorf("at expiry: %d, want 401", code)
	}
}

func TestSessionExpires(t *testing.T) {
	f := newFixture(t)
	s := f.login(t, "anna@incasso.example")
	get := func() int {
		w := httptest.NewRecorder()
		f.protected().ServeHTTP(w, request("GET", "/api/me", creds{cookie: s.ID}))
		return w.Code
	}
	f.clk.Advance(DefaultSessionTTL - time.Second)
	if code := get(); code != 200 {
		t.Fatalf("a second before expiry: %d, want 200", code)
	}
	f.clk.Advance(time.Second)
	if code := get(); code != 401 {
		t.Errorf("at expiry: %d, want 401", code)
	}
}

func TestDisablingEndsSessions(t *testing.T) {
	f := newFixture(t)
	s := f.login(t, "anna@incasso.example")
	if err := f.st.SetUserDisabled(context.Background(), f.users["collector"].ID, true); err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	f.protected().ServeHTTP(w, request("GET", "/api/me", creds{cookie: s.ID}))
	if w.Code != 401 {
		t.Errorf("session of a disabled user: %d, want 401", w.Code)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	for _, secure := range []bool{false, true} {
		f := newFixture(t)
		f.a.Secure = secure
		expires := f.clk.Now().Add(DefaultSessionTTL)
		w := httptest.NewRecorder()
		f.a.SetSessionCookie(w, "sessie-id", expires)
		cs := w.Result().Cookies()
		if len(cs) != 1 {
			t.Fatalf("secure=%t: %d cookies", secure, len(cs))
		}
		c := cs[0]
		if c.Name != CookieName || c.Value != "sessie-id" || c.Path != "/" || !c.HttpOnly ||
			c.SameSite != http.SameSiteLaxMode || c.Secure != secure || c.MaxAge != 12*3600 || !c.Expires.Equal(expires) {
			t.Errorf("secure=%t: cookie %+v (Set-Cookie %q)", secure, c, w.Header().Get("Set-Cookie"))
		}
		w = httptest.NewRecorder()
		f.a.ClearSessionCookie(w)
		c = w.Result().Cookies()[0]
		if c.Name != CookieName || c.MaxAge >= 0 || c.Value != "" || c.Secure != secure || !c.HttpOnly {
			t.Errorf("secure=%t: clearing cookie %+v", secure, c)
		}
	}
}

func TestLogout(t *testing.T) {
	f := newFixture(t)
	s := f.login(t, "anna@incasso.example")
	w := httptest.NewRecorder()
	if err := f.a.Logout(w, request("POST", "/console/logout", creds{cookie: s.ID})); err != nil {
		t.Fatal(err)
	}
	if c := w.Result().Cookies(); len(c) != 1 || c[0].MaxAge >= 0 {
		t.Errorf("logout did not clear the cookie: %v", c)
	}
	w = httptest.NewRecorder()
	f.protected().ServeHTTP(w, request("GET", "/api/me", creds{cookie: s.ID}))
	if w.Code != 401 {
		t.Errorf("the old cookie after logout: %d, want 401", w.Code)
	}
	// Twice, or without a session: still logged out, no error.
	if err := f.a.Logout(httptest.NewRecorder(), request("POST", "/console/logout", creds{cookie: s.ID})); err != nil {
		t.Errorf("second logout: %v", err)
	}
}

func TestNewAPIToken(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	secret, k, err := f.a.NewAPIToken(ctx, f.users["creditor"].ID, "  boekhouding export ")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "ib_") || len(secret) != 3+43 || k.Hash != casestore.HashSecret(secret) || k.Name != "boekhouding export" {
		t.Errorf("secret %q, token %+v", secret, k)
	}
	stored, err := f.st.APITokens(ctx, f.users["creditor"].ID)
	if err != nil || len(stored) != 1 || stored[0].Hash == secret || stored[0].LastUsedAt != nil {
		t.Fatalf("stored tokens %+v, %v", stored, err)
	}
	if _, _, err := f.a.NewAPIToken(ctx, f.users["disabled"].ID, "script"); err == nil {
		t.Error("a disabled user got a token")
	}

	// Use is recorded, at most once a minute.
	use := func() {
		w := httptest.NewRecorder()
		f.protected().ServeHTTP(w, request("GET", "/api/cases", creds{bearer: "Bearer " + secret}))
		if w.Code != 200 {
			t.Fatalf("token refused: %d %s", w.Code, w.Body)
		}
	}
	lastUsed := func() time.Time {
		ks, err := f.st.APITokens(ctx, f.users["creditor"].ID)
		if err != nil || ks[0].LastUsedAt == nil {
			t.Fatalf("tokens %+v, %v: no last use", ks, err)
		}
		return *ks[0].LastUsedAt
	}
	first := f.clk.Now()
	use()
	f.clk.Advance(30 * time.Second)
	use()
	if got := lastUsed(); !got.Equal(first) {
		t.Errorf("last used %s after two uses 30 s apart, want the first, %s", got, first)
	}
	f.clk.Advance(31 * time.Second)
	use()
	if got := lastUsed(); !got.Equal(f.clk.Now()) {
		t.Errorf("last used %s a minute later, want %s", got, f.clk.Now())
	}
}

func TestClientIP(t *testing.T) {
	for _, tc := range []struct {
		remote, xff string
		trust       bool
		want        string
	}{
		{"192.0.2.10:51234", "", false, "192.0.2.10"},
		{"192.0.2.10:51234", "203.0.113.5", false, "192.0.2.10"},
		{"10.0.0.2:51234", "198.51.100.1, 203.0.113.5", true, "203.0.113.5"},
		{"10.0.0.2:51234", "", true, "10.0.0.2"},
		{"10.0.0.2:51234", "not an address", true, "10.0.0.2"},
		{"[2001:db8::1]:443", "", false, "2001:db8::1"},
	} {
		r := httptest.NewRequest("GET", "/console/login", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		var trusted clientip.Trusted
		if tc.trust {
			trusted, _ = clientip.Parse("10.0.0.0/8")
		}
		if got := ClientIP(r, trusted); got != tc.want {
			t.Errorf("ClientIP(%s, XFF %q, trust %t) = %q, want %q", tc.remote, tc.xff, tc.trust, got, tc.want)
		}
	}
}
