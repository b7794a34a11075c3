package telegram

import (
	"fmt"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Whatever retry_after the Bot API answers with, the wait handed to the
// outbox is never negative and never over maxRetryAfter; a count within
// that bound is taken as it is, a larger one is capped.
func FuzzRetryAfter(f *testing.F) {
	for _, n := range []int{0, 1, 30, 3600, 3601, -5, 9300000000, 9223372036855} {
		f.Add(429, n)
	}
	f.Add(500, 7)
	f.Add(400, 7)
	f.Fuzz(func(t *testing.T, code, n int) {
		err := fmt.Errorf("sendMessage: %w", &tgbotapi.Error{Code: code, Message: "Too Many Requests", ResponseParameters: tgbotapi.ResponseParameters{RetryAfter: n}})
		_, after := temporary(err)
		switch {
		case after < 0 || after > maxRetryAfter:
			t.Fatalf("retry_after %d gave %v: want 0..%v", n, after, maxRetryAfter)
		case n <= 0 && after != 0:
			t.Fatalf("retry_after %d gave %v, want none", n, after)
		case n > 0 && time.Duration(n) <= maxRetryAfter/time.Second && after != time.Duration(n)*time.Second:
			t.Fatalf("retry_after %d gave %v", n, after)
		case time.Duration(n) > maxRetryAfter/time.Second && after != maxRetryAfter:
			t.Fatalf("retry_after %d gave %v, want the cap %v", n, after, maxRetryAfter)
		}
	})
}
