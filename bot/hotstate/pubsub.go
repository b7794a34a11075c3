package hotstate

import (
	"context"
	"fmt"
	"sync"

	"github.com/redis/go-redis/v9"
)

// Live updates (a reply for a web chat, a new message for the collector
// console) cross instances by publish/subscribe. Delivery is best effort
// and at most once: a message published while nobody listens is gone, and
// a subscriber that does not keep up loses messages instead of slowing the
// publisher down (the conversation must never wait for a browser). Every
// such update is also in the system of record, so a reader that missed
// one reloads from there.

// SubscriberBuffer is how many messages a subscriber may fall behind before
// further messages are dropped for it.
const SubscriberBuffer = 64

// subscriptions is the in-process fan-out: topic → live subscriber channels.
type subscriptions struct {
	mu     sync.Mutex
	topics map[string]map[chan []byte]struct{}
}

func (s *subscriptions) add(topic string) chan []byte {
	ch := make(chan []byte, SubscriberBuffer)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.topics == nil {
		s.topics = map[string]map[chan []byte]struct{}{}
	}
	if s.topics[topic] == nil {
		s.topics[topic] = map[chan []byte]struct{}{}
	}
	s.topics[topic][ch] = struct{}{}
	return ch
}

// remove unregisters and closes ch; under the lock, so no publish can send
// on a closed channel.
func (s *subscriptions) remove(topic string, ch chan []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.topics[topic], ch)
	if len(s.topics[topic]) == 0 {
		delete(s.topics, topic)
	}
	close(ch)
}

func (s *subscriptions) publish(topic string, msg []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.topics[topic] {
		select {
		case ch <- append([]byte(nil), msg...): // each subscriber owns its copy
		default: // slow subscriber: drop rather than block the publisher
		}
	}
}

// Publish sends msg to every current subscriber of topic in this process.
func (m *Memory) Publish(_ context.Context, topic string, msg []byte) error {
	m.subs.publish(topic, msg)
	return nil
}

// Subscribe receives what is published on topic from now on, until ctx
// ends; then the channel is closed.
func (m *Memory) Subscribe(ctx context.Context, topic string) (<-chan []byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ch := m.subs.add(topic)
	go func() {
		<-ctx.Done()
		m.subs.remove(topic, ch)
	}()
	return ch, nil
}

// Publish sends msg to every subscriber of topic on every instance
// (PUBLISH on the prefixed channel).
func (r *Redis) Publish(ctx context.Context, topic string, msg []byte) error {
	if err := r.client.Publish(ctx, r.prefix+topic, msg).Err(); err != nil {
		return fmt.Errorf("hotstate: publish: %w", err)
	}
	return nil
}

// Subscribe opens one Redis subscription on the prefixed topic. It returns
// once Redis confirmed the subscription, so a message published after it
// returns is received. The channel closes when ctx ends.
func (r *Redis) Subscribe(ctx context.Context, topic string) (<-chan []byte, error) {
	ps := r.client.Subscribe(ctx, r.prefix+topic)
	if _, err := ps.Receive(ctx); err != nil { // the subscription's confirmation
		ps.Close()
		return nil, fmt.Errorf("hotstate: subscribe: %w", err)
	}
	in := ps.Channel(redis.WithChannelSize(SubscriberBuffer))
	out := make(chan []byte, SubscriberBuffer)
	go func() {
		defer close(out)
		defer ps.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case msg, ok := <-in:
				if !ok {
					return
				}
				select {
				case out <- []byte(msg.Payload):
				default: // slow subscriber: drop, as Memory does
				}
			}
		}
	}()
	return out, nil
}
