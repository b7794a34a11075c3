package followup

import (
	"context"
	"slices"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// Jobs run in batches: River hands each job to a worker, the worker hands
// it to a batcher and waits, and a batcher runs every job waiting (up to
// Config.Batch, one job per case) in one store transaction. The facts of
// all its cases are read in a few round trips (casestore.BulkFollowUpReader
// where the store offers it) and the weekly cap is counted from the
// contact log with one read for the batch; each job then runs exactly as
// alone — the same judge, rules and writes — on that snapshot, and marks
// itself done in the same transaction. Should the transaction fail, each
// of its jobs runs again on its own, so one bad job cannot hold back the
// others.

// jobRef is one job as the batch sees it.
type jobRef struct {
	id       int64
	kind     string
	args     caseJob
	complete func(context.Context, casestore.Tx) error
}

// outcome is what running a job did.
type outcome struct {
	snooze time.Duration // held back: run again after this long
	sent   bool          // a message went to the outbox
}

type pending struct {
	ref  jobRef
	done chan result
}

type result struct {
	outcome
	err error
}

// batcher takes jobs from e.queue and runs them in batches until ctx ends.
func (e *Engine) batcher(ctx context.Context) {
	for {
		var first *pending
		select {
		case first = <-e.queue:
		case <-ctx.Done():
			return
		}
		batch := []*pending{first}
		seen := map[int64]bool{first.ref.args.caseID(): true}
		var alone []*pending // a second job of a case in the batch
	gather:
		for len(batch) < e.cfg.Batch {
			select {
			case p := <-e.queue:
				if id := p.ref.args.caseID(); seen[id] {
					alone = append(alone, p)
				} else {
					seen[id] = true
					batch = append(batch, p)
				}
			default:
				break gather
			}
		}
		e.runBatch(ctx, batch)
		for _, p := range alone {
			o, err := e.runOne(ctx, p.ref)
			p.done <- result{o, err}
		}
	}
}

// runBatch runs the jobs in one transaction, or each on its own when that
// fails.
func (e *Engine) runBatch(ctx context.Context, batch []*pending) {
	if len(batch) == 1 {
		o, err := e.runOne(ctx, batch[0].ref)
		batch[0].done <- result{o, err}
		return
	}
	now := e.now()
	out := make([]outcome, len(batch))
	err := e.Store.InTx(ctx, func(tx casestore.Tx) error {
		ct, err := e.prefetch(ctx, tx, batch, now)
		if err != nil {
			return err
		}
		for i, p := range batch {
			if out[i], err = e.process(ctx, ct, p.ref, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.cfg.Log.WarnContext(ctx, "followup: batch failed, running its jobs one by one", "jobs", len(batch), "err", err)
		for _, p := range batch {
			o, err := e.runOne(ctx, p.ref)
			p.done <- result{o, err}
		}
		return
	}
	sent := false
	for i, p := range batch {
		sent = sent || out[i].sent
		p.done <- result{outcome: out[i]}
	}
	if sent && e.cfg.Wake != nil {
		e.cfg.Wake()
	}
}

// runOne runs one job in a transaction of its own.
func (e *Engine) runOne(ctx context.Context, ref jobRef) (outcome, error) {
	now := e.now()
	var o outcome
	err := e.Store.InTx(ctx, func(tx casestore.Tx) error {
		var err error
		o, err = e.process(ctx, tx, ref, now)
		return err
	})
	if err != nil {
		return outcome{}, err
	}
	if o.sent && e.cfg.Wake != nil {
		e.cfg.Wake()
	}
	return o, nil
}

// prefetch reads what the batch's jobs will read and locks the addresses
// they may write to, and returns the transaction that answers from it.
func (e *Engine) prefetch(ctx context.Context, tx casestore.Tx, batch []*pending, now time.Time) (*cachedTx, error) {
	ct := &cachedTx{Tx: tx}
	bulk, ok := tx.(casestore.BulkFollowUpReader)
	if !ok {
		return ct, nil // read case by case
	}
	ids := make([]int64, len(batch))
	for i, p := range batch {
		ids[i] = p.ref.args.caseID()
	}
	facts, err := bulk.FollowUpFacts(ctx, ids)
	if err != nil {
		return nil, err
	}
	ct.facts = facts
	ct.prefs = map[int64]casestore.ContactPreference{}
	for _, f := range facts {
		ct.prefs[f.Case.DebtorID] = f.Preference
	}
	// Where each would go: lock those addresses (in one sorted
	// statement), then read their opt-outs, handoffs and contacts.
	var addrs []casestore.ChannelAddress
	var keys, counted []string
	var debtors []int64
	for _, f := range facts {
		ch, to, err := e.address(ctx, ct, f.Case)
		if err != nil {
			return nil, err
		}
		debtors = append(debtors, f.Case.DebtorID)
		counted = append(counted, f.Case.Debtor.Phones...)
		if ch == "" {
			continue
		}
		addrs = append(addrs, casestore.ChannelAddress{Channel: ch, Address: to})
		keys = append(keys, to)
		counted = append(counted, to)
	}
	if err := bulk.LockContacts(ctx, keys); err != nil {
		return nil, err
	}
	ct.locked = map[string]bool{}
	for _, k := range keys {
		ct.locked[k] = true
	}
	if ct.optedOut, ct.handoffs, err = bulk.AddressFacts(ctx, addrs); err != nil {
		return nil, err
	}
	ct.since = now.Add(-capWindow)
	if ct.contacts, err = tx.AutomatedContacts(ctx, debtors, counted, ct.since); err != nil {
		return nil, err
	}
	ct.debtors, ct.counted = map[int64]bool{}, map[string]bool{}
	for _, d := range debtors {
		ct.debtors[d] = true
	}
	for _, a := range counted {
		ct.counted[a] = true
	}
	ct.addrsKnown = map[casestore.ChannelAddress]bool{}
	for _, a := range addrs {
		ct.addrsKnown[a] = true
	}
	return ct, nil
}

// cachedTx is a store transaction that answers the follow-up's reads from
// a batch's prefetch (anything not prefetched goes to the store) and keeps
// the contacts it records in view of the jobs after it. One job per case
// runs in a batch, so a case's facts do not change under another job.
type cachedTx struct {
	casestore.Tx
	facts      map[int64]*casestore.FollowUpFacts
	prefs      map[int64]casestore.ContactPreference
	locked     map[string]bool
	addrsKnown map[casestore.ChannelAddress]bool
	optedOut   map[casestore.ChannelAddress]bool
	handoffs   map[casestore.ChannelAddress]*casestore.Handoff
	// contacts are the contact log's rows after since for the debtors
	// and addresses counted, plus those recorded in the batch.
	contacts []casestore.AutomatedContact
	since    time.Time
	debtors  map[int64]bool
	counted  map[string]bool
}

// raw is the store's own transaction under tx (River needs it).
func raw(tx casestore.Tx) casestore.Tx {
	if c, ok := tx.(*cachedTx); ok {
		return c.Tx
	}
	return tx
}

func (c *cachedTx) Case(ctx context.Context, id int64) (*casestore.Case, error) {
	if f := c.facts[id]; f != nil {
		return f.Case, nil
	}
	return c.Tx.Case(ctx, id)
}

func (c *cachedTx) Plans(ctx context.Context, id int64) ([]*casestore.Plan, error) {
	if f := c.facts[id]; f != nil {
		return f.Plans, nil
	}
	return c.Tx.Plans(ctx, id)
}

func (c *cachedTx) Promises(ctx context.Context, id int64) ([]*casestore.Promise, error) {
	if f := c.facts[id]; f != nil {
		return f.Promises, nil
	}
	return c.Tx.Promises(ctx, id)
}

func (c *cachedTx) Disputes(ctx context.Context, id int64) ([]*casestore.Dispute, error) {
	if f := c.facts[id]; f != nil {
		return f.Disputes, nil
	}
	return c.Tx.Disputes(ctx, id)
}

func (c *cachedTx) CaseFlags(ctx context.Context, id int64) (casestore.CaseFlags, error) {
	if f := c.facts[id]; f != nil {
		return f.Flags, nil
	}
	return c.Tx.CaseFlags(ctx, id)
}

func (c *cachedTx) CaseConversation(ctx context.Context, id int64) (string, string, error) {
	if f := c.facts[id]; f != nil {
		if f.ConvChannel == "" {
			return "", "", casestore.ErrNotFound
		}
		return f.ConvChannel, f.ConvAddress, nil
	}
	return c.Tx.CaseConversation(ctx, id)
}

func (c *cachedTx) ContactPreference(ctx context.Context, debtorID int64) (casestore.ContactPreference, error) {
	if p, ok := c.prefs[debtorID]; ok {
		return p, nil
	}
	return c.Tx.ContactPreference(ctx, debtorID)
}

func (c *cachedTx) LockContact(ctx context.Context, key string) error {
	if c.locked[key] {
		return nil
	}
	return c.Tx.LockContact(ctx, key)
}

func (c *cachedTx) OptedOut(ctx context.Context, channel, address string) (bool, error) {
	if a := (casestore.ChannelAddress{Channel: channel, Address: address}); c.addrsKnown[a] {
		return c.optedOut[a], nil
	}
	return c.Tx.OptedOut(ctx, channel, address)
}

func (c *cachedTx) OpenHandoff(ctx context.Context, channel, address string) (*casestore.Handoff, error) {
	if a := (casestore.ChannelAddress{Channel: channel, Address: address}); c.addrsKnown[a] {
		if h := c.handoffs[a]; h != nil {
			return h, nil
		}
		return nil, casestore.ErrNotFound
	}
	return c.Tx.OpenHandoff(ctx, channel, address)
}

func (c *cachedTx) RecordContact(ctx context.Context, a *casestore.AutomatedContact) error {
	if err := c.Tx.RecordContact(ctx, a); err != nil {
		return err
	}
	if c.debtors != nil {
		c.contacts = append(c.contacts, *a)
	}
	return nil
}

func (c *cachedTx) AutomatedContacts(ctx context.Context, debtorIDs []int64, addresses []string, since time.Time) ([]casestore.AutomatedContact, error) {
	covered := c.debtors != nil && !since.Before(c.since)
	for _, d := range debtorIDs {
		covered = covered && c.debtors[d]
	}
	for _, a := range addresses {
		covered = covered && c.counted[a]
	}
	if !covered {
		return c.Tx.AutomatedContacts(ctx, debtorIDs, addresses, since)
	}
	var out []casestore.AutomatedContact
	for _, x := range c.contacts {
		if x.At.After(since) && (slices.Contains(debtorIDs, x.DebtorID) || slices.Contains(addresses, x.Address)) {
			out = append(out, x)
		}
	}
	return out, nil
}
