package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/incassobot/incassobot/casestore"
	"github.com/pressly/goose/v3"
)

// chainMigration (version 12, between the SQL files 00011 and 00013)
// gives the entries written before the chain existed their seq and hash,
// case by case in the order they were appended; SQLite has no SHA-256 in
// SQL to do it there.
var chainMigration = goose.NewGoMigration(12, &goose.GoFunc{RunTx: chainExisting}, nil)

func chainExisting(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, case_id, kind, actor, channel, body, at FROM dossier ORDER BY case_id, id`)
	if err != nil {
		return fmt.Errorf("read the dossier to chain it: %w", err)
	}
	type link struct {
		id, seq int64
		hash    string
	}
	var links []link
	heads := map[int64]casestore.ChainHead{}
	for rows.Next() {
		var id, caseID int64
		var kind, actor, channel, body, at string
		if err := rows.Scan(&id, &caseID, &kind, &actor, &channel, &body, &at); err != nil {
			rows.Close()
			return err
		}
		instant, err := decInstant(at)
		if err != nil {
			rows.Close()
			return err
		}
		h := heads[caseID]
		h.Seq++
		h.Hash = casestore.EntryHash(h.Hash, caseID, h.Seq, casestore.EntryKind(kind), casestore.Actor(actor), channel, instant, []byte(body))
		heads[caseID] = h
		links = append(links, link{id, h.Seq, h.Hash})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, l := range links {
		if _, err := tx.ExecContext(ctx, `UPDATE dossier SET seq = ?, hash = ? WHERE id = ?`, l.seq, l.hash, l.id); err != nil {
			return fmt.Errorf("chain dossier entry %d: %w", l.id, err)
		}
	}
	for caseID, h := range heads {
		if _, err := tx.ExecContext(ctx, `INSERT INTO dossier_heads (case_id, seq, hash) VALUES (?, ?, ?)`, caseID, h.Seq, h.Hash); err != nil {
			return fmt.Errorf("chain head of case %d: %w", caseID, err)
		}
	}
	return nil
}

// dossierHead is the case's head, or ErrNotFound for an unknown case: one
// read that also stands for the case's existence check.
func (t *txn) dossierHead(ctx context.Context, caseID int64) (casestore.ChainHead, error) {
	var h casestore.ChainHead
	err := t.tx.QueryRowContext(ctx, `
		SELECT coalesce(h.seq, 0), coalesce(h.hash, '')
		FROM cases c LEFT JOIN dossier_heads h ON h.case_id = c.id WHERE c.id = ?`, caseID).Scan(&h.Seq, &h.Hash)
	if err != nil {
		return h, fmt.Errorf("case %d: %w", caseID, translate(err))
	}
	return h, nil
}

func (t *txn) DossierHead(ctx context.Context, caseID int64) (casestore.ChainHead, error) {
	return t.dossierHead(ctx, caseID)
}

func (t *txn) VerifyDossier(ctx context.Context, caseID int64) (casestore.ChainReport, error) {
	reports, err := t.checkChains(ctx, `WHERE c.id = ?`, caseID)
	if err != nil {
		return casestore.ChainReport{}, err
	}
	return casestore.OneChainReport(reports, caseID)
}

func (t *txn) VerifyDossiers(ctx context.Context) ([]casestore.ChainReport, error) {
	return t.checkChains(ctx, casestore.ChainCasesWithDossier)
}

// checkChains streams the entries of the cases matching where (a
// condition on alias c) through casestore.CheckChains.
func (t *txn) checkChains(ctx context.Context, where string, args ...any) ([]casestore.ChainReport, error) {
	rows, err := t.tx.QueryContext(ctx, casestore.ChainQuery(`e.body`, where), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: verify dossier: %w", translate(err))
	}
	defer rows.Close()
	return casestore.CheckChains(func(yield func(casestore.ChainRow, error) bool) {
		for rows.Next() {
			var r casestore.ChainRow
			var id, seq sql.NullInt64
			var kind, actor, channel, body, at, hash sql.NullString
			err := rows.Scan(&r.CaseID, &r.CaseRef, &r.Head.Seq, &r.Head.Hash,
				&id, &seq, &kind, &actor, &channel, &body, &at, &hash)
			if err == nil && id.Valid { // not valid: a case without entries
				l := &casestore.ChainLink{ID: id.Int64, Seq: seq.Int64, Kind: casestore.EntryKind(kind.String),
					Actor: casestore.Actor(actor.String), Channel: channel.String, Body: []byte(body.String), Hash: hash.String}
				l.At, err = decInstant(at.String)
				r.Link = l
			}
			if !yield(r, err) || err != nil {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(casestore.ChainRow{}, err)
		}
	})
}
