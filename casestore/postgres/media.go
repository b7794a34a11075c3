package postgres

import (
	"context"
	"fmt"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
)

// AddMedia stores a debtor's file as bytea. The case is checked first: a
// foreign key violation would abort the caller's whole transaction.
func (t *txn) AddMedia(ctx context.Context, m *casestore.Media) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if m.CaseID != 0 {
		if err := t.caseExists(ctx, m.CaseID); err != nil {
			return fmt.Errorf("media file: %w", err)
		}
	}
	ct, sum, size, now := casestore.CleanMediaType(m.ContentType), casestore.MediaDigest(m.Data), int64(len(m.Data)), t.now()
	var id int64
	err := t.tx.QueryRow(ctx, `
		INSERT INTO media (case_id, channel, content_type, size, sha256, data, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		optCaseID(m.CaseID), m.Channel, ct, size, sum, m.Data, now).Scan(&id)
	if err != nil {
		return dbError(err, casestore.ErrNotFound, "add "+ct+" media file")
	}
	m.ID, m.ContentType, m.Size, m.SHA256, m.CreatedAt = id, ct, size, sum, now
	return nil
}

// mediaColumns is everything but the bytes, for lists.
const mediaColumns = `id, case_id, channel, content_type, size, sha256, created_at`

// scanMedia reads one row of mediaColumns, then the extra destinations.
func scanMedia(row pgx.Row, extra ...any) (*casestore.Media, error) {
	var m casestore.Media
	var caseID *int64
	if err := row.Scan(append([]any{&m.ID, &caseID, &m.Channel, &m.ContentType, &m.Size, &m.SHA256, &m.CreatedAt}, extra...)...); err != nil {
		return nil, err
	}
	if caseID != nil {
		m.CaseID = *caseID
	}
	m.CreatedAt = m.CreatedAt.UTC()
	return &m, nil
}

func (t *txn) Media(ctx context.Context, id int64) (*casestore.Media, error) {
	var data []byte
	m, err := scanMedia(t.tx.QueryRow(ctx, `SELECT `+mediaColumns+`, data FROM media WHERE id = $1`, id), &data)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("media file %d", id))
	}
	m.Data = data
	return m, nil
}

func (t *txn) MediaOf(ctx context.Context, caseID int64) ([]*casestore.Media, error) {
	if err := t.caseExists(ctx, caseID); err != nil {
		return nil, fmt.Errorf("media files: %w", err)
	}
	rows, err := t.tx.Query(ctx, `SELECT `+mediaColumns+` FROM media WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("media files of case %d", caseID))
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*casestore.Media, error) { return scanMedia(row) })
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("media files of case %d", caseID))
	}
	if out == nil {
		out = []*casestore.Media{}
	}
	return out, nil
}

// The Store's media methods: each one transaction around the txn method of
// the same name, as in tx.go.

func (s *Store) AddMedia(ctx context.Context, m *casestore.Media) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.AddMedia(ctx, m) })
}

func (s *Store) Media(ctx context.Context, id int64) (*casestore.Media, error) {
	return get(ctx, s, func(t *txn) (*casestore.Media, error) { return t.Media(ctx, id) })
}

func (s *Store) MediaOf(ctx context.Context, caseID int64) ([]*casestore.Media, error) {
	return get(ctx, s, func(t *txn) ([]*casestore.Media, error) { return t.MediaOf(ctx, caseID) })
}
