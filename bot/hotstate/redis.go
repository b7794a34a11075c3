package hotstate

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is the Store shared by every instance, on Redis or a Redis
// Cluster (every operation touches a single key, so it is cluster-safe).
type Redis struct {
	client redis.UniversalClient
	prefix string
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

// unlockScript deletes the lock only while it still holds our token.
var unlockScript = redis.NewScript(`if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`)

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

func (r *Redis) Ping(ctx context.Context) error { return r.client.Ping(ctx).Err() }
func (r *Redis) Close() error                   { return r.client.Close() }
