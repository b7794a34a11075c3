package casestore

import "time"

// asDay returns the calendar day of t's own date fields as a domain date
// (UTC midnight), so a date made in any location compares exactly.
func asDay(t time.Time) time.Time { return Date(t.Year(), t.Month(), t.Day()) }

// daysBetween counts the days from a to b (b − a) for domain dates.
func daysBetween(a, b time.Time) int64 { return int64(b.Sub(a) / (24 * time.Hour)) }

// addMonths returns the same day n months after d, clamped to the month's
// last day (31 Jan + 1 → 28/29 Feb; 31 Jan + 2 → 31 Mar): counted from d
// every time, so a schedule does not drift to the 28th.
func addMonths(d time.Time, n int) time.Time {
	first := Date(d.Year(), d.Month(), 1).AddDate(0, n, 0)
	last := first.AddDate(0, 1, -1).Day()
	return Date(first.Year(), first.Month(), min(d.Day(), last))
}

// easterSunday computes Easter (Gregorian) with the anonymous algorithm of
// Meeus/Jones/Butcher.
func easterSunday(y int) time.Time {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date(y, time.Month(month), day)
}

// IsDutchHoliday reports whether d is an "algemeen erkende feestdag" of the
// Algemene Termijnenwet, art. 3 lid 1: Nieuwjaarsdag, the Christian second
// Easter and Whit days, both Christmas days, Ascension Day, the day the
// King's birthday is celebrated and "de vijfde mei". Easter Sunday and Whit
// Sunday are counted too (they are Sundays anyway). These are the days the
// office and the post are closed; for the end of a legal term use
// IsTermHoliday, which adds Good Friday and the days equated by decree.
//
// Choices, with why:
//   - 5 May (Bevrijdingsdag) counts EVERY year: the Termijnenwet lists "de
//     vijfde mei" without condition. The "only once in five years" rule
//     people remember is about paid leave in collective agreements, not
//     about legal terms.
//   - Koningsdag: 27 April, or 26 April when the 27th is a Sunday (Besluit
//     of 2013); before 2014 Koninginnedag, 30 April or 29 April when the
//     30th was a Sunday.
func IsDutchHoliday(d time.Time) bool {
	d = asDay(d)
	y, m, day := d.Date()
	switch {
	case m == time.January && day == 1,
		m == time.May && day == 5,
		m == time.December && (day == 25 || day == 26):
		return true
	case m == time.April && d.Equal(kingsDay(y)):
		return true
	}
	easter := easterSunday(y)
	for _, offset := range []int{0, 1, 39, 49, 50} { // Pasen 1e/2e, Hemelvaart, Pinksteren 1e/2e
		if d.Equal(easter.AddDate(0, 0, offset)) {
			return true
		}
	}
	return false
}

func kingsDay(y int) time.Time {
	d := Date(y, time.April, 27)
	if y < 2014 {
		d = Date(y, time.April, 30)
	}
	if d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// IsTermHoliday reports whether a legal term may not end on d under the
// Algemene Termijnenwet (Atw) besides Saturdays and Sundays: the days of
// art. 3 lid 1 (IsDutchHoliday), Good Friday, which art. 3 lid 2 equates
// with them ("Voor de toepassing van deze wet wordt Goede Vrijdag met de in
// het vorige lid genoemde dagen gelijkgesteld"), and the days the Crown
// equates by decree under art. 3 lid 3, published in the Staatscourant
// (equatedDays).
func IsTermHoliday(d time.Time) bool {
	d = asDay(d)
	if IsDutchHoliday(d) || d.Equal(easterSunday(d.Year()).AddDate(0, 0, -2)) {
		return true
	}
	for _, e := range equatedDays {
		if d.Equal(e) {
			return true
		}
	}
	return false
}

// equatedDays are the days equated with a public holiday by decree under
// art. 3 lid 3 Atw, usually one decree for three years (bridge days such as
// the Friday after Ascension). Add the next decree's days when it is
// published; the titles name them:
//   - Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024,
//     27 december 2024 en 30 mei 2025 met een algemeen erkende feestdag;
//   - Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027,
//     28 april 2028 en 26 mei 2028 met een algemeen erkende feestdag
//     (both quoted by title in sterfgeval.nl, question 70745, 4 October 2025).
var equatedDays = []time.Time{
	Date(2023, 4, 28), Date(2023, 5, 19), Date(2024, 5, 10), Date(2024, 12, 27), Date(2025, 5, 30),
	Date(2026, 1, 2), Date(2026, 5, 15), Date(2027, 5, 7), Date(2028, 4, 28), Date(2028, 5, 26),
}

// noPostDay reports whether letters are not delivered in the Netherlands on
// d: Sundays, Mondays (PostNL stopped Monday delivery in 2014) and public
// holidays (art. 3 lid 1 Atw). Post is delivered on Good Friday and on
// the days equated by decree, so they count as delivery days.
func noPostDay(d time.Time) bool {
	return d.Weekday() == time.Sunday || d.Weekday() == time.Monday || IsDutchHoliday(d)
}

// LetterExpiry returns the last day of the term of the Dutch consumer
// "veertiendagenbrief" (art. 6:96 lid 6 BW) sent on sent; collection costs
// may be charged from the next day on.
//
//   - The Hoge Raad held (25 November 2016, ECLI:NL:HR:2016:2704, on
//     preliminary questions about the 14-day letter) that the 14 days run
//     from the day after the debtor RECEIVED the letter, so the last day is
//     receipt + 14; the same judgment puts the burden of proving receipt on
//     the creditor.
//   - Receipt of a posted letter is therefore presumed late enough to be
//     safe: on the second day after sending, not counting days without post
//     delivery (Sundays, Mondays, public holidays); PostNL delivers most
//     mail within two delivery days. A collector with proof of an earlier
//     receipt may rely on that instead.
//   - The term is set by law, so the Algemene Termijnenwet art. 1 applies: a
//     term ending on a Saturday, Sunday or a day of art. 3 (public holidays,
//     Good Friday, days equated by decree: IsTermHoliday) is extended to
//     the next day that is none of these.
func LetterExpiry(sent time.Time) time.Time {
	receipt := asDay(sent)
	for counted := 0; counted < 2; {
		receipt = receipt.AddDate(0, 0, 1)
		if !noPostDay(receipt) {
			counted++
		}
	}
	last := receipt.AddDate(0, 0, 14)
	for last.Weekday() == time.Saturday || last.Weekday() == time.Sunday || IsTermHoliday(last) {
		last = last.AddDate(0, 0, 1)
	}
	return last
}

// isBelgianHoliday reports the ten Belgian legal public holidays (KB 18
// April 1974): New Year, Easter Monday, 1 May, Ascension, Whit Monday,
// 21 July, 15 August, 1 and 11 November, Christmas.
func isBelgianHoliday(d time.Time) bool {
	d = asDay(d)
	_, m, day := d.Date()
	switch {
	case m == time.January && day == 1, m == time.May && day == 1, m == time.July && day == 21,
		m == time.August && day == 15, m == time.November && (day == 1 || day == 11),
		m == time.December && day == 25:
		return true
	}
	easter := easterSunday(d.Year())
	for _, offset := range []int{1, 39, 50} {
		if d.Equal(easter.AddDate(0, 0, offset)) {
			return true
		}
	}
	return false
}

// BEReminderExpiry returns the last day of the waiting period after the
// free first reminder to a Belgian consumer (Book XIX WER, art. XIX.2 §1):
// at least 14 calendar days, starting on the third working day after a
// paper reminder was sent (the working day after, for an electronic one).
// The case does not record how the reminder went, so the later, paper rule
// is used; working days are Monday to Friday except Belgian public
// holidays; and the 14 days are counted from the day after that third
// working day, the reading that can never charge a consumer a day too
// early. Damages and costs may be charged from the next day on.
func BEReminderExpiry(sent time.Time) time.Time {
	start := asDay(sent)
	for counted := 0; counted < 3; {
		start = start.AddDate(0, 0, 1)
		if wd := start.Weekday(); wd != time.Saturday && wd != time.Sunday && !isBelgianHoliday(start) {
			counted++
		}
	}
	return start.AddDate(0, 0, 14)
}

// IsPublicHoliday reports whether d is a public holiday where the debtor
// lives: Belgian legal holidays for a Belgian case ("BE"), Dutch ones
// otherwise. Automated messages are not sent on them (bot/followup).
func IsPublicHoliday(country string, d time.Time) bool {
	if country == "BE" {
		return isBelgianHoliday(d)
	}
	return IsDutchHoliday(d)
}

// Country is the country of the regime: "BE" or "NL".
func (r Regime) Country() string {
	if r == BEB2C || r == BEB2B {
		return "BE"
	}
	return "NL"
}
