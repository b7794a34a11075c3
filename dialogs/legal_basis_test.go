package dialogs

import (
	"strings"
	"testing"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// Issue #14 point 7: the balance names the kind of interest, its rate and
// its start date; VAT on the costs is its own line; a Belgian consumer's
// costs are called the damages clause of the contract.
func TestBalanceSaysWhatItRestsOn(t *testing.T) {
	// The fixture: F-1001 due 31 Jan 2026, so interest from 1 Feb 2026, at
	// the 6:119 rate in force since 1 Jan 2026 (rates/nl-statutory.csv: 4%).
	vat := fixtureCase(casestore.Minnelijk)
	vat.Creditor.VATOnCosts = true
	b, err := casestore.Balance(vat, casestore.DayOf(convNow))
	if err != nil {
		t.Fatal(err)
	}
	be := belgianCase(casestore.Minnelijk)
	be.Clause = &casestore.DamagesClause{Terms: "art. 7", Damages: true, LatePaymentInterest: true, AnnouncedInReminder: true}
	for _, c := range []conversation{
		{Name: "nl", Case: vat, Turns: seq(verifyNL(), []turnSpec{{Say: "hoeveel moet ik nog betalen?",
			Want: []string{"De rente is de wettelijke rente (art. 6:119 BW): 4% per jaar, vanaf 1 februari 2026.",
				"In de kosten zit " + Money(casestore.Dutch, b.Total.CostsVAT) + " btw (21%)."}}})},
		{Name: "be fr", Case: be, Turns: seq(verifyFR(), []turnSpec{{Say: "combien je dois encore ?",
			// Late-payment interest by the clause, 2026 H1 rate 10.50%, from
			// the day after F-1001's due date.
			Want:    []string{"les intérêts de retard de la loi du 2 août 2002 : 10,50 % par an, depuis le 1 février 2026", "clause pénale"},
			WantNot: []string{"TVA"}}})},
	} {
		t.Run(c.Name, func(t *testing.T) { converse(t, c) })
	}
	if !b.Total.CostsVAT.GreaterThan(decimal.Zero) {
		t.Fatal("the fixture should carry VAT on costs")
	}
}

// Issue #14 point 6: every plan offer says whether interest keeps running.
func TestPlanOfferSaysWhetherInterestRuns(t *testing.T) {
	running := fixtureCase(casestore.Minnelijk)
	running.Policy.InterestDuringPlan = true
	for _, c := range []conversation{
		{Name: "policy without interest", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik kan 200 euro per maand betalen", Want: []string{"komt er geen rente meer bij"}, WantNot: []string{"loopt de rente door"}}})},
		{Name: "policy with interest", Case: running, Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik kan 200 euro per maand betalen", Want: []string{"Tijdens de regeling loopt de rente door"}}})},
	} {
		t.Run(c.Name, func(t *testing.T) { converse(t, c) })
	}
	p := decisionPlan()
	p.InterestDuringPlan = true
	if got := PlanCounteredText(casestore.French, decisionCase(""), p); !strings.Contains(got, "Les intérêts continuent de courir") {
		t.Errorf("a collector's counter-offer with interest must say so:\n%s", got)
	}
}
