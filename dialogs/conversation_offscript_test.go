package dialogs

import (
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// Classes of conversations off the script (issue #12), each in several
// languages and wordings of our own: payment reports filed at once,
// refusals, a change of mind at the plan prompt, a weekly amount kept per
// week, the case's state (plan, promise, dispute) answered instead of a new
// request, debt help of the debtor's own country, questions about us kept
// across identification, a person asked in English.

func verifyBE() []turnSpec {
	return []turnSpec{
		{Say: "hallo", Node: NodeVerifyRef},
		{Say: refOnFile + " 9000", Want: []string{"U bent geïdentificeerd"}, Verified: yes},
	}
}

func TestOffScriptConversations(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return casestore.Date(y, m, day) }
	inv := int64(1001)
	plan := &casestore.Plan{ID: 5, CaseID: 101, Status: casestore.PlanActive, Total: decimal.RequireFromString("300"),
		Installments: []casestore.Installment{{Seq: 1, Due: d(2026, time.May, 1), Amount: decimal.RequireFromString("100")},
			{Seq: 2, Due: d(2026, time.July, 1), Amount: decimal.RequireFromString("100")}, {Seq: 3, Due: d(2026, time.August, 1), Amount: decimal.RequireFromString("100")}}}
	inPlan := OnFile{Plans: []*casestore.Plan{plan}}
	promised := OnFile{Promises: []*casestore.Promise{{ID: 4, CaseID: 101, Status: casestore.PromiseOpen, Amount: decimal.RequireFromString("80"), Date: d(2026, time.June, 19)}}}
	disputed := OnFile{Disputes: []*casestore.Dispute{{ID: 3, CaseID: 101, InvoiceID: &inv, Status: casestore.DisputeOpen, CreatedAt: d(2026, time.June, 1)}}}
	reported := func(amount string) func(t *testing.T, r Result) {
		return func(t *testing.T, r Result) {
			for _, e := range r.Effects {
				if p, ok := e.(ReportPayment); ok {
					if amount != "" && !p.Amount.Equal(decimal.RequireFromString(amount)) {
						t.Errorf("reported %s, want %s", p.Amount, amount)
					}
					return
				}
			}
			t.Errorf("no payment report in %v", r.Effects)
		}
	}
	paidEffects := []string{"payment.report", "task.open"}
	for _, c := range []conversation{
		// Payment reports with a day or an amount are filed at once.
		{Name: "nl/paid two days ago with an amount", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "eergisteren heb ik 75 euro overgemaakt hoor", Intent: IntentAlreadyPaid, Effects: paidEffects, WantNot: []string{"pay.example"}, Check: reported("75")},
		})},
		{Name: "en/paid the full amount last monday", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyEN(), []turnSpec{
			{Say: "I transferred the full amount last monday", Intent: IntentAlreadyPaid, Effects: paidEffects, WantNot: []string{"pay.example", "noted"}, Check: reported("")},
		})},
		{Name: "fr/paid 50 last week", Case: belgianCase(casestore.Minnelijk), Turns: seq(verifyFR(), []turnSpec{
			{Say: "j'ai payé 50 euros la semaine passée", Intent: IntentAlreadyPaid, Effects: paidEffects, Check: reported("50")},
		})},
		{Name: "be/flemish: paid 80, asks whether it arrived", Case: flemishCase(), Turns: seq(verifyBE(), []turnSpec{
			{Say: "'k heb vorige week al 80 euro gestort, is da al binnen?", Intent: IntentAlreadyPaid, Effects: paidEffects, Check: reported("80")},
		})},
		{Name: "nl/identifying and reporting the payment in one message", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "goedemiddag, dossier " + refOnFile + " postcode 1234AB, ik heb vorige maand alles al betaald", Verified: yes, Effects: []string{"payment.report", "task.open"}},
		}},

		// Refusals are no commitment and get the ways out.
		{Name: "nl/refusal", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik ga echt niks betalen, waanzin dit", Want: []string{"bezwaar", "betalingsregeling"}, WantNot: []string{"Over welke factuur", "genoteerd"}, Effects: []string{}},
		})},
		{Name: "en/refusal", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyEN(), []turnSpec{
			{Say: "I'm not paying anything", Want: []string{"dispute", "payment plan"}, Effects: []string{}},
		})},
		{Name: "fr/refusal", Case: belgianCase(casestore.Minnelijk), Turns: seq(verifyFR(), []turnSpec{
			{Say: "je ne paierai rien du tout", Want: []string{"contester"}, Effects: []string{}},
		})},
		{Name: "be/flemish refusals", Case: flemishCase(), Turns: seq(verifyBE(), []turnSpec{
			{Say: "'k ga da nie betalen", Want: []string{"bezwaar"}, Effects: []string{}},
			{Say: "ik betaal geen frank", Want: []string{"bezwaar"}, WantNot: []string{"taal", "langue"}, Effects: []string{}},
		})},
		{Name: "nl/refusal with a reason of hardship is hardship", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik betaal niks want ik zit al maanden zonder inkomen", Intent: IntentHardship, Effects: []string{"handoff"}, WantNot: []string{"genoteerd"}},
		})},

		// A change of mind at the plan prompt takes the new request.
		{Name: "nl/change of mind: pays it all on a day instead", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "kan ik 100 euro per maand betalen", Node: NodePlanConfirm},
			{Say: "laat maar, ik betaal toch alles op de 19e", Want: []string{"19 juni 2026"}, Effects: []string{"promise.make"}},
		})},
		{Name: "en/change of mind: pays it all next friday", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyEN(), []turnSpec{
			{Say: "can I pay 100 a month", Node: NodePlanConfirm},
			{Say: "no actually I will pay everything next friday", Effects: []string{"promise.make"}},
		})},
		{Name: "nl/weekly amount stays weekly", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik kan wekelijks 200 euro missen, 200 euro per week", Want: []string{"per week"}, Node: NodePlanConfirm},
		})},

		// The case's state.
		{Name: "en/in a plan: when to pay again is the plan, no new one", Case: withStatus(fixtureCase(casestore.Minnelijk), casestore.StatusInPlan), OnFile: inPlan,
			Turns: seq(verifyEN(), []turnSpec{
				{Say: "when do I need to pay again for my plan?", Want: []string{"1 July 2026"}, WantNot: []string{"how much"}, Effects: []string{}},
			})},
		{Name: "be/in a plan: this month's term later goes to a collector", Case: withStatus(flemishCase(), casestore.StatusInPlan), OnFile: inPlan,
			Turns: seq(verifyBE(), []turnSpec{
				{Say: "mag ik de afbetaling van deze maand wat later doen, volgende week", Want: []string{"medewerker"}, WantNot: []string{"per maand"}, Effects: []string{"task.open"}},
			})},
		{Name: "en/promise on file: does it still stand", Case: fixtureCase(casestore.Minnelijk), OnFile: promised, Turns: seq(verifyEN(), []turnSpec{
			{Say: "does my promise still stand?", Want: []string{"19 June 2026"}, Effects: []string{}},
		})},
		{Name: "nl/promise on file: staat mijn afspraak nog", Case: fixtureCase(casestore.Minnelijk), OnFile: promised, Turns: seq(verifyNL(), []turnSpec{
			{Say: "geldt mijn afspraak nog?", Want: []string{"19 juni 2026"}, Effects: []string{}},
			{Say: "is mijn belofte nog ok", Want: []string{"19 juni 2026"}, Effects: []string{}},
		})},
		{Name: "nl/dispute on file: asked again, its status", Case: fixtureCase(casestore.Minnelijk), OnFile: disputed, Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik had toch al bezwaar gemaakt, die rekening klopt gewoon niet", Want: []string{"in behandeling"}, WantNot: []string{"Over welke factuur"}, Effects: []string{}},
		})},
		{Name: "nl/closed case: is it true it was waived", Case: withStatus(fixtureCase(casestore.Minnelijk), casestore.StatusClosed), Turns: seq(verifyNL(), []turnSpec{
			{Say: "is het waar dat die rekening vervallen is?", Want: []string{"afgesloten"}, WantNot: []string{"pay.example", "Wat klopt er niet"}, Effects: []string{}},
		})},

		// Debt help of the debtor's country.
		{Name: "nl/hardship: Dutch debt help only", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik ben werkloos geworden en kan niks missen", Intent: IntentHardship, Want: []string{"schuldhulpverlening van uw gemeente"}, WantNot: []string{"OCMW", "CAW"}},
		})},
		{Name: "be/hardship: Belgian debt help only", Case: flemishCase(), Turns: seq(verifyBE(), []turnSpec{
			{Say: "ik heb geen werk meer en kom niet rond", Intent: IntentHardship, Want: []string{"OCMW", "CAW"}, WantNot: []string{"schuldhulpverlening"}},
		})},
		{Name: "fr/be hardship: CPAS", Case: belgianCase(casestore.Minnelijk), Turns: seq(verifyFR(), []turnSpec{
			{Say: "j'ai perdu mon travail, je ne m'en sors plus", Intent: IntentHardship, Want: []string{"CPAS"}, WantNot: []string{"schuldhulpverlening"}},
		})},

		// Questions about us, kept across identification.
		{Name: "en/who is the creditor, asked before identifying", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "Hi, who is the creditor here?", Intent: IntentAboutUs, WantNot: []string{"Energie Noord"}, Verified: no},
			{Say: refOnFile + ", born 14 March 1985", Want: []string{"Energie Noord"}, Verified: yes},
		}},
		{Name: "fr/lost the mail, then identifies", Case: belgianCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "bonjour, j'ai perdu le courrier", Intent: IntentAboutUs, WantNot: []string{"Energie Noord"}, Verified: no},
			{Say: refOnFile + ", code postal 1000", Want: []string{"Energie Noord"}, Verified: yes},
		}},
		{Name: "nl/balance and creditor in one question", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "wie is de schuldeiser en hoeveel staat er nog open?", Want: []string{"Energie Noord", "Nog te betalen"}},
			{Say: "wie is eigenlijk uw opdrachtgever", Intent: IntentAboutUs, Want: []string{"Energie Noord"}},
		})},

		// A person, in English; a call right now is a person.
		{Name: "en/a human being", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyEN(), []turnSpec{
			{Say: "I want to speak with a human being", Want: []string{"colleague"}, Effects: []string{"handoff"}},
		})},
		{Name: "nl/call me right now is a person", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "kunnen jullie me nu meteen bellen", Intent: IntentHuman, Effects: []string{"handoff"}},
		})},
	} {
		t.Run(c.Name, func(t *testing.T) { converse(t, c) })
	}
}
