package hotstate

import (
	"context"
	"errors"
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
