package dialogs

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// Dates in debtor text, resolved against now to calendar days
// (casestore.Date: UTC midnight; "today" is the day in Amsterdam).
//
// Resolution rules, chosen for promises and payments:
//   - a weekday name ("vrijdag", "friday", "vendredi") is the next such day
//     strictly after today: on a Friday, "vrijdag" is a week later, since a
//     debtor paying today says "vandaag". With "vorige/afgelopen/last/dernier"
//     it is the last such day strictly before today;
//   - "volgende week" / "next week" / "la semaine prochaine" is Monday of next
//     week; "vorige week" / "last week" is Monday of last week; "deze week" is
//     Friday of this week (today when that has passed);
//   - "eind van de maand" / "end of the month" / "fin du mois" is the last
//     day of this month; "begin volgende maand" and "volgende maand" the 1st
//     of next month; "eind volgende maand" its last day;
//   - "over 2 weken" / "in two weeks" / "dans 2 semaines": today + 14 days;
//     days and weeks the same with "in"; months only with "over"/"binnen"/
//     "dans"/"within", because "in 6 maanden" is usually a plan of 6 terms;
//   - a day and month without a year ("15-12", "1 december") is the next
//     such day from today on — a date in the past this year means next year —
//     except in a message about a payment already made, where it is the last
//     such day up to today.

// dateKind tells relative from absolute, future from past.
type dateMention struct {
	day      time.Time
	past     bool       // refers to the past ("gisteren", "vorige week")
	month    time.Month // set for a day and month written without a year
	dom      int
	withYear bool // written with a year: may be a birth date
}

// weekdayNames maps day names (NL, EN, FR, with common abbreviations) to
// weekdays. Two-letter Dutch abbreviations ("do", "ma", "zo") are left out:
// they are ordinary words.
var weekdayNames = map[string]time.Weekday{
	"maandag": time.Monday, "dinsdag": time.Tuesday, "woensdag": time.Wednesday, "donderdag": time.Thursday,
	"vrijdag": time.Friday, "zaterdag": time.Saturday, "zondag": time.Sunday,
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday,
	"friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
	"mon": time.Monday, "tue": time.Tuesday, "tues": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday,
	"thur": time.Thursday, "thurs": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
	"lundi": time.Monday, "mardi": time.Tuesday, "mercredi": time.Wednesday, "jeudi": time.Thursday,
	"vendredi": time.Friday, "samedi": time.Saturday, "dimanche": time.Sunday,
}

// monthNames maps month names and abbreviations (NL, EN, FR) to months.
var monthNames = map[string]time.Month{
	"januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
	"september": 9, "oktober": 10, "november": 11, "december": 12,
	"january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
	"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
	"septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
	"jan": 1, "feb": 2, "mrt": 3, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
	"okt": 10, "oct": 10, "nov": 11, "dec": 12, "janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7,
}

// ordinalSuffixes follow a day number: "15e", "1ste", "2de", "15th", "1er".
var ordinalSuffixes = map[string]bool{"e": true, "ste": true, "de": true, "th": true, "st": true, "nd": true, "rd": true, "er": true, "eme": true}

// ParseDate reads the first date in s ("15-12", "15 december", "vrijdag",
// "eind van de maand", "over 2 weken") as a calendar day, resolved against
// now by the rules above (a date without a year lies in the future).
func ParseDate(s string, now time.Time) (time.Time, bool) {
	norm := normalize(s)
	toks := tokenize(norm)
	ds := findDates(norm, toks, make([]bool, len(toks)), now, "", false)
	if len(ds) == 0 {
		return time.Time{}, false
	}
	return ds[0].day, true
}

// findDates finds every date in a message, in order, and marks the tokens
// it used. lang is the message's language ("hier" is yesterday only in
// French); split says the message spreads a payment, so "over 6 maanden"
// is a count of terms, not a date.
func findDates(norm string, toks []token, used []bool, now time.Time, lang casestore.Language, split bool) []dateMention {
	today := casestore.DayOf(now)
	var out []dateMention
	for i := 0; i < len(toks); i++ {
		if used[i] {
			continue
		}
		d, end, ok := numericDate(norm, toks, i, today)
		if !ok {
			d, end, ok = wordDate(toks, i, today)
		}
		if !ok {
			d, end, ok = relativeCount(toks, i, today, split)
		}
		if !ok {
			continue
		}
		for k := i; k <= end; k++ {
			used[k] = true
		}
		if i >= 2 && toks[i-1].text == "week" && (toks[i-2].text == "volgende" || toks[i-2].text == "komende") {
			used[i-1], used[i-2] = true, true // "volgende week vrijdag" is one date
		}
		out = append(out, d)
		i = end
	}
	out = append(out, phraseDates(toks, used, today, lang)...)
	return out
}

// numericDate reads "15-12", "15/12/2026", "15-12-26", "15.12.2026" and
// "2026-12-15" starting at token i; it returns the last token used.
func numericDate(norm string, toks []token, i int, today time.Time) (dateMention, int, bool) {
	if st := toks[i].start; !toks[i].digits || st >= 2 && strings.ContainsRune("-/.", rune(norm[st-1])) && digitByte(norm[st-2]) {
		return dateMention{}, 0, false
	}
	var parts []string
	sep := byte(0)
	j := i
	for k := i; k < len(toks) && len(parts) < 3; k++ {
		if !toks[k].digits {
			break
		}
		if k > i {
			c := norm[toks[k].start-1]
			if toks[k].start != toks[k-1].end+1 || (sep != 0 && c != sep) || (c != '-' && c != '/' && c != '.') {
				break
			}
			sep = c
		}
		parts, j = append(parts, toks[k].text), k
	}
	// a further "-digit" means a phone number or reference, not a date
	if e := toks[j].end; e+1 < len(norm) && (norm[e] == sep || norm[e] == '-' || norm[e] == '/') && digitByte(norm[e+1]) {
		return dateMention{}, 0, false
	}
	switch {
	case len(parts) == 2 && sep != '.' && len(parts[0]) <= 2 && len(parts[1]) <= 2:
		day, _ := strconv.Atoi(parts[0])
		mon, _ := strconv.Atoi(parts[1])
		if d, ok := dayMonth(day, time.Month(mon), today); ok {
			return d, j, true
		}
	case len(parts) == 3 && len(parts[0]) == 4 && len(parts[1]) <= 2 && len(parts[2]) <= 2:
		y, _ := strconv.Atoi(parts[0])
		mon, _ := strconv.Atoi(parts[1])
		day, _ := strconv.Atoi(parts[2])
		if d, ok := fullDate(y, time.Month(mon), day, today); ok {
			return d, j, true
		}
	case len(parts) == 3 && len(parts[0]) <= 2 && len(parts[1]) <= 2 && (len(parts[2]) == 2 || len(parts[2]) == 4):
		day, _ := strconv.Atoi(parts[0])
		mon, _ := strconv.Atoi(parts[1])
		if d, ok := fullDate(yearOf(parts[2], today), time.Month(mon), day, today); ok {
			return d, j, true
		}
	}
	return dateMention{}, 0, false
}

// yearOf reads a 2- or 4-digit year; "26" is 2026 and "80" is 1980 (a
// two-digit year more than 10 years ahead is taken as last century).
func yearOf(s string, today time.Time) int {
	y, _ := strconv.Atoi(s)
	if len(s) == 2 {
		if y <= today.Year()%100+10 {
			return 2000 + y
		}
		return 1900 + y
	}
	return y
}

// wordDate reads "15 december", "1 dec 2026", "15th of december",
// "december 15", "vijftien december", "begin/eind/half december" and
// weekday names starting at token i.
func wordDate(toks []token, i int, today time.Time) (dateMention, int, bool) {
	if d, end, ok := weekdayDate(toks, i, today); ok {
		return d, end, ok
	}
	day, j, ok := dayNumber(toks, i)
	if ok {
		k := j + 1
		if k < len(toks) && (toks[k].text == "of" || toks[k].text == "van") {
			k++
		}
		if k < len(toks) {
			if m, isMonth := monthWord(toks[k].text); isMonth {
				return withOptionalYear(toks, k, day, m, today)
			}
		}
		// "de 15e", "the 25th", "le 1er": a day of the month, the next one
		if j > i && i > 0 && dayArticles[toks[i-1].text] {
			return nextDayOfMonth(day, today), j, true
		}
		// French writes the day without a suffix: "je paie le 20", unless
		// an amount follows ("le 20 euros").
		if j == i && i > 0 && toks[i-1].text == "le" && toks[i].digits && (k >= len(toks) || !moneyWord(toks[k].text)) {
			return nextDayOfMonth(day, today), j, true
		}
		return dateMention{}, 0, false
	}
	m, isMonth := monthWord(toks[i].text)
	if !isMonth || len(toks[i].text) < 3 {
		return dateMention{}, 0, false
	}
	if i+1 < len(toks) {
		if day, j, ok := dayNumber(toks, i+1); ok {
			return withOptionalYear(toks, j, day, m, today)
		}
	}
	return monthPart(toks, i, m, today)
}

// withOptionalYear finishes a day-month date, taking a 4-digit year after
// token k when there is one.
func withOptionalYear(toks []token, k, day int, m time.Month, today time.Time) (dateMention, int, bool) {
	if k+1 < len(toks) && toks[k+1].digits && len(toks[k+1].text) == 4 {
		y, _ := strconv.Atoi(toks[k+1].text)
		if d, ok := fullDate(y, m, day, today); ok {
			return d, k + 1, true
		}
	}
	d, ok := dayMonth(day, m, today)
	return d, k, ok
}

// monthPart reads "begin/eind/half <month>" with the month at token i.
func monthPart(toks []token, i int, m time.Month, today time.Time) (dateMention, int, bool) {
	if i == 0 {
		return dateMention{}, 0, false
	}
	prev := toks[i-1].text
	if i >= 2 && (prev == "of" || prev == "du" || prev == "de" || prev == "van") {
		prev = toks[i-2].text
	}
	day := 0
	switch prev {
	case "begin", "start", "beginning", "debut", "early":
		day = 1
	case "half", "mid", "midden", "medio", "mi", "mi-":
		day = 15
	case "eind", "einde", "end", "fin", "late", "ultimo":
		day = 31
	default:
		return dateMention{}, 0, false
	}
	d, ok := dayMonth(min(day, daysIn(m, today.Year())), m, today)
	return d, i, ok
}

// dayNumber reads a day of the month (1–31) in digits or words at token i,
// with an ordinal suffix ("15e", "1st", "1er") when there is one.
func dayNumber(toks []token, i int) (int, int, bool) {
	t := toks[i]
	if t.digits {
		if len(t.text) > 2 {
			return 0, 0, false
		}
		n, _ := strconv.Atoi(t.text)
		if n < 1 || n > 31 {
			return 0, 0, false
		}
		if i+1 < len(toks) && toks[i+1].start == t.end && ordinalSuffixes[toks[i+1].text] {
			return n, i + 1, true
		}
		return n, i, true
	}
	if n, ok := numberWord(t.text); ok && n >= 1 && n <= 31 && t.text != "een" && t.text != "one" && t.text != "un" && t.text != "une" {
		return n, i, true
	}
	if t.text == "premier" || t.text == "first" || t.text == "eerste" {
		return 1, i, true
	}
	return 0, 0, false
}

// monthWord recognises a month name, with one typo in names of 5 letters
// or more ("decmber").
func monthWord(w string) (time.Month, bool) {
	if m, ok := monthNames[w]; ok {
		return m, true
	}
	if fuzzyLimit(len(w)) > 0 {
		mw := letterMask(w)
		for _, n := range fuzzyMonths {
			if mayBeWithin(mw, n.mask, 1) && editDistance(w, n.name, 1) <= 1 {
				return monthNames[n.name], true
			}
		}
	}
	return 0, false
}

// fuzzyName is a month or weekday name long enough for fuzzy matching.
type fuzzyName struct {
	name string
	mask uint32
}

var fuzzyMonths, fuzzyWeekdays = fuzzyNames(monthNames), fuzzyNames(weekdayNames)

// fuzzyNames lists the names of 5 letters or more, sorted so that a typo
// close to two names resolves the same way every time.
func fuzzyNames[V any](m map[string]V) []fuzzyName {
	var out []fuzzyName
	for name := range m {
		if len(name) >= 5 {
			out = append(out, fuzzyName{name, letterMask(name)})
		}
	}
	slices.SortFunc(out, func(a, b fuzzyName) int { return strings.Compare(a.name, b.name) })
	return out
}

// weekdayDate reads a weekday name at token i, with "vorige/afgelopen/
// last" before or "dernier/passé" after making it past, and "volgende week"
// before it meaning that day of next week.
func weekdayDate(toks []token, i int, today time.Time) (dateMention, int, bool) {
	wd, ok := weekdayNames[toks[i].text]
	if w := toks[i].text; !ok && len(w) >= 5 {
		mw := letterMask(w)
		for _, n := range fuzzyWeekdays {
			if mayBeWithin(mw, n.mask, 1) && editDistance(w, n.name, 1) <= 1 {
				wd, ok = weekdayNames[n.name], true
				break
			}
		}
	}
	if !ok {
		return dateMention{}, 0, false
	}
	prev, next := "", ""
	if i > 0 {
		prev = toks[i-1].text
	}
	if i+1 < len(toks) {
		next = toks[i+1].text
	}
	switch {
	case prev == "vorige" || prev == "afgelopen" || prev == "last" || prev == "past" || next == "dernier" || next == "passe":
		back := (int(today.Weekday()) - int(wd) + 7) % 7
		if back == 0 {
			back = 7
		}
		end := i
		if next == "dernier" || next == "passe" {
			end = i + 1
		}
		return dateMention{day: today.AddDate(0, 0, -back), past: true}, end, true
	case prev == "week" && i >= 2 && (toks[i-2].text == "volgende" || toks[i-2].text == "komende"):
		return dateMention{day: mondayOf(today).AddDate(0, 0, 7+(int(wd)+6)%7)}, i, true
	}
	ahead := (int(wd) - int(today.Weekday()) + 7) % 7
	if ahead == 0 {
		ahead = 7
	}
	return dateMention{day: today.AddDate(0, 0, ahead)}, i, true
}

// relativeCount reads "over 2 weken", "in 3 days", "dans une semaine",
// "binnen 2 maanden" starting at token i.
func relativeCount(toks []token, i int, today time.Time, split bool) (dateMention, int, bool) {
	w := toks[i].text
	if w != "over" && w != "in" && w != "binnen" && w != "within" && w != "dans" || i+2 >= len(toks) {
		return dateMention{}, 0, false
	}
	n, ok := 0, false
	switch t := toks[i+1]; {
	case t.digits && len(t.text) <= 3:
		n, _ = strconv.Atoi(t.text)
		ok = true
	case t.text == "a" || t.text == "een" || t.text == "une" || t.text == "un":
		n, ok = 1, true
	default:
		n, ok = numberWord(t.text)
	}
	if !ok || n < 1 || n > 365 {
		return dateMention{}, 0, false
	}
	unit := toks[i+2].text
	switch unit {
	case "dag", "dagen", "day", "days", "jour", "jours":
		return dateMention{day: today.AddDate(0, 0, n)}, i + 2, true
	case "week", "weken", "weeks", "semaine", "semaines":
		return dateMention{day: today.AddDate(0, 0, 7*n)}, i + 2, true
	case "maand", "maanden", "month", "months", "mois":
		if w == "in" || split {
			return dateMention{}, 0, false // "in 6 maanden": terms of a plan
		}
		return dateMention{day: today.AddDate(0, n, 0)}, i + 2, true
	}
	return dateMention{}, 0, false
}

// moneyWord reports whether w names a currency.
func moneyWord(w string) bool {
	switch w {
	case "euro", "euros", "eur", "e", "€":
		return true
	}
	return false
}

// dayArticles stand before a day of the month written as an ordinal.
var dayArticles = map[string]bool{"de": true, "den": true, "ten": true, "op": true, "the": true, "on": true, "le": true, "per": true, "tegen": true, "by": true, "voor": true}

// nextDayOfMonth is the next day with that number from today on.
func nextDayOfMonth(day int, today time.Time) dateMention {
	for k := 0; k < 13; k++ {
		y, m := today.Year(), today.Month()+time.Month(k)
		if day <= daysIn(m, y) {
			if d := casestore.Date(y, m, day); !d.Before(today) {
				return dateMention{day: d}
			}
		}
	}
	return dateMention{day: today}
}

// dayMonth resolves a day and month without a year: the next such day from
// today on (up to 8 years ahead for 29 February).
func dayMonth(day int, m time.Month, today time.Time) (dateMention, bool) {
	if m < 1 || m > 12 || day < 1 || day > 31 {
		return dateMention{}, false
	}
	for y := today.Year(); y <= today.Year()+8; y++ {
		if day <= daysIn(m, y) {
			if d := casestore.Date(y, m, day); !d.Before(today) {
				return dateMention{day: d, month: m, dom: day}, true
			}
		}
	}
	return dateMention{}, false
}

// pastDayMonth is the last day and month up to today, for payments made.
func pastDayMonth(day int, m time.Month, today time.Time) (time.Time, bool) {
	for y := today.Year(); y >= today.Year()-8; y-- {
		if day <= daysIn(m, y) {
			if d := casestore.Date(y, m, day); !d.After(today) {
				return d, true
			}
		}
	}
	return time.Time{}, false
}

// fullDate checks a date written with its year; years far from today are
// kept (birth dates) but must exist on the calendar.
func fullDate(y int, m time.Month, day int, today time.Time) (dateMention, bool) {
	if y < 1900 || y > today.Year()+50 || m < 1 || m > 12 || day < 1 || day > daysIn(m, y) {
		return dateMention{}, false
	}
	d := casestore.Date(y, m, day)
	return dateMention{day: d, past: d.Before(today), withYear: true}, true
}

func daysIn(m time.Month, y int) int {
	return casestore.Date(y, m+1, 0).Day()
}

func mondayOf(d time.Time) time.Time {
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
