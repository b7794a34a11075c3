package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/casestore"
)

// Outbox delivers what the router committed to the outbox: it claims due
// messages, sends each through its channel's Sender, and records the
// outcome. Any number of instances may run one; the store's claims keep
// them from sending a message twice and keep one debtor's messages in
// order. A crash between commit and send only delays the reply: the lease
// runs out and a sender (after a restart, this one) claims it again.
type Outbox struct {
	Store   casestore.Store
	Hot     hotstate.Store    // shares the per-channel rate limits across instances
	Senders map[string]Sender // by channel; a channel without one is off
	Now     func() time.Time
	Log     *slog.Logger

	Batch       int            // messages claimed at once; default 32
	Lease       time.Duration  // how long a claim lasts; default 30s
	Poll        time.Duration  // how often to look when not woken; default 250ms
	MaxAttempts int            // then the message is given up; default 8
	RatePerSec  map[string]int // per channel, across instances; 0 = unlimited
	// QuietFrom and QuietTo bound the hours (Amsterdam) in which no
	// automated message is sent: 21 and 8 mean 21:00–08:00.
	QuietFrom, QuietTo int
	// WhatsAppWindow: WhatsApp allows free text only this long after the
	// debtor's last message; later the approved template is sent.
	WhatsAppWindow time.Duration
	Metrics        *Metrics // may be nil
	// Attach makes the documents an e-mail carries (bot/debtordocs); nil:
	// a message with attachments is sent with its text only.
	Attach Attacher

	wake  chan struct{}
	once  sync.Once
	marks chan sentMark // while Run runs: to the marker, which commits them in batches
}

// sentMark is a provider acceptance waiting for the marker's next commit.
type sentMark struct {
	mark casestore.SentMark
	done chan error
}

func (o *Outbox) init() {
	o.once.Do(func() {
		o.wake = make(chan struct{}, 1)
		if o.Batch <= 0 {
			o.Batch = 32
		}
		if o.Lease <= 0 {
			o.Lease = 30 * time.Second
		}
		if o.Poll <= 0 {
			o.Poll = 250 * time.Millisecond
		}
		if o.MaxAttempts <= 0 {
			o.MaxAttempts = 8
		}
		if o.WhatsAppWindow <= 0 {
			o.WhatsAppWindow = 24 * time.Hour
		}
		if o.Now == nil {
			o.Now = time.Now
		}
		if o.Log == nil {
			o.Log = slog.Default()
		}
	})
}

// Wake makes the sender look at the outbox now instead of at the next poll;
// the router calls it after each commit.
func (o *Outbox) Wake() {
	o.init()
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx is done. Up to Batch messages are in flight at
// once and a freed slot is refilled at once, so one slow provider call
// holds back only its own debtor's next message (the store keeps each
// debtor's messages in order), never a whole batch.
func (o *Outbox) Run(ctx context.Context) error {
	o.init()
	t := time.NewTicker(o.Poll)
	defer t.Stop()
	slots := make(chan struct{}, o.Batch)
	var inFlight sync.WaitGroup
	o.marks = make(chan sentMark, o.Batch)
	stopMarker, markerDone := make(chan struct{}), make(chan struct{})
	go o.marker(ctx, stopMarker, markerDone)
	defer func() {
		inFlight.Wait() // each delivery waits for its mark, so none is left
		close(stopMarker)
		<-markerDone
		o.marks = nil
	}()
	for {
		for {
			free := o.Batch - len(slots)
			if free == 0 || ctx.Err() != nil {
				break
			}
			msgs, err := o.claim(ctx, free)
			if err != nil {
				if ctx.Err() == nil {
					o.Log.Warn("outbox: claiming failed", "err", err)
				}
				break
			}
			for _, m := range msgs {
				slots <- struct{}{}
				inFlight.Add(1)
				go func() {
					defer inFlight.Done()
					o.deliver(ctx, m)
					<-slots
					o.Wake() // the debtor's next message may be claimable now
				}()
			}
			if len(msgs) < free {
				break // caught up
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-o.wake:
		case <-t.C:
		}
	}
}

// SendDue claims one batch of due messages and delivers them, one debtor's
// strictly in order, different debtors in parallel. It returns how many it
// claimed.
func (o *Outbox) SendDue(ctx context.Context) (int, error) {
	o.init()
	msgs, err := o.claim(ctx, o.Batch)
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	for _, m := range msgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o.deliver(ctx, m)
		}()
	}
	wg.Wait()
	return len(msgs), nil
}

// deliver sends one claimed message and records what happened.
func (o *Outbox) deliver(ctx context.Context, m *casestore.OutboundMessage) {
	out := Outgoing{ID: m.ID, Channel: m.Channel, To: m.To, Text: m.Text, Options: m.Options, AskPhone: m.AskPhone, TemplateType: m.TemplateType}
	if hold, why := o.holdBack(ctx, m); hold != nil {
		o.record(ctx, m, nil, *hold, why)
		return
	}
	sender := o.Senders[m.Channel]
	if sender == nil {
		o.record(ctx, m, &SendError{Err: fmt.Errorf("channel %s is not configured", m.Channel), Temporary: true}, time.Time{}, "")
		return
	}
	if m.Channel == "whatsapp" {
		out.Template = o.outsideWindow(ctx, m)
	}
	if m.Resumed && o.sentBefore(ctx, m, sender, out) {
		return
	}
	if m.Channel == "email" && m.CaseID != 0 {
		c, err := o.Store.Case(ctx, m.CaseID)
		if err != nil {
			o.record(ctx, m, &SendError{Err: fmt.Errorf("the case of an e-mail: %w", err), Temporary: true}, time.Time{}, "")
			return
		}
		out.CaseRef = c.Ref // the subject names the dossier
		if len(m.Attachments) > 0 && o.Attach != nil {
			files, err := o.Attach.Attachments(ctx, m.CaseID, m.Attachments)
			if err != nil {
				o.record(ctx, m, &SendError{Err: fmt.Errorf("the documents of an e-mail: %w", err), Temporary: true}, time.Time{}, "")
				return
			}
			out.Attachments = files
		}
	}
	if err := o.awaitRate(ctx, m.Channel); err != nil {
		o.record(ctx, m, &SendError{Err: err, Temporary: true}, time.Time{}, "")
		return
	}
	if left := m.LeaseUntil.Sub(o.Now()); !m.LeaseUntil.IsZero() && left < o.Lease/2 {
		// The claim might run out while the provider call is under way
		// (a long rate wait): another sender would send it again. Put it
		// back instead of starting a send the lease may not cover.
		o.mark(ctx, m, o.Store.MarkRetry(ctx, m.ID, m.Attempts, "lease too short to send", time.Time{}))
		return
	}
	var id string
	var err error
	if o.guardBotReply(ctx, m, func() { id, err = sender.Send(ctx, out) }) {
		return // withheld: a collector claimed the chat
	}
	if err != nil {
		o.record(ctx, m, err, time.Time{}, "")
		return
	}
	o.Metrics.sent(m.Channel)
	if err := o.markSent(ctx, m, id); err != nil {
		// Sent, but another sender took the claim over: it may send again.
		// Logged so a duplicate delivery can be explained.
		o.Log.Warn("outbox: sent but could not mark", "outbound", m.ID, "err", err)
	}
}

// claim leases up to n due messages and times the claim for /metrics.
func (o *Outbox) claim(ctx context.Context, n int) ([]*casestore.OutboundMessage, error) {
	start := time.Now()
	msgs, err := o.Store.ClaimOutbound(ctx, o.Now(), n, o.Lease)
	o.Metrics.claimed(time.Since(start))
	return msgs, err
}

// markSent records that the provider accepted m under id: through the
// marker while Run runs (one commit for every mark that arrived while the
// previous commit was under way), else on its own. It returns once the
// mark is committed or refused, so the slot and the recipient's next
// message follow it.
func (o *Outbox) markSent(ctx context.Context, m *casestore.OutboundMessage, id string) error {
	mark := casestore.SentMark{ID: m.ID, Attempt: m.Attempts, ProviderID: id, At: o.Now()}
	if o.marks == nil {
		return o.Store.MarkSent(ctx, mark.ID, mark.Attempt, mark.ProviderID, mark.At)
	}
	done := make(chan error, 1)
	select {
	case o.marks <- sentMark{mark, done}:
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-done
}

// marker commits sent marks in batches until stop: it takes what is
// waiting (up to Batch), commits it in one MarkSentBatch and answers each
// sender; marks that arrive meanwhile make the next batch. Under load a
// commit carries many marks, idle it carries one and adds no delay.
func (o *Outbox) marker(ctx context.Context, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	var batch []sentMark
	for {
		batch = batch[:0]
		select {
		case r := <-o.marks:
			batch = append(batch, r)
		case <-stop:
			return
		}
	more:
		for len(batch) < o.Batch {
			select {
			case r := <-o.marks:
				batch = append(batch, r)
			default:
				break more
			}
		}
		marks := make([]casestore.SentMark, len(batch))
		for i, r := range batch {
			marks[i] = r.mark
		}
		o.Metrics.markBatch(len(marks))
		errs, err := o.Store.MarkSentBatch(ctx, marks)
		for i, r := range batch {
			if err == nil {
				r.done <- errs[i]
			} else {
				r.done <- err
			}
		}
	}
}

// holdBack says whether an automated message must wait or be dropped:
// dropped and recorded when casestore.MayAutomate says no (opted out, the
// debtor's contact preference, collection stopped), held until quiet
// hours end.
func (o *Outbox) holdBack(ctx context.Context, m *casestore.OutboundMessage) (*time.Time, string) {
	if !m.Automated {
		return nil, ""
	}
	ok, why, err := casestore.MayAutomate(ctx, o.Store, m.CaseID, m.Channel, m.To)
	if err == nil && !ok {
		zero := time.Time{}
		return &zero, why
	}
	if until, quiet := o.quietUntil(o.Now()); quiet {
		return &until, "quiet hours"
	}
	return nil, ""
}

// quietUntil reports whether now is inside quiet hours and when they end.
func (o *Outbox) quietUntil(now time.Time) (time.Time, bool) {
	if o.QuietFrom == o.QuietTo {
		return time.Time{}, false
	}
	l := now.In(casestore.Amsterdam)
	h := l.Hour()
	inQuiet := h >= o.QuietFrom || h < o.QuietTo
	if o.QuietFrom < o.QuietTo {
		inQuiet = h >= o.QuietFrom && h < o.QuietTo
	}
	if !inQuiet {
		return time.Time{}, false
	}
	end := time.Date(l.Year(), l.Month(), l.Day(), o.QuietTo, 0, 0, 0, casestore.Amsterdam)
	if !end.After(l) {
		end = end.AddDate(0, 0, 1)
	}
	return end, true
}

// outsideWindow: WhatsApp free text is allowed only within the window
// after the debtor's last message.
func (o *Outbox) outsideWindow(ctx context.Context, m *casestore.OutboundMessage) bool {
	last, err := o.Store.LastInbound(ctx, m.Channel, m.To)
	if err != nil {
		return errors.Is(err, casestore.ErrNotFound)
	}
	return o.Now().Sub(last) > o.WhatsAppWindow
}

// awaitRate waits for a slot in the channel's per-second budget, shared by
// every instance through hot state (a counter per channel and second).
func (o *Outbox) awaitRate(ctx context.Context, channel string) error {
	limit := o.RatePerSec[channel]
	if limit <= 0 || o.Hot == nil {
		return nil
	}
	for {
		now := time.Now()
		sec := now.Unix()
		n, err := o.Hot.Incr(ctx, "rate:"+channel+":"+strconv.FormatInt(sec, 10), 2*time.Second)
		if err != nil || n <= int64(limit) {
			return nil // without hot state the provider's own 429s still pace us
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Unix(sec+1, 0).Sub(now)):
		}
	}
}
