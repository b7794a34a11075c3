package dialogs

import (
	"testing"

	"github.com/incassobot/incassobot/casestore"
)

// belgianCase is the fixture as a Belgian consumer case (Book XIX) for a
// French-speaking debtor in Brussels (postcode 1000).
func belgianCase(stage casestore.Stage) *casestore.Case {
	c := withLang(fixtureCase(stage), casestore.French)
	c.Regime = casestore.BEB2C
	c.Debtor.Postcode = "1000"
	return c
}

func verifyFR() []turnSpec {
	return []turnSpec{
		{Say: "bonjour", Want: []string{"numéro de dossier", "code postal"}, Node: NodeVerifyRef},
		{Say: refOnFile + ", code postal 1000", Want: []string{"Vous êtes identifié", "Comment puis-je vous aider"}, Verified: yes},
	}
}

func conversationsFR(t *testing.T) []conversation {
	be := belgianCase(casestore.Minnelijk)
	return []conversation{
		{Name: "fr/balance", Case: belgianCase(casestore.Minnelijk), Turns: seq(verifyFR(), []turnSpec{
			{Say: "combien je dois encore ?", Intent: IntentBalance, Want: append(shown(t, be, casestore.French), "Principal", "huissier"),
				Entries: []string{"balance.shown"}},
		})},
		{Name: "fr/plan of 80 a month", Case: belgianCase(casestore.Minnelijk), Turns: seq(verifyFR(), []turnSpec{
			{Say: "je peux payer en 6 fois", Want: []string{"C'est possible", "10 juillet 2026", "OUI"}, Node: NodePlanConfirm},
			{Say: "oui", Want: []string{"plan est confirmé"}, Effects: []string{"plan.propose", "case.status"}, Check: planSumsCheck(6)},
		})},
		{Name: "fr/dispute the amount", Case: belgianCase(casestore.Minnelijk), Turns: seq(verifyFR(), []turnSpec{
			{Say: "le montant est incorrect", Want: []string{"De quelle facture"}, Node: NodeDisputeInv},
			{Say: "2", Want: []string{"expliquer"}, Node: NodeDisputeText},
			{Say: "On m'a facturé deux fois le même mois", Node: NodeDisputeProof},
			{Say: "fini", Want: []string{"la facture F-1002", "24 juin 2026"}, Effects: []string{"dispute.open", "task.open", "handoff"}},
		})},
		{Name: "fr/promise", Case: belgianCase(casestore.Minnelijk), Turns: seq(verifyFR(), []turnSpec{
			{Say: "je paierai le 20 juin", Want: []string{"c'est noté", "20 juin 2026"}, Effects: []string{"promise.make"}},
		})},
		{Name: "fr/already paid", Case: belgianCase(casestore.Minnelijk), Turns: seq(verifyFR(), []turnSpec{
			{Say: "j'ai déjà payé", Node: NodePaidInvoice},
			{Say: "1", Node: NodePaidDetails},
			{Say: "120 euros le 9 juin", Node: NodePaidAccount},
			{Say: "BE68 5390 0754 7034", Node: NodePaidReference},
			{Say: "je ne sais pas", Node: NodePaidProof},
			{Say: "fini", Want: []string{"Nous vérifions votre paiement", "la facture F-1001"}, Effects: []string{"payment.report", "task.open"},
				Check: func(t *testing.T, r Result) {
					if p := r.Effects[0].(ReportPayment); p.Account != "BE68539007547034" {
						t.Errorf("account %q", p.Account)
					}
				}},
		})},
		{Name: "fr/pay now", Case: belgianCase(casestore.Minnelijk), Turns: seq(verifyFR(), []turnSpec{
			{Say: "je veux payer maintenant", Want: []string{"via ce lien", shown(t, be, casestore.French)[0]}},
		})},
		{Name: "fr/call back", Case: belgianCase(casestore.Minnelijk), Turns: seq(verifyFR(), []turnSpec{
			{Say: "rappelez-moi", Want: []string{"Quand pouvons-nous"}},
			{Say: "demain après 14h", Want: []string{"se terminant par 678"}, Effects: []string{"callback.request"}},
		})},
		{Name: "fr/talk to an adviser", Case: belgianCase(casestore.Minnelijk), Turns: seq(verifyFR(), []turnSpec{
			{Say: "CONSEILLER", Want: []string{"conseiller"}, Effects: []string{"handoff"}, Node: NodeHandoff},
		})},
		{Name: "fr/stop", Case: belgianCase(casestore.Minnelijk), Turns: seq(verifyFR(), []turnSpec{
			{Say: "stop", Want: []string{"ne recevrez plus"}, Effects: []string{"optout"}, Entries: []string{"optout"}},
		})},
		{Name: "fr/switch from Dutch to French on request", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "en français svp", Want: []string{"en français", "Comment puis-je vous aider"}},
			{Say: "1", Want: []string{"Reste à payer"}},
		})},
		{Name: "fr/abuse", Case: belgianCase(casestore.Minnelijk), Turns: seq(verifyFR(), []turnSpec{
			{Say: "connard", Want: []string{"pénible"}, WantNot: []string{"connard"}, Effects: []string{"handoff"}, Check: highPriority},
		})},
		{Name: "fr/judicial stage plan needs an adviser", Case: belgianCase(casestore.Gerechtelijk), Turns: seq(verifyFR(), []turnSpec{
			{Say: "je peux payer en 6 fois", Want: []string{"Un conseiller examine"}, Effects: []string{"plan.propose", "task.open", "handoff"}},
		})},
	}
}
