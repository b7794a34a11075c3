package telegram

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxMessageUnits is Telegram's limit on a message's text: 4096
// characters, counted as UTF-16 code units (an emoji outside the BMP
// counts twice), which is how Telegram measures text.
const maxMessageUnits = 4096

// splitText cuts text into parts of at most limit UTF-16 units. Each cut is
// at the last paragraph break in the second half of the part, else the last
// line break there, else the last space, and mid-word only when one word
// is longer than a message. Whitespace at the cuts is dropped; nothing else
// is changed or lost.
func splitText(text string, limit int) []string {
	var parts []string
	for utf16Len(text) > limit {
		head := prefixUnits(text, limit)
		if head == "" { // a limit below one character: never loop forever
			_, size := utf8.DecodeRuneInString(text)
			head = text[:size]
		}
		cut, skip := len(head), 0
		for _, sep := range []string{"\n\n", "\n", " "} {
			i := strings.LastIndex(head, sep)
			if i > 0 && (sep == " " || i >= len(head)/2) {
				cut, skip = i, len(sep)
				break
			}
		}
		if part := strings.TrimRight(text[:cut], " \n"); part != "" {
			parts = append(parts, part)
		}
		text = strings.TrimLeft(text[cut+skip:], " \n")
	}
	if text != "" || len(parts) == 0 {
		parts = append(parts, text)
	}
	return parts
}

// prefixUnits is the longest prefix of s, whole runes only, of at most
// limit UTF-16 units.
func prefixUnits(s string, limit int) string {
	units := 0
	for i, r := range s {
		units += utf16.RuneLen(r)
		if units > limit {
			return s[:i]
		}
	}
	return s
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
