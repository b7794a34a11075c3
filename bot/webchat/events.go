package webchat

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/incassobot/incassobot/bot/internal/sse"
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
		s, err := wc.session(r)
		if err != nil && !errors.Is(err, errNoSession) {
			wc.log.Warn("webchat: session unavailable", "err", err)
			httpError(w, http.StatusServiceUnavailable, "chat unavailable; try again")
			return
		}
		if s == nil {
			httpError(w, http.StatusForbidden, "no chat session; open /chat first")
			return
		}
		done, total, ok := wc.streams.open(wc.bucket(r), s.Conversation, wc.cfg.StreamsPerClient, wc.cfg.StreamsPerSession, wc.cfg.MaxStreams)
		if !ok {
			tooMany(w, total, 30*time.Second, "too many open chat windows; close some and try again")
			return
		}
		defer done()
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		// The stream lives only as long as the secret it was opened with:
		// listen for its rotation, then make sure it did not happen before
		// we listened (rotation deletes the old record, then announces).
		revoked, err := wc.hot.Subscribe(ctx, revokedTopic(s.hash))
		if err != nil {
			wc.log.Warn("webchat: subscribe failed", "err", err)
			httpError(w, http.StatusServiceUnavailable, "live updates unavailable; try again")
			return
		}
		if again, err := wc.session(r); err != nil || again.hash != s.hash {
			httpError(w, http.StatusForbidden, "no chat session; open /chat first")
			return
		}
		go wc.endWithSession(ctx, cancel, r, s.hash, revoked)
		wc.touch(r.Context(), s)
		replies, err := wc.hot.Subscribe(ctx, topic(s.Conversation))
		if err != nil {
			wc.log.Warn("webchat: subscribe failed", "err", err)
			httpError(w, http.StatusServiceUnavailable, "live updates unavailable; try again")
			return
		}
		rc := sse.Open(w)
		if err := wc.sendHistory(ctx, w, s.Conversation); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
		sse.Forward(ctx, w, rc, wc.closing, wc.cfg.Heartbeat, replies, "reply", nil)
	})
}

// endWithSession ends a stream (cancel) when its session does: at once
// when the secret is rotated (revoked), and otherwise at the first
// heartbeat after the session has expired (idle or at its maximum) or
// was removed. A page left open on a shared computer must not keep
// receiving the conversation after the session it was opened with has
// ended; the stream itself is not activity and does not extend it. A
// hot state that cannot answer keeps the stream: only a definite "no
// such session" ends it.
func (wc *WebChat) endWithSession(ctx context.Context, cancel func(), r *http.Request, hash string, revoked <-chan []byte) {
	check := time.NewTicker(wc.cfg.Heartbeat)
	defer check.Stop()
	for {
		select {
		case <-revoked:
			cancel()
			return
		case <-ctx.Done():
			return
		case <-check.C:
			s, err := wc.session(r)
			if errors.Is(err, errNoSession) || (err == nil && s.hash != hash) {
				cancel()
				return
			}
		}
	}
}

// sendHistory writes the earlier lines as one event the page renders in
// place of what it shows, so a reconnect never duplicates lines.
func (wc *WebChat) sendHistory(ctx context.Context, w io.Writer, conversation string) error {
	if wc.cfg.History == nil {
		_, err := io.WriteString(w, ": connected\n\n")
		return err
	}
	lines, err := wc.cfg.History(ctx, conversation)
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
	return sse.Event(w, "history", b)
}
