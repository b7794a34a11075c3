package dialogs

import (
	"testing"

	"github.com/incassobot/incassobot/casestore"
)

func TestYesNo(t *testing.T) {
	tests := []struct {
		in      string
		yes, no bool
	}{
		{"ja", true, false}, {"Jazeker!", true, false}, {"klopt", true, false}, {"prima", true, false},
		{"akkoord", true, false}, {"is goed", true, false}, {"oké", true, false}, {"OK", true, false},
		{"yes", true, false}, {"yep", true, false}, {"sure", true, false}, {"oui", true, false},
		{"d'accord", true, false}, {"ja, graag een regeling", true, false}, {"👍", true, false},
		{"nee", false, true}, {"neen", false, true}, {"nee hoor", false, true}, {"niet", false, true},
		{"no", false, true}, {"nope", false, true}, {"non", false, true}, {"klopt niet", false, true},
		{"niet akkoord", false, true}, {"pas d'accord", false, true}, {"eh nee", false, true},
		{"de factuur klopt niet", false, false}, // a sentence, not an answer
		{"graag een regeling voor de factuur", false, false},
		{"hallo", false, false}, {"", false, false},
	}
	for _, tt := range tests {
		u := Understand(tt.in, wednesday)
		if u.Yes != tt.yes || u.No != tt.no {
			t.Errorf("%q: yes %v no %v, want %v %v", tt.in, u.Yes, u.No, tt.yes, tt.no)
		}
	}
}

func TestMenuChoice(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"1", 1}, {"2.", 2}, {"3)", 3}, {"optie 3", 3}, {"keuze 2", 2}, {"drie", 3}, {"three", 3},
		{"trois", 3}, {" 9 ", 9}, {"10", 0}, {"0", 0}, {"1.5", 0}, {"ik kies 2 of 3", 0}, {"twee appels", 0},
	}
	for _, tt := range tests {
		if got := Understand(tt.in, wednesday).Choice; got != tt.want {
			t.Errorf("%q: choice %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestLanguage(t *testing.T) {
	tests := []struct {
		in             string
		lang, switchTo casestore.Language
		intent         Intent
	}{
		{"ik wil een regeling", casestore.Dutch, "", IntentPlan},
		{"I want to pay in installments", casestore.English, "", IntentPlan},
		{"je veux payer en plusieurs fois", casestore.French, "", IntentPlan},
		{"english please", casestore.English, casestore.English, IntentLanguage},
		{"in het Engels", "", casestore.English, IntentLanguage},
		{"en français svp", casestore.French, casestore.French, IntentLanguage},
		{"Nederlands", "", casestore.Dutch, IntentLanguage},
		{"français svp", casestore.French, casestore.French, IntentLanguage},
		{"can we speak English", casestore.English, casestore.English, IntentLanguage},
		{"I don't speak Dutch", casestore.English, casestore.English, IntentLanguage},
		{"EN", "", casestore.English, IntentLanguage},
		{"ok", "", "", IntentThanks}, // an acknowledgement, in no language
	}
	for _, tt := range tests {
		u := Understand(tt.in, wednesday)
		if u.Language != tt.lang || u.SwitchTo != tt.switchTo || u.Intent != tt.intent {
			t.Errorf("%q: language %q switch %q intent %s; want %q %q %s", tt.in, u.Language, u.SwitchTo, u.Intent, tt.lang, tt.switchTo, tt.intent)
		}
	}
}

// TestIntentPriorities pins the decisions between competing cues, each
// explained at intentPriority.
func TestIntentPriorities(t *testing.T) {
	tests := []struct {
		in   string
		want Intent
	}{
		{"ik kan niks betalen", IntentHardship},                      // not a plan, not pay_now
		{"ik kan niks betalen, mag ik een regeling", IntentHardship}, // hardship first
		{"STOP", IntentStop},                                         // alone: opt-out
		{"stop met die berichten, ik wil een mens spreken", IntentHuman},
		{"ik wil de regeling stoppen", IntentPlan}, // "stop" in a sentence is a hint
		{"ik heb al betaald, deze factuur klopt niet", IntentDispute},
		{"ik kan 50 euro per maand", IntentPlan},                  // amount per period
		{"50 euro per maand vanaf vrijdag", IntentPlan},           // plan with a start date
		{"ik betaal vrijdag", IntentPromise},                      // future date + pay
		{"ik maak het volgende week vrijdag over", IntentPromise}, // separable verb
		{"ik heb vrijdag betaald", IntentAlreadyPaid},             // past tense
		{"het is overgemaakt", IntentAlreadyPaid},
		{"ik heb nog niet betaald", IntentUnknown},          // negated past tense: not already paid
		{"kunnen jullie mij morgen bellen", IntentCallback}, // a date without paying
		{"ik kan niet in 1x betalen", IntentPlan},
		{"ik wil alles in een keer betalen", IntentPayNow},
		{"ik wil een betalingsregling", IntentPlan},                 // typo
		{"deze factuut klopt niet", IntentDispute},                  // typo
		{"kan ik in termijen betalen", IntentPlan},                  // typo in a stem
		{"ik wil een afbetalingsplan", IntentPlan},                  // Flemish
		{"ik heb al betaald via overschrijving", IntentAlreadyPaid}, // Flemish
		{"hoeveel termijnen mag ik", IntentPlan},
		{"hallo, hoeveel moet ik nog betalen", IntentBalance}, // greeting is last
		{"asdfgh", IntentUnknown},
		{"", IntentUnknown},
	}
	for _, tt := range tests {
		if got := Understand(tt.in, wednesday).Intent; got != tt.want {
			t.Errorf("%q: intent %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestDisputeReason(t *testing.T) {
	tests := []struct {
		in   string
		want casestore.DisputeReason
	}{
		{"ik heb het nooit ontvangen", casestore.ReasonNotReceived},
		{"never received it", casestore.ReasonNotReceived},
		{"je n'ai jamais reçu la commande", casestore.ReasonNotReceived},
		{"het bedrag klopt niet", casestore.ReasonWrongAmount},
		{"het bedrag van 250,00 klopt niet", casestore.ReasonWrongAmount},
		{"veel te hoog", casestore.ReasonWrongAmount},
		{"het apparaat is kapot", casestore.ReasonFaulty},
		{"werkt niet", casestore.ReasonFaulty},
		{"it arrived broken", casestore.ReasonFaulty},
		{"c'est cassé", casestore.ReasonFaulty},
		{"ik heb al betaald", casestore.ReasonAlreadyPaid},
		{"ik ken dit bedrijf niet", casestore.ReasonNotMyDebt},
		{"dit is niet van mij", casestore.ReasonNotMyDebt},
		{"not mine, identity fraud", casestore.ReasonNotMyDebt},
		{"ik ben het er niet mee eens", casestore.ReasonOther},
		{"ik wil een regeling", ""},
	}
	for _, tt := range tests {
		if got := Understand(tt.in, wednesday).Reason; got != tt.want {
			t.Errorf("%q: reason %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAbusive(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"jullie zijn klootzakken", true},
		{"KANKERLIJERS", true},
		{"ik weet waar je woont", true},
		{"fuck off", true},
		{"espèce de connard", true},
		{"ik heb kanker en kan niet werken", false}, // an illness, not an insult
		{"hoera, betaald", false},
		{"jullie zijn oplichters", false}, // an accusation: a dispute
		{"ik krijg de factuur niet", false},
		{"het is een idiote situatie", false},
	}
	for _, tt := range tests {
		if got := Understand(tt.in, wednesday).Abusive; got != tt.want {
			t.Errorf("%q: abusive %v, want %v", tt.in, got, tt.want)
		}
	}
}
