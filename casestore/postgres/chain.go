package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
)

func (t *txn) DossierHead(ctx context.Context, caseID int64) (casestore.ChainHead, error) {
	var h casestore.ChainHead
	err := t.tx.QueryRow(ctx, `
		SELECT coalesce(h.seq, 0), coalesce(h.hash, '')
		FROM cases c LEFT JOIN dossier_heads h ON h.case_id = c.id WHERE c.id = $1`, caseID).Scan(&h.Seq, &h.Hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return h, notFound("case %d", caseID)
	}
	return h, dbError(err, casestore.ErrNotFound, fmt.Sprintf("dossier head of case %d", caseID))
}

func (t *txn) VerifyDossier(ctx context.Context, caseID int64) (casestore.ChainReport, error) {
	reports, err := t.checkChains(ctx, `WHERE c.id = $1`, caseID)
	if err != nil {
		return casestore.ChainReport{}, err
	}
	return casestore.OneChainReport(reports, caseID)
}

func (t *txn) VerifyDossiers(ctx context.Context) ([]casestore.ChainReport, error) {
	return t.checkChains(ctx, casestore.ChainCasesWithDossier)
}

// checkChains streams the entries of the cases matching where (a
// condition on alias c) through casestore.CheckChains: memory stays one
// row however long the dossiers are.
func (t *txn) checkChains(ctx context.Context, where string, args ...any) ([]casestore.ChainReport, error) {
	rows, err := t.tx.Query(ctx, casestore.ChainQuery(`e.body::text`, where), args...)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "verify dossier")
	}
	defer rows.Close()
	reports, err := casestore.CheckChains(func(yield func(casestore.ChainRow, error) bool) {
		for rows.Next() {
			var r casestore.ChainRow
			var id, seq *int64
			var kind, actor, channel, body, hash *string
			var at *time.Time
			err := rows.Scan(&r.CaseID, &r.CaseRef, &r.Head.Seq, &r.Head.Hash,
				&id, &seq, &kind, &actor, &channel, &body, &at, &hash)
			if err == nil && id != nil { // nil: a case without entries
				r.Link = &casestore.ChainLink{ID: *id, Seq: *seq, Kind: casestore.EntryKind(*kind),
					Actor: casestore.Actor(*actor), Channel: *channel, Body: []byte(*body), At: *at, Hash: *hash}
			}
			if !yield(r, err) || err != nil {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(casestore.ChainRow{}, err)
		}
	})
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "verify dossier")
	}
	return reports, nil
}
