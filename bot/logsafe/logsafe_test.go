package logsafe_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/bot/logsafe"
)

func TestNoPhoneNumberOrMessageTextReachesTheLog(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(logsafe.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	log.Debug("twilio webhook: message content", "message_sid", "SM123", "from", "+31612345678", "text", "ik kan niet betalen, mijn BSN is 123456782")
	log.Info("outbox: send failed", "err", errors.New("twilio: 400: The 'To' number whatsapp:+32470123456 is not valid"))
	log.With("address", "+31 6 1234 5678").Warn("claim", slog.Group("debtor", "phone", "0612345678"), "case", "IB-2026-000101", "outbound", 12345)
	out := buf.String()
	for _, secret := range []string{"+31612345678", "ik kan niet betalen", "123456782", "+32470123456", "1234 5678", "0612345678"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
	for _, kept := range []string{"SM123", "IB-2026-000101", "outbound=12345", "send failed"} {
		if !strings.Contains(out, kept) {
			t.Errorf("the log lost %q, which is no personal data:\n%s", kept, out)
		}
	}
}
