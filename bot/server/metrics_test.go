package server_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/incassobot/incassobot/bot/clientip"
	"github.com/incassobot/incassobot/bot/server"
	"github.com/prometheus/client_golang/prometheus"
)

// /metrics is not open to the world: this host only, or the bearer of
// METRICS_TOKEN, or nowhere on ADDR when METRICS_ADDR serves it.
func TestMetricsAreNotOpenToTheWorld(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	lb, _ := clientip.Parse("10.0.0.0/8")
	sidecar, _ := clientip.Parse("127.0.0.1/32")
	for _, c := range []struct {
		name    string
		deps    server.Deps
		peer    string
		headers map[string]string
		want    int
	}{
		{"from the internet", server.Deps{}, "203.0.113.5:4000", nil, 403},
		{"from this host", server.Deps{}, "127.0.0.1:4000", nil, 200},
		{"forwarded by a local proxy", server.Deps{}, "127.0.0.1:4000", map[string]string{"X-Forwarded-For": "203.0.113.5"}, 403},
		{"via the trusted balancer from outside", server.Deps{TrustedProxies: lb}, "10.0.0.2:4000", map[string]string{"X-Forwarded-For": "203.0.113.5"}, 403},
		// Red team session 5, LOW-2: a local proxy (trusted) whose
		// X-Forwarded-For names no untrusted client is not this host.
		{"trusted local proxy, no X-Forwarded-For", server.Deps{TrustedProxies: sidecar}, "127.0.0.1:4000", nil, 403},
		{"trusted local proxy, empty X-Forwarded-For", server.Deps{TrustedProxies: sidecar}, "127.0.0.1:4000", map[string]string{"X-Forwarded-For": ""}, 403},
		{"trusted local proxy, unparseable X-Forwarded-For", server.Deps{TrustedProxies: sidecar}, "127.0.0.1:4000", map[string]string{"X-Forwarded-For": "unknown"}, 403},
		{"trusted local proxy, only trusted X-Forwarded-For", server.Deps{TrustedProxies: sidecar}, "127.0.0.1:4000", map[string]string{"X-Forwarded-For": "127.0.0.1"}, 403},
		{"trusted local proxy with the token", server.Deps{TrustedProxies: sidecar, MetricsToken: "0123456789abcdef0123"}, "127.0.0.1:4000", map[string]string{"X-Forwarded-For": "unknown", "Authorization": "Bearer 0123456789abcdef0123"}, 200},
		{"token configured, none sent", server.Deps{MetricsToken: "0123456789abcdef0123"}, "127.0.0.1:4000", nil, 401},
		{"token configured, wrong one", server.Deps{MetricsToken: "0123456789abcdef0123"}, "203.0.113.5:4000", map[string]string{"Authorization": "Bearer nope"}, 401},
		{"token configured and sent", server.Deps{MetricsToken: "0123456789abcdef0123"}, "203.0.113.5:4000", map[string]string{"Authorization": "Bearer 0123456789abcdef0123"}, 200},
		{"served on METRICS_ADDR instead", server.Deps{MetricsElsewhere: true}, "127.0.0.1:4000", nil, 404},
	} {
		d := c.deps
		d.Gatherer, d.Log = prometheus.NewRegistry(), quiet
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.RemoteAddr = c.peer
		for k, v := range c.headers {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		server.New(d).ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("%s: GET /metrics = %d, want %d", c.name, rec.Code, c.want)
		}
	}
}
