package sse_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/internal/sse"
)

// A stream outlives the server's read and write timeouts, which are there
// for every other request (slow clients, stalled uploads).
func TestAStreamOutlivesTheServersTimeouts(t *testing.T) {
	const timeout = 100 * time.Millisecond
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := sse.Open(w)
		sse.Forward(r.Context(), w, rc, nil, timeout/5, make(chan []byte), "reply", nil)
	}))
	srv.Config.ReadTimeout, srv.Config.WriteTimeout = timeout, timeout
	srv.Start()
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	start, pings := time.Now(), 0
	for time.Since(start) < 6*timeout && lines.Scan() {
		if strings.HasPrefix(lines.Text(), ": ping") {
			pings++
		}
	}
	if time.Since(start) < 6*timeout {
		t.Fatalf("the stream ended after %v (%d heartbeats), within the server's %v timeouts: %v", time.Since(start), pings, timeout, lines.Err())
	}
}
