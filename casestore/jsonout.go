package casestore

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"unicode"

	"github.com/shopspring/decimal"
)

// The JSON the project emits (the creditors' API, `balance --json`,
// `costs --json`, `chat --json`) follows one convention: snake_case
// field names, and money as a string with exactly two decimals
// ("390.60"), never a JSON number a client would read as a float and
// never decimal's shortest form ("390.6"). Money is the type output
// structs use for amounts; OutputJSON brings JSON written by other means (a
// stored dossier body, a struct without tags) to the same convention
// without changing what is stored.

// Money is an amount in euros that writes itself as "1234.56".
type Money decimal.Decimal

// MarshalJSON writes the amount rounded to the cent, always two decimals.
func (m Money) MarshalJSON() ([]byte, error) {
	return json.Marshal(RoundCents(decimal.Decimal(m)).StringFixed(2))
}

// UnmarshalJSON reads "1234.56" (or a bare JSON number), so tools written
// in Go can read the output back.
func (m *Money) UnmarshalJSON(b []byte) error {
	var d decimal.Decimal
	if err := d.UnmarshalJSON(b); err != nil {
		return err
	}
	*m = Money(d)
	return nil
}

// String is the two-decimal form, as in JSON.
func (m Money) String() string { return RoundCents(decimal.Decimal(m)).StringFixed(2) }

// Monies converts a list of amounts; nil stays an empty list.
func Monies(ds []decimal.Decimal) []Money {
	out := make([]Money, len(ds))
	for i, d := range ds {
		out[i] = Money(d)
	}
	return out
}

// moneyKeys are the (snake_case) names under which a dossier body holds an
// amount or a list of amounts: the fields of Amounts, Costs, Plan,
// Installment, Payment, Promise, PlanProposal and the amounts the dialogs
// and the console file. A new money field in a body gets its name here.
var moneyKeys = map[string]bool{
	"principal": true, "interest": true, "costs": true, "costs_vat": true, "vat": true,
	"paid": true, "open": true, "total": true, "amount": true, "amounts": true,
	"down_payment": true, "monthly": true, "min_installment": true, "contractual_costs": true,
}

// decimalString is what decimal.Decimal marshals to.
var decimalString = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// OutputJSON is a JSON value, typically a stored dossier body, as the
// project shows it to machines: every key snake_case (bodies that embed a
// domain value without JSON tags were stored with Go names such as
// "DownPayment") and every amount under a money key with two decimals.
// The stored bytes are not touched; empty input is {}, and input that is
// not valid JSON is returned as it is.
func OutputJSON(body json.RawMessage) json.RawMessage {
	if len(body) == 0 {
		return json.RawMessage(`{}`)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // keep integers such as ids exactly as stored
	var v any
	if err := dec.Decode(&v); err != nil {
		return body
	}
	out, err := json.Marshal(outputValue(v, false))
	if err != nil {
		return body
	}
	return out
}

func outputValue(v any, money bool) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			sk := SnakeCase(k)
			out[sk] = outputValue(x, moneyKeys[sk])
		}
		return out
	case []any:
		for i, x := range v {
			v[i] = outputValue(x, money)
		}
		return v
	case string:
		if money && decimalString.MatchString(v) {
			if d, err := decimal.NewFromString(v); err == nil {
				return Money(d)
			}
		}
		return v
	default:
		return v
	}
}

// SnakeCase turns a Go field name into the JSON convention: "DownPayment"
// → "down_payment", "CaseID" → "case_id", "SHA256" → "sha256". Names
// already in snake_case are returned as they are.
func SnakeCase(name string) string {
	if strings.IndexFunc(name, unicode.IsUpper) < 0 {
		return name
	}
	rs := []rune(name)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) {
			// A word starts at an upper-case letter that follows a lower-case
			// one or a digit, or that ends an acronym ("IDNumber" → id_number).
			if i > 0 && rs[i-1] != '_' && (unicode.IsLower(rs[i-1]) ||
				(i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1]))) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
