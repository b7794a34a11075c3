package casestore

import (
	"context"
	"time"
)

// Attempts counts verification attempts in the system of record, so a
// lockout holds across instances and survives a Redis flush or restart.
// A counter is a key (the caller's; it should carry no personal data, e.g.
// a hash) with a fixed window: the window starts at the first count and
// lasts the window given then; the first count after it ends starts a new
// window at one.
type Attempts interface {
	// CountAttempt adds one to key's counter as of now and returns the
	// count and when the window ends. Atomic across transactions and
	// instances: of n concurrent counts each sees a different number.
	// Call it on the Store, not inside InTx: a count must stand even when
	// the caller's work is rolled back. ErrInvalid for an empty key, a
	// zero now or a window that is not positive.
	CountAttempt(ctx context.Context, key string, now time.Time, window time.Duration) (n int, until time.Time, err error)
	// UncountAttempt takes one count back from key's window that ends at
	// until (an attempt that succeeded is no failure); it changes nothing
	// when that window has ended and another begun, or the count is 0.
	UncountAttempt(ctx context.Context, key string, until time.Time) error
	// AttemptCounts returns each key's count at now and when its window
	// ends; a key without a live window gives the zero AttemptCount.
	AttemptCounts(ctx context.Context, keys []string, now time.Time) ([]AttemptCount, error)
}

// AttemptCount is one counter's state.
type AttemptCount struct {
	N     int
	Until time.Time
}
