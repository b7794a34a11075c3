package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// userColumns are a user's, in queries that call the users table u.
const userColumns = `u.id, u.email, u.name, u.role, u.creditor_id, u.password_hash, u.disabled, u.created_at`

// scanUser reads one row of userColumns, then the extra destinations.
func scanUser(row interface{ Scan(...any) error }, extra ...any) (*casestore.User, error) {
	var u casestore.User
	var creditorID sql.NullInt64
	var created string
	err := row.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.Role, &creditorID, &u.PasswordHash, &u.Disabled, &created}, extra...)...)
	if err != nil {
		return nil, translate(err)
	}
	var d decoder
	u.CreditorID, u.CreatedAt = creditorID.Int64, d.instant(created)
	return &u, d.err
}

func (t *txn) AddUser(ctx context.Context, u *casestore.User) error {
	v := *u
	v.Email = casestore.NormalizeEmail(u.Email)
	if err := v.Validate(); err != nil {
		return err
	}
	if v.CreditorID != 0 {
		if err := t.mustExist(ctx, fmt.Sprintf("user %s: creditor %d", v.Email, v.CreditorID),
			`SELECT 1 FROM creditors WHERE id = ?`, v.CreditorID); err != nil {
			return err
		}
	}
	now := t.now()
	err := t.tx.QueryRowContext(ctx, `
		INSERT INTO users (email, name, role, creditor_id, password_hash, disabled, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING RETURNING id`,
		v.Email, v.Name, string(v.Role), nullID(v.CreditorID), v.PasswordHash, v.Disabled, encInstant(now)).Scan(&u.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("user %s: the address is taken: %w", v.Email, casestore.ErrConflict)
	}
	if err != nil {
		// The error names the address, never the hash.
		return fmt.Errorf("sqlite: add user %s: %w", v.Email, translate(err))
	}
	u.Email, u.CreatedAt = v.Email, now
	return nil
}

// nullID stores the id 0 ("none": no creditor, no collector) as NULL, as
// the foreign keys and CHECKs want.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (t *txn) User(ctx context.Context, id int64) (*casestore.User, error) {
	u, err := scanUser(t.tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
}

func (t *txn) UserByEmail(ctx context.Context, email string) (*casestore.User, error) {
	email = casestore.NormalizeEmail(email)
	u, err := scanUser(t.tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.email = ?`, email))
	if err != nil {
		return nil, fmt.Errorf("user %.60q: %w", email, err)
	}
	return u, nil
}

func (t *txn) Users(ctx context.Context) ([]*casestore.User, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT `+userColumns+` FROM users u ORDER BY u.id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: users: %w", translate(err))
	}
	defer rows.Close()
	out := []*casestore.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetUserDisabled also ends the user's sessions when disabling: a person
// who has left must not stay logged in on a shared office computer.
func (t *txn) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	res, err := t.exec(ctx, "set user disabled", `UPDATE users SET disabled = ? WHERE id = ?`, disabled, id)
	if err != nil {
		return err
	}
	if err := rowsAffected(res, fmt.Sprintf("user %d", id)); err != nil {
		return err
	}
	if disabled {
		_, err = t.exec(ctx, "end sessions of a disabled user", `DELETE FROM sessions WHERE user_id = ?`, id)
	}
	return err
}

func (t *txn) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	if !casestore.PasswordHashValid(hash) {
		return fmt.Errorf("user %d: password is not a bcrypt or argon2id hash (never store a password itself): %w",
			id, casestore.ErrInvalid)
	}
	res, err := t.exec(ctx, "set password hash", `UPDATE users SET password_hash = ? WHERE id = ?`, hash, id)
	if err != nil {
		return err
	}
	return rowsAffected(res, fmt.Sprintf("user %d", id))
}

// liveUser returns ErrNotFound for an unknown user and ErrConflict for a
// disabled one: no new token or session for someone who may not log in.
func (t *txn) liveUser(ctx context.Context, what string, id int64) error {
	u, err := t.User(ctx, id)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if u.Disabled {
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
	err := t.tx.QueryRowContext(ctx, `
		INSERT INTO api_tokens (user_id, name, hash, created_at, expires_at, scope) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (hash) DO NOTHING RETURNING id`,
		k.UserID, k.Name, k.Hash, encInstant(now), encOptInstant(k.ExpiresAt), string(k.Scope)).Scan(&k.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("api token of user %d: the hash is stored already: %w", k.UserID, casestore.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("sqlite: add api token of user %d: %w", k.UserID, translate(err))
	}
	k.CreatedAt, k.LastUsedAt, k.RevokedAt = now, nil, nil
	return nil
}

const tokenColumns = `k.id, k.user_id, k.name, k.hash, k.created_at, k.last_used_at, k.revoked_at, k.expires_at, k.scope`

// tokenRow is where a row of tokenColumns goes; token finishes it.
type tokenRow struct {
	k                      casestore.APIToken
	created                string
	used, revoked, expires sql.NullString
}

func (r *tokenRow) dest() []any {
	return []any{&r.k.ID, &r.k.UserID, &r.k.Name, &r.k.Hash, &r.created, &r.used, &r.revoked, &r.expires, &r.k.Scope}
}

func (r *tokenRow) token() (*casestore.APIToken, error) {
	var d decoder
	k := r.k
	k.CreatedAt, k.LastUsedAt, k.RevokedAt, k.ExpiresAt = d.instant(r.created), d.optInstant(r.used), d.optInstant(r.revoked), d.optInstant(r.expires)
	return &k, d.err
}

// scanToken reads one row of tokenColumns.
func scanToken(row interface{ Scan(...any) error }) (*casestore.APIToken, error) {
	var r tokenRow
	if err := row.Scan(r.dest()...); err != nil {
		return nil, translate(err)
	}
	return r.token()
}

func (t *txn) APITokenByHash(ctx context.Context, hash string) (*casestore.APIToken, *casestore.User, error) {
	// One query, so that "revoked", "expired" and "disabled" look like "unknown".
	row := t.tx.QueryRowContext(ctx, `SELECT `+userColumns+`, `+tokenColumns+`
		FROM api_tokens k JOIN users u ON u.id = k.user_id
		WHERE k.hash = ? AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?)
		AND NOT u.disabled`, hash, encInstant(t.now()))
	var r tokenRow
	u, err := scanUser(row, r.dest()...)
	if err != nil {
		return nil, nil, fmt.Errorf("api token: %w", err)
	}
	k, err := r.token()
	return k, u, err
}

func (t *txn) APITokens(ctx context.Context, userID int64) ([]*casestore.APIToken, error) {
	if _, err := t.User(ctx, userID); err != nil {
		return nil, fmt.Errorf("api tokens: %w", err)
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens k WHERE k.user_id = ? ORDER BY k.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: api tokens of user %d: %w", userID, translate(err))
	}
	defer rows.Close()
	out := []*casestore.APIToken{}
	for rows.Next() {
		k, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: api tokens of user %d: %w", userID, err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

func (t *txn) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	if at.IsZero() {
		at = t.now()
	}
	res, err := t.exec(ctx, "touch api token", `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, encInstant(at), id)
	if err != nil {
		return err
	}
	return rowsAffected(res, fmt.Sprintf("api token %d", id))
}

func (t *txn) RevokeAPIToken(ctx context.Context, id int64) error {
	res, err := t.exec(ctx, "revoke api token",
		`UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`, encInstant(t.now()), id)
	if err != nil {
		return err
	}
	return rowsAffected(res, fmt.Sprintf("api token %d", id))
}

func (t *txn) AddSession(ctx context.Context, s *casestore.Session) error {
	created := s.CreatedAt
	if created.IsZero() {
		created = t.now()
	}
	created = created.UTC()
	if err := s.Validate(created); err != nil {
		return err
	}
	if err := t.liveUser(ctx, "session", s.UserID); err != nil {
		return err
	}
	hash := casestore.HashSecret(s.ID)
	res, err := t.exec(ctx, fmt.Sprintf("add session of user %d", s.UserID), `
		INSERT INTO sessions (hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (hash) DO NOTHING`,
		hash, s.UserID, s.CSRFToken, encInstant(created), encInstant(s.ExpiresAt))
	if err != nil {
		return err
	}
	if err := rowsAffected(res, "add session"); err != nil {
		return fmt.Errorf("session of user %d: the id is in use: %w", s.UserID, casestore.ErrConflict)
	}
	s.Hash, s.CreatedAt, s.ExpiresAt = hash, created, s.ExpiresAt.UTC()
	return nil
}

func (t *txn) SessionByHash(ctx context.Context, hash string, now time.Time) (*casestore.Session, *casestore.User, error) {
	if now.IsZero() {
		now = t.now()
	}
	row := t.tx.QueryRowContext(ctx, `SELECT `+userColumns+`, s.hash, s.user_id, s.csrf_token, s.created_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.hash = ? AND s.expires_at > ? AND NOT u.disabled`, hash, encInstant(now))
	var s casestore.Session
	var created, expires string
	u, err := scanUser(row, &s.Hash, &s.UserID, &s.CSRFToken, &created, &expires)
	if err != nil {
		return nil, nil, fmt.Errorf("session: %w", err)
	}
	var d decoder
	s.CreatedAt, s.ExpiresAt = d.instant(created), d.instant(expires)
	return &s, u, d.err
}

func (t *txn) DeleteSession(ctx context.Context, hash string) error {
	res, err := t.exec(ctx, "delete session", `DELETE FROM sessions WHERE hash = ?`, hash)
	if err != nil {
		return err
	}
	return rowsAffected(res, "session")
}

func (t *txn) DeleteUserSessions(ctx context.Context, userID int64) (int, error) {
	if _, err := t.User(ctx, userID); err != nil {
		return 0, fmt.Errorf("sessions: %w", err)
	}
	return t.deleted(t.exec(ctx, "delete sessions of a user", `DELETE FROM sessions WHERE user_id = ?`, userID))
}

func (t *txn) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	if now.IsZero() {
		now = t.now()
	}
	return t.deleted(t.exec(ctx, "delete expired sessions", `DELETE FROM sessions WHERE expires_at <= ?`, encInstant(now)))
}

// deleted is how many rows a DELETE removed.
func (t *txn) deleted(res sql.Result, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// The Store's account methods: each one transaction around the txn method
// of the same name, as in delegate.go.

func (s *Store) AddUser(ctx context.Context, u *casestore.User) error {
	return s.write(ctx, func(t *txn) error { return t.AddUser(ctx, u) })
}

func (s *Store) User(ctx context.Context, id int64) (u *casestore.User, err error) {
	err = s.read(ctx, func(t *txn) error { u, err = t.User(ctx, id); return err })
	return u, err
}

func (s *Store) UserByEmail(ctx context.Context, email string) (u *casestore.User, err error) {
	err = s.read(ctx, func(t *txn) error { u, err = t.UserByEmail(ctx, email); return err })
	return u, err
}

func (s *Store) Users(ctx context.Context) (us []*casestore.User, err error) {
	err = s.read(ctx, func(t *txn) error { us, err = t.Users(ctx); return err })
	return us, err
}

func (s *Store) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	return s.write(ctx, func(t *txn) error { return t.SetUserDisabled(ctx, id, disabled) })
}

func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	return s.write(ctx, func(t *txn) error { return t.SetPasswordHash(ctx, id, hash) })
}

func (s *Store) AddAPIToken(ctx context.Context, k *casestore.APIToken) error {
	return s.write(ctx, func(t *txn) error { return t.AddAPIToken(ctx, k) })
}

func (s *Store) APITokenByHash(ctx context.Context, hash string) (k *casestore.APIToken, u *casestore.User, err error) {
	err = s.read(ctx, func(t *txn) error { k, u, err = t.APITokenByHash(ctx, hash); return err })
	return k, u, err
}

func (s *Store) APITokens(ctx context.Context, userID int64) (ks []*casestore.APIToken, err error) {
	err = s.read(ctx, func(t *txn) error { ks, err = t.APITokens(ctx, userID); return err })
	return ks, err
}

func (s *Store) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	return s.write(ctx, func(t *txn) error { return t.TouchAPIToken(ctx, id, at) })
}

func (s *Store) RevokeAPIToken(ctx context.Context, id int64) error {
	return s.write(ctx, func(t *txn) error { return t.RevokeAPIToken(ctx, id) })
}

func (s *Store) AddSession(ctx context.Context, se *casestore.Session) error {
	return s.write(ctx, func(t *txn) error { return t.AddSession(ctx, se) })
}

func (s *Store) SessionByHash(ctx context.Context, hash string, now time.Time) (se *casestore.Session, u *casestore.User, err error) {
	err = s.read(ctx, func(t *txn) error { se, u, err = t.SessionByHash(ctx, hash, now); return err })
	return se, u, err
}

func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	return s.write(ctx, func(t *txn) error { return t.DeleteSession(ctx, hash) })
}

func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) (n int, err error) {
	err = s.write(ctx, func(t *txn) error { n, err = t.DeleteUserSessions(ctx, userID); return err })
	return n, err
}

func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (n int, err error) {
	err = s.write(ctx, func(t *txn) error { n, err = t.DeleteExpiredSessions(ctx, now); return err })
	return n, err
}
