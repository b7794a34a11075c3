package hotstate_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/bot/hotstate/redistest"
)

// Both implementations must behave the same: one suite, run on each.
func TestMemory(t *testing.T) {
	runSuite(t, func(t *testing.T) hotstate.Store { return hotstate.NewMemory() })
}

func TestRedis(t *testing.T) {
	runSuite(t, func(t *testing.T) hotstate.Store {
		url, prefix := redistest.NewPrefix(t)
		r, err := hotstate.OpenRedis(context.Background(), url, prefix)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		return r
	})
}

func runSuite(t *testing.T, open func(t *testing.T) hotstate.Store) {
	ctx := context.Background()
	t.Run("pubsub", func(t *testing.T) { runPubSubSuite(t, open) })
	t.Run("get of an absent key is a miss", func(t *testing.T) {
		s := open(t)
		if _, err := s.Get(ctx, "nope"); !errors.Is(err, hotstate.ErrMiss) {
			t.Fatalf("Get = %v, want ErrMiss", err)
		}
	})
	t.Run("set then get returns the value until it expires", func(t *testing.T) {
		s := open(t)
		if err := s.Set(ctx, "dialog:1", []byte(`{"node":"menu"}`), 150*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, "dialog:1")
		if err != nil || string(got) != `{"node":"menu"}` {
			t.Fatalf("Get = %q, %v", got, err)
		}
		time.Sleep(250 * time.Millisecond)
		if _, err := s.Get(ctx, "dialog:1"); !errors.Is(err, hotstate.ErrMiss) {
			t.Fatalf("after ttl Get = %v, want ErrMiss", err)
		}
	})
	t.Run("delete removes and tolerates absent keys", func(t *testing.T) {
		s := open(t)
		_ = s.Set(ctx, "k", []byte("v"), time.Minute)
		if err := s.Delete(ctx, "k"); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, "k"); err != nil {
			t.Fatalf("second delete: %v", err)
		}
		if _, err := s.Get(ctx, "k"); !errors.Is(err, hotstate.ErrMiss) {
			t.Fatalf("Get after delete = %v", err)
		}
	})
	t.Run("incr counts within a fixed window", func(t *testing.T) {
		s := open(t)
		for want := int64(1); want <= 3; want++ {
			n, err := s.Incr(ctx, "attempts:case:7", 200*time.Millisecond)
			if err != nil || n != want {
				t.Fatalf("Incr = %d, %v; want %d", n, err, want)
			}
		}
		d, err := s.TTL(ctx, "attempts:case:7")
		if err != nil || d <= 0 || d > 200*time.Millisecond {
			t.Fatalf("TTL = %v, %v; want within the first window", d, err)
		}
		time.Sleep(300 * time.Millisecond)
		if n, _ := s.Incr(ctx, "attempts:case:7", time.Minute); n != 1 {
			t.Fatalf("after the window Incr = %d, want a fresh count of 1", n)
		}
	})
	t.Run("lock is exclusive and released", func(t *testing.T) {
		s := open(t)
		unlock, err := s.Lock(ctx, "conv:whatsapp:+31612345678", time.Second)
		if err != nil {
			t.Fatal(err)
		}
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		if _, err := s.Lock(short, "conv:whatsapp:+31612345678", time.Second); !errors.Is(err, hotstate.ErrLocked) {
			t.Fatalf("second Lock = %v, want ErrLocked", err)
		}
		unlock()
		unlock2, err := s.Lock(ctx, "conv:whatsapp:+31612345678", time.Second)
		if err != nil {
			t.Fatalf("Lock after unlock: %v", err)
		}
		unlock2()
	})
	t.Run("an expired lease frees the lock and its old holder cannot release the new one", func(t *testing.T) {
		s := open(t)
		stale, err := s.Lock(ctx, "conv:x", 100*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		wait, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		fresh, err := s.Lock(wait, "conv:x", time.Second)
		if err != nil {
			t.Fatalf("Lock after lease expiry: %v", err)
		}
		stale() // must not release the fresh holder's lease
		short, cancel2 := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel2()
		if _, err := s.Lock(short, "conv:x", time.Second); !errors.Is(err, hotstate.ErrLocked) {
			t.Fatalf("stale unlock released the new lease: Lock = %v", err)
		}
		fresh()
	})
	t.Run("concurrent holders never overlap", func(t *testing.T) {
		s := open(t)
		var inside, overlaps atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 10; j++ {
					unlock, err := s.Lock(ctx, "conv:busy", 5*time.Second)
					if err != nil {
						t.Error(err)
						return
					}
					if inside.Add(1) > 1 {
						overlaps.Add(1)
					}
					time.Sleep(time.Millisecond)
					inside.Add(-1)
					unlock()
				}
			}()
		}
		wg.Wait()
		if overlaps.Load() != 0 {
			t.Fatalf("%d overlapping holders", overlaps.Load())
		}
	})
}
