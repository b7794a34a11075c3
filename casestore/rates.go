package casestore

import (
	"embed"
	"encoding/csv"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// The statutory interest rates are data, not code: one CSV file per
// InterestKind in rates/, columns from (ISO date, first day the rate is in
// force), rate_percent, source (where the figure comes from) and confirmed
// (yes when a published figure was found; no when it is derived or assumed
// and must be checked against the Staatsblad / Belgisch Staatsblad before it
// is relied on). Lines starting with # are comments: each file opens with
// the method that sets its rate, so anyone can add a half-year. A new
// half-year is a new line; no code changes.

//go:embed rates/*.csv
var rateFiles embed.FS

// Rate is one line of a rate table: the yearly percentage in force from a day
// until the next line's day.
type Rate struct {
	From      time.Time       `json:"from"`
	Percent   decimal.Decimal `json:"rate_percent"`
	Source    string          `json:"source"`
	Confirmed bool            `json:"confirmed"`
}

// rateTables holds every embedded table, parsed once at start-up; a broken
// file is a build defect, caught by TestRateFilesParse, so it panics.
var rateTables = mustLoadRates()

func mustLoadRates() map[InterestKind][]Rate {
	tables := make(map[InterestKind][]Rate, len(InterestKinds))
	for _, k := range InterestKinds {
		rs, err := loadRateFile("rates/" + string(k) + ".csv")
		if err != nil {
			panic(err)
		}
		tables[k] = rs
	}
	return tables
}

func loadRateFile(name string) ([]Rate, error) {
	f, err := rateFiles.Open(name)
	if err != nil {
		return nil, fmt.Errorf("rate table %s: %w", name, err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("rate table %s: %w", name, err)
	}
	if len(recs) < 2 || strings.Join(recs[0], ",") != "from,rate_percent,source,confirmed" {
		return nil, fmt.Errorf("rate table %s: want header from,rate_percent,source,confirmed and at least one rate", name)
	}
	var out []Rate
	for i, rec := range recs[1:] {
		r, err := parseRate(rec)
		if err != nil {
			return nil, fmt.Errorf("rate table %s line %d: %w", name, i+2, err)
		}
		if n := len(out); n > 0 && !r.From.After(out[n-1].From) {
			return nil, fmt.Errorf("rate table %s line %d: dates must increase", name, i+2)
		}
		out = append(out, r)
	}
	return out, nil
}

func parseRate(rec []string) (Rate, error) {
	from, err := ParseDate(rec[0])
	if err != nil {
		return Rate{}, err
	}
	pct, err := decimal.NewFromString(rec[1])
	if err != nil || pct.IsNegative() {
		return Rate{}, fmt.Errorf("rate %q is not a percentage", rec[1])
	}
	if strings.TrimSpace(rec[2]) == "" {
		return Rate{}, fmt.Errorf("rate from %s has no source", rec[0])
	}
	if rec[3] != "yes" && rec[3] != "no" {
		return Rate{}, fmt.Errorf("confirmed must be yes or no, not %q", rec[3])
	}
	return Rate{From: from, Percent: pct, Source: rec[2], Confirmed: rec[3] == "yes"}, nil
}

// Rates returns a copy of the rate table of kind, oldest first; nil for an
// unknown kind.
func Rates(kind InterestKind) []Rate {
	return append([]Rate(nil), rateTables[kind]...)
}

// RateOn returns the rate of kind in force on day. ErrInvalid for an unknown
// kind or a day before the table starts.
func RateOn(kind InterestKind, day time.Time) (Rate, error) {
	tbl, ok := rateTables[kind]
	if !ok {
		return Rate{}, fmt.Errorf("interest kind %q: %w", kind, ErrInvalid)
	}
	i := rateIndex(tbl, asDay(day))
	if i < 0 {
		return Rate{}, fmt.Errorf("no %s rate known before %s: %w", kind, tbl[0].From.Format(time.DateOnly), ErrInvalid)
	}
	return tbl[i], nil
}

// rateIndex is the index of the rate in force on day, -1 before the first.
func rateIndex(tbl []Rate, day time.Time) int {
	return sort.Search(len(tbl), func(i int) bool { return tbl[i].From.After(day) }) - 1
}
