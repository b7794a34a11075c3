package hotstate

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrMiss: the key is absent or expired.
var ErrMiss = errors.New("hotstate: miss")

// ErrLocked: another holder has the lock and it did not free up in time.
var ErrLocked = errors.New("hotstate: locked")

// Store is hot state shared by every instance of the server (Redis), or by
// one process (Memory). Keys are plain strings; implementations add their
// own prefix so test runs and deployments never collide.
type Store interface {
	// Get returns the value at key, or ErrMiss.
	Get(ctx context.Context, key string) ([]byte, error)
	// Set stores val at key for ttl (ttl > 0).
	Set(ctx context.Context, key string, val []byte, ttl time.Duration) error
	// Delete removes key; deleting an absent key is not an error.
	Delete(ctx context.Context, key string) error
	// Incr adds one to the counter at key and returns the new count. The
	// counter expires ttl after its first increment (a fixed window), which
	// is what attempt limits and rate limits want.
	Incr(ctx context.Context, key string, ttl time.Duration) (int64, error)
	// TTL returns how long key has left, or ErrMiss.
	TTL(ctx context.Context, key string) (time.Duration, error)
	// Lock takes the exclusive lease on key, waiting until ctx is done for a
	// holder to release it. The lease expires after ttl so a crashed holder
	// cannot block a conversation forever. unlock releases it only if it is
	// still ours. Returns ErrLocked when ctx ends first.
	Lock(ctx context.Context, key string, ttl time.Duration) (unlock func(), err error)
	// LockGet is Lock on lockKey and then Get of key, in one round trip
	// where the store can: what every inbound message needs first. val is
	// nil when key is absent. The lease ends with Unlock, or with SetUnlock,
	// which also stores the value in that same last round trip.
	LockGet(ctx context.Context, lockKey, key string, ttl time.Duration) (lease *Lease, val []byte, err error)
	// TTLs is TTL for several keys in one round trip: 0 for a key that is
	// absent.
	TTLs(ctx context.Context, keys []string) ([]time.Duration, error)
	// Publish sends msg to every current subscriber of topic, on every
	// instance sharing the store. Best effort: nobody listening is not an
	// error, and the message is not kept (see pubsub.go).
	Publish(ctx context.Context, topic string, msg []byte) error
	// Subscribe receives what is published on topic after it returns, until
	// ctx ends; then the channel is closed. A subscriber that falls more
	// than SubscriberBuffer messages behind loses messages: publishers never
	// block on a slow reader.
	Subscribe(ctx context.Context, topic string) (<-chan []byte, error)
	// Ping reports whether the store is reachable.
	Ping(ctx context.Context) error
	Close() error
}

// lockPoll is how often a waiting Lock retries. Short, because a
// conversation's lock is held only for one message's handling.
const lockPoll = 5 * time.Millisecond

// waitLock retries try until it succeeds, fails, or ctx ends.
func waitLock(ctx context.Context, try func() (bool, error)) error {
	t := time.NewTicker(lockPoll)
	defer t.Stop()
	for {
		ok, err := try()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return ErrLocked
		case <-t.C:
		}
	}
}

// ErrLeaseEnded: SetUnlock on a lease already unlocked; nothing was stored.
var ErrLeaseEnded = errors.New("hotstate: lease already ended")

// Lease is a lock taken by LockGet. Unlock and SetUnlock end it; only the
// first of them does anything, so `defer lease.Unlock()` is always safe.
type Lease struct {
	once sync.Once
	// end releases the lock, first storing val at key (for ttl) when key
	// is not empty.
	end func(ctx context.Context, key string, val []byte, ttl time.Duration) error
	// extend makes the lock last ttl from now if it is still ours, and
	// reports whether it was.
	extend func(ctx context.Context, ttl time.Duration) (bool, error)

	endOnce sync.Once
	ended   chan struct{} // closed when Unlock or SetUnlock ran; see Keep
}

// Keep renews the lease to ttl from now, every ttl/3, until the lease ends
// (Unlock, SetUnlock) or ctx is done. So a lock can be short and still held for as long
// as the work takes: a holder that dies loses it within ttl, and the next
// message of its conversation need not wait out a long lease. lost is
// called (once) when a renewal finds the lock taken over by another
// holder.
func (l *Lease) Keep(ctx context.Context, ttl time.Duration, lost func()) {
	every := max(ttl/3, time.Millisecond)
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-l.endedC():
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			callCtx, cancel := context.WithTimeout(ctx, every)
			ours, err := l.extend(callCtx, ttl)
			cancel()
			if err == nil && !ours {
				if lost != nil {
					lost()
				}
				return
			}
			// An error (hot state unreachable): try again next tick; the
			// lock lasts until ttl after the last renewal that worked.
		}
	}()
}

func (l *Lease) endedC() chan struct{} {
	l.endOnce.Do(func() { l.ended = make(chan struct{}) })
	return l.ended
}

// Unlock releases the lock if it is still ours.
func (l *Lease) Unlock() {
	l.once.Do(func() {
		close(l.endedC())
		// A fresh context: the caller's may be cancelled by now, and a lock
		// left behind would stall the conversation until its ttl.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = l.end(ctx, "", nil, 0)
	})
}

// SetUnlock stores val at key for ttl and then releases the lock.
func (l *Lease) SetUnlock(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	err := ErrLeaseEnded
	l.once.Do(func() {
		close(l.endedC())
		err = l.end(context.WithoutCancel(ctx), key, val, ttl)
	})
	return err
}
