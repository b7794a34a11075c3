package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// Handoffs need no row locks here: every write goes through the one writer
// connection, so nothing runs between reading a handoff and writing it
// back. The rules themselves are casestore.Handoff.Apply's.

const handoffColumns = `id, channel, address, case_id, reason, priority, status, collector_id,
	claimed_at, lease_until, times_expired, requested_at, resolved_at`

// scanHandoff reads one row of handoffColumns.
func scanHandoff(row interface{ Scan(...any) error }) (*casestore.Handoff, error) {
	var h casestore.Handoff
	var caseID, collectorID sql.NullInt64
	var claimed, lease, resolved sql.NullString
	var requested string
	err := row.Scan(&h.ID, &h.Channel, &h.Address, &caseID, &h.Reason, &h.Priority, &h.Status, &collectorID,
		&claimed, &lease, &h.TimesExpired, &requested, &resolved)
	if err != nil {
		return nil, translate(err)
	}
	var d decoder
	h.CaseID, h.CollectorID = caseID.Int64, collectorID.Int64
	h.ClaimedAt, h.LeaseUntil, h.ResolvedAt = d.optInstant(claimed), d.optInstant(lease), d.optInstant(resolved)
	h.RequestedAt = d.instant(requested)
	return &h, d.err
}

func (t *txn) RequestHandoff(ctx context.Context, h *casestore.Handoff) (bool, error) {
	if err := h.Validate(); err != nil {
		return false, err
	}
	if h.CaseID != 0 {
		if err := t.caseExists(ctx, h.CaseID); err != nil {
			return false, fmt.Errorf("handoff on %s: %w", h.Channel, err)
		}
	}
	at := h.RequestedAt
	if at.IsZero() {
		at = t.now()
	}
	at = at.UTC()
	stored, err := scanHandoff(t.tx.QueryRowContext(ctx, `
		INSERT INTO handoffs (channel, address, case_id, reason, priority, status, requested_at)
		VALUES (?, ?, ?, ?, ?, 'queued', ?)
		ON CONFLICT (channel, address) WHERE status IN ('queued', 'claimed') DO NOTHING
		RETURNING `+handoffColumns,
		h.Channel, h.Address, encCaseID(h.CaseID), h.Reason, h.Priority, encInstant(at)))
	if err == nil {
		*h = *stored
		return true, t.logHandoff(ctx, casestore.HandoffEvent{HandoffID: h.ID, Action: casestore.ActionRequested,
			Reason: h.Reason, Priority: h.Priority, At: h.RequestedAt})
	}
	if !errors.Is(err, casestore.ErrNotFound) {
		return false, fmt.Errorf("sqlite: request handoff on %s: %w", h.Channel, err)
	}
	// The conversation has an open handoff already: ask it again.
	open, err := t.OpenHandoff(ctx, h.Channel, h.Address)
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

func (t *txn) OpenHandoff(ctx context.Context, channel, address string) (*casestore.Handoff, error) {
	h, err := scanHandoff(t.tx.QueryRowContext(ctx, `SELECT `+handoffColumns+` FROM handoffs
		WHERE channel = ? AND address = ? AND status IN ('queued', 'claimed')`, channel, address))
	if err != nil {
		return nil, fmt.Errorf("open handoff on %s: %w", channel, err)
	}
	return h, nil
}

func (t *txn) Handoff(ctx context.Context, id int64) (*casestore.Handoff, error) {
	h, err := scanHandoff(t.tx.QueryRowContext(ctx, `SELECT `+handoffColumns+` FROM handoffs WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("handoff %d: %w", id, err)
	}
	return h, nil
}

// applyHandoff applies c to h, writes the result and the log, and returns
// the handoff as stored.
func (t *txn) applyHandoff(ctx context.Context, h *casestore.Handoff, c casestore.HandoffChange) (*casestore.Handoff, error) {
	next, events, err := h.Apply(c)
	if err != nil {
		return nil, err
	}
	if len(events) == 0 {
		return &next, nil
	}
	_, err = t.exec(ctx, fmt.Sprintf("change handoff %d", h.ID), `
		UPDATE handoffs SET reason = ?, priority = ?, status = ?, collector_id = ?, claimed_at = ?,
			lease_until = ?, times_expired = ?, resolved_at = ?
		WHERE id = ?`,
		next.Reason, next.Priority, string(next.Status), nullID(next.CollectorID), encOptInstant(next.ClaimedAt),
		encOptInstant(next.LeaseUntil), next.TimesExpired, encOptInstant(next.ResolvedAt), h.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		if err := t.logHandoff(ctx, e); err != nil {
			return nil, err
		}
	}
	return &next, nil
}

func (t *txn) logHandoff(ctx context.Context, e casestore.HandoffEvent) error {
	_, err := t.exec(ctx, fmt.Sprintf("log handoff %d %s", e.HandoffID, e.Action), `
		INSERT INTO handoff_log (handoff_id, action, collector_id, reason, priority, at) VALUES (?, ?, ?, ?, ?, ?)`,
		e.HandoffID, string(e.Action), nullID(e.CollectorID), e.Reason, e.Priority, encInstant(e.At))
	return err
}

// changeHandoff is a person's change: the handoff and the user are read,
// Apply decides, applyHandoff writes.
func (t *txn) changeHandoff(ctx context.Context, id, userID int64, c casestore.HandoffChange) (*casestore.Handoff, error) {
	h, err := t.Handoff(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.By, err = t.User(ctx, userID); err != nil {
		return nil, fmt.Errorf("handoff %d: %w", id, err)
	}
	if c.At.IsZero() {
		c.At = t.now()
	}
	c.At = c.At.UTC()
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

func (t *txn) ExpireHandoffs(ctx context.Context, now time.Time) ([]casestore.ExpiredClaim, error) {
	if now.IsZero() {
		now = t.now()
	}
	now = now.UTC()
	rows, err := t.tx.QueryContext(ctx, `SELECT `+handoffColumns+` FROM handoffs
		WHERE status = 'claimed' AND lease_until < ? ORDER BY id`, encInstant(now))
	if err != nil {
		return nil, fmt.Errorf("sqlite: expire handoffs: %w", translate(err))
	}
	var due []*casestore.Handoff
	for rows.Next() {
		h, err := scanHandoff(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: expire handoffs: %w", err)
		}
		due = append(due, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: expire handoffs: %w", err)
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
	where, args, limit, err := queueWhere(f)
	if err != nil {
		return nil, err
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT `+handoffColumns+` FROM handoffs
		WHERE status IN ('queued', 'claimed') `+where+`
		ORDER BY priority DESC, requested_at, id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: handoff queue: %w", translate(err))
	}
	defer rows.Close()
	out := []*casestore.Handoff{}
	for rows.Next() {
		h, err := scanHandoff(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: handoff queue: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// queueWhere turns a filter into SQL conditions (each starting with AND)
// over open handoffs, with their arguments and the limit.
func queueWhere(f casestore.QueueFilter) (string, []any, int, error) {
	limit := f.Limit
	switch {
	case limit < 0:
		return "", nil, 0, fmt.Errorf("handoff queue: negative limit %d: %w", limit, casestore.ErrInvalid)
	case limit == 0:
		limit = casestore.DefaultQueueLimit
	}
	var b strings.Builder
	var args []any
	switch {
	case f.CollectorID != 0:
		b.WriteString(" AND status = 'claimed' AND collector_id = ?")
		args = append(args, f.CollectorID)
	case !f.IncludeClaimed:
		b.WriteString(" AND status = 'queued'")
	}
	if f.Reason != "" {
		b.WriteString(" AND reason = ?")
		args = append(args, f.Reason)
	}
	if f.MinPriority != 0 {
		b.WriteString(" AND priority >= ?")
		args = append(args, f.MinPriority)
	}
	if f.CreditorID != 0 {
		b.WriteString(" AND case_id IN (SELECT id FROM cases WHERE creditor_id = ?)")
		args = append(args, f.CreditorID)
	}
	if !f.OlderThan.IsZero() {
		b.WriteString(" AND requested_at < ?")
		args = append(args, encInstant(f.OlderThan))
	}
	return b.String(), args, limit, nil
}

func (t *txn) HandoffLog(ctx context.Context, handoffID int64) ([]casestore.HandoffEvent, error) {
	if _, err := t.Handoff(ctx, handoffID); err != nil {
		return nil, err
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT id, action, collector_id, reason, priority, at FROM handoff_log
		WHERE handoff_id = ? ORDER BY id`, handoffID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: log of handoff %d: %w", handoffID, translate(err))
	}
	defer rows.Close()
	out := []casestore.HandoffEvent{}
	for rows.Next() {
		e := casestore.HandoffEvent{HandoffID: handoffID}
		var collectorID sql.NullInt64
		var at string
		if err := rows.Scan(&e.ID, &e.Action, &collectorID, &e.Reason, &e.Priority, &at); err != nil {
			return nil, fmt.Errorf("sqlite: log of handoff %d: %w", handoffID, err)
		}
		e.CollectorID = collectorID.Int64
		if e.At, err = decInstant(at); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// The Store's handoff methods: each one transaction around the txn method
// of the same name, as in delegate.go.

func (s *Store) RequestHandoff(ctx context.Context, h *casestore.Handoff) (created bool, err error) {
	err = s.write(ctx, func(t *txn) error { created, err = t.RequestHandoff(ctx, h); return err })
	return created, err
}

func (s *Store) OpenHandoff(ctx context.Context, channel, address string) (h *casestore.Handoff, err error) {
	err = s.read(ctx, func(t *txn) error { h, err = t.OpenHandoff(ctx, channel, address); return err })
	return h, err
}

func (s *Store) Handoff(ctx context.Context, id int64) (h *casestore.Handoff, err error) {
	err = s.read(ctx, func(t *txn) error { h, err = t.Handoff(ctx, id); return err })
	return h, err
}

func (s *Store) ClaimHandoff(ctx context.Context, id, collectorID int64, now time.Time, lease time.Duration) (h *casestore.Handoff, err error) {
	err = s.write(ctx, func(t *txn) error { h, err = t.ClaimHandoff(ctx, id, collectorID, now, lease); return err })
	return h, err
}

func (s *Store) TouchHandoff(ctx context.Context, id, collectorID int64, now time.Time, lease time.Duration) (h *casestore.Handoff, err error) {
	err = s.write(ctx, func(t *txn) error { h, err = t.TouchHandoff(ctx, id, collectorID, now, lease); return err })
	return h, err
}

func (s *Store) ReleaseHandoff(ctx context.Context, id, collectorID int64, now time.Time) (h *casestore.Handoff, err error) {
	err = s.write(ctx, func(t *txn) error { h, err = t.ReleaseHandoff(ctx, id, collectorID, now); return err })
	return h, err
}

func (s *Store) ResolveHandoff(ctx context.Context, id, collectorID int64, now time.Time) (h *casestore.Handoff, err error) {
	err = s.write(ctx, func(t *txn) error { h, err = t.ResolveHandoff(ctx, id, collectorID, now); return err })
	return h, err
}

func (s *Store) ExpireHandoffs(ctx context.Context, now time.Time) (expired []casestore.ExpiredClaim, err error) {
	err = s.write(ctx, func(t *txn) error { expired, err = t.ExpireHandoffs(ctx, now); return err })
	return expired, err
}

func (s *Store) Queue(ctx context.Context, f casestore.QueueFilter) (hs []*casestore.Handoff, err error) {
	err = s.read(ctx, func(t *txn) error { hs, err = t.Queue(ctx, f); return err })
	return hs, err
}

func (s *Store) HandoffLog(ctx context.Context, handoffID int64) (es []casestore.HandoffEvent, err error) {
	err = s.read(ctx, func(t *txn) error { es, err = t.HandoffLog(ctx, handoffID); return err })
	return es, err
}
