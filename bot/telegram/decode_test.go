package telegram

import "testing"

func TestE164(t *testing.T) {
	cases := map[string]string{
		"31612345678":       "+31612345678",
		"+31612345678":      "+31612345678",
		"+32 470 12 34 56":  "+32470123456",
		"1 (555) 010-9999":  "+15550109999",
		"0612345678":        "", // national form: Telegram never sends it, and it cannot be matched
		"12345":             "",
		"3161234567890123x": "",
		"31612+345678":      "",
		"":                  "",
	}
	for raw, want := range cases {
		if got := e164(raw); got != want {
			t.Errorf("e164(%q) = %q, want %q", raw, got, want)
		}
	}
}
