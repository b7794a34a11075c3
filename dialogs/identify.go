package dialogs

import (
	"regexp"
	"strings"
	"time"
)

// Identification details a debtor types when asked to verify: a dossier
// number, a postcode, a date of birth. They are recognised wherever they
// appear so that they are never mistaken for amounts.
//
// Postcodes: a Dutch postcode ("1234 AB", "1234ab") is recognised anywhere.
// A Belgian postcode is four digits, which is also an amount, a year or a
// count; it is taken as a postcode only right after the word "postcode" /
// "code postal" / "postal code". Elsewhere four-digit numbers go to
// Understanding.Numbers and the state machine, which knows it asked for a
// postcode, decides.

// dossierRef matches "IB-2026-000123" typed with or without dashes, with
// spaces, in any case. Other two- or three-letter prefixes are accepted
// only when joined to the digits by a dash or nothing, since "ik 2026 …"
// is no reference.
var dossierRef = regexp.MustCompile(`(?:^|[^a-z0-9])(ib|[a-z]{2,3})([ -]?)(20\d\d|19\d\d)[ /-]?(\d{6})(?:$|[^0-9])`)

// dutchPostcode matches "1234AB" / "1234 ab"; SA, SD and SS are not issued.
var dutchPostcode = regexp.MustCompile(`(?:^|[^0-9a-z€.,])([1-9]\d{3}) ?([a-z]{2})(?:$|[^a-z])`)

// notPostcodeLetters are two-letter words that may follow a number ("1000
// en", "50 eu"), so "1234 en" is no postcode.
var notPostcodeLetters = map[string]bool{
	"sa": true, "sd": true, "ss": true, "en": true, "in": true, "op": true, "of": true, "is": true, "te": true,
	"ik": true, "je": true, "de": true, "na": true, "om": true, "to": true, "at": true, "on": true, "or": true,
	"an": true, "as": true, "be": true, "by": true, "do": true, "go": true, "he": true, "if": true, "it": true,
	"me": true, "my": true, "no": true, "so": true, "up": true, "us": true, "we": true, "la": true, "le": true,
	"et": true, "ou": true, "un": true, "du": true, "au": true, "ne": true, "eu": true, "ok": true,
	"pm": true, "am": true, "st": true, "nd": true, "rd": true, "th": true, "er": true, "ct": true, "al": true,
	"zo": true, "ja": true, "nu": true, "ze": true, "er ": true, "pp": true, "mn": true, "id": true,
}

// identification is what findIdentification found.
type identification struct {
	ref, postcode string
}

// findIdentification finds phone numbers (ignored), a dossier reference and
// a postcode, and marks their tokens used.
func findIdentification(norm string, toks []token, used []bool) identification {
	var id identification
	// The dossier number first: its digit groups ("…-000777") would
	// otherwise start a "phone number" that swallows a postcode or birth
	// date typed after it ("IB-2026-000777 1234AB").
	if m := dossierRef.FindStringSubmatchIndex(norm); m != nil {
		prefix, sep := norm[m[2]:m[3]], norm[m[4]:m[5]]
		if prefix == "ib" || sep != " " {
			id.ref = strings.ToUpper(prefix) + "-" + norm[m[6]:m[7]] + "-" + norm[m[8]:m[9]]
			markSpan(toks, used, m[2], m[9])
		}
	}
	markPhones(norm, toks, used)
	for _, m := range dutchPostcode.FindAllStringSubmatchIndex(norm, 4) {
		letters := norm[m[4]:m[5]]
		spaced := m[4] > m[3]
		if spaced && notPostcodeLetters[letters] || letters == "sa" || letters == "sd" || letters == "ss" {
			continue
		}
		if spanUsed(toks, used, m[2], m[5]) {
			continue
		}
		id.postcode = norm[m[2]:m[3]] + strings.ToUpper(letters)
		markSpan(toks, used, m[2], m[5])
		break
	}
	if id.postcode == "" {
		id.postcode = belgianPostcode(toks, used)
	}
	return id
}

// belgianPostcode takes four digits right after the word postcode.
func belgianPostcode(toks []token, used []bool) string {
	for i, t := range toks {
		if t.text != "postcode" && t.text != "postal" && t.text != "postale" && t.text != "postnummer" {
			continue
		}
		for j := i + 1; j < len(toks) && j <= i+3; j++ {
			if toks[j].digits && len(toks[j].text) == 4 && toks[j].text[0] != '0' && !used[j] {
				used[j] = true
				return toks[j].text
			}
		}
	}
	return ""
}

// markPhones marks phone numbers: a run of digit groups separated by single
// spaces or dashes that starts with "+" or "0" and holds 9 to 15 digits
// ("0612345678", "06-12345678", "+32 470 12 34 56"). Phone numbers are
// neither amounts nor counts.
func markPhones(norm string, toks []token, used []bool) {
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		plus := t.start > 0 && norm[t.start-1] == '+'
		if used[i] || !t.digits || !plus && t.text[0] != '0' {
			continue
		}
		n, j := len(t.text), i
		for j+1 < len(toks) && !used[j+1] && toks[j+1].digits && toks[j+1].start == toks[j].end+1 &&
			(norm[toks[j].end] == ' ' || norm[toks[j].end] == '-') && n+len(toks[j+1].text) <= 15 {
			j++
			n += len(toks[j].text)
		}
		if n >= 9 {
			for k := i; k <= j; k++ {
				used[k] = true
			}
			i = j
		}
	}
}

func markSpan(toks []token, used []bool, from, to int) {
	for i, t := range toks {
		if t.start >= from && t.end <= to {
			used[i] = true
		}
	}
}

func spanUsed(toks []token, used []bool, from, to int) bool {
	for i, t := range toks {
		if t.start >= from && t.end <= to && used[i] {
			return true
		}
	}
	return false
}

// birthDate picks, from the full dates of a message, one that is plausibly
// a date of birth: 16 to 120 years before today.
func birthDate(ds []dateMention, today time.Time) (*time.Time, []dateMention) {
	for i, d := range ds {
		if d.withYear && !d.day.After(today.AddDate(-16, 0, 0)) && d.day.After(today.AddDate(-120, 0, 0)) {
			day := d.day
			return &day, append(ds[:i:i], ds[i+1:]...)
		}
	}
	return nil, ds
}
