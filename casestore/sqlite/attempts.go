package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// The verification attempt counters (casestore.Attempts). SQLite has one
// writer at a time, so the upsert's read and write cannot interleave with
// another count. Instants compare as text: encInstant has a fixed width.

func (t *txn) CountAttempt(ctx context.Context, key string, now time.Time, window time.Duration) (int, time.Time, error) {
	if key == "" || now.IsZero() || window <= 0 {
		return 0, time.Time{}, fmt.Errorf("count attempt: key, now and a positive window are required: %w", casestore.ErrInvalid)
	}
	var n int
	var until string
	err := t.tx.QueryRowContext(ctx, `
		INSERT INTO verify_attempts AS a (key, count, until) VALUES (?1, 1, ?2)
		ON CONFLICT (key) DO UPDATE SET
			count = CASE WHEN a.until <= ?3 THEN 1 ELSE a.count + 1 END,
			until = CASE WHEN a.until <= ?3 THEN excluded.until ELSE a.until END
		RETURNING count, until`, key, encInstant(now.Add(window)), encInstant(now)).Scan(&n, &until)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("sqlite: count attempt: %w", translate(err))
	}
	if n == 1 { // a new window: a good moment to forget long-ended ones
		if _, err := t.exec(ctx, "prune attempts", `DELETE FROM verify_attempts WHERE until < ?`, encInstant(now.Add(-24*time.Hour))); err != nil {
			return 0, time.Time{}, err
		}
	}
	end, err := decInstant(until)
	return n, end, err
}

func (t *txn) UncountAttempt(ctx context.Context, key string, until time.Time) error {
	_, err := t.exec(ctx, "uncount attempt", `UPDATE verify_attempts SET count = count - 1 WHERE key = ? AND until = ? AND count > 0`,
		key, encInstant(until))
	return err
}

func (t *txn) AttemptCounts(ctx context.Context, keys []string, now time.Time) ([]casestore.AttemptCount, error) {
	out := make([]casestore.AttemptCount, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	args := []any{encInstant(now)}
	for _, k := range keys {
		args = append(args, k)
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT key, count, until FROM verify_attempts WHERE until > ? AND key IN (?`+
		strings.Repeat(", ?", len(keys)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: attempt counts: %w", translate(err))
	}
	defer rows.Close()
	for rows.Next() {
		var key, until string
		var c casestore.AttemptCount
		if err := rows.Scan(&key, &c.N, &until); err != nil {
			return nil, err
		}
		if c.Until, err = decInstant(until); err != nil {
			return nil, err
		}
		for i, k := range keys {
			if k == key {
				out[i] = c
			}
		}
	}
	return out, rows.Err()
}

func (s *Store) CountAttempt(ctx context.Context, key string, now time.Time, window time.Duration) (n int, until time.Time, err error) {
	err = s.write(ctx, func(t *txn) error { n, until, err = t.CountAttempt(ctx, key, now, window); return err })
	return n, until, err
}

func (s *Store) UncountAttempt(ctx context.Context, key string, until time.Time) error {
	return s.write(ctx, func(t *txn) error { return t.UncountAttempt(ctx, key, until) })
}

func (s *Store) AttemptCounts(ctx context.Context, keys []string, now time.Time) (out []casestore.AttemptCount, err error) {
	err = s.read(ctx, func(t *txn) error { out, err = t.AttemptCounts(ctx, keys, now); return err })
	return out, err
}
