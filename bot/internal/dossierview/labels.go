// Package dossierview turns what the store keeps — dossier entries with
// JSON bodies, status and reason codes — into the Dutch words a collector,
// a creditor or a court reads: one sentence per entry, its details folded
// underneath. The console, the creditors' pages and the printable and PDF
// exports all read entries through it, so a code is translated once and
// no page ever shows a raw body or an internal code.
package dossierview

import (
	"fmt"
	"strings"

	"github.com/incassobot/incassobot/casestore"
)

// labels are the Dutch words for the stored codes, by what the code is.
var labels = map[string]map[string]string{
	"status": {"open": "Open", "on-hold": "Gepauzeerd", "in-plan": "In regeling", "paid": "Betaald", "closed": "Gesloten"},
	"stage":  {"pre-incasso": "Pre-incasso", "minnelijk": "Minnelijk", "gerechtelijk": "Gerechtelijk", "executie": "Executie"},
	"regime": {"nl-b2c": "NL consument", "nl-b2b": "NL zakelijk", "be-b2c": "BE consument", "be-b2b": "BE zakelijk"},
	"plan": {"pending": "Wacht op akkoord", "active": "Lopend", "rejected": "Afgewezen",
		"completed": "Voldaan", "broken": "Niet nagekomen"},
	"dispute": {"open": "Open", "upheld": "Toegewezen", "rejected": "Afgewezen"},
	"reason": {"not-received": "Niet ontvangen", "wrong-amount": "Bedrag klopt niet", "faulty": "Product of dienst ondeugdelijk",
		"already-paid": "Al betaald", "not-my-debt": "Niet mijn schuld", "other": "Anders"},
	"promise":  {"open": "Open", "kept": "Nagekomen", "broken": "Niet nagekomen"},
	"invoice":  {"open": "Open", "disputed": "Betwist", "paused": "Gepauzeerd", "paid": "Betaald", "waived": "Kwijtgescholden"},
	"actor":    {"debtor": "debiteur", "bot": "assistent", "system": "systeem", "import": "import"},
	"channel":  {"sms": "SMS", "whatsapp": "WhatsApp", "telegram": "Telegram", "web": "webchat", "console": "console", "email": "e-mail", "import": "import van de opdrachtgever"},
	"language": {"nl": "Nederlands", "en": "Engels", "fr": "Frans"},
	// The dialogs' handoff reasons, as the queue filters and the dossier say them.
	"handoff": {"asked": "de debiteur vroeg erom", "hardship": "financiële nood", "abuse": "ongepaste berichten",
		"plan outside policy": "regeling buiten het beleid", "dispute review": "betwisting beoordelen",
		"dispute after judgment": "betwisting na vonnis", "error": "de assistent liep vast",
		"representative":                           "iemand schrijft namens de debiteur",
		"fraud after judgment":                     "identiteitsfraude gemeld na vonnis",
		"collection stopped: bewindvoering":        "bewindvoering: een medewerker behandelt het dossier",
		"collection stopped: debt settlement wsnp": "WSNP: een medewerker behandelt het dossier",
		"collection stopped: debt settlement msnp": "minnelijke schuldsanering: een medewerker behandelt het dossier",
		"collection stopped: debt settlement csr":  "collectieve schuldenregeling: een medewerker behandelt het dossier"},
	// Collector tasks the assistant files (dialogs.CollectorTask topics).
	"task": {"dispute": "betwisting beoordelen", "payment.check": "gemelde betaling nakijken", "plan.decide": "regeling beoordelen",
		"payment.details": "betaalgegevens sturen", "complaint": "klacht behandelen", "document.request": "document sturen",
		"refund": "terugbetaling nakijken en uitvoeren", "representative.verify": "bevoegdheid van de vertegenwoordiger controleren",
		"fraud": "melding van identiteitsfraude onderzoeken", "error": "storing nakijken"},
	// How a debtor asked to be contacted (casestore.ContactPreference).
	"contact": {"email": "alleen per e-mail", "post": "alleen per post", "sms": "per SMS", "whatsapp": "via WhatsApp", "telegram": "via Telegram"},
	// Why a proposal was not accepted as asked (casestore.PlanReason…).
	"breach": {casestore.PlanReasonTooManyTerms: "meer termijnen dan het beleid toestaat",
		casestore.PlanReasonBelowMinimum:     "termijnbedrag lager dan het minimum van het beleid",
		casestore.PlanReasonDownPayment:      "aanbetaling lager dan het beleid vraagt",
		casestore.PlanReasonStartInPast:      "eerste betaaldatum ligt in het verleden",
		casestore.PlanReasonStartTooLate:     "eerste betaaldatum later dan het beleid toestaat",
		casestore.PlanReasonNoProposal:       "geen bedrag of aantal termijnen genoemd",
		casestore.PlanReasonJudicialStage:    "gerechtelijke fase: een medewerker beslist",
		casestore.PlanReasonDisputed:         "er loopt een betwisting",
		casestore.PlanReasonOnHold:           "het dossier is gepauzeerd",
		casestore.PlanReasonNothingOpen:      "er staat niets open",
		casestore.PlanReasonAbovePolicy:      "ver buiten het beleid",
		casestore.PlanReasonInterestEstimate: "de rente tijdens de regeling kon niet worden berekend"},
	// What the bot did with a proposal (casestore.PlanOutcome).
	"outcome": {"accept": "past binnen het beleid", "counter": "de assistent deed een tegenvoorstel",
		"collector": "een medewerker beslist"},
	// The reasons a collector picks when turning a plan down (dialogs.PlanRejectReason).
	"reject": {"too-long": "loopt te lang voor de opdrachtgever", "too-low": "termijnbedrag te laag",
		"down-payment": "eerst een aanbetaling nodig", "judicial": "gerechtelijke fase: geen regeling",
		"creditor": "opdrachtgever gaat niet akkoord", "other": "andere reden"},
	// Why an identification attempt failed (dialogs).
	"verify": {"unknown dossier number": "dossiernummer onbekend", "phone not on file for this dossier": "telefoonnummer hoort niet bij dit dossier",
		"second factor": "postcode of geboortedatum klopt niet"},
}

// Label is the Dutch word for code of the given sort ("status", "stage",
// "regime", "plan", "dispute", "reason", "promise", "invoice", "actor",
// "channel", "handoff", "breach", "outcome", "reject", "verify"). A code
// without a label (one added after this table) is shown as stored rather
// than vanishing; people acting are "medewerker 3".
func Label(sort string, code any) string {
	c := fmt.Sprint(code)
	if l, ok := labels[sort][c]; ok {
		return l
	}
	switch sort {
	case "actor":
		if id, ok := strings.CutPrefix(c, "collector:"); ok {
			return "medewerker " + id
		}
		if id, ok := strings.CutPrefix(c, "creditor:"); ok {
			return "opdrachtgever " + id
		}
	case "handoff":
		if what, ok := strings.CutPrefix(c, "error: "); ok {
			return labels["handoff"]["error"] + " (" + what + ")"
		}
	}
	return c
}

// Priority is a handoff priority in words.
func Priority(p int) string {
	if p >= 2 {
		return "hoog"
	}
	return "normaal"
}
