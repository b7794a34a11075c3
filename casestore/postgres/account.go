package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
)

// userColumns are a user's, in queries that call the users table u.
const userColumns = `u.id, u.email, u.name, u.role, u.creditor_id, u.password_hash, u.disabled, u.created_at`

// scanUser reads one row of userColumns, then the extra destinations.
func scanUser(row pgx.Row, extra ...any) (*casestore.User, error) {
	var u casestore.User
	var creditorID *int64
	err := row.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.Role, &creditorID, &u.PasswordHash, &u.Disabled, &u.CreatedAt}, extra...)...)
	if err != nil {
		return nil, err
	}
	if creditorID != nil {
		u.CreditorID = *creditorID
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, nil
}

// nullID stores the id 0 ("none": no creditor, no collector) as NULL, as
// the foreign keys and CHECKs want.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func (t *txn) AddUser(ctx context.Context, u *casestore.User) error {
	v := *u
	v.Email = casestore.NormalizeEmail(u.Email)
	if err := v.Validate(); err != nil {
		return err
	}
	if v.CreditorID != 0 {
		// Checked first: a foreign key violation would abort the transaction.
		var ok bool
		err := t.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM creditors WHERE id = $1)`, v.CreditorID).Scan(&ok)
		if err != nil {
			return dbError(err, casestore.ErrNotFound, "creditor lookup")
		}
		if !ok {
			return notFound("user %s: creditor %d", v.Email, v.CreditorID)
		}
	}
	now := t.now()
	err := t.tx.QueryRow(ctx, `
		INSERT INTO users (email, name, role, creditor_id, password_hash, disabled, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (email) DO NOTHING RETURNING id`,
		v.Email, v.Name, string(v.Role), nullID(v.CreditorID), v.PasswordHash, v.Disabled, now).Scan(&u.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("user %s: the address is taken: %w", v.Email, casestore.ErrConflict)
	}
	if err != nil {
		// The error names the address, never the hash.
		return dbError(err, casestore.ErrNotFound, "add user "+v.Email)
	}
	u.Email, u.CreatedAt = v.Email, now
	return nil
}

func (t *txn) User(ctx context.Context, id int64) (*casestore.User, error) {
	u, err := scanUser(t.tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = $1`, id))
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("user %d", id))
	}
	return u, nil
}

func (t *txn) UserByEmail(ctx context.Context, email string) (*casestore.User, error) {
	email = casestore.NormalizeEmail(email)
	u, err := scanUser(t.tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE u.email = $1`, email))
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("user %.60q", email))
	}
	return u, nil
}

func (t *txn) Users(ctx context.Context) ([]*casestore.User, error) {
	rows, err := t.tx.Query(ctx, `SELECT `+userColumns+` FROM users u ORDER BY u.id`)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "users")
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*casestore.User, error) { return scanUser(row) })
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "users")
	}
	if out == nil {
		out = []*casestore.User{}
	}
	return out, nil
}

// SetUserDisabled also ends the user's sessions when disabling: a person
// who has left must not stay logged in on a shared office computer.
func (t *txn) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	tag, err := t.tx.Exec(ctx, `UPDATE users SET disabled = $2 WHERE id = $1`, id, disabled)
	if err != nil {
		return dbError(err, casestore.ErrNotFound, fmt.Sprintf("disable user %d", id))
	}
	if tag.RowsAffected() == 0 {
		return notFound("user %d", id)
	}
	if disabled {
		_, err = t.tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id)
	}
	return dbError(err, casestore.ErrNotFound, fmt.Sprintf("end sessions of user %d", id))
}

func (t *txn) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	if !casestore.PasswordHashValid(hash) {
		return invalid("user %d: password is not a bcrypt or argon2id hash (never store a password itself)", id)
	}
	tag, err := t.tx.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, id, hash)
	if err != nil {
		return dbError(err, casestore.ErrInvalid, fmt.Sprintf("set password of user %d", id))
	}
	if tag.RowsAffected() == 0 {
		return notFound("user %d", id)
	}
	return nil
}

// liveUser returns ErrNotFound for an unknown user and ErrConflict for a
// disabled one: no new token or session for someone who may not log in.
// It locks the user's row against a concurrent SetUserDisabled, which
// would otherwise miss the session being added.
func (t *txn) liveUser(ctx context.Context, what string, id int64) error {
	var disabled bool
	err := t.tx.QueryRow(ctx, `SELECT disabled FROM users WHERE id = $1 FOR SHARE`, id).Scan(&disabled)
	if err != nil {
		return dbError(err, casestore.ErrNotFound, fmt.Sprintf("%s: user %d", what, id))
	}
	if disabled {
		return fmt.Errorf("%s: user %d is disabled: %w", what, id, casestore.ErrConflict)
	}
	return nil
}

func (t *txn) AddAPIToken(ctx context.Context, k *casestore.APIToken) error {
	if err := k.Validate(); err != nil {
		return err
	}
	if err := t.liveUser(ctx, "api token", k.UserID); err != nil {
		return err
	}
	now := t.now()
	err := t.tx.QueryRow(ctx, `
		INSERT INTO api_tokens (user_id, name, hash, created_at, expires_at, scope) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (hash) DO NOTHING RETURNING id`,
		k.UserID, k.Name, k.Hash, now, optInstant(k.ExpiresAt), string(k.Scope)).Scan(&k.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("api token of user %d: the hash is stored already: %w", k.UserID, casestore.ErrConflict)
	}
	if err != nil {
		return dbError(err, casestore.ErrNotFound, fmt.Sprintf("add api token of user %d", k.UserID))
	}
	k.CreatedAt, k.LastUsedAt, k.RevokedAt = now, nil, nil
	if k.ExpiresAt != nil {
		at := instant(*k.ExpiresAt)
		k.ExpiresAt = &at
	}
	return nil
}

const tokenColumns = `k.id, k.user_id, k.name, k.hash, k.created_at, k.last_used_at, k.revoked_at, k.expires_at, k.scope`

// tokenDest is where a row of tokenColumns goes; fix finishes the token.
func tokenDest(k *casestore.APIToken) []any {
	return []any{&k.ID, &k.UserID, &k.Name, &k.Hash, &k.CreatedAt, &k.LastUsedAt, &k.RevokedAt, &k.ExpiresAt, &k.Scope}
}

func fixToken(k *casestore.APIToken) {
	k.CreatedAt = k.CreatedAt.UTC()
	for _, p := range []*time.Time{k.LastUsedAt, k.RevokedAt, k.ExpiresAt} {
		if p != nil {
			*p = p.UTC()
		}
	}
}

func (t *txn) APITokenByHash(ctx context.Context, hash string) (*casestore.APIToken, *casestore.User, error) {
	// One query, so that "revoked", "expired" and "disabled" look like "unknown".
	var k casestore.APIToken
	u, err := scanUser(t.tx.QueryRow(ctx, `SELECT `+userColumns+`, `+tokenColumns+`
		FROM api_tokens k JOIN users u ON u.id = k.user_id
		WHERE k.hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $2)
		AND NOT u.disabled`, hash, t.now()), tokenDest(&k)...)
	if err != nil {
		return nil, nil, dbError(err, casestore.ErrNotFound, "api token")
	}
	fixToken(&k)
	return &k, u, nil
}

func (t *txn) APITokens(ctx context.Context, userID int64) ([]*casestore.APIToken, error) {
	if _, err := t.User(ctx, userID); err != nil {
		return nil, fmt.Errorf("api tokens: %w", err)
	}
	rows, err := t.tx.Query(ctx, `SELECT `+tokenColumns+` FROM api_tokens k WHERE k.user_id = $1 ORDER BY k.id`, userID)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("api tokens of user %d", userID))
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*casestore.APIToken, error) {
		var k casestore.APIToken
		err := row.Scan(tokenDest(&k)...)
		fixToken(&k)
		return &k, err
	})
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("api tokens of user %d", userID))
	}
	if out == nil {
		out = []*casestore.APIToken{}
	}
	return out, nil
}

func (t *txn) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	at = instant(at)
	if at.IsZero() {
		at = t.now()
	}
	tag, err := t.tx.Exec(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, id, at)
	if err != nil {
		return dbError(err, casestore.ErrNotFound, fmt.Sprintf("touch api token %d", id))
	}
	if tag.RowsAffected() == 0 {
		return notFound("api token %d", id)
	}
	return nil
}

func (t *txn) RevokeAPIToken(ctx context.Context, id int64) error {
	tag, err := t.tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1`, id, t.now())
	if err != nil {
		return dbError(err, casestore.ErrNotFound, fmt.Sprintf("revoke api token %d", id))
	}
	if tag.RowsAffected() == 0 {
		return notFound("api token %d", id)
	}
	return nil
}

func (t *txn) AddSession(ctx context.Context, s *casestore.Session) error {
	created := instant(s.CreatedAt)
	if created.IsZero() {
		created = t.now()
	}
	if err := s.Validate(created); err != nil {
		return err
	}
	if err := t.liveUser(ctx, "session", s.UserID); err != nil {
		return err
	}
	hash, expires := casestore.HashSecret(s.ID), instant(s.ExpiresAt)
	tag, err := t.tx.Exec(ctx, `
		INSERT INTO sessions (hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (hash) DO NOTHING`,
		hash, s.UserID, s.CSRFToken, created, expires)
	if err != nil {
		return dbError(err, casestore.ErrNotFound, fmt.Sprintf("add session of user %d", s.UserID))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("session of user %d: the id is in use: %w", s.UserID, casestore.ErrConflict)
	}
	s.Hash, s.CreatedAt, s.ExpiresAt = hash, created, expires
	return nil
}

func (t *txn) SessionByHash(ctx context.Context, hash string, now time.Time) (*casestore.Session, *casestore.User, error) {
	now = instant(now)
	if now.IsZero() {
		now = t.now()
	}
	var s casestore.Session
	u, err := scanUser(t.tx.QueryRow(ctx, `SELECT `+userColumns+`, s.hash, s.user_id, s.csrf_token, s.created_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.hash = $1 AND s.expires_at > $2 AND NOT u.disabled`, hash, now),
		&s.Hash, &s.UserID, &s.CSRFToken, &s.CreatedAt, &s.ExpiresAt)
	if err != nil {
		return nil, nil, dbError(err, casestore.ErrNotFound, "session")
	}
	s.CreatedAt, s.ExpiresAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC()
	return &s, u, nil
}

func (t *txn) DeleteSession(ctx context.Context, hash string) error {
	tag, err := t.tx.Exec(ctx, `DELETE FROM sessions WHERE hash = $1`, hash)
	if err != nil {
		return dbError(err, casestore.ErrNotFound, "delete session")
	}
	if tag.RowsAffected() == 0 {
		return notFound("session")
	}
	return nil
}

func (t *txn) DeleteUserSessions(ctx context.Context, userID int64) (int, error) {
	if _, err := t.User(ctx, userID); err != nil {
		return 0, fmt.Errorf("sessions: %w", err)
	}
	tag, err := t.tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	if err != nil {
		return 0, dbError(err, casestore.ErrNotFound, fmt.Sprintf("delete sessions of user %d", userID))
	}
	return int(tag.RowsAffected()), nil
}

func (t *txn) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	now = instant(now)
	if now.IsZero() {
		now = t.now()
	}
	tag, err := t.tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, now)
	if err != nil {
		return 0, dbError(err, casestore.ErrNotFound, "delete expired sessions")
	}
	return int(tag.RowsAffected()), nil
}

// The Store's account methods: each one transaction around the txn method
// of the same name, as in tx.go.

func (s *Store) AddUser(ctx context.Context, u *casestore.User) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.AddUser(ctx, u) })
}

func (s *Store) User(ctx context.Context, id int64) (*casestore.User, error) {
	return get(ctx, s, func(t *txn) (*casestore.User, error) { return t.User(ctx, id) })
}

func (s *Store) UserByEmail(ctx context.Context, email string) (*casestore.User, error) {
	return get(ctx, s, func(t *txn) (*casestore.User, error) { return t.UserByEmail(ctx, email) })
}

func (s *Store) Users(ctx context.Context) ([]*casestore.User, error) {
	return get(ctx, s, func(t *txn) ([]*casestore.User, error) { return t.Users(ctx) })
}

func (s *Store) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.SetUserDisabled(ctx, id, disabled) })
}

func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.SetPasswordHash(ctx, id, hash) })
}

func (s *Store) AddAPIToken(ctx context.Context, k *casestore.APIToken) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.AddAPIToken(ctx, k) })
}

func (s *Store) APITokenByHash(ctx context.Context, hash string) (k *casestore.APIToken, u *casestore.User, err error) {
	err = s.run(ctx, readOnly, func(t *txn) error { k, u, err = t.APITokenByHash(ctx, hash); return err })
	return k, u, err
}

func (s *Store) APITokens(ctx context.Context, userID int64) ([]*casestore.APIToken, error) {
	return get(ctx, s, func(t *txn) ([]*casestore.APIToken, error) { return t.APITokens(ctx, userID) })
}

func (s *Store) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.TouchAPIToken(ctx, id, at) })
}

func (s *Store) RevokeAPIToken(ctx context.Context, id int64) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.RevokeAPIToken(ctx, id) })
}

func (s *Store) AddSession(ctx context.Context, se *casestore.Session) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.AddSession(ctx, se) })
}

func (s *Store) SessionByHash(ctx context.Context, hash string, now time.Time) (se *casestore.Session, u *casestore.User, err error) {
	err = s.run(ctx, readOnly, func(t *txn) error { se, u, err = t.SessionByHash(ctx, hash, now); return err })
	return se, u, err
}

func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.DeleteSession(ctx, hash) })
}

func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) (n int, err error) {
	err = s.run(ctx, readWrite, func(t *txn) error { n, err = t.DeleteUserSessions(ctx, userID); return err })
	return n, err
}

func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (n int, err error) {
	err = s.run(ctx, readWrite, func(t *txn) error { n, err = t.DeleteExpiredSessions(ctx, now); return err })
	return n, err
}

// optInstant is an optional instant as PostgreSQL keeps it, or NULL.
func optInstant(t *time.Time) any {
	if t == nil {
		return nil
	}
	return instant(*t)
}
