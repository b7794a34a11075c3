package dossierview

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// body is an entry's JSON object with its keys folded to lower case
// without underscores, so "DownPayment" (a Go struct marshalled without
// tags) and "down_payment" read alike: bodies written before and after a
// type gained JSON tags are one shape here.
type body map[string]json.RawMessage

func parseBody(raw []byte) body {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return body{}
	}
	b := make(body, len(m))
	for k, v := range m {
		b[foldKey(k)] = v
	}
	return b
}

func foldKey(k string) string { return strings.ToLower(strings.ReplaceAll(k, "_", "")) }

func (b body) has(k string) bool {
	v, ok := b[k]
	return ok && string(v) != "null"
}

// str is a string field; "" when absent or not a string.
func (b body) str(k string) string {
	var s string
	if json.Unmarshal(b[k], &s) != nil {
		return ""
	}
	return s
}

// text is a string field that was present (possibly empty).
func (b body) text(k string) (string, bool) {
	var s *string
	if json.Unmarshal(b[k], &s) != nil || s == nil {
		return "", false
	}
	return *s, true
}

// dec is an amount written as a JSON string ("390.60") or number.
func (b body) dec(k string) (decimal.Decimal, bool) {
	raw := strings.Trim(strings.TrimSpace(string(b[k])), `"`)
	if raw == "" || raw == "null" {
		return decimal.Zero, false
	}
	d, err := decimal.NewFromString(raw)
	return d, err == nil
}

func (b body) int(k string) (int64, bool) {
	raw := strings.Trim(strings.TrimSpace(string(b[k])), `"`)
	n, err := strconv.ParseInt(raw, 10, 64)
	return n, err == nil
}

// time is an instant (RFC 3339) or a calendar day ("2026-12-01").
func (b body) time(k string) (time.Time, bool) {
	s := b.str(k)
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func (b body) strs(k string) []string {
	var out []string
	_ = json.Unmarshal(b[k], &out)
	return out
}

// count is the length of an array field.
func (b body) count(k string) int {
	var out []json.RawMessage
	_ = json.Unmarshal(b[k], &out)
	return len(out)
}

func (b body) obj(k string) body {
	if !b.has(k) {
		return nil
	}
	return parseBody(b[k])
}

func (b body) list(k string) []body {
	var raws []json.RawMessage
	if json.Unmarshal(b[k], &raws) != nil {
		return nil
	}
	out := make([]body, 0, len(raws))
	for _, r := range raws {
		out = append(out, parseBody(r))
	}
	return out
}

// plan is a payment plan as entries store it (casestore.Plan).
type plan struct {
	Total, Down  decimal.Decimal
	Installments []planTerm
}

type planTerm struct {
	Seq    int
	Due    time.Time
	Amount decimal.Decimal
}

func (b body) plan(k string) (plan, bool) {
	o := b.obj(k)
	if o == nil {
		return plan{}, false
	}
	var p plan
	p.Total, _ = o.dec("total")
	p.Down, _ = o.dec("downpayment")
	for i, in := range o.list("installments") {
		t := planTerm{Seq: i + 1}
		if n, ok := in.int("seq"); ok {
			t.Seq = int(n)
		}
		t.Due, _ = in.time("due")
		t.Amount, _ = in.dec("amount")
		p.Installments = append(p.Installments, t)
	}
	return p, true
}
