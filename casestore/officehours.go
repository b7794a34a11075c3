package casestore

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// OfficeHours is when collectors answer chats, in Amsterdam (= Brussels)
// wall-clock time: the same opening hours on each open weekday, closed on
// the public holidays of the agency's country. The debtor is told, when a
// person is asked for, whether an answer comes soon or from which day and
// hour — honest only if these match the real rota, hence configurable.
type OfficeHours struct {
	Days        [7]bool       // indexed by time.Weekday
	Open, Close time.Duration // since midnight; Open < Close
	Holidays    string        // "nl", "be" or "none": whose public holidays close the office
}

// DefaultOfficeHours is Monday to Friday, 9:00–17:00, closed on Dutch
// public holidays.
func DefaultOfficeHours() OfficeHours {
	o := OfficeHours{Open: 9 * time.Hour, Close: 17 * time.Hour, Holidays: "nl"}
	for d := time.Monday; d <= time.Friday; d++ {
		o.Days[d] = true
	}
	return o
}

// IsZero reports an unset value (no open day): callers use the default.
func (o OfficeHours) IsZero() bool { return o.Days == [7]bool{} }

var weekdayCodes = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// ParseOfficeHours reads "mon-fri 09:00-17:00" (a day, a day range or a
// comma list of both, then the hours; "9-17" works too) and the holiday
// calendar "nl", "be" or "none" ("" = nl).
func ParseOfficeHours(spec, holidays string) (OfficeHours, error) {
	var o OfficeHours
	switch h := strings.ToLower(strings.TrimSpace(holidays)); h {
	case "", "nl":
		o.Holidays = "nl"
	case "be", "none":
		o.Holidays = h
	default:
		return o, fmt.Errorf("holiday calendar %q: want nl, be or none", holidays)
	}
	days, hours, ok := strings.Cut(strings.ToLower(strings.TrimSpace(spec)), " ")
	if !ok {
		return o, fmt.Errorf("office hours %q: want days and hours, e.g. mon-fri 09:00-17:00", spec)
	}
	for _, part := range strings.Split(days, ",") {
		from, to, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, okA := weekdayCodes[from]
		b, okB := weekdayCodes[to]
		if !isRange {
			b, okB = a, okA
		}
		if !okA || !okB {
			return o, fmt.Errorf("office hours %q: unknown day in %q (use mon, tue, wed, thu, fri, sat, sun)", spec, part)
		}
		for d := a; ; d = (d + 1) % 7 {
			o.Days[d] = true
			if d == b {
				break
			}
		}
	}
	openS, closeS, ok := strings.Cut(strings.TrimSpace(hours), "-")
	var errO, errC error
	if ok {
		o.Open, errO = parseClock(openS)
		o.Close, errC = parseClock(closeS)
	}
	if !ok || errO != nil || errC != nil || o.Open >= o.Close {
		return o, fmt.Errorf("office hours %q: want hours like 09:00-17:00 (opening before closing)", spec)
	}
	return o, nil
}

// parseClock reads "9", "09:00" or "17:30" as a time of day.
func parseClock(s string) (time.Duration, error) {
	hh, mm, hasMin := strings.Cut(strings.TrimSpace(s), ":")
	h, err := strconv.Atoi(hh)
	if err != nil || h < 0 || h > 24 {
		return 0, fmt.Errorf("bad hour %q", s)
	}
	m := 0
	if hasMin {
		if m, err = strconv.Atoi(mm); err != nil || len(mm) != 2 || m < 0 || m > 59 {
			return 0, fmt.Errorf("bad minutes %q", s)
		}
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
	if d > 24*time.Hour {
		return 0, fmt.Errorf("bad time %q", s)
	}
	return d, nil
}

// openOn reports whether the office opens at all on this calendar day.
func (o OfficeHours) openOn(day time.Time) bool {
	if !o.Days[day.Weekday()] {
		return false
	}
	switch o.Holidays {
	case "nl":
		return !IsDutchHoliday(day)
	case "be":
		return !isBelgianHoliday(day)
	}
	return true
}

// IsOpen reports whether t falls within office hours.
func (o OfficeHours) IsOpen(t time.Time) bool {
	l := t.In(Amsterdam)
	day := Date(l.Year(), l.Month(), l.Day())
	since := time.Duration(l.Hour())*time.Hour + time.Duration(l.Minute())*time.Minute + time.Duration(l.Second())*time.Second
	return o.openOn(day) && since >= o.Open && since < o.Close
}

// NextOpening returns t when the office is open, else the next moment it
// opens (in Amsterdam time). With no open day at all it returns t.
func (o OfficeHours) NextOpening(t time.Time) time.Time {
	if o.IsZero() || o.IsOpen(t) {
		return t
	}
	l := t.In(Amsterdam)
	day := Date(l.Year(), l.Month(), l.Day())
	// Fourteen days cover every weekly pattern plus a run of holidays.
	for i := 0; i < 15; i++ {
		d := day.AddDate(0, 0, i)
		opening := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, Amsterdam).Add(o.Open)
		if o.openOn(d) && opening.After(t) {
			return opening
		}
	}
	return t
}
