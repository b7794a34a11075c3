package importfile

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// ParseAmount reads a euro amount the way people write one in a Dutch or
// Belgian spreadsheet: "1234.56", "1234,56", "1.234,56", "1,234.56",
// optionally with "€" or "EUR". When both separators appear the last one is
// the decimal mark and the other must group thousands by three. More than
// two decimals is refused rather than rounded: "1.234" is ambiguous (one
// euro or twelve hundred) and a wrong guess would change a debt.
func ParseAmount(raw string) (decimal.Decimal, error) {
	s := strings.TrimSpace(raw)
	s = strings.TrimPrefix(s, "€")
	s = strings.TrimPrefix(strings.TrimSuffix(s, "EUR"), "EUR")
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if s == "" {
		return decimal.Zero, fmt.Errorf("amount is empty")
	}
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(s, "-")
	dot, comma := strings.LastIndex(body, "."), strings.LastIndex(body, ",")
	var intPart, frac string
	switch {
	case dot >= 0 && comma >= 0:
		mark, group := ".", ","
		if comma > dot {
			mark, group = ",", "."
		}
		i := strings.LastIndex(body, mark)
		intPart, frac = body[:i], body[i+1:]
		if !groupedByThree(intPart, group) {
			return decimal.Zero, fmt.Errorf("amount %q: thousands separators are misplaced", raw)
		}
		intPart = strings.ReplaceAll(intPart, group, "")
	case dot >= 0 || comma >= 0:
		i := max(dot, comma)
		intPart, frac = body[:i], body[i+1:]
	default:
		intPart = body
	}
	if !allDigits(intPart) || (frac != "" && !allDigits(frac)) || strings.ContainsAny(frac, ".,") {
		return decimal.Zero, fmt.Errorf("amount %q is not a number", raw)
	}
	if len(frac) > 2 {
		return decimal.Zero, fmt.Errorf("amount %q has more than two decimals (write 1234.56 or 1.234,56)", raw)
	}
	num := intPart
	if frac != "" {
		num += "." + frac
	}
	d, err := decimal.NewFromString(num)
	if err != nil {
		return decimal.Zero, fmt.Errorf("amount %q is not a number", raw)
	}
	if neg {
		d = d.Neg()
	}
	return d, nil
}

func groupedByThree(s, sep string) bool {
	parts := strings.Split(s, sep)
	if len(parts[0]) == 0 || len(parts[0]) > 3 {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

var dayFirst = regexp.MustCompile(`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$`)

// ParseDay reads a calendar day written as ISO "2026-03-31" or the Dutch
// and Belgian "31-03-2026" (also with "/" or "."). Impossible days such as
// 31-02-2026 are refused, not rolled over.
func ParseDay(raw string) (time.Time, error) {
	s := strings.TrimSpace(raw)
	if t, err := casestore.ParseDate(s); err == nil {
		return t, nil
	}
	m := dayFirst.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("date %q is not YYYY-MM-DD or DD-MM-YYYY", raw)
	}
	// Atoi, not Sscan: Sscan reads "08" as a broken octal number.
	d, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	y, _ := strconv.Atoi(m[3])
	t := casestore.Date(y, time.Month(mo), d)
	if t.Day() != d || int(t.Month()) != mo {
		return time.Time{}, fmt.Errorf("date %q does not exist", raw)
	}
	return t, nil
}

// parseBool reads yes/no in English or Dutch; empty is false.
func parseBool(raw string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(raw)) {
	case "", "0", "false", "no", "n", "nee":
		return false, nil
	case "1", "true", "yes", "y", "ja", "j":
		return true, nil
	}
	return false, fmt.Errorf("%q is not yes or no", raw)
}

// parseFraction reads a contractual cost rate as a fraction ("0.15") or a
// percentage ("15%", "15 %").
func parseFraction(raw string) (decimal.Decimal, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return decimal.Zero, nil
	}
	pct := strings.HasSuffix(s, "%")
	d, err := ParseAmount(strings.TrimSpace(strings.TrimSuffix(s, "%")))
	if err != nil {
		return decimal.Zero, fmt.Errorf("rate %q is not a fraction or percentage", raw)
	}
	if pct {
		d = d.Shift(-2)
	}
	if d.IsNegative() || d.GreaterThan(decimal.NewFromInt(1)) {
		return decimal.Zero, fmt.Errorf("rate %q must be between 0 and 100%%", raw)
	}
	return d, nil
}

// canon lower-cases a code value and accepts "_" for "-" ("NL_B2C").
func canon(raw string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(raw)), "_", "-")
}

var refPattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9./_-]{0,39}$`)
