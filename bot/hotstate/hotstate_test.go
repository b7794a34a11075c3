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
	t.Run("lockget reads the value the last holder stored as it unlocked", func(t *testing.T) {
		s := open(t)
		lease, val, err := s.LockGet(ctx, "conv:sms:+31611111111", "dialog:sms:+31611111111", time.Second)
		if err != nil || val != nil {
			t.Fatalf("first LockGet = %q, %v; want no value", val, err)
		}
		// Lock and LockGet share the lock: another holder waits.
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		if _, err := s.Lock(short, "conv:sms:+31611111111", time.Second); !errors.Is(err, hotstate.ErrLocked) {
			t.Fatalf("Lock while LockGet holds = %v, want ErrLocked", err)
		}
		if err := lease.SetUnlock(ctx, "dialog:sms:+31611111111", []byte(`{"node":"menu"}`), time.Minute); err != nil {
			t.Fatal(err)
		}
		lease.Unlock() // after SetUnlock: nothing, and no panic
		if err := lease.SetUnlock(ctx, "dialog:sms:+31611111111", []byte(`{"node":"late"}`), time.Minute); !errors.Is(err, hotstate.ErrLeaseEnded) {
			t.Fatalf("second SetUnlock = %v, want ErrLeaseEnded", err)
		}
		next, val, err := s.LockGet(ctx, "conv:sms:+31611111111", "dialog:sms:+31611111111", time.Second)
		if err != nil || string(val) != `{"node":"menu"}` {
			t.Fatalf("LockGet after SetUnlock = %q, %v; want the stored value", val, err)
		}
		next.Unlock()
		unlock, err := s.Lock(ctx, "conv:sms:+31611111111", time.Second)
		if err != nil {
			t.Fatalf("Lock after Unlock: %v", err)
		}
		unlock()
	})
	t.Run("a kept lease outlives its ttl and lapses within it once its holder is gone", func(t *testing.T) {
		s := open(t)
		const ttl = 300 * time.Millisecond
		lease, _, err := s.LockGet(ctx, "conv:kept", "dialog:kept", ttl)
		if err != nil {
			t.Fatal(err)
		}
		holder, die := context.WithCancel(ctx)
		lease.Keep(holder, ttl, func() { t.Error("a kept lease was lost") })
		time.Sleep(3 * ttl)
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		if _, _, err := s.LockGet(short, "conv:kept", "dialog:kept", ttl); !errors.Is(err, hotstate.ErrLocked) {
			t.Fatalf("LockGet while the lease is kept = %v, want ErrLocked", err)
		}
		die() // the holder stops renewing and never unlocks (killed)
		wait, cancel2 := context.WithTimeout(ctx, 4*ttl)
		defer cancel2()
		next, _, err := s.LockGet(wait, "conv:kept", "dialog:kept", ttl)
		if err != nil {
			t.Fatalf("LockGet after the holder died: %v; want the lock once its lease lapsed", err)
		}
		next.Unlock()
	})
	t.Run("lockget holders never overlap and see every write before them", func(t *testing.T) {
		s := open(t)
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 10; j++ {
					lease, val, err := s.LockGet(ctx, "conv:count", "count", 5*time.Second)
					if err != nil {
						t.Error(err)
						return
					}
					// The value grows by one byte per holder.
					if err := lease.SetUnlock(ctx, "count", append(val, 'x'), time.Minute); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		got, err := s.Get(ctx, "count")
		if err != nil || len(got) != 80 {
			t.Fatalf("after 80 holders the value has %d bytes (%v), want 80: a holder missed a write", len(got), err)
		}
	})
	t.Run("ttls of several keys, 0 for absent ones", func(t *testing.T) {
		s := open(t)
		_ = s.Set(ctx, "verifylock:case:1", []byte("1"), time.Minute)
		_ = s.Set(ctx, "verifylock:phone:+31", []byte("1"), time.Hour)
		got, err := s.TTLs(ctx, []string{"verifylock:case:1", "absent", "verifylock:phone:+31"})
		if err != nil || len(got) != 3 {
			t.Fatalf("TTLs = %v, %v", got, err)
		}
		if got[0] <= 0 || got[0] > time.Minute || got[1] != 0 || got[2] <= time.Minute || got[2] > time.Hour {
			t.Fatalf("TTLs = %v; want (0,1m], 0, (1m,1h]", got)
		}
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
