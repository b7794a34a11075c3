package main

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"unicode"

	"github.com/incassobot/incassobot/bot/debtordocs"
)

// documentsConfig is the debtor's documents (bot/debtordocs) and how the
// debtor pays by transfer.
type documentsConfig struct {
	// LinkKey (DOCUMENT_LINK_KEY) signs the links to a case's
	// specification and invoice copies; empty: no links (e-mail still
	// attaches the files).
	LinkKey []byte
	// Bank (AGENCY_IBAN, AGENCY_ACCOUNT_HOLDER): where debtors pay by
	// transfer, on the specification.
	Bank debtordocs.Bank
	// InboundSigningKey (EMAIL_INBOUND_SIGNING_KEY) checks the mail
	// provider's inbound route; empty: inbound e-mail is off.
	InboundSigningKey string
}

func loadDocuments(getenv func(string) string, publicURL, agencyName string) (documentsConfig, []error) {
	var c documentsConfig
	var errs []error
	if key := getenv("DOCUMENT_LINK_KEY"); key != "" {
		if len(key) < debtordocs.MinKeyLen {
			errs = append(errs, fmt.Errorf("DOCUMENT_LINK_KEY: at least %d characters (e.g. openssl rand -hex 32)", debtordocs.MinKeyLen))
		}
		if publicURL == "" {
			errs = append(errs, errors.New("PUBLIC_URL: required with DOCUMENT_LINK_KEY: the document links point there"))
		}
		c.LinkKey = []byte(key)
	}
	iban := strings.ToUpper(strings.Join(strings.Fields(getenv("AGENCY_IBAN")), ""))
	if iban != "" && !validIBAN(iban) {
		errs = append(errs, fmt.Errorf("AGENCY_IBAN %q: not a valid IBAN (country, check digits, mod-97)", getenv("AGENCY_IBAN")))
	}
	c.Bank = debtordocs.Bank{IBAN: groupIBAN(iban), Holder: strings.TrimSpace(getenv("AGENCY_ACCOUNT_HOLDER"))}
	if c.Bank.Holder == "" && iban != "" {
		c.Bank.Holder = agencyName
	}
	c.InboundSigningKey = getenv("EMAIL_INBOUND_SIGNING_KEY")
	return c, errs
}

// validIBAN checks an IBAN without spaces by ISO 13616: two letters, two
// check digits, then letters and digits, 15 to 34 in all, mod 97 = 1.
func validIBAN(s string) bool {
	if len(s) < 15 || len(s) > 34 || !unicode.IsLetter(rune(s[0])) || !unicode.IsLetter(rune(s[1])) {
		return false
	}
	var digits strings.Builder
	for _, r := range s[4:] + s[:4] {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			fmt.Fprintf(&digits, "%d", r-'A'+10)
		default:
			return false
		}
	}
	n, ok := new(big.Int).SetString(digits.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// groupIBAN writes an IBAN in groups of four, as on paper.
func groupIBAN(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
