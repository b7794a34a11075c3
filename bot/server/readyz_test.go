package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/bot/clientip"
	"github.com/incassobot/incassobot/bot/server"
	"github.com/incassobot/incassobot/casestore/sqlite"
)

// Red team session 5, LOW-4: /readyz tells the world only whether the
// instance is ready; the spool's depth and age are for this host (not
// forwarded) or the bearer of the metrics token.
func TestReadyzShowsTheSpoolOnlyToThisHostOrTheToken(t *testing.T) {
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	sidecar, _ := clientip.Parse("127.0.0.1/32")
	const token = "0123456789abcdef0123"
	for _, c := range []struct {
		name    string
		trusted clientip.Trusted
		token   string
		peer    string
		headers map[string]string
		detail  bool
	}{
		{"this host", clientip.Trusted{}, "", "127.0.0.1:4000", nil, true},
		{"the internet", clientip.Trusted{}, "", "203.0.113.5:4000", nil, false},
		{"forwarded by the trusted proxy", sidecar, "", "127.0.0.1:4000", map[string]string{"X-Forwarded-For": "1.2.3.4"}, false},
		{"the trusted proxy without X-Forwarded-For", sidecar, "", "127.0.0.1:4000", nil, false},
		{"the internet with the metrics token", clientip.Trusted{}, token, "203.0.113.5:4000", map[string]string{"Authorization": "Bearer " + token}, true},
		{"the internet with a wrong token", clientip.Trusted{}, token, "203.0.113.5:4000", map[string]string{"Authorization": "Bearer nope"}, false},
	} {
		d := server.Deps{Store: store, Log: quiet, TrustedProxies: c.trusted, MetricsToken: c.token,
			ReadyDetail: func() string { return "spool: 3 message(s), oldest 42s" }}
		req := httptest.NewRequest("GET", "/readyz", nil)
		req.RemoteAddr = c.peer
		for k, v := range c.headers {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		server.New(d).ServeHTTP(rec, req)
		body := rec.Body.String()
		if rec.Code != 200 || !strings.HasPrefix(body, "ok") {
			t.Errorf("%s: /readyz = %d %q, want 200 ok", c.name, rec.Code, body)
		}
		if got := strings.Contains(body, "spool"); got != c.detail {
			t.Errorf("%s: spool detail shown = %v, want %v (%q)", c.name, got, c.detail, body)
		}
	}
}
