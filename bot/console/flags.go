package console

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/casestore"
)

// caseFlagsView is the collection-stop form on the chat page.
type caseFlagsView struct {
	Flags       casestore.CaseFlags
	Stopped     string // why automated collection is stopped; "" when it is not
	Settlements []casestore.DebtSettlement
}

// setFlags sets a case's bewindvoering and debt settlement flags from the
// chat page, filing the change in the dossier (casestore.ChangeCaseFlags).
// Any collector who may open the chat may set them: they are facts a
// debtor or a bewindvoerder reports, not decisions on the claim.
func (c *Console) setFlags(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me, _ := auth.UserFrom(ctx)
	id, ok := handoffID(w, r)
	if !ok {
		return
	}
	var f casestore.CaseFlags
	switch v := r.PostFormValue("bewindvoering"); v {
	case "", "no":
	case "yes":
		f.Bewindvoering = true
	default:
		c.fail(w, r, fmt.Errorf("bewindvoering %q: %w", v, casestore.ErrInvalid), "de vlaggen opslaan")
		return
	}
	f.DebtSettlement = casestore.DebtSettlement(r.PostFormValue("debt_settlement"))
	if f.DebtSettlement != casestore.SettlementNone && !slices.Contains(casestore.DebtSettlements, f.DebtSettlement) {
		c.fail(w, r, fmt.Errorf("onbekende schuldregeling: %w", casestore.ErrInvalid), "de vlaggen opslaan")
		return
	}
	h, err := c.d.Store.Handoff(ctx, id)
	if err != nil {
		c.fail(w, r, err, "de vlaggen opslaan")
		return
	}
	if h.CaseID == 0 {
		c.fail(w, r, fmt.Errorf("%w: %w", errNoCase, casestore.ErrConflict), "de vlaggen opslaan")
		return
	}
	err = c.d.Store.InTx(ctx, func(tx casestore.Tx) error {
		_, err := casestore.ChangeCaseFlags(ctx, tx, h.CaseID, f, bot.CollectorActor(me.ID))
		return err
	})
	if err != nil {
		c.fail(w, r, err, "de vlaggen opslaan")
		return
	}
	c.announce(ctx, bot.Activity{Kind: bot.ActivityDossier, Channel: h.Channel, Address: h.Address,
		CaseID: h.CaseID, HandoffID: h.ID})
	http.Redirect(w, r, fmt.Sprintf("/console/handoffs/%d?done=flags", id), http.StatusSeeOther)
}

// settlementName is how the form names a debt settlement.
func settlementName(s casestore.DebtSettlement) string {
	switch s {
	case casestore.SettlementWSNP:
		return "WSNP (wettelijke schuldsanering)"
	case casestore.SettlementMSNP:
		return "MSNP (minnelijke schuldsanering)"
	case casestore.SettlementCSR:
		return "Collectieve schuldenregeling (BE)"
	}
	return string(s)
}
