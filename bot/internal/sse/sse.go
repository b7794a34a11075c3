// Package sse writes Server-Sent Events streams: the console's live
// updates and the web chat's replies. Both forward messages published on
// the hot state to a browser with the same framing, headers and
// heartbeat; this package keeps that in one place and knows nothing of
// what the messages mean.
package sse

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Open starts an event stream on w: the stream's headers and 200. The
// stream outlives the server's WriteTimeout. Write events to w and flush
// with the returned controller.
func Open(w http.ResponseWriter) *http.ResponseController {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's WriteTimeout
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	return rc
}

// Event writes one event. data is JSON, which never holds a raw newline,
// so it fits one data line.
func Event(w io.Writer, name string, data []byte) error {
	_, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, data)
	return err
}

// Forward writes each message from msgs as event name, flushing after
// each, and a comment every heartbeat while idle (so a proxy does not cut
// a quiet connection). encode turns a message into the event's data, or
// says to skip it; nil forwards messages as they are. Forward returns when
// ctx ends, stop closes, msgs closes or the browser is gone; the browser
// reconnects by itself.
func Forward(ctx context.Context, w io.Writer, rc *http.ResponseController, stop <-chan struct{},
	heartbeat time.Duration, msgs <-chan []byte, name string, encode func([]byte) ([]byte, bool)) {
	beat := time.NewTicker(heartbeat)
	defer beat.Stop()
	for {
		var err error
		select {
		case <-ctx.Done():
			return
		case <-stop:
			return
		case msg, ok := <-msgs:
			if !ok {
				return
			}
			if encode != nil {
				if msg, ok = encode(msg); !ok {
					continue
				}
			}
			err = Event(w, name, msg)
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
