package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
)

// defaultMessages is how many messages a list returns when asked for 0.
const defaultMessages = 50

// messageLimit turns a list's limit into the one to query: 0 means the
// default, a negative limit is a caller's bug.
func messageLimit(what string, limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, invalid("%s: negative limit %d", what, limit)
	case limit == 0:
		return defaultMessages, nil
	}
	return limit, nil
}

// optCaseID stores "no case" as NULL, which the foreign key allows.
func optCaseID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// RecordInbound files the message unless its provider id was filed before.
// ON CONFLICT … DO NOTHING turns a provider retry into "no row" rather than
// a unique violation, which in PostgreSQL would abort the whole transaction:
// the caller's InTx stays usable after ErrConflict (though the router rolls
// back anyway). A retry racing the first delivery waits here for it to
// commit (then ErrConflict) or roll back (then this one is filed).
func (t *txn) RecordInbound(ctx context.Context, m *casestore.InboundMessage) error {
	if err := m.Validate(); err != nil {
		return err
	}
	body := m.Body
	if len(bytes.TrimSpace(body)) == 0 {
		body = emptyBody
	}
	received := m.ReceivedAt.UTC().Truncate(time.Microsecond)
	if m.ReceivedAt.IsZero() {
		received = t.now()
	}
	// An unknown case gives no row rather than a foreign key violation,
	// which would abort the transaction; so does a retry. Which of the two
	// it was is asked only then, keeping the usual path one round trip.
	var stored string
	err := t.tx.QueryRow(ctx, `
		INSERT INTO inbound_messages (channel, provider_id, from_addr, case_id, body, received_at)
		SELECT $1, $2, $3, $4, $5::jsonb, $6
		WHERE $4::bigint IS NULL OR EXISTS (SELECT 1 FROM cases WHERE id = $4)
		ON CONFLICT (channel, provider_id) WHERE provider_id <> '' DO NOTHING
		RETURNING id, body::text`,
		m.Channel, m.ProviderID, m.From, optCaseID(m.CaseID), string(body), received,
	).Scan(&m.ID, &stored)
	if errors.Is(err, pgx.ErrNoRows) && m.CaseID != 0 {
		if err := t.caseExists(ctx, m.CaseID); err != nil {
			return fmt.Errorf("inbound %s message: %w", m.Channel, err)
		}
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("inbound %s message %s: recorded before (a provider retry): %w",
			m.Channel, m.ProviderID, casestore.ErrConflict)
	}
	if err != nil {
		return dbError(err, casestore.ErrNotFound, "record inbound "+m.Channel+" message")
	}
	m.Body, m.ReceivedAt = json.RawMessage(stored), received
	return nil
}

func (t *txn) LastInbound(ctx context.Context, channel, from string) (time.Time, error) {
	var last *time.Time
	err := t.tx.QueryRow(ctx, `
		SELECT max(received_at) FROM inbound_messages WHERE channel = $1 AND from_addr = $2`,
		channel, from).Scan(&last)
	if err != nil {
		return time.Time{}, dbError(err, casestore.ErrNotFound, "last inbound "+channel+" message")
	}
	if last == nil {
		return time.Time{}, notFound("last inbound %s message of this sender", channel)
	}
	return last.UTC(), nil
}

func (t *txn) InboundMessages(ctx context.Context, channel, from string, limit int) ([]*casestore.InboundMessage, error) {
	limit, err := messageLimit("inbound messages", limit)
	if err != nil {
		return nil, err
	}
	rows, err := t.tx.Query(ctx, `
		SELECT id, provider_id, case_id, body::text, received_at FROM inbound_messages
		WHERE channel = $1 AND from_addr = $2 ORDER BY id DESC LIMIT $3`, channel, from, limit)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "inbound "+channel+" messages")
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*casestore.InboundMessage, error) {
		m := &casestore.InboundMessage{Channel: channel, From: from}
		var caseID *int64
		var body string
		err := row.Scan(&m.ID, &m.ProviderID, &caseID, &body, &m.ReceivedAt)
		if caseID != nil {
			m.CaseID = *caseID
		}
		m.Body, m.ReceivedAt = json.RawMessage(body), m.ReceivedAt.UTC()
		return m, err
	})
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "inbound "+channel+" messages")
	}
	if out == nil {
		out = []*casestore.InboundMessage{}
	}
	return out, nil
}

func (t *txn) SetOptOut(ctx context.Context, channel, address string, optedOut bool, at time.Time) error {
	if channel == "" || address == "" {
		return invalid("opt-out: channel and address are required")
	}
	if at.IsZero() {
		at = t.now()
	}
	at = at.UTC().Truncate(time.Microsecond)
	_, err := t.tx.Exec(ctx, `
		INSERT INTO opt_outs (channel, address, opted_out, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (channel, address) DO UPDATE SET opted_out = EXCLUDED.opted_out, updated_at = EXCLUDED.updated_at`,
		channel, address, optedOut, at)
	return dbError(err, casestore.ErrInvalid, "set opt-out on "+channel)
}

func (t *txn) OptedOut(ctx context.Context, channel, address string) (bool, error) {
	var out bool
	err := t.tx.QueryRow(ctx, `SELECT opted_out FROM opt_outs WHERE channel = $1 AND address = $2`,
		channel, address).Scan(&out)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return out, dbError(err, casestore.ErrNotFound, "opt-out on "+channel)
}

// The Store's messaging methods: each one transaction around the txn
// method of the same name, as in tx.go.

func (s *Store) RecordInbound(ctx context.Context, m *casestore.InboundMessage) error {
	return s.single(ctx, func(t *txn) error { return t.RecordInbound(ctx, m) })
}

func (s *Store) LastInbound(ctx context.Context, channel, from string) (time.Time, error) {
	return getSingle(ctx, s, func(t *txn) (time.Time, error) { return t.LastInbound(ctx, channel, from) })
}

func (s *Store) InboundMessages(ctx context.Context, channel, from string, limit int) ([]*casestore.InboundMessage, error) {
	return get(ctx, s, func(t *txn) ([]*casestore.InboundMessage, error) {
		return t.InboundMessages(ctx, channel, from, limit)
	})
}

func (s *Store) EnqueueOutbound(ctx context.Context, m *casestore.OutboundMessage) error {
	return s.single(ctx, func(t *txn) error { return t.EnqueueOutbound(ctx, m) })
}

func (s *Store) ClaimOutbound(ctx context.Context, now time.Time, limit int, lease time.Duration) (ms []*casestore.OutboundMessage, err error) {
	err = s.single(ctx, func(t *txn) error { ms, err = t.ClaimOutbound(ctx, now, limit, lease); return err })
	return ms, err
}

func (s *Store) MarkSent(ctx context.Context, id int64, attempt int, providerID string, at time.Time) error {
	return s.single(ctx, func(t *txn) error { return t.MarkSent(ctx, id, attempt, providerID, at) })
}

func (s *Store) MarkSentBatch(ctx context.Context, marks []casestore.SentMark) (errs []error, err error) {
	err = s.single(ctx, func(t *txn) error { errs, err = t.MarkSentBatch(ctx, marks); return err })
	return errs, err
}

func (s *Store) MarkRetry(ctx context.Context, id int64, attempt int, lastError string, next time.Time) error {
	return s.single(ctx, func(t *txn) error { return t.MarkRetry(ctx, id, attempt, lastError, next) })
}

func (s *Store) MarkFailed(ctx context.Context, id int64, attempt int, lastError string) error {
	return s.single(ctx, func(t *txn) error { return t.MarkFailed(ctx, id, attempt, lastError) })
}

func (s *Store) SetDeliveryStatus(ctx context.Context, channel, providerID string, st casestore.OutboundStatus, detail string) (m *casestore.OutboundMessage, moved bool, err error) {
	err = s.run(ctx, readWrite, func(t *txn) error {
		m, moved, err = t.SetDeliveryStatus(ctx, channel, providerID, st, detail)
		return err
	})
	return m, moved, err
}

func (s *Store) Outbound(ctx context.Context, id int64) (*casestore.OutboundMessage, error) {
	return getSingle(ctx, s, func(t *txn) (*casestore.OutboundMessage, error) { return t.Outbound(ctx, id) })
}

func (s *Store) OutboundFor(ctx context.Context, channel, to string, limit int) ([]*casestore.OutboundMessage, error) {
	return get(ctx, s, func(t *txn) ([]*casestore.OutboundMessage, error) { return t.OutboundFor(ctx, channel, to, limit) })
}

func (s *Store) OutboxDepth(ctx context.Context) (int, error) {
	return getSingle(ctx, s, func(t *txn) (int, error) { return t.OutboxDepth(ctx) })
}

func (s *Store) OutboxBacklog(ctx context.Context, now time.Time) (casestore.OutboxBacklog, error) {
	return getSingle(ctx, s, func(t *txn) (casestore.OutboxBacklog, error) { return t.OutboxBacklog(ctx, now) })
}

func (s *Store) SetOptOut(ctx context.Context, channel, address string, optedOut bool, at time.Time) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.SetOptOut(ctx, channel, address, optedOut, at) })
}

func (s *Store) OptedOut(ctx context.Context, channel, address string) (bool, error) {
	return getSingle(ctx, s, func(t *txn) (bool, error) { return t.OptedOut(ctx, channel, address) })
}
