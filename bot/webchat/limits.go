package webchat

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/incassobot/incassobot/bot/clientip"
)

// Limits keep one client from taking the chat down for everybody: messages
// and new sessions are counted per minute in hot state (so across
// instances), per session, per client address and in total; open events
// streams are counted per instance, where their connections and
// goroutines live.

// client is the request's client address (what the bot is told).
func (wc *WebChat) client(r *http.Request) string {
	return clientip.From(r, wc.cfg.TrustedProxies)
}

// bucket is what the request's per-client limits count against: the
// client's clientip.Bucket, so an IPv6 client is one /64 (its holder has
// 2^64 addresses; counted one by one they would be no limit at all), as
// login and verification count it.
func (wc *WebChat) bucket(r *http.Request) string {
	return clientip.Bucket(wc.client(r))
}

// limit is one per-minute counter and its ceiling (negative: none).
type limit struct {
	key string
	max int
}

// overLimit counts the request against each limit and reports the first
// one it exceeds. Without hot state the request is let through: refusing
// every debtor because Redis is away would be worse than a flood.
func (wc *WebChat) overLimit(ctx context.Context, limits ...limit) (limit, bool) {
	for _, l := range limits {
		if l.max < 0 {
			continue
		}
		n, err := wc.hot.Incr(ctx, "webchat:rate:"+l.key, time.Minute)
		if err != nil {
			wc.log.Warn("webchat: rate limit unavailable", "err", err)
			return limit{}, false
		}
		if n > int64(l.max) {
			return l, true
		}
	}
	return limit{}, false
}

// tooMany answers a request over a limit: 429 for one client's excess,
// 503 when the whole chat is at its ceiling.
func tooMany(w http.ResponseWriter, total bool, retry time.Duration, why string) {
	w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())))
	status := http.StatusTooManyRequests
	if total {
		status = http.StatusServiceUnavailable
	}
	httpError(w, status, why)
}

// streamCount is the open events streams of this instance, in all, per
// client bucket and per session (conversation).
type streamCount struct {
	mu        sync.Mutex
	total     int
	byClient  map[string]int
	bySession map[string]int
}

// open takes a stream slot for client and session; ok is false, with
// total telling which bound held, when there is none. done gives the slot
// back.
func (s *streamCount) open(client, session string, perClient, perSession, max int) (done func(), total, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if max >= 0 && s.total >= max {
		return nil, true, false
	}
	if perClient >= 0 && s.byClient[client] >= perClient {
		return nil, false, false
	}
	if perSession >= 0 && s.bySession[session] >= perSession {
		return nil, false, false
	}
	if s.byClient == nil {
		s.byClient, s.bySession = map[string]int{}, map[string]int{}
	}
	s.total++
	s.byClient[client]++
	s.bySession[session]++
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.total--
			if s.byClient[client]--; s.byClient[client] <= 0 {
				delete(s.byClient, client)
			}
			if s.bySession[session]--; s.bySession[session] <= 0 {
				delete(s.bySession, session)
			}
		})
	}, false, true
}
