package telegram_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/telegram"
	"github.com/incassobot/incassobot/bot/telegram/telegramfake"
)

const (
	testToken  = "7000000001:AAH-test-token_value"
	testSecret = "webhook-secret_123"
	chat       = int64(5551)
)

// sentAt is the date every test message carries (2 March 2026, 09:30 UTC).
var sentAt = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// recordingSink keeps every Receive call; fail decides (per call) whether
// the commit fails, as a store that is down would.
type recordingSink struct {
	mu        sync.Mutex
	attempts  []bot.Inbound
	committed []bot.Inbound
	fail      func(in bot.Inbound, attempt int) error
}

func (s *recordingSink) Receive(_ context.Context, in bot.Inbound) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts = append(s.attempts, in)
	if s.fail != nil {
		if err := s.fail(in, len(s.attempts)); err != nil {
			return err
		}
	}
	s.committed = append(s.committed, in)
	return nil
}

func (s *recordingSink) DeliveryStatus(context.Context, bot.DeliveryStatus) error { return nil }

func (s *recordingSink) snapshot() (attempts, committed []bot.Inbound) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]bot.Inbound(nil), s.attempts...), append([]bot.Inbound(nil), s.committed...)
}

// waitCommitted waits until n messages were committed.
func (s *recordingSink) waitCommitted(t *testing.T, n int) []bot.Inbound {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, c := s.snapshot(); len(c) >= n {
			return c
		}
		time.Sleep(5 * time.Millisecond)
	}
	_, c := s.snapshot()
	t.Fatalf("%d message(s) committed after 5s, want %d", len(c), n)
	return nil
}

// newClient is a real go-telegram-bot-api client against fake.
func newClient(t *testing.T, fake *telegramfake.Server, edit func(*telegram.Config)) (*telegram.Client, telegram.Config) {
	t.Helper()
	cfg := telegram.Config{
		Token: testToken, WebhookSecret: testSecret, APIURL: fake.URL,
		MaxMediaBytes: 4096, PollTimeout: time.Second, PollBackoff: 10 * time.Millisecond,
		RequestTimeout: 5 * time.Second,
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := telegram.NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c, cfg
}

func testLog(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }
