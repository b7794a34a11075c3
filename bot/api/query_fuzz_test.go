package api_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/bot/api"
)

// Whatever query string a creditor's program sends to the case list, the
// filters are read or refused with a message, never with a panic: an
// accepted limit and offset are what was asked (or the default), never
// negative, and a limit of 0 is refused rather than read as "all".
func FuzzParseCaseQuery(f *testing.F) {
	for _, s := range []string{"", "status=open&limit=10&offset=20", "disputed=true", "disputed=ja", "limit=0", "limit=-1",
		"limit=99999999999999999999", "offset=1e3", "search=%C3%A9n&stage=reminder", "limit=5&limit=6", "limit=+7", "limit= 7"} {
		f.Add(s)
	}
	const defaultLimit = 50
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, msg := api.ParseCaseQuery(v.Get, defaultLimit)
		if msg != "" {
			if strings.TrimSpace(msg) == "" || !strings.Contains(msg, ":") {
				t.Fatalf("refused %q with %q: want the field and what is wrong", raw, msg)
			}
			return
		}
		if q.Limit < 1 || q.Offset < 0 {
			t.Fatalf("%q read as limit %d offset %d", raw, q.Limit, q.Offset)
		}
		for name, got := range map[string]int{"limit": q.Limit, "offset": q.Offset} {
			s := v.Get(name)
			if s == "" {
				continue
			}
			if n, err := strconv.Atoi(s); err != nil || n != got {
				t.Fatalf("%s=%q read as %d", name, s, got)
			}
		}
		if v.Get("limit") == "" && q.Limit != defaultLimit {
			t.Fatalf("no limit asked, got %d", q.Limit)
		}
		if q.Search != strings.TrimSpace(v.Get("search")) {
			t.Fatalf("search %q read as %q", v.Get("search"), q.Search)
		}
	})
}
