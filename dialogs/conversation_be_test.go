package dialogs

import (
	"testing"

	"github.com/incassobot/incassobot/casestore"
)

// flemishCase is the fixture case for a Dutch-speaking debtor in Gent.
func flemishCase() *casestore.Case {
	c := fixtureCase(casestore.Minnelijk)
	c.Regime = casestore.BEB2C
	c.Debtor.Postcode = "9000"
	return c
}

// A Belgian postcode is four bare digits, which elsewhere are an amount or
// a year: typed with the dossier number, or when asked for, it verifies.
func TestBelgianPostcodeVerifies(t *testing.T) {
	for _, c := range []conversation{
		{Name: "be/postcode with the dossier number", Case: flemishCase(), Turns: []turnSpec{
			{Say: "hallo", Node: NodeVerifyRef},
			{Say: refOnFile + " 9000", Want: []string{"U bent geïdentificeerd"}, Verified: yes,
				Entries: []string{"verification.succeeded"}},
		}},
		{Name: "be/postcode asked for", Case: flemishCase(), Turns: []turnSpec{
			{Say: "hallo", Node: NodeVerifyRef},
			{Say: refOnFile, Node: NodeVerifyFactor, Verified: no},
			{Say: "9000", Want: []string{"U bent geïdentificeerd"}, Verified: yes},
		}},
		{Name: "be/a wrong four digits is a failed attempt", Case: flemishCase(), Turns: []turnSpec{
			{Say: "hallo", Node: NodeVerifyRef},
			{Say: refOnFile + " 1000", Verified: no, Entries: []string{"verification.failed"}},
		}},
		{Name: "be/four digits without context are no postcode", Case: flemishCase(), Turns: []turnSpec{
			{Say: "hallo", Node: NodeVerifyRef},
			{Say: "ik kan 9000 niet betalen", Verified: no, Entries: []string{}},
		}},
	} {
		t.Run(c.Name, func(t *testing.T) { converse(t, c) })
	}
}
