package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
)

// Handoffs under concurrency: every change locks the handoff's row (FOR
// UPDATE) before casestore.Handoff.Apply looks at it, so of two collectors
// claiming at once the second waits, then sees the first one's claim and
// gets ErrConflict. The partial unique index keeps one open handoff per
// conversation even when two instances ask for a person at once.

const handoffColumns = `id, channel, address, case_id, reason, priority, status, collector_id,
	claimed_at, lease_until, times_expired, requested_at, resolved_at`

// scanHandoff reads one row of handoffColumns.
func scanHandoff(row pgx.Row) (*casestore.Handoff, error) {
	var h casestore.Handoff
	var caseID, collectorID *int64
	err := row.Scan(&h.ID, &h.Channel, &h.Address, &caseID, &h.Reason, &h.Priority, &h.Status, &collectorID,
		&h.ClaimedAt, &h.LeaseUntil, &h.TimesExpired, &h.RequestedAt, &h.ResolvedAt)
	if err != nil {
		return nil, err
	}
	if caseID != nil {
		h.CaseID = *caseID
	}
	if collectorID != nil {
		h.CollectorID = *collectorID
	}
	h.RequestedAt = h.RequestedAt.UTC()
	for _, p := range []*time.Time{h.ClaimedAt, h.LeaseUntil, h.ResolvedAt} {
		if p != nil {
			*p = p.UTC()
		}
	}
	return &h, nil
}

// requestAttempts bounds RequestHandoff's loop: the open handoff it found
// in the way may be resolved before it can lock it, and then the insert is
// tried again. Twice in a row would take a collector resolving the same
// conversation's handoffs within milliseconds.
const requestAttempts = 3

func (t *txn) RequestHandoff(ctx context.Context, h *casestore.Handoff) (bool, error) {
	if err := h.Validate(); err != nil {
		return false, err
	}
	if h.CaseID != 0 {
		// Checked first: a foreign key violation would abort the transaction.
		if err := t.caseExists(ctx, h.CaseID); err != nil {
			return false, fmt.Errorf("handoff on %s: %w", h.Channel, err)
		}
	}
	at := instant(h.RequestedAt)
	if at.IsZero() {
		at = t.now()
	}
	for range requestAttempts {
		// ON CONFLICT … DO NOTHING: a conversation with an open handoff
		// gives "no row", not an error that would abort the transaction.
		stored, err := scanHandoff(t.tx.QueryRow(ctx, `
			INSERT INTO handoffs (channel, address, case_id, reason, priority, status, requested_at)
			VALUES ($1, $2, $3, $4, $5, 'queued', $6)
			ON CONFLICT (channel, address) WHERE status IN ('queued', 'claimed') DO NOTHING
			RETURNING `+handoffColumns,
			h.Channel, h.Address, optCaseID(h.CaseID), h.Reason, h.Priority, at))
		if err == nil {
			*h = *stored
			return true, t.logHandoff(ctx, casestore.HandoffEvent{HandoffID: h.ID, Action: casestore.ActionRequested,
				Reason: h.Reason, Priority: h.Priority, At: h.RequestedAt})
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return false, dbError(err, casestore.ErrNotFound, "request handoff on "+h.Channel)
		}
		open, err := t.lockOpenHandoff(ctx, h.Channel, h.Address)
		if errors.Is(err, casestore.ErrNotFound) {
			continue // resolved meanwhile: insert again
		}
		if err != nil {
			return false, err
		}
		next, err := t.applyHandoff(ctx, open, casestore.HandoffChange{Action: casestore.ActionReprioritised,
			At: at, Priority: h.Priority, Reason: h.Reason})
		if err != nil {
			return false, err
		}
		*h = *next
		return false, nil
	}
	return false, fmt.Errorf("request handoff on %s: the open handoff kept changing: %w", h.Channel, casestore.ErrConflict)
}

const openHandoff = `SELECT ` + handoffColumns + ` FROM handoffs
	WHERE channel = $1 AND address = $2 AND status IN ('queued', 'claimed')`

// OpenHandoff inside a transaction keeps the row share-locked until the
// transaction ends: a claim (FOR UPDATE) waits for it, so the bot's reply
// and a collector's claim are ordered and the bot never commits a reply
// after a claim committed.
func (t *txn) OpenHandoff(ctx context.Context, channel, address string) (*casestore.Handoff, error) {
	q := openHandoff
	if t.inTx {
		q += ` FOR SHARE`
	}
	h, err := scanHandoff(t.tx.QueryRow(ctx, q, channel, address))
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "open handoff on "+channel)
	}
	return h, nil
}

// lockOpenHandoff is OpenHandoff with the row locked for a change.
func (t *txn) lockOpenHandoff(ctx context.Context, channel, address string) (*casestore.Handoff, error) {
	h, err := scanHandoff(t.tx.QueryRow(ctx, openHandoff+` FOR UPDATE`, channel, address))
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "open handoff on "+channel)
	}
	return h, nil
}

func (t *txn) Handoff(ctx context.Context, id int64) (*casestore.Handoff, error) {
	h, err := scanHandoff(t.tx.QueryRow(ctx, `SELECT `+handoffColumns+` FROM handoffs WHERE id = $1`, id))
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("handoff %d", id))
	}
	return h, nil
}

// applyHandoff applies c to h (whose row the caller has locked), writes
// the result and the log, and returns the handoff as stored.
func (t *txn) applyHandoff(ctx context.Context, h *casestore.Handoff, c casestore.HandoffChange) (*casestore.Handoff, error) {
	next, events, err := h.Apply(c)
	if err != nil {
		return nil, err
	}
	if len(events) == 0 {
		return &next, nil
	}
	stored, err := scanHandoff(t.tx.QueryRow(ctx, `
		UPDATE handoffs SET reason = $2, priority = $3, status = $4, collector_id = $5, claimed_at = $6,
			lease_until = $7, times_expired = $8, resolved_at = $9
		WHERE id = $1 RETURNING `+handoffColumns,
		h.ID, next.Reason, next.Priority, string(next.Status), nullID(next.CollectorID), next.ClaimedAt,
		next.LeaseUntil, next.TimesExpired, next.ResolvedAt))
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("change handoff %d", h.ID))
	}
	for _, e := range events {
		if err := t.logHandoff(ctx, e); err != nil {
			return nil, err
		}
	}
	return stored, nil
}

func (t *txn) logHandoff(ctx context.Context, e casestore.HandoffEvent) error {
	_, err := t.tx.Exec(ctx, `
		INSERT INTO handoff_log (handoff_id, action, collector_id, reason, priority, at) VALUES ($1, $2, $3, $4, $5, $6)`,
		e.HandoffID, string(e.Action), nullID(e.CollectorID), e.Reason, e.Priority, instant(e.At))
	return dbError(err, casestore.ErrNotFound, fmt.Sprintf("log handoff %d %s", e.HandoffID, e.Action))
}

// changeHandoff is a person's change: the handoff is locked and read with
// the user, Apply decides, applyHandoff writes.
func (t *txn) changeHandoff(ctx context.Context, id, userID int64, c casestore.HandoffChange) (*casestore.Handoff, error) {
	h, err := scanHandoff(t.tx.QueryRow(ctx, `SELECT `+handoffColumns+` FROM handoffs WHERE id = $1 FOR UPDATE`, id))
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("handoff %d", id))
	}
	if c.By, err = t.User(ctx, userID); err != nil {
		return nil, fmt.Errorf("handoff %d: %w", id, err)
	}
	c.At = instant(c.At)
	if c.At.IsZero() {
		c.At = t.now()
	}
	return t.applyHandoff(ctx, h, c)
}

func (t *txn) ClaimHandoff(ctx context.Context, id, collectorID int64, now time.Time, lease time.Duration) (*casestore.Handoff, error) {
	return t.changeHandoff(ctx, id, collectorID, casestore.HandoffChange{Action: casestore.ActionClaimed, At: now, Lease: lease})
}

func (t *txn) TouchHandoff(ctx context.Context, id, collectorID int64, now time.Time, lease time.Duration) (*casestore.Handoff, error) {
	return t.changeHandoff(ctx, id, collectorID, casestore.HandoffChange{Action: casestore.ActionTouched, At: now, Lease: lease})
}

func (t *txn) ReleaseHandoff(ctx context.Context, id, collectorID int64, now time.Time) (*casestore.Handoff, error) {
	return t.changeHandoff(ctx, id, collectorID, casestore.HandoffChange{Action: casestore.ActionReleased, At: now})
}

func (t *txn) ResolveHandoff(ctx context.Context, id, collectorID int64, now time.Time) (*casestore.Handoff, error) {
	return t.changeHandoff(ctx, id, collectorID, casestore.HandoffChange{Action: casestore.ActionResolved, At: now})
}

// ExpireHandoffs skips rows another transaction holds (SKIP LOCKED): that
// is a collector touching or releasing the handoff right now, and the
// next run finds it if its lease still ran out.
func (t *txn) ExpireHandoffs(ctx context.Context, now time.Time) ([]casestore.ExpiredClaim, error) {
	now = instant(now)
	if now.IsZero() {
		now = t.now()
	}
	rows, err := t.tx.Query(ctx, `SELECT `+handoffColumns+` FROM handoffs
		WHERE status = 'claimed' AND lease_until < $1 ORDER BY id FOR UPDATE SKIP LOCKED`, now)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "expire handoffs")
	}
	due, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*casestore.Handoff, error) { return scanHandoff(row) })
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "expire handoffs")
	}
	expired := make([]casestore.ExpiredClaim, 0, len(due))
	for _, h := range due {
		lapsed := h.CollectorID
		h, err := t.applyHandoff(ctx, h, casestore.HandoffChange{Action: casestore.ActionExpired, At: now})
		if err != nil {
			return nil, err
		}
		expired = append(expired, casestore.ExpiredClaim{Handoff: h, LapsedBy: lapsed})
	}
	return expired, nil
}

func (t *txn) Queue(ctx context.Context, f casestore.QueueFilter) ([]*casestore.Handoff, error) {
	where, args, err := queueWhere(f)
	if err != nil {
		return nil, err
	}
	rows, err := t.tx.Query(ctx, `SELECT `+handoffColumns+` FROM handoffs
		WHERE status IN ('queued', 'claimed') `+where+`
		ORDER BY priority DESC, requested_at, id LIMIT $1`, args...)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "handoff queue")
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*casestore.Handoff, error) { return scanHandoff(row) })
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "handoff queue")
	}
	if out == nil {
		out = []*casestore.Handoff{}
	}
	return out, nil
}

// queueWhere turns a filter into SQL conditions (each starting with AND)
// over open handoffs, and their arguments from $2 on; $1 is the limit.
func queueWhere(f casestore.QueueFilter) (string, []any, error) {
	limit := f.Limit
	switch {
	case limit < 0:
		return "", nil, invalid("handoff queue: negative limit %d", limit)
	case limit == 0:
		limit = casestore.DefaultQueueLimit
	}
	var b strings.Builder
	args := []any{limit}
	cond := func(sql string, arg any) {
		args = append(args, arg)
		fmt.Fprintf(&b, " AND "+sql, len(args))
	}
	switch {
	case f.CollectorID != 0:
		cond("status = 'claimed' AND collector_id = $%d", f.CollectorID)
	case !f.IncludeClaimed:
		b.WriteString(" AND status = 'queued'")
	}
	if f.Reason != "" {
		cond("reason = $%d", f.Reason)
	}
	if f.MinPriority != 0 {
		cond("priority >= $%d", f.MinPriority)
	}
	if f.CreditorID != 0 {
		cond("case_id IN (SELECT id FROM cases WHERE creditor_id = $%d)", f.CreditorID)
	}
	if !f.OlderThan.IsZero() {
		cond("requested_at < $%d", instant(f.OlderThan))
	}
	return b.String(), args, nil
}

func (t *txn) HandoffLog(ctx context.Context, handoffID int64) ([]casestore.HandoffEvent, error) {
	if _, err := t.Handoff(ctx, handoffID); err != nil {
		return nil, err
	}
	rows, err := t.tx.Query(ctx, `SELECT id, action, collector_id, reason, priority, at FROM handoff_log
		WHERE handoff_id = $1 ORDER BY id`, handoffID)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("log of handoff %d", handoffID))
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (casestore.HandoffEvent, error) {
		e := casestore.HandoffEvent{HandoffID: handoffID}
		var collectorID *int64
		err := row.Scan(&e.ID, &e.Action, &collectorID, &e.Reason, &e.Priority, &e.At)
		if collectorID != nil {
			e.CollectorID = *collectorID
		}
		e.At = e.At.UTC()
		return e, err
	})
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("log of handoff %d", handoffID))
	}
	if out == nil {
		out = []casestore.HandoffEvent{}
	}
	return out, nil
}

// The Store's handoff methods: each one transaction around the txn method
// of the same name, as in tx.go.

func (s *Store) RequestHandoff(ctx context.Context, h *casestore.Handoff) (created bool, err error) {
	err = s.run(ctx, readWrite, func(t *txn) error { created, err = t.RequestHandoff(ctx, h); return err })
	return created, err
}

func (s *Store) OpenHandoff(ctx context.Context, channel, address string) (*casestore.Handoff, error) {
	return getSingle(ctx, s, func(t *txn) (*casestore.Handoff, error) { return t.OpenHandoff(ctx, channel, address) })
}

func (s *Store) Handoff(ctx context.Context, id int64) (*casestore.Handoff, error) {
	return get(ctx, s, func(t *txn) (*casestore.Handoff, error) { return t.Handoff(ctx, id) })
}

func (s *Store) ClaimHandoff(ctx context.Context, id, collectorID int64, now time.Time, lease time.Duration) (h *casestore.Handoff, err error) {
	err = s.run(ctx, readWrite, func(t *txn) error { h, err = t.ClaimHandoff(ctx, id, collectorID, now, lease); return err })
	return h, err
}

func (s *Store) TouchHandoff(ctx context.Context, id, collectorID int64, now time.Time, lease time.Duration) (h *casestore.Handoff, err error) {
	err = s.run(ctx, readWrite, func(t *txn) error { h, err = t.TouchHandoff(ctx, id, collectorID, now, lease); return err })
	return h, err
}

func (s *Store) ReleaseHandoff(ctx context.Context, id, collectorID int64, now time.Time) (h *casestore.Handoff, err error) {
	err = s.run(ctx, readWrite, func(t *txn) error { h, err = t.ReleaseHandoff(ctx, id, collectorID, now); return err })
	return h, err
}

func (s *Store) ResolveHandoff(ctx context.Context, id, collectorID int64, now time.Time) (h *casestore.Handoff, err error) {
	err = s.run(ctx, readWrite, func(t *txn) error { h, err = t.ResolveHandoff(ctx, id, collectorID, now); return err })
	return h, err
}

func (s *Store) ExpireHandoffs(ctx context.Context, now time.Time) (expired []casestore.ExpiredClaim, err error) {
	err = s.run(ctx, readWrite, func(t *txn) error { expired, err = t.ExpireHandoffs(ctx, now); return err })
	return expired, err
}

func (s *Store) Queue(ctx context.Context, f casestore.QueueFilter) ([]*casestore.Handoff, error) {
	return get(ctx, s, func(t *txn) ([]*casestore.Handoff, error) { return t.Queue(ctx, f) })
}

func (s *Store) HandoffLog(ctx context.Context, handoffID int64) ([]casestore.HandoffEvent, error) {
	return get(ctx, s, func(t *txn) ([]casestore.HandoffEvent, error) { return t.HandoffLog(ctx, handoffID) })
}
