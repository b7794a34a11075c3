package console_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/bot/console"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/internal/bottest"
	"github.com/incassobot/incassobot/casestore"
)

// Oversize and wrong login forms are refused with a 4xx login page that
// says why, no cookie, and nothing stored: no session, no user changed.
// A form that does not parse is not read for credentials, even good ones.
// A real login proves the counting sees what a request stores.
func TestMalformedLoginChangesNothing(t *testing.T) {
	b := bottest.New(t)
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	anna := &casestore.User{Email: "anna@incasso.example", Name: "Anna de Vries", Role: casestore.RoleCollector, PasswordHash: hash}
	if err := b.Store.AddUser(context.Background(), anna); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := console.New(console.Deps{Store: b.Store, Hot: b.Hot, Log: log,
		Auth: &auth.Auth{Store: b.Store, Hot: b.Hot, Log: log}}).Handler()
	good := url.Values{"email": {anna.Email}, "password": {password}}.Encode()

	cases := []struct {
		label       string
		contentType string
		body        string
		wantStatus  int
		wantText    string
		// counted: a login that was read is a failure counted in the
		// system of record (verify_attempts); nothing else is stored.
		counted bool
	}{
		{label: "oversize form", body: good + "&pad=" + strings.Repeat("x", 70<<10),
			wantStatus: http.StatusRequestEntityTooLarge, wantText: "Het formulier is te groot"},
		{label: "broken escape, good credentials", body: good + "&x=%zz",
			wantStatus: http.StatusBadRequest, wantText: "Het formulier kwam niet goed aan"},
		{label: "wrong password", body: url.Values{"email": {anna.Email}, "password": {"raden"}}.Encode(),
			wantStatus: http.StatusUnauthorized, wantText: "E-mailadres of wachtwoord klopt niet.", counted: true},
		{label: "no fields", body: "", wantStatus: http.StatusUnauthorized, wantText: "E-mailadres of wachtwoord klopt niet.", counted: true},
	}
	post := func(contentType, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/console/login", strings.NewReader(body))
		if contentType == "" {
			contentType = "application/x-www-form-urlencoded"
		}
		req.Header.Set("Content-Type", contentType)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			before := b.Rows(t)
			rec := post(c.contentType, c.body)
			if rec.Code != c.wantStatus {
				t.Errorf("status %d, want %d; page:\n%.300s", rec.Code, c.wantStatus, rec.Body)
			}
			if !strings.Contains(rec.Body.String(), c.wantText) {
				t.Errorf("page does not say %q:\n%.300s", c.wantText, rec.Body)
			}
			if len(rec.Result().Cookies()) != 0 {
				t.Errorf("refused, yet set cookies %v", rec.Result().Cookies())
			}
			after := b.Rows(t)
			if c.counted {
				if after["verify_attempts"] <= before["verify_attempts"] {
					t.Errorf("%s: the failure was not counted (verify_attempts %d→%d)", c.label, before["verify_attempts"], after["verify_attempts"])
				}
				after["verify_attempts"] = before["verify_attempts"]
			}
			before.Unchanged(t, after, c.label)
		})
	}

	before := b.Rows(t)
	if rec := post("", good); rec.Code != http.StatusSeeOther || len(rec.Result().Cookies()) == 0 {
		t.Fatalf("a real login: %d, cookies %v", rec.Code, rec.Result().Cookies())
	}
	if len(before.Changed(b.Rows(t))) == 0 {
		t.Fatal("a real login stored nothing either: the counts cannot tell")
	}
}
