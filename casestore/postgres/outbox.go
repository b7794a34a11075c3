package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

const outboundColumns = `id, channel, to_addr, case_id, text, options, ask_phone, automated, bot_reply, status,
	attempts, next_attempt, lease_until, provider_id, last_error, created_at, sent_at, attachments, template_type`

// scanOutbound reads one row of outboundColumns.
func scanOutbound(row pgx.Row) (*casestore.OutboundMessage, error) {
	var m casestore.OutboundMessage
	var caseID *int64
	var lease *time.Time
	err := row.Scan(&m.ID, &m.Channel, &m.To, &caseID, &m.Text, &m.Options, &m.AskPhone, &m.Automated, &m.BotReply, &m.Status,
		&m.Attempts, &m.NextAttempt, &lease, &m.ProviderID, &m.LastError, &m.CreatedAt, &m.SentAt, &m.Attachments, &m.TemplateType)
	if err != nil {
		return nil, err
	}
	if caseID != nil {
		m.CaseID = *caseID
	}
	if lease != nil {
		m.LeaseUntil = lease.UTC()
	}
	if m.SentAt != nil {
		*m.SentAt = m.SentAt.UTC()
	}
	m.NextAttempt, m.CreatedAt = m.NextAttempt.UTC(), m.CreatedAt.UTC()
	return &m, nil
}

// instant is t as PostgreSQL keeps it: UTC, whole microseconds.
func instant(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func (t *txn) EnqueueOutbound(ctx context.Context, m *casestore.OutboundMessage) error {
	if err := m.Validate(); err != nil {
		return err
	}
	now := t.now()
	next, args := enqueueArgs(m, now)
	if err := t.tx.QueryRow(ctx, enqueueOutbound, args...).Scan(&m.ID); err != nil {
		return enqueueError(m, err)
	}
	enqueued(m, next, now)
	return nil
}

// enqueueArgs are enqueueOutbound's arguments for m at now, and when it is
// first due.
func enqueueArgs(m *casestore.OutboundMessage, now time.Time) (time.Time, []any) {
	options, attachments := m.Options, m.Attachments
	if options == nil {
		options = []string{} // JSON [] rather than null
	}
	if attachments == nil {
		attachments = []string{}
	}
	next := instant(m.NextAttempt)
	if m.NextAttempt.IsZero() {
		next = now
	}
	return next, []any{m.Channel, m.To, optCaseID(m.CaseID), m.Text, options, m.AskPhone, m.Automated, m.BotReply, next, now, attachments, m.TemplateType}
}

// enqueueOutbound inserts a message ($1…$12 as EnqueueOutbound passes
// them). An unknown case gives no row rather than a foreign key
// violation, which would abort the transaction.
//
// The message is its recipient's head (claimable) when no other message
// to the recipient is unfinished. The newest unfinished one, if any, is
// locked FOR SHARE until this transaction ends, so it cannot be finished
// (finishOutbound) unseen in between: its finisher waits for this commit
// and then, in a later statement with a fresh snapshot, sees this message
// and makes it the head. If it was finished first, the re-check of the
// locked row drops it and this message is the head itself. Two messages
// to a recipient with nothing queued, enqueued at the same moment, may
// both be marked head; claimOutbound's NOT EXISTS keeps them in order.
const enqueueOutbound = `
	WITH tail AS (
		SELECT id FROM outbound_messages
		WHERE channel = $1 AND to_addr = $2 AND status IN ('pending', 'sending')
		ORDER BY id DESC LIMIT 1 FOR SHARE
	)
	INSERT INTO outbound_messages (channel, to_addr, case_id, text, options, ask_phone, automated, bot_reply,
		status, attempts, next_attempt, created_at, attachments, template_type, head)
	SELECT $1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $10, $11, $12, NOT EXISTS (SELECT 1 FROM tail)
	WHERE $3::bigint IS NULL OR EXISTS (SELECT 1 FROM cases WHERE id = $3)
	RETURNING id`

// enqueueError is the error of an enqueueOutbound that failed.
func enqueueError(m *casestore.OutboundMessage, err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("outbound %s message: %w", m.Channel, notFound("case %d", m.CaseID))
	}
	return dbError(err, casestore.ErrNotFound, "enqueue outbound "+m.Channel+" message")
}

// enqueued sets what EnqueueOutbound promises on m once it is stored.
func enqueued(m *casestore.OutboundMessage, next, now time.Time) {
	m.Status, m.Attempts, m.NextAttempt, m.CreatedAt = casestore.OutboundPending, 0, next, now
	m.LeaseUntil, m.ProviderID, m.LastError, m.SentAt = time.Time{}, "", "", nil
}

// claimOutbound leases the messages a sender may take at $1 (now): heads
// (each recipient's oldest unfinished message, see enqueueOutbound) that
// are due, or abandoned by a sender whose lease ran out, earliest first.
// Each half is a range scan of its partial index that stops after $2 rows,
// so the cost follows the limit, not the outbox, the statistics or one
// recipient's backlog; a cached generic plan could not do worse, and the
// claim is sent unprepared anyway (claimMode).
//
// SKIP LOCKED lets claimers pass over each other's rows (and over a
// recipient's newest message while a turn queues one behind it) instead of
// queueing. NOT EXISTS guards the rare second head of a recipient (two
// messages enqueued at once with nothing queued): one index probe, as the
// head is normally the oldest. A finished message never becomes unfinished
// again, so a snapshot can only be too careful, never too eager.
const claimOutbound = `
	WITH due AS (
		SELECT id, FALSE AS resumed FROM outbound_messages
		WHERE head AND status = 'pending' AND next_attempt <= $1
		ORDER BY next_attempt, id LIMIT $2
		FOR UPDATE SKIP LOCKED
	), lapsed AS (
		SELECT id, TRUE AS resumed FROM outbound_messages
		WHERE head AND status = 'sending' AND lease_until < $1
		ORDER BY lease_until, id LIMIT $2
		FOR UPDATE SKIP LOCKED
	), claimed AS (
		SELECT c.id, c.resumed FROM (SELECT * FROM due UNION ALL SELECT * FROM lapsed) c
		JOIN outbound_messages m ON m.id = c.id
		WHERE NOT EXISTS (SELECT 1 FROM outbound_messages o
			WHERE o.channel = m.channel AND o.to_addr = m.to_addr AND o.id < m.id
			  AND o.status IN ('pending', 'sending'))
		ORDER BY c.id LIMIT $2
	)
	UPDATE outbound_messages u SET status = 'sending', lease_until = $3, attempts = u.attempts + 1
	FROM claimed WHERE u.id = claimed.id
	RETURNING u.id, u.channel, u.to_addr, u.case_id, u.text, u.options, u.ask_phone, u.automated, u.bot_reply, u.status,
		u.attempts, u.next_attempt, u.lease_until, u.provider_id, u.last_error, u.created_at, u.sent_at, u.attachments, u.template_type,
		claimed.resumed`

// claimMode sends the claim as an unnamed statement, planned for the
// values of each call: never a cached generic plan (issue #16 measured one
// at 0.8 s of CPU where the custom plan took 12 ms).
const claimMode = pgx.QueryExecModeExec

func (t *txn) ClaimOutbound(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]*casestore.OutboundMessage, error) {
	if err := casestore.CheckClaim(now, limit, lease); err != nil {
		return nil, err
	}
	rows, err := t.tx.Query(ctx, claimOutbound, claimMode, instant(now), limit, instant(now.Add(lease)))
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "claim outbound messages")
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*casestore.OutboundMessage, error) {
		var resumed bool
		m, err := scanOutbound(alsoScan{row, &resumed})
		if m != nil {
			m.Resumed = resumed
		}
		return m, err
	})
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "claim outbound messages")
	}
	if out == nil {
		out = []*casestore.OutboundMessage{}
	}
	// RETURNING follows no ORDER BY: put the oldest first again.
	slices.SortFunc(out, func(a, b *casestore.OutboundMessage) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// alsoScan scans one more column after those its Row's reader asks for.
type alsoScan struct {
	pgx.Row
	extra any
}

func (r alsoScan) Scan(dest ...any) error { return r.Row.Scan(append(dest, r.extra)...) }

// promoteHeads makes the oldest unfinished message of the recipient of
// each message in $1 (ids) its head. Run after finishing them, as its own
// statement: its fresh snapshot sees a message a turn queued behind one of
// them while the finish waited for that turn's lock (enqueueOutbound).
// Always correct to run: a recipient's oldest unfinished message may go.
const promoteHeads = `
	UPDATE outbound_messages SET head = TRUE
	WHERE NOT head AND id IN (
		SELECT (SELECT o.id FROM outbound_messages o
			WHERE o.channel = f.channel AND o.to_addr = f.to_addr AND o.status IN ('pending', 'sending')
			ORDER BY o.id LIMIT 1)
		FROM outbound_messages f WHERE f.id = ANY($1))`

// claimLost tells apart why message id was not in the claim attempt names:
// ErrNotFound or ErrConflict.
func (t *txn) claimLost(ctx context.Context, what string, id int64, attempt int) error {
	var status casestore.OutboundStatus
	var attempts int
	err := t.tx.QueryRow(ctx, `SELECT status, attempts FROM outbound_messages WHERE id = $1`, id).Scan(&status, &attempts)
	if err != nil {
		return dbError(err, casestore.ErrNotFound, fmt.Sprintf("%s: outbound message %d", what, id))
	}
	return fmt.Errorf("%s: outbound message %d is %s after %d attempts, not claimed in attempt %d: %w",
		what, id, status, attempts, attempt, casestore.ErrConflict)
}

// finishClaim applies set (SQL assignments over $3…, with args) to message
// id if it is still in the claim attempt names: status sending, that many
// attempts. Otherwise ErrNotFound or ErrConflict, told apart afterwards.
// finished: set finishes the message, so the recipient's next one becomes
// its head, in the same transaction (a batch: implicit on the pool).
func (t *txn) finishClaim(ctx context.Context, what string, id int64, attempt int, finished bool, set string, args ...any) error {
	b := &pgx.Batch{}
	var tag pgconn.CommandTag
	b.Queue(`UPDATE outbound_messages SET `+set+`, lease_until = NULL
		WHERE id = $1 AND status = 'sending' AND attempts = $2`, append([]any{id, attempt}, args...)...).
		Exec(func(ct pgconn.CommandTag) error { tag = ct; return nil })
	if finished {
		b.Queue(promoteHeads, []int64{id})
	}
	if err := t.tx.SendBatch(ctx, b).Close(); err != nil {
		return dbError(err, casestore.ErrInvalid, fmt.Sprintf("%s: outbound message %d", what, id))
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	return t.claimLost(ctx, what, id, attempt)
}

// MarkSent: a provider id already on another message of the channel is a
// unique violation (ErrConflict) that aborts the transaction it runs in.
func (t *txn) MarkSent(ctx context.Context, id int64, attempt int, providerID string, at time.Time) error {
	at = instant(at)
	if at.IsZero() {
		at = t.now()
	}
	return t.finishClaim(ctx, "mark sent", id, attempt, true, `status = 'sent', provider_id = $3, sent_at = $4`, providerID, at)
}

// markSentBatch records marks in one UPDATE and promotes the next heads in
// a second statement, both in one round trip and one transaction.
const markSentBatch = `
	UPDATE outbound_messages u SET status = 'sent', provider_id = v.provider_id, sent_at = v.sent_at, lease_until = NULL
	FROM unnest($1::bigint[], $2::int[], $3::text[], $4::timestamptz[]) AS v(id, attempt, provider_id, sent_at)
	WHERE u.id = v.id AND u.status = 'sending' AND u.attempts = v.attempt
	RETURNING u.id`

func (t *txn) MarkSentBatch(ctx context.Context, marks []casestore.SentMark) ([]error, error) {
	errs := make([]error, len(marks))
	if len(marks) == 0 {
		return errs, nil
	}
	ids, attempts, providerIDs, ats := make([]int64, len(marks)), make([]int32, len(marks)), make([]string, len(marks)), make([]time.Time, len(marks))
	now := t.now()
	for i, m := range marks {
		ids[i], attempts[i], providerIDs[i], ats[i] = m.ID, int32(m.Attempt), m.ProviderID, instant(m.At)
		if m.At.IsZero() {
			ats[i] = now
		}
	}
	done := map[int64]bool{}
	b := &pgx.Batch{}
	b.Queue(markSentBatch, ids, attempts, providerIDs, ats).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			done[id] = true
		}
		return rows.Err()
	})
	b.Queue(promoteHeads, ids)
	if err := t.tx.SendBatch(ctx, b).Close(); err != nil {
		if t.inTx || !errors.Is(dbError(err, casestore.ErrInvalid, ""), casestore.ErrConflict) {
			return nil, dbError(err, casestore.ErrInvalid, "mark sent")
		}
		// A provider id already on another message (a unique violation)
		// refused the whole batch: mark one by one to find it.
		for i, m := range marks {
			errs[i] = t.MarkSent(ctx, m.ID, m.Attempt, m.ProviderID, m.At)
		}
		return errs, nil
	}
	for i, m := range marks {
		if !done[m.ID] {
			errs[i] = t.claimLost(ctx, "mark sent", m.ID, m.Attempt)
		}
	}
	return errs, nil
}

func (t *txn) MarkRetry(ctx context.Context, id int64, attempt int, lastError string, next time.Time) error {
	next = instant(next)
	if next.IsZero() {
		next = t.now()
	}
	return t.finishClaim(ctx, "mark retry", id, attempt, false, `status = 'pending', last_error = $3, next_attempt = $4`, lastError, next)
}

func (t *txn) MarkFailed(ctx context.Context, id int64, attempt int, lastError string) error {
	return t.finishClaim(ctx, "mark failed", id, attempt, true, `status = 'failed', last_error = $3`, lastError)
}

// SetDeliveryStatus locks the message first, so two callbacks for it at
// once (delivered and failed) take turns and the first one wins.
func (t *txn) SetDeliveryStatus(ctx context.Context, channel, providerID string, s casestore.OutboundStatus, detail string) (*casestore.OutboundMessage, bool, error) {
	switch {
	case channel == "" || providerID == "":
		return nil, false, invalid("delivery status: channel and provider id are required")
	case s != casestore.OutboundSent && s != casestore.OutboundDelivered && s != casestore.OutboundFailed:
		return nil, false, invalid("delivery status: %q is not one a provider reports", s)
	}
	m, err := scanOutbound(t.tx.QueryRow(ctx, `SELECT `+outboundColumns+` FROM outbound_messages
		WHERE channel = $1 AND provider_id = $2 FOR UPDATE`, channel, providerID))
	if err != nil {
		return nil, false, dbError(err, casestore.ErrNotFound, fmt.Sprintf("delivery status of %s message %s", channel, providerID))
	}
	if !casestore.DeliveryMoves(m.Status, s) {
		return m, false, nil
	}
	if s == casestore.OutboundFailed {
		m.LastError = detail
	}
	_, err = t.tx.Exec(ctx, `UPDATE outbound_messages SET status = $2, last_error = $3 WHERE id = $1`, m.ID, s, m.LastError)
	if err != nil {
		return nil, false, dbError(err, casestore.ErrInvalid, fmt.Sprintf("delivery status of outbound message %d", m.ID))
	}
	m.Status = s
	return m, true, nil
}

func (t *txn) Outbound(ctx context.Context, id int64) (*casestore.OutboundMessage, error) {
	m, err := scanOutbound(t.tx.QueryRow(ctx, `SELECT `+outboundColumns+` FROM outbound_messages WHERE id = $1`, id))
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("outbound message %d", id))
	}
	return m, nil
}

func (t *txn) OutboundFor(ctx context.Context, channel, to string, limit int) ([]*casestore.OutboundMessage, error) {
	limit, err := messageLimit("outbound messages", limit)
	if err != nil {
		return nil, err
	}
	rows, err := t.tx.Query(ctx, `SELECT `+outboundColumns+` FROM outbound_messages
		WHERE channel = $1 AND to_addr = $2 ORDER BY id DESC LIMIT $3`, channel, to, limit)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "outbound "+channel+" messages")
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*casestore.OutboundMessage, error) { return scanOutbound(row) })
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "outbound "+channel+" messages")
	}
	if out == nil {
		out = []*casestore.OutboundMessage{}
	}
	return out, nil
}

func (t *txn) OutboxDepth(ctx context.Context) (int, error) {
	var n int
	err := t.tx.QueryRow(ctx, `SELECT count(*) FROM outbound_messages WHERE status IN ('pending', 'sending')`).Scan(&n)
	return n, dbError(err, casestore.ErrNotFound, "outbox depth")
}

// OutboxBacklog reads the first entry of two indexes: the unsent one (by
// ID, so by queueing time) and the due heads'.
func (t *txn) OutboxBacklog(ctx context.Context, now time.Time) (casestore.OutboxBacklog, error) {
	var b casestore.OutboxBacklog
	var queued, due *time.Time
	err := t.tx.QueryRow(ctx, `SELECT
		(SELECT created_at FROM outbound_messages WHERE status IN ('pending', 'sending') ORDER BY id LIMIT 1),
		(SELECT next_attempt FROM outbound_messages WHERE head AND status = 'pending' AND next_attempt <= $1
			ORDER BY next_attempt, id LIMIT 1)`, instant(now)).Scan(&queued, &due)
	if err != nil {
		return b, dbError(err, casestore.ErrNotFound, "outbox backlog")
	}
	if queued != nil {
		b.OldestQueued = queued.UTC()
	}
	if due != nil {
		b.OldestDue = due.UTC()
	}
	return b, nil
}
