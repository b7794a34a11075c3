package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// tokenPrefix starts every API token, so a leaked one is recognisable in a
// log or a repository scan, and so a session id pasted as a token is told
// apart before any lookup.
const tokenPrefix = "ib_"

// touchEvery is how often a token's LastUsedAt is written at most: the
// supervisor wants to see "used today", not a write on every API call.
const touchEvery = time.Minute

// NewAPIToken makes a read-only token for the user's scripts and systems
// that works for casestore.DefaultTokenLifetime; see NewScopedAPIToken.
func (a *Auth) NewAPIToken(ctx context.Context, userID int64, name string) (string, *casestore.APIToken, error) {
	expires := a.now().Add(casestore.DefaultTokenLifetime)
	return a.NewScopedAPIToken(ctx, userID, name, casestore.ScopeRead, &expires)
}

// NewScopedAPIToken makes a token of that scope that works until expires
// (nil: until revoked) and returns its secret, which is shown once and
// never again: the store keeps only its hash. Errors are the store's:
// ErrInvalid for an empty name or unknown scope, ErrNotFound for an
// unknown user, ErrConflict for a disabled one.
func (a *Auth) NewScopedAPIToken(ctx context.Context, userID int64, name string, scope casestore.TokenScope, expires *time.Time) (string, *casestore.APIToken, error) {
	secret := tokenPrefix + newSecret()
	k := &casestore.APIToken{UserID: userID, Name: strings.TrimSpace(name), Hash: casestore.HashSecret(secret),
		Scope: scope, ExpiresAt: expires}
	if err := a.Store.AddAPIToken(ctx, k); err != nil {
		return "", nil, fmt.Errorf("new API token for user %d: %w", userID, err)
	}
	return secret, k, nil
}

// tokenShaped reports whether s looks like a secret NewAPIToken made.
func tokenShaped(s string) bool {
	rest, ok := strings.CutPrefix(s, tokenPrefix)
	return ok && secretShaped(rest)
}

// bearer returns the token in an "Authorization: Bearer …" header, and
// whether the header was there at all (present but malformed is refused,
// never mistaken for "no header, try the cookie").
func bearer(h string) (token string, present bool) {
	if h == "" {
		return "", false
	}
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", true
	}
	return strings.TrimSpace(tok), true
}

// tokenUser returns the live token and its user, ErrNotFound for an
// unknown, revoked or malformed token or a disabled user. It records the
// use at most once per touchEvery per token, shared through hot state.
func (a *Auth) tokenUser(ctx context.Context, secret string) (*casestore.APIToken, *casestore.User, error) {
	if !tokenShaped(secret) {
		return nil, nil, fmt.Errorf("API token is malformed: %w", casestore.ErrNotFound)
	}
	k, u, err := a.Store.APITokenByHash(ctx, casestore.HashSecret(secret))
	if err != nil {
		return nil, nil, err
	}
	n, err := a.Hot.Incr(ctx, fmt.Sprintf("auth:token:touched:%d", k.ID), touchEvery)
	if err == nil && n == 1 {
		if err := a.Store.TouchAPIToken(ctx, k.ID, a.now()); err != nil {
			// Bookkeeping only: the request itself is authentic.
			a.log().Warn("record API token use", "token", k.ID, "err", err)
		}
	}
	return k, u, nil
}
