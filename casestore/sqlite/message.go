package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// defaultMessages is how many messages a list returns when asked for 0.
const defaultMessages = 50

// messageLimit turns a list's limit into the one to query: 0 means the
// default, a negative limit is a caller's bug.
func messageLimit(what string, limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, fmt.Errorf("%s: negative limit %d: %w", what, limit, casestore.ErrInvalid)
	case limit == 0:
		return defaultMessages, nil
	}
	return limit, nil
}

// RecordInbound files the message unless its provider id was filed before.
// ON CONFLICT … DO NOTHING makes a provider retry "no row" instead of a
// constraint error, so the caller's transaction stays usable either way.
func (t *txn) RecordInbound(ctx context.Context, m *casestore.InboundMessage) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if m.CaseID != 0 {
		if err := t.caseExists(ctx, m.CaseID); err != nil {
			return fmt.Errorf("inbound %s message: %w", m.Channel, err)
		}
	}
	body := m.Body
	if len(bytes.TrimSpace(body)) == 0 {
		body = json.RawMessage(`{}`)
	}
	received := m.ReceivedAt
	if received.IsZero() {
		received = t.now()
	}
	received = received.UTC()
	var id int64
	err := t.tx.QueryRowContext(ctx, `
		INSERT INTO inbound_messages (channel, provider_id, from_addr, case_id, body, received_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (channel, provider_id) WHERE provider_id <> '' DO NOTHING
		RETURNING id`,
		m.Channel, m.ProviderID, m.From, encCaseID(m.CaseID), string(body), encInstant(received)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("inbound %s message %s: recorded before (a provider retry): %w",
			m.Channel, m.ProviderID, casestore.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("sqlite: record inbound %s message: %w", m.Channel, translate(err))
	}
	m.ID, m.Body, m.ReceivedAt = id, body, received
	return nil
}

// encCaseID stores "no case" as NULL, which the foreign key allows.
func encCaseID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (t *txn) LastInbound(ctx context.Context, channel, from string) (time.Time, error) {
	var last sql.NullString
	err := t.tx.QueryRowContext(ctx, `
		SELECT max(received_at) FROM inbound_messages WHERE channel = ? AND from_addr = ?`,
		channel, from).Scan(&last)
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlite: last inbound %s message: %w", channel, translate(err))
	}
	if !last.Valid {
		return time.Time{}, fmt.Errorf("last inbound %s message of this sender: %w", channel, casestore.ErrNotFound)
	}
	return decInstant(last.String)
}

func (t *txn) InboundMessages(ctx context.Context, channel, from string, limit int) ([]*casestore.InboundMessage, error) {
	limit, err := messageLimit("inbound messages", limit)
	if err != nil {
		return nil, err
	}
	rows, err := t.tx.QueryContext(ctx, `
		SELECT id, provider_id, case_id, body, received_at FROM inbound_messages
		WHERE channel = ? AND from_addr = ? ORDER BY id DESC LIMIT ?`, channel, from, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: inbound %s messages: %w", channel, translate(err))
	}
	defer rows.Close()
	out := []*casestore.InboundMessage{}
	for rows.Next() {
		m := &casestore.InboundMessage{Channel: channel, From: from}
		var caseID sql.NullInt64
		var body, received string
		if err := rows.Scan(&m.ID, &m.ProviderID, &caseID, &body, &received); err != nil {
			return nil, err
		}
		m.CaseID, m.Body = caseID.Int64, json.RawMessage(body)
		if m.ReceivedAt, err = decInstant(received); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (t *txn) SetOptOut(ctx context.Context, channel, address string, optedOut bool, at time.Time) error {
	if channel == "" || address == "" {
		return fmt.Errorf("opt-out: channel and address are required: %w", casestore.ErrInvalid)
	}
	if at.IsZero() {
		at = t.now()
	}
	_, err := t.exec(ctx, "set opt-out", `
		INSERT INTO opt_outs (channel, address, opted_out, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (channel, address) DO UPDATE SET opted_out = excluded.opted_out, updated_at = excluded.updated_at`,
		channel, address, optedOut, encInstant(at))
	return err
}

func (t *txn) OptedOut(ctx context.Context, channel, address string) (bool, error) {
	var out bool
	err := t.tx.QueryRowContext(ctx, `SELECT opted_out FROM opt_outs WHERE channel = ? AND address = ?`,
		channel, address).Scan(&out)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sqlite: opt-out on %s: %w", channel, translate(err))
	}
	return out, nil
}

// The Store's messaging methods: each one transaction around the txn
// method of the same name, as in delegate.go.

func (s *Store) RecordInbound(ctx context.Context, m *casestore.InboundMessage) error {
	return s.write(ctx, func(t *txn) error { return t.RecordInbound(ctx, m) })
}

func (s *Store) LastInbound(ctx context.Context, channel, from string) (at time.Time, err error) {
	err = s.read(ctx, func(t *txn) error { at, err = t.LastInbound(ctx, channel, from); return err })
	return at, err
}

func (s *Store) InboundMessages(ctx context.Context, channel, from string, limit int) (ms []*casestore.InboundMessage, err error) {
	err = s.read(ctx, func(t *txn) error { ms, err = t.InboundMessages(ctx, channel, from, limit); return err })
	return ms, err
}

func (s *Store) EnqueueOutbound(ctx context.Context, m *casestore.OutboundMessage) error {
	return s.write(ctx, func(t *txn) error { return t.EnqueueOutbound(ctx, m) })
}

func (s *Store) ClaimOutbound(ctx context.Context, now time.Time, limit int, lease time.Duration) (ms []*casestore.OutboundMessage, err error) {
	err = s.write(ctx, func(t *txn) error { ms, err = t.ClaimOutbound(ctx, now, limit, lease); return err })
	return ms, err
}

func (s *Store) MarkSent(ctx context.Context, id int64, attempt int, providerID string, at time.Time) error {
	return s.write(ctx, func(t *txn) error { return t.MarkSent(ctx, id, attempt, providerID, at) })
}

func (s *Store) MarkSentBatch(ctx context.Context, marks []casestore.SentMark) (errs []error, err error) {
	err = s.write(ctx, func(t *txn) error { errs, err = t.MarkSentBatch(ctx, marks); return err })
	return errs, err
}

func (s *Store) MarkRetry(ctx context.Context, id int64, attempt int, lastError string, next time.Time) error {
	return s.write(ctx, func(t *txn) error { return t.MarkRetry(ctx, id, attempt, lastError, next) })
}

func (s *Store) MarkFailed(ctx context.Context, id int64, attempt int, lastError string) error {
	return s.write(ctx, func(t *txn) error { return t.MarkFailed(ctx, id, attempt, lastError) })
}

func (s *Store) SetDeliveryStatus(ctx context.Context, channel, providerID string, st casestore.OutboundStatus, detail string) (m *casestore.OutboundMessage, moved bool, err error) {
	err = s.write(ctx, func(t *txn) error {
		m, moved, err = t.SetDeliveryStatus(ctx, channel, providerID, st, detail)
		return err
	})
	return m, moved, err
}

func (s *Store) Outbound(ctx context.Context, id int64) (m *casestore.OutboundMessage, err error) {
	err = s.read(ctx, func(t *txn) error { m, err = t.Outbound(ctx, id); return err })
	return m, err
}

func (s *Store) OutboundFor(ctx context.Context, channel, to string, limit int) (ms []*casestore.OutboundMessage, err error) {
	err = s.read(ctx, func(t *txn) error { ms, err = t.OutboundFor(ctx, channel, to, limit); return err })
	return ms, err
}

func (s *Store) OutboxDepth(ctx context.Context) (n int, err error) {
	err = s.read(ctx, func(t *txn) error { n, err = t.OutboxDepth(ctx); return err })
	return n, err
}

func (s *Store) OutboxBacklog(ctx context.Context, now time.Time) (b casestore.OutboxBacklog, err error) {
	err = s.read(ctx, func(t *txn) error { b, err = t.OutboxBacklog(ctx, now); return err })
	return b, err
}

func (s *Store) SetOptOut(ctx context.Context, channel, address string, optedOut bool, at time.Time) error {
	return s.write(ctx, func(t *txn) error { return t.SetOptOut(ctx, channel, address, optedOut, at) })
}

func (s *Store) OptedOut(ctx context.Context, channel, address string) (out bool, err error) {
	err = s.read(ctx, func(t *txn) error { out, err = t.OptedOut(ctx, channel, address); return err })
	return out, err
}
