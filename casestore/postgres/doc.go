// Package postgres is the system of record: casestore.Store on PostgreSQL
// through pgx, with its schema as versioned SQL migrations embedded in the binary.
//
// Every Store method is one transaction (begin, work, commit); InTx runs
// several in one. Driver errors are translated at this boundary into
// casestore.ErrNotFound, ErrConflict and ErrInvalid. A transaction that
// PostgreSQL aborts for a deadlock or a serialization failure has written
// nothing and is run again, so callers never see those errors; for InTx this
// means fn may run more than once and must not act outside its Tx.
//
// Money is NUMERIC(14,2), calendar days DATE, instants TIMESTAMPTZ (whole
// microseconds), dossier bodies JSONB. The dossier is append-only: a trigger
// refuses UPDATE, DELETE and TRUNCATE on it.
package postgres
