package hotstate

import (
	"context"
	"fmt"
	"sync"
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

// add registers a new subscriber of topic; first says it is the topic's
// only one (the hub then subscribes the shared connection to it).
func (s *subscriptions) add(topic string) (ch chan []byte, first bool) {
	ch = make(chan []byte, SubscriberBuffer)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.topics == nil {
		s.topics = map[string]map[chan []byte]struct{}{}
	}
	if s.topics[topic] == nil {
		s.topics[topic] = map[chan []byte]struct{}{}
	}
	s.topics[topic][ch] = struct{}{}
	return ch, len(s.topics[topic]) == 1
}

// remove unregisters and closes ch; under the lock, so no publish can send
// on a closed channel. last says the topic has no subscriber left.
func (s *subscriptions) remove(topic string, ch chan []byte) (last bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.topics[topic], ch)
	if len(s.topics[topic]) == 0 {
		delete(s.topics, topic)
		last = true
	}
	close(ch)
	return last
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
	ch, _ := m.subs.add(topic)
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

// Subscribe receives what is published on topic on any instance from
// when it returns until ctx ends; then the channel is closed. Every
// subscriber of this process shares one Redis connection (see hub), so
// ten thousand open chats hold one connection, not ten thousand.
func (r *Redis) Subscribe(ctx context.Context, topic string) (<-chan []byte, error) {
	return r.hub.subscribe(ctx, r, r.prefix+topic)
}
