package dialogs

import (
	"strings"
	"testing"
	"time"
)

// Telegram's own commands arrive as text; the first message of every
// Telegram user is "/start" and must be greeted, not misunderstood.
func TestTelegramCommandsAreUnderstood(t *testing.T) {
	now := time.Date(2026, time.November, 24, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		text string
		want Intent
	}{
		{"/start", IntentGreeting},
		{"/help", IntentHelp},
		{"/menu", IntentHelp},
		{"/stop", IntentStop},
	} {
		res := Step(State{}, Event{Kind: EventText, Text: tt.text, Channel: "telegram", From: "4711"}, View{}, now)
		if res.Intent != tt.want {
			t.Errorf("%q: intent %q, want %q", tt.text, res.Intent, tt.want)
		}
		for _, r := range res.Replies {
			if strings.Contains(r.Text, textsNL[kNotUnderstood]) {
				t.Errorf("%q: answered as not understood: %q", tt.text, r.Text)
			}
		}
	}
}
