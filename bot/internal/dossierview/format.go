package dossierview

import (
	"strconv"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
	"github.com/shopspring/decimal"
)

// Money writes an amount the Dutch way, "€ 1.234,57", as the debtor
// reads it in the chat.
func Money(d decimal.Decimal) string { return dialogs.Money(casestore.Dutch, d) }

var months = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli",
	"augustus", "september", "oktober", "november", "december"}

// Day is a calendar day in words, "1 januari 2027". Calendar days are
// stored as UTC midnight; instants are read in Amsterdam.
func Day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if t.Hour() != 0 || t.Minute() != 0 || t.Location() != time.UTC {
		t = t.In(casestore.Amsterdam)
	}
	return strconv.Itoa(t.Day()) + " " + months[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// DateTime is an instant in Amsterdam, "02-01-2006 15:04".
func DateTime(t time.Time) string { return t.In(casestore.Amsterdam).Format("02-01-2006 15:04") }

// ShortDay is a calendar day, "02-01-2006".
func ShortDay(t time.Time) string { return t.In(casestore.Amsterdam).Format("02-01-2006") }
