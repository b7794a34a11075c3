package webchat

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
)

// The session is an unguessable id in a cookie the page's script cannot
// read (HttpOnly) and other sites cannot send (SameSite=Strict). It is the
// conversation's address: bot.Inbound.From and the replies' topic. It lives
// until the browser closes, so a shared computer does not keep a debtor's
// chat for the next person; the dialog's own verification expires anyway.

const (
	cookieName = "ib_chat"
	csrfHeader = "X-CSRF-Token"
	sessionLen = 16 // bytes of crypto/rand: 128 bits
)

var b64 = base64.RawURLEncoding

// newSession returns a fresh random session id.
func newSession() string {
	b := make([]byte, sessionLen)
	_, _ = rand.Read(b) // never fails on supported platforms (Go 1.24+)
	return b64.EncodeToString(b)
}

// validSession reports whether s has the shape newSession gives, so a
// forged cookie of another shape never reaches the bot or a topic name.
func validSession(s string) bool {
	if len(s) != b64.EncodedLen(sessionLen) {
		return false
	}
	b, err := b64.DecodeString(s)
	return err == nil && len(b) == sessionLen
}

// session returns the request's session id, or "" when it has none.
func session(r *http.Request) string {
	c, err := r.Cookie(cookieName)
	if err != nil || !validSession(c.Value) {
		return ""
	}
	return c.Value
}

// setSession gives the browser a session cookie.
func (wc *WebChat) setSession(w http.ResponseWriter, s string) {
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: s, Path: "/chat",
		HttpOnly: true, Secure: wc.cfg.Secure, SameSite: http.SameSiteStrictMode,
	})
}

// csrfToken binds a token to the session: another site cannot read our
// page, so it cannot learn the token a POST must carry.
func (wc *WebChat) csrfToken(session string) string {
	m := hmac.New(sha256.New, wc.key)
	m.Write([]byte("webchat-csrf:" + session))
	return b64.EncodeToString(m.Sum(nil))
}

// csrfOK reports whether the request carries the session's token.
func (wc *WebChat) csrfOK(r *http.Request, session string) bool {
	got := r.Header.Get(csrfHeader)
	return got != "" && hmac.Equal([]byte(got), []byte(wc.csrfToken(session)))
}
