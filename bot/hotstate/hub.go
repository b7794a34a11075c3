package hotstate

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// hub is the one Redis pub/sub connection of a process, fanned out to the
// process's subscribers in memory. A Redis connection per open chat would
// run Redis out of connections long before the server ran out of anything
// else. The connection subscribes to a topic while this process has a
// subscriber for it, and go-redis resubscribes after a reconnect.
type hub struct {
	mu      sync.Mutex // orders SUBSCRIBE/UNSUBSCRIBE with the bookkeeping
	ps      *redis.PubSub
	local   subscriptions
	waiting map[string][]chan struct{} // per topic, in the order SUBSCRIBE was sent
	closed  bool
}

// confirmWait bounds how long a Subscribe waits for Redis to confirm.
const confirmWait = 5 * time.Second

// start opens the shared connection and its reader; caller holds mu.
func (h *hub) start(r *Redis) {
	if h.ps != nil {
		return
	}
	h.ps = r.client.Subscribe(context.Background())
	h.waiting = map[string][]chan struct{}{}
	in := h.ps.ChannelWithSubscriptions(redis.WithChannelSize(1024))
	go func() {
		for m := range in {
			switch m := m.(type) {
			case *redis.Message:
				h.local.publish(m.Channel, []byte(m.Payload))
			case *redis.Subscription:
				if m.Kind == "subscribe" {
					h.confirmed(m.Channel)
				}
			}
		}
	}()
}

// confirmed wakes the oldest Subscribe waiting for channel.
func (h *hub) confirmed(channel string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if q := h.waiting[channel]; len(q) > 0 {
		close(q[0])
		if h.waiting[channel] = q[1:]; len(h.waiting[channel]) == 0 {
			delete(h.waiting, channel)
		}
	}
}

func (h *hub) subscribe(ctx context.Context, r *Redis, channel string) (<-chan []byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil, errors.New("hotstate: subscribe: store closed")
	}
	h.start(r)
	ch, first := h.local.add(channel)
	var confirm chan struct{}
	if q := h.waiting[channel]; !first && len(q) > 0 {
		confirm = q[len(q)-1] // the topic's subscription is on its way: wait for it too
	}
	if first {
		confirm = make(chan struct{})
		h.waiting[channel] = append(h.waiting[channel], confirm)
		if err := h.ps.Subscribe(ctx, channel); err != nil {
			h.local.remove(channel, ch)
			h.mu.Unlock()
			return nil, fmt.Errorf("hotstate: subscribe: %w", err)
		}
	}
	h.mu.Unlock()
	unsubscribe := func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.local.remove(channel, ch) && !h.closed {
			c, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_ = h.ps.Unsubscribe(c, channel)
		}
	}
	if confirm != nil {
		// Returning only once Redis confirmed: a message published after
		// Subscribe returns must arrive.
		t := time.NewTimer(confirmWait)
		defer t.Stop()
		select {
		case <-confirm:
		case <-ctx.Done():
			unsubscribe()
			return nil, ctx.Err()
		case <-t.C:
			unsubscribe()
			return nil, errors.New("hotstate: subscribe: Redis did not confirm")
		}
	}
	go func() {
		<-ctx.Done()
		unsubscribe()
	}()
	return ch, nil
}

// close ends the shared connection; its reader stops with it.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	if h.ps != nil {
		_ = h.ps.Close()
	}
}
