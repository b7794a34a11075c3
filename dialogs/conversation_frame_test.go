package dialogs

import (
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// Conversations off the script: closers, questions about us and about what
// is on file, a request made before identifying, compound offers, and the
// SMS rendering. Tables of turns, like every dialog test.

func withStatus(c *casestore.Case, s casestore.Status) *casestore.Case {
	c.Status = s
	return c
}

func TestFrameConversations(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return casestore.Date(y, m, day) }
	inv := int64(1001)
	plan := &casestore.Plan{ID: 5, CaseID: 101, Status: casestore.PlanActive, Total: decimal.RequireFromString("300"),
		Installments: []casestore.Installment{{Seq: 1, Due: d(2026, time.May, 1), Amount: decimal.RequireFromString("100")},
			{Seq: 2, Due: d(2026, time.July, 1), Amount: decimal.RequireFromString("100")}, {Seq: 3, Due: d(2026, time.August, 1), Amount: decimal.RequireFromString("100")}}}
	for _, c := range []conversation{
		{Name: "a thank-you is never a sorry, nor the menu", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "dank u wel", Intent: IntentThanks, Want: []string{"Graag gedaan"}, WantNot: []string{"Sorry", "1. "}, Effects: []string{}},
			{Say: "👍", Intent: IntentThanks, Want: []string{"Graag gedaan"}, WantNot: []string{"Sorry"}},
			{Say: "merci", Want: []string{"Graag gedaan"}},
		})},
		{Name: "who are you, before identifying: the agency and its contact, nothing of the case", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "is dit oplichting? wie zijn jullie", Intent: IntentAboutUs, Want: []string{"Incasso Demo B.V.", "www.incasso-demo.example", "dossiernummer"},
				WantNot: []string{"Energie Noord", "1.234,56"}, Verified: no, Effects: []string{}},
			{Say: refOnFile + " 1234AB", Verified: yes},
			{Say: "wie is de schuldeiser?", Intent: IntentAboutUs, Want: []string{"Energie Noord B.V.", "F-1001"}},
		}},
		{Name: "how is my dispute: answered from the case, no new dispute", Case: fixtureCase(casestore.Minnelijk),
			OnFile: OnFile{Disputes: []*casestore.Dispute{{ID: 3, CaseID: 101, InvoiceID: &inv, Status: casestore.DisputeOpen, CreatedAt: d(2026, time.June, 1)}}},
			Turns: seq(verifyNL(), []turnSpec{
				{Say: "hoe staat het met mijn bezwaar?", Intent: IntentCaseStatus, Want: []string{"factuur F-1001", "in behandeling"},
					WantNot: []string{"deurwaarder"}, Effects: []string{}},
			})},
		{Name: "when is my next installment: the plan on file", Case: withStatus(fixtureCase(casestore.Minnelijk), casestore.StatusInPlan),
			OnFile: OnFile{Plans: []*casestore.Plan{plan}},
			Turns: seq(verifyNL(), []turnSpec{
				{Say: "wanneer is mijn volgende termijn", Intent: IntentCaseStatus, Want: []string{"1 juli 2026", "€ 100,00", "termijn 2 van 3"}, Effects: []string{}},
				{Say: "hoeveel moet ik nog betalen", Want: []string{"Nog te betalen", "regeling loopt"}, WantNot: []string{"deurwaarder"}},
			})},
		{Name: "a paid case: nothing open, no pressure, no link", Case: withStatus(fixtureCase(casestore.Minnelijk), casestore.StatusPaid), Turns: seq(verifyNL(), []turnSpec{
			{Say: "moet ik nog iets betalen?", Want: []string{"niets meer open"}, WantNot: []string{"deurwaarder", "pay.example"}},
			{Say: "stuur de betaallink", Want: []string{"niets meer open"}, WantNot: []string{"pay.example"}, Effects: []string{}},
		})},
		{Name: "a promise said before identifying is kept with its date", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "ik betaal vrijdag alles", Want: []string{"dossiernummer"}, Effects: []string{}},
			{Say: refOnFile + " 1234AB", Want: []string{"12 juni 2026"}, Effects: []string{"promise.make"}},
		}},
		{Name: "100 now and the rest next month is a plan proposal, never one promise", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik kan nu 100 euro betalen en de rest volgende maand", Intent: IntentPlan, Node: NodePlanConfirm, Want: []string{"€ 100,00"}, Effects: []string{}},
		})},
		{Name: "50 euro per week is paid weekly", Case: singleInvoice(fixtureCase(casestore.Minnelijk)), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik kan 50 euro per week betalen", Node: NodePlanConfirm, Check: func(t *testing.T, r Result) {
				p := r.State.Flow.Plan
				if p == nil || len(p.Installments) < 2 || p.Installments[1].Due.Sub(p.Installments[0].Due) != 7*24*time.Hour || !p.Installments[0].Amount.Equal(decimal.NewFromInt(50)) {
					t.Errorf("plan shown: %+v, want € 50 every week", p)
				}
			}},
		})},
		{Name: "refusing a plan is no plan", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik wil geen regeling, ik betaal alles in 1x", Intent: IntentPayNow, Want: []string{"pay.example.test"}, Effects: []string{}},
		})},
		{Name: "SMS in GSM-7: no ï in geïdentificeerd", Case: fixtureCase(casestore.Minnelijk), Channel: ChannelSMS, Turns: []turnSpec{
			{Say: refOnFile + " 1234AB", Want: []string{"U bent geidentificeerd"}, WantNot: []string{"ï"}},
		}},
	} {
		t.Run(c.Name, func(t *testing.T) { converse(t, c) })
	}
}
