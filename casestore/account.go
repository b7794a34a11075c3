package casestore

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// The accounts of the people who use the console and the creditor pages:
// collectors, supervisors and creditors. The store keeps what proves who
// someone is — a password hash, the hashes of API tokens and session ids —
// and never a secret itself, so a copy of the database logs nobody in.
// Hashing passwords is the caller's job (bcrypt or argon2id); the store
// only refuses anything that does not look like such a hash, so that a
// plaintext password can never be stored by mistake.

// Role is what a user may do.
type Role string

const (
	// RoleCollector takes over escalated chats and works cases.
	RoleCollector Role = "collector"
	// RoleSupervisor is a collector who also oversees the queue: may
	// release or resolve a chat another collector holds.
	RoleSupervisor Role = "supervisor"
	// RoleCreditor reads the dossiers of one creditor's cases, nothing else.
	RoleCreditor Role = "creditor"
)

// Roles lists every role.
var Roles = []Role{RoleCollector, RoleSupervisor, RoleCreditor}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	return r == RoleCollector || r == RoleSupervisor || r == RoleCreditor
}

// TakesChats reports whether a user with role r may take over a debtor's
// conversation: collectors and supervisors, never a creditor.
func (r Role) TakesChats() bool { return r == RoleCollector || r == RoleSupervisor }

// User is a person with an account.
type User struct {
	ID    int64
	Email string // the login; unique, stored trimmed and lower-cased (NormalizeEmail)
	Name  string // shown to colleagues in the console and in the handoff log
	Role  Role
	// CreditorID is the one creditor whose cases a creditor user sees;
	// required for RoleCreditor, 0 for every other role.
	CreditorID   int64
	PasswordHash string // bcrypt ($2a$/$2b$/$2y$) or argon2id ($argon2id$), made by the caller
	Disabled     bool   // cannot log in; tokens and sessions stop working
	CreatedAt    time.Time
}

// NormalizeEmail is an e-mail address as the store keeps and compares it:
// without surrounding space, lower case. Mailbox names are case-sensitive
// in theory but never in practice, and a login that depends on how a
// collector typed a capital would lock people out.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// email is deliberately loose (one @, something on both sides, a dot in
// the domain, no spaces): the address is a login name, not a mail target.
var email = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// Password hash formats the store accepts: a bcrypt hash (60 characters,
// cost 04–31) or an argon2id hash in the PHC string format that
// golang.org/x/crypto users write.
var (
	bcryptHash   = regexp.MustCompile(`^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$`)
	argon2idHash = regexp.MustCompile(`^\$argon2id\$v=[0-9]+\$m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+/]{11,}={0,2}\$[A-Za-z0-9+/]{16,}={0,2}$`)
)

// PasswordHashValid reports whether h looks like a bcrypt or argon2id hash.
// It cannot prove h is one, but no password a person would choose matches.
func PasswordHashValid(h string) bool {
	return bcryptHash.MatchString(h) || argon2idHash.MatchString(h)
}

// Validate checks a user before it is stored (after NormalizeEmail). The
// errors never include the hash.
func (u *User) Validate() error {
	who := "user " + u.Email
	switch {
	case len(u.Email) > 254 || !email.MatchString(u.Email):
		return fmt.Errorf("user: e-mail address %.60q is not valid: %w", u.Email, ErrInvalid)
	case u.Email != NormalizeEmail(u.Email):
		return fmt.Errorf("%s: e-mail address is not normalised: %w", who, ErrInvalid)
	case strings.TrimSpace(u.Name) == "":
		return fmt.Errorf("%s: name is empty: %w", who, ErrInvalid)
	case !u.Role.Valid():
		return fmt.Errorf("%s: unknown role %q: %w", who, u.Role, ErrInvalid)
	case u.Role == RoleCreditor && u.CreditorID <= 0:
		return fmt.Errorf("%s: a creditor user needs the creditor it belongs to: %w", who, ErrInvalid)
	case u.Role != RoleCreditor && u.CreditorID != 0:
		return fmt.Errorf("%s: only a creditor user belongs to a creditor: %w", who, ErrInvalid)
	case !PasswordHashValid(u.PasswordHash):
		return fmt.Errorf("%s: password is not a bcrypt or argon2id hash (never store a password itself): %w", who, ErrInvalid)
	}
	return nil
}

// HashSecret is the hex SHA-256 of a random secret (an API token, a
// session id), which is all the store keeps of it. A plain hash suffices,
// unlike for passwords: the secret is long and random, not guessable.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// secretHash is what HashSecret returns.
var secretHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

// SecretHashValid reports whether h is a hash as HashSecret gives it.
func SecretHashValid(h string) bool { return secretHash.MatchString(h) }

// APIToken lets a creditor's system (or a script) use the JSON API as
// UserID. The secret is shown once when the token is made; the store keeps
// only its hash.
type APIToken struct {
	ID        int64
	UserID    int64
	Name      string // what it is for ("boekhouding export"), chosen by its owner
	Hash      string // HashSecret(secret)
	CreatedAt time.Time
	// LastUsedAt is the last TouchAPIToken; nil when never used.
	LastUsedAt *time.Time
	// RevokedAt is when the token was revoked; nil while it works.
	RevokedAt *time.Time
	// ExpiresAt is when the token stops working; nil: never (only when
	// asked for explicitly; DefaultTokenLifetime otherwise).
	ExpiresAt *time.Time
	// Scope is what the token may do; "" is stored as ScopeRead.
	Scope TokenScope
}

// TokenScope is what an API token may do.
type TokenScope string

const (
	// ScopeRead: read what its user may read (the creditors' API, the
	// console's pages); no change of any kind. The default.
	ScopeRead TokenScope = "read"
	// ScopeConsole: also the console's actions (claim, reply, release,
	// decide) as its user may: a collector's script, given explicitly.
	ScopeConsole TokenScope = "console"
)

// DefaultTokenLifetime is how long a new API token works unless its
// maker says otherwise.
const DefaultTokenLifetime = 90 * 24 * time.Hour

// Valid reports whether s is a known scope.
func (s TokenScope) Valid() bool { return s == ScopeRead || s == ScopeConsole }

// Allows reports whether a token of scope k may do what needs s.
func (k *APIToken) Allows(s TokenScope) bool {
	return k.Scope == ScopeConsole || s == ScopeRead
}

// Validate checks a token before it is stored.
func (k *APIToken) Validate() error {
	switch {
	case k.UserID <= 0:
		return fmt.Errorf("api token: no user: %w", ErrInvalid)
	case strings.TrimSpace(k.Name) == "":
		return fmt.Errorf("api token of user %d: name is empty: %w", k.UserID, ErrInvalid)
	case !SecretHashValid(k.Hash):
		return fmt.Errorf("api token of user %d: hash is not a hex SHA-256 (never store the secret itself): %w", k.UserID, ErrInvalid)
	case k.Scope != "" && !k.Scope.Valid():
		return fmt.Errorf("api token of user %d: unknown scope %q (read or console): %w", k.UserID, k.Scope, ErrInvalid)
	}
	if k.Scope == "" {
		k.Scope = ScopeRead
	}
	return nil
}

// MinSessionIDLen is the shortest session id AddSession takes: 32
// characters of base64 carry 192 random bits, far beyond guessing.
const MinSessionIDLen = 32

// Session is a browser logged in to the console as UserID.
type Session struct {
	// ID is the secret in the cookie, random, made by the caller. It is
	// given to AddSession and never stored: sessions read back have ID "".
	ID string
	// Hash is HashSecret(ID), set by AddSession: what lookups use.
	Hash      string
	UserID    int64
	CSRFToken string // echoed by every form the session posts
	CreatedAt time.Time
	ExpiresAt time.Time // the session does not work from this instant on
}

// Validate checks a new session before it is stored. now is when it starts.
func (s *Session) Validate(now time.Time) error {
	switch {
	case s.UserID <= 0:
		return fmt.Errorf("session: no user: %w", ErrInvalid)
	case len(s.ID) < MinSessionIDLen:
		return fmt.Errorf("session of user %d: id is shorter than %d characters: %w", s.UserID, MinSessionIDLen, ErrInvalid)
	case s.CSRFToken == "":
		return fmt.Errorf("session of user %d: no CSRF token: %w", s.UserID, ErrInvalid)
	case !s.ExpiresAt.After(now):
		return fmt.Errorf("session of user %d: expires at %s, not after it starts: %w",
			s.UserID, s.ExpiresAt.UTC().Format(time.RFC3339), ErrInvalid)
	}
	return nil
}
