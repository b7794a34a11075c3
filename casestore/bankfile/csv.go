package bankfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The CSV layout (docs/PAYMENTS.md): a header row naming the columns, in
// any order, separated by commas or semicolons. Required: entry_reference,
// booking_date, amount, credit_debit; optional: value_date, currency
// (EUR), name, iban, remittance, reference.
var csvRequired = []string{"entry_reference", "booking_date", "amount", "credit_debit"}

func parseCSV(data []byte) ([]Line, []Problem, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	if first, _, _ := bytes.Cut(data, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	header, err := r.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("bankfile: line 1: no header row: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	var missing []string
	for _, h := range csvRequired {
		if _, ok := col[h]; !ok {
			missing = append(missing, h)
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("bankfile: line 1: neither CAMT.053 nor the CSV layout: columns %s missing", strings.Join(missing, ", "))
	}
	var lines []Line
	var problems []Problem
	for {
		at, _ := r.FieldPos(0)
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				problems = append(problems, Problem{Line: pe.StartLine, Reason: pe.Err.Error()})
				continue
			}
			return lines, problems, err
		}
		at, _ = r.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		l, err := csvLine(at, get)
		if err != nil {
			problems = append(problems, Problem{Line: at, Reason: err.Error()})
			continue
		}
		lines = append(lines, l)
	}
	return lines, problems, nil
}

func csvLine(at int, get func(string) string) (Line, error) {
	l := Line{Line: at, EntryRef: get("entry_reference"), Name: get("name"), IBAN: get("iban"),
		Remittance: get("remittance"), Reference: get("reference"), Currency: strings.ToUpper(get("currency"))}
	if l.Currency == "" {
		l.Currency = "EUR"
	}
	if l.EntryRef == "" {
		return l, errors.New("entry_reference is empty: the line could not be recognised on a second import")
	}
	var err error
	if l.BookedOn, err = parseDay(get("booking_date")); err != nil {
		return l, fmt.Errorf("booking_date: %w", err)
	}
	l.ValueDate = l.BookedOn
	if v := get("value_date"); v != "" {
		if l.ValueDate, err = parseDay(v); err != nil {
			return l, fmt.Errorf("value_date: %w", err)
		}
	}
	amount := get("amount")
	if strings.Contains(amount, ",") && !strings.Contains(amount, ".") {
		amount = strings.ReplaceAll(amount, ",", ".") // 12,50
	}
	if l.Amount, err = parseAmount(amount); err != nil {
		return l, err
	}
	switch strings.ToUpper(get("credit_debit")) {
	case "C", "CRDT", "CREDIT":
		l.Credit = true
	case "D", "DBIT", "DEBIT":
	default:
		return l, fmt.Errorf("credit_debit %q: want C or D", get("credit_debit"))
	}
	return l, nil
}
