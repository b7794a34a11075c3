package postgres

import (
	"context"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// The verification attempt counters (casestore.Attempts). INSERT … ON
// CONFLICT DO UPDATE takes the row's lock, so concurrent counts queue on
// it and each returns its own number.

func (t *txn) CountAttempt(ctx context.Context, key string, now time.Time, window time.Duration) (int, time.Time, error) {
	if key == "" || now.IsZero() || window <= 0 {
		return 0, time.Time{}, invalid("count attempt: key, now and a positive window are required")
	}
	now = now.UTC().Truncate(time.Microsecond)
	var n int
	var until time.Time
	err := t.tx.QueryRow(ctx, `
		INSERT INTO verify_attempts AS a (key, count, until) VALUES ($1, 1, $2)
		ON CONFLICT (key) DO UPDATE SET
			count = CASE WHEN a.until <= $3 THEN 1 ELSE a.count + 1 END,
			until = CASE WHEN a.until <= $3 THEN EXCLUDED.until ELSE a.until END
		RETURNING count, until`, key, now.Add(window), now).Scan(&n, &until)
	if err != nil {
		return 0, time.Time{}, dbError(err, casestore.ErrInvalid, "count attempt")
	}
	if n == 1 { // a new window: a good moment to forget long-ended ones
		if _, err := t.tx.Exec(ctx, `DELETE FROM verify_attempts WHERE until < $1`, now.Add(-24*time.Hour)); err != nil {
			return 0, time.Time{}, dbError(err, casestore.ErrInvalid, "prune attempts")
		}
	}
	return n, until.UTC(), nil
}

func (t *txn) UncountAttempt(ctx context.Context, key string, until time.Time) error {
	_, err := t.tx.Exec(ctx, `UPDATE verify_attempts SET count = count - 1 WHERE key = $1 AND until = $2 AND count > 0`,
		key, until.UTC().Truncate(time.Microsecond))
	return dbError(err, casestore.ErrInvalid, "uncount attempt")
}

func (t *txn) AttemptCounts(ctx context.Context, keys []string, now time.Time) ([]casestore.AttemptCount, error) {
	out := make([]casestore.AttemptCount, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	rows, err := t.tx.Query(ctx, `SELECT key, count, until FROM verify_attempts WHERE key = ANY($1) AND until > $2`,
		keys, now.UTC())
	if err != nil {
		return nil, dbError(err, casestore.ErrInvalid, "attempt counts")
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var c casestore.AttemptCount
		if err := rows.Scan(&key, &c.N, &c.Until); err != nil {
			return nil, dbError(err, casestore.ErrInvalid, "attempt counts")
		}
		c.Until = c.Until.UTC()
		for i, k := range keys {
			if k == key {
				out[i] = c
			}
		}
	}
	return out, dbError(rows.Err(), casestore.ErrInvalid, "attempt counts")
}

func (s *Store) CountAttempt(ctx context.Context, key string, now time.Time, window time.Duration) (n int, until time.Time, err error) {
	err = s.run(ctx, readWrite, func(t *txn) error { n, until, err = t.CountAttempt(ctx, key, now, window); return err })
	return n, until, err
}

func (s *Store) UncountAttempt(ctx context.Context, key string, until time.Time) error {
	return s.single(ctx, func(t *txn) error { return t.UncountAttempt(ctx, key, until) })
}

func (s *Store) AttemptCounts(ctx context.Context, keys []string, now time.Time) (out []casestore.AttemptCount, err error) {
	err = s.single(ctx, func(t *txn) error { out, err = t.AttemptCounts(ctx, keys, now); return err })
	return out, err
}
