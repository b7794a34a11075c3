package dialogs

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on the work done for one message. A chat message is a few words;
// anything longer is pasted text (an e-mail, a letter, spam). Only the first
// maxInputBytes are read and at most maxTokens words are considered, so a
// 10 kB message costs the same as a 2 kB one and cannot slow the bot down.
const (
	maxInputBytes = 2048
	maxTokens     = 160
)

// foldTable maps accented Latin letters (already lower-cased) to their plain
// form, so "déjà", "reçu" and "één" match the lexicons written without
// accents. Debtors type with and without accents; matching ignores them.
var foldTable = func() map[rune]string {
	groups := map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ďđ", "e": "èéêëēĕėęě",
		"g": "ĝğġģ", "h": "ĥħ", "i": "ìíîïĩīĭįı", "j": "ĵ", "k": "ķ",
		"l": "ĺļľŀł", "n": "ñńņňŉ", "o": "òóôõöøōŏő", "r": "ŕŗř",
		"s": "śŝşš", "t": "ţťŧ", "u": "ùúûüũūŭůűų", "w": "ŵ", "y": "ýÿŷ",
		"z": "źżž", "ss": "ß", "ae": "æ", "oe": "œ", "ij": "ĳ",
	}
	m := make(map[rune]string)
	for plain, accented := range groups {
		for _, r := range accented {
			m[r] = plain
		}
	}
	return m
}()

// normalize prepares a message for matching: lower case, accents removed,
// typographic quotes and dashes made plain, control characters, emoji and
// other symbols turned into spaces, whitespace collapsed. Letters of other
// scripts (Arabic, Cyrillic …) are kept; they simply match nothing.
// Punctuation that carries meaning for amounts and dates (. , - / : € +)
// is kept.
func normalize(text string) string {
	if len(text) > maxInputBytes {
		cut := maxInputBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	var b strings.Builder
	b.Grow(len(text))
	pendingSpace := false
	for _, r := range text { // invalid UTF-8 arrives as utf8.RuneError
		out, ok := foldRune(r)
		if !ok {
			pendingSpace = b.Len() > 0
			continue
		}
		if pendingSpace {
			b.WriteByte(' ')
			pendingSpace = false
		}
		b.WriteString(out)
	}
	return b.String()
}

// foldRune returns the normalised form of r, or ok=false when r separates
// words (space, control character, emoji, unknown symbol).
func foldRune(r rune) (string, bool) {
	switch r {
	case '\'', '’', '‘', '`', '´', 'ʼ', '′':
		return "'", true
	case '‐', '‑', '‒', '–', '—', '−':
		return "-", true
	case '€':
		return "€", true
	case utf8.RuneError:
		return "", false
	}
	if r < utf8.RuneSelf {
		c := byte(r)
		switch {
		case c >= 'A' && c <= 'Z':
			return string(rune(c + 'a' - 'A')), true
		case c <= ' ' || c == 0x7f:
			return "", false
		}
		return string(rune(c)), true
	}
	if unicode.IsSpace(r) || unicode.IsControl(r) {
		return "", false
	}
	l := unicode.ToLower(r)
	if s, ok := foldTable[l]; ok {
		return s, true
	}
	if unicode.IsLetter(l) {
		return string(l), true
	}
	return "", false
}

// token is one word or digit run of a normalised message.
type token struct {
	text       string
	start, end int  // byte offsets in the normalised text
	digits     bool // made of ASCII digits only
}

// tokenize splits a normalised message into words (runs of letters) and
// numbers (runs of digits). Apostrophes and hyphens separate words, so
// "j'ai" is "j ai" and "can't" is "can t"; the lexicons are written through
// the same function so both sides agree.
func tokenize(norm string) []token {
	toks := make([]token, 0, 16)
	i := 0
	for i < len(norm) && len(toks) < maxTokens {
		r, size := utf8.DecodeRuneInString(norm[i:])
		class := runeClass(r)
		if class == 0 {
			i += size
			continue
		}
		start := i
		for i < len(norm) {
			r, size = utf8.DecodeRuneInString(norm[i:])
			if runeClass(r) != class {
				break
			}
			i += size
		}
		if at, ok := contractions[norm[start:i]]; ok && len(toks)+1 < maxTokens {
			toks = append(toks, token{text: norm[start : start+at], start: start, end: start + at},
				token{text: norm[start+at : i], start: start + at, end: i})
			continue
		}
		toks = append(toks, token{text: norm[start:i], start: start, end: i, digits: class == 2})
	}
	return toks
}

// contractions are contracted words typed without their apostrophe, as
// debtors do on a phone keyboard ("dont", "im", "jai"), with where the
// apostrophe belongs. They are split as if it were there, so "I dont owe
// this" and "I don't owe this" read alike. Only forms that are no ordinary
// word of the three languages are listed ("ill", "wont", "well" are).
var contractions = map[string]int{
	"dont": 3, "didnt": 4, "doesnt": 5, "isnt": 3, "wasnt": 4, "arent": 4, "werent": 5, "havent": 5,
	"hasnt": 4, "hadnt": 4, "cant": 3, "couldnt": 5, "wouldnt": 5, "shouldnt": 6,
	"im": 1, "ive": 1, "youre": 3, "theyre": 4,
	"jai": 1, "cest": 1, "jsuis": 1, "jpeux": 1, "jveux": 1, "jsais": 1,
}

// runeClass is 1 for letters, 2 for ASCII digits, 0 for separators.
func runeClass(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return 2
	case r >= 'a' && r <= 'z':
		return 1
	case r >= utf8.RuneSelf && unicode.IsLetter(r):
		return 1
	}
	return 0
}

// words returns the texts of the tokens.
func tokenTexts(toks []token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.text
	}
	return out
}

// editDistance is the optimal-string-alignment (restricted Damerau-
// Levenshtein) distance between a and b, counting a swap of two adjacent
// letters as one edit ("factuur"/"facturu"). It only computes the band of
// cells within max of the diagonal and returns max+1 as soon as the
// distance must exceed max, which keeps fuzzy matching cheap. Words longer
// than maxFuzzyLen are never fuzzy matches.
func editDistance(a, b string, max int) int {
	if d := len(a) - len(b); d > max || -d > max || len(a) > maxFuzzyLen || len(b) > maxFuzzyLen {
		return max + 1
	}
	const far = maxFuzzyLen + 8
	var rows [3][maxFuzzyLen + 1]int8
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = int8(j)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := i-max, i+max
		if lo < 1 {
			lo = 1
		}
		if hi > len(b) {
			hi = len(b)
		}
		cur[0] = int8(i)
		if lo > 1 {
			cur[lo-1] = far
		}
		rowMin := int8(far)
		if lo == 1 {
			rowMin = cur[0]
		}
		for j := lo; j <= hi; j++ {
			cost := int8(1)
			if a[i-1] == b[j-1] {
				cost = 0
			}
			up := int8(far)
			if j <= i-1+max {
				up = prev[j] + 1
			}
			v := min(up, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if hi < len(b) {
			cur[hi+1] = far
		}
		if int(rowMin) > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if d := int(prev[len(b)]); d <= max {
		return d
	}
	return max + 1
}

// maxFuzzyLen bounds the words compared fuzzily; longer ones are no
// ordinary words.
const maxFuzzyLen = 40

// letterMask is the set of letters a-z in s. Each edit changes the set by at
// most two letters, so two words whose masks differ in more than 2*max
// letters cannot be within max edits: a cheap test before editDistance.
func letterMask(s string) uint32 {
	var m uint32
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			m |= 1 << (c - 'a')
		} else {
			m |= 1 << 26
		}
	}
	return m
}

// mayBeWithin reports whether a and b can be within max edits judging by
// their letter masks.
func mayBeWithin(ma, mb uint32, max int) bool {
	return bits.OnesCount32(ma^mb) <= 2*max
}

// fuzzyLimit is how many edits a word of n letters may contain and still be
// recognised: none below 5 letters (too many short words are one letter
// apart: "dag"/"dat", "bel"/"wel"), one from 5, two from 9.
func fuzzyLimit(n int) int {
	switch {
	case n >= 9:
		return 2
	case n >= 5:
		return 1
	}
	return 0
}
