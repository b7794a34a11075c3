package casestore

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// NormalizePhone returns a phone number in E.164 ("+31612345678"), the form
// debtors' numbers are stored and matched in. Numbers without a country
// code are read as Dutch ("06 12345678", "020-1234567"); Belgian and other
// numbers need their country code ("+32 470 12 34 56", "0032470123456").
// ErrInvalid when the text is not a valid phone number.
func NormalizePhone(raw string) (string, error) {
	num, err := phonenumbers.Parse(strings.TrimSpace(raw), "NL")
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", fmt.Errorf("phone number is not valid: %w", ErrInvalid)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

var (
	postcodeNL = regexp.MustCompile(`^[1-9][0-9]{3}[A-Z]{2}$`)
	postcodeBE = regexp.MustCompile(`^[1-9][0-9]{3}$`)
)

// NormalizePostcode returns a Dutch ("1234AB") or Belgian ("1000") postcode
// in stored form: upper case, no spaces or hyphens, an "NL-"/"B-"/"BE-"
// prefix dropped. Debtors type "1234 ab" or "nl-1234ab" when asked to verify
// themselves; both must match what the import stored. ErrInvalid otherwise.
func NormalizePostcode(raw string) (string, error) {
	s := strings.ToUpper(strings.TrimSpace(raw))
	for _, prefix := range []string{"NL-", "BE-", "B-", "NL ", "BE ", "B "} {
		if strings.HasPrefix(s, prefix) {
			s = s[len(prefix):]
			break
		}
	}
	s = strings.NewReplacer(" ", "", "-", "").Replace(s)
	if postcodeNL.MatchString(s) || postcodeBE.MatchString(s) {
		return s, nil
	}
	return "", fmt.Errorf("postcode is not a Dutch or Belgian postcode: %w", ErrInvalid)
}
