package importfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// jsonCase is one element of a JSON import file. Amounts and dates are
// strings (numbers are accepted too) so that both files go through the
// same checks; see docs/IMPORT.md.
type jsonCase struct {
	Dossier      scalar        `json:"dossier"`
	Regime       scalar        `json:"regime"`
	Stage        scalar        `json:"stage"`
	Status       scalar        `json:"status"`
	LetterSentOn scalar        `json:"letter_sent_on"`
	Clause       jsonClause    `json:"damages_clause"`
	Bewind       scalar        `json:"bewindvoering"`
	Settlement   scalar        `json:"debt_settlement"`
	Creditor     jsonCreditor  `json:"creditor"`
	Debtor       jsonDebtor    `json:"debtor"`
	Invoices     []jsonInvoice `json:"invoices"`
}

type jsonCreditor struct {
	Code             scalar `json:"code"`
	Name             scalar `json:"name"`
	VATOnCosts       scalar `json:"vat_on_costs"`
	ContractualCosts scalar `json:"contractual_costs"`
	PaymentURL       scalar `json:"payment_url"`
	MinimumPerInv    scalar `json:"minimum_per_invoice"`
}

// jsonClause is the Belgian consumer clause (the clause_* CSV columns).
type jsonClause struct {
	Terms      scalar `json:"terms"`
	Damages    scalar `json:"damages"`
	DamagesPct scalar `json:"damages_pct"`
	Interest   scalar `json:"late_payment_interest"`
	Announced  scalar `json:"announced_in_reminder"`
}

type jsonDebtor struct {
	Ref       scalar    `json:"ref"`
	Name      scalar    `json:"name"`
	IsCompany scalar    `json:"is_company"`
	Phones    phoneList `json:"phones"`
	Email     scalar    `json:"email"`
	Postcode  scalar    `json:"postcode"`
	BirthDate scalar    `json:"birth_date"`
	Language  scalar    `json:"language"`
}

type jsonInvoice struct {
	Number      scalar `json:"number"`
	Description scalar `json:"description"`
	IssueDate   scalar `json:"issue_date"`
	DueDate     scalar `json:"due_date"`
	Principal   scalar `json:"principal"`
	Status      scalar `json:"status"`
	Document    scalar `json:"document"`        // path, relative to the import file's folder
	DocumentB64 scalar `json:"document_base64"` // or the file itself
}

// scalar is a JSON string, number, boolean or null read as its text, so
// 1234.56, "1234.56" and "1.234,56" are all accepted and checked alike.
type scalar string

func (s *scalar) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = ""
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = scalar(v)
	case len(b) > 0 && (b[0] == '{' || b[0] == '['):
		return fmt.Errorf("expected a string, number or boolean")
	default:
		*s = scalar(b)
	}
	return nil
}

// phoneList is an array of numbers or, for the common case, one string.
type phoneList []scalar

func (p *phoneList) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '[' {
		return json.Unmarshal(b, (*[]scalar)(p))
	}
	var one scalar
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*p = phoneList{one}
	return nil
}

// ParseJSON reads a JSON array of case objects. Each object is checked on
// its own and reported by the line it starts on; broken JSON syntax stops
// the whole file, since nothing after it can be trusted.
func ParseJSON(r io.Reader) (*Result, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, fmt.Errorf("line %d: a JSON import file is an array of cases: [ {…}, … ]", lineAt(data, dec.InputOffset()))
	}
	g := newGrouper()
	for dec.More() {
		line := lineAt(data, dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, jsonSyntax(data, err)
		}
		var jc jsonCase
		strict := json.NewDecoder(bytes.NewReader(raw))
		strict.DisallowUnknownFields()
		if err := strict.Decode(&jc); err != nil {
			g.problem(line, "case object: "+strings.TrimPrefix(err.Error(), "json: "))
			continue
		}
		if rec, reason := jc.record(); reason != "" {
			g.problem(line, reason)
		} else {
			rec.Lines = []int{line}
			for i := range rec.Documents {
				rec.Documents[i].Line = line
			}
			g.addCase(rec)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, jsonSyntax(data, err)
	}
	return g.result(), nil
}

// record checks a case object like a CSV row, then each invoice.
func (jc *jsonCase) record() (Record, string) {
	var phones []string
	for _, p := range jc.Debtor.Phones {
		phones = append(phones, string(p))
	}
	f := fields{
		"dossier": string(jc.Dossier), "regime": string(jc.Regime), "stage": string(jc.Stage),
		"status": string(jc.Status), "letter_sent_on": string(jc.LetterSentOn),
		"bewindvoering": string(jc.Bewind), "debt_settlement": string(jc.Settlement),
		"creditor_code": string(jc.Creditor.Code), "creditor_name": string(jc.Creditor.Name),
		"creditor_vat_on_costs":        string(jc.Creditor.VATOnCosts),
		"creditor_contractual_costs":   string(jc.Creditor.ContractualCosts),
		"creditor_payment_url":         string(jc.Creditor.PaymentURL),
		"creditor_minimum_per_invoice": string(jc.Creditor.MinimumPerInv),
		"clause_terms":                 string(jc.Clause.Terms), "clause_damages": string(jc.Clause.Damages),
		"clause_damages_pct": string(jc.Clause.DamagesPct), "clause_interest": string(jc.Clause.Interest),
		"clause_announced": string(jc.Clause.Announced),
		"debtor_ref":       string(jc.Debtor.Ref), "debtor_name": string(jc.Debtor.Name),
		"debtor_is_company": string(jc.Debtor.IsCompany), "debtor_phone": strings.Join(phones, "|"),
		"debtor_email": string(jc.Debtor.Email), "debtor_postcode": string(jc.Debtor.Postcode),
		"debtor_birth_date": string(jc.Debtor.BirthDate), "debtor_language": string(jc.Debtor.Language),
	}
	var errs rowErrors
	rec := parseCaseFields(f, &errs)
	if len(jc.Invoices) == 0 {
		errs.add("invoices: at least one invoice is required")
	}
	numbers := map[string]bool{}
	for i, ji := range jc.Invoices {
		var ie rowErrors
		inv := parseInvoice(fields{
			"invoice_number": string(ji.Number), "invoice_description": string(ji.Description),
			"invoice_issue_date": string(ji.IssueDate), "invoice_due_date": string(ji.DueDate),
			"invoice_principal": string(ji.Principal), "invoice_status": string(ji.Status),
		}, &ie)
		if doc := documentSource(inv.Number, string(ji.Document), string(ji.DocumentB64), &ie); doc != nil {
			rec.Documents = append(rec.Documents, *doc)
		}
		key := strings.ToLower(inv.Number)
		if inv.Number != "" && numbers[key] {
			ie.add("invoice %s appears twice", inv.Number)
		}
		numbers[key] = true
		for _, e := range ie {
			errs.add("invoices[%d]: %s", i, e)
		}
		rec.Case.Invoices = append(rec.Case.Invoices, inv)
	}
	if len(errs) > 0 {
		return Record{}, errs.String()
	}
	return rec, ""
}

func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	// The decoder's offset sits before any whitespace or comma that
	// precedes the next value; the value's own line is what a person sees.
	for off < int64(len(data)) && strings.ContainsRune(" \t\r\n,", rune(data[off])) {
		off++
	}
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

func jsonSyntax(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("line %d: invalid JSON: %v", 1+bytes.Count(data[:min(se.Offset, int64(len(data)))], []byte("\n")), se)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("line %d: invalid JSON: the file ends too early", 1+bytes.Count(data, []byte("\n")))
	}
	return fmt.Errorf("invalid JSON: %w", err)
}
