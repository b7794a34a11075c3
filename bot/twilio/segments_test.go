package twilio_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/incassobot/incassobot/bot/twilio"
)

// Segment budgets from 3GPP TS 23.038 (GSM 7-bit alphabet and extension
// table) and TS 23.040 (a concatenation header leaves 153 septets or 67
// UCS-2 characters per part), as Twilio documents them in "What the heck
// is a segment?": 160/153 GSM-7, 70/67 UCS-2.
func TestSegments(t *testing.T) {
	tests := []struct {
		Label string
		Text  string
		Want  int
	}{
		{"empty", "", 0},
		{"160 GSM characters fit one SMS", strings.Repeat("a", 160), 1},
		{"161 take two parts of 153", strings.Repeat("a", 161), 2},
		{"306 = 2 × 153", strings.Repeat("a", 306), 2},
		{"307 need a third", strings.Repeat("a", 307), 3},
		{"459 = 3 × 153", strings.Repeat("a", 459), 3},
		{"460 need a fourth", strings.Repeat("a", 460), 4},
		{"Dutch and French accents in GSM-7 (é è à ä ö ü Ç)", "Één café, à la crème: ä ö ü Ç" + strings.Repeat(".", 131), 1},
		{"€ costs two septets: 80 fit one SMS", strings.Repeat("€", 80), 1},
		{"81 × € = 162 septets: two parts", strings.Repeat("€", 81), 2},
		{"escape pairs are not split: 77 × € need two parts of 76", strings.Repeat("€", 153), 3},
		{"ë is not GSM-7: 70 UCS-2 characters fit one SMS", strings.Repeat("ë", 70), 1},
		{"71 UCS-2 characters take two parts of 67", strings.Repeat("ë", 71), 2},
		{"one emoji makes it all UCS-2", strings.Repeat("a", 69) + "😀", 2},
		{"an emoji is two UTF-16 units: 35 fit one SMS", strings.Repeat("😀", 35), 1},
		{"surrogate pairs are not split: 36 emoji → 33 + 3", strings.Repeat("😀", 36), 2},
		{"201 UCS-2 characters = 3 × 67", strings.Repeat("ç", 201), 3},
		{"202 need a fourth", strings.Repeat("ç", 202), 4},
	}
	for _, tc := range tests {
		if got := twilio.Segments(tc.Text); got != tc.Want {
			t.Errorf("%s: Segments = %d, want %d", tc.Label, got, tc.Want)
		}
	}
}

func TestSplitSMS(t *testing.T) {
	sentence := "Wij hebben uw bericht ontvangen en bekijken het binnen twee werkdagen. "
	tests := []struct {
		Label string
		Text  string
		Want  []string // nil: only the invariants are checked
		Parts int      // expected number of parts when Want is nil
	}{
		{Label: "empty", Text: "", Want: nil, Parts: 0},
		{Label: "short text whole", Text: "Uw saldo is € 125,40.", Want: []string{"Uw saldo is € 125,40."}},
		{Label: "459 GSM characters still one message", Text: strings.Repeat("a", 459), Want: []string{strings.Repeat("a", 459)}},
		{Label: "split at the paragraph",
			Text: strings.Repeat("a", 300) + "\n\n" + strings.Repeat("b", 300),
			Want: []string{strings.Repeat("a", 300), strings.Repeat("b", 300)}},
		{Label: "split at a sentence, not mid-sentence",
			Text: strings.TrimSpace(strings.Repeat(sentence, 8)),
			Want: []string{strings.TrimSpace(strings.Repeat(sentence, 6)), strings.TrimSpace(strings.Repeat(sentence, 2))}},
		{Label: "split at a word when there is no sentence end",
			Text: strings.TrimSpace(strings.Repeat("woord ", 100)),
			// 76 words take 76×6−1 = 455 septets; a 77th would make 461 > 459.
			Want: []string{strings.TrimSpace(strings.Repeat("woord ", 76)), strings.TrimSpace(strings.Repeat("woord ", 24))}},
		{Label: "emoji text: UCS-2 budget of 201 units", Text: strings.TrimSpace(strings.Repeat("Dank je 🙏 ", 60)), Parts: 4},
		{Label: "one word longer than a message is cut inside", Text: strings.Repeat("x", 1000), Parts: 3},
	}
	for _, tc := range tests {
		t.Run(tc.Label, func(t *testing.T) {
			parts := twilio.SplitSMS(tc.Text)
			if tc.Want != nil && strings.Join(parts, "|") != strings.Join(tc.Want, "|") {
				t.Errorf("SplitSMS =\n %q\nwant\n %q", parts, tc.Want)
			}
			if tc.Want == nil && len(parts) != tc.Parts {
				t.Errorf("SplitSMS gave %d parts, want %d: %q", len(parts), tc.Parts, parts)
			}
			checkParts(t, tc.Text, parts)
		})
	}
}

// checkParts asserts what every split must keep: no empty part, no part
// over the budget, and nothing lost or reordered but white space.
func checkParts(t *testing.T, text string, parts []string) {
	t.Helper()
	for i, p := range parts {
		if strings.TrimSpace(p) == "" {
			t.Errorf("part %d is empty", i)
		}
		if n := twilio.Segments(p); n > twilio.MaxSegmentsPerMessage {
			t.Errorf("part %d takes %d segments", i, n)
		}
		if !utf8.ValidString(p) {
			t.Errorf("part %d is not valid UTF-8 (a character was cut)", i)
		}
	}
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if got, want := squash(strings.Join(parts, "")), squash(text); got != want {
		t.Errorf("parts lost or changed text:\n got %q\nwant %q", got, want)
	}
}

func FuzzSplitSMS(f *testing.F) {
	for _, s := range []string{"", "Hallo", strings.Repeat("€ 12,50. ", 80), strings.Repeat("😀a ", 150), strings.Repeat("x", 700)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		checkParts(t, text, twilio.SplitSMS(text))
	})
}
