package postgres

import (
	"errors"
	"fmt"
	"strings"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// dbError translates a driver error into the casestore sentinels, with
// what (a short description of the operation) as context. A foreign key
// violation becomes onMissing: the contract says ErrInvalid for some
// writes and ErrNotFound for others. Details PostgreSQL adds (row values,
// possibly a debtor's data) are left out; the constraint name is kept.
func dbError(err error, onMissing error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, casestore.ErrNotFound)
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	var sentinel error
	switch {
	case pgErr.Code == "23505": // unique_violation
		sentinel = casestore.ErrConflict
	case pgErr.Code == "23503": // foreign_key_violation
		sentinel = onMissing
	case pgErr.Code == "23001": // restrict_violation: the append-only dossier
		sentinel = casestore.ErrConflict
	case strings.HasPrefix(pgErr.Code, "23"), // check, not null …
		strings.HasPrefix(pgErr.Code, "22"): // data exception: bad text encoding, \u0000 in jsonb, overflow …
		sentinel = casestore.ErrInvalid
	default:
		// Keep the *PgError reachable: run re-runs on 40001 and 40P01.
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	detail := pgErr.ConstraintName
	if detail == "" {
		detail = pgErr.Message
	}
	return fmt.Errorf("%s: %w (%s)", what, sentinel, detail)
}

// retryable reports whether PostgreSQL aborted the transaction because it
// lost a race with another one; such a transaction wrote nothing.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	return pgErr.Code == "40001" || pgErr.Code == "40P01" // serialization_failure, deadlock_detected
}

// invalid is a domain-rule error raised before the database is asked.
func invalid(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, casestore.ErrInvalid)...)
}

// notFound is ErrNotFound with context.
func notFound(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, casestore.ErrNotFound)...)
}
