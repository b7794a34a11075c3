package console

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/payments"
	"github.com/incassobot/incassobot/casestore"
)

// The payments page: the bank lines the statement import could not book
// (a collector books each on its case) and the collectors' open tasks
// (reversed payments, broken plans).

type paymentsPage struct {
	base
	Notice, Error string
	Lines         []bankLineRow
	Tasks         []taskRow
}

type bankLineRow struct {
	L         *casestore.BankLine
	Suggested string // the suggested case's dossier number
}

type taskRow struct {
	T    *casestore.Task
	Case string // its dossier number
}

var bankNotices = map[string]string{"assigned": "De bankregel is op het dossier geboekt; de debiteur krijgt een bedankje."}

func (c *Console) paymentsPage(w http.ResponseWriter, r *http.Request) {
	c.renderPayments(w, r, http.StatusOK, bankNotices[r.URL.Query().Get("done")], "")
}

func (c *Console) renderPayments(w http.ResponseWriter, r *http.Request, status int, notice, problem string) {
	ctx := r.Context()
	data := paymentsPage{base: c.base(r), Notice: notice, Error: problem}
	lines, err := c.d.Store.BankLines(ctx, casestore.BankLineOpen, 200)
	if err != nil {
		c.fail(w, r, err, "de bankregels lezen")
		return
	}
	refs := map[int64]string{}
	refOf := func(id int64) string {
		if id == 0 {
			return ""
		}
		if ref, ok := refs[id]; ok {
			return ref
		}
		if cs, err := c.d.Store.Case(ctx, id); err == nil {
			refs[id] = cs.Ref
		}
		return refs[id]
	}
	for _, l := range lines {
		data.Lines = append(data.Lines, bankLineRow{L: l, Suggested: refOf(l.SuggestedCaseID)})
	}
	tasks, err := c.d.Store.OpenTasks(ctx, 200)
	if err != nil {
		c.fail(w, r, err, "de taken lezen")
		return
	}
	for _, k := range tasks {
		data.Tasks = append(data.Tasks, taskRow{T: k, Case: refOf(k.CaseID)})
	}
	c.render(w, r, status, "payments", data)
}

// assignBankLine books a queued bank line on the case the collector
// names: the same path as any payment, in one transaction with marking
// the line assigned. 303 back to the page; 400 for an unknown dossier or
// wrong input; 409 when a colleague booked it meanwhile.
func (c *Console) assignBankLine(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me, _ := auth.UserFrom(ctx)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		http.NotFound(w, r)
		return
	}
	ref := strings.TrimSpace(r.PostFormValue("ref"))
	note, err := formNote(r, "note")
	if err != nil || ref == "" {
		c.renderPayments(w, r, http.StatusBadRequest, "", "Vul het dossiernummer in (en een notitie van hooguit 4000 tekens).")
		return
	}
	err = c.d.Store.InTx(ctx, func(tx casestore.Tx) error {
		_, err := payments.AssignBankLine(ctx, tx, id, ref, bot.CollectorActor(me.ID), note, c.d.Now())
		return err
	})
	switch {
	case errors.Is(err, casestore.ErrConflict):
		c.renderPayments(w, r, http.StatusConflict, "", "Deze bankregel is intussen al geboekt; er is niets dubbel geboekt.")
		return
	case errors.Is(err, casestore.ErrNotFound):
		c.renderPayments(w, r, http.StatusBadRequest, "", "Dossier "+ref+" bestaat niet (of de bankregel niet meer); er is niets geboekt.")
		return
	case err != nil:
		c.fail(w, r, err, "de bankregel boeken")
		return
	}
	c.wake()
	http.Redirect(w, r, "/console/payments?done=assigned", http.StatusSeeOther)
}
