package hotstate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// Memory is the in-process Store for a single instance (the embedded
// default). Expired entries are dropped when touched and by a sweep on Set.
type Memory struct {
	Now func() time.Time // injected for tests; time.Now when nil

	mu      sync.Mutex
	entries map[string]memEntry
	sets    int
	subs    subscriptions // Publish/Subscribe fan-out (pubsub.go)
}

type memEntry struct {
	val     []byte
	count   int64
	expires time.Time
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty in-process store.
func NewMemory() *Memory { return &Memory{entries: map[string]memEntry{}} }

func (m *Memory) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// live returns the entry at key if it has not expired. Caller holds mu.
func (m *Memory) live(key string) (memEntry, bool) {
	e, ok := m.entries[key]
	if !ok {
		return memEntry{}, false
	}
	if !m.now().Before(e.expires) {
		delete(m.entries, key)
		return memEntry{}, false
	}
	return e, true
}

func (m *Memory) Get(_ context.Context, key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.live(key)
	if !ok || e.val == nil {
		return nil, ErrMiss
	}
	return append([]byte(nil), e.val...), nil
}

func (m *Memory) Set(_ context.Context, key string, val []byte, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[key] = memEntry{val: append([]byte{}, val...), expires: m.now().Add(ttl)}
	m.sets++
	if m.sets%1024 == 0 {
		m.sweep()
	}
	return nil
}

// sweep drops every expired entry so a long-running demo does not grow.
func (m *Memory) sweep() {
	now := m.now()
	for k, e := range m.entries {
		if !now.Before(e.expires) {
			delete(m.entries, k)
		}
	}
}

func (m *Memory) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, key)
	return nil
}

func (m *Memory) Incr(_ context.Context, key string, ttl time.Duration) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.live(key)
	if !ok {
		e = memEntry{expires: m.now().Add(ttl)}
	}
	e.count++
	m.entries[key] = e
	return e.count, nil
}

func (m *Memory) TTL(_ context.Context, key string) (time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.live(key)
	if !ok {
		return 0, ErrMiss
	}
	return e.expires.Sub(m.now()), nil
}

func (m *Memory) Lock(ctx context.Context, key string, ttl time.Duration) (func(), error) {
	return m.lock(ctx, key, newToken(), ttl)
}

func (m *Memory) lock(ctx context.Context, key, token string, ttl time.Duration) (func(), error) {
	lockKey := "lock\x00" + key
	err := waitLock(ctx, func() (bool, error) {
		m.mu.Lock()
		defer m.mu.Unlock()
		if _, held := m.live(lockKey); held {
			return false, nil
		}
		m.entries[lockKey] = memEntry{val: []byte(token), expires: m.now().Add(ttl)}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		if e, ok := m.live(lockKey); ok && string(e.val) == token {
			delete(m.entries, lockKey)
		}
	}, nil
}

func (m *Memory) LockGet(ctx context.Context, lockKey, key string, ttl time.Duration) (*Lease, []byte, error) {
	token := newToken()
	unlock, err := m.lock(ctx, lockKey, token, ttl)
	if err != nil {
		return nil, nil, err
	}
	val, err := m.Get(ctx, key)
	if err != nil { // only ErrMiss
		val = nil
	}
	return &Lease{end: func(ctx context.Context, key string, val []byte, ttl time.Duration) error {
		defer unlock()
		if key == "" {
			return nil
		}
		return m.Set(ctx, key, val, ttl)
	}, extend: func(_ context.Context, ttl time.Duration) (bool, error) {
		m.mu.Lock()
		defer m.mu.Unlock()
		e, ok := m.live("lock\x00" + lockKey)
		if !ok || string(e.val) != token {
			return false, nil
		}
		e.expires = m.now().Add(ttl)
		m.entries["lock\x00"+lockKey] = e
		return true, nil
	}}, val, nil
}

func (m *Memory) TTLs(ctx context.Context, keys []string) ([]time.Duration, error) {
	out := make([]time.Duration, len(keys))
	for i, k := range keys {
		if d, err := m.TTL(ctx, k); err == nil {
			out[i] = d
		}
	}
	return out, nil
}

func (m *Memory) Ping(context.Context) error { return nil }
func (m *Memory) Close() error               { return nil }

// newToken identifies one lock holder so an expired holder cannot release
// the lease a later holder took.
func newToken() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
