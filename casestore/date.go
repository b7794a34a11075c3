package casestore

import "time"

// Dates in the domain (invoice dates, due dates, letter sent, value dates,
// installment dates) are calendar days. They are represented as time.Time at
// midnight UTC so that equality, ordering and day arithmetic are exact; use
// Date and DayOf to make them and never compare a date with an instant.

// Amsterdam is the legal time zone of the agency: "today" for a debtor, quiet
// hours and office hours are reckoned in it. Brussels has the same offset.
var Amsterdam = mustLoad("Europe/Amsterdam")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // the binary imports time/tzdata, so this cannot happen there
	}
	return loc
}

// Date returns the calendar day y-m-d.
func Date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DayOf returns the calendar day an instant falls on in Amsterdam.
func DayOf(t time.Time) time.Time {
	l := t.In(Amsterdam)
	return Date(l.Year(), l.Month(), l.Day())
}

// ParseDate parses an ISO date (2006-01-02) into a calendar day.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, err
	}
	return Date(t.Year(), t.Month(), t.Day()), nil
}
