package dialogs

import (
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

func seq(parts ...[]turnSpec) []turnSpec {
	var out []turnSpec
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func conversationsNL(t *testing.T) []conversation {
	minn := fixtureCase(casestore.Minnelijk)
	return []conversation{
		{Name: "nl/balance then per invoice", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "hoeveel moet ik nog betalen?", Intent: IntentBalance, Node: NodeBalance,
				Want:    append(shown(t, minn, casestore.Dutch), "Energie Noord B.V.", "Hoofdsom", "deurwaarder"),
				Entries: []string{"balance.shown"}, Effects: []string{}},
			{Say: "1", Want: []string{"Factuur F-1001", "Factuur F-1002", "open"}, Entries: []string{"balance.shown"}, Node: NodeBalance},
		})},
		{Name: "nl/balance asked first is answered right after identification", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "Wat is mijn openstaande saldo", Want: []string{"dossiernummer"}, Node: NodeVerifyRef, Verified: no},
			{Say: refOnFile, Want: []string{"postcode of uw geboortedatum"}, Node: NodeVerifyFactor},
			{Say: "14 maart 1985", Verified: yes, Want: append(shown(t, minn, casestore.Dutch), "U bent geïdentificeerd"),
				Entries: []string{"verification.succeeded", "balance.shown"}},
		}},
		{Name: "nl/three wrong postcodes lock for 15 minutes", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "hallo", Node: NodeVerifyRef},
			{Say: refOnFile + ", postcode 9999ZZ", Want: []string{"niet bevestigen", "nog 2"}, Entries: []string{"verification.failed"}, Effects: []string{}},
			{Say: refOnFile + ", postcode 9999ZZ", Want: []string{"nog 1"}, Entries: []string{"verification.failed"}},
			{Say: refOnFile + ", postcode 9999ZZ", Want: []string{"te veel pogingen", "10:19"}, Node: NodeLocked,
				Entries: []string{"verification.failed", "verification.locked"}, Effects: []string{"verification.lock", "verification.lock"}},
			{Say: refOnFile + ", postcode 1234AB", Want: []string{"te veel pogingen"}, Verified: no, Entries: []string{}},
			{Say: "mens", Want: []string{"medewerker"}, Effects: []string{"handoff"}},
			{Say: refOnFile + ", postcode 1234AB", After: 16 * time.Minute, Verified: yes, Want: []string{"U bent geïdentificeerd"}},
		}},
		{Name: "nl/unknown dossier number is answered like a wrong postcode", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "goedemorgen"},
			{Say: "IB-2099-999999, postcode 1234AB", Want: []string{"Deze gegevens kan ik niet bevestigen", "nog 2"}, Verified: no,
				Entries: []string{"verification.failed"}},
		}},
		{Name: "nl/unknown number gets a polite way to identify and nothing more", Case: fixtureCase(casestore.Minnelijk), Phone: phoneOther, Turns: []turnSpec{
			{Say: "hoeveel moet ik betalen", Want: []string{"niet bekend", "MENS"}, Node: NodeUnknownNumber},
			{Say: refOnFile + ", postcode 1234AB", Want: []string{"Via dit telefoonnummer kan ik u niet identificeren"}, Verified: no,
				Entries: []string{"verification.failed"}, Effects: []string{}},
			{Say: "ik wil een medewerker", Effects: []string{"handoff"}, Entries: []string{}, Node: NodeHandoff,
				Check: func(t *testing.T, r Result) {
					if h := r.Effects[0].(Handoff); h.CaseID != 0 {
						t.Errorf("handoff before verification names case %d", h.CaseID)
					}
				}},
		}},
		{Name: "nl/telegram shares the phone with the contact button", Case: fixtureCase(casestore.Minnelijk), Phone: "-", Channel: "telegram", Turns: []turnSpec{
			{Say: "hoi", Want: []string{"telefoonnummer", "knop"}, Node: NodeAskPhone, Check: func(t *testing.T, r Result) {
				if !r.Replies[0].AskPhone {
					t.Error("the reply does not ask the channel for the contact button")
				}
			}},
			{Event: &Event{Kind: EventPhoneShared, Phone: phoneOnFile, Channel: "telegram"}, Want: []string{"dossiernummer"}, Node: NodeVerifyRef},
			{Say: refOnFile + ", postcode 1234 ab", Verified: yes},
			{Say: "saldo", Entries: []string{"balance.shown"}},
		}},
		{Name: "nl/dispute one invoice with reason, words and a photo", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik heb de factuur nooit ontvangen", Intent: IntentDispute, Want: []string{"Over welke factuur", "1. Factuur F-1001", "3. het hele dossier"}, Node: NodeDisputeInv},
			{Say: "1", Want: []string{"uitleggen"}, Node: NodeDisputeText},
			{Say: "Ik woon sinds maart op een ander adres.", Want: []string{"foto of pdf"}, Node: NodeDisputeProof},
			{Event: &Event{Kind: EventMedia, Media: &Media{ContentType: "image/jpeg", Ref: "media/1.jpg", Size: 120000}, Channel: "whatsapp", Phone: phoneOnFile},
				Want: []string{"Ontvangen", "KLAAR"}, Node: NodeDisputeProof, Effects: []string{}},
			{Say: "klaar", Want: []string{"factuur F-1001", "geen herinneringen", "24 juni 2026"},
				Effects: []string{"dispute.open", "task.open", "handoff"}, Entries: []string{"dispute.opened"}, Node: NodeMenu,
				Check: func(t *testing.T, r Result) {
					d := r.Effects[0].(OpenDispute)
					if d.Dispute.InvoiceID == nil || *d.Dispute.InvoiceID != 1001 || d.Dispute.Reason != casestore.ReasonNotReceived ||
						d.InvoiceStatus != casestore.InvoiceDisputed || len(d.Dispute.Evidence) != 1 || d.Dispute.Text == "" {
						t.Errorf("dispute %+v", d)
					}
				}},
			{Say: "hoeveel moet ik betalen", Want: []string{"bezwaar of controle", "betwist, in behandeling"}[:1]},
		})},
		{Name: "nl/dispute the whole case with a reason from the list", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "deze factuur klopt niet", Node: NodeDisputeInv},
			{Say: "3", Want: []string{"Wat klopt er niet", "2. Het bedrag klopt niet"}, Node: NodeDisputeReason},
			{Say: "2", Node: NodeDisputeText},
			{Say: "Er is twee keer hetzelfde gerekend", Node: NodeDisputeProof},
			{Say: "nee", Want: []string{"het hele dossier"}, Effects: []string{"dispute.open", "task.open", "handoff"},
				Check: func(t *testing.T, r Result) {
					d := r.Effects[0].(OpenDispute)
					if d.Dispute.InvoiceID != nil || d.CaseStatus != casestore.StatusOnHold || d.Dispute.Reason != casestore.ReasonWrongAmount {
						t.Errorf("dispute %+v", d)
					}
				}},
		})},
		{Name: "nl/dispute evidence must be a photo or pdf", Case: singleInvoice(fixtureCase(casestore.Minnelijk)), Turns: seq(verifyNL(), []turnSpec{
			{Say: "het product was kapot", Want: []string{"uitleggen"}, Node: NodeDisputeText},
			{Say: "De wasmachine deed het na een week niet meer", Node: NodeDisputeProof},
			{Event: &Event{Kind: EventMedia, Media: &Media{ContentType: "application/zip", Ref: "media/x.zip", Size: 100}}, Want: []string{"foto (JPG of PNG) of een pdf"}},
			{Event: &Event{Kind: EventMedia, Media: &Media{ContentType: "application/pdf", Ref: "media/bon.pdf", Size: 50 << 20}}, Want: []string{"te groot"}},
			{Event: &Event{Kind: EventMedia, Media: &Media{ContentType: "application/pdf", Ref: "media/bon.pdf", Size: 80000}}, Want: []string{"Ontvangen"}},
			{Say: "klaar", Effects: []string{"dispute.open", "task.open", "handoff"}, Check: func(t *testing.T, r Result) {
				d := r.Effects[0].(OpenDispute)
				if len(d.Dispute.Evidence) != 1 || d.Dispute.Evidence[0] != "media/bon.pdf" || d.Dispute.Reason != casestore.ReasonFaulty {
					t.Errorf("dispute %+v", d.Dispute)
				}
			}},
		})},
		{Name: "nl/plan in 6 terms is accepted and confirmed", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "kan ik het in 6 termijnen betalen?", Intent: IntentPlan, Want: []string{"Dat is mogelijk", "1. 10 juli 2026", "6. 10 december 2026", "JA"},
				Node: NodePlanConfirm, Entries: []string{"plan.proposed"}, Effects: []string{}},
			{Say: "ja", Want: []string{"regeling is vastgelegd", "10 juli 2026", "https://pay.example.test/enoord?ref=IB-2026-000123"},
				Effects: []string{"plan.propose", "case.status"}, Entries: []string{"plan.accepted"}, Check: planSumsCheck(6)},
		})},
		{Name: "nl/plan of 100 a month gets a counter-proposal", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik kan 100 euro per maand betalen", Want: []string{"lukt het helaas niet", "aantal termijnen", "12. "}, Node: NodePlanConfirm},
			{Say: "ja", Effects: []string{"plan.propose", "case.status"}, Check: planSumsCheck(12)},
		})},
		{Name: "nl/plan of 50 a month goes to a collector", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "kan ik 50 euro per maand betalen", Intent: IntentPlan, Want: []string{"medewerker bekijkt uw voorstel", "17 juni 2026"},
				Effects: []string{"plan.propose", "task.open", "handoff"}, Entries: []string{"plan.proposed"}, Node: NodeMenu,
				Check: func(t *testing.T, r Result) {
					if p := r.Effects[0].(ProposePlan); p.Plan.Status != casestore.PlanPending {
						t.Errorf("plan for a collector has status %q", p.Plan.Status)
					}
				}},
		})},
		{Name: "nl/plan declined, then another proposal", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik wil een betalingsregeling", Want: []string{"per maand"}, Node: NodePlanAsk},
			{Say: "in 6 termijnen", Node: NodePlanConfirm},
			{Say: "nee", Want: []string{"Geen probleem"}, Node: NodePlanAsk, Effects: []string{}},
			{Say: "in 4 termijnen", Want: []string{"4. 10 oktober 2026"}, Node: NodePlanConfirm},
			{Say: "ja", Effects: []string{"plan.propose", "case.status"}, Check: planSumsCheck(4)},
		})},
		{Name: "nl/plan with a down payment now and the rest later", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik wil een regeling", Node: NodePlanAsk},
			{Say: "€ 1.234,56 nu en de rest in april", Want: []string{"Dat is mogelijk", "1. 10 juni 2026: € 1.234,56", "2. 10 juli 2026"}, Node: NodePlanConfirm},
			{Say: "ja", Effects: []string{"plan.propose", "case.status"}, Check: func(t *testing.T, r Result) {
				p := r.Effects[0].(ProposePlan).Plan
				if !p.DownPayment.Equal(decimal.RequireFromString("1234.56")) || len(p.Installments) != 2 {
					t.Errorf("plan down %s with %d installments", p.DownPayment, len(p.Installments))
				}
			}},
		})},
		{Name: "nl/judicial stage: a plan always needs a collector", Case: fixtureCase(casestore.Gerechtelijk), Turns: seq(verifyNL()[:1], []turnSpec{
			{Say: refOnFile + ", postcode 1234AB", Want: []string{"Betalingsregeling aanvragen (een medewerker beslist)"}, Verified: yes},
			{Say: "ik wil een betalingsregeling", Want: []string{"deurwaarder of de rechter"}, Node: NodePlanAsk},
			{Say: "in 3 termijnen", Want: []string{"medewerker bekijkt"}, Effects: []string{"plan.propose", "task.open", "handoff"}},
			{Say: "saldo", Want: []string{"deurwaarder", "rechter"}},
		})},
		{Name: "nl/promise to pay on friday", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik betaal vrijdag", Intent: IntentPromise, Want: []string{"genoteerd", "12 juni 2026", "pay.example.test"},
				Effects: []string{"promise.make"}, Entries: []string{"promise.made", "balance.shown"}[:1], Check: func(t *testing.T, r Result) {
					p := r.Effects[0].(MakePromise).Promise
					b, _ := casestore.Balance(fixtureCase(casestore.Minnelijk), casestore.DayOf(convNow))
					if !p.Date.Equal(casestore.Date(2026, time.June, 12)) || !p.Amount.Equal(b.Total.Open) || p.CaseID != 101 {
						t.Errorf("promise %+v, want the open %s on 12 June", p, b.Total.Open)
					}
				}},
		})},
		{Name: "nl/promise too far ahead, then a date within the horizon", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik betaal het op 1 december", Want: []string{"uiterlijk 10 juli 2026"}, Node: NodePromiseDate, Effects: []string{}},
			{Say: "20 juni", Want: []string{"20 juni 2026"}, Effects: []string{"promise.make"}},
		})},
		{Name: "nl/already paid with date, amount, account, reference and proof", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik heb al betaald", Intent: IntentAlreadyPaid, Node: NodePaidInvoice},
			{Say: "F-1002", Node: NodePaidDetails},
			{Say: "gisteren 120 euro", Want: []string{"IBAN"}, Node: NodePaidAccount},
			{Say: "NL91 ABNA 0417 1643 00", Node: NodePaidReference},
			{Say: "IB-2026-000123 factuur F-1002", Node: NodePaidProof},
			{Event: &Event{Kind: EventMedia, Media: &Media{ContentType: "image/png", Ref: "media/afschrift.png", Size: 9000}}, Want: []string{"Ontvangen"}},
			{Say: "klaar", Want: []string{"controleren uw betaling", "factuur F-1002", "17 juni 2026"},
				Effects: []string{"payment.report", "task.open"}, Entries: []string{"payment.reported"},
				Check: func(t *testing.T, r Result) {
					p := r.Effects[0].(ReportPayment)
					if p.InvoiceID == nil || *p.InvoiceID != 1002 || !p.Amount.Equal(decimal.NewFromInt(120)) ||
						!p.ValueDate.Equal(casestore.Date(2026, time.June, 9)) || p.Account != "NL91ABNA0417164300" ||
						p.Reference == "" || len(p.Evidence) != 1 {
						t.Errorf("report %+v", p)
					}
				}},
		})},
		{Name: "nl/already paid without details", Case: singleInvoice(fixtureCase(casestore.Minnelijk)), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik heb al betaald", Want: []string{"Op welke datum"}, Node: NodePaidDetails},
			{Say: "weet ik niet", Node: NodePaidAccount},
			{Say: "weet ik niet", Node: NodePaidReference},
			{Say: "geen idee", Node: NodePaidProof},
			{Say: "nee", Effects: []string{"payment.report", "task.open"}, Want: []string{"factuur F-1001"}},
		})},
		{Name: "nl/pay now gives the case's payment link", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik wil nu betalen", Intent: IntentPayNow, Want: []string{"https://pay.example.test/enoord?ref=IB-2026-000123", shown(t, minn, casestore.Dutch)[0]},
				Entries: []string{"paylink.sent"}},
		})},
		{Name: "nl/call me back tomorrow afternoon", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "bel mij terug", Intent: IntentCallback, Want: []string{"Wanneer"}, Node: NodeCallbackTime},
			{Say: "morgen na 14 uur", Want: []string{"eindigt op 678"}, Effects: []string{"callback.request"}, Entries: []string{"callback.requested"},
				Check: func(t *testing.T, r Result) {
					c := r.Effects[0].(RequestCallback)
					if c.Phone != phoneOnFile || c.At == nil || !c.At.Equal(casestore.Date(2026, time.June, 11)) || c.Preferred != "morgen na 14 uur" {
						t.Errorf("callback %+v", c)
					}
				}},
		})},
		{Name: "nl/talk to a person", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik wil een mens spreken", Intent: IntentHuman, Want: []string{"medewerker", "binnen een uur"}, Effects: []string{"handoff"},
				Entries: []string{"handoff.requested"}, Node: NodeHandoff},
		})},
		{Name: "nl/hardship before verification gets a kind reply and priority", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "ik kan niks betalen", Intent: IntentHardship, Want: []string{"niet alleen", "schuldhulpverlening"}, Effects: []string{"handoff"},
				Check: highPriority},
		}},
		{Name: "nl/abuse gets a calm reply without mirroring", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "klootzak", Want: []string{"vervelend"}, WantNot: []string{"klootzak"}, Effects: []string{"handoff"}, Check: highPriority},
		})},
		{Name: "nl/stop is honoured and answers still come", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "STOP", Intent: IntentStop, Want: []string{"geen automatische berichten", "START"}, Effects: []string{"optout"}, Entries: []string{"optout"}, Node: NodeOptedOut},
			{Say: "hoeveel moet ik nog betalen?", Entries: []string{"balance.shown"}},
			{Say: "start", Want: []string{"weer berichten"}, Effects: []string{"optin"}},
		})},
		{Name: "nl/two misunderstandings offer a person", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "blabla qwerty", Want: []string{"begreep ik niet", "typ MENU"}, WantNot: []string{"Sorry", "Een medewerker spreken"}, Effects: []string{}},
			{Say: "zxcv asdf", Want: []string{"Typ dan MENS"}, WantNot: []string{"Openstaand bedrag bekijken"}, Node: NodeMenu},
			{Say: "8", Effects: []string{"handoff"}},
		})},
		{Name: "nl/idle conversation resumes at the menu", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "ik wil een factuur betwisten", Node: NodeDisputeInv},
			{Say: "2", After: 45 * time.Minute, Want: []string{"Welkom terug", "Waarmee kan ik u helpen"}, Node: NodeMenu, Effects: []string{}},
		})},
		{Name: "nl/verification is asked again after 24 hours", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "hoeveel moet ik betalen", After: 25 * time.Hour, Want: []string{"opnieuw naar uw gegevens", "dossiernummer"}, Verified: no, Entries: []string{}},
			{Say: refOnFile + ", postcode 1234AB", Verified: yes, Entries: []string{"verification.succeeded", "balance.shown"}},
		})},
		{Name: "nl/executie: bailiff wording, no dispute in the menu", Case: fixtureCase(casestore.Executie), Turns: seq(verifyNL()[:1], []turnSpec{
			{Say: refOnFile + ", postcode 1234AB", WantNot: []string{"Een factuur betwisten"}, Verified: yes},
			{Say: "saldo", Want: []string{"vonnis", "beslag"}},
			{Say: "deze factuur klopt niet", Want: []string{"al een vonnis"}, Effects: []string{"handoff"}},
		})},
		{Name: "nl/pre-incasso: a friendly reminder", Case: fixtureCase(casestore.PreIncasso), Turns: seq(verifyNL(), []turnSpec{
			{Say: "wat staat er nog open", Want: []string{"herinnering"}, WantNot: []string{"deurwaarder"}},
		})},
		{Name: "nl/lost state restarts politely", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "2", Want: []string{"begreep ik niet", "dossiernummer"}, Verified: no},
			{Say: "menu", Want: []string{"MENS", "dossiernummer"}},
		}},
		{Name: "nl/switch to English mid-conversation", Case: fixtureCase(casestore.Minnelijk), Turns: seq(verifyNL(), []turnSpec{
			{Say: "in English please", Intent: IntentLanguage, Want: []string{"in English", "How can I help"}},
			{Say: "1", Want: []string{"Principal", shown(t, minn, casestore.English)[0]}},
			{Say: "taal", Want: []string{"1. Nederlands"}, Node: NodeLanguage},
			{Say: "1", Want: []string{"Nederlands", "Waarmee kan ik u helpen"}, Node: NodeMenu},
		})},
	}
}

// planSumsCheck: the recorded plan is active, has terms installments and
// they sum to its total to the cent.
func planSumsCheck(terms int) func(t *testing.T, r Result) {
	return func(t *testing.T, r Result) {
		t.Helper()
		p := r.Effects[0].(ProposePlan).Plan
		sum := decimal.Zero
		for _, in := range p.Installments {
			sum = sum.Add(in.Amount)
		}
		if p.Status != casestore.PlanActive || len(p.Installments) != terms || !sum.Equal(p.Total) || p.CaseID != 101 {
			t.Errorf("plan %s, %d installments summing to %s, total %s", p.Status, len(p.Installments), sum, p.Total)
		}
	}
}

func highPriority(t *testing.T, r Result) {
	t.Helper()
	for _, e := range r.Effects {
		if h, ok := e.(Handoff); ok && h.Priority == PriorityHigh {
			return
		}
	}
	t.Errorf("no high-priority handoff in %v", effectKinds(r.Effects))
}
