package payments

import (
	"strconv"
	"strings"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
)

// thanksTexts are the thank-you's sentences per language; "be" is the
// Flemish wording for Dutch-speaking Belgian debtors. Short enough for
// one or two SMS parts.
var thanksTexts = map[string]struct{ received, open, paid, installment string }{
	"nl": {
		received:    "Dank u wel! Wij hebben uw betaling van {amount} voor dossier {ref} ontvangen.",
		open:        "Nog te betalen: {open}.",
		paid:        "Het dossier is hiermee volledig betaald; u hoeft niets meer te doen.",
		installment: "Termijn {n} van {total} van uw regeling is voldaan.",
	},
	"be": {
		received:    "Bedankt! We hebben uw betaling van {amount} voor dossier {ref} goed ontvangen.",
		open:        "Nog te betalen: {open}.",
		paid:        "Het dossier is daarmee volledig betaald; u hoeft niets meer te doen.",
		installment: "Afbetaling {n} van {total} van uw afbetalingsplan is voldaan.",
	},
	"en": {
		received:    "Thank you! We have received your payment of {amount} for file {ref}.",
		open:        "Still to pay: {open}.",
		paid:        "The file is now paid in full; there is nothing more you need to do.",
		installment: "Installment {n} of {total} of your plan is settled.",
	},
	"fr": {
		received:    "Merci ! Nous avons bien reçu votre paiement de {amount} pour le dossier {ref}.",
		open:        "Reste à payer : {open}.",
		paid:        "Le dossier est ainsi entièrement réglé ; vous n'avez plus rien à faire.",
		installment: "L'échéance {n} sur {total} de votre plan est réglée.",
	},
}

// ThanksText is the thank-you for payment a, in the debtor's language,
// with what is still open (or that the case is paid) and the last plan
// installment it settled.
func ThanksText(a casestore.Applied) string {
	c := a.Case
	lang := c.Debtor.Language
	if lang == "" {
		lang = casestore.Dutch
	}
	key := string(lang)
	if lang == casestore.Dutch && (c.Regime == casestore.BEB2C || c.Regime == casestore.BEB2B) {
		key = "be"
	}
	t, ok := thanksTexts[key]
	if !ok {
		t, lang = thanksTexts["nl"], casestore.Dutch
	}
	r := strings.NewReplacer("{amount}", dialogs.Money(lang, a.Payment.Amount), "{ref}", c.Ref, "{open}", dialogs.Money(lang, a.Open))
	parts := []string{r.Replace(t.received)}
	if a.Paid {
		parts = append(parts, t.paid)
		return strings.Join(parts, " ")
	}
	if n := len(a.Settled); n > 0 && a.Plan != nil {
		parts = append(parts, strings.NewReplacer("{n}", strconv.Itoa(a.Settled[n-1]),
			"{total}", strconv.Itoa(len(a.Plan.Installments))).Replace(t.installment))
	}
	return strings.Join(append(parts, r.Replace(t.open)), " ")
}
