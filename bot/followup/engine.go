// Package followup is what the agency sends without being asked: the
// installment reminders of an agreed plan, the message after a missed
// installment (and the plan's end after too many), the follow-up of an
// unpaid promise, and the reminder sequences of a creditor's process.
//
// Each is a job of River (github.com/riverqueue/river), the durable queue
// in the store's own database (PostgreSQL, or the SQLite file), inserted
// in the same transaction as the fact that causes it: a crash can neither
// lose a job nor make one twice. At run time a worker looks at the case
// again (paid? plan still active? installment paid? collection stopped?),
// applies the contact rules (rules.go), and in one transaction puts the
// message in the outbox, files it in the dossier and marks the job done
// (river.JobCompleteTx), so a message is never sent twice either. A skip
// files its reason; a message held back files why and until when, and the
// job is snoozed to that moment.
//
// The package knows nothing of providers: the outbox (bot.Outbox) sends.
package followup

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"
)

// Dossier kinds of the follow-ups.
const (
	EntrySent      casestore.EntryKind = "followup.sent"      // an automated message went to the outbox
	EntrySkipped   casestore.EntryKind = "followup.skipped"   // not sent, with the reason
	EntryHeld      casestore.EntryKind = "followup.held"      // held back until a moment, with the reason
	EntryPlanBroke casestore.EntryKind = "plan.broken"        // too many installments missed
	EntryScheduled casestore.EntryKind = "followup.scheduled" // jobs planned for a fact
)

// Config is how an Engine runs.
type Config struct {
	Rules    Rules    // DefaultRules when zero
	Policies Policies // per creditor; DefaultPolicy for the rest
	// PayLink is the case's payment link; nil: the creditor's own
	// (PaymentURL with {ref}).
	PayLink func(*casestore.Case) string
	// Channel is the channel for a debtor who never wrote and has no
	// preference, when they have a phone number: "sms" by default.
	Channel string
	// Now is the clock, also River's (an injected clock in tests);
	// time.Now when nil.
	Now func() time.Time
	// Workers is how many jobs River hands out at once (default 128);
	// they wait for a batcher, which runs up to Batch of them (default
	// 100) in one transaction; Batchers (default 2) run at once.
	Workers, Batch, Batchers int
	Poll                     time.Duration // how often River looks for due jobs; default 1s
	// Wake is called after a message was put in the outbox (the outbox's
	// Wake); may be nil.
	Wake func()
	Log  *slog.Logger
	// StuckAfter is how long a job may be "running" before it is taken
	// for one of a dead process and given back to the queue (its run is
	// cut off at half of it); default a minute.
	StuckAfter time.Duration
}

// Engine schedules and runs the follow-ups.
type Engine struct {
	Store casestore.Store
	cfg   Config

	insert   func(ctx context.Context, tx casestore.Tx, params []river.InsertManyParams) error
	start    func(ctx context.Context) error
	stop     func(ctx context.Context) error
	jobsList func(ctx context.Context, states []rivertype.JobState, limit int) ([]*rivertype.JobRow, error)
	retry    func(ctx context.Context, id int64) error

	queue    chan *pending // to the batchers
	batching atomic.Bool   // batchers run
	stopB    context.CancelFunc
	doneB    sync.WaitGroup
}

// New makes an Engine on River's driver for the store's database; unwrap
// gives River the driver's transaction inside a casestore.Tx of
// Store.InTx (postgres.RiverTx, sqlite.RiverTx).
func New[TTx any](st casestore.Store, driver riverdriver.Driver[TTx], unwrap func(casestore.Tx) (TTx, error), cfg Config) (*Engine, error) {
	if cfg.Rules == (Rules{}) {
		cfg.Rules = DefaultRules
	}
	if cfg.Channel == "" {
		cfg.Channel = "sms"
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 128
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 100
	}
	if cfg.Batchers <= 0 {
		cfg.Batchers = 2
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	e := &Engine{Store: st, cfg: cfg, queue: make(chan *pending)}
	unwrap0 := unwrap
	unwrap = func(tx casestore.Tx) (TTx, error) { return unwrap0(raw(tx)) }
	workers := river.NewWorkers()
	river.AddWorker(workers, &worker[InstallmentReminder]{e: e, complete: completer[TTx, InstallmentReminder](unwrap)})
	river.AddWorker(workers, &worker[InstallmentCheck]{e: e, complete: completer[TTx, InstallmentCheck](unwrap)})
	river.AddWorker(workers, &worker[PlanBrokenNotice]{e: e, complete: completer[TTx, PlanBrokenNotice](unwrap)})
	river.AddWorker(workers, &worker[PromiseFollowUp]{e: e, complete: completer[TTx, PromiseFollowUp](unwrap)})
	river.AddWorker(workers, &worker[SequenceStep]{e: e, complete: completer[TTx, SequenceStep](unwrap)})
	stuck := cfg.StuckAfter
	if stuck <= 0 {
		stuck = time.Minute
	}
	rc := &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:           workers,
		FetchPollInterval: cfg.Poll,
		FetchCooldown:     min(cfg.Poll, 20*time.Millisecond),
		Logger:            cfg.Log,
		MaxAttempts:       10,
		// A follow-up takes well under a second. One still "running"
		// after a minute belongs to a process that died (SIGKILL, a lost
		// machine): River's leader gives it back to the queue. Should its
		// first run still be alive after all, its JobCompleteTx finds the
		// job no longer running and its transaction (message included)
		// rolls back: nothing is sent twice.
		JobTimeout:           stuck / 2,
		RescueStuckJobsAfter: stuck,
	}
	if cfg.Now != nil {
		rc.Test.Time = clock{cfg.Now}
	}
	client, err := river.NewClient(driver, rc)
	if err != nil {
		return nil, fmt.Errorf("followup: %w", err)
	}
	e.insert = func(ctx context.Context, tx casestore.Tx, params []river.InsertManyParams) error {
		t, err := unwrap(tx)
		if err != nil {
			return err
		}
		_, err = client.InsertManyTx(ctx, t, params)
		return err
	}
	e.start = client.Start
	e.stop = client.Stop
	e.jobsList = func(ctx context.Context, states []rivertype.JobState, limit int) ([]*rivertype.JobRow, error) {
		res, err := client.JobList(ctx, river.NewJobListParams().States(states...).First(limit).OrderBy(river.JobListOrderByScheduledAt, river.SortOrderAsc))
		if err != nil {
			return nil, err
		}
		return res.Jobs, nil
	}
	e.retry = func(ctx context.Context, id int64) error {
		_, err := client.JobRetry(ctx, id)
		return err
	}
	return e, nil
}

// completer marks a job done inside the store's transaction, so the
// message and the job's end commit together.
func completer[TTx any, A river.JobArgs](unwrap func(casestore.Tx) (TTx, error)) func(context.Context, casestore.Tx, *river.Job[A]) error {
	return func(ctx context.Context, tx casestore.Tx, job *river.Job[A]) error {
		t, err := unwrap(tx)
		if err != nil {
			return err
		}
		done, err := river.JobCompleteTx[riverdriver.Driver[TTx]](ctx, t, job)
		if err != nil {
			return err
		}
		if done.State != rivertype.JobStateCompleted {
			// Rescued meanwhile (another run owns it now): roll back, so
			// the message is not sent by both.
			return fmt.Errorf("followup: job %d is %s, no longer this run's", job.ID, done.State)
		}
		return nil
	}
}

// Start runs the batchers and River's workers until Stop.
func (e *Engine) Start(ctx context.Context) error {
	if !e.batching.Load() {
		bctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		e.stopB = cancel
		for range e.cfg.Batchers {
			e.doneB.Add(1)
			go func() {
				defer e.doneB.Done()
				e.batcher(bctx)
			}()
		}
		e.batching.Store(true)
	}
	return e.start(ctx)
}

// Stop waits for running jobs to finish (or ctx to end), then ends the
// batchers.
func (e *Engine) Stop(ctx context.Context) error {
	err := e.stop(ctx)
	if e.batching.Swap(false) {
		e.stopB()
		e.doneB.Wait()
	}
	return err
}

// Jobs lists follow-up jobs in the given states, soonest first: the
// console's upcoming (scheduled, available, retryable) and failed
// (discarded) follow-ups.
func (e *Engine) Jobs(ctx context.Context, states []rivertype.JobState, limit int) ([]*rivertype.JobRow, error) {
	return e.jobsList(ctx, states, limit)
}

// Due makes the scheduled jobs whose time has come (by the Engine's
// clock) available at once and returns how many. River's leader does the
// same every few seconds on its own; tests with an injected clock call
// Due after moving the clock, so as not to wait for that tick.
func (e *Engine) Due(ctx context.Context) (int, error) {
	jobs, err := e.jobsList(ctx, []rivertype.JobState{rivertype.JobStateScheduled, rivertype.JobStateRetryable}, 10000)
	if err != nil {
		return 0, err
	}
	n := 0
	now := e.now()
	for _, j := range jobs {
		if j.ScheduledAt.After(now) {
			break // soonest first
		}
		if err := e.retry(ctx, j.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (e *Engine) now() time.Time {
	if e.cfg.Now != nil {
		return e.cfg.Now()
	}
	return time.Now()
}

// clock is River's time generator on the injected clock.
type clock struct{ now func() time.Time }

func (c clock) Now() time.Time { return c.now() }
func (c clock) NowOrNil() *time.Time {
	t := c.now().UTC()
	return &t
}

// JobView is a follow-up job as the console lists it.
type JobView struct {
	ID      int64
	Kind    string // the River kind, e.g. followup.installment_reminder
	CaseID  int64
	State   string    // scheduled, available, running, retryable, discarded, cancelled
	At      time.Time // when it runs (or ran last)
	Attempt int
	Error   string // the last error, for a failing or failed job
}

// Upcoming lists the jobs still to run, soonest first.
func (e *Engine) Upcoming(ctx context.Context, limit int) ([]JobView, error) {
	return e.views(ctx, []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStateRunning}, limit)
}

// Failing lists the jobs that failed: retrying (with their last error)
// and given up (discarded after MaxAttempts, or cancelled).
func (e *Engine) Failing(ctx context.Context, limit int) ([]JobView, error) {
	return e.views(ctx, []rivertype.JobState{rivertype.JobStateRetryable, rivertype.JobStateDiscarded, rivertype.JobStateCancelled}, limit)
}

func (e *Engine) views(ctx context.Context, states []rivertype.JobState, limit int) ([]JobView, error) {
	jobs, err := e.jobsList(ctx, states, limit)
	if err != nil {
		return nil, err
	}
	out := make([]JobView, 0, len(jobs))
	for _, j := range jobs {
		var a struct {
			CaseID int64 `json:"case_id"`
		}
		_ = json.Unmarshal(j.EncodedArgs, &a)
		v := JobView{ID: j.ID, Kind: j.Kind, CaseID: a.CaseID, State: string(j.State), At: j.ScheduledAt, Attempt: j.Attempt}
		if n := len(j.Errors); n > 0 {
			v.Error = j.Errors[n-1].Error
		}
		out = append(out, v)
	}
	return out, nil
}
