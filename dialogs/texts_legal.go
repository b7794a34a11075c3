package dialogs

import (
	"strings"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// What the balance rests on (issue #14): the kind of interest, its rate and
// start date, the VAT on the costs on its own line, and for Belgian
// consumers that the costs are a contractual damages clause (schadebeding).
// Kept in this file, added to the catalogs at start, so the catalogs
// themselves stay as they are.
const (
	kBalanceInterestBasis msgKey = "balance.interest_basis"
	kBalanceCostsVAT      msgKey = "balance.costs_vat"
	kBalanceDamagesBE     msgKey = "balance.damages_be"
	kInterestNLStatutory  msgKey = "interest.nl_statutory"
	kInterestNLCommercial msgKey = "interest.nl_commercial"
	kInterestBEStatutory  msgKey = "interest.be_statutory"
	kInterestBELate       msgKey = "interest.be_late_payment"
	kPlanInterestRuns     msgKey = "plan.interest_runs"
	kPlanInterestStops    msgKey = "plan.interest_stops"
)

func init() {
	for lang, texts := range map[casestore.Language]map[msgKey]string{
		casestore.Dutch: {
			kBalanceInterestBasis: "De rente is {kind}: {rate} per jaar, vanaf {date}.",
			kBalanceCostsVAT:      "In de kosten zit {vat} btw (21%).",
			kBalanceDamagesBE:     "De kosten zijn het schadebeding uit uw overeenkomst, binnen de grenzen van de wet (art. XIX.4 WER).",
			kInterestNLStatutory:  "de wettelijke rente (art. 6:119 BW)",
			kInterestNLCommercial: "de wettelijke handelsrente (art. 6:119a BW)",
			kInterestBEStatutory:  "de wettelijke interest",
			kInterestBELate:       "de verwijlinterest van de wet van 2 augustus 2002",
			kPlanInterestRuns:     "Tijdens de regeling loopt de rente door; die zit al in de bedragen hierboven.",
			kPlanInterestStops:    "Zolang u zich aan de regeling houdt, komt er geen rente meer bij.",
		},
		casestore.English: {
			kBalanceInterestBasis: "The interest is {kind}: {rate} a year, from {date}.",
			kBalanceCostsVAT:      "The costs include {vat} VAT (21%).",
			kBalanceDamagesBE:     "The costs are the damages clause (schadebeding) of your contract, within the legal limits (art. XIX.4 WER).",
			kInterestNLStatutory:  "Dutch statutory interest (art. 6:119 BW)",
			kInterestNLCommercial: "Dutch statutory commercial interest (art. 6:119a BW)",
			kInterestBEStatutory:  "Belgian statutory interest",
			kInterestBELate:       "late-payment interest under the Belgian law of 2 August 2002",
			kPlanInterestRuns:     "Interest keeps running during the plan; it is included in the amounts above.",
			kPlanInterestStops:    "As long as you keep to the plan, no more interest is added.",
		},
		casestore.French: {
			kBalanceInterestBasis: "Les intérêts sont {kind} : {rate} par an, depuis le {date}.",
			kBalanceCostsVAT:      "Les frais comprennent {vat} de TVA (21 %).",
			kBalanceDamagesBE:     "Les frais sont la clause pénale de votre contrat, dans les limites légales (art. XIX.4 CDE).",
			kInterestNLStatutory:  "l'intérêt légal néerlandais (art. 6:119 BW)",
			kInterestNLCommercial: "l'intérêt légal commercial néerlandais (art. 6:119a BW)",
			kInterestBEStatutory:  "l'intérêt légal",
			kInterestBELate:       "les intérêts de retard de la loi du 2 août 2002",
			kPlanInterestRuns:     "Les intérêts continuent de courir pendant le plan ; ils sont compris dans les montants ci-dessus.",
			kPlanInterestStops:    "Tant que vous respectez le plan, aucun intérêt n'est ajouté.",
		},
	} {
		for k, s := range texts {
			catalogs[lang][k] = s
		}
	}
}

var interestKindKeys = map[casestore.InterestKind]msgKey{
	casestore.NLStatutory: kInterestNLStatutory, casestore.NLCommercial: kInterestNLCommercial,
	casestore.BEStatutory: kInterestBEStatutory, casestore.BELatePayment: kInterestBELate,
}

// sayLegalBasis tells the debtor what the balance rests on: the interest
// (kind, the rate now in force, since when), the VAT in the costs, and for
// a Belgian consumer that the costs are the contract's damages clause.
func (t *turn) sayLegalBasis(b casestore.Breakdown) {
	lang, x := t.st.language(), b.Explanation
	if x.InterestStart != nil && len(x.Rates) > 0 && b.Total.Interest.IsPositive() {
		t.say(kBalanceInterestBasis, "kind", render(lang, interestKindKeys[x.InterestKind]),
			"rate", percent(lang, x.Rates[len(x.Rates)-1].Percent), "date", day(lang, *x.InterestStart))
	}
	if b.Total.CostsVAT.IsPositive() {
		t.say(kBalanceCostsVAT, "vat", Money(lang, b.Total.CostsVAT))
	}
	if b.Regime == casestore.BEB2C && b.Total.Costs.IsPositive() {
		t.say(kBalanceDamagesBE)
	}
}

// percent writes a yearly rate: "10,40%" (nl), "10.40%" (en), "10,40 %"
// (fr); whole rates without decimals ("4%").
func percent(lang casestore.Language, p decimal.Decimal) string {
	s := p.StringFixed(2)
	s = strings.TrimSuffix(s, ".00")
	switch lang {
	case casestore.English:
		return s + "%"
	case casestore.French:
		return strings.Replace(s, ".", ",", 1) + " %"
	}
	return strings.Replace(s, ".", ",", 1) + "%"
}

// planInterestLine tells the debtor whether interest keeps running during
// plan p on case c (the creditor's policy; projected into p's amounts when
// it does), so every plan offer says so.
func planInterestLine(lang casestore.Language, c *casestore.Case, p casestore.Plan) string {
	if p.InterestDuringPlan || (c != nil && c.Policy.InterestDuringPlan) {
		return render(lang, kPlanInterestRuns)
	}
	return render(lang, kPlanInterestStops)
}
