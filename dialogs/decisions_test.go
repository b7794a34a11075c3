package dialogs

import (
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

func decisionCase(paymentURL string) *casestore.Case {
	return &casestore.Case{
		ID: 7, Ref: "IB-2026-000123",
		Creditor: casestore.Creditor{Name: "Energie B.V.", PaymentURL: paymentURL},
		Invoices: []casestore.Invoice{{ID: 11, Number: "F-1001"}, {ID: 12, Number: "F-1002"}},
	}
}

// €1.234,57 in three: the odd cent in the last installment, the last
// day of a month clamped (31 Jan → 28 Feb).
func decisionPlan() casestore.Plan {
	dec := decimal.RequireFromString
	return casestore.Plan{ID: 3, CaseID: 7, Status: casestore.PlanActive, Total: dec("1234.57"), DownPayment: decimal.Zero,
		Installments: []casestore.Installment{
			{Seq: 1, Due: casestore.Date(2026, 12, 31), Amount: dec("411.52")},
			{Seq: 2, Due: casestore.Date(2027, 1, 31), Amount: dec("411.52")},
			{Seq: 3, Due: casestore.Date(2027, 2, 28), Amount: dec("411.53")},
		}}
}

func TestPlanApprovedText(t *testing.T) {
	tests := []struct {
		name string
		lang casestore.Language
		url  string
		want string
	}{
		{"nl with a payment link", casestore.Dutch, "https://pay.example/{ref}",
			"Goed nieuws: een medewerker heeft uw betalingsregeling voor dossier IB-2026-000123 goedgekeurd. U betaalt in totaal € 1.234,57:\n\n" +
				"1. € 411,52 op 31 december 2026\n2. € 411,52 op 31 januari 2027\n3. € 411,53 op 28 februari 2027\n\n" +
				"Zolang u zich aan de regeling houdt, komt er geen rente meer bij.\n\n" + // issue #14: every offer says it
				"Betaal elk bedrag uiterlijk op de genoemde datum en vermeld daarbij uw dossiernummer IB-2026-000123.\n\n" +
				"Betalen kan via: https://pay.example/IB-2026-000123\n\n" +
				"Zolang u volgens de regeling betaalt, sturen wij geen herinneringen. Lukt een betaling een keer niet, laat het ons dan vooraf weten; dan zoeken wij samen een oplossing."},
		{"en without a payment link", casestore.English, "",
			"Good news: a member of staff has approved your payment plan for file IB-2026-000123. You pay €1,234.57 in total:\n\n" +
				"1. €411.52 on 31 December 2026\n2. €411.52 on 31 January 2027\n3. €411.53 on 28 February 2027\n\n" +
				"As long as you keep to the plan, no more interest is added.\n\n" +
				"Please pay each amount no later than its date and mention your file number IB-2026-000123.\n\n" +
				"Our bank details are in our letter; you can also ask for them here in the chat.\n\n" +
				"As long as you pay according to the plan, we send no reminders. If a payment is ever not possible, please tell us beforehand; we will find a solution together."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := PlanApprovedText(tc.lang, decisionCase(tc.url), decisionPlan()); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// Every decision, in every language, carries its figures to the cent in
// that language's notation and no unfilled placeholder.
func TestDecisionTextsInEveryLanguage(t *testing.T) {
	c := decisionCase("https://pay.example/x")
	open := decimal.RequireFromString("1234.57")
	inv := int64(11)
	upheld := casestore.Dispute{CaseID: 7, InvoiceID: &inv, Status: casestore.DisputeUpheld}
	rejected := casestore.Dispute{CaseID: 7, Status: casestore.DisputeRejected}
	type texts = map[casestore.Language][]string
	tests := []struct {
		name string
		text func(casestore.Language) string
		want texts
		not  texts
	}{
		{"plan countered", func(l casestore.Language) string { return PlanCounteredText(l, c, decisionPlan()) },
			texts{
				casestore.Dutch:   {"€ 1.234,57", "2. € 411,52 op 31 januari 2027", "3. € 411,53 op 28 februari 2027", "JA"},
				casestore.English: {"€1,234.57", "2. €411.52 on 31 January 2027", "3. €411.53 on 28 February 2027", "YES"},
				casestore.French:  {"1 234,57 €", "2. 411,52 € le 31 janvier 2027", "3. 411,53 € le 28 février 2027", "OUI"},
			}, texts{casestore.Dutch: {"Betalen kan via"}}},
		{"plan rejected, too long", func(l casestore.Language) string { return PlanRejectedText(l, c, RejectTooLong, open) },
			texts{
				casestore.Dutch:   {"IB-2026-000123", "langer lopen dan de schuldeiser", "Het openstaande bedrag is € 1.234,57.", "nieuw voorstel"},
				casestore.English: {"run longer than the creditor", "The amount outstanding is €1,234.57."},
				casestore.French:  {"plus longtemps", "Le montant dû est de 1 234,57 €."},
			}, nil},
		{"plan rejected, other reason: none told", func(l casestore.Language) string { return PlanRejectedText(l, c, RejectOther, open) },
			texts{casestore.Dutch: {"Helaas kunnen wij deze regeling niet", "nieuw voorstel"}},
			texts{casestore.Dutch: {"schuldeiser gaat niet akkoord", "langer lopen", "te laag"}}},
		{"dispute upheld on an invoice, something left", func(l casestore.Language) string {
			return DisputeResolvedText(l, c, upheld, decimal.RequireFromString("0.01"), "De meterstand was verkeerd.")
		},
			texts{
				casestore.Dutch:   {"bezwaar over factuur F-1001", "u heeft gelijk", "Toelichting van onze medewerker: De meterstand was verkeerd.", "Nog te betalen in dossier IB-2026-000123: € 0,01."},
				casestore.English: {"objection about invoice F-1001", "you are right", "€0.01"},
				casestore.French:  {"la facture F-1001", "vous avez raison", "0,01 €"},
			}, texts{casestore.Dutch: {"betalingsregeling"}}},
		{"dispute rejected on the whole case, no explanation sent", func(l casestore.Language) string {
			return DisputeResolvedText(l, c, rejected, open, "  ")
		},
			texts{
				casestore.Dutch:   {"bezwaar over het hele dossier", "blijft het bedrag verschuldigd", "€ 1.234,57", "betalingsregeling"},
				casestore.English: {"the whole file", "remains due", "€1,234.57"},
				casestore.French:  {"l'ensemble du dossier", "reste dû", "1 234,57 €"},
			}, texts{casestore.Dutch: {"Toelichting"}, casestore.English: {"Explanation"}}},
		{"dispute upheld, nothing left", func(l casestore.Language) string {
			return DisputeResolvedText(l, c, upheld, decimal.Zero, "")
		},
			texts{casestore.Dutch: {"niets meer open"}, casestore.English: {"Nothing is outstanding"}, casestore.French: {"Plus rien n'est dû"}},
			texts{casestore.Dutch: {"Nog te betalen"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, lang := range []casestore.Language{casestore.Dutch, casestore.English, casestore.French} {
				got := tc.text(lang)
				if placeholder.MatchString(got) {
					t.Errorf("%s: unfilled placeholder in %q", lang, got)
				}
				for _, w := range tc.want[lang] {
					if !strings.Contains(got, w) {
						t.Errorf("%s: %q is missing from\n%s", lang, w, got)
					}
				}
				for _, n := range tc.not[lang] {
					if strings.Contains(got, n) {
						t.Errorf("%s: %q must not be in\n%s", lang, n, got)
					}
				}
			}
		})
	}
}

func TestReplyLanguage(t *testing.T) {
	fr := &casestore.Debtor{Language: casestore.French}
	for _, tc := range []struct {
		name string
		st   State
		d    *casestore.Debtor
		want casestore.Language
	}{
		{"the conversation's language wins", State{Lang: casestore.English}, fr, casestore.English},
		{"else the one on file", State{}, fr, casestore.French},
		{"an unknown language is ignored", State{Lang: "de"}, &casestore.Debtor{Language: "de"}, casestore.Dutch},
		{"Dutch by default", State{}, nil, casestore.Dutch},
	} {
		if got := ReplyLanguage(tc.st, tc.d); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestPlanRejectReasonsValid(t *testing.T) {
	for _, r := range PlanRejectReasons {
		if !r.Valid() {
			t.Errorf("%s is listed but not valid", r)
		}
	}
	if PlanRejectReason("because").Valid() || PlanRejectReason("").Valid() {
		t.Error("an unknown reason is valid")
	}
}

// A collector's counter-offer waits in the dialog for the debtor's
// answer, even a day later: yes agrees to that stored plan (not a new
// one), no asks for another proposal, anything else is answered as usual.
func TestCollectorOfferAnsweredInTheChat(t *testing.T) {
	c := fixtureCase(casestore.Minnelijk)
	offer := decisionPlan()
	offer.ID, offer.CaseID, offer.Status = 55, c.ID, casestore.PlanPending
	verified := State{Lang: casestore.Dutch, Node: NodeHandoff, Verified: true, CaseID: c.ID, VerifiedAt: convNow, LastAt: convNow, Phone: phoneOnFile}
	st, ok := OfferPlan(verified, offer, convNow)
	if !ok || st.Node != NodePlanConfirm || st.Flow.Plan == nil || st.Flow.Plan.ID != 55 {
		t.Fatalf("OfferPlan = %+v, %v; want the plan waiting for a yes", st, ok)
	}
	st = roundTrip(t, st) // as hot state keeps it
	msg := func(text string) Event {
		return Event{Kind: EventText, Text: text, Channel: "whatsapp", From: phoneOnFile, Phone: phoneOnFile}
	}
	view := View{Case: c}
	tests := []struct {
		say      string
		after    time.Duration
		want     string
		wantNode Node
		agreed   bool
	}{
		{"ja", 5 * time.Minute, "de regeling is vastgelegd", NodeMenu, true},
		{"Akkoord!", 20 * time.Hour, "de regeling is vastgelegd", NodeMenu, true},
		{"nee", 3 * time.Hour, "Wat kunt u wel per maand betalen", NodePlanAsk, false},
		{"saldo", time.Hour, "Hoofdsom: € 1.300,00", NodeBalance, false},
	}
	for _, tc := range tests {
		t.Run(tc.say, func(t *testing.T) {
			r := Step(st, msg(tc.say), view, convNow.Add(tc.after))
			if got := replyText(r); !strings.Contains(got, tc.want) {
				t.Errorf("reply %q lacks %q", got, tc.want)
			}
			if r.State.Node != tc.wantNode {
				t.Errorf("node %s, want %s", r.State.Node, tc.wantNode)
			}
			var agreed *casestore.Plan
			for _, e := range r.Effects {
				if p, ok := e.(ProposePlan); ok {
					agreed = &p.Plan
				}
			}
			switch {
			case tc.agreed && (agreed == nil || agreed.ID != 55 || agreed.Status != casestore.PlanActive || len(agreed.Installments) != 3):
				t.Errorf("the yes agreed to %+v, want stored plan 55 made active", agreed)
			case !tc.agreed && agreed != nil:
				t.Errorf("%q agreed to a plan: %+v", tc.say, agreed)
			}
		})
	}
}

func TestOfferPlanNeedsTheVerifiedCase(t *testing.T) {
	p := decisionPlan()
	p.ID, p.CaseID = 55, 7
	for _, tc := range []struct {
		name string
		st   State
	}{
		{"not verified", State{CaseID: 7}},
		{"verified for another case", State{Verified: true, CaseID: 8}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, ok := OfferPlan(tc.st, p, convNow); ok || got.Node != tc.st.Node || got.Flow.Plan != nil {
				t.Errorf("OfferPlan = %+v, %v; want the state unchanged", got, ok)
			}
		})
	}
	unsaved := p
	unsaved.ID = 0
	if _, ok := OfferPlan(State{Verified: true, CaseID: 7}, unsaved, convNow); ok {
		t.Error("a plan not stored (no ID) was put on offer")
	}
	st, _ := OfferPlan(State{Verified: true, CaseID: 7}, p, convNow)
	if _, ok := WithdrawOffer(st, 56); ok {
		t.Error("withdrew another plan's offer")
	}
	if got, ok := WithdrawOffer(st, 55); !ok || got.Node != NodeMenu || got.Flow.Plan != nil {
		t.Errorf("WithdrawOffer = %+v, %v; want the menu", got, ok)
	}
}

// The debtor is told, in their language, who writes now and when the
// assistant answers again (à and é are GSM-7: SMS keeps them).
func TestHandoffNoticeTexts(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{TakeOverText(casestore.Dutch, ChannelWeb, "Kim de Vries", "Incasso Noord"), "U spreekt nu met Kim van Incasso Noord."},
		{TakeOverText(casestore.English, ChannelWeb, "Kim de Vries", "Incasso Noord"), "You are now talking to Kim of Incasso Noord."},
		{TakeOverText(casestore.French, ChannelWeb, "Kim de Vries", ""), "Vous parlez maintenant avec Kim."},
		{TakeOverText(casestore.Dutch, ChannelWeb, " ", "Incasso Noord"), "Een medewerker neemt uw gesprek nu over."},
		{HandedBackText(casestore.Dutch, ChannelWeb), "U chat weer met onze digitale assistent. Typ MENS als u opnieuw een medewerker wilt spreken."},
		{HandedBackText(casestore.French, ChannelSMS), "Vous discutez à nouveau avec notre assistant numérique. Tapez CONSEILLER si vous souhaitez reparler à un conseiller."},
		{ReleasedText(casestore.English, ChannelWeb), "Your conversation is waiting for a member of staff again; a colleague will take it over as soon as possible."},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
