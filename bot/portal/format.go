package portal

import (
	"html/template"
	"maps"

	"github.com/incassobot/incassobot/casestore"

	"github.com/incassobot/incassobot/bot/internal/dossierview"
	"github.com/incassobot/incassobot/bot/internal/mediafile"
)

// funcs are the templates' formatting helpers: the ones every page that
// shows a dossier shares (dossierview.Funcs: eur, datetime, day, label …)
// and the portal's own. Each returns plain text, which the template then
// escapes.
var funcs = func() template.FuncMap {
	m := maps.Clone(dossierview.Funcs)
	m["size"] = mediafile.Size
	m["filetype"] = mediafile.Label
	m["seq"] = func(i int) int { return i + 1 } // a position, counted from 1
	m["payref"] = casestore.PaymentReference
	m["source"] = func(s casestore.PaymentSource) string {
		return map[casestore.PaymentSource]string{casestore.SourceConsole: "geboekt door een medewerker",
			casestore.SourceStripe: "online betaald", casestore.SourceBank: "bankafschrift"}[s]
	}
	m["invoiceNo"] = func(numbers map[int64]string, id *int64) string {
		if id == nil {
			return "hele dossier" // a dispute or payment of the whole case
		}
		return numbers[*id]
	}
	return m
}()
