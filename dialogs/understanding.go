package dialogs

import (
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// Intent is what a debtor's message asks for. The labels are those of
// shared/fixtures/utterances-dev.tsv and of the `chat --json` output.
type Intent string

const (
	IntentBalance     Intent = "balance"
	IntentDispute     Intent = "dispute"
	IntentPlan        Intent = "plan"
	IntentPromise     Intent = "promise"
	IntentAlreadyPaid Intent = "already_paid"
	IntentPayNow      Intent = "pay_now"
	IntentHuman       Intent = "human"
	IntentCallback    Intent = "callback"
	IntentStop        Intent = "stop"
	IntentHelp        Intent = "help"
	IntentHardship    Intent = "hardship"
	IntentGreeting    Intent = "greeting"
	IntentLanguage    Intent = "language" // asks to switch language; see Understanding.SwitchTo
	IntentUnknown     Intent = "unknown"
)

// Understanding is everything recognised in one message. Fields that were
// not found are zero.
type Understanding struct {
	Intent   Intent
	Language casestore.Language // language the text is written in; "" when unclear
	SwitchTo casestore.Language // the debtor asked for this language
	Yes, No  bool               // a yes/no answer ("ja", "klopt", "nee hoor", "oui" …)
	Choice   int                // the message is a menu number (1–9) or its word; 0 otherwise
	Amounts  []decimal.Decimal  // every amount, in the order written
	Terms    int                // number of installments ("in 6 termijnen", "zes maanden")
	Dates    []time.Time        // every date, resolved against now, calendar days
	Abusive  bool               // insults or threats
	Reason   casestore.DisputeReason
	// Identification details a debtor may type.
	DossierRef string     // something shaped like a dossier number, upper-cased
	Postcode   string     // NL "1234AB" or BE "1000", normalised
	BirthDate  *time.Time // a full date that is plausibly a birth date
	Numbers    []int      // other bare whole numbers
}

// Understand reads one message. now is the debtor's current time (for
// "vrijdag", "volgende week", "eind van de maand").
func Understand(text string, now time.Time) Understanding {
	// Placeholder until the parser lands; keeps the package compiling.
	return Understanding{Intent: IntentUnknown}
}
