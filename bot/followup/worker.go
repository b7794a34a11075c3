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

// Work hands the job to a batcher (batch.go) when the engine runs them,
// else runs it in a transaction of its own, and snoozes it when the
// contact rules held its message back.
func (w *worker[A]) Work(ctx context.Context, job *river.Job[A]) error {
	e := w.e
	// River finds its client in the job's context: the completion, run
	// by a batcher, keeps those values (not the job's deadline: the
	// batch's transaction has its own).
	jobCtx := context.WithoutCancel(ctx)
	ref := jobRef{id: job.ID, kind: job.Kind, args: job.Args,
		complete: func(_ context.Context, tx casestore.Tx) error { return w.complete(jobCtx, raw(tx), job) }}
	var o outcome
	var err error
	if q := e.queue; q != nil && e.batching.Load() {
		p := &pending{ref: ref, done: make(chan result, 1)}
		select {
		case q <- p:
		case <-ctx.Done():
			return ctx.Err()
		}
		select {
		case r := <-p.done:
			o, err = r.outcome, r.err
		case <-ctx.Done():
			return ctx.Err()
		}
	} else {
		o, err = e.runOne(ctx, ref)
	}
	if err != nil {
		return err
	}
	if o.snooze > 0 {
		return river.JobSnooze(o.snooze)
	}
	return nil
}

// process looks at the job's case, applies the contact rules and, in tx,
// sends (outbox, contact log, dossier) or files the skip, and marks the
// job done; a message held back files why and returns the snooze.
func (e *Engine) process(ctx context.Context, tx casestore.Tx, job jobRef, now time.Time) (outcome, error) {
	c, err := tx.Case(ctx, job.args.caseID())
	if errors.Is(err, casestore.ErrNotFound) {
		return outcome{}, job.complete(ctx, tx) // the case is gone: nothing to follow up
	}
	if err != nil {
		return outcome{}, err
	}
	v, err := e.judge(ctx, tx, c, any(job.args), now)
	if err != nil {
		return outcome{}, err
	}
	base := map[string]any{"job_id": job.id, "job": job.kind}
	if v.Type != "" {
		base["type"] = v.Type
	}
	if v.Always && v.Then != nil {
		if err := v.Then(ctx, tx); err != nil {
			return outcome{}, err
		}
	}
	if v.Skip != "" {
		return outcome{}, skip(ctx, tx, job, c.ID, base, v.Skip)
	}
	ch, to, err := e.address(ctx, tx, c)
	if err != nil {
		return outcome{}, err
	}
	if ch == "" {
		return outcome{}, skip(ctx, tx, job, c.ID, base, "no channel to reach the debtor")
	}
	// One debtor's follow-ups are counted and sent one at a time, so
	// two running at once cannot both pass the weekly cap.
	if err := tx.LockContact(ctx, to); err != nil {
		return outcome{}, err
	}
	contact := Contact{Country: c.Regime.Country()}
	if ok, why, err := casestore.MayAutomate(ctx, tx, c.ID, ch, to); err != nil {
		return outcome{}, err
	} else if !ok {
		contact.Refused = why
	}
	if _, err := tx.OpenHandoff(ctx, ch, to); err == nil {
		contact.HeldByCollector = true
	} else if !errors.Is(err, casestore.ErrNotFound) {
		return outcome{}, err
	}
	if contact.Sent, err = sentTimes(ctx, tx, c, to, now); err != nil {
		return outcome{}, err
	}
	d := e.cfg.Rules.Decide(now, contact)
	switch {
	case d.Refused != "":
		base["channel"] = ch
		return outcome{}, skip(ctx, tx, job, c.ID, base, d.Refused)
	case !d.Send:
		base["reason"], base["until"], base["channel"] = d.Held, d.Until.UTC(), ch
		return outcome{snooze: max(d.Until.Sub(now), time.Second)}, file(ctx, tx, c.ID, EntryHeld, base)
	}
	text := Text(v.Type, c, v.Amount, v.Date, e.payLink(c))
	m := casestore.OutboundMessage{Channel: ch, To: to, CaseID: c.ID, Text: text, Automated: true, TemplateType: v.Type}
	if err := tx.EnqueueOutbound(ctx, &m); err != nil {
		return outcome{}, err
	}
	if err := tx.RecordContact(ctx, &casestore.AutomatedContact{CaseID: c.ID, Channel: ch, Address: to, At: now}); err != nil {
		return outcome{}, err
	}
	base["channel"], base["outbound_id"], base["text"] = ch, m.ID, text
	if err := file(ctx, tx, c.ID, EntrySent, base); err != nil {
		return outcome{}, err
	}
	if !v.Always && v.Then != nil {
		if err := v.Then(ctx, tx); err != nil {
			return outcome{}, err
		}
	}
	return outcome{sent: true}, job.complete(ctx, tx)
}

func skip(ctx context.Context, tx casestore.Tx, job jobRef, caseID int64, body map[string]any, reason string) error {
	body["reason"] = reason
	if err := file(ctx, tx, caseID, EntrySkipped, body); err != nil {
		return err
	}
	return job.complete(ctx, tx)
}
