package console

import (
	"context"
	"net/http"

	"github.com/incassobot/incassobot/bot/followup"
)

// FollowUpJobs is what the console lists of the follow-ups
// (bot/followup.Engine's Upcoming and Failing).
type FollowUpJobs interface {
	Upcoming(ctx context.Context, limit int) ([]followup.JobView, error)
	Failing(ctx context.Context, limit int) ([]followup.JobView, error)
}

type followupsPage struct {
	base
	On                bool
	Upcoming, Failing []followupRow
}

type followupRow struct {
	J    followup.JobView
	Case string // dossier number
	What string // the job in Dutch
}

// jobLabels name the follow-ups for the collectors.
var jobLabels = map[string]string{
	followup.InstallmentReminder{}.Kind(): "herinnering termijn",
	followup.InstallmentCheck{}.Kind():    "controle termijn betaald",
	followup.PlanBrokenNotice{}.Kind():    "bericht: regeling beëindigd",
	followup.PromiseFollowUp{}.Kind():     "opvolging betaalbelofte",
	followup.SequenceStep{}.Kind():        "herinneringsreeks",
}

// followupsPage lists the follow-ups still to go, soonest first, and
// those that fail or failed, with the last error.
func (c *Console) followupsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	data := followupsPage{base: c.base(r), On: c.d.FollowUpJobs != nil}
	if data.On {
		refs := map[int64]string{}
		rows := func(js []followup.JobView) []followupRow {
			out := make([]followupRow, 0, len(js))
			for _, j := range js {
				if _, ok := refs[j.CaseID]; !ok {
					if cs, err := c.d.Store.Case(ctx, j.CaseID); err == nil {
						refs[j.CaseID] = cs.Ref
					}
				}
				what := jobLabels[j.Kind]
				if what == "" {
					what = j.Kind
				}
				out = append(out, followupRow{J: j, Case: refs[j.CaseID], What: what})
			}
			return out
		}
		up, err := c.d.FollowUpJobs.Upcoming(ctx, 200)
		if err != nil {
			c.fail(w, r, err, "de geplande berichten lezen")
			return
		}
		failing, err := c.d.FollowUpJobs.Failing(ctx, 200)
		if err != nil {
			c.fail(w, r, err, "de mislukte berichten lezen")
			return
		}
		data.Upcoming, data.Failing = rows(up), rows(failing)
	}
	c.render(w, r, http.StatusOK, "followups", data)
}
