package dialogs

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// The routes of a debtor's rights and requests (issue #19), as tables of
// turns in Dutch, English and French and for a Belgian case where the
// wording or the law differs. bot/testdata/conversations/rights.conv runs
// the same requests through the real runtime.

var rightsAgency = &Agency{Name: "Incasso Demo B.V.", IBAN: "NL91ABNA0417164300", AccountHolder: "Incasso Demo B.V.",
	Complaints: ComplaintPolicy{TermDays: 10, Procedure: "www.incasso-demo.example/klachten",
		BodyNL: "de Geschillencommissie", BodyBE: "de Consumentenombudsdienst"}}

// belgianDutchCase is the fixture as a Belgian consumer case for a
// Dutch-speaking debtor in Ghent (postcode 9000).
func belgianDutchCase() *casestore.Case {
	c := fixtureCase(casestore.Minnelijk)
	c.Regime = casestore.BEB2C
	c.Debtor.Postcode = "9000"
	return c
}

func verifyBERights() []turnSpec {
	return []turnSpec{{Say: refOnFile + " 9000", Verified: yes}}
}

// overpaidCase has paid € 50 more than the whole claim.
func overpaidCase() *casestore.Case {
	c := singleInvoice(fixtureCase(casestore.Minnelijk))
	b, _ := casestore.Balance(c, casestore.DayOf(convNow))
	c.Payments = []casestore.Payment{{ID: 1, CaseID: c.ID, Amount: b.Total.Open.Add(decimal.NewFromInt(50)),
		ValueDate: casestore.Date(2026, time.June, 1)}}
	return c
}

func effectTopics(r Result) []string {
	var out []string
	for _, e := range r.Effects {
		if ct, ok := e.(CollectorTask); ok {
			out = append(out, ct.Topic)
		}
	}
	return out
}

func wantTask(topic string) func(*testing.T, Result) {
	return func(t *testing.T, r Result) {
		t.Helper()
		if !slices.Contains(effectTopics(r), topic) {
			t.Errorf("no collector task %q in %v", topic, effectTopics(r))
		}
	}
}

func conversationsRights(t *testing.T) []conversation {
	return []conversation{
		{Name: "rights/nl complaint with its term and, on request, the procedure", Case: fixtureCase(casestore.Minnelijk), Agency: rightsAgency,
			Turns: seq(verifyNL(), []turnSpec{
				{Say: "ik wil een klacht indienen over hoe jullie mij behandelen", Intent: IntentComplaint,
					Want: []string{"KL-" + refOnFile, "24 juni 2026"}, WantNot: []string{"betwist"},
					Effects: []string{"task.open"}, Entries: []string{"complaint.filed"}, Check: wantTask("complaint")},
				{Say: "en wat is de klachtenprocedure, waar kan ik daarna terecht?", Intent: IntentComplaint,
					Want: []string{"incasso-demo.example/klachten", "Geschillencommissie"}, WantNot: []string{"Consumentenombudsdienst"},
					Effects: []string{}},
			})},
		{Name: "rights/be complaint names the Belgian body", Case: belgianDutchCase(), Agency: rightsAgency,
			Turns: seq(verifyBERights(), []turnSpec{
				{Say: "ik ga naar de ombudsman, hoe werkt jullie klachtenprocedure?", Intent: IntentComplaint,
					Want: []string{"Consumentenombudsdienst"}, WantNot: []string{"Geschillencommissie"}},
			})},
		{Name: "rights/a question about a complaint already made files no new one", Case: fixtureCase(casestore.Minnelijk), Agency: rightsAgency,
			Turns: seq(verifyNL(), []turnSpec{
				{Say: "is er al naar mijn klacht gekeken?", Intent: IntentCaseStatus, Entries: []string{"status.shown"}, WantNot: []string{"KL-"}},
				{Say: "any news on my complaint yet?", Intent: IntentCaseStatus, Entries: []string{"status.shown"}, WantNot: []string{"KL-"}},
			})},
		{Name: "rights/a channel named only to refuse it is an opt-out; one wanted instead is a preference", Case: fixtureCase(casestore.Minnelijk), Agency: rightsAgency,
			Turns: seq(verifyNL(), []turnSpec{
				{Say: "stuur me geen berichten meer via whatsapp", Intent: IntentStop},
				{Say: "no more texts by sms please, email me instead", Intent: IntentContactPref},
			})},
		{Name: "rights/en complaint", Case: fixtureCase(casestore.Minnelijk), Agency: rightsAgency,
			Turns: seq(verifyEN(), []turnSpec{
				{Say: "I want to file a complaint, your staff were rude to me", Intent: IntentComplaint,
					Want: []string{"complaint is registered", "24 June 2026"}, Check: wantTask("complaint")},
			})},
		{Name: "rights/nl specification with the legal basis", Case: fixtureCase(casestore.Minnelijk), Agency: rightsAgency,
			Turns: seq(verifyNL(), []turnSpec{
				{Say: "waar bestaat het bedrag uit, welke kosten zijn dit, mag dat?", Intent: IntentSpecification,
					Want: append(shown(t, fixtureCase(casestore.Minnelijk), casestore.Dutch), "6:119", "Besluit BIK"), WantNot: []string{"XIX"}},
			})},
		{Name: "rights/fr be specification: Book XIX, no WIK", Case: belgianCase(casestore.Minnelijk), Agency: rightsAgency,
			Turns: seq(verifyFR(), []turnSpec{
				{Say: "de quoi se compose ce montant, quels frais ?", Intent: IntentSpecification,
					Want: []string{"Clause pénale", "intérêt légal"}, WantNot: []string{"WIK", "6:96", "BIK"}},
			})},
		{Name: "rights/nl invoice copy filed for a collector", Case: fixtureCase(casestore.Minnelijk), Agency: rightsAgency,
			Turns: seq(verifyNL(), []turnSpec{
				{Say: "stuur mij een kopie van factuur F-1001", Intent: IntentInvoiceCopy, Want: []string{"factuur F-1001", "aangevraagd"},
					WantNot: []string{"F-1002"}, Entries: []string{"document.requested"}, Check: wantTask("document.request")},
			})},
		{Name: "rights/nl bank details with the betalingskenmerk", Case: fixtureCase(casestore.Minnelijk), Agency: rightsAgency,
			Turns: seq(verifyNL(), []turnSpec{
				{Say: "wat is jullie rekeningnummer?", Intent: IntentBankDetails,
					Want: []string{"NL91 ABNA 0417 1643 00", "Incasso Demo B.V.", "betalingskenmerk " + casestore.Betalingskenmerk(101)}},
			})},
		{Name: "rights/be bank details with the gestructureerde mededeling", Case: belgianDutchCase(), Agency: rightsAgency,
			Turns: seq(verifyBERights(), []turnSpec{
				{Say: "welke mededeling moet ik gebruiken?", Intent: IntentBankDetails,
					Want: []string{"gestructureerde mededeling " + casestore.StructuredCommunication(101)}, WantNot: []string{"betalingskenmerk"}},
			})},
		{Name: "rights/en pay now names the transfer too", Case: fixtureCase(casestore.Minnelijk), Agency: rightsAgency,
			Turns: seq(verifyEN(), []turnSpec{
				{Say: "send me the payment link", Want: []string{"pay.example.test", "NL91 ABNA 0417 1643 00", "payment reference"}},
			})},
		{Name: "rights/nl overpayment said as such, refund with a checked IBAN", Case: overpaidCase(), Agency: rightsAgency,
			Turns: seq(verifyNL(), []turnSpec{
				{Say: "hoeveel moet ik nog betalen", Want: []string{"te veel betaald", "niets meer te betalen"}, WantNot: []string{"€ 0,00", "€ -"}},
				{Say: "ik wil nu betalen", Want: []string{"te veel betaald"}, WantNot: []string{"pay.example", "€ 0,00"}},
				{Say: "terugbetalen", Intent: IntentRefund, Want: []string{"IBAN"}, Node: NodeRefundIBAN},
				{Say: "NL91 ABNA 0417 1643 01", Want: []string{"niet te kloppen"}, Node: NodeRefundIBAN, Effects: []string{}},
				{Say: "NL91 ABNA 0417 1643 00", Want: []string{"NL91 ABNA 0417 1643 00", "genoteerd"},
					Entries: []string{"refund.requested"}, Check: wantTask("refund")},
			})},
		{Name: "rights/fr refund without an overpayment on file is still checked", Case: belgianCase(casestore.Minnelijk), Agency: rightsAgency,
			Turns: seq(verifyFR(), []turnSpec{
				{Say: "j'ai payé deux fois, remboursez-moi", Intent: IntentRefund, Want: []string{"vérifiera", "IBAN"}},
				{Say: "BE68 5390 0754 7034", Want: []string{"BE68 5390 0754 7034"}, Entries: []string{"refund.requested"}},
			})},
		{Name: "rights/nl no calls, only e-mail", Case: fixtureCase(casestore.Minnelijk), Agency: rightsAgency,
			Turns: seq(verifyNL(), []turnSpec{
				{Say: "bel me niet, alleen per e-mail graag", Intent: IntentContactPref, Want: []string{"bellen u niet meer", "alleen per e-mail"},
					Effects: []string{"contact.preference"}, Check: func(t *testing.T, r Result) {
						p := r.Effects[0].(SetContactPreference)
						if !p.NoCalls || p.Channel != "email" || !p.WrittenOnly {
							t.Errorf("preference %+v, want no calls and e-mail only", p)
						}
					}},
			})},
		{Name: "rights/en by post, from the phone on file before verifying", Case: fixtureCase(casestore.Minnelijk), Agency: rightsAgency,
			Turns: []turnSpec{
				{Say: "please only contact me by post from now on", Intent: IntentContactPref, Want: []string{"by post only"},
					Effects: []string{"contact.preference"}, Verified: no},
			}},
		{Name: "rights/nl a bewindvoerder hears nothing about the case", Case: fixtureCase(casestore.Minnelijk), Agency: rightsAgency,
			Turns: []turnSpec{
				{Say: "goedemiddag, ik ben de bewindvoerder van mevrouw De Vries", Intent: IntentRepresentative, Want: []string{"namens"},
					Node: NodeRepDetails, Entries: []string{}},
				{Say: "Jan Bakker, bewindvoerder, 06 12345678, jan@bewind.example", Want: []string{"controleert"},
					Entries: []string{"representative.filed"}, Verified: no, Check: wantTask("representative.verify")},
			}},
		{Name: "rights/en a relative on the web chat gives the dossier number", Case: fixtureCase(casestore.Minnelijk), Phone: "-", Channel: ChannelWeb, Agency: rightsAgency,
			Turns: []turnSpec{
				{Say: "I am writing on behalf of my mother, her case is " + refOnFile + ", my e-mail is anna@example.test", Intent: IntentRepresentative,
					Want: []string{"check"}, Entries: []string{"representative.filed"}, Verified: no},
			}},
		{Name: "rights/nl a case under bewindvoering is answered by a person", Case: fixtureCase(casestore.Minnelijk), Agency: rightsAgency,
			Flags: casestore.CaseFlags{Bewindvoering: true},
			Turns: []turnSpec{
				{Say: "ik wil een regeling"},
				{Say: refOnFile + " 1234AB", Want: []string{"persoonlijk behandeld"}, WantNot: []string{"per maand"}, Effects: []string{"handoff"}, Node: NodeHandoff},
			}},
		{Name: "rights/nl identity fraud: paused, police report, done", Case: fixtureCase(casestore.Minnelijk), Agency: rightsAgency,
			Turns: seq(verifyNL(), []turnSpec{
				{Say: "dit is niet mijn schuld, iemand heeft mijn gegevens gebruikt", Intent: IntentFraud, Want: []string{"stil", "aangifte"},
					Effects: []string{"dispute.open", "task.open"}, Entries: []string{"fraud.reported"}, Node: NodeFraudProof},
				{Event: &Event{Kind: EventMedia, Channel: "whatsapp", From: "whatsapp:user", Phone: phoneOnFile,
					Media: &Media{ContentType: "application/pdf", Ref: "media/aangifte.pdf", Size: 2000}}, Node: NodeFraudProof},
				{Say: "klaar", Want: []string{"melding"}, Entries: []string{"fraud.evidence"}, Node: NodeMenu},
			})},
		{Name: "rights/fr identity fraud (BE)", Case: belgianCase(casestore.Minnelijk), Agency: rightsAgency,
			Turns: seq(verifyFR(), []turnSpec{
				{Say: "c'est une usurpation d'identité, quelqu'un a utilisé mes données", Intent: IntentFraud, Want: []string{"police"}},
			})},
		{Name: "rights/nl debt help of the Netherlands", Case: fixtureCase(casestore.Minnelijk), Agency: rightsAgency,
			Turns: seq(verifyNL(), []turnSpec{
				{Say: "ik kan echt niks betalen", Want: []string{"schuldhulpverlening", "0800-8115"}, WantNot: []string{"OCMW", "CAW", "CPAS"}},
			})},
		{Name: "rights/be debt help of Belgium", Case: belgianDutchCase(), Agency: rightsAgency,
			Turns: seq(verifyBERights(), []turnSpec{
				{Say: "ik kan echt niks betalen", Want: []string{"OCMW", "CAW"}, WantNot: []string{"geldfit", "0800-8115"}},
			})},
		{Name: "rights/fr debt help of Belgium", Case: belgianCase(casestore.Minnelijk), Agency: rightsAgency,
			Turns: seq(verifyFR(), []turnSpec{
				{Say: "je ne peux rien payer, j'ai perdu mon emploi", Want: []string{"CPAS"}, WantNot: []string{"geldfit", "0800-8115"}},
			})},
	}
}

func TestRightsConversations(t *testing.T) {
	for _, c := range conversationsRights(t) {
		t.Run(c.Name, func(t *testing.T) { converse(t, c) })
	}
}

// Every text of these routes fits three SMS segments in every language.
func TestRightsTextsAreShort(t *testing.T) {
	for lang, cat := range catalogs {
		for k, s := range cat {
			if !strings.Contains(string(k), ".") || len([]rune(s)) <= 3*153 {
				continue
			}
			t.Errorf("%s %q is %d characters: too long for SMS", lang, k, len([]rune(s)))
		}
	}
}

func TestIBANCheck(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		seen bool
	}{
		{"NL91 ABNA 0417 1643 00", "NL91ABNA0417164300", true},
		{"mijn iban is nl91abna0417164300 t.n.v. Jansen", "NL91ABNA0417164300", true},
		{"BE68 5390 0754 7034", "BE68539007547034", true},
		{"NL91 ABNA 0417 1643 01", "", true}, // mod-97 fails
		{"NL91 ABNA 0417 164", "", true},     // too short for NL
		{"0612345678 en 0687654321", "", true},
		{"dat weet ik niet", "", false},
	} {
		got, seen := FindIBAN(tc.in)
		if got != tc.want || seen != tc.seen {
			t.Errorf("FindIBAN(%q) = %q, %v; want %q, %v", tc.in, got, seen, tc.want, tc.seen)
		}
	}
}
