package dialogs

import (
	"slices"
	"testing"
	"time"
)

// The general rules added after the blind sets: each row is a message whose
// intent turns on one rule, with the rule named, so a change that breaks a
// rule says which.
func TestIntentRules(t *testing.T) {
	tests := []struct {
		rule, text string
		want       Intent
	}{
		{"contraction without apostrophe", "I dont recognise this debt", IntentDispute},
		{"contraction without apostrophe", "dont message me again", IntentStop},
		{"contraction without apostrophe", "i havent paid yet", IntentUnknown},
		{"contraction without apostrophe", "jai deja payé", IntentAlreadyPaid},
		{"negation inside a guarded cue", "ik kan nu niet betalen", IntentHardship},
		{"negation inside a guarded cue", "j'ai pas encore payé", IntentUnknown},
		{"negation before a guarded cue", "ik heb nog niet betaald maar doe het vrijdag", IntentPromise},
		{"paying now is no promise", "stuur ff een link dan betaal ik direct", IntentPayNow},
		{"paying now is no promise", "ik heb nog niet betaald, kan ik dat nu doen?", IntentPayNow},
		{"paying now is no promise", "ik wil het vandaag nog voldoen, hoe doe ik dat", IntentPayNow},
		{"paying now is no promise", "send me the bank details so i can pay today", IntentPayNow},
		{"a later date keeps the promise", "ik betaal vrijdag, hoe laat moet dat?", IntentPromise},
		{"a later date keeps the promise", "je hebt gelijk, ik betaal morgen", IntentPromise},
		{"cannot pay now is no request to pay", "I cant pay right now", IntentHardship},
		{"how much asks the balance", "hoeveel moet ik nu betalen", IntentBalance},
		{"how much asks the balance", "combien je dois payer maintenant", IntentBalance},
		{"French present tense is no payment made", "je paye le 15 sans faute", IntentPromise},
		{"French participle after être is a payment made", "c'est payé depuis lundi", IntentAlreadyPaid},
		{"no fuzzy call in a word of costs", "hoeveel zijn de kosten nu opgelopen?", IntentBalance},
		{"a refund, no fuzzy call", "ik wil mijn geld terugbetaald krijgen", IntentRefund},
		{"paying verb with a past date", "paid yesterday", IntentAlreadyPaid},
		{"paying verb with a future date", "i havent paid yet but will on friday", IntentPromise},
	}
	for _, tt := range tests {
		if got := Understand(tt.text, fixtureNow).Intent; got != tt.want {
			t.Errorf("%s: Understand(%q).Intent = %s, want %s", tt.rule, tt.text, got, tt.want)
		}
	}
}

// Contractions typed without an apostrophe are split where it belongs, and
// the two parts still point into the normalised text.
func TestTokenizeSplitsContractions(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"I dont owe this", []string{"i", "don", "t", "owe", "this"}},
		{"im broke", []string{"i", "m", "broke"}},
		{"jai payé", []string{"j", "ai", "paye"}},
		{"well ill pay", []string{"well", "ill", "pay"}}, // ordinary words stay whole
	}
	for _, tt := range tests {
		norm := normalize(tt.text)
		toks := tokenize(norm)
		if got := tokenTexts(toks); !slices.Equal(got, tt.want) {
			t.Errorf("tokenize(%q) = %q, want %q", tt.text, got, tt.want)
		}
		for _, tok := range toks {
			if norm[tok.start:tok.end] != tok.text {
				t.Errorf("tokenize(%q): token %q has offsets [%d,%d) that hold %q", tt.text, tok.text, tok.start, tok.end, norm[tok.start:tok.end])
			}
		}
	}
}

// "gestopt" (stopped) is one letter from "gestort" (paid in); an ended
// allowance is distress, not a payment made.
func TestStoppedIncomeIsNotAPaymentMade(t *testing.T) {
	now := time.Date(2026, time.November, 25, 10, 0, 0, 0, time.UTC)
	if got := Understand("mijn uitkering is gestopt, ik kan echt niet betalen", now).Intent; got != IntentHardship {
		t.Fatalf("intent %q, want hardship", got)
	}
}
