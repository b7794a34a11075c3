package portal

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot/api"
	"github.com/incassobot/incassobot/bot/internal/mediafile"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
	"github.com/shopspring/decimal"
)

// funcs are the templates' formatting helpers. Each returns plain text,
// which the template then escapes.
var funcs = template.FuncMap{
	"eur":      eur,
	"datetime": func(t time.Time) string { return t.In(casestore.Amsterdam).Format("02-01-2006 15:04") },
	"day":      func(t time.Time) string { return t.In(casestore.Amsterdam).Format("02-01-2006") },
	"label":    label,
	"size":     mediafile.Size,
	"filetype": mediafile.Label,
	"facts":    api.EntryFacts,
	"invoiceNo": func(numbers map[int64]string, id *int64) string {
		if id == nil {
			return "hele dossier" // a dispute or payment of the whole case
		}
		return numbers[*id]
	},
}

// eur writes an amount the Dutch way, "€ 1.234,57", as the debtor reads
// it in the chat.
func eur(d decimal.Decimal) string { return dialogs.Money(casestore.Dutch, d) }

// labels are the Dutch words a creditor reads for the stored codes, by
// what the code is. A code without a label is shown as stored.
var labels = map[string]map[string]string{
	"status": {"open": "Open", "on-hold": "Gepauzeerd", "in-plan": "In regeling", "paid": "Betaald", "closed": "Gesloten"},
	"stage":  {"pre-incasso": "Pre-incasso", "minnelijk": "Minnelijk", "gerechtelijk": "Gerechtelijk", "executie": "Executie"},
	"regime": {"nl-b2c": "NL consument", "nl-b2b": "NL zakelijk", "be-b2c": "BE consument", "be-b2b": "BE zakelijk"},
	"plan": {"pending": "Wacht op akkoord", "active": "Lopend", "rejected": "Afgewezen",
		"completed": "Voldaan", "broken": "Niet nagekomen"},
	"dispute": {"open": "Open", "upheld": "Toegewezen", "rejected": "Afgewezen"},
	"reason": {"not-received": "Niet ontvangen", "wrong-amount": "Bedrag klopt niet", "faulty": "Product of dienst ondeugdelijk",
		"already-paid": "Al betaald", "not-my-debt": "Niet mijn schuld", "other": "Anders"},
	"promise": {"open": "Open", "kept": "Nagekomen", "broken": "Niet nagekomen"},
	"invoice": {"open": "Open", "disputed": "Betwist", "paused": "Gepauzeerd", "paid": "Betaald", "waived": "Kwijtgescholden"},
	"kind": {"message.in": "Bericht van debiteur", "message.out": "Bericht aan debiteur", "note": "Notitie",
		"balance.shown": "Saldo getoond", "dispute.opened": "Betwisting", "plan.proposed": "Regeling voorgesteld",
		"promise.made": "Betaaltoezegging", "payment.received": "Betaling ontvangen", "case.imported": "Dossier ingelezen",
		"case.updated": "Dossier bijgewerkt", "status.changed": "Status gewijzigd",
		"plan.approved": "Regeling goedgekeurd", "plan.countered": "Tegenvoorstel gedaan", "plan.rejected": "Regeling afgewezen",
		"plan.accepted": "Regeling aanvaard door debiteur", "dispute.resolved": "Betwisting afgehandeld",
		"handoff.requested": "Medewerker gevraagd",
		"case.flags":        "Bewind of schuldregeling gewijzigd", "contact.preference": "Contactvoorkeur gewijzigd"},
	"actor": {"debtor": "debiteur", "bot": "assistent", "system": "systeem", "import": "import"},
}

// label is the Dutch word for code of the given sort.
func label(sort string, code any) string {
	c := fmt.Sprint(code)
	if l, ok := labels[sort][c]; ok {
		return l
	}
	if sort == "actor" {
		if id, ok := strings.CutPrefix(c, "collector:"); ok {
			return "medewerker " + id
		}
	}
	return c
}
