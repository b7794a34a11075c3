package auth

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot/clientip"
	"github.com/incassobot/incassobot/casestore"
)

// Login limits (issue 13: six wrong logins used to lock an account for
// its owner too, and twenty a whole network address, so that behind a
// proxy anybody could lock out all staff; then, after the first fix, a
// guesser with twenty addresses still kept the owner out of every address
// the account had never logged in from). Now nothing a stranger does
// refuses the owner's right password; it slows the stranger:
//
//   - An (account, network address) pair gets MaxAttemptsPerPair attempts
//     per LoginWindow, then 429: a guesser at one address is stopped, the
//     owner at another is not. The right password resets the pair.
//   - A network address with more than MaxFailuresPerIP failures in the
//     window (one address guessing at many accounts) gets 429 with a wait:
//     2 s after the next failure, doubling to MaxLoginDelay; except for
//     accounts that logged in from it before (remembered for
//     KnownAddressFor): the staff behind an office's proxy keep logging in.
//   - An account with MaxAccountFailures failures in the window, from
//     anywhere (a guesser with many addresses), is under attack: every
//     attempt at it from an address it never logged in from waits
//     Auth.AttackDelay (2 s by default) before the password is even
//     checked, right password or wrong (so the wait tells nothing, and a
//     guesser who hangs up early learns nothing). Never a refusal: the
//     owner on a new device gets in, two seconds later. A guesser with
//     many addresses is held to MaxAttemptsPerPair per address per window
//     and each guess costs a connection held for the delay; what protects
//     the account beyond that is the password policy (password.go).
//
// Addresses are the client's as ClientIP gives it (TRUSTED_PROXIES), an
// IPv6 client counted by its /64 (clientip.Bucket). The counters live in
// the system of record (casestore.Attempts, the table the debtors'
// verification attempts use), not in Redis: atomic across instances, and a
// Redis flush or restart gives a guesser no fresh attempts.
const (
	MaxAttemptsPerPair = 5
	MaxAccountFailures = 10
	MaxFailuresPerIP   = 20
	LoginWindow        = 15 * time.Minute
	MaxLoginDelay      = 5 * time.Minute
	KnownAddressFor    = 90 * 24 * time.Hour
	DefaultAttackDelay = 2 * time.Second
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
	pair, err := a.checkLimits(ctx, keys)
	if err != nil {
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
	a.succeeded(ctx, keys, pair)
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

// loginKeyset names the counters of one attempt (casestore.Attempts),
// each by a hash: the table holds no e-mail address, typed or real, and no
// network address.
type loginKeyset struct {
	pair, known string // this account from this address
	account     string // this account from anywhere
	ip          string // this address, any account
	bucket      string // the address as counted (clientip.Bucket)
	addr        string // the address, for the log
}

func loginKeys(email, ip string) loginKeyset {
	acct := casestore.HashSecret(email)
	b := clientip.Bucket(ip)
	return loginKeyset{
		pair:    counterKey("login-pair", acct, b),
		known:   counterKey("login-known", acct, b),
		account: counterKey("login-account", acct),
		ip:      counterKey("login-ip", b),
		bucket:  b,
		addr:    ip,
	}
}

// ipWaitKey is the wait set after the over-th failure over the address's
// limit: a counter of its own whose window is the wait (loginDelay).
func (k loginKeyset) ipWaitKey(over int) string {
	return counterKey("login-ipwait", k.bucket, strconv.Itoa(over))
}

func counterKey(parts ...string) string {
	return casestore.HashSecret(strings.Join(parts, "\x00"))
}

// checkLimits decides whether the attempt is heard, before the password
// is checked; the pair's count goes up first, so parallel requests cannot
// slip extra guesses in while the first are still being hashed. It returns
// the pair's count, for a right password to give back (succeeded). An
// account under attack is slowed here, never refused.
func (a *Auth) checkLimits(ctx context.Context, k loginKeyset) (casestore.AttemptCount, error) {
	now := a.now()
	c, err := a.Store.AttemptCounts(ctx, []string{k.known, k.account, k.ip}, now)
	if err != nil {
		return casestore.AttemptCount{}, fmt.Errorf("login: read attempt counts: %w", err)
	}
	known, account, ip := c[0].N > 0, c[1], c[2]
	if !known && ip.N > MaxFailuresPerIP {
		w, err := a.Store.AttemptCounts(ctx, []string{k.ipWaitKey(ip.N - MaxFailuresPerIP)}, now)
		if err != nil {
			return casestore.AttemptCount{}, fmt.Errorf("login: read attempt limit: %w", err)
		}
		if w[0].N > 0 {
			a.log().Info("login refused: too many failures from this address", "ip", k.addr)
			return casestore.AttemptCount{}, &RateLimitError{Wait: w[0].Until.Sub(now), PerIP: true}
		}
	}
	n, until, err := a.Store.CountAttempt(ctx, k.pair, now, LoginWindow)
	if err != nil {
		return casestore.AttemptCount{}, fmt.Errorf("login: count attempt: %w", err)
	}
	if n > MaxAttemptsPerPair {
		a.log().Info("login refused: too many attempts at this account from this address", "ip", k.addr)
		return casestore.AttemptCount{}, &RateLimitError{Wait: until.Sub(now)}
	}
	if !known && account.N >= MaxAccountFailures {
		a.log().Info("login slowed: many failures at this account", "ip", k.addr)
		if err := a.attackDelay(ctx); err != nil {
			return casestore.AttemptCount{}, err
		}
	}
	return casestore.AttemptCount{N: n, Until: until}, nil
}

// attackDelay waits AttackDelay, or until the request is given up.
func (a *Auth) attackDelay(ctx context.Context) error {
	d := a.AttackDelay
	if d == 0 {
		d = DefaultAttackDelay
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("login: %w", ctx.Err())
	}
}

// succeeded resets the pair's count (every count of its window given
// back) and remembers the address as one the account logs in from. A
// failure here only costs the owner a later delay: the login stands.
func (a *Auth) succeeded(ctx context.Context, k loginKeyset, pair casestore.AttemptCount) {
	for range pair.N {
		if err := a.Store.UncountAttempt(ctx, k.pair, pair.Until); err != nil {
			a.log().Warn("login: reset the attempt count", "err", err)
			break
		}
	}
	if _, _, err := a.Store.CountAttempt(ctx, k.known, a.now(), KnownAddressFor); err != nil {
		a.log().Warn("login: remember the address", "err", err)
	}
}

// failed counts a failure against the account and the network address,
// sets the address's wait once over its limit, and returns
// ErrBadCredentials (or the store's error).
func (a *Auth) failed(ctx context.Context, k loginKeyset, why string) error {
	if why != "" {
		a.log().Info("login refused: "+why, "ip", k.addr)
	}
	now := a.now()
	if _, _, err := a.Store.CountAttempt(ctx, k.account, now, LoginWindow); err != nil {
		return fmt.Errorf("login: count failure: %w", err)
	}
	n, _, err := a.Store.CountAttempt(ctx, k.ip, now, LoginWindow)
	if err != nil {
		return fmt.Errorf("login: count failure: %w", err)
	}
	if over := n - MaxFailuresPerIP; over > 0 {
		if _, _, err := a.Store.CountAttempt(ctx, k.ipWaitKey(over), now, loginDelay(int64(over))); err != nil {
			return fmt.Errorf("login: set attempt limit: %w", err)
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
