package dialogs

import (
	"github.com/incassobot/incassobot/casestore"
)

// intentInvoices is the per-invoice breakdown, offered after the balance.
// It never comes out of Understand; it only lives in a numbered menu.
const intentInvoices Intent = "balance.invoices"

// optionLabels are the menu texts of each choice.
var optionLabels = map[Intent]msgKey{
	IntentBalance:     kOptBalance,
	intentInvoices:    kOptInvoices,
	IntentPayNow:      kOptPayNow,
	IntentPlan:        kOptPlan,
	IntentPromise:     kOptPromise,
	IntentAlreadyPaid: kOptAlreadyPaid,
	IntentDispute:     kOptDispute,
	IntentCallback:    kOptCallback,
	IntentHuman:       kOptHuman,
	IntentLanguage:    kOptLanguage,
	IntentHelp:        kOptMenu,
}

// menuItems is the main menu for a case. The stage changes it: in the
// judicial stages a plan is a request a collector decides, and after a
// judgment (executie) an invoice can no longer be disputed here.
func menuItems(c *casestore.Case) []Intent {
	items := []Intent{IntentBalance, IntentPayNow, IntentPlan, IntentPromise, IntentAlreadyPaid}
	if c.Stage != casestore.Executie {
		items = append(items, IntentDispute)
	}
	return append(items, IntentCallback, IntentHuman, IntentLanguage)
}

// showMenu shows the numbered main menu.
func (t *turn) showMenu() {
	t.st.Node = NodeMenu
	t.say(kMenuIntro)
	t.offer(menuItems(t.c))
	t.say(kMenuFooter)
}

// offer lists numbered choices and remembers them for the next answer.
func (t *turn) offer(items []Intent) {
	t.st.Menu = items
	t.options = t.options[:0:0]
	lines := make([]string, 0, len(items))
	for i, it := range items {
		label := t.optionLabel(it)
		t.options = append(t.options, label)
		lines = append(lines, itoa(i+1)+". "+label)
	}
	t.list(lines)
}

func (t *turn) optionLabel(it Intent) string {
	if it == IntentPlan && t.c != nil && t.c.Stage.Judicial() {
		return render(t.st.language(), kOptPlanJudicial)
	}
	return render(t.st.language(), optionLabels[it])
}

// menuAnswer reads a number from the last menu shown.
func (t *turn) menuAnswer() bool {
	n := t.u.Choice
	if n < 1 || n > len(t.st.Menu) || t.c == nil {
		return false
	}
	t.choose(t.st.Menu[n-1])
	return true
}

// choose carries out a menu choice. The choice's number is no amount,
// date or term: the flow starts empty ("3" is not €3 a month).
func (t *turn) choose(it Intent) {
	t.u = Understanding{Intent: it, Language: t.u.Language}
	t.text, t.low = "", ""
	switch it {
	case IntentHuman:
		t.handoff("asked", PriorityNormal, kHandoff)
	case IntentLanguage:
		t.askLanguage()
	case IntentHelp:
		t.st.Flow = Scratch{}
		t.showMenu()
	default:
		t.startIntent(it)
	}
}

// help shows the menu, or before verification what the assistant needs
// and which words always work.
func (t *turn) help() {
	if t.c != nil {
		t.showMenu()
		return
	}
	t.say(kHelpUnverified)
	t.identify()
}
