package webchat

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// events streams the session's replies as Server-Sent Events:
//
//	event: history   data: [Line…]   once per connection, when History is set
//	event: reply     data: {"text": …, "options": […]}
//	: ping                            every Heartbeat while idle
//
// It subscribes before it reads the history, so a reply sent in between
// arrives as a live event rather than falling in the gap. The stream ends
// when the browser goes away; EventSource reconnects by itself.
func (wc *WebChat) events() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session(r)
		if s == "" {
			httpError(w, http.StatusForbidden, "no chat session; open /chat first")
			return
		}
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		replies, err := wc.hot.Subscribe(ctx, topic(s))
		if err != nil {
			wc.log.Warn("webchat: subscribe failed", "err", err)
			httpError(w, http.StatusServiceUnavailable, "live updates unavailable; try again")
			return
		}
		rc := http.NewResponseController(w)
		_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's WriteTimeout
		h := w.Header()
		h.Set("Content-Type", "text/event-stream")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
		w.WriteHeader(http.StatusOK)
		if err := wc.sendHistory(ctx, w, s); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
		wc.stream(ctx, w, rc, replies)
	})
}

// sendHistory writes the earlier lines as one event the page renders in
// place of what it shows, so a reconnect never duplicates lines.
func (wc *WebChat) sendHistory(ctx context.Context, w io.Writer, s string) error {
	if wc.cfg.History == nil {
		_, err := io.WriteString(w, ": connected\n\n")
		return err
	}
	lines, err := wc.cfg.History(ctx, s)
	if err != nil {
		wc.log.Warn("webchat: history unavailable", "err", err)
		_, err = io.WriteString(w, ": no history\n\n")
		return err
	}
	if lines == nil {
		lines = []Line{}
	}
	b, err := json.Marshal(lines)
	if err != nil {
		return err
	}
	return writeEvent(w, "history", b)
}

// stream forwards published replies until the client or the server goes.
func (wc *WebChat) stream(ctx context.Context, w io.Writer, rc *http.ResponseController, replies <-chan []byte) {
	beat := time.NewTicker(wc.cfg.Heartbeat)
	defer beat.Stop()
	for {
		var err error
		select {
		case <-ctx.Done():
			return
		case <-wc.closing:
			return
		case msg, ok := <-replies:
			if !ok {
				return
			}
			err = writeEvent(w, "reply", msg)
		case <-beat.C:
			_, err = io.WriteString(w, ": ping\n\n")
		}
		if err == nil {
			err = rc.Flush()
		}
		if err != nil {
			return // the browser is gone
		}
	}
}

// writeEvent writes one SSE event. data is JSON, which never holds a raw
// newline, so it fits one data line.
func writeEvent(w io.Writer, name string, data []byte) error {
	_, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, data)
	return err
}
