package console

import (
	"fmt"
	"html/template"
	"maps"
	"time"

	"github.com/incassobot/incassobot/bot/internal/dossierview"
	"github.com/incassobot/incassobot/casestore"
)

// funcs are the templates' formatting helpers: the ones every page that
// shows a dossier shares (dossierview.Funcs: eur, datetime, day, label …)
// and the console's own. Each returns plain text, which the template then
// escapes.
var funcs = func() template.FuncMap {
	m := maps.Clone(dossierview.Funcs)
	m["clock"] = clock
	m["waited"] = waited
	m["reason"] = reasonText
	m["settlementName"] = settlementName
	m["reasons"] = func() []reasonOption { return reasonOptions }
	return m
}()

// reasonOption is one choice of the queue's reason filter.
type reasonOption struct{ Code, Text string }

// reasonOptions are the reasons a collector filters on, in the order the
// filter lists them.
var reasonOptions = func() []reasonOption {
	var out []reasonOption
	for _, code := range []string{"hardship", "abuse", "asked", "plan outside policy", "dispute review", "dispute after judgment"} {
		out = append(out, reasonOption{code, reasonText(code)})
	}
	return out
}()

// reasonText is a handoff reason in Dutch (dossierview's words); "error:
// what" names what failed, and a reason without a text shows as stored.
func reasonText(code string) string { return dossierview.Label("handoff", code) }

// clock is a time of day in Amsterdam, where the collectors work.
func clock(t time.Time) string { return t.In(casestore.Amsterdam).Format("15:04") }

func datetime(t time.Time) string { return dossierview.DateTime(t) }

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
