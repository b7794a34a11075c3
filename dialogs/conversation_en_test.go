package dialogs

import (
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// verifyEN identifies the fixture debtor, detecting English from "Hi".
func verifyEN() []turnSpec {
	return []turnSpec{
		{Say: "Hi", Want: []string{"file number", "postcode or date of birth"}, Node: NodeVerifyRef},
		{Say: refOnFile + ", born 14 March 1985", Want: []string{"You have been identified", "How can I help"}, Verified: yes},
	}
}

func conversationsEN(t *testing.T) []conversation {
	minn := fixtureCase(casestore.Minnelijk)
	return []conversation{
		{Name: "en/balance in English although Dutch is on file", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyEN(), []turnSpec{
			{Say: "how much do I still owe", Intent: IntentBalance, Want: append(shown(t, minn, casestore.English), "Principal", "bailiff"),
				Entries: []string{"balance.shown"}},
		})},
		{Name: "en/plan in 6 installments", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyEN(), []turnSpec{
			{Say: "I can pay in 6 installments", Want: []string{"That is possible", "10 July 2026", "YES"}, Node: NodePlanConfirm},
			{Say: "yes", Want: []string{"plan is confirmed"}, Effects: []string{"plan.propose", "case.status"}, Check: planSumsCheck(6)},
		})},
		{Name: "en/dispute: never received", Case: singleInvoice(fixtureCase(casestore.Minnelijk)), Turns: seq(verifyEN(), []turnSpec{
			{Say: "I never received the invoice", Want: []string{"explain"}, Node: NodeDisputeText},
			{Say: "It was sent to my old address", Want: []string{"photo or PDF"}},
			{Say: "done", Want: []string{"invoice F-1001", "24 June 2026"}, Effects: []string{"dispute.open", "task.open", "handoff"}},
		})},
		{Name: "en/promise on friday", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyEN(), []turnSpec{
			{Say: "I will pay on friday", Want: []string{"noted", "12 June 2026"}, Effects: []string{"promise.make"}},
		})},
		{Name: "en/already paid", Case: singleInvoice(fixtureCase(casestore.Minnelijk)), Turns: seq(verifyEN(), []turnSpec{
			{Say: "I have already paid", Node: NodePaidDetails},
			{Say: "120 euros yesterday", Want: []string{"IBAN"}, Node: NodePaidAccount},
			{Say: "don't know", Node: NodePaidReference},
			{Say: "don't know", Node: NodePaidProof},
			{Say: "done", Want: []string{"checking your payment", "17 June 2026"}, Effects: []string{"payment.report", "task.open"}},
		})},
		// A payment told with its day or amount is filed at once: a debtor
		// who says no more still has the report on file (issue #12).
		{Name: "en/already paid, told with day and amount, is filed at once", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyEN(), []turnSpec{
			{Say: "I paid 120 euros yesterday", Want: []string{"checking your payment", "the whole file", "17 June 2026"}, Effects: []string{"payment.report", "task.open"},
				Check: func(t *testing.T, r Result) {
					p := r.Effects[0].(ReportPayment)
					if !p.Amount.Equal(decimal.NewFromInt(120)) || !p.ValueDate.Equal(casestore.Date(2026, time.June, 9)) || p.InvoiceID != nil {
						t.Errorf("report %+v", p)
					}
				}},
		})},
		{Name: "en/pay now", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyEN(), []turnSpec{
			{Say: "pay now", Want: []string{"pay.example.test", shown(t, minn, casestore.English)[0]}},
		})},
		{Name: "en/call me back", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyEN(), []turnSpec{
			{Say: "call me back", Want: []string{"best time"}},
			{Say: "tomorrow after 2 pm", Want: []string{"ending in 678"}, Effects: []string{"callback.request"}},
		})},
		{Name: "en/hardship", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyEN(), []turnSpec{
			{Say: "I'm in debt, I can't pay anything", Want: []string{"not alone"}, Effects: []string{"handoff"}, Entries: []string{"handoff.requested"}, Check: highPriority},
		})},
		{Name: "en/stop", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "Hello, please stop sending me messages", Want: []string{"no longer receive automatic messages"}, Effects: []string{"optout"}, Entries: []string{}},
		}},
		{Name: "en/lockout after three wrong birth dates", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "Hi"},
			{Say: refOnFile + ", born 1 January 1990", Want: []string{"cannot confirm", "2 attempt"}},
			{Say: refOnFile + ", born 2 January 1990", Want: []string{"1 attempt"}},
			{Say: refOnFile + ", born 3 January 1990", Want: []string{"too many attempts"}, Effects: []string{"verification.lock", "verification.lock"}},
			{Say: refOnFile + ", born 14 March 1985", Want: []string{"too many attempts"}, Verified: no},
		}},
		{Name: "en/unknown number", Case: fixtureCase(casestore.Minnelijk), Phone: phoneOther, Turns: []turnSpec{
			{Say: "Hi, what's my balance", Want: []string{"do not know this phone number"}, Verified: no},
			{Say: "agent", Effects: []string{"handoff"}},
		}},
		{Name: "en/two misunderstandings offer a person, never the whole menu again", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyEN(), []turnSpec{
			{Say: "purple monkey dishwasher", Want: []string{"did not quite get that", "type MENU"}, WantNot: []string{"See the amount due"}},
			{Say: "zxcv asdf", Want: []string{"type PERSON"}, WantNot: []string{"See the amount due"}, Node: NodeMenu},
			{Say: "person", Effects: []string{"handoff"}},
		})},
		{Name: "en/idle resume after an hour", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyEN(), []turnSpec{
			{Say: "call me back", Node: NodeCallbackTime},
			{Say: "ok", After: time.Hour, Want: []string{"Welcome back"}, Effects: []string{}},
		})},
	}
}
