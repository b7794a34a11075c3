package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/bot/api/apitest"
)

// What the database says about a request it refuses (its encoding, its
// constraint names, SQLSTATEs) never reaches the caller: a value no store
// can use gets a plain 400 that speaks of the request.
func TestDatabaseErrorTextNeverReachesTheCaller(t *testing.T) {
	f := serve(t, apitest.Postgres(t))
	for _, path := range []string{
		"/api/v1/cases/IB%00-2026",
		"/api/v1/cases/IB%FF-2026",
		"/api/v1/cases?search=a%00b",
		"/api/v1/cases/" + apitest.RefHand + "/dossier?search=%00",
		"/api/v1/cases/IB%00/files/1",
	} {
		a := f.get(path, "token:alice")
		body := strings.ToLower(string(a.body))
		if a.code != http.StatusBadRequest && a.code != http.StatusNotFound {
			t.Errorf("GET %s = %d %s, want 400 or 404", path, a.code, a.body)
		}
		for _, leak := range []string{"utf8", "byte sequence", "postgres", "sqlstate", "0x00", "pq:", "relation", "violates"} {
			if strings.Contains(body, leak) {
				t.Errorf("GET %s answered with the database's words (%q): %s", path, leak, a.body)
			}
		}
	}
}
