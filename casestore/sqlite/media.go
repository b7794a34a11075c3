package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/incassobot/incassobot/casestore"
)

// AddMedia stores a debtor's file. The case is looked up first so that an
// unknown one is ErrNotFound, as for every other write naming a case.
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
	err := t.tx.QueryRowContext(ctx, `
		INSERT INTO media (case_id, channel, content_type, size, sha256, created_at, data)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		encCaseID(m.CaseID), m.Channel, ct, size, sum, encInstant(now), m.Data).Scan(&id)
	if err != nil {
		return fmt.Errorf("sqlite: add %s media file: %w", ct, translate(err))
	}
	m.ID, m.ContentType, m.Size, m.SHA256, m.CreatedAt = id, ct, size, sum, now
	return nil
}

// mediaColumns is everything but the bytes, for lists.
const mediaColumns = `id, case_id, channel, content_type, size, sha256, created_at`

// scanMedia reads one row of mediaColumns, then the extra destinations.
func scanMedia(row interface{ Scan(...any) error }, extra ...any) (*casestore.Media, error) {
	var m casestore.Media
	var caseID sql.NullInt64
	var created string
	if err := row.Scan(append([]any{&m.ID, &caseID, &m.Channel, &m.ContentType, &m.Size, &m.SHA256, &created}, extra...)...); err != nil {
		return nil, err
	}
	var d decoder
	m.CaseID, m.CreatedAt = caseID.Int64, d.instant(created)
	return &m, d.err
}

func (t *txn) Media(ctx context.Context, id int64) (*casestore.Media, error) {
	var data []byte
	m, err := scanMedia(t.tx.QueryRowContext(ctx, `SELECT `+mediaColumns+`, data FROM media WHERE id = ?`, id), &data)
	if err != nil {
		return nil, fmt.Errorf("media file %d: %w", id, translate(err))
	}
	m.Data = data
	return m, nil
}

func (t *txn) MediaOf(ctx context.Context, caseID int64) ([]*casestore.Media, error) {
	if err := t.caseExists(ctx, caseID); err != nil {
		return nil, fmt.Errorf("media files: %w", err)
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT `+mediaColumns+` FROM media WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: media files of case %d: %w", caseID, translate(err))
	}
	defer rows.Close()
	out := []*casestore.Media{}
	for rows.Next() {
		m, err := scanMedia(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: media files of case %d: %w", caseID, err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// The Store's media methods: each one transaction around the txn method of
// the same name, as in delegate.go.

func (s *Store) AddMedia(ctx context.Context, m *casestore.Media) error {
	return s.write(ctx, func(t *txn) error { return t.AddMedia(ctx, m) })
}

func (s *Store) Media(ctx context.Context, id int64) (m *casestore.Media, err error) {
	err = s.read(ctx, func(t *txn) error { m, err = t.Media(ctx, id); return err })
	return m, err
}

func (s *Store) MediaOf(ctx context.Context, caseID int64) (ms []*casestore.Media, err error) {
	err = s.read(ctx, func(t *txn) error { ms, err = t.MediaOf(ctx, caseID); return err })
	return ms, err
}
