package postgres

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
)

// The contact log of the follow-ups (migration 00160) and the bulk reads
// a batch of follow-ups makes: casestore.BulkFollowUpReader.

var _ casestore.BulkFollowUpReader = (*txn)(nil)

func (t *txn) RecordContact(ctx context.Context, c *casestore.AutomatedContact) error {
	at := instant(c.At)
	if c.At.IsZero() {
		at = t.now()
	}
	err := t.tx.QueryRow(ctx, `
		INSERT INTO automated_contacts (debtor_id, case_id, channel, address, at)
		SELECT debtor_id, id, $2, $3, $4 FROM cases WHERE id = $1
		RETURNING id, debtor_id`, c.CaseID, c.Channel, c.Address, at).Scan(&c.ID, &c.DebtorID)
	if err != nil {
		return dbError(err, casestore.ErrNotFound, fmt.Sprintf("contact log of case %d", c.CaseID))
	}
	c.At = at
	return nil
}

func (t *txn) AutomatedContacts(ctx context.Context, debtorIDs []int64, addresses []string, since time.Time) ([]casestore.AutomatedContact, error) {
	if len(debtorIDs) == 0 && len(addresses) == 0 {
		return nil, nil
	}
	// Two indexed range scans, merged.
	rows, err := t.tx.Query(ctx, `
		SELECT id, debtor_id, case_id, channel, address, at FROM automated_contacts
		WHERE debtor_id = ANY($1) AND at > $3
		UNION
		SELECT id, debtor_id, case_id, channel, address, at FROM automated_contacts
		WHERE address = ANY($2) AND at > $3
		ORDER BY at, id`, debtorIDs, addresses, since.UTC())
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "contact log")
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (casestore.AutomatedContact, error) {
		var c casestore.AutomatedContact
		err := row.Scan(&c.ID, &c.DebtorID, &c.CaseID, &c.Channel, &c.Address, &c.At)
		c.At = c.At.UTC()
		return c, err
	})
	return out, dbError(err, casestore.ErrNotFound, "contact log")
}

func (s *Store) RecordContact(ctx context.Context, c *casestore.AutomatedContact) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.RecordContact(ctx, c) })
}

func (s *Store) AutomatedContacts(ctx context.Context, debtorIDs []int64, addresses []string, since time.Time) ([]casestore.AutomatedContact, error) {
	return getSingle(ctx, s, func(t *txn) ([]casestore.AutomatedContact, error) {
		return t.AutomatedContacts(ctx, debtorIDs, addresses, since)
	})
}

// FollowUpFacts reads the cases (with invoices and payments), their plans
// with installments, promises, disputes, debtors' contact preferences,
// flags and last conversation in one round trip.
func (t *txn) FollowUpFacts(ctx context.Context, ids []int64) (map[int64]*casestore.FollowUpFacts, error) {
	out := make(map[int64]*casestore.FollowUpFacts, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	byCase := func(id int64) *casestore.Case {
		if f := out[id]; f != nil {
			return f.Case
		}
		return nil
	}
	plans := map[int64]*casestore.Plan{}
	prefs := map[int64]casestore.ContactPreference{}
	batch := t.snapshotBatch()
	batch.Queue(caseSelect+`WHERE c.id = ANY($1)`, ids).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			c, err := scanCase(rows)
			if err != nil {
				return err
			}
			out[c.ID] = &casestore.FollowUpFacts{Case: c}
		}
		return rows.Err()
	})
	queueClaims(batch, `ANY($1)`, ids, byCase)
	batch.Queue(`SELECT id, case_id, status, total, down_payment, created_at FROM plans WHERE case_id = ANY($1) ORDER BY id`, ids).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			p := &casestore.Plan{}
			if err := rows.Scan(&p.ID, &p.CaseID, &p.Status, &p.Total, &p.DownPayment, &p.CreatedAt); err != nil {
				return err
			}
			p.CreatedAt = p.CreatedAt.UTC()
			plans[p.ID] = p
			if f := out[p.CaseID]; f != nil {
				f.Plans = append(f.Plans, p)
			}
		}
		return rows.Err()
	})
	batch.Queue(`
		SELECT i.plan_id, i.seq, i.due, i.amount FROM installments i JOIN plans p ON p.id = i.plan_id
		WHERE p.case_id = ANY($1) ORDER BY i.plan_id, i.seq`, ids).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var planID int64
			var in casestore.Installment
			if err := rows.Scan(&planID, &in.Seq, &in.Due, &in.Amount); err != nil {
				return err
			}
			if p := plans[planID]; p != nil {
				p.Installments = append(p.Installments, in)
			}
		}
		return rows.Err()
	})
	batch.Queue(`SELECT id, case_id, amount, date, status, created_at FROM promises WHERE case_id = ANY($1) ORDER BY id`, ids).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			p := &casestore.Promise{}
			if err := rows.Scan(&p.ID, &p.CaseID, &p.Amount, &p.Date, &p.Status, &p.CreatedAt); err != nil {
				return err
			}
			p.CreatedAt = p.CreatedAt.UTC()
			if f := out[p.CaseID]; f != nil {
				f.Promises = append(f.Promises, p)
			}
		}
		return rows.Err()
	})
	batch.Queue(`
		SELECT id, case_id, invoice_id, reason, text, evidence, status, created_at, resolved_at
		FROM disputes WHERE case_id = ANY($1) ORDER BY id`, ids).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			d := &casestore.Dispute{}
			if err := rows.Scan(&d.ID, &d.CaseID, &d.InvoiceID, &d.Reason, &d.Text, &d.Evidence, &d.Status,
				&d.CreatedAt, &d.ResolvedAt); err != nil {
				return err
			}
			d.CreatedAt = d.CreatedAt.UTC()
			if d.ResolvedAt != nil {
				*d.ResolvedAt = d.ResolvedAt.UTC()
			}
			if f := out[d.CaseID]; f != nil {
				f.Disputes = append(f.Disputes, d)
			}
		}
		return rows.Err()
	})
	batch.Queue(`
		SELECT debtor_id, channel, written_only, no_calls, updated_at FROM debtor_contact
		WHERE debtor_id IN (SELECT debtor_id FROM cases WHERE id = ANY($1))`, ids).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var id int64
			var p casestore.ContactPreference
			if err := rows.Scan(&id, &p.Channel, &p.WrittenOnly, &p.NoCalls, &p.UpdatedAt); err != nil {
				return err
			}
			p.UpdatedAt = p.UpdatedAt.UTC()
			prefs[id] = p
		}
		return rows.Err()
	})
	batch.Queue(`SELECT case_id, bewindvoering, debt_settlement, updated_at FROM case_flags WHERE case_id = ANY($1)`, ids).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var id int64
			var fl casestore.CaseFlags
			if err := rows.Scan(&id, &fl.Bewindvoering, &fl.DebtSettlement, &fl.UpdatedAt); err != nil {
				return err
			}
			fl.UpdatedAt = fl.UpdatedAt.UTC()
			if f := out[id]; f != nil {
				f.Flags = fl
			}
		}
		return rows.Err()
	})
	// CaseConversation for each: the last message about the case.
	batch.Queue(`
		SELECT c.id, m.channel, m.from_addr FROM unnest($1::bigint[]) c(id)
		CROSS JOIN LATERAL (SELECT channel, from_addr FROM inbound_messages
			WHERE case_id = c.id ORDER BY id DESC LIMIT 1) m`, ids).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var id int64
			var ch, addr string
			if err := rows.Scan(&id, &ch, &addr); err != nil {
				return err
			}
			if f := out[id]; f != nil {
				f.ConvChannel, f.ConvAddress = ch, addr
			}
		}
		return rows.Err()
	})
	if err := t.sendSnapshot(ctx, batch); err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "follow-up facts")
	}
	for _, f := range out {
		f.Preference = prefs[f.Case.DebtorID]
		if f.Plans == nil {
			f.Plans = []*casestore.Plan{}
		}
		if f.Promises == nil {
			f.Promises = []*casestore.Promise{}
		}
		if f.Disputes == nil {
			f.Disputes = []*casestore.Dispute{}
		}
	}
	return out, nil
}

// AddressFacts reads the opt-outs and the open handoffs (share-locked, as
// OpenHandoff in a transaction) of the addresses in one round trip.
func (t *txn) AddressFacts(ctx context.Context, addrs []casestore.ChannelAddress) (map[casestore.ChannelAddress]bool, map[casestore.ChannelAddress]*casestore.Handoff, error) {
	opted := map[casestore.ChannelAddress]bool{}
	handoffs := map[casestore.ChannelAddress]*casestore.Handoff{}
	if len(addrs) == 0 {
		return opted, handoffs, nil
	}
	chs, as := make([]string, len(addrs)), make([]string, len(addrs))
	for i, a := range addrs {
		chs[i], as[i] = a.Channel, a.Address
	}
	batch := t.snapshotBatch()
	batch.Queue(`
		SELECT o.channel, o.address FROM opt_outs o JOIN unnest($1::text[], $2::text[]) k(channel, address)
			ON o.channel = k.channel AND o.address = k.address
		WHERE o.opted_out`, chs, as).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var a casestore.ChannelAddress
			if err := rows.Scan(&a.Channel, &a.Address); err != nil {
				return err
			}
			opted[a] = true
		}
		return rows.Err()
	})
	lock := ""
	if t.inTx {
		lock = ` FOR SHARE`
	}
	batch.Queue(`SELECT `+handoffColumns+` FROM handoffs
		WHERE (channel, address) IN (SELECT * FROM unnest($1::text[], $2::text[])) AND status IN ('queued', 'claimed')`+lock, chs, as).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			h, err := scanHandoff(rows)
			if err != nil {
				return err
			}
			handoffs[casestore.ChannelAddress{Channel: h.Channel, Address: h.Address}] = h
		}
		return rows.Err()
	})
	if err := t.sendSnapshot(ctx, batch); err != nil {
		return nil, nil, dbError(err, casestore.ErrNotFound, "address facts")
	}
	return opted, handoffs, nil
}

// LockContacts takes LockContact's lock on every key, sorted, in one
// statement.
func (t *txn) LockContacts(ctx context.Context, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	ks := make([]string, len(keys))
	for i, k := range keys {
		ks[i] = "contact:" + k
	}
	sort.Strings(ks)
	_, err := t.tx.Exec(ctx, `
		SELECT pg_advisory_xact_lock(hashtextextended(k, 7))
		FROM (SELECT DISTINCT k FROM unnest($1::text[]) k ORDER BY k) x`, ks)
	return dbError(err, casestore.ErrInvalid, "lock contacts")
}
