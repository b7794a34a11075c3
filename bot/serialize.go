package bot

import (
	"context"
	"sync"
)

// arrivalOrder lets messages of one conversation through one at a time in
// the order they arrived at this instance. A mutex alone would not do: Go's
// mutexes and the hot-state lock are not fair, so the fourth of ten quick
// messages could be answered before the second. Across instances the
// hot-state lock still excludes; order there is the load balancer's.
type arrivalOrder struct {
	mu    sync.Mutex
	tails map[string]chan struct{}
}

// enter waits until every earlier message of key has left, and returns the
// function that lets the next one in. If ctx ends first it returns ctx's
// error, and the place in line is handed on once the earlier ones are done.
func (a *arrivalOrder) enter(ctx context.Context, key string) (leave func(), err error) {
	a.mu.Lock()
	if a.tails == nil {
		a.tails = map[string]chan struct{}{}
	}
	prev := a.tails[key]
	done := make(chan struct{})
	a.tails[key] = done
	a.mu.Unlock()

	release := func() {
		close(done)
		a.mu.Lock()
		if a.tails[key] == done {
			delete(a.tails, key)
		}
		a.mu.Unlock()
	}
	if prev == nil {
		return release, nil
	}
	select {
	case <-prev:
		return release, nil
	case <-ctx.Done():
		go func() { <-prev; release() }()
		return nil, ctx.Err()
	}
}
