package dialogs

import "strings"

// Numbers written as words, in Dutch, English and French. Dutch writes
// compounds as one word ("vijfentwintig", "tweehonderdvijftig"); English and
// French use separate words or hyphens ("twenty-five", "quatre-vingt-dix"),
// which tokenize already split.

// numberWords are the words that stand for one value on their own.
var numberWords = map[string]int{
	// Dutch
	"nul": 0, "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
	"negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
	"zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19, "twintig": 20, "dertig": 30,
	"veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80, "negentig": 90,
	"honderd": 100, "duizend": 1000,
	// English
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
	"forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
	"thousand": 1000,
	// French (Belgian septante/nonante included)
	"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7,
	"huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
	"seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
	"septante": 70, "huitante": 80, "octante": 80, "nonante": 90, "cent": 100, "cents": 100, "mille": 1000,
}

// maxNumberWord bounds numbers written in words; nobody spells out more.
const maxNumberWord = 999_999

// ParseNumberWord reads a whole number written in words: "zes",
// "vijfentwintig", "tweehonderd", "twenty-five", "one hundred and fifty",
// "quatre-vingt-dix", "vingt et un". Digits are not accepted here.
func ParseNumberWord(s string) (int, bool) {
	var parts []string
	for _, t := range tokenize(normalize(s)) {
		if t.digits {
			return 0, false
		}
		parts = append(parts, t.text)
	}
	return numberFromWords(parts)
}

// numberFromWords combines number words: units add up, "hundred" multiplies
// what came before, "thousand" closes a group. "and"/"et" may join words.
func numberFromWords(parts []string) (int, bool) {
	total, current, seen := 0, 0, false
	prev := -1
	for i, p := range parts {
		if (p == "and" || p == "et") && i > 0 && i < len(parts)-1 {
			continue
		}
		v, ok := numberWord(p)
		if !ok {
			return 0, false
		}
		switch {
		case v == 100:
			current = max(current, 1) * 100
		case v == 1000:
			total += max(current, 1) * 1000
			current = 0
		case v >= 1000: // a Dutch compound with duizend in it
			total += v
			current = 0
		case v == 20 && prev == 4 && current%100 == 4: // quatre-vingt
			current += 76
		case v < 10 && current%10 != 0: // "five five" is no number
			return 0, false
		default:
			current += v
		}
		prev, seen = v, true
		if total+current > maxNumberWord {
			return 0, false
		}
	}
	return total + current, seen
}

// numberWord is the value of one word, Dutch compounds included.
func numberWord(w string) (int, bool) {
	if v, ok := numberWords[w]; ok {
		return v, true
	}
	return dutchCompound(w)
}

// dutchCompound reads a Dutch number written as one word:
// "vijfentwintig" (5 and 20), "tweehonderdvijftig", "drieduizend".
func dutchCompound(w string) (int, bool) {
	if len(w) < 6 || len(w) > 60 {
		return 0, false
	}
	for _, big := range []struct {
		word string
		mult int
	}{{"duizend", 1000}, {"honderd", 100}} {
		i := strings.Index(w, big.word)
		if i < 0 {
			continue
		}
		left, right := w[:i], strings.TrimPrefix(w[i+len(big.word):], "en")
		l, r := 1, 0
		var ok bool
		if left != "" {
			if l, ok = numberWord(left); !ok || l < 1 || l >= big.mult*10 {
				return 0, false
			}
		}
		if right != "" {
			if r, ok = numberWord(right); !ok || r >= big.mult {
				return 0, false
			}
		}
		return l*big.mult + r, true
	}
	// unit + "en" + tens: vijfentwintig, tweeentwintig (tweeëntwintig)
	for i := strings.Index(w, "en"); i > 0; {
		unit, uok := numberWords[w[:i]]
		tens, tok := numberWords[w[i+2:]]
		if uok && tok && unit >= 1 && unit <= 9 && tens >= 20 && tens <= 90 && tens%10 == 0 {
			return tens + unit, true
		}
		next := strings.Index(w[i+1:], "en")
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return 0, false
}

// isNumberWord reports whether w is a number word, for scanning free text.
func isNumberWord(w string) bool {
	_, ok := numberWord(w)
	return ok
}
