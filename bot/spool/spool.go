// Package spool is the instance's durable receipt for debtor messages the
// system of record could not take: when a message's commit fails, the
// webhook is answered 2xx only after the message is in the spool, a bbolt
// file fsynced per message, and the spool replays it through the normal
// path as soon as the store answers again. A spool left by a dead
// instance is replayed by the next one started on the same volume.
package spool

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/incassobot/incassobot/bot"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketMessages = []byte("messages") // arrival sequence → record
	bucketIDs      = []byte("ids")      // channel NUL provider id → sequence: the dedupe
	bucketAside    = []byte("aside")    // sequence → record the runtime kept refusing while the store answered
)

// maxRefusals is how often a message may fail while the store answers
// (Ping succeeds) before it is set aside, so that one message the runtime
// cannot take does not hold its conversation back for good.
const maxRefusals = 10

// FileName is the spool's file inside its directory.
const FileName = "incassobot-spool.db"

// record is one spooled message.
type record struct {
	In      bot.Inbound
	Spooled time.Time
}

// Spool is one instance's spool. Safe for concurrent use.
type Spool struct {
	db  *bolt.DB
	log *slog.Logger

	mu     sync.Mutex
	convs  map[string]int // conversation key → messages spooled
	depth  int
	oldest time.Time // spooling time of the oldest message; zero when empty
	kick   chan struct{}

	refusals map[string]int // by record key: failures while the store answered
}

// Open opens (or creates) the spool in dir. A second process on the same
// directory waits up to 5 s for the file lock and then fails: one spool,
// one instance.
func Open(dir string, log *slog.Logger) (*Spool, error) {
	if log == nil {
		log = slog.Default()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("spool: open %s (another instance may use it): %w", path, err)
	}
	s := &Spool{db: db, log: log, convs: map[string]int{}, kick: make(chan struct{}, 1), refusals: map[string]int{}}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketIDs, bucketAside} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		b, err := tx.CreateBucketIfNotExists(bucketMessages)
		if err != nil {
			return err
		}
		return b.ForEach(func(_, v []byte) error {
			r, err := decode(v)
			if err != nil {
				return err
			}
			s.added(r)
			return nil
		})
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("spool: read %s: %w", path, err)
	}
	if s.depth > 0 {
		log.Warn("spool: messages left by an earlier run; replaying them once the store answers", "depth", s.depth, "oldest", s.oldest)
	}
	return s, nil
}

// Close closes the file; what it holds stays for the next start.
func (s *Spool) Close() error { return s.db.Close() }

// Put keeps in durably (fsynced before it returns). A message whose
// provider id is already spooled on its channel is not kept twice.
func (s *Spool) Put(_ context.Context, in bot.Inbound) error {
	r := record{In: in, Spooled: time.Now()}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(r); err != nil {
		return fmt.Errorf("spool: encode: %w", err)
	}
	added := false
	err := s.db.Update(func(tx *bolt.Tx) error {
		ids := tx.Bucket(bucketIDs)
		if in.ProviderID != "" && ids.Get(idKey(in)) != nil {
			return nil // a provider retry of a spooled message
		}
		b := tx.Bucket(bucketMessages)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		key := binary.BigEndian.AppendUint64(nil, seq)
		if in.ProviderID != "" {
			if err := ids.Put(idKey(in), key); err != nil {
				return err
			}
		}
		added = true
		return b.Put(key, buf.Bytes())
	})
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	if added {
		s.mu.Lock()
		first := s.depth == 0
		s.added(r)
		s.mu.Unlock()
		if first {
			s.log.Warn("spool: the store cannot take messages; keeping them on disk and answering the providers")
		}
		s.Kick()
	}
	return nil
}

// Holds reports whether the conversation has messages in the spool: its
// next message must wait behind them, to keep the debtor's order.
func (s *Spool) Holds(conversationKey string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.convs[conversationKey] > 0
}

// Stats are the messages spooled and when the oldest of them was.
func (s *Spool) Stats() (depth int, oldest time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.depth, s.oldest
}

// Kick makes Run try a replay now.
func (s *Spool) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Run replays the spool through handle until ctx ends: at once when
// something is spooled, then with a backoff (200 ms doubling to 2 s)
// while handle fails, e.g. because the store is still down. ready is the
// store's Ping (see Replay).
func (s *Spool) Run(ctx context.Context, handle func(context.Context, bot.Inbound) error, ready func(context.Context) error) {
	const first, most = 200 * time.Millisecond, 2 * time.Second
	wait := first
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.kick:
		case <-timer.C:
		}
		if depth, _ := s.Stats(); depth > 0 {
			if err := s.Replay(ctx, handle, ready); err != nil {
				wait = min(wait*2, most)
			} else {
				wait = first
			}
		}
		timer.Reset(wait)
	}
}

// Replay makes one pass over the spool in arrival order: each message is
// handed to handle and, once handle succeeded, removed. A conversation
// whose message failed is passed over for the rest of the pass, so its
// order holds. A message that failed maxRefusals times while ready (the
// store's Ping) said the store answers is set aside (kept in the file,
// logged as an error, no longer replayed). The first error is returned.
func (s *Spool) Replay(ctx context.Context, handle func(context.Context, bot.Inbound) error, ready func(context.Context) error) error {
	type item struct {
		key []byte
		r   record
	}
	var items []item
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMessages).ForEach(func(k, v []byte) error {
			r, err := decode(v)
			if err != nil {
				return err
			}
			items = append(items, item{append([]byte(nil), k...), r})
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("spool: read: %w", err)
	}
	var firstErr error
	failed := map[string]bool{}
	for _, it := range items {
		conv := it.r.In.ConversationKey()
		if failed[conv] || ctx.Err() != nil {
			continue
		}
		if err := handle(ctx, it.r.In); err != nil {
			if ready != nil && ready(ctx) == nil {
				if s.refusals[string(it.key)]++; s.refusals[string(it.key)] >= maxRefusals {
					s.log.Error("spool: a message kept failing while the store answers; set aside, the conversation goes on",
						"channel", it.r.In.Channel, "spooled", it.r.Spooled, "err", err)
					if err := s.remove(it.key, it.r, bucketAside); err != nil {
						return err
					}
					continue
				}
			}
			failed[conv] = true
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if err := s.remove(it.key, it.r, nil); err != nil {
			return err
		}
	}
	return firstErr
}

// remove deletes a replayed message (or moves it to the bucket aside)
// and logs when the spool is empty.
func (s *Spool) remove(key []byte, r record, aside []byte) error {
	delete(s.refusals, string(key))
	err := s.db.Update(func(tx *bolt.Tx) error {
		if aside != nil {
			if err := tx.Bucket(aside).Put(key, tx.Bucket(bucketMessages).Get(key)); err != nil {
				return err
			}
		}
		if r.In.ProviderID != "" {
			if err := tx.Bucket(bucketIDs).Delete(idKey(r.In)); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMessages).Delete(key)
	})
	if err != nil {
		return fmt.Errorf("spool: remove a replayed message: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	conv := r.In.ConversationKey()
	if s.convs[conv]--; s.convs[conv] <= 0 {
		delete(s.convs, conv)
	}
	s.depth--
	if s.depth == 0 {
		s.oldest = time.Time{}
		s.log.Info("spool: drained; every spooled message is in the store")
		return nil
	}
	// The oldest left is the next in arrival order.
	return s.db.View(func(tx *bolt.Tx) error {
		if _, v := tx.Bucket(bucketMessages).Cursor().First(); v != nil {
			if next, err := decode(v); err == nil {
				s.oldest = next.Spooled
			}
		}
		return nil
	})
}

// added counts a spooled record. Caller holds mu (or owns s).
func (s *Spool) added(r record) {
	s.convs[r.In.ConversationKey()]++
	s.depth++
	if s.oldest.IsZero() || r.Spooled.Before(s.oldest) {
		s.oldest = r.Spooled
	}
}

func idKey(in bot.Inbound) []byte { return []byte(in.Channel + "\x00" + in.ProviderID) }

func decode(v []byte) (record, error) {
	var r record
	if err := gob.NewDecoder(bytes.NewReader(v)).Decode(&r); err != nil {
		return r, errors.Join(errors.New("spool: a record is unreadable"), err)
	}
	return r, nil
}
