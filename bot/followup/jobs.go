package followup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/riverqueue/river"
	"github.com/shopspring/decimal"
)

// The jobs. Each names its case and what it follows up; the worker reads
// everything else from the store when it runs.
type (
	// InstallmentReminder: RemindDaysBefore days before installment Seq.
	InstallmentReminder struct {
		CaseID int64 `json:"case_id"`
		PlanID int64 `json:"plan_id"`
		Seq    int   `json:"seq"`
	}
	// InstallmentCheck: GraceDays after installment Seq was due.
	InstallmentCheck struct {
		CaseID int64 `json:"case_id"`
		PlanID int64 `json:"plan_id"`
		Seq    int   `json:"seq"`
	}
	// PlanBrokenNotice tells the debtor the plan ended.
	PlanBrokenNotice struct {
		CaseID int64 `json:"case_id"`
		PlanID int64 `json:"plan_id"`
	}
	// PromiseFollowUp: the day after the promised date.
	PromiseFollowUp struct {
		CaseID    int64 `json:"case_id"`
		PromiseID int64 `json:"promise_id"`
	}
	// SequenceStep is step Step (0-based) of the case's reminder sequence.
	SequenceStep struct {
		CaseID int64 `json:"case_id"`
		Step   int   `json:"step"`
	}
)

func (InstallmentReminder) Kind() string { return "followup.installment_reminder" }
func (InstallmentCheck) Kind() string    { return "followup.installment_check" }
func (PlanBrokenNotice) Kind() string    { return "followup.plan_broken" }
func (PromiseFollowUp) Kind() string     { return "followup.promise" }
func (SequenceStep) Kind() string        { return "followup.sequence" }

// sendHour is the local hour a follow-up is planned for; the contact
// rules move it when needed.
const sendHour = 10

// atLocal is day d at sendHour in the debtor's time zone.
func atLocal(d time.Time, country string) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), sendHour, 0, 0, 0, location(country))
}

// PlanAgreed schedules the reminders and checks of plan p of case c. Call
// it in the transaction that makes the plan active.
func (e *Engine) PlanAgreed(ctx context.Context, tx casestore.Tx, c *casestore.Case, p *casestore.Plan) error {
	if e == nil {
		return nil
	}
	pol := e.cfg.Policies.For(c.Creditor.Code)
	country := c.Regime.Country()
	today := casestore.DayOf(e.now())
	var params []river.InsertManyParams
	for _, in := range p.Installments {
		if in.Due.Before(today) {
			continue
		}
		remind := in.Due.AddDate(0, 0, -pol.RemindDaysBefore)
		if !remind.Before(today) {
			params = append(params, river.InsertManyParams{Args: InstallmentReminder{c.ID, p.ID, in.Seq},
				InsertOpts: &river.InsertOpts{ScheduledAt: atLocal(remind, country)}})
		}
		params = append(params, river.InsertManyParams{Args: InstallmentCheck{c.ID, p.ID, in.Seq},
			InsertOpts: &river.InsertOpts{ScheduledAt: atLocal(in.Due.AddDate(0, 0, pol.GraceDays), country)}})
	}
	if len(params) == 0 {
		return nil
	}
	if err := e.insert(ctx, tx, params); err != nil {
		return fmt.Errorf("followup: schedule plan %d: %w", p.ID, err)
	}
	return file(ctx, tx, c.ID, EntryScheduled, map[string]any{"plan_id": p.ID, "jobs": len(params),
		"remind_days_before": pol.RemindDaysBefore, "grace_days": pol.GraceDays, "max_missed": pol.MaxMissed})
}

// PromiseMade schedules the follow-up of promise p, the day after its
// date. Call it in the transaction that records the promise.
func (e *Engine) PromiseMade(ctx context.Context, tx casestore.Tx, c *casestore.Case, p *casestore.Promise) error {
	if e == nil {
		return nil
	}
	at := atLocal(p.Date.AddDate(0, 0, 1), c.Regime.Country())
	if err := e.insert(ctx, tx, []river.InsertManyParams{{Args: PromiseFollowUp{c.ID, p.ID}, InsertOpts: &river.InsertOpts{ScheduledAt: at}}}); err != nil {
		return fmt.Errorf("followup: schedule promise %d: %w", p.ID, err)
	}
	return file(ctx, tx, c.ID, EntryScheduled, map[string]any{"promise_id": p.ID, "at": at.UTC()})
}

// CaseOpened starts the case's reminder sequence (its creditor's for its
// regime and stage), if it has one. Call it in the transaction that
// imports the case.
func (e *Engine) CaseOpened(ctx context.Context, tx casestore.Tx, c *casestore.Case) error {
	if e == nil {
		return nil
	}
	seq := e.cfg.Policies.For(c.Creditor.Code).Sequence(string(c.Regime), string(c.Stage))
	if len(seq) == 0 {
		return nil
	}
	at := stepAt(casestore.DayOf(e.now()), seq[0], c.Regime.Country())
	if seq[0].Days == 0 {
		at = e.now() // a sequence that starts at once (the rules still apply)
	}
	return e.insert(ctx, tx, []river.InsertManyParams{{Args: SequenceStep{c.ID, 0}, InsertOpts: &river.InsertOpts{ScheduledAt: at}}})
}

// stepAt is when a step comes after day from.
func stepAt(from time.Time, s SequenceDef, country string) time.Time {
	d := from
	if !s.Working {
		d = d.AddDate(0, 0, s.Days)
	} else {
		for n := s.Days; n > 0; {
			d = d.AddDate(0, 0, 1)
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday && !casestore.IsPublicHoliday(country, d) {
				n--
			}
		}
	}
	return atLocal(d, country)
}

// verdict is what a job's look at the case decided.
type verdict struct {
	Type   string          // the message type to send
	Skip   string          // why nothing is sent (the job ends)
	Amount decimal.Decimal // for the text
	Date   time.Time       // for the text
	// Then runs in the transaction when the message is sent (or, when
	// Always, also when it is skipped or held back).
	Then   func(ctx context.Context, tx casestore.Tx) error
	Always bool
}

// judge looks at the case for a job: what to send, or why not.
func (e *Engine) judge(ctx context.Context, tx casestore.Tx, c *casestore.Case, args any, now time.Time) (verdict, error) {
	switch c.Status {
	case casestore.StatusPaid, casestore.StatusClosed:
		return verdict{Skip: "case " + string(c.Status)}, nil
	}
	switch a := args.(type) {
	case InstallmentReminder:
		return e.judgeInstallment(ctx, tx, c, a.PlanID, a.Seq, false, now)
	case InstallmentCheck:
		return e.judgeInstallment(ctx, tx, c, a.PlanID, a.Seq, true, now)
	case PlanBrokenNotice:
		return verdict{Type: TypePlanBroken}, nil
	case PromiseFollowUp:
		return e.judgePromise(ctx, tx, c, a.PromiseID)
	case SequenceStep:
		return e.judgeSequence(ctx, tx, c, a.Step, now)
	}
	return verdict{}, fmt.Errorf("followup: unknown job %T", args)
}

func findPlan(ctx context.Context, tx casestore.Tx, caseID, planID int64) (*casestore.Plan, error) {
	plans, err := tx.Plans(ctx, caseID)
	if err != nil {
		return nil, err
	}
	for _, p := range plans {
		if p.ID == planID {
			return p, nil
		}
	}
	return nil, nil
}

func (e *Engine) judgeInstallment(ctx context.Context, tx casestore.Tx, c *casestore.Case, planID int64, seq int, check bool, now time.Time) (verdict, error) {
	p, err := findPlan(ctx, tx, c.ID, planID)
	if err != nil || p == nil {
		return verdict{Skip: "plan not found"}, err
	}
	if p.Status != casestore.PlanActive {
		return verdict{Skip: "plan " + string(p.Status)}, nil
	}
	if seq < 1 || seq > len(p.Installments) {
		return verdict{Skip: "no such installment"}, nil
	}
	in := p.Installments[seq-1]
	settled := casestore.PlanSettled(p, casestore.PaidTowards(p, c.Payments))
	if settled >= seq {
		return verdict{Skip: fmt.Sprintf("installment %d paid", seq)}, nil
	}
	if !check {
		return verdict{Type: TypeInstallmentReminder, Amount: in.Amount, Date: in.Due}, nil
	}
	pol := e.cfg.Policies.For(c.Creditor.Code)
	today := casestore.DayOf(now)
	missed := 0
	for _, x := range p.Installments[settled:] {
		if !x.Due.AddDate(0, 0, pol.GraceDays).After(today) {
			missed++
		}
	}
	if missed < pol.MaxMissed {
		return verdict{Type: TypeInstallmentMissed, Amount: in.Amount, Date: in.Due}, nil
	}
	// The plan breaks now, whatever becomes of the message: collection
	// resumes, a collector gets the case, and the debtor is told by a
	// notice of its own (which the contact rules may hold back).
	return verdict{Skip: fmt.Sprintf("plan broken: %d installments missed", missed), Always: true,
		Then: func(ctx context.Context, tx casestore.Tx) error { return e.breakPlan(ctx, tx, c, p, missed) }}, nil
}

func (e *Engine) breakPlan(ctx context.Context, tx casestore.Tx, c *casestore.Case, p *casestore.Plan, missed int) error {
	if err := tx.TransitionPlan(ctx, p.ID, casestore.PlanActive, casestore.PlanBroken); err != nil {
		return err
	}
	if c.Status == casestore.StatusInPlan {
		if err := tx.SetCaseStatus(ctx, c.ID, casestore.StatusOpen); err != nil {
			return err
		}
	}
	if err := tx.AddTask(ctx, &casestore.Task{CaseID: c.ID, Kind: casestore.TaskPlanBroken,
		Text: fmt.Sprintf("Betalingsregeling %d beëindigd: %d termijnen gemist. Neem contact op met de debiteur.", p.ID, missed)}); err != nil {
		return err
	}
	if err := file(ctx, tx, c.ID, EntryPlanBroke, map[string]any{"plan_id": p.ID, "missed": missed}); err != nil {
		return err
	}
	return e.insert(ctx, tx, []river.InsertManyParams{{Args: PlanBrokenNotice{c.ID, p.ID}}})
}

func (e *Engine) judgePromise(ctx context.Context, tx casestore.Tx, c *casestore.Case, promiseID int64) (verdict, error) {
	ps, err := tx.Promises(ctx, c.ID)
	if err != nil {
		return verdict{}, err
	}
	for _, p := range ps {
		if p.ID != promiseID {
			continue
		}
		if p.Status != casestore.PromiseOpen {
			return verdict{Skip: "promise " + string(p.Status)}, nil
		}
		paid := decimal.Zero
		for _, pay := range c.Payments {
			if pay.ReversedAt == nil && !pay.ValueDate.Before(casestore.DayOf(p.CreatedAt)) {
				paid = paid.Add(pay.Amount)
			}
		}
		if paid.GreaterThanOrEqual(p.Amount) {
			return verdict{Skip: "promise paid"}, nil
		}
		return verdict{Type: TypePromiseFollowUp, Amount: p.Amount, Date: p.Date}, nil
	}
	return verdict{Skip: "promise not found"}, nil
}

func (e *Engine) judgeSequence(ctx context.Context, tx casestore.Tx, c *casestore.Case, step int, now time.Time) (verdict, error) {
	if c.Status != casestore.StatusOpen {
		return verdict{Skip: "case " + string(c.Status)}, nil // on hold (a dispute, a pause) or in a plan
	}
	ds, err := tx.Disputes(ctx, c.ID)
	if err != nil {
		return verdict{}, err
	}
	for _, d := range ds {
		if d.Status == casestore.DisputeOpen {
			return verdict{Skip: "dispute open"}, nil
		}
	}
	plans, err := tx.Plans(ctx, c.ID)
	if err != nil {
		return verdict{}, err
	}
	for _, p := range plans {
		if p.Status == casestore.PlanActive || p.Status == casestore.PlanPending {
			return verdict{Skip: "plan " + string(p.Status)}, nil
		}
	}
	seq := e.cfg.Policies.For(c.Creditor.Code).Sequence(string(c.Regime), string(c.Stage))
	if step >= len(seq) {
		return verdict{Skip: "sequence changed: no such step"}, nil
	}
	b, err := casestore.Balance(c, casestore.DayOf(now))
	if err != nil {
		return verdict{}, err
	}
	open := casestore.RoundCents(b.Total.Open)
	if !open.IsPositive() {
		return verdict{Skip: "nothing open"}, nil
	}
	v := verdict{Type: seq[step].Type, Amount: open}
	if step+1 < len(seq) {
		next := stepAt(casestore.DayOf(now), seq[step+1], c.Regime.Country())
		v.Then = func(ctx context.Context, tx casestore.Tx) error {
			return e.insert(ctx, tx, []river.InsertManyParams{{Args: SequenceStep{c.ID, step + 1}, InsertOpts: &river.InsertOpts{ScheduledAt: next}}})
		}
	}
	return v, nil
}

// file appends a system entry to the case's dossier.
func file(ctx context.Context, tx casestore.Tx, caseID int64, kind casestore.EntryKind, body map[string]any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	return tx.AppendDossier(ctx, &casestore.DossierEntry{CaseID: caseID, Kind: kind, Actor: casestore.ActorSystem, Body: b})
}

// payLink is the case's payment link, "" when it has none.
func (e *Engine) payLink(c *casestore.Case) string {
	if e.cfg.PayLink != nil {
		if l := e.cfg.PayLink(c); l != "" {
			return strings.ReplaceAll(l, "{ref}", c.Ref)
		}
	}
	return strings.ReplaceAll(c.Creditor.PaymentURL, "{ref}", c.Ref)
}

// address is where an automated message to the case's debtor goes: the
// channel the debtor last wrote on about the case, if their preference
// allows it; else e-mail when they prefer it (or only written contact);
// else their phone on the preferred phone channel or cfg.Channel; else
// e-mail. "" when there is none.
func (e *Engine) address(ctx context.Context, tx casestore.Tx, c *casestore.Case) (channel, to string, err error) {
	pref, err := tx.ContactPreference(ctx, c.DebtorID)
	if err != nil {
		return "", "", err
	}
	ch, addr, err := tx.CaseConversation(ctx, c.ID)
	switch {
	case err == nil && pref.Allows(ch) && ch != "web":
		return ch, addr, nil
	case err != nil && !errors.Is(err, casestore.ErrNotFound):
		return "", "", err
	}
	if (pref.WrittenOnly || pref.Channel == "email") && c.Debtor.Email != "" {
		return "email", c.Debtor.Email, nil
	}
	if pref.WrittenOnly || pref.Channel == "post" {
		return "", "", nil
	}
	if len(c.Debtor.Phones) > 0 {
		ch := e.cfg.Channel
		if pref.Channel == "sms" || pref.Channel == "whatsapp" {
			ch = pref.Channel
		}
		if pref.Allows(ch) {
			return ch, c.Debtor.Phones[0], nil
		}
	}
	if c.Debtor.Email != "" && pref.Allows("email") {
		return "email", c.Debtor.Email, nil
	}
	return "", "", nil
}

// sentTimes are the moments automated follow-ups went to this debtor in
// the last 7 days, from the contact log: to the debtor (any case), or to
// the address or any of the debtor's phones (another debtor's case on the
// same phone counts too).
func sentTimes(ctx context.Context, tx casestore.Tx, c *casestore.Case, to string, now time.Time) ([]time.Time, error) {
	addrs := append([]string{to}, c.Debtor.Phones...)
	cs, err := tx.AutomatedContacts(ctx, []int64{c.DebtorID}, addrs, now.Add(-capWindow))
	if err != nil {
		return nil, err
	}
	out := make([]time.Time, len(cs))
	for i, x := range cs {
		out[i] = x.At
	}
	return out, nil
}
