package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/casestore"
)

// Login limits (issue 13: six wrong logins used to lock an account for
// its owner too, and twenty a whole network address, so that behind a
// proxy anybody could lock out all staff). Now nothing an attacker does
// locks the owner out; it slows the attacker:
//
//   - An (account, network address) pair gets MaxAttemptsPerPair attempts
//     per LoginWindow: a guesser at one address is stopped, the owner at
//     another is not.
//   - An account with more than MaxAccountFailures failures in the window
//     (a guesser with many addresses) makes every further attempt from an
//     address that never logged in to it wait: 2 s after the next failure,
//     doubling to MaxLoginDelay. Addresses the account logged in from
//     before (remembered for KnownAddressFor) are not kept waiting.
//   - A network address with more than MaxFailuresPerIP failures in the
//     window (one address spraying many accounts) waits the same way,
//     again except for accounts that logged in from it before: the staff
//     behind an office's proxy keep logging in.
//
// The address is the client's as ClientIP gives it (TRUSTED_PROXIES).
const (
	MaxAttemptsPerPair = 5
	MaxAccountFailures = 10
	MaxFailuresPerIP   = 20
	LoginWindow        = 15 * time.Minute
	MaxLoginDelay      = 5 * time.Minute
	KnownAddressFor    = 90 * 24 * time.Hour
)

// MaxAttemptsPerEmail is the old name of MaxAttemptsPerPair.
const MaxAttemptsPerEmail = MaxAttemptsPerPair

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
	// The right password resets the pair's count: its owner is back.
	a.succeeded(ctx, keys)
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

// loginKeys are the hot-state keys of one attempt. The e-mail address
// is hashed: a mistyped password in the address field must not sit in
// Redis in the clear.
type loginKeyset struct {
	pair, known          string // this account from this address
	account, accountWait string // this account from anywhere
	ip, ipWait           string // this address, any account
	addr                 string // for the log
}

func loginKeys(email, ip string) loginKeyset {
	acct := casestore.HashSecret(email)[:32]
	return loginKeyset{
		pair:        "auth:login:pair:" + acct + ":" + ip,
		known:       "auth:login:known:" + acct + ":" + ip,
		account:     "auth:login:account:" + acct,
		accountWait: "auth:login:accountwait:" + acct,
		ip:          "auth:login:ip:" + ip,
		ipWait:      "auth:login:ipwait:" + ip,
		addr:        ip,
	}
}

// checkLimits decides whether the attempt is heard, before the password
// is checked; the pair's count goes up first, so parallel requests cannot
// slip extra guesses in while the first are still being hashed. A right
// password resets the pair (Login).
func (a *Auth) checkLimits(ctx context.Context, k loginKeyset) error {
	known, err := a.present(ctx, k.known)
	if err != nil {
		return err
	}
	if !known {
		for _, w := range []struct {
			key   string
			perIP bool
		}{{k.accountWait, false}, {k.ipWait, true}} {
			if wait, err := a.Hot.TTL(ctx, w.key); err == nil {
				return &RateLimitError{Wait: wait, PerIP: w.perIP}
			} else if !errors.Is(err, hotstate.ErrMiss) {
				return fmt.Errorf("login: read attempt limit: %w", err)
			}
		}
	}
	n, err := a.Hot.Incr(ctx, k.pair, LoginWindow)
	if err != nil {
		return fmt.Errorf("login: count attempt: %w", err)
	}
	if n > MaxAttemptsPerPair {
		wait, err := a.Hot.TTL(ctx, k.pair)
		if err != nil {
			wait = LoginWindow
		}
		return &RateLimitError{Wait: wait}
	}
	return nil
}

// present reports whether key is set in hot state.
func (a *Auth) present(ctx context.Context, key string) (bool, error) {
	_, err := a.Hot.Get(ctx, key)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, hotstate.ErrMiss):
		return false, nil
	}
	return false, fmt.Errorf("login: read known addresses: %w", err)
}

// succeeded resets the pair's count and remembers the address as one the
// account logs in from.
func (a *Auth) succeeded(ctx context.Context, k loginKeyset) {
	_ = a.Hot.Delete(ctx, k.pair)
	if err := a.Hot.Set(ctx, k.known, []byte("1"), KnownAddressFor); err != nil {
		a.log().Warn("login: remember the address", "err", err)
	}
}

// failed counts a failure against the account and the network address,
// sets their waits once over their limits, and returns ErrBadCredentials
// (or the hot-state error).
func (a *Auth) failed(ctx context.Context, k loginKeyset, why string) error {
	if why != "" {
		a.log().Info("login refused: "+why, "ip", k.addr)
	}
	for _, c := range []struct {
		count, wait string
		limit       int64
	}{{k.account, k.accountWait, MaxAccountFailures}, {k.ip, k.ipWait, MaxFailuresPerIP}} {
		n, err := a.Hot.Incr(ctx, c.count, LoginWindow)
		if err != nil {
			return fmt.Errorf("login: count failure: %w", err)
		}
		if n > c.limit {
			if err := a.Hot.Set(ctx, c.wait, []byte("1"), loginDelay(n-c.limit)); err != nil {
				return fmt.Errorf("login: set attempt limit: %w", err)
			}
		}
	}
	return ErrBadCredentials
}

// loginDelay is the wait after the over-th failure over a limit: 2 s,
// doubling, at most MaxLoginDelay.
func loginDelay(over int64) time.Duration {
	if over > 16 {
		return MaxLoginDelay
	}
	return min(time.Duration(1<<over)*time.Second, MaxLoginDelay)
}

// checkPassword is passwordMatches; a variable so a test can see that an
// unknown address costs the same hash comparison as a wrong password
// (timing itself is never asserted in tests).
var checkPassword = passwordMatches
