package twilio

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SMS segment budgets. A single GSM-7 SMS holds 160 septets, a part of a
// concatenated one 153 (the header takes the rest); UCS-2 holds 70 UTF-16
// units, 67 per part. One character outside GSM-7 (an emoji, "ë", "ç")
// makes the whole message UCS-2.
const (
	gsmSingle  = 160
	gsmPart    = 153
	ucs2Single = 70
	ucs2Part   = 67
	// MaxSegmentsPerMessage is how many segments the Sender puts in one
	// message: Twilio concatenates them and every phone reassembles three
	// reliably; longer texts are sent as several messages.
	MaxSegmentsPerMessage = 3
	// whatsAppMaxRunes is the Messages API's limit on Body (error 21617).
	whatsAppMaxRunes = 1600
)

// gsmBasic is the GSM 03.38 default alphabet (one septet each).
const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// gsmExtension are the characters sent as escape + character (two septets).
const gsmExtension = "\f^{}\\[~]|€"

// gsmSeptets maps each GSM-7 character to its cost in septets.
var gsmSeptets = func() map[rune]int {
	m := map[rune]int{}
	for _, r := range gsmBasic {
		m[r] = 1
	}
	for _, r := range gsmExtension {
		m[r] = 2
	}
	return m
}()

// septets is the cost of r in GSM-7, 0 when r is not in GSM-7.
func septets(r rune) int { return gsmSeptets[r] }

// IsGSM7 reports whether text can be sent in the GSM-7 alphabet.
func IsGSM7(text string) bool {
	for _, r := range text {
		if septets(r) == 0 {
			return false
		}
	}
	return true
}

// Segments is the number of SMS segments text takes (0 for ""). Parts are
// filled the way phones do: an escape pair or a surrogate pair is never
// split across two segments.
func Segments(text string) int {
	if text == "" {
		return 0
	}
	single, part, cost := ucs2Single, ucs2Part, utf16Units
	if IsGSM7(text) {
		single, part, cost = gsmSingle, gsmPart, septets
	}
	total := 0
	for _, r := range text {
		total += cost(r)
	}
	if total <= single {
		return 1
	}
	segments, used := 1, 0
	for _, r := range text {
		c := cost(r)
		if used+c > part {
			segments++
			used = 0
		}
		used += c
	}
	return segments
}

func utf16Units(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// SplitSMS splits text into messages of at most MaxSegmentsPerMessage
// segments each, cutting at a paragraph, then a line, a sentence, a word,
// and only when a word is longer than a message, inside it. A text that
// fits comes back whole; no part is empty; whitespace at a cut is dropped.
func SplitSMS(text string) []string {
	// Every character costs at least one septet or UTF-16 unit, so no
	// message holds more than 3 × 153 characters.
	return splitText(text, MaxSegmentsPerMessage*gsmPart, func(s string) bool { return Segments(s) <= MaxSegmentsPerMessage })
}

// splitWhatsApp splits text into messages Twilio accepts as a WhatsApp Body.
func splitWhatsApp(text string) []string {
	return splitText(text, whatsAppMaxRunes, func(s string) bool { return utf8.RuneCountInString(s) <= whatsAppMaxRunes })
}

// splitText cuts text into the fewest pieces that fit, at natural
// boundaries. fits must be monotonic (a prefix of a fitting text fits)
// and refuse anything over maxRunes runes, which bounds the search.
func splitText(text string, maxRunes int, fits func(string) bool) []string {
	var parts []string
	rest := strings.TrimSpace(text)
	for rest != "" {
		if runesAtMost(rest, maxRunes) && fits(rest) {
			parts = append(parts, rest)
			break
		}
		end := longestFit(rest, maxRunes, fits)
		window := rest[:end]
		if end < len(rest) && (rest[end] == ' ' || rest[end] == '\n') {
			// The fitting prefix ends right before white space: that is a
			// boundary too, so let the search see it.
			window = rest[:end+1]
		}
		cut := min(bestCut(window), end)
		part := strings.TrimRightFunc(rest[:cut], unicode.IsSpace)
		parts = append(parts, part)
		rest = strings.TrimLeftFunc(rest[cut:], unicode.IsSpace)
	}
	return parts
}

// runesAtMost reports whether s has at most n runes, reading no further
// than needed (rest may be long; this runs once per part).
func runesAtMost(s string, n int) bool {
	count := 0
	for range s {
		if count++; count > n {
			return false
		}
	}
	return true
}

// longestFit is the byte length of the longest prefix of s (ending on a
// rune boundary) that fits; at least one rune, so splitting always moves.
func longestFit(s string, maxRunes int, fits func(string) bool) int {
	var bounds []int // byte offsets after each of the first maxRunes runes
	for i := 0; i < len(s) && len(bounds) < maxRunes; {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		bounds = append(bounds, i)
	}
	lo, hi := 0, len(bounds)-1 // bounds[lo] is a candidate; find the last that fits
	if !fits(s[:bounds[0]]) {
		return bounds[0]
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fits(s[:bounds[mid]]) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return bounds[lo]
}

// bestCut picks where to end a message inside window (the prefix of the
// text that fits, plus the white space after it if any): the last paragraph break, line break, sentence end or
// space, preferring the larger boundary unless it would leave the message
// less than a third full; else the whole prefix.
func bestCut(window string) int {
	floor := len(window) / 3
	for _, find := range []func(string) int{paragraphEnd, lineEnd, sentenceEnd} {
		if i := find(window); i > floor {
			return i
		}
	}
	if i := strings.LastIndexFunc(window, unicode.IsSpace); i > 0 {
		return i
	}
	return len(window)
}

func paragraphEnd(s string) int { return strings.LastIndex(s, "\n\n") }
func lineEnd(s string) int      { return strings.LastIndex(s, "\n") }

// sentenceEnd is the offset just after the last ".", "!" or "?" that is
// followed by white space.
func sentenceEnd(s string) int {
	for i := len(s) - 2; i > 0; i-- {
		if strings.IndexByte(".!?", s[i]) >= 0 && (s[i+1] == ' ' || s[i+1] == '\n') {
			return i + 1
		}
	}
	return -1
}
