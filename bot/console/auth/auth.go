package auth

import (
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"time"

	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/casestore"
)

// Auth logs people in and checks every console and API request. It keeps
// nothing itself: accounts, sessions, token hashes and the login attempt
// counters live in Store, the API tokens' last-use marks in Hot, so any
// number of instances share them.
type Auth struct {
	Store casestore.Store
	Hot   hotstate.Store
	// Now is the clock for session expiry and token use; time.Now when nil.
	Now func() time.Time
	// Secure marks cookies Secure: set it whenever the console is reached
	// over TLS (directly or behind a TLS-terminating proxy), so the session
	// id never travels in the clear.
	Secure bool
	// SessionTTL is how long a login lasts, from the login on (not from the
	// last request): a working day. Zero means DefaultSessionTTL.
	SessionTTL time.Duration
	// Log receives refused logins and store failures; slog.Default when nil.
	Log *slog.Logger
	// LoginPage is where RequireUser sends a browser without a session;
	// LoginPath (the console's) when empty. The creditors' pages have
	// their own login page and use an Auth with this set.
	LoginPage string
	// AttackDelay is how long every login attempt from an address new to
	// an account waits while that account is under attack (login.go);
	// DefaultAttackDelay when zero.
	AttackDelay time.Duration
}

// DefaultSessionTTL is a working day plus some: a collector logs in once
// in the morning, and a stolen cookie stops working by the next day.
const DefaultSessionTTL = 12 * time.Hour

func (a *Auth) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *Auth) ttl() time.Duration {
	if a.SessionTTL > 0 {
		return a.SessionTTL
	}
	return DefaultSessionTTL
}

func (a *Auth) log() *slog.Logger {
	if a.Log != nil {
		return a.Log
	}
	return slog.Default()
}

// secretLen is the random bytes in a session id, CSRF token and API token:
// 256 bits, beyond guessing however many requests are made.
const secretLen = 32

var b64 = base64.RawURLEncoding

// newSecret returns secretLen random bytes, base64url without padding (43
// characters): safe in a cookie, a header and a form field.
func newSecret() string {
	b := make([]byte, secretLen)
	_, _ = rand.Read(b) // never fails on supported platforms (Go 1.24+)
	return b64.EncodeToString(b)
}

// secretShaped reports whether s is what newSecret returns, so a forged
// cookie or token of another shape costs no database lookup.
func secretShaped(s string) bool {
	if len(s) != b64.EncodedLen(secretLen) {
		return false
	}
	_, err := b64.DecodeString(s)
	return err == nil
}
