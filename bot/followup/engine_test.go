package followup_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/followup"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/postgres/pgstoretest"
	"github.com/incassobot/incassobot/casestore/sqlite"
	"github.com/incassobot/incassobot/casestore/sqlite/sqlitetest"
	"github.com/incassobot/incassobot/casestore/storetest"
	"github.com/incassobot/incassobot/dialogs"
	"github.com/riverqueue/river/rivertype"
	"github.com/shopspring/decimal"
)

// rig is a store with River migrated, a clock shared by the store and the
// engine, and a running engine.
type rig struct {
	s     casestore.Store
	e     *followup.Engine
	clock *storetest.Clock
}

// stores runs fn on the embedded default (SQLite) and on PostgreSQL.
func stores(t *testing.T, start time.Time, fn func(t *testing.T, r *rig)) {
	cfg := followup.Config{Poll: 20 * time.Millisecond, Workers: 4}
	t.Run("sqlite", func(t *testing.T) {
		s := sqlitetest.Open(t)
		clock := storetest.NewClock(start)
		s.Now = clock.Now
		cfg.Now = clock.Now
		e, err := followup.New(s, s.RiverDriver(), sqlite.RiverTx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		run(t, &rig{s: s, e: e, clock: clock}, fn)
	})
	t.Run("postgres", func(t *testing.T) {
		s := pgstoretest.Open(t)
		clock := storetest.NewClock(start)
		s.Now = clock.Now
		cfg.Now = clock.Now
		e, err := followup.New(s, s.RiverDriver(), postgres.RiverTx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		run(t, &rig{s: s, e: e, clock: clock}, fn)
	})
}

func run(t *testing.T, r *rig, fn func(t *testing.T, r *rig)) {
	ctx, cancel := context.WithCancel(context.Background())
	if err := r.e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, c := context.WithTimeout(context.Background(), 10*time.Second)
		defer c()
		_ = r.e.Stop(stop)
		cancel()
	})
	fn(t, r)
}

// entries are the case's dossier entries of kind, oldest first.
func entries(t *testing.T, s casestore.Store, caseID int64, kind casestore.EntryKind) []casestore.DossierEntry {
	t.Helper()
	es, err := s.Dossier(context.Background(), caseID, casestore.DossierQuery{Kinds: []casestore.EntryKind{kind}, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
		es[i], es[j] = es[j], es[i]
	}
	return es
}

// advanceTo moves the clock to t and waits until the case has want
// entries of kind (and no more), the due jobs having run.
func (r *rig) advanceTo(t *testing.T, at time.Time, caseID int64, kind casestore.EntryKind, want int) []casestore.DossierEntry {
	t.Helper()
	if d := at.Sub(r.clock.Now()); d > 0 {
		r.clock.Advance(d)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := r.e.Due(context.Background()); err != nil {
			t.Fatal(err)
		}
		es := entries(t, r.s, caseID, kind)
		if len(es) > want {
			t.Fatalf("at %s: %d %s entries, want %d: %s", at, len(es), kind, want, bodies(es))
		}
		if len(es) == want {
			time.Sleep(100 * time.Millisecond) // nothing more comes
			es = entries(t, r.s, caseID, kind)
			if len(es) != want {
				t.Fatalf("at %s: %d %s entries, want %d: %s", at, len(es), kind, want, bodies(es))
			}
			return es
		}
		if time.Now().After(deadline) {
			jobs, _ := r.e.Jobs(context.Background(), nil, 100)
			for _, j := range jobs {
				t.Logf("job %d %s %s at %s attempt %d errors %v", j.ID, j.Kind, j.State, j.ScheduledAt, j.Attempt, j.Errors)
			}
			t.Fatalf("at %s: %d %s entries, want %d: %s", at, len(es), kind, want, bodies(es))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func bodies(es []casestore.DossierEntry) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString(string(e.Body) + "\n")
	}
	return b.String()
}

func body(t *testing.T, e casestore.DossierEntry) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(e.Body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func ams(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, casestore.Amsterdam)
	if err != nil {
		panic(err)
	}
	return t
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// agreePlan stores an active plan with installments on the given days and
// schedules its follow-ups in the same transaction.
func agreePlan(t *testing.T, r *rig, c *casestore.Case, amount string, days ...time.Time) *casestore.Plan {
	t.Helper()
	p := &casestore.Plan{CaseID: c.ID, Status: casestore.PlanActive}
	for i, d := range days {
		p.Installments = append(p.Installments, casestore.Installment{Seq: i + 1, Due: d, Amount: dec(amount)})
		p.Total = p.Total.Add(dec(amount))
	}
	ctx := context.Background()
	err := r.s.InTx(ctx, func(tx casestore.Tx) error {
		if err := tx.AddPlan(ctx, p); err != nil {
			return err
		}
		if err := tx.SetCaseStatus(ctx, c.ID, casestore.StatusInPlan); err != nil {
			return err
		}
		full, err := tx.Case(ctx, c.ID)
		if err != nil {
			return err
		}
		return r.e.PlanAgreed(ctx, tx, full, p)
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func outbox(t *testing.T, s casestore.Store, channel, to string) []*casestore.OutboundMessage {
	t.Helper()
	ms, err := s.OutboundFor(context.Background(), channel, to, 50)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// TestInstallmentReminderOnTheRightDay: 3 days before each due date, at
// 10:00, with the amount, the date and the pay link, automated (so the
// outbox applies opt-out and quiet hours again). That day is a Sunday
// here: the reminder is held back, filed as such, and goes on Monday at
// 08:00.
func TestInstallmentReminderOnTheRightDay(t *testing.T) {
	stores(t, ams("2026-12-02 10:00"), func(t *testing.T, r *rig) {
		c := storetest.NewCase(t, r.s, "IB-2026-000700")
		agreePlan(t, r, c, "100.00", casestore.Date(2026, 12, 16), casestore.Date(2027, 1, 15))
		r.advanceTo(t, ams("2026-12-13 09:59"), c.ID, followup.EntryHeld, 0)
		held := r.advanceTo(t, ams("2026-12-13 10:00"), c.ID, followup.EntryHeld, 1)
		if b := body(t, held[0]); b["reason"] != "Sunday" || b["until"] != "2026-12-14T07:00:00Z" {
			t.Fatalf("held: %s", held[0].Body)
		}
		r.advanceTo(t, ams("2026-12-14 07:59"), c.ID, followup.EntrySent, 0)
		sent := r.advanceTo(t, ams("2026-12-14 08:00"), c.ID, followup.EntrySent, 1)
		b := body(t, sent[0])
		text, _ := b["text"].(string)
		for _, want := range []string{"€ 100,00", "16 december", c.Ref, "https://pay.example.test/"} {
			if !strings.Contains(text, want) {
				t.Errorf("reminder %q lacks %q", text, want)
			}
		}
		ms := outbox(t, r.s, b["channel"].(string), c.Debtor.Phones[0])
		if len(ms) != 1 || !ms[0].Automated || ms[0].Text != text {
			t.Fatalf("outbox: %+v", ms)
		}
	})
}

// TestPlanBreaksAfterMissedInstallments: a missed installment gets a
// friendly message after the grace period; the second miss breaks the
// plan: status broken, case open, a collector task, the debtor told.
func TestPlanBreaksAfterMissedInstallments(t *testing.T) {
	stores(t, ams("2026-12-02 10:00"), func(t *testing.T, r *rig) {
		ctx := context.Background()
		c := storetest.NewCase(t, r.s, "IB-2026-000701")
		p := agreePlan(t, r, c, "100.00", casestore.Date(2026, 12, 8), casestore.Date(2026, 12, 22))
		r.advanceTo(t, ams("2026-12-05 10:00"), c.ID, followup.EntrySent, 1) // reminder 1 (Saturday is fine)
		missed := r.advanceTo(t, ams("2026-12-11 10:00"), c.ID, followup.EntrySent, 2)
		if body(t, missed[1])["type"] != followup.TypeInstallmentMissed {
			t.Fatalf("after the grace period: %s", missed[1].Body)
		}
		r.advanceTo(t, ams("2026-12-19 10:00"), c.ID, followup.EntrySent, 3) // reminder 2
		r.advanceTo(t, ams("2026-12-25 09:59"), c.ID, followup.EntryPlanBroke, 0)
		// The check runs on the 25th (the plan breaks then); the notice
		// waits: 25 and 26 December are holidays, then it is Sunday.
		r.advanceTo(t, ams("2026-12-25 10:00"), c.ID, followup.EntryPlanBroke, 1)
		plans, err := r.s.Plans(ctx, c.ID)
		if err != nil || plans[0].ID != p.ID || plans[0].Status != casestore.PlanBroken {
			t.Fatalf("plan after two misses: %+v %v", plans[0], err)
		}
		cs, _ := r.s.Case(ctx, c.ID)
		if cs.Status != casestore.StatusOpen {
			t.Fatalf("case status %s, want open", cs.Status)
		}
		tasks, _ := r.s.OpenTasks(ctx, 10)
		if len(tasks) != 1 || tasks[0].Kind != casestore.TaskPlanBroken || tasks[0].CaseID != c.ID {
			t.Fatalf("tasks: %+v", tasks)
		}
		// The notice is a job of its own, run after the check's commit.
		held := r.advanceTo(t, ams("2026-12-25 10:00"), c.ID, followup.EntryHeld, 1)
		if len(held) == 0 || body(t, held[len(held)-1])["reason"] != "public holiday" {
			t.Fatalf("the notice on Christmas day: %s", bodies(held))
		}
		sent := r.advanceTo(t, ams("2026-12-28 08:00"), c.ID, followup.EntrySent, 4)
		if body(t, sent[3])["type"] != followup.TypePlanBroken {
			t.Fatalf("the notice: %s", sent[3].Body)
		}
	})
}

// TestPromiseFollowUp: an unpaid promise is followed up the day after its
// date; a paid one files a skip with the reason instead.
func TestPromiseFollowUp(t *testing.T) {
	stores(t, ams("2026-12-02 10:00"), func(t *testing.T, r *rig) {
		ctx := context.Background()
		unpaid := storetest.NewCase(t, r.s, "IB-2026-000702")
		paid := storetest.NewCase(t, r.s, "IB-2026-000703")
		for _, c := range []*casestore.Case{unpaid, paid} {
			err := r.s.InTx(ctx, func(tx casestore.Tx) error {
				p := &casestore.Promise{CaseID: c.ID, Amount: dec("50.00"), Date: casestore.Date(2026, 12, 4)}
				if err := tx.AddPromise(ctx, p); err != nil {
					return err
				}
				return r.e.PromiseMade(ctx, tx, c, p)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		err := r.s.InTx(ctx, func(tx casestore.Tx) error {
			_, err := casestore.ApplyPayment(ctx, tx, casestore.IncomingPayment{CaseID: paid.ID, Amount: dec("50.00"),
				Source: casestore.SourceConsole, ExternalID: "k1"}, r.clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		r.advanceTo(t, ams("2026-12-05 09:00"), unpaid.ID, followup.EntrySent, 0)
		sent := r.advanceTo(t, ams("2026-12-05 10:00"), unpaid.ID, followup.EntrySent, 1)
		if b := body(t, sent[0]); b["type"] != followup.TypePromiseFollowUp || !strings.Contains(b["text"].(string), "4 december") {
			t.Fatalf("follow-up: %s", sent[0].Body)
		}
		skips := r.advanceTo(t, ams("2026-12-05 10:00"), paid.ID, followup.EntrySkipped, 1)
		if body(t, skips[0])["reason"] != "promise paid" {
			t.Fatalf("paid promise: %s", skips[0].Body)
		}
		if n := len(entries(t, r.s, paid.ID, followup.EntrySent)); n != 0 {
			t.Fatalf("a paid promise was followed up %d times", n)
		}
	})
}

// TestSequenceStopsWhenADisputeIsFiled: the creditor's sequence sends its
// first reminder 3 working days after the import; the debtor disputes the
// claim; the second reminder is not sent (a skip entry says why) and
// nothing more is scheduled.
func TestSequenceStopsWhenADisputeIsFiled(t *testing.T) {
	stores(t, ams("2026-12-02 10:00"), func(t *testing.T, r *rig) {
		ctx := context.Background()
		c := storetest.NewCase(t, r.s, "IB-2026-000704")
		if err := r.s.InTx(ctx, func(tx casestore.Tx) error { return r.e.CaseOpened(ctx, tx, c) }); err != nil {
			t.Fatal(err)
		}
		r.advanceTo(t, ams("2026-12-07 09:59"), c.ID, followup.EntrySent, 0)
		sent := r.advanceTo(t, ams("2026-12-07 10:00"), c.ID, followup.EntrySent, 1) // Wed + 3 working days
		full, _ := r.s.Case(ctx, c.ID)
		bal, err := casestore.Balance(full, casestore.Date(2026, 12, 7))
		if err != nil {
			t.Fatal(err)
		}
		open := dialogs.Money(casestore.Dutch, casestore.RoundCents(bal.Total.Open))
		if b := body(t, sent[0]); b["type"] != "reminder" || !strings.Contains(b["text"].(string), open) {
			t.Fatalf("first reminder: %s", sent[0].Body)
		}
		r.clock.Advance(24 * time.Hour)
		err = r.s.InTx(ctx, func(tx casestore.Tx) error {
			if err := tx.AddDispute(ctx, &casestore.Dispute{CaseID: c.ID, Reason: casestore.ReasonNotReceived}); err != nil {
				return err
			}
			return tx.SetCaseStatus(ctx, c.ID, casestore.StatusOnHold)
		})
		if err != nil {
			t.Fatal(err)
		}
		skips := r.advanceTo(t, ams("2026-12-21 10:00"), c.ID, followup.EntrySkipped, 1)
		if body(t, skips[0])["reason"] != "case on-hold" {
			t.Fatalf("after the dispute: %s", skips[0].Body)
		}
		r.advanceTo(t, ams("2027-02-01 10:00"), c.ID, followup.EntrySent, 1)
		jobs, err := r.e.Jobs(ctx, []rivertype.JobState{rivertype.JobStateScheduled, rivertype.JobStateAvailable}, 10)
		if err != nil || len(jobs) != 0 {
			t.Fatalf("jobs left after the sequence stopped: %d %v", len(jobs), err)
		}
	})
}

// TestWeeklyCapAndQuietHours: four cases of one debtor (one phone) with
// promises due the same day: three follow-ups go, the fourth is held until
// the first is 7 days old; one due at night waits for the morning.
func TestWeeklyCapAndQuietHours(t *testing.T) {
	stores(t, ams("2026-12-02 10:00"), func(t *testing.T, r *rig) {
		ctx := context.Background()
		var ids []int64
		var first *casestore.Case
		for i := range 4 {
			var c *casestore.Case
			if first == nil {
				c = storetest.NewCase(t, r.s, "IB-2026-000710")
				first = c
			} else {
				c = storetest.NewCaseOf(t, r.s, fmt.Sprintf("IB-2026-00071%d", i), first.CreditorID, first.DebtorID)
			}
			ids = append(ids, c.ID)
			err := r.s.InTx(ctx, func(tx casestore.Tx) error {
				p := &casestore.Promise{CaseID: c.ID, Amount: dec("20.00"), Date: casestore.Date(2026, 12, 3)}
				if err := tx.AddPromise(ctx, p); err != nil {
					return err
				}
				return r.e.PromiseMade(ctx, tx, c, p)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		r.clock.Advance(ams("2026-12-04 10:00").Sub(r.clock.Now()))
		deadline := time.Now().Add(15 * time.Second)
		var sent, held int
		for {
			r.e.Due(ctx)
			sent, held = 0, 0
			for _, id := range ids {
				sent += len(entries(t, r.s, id, followup.EntrySent))
				held += len(entries(t, r.s, id, followup.EntryHeld))
			}
			if sent+held >= 4 || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if sent != 3 || held != 1 {
			t.Fatalf("sent %d, held %d; want 3 and 1", sent, held)
		}
		var heldCase int64
		for _, id := range ids {
			if h := entries(t, r.s, id, followup.EntryHeld); len(h) == 1 {
				heldCase = id
				if b := body(t, h[0]); b["reason"] != "weekly contact cap" || b["until"] != "2026-12-11T09:00:00Z" {
					t.Fatalf("held: %s", h[0].Body)
				}
			}
		}
		r.advanceTo(t, ams("2026-12-11 09:59"), heldCase, followup.EntrySent, 0)
		r.advanceTo(t, ams("2026-12-11 10:00"), heldCase, followup.EntrySent, 1)

		// A promise followed up at 10:00 the next day is planned by day;
		// one that comes due at night (a snooze, a retry) waits: quiet.
		late := storetest.NewCaseOf(t, r.s, "IB-2026-000719", first.CreditorID, first.DebtorID)
		r.clock.Advance(ams("2026-12-14 22:30").Sub(r.clock.Now()))
		err := r.s.InTx(ctx, func(tx casestore.Tx) error {
			p := &casestore.Promise{CaseID: late.ID, Amount: dec("20.00"), Date: casestore.Date(2026, 12, 13)}
			if err := tx.AddPromise(ctx, p); err != nil {
				return err
			}
			return r.e.PromiseMade(ctx, tx, late, p) // due at once: the 14th 10:00 has passed
		})
		if err != nil {
			t.Fatal(err)
		}
		h := r.advanceTo(t, ams("2026-12-14 22:30"), late.ID, followup.EntryHeld, 1)
		if b := body(t, h[0]); b["reason"] != "quiet hours" || b["until"] != "2026-12-15T07:00:00Z" {
			t.Fatalf("at night: %s", h[0].Body)
		}
		r.advanceTo(t, ams("2026-12-15 07:59"), late.ID, followup.EntrySent, 0)
		r.advanceTo(t, ams("2026-12-15 08:00"), late.ID, followup.EntrySent, 1)
	})
}
