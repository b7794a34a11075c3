package bot

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// ErrBusy is what Receive returns when the instance already handles as
// many messages as it admits: nothing was stored, and the channel answers
// 503 with Retry-After (BusyRetryAfter) so that the provider delivers the
// message again later, to this instance or another.
var ErrBusy = errors.New("too many messages in flight; try again shortly")

// BusyRetryAfter is the wait a refused provider is asked to keep.
const BusyRetryAfter = 2 * time.Second

// Admission bounds the messages one instance handles at once. Without a
// bound an overload grows memory with every request waiting for a database
// connection or a conversation lock until the process falls over and every
// message in it is lost to the providers that do not retry; with it the
// excess is refused at the door, cheaply, and memory stays flat.
//
// A message waits up to Queue for a slot before it is refused, so a short
// burst is absorbed instead of bounced.
type Admission struct {
	slots chan struct{}
	queue time.Duration
}

// NewAdmission admits max messages at once (at least 1); queue is how long
// a message may wait for a slot.
func NewAdmission(max int, queue time.Duration) *Admission {
	if max < 1 {
		max = 1
	}
	return &Admission{slots: make(chan struct{}, max), queue: queue}
}

// enter takes a slot, waiting up to the queue time; release gives it back.
// A nil *Admission admits everything.
func (a *Admission) enter(ctx context.Context) (release func(), err error) {
	if a == nil {
		return func() {}, nil
	}
	select {
	case a.slots <- struct{}{}:
		return a.leave, nil
	default:
	}
	if a.queue <= 0 {
		return nil, ErrBusy
	}
	t := time.NewTimer(a.queue)
	defer t.Stop()
	select {
	case a.slots <- struct{}{}:
		return a.leave, nil
	case <-t.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (a *Admission) leave() { <-a.slots }

// InFlight is how many messages are being handled now.
func (a *Admission) InFlight() int {
	if a == nil {
		return 0
	}
	return len(a.slots)
}

// Capacity is how many messages are admitted at once.
func (a *Admission) Capacity() int {
	if a == nil {
		return 0
	}
	return cap(a.slots)
}

// RefuseBusy answers a webhook or post that Receive refused with ErrBusy:
// 503 with Retry-After, which Telegram, Twilio (with the retry overrides
// in its webhook URL, see the README) and the web chat's page honour.
func RefuseBusy(w http.ResponseWriter) {
	w.Header().Set("Retry-After", strconv.Itoa(int(BusyRetryAfter/time.Second)))
	http.Error(w, "busy; try again shortly", http.StatusServiceUnavailable)
}
