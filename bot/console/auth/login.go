package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/casestore"
)

// Login limits. A person who forgot a password gives up or asks long
// before 5 tries; a guesser gets 5 per address and 20 per network address
// every quarter of an hour, which makes guessing even a weak 12-character
// password hopeless.
const (
	MaxAttemptsPerEmail = 5
	MaxFailuresPerIP    = 20
	LoginWindow         = 15 * time.Minute
)

var (
	// ErrBadCredentials is the one answer for an unknown address and a
	// wrong password alike, so the login page does not reveal who has an
	// account.
	ErrBadCredentials = errors.New("e-mail address or password is wrong")
	// ErrDisabled: the password was right but the account is disabled; only
	// said to someone who knows the password.
	ErrDisabled = errors.New("this account is disabled; ask a supervisor")
	// ErrRateLimited: too many attempts; errors.As gives *RateLimitError.
	ErrRateLimited = errors.New("too many login attempts")
)

// RateLimitError says how long to wait before the next attempt is heard.
type RateLimitError struct {
	Wait time.Duration
	// PerIP is true when the network address is limited rather than the
	// e-mail address.
	PerIP bool
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("%v: try again in %s", ErrRateLimited, e.Wait.Round(time.Second))
}

func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// Login checks the password of the account with that e-mail address and,
// when it is right, starts a session: sessionID goes in the cookie (it is
// stored only as its hash), the session carries the CSRF token.
//
// clientIP is the address the request came from (ClientIP); every failure
// from it counts towards its limit. Errors: ErrRateLimited (a
// *RateLimitError) before the password is even checked once an address is
// over its limit; ErrBadCredentials for an unknown address or a wrong
// password, taking about the same time; ErrDisabled for a right password
// on a disabled account; anything else is the store or hot state failing,
// and then nobody is logged in.
func (a *Auth) Login(ctx context.Context, email, password, clientIP string) (*casestore.User, *casestore.Session, string, error) {
	email = casestore.NormalizeEmail(email)
	if clientIP == "" {
		// A handler that forgot the address shares one bucket with every
		// other such request: locked out together, never unlimited.
		clientIP = "unknown"
	}
	keys := loginKeys(email, clientIP)
	if err := a.checkLimits(ctx, keys); err != nil {
		return nil, nil, "", err
	}
	u, err := a.Store.UserByEmail(ctx, email)
	switch {
	case errors.Is(err, casestore.ErrNotFound):
		checkPassword(dummyHash(), password)
		return nil, nil, "", a.failed(ctx, keys, "unknown address")
	case err != nil:
		return nil, nil, "", fmt.Errorf("login: %w", err)
	case !checkPassword(u.PasswordHash, password):
		a.log().Info("login refused: wrong password", "user", u.ID, "ip", clientIP)
		return nil, nil, "", a.failed(ctx, keys, "")
	case u.Disabled:
		a.log().Info("login refused: account disabled", "user", u.ID, "ip", clientIP)
		return nil, nil, "", ErrDisabled
	}
	// The right password resets the address's count: its owner is back.
	_ = a.Hot.Delete(ctx, keys.email)
	s, err := a.StartSession(ctx, u.ID)
	if err != nil {
		return nil, nil, "", err
	}
	a.log().Info("login", "user", u.ID, "role", u.Role, "ip", clientIP)
	return u, s, s.ID, nil
}

// StartSession stores a new session for the user and returns it with its
// ID set (the cookie value; only its hash is stored).
func (a *Auth) StartSession(ctx context.Context, userID int64) (*casestore.Session, error) {
	now := a.now()
	s := &casestore.Session{
		ID: newSecret(), UserID: userID, CSRFToken: newSecret(),
		CreatedAt: now, ExpiresAt: now.Add(a.ttl()),
	}
	if err := a.Store.AddSession(ctx, s); err != nil {
		return nil, fmt.Errorf("login: start session of user %d: %w", userID, err)
	}
	return s, nil
}

// loginKeys are the hot-state counters of one attempt. The e-mail address
// is hashed: a mistyped password in the address field must not sit in
// Redis in the clear.
type loginKeyset struct{ email, ip, ipLock string }

func loginKeys(email, ip string) loginKeyset {
	return loginKeyset{
		email:  "auth:login:email:" + casestore.HashSecret(email)[:32],
		ip:     "auth:login:ip:" + ip,
		ipLock: "auth:login:iplock:" + ip,
	}
}

// checkLimits counts the attempt against its address before the password
// is checked, so parallel requests cannot slip extra guesses in while the
// first are still being hashed; a right password resets it (Login). The
// network address counts failures only, so an office full of collectors
// behind one address can all log in at nine; once it reaches its limit a
// lock key is set for the rest of the window.
func (a *Auth) checkLimits(ctx context.Context, k loginKeyset) error {
	if wait, err := a.Hot.TTL(ctx, k.ipLock); err == nil {
		return &RateLimitError{Wait: wait, PerIP: true}
	} else if !errors.Is(err, hotstate.ErrMiss) {
		return fmt.Errorf("login: read attempt limit: %w", err)
	}
	n, err := a.Hot.Incr(ctx, k.email, LoginWindow)
	if err != nil {
		return fmt.Errorf("login: count attempt: %w", err)
	}
	if n > MaxAttemptsPerEmail {
		wait, err := a.Hot.TTL(ctx, k.email)
		if err != nil {
			wait = LoginWindow
		}
		return &RateLimitError{Wait: wait}
	}
	return nil
}

// failed counts a failure against the network address and returns
// ErrBadCredentials (or the hot-state error).
func (a *Auth) failed(ctx context.Context, k loginKeyset, why string) error {
	if why != "" {
		a.log().Info("login refused: "+why, "ip", k.ip[len("auth:login:ip:"):])
	}
	n, err := a.Hot.Incr(ctx, k.ip, LoginWindow)
	if err != nil {
		return fmt.Errorf("login: count failure: %w", err)
	}
	if n >= MaxFailuresPerIP {
		wait, err := a.Hot.TTL(ctx, k.ip)
		if err != nil || wait <= 0 {
			wait = LoginWindow
		}
		if err := a.Hot.Set(ctx, k.ipLock, []byte("1"), wait); err != nil {
			return fmt.Errorf("login: set attempt limit: %w", err)
		}
	}
	return ErrBadCredentials
}

// checkPassword is passwordMatches; a variable so a test can see that an
// unknown address costs the same hash comparison as a wrong password
// (timing itself is never asserted in tests).
var checkPassword = passwordMatches
