package hotstate_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/bot/hotstate/redistest"
)

// runPubSubSuite is the publish/subscribe part of the shared suite: live
// updates for a web chat must reach the browser's instance, and only it.
func runPubSubSuite(t *testing.T, open func(t *testing.T) hotstate.Store) {
	t.Run("publish reaches every subscriber of the topic and no other topic", func(t *testing.T) {
		s := open(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		a1 := subscribe(t, ctx, s, "web:session-a")
		a2 := subscribe(t, ctx, s, "web:session-a")
		b := subscribe(t, ctx, s, "web:session-b")
		if err := s.Publish(ctx, "web:session-a", []byte(`{"text":"Goedendag."}`)); err != nil {
			t.Fatal(err)
		}
		for i, ch := range []<-chan []byte{a1, a2} {
			if got := receive(t, ch); string(got) != `{"text":"Goedendag."}` {
				t.Errorf("subscriber %d got %q", i+1, got)
			}
		}
		expectNothing(t, b, "another session's subscriber")
	})
	t.Run("publish with nobody listening is not an error", func(t *testing.T) {
		s := open(t)
		if err := s.Publish(context.Background(), "web:gone", []byte("x")); err != nil {
			t.Fatalf("Publish = %v", err)
		}
	})
	t.Run("ending the context unsubscribes and closes the channel", func(t *testing.T) {
		s := open(t)
		ctx, cancel := context.WithCancel(context.Background())
		ch := subscribe(t, ctx, s, "web:c")
		cancel()
		deadline := time.After(3 * time.Second)
		for {
			select {
			case _, ok := <-ch:
				if !ok {
					// Closed: publishing afterwards must still work.
					if err := s.Publish(context.Background(), "web:c", []byte("late")); err != nil {
						t.Fatalf("Publish after unsubscribe = %v", err)
					}
					return
				}
			case <-deadline:
				t.Fatal("channel still open 3 s after its context ended")
			}
		}
	})
	t.Run("a slow subscriber loses messages instead of blocking the publisher", func(t *testing.T) {
		s := open(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ch := subscribe(t, ctx, s, "web:slow")
		n := 3 * hotstate.SubscriberBuffer
		start := time.Now()
		for i := 0; i < n; i++ {
			if err := s.Publish(ctx, "web:slow", []byte(fmt.Sprint(i))); err != nil {
				t.Fatal(err)
			}
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("publishing %d messages to an unread subscriber took %v", n, d)
		}
		time.Sleep(300 * time.Millisecond) // let in-flight messages arrive
		got := drain(ch)
		if got < 1 || got > hotstate.SubscriberBuffer {
			t.Fatalf("unread subscriber holds %d messages, want 1..%d", got, hotstate.SubscriberBuffer)
		}
		if err := s.Publish(ctx, "web:slow", []byte("after")); err != nil {
			t.Fatal(err)
		}
		if m := receive(t, ch); string(m) != "after" {
			t.Fatalf("after draining got %q, want the new message", m)
		}
	})
}

// Two deployments (or two test runs) on one Redis never hear each other.
func TestRedisPrefixIsolatesTopics(t *testing.T) {
	url, prefix := redistest.NewPrefix(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	one, err := hotstate.OpenRedis(ctx, url, prefix+"one:")
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	two, err := hotstate.OpenRedis(ctx, url, prefix+"two:")
	if err != nil {
		t.Fatal(err)
	}
	defer two.Close()
	heardByOne := subscribe(t, ctx, one, "web:s")
	heardByTwo := subscribe(t, ctx, two, "web:s")
	if err := two.Publish(ctx, "web:s", []byte("for two")); err != nil {
		t.Fatal(err)
	}
	if got := receive(t, heardByTwo); string(got) != "for two" {
		t.Fatalf("two got %q", got)
	}
	expectNothing(t, heardByOne, "a store with another prefix")
}

func subscribe(t *testing.T, ctx context.Context, s hotstate.Store, topic string) <-chan []byte {
	t.Helper()
	ch, err := s.Subscribe(ctx, topic)
	if err != nil {
		t.Fatalf("Subscribe(%s): %v", topic, err)
	}
	return ch
}

func receive(t *testing.T, ch <-chan []byte) []byte {
	t.Helper()
	select {
	case m, ok := <-ch:
		if !ok {
			t.Fatal("channel closed before a message arrived")
		}
		return m
	case <-time.After(3 * time.Second):
		t.Fatal("no message within 3 s")
	}
	return nil
}

func expectNothing(t *testing.T, ch <-chan []byte, who string) {
	t.Helper()
	select {
	case m := <-ch:
		t.Errorf("%s received %q", who, m)
	case <-time.After(200 * time.Millisecond):
	}
}

func drain(ch <-chan []byte) int {
	n := 0
	for {
		select {
		case <-ch:
			n++
		default:
			return n
		}
	}
}
