package followup

import (
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
	"github.com/shopspring/decimal"
)

// Message types: each has a text per language (and Belgian Dutch where
// the wording differs) and, on WhatsApp outside the 24-hour window, an
// approved template (WHATSAPP_TEMPLATES).
const (
	TypeInstallmentReminder = "installment_reminder"
	TypeInstallmentMissed   = "installment_missed"
	TypePlanBroken          = "plan_broken"
	TypePromiseFollowUp     = "promise_followup"
)

// texts: {amount}, {date}, {ref}, {link}. Short enough for one or two
// SMS segments; plain and polite; no consequence the case does not have.
var texts = map[string]map[string]string{
	"nl": {
		TypeInstallmentReminder: "Herinnering: op {date} is de termijn van {amount} voor dossier {ref} verschuldigd. Betalen kan hier: {link}",
		TypeInstallmentMissed:   "Wij hebben de termijn van {amount} van {date} voor dossier {ref} nog niet ontvangen. Wilt u die betalen? {link} Lukt het niet, antwoord dan op dit bericht.",
		TypePlanBroken:          "De betalingsregeling voor dossier {ref} is beëindigd, omdat termijnen niet zijn betaald. Een medewerker neemt contact met u op. Antwoord gerust op dit bericht.",
		TypePromiseFollowUp:     "U wilde op {date} {amount} betalen voor dossier {ref}. Wij hebben nog niets ontvangen. Betalen kan hier: {link}",
		"reminder":              "Herinnering: voor dossier {ref} staat nog {amount} open. Betalen kan hier: {link} Vragen? Antwoord op dit bericht.",
		"second_reminder":       "Tweede herinnering: voor dossier {ref} staat nog {amount} open. Wilt u betalen? {link} Kunt u niet in één keer betalen, antwoord dan op dit bericht.",
		"plan_offer":            "Voor dossier {ref} staat nog {amount} open. U kunt ook in termijnen betalen: antwoord met REGELING en wij maken een voorstel.",
	},
	"nl-BE": {
		TypeInstallmentReminder: "Herinnering: op {date} vervalt de afbetaling van {amount} voor dossier {ref}. Betalen kan hier: {link}",
		TypeInstallmentMissed:   "Wij ontvingen de afbetaling van {amount} van {date} voor dossier {ref} nog niet. Gelieve te betalen: {link} Lukt het niet, antwoord dan op dit bericht.",
		TypePlanBroken:          "Het afbetalingsplan voor dossier {ref} is beëindigd, omdat afbetalingen niet betaald zijn. Een medewerker neemt contact met u op. Antwoord gerust op dit bericht.",
		TypePromiseFollowUp:     "U wou op {date} {amount} betalen voor dossier {ref}. Wij ontvingen nog niets. Betalen kan hier: {link}",
		"reminder":              "Herinnering: voor dossier {ref} staat nog {amount} open. Betalen kan hier: {link} Vragen? Antwoord op dit bericht.",
		"second_reminder":       "Tweede herinnering: voor dossier {ref} staat nog {amount} open. Gelieve te betalen: {link} Kan u niet in één keer betalen, antwoord dan op dit bericht.",
		"plan_offer":            "Voor dossier {ref} staat nog {amount} open. U kan ook met een afbetalingsplan betalen: antwoord met PLAN en wij doen een voorstel.",
	},
	"en": {
		TypeInstallmentReminder: "Reminder: the installment of {amount} for file {ref} is due on {date}. You can pay here: {link}",
		TypeInstallmentMissed:   "We have not yet received the installment of {amount} due {date} for file {ref}. Could you pay it? {link} If you cannot, please reply to this message.",
		TypePlanBroken:          "The payment plan for file {ref} has ended because installments were not paid. A colleague will contact you. Feel free to reply to this message.",
		TypePromiseFollowUp:     "You planned to pay {amount} on {date} for file {ref}. We have not received it yet. You can pay here: {link}",
		"reminder":              "Reminder: {amount} is still open for file {ref}. You can pay here: {link} Questions? Reply to this message.",
		"second_reminder":       "Second reminder: {amount} is still open for file {ref}. Could you pay? {link} If you cannot pay at once, please reply to this message.",
		"plan_offer":            "{amount} is still open for file {ref}. You can also pay in installments: reply PLAN and we will make you an offer.",
	},
	"fr": {
		TypeInstallmentReminder: "Rappel : l'échéance de {amount} du dossier {ref} est due le {date}. Vous pouvez payer ici : {link}",
		TypeInstallmentMissed:   "Nous n'avons pas encore reçu l'échéance de {amount} du {date} pour le dossier {ref}. Merci de la payer : {link} En cas de difficulté, répondez à ce message.",
		TypePlanBroken:          "Le plan de paiement du dossier {ref} a pris fin, des échéances n'ayant pas été payées. Un collaborateur vous contactera. N'hésitez pas à répondre.",
		TypePromiseFollowUp:     "Vous vouliez payer {amount} le {date} pour le dossier {ref}. Nous n'avons encore rien reçu. Vous pouvez payer ici : {link}",
		"reminder":              "Rappel : {amount} reste ouvert pour le dossier {ref}. Vous pouvez payer ici : {link} Une question ? Répondez à ce message.",
		"second_reminder":       "Deuxième rappel : {amount} reste ouvert pour le dossier {ref}. Merci de payer : {link} Si vous ne pouvez pas payer en une fois, répondez à ce message.",
		"plan_offer":            "{amount} reste ouvert pour le dossier {ref}. Vous pouvez aussi payer en plusieurs fois : répondez PLAN et nous vous ferons une proposition.",
	},
}

// Text is the message of type typ for case c, in the debtor's language
// (Belgian Dutch for a Belgian case).
func Text(typ string, c *casestore.Case, amount decimal.Decimal, date time.Time, link string) string {
	lang := c.Debtor.Language
	key := string(lang)
	switch lang {
	case casestore.English, casestore.French:
	default:
		lang, key = casestore.Dutch, "nl"
		if c.Regime.Country() == "BE" {
			key = "nl-BE"
		}
	}
	s := texts[key][typ]
	if link == "" {
		// No link: the sentence that offers one is dropped, not left empty.
		s = strings.NewReplacer(" Betalen kan hier: {link}", "", " Gelieve te betalen: {link}", "", " You can pay here: {link}", "",
			" Vous pouvez payer ici : {link}", "", " Merci de payer : {link}", "", " Merci de la payer : {link}", "", " {link}", "").Replace(s)
	}
	return strings.NewReplacer("{amount}", dialogs.Money(lang, amount), "{date}", day(lang, date), "{ref}", c.Ref, "{link}", link).Replace(s)
}

var months = map[casestore.Language][12]string{
	casestore.Dutch:   {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	casestore.English: {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	casestore.French:  {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
}

func day(lang casestore.Language, d time.Time) string {
	if d.IsZero() {
		return ""
	}
	return strconv.Itoa(d.Day()) + " " + months[lang][d.Month()-1]
}
