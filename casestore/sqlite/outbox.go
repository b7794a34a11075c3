package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

const outboundColumns = `id, channel, to_addr, case_id, text, options, ask_phone, automated, bot_reply, status,
	attempts, next_attempt, lease_until, provider_id, last_error, created_at, sent_at, attachments, template_type`

// scanOutbound reads one row of outboundColumns.
func scanOutbound(row interface{ Scan(...any) error }) (*casestore.OutboundMessage, error) {
	var m casestore.OutboundMessage
	var caseID sql.NullInt64
	var options, next, created, attachments string
	var lease, sent sql.NullString
	err := row.Scan(&m.ID, &m.Channel, &m.To, &caseID, &m.Text, &options, &m.AskPhone, &m.Automated, &m.BotReply, &m.Status,
		&m.Attempts, &next, &lease, &m.ProviderID, &m.LastError, &created, &sent, &attachments, &m.TemplateType)
	if err != nil {
		return nil, translate(err)
	}
	var d decoder
	m.CaseID = caseID.Int64
	d.keep(json.Unmarshal([]byte(options), &m.Options))
	d.keep(json.Unmarshal([]byte(attachments), &m.Attachments))
	m.NextAttempt, m.CreatedAt, m.SentAt = d.instant(next), d.instant(created), d.optInstant(sent)
	if lease.Valid {
		m.LeaseUntil = d.instant(lease.String)
	}
	return &m, d.err
}

func (t *txn) EnqueueOutbound(ctx context.Context, m *casestore.OutboundMessage) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if m.CaseID != 0 {
		if err := t.caseExists(ctx, m.CaseID); err != nil {
			return fmt.Errorf("outbound %s message: %w", m.Channel, err)
		}
	}
	options, err := json.Marshal(nonNil(m.Options))
	if err != nil {
		return fmt.Errorf("outbound %s message: options: %w", m.Channel, err)
	}
	attachments, err := json.Marshal(nonNil(m.Attachments))
	if err != nil {
		return fmt.Errorf("outbound %s message: attachments: %w", m.Channel, err)
	}
	now := t.now()
	next := m.NextAttempt
	if next.IsZero() {
		next = now
	}
	next = next.UTC()
	err = t.tx.QueryRowContext(ctx, `
		INSERT INTO outbound_messages (channel, to_addr, case_id, text, options, ask_phone, automated, bot_reply,
			status, attempts, next_attempt, created_at, attachments, template_type)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?) RETURNING id`,
		m.Channel, m.To, encCaseID(m.CaseID), m.Text, string(options), m.AskPhone, m.Automated, m.BotReply,
		encInstant(next), encInstant(now), string(attachments), m.TemplateType).Scan(&m.ID)
	if err != nil {
		return fmt.Errorf("sqlite: enqueue outbound %s message: %w", m.Channel, translate(err))
	}
	m.Status, m.Attempts, m.NextAttempt, m.CreatedAt = casestore.OutboundPending, 0, next, now
	m.LeaseUntil, m.ProviderID, m.LastError, m.SentAt = time.Time{}, "", "", nil
	return nil
}

// claimable selects the messages a sender may take at ?1 (now): due or
// abandoned by a sender whose lease ran out, and the oldest unfinished
// message of their recipient, so one debtor's replies go out in order.
const claimable = `
	SELECT id, status = 'sending' FROM outbound_messages m
	WHERE m.status IN ('pending', 'sending') -- says the unsent index applies
	  AND ((m.status = 'pending' AND m.next_attempt <= ?1) OR (m.status = 'sending' AND m.lease_until < ?1))
	  AND NOT EXISTS (SELECT 1 FROM outbound_messages o
		WHERE o.channel = m.channel AND o.to_addr = m.to_addr AND o.id < m.id
		  AND o.status IN ('pending', 'sending'))
	ORDER BY m.id LIMIT ?2`

// ClaimOutbound needs no row locks: every write goes through the one
// writer connection, so no other claim runs between the SELECT and the
// UPDATE.
func (t *txn) ClaimOutbound(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]*casestore.OutboundMessage, error) {
	if err := claimArgs(now, limit, lease); err != nil {
		return nil, err
	}
	rows, err := t.tx.QueryContext(ctx, claimable, encInstant(now), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim outbound messages: %w", translate(err))
	}
	var ids []any
	resumed := map[int64]bool{}
	for rows.Next() {
		var id int64
		var wasSending bool
		if err := rows.Scan(&id, &wasSending); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
		resumed[id] = wasSending
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []*casestore.OutboundMessage{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err = t.tx.QueryContext(ctx, `
		UPDATE outbound_messages SET status = 'sending', lease_until = ?, attempts = attempts + 1
		WHERE id IN (?`+strings.Repeat(`, ?`, len(ids)-1)+`) RETURNING `+outboundColumns,
		append([]any{encInstant(now.Add(lease))}, ids...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim outbound messages: %w", translate(err))
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanOutbound(rows)
		if err != nil {
			return nil, err
		}
		m.Resumed = resumed[m.ID]
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b *casestore.OutboundMessage) int { return cmp.Compare(a.ID, b.ID) })
	return out, rows.Err()
}

// claimArgs refuses a claim that could only be a caller's bug.
func claimArgs(now time.Time, limit int, lease time.Duration) error {
	switch {
	case now.IsZero():
		return fmt.Errorf("claim outbound messages: no time given: %w", casestore.ErrInvalid)
	case limit <= 0:
		return fmt.Errorf("claim outbound messages: limit %d is not positive: %w", limit, casestore.ErrInvalid)
	case lease <= 0:
		return fmt.Errorf("claim outbound messages: lease %v is not positive: %w", lease, casestore.ErrInvalid)
	}
	return nil
}

// finishClaim applies set (SQL assignments with args) to message id if it
// is still in the claim attempt names: status sending, that many attempts.
func (t *txn) finishClaim(ctx context.Context, what string, id int64, attempt int, set string, args ...any) error {
	res, err := t.exec(ctx, what, `UPDATE outbound_messages SET `+set+`, lease_until = NULL
		WHERE id = ? AND status = 'sending' AND attempts = ?`, append(args, id, attempt)...)
	if err != nil {
		return fmt.Errorf("outbound message %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var status casestore.OutboundStatus
	var attempts int
	err = t.tx.QueryRowContext(ctx, `SELECT status, attempts FROM outbound_messages WHERE id = ?`, id).Scan(&status, &attempts)
	if err != nil {
		return fmt.Errorf("%s: outbound message %d: %w", what, id, translate(err))
	}
	return fmt.Errorf("%s: outbound message %d is %s after %d attempts, not claimed in attempt %d: %w",
		what, id, status, attempts, attempt, casestore.ErrConflict)
}

func (t *txn) MarkSent(ctx context.Context, id int64, attempt int, providerID string, at time.Time) error {
	if at.IsZero() {
		at = t.now()
	}
	return t.finishClaim(ctx, "mark sent", id, attempt, `status = 'sent', provider_id = ?, sent_at = ?`,
		providerID, encInstant(at))
}

func (t *txn) MarkRetry(ctx context.Context, id int64, attempt int, lastError string, next time.Time) error {
	if next.IsZero() {
		next = t.now()
	}
	return t.finishClaim(ctx, "mark retry", id, attempt, `status = 'pending', last_error = ?, next_attempt = ?`,
		lastError, encInstant(next))
}

func (t *txn) MarkFailed(ctx context.Context, id int64, attempt int, lastError string) error {
	return t.finishClaim(ctx, "mark failed", id, attempt, `status = 'failed', last_error = ?`, lastError)
}

func (t *txn) SetDeliveryStatus(ctx context.Context, channel, providerID string, s casestore.OutboundStatus, detail string) (*casestore.OutboundMessage, bool, error) {
	if err := deliveryArgs(channel, providerID, s); err != nil {
		return nil, false, err
	}
	m, err := scanOutbound(t.tx.QueryRowContext(ctx, `SELECT `+outboundColumns+` FROM outbound_messages
		WHERE channel = ? AND provider_id = ?`, channel, providerID))
	if err != nil {
		return nil, false, fmt.Errorf("delivery status of %s message %s: %w", channel, providerID, err)
	}
	if !casestore.DeliveryMoves(m.Status, s) {
		return m, false, nil
	}
	if s == casestore.OutboundFailed {
		m.LastError = detail
	}
	if _, err := t.exec(ctx, "set delivery status", `UPDATE outbound_messages SET status = ?, last_error = ? WHERE id = ?`,
		string(s), m.LastError, m.ID); err != nil {
		return nil, false, err
	}
	m.Status = s
	return m, true, nil
}

// deliveryArgs refuses a status callback that names no message or a
// status a provider cannot report.
func deliveryArgs(channel, providerID string, s casestore.OutboundStatus) error {
	switch {
	case channel == "" || providerID == "":
		return fmt.Errorf("delivery status: channel and provider id are required: %w", casestore.ErrInvalid)
	case s != casestore.OutboundSent && s != casestore.OutboundDelivered && s != casestore.OutboundFailed:
		return fmt.Errorf("delivery status: %q is not one a provider reports: %w", s, casestore.ErrInvalid)
	}
	return nil
}

func (t *txn) Outbound(ctx context.Context, id int64) (*casestore.OutboundMessage, error) {
	m, err := scanOutbound(t.tx.QueryRowContext(ctx, `SELECT `+outboundColumns+` FROM outbound_messages WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("outbound message %d: %w", id, err)
	}
	return m, nil
}

func (t *txn) OutboundFor(ctx context.Context, channel, to string, limit int) ([]*casestore.OutboundMessage, error) {
	limit, err := messageLimit("outbound messages", limit)
	if err != nil {
		return nil, err
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT `+outboundColumns+` FROM outbound_messages
		WHERE channel = ? AND to_addr = ? ORDER BY id DESC LIMIT ?`, channel, to, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: outbound %s messages: %w", channel, translate(err))
	}
	defer rows.Close()
	out := []*casestore.OutboundMessage{}
	for rows.Next() {
		m, err := scanOutbound(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (t *txn) OutboxDepth(ctx context.Context) (int, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM outbound_messages WHERE status IN ('pending', 'sending')`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: outbox depth: %w", translate(err))
	}
	return n, nil
}
