package dialogs

import (
	"strings"

	"github.com/incassobot/incassobot/casestore"
)

// Dispute (betwisting): which invoice (or the whole case), a reason, the
// debtor's own words and optional evidence. The invoice (or case) goes on
// hold, reminders stop, a collector reviews it within ten working days.

// disputeReviewDays is how many working days a collector has to answer.
const disputeReviewDays = 10

var reasonLabels = map[casestore.DisputeReason]msgKey{
	casestore.ReasonNotReceived: kReasonNotReceived,
	casestore.ReasonWrongAmount: kReasonWrongAmount,
	casestore.ReasonFaulty:      kReasonFaulty,
	casestore.ReasonAlreadyPaid: kReasonAlreadyPaid,
	casestore.ReasonNotMyDebt:   kReasonNotMyDebt,
	casestore.ReasonOther:       kReasonOther,
}

func (t *turn) startDispute() {
	if t.c.Stage == casestore.Executie {
		// After a judgment an objection goes through the bailiff: a person.
		t.handoff("dispute after judgment", PriorityNormal, kDisputeExecution)
		return
	}
	t.st.Flow = Scratch{Reason: specificReason(t.u.Reason)}
	if t.st.Flow.Reason != "" && inOwnWords(t.text) {
		t.st.Flow.Text, t.st.Flow.TextDone = t.text, true // the request already says what is wrong
	}
	t.pickInvoiceFrom(claimable(t.c))
	t.disputeNext()
}

// disputeNext asks the first question not yet answered, or opens the dispute.
func (t *turn) disputeNext() {
	f := &t.st.Flow
	switch {
	case !f.InvoiceSet:
		t.askInvoice(NodeDisputeInv)
	case f.Reason == "":
		t.askReason()
	case !f.TextDone:
		t.st.Node = NodeDisputeText
		t.say(kDisputeAskText)
	case !f.ProofDone:
		t.st.Node = NodeDisputeProof
		t.say(kAskProof)
	default:
		t.openDispute()
	}
}

func (t *turn) askReason() {
	t.st.Node = NodeDisputeReason
	t.say(kDisputeAskReason)
	lines := make([]string, len(casestore.DisputeReasons))
	t.options = t.options[:0:0]
	for i, r := range casestore.DisputeReasons {
		label := render(t.st.language(), reasonLabels[r])
		lines[i] = itoa(i+1) + ". " + label
		t.options = append(t.options, label)
	}
	t.list(lines)
}

// disputeAnswer reads the answer to the dispute question asked last.
func (t *turn) disputeAnswer() bool {
	f := &t.st.Flow
	switch t.st.Node {
	case NodeDisputeInv:
		if !t.invoiceAnswer() {
			return false
		}
		if f.Reason == "" {
			f.Reason = specificReason(t.u.Reason)
		}
		if f.Reason != "" && !f.TextDone && inOwnWords(t.text) {
			f.Text, f.TextDone = t.text, true // "die van oktober klopt niet, want …"
		}
	case NodeDisputeReason:
		switch {
		case t.u.Reason != "":
			f.Reason = t.u.Reason
			if inOwnWords(t.text) {
				// "het pakket is nooit aangekomen, track en trace zegt
				// bezorgd": the reason and the account in one message.
				f.Text, f.TextDone = t.text, true
			}
		case t.u.Choice >= 1 && t.u.Choice <= len(casestore.DisputeReasons):
			f.Reason = casestore.DisputeReasons[t.u.Choice-1]
		default:
			return false
		}
	case NodeDisputeText:
		if t.text == "" {
			return false
		}
		if !(t.u.No || t.u.Intent == IntentThanks) || len([]rune(t.text)) > 12 {
			f.Text = t.text
		}
		f.TextDone = true
	case NodeDisputeProof:
		if !isDone(t.low, t.u) {
			return false
		}
		f.ProofDone = true
	}
	t.disputeNext()
	return true
}

// openDispute records the dispute and puts the invoice or case on hold.
func (t *turn) openDispute() {
	f := t.st.Flow
	lang := t.st.language()
	due := workdaysAfter(t.today, disputeReviewDays)
	d := casestore.Dispute{
		CaseID: t.c.ID, Reason: f.Reason, Text: f.Text, Evidence: f.Evidence,
		Status: casestore.DisputeOpen, CreatedAt: t.now,
	}
	eff := OpenDispute{Dispute: d, CaseStatus: casestore.StatusOnHold}
	what := render(lang, kWholeCase)
	if inv := t.invoice(f.InvoiceID); inv != nil {
		id := inv.ID
		d.InvoiceID = &id
		eff = OpenDispute{Dispute: d, InvoiceStatus: casestore.InvoiceDisputed}
		what = render(lang, kInvoiceNamed, "number", inv.Number)
	}
	t.effect(eff)
	t.effect(CollectorTask{CaseID: t.c.ID, Topic: "dispute", Summary: string(f.Reason) + ": " + what, Due: due, Priority: PriorityNormal})
	// A person resolves it in the console, from the chat (queued: the bot
	// keeps answering until a collector claims it).
	t.effect(Handoff{CaseID: t.c.ID, Reason: "dispute review", Priority: PriorityNormal})
	t.entry(t.c.ID, casestore.EntryDisputeOpened, actorDebtor, map[string]any{
		"invoice_id": d.InvoiceID, "reason": f.Reason, "text": f.Text, "evidence": f.Evidence, "answer_by": due,
	})
	t.st.Flow = Scratch{}
	t.say(kDisputeDone, "what", what, "date", day(lang, due))
	if t.c.Stage.Judicial() {
		t.say(kDisputeJudicial)
	}
	t.say(kAnythingElse)
	t.st.Node = NodeMenu
	t.st.Menu = menuItems(t.c)
}

// isDone reports whether the debtor has no (more) files to send.
// inOwnWords reports whether a message tells what happened in a sentence
// (eight words or more), not only names a reason.
func inOwnWords(text string) bool { return len(strings.Fields(text)) >= 8 }

func isDone(low string, u Understanding) bool {
	return u.No || u.Intent == IntentThanks || hasAny(low, "klaar", "geen", "done", "no more", "finished", "fini", "terminé", "termine", "aucun", "pas de", "verder", "niks", "nothing")
}

// specificReason drops "other" read from a general complaint ("klopt
// niet"): the debtor is then offered the list, which is more precise.
func specificReason(r casestore.DisputeReason) casestore.DisputeReason {
	if r == casestore.ReasonOther {
		return ""
	}
	return r
}
