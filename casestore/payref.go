package casestore

import (
	"fmt"
	"strconv"
	"strings"
)

// Payment references let a bank transfer find its case: every case has
// one, derived from its id, which the bot and the portal show the debtor.
//
//   - NL: the 16-digit betalingskenmerk of the Dutch banks (Betaalvereniging
//     Nederland): a check digit then 15 digits; the check digit is
//     11 − (Σ digit × weight mod 11), weights 2, 4, 8, 5, 10, 9, 7, 3, 6, 1
//     from the right, repeating; 10 becomes 1 and 11 becomes 0.
//   - BE: the gestructureerde mededeling / communication structurée
//     +++123/4567/89012+++: 10 digits, then two check digits, the 10-digit
//     number mod 97 (97 when that is 0).

var kenmerkWeights = []int{2, 4, 8, 5, 10, 9, 7, 3, 6, 1}

// kenmerkCheck is the check digit of a betalingskenmerk's 15 digits.
func kenmerkCheck(digits string) int {
	sum := 0
	for i := 0; i < len(digits); i++ {
		d := int(digits[len(digits)-1-i] - '0')
		sum += d * kenmerkWeights[i%len(kenmerkWeights)]
	}
	c := 11 - sum%11
	switch c {
	case 10:
		return 1
	case 11:
		return 0
	}
	return c
}

// PaymentReference is case c's reference in the form its debtor's bank
// knows: a Dutch betalingskenmerk (16 digits, as "5000 0567 8901 2345")
// for Dutch regimes, a Belgian structured communication for Belgian ones.
func PaymentReference(c *Case) string {
	if c.Regime == BEB2C || c.Regime == BEB2B {
		return StructuredCommunication(c.ID)
	}
	return Betalingskenmerk(c.ID)
}

// Betalingskenmerk is the 16-digit Dutch payment reference of case id,
// grouped by four for reading ("5000 0567 8901 2345").
func Betalingskenmerk(id int64) string {
	body := fmt.Sprintf("%015d", id)
	s := strconv.Itoa(kenmerkCheck(body)) + body
	return s[:4] + " " + s[4:8] + " " + s[8:12] + " " + s[12:]
}

// StructuredCommunication is the Belgian structured communication of case
// id: +++123/4567/89012+++.
func StructuredCommunication(id int64) string {
	base := id % 1e10
	check := base % 97
	if check == 0 {
		check = 97
	}
	s := fmt.Sprintf("%010d%02d", base, check)
	return "+++" + s[:3] + "/" + s[3:7] + "/" + s[7:] + "+++"
}

// ParseBetalingskenmerk reads a 16-digit betalingskenmerk (spaces and dots
// allowed) and returns the case id it names; false when it is not 16
// digits or its check digit is wrong.
func ParseBetalingskenmerk(s string) (int64, bool) {
	d := onlyDigits(s, " .")
	if len(d) != 16 || int(d[0]-'0') != kenmerkCheck(d[1:]) {
		return 0, false
	}
	id, err := strconv.ParseInt(d[1:], 10, 64)
	return id, err == nil && id > 0
}

// ParseStructuredCommunication reads +++123/4567/89012+++ (or ***…***, or
// the 12 digits alone) and returns the case id it names; false when the
// mod-97 check fails.
func ParseStructuredCommunication(s string) (int64, bool) {
	d := onlyDigits(strings.Trim(strings.TrimSpace(s), "+*"), "/ ")
	if len(d) != 12 {
		return 0, false
	}
	base, err1 := strconv.ParseInt(d[:10], 10, 64)
	check, err2 := strconv.ParseInt(d[10:], 10, 64)
	want := base % 97
	if want == 0 {
		want = 97
	}
	return base, err1 == nil && err2 == nil && check == want && base > 0
}

// onlyDigits is s without the separators in sep; "" if anything else is
// not a digit.
func onlyDigits(s, sep string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(sep, r):
		default:
			return ""
		}
	}
	return b.String()
}
