package bot

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// What a channel delivers is filed as it came, except what no store or
// reader should get: NUL (PostgreSQL refuses it in text and jsonb, so the
// message could never be filed and the provider would retry for ever),
// bytes that are not UTF-8 (likewise), and the bidirectional controls
// that make a line display other than it reads (a "Trojan source" in a
// dossier a collector or a court reads). They are removed at the door,
// and the dossier entry says what was removed.

// isBidiControl reports the embedding, override and isolate controls
// (U+202A–U+202E, U+2066–U+2069).
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// cleanText returns s without NUL, invalid UTF-8 and bidirectional
// controls, and what it removed ("U+0000 ×2", "invalid UTF-8 ×1"); nil
// when s was clean.
func cleanText(s string) (string, []string) {
	clean := true
	for _, r := range s {
		if r == 0 || r == utf8.RuneError || isBidiControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s, nil
	}
	counts := map[string]int{}
	var order []string
	note := func(what string) {
		if counts[what] == 0 {
			order = append(order, what)
		}
		counts[what]++
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			note("invalid UTF-8")
		case r == 0 || isBidiControl(r):
			note(fmt.Sprintf("U+%04X", r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	removed := make([]string, len(order))
	for i, what := range order {
		removed[i] = fmt.Sprintf("%s ×%d", what, counts[what])
	}
	return b.String(), removed
}

// sanitise cleans what of in is filed: the text, and the addresses and
// ids a provider sends (a NUL there would stop the filing as well).
func sanitise(in Inbound) Inbound {
	in.Text, in.removed = cleanText(in.Text)
	in.From, _ = cleanText(in.From)
	in.Phone, _ = cleanText(in.Phone)
	in.ProviderID, _ = cleanText(in.ProviderID)
	in.Media = append([]Media(nil), in.Media...) // the caller's slice stays as it was
	for i, m := range in.Media {
		in.Media[i].ContentType, _ = cleanText(m.ContentType)
	}
	return in
}
