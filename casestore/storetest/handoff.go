package storetest

// The collectors' queue (casestore.Handoffs). Decisions the interface
// leaves open, fixed here:
//
//   - A claim's lease has run out only strictly after LeaseUntil: at
//     LeaseUntil itself the holder still holds it.
//   - A repeated request that changes nothing adds no line to the log.
//   - A resolved handoff keeps the resolver as CollectorID.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

var handoffTests = []test{
	{"Handoff/RequestClaimTouchResolve", testHandoffLifecycle},
	{"Handoff/SecondRequestKeepsOneRow", testHandoffSecondRequest},
	{"Handoff/Invalid", testHandoffInvalid},
	{"Handoff/WhoMayDoWhat", testHandoffPermissions},
	{"Handoff/ExpiredClaimGoesBackToTheQueue", testHandoffExpiry},
	{"Handoff/QueueOrderAndFilters", testHandoffQueue},
	{"Handoff/RollbackLeavesTheBotInCharge", testHandoffRollback},
	{"Handoff/LogNeverChanges", testHandoffLogStays},
	{"Concurrent/OneCollectorWinsAClaim", testConcurrentClaim},
	{"Concurrent/RequestsForOneConversation", testConcurrentRequests},
}

// h0 is when the test's debtor asks for a person.
var h0 = at(2026, time.March, 3, 14, 0, 0, 0)

const chatLease = 10 * time.Minute

// request asks for a person on the test debtor's WhatsApp conversation.
func request(t testing.TB, s casestore.Tx, address, reason string, priority int, when time.Time) (*casestore.Handoff, bool) {
	t.Helper()
	h := &casestore.Handoff{Channel: "whatsapp", Address: address, Reason: reason, Priority: priority, RequestedAt: when}
	created, err := s.RequestHandoff(context.Background(), h)
	must(t, err, "RequestHandoff "+reason)
	return h, created
}

// actions lists a log's actions with who acted, as "claimed:7".
func actions(t testing.TB, s casestore.Store, id int64) []string {
	t.Helper()
	log, err := s.HandoffLog(context.Background(), id)
	must(t, err, "HandoffLog")
	out := []string{}
	for _, e := range log {
		if e.HandoffID != id {
			t.Errorf("log of handoff %d holds an event of handoff %d", id, e.HandoffID)
		}
		out = append(out, fmt.Sprintf("%s:%d", e.Action, e.CollectorID))
	}
	return out
}

func act(a casestore.HandoffAction, userID int64) string { return fmt.Sprintf("%s:%d", a, userID) }

func wantOptInstant(t testing.TB, what string, got *time.Time, want *time.Time) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil:
		t.Errorf("%s: got %v, want %v", what, got, want)
	default:
		wantInstant(t, what, *got, *want)
	}
}

// wantHandoff compares what a collector sees of a handoff.
func wantHandoff(t testing.TB, what string, got, want *casestore.Handoff) {
	t.Helper()
	wantEq(t, what+": ID", got.ID, want.ID)
	wantEq(t, what+": Channel", got.Channel, want.Channel)
	wantEq(t, what+": Address", got.Address, want.Address)
	wantEq(t, what+": CaseID", got.CaseID, want.CaseID)
	wantEq(t, what+": Reason", got.Reason, want.Reason)
	wantEq(t, what+": Priority", got.Priority, want.Priority)
	wantEq(t, what+": Status", got.Status, want.Status)
	wantEq(t, what+": CollectorID", got.CollectorID, want.CollectorID)
	wantEq(t, what+": TimesExpired", got.TimesExpired, want.TimesExpired)
	wantInstant(t, what+": RequestedAt", got.RequestedAt, want.RequestedAt)
	wantOptInstant(t, what+": ClaimedAt", got.ClaimedAt, want.ClaimedAt)
	wantOptInstant(t, what+": LeaseUntil", got.LeaseUntil, want.LeaseUntil)
	wantOptInstant(t, what+": ResolvedAt", got.ResolvedAt, want.ResolvedAt)
}

// wantEvents compares a handoff's whole log, oldest first, with want
// (IDs and HandoffID aside, which must only increase and match).
func wantEvents(t testing.TB, s casestore.Store, id int64, want []casestore.HandoffEvent) {
	t.Helper()
	log, err := s.HandoffLog(context.Background(), id)
	must(t, err, "HandoffLog")
	wantEq(t, "log entries", len(log), len(want))
	for i := range min(len(log), len(want)) {
		g, w := log[i], want[i]
		what := fmt.Sprintf("log[%d]", i)
		wantEq(t, what+" HandoffID", g.HandoffID, id)
		wantEq(t, what+" Action", g.Action, w.Action)
		wantEq(t, what+" CollectorID", g.CollectorID, w.CollectorID)
		wantEq(t, what+" Reason", g.Reason, w.Reason)
		wantEq(t, what+" Priority", g.Priority, w.Priority)
		wantInstant(t, what+" At", g.At, w.At)
		if i > 0 && g.ID <= log[i-1].ID {
			t.Errorf("%s: ID %d not above %d (oldest first)", what, g.ID, log[i-1].ID)
		}
	}
}

func testHandoffLifecycle(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-HANDOFF")
	anna := NewCollector(t, s, "anna@incasso.example")
	addr := "whatsapp:+31612345678"

	h := &casestore.Handoff{Channel: "whatsapp", Address: addr, CaseID: c.ID, Reason: "asked", Priority: 1, RequestedAt: h0}
	created, err := s.RequestHandoff(ctx, h)
	must(t, err, "RequestHandoff")
	wantEq(t, "created", created, true)
	want := &casestore.Handoff{ID: h.ID, Channel: "whatsapp", Address: addr, CaseID: c.ID, Reason: "asked", Priority: 1,
		Status: casestore.HandoffQueued, RequestedAt: h0}
	wantHandoff(t, "requested", h, want)
	open, err := s.OpenHandoff(ctx, "whatsapp", addr)
	must(t, err, "OpenHandoff while queued")
	wantHandoff(t, "OpenHandoff while queued", open, want)

	t1, t2, t3 := h0.Add(3*time.Minute), h0.Add(7*time.Minute), h0.Add(12*time.Minute)
	got, err := s.ClaimHandoff(ctx, h.ID, anna.ID, t1, chatLease)
	must(t, err, "ClaimHandoff")
	want.Status, want.CollectorID, want.ClaimedAt, want.LeaseUntil = casestore.HandoffClaimed, anna.ID, &t1, ptr(t1.Add(chatLease))
	wantHandoff(t, "claimed", got, want)
	open, err = s.OpenHandoff(ctx, "whatsapp", addr)
	must(t, err, "OpenHandoff while claimed")
	wantHandoff(t, "OpenHandoff while claimed", open, want)

	got, err = s.TouchHandoff(ctx, h.ID, anna.ID, t2, chatLease)
	must(t, err, "TouchHandoff")
	want.LeaseUntil = ptr(t2.Add(chatLease))
	wantHandoff(t, "touched", got, want)

	got, err = s.ResolveHandoff(ctx, h.ID, anna.ID, t3)
	must(t, err, "ResolveHandoff")
	want.Status, want.ClaimedAt, want.LeaseUntil, want.ResolvedAt = casestore.HandoffResolved, nil, nil, &t3
	wantHandoff(t, "resolved", got, want)
	stored, err := s.Handoff(ctx, h.ID)
	must(t, err, "Handoff")
	wantHandoff(t, "Handoff after resolving", stored, want)

	// The bot owns the conversation again.
	_, err = s.OpenHandoff(ctx, "whatsapp", addr)
	wantErr(t, err, casestore.ErrNotFound, "OpenHandoff after resolving")

	wantEvents(t, s, h.ID, []casestore.HandoffEvent{
		{Action: casestore.ActionRequested, Reason: "asked", Priority: 1, At: h0},
		{Action: casestore.ActionClaimed, CollectorID: anna.ID, Reason: "asked", Priority: 1, At: t1},
		{Action: casestore.ActionTouched, CollectorID: anna.ID, Reason: "asked", Priority: 1, At: t2},
		{Action: casestore.ActionResolved, CollectorID: anna.ID, Reason: "asked", Priority: 1, At: t3},
	})

	// Asking for a person again later is a new handoff.
	again, created := request(t, s, addr, "hardship", 2, h0.Add(time.Hour))
	wantEq(t, "created after resolving", created, true)
	if again.ID == h.ID {
		t.Errorf("a request after resolving reused handoff %d", h.ID)
	}
	wantEq(t, "new handoff's status", again.Status, casestore.HandoffQueued)
	_, err = s.Handoff(ctx, again.ID+100)
	wantErr(t, err, casestore.ErrNotFound, "Handoff(unknown)")
	_, err = s.HandoffLog(ctx, again.ID+100)
	wantErr(t, err, casestore.ErrNotFound, "HandoffLog(unknown)")
}

func testHandoffSecondRequest(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	anna := NewCollector(t, s, "anna@incasso.example")
	addr := "whatsapp:+31612345678"
	first, created := request(t, s, addr, "asked", 1, h0)
	wantEq(t, "first request created", created, true)

	steps := []struct {
		name         string
		reason       string
		priority     int
		wantReason   string
		wantPriority int
		wantLog      []string
	}{
		{"same priority, other reason", "misunderstood", 1, "asked", 1,
			[]string{"requested:0"}},
		{"higher priority", "abuse", 2, "abuse", 2,
			[]string{"requested:0", "reprioritised:0"}},
		{"lower priority again", "asked", 1, "abuse", 2,
			[]string{"requested:0", "reprioritised:0"}},
	}
	for i, st := range steps {
		h, created := request(t, s, addr, st.reason, st.priority, h0.Add(time.Duration(i+1)*time.Minute))
		wantEq(t, st.name+": created", created, false)
		wantEq(t, st.name+": ID", h.ID, first.ID)
		wantEq(t, st.name+": Reason", h.Reason, st.wantReason)
		wantEq(t, st.name+": Priority", h.Priority, st.wantPriority)
		wantInstant(t, st.name+": RequestedAt stays the first", h.RequestedAt, h0)
		wantStrings(t, st.name+": log", actions(t, s, first.ID), st.wantLog)
	}
	queue, err := s.Queue(ctx, casestore.QueueFilter{})
	must(t, err, "Queue")
	wantEq(t, "queue rows for one conversation", len(queue), 1)

	// Asked again while a collector holds it: the collector keeps it.
	_, err = s.ClaimHandoff(ctx, first.ID, anna.ID, h0.Add(10*time.Minute), chatLease)
	must(t, err, "ClaimHandoff")
	h, created := request(t, s, addr, "hardship", 3, h0.Add(11*time.Minute))
	wantEq(t, "request while claimed: created", created, false)
	wantEq(t, "request while claimed: ID", h.ID, first.ID)
	wantEq(t, "request while claimed: Status", h.Status, casestore.HandoffClaimed)
	wantEq(t, "request while claimed: CollectorID", h.CollectorID, anna.ID)
	wantEq(t, "request while claimed: Priority", h.Priority, 3)

	// Another conversation, even of the same number on another channel, is
	// another handoff.
	sms := &casestore.Handoff{Channel: "sms", Address: "+31612345678", Reason: "asked", Priority: 1}
	created, err = s.RequestHandoff(ctx, sms)
	must(t, err, "RequestHandoff on sms")
	wantEq(t, "sms request created", created, true)
	if sms.RequestedAt.IsZero() {
		t.Error("RequestedAt not set from the store's clock")
	}
}

func testHandoffInvalid(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-HANDOFF-X")
	cases := []struct {
		name   string
		break_ func(h *casestore.Handoff)
		want   error
	}{
		{"no channel", func(h *casestore.Handoff) { h.Channel = "" }, casestore.ErrInvalid},
		{"no address", func(h *casestore.Handoff) { h.Address = "" }, casestore.ErrInvalid},
		{"no reason", func(h *casestore.Handoff) { h.Reason = "" }, casestore.ErrInvalid},
		{"a reason that is a whole message", func(h *casestore.Handoff) { h.Reason = strings.Repeat("help ", 60) }, casestore.ErrInvalid},
		{"negative priority", func(h *casestore.Handoff) { h.Priority = -1 }, casestore.ErrInvalid},
		{"unknown case", func(h *casestore.Handoff) { h.CaseID = c.ID + 100 }, casestore.ErrNotFound},
	}
	for _, tc := range cases {
		h := &casestore.Handoff{Channel: "whatsapp", Address: "whatsapp:+31612345678", CaseID: c.ID, Reason: "asked", Priority: 1}
		tc.break_(h)
		_, err := s.RequestHandoff(ctx, h)
		wantErr(t, err, tc.want, "RequestHandoff with "+tc.name)
	}
	_, err := s.OpenHandoff(ctx, "whatsapp", "whatsapp:+31612345678")
	wantErr(t, err, casestore.ErrNotFound, "OpenHandoff after refusals")
	q, err := s.Queue(ctx, casestore.QueueFilter{IncludeClaimed: true})
	must(t, err, "Queue")
	wantEq(t, "handoffs after refusals", len(q), 0)
	_, err = s.Queue(ctx, casestore.QueueFilter{Limit: -1})
	wantErr(t, err, casestore.ErrInvalid, "Queue with a negative limit")
}

func testHandoffPermissions(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	cr := NewCreditor(t, s, "CR-HANDOFF")
	anna := NewCollector(t, s, "anna@incasso.example")
	bram := NewCollector(t, s, "bram@incasso.example")
	boss := NewUser(t, s, "teamleider@incasso.example", casestore.RoleSupervisor, 0)
	reader := NewUser(t, s, "finance@energie.example", casestore.RoleCreditor, cr.ID)
	gone := NewCollector(t, s, "oud@incasso.example")
	must(t, s.SetUserDisabled(ctx, gone.ID, true), "SetUserDisabled")

	h, _ := request(t, s, "whatsapp:+31600000001", "asked", 1, h0)
	now := h0.Add(time.Minute)
	type call func() (*casestore.Handoff, error)
	claim := func(id, user int64, lease time.Duration) call {
		return func() (*casestore.Handoff, error) { return s.ClaimHandoff(ctx, id, user, now, lease) }
	}
	touch := func(user int64) call {
		return func() (*casestore.Handoff, error) { return s.TouchHandoff(ctx, h.ID, user, now, chatLease) }
	}
	release := func(user int64) call {
		return func() (*casestore.Handoff, error) { return s.ReleaseHandoff(ctx, h.ID, user, now) }
	}
	resolve := func(user int64) call {
		return func() (*casestore.Handoff, error) { return s.ResolveHandoff(ctx, h.ID, user, now) }
	}
	steps := []struct {
		name string
		do   call
		want error // nil: allowed
	}{
		{"touch while queued", touch(anna.ID), casestore.ErrConflict},
		{"release while queued", release(anna.ID), casestore.ErrConflict},
		{"collector resolves a queued handoff", resolve(anna.ID), casestore.ErrConflict},
		{"claim by a creditor user", claim(h.ID, reader.ID, chatLease), casestore.ErrInvalid},
		{"claim by a disabled collector", claim(h.ID, gone.ID, chatLease), casestore.ErrConflict},
		{"claim by an unknown user", claim(h.ID, boss.ID+100, chatLease), casestore.ErrNotFound},
		{"claim of an unknown handoff", claim(h.ID+100, anna.ID, chatLease), casestore.ErrNotFound},
		{"claim without a lease", claim(h.ID, anna.ID, 0), casestore.ErrInvalid},
		{"anna claims", claim(h.ID, anna.ID, chatLease), nil},
		{"anna claims again (a double click)", claim(h.ID, anna.ID, chatLease), nil},
		{"bram claims anna's chat", claim(h.ID, bram.ID, chatLease), casestore.ErrConflict},
		{"bram replies in anna's chat", touch(bram.ID), casestore.ErrConflict},
		{"bram releases anna's chat", release(bram.ID), casestore.ErrConflict},
		{"bram resolves anna's chat", resolve(bram.ID), casestore.ErrConflict},
		{"the supervisor releases anna's chat", release(boss.ID), nil},
		{"bram claims it now", claim(h.ID, bram.ID, chatLease), nil},
		{"bram releases it himself", release(bram.ID), nil},
		{"the supervisor resolves the queued handoff", resolve(boss.ID), nil},
		{"resolve twice", resolve(boss.ID), casestore.ErrConflict},
		{"claim a resolved handoff", claim(h.ID, anna.ID, chatLease), casestore.ErrConflict},
		{"touch a resolved handoff", touch(anna.ID), casestore.ErrConflict},
	}
	for _, st := range steps {
		_, err := st.do()
		if st.want == nil {
			must(t, err, st.name)
		} else {
			wantErr(t, err, st.want, st.name)
		}
	}
	wantStrings(t, "log: only what was allowed", actions(t, s, h.ID), []string{
		"requested:0", act(casestore.ActionClaimed, anna.ID), act(casestore.ActionClaimed, anna.ID),
		act(casestore.ActionReleased, boss.ID), act(casestore.ActionClaimed, bram.ID),
		act(casestore.ActionReleased, bram.ID), act(casestore.ActionResolved, boss.ID),
	})
	got, err := s.Handoff(ctx, h.ID)
	must(t, err, "Handoff")
	wantEq(t, "resolved by", got.CollectorID, boss.ID)
}

func testHandoffExpiry(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	anna := NewCollector(t, s, "anna@incasso.example")
	bram := NewCollector(t, s, "bram@incasso.example")
	cas := NewCollector(t, s, "cas@incasso.example")
	h, _ := request(t, s, "whatsapp:+31600000002", "asked", 1, h0)
	other, _ := request(t, s, "whatsapp:+31600000003", "asked", 1, h0)
	t1 := h0.Add(time.Minute)
	until := t1.Add(chatLease)
	_, err := s.ClaimHandoff(ctx, h.ID, anna.ID, t1, chatLease)
	must(t, err, "anna claims")
	_, err = s.ClaimHandoff(ctx, other.ID, cas.ID, t1, time.Hour)
	must(t, err, "cas claims the other chat for an hour")

	expired, err := s.ExpireHandoffs(ctx, until)
	must(t, err, "ExpireHandoffs at LeaseUntil")
	wantEq(t, "expired at LeaseUntil itself", len(expired), 0)
	_, err = s.ClaimHandoff(ctx, h.ID, bram.ID, until, chatLease)
	wantErr(t, err, casestore.ErrConflict, "bram claims at LeaseUntil")

	expired, err = s.ExpireHandoffs(ctx, until.Add(time.Microsecond))
	must(t, err, "ExpireHandoffs after LeaseUntil")
	wantEq(t, "expired a microsecond later", len(expired), 1)
	wantEq(t, "the expired handoff", expired[0].Handoff.ID, h.ID)
	wantEq(t, "the expired handoff's status", expired[0].Handoff.Status, casestore.HandoffQueued)
	wantEq(t, "whose claim lapsed", expired[0].LapsedBy, anna.ID)
	got, err := s.Handoff(ctx, h.ID)
	must(t, err, "Handoff")
	wantHandoff(t, "back in the queue", got, &casestore.Handoff{ID: h.ID, Channel: h.Channel, Address: h.Address,
		Reason: "asked", Priority: 1, Status: casestore.HandoffQueued, TimesExpired: 1, RequestedAt: h0})
	queue, err := s.Queue(ctx, casestore.QueueFilter{})
	must(t, err, "Queue")
	if len(queue) != 1 || queue[0].ID != h.ID {
		t.Errorf("queue after expiry: got %d handoffs, want only handoff %d", len(queue), h.ID)
	}
	_, err = s.TouchHandoff(ctx, h.ID, anna.ID, until.Add(time.Minute), chatLease)
	wantErr(t, err, casestore.ErrConflict, "anna replies after her claim expired")
	t2 := until.Add(2 * time.Minute)
	_, err = s.ClaimHandoff(ctx, h.ID, bram.ID, t2, chatLease)
	must(t, err, "bram claims the expired chat")

	// Taken over without ExpireHandoffs running first: cas claims once
	// bram's lease ran out.
	t3 := t2.Add(chatLease + time.Second)
	got, err = s.ClaimHandoff(ctx, h.ID, cas.ID, t3, chatLease)
	must(t, err, "cas takes over bram's expired claim")
	wantEq(t, "holder after take-over", got.CollectorID, cas.ID)
	wantEq(t, "TimesExpired after take-over", got.TimesExpired, 2)
	wantOptInstant(t, "ClaimedAt after take-over", got.ClaimedAt, &t3)
	wantStrings(t, "log", actions(t, s, h.ID), []string{"requested:0",
		act(casestore.ActionClaimed, anna.ID), act(casestore.ActionExpired, anna.ID), act(casestore.ActionClaimed, bram.ID),
		act(casestore.ActionExpired, bram.ID), act(casestore.ActionClaimed, cas.ID)})

	// A holder whose lease ran out but whom nobody replaced may go on.
	t4 := t3.Add(chatLease + time.Minute)
	got, err = s.TouchHandoff(ctx, h.ID, cas.ID, t4, chatLease)
	must(t, err, "cas replies late, nobody took over")
	wantOptInstant(t, "LeaseUntil after a late reply", got.LeaseUntil, ptr(t4.Add(chatLease)))
	expired, err = s.ExpireHandoffs(ctx, t4)
	must(t, err, "ExpireHandoffs with nothing due")
	wantEq(t, "expired with nothing due", len(expired), 0)
	got, err = s.Handoff(ctx, other.ID)
	must(t, err, "Handoff other")
	wantEq(t, "the hour-long claim is untouched", got.CollectorID, cas.ID)
}

// queueFixture stores open handoffs by name (two claimed, by anna and by
// bram) and a resolved one, for the queue's order and filters.
func queueFixture(t *testing.T, s casestore.Store) (ids map[string]int64, energie *casestore.Case, anna *casestore.User) {
	ctx := context.Background()
	energie = NewCase(t, s, "IB-Q-E")
	water := NewCase(t, s, "IB-Q-W")
	anna = NewCollector(t, s, "anna@incasso.example")
	bram := NewCollector(t, s, "bram@incasso.example")
	specs := []struct {
		name     string
		caseID   int64
		reason   string
		priority int
		minutes  int // after h0
	}{
		{"asked-late", energie.ID, "asked", 1, 30},
		{"asked-early", 0, "asked", 1, 5},
		{"hardship", water.ID, "hardship", 2, 40},
		{"abuse", energie.ID, "abuse", 2, 10},
		{"judicial", water.ID, "judicial stage", 1, 5}, // same instant as asked-early: ID decides
		{"claimed-by-anna", energie.ID, "asked", 1, 0},
		{"claimed-by-bram", water.ID, "hardship", 2, 50},
	}
	ids = map[string]int64{}
	for i, sp := range specs {
		h := &casestore.Handoff{Channel: "whatsapp", Address: fmt.Sprintf("whatsapp:+316100000%02d", i), CaseID: sp.caseID,
			Reason: sp.reason, Priority: sp.priority, RequestedAt: h0.Add(time.Duration(sp.minutes) * time.Minute)}
		_, err := s.RequestHandoff(ctx, h)
		must(t, err, "RequestHandoff "+sp.name)
		ids[sp.name] = h.ID
	}
	now := h0.Add(time.Hour)
	for name, who := range map[string]int64{"claimed-by-anna": anna.ID, "claimed-by-bram": bram.ID} {
		_, err := s.ClaimHandoff(ctx, ids[name], who, now, chatLease)
		must(t, err, "ClaimHandoff "+name)
	}
	resolved, _ := request(t, s, "whatsapp:+31610000099", "asked", 9, h0)
	_, err := s.ClaimHandoff(ctx, resolved.ID, anna.ID, now, chatLease)
	must(t, err, "ClaimHandoff to resolve")
	_, err = s.ResolveHandoff(ctx, resolved.ID, anna.ID, now)
	must(t, err, "ResolveHandoff") // a resolved handoff is in no list
	return ids, energie, anna
}

func testHandoffQueue(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	ids, energie, anna := queueFixture(t, s)
	cases := []struct {
		name string
		f    casestore.QueueFilter
		want []string
	}{
		{"queued, by priority then waiting time", casestore.QueueFilter{},
			[]string{"abuse", "hardship", "asked-early", "judicial", "asked-late"}},
		{"with claimed (supervisors)", casestore.QueueFilter{IncludeClaimed: true},
			[]string{"abuse", "hardship", "claimed-by-bram", "claimed-by-anna", "asked-early", "judicial", "asked-late"}},
		{"anna's chats", casestore.QueueFilter{CollectorID: anna.ID}, []string{"claimed-by-anna"}},
		{"high priority", casestore.QueueFilter{MinPriority: 2}, []string{"abuse", "hardship"}},
		{"reason asked", casestore.QueueFilter{Reason: "asked"}, []string{"asked-early", "asked-late"}},
		{"energie's cases", casestore.QueueFilter{CreditorID: energie.CreditorID}, []string{"abuse", "asked-late"}},
		{"energie's, claimed too", casestore.QueueFilter{CreditorID: energie.CreditorID, IncludeClaimed: true},
			[]string{"abuse", "claimed-by-anna", "asked-late"}},
		{"waiting since before h0+10m", casestore.QueueFilter{OlderThan: h0.Add(10 * time.Minute)},
			[]string{"asked-early", "judicial"}},
		{"limit 2", casestore.QueueFilter{Limit: 2}, []string{"abuse", "hardship"}},
		{"no match", casestore.QueueFilter{Reason: "asked", MinPriority: 2}, nil},
	}
	names := map[int64]string{}
	for n, id := range ids {
		names[id] = n
	}
	for _, tc := range cases {
		got, err := s.Queue(ctx, tc.f)
		must(t, err, "Queue "+tc.name)
		gotNames := []string{}
		for _, h := range got {
			gotNames = append(gotNames, names[h.ID])
		}
		wantStrings(t, "Queue "+tc.name, gotNames, tc.want)
	}
}

// testHandoffRollback: the router asks for a person in the transaction of
// the debtor's message; if that fails, the bot still owns the chat.
func testHandoffRollback(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	addr := "whatsapp:+31600000004"
	err := s.InTx(ctx, func(tx casestore.Tx) error {
		h, created := request(t, tx, addr, "asked", 1, h0)
		wantEq(t, "created in the transaction", created, true)
		open, err := tx.OpenHandoff(ctx, "whatsapp", addr)
		must(t, err, "OpenHandoff in the same transaction")
		wantEq(t, "open handoff seen in the transaction", open.ID, h.ID)
		return errHalfway
	})
	wantErr(t, err, errHalfway, "InTx")
	_, err = s.OpenHandoff(ctx, "whatsapp", addr)
	wantErr(t, err, casestore.ErrNotFound, "OpenHandoff after the rollback")
	_, created := request(t, s, addr, "asked", 1, h0)
	wantEq(t, "the provider's retry creates the handoff", created, true)
}

// testHandoffLogStays: later changes add lines and never alter earlier
// ones (the stores' own tests show that SQL cannot either).
func testHandoffLogStays(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	anna := NewCollector(t, s, "anna@incasso.example")
	h, _ := request(t, s, "whatsapp:+31600000005", "asked", 1, h0)
	_, err := s.ClaimHandoff(ctx, h.ID, anna.ID, h0.Add(time.Minute), chatLease)
	must(t, err, "ClaimHandoff")
	before, err := s.HandoffLog(ctx, h.ID)
	must(t, err, "HandoffLog")
	request(t, s, h.Address, "abuse", 2, h0.Add(2*time.Minute))
	_, err = s.ReleaseHandoff(ctx, h.ID, anna.ID, h0.Add(3*time.Minute))
	must(t, err, "ReleaseHandoff")
	after, err := s.HandoffLog(ctx, h.ID)
	must(t, err, "HandoffLog")
	wantEq(t, "log lines after two more changes", len(after), len(before)+2)
	for i := range min(len(before), len(after)) {
		if before[i] != after[i] {
			t.Errorf("log[%d] changed: was %+v, now %+v", i, before[i], after[i])
		}
	}
	if len(after) == 4 {
		wantEq(t, "reprioritised line's reason", after[2].Reason, "abuse")
		wantEq(t, "released line keeps the raised priority", after[3].Priority, 2)
	}
}
