package sqlite

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// instantLayout is RFC 3339 with exactly nine fraction digits in UTC, so
// that the TEXT column sorts in time order (RFC3339Nano trims zeros and
// would not).
const instantLayout = "2006-01-02T15:04:05.000000000Z07:00"

func encInstant(t time.Time) string { return t.UTC().Format(instantLayout) }

func decInstant(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlite: stored instant %q: %w", s, err)
	}
	return t.UTC(), nil
}

func decOptInstant(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := decInstant(s.String)
	return &t, err
}

// encDay stores a calendar day as written: the year, month and day of t in
// its own location (casestore dates are UTC midnight already).
func encDay(t time.Time) string { return t.Format(time.DateOnly) }

func encOptDay(t *time.Time) any {
	if t == nil {
		return nil
	}
	return encDay(*t)
}

func decDay(s string) (time.Time, error) {
	t, err := casestore.ParseDate(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlite: stored day %q: %w", s, err)
	}
	return t, nil
}

func decOptDay(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := decDay(s.String)
	return &t, err
}

func encMoney(d decimal.Decimal) string { return d.String() }

func decMoney(s string) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero, fmt.Errorf("sqlite: stored amount %q: %w", s, err)
	}
	return d, nil
}

func encOptID(id *int64) any {
	if id == nil {
		return nil
	}
	return *id
}

func decOptID(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

// validAmount: money a debtor pays or promises is positive and whole cents.
func validAmount(d decimal.Decimal) bool {
	return d.IsPositive() && d.Equal(d.Round(2))
}

// decoder collects the first decoding error of a row, so scanning code
// reads as a list of fields rather than a ladder of ifs.
type decoder struct{ err error }

func (d *decoder) money(s string) decimal.Decimal {
	v, err := decMoney(s)
	d.keep(err)
	return v
}

func (d *decoder) day(s string) time.Time {
	v, err := decDay(s)
	d.keep(err)
	return v
}

func (d *decoder) optDay(s sql.NullString) *time.Time {
	v, err := decOptDay(s)
	d.keep(err)
	return v
}

func (d *decoder) instant(s string) time.Time {
	v, err := decInstant(s)
	d.keep(err)
	return v
}

func (d *decoder) optInstant(s sql.NullString) *time.Time {
	v, err := decOptInstant(s)
	d.keep(err)
	return v
}

func (d *decoder) keep(err error) {
	if d.err == nil {
		d.err = err
	}
}
