package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// txn is a casestore.Tx over one SQL transaction. The Store wraps each of
// its methods in a transaction of its own; InTx hands one to the caller.
type txn struct {
	tx  *sql.Tx
	now func() time.Time
}

var _ casestore.Tx = (*txn)(nil)

func (t *txn) exec(ctx context.Context, what, query string, args ...any) (sql.Result, error) {
	res, err := t.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, translate(err))
	}
	return res, nil
}

// mustExist returns ErrNotFound, naming what, unless query finds a row.
func (t *txn) mustExist(ctx context.Context, what string, query string, args ...any) error {
	var one int
	err := t.tx.QueryRowContext(ctx, query, args...).Scan(&one)
	if err != nil {
		return fmt.Errorf("%s: %w", what, translate(err))
	}
	return nil
}

func (t *txn) caseExists(ctx context.Context, caseID int64) error {
	return t.mustExist(ctx, fmt.Sprintf("case %d", caseID), `SELECT 1 FROM cases WHERE id = ?`, caseID)
}

// invoiceOfCase returns ErrNotFound unless the invoice belongs to the case:
// money or a dispute must never land on another debtor's claim.
func (t *txn) invoiceOfCase(ctx context.Context, caseID int64, invoiceID *int64) error {
	if invoiceID == nil {
		return nil
	}
	return t.mustExist(ctx, fmt.Sprintf("invoice %d of case %d", *invoiceID, caseID),
		`SELECT 1 FROM invoices WHERE id = ? AND case_id = ?`, *invoiceID, caseID)
}

// rowsAffected turns "no row changed" into ErrNotFound.
func rowsAffected(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, casestore.ErrNotFound)
	}
	return nil
}
