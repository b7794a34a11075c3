package demo

import (
	"strconv"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

func person(ref, name, phone, postcode string, y, m, d int, lang casestore.Language) casestore.Debtor {
	born := casestore.Date(y, time.Month(m), d)
	return casestore.Debtor{
		Ref: ref, Name: name, Phones: []string{phone}, Postcode: postcode, BirthDate: &born, Language: lang,
		Email: ref + "@example.com",
	}
}

func company(ref, name, phone, postcode string) casestore.Debtor {
	return casestore.Debtor{
		Ref: ref, Name: name, IsCompany: true, Phones: []string{phone}, Postcode: postcode,
		Language: casestore.Dutch, Email: ref + "@example.com",
	}
}

func daysAgo(today time.Time, n int) time.Time { return today.AddDate(0, 0, -n) }

func money(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func ptr[T any](v T) *T { return &v }

func itoa(n int) string { return strconv.Itoa(n) }
