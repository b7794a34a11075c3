package dialogs

import (
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// Promise to pay on a day within the policy's horizon (MaxPromiseDays).
// The amount is what the debtor names, else everything open.

func (t *turn) startPromise() {
	if t.nothingToPay() {
		return
	}
	if len(t.u.Dates) == 0 {
		t.st.Flow = Scratch{Amount: firstPositive(t.u)}
		t.st.Node = NodePromiseDate
		t.say(kPromiseAskDate)
		return
	}
	t.promiseOn(casestore.DayOf(t.u.Dates[0]), firstPositive(t.u))
}

func (t *turn) promiseAnswer() bool {
	if len(t.u.Dates) == 0 {
		return false
	}
	amount := firstPositive(t.u)
	if amount.IsZero() {
		amount = t.st.Flow.Amount
	}
	t.promiseOn(casestore.DayOf(t.u.Dates[0]), amount)
	return true
}

// promiseOn records the promise when the day is allowed, else says which
// days are.
func (t *turn) promiseOn(d time.Time, amount decimal.Decimal) {
	lang := t.st.language()
	latest := t.today.AddDate(0, 0, promiseDays(t.c))
	switch {
	case d.Before(t.today):
		t.st.Node = NodePromiseDate
		t.say(kPromisePast, "latest", day(lang, latest))
		return
	case d.After(latest):
		t.st.Flow = Scratch{Amount: amount}
		t.st.Node = NodePromiseDate
		t.say(kPromiseTooFar, "latest", day(lang, latest))
		return
	}
	if !amount.IsPositive() {
		open, ok := t.openTotal()
		if !ok {
			return
		}
		amount = open
	}
	p := casestore.Promise{CaseID: t.c.ID, Amount: amount, Date: d, Status: casestore.PromiseOpen, CreatedAt: t.now}
	t.effect(MakePromise{Promise: p})
	t.entry(t.c.ID, casestore.EntryPromiseMade, actorDebtor, map[string]any{"amount": amount, "date": d})
	t.st.Flow = Scratch{}
	t.say(kPromiseDone, "amount", Money(lang, amount), "date", day(lang, d))
	if link := payLink(t.c); link != "" {
		t.say(kPayLink, "link", link)
	}
	t.sayBankShort()
	if t.c.Stage.Judicial() {
		t.say(kPromiseJudicial)
	}
	t.say(kAnythingElse)
	t.st.Node = NodeMenu
	t.st.Menu = menuItems(t.c)
}

// promiseDays is the policy's horizon, the default policy's when unset.
func promiseDays(c *casestore.Case) int {
	if c.Policy.MaxPromiseDays > 0 {
		return c.Policy.MaxPromiseDays
	}
	return casestore.DefaultPlanPolicy.MaxPromiseDays
}
