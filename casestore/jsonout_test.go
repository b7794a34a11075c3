package casestore_test

import (
	"encoding/json"
	"testing"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

func TestMoneyIsTwoDecimalsInJSON(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"390.6", `"390.60"`}, {"0", `"0.00"`}, {"49.405", `"49.41"`}, {"-1.5", `"-1.50"`}, {"2500", `"2500.00"`},
	} {
		got, err := json.Marshal(casestore.Money(decimal.RequireFromString(tc.in)))
		if err != nil || string(got) != tc.want {
			t.Errorf("Money(%s) = %s, %v; want %s", tc.in, got, err, tc.want)
		}
		var back casestore.Money
		if err := json.Unmarshal(got, &back); err != nil || `"`+back.String()+`"` != tc.want {
			t.Errorf("reading %s back: %v, %v", got, back, err)
		}
	}
}

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{
		"DownPayment": "down_payment", "CaseID": "case_id", "ID": "id", "SHA256": "sha256",
		"CreatedAt": "created_at", "IDNumber": "id_number", "costs_vat": "costs_vat", "Intent": "intent",
	} {
		if got := casestore.SnakeCase(in); got != want {
			t.Errorf("SnakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}

// A plan stored with Go field names and decimal's shortest form comes out
// in the convention; ids, counts, postcodes and texts stay as they were.
func TestOutputJSONShowsStoredBodiesInTheConvention(t *testing.T) {
	stored := `{"outcome":"accept","plan":{"ID":0,"CaseID":1,"Total":"395.21","DownPayment":"0",` +
		`"Installments":[{"Seq":1,"Due":"2027-01-02T00:00:00Z","Amount":"49.4"}]},` +
		`"proposal":{"monthly":"50","terms":0},"postcode":"9000","text":"ik betaal 50","outbound_id":12345678901234567,` +
		`"breakdown":{"total":{"principal":"390.6","open":"395.21"}},"amounts":["50","12.5"]}`
	var got map[string]any
	if err := json.Unmarshal(casestore.OutputJSON(json.RawMessage(stored)), &got); err != nil {
		t.Fatal(err)
	}
	want := `{"amounts":["50.00","12.50"],"breakdown":{"total":{"open":"395.21","principal":"390.60"}},` +
		`"outbound_id":12345678901234567,"outcome":"accept","plan":{"case_id":1,"down_payment":"0.00","id":0,` +
		`"installments":[{"amount":"49.40","due":"2027-01-02T00:00:00Z","seq":1}],"total":"395.21"},` +
		`"postcode":"9000","proposal":{"monthly":"50.00","terms":0},"text":"ik betaal 50"}`
	if b := string(casestore.OutputJSON(json.RawMessage(stored))); b != want {
		t.Errorf("OutputJSON:\n got %s\nwant %s", b, want)
	}
	if string(casestore.OutputJSON(nil)) != "{}" {
		t.Error("an empty body must come out as {}")
	}
	if string(casestore.OutputJSON(json.RawMessage(`{"text":`))) != `{"text":` {
		t.Error("a broken body must come out unchanged")
	}
}
