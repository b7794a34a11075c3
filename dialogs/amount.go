package dialogs

import (
	"strings"

	"github.com/shopspring/decimal"
)

// Amounts of money in debtor text.
//
// Separator rule (Dutch first, English understood):
//   - both "." and "," present: the last one is the decimal separator and the
//     other groups thousands: "1.234,56" and "1,234.56" are 1234.56;
//   - one separator followed by 1 or 2 digits is decimal: "12,50", "12.50",
//     "1.5" (1.50);
//   - one or more separators each followed by exactly 3 digits group
//     thousands: "1.000" and "1,000" are 1000, "1.234.567" is 1234567 —
//     nobody writes money with three decimals, so "12,345" is not 12.345;
//   - anything else ("1.2345", "1.23.4", ".5") is not an amount.
//
// Amounts are never negative, have at most 2 decimals and at most
// maxAmount; "€50,-" is 50 (the Dutch dash means "no cents").
var maxAmount = decimal.NewFromInt(10_000_000)

// currencyWords name the euro before or after a number.
var currencyWords = map[string]bool{"euro": true, "euros": true, "eur": true, "eu": false}

// ParseAmount reads one amount typed on its own: "1.234,56", "€ 50",
// "50 euro", "EUR 50", "50€", "€50,-", "vijftig euro", "fifty euros",
// "cinquante euros". It reports false for anything else, for negative
// amounts, more than two decimals and amounts above 10 million.
func ParseAmount(s string) (decimal.Decimal, bool) {
	n := strings.TrimSpace(normalize(s))
	n = strings.TrimSpace(strings.TrimPrefix(n, "€"))
	for _, w := range []string{"euros", "euro", "eur"} {
		if strings.HasPrefix(n, w) && len(n) > len(w) && !letterByte(n[len(w)]) {
			n = strings.TrimSpace(n[len(w):])
			break
		}
	}
	n = strings.TrimSpace(strings.TrimSuffix(n, "€"))
	for _, w := range []string{"euros", "euro", "eur"} {
		if strings.HasSuffix(n, w) && len(n) > len(w) && !letterByte(n[len(n)-len(w)-1]) {
			n = strings.TrimSpace(n[:len(n)-len(w)])
			break
		}
	}
	n = strings.TrimSpace(strings.TrimSuffix(n, "€"))
	for _, dash := range []string{",--", ",-", ".-", ",="} {
		if strings.HasSuffix(n, dash) {
			n = n[:len(n)-len(dash)]
			break
		}
	}
	if n == "" {
		return decimal.Decimal{}, false
	}
	if n[0] >= '0' && n[0] <= '9' {
		return parseNumeral(n)
	}
	v, ok := ParseNumberWord(n)
	if !ok {
		return decimal.Decimal{}, false
	}
	return checkAmount(decimal.NewFromInt(int64(v)))
}

// parseNumeral applies the separator rule to digits with "." and ",".
func parseNumeral(s string) (decimal.Decimal, bool) {
	dot, comma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
	intPart, frac, thousands := s, "", byte(0)
	switch {
	case dot >= 0 && comma >= 0:
		dec := max(dot, comma)
		intPart, frac = s[:dec], s[dec+1:]
		thousands = ','
		if dec == comma {
			thousands = '.'
		}
		if frac == "" || len(frac) > 2 {
			return decimal.Decimal{}, false
		}
	case dot >= 0 || comma >= 0:
		sep := byte('.')
		if comma >= 0 {
			sep = ','
		}
		last := max(dot, comma)
		if tail := len(s) - last - 1; strings.Count(s, string(sep)) == 1 && (tail == 1 || tail == 2) {
			intPart, frac = s[:last], s[last+1:]
		} else {
			thousands = sep
		}
	}
	digits, ok := ungroup(intPart, thousands)
	if !ok || !allASCIIDigits(frac) {
		return decimal.Decimal{}, false
	}
	if frac != "" {
		digits += "." + frac
	}
	d, err := decimal.NewFromString(digits)
	if err != nil {
		return decimal.Decimal{}, false
	}
	return checkAmount(d)
}

// ungroup removes thousands separators, checking the groups are 1–3 digits
// then exactly 3 each.
func ungroup(s string, sep byte) (string, bool) {
	if sep == 0 {
		return s, s != "" && allASCIIDigits(s) && len(s) <= 12
	}
	groups := strings.Split(s, string(sep))
	for i, g := range groups {
		if !allASCIIDigits(g) || g == "" || (i == 0 && len(g) > 3) || (i > 0 && len(g) != 3) {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

// checkAmount enforces the limits every amount obeys.
func checkAmount(d decimal.Decimal) (decimal.Decimal, bool) {
	if d.Sign() < 0 || d.GreaterThan(maxAmount) || d.Exponent() < -2 && !d.Equal(d.Round(2)) {
		return decimal.Decimal{}, false
	}
	return d, true
}

func allASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func digitByte(c byte) bool  { return c >= '0' && c <= '9' }
func letterByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 0x80 }

// termWords follow a count of installments: "6 termijnen", "in 6 keer",
// "10x", "12 months", "en 3 fois".
var termWords = map[string]bool{
	"termijn": true, "termijnen": true, "maanden": true, "keer": true, "keren": true, "x": true, "maal": true,
	"delen": true, "betalingen": true, "installments": true, "instalments": true, "installment": true,
	"payments": true, "months": true, "times": true, "parts": true, "fois": true, "mensualites": true,
	"mois": true, "versements": true, "echeances": true, "porties": true, "maandtermijnen": true,
	"schijven": true, "schijf": true, "stukken": true, "afbetalingen": true,
	"parties": true, "tranches": true,
}

// notMoneyAfter are words after a number that make it no amount: clock
// times, percentages, counts of days and weeks, ordinals.
var notMoneyAfter = map[string]bool{
	"uur": true, "u": true, "h": true, "uhr": true, "am": true, "pm": true, "heure": true, "heures": true,
	"procent": true, "percent": true, "pourcent": true, "dagen": true, "days": true, "jours": true,
	"weken": true, "weeks": true, "semaines": true, "jaar": true, "years": true, "ans": true,
	"e": true, "ste": true, "de": false, "th": true, "st": true, "nd": true, "rd": true, "er": true, "eme": true,
	"kinderen": true, "children": true, "enfants": true,
}

// numberFinds is what the number scan found.
type numberFinds struct {
	amounts   []decimal.Decimal
	numbers   []int
	terms     int
	perPeriod bool // an amount was followed by "per maand", "a month" …
}

// addAmount records an amount ending at token j and notes a period after it.
func (f *numberFinds) addAmount(v decimal.Decimal, j int, ev intentEvidence) {
	f.amounts = append(f.amounts, v)
	if ev.matchAt(cuePeriod, j+1, j+3) {
		f.perPeriod = true
	}
}

// scanNumbers finds amounts, installment counts and other whole numbers in
// a message. Tokens already used (dates, postcodes, dossier references,
// phone numbers) are skipped. A bare whole number is an amount only in a
// money context: a euro sign or word, a paying verb before it ("ik kan 100
// betalen"), a period after it ("100 a month"), or when it is the whole
// message (the state machine knows whether it asked for an amount).
func scanNumbers(norm string, toks []token, used []bool, ev intentEvidence) numberFinds {
	var f numberFinds
	for i := 0; i < len(toks); i++ {
		if used[i] {
			continue
		}
		var j int
		if toks[i].digits {
			j = f.numeral(norm, toks, i, ev)
		} else {
			j = f.wordNumber(toks, i, ev)
		}
		i = max(i, j)
	}
	return f
}

// numeral handles a number written in digits starting at token i and
// returns the index of its last token.
func (f *numberFinds) numeral(norm string, toks []token, i int, ev intentEvidence) int {
	start, j := toks[i].start, i
	for j+1 < len(toks) && toks[j+1].digits && toks[j+1].start == toks[j].end+1 &&
		(norm[toks[j].end] == '.' || norm[toks[j].end] == ',') {
		j++
	}
	end := toks[j].end
	raw := norm[start:end]
	rest := norm[end:]
	money := strings.HasPrefix(rest, ",-") || strings.HasPrefix(rest, ".-") || strings.HasPrefix(rest, ",=")
	if start > 0 && strings.ContainsRune("-/:+", rune(norm[start-1])) {
		return j // part of a range, time, phone number or malformed date
	}
	if !money && len(rest) > 1 && strings.ContainsRune("-/:", rune(rest[0])) && digitByte(rest[1]) {
		return j
	}
	if strings.HasPrefix(rest, "%") || strings.HasPrefix(rest, " %") {
		return j
	}
	money = money || strings.HasSuffix(strings.TrimRight(norm[:start], " "), "€") ||
		strings.HasPrefix(strings.TrimLeft(rest, " "), "€") ||
		(i > 0 && currencyWords[toks[i-1].text] && toks[i-1].end >= start-1)
	next := ""
	if j+1 < len(toks) {
		next = toks[j+1].text
	}
	money = money || currencyWords[next]
	value, ok := parseNumeral(raw)
	if !ok {
		return j
	}
	switch {
	case money:
		f.addAmount(value, j, ev)
	case termWords[next]:
		f.addTerms(value)
		return j + 1
	case notMoneyAfter[next] && (next != "e" && next != "ste" || toks[j+1].start == end):
		// a time, percentage, ordinal or count of something else
	case i != j:
		f.addAmount(value, j, ev) // "12,50", "1.000": written like money
	case len(raw) >= 8 || len(raw) > 1 && raw[0] == '0':
		// phone or account number, not a count and not money
	case ev.matchAt(cuePeriod, j+1, j+3) || ev.matchAt(cuePay, i-3, i-1) || ev.matchAt(cueMoney, i-2, i-1):
		f.addAmount(value, j, ev)
	case len(toks) == 1:
		f.addAmount(value, j, ev)
		f.numbers = append(f.numbers, int(value.IntPart()))
	default:
		f.numbers = append(f.numbers, int(value.IntPart()))
	}
	return j
}

// wordNumber handles a number written in words starting at token i and
// returns the index of its last token (i-1 when there is none).
func (f *numberFinds) wordNumber(toks []token, i int, ev intentEvidence) int {
	var parts []string
	j := i - 1
	for k := i; k < len(toks) && len(parts) < 8; k++ {
		w := toks[k].text
		if (w == "and" || w == "et") && len(parts) > 0 && k+1 < len(toks) && isNumberWord(toks[k+1].text) {
			parts = append(parts, w)
			continue
		}
		if !isNumberWord(w) {
			break
		}
		parts, j = append(parts, w), k
	}
	if j < i {
		return i - 1
	}
	parts = parts[:j-i+1]
	value, ok := numberFromWords(parts)
	if !ok {
		return j
	}
	next := ""
	if j+1 < len(toks) {
		next = toks[j+1].text
	}
	article := len(parts) == 1 && (parts[0] == "een" || parts[0] == "un" || parts[0] == "une" || parts[0] == "one")
	d := decimal.NewFromInt(int64(value))
	switch {
	case currencyWords[next]:
		f.addAmount(d, j, ev)
	case termWords[next]:
		f.addTerms(d)
		return j + 1
	case article && len(toks) > 1:
		// "een regeling", "un plan": an article, not a number
	case notMoneyAfter[next]:
	case ev.matchAt(cuePeriod, j+1, j+3) || ev.matchAt(cuePay, i-3, i-1) || ev.matchAt(cueMoney, i-2, i-1):
		f.addAmount(d, j, ev)
	case j-i+1 == len(toks) && value >= 10:
		f.addAmount(d, j, ev) // "honderd" on its own
		f.numbers = append(f.numbers, value)
	default:
		f.numbers = append(f.numbers, value)
	}
	return j
}

// addTerms records an installment count; one "term" is paying at once and
// absurd counts are ignored.
func (f *numberFinds) addTerms(v decimal.Decimal) {
	if n := v.IntPart(); n >= 2 && n <= 120 && v.IsInteger() && f.terms == 0 {
		f.terms = int(n)
	}
}
