package postgres

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestDBErrorTranslation(t *testing.T) {
	pg := func(code, constraint string) error {
		return fmt.Errorf("exec: %w", &pgconn.PgError{Code: code, ConstraintName: constraint,
			Message: "boom", Detail: "Key (name)=(J. de Vries) already exists."})
	}
	tests := []struct {
		name      string
		err       error
		onMissing error
		want      error
		retry     bool
	}{
		{"no rows", pgx.ErrNoRows, casestore.ErrInvalid, casestore.ErrNotFound, false},
		{"unique", pg("23505", "creditors_code_key"), casestore.ErrNotFound, casestore.ErrConflict, false},
		{"foreign key, contract says invalid", pg("23503", "cases_debtor_id_fkey"), casestore.ErrInvalid, casestore.ErrInvalid, false},
		{"foreign key, contract says not found", pg("23503", "payments_case_id_fkey"), casestore.ErrNotFound, casestore.ErrNotFound, false},
		{"check", pg("23514", "payments_amount_check"), casestore.ErrNotFound, casestore.ErrInvalid, false},
		{"not null", pg("23502", ""), casestore.ErrNotFound, casestore.ErrInvalid, false},
		{"NUL byte in text", pg("22021", ""), casestore.ErrNotFound, casestore.ErrInvalid, false},
		{"\\u0000 in jsonb", pg("22P05", ""), casestore.ErrNotFound, casestore.ErrInvalid, false},
		{"append-only dossier", pg("23001", ""), casestore.ErrNotFound, casestore.ErrConflict, false},
		{"deadlock", pg("40P01", ""), casestore.ErrNotFound, nil, true},
		{"serialization", pg("40001", ""), casestore.ErrNotFound, nil, true},
		{"connection", errors.New("connection refused"), casestore.ErrNotFound, nil, false},
	}
	sentinels := []error{casestore.ErrNotFound, casestore.ErrConflict, casestore.ErrInvalid}
	for _, tc := range tests {
		got := dbError(tc.err, tc.onMissing, "put case IB-1")
		for _, s := range sentinels {
			if errors.Is(got, s) != (s == tc.want) {
				t.Errorf("%s: %v: errors.Is(%v) = %v", tc.name, got, s, errors.Is(got, s))
			}
		}
		if retryable(got) != tc.retry {
			t.Errorf("%s: retryable = %v, want %v", tc.name, !tc.retry, tc.retry)
		}
		if !strings.Contains(got.Error(), "put case IB-1") {
			t.Errorf("%s: %q lacks the operation", tc.name, got)
		}
		if tc.want != nil && strings.Contains(got.Error(), "de Vries") {
			t.Errorf("%s: %q carries row data from the driver", tc.name, got)
		}
	}
	if dbError(nil, casestore.ErrInvalid, "x") != nil {
		t.Error("dbError(nil) is not nil")
	}
}
