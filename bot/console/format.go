package console

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
	"github.com/shopspring/decimal"
)

// funcs are the templates' formatting helpers. Each returns plain text,
// which the template then escapes.
var funcs = template.FuncMap{
	"eur":            eur,
	"clock":          clock,
	"datetime":       datetime,
	"day":            func(t time.Time) string { return t.In(casestore.Amsterdam).Format("02-01-2006") },
	"waited":         waited,
	"reason":         reasonText,
	"reasons":        func() []reasonOption { return reasonOptions },
	"settlementName": settlementName,
}

// reasonOption is one choice of the queue's reason filter.
type reasonOption struct{ Code, Text string }

// reasonOptions are the reasons a collector filters on, in the order the
// filter lists them.
var reasonOptions = func() []reasonOption {
	var out []reasonOption
	for _, code := range []string{"hardship", "abuse", "asked", "plan outside policy", "dispute review", "dispute after judgment"} {
		out = append(out, reasonOption{code, reasonTexts[code]})
	}
	return out
}()

// reasonTexts are the dialogs' handoff reasons as a collector reads them.
var reasonTexts = map[string]string{
	"asked":                  "vraagt om een medewerker",
	"hardship":               "financiële nood",
	"abuse":                  "ongepaste berichten",
	"plan outside policy":    "regeling buiten het beleid",
	"dispute review":         "betwisting beoordelen",
	"dispute after judgment": "betwisting na vonnis",
	"error":                  "de assistent liep vast",
}

// reasonText is a handoff reason in Dutch; "error: what" names what
// failed, and a reason without a text shows as stored.
func reasonText(code string) string {
	if t, ok := reasonTexts[code]; ok {
		return t
	}
	if what, ok := strings.CutPrefix(code, "error: "); ok {
		return reasonTexts["error"] + " (" + what + ")"
	}
	return code
}

// eur writes an amount the Dutch way, "€ 1.234,57", as the debtor reads
// it in the chat.
func eur(d decimal.Decimal) string { return dialogs.Money(casestore.Dutch, d) }

// clock is a time of day in Amsterdam, where the collectors work.
func clock(t time.Time) string { return t.In(casestore.Amsterdam).Format("15:04") }

func datetime(t time.Time) string { return t.In(casestore.Amsterdam).Format("02-01-2006 15:04") }

// waited is a duration as a collector reads it: "4 min", "2 u 05 min",
// "3 d 4 u".
func waited(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "< 1 min"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d u %02d min", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%d d %d u", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
}
