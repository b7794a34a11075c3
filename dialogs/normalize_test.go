package dialogs

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Déjà  PAYÉ\t\n", "deja paye"},
		{"Één keer", "een keer"},
		{"ça, c’est reçu", "ca, c'est recu"},
		{"50 – 60", "50 - 60"},
		{"hallo 😀👍 daar", "hallo daar"},
		{"a\x00b\x07c", "a b c"},
		{"مرحبا ik betaal", "مرحبا ik betaal"},
		{"bad \xff\xfe utf8", "bad utf8"},
		{"Straße œuvre", "strasse oeuvre"},
	}
	for _, tt := range tests {
		if got := normalize(tt.in); got != tt.want {
			t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeCapsWork(t *testing.T) {
	long := strings.Repeat("ik betaal vrijdag 50 euro ", 1000) // 26 kB
	if n := len(normalize(long)); n > maxInputBytes {
		t.Errorf("normalised length %d exceeds the cap %d", n, maxInputBytes)
	}
	if n := len(tokenize(normalize(long))); n > maxTokens {
		t.Errorf("%d tokens, cap is %d", n, maxTokens)
	}
	// the cut never splits a character
	if s := normalize(strings.Repeat("é", 3000)); !strings.HasPrefix(s, "eee") || strings.ContainsRune(s, '\uFFFD') {
		t.Errorf("cut broke a character: %q…", s[:10])
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"factuur", "factuur", 0}, {"factuut", "factuur", 1}, {"facutur", "factuur", 1}, // swap
		{"betalingsregling", "betalingsregeling", 1}, {"regeling", "regelen", 2}, {"abc", "xyz", 3}, // max+1: "more than max"
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b, 2); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
