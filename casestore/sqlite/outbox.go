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
			status, attempts, next_attempt, created_at, attachments, template_type, head)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', 0, ?9, ?10, ?11, ?12,
			NOT EXISTS (SELECT 1 FROM outbound_messages
				WHERE channel = ?1 AND to_addr = ?2 AND status IN ('pending', 'sending'))) RETURNING id`,
		m.Channel, m.To, encCaseID(m.CaseID), m.Text, string(options), m.AskPhone, m.Automated, m.BotReply,
		encInstant(next), encInstant(now), string(attachments), m.TemplateType).Scan(&m.ID)
	if err != nil {
		return fmt.Errorf("sqlite: enqueue outbound %s message: %w", m.Channel, translate(err))
	}
	m.Status, m.Attempts, m.NextAttempt, m.CreatedAt = casestore.OutboundPending, 0, next, now
	m.LeaseUntil, m.ProviderID, m.LastError, m.SentAt = time.Time{}, "", "", nil
	return nil
}

// claimable selects the messages a sender may take at ?1 (now): heads
// (each recipient's oldest unfinished message, marked when queued or when
// the one before it finishes) that are due or abandoned by a sender whose
// lease ran out, earliest first; each half reads its partial index and
// stops after ?2 rows, however long one recipient's backlog. Every write
// goes through the one writer connection, so a recipient never has two
// heads here; NOT EXISTS is kept as in PostgreSQL, one index probe.
const claimable = `
	SELECT id, resumed FROM (
		SELECT * FROM (SELECT id, 0 AS resumed FROM outbound_messages INDEXED BY outbound_messages_due_head
			WHERE head AND status = 'pending' AND next_attempt <= ?1 ORDER BY next_attempt, id LIMIT ?2)
		UNION ALL
		SELECT * FROM (SELECT id, 1 AS resumed FROM outbound_messages INDEXED BY outbound_messages_leased_head
			WHERE head AND status = 'sending' AND lease_until < ?1 ORDER BY lease_until, id LIMIT ?2)
	) c
	WHERE NOT EXISTS (SELECT 1 FROM outbound_messages m, outbound_messages o
		WHERE m.id = c.id AND o.channel = m.channel AND o.to_addr = m.to_addr AND o.id < m.id
		  AND o.status IN ('pending', 'sending'))
	ORDER BY id LIMIT ?2`

// ClaimOutbound needs no row locks: every write goes through the one
// writer connection, so no other claim runs between the SELECT and the
// UPDATE.
func (t *txn) ClaimOutbound(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]*casestore.OutboundMessage, error) {
	if err := casestore.CheckClaim(now, limit, lease); err != nil {
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

// finishClaim applies set (SQL assignments with args) to message id if it
// is still in the claim attempt names: status sending, that many attempts.
// finished: set finishes the message, so the recipient's next unfinished
// one becomes its head.
func (t *txn) finishClaim(ctx context.Context, what string, id int64, attempt int, finished bool, set string, args ...any) error {
	res, err := t.exec(ctx, what, `UPDATE outbound_messages SET `+set+`, lease_until = NULL
		WHERE id = ? AND status = 'sending' AND attempts = ?`, append(args, id, attempt)...)
	if err != nil {
		return fmt.Errorf("outbound message %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		if err == nil && finished {
			_, err = t.exec(ctx, what, `UPDATE outbound_messages SET head = 1
				WHERE id = (SELECT o.id FROM outbound_messages f, outbound_messages o
					WHERE f.id = ? AND o.channel = f.channel AND o.to_addr = f.to_addr AND o.status IN ('pending', 'sending')
					ORDER BY o.id LIMIT 1)`, id)
		}
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
	return t.finishClaim(ctx, "mark sent", id, attempt, true, `status = 'sent', provider_id = ?, sent_at = ?`,
		providerID, encInstant(at))
}

// MarkSentBatch: one transaction (the caller's write), a statement per
// mark; SQLite's cost is the commit, not the statements.
func (t *txn) MarkSentBatch(ctx context.Context, marks []casestore.SentMark) ([]error, error) {
	errs := make([]error, len(marks))
	for i, m := range marks {
		errs[i] = t.MarkSent(ctx, m.ID, m.Attempt, m.ProviderID, m.At)
	}
	return errs, nil
}

func (t *txn) MarkRetry(ctx context.Context, id int64, attempt int, lastError string, next time.Time) error {
	if next.IsZero() {
		next = t.now()
	}
	return t.finishClaim(ctx, "mark retry", id, attempt, false, `status = 'pending', last_error = ?, next_attempt = ?`,
		lastError, encInstant(next))
}

func (t *txn) MarkFailed(ctx context.Context, id int64, attempt int, lastError string) error {
	return t.finishClaim(ctx, "mark failed", id, attempt, true, `status = 'failed', last_error = ?`, lastError)
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

func (t *txn) OutboxBacklog(ctx context.Context, now time.Time) (casestore.OutboxBacklog, error) {
	var b casestore.OutboxBacklog
	var queued, due sql.NullString
	err := t.tx.QueryRowContext(ctx, `SELECT
		(SELECT created_at FROM outbound_messages WHERE status IN ('pending', 'sending') ORDER BY id LIMIT 1),
		(SELECT next_attempt FROM outbound_messages INDEXED BY outbound_messages_due_head
			WHERE head AND status = 'pending' AND next_attempt <= ? ORDER BY next_attempt, id LIMIT 1)`,
		encInstant(now)).Scan(&queued, &due)
	if err != nil {
		return b, fmt.Errorf("sqlite: outbox backlog: %w", translate(err))
	}
	var d decoder
	if queued.Valid {
		b.OldestQueued = d.instant(queued.String)
	}
	if due.Valid {
		b.OldestDue = d.instant(due.String)
	}
	return b, d.err
}
