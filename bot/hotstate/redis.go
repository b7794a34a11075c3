package hotstate

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is the Store shared by every instance, on one Redis server (or a
// replicated primary). LockGet and SetUnlock rely on a pipeline to one
// server running its commands in order; on a Redis Cluster the lock and
// state keys of a conversation would need one hash tag for that, which
// OpenRedis does not set up.
type Redis struct {
	client redis.UniversalClient
	prefix string
	hub    hub // every Subscribe of this process on one connection
}

var _ Store = (*Redis)(nil)

// OpenRedis connects to url (redis://host:port/db) and namespaces every key
// under prefix (e.g. "incassobot:"). It fails if Redis does not answer.
func OpenRedis(ctx context.Context, url, prefix string) (*Redis, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("hotstate: REDIS_URL: %w", err)
	}
	r := &Redis{client: redis.NewClient(opt), prefix: prefix}
	if err := r.Ping(ctx); err != nil {
		r.client.Close()
		return nil, err
	}
	return r, nil
}

// Client exposes the connection for other Redis users of the same
// deployment (rate limits, pub/sub), so there is one pool per process.
func (r *Redis) Client() redis.UniversalClient { return r.client }

// Prefix is the key namespace of this store.
func (r *Redis) Prefix() string { return r.prefix }

func (r *Redis) Get(ctx context.Context, key string) ([]byte, error) {
	b, err := r.client.Get(ctx, r.prefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, ErrMiss
	}
	return b, err
}

func (r *Redis) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	return r.client.Set(ctx, r.prefix+key, val, ttl).Err()
}

func (r *Redis) Delete(ctx context.Context, key string) error {
	return r.client.Del(ctx, r.prefix+key).Err()
}

func (r *Redis) Incr(ctx context.Context, key string, ttl time.Duration) (int64, error) {
	var incr *redis.IntCmd
	_, err := r.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		incr = p.Incr(ctx, r.prefix+key)
		// NX: only the first increment starts the window.
		// PEXPIRE, not EXPIRE: the window may be shorter than a second.
		p.Do(ctx, "PEXPIRE", r.prefix+key, ttl.Milliseconds(), "NX")
		return nil
	})
	if err != nil {
		return 0, err
	}
	return incr.Val(), nil
}

func (r *Redis) TTL(ctx context.Context, key string) (time.Duration, error) {
	d, err := r.client.PTTL(ctx, r.prefix+key).Result()
	if err != nil {
		return 0, err
	}
	if d < 0 { // -2 absent, -1 no expiry (never set by this package)
		return 0, ErrMiss
	}
	return d, nil
}

// unlockSrc deletes the lock only while it still holds our token.
const unlockSrc = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`

var unlockScript = redis.NewScript(unlockSrc)

// extendScript renews the lock's expiry only while it still holds our token.
var extendScript = redis.NewScript(`if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`)

func (r *Redis) Lock(ctx context.Context, key string, ttl time.Duration) (func(), error) {
	token := newToken()
	lockKey := r.prefix + "lock:" + key
	err := waitLock(ctx, func() (bool, error) {
		return r.client.SetNX(ctx, lockKey, token, ttl).Result()
	})
	if err != nil {
		if ctx.Err() != nil && !errors.Is(err, ErrLocked) {
			return nil, ErrLocked
		}
		return nil, err
	}
	return func() {
		// A fresh context: the caller's may be cancelled by now, and a lock
		// left behind would stall the conversation until ttl.
		c, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = unlockScript.Run(c, r.client, []string{lockKey}, token).Err()
	}, nil
}

// LockGet sends SET NX and GET in one pipeline, run in order by the one
// server (see Redis). The GET is
// used only when the SET took the lock; then it sees the last holder's
// state, because every holder stores it before its unlock (SetUnlock).
func (r *Redis) LockGet(ctx context.Context, lockKey, key string, ttl time.Duration) (*Lease, []byte, error) {
	token := newToken()
	lk := r.prefix + "lock:" + lockKey
	var val []byte
	err := waitLock(ctx, func() (bool, error) {
		var set *redis.BoolCmd
		var get *redis.StringCmd
		_, _ = r.client.Pipelined(ctx, func(p redis.Pipeliner) error {
			set = p.SetNX(ctx, lk, token, ttl)
			get = p.Get(ctx, r.prefix+key)
			return nil
		})
		if err := set.Err(); err != nil {
			return false, err
		}
		if !set.Val() {
			return false, nil
		}
		// A miss, or a read that failed after the lock was taken: no
		// position, and the conversation restarts politely (not an error,
		// which would leave the lock to expire on its own).
		val = nil
		if b, err := get.Bytes(); err == nil {
			val = b
		}
		return true, nil
	})
	if err != nil {
		if ctx.Err() != nil && !errors.Is(err, ErrLocked) {
			return nil, nil, ErrLocked
		}
		return nil, nil, err
	}
	return &Lease{end: func(ctx context.Context, key string, val []byte, ttl time.Duration) error {
		_, err := r.client.Pipelined(ctx, func(p redis.Pipeliner) error {
			if key != "" {
				p.Set(ctx, r.prefix+key, val, ttl)
			}
			p.Eval(ctx, unlockSrc, []string{lk}, token)
			return nil
		})
		return err
	}, extend: func(ctx context.Context, ttl time.Duration) (bool, error) {
		n, err := extendScript.Run(ctx, r.client, []string{lk}, token, ttl.Milliseconds()).Int()
		return n == 1, err
	}}, val, nil
}

func (r *Redis) TTLs(ctx context.Context, keys []string) ([]time.Duration, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	cmds := make([]*redis.DurationCmd, len(keys))
	_, err := r.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			cmds[i] = p.PTTL(ctx, r.prefix+k)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]time.Duration, len(keys))
	for i, c := range cmds {
		if d := c.Val(); d > 0 { // -2 absent, -1 no expiry (never set by this package)
			out[i] = d
		}
	}
	return out, nil
}

func (r *Redis) Ping(ctx context.Context) error { return r.client.Ping(ctx).Err() }
func (r *Redis) Close() error {
	r.hub.close()
	return r.client.Close()
}
