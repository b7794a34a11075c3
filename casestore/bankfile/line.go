package bankfile

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/shopspring/decimal"
)

// Line is one booked entry of a statement.
type Line struct {
	Line      int    // where it starts in the file, 1-based
	EntryRef  string // the bank's own reference of the entry: a line is imported once
	BookedOn  time.Time
	ValueDate time.Time
	Amount    decimal.Decimal // positive
	Currency  string
	Credit    bool   // money in; debits are never payments
	Name      string // the counterparty (the payer of a credit)
	IBAN      string
	// Remittance is the free text the payer wrote; Reference the
	// structured creditor reference (betalingskenmerk, structured
	// communication), when the bank gives one apart.
	Remittance string
	Reference  string
}

// Problem is an entry that could not be read, with why.
type Problem struct {
	Line   int
	Reason string
}

func (p Problem) String() string { return fmt.Sprintf("line %d: %s", p.Line, p.Reason) }

// MaxFileBytes bounds a statement file: a month of a busy account is a
// few MB.
const MaxFileBytes = 64 << 20

// Parse reads a CAMT.053 file (XML) or a CSV file of the documented
// layout, told apart by the first non-blank byte. A file that is neither,
// or unreadable as a whole, is an error; bad entries are Problems and the
// good ones are still returned.
func Parse(r io.Reader) ([]Line, []Problem, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, nil, fmt.Errorf("bankfile: larger than %d MB", MaxFileBytes>>20)
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '<' {
		return parseCAMT(data)
	}
	return parseCSV(data)
}

func parseAmount(s string) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(s)
	switch {
	case err != nil:
		return d, fmt.Errorf("amount %q is not a number", s)
	case !d.IsPositive():
		return d, fmt.Errorf("amount %q must be positive", s)
	case !d.Equal(d.Round(2)):
		return d, fmt.Errorf("amount %q has more than two decimals", s)
	}
	return d, nil
}

func parseDay(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		// CAMT allows a date-time here (DtTm).
		if t2, err2 := time.Parse(time.RFC3339, s); err2 == nil {
			t = t2
		} else {
			return time.Time{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
		}
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
}
