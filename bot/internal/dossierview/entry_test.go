package dossierview

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

func marshal(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func day(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }

// sixBy65 is a plan as the dialogs store it: casestore.Plan marshalled
// without JSON tags (Go field names).
func sixBy65() casestore.Plan {
	p := casestore.Plan{ID: 9, Status: casestore.PlanPending, Total: decimal.RequireFromString("390"), DownPayment: decimal.Zero}
	for i := range 6 {
		p.Installments = append(p.Installments, casestore.Installment{Seq: i + 1, Due: day("2027-01-01").AddDate(0, i, 0),
			Amount: decimal.RequireFromString("65")})
	}
	return p
}

// Every kind the system files reads as a sentence with its figures; the
// words a person wrote come separately; nothing reads as JSON or as a code.
func TestDescribeSaysEveryKindInWords(t *testing.T) {
	const session = "3f9c2a7e1b8d4c6f0a5e9d2c7b1a4f8e"
	inv := Invoices{11: "F-1001"}
	fifty := decimal.RequireFromString("50")
	breakdown := casestore.Breakdown{Total: casestore.Amounts{Principal: decimal.RequireFromString("350"),
		Interest: decimal.RequireFromString("3.21"), Costs: decimal.RequireFromString("52.50"), Paid: fifty,
		Open: decimal.RequireFromString("395.21")}}
	id11 := int64(11)
	for _, tc := range []struct {
		kind    casestore.EntryKind
		actor   casestore.Actor
		body    any
		summary string
		text    string
		terms   int
	}{
		{"message.in", "debtor", map[string]any{"text": "hallo <b>", "from": session, "at": time.Now()}, "Bericht van de debiteur", "hallo <b>", 0},
		{"message.out", "collector:3", map[string]any{"text": "Goedendag"}, "Bericht van een medewerker aan de debiteur", "Goedendag", 0},
		{"handoff.requested", "debtor", map[string]any{"reason": "asked", "priority": 1},
			"Chat doorgezet naar een medewerker (de debiteur vroeg erom, prioriteit normaal)", "", 0},
		{"plan.proposed", "debtor", map[string]any{"proposal": casestore.Proposal{Monthly: decimal.RequireFromString("65")},
			"outcome": casestore.PlanAccepted, "plan": sixBy65(), "reasons": []string{}},
			"Betalingsregeling voorgesteld: € 65,00 per maand (past binnen het beleid)", "", 6},
		{"plan.accepted", "debtor", map[string]any{"plan": sixBy65(), "outcome": "accept"},
			"De debiteur ging akkoord met de betalingsregeling: 6 × € 65,00 per maand vanaf 1 januari 2027, totaal € 390,00", "", 6},
		{"plan.proposed", "debtor", map[string]any{"plan_id": 4, "total": "390.00", "terms": 6},
			"Betalingsregeling voorgesteld: 6 termijnen, totaal € 390,00", "", 0},
		{"dispute.opened", "debtor", map[string]any{"invoice_id": 11, "reason": casestore.ReasonWrongAmount, "text": "te hoog",
			"evidence": []string{}, "answer_by": day("2026-12-16")},
			"Betwisting geopend voor factuur F-1001: bedrag klopt niet", "te hoog", 0},
		{"dispute.resolved", "collector:3", map[string]any{"dispute_id": 2, "invoice_id": &id11, "status": "rejected", "explanation": "", "open": "120.5"},
			"Betwisting afgewezen: de vordering op factuur F-1001 blijft staan", "", 0},
		{"plan.rejected", "collector:3", map[string]any{"plan_id": 9, "reason": "too-low", "open": "390"},
			"Betalingsregeling afgewezen: termijnbedrag te laag", "", 0},
		{"balance.shown", "bot", map[string]any{"detail": "total", "breakdown": breakdown, "lang": "nl"},
			"Saldo aan de debiteur getoond: € 395,21 open", "", 0},
		{"verification.succeeded", "system", map[string]any{"phone": "", "channel": "web", "from": session},
			"Debiteur geïdentificeerd met het dossiernummer en de postcode of geboortedatum", "", 0},
		{"verification.failed", "system", map[string]any{"phone": "", "from": session, "attempt": 2, "reason": "second factor"},
			"Identificatie mislukt (poging 2): postcode of geboortedatum klopt niet", "", 0},
		{"promise.made", "debtor", map[string]any{"amount": fifty, "date": day("2026-12-15")},
			"Betaaltoezegging van de debiteur: € 50,00 uiterlijk 15 december 2026", "", 0},
		{"payment.received", "system", map[string]any{"amount": "50.00", "value_date": "2026-11-20", "reference": "BET-1"},
			"Betaling ontvangen: € 50,00", "", 0},
		{"case.imported", "import", map[string]any{"file": "juli.csv", "lines": []int{3}, "invoices": []string{"F-1001"}},
			"Dossier aangemaakt uit bestand juli.csv", "", 0},
		{"status.changed", "system", map[string]any{"from": "open", "to": "in-plan"},
			"Status van het dossier gewijzigd naar in regeling", "", 0},
		{"delivery.failed", "system", map[string]any{"outbound_id": 7, "provider_id": "SM1", "error_code": "30003"},
			"Bericht kon niet worden afgeleverd", "", 0},
		{"complaint.filed", "debtor", map[string]any{"reference": "KL-IB-2026-000101-2612021000", "text": "onbeschoft", "answer_by": day("2026-12-16")},
			"Klacht van de debiteur over de behandeling (kenmerk KL-IB-2026-000101-2612021000)", "onbeschoft", 0},
		{"refund.requested", "debtor", map[string]any{"iban": "NL91ABNA0417164300", "overpaid": "12.50", "text": "terug", "answer_by": day("2026-12-16")},
			"De debiteur vraagt terugbetaling van wat te veel is betaald: € 12,50", "terug", 0},
		{"representative.filed", "system", map[string]any{"details": "Jan, bewindvoerder", "channel": "web", "from": session, "phone": "", "verify_by": day("2026-12-04")},
			"Iemand schrijft namens de debiteur; de bevoegdheid is nog niet gecontroleerd en er is niets over het dossier gezegd", "Jan, bewindvoerder", 0},
		{"fraud.reported", "debtor", map[string]any{"text": "niet van mij", "answer_by": day("2026-12-16"), "collection": "paused"},
			"De debiteur meldt identiteitsfraude: de incasso is stilgezet", "niet van mij", 0},
		{"document.requested", "debtor", map[string]any{"document": "invoice", "invoices": []string{"F-1001"}, "answer_by": day("2026-12-09")},
			"De debiteur vraagt een kopie van factuur F-1001", "", 0},
		{"task.opened", "bot", map[string]any{"case_id": 1, "topic": "complaint", "summary": "complaint KL-1", "due": day("2026-12-16"), "priority": 1},
			"Taak voor een medewerker: klacht behandelen, uiterlijk 16 december 2026", "", 0},
		{"contact.preference", "debtor", map[string]any{"old": map[string]any{"channel": "", "written_only": false, "no_calls": false},
			"new": map[string]any{"channel": "post", "written_only": true, "no_calls": true}},
			"Contactvoorkeur van de debiteur gewijzigd: alleen per post; niet bellen", "", 0},
		{"delivery.withheld", "system", map[string]any{"outbound_id": 8, "text": "Wat is uw dossiernummer?", "handoff_id": 3, "collector_id": 2},
			"Antwoord van de assistent niet verstuurd: een medewerker nam het gesprek over", "Wat is uw dossiernummer?", 0},
		{"delivery.uncertain", "system", map[string]any{"outbound_id": 9, "attempt": 2, "reason": "sent again"},
			"Bericht opnieuw verstuurd na een storing: de debiteur kan het twee keer hebben ontvangen", "", 0},
		{"evidence.received", "debtor", map[string]any{"from": session, "files": 2, "nested": map[string]any{"a": 1}},
			"Overige registratie in het dossier", "", 0},
	} {
		e := Describe(casestore.DossierEntry{ID: 1, Kind: tc.kind, Actor: tc.actor, Channel: "web", Body: marshal(t, tc.body)}, inv)
		if e.Summary != tc.summary {
			t.Errorf("%s: summary %q\n                      want %q", tc.kind, e.Summary, tc.summary)
		}
		if e.Text != tc.text || e.HasText != (tc.text != "") {
			t.Errorf("%s: text %q (%v), want %q", tc.kind, e.Text, e.HasText, tc.text)
		}
		if len(e.Schedule) != tc.terms {
			t.Errorf("%s: %d schedule rows, want %d", tc.kind, len(e.Schedule), tc.terms)
		}
		shown := e.Summary + " " + e.Who + " " + e.Channel + " " + e.ScheduleText()
		for _, f := range e.Details {
			shown += " " + f.Label + ": " + f.Value
		}
		for _, bad := range []string{`{"`, session, "wrong-amount", "in-plan", "verification.", "second factor", "too-low", "SM1", "nested"} {
			if strings.Contains(shown, bad) {
				t.Errorf("%s reads %q: contains %q", tc.kind, shown, bad)
			}
		}
	}
}

func TestPlanPhraseNamesDownPaymentAndLastTerm(t *testing.T) {
	p := plan{Total: decimal.RequireFromString("400"), Down: decimal.RequireFromString("40")}
	for i, a := range []string{"40", "100", "100", "100", "60"} {
		p.Installments = append(p.Installments, planTerm{Seq: i + 1, Due: day("2027-01-05").AddDate(0, i, 0), Amount: decimal.RequireFromString(a)})
	}
	want := "aanbetaling € 40,00 op 5 januari 2027, dan 3 × € 100,00 per maand vanaf 5 februari 2027, en een laatste termijn van € 60,00, totaal € 400,00"
	if got := planPhrase(p); got != want {
		t.Errorf("planPhrase = %q\n          want %q", got, want)
	}
}
