package webchat

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/incassobot/incassobot/bot/hotstate"
)

// Sessions are issued and kept by the server. The cookie carries a random
// secret that the page's script cannot read (HttpOnly) and other sites
// cannot send (SameSite=Strict); hot state keeps, under the secret's
// SHA-256 only, the session's record: the conversation it speaks for and
// its CSRF token. A cookie the server did not issue (or whose session
// ended) is refused, and the page issues a new session.
//
// The conversation id is not a secret: it is the address the bot, the
// dossier, the console and the logs know the web chat by. Knowing it
// gives nothing, because only the cookie's secret reaches the record that
// names it. The secret is rotated when the conversation verifies, so a
// session planted in the browser before that (fixation) is worthless
// afterwards.
//
// A session ends after SessionIdle without a request, and in any case
// SessionMax after it began; a new session is a new conversation, so the
// debtor verifies again. That bounds how long a verification lasts on a
// shared computer.

const (
	cookieName = "ib_chat"
	csrfHeader = "X-CSRF-Token"
	secretLen  = 32 // bytes of crypto/rand in the cookie: 256 bits
	idLen      = 16 // bytes of crypto/rand in a conversation id: 128 bits
	// conversationPrefix tells a conversation id from the session ids of
	// old (they had no prefix), which were secrets.
	conversationPrefix = "wc_"
	sessionKeyPrefix   = "webchat:session:"
)

// Defaults for Config.SessionIdle and Config.SessionMax.
const (
	DefaultSessionIdle = 30 * time.Minute
	DefaultSessionMax  = 8 * time.Hour
)

var b64 = base64.RawURLEncoding

// record is what the server keeps of a session.
type record struct {
	Conversation string `json:"c"`
	CSRF         string `json:"x"`
	Started      int64  `json:"t"`           // unix seconds
	Verified     bool   `json:"v,omitempty"` // rotated after the conversation verified
}

// session is a request's live session: its record and the hash it is kept under.
type session struct {
	record
	hash string
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails on supported platforms (Go 1.24+)
	return b64.EncodeToString(b)
}

// ValidConversation reports whether s has the shape of a web chat
// conversation id, so a forged address never reaches a topic name.
func ValidConversation(s string) bool {
	if len(s) != len(conversationPrefix)+b64.EncodedLen(idLen) || s[:len(conversationPrefix)] != conversationPrefix {
		return false
	}
	b, err := b64.DecodeString(s[len(conversationPrefix):])
	return err == nil && len(b) == idLen
}

// hashSecret is the key a secret's record is kept under.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return sessionKeyPrefix + hex.EncodeToString(sum[:])
}

// errNoSession: the request carries no cookie the server issued.
var errNoSession = errors.New("webchat: no session")

// session returns the request's session, errNoSession when it has none
// the server knows, or another error when hot state cannot say.
func (wc *WebChat) session(r *http.Request) (*session, error) {
	c, err := r.Cookie(cookieName)
	if err != nil || len(c.Value) != b64.EncodedLen(secretLen) {
		return nil, errNoSession
	}
	key := hashSecret(c.Value)
	b, err := wc.hot.Get(r.Context(), key)
	if errors.Is(err, hotstate.ErrMiss) {
		return nil, errNoSession
	}
	if err != nil {
		return nil, err
	}
	var rec record
	if json.Unmarshal(b, &rec) != nil || !ValidConversation(rec.Conversation) || rec.CSRF == "" {
		return nil, errNoSession
	}
	if wc.cfg.Now().After(time.Unix(rec.Started, 0).Add(wc.cfg.SessionMax)) {
		_ = wc.hot.Delete(r.Context(), key)
		return nil, errNoSession
	}
	return &session{record: rec, hash: key}, nil
}

// ttl is how long the record is kept from now: SessionIdle, but never
// past SessionMax after the start.
func (wc *WebChat) ttl(rec record) time.Duration {
	left := time.Unix(rec.Started, 0).Add(wc.cfg.SessionMax).Sub(wc.cfg.Now())
	return max(min(wc.cfg.SessionIdle, left), time.Second)
}

// store keeps rec under a fresh secret and gives the browser that secret.
func (wc *WebChat) store(ctx context.Context, w http.ResponseWriter, rec record) (*session, error) {
	secret := randomString(secretLen)
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	key := hashSecret(secret)
	if err := wc.hot.Set(ctx, key, b, wc.ttl(rec)); err != nil {
		return nil, err
	}
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: secret, Path: "/chat",
		HttpOnly: true, Secure: wc.cfg.Secure, SameSite: http.SameSiteStrictMode,
	})
	return &session{record: rec, hash: key}, nil
}

// issue starts a new session: a new conversation.
func (wc *WebChat) issue(ctx context.Context, w http.ResponseWriter) (*session, error) {
	return wc.store(ctx, w, record{
		Conversation: conversationPrefix + randomString(idLen),
		CSRF:         randomString(32),
		Started:      wc.cfg.Now().Unix(),
	})
}

// touch keeps an active session alive for another SessionIdle.
func (wc *WebChat) touch(ctx context.Context, s *session) {
	b, err := json.Marshal(s.record)
	if err == nil {
		err = wc.hot.Set(ctx, s.hash, b, wc.ttl(s.record))
	}
	if err != nil {
		wc.log.Warn("webchat: session not extended", "err", err)
	}
}

// rotateIfVerified gives the browser a new secret once its conversation
// has verified, and forgets the old one. The conversation and the CSRF
// token stay: the page keeps working.
func (wc *WebChat) rotateIfVerified(ctx context.Context, w http.ResponseWriter, s *session) {
	if s.Verified || wc.cfg.Verified == nil || !wc.cfg.Verified(ctx, s.Conversation) {
		return
	}
	rec := s.record
	rec.Verified = true
	if _, err := wc.store(ctx, w, rec); err != nil {
		wc.log.Warn("webchat: session not rotated", "err", err)
		return
	}
	if err := wc.hot.Delete(ctx, s.hash); err != nil {
		wc.log.Warn("webchat: old session not removed", "err", err)
	}
	// Streams opened with the old secret (on any instance) end now: one a
	// planted cookie opened must not hear the verified conversation. The
	// page's own stream reconnects with the new secret; the old one is
	// refused from here on.
	if err := wc.hot.Publish(ctx, revokedTopic(s.hash), []byte("rotated")); err != nil {
		wc.log.Warn("webchat: old session's streams not ended", "err", err)
	}
}

// revokedTopic is where the end of the session kept under hash is
// announced to its open events streams.
func revokedTopic(hash string) string { return "webchat:revoked:" + hash[len(sessionKeyPrefix):] }

// csrfOK reports whether the request carries the session's token.
func csrfOK(r *http.Request, s *session) bool {
	got := r.Header.Get(csrfHeader)
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.CSRF)) == 1
}
