package auth

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore/postgres/pgstoretest"
	"github.com/incassobot/incassobot/casestore/storetest"
)

// The same login and token checks on PostgreSQL, the system of record in
// production: sessions and tokens are found by their hashes there too.
// Skipped when no server answers, failed then under CI=true (pgtest).
func TestOnPostgres(t *testing.T) {
	ctx := context.Background()
	st := pgstoretest.Open(t)
	clk := storetest.NewClock(time.Date(2026, time.March, 16, 8, 30, 0, 0, time.UTC))
	st.Now = clk.Now
	f := newFixtureOn(t, clk, st)

	s := f.login(t, "Anna@Incasso.Example")
	secret, _ := f.token(t, f.users["creditor"])
	for _, tc := range []struct {
		label string
		c     creds
		want  int
	}{
		{"session", creds{cookie: s.ID}, 200},
		{"bearer token", creds{bearer: "Bearer " + secret}, 200},
		{"post with CSRF", creds{cookie: s.ID, csrfHeader: s.CSRFToken}, 200},
		{"post without CSRF", creds{cookie: s.ID}, 403},
	} {
		method := "GET"
		if tc.c.csrfHeader != "" || tc.want == 403 {
			method = "POST"
		}
		w := httptest.NewRecorder()
		f.protected().ServeHTTP(w, request(method, "/api/me", tc.c))
		if w.Code != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.label, w.Code, w.Body, tc.want)
		}
	}
	if _, _, _, err := f.a.Login(ctx, "anna@incasso.example", "verkeerd wachtwoord", "192.0.2.10"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("wrong password: %v", err)
	}
	if _, _, _, err := f.a.Login(ctx, "oud@incasso.example", testPassword, "192.0.2.10"); !errors.Is(err, ErrDisabled) {
		t.Errorf("disabled user: %v", err)
	}
	clk.Advance(DefaultSessionTTL)
	w := httptest.NewRecorder()
	f.protected().ServeHTTP(w, request("GET", "/api/me", creds{cookie: s.ID}))
	if w.Code != 401 {
		t.Errorf("expired session: %d, want 401", w.Code)
	}
}
