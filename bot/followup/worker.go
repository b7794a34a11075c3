package followup

import (
	"context"
	"errors"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/riverqueue/river"
)

// caseJob is what every job names.
type caseJob interface {
	river.JobArgs
	caseID() int64
}

func (a InstallmentReminder) caseID() int64 { return a.CaseID }
func (a InstallmentCheck) caseID() int64    { return a.CaseID }
func (a PlanBrokenNotice) caseID() int64    { return a.CaseID }
func (a PromiseFollowUp) caseID() int64     { return a.CaseID }
func (a SequenceStep) caseID() int64        { return a.CaseID }

// worker runs one kind of job.
type worker[A caseJob] struct {
	river.WorkerDefaults[A]
	e        *Engine
	complete func(context.Context, casestore.Tx, *river.Job[A]) error
}

// Work looks at the case, applies the contact rules and, in one store
// transaction, sends (outbox + dossier) or files the skip, and marks the
// job done. A message held back files why and snoozes the job.
func (w *worker[A]) Work(ctx context.Context, job *river.Job[A]) error {
	e := w.e
	now := e.now()
	var snooze time.Duration
	var sent bool
	err := e.Store.InTx(ctx, func(tx casestore.Tx) error {
		snooze, sent = 0, false
		c, err := tx.Case(ctx, job.Args.caseID())
		if errors.Is(err, casestore.ErrNotFound) {
			return w.complete(ctx, tx, job) // the case is gone: nothing to follow up
		}
		if err != nil {
			return err
		}
		v, err := e.judge(ctx, tx, c, any(job.Args), now)
		if err != nil {
			return err
		}
		base := map[string]any{"job_id": job.ID, "job": job.Kind}
		if v.Type != "" {
			base["type"] = v.Type
		}
		if v.Always && v.Then != nil {
			if err := v.Then(ctx, tx); err != nil {
				return err
			}
		}
		if v.Skip != "" {
			return w.skip(ctx, tx, job, c.ID, base, v.Skip)
		}
		ch, to, err := e.address(ctx, tx, c)
		if err != nil {
			return err
		}
		if ch == "" {
			return w.skip(ctx, tx, job, c.ID, base, "no channel to reach the debtor")
		}
		// One debtor's follow-ups are counted and sent one at a time, so
		// two running at once cannot both pass the weekly cap.
		if err := tx.LockContact(ctx, to); err != nil {
			return err
		}
		contact := Contact{Country: c.Regime.Country()}
		if ok, why, err := casestore.MayAutomate(ctx, tx, c.ID, ch, to); err != nil {
			return err
		} else if !ok {
			contact.Refused = why
		}
		if _, err := tx.OpenHandoff(ctx, ch, to); err == nil {
			contact.HeldByCollector = true
		} else if !errors.Is(err, casestore.ErrNotFound) {
			return err
		}
		if contact.Sent, err = e.sentTimes(ctx, tx, c, now); err != nil {
			return err
		}
		d := e.cfg.Rules.Decide(now, contact)
		switch {
		case d.Refused != "":
			base["channel"] = ch
			return w.skip(ctx, tx, job, c.ID, base, d.Refused)
		case !d.Send:
			snooze = max(d.Until.Sub(now), time.Second)
			base["reason"], base["until"], base["channel"] = d.Held, d.Until.UTC(), ch
			return file(ctx, tx, c.ID, EntryHeld, base)
		}
		text := Text(v.Type, c, v.Amount, v.Date, e.payLink(c))
		m := casestore.OutboundMessage{Channel: ch, To: to, CaseID: c.ID, Text: text, Automated: true, TemplateType: v.Type}
		if err := tx.EnqueueOutbound(ctx, &m); err != nil {
			return err
		}
		base["channel"], base["outbound_id"], base["text"] = ch, m.ID, text
		if err := file(ctx, tx, c.ID, EntrySent, base); err != nil {
			return err
		}
		if !v.Always && v.Then != nil {
			if err := v.Then(ctx, tx); err != nil {
				return err
			}
		}
		sent = true
		return w.complete(ctx, tx, job)
	})
	if err != nil {
		return err
	}
	if sent && e.cfg.Wake != nil {
		e.cfg.Wake()
	}
	if snooze > 0 {
		return river.JobSnooze(snooze)
	}
	return nil
}

func (w *worker[A]) skip(ctx context.Context, tx casestore.Tx, job *river.Job[A], caseID int64, body map[string]any, reason string) error {
	body["reason"] = reason
	if err := file(ctx, tx, caseID, EntrySkipped, body); err != nil {
		return err
	}
	return w.complete(ctx, tx, job)
}
