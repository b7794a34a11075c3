package webchat

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/clientip"
)

// maxClientID bounds the page's message id (a UUID is 36 characters).
const maxClientID = 64

// postedMessage is what the page POSTs: its own id for the message (the
// same id on a retry, so the router drops the duplicate) and the text.
type postedMessage struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// messages accepts a debtor's message and answers 202 once the bot has
// committed it. Status codes: 403 without a session or CSRF token, 415
// not JSON, 400 broken JSON or no text, 413 too long, 429 too many, 500
// when it could not be committed (the page retries with the same id).
func (wc *WebChat) messages() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, ok := wc.authorize(w, r)
		if !ok {
			return
		}
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
			httpError(w, http.StatusUnsupportedMediaType, "send application/json")
			return
		}
		msg, status, why := wc.decode(w, r)
		if status != 0 {
			httpError(w, status, why)
			return
		}
		wc.accept(w, r, s, bot.Inbound{ProviderID: "web:" + s.Conversation + ":" + msg.ID, Text: msg.Text})
	})
}

// authorize finds the request's server-side session and checks its CSRF
// token; on false it has answered the request.
func (wc *WebChat) authorize(w http.ResponseWriter, r *http.Request) (*session, bool) {
	s, err := wc.session(r)
	if err != nil && !errors.Is(err, errNoSession) {
		wc.log.Warn("webchat: session unavailable", "err", err)
		httpError(w, http.StatusServiceUnavailable, "chat unavailable; try again")
		return nil, false
	}
	if s == nil || !csrfOK(r, s) {
		httpError(w, http.StatusForbidden, "session or CSRF token missing or invalid")
		return nil, false
	}
	return s, true
}

// accept hands a debtor's message or file to the bot under the session's
// limits and answers 202 once it is committed: the one path for both.
func (wc *WebChat) accept(w http.ResponseWriter, r *http.Request, s *session, in bot.Inbound) {
	client := wc.client(r)
	if l, over := wc.overLimit(r.Context(),
		limit{"conv:" + s.Conversation, wc.cfg.MessagesPerMinute},
		limit{"client:" + clientip.Bucket(client), wc.cfg.ClientMessagesPerMinute},
		limit{"all", wc.cfg.MessagesPerMinuteTotal}); over {
		tooMany(w, l.key == "all", time.Minute, "too many messages; wait a minute")
		return
	}
	wc.touch(r.Context(), s)
	in.Channel, in.From, in.Client, in.At = Channel, s.Conversation, client, wc.cfg.Now()
	if err := wc.sink.Receive(r.Context(), in); errors.Is(err, bot.ErrBusy) {
		bot.RefuseBusy(w) // the page says so and the debtor sends again
		return
	} else if err != nil {
		// The text is the debtor's: never in the log.
		wc.log.Warn("webchat: message not committed", "err", err)
		httpError(w, http.StatusInternalServerError, "not saved; please send again")
		return
	}
	wc.rotateIfVerified(r.Context(), w, s)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_, _ = w.Write([]byte(`{"status":"accepted"}` + "\n"))
}

// decode reads and checks the posted message; a non-zero status says why
// it was refused.
func (wc *WebChat) decode(w http.ResponseWriter, r *http.Request) (postedMessage, int, string) {
	var msg postedMessage
	// JSON may spell a byte as \u00XX (6 bytes): room for that, no more.
	body := http.MaxBytesReader(w, r.Body, int64(6*wc.cfg.MaxMessageBytes+256))
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&msg); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return msg, http.StatusRequestEntityTooLarge, "message too long"
		}
		return msg, http.StatusBadRequest, "broken JSON"
	}
	if dec.More() {
		return msg, http.StatusBadRequest, "one JSON object expected"
	}
	if !validClientID(msg.ID) {
		return msg, http.StatusBadRequest, "id: 1 to 64 letters, digits, - or _"
	}
	msg.Text = strings.TrimSpace(msg.Text)
	switch {
	case msg.Text == "":
		return msg, http.StatusBadRequest, "text is empty"
	case !utf8.ValidString(msg.Text):
		return msg, http.StatusBadRequest, "text is not UTF-8"
	case len(msg.Text) > wc.cfg.MaxMessageBytes:
		return msg, http.StatusRequestEntityTooLarge, "message longer than " + strconv.Itoa(wc.cfg.MaxMessageBytes) + " bytes"
	}
	return msg, 0, ""
}

func validClientID(id string) bool {
	if id == "" || len(id) > maxClientID {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// httpError answers with a small JSON error the page can show.
func httpError(w http.ResponseWriter, status int, why string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": why})
}
