package telegram

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplitText(t *testing.T) {
	cases := []struct {
		Label string
		Text  string
		Limit int
		Want  []string
	}{
		{"fits", "Goedemorgen", 20, []string{"Goedemorgen"}},
		{"exactly the limit", "abcde", 5, []string{"abcde"}},
		{"at a paragraph", "aaaa bbbb\n\ncccc dddd", 12, []string{"aaaa bbbb", "cccc dddd"}},
		{"at a line when the paragraph break is too early", "aa\n\nbbbbbbb\ncccc", 12, []string{"aa\n\nbbbbbbb", "cccc"}},
		{"at a word", "een twee drie vier", 9, []string{"een twee", "drie vier"}},
		{"inside a word longer than a message", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"an emoji counts as two units and is never cut", "ab😀cd", 3, []string{"ab", "😀c", "d"}},
		{"accented letters count once", "ééé ééé", 3, []string{"ééé", "ééé"}},
	}
	for _, tc := range cases {
		t.Run(tc.Label, func(t *testing.T) {
			got := splitText(tc.Text, tc.Limit)
			if !reflect.DeepEqual(got, tc.Want) {
				t.Errorf("splitText(%q, %d) = %q, want %q", tc.Text, tc.Limit, got, tc.Want)
			}
			for _, part := range got {
				if utf16Len(part) > tc.Limit {
					t.Errorf("part %q is %d units, over %d", part, utf16Len(part), tc.Limit)
				}
			}
		})
	}
}

func TestSplitTextLosesNoWords(t *testing.T) {
	text := strings.Repeat("Uw betalingsregeling is akkoord.\nDe eerste termijn is €50,00.\n\n", 300)
	parts := splitText(text, maxMessageUnits)
	if got, want := strings.Fields(strings.Join(parts, " ")), strings.Fields(text); !reflect.DeepEqual(got, want) {
		t.Errorf("words differ after splitting into %d parts", len(parts))
	}
}
